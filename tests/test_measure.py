"""What a quantity question measures (retrieval/measure.py), through the type check that uses
it (retrieval/abstain.py): the number's own sentence must carry the asked measure."""

from __future__ import annotations

import pytest

from retrieval.abstain import type_fits
from retrieval.measure import measure_of, measured_by


@pytest.mark.parametrize("question, sentence", [
    # the verb of "how much did X V", irregular forms included
    ("How much did Jane Roe pay for the farm?", "Ms. Roe paid $2 million for the farm in May."),
    ("How much money did the Acme fund lose last year?", "The fund took a $40 million loss."),
    ("How much did the council estimate could be saved by merging?", "Savings of £3m could come from merging."),
    # what a possessive owns is the subject
    ("How much would Jane Roe's housing plan cost over ten years?", "Ms. Roe's housing plan would cost $9 billion."),
    # "what was the M of N of …"
    ("What was the margin of error of the Gallup survey?", "The survey has a margin of error of 3 points."),
    # "what share of P V …"
    ("What share of Welsh farmers support the tariff?", "About 60 percent of Welsh farmers support it."),
    ("What share of rural voters back the levy?", "Some 40 percent back the levy, the survey found."),
])
def test_a_number_that_measures_what_is_asked_answers(question, sentence):
    assert type_fits(question, sentence)


@pytest.mark.parametrize("question, sentence", [
    # a number for another act
    ("How much did Jane Roe pay for the farm?", "Ms. Roe expected to sell its wheat for $50 a tonne."),
    # another subject of the same verb: a plan of hers, not her campaign
    ("How much money did Jane Roe's campaign raise in May?", "Ms. Roe's tax plan would raise $1 trillion."),
    # the measure noun without its complement
    ("What was the margin of error of the Gallup survey?", "Smith rose 2 points while Jones fell by the same margin."),
    # another population, or the population without the predicate
    ("What share of Welsh farmers support the tariff?", "It has 70 percent support among dairy farmers in Wales."),
    ("What share of Welsh farmers support the tariff?", "About one in nine farmers this year is Welsh."),
    # a question asserts no amount
    ("How much did Jane Roe pay in taxes?", "How much, if anything, do you pay in taxes, Ms. Roe?"),
])
def test_a_number_of_something_else_does_not(question, sentence):
    assert not type_fits(question, sentence)


def test_what_the_question_measures():
    m = measure_of("How much money did Jane Roe's campaign raise on the day after the debate?")
    assert m.owned == ("campaign",) and m.any_of == ("raise",)
    assert measure_of("What share of Welsh farmers support the tariff?").population == (("Welsh",), "farmers")
    assert measure_of("What share of rural voters back the levy?").any_of == ("back",)
    assert measure_of("How long did the strike last?") is None
    assert measured_by("How long did the strike last?", "It lasted four hours.")
    assert type_fits("What is the capital of Peru?", "Lima is the capital.")  # not a quantity
