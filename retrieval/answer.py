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

from retrieval.abstain import missing_name, named_things, type_fits, wants_type
from retrieval.cache import CachedEncoder
from retrieval.evidence import Scored, Sentence, candidates, idf_table, score_sentences, terms
from retrieval.followup import rewrite
from retrieval.hit import Hit
from retrieval.question import clean_question
from retrieval.focus import TOP_SENTENCES, addresses, focus_terms, strip_names, topic_terms
from retrieval.reaction import parse_speaker_question, prefer_own_words, unanswered
from retrieval.related import by_document, snippet
from retrieval.related import pick as pick_related
from retrieval.stance import stance
from retrieval.sides import choose_actors
from retrieval.who import WhoQuestion, group_key, parse_who

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
    ``min_score``: abstain when the best sentence scores lower (calibrated on the eval sets).
    ``dense``: also score sentences with the search encoder (vectors cached per sentence).
    ``sentence_ratio``: an answer's further sentences must score at least this share of the best.
    ``who_floor``: a who-answer's actors need evidence scoring at least this share of the best.
    ``who_neighbours``: a who-question also reads the passages this many places on either side
    of its hits in their documents (:meth:`retrieval.searcher.Searcher.neighbours`; 0: none).
    """

    top_k: int = 6
    who_top_k: int = 16
    max_sentences: int = 3
    max_actors: int = 5
    min_score: float = 0.365
    dense: bool = True
    sentence_ratio: float = 0.6
    who_floor: float = 0.65
    who_neighbours: int = 1

    def __post_init__(self) -> None:
        if self.who_neighbours < 0:
            raise ValueError("who_neighbours must be at least 0")
        if min(self.top_k, self.who_top_k, self.max_sentences, self.max_actors) < 1:
            raise ValueError("top_k, who_top_k, max_sentences and max_actors must be at least 1")
        if not (0.0 <= self.sentence_ratio <= 1.0 and 0.0 <= self.who_floor <= 1.0):
            raise ValueError("sentence_ratio and who_floor must be between 0 and 1")

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
            return self._abstain(q, hits, best, scored)
        everything = scored
        if wants_type(q):
            # The number must be of the thing asked about, in a passage about what the question names.
            names = named_things(q)
            scored = [s for s in scored if type_fits(q, s.sentence.text) and _about_names(names, _context(s))]
            best = scored[0].score if scored else 0.0
        if not scored or best < self.settings.min_score:
            return self._abstain(q, hits, best, everything)
        if who is not None:
            answer = self._who(q, who, self._with_neighbours(q, hits, who, scored), hits)
            if answer is not None:
                return answer
            return self._sentences(q, scored)
        speaker = parse_speaker_question(q)
        if speaker is not None:
            if unanswered(everything, speaker, self._idf_for(hits), self._similarity) is not None:
                return self._abstain(q, hits, best, everything)
            scored = prefer_own_words(scored, speaker)  # X's quoted words over narration
        elif not self._addresses_focus(q, scored, hits):
            return self._abstain(q, hits, best, everything)
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

    def _with_neighbours(self, question: str, hits: list[Hit], who: WhoQuestion, scored: list[Scored]) -> list[Scored]:
        """A who-question's evidence with the passages beside its hits scored in too: actors are
        quoted in the paragraph after the one that names the topic."""
        neighbours = getattr(self.searcher, "neighbours", None)
        if not self.settings.who_neighbours or neighbours is None:
            return scored
        extra = neighbours(hits, self.settings.who_neighbours)
        if not extra:
            return scored
        # The hits' sentences keep their scores (more candidates would reweigh the words they
        # share); the neighbours' sentences are scored among all of them and join the list.
        spans: dict[str, list[tuple[int, int]]] = {}
        for item in scored:
            spans.setdefault(item.sentence.hit.source, []).append((item.sentence.start, item.sentence.end))
        added = [item for item in self.score(question, hits + extra, who)
                 if not any(a < item.sentence.end and item.sentence.start < b
                            for a, b in spans.get(item.sentence.hit.source, ()))]
        return sorted(scored + added, key=lambda x: (-x.score, x.sentence.hit.rank, x.sentence.start))

    def _more_own_words(self, question: str, who: WhoQuestion, scored: list[Scored], hits: list[Hit],
                        chosen: list) -> list:
        """With a slot left, an actor found but not listed (their words read beside the topic
        take no side) is read further: their other sentences in the same section, up to
        ``SECTION_REACH`` passages past the neighbours already read. A speaker states the topic
        in one paragraph and their side a few paragraphs on. Only such actors gain sentences,
        and only new lines are added to those already chosen."""
        neighbours = getattr(self.searcher, "neighbours", None)
        if not self.settings.who_neighbours or neighbours is None:
            return chosen
        listed = {line.actor.key for line in chosen}
        # (source, section) -> the unlisted actors speaking there: group keys and surnames
        # ("Roe said" further on is Jane Roe's).
        sections: dict[tuple, set[str]] = {}
        for item in scored:
            key = group_key(item.sentence)
            if key is not None and key not in listed:
                where = sections.setdefault(_section(item.sentence), set())
                where.add(key)
                if item.sentence.speaker:
                    where.add(_surname(item.sentence.speaker))
        if not sections:
            return chosen
        read = {h.passage_id for h in hits} | {h.passage_id for h in neighbours(hits, self.settings.who_neighbours)}
        wider = [h for h in neighbours(hits, self.settings.who_neighbours + SECTION_REACH) if h.passage_id not in read]
        if not wider:
            return chosen
        ids = {h.passage_id for h in wider}
        added = [item for item in self.score(question, hits + wider, who) if item.sentence.hit.passage_id in ids
                 and item.sentence.actor and (group_key(item.sentence) in sections.get(_section(item.sentence), ())
                                              or _surname(item.sentence.speaker or "") in sections.get(
                                                  _section(item.sentence), ()))]
        if not added:
            return chosen
        more = choose_actors(who, sorted(scored + added, key=lambda x: (-x.score, x.sentence.hit.rank, x.sentence.start)),
                             self.settings.min_score, self.settings.max_actors, _stance_label, self.settings.who_floor)
        new = [line for line in more if line.actor.key not in listed]
        return (chosen + new)[:self.settings.max_actors]

    def _idf_for(self, hits: list[Hit]) -> dict[str, float]:
        return self._idf or idf_table([h.text for h in hits])

    def _similarity(self, text: str, sentences: list[Sentence]) -> list[float]:
        """Cosine of each sentence to ``text`` (sentence vectors cached); [] without an encoder."""
        if self.encoder is None or not sentences:
            return []
        return [float(x) for x in self._dense(text, sentences)]

    def _addresses_focus(self, question: str, scored: list[Scored], hits: list[Hit]) -> bool:
        """Some top sentence holds a word of the question's focus (its content words, not its
        names nor the topic most candidates share) or comes close to it (retrieval/focus.py)."""
        top = scored[:TOP_SENTENCES]
        names = named_things(question)
        exclude = {t for name in names for w in name for t in terms(w)} | topic_terms(scored)
        focus = focus_terms(question, exclude)
        sentences = [item.sentence for item in top]
        cosine = (lambda: max(self._similarity(strip_names(question, names), sentences), default=0.0)) \
            if self.encoder is not None else None
        return addresses(focus, [s.text for s in sentences], self._idf_for(hits), cosine)

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

    def _abstain(self, question: str, hits: list[Hit], confidence: float,
                 scored: list[Scored] | None = None) -> Answer:
        """No answer; up to three distinct passages, each with a snippet (retrieval/related.py)."""
        related = pick_related(hits)
        lines = [NO_ANSWER]
        if related:
            lines.append("")
            lines.append("These passages may be related:")
            for group in by_document(related):
                h = group[0]
                where = ", ".join(x for x in (h.outlet, h.published) if x)
                lines.append(f"- {md(h.title or h.source)}" + (f" ({md(where)})" if where else ""))
                lines += [f"  - {md(snippet(x, scored))}" for x in group]
        return Answer(question, "\n".join(lines), [], True, related, "abstained", confidence)

    def _sentences(self, question: str, scored: list[Scored]) -> Answer:
        """The best one to three sentences, each quoted and cited."""
        best = scored[0].score
        chosen: list[Scored] = []
        for item in scored:
            if len(chosen) >= self.settings.max_sentences or item.score < self.settings.sentence_ratio * best:
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

    def _who(self, question: str, who: WhoQuestion, scored: list[Scored], hits: list[Hit] = ()) -> Answer | None:
        """Actors with a one-line quote each, their stance, and citations; None if no actor fits
        (retrieval/sides.py chooses them)."""
        chosen = choose_actors(who, scored, self.settings.min_score, self.settings.max_actors, _stance_label,
                               self.settings.who_floor)
        if who.polarity and hits and len(chosen) < self.settings.max_actors:
            chosen = self._more_own_words(question, who, scored, hits, chosen)
        if not chosen:
            return None
        book = _CitationBook()
        lines = []
        for line in chosen:
            parts = []
            for k, (item, label) in enumerate(line.picks):
                n = book.cite(item.sentence, label)
                parts.append(("" if k == 0 else "also ") + f"“{md(book.quote(n))}” [{n}]")
            lines.append(f"- **{md(line.actor.label())}** — {line.stance}: " + "; ".join(parts))
        verb = who.verb
        head = f"The sources name {len(chosen)} {'actor' if len(chosen) == 1 else 'actors'} who {md(verb)} " \
               f"{md(who.proposition or 'this')}:" if who.polarity else f"What the sources quote on {md(who.proposition)}:"
        return Answer(question, head + "\n\n" + "\n".join(lines), book.citations, False, [], "who", scored[0].score)


SECTION_REACH = 2  # passages past the neighbours an unlisted actor's section is read for their side


def _section(sentence: Sentence) -> tuple:
    return sentence.hit.source, sentence.hit.metadata.get("section_start")


def _surname(name: str) -> str:
    words = name.split()
    return "S:" + words[-1].lower() if words else ""


def _stance_label(text: str, proposition: str | None) -> str:
    return stance(text, proposition).label


def _about_names(names: list[list[str]], text: str) -> bool:
    """``text`` mentions most of the question's names (all of one or two, two of three …): a
    count in a passage about something else does not answer. Not all: a passage often names
    one of them another way ("the state", "U.S.")."""
    if not names:
        return True
    found = sum(missing_name(" ".join(["_", *name]), text) is None for name in names)
    return found >= (len(names) + 1) // 2


def _context(s: Scored) -> str:
    """The text a sentence stands in: its passage and the document's title and outlet."""
    hit = s.sentence.hit
    return f"{hit.title or ''} {hit.outlet or ''} {hit.text}"


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
