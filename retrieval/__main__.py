"""python -m retrieval search "QUESTION" [--top-k K] [--json]
python -m retrieval ask "QUESTION" [--json]

With no QUESTION, reads one question per line from stdin and writes one JSON object per line,
``{"question": ..., "hits": [...]}`` for search, the answer's JSON for ask (or
``{"question": ..., "error": ...}``), loading the model and index once. For ask, a line may
instead be a JSON object ``{"question": "...", "history": [{"role": "user" | "assistant",
"content": "..."}, ...]}``: a follow-up is then answered as a standalone question
("standalone_question" in the output). A line whose first character is "{" is read as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Callable, TextIO

from index.cli import add_index_args, report_error, resolve_index_args, user_errors
from index.encoder import set_offline_env
from retrieval.answer import Answer, Answerer, AnswerSettings
from retrieval.history import HistoryError
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
        who = ", ".join(x for x in (h.metadata.get("speaker"), h.metadata.get("organisation")) if x)
        if who:
            where += f" · {who}"
        byline = " · ".join(x for x in (h.outlet, h.published) if x)
        excerpt = " ".join(h.text.split())
        if len(excerpt) > EXCERPT_CHARS:
            excerpt = excerpt[: excerpt.rfind(" ", 0, EXCERPT_CHARS)] + " …"
        body = textwrap.fill(excerpt, width=96, initial_indent="   ", subsequent_indent="   ")
        blocks.append(f"{h.rank}. {h.title}  ({h.score:.4f})\n   {byline}\n   {where}\n{body}")
    return "\n\n".join(blocks)


def add_answer_args(parser: argparse.ArgumentParser) -> None:
    """One flag per AnswerSettings field."""
    d = AnswerSettings()
    parser.add_argument("--answer-top-k", type=int, default=d.top_k, help="passages searched per question")
    parser.add_argument("--who-top-k", type=int, default=d.who_top_k, help="passages searched per who-question")
    parser.add_argument("--max-sentences", type=int, default=d.max_sentences, help="sentences in an answer")
    parser.add_argument("--max-actors", type=int, default=d.max_actors, help="actors in a who-answer")
    parser.add_argument("--min-score", type=float, default=d.min_score,
                        help="abstain when the best evidence scores lower (0-1)")
    parser.add_argument("--no-dense-sentences", dest="dense_sentences", action="store_false",
                        help="score sentences by words only, without the encoder")
    parser.add_argument("--sentence-ratio", type=float, default=d.sentence_ratio,
                        help="further sentences must score this share of the best (0-1)")
    parser.add_argument("--who-floor", type=float, default=d.who_floor,
                        help="a who-answer's actors need evidence scoring this share of the best (0-1)")
    parser.add_argument("--who-neighbours", type=int, default=d.who_neighbours,
                        help="a who-question also reads this many passages either side of each hit (0: none)")


def answer_settings(args: argparse.Namespace) -> AnswerSettings:
    return AnswerSettings(args.answer_top_k, args.who_top_k, args.max_sentences, args.max_actors,
                          args.min_score, args.dense_sentences, args.sentence_ratio, args.who_floor,
                          args.who_neighbours)


def format_answer(answer: Answer) -> str:
    """The answer's markdown, then each citation with its source and speaker."""
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
    for c in answer.citations:
        byline = " · ".join(x for x in (c.outlet, c.published, c.entry_time) if x)
        who = ", ".join(x for x in (c.speaker, c.role, c.organisation) if x)
        stance = f" · {c.stance}" if c.stance else ""
        lines.append(f"[{c.n}] {c.title or c.source} ({byline}) {c.source} [{c.start}:{c.end}]"
                     + (f" · {who}" if who else "") + stance)
    return "\n".join(lines)


class LineError(ValueError):
    """A batch line that starts with "{" but is not a question object."""


def read_line(line: str) -> tuple[object, object]:
    """``(question, history)`` of one batch line: a plain question, or a JSON object
    ``{"question": ..., "history": [...]}`` when the line starts with "{". Raises ValueError
    (LineError, with the reason) for a JSON line that is not such an object."""
    text = line.rstrip("\n")
    if not text.lstrip().startswith("{"):
        return text, None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LineError(f"the line is not valid JSON ({exc.msg})") from None
    if not isinstance(record, dict) or "question" not in record or set(record) - {"question", "history"}:
        raise LineError('a JSON line must be an object {"question": ..., "history": [...]}')
    return record["question"], record.get("history")


def run_batch(
    handle: Callable[[str, object], dict], lines: TextIO, out: TextIO
) -> int:
    """One JSON object per non-blank input line; a bad question or history gives an error
    object, not a stop. ``handle(question, history)``; history is None for a plain line."""
    errors = 0
    for line in lines:
        if not line.strip():
            continue
        question: object = line.rstrip("\n")
        try:
            question, history = read_line(line)
            record = {"question": question, **handle(question, history)}
        except (QuestionError, HistoryError, LineError) as exc:
            record = {"question": question if isinstance(question, str) else None, "error": str(exc)}
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
    ask = sub.add_parser("ask", help="a cited answer (who said what, or the best sentences)")
    ask.add_argument("question", nargs="?", help="omit to read questions from stdin")
    ask.add_argument("--json", action="store_true", help="print the answer's JSON")
    ask.add_argument("--no-rebuild", dest="rebuild", action="store_false",
                     help="fail instead of rebuilding a missing or stale index")
    add_index_args(ask)
    add_search_args(ask)
    add_answer_args(ask)
    args = parser.parse_args(argv)
    set_offline_env()
    try:
        ia = resolve_index_args(args)
        settings = answer_settings(args) if args.command == "ask" else None
        searcher = open_searcher(Paths.from_args(ia), ia.chunking, search_settings(args),
                                 rebuild=args.rebuild)
    except user_errors() as exc:
        return report_error(exc)
    if args.command == "ask":
        return _run_ask(Answerer(searcher, settings=settings), args)
    return _run_search(searcher, args)


def ask_handler(answerer: Answerer) -> Callable[[object, object], dict]:
    """What ``ask`` does with one batch line: the answer's JSON (history None for plain lines)."""

    def handle(question, history) -> dict:
        return answerer.ask(question, history).to_json()

    return handle


def _run_ask(answerer: Answerer, args: argparse.Namespace) -> int:
    if args.question is None:
        return run_batch(ask_handler(answerer), sys.stdin, sys.stdout)
    try:
        answer = answerer.ask(args.question)
    except QuestionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_answer(answer))
    return 0


def _run_search(searcher: Searcher, args: argparse.Namespace) -> int:
    def handle(question: str, history: object) -> dict:
        if history is not None:
            raise LineError("search takes no history (ask answers follow-ups)")
        if not isinstance(question, str):
            raise QuestionError("the question must be text")
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
