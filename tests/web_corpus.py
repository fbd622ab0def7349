"""A small corpus for the web tests, with hostile markup in the retrieved text on purpose."""

from __future__ import annotations

import json
from pathlib import Path

from index.build import build_in_memory
from index.corpus import load_corpus
from retrieval.answer import Answerer
from retrieval.searcher import Searcher
from tests.fakes import FakeEncoder

EVIL = "evil.example"  # never resolvable in the browser tests; any request to it is a failure

CARE = """Integrated care debate notes

The Royal College of GPs opposed hospital-led integrated care organisations, warning they would harm general practice.

Labour will pay for the new home care workers with a mansion tax and a levy on tobacco firms.
"""

HOSTILE = f"""Tariff notes <b>bold</b> [title link](http://{EVIL}/t)

The tariff report says <img src=x onerror="window.__pwned=1"> and <script>window.__pwned=2</script> about the tariff.
Read [the tariff link](http://{EVIL}/l) or ![tariff image](http://{EVIL}/i.png) or https://{EVIL}/auto or www.{EVIL} about the tariff now.
**tariff bold** $$tariff math$$ `tariff code` <a href="http://{EVIL}/a">tariff anchor</a>
# tariff heading
"""

SOURCES = [
    {"file": "care.txt", "title": "Integrated care debate notes", "outlet": "Test Outlet",
     "kind": "news article", "published": "2015-01"},
    {"file": "hostile.txt", "title": f"Tariff <i>notes</i> [x](http://{EVIL}/t)",
     "outlet": "Evil & Co <u>outlet</u>", "kind": "blog post", "published": "2015-02"},
]

HOSTILE_QUESTION = "What does the tariff report say about the tariff?"
CARE_QUESTION = "Who opposed hospital-led integrated care organisations?"


def write_corpus(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "care.txt").write_text(CARE, encoding="utf-8")
    (root / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (root / "sources.json").write_text(json.dumps(SOURCES), encoding="utf-8")
    return root


def fake_stack(root: Path) -> tuple[Searcher, Answerer]:
    """Searcher and Answerer over the small corpus with the fake encoder (instant, no weights)."""
    encoder = FakeEncoder()
    index = build_in_memory(load_corpus(write_corpus(root)), encoder)
    searcher = Searcher(index, encoder)
    return searcher, Answerer(searcher)
