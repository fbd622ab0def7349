"""Stance of a quote toward a proposition: supports, opposes, mixed or neutral.

A documented, rule-based method (no model; microseconds per quote):

1. The quote is cut into clauses at sentence ends and at contrast words (but, however,
   although, though, while, whereas, yet).
2. Each clause scores support and opposition from a lexicon of general evaluative English
   (``welcome``, ``right``, ``essential`` / ``concerns``, ``destroy``, ``will not work``,
   ``avoid`` …) and of political speech: attack and charge words (``reckless``, ``sham``,
   ``unhinged``, ``skeptical``, ``critic``, ``photo op``, ``witch hunt``, ``falls short``) and
   praise (``visionary``, ``long overdue``, ``shot in the arm``, ``no one more …``). A
   negation just before a cue ("not opposed", "no problem") flips it, unless another cue owns
   it ("no one more experienced"). Words inside a name ("Center for American Progress") are
   not cues, and "want" is support only as the speaker's own wanting or wanting something
   done ("we want …", "wants his staff to …"), not "they want a photo op"; a rejection the
   speaker pins on the one addressed ("you want to abolish the Act") is the speaker's support.
3. The proposition's content words locate the target. A rejecting word right before the
   target ("no reorganisation", "avoid …", "rather than mandate", "scrapping the rules"; not a
   comparison's "than") or a
   rejecting participle right after it ("markets removed") counts as opposition; wanting or
   building it ("want …", "work towards …", "should be created") counts as support.
   Polarity composes over what a cue is the object of (issue 13): bad words judging a
   *rejection* of the target are for it ("it is disqualifying to refuse to release the
   returns", "refusing to … is disqualifying", "the rationales to veto the Act don't hold
   weight"), unless the rejection is the speaker's own intent ("we need to scrap it");
   another's attempt to reject it, and a charge against another's attempt ("Republicans are
   trying to make political hay"), are the speaker's support; an ill remedied is no attack
   ("close loopholes", "defend himself against an attack"); a good word under pretence is one
   ("the appearance of being legitimate"); a gerund subject is judged by its predicate
   ("Making X an insult … is a shot in the arm"); a negation stops at a comma or dash ("Not
   good, great"); "X should not be …" rejects X; an indirect question ("whether it should be
   released") proposes nothing; "this legislation" names an Act, "(JASTA)" names it too, and
   each head of "competition and markets" does. A title's full stop ("Ms. Mills") ends no
   sentence.
4. Contrast: the clause after the last "but/however/yet" weighs 1.5 and the clauses before it
   0.75, so the conclusion carries more of the stance.
   A cue-less clause after a contrast word leans against the clause before it
   ("it is to be welcomed, but it has to be backed up by resources" is mixed), except after an
   expectation ("You'd think they would be up in arms, but I haven't heard a peep" opposes).
5. Decision: no side reaching 0.5 is neutral, as is a question or a plain request to learn
   more; both sides present with the weaker at least 40 % of the stronger is mixed; otherwise
   the stronger side wins.

Measured per class on both eval sets, eval/data/stance.jsonl (NHS) and
eval/data/polnear/stance.jsonl (US election news), by ``python -m eval`` (eval/README.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from retrieval.evidence import _stemmer
from retrieval.verbs import base_form

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
    # The praise vocabulary of political speech.
    "visionary": 1.2, "brilliant": 1.0, "outstanding": 1.0, "terrific": 1.0, "fantastic": 1.0, "wonderful": 1.0,
    "impressive": 1.0, "honored": 1.0, "honoured": 1.0, "proud": 1.0, "grateful": 0.8, "thrilled": 1.0,
    "admire": 1.0, "admiration": 1.0, "commend": 1.0, "courageous": 1.0, "brave": 0.8, "effective": 0.8,
    "defend": 0.8, "defended": 0.8, "defending": 0.8, "defense": 0.6, "defence": 0.6, "supporter": 0.8,
    "supporters": 0.6, "champion": 0.8, "landmark": 0.8, "historic": 0.6, "crucial": 0.5, "legitimate": 0.8,
    "brightest": 1.0, "best": 0.6, "winner": 0.8, "won": 0.5, "experienced": 0.6, "qualified": 0.6,
    "simplify": 0.6, "protect": 0.6, "protects": 0.6, "cooperated": 0.6, "fine": 0.4, "works": 0.5,
    "excellent job": 1.5, "shot in the arm": 1.5, "step in the right direction": 1.5, "the right thing": 1.2,
    "long overdue": 1.2, "common sense": 1.0, "game changer": 1.2, "breath of fresh air": 1.5,
    "hands down winner": 1.5, "no one more": 1.2, "no one better": 1.5, "need to have their day in court": 1.0,
    "absolutely right": 1.5, "exactly right": 1.5, "did a great job": 1.5, "great job": 1.2,
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
    # The attack vocabulary of political speech: insult, charge of bad faith, alarm.
    "critic": 1.0, "critics": 0.8, "skeptical": 1.0, "sceptical": 1.0, "doubtful": 0.8, "disgrace": 1.2,
    "disgraceful": 1.2, "outrageous": 1.2, "shameful": 1.2, "ridiculous": 1.0, "absurd": 1.0, "insult": 1.0,
    "insulting": 1.0, "lies": 1.0, "lie": 0.8, "liar": 1.0, "lying": 1.0, "conspiracy": 0.8, "unhinged": 1.2,
    "meltdown": 1.0, "reckless": 1.2, "irresponsible": 1.2, "unfair": 1.0, "unacceptable": 1.2, "appalling": 1.2,
    "horrible": 1.0, "terrible": 1.0, "awful": 1.0, "sham": 1.2, "scam": 1.2, "fraud": 1.0, "abuse": 0.8,
    "corrupt": 1.2, "corruption": 1.0, "rigged": 1.0, "hoax": 1.0, "nonsense": 1.0, "crap": 1.2, "garbage": 1.2,
    "pathetic": 1.2, "incompetent": 1.2, "catastrophe": 1.2, "catastrophic": 1.2, "mess": 0.8, "chaos": 0.8,
    "betrayal": 1.2, "misguided": 1.2, "flawed": 1.0, "regressive": 1.0, "discriminating": 1.0,
    "discriminatory": 1.2, "discriminate": 1.0, "plagued": 1.0, "invasion": 1.0, "overreach": 1.2,
    "unconstitutional": 1.2, "illegal": 1.0, "whitewash": 1.0, "whitewashes": 1.0, "propaganda": 1.0,
    "mouthpiece": 1.0, "charlatan": 1.2, "quack": 1.0, "offensive": 1.0, "hate": 1.0, "hates": 1.0,
    "outrage": 1.0, "furious": 1.0, "slammed": 1.0, "blasted": 1.0, "condemned": 1.0, "condemn": 1.0,
    "denounced": 1.0, "troubled": 0.8, "troubling": 1.0, "worrying": 1.0, "worrisome": 1.0, "alarming": 1.0,
    "deplorable": 1.2, "unbearable": 1.0, "intolerable": 1.0, "complexity": 0.6, "complicated": 0.6,
    "tilted": 0.8, "loophole": 0.6, "loopholes": 0.4, "giveaway": 1.0, "stunt": 1.0, "dishonest": 1.2,
    "hypocrisy": 1.2, "hypocritical": 1.2, "shocking": 1.0, "dangerously": 1.0, "unfit": 1.2,
    "disqualifying": 1.2, "demoralizing": 1.0, "demoralising": 1.0, "villain": 0.8, "mocked": 0.8,
    "trickle down": 1.0, "trickle-down": 1.0, "photo op": 1.0, "photo-op": 1.0, "witch-hunt": 1.2, "political hay": 1.2, "witch hunt": 1.2, "falls short": 1.2,
    "fall short": 1.2, "goes too far": 1.2, "go too far": 1.2, "too far": 0.8, "tinkering at the edges": 1.2,
    "don't hold weight": 1.5, "doesn't add up": 1.5, "does not add up": 1.5,
    "up in arms": 1.0, "step backwards": 1.2, "step backward": 1.2, "wrong direction": 1.2, "made up": 0.8,
    "pull it off": 0.4, "burden": 0.8, "burdens": 0.6, "costly": 0.6, "unworkable": 1.2,
}
# Reject the target when they come just before it ("no reorganisation", "scrapping the rules").
_REJECT_BEFORE = {"no", "not", "without", "avoid", "avoiding", "end", "ending", "scrap", "scrapping",
                  "abolish", "abolishing", "repeal", "repealing", "remove", "removing", "stop", "stopping",
                  "ban", "against", "oppose", "opposing", "instead", "never", "nor", "refuse", "refuses",
                  "refused", "refusing", "veto", "vetoes", "vetoed", "vetoing", "block", "blocking", "kill",
                  "killing", "dismantle", "dismantling", "gut", "gutting", "undo", "undoing", "tear", "tearing",
                  "reject", "rejecting", "overturn", "overturning", "rescind", "rescinding"}
# ... or just after it ("competition and markets removed").
_REJECT_AFTER = {"removed", "scrapped", "abolished", "ended", "repealed", "stopped", "banned",
                 "avoided", "unpicked", "dropped", "blocked"}
_WANT_BEFORE = {"want", "wants", "wanted", "towards", "embrace", "embracing", "champion", "championing",
                "sign", "signing", "pass", "passing", "approve", "approving", "enact", "enacting", "adopt", "adopting",
                "keep", "keeping", "save", "saving", "expand", "expanding", "implement", "implementing"}
# Phrases that look evaluative but are not: they consume their words so no cue matches them.
_NEUTRAL = {"backed off": 0.0, "back off": 0.0, "backed away": 0.0, "backed down": 0.0, "backing away": 0.0,
            "how best": 0.0, "best placed": 0.0, "backed up": 0.0, "back up": 0.0, "right across": 0.0, "all right": 0.0, "right now": 0.0,
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
_WORD_ANY_CASE = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


@dataclass(frozen=True)
class Stance:
    """``label`` is one of STANCES; ``support`` and ``oppose`` are the weighted cue totals."""

    label: str
    support: float
    oppose: float
    cues: tuple[str, ...] = ()


def _tokenize(text: str) -> list[tuple[str, bool]]:
    """(lower-cased token, written with a capital) for each word of ``text``."""
    return _tokenize_marked(text)[0]


# Punctuation inside a clause that ends a negation's reach ("Not good, great": "great" is not negated).
_BREAK = re.compile(r"[,;:()\[\]—–]|\s-\s")


def _tokenize_marked(text: str) -> tuple[list[tuple[str, bool]], frozenset[int]]:
    """:func:`_tokenize`, and the positions of the tokens that follow a comma, colon, semicolon,
    bracket or dash (where a negation's scope ends)."""
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"(?<=\w)-(?=\w)", "", text)  # "re-organisation" -> "reorganisation"
    text = re.sub(r"n't\b", " not", text, flags=re.IGNORECASE)  # "isn't" -> "is not", as cues are written
    tagged: list[tuple[str, bool]] = []
    breaks = set()
    for k, piece in enumerate(_BREAK.split(text)):
        if k and tagged:
            breaks.add(len(tagged))
        tagged += [(w.lower(), w[:1].isupper()) for w in _WORD_ANY_CASE.findall(piece)]
    return tagged, frozenset(breaks)


def _crosses(breaks: frozenset[int], j: int, i: int) -> bool:
    """Is there a clause break between token ``j`` and token ``i`` (j < i)?"""
    return any(j < b <= i for b in breaks)


def _tokens(text: str) -> list[str]:
    return [w for w, _ in _tokenize(text)]


def echoes(words: str, verb: str) -> bool:
    """Does ``words`` use the question's own verb of taking a side, unnegated ("we question
    where the money will come from" for "who questioned X?"; not "we are not opposed", nor "we
    don't question it")? Words are cut as cues are (``n't`` read as "not"), and a negation in
    the three words before the verb cancels it.

    A quote that does so takes the side the question asks about in the question's own terms:
    :func:`retrieval.sides.actor_quotes` puts it first on the actor's line, a mixed one included."""
    parts = verb.split()
    if len(parts) != 1:
        return False
    stem = base_form(parts[0])
    stem = stem[:-1] if stem.endswith("e") else stem
    if len(stem) < 4:
        return False
    tokens = _tokens(words)
    return any(t.startswith(stem) and not _NEGATIONS & set(tokens[max(0, i - 3):i]) for i, t in enumerate(tokens))


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


@dataclass(frozen=True)
class Target:
    """The proposition's content-word stems, and the ones that can name it alone: its head
    noun (the last content word before any "of/in/for/…" phrase), hyphenated compounds
    ("hospital-led"), the initials of its head phrase ("ICOs"), each head of a coordinated head
    ("competition and markets"), and a name in brackets ("(JASTA)"). ``kinds``: the kind of
    thing the proposition is ("act" -> law, bill, legislation …), which "this law" refers to."""

    stems: frozenset[str]
    strong: frozenset[str]
    kinds: frozenset[str] = frozenset()


# Kinds of proposition that a demonstrative refers back to: "that law" for "the Affordable Care Act".
_KINDS = (frozenset("act bill law legislation statute measure amendment".split()),
          frozenset("plan proposal policy programme program scheme reform initiative".split()),
          frozenset("deal agreement treaty accord".split()))
_DEMONSTRATIVES = {"this", "that", "these", "those"}


def target_terms(proposition: str | None) -> Target:
    if not proposition:
        return Target(frozenset(), frozenset())
    words = [w for w in _tokens(proposition)]
    content = [w for w in words if w not in _STOP and len(w) > 2]
    head_phrase = re.split(r"\b(?:of|in|for|on|at|to|with|via|from|under|by)\b|[(/]", proposition.lower())[0]
    head_words = [w for w in _tokens(head_phrase) if w not in _STOP and len(w) > 2] or content
    strong = {_stem(head_words[-1])} if head_words else set()
    # A coordinated head names each of its conjuncts: "competition and markets" is about competition too.
    for conjunct in re.split(r"\b(?:and|or)\b|&", head_phrase)[:-1]:
        words = [w for w in _tokens(conjunct) if w not in _STOP and len(w) > 2]
        if words:
            strong.add(_stem(words[-1]))
    strong |= {_stem(re.sub(r"-", "", w)) for w in re.findall(r"\w+-\w+", proposition.lower())}
    if len(head_words) >= 2:
        strong.add(_stem("".join(w[0] for w in head_words[-3:])))
    strong |= {_stem(w) for inside in re.findall(r"\(([^)]*)\)", proposition) for w in _tokens(inside)
               if w not in _STOP and len(w) > 2}  # "(JASTA)", "(Obamacare)": another name for it
    kinds = {_stem(k) for kind in _KINDS if kind & set(content) for k in kind}
    return Target(frozenset(_stem(w) for w in content), frozenset(strong), frozenset(kinds))


def _target_hits(tokens: list[str], targets: Target) -> list[int]:
    """Positions that name the target: its head, a compound, its initials or its other name, two
    of its content words in a row, or a demonstrative before its kind ("that law")."""
    stems = [_stem(t) for t in tokens]
    return [i for i, stem in enumerate(stems) if stem in targets.strong or stem in targets.stems and (
        i + 1 < len(stems) and stems[i + 1] in targets.stems or i > 0 and stems[i - 1] in targets.stems)
        or stem in targets.kinds and i > 0 and tokens[i - 1] in _DEMONSTRATIVES]


def _name_positions(tokens: list[tuple[str, bool]]) -> set[int]:
    """Positions inside a run of two or more capitalised words that does not open the clause:
    a name ("Center for American Progress", "Tax Policy Center"), whose words are not the
    speaker's judgement."""
    glue = ("of", "for", "the", "and")
    out = set()
    for i, (word, cap) in enumerate(tokens):
        if not cap or i == 0:
            continue
        left = next((j for j in range(i - 1, -1, -1) if tokens[j][0] not in glue), None)
        right = next((j for j in range(i + 1, len(tokens)) if tokens[j][0] not in glue), None)
        if left is not None and left > 0 and tokens[left][1] or right is not None and tokens[right][1]:
            out.add(i)
    return out


# "want" is support in the speaker's own wanting ("we want …") and in wanting something done
# ("wants his staff to lead the way"), not in "they want a photo op" or a generic "you want to".
_WANTERS = {"i", "we", "i'd", "we'd"}


def _wanting(tokens: list[str], i: int) -> bool:
    before = tokens[max(0, i - 2) : i]
    if before[-1:] == ["you"]:
        return False
    return bool(set(before) & _WANTERS) or "to" in tokens[i + 1 : i + 5]


def mentions(text: str, targets: Target) -> bool:
    """Does ``text`` name the target (:func:`_target_hits`)?"""
    return bool(_target_hits(_tokens(text), targets))


@lru_cache(maxsize=8)
def _ordered_cached(key: int, phrases: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    cut = [(p, tuple(_tokens(p))) for p in phrases]
    return tuple(sorted(cut, key=lambda pc: -len(pc[1])))


def _ordered(key: int, lexicon: dict[str, float]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The lexicon's cues, longest first (a longer cue takes its words before a shorter one),
    each cut into words exactly as a quote is ("won't work" -> wo not work)."""
    return _ordered_cached(key, tuple(lexicon))


def _cue_scores(tokens: list[str], lexicon: dict[str, float], used: set[int],
                breaks: frozenset[int] = frozenset(), turned: Callable[[int], str | None] | None = None,
                at: list[tuple[int, float]] | None = None, mute: set[int] = frozenset()) -> tuple[float, float, list[str]]:
    """(same-direction total, flipped total, cues) of ``lexicon`` in ``tokens``: a negation in
    the three words before a one-word cue, with no comma or dash between them, flips it at half
    weight ("not opposed" is a weak yes; in "Not good, great" only "good" is negated).
    ``used`` marks token positions already matched by a longer cue. ``turned(i)`` names why the
    cue at ``i`` judges the other way at full weight (what it is the object of, :func:`_turned`),
    or None; ``at`` collects (position, weight) of the cues kept in their own direction; a cue
    at a position in ``mute`` takes its words but counts nothing."""
    same = flipped = 0.0
    found = []
    positions: dict[str, list[int]] = {}
    for i, t in enumerate(tokens):
        positions.setdefault(t, []).append(i)
    for phrase, parts in _ordered(id(lexicon), lexicon):
        n = len(parts)
        for i in positions.get(parts[0], ()):  # only where the cue's first word is
            if tuple(tokens[i : i + n]) != parts or any(j in used for j in range(i, i + n)):
                continue
            used.update(range(i, i + n))
            if lexicon is _SUPPORT and any(t in _THREAT for t in tokens[max(0, i - 4) : i]):
                continue
            if phrase in ("want", "wants") and not _wanting(tokens, i):
                continue
            if i in mute:
                continue
            weight = lexicon[phrase]
            reason = turned(i) if turned is not None else None
            if reason:
                flipped += weight
                found.append(f"{reason} {phrase}")
            # A negation that belongs to another cue ("no one more experienced") negates nothing.
            elif n == 1 and any(tokens[j] in _NEGATIONS and j not in used and not _crosses(breaks, j, i)
                              for j in range(max(0, i - 3), i)):
                flipped += weight / 2
                found.append("not " + phrase)
            else:
                same += weight
                found.append(phrase)
                if at is not None:
                    at.append((i, weight))
    return same, flipped, found


# What a cue is the object of can turn it (the polarity of the whole, not of the word):
# an ill the speaker would remedy ("closing loopholes", "protect patients from harm", "defend
# himself against an attack", "break free from tyranny") is no judgement against the target ...
_REMEDY = {"close", "closes", "closing", "closed", "fix", "fixes", "fixing", "tackle", "tackles", "tackling",
           "fight", "fights", "fighting", "combat", "combating", "combatting", "reduce", "reduces", "reducing",
           "eliminate", "eliminates", "eliminating", "end", "ends", "ending", "prevent", "prevents", "preventing",
           "curb", "curbs", "curbing", "protect", "protects", "protecting", "defend", "defends", "defending",
           "defended", "shield", "shields", "free", "rid", "solve", "solves", "solving", "resist", "resisting"}
_FROM = {"against", "from"}
# ... a good word under pretence is a charge of bad faith ("the appearance of being legitimate") ...
_PRETENCE = {"appearance", "pretend", "pretends", "pretending", "pretended", "pose", "poses", "posing", "masquerade",
             "masquerading", "guise", "veneer", "facade", "illusion", "socalled", "supposedly", "purportedly"}
# ... and a charge against another's attempt ("Republicans are trying to make political hay out of
# this", "they will stop at nothing to damage …") attacks those people, not the proposition.
_ATTEMPT = {"trying", "try", "tries", "tried", "attempting", "attempt", "attempts", "seeking", "seek", "seeks",
            "effort", "efforts", "bid"}
_THIRD = {"they", "he", "she", "them", "those", "others"}
_SELF = {"i", "we", "you", "us", "me", "i'm", "we're", "you're", "i'd", "we'd", "i've", "we've", "our", "my"}
# An infinitive after these is the speaker's or subject's own intent ("we need to scrap the plan"),
# not a rejection under judgement.
_INTENT = {"have", "has", "had", "need", "needs", "want", "wants", "wanted", "going", "ought", "got", "able",
           "must", "will", "would", "should", "vote", "voted", "decided", "decide", "plan", "plans", "promise",
           "promised", "pledge", "pledged", "time", "i", "we", "us", "me", "you", "urge", "urged", "call", "calls"}
# Nouns naming an act whose judgement follows it ("the president's rationales to veto X don't hold weight").
_ACT_NOUNS = {"decision", "decisions", "rationale", "rationales", "reason", "reasons", "attempt", "attempts",
              "effort", "efforts", "move", "moves", "bid", "push", "refusal", "threat", "threats", "choice", "vote"}
_COPULA = {"is", "are", "was", "were", "be", "been"}
_NOT_GERUNDS = {"nothing", "something", "anything", "everything", "thing", "things", "morning", "evening",
                "during", "according", "king", "spring", "string", "bring", "sing", "being"}


def _third_party(tagged: list[tuple[str, bool]], m: int, targets: Target) -> bool:
    """The nearest agent before position ``m`` (within six words) is someone else: "they", "he",
    a capitalised word or a noun after "the" that is not the proposition's ("Republicans are
    trying …", "the council has been trying …")."""
    for j in range(m - 1, max(-1, m - 7), -1):
        word, cap = tagged[j]
        if word in _SELF:
            return False
        # "they", "Republicans", "the council": a name, or a noun after "the".
        named = cap or j > 0 and tagged[j - 1][0] == "the"
        if word in _THIRD or named and word not in _STOP and _stem(word) not in targets.stems:
            return True
    return False


def _turner(tagged: list[tuple[str, bool]], breaks: frozenset[int], targets: Target, lexicon: dict,
            hits: set[int]):
    """``turned(i)`` for :func:`_cue_scores`: why the cue at ``i`` judges the other way
    (``hits``: the positions naming the target)."""
    tokens = [w for w, _ in tagged]

    def reach(j: int, i: int) -> bool:
        return not _crosses(breaks, j, i)

    def turned(i: int) -> str | None:
        if lexicon is _OPPOSE:
            for j in range(max(0, i - 3), i):
                if tokens[j] in _REMEDY and reach(j, i):
                    return "remedies"
            for k in range(max(0, i - 8), i + 1):
                if tokens[k] in _FROM and reach(k, i) and any(
                        tokens[j] in _REMEDY and reach(j, k) for j in range(max(0, k - 3), k)):
                    return "remedies"
            if not any(h in hits for h in range(i + 1, i + 4)):  # "trying to pass a reckless plan" judges it
                for m in range(max(0, i - 10), i):
                    attempt = tokens[m] in _ATTEMPT or tokens[m] == "nothing" and m > 0 and tokens[m - 1] == "at"
                    if attempt and reach(m, i) and _third_party(tagged, m, targets):
                        return "charges others' attempt:"
        elif lexicon is _SUPPORT:
            if any(tokens[j] in _PRETENCE and reach(j, i) for j in range(max(0, i - 4), i)):
                return "pretence of"
        return None

    return turned


def _judged(tokens: list[str], r: int, i: int, opposed: list[tuple[int, float]]) -> float:
    """The weight of the bad words that judge the rejection at ``r`` of the target at ``i``:
    "It is disqualifying … to refuse to release the returns" (before it), "Refusing to release
    them is disqualifying", "the rationales to veto the Act don't hold weight" (after it). A
    rejection in the speaker's own intent ("we need to scrap the plan, a disaster") is not judged."""
    infinitive = r >= 1 and tokens[r - 1] == "to" and (r < 2 or tokens[r - 2] not in _INTENT)
    gerund = r == 0 and tokens[r].endswith("ing") and tokens[r] not in _NOT_GERUNDS
    if not (infinitive or gerund):
        return 0.0
    subject = gerund or infinitive and r >= 2 and tokens[r - 2] in _ACT_NOUNS
    return sum(w for p, w in opposed if p < r - 1 or subject and p > i)


def _clause_scores(clause: str, targets: Target) -> tuple[float, float, float, float, list[str]]:
    """(support, oppose) from evaluative words and (support, oppose) from what the clause does
    to the target, with the cues found."""
    tagged, breaks = _tokenize_marked(clause)
    tokens = [w for w, _ in tagged]
    used: set[int] = _name_positions(tagged)  # names are not judgements: no cue matches in them
    _cue_scores(tokens, _NEUTRAL, used)
    # "Making X synonymous with an insult is a shot in the arm": a gerund subject is what is
    # judged; the predicate's words judge it, the subject's words only describe it.
    subject: set[int] = set()
    if tokens and tokens[0].endswith("ing") and len(tokens[0]) > 4 and tokens[0] not in _NOT_GERUNDS:
        c = next((k for k, t in enumerate(tokens) if t in _COPULA), None)
        if c is not None and any(_cue_scores(tokens[c:], lex, {j - c for j in used if j >= c})[0]
                                 for lex in (_SUPPORT, _OPPOSE)):
            subject = set(range(c))
    opposed: list[tuple[int, float]] = []
    hits = _target_hits(tokens, targets) if targets.stems else []
    sup, sup_flip, sup_cues = _cue_scores(tokens, _SUPPORT, used, breaks,
                                          _turner(tagged, breaks, targets, _SUPPORT, set(hits)), mute=subject)
    opp, opp_flip, opp_cues = _cue_scores(tokens, _OPPOSE, used, breaks,
                                          _turner(tagged, breaks, targets, _OPPOSE, set(hits)), opposed, mute=subject)
    support, oppose = sup + opp_flip, opp + sup_flip
    cues = sup_cues + opp_cues
    t_support = t_oppose = 0.0
    if targets.stems:
        for i in hits:
            window = 12 if any(w in ("not", "never") for w in tokens[max(0, i - 12) : i]) else 4
            # Words a cue already took ("no one more experienced than Bobby Scott") reject nothing.
            before_at = [j for j in range(max(0, i - window), i) if j not in used]
            before = [tokens[j] for j in before_at]
            after = tokens[i + 1 : i + 4]
            # "rather than X" rejects X; "more experienced than X" only compares.
            rather = any(a == "rather" and b == "than" for a, b in zip(before, before[1:]))
            # "You want to abolish the Act": the one addressed rejects it, the speaker accuses them.
            accused = "you" in tokens[max(0, i - window - 3) : i]
            r = next((j for j in reversed(before_at) if tokens[j] in _REJECT_BEFORE), None)
            # "Immunity deals should not be a requirement": what the target must not be.
            deontic = after[:2] in (["should", "not"], ["must", "not"], ["ought", "not"]) or after[:1] == ["cannot"]
            if r is not None or rather or deontic or any(w in _REJECT_AFTER for w in after):
                # "Republicans' efforts to repeal that law": another's attempt, the speaker's charge.
                attempt = r is not None and any(tokens[m] in _ATTEMPT and _third_party(tagged, m, targets)
                                                for m in range(max(0, r - 3), r))
                if accused or attempt:
                    t_support = 1.0
                    cues.append(f"accuses the rejection of {tokens[i]}")
                    break
                judged = _judged(tokens, r, i, opposed) if r is not None else 0.0
                if judged:
                    # The bad words judge the rejection: against rejecting it is for it.
                    t_support, support, oppose = 1.5, support + judged, max(0.0, oppose - judged)
                    cues.append(f"condemns rejecting {tokens[i]}")
                    break
                # The clause's good words describe the alternative it prefers to the target.
                t_oppose, oppose, support = 1.5, oppose + support, 0.0
                cues.append(f"rejects {tokens[i]}")
                break
            if any(w in _WANT_BEFORE for w in before[-3:]):
                if accused:
                    break  # "you want …": the other's wish, no stance of the speaker's
                t_support = 1.0
                cues.append(f"wants {tokens[i]}")
                break
        # Advocacy is a proposal, not an indirect question ("… on whether the video should be released").
        if hits and not (support or oppose or t_support or t_oppose) and _MODAL.search(clause) \
                and not any(t in _NEGATIONS for t in tokens) and not any(t in ("whether", "if") for t in tokens[: hits[0]]):
            t_support = 0.5  # proposing the target with no judgement either way: advocacy
            cues.append("proposes")
    return support, oppose, t_support, t_oppose, cues


# A clause the speaker sets up as what one would expect ("You'd think the industry would be up in
# arms over this, but I haven't heard a peep"): the contrast that follows is with reality, and the
# expectation is the speaker's judgement.
_EXPECTATION = re.compile(r"\W*(?:you['’]d|you\s+would|one\s+would|you\s+might|you\s+could)\s+(?:have\s+)?"
                          r"(?:think|thought|expect|expected|imagine|assume)\b", re.IGNORECASE)

# A full stop after a title or an initial ends no sentence ("… that Ms. Mills cooperated").
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Reps|Gov|Gen|Lt|Col|St|Prof|Jr|Sr|Rev|Hon|No|vs|etc)|"
                           r"\b[A-Z]|\bU\.S)\.$")


def _sentences(quote: str) -> list[str]:
    out: list[str] = []
    for piece in re.split(r"(?<=[.!?…])\s+", quote):
        if out and _ABBREVIATION.search(out[-1]):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


def _clauses(quote: str) -> list[tuple[str, bool]]:
    """(clause, follows a contrast word). A sentence opening with "While/Although/Though …,"
    is a concession then a main clause; one opening with "But/However/Yet" contrasts with
    what came before."""
    out: list[tuple[str, bool]] = []
    for sentence in _sentences(quote):
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


@lru_cache(maxsize=8192)
def stance(quote: str, proposition: str | None = None) -> Stance:
    """The stance of ``quote`` toward ``proposition`` (see the module docstring)."""
    targets = target_terms(proposition)
    scored, expecting = [], []
    for text, after_contrast in _clauses(quote):
        scored.append((after_contrast, *_clause_scores(text, targets)))
        expecting.append(bool(_EXPECTATION.match(text)))
    support = oppose = 0.0
    cues: list[str] = []
    last_contrast = max((i for i, c in enumerate(scored) if c[0]), default=-1)
    previous = 0.0  # direction of the last clause with evaluative words
    expected = False  # "You'd think X would be up in arms, but …": the speaker holds X is due
    for i, (after_contrast, s, o, ts, to, c) in enumerate(scored):
        # The conclusion carries the stance: after the last contrast word double, before it half.
        weight = 1.5 if i == last_contrast else 0.75 if i < last_contrast else 1.0
        if expecting[i]:
            expected, weight = True, 1.0
        if after_contrast and s == o == 0 and previous and not (ts or to) and not expected:
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
