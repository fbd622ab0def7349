"""Questions about what one speaker said: "How did X react to Y?", "What did X say about Y?",
"What did X urge …?", "What was X's response to Y?".

The answer to such a question is X's own words, and news text surrounds them with narration
that repeats the question's words ("X reacted angrily on Friday to Y") while the quote itself
often does not ("Tell that to the janitor," Mr. Biden said). So the composer:

1. reads X and the topic Y from the question (:func:`parse_speaker_question`);
2. finds X's own words among the candidate sentences (:func:`voice_of`): a quote, tweet or
   comment the index attributes to X (``own``), X's reported speech (``reported``), or a
   sentence that names X beside quotation marks ("…, which Apple's chief executive, Tim Cook,
   called ''total political crap''": ``named``);
3. lets X's words stand on the relevance of the passage they are in (a quote answers the
   topic its passage is about) and ranks them above narration and other speakers
   (:func:`prefer_own_words`).

X is matched to a sentence's speaker, organisation and role by name (a surname, a full name,
an acronym "the CBI"), and for "X's lawyer", "X's campaign", "Blackpool's hoteliers" by the
owner's name or the role noun. No corpus names; plain data and pure functions.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from typing import Callable

from index.attribution.lexicon import ORG_NOUNS
from retrieval.abstain import named_things
from retrieval.evidence import Scored, Sentence, neighbourhood, terms
from retrieval.focus import addresses, focus_terms

_AUX = r"(?:did|does|do|has|have|had|will|would|could|might)"
_REACT = re.compile(
    rf"^\s*how\s+{_AUX}\s+(?P<x>.+?)\s+(?:react|respond|reply|answer|greet|receive|take|handle)(?:ed)?\b"
    r"\s*(?:to\s+)?(?P<y>.*?)[\s?.!]*$", re.IGNORECASE | re.DOTALL)
_SAY = re.compile(
    rf"^\s*what\s+{_AUX}\s+(?P<x>.+?)\s+(?P<verb>say|tell|urge|think|write|tweet|argue|claim|warn|ask|suggest|"
    r"predict|promise|pledge|call\s+for|want|propose|recommend|describe|announce|admit|insist|reply|"
    r"respond|answer)\b\s*(?P<y>.*?)[\s?.!]*$", re.IGNORECASE | re.DOTALL)
_RESPONSE = re.compile(
    r"^\s*what\s+(?:was|is|were|are)\s+(?P<x>.+?)[’']s?\s+(?:reaction|response|reply|answer|verdict|view|"
    r"position|message|advice)\s+(?:to|on|about|of|for)\s+(?P<y>.*?)[\s?.!]*$", re.IGNORECASE | re.DOTALL)
_SPOKEN = ("quote", "tweet", "comment")
# Ranks of a sentence as X's words: own words, reported speech, a sentence naming X by a quote.
VOICES = {"own": 3, "reported": 2, "named": 1}
_ROLE_STOP = frozenset("the a an of and for in on at to by with from former retired then current new".split())
_TITLE_WORDS = frozenset("mr mrs ms dr sir sen rep gov gen lt col president senator governor".split())


@dataclass(frozen=True)
class SpeakerQuestion:
    """``speaker``: who is asked about as written ("Blackpool's hoteliers", "the CBI");
    ``names``: the capitalised names in it ("Joe Biden", "Blackpool"); ``head``: the last
    name when the phrase ends with one (the person: "… secretary of state Jon Husted"), else
    None; ``role_words``: its lower-case content words ("hoteliers", "lawyer");
    ``topic``: what the question asks about ("losing the Labour conference")."""

    speaker: str
    names: tuple[str, ...]
    head: str | None
    role_words: tuple[str, ...]
    topic: str
    verb: str
    parts: tuple["SpeakerQuestion", ...] = ()  # "What did A, B and C say …": each of them


def parse_speaker_question(question: str) -> SpeakerQuestion | None:
    """X and Y of "How did X react to Y?", "What did X say about Y?", "What was X's response to
    Y?"; None for any other question."""
    m = _REACT.match(question)
    verb = "react"
    if m is None:
        m = _SAY.match(question)
        verb = m.group("verb").lower() if m else verb
    if m is None:
        m = _RESPONSE.match(question)
        verb = "respond"
    if m is None:
        return None
    # "What did Burnham originally propose": the adverb is not part of who.
    x = re.sub(r"(?:\s+(?:\w+ly|also|first|once|ever|really))+$", "", m.group("x").strip(" ,"), flags=re.IGNORECASE)
    y = re.sub(r"^(?:about|on|of|regarding|when|after)\s+", "", m.group("y").strip(), flags=re.IGNORECASE)
    members = [p for p in re.split(r",\s*(?:and\s+)?|\s+and\s+", x) if p.strip()]
    if len(members) > 1 and all(_name_runs(p) for p in members):
        # "What did the RCGP, National Voices and the NHS Confederation say about GPs?" (a
        # follow-up rewritten from a who-answer): the words of any of them answer.
        parts = tuple(_speaker(p.strip(), y, verb) for p in members)
        return SpeakerQuestion(x, tuple(n for p in parts for n in p.names), None, (), y, verb, parts)
    return _speaker(x, y, verb)


def _speaker(x: str, y: str, verb: str) -> SpeakerQuestion:
    names = tuple(n for n in (_strip_possessive(r) for r in _name_runs(x)) if n)
    words = re.findall(r"[\w’'\-]+", x)
    head = names[-1] if names and _strip_possessive(words[-1]) == names[-1].split()[-1] else None
    role_words = tuple(w.lower() for w in words if w[:1].islower() and w.lower() not in _ROLE_STOP)
    return SpeakerQuestion(x, names, head, role_words, y, verb)


def _name_runs(text: str) -> list[str]:
    """Runs of capitalised words ("Ildefonso Guajardo Villarreal", "Air Force", "IMF's")."""
    return re.findall(r"[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*)*", text)


def _strip_possessive(word: str) -> str:
    return re.sub(r"[’']s?$", "", word.strip(" ,."))


def _words(text: str | None) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", (text or "").lower().replace("’s", "").replace("'s", ""))
            if w not in _TITLE_WORDS]


def _name_matches(name: str, text: str | None) -> bool:
    """``name`` ("Joe Biden", "CBI", "Blackpool") names the same one as ``text`` (a speaker or
    organisation): the same surname, every word of one in the other, or an acronym of it."""
    if not text:
        return False
    a, b = _words(name), _words(text)
    if not a or not b:
        return False
    if a[-1] == b[-1] and (len(a[-1]) >= 3):
        return True  # surname ("Biden" / "Joseph R. Biden Jr." ends "jr": handled below)
    if set(a) <= set(b) or set(b) <= set(a):
        return True
    initials = "".join(w[0] for w in b if w not in ("of", "and", "the", "for"))
    if len(a) == 1 and len(a[0]) >= 2 and a[0] == initials:
        return True  # "CBI" = "Confederation of British Industry"
    stripped = [w for w in b if w not in ("jr", "sr", "ii", "iii")]
    if stripped and a[-1] == stripped[-1]:
        return True
    # A surname inside a longer speaker string the index could not trim ("Obama Says …").
    return len(a) >= 2 and len(a[-1]) >= 4 and a[-1] in b


def _role_matches(role_words: tuple[str, ...], *texts: str | None) -> bool:
    """A role noun of the question ("hoteliers", "lawyer") shares a five-letter stem with the
    sentence's role or organisation ("hotel association", "lawyer")."""
    words = [w for t in texts for w in _words(t)]
    return any(r[:5] == w[:5] for r in role_words if len(r) >= 5 for w in words if len(w) >= 5)


def speaks_for(s: Sentence, q: SpeakerQuestion) -> bool:
    """Is the sentence's speaker (or organisation) the one the question asks about?"""
    if q.parts:
        return any(speaks_for(s, part) for part in q.parts)
    if q.head is not None:
        if _name_matches(q.head, s.speaker) or _name_matches(q.head, s.organisation):
            return True  # the person, or the body named ("the CBI") that a spokesperson speaks for
        # "Donald Trump's lawyer": the owner's organisation and the role noun.
        owners = [n for n in q.names if n != q.head]
        return bool(owners) and any(_name_matches(o, s.organisation) for o in owners) and \
            _role_matches(q.role_words, s.role, s.speaker)
    if any(_name_matches(n, s.organisation) or _name_matches(n, s.speaker) for n in q.names):
        # "Jill Stein's campaign", "the CBI", "Blackpool's hoteliers" (owner and role both, when
        # the question names a role: Blackpool's council is not its hoteliers).
        return not q.role_words or _role_matches(q.role_words, s.role, s.organisation, s.speaker) or \
            any(r in ("campaign", "team", "camp", "spokesman", "spokeswoman", "office") for r in q.role_words)
    # "How did the hoteliers react?": no name, so the role noun alone.
    return not q.names and bool(q.role_words) and _role_matches(q.role_words, s.organisation, s.role)


_QUOTE_MARK = re.compile(r"[“”\"]|''|‘[^’]{3,}’")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|''.*?''|‘[^’]*’")


_SPEECH_VERB = re.compile(r"\b(?:said|says|say|told|tells|added|adds|according|stated|wrote|writes|tweeted|urged|"
                          r"urges|warned|warns|argued|argues|insisted|declared|responded|replied|called)\b", re.IGNORECASE)


# Speech verbs whose object is the one spoken to ("… ,” Warren told Stumpf).
_ADDRESSED = frozenset("""told tells tell asked asks ask urged urges warned warns pressed presses reminded reminds
informed assured assures questioned grilled challenged thanked congratulated""".split())


def _mentions(s: Sentence, q: SpeakerQuestion, in_tag: bool = False) -> bool:
    """The sentence names X (surname, or a one-word name such as "CBI"); with ``in_tag``, only
    within six words of a speech verb outside quoted words ("Richard Lambert, the CBI director
    general, said: “…”"), where it says whom the speaker speaks for."""
    if q.parts:
        return any(_mentions(s, part, in_tag) for part in q.parts)
    target = q.head or (q.names[-1] if q.names else None)
    words = _words(target)
    if not words:
        return False
    if not in_tag:
        return bool(re.search(rf"\b{re.escape(words[-1])}\b", s.text.lower()))
    frame = _QUOTED.sub(" | ", s.text).lower()
    tokens = re.findall(r"[a-z0-9]+|\|", frame.replace("’s", "").replace("'s", ""))
    for i, tok in enumerate(tokens):
        if tok == words[-1]:
            before = [t for t in tokens[max(0, i - 3) : i] if t not in _TITLE_WORDS and t not in words[:-1]]
            if before and before[-1] in _ADDRESSED:
                continue  # "Warren told Stumpf": X is spoken to, not spoken for
            window = tokens[max(0, i - 6) : i + 7]
            if "|" not in window[: window.index(tok)] and _SPEECH_VERB.search(" ".join(window)) and (
                    not q.role_words or _role_matches(q.role_words, " ".join(window))):
                return True
    return False


def voice_of(s: Sentence, q: SpeakerQuestion, tag: Sentence | None = None) -> str | None:
    """"own", "reported" or "named" when the sentence holds X's words, else None.

    ``tag``: the sentence right after it in the same passage, when the index split a quote
    from its speech tag (“It is a vindication,” / Mr Conlon said.)."""
    if s.actor and speaks_for(s, q):
        return "own" if s.kind in _SPOKEN else "reported"
    if s.actor:
        # Someone else's words, unless they speak for X ("the CBI director general, said").
        return "reported" if s.kind in _SPOKEN and _QUOTE_MARK.search(s.text) and _mentions(s, q, in_tag=True) \
            else None
    if _transcript_turn(s, q):
        return "own"
    if not _QUOTE_MARK.search(s.text):
        return None
    if tag is not None and tag.actor and speaks_for(tag, q) and len(tag.text.split()) <= 8:
        return "own"
    return "named" if _mentions(s, q) else None


def _transcript_turn(s: Sentence, q: SpeakerQuestion) -> bool:
    """A transcript's turn: the sentence's line opens with X's surname in capitals and a colon
    ("PENCE: Well, look, …")."""
    if q.parts:
        return any(_transcript_turn(s, part) for part in q.parts)
    target = q.head or (q.names[-1] if q.names else None)
    words = _words(target)
    if not words:
        return False
    line_start = s.hit.text.rfind("\n", 0, s.start - s.hit.start) + 1
    line = s.hit.text[line_start : s.end - s.hit.start].lstrip("\"“'‘ ")
    return bool(re.match(rf"(?:[A-Z.]+\s+)?{re.escape(words[-1].upper())}:", line))


def voices(scored: list[Scored], q: SpeakerQuestion) -> dict[tuple[str, int], str]:
    """``{(source, start): voice}`` for every candidate sentence holding X's words."""
    by_source: dict[str, list[Sentence]] = {}
    for item in scored:
        by_source.setdefault(item.sentence.hit.source, []).append(item.sentence)
    out = {}
    for sentences in by_source.values():
        sentences.sort(key=lambda x: x.start)
        for i, sent in enumerate(sentences):
            nxt = sentences[i + 1] if i + 1 < len(sentences) else None
            tag = nxt if nxt is not None and not sent.hit.text[sent.end - sent.hit.start : nxt.start - sent.hit.start].strip() \
                and nxt.start >= sent.end else None
            voice = voice_of(sent, q, tag)
            if voice is not None:
                out[(sent.hit.source, sent.start)] = voice
    return out


# How X's words are ranked (chosen on both eval corpora's what-said and reaction questions,
# eval/README.md): a quote stands on the best score within NEAR sentences of it, and leads
# when that reaches FLOOR times the best score; KEEP_OWN of X's sentences come before the best
# other sentence.
NEAR = 2
FLOOR = 0.5
KEEP_OWN = 2


def prefer_own_words(scored: list[Scored], q: SpeakerQuestion, near: int | None = None,
                     floor: float | None = None) -> list[Scored]:
    """``scored`` re-ranked so X's words come first.

    A sentence of X's words scores at least 0.95 of the best sentence within ``near``
    sentences of it in the same passage (the narration that introduces it carries the topic).
    Those reaching ``floor`` times the best score lead, own words before reported speech
    before sentences that only name X, each by score; everything else follows by score.
    """
    if not scored:
        return scored
    near = NEAR if near is None else near
    floor = FLOOR if floor is None else floor
    found = voices(scored, q)
    context = neighbourhood(scored, near)
    best = scored[0].score
    lead, rest = [], []
    for item in scored:
        voice = found.get((item.sentence.hit.source, item.sentence.start))
        if voice is None:
            rest.append(item)
            continue
        # A sentence that only names X beside a quote must be relevant on its own.
        around = context[(item.sentence.hit.source, item.sentence.start)] if voice != "named" else 0.0
        lifted = dataclasses.replace(item, score=max(item.score, 0.95 * around))
        if lifted.score >= floor * best:
            lead.append((VOICES[voice], lifted))
        else:
            rest.append(lifted)
    lead.sort(key=lambda vi: (-vi[0], -vi[1].score, vi[1].sentence.hit.rank, vi[1].sentence.start))
    rest.sort(key=lambda s: (-s.score, s.sentence.hit.rank, s.sentence.start))
    if not lead:
        return rest
    # After X's two best sentences comes the best of the rest when it outscores them all (the
    # narration that sets the scene, or a report of X's words by someone else), then X's other
    # sentences. Scores rise to the best, so a composer cutting at a share of the best keeps them.
    ordered = [x for _, x in lead]
    if rest and rest[0].score > max(x.score for x in ordered):
        ordered = ordered[:KEEP_OWN] + [rest.pop(0)] + ordered[KEEP_OWN:]
    top = max(best, *(x.score for x in ordered))
    return [dataclasses.replace(x, score=top) for x in ordered] + rest


def named_speaker(q: SpeakerQuestion) -> bool:
    """The question names who it asks about (a person, "the CBI", "Jill Stein's campaign"),
    rather than describing them ("a reader", "the author of the review", "Monitor's chief
    executive"): only then can the sources be said to hold none of their words."""
    if q.parts:
        return all(named_speaker(part) for part in q.parts)
    if q.head is not None:
        return True
    return bool(q.names) and all(r in ORG_NOUNS or r in ("campaign", "team", "office") for r in q.role_words)


def unanswered(scored: list[Scored], q: SpeakerQuestion, idf: dict[str, float],
               similarity: Callable[[str, list[Sentence]], list[float]] | None) -> str | None:
    """Why X's words cannot answer, or None: "no words" when no candidate sentence is X's (for a
    named X), "off topic" when X's sentences, and the passages they stand in, hold nothing of
    the topic Y and none comes close to it in meaning (:mod:`retrieval.focus`)."""
    if not named_speaker(q):
        return None
    found = voices(scored, q)
    own = [item.sentence for item in scored if (item.sentence.hit.source, item.sentence.start) in found]
    if not own:
        return "no words"
    speaker_terms = {t for w in re.findall(r"[\w’'\-]+", q.speaker) for t in terms(w)}
    # The names in the topic are checked by the names rule (retrieval/abstain.py); the topic's
    # focus is what is said of them ("when Elizabeth Warren told him to *resign*").
    topic_names = {t for name in named_things("_ " + q.topic) for w in name for t in terms(w)}
    focus = focus_terms(q.topic, speaker_terms) if not topic_names else \
        focus_terms(q.topic, speaker_terms | topic_names) or focus_terms(q.topic, speaker_terms)
    passages = [f"{s.hit.title or ''} {s.hit.text}" for s in own]
    cosine = (lambda: max(similarity(q.topic, own), default=0.0)) if similarity is not None else None
    return None if addresses(focus, passages, idf, cosine) else "off topic"
