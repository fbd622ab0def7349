"""The eval question sets and stance labels: both gold forms load, bad gold is refused with the
question id, and the committed PolNeAR dev set verifies against its corpus and is as big as
the brief asks for. Small and fast: no index, no model."""

from __future__ import annotations

import collections
import importlib.util
import json
from pathlib import Path

import pytest

from eval.answers import POLNEAR_STANCE, evaluate_stance
from eval.polnear_corpus import write_corpus
from eval.questions import POLNEAR_QUESTIONS, STANCES, GoldMismatch, load_questions
from eval.spans import digest
from index.corpus import load_corpus
from index.paths import PROJECT_ROOT

MINIMUMS = {"who": 18, "what_said": 12, "reaction": 10, "factual": 16, "paraphrase": 12, "unanswerable": 14}


@pytest.fixture(scope="module")
def polnear_corpus():
    """The PolNeAR dev corpus folder (written from ../shared/polnear if missing), loaded."""
    return load_corpus(write_corpus("dev"))


@pytest.fixture(scope="module")
def polnear_questions(polnear_corpus):
    return load_questions(polnear_corpus, POLNEAR_QUESTIONS)


TEXT = "Title line.\n\nThe mayor said the plan was a disaster. Others welcomed it warmly.\n"


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _span(sub: str, **extra) -> dict:
    start = TEXT.index(sub)
    return {"source": "a.txt", "start": start, "end": start + len(sub), **extra}


def test_loader_accepts_text_and_digest_gold(make_corpus, tmp_path):
    corpus = load_corpus(make_corpus({"a.txt": TEXT}))
    said, welcomed = "The mayor said the plan was a disaster.", "Others welcomed it warmly."
    path = _write(tmp_path / "q.jsonl", [
        {"id": "t1", "question": "What did the mayor say?", "kind": "what_said",
         "gold": [_span(said, text=said)]},
        {"id": "t2", "question": "Who welcomed the plan?", "kind": "who", "proposition": "the plan",
         "gold": [_span(welcomed, sha1=digest(welcomed), actor="Others", stance="supports")]},
        {"id": "t3", "question": "How many?", "kind": "factual", "number": "words", "gold": [_span(said, text=said)]},
    ])
    q1, q2, q3 = load_questions(corpus, path)
    assert q1.gold[0].text == said and q1.gold[0].actor is None and q1.proposition is None
    assert q2.gold[0].text == welcomed  # the text comes from the corpus
    assert (q2.gold[0].actor, q2.gold[0].stance, q2.proposition, q2.actors) == ("Others", "supports", "the plan", ("Others",))
    assert q3.number == "words"


@pytest.mark.parametrize("bad", [
    {"sha1": "0" * 12},                                  # wrong digest
    {"text": "The mayor said the plan was a triumph."},  # text that is not at those offsets
    {"sha1": digest("The mayor"), "start": 0},           # digest of other text: offset moved
    {"sha1": digest("x"), "start": 5, "end": 10_000},    # offsets outside the document
])
def test_loader_rejects_wrong_gold_naming_the_question(make_corpus, tmp_path, bad):
    corpus = load_corpus(make_corpus({"a.txt": TEXT}))
    gold = {**_span("The mayor said the plan was a disaster."), **bad}
    path = _write(tmp_path / "q.jsonl", [{"id": "bad7", "question": "?", "kind": "factual", "gold": [gold]}])
    with pytest.raises(GoldMismatch, match="bad7"):
        load_questions(corpus, path)


def test_loader_rejects_unknown_stance_and_number_form(make_corpus, tmp_path):
    corpus = load_corpus(make_corpus({"a.txt": TEXT}))
    said = "The mayor said the plan was a disaster."
    for rid, rec in (("s1", {"gold": [_span(said, text=said, stance="against")]}),
                     ("n1", {"number": "roman", "gold": [_span(said, text=said)]})):
        path = _write(tmp_path / f"{rid}.jsonl", [{"id": rid, "question": "?", "kind": "who", **rec}])
        with pytest.raises(GoldMismatch, match=rid):
            load_questions(corpus, path)


def test_nhs_set_still_loads_with_actor_labels_on_who_questions(corpus_dir):
    questions = load_questions(load_corpus(corpus_dir))
    assert len(questions) == 107
    who = [q for q in questions if q.kind == "who"]
    assert len(who) == 16
    assert all(q.proposition and all(g.actor for g in q.gold) for q in who)
    assert all(g.stance in STANCES for q in who for g in q.gold if g.stance)


def test_every_polnear_gold_span_verifies_against_the_corpus(polnear_questions, polnear_corpus):
    texts = {d.source: d.text for d in polnear_corpus.documents}
    for q in polnear_questions:
        for g in q.gold:
            assert texts[g.source][g.start:g.end] == g.text
            assert g.text == g.text.strip() and 30 <= len(g.text) <= 300, q.id


def test_polnear_set_meets_the_minimums(polnear_questions):
    kinds = collections.Counter(q.kind for q in polnear_questions)
    assert len(polnear_questions) >= 88
    for kind, n in MINIMUMS.items():
        assert kinds[kind] >= n, (kind, kinds[kind])
    numbers = collections.Counter(q.number for q in polnear_questions if q.kind == "factual")
    assert numbers["words"] >= 6 and numbers["figures"] >= 6
    assert all(q.answerable == (q.kind != "unanswerable") for q in polnear_questions)
    outlets = {g.source.split("_", 1)[0] for q in polnear_questions for g in q.gold}
    assert len(outlets) == 7


def test_polnear_who_questions_name_actors_and_stances(polnear_questions):
    who = [q for q in polnear_questions if q.kind == "who"]
    assert all(q.proposition and all(g.actor for g in q.gold) for q in who)
    assert all(g.stance in STANCES for q in who for g in q.gold)  # every one asks for a side
    assert sum(len(q.actors) >= 2 for q in who) > len(who) / 2
    assert all(len(q.actors) <= 5 for q in who)


def test_polnear_stance_labels_resolve_and_score(polnear_questions, polnear_corpus):
    records = [json.loads(line) for line in POLNEAR_STANCE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(records) >= 45 and len({r["id"] for r in records}) == len(records)
    assert {r["stance"] for r in records} == set(STANCES)
    assert {r["proposition"] for r in records} <= {q.proposition for q in polnear_questions if q.kind == "who"}
    with pytest.raises(ValueError, match="corpus texts"):
        evaluate_stance(POLNEAR_STANCE)  # quotes by digest need the corpus
    report = evaluate_stance(POLNEAR_STANCE, {d.source: d.text for d in polnear_corpus.documents})
    assert [r[0] for r in report.rows] == [r["id"] for r in records]
    assert sum(n for _, n in report.per_label.values()) == len(records)
    assert "mixed" in report.summary() and "%" in report.summary()


def test_authoring_tool_round_trips_the_committed_files(polnear_corpus, tmp_path):
    spec = importlib.util.spec_from_file_location(
        "make_polnear_questions", PROJECT_ROOT / "eval" / "data" / "make_polnear_questions.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    src, stance_src = tmp_path / "q.src.jsonl", tmp_path / "s.src.jsonl"
    out, stance_out = tmp_path / "q.jsonl", tmp_path / "s.jsonl"
    corpus = ["--corpus", str(polnear_corpus.root)]
    assert tool.main(["--expand", "--src", str(src), "--stance-src", str(stance_src), *corpus]) == 0
    assert tool.main(["--src", str(src), "--stance-src", str(stance_src),
                      "--out", str(out), "--stance-out", str(stance_out), *corpus]) == 0
    assert out.read_text(encoding="utf-8") == POLNEAR_QUESTIONS.read_text(encoding="utf-8")
    assert stance_out.read_text(encoding="utf-8") == POLNEAR_STANCE.read_text(encoding="utf-8")
    # an edited quote that is not in its article is refused, and nothing is written
    lines = src.read_text(encoding="utf-8").splitlines()
    rec = json.loads(lines[0])
    rec["gold"][0]["quote"] = rec["gold"][0]["quote"] + " and more"
    src.write_text("\n".join([json.dumps(rec, ensure_ascii=False), *lines[1:]]) + "\n", encoding="utf-8")
    out.unlink()
    assert tool.main(["--src", str(src), "--stance-src", str(stance_src),
                      "--out", str(out), "--stance-out", str(stance_out), *corpus]) == 1
    assert not out.exists()
