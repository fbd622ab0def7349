"""The dialogue harness (eval/dialogue_eval.py) on dialogues of our own over tests/web_corpus.py."""

from __future__ import annotations

from dataclasses import dataclass

from eval.dialogue_eval import DialogueReport, converse, dialogue_report, rewritten_questions
from tests.web_corpus import CARE, CARE_QUESTION


@dataclass(frozen=True)
class Span:
    source: str
    start: int
    end: int


@dataclass(frozen=True)
class Dialogue:
    """The fields of eval/dialogues.py's Dialogue that the harness reads."""

    id: str
    turns: tuple[str, ...]
    standalone: str
    phenomenon: str
    gold: tuple[Span, ...]


@dataclass(frozen=True)
class Question:
    id: str
    question: str


def span(text: str) -> Span:
    start = CARE.index(text)
    return Span("care.txt", start, start + len(text))


RCGP = span("The Royal College of GPs opposed hospital-led integrated care organisations")
LEVY = span("Labour will pay for the new home care workers with a mansion tax and a levy on tobacco firms.")
DIALOGUES = [
    Dialogue("t1", (CARE_QUESTION, "And who supported it?"),
             "Who supported hospital-led integrated care organisations?", "ellipsis_who", (RCGP,)),
    Dialogue("t2", (CARE_QUESTION, "What did they say about general practice?"),
             "What did the Royal College of GPs say about general practice?", "pronoun", (RCGP,)),
    Dialogue("t3", ("How will Labour pay for the new home care workers?", "Why?", "What about the tobacco firms?"),
             "What will the levy on tobacco firms pay for?", "what_about", (LEVY,)),
    # gold that no answer cites: both forms miss it, and the ratio must not count it
    Dialogue("t4", (CARE_QUESTION, "What did they say about general practice?"),
             "What did the GPs say about general practice?", "pronoun", (Span("hostile.txt", 0, 5),)),
]


def test_converse_feeds_each_answer_back_as_history(stack):
    _, answerer = stack
    first, second = converse(answerer, (CARE_QUESTION, "And who supported it?"))
    assert first.standalone_question is None
    assert second.standalone_question == "Who supported hospital-led integrated care organisations?"


def test_the_report_scores_follow_ups_against_their_standalone_forms(stack):
    _, answerer = stack
    questions = [Question("a", CARE_QUESTION), Question("b", "How will Labour pay for the new home care workers?")]
    report = dialogue_report("web", answerer, DIALOGUES, questions)
    by_id = {r.id: r for r in report.results}
    assert by_id["t1"].rewritten_as == "Who supported hospital-led integrated care organisations?"
    assert by_id["t1"].follow_up_cites and by_id["t1"].standalone_cites
    assert by_id["t2"].rewritten_as == "What did the GPs say about general practice?"
    assert not by_id["t4"].follow_up_cites and not by_id["t4"].standalone_cites
    follow = sum(r.follow_up_cites for r in report.results)
    alone = sum(r.standalone_cites for r in report.results)
    assert alone >= 2 and report.ratio == follow / alone
    assert report.by_phenomenon()["pronoun"][0] == 2
    assert report.checked_questions == 2 and report.rewritten_questions == []
    assert set(report.latency_ms) == {"alone_p50", "history_p50", "calls"} and report.latency_ms["calls"] == 6
    text = report.summary(verbose=True)
    assert "follow-ups (web, 4 dialogues)" in text and "standalone eval questions rewritten: 0 of 2" in text
    assert "t3 [what_about]" in text and "ask latency (warm, p50)" in text
    assert report.to_json()["results"][0]["id"] == "t1"


def test_the_rewrite_check_reports_a_question_that_is_rewritten(stack):
    _, answerer = stack
    questions = [("a", CARE_QUESTION), ("b", "What did they say about general practice?")]
    answers = {qid: answerer.ask(q) for qid, q in questions}
    assert rewritten_questions(questions, answers) == [
        ("b", "What did they say about general practice?", "What did the GPs say about general practice?")]


def test_the_ratio_when_nothing_cites_gold():
    assert DialogueReport("empty", []).ratio == 1.0
