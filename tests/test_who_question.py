"""Reading who-questions (retrieval/who_question.py): the side asked for, the proposition, and
"Which N …" questions."""

from __future__ import annotations

import pytest

from retrieval.query import plan_query
from retrieval.who_question import parse_who


@pytest.mark.parametrize("question, polarity, proposition", [
    ("Who opposed hospital-led integrated care organisations?", "opposes", "hospital-led integrated care organisations"),
    ("Who has come out against the tram plan?", "opposes", "the tram plan"),
    ("Which senators went after the bank's chief executive?", "opposes", "the bank's chief executive"),
    ("Which tax experts found fault with the mayor's budget?", "opposes", "the mayor's budget"),
    ("Who has spoken up for the levy?", "supports", "the levy"),
    ("Who is backing Ann Bee for the seat?", "supports", "Ann Bee for the seat"),
    ("Who wants to keep the visa programme?", "supports", "the visa programme"),
    ("Who wants to scrap the visa programme?", "opposes", "the visa programme"),
    ("Which letter writers stood up for the council?", "supports", "the council"),
    ("Who doubts that the venture can succeed?", "opposes", "the venture can succeed"),
    ("Who argued that commissioning should stay?", None, "commissioning should stay"),
])
def test_the_side_and_the_proposition(question, polarity, proposition):
    who = parse_who(question)
    assert who is not None and who.polarity == polarity and who.proposition == proposition


def test_which_questions_name_the_kind_of_actor_and_need_a_side():
    assert parse_who("Which Republicans or tax specialists have called on him to resign?").asked_for == \
        "Republicans or tax specialists"
    for q in ("Which hospital trust became the first integrated care organisation?",
              "Which group of people did a reader say was left out?",
              "Which national NHS bodies might Labour get rid of?",
              "Who was appointed chair?", "How did Ann Bee react to the plan?"):
        assert parse_who(q) is None, q


def test_the_search_plan_widens_a_side_asked_in_other_words():
    plan = plan_query("Which senators went after the bank's chief executive?")
    assert plan.intent == "oppose" and plan.proposition == "the bank's chief executive"
    assert "concerns about the bank's chief executive" in plan.dense
