"""The product on the default corpus with the real all-MiniLM-L6-v2 model.

Includes the retrieval regression gate: hybrid must not drop below eval/recorded.json.
"""

from __future__ import annotations

import json

import pytest

from eval.__main__ import RECORDED, build_searchers
from eval.metrics import METRICS
from eval.questions import load_questions
from eval.runner import run_retriever
from index.build import build_in_memory
from index.corpus import load_corpus
from index.settings import ChunkSettings
from retrieval.searcher import Searcher, SearchSettings


@pytest.fixture(scope="module")
def corpus(corpus_dir):
    return load_corpus(corpus_dir)


@pytest.fixture(scope="module")
def product_searcher(corpus, real_encoder):
    return Searcher(build_in_memory(corpus, real_encoder, ChunkSettings()), real_encoder, SearchSettings())


def test_real_encoder_gives_unit_vectors(real_encoder):
    v = real_encoder.encode(["grave concerns about hospital-led care", "mansion tax"])
    assert v.shape == (2, 384) and v.dtype.name == "float32"
    assert abs(float((v * v).sum(axis=1).max()) - 1.0) < 1e-5
    assert float(v[0] @ v[1]) < 0.5


def test_who_opposed_finds_the_rcgp_and_national_voices(product_searcher):
    hits = product_searcher.search("who opposed hospital-led integrated care organisations?", top_k=5)
    texts = [h.text for h in hits]
    assert any("Royal College of General Practitioners" in t and "grave concerns" in t for t in texts)
    assert any("National Voices has raised concerns" in t or "Don Redding" in t for t in texts)


def test_home_care_funding_question(product_searcher):
    hits = product_searcher.search("How will Labour pay for the new home care workers?", top_k=5)
    assert any("mansion tax" in h.text for h in hits)


def test_retrieval_does_not_regress_below_the_recorded_numbers(corpus, real_encoder):
    recorded = json.loads(RECORDED.read_text())
    settings = ChunkSettings(**recorded["chunking"])
    search = SearchSettings(**recorded["search"])
    assert settings == ChunkSettings() and search == SearchSettings(), (
        "the product's defaults differ from what eval/recorded.json was measured with: "
        "run `python -m eval --record` and commit the new numbers")
    questions = load_questions(corpus)
    searcher = build_searchers(["hybrid"], corpus, real_encoder, settings, search)["hybrid"]
    result = run_retriever("hybrid", searcher, questions)
    tol = recorded["tolerance"]
    for metric in METRICS:
        assert result.metrics[metric] >= recorded["hybrid"][metric] - tol, (
            f"{metric} fell to {result.metrics[metric]:.3f} from {recorded['hybrid'][metric]:.3f}")
    assert result.chars_top5 <= recorded["hybrid"]["chars@5"] * 1.05


def test_every_eval_answer_cites_exact_source_spans(corpus, product_searcher):
    """All 107 eval questions through the answer composer: every citation, and every quoted
    span in the answer's markdown, must be the source text at its offsets."""
    from eval.answers import verify_answer
    from retrieval.answer import Answerer

    answerer = Answerer(product_searcher)
    texts = {d.source: d.text for d in corpus.documents}
    problems = []
    cited = 0
    for q in load_questions(corpus):
        answer = answerer.ask(q.question)
        cited += len(answer.citations)
        problems += [f"{q.id}: {p}" for p in verify_answer(answer, texts)]
    assert problems == []
    assert cited > 150  # the questions were answered, not all abstained


def test_who_answer_lines_quote_only_the_stance_they_are_headed_by(corpus, product_searcher):
    """'— opposes: “…” [1]; also “…” [2]': every quote on an actor's line has that line's
    stance, so a 'mixed' remark never stands as further proof of opposition."""
    import re

    from retrieval.answer import Answerer

    answerer = Answerer(product_searcher)
    checked = 0
    for q in load_questions(corpus):
        answer = answerer.ask(q.question)
        if answer.mode != "who":
            continue
        for line in answer.answer.splitlines():
            m = re.match(r"- \*\*.+?\*\* — (supports|opposes|mixed|neutral): (.*)$", line)
            if not m:
                continue
            numbers = [int(n) for n in re.findall(r"\[(\d+)\]", m.group(2))]
            assert numbers, line
            stances = {answer.citations[n - 1].stance for n in numbers}
            assert stances == {m.group(1)}, (q.id, line, stances)
            checked += len(numbers)
    assert checked > 20
