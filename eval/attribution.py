"""Attribution accuracy: does the index say who speaks in each hand-labelled quote?

For every record of eval/data/attribution.jsonl (a quote at ``[start, end)`` of a source, with
the expected speaker and organisation), the prediction is the attribution of the sentence that
covers most of the quote, as :func:`index.attribution.attribute_document` computes it at index
time. Matching rules (see eval/README-answers.md):

- speaker: names are compared after normalisation (case, curly apostrophes, punctuation,
  honorifics such as Dr/Mr/Sir dropped). Two names match when equal, or when one is a surname
  alone equal to the other's last word, or when first names agree and the surnames differ by at
  most one letter (a misspelling such as Milliband/Miliband). Several people ("A and B") match
  when each matches in turn. A null speaker matches only null.
- organisation: compared after normalisation (case, apostrophes, a leading "the", a trailing
  "party"); an acronym matches the name it abbreviates (RCGP = Royal College of General
  Practitioners, DH = Department of Health); lists ("A, B and C") match item by item. A null
  organisation matches only null.
- a record is correct when both its speaker and its organisation match; accuracy is the share
  of correct records. Speaker-only and organisation-only accuracy are reported beside it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from index.attribution import Attribution, attribute_document
from index.corpus import Corpus
from index.attribution.lexicon import acronym_of

ATTRIBUTION = Path(__file__).parent / "data" / "attribution.jsonl"
_HONORIFICS = {"dr", "mr", "mrs", "ms", "miss", "sir", "dame", "lord", "lady", "professor", "prof",
               "cllr", "rev", "baroness"}


@dataclass(frozen=True)
class AttributionResult:
    id: str
    source: str
    quote: str
    expected: tuple[str | None, str | None]
    predicted: tuple[str | None, str | None]
    speaker_ok: bool
    organisation_ok: bool

    @property
    def ok(self) -> bool:
        return self.speaker_ok and self.organisation_ok


@dataclass(frozen=True)
class AttributionReport:
    results: list[AttributionResult]

    @property
    def accuracy(self) -> float:
        return _share(r.ok for r in self.results)

    @property
    def speaker_accuracy(self) -> float:
        return _share(r.speaker_ok for r in self.results)

    @property
    def organisation_accuracy(self) -> float:
        return _share(r.organisation_ok for r in self.results)

    def summary(self) -> str:
        n = len(self.results)
        return (f"attribution accuracy {self.accuracy:.1%} of {n} labelled quotes "
                f"(speaker {self.speaker_accuracy:.1%}, organisation {self.organisation_accuracy:.1%})")

    def errors(self) -> list[str]:
        return [f"{r.id}: expected {r.expected}, got {r.predicted}: {r.quote[:70]!r}"
                for r in self.results if not r.ok]


def _share(flags) -> float:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else 0.0


def _norm_words(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return re.findall(r"[a-z0-9][a-z0-9'\-]*", text)


def _person_words(name: str) -> list[str]:
    return [w for w in _norm_words(name) if w.rstrip(".") not in _HONORIFICS]


def _close(a: str, b: str) -> bool:
    """Equal, or one edit apart when both are long enough for a misspelling to be one."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:] or a[i + 1:] == b[i + 1:]


def person_match(expected: str, predicted: str) -> bool:
    e, p = _person_words(expected), _person_words(predicted)
    if not e or not p:
        return False
    if e == p:
        return True
    if len(e) == 1 or len(p) == 1:
        return e[-1] == p[-1] and (len(e) > 1 or len(p) > 1)
    return e[0] == p[0] and _close(e[-1], p[-1]) or e[1:] == p[1:] and _close(e[0], p[0]) and e[-1] == p[-1]


def speaker_match(expected: str | None, predicted: str | None) -> bool:
    if expected is None or predicted is None:
        return expected is None and predicted is None
    exp = re.split(r"\s+(?:and|&)\s+|,\s*", expected)
    pred = re.split(r"\s+(?:and|&)\s+|,\s*", predicted)
    return len(exp) == len(pred) and all(person_match(a, b) for a, b in zip(exp, pred))


def _org_key(name: str, suffixes: tuple[str, ...] = ("party",), possessive: bool = False) -> str:
    """Normalised organisation name: case, apostrophes, a leading "the", one trailing word of
    ``suffixes`` dropped; with ``possessive``, a final "'s" of every word too ("Trump's
    campaign" -> "trump")."""
    words = _norm_words(name)
    if possessive:
        words = [w[:-2] if w.endswith("'s") else w for w in words]
    if words and words[0] == "the":
        words = words[1:]
    if words and words[-1] in suffixes and len(words) > 1:
        words = words[:-1]
    return " ".join(words)


def _org_one(expected: str, predicted: str, suffixes: tuple[str, ...] = ("party",),
             possessive: bool = False) -> bool:
    e, p = _org_key(expected, suffixes, possessive), _org_key(predicted, suffixes, possessive)
    if e == p:
        return True
    for short, full in ((e, expected), (p, predicted)), ((p, predicted), (e, expected)):
        pass
    compact_e, compact_p = e.replace(" ", ""), p.replace(" ", "")
    return _is_acronym_of(compact_p, expected) or _is_acronym_of(compact_e, predicted)


def _is_acronym_of(compact: str, name: str) -> bool:
    """``compact`` (lower case, no spaces) is ``name``'s initials, or their plural ("ccgs");
    an acronym ending in s itself stays whole ("aros" = Alliance to Reclaim Our Schools)."""
    initials = acronym_of(name).lower()
    return bool(initials) and compact in (initials, initials + "s")


def organisation_match(expected: str | None, predicted: str | None,
                       suffixes: tuple[str, ...] = ("party",), possessive: bool = False) -> bool:
    """The organisation rule of the module doc. ``suffixes`` and ``possessive`` widen the
    normalisation for other corpora (eval/polnear_metric.py drops "campaign" and "'s" too)."""
    if expected is None or predicted is None:
        return expected is None and predicted is None
    if _org_one(expected, predicted, suffixes, possessive):
        return True
    exp = [x for x in re.split(r",\s*|\s+and\s+", expected) if x]
    pred = [x for x in re.split(r",\s*|\s+and\s+", predicted) if x]
    return len(exp) == len(pred) > 1 and all(_org_one(a, b, suffixes, possessive) for a, b in zip(exp, pred))


def covering(attributions: list[Attribution], start: int, end: int) -> Attribution | None:
    """The sentence attribution that overlaps ``[start, end)`` the most."""
    best, best_overlap = None, 0
    for a in attributions:
        overlap = min(a.end, end) - max(a.start, start)
        if overlap > best_overlap:
            best, best_overlap = a, overlap
    return best


def load_labels(path: Path = ATTRIBUTION) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def evaluate_attribution(corpus: Corpus, path: Path = ATTRIBUTION) -> AttributionReport:
    """Attribute every labelled document once and score every labelled quote."""
    texts = {d.source: d.text for d in corpus.documents}
    cache: dict[str, list[Attribution]] = {}
    results = []
    for rec in load_labels(path):
        text = texts.get(rec["source"])
        if text is None or text[rec["start"]:rec["end"]] != rec["quote"]:
            raise ValueError(f"{rec['id']}: the label's quote is not at [{rec['start']}, {rec['end']}) "
                             f"of {rec['source']}; regenerate with eval/data/make_labels.py")
        if rec["source"] not in cache:
            cache[rec["source"]] = attribute_document(text)
        a = covering(cache[rec["source"]], rec["start"], rec["end"])
        predicted = (a.speaker, a.organisation) if a else (None, None)
        results.append(AttributionResult(
            rec["id"], rec["source"], rec["quote"], (rec["speaker"], rec["organisation"]), predicted,
            speaker_match(rec["speaker"], predicted[0]), organisation_match(rec["organisation"], predicted[1]),
        ))
    return AttributionReport(results)
