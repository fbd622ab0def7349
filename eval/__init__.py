"""Measure retrieval (and, later, answers) on the team's question set. Nothing here is imported by
the product; it reads the index and retrieval layers from above."""
