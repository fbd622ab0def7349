"""Cited extractive answers. Every quoted word is an exact span of a source document.

Contract (shared with the web layer and the CLI): :class:`Answer` and :class:`Citation` below,
``Answerer(searcher).ask(question, history=None) -> Answer``, and ``Answer.to_json()`` giving
``{"question", "answer", "citations": [...], "abstained", "related": [...]}`` (plus "mode",
"confidence" and "standalone_question": the rewritten follow-up, or null).

How an answer is made (no language model; composed from retrieved text):

1. Search passages; split them into sentences (with their speakers, from the index) and score
   each sentence against the question (:mod:`retrieval.evidence`).
2. Abstain when the evidence is weak (:mod:`retrieval.abstain`): a name in the question the
   passages never mention, a "how many" with no count, or a best score under ``min_score``.
   The answer then says so and ``related`` holds the closest passages.
3. Who-questions ("who opposed …", :mod:`retrieval.who`): group sentences by actor, decide each
   actor's stance toward the question's proposition (:mod:`retrieval.stance`), keep the actors
   whose stance fits the question, and list each with a one-line quote and its citations.
4. Other questions: the best one to three sentences, each cited.

Citations are numbered in order of first use, only cited sources are listed, and each quote is
sliced from its passage's text by offsets, so ``quote == document[start:end]`` by construction.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from retrieval.abstain import missing_name, type_fits, wants_type
from retrieval.cache import CachedEncoder
from retrieval.evidence import Scored, Sentence, candidates, idf_table, score_sentences, terms
from retrieval.followup import rewrite
from retrieval.hit import Hit
from retrieval.question import clean_question
from retrieval.stance import stance
from retrieval.who import Actor, WhoQuestion, group_actors, parse_who

NO_ANSWER = "The sources don't answer this question."
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&~|!])")
_MD_ORDERED_START = re.compile(r"^(\d{1,9})([.)])")  # "1. " / "1) " would open a list
_MD_BLOCK_START = re.compile(r"^([-+#>=])")
_MD_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
QUOTE_CHARS = 320  # a "one-line" quote: longer sentences are cut at a clause boundary
MODES = ("who", "sentences", "abstained")


@dataclass(frozen=True)
class Citation:
    """One cited quote. ``quote == document[start:end]``; ``context`` is the verbatim passage
    ``document[context_start:context_end]`` that contains it (for showing it highlighted)."""

    n: int
    source: str
    title: str | None
    outlet: str | None
    published: str | None
    start: int
    end: int
    quote: str
    context_start: int
    context_end: int
    context: str
    speaker: str | None = None
    organisation: str | None = None
    role: str | None = None
    stance: str | None = None
    kind: str | None = None
    entry_time: str | None = None


@dataclass(frozen=True)
class Answer:
    """``answer`` is markdown with inline ``[n]`` markers referring to ``citations``.

    When ``abstained`` is true the sources do not answer the question; ``related`` then holds
    the closest passages to show as "may be related". ``mode`` is "who", "sentences" or
    "abstained"; ``confidence`` is the best evidence score (see retrieval/evidence.py).
    """

    question: str
    answer: str
    citations: list[Citation]
    abstained: bool
    related: list[Hit] = field(default_factory=list)
    mode: str = "sentences"
    confidence: float = 0.0
    standalone_question: str | None = None  # what was answered, when a follow-up was rewritten

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "answer": self.answer,
            "citations": [dataclasses.asdict(c) for c in self.citations],
            "abstained": self.abstained,
            "related": [h.to_json() for h in self.related],
            "mode": self.mode,
            "confidence": round(self.confidence, 4),
        }


@dataclass(frozen=True)
class AnswerSettings:
    """How answers are composed. CLI flags mirror the fields one to one (retrieval/__main__.py).

    ``top_k`` / ``who_top_k``: passages searched for an ordinary / a who-question.
    ``min_score``: abstain when the best sentence scores lower (calibrated on the eval set).
    ``dense``: also score sentences with the search encoder (vectors cached per sentence).
    """

    top_k: int = 6
    who_top_k: int = 12
    max_sentences: int = 3
    max_actors: int = 5
    min_score: float = 0.365
    dense: bool = True

    def __post_init__(self) -> None:
        if min(self.top_k, self.who_top_k, self.max_sentences, self.max_actors) < 1:
            raise ValueError("top_k, who_top_k, max_sentences and max_actors must be at least 1")

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


class Answerer:
    """Composes an :class:`Answer` from a searcher's hits."""

    def __init__(self, searcher, top_k: int | None = None, max_citations: int | None = None,
                 settings: AnswerSettings | None = None, cache_size: int = 20000):
        settings = settings or AnswerSettings()
        if top_k is not None:
            settings = dataclasses.replace(settings, top_k=top_k)
        if max_citations is not None:
            settings = dataclasses.replace(settings, max_sentences=max_citations)
        self.settings = settings
        self.encoder = None
        self.searcher = searcher
        encoder = getattr(searcher, "encoder", None)
        if settings.dense and encoder is not None and hasattr(searcher, "index"):
            from retrieval.searcher import Searcher

            # The question the searcher encodes is encoded again for sentence scoring: share
            # one query cache (the loader's, if the searcher already has one).
            if isinstance(encoder, CachedEncoder):
                self.encoder = encoder
            else:
                self.encoder = CachedEncoder(encoder, size=8)
                self.searcher = Searcher(searcher.index, self.encoder, searcher.settings)
        passages = getattr(searcher, "passages", None) or []
        self._idf = idf_table([p.text for p in passages]) if passages else {}
        self._terms: dict[tuple, set[str]] = {}
        self._vectors: dict[tuple, np.ndarray] = {}
        self._cache_size = cache_size

    # --- public -------------------------------------------------------------------------------

    def ask(self, question: str, history: object = None) -> Answer:
        """Answer one question. Raises QuestionError (a ValueError) on an empty or too long one.

        ``history``: the chat so far, ``[{"role", "content"}]`` (retrieval/history.py; a bad
        one raises HistoryError, a ValueError). A follow-up is answered as the standalone
        question retrieval/followup.py makes of it, and the answer begins "Answering: …".
        """
        if history:
            rewritten = rewrite(question, history)
            if rewritten.rewritten:
                answer = self._answer(rewritten.standalone)
                return dataclasses.replace(
                    answer, question=rewritten.question, standalone_question=rewritten.standalone,
                    answer=f"Answering: {md(rewritten.standalone)}\n\n{answer.answer}")
        return self._answer(question)

    def _answer(self, question: str) -> Answer:
        q = clean_question(question)
        who = parse_who(q)
        hits = self.searcher.search(q, self.settings.who_top_k if who else self.settings.top_k)
        if not hits:
            return self._abstain(q, [], 0.0)
        scored = self.score(q, hits, who)
        best = scored[0].score if scored else 0.0
        evidence_text = " ".join(f"{h.title or ''} {h.outlet or ''} {h.text}" for h in hits)
        if missing_name(q, evidence_text) is not None:
            return self._abstain(q, hits, best)
        if wants_type(q):
            scored = [s for s in scored if type_fits(q, s.sentence.text)]
            best = scored[0].score if scored else 0.0
        if not scored or best < self.settings.min_score:
            return self._abstain(q, hits, best)
        if who is not None:
            answer = self._who(q, who, scored)
            if answer is not None:
                return answer
        return self._sentences(q, scored)

    def score(self, question: str, hits: list[Hit], who: WhoQuestion | None = None) -> list[Scored]:
        """Every candidate sentence of ``hits`` scored against the question, best first."""
        sentences = candidates(hits)
        focus = who.proposition if who is not None and who.proposition else question
        q_terms = terms(focus)
        s_terms = [self._sentence_terms(s) for s in sentences]
        dense = self._dense(question, sentences) if self.encoder is not None else None
        idf = self._idf or idf_table([h.text for h in hits])
        return score_sentences(sentences, q_terms, s_terms, idf, dense)

    # --- evidence -----------------------------------------------------------------------------

    def _sentence_terms(self, s: Sentence) -> set[str]:
        key = (s.hit.source, s.start, s.end)
        found = self._terms.get(key)
        if found is None:
            if len(self._terms) >= self._cache_size:
                self._terms.clear()
            found = self._terms[key] = set(terms(s.text))
        return found

    def _dense(self, question: str, sentences: list[Sentence]) -> np.ndarray:
        """Cosine of each sentence to the question; sentence vectors are encoded once, in one
        batch per question, and cached."""
        q_vec = self.encoder.encode([question])[0]
        keys = [(s.hit.source, s.start, s.end) for s in sentences]
        missing = [i for i, k in enumerate(keys) if k not in self._vectors]
        if missing:
            if len(self._vectors) + len(missing) > self._cache_size:
                self._vectors.clear()
            vectors = self.encoder.encoder.encode([sentences[i].text for i in missing])
            for i, v in zip(missing, vectors):
                self._vectors[keys[i]] = v
        if not keys:
            return np.zeros(0, dtype=np.float32)
        matrix = np.stack([self._vectors[k] for k in keys])
        return matrix @ q_vec

    # --- composing ----------------------------------------------------------------------------

    def _abstain(self, question: str, hits: list[Hit], confidence: float) -> Answer:
        related = hits[:3]
        lines = [NO_ANSWER]
        if related:
            lines.append("")
            lines.append("These passages may be related:")
            for h in related:
                where = ", ".join(x for x in (h.outlet, h.published) if x)
                lines.append(f"- {md(h.title or h.source)}" + (f" ({md(where)})" if where else ""))
        return Answer(question, "\n".join(lines), [], True, related, "abstained", confidence)

    def _sentences(self, question: str, scored: list[Scored]) -> Answer:
        """The best one to three sentences, each quoted and cited."""
        best = scored[0].score
        chosen: list[Scored] = []
        for item in scored:
            if len(chosen) >= self.settings.max_sentences or item.score < 0.75 * best:
                break
            if any(_redundant(item, c) for c in chosen):
                continue
            chosen.append(item)
        book = _CitationBook()
        lines = []
        for item in chosen:
            n = book.cite(item.sentence)
            line = f"{md(_voice(item.sentence))}“{md(book.quote(n))}” [{n}]"
            follow = _following(item.sentence, scored) if item.sentence.text.rstrip().endswith(":") else None
            if follow is not None:  # "… responded through a couple of tweets:" — show what follows
                m = book.cite(follow)
                line += f" “{md(book.quote(m))}” [{m}]"
            lines.append(line)
        text = lines[0] if len(lines) == 1 else "\n".join(f"- {line}" for line in lines)
        return Answer(question, text, book.citations, False, [], "sentences", best)

    def _who(self, question: str, who: WhoQuestion, scored: list[Scored]) -> Answer | None:
        """Actors with a one-line quote each, their stance, and citations; None if no actor fits."""
        best = scored[0].score
        floor = max(self.settings.min_score, 0.55 * best)
        actors = group_actors(scored, own_voice=who.polarity is not None)
        named = {w.lower() for w in re.findall(r"\b[A-Z][a-z]+", who.proposition)}
        chosen: list[tuple[Actor, list[tuple[Scored, str]]]] = []
        for actor in actors:
            if actor.best.score < floor:
                continue
            # "Who criticised Burnham's plans?": the person whose plans they are is not an answer.
            if any(p.split()[-1].lower() in named for p in actor.people) and not actor.organisation_only:
                continue
            picks = self._actor_quotes(actor, who, 0.45 * best)
            if picks and not (actor.own_voice and picks[0][1] not in (who.polarity, "mixed")):
                chosen.append((actor, picks))
        if who.polarity:
            fitting = [c for c in chosen if c[1][0][1] in (who.polarity, "mixed")]
            chosen = fitting or [c for c in chosen if c[1][0][1] == "neutral"]
        chosen = chosen[: self.settings.max_actors]
        if not chosen:
            return None
        book = _CitationBook()
        lines = []
        for actor, picks in chosen:
            parts = []
            for k, (item, label) in enumerate(picks):
                n = book.cite(item.sentence, label)
                parts.append(("" if k == 0 else "also ") + f"“{md(book.quote(n))}” [{n}]")
            lines.append(f"- **{md(actor.label())}** — {picks[0][1]}: " + "; ".join(parts))
        verb = who.verb.split()[0]
        head = f"The sources name {len(chosen)} {'actor' if len(chosen) == 1 else 'actors'} who {md(verb)} " \
               f"{md(who.proposition or 'this')}:" if who.polarity else f"What the sources quote on {md(who.proposition)}:"
        return Answer(question, head + "\n\n" + "\n".join(lines), book.citations, False, [], "who", best)

    def _actor_quotes(self, actor: Actor, who: WhoQuestion, floor: float) -> list[tuple[Scored, str]]:
        """Up to two quotes for an actor, the best-fitting first, the second from another source.

        Quotes come from the actor's relevant sentences, and from the rest of the same entry as
        their most relevant one: a speaker's later sentences ("It simply will not work") rarely
        repeat the topic's words."""
        ranked = []
        top = actor.best.score
        anchor = actor.best.sentence
        pool = [e for e in actor.evidence if e.score >= floor or (
            e.sentence.hit.source == anchor.hit.source
            and e.sentence.hit.metadata.get("section_start") == anchor.hit.metadata.get("section_start"))]
        for item in pool[:8]:
            label = stance(item.sentence.text, who.proposition).label
            fit = 2 if label == who.polarity else 1 if label == "mixed" else 0 if label == "neutral" else -1
            # A named person's own words beat a reporter's summary of nearly the same relevance.
            direct = int(item.sentence.kind in ("quote", "tweet", "comment") and bool(item.sentence.speaker)
                         and (item.score >= 0.85 * top or item.sentence.hit.source == anchor.hit.source))
            ranked.append((fit if who.polarity else 0, direct, item.score, item, label))
        ranked.sort(key=lambda r: (-r[0], -r[1], -r[2]))
        ranked = [(fit, score, item, label) for fit, _, score, item, label in ranked]
        if not ranked or who.polarity and ranked[0][0] < 0:
            return []
        picks = [(ranked[0][2], ranked[0][3])]
        first = ranked[0][2].sentence
        for fit, _, item, label in ranked[1:]:
            # The line is headed by the first quote's stance: a second quote must share it, so
            # an "opposes" line never carries a "mixed" quote as further proof.
            if item.sentence.hit.source != first.hit.source and (
                    not who.polarity or fit > 0 and fit >= ranked[0][0]):
                picks.append((item, label))
                break
        return picks


def _following(s: Sentence, scored: list[Scored]) -> Sentence | None:
    """The next sentence of the same passage, if it is among the candidates."""
    after = [x.sentence for x in scored if x.sentence.hit.source == s.hit.source and x.sentence.start >= s.end
             and x.sentence.end <= s.hit.end]
    return min(after, key=lambda x: x.start) if after else None


def _redundant(a: Scored, b: Scored) -> bool:
    """The same sentence twice, or two sentences sharing most of their content words."""
    if a.sentence.hit.source == b.sentence.hit.source and a.sentence.start < b.sentence.end \
            and b.sentence.start < a.sentence.end:
        return True
    ta, tb = set(terms(a.sentence.text)), set(terms(b.sentence.text))
    return bool(ta and tb) and len(ta & tb) / min(len(ta), len(tb)) > 0.8


def md(text: str) -> str:
    """``text`` (from a source or the question) for use inside the answer's markdown.

    Markdown punctuation is backslash-escaped, so any CommonMark renderer shows exactly
    ``text``: a quote can never become a link, an image, emphasis, HTML or a list item.
    """
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_BLOCK_START.sub(r"\\\1", _MD_ORDERED_START.sub(r"\1\\\2", text))


def unmd(text: str) -> str:
    """The inverse of :func:`md`: the characters a CommonMark renderer shows for ``text``'s
    backslash escapes."""
    return _MD_UNESCAPE.sub(r"\1", text)


def _voice(s: Sentence) -> str:
    """ "Andy Burnham (Labour Party): " for direct speech, tweets and comments; "" otherwise."""
    if s.kind not in ("quote", "tweet", "comment") or not (s.speaker or s.organisation):
        return ""
    if s.speaker and s.organisation:
        return f"{s.speaker} ({s.organisation}): "
    return f"{s.speaker or s.organisation}: "


def quote_span(s: Sentence, limit: int = QUOTE_CHARS) -> tuple[int, int]:
    """The span to quote: the sentence without an unmatched quotation mark at either end (the
    answer adds its own marks), and for a long sentence its opening up to a clause boundary."""
    text, lo, hi = s.text, 0, len(s.text)
    frame = re.search(r":\s*[“\"‘]", text[:160])
    if frame and s.kind == "quote":
        lo = frame.end() - 1  # 'Chair Dr X said: “…': quote the words, the citation names the speaker
    if text[lo : lo + 1] in "“‘\"" and not any(c in text[lo + 1 :] for c in "”’\"" if c != "’" or text[lo] == "‘"):
        lo += 1
    if text[-1:] in "”\"" and not any(c in text[lo:-1] for c in "“\""):
        hi -= 1
    if text[-2:] in ("”.", "\".") and not any(c in text[lo:-2] for c in "“\""):
        hi -= 2
    if hi - lo > limit:
        head = text[lo : lo + limit]
        cut = max(head.rfind(", "), head.rfind("; "), head.rfind(" – "), head.rfind(" - "))
        if cut < limit // 2:
            cut = head.rfind(" ")
        hi = lo + max(cut, 1)
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    while lo < hi and text[lo].isspace():
        lo += 1
    return s.start + lo, s.start + hi


class _CitationBook:
    """Numbers citations in order of first use; one number per quoted span."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._numbers: dict[tuple, int] = {}

    def cite(self, s: Sentence, stance_label: str | None = None) -> int:
        start, end = quote_span(s)
        key = (s.hit.source, start, end)
        if key in self._numbers:
            return self._numbers[key]
        hit = s.hit
        n = len(self.citations) + 1
        self.citations.append(Citation(
            n=n, source=hit.source, title=hit.title, outlet=hit.outlet, published=hit.published,
            start=start, end=end, quote=hit.text[start - hit.start : end - hit.start],
            context_start=hit.start, context_end=hit.end, context=hit.text,
            speaker=s.speaker, organisation=s.organisation, role=s.role, stance=stance_label,
            kind=s.kind, entry_time=hit.metadata.get("entry_time"),
        ))
        self._numbers[key] = n
        return n

    def quote(self, n: int) -> str:
        """The quote as shown in the answer text: exactly the cited source text."""
        return self.citations[n - 1].quote
