"""python -m eval.polnear_corpus [--split dev] [--out DIR] [--polnear DIR]

Writes a PolNeAR split (``../shared/polnear/<split>.jsonl``) as a corpus folder that the
product indexes like any user's: one ``<doc_id>.txt`` per article, holding the article text
exactly (so PolNeAR's character offsets are offsets into the file), and a ``sources.json``.

``doc_id`` is ``outlet_YYYY-MM-DD_title-words``: the outlet code gives the outlet's name, the
date the publication date; the title is the article's first line. The articles belong to their
publishers, so the folder goes to ``var/corpora/`` (git-ignored), never into the repository.
Writing is idempotent and atomic: the folder is written under a temporary name and renamed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from index.paths import PROJECT_ROOT

POLNEAR_DIR = PROJECT_ROOT.parent / "shared" / "polnear"
CORPORA_DIR = PROJECT_ROOT / "var" / "corpora"
OUTLETS = {
    "breitbart": "Breitbart",
    "huff-post": "HuffPost",
    "nyt": "The New York Times",
    "politico": "Politico",
    "usa-today": "USA Today",
    "wash-post": "The Washington Post",
    "west-journal": "Western Journalism",
}
STAMP = ".written-from"  # the split file's SHA-256: a folder written from other data is rewritten


class PolnearMissing(Exception):
    """The PolNeAR split file is not where it should be."""


@dataclass(frozen=True)
class Article:
    doc_id: str
    text: str
    outlet: str
    published: str
    title: str

    @property
    def file(self) -> str:
        return f"{self.doc_id}.txt"


def default_corpus_dir(split: str = "dev") -> Path:
    return CORPORA_DIR / f"polnear-{split}"


def split_path(split: str = "dev", polnear_dir: Path = POLNEAR_DIR) -> Path:
    path = Path(polnear_dir) / f"{split}.jsonl"
    if not path.is_file():
        raise PolnearMissing(f"PolNeAR {split} split not found at {path} (it comes with ../shared)")
    return path


def parse_doc_id(doc_id: str) -> tuple[str, str]:
    """(outlet name, YYYY-MM-DD) of ``outlet_YYYY-MM-DD_title-words``; ValueError if malformed."""
    parts = doc_id.split("_", 2)
    if len(parts) < 2 or parts[0] not in OUTLETS or len(parts[1]) != 10:
        raise ValueError(f"not a PolNeAR doc_id (outlet_YYYY-MM-DD_title): {doc_id!r}")
    return OUTLETS[parts[0]], parts[1]


def read_split(path: Path) -> list[dict]:
    """The records of a PolNeAR JSON-lines file, as stored (``doc_id``, ``text``, ``quotes``)."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def articles(records: list[dict]) -> list[Article]:
    out = []
    for rec in records:
        outlet, published = parse_doc_id(rec["doc_id"])
        text = rec["text"]
        title = next((line.strip() for line in text.splitlines() if line.strip()), rec["doc_id"])
        out.append(Article(rec["doc_id"], text, outlet, published, title))
    return out


def write_corpus(split: str = "dev", out: Path | None = None, polnear_dir: Path = POLNEAR_DIR) -> Path:
    """The corpus folder of ``split`` (written if missing or written from other data). Returns it."""
    source = split_path(split, polnear_dir)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    out = Path(out or default_corpus_dir(split))
    stamp = out / STAMP
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == digest:
        return out
    docs = articles(read_split(source))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".tmp-{out.name}-{os.getpid()}-{time.time_ns()}"
    tmp.mkdir()
    try:
        for a in docs:
            # newline="": the file holds the text byte for byte, so PolNeAR offsets stay valid.
            with open(tmp / a.file, "w", encoding="utf-8", newline="") as f:
                f.write(a.text)
        sources = [{"file": a.file, "title": a.title, "outlet": a.outlet, "kind": "news article",
                    "published": a.published} for a in docs]
        (tmp / "sources.json").write_text(json.dumps(sources, ensure_ascii=False, indent=1) + "\n",
                                          encoding="utf-8")
        (tmp / STAMP).write_text(digest + "\n", encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.polnear_corpus", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="dev", choices=("dev", "train"),
                        help="which split (default dev; the test split is held out)")
    parser.add_argument("--out", type=Path, help="corpus folder (default var/corpora/polnear-SPLIT)")
    parser.add_argument("--polnear", type=Path, default=POLNEAR_DIR, help=f"default {POLNEAR_DIR}")
    args = parser.parse_args(argv)
    try:
        out = write_corpus(args.split, args.out, args.polnear)
    except (PolnearMissing, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    n = sum(1 for p in out.glob("*.txt"))
    print(f"{n} articles of PolNeAR {args.split} in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
