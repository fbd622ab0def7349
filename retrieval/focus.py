"""Does any retrieved sentence address what the question asks about, beyond its names?

"What is the price of a pint of beer in Blackpool?" retrieves passages about Blackpool, and
their sentences score well on "Blackpool". But the question's *focus* is "price of a pint of
beer": the content words that are not its names and not the topic every retrieved sentence
shares. When no candidate sentence holds any focus word, and none is close to the focus in
meaning either (cosine of the focus phrase and the sentence, the search encoder), the sources
talk about the topic without answering, and the answer abstains.

For a question about one speaker ("What did X say about Y?", :mod:`retrieval.reaction`) the
focus is Y, and the sentences judged are X's own words with the passages they stand in: X
quoted on something else does not answer.

Thresholds were chosen on both eval corpora's unanswerable and answerable questions
(eval/README.md, "Focus"); plain data and pure functions, the encoder passed in.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from retrieval.evidence import Scored, terms

# Question scaffolding: words any question may hold that say nothing about what it asks.
_GENERIC = frozenset(terms(
    "about above after again against all also am any around because been before being below between both "
    "could did do does doing during each every few from further had has have having he her here hers herself "
    "him himself his how i its itself just me more most my myself nor now off once only other our ours out over "
    "own same she should so some than those through too under until up very we were what when where which while "
    "who whom why would you your yours say said says tell told ask asked react reacted respond responded reply "
    "think thought according anyone someone something anything people person thing things way ways make made "
    "get got go went want wanted one ones like also really actually happen happened"))
FOCUS_MIN_COVER = 0.0  # a sentence addresses the focus when it holds more than this share of it
FOCUS_MIN_DENSE = 0.30  # ... or its cosine to the focus phrase reaches this
TOP_SENTENCES = 10


def focus_terms(question: str, exclude: Iterable[str] = ()) -> list[str]:
    """Content-word stems of ``question`` without scaffolding and without ``exclude`` (the stems
    of its names, or of the speaker asked about), in order, each once."""
    skip = set(exclude) | _GENERIC
    return [t for t in dict.fromkeys(terms(question)) if t not in skip and not t.isdigit()]


def coverage(focus: list[str], text_terms: set[str], idf: dict[str, float], default_idf: float = 5.0) -> float:
    """IDF-weighted share of ``focus`` found in ``text_terms``, in [0, 1] (1 with no focus)."""
    if not focus:
        return 1.0
    weights = {t: idf.get(t, default_idf) for t in focus}
    return sum(w for t, w in weights.items() if t in text_terms) / sum(weights.values())


def addresses(focus: list[str], texts: list[str], idf: dict[str, float], best_cosine: Callable[[], float] | None,
              min_cover: float | None = None, min_dense: float | None = None) -> bool:
    """Some text of ``texts`` holds more than ``min_cover`` of the focus, or the sentences come
    close to it in meaning: ``best_cosine()`` (called only when the words fail; None when there
    is no encoder) is their best cosine to the focus phrase."""
    min_cover = FOCUS_MIN_COVER if min_cover is None else min_cover
    min_dense = FOCUS_MIN_DENSE if min_dense is None else min_dense
    if not focus:
        return True
    if any(coverage(focus, set(terms(t)), idf) > min_cover for t in texts):
        return True
    return best_cosine is not None and best_cosine() >= min_dense


def topic_terms(scored: list[Scored], share: float = 0.5) -> set[str]:
    """Stems that at least ``share`` of the candidate sentences hold: what the search matched,
    not what the question singles out."""
    if not scored:
        return set()
    counts: dict[str, int] = {}
    for item in scored:
        for t in set(terms(item.sentence.text)):
            counts[t] = counts.get(t, 0) + 1
    return {t for t, n in counts.items() if n >= share * len(scored)}


def strip_names(question: str, names: Iterable[Iterable[str]]) -> str:
    """The question with its names cut out: the focus phrase to embed."""
    text = question
    for name in names:
        for word in name:
            text = re.sub(rf"\b{re.escape(word)}(?:[’']s)?\b", " ", text)
    return " ".join(text.split())
