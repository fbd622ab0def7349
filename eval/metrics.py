"""Retrieval metrics with ranx, as pure functions of qrels and runs."""

from __future__ import annotations

METRICS = ("hit_rate@1", "hit_rate@3", "hit_rate@5", "hit_rate@10", "recall@5", "recall@10", "mrr@10", "ndcg@10")
LABELS = {
    "hit_rate@1": "Hit@1", "hit_rate@3": "Hit@3", "hit_rate@5": "Hit@5", "hit_rate@10": "Hit@10",
    "recall@5": "R@5", "recall@10": "R@10", "mrr@10": "MRR@10", "ndcg@10": "nDCG@10",
}


def evaluate(qrels: dict[str, dict[str, int]], run: dict[str, dict[str, float]]) -> dict[str, float]:
    """Mean of each metric in METRICS over the questions in ``qrels``."""
    from ranx import Qrels, Run
    from ranx import evaluate as ranx_evaluate

    # ranx drops a query whose run is empty; give such queries a placeholder non-relevant doc.
    run = {qid: run.get(qid) or {"__none__": 0.0} for qid in qrels}
    scores = ranx_evaluate(Qrels(qrels), Run(run), list(METRICS), make_comparable=True)
    return {m: float(scores[m]) for m in METRICS}
