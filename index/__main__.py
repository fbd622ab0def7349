"""python -m index build [--corpus DIR] [--index-dir DIR] [--force] [--no-rebuild]"""

from __future__ import annotations

import argparse
import sys

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
    args = parser.parse_args(argv)
    set_offline_env()
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


if __name__ == "__main__":
    sys.exit(main())
