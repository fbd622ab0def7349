"""When the sources do not answer: checks a question's evidence must pass before it is answered.

Three rules, each general to extractive question answering:

1. Named things: every name in the question (a run of capitalised words after its first word,
   an acronym, "Lib Dem") must occur in the retrieved passages, word by word as a prefix
   ("Lib Dem" ~ "Liberal Democrat", "Conservatives" ~ "Conservative"). A question about
   someone the sources never name is not answered from passages about someone else. Of names
   listed together ("what did A, B, and C say"), one is enough. A person may be named another
   way: "Joseph R. Biden" or "Mr. Biden" for "Joe Biden".
2. Answer type: "how many N" needs a number within a few words before N (or N's acronym,
   "foundation trusts" ~ "FTs"); "how much / how long / how old / by how much" needs a number.
   Numbers may be written in words ("twenty-seven", "a dozen", "up to eight": retrieval/numbers.py).
   The number's own sentence must carry what the question measures (retrieval/measure.py:
   "how much did X *pay*", "the margin *of error*", "what share of *Latino* voters *support*").
3. Strength: the best sentence's score (see :mod:`retrieval.evidence`) must reach a threshold
   calibrated on the eval set's answerable vs unanswerable questions (eval/README-answers.md).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from index.attribution.lexicon import COMMON_CAPS, DOC_NOUNS, ORG_NOUNS
from retrieval.evidence import terms
from retrieval.measure import measured_by
from retrieval.numbers import SCALE_WORDS, has_number, number_at
from retrieval.numbers import tokens as number_tokens

_HOW_MANY = re.compile(r"\bhow\s+many\s+(?P<np>(?:[\w’'\-]+\s+){0,4}?[\w’'\-]+?)\s+"
                       r"(?=(?:did|do|does|were|was|are|is|would|will|could|can|have|has|had|took|take|"
                       r"committed|voted|received|warned|got|get|been)\b)", re.IGNORECASE)
_NEEDS_NUMBER = re.compile(r"\bhow\s+(?:much|old|far|big|large)\b|\bwhat\s+(?:share|"
                           r"proportion|percentage|amount|sum|fraction)\b|\bwhat\s+(?:was|is|were|are|will\s+be)\s+"
                           r"the\s+(?:margin|rate|price|cost|total|size|population|salary|fee|fine|turnout|budget|"
                           r"value|share|percentage|proportion|number)\b", re.IGNORECASE)
_NEEDS_TIME = re.compile(r"\bhow\s+(?:long|quickly|soon|often|much\s+time)\b", re.IGNORECASE)
_TIME_UNIT = re.compile(r"\b(?:second|minute|hour|day|week|fortnight|month|year|decade)s?\b", re.IGNORECASE)
_BETWEEN = {"of", "the", "and", "more", "new", "extra", "further", "additional", "other", "than", "over",
            "some", "about", "around", "almost", "nearly", "a", "an"}
_QUESTION_WORDS = {"Who", "What", "Which", "When", "Where", "Why", "How", "Did", "Does", "Do", "Is", "Are",
                   "Was", "Were", "Will", "Would", "Could", "Can", "Should", "Has", "Have", "Had", "Under",
                   "According", "By", "Over", "In", "On", "At", "For", "From", "To", "Must", "If"}
_NAME = re.compile(r"(?:[A-Z][\w’'\-]*|[A-Z]{2,}\w*)(?:\s+(?:[A-Z][\w’'\-]*|of|and|the|for))*")


def named_things(question: str) -> list[list[str]]:
    """Names in the question, each a list of words (the question's first word is skipped)."""
    words = question.split(maxsplit=1)
    body = words[1] if len(words) > 1 else ""
    out = []
    for m in _NAME.finditer(body):
        # A possessive ends a name: "Apple's Tim Cook" is Apple and Tim Cook.
        for run in re.split(r"(?<=[’']s)\s+", m.group()):
            parts = [w for w in re.findall(r"[\w’'\-]+", run) if w not in ("of", "and", "the", "for")]
            parts = [re.sub(r"[’']s$", "", w) for w in parts]
            parts = [w for w in parts if w and w not in _QUESTION_WORDS and w not in COMMON_CAPS or w.isupper()]
            if parts and not all(w in COMMON_CAPS and not w.isupper() for w in parts):
                out.append(parts)
    return out


_CONNECTIVES = {"of", "and", "the", "for", "&"}


def _norm(word: str) -> str:
    return word.lower().replace("’", "'").removesuffix("'s").rstrip("s")


@lru_cache(maxsize=2048)
def _words(text: str) -> tuple[str, ...]:
    """Normalised words, hyphenated compounds split ("NHS-style" -> "nh", "style"), connectives
    dropped so "Department of Health" and "Department Health" agree. (Cached: the same passages
    are checked question after question.)"""
    return tuple(_norm(w) for w in re.findall(r"[^\W_]+(?:[’'][^\W_]+)?", text) if w.lower() not in _CONNECTIVES)


def name_found(name: list[str], text_words: Sequence[str]) -> bool:
    """``name``'s words occur in order in ``text_words``, each as a prefix of a text word."""
    wanted = [w for part in name for w in _words(part)]
    if len(wanted) > 1 and "".join(w[0] for w in wanted) in text_words:
        return True  # "Department of Health" ~ "DH"
    for i in range(len(text_words) - len(wanted) + 1):
        if all(_prefix(w, text_words[i + k]) for k, w in enumerate(wanted)):
            return True
    return False


def _prefix(wanted: str, word: str) -> bool:
    """``wanted`` begins ``word`` ("Conservative" ~ "Conservatives"), or ``word`` begins
    ``wanted`` but for an ending of one or two letters ("North Korean" ~ "North Korea",
    "American" ~ "America")."""
    return word.startswith(wanted) or len(word) >= 4 and wanted.startswith(word) and len(wanted) - len(word) <= 2


# Words that may stand before a surname without being a first name ("Mrs. Clinton", "Sen. Warren").
_TITLES = frozenset("""mr mrs ms miss dr sir dame lord lady sen senator rep representative gov governor president
secretary minister chancellor general gen lt col colonel judge justice mayor speaker professor prof rev
""".split())


# Words that make a name a body, a document or a place rather than a person.
_NOT_PERSON = ORG_NOUNS | DOC_NOUNS | frozenset("""act bill plan program programme rule rules law court house
senate congress state states city county street university school hospital foundation center centre
institute news times post journal day week""".split())


def person_found(name: list[str], text: str) -> bool:
    """A person's name ("Joe Biden", "Hillary Clinton") written another way: the surname after
    a first name sharing its first two letters ("Joseph R. Biden"), or the surname alone or
    after a title ("Mrs. Clinton", "President Obama", "Biden said"). Only a surname that always
    follows another first name is someone else ("Michelle Obama" is not in text that names
    only "Barack Obama"); a surname alone is taken as the person asked about, since articles
    name a person's relatives beside them ("Michelle Obama" in a piece on "President Obama")."""
    words = [w for part in name for w in re.findall(r"[^\W\d_]+", part)]
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() and not w.isupper() for w in words) \
            or len(words[-1]) < 3 or any(w.lower() in _NOT_PERSON for w in words):
        return False
    first, last = words[0].lower(), _norm(words[-1])
    tokens = re.findall(r"[^\W\d_]+(?:[’'][^\W\d_]+)?\.?", text)
    compatible = contradicted = alone = False
    for i, tok in enumerate(tokens):
        if not tok[:1].isupper() or _norm(tok.rstrip(".")) != last:
            continue
        j = i - 1
        while j >= 0 and (len(tokens[j].rstrip(".")) == 1 or tokens[j].endswith(".") and len(tokens[j]) <= 3
                          and tokens[j][:1].isupper() and tokens[j].rstrip(".").lower() not in _TITLES):
            j -= 1  # initials: "Joseph R. Biden"
        before = tokens[j].rstrip(".") if j >= 0 else ""
        if before[:1].isupper() and before.lower() not in _TITLES and before not in COMMON_CAPS:
            if before.lower()[:2] == first[:2]:
                compatible = True
            else:
                contradicted = True
        else:
            alone = True
    return compatible or alone


def missing_name(question: str, evidence_text: str) -> str | None:
    """The first name in the question that the evidence never mentions, if any. Names listed
    together ("A, B, and C", "A and B") ask about any of them: one found is enough."""
    words = _words(evidence_text)
    for group in _listed(question):
        names = [n for part in group for n in named_things("_ " + part)]
        if names and not any(name_found(name, words) or person_found(name, evidence_text) for name in names):
            return " ".join(names[0])
    return None


# "A, B, and C" / "A and the B": capitalised names joined by commas or "and" (a follow-up's
# "they" becomes such a list). "Health and Social Care" is split too: either part will do.
_LIST_GAP = re.compile(r"\s*,\s*(?:and\s+)?(?:the\s+)?|\s+and\s+(?:the\s+)?")
_AND_NAME = re.compile(r"\s+and\s+(?:the\s+)?(?=[A-Z])")


def _listed(question: str) -> list[list[str]]:
    """The question's names (after its first word), in groups of names listed together."""
    words = question.split(maxsplit=1)
    body = words[1] if len(words) > 1 else ""
    groups: list[list[str]] = []
    last_end = -1
    for m in _NAME.finditer(body):
        parts = [p for p in _AND_NAME.split(m.group()) if p.strip()]
        if groups and _LIST_GAP.fullmatch(body[last_end : m.start()]):
            groups[-1].extend(parts)
        else:
            groups.append(parts)
        last_end = m.end()
    return groups


def _acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words).lower()


# "how many said / voted / think …": a count of people, whose noun the question leaves out.
_COUNT_OF_PEOPLE = {"said", "say", "says", "think", "thought", "believe", "believed", "voted", "vote", "want",
                    "wanted", "support", "supported", "agree", "agreed", "oppose", "opposed", "died", "attended"}
# "how many times / occasions": any count answers ("three bouts", "twice").
_COUNTERS = {"times", "occasions"}


def type_fits(question: str, sentence: str) -> bool:
    """Does ``sentence`` hold the kind of answer the question asks for (a number, a count of
    the thing asked about)? True when the question asks for no particular type. Counts may be
    written in words ("Twenty-seven states", "up to eight super-casinos", "a dozen protesters",
    "two-thirds of voters", "hundreds of jobs"): :mod:`retrieval.numbers`."""
    # A number the question itself holds ("the 13th Amendment", "in 2015") is not its answer.
    asked = {t.strip(".,;:").lower() for t in number_tokens(question) if has_number(t)}
    original = sentence
    sentence = " ".join(t for t in number_tokens(sentence) if t.strip(".,;:").lower() not in asked)
    m = _HOW_MANY.search(question)
    if m:
        noun_words = [w for w in re.findall(r"[\w’'\-]+", m.group("np"))
                      if w.lower() not in ("more", "new", "extra", "additional", "of", "the")]
        if not noun_words or noun_words[0].lower() in _COUNT_OF_PEOPLE or noun_words[-1].lower() in _COUNTERS:
            return has_number(sentence)
        head = terms(noun_words[-1])
        acronym = _acronym(noun_words) if len(noun_words) > 1 else None
        toks = number_tokens(sentence)
        phrase = {w.lower() for w in noun_words}
        phrase_stems = {t for w in noun_words for t in terms(w)}
        for i in range(len(toks)):
            if not number_at(toks, i):
                continue
            # The counted thing is the noun phrase after the number: only modifiers may come
            # between, and the phrase's last word must be the noun asked about (its head, or a
            # word of the asked phrase closing it: "six Orthodox, four Protestants").
            last = None
            for j in range(i + 1, min(i + 8, len(toks))):
                follow = toks[j]
                clean = follow.strip(".,;:").lower()
                if head and terms(clean) == head or acronym and clean.rstrip("s") == acronym:
                    return True
                if clean in phrase or clean in _BETWEEN or clean in SCALE_WORDS or follow[:1].isupper() \
                        or clean.endswith(("ing", "al", "ed", "’s", "'s")) or number_at(toks, j):
                    last = clean
                    if follow[-1:] in ".,;:":
                        break
                    continue
                break
            if last is not None and set(terms(last)) & phrase_stems:
                return True
        return False
    if _NEEDS_TIME.search(question):
        return (has_number(sentence) or bool(_TIME_UNIT.search(sentence))) and measured_by(question, original)
    if _NEEDS_NUMBER.search(question):
        return has_number(sentence) and measured_by(question, original)
    return True


def wants_type(question: str) -> bool:
    return bool(_HOW_MANY.search(question) or _NEEDS_TIME.search(question) or _NEEDS_NUMBER.search(question))
