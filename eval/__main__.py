"""python -m eval [--corpus nhs|polnear-dev|all] [--retriever NAME ...] [--k K] [--json PATH] [--record]
python -m eval attribution [--split dev] [--engine product|textacy|both] [--examples N] [--json PATH]

For each eval corpus (eval/corpora.py: the NHS corpus with eval/data/questions.jsonl, PolNeAR dev
with eval/data/polnear/questions.jsonl), indexes it once as a user's folder and runs BM25, dense,
hybrid (the product) and two baselines (the usual RAG recipe and plain BM25 on 500-character
chunks), one retrieval table per corpus; then answers every question and prints the answers'
figures side by side, one column per corpus. ``attribution`` measures speaker attribution
instead (eval/polnear_cli.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from eval.baseline import plain_index
from eval.corpora import CHOICES, EvalCorpus, selected
from eval.polnear_corpus import PolnearMissing
from eval.metrics import LABELS, METRICS
from eval.questions import QUESTIONS, GoldMismatch, load_questions
from eval.runner import RetrieverResult, results_json, run_retriever
from index.build import build_in_memory
from index.cli import add_index_args, report_error, resolve_index_args, user_errors
from index.corpus import load_corpus
from index.encoder import load_encoder, set_offline_env
from retrieval.__main__ import add_search_args, search_settings
from retrieval.searcher import Searcher, SearchSettings

RETRIEVERS = ("hybrid", "bm25", "dense", "recipe", "bm25-500")
RECORDED = Path(__file__).parent / "recorded.json"
ROOT = Path(__file__).resolve().parent.parent
# The regression gate (tests/test_real_model.py) records results whose vectors agree across CPUs.
GATE_BACKENDS = ("onnx", "torch")


def build_searchers(names, corpus, encoder, chunking, search: SearchSettings) -> dict[str, Searcher]:
    """One searcher per name; the product's index is built once and shared by its three modes."""
    searchers: dict[str, Searcher] = {}
    product = None
    for name in names:
        if name in ("hybrid", "bm25", "dense"):
            product = product or build_in_memory(corpus, encoder, chunking)
            mode = "hybrid" if name == "hybrid" else name
            searchers[name] = Searcher(product, encoder, SearchSettings(**{**search.to_json(), "mode": mode}))
        elif name == "recipe":
            searchers[name] = Searcher(plain_index(corpus, encoder, 1000, 200), encoder,
                                       SearchSettings(mode="dense", expand=False))
        elif name == "bm25-500":
            searchers[name] = Searcher(plain_index(corpus, encoder, 500, 100), encoder,
                                       SearchSettings(mode="bm25", expand=False))
    return searchers


def format_table(results: list[RetrieverResult], title: str = "eval/data/questions.jsonl") -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Retrieval on {title} (answerable questions)")
    table.add_column("retriever")
    for m in METRICS:
        table.add_column(LABELS[m], justify="right")
    table.add_column("chars@5", justify="right")
    table.add_column("ms/query", justify="right")
    for r in results:
        table.add_row(r.name, *(f"{r.metrics[m]:.3f}" for m in METRICS),
                      f"{r.chars_top5:.0f}", f"{r.latency_ms:.1f}")
    console = Console(width=160, record=True, force_terminal=False)
    with console.capture() as cap:
        console.print(table)
    return cap.get()


def format_by_kind(results: list[RetrieverResult], questions) -> str:
    """Hit@1 / Hit@5 / MRR@10 per question kind, one line per retriever."""
    from eval.metrics import evaluate
    from eval.relevance import qrels, run_entry

    kinds = [k for k in dict.fromkeys(q.kind for q in questions) if k != "unanswerable"]
    lines = ["Hit@1 / Hit@5 / MRR@10 by kind: " + ", ".join(
        f"{k} ({sum(q.kind == k for q in questions)})" for k in kinds)]
    for r in results:
        cells = []
        for kind in kinds:
            subset = [q for q in questions if q.kind == kind and q.answerable]
            run = {q.id: run_entry(q, [(h.source, h.start, h.end) for h in r.hits[q.id]]) for q in subset}
            m = evaluate(qrels(subset), run)
            cells.append(f"{m['hit_rate@1']:.2f}/{m['hit_rate@5']:.2f}/{m['mrr@10']:.2f}")
        lines.append(f"  {r.name:<9} " + "  ".join(f"{k[:10]:>10} {c}" for k, c in zip(kinds, cells)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["attribution"]:
        from eval.polnear_cli import main as attribution_main

        return attribution_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__, conflict_handler="resolve",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--retriever", action="append", choices=RETRIEVERS,
                        help="repeatable; default: all")
    parser.add_argument("--k", type=int, default=10, help="ranking depth scored (default 10)")
    parser.add_argument("--json", type=Path, help="write metrics and per-question results here")
    parser.add_argument("--record", action="store_true",
                        help=f"save the NHS hybrid row as the regression gate's reference ({RECORDED.name})")
    add_index_args(parser)
    add_search_args(parser)
    # Replaces the index flags' --corpus DIR: the eval names its corpora (eval/corpora.py).
    parser.add_argument("--corpus", default="all",
                        help=f"{', '.join(CHOICES)} (default all), or a corpus folder scored with --questions")
    parser.add_argument("--questions", type=Path, default=None,
                        help="question set for a corpus folder (default eval/data/questions.jsonl)")
    args = parser.parse_args(argv)
    set_offline_env()
    try:
        chosen = _chosen_corpora(args)
        corpus_arg, args.corpus = args.corpus, None
        ia = resolve_index_args(args)
        chunking = ia.chunking
        loaded = []
        for ec in chosen:
            corpus = load_corpus(ec.directory())
            loaded.append((ec, corpus, load_questions(corpus, ec.questions)))
        encoder = load_encoder(ia.model_path, ia.backend)
    except (*user_errors(), GoldMismatch, PolnearMissing) as exc:
        return report_error(exc)
    if args.record and not any(ec.name == "nhs" for ec, _, _ in loaded):
        print(f"error: --record records the NHS hybrid row; run with --corpus nhs or all (not {corpus_arg})",
              file=sys.stderr)
        return 2
    if args.record and ia.backend not in GATE_BACKENDS:
        print(f"error: the gate records fp32 results, which agree across CPUs; run with --encoder "
              f"{GATE_BACKENDS[0]} (not {ia.backend})", file=sys.stderr)
        return 2
    search = search_settings(args)
    names = args.retriever or list(RETRIEVERS)
    measured, dumped = [], {}
    from eval.answers import details, measure

    for ec, corpus, questions in loaded:
        searchers = build_searchers(sorted(set(names) | {"hybrid"}, key=RETRIEVERS.index), corpus, encoder,
                                    chunking, search)
        results = evaluate_retrievers(names, corpus, questions, encoder, chunking, search, args.k,
                                      searchers={n: searchers[n] for n in names})
        print(format_table(results, f"{ec.name} ({ec.questions.relative_to(ROOT) if ec.questions.is_relative_to(ROOT) else ec.questions})"))
        print(format_by_kind(results, questions))
        n = sum(q.answerable for q in questions)
        print(f"{n} answerable of {len(questions)} questions; chunking {chunking.to_json()}; "
              f"search {search.to_json()}\n")
        if args.record and ec.name == "nhs":
            hybrid = next(r for r in results if r.name == "hybrid")
            old = json.loads(RECORDED.read_text()) if RECORDED.is_file() else {}
            record = {"encoder": ia.backend, "chunking": chunking.to_json(),
                      "search": search.to_json(), "hybrid": hybrid.row()}
            if "noise" in old:
                record["noise"] = old["noise"]  # python -m eval.robustness --record measures it
            RECORDED.write_text(json.dumps(record, indent=2) + "\n")
            print(f"recorded the hybrid row in {RECORDED}")
        dumped[ec.name] = results_json(results)
        measured.append(measure(ec.name, corpus, questions, encoder, chunking, search,
                                index=searchers["hybrid"].index, stance_path=ec.stance,
                                attribution=ec.name == "nhs"))
    if args.json:
        # One corpus: the shape it always had; several: one such object per corpus name.
        body = dumped[loaded[0][0].name] if len(loaded) == 1 else dumped
        args.json.write_text(json.dumps(body, ensure_ascii=False, indent=1))
    from eval.answer_table import side_by_side
    from eval.polnear import summary_line

    print(side_by_side(measured))
    for m in measured:
        print(details(m))
    print(summary_line())
    return 0


def _chosen_corpora(args) -> list[EvalCorpus]:
    """The corpora to run: registry names, or one folder with a question file."""
    if args.corpus in CHOICES:
        chosen = selected(args.corpus)
        if args.questions is not None:
            if len(chosen) != 1:
                raise ValueError("--questions goes with one corpus (--corpus NAME or a folder)")
            chosen = [dataclasses.replace(chosen[0], questions=args.questions)]
        return chosen
    folder = Path(args.corpus)
    if not folder.is_dir():
        raise ValueError(f"--corpus must be one of {', '.join(CHOICES)} or a folder; {folder} is neither")
    return [EvalCorpus(folder.name, lambda: folder, args.questions or QUESTIONS, None)]


def evaluate_retrievers(names, corpus, questions, encoder, chunking, search, k=10,
                        searchers: dict[str, Searcher] | None = None) -> list[RetrieverResult]:
    """Each named retriever over the answerable questions; ``searchers`` already built, or built here."""
    from rich.progress import Progress

    answerable = sum(q.answerable for q in questions)
    with Progress(transient=True) as progress:
        task = progress.add_task("indexing", total=None)
        searchers = searchers or build_searchers(names, corpus, encoder, chunking, search)
        results = []
        for name, searcher in searchers.items():
            progress.update(task, description=f"searching: {name}", total=answerable, completed=0)
            results.append(run_retriever(name, searcher, questions, k, lambda: progress.advance(task)))
    return results


if __name__ == "__main__":
    sys.exit(main())
