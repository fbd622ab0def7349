"""End to end in Debian's Chromium: the chat, the widget across origins, the refused origin.

The main app uses the real model over the real corpus (the RCGP answer is real). Host names
app.test, host.test and other.test map to 127.0.0.1 and every other name fails to resolve;
every request a page makes is recorded and must go to a loopback host. Screenshots go to
test-artifacts/.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import httpx
import pytest
from playwright.sync_api import expect

from app import build_app
from index.build import build_in_memory
from index.corpus import load_corpus
from index.paths import PROJECT_ROOT
from retrieval.answer import Answerer
from retrieval.searcher import Searcher
from tests.browser import screenshot
from tests.live_server import ExchangeLog, serve_app, serve_pages
from tests.web_corpus import EVIL, HOSTILE_QUESTION, fake_stack
from web.settings import WebSettings

pytestmark = pytest.mark.browser

RCGP_QUESTION = "Who opposed hospital-led integrated care organisations?"
RCGP_WORDS = ("Royal College", "Maureen Baker", "RCGP")
EXAMPLE_ORIGIN = "http://127.0.0.1:7860"  # what examples/embed.html points at
TIMEOUT_MS = 60_000


@dataclass
class Site:
    """The real app on app.test and a host page server answering as host.test and other.test."""

    app_port: int
    page_port: int
    exchanges: ExchangeLog

    @property
    def app_origin(self) -> str:
        return f"http://app.test:{self.app_port}"

    @property
    def allowed_origin(self) -> str:
        return f"http://host.test:{self.page_port}"

    @property
    def refused_origin(self) -> str:  # same server and port, another host name: another origin
        return f"http://other.test:{self.page_port}"


def host_page(app_origin: str) -> str:
    """examples/embed.html, pointed at the test app instead of the default address."""
    text = (PROJECT_ROOT / "examples" / "embed.html").read_text(encoding="utf-8")
    assert EXAMPLE_ORIGIN in text
    return text.replace(EXAMPLE_ORIGIN, app_origin)


@pytest.fixture(scope="module")
def real_stack(real_encoder, corpus_dir):
    index = build_in_memory(load_corpus(corpus_dir), real_encoder)
    searcher = Searcher(index, real_encoder)
    return searcher, Answerer(searcher)


@pytest.fixture(scope="module")
def site(real_stack):
    pages: dict[str, str] = {}
    with serve_pages(pages) as page_port:
        settings = WebSettings(allowed_origins=(f"http://host.test:{page_port}",))
        # Deferred, as app.py serves it: the chat is mounted after start-up (web/deferred.py).
        exchanges = ExchangeLog(build_app(*real_stack, settings=settings, defer_chat=True))
        with serve_app(exchanges) as app_port:
            wait_for_chat(app_port)
            pages["/"] = host_page(f"http://app.test:{app_port}")
            yield Site(app_port, page_port, exchanges)


def wait_for_chat(port: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10).json()["chat"]
        if state == "ready":
            return
        assert state == "starting", state
        time.sleep(0.1)
    raise AssertionError(f"the chat was not mounted within {timeout} s")




def ask_in_chat(page, question: str):
    box = page.get_by_placeholder("Ask a question about the debate…")
    box.fill(question)
    box.press("Enter")


def open_chat_sources(page):
    """Expand the latest "Sources (n)" message; return its n citation blocks once all are shown."""
    title = page.get_by_text(re.compile(r"^Sources \(\d+\)$")).last
    n = int(re.search(r"\d+", title.inner_text()).group())
    title.click()
    sources = page.locator(".dqa-source")
    expect(sources).to_have_count(n)
    expect(sources.first).to_be_visible()
    return sources


def test_chat_answers_with_cited_sources(tab, site):
    page = tab.page
    page.goto(f"http://127.0.0.1:{site.app_port}/")
    ask_in_chat(page, RCGP_QUESTION)
    title = page.get_by_text(re.compile(r"^Sources \(\d+\)$")).first
    title.wait_for()
    answer = page.locator('[data-testid="bot"]').first
    assert re.search(r"\[1\]", answer.inner_text())
    assert page.locator(".dqa-source").count() == 0, "sources should start collapsed"
    sources = open_chat_sources(page)
    texts = sources.all_inner_texts()
    cited = [i for i, t in enumerate(texts) if any(w in t for w in RCGP_WORDS)]
    assert cited, f"no cited source mentions the RCGP: {texts}"
    # the quote, highlighted inside its passage
    source = sources.nth(cited[0])
    source.get_by_text("Show the quote in its passage").click()
    mark = source.locator(".dqa-passage mark")
    expect(mark).to_be_visible()
    assert mark.inner_text().strip() in source.locator("blockquote").inner_text()
    source.scroll_into_view_if_needed()
    screenshot(page, "chat.png")
    tab.assert_clean()


def test_chat_example_starter_gets_a_cited_answer(tab, site):
    page = tab.page
    page.goto(f"http://127.0.0.1:{site.app_port}/")
    page.get_by_role("button", name="How will Labour pay for the new home care workers?").click()
    texts = " ".join(open_chat_sources(page).all_inner_texts())
    assert "home care" in texts
    tab.assert_clean()


def test_widget_works_from_another_origin(tab, site):
    page = tab.page
    # a cookie the app's site has set must never travel with the widget's calls
    page.context.add_cookies([{"name": "session", "value": "secret", "url": site.app_origin}])
    api_calls = []
    page.on("request", lambda r: api_calls.append(r) if r.url.endswith("/api/ask") else None)
    page.goto(site.allowed_origin + "/")
    widget = page.locator("debate-qa#debate-qa-widget")
    widget.locator("textarea").fill(RCGP_QUESTION)
    widget.get_by_role("button", name="Ask", exact=True).click()
    sources = widget.locator("details.sources")
    expect(sources).to_be_visible()
    assert widget.locator("button.marker").count() >= 1  # the [n] markers
    sources.locator("> summary").click()
    texts = widget.locator("details.source").all_text_contents()
    cited = [i for i, t in enumerate(texts) if any(w in t for w in RCGP_WORDS)]
    assert cited, f"no cited source mentions the RCGP: {texts}"
    # a [n] marker opens its source, whose passage shows the quote highlighted
    n = int(widget.locator("details.source").nth(cited[0]).get_attribute("data-n"))
    widget.get_by_role("button", name=f"Source {n}").click()
    item = widget.locator(f'details.source[data-n="{n}"]')
    expect(item.locator("blockquote")).to_be_visible()
    item.locator("details.passage summary").click()
    expect(item.locator("mark")).to_have_text(item.locator("blockquote").inner_text())
    screenshot(widget, "widget.png")

    assert [r.url for r in api_calls] == [site.app_origin + "/api/ask"]
    assert "cookie" not in api_calls[0].all_headers()
    granted = [r for r in site.exchanges.from_origin(site.allowed_origin) if r[1] == "/api/ask"]
    assert granted and all(r[4] == site.allowed_origin for r in granted)

    # the iframe method on the same page: the compact /embed page hosts the same element
    frame = page.frame_locator("#debate-qa-frame")
    frame.locator("debate-qa textarea").fill("How will Labour pay for the new home care workers?")
    frame.locator("debate-qa").get_by_role("button", name="Ask", exact=True).click()
    frame.locator("debate-qa details.sources > summary").click()
    expect(frame.locator("debate-qa details.source").first).to_be_visible()
    assert "home care" in " ".join(frame.locator("debate-qa details.source").all_text_contents())
    page.locator("#debate-qa-frame").scroll_into_view_if_needed()
    screenshot(page, "embed-host.png")
    tab.assert_clean()


def test_an_origin_not_on_the_allowlist_is_refused(tab, site):
    page = tab.page
    before = len(site.exchanges.records)
    page.goto(site.refused_origin + "/")
    widget = page.locator("debate-qa#debate-qa-widget")
    widget.locator("textarea").fill(RCGP_QUESTION)
    widget.get_by_role("button", name="Ask", exact=True).click()
    error = widget.locator('[role="alert"]')
    expect(error).to_contain_text("Could not reach debate-qa")
    assert widget.locator("details.sources").count() == 0
    # the server saw the refused origin's calls and granted none of them
    refused = [r for r in site.exchanges.records[before:] if r[2] == site.refused_origin]
    assert any(r[1] == "/api/ask" for r in refused), "the widget's call never reached the server"
    assert all(r[4] is None for r in refused), f"CORS was granted to a refused origin: {refused}"
    # and the browser would not let it frame the chat (frame-ancestors)
    page.wait_for_load_state("load")  # the page's load event waits for its iframe, blocked or not
    framed = page.locator("#debate-qa-frame").element_handle().content_frame()
    assert framed.url.startswith("chrome-error:"), f"a refused origin framed {framed.url}"
    assert framed.locator("debate-qa").count() == 0
    assert any(r[1] == "/embed" and r[2] is None for r in site.exchanges.records[before:])
    tab.assert_clean()


FOLLOW_UP = "What did they say about GPs?"
# What the follow-up stands for after the who-answer (its actors, from the answer's lines).
STANDALONE = re.compile(r"Answering: What did the Royal College of General Practitioners, .*National Voices.* say "
                        r"about GPs\?")
MARKUP_IN_NAMES = ("&#", "**", "\\[")


def accessible_texts(page) -> list[str]:
    """Every accessible name and description Chromium computes for the page (shadow DOM and
    frames included), as a screen reader gets them."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    return [str(n[key]["value"]) for n in nodes for key in ("name", "description")
            if n.get(key, {}).get("value")]


def assert_plain_accessible_names(page, expected: str) -> None:
    texts = accessible_texts(page)
    assert any(expected in t for t in texts), f"no accessible name holds {expected!r}: {texts[:40]}"
    marked = [t for t in texts if any(m in t for m in MARKUP_IN_NAMES)]
    assert not marked, f"accessible names or descriptions hold markup: {marked[:5]}"


def test_chat_follow_up_is_answered_as_a_standalone_question(tab, site):
    page = tab.page
    page.goto(f"http://127.0.0.1:{site.app_port}/")
    ask_in_chat(page, RCGP_QUESTION)
    expect(page.get_by_text(re.compile(r"^Sources \(\d+\)$"))).to_have_count(1)
    box = page.get_by_role("textbox").first  # the placeholder goes once the chat has begun
    box.fill(FOLLOW_UP)
    box.press("Enter")
    expect(page.get_by_text(re.compile(r"^Sources \(\d+\)$"))).to_have_count(2)
    bots = page.locator('[data-testid="bot"]')
    follow = bots.filter(has_text="Answering:")
    expect(follow).to_have_count(1)
    expect(follow).to_contain_text(STANDALONE)
    assert re.search(r"\[1\]", follow.inner_text())
    # the answer cites what one of "they" said, not an unrelated comment about GPs
    texts = " ".join(open_chat_sources(page).all_inner_texts())
    assert any(w in texts for w in RCGP_WORDS + ("National Voices", "Burnham")), texts
    # screen readers get each message's text, not its markdown source
    assert_plain_accessible_names(page, "bot's message: Answering: What did the Royal College")
    labels = bots.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert len(labels) >= 4 and all(label.startswith("bot's message: ") for label in labels)
    assert not [label for label in labels if any(m in label for m in MARKUP_IN_NAMES)], labels
    screenshot(page, "chat-follow-up.png")
    tab.assert_clean()


def test_widget_follow_up_from_another_origin(tab, site):
    page = tab.page
    bodies = []
    page.on("request", lambda r: bodies.append(r.post_data_json) if r.url.endswith("/api/ask") else None)
    page.goto(site.allowed_origin + "/")
    widget = page.locator("debate-qa#debate-qa-widget")
    widget.locator("textarea").fill(RCGP_QUESTION)
    widget.get_by_role("button", name="Ask", exact=True).click()
    expect(widget.locator("details.sources")).to_be_visible()
    expect(widget.get_by_role("button", name="New conversation")).to_be_visible()
    widget.locator("textarea").fill(FOLLOW_UP)
    widget.get_by_role("button", name="Ask", exact=True).click()
    expect(widget.locator("p.standalone")).to_have_text(STANDALONE)
    expect(widget.locator("p.question")).to_have_text(FOLLOW_UP)
    assert widget.locator("button.marker").count() >= 1
    assert len(bodies) == 2 and "history" not in bodies[0]
    history = bodies[1]["history"]
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert history[0]["content"] == RCGP_QUESTION and "National Voices" in history[1]["content"]
    assert_plain_accessible_names(page, "Source 1")
    assert not [t for t in accessible_texts(page) if "Answering" in t and "&#" in t]
    screenshot(widget, "widget-follow-up.png")
    # "New conversation" forgets the thread: the next question goes without a history
    widget.get_by_role("button", name="New conversation").click()
    expect(widget.locator("p.question")).to_have_count(0)
    widget.locator("textarea").fill(FOLLOW_UP)
    widget.get_by_role("button", name="Ask", exact=True).click()
    expect(widget.locator("p.question")).to_have_text(FOLLOW_UP)
    assert len(bodies) == 3 and "history" not in bodies[2]
    expect(widget.locator("p.standalone")).to_have_count(0)
    tab.assert_clean()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The fake-encoder app over a corpus whose text is full of markup and links."""
    app = build_app(*fake_stack(tmp_path_factory.mktemp("hostile-corpus")))
    with serve_app(app) as port:
        yield f"http://127.0.0.1:{port}"


def assert_nothing_injected(page, scope) -> None:
    assert page.evaluate("() => window.__pwned") is None, "retrieved text ran a script"
    for selector in ("img", "script", f'a[href*="{EVIL}"]', "b", "i", "u", "h1", "code"):
        assert scope.locator(selector).count() == 0, f"retrieved text became a <{selector}> element"


def test_retrieved_markup_is_shown_as_text(tab, hostile_site):
    page = tab.page
    page.goto(hostile_site + "/")
    ask_in_chat(page, HOSTILE_QUESTION)
    open_chat_sources(page)
    for summary in page.get_by_text("Show the quote in its passage").all():
        summary.click()
    messages = page.locator('[data-testid="bot"]')
    expect(messages.last).to_contain_text('<img src=x onerror="window.__pwned=1">')
    expect(messages.last).to_contain_text(f"[the tariff link](http://{EVIL}/l)")
    assert_nothing_injected(page, messages)

    page.goto(hostile_site + "/embed")
    widget = page.locator("debate-qa")
    widget.locator("textarea").fill(HOSTILE_QUESTION)
    widget.get_by_role("button", name="Ask", exact=True).click()
    widget.locator("details.sources > summary").click()
    for item in widget.locator("details.source").all():
        item.locator("summary").first.click()
        item.locator("details.passage summary").click()
    expect(widget.locator("details.sources")).to_contain_text("<script>window.__pwned=2</script>")
    assert_nothing_injected(page, widget.locator("details.sources"))
    tab.assert_clean()
