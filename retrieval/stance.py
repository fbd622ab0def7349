"""Stance of a quote toward a proposition: supports, opposes, mixed or neutral.

A documented, rule-based method (no model; microseconds per quote):

1. The quote is cut into clauses at sentence ends and at contrast words (but, however,
   although, though, while, whereas, yet).
2. Each clause scores support and opposition from a lexicon of general evaluative English
   (``welcome``, ``right``, ``essential`` / ``concerns``, ``destroy``, ``will not work``,
   ``avoid`` …). A negation just before a cue ("not opposed", "no problem") flips it.
3. The proposition's content words locate the target. A rejecting word right before the
   target ("no reorganisation", "avoid …", "rather than mandate", "scrapping the rules") or a
   rejecting participle right after it ("markets removed") counts as opposition; wanting or
   building it ("want …", "work towards …", "should be created") counts as support.
4. Contrast: the clause after the last "but/however/yet" weighs 1.5 and the clauses before it
   0.75, so the conclusion carries more of the stance.
   A cue-less clause after a contrast word leans against the clause before it
   ("it is to be welcomed, but it has to be backed up by resources" is mixed).
5. Decision: no side reaching 0.5 is neutral, as is a question or a plain request to learn
   more; both sides present with the weaker at least 40 % of the stronger is mixed; otherwise
   the stronger side wins.

Measured on eval/data/stance.jsonl by ``python -m eval`` (see eval/README-answers.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.evidence import _stemmer

STANCES = ("supports", "opposes", "mixed", "neutral")

# Evaluative cues, weight 1 unless given. Multi-word cues are matched before single words.
_SUPPORT = {
    "welcome": 1.0, "welcomes": 1.0, "welcomed": 1.0, "welcoming": 1.0, "support": 1.0, "supports": 1.0,
    "supported": 1.0, "supporting": 0.7, "back": 0.6, "backs": 0.8, "backed": 0.8, "endorse": 1.0,
    "endorsed": 1.0, "endorses": 1.0, "endorsement": 1.0, "positive": 1.0, "right": 0.8, "pleased": 1.0,
    "delighted": 1.0, "great": 0.8, "good": 0.8, "excellent": 1.0, "agree": 1.0, "agrees": 1.0,
    "essential": 0.8, "important": 0.7, "benefit": 0.7, "benefits": 0.7, "improve": 0.6,
    "improvement": 0.6, "better": 0.5, "encouragement": 0.8, "encouraging": 0.8, "heartened": 1.0,
    "praise": 1.0, "praised": 1.0, "applaud": 1.0, "favour": 0.8, "favours": 0.8, "want": 0.8,
    "wants": 0.8, "helps": 0.6, "help": 0.5, "key": 0.5, "stability": 0.6, "firmer": 0.6,
    "strong": 0.4, "strongly": 0.3, "success": 0.7, "successful": 0.7, "value": 0.4, "vital": 0.6,
    "progress": 0.6, "opportunity": 0.5, "potential": 0.6, "sensible": 0.8,
    "welcome endorsement": 1.5, "the right person": 1.5, "is right": 1.0, "a good one": 1.2,
    "a move in the right direction": 1.5, "work towards": 1.0, "with you": 0.8, "in favour": 1.0,
    "should be created": 1.0, "is the answer": 1.0, "makes sense": 1.0,
}
_OPPOSE = {
    "concern": 1.0, "concerns": 1.0, "concerned": 1.0, "worried": 1.0, "worry": 1.0, "oppose": 1.0,
    "opposes": 1.0, "opposed": 1.0, "opposition": 0.8, "against": 0.8, "criticise": 1.0,
    "criticised": 1.0, "criticising": 0.8, "criticism": 1.0, "destroy": 1.2, "demise": 1.0,
    "sabotage": 1.0, "disruptive": 1.0, "disruption": 1.0, "upheaval": 1.0, "distracting": 0.7,
    "fail": 1.0, "fails": 1.0, "failed": 1.0, "failing": 1.0, "failure": 1.0, "disaster": 1.2,
    "dismal": 1.0, "risk": 0.6, "risks": 0.6, "danger": 0.8, "dangerous": 1.0, "warn": 0.8,
    "warned": 0.8, "warning": 0.8, "alarm": 1.0, "avoid": 1.0, "avoided": 1.0, "question": 0.6,
    "doubt": 0.8, "doubts": 0.8, "questioned": 0.8, "questioning": 0.6, "questions": 0.4, "nervous": 1.0, "weariness": 0.8, "backlash": 1.0, "crippling": 1.0,
    "messy": 1.0, "fragmented": 0.8, "fragmentation": 0.8, "idiocy": 1.2, "ludicrously": 1.0,
    "expensive": 0.6, "waste": 1.0, "blocked": 0.6, "problem": 0.5, "problems": 0.5, "harder": 0.6,
    "difficult": 0.5, "grave": 1.0, "contempt": 1.0, "attack": 0.8, "reject": 1.0, "rejected": 1.0,
    "scandal": 0.8, "unaccountable": 0.6, "argument": 0.5, "losing": 0.6, "wrong": 1.0, "bad": 1.0,
    "harm": 1.0, "harmful": 1.0, "hurt": 1.0, "deter": 0.8, "threat": 0.8, "undermine": 1.0, "damage": 1.0, "damaging": 1.0,
    "no sense": 1.5, "not work": 1.5, "will not work": 1.5, "won't work": 1.5, "does not work": 1.5,
    "pale imitation": 1.5, "would like to have seen": 1.0, "not the answer": 1.5, "at all cost": 0.5,
    "get in the way": 1.0, "grave concerns": 1.5, "some concerns": 0.8, "playing into": 0.8,
    "insurmountable": 0.6,
}
# Reject the target when they come just before it ("no reorganisation", "scrapping the rules").
_REJECT_BEFORE = {"no", "not", "without", "avoid", "avoiding", "end", "ending", "scrap", "scrapping",
                  "abolish", "abolishing", "repeal", "repealing", "remove", "removing", "stop", "stopping",
                  "ban", "against", "oppose", "opposing", "than", "instead", "never", "nor"}
# ... or just after it ("competition and markets removed").
_REJECT_AFTER = {"removed", "scrapped", "abolished", "ended", "repealed", "stopped", "banned",
                 "avoided", "unpicked", "dropped", "blocked"}
_WANT_BEFORE = {"want", "wants", "wanted", "towards", "embrace", "embracing", "champion", "championing"}
# Phrases that look evaluative but are not: they consume their words so no cue matches them.
_NEUTRAL = {"backed up": 0.0, "back up": 0.0, "right across": 0.0, "all right": 0.0, "right now": 0.0,
            "the right to": 0.0, "a right to": 0.0, "new right": 0.0, "key to": 0.0}
# A positive word as the object of these verbs is what is under threat ("destroy everything that is great").
_THREAT = {"destroy", "sabotage", "undermine", "damage", "harm", "threaten", "threatens", "lose", "losing", "end"}
_MODAL = re.compile(r"\b(?:would|could|should|must|have to|has to|need to|needs to)\b", re.IGNORECASE)
_NEGATIONS = {"not", "no", "never", "n't", "little", "nor", "without", "hardly", "cannot"}
_CONTRAST = re.compile(r"\b(?:but|however|although|though|while|whereas|yet)\b", re.IGNORECASE)
_INQUIRY = re.compile(r"\b(?:keen|want|wants|like|looking|look)\s+(?:forward\s+)?to\s+(?:understand|hear|know|see|learn|"
                      r"discuss|discussing|further discussion)|\blook(?:s|ing)?\s+forward\s+to\b", re.IGNORECASE)
_STOP = set("""a an the of and or to in on for with by at from as is are was were be been being it its this that
these those their his her our we they he she i you would could should will can may might must have has had do
does did so such than then there here about into over under more most much many any some all each which who
what when where why how""".split())
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


@dataclass(frozen=True)
class Stance:
    """``label`` is one of STANCES; ``support`` and ``oppose`` are the weighted cue totals."""

    label: str
    support: float
    oppose: float
    cues: tuple[str, ...] = ()


def _tokens(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"(?<=\w)-(?=\w)", "", text)  # "re-organisation" -> "reorganisation"
    text = text.replace("n't", " n't")
    return _WORD.findall(text) + []


def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


@dataclass(frozen=True)
class Target:
    """The proposition's content-word stems, and the ones that can name it alone: its head
    noun (the last content word before any "of/in/for/…" phrase), hyphenated compounds
    ("hospital-led"), and the initials of its head phrase ("ICOs")."""

    stems: frozenset[str]
    strong: frozenset[str]


def target_terms(proposition: str | None) -> Target:
    if not proposition:
        return Target(frozenset(), frozenset())
    words = [w for w in _tokens(proposition)]
    content = [w for w in words if w not in _STOP and len(w) > 2]
    head_phrase = re.split(r"\b(?:of|in|for|on|at|to|with|via|from|under|by)\b|[(/]", proposition.lower())[0]
    head_words = [w for w in _tokens(head_phrase) if w not in _STOP and len(w) > 2] or content
    strong = {_stem(head_words[-1])} if head_words else set()
    strong |= {_stem(re.sub(r"-", "", w)) for w in re.findall(r"\w+-\w+", proposition.lower())}
    if len(head_words) >= 2:
        strong.add(_stem("".join(w[0] for w in head_words[-3:])))
    return Target(frozenset(_stem(w) for w in content), frozenset(strong))


def _cue_scores(tokens: list[str], lexicon: dict[str, float], used: set[int]) -> tuple[float, float, list[str]]:
    """(same-direction total, flipped total, cues) of ``lexicon`` in ``tokens``: a negation in
    the three words before a one-word cue flips it at half weight ("not opposed" is a weak yes).
    ``used`` marks token positions already matched by a longer cue."""
    same = flipped = 0.0
    found = []
    for phrase in sorted(lexicon, key=lambda p: -len(p.split())):
        parts = phrase.split()
        n = len(parts)
        for i in range(len(tokens) - n + 1):
            if tokens[i : i + n] != parts or any(j in used for j in range(i, i + n)):
                continue
            used.update(range(i, i + n))
            if lexicon is _SUPPORT and any(t in _THREAT for t in tokens[max(0, i - 4) : i]):
                continue
            weight = lexicon[phrase]
            if n == 1 and any(t in _NEGATIONS for t in tokens[max(0, i - 3) : i]):
                flipped += weight / 2
                found.append("not " + phrase)
            else:
                same += weight
                found.append(phrase)
    return same, flipped, found


def _clause_scores(clause: str, targets: Target) -> tuple[float, float, float, float, list[str]]:
    """(support, oppose) from evaluative words and (support, oppose) from what the clause does
    to the target, with the cues found."""
    tokens = _tokens(clause)
    used: set[int] = set()
    _cue_scores(tokens, _NEUTRAL, used)
    sup, sup_flip, sup_cues = _cue_scores(tokens, _SUPPORT, used)
    opp, opp_flip, opp_cues = _cue_scores(tokens, _OPPOSE, used)
    support, oppose = sup + opp_flip, opp + sup_flip
    cues = sup_cues + opp_cues
    t_support = t_oppose = 0.0
    if targets.stems:
        stems = [_stem(t) for t in tokens]
        # A mention of the target: its head, a compound or its initials, or two of its words in a row.
        hits = [i for i, stem in enumerate(stems) if stem in targets.strong or stem in targets.stems and (
            i + 1 < len(stems) and stems[i + 1] in targets.stems or i > 0 and stems[i - 1] in targets.stems)]
        for i in hits:
            window = 12 if any(w in ("not", "never") for w in tokens[max(0, i - 12) : i]) else 4
            before = tokens[max(0, i - window) : i]
            after = tokens[i + 1 : i + 4]
            if any(w in _REJECT_BEFORE for w in before) or any(w in _REJECT_AFTER for w in after):
                # The clause's good words describe the alternative it prefers to the target.
                t_oppose, oppose, support = 1.5, oppose + support, 0.0
                cues.append(f"rejects {tokens[i]}")
                break
            if any(w in _WANT_BEFORE for w in before[-3:]):
                t_support = 1.0
                cues.append(f"wants {tokens[i]}")
                break
        if hits and not (support or oppose or t_support or t_oppose) and _MODAL.search(clause) \
                and not any(t in _NEGATIONS for t in tokens):
            t_support = 0.5  # proposing the target with no judgement either way: advocacy
            cues.append("proposes")
    return support, oppose, t_support, t_oppose, cues


def _clauses(quote: str) -> list[tuple[str, bool]]:
    """(clause, follows a contrast word). A sentence opening with "While/Although/Though …,"
    is a concession then a main clause; one opening with "But/However/Yet" contrasts with
    what came before."""
    out: list[tuple[str, bool]] = []
    for sentence in re.split(r"(?<=[.!?…])\s+", quote):
        concession = re.match(r"\s*(?:while|whilst|although|though|even though)\b([^,]*),(.*)", sentence,
                              re.IGNORECASE | re.DOTALL)
        if concession:
            out.append((concession.group(1), False))
            sentence = "but " + concession.group(2)
        pieces = _CONTRAST.split(sentence)
        for k, piece in enumerate(pieces):
            if piece.strip():
                out.append((piece, k > 0))
    return out


def stance(quote: str, proposition: str | None = None) -> Stance:
    """The stance of ``quote`` toward ``proposition`` (see the module docstring)."""
    targets = target_terms(proposition)
    scored = []
    for text, after_contrast in _clauses(quote):
        scored.append((after_contrast, *_clause_scores(text, targets)))
    support = oppose = 0.0
    cues: list[str] = []
    last_contrast = max((i for i, c in enumerate(scored) if c[0]), default=-1)
    previous = 0.0  # direction of the last clause with evaluative words
    for i, (after_contrast, s, o, ts, to, c) in enumerate(scored):
        # The conclusion carries the stance: after the last contrast word double, before it half.
        weight = 1.5 if i == last_contrast else 0.75 if i < last_contrast else 1.0
        if after_contrast and s == o == 0 and previous and not (ts or to):
            # "to be welcomed, but it has to be backed up": the contrast leans the other way.
            s, o = (0.5, 0.0) if previous < 0 else (0.0, 0.5)
            c = c + ["contrast"]
        support += s * weight + ts
        oppose += o * weight + to
        cues += c
        if s != o:
            previous = 1.0 if s > o else -1.0
    strong = max(support, oppose)
    if quote.rstrip().rstrip("”’\"'").endswith("?") or (_INQUIRY.search(quote) and strong < 1.0):
        return Stance("neutral", support, oppose, tuple(cues))
    if strong < 0.5:
        return Stance("neutral", support, oppose, tuple(cues))
    weak = min(support, oppose)
    if weak > 0 and weak >= 0.4 * strong:
        return Stance("mixed", support, oppose, tuple(cues))
    return Stance("supports" if support > oppose else "opposes", support, oppose, tuple(cues))
