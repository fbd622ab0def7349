"""Typed build settings. They are saved in the index manifest; a change makes the index stale."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ChunkSettings:
    """How documents become passages.

    ``chunk_size`` and ``chunk_overlap`` are in characters (the splitter's ``len``).
    ``sections``: split live-blog entries and reader comments apart before chunking, so one
    passage never mixes two entries. ``context``: prepend the document title and the section's
    lead line to the text that is embedded and BM25-indexed (the cited text stays verbatim).
    The defaults were chosen on the eval set (see eval/README.md).
    """

    chunk_size: int = 400
    chunk_overlap: int = 80
    sections: bool = True
    context: bool = True

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> ChunkSettings:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in obj.items() if k in names})
