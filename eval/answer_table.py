"""The answers section of ``python -m eval``: one column per corpus, one row per figure, with
the target beside it, so a change that helps one corpus and hurts another shows in one look."""

from __future__ import annotations

import statistics

from eval.answers import STANCE_LABELS, CorpusAnswers


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _latency(m: CorpusAnswers) -> tuple[float, float]:
    lat = sorted(m.answers.latencies_ms)
    if not lat:
        return float("nan"), float("nan")
    return statistics.median(lat), lat[min(len(lat) - 1, int(0.95 * len(lat)))]


def rows(m: CorpusAnswers) -> list[tuple[str, str, str]]:
    """(figure, value, target) for one corpus."""
    a, w = m.answers, m.who
    n_ans = sum(q.answerable for q in a.questions)
    n_un = len(a.questions) - n_ans
    sided = [s for s in w.scores if s.side is not None]
    listed = sum(len(s.listed) for s in sided)
    total = sum(len(s.gold_actors) for s in w.scores)
    named = sum(len(s.named) for s in w.scores)
    p50, p95 = _latency(m)
    out = [
        ("questions (answerable / unanswerable)", f"{n_ans} / {n_un}", ""),
        ("gold cited, of answerable", f"{_pct(a.gold_cited)} ({sum(a.cited(q) for q in a.questions if q.answerable)})", ">= 85%"),
        ("naive: top-3 passages hold gold", _pct(a.top3_rate), "reference"),
        ("who: gold actors named", f"{_pct(w.recall)} ({named}/{total})", ">= 85%"),
        ("who: wrong stance (unmatched = wrong)", f"{_pct(w.wrong_strict)} (of {listed})", "< 10%"),
        ("who: wrong stance (matched only)", _pct(w.wrong_matched), ""),
        ("false abstentions", f"{_pct(a.false_abstain)} ({sum(a.answers[q.id].abstained for q in a.questions if q.answerable)})", "<= 5%"),
        ("false answers", f"{_pct(a.false_answer)} ({sum(not a.answers[q.id].abstained for q in a.questions if not q.answerable)})", "<= 10%"),
        ("citations verified", "all " + str(a.citations) if not a.problems else f"{len(a.problems)} FAIL", "all"),
        ("warm ask p50 / p95 (ms)", f"{p50:.1f} / {p95:.1f}", "p95 <= 40"),
    ]
    if m.stance is not None:
        per = m.stance.per_label
        out.append(("stance accuracy", f"{_pct(m.stance.accuracy)} (of {len(m.stance.rows)})", ""))
        for label in STANCE_LABELS:
            if label in per:
                right, n = per[label]
                out.append((f"  stance: {label}", f"{right}/{n} ({right / n:.0%})", ""))
    if m.attribution is not None:
        out.append(("attribution (speaker and organisation)", _pct(m.attribution.accuracy), ""))
    return out


def side_by_side(measured: list[CorpusAnswers]) -> str:
    """The figures of every corpus in columns (rows missing on a corpus are left blank)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Answers, by corpus (eval/README.md, section Answers)")
    table.add_column("figure")
    for m in measured:
        table.add_column(m.name, justify="right")
    table.add_column("target", justify="right")
    per = [dict((f, (v, t)) for f, v, t in rows(m)) for m in measured]
    order = list(dict.fromkeys(f for m in measured for f, _, _ in rows(m)))
    for figure in order:
        target = next((p[figure][1] for p in per if figure in p), "")
        table.add_row(figure, *(p[figure][0] if figure in p else "" for p in per), target)
    console = Console(width=160, record=True, force_terminal=False)
    with console.capture() as cap:
        console.print(table)
    return cap.get()
