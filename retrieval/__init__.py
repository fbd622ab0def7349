"""Read path: load an index, search it (BM25, dense, fused), and compose answers.

Results are plain frozen dataclasses that turn into JSON; this layer never produces HTML.
"""
