"""Follow-up questions, scored: does a dialogue's last answer cite its gold as often as the
question written standalone by a person does?

    python -m eval.dialogue_eval [--set nhs] [--set polnear-dev] [--json PATH] [-v]

For each dialogue (eval/dialogues.py: ``turns``, ``standalone``, ``phenomenon``, gold spans for
the last turn) the product is asked turn 1, its answer goes back as the assistant message,
turn 2 is asked with that history, and so on. The last answer *cites its gold* when it is not
an abstention and one of its citations overlaps a gold span by at least half of the shorter of
the two (the rule of eval/answers.py). The same is scored for ``standalone`` asked on its own;
the target is a ratio of at least 0.9.

Two more checks: no question of eval/data/questions.jsonl is rewritten, neither alone nor after
the question before it in the file and the product's answer to it; and warm ``ask`` with a
three-turn history costs at most a few milliseconds more than ``ask`` alone (p50).

``python -m eval`` prints the NHS summary (and PolNeAR's when its corpus folder has been
written by ``python -m eval.polnear_corpus``) through :func:`summary`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Protocol, Sequence

from eval.answers import _overlaps  # the gold-overlap rule of the answer eval, shared on purpose
from retrieval.answer import Answer, Answerer
from retrieval.followup import rewrite

TARGET_RATIO = 0.9
HISTORY_TURNS = 3  # the latency check's history: three earlier questions and their answers


class DialogueLike(Protocol):
    """What the harness reads of a dialogue (eval/dialogues.py's ``Dialogue``)."""

    id: str
    turns: Sequence[str]
    standalone: str
    phenomenon: str
    gold: Sequence[Any]  # spans with ``source``, ``start``, ``end``


@dataclass(frozen=True)
class DialogueResult:
    """One dialogue's last turn: what the product made of it and whether each form cites gold."""

    id: str
    phenomenon: str
    follow_up: str
    rewritten_as: str | None  # the product's standalone question; None if not rewritten
    standalone: str  # the person's
    follow_up_cites: bool
    standalone_cites: bool
    follow_up_abstained: bool


@dataclass(frozen=True)
class DialogueReport:
    """``results`` per dialogue; ``rewritten_questions``: eval questions the product rewrote
    (``(id, question, standalone)``, should be empty) out of ``checked_questions``;
    ``latency_ms``: warm p50 of ``ask`` alone and with a three-turn history."""

    name: str
    results: list[DialogueResult]
    checked_questions: int = 0
    rewritten_questions: list[tuple[str, str, str]] = field(default_factory=list)
    latency_ms: dict[str, float] = field(default_factory=dict)

    @property
    def follow_up_rate(self) -> float:
        return _rate(r.follow_up_cites for r in self.results)

    @property
    def standalone_rate(self) -> float:
        return _rate(r.standalone_cites for r in self.results)

    @property
    def ratio(self) -> float:
        """Follow-up gold citations over standalone gold citations (1.0 when both are zero)."""
        a = sum(r.follow_up_cites for r in self.results)
        b = sum(r.standalone_cites for r in self.results)
        return a / b if b else (1.0 if not a else float("inf"))

    def by_phenomenon(self) -> dict[str, tuple[int, int, int]]:
        """``{phenomenon: (dialogues, follow-ups citing gold, standalone forms citing gold)}``."""
        out: dict[str, tuple[int, int, int]] = {}
        for r in self.results:
            n, f, s = out.get(r.phenomenon, (0, 0, 0))
            out[r.phenomenon] = (n + 1, f + r.follow_up_cites, s + r.standalone_cites)
        return out

    def summary(self, verbose: bool = False) -> str:
        n = len(self.results)
        f = sum(r.follow_up_cites for r in self.results)
        s = sum(r.standalone_cites for r in self.results)
        rewritten = sum(r.rewritten_as is not None for r in self.results)
        verdict = "meets" if self.ratio >= TARGET_RATIO else "BELOW"
        lines = [
            f"follow-ups ({self.name}, {n} dialogues): the last answer cites its gold {f}/{n} "
            f"({_pct(f, n)}); the standalone form {s}/{n} ({_pct(s, n)}); ratio {self.ratio:.2f} "
            f"({verdict} the {TARGET_RATIO:.2f} target); {rewritten}/{n} follow-ups rewritten",
            "  by phenomenon (follow-up / standalone cite gold): " + ", ".join(
                f"{p} {fc}/{sc} of {k}" for p, (k, fc, sc) in sorted(self.by_phenomenon().items())),
        ]
        if self.checked_questions:
            lines.append(f"  standalone eval questions rewritten: {len(self.rewritten_questions)} of "
                         f"{self.checked_questions} (alone and after the question before)")
            lines += [f"    REWRITTEN {qid}: {q!r} -> {s!r}" for qid, q, s in self.rewritten_questions[:10]]
        if self.latency_ms:
            alone, with_history = self.latency_ms["alone_p50"], self.latency_ms["history_p50"]
            lines.append(f"  ask latency (warm, p50): alone {alone:.2f} ms, with a {HISTORY_TURNS}-turn history "
                         f"{with_history:.2f} ms ({with_history - alone:+.2f} ms)")
        if verbose:
            for r in self.results:
                mark = "=" if r.follow_up_cites == r.standalone_cites else "-" if r.standalone_cites else "+"
                lines.append(f"  {mark} {r.id} [{r.phenomenon}] {r.follow_up!r} -> "
                             f"{r.rewritten_as!r} (cites gold: {r.follow_up_cites}; standalone: {r.standalone_cites})")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "follow_up_rate": self.follow_up_rate, "standalone_rate": self.standalone_rate,
                "ratio": self.ratio, "by_phenomenon": self.by_phenomenon(),
                "checked_questions": self.checked_questions, "rewritten_questions": self.rewritten_questions,
                "latency_ms": self.latency_ms, "results": [asdict(r) for r in self.results]}


def _rate(flags: Iterable[bool]) -> float:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else 0.0


def _pct(a: int, b: int) -> str:
    return f"{a / b:.0%}" if b else "n/a"


def history_of(turns: Sequence[tuple[str, Answer]]) -> list[dict[str, str]]:
    """Questions and the product's answers as a messages-format history."""
    messages = []
    for question, answer in turns:
        messages += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}]
    return messages


def converse(answerer: Answerer, turns: Sequence[str]) -> list[Answer]:
    """Ask ``turns`` in order, each with the questions and answers before it as history."""
    done: list[tuple[str, Answer]] = []
    for question in turns:
        done.append((question, answerer.ask(question, history_of(done) or None)))
    return [a for _, a in done]


def cites_gold(answer: Answer, gold: Sequence[Any]) -> bool:
    return not answer.abstained and any(_overlaps(c, g) for c in answer.citations for g in gold)


def evaluate_dialogues(answerer: Answerer, dialogues: Sequence[DialogueLike]) -> list[DialogueResult]:
    results = []
    for d in dialogues:
        last = converse(answerer, d.turns)[-1]
        alone = answerer.ask(d.standalone)
        results.append(DialogueResult(d.id, d.phenomenon, d.turns[-1], last.standalone_question, d.standalone,
                                      cites_gold(last, d.gold), cites_gold(alone, d.gold), last.abstained))
    return results


def rewritten_questions(questions: Sequence[tuple[str, str]], answers: dict[str, Answer]) -> list[tuple[str, str, str]]:
    """Eval questions ``(id, question)`` that the rewriter changes, alone or after the question
    before them in the file with its answer (``answers`` by id): ``(id, question, standalone)``."""
    out = []
    for (prev_id, prev_q), (qid, question) in zip([questions[-1], *questions[:-1]], questions):
        for history in (None, history_of([(prev_q, answers[prev_id])])):
            result = rewrite(question, history)
            if result.rewritten:
                out.append((qid, question, result.standalone))
                break
    return out


def time_history(answerer: Answerer, questions: Sequence[str], answers: Sequence[Answer],
                 repeats: int = 3) -> dict[str, float]:
    """Warm p50 of ``ask(q)`` and of ``ask(q, history)`` with the three questions before ``q``
    and their answers as history, alternated call by call (ms)."""
    alone, with_history = [], []
    pairs = list(zip(questions, answers))
    for q in questions:  # one untimed pass: caches warm
        answerer.ask(q)
    for _ in range(repeats):
        for i, q in enumerate(questions):
            # the three questions before q in the file (wrapping round) and their answers
            history = history_of([pairs[(i - k) % len(pairs)] for k in range(HISTORY_TURNS, 0, -1)])
            calls = [(alone, ()), (with_history, (history,))]
            for times, extra in calls if i % 2 else calls[::-1]:  # neither form always goes first
                t0 = time.perf_counter()
                answerer.ask(q, *extra)
                times.append((time.perf_counter() - t0) * 1000)
    return {"alone_p50": statistics.median(alone), "history_p50": statistics.median(with_history),
            "calls": len(alone)}


def dialogue_report(name: str, answerer: Answerer, dialogues: Sequence[DialogueLike],
                    questions: Sequence[Any] = (), answers: dict[str, Answer] | None = None) -> DialogueReport:
    """Score ``dialogues``; with the eval ``questions`` (``id``, ``question``) also the rewrite
    check and the latency check (``answers``: the product's answers by id, asked if missing)."""
    results = evaluate_dialogues(answerer, dialogues)
    if not questions:
        return DialogueReport(name, results)
    pairs = [(q.id, q.question) for q in questions]
    answers = answers or {qid: answerer.ask(q) for qid, q in pairs}
    rewritten = rewritten_questions(pairs, answers)
    latency = time_history(answerer, [q for _, q in pairs], [answers[qid] for qid, _ in pairs])
    return DialogueReport(name, results, len(pairs), rewritten, latency)


# --- wiring: python -m eval and the CLI ------------------------------------------------------


def _load(corpus, name: str):
    """The dialogue set ``name`` for ``corpus``, or None when the set is not in this checkout."""
    try:
        from eval.dialogues import DIALOGUES, load_dialogues
    except ImportError:
        return None
    path = DIALOGUES.get(name)
    if path is None or not Path(path).is_file():
        return None
    return load_dialogues(corpus, path)


def summary(corpus, answerer: Answerer, questions, answers: dict[str, Answer] | None = None,
            encoder=None, chunking=None, search=None) -> str:
    """What ``python -m eval`` prints: the NHS dialogues with the rewrite and latency checks on
    the eval questions, then PolNeAR dev's dialogues (with ``encoder``, over an index of their
    own) if that corpus has been written."""
    dialogues = _load(corpus, "nhs")
    if dialogues is None:
        return "follow-ups: no dialogue set in this checkout (eval/dialogues.py, eval/data/dialogues.jsonl)"
    lines = [dialogue_report("nhs", answerer, dialogues, questions, answers).summary()]
    if encoder is None:
        return lines[0]
    polnear = polnear_report(encoder, search, chunking)
    lines.append(polnear.summary() if isinstance(polnear, DialogueReport) else polnear)
    return "\n".join(lines)


def polnear_report(encoder, search=None, chunking=None) -> DialogueReport | str:
    """PolNeAR dev's dialogues over its own index, or a line saying why they were not run."""
    from eval.polnear_corpus import default_corpus_dir
    from index.build import build_in_memory
    from index.corpus import load_corpus
    from retrieval.searcher import Searcher

    folder = default_corpus_dir("dev")
    if not folder.is_dir():
        return f"follow-ups (polnear-dev): not run; write its corpus with `python -m eval.polnear_corpus` ({folder})"
    corpus = load_corpus(folder)
    dialogues = _load(corpus, "polnear-dev")
    if dialogues is None:
        return "follow-ups (polnear-dev): no dialogue set in this checkout"
    index = build_in_memory(corpus, encoder, chunking) if chunking is not None else build_in_memory(corpus, encoder)
    searcher = Searcher(index, encoder, search) if search is not None else Searcher(index, encoder)
    return dialogue_report("polnear-dev", Answerer(searcher), dialogues)


def main(argv: list[str] | None = None) -> int:
    from eval.questions import load_questions
    from index.build import build_in_memory
    from index.cli import add_index_args, report_error, resolve_index_args, user_errors
    from index.corpus import load_corpus
    from index.encoder import load_encoder, set_offline_env
    from retrieval.__main__ import add_search_args, search_settings
    from retrieval.searcher import Searcher

    parser = argparse.ArgumentParser(prog="python -m eval.dialogue_eval", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", action="append", choices=("nhs", "polnear-dev"), help="repeatable; default: both")
    parser.add_argument("--json", type=Path, help="write the reports here")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per dialogue")
    add_index_args(parser)
    add_search_args(parser)
    args = parser.parse_args(argv)
    set_offline_env()
    try:
        ia = resolve_index_args(args)
        encoder = load_encoder(ia.model_path, ia.backend)
        corpus = load_corpus(ia.corpus_dir)
    except user_errors() as exc:
        return report_error(exc)
    reports: list[DialogueReport] = []
    for name in args.set or ("nhs", "polnear-dev"):
        if name == "nhs":
            dialogues = _load(corpus, "nhs")
            if dialogues is None:
                print("follow-ups (nhs): no dialogue set in this checkout", file=sys.stderr)
                continue
            answerer = Answerer(Searcher(build_in_memory(corpus, encoder, ia.chunking), encoder, search_settings(args)))
            reports.append(dialogue_report("nhs", answerer, dialogues, load_questions(corpus)))
        else:
            found = polnear_report(encoder, search_settings(args), ia.chunking)
            if isinstance(found, str):
                print(found, file=sys.stderr)
                continue
            reports.append(found)
    for r in reports:
        print(r.summary(args.verbose))
    if args.json:
        args.json.write_text(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=1))
    return 0 if reports else 1


if __name__ == "__main__":
    sys.exit(main())
