"""Names in the question that the evidence must mention (retrieval/abstain.py)."""

from __future__ import annotations

import pytest

from retrieval.abstain import missing_name, named_things, person_found


@pytest.mark.parametrize("question, text", [
    ("What did Joe Biden say?", "Vice President Joseph R. Biden Jr. spoke. ''Tell that,'' Mr. Biden said."),
    ("How much would Hillary Clinton's plan raise?", "Mrs. Clinton's tax plan would raise $1.1 trillion."),
    ("What did Ted Cruz say?", "Sen. Ted Cruz said he would vote."),
    ("What did Barack Obama say?", "President Obama spoke. Michelle Obama was there."),
    ("What did Victor Cha say about the North Korean threat?", "Victor Cha said North Korea is a threat."),
    ("How did Apple's Tim Cook react?", "Apple's chief executive, Tim Cook, called it crap."),
])
def test_names_written_another_way_are_found(question, text):
    assert missing_name(question, text) is None


@pytest.mark.parametrize("question, text", [
    ("What did Michelle Obama say?", "Barack Obama spoke, and Barack Obama left."),
    ("What did Boris Johnson say about the tram?", "The council met. Jones said the tram was late."),
    ("What did Angela Merkel say?", "Merkle Industries said nothing."),
])
def test_names_the_evidence_lacks_are_missing(question, text):
    assert missing_name(question, text) is not None


def test_a_possessive_ends_a_name():
    assert ["Apple"] in named_things("How did Apple's Tim Cook react?")
    assert ["Tim", "Cook"] in named_things("How did Apple's Tim Cook react?")


def test_person_found_needs_a_person_like_name():
    assert not person_found(["Clean", "Power", "Plan"], "The plan was challenged.")
    assert not person_found(["NHS"], "NHS")
