"""The relevance rule and its translation into qrels and runs for ranx.

Rule: a retrieved passage counts for a gold span when it covers at least half of that span's
characters (same source, overlap >= 0.5 * span length). Metrics are computed over gold spans:
each question's ranking is rewritten as the sequence of gold spans its passages cover (a span
counts at the first passage covering it), with non-covering passages kept as non-relevant
entries so ranks stay honest.
"""

from __future__ import annotations

from eval.questions import Question, Span

MIN_COVER = 0.5


def covers(source: str, start: int, end: int, span: Span, min_cover: float = MIN_COVER) -> bool:
    if source != span.source:
        return False
    overlap = min(end, span.end) - max(start, span.start)
    return overlap >= min_cover * (span.end - span.start)


def gold_id(question: Question, i: int) -> str:
    return f"{question.id}#g{i}"


def qrels(questions: list[Question]) -> dict[str, dict[str, int]]:
    return {q.id: {gold_id(q, i): 1 for i in range(len(q.gold))} for q in questions if q.gold}


def run_entry(question: Question, ranked: list[tuple[str, int, int]]) -> dict[str, float]:
    """``ranked`` is [(source, start, end)] best first -> {doc id: score} with score by rank."""
    entry: dict[str, float] = {}
    n = len(ranked)
    for rank, (source, start, end) in enumerate(ranked):
        base = float(n - rank)
        hit_any = False
        for i, span in enumerate(question.gold):
            gid = gold_id(question, i)
            if gid not in entry and covers(source, start, end, span):
                # Several spans under one passage share its rank; tiny offsets keep order stable.
                entry[gid] = base - 1e-3 * i
                hit_any = True
        if not hit_any:
            entry[f"{source}:{start}-{end}"] = base
    return entry
