"""The benchmark's arithmetic and table, and the query-embedding cache it measures."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from eval.bench import PRODUCT, RECIPE, format_table, measure_levers, percentiles, table_rows
from index.build import build_in_memory
from index.corpus import load_corpus
from index.settings import ChunkSettings
from retrieval.answer import Answerer
from retrieval.cache import CachedEncoder
from retrieval.searcher import Searcher, SearchSettings
from tests.fakes import FakeEncoder


def test_cached_encoder_returns_the_same_vectors_and_encodes_each_text_once():
    inner = FakeEncoder()
    cached = CachedEncoder(inner, size=10)
    first = cached.encode(["grave concerns", "mansion tax"])
    again = cached.encode(["mansion tax", "grave concerns", "new words"])
    np.testing.assert_array_equal(again[:2], first[::-1])
    np.testing.assert_array_equal(again, inner.encode(["mansion tax", "grave concerns", "new words"]))
    assert cached.hits == 2 and cached.misses == 3
    # A caller changing the returned array cannot change what is cached.
    again[:] = 0
    assert cached.encode(["mansion tax"]).any()


def test_cached_encoder_forgets_the_least_recently_used():
    inner = FakeEncoder()
    cached = CachedEncoder(inner, size=2)
    cached.encode(["a"])
    cached.encode(["b"])
    cached.encode(["a"])  # a is now more recent than b
    cached.encode(["c"])  # evicts b
    calls = inner.calls
    cached.encode(["a"])
    cached.encode(["c"])
    assert inner.calls == calls
    cached.encode(["b"])
    assert inner.calls == calls + 1 and len(cached) == 2


def test_cached_encoder_leaves_big_batches_and_long_texts_alone():
    cached = CachedEncoder(FakeEncoder(), size=100, max_chars=20, max_batch=3)
    cached.encode([f"passage {i}" for i in range(10)])
    cached.encode(["x" * 50])
    assert len(cached) == 0
    cached.encode(["short question"])
    assert len(cached) == 1
    with pytest.raises(ValueError):
        CachedEncoder(FakeEncoder(), size=0)


def test_cached_encoder_is_safe_across_threads():
    inner = FakeEncoder()
    cached = CachedEncoder(inner, size=8)
    texts = [f"question {i % 12}" for i in range(400)]
    results: dict[int, np.ndarray] = {}

    def work(offset: int) -> None:
        for i in range(offset, len(texts), 4):
            results[i] = cached.encode([texts[i]])[0]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = inner.encode(texts)
    assert all(np.array_equal(results[i], expected[i]) for i in range(len(texts)))
    assert len(cached) <= 8


def test_percentiles():
    p = percentiles([float(x) for x in range(1, 101)])
    assert p["n"] == 100 and p["p50"] == pytest.approx(50.5) and p["p95"] == pytest.approx(95.05)
    assert p["p99"] == pytest.approx(99.01)


def _report() -> dict:
    lat = {"search": {"p50": 20.0, "p95": 40.0, "p99": 50.0}, "ask": {"p50": 30.0, "p95": 60.0, "p99": 90.0}}
    fast = {"search": {"p50": 4.0, "p95": 8.0, "p99": 10.0}, "ask": {"p50": 6.0, "p95": 12.0, "p99": 30.0}}
    return {
        "build": {RECIPE: {"passages_per_s": 50.0, "chars_per_s": 40000.0, "peak_rss_mib": 900.0,
                           "first_passages_per_s": 40.0},
                  PRODUCT: {"passages_per_s": 200.0, "chars_per_s": 80000.0, "peak_rss_mib": 300.0,
                            "first_passages_per_s": 120.0}},
        "cold": {RECIPE: {"wall_s": 12.0, "first_answer_s": 0.5, "load_s": 9.0, "peak_rss_mib": 700.0},
                 PRODUCT: {"wall_s": 2.0, "first_answer_s": 0.1, "load_s": 1.0, "peak_rss_mib": 250.0}},
        "warm": {RECIPE: lat, PRODUCT: fast},
        "quality": {RECIPE: 0.64, PRODUCT: 0.72},
    }


def test_table_ratios_say_how_many_times_better_the_product_is():
    rows = {(label, unit): (recipe, product) for label, recipe, product, unit, _ in table_rows(_report())}
    assert rows[("index build throughput", "passages/s")] == (50.0, 200.0)
    assert rows[("  first build in a new process", "passages/s")] == (40.0, 120.0)
    assert not any("copies" in label for label, _ in rows)  # no large build in this report
    report = {**_report(), "build_large": {RECIPE: {"passages_per_s": 30.0, "copies": 10},
                                           PRODUCT: {"passages_per_s": 180.0, "copies": 10}}}
    rows = {(label, unit): (recipe, product) for label, recipe, product, unit, _ in table_rows(report)}
    assert rows[("  10 copies of the corpus", "passages/s")] == (30.0, 180.0)
    text = format_table(_report())
    line = next(l for l in text.splitlines() if l.startswith("warm ask p50"))
    assert line.split()[-1] == "5.00x"  # 30 ms against 6 ms
    line = next(l for l in text.splitlines() if "passages/s" in l)
    assert line.split()[-1] == "4.00x"  # 200/s against 50/s
    line = next(l for l in text.splitlines() if l.startswith("MRR@10"))
    assert line.split()[-1] == "1.12x"
    assert "POST /api/ask" not in text  # no API figures in this report, no API rows


def test_measure_levers_compares_cache_and_threads_on_the_same_questions(corpus_dir):
    enc = FakeEncoder()
    index = build_in_memory(load_corpus(corpus_dir), enc, ChunkSettings())
    searcher = Searcher(index, enc, SearchSettings())
    questions = ["Who opposed hospital-led integrated care organisations?", "What is the mansion tax for?"]
    out = measure_levers((searcher, Answerer(searcher)), questions, repeats=2, log=lambda m: None)
    assert set(out) == {"plain", "query cache (repeats)", "FAISS 1 thread"}
    assert all(out[v][op]["n"] == 4 and out[v][op]["p50"] > 0 for v in out for op in ("search", "ask"))


def test_open_searcher_caches_questions_unless_told_not_to(corpus_dir, tmp_path):
    """The product caches question vectors; the benchmark's warm passes, which repeat every
    question, open it with the cache off so that they time real searches."""
    from retrieval.loader import Paths, open_searcher

    enc = FakeEncoder()
    paths = Paths(corpus_dir, tmp_path / "index")
    cached = open_searcher(paths, encoder=enc, log=lambda m: None)
    assert isinstance(cached.encoder, CachedEncoder) and cached.encoder.size == 512
    cached.search("Who opposed hospital-led integrated care organisations?", 3)
    cached.search("Who opposed hospital-led integrated care organisations?", 3)
    assert cached.encoder.hits >= 1
    plain = open_searcher(paths, encoder=enc, log=lambda m: None, query_cache=0)
    assert plain.encoder is enc


def test_wait_for_polls_until_the_probe_holds_and_stops_when_the_server_dies():
    import subprocess
    import sys
    import time

    from eval.bench import _wait_for

    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                             stderr=subprocess.PIPE, text=True)
    try:
        calls = []
        t0 = time.perf_counter()
        waited = _wait_for(alive, t0, "never", lambda: calls.append(1) or len(calls) == 3)
        assert len(calls) == 3 and waited > 0
        with pytest.raises(RuntimeError, match="gave up within 0.1 s"):
            _wait_for(alive, time.perf_counter(), "gave up", lambda: False, timeout=0.1)
    finally:
        alive.kill()
        alive.wait()
    dead = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit('boom')"],
                            stderr=subprocess.PIPE, text=True)
    dead.wait()
    with pytest.raises(RuntimeError, match="server exited.*boom"):
        _wait_for(dead, time.perf_counter(), "never", lambda: True)
