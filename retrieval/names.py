"""Names in plain text without a model: what the read path uses to read earlier answers.

Follow-up rewriting (:mod:`retrieval.followup`, :mod:`retrieval.referents`) runs at question
time, where spaCy is never loaded, on text the product wrote itself: the actor labels and
quotes of its previous answer. Regular expressions over those short strings are enough there:
runs of capitalised name words ("Maureen Baker", "Amanda Doyle and Steve Kell"), whether a
phrase names an institution, and general English word lists (titles, groups, parties). Speaker
attribution over documents, at index time, is spaCy's (:mod:`index.attribution`).
"""

from __future__ import annotations

import re

from index.attribution.lexicon import COMMON_CAPS, is_acronym

CAP = r"(?:[A-Z][a-z]*(?:[’'][A-Za-z]+)+|Ma?c[A-Z][a-z]+|[A-Z][a-z]+(?:-[A-Z][a-z]+)*|[A-Z]{2,}s?(?=\W|$)|[A-Z]\.)"
HONORIFIC = r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Sir|Dame|Lord|Lady|Baroness|Baron|Professor|Prof|Cllr|Councillor|Rev|Rt Hon)\.?"
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
_CAP_RE = re.compile(CAP)


def looks_like_org(phrase: str) -> bool:
    """A capitalised phrase that names an institution rather than a person."""
    words = phrase.replace("’s", "").replace("'s", "").split()
    if not words:
        return False
    if words[0] in ("The", "the"):
        return True
    if any(w in ORG_WORDS for w in words) or any(is_acronym(w) for w in words):
        return True
    if phrase.lower() in PARTIES or phrase.lower().removesuffix(' party') in PARTIES:
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
