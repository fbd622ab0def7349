"""Cut documents into passages with exact character offsets.

The invariant everything else relies on: ``passage.text == document.text[start:end]``.
langchain's splitter returns chunk strings, not offsets, so each chunk is located in the
section text by a forward search; the result is asserted, never assumed.
"""

from __future__ import annotations

from collections.abc import Iterable

from index.attribution import Attribution, attribute_document
from index.records import Document, Passage
from index.sections import Section, find_sections
from index.settings import ChunkSettings

# Bump when sections, context or attribution change what a passage holds: indexes built by an
# older version are then stale, as they are after a settings change.
CHUNKER_VERSION = 2
# Paragraphs, then lines, then sentence ends, then clauses, then words.
SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]


def make_splitter(chunk_size: int, chunk_overlap: int):
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        separators=SEPARATORS,
        keep_separator="end",
        strip_whitespace=True,
        length_function=len,
    )


def chunk_spans(text: str, splitter) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the splitter's chunks of ``text``, in order.

    The next chunk starts no earlier than ``overlap`` characters before the previous chunk's
    end and no later than the first non-space character after it (the splitter drops no
    content). Within that window the latest occurrence is taken, so repeated text (the same
    line twice) never makes a chunk match an earlier copy and leave a gap.
    """
    spans: list[tuple[int, int]] = []
    overlap = splitter._chunk_overlap
    prev_start, prev_end = -1, 0
    for chunk in splitter.split_text(text):
        lo = max(prev_start + 1, prev_end - overlap)
        hi = prev_end
        while hi < len(text) and text[hi].isspace():
            hi += 1
        start = text.rfind(chunk, lo, hi + len(chunk))
        if start < 0:
            start = text.find(chunk, lo)
        if start < 0:  # the splitter changed the text; never cite what is not in the source
            raise AssertionError(f"chunk not found verbatim in its text: {chunk[:60]!r}")
        spans.append((start, start + len(chunk)))
        prev_start, prev_end = start, start + len(chunk)
    return spans


def chunk_document(
    doc: Document, settings: ChunkSettings, first_id: int = 0, splitter=None
) -> list[Passage]:
    """Passages of one document, ids numbered from ``first_id``."""
    splitter = splitter or make_splitter(settings.chunk_size, settings.chunk_overlap)
    sections = find_sections(doc.text) if settings.sections else [Section(0, len(doc.text))]
    attributions = attribute_document(doc.text)
    passages: list[Passage] = []
    for section in sections:
        body = doc.text[section.start : section.end]
        for start, end in chunk_spans(body, splitter):
            start, end = start + section.start, end + section.start
            passages.append(
                Passage(
                    id=first_id + len(passages),
                    source=doc.source,
                    start=start,
                    end=end,
                    text=doc.text[start:end],
                    context=_context(doc, section, start) if settings.context else "",
                    meta=_meta(doc, section, attributions, start, end),
                )
            )
    return passages


def chunk_corpus(docs: Iterable[Document], settings: ChunkSettings) -> list[Passage]:
    """Passages of all documents; ids are 0..n-1 in order (the FAISS ids)."""
    splitter = make_splitter(settings.chunk_size, settings.chunk_overlap)
    passages: list[Passage] = []
    for doc in docs:
        passages.extend(chunk_document(doc, settings, len(passages), splitter))
    return passages


def _context(doc: Document, section: Section, start: int) -> str:
    parts = [doc.title, ", ".join(x for x in (doc.outlet, doc.kind) if x)]
    if section.commenter:
        parts.append(f"Reader comment by {section.commenter}")
    # The lead is already in the passage when the passage opens the section.
    if section.lead and start > section.start + len(section.lead) // 2:
        parts.append(section.lead)
    return "\n".join(p for p in parts if p)


def _meta(doc: Document, section: Section, attributions: list[Attribution] = (), start: int = 0,
          end: int = 0) -> dict:
    """Document metadata, plus who speaks in the passage (see index/attribution.py):
    ``attributions`` is one row per sentence, ``[start, end, speaker, organisation, role, kind]``
    in document offsets clipped to the passage; ``speaker``/``organisation``/``role`` name the
    one who speaks most of the passage's characters, if anyone does."""
    meta = {
        "title": doc.title,
        "outlet": doc.outlet,
        "kind": doc.kind,
        "published": doc.published,
        "section_start": section.start,
    }
    if section.time:
        meta["entry_time"] = section.time
    if section.commenter:
        meta["commenter"] = section.commenter
    rows = [[max(a.start, start), min(a.end, end), a.speaker, a.organisation, a.role, a.kind]
            for a in attributions if a.start < end and a.end > start]
    meta["attributions"] = rows
    share: dict[tuple, int] = {}
    for s, e, speaker, org, role, _ in rows:
        if speaker or org:
            share[(speaker, org, role)] = share.get((speaker, org, role), 0) + e - s
    if share:
        meta["speaker"], meta["organisation"], meta["role"] = max(share, key=share.get)
    return meta
