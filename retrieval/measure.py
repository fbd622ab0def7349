"""What a quantity question measures, and whether a sentence's number measures it.

"How much did Tom Clarke pay for the mine?" is not answered by "Mr. Clarke expected to sell its
coal for at least $50 a ton": the sentence holds a number, in a passage about the people asked
about, but the number is a price of something else. The number's own sentence must carry what
the question measures:

- "how much [money|time] did/would/… SUBJ VERB …": the verb and any other lower-case word
  before the first preposition (at least one of them: "Monitor estimate could be saved"
  is answered by "savings of £4bn could come …"), and the thing a possessive owns, which is
  the subject ("Clinton's *campaign* raise": not "Clinton's tax plan would raise $1.1
  trillion");
- "what was the M [of N] of …": the measure noun and its bare complement ("margin of error":
  not "fell by the same margin");
- "what share / proportion / percentage of P V …": the predicate V when it says something
  (not "said"), and P not qualified otherwise: "85 percent among black voters" does not
  answer a question about Latino voters when the sentence never says "Latino".

A sentence that is itself a question ("How much do you pay?") asserts no amount.

Words match by stem, or one begins the other but for a short ending ("vote" ~ "voters").
Names are left to the passage-level check (retrieval/abstain.py): a sentence refers to its
subject by pronoun as often as by name. Plain data and pure functions; no corpus words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from retrieval.evidence import terms
from retrieval.focus import _GENERIC

_AUX = r"(?:did|does|do|will|would|could|can|must|should|might|has|have|had|is|was|were|are)"
_HOW_MUCH = re.compile(rf"\bhow\s+much\s+(?:(?:more|less)\s+)?(?:(?P<unit>[a-z]+)\s+)?{_AUX}\s+(?P<rest>[^?]*)",
                       re.IGNORECASE)
_WHAT_THE = re.compile(rf"\bwhat\s+{_AUX}\s+the\s+(?P<m>[a-z]+)(?:\s+of\s+(?P<c>[a-z]+))?\s+(?:of|for|in|on)\b",
                       re.IGNORECASE)
_SHARE = re.compile(r"\bwhat\s+(?:share|proportion|percentage|fraction|percent)\s+of\s+(?P<rest>[^?]*)",
                    re.IGNORECASE)
# Where the core of a clause ends: a preposition or a conjunction opens what qualifies it.
_BOUNDARY = frozenset("""for on in at by over to from with during after before since through than per about
into under between against among as when while if because according""".split())
_STOP = frozenset("""the a an his her its their our my your this that these those be been being it they he she
we you i any some more less so only also yet already still ever""".split())
# Units a "how much" question may name without saying what is measured.
_UNITS = frozenset("money cash time".split())


@dataclass(frozen=True)
class Measure:
    """``owned``: words that must all be in the number's sentence; ``any_of``: words of which one
    must be (empty: no condition); ``population``: (qualifiers, head) of "what share of P"."""

    owned: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    population: tuple[tuple[str, ...], str] | None = None


def _tokens(text: str) -> list[str]:
    return re.findall(r"[\w’'\-]+", text)


def _core(rest: str) -> list[str]:
    out = []
    for tok in _tokens(rest):
        if tok.lower() in _BOUNDARY:
            break
        out.append(tok)
    return out


def _content(word: str) -> bool:
    w = word.lower()
    return word[:1].islower() and w not in _STOP and not any(c.isdigit() for c in w) \
        and bool(terms(w)) and not set(terms(w)) <= _GENERIC


@lru_cache(maxsize=512)
def measure_of(question: str) -> Measure | None:
    """What the quantity ``question`` measures, or None when it asks no quantity this reads."""
    m = _SHARE.search(question)
    if m:
        core = _core(m.group("rest"))
        lower = [i for i, t in enumerate(core) if t[:1].islower()]
        if not lower:
            return None
        # "Latino voters in Florida support …", "rural voters back …": the population ends at
        # its head noun, the first plural (a share is of people or things counted), and the
        # predicate is the first content word after the phrases that qualify it.
        head_i = next((i for i in lower if core[i].lower().endswith("s") and not core[i].lower().endswith("ss")),
                      lower[0])
        qualifiers = tuple(t for t in core[:head_i])
        rest = m.group("rest")
        after = _tokens(rest)[len(_tokens(" ".join(core[: head_i + 1]))):]
        skipping, verb = False, None
        for tok in after:
            if tok.lower() in _BOUNDARY:
                skipping = True
                continue
            if skipping and not tok[:1].islower():
                continue
            if _content(tok):
                verb = tok
                break
            skipping = False
        return Measure(any_of=(verb,) if verb else (), population=(qualifiers, core[head_i]))
    m = _WHAT_THE.search(question)
    if m:
        words = tuple(w for w in (m.group("m"), m.group("c")) if w and _content(w))
        return Measure(owned=words) if words else None
    m = _HOW_MUCH.search(question)
    if m:
        core = _core(m.group("rest"))
        owned: list[str] = []
        others: list[str] = []
        for i, tok in enumerate(core):
            if re.search(r"[’']s?$", tok) and tok[:1].isupper():
                run = []
                for nxt in core[i + 1 :]:
                    if not nxt[:1].islower():
                        break
                    run.append(nxt)
                owned += [w for w in run[:-1] if _content(w)]
        others = [t for t in core if _content(t) and t not in owned]
        unit = (m.group("unit") or "").lower()
        if unit and unit not in _UNITS and _content(unit) and not re.fullmatch(_AUX, unit):
            others.append(unit)
        if not owned and not others:
            return None
        return Measure(owned=tuple(owned), any_of=tuple(others))
    return None


# English verbs whose past forms (and a noun or two) share no stem with them: general English,
# not any corpus's words.
_IRREGULAR = {k: frozenset(v.split()) for k, v in {
    "pay": "paid", "lose": "lost loss losses", "spend": "spent", "sell": "sold sale sales", "buy": "bought",
    "win": "won", "make": "made", "take": "took taken", "give": "gave given", "get": "got", "bring": "brought",
    "cost": "cost", "owe": "debt", "earn": "earnings", "lend": "lent loan", "send": "sent", "grow": "grew grown growth",
    "rise": "rose risen", "fall": "fell fallen", "steal": "stole stolen", "hold": "held", "keep": "kept",
    "leave": "left", "meet": "met", "put": "put", "run": "ran", "say": "said", "see": "saw seen", "think": "thought",
    "bear": "bore born", "choose": "chose chosen", "draw": "drew drawn", "drive": "drove driven", "eat": "ate eaten",
    "fight": "fought", "find": "found", "fly": "flew flown", "forgive": "forgave", "freeze": "froze frozen",
    "hide": "hid hidden", "know": "knew known", "lead": "led", "ride": "rode ridden", "seek": "sought",
    "shoot": "shot", "sink": "sank sunk", "speak": "spoke spoken", "stand": "stood", "strike": "struck",
    "teach": "taught", "tell": "told", "throw": "threw thrown", "wear": "wore worn", "write": "wrote written",
    "die": "death deaths dead", "kill": "killing killings"}.items()}


@lru_cache(maxsize=4096)
def _forms(word: str) -> frozenset[str]:
    """``word`` and the irregular forms it shares a verb with. Cached: every word of a quantity
    question is looked up against every candidate sentence."""
    w = word.lower()
    out = {w}
    for base, forms in _IRREGULAR.items():
        if w == base or w in forms or terms(w) == terms(base):
            out |= {base} | forms
    return frozenset(out)


def _match(word: str, words: list[str], stems: set[str]) -> bool:
    w = _norm(word)
    if any(set(terms(f)) & stems for f in _forms(word)):
        return True
    return any(_prefix(w, x) or _prefix(x, w) for x in words)


def _norm(word: str) -> str:
    return word.lower().replace("’", "'").removesuffix("'s").rstrip("s")


def _prefix(a: str, b: str) -> bool:
    """``a`` begins ``b`` but for an ending of at most two letters ("vote" ~ "voter")."""
    return len(a) >= 4 and b.startswith(a) and len(b) - len(a) <= 2


def measured_by(question: str, sentence: str) -> bool:
    """Does ``sentence`` carry what the quantity ``question`` measures? True when the question
    measures nothing this module reads."""
    if re.search(r"\?\W*$", sentence.strip()):
        return False  # a question asserts no amount
    measure = measure_of(question)
    if measure is None:
        return True
    toks = _tokens(sentence)
    words = [_norm(t) for t in toks]
    stems = set(terms(sentence))
    if not all(_match(w, words, stems) for w in measure.owned):
        return False
    if measure.any_of and not any(_match(w, words, stems) for w in measure.any_of):
        return False
    if measure.population is not None:
        qualifiers, head = measure.population
        asked = {_norm(q) for q in qualifiers}
        if asked and not any(_match(q, words, stems) for q in qualifiers):
            # The head qualified by another word ("black voters") is another population.
            for i, w in enumerate(words):
                before = words[i - 1] if i else ""
                if before and _match(head, [w], set(terms(toks[i]))) and before not in _STOP \
                        and before not in _BOUNDARY and before not in ("of", "and", "or") \
                        and before not in asked and not any(c.isdigit() for c in before):
                    return False
    return True
