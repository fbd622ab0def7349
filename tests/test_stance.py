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


# Issue 13, stance on a corpus it was not written for: composition over the proposition.
# Each case failed before its mechanism (invented sentences, none from the eval sets).
@pytest.mark.parametrize("quote, proposition, expected", [
    # Negation ends at a comma or dash: only the first word is negated, the correction stands.
    ("She would be a fine mayor. Not good, brilliant.", "Ann Bee being appointed mayor", "supports"),
    ("Kindness and patience, not fees, fragmentation and waste.", "road fees and tolls", "opposes"),
    # Each head of a coordinated proposition names it: "scrapping the tolls" rejects it.
    ("Savings could come from scrapping the tolls on the bridge.", "road tolls and fees", "opposes"),
    # Bad words about rejecting the proposition are for it (a double negative).
    ("It is shameful for a governor to refuse to publish the audit.", "the governor publishing the audit", "supports"),
    ("Refusing to publish the audit is disqualifying.", "the governor publishing the audit", "supports"),
    ("The mayor's reasons to veto the Parks Act (PKA) are nonsense.", "the Parks Act (PKA)", "supports"),
    # ... but the speaker's own rejection of a thing judged bad is against it.
    ("We need to scrap the charging scheme, it is a disaster.", "the charging scheme", "opposes"),
    # Another's attempt to reject it, or another's bad faith, is charged by its supporter.
    ("For years the council has been trying to dismantle that scheme.", "the charging scheme", "supports"),
    ("Of course the councillors are only trying to pull a stunt.", "the charging scheme", "supports"),
    # An ill remedied is no judgement against it: closing loopholes, defending against attacks.
    ("Her plan would close loopholes and curb fraud.", "Ann Bee's tax plan", "supports"),
    ("Naturally the mayor will defend himself against what he calls a smear.", "the mayor's speech", "supports"),
    # A good word under pretence is a charge: "the appearance of being legitimate".
    ("Their aim is to create the appearance of being a legitimate charity.", "the Blue Fund charity", "opposes"),
    # A gerund subject is judged by its predicate, not by its own words.
    ("Calling the delay an insult to voters is a welcome change of tone.", "the mayor's appeal to voters", "supports"),
    # What the proposition must not be.
    ("Road tolls should not be a condition of the grant.", "road tolls", "opposes"),
    # An indirect question proposes nothing.
    ("He declined to say whether the audit should be published.", "publishing the audit", "neutral"),
    # A demonstrative refers back to the proposition's kind ("this legislation" for an Act).
    ("She would sign this legislation tomorrow.", "the Parks Act", "supports"),
    # An expectation contrasted with reality is the speaker's judgement.
    ("You'd think the farmers would be furious about this, but nobody has said a word.", "the grain levy", "opposes"),
    # A title's full stop ends no sentence, so the contrast keeps its clause.
    ("Of course the councillors are trying to pull a stunt, but the facts are that Ms. Bee cooperated fully.",
     "the audit of the Blue Fund", "supports"),
])
def test_composition(quote, proposition, expected):
    assert stance(quote, proposition).label == expected
