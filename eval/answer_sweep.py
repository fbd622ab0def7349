"""python -m eval.answer_sweep [--corpus all] [--grid FIELD=V1,V2 ...] [--constant MODULE.NAME=V1,V2 ...]

The composer's settings on both eval corpora at once: each corpus is indexed once, then every
combination of the grid answers every question, and one row per combination gives each
corpus's gold-cited rate, who-actor recall, wrong-stance share (strict), false abstentions and
false answers. This is how the defaults of ``retrieval.answer.AnswerSettings`` were chosen
(eval/README.md, "Choosing the composer's settings"): a setting that helps one corpus and hurts
the other shows in one row. ``--constant`` varies a module constant of the composer the same
way (``retrieval.sides.DOCUMENT_SHARE``, ``retrieval.reaction.FLOOR``).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import itertools
import sys

from eval.answers import evaluate_answers
from eval.corpora import CHOICES, selected
from eval.questions import load_questions
from eval.who_metrics import evaluate_who
from index.build import build_in_memory
from index.corpus import load_corpus
from index.encoder import load_encoder, set_offline_env
from index.settings import ChunkSettings
from retrieval.answer import Answerer, AnswerSettings
from retrieval.searcher import Searcher

DEFAULT_GRID = {"min_score": [0.33, 0.365, 0.40]}  # without --grid; with it, only the fields given vary


def parse_grid(items: list[str]) -> dict[str, list]:
    fields = {f.name: f.type for f in dataclasses.fields(AnswerSettings)}
    grid = {}
    for item in items:
        name, _, values = item.partition("=")
        if name not in fields or not values:
            raise ValueError(f"--grid takes FIELD=V1,V2 with FIELD one of {', '.join(fields)}; got {item!r}")
        cast = int if fields[name] in (int, "int") else float
        grid[name] = [cast(v) for v in values.split(",")]
    return grid


def parse_constants(items: list[str]) -> dict[str, tuple[object, list[float]]]:
    out = {}
    for item in items:
        name, _, values = item.partition("=")
        module_name, _, attr = name.rpartition(".")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ValueError(f"--constant {item!r}: no module {module_name!r}") from exc
        if not values or not isinstance(getattr(module, attr, None), (int, float)):
            raise ValueError(f"--constant takes MODULE.NAME=V1,V2 naming a numeric constant; got {item!r}")
        out[name] = (module, [float(v) for v in values.split(",")])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.answer_sweep", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="all", choices=CHOICES)
    parser.add_argument("--grid", nargs="*", default=[], help="FIELD=V1,V2 (AnswerSettings fields)")
    parser.add_argument("--constant", nargs="*", default=[], help="MODULE.NAME=V1,V2 (a module constant, float)")
    parser.add_argument("--encoder", default="onnx")
    args = parser.parse_args(argv)
    set_offline_env()
    try:
        grid = parse_grid(args.grid) if args.grid or args.constant else DEFAULT_GRID
        constants = parse_constants(args.constant)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    encoder = load_encoder(backend=args.encoder)
    runs = []
    for ec in selected(args.corpus):
        corpus = load_corpus(ec.directory())
        index = build_in_memory(corpus, encoder, ChunkSettings())
        runs.append((ec.name, Searcher(index, encoder), load_questions(corpus, ec.questions),
                     {d.source: d.text for d in corpus.documents}))
    names = list(grid) + list(constants)
    header = " | ".join(names) + " | " + " | ".join(
        f"{n}: cited / who named / wrong / f-abst / f-ans" for n, *_ in runs)
    print(header)
    for values in itertools.product(*(grid[n] for n in grid), *(constants[n][1] for n in constants)):
        settings = AnswerSettings(**dict(zip(grid, values)))
        for name, value in zip(constants, values[len(grid):]):
            setattr(constants[name][0], name.rsplit(".", 1)[1], value)
        cells = []
        for _, searcher, questions, texts in runs:
            report = evaluate_answers(Answerer(searcher, settings=settings), questions, texts)
            who = evaluate_who(questions, report.answers)
            cells.append(f"{report.gold_cited:.1%} / {who.recall:.1%} / {who.wrong_strict:.1%} / "
                         f"{report.false_abstain:.1%} / {report.false_answer:.1%}")
        print(" | ".join(str(v) for v in values) + " | " + " | ".join(cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
