"""Routes for embedding elsewhere: GET /widget.js (the <debate-qa> element) and GET /embed.

The widget talks only to /api/ask, needs no cookies or storage and no CDN, so it works on any
allowed origin even where the browser blocks third-party storage (which stalls a framed Gradio
page). /embed is a compact page hosting the same element, for iframes.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parent / "static"

# The embed page runs only its own script and talks only to its own origin.
_EMBED_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'"
)


def embed_router(frame_ancestors: str) -> APIRouter:
    """``frame_ancestors`` is the CSP directive from web.security.frame_ancestors()."""
    router = APIRouter()
    widget = STATIC_DIR / "widget.js"
    page = STATIC_DIR / "embed.html"
    for path in (widget, page):
        if not path.is_file():
            raise FileNotFoundError(f"web asset missing: {path}")

    @router.get("/widget.js", include_in_schema=False)
    def widget_js() -> FileResponse:
        return FileResponse(widget, media_type="text/javascript; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    @router.get("/embed", include_in_schema=False)
    def embed_page() -> FileResponse:
        return FileResponse(page, media_type="text/html; charset=utf-8", headers={
            "Cache-Control": "no-cache",
            "Content-Security-Policy": f"{_EMBED_CSP}; {frame_ancestors}",
        })

    return router
