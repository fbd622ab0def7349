"""The records every layer shares: a source document and a passage cut from it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """One corpus file, as text.

    ``source`` is the path relative to the corpus root, with forward slashes. ``text`` is the
    file's text (for HTML, the extracted text): every passage offset indexes into it.
    ``sha256`` is the hash of the file's bytes, used to detect a stale index.
    """

    source: str
    text: str
    sha256: str
    title: str
    outlet: str | None = None
    kind: str | None = None
    published: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Passage:
    """A span of a document: ``text == document.text[start:end]`` exactly.

    ``context`` is extra text (title, outlet, section lead) prepended only for indexing (see
    :class:`index.settings.ChunkSettings`); the cited text is always ``text``. ``meta`` holds document metadata (title, outlet, kind,
    published) plus anything later stages attach (section, speaker, ...).
    """

    id: int
    source: str
    start: int
    end: int
    text: str
    context: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def indexed_text(self) -> str:
        """Context, then the verbatim passage: what BM25 indexes."""
        return f"{self.context}\n{self.text}" if self.context else self.text

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Passage:
        return cls(
            id=int(obj["id"]),
            source=str(obj["source"]),
            start=int(obj["start"]),
            end=int(obj["end"]),
            text=str(obj["text"]),
            context=str(obj.get("context", "")),
            meta=dict(obj.get("meta", {})),
        )
