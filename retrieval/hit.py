"""The search result contract: one ranked, citable passage."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from index.records import Passage

_TOP_LEVEL_META = ("title", "outlet", "published")


@dataclass(frozen=True)
class Hit:
    """A ranked passage. ``text`` is ``document[start:end]`` of ``source``, verbatim.

    ``rank`` starts at 1; ``score`` is the fused (or single-retriever) score, higher is better,
    comparable only within one result list. ``metadata`` holds the rest of the passage's
    metadata (kind, entry time, section, per-retriever ranks...).
    """

    rank: int
    score: float
    source: str
    start: int
    end: int
    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    passage_id: int = -1
    metadata: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_passage(cls, passage: Passage, rank: int, score: float, **extra: Any) -> Hit:
        meta = {k: v for k, v in passage.meta.items() if k not in _TOP_LEVEL_META}
        meta.update(extra)
        return cls(
            rank=rank,
            score=float(score),
            source=passage.source,
            start=passage.start,
            end=passage.end,
            text=passage.text,
            title=passage.meta.get("title"),
            outlet=passage.meta.get("outlet"),
            published=passage.meta.get("published"),
            passage_id=passage.id,
            metadata=meta,
        )

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
