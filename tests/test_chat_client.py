"""The Gradio chat through gradio_client against a launched app, and its markup rules.

The corpus (tests/web_corpus.py) holds hostile markup on purpose: retrieved text must come out
as text, never as HTML tags, markdown links or images.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from app import build_app
from retrieval.answer import Citation
from tests.live_server import serve_app
from tests.web_corpus import CARE_QUESTION, EVIL, HOSTILE_QUESTION, fake_stack
from retrieval.answer import md
from web.markup import answer_markdown, highlighted_passage, inert, sources_html

# The tags web/markup.py writes itself; anything else in a message came from retrieved text.
OWN_TAGS = {"div", "p", "br", "strong", "span", "blockquote", "details", "summary", "mark"}
MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def tags_and_text(markup: str) -> tuple[set[str], str]:
    parser = TagCollector()
    parser.feed(markup)
    parser.close()
    return set(parser.tags), "".join(parser.text)


# --- markup rules ----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=200)
       | st.sampled_from(["[a](http://x.org)", "![i](http://x.org/i.png)", "<b>x</b>", "**x**",
                          "# h", "1. x", "- x", "`c`", "https://x.org", "www.x.org", "a@b.org",
                          "<http://x.org>", "[r]: http://x.org\n\n[r]", "&amp; &#60;"]))
def test_inert_text_renders_as_exactly_itself(text):
    rendered = MARKDOWN.render(inert(text))
    tags, shown = tags_and_text(rendered)
    assert tags <= {"p"}, f"{text!r} rendered as {rendered!r}"
    assert " ".join(shown.split()) == " ".join(text.split())
    assert html.unescape(inert(text)) == text


def test_answer_markdown_keeps_lists_markers_and_composer_bold_but_not_links():
    # As the composer writes it: its own ** around an actor, source text escaped by md().
    answer = ("- “" + md("Read [this](http://x.org) now") + "” [1]\n- " + md("<img src=x>") + " [2]\n\n"
              "**" + md("Royal College (Dr *X*)") + "** said “" + md("**not bold**") + "” [3]")
    rendered = MARKDOWN.render(answer_markdown(answer))
    tags, shown = tags_and_text(rendered)
    assert tags == {"ul", "li", "p", "strong"}
    assert "<strong>Royal College (Dr *X*)</strong>" in rendered.replace("&#42;", "*").replace("&#40;", "(").replace("&#41;", ")")
    for piece in ("“Read [this](http://x.org) now” [1]", "<img src=x> [2]",
                  "Royal College (Dr *X*) said “**not bold**” [3]"):
        assert piece in shown


def test_answer_markdown_stays_inert_even_if_a_quote_was_not_escaped():
    rendered = MARKDOWN.render(answer_markdown("- “Read [this](javascript:alert(1)) <b>now</b>” [1]"))
    tags, shown = tags_and_text(rendered)
    assert tags == {"ul", "li"} or tags == {"ul", "li", "p"}
    assert "“Read [this](javascript:alert(1)) <b>now</b>” [1]" in shown


def test_highlighted_passage_marks_the_quote_at_its_offsets():
    context = "First sentence. The <quoted> [part]. Last."
    start = 1000 + context.index("The")
    end = start + len("The <quoted> [part].")
    markup = highlighted_passage(context, 1000, start, end)
    tags, shown = tags_and_text(markup)
    assert tags == {"mark"} and shown == context
    marked = markup.split("<mark>")[1].split("</mark>")[0]
    assert html.unescape(marked) == "The <quoted> [part]."
    # a span outside the passage shows the passage unmarked instead of failing
    assert "<mark>" not in highlighted_passage(context, 1000, 5000, 5010)


def test_sources_html_is_one_block_of_own_tags():
    c = Citation(n=1, source="a<b>.txt", title="T [x](http://e.org)", outlet="O & <u>", published="2015",
                 start=10, end=14, quote="q\n\nq", context_start=8, context_end=20, context="..q\n\nq.....",
                 speaker="Dr <i>X</i>", organisation="RCGP", role="chair", stance="oppose")
    markup = sources_html([c])
    assert "\n" not in markup  # a newline (blank line) would end Gradio's HTML block early
    tags, shown = tags_and_text(MARKDOWN.render(markup))
    assert tags <= OWN_TAGS
    for piece in ("[1] T [x](http://e.org)", "O & <u>", "Dr <i>X</i> (chair, RCGP)", "a<b>.txt [10–14)"):
        assert piece in shown


# --- gradio_client against a launched app ----------------------------------------------------


@pytest.fixture(scope="module")
def chat_client(tmp_path_factory):
    from gradio_client import Client

    app = build_app(*fake_stack(tmp_path_factory.mktemp("chat-corpus")))
    with serve_app(app) as port:
        yield Client(f"http://127.0.0.1:{port}/", verbose=False, download_files=False)


def ask(client, question: str) -> list[dict]:
    messages = client.predict(question, api_name="/chat")
    assert isinstance(messages, list) and messages
    assert all(m["role"] == "assistant" for m in messages)
    return messages


def test_chat_endpoint_is_named_chat(chat_client):
    assert "/chat" in chat_client.view_api(return_format="dict", print_info=False)["named_endpoints"]


def test_chat_answers_with_markers_and_collapsed_sources(chat_client):
    answer, sources = ask(chat_client, CARE_QUESTION)
    _, answer_text = tags_and_text(MARKDOWN.render(answer["content"]))
    assert "[1]" in answer_text and "Royal College of GPs" in answer_text
    assert not answer.get("metadata", {}).get("title")
    assert sources["metadata"]["title"].startswith("Sources (")
    assert sources["metadata"]["status"] == "done"  # starts collapsed
    tags, text = tags_and_text(sources["content"])
    assert {"details", "mark", "blockquote"} <= tags
    assert "Integrated care debate notes" in text and "Test Outlet · 2015-01" in text


def test_retrieved_markup_stays_text(chat_client):
    messages = ask(chat_client, HOSTILE_QUESTION)
    everything = ""
    for m in messages:
        tags, text = tags_and_text(MARKDOWN.render(m["content"]))
        assert tags <= OWN_TAGS | {"ul", "li"}, f"retrieved markup became HTML: {tags - OWN_TAGS}"
        for raw in (f"http://{EVIL}", f"www.{EVIL}", "](", "<img", "<script"):
            assert raw not in m["content"], f"{raw!r} reached the message unescaped"
        everything += text
    # ...but it is all still there, as text
    for piece in ('<img src=x onerror="window.__pwned=1">', f"[the tariff link](http://{EVIL}/l)",
                  "Tariff <i>notes</i>", "Evil & Co <u>outlet</u>"):
        assert piece in everything


@pytest.mark.parametrize("question, words", [("", "the question is empty"), ("  ", "the question is empty"),
                                             ("x" * 1500, "the question is too long")])
def test_bad_questions_get_a_readable_reply(chat_client, question, words):
    (reply,) = ask(chat_client, question)
    assert reply["content"].startswith("Sorry, I cannot answer that:")
    assert words in html.unescape(reply["content"])
    assert "Traceback" not in reply["content"]


def test_an_unexpected_failure_shows_no_details(tmp_path):
    """show_error is off: the chat reports a failure without the exception's text."""
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    class BrokenAnswerer:
        def ask(self, question):
            raise RuntimeError("secret internal detail")

    searcher, _ = fake_stack(tmp_path / "corpus")
    with serve_app(build_app(searcher, BrokenAnswerer())) as port:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False, download_files=False)
        with pytest.raises(AppError) as failure:
            client.predict(CARE_QUESTION, api_name="/chat")
    assert "has not enabled verbose error reporting" in str(failure.value)
    assert "secret internal detail" not in str(failure.value)


# --- follow-ups: the chat handler with Gradio's history -----------------------------------------


def gradio_message(role: str, text: str, title: str | None = None) -> dict:
    """A history message as Gradio 6 passes it to the handler (content as a list of parts)."""
    return {"role": role, "content": [{"type": "text", "text": text}],
            "metadata": {"title": title, "status": "done"} if title else None, "options": None}


def test_chat_history_keeps_questions_and_answers_as_plain_text():
    from web.chat import chat_history

    history = [
        gradio_message("user", "x" * 1500),  # refused when asked: left out
        gradio_message("assistant", "Sorry, I cannot answer that: the question is too long."),
        gradio_message("user", CARE_QUESTION),
        gradio_message("assistant", answer_markdown("- **GPs** — opposes: “hospital\\-led” [1]")),
        gradio_message("assistant", "<div class=\"dqa-source\">…</div>", title="Sources (1)"),
        {"role": "tool", "content": "?"}, "junk", {"role": "user", "content": [{"type": "text", "text": 5}]},
    ]
    assert chat_history(history) == [
        {"role": "assistant", "content": "Sorry, I cannot answer that: the question is too long."},
        {"role": "user", "content": CARE_QUESTION},
        {"role": "assistant", "content": "- **GPs** — opposes: “hospital-led” [1]"},
    ]
    many = [gradio_message("user" if i % 2 == 0 else "assistant", f"message {i}") for i in range(30)]
    kept = chat_history(many)
    assert len(kept) == 12 and kept[-1]["content"] == "message 29"
    assert chat_history(None) == [] and chat_history([]) == []


def test_the_chat_handler_answers_a_follow_up_from_its_history(tmp_path):
    from web.chat import make_respond

    searcher, answerer = fake_stack(tmp_path / "corpus")
    respond = make_respond(answerer)
    first = respond(CARE_QUESTION, [])
    history = [gradio_message("user", CARE_QUESTION)] + [
        gradio_message("assistant", m.content, (m.metadata or {}).get("title")) for m in first]
    answer, sources = respond("And who supported it?", history)
    _, shown = tags_and_text(MARKDOWN.render(answer.content))
    assert shown.startswith("Answering: Who supported hospital-led integrated care organisations?")
    assert "[1]" in shown and sources.metadata["title"] == "Sources (1)"
    # without the history the same words are a question of their own
    (alone, *_) = respond("And who supported it?", [])
    assert "Answering" not in alone.content
