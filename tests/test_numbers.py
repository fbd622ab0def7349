"""Counts written in words or figures (retrieval/numbers.py) and the "how many" type check that
uses them (retrieval/abstain.py)."""

from __future__ import annotations

import pytest

from retrieval.abstain import type_fits
from retrieval.numbers import has_number, is_number_token


@pytest.mark.parametrize("token", ["18", "$1.1", "43%", "2,000", "1990s", "seven", "Twenty-seven", "two-thirds",
                                   "dozen", "hundreds", "Forty-three,", "twice", "(eight)"])
def test_number_tokens(token):
    assert is_number_token(token)


@pytest.mark.parametrize("token", ["states", "third", "one-off", "twentyish", "", "-", "Orthodox"])
def test_not_number_tokens(token):
    assert not is_number_token(token)


def test_has_number_in_words_and_figures():
    assert has_number("The government plans up to eight super-casinos.")
    assert has_number("A third of voters agreed.")
    assert has_number("It cost £3bn.")
    assert not has_number("The third debate was in Las Vegas.")
    assert not has_number("Nobody said anything.")


@pytest.mark.parametrize("question, sentence", [
    ("How many super-casinos does the government plan?", "The government plans up to eight super-casinos."),
    ("How many states are challenging the plan?", "Twenty-seven states led by West Virginia are challenging it."),
    ("How many protesters were arrested?", "Police arrested a dozen protesters on Friday."),
    ("How many voters backed it?", "Two-thirds of voters backed it."),
    ("How many jobs will go?", "Hundreds of jobs will go."),
    ("How many accounts did bankers open?", "Bankers opened more than 2 million accounts for customers."),
    ("How many Orthodox Christians were admitted?", "To date, 14 Catholics, six Orthodox, four Protestants were admitted."),
    ("How many times has he had pneumonia?", "He battled through three bouts of walking pneumonia."),
    ("How many said her health would hurt her?", "Forty-three, yes; forty-four, no."),
])
def test_counts_in_words_answer_how_many(question, sentence):
    assert type_fits(question, sentence)


@pytest.mark.parametrize("question, sentence", [
    ("How many trams will run on the new line?", "The tram line will open in 2027 after three years of work."),
    ("How many super-casinos does the government plan?", "The third debate was held in a casino."),
    ("How many states are challenging the plan?", "A third of the rules are new."),
    ("How much will the scheme cost?", "The scheme will be expensive, critics said."),
])
def test_a_count_of_something_else_does_not(question, sentence):
    assert not type_fits(question, sentence)


def test_a_number_in_the_question_is_not_its_answer():
    assert not type_fits("How much did the documentary 13th cost to make?", "The documentary 13th is out now.")
    assert type_fits("How much did the documentary 13th cost to make?", "The documentary 13th cost $2 million.")
    assert not type_fits("How much did Apple pay in taxes in 2015?", "Apple paid its taxes in 2015.")


def test_quantity_nouns_need_a_number():
    assert not type_fits("What was the margin of error of the poll?", "The poll was run by phone.")
    assert type_fits("What was the margin of error of the poll?", "It has a margin of error of 4 points.")
    assert type_fits("What was the reason for the poll?", "The poll was run by phone.")  # not a quantity
