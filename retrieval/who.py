"""Who-questions: "who opposed / supported / criticised / welcomed / said …".

:func:`parse_who` (:mod:`retrieval.who_question`) reads the verb (and so the stance the
question asks about) and the proposition; :func:`group_actors` groups scored evidence
sentences by who said them, so an answer lists actors, not passages. A person and their organisation form one actor ("Royal
College of General Practitioners — Maureen Baker"), and an acronym joins its full name (RCGP).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.actors import org_key, person_key
from retrieval.evidence import Scored
from retrieval.who_question import WhoQuestion, parse_who  # noqa: F401  (re-exported)

# Publications whose unattributed sentences are an author's opinion, not a reporter's narrative.
OPINION = re.compile(r"\b(?:blog post|opinion|editorial|column|comment piece|leader)\b", re.IGNORECASE)


_PARTY = re.compile(r"\b(?:party|parties|democrats?|democratic|republicans?|gop|labour|conservatives?|tory|tories|"
                    r"liberal\s+democrats?|lib\s+dems?|greens?)\b", re.IGNORECASE)


def is_party(organisation: str) -> bool:
    """A political party ("Democratic Party", "Labour", "GOP", "the Conservatives"), whose
    politicians are each an actor of their own. Not "Democratic National Committee" (a body
    with a spokesperson) nor "Labour health team"."""
    words = organisation.split()
    return bool(_PARTY.search(organisation)) and (len(words) <= 2 or words[-1].lower() in ("party", "parties"))


@dataclass
class Actor:
    """Evidence from one speaker (a person, an organisation, or a person with theirs)."""

    key: str
    organisation: str | None
    people: list[str]
    roles: dict[str, str]
    evidence: list[Scored]
    own_voice: bool = False  # unattributed sentences: the publication speaking for itself
    reported: bool = False  # named in narration that states their stance (retrieval/sides.py)

    @property
    def organisation_only(self) -> bool:
        return not self.people

    @property
    def best(self) -> Scored:
        return self.evidence[0]

    def label(self) -> str:
        """ "Royal College of General Practitioners (Maureen Baker, chair)" or a name alone;
        "Patricia Hewitt, Trade and Industry Secretary" when the organisation the index gave is
        a fragment of the person's title (see :func:`title_in_text`)."""
        if self.own_voice:
            return f"{self.organisation} (the publication itself)"
        texts = [e.sentence.text for e in self.evidence]
        organisation = self.organisation
        people = []
        for p in self.people:
            role, absorbed = title_in_text(texts, p, clean_role(self.roles.get(p)), organisation)
            if absorbed:
                organisation = None
            people.append(f"{p}, {role}" if role else p)
        if organisation and people:
            return f"{organisation} ({'; '.join(people)})"
        return organisation or "; ".join(people)


# Words that complete a clipped role after it ("director general", "chief executive").
_ROLE_TAILS = ("general", "executive", "secretary", "officer", "director", "manager", "adviser", "advisor",
               "president", "correspondent", "editor", "minister", "chancellor")


_ROLE_GLUE = {"of", "the", "a", "an", "at", "for", "and", "in", "to", "on", "with"}


def clean_role(role: str | None) -> str | None:
    """A role as a label shows it: a relative clause cut off ("lawyer who has been in using"
    -> "lawyer"), dangling function words dropped ("director of the" -> "director"), and the
    stump of a hyphenated word ("based developer" from "Washington-based developer")."""
    if not role:
        return role
    role = re.split(r"\s+(?:who|which|that|whose)\b", role.strip(" ,"))[0]
    words = role.split()
    while words and words[-1].lower() in _ROLE_GLUE:
        words.pop()
    if len(words) > 1 and words[0].lower() == "based":
        words.pop(0)
    return " ".join(words) or None


def title_in_text(texts: list[str], person: str, role: str | None, organisation: str | None) -> tuple[str | None, bool]:
    """(the person's role as the text writes it, whether ``organisation`` is only part of it).

    Attribution can clip a title or take an office for a body: "Trade and Industry Secretary Patricia Hewitt" gives role
    "secretary" and organisation "Trade"; "Digby Jones, the CBI's director general" gives
    "director". The capitalised run ending in the role right before the name, or the role and
    its tail right after it, is the whole title; an organisation inside that run was a word of
    the title, not a body the person speaks for."""
    if not role:
        return role, False
    name = re.escape(person)
    r = re.escape(role)
    for text in texts:
        tails = "|".join(_ROLE_TAILS)
        # The role may go on past the clipped word: "chief executive Rob Webster", "Co-chairs Amanda Doyle".
        whole = rf"(?i:{r}(?:-[a-z]+|\s+(?:{tails}))?)"
        before = re.search(rf"((?:[A-Z][\w’'\-]*\s+(?:(?:and|of|for|&)\s+)?)*{whole})\s+{name}\b", text)
        if before and (before.group(1)[:1].isupper() or before.group(1).lower() != role.lower()):
            title = before.group(1)
            role_part = re.search(rf"{whole}$", title).group(0)
            prefix = title[: len(title) - len(role_part)].strip()
            if organisation and re.sub(r"^the\s+", "", prefix, flags=re.I).lower() == organisation.lower() \
                    and not role_part[:1].isupper():
                # "NHS Confederation chief executive": a body, then a job at it. A capitalised
                # role makes the whole run an office: "Trade and Industry Secretary".
                return role_part, False
            absorbed = bool(organisation) and re.search(rf"\b{re.escape(organisation)}\b", title) is not None \
                and not re.search(rf"\b{re.escape(organisation)}['’]s\b", title)
            return title, absorbed
        # "the CBI's director general, Digby Jones" / "Digby Jones, the CBI's director general"
        comma = re.search(rf"\b({whole}),\s+{name}\b", text) or re.search(
            rf"{name},\s+(?:the\s+|a\s+)?(?:[\w.’'\-]+['’]s\s+)?(?:\w+\s+){{0,2}}?({whole})\b", text)
        if comma:
            return comma.group(1), False
    return role, False


def group_key(s) -> str | None:
    """The actor a sentence's words belong to, as :func:`group_actors` groups them; None for an
    unattributed sentence. A person speaks for their body ("Maureen Baker, RCGP"), but not for
    their party: two Democrats are two actors, each with their own words."""
    if not s.actor:
        return None
    if s.speaker and s.organisation and is_party(s.organisation):
        return person_key(s.speaker)
    return org_key(s.organisation) if s.organisation else person_key(s.speaker or "")


def group_actors(scored: list[Scored], own_voice: bool = False) -> list[Actor]:
    """Attributed sentences grouped by actor, best evidence first within each actor, actors
    in order of their best evidence. A person with an organisation joins that organisation's
    group; an organisation-only sentence joins the group of its organisation. With
    ``own_voice``, unattributed sentences form one actor per publication (an opinion piece
    speaks for itself)."""
    groups: dict[str, Actor] = {}
    for item in scored:
        s = item.sentence
        if not s.actor:
            if own_voice and s.kind is None and OPINION.search(str(s.hit.metadata.get("kind") or "")):
                key = "SRC:" + s.hit.source
                groups.setdefault(key, Actor(key, s.hit.outlet or s.hit.title or s.hit.source, [], {}, [],
                                             own_voice=True)).evidence.append(item)
            continue
        key = group_key(s)
        actor = groups.get(key)
        if actor is None:
            actor = groups[key] = Actor(key, s.organisation, [], {}, [])
        if s.organisation and (actor.organisation is None or len(s.organisation) > len(actor.organisation)):
            actor.organisation = s.organisation  # the full name over an acronym
        if s.speaker and s.speaker not in actor.people:
            actor.people.append(s.speaker)
        if s.speaker and s.role and s.speaker not in actor.roles:
            actor.roles[s.speaker] = s.role
        actor.evidence.append(item)
    actors = merge_short_names(list(groups.values()))
    for actor in actors:
        actor.evidence.sort(key=lambda e: -e.score)
    actors.sort(key=lambda a: -a.best.score)
    return actors


def _name_words(name: str) -> list[str]:
    """A name's words for comparing two names: lower case, a hyphen with spaces around it
    closed up ("Holtz - Eakin" -> "holtz-eakin"), initials' dots dropped."""
    name = re.sub(r"\s*-\s*", "-", name.lower())
    return [w.strip(".") for w in name.split() if w.strip(".")]


def merge_short_names(actors: list[Actor]) -> list[Actor]:
    """One person written twice is one actor: a person-only actor under a shorter name (the
    surname a later sentence uses, "Bee") that is the end of a fuller person name in the pool
    ("Ann Bee", perhaps with their organisation) joins that actor, when the fuller name is in
    the same document or is the only one the shorter name could be. Two people of one surname
    in different documents ("Ann Bee", "Carl Bee") keep the short one apart."""
    sources = {id(a): {e.sentence.hit.source for e in a.evidence} for a in actors}
    merged: set[int] = set()
    for short in actors:
        if short.organisation_only or short.own_voice or len(short.people) != 1 or (
                short.organisation and not is_party(short.organisation)):
            continue
        words = _name_words(short.people[0])
        if not words:
            continue
        fuller = [(a, p) for a in actors if a is not short and id(a) not in merged and not a.own_voice
                  for p in a.people if len(_name_words(p)) > len(words) and _name_words(p)[-len(words):] == words]
        names = {" ".join(_name_words(p)) for _, p in fuller}
        same_doc = [(a, p) for a, p in fuller if sources[id(a)] & sources[id(short)]]
        if len({" ".join(_name_words(p)) for _, p in same_doc}) == 1:
            target = same_doc[0][0]
        elif len(names) == 1 and len({id(a) for a, _ in fuller}) == 1:
            target = fuller[0][0]
        else:
            continue
        target.evidence.extend(short.evidence)
        sources[id(target)] |= sources[id(short)]
        merged.add(id(short))
    return [a for a in actors if id(a) not in merged]
