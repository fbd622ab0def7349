"""A build process to kill: builds indexes with the fake encoder, saying where it is.

    python -m tests.build_driver --index-dir DIR CORPUS [CORPUS ...] [--rounds N] [--step-pause S]

Builds ``CORPUS`` after ``CORPUS`` into ``DIR`` (``--rounds`` times over), with the real
``index.build.build_index`` and :class:`tests.fakes.FakeEncoder`, so a build takes a fraction
of a second and a test can afford to kill many. It prints, one line each, flushed:

    ready                      imports done; the next line starts the clock
    build <corpus>             a build starts
    step <name>                (only with --step-pause) a write step is about to run
    built <version path>       the build finished and the symlink points at its version

With ``--step-pause S`` it wraps the steps of ``index.store.write_index`` (in this process
only; the product code is unchanged) to print ``step <name>`` and sleep ``S`` seconds first,
so a test can SIGKILL it at a known point. The steps, in order:

    dense       passages.jsonl is written; dense.faiss is next
    bm25        dense.faiss is written; the BM25 arrays are next
    fsync-tree  the manifest is written (the version folder is complete, still named tmp-*)
    point       the folder is renamed to v-*; the symlink still points at the old version
    prune       the symlink points at the new version; old versions are not yet deleted
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

STEPS = ("dense", "bm25", "fsync-tree", "point", "prune")


def say(line: str) -> None:
    print(line, flush=True)


def pause_before(name: str, fn, seconds: float):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        say(f"step {name}")
        time.sleep(seconds)
        return fn(*args, **kwargs)

    return wrapper


def instrument(seconds: float) -> None:
    """Announce and pause before each write step (see the module docstring)."""
    import faiss

    import index.lexical
    import index.store

    faiss.write_index = pause_before("dense", faiss.write_index, seconds)
    index.lexical.save_bm25 = pause_before("bm25", index.lexical.save_bm25, seconds)
    index.store._fsync_tree = pause_before("fsync-tree", index.store._fsync_tree, seconds)
    index.store._point = pause_before("point", index.store._point, seconds)
    index.store._prune = pause_before("prune", index.store._prune, seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.build_driver")
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--step-pause", type=float, default=0.0)
    args = parser.parse_args(argv)

    # Everything heavy is imported before "ready", so the clock measures the build only.
    import bm25s  # noqa: F401
    import faiss  # noqa: F401

    from index.build import build_index
    from index.settings import ChunkSettings
    from tests.fakes import FakeEncoder

    if args.step_pause > 0:
        instrument(args.step_pause)
    say("ready")
    for _ in range(args.rounds):
        for corpus in args.corpora:
            say(f"build {corpus}")
            report = build_index(corpus, args.index_dir, FakeEncoder(), ChunkSettings())
            say(f"built {report.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
