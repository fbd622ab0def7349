"""What a whole document says about its people and organisations, and how references resolve.

News names a person in full once ("Democratic pollster Pat Caddell") and then by surname,
title or pronoun ("Caddell", "the pollster", "he"). The registry collects, over every PERSON
entity of the document, the person's full name, role and organisation (from the same phrase
reading as source mentions, :func:`index.attribution.mentions.read_mention`), and every
organisation the document names, so that a short mention resolves to the one full entry it can
mean. :class:`Actor` objects are shared by every sentence that refers to them, so what is
learned later ("the care minister" ... "Mr Lamb") reaches them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.attribution.lexicon import ORG_NOUNS, acronym_of, is_acronym
from index.attribution.mentions import Mention


@dataclass(eq=False)
class Actor:
    """A speaker: one person (``name``), or an organisation alone, with what is known of them."""

    name: str | None = None
    organisation: str | None = None
    role: str | None = None
    party: str | None = None
    plural: bool = False
    handle: str | None = None
    titles: set[str] = field(default_factory=set)  # every title word the document gives them
    mentions: int = 0
    outlet: bool = False  # a publication reporting others ("The Guardian reports"): nobody's employer

    @property
    def real(self) -> bool:
        return bool(self.name or self.organisation)

    def learn(self, role: str | None, organisation: str | None, party: str | None = None) -> None:
        self.role = self.role or role
        self.organisation = self.organisation or organisation
        self.party = self.party or party
        if role:
            self.titles.update(w.lower() for w in role.split() if w.isalpha())


@dataclass
class Registry:
    """People (full name -> :class:`Actor`) and organisations a document names."""

    people: dict[str, Actor] = field(default_factory=dict)
    orgs: list[str] = field(default_factory=list)
    handles: dict[str, str] = field(default_factory=dict)  # twitter handle (lower case) -> name

    # --- building -----------------------------------------------------------------------------

    def add_person(self, mention: Mention) -> Actor | None:
        name = mention.name
        if not name or len(name) < 2:
            return None
        full = self.alias_of(self.full_name(name))
        actor = self.people.get(full)
        if actor is None:
            actor = self.people[full] = Actor(name=full)
        actor.learn(mention.role, None if mention.organisation == mention.party else mention.organisation,
                    mention.party)
        actor.titles.update(mention.titles)
        actor.mentions += 1
        return actor

    def add_org(self, name: str) -> None:
        name = name.strip()
        if name and name not in self.orgs and len(name) > 1:
            self.orgs.append(name)

    # --- lookups ------------------------------------------------------------------------------

    def full_name(self, name: str) -> str:
        """A surname or first name alone ("Burnham", "PENCE") -> the one full name that fits."""
        words = name.split()
        if len(words) > 1:
            # "Mr Lamb" and "Norman Lamb" are one person; "Bill Clinton" and "Hillary Clinton" two.
            if name in self.people:
                return name
            return name
        key = _key(words[0]).rstrip(".")
        fits = {self.alias_of(p) for p in self.people if " " in p and (_key(p.split()[-1]) == key or _key(p.split()[0]) == key)}
        if len(fits) > 1:
            by_last = {p for p in fits if _key(p.split()[-1]) == key}
            fits = by_last if by_last else fits
        if len(fits) > 1:
            # "Hillary Clinton … former President Bill Clinton … Clinton said": news gives the
            # others their first name every time; the surname alone is the one named most.
            ranked = sorted(fits, key=lambda p: -self.people[p].mentions if p in self.people else 0)
            top, second = (self.people[p].mentions if p in self.people else 0 for p in ranked[:2])
            if top >= 2 * max(second, 1):
                fits = {ranked[0]}
        return fits.pop() if len(fits) == 1 else (name.title() if name.isupper() else name)

    def alias_of(self, name: str) -> str:
        """ "Donald J. Trump" and "Donald Trump" are one person: a full name whose first and last
        words are a known person's is that person's."""
        words = name.split()
        if len(words) < 2 or name in self.people:
            return name
        for known in self.people:
            k = known.split()
            if len(k) >= 2 and _key(k[0]) == _key(words[0]) and _key(k[-1]) == _key(words[-1]):
                return known
        return name

    def knows_person(self, word: str) -> bool:
        key = _key(word)
        return any(key in (_key(w) for w in p.split()) for p in self.people)

    def person(self, name: str) -> Actor:
        full = self.alias_of(self.full_name(name))
        actor = self.people.get(full)
        if actor is None:
            actor = self.people[full] = Actor(name=full)
        return actor

    def expand_org(self, org: str | None) -> str | None:
        """Acronyms and one-word references ("DH", "College", "the Mail") -> a full name the
        document uses elsewhere, if exactly one fits."""
        if not org:
            return org
        bare = re.sub(r"^(?:the|The)\s+", "", org.strip())
        if is_acronym(bare):
            fits = {o for o in self.orgs if o != bare and acronym_of(o).upper() == bare.rstrip("s").upper()}
            return fits.pop() if len(fits) == 1 else bare
        if " " not in bare:
            if self.knows_person(bare):
                return org  # "Trump" is the person, not the "Trump Foundation"
            fits = {o for o in self.orgs if " " in o and re.search(rf"\b{re.escape(bare)}\b", o, re.I)
                    and not o.lower().startswith(bare.lower() + " of")}
            return fits.pop() if len(fits) == 1 else org
        return org

    def org_for_noun(self, noun: str) -> str | None:
        """ "the union", "the College": the latest organisation whose name holds the noun."""
        for org in reversed(self.orgs):
            if noun.lower() in org.lower().split():
                return org
        return None

    def holder_of(self, role: str, noun: str | None = None, party: str | None = None,
                  places: tuple[str, ...] = (), organisation: str | None = None) -> Actor | None:
        """The one person the document gives this title ("the senator", "the Republican
        nominee", "the Indiana governor"), narrowed by party and place when several have it."""
        head = (noun or role.split()[-1]).lower()
        words = {w for w in role.lower().split() if w.isalpha()}
        # Every word of the title must be the person's ("shadow health secretary" is not the
        # "general secretary"); a one-word title ("the governor") is narrowed by party and place.
        fits = [a for a in self.people.values() if head in a.titles and words <= a.titles
                and not (organisation and a.organisation and a.organisation != organisation)]
        if len(fits) > 1 and party:
            fits = [a for a in fits if a.party == party] or fits
        if len(fits) > 1 and places:
            fits = [a for a in fits if any(p.lower() in a.titles for p in places)] or fits
        return fits[0] if len(fits) == 1 else None

    def salient(self, minimum: int = 3) -> Actor | None:
        """The person the document names most, if named at least ``minimum`` times."""
        if not self.people:
            return None
        best = max(self.people.values(), key=lambda a: a.mentions)
        return best if best.mentions >= minimum else None


def _key(word: str) -> str:
    """A name word for comparison: case and the apostrophe's form ("O’Neill" = "O'Neill")."""
    return word.lower().replace("’", "'").replace("‘", "'")


def is_org_noun(noun: str | None) -> bool:
    return bool(noun) and noun in ORG_NOUNS
