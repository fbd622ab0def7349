"""Who-answers about a side (retrieval/sides.py): own words carry the stance, a plan's author is
not its critic, stances reported in narration, no "neutral" list under a side, and actor labels
whose organisation was a fragment of a title (retrieval/who.py)."""

from __future__ import annotations

import pytest

from eval.answers import verify_answer
from index.build import build_in_memory
from index.corpus import load_corpus
from retrieval.answer import Answerer
from retrieval.evidence import Scored, Sentence
from retrieval.hit import Hit
from retrieval.sides import actor_stance, choose_actors, narration_actors, own_words
from retrieval.stance import echoes, stance
from retrieval.who import clean_role, parse_who, title_in_text
from tests.fakes import FakeEncoder

MATERNITY = (
    "Maternity pay plan\n\n"
    "Trade and Industry Secretary Patricia Hewitt said the maternity pay plan would give mothers a year of paid leave. "
    "“We will introduce the maternity pay plan next year, and it is a huge step forward for working families,” she said.\n\n"
    "The CBI's director general, Digby Jones, said the maternity pay plan would be a burden on small firms.\n\n"
    "Shadow trade secretary Stephen O'Brien said: “The maternity pay plan is a disaster for small business.”\n\n"
    "The plan enraged critics, including Senator Ann Bee of the small business council.\n"
)


def label(text, proposition):
    return stance(text, proposition).label


def scored(text, start, speaker=None, organisation=None, role=None, kind=None, score=0.8, source="m.txt"):
    hit = Hit(1, 1.0, source, 0, 10_000, "")
    return Scored(Sentence(hit, start, start + len(text), text, speaker, organisation, role, kind), score, 0.5, 0.5)


def test_the_author_of_a_plan_is_not_its_critic():
    who = parse_who("Who criticised the maternity pay plan?")
    author = scored("“We will introduce the maternity pay plan, and critics who call it a burden are wrong,” she said.",
                    0, "Patricia Hewitt", None, "secretary", "quote", 0.9)
    critic = scored("“The maternity pay plan is a disaster for small business.”", 200, "Stephen O'Brien", None,
                    None, "quote", 0.8)
    assert label(own_words(author.sentence), who.proposition) == "opposes"  # the lexicon alone would list her
    names = [line.actor.label() for line in choose_actors(who, [author, critic], 0.3, 5, label)]
    assert names == ["Stephen O'Brien"]


def test_the_possessor_is_not_listed_as_welcoming_but_may_be_as_defending():
    s = scored("“My tax plan is a great plan for workers,” Ann Bee said.", 0, "Ann Bee", None, None, "quote")
    assert choose_actors(parse_who("Who welcomed Ann Bee's tax plan?"), [s], 0.3, 5, label) == []
    assert [line.actor.label() for line in choose_actors(parse_who("Who defended Ann Bee's tax plan?"), [s], 0.3, 5,
                                                         label)] == ["Ann Bee"]


def test_one_fitting_remark_among_words_that_lean_the_other_way_is_not_enough():
    assert actor_stance(["supports", "supports", "supports", "opposes"]) == "supports"
    assert actor_stance(["supports", "opposes"]) == "mixed"
    assert actor_stance(["neutral"]) == "neutral"
    who = parse_who("Who criticised the tram plan?")
    lines = [scored(f"“The tram plan is {w}.”", i * 100, "Jo Day", None, None, "quote", 0.8 - i * 0.01)
             for i, w in enumerate(["a disaster", "excellent", "a great success", "a welcome step"])]
    assert choose_actors(who, lines, 0.3, 5, label) == []


@pytest.mark.parametrize("words, verb, expected", [
    ("While we are not opposed to the levy, we question where the money will come from.", "questioned", True),
    ("We are not opposed to the levy.", "opposed", False),
    ("We cannot welcome it.", "welcomed", False),
    ("We don't question the levy.", "questioned", False),
    ("We welcome the levy, with reservations.", "welcomed", True),
    ("The levy is badly designed.", "questioned", False),
])
def test_a_quote_echoes_the_questions_own_verb_unnegated(words, verb, expected):
    assert echoes(words, verb) is expected


def test_a_mixed_quote_in_the_questions_own_terms_is_the_lines_quote():
    who = parse_who("Who questioned the tram levy?")
    own = scored("“We welcome the tram levy as an opportunity, but we question where the money will come from.”",
                 0, "Jo Day", "Riders Union", None, "quote", 0.8)
    other = scored("“The tram levy is a disaster for riders.”", 300, "Jo Day", "Riders Union", None, "quote", 0.85)
    assert (label(own.sentence.text, who.proposition), label(other.sentence.text, who.proposition)) == \
        ("mixed", "opposes")
    lines = choose_actors(who, [other, own], 0.3, 5, label)
    assert [line.actor.label() for line in lines] == ["Riders Union (Jo Day)"]
    assert lines[0].picks[0][0] is own


def test_no_actor_with_the_side_gives_no_list():
    who = parse_who("Who criticised the tram plan?")
    neutral = scored("“The tram plan will be debated on Tuesday.”", 0, "Jo Day", None, None, "quote")
    assert choose_actors(who, [neutral], 0.3, 5, label) == []


@pytest.mark.parametrize("sentence, name", [
    ("The plan enraged critics, including Senator Mitch McConnell of Kentucky.", "Mitch McConnell"),
    ("Another critic, Laurence H. Tribe, likened the rules to burning the Constitution.", "Laurence H. Tribe"),
    ("Massachusetts Sen. Elizabeth Warren grilled the bank's chief executive on Tuesday.", "Elizabeth Warren"),
])
def test_stances_reported_in_narration(sentence, name):
    who = parse_who("Who criticised the plan?")
    [actor] = narration_actors([scored(sentence, 0)], who, 0.3)
    assert actor.people == [name] and actor.reported


def test_narration_gives_no_actor_for_the_other_side_or_a_quoted_sentence():
    who = parse_who("Who criticised the plan?")
    assert narration_actors([scored("Supporters, including Ann Bee, welcomed the plan.", 0)], who, 0.3) == []
    quoted = scored("Ann Bee criticised the plan.", 0, "Jo Day", None, None, "reported")
    assert narration_actors([quoted], who, 0.3) == []  # attributed: her words are read, not narration


def test_own_words_leave_out_the_reporters_tag():
    s = scored('"Subpoenas are not optional," Chairman Jo Day said after Ann Bee failed to show up.', 0, "Jo Day",
               None, None, "quote").sentence
    assert own_words(s) == "Subpoenas are not optional,"
    r = scored("Jo Day said the levy would be a disaster for shops.", 0, "Jo Day", None, None, "reported").sentence
    assert own_words(r) == "the levy would be a disaster for shops."


def test_titles_absorb_a_fragment_organisation_and_complete_a_clipped_role():
    assert title_in_text(["Trade and Industry Secretary Patricia Hewitt said so."], "Patricia Hewitt", "secretary",
                         "Trade") == ("Trade and Industry Secretary", True)
    assert title_in_text(["The CBI's director general, Digby Jones, said it."], "Digby Jones", "director",
                         "CBI") == ("director general", False)
    assert title_in_text(["Ann Bee said it."], "Ann Bee", "chair", "Alliance") == ("chair", False)
    # A role clipped before its second word, with the whole organisation before it.
    assert title_in_text(["NHS Confederation chief executive Rob Webster said"], "Rob Webster", "chief",
                         "NHS Confederation") == ("chief executive", False)
    assert title_in_text(["Co-chairs Amanda Doyle and Steve Kell said so."], "Amanda Doyle", "co", None)[0] == "Co-chairs"


@pytest.fixture(scope="module")
def maternity(tmp_path_factory):
    root = tmp_path_factory.mktemp("maternity")
    (root / "m.txt").write_text(MATERNITY, encoding="utf-8")
    corpus = load_corpus(root)
    encoder = FakeEncoder()
    return Answerer(Searcher(build_in_memory(corpus, encoder), encoder)), {d.source: d.text for d in corpus.documents}


from retrieval.searcher import Searcher  # noqa: E402


def test_who_criticised_the_plan_end_to_end(maternity):
    answerer, texts = maternity
    answer = answerer.ask("Who criticised the maternity pay plan?")
    assert verify_answer(answer, texts) == []
    assert answer.mode == "who"
    assert "Hewitt" not in answer.answer and "Trade (" not in answer.answer
    assert "Digby Jones" in answer.answer and "O'Brien" in answer.answer
    assert all(c.stance in ("opposes", "mixed") for c in answer.citations)


def test_who_defended_the_plan_lists_its_author_with_her_whole_title(maternity):
    answerer, _ = maternity
    answer = answerer.ask("Who defended the maternity pay plan?")
    assert "Patricia Hewitt, Trade and Industry Secretary" in answer.answer, answer.answer


@pytest.mark.parametrize("role, cleaned", [
    ("director of the", "director"), ("lawyer who has been in using", "lawyer"),
    ("based developer and spokeswoman", "developer and spokeswoman"), ("chief executive", "chief executive"),
    (None, None),
])
def test_clean_role(role, cleaned):
    assert clean_role(role) == cleaned


def test_what_a_proposition_names():
    from retrieval.sides import named_in, possessors
    from retrieval.who import Actor

    assert possessors("Donald Trump's tax plan") == {"donald", "trump"}
    # Names after the head phrase are what it concerns, not whose it is, unless possessive.
    assert possessors("Donald Trump over his claims about where Barack Obama was born") == {"donald", "trump"}
    assert "burnham" in possessors("another reorganisation in response to Burnham's plans")
    assert named_in(Actor("k", "RT America", ["Abby Martin"], {}, []), "RT America")
    assert named_in(Actor("k", "Trump campaign", ["Jason Miller"], {}, []), "Trump's tweets attacking Alicia Machado")
    assert not named_in(Actor("k", None, ["Barack Obama"], {}, []), "Donald Trump over his claims about Barack Obama")


def test_which_questions_list_the_kind_asked_for_first():
    who = parse_who("Which senators criticised the tram plan?")
    lines = [scored("“The tram plan is a disaster,” Ann Bee said.", 0, "Ann Bee", "Tram Watch", None, "quote", 0.9),
             scored("“The tram plan is a sham,” Sen. Jo Day said.", 200, "Jo Day", None, "senator", "quote", 0.8)]
    assert [line.actor.label() for line in choose_actors(who, lines, 0.3, 5, label)] == ["Jo Day, senator", "Tram Watch (Ann Bee)"]


def test_two_politicians_of_one_party_are_two_actors_but_a_body_speaks_as_one():
    from retrieval.who import group_actors, is_party

    assert is_party("Democratic Party") and is_party("Labour") and not is_party("Democratic National Committee")
    items = [scored("“The tax plan is a sham.”", 0, "Ann Bee", "Democratic Party", None, "quote", 0.9),
             scored("“The tax plan is reckless.”", 100, "Jo Day", "Democratic Party", None, "quote", 0.8),
             scored("“We have grave concerns.”", 200, "Sam Lee", "Royal College of Nursing", "chair", "quote", 0.7),
             scored("The college has concerns about the plan.", 300, None, "Royal College of Nursing", None,
                    "reported", 0.6)]
    labels = sorted(a.label() for a in group_actors(items))
    assert labels == ["Democratic Party (Ann Bee)", "Democratic Party (Jo Day)", "Royal College of Nursing (Sam Lee, chair)"]


def test_a_surname_alone_joins_the_fuller_name_of_the_same_person():
    from retrieval.who import group_actors

    items = [scored("“The toll plan is a sham,” said Ann Holt - Bee, a harbour economist.", 0, "Ann Holt - Bee",
                    "Harbour Institute", "economist", "quote", 0.9),
             scored("“It will never pay for itself,” Holt - Bee said.", 100, "Holt - Bee", None, None, "quote", 0.8),
             # Another Day in another document, and one in this one: "Day" is the one beside it.
             scored("“The toll is reckless.”", 200, "Jo Day", None, None, "quote", 0.7),
             scored("“The toll is fine.”", 0, "Carl Day", None, None, "quote", 0.7, source="n.txt"),
             scored("“Nobody asked the towns,” Day said.", 300, "Day", None, None, "quote", 0.6),
             # A surname two people of the pool share, neither in its document, stays apart.
             scored("“I doubt it,” Bee said.", 50, "Bee", None, None, "quote", 0.5, source="o.txt"),
             scored("“We back it.”", 100, "Sam Bee", None, None, "quote", 0.5, source="n.txt"),
             scored("“We oppose it.”", 100, "Kim Bee", None, None, "quote", 0.5, source="p.txt")]
    actors = {a.label(): len(a.evidence) for a in group_actors(items)}
    assert actors == {"Harbour Institute (Ann Holt - Bee, economist)": 2, "Jo Day": 2, "Carl Day": 1, "Bee": 1,
                      "Sam Bee": 1, "Kim Bee": 1}


def test_a_party_with_no_one_named_gives_way_to_named_speakers():
    who = parse_who("Who criticised the tram plan?")
    items = [scored("“The tram plan is a disaster.”", 0, None, "Republican Party", None, "quote", 0.9),
             scored("“The tram plan is a sham,” Ann Bee said.", 100, "Ann Bee", None, None, "quote", 0.8),
             scored("“The tram plan is reckless,” Jo Day said.", 200, "Jo Day", "Tram Watch", None, "quote", 0.7)]
    names = [line.actor.label() for line in choose_actors(who, items, 0.3, 2, label)]
    assert names == ["Ann Bee", "Tram Watch (Jo Day)"]


def test_who_set_out_a_plan_asks_for_its_author():
    who = parse_who("Who set out Ann Bee's tax plan?")
    s = scored("Ann Bee set out her tax plan on Monday.", 0, "Ann Bee", None, None, "reported")
    assert [line.actor.label() for line in choose_actors(who, [s], 0.3, 5, label)] == ["Ann Bee"]


@pytest.mark.parametrize("question, sentence, name", [
    ("Who criticised the visa program?", "Critics of the visa program, like Senators Ann Bee, Republican of Ohio, "
     "and Jo Day, say it is riddled with fraud.", "Ann Bee"),
    ("Who defended the harbour toll?", "Proponents, including the National Conference of Harbour Towns, have "
     "urged the board to keep the toll.", "National Conference of Harbour Towns"),
    ("Who praised the mayor?", "One of the mayor's believers is Sam Lee, a founder of a bakery.", "Sam Lee"),
])
def test_more_ways_narration_states_a_side(question, sentence, name):
    [actor] = narration_actors([scored(sentence, 0)], parse_who(question), 0.3)
    assert actor.people == [name]


def test_the_target_of_a_passive_charge_is_no_critic_and_a_side_noun_is_nobody():
    who = parse_who("Who criticised the visa program?")
    assert narration_actors([scored("Mr. Quiros was accused of fraud under the visa program.", 0)], who, 0.3) == []
    s = scored("Proponents, including the Harbour Council, have urged the board to keep the program.", 0,
               "Proponents", None, None, "reported")
    lines = choose_actors(parse_who("Who defended the program?"), [s], 0.3, 5, label)
    assert [line.actor.label() for line in lines] == ["Harbour Council"]


def test_a_side_the_reporter_states_labels_the_speakers_line():
    who = parse_who("Who criticised the harbour toll?")
    tag = scored("Another critic, Jo Day, likened the harbour toll to “a show for the summer visitors.”", 0, "Jo Day",
                 None, None, "quote")
    assert label(own_words(tag.sentence), who.proposition) != "opposes"
    assert [(line.actor.label(), line.stance) for line in choose_actors(who, [tag], 0.3, 5, label)] == \
        [("Jo Day", "opposes")]
    # Stated in a sentence of its own about someone quoted elsewhere: it joins their words.
    narration = scored("Critics of the harbour toll, like Senator Ann Bee, say it will empty the port.", 0)
    quote = scored("“The harbour toll is on the agenda this week,” Ms. Bee said.", 300, "Ann Bee", None, None,
                   "quote", 0.7)
    lines = choose_actors(who, [narration, quote], 0.3, 5, label)
    assert [(line.actor.label(), line.stance) for line in lines] == [("Ann Bee", "opposes")]


def test_a_side_needs_the_actors_own_words_not_narration_that_names_them():
    who = parse_who("Who criticised the tram plan?")
    # The index attributes narration about Jo Day to her; it says nothing of where she stands.
    narration = scored("The tram plan was drawn up after Jo Day's failed bid, a disaster for the council.", 0,
                       "Jo Day", None, None, "reported")
    assert label(own_words(narration.sentence), who.proposition) == "opposes"  # the lexicon alone would list her
    assert choose_actors(who, [narration], 0.3, 5, label) == []
    # Her words, reported or quoted, or narration of a side she takes in the active voice, do.
    for text, kind in [("Jo Day said the tram plan was a disaster.", "reported"),
                       ("“The tram plan is a disaster.”", "quote"),
                       ("Jo Day also blasted the tram plan as a disaster for the council.", "reported")]:
        line = scored(text, 0, "Jo Day", None, None, kind)
        assert [x.actor.label() for x in choose_actors(who, [line], 0.3, 5, label)] == ["Jo Day"], text


def test_calling_for_the_repeal_of_a_law_is_no_support_of_it():
    who = parse_who("Who supported the tram law?")
    s = scored("Councillor Jo Day has called for the complete repeal of the tram law.", 0, score=0.8)
    assert narration_actors([s], who, 0.3) == []
    s = scored("Councillor Jo Day has called for the tram law to be expanded.", 0, score=0.8)
    assert [a.people for a in narration_actors([s], who, 0.3)] == [["Councillor Jo Day"]]
