from __future__ import annotations

from index.build import build_in_memory
from index.corpus import load_corpus
from index.settings import ChunkSettings
from retrieval.query import plan_query
from retrieval.searcher import Searcher, SearchSettings
from tests.fakes import FakeEncoder


def test_stance_who_questions_are_widened():
    plan = plan_query("Who opposed hospital-led integrated care organisations?")
    assert plan.intent == "oppose" and plan.proposition == "hospital-led integrated care organisations"
    assert "concerns" in plan.lexical and plan.lexical.startswith(plan.question)
    assert plan.dense[0] == plan.question
    assert "concerns about hospital-led integrated care organisations" in plan.dense
    assert plan.max_per_section == 2
    assert plan_query("Who has welcomed the plan?").intent == "support"


def test_other_questions_are_left_alone():
    for q in ("How will Labour pay for home care?", "Who was appointed chair?", "whom did he thank"):
        plan = plan_query(q)
        assert plan.dense == (q,) and plan.lexical == q
    assert plan_query("Who was appointed chair?").intent == "who"


def test_dense_score_is_the_best_over_the_plans_queries(make_corpus):
    root = make_corpus({"a.txt": "alpha beta", "b.txt": "gamma delta", "c.txt": "epsilon"})
    idx = build_in_memory(load_corpus(root), FakeEncoder(), ChunkSettings())
    searcher = Searcher(idx, FakeEncoder(), SearchSettings(mode="dense"))
    vectors = FakeEncoder().encode(["alpha beta", "gamma delta"])
    ranking = searcher.dense_ranking(vectors, 3)
    by_source = {idx.passages[pid].source: score for pid, score in ranking}
    assert abs(by_source["a.txt"] - 1.0) < 1e-5
    assert abs(by_source["b.txt"] - 1.0) < 1e-5
    assert by_source.get("c.txt", 0.0) < 0.5


def test_who_questions_spread_over_sections(make_corpus):
    entries = "".join(f"{h}.{m:02d}pm The college opposed the plan, item {m}.\n\nMore opposition {m}.\n\n"
                      for h, m in [(5, 20), (4, 30), (3, 10)])
    root = make_corpus({"blog.txt": entries})
    idx = build_in_memory(load_corpus(root), FakeEncoder(), ChunkSettings(40, 0))
    searcher = Searcher(idx, FakeEncoder(), SearchSettings())
    hits = searcher.search("Who opposed the plan?", top_k=6)
    per_section = {}
    for h in hits:
        per_section[h.metadata["section_start"]] = per_section.get(h.metadata["section_start"], 0) + 1
    assert max(per_section.values()) <= 2 and len(per_section) == 3


def test_an_article_body_is_not_capped_like_a_live_blog_entry(make_corpus):
    """Who-questions spread over live-blog entries and comments; an article without them is one
    long section quoting many actors in turn, and all its passages may rank."""
    body = "".join(f"Critic {n} opposed the plan, saying the plan is costly, item {n}.\n\n" for n in range(6))
    root = make_corpus({"article.txt": "The plan\n\n" + body})
    idx = build_in_memory(load_corpus(root), FakeEncoder(), ChunkSettings(60, 0))
    hits = Searcher(idx, FakeEncoder(), SearchSettings()).search("Who opposed the plan?", top_k=6)
    assert len({h.start for h in hits}) >= 4
