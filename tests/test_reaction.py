"""Questions about one speaker (retrieval/reaction.py) and the focus check (retrieval/focus.py):
X's own words before narration and other speakers, and abstention when the sources hold none of
X's words or nothing on the question's focus. Hand-made corpus, fake encoder."""

from __future__ import annotations

import pytest

from eval.answers import verify_answer
from index.corpus import load_corpus
from retrieval.answer import Answerer, AnswerSettings
from retrieval.evidence import Scored, Sentence
from retrieval.focus import addresses, focus_terms
from retrieval.hit import Hit
from retrieval.reaction import parse_speaker_question, prefer_own_words, speaks_for, unanswered, voice_of
from tests.fakes import fake_searcher, write_docs

DOCS = {
    "conference.txt": (
        "Labour leaves Blackpool\n\n"
        "Labour will hold its conference in Manchester next year, ending a long run of conferences in Blackpool. "
        "The decision to leave Blackpool follows years of complaints about losing the Labour conference trade.\n\n"
        "Claire Smith, chairman of the Blackpool Hotel Association, said: “This is a terrible blow for every "
        "hotelier in the town.”\n\n"
        "Delegates filled the town's pubs and bars every night of the Labour conference in Blackpool.\n"
    ),
    "budget.txt": (
        "Budget pressure\n\n"
        "Shadow chancellor Ed Balls said the chancellor should spend any extra money on cutting the deficit. "
        "Ed Balls said the chancellor should use any extra money for tax cuts for the low paid.\n\n"
        "Richard Lambert, the CBI director general, said: “We urge the chancellor to put any extra money "
        "into cutting business taxes.”\n"
    ),
    "apology.txt": (
        "Apology for the Guildford Four\n\n"
        "The prime minister apologised to the Guildford Four on Thursday for the wrongful convictions. "
        "Gerry Conlon, who spent 15 years in jail, met the prime minister after the apology.\n\n"
        "“It is a vindication, at last,” Mr Conlon said.\n"
    ),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return load_corpus(write_docs(tmp_path_factory.mktemp("reaction"), DOCS))


@pytest.fixture(scope="module")
def answerer(corpus):
    return Answerer(fake_searcher(corpus))


def _texts(corpus):
    return {d.source: d.text for d in corpus.documents}


@pytest.mark.parametrize("question, speaker, head, roles, topic", [
    ("How did Blackpool's hoteliers react to losing the Labour conference?", "Blackpool's hoteliers", None,
     ("hoteliers",), "losing the Labour conference"),
    ("What did the CBI urge the chancellor to do with any extra money?", "the CBI", "CBI", (),
     "the chancellor to do with any extra money"),
    ("How did Gerry Conlon react to the prime minister's apology?", "Gerry Conlon", "Gerry Conlon", (),
     "the prime minister's apology"),
    ("What did Burnham originally propose for acute trusts?", "Burnham", "Burnham", (), "for acute trusts"),
    ("What was Ann Bee's response to the ruling?", "Ann Bee", "Ann Bee", (), "the ruling"),
])
def test_parse_speaker_question(question, speaker, head, roles, topic):
    q = parse_speaker_question(question)
    assert (q.speaker, q.head, q.role_words, q.topic) == (speaker, head, roles, topic)


def test_other_questions_are_not_about_one_speaker():
    for question in ("Who opposed the plan?", "How many casinos are planned?", "What is the price of beer?"):
        assert parse_speaker_question(question) is None


def _sentence(text, speaker=None, organisation=None, role=None, kind=None, source="a.txt", start=0):
    hit = Hit(1, 1.0, source, start, start + len(text), text)
    return Sentence(hit, start, start + len(text), text, speaker, organisation, role, kind)


def test_who_speaks_for_the_one_asked_about():
    cbi = parse_speaker_question("What did the CBI urge the chancellor to do?")
    assert speaks_for(_sentence("x", "Richard Lambert", "Confederation of British Industry", "director", "quote"), cbi)
    assert not speaks_for(_sentence("x", "Ed Balls", "Labour", "shadow chancellor", "quote"), cbi)
    lawyer = parse_speaker_question("How did Donald Trump's lawyer react to the ruling?")
    assert speaks_for(_sentence("x", "Marc Kasowitz", "Trump", "lawyer", "quote"), lawyer)
    assert not speaks_for(_sentence("x", "Ivana Trump", None, None, "quote"), lawyer)
    hoteliers = parse_speaker_question("How did Blackpool's hoteliers react to the news?")
    assert speaks_for(_sentence("x", "Claire Smith", "Blackpool Hotel Association", "chairman", "quote"), hoteliers)
    assert not speaks_for(_sentence("x", "Tom Hay", "Blackpool Council", "leader", "quote"), hoteliers)
    biden = parse_speaker_question("How did Joe Biden react to the ruling?")
    assert speaks_for(_sentence("x", "Joseph R. Biden Jr.", None, "vice president", "quote"), biden)


def test_voices_of_x():
    q = parse_speaker_question("What did the CBI urge the chancellor to do?")
    # The speaker is not the CBI, but the speech tag says whom he speaks for.
    tagged = _sentence("Richard Lambert, the CBI director general, said: “We urge the chancellor to act.”",
                       "Richard Lambert", None, "director", "quote")
    assert voice_of(tagged, q) == "reported"
    # The CBI named inside someone else's quoted words is not the CBI speaking.
    inside = _sentence("Ed Balls said: “The CBI is wrong about taxes.”", "Ed Balls", None, None, "quote")
    assert voice_of(inside, q) is None
    conlon = parse_speaker_question("How did Gerry Conlon react to the apology?")
    split = _sentence("“It is a vindication, at last,”", start=0)
    tag = _sentence("Mr Conlon said.", "Gerry Conlon", None, None, "reported", start=32)
    assert voice_of(split, conlon, tag) == "own"
    assert voice_of(split, conlon) is None


def test_prefer_own_words_puts_x_first_then_the_best_other_sentence():
    q = parse_speaker_question("How did Gerry Conlon react to the apology?")
    narration = Scored(_sentence("The prime minister apologised on Thursday.", start=0), 0.9, 0.5, 0.5)
    quote = Scored(_sentence("“It is a vindication,” Gerry Conlon said.", "Gerry Conlon", None, None, "quote",
                             start=50), 0.5, 0.1, 0.3)
    other = Scored(_sentence("“A disgrace,” said Ann Bee.", "Ann Bee", None, None, "quote", start=100), 0.6, 0.2, 0.4)
    ranked = prefer_own_words([narration, other, quote], q)
    assert [r.sentence.start for r in ranked] == [50, 0, 100]
    # X's words far below the best (another passage, another topic) do not lead.
    weak = Scored(_sentence("“Lovely weather,” Gerry Conlon said.", "Gerry Conlon", None, None, "quote",
                            source="b.txt"), 0.2, 0.0, 0.1)
    assert prefer_own_words([narration, weak], q)[0] is narration


def test_the_quoted_reaction_is_cited_first(answerer, corpus):
    for question, speaker in [
        ("How did Blackpool's hoteliers react to losing the Labour conference?", "Claire Smith"),
        ("What did the CBI urge the chancellor to do with any extra money?", "Richard Lambert"),
    ]:
        answer = answerer.ask(question)
        assert verify_answer(answer, _texts(corpus)) == []
        assert not answer.abstained and answer.citations[0].speaker == speaker, answer.answer
    answer = answerer.ask("How did Gerry Conlon react to the prime minister's apology?")
    assert "vindication" in answer.citations[0].quote, answer.answer


def test_no_words_of_a_named_speaker_abstains(answerer):
    answer = answerer.ask("What did Ed Miliband say about losing the Labour conference in Blackpool?")
    assert answer.abstained  # "Ed Miliband" is never named: the name rule
    q = parse_speaker_question("What did Ed Balls say about the Guildford Four?")
    balls = Scored(_sentence("Ed Balls said the deficit must fall.", "Ed Balls", None, None, "reported"), 0.5, 0.2, 0.3)
    narration = Scored(_sentence("The Guildford Four were freed.", source="b.txt"), 0.6, 0.3, 0.3)
    assert unanswered([narration, balls], q, {}, None) == "off topic"
    assert unanswered([narration], q, {}, None) == "no words"
    assert unanswered([balls], parse_speaker_question("What did Ed Balls say about the deficit?"), {}, None) is None
    # A described speaker ("a reader") cannot be shown to be silent.
    assert unanswered([narration], parse_speaker_question("What did a reader say about the deficit?"), {}, None) is None


def test_focus_terms_leave_out_names_and_scaffolding():
    assert focus_terms("What is the price of a pint of beer in Blackpool?", {"blackpool"}) == ["price", "pint", "beer"]
    assert addresses(["price", "pint", "beer"], ["The price of a pint rose."], {}, None)
    assert not addresses(["price", "pint", "beer"], ["Blackpool has many pubs."], {}, None)
    assert addresses(["price", "pint", "beer"], ["Blackpool has many pubs."], {}, lambda: 0.9)
    assert not addresses(["price", "pint", "beer"], ["Blackpool has many pubs."], {}, lambda: 0.1)


def test_a_question_whose_focus_no_sentence_addresses_abstains(corpus):
    # Words only: the fake encoder's bag-of-words cosine would count "the", "of", "in".
    lexical = Answerer(fake_searcher(corpus), settings=AnswerSettings(dense=False, min_score=0.0))
    answer = lexical.ask("Why was the beer festival in Blackpool cancelled?")
    assert answer.abstained and answer.related
    assert not lexical.ask("Where will Labour hold its conference next year?").abstained


def test_x_spoken_to_is_not_x_speaking():
    q = parse_speaker_question("What did Tom Hay say about the audit?")
    # The quote's opening mark is in the sentence before, as when a quotation runs over two.
    told = _sentence("And you should step down,” Ann Bee told Hay, after he admitted the audit was late.",
                     "Ann Bee", None, None, "quote")
    assert voice_of(told, q) is None
    # ... while a speaker described as speaking for X still is ("the CBI director general, said").
    cbi = parse_speaker_question("What did the CBI urge?")
    tagged = _sentence("Richard Lambert, the CBI director general, said: “Cut taxes.”", "Richard Lambert", None,
                       "director", "quote")
    assert voice_of(tagged, cbi) == "reported"


def test_the_names_in_the_topic_are_not_its_focus():
    # Tom Hay's words stand in a passage that names Ann Bee but says nothing of resigning.
    q = parse_speaker_question("What did Tom Hay say when Ann Bee told him to resign?")
    hay = Scored(_sentence("Ann Bee questioned the audit. Tom Hay said the audit was late.", "Tom Hay", None, None,
                           "reported"), 0.5, 0.2, 0.3)
    assert unanswered([hay], q, {}, None) == "off topic"
    quit_ = Scored(_sentence("Ann Bee asked him to resign. Tom Hay said he would not resign.", "Tom Hay", None,
                             None, "reported"), 0.5, 0.2, 0.3)
    assert unanswered([quit_], q, {}, None) is None
