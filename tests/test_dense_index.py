"""The dense index chosen by corpus size, and the scale benchmark's code on a tiny corpus."""

from __future__ import annotations

import json

import faiss
import numpy as np
import pytest

from eval.scale import main as scale_main
from eval.scale import recall_at_10, synthetic_texts, synthetic_vectors
from index.build import build_in_memory, build_index
from index.corpus import load_corpus
from index.dense import all_vectors, choose_kind, describe, make_dense_index
from index.settings import ChunkSettings, DenseSettings
from index.store import read_index
from retrieval.searcher import Searcher, SearchSettings
from tests.fakes import FakeEncoder

N = 2000


@pytest.fixture(scope="module")
def data():
    vectors = synthetic_vectors(N + 50, seed=3)
    return vectors[:N], np.ascontiguousarray(vectors[N:])


@pytest.fixture(scope="module")
def truth(data):
    vectors, queries = data
    return np.argsort(-(queries @ vectors.T), axis=1)[:, :10]


def test_auto_is_flat_below_the_threshold_and_ivf_from_it():
    s = DenseSettings(ann_threshold=1000)
    assert [choose_kind(n, s) for n in (0, 999, 1000, 10**6)] == ["flat", "flat", "ivf", "ivf"]
    assert choose_kind(10, DenseSettings(kind="hnsw")) == "hnsw"
    assert choose_kind(DenseSettings().ann_threshold - 1) == "flat"


@pytest.mark.parametrize("kind", ["flat", "hnsw", "ivf"])
def test_each_kind_finds_the_exact_neighbours(data, truth, kind):
    vectors, queries = data
    index = make_dense_index(vectors, DenseSettings(), kind)  # the product's search depths
    assert index.ntotal == N and describe(index)["kind"] == kind
    _, found = index.search(queries, 50)
    assert recall_at_10(truth, found) >= (1.0 if kind == "flat" else 0.95)


def test_a_written_index_keeps_its_type_and_search_depth(data, tmp_path):
    vectors, _ = data
    for kind, field, value in (("hnsw", "ef_search", 77), ("ivf", "nprobe", 9)):
        settings = DenseSettings(ef_search=77, ivf_lists=45, ivf_probe_factor=9 / 45 ** 0.5)
        index = make_dense_index(vectors, settings, kind)
        faiss.write_index(index, str(tmp_path / f"{kind}.faiss"))
        loaded = faiss.read_index(str(tmp_path / f"{kind}.faiss"))
        assert describe(loaded)[field] == value and describe(loaded)["kind"] == kind


def test_all_vectors_returns_the_stored_vectors(data):
    vectors, _ = data
    assert np.array_equal(all_vectors(make_dense_index(vectors, kind="flat")), vectors)
    for kind in ("hnsw", "ivf"):
        decoded = all_vectors(make_dense_index(vectors, kind=kind))
        assert decoded.shape == vectors.shape and np.abs(decoded - vectors).max() < 0.02


def test_bad_dense_settings_are_refused():
    for bad in (dict(kind="lsh"), dict(ann_threshold=0), dict(ivf_probe_factor=0.0), dict(ef_search=0)):
        with pytest.raises(ValueError):
            DenseSettings(**bad)


def test_the_searcher_works_over_an_ann_index_and_the_manifest_says_which(make_corpus, tmp_path):
    docs = {f"d{i}.txt": f"Title {i}\n\n" + " ".join(f"word{i}x{j} care plan" for j in range(60))
            for i in range(6)}
    docs["target.txt"] = "Target\n\nThe college has grave concerns about hospital-led integrated care."
    corpus_dir = make_corpus(docs)
    enc = FakeEncoder()
    report = build_index(corpus_dir, tmp_path / "index", enc, ChunkSettings(120, 20),
                         dense=DenseSettings(ann_threshold=10))
    idx = read_index(tmp_path / "index")
    assert report.passages >= 10 and idx.manifest["dense"]["kind"] == "ivf"
    assert type(idx.dense).__name__ == "IndexIVFScalarQuantizer"
    hits = Searcher(idx, enc, SearchSettings(mode="dense")).search("grave concerns hospital-led", 3)
    assert hits[0].source == "target.txt"
    flat = build_in_memory(load_corpus(corpus_dir), enc, ChunkSettings(120, 20))
    assert flat.manifest["dense"]["kind"] == "flat"


def test_recall_at_10_counts_shared_ids():
    exact = np.array([list(range(10)), list(range(10, 20))])
    found = np.array([list(range(5)) + [99] * 5 + [5, 6], list(range(10, 20)) + [0, 1]])
    assert recall_at_10(exact, found) == pytest.approx((0.5 + 1.0) / 2)


def test_synthetic_data_is_unit_length_and_has_structure():
    v = synthetic_vectors(3000, seed=1)
    assert v.dtype == np.float32 and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    sims = v[:500] @ v[500:].T
    # Nearest neighbours clearly nearer than average (unlike uniform random vectors).
    assert sims.max(axis=1).mean() > sims.mean() + 0.3
    texts = synthetic_texts(50, seed=1)
    assert len(texts) == 50 and all(len(t.split()) == 80 for t in texts)


def test_scale_benchmark_runs_on_a_tiny_corpus(tmp_path, capsys):
    out = tmp_path / "scale.json"
    assert scale_main(["--sizes", "2000", "--queries", "20", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    kinds = {row["kind"] for row in report["dense"]}
    assert kinds == {"flat", "hnsw", "ivf"}
    flat = next(r for r in report["dense"] if r["kind"] == "flat")
    assert flat["recall_at_10"] == 1.0 and flat["size_mib"] > 0 and flat["p50_ms"] > 0
    assert report["bm25"][0]["n"] == 2000
    assert "recall@10" in capsys.readouterr().out
    assert scale_main(["--sizes", "10"]) == 2
