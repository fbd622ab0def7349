"""The PolNeAR attribution metric (eval/polnear_metric.py) on hand-made gold and claims, the
loader and organisation labels on the real dev split, and the regression gate: today's engine
on dev scores the figures recorded in eval/attribution_recorded.json.

No spaCy here: the textacy peer is tested with a stand-in for spaCy and textacy.
"""

from __future__ import annotations

import json
import sys
import types

import pytest

from eval.polnear import (
    RECORDED,
    ENGINES,
    HeldOut,
    LabelMismatch,
    documents_from_records,
    load_documents,
    load_org_labels,
    run_engine,
)
from eval.polnear_metric import (
    Claim,
    Document,
    Gold,
    OrgLabel,
    content_words,
    correct,
    exact_spans,
    holds_mark,
    is_named,
    matches,
    org_match,
    outcome_of,
    quote_mark_positions,
    score,
    score_organisations,
)
from eval.spans import digest

# The engine the regression gate measures; the new engine's author points this at theirs
# (and records its figures with ``python -m eval attribution --record``).
GATE_ENGINE = "product"


def marks(text: str, reading: str = "all") -> str:
    """The quotation marks of ``text`` as a string, for readable asserts."""
    return "".join(text[i] for i in sorted(quote_mark_positions(text, reading)))


# --- which quotes count -----------------------------------------------------------------------

def test_double_marks_always_count_and_single_ones_only_in_the_wide_reading():
    text = "He said “no” and \"yes\" and ‘maybe’ too."
    assert marks(text, "double") == "“”\"\""
    assert marks(text, "all") == "“”\"\"‘’"


def test_apostrophes_elisions_and_possessives_are_not_quotation_marks():
    assert marks("Clinton’s aides don't know O'Neill's plans.") == ""
    assert marks("In the ’90s and in '16 it was so.") == ""
    assert marks("The voters’ rights and the parents' views.") == ""


def test_single_quotation_marks_pair_within_a_paragraph():
    assert marks("Trump was ‘Mocking’ Clinton, they said.") == "‘’"
    assert marks("Obama: The Trends Are 'Terrifying.' Really.") == "''"
    # A closing mark after a word, with an opening one before it, is the quotation's end:
    assert marks("Trump is right about ‘thousands of shootings’ in Chicago.") == "‘’"
    # ... but not across a line break: the possessive stays a possessive.
    assert marks("A ‘headline\nThe voters’ rights.") == "‘"


def test_nyt_doubled_apostrophes_are_double_quotation_marks():
    text = "''It is not tax reform,'' he said."
    assert marks(text, "all") == "''''"
    assert marks(text, "double") == ""


def test_a_name_is_a_capitalised_word_that_is_no_pronoun_determiner_or_title():
    for named in ("Trump", "The New York Post", "Mr. Obama", "IMF", "the Vermont senator",
                  "PENCE", "Officials at Homeland Security", "Mr. King"):
        assert is_named(named), named
    for nameless in (None, "", "he", "He", "I", "The president", "the senator", "Sen.", "a source",
                     "Few people", "said", "It"):
        assert not is_named(nameless), nameless


def gold(content, source_text="Jane Roe", direct=True, source=(), cue=(), index=0, doc="d"):
    return Gold(doc, index, tuple(content), tuple(source), tuple(cue), source_text, direct)


def test_counted_needs_both_a_quotation_mark_and_a_named_source():
    rec = {"doc_id": "d", "text": '"We will win," Jane Roe said. He said it was fine. "Yes," he said.',
           "quotes": [
               {"content_spans": [[0, 14]], "source_spans": [[15, 23]], "cue_spans": [[24, 28]],
                "source_text": "Jane Roe", "is_direct": True},
               {"content_spans": [[38, 48]], "source_spans": [[30, 32]], "cue_spans": [[33, 37]],
                "source_text": "He", "is_direct": False},
               {"content_spans": [[50, 56]], "source_spans": [[57, 59]], "cue_spans": [[60, 64]],
                "source_text": "he", "is_direct": True},
           ]}
    [doc] = documents_from_records([rec])
    assert [g.direct for g in doc.gold] == [True, False, True]
    assert [g.counted for g in doc.gold] == [True, False, False]
    assert holds_mark([(0, 1)], quote_mark_positions(rec["text"]))


# --- match and correct ------------------------------------------------------------------------

def test_match_is_an_overlap_of_at_least_half_the_shorter():
    assert matches((0, 10), (5, 100))        # half of the claim
    assert not matches((0, 10), (6, 100))    # less than half
    assert matches((0, 100), (90, 110))      # half of the gold (20 long)
    assert not matches((0, 100), (91, 111))
    assert not matches((0, 10), (10, 20))    # touching is no overlap
    assert not matches((0, 10), None)


def test_a_gold_content_of_several_pieces_is_one_extent():
    g = gold([(0, 20), (40, 60)])
    assert g.extent == (0, 60)
    assert matches((15, 45), g.extent)       # covers neither piece by half, but half of itself


def test_correct_ignores_titles_pronouns_function_words_and_short_words():
    assert correct("Donald Trump", None, "Trump")
    assert correct("Obama", None, "Mr. Obama")
    assert correct(None, "Sierra Club", "Mr. Morgan of the Sierra Club")  # the organisation counts
    assert not correct("Mr. Smith", None, "Mr. Jones")                   # the title is not shared
    assert not correct("the president", None, "The President of Mexico")  # nor "the", "president"
    assert not correct("he", None, "he")
    assert not correct("Ed Li", None, "Li Ed")                            # two-letter words
    assert correct("Cha", None, "Victor Cha")                             # three letters suffice
    assert content_words("Clinton’s campaign, and O'Neill") == {"clinton", "campaign", "neill"}


def test_a_speaker_of_more_than_ten_words_is_a_list_and_matches_nothing():
    ten = "Ann Bee Cee Dee Eff Gee Aitch Eye Jay Trump"
    assert correct(ten, None, "Trump")
    assert not correct(ten + " Kay", None, "Trump")


# --- recall, coverage, precision --------------------------------------------------------------

def _doc():
    text = "x" * 400
    g = (
        gold([(0, 50)], "Jane Roe", index=0),                 # counted
        gold([(100, 150)], "Mr. Bob Stone", index=1),         # counted
        gold([(200, 250)], "Ann Poe", index=2),               # counted
        gold([(300, 340)], "he", index=3),                    # direct, pronoun source: not counted
        gold([(350, 390)], "Carl Dee", direct=False, index=4),  # indirect, named
    )
    return Document("d", text, g)


def test_recall_coverage_and_precision_on_hand_made_claims():
    doc = _doc()
    claims = [
        Claim(0, 60, "Jane Roe", None),          # correct for quote 0
        Claim(100, 150, "Stone", None),          # correct for quote 1
        Claim(95, 155, "Someone Else", None),    # wrong, matches quote 1 too
        Claim(300, 340, "Jane Roe", None),       # matches only the pronoun-source gold
        Claim(350, 390, "Carl Dee", None),       # correct for the indirect one
        Claim(395, 400, "Nobody", None),         # matches nothing
    ]
    s = score([doc], [claims])
    assert (s.recall.hits, s.recall.total) == (2, 3)
    assert (s.coverage.hits, s.coverage.total) == (2, 3)
    # claims matching a named gold: 4 (0-60, 100-150, 95-155, 350-390); correct: 3
    assert (s.precision.hits, s.precision.total) == (3, 4)
    assert (s.precision_counted.hits, s.precision_counted.total) == (2, 3)
    assert s.claims == 6
    assert s.errors() == {"no claim": 1, "wrong person": 0, "pronoun left unresolved": 0}


def test_a_claim_is_correct_when_any_named_gold_it_matches_agrees():
    doc = Document("d", "x" * 100, (gold([(0, 50)], "Ann Poe", index=0), gold([(0, 50)], "Bob Dee", index=1)))
    s = score([doc], [[Claim(0, 50, "Bob Dee")]])
    assert (s.precision.hits, s.precision.total) == (1, 1)
    assert (s.recall.hits, s.recall.total) == (1, 2)


def test_score_needs_one_claim_list_per_document():
    with pytest.raises(ValueError):
        score([_doc()], [])


# --- errors by kind ---------------------------------------------------------------------------

def test_errors_by_kind():
    g = gold([(0, 50)], "Jane Roe")
    assert outcome_of(g, []).kind == "no claim"
    assert outcome_of(g, [Claim(200, 250, "Jane Roe")]).kind == "no claim"
    assert outcome_of(g, [Claim(0, 50, "Jane Roe")]).kind == "correct"
    assert outcome_of(g, [Claim(0, 50, "Bob Stone")]).kind == "wrong person"
    assert outcome_of(g, [Claim(0, 50, "he")]).kind == "pronoun left unresolved"
    assert outcome_of(g, [Claim(0, 50, None, "Acme Corp")]).kind == "pronoun left unresolved"
    assert outcome_of(g, [Claim(0, 50, "the senator")]).kind == "pronoun left unresolved"
    # a named wrong speaker among the matches makes it a wrong person, whatever the overlap
    o = outcome_of(g, [Claim(0, 50, "she"), Claim(20, 60, "Bob Stone")])
    assert (o.kind, o.speaker) == ("wrong person", "Bob Stone")
    # a list of people is a wrong person, not an unresolved pronoun
    assert outcome_of(g, [Claim(0, 50, " ".join(["Jane Roe"] * 6))]).kind == "wrong person"


# --- exact spans ------------------------------------------------------------------------------

def test_exact_span_prf_counts_spans_per_role_after_trimming_white_space():
    text = " " * 10 + "a" * 190
    doc = Document("d", text, (
        gold([(20, 40), (50, 70)], "Jane Roe", source=[(10, 18)], index=0),
        gold([(80, 90)], "he", source=[(10, 18)], index=1, direct=False),  # same mention: counted once
    ))
    claims = [
        Claim(20, 40, "x", mention=(8, 18)),     # content right; source right after trimming
        Claim(50, 71, "x", mention=(11, 18)),    # content one char long; source wrong
        Claim(80, 90, "x"),                       # content right; no mention, no source predicted
    ]
    source, content = exact_spans([doc], [claims])
    assert (source.right, source.predicted, source.found, source.gold) == (1, 2, 1, 1)
    assert (content.right, content.predicted, content.found, content.gold) == (2, 3, 2, 3)
    assert source.precision == 0.5 and source.recall == 1.0
    assert content.f1 == pytest.approx(2 / 3)


# --- organisations ----------------------------------------------------------------------------

def test_organisation_matching_rule():
    assert org_match(None, None)
    assert not org_match(None, "Acme")
    assert not org_match("Acme", None)
    assert org_match("The Atlantic", "Atlantic")
    assert org_match("Democratic Party", "the Democratic party")
    assert org_match("Clinton campaign", "Clinton")
    assert org_match("Trump's campaign", "Trump campaign")
    assert org_match("Democratic National Committee", "DNC")
    assert org_match("FBI", "Federal Bureau of Investigation")
    assert org_match("Alliance to Reclaim Our Schools", "AROS")  # an acronym ending in s
    assert not org_match("House Oversight Committee", "Oversight")
    assert not org_match("Republican Party", "Democratic Party")


def test_organisation_accuracy_on_hand_made_labels():
    doc = Document("d", "x" * 300, ())
    labels = [
        OrgLabel("l1", "d", 0, (0, 50), None, "", "Ann Poe", "The Atlantic"),
        OrgLabel("l2", "d", 1, (100, 150), None, "", "Bob Dee", "NYPD"),
        OrgLabel("l3", "d", 2, (200, 250), None, "", "Cy Roe", None),
        OrgLabel("l4", "d", 3, (260, 290), None, "", "Di Fay", None),   # no claim matches
    ]
    claims = [Claim(0, 60, "Ann Poe", "Atlantic"), Claim(100, 150, "Bob Dee", None),
              Claim(200, 250, "Cy Roe", None)]
    org = score_organisations(labels, [doc], [claims])
    assert [o.ok for o in org.outcomes] == [True, False, True, False]
    assert (org.accuracy.hits, org.accuracy.total) == (2, 4)
    assert (org.accuracy_matched.hits, org.accuracy_matched.total) == (2, 3)
    assert [o.id for o in org.wrong()] == ["l2"]


# A handful of organisation labels made by hand on PolNeAR dev quotes (offsets and digests only;
# the format of eval/data/polnear/organisations.jsonl).
FIXTURE_LABELS = [
    {"id": "fx1", "doc_id": "nyt_2016-09-08_obama-on-climate-change-the-tren", "quote": 45, "content_start": 9763,
     "content_end": 10091, "source_start": 9911, "source_end": 10008, "sha1": "7bebbce71f2e",
     "speaker": "Michael Oppenheimer", "organisation": "Princeton University", "role": "professor"},
    {"id": "fx2", "doc_id": "usa-today_2016-09-16_every-minutes-a-veteran-commits-", "quote": 9, "content_start": 2741,
     "content_end": 3066, "source_start": 2808, "source_end": 2883, "sha1": "10111d278735",
     "speaker": "Paul Rieckhoff", "organisation": "Iraq and Afghanistan Veterans of America", "role": "founder and CEO"},
    {"id": "fx3", "doc_id": "politico_2016-09-23_partisan-fireworks-over-clinton-", "quote": 27, "content_start": 5154,
     "content_end": 5203, "source_start": 5083, "source_end": 5125, "sha1": "83c04b4b9274",
     "speaker": "Jason Chaffetz", "organisation": "House Oversight Committee", "role": "chairman"},
    {"id": "fx4", "doc_id": "breitbart_2016-09-30_the-latest-trump-urges-supporter", "quote": 2, "content_start": 240,
     "content_end": 344, "source_start": 148, "source_end": 160, "sha1": "bb99a7806598",
     "speaker": "Donald Trump", "organisation": "Republican Party", "role": "presidential nominee"},
    {"id": "fx5", "doc_id": "wash-post_2016-09-25_phone-video-is-first-public-look", "quote": 43, "content_start": 5982,
     "content_end": 6117, "source_start": 5964, "source_end": 5971, "sha1": "2c4433dccd8c",
     "speaker": "Jennifer Roberts", "organisation": "Charlotte", "role": "mayor"},
    {"id": "fx6", "doc_id": "nyt_2016-09-19_obama-sees-personal-insult-if-bl", "quote": 34, "content_start": 7486,
     "content_end": 7743, "source_start": 7619, "source_end": 7665, "sha1": "ee2f13fcfb86",
     "speaker": "Vann R. Newkirk II", "organisation": "The Atlantic", "role": "writer"},
    {"id": "fx7", "doc_id": "politico_2016-09-17_de-blasio-says-chelsea-explosion", "quote": 11, "content_start": 1256,
     "content_end": 1284, "source_start": 1242, "source_end": 1249, "sha1": "258d5b2aba98",
     "speaker": "James O'Neill", "organisation": "NYPD", "role": "police commissioner"},
    {"id": "fx8", "doc_id": "breitbart_2016-10-02_washington-post-hit-piece-exploi", "quote": 19, "content_start": 2550,
     "content_end": 2585, "source_start": 2586, "source_end": 2593, "sha1": "e87ed0488b92",
     "speaker": "Melanie", "organisation": None, "role": None},
]


@pytest.fixture(scope="module")
def dev_docs():
    return load_documents("dev")


@pytest.fixture(scope="module")
def dev_product(dev_docs):
    return run_engine(GATE_ENGINE, dev_docs)


def _write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_organisation_labels_load_and_score_against_the_product(tmp_path, dev_docs, dev_product):
    path = _write(tmp_path / "organisations.jsonl", FIXTURE_LABELS)
    labels = load_org_labels(dev_docs, path)
    assert [lab.id for lab in labels] == [r["id"] for r in FIXTURE_LABELS]
    org = score_organisations(labels, dev_docs, dev_product.claims)
    outcomes = {o.id: o.ok for o in org.outcomes}
    assert set(outcomes) == {r["id"] for r in FIXTURE_LABELS}
    # Princeton's professor and the null for a voter are the easy cases; the rest move as the
    # engine improves, so only a floor is kept (the engine gets 4 of 8 today).
    assert outcomes["fx1"] and outcomes["fx8"] and sum(outcomes.values()) >= 4
    assert org.accuracy.hits == sum(outcomes.values()) and org.accuracy.total == len(FIXTURE_LABELS)


def test_organisation_labels_are_checked_against_the_text(tmp_path, dev_docs):
    assert load_org_labels(dev_docs, tmp_path / "missing.jsonl") is None
    bad = dict(FIXTURE_LABELS[0], sha1="000000000000")
    with pytest.raises(LabelMismatch):
        load_org_labels(dev_docs, _write(tmp_path / "bad.jsonl", [bad]))
    wrong_quote = dict(FIXTURE_LABELS[0], quote=0)
    with pytest.raises(LabelMismatch):
        load_org_labels(dev_docs, _write(tmp_path / "wrong.jsonl", [wrong_quote]))
    doc = next(d for d in dev_docs if d.doc_id == FIXTURE_LABELS[0]["doc_id"])
    s, e = FIXTURE_LABELS[0]["content_start"], FIXTURE_LABELS[0]["content_end"]
    assert digest(doc.text[s:e]) == FIXTURE_LABELS[0]["sha1"]


# --- the loader, the CLI and the regression gate ----------------------------------------------

def test_the_test_split_is_refused():
    with pytest.raises(HeldOut):
        load_documents("test")


def test_dev_split_counts_424_quotes_and_matches_polnears_direct_flag(dev_docs):
    assert len(dev_docs) == 84
    assert sum(len(d.gold) for d in dev_docs) == 2193
    assert sum(g.counted for d in dev_docs for g in d.gold) == 424
    assert sum(g.direct for d in dev_docs for g in d.gold) == 624  # PolNeAR's is_direct count


def test_the_engine_scores_the_recorded_figures_on_dev(dev_docs, dev_product):
    rec = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert rec["split"] == "dev" and rec["reading"] == "double"
    s = score(dev_docs, dev_product.claims)
    assert s.counted == rec["counted"] == 424
    want = rec["engines"][GATE_ENGINE]
    tol = rec["tolerance"]
    got = {"recall": s.recall.value, "coverage": s.coverage.value, "precision": s.precision.value}
    for k, v in got.items():
        # No exact counts: spaCy's floating-point parse could break a near tie the other way on
        # another CPU; the tolerance (0.01, four quotes) covers that, not a real regression.
        assert v >= want[k] - tol, f"{GATE_ENGINE} {k} {v:.3f} fell below the recorded {want[k]:.3f} - {tol}"


def test_cli_prints_the_table_for_the_product(capsys):
    from eval.__main__ import main

    assert main(["attribution", "--engine", "product", "--no-nhs"]) == 0
    out = capsys.readouterr().out
    assert "Attribution on PolNeAR dev: 424 direct quotes whose source is named" in out
    assert "Errors by kind, of 424 counted quotes" in out
    assert "organisations.jsonl" in out or "labels" in out
    assert main(["attribution", "--split", "test"]) == 2


def test_engines_are_callables_over_texts():
    assert set(ENGINES) >= {"product", "textacy"}
    [claims] = ENGINES["product"]()(["Jane Roe, the mayor of Springfield, said: “We will win.”"])
    assert claims and claims[0].speaker == "Jane Roe"


# --- the textacy peer, with stand-ins for spaCy and textacy -----------------------------------

class _Tok:
    def __init__(self, text, idx):
        self.text, self.idx = text, idx


class _Span:
    def __init__(self, start_char, end_char):
        self.start_char, self.end_char = start_char, end_char


def test_textacy_peer_runs_paragraph_by_paragraph_and_maps_offsets(monkeypatch):
    from eval.peers import TextacyPeer, paragraphs

    text = 'Intro line.\n\n"Yes," Ann Poe said.\nOdd " mark.\n'
    assert [text[s:e] for s, e in paragraphs(text)] == ["Intro line.", '"Yes," Ann Poe said.', 'Odd " mark.']

    def direct_quotations(doc):
        if doc.count('"') % 2:
            raise ValueError("odd number of quotation marks")
        if doc.startswith('"Yes,"'):
            yield types.SimpleNamespace(speaker=[_Tok("Ann", 7), _Tok("Poe", 11)], cue=[_Tok("said", 15)],
                                        content=_Span(0, 6))

    fake = types.ModuleType("textacy.extract.triples")
    fake.direct_quotations = direct_quotations
    for name in ("textacy", "textacy.extract"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "textacy.extract.triples", fake)
    nlp = types.SimpleNamespace(pipe=lambda texts: list(texts))  # a "Doc" is the paragraph's text
    peer = TextacyPeer(nlp)
    [claims] = peer([text])
    [c] = claims
    assert text[c.start:c.end] == '"Yes,"'
    assert c.speaker == "Ann Poe" and text[c.mention[0]:c.mention[1]] == "Ann Poe"
    assert text[c.cue[0]:c.cue[1]] == "said"
    assert (peer.paragraphs, peer.refused) == (3, 1)
