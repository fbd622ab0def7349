from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from index.chunking import chunk_corpus, chunk_document
from index.corpus import load_corpus
from index.records import Document
from index.sections import find_sections
from index.settings import ChunkSettings

# Text the corpus really has: curly quotes, non-breaking and odd spaces, pound signs, accents.
ALPHABET = string.ascii_letters + string.digits + " .,;:!?-'\"\n\n\t" + "“”‘’\u00a0\u2009£é–…"
WORDS = st.text(alphabet=ALPHABET, min_size=0, max_size=30)
ENTRY = st.sampled_from(["", "5.20pm ", "11.08am: ", "Jane Roe says:\n", "  1. A Commenter says:\n"])
DOCS = st.lists(st.tuples(ENTRY, WORDS), min_size=0, max_size=40).map(
    lambda parts: "".join(e + w for e, w in parts)
)


def _doc(text: str) -> Document:
    return Document(source="d.txt", text=text, sha256="x", title="T")


@settings(max_examples=300, deadline=None)
@given(text=DOCS, size=st.integers(20, 300), overlap_frac=st.floats(0, 0.5),
       sections=st.booleans(), context=st.booleans())
def test_every_passage_is_an_exact_span(text, size, overlap_frac, sections, context):
    cfg = ChunkSettings(size, int(size * overlap_frac), sections, context)
    passages = chunk_document(_doc(text), cfg)
    for p in passages:
        assert p.text == text[p.start:p.end]
        assert p.text.strip() == p.text and p.text
        assert len(p.text) <= size
    assert [p.id for p in passages] == list(range(len(passages)))
    # Nothing but whitespace is left uncovered.
    covered = [False] * len(text)
    for p in passages:
        covered[p.start:p.end] = [True] * (p.end - p.start)
    assert all(c or text[i].isspace() for i, c in enumerate(covered))


@settings(max_examples=200, deadline=None)
@given(text=DOCS)
def test_sections_tile_the_text(text):
    sections = find_sections(text)
    assert sections[0].start == 0 and sections[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(sections, sections[1:]))


def test_live_blog_entries_are_not_mixed():
    text = "5.20pm The College has concerns.\n\nMore from the College.\n\n4.30pm A charity spoke."
    passages = chunk_document(_doc(text), ChunkSettings(400, 40, sections=True, context=True))
    assert [p.text for p in passages] == [
        "5.20pm The College has concerns.\n\nMore from the College.", "4.30pm A charity spoke."]
    assert passages[0].meta["entry_time"] == "5.20pm"
    assert passages[1].meta["entry_time"] == "4.30pm"


def test_context_carries_title_and_section_lead_but_text_stays_verbatim():
    body = "5.20pm The Royal College has grave concerns.\n\n" + "Its chair said more words here. " * 10
    passages = chunk_document(_doc(body), ChunkSettings(120, 0, sections=True, context=True))
    later = passages[-1]
    assert later.context.startswith("T\n5.20pm The Royal College has grave concerns.")
    assert later.indexed_text.endswith(later.text)
    assert later.text == body[later.start:later.end]
    plain = chunk_document(_doc(body), ChunkSettings(120, 0, sections=True, context=False))
    assert all(p.context == "" for p in plain)


def test_comment_threads_split_per_comment():
    text = ("Post body.\n\n  1. Brian Fisher says:\n\n    Excellent.\n\n"
            "    1. Richard says:\n\n      We should meet.\n")
    secs = find_sections(text)
    assert [s.commenter for s in secs] == [None, "Brian Fisher", "Richard"]


def test_default_corpus_offsets_exact(corpus_dir):
    corpus = load_corpus(corpus_dir)
    texts = {d.source: d.text for d in corpus.documents}
    passages = chunk_corpus(corpus.documents, ChunkSettings())
    assert len(passages) > 50
    for p in passages:
        assert p.text == texts[p.source][p.start:p.end]
    assert {p.source for p in passages} == set(texts)
