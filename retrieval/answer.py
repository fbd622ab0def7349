"""Cited extractive answers. Every quoted word is an exact span of a source document.

Contract (shared with the web layer and the CLI): :class:`Answer` and :class:`Citation` below,
``Answerer(searcher).ask(question) -> Answer``, and ``Answer.to_json()`` giving
``{"question", "answer", "citations": [...], "abstained", "related": [...]}``.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from retrieval.hit import Hit
from retrieval.searcher import Searcher


@dataclass(frozen=True)
class Citation:
    """One cited quote. ``quote == document[start:end]``; ``context`` is the verbatim passage
    ``document[context_start:context_end]`` that contains it (for showing it highlighted)."""

    n: int
    source: str
    title: str | None
    outlet: str | None
    published: str | None
    start: int
    end: int
    quote: str
    context_start: int
    context_end: int
    context: str
    speaker: str | None = None
    organisation: str | None = None
    role: str | None = None
    stance: str | None = None


@dataclass(frozen=True)
class Answer:
    """``answer`` is markdown with inline ``[n]`` markers referring to ``citations``.

    When ``abstained`` is true the sources do not answer the question; ``related`` then holds
    the closest passages to show as "may be related".
    """

    question: str
    answer: str
    citations: list[Citation]
    abstained: bool
    related: list[Hit] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "citations": [dataclasses.asdict(c) for c in self.citations],
            "abstained": self.abstained,
            "related": [h.to_json() for h in self.related],
        }


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[’”\"']?|$)")


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each sentence in ``text``, shifted by ``offset``, whitespace trimmed."""
    spans = []
    for m in _SENTENCE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((offset + s, offset + e))
    return spans


class Answerer:
    """Composes an :class:`Answer` from a searcher's hits."""

    def __init__(self, searcher: Searcher, top_k: int = 5, max_citations: int = 3):
        self.searcher = searcher
        self.top_k = top_k
        self.max_citations = max_citations

    def ask(self, question: str) -> Answer:
        hits = self.searcher.search(question, self.top_k)
        if not hits:
            return Answer(question, "The sources do not answer this question.", [], True, [])
        citations = [_cite(n, h, _best_sentence(question, h)) for n, h in
                     enumerate(hits[: self.max_citations], start=1)]
        lines = [f"- “{c.quote}” [{c.n}]" for c in citations]
        return Answer(question, "\n".join(lines), citations, False, [])


def _best_sentence(question: str, hit: Hit) -> tuple[int, int]:
    words = {w.lower() for w in re.findall(r"\w{3,}", question)}
    spans = sentence_spans(hit.text, hit.start) or [(hit.start, hit.end)]
    return max(spans, key=lambda se: len(words & {w.lower() for w in
                                                   re.findall(r"\w{3,}", hit.text[se[0] - hit.start: se[1] - hit.start])}))


def _cite(n: int, hit: Hit, span: tuple[int, int]) -> Citation:
    start, end = span
    return Citation(
        n=n, source=hit.source, title=hit.title, outlet=hit.outlet, published=hit.published,
        start=start, end=end, quote=hit.text[start - hit.start : end - hit.start],
        context_start=hit.start, context_end=hit.end, context=hit.text,
        speaker=hit.metadata.get("speaker"), organisation=hit.metadata.get("organisation"),
        role=hit.metadata.get("role"),
    )
