"""debate-qa web app: the Gradio chat at /, the JSON API, the embeddable widget.

    python app.py [--host H] [--port P] [--allowed-origins O1,O2] [index and search flags]

Serves http://127.0.0.1:7860 by default (env DEBATEQA_HOST, DEBATEQA_PORT,
DEBATEQA_ALLOWED_ORIGINS). The index is built first if it is missing or stale; the model and
index are loaded once, in main(), and passed to build_app().
"""

from __future__ import annotations

import argparse
import os
import sys

from fastapi import FastAPI

from retrieval.answer import Answerer
from retrieval.searcher import Searcher
from web.api import api_router, install_error_handlers
from web.embed import embed_router
from web.security import frame_ancestors, install_security
from web.settings import WebSettings

OFFLINE_WEB_ENV = {"GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_DISABLE_TELEMETRY": "1"}


def build_app(
    searcher: Searcher,
    answerer: Answerer,
    settings: WebSettings = WebSettings(),
    examples: tuple[str, ...] | None = None,
    defer_chat: bool = False,
) -> FastAPI:
    """The whole web app over a loaded searcher and answerer; nothing is loaded here.

    Routes: POST /api/search, POST /api/ask, GET /healthz, GET /docs (OpenAPI), GET /widget.js,
    GET /embed, and the Gradio chat mounted at / (its API endpoint is ``/chat``). With
    ``defer_chat`` the app serves everything else at once and mounts the chat once Gradio has
    been imported in a worker thread (web/deferred.py); ``main`` does this.
    """
    app = FastAPI(
        title="debate-qa",
        summary="Cited answers from a policy-debate corpus",
        docs_url="/docs",
        redoc_url=None,
    )
    install_error_handlers(app)
    app.include_router(api_router(searcher, answerer))
    app.include_router(embed_router(frame_ancestors(settings.allowed_origins)))
    install_security(app, settings)

    def prepare():
        from web.chat import DEFAULT_EXAMPLES, build_chat

        return build_chat(answerer, DEFAULT_EXAMPLES if examples is None else examples,
                          queue_size=settings.chat_queue_size, concurrency=settings.chat_concurrency)

    def mount(target: FastAPI, chat) -> FastAPI:
        import gradio as gr

        from web.chat import CHAT_CSS, CHAT_JS

        # Mounted last: a mount at "/" would otherwise shadow the routes above.
        return gr.mount_gradio_app(
            target,
            chat,
            path="/",
            server_name=settings.host,
            server_port=settings.port,
            footer_links=["api", "gradio"],
            run_history=False,
            show_error=False,  # tracebacks stay in the server log
            ssr_mode=False,
            pwa=False,
            mcp_server=False,
            enable_monitoring=False,
            css=CHAT_CSS,
            js=CHAT_JS,
        )

    if defer_chat:
        from web.deferred import defer_chat as defer

        defer(app, prepare, mount)
        return app
    return mount(app, prepare())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python app.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    from index.cli import add_index_args, report_error, resolve_index_args, user_errors
    from retrieval.__main__ import add_search_args, search_settings
    from web.settings import add_web_args, resolve_web_args

    add_index_args(parser)
    add_search_args(parser)
    add_web_args(parser)
    parser.add_argument("--no-rebuild", dest="rebuild", action="store_false",
                        help="fail instead of rebuilding a missing or stale index")
    args = parser.parse_args(argv)

    from index.encoder import set_offline_env
    from retrieval.loader import Paths, open_searcher

    set_offline_env()
    for key, value in OFFLINE_WEB_ENV.items():
        os.environ.setdefault(key, value)
    try:
        web = resolve_web_args(args)
        ia = resolve_index_args(args)
        searcher = open_searcher(Paths.from_args(ia), ia.chunking, search_settings(args),
                                 rebuild=args.rebuild)
    except user_errors() as exc:
        return report_error(exc)

    import uvicorn

    app = build_app(searcher, Answerer(searcher), web, defer_chat=True)
    allowed = ", ".join(web.allowed_origins) or "same origin only"
    print(f"debate-qa: {len(searcher.passages)} passages; serving http://{web.host}:{web.port} "
          f"(embedding allowed for: {allowed})", file=sys.stderr)
    uvicorn.run(app, host=web.host, port=web.port, log_level="info", timeout_graceful_shutdown=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
