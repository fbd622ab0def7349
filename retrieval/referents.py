"""What a follow-up question can refer to: the actors, people, names and topic of the turn before.

Read from plain text, so it works for every client: the previous question (already made
standalone) and the previous answer as the client shows it. A who-answer lists its actors one
per line, ``- **Royal College of General Practitioners (Maureen Baker, chair)** — opposes: “…” [1]``
(bold optional, so plain text works too); a sentence answer names its speakers,
``Andy Burnham (Labour Party): “…” [1]``. Names in the question are runs of capitalised words.
The word lists are general English, never names from a corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.names import PARTIES, is_acronym, looks_like_org, person_runs
from retrieval.verbs import COMMON, past_form
from retrieval.who import WhoQuestion, parse_who

# "- **Label** — opposes: “quote” [1]" (retrieval/answer.py, Answerer._who), bold optional.
_WHO_LINE = re.compile(r"^\s*(?:[-*+•]\s+)?(?:\*\*)?(?P<label>[^\n“”]{2,300}?)(?:\*\*)?\s+[—–]\s+"
                       r"(?:opposes|supports|mixed|neutral)\s*:", re.M)
# "- Speaker (Organisation): “quote” [1]" (retrieval/answer.py, _voice).
_VOICE_LINE = re.compile(r"^\s*(?:[-*+•]\s+)?(?P<who>[^\n“”\"*:]{2,200}?):\s*[“\"]", re.M)
_ANSWERING = re.compile(r"^\s*Answering:[^\n]*\n?")
# Capitalised runs, joined by "of"/"for" (the Royal College of General Practitioners).
_NAME = re.compile(r"[A-Z][\w’'\-.]*(?:\s+(?:(?:of|for)\s+(?:the\s+)?)?[A-Z][\w’'\-.]*)*")
# Capitalised words that open a question or name a time: never a name, even mid-question.
_NOT_NAMES = frozenset("""
What Which Who Whom Whose When Where Why How Did Does Do Is Are Was Were Will Would Could Can Should
Has Have Had Must Might May Shall And But So Or The A An In On At By For From To Of With About
According Under Over After Before During Since Until If Then Also Else I
January February March April June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday""".split())
_PLACE_PREPOSITIONS = frozenset("in at from across between during since until within outside throughout "
                                "around near inside into".split())
# Heads of names that take "the": "the Royal College", "the Labour Party", "the RCGP".
_THE_HEADS = frozenset("""
College Colleges Network Trust Fund Foundation Confederation Federation Association Department
Ministry Office Agency Authority Board Commission Committee Council Union Party Group Institute
Society League Forum Alliance Centre Center Government Treasury Executive Service Inquiry Regulator
blog newspaper paper""".split())
_ABOUT = re.compile(r"\b(?:about|regarding|concerning|towards|toward)\s+(?P<t>[^?!]+)", re.I)
_SPEECH_ON = re.compile(r"\b(?:say|said|says|think|thought|comment(?:ed)?|write|wrote|tweet(?:ed)?|speak|spoke|"
                        r"respond(?:ed)?|react(?:ed)?)\s+(?:on|of|to)\s+(?P<t>[^?!]+)", re.I)
# "How many home care workers would …", "Which senators oppose …": what "they" may be next.
_COUNTED = re.compile(r"^\s*(?:how\s+many|which)\s+(?P<np>(?:[a-z][\w\-]*\s+){0,3}[a-z][\w\-]*s)\b(?!['’])", re.I)
_PLAN_NOUNS = {"announce": "announcement", "announced": "announcement", "propose": "proposal",
               "proposed": "proposal", "plan": "plan", "planned": "plan", "promise": "promise",
               "promised": "promise", "pledge": "pledge", "pledged": "pledge", "unveil": "plan",
               "unveiled": "plan"}
_PROPOSED = re.compile(r"\b(?P<verb>" + "|".join(_PLAN_NOUNS) + r")\s+(?:about|regarding|concerning)\b", re.I)
_IDENTITY = re.compile(r"^\s*who\s+(?:is|was|are|were)\b", re.I)
_OWN = re.compile(r"\b(?:his|her)\b(?=\s+\w)", re.I)
# "What did Norman Lamb invite councils to bid for?": "it" next is what he invited them to bid for.
_WHAT_DID = re.compile(r"^\s*what\s+(?P<aux>did|does|do|will|would|has|have|had|is|was|are|were)\s+(?P<rest>.+)$",
                       re.I | re.S)
_DETERMINERS = frozenset("the a an this that these those its their his her our your my".split())
_NOT_VERBS = frozenset("""the a an this that these those its their his her our your my of for and or to in on
at by with from not also just really actually first later finally then still ever never already
""".split())
_TRAILING = re.compile(r"(?:,\s*(?:according\s+to|in\s+the\s+view\s+of)\b.*|[\s?.!,;:]+)$", re.I | re.S)


@dataclass(frozen=True)
class Referents:
    """What the turn before offers a follow-up, all plain text.

    ``question``: the previous question, standalone. ``actors``: the actors its answer listed,
    in order (who-answers). ``voices``: the speakers its answer quoted (sentence answers).
    ``people``: persons among them and in the question. ``names``: actor-like names in the
    question, in order (the subject first). ``topic``: what the question was about (a
    who-question's proposition, "… say about X", or its last noun phrase).
    """

    question: str
    actors: tuple[str, ...] = ()
    voices: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    topic: str | None = None
    who: WhoQuestion | None = None
    asked_about: tuple[str, ...] = ()  # "the home care workers" of "how many home care workers …"
    asked_for: str | None = None  # no topic: what a "what …?" question asked for (answer_topic)

    def thing(self) -> str | None:
        """What "it" or a final "that" is: the topic, else what the question asked for."""
        return self.topic or self.asked_for

    def group(self) -> tuple[str, ...]:
        """Who "they" are: the listed actors, else what the question counted or picked ("how
        many home care workers …", "which senators …"), else its names, else the speakers."""
        return self.actors or self.asked_about or self.names or self.voices

    def person(self) -> str | None:
        """Who "he" or "she" is: a person named in the question, else the first person quoted."""
        named = [n for n in self.names if n in self.people]
        return (named or list(self.people) or [None])[0]

    def organisation(self) -> str | None:
        """What "its" belongs to: the one organisation of the turn, if there is exactly one."""
        orgs = [n for n in self.group() if looks_like_org(n)]
        return orgs[0] if len(orgs) == 1 else None


def referents(question: str, answer: str, inherited_topic: str | None = None) -> Referents:
    """The referents of one turn: its standalone ``question`` and ``answer`` (plain text).

    ``inherited_topic``: the topic of the turn before, for a turn that was itself a follow-up
    ("What did they write?" still concerns the visa programme the turn before asked about); it
    yields to a topic the question names and wins over :func:`answer_topic`."""
    who = parse_who(question)
    answer = _ANSWERING.sub("", answer, count=1)
    actors, people = [], []
    for m in _WHO_LINE.finditer(answer):
        name, inner = _label_parts(m.group("label").strip())
        name = _party_short(name)
        actors.append(name)
        people += inner if looks_like_org(name) else [name, *inner]
    voices = []
    for m in _VOICE_LINE.finditer(answer):
        speaker, orgs = _label_parts(m.group("who").strip())  # "Speaker (Organisation)"
        voices.append(orgs[0] if orgs else speaker)
        if not looks_like_org(speaker):
            people.append(speaker)
    topic = topic_of(question, who) or inherited_topic
    asked_for = None if topic else answer_topic(question)
    about = question.rfind(topic) if topic else -1  # names in the topic are what was discussed
    names = [n for s, _, n in name_spans(question, actors_only=True) if about < 0 or s < about]
    if _IDENTITY.match(question):
        # "Who is Monitor's chief executive?": "he" is whoever the answer names, not a name
        # in the question (that is what the person belongs to).
        people = [n for _, _, n in person_runs(answer) if " and " not in n] + people
    else:
        people += [n for n in names if not looks_like_org(n)]
    if topic:  # "… about her blood clot" stands apart from its question: "Hillary Clinton's blood clot"
        owner = ([n for n in names if not looks_like_org(n)] or [None])[0]
        topic = _OWN.sub(lambda m: f"{owner}'s" if owner else m.group(), topic)
        proposed = _PROPOSED.search(question)
        if proposed and names and who is None:
            # "What did the Department of Health announce about X?": "it" is the announcement
            noun = _PLAN_NOUNS[proposed.group("verb").lower()]
            topic = f"{possessive(noun_phrase(names[0]))} {noun} about {topic}"
    counted = _COUNTED.match(question)
    asked = ("the " + counted.group("np"),) if counted else ()
    return Referents(question, _unique(actors), _unique(voices), _unique(people), _unique(names), topic, who,
                     asked, asked_for)


def name_spans(question: str, actors_only: bool = False) -> list[tuple[int, int, str]]:
    """``(start, end, name)`` of the names in ``question`` (possessive "’s" left out). With
    ``actors_only``, names after a preposition of place or time ("in England") are skipped."""
    out = []
    for m in _NAME.finditer(question):
        words = list(re.finditer(r"\S+", m.group()))
        while words and words[0].group().rstrip(".") in _NOT_NAMES:
            words.pop(0)
        if not words:
            continue
        start = m.start() + words[0].start()
        text = question[start : m.end()]
        text = re.sub(r"[’']s?$|\.$", "", text)
        before = question[:start].split()
        if actors_only and before and before[-1].lower() in _PLACE_PREPOSITIONS:
            continue
        if text and not text.isdigit():
            out.append((start, start + len(text), text))
    return out


def topic_of(question: str, who: WhoQuestion | None = None) -> str | None:
    """What ``question`` is about, as a noun phrase to stand in for "it" or "that": a
    who-question's proposition, or what follows "about" or "say on"; None otherwise."""
    if who is not None:
        return who.proposition or None
    for pattern in (_ABOUT, _SPEECH_ON):
        m = pattern.search(question)
        if m:
            return _TRAILING.sub("", m.group("t")).strip() or None
    return None  # no reliable noun phrase: "it" then stays unresolved rather than guessed


def answer_topic(question: str) -> str | None:
    """What a "what …?" question asked for, as a free relative that can stand in for "it":
    "What did Norman Lamb invite councils to bid for?" -> "what Norman Lamb invited councils to
    bid for"; "What happened when X …?" -> "what happened when X …". None for other questions.

    The fallback when :func:`topic_of` finds no topic: the thing a follow-up's "it" points at
    is then most often the previous answer's subject matter ("Who welcomed it?")."""
    text = _TRAILING.sub("", question).strip()
    m = _WHAT_DID.match(text)
    if m is None:
        if re.match(r"^\s*what\s+[a-z]+\b", text, re.I) and len(text.split()) >= 3:
            return "what" + text.strip()[4:]
        return None
    aux, words = m.group("aux").lower(), m.group("rest").split()
    if aux not in ("did", "does", "do"):
        # "What will the plan cost?" -> "what the plan will cost" needs the subject's end; the
        # auxiliary is kept after the first word that cannot be part of it.
        verb = _first_verb(words)
        if verb is None:
            return None
        return "what " + " ".join([*words[:verb], aux, *words[verb:]])
    verb = _first_verb(words)
    if verb is None:
        return None
    form = past_form(words[verb]) if aux == "did" else words[verb]
    return "what " + " ".join([*words[:verb], form, *words[verb + 1:]])


def _first_verb(words: list[str]) -> int | None:
    """Index of the verb after a question's subject: a common verb if there is one, else the
    first lowercase word that is not a function word and follows neither a determiner nor a
    possessive (so "the government plan to …" finds "plan")."""
    candidates = []
    for i, w in enumerate(words):
        if i == 0 or not w[:1].islower() or not w.isalpha() or w.lower() in _NOT_VERBS:
            continue
        before = words[i - 1].lower()
        if before in _DETERMINERS or re.search(r"['’]s?$", before):
            continue
        candidates.append(i)
    for i in candidates:
        if words[i].lower() in COMMON:
            return i
    return candidates[0] if candidates else None


def noun_phrase(name: str) -> str:
    """``name`` as it reads inside a sentence: "the Labour Party", "the RCGP", "National Voices"."""
    words = name.split()
    if not words or words[0].lower() == "the":
        return name
    if words[-1] in _THE_HEADS or " of " in name or (len(words) == 1 and is_acronym(words[0])):
        return "the " + name
    return name


def join_names(names: tuple[str, ...] | list[str]) -> str:
    """ "A", "A and B", "A, B, and C" (the serial comma keeps two names from reading as one)."""
    phrases = [noun_phrase(n) for n in names]
    if len(phrases) <= 2:
        return " and ".join(phrases)
    return ", ".join(phrases[:-1]) + ", and " + phrases[-1]


def possessive(name: str) -> str:
    """ "Andy Burnham's", "National Voices'"."""
    return name + ("'" if name.endswith("s") else "'s")


def _label_parts(label: str) -> tuple[str, list[str]]:
    """ "Org (Person, role; Person2)" -> ("Org", ["Person", "Person2"]); a label without
    parentheses is a name alone; "(the publication itself)" names no person."""
    m = re.fullmatch(r"(?P<head>.+?)\s*\((?P<inner>[^()]*)\)", label)
    if not m:
        return label, []
    inner = m.group("inner").strip()
    if inner == "the publication itself":
        return m.group("head"), []
    return m.group("head"), [p.split(",")[0].strip() for p in inner.split(";") if p.strip()]


def _party_short(name: str) -> str:
    """ "Labour Party" -> "Labour", "Conservative Party" -> "Conservatives": how a text names a
    party (an answer's labels use the full name, which the sources may never spell out)."""
    if not name.endswith(" Party"):
        return name
    short = name[: -len(" Party")]
    if short.lower() + "s" in PARTIES:
        return short + "s"
    return short if short.lower() in PARTIES else name


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))
