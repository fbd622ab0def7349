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
    passage never mixes two entries. ``context``: prepend the document's title, outlet and kind
    and the section's lead line (who is commenting, the entry's first line) to the text that is
    BM25-indexed. ``dense_context``: prepend it to the embedded text too (on the eval set it
    blurs MiniLM's vector of a short passage, so it is off). The cited text stays verbatim.
    The defaults were chosen on the eval set (see eval/README.md).
    """

    chunk_size: int = 550
    chunk_overlap: int = 110
    sections: bool = True
    context: bool = True
    dense_context: bool = False

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> ChunkSettings:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in obj.items() if k in names})
