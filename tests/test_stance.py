"""The stance method (retrieval/stance.py) rule by rule, and its accuracy on the labelled set."""

from __future__ import annotations

import pytest

from retrieval.stance import STANCES, stance

PROP = "congestion charging in city centres"


@pytest.mark.parametrize("quote, expected", [
    ("We strongly welcome the plan for congestion charging.", "supports"),
    ("The chamber has grave concerns about the proposals.", "opposes"),
    ("This model simply will not work.", "opposes"),
    ("We are not opposed to it in principle.", "supports"),  # a negated cue flips
    ("We welcome much of the speech. We do have some concerns about the detail.", "mixed"),
    ("It is to be welcomed, but to be taken seriously it has to be backed up by money.", "mixed"),
    ("We are positive about cleaner air. But the model they propose simply will not work.", "opposes"),
    ("There must be no congestion charging in our town centre.", "opposes"),  # rejects the target
    ("Better to improve buses rather than impose congestion charging on shoppers.", "opposes"),
    ("How will the council pay for congestion charging?", "neutral"),  # a question
    ("I am keen to understand how the scheme would run.", "neutral"),  # asks to learn more
    ("The council met on Tuesday.", "neutral"),
    ("Congestion charging in city centres could fund new tram lines.", "supports"),  # advocacy
])
def test_rules(quote, expected):
    assert stance(quote, PROP).label == expected


@pytest.mark.parametrize("quote, proposition, expected", [
    ("The scheme is a reckless giveaway to the rich.", PROP, "opposes"),  # attack vocabulary
    ("Frankly the charging plan is a sham and a stunt.", PROP, "opposes"),
    ("She is a real visionary, and this plan is long overdue.", PROP, "supports"),  # praise vocabulary
    ("It is a shot in the arm for the city centre.", PROP, "supports"),  # idiom
    ("The report came from the Centre for Progress and the Welcome Trust.", PROP, "neutral"),  # names, not cues
    ("They want a new stadium by the river.", PROP, "neutral"),  # someone else's wanting is no judgement
    ("There is no one more experienced than Ann Bee at running a city.", "Ann Bee being appointed mayor", "supports"),
    ("Better to build bus lanes rather than congestion charging.", PROP, "opposes"),  # "rather than" rejects
    ("You want to abolish congestion charging in city centres for good.", PROP, "supports"),  # an accusation
])
def test_political_speech(quote, proposition, expected):
    assert stance(quote, proposition).label == expected


def test_labels_are_the_four_stances_and_scores_are_reported():
    s = stance("We welcome it but have concerns.", PROP)
    assert s.label in STANCES and s.support > 0 and s.oppose > 0 and s.cues


def test_labelled_stance_accuracy_gate():
    from eval.answers import evaluate_stance

    report = evaluate_stance()
    assert len(report.rows) >= 40
    assert report.accuracy >= 0.70, report.summary()
