"""Rebuilding a built index embeds only new or changed files."""

from __future__ import annotations

import numpy as np
import pytest

from index.build import build_index, ensure_index
from index.settings import ChunkSettings
from index.store import read_index
from retrieval.searcher import Searcher, SearchSettings
from tests.fakes import FakeEncoder

SETTINGS = ChunkSettings(120, 20)
DOCS = {
    "a.txt": "Alpha\n\n" + "The college has grave concerns about hospital-led plans. " * 6,
    "b.txt": "Beta\n\n" + "The charity welcomed much of the speech on care at home. " * 6,
    "c.txt": "Gamma\n\n" + "Labour will pay for home care workers with a mansion tax. " * 6,
}
NEW = "Delta\n\n" + "Councils warned that social care budgets were already stretched. " * 6


class RecordingEncoder(FakeEncoder):
    """FakeEncoder that remembers every text it was asked to encode."""

    def __init__(self, model_id: str = "fake-bow@1"):
        super().__init__(model_id=model_id)
        self.texts: list[str] = []

    def encode(self, texts):
        self.texts.extend(texts)
        return super().encode(texts)


@pytest.fixture
def corpus(make_corpus, tmp_path):
    root = make_corpus(DOCS)
    build_index(root, tmp_path / "index", FakeEncoder(), SETTINGS)
    return root


def _rebuild(corpus, index_dir, enc, **kw):
    return ensure_index(corpus, index_dir, SETTINGS, enc.model_id, lambda: enc, log=lambda m: None, **kw)


def test_adding_a_document_embeds_only_that_document(corpus, tmp_path):
    index_dir = tmp_path / "index"
    (corpus / "d.txt").write_text(NEW, encoding="utf-8")
    enc = RecordingEncoder()
    report = _rebuild(corpus, index_dir, enc)
    idx = read_index(index_dir)
    new_passages = [p for p in idx.passages if p.source == "d.txt"]
    assert new_passages and sorted(enc.texts) == sorted(p.text for p in new_passages)
    assert report.embedding.embedded == len(new_passages)
    assert report.embedding.reused == len(idx.passages) - len(new_passages)
    assert report.embedding.embedded_sources == ("d.txt",)
    assert idx.manifest["embedding"]["embedded_sources"] == ["d.txt"]
    # The result is the index a full rebuild makes: same passages, same vectors, same answers.
    full_dir = tmp_path / "full"
    build_index(corpus, full_dir, FakeEncoder(), SETTINGS, reuse=False)
    full = read_index(full_dir)
    assert [p.to_json() for p in full.passages] == [p.to_json() for p in idx.passages]
    np.testing.assert_allclose(idx.dense.reconstruct_n(0, idx.dense.ntotal),
                               full.dense.reconstruct_n(0, full.dense.ntotal), atol=1e-6)
    q = "social care budgets stretched"
    got = [h.passage_id for h in Searcher(idx, enc, SearchSettings()).search(q, 5)]
    want = [h.passage_id for h in Searcher(full, enc, SearchSettings()).search(q, 5)]
    assert got == want and idx.passages[got[0]].source == "d.txt"


def test_a_changed_document_is_embedded_again_and_a_removed_one_not_at_all(corpus, tmp_path):
    index_dir = tmp_path / "index"
    (corpus / "b.txt").write_text(DOCS["b.txt"] + "It called the plan a good start.", encoding="utf-8")
    (corpus / "c.txt").unlink()
    enc = RecordingEncoder()
    report = _rebuild(corpus, index_dir, enc)
    idx = read_index(index_dir)
    assert {p.source for p in idx.passages} == {"a.txt", "b.txt"}
    assert report.embedding.embedded_sources == ("b.txt",)
    assert enc.texts and set(enc.texts) <= {p.text for p in idx.passages if p.source == "b.txt"}
    assert not any("grave concerns" in t for t in enc.texts)


def test_force_and_another_model_embed_everything(corpus, tmp_path):
    index_dir = tmp_path / "index"
    enc = RecordingEncoder()
    report = _rebuild(corpus, index_dir, enc, force=True)
    assert report.embedding.reused == 0 and len(enc.texts) == report.passages
    other = RecordingEncoder(model_id="fake-bow@2")
    report = _rebuild(corpus, index_dir, other)
    assert report.embedding.reused == 0 and len(other.texts) == report.passages
    assert read_index(index_dir).manifest["model"]["id"] == "fake-bow@2"


def test_switching_dense_context_re_embeds_what_changed(corpus, tmp_path):
    index_dir = tmp_path / "index"
    enc = RecordingEncoder()
    settings = ChunkSettings(120, 20, dense_context=True)
    report = ensure_index(corpus, index_dir, settings, enc.model_id, lambda: enc, log=lambda m: None)
    assert report.embedding.reused == 0 and all("\n" in t for t in enc.texts)


def test_a_broken_previous_index_means_a_full_build_not_an_error(corpus, tmp_path):
    index_dir = tmp_path / "index"
    (read_index(index_dir).path / "dense.faiss").write_bytes(b"not faiss")
    (corpus / "d.txt").write_text(NEW, encoding="utf-8")
    enc = RecordingEncoder()
    report = _rebuild(corpus, index_dir, enc)
    assert report.embedding.reused == 0 and len(enc.texts) == report.passages
    assert read_index(index_dir).dense.ntotal == report.passages


def test_a_rebuild_parses_only_new_and_changed_documents(corpus, tmp_path):
    """Attribution results of unchanged files come from the previous version's
    attributions.jsonl; only the new file is parsed (a fresh Attributor: nothing cached)."""
    from index.attribution import Attributor
    from index.store import ATTRIBUTIONS

    index_dir = tmp_path / "index"
    first = read_index(index_dir)
    assert (first.path / ATTRIBUTIONS).is_file()
    assert first.manifest["attribution"]["parsed"] == 3
    (corpus / "d.txt").write_text(NEW, encoding="utf-8")
    (corpus / "b.txt").write_text(DOCS["b.txt"] + " The union said it would strike.", encoding="utf-8")
    attributor = Attributor(cache=0)
    build_index(corpus, index_dir, FakeEncoder(), SETTINGS, attributor=attributor)
    again = read_index(index_dir)
    assert attributor.parsed == 2  # b.txt (changed) and d.txt (new)
    assert again.manifest["attribution"]["parsed"] == 2 and again.manifest["attribution"]["reused"] == 2
    fresh = build_index(corpus, tmp_path / "fresh", FakeEncoder(), SETTINGS, attributor=Attributor(cache=0))
    assert [p.meta["attributions"] for p in read_index(tmp_path / "fresh").passages] == \
        [p.meta["attributions"] for p in again.passages]
    assert fresh.passages == len(again.passages)
