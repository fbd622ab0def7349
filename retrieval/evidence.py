"""Sentence-level evidence inside retrieved passages, and how well it answers a question.

Each retrieved passage carries its sentences and their speakers (passage metadata written at
index time by :mod:`index.attribution`). A sentence is scored against the question by

- ``lexical``: the IDF-weighted share of the question's content words (stemmed) that the
  sentence contains, in [0, 1];
- ``dense``: cosine similarity of the sentence and question vectors (the search encoder),
  when vectors are available;
- ``prior``: the passage's rank in the search results (1 / rank), so the retriever's fused
  judgement of the surrounding text counts too.

``score = 0.30 * lexical + 0.60 * dense + 0.10 * prior`` (lexical counts alone when there are
no vectors). A question word's weight is its corpus IDF times its rarity among the retrieved
sentences: words most candidates share say little about which sentence answers. Everything here is plain data and pure functions; the caches live in the caller.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from index.attribution import split_sentences
from retrieval.hit import Hit

W_LEXICAL, W_DENSE, W_PRIOR = 0.30, 0.60, 0.10
_WORD = re.compile(r"[A-Za-z0-9£$€%][A-Za-z0-9’'\-]*")
_EXTRA_STOP = {"who", "what", "which", "when", "where", "why", "how", "did", "does", "do", "say", "said",
               "says", "would", "could", "should", "will", "can", "according", "anyone", "much", "many"}


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN) | _EXTRA_STOP


def terms(text: str) -> list[str]:
    """Lower-cased, stop-word-free, Snowball-stemmed content words of ``text``."""
    words = [w.lower().replace("’", "'").rstrip("'").removesuffix("'s") for w in _WORD.findall(text)]
    words = [w.replace("-", "") for w in words if w and w not in _stopwords()]
    return _stemmer().stemWords(words)


@dataclass(frozen=True)
class Sentence:
    """One candidate sentence: ``text == document[start:end]`` and lies inside ``hit``."""

    hit: Hit
    start: int
    end: int
    text: str
    speaker: str | None = None
    organisation: str | None = None
    role: str | None = None
    kind: str | None = None

    @property
    def actor(self) -> bool:
        return bool(self.speaker or self.organisation)


@dataclass(frozen=True)
class Scored:
    sentence: Sentence
    score: float
    lexical: float
    dense: float
    matched: frozenset[str] = field(default_factory=frozenset)


def is_heading(text: str, line: str | None = None) -> bool:
    """A title or heading rather than a sentence: a whole line with no closing punctuation
    that is not a list item ("• …")."""
    line = text if line is None else line
    if line.lstrip()[:1] in "•·*-–" or line.strip() != text.strip():
        return False
    return len(text.split()) <= 25 and not text.rstrip().endswith((".", "!", "?", ":", "”", "’", '"', "'", "…", ")"))


def is_title(hit: Hit, text: str, line: str) -> bool:
    """The document's title line repeated in its text (news articles open with their headline,
    full stop and all): metadata shown with every citation, not a sentence to cite."""
    title = " ".join((hit.title or "").split())
    return bool(title) and " ".join(line.split()) == title and " ".join(text.split()) in title


def _line(hit: Hit, start: int, end: int) -> str:
    text = hit.text
    lo = text.rfind("\n", 0, start - hit.start) + 1
    hi = text.find("\n", end - hit.start)
    return text[lo : len(text) if hi < 0 else hi]


def sentences_of(hit: Hit) -> list[Sentence]:
    """The sentences of a hit with their speakers (headings left out); split afresh if the
    index has no rows."""
    rows = hit.metadata.get("attributions")
    out = []
    if rows:
        for row in rows:
            start, end = int(row[0]), int(row[1])
            if not hit.start <= start < end <= hit.end:
                continue
            text = hit.text[start - hit.start : end - hit.start]
            line = _line(hit, start, end)
            if not any(c.isalnum() for c in text) or is_heading(text, line) or is_title(hit, text, line):
                continue
            out.append(Sentence(hit, start, end, text, *(list(row[2:6]) + [None] * 4)[:4]))
        return out
    for start, end in split_sentences(hit.text):
        line = _line(hit, hit.start + start, hit.start + end)
        if not is_heading(hit.text[start:end], line) and not is_title(hit, hit.text[start:end], line):
            out.append(Sentence(hit, hit.start + start, hit.start + end, hit.text[start:end]))
    return out


def candidates(hits: list[Hit]) -> list[Sentence]:
    """Sentences of all hits, each once: overlapping passages repeat sentences (sometimes cut
    at a passage edge), so of two overlapping spans of one source the longer is kept."""
    best: dict[str, list[Sentence]] = {}
    for hit in hits:
        for sent in sentences_of(hit):
            kept = best.setdefault(sent.hit.source, [])
            clash = next((k for k in kept if k.start < sent.end and sent.start < k.end), None)
            if clash is None:
                kept.append(sent)
            elif sent.end - sent.start > clash.end - clash.start:
                kept[kept.index(clash)] = sent
    return [s for group in best.values() for s in group]


def idf_table(texts: list[str]) -> dict[str, float]:
    """Smoothed inverse document frequency of every term in ``texts`` (one text = one document)."""
    df: dict[str, int] = {}
    for text in texts:
        for term in set(terms(text)):
            df[term] = df.get(term, 0) + 1
    n = len(texts)
    return {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}


def lexical_match(question_terms: list[str], sentence_terms: set[str], idf: dict[str, float],
                  default_idf: float) -> tuple[float, frozenset[str]]:
    """IDF-weighted share of the question's terms found in the sentence, and which ones."""
    qset = set(question_terms)
    if not qset:
        return 0.0, frozenset()
    weights = {t: idf.get(t, default_idf) for t in qset}
    hit = {t for t in qset if t in sentence_terms}
    return sum(weights[t] for t in hit) / sum(weights.values()), frozenset(hit)


def score_sentences(
    sentences: list[Sentence],
    question_terms: list[str],
    sentence_terms: list[set[str]],
    idf: dict[str, float],
    dense: np.ndarray | None = None,
) -> list[Scored]:
    """Scored sentences, best first. ``dense`` is each sentence's cosine to the question."""
    default_idf = max(idf.values()) if idf else 1.0
    # Among the retrieved sentences, a question word most of them share (the topic the search
    # already matched) tells less than one few of them have (what the question asks about).
    n = max(len(sentences), 1)
    local = {t: math.log(1 + n / (1 + sum(t in st for st in sentence_terms))) for t in set(question_terms)}
    weights = {t: idf.get(t, default_idf) * local[t] for t in local}
    out = []
    for i, sent in enumerate(sentences):
        lex, matched = lexical_match(question_terms, sentence_terms[i], weights, default_idf)
        cos = float(dense[i]) if dense is not None else 0.0
        prior = 1.0 / max(sent.hit.rank, 1)
        if dense is not None:
            score = W_LEXICAL * lex + W_DENSE * max(cos, 0.0) + W_PRIOR * prior
        else:
            score = (W_LEXICAL + W_DENSE) * lex + W_PRIOR * prior
        out.append(Scored(sent, score, lex, cos, matched))
    out.sort(key=lambda s: (-s.score, s.sentence.hit.rank, s.sentence.start))
    return out


def neighbourhood(scored: list[Scored], near: int = 2, reach: int = 600) -> dict[tuple[str, int], float]:
    """``{(source, start): best score}`` over each sentence and the ``near`` candidate sentences
    on either side of it in its document, no further than ``reach`` characters away.

    A quote seldom repeats its topic's words ("It simply will not work"); the sentence that
    introduces it does. So a quote may stand on the relevance of its neighbourhood."""
    by_source: dict[str, list[Scored]] = {}
    for item in scored:
        by_source.setdefault(item.sentence.hit.source, []).append(item)
    out = {}
    for items in by_source.values():
        items.sort(key=lambda x: x.sentence.start)
        for i, item in enumerate(items):
            s = item.sentence
            window = [x.score for x in items[max(0, i - near) : i + near + 1]
                      if abs(x.sentence.start - s.start) <= reach]
            out[(s.hit.source, s.start)] = max(window)
    return out
