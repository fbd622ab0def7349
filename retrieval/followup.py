"""Follow-up questions made standalone from the turns before them: rules over text, no model.

``rewrite(question, history) -> Rewrite``. Two kinds of follow-up are completed:

- references: a pronoun or demonstrative the question itself gives nothing to refer to
  ("What did *they* say about GPs?", "Did *their* spokesman comment?", "Who supported *it*?",
  "When did *she* say *that*?") takes the actors, the person or the topic of the turn before
  (:mod:`retrieval.referents`);
- ellipsis: an opening "and"/"but"/"so", "what about X?", "and in Scotland?", "and the year
  before?", a bare "why?", "who else?" is completed from the previous question.

A question with neither is never rewritten, and nor is one that has nothing to resolve against
(no history, or a referent the turn before does not offer). A pronoun counts as a reference only
when nothing earlier in the question could be its antecedent ("… people in *their* houses",
"… Burnham … before *he* softened") and it is not the "it" of "how long had it been". Earlier
turns are made standalone first, in order, so a third turn's "they" is whoever the second
turn's standalone form named. The word lists are general English, never names from a corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from retrieval.names import GROUP_NOUNS, ORG_NOUNS, ROLE_HEADS, ROLE_MODIFIERS, looks_like_org
from retrieval.history import clean_history, turns
from retrieval.question import QuestionError, clean_question
from retrieval.referents import Referents, join_names, name_spans, noun_phrase, possessive, referents
from retrieval.verbs import base_form

_OPENER = re.compile(r"^(?:and|but|so|ok(?:ay)?|also|then|well|right)\b[\s,]*(?=\S)", re.I)
_BARE_WH = re.compile(r"^(?P<wh>why|when|where|how)(?:\s+(?:exactly|so|then|not|come))?\s*[?.!]*$", re.I)
# "Where did he say that?": the pronoun is the previous question's subject, "that" its content.
_WH_SAID_THAT = re.compile(r"^(?P<wh>why|when|where|how)\s+(?:did|does|do|was|is)\s+(?:he|she|they|it)\s+"
                           r"(?:say|said|mean|do|write|tweet|announce)\s+(?:that|this|it|so)\s*[?.!]*$", re.I)
_ELSE = re.compile(r"^(?:who|what|anyone|anybody|anything|someone|something)\s+else\s*[?.!]*$", re.I)
_TIME = re.compile(
    r"^(?:(?:what|how)\s+about\s+|(?:in|for|during)\s+)?(?:the\s+)?"
    r"(?:(?P<unit>year|month|week|day)\s+(?P<dir>before|after|earlier|later)|(?P<dir2>previous|next|following|"
    r"prior|preceding|last|this)\s+(?P<unit2>year|month|week|day))\s*[?.!]*$", re.I)
_COMPARED = re.compile(r"^compared\s+(?:with|to)\s+\S", re.I)
_RELATIVE_TIME = re.compile(r"\b(?:this|next|last)\s+(?P<unit>year|month|week)\b", re.I)
_WHAT_ABOUT = re.compile(r"^(?:what|how)\s+about\s+(?P<x>.+?)\s*[?.!]*$", re.I)
_QUESTION_START = re.compile(r"^(?:what|which|who|whom|whose|when|where|why|how|did|does|do|is|are|was|were|"
                             r"will|would|could|can|should|has|have|had|must|might|may|according)\b", re.I)
_AUX = re.compile(r"\b(?:did|do|does|is|are|was|were|will|would|could|can|should|has|have|had|must|might)\b", re.I)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_PREPOSITIONS = ("in", "for", "at", "on", "from", "among", "outside", "within", "across", "under", "during",
                 "between", "before", "after", "since", "by")
# Nouns for people and bodies: "what about the governor?" asks about an actor, not a topic.
_ACTOR_NOUNS = ROLE_HEADS | GROUP_NOUNS | ORG_NOUNS | {"general", "campaign", "president", "government"}
_ROLE_WORDS = sorted(ROLE_HEADS | ROLE_MODIFIERS | {"prime", "general"}, key=len, reverse=True)
_ROLE_AFTER = re.compile(r"(?:\s+(?:" + "|".join(map(re.escape, _ROLE_WORDS)) + r")\b)+")
_ROLE_SUBJECT = re.compile(r"\b(?:did|does|do|has|have|had|will|would|is|was)\s+(?P<np>the\s+(?:[a-z][\w\-]*\s+){0,2}(?:"
                           + "|".join(sorted(map(re.escape, _ACTOR_NOUNS), key=len, reverse=True)) + r"))\b")
_POSSESSED = re.compile(r"(?P<owner>[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*)['’]s?\s+(?P<noun>[a-z][\w\-]*)")
_TOKEN = re.compile(r"[A-Za-z][\w’'\-]*|\d[\d,.]*|[^\w\s]")

GROUP = {"they", "them", "their", "theirs", "themselves"}
PERSON = {"he", "him", "his", "she", "her", "hers", "himself", "herself"}
_NOMINATIVE = {"they", "he", "she", "their", "his"}  # may be bound by "who": "who said they would…"
_POSSESSIVE = {"their", "theirs", "his", "hers", "its"}
DEMONSTRATIVES = {"this", "that", "these", "those"}
# Words that cannot be an antecedent: question words, auxiliaries, determiners, prepositions,
# conjunctions, pronouns and common adverbs.
_FUNCTION = frozenset("""
what which who whom whose when where why how did do does done is are was were be been being will would
could can should shall may might must has have had having the a an this that these those some any
all each every no not nor and or but so if then than also else too very just only still even ever
really actually exactly first next last later earlier again now ago originally already yet about
above across after against along among around as at before behind below beneath beside between
beyond by despite during except for from in inside into like near of off on onto out outside over
past per since through throughout till to toward towards under until up upon via with within without
according i me my mine we us our ours you your yours he him his she her hers it its they them their
theirs one much many more most less least long far often soon quickly old new own such there here
anyone anybody anything someone somebody something everyone everybody everything nobody nothing""".split())
_OBJECT = {"them", "him", "her", "it", "themselves", "himself", "herself"}
_PREPOSITION = frozenset("about against at by for from in into of on over to towards under with without "
                         "behind like after before".split())
_CLAUSE_BOUNDARY = frozenset("who whom which that when while where before after because since if whether "
                             "although though and but or , ; to".split())
_WHO_LIKE = {"who", "whoever", "anyone", "anybody", "someone", "somebody", "everyone", "people", "nobody"}
_VERB = re.compile(
    r"(?:say|said|says|saying|think|thinks|thought|want|wants|like|likes|support|supports|oppose|opposes|"
    r"back|backs|welcome|welcomes|criticise|criticises|criticize|criticizes|reject|rejects|praise|praises|"
    r"endorse|endorses|favour|favours|favor|favors|condemn|condemns|challenge|challenges|dismiss|dismisses|"
    r"resist|resists|warn|warns|believe|believes|propose|proposes|announce|announces|argue|argues|claim|"
    r"claims|suggest|suggests|mean|means|meant|tweet|tweets|write|writes|wrote|comment|comments|respond|"
    r"responds|react|reacts|describe|describes|explain|explains|predict|predicts|promise|promises|pledge|"
    r"pledges|insist|insists|ask|asks|make|makes|made|get|gets|got|take|takes|took|give|gives|gave|see|"
    r"sees|saw|know|knows|knew|led|ran|affect|affects|feel|feels|felt|speak|speaks|spoke|tell|tells|told|"
    r"go|goes|went|come|comes|came|become|becomes|became|keep|keeps|kept|agree|agrees|set|reply|replies|"
    r"answer|answers|rate|rates|vote|votes|drop|drops|invite|invites|urge|urges|tell|happen|happens)",
    re.I)  # nouns too ("plan", "cost", "support" as in "their support") are left out where common
_STANCE_VERB = re.compile(r"(?:support|oppos|back|welcom|critici[sz]|reject|prais|endors|attack|favou?r|"
                          r"question|doubt|condemn|challeng|dismiss|resist|defend|distrust)\w*", re.I)
_SPEECH_VERB = re.compile(r"(?:say|said|says|mean|meant|means|tweet\w*|write|wrote|writes|claim\w*|argue\w*|"
                          r"think|thought|suggest\w*|predict\w*|promise\w*|warn\w*|insist\w*|believe\w*)", re.I)
# "How long had it been", "is it true that": "it" that refers to nothing.
_EXPLETIVE_NEXT = frozenset("is was be been being 's seems seemed appears appeared takes took true possible "
                            "likely worth matters mattered".split())
_TIME_NOUNS = frozenset("year years week weeks month months morning afternoon evening time summer autumn "
                        "winter spring weekend decade century quarter".split())
_SUBJECT_START = frozenset("the a an this that these those their his her its our they he she it we you "
                           "people labour".split())
_NOT_AFTER_THOSE = frozenset("who which that at in with of on whose whom".split())
# What "that" follows when it is a determiner ("about that plan", "did that plan…").
_BEFORE_DETERMINER = frozenset("""about against at by for from in into of on over to towards under with without
did do does is are was were will would could can should has have had and or""".split())


@dataclass(frozen=True)
class Rewrite:
    """A question and the standalone question that is answered for it.

    ``standalone`` equals ``question`` when ``rewritten`` is false. ``rules`` names what was
    applied ("reference", "opener", "what-about", "place", "time", "bare-wh", "else");
    ``referents`` the names and topic put in.
    """

    question: str
    standalone: str
    rewritten: bool = False
    rules: tuple[str, ...] = ()
    referents: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "standalone": self.standalone, "rewritten": self.rewritten,
                "rules": list(self.rules), "referents": list(self.referents)}


def rewrite(question: str, history: object = None) -> Rewrite:
    """``question`` made standalone from ``history`` (a list of ``{"role", "content"}``
    messages, see :mod:`retrieval.history`). Raises QuestionError for a bad question and
    HistoryError (both ValueErrors) for a bad history."""
    q = clean_question(question)
    context: Referents | None = None
    for turn in turns(clean_history(history)):
        try:
            asked = clean_question(turn.question)
        except QuestionError:
            continue
        done = resolve(asked, context) if context is not None else None
        standalone = done.standalone if done is not None else asked
        inherited = context.thing() if done is not None and done.rewritten else None
        context = referents(standalone, turn.answer, inherited)
    if context is None:
        return Rewrite(q, q)
    return resolve(q, context)


def resolve(question: str, context: Referents) -> Rewrite:
    """``question`` (cleaned) completed from the turn described by ``context``."""
    rules: list[str] = []
    used: list[str] = []
    body = question
    opener = _OPENER.match(body)
    if opener:
        body = body[opener.end():]
        rules.append("opener")
    completed = _ellipsis(body, bool(opener), context, rules, used)
    if completed is not None:
        body = completed
    else:
        body = _references(body, context, rules, used)
    if not rules:
        return Rewrite(question, question)
    standalone = _tidy(body, question)
    try:
        standalone = clean_question(standalone)
    except QuestionError:  # a list of actors made it too long: answer the question as asked
        return Rewrite(question, question)
    if standalone == question:
        return Rewrite(question, question)
    return Rewrite(question, standalone, True, tuple(rules), tuple(dict.fromkeys(used)))


# --- ellipsis -------------------------------------------------------------------------------


def _ellipsis(body: str, opened: bool, ctx: Referents, rules: list[str], used: list[str]) -> str | None:
    """The previous question completed by an elliptical ``body``; None if ``body`` is not one."""
    prev = ctx.question
    m = _BARE_WH.match(body) or (None if ctx.topic else _WH_SAID_THAT.match(body))
    if m:
        return _note(_bare_wh(m.group("wh"), ctx, used), "bare-wh", rules)
    if _ELSE.match(body):
        first = prev.split(maxsplit=1)
        if len(first) == 2 and first[0].lower() in ("who", "what", "which", "where"):
            return _note(f"{first[0]} else {first[1]}", "else", rules)
        return None
    if _COMPARED.match(body):  # "and compared with the year before?": the comparison added
        return _note(prev.rstrip(" ?.!") + ", " + body.rstrip(" ?.!")[0].lower() + body.rstrip(" ?.!")[1:] + "?",
                     "time", rules)
    m = _TIME.match(body)
    if m:
        direction = (m.group("dir") or m.group("dir2")).lower()
        unit = (m.group("unit") or m.group("unit2")).lower()
        relative = _RELATIVE_TIME.search(prev)
        if relative and relative.group("unit").lower() == unit and m.group("dir2"):
            # "… this year?" then "And next year?": the same question for the other year
            return _note(prev[: relative.start()] + f"{direction} {unit}" + prev[relative.end():], "time", rules)
        if unit == "year" and _YEAR.search(prev) and direction != "this":
            step = 1 if direction in ("after", "later", "next", "following") else -1
            return _note(_YEAR.sub(lambda y: str(int(y.group()) + step), prev), "time", rules)
        return None
    m = _WHAT_ABOUT.match(body)
    x = m.group("x") if m else None
    if x is None and opened and not _QUESTION_START.match(body):
        x = body.rstrip(" ?.!")  # "and in Scotland?", "and National Voices?"
    if not x:
        return None
    first = x.split()[0].lower()
    if first in _PREPOSITIONS:
        return _note(_swap_place(prev, x), "place", rules)
    name = re.sub(r"^the\s+", "", x, flags=re.I)
    owner = _POSSESSED.fullmatch(x)
    if owner and re.search(rf"['’]s?\s+{re.escape(owner.group('noun'))}\b", prev):
        # "And Trump's claim?" after "… rate Bernie Sanders's claim …": the owner replaced
        swapped = re.sub(rf"(?:[A-Z][\w'’\-]*\s+)*[A-Z][\w'’\-]*['’]s?\s+{re.escape(owner.group('noun'))}\b",
                         x, prev, count=1)
        if swapped != prev:
            return _note(swapped, "what-about", rules)
    if name[:1].isupper() or name.split()[-1].lower() in _ACTOR_NOUNS:
        return _note(_swap_actor(x, ctx, used), "what-about", rules)
    return _note(_swap_topic(x, ctx), "what-about", rules)


def _note(text: str | None, rule: str, rules: list[str]) -> str | None:
    if text is not None:
        rules.append(rule)
    return text


def _bare_wh(wh: str, ctx: Referents, used: list[str]) -> str | None:
    """ "Why?" after "Who opposed X?" -> "Why did A, B, and C oppose X?"; after any other
    question, the question word replaced ("Would Labour abolish X?" -> "Why would Labour …")."""
    wh = wh.capitalize()
    prev = ctx.question.rstrip(" ?.!")
    who = ctx.who
    if who is not None:
        actors = ctx.group()
        used.extend(actors)
        subject = join_names(actors) if actors else "people"
        verb, *rest = who.verb.split()
        tail = " ".join([*rest, who.proposition]).strip()
        if verb in ("was", "were", "is", "are"):
            return f"{wh} {'were' if len(actors) != 1 else 'was'} {subject} {tail}?"
        return f"{wh} did {subject} {' '.join([base_form(verb), tail]).strip()}?"
    if _AUX.match(prev):  # a yes/no question
        return f"{wh} {prev[0].lower()}{prev[1:]}?"
    aux = _AUX.search(prev)
    after = prev[aux.end():].split()[:1] if aux else []
    # "What pay rise did the coalition refuse …" has a subject after the auxiliary; "How many
    # incidents were reported …" has none (the question word's phrase is the subject).
    subject = bool(after) and (after[0][:1].isupper() or after[0].lower() in _SUBJECT_START)
    if aux and subject and re.match(r"(?:what|which|how|who|when|where)\b", prev, re.I):
        rest = re.sub(r"\b(say|said|says)\s+(about|on)\b", r"\1 that \2", prev[aux.start():])
        return f"{wh} {rest}?"
    return None


def _swap_place(prev: str, phrase: str) -> str:
    """ "And in Scotland?" after "… reported in England between …": the same preposition's
    name or year replaced, or the phrase added at the end."""
    prep = phrase.split()[0]
    # "U.S." is one name: a run of capitalised words or dotted initials
    word = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w’'\-]*)"
    pattern = re.compile(rf"\b(?i:{re.escape(prep)})\s+(?:the\s+)?(?:{word}(?:\s+{word})*|\d{{4}})")
    m = pattern.search(prev)
    if m:
        return prev[: m.start()] + phrase + prev[m.end():]
    return prev.rstrip(" ?.!") + " " + phrase + "?"


def _swap_actor(x: str, ctx: Referents, used: list[str]) -> str | None:
    """ "What about National Voices?": what they said on the previous question's proposition,
    or the previous question with its first actor (or list of actors) replaced."""
    prev = ctx.question
    used.append(x)
    if ctx.who is not None and ctx.who.proposition:
        return f"What did {x} say about {ctx.who.proposition}?"
    about = prev.rfind(ctx.topic) if ctx.topic else -1  # names in the topic are not who spoke
    spans = [sp for sp in name_spans(prev, actors_only=True) if about < 0 or sp[0] < about]
    places = [sp for sp in name_spans(prev) if sp not in name_spans(prev, actors_only=True)]
    subject = _ROLE_SUBJECT.search(prev)
    if subject and (not spans or subject.start("np") < spans[0][0]):  # "What did the governor say …"
        return prev[: subject.start("np")] + x + prev[subject.end("np"):]
    if not spans and places:  # "What about Wales?" after "… in England …"
        start, end, _ = places[0]
        return prev[:start] + re.sub(r"^the\s+", "", x, flags=re.I) + prev[end:]
    if spans:
        start, end, _ = spans[0]
        for s, e, _ in spans[1:]:  # "A, B, and C" is replaced as one
            if re.fullmatch(r"\s*(?:,|and|, and|&)\s*(?:the\s+)?", prev[end:s]):
                end = e
        if prev[:start].lower().endswith("the "):
            start -= 4
        role = _ROLE_AFTER.match(prev, end)  # "the Italian prime minister": the role goes too
        if role and not re.search(r"['’]s?$", prev[:end]):
            end = role.end()
        return prev[:start] + x + prev[end:]
    if ctx.topic:
        return f"What did {x} say about {ctx.topic}?"
    return None


def _swap_topic(x: str, ctx: Referents) -> str | None:
    """ "What about community services?": the same question about ``x``."""
    if ctx.who is not None:
        return f"Who {ctx.who.verb} {x}?"
    if ctx.topic and ctx.topic in ctx.question:
        return ctx.question.replace(ctx.topic, x, 1)
    return None


# --- references -----------------------------------------------------------------------------


def _references(body: str, ctx: Referents, rules: list[str], used: list[str]) -> str:
    """``body`` with each unbound pronoun or demonstrative replaced by what it refers to."""
    tokens = list(_TOKEN.finditer(body))
    words = [t.group() for t in tokens]
    out, last, changed = [], 0, False
    done: set[str] = set()  # after "they" became names, a later "their" refers to those names
    i = 0
    while i < len(tokens):
        kind = "group" if words[i].lower() in GROUP else "person" if words[i].lower() in PERSON else None
        replacement, span_end = (None, i) if kind in done else _replacement(words, i, ctx)
        if replacement is not None:
            if kind:
                done.add(kind)
            out.append(body[last : tokens[i].start()])
            out.append(replacement)
            last = tokens[span_end].end()
            used.append(replacement)
            changed = True
            i = span_end + 1
            continue
        i += 1
    if not changed:
        return body
    out.append(body[last:])
    rules.append("reference")
    return "".join(out)


def _replacement(words: list[str], i: int, ctx: Referents) -> tuple[str | None, int]:
    """What ``words[i]`` stands for and the index of the last word it covers, or (None, i)."""
    w = words[i].lower()
    nxt = words[i + 1].lower() if i + 1 < len(words) else ""
    if w in GROUP and not _bound(words, i):
        group = ctx.group()
        if group:
            return (possessive(join_names(group)) if w in _POSSESSIVE else join_names(group)), i
    elif w in PERSON and not _bound(words, i):
        person = ctx.person()
        if person:
            owns = w in ("his", "hers") or w == "her" and _is_content(nxt)
            return (possessive(person) if owns else person), i
    elif w == "its" and not _bound(words, i):
        org = ctx.organisation()
        if org:
            return possessive(noun_phrase(org)), i
    elif w == "it" and nxt not in _EXPLETIVE_NEXT and not _bound(words, i) and ctx.thing():
        return _thing(words, i, ctx.thing()), i
    elif w in DEMONSTRATIVES and ctx.thing():
        return _demonstrative(words, i, ctx.thing())
    return None, i


def _bound(words: list[str], i: int) -> bool:
    """Could something before ``words[i]`` in the question be what the pronoun refers to?

    A name or a noun before it can ("Burnham … before he softened his stance", "foundation
    trusts … their licence"), except that an object ("Did Labour drop *it*?", "reply to *her*")
    is never its own clause's subject: only words before a clause boundary count for it. "He"
    or "she" is never an organisation ("How did the King's Fund reply to her?")."""
    pronoun = words[i].lower()
    scope = i
    if pronoun in _OBJECT and i > 0 and (_is_verb(words[i - 1]) or words[i - 1].lower() in _PREPOSITION):
        boundaries = [j for j in range(i) if words[j].lower() in _CLAUSE_BOUNDARY]
        scope = boundaries[-1] if boundaries else 0
    text = " ".join(words[:scope])
    for j in range(scope):
        w = words[j]
        if j > 0 and w[:1].isupper() and w.lower() not in _FUNCTION:
            if pronoun in PERSON and _in_org_name(text, w):
                continue
            return True
        if _is_content(w.lower()):
            return True
        if w.lower() in _WHO_LIKE and pronoun in _NOMINATIVE:
            # "Who said they would…" (but not "Who criticised their plan?": one does not
            # oppose one's own plan, so a possessive after a stance verb points back a turn).
            if not (pronoun in _POSSESSIVE and _STANCE_VERB.fullmatch(words[i - 1])):
                return True
    return False


def _in_org_name(text: str, word: str) -> bool:
    """Is ``word`` part of an organisation's name in ``text`` ("Fund" of "the King's Fund")?"""
    return any(word in name.split() for _, _, name in name_spans(text) if looks_like_org(name))


def _is_verb(w: str) -> bool:
    w = w.lower()
    return bool(_VERB.fullmatch(w)) or (len(w) > 4 and w.endswith("ed"))


def _is_content(w: str) -> bool:
    """A lowercase word that could be a noun: not a function word, not a verb."""
    return (len(w) >= 3 and w.isalpha() and w not in _FUNCTION and not _VERB.fullmatch(w)
            and not (len(w) > 4 and w.endswith("ed")))


def _thing(words: list[str], i: int, topic: str) -> str:
    """ "it"/"that" as the topic; after a speech verb, "that about the topic" ("When did they
    say that?" -> "When did they say that about X?")."""
    if i > 0 and _SPEECH_VERB.fullmatch(words[i - 1]):
        return f"{words[i]} about {topic}"
    return topic


def _demonstrative(words: list[str], i: int, topic: str) -> tuple[str | None, int]:
    """ "that"/"this" alone, or "that plan"/"these proposals": the topic, or the noun with the
    topic ("that speech" -> "the speech about X")."""
    w = words[i].lower()
    nxt = words[i + 1].lower() if i + 1 < len(words) else ""
    final = not nxt or not nxt[:1].isalnum()
    prev = words[i - 1].lower() if i > 0 else ""
    if final:
        if w in ("this", "that") and i > 0:
            return _thing(words, i, topic), i
        return None, i
    if w == "this" and nxt in _TIME_NOUNS or w == "those" and nxt in _NOT_AFTER_THOSE:
        return None, i
    if w == "that" and not (prev in _BEFORE_DETERMINER or _STANCE_VERB.fullmatch(prev)):
        return None, i  # "argued that commissioning …", "one that depends": not a demonstrative
    end = i
    while end + 1 < len(words) and end - i < 4 and _is_content(words[end + 1].lower()) \
            and not words[end + 1][:1].isupper():
        end += 1
    if end == i or end + 1 < len(words) and _AUX.fullmatch(words[end + 1]):
        return None, i  # "doubted that local councils could …": a clause, not a noun phrase
    noun = words[end].lower().rstrip("s")
    if noun and noun in topic.lower():
        return topic, end
    return "the " + " ".join(words[i + 1 : end + 1]) + f" about {topic}", end


def _tidy(body: str, original: str) -> str:
    """Capitalised, single-spaced, ending as the question did."""
    text = " ".join(body.split()).strip()
    if not text:
        return original
    text = text[0].upper() + text[1:]
    if original.rstrip().endswith("?") and not text.endswith("?"):
        text = text.rstrip(" .!") + "?"
    return re.sub(r"\s+([?,.!])", r"\1", text)
