"""The answers section of python -m eval: gold cited over answerable questions, the naive top-3
reference, who-answers' actor recall and wrong-stance share, and the corpus registry."""

from __future__ import annotations

import pytest

from eval.answers import AnswerReport
from eval.corpora import CORPORA, selected
from eval.questions import Question, Span
from eval.who_metrics import ListedActor, actor_matches, evaluate_who, label_names, listed_actors, score_who
from retrieval.answer import Answer, Citation


def cite(n, source="a.txt", start=0, end=10, speaker=None, organisation=None, stance=None):
    return Citation(n, source, None, None, None, start, end, "x" * (end - start), start, end, "x" * (end - start),
                    speaker, organisation, None, stance)


@pytest.mark.parametrize("gold, names", [
    ("G.K. Butterfield", ("Congressional Black Caucus", "G.K. Butterfield")),
    ("Leonard Burman", ("Len Burman",)),  # surname
    ("Clinton campaign", ("Hillary Clinton",)),
    ("Jeff Merkley, Sherrod Brown and Robert Menendez", ("Sherrod Brown",)),
    ("Royal College of General Practitioners", ("RCGP",)),
    ("27 states led by West Virginia", ("West Virginia",)),
    ("Tax Foundation", ("the Tax Foundation",)),
    ("Ed Miliband", ("Brighton Ed Milliband",)),  # a stray word and a misspelt surname
])
def test_gold_actors_are_matched_robustly(gold, names):
    assert actor_matches(gold, ListedActor("", "opposes", names))


@pytest.mark.parametrize("gold, names", [
    ("Tax Foundation", ("Tax Policy Center",)),
    ("Mike Pence", ("Mike Pompeo",)),
    ("Barack Obama", ("Michelle Obama",)),
    ("National Voices", ("National Review",)),
])
def test_other_actors_do_not_match(gold, names):
    assert not actor_matches(gold, ListedActor("", "opposes", names))


def test_label_names():
    assert label_names("Royal College of GPs (Maureen Baker, chair; Ann Bee)") == ["Royal College of GPs", "Maureen Baker",
                                                                                    "Ann Bee"]
    assert label_names("Patricia Hewitt, Trade and Industry Secretary") == ["Patricia Hewitt, Trade and Industry Secretary"]


def who_answer():
    text = ("The sources name 2 actors who opposed the plan:\n\n"
            "- **Federation of Small Shops (Sam Lee, chair)** — opposes: “x” [1]; also “y” [2]\n"
            "- **Cyclists Alliance** — neutral: “z” [3]")
    cites = [cite(1, speaker="Sam Lee", organisation="Federation of Small Shops"), cite(2, start=20, end=30),
             cite(3, start=40, end=50, organisation="Cyclists Alliance")]
    return Answer("Who opposed the plan?", text, cites, False, [], "who", 0.8)


def test_listed_actors_read_back_the_lines():
    listed = listed_actors(who_answer())
    assert [(a.label, a.stance) for a in listed] == [("Federation of Small Shops (Sam Lee, chair)", "opposes"),
                                                     ("Cyclists Alliance", "neutral")]
    assert "Sam Lee" in listed[0].names


def question(gold_actors, stances, qid="q1", text="Who opposed the plan?"):
    gold = tuple(Span("a.txt", i * 100, i * 100 + 10, "x", a, s) for i, (a, s) in enumerate(zip(gold_actors, stances)))
    return Question(qid, text, "who", gold, "the plan")


def test_score_who_recall_and_wrong_stance():
    q = question(["Sam Lee", "Ann Bee"], ["opposes", "opposes"])
    s = score_who(q, who_answer())
    assert s.named == ("Sam Lee",) and s.side == "opposes"
    # Cyclists Alliance: labelled neutral (wrong) and matching no gold actor.
    assert s.wrong == ("Cyclists Alliance",) and s.unmatched == ("Cyclists Alliance",)
    report = evaluate_who([q], {"q1": who_answer()})
    assert report.recall == 0.5 and report.wrong_strict == 0.5 and report.wrong_matched == 0.0


def test_gold_cited_counts_abstentions_as_not_cited_and_the_naive_reference():
    q1 = Question("q1", "?", "factual", (Span("a.txt", 0, 10, "x"),))
    q2 = Question("q2", "?", "factual", (Span("a.txt", 100, 110, "x"),))
    q3 = Question("q3", "?", "unanswerable", ())
    answers = {"q1": Answer("?", "“x” [1]", [cite(1, start=2, end=9)], False),
               "q2": Answer("?", "none", [], True),
               "q3": Answer("?", "“x” [1]", [cite(1)], False)}
    report = AnswerReport(answers, [q1, q2, q3], [1.0, 2.0, 3.0], [], {"q1": True, "q2": False})
    assert report.gold_cited == 0.5 and report.top3_rate == 0.5
    assert report.false_abstain == 0.5 and report.false_answer == 1.0
    assert ("factual", 2, 1, 1, 1, 0) in report.by_kind()


def test_the_corpus_registry():
    assert [c.name for c in selected("all")] == list(CORPORA) == ["nhs", "polnear-dev"]
    assert [c.name for c in selected("nhs")] == ["nhs"]
    with pytest.raises(ValueError):
        selected("nope")
