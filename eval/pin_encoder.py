"""python -m eval.pin_encoder [--write] [--encoder BACKEND ...] [--json PATH]

Pinned vectors: 54 fixed texts (questions, corpus passages, sentences and odd Unicode) and
their vectors from the PyTorch model, committed in tests/data/encoder_pins.{json,npy}. Every
backend is checked against them (tests/test_encoder_pins.py): fp32 (torch, ONNX) within a tight
bound, int8 within a cosine bound measured on both int8 kernels (AVX-512 VNNI and AVX2). A
library upgrade, a new export recipe or a new CPU that moves the vectors then fails, naming the
texts that moved and by how much.

Without ``--write`` this prints, per backend, how far its vectors are from the pins (what the
bounds in encoder_pins.json were set from); ``--write`` re-pins from the PyTorch model.
Corpus passages are stored as offsets into ../shared/corpus with a digest, not as text.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from eval.spans import span_text
from index.paths import PROJECT_ROOT

PINS = PROJECT_ROOT / "tests" / "data" / "encoder_pins.json"
VECTORS = PINS.with_suffix(".npy")


@dataclass(frozen=True)
class Drift:
    """How far one backend's vector of a text is from its pin: cosine, and the largest
    difference of one coordinate (the vectors are unit length)."""

    id: str
    cosine: float
    max_abs: float


def load_pins(corpus_dir: Path, path: Path = PINS) -> tuple[dict, list[str], list[str]]:
    """(the pins file, ids, texts); corpus passages are read from ``corpus_dir`` and checked."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    texts: dict[str, str] = {}
    ids, out = [], []
    for item in spec["texts"]:
        if "text" in item:
            out.append(item["text"])
        else:
            if item["source"] not in texts:
                texts[item["source"]] = (Path(corpus_dir) / item["source"]).read_text(encoding="utf-8")
            out.append(span_text(item, texts, item["id"]))
        ids.append(item["id"])
    return spec, ids, out


def load_vectors(path: Path = VECTORS) -> np.ndarray:
    return np.load(path, allow_pickle=False)


def drift(ids: list[str], got: np.ndarray, pinned: np.ndarray) -> list[Drift]:
    """Per text, the distance between ``got`` and ``pinned`` (both (n, dim) float32)."""
    if got.shape != pinned.shape:
        raise ValueError(f"vectors of shape {got.shape} against pins of shape {pinned.shape}")
    cos = np.sum(got.astype(np.float64) * pinned, axis=1)
    diff = np.abs(got.astype(np.float64) - pinned).max(axis=1)
    return [Drift(i, float(c), float(d)) for i, c, d in zip(ids, cos, diff)]


def out_of_bounds(drifts: list[Drift], min_cosine: float, max_abs: float | None = None) -> list[str]:
    """A line for every text whose vector moved past the bounds, worst first."""
    bad = [d for d in drifts if d.cosine < min_cosine or (max_abs is not None and d.max_abs > max_abs)]
    bad.sort(key=lambda d: d.cosine)
    return [f"{d.id}: cosine {d.cosine:.7f} (bound {min_cosine}), largest coordinate change {d.max_abs:.2e}"
            + (f" (bound {max_abs:.0e})" if max_abs is not None else "") for d in bad]


def summary(name: str, drifts: list[Drift]) -> dict:
    cos = np.array([d.cosine for d in drifts])
    worst = min(drifts, key=lambda d: d.cosine)
    return {"backend": name, "min_cosine": float(cos.min()), "median_cosine": float(np.median(cos)),
            "max_abs": max(d.max_abs for d in drifts), "worst": worst.id}


def main(argv: list[str] | None = None) -> int:
    from index.encoder import load_encoder, set_offline_env
    from index.paths import default_corpus_dir
    from index.versions import versions

    parser = argparse.ArgumentParser(prog="python -m eval.pin_encoder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="re-pin the vectors from the PyTorch model")
    parser.add_argument("--encoder", action="append", choices=("torch", "onnx", "onnx-int8"),
                        help="backends to compare (repeatable; default all three)")
    parser.add_argument("--corpus", type=Path, default=default_corpus_dir())
    parser.add_argument("--json", type=Path, help="write the comparison here")
    args = parser.parse_args(argv)
    set_offline_env()
    spec, ids, texts = load_pins(args.corpus)
    if args.write:
        encoder = load_encoder(backend="torch")
        vectors = encoder.encode(texts)
        np.save(VECTORS, vectors.astype(np.float32), allow_pickle=False)
        spec["reference"] = {"model": encoder.model_id, "backend": "torch",
                             "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                             "versions": versions(("torch", "sentence-transformers", "transformers", "tokenizers"))}
        PINS.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"pinned {len(texts)} vectors in {VECTORS}")
        return 0
    pinned = load_vectors()
    rows = []
    for backend in args.encoder or ["torch", "onnx", "onnx-int8"]:
        encoder = load_encoder(backend=backend, log=lambda m: None)
        rows.append(summary(backend, drift(ids, encoder.encode(texts), pinned)))
        r = rows[-1]
        print(f"{backend:<10} cosine min {r['min_cosine']:.7f} median {r['median_cosine']:.7f} "
              f"largest coordinate change {r['max_abs']:.2e} (worst: {r['worst']})")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
