"""The attribution metric on PolNeAR: pure functions over gold attributions and claims.

No file, no model, no clock: :mod:`eval.polnear` loads the split and runs the engines, this
module only compares. Every rule below is the issue's, with the choices it leaves open made
explicit (eval/README.md, section "Attribution on PolNeAR", says why each was made).

- **Counted quotes** (:attr:`Gold.counted`): the content holds a quotation mark and the
  source mention carries a name.

  - *Quotation mark*, reading ``"double"`` (the default, the one the issue's 424 quotes and
    PolNeAR's own ``is_direct`` flag use): ``"`` ``“`` ``”`` ``«`` ``»`` ``„``. Reading
    ``"all"`` adds NYT's doubled apostrophe ``''`` and single marks ``‘ ’ '`` *used as
    quotation marks*, decided on the whole document (:func:`quote_mark_positions`): a mark
    between two letters or digits is an apostrophe (don't, Clinton’s, O'Neill), one before
    two digits is an elision (’90s); a ``‘`` (or a ``'`` that opens a word) is a mark when a
    closing ``’``/``'`` (one that ends a word) follows in the same paragraph, and so is that
    closing one; an unpaired ``’`` after a word is a possessive (voters’ rights).
  - *Name*: a word that starts with a capital letter and is not a pronoun, a determiner or a
    title (:data:`PRONOUNS`, :data:`DETERMINERS`, :data:`TITLES`; "I", "The", "Mr." and
    "President" are not names; "Trump", "The Post", "IMF" are). A sentence-initial common noun
    ("Police said") passes, as the rule says. A null mention has no name.

- **Match** (:func:`matches`): a claim matches a gold attribution when their overlap is at
  least half of the shorter of the two. A gold content of several spans is taken as one
  extent, from its first span's start to its last span's end.
- **Correct** (:func:`correct`): the claim's speaker and organisation share a word of three
  or more letters with the gold source mention. Words are runs of letters, lower-cased
  ("Clinton’s" gives "clinton", "Geun-hye" gives "geun" and "hye"); pronouns, determiners,
  titles and function words (:data:`FUNCTION_WORDS`) are ignored. A speaker of more than
  :data:`LIST_WORDS` words is a list, not an actor, and is never correct.
- **recall** = counted quotes with a correct matching claim / counted quotes; **coverage** =
  counted quotes with any matching claim / counted quotes; **precision** = claims that are
  correct for some gold attribution they match whose source is named / claims that match at
  least one gold attribution whose source is named. "Gold attribution" there is any of the
  split's attributions, direct or indirect (the issue says "a gold attribution", not "a
  counted quote"); :attr:`Score.precision_counted` restricts it to the counted quotes.
- **Exact spans** (:func:`exact_spans`), over every gold attribution of the split, direct or
  indirect: per document, the set of gold spans of a role (a content of three pieces gives
  three spans; a mention shared by two attributions counts once) against the set of
  predicted spans (a claim's ``(start, end)`` for content, its ``mention`` for source; a claim
  without ``mention`` predicts no source). A predicted span is right when it equals a gold
  span of that role exactly, after trimming white space at both ends of both. P = right
  predicted / predicted, R = gold spans found / gold spans.
- **Errors by kind** (:func:`outcome_of`), one per counted quote not recalled: ``no claim``
  (no matching claim); ``wrong person`` (some matching claim has a speaker with a name, none
  is correct); ``pronoun left unresolved`` (every matching claim's speaker is empty, a
  pronoun or a nameless phrase such as "the senator"). ``wrong organisation`` comes from the
  organisation labels (:func:`score_organisations`).
- **Organisations** (:func:`score_organisations`): for each label, the claim matching the
  label's content with the largest overlap; right when its organisation matches the label's
  by :func:`eval.attribution.organisation_match` with "party" and "campaign" as trailing
  words to drop and possessives removed (null matches only null). A label no claim matches
  is wrong; :attr:`OrgScore.accuracy_matched` leaves those out.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterable, Sequence

Span = tuple[int, int]

LIST_WORDS = 10  # a speaker string of more words is a list of people, not an actor
READINGS = ("double", "all")

PRONOUNS = frozenset(
    "i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his "
    "himself she her hers herself it its itself they them their theirs themselves who whom whose "
    "which what whoever someone somebody anyone anybody everyone everybody nobody noone".split()
)
DETERMINERS = frozenset(
    "the a an this that these those some any each every another other either neither both all "
    "many several such no few most more much one".split()
)
TITLES = frozenset(
    "mr mrs ms miss mx dr prof professor sir dame lord lady madam rev reverend fr father hon "
    "sen senator rep representative gov governor president pres vice mayor judge justice "
    "secretary chairman chairwoman chair gen general col colonel lt capt captain sgt adm admiral "
    "cmdr commissioner chancellor minister premier ambassador "
    "speaker del delegate atty attorney st jr sr".split()
)
FUNCTION_WORDS = frozenset(
    "and or but nor so yet if then than as of in on at to for from by with without about into "
    "onto over under after before between among against through during since until upon via "
    "per off out up down not is was are were be been being am has have had do does did will "
    "would shall should can could may might must also just only very too there here when where "
    "why how said says".split()
)
IGNORED = PRONOUNS | DETERMINERS | TITLES | FUNCTION_WORDS

DOUBLE_MARKS = frozenset('"“”«»„‟')
_OPEN_SINGLE = "‘'‛"
_CLOSE_SINGLE = "’'"
_WORD = re.compile(r"[^\W\d_][\w’'.\-]*")
_LETTERS = re.compile(r"[^\W\d_]+")


# --- data -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Claim:
    """A span of a document the engine attributes to one speaker.

    ``start``/``end``: document offsets of the attributed content (a sentence, a quotation);
    ``mention``/``cue``: offsets of the source mention and of the cue, when the engine knows
    them (only they can score on exact source spans).
    """

    start: int
    end: int
    speaker: str | None
    organisation: str | None = None
    role: str | None = None
    kind: str | None = None
    mention: Span | None = None
    cue: Span | None = None


Engine = Callable[[list[str]], list[list[Claim]]]  # texts -> claims per text, in order


@dataclass(frozen=True)
class Gold:
    """One gold attribution of a PolNeAR article (``index`` into its ``quotes`` list)."""

    doc_id: str
    index: int
    content: tuple[Span, ...]
    source: tuple[Span, ...]
    cue: tuple[Span, ...]
    source_text: str | None
    direct: bool  # the content holds a quotation mark, under the reading it was loaded with

    @property
    def named(self) -> bool:
        return is_named(self.source_text)

    @property
    def counted(self) -> bool:
        return self.direct and self.named

    @property
    def extent(self) -> Span | None:
        if not self.content:
            return None
        return min(s for s, _ in self.content), max(e for _, e in self.content)


@dataclass(frozen=True)
class Document:
    doc_id: str
    text: str
    gold: tuple[Gold, ...]


# --- words ------------------------------------------------------------------------------------

def _key(word: str) -> str:
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return w.strip(".'-")


def is_named(mention: str | None) -> bool:
    """True when ``mention`` holds a capitalised word that is no pronoun, determiner or title."""
    if not mention:
        return False
    for word in _WORD.findall(mention):
        if word[0].isupper() and _key(word) not in PRONOUNS | DETERMINERS | TITLES:
            return True
    return False


def content_words(text: str | None) -> frozenset[str]:
    """Lower-cased letter runs of three or more letters, minus the ignored words."""
    return frozenset(w for w in (m.lower() for m in _LETTERS.findall(text or ""))
                     if len(w) >= 3 and w not in IGNORED)


def is_list(speaker: str | None) -> bool:
    return bool(speaker) and len(speaker.split()) > LIST_WORDS


def correct(speaker: str | None, organisation: str | None, source_text: str | None) -> bool:
    """The issue's "correct": speaker plus organisation share a word with the gold mention."""
    if is_list(speaker):
        return False
    return bool(content_words(f"{speaker or ''} {organisation or ''}") & content_words(source_text))


def nameless_speaker(speaker: str | None) -> bool:
    """Empty, a pronoun, or a phrase with no name in it ("he", "the senator")."""
    return not is_named(speaker)


# --- quotation marks --------------------------------------------------------------------------

def quote_mark_positions(text: str, reading: str = "double") -> frozenset[int]:
    """Offsets of the characters of ``text`` used as quotation marks (see the module doc)."""
    if reading not in READINGS:
        raise ValueError(f"unknown quotation-mark reading {reading!r} (one of {', '.join(READINGS)})")
    marks = {i for i, ch in enumerate(text) if ch in DOUBLE_MARKS}
    if reading == "double":
        return frozenset(marks)
    n = len(text)
    single: list[int] = []
    for i, ch in enumerate(text):
        if ch == "'" and (i + 1 < n and text[i + 1] == "'" or i > 0 and text[i - 1] == "'"):
            marks.add(i)  # NYT's '' is a double quotation mark
        elif ch in "‘’'‛":
            single.append(i)
    opening: int | None = None  # a pending opening single mark
    for i in single:
        ch = text[i]
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < n else " "
        if opening is not None and "\n" in text[opening:i]:
            opening = None  # a single quotation does not run over a line break
        if before.isalnum() and after.isalnum():
            continue  # apostrophe inside a word
        if not before.isalnum() and text[i + 1:i + 3].isdigit():
            continue  # elision: ’90s, '16
        opens = ch in _OPEN_SINGLE and not before.isalnum() and not after.isspace()
        closes = ch in _CLOSE_SINGLE and not before.isspace() and not after.isalnum()
        if closes and opening is not None:
            marks.update((opening, i))
            opening = None
        elif opens:
            if ch != "'":
                marks.add(i)  # a left single mark opening a word is a quotation mark
            opening = i
    return frozenset(marks)


def holds_mark(spans: Iterable[Span], marks: frozenset[int]) -> bool:
    return any(any(p in marks for p in range(s, e)) for s, e in spans)


# --- matching ---------------------------------------------------------------------------------

def overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def matches(claim: Span, gold: Span | None) -> bool:
    """Overlap at least half of the shorter of the two (and not empty)."""
    if gold is None:
        return False
    o = overlap(claim, gold)
    return o > 0 and o >= 0.5 * min(claim[1] - claim[0], gold[1] - gold[0])


def matching_claims(claims: Sequence[Claim], gold: Gold) -> list[Claim]:
    """The claims matching ``gold``, largest overlap first (document order among equals)."""
    ext = gold.extent
    found = [c for c in claims if matches((c.start, c.end), ext)]
    return sorted(found, key=lambda c: -overlap((c.start, c.end), ext))


# --- results ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rate:
    hits: int
    total: int

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 0.0

    def to_json(self) -> dict:
        return {"value": round(self.value, 4), "hits": self.hits, "total": self.total}


@dataclass(frozen=True)
class SpanPRF:
    right: int      # predicted spans equal to a gold span
    predicted: int
    found: int      # gold spans equal to a predicted span
    gold: int

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), **asdict(self)}


ERROR_KINDS = ("no claim", "wrong person", "pronoun left unresolved", "wrong organisation")


@dataclass(frozen=True)
class Outcome:
    """What became of one counted quote: "correct" or one of the first three error kinds."""

    doc_id: str
    index: int
    kind: str
    source_text: str | None
    speaker: str | None = None       # of the best matching claim (largest overlap), if any
    organisation: str | None = None
    claim: Span | None = None


@dataclass(frozen=True)
class Score:
    recall: Rate
    coverage: Rate
    precision: Rate
    precision_counted: Rate
    source: SpanPRF
    content: SpanPRF
    claims: int
    outcomes: tuple[Outcome, ...]
    reading: str = "double"

    @property
    def counted(self) -> int:
        return self.recall.total

    def errors(self) -> dict[str, int]:
        out = {k: 0 for k in ERROR_KINDS[:3]}
        for o in self.outcomes:
            if o.kind in out:
                out[o.kind] += 1
        return out

    def to_json(self) -> dict:
        return {"reading": self.reading, "counted": self.counted, "claims": self.claims,
                "recall": self.recall.to_json(), "coverage": self.coverage.to_json(),
                "precision": self.precision.to_json(),
                "precision_counted_only": self.precision_counted.to_json(),
                "source_exact": self.source.to_json(), "content_exact": self.content.to_json(),
                "errors": self.errors(),
                "outcomes": [asdict(o) for o in self.outcomes]}


# --- scoring ----------------------------------------------------------------------------------

def outcome_of(gold: Gold, claims: Sequence[Claim]) -> Outcome:
    found = matching_claims(claims, gold)
    if not found:
        return Outcome(gold.doc_id, gold.index, "no claim", gold.source_text)
    best = next((c for c in found if correct(c.speaker, c.organisation, gold.source_text)), None)
    if best is not None:
        kind = "correct"
    else:
        named = [c for c in found if not nameless_speaker(c.speaker)]
        best = named[0] if named else found[0]
        kind = "wrong person" if named else "pronoun left unresolved"
    return Outcome(gold.doc_id, gold.index, kind, gold.source_text, best.speaker, best.organisation,
                   (best.start, best.end))


def _trim(text: str, span: Span) -> Span:
    s, e = span
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def exact_spans(docs: Sequence[Document], claims: Sequence[Sequence[Claim]]) -> tuple[SpanPRF, SpanPRF]:
    """(source, content) exact-span P/R/F1 over every gold attribution of ``docs``."""
    totals = {"source": [0, 0, 0, 0], "content": [0, 0, 0, 0]}
    for doc, cs in zip(docs, claims):
        gold = {"source": {_trim(doc.text, s) for g in doc.gold for s in g.source},
                "content": {_trim(doc.text, s) for g in doc.gold for s in g.content}}
        pred = {"source": {_trim(doc.text, c.mention) for c in cs if c.mention},
                "content": {_trim(doc.text, (c.start, c.end)) for c in cs}}
        for role in totals:
            hit = len(pred[role] & gold[role])
            t = totals[role]
            t[0] += hit
            t[1] += len(pred[role])
            t[2] += hit
            t[3] += len(gold[role])
    return SpanPRF(*totals["source"]), SpanPRF(*totals["content"])


def score(docs: Sequence[Document], claims: Sequence[Sequence[Claim]], reading: str = "double") -> Score:
    """The metric over ``docs`` (gold loaded with ``reading``) and one claim list per document."""
    if len(docs) != len(claims):
        raise ValueError(f"{len(claims)} claim lists for {len(docs)} documents")
    outcomes: list[Outcome] = []
    p_hits = p_total = pc_hits = pc_total = n_claims = 0
    for doc, cs in zip(docs, claims):
        n_claims += len(cs)
        counted = [g for g in doc.gold if g.counted]
        outcomes += [outcome_of(g, cs) for g in counted]
        named = [g for g in doc.gold if g.named and g.extent]
        for c in cs:
            span = (c.start, c.end)
            hit = [g for g in named if matches(span, g.extent)]
            if hit:
                p_total += 1
                p_hits += any(correct(c.speaker, c.organisation, g.source_text) for g in hit)
            hit = [g for g in hit if g.counted]
            if hit:
                pc_total += 1
                pc_hits += any(correct(c.speaker, c.organisation, g.source_text) for g in hit)
    n = len(outcomes)
    source, content = exact_spans(docs, claims)
    return Score(
        recall=Rate(sum(o.kind == "correct" for o in outcomes), n),
        coverage=Rate(sum(o.kind != "no claim" for o in outcomes), n),
        precision=Rate(p_hits, p_total),
        precision_counted=Rate(pc_hits, pc_total),
        source=source, content=content, claims=n_claims, outcomes=tuple(outcomes), reading=reading,
    )


# --- organisations ----------------------------------------------------------------------------

ORG_SUFFIXES = ("party", "campaign")


@dataclass(frozen=True)
class OrgLabel:
    """A hand label of one PolNeAR quote (eval/data/polnear/organisations.jsonl)."""

    id: str
    doc_id: str
    quote: int
    content: Span
    source: Span | None
    sha1: str
    speaker: str | None
    organisation: str | None
    role: str | None = None


@dataclass(frozen=True)
class OrgOutcome:
    id: str
    doc_id: str
    quote: int
    expected: str | None
    predicted: str | None
    matched: bool  # a claim matches the label's content
    ok: bool


@dataclass(frozen=True)
class OrgScore:
    outcomes: tuple[OrgOutcome, ...] = field(default_factory=tuple)

    @property
    def accuracy(self) -> Rate:
        return Rate(sum(o.ok for o in self.outcomes), len(self.outcomes))

    @property
    def accuracy_matched(self) -> Rate:
        m = [o for o in self.outcomes if o.matched]
        return Rate(sum(o.ok for o in m), len(m))

    def wrong(self) -> list[OrgOutcome]:
        """Labels with a matching claim whose organisation is wrong (the error kind)."""
        return [o for o in self.outcomes if o.matched and not o.ok]

    def to_json(self) -> dict:
        return {"accuracy": self.accuracy.to_json(), "accuracy_matched": self.accuracy_matched.to_json(),
                "outcomes": [asdict(o) for o in self.outcomes]}


def org_match(expected: str | None, predicted: str | None) -> bool:
    from eval.attribution import organisation_match

    return organisation_match(expected, predicted, suffixes=ORG_SUFFIXES, possessive=True)


def score_organisations(labels: Sequence[OrgLabel], docs: Sequence[Document],
                        claims: Sequence[Sequence[Claim]]) -> OrgScore:
    by_doc = {d.doc_id: cs for d, cs in zip(docs, claims)}
    out = []
    for lab in labels:
        cs = by_doc.get(lab.doc_id, [])
        found = [c for c in cs if matches((c.start, c.end), lab.content)]
        found.sort(key=lambda c: -overlap((c.start, c.end), lab.content))
        predicted = found[0].organisation if found else None
        ok = bool(found) and org_match(lab.organisation, predicted)
        out.append(OrgOutcome(lab.id, lab.doc_id, lab.quote, lab.organisation, predicted, bool(found), ok))
    return OrgScore(tuple(out))
