"""python -m eval.sweep: the measurements behind the product's chunking and fusion defaults.

Runs the hybrid retriever over a grid of chunk sizes, context placement and fusion methods,
one index build per chunking (fusion variants share it), and prints one row per setting.
"""

from __future__ import annotations

import argparse
import sys

from eval.questions import load_questions
from eval.runner import run_retriever
from index.build import build_in_memory
from index.corpus import load_corpus
from index.encoder import load_encoder, set_offline_env
from index.paths import default_corpus_dir
from index.settings import ChunkSettings
from retrieval.searcher import Searcher, SearchSettings

SIZES = ((300, 60), (400, 80), (500, 100), (600, 120))
CONTEXTS = {"bm25 only": (True, False), "both": (True, True), "none": (False, False)}
FUSIONS = {"weighted .5": SearchSettings(), "rrf k=60": SearchSettings(fusion="rrf")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.sweep", description=__doc__)
    parser.add_argument("--sizes", default=",".join(f"{s}/{o}" for s, o in SIZES),
                        help="comma-separated SIZE/OVERLAP pairs")
    args = parser.parse_args(argv)
    set_offline_env()
    corpus = load_corpus(default_corpus_dir())
    questions = load_questions(corpus)
    encoder = load_encoder()
    print(f"{'chunking':<10} {'context':<10} {'fusion':<12} Hit@1 Hit@5 MRR@10  R@5  chars@5")
    for pair in args.sizes.split(","):
        size, overlap = (int(x) for x in pair.split("/"))
        for label, (lexical, dense) in CONTEXTS.items():
            index = build_in_memory(corpus, encoder, ChunkSettings(size, overlap, True, lexical, dense))
            for fusion, search in FUSIONS.items():
                r = run_retriever("hybrid", Searcher(index, encoder, search), questions)
                m = r.metrics
                print(f"{size}/{overlap:<6} {label:<10} {fusion:<12} {m['hit_rate@1']:.3f} "
                      f"{m['hit_rate@5']:.3f} {m['mrr@10']:.3f}  {m['recall@5']:.3f} {r.chars_top5:6.0f}",
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
