from __future__ import annotations

import json
import os

import pytest

from index.corpus import CorpusError, file_hashes, html_to_text, load_corpus


def test_loads_txt_md_html_recursively_with_sidecar(make_corpus):
    root = make_corpus({
        "a.txt": "First line title\n\nBody of a.",
        "sub/b.md": "# Heading\n\nBody of b.",
        "sub/deeper/c.html": "<html><head><title>C page</title></head><body><p>Hello <b>there</b></p>"
                             "<script>alert(1)</script><p>Second</p></body></html>",
        "notes.csv": "ignored,file",
        ".hidden/d.txt": "hidden",
        "sources.json": json.dumps([{"file": "a.txt", "title": "A title", "outlet": "Paper",
                                     "kind": "news", "published": "2015-01", "date_note": "approx"}]),
    })
    corpus = load_corpus(root)
    docs = {d.source: d for d in corpus.documents}
    assert sorted(docs) == ["a.txt", "sub/b.md", "sub/deeper/c.html"]
    assert docs["a.txt"].title == "A title" and docs["a.txt"].outlet == "Paper"
    assert docs["a.txt"].extra == {"date_note": "approx"}
    assert docs["sub/b.md"].title == "# Heading" and docs["sub/b.md"].outlet is None
    assert docs["sub/deeper/c.html"].title == "C page"
    assert docs["sub/deeper/c.html"].text == "Hello there\n\nSecond"
    assert "sources.json" in corpus.hashes()


def test_bad_files_are_skipped_with_named_reasons(make_corpus):
    root = make_corpus({
        "good.txt": "Fine text.",
        "latin1.txt": "caf\xe9".encode("latin-1"),
        "binary.txt": b"\x89PNG\x00\x00\x01",
        "empty.md": "",
        "blank.txt": "   \n\n ",
        "script-only.html": "<html><body><script>x()</script></body></html>",
    })
    corpus = load_corpus(root)
    assert [d.source for d in corpus.documents] == ["good.txt"]
    reasons = {s.source: s.reason for s in corpus.skipped}
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "empty" in reasons["empty.md"] and "empty" in reasons["blank.txt"]
    assert "empty" in reasons["script-only.html"]


def test_missing_empty_and_unusable_corpus_are_errors_naming_the_folder(tmp_path, make_corpus):
    with pytest.raises(CorpusError, match="does not exist: .*nowhere"):
        load_corpus(tmp_path / "nowhere")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(CorpusError, match="not a folder"):
        load_corpus(tmp_path / "file.txt")
    empty = make_corpus({}, name="empty")
    with pytest.raises(CorpusError, match="no usable documents in corpus folder .*empty"):
        load_corpus(empty)
    only_bad = make_corpus({"x.txt": b"\xff\xfe\x00"}, name="bad")
    with pytest.raises(CorpusError, match="skipped x.txt"):
        load_corpus(only_bad)


def test_malformed_sidecar_is_an_error(make_corpus):
    root = make_corpus({"a.txt": "text", "sources.json": "{not json"})
    with pytest.raises(CorpusError, match="sources.json"):
        load_corpus(root)
    root = make_corpus({"a.txt": "text", "sources.json": json.dumps({"file": "a.txt"})}, name="c2")
    with pytest.raises(CorpusError, match="list of objects"):
        load_corpus(root)


def test_file_hashes_change_with_bytes(make_corpus):
    root = make_corpus({"a.txt": "one"})
    before = file_hashes(root)
    (root / "a.txt").write_text("two")
    assert file_hashes(root)["a.txt"] != before["a.txt"]


def test_html_entities_decode_and_markup_is_dropped():
    text, title = html_to_text("<p>Fish &amp; chips &lt;b&gt;</p><style>p{}</style><ul><li>one</li><li>two</li></ul>")
    assert text == "Fish & chips <b>\n\none\n\ntwo"
    assert title is None


def test_default_corpus_loads_all_five(corpus_dir):
    corpus = load_corpus(corpus_dir)
    assert len(corpus.documents) == 5 and not corpus.skipped
    assert all(d.outlet and d.published for d in corpus.documents)


def test_a_file_name_that_is_not_utf8_is_skipped_by_name(make_corpus):
    root = make_corpus({"good.txt": "Fine text."})
    with open(os.path.join(os.fsencode(root), b"bad-\xff.txt"), "wb") as f:
        f.write(b"Readable content.")
    corpus = load_corpus(root)
    assert [d.source for d in corpus.documents] == ["good.txt"]
    assert [(s.source, s.reason) for s in corpus.skipped] == [("bad-\ufffd.txt", "file name is not valid UTF-8")]
