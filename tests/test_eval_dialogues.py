"""The dialogue sets and the PolNeAR organisation labels: they load, validate and are big enough."""

from __future__ import annotations

import collections
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from eval.dialogues import DIALOGUES, PHENOMENA, load_dialogues
from eval.polnear_corpus import POLNEAR_DIR, write_corpus
from eval.questions import GoldMismatch
from index.corpus import load_corpus
from index.paths import PROJECT_ROOT

DATA = PROJECT_ROOT / "eval" / "data"
ORGANISATIONS = DATA / "polnear" / "organisations.jsonl"
OUTLETS = {"breitbart", "huff-post", "nyt", "politico", "usa-today", "wash-post", "west-journal"}


def _script(name: str):
    """Import one of eval/data's scripts as a module, leaving sys.path as it was."""
    saved = list(sys.path)
    try:
        spec = importlib.util.spec_from_file_location(f"_eval_data_{name}", DATA / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = saved
    return module


@pytest.fixture(scope="module")
def polnear_dir(tmp_path_factory) -> Path:
    if not (POLNEAR_DIR / "dev.jsonl").is_file():
        pytest.fail(f"PolNeAR dev is missing at {POLNEAR_DIR}; these tests need ../shared/polnear")
    return write_corpus("dev", out=tmp_path_factory.mktemp("corpora") / "polnear-dev")


@pytest.fixture(scope="module")
def nhs(corpus_dir):
    return load_dialogues(load_corpus(corpus_dir), DIALOGUES["nhs"])


@pytest.fixture(scope="module")
def polnear(polnear_dir):
    return load_dialogues(load_corpus(polnear_dir), DIALOGUES["polnear-dev"])


def test_both_dialogue_files_validate_against_their_corpus(nhs, polnear):
    assert len(nhs) >= 18 and len(polnear) >= 18
    assert {d.corpus for d in nhs} == {"nhs"} and {d.corpus for d in polnear} == {"polnear-dev"}
    ids = [d.id for d in nhs + polnear]
    assert len(ids) == len(set(ids))
    for d in nhs + polnear:
        assert 2 <= len(d.turns) <= 3, d.id
        assert d.gold and d.standalone.strip() and d.follow_up == d.turns[-1], d.id
        assert all(s.text for s in d.gold), d.id


def test_every_phenomenon_and_enough_three_turn_dialogues(nhs, polnear):
    everything = nhs + polnear
    by_phenomenon = collections.Counter(d.phenomenon for d in everything)
    assert set(by_phenomenon) <= set(PHENOMENA)
    for phenomenon in PHENOMENA:
        assert by_phenomenon[phenomenon] >= 4, phenomenon
    assert sum(len(d.turns) == 3 for d in everything) >= 8


def test_polnear_gold_is_stored_as_digests_without_article_text():
    for line in DIALOGUES["polnear-dev"].read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        for item in rec["gold"]:
            assert set(item) == {"source", "start", "end", "sha1"}, rec["id"]


def test_a_changed_gold_span_is_reported_with_its_dialogue_id(tmp_path, corpus_dir):
    lines = DIALOGUES["nhs"].read_text(encoding="utf-8").splitlines()
    rec = json.loads(lines[0])
    rec["gold"][0]["start"] += 1
    bad = tmp_path / "dialogues.jsonl"
    bad.write_text("\n".join([json.dumps(rec, ensure_ascii=False), *lines[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(GoldMismatch, match=rec["id"]):
        load_dialogues(load_corpus(corpus_dir), bad)


def test_a_turn_count_outside_two_to_three_is_refused(tmp_path, corpus_dir):
    rec = json.loads(DIALOGUES["nhs"].read_text(encoding="utf-8").splitlines()[0])
    rec["turns"] = rec["turns"][-1:]
    bad = tmp_path / "dialogues.jsonl"
    bad.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(GoldMismatch, match=rec["id"]):
        load_dialogues(load_corpus(corpus_dir), bad)


def test_make_dialogues_rebuilds_the_committed_files_from_their_expansion(tmp_path, corpus_dir, polnear_dir):
    make = _script("make_dialogues")
    paths = {k: tmp_path / k for k in ("n.src", "p.src", "n.out", "p.out")}
    common = ["--corpus", str(corpus_dir), "--polnear-corpus", str(polnear_dir),
              "--src", str(paths["n.src"]), "--polnear-src", str(paths["p.src"])]
    assert make.main([*common, "--expand", "--out", str(DIALOGUES["nhs"]),
                      "--polnear-out", str(DIALOGUES["polnear-dev"])]) == 0
    assert make.main([*common, "--out", str(paths["n.out"]), "--polnear-out", str(paths["p.out"])]) == 0
    assert paths["n.out"].read_text(encoding="utf-8") == DIALOGUES["nhs"].read_text(encoding="utf-8")
    assert paths["p.out"].read_text(encoding="utf-8") == DIALOGUES["polnear-dev"].read_text(encoding="utf-8")
    # A quote that is not in its file stops the build, and nothing is written.
    lines = paths["n.src"].read_text(encoding="utf-8").splitlines()
    rec = json.loads(lines[0])
    rec["gold"][0]["quote"] += " (not in the corpus)"
    paths["n.src"].write_text("\n".join([json.dumps(rec, ensure_ascii=False), *lines[1:]]) + "\n", encoding="utf-8")
    paths["n.out"].unlink()
    assert make.main([*common, "--out", str(paths["n.out"]), "--polnear-out", str(paths["p.out"])]) == 1
    assert not paths["n.out"].exists()


def test_organisation_labels_validate_against_polnear_dev():
    check = _script("check_organisations")
    docs = check.read_dev(POLNEAR_DIR / "dev.jsonl")
    errors: list[str] = []
    records = check.validate(str(ORGANISATIONS), docs, errors)
    assert errors == []
    assert len(records) >= 70
    assert len({r["doc_id"] for r in records}) >= 30
    assert {r["doc_id"].split("_", 1)[0] for r in records} == OUTLETS
    assert sum(r["organisation"] is None for r in records) >= 10
    assert sum(r["organisation"] is not None for r in records) >= 50


def test_the_organisation_checker_catches_a_wrong_offset(tmp_path):
    check = _script("check_organisations")
    docs = check.read_dev(POLNEAR_DIR / "dev.jsonl")
    rec = json.loads(ORGANISATIONS.read_text(encoding="utf-8").splitlines()[0])
    rec["content_end"] += 1
    bad = tmp_path / "organisations.jsonl"
    bad.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    errors: list[str] = []
    check.validate(str(bad), docs, errors)
    assert len(errors) == 1 and rec["id"] in errors[0]
