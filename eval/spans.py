"""Gold spans that point into a corpus without copying its text.

The NHS question set stores each gold span's text beside its offsets. Corpora whose text may
not be copied into the repository (PolNeAR's articles belong to their publishers) store a
digest instead: ``{"source", "start", "end", "sha1"}``, where ``sha1`` is the first 12 hex
digits of the SHA-1 of ``text[start:end]`` (UTF-8). Loading recomputes it from the corpus, so
a changed corpus or a wrong offset is caught exactly as a changed quote is.
"""

from __future__ import annotations

import hashlib
from typing import Any

DIGEST_CHARS = 12


class SpanMismatch(ValueError):
    """A gold span does not hold the text its record says it holds."""


def digest(text: str) -> str:
    """First 12 hex digits of the SHA-1 of ``text`` (UTF-8)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:DIGEST_CHARS]


def span_text(item: dict[str, Any], texts: dict[str, str], where: str = "") -> str:
    """The corpus text of a gold item, checked against its ``text`` or its ``sha1``.

    ``item`` has ``source``, ``start``, ``end`` and one of ``text`` / ``sha1``; ``texts`` maps
    a source (file path relative to the corpus) to its text. Raises :class:`SpanMismatch` with
    ``where`` (a record id) in the message.
    """
    source = item.get("source")
    if source not in texts:
        raise SpanMismatch(f"{where}: gold source {source} is not in the corpus")
    start, end = item.get("start"), item.get("end")
    text = texts[source]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise SpanMismatch(f"{where}: bad offsets [{start}, {end}) for {source} ({len(text)} characters)")
    found = text[start:end]
    if "text" in item:
        if found != item["text"]:
            raise SpanMismatch(f"{where}: {source}[{start}:{end}] is {found[:60]!r}, gold says {item['text'][:60]!r}")
    elif "sha1" in item:
        if digest(found) != item["sha1"]:
            raise SpanMismatch(f"{where}: {source}[{start}:{end}] ({found[:40]!r}…) does not match sha1 {item['sha1']}")
    else:
        raise SpanMismatch(f"{where}: gold item has neither text nor sha1")
    return found


def hashed(source: str, start: int, end: int, text: str, **extra: Any) -> dict[str, Any]:
    """The stored form of a span of ``text`` (the whole document): offsets and digest."""
    return {"source": source, "start": start, "end": end, "sha1": digest(text[start:end]), **extra}
