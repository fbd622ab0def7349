"""Actor keys, a passage's lead speaker, and the who-question spread by actor."""

from __future__ import annotations

import numpy as np

from eval.perturb import MemoEncoder, PerturbedEncoder, perturb
from index.records import Passage
from index.store import StoredIndex, flat_ip_index
from retrieval.actors import actor_key, lead_actor
from retrieval.searcher import Searcher, SearchSettings
from tests.fakes import FakeEncoder


def test_an_organisation_and_its_acronym_share_a_key_and_a_person_has_their_own():
    assert actor_key("Maureen Baker", "Royal College of General Practitioners") == actor_key(None, "RCGP")
    assert actor_key("Andy Burnham", None) == "P:andy burnham" != actor_key("Andy Burnham", "Labour")
    assert actor_key(None, None) is None


def test_the_lead_actor_speaks_the_most_characters():
    rows = [[0, 10, "A B", None, None, "quote"], [10, 50, None, "Royal College of GPs", None, "quote"],
            [50, 60, None, None, None, None]]
    assert lead_actor(rows) == actor_key(None, "Royal College of GPs")
    assert lead_actor([[0, 5, None, None, None, None]]) is None and lead_actor(None) is None


def _passage(i: int, text: str, speaker: str | None) -> Passage:
    rows = [[0, len(text), speaker, None, None, "quote" if speaker else None]]
    return Passage(i, f"doc{i}.txt", 0, len(text), text, meta={"attributions": rows})


def test_a_who_question_defers_an_actors_third_passage_below_the_other_actors():
    texts = ["Burnham opposed integrated care plans strongly", "Burnham opposed integrated care plans again",
             "Burnham opposed integrated care plans once more", "Baker opposed integrated care plans",
             "weather report unrelated"]
    speakers = ["Andy Burnham", "Andy Burnham", "Andy Burnham", "Maureen Baker", None]
    from index.lexical import build_bm25

    encoder = FakeEncoder()
    passages = [_passage(i, t, s) for i, (t, s) in enumerate(zip(texts, speakers))]
    index = StoredIndex(None, {"model": {"dim": encoder.dim}}, passages, flat_ip_index(encoder.encode(texts)),
                        build_bm25(texts))
    searcher = Searcher(index, encoder, SearchSettings())
    who = [h.passage_id for h in searcher.search("Who opposed integrated care plans?", top_k=5)]
    assert who[-1] == 2  # Burnham's third passage goes below everyone else's
    assert sorted(who[:3]) == [0, 1, 3]
    plain = [h.passage_id for h in searcher.search("integrated care plans opposed", top_k=5)]
    assert set(plain[:4]) == {0, 1, 2, 3}  # not a who-question: nothing is deferred


def test_perturbed_vectors_sit_at_exactly_the_asked_cosine_and_depend_only_on_seed_and_text():
    rng = np.random.default_rng(0)
    v = rng.normal(size=384)
    v /= np.linalg.norm(v)
    for c in (0.999, 0.99, 0.9):
        w = perturb(v.astype(np.float32), c, np.random.default_rng(1))
        assert abs(float(np.linalg.norm(w)) - 1) < 1e-6 and abs(float(w @ v) - c) < 1e-5
    base = MemoEncoder(FakeEncoder())
    a, b = PerturbedEncoder(base, 0.99, 3), PerturbedEncoder(base, 0.99, 4)
    x = a.encode(["one text", "another"])
    np.testing.assert_array_equal(x, a.encode(["one text", "another"]))
    np.testing.assert_array_equal(x[1], a.encode(["another"])[0])
    assert float(x[0] @ b.encode(["one text"])[0]) < 0.999
