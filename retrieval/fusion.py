"""Fuse ranked candidate lists from several retrievers. Pure functions over ids and scores."""

from __future__ import annotations

import numpy as np

Ranking = list[tuple[int, float]]  # (passage id, score), best first


def rrf(rankings: list[Ranking], k: int = 60, weights: list[float] | None = None) -> Ranking:
    """Reciprocal rank fusion: score(d) = sum_r w_r / (k + rank_r(d)), ranks starting at 1."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, (pid, _) in enumerate(ranking, start=1):
            fused[pid] = fused.get(pid, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def weighted(rankings: list[Ranking], weights: list[float]) -> Ranking:
    """Convex combination of min-max normalised scores; a missing candidate scores 0 there."""
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        if not ranking:
            continue
        scores = np.array([s for _, s in ranking], dtype=np.float64)
        lo, hi = scores.min(), scores.max()
        # All-equal scores (one BM25 match, say) are all the best this retriever has: 1, not 0.
        normalised = (scores - lo) / (hi - lo) if hi > lo else np.ones_like(scores)
        for (pid, _), s in zip(ranking, normalised):
            fused[pid] = fused.get(pid, 0.0) + weight * s
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def top_k(scores: np.ndarray, k: int, positive_only: bool = True) -> Ranking:
    """The ``k`` best (id, score) of a dense score vector, best first; ties by lower id."""
    if k <= 0 or scores.size == 0:
        return []
    k = min(k, scores.size)
    threshold = scores[np.argpartition(-scores, k - 1)[:k]].min()
    # Everything tied at the threshold competes, so ties go to the lower id whatever
    # argpartition happened to pick.
    idx = np.flatnonzero(scores >= threshold)
    idx = idx[np.lexsort((idx, -scores[idx]))][:k]
    return [(int(i), float(scores[i])) for i in idx if not positive_only or scores[i] > 0]
