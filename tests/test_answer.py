"""The answer composer: cited quotes exact by construction, who-questions by actor and stance,
abstention, and the CLI. Small hand-written corpus and the fake encoder, except the tests
marked real_model, which answer the issue's questions on the default corpus."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eval.answers import verify_answer
from index.build import build_in_memory
from index.corpus import load_corpus
from index.paths import PROJECT_ROOT
from retrieval.answer import Answerer, AnswerSettings
from retrieval.question import QuestionError
from retrieval.searcher import Searcher
from tests.fakes import fake_searcher, write_docs

DOCS = {
    "live.txt": (
        "Tram debate live\n\n"
        "5.20pm The Federation of Small Shops has raised concerns about congestion charging in the city centre.\n\n"
        "Chair Dr Sam Lee said: “Congestion charging in the city centre will drive shoppers away.\n\n"
        "“It simply will not work for small shops.”\n\n"
        "4.30pm The Cyclists Alliance has welcomed congestion charging in the city centre.\n\n"
        "Director of policy, Ann Bee, said: “We strongly welcome congestion charging in the city centre "
        "because it will clean the air.”\n"
    ),
    "budget.txt": (
        "Council budget\n\n"
        "The council will pay for the new tram line with a parking levy and a tourist tax, the finance chief said.\n\n"
        "The tram line will open in 2027 after three years of building work.\n"
    ),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return load_corpus(write_docs(tmp_path_factory.mktemp("answers"), DOCS))


@pytest.fixture(scope="module")
def answerer(corpus):
    return Answerer(fake_searcher(corpus))


def texts(corpus) -> dict[str, str]:
    return {d.source: d.text for d in corpus.documents}


def check(answer, corpus) -> None:
    """The composer's invariants: exact quotes, [n] markers matching the citations, numbering."""
    assert verify_answer(answer, texts(corpus)) == []
    assert json.loads(json.dumps(answer.to_json()))["answer"] == answer.answer


def test_who_opposed_lists_the_actor_with_quote_stance_and_citation(answerer, corpus):
    answer = answerer.ask("Who opposed congestion charging in the city centre?")
    check(answer, corpus)
    assert not answer.abstained and answer.mode == "who"
    assert "Federation of Small Shops" in answer.answer and "Sam Lee" in answer.answer
    assert "Cyclists Alliance" not in answer.answer
    assert {c.stance for c in answer.citations} <= {"opposes", "mixed"}
    assert any(c.speaker == "Sam Lee" and c.organisation == "Federation of Small Shops" for c in answer.citations)


def test_who_welcomed_lists_the_other_side(answerer, corpus):
    answer = answerer.ask("Who welcomed congestion charging in the city centre?")
    check(answer, corpus)
    assert "Cyclists Alliance" in answer.answer and "Federation of Small Shops" not in answer.answer
    assert all(c.stance in ("supports", "mixed") for c in answer.citations)


def test_other_questions_get_the_best_sentences_cited(answerer, corpus):
    answer = answerer.ask("How will the council pay for the new tram line?")
    check(answer, corpus)
    assert answer.mode == "sentences" and not answer.abstained
    assert "parking levy" in answer.citations[0].quote
    assert 1 <= len(answer.citations) <= 3
    # Only sources actually cited are listed, each once per quoted span.
    assert len({(c.source, c.start, c.end) for c in answer.citations}) == len(answer.citations)


def test_quoted_text_in_the_answer_is_each_citation_quote(answerer, corpus):
    for q in ("Who opposed congestion charging in the city centre?", "When will the tram line open?"):
        answer = answerer.ask(q)
        quoted = re.findall(r"“(.+?)” \[(\d+)\]", answer.answer)
        assert quoted
        for text, n in quoted:
            c = answer.citations[int(n) - 1]
            assert text == c.quote == texts(corpus)[c.source][c.start:c.end]


def test_a_name_the_sources_never_mention_abstains_with_related_passages(answerer):
    answer = answerer.ask("What did Boris Johnson say about the tram line?")
    assert answer.abstained and answer.mode == "abstained"
    assert answer.citations == [] and answer.related
    assert "don't answer" in answer.answer and "may be related" in answer.answer
    assert not re.search(r"\[\d+\]", answer.answer)


def test_a_count_with_no_number_in_the_evidence_abstains(answerer):
    assert answerer.ask("How many trams will run on the new line?").abstained
    assert not answerer.ask("How many years of building work will the tram line take?").abstained


def test_the_threshold_decides_weak_evidence(corpus):
    strict = Answerer(fake_searcher(corpus), settings=AnswerSettings(min_score=0.99))
    assert strict.ask("How will the council pay for the new tram line?").abstained


def test_bad_questions_raise_question_error(answerer):
    with pytest.raises(QuestionError):
        answerer.ask("   ")
    with pytest.raises(QuestionError):
        answerer.ask("x" * 5000)


def test_contract_shape(answerer):
    body = answerer.ask("Who opposed congestion charging in the city centre?").to_json()
    assert {"question", "answer", "citations", "abstained", "related"} <= set(body)
    assert {"n", "source", "title", "outlet", "published", "start", "end", "quote", "context_start",
            "context_end", "context", "speaker", "organisation", "role", "stance"} <= set(body["citations"][0])


# --- the questions on the default corpus, with the real model ---------------------------


@pytest.fixture(scope="module")
def real_answerer(corpus_dir, real_encoder):
    corpus = load_corpus(corpus_dir)
    return Answerer(Searcher(build_in_memory(corpus, real_encoder), real_encoder)), corpus


@pytest.mark.real_model
def test_who_opposed_hospital_led_icos(real_answerer):
    answerer, corpus = real_answerer
    answer = answerer.ask("Who opposed hospital-led integrated care organisations?")
    check(answer, corpus)
    assert answer.mode == "who"
    text = answer.answer
    assert "Royal College of General Practitioners" in text and "Maureen Baker" in text
    assert "National Voices" in text and "Don Redding" in text
    assert any("GP leaders expressed alarm" in c.quote for c in answer.citations)  # the 2015 report
    assert any(c.speaker == "Maureen Baker" for c in answer.citations)


@pytest.mark.real_model
def test_how_labour_pays_for_home_care_workers(real_answerer):
    answerer, corpus = real_answerer
    answer = answerer.ask("How will Labour pay for the new home care workers?")
    check(answer, corpus)
    cited = " ".join(c.quote for c in answer.citations)
    assert "mansion tax" in cited and "tobacco" in cited and "tax avoidance" in cited


@pytest.mark.real_model
@pytest.mark.parametrize("question", [
    "What did Simon Stevens say about Labour's 10-year plan for the NHS?",
    "What is the boiling point of mercury?",
])
def test_out_of_corpus_questions_abstain(real_answerer, question):
    answerer, _ = real_answerer
    answer = answerer.ask(question)
    assert answer.abstained and answer.citations == [] and answer.related


@pytest.mark.real_model
def test_cli_ask_batch_mode(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_docs(corpus, DOCS)
    done = subprocess.run(
        [sys.executable, "-m", "retrieval", "ask", "--corpus", str(corpus), "--index-dir", str(tmp_path / "idx")],
        input="Who opposed congestion charging in the city centre?\n\n   \nWhat did Boris Johnson say?\n",
        capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300,
        env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) == 2
    assert records[0]["mode"] == "who" and records[0]["citations"]
    assert records[1]["abstained"] is True


# Quotes from sources go into the answer's markdown escaped: any CommonMark renderer must show
# exactly the source characters, and nothing may become a link, an image, emphasis or HTML.
_INLINE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\n\r\t"),
    max_size=60,
).map(str.strip).filter(bool)


@settings(max_examples=400, deadline=None)
@given(_INLINE_TEXT)
def test_md_escaped_text_renders_as_exactly_itself(text):
    import html as html_lib

    from markdown_it import MarkdownIt

    from retrieval.answer import md

    rendered = MarkdownIt("commonmark").render(f"- **{md(text)}** said “{md(text)}” [1]").strip()
    assert rendered.startswith("<ul>\n<li><strong>") and rendered.endswith("</li>\n</ul>")
    inner = rendered[len("<ul>\n<li>"):-len("</li>\n</ul>")]
    body = inner.replace("<strong>", "", 1).replace("</strong>", "", 1)
    assert "<" not in body  # no tag besides the composer's own <strong>
    assert html_lib.unescape(body) == f"{text} said “{text}” [1]"


@settings(max_examples=300, deadline=None)
@given(_INLINE_TEXT)
def test_unmd_inverts_md(text):
    from retrieval.answer import md, unmd

    assert unmd(md(text)) == text
