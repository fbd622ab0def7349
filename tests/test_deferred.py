"""The chat mounted after start-up (web/deferred.py), with stand-ins for Gradio so that each
phase (loading, mounted, failed, shut down) can be held and looked at."""

from __future__ import annotations

import contextlib
import threading
import time

from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from web.deferred import defer_chat


def fake_mount(events: list[str]):
    """Does what gr.mount_gradio_app does to the parent app: wraps its lifespan, mounts at /."""

    def mount(app: FastAPI, prepared: str) -> FastAPI:
        outer = app.router.lifespan_context

        @contextlib.asynccontextmanager
        async def chat_lifespan(a):
            async with outer(a) as state:
                events.append("chat started")
                yield state
                events.append("chat stopped")

        app.router.lifespan_context = chat_lifespan
        chat = FastAPI()
        chat.router.routes.append(Route("/", lambda request: PlainTextResponse(f"chat: {prepared}")))
        app.mount("/", chat)
        return app

    return mount


def api_app() -> FastAPI:
    app = FastAPI()

    @app.get("/api/ping")
    def ping() -> dict:
        return {"pong": True}

    @app.get("/healthz")
    def healthz() -> dict:
        return {"chat": app.state.chat.state}

    return app


def wait_until(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_api_serves_while_the_chat_loads_then_the_chat_takes_over_the_root():
    release = threading.Event()
    events: list[str] = []

    def prepare() -> str:
        assert release.wait(10), "the test never released the chat"
        return "blocks"

    app = api_app()
    status = defer_chat(app, prepare, fake_mount(events))
    with TestClient(app) as client:
        assert client.get("/healthz").json() == {"chat": "starting"}
        assert client.get("/api/ping").json() == {"pong": True}
        page = client.get("/")
        assert page.status_code == 503 and page.headers["retry-after"] == "2"
        assert "The chat is starting" in page.text and 'http-equiv="refresh"' in page.text
        release.set()
        wait_until(lambda: status.state == "ready")
        assert client.get("/").text == "chat: blocks"
        assert client.get("/api/ping").json() == {"pong": True}  # routes above the mount still win
        assert client.get("/healthz").json() == {"chat": "ready"}
        assert events == ["chat started"]
    assert events == ["chat started", "chat stopped"]  # the chat's lifespan ended with the app's


def test_a_chat_that_fails_to_load_leaves_the_api_up_and_says_so():
    def prepare():
        raise RuntimeError("gradio is broken")

    app = api_app()
    status = defer_chat(app, prepare, fake_mount([]))
    with TestClient(app) as client:
        wait_until(lambda: status.state == "failed")
        page = client.get("/")
        assert page.status_code == 503 and "could not start" in page.text
        assert "gradio is broken" not in page.text  # the reason goes to the log, not to visitors
        assert client.get("/api/ping").json() == {"pong": True}
        assert client.get("/healthz").json() == {"chat": "failed"}


def test_shutting_down_while_the_chat_still_loads_does_not_hang():
    release = threading.Event()

    def prepare():
        release.wait(10)
        return "late"

    app = api_app()
    status = defer_chat(app, prepare, fake_mount([]))
    started = time.monotonic()
    with TestClient(app) as client:
        assert client.get("/healthz").json() == {"chat": "starting"}
    assert time.monotonic() - started < 5
    assert status.state == "starting"
    release.set()
