"""A who-question reads the passages beside its hits (retrieval.searcher.Searcher.neighbours):
news names the topic in one paragraph and quotes the actor in the next."""

from __future__ import annotations

import dataclasses

import pytest

from eval.answers import verify_answer
from index.corpus import load_corpus
from retrieval.answer import Answerer, AnswerSettings
from retrieval.evidence import Scored, Sentence
from retrieval.hit import Hit
from retrieval.sides import choose_actors
from retrieval.stance import stance
from retrieval.who import parse_who
from tests.fakes import fake_searcher, write_docs

FILLER = "The weather in the valley was mild and the river ran low through the autumn months. " * 5

DOCS = {
    "article.txt": (
        "Harbour toll row\n\n"
        "The harbour toll on fishing boats was approved by the port board on Monday after a long meeting. "
        + FILLER + "\n\n"
        "“It is a disaster for every family that lives from the sea, and we will fight it,” said Jane Roe, "
        "who leads the fishermen's union.\n\n" + FILLER + "\n"
    ),
    "other.txt": "Bakery news\n\n" + "The bakery on the corner sells bread and cakes every morning. " * 12 + "\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    corpus = load_corpus(write_docs(tmp_path_factory.mktemp("neighbours"), DOCS))
    return corpus, fake_searcher(corpus)


def test_neighbours_are_the_adjacent_passages_of_the_same_section(built):
    _, searcher = built
    hits = searcher.search("harbour toll on fishing boats approved by the port board", 1)
    assert hits[0].source == "article.txt"
    extra = searcher.neighbours(hits, 1)
    ids = {h.passage_id for h in hits}
    assert extra and all(h.source == "article.txt" and h.passage_id not in ids for h in extra)
    assert {h.passage_id for h in extra} <= {hits[0].passage_id - 1, hits[0].passage_id + 1}
    assert all(h.metadata.get("neighbour") and h.rank > hits[-1].rank for h in extra)
    passages = searcher.index.passages
    assert all(passages[h.passage_id].meta.get("section_start") == hits[0].metadata.get("section_start")
               for h in extra)
    assert searcher.neighbours(hits, 0) == []


def test_a_quote_in_the_passage_after_the_hit_names_its_speaker(built):
    corpus, searcher = built
    question = "Who opposed the harbour toll on fishing boats?"
    settings = AnswerSettings(who_top_k=1)
    without = Answerer(searcher, settings=dataclasses.replace(settings, who_neighbours=0)).ask(question)
    answer = Answerer(searcher, settings=settings).ask(question)
    assert "Jane Roe" not in without.answer
    assert answer.mode == "who" and "Jane Roe" in answer.answer and "opposes" in answer.answer
    assert verify_answer(answer, {d.source: d.text for d in corpus.documents}) == []


def _item(text, start, speaker, score, neighbour=False):
    hit = Hit(1, 1.0, "a.txt", 0, 10_000, "", metadata={"neighbour": True} if neighbour else {})
    return Scored(Sentence(hit, start, start + len(text), text, speaker, None, None, "quote"), score, 0.5, 0.5)


def test_an_actors_words_in_neighbouring_passages_do_not_outvote_the_ones_found():
    who = parse_who("Who criticised the harbour toll?")
    found = _item("“The harbour toll is a disaster and a mistake,” she said.", 0, "Jane Roe", 0.9)
    beside = [_item(f"“The harbour festival is a great success and we welcome it {i},” she said.", 100 * (i + 1),
                    "Jane Roe", 0.5, neighbour=True) for i in range(3)]

    def label(text, proposition):
        return "supports" if "welcome" in text else stance(text, proposition).label

    names = [line.actor.label() for line in choose_actors(who, [found, *beside], 0.3, 5, label, 0.3)]
    assert names == ["Jane Roe"]
    as_found = [dataclasses.replace(b, sentence=dataclasses.replace(b.sentence, hit=found.sentence.hit)) for b in beside]
    assert choose_actors(who, [found, *as_found], 0.3, 5, label, 0.3) == []


FAR = {
    "far.txt": (
        "Ferry levy row\n\n"
        "The ferry levy on island cars was approved by the transport board on Monday. "
        "“The ferry levy is something the council is still reading about,” said Jane Roe, who leads the island council.\n\n"
        + FILLER + "\n\n" + FILLER + "\n\n" + FILLER + "\n\n"
        "“It is a disgrace and a disaster for every family on the island,” Roe said.\n\n" + FILLER + "\n"
    ),
    "other.txt": DOCS["other.txt"],
}


def test_an_unlisted_actor_is_read_further_in_their_section_for_their_side(tmp_path):
    corpus = load_corpus(write_docs(tmp_path, FAR))
    searcher = fake_searcher(corpus)
    hits = searcher.search("ferry levy on island cars approved by the transport board", 1)
    # The side is further on than the neighbouring passage.
    assert "disgrace" not in " ".join(h.text for h in hits + searcher.neighbours(hits, 1))
    answer = Answerer(searcher, settings=AnswerSettings(who_top_k=1)).ask("Who opposed the ferry levy on island cars?")
    assert answer.mode == "who" and "Jane Roe" in answer.answer and "disgrace" in answer.answer
    assert verify_answer(answer, {d.source: d.text for d in corpus.documents}) == []
