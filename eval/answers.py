"""Answer quality on eval/data/questions.jsonl: abstention, support, and citation checks.

- false-abstain rate: answerable questions (non-empty gold) the answerer abstained on, over all
  answerable questions;
- false-answer rate: unanswerable questions (kind "unanswerable", empty gold) it answered,
  over all unanswerable questions;
- supported: answered answerable questions with at least one citation overlapping a gold span
  (same source, overlap at least half of the shorter of the two), over answered answerable ones;
- gold coverage: gold spans overlapped by some citation, over all gold spans of answered ones;
- citation verification: every citation's quote equals the source text at [start, end), lies
  inside its context, whose text equals the source at [context_start, context_end), every
  [n] marker in the answer has a citation and every citation is referred to, and every
  quoted span in the answer text is its citation's quote;
- latency: wall time per ``ask`` (the index and model already loaded), p50 and p95, ms.

:func:`calibrate` prints the false-abstain / false-answer trade-off over thresholds, which is
how ``AnswerSettings.min_score`` was chosen.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from eval.questions import Question
from eval.spans import span_text
from retrieval.answer import Answer, Answerer, unmd


@dataclass
class AnswerReport:
    answers: dict[str, Answer]
    questions: list[Question]
    latencies_ms: list[float]
    problems: list[str] = field(default_factory=list)
    top3: dict[str, bool] = field(default_factory=dict)  # question id -> top 3 passages hold gold

    def _answerable(self) -> list[Question]:
        return [q for q in self.questions if q.answerable]

    def _unanswerable(self) -> list[Question]:
        return [q for q in self.questions if not q.answerable]

    @property
    def false_abstain(self) -> float:
        qs = self._answerable()
        return sum(self.answers[q.id].abstained for q in qs) / len(qs) if qs else 0.0

    @property
    def false_answer(self) -> float:
        qs = self._unanswerable()
        return sum(not self.answers[q.id].abstained for q in qs) / len(qs) if qs else 0.0

    def _answered(self) -> list[Question]:
        return [q for q in self._answerable() if not self.answers[q.id].abstained]

    @property
    def supported(self) -> float:
        answered = self._answered()
        if not answered:
            return 0.0
        return sum(any(_overlaps(c, g) for c in self.answers[q.id].citations for g in q.gold)
                   for q in answered) / len(answered)

    @property
    def gold_coverage(self) -> float:
        spans = [(q, g) for q in self._answered() for g in q.gold]
        if not spans:
            return 0.0
        return sum(any(_overlaps(c, g) for c in self.answers[q.id].citations) for q, g in spans) / len(spans)

    def cited(self, q: Question) -> bool:
        """Some citation of the answer overlaps a gold span (an abstention cites nothing)."""
        return any(_overlaps(c, g) for c in self.answers[q.id].citations for g in q.gold)

    @property
    def gold_cited(self) -> float:
        """Answerable questions whose answer cites a gold span, over all answerable questions
        (answered or not): the headline "does the answer cite what answers the question"."""
        qs = self._answerable()
        return sum(self.cited(q) for q in qs) / len(qs) if qs else 0.0

    @property
    def top3_rate(self) -> float:
        """The naive reference beside it: answerable questions whose top 3 searched passages
        cover a gold span (eval/relevance.py), over those measured."""
        qs = [q for q in self._answerable() if q.id in self.top3]
        return sum(self.top3[q.id] for q in qs) / len(qs) if qs else 0.0

    def by_kind(self) -> list[tuple[str, int, int, int, int, int]]:
        """(kind, questions, gold cited, top 3 holds gold, abstained, wrongly answered) per kind."""
        rows = []
        for kind in dict.fromkeys(q.kind for q in self.questions):
            qs = [q for q in self.questions if q.kind == kind]
            rows.append((kind, len(qs), sum(q.answerable and self.cited(q) for q in qs),
                         sum(bool(self.top3.get(q.id)) for q in qs),
                         sum(self.answers[q.id].abstained for q in qs),
                         sum(not q.answerable and not self.answers[q.id].abstained for q in qs)))
        return rows

    @property
    def citations(self) -> int:
        return sum(len(a.citations) for a in self.answers.values())

    def summary(self) -> str:
        lat = sorted(self.latencies_ms)
        p50 = statistics.median(lat) if lat else float("nan")
        p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))] if lat else float("nan")
        n_ans, n_un = len(self._answerable()), len(self._unanswerable())
        verified = "all verify" if not self.problems else f"{len(self.problems)} FAIL"
        return "\n".join([
            f"gold cited {self.gold_cited:.1%} of {n_ans} answerable questions "
            f"(naive top-3 passages hold gold: {self.top3_rate:.1%})",
            f"false-abstain {self.false_abstain:.1%} of {n_ans} answerable questions; "
            f"false-answer {self.false_answer:.1%} of {n_un} unanswerable",
            f"supported by a gold span {self.supported:.1%} of answered questions; "
            f"gold spans cited {self.gold_coverage:.1%}",
            f"citations: {self.citations} in {len(self.answers)} answers, {verified} against the sources",
            f"ask latency (warm): p50 {p50:.1f} ms, p95 {p95:.1f} ms",
        ])


def _overlaps(citation, gold) -> bool:
    if citation.source != gold.source:
        return False
    overlap = min(citation.end, gold.end) - max(citation.start, gold.start)
    return overlap > 0 and overlap >= 0.5 * min(citation.end - citation.start, gold.end - gold.start)


_MARKER = re.compile(r"\[(\d+)\]")
_QUOTED = re.compile(r"“(.+?)” \[(\d+)\]")


def verify_answer(answer: Answer, texts: dict[str, str]) -> list[str]:
    """Everything wrong with one answer's citations (empty when all is well)."""
    problems = []
    numbers = [c.n for c in answer.citations]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"citations are not numbered 1..n: {numbers}")
    for c in answer.citations:
        text = texts.get(c.source)
        if text is None:
            problems.append(f"[{c.n}] cites a source not in the corpus: {c.source}")
            continue
        if text[c.start : c.end] != c.quote:
            problems.append(f"[{c.n}] quote differs from {c.source}[{c.start}:{c.end}]")
        if text[c.context_start : c.context_end] != c.context:
            problems.append(f"[{c.n}] context differs from {c.source}[{c.context_start}:{c.context_end}]")
        if not c.context_start <= c.start < c.end <= c.context_end:
            problems.append(f"[{c.n}] quote lies outside its context")
    used = {int(n) for n in _MARKER.findall(answer.answer)}
    if used != set(numbers):
        problems.append(f"markers {sorted(used)} do not match citations {numbers}")
    for quoted, n in _QUOTED.findall(answer.answer):
        if int(n) in used and int(n) <= len(answer.citations) and answer.citations[int(n) - 1].quote != unmd(quoted):
            problems.append(f"quoted text before [{n}] is not its citation's quote")
    if answer.abstained and answer.citations:
        problems.append("an abstention lists citations")
    return problems


def evaluate_answers(answerer: Answerer, questions: list[Question], texts: dict[str, str]) -> AnswerReport:
    """Ask every question once to warm the caches, then once more timed; verify every answer."""
    for q in questions:
        answerer.ask(q.question)
    answers, latencies, problems = {}, [], []
    for q in questions:
        t0 = time.perf_counter()
        answers[q.id] = answerer.ask(q.question)
        latencies.append((time.perf_counter() - t0) * 1000)
        problems += [f"{q.id}: {p}" for p in verify_answer(answers[q.id], texts)]
    return AnswerReport(answers, questions, latencies, problems, naive_top3(answerer.searcher, questions))


def naive_top3(searcher, questions: list[Question], depth: int = 3) -> dict[str, bool]:
    """Per answerable question: do the top ``depth`` passages the searcher returns cover a gold
    span (eval/relevance.py: at least half its characters)? What a reader of the search
    results would find without the composer."""
    from eval.relevance import covers

    out = {}
    for q in questions:
        if q.answerable:
            hits = searcher.search(q.question, depth)
            out[q.id] = any(covers(h.source, h.start, h.end, g) for h in hits for g in q.gold)
    return out


def calibrate(report: AnswerReport) -> list[tuple[float, float, float]]:
    """(threshold, false-abstain, false-answer) if ``min_score`` were each observed confidence.

    Uses the answers' confidences, so it is exact for rules 1–2 of retrieval/abstain.py as
    they stand and only moves the score threshold.
    """
    rows = []
    answerable = [q for q in report.questions if q.answerable]
    unanswerable = [q for q in report.questions if not q.answerable]
    confidences = sorted({round(a.confidence, 3) for a in report.answers.values()})
    for t in confidences:
        fa = sum(report.answers[q.id].abstained or report.answers[q.id].confidence < t for q in answerable)
        fn = sum(not report.answers[q.id].abstained for q in unanswerable
                 if report.answers[q.id].confidence >= t)
        rows.append((t, fa / max(len(answerable), 1), fn / max(len(unanswerable), 1)))
    return rows


STANCE = Path(__file__).parent / "data" / "stance.jsonl"
POLNEAR_STANCE = Path(__file__).parent / "data" / "polnear" / "stance.jsonl"
STANCE_LABELS = ("supports", "opposes", "mixed", "neutral")


@dataclass(frozen=True)
class StanceReport:
    """Stance accuracy on a labelled set (eval/data/stance.jsonl, eval/data/polnear/stance.jsonl):
    the label of :func:`retrieval.stance.stance` for each quote and proposition, against the hand
    label (exact match of the four labels)."""

    rows: list[tuple[str, str, str]]  # (id, expected, predicted)

    @property
    def accuracy(self) -> float:
        return sum(e == p for _, e, p in self.rows) / len(self.rows) if self.rows else 0.0

    @property
    def per_label(self) -> dict[str, tuple[int, int]]:
        """``{label: (right, labelled)}`` for each hand label present: the accuracy on that class."""
        out = {}
        for label in STANCE_LABELS:
            gold = [r for r in self.rows if r[1] == label]
            if gold:
                out[label] = (sum(r[2] == label for r in gold), len(gold))
        return out

    def summary(self) -> str:
        per = ", ".join(f"{label} {right}/{n} ({right / n:.0%})" for label, (right, n) in self.per_label.items())
        return f"stance accuracy {self.accuracy:.1%} of {len(self.rows)} labelled quotes ({per})"


def evaluate_stance(path: Path = STANCE, texts: dict[str, str] | None = None) -> StanceReport:
    """Score the stance labeller on ``path``. A record keeps its quote in ``quote`` (the NHS set)
    or points into a corpus by ``source``/``start``/``end``/``sha1`` (the PolNeAR set, whose text
    may not be copied); those take the quote from ``texts`` (source -> document text), checked
    against the digest."""
    from retrieval.stance import stance

    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                rows.append((rec["id"], rec["stance"], stance(_stance_quote(rec, texts, path), rec["proposition"]).label))
    return StanceReport(rows)


def _stance_quote(rec: dict, texts: dict[str, str] | None, path: Path) -> str:
    if "quote" in rec:
        return rec["quote"]
    if texts is None:
        raise ValueError(f"{path}: {rec['id']} stores its quote by offsets and digest; "
                         "pass the corpus texts (source -> text) to evaluate_stance")
    return span_text(rec, texts, rec["id"])


@dataclass
class CorpusAnswers:
    """Everything measured about answers on one corpus (``python -m eval`` prints one column
    per corpus, eval/answer_table.py)."""

    name: str
    answers: AnswerReport
    who: object  # eval.who_metrics.WhoReport
    stance: StanceReport | None
    attribution: object | None = None  # eval.attribution.AttributionReport, where labels exist
    settings: dict = field(default_factory=dict)
    answerer: Answerer | None = None
    follow_ups: str | None = None  # eval/dialogue_eval.py on this corpus's dialogue set, if it has one


def measure(name: str, corpus, questions: list[Question], encoder, chunking, search, *, index=None,
            stance_path: Path | None = STANCE, attribution: bool = False, settings=None) -> CorpusAnswers:
    """Answer every question of one corpus and score it. ``index``: the product's index already
    built for the retrieval table (built here if None); ``attribution``: also score
    eval/data/attribution.jsonl, whose labels are on the NHS corpus."""
    from eval.who_metrics import evaluate_who
    from index.build import build_in_memory
    from retrieval.searcher import Searcher

    index = index if index is not None else build_in_memory(corpus, encoder, chunking)
    answerer = Answerer(Searcher(index, encoder, search), settings=settings)
    texts = {d.source: d.text for d in corpus.documents}
    answers = evaluate_answers(answerer, questions, texts)
    attribution_report = None
    if attribution:
        from eval.attribution import evaluate_attribution

        attribution_report = evaluate_attribution(corpus)
    stance_report = evaluate_stance(stance_path, texts) if stance_path is not None and Path(stance_path).is_file() else None
    return CorpusAnswers(name, answers, evaluate_who(questions, answers.answers), stance_report,
                         attribution_report, answerer.settings.to_json(), answerer,
                         _follow_ups(name, corpus, answerer, questions, answers.answers))


def _follow_ups(name: str, corpus, answerer: Answerer, questions: list[Question], answers: dict) -> str | None:
    """The dialogue eval (eval/dialogue_eval.py) on this corpus with its own answerer, so no
    index is built twice; the NHS run also checks the eval questions are not rewritten."""
    from eval.dialogue_eval import _load, dialogue_report

    dialogues = _load(corpus, name)
    if dialogues is None:
        return None
    return dialogue_report(name, answerer, dialogues, questions if name == "nhs" else (),
                           answers if name == "nhs" else None).summary()


def report(corpus, questions: list[Question], encoder, chunking, search, *, index=None,
           name: str = "nhs", stance_path: Path | None = STANCE, attribution: bool = True) -> str:
    """Everything ``python -m eval`` prints about answers on one corpus: attribution and stance
    accuracy, gold cited, who-answers, abstention rates, citation verification and ask latency,
    then follow-up questions (eval/dialogue_eval.py)."""
    m = measure(name, corpus, questions, encoder, chunking, search, index=index, stance_path=stance_path,
                attribution=attribution)
    return details(m)


def details(m: CorpusAnswers) -> str:
    """The per-corpus lines under the side-by-side table."""
    lines = ["", f"Answers on {m.name} (eval/README.md, section Answers)"]
    if m.attribution is not None:
        lines.append(m.attribution.summary())
    if m.stance is not None:
        lines.append(m.stance.summary())
    lines.append(m.answers.summary())
    lines.append(m.who.summary())
    lines.append("by kind: questions / gold cited / top-3 holds gold / abstained / answered but unanswerable")
    for kind, n, cited, top3, abstained, wrong in m.answers.by_kind():
        lines.append(f"  {kind:<17} {n:>4} {cited:>4} {top3:>4} {abstained:>4} {wrong:>4}")
    lines += [f"  citation problem: {p}" for p in m.answers.problems[:20]]
    lines.append(f"answer settings {m.settings}")
    if m.follow_ups:
        lines.append(m.follow_ups)
    return "\n".join(lines)
