"""Run retrievers over the question set and score them. Used by ``python -m eval`` and the gate test."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from eval.metrics import evaluate
from eval.questions import Question
from eval.relevance import qrels, run_entry
from retrieval.hit import Hit
from retrieval.searcher import Searcher

READ_DEPTH = 5  # "what a reader must read": characters in the top 5


@dataclass
class RetrieverResult:
    name: str
    metrics: dict[str, float]
    chars_top5: float
    latency_ms: float
    hits: dict[str, list[Hit]] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        return {"retriever": self.name, **self.metrics,
                "chars@5": self.chars_top5, "latency_ms": self.latency_ms}


def run_retriever(
    name: str,
    searcher: Searcher,
    questions: list[Question],
    k: int = 10,
    on_question: Callable[[], None] = lambda: None,
) -> RetrieverResult:
    """Search every answerable question one at a time (so latency is per query) and score."""
    answerable = [q for q in questions if q.answerable]
    hits: dict[str, list[Hit]] = {}
    latencies = []
    for q in answerable:
        t0 = time.perf_counter()
        hits[q.id] = searcher.search(q.question, top_k=k)
        latencies.append((time.perf_counter() - t0) * 1000)
        on_question()
    run = {q.id: run_entry(q, [(h.source, h.start, h.end) for h in hits[q.id]]) for q in answerable}
    return RetrieverResult(
        name=name,
        metrics=evaluate(qrels(answerable), run),
        chars_top5=statistics.mean(sum(len(h.text) for h in hits[q.id][:READ_DEPTH]) for q in answerable),
        latency_ms=statistics.mean(latencies),
        hits=hits,
    )


def results_json(results: list[RetrieverResult]) -> dict[str, Any]:
    """Metrics per retriever, and per-question results in the gold labels' shape (BEIR-like)."""
    return {
        "metrics": [r.row() for r in results],
        "results": {
            r.name: {
                qid: [{"source": h.source, "start": h.start, "end": h.end, "text": h.text,
                       "score": h.score} for h in hs]
                for qid, hs in r.hits.items()
            }
            for r in results
        },
    }
