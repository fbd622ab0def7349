"""What an abstention shows instead of an answer: a few distinct passages, each with its text.

When the sources do not answer, the closest passages are still worth a look, but three
passages of one article under one title tell a reader nothing three times. So:

- passages from different documents come first (a document's second passage only if fewer
  than ``n`` documents were retrieved), and never two overlapping spans of one document;
- a document's title is shown once, each of its passages under it with a snippet of its own text: its best-scoring sentence when the question was
  scored (the part most likely to be related), else its opening, cut at a word boundary.
"""

from __future__ import annotations

from retrieval.evidence import Scored, is_heading
from retrieval.hit import Hit

SNIPPET_CHARS = 200


def pick(hits: list[Hit], n: int = 3) -> list[Hit]:
    """Up to ``n`` distinct passages in rank order, one per document first."""
    chosen: list[Hit] = []
    for one_per_document in (True, False):
        for h in hits:
            if len(chosen) >= n:
                return chosen
            if any(c is h or c.source == h.source and c.start < h.end and h.start < c.end for c in chosen):
                continue
            if one_per_document and any(c.source == h.source for c in chosen):
                continue
            chosen.append(h)
    return chosen


def by_document(hits: list[Hit]) -> list[list[Hit]]:
    """``hits`` grouped by document, in order of each document's first passage: a title is
    shown once, with its passages' snippets under it."""
    groups: dict[str, list[Hit]] = {}
    for h in hits:
        groups.setdefault(h.source, []).append(h)
    return list(groups.values())


def _cut(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + " …"


def snippet(hit: Hit, scored: list[Scored] | None = None) -> str:
    """The passage's best-scoring sentence (from ``scored``), else its opening text with a
    leading title line skipped."""
    for item in scored or ():
        if item.sentence.hit.source == hit.source and hit.start <= item.sentence.start < hit.end:
            return _cut(item.sentence.text)
    lines = [line for line in hit.text.splitlines() if line.strip()]
    if len(lines) > 1 and (is_heading(lines[0]) or hit.title and lines[0].strip() == hit.title.strip()):
        lines = lines[1:]
    return _cut(" ".join(lines))
