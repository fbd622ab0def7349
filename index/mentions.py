"""Recognise who a stretch of news text names: people, their roles, and organisations.

Rule-based and cheap (regular expressions over short strings), built from the way news, live
blogs and comment threads introduce speakers: ``Chair Dr Maureen Baker``, ``Don Redding of
National Voices``, ``NHS Confederation's chief executive Rob Webster``, ``Steve Kell,
co-chair of NHS Clinical Commissioners``, ``the shadow health secretary``, ``The FDA union``,
``A DH press release``, ``he``. The word lists below are general English (job titles, words
that name institutions, pronouns), never names taken from a particular corpus.

:func:`parse_mention` turns the text just before (or after) a speech verb into a
:class:`Mention`; :mod:`index.attribution` resolves pronouns and partial names against the
rest of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A capitalised word (O'Brien, Na'eem, McLellan, Talbot-Rice) or an acronym (NHS, FTs, RCGP).
CAP = r"(?:[A-Z][a-z]*(?:[’'][A-Za-z]+)+|Ma?c[A-Z][a-z]+|[A-Z][a-z]+(?:-[A-Z][a-z]+)*|[A-Z]{2,}s?(?=\W|$)|[A-Z]\.)"
HONORIFIC = r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Sir|Dame|Lord|Lady|Baroness|Baron|Professor|Prof|Cllr|Councillor|Rev|Rt Hon)\.?"
_HONORIFIC_RE = re.compile(rf"^{HONORIFIC}\s+")

# Job titles: the head noun of a role phrase ("chief executive", "director of policy").
ROLE_HEADS = frozenset("""
chair chairs chairman chairwoman chairperson co-chair co-chairs president vice-president director
directors secretary minister executive officer leader head spokesman spokeswoman spokesperson
professor editor reporter correspondent journalist manager lead founder chancellor governor mayor
councillor mp mep commissioner adviser advisor consultant analyst economist member trustee fellow
lecturer surgeon chief boss presenter columnist blogger campaigner official dean principal
treasurer coordinator ambassador senator representative premier deputy registrar physician
clinician practitioner superintendent controller inspector auditor doctor nurse gp scientist
researcher lawyer judge midwife pharmacist""".split())
# Words that modify a job title ("shadow health secretary", "acute sector reporter").
ROLE_MODIFIERS = frozenset("""
shadow former ex acting interim deputy assistant associate senior junior joint co vice chief general
permanent executive managing medical clinical nursing policy press news political health care
social finance financial home foreign education justice business culture transport environment
housing public sector acute primary programme strategy operations digital research national
regional local international integration integrated emergency care respected veteran new outgoing
incoming""".split())
# Capitalised words that name institutions rather than people.
ORG_WORDS = frozenset("""
National Royal College Colleges Network Trust Trusts Fund Foundation Confederation Federation
Association Department Ministry Office Agency Authority Board Commission Committee Council Union
Party Group Academy Centre Center Institute University Hospital Hospitals Service Services Health
Healthcare Care Commissioners Alliance Partnership Society League Forum Bank Company Corporation
Ltd Inc Plc plc Press News Times Post Guardian Mail Telegraph Independent Mirror Express Observer
Herald Journal Gazette Chronicle Tribune Standard Review Magazine Daily Weekly Faculty School
Clinic Practice Surgery Mandate Insight Voices Watch Action Unit Court Parliament Government
Cabinet Treasury Assembly Church Club Organisation Organization Systems Partners Associates Research
Enterprise International Media Radio Television Channel Programme Executive Inquiry Tribunal
Directorate Regulator Commissioning Medicine Practitioners Physicians Nursing Surgeons""".split())
# Capitalised words that begin sentences or name times and places, never a person's name.
COMMON_CAPS = frozenset("""
The A An This That These Those In On At By For From With As And But Or If It Its We Our Us He She
They His Her Their Them Here There What When Where Who Whom Whose Why How Which While After Before
Under Over Asked According Addressing Speaking Following However Meanwhile Also Yet So Then Now
Today Yesterday Tomorrow Last Next New Old First Second Third Finally Great Good Excellent Many Much
Some Any All No Not One Two Three Four Five Six Seven Eight Nine Ten Ex Mr Mrs Ms Dr Sir Dame Lord
Lady Professor Prof Cllr Rev January February March April May June July August September October
November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday I You Your My Me Let
Read Click Follow See Join Post Subscribe Enter Sign Register Bookmark Share Photo Live More Less
UK US USA EU GB England Scotland Wales Britain British English Scottish Welsh London Europe
European Labour Conservative Conservatives Tory Tories Liberal Democrat Democrats Lib Dem Dems
Green Greens Republican Republicans Christmas Easter Act Bill Plan View Forward Year Time Day Week
Month Hour Minute Is Are Was Were Be Been Do Does Did Has Have Had Would Can Could Should
Must Might Shall Please Thanks Thank Yes Well Just Only Even Still Again Both Each Every Other
Such Same Than Too Very Q Here’s There’s It’s That’s Another Other Today’s Yesterday’s""".split())
# Political parties: general knowledge, used to name a party member's organisation.
PARTIES = {
    "labour": "Labour Party",
    "conservative": "Conservative Party",
    "conservatives": "Conservative Party",
    "tory": "Conservative Party",
    "tories": "Conservative Party",
    "liberal democrat": "Liberal Democrat Party",
    "liberal democrats": "Liberal Democrat Party",
    "lib dem": "Liberal Democrat Party",
    "lib dems": "Liberal Democrat Party",
    "snp": "Scottish National Party",
    "green party": "Green Party",
    "greens": "Green Party",
    "ukip": "UKIP",
    "plaid cymru": "Plaid Cymru",
    "democrats": "Democratic Party",
    "republicans": "Republican Party",
}
_PARTY_RE = re.compile(
    r"\b(Liberal Democrats?|Lib Dems?|Labour|Conservatives?|Tory|Tories|SNP|Green Party|Greens|UKIP|"
    r"Plaid Cymru|Democrats|Republicans)\b(?:\s+Party)?"
)
# Nouns for what an organisation publishes; "the statement says" speaks for its publisher.
DOC_NOUNS = frozenset("""
statement release report paper story editorial letter guidance plan website site blog article
briefing document survey analysis review study manifesto headline announcement response
submission strategy""".split())
# Generic nouns after an organisation's name ("The FDA union") or alone ("the union").
ORG_NOUNS = frozenset("""
union college party regulator charity trust network body organisation organization department
government council board agency authority association federation confederation society paper
newspaper broadcaster think-tank institute academy commission committee group""".split())
# Plural nouns for a group speaking together ("GP leaders expressed alarm").
GROUP_NOUNS = frozenset("""
leaders supporters critics campaigners members doctors nurses unions charities experts officials
ministers MPs GPs patients residents staff managers commissioners economists analysts academics
clinicians surgeons activists protesters opponents backers""".split())
PRONOUNS = {"he": "he", "she": "she", "they": "they", "it": "it", "him": "he", "her": "she"}
# What may stand between a subject and its verb: "Mr Lamb last week said", "has just tweeted".
_TRAILING_FILLER = re.compile(
    r"(?:\s+(?:has|have|had|is|are|was|were|did|does|do|will|would|also|just|now|then|again|today|"
    r"yesterday|tonight|recently|previously|already|further|later|earlier|once|still|last\s+\w+|"
    r"this\s+(?:morning|afternoon|evening|week|month|year)|on\s+[A-Z][a-z]+day|sought\s+to|tried\s+to|"
    r"went\s+on\s+to|moved\s+to|been|not|never|repeatedly|publicly|strongly|clearly|who|which|that))+\s*$"
)

_CAP_RE = re.compile(CAP)
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z’'\-]*|&")


@dataclass(frozen=True)
class Mention:
    """Who a phrase names. Any field may be None; ``pronoun`` and ``noun`` need resolving.

    ``name`` is one person ("Maureen Baker") or several joined by " and "; ``noun`` is the head
    of a definite description ("college", "union", "statement", "paper") or of a group
    ("leaders"); ``group`` is the whole group phrase ("GP leaders").
    """

    name: str | None = None
    role: str | None = None
    organisation: str | None = None
    pronoun: str | None = None
    noun: str | None = None
    group: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.name or self.role or self.organisation or self.pronoun or self.noun or self.group)


def strip_honorific(name: str) -> str:
    out = name
    while True:
        new = _HONORIFIC_RE.sub("", out)
        if new == out:
            return out.strip()
        out = new


def is_acronym(word: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]{2,}s?|[A-Z][A-Z&]+[A-Z]", word))


def acronym_of(name: str) -> str:
    """Initials of an organisation's name: "Royal College of General Practitioners" -> "RCGP".

    Acronyms inside the name are kept whole ("NHS Clinical Commissioners" -> "NHSCC").
    """
    out = []
    for word in re.findall(r"[A-Za-z][A-Za-z’'\-]*", name):
        if word.lower() in {"of", "the", "and", "for", "in", "on", "at", "to"}:
            continue
        out.append(word if is_acronym(word) else word[0].upper())
    return "".join(out)


def party_of(text: str) -> str | None:
    """The party a phrase names ("Labour leader" -> "Labour Party"), if any."""
    m = _PARTY_RE.search(text)
    if not m:
        return None
    key = m.group(1).lower()
    if m.group(0).endswith("Party"):
        return m.group(0)
    return PARTIES.get(key, m.group(0))


def party_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in _PARTY_RE.finditer(text):
        party = PARTIES.get(m.group(1).lower(), m.group(0))
        if m.group(0).endswith("Party"):
            party = m.group(0)
        counts[party] = counts.get(party, 0) + 1
    return counts


def looks_like_org(phrase: str) -> bool:
    """A capitalised phrase that names an institution rather than a person."""
    words = phrase.replace("’s", "").replace("'s", "").split()
    if not words:
        return False
    if words[0] in ("The", "the"):
        return True
    if any(w in ORG_WORDS for w in words) or any(is_acronym(w) for w in words):
        return True
    if party_of(phrase):
        return True
    return " of " in phrase


def _is_name_word(word: str) -> bool:
    return (bool(_CAP_RE.fullmatch(word)) and word not in COMMON_CAPS and word not in ORG_WORDS
            and word.lower() not in ROLE_HEADS and not is_acronym(word) and len(word) > 1)


def person_runs(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, name)`` of person names in ``text``: two to four name words, or one after
    an honorific ("Mr Lamb"); "A B and C D" is one run naming both people."""
    runs: list[tuple[int, int, str]] = []
    tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", text)]
    i = 0
    while i < len(tokens):
        s, e, w = tokens[i]
        honor = bool(re.fullmatch(HONORIFIC, w))
        j = i + 1 if honor else i
        words = []
        while j < len(tokens):
            word = tokens[j][2].rstrip(",;:.")
            word = re.sub(r"[’']s?$", "", word) if re.search(r"[’']s?$", word) and j > i else word
            if not _is_name_word(word) or len(words) >= 4:
                break
            words.append(word)
            # A comma, colon or possessive after a word ends the name.
            if tokens[j][2] != word:
                j += 1
                break
            j += 1
        if len(words) >= 3 and not honor and i > 0 and tokens[i - 1][2].lower() in ("in", "at", "from", "to", "near"):
            words = words[1:]  # "In Brighton Ed Miliband": a place before the name
            s = tokens[i + 1][0]
        if words and (len(words) >= 2 or honor):
            start = tokens[i + 1][0] if honor else s
            end = tokens[j - 1][0] + len(words[-1])
            runs.append((start, end, " ".join(words)))
            i = j
        else:
            i += 1
    # "Amanda Doyle and Steve Kell": join two runs separated only by "and".
    merged: list[tuple[int, int, str]] = []
    for run in runs:
        if merged and re.fullmatch(r"\s+(?:and|&)\s+(?:(?:Dr|Mr|Mrs|Ms|Sir|Professor)\.?\s+)?",
                                   text[merged[-1][1]:run[0]]) and " " in merged[-1][2] + run[2]:
            prev = merged.pop()
            merged.append((prev[0], run[1], f"{prev[2]} and {run[2]}"))
        else:
            merged.append(run)
    return merged


_ORG_SEQ = re.compile(
    rf"(?:(?:The|the)\s+)?{CAP}(?:(?:\s+(?:of|for|and|&)(?:\s+the)?)?\s+{CAP})*"
)


def org_spans(text: str) -> list[tuple[int, int, str]]:
    """Capitalised phrases in ``text`` that name institutions, with a leading "the" dropped."""
    out = []
    for m in _ORG_SEQ.finditer(text):
        phrase = m.group().rstrip()
        phrase = re.sub(r"[’']s?$", "", phrase)
        core = re.sub(r"^(?:The|the)\s+", "", phrase)
        # Trim trailing words that are not part of the name ("Unison general" never happens
        # because lower-case stops the match; trim a trailing connector or sentence word).
        core = re.sub(r"\s+(?:of|for|and|&)$", "", core)
        words = core.split()
        while len(words) > 1 and (words[0] in COMMON_CAPS and not _PARTY_RE.match(" ".join(words))
                                  or words[0] in ("of", "for", "and", "&", "the")):
            words = words[1:]
        core = " ".join(words)
        # "Nicola Walsh of the King's Fund", "President of the College of X": the name is after "of".
        split = re.match(r"(.+?)\s+(?:of|for|from|at)\s+(?:the\s+)?(.+)$", core)
        if split and (_all_role_words(split.group(1)) or all(_is_name_word(w) for w in split.group(1).split())):
            core = split.group(2)
        if not core or core in COMMON_CAPS and not party_of(core):
            continue
        if looks_like_org(core) or phrase.startswith(("The ", "the ")) and not person_runs(core):
            start = m.start() + m.group().find(core)
            out.append((start, start + len(core), core))
    return out


def clean_role(role: str) -> str:
    role = re.sub(r"^(?:the|a|an|its|his|her|their|our)\s+", "", role.strip(" ,"), flags=re.I)
    return role.strip().lower()


def _role_phrase(words: list[str]) -> str | None:
    """The job title in a run of words, e.g. ["Director", "of", "policy"] -> "director of policy"."""
    lowered = [w.lower().strip(",") for w in words]
    heads = [i for i, w in enumerate(lowered) if w in ROLE_HEADS]
    if not heads:
        return None
    first = heads[0]
    while first > 0 and (lowered[first - 1] in ROLE_MODIFIERS or lowered[first - 1] in ROLE_HEADS
                         or lowered[first - 1] == "and"):
        first -= 1
    last = heads[-1]
    # "director of policy", "professor of emergency care": a lower-case complement.
    if last + 2 < len(words) + 1 and last + 1 < len(words) and lowered[last + 1] in ("of", "for") \
            and last + 2 < len(words) and words[last + 2][:1].islower() and words[last + 2] != "the":
        last += 2
        while last + 1 < len(words) and words[last + 1][:1].islower() and lowered[last + 1] not in (
                "at", "for", "of", "in", "and", "who", "which", "with"):
            last += 1
    while first < last and lowered[first] == "and":
        first += 1
    return " ".join(lowered[first : last + 1])


def parse_mention(text: str, forward: bool = False) -> Mention:
    """Who ``text`` names. ``text`` ends right before a speech verb (``forward=False``) or
    starts right after one (``forward=True``, as in "... said Jonathan Benger, professor of
    emergency care at the University of the West of England")."""
    text = text.strip(" ,\t\n")
    listed = _org_list(_TRAILING_FILLER.sub("", text).strip(" ,"))
    if listed and not forward:
        return Mention(organisation=listed)
    if forward:
        text = _forward_span(text)
    else:
        text = _TRAILING_FILLER.sub("", text).strip(" ,")
        text = _subject_span(text)
    if not text:
        return Mention()
    low = text.lower()
    if low in PRONOUNS:
        return Mention(pronoun=PRONOUNS[low])
    words = text.split()
    if words and words[-1] in GROUP_NOUNS and not forward:
        # "GP leaders", "Tony Blair supporters": the noun and the words naming whose they are.
        k = len(words) - 1
        while k > 0 and len(words) - k < 4 and (words[k - 1][:1].isupper() or words[k - 1] in ROLE_MODIFIERS):
            k -= 1
        return Mention(group=" ".join(words[k:]), noun=words[-1])
    m = _POSSESSIVE_DOC.search(text)
    if m:
        owner = m.group(1) or m.group(3)
        m_noun = m.group(2) or m.group(4)
        if owner in COMMON_CAPS:
            return Mention(noun=m_noun.lower())
        if person_runs(owner) and not looks_like_org(owner):
            return Mention(name=strip_honorific(person_runs(owner)[-1][2]), noun=m_noun.lower())
        return Mention(organisation=_clean_org(owner), noun=m_noun.lower())
    orgs_all = org_spans(text)
    persons = [p for p in person_runs(text) if not _inside(p, orgs_all)]
    if persons:
        start, end, name = persons[0] if forward else persons[-1]
        if not forward and not _PERSON_REST.fullmatch(text[end:]):
            return Mention()
        role, org = describe(text[:start], text[end:])
        return Mention(name=strip_honorific(name), role=role, organisation=org)
    orgs = [o for o in orgs_all if not _all_role_words(o[2])]
    has_doc = any(w.lower().strip(",") in DOC_NOUNS for w in words)
    role = _role_phrase(words)
    if role and not has_doc:
        org = orgs[-1][2] if orgs else party_of(text)
        return Mention(role=role, organisation=_clean_org(org))
    if orgs and not forward and not _ORG_REST.fullmatch(text[orgs[-1][1]:]):
        return Mention()
    if orgs:
        last_word = words[-1].lower()
        noun = last_word if (has_doc or last_word in ORG_NOUNS) else None
        return Mention(organisation=_clean_org(orgs[-1][2]), noun=noun)
    if len(words) <= 4 and re.fullmatch(r"(?:the|The|a|A|an|An|this|This|its|Its)\s+.*", text):
        return Mention(noun=words[-1].lower())
    if len(words) == 1 and _is_name_word(words[0]):
        return Mention(name=words[0])
    return Mention()


_CONNECTORS = {"of", "the", "and", "for", "&"}
# What may follow the subject's name before the verb: an appositive, "of ORG", a parenthesis.
_PERSON_REST = re.compile(r"(?:[’']s?)?\s*(?:,.*|\s(?:of|from|at|for|with)\s.*|\s*\(.*|)", re.S)
_ORG_REST = re.compile(r"(?:[’']s?)?\s*(?:[a-z\-]+\s+)?(?:[a-z\-]+)?\s*(?:,.*|\s*\(.*)?", re.S)
_LIST_TAIL = re.compile(rf"(?:^|\s)((?:The\s+)?{CAP}(?:\s+{CAP}){{0,4}}(?:,\s+{CAP}(?:\s+{CAP}){{0,4}})+,?\s+and\s+"
                        rf"{CAP}(?:\s+{CAP}){{0,4}})$")


def _org_list(text: str) -> str | None:
    """ "The DH, Monitor, CQC and Trust Development Authority" -> the organisations it lists."""
    m = _LIST_TAIL.search(text)
    if not m:
        return None
    items = re.split(r",\s*|\s+and\s+", re.sub(r"^The\s+", "", m.group(1)))
    items = [i for i in items if i]
    if len(items) < 3 or not any(looks_like_org(i) for i in items) or any(person_runs(i) for i in items
                                                                            if not looks_like_org(i)):
        return None
    return ", ".join(items[:-1]) + " and " + items[-1]


def describe(left: str, right: str) -> tuple[str | None, str | None]:
    """(role, organisation) from the words around a person's name.

    Left: the unbroken run of title words, capitalised names and connectors before the name
    ("NHS Confederation's chief executive", "The President of the College of Emergency
    Medicine,"). Right: "of/from/at ORG" or an appositive ", ROLE of ORG".
    """
    role = org = None
    tokens = re.findall(r"\S+", left)
    keep: list[str] = []
    for tok in reversed(tokens):
        if tok.endswith(",") and any(not re.fullmatch(HONORIFIC, k) for k in keep):
            break
        word = tok.strip(",")
        bare = re.sub(r"[’']s?$", "", word)
        low = bare.lower()
        if re.fullmatch(HONORIFIC, word) or low in ROLE_HEADS or low in ROLE_MODIFIERS \
                or low in _CONNECTORS or (_CAP_RE.fullmatch(bare) and (bare not in COMMON_CAPS or bare == "The"
                                                                       or party_of(bare))):
            if low.startswith("ex-"):
                break
            keep.append(tok)
            continue
        break
    while keep and keep[-1].lower().strip(",") in _CONNECTORS:
        keep.pop()
    desc = " ".join(reversed(keep))
    if desc:
        role = _role_phrase(desc.split())
        orgs = [o for o in org_spans(desc) if not _all_role_words(o[2])]
        if orgs:
            org = _trim_role_words(orgs[-1][2])
        lead = re.match(rf"((?:{CAP}\s+)*?{CAP})(?:[’']s)?\s+(?=\S)", desc)
        if not org and lead and not _all_role_words(lead.group(1)) and not re.fullmatch(HONORIFIC, lead.group(1)) \
                and lead.group(1) not in COMMON_CAPS and _role_phrase(desc[lead.end():].split()):
            org = lead.group(1)
        if not org:
            org = party_of(desc)
    m = re.match(r"\s*(?:of|from|at|for|with)\s+(.*)", right)
    if m and not org:
        orgs = org_spans(m.group(1))
        if orgs and re.match(r"(?:the|The)?\s*$", m.group(1)[: orgs[0][0]]):
            org = orgs[0][2]
    m = re.match(r"\s*,\s*(.*)", right)
    if m:
        tail = re.split(r"\s+(?:who|which|whose)\s+", m.group(1))[0]
        words = tail.split()
        r = _role_phrase(words[:10])
        if r and (words[0].lower() in ROLE_HEADS or words[0].lower() in ROLE_MODIFIERS
                  or words[0].lower() in ("the", "a", "an")):
            role = role or r
            cm = re.search(r"\b(?:of|at|for|from)\s+(?:the\s+)?(.*)|,\s*(.*)", tail)
            if cm and not org:
                orgs = org_spans(cm.group(1) or cm.group(2) or "")
                if orgs:
                    org = orgs[0][2]
    return role, _clean_org(org)


def _all_role_words(phrase: str) -> bool:
    words = phrase.lower().split()
    return bool(words) and all(w in ROLE_HEADS or w in ROLE_MODIFIERS for w in words)


def _trim_role_words(org: str) -> str:
    """ "Department of Health Permanent Secretary" -> "Department of Health"."""
    words = org.split()
    while len(words) > 1 and words[-1].lower() in ROLE_HEADS | ROLE_MODIFIERS \
            and words[-2].lower() not in _CONNECTORS:
        words.pop()
    return " ".join(words)


_POSSESSIVE_DOC = re.compile(
    rf"({CAP}(?:\s+(?:of\s+|and\s+)?{CAP})*)[’']s?\s+(?:[a-z\-]+\s+)?({'|'.join(sorted(DOC_NOUNS))})$"
    rf"|(?:^|\s)(?:A|An|a|an|The|the)\s+({CAP}(?:\s+{CAP})*)\s+(?:[a-z\-]+\s+)?({'|'.join(sorted(DOC_NOUNS))})$"
)


def _inside(run, spans) -> bool:
    return any(s <= run[0] and run[1] <= e for s, e, _ in spans)


def _overlaps(span, runs) -> bool:
    return any(span[0] < e and s < span[1] for s, e, _ in runs)


def _clean_org(org: str | None) -> str | None:
    """Drop a leading job title ("President of the College of X" -> "College of X") and "the"
    (kept for one-word names: "The Guardian"); name parties in full."""
    if not org:
        return None
    org = org.strip()
    org = re.sub(r"^(?:[A-Za-z\-]+\s+)*?(?:" + "|".join(sorted(ROLE_HEADS)) + r")\s+(?:of|at|for)\s+", "",
                 org, flags=re.I) if _role_phrase(org.split()[:4]) else org
    bare = re.sub(r"^(?:The|the)\s+", "", org)
    party = PARTIES.get(bare.lower()) or (party_of(bare) if bare.lower().endswith("party") else None)
    if party:
        return party
    if " " not in bare and not is_acronym(bare) and bare != org:
        return "The " + bare
    return bare


_CLAUSE_BREAK = re.compile(
    r"(?:[.;:!?]\s*|\s+(?:that|when|because|while|although|though|if|but|so)\s+(?=[a-z]))"
)
_RELATIVE = re.compile(r",?\s+(?:who|which|whose)\s+[^,]*(?=,|$)")


def _subject_span(text: str) -> str:
    """The part of ``text`` (which ends right before a verb) that is the verb's subject."""
    # "Sir John Oldham, respected clinical leader who authored ..., has tweeted"
    text = _RELATIVE.sub("", text)
    # A colon or sentence break before the subject ends the previous clause ("New on HSJ:Name").
    cut = 0
    for m in _CLAUSE_BREAK.finditer(text):
        cut = m.end()
    tail = text[cut:]
    segments = [s.strip() for s in tail.split(",")]
    segments = [s for s in segments if s]
    if not segments:
        return ""
    # Skip a parenthetical participle: "The shadow health secretary, speaking to ..., said".
    while len(segments) > 1 and re.match(r"[a-z]+(?:ing|ed)\b", segments[-1]) \
            and not _role_phrase(segments[-1].split()):
        segments.pop()
    last = _LEADING_WORDS.sub("", segments[-1])
    if len(segments) > 1:
        prev = segments[-2]
        last_words = last.split()
        prev_words = prev.split()
        # "Director of policy, Don Redding," / "The President of the College, Dr Clifford Mann"
        if person_runs(last) and not _role_phrase(last_words) and len(prev_words) <= 12 and (
                _role_phrase(prev_words) and not person_runs(prev)):
            return f"{prev}, {last}"
        # "Steve Kell, co-chair of NHS Clinical Commissioners' leadership group,"
        if _role_phrase(last_words) and not person_runs(last) and person_runs(prev) and len(prev_words) <= 5:
            return f"{prev}, {last}"
        # "In his guise as Health Policy Insight editor, Andy Cowper"
        m = re.match(r"(?:In\s+(?:his|her|their)\s+\w+\s+as|As)\s+(.*)$", prev)
        if person_runs(last) and m and _role_phrase(m.group(1).split()):
            return f"{m.group(1)} {last}"
    return last


_LEADING_WORDS = re.compile(r"^(?:(?:But|And|So|Yet|However|Meanwhile|Also|Now|Then|Instead|Still|Indeed|As)\s+)+")


def _forward_span(text: str) -> str:
    """The subject after an inverted verb: up to the first clause break, appositives included."""
    m = re.match(r"[^.;:!?“”\"]*", text)
    span = m.group() if m else text
    # Stop a long appositive at "and a ..." (a second description of the same person).
    return re.split(r"\s+and\s+(?:a|an)\s+", span)[0]
