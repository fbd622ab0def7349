"""python -m index build [--corpus DIR] [--index-dir DIR] [--force] [--no-rebuild]
python -m index attribute FILE... | --jsonl < lines"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from index.build import ensure_index
from index.cli import add_index_args, report_error, resolve_index_args, user_errors
from index.encoder import load_encoder, model_id, set_offline_env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the index if it is missing or stale")
    add_index_args(build)
    build.add_argument("--force", action="store_true", help="rebuild even if the index is fresh")
    build.add_argument("--no-rebuild", dest="rebuild", action="store_false",
                       help="only check: exit 1 with the reasons if the index is missing or stale")
    attribute = sub.add_parser("attribute", help="show who speaks in each file (or JSON lines on stdin)")
    attribute.add_argument("files", nargs="*", type=Path, help="text, markdown or HTML files")
    attribute.add_argument("--jsonl", action="store_true",
                           help='read {"id", "text"} lines on stdin, write {"id", "spans"} lines')
    args = parser.parse_args(argv)
    set_offline_env()
    if args.command == "attribute":
        return _attribute(args, parser)
    try:
        ia = resolve_index_args(args)
        report = ensure_index(
            ia.corpus_dir, ia.index_dir, ia.chunking, model_id(ia.model_path, ia.backend),
            lambda: load_encoder(ia.model_path, ia.backend), rebuild=args.rebuild, force=args.force,
        )
    except user_errors() as exc:
        return report_error(exc)
    if report is None:
        print(f"index at {ia.index_dir} is up to date", file=sys.stderr)
    return 0


def _attribute(args, parser) -> int:
    from index.attribution.attributor import Attributor
    from index.attribution.nlp import NlpUnavailable
    from index.attribution.show import run_files, run_jsonl

    if bool(args.files) == bool(args.jsonl):
        parser.error("give FILE... or --jsonl (JSON lines on stdin), not both or neither")
    try:
        attributor = Attributor(cache=0)
        return run_jsonl(sys.stdin, attributor, sys.stdout) if args.jsonl else run_files(args.files, attributor, sys.stdout)
    except NlpUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
