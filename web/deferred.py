"""Serve the JSON API at once and mount the Gradio chat when it has loaded.

Importing Gradio takes 2.6-3.2 s on these 2 cores, longer than loading the model and the index
together. Instead of keeping the port closed all that time, ``app.py`` starts serving the API,
the widget and /healthz as soon as the index is loaded; Gradio is imported and the chat built
in a worker thread, then mounted at "/" on the event loop. Until then "/" is a small page that
says the chat is starting and reloads itself (HTTP 503 with Retry-After).

Gradio's ``mount_gradio_app`` expects to run before the server starts: it wraps the app's
lifespan with its own startup events. Here the wrapped lifespan is taken back out and entered,
and later left, by the task that mounts the chat, so the chat's queue starts and stops as
it would have.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from dataclasses import dataclass
from typing import Any, Callable

from fastapi import FastAPI
from starlette.responses import HTMLResponse
from starlette.routing import Route

log = logging.getLogger("debateqa.web")

STARTING_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<title>debate-qa is starting</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem;">
<h1>The chat is starting</h1>
<p>The answers API is already up; this page reloads itself in a moment.</p>
</body></html>
"""

FAILED_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>debate-qa chat unavailable</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem;">
<h1>The chat could not start</h1>
<p>The answers API still works; the server log says why the chat did not load.</p>
</body></html>
"""


@dataclass
class ChatStatus:
    """``state``: "starting", "ready" or "failed" (the reason is logged, not served)."""

    state: str = "starting"


@contextlib.asynccontextmanager
async def _no_lifespan(app: FastAPI):
    yield None


async def _in_daemon_thread(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` in a daemon thread of its own, awaited. Not the loop's default executor:
    the server waits for that one's threads on shutdown, and a stop during the Gradio import
    should not wait for the import."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future = loop.create_future()

    def settle(result: Any, error: BaseException | None) -> None:
        if future.cancelled():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    def run() -> None:
        try:
            outcome: tuple[Any, BaseException | None] = (fn(*args), None)
        except BaseException as exc:  # handed to the awaiting task, which logs it
            outcome = (None, exc)
        with contextlib.suppress(RuntimeError):  # the loop has already closed: nobody waits
            loop.call_soon_threadsafe(settle, *outcome)

    threading.Thread(target=run, name="debateqa-chat-loader", daemon=True).start()
    return await future


def defer_chat(
    app: FastAPI,
    prepare: Callable[[], Any],
    mount: Callable[[FastAPI, Any], FastAPI],
) -> ChatStatus:
    """Mount the chat on ``app`` after it has started; returns the status /healthz reports.

    ``prepare()`` runs in a worker thread and returns what ``mount(app, prepared)`` mounts
    (``mount`` is ``gr.mount_gradio_app`` with the app's settings; it runs in a worker thread
    too, as it does a few hundred milliseconds of work). Its one change to the routes is an
    append, atomic under the GIL; the placeholder is removed on the event loop.
    """
    status = ChatStatus()
    app.state.chat = status

    async def placeholder(request):
        if status.state == "failed":
            return HTMLResponse(FAILED_PAGE, status_code=503)
        return HTMLResponse(STARTING_PAGE, status_code=503, headers={"Retry-After": "2"})

    waiting = Route("/", placeholder, methods=["GET", "HEAD"])
    app.router.routes.append(waiting)
    served_lifespan = app.router.lifespan_context

    def mount_off_loop(prepared: Any):
        # mount_gradio_app wraps whatever lifespan the app has; hand it a no-op one to wrap, so
        # that what comes back is the chat's lifespan alone.
        running = app.router.lifespan_context
        app.router.lifespan_context = _no_lifespan
        try:
            mount(app, prepared)
            return app.router.lifespan_context
        finally:
            app.router.lifespan_context = running

    async def run_chat(stop: asyncio.Event) -> None:
        try:
            prepared = await _in_daemon_thread(prepare)
            chat_lifespan = await _in_daemon_thread(mount_off_loop, prepared)
            async with chat_lifespan(app):
                app.router.routes.remove(waiting)
                status.state = "ready"
                log.info("chat mounted at /")
                await stop.wait()
        except asyncio.CancelledError:
            raise
        except Exception:
            status.state = "failed"
            log.exception("the Gradio chat could not be started; the API keeps serving")

    @contextlib.asynccontextmanager
    async def lifespan(the_app: FastAPI):
        async with served_lifespan(the_app) as state:
            stop = asyncio.Event()
            task = asyncio.create_task(run_chat(stop))
            try:
                yield state
            finally:
                stop.set()
                # A chat still loading is abandoned; a mounted one leaves its lifespan here.
                if status.state == "starting":
                    task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app.router.lifespan_context = lifespan
    return status
