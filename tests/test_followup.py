"""Follow-up rewriting (retrieval/followup.py) and chat histories (retrieval/history.py): no model."""

from __future__ import annotations

import json

import pytest

from eval.questions import QUESTIONS
from retrieval.followup import base_form, rewrite
from retrieval.verbs import past_form
from retrieval.history import (
    MAX_ANSWER_CHARS,
    MAX_HISTORY_MESSAGES,
    HistoryError,
    Message,
    clean_history,
    plain_text,
    turns,
)
from retrieval.question import QuestionError
from retrieval.referents import answer_topic, join_names, referents
from web.markup import answer_markdown

WHO_Q = "Who opposed hospital-led integrated care organisations?"
# As retrieval/answer.py writes a who-answer (quotes escaped by md()).
WHO_ANSWER = """The sources name 3 actors who opposed hospital\\-led integrated care organisations:

- **Royal College of General Practitioners (Maureen Baker, chair)** — opposes: “The College has grave concerns.” [1]
- **Labour Party (Andy Burnham, shadow health secretary)** — opposes: “ICOs would not have to be hospital\\-led.” [2]
- **National Voices (Don Redding, director of policy)** — opposes: “We do have some concerns.” [3]"""
# "Labour Party" (the answer's label) is named as texts name it, "Labour" (see _party_short)
ACTORS = "the Royal College of General Practitioners, Labour, and National Voices"
WHO_HISTORY = [{"role": "user", "content": WHO_Q}, {"role": "assistant", "content": WHO_ANSWER}]
ENGLAND_Q = "How many patient safety incidents were reported in England between October 2013 and March 2014?"
ENGLAND_HISTORY = [{"role": "user", "content": ENGLAND_Q},
                   {"role": "assistant", "content": "“Over 800,000 incidents were reported.” [1]"}]
BURNHAM_HISTORY = [{"role": "user", "content": "What did Andy Burnham say about the 10-year plan?"},
                   {"role": "assistant", "content": "Andy Burnham (Labour Party): “It is a plan for the whole person.” [1]"}]


def standalone(question: str, history) -> str:
    result = rewrite(question, history)
    assert result.rewritten == (result.standalone != result.question)
    return result.standalone


# --- references ----------------------------------------------------------------------------


@pytest.mark.parametrize("question, expected", [
    ("What did they say about GPs?", f"What did {ACTORS} say about GPs?"),
    ("what did they say about GPs?", f"What did {ACTORS} say about GPs?"),
    ("Did their spokesman comment?", f"Did {ACTORS}' spokesman comment?"),
    ("What did she say next?", "What did Maureen Baker say next?"),
    ("When did they say that?",
     f"When did {ACTORS} say that about hospital-led integrated care organisations?"),
    ("Who supported it?", "Who supported hospital-led integrated care organisations?"),
    ("Who backed that plan?", "Who backed the plan about hospital-led integrated care organisations?"),
    # "their" after the names that replaced "they" refers to those names: left as it is
    ("What did they say about their own plans?", f"What did {ACTORS} say about their own plans?"),
])
def test_pronouns_and_demonstratives_take_the_previous_turns_referents(question, expected):
    assert standalone(question, WHO_HISTORY) == expected


def test_the_issue_example_rewrites_they_to_the_listed_actors():
    result = rewrite("What did they say about GPs?", WHO_HISTORY)
    assert result.rewritten and result.rules == ("reference",)
    assert result.referents == (ACTORS,)
    assert "Royal College of General Practitioners" in result.standalone and "National Voices" in result.standalone


def test_he_is_the_person_named_in_the_previous_question():
    assert standalone("What did he say about GPs?", BURNHAM_HISTORY) == "What did Andy Burnham say about GPs?"
    assert standalone("Why did he propose it?", BURNHAM_HISTORY) == "Why did Andy Burnham propose the 10-year plan?"
    assert standalone("Who criticised his plan?", BURNHAM_HISTORY) == "Who criticised Andy Burnham's plan?"


def test_actors_are_read_from_the_chat_rendering_and_from_plain_text_too():
    chat = [{"role": "user", "content": [{"type": "text", "text": WHO_Q}]},
            {"role": "assistant", "content": [{"type": "text", "text": answer_markdown(WHO_ANSWER)}]},
            {"role": "assistant", "content": "<div class=\"dqa-source\">…</div>"}]
    assert "&#" in answer_markdown(WHO_ANSWER)
    plain = [{"role": "user", "content": WHO_Q},
             {"role": "assistant", "content": WHO_ANSWER.replace("**", "").replace("\\", "")}]
    for history in (chat, plain):
        assert standalone("What did they say about GPs?", history) == f"What did {ACTORS} say about GPs?"


def test_a_third_turn_resolves_against_the_second_turns_standalone_form():
    history = WHO_HISTORY + [
        {"role": "user", "content": "What did they say about GPs?"},
        {"role": "assistant", "content": "Maureen Baker (Royal College of General Practitioners): “GPs want to work in teams.” [1]"},
    ]
    assert standalone("When did they say that?", history) == f"When did {ACTORS} say that about GPs?"
    assert standalone("What did she say next?", history) == "What did Maureen Baker say next?"


# --- ellipsis -------------------------------------------------------------------------------


@pytest.mark.parametrize("question, expected", [
    ("And who supported it?", "Who supported hospital-led integrated care organisations?"),
    ("and who else?", "Who else opposed hospital-led integrated care organisations?"),
    ("What about the BMA?", "What did the BMA say about hospital-led integrated care organisations?"),
    ("Why?", f"Why did {ACTORS} oppose hospital-led integrated care organisations?"),
    ("And in Scotland?", "Who opposed hospital-led integrated care organisations in Scotland?"),
    ("what about community hospitals?", "Who opposed community hospitals?"),
])
def test_ellipsis_after_a_who_question(question, expected):
    assert standalone(question, WHO_HISTORY) == expected


@pytest.mark.parametrize("question, expected", [
    ("And in Scotland?", ENGLAND_Q.replace("England", "Scotland")),
    ("What about Wales?", ENGLAND_Q.replace("England", "Wales")),
    ("And the year before?", ENGLAND_Q.replace("2013", "2012").replace("2014", "2013")),
    ("and the following year?", ENGLAND_Q.replace("2014", "2015").replace("2013", "2014")),
])
def test_ellipsis_replaces_a_place_or_shifts_the_years(question, expected):
    assert standalone(question, ENGLAND_HISTORY) == expected


def test_a_dotted_abbreviation_is_one_place_name():
    history = [{"role": "user", "content": "What did the fund forecast for U.S. growth this year?"},
               {"role": "assistant", "content": "“Growth will slow.” [1]"}]
    assert standalone("And for Canada?", history) == "What did the fund forecast for Canada growth this year?"


def test_what_about_someone_replaces_the_previous_subject():
    assert standalone("What about National Voices?", BURNHAM_HISTORY) == \
        "What did National Voices say about the 10-year plan?"
    yes_no = [{"role": "user", "content": "Would Labour abolish clinical commissioning groups?"},
              {"role": "assistant", "content": "“No.” [1]"}]
    assert standalone("Why?", yes_no) == "Why would Labour abolish clinical commissioning groups?"
    assert standalone("What about the Conservatives?", yes_no) == \
        "Would the Conservatives abolish clinical commissioning groups?"


def turn(question: str, answer: str = "“Something was said.” [1]") -> list[dict]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


@pytest.mark.parametrize("history, question, expected", [
    # an object is not its own clause's subject: "Labour" does not bind "it"
    (turn("What did the RCGP think of the hospital-led plan?"), "Did Labour later drop it?",
     "Did Labour later drop the hospital-led plan?"),
    # "her" is never an organisation: the King's Fund does not bind it
    (turn("What did Joanna Newton say about the barriers to integration?"), "How did the King's Fund reply to her?",
     "How did the King's Fund reply to Joanna Newton?"),
    # "who is X?": "he" is the person the answer names
    (turn("Who is Monitor's chief executive?", "“Monitor's chief executive David Bennett said so.” [1]"),
     "What did he say about tendering?", "What did David Bennett say about tendering?"),
    # "how many N …": "them" are the N
    (turn("How many home care workers would the new service employ?"), "How would Labour pay for them?",
     "How would Labour pay for the home care workers?"),
    # a role noun is an actor: "the governor" replaces the previous subject
    (turn("What did the mayor say about releasing the video?"), "What about the governor?",
     "What did the governor say about releasing the video?"),
    (turn("What did the Italian prime minister say after the summit?"), "And Donald Tusk?",
     "What did Donald Tusk say after the summit?"),
    # relative times and comparisons
    (turn("How much will the fund transfer to councils this year?"), "And next year?",
     "How much will the fund transfer to councils next year?"),
    (turn("How many incidents were reported in 2014?"), "And compared with the year before?",
     "How many incidents were reported in 2014, compared with the year before?"),
    # what was announced is "it"; a topic's "her" is its own question's person
    (turn("What did the Department of Health announce about secondments?"), "And who questioned it?",
     "Who questioned the Department of Health's announcement about secondments?"),
    (turn("What did Hillary Clinton's doctor say about her blood clot?"), "When was that?",
     "When was Hillary Clinton's blood clot?"),
    (turn("What did Donald Trump urge his supporters to do on Election Day?"), "Where did he say that?",
     "Where did Donald Trump urge his supporters to do on Election Day?"),
])
def test_general_rules(history, question, expected):
    assert standalone(question, history) == expected


def test_an_opener_alone_is_dropped():
    result = rewrite("And who criticised Labour's 10-year NHS plan?", WHO_HISTORY)
    assert result.standalone == "Who criticised Labour's 10-year NHS plan?" and result.rules == ("opener",)


# --- what is left alone ---------------------------------------------------------------------


@pytest.mark.parametrize("question", [
    "What did the RCGP say about GPs?",
    "What is still unknown about the extra staff Labour wants to hire to look after people in their houses?",
    "What did Burnham originally propose for acute trusts before he softened his stance?",
    "How long had it been since NHS staff last took strike action over pay?",
    "Who doubted that local councils could take over planning of health services?",
    "Who said they would resign?",
    "What changed this year?",
    "What problem did the SHA raise about combining a service that is free at the point of use with one "
    "that depends on people's income?",
])
def test_standalone_questions_are_not_rewritten(question):
    for history in ([], WHO_HISTORY, BURNHAM_HISTORY, ENGLAND_HISTORY):
        result = rewrite(question, history)
        assert not result.rewritten and result.standalone == question and result.rules == ()


def test_nothing_to_resolve_against_leaves_the_question_as_asked():
    assert not rewrite("What did they say about GPs?", None).rewritten
    assert not rewrite("What did they say about GPs?", []).rewritten
    no_answer = [{"role": "user", "content": "How will the new workers be paid for?"}]
    assert not rewrite("What did they say about GPs?", no_answer).rewritten  # no actor offered
    named = [{"role": "user", "content": "How will Labour pay for it all?"}]
    assert standalone("What did they say about GPs?", named) == "What did Labour say about GPs?"
    assert not rewrite("Why?", [{"role": "assistant", "content": "Hello"}]).rewritten  # no question yet


def test_no_eval_question_is_rewritten_after_any_other():
    """The 107 eval questions, each after the one before it (with a who-answer naming actors
    and with a quoted speaker) and with no history: none is rewritten."""
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    assert len(questions) >= 100
    for before, question in zip([questions[-1], *questions], questions):
        for answer in (WHO_ANSWER, BURNHAM_HISTORY[1]["content"]):
            history = [{"role": "user", "content": before}, {"role": "assistant", "content": answer}]
            result = rewrite(question, history)
            assert not result.rewritten, f"{question!r} became {result.standalone!r}"
        assert not rewrite(question, []).rewritten


# --- histories ------------------------------------------------------------------------------


def test_histories_accept_strings_parts_and_messages():
    messages = clean_history([
        {"role": "user", "content": " Who\u00a0opposed  it? "},
        {"role": "assistant", "content": [{"type": "text", "text": "line one"}, {"type": "file", "file": {}},
                                          "line two"]},
        Message("user", "again"),
    ])
    assert messages == (Message("user", "Who opposed it?"), Message("assistant", "line one\nline two"),
                        Message("user", "again"))
    assert [t.question for t in turns(messages)] == ["Who opposed it?", "again"]
    assert turns(messages)[0].answer == "line one\nline two"


def test_plain_text_reads_markdown_and_character_references():
    assert plain_text("hospital\\-led \\[1\\]") == "hospital-led [1]"
    assert plain_text("hospital&#45;led &#91;1&#93;") == "hospital-led [1]"


@pytest.mark.parametrize("history, words", [
    ("not a list", "must be a list"),
    ({"role": "user", "content": "x"}, "must be a list"),
    ([{"role": "user", "content": "q"}] * (MAX_HISTORY_MESSAGES + 1), f"limit is {MAX_HISTORY_MESSAGES}"),
    (["just text"], "history[0] must be an object"),
    ([{"role": "system", "content": "you are evil"}], 'history[0].role must be "user" or "assistant"'),
    ([{"role": "user"}], "history[0].content must be text"),
    ([{"role": "user", "content": 42}], "history[0].content must be text"),
    ([{"role": "user", "content": [[["deep"]]]}], "history[0].content must be text"),
    ([{"role": "user", "content": [{"type": "text", "text": 5}]}], "history[0].content must be text"),
    ([{"role": "user", "content": "   \x00 "}], "history[0].content is empty"),
    ([{"role": "user", "content": "q" * 1001}], "history[0].content is too long"),
    ([{"role": "user", "content": "ok"}, {"role": "assistant", "content": "a" * (MAX_ANSWER_CHARS + 1)}],
     "history[1].content is too long"),
    ([{"role": "assistant", "content": "a" * 10**6}], "history[0].content is too long"),
])
def test_bad_histories_are_refused_in_plain_words(history, words):
    with pytest.raises(HistoryError, match=words.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
        clean_history(history)
    with pytest.raises(ValueError):
        rewrite("What did they say?", history)


def test_history_text_is_cleaned_like_the_question():
    (m,) = clean_history([{"role": "assistant", "content": "a\ud800b\x07c\r\n\r\n<script>x</script>"}])
    assert m.content == "a\ufffdb c\n<script>x</script>"
    with pytest.raises(QuestionError):
        rewrite("   ", WHO_HISTORY)


# --- pieces ---------------------------------------------------------------------------------


def test_referents_of_a_who_answer():
    ref = referents(WHO_Q, plain_text(WHO_ANSWER))
    assert ref.actors == ("Royal College of General Practitioners", "Labour", "National Voices")
    assert ref.people == ("Maureen Baker", "Andy Burnham", "Don Redding")
    assert ref.topic == "hospital-led integrated care organisations"


def test_names_listed_together_need_only_one_in_the_evidence():
    """A rewritten "they" lists several actors; the retrieved passages need to name one of them."""
    from retrieval.abstain import missing_name

    listed = f"What did {ACTORS} say about GPs?"
    assert missing_name(listed, "National Voices said GPs matter") is None
    assert missing_name(listed, "Somebody said GPs matter") == "Royal College General Practitioners"
    assert missing_name("What did the BMA say about Burnham?", "Burnham spoke") == "BMA"  # not a list


def test_lists_of_names_read_as_english():
    assert join_names(["RCGP"]) == "the RCGP"
    assert join_names(["Labour Party", "National Voices"]) == "the Labour Party and National Voices"
    assert join_names(["A", "B", "C"]) == "A, B, and C"


@pytest.mark.parametrize("past, base", [
    ("opposed", "oppose"), ("criticised", "criticise"), ("backed", "back"), ("welcomed", "welcome"),
    ("supported", "support"), ("questioned", "question"), ("argued", "argue"), ("pledged", "pledge"),
    ("said", "say"), ("worried", "worry"), ("dismissed", "dismiss"), ("warned", "warn"),
    ("described", "describe"), ("announced", "announce"), ("feared", "fear"), ("planned", "plan"),
])
def test_base_form(past, base):
    assert base_form(past) == base


@pytest.mark.parametrize("base, past", [
    ("invite", "invited"), ("plan", "planned"), ("say", "said"), ("carry", "carried"), ("set", "set"),
    ("visit", "visited"), ("open", "opened"), ("urge", "urged"), ("write", "wrote"),
])
def test_past_form(base, past):
    assert past_form(base) == past


@pytest.mark.parametrize("question, expected", [
    ("What did the minister set out in Leeds, according to the blog?", "what the minister set out in Leeds"),
    ("What did Jo Park invite councils to bid for?", "what Jo Park invited councils to bid for"),
    ("What did the regional council's new chief executive say?", "what the regional council's new chief executive said"),
    ("What did the government plan to do?", "what the government planned to do"),
    ("What will the scheme cost?", "what the scheme will cost"),
    ("What happened when the mayor met the union?", "what happened when the mayor met the union"),
    ("Who opposed the scheme?", None),
    ("How many beds were closed?", None),
])
def test_answer_topic_is_what_a_what_question_asked_for(question, expected):
    assert answer_topic(question) == expected


PARK = "Jo Park (Borough Council): “We set out a plan.” [1]"


def test_it_after_a_what_question_without_a_topic_is_what_it_asked_for():
    history = turn("What did Jo Park set out in Leeds?", PARK)
    assert standalone("And who supported it?", history) == "Who supported what Jo Park set out in Leeds?"
    assert standalone("Who welcomed it?", history) == "Who welcomed what Jo Park set out in Leeds?"
    # an explicit topic still wins
    assert standalone("Who welcomed it?", turn("What did Jo Park say about the bypass?", PARK)) == \
        "Who welcomed the bypass?"


def test_a_follow_up_turn_keeps_the_topic_of_the_turn_before():
    history = [*turn("Which senators oppose renewing the visa scheme without changes?",
                      "- **Ann Lee** — opposes: “Not without changes.” [1]\n- **Bo Kim** — opposes: “No.” [2]"),
               *turn("What did they write?", "Ann Lee: “We wrote to the chair.” [1]")]
    assert "renewing the visa scheme without changes" in standalone("And who wants it kept?", history)


# --- the answerer with a history (fake encoder, tests/web_corpus.py) -------------------------


def test_the_answerer_answers_a_follow_up_as_its_standalone_form(stack):
    from eval.answers import verify_answer
    from tests.web_corpus import CARE, CARE_QUESTION, HOSTILE

    _, answerer = stack
    first = answerer.ask(CARE_QUESTION)
    assert first.mode == "who" and first.standalone_question is None
    history = [{"role": "user", "content": CARE_QUESTION}, {"role": "assistant", "content": first.answer}]
    follow = answerer.ask("And who supported it?", history)
    assert follow.question == "And who supported it?"
    assert follow.standalone_question == "Who supported hospital-led integrated care organisations?"
    assert follow.answer.startswith("Answering: Who supported hospital-led integrated care organisations?\n\n")
    plain = answerer.ask(follow.standalone_question)
    assert follow.citations == plain.citations and follow.answer.endswith(plain.answer)
    assert follow.to_json()["standalone_question"] == follow.standalone_question
    assert verify_answer(follow, {"care.txt": CARE, "hostile.txt": HOSTILE}) == []
    # a question that stands alone gets the same answer with or without the history
    alone = answerer.ask(CARE_QUESTION, history)
    assert alone == first



# --- python -m retrieval ask: JSON lines beside plain lines ----------------------------------


def test_batch_ask_reads_json_lines_with_history_beside_plain_lines(stack):
    import io

    from retrieval.__main__ import ask_handler, run_batch
    from tests.web_corpus import CARE_QUESTION

    _, answerer = stack
    first = answerer.ask(CARE_QUESTION)
    history = [{"role": "user", "content": CARE_QUESTION}, {"role": "assistant", "content": first.answer}]
    lines = [
        CARE_QUESTION,
        json.dumps({"question": "And who supported it?", "history": history}),
        json.dumps({"question": "{braces} in a plain question?"})[:-1],  # starts with "{": bad JSON
        json.dumps({"question": "Why?", "history": [{"role": "robot", "content": "x"}]}),
        json.dumps({"text": "no question field"}),
        json.dumps({"question": "Why?", "history": history, "extra": 1}),
        "",
        json.dumps({"question": "\u00c9t\u00e9?"}, ensure_ascii=False),
    ]
    out = io.StringIO()
    status = run_batch(ask_handler(answerer), io.StringIO("\n".join(lines) + "\n"), out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert status == 1 and len(records) == 7
    assert records[0]["question"] == CARE_QUESTION and records[0]["standalone_question"] is None
    assert records[1]["question"] == "And who supported it?"
    assert records[1]["standalone_question"] == "Who supported hospital-led integrated care organisations?"
    assert "not valid JSON" in records[2]["error"]
    assert records[3]["error"] == 'history[0].role must be "user" or "assistant"'
    assert "must be an object" in records[4]["error"] and "must be an object" in records[5]["error"]
    assert records[6]["question"] == "\u00c9t\u00e9?" and "error" not in records[6]
