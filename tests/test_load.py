"""Load on loopback: many concurrent clients get answers, and overload gets a clear "busy".

The CI run is the bounded version of ``python -m eval.load`` (the full 2,000-request run
against the real app is in the README's "Reliability" section): the fake-encoder app, 50
concurrent clients, 300 requests, and not one error allowed.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time

import httpx
import pytest

from app import build_app
from eval.load import eval_questions, run_load
from tests.live_server import serve_app
from tests.web_corpus import CARE_QUESTION, HOSTILE_QUESTION
from web.security import BUSY_MESSAGE
from web.settings import WebSettings

CI_CLIENTS = 50
CI_REQUESTS = 300


class SlowAnswerer:
    """Wraps an answerer: each answer takes ``delay`` seconds; records the most at once."""

    def __init__(self, inner, delay: float) -> None:
        self.inner = inner
        self.delay = delay
        self.active = 0
        self.most = 0
        self.calls = 0
        self.lock = threading.Lock()

    def ask(self, question):
        with self.lock:
            self.active += 1
            self.calls += 1
            self.most = max(self.most, self.active)
        try:
            time.sleep(self.delay)
            return self.inner.ask(question)
        finally:
            with self.lock:
                self.active -= 1


def test_fifty_clients_get_answers_without_a_single_error(stack):
    questions = [CARE_QUESTION, HOSTILE_QUESTION, *eval_questions()[:20]]
    with serve_app(build_app(*stack)) as port:
        report = asyncio.run(run_load(f"http://127.0.0.1:{port}", questions, clients=CI_CLIENTS,
                                      requests=CI_REQUESTS, timeout=60))
    print("\n" + report.summary())
    assert report.errors == {}, report.summary()
    assert report.ok == report.requests == CI_REQUESTS
    assert 0 < report.p50_ms <= report.p95_ms <= report.max_ms


def test_the_load_script_counts_errors_and_fails(stack):
    """The script must be able to fail: a refused question and a dead port are errors."""
    with serve_app(build_app(*stack)) as port:
        report = asyncio.run(run_load(f"http://127.0.0.1:{port}", ["", CARE_QUESTION], clients=4,
                                      requests=20))
    assert report.errors == {"HTTP 422": 10} and report.ok == 10
    from eval.load import main

    assert main(["--url", f"http://127.0.0.1:{port}", "--requests", "3", "--clients", "2",
                 "--timeout", "2"]) == 1  # the server is gone: connection errors


async def burst(url: str, n: int, question: str = CARE_QUESTION) -> list[httpx.Response]:
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=n)) as http:
        return await asyncio.gather(*(http.post(url, json={"question": question}) for _ in range(n)))


def test_api_overload_answers_503_busy_at_once(stack):
    searcher, answerer = stack
    slow = SlowAnswerer(answerer, delay=0.4)
    settings = WebSettings(max_pending=4)
    with serve_app(build_app(searcher, slow, settings=settings)) as port:
        url = f"http://127.0.0.1:{port}/api/ask"
        t0 = time.perf_counter()
        responses = asyncio.run(burst(url, 24))
        elapsed = time.perf_counter() - t0
        codes = [r.status_code for r in responses]
        busy = [r for r in responses if r.status_code == 503]
        assert set(codes) == {200, 503}, codes
        assert codes.count(200) >= 4 and len(busy) >= 12, codes
        for r in busy:
            assert r.json() == {"error": BUSY_MESSAGE}
            assert r.headers["retry-after"] == "1"
        # never more answers in progress than the bound, and the refused ones cost no wait:
        # 24 answers of 0.4 s one after another would take 9.6 s
        assert slow.most <= 4 and slow.calls == codes.count(200)
        assert elapsed < 5, f"the burst took {elapsed:.1f} s"
        # the overload passes: the next request is answered normally
        after = httpx.post(url, json={"question": CARE_QUESTION}, timeout=30)
        assert after.status_code == 200 and after.json()["citations"]


def test_search_shares_the_bound_and_health_stays_up(stack):
    searcher, answerer = stack

    class SlowSearcher:
        def __init__(self, inner):
            self.inner, self.index, self.encoder = inner, inner.index, inner.encoder

        @property
        def passages(self):
            return self.inner.passages

        def search(self, q, k=5):
            time.sleep(0.4)
            return self.inner.search(q, k)

    app = build_app(SlowSearcher(searcher), answerer, settings=WebSettings(max_pending=2))
    with serve_app(app) as port:
        base = f"http://127.0.0.1:{port}"

        async def mixed():
            async with httpx.AsyncClient(timeout=30) as http:
                searches = [http.post(base + "/api/search", json={"question": CARE_QUESTION}) for _ in range(8)]
                health = [http.get(base + "/healthz") for _ in range(4)]
                return await asyncio.gather(*searches, *health)

        responses = asyncio.run(mixed())
    searches, health = responses[:8], responses[8:]
    assert {r.status_code for r in searches} == {200, 503}
    assert all(r.status_code == 200 and r.json()["status"] == "ok" for r in health)


def join_chat(base: str, http: httpx.Client, session: str, fn_index: int, question: str) -> httpx.Response:
    body = {"data": [question, []], "fn_index": fn_index, "session_hash": session,
            "event_data": None, "trigger_id": None}
    return http.post(base + "/gradio_api/queue/join", content=json.dumps(body),
                     headers={"Content-Type": "application/json"})


def test_chat_queue_is_bounded_and_says_it_is_full(stack):
    searcher, answerer = stack
    slow = SlowAnswerer(answerer, delay=1.0)
    settings = WebSettings(chat_queue_size=2, chat_concurrency=1)
    with serve_app(build_app(searcher, slow, settings=settings)) as port:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(timeout=30) as http:
            config = http.get(base + "/config").json()
            fn_index = next(d["id"] for d in config["dependencies"] if d.get("api_name") == "chat")
            joins = []
            for i in range(6):
                joins.append(join_chat(base, http, f"load{i}", fn_index, CARE_QUESTION))
                time.sleep(0.05)  # let the queue start the first one
            deadline = time.monotonic() + 20
            while slow.calls < 2 and time.monotonic() < deadline:  # two answered, one after the other
                time.sleep(0.1)
    codes = [r.status_code for r in joins]
    full = [r for r in joins if r.status_code == 503]
    assert codes.count(200) >= 2 and full, codes
    assert all("full" in r.json()["detail"].lower() for r in full)
    assert slow.calls >= 2 and slow.most == 1  # one chat answer at a time


def test_the_limits_are_settings_with_flags_and_environment():
    import argparse

    from web.settings import SettingsError, add_web_args, resolve_web_args

    parser = argparse.ArgumentParser()
    add_web_args(parser)
    env = {"DEBATEQA_MAX_PENDING": "8", "DEBATEQA_CHAT_QUEUE_SIZE": "5", "DEBATEQA_CHAT_CONCURRENCY": "2"}
    s = resolve_web_args(parser.parse_args([]), env)
    assert (s.max_pending, s.chat_queue_size, s.chat_concurrency) == (8, 5, 2)
    s = resolve_web_args(parser.parse_args(["--max-pending", "3", "--chat-queue-size", "9"]), env)
    assert (s.max_pending, s.chat_queue_size, s.chat_concurrency) == (3, 9, 2)
    assert resolve_web_args(parser.parse_args([]), {}).max_pending == 64
    with pytest.raises(SettingsError, match="max pending must be at least 1"):
        resolve_web_args(parser.parse_args(["--max-pending", "0"]), {})
