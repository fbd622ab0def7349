"""Script injection, end to end in Debian's Chromium: retrieved text full of tricks is shown,
visibly, as the text it is, in the web chat and in the widget embedded on another site.

The corpus (tests/xss_corpus.py) holds <script>, event-handler attributes, javascript: and
data: links, markdown link and image tricks, HTML entities (in a text file, where they must
stay literal, and in an HTML file, where they decode to characters that must stay text), and
template syntax. Any payload that runs sets ``window.__pwned`` or opens a dialog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from app import build_app
from index.build import build_in_memory
from index.corpus import load_corpus
from retrieval.answer import Answerer
from retrieval.searcher import Searcher
from tests.fakes import FakeEncoder
from tests.live_server import serve_app, serve_pages
from tests.xss_corpus import FORBIDDEN_TAGS, QUESTIONS, SHOWN, write_corpus
from web.settings import WebSettings

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000
ORDER = ("zebra", "yak", "quokka", "narwhal")
SOURCES_TITLE = re.compile(r"^Sources \(\d+\)$")

# Walks a DOM subtree (and open shadow roots) for anything retrieved text must not become.
FIND_INJECTED = """([roots, forbidden]) => {
  const found = [];
  const visit = (node) => {
    for (const el of node.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (forbidden.includes(tag)) found.push('<' + tag + '>');
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase(), value = attr.value.trim().toLowerCase();
        if (name.startsWith('on')) found.push(tag + '[' + name + ']');
        if (['href', 'src', 'srcdoc', 'action', 'formaction', 'xlink:href'].includes(name)
            && /^(javascript|data|vbscript):/.test(value)) found.push(tag + '[' + name + '=' + value + ']');
      }
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  for (const root of roots) visit(root);
  return found;
}"""


def assert_nothing_ran(tab) -> None:
    assert tab.page.evaluate("() => window.__pwned") is None, "retrieved text ran a script"
    tab.assert_clean()


@dataclass(frozen=True)
class Site:
    app: str
    host: str


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The fake-encoder app over the trick corpus on app.test, and a page on host.test (an
    allowed origin) that embeds the widget the way the README says."""
    encoder = FakeEncoder()
    index = build_in_memory(load_corpus(write_corpus(tmp_path_factory.mktemp("xss") / "corpus")), encoder)
    searcher = Searcher(index, encoder)
    pages: dict[str, str] = {}
    with serve_pages(pages) as page_port:
        settings = WebSettings(allowed_origins=(f"http://host.test:{page_port}",))
        with serve_app(build_app(searcher, Answerer(searcher), settings=settings)) as app_port:
            app = f"http://app.test:{app_port}"
            pages["/"] = (f'<!doctype html><html><head><meta charset="utf-8"><title>Host</title>'
                          f'<script src="{app}/widget.js" defer></script></head><body><h1>A host page</h1>'
                          f'<debate-qa src="{app}" heading="Ask the debate"></debate-qa></body></html>')
            yield Site(app, f"http://host.test:{page_port}")




def ask_in_chat(page, question: str) -> None:
    box = page.locator("textarea")  # the chat's only one (its placeholder goes once a chat starts)
    box.fill(question)
    box.press("Enter")


def test_the_chat_shows_every_trick_as_text(tab, site):
    page = tab.page
    page.goto(site.app.replace("app.test", "127.0.0.1") + "/")
    for n, key in enumerate(ORDER, start=1):
        ask_in_chat(page, QUESTIONS[key])
        titles = page.get_by_text(SOURCES_TITLE)
        expect(titles).to_have_count(n)
        titles.last.click()
        message = page.locator('[data-testid="bot"]').last
        expect(message.locator(".dqa-source").first).to_be_visible()
        closed = message.locator("details:not([open]) > summary")
        for _ in range(10):  # each click opens one, so the list shrinks
            if not closed.count():
                break
            closed.first.click()
        expect(closed).to_have_count(0)
        for text in SHOWN[key]:
            expect(message).to_contain_text(text, use_inner_text=True)  # rendered and visible
        expect(message.locator(".dqa-passage").first).to_be_visible()
    bots = page.locator('[data-testid="bot"]')
    injected = page.evaluate(FIND_INJECTED, [bots.element_handles(), list(FORBIDDEN_TAGS)])
    assert not injected, f"retrieved text became markup in the chat: {injected}"
    assert_nothing_ran(tab)


def test_the_embedded_widget_shows_every_trick_as_text(tab, site):
    page = tab.page
    page.goto(site.host + "/")
    widget = page.locator("debate-qa")
    for key in ORDER:
        widget.locator("textarea").fill(QUESTIONS[key])
        widget.get_by_role("button", name="Ask", exact=True).click()
        expect(widget.locator("p.question")).to_have_text(QUESTIONS[key])
        sources = widget.locator("details.sources")
        expect(sources).to_be_visible()
        sources.locator("> summary").click()
        for item in widget.locator("details.source").all():
            item.locator("> summary").click()
            item.locator("details.passage > summary").click()
        answer = widget.locator("div.answer")
        for text in SHOWN[key]:
            expect(answer).to_contain_text(text, use_inner_text=True)
        expect(widget.locator("details.passage p").first).to_be_visible()
        injected = page.evaluate(FIND_INJECTED, [[widget.element_handle()], list(FORBIDDEN_TAGS)])
        assert not injected, f"retrieved text became markup in the widget: {injected}"
    # the host page itself is untouched: nothing was added outside the widget's shadow root
    assert page.evaluate("() => [...document.body.querySelectorAll('*')].map(e => e.tagName)") == ["H1", "DEBATE-QA"]
    assert_nothing_ran(tab)


def test_a_100kb_question_in_the_browser_gets_a_message(tab, site):
    page = tab.page
    big = "why " * 25_000
    page.goto(site.app.replace("app.test", "127.0.0.1") + "/")
    ask_in_chat(page, big)
    expect(page.locator('[data-testid="bot"]').last).to_contain_text(
        "Sorry, I cannot answer that: the question is too long (100000 characters; limit 1000).")
    page.goto(site.host + "/")
    widget = page.locator("debate-qa")
    widget.evaluate("(el, q) => el.ask(q)", big)  # as if pasted past the textarea's maxlength
    expect(widget.locator('[role="alert"]')).to_have_text("The question is too long (limit 1000 characters).")
    widget.locator("textarea").fill(big)
    assert len(widget.locator("textarea").input_value()) <= 100_000
    assert_nothing_ran(tab)
