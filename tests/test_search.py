from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.build import build_in_memory
from index.corpus import load_corpus
from index.lexical import bm25_scores, build_bm25
from index.settings import ChunkSettings
from index.store import flat_ip_index
from retrieval.fusion import rrf, top_k, weighted
from retrieval.question import MAX_QUESTION_CHARS, QuestionError, clean_question
from retrieval.searcher import Searcher, SearchSettings
from tests.fakes import FakeEncoder


def test_faiss_agrees_with_brute_force_numpy():
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(500, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    queries = rng.normal(size=(20, 32)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    index = flat_ip_index(vectors)
    scores, ids = index.search(queries, 10)
    brute = queries @ vectors.T
    expected = np.argsort(-brute, axis=1)[:, :10]
    np.testing.assert_array_equal(ids, expected)
    np.testing.assert_allclose(scores, np.take_along_axis(brute, expected, axis=1), rtol=1e-5)


def test_bm25_ranks_the_passage_with_the_rare_term_first():
    texts = ["The mansion tax would pay for carers.", "Carers need support at home.",
             "Tobacco firms face a levy.", "Nothing relevant here at all."]
    model = build_bm25(texts)
    scores = bm25_scores(model, "What about the mansion tax?")
    assert int(np.argmax(scores)) == 0 and scores[3] == 0
    # Stemming and curly apostrophes: "levies" / "firm’s" still match.
    assert int(np.argmax(bm25_scores(model, "levies on tobacco firm’s profits"))) == 2
    assert not bm25_scores(model, "zzzz qqqq").any()


def test_rrf_and_weighted_fusion():
    dense = [(1, 0.9), (2, 0.8), (3, 0.1)]
    lexical = [(2, 12.0), (4, 5.0)]
    fused = rrf([dense, lexical], k=60)
    assert [pid for pid, _ in fused] == [2, 1, 4, 3]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)
    w = weighted([dense, lexical], [0.5, 0.5])
    assert [pid for pid, _ in w][0] == 2 and dict(w)[4] == pytest.approx(0.0)
    assert rrf([[], []]) == []


@given(st.lists(st.floats(-5, 5, allow_nan=False), min_size=0, max_size=50), st.integers(0, 60))
def test_top_k_matches_a_full_sort(values, k):
    scores = np.array(values, dtype=np.float32)
    got = top_k(scores, k, positive_only=False)
    order = sorted(range(len(values)), key=lambda i: (-scores[i], i))[: min(k, len(values))]
    assert [i for i, _ in got] == order


@given(st.lists(st.sampled_from([0.0, 0.0, 0.0, 1.5, 2.0, 0.25, -1.0]), min_size=0, max_size=60),
       st.integers(0, 70))
def test_top_k_positive_only_matches_a_full_sort_of_the_positive_scores(values, k):
    """BM25's case: mostly zeros, many ties; zeros and negatives never come back."""
    scores = np.array(values, dtype=np.float32)
    got = top_k(scores, k)
    order = sorted((i for i in range(len(values)) if scores[i] > 0), key=lambda i: (-scores[i], i))[:max(k, 0)]
    assert [i for i, _ in got] == order
    assert all(score == scores[i] for i, score in got)


@pytest.mark.parametrize("bad", ["", "   \n\t ", "\x00\x01", None, 42, "x" * (MAX_QUESTION_CHARS + 1)])
def test_bad_questions_are_refused_with_a_reason(bad):
    with pytest.raises(QuestionError):
        clean_question(bad)


def test_questions_are_normalised():
    assert clean_question("  who\x00 said\n\n it?  ") == "who said it?"
    assert clean_question("caf\udcff \ud800?") == "caf\ufffd \ufffd?"


@pytest.fixture(scope="module")
def fake_searcher_index(corpus_dir):
    return build_in_memory(load_corpus(corpus_dir), FakeEncoder(), ChunkSettings())


@pytest.mark.parametrize("mode", ["hybrid", "bm25", "dense"])
def test_searcher_returns_ranked_exact_hits(fake_searcher_index, corpus_dir, mode):
    searcher = Searcher(fake_searcher_index, FakeEncoder(), SearchSettings(mode=mode))
    hits = searcher.search("mansion tax tobacco levy", top_k=5)
    # BM25 returns only passages sharing a term with the question; the others fill all five.
    assert len(hits) == 5 or (mode == "bm25" and 1 <= len(hits) < 5)
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:]))
    corpus = {d.source: d.text for d in load_corpus(corpus_dir).documents}
    for h in hits:
        assert corpus[h.source][h.start:h.end] == h.text
        assert h.title and h.outlet and h.published
    assert "mansion tax" in hits[0].text


def test_searcher_refuses_an_encoder_of_the_wrong_size(fake_searcher_index):
    with pytest.raises(ValueError, match="dimension"):
        Searcher(fake_searcher_index, FakeEncoder(dim=8))


def test_search_settings_are_validated():
    with pytest.raises(ValueError):
        SearchSettings(mode="magic")
    with pytest.raises(ValueError):
        SearchSettings(dense_weight=2.0)
