"""Word lists attribution needs: learned cues and titles, and general English closed classes.

The cue verbs and the title nouns are learned from PolNeAR's train split by
:mod:`index.attribution.learn` (``data/lexicon.json``); what is written here by hand is
closed-class or general knowledge: pronouns, honorifics, the nouns that name what an
organisation publishes, political parties by their usual English names, and the verbs of
belief and perception that PolNeAR annotates but that are not speech. Nothing here names a
person or an organisation of any corpus.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON = Path(__file__).parent / "data" / "lexicon.json"

# Verbs PolNeAR counts as attribution cues that report a belief, a finding or a look rather
# than something said: "Trump seemed angry", "polls show". The product attributes speech.
NOT_SPEECH = frozenset("""seem appear expect known eager re ve ll deem indic impli sought seek refus declin show
hope find nomin order convinc anger project sound titl list name request encourag signal present issu""".split())
# Speech verbs of British and general news that PolNeAR's US train split has too rarely.
EXTRA_CUES = frozenset("""welcom tweet post retort quip insist conced rebuk hail critic criticis
criticiz urg question object respond comment remark observ counter maintain contend invit reassur
confirm written""".split())
# Verb and particle pairs that report speech: "set out", "made clear", "pointed out".
PHRASAL_CUES = frozenset({("set", "out"), ("sets", "out"), ("point", "out"), ("pointed", "out"),
                          ("spell", "out"), ("spelled", "out"), ("spelt", "out"), ("lay", "out"), ("laid", "out"),
                          ("speak", "out"), ("spoke", "out"), ("hit", "back"), ("fire", "back"), ("fired", "back"),
                          ("make", "clear"), ("made", "clear"), ("makes", "clear"),
                          ("went", "on"), ("goes", "on"), ("go", "on"), ("chimed", "in"), ("weighed", "in")})
# Nouns that carry a speech cue in a light-verb phrase: "raised concerns", "expressed alarm".
SPEECH_NOUNS = frozenset("concern concerns alarm doubts doubt fears fear support opposition criticism "
                         "warning worries reservations".split())
LIGHT_VERBS = frozenset("raise rais express voic have has had".split())

PRONOUNS = {"he": "he", "him": "he", "his": "he", "she": "she", "her": "she", "they": "they",
            "them": "they", "their": "they", "it": "it", "its": "it", "we": "we", "i": "i", "us": "we"}
HONORIFICS = frozenset("mr mrs ms miss mx dr sir dame lord lady baroness baron professor prof cllr "
                       "councillor rev sen senator rep representative gov governor pres president "
                       "gen general lt col capt sgt hon rt".split())
# Titles of British and general English the learned list (US news) lacks or has too rarely.
EXTRA_TITLES = frozenset("""chair chairman chairwoman chairperson co-chair president director secretary
minister executive officer leader head spokesman spokeswoman spokesperson professor editor reporter
correspondent journalist manager founder chancellor governor mayor councillor mp mep commissioner
adviser advisor consultant analyst economist member trustee fellow lecturer chief boss presenter
columnist blogger campaigner official dean principal treasurer coordinator ambassador senator
representative premier deputy registrar physician clinician practitioner superintendent inspector
auditor doctor nurse gp scientist researcher lawyer judge midwife pharmacist""".split())
# What an organisation publishes: "the statement said" speaks for its publisher.
DOC_NOUNS = frozenset("""statement release report paper story editorial letter guidance plan website
site blog article briefing document survey analysis review study manifesto headline announcement
response submission strategy poll brief memo memorandum filing complaint lawsuit motion affidavit""".split())
# Generic heads that stand for an organisation named earlier ("the union", "the College").
ORG_NOUNS = frozenset("""union college party regulator charity trust network body organisation
organization department government council board agency authority association federation
confederation society newspaper paper broadcaster institute academy commission committee group
campaign company firm bank administration office ministry court""".split())
# Words that follow a name inside an organisation's name ("Clinton campaign", "Trump Foundation").
ORG_SUFFIXES = frozenset("campaign camp administration foundation organization organisation "
                         "team office committee".split())

# Political parties by the adjectives and nouns news uses for their members.
PARTIES = {
    "republican": "Republican Party", "republicans": "Republican Party", "gop": "Republican Party",
    "democrat": "Democratic Party", "democrats": "Democratic Party", "democratic": "Democratic Party",
    "labour": "Labour Party", "conservative": "Conservative Party", "conservatives": "Conservative Party",
    "tory": "Conservative Party", "tories": "Conservative Party", "liberal democrat": "Liberal Democrat Party",
    "liberal democrats": "Liberal Democrat Party", "lib dem": "Liberal Democrat Party",
    "lib dems": "Liberal Democrat Party", "snp": "Scottish National Party", "ukip": "UKIP",
    "green": "Green Party", "greens": "Green Party", "libertarian": "Libertarian Party",
    "plaid cymru": "Plaid Cymru",
}
# "(D-N.C.)", "(R-Ohio)", "(I-Vt.)": US news's party-and-state tag after a legislator's name.
PARTY_TAG = re.compile(r"\(\s*([DRI])\s*[-–]\s*[A-Z][A-Za-z. ]{0,15}\)")
PARTY_LETTERS = {"D": "Democratic Party", "R": "Republican Party", "I": None}

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


@dataclass(frozen=True)
class Lexicon:
    """``cues``: Snowball stems of speech verbs; ``titles``: title head nouns (lower case)."""

    cues: frozenset[str]
    titles: frozenset[str]
    sha256: str

    def is_title(self, word: str) -> bool:
        w = word.lower().rstrip(".")
        return w in self.titles or w in HONORIFICS


@lru_cache(maxsize=1)
def load_lexicon(path: Path = LEXICON) -> Lexicon:
    raw = path.read_bytes()
    data = json.loads(raw)
    cues = frozenset(k for k in data["cues"] if k not in NOT_SPEECH) | EXTRA_CUES
    cues |= frozenset(w for w in data.get("forms", {}) if stem(w) not in NOT_SPEECH)
    people_words = {"man", "woman", "people", "person", "guy", "voters", "crowd", "audience", "one",
                    "number", "majority", "average", "results", "sides", "-", "co", "times"}
    titles = frozenset(w for w in data["titles"] if w not in people_words and w not in DOC_NOUNS
                       and w not in ORG_NOUNS) | EXTRA_TITLES
    return Lexicon(cues, titles, hashlib.sha256(raw).hexdigest())


@lru_cache(maxsize=1)
def stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def stem(word: str) -> str:
    return stemmer().stemWord(word.lower().replace("’", "'"))


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


def party_of(word: str) -> str | None:
    """The party a member-adjective or noun names ("Republican" -> "Republican Party")."""
    return PARTIES.get(" ".join(word.lower().replace("’", "'").split()))
