from __future__ import annotations

import json

import numpy as np
import pytest

from index.build import build_index, ensure_index, stale_reasons
from index.chunking import CHUNKER_VERSION
from index.settings import ChunkSettings
from index.store import IndexCorrupt, IndexMissing, IndexStale, read_index, read_manifest
from tests.fakes import FakeEncoder

DOCS = {
    "a.txt": "Alpha article\n\nThe college has grave concerns about hospital-led plans.",
    "b.txt": "Beta post\n\nThe charity welcomed much of the speech on care at home.",
}


@pytest.fixture
def built(make_corpus, tmp_path):
    corpus = make_corpus(DOCS)
    index_dir = tmp_path / "var" / "index"
    report = build_index(corpus, index_dir, FakeEncoder(), ChunkSettings(200, 20))
    return corpus, index_dir, report


def test_round_trip_keeps_passages_vectors_and_bm25(built):
    corpus, index_dir, report = built
    idx = read_index(index_dir)
    assert report.passages == len(idx.passages) == idx.dense.ntotal == idx.manifest["counts"]["passages"]
    assert idx.manifest["model"] == {"id": "fake-bow@1", "dim": 256, "normalised": True}
    assert set(idx.manifest["corpus"]["files"]) == set(DOCS)
    assert {"faiss-cpu", "bm25s", "numpy"} <= set(idx.manifest["versions"])
    texts = {k: v for k, v in DOCS.items()}
    for p in idx.passages:
        assert texts[p.source][p.start:p.end] == p.text
    # Stored vectors are the encoder's vectors for the indexed text.
    stored = idx.dense.reconstruct_n(0, idx.dense.ntotal)
    expected = FakeEncoder().encode([p.text for p in idx.passages])  # dense_context is off
    np.testing.assert_allclose(stored, expected, atol=1e-6)
    # The folder holds plain files only, and no pickle.
    names = {p.name for p in idx.path.rglob("*")}
    assert {"manifest.json", "passages.jsonl", "dense.faiss"} <= names
    assert not any(n.endswith((".pkl", ".pickle")) for n in names)


def test_fresh_index_is_not_rebuilt_and_stale_one_is(built):
    corpus, index_dir, _ = built
    enc = FakeEncoder()
    assert ensure_index(corpus, index_dir, ChunkSettings(200, 20), enc.model_id, lambda: enc,
                        log=lambda m: None) is None
    assert enc.calls == 0
    (corpus / "a.txt").write_text(DOCS["a.txt"] + " Changed.", encoding="utf-8")
    (corpus / "c.md").write_text("New doc", encoding="utf-8")
    (corpus / "b.txt").unlink()
    reasons = stale_reasons(read_manifest(index_dir), corpus, ChunkSettings(200, 20), enc.model_id)
    assert reasons == ["added since the build: c.md", "removed since the build: b.txt",
                       "changed since the build: a.txt"]
    with pytest.raises(IndexStale, match="c.md"):
        ensure_index(corpus, index_dir, ChunkSettings(200, 20), enc.model_id, lambda: enc, rebuild=False)
    messages = []
    report = ensure_index(corpus, index_dir, ChunkSettings(200, 20), enc.model_id, lambda: enc,
                          log=messages.append)
    assert report is not None and "rebuilding" in messages[0]
    assert {p.source for p in read_index(index_dir).passages} == {"a.txt", "c.md"}


def test_settings_and_model_changes_make_the_index_stale(built):
    corpus, index_dir, _ = built
    manifest = read_manifest(index_dir)
    assert stale_reasons(manifest, corpus, ChunkSettings(200, 20), "fake-bow@1") == []
    assert "chunking settings changed" in stale_reasons(manifest, corpus, ChunkSettings(300, 20), "fake-bow@1")[0]
    assert "model changed" in stale_reasons(manifest, corpus, ChunkSettings(200, 20), "other@2")[0]
    older = {**manifest, "chunking": {**manifest["chunking"], "version": 1}}
    assert stale_reasons(older, corpus, ChunkSettings(200, 20), "fake-bow@1") == [
        f"chunking code changed: version 1 -> {CHUNKER_VERSION}"]


def test_missing_index_is_reported(tmp_path):
    with pytest.raises(IndexMissing, match="python -m index build"):
        read_index(tmp_path / "none")


def test_corrupted_faiss_file(built):
    _, index_dir, _ = built
    (index_dir / "dense.faiss").write_bytes(b"garbage")
    with pytest.raises(IndexCorrupt, match="dense.faiss"):
        read_index(index_dir)


def test_passages_file_missing_lines(built):
    _, index_dir, _ = built
    path = index_dir / "passages.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="disagree on the passage count"):
        read_index(index_dir)
    path.write_text("".join(lines[1:]), encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="holds passage id"):
        read_index(index_dir)


def test_corrupted_manifest(built):
    _, index_dir, _ = built
    (index_dir / "manifest.json").write_text("{", encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="not valid JSON"):
        read_index(index_dir)
    (index_dir / "manifest.json").write_text(json.dumps({"format": 99}), encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="format"):
        read_index(index_dir)


class ExplodingEncoder(FakeEncoder):
    def encode(self, texts):
        raise RuntimeError("killed mid-build")


def test_failed_build_leaves_previous_index_intact(built):
    corpus, index_dir, _ = built
    before = read_index(index_dir)
    (corpus / "a.txt").write_text("Something else entirely.", encoding="utf-8")
    with pytest.raises(RuntimeError, match="killed mid-build"):
        build_index(corpus, index_dir, ExplodingEncoder(), ChunkSettings(200, 20))
    after = read_index(index_dir)
    assert after.path == before.path
    assert [p.text for p in after.passages] == [p.text for p in before.passages]


def test_rebuild_swaps_versions_and_prunes_old_ones(built):
    corpus, index_dir, _ = built
    paths = {read_index(index_dir).path}
    for _ in range(3):
        build_index(corpus, index_dir, FakeEncoder(), ChunkSettings(200, 20))
        paths.add(read_index(index_dir).path)
    assert index_dir.is_symlink() and len(paths) == 4
    versions = [p for p in index_dir.resolve().parent.iterdir() if p.name.startswith("v-")]
    assert len(versions) == 2  # the current one and the one before
