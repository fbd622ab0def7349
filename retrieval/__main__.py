"""python -m retrieval search "QUESTION" [--top-k K] [--json]

With no QUESTION, reads one question per line from stdin and writes one JSON object per line,
``{"question": ..., "hits": [...]}`` (or ``{"question": ..., "error": ...}``), loading the
model and index once.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Callable, TextIO

from index.cli import add_index_args, resolve_index_args
from index.corpus import CorpusError
from index.encoder import ModelUnavailable, set_offline_env
from index.store import IndexError_
from retrieval.hit import Hit
from retrieval.loader import Paths, open_searcher
from retrieval.question import QuestionError
from retrieval.searcher import FUSIONS, MODES, SearchSettings, Searcher

EXCERPT_CHARS = 220


def add_search_args(parser: argparse.ArgumentParser) -> None:
    d = SearchSettings()
    parser.add_argument("--mode", choices=MODES, default=d.mode)
    parser.add_argument("--fusion", choices=FUSIONS, default=d.fusion)
    parser.add_argument("--rrf-k", type=int, default=d.rrf_k)
    parser.add_argument("--dense-weight", type=float, default=d.dense_weight)
    parser.add_argument("--candidates", type=int, default=d.candidates)
    parser.add_argument("--no-expand", dest="expand", action="store_false",
                        help="do not widen stance who-questions with stance vocabulary")


def search_settings(args: argparse.Namespace) -> SearchSettings:
    return SearchSettings(args.mode, args.fusion, args.rrf_k, args.dense_weight, args.candidates,
                          args.expand)


def format_hits(hits: list[Hit]) -> str:
    """A readable ranked list: title, outlet and date, location, and a short excerpt."""
    if not hits:
        return "no passages found"
    blocks = []
    for h in hits:
        where = f"{h.source} [{h.start}:{h.end}]"
        if h.metadata.get("entry_time"):
            where += f" · {h.metadata['entry_time']}"
        byline = " · ".join(x for x in (h.outlet, h.published) if x)
        excerpt = " ".join(h.text.split())
        if len(excerpt) > EXCERPT_CHARS:
            excerpt = excerpt[: excerpt.rfind(" ", 0, EXCERPT_CHARS)] + " …"
        body = textwrap.fill(excerpt, width=96, initial_indent="   ", subsequent_indent="   ")
        blocks.append(f"{h.rank}. {h.title}  ({h.score:.4f})\n   {byline}\n   {where}\n{body}")
    return "\n\n".join(blocks)


def run_batch(
    handle: Callable[[str], dict], lines: TextIO, out: TextIO
) -> int:
    """One JSON object per non-blank input line; a bad question gives an error object, not a stop."""
    errors = 0
    for line in lines:
        question = line.rstrip("\n")
        if not question.strip():
            continue
        try:
            record = {"question": question, **handle(question)}
        except QuestionError as exc:
            record = {"question": question, "error": str(exc)}
            errors += 1
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m retrieval", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    search = sub.add_parser("search", help="ranked passages for a question")
    search.add_argument("question", nargs="?", help="omit to read questions from stdin")
    search.add_argument("--top-k", type=int, default=5)
    search.add_argument("--json", action="store_true", help="print JSON instead of a list")
    search.add_argument("--no-rebuild", dest="rebuild", action="store_false",
                        help="fail instead of rebuilding a missing or stale index")
    add_index_args(search)
    add_search_args(search)
    args = parser.parse_args(argv)
    set_offline_env()
    try:
        corpus, index_dir, model_path, chunking = resolve_index_args(args)
        searcher = open_searcher(Paths(corpus, index_dir, model_path), chunking,
                                 search_settings(args), rebuild=args.rebuild)
    except IndexError_ as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (CorpusError, ModelUnavailable, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return _run_search(searcher, args)


def _run_search(searcher: Searcher, args: argparse.Namespace) -> int:
    def handle(question: str) -> dict:
        return {"hits": [h.to_json() for h in searcher.search(question, args.top_k)]}

    if args.question is None:
        return run_batch(handle, sys.stdin, sys.stdout)
    try:
        hits = searcher.search(args.question, args.top_k)
    except QuestionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"question": args.question, "hits": [h.to_json() for h in hits]},
                         ensure_ascii=False, indent=2))
    else:
        print(format_hits(hits))
    return 0


if __name__ == "__main__":
    sys.exit(main())
