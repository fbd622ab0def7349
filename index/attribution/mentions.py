"""What a source phrase says about its speaker, read off spaCy's parse and entities.

A source mention is a noun phrase: "Republican vice-presidential nominee Gov. Mike Pence (R-IN)",
"Don Redding, director of policy at National Voices", "Clinton's campaign manager", "the
union", "he". :func:`read_mention` takes the phrase's head token and returns a
:class:`Mention`: the person's name (from a PERSON entity or a proper-noun chain), their role
(title nouns before the name or in an apposition), their organisation (an ORG entity in the
phrase, a party adjective or tag, "<person> campaign"), or the pronoun or common noun that
still has to be resolved against the rest of the document (:mod:`index.attribution.registry`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from index.attribution.lexicon import (
    DOC_NOUNS,
    HONORIFICS,
    ORG_NOUNS,
    ORG_SUFFIXES,
    PARTY_LETTERS,
    PARTY_TAG,
    PRONOUNS,
    Lexicon,
    party_of,
)

Token = Any  # spacy.tokens.Token
_NAME_LABELS = ("PERSON",)
_PERSON_HONORIFICS = frozenset("mr mrs ms miss dr sir dame lord lady".split())
# Words that modify a title ("general secretary", "chief executive", "shadow minister").
ROLE_MODIFIERS = frozenset("""shadow former ex acting interim deputy assistant associate senior junior joint
co vice chief general permanent executive managing medical clinical nursing policy press news political
health care social finance financial home foreign education justice business culture transport
environment housing public national regional local international""".split())
_ORG_LABELS = ("ORG", "GPE", "NORP", "FAC")
_SKIP_DEPS = ("relcl", "acl", "punct", "cc", "advmod")


@dataclass(frozen=True)
class Mention:
    """Who a source phrase names; any field may be None.

    ``start``/``end``: document offsets of the whole phrase. ``name``: one person as written
    (honorifics and titles left out). ``proper``: a capitalised name whose kind spaCy left open
    or got wrong (a bare surname it tags ORG); the registry decides. ``pronoun``: he, she,
    they, it, we, i. ``noun``: the head common noun of a description ("union", "statement",
    "spokeswoman"). ``plural``: a group speaks ("aides", "Democrats").
    """

    start: int
    end: int
    name: str | None = None
    proper: str | None = None
    organisation: str | None = None
    role: str | None = None
    party: str | None = None
    pronoun: str | None = None
    noun: str | None = None
    plural: bool = False
    definite: bool = False  # "the governor", "this businessman": someone already known
    titles: frozenset[str] = frozenset()  # title and place words around the name ("governor", "indiana")
    ner: str | None = None  # spaCy's entity label of the head, if any
    legislator: bool = False  # "Rep. X", "Sen. X": a party tag is their organisation
    staff_of: str | None = None  # "X, a top Trump surrogate": the word before the staff title

    @property
    def empty(self) -> bool:
        return not (self.name or self.proper or self.organisation or self.role or self.pronoun
                    or self.noun or self.party)


def phrase_bounds(head: Token) -> tuple[int, int]:
    """Token range [lo, hi) of the phrase headed by ``head``, trailing punctuation left out."""
    lo, hi = head.left_edge.i, head.right_edge.i + 1
    doc = head.doc
    while hi - 1 > lo and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
        hi -= 1
    while lo < hi - 1 and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    return lo, hi


def _ent_of(tok: Token):
    return tok.doc[tok.ent_iob_ and tok.i:tok.i + 1].ents[0] if tok.ent_type_ else None


def _entity(tok: Token):
    """The entity span containing ``tok``, or None."""
    if not tok.ent_type_:
        return None
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end:
            return ent
    return None


def clean_name(words: list[str], lex: Lexicon) -> str | None:
    """A name without its leading honorifics and titles: ["Rep.", "G.K.", "Butterfield"] ->
    "G.K. Butterfield". None if nothing is left."""
    i = 0
    while i < len(words) - 1 and (words[i].lower().rstrip(".") in HONORIFICS or lex.is_title(words[i])
                                  or words[i][:1].islower()):
        i += 1
    out = [w for w in words[i:] if w not in ("’s", "'s")]
    name = " ".join(out).strip(" ,")
    name = re.sub(r"[’']s$", "", name)
    return name or None


def _compounds(head: Token) -> list[Token]:
    """``head`` and the compound/flat modifiers left of it, in order (the name chain)."""
    chain = [head]
    frontier = [head]
    while frontier:
        t = frontier.pop()
        for c in t.lefts:
            if c.dep_ in ("compound", "flat", "nmod", "amod", "poss", "nummod", "punct") and c.i < head.i:
                chain.append(c)
                frontier.append(c)
    return sorted(chain, key=lambda t: t.i)


def read_mention(head: Token, offset: int, lex: Lexicon, extra: list[Token] = ()) -> Mention:
    """The :class:`Mention` of the phrase headed by ``head`` (a token of a paragraph parsed on
    its own; ``offset`` is the paragraph's start in the document). ``extra``: phrases in
    apposition that the parse attached elsewhere (a second subject of the same verb)."""
    doc = head.doc
    lo, hi = phrase_bounds(head)
    start, end = offset + doc[lo].idx, offset + doc[hi - 1].idx + len(doc[hi - 1])
    low = head.lower_
    if head.tag_ in ("PRP", "PRP$") or (low in PRONOUNS and head.pos_ in ("PRON", "")):
        if low in PRONOUNS:
            return Mention(start, end, pronoun=PRONOUNS[low])
    party = _party(doc, lo, hi, _clauses(head))
    chain = _compounds(head)
    person = _person_entity(head, chain, lex)
    appos = [c for c in head.rights if c.dep_ == "appos"] + [t for t in extra if t.i != head.i]
    role, org = _role_and_org(head, chain, person, appos, lex)
    name = proper = None
    plural = head.tag_ in ("NNS", "NNPS")
    split = _name_of_org(head, lex) if person is None else None
    if split is not None:
        person_tokens, org_name = split
        name = clean_name([t.text for t in person_tokens], lex)
        org = org or org_name
        plural = False
    elif person is not None:
        name = clean_name([t.text for t in person if t.i <= max(head.i, person.end - 1)], lex)
        plural = False
    elif head.tag_ in ("NNP", "NNPS") and lex.is_title(head.text) and not _entity(head):
        role = role or _appos_role(head)  # "The President of the College said"
        org = org or _pp_org(head)
    elif head.tag_ in ("NNP", "NNPS") and not _is_org_word(head):
        ent = _entity(head)
        words = [t.text for t in chain if t.tag_ in ("NNP", "NNPS") or t.text in ("’s", "'s")]
        if ent is not None and ent.label_ in _ORG_LABELS and not _bare_surname(ent):
            if ent.label_ == "NORP" and party_of(ent.text):
                return Mention(start, end, organisation=party_of(ent.text), plural=True, party=party_of(ent.text))
            org = org or _org_text(ent)
        else:
            proper = clean_name(words, lex)
    elif head.tag_ in ("NNP", "NNPS"):
        ent = _entity(head)
        org = org or (_org_text(ent) if ent is not None else " ".join(t.text for t in chain if t.tag_ in ("NNP", "NNPS")))
    if person is None and proper is None and name is None:
        for a in appos:  # "his spokesman, Brian Fallon"
            inner = _person_entity(a, _compounds(a), lex)
            if inner is not None:
                name = clean_name([t.text for t in inner], lex)
                break
            if a.tag_ == "NNP" and not _is_org_word(a) and not lex.is_title(a.text):
                name = clean_name([t.text for t in _compounds(a) if t.tag_ == "NNP"], lex)
                break
    noun = None
    if name is None and proper is None and head.tag_ in ("NN", "NNS") and low in DOC_NOUNS:
        owner = next((c for c in head.children if c.dep_ == "poss" and c.tag_ in ("NNP", "NNPS")), None)
        if owner is not None and owner.ent_type_ == "PERSON":
            ent = _entity(owner)  # "Ivana Trump's brief says": the person speaks through it
            name = clean_name([t.text for t in ent if t.i <= owner.i] if ent is not None else [owner.text], lex)
        elif owner is not None and org is None:
            ent = _entity(owner)
            org = _org_text(ent) if ent is not None else re.sub(r"[’']s?$", "", owner.text)  # "Monitor’s release says"
    if name is None and proper is None and head.tag_ in ("NN", "NNS"):
        noun = low
        if head.text[:1].isupper() and not _is_org_word(head) and not lex.is_title(head.text) \
                and not any(c.dep_ == "det" for c in head.children):
            proper = head.text  # "Ditto said": a surname spaCy read as a word; the registry decides
        if lex.is_title(low) and not role:
            role = _title_text(head, chain)
        if low in ORG_SUFFIXES and org is None:  # "the Clinton campaign"
            owner = [t for t in chain if t.ent_type_ == "PERSON" or t.tag_ == "NNP"]
            if owner:
                org = f"{_surname(owner)} {low}"
                noun = None
    if org and (name or proper) and _not_employer(org, doc, lo, hi):
        # "House Speaker Paul Ryan", "the attorney general of Oklahoma": a chamber or a place is
        # part of a politician's title, not their organisation; their party is.
        org = None
    if org is None and party and (name or proper or role):
        org = party
    # "the governor", and "Obama's former strategist": someone in particular, named elsewhere.
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") or c.dep_ == "poss"
                   and c.ent_type_ in ("PERSON", "ORG", "GPE") for c in head.children)
    legislator = any(t.lower_.rstrip(".") in _LEGISLATOR_TITLES for t in chain if t.i < head.i)
    if legislator and party and (name or proper):
        org = party  # "Rep. G.K. Butterfield (D-N.C.), head of the Congressional Black Caucus"
    ent = _entity(head)
    staff_of = None
    if org is None and (name or proper):
        staff_of = next((_surname([c]) for a in appos if a.lower_ in _CAMPAIGN_STAFF for c in a.lefts
                         if c.dep_ in ("compound", "poss", "amod", "nmod") and c.text[:1].isupper()
                         and not party_of(c.text) and not c.text.isupper()), None)
    return Mention(start, end, name, proper, org, role, party, None, noun, plural, definite,
                   _title_words(doc, lo, hi, head, person, lex), ent.label_ if ent is not None else None,
                   legislator, staff_of)


_HONORIFIC_TITLES = {"gov": "governor", "sen": "senator", "rep": "congressman", "pres": "president",
                     "gen": "general", "lt": "lieutenant", "col": "colonel", "capt": "captain"}


def _title_words(doc, lo: int, hi: int, head: Token, person, lex: Lexicon) -> frozenset[str]:
    """Lower-case title nouns, abbreviated titles spelled out, and place names in the phrase,
    for matching a later "the Indiana governor" to "Indiana Gov. Mike Pence"."""
    out = set()
    for t in doc[lo:hi]:
        if person is not None and person.start <= t.i < person.end:
            continue
        w = t.lower_.rstrip(".")
        if w in _HONORIFIC_TITLES:
            out.add(_HONORIFIC_TITLES[w])
        elif t.tag_ in ("NN", "NNS") and (lex.is_title(w) or t.dep_ in ("appos", "compound")):
            out.add(w)
        elif t.ent_type_ in ("GPE", "NORP") and t.is_alpha:
            out.add(w)
    return frozenset(out)


def _name_of_org(head: Token, lex: Lexicon):
    """An ORG entity that is a name and an organisation, "Don Redding of National Voices":
    (the name's tokens, the organisation), or None."""
    ent = _entity(head)
    if ent is None or ent.label_ != "ORG":
        return None
    words = list(ent)
    of = next((i for i, t in enumerate(words) if t.lower_ in ("of", "from")), None)
    if of is None or not 2 <= of <= 3:
        return None
    person = words[:of]
    if not all(t.tag_ == "NNP" and t.text[:1].isupper() and not _is_org_word(t) and not lex.is_title(t.text)
               and t.lower_ not in ORG_SUFFIXES for t in person):
        return None
    rest = " ".join(t.text for t in words[of + 1 :])
    if not rest:  # the entity stops at "of": the organisation is the preposition's object
        rest = _pp_org(head, ("of", "from")) or _pp_org(words[of - 1], ("of", "from")) or ""
    return (person, re.sub(r"^(?:the|The)\s+", "", rest)) if rest else None


_LEGISLATOR_TITLES = frozenset("rep sen senator congressman congresswoman representative assemblyman "
                               "mp mep".split())
_LEGISLATURES = frozenset("house senate congress parliament commons lords assembly legislature "
                          "administration".split())


def _not_employer(org: str, doc, lo: int, hi: int) -> bool:
    if org.lower().removeprefix("the ").strip() in _LEGISLATURES:
        return True
    ents = [e for e in doc.ents if e.start >= lo and e.end <= hi and _org_text(e) == org]
    return bool(ents) and all(e.label_ in ("GPE", "LOC", "NORP") for e in ents)


_SCENE_PREPS = frozenset("in at from".split())


def _person_entity(head: Token, chain: list[Token], lex: Lexicon):
    ent = _entity(head)
    if ent is not None and ent.label_ in _NAME_LABELS:
        if len(ent) >= 3 and ent.start > 0 and ent.doc[ent.start - 1].lower_ in _SCENE_PREPS \
                and ent.doc[ent.start - 1].is_sent_start and ent[0].dep_ == "compound" and ent[1:].root.i == head.i:
            # "In Brighton Ed Jones and Jo Hart set out …": the parse has run the opening place
            # into the name; the person is the rest.
            return ent[1:]
        return ent
    if ent is not None and ent.label_ in _ORG_LABELS:
        # "Later Ms Lopez": an honorific makes the rest of the entity a person's name.
        at = next((i for i, t in enumerate(ent) if t.lower_.rstrip(".") in _PERSON_HONORIFICS), None)
        if at is not None and at + 1 < len(ent) and ent[at + 1 :].root.i == head.i:
            return ent[at + 1 :]
    # "Debbie Freake, director of integration for …": a name with a job title in apposition is
    # a person's, whatever label NER gave it.
    if ent is not None and ent.label_ == "ORG" and len(ent) <= 3 and all(t.tag_ == "NNP" for t in ent) and \
            not any(_is_org_word(t) or t.lower_ in ORG_SUFFIXES for t in ent) and \
            any(c.dep_ == "appos" and lex.is_title(c.text) for c in head.children):
        return ent
    # "Amanda Doyle and Steve Kell": a name coordinated with a person's is a person's, whatever
    # label NER gave it.
    if ent is not None and ent.label_ == "ORG" and all(t.tag_ == "NNP" for t in ent) and \
            any(c.dep_ == "conj" and c.ent_type_ == "PERSON" for c in head.children):
        return ent
    return None


def _bare_surname(ent) -> bool:
    """One capitalised word tagged ORG/GPE: often a surname spaCy mistook ("Caddell"), unless
    an article makes it a name of a thing ("The Guardian")."""
    if len(ent) != 1 or ent.label_ not in ("ORG", "GPE") or not ent[0].text[:1].isupper() or ent[0].text.isupper():
        return False
    return not any(c.dep_ == "det" for c in ent[0].children) and not (ent.start > 0 and ent.doc[ent.start - 1].lower_ == "the")


def _is_org_word(tok: Token) -> bool:
    return tok.lower_ in ORG_NOUNS or tok.lower_ in DOC_NOUNS


_TITLE_TAIL = frozenset("permanent chief general executive deputy acting interim senior vice assistant "
                        "director secretary chair chairman president editor spokesman spokeswoman".split())
_TIME_PREFIX = re.compile(r"^\d{1,2}[.:]\d{2}\s?[ap]m\s+", re.I)


def _org_text(ent) -> str:
    """An ORG entity's name without a time prefix, possessive, leading article, or trailing
    title words NER swept in ("Department of Health Permanent [Secretary]")."""
    words = [t for t in ent]
    while len(words) > 1 and words[-1].lower_ in _TITLE_TAIL:
        words = words[:-1]
    text = "".join(t.text_with_ws for t in words).strip()
    text = _TIME_PREFIX.sub("", text)
    text = re.sub(r"[’']s?$", "", text)
    return re.sub(r"^the\s+", "", text, flags=re.I)


def _surname(tokens: list[Token]) -> str:
    words = [t.text for t in tokens if t.text not in ("’s", "'s")]
    return re.sub(r"[’']s$", "", words[-1]) if words else ""


def _title_text(head: Token, chain: list[Token]) -> str:
    """The title phrase ending at ``head``: its lower-case modifiers and it ("campaign manager")."""
    words = [t for t in chain if t.i <= head.i and t.tag_ in ("NN", "NNS", "JJ", "VBN") and not t.ent_type_]
    # Keep the contiguous run that ends at the head.
    run: list[Token] = []
    for t in reversed(words):
        if run and run[0].i - t.i > 1:
            break
        run.insert(0, t)
    return " ".join(t.lower_ for t in run) or head.lower_


def _clauses(head: Token) -> set[int]:
    """Token indices of the clauses inside a phrase ("X, who campaigned for Republican nominee
    Y,"): what they say is about someone else."""
    out: set[int] = set()
    for holder in [head, *(c for c in head.children if c.dep_ == "appos")]:
        for c in holder.children:
            if c.dep_ in ("relcl", "acl", "advcl"):
                out.update(t.i for t in c.subtree)
    return out


def _of_another(t: Token) -> bool:
    """A party word that describes a person named in a clause ("who campaigned for GOP nominee
    Y"), not the phrase's own person ("whose candidacy for the Democratic nomination")."""
    h = t
    while h.dep_ in ("amod", "compound", "nmod") and h.head.i != h.i:
        h = h.head
    return h.ent_type_ == "PERSON" or any(c.ent_type_ == "PERSON" for c in h.children
                                          if c.dep_ in ("compound", "appos", "flat"))


def _party(doc, lo: int, hi: int, skip: set[int] = frozenset()) -> str | None:
    """A party the phrase names for its person: "(D-N.C.)", "Republican Sen. X", "Democrat X".
    The tag may stand just after the phrase the parse gives ("Paul D. Ryan (R-Wis.) said").
    Tokens of ``skip`` (relative clauses) are not the person's."""
    if skip and hi > lo:
        first = min((i for i in skip if lo <= i < hi), default=hi)
        hi_tag = max(lo + 1, first)
    else:
        hi_tag = hi
    end = min(len(doc.text), doc[hi_tag - 1].idx + len(doc[hi_tag - 1]) + 14) if hi > lo else 0
    text = doc.text[doc[lo].idx:end] if hi > lo else ""
    m = PARTY_TAG.search(text)
    if m:
        return PARTY_LETTERS.get(m.group(1))
    for t in doc[lo:hi]:
        if t.i in skip and _of_another(t):
            continue
        if t.text[:1].isupper() and party_of(t.text) and (t.ent_type_ == "NORP" or t.dep_ in ("amod", "compound")):
            return party_of(t.text)
    return None


def _role_and_org(head: Token, chain: list[Token], person, appos: list[Token], lex: Lexicon):
    """Role and organisation from the title words before the name, an apposition after it, and
    "of/at/for X" phrases: "FBI Director James Comey", "X, chief executive of Y", "X of Y"."""
    role = org = None
    name_start = person.start if person is not None else head.i
    before = [t for t in chain if t.i < name_start]
    titles = [t for t in before if lex.is_title(t.text) and t.lower_.rstrip(".") not in _PERSON_HONORIFICS
              and not t.text.endswith(".") and not (t.ent_type_ in _ORG_LABELS and t.text[:1].isupper())]
    if titles:
        last = titles[-1]
        run = [t for t in before if t.i <= last.i and (t.tag_ in ("NN", "NNS", "JJ", "VBN") or t is last
               or t.lower_ in ROLE_MODIFIERS or lex.is_title(t.text)) and not t.ent_type_ and not party_of(t.text)
               and t.lower_.rstrip(".") not in _PERSON_HONORIFICS and not t.text.endswith(".")]
        role = " ".join(t.lower_ for t in run[-3:]) or last.lower_
    for t in before:
        ent = _entity(t)
        if ent is not None and ent.label_ == "ORG" and (person is None or ent.start < person.start) \
                and not ent.start <= head.i < ent.end:
            org = _org_text(ent)
        elif t.ent_type_ == "PERSON" and role and (t.dep_ == "poss" and "campaign" in role
                                                   or role.split()[-1] in _CAMPAIGN_STAFF):
            # "Clinton's campaign manager", "Clinton spokesman Brian Fallon", "a top Trump surrogate"
            org = f"{re.sub(r'[’' + chr(39) + r']s$', '', t.text)} campaign"
    for t in before:
        if t.lower_ in ORG_SUFFIXES and org is None:  # "Trump campaign manager Kellyanne Conway"
            owner = [x for x in before if x.i < t.i and (x.ent_type_ in ("PERSON", "ORG") or x.tag_ == "NNP")]
            if owner:
                org = f"{_surname(owner)} {t.lower_}"
    if org is not None and _former(before):
        org = None  # "Ex-McKinsey consultant X", "Retired Air Force general X": a post they left
    for a in appos:  # "X, the chief executive of Y"
        if lex.is_title(a.text) or any(lex.is_title(t.text) for t in a.lefts if t.tag_ in ("NN", "NNS")) \
                or a.dep_ != "appos" and a.tag_ in ("NN", "NNS"):  # a second subject: "Co-chairs A and B said"
            role = role or _appos_role(a)
        if not _former([t for t in a.subtree if t.i < a.i]):  # "X, the former secretary of State"
            org = org or _pp_org(a)
    for holder in [head, *appos]:  # "Kenneth Baer, a former official who runs Crosscut Strategies"
        for rel in holder.children:
            if rel.dep_ == "relcl" and rel.lower_ in _RUNS:
                obj = next((c for c in rel.children if c.dep_ in ("dobj", "obj") and c.tag_ in ("NNP", "NNPS")), None)
                if obj is not None and org is None:
                    ent = _entity(obj)
                    org = _org_text(ent) if ent is not None and ent.label_ == "ORG" else _proper_phrase(obj)
    org = org or _pp_org(head, ("of", "from") if person is not None else _PREPS)
    if org is None and titles and not _former(before):
        # "Monitor chief executive David Bennett", "HSJ editor Alastair McLellan": the name just
        # before the title words is the employer's.
        first = min(t.i for t in titles)
        run = []
        for t in reversed([t for t in before if t.i < first]):
            if t.tag_ not in ("NNP", "NNPS") or t.ent_type_ in ("PERSON", "GPE", "NORP") or party_of(t.text) \
                    or t.lower_.rstrip(".") in HONORIFICS or t.lower_ in ROLE_MODIFIERS:
                break
            run.insert(0, t)
        if run and run[-1].i == first - 1 - sum(1 for t in before if first > t.i > run[-1].i):
            org = " ".join(t.text for t in run)
    head_ent = _entity(head)
    if org is None and person is None and lex.is_title(head.text) and not (
            head.text[:1].isupper() and head_ent is not None and head_ent.label_ == "ORG"):
        # "the Gawker employee wrote": the name before a bare title is the employer's (not in
        # a name that ends in a title word, "The New York Post").
        names = [t for t in before if t.tag_ == "NNP" and t.ent_type_ != "PERSON" and not party_of(t.text)
                 and t.text[:1].isupper()]
        if names:
            org = " ".join(t.text for t in names)
    return role, org


# Words that make a title a post its holder has left: the employer it names is not theirs now.
FORMER = frozenset("former ex retired onetime one-time erstwhile".split())


def _former(tokens: list[Token]) -> bool:
    """A title phrase that says the post is a past one ("former", "retired", "ex-")."""
    return any(t.lower_ in FORMER or t.lower_.startswith("ex-") for t in tokens)


def _appos_role(a: Token) -> str:
    lo, hi = phrase_bounds(a)
    words = []
    for t in a.doc[lo:hi]:
        if t.dep_ == "det" and t.i == lo or t.dep_ in ("relcl",):
            continue
        if t.ent_type_ in ("ORG", "GPE") or t.dep_ == "punct" or party_of(t.text) and t.text[:1].isupper():
            if t.i > a.i:
                break
            continue
        words.append(t.text)
    role = " ".join(words).strip()
    role = re.sub(r"\s+(?:of|at|for|with)$", "", role)
    return role[0].lower() + role[1:] if role else a.lower_


_PREPS = ("of", "at", "for", "with", "from")
_RUNS = frozenset("runs ran heads headed leads led founded chairs chaired directs directed owns".split())
_CAMPAIGN_STAFF = frozenset("surrogate spokesman spokeswoman spokesperson aide adviser advisor strategist "
                            "pollster manager chairman chairwoman".split())


def _pp_org(tok: Token, preps: tuple[str, ...] = _PREPS) -> str | None:
    """An organisation in "of/at/for/with X" under ``tok`` ("director of policy at National Voices")."""
    for prep in tok.children:
        if prep.dep_ != "prep" or prep.lower_ not in preps:
            continue
        for pobj in prep.children:
            if pobj.dep_ != "pobj":
                continue
            ent = _entity(pobj)
            if ent is not None and ent.label_ in ("ORG", "GPE"):
                phrase = _proper_phrase(pobj)
                words = phrase.split()
                # "Iraq and Afghanistan Veterans of America": NER stopped at "Iraq".
                if len(words) > len(ent) and all(w[:1].isupper() or w in ("of", "and", "the", "for", "&") for w in words):
                    return phrase
                return _org_text(ent)
            if ent is not None and ent.label_ == "PERSON" and prep.lower_ == "for":
                return f"{_surname(list(ent))} campaign"  # "a spokeswoman for Stein"
            if pobj.tag_ in ("NNP", "NNPS") and ent is None:
                return _proper_phrase(pobj)  # "Don Redding of National Voices" when NER missed it
            owner = next((c for c in pobj.children if c.dep_ == "poss" and c.tag_ in ("NNP", "NNPS")), None)
            if owner is not None:  # "co-chair of NHS Clinical Commissioners’ leadership group"
                owner_ent = _entity(owner)
                if owner_ent is None or owner_ent.label_ in ("ORG", "GPE"):
                    return _org_text(owner_ent) if owner_ent is not None else _proper_phrase(owner)
            named = next((_entity(c) for c in pobj.lefts if c.dep_ in ("compound", "nmod")
                          and _entity(c) is not None and _entity(c).label_ == "ORG" and len(_entity(c)) > 1), None)
            if named is not None:  # "chief executive of the Acme Health social enterprise"
                return _org_text(named)
            deeper = _pp_org(pobj)
            if deeper:
                return deeper
    return None


def _proper_phrase(tok: Token) -> str:
    """The capitalised name headed by ``tok``, with its "of X" parts ("University of the West
    of England"), without a leading article."""
    lo, hi = phrase_bounds(tok)
    words = []
    for t in tok.doc[lo:hi]:
        if t.dep_ in ("relcl", "acl", "appos") or t.text in (",", "(", ";"):
            break
        words.append(t.text_with_ws)
    text = "".join(words).strip()
    return re.sub(r"^(?:the|The)\s+", "", text)
