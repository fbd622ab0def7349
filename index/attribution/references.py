"""References: who a source phrase stands for, given what the document has said so far.

A phrase read by :func:`index.attribution.mentions.read_mention` resolves here: a name to the
registry's one person of that name (:mod:`index.attribution.registry`), a pronoun to the latest
compatible person or organisation of the section (:class:`Context`), a definite title ("the
Indiana governor") to the one person given that title, or, a few sentences on, to the person
named next ("the care minister said … Mr Lamb said") and else to the person the article is
about; "the union" to the union named before; "a spokeswoman for X" to someone new.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from index.attribution.frames import Frame
from index.attribution.lexicon import DOC_NOUNS, ORG_NOUNS, Lexicon, is_acronym, party_of
from index.attribution.mentions import Mention, read_mention
from index.attribution.registry import Actor, Registry

GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
HONORIFIC_GENDER = {"mr": "m", "sir": "m", "lord": "m", "mrs": "f", "ms": "f", "miss": "f", "dame": "f",
                    "lady": "f", "baroness": "f"}


@dataclass
class Context:
    """Who a section has spoken of so far, most recent last."""

    persons: list[tuple[float, Actor]] = field(default_factory=list)  # (sentence index, person)
    speakers: list[tuple[int, Actor]] = field(default_factory=list)
    orgs: list[Actor] = field(default_factory=list)
    plurals: list[Actor] = field(default_factory=list)
    titled: list[Actor] = field(default_factory=list)  # named only by a title so far


class References:
    """Resolves the mentions of one document. ``sents`` is the document's sentence list (each
    with ``section``), read for the section of a pending title."""

    def __init__(self, registry: Registry, lex: Lexicon, text: str, sents: list[Any]):
        self.registry = registry
        self.lex = lex
        self.text = text
        self.sents = sents
        self.gender: dict[int, str] = {}  # id(actor) -> "m" / "f"
        self.org_actors: dict[str, Actor] = {}
        self.publishers: dict[str, Actor] = {}  # "X and Y issued a statement": noun -> X and Y
        self.pending: list[tuple[int, int, Actor]] = []  # (sentence, section, title-only actor)
        self.introduced: list[tuple[int, int, Actor]] = []  # the same, for an indefinite title

    def note_gender(self, actor: Actor | None, ent: Any) -> None:
        if actor is None:
            return
        start = ent.start
        if start > 0:
            prev = ent.doc[start - 1].lower_.rstrip(".")
            if prev in HONORIFIC_GENDER:
                self.gender.setdefault(id(actor), HONORIFIC_GENDER[prev])

    def resolve(self, mention: Mention, ctx: Context, index: int, frame: Frame) -> Actor | None:
        reg = self.registry
        if mention.pronoun:
            return self.pronoun(mention.pronoun, ctx, index, frame)
        if mention.name and party_of(mention.name):
            return self.org(party_of(mention.name), True)
        if mention.name:
            actor = reg.person(mention.name)
            actor.learn(mention.role, None if mention.organisation == mention.party else reg.expand_org(mention.organisation),
                        mention.party)
            self.staff(actor, mention)
            return actor
        if mention.proper and party_of(mention.proper):
            return self.org(party_of(mention.proper), True)  # "Labour said", "Republicans say"
        if mention.proper and (mention.noun is None or reg.knows_person(mention.proper.split()[-1])):
            word = mention.proper
            if reg.knows_person(word.split()[-1]) or (frame.kind == "label" and word.isupper()):
                actor = reg.person(word)
                actor.learn(mention.role, mention.organisation, mention.party)
                self.staff(actor, mention)
                return actor
            if word.isupper() and len(word) <= 6 or reg.expand_org(word) != word or mention.ner == "ORG" \
                    and " " not in word and not mention.role:
                return self.org(reg.expand_org(word))  # "PolitiFact said", "Reuters reported"
            actor = reg.person(word)
            actor.learn(mention.role, mention.organisation, mention.party)
            self.staff(actor, mention)
            return actor
        if mention.organisation and not mention.role:
            return self.org(reg.expand_org(mention.organisation), mention.plural)
        if mention.organisation and mention.plural and mention.noun and self.common_acronym(mention.organisation):
            return None  # "GP leaders": a group by profession, "GP" being a kind of doctor here
        if mention.role or (mention.noun and self.lex.is_title(mention.noun)):
            places = tuple(w for w in mention.titles if w not in (mention.noun or "").split())
            # Only a definite title ("the spokeswoman") refers back to someone; "a spokeswoman for
            # X" is someone new, never the spokeswoman or chairman named before.
            holder = reg.holder_of(mention.role or mention.noun, mention.noun, mention.party, places,
                                   reg.expand_org(mention.organisation)) if mention.definite else None
            if holder is not None:
                holder.titles.update(mention.titles)
                holder.learn(None, None, mention.party)  # "the Democratic senator": her party
                return holder
            for actor in reversed(ctx.titled):
                if actor.role == (mention.role or mention.noun):
                    return actor
            if mention.definite and not mention.plural:
                # "David Axelrod called on … . “…,” Obama's former campaign strategist said": a
                # description no one holds, right after a sentence about one person, is that person.
                prev = self.previous_subject(ctx, index)
                own = reg.expand_org(mention.organisation) if mention.organisation in reg.orgs else None
                if prev is not None and not (own and prev.organisation and prev.organisation != own):
                    prev.titles.update(mention.titles)
                    prev.learn(mention.role or mention.noun, None, mention.party)
                    return prev
            actor = Actor(role=mention.role or mention.noun, organisation=reg.expand_org(mention.organisation),
                          party=mention.party)
            actor.titles.update(mention.titles)
            if mention.definite and not mention.plural:
                # "the care minister said" … "Mr Lamb said": the title waits a few sentences for the
                # person it introduces, then falls to the person the article is about.
                self.pending.append((index, sent_section(self.sents, index), actor))
            elif not mention.plural and not mention.organisation:
                # "…, according to a senior doctor. … said Jo Bloggs, professor of …": a lead that
                # introduces someone by a description, named as the next sentence speaks.
                self.introduced.append((index, sent_section(self.sents, index), actor))
            ctx.titled.append(actor)
            return actor
        if mention.noun and mention.noun in DOC_NOUNS and mention.definite and mention.noun in self.publishers:
            return self.publishers[mention.noun]  # "the statement says": whoever issued it
        if mention.noun and (mention.noun in ORG_NOUNS or mention.noun in DOC_NOUNS):
            org = reg.org_for_noun(mention.noun)
            if org:
                return self.org(org)
            if ctx.orgs:
                return ctx.orgs[-1]
        if mention.proper and mention.noun and frame.source is not None and \
                (not frame.source.is_sent_start or not re.search(rf"\b{re.escape(mention.noun)}\b", self.text)):
            # "… ,” Hannity said": a capitalised word the tagger took for a noun, which the text
            # never uses as one, is a name.
            actor = reg.person(mention.proper)
            actor.learn(mention.role, mention.organisation, mention.party)
            return actor
        return None

    def staff(self, actor: Actor, mention: Mention) -> None:
        """"X, a top Trump surrogate", "Y, a Stein spokeswoman": staff of a person the document
        names work for that person's campaign (of a company, "a Acme spokesman", they do not)."""
        if mention.staff_of and not actor.organisation and self.registry.knows_person(mention.staff_of) \
                and self.registry.person(mention.staff_of) is not actor:
            actor.learn(None, f"{mention.staff_of} campaign")

    def sentence_subject_org(self, frame: Frame | None) -> Actor | None:
        """The organisation (or group) subject of the main clause of the frame's sentence, when
        the frame's own subject is a pronoun inside a subordinate clause."""
        if frame is None or frame.source is None:
            return None
        root = frame.source.sent.root
        if frame.verb is None or frame.verb.i == root.i:
            return None
        subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or subj.tag_ in ("PRP", "PRP$"):
            return None
        mention = read_mention(subj, 0, self.lex)
        if mention.organisation and not mention.name:
            return self.org(self.registry.expand_org(mention.organisation), mention.plural)
        return None

    def common_acronym(self, word: str) -> bool:
        """An acronym the text also uses in the plural ("GPs", "CCGs") names a kind of thing."""
        return is_acronym(word) and re.search(rf"\b{re.escape(word)}s\b", self.text) is not None

    def previous_subject(self, ctx: Context, index: int) -> Actor | None:
        """The one person the sentence before ``index`` has as its subject or speaker."""
        found = {id(a): a for at, a in ctx.persons + ctx.speakers if at == index - 1 and a.name}
        return next(iter(found.values())) if len(found) == 1 else None

    def recent_person(self, ctx: Context) -> Actor | None:
        candidates = sorted(ctx.persons + ctx.speakers, key=lambda x: -x[0])
        return candidates[0][1] if candidates else None

    def org(self, name: str | None, plural: bool = False) -> Actor | None:
        if not name:
            return None
        key = name.lower()
        if key not in self.org_actors:
            self.org_actors[key] = Actor(organisation=name, plural=plural)
        return self.org_actors[key]

    def pronoun(self, pronoun: str, ctx: Context, index: int, frame: Frame | None = None) -> Actor | None:
        if pronoun in ("he", "she"):
            want = GENDER[pronoun]
            candidates = sorted(ctx.persons + ctx.speakers, key=lambda x: -x[0])
            # Gender once known excludes; otherwise the latest person is taken.
            for _, actor in candidates:
                if self.gender.get(id(actor), want) == want:
                    self.gender[id(actor)] = want
                    return actor
            return None
        if pronoun == "they":
            # "Clinton’s campaign is seeking to contrast … with what they call …": the subject of
            # the sentence the pronoun sits in comes first.
            here = self.sentence_subject_org(frame)
            if here is not None:
                return here
            if ctx.plurals:
                return ctx.plurals[-1]
            return ctx.orgs[-1] if ctx.orgs else None
        if pronoun == "it":
            return ctx.orgs[-1] if ctx.orgs else None
        return None

    def name_pending(self, person: Actor, index: int, section: int) -> None:
        """A named speaker within three sentences after a title in the same section is the
        title's holder."""
        still = []
        for at, sec, actor in self.pending:
            if actor.name is None and sec == section and 0 < index - at <= 3 and person is not actor:
                actor.name = person.name
                person.learn(actor.role, actor.organisation, actor.party)
                person.titles.update(actor.titles)
                actor.learn(person.role, person.organisation, person.party)
            elif actor.name is None:
                still.append((at, sec, actor))
        self.pending = still

    def name_introduced(self, person: Actor, index: int, section: int) -> None:
        """An indefinite description ("a senior doctor") that speaks in one sentence is the
        person named, after the words, as the speaker of the very next one ("…,” said Jo Bloggs,
        professor of …"), in the same section, when the text names them there for the first time
        and does not say the two work for different organisations. The caller checks the order."""
        for at, sec, actor in self.introduced:
            if actor.name is None and sec == section and index - at == 1 and person is not actor and person.name \
                    and not re.search(rf"\b{re.escape(person.name.split()[-1])}\b", self.text[:self.sents[at].start]) \
                    and not (actor.organisation and person.organisation and actor.organisation != person.organisation):
                actor.name = person.name
                person.titles.update(actor.titles)
                actor.learn(person.role, person.organisation, person.party)
        self.introduced = [(at, sec, a) for at, sec, a in self.introduced if a.name is None and index - at < 1]

    def settle_pending(self) -> None:
        """Titles no one was named for: the person the article is about, if there is one."""
        salient = self.registry.salient()
        for _, _, actor in self.pending:
            if actor.name is None and salient is not None:
                actor.name = salient.name
                salient.titles.update(actor.titles)
                actor.learn(salient.role, salient.organisation, salient.party)
        self.pending = []


def honorific_before(tok: Any) -> bool:
    """ "Mr Lamb said": a short reference to someone the text has introduced (perhaps by title)."""
    return tok.i > 0 and tok.doc[tok.i - 1].lower_.rstrip(".") in HONORIFIC_GENDER


def sent_section(sents: list[Any], index: int) -> int:
    return sents[index].section if 0 <= index < len(sents) else -1
