"""Cut documents into passages with exact character offsets.

The invariant everything else relies on: ``passage.text == document.text[start:end]``.
langchain's splitter returns chunk strings, not offsets, so each chunk is located in the
section text by a forward search; the result is asserted, never assumed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from index.attribution import Attribution, Attributor, DocumentAttribution, attribute_documents
from index.records import Document, Passage
from index.sections import Section, find_sections
from index.settings import ChunkSettings

# Bump when sections, context or attribution change what a passage holds: indexes built by an
# older version are then stale, as they are after a settings change.
CHUNKER_VERSION = 3  # 3: attribution on spaCy (index/attribution/)
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
    doc: Document, settings: ChunkSettings, first_id: int = 0, splitter=None,
    attribution: DocumentAttribution | None = None, attributor: Attributor | None = None,
) -> list[Passage]:
    """Passages of one document, ids numbered from ``first_id``. ``attribution`` is the
    document's (computed here with ``attributor`` if not given)."""
    if attribution is None:
        attribution = attribute_documents([doc.text], attributor)[0]
    return with_attribution(plan_document(doc, settings, first_id, splitter), attribution)


def plan_document(doc: Document, settings: ChunkSettings, first_id: int = 0, splitter=None) -> list[Passage]:
    """The passages of one document before attribution: text, offsets, context and document
    metadata are final; ``meta["attributions"]`` is filled by :func:`with_attribution`. A
    build embeds these while spaCy parses the documents."""
    splitter = splitter or make_splitter(settings.chunk_size, settings.chunk_overlap)
    sections = find_sections(doc.text) if settings.sections else [Section(0, len(doc.text))]
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
                    meta=_meta(doc, section),
                )
            )
    return passages


def with_attribution(passages: list[Passage], attribution: DocumentAttribution) -> list[Passage]:
    """``passages`` (of one document) with who speaks in each (see :func:`_speakers`)."""
    rows = list(attribution.sentences)
    return [dataclasses.replace(p, meta={**p.meta, **_speakers(rows, p.start, p.end)}) for p in passages]


def plan_corpus(docs: Iterable[Document], settings: ChunkSettings) -> list[Passage]:
    """:func:`plan_document` for every document; ids are 0..n-1 in order (the FAISS ids)."""
    splitter = make_splitter(settings.chunk_size, settings.chunk_overlap)
    passages: list[Passage] = []
    for doc in docs:
        passages.extend(plan_document(doc, settings, len(passages), splitter))
    return passages


def attach_corpus(passages: list[Passage], attributions: dict[str, DocumentAttribution]) -> list[Passage]:
    """Planned passages of a whole corpus with their speakers (``attributions``: by source)."""
    out: list[Passage] = []
    i = 0
    while i < len(passages):
        j = i
        while j < len(passages) and passages[j].source == passages[i].source:
            j += 1
        out.extend(with_attribution(passages[i:j], attributions[passages[i].source]))
        i = j
    return out


def chunk_corpus(docs: Iterable[Document], settings: ChunkSettings,
                 attributions: dict[str, DocumentAttribution] | None = None,
                 attributor: Attributor | None = None) -> list[Passage]:
    """Passages of all documents; ids are 0..n-1 in order (the FAISS ids). ``attributions``:
    source -> its attribution; the documents missing from it are attributed together."""
    docs = list(docs)
    attributions = dict(attributions or {})
    todo = [d for d in docs if d.source not in attributions]
    if todo:
        attributions.update(zip((d.source for d in todo), attribute_documents([d.text for d in todo], attributor)))
    return attach_corpus(plan_corpus(docs, settings), attributions)


def _context(doc: Document, section: Section, start: int) -> str:
    parts = [doc.title, ", ".join(x for x in (doc.outlet, doc.kind) if x)]
    if section.commenter:
        parts.append(f"Reader comment by {section.commenter}")
    # The lead is already in the passage when the passage opens the section.
    if section.lead and start > section.start + len(section.lead) // 2:
        parts.append(section.lead)
    return "\n".join(p for p in parts if p)


def _meta(doc: Document, section: Section) -> dict:
    """Document and section metadata of a passage."""
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
    return meta


def _speakers(attributions: list[Attribution], start: int, end: int) -> dict:
    """Who speaks in the passage ``[start, end)`` (see index/attribution): ``attributions`` is
    one row per sentence, ``[start, end, speaker, organisation, role, kind]`` in document
    offsets clipped to the passage; ``speaker``/``organisation``/``role`` name the one who
    speaks most of the passage's characters, if anyone does."""
    meta: dict = {}
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
