"""python -m eval.robustness [--seeds N] [--cosine C ...] [--encoder onnx] [--record]

How far do retrieval results move when every vector moves as far as int8 noise moves it?
The product's index is built once with a reference encoder (fp32 ONNX by default, whose
vectors agree across CPUs to about 1e-7); then, for each seed, every passage vector and every
question vector is replaced by a unit vector at cosine C from it (:mod:`eval.perturb`) and the
eval set is searched again. Printed per metric: the reference value, and over the seeds the
mean, the 1st percentile, the minimum and the largest drop; per question, how often its
Hit@1/@3/@5 differs from the reference; and how often the flagship who-question keeps both the
RCGP and National Voices in its top 5.

``--record`` writes the noise figures into eval/recorded.json under "noise": the int8 check of
the regression gate (tests/test_real_model.py) allows each metric to fall by the largest drop
seen here at the recorded cosine, plus one question's worth.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import dataclass, field
from typing import Any, Iterator

import numpy as np

from eval.metrics import METRICS
from eval.perturb import MemoEncoder, PerturbedEncoder, perturb_rows
from eval.questions import Question
from eval.runner import run_retriever
from index.dense import all_vectors, make_dense_index
from index.incremental import embedded_text
from index.store import StoredIndex
from retrieval.hit import Hit
from retrieval.searcher import Searcher, SearchSettings

FLAGSHIP = "Who opposed hospital-led integrated care organisations?"
DEFAULT_COSINES = (0.99,)


def flagship_ok(hits: list[Hit]) -> tuple[bool, bool]:
    """(RCGP's "grave concerns" passage, National Voices' passage) among ``hits``."""
    texts = [h.text for h in hits]
    rcgp = any("Royal College of General Practitioners" in t and "grave concerns" in t for t in texts)
    nv = any("National Voices has raised concerns" in t or "Don Redding" in t for t in texts)
    return rcgp, nv


def noisy_searchers(index: StoredIndex, encoder, cosine: float, seeds, settings: SearchSettings
                    ) -> Iterator[tuple[int, Searcher]]:
    """One searcher per seed over ``index`` with every vector at cosine ``cosine`` from the one
    ``encoder`` gives (passages keep their text, BM25 and ids). ``encoder`` should be a
    :class:`MemoEncoder`, so each text is encoded once across all seeds."""
    dense_context = bool(index.manifest.get("chunking", {}).get("dense_context", False))
    texts = [embedded_text(p, dense_context) for p in index.passages]
    vectors = all_vectors(index.dense)
    for seed in seeds:
        dense = make_dense_index(perturb_rows(vectors, texts, cosine, seed))
        noisy = StoredIndex(index.path, index.manifest, index.passages, dense, index.bm25)
        yield seed, Searcher(noisy, PerturbedEncoder(encoder, cosine, seed), settings)


@dataclass
class NoiseReport:
    """Metrics of the reference run and of every noisy run, at one cosine."""

    cosine: float
    reference: dict[str, float]
    runs: list[dict[str, float]]
    flagship: list[tuple[bool, bool]]
    flips: dict[str, dict[str, int]] = field(default_factory=dict)  # question id -> {"hit@k": seeds}

    def drop(self, metric: str) -> float:
        """The largest fall of ``metric`` below the reference over all seeds (>= 0)."""
        return max(0.0, max(self.reference[metric] - r[metric] for r in self.runs))

    def to_json(self) -> dict[str, Any]:
        n = len(self.runs)
        return {
            "cosine": self.cosine,
            "seeds": n,
            "reference": self.reference,
            "mean": {m: statistics.fmean(r[m] for r in self.runs) for m in METRICS},
            "p1": {m: float(np.percentile([r[m] for r in self.runs], 1)) for m in METRICS},
            "min": {m: min(r[m] for r in self.runs) for m in METRICS},
            "max_drop": {m: self.drop(m) for m in METRICS},
            "flagship_both_in_top5": sum(a and b for a, b in self.flagship) / n if n else 0.0,
        }


def measure(index: StoredIndex, encoder, questions: list[Question], cosine: float, seeds: int,
            settings: SearchSettings = SearchSettings()) -> NoiseReport:
    """Reference and noisy runs of the eval set (see module docstring)."""
    memo = encoder if isinstance(encoder, MemoEncoder) else MemoEncoder(encoder)
    answerable = [q for q in questions if q.answerable]
    reference = run_retriever("reference", Searcher(index, memo, settings), answerable)
    runs, flagship = [], []
    flips: dict[str, dict[str, int]] = {}
    ref_hits = _hits_at(reference, answerable)
    for _, searcher in noisy_searchers(index, memo, cosine, range(seeds), settings):
        result = run_retriever("noisy", searcher, answerable)
        runs.append(result.metrics)
        flagship.append(flagship_ok(searcher.search(FLAGSHIP, top_k=5)))
        for qid, row in _hits_at(result, answerable).items():
            for k, hit in row.items():
                if hit != ref_hits[qid][k]:
                    flips.setdefault(qid, {}).setdefault(k, 0)
                    flips[qid][k] += 1
    return NoiseReport(cosine, reference.metrics, runs, flagship, flips)


def _hits_at(result, questions: list[Question]) -> dict[str, dict[str, bool]]:
    from eval.relevance import covers

    out = {}
    for q in questions:
        hits = result.hits[q.id]
        out[q.id] = {f"hit@{k}": any(covers(h.source, h.start, h.end, g) for h in hits[:k] for g in q.gold)
                     for k in (1, 3, 5)}
    return out


def format_report(report: NoiseReport) -> str:
    data = report.to_json()
    lines = [f"cosine {report.cosine}: {data['seeds']} seeds; flagship keeps RCGP and National Voices in "
             f"its top 5 in {data['flagship_both_in_top5']:.1%} of them",
             f"  {'metric':<12} {'reference':>9} {'mean':>7} {'p1':>7} {'min':>7} {'max drop':>8}"]
    for m in METRICS:
        lines.append(f"  {m:<12} {data['reference'][m]:9.3f} {data['mean'][m]:7.3f} {data['p1'][m]:7.3f} "
                     f"{data['min'][m]:7.3f} {data['max_drop'][m]:8.3f}")
    unstable = sorted(report.flips.items(), key=lambda kv: -max(kv[1].values()))
    lines.append(f"  questions whose Hit@1/3/5 moves in some seed: {len(unstable)}")
    for qid, row in unstable[:12]:
        lines.append("    " + qid + ": " + ", ".join(f"{k} in {v}/{data['seeds']}" for k, v in sorted(row.items())))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from eval.__main__ import RECORDED
    from eval.questions import load_questions
    from index.build import build_in_memory
    from index.cli import add_index_args, report_error, resolve_index_args, user_errors
    from index.corpus import load_corpus
    from index.encoder import load_encoder, set_offline_env

    parser = argparse.ArgumentParser(prog="python -m eval.robustness", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=200, help="noisy runs per cosine (default 200)")
    parser.add_argument("--cosine", type=float, action="append", help="repeatable (default 0.99)")
    parser.add_argument("--record", action="store_true", help="write the first cosine's figures to "
                                                               "eval/recorded.json under 'noise'")
    parser.add_argument("--json", help="write every report here")
    add_index_args(parser)
    args = parser.parse_args(argv)
    set_offline_env()
    try:
        ia = resolve_index_args(args)
        corpus = load_corpus(ia.corpus_dir)
        questions = load_questions(corpus)
        encoder = MemoEncoder(load_encoder(ia.model_path, getattr(args, "encoder", None) or "onnx"))
    except user_errors() as exc:
        return report_error(exc)
    index = build_in_memory(corpus, encoder, ia.chunking)
    reports = []
    for cosine in args.cosine or DEFAULT_COSINES:
        report = measure(index, encoder, questions, cosine, args.seeds)
        reports.append(report)
        print(format_report(report))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump([r.to_json() for r in reports], f, indent=1)
    if args.record:
        recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
        first = reports[0].to_json()
        recorded["noise"] = {"encoder": encoder.model_id, "cosine": first["cosine"], "seeds": first["seeds"],
                             "max_drop": first["max_drop"], "p1": first["p1"],
                             "flagship_both_in_top5": first["flagship_both_in_top5"]}
        RECORDED.write_text(json.dumps(recorded, indent=2) + "\n", encoding="utf-8")
        print(f"recorded the noise figures in {RECORDED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
