"""Every encoder backend against pinned vectors (tests/data/encoder_pins.*, eval/pin_encoder.py).

fp32 backends must reproduce the pins to float32 rounding on any CPU; int8 must stay within a
cosine bound measured on both int8 kernels (AVX-512 VNNI natively, AVX2 under qemu). On failure
the message names every text that moved and by how much.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from eval.pin_encoder import PINS, drift, load_pins, load_vectors, out_of_bounds
from index.paths import PROJECT_ROOT

pytestmark = pytest.mark.real_model
QEMU = shutil.which("qemu-x86_64")


@pytest.fixture(scope="module")
def pins(corpus_dir):
    spec, ids, texts = load_pins(corpus_dir)
    return spec, ids, texts, load_vectors()


def test_the_pins_cover_questions_passages_and_odd_unicode(pins):
    spec, ids, texts, vectors = pins
    kinds = {i.split("-")[0] for i in ids}
    assert kinds == {"question", "passage", "sentence", "odd"} and len(ids) >= 50
    assert vectors.shape == (len(ids), 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize("backend", ["torch", "onnx", "onnx-int8"])
def test_each_backend_stays_within_its_bound_of_the_pins(backend, pins, encoder_for):
    spec, ids, texts, pinned = pins
    bound = spec["bounds"]["int8" if backend == "onnx-int8" else "fp32"]
    drifts = drift(ids, encoder_for(backend).encode(texts), pinned)
    moved = out_of_bounds(drifts, bound["min_cosine"], bound.get("max_abs"))
    assert not moved, f"{backend} vectors moved from the pins ({spec['reference']['model']}):\n" + "\n".join(moved)
    median = float(np.median([d.cosine for d in drifts]))
    assert median >= bound["median_cosine"], f"{backend}: median cosine {median:.5f} < {bound['median_cosine']}"


def test_out_of_bounds_names_what_moved_and_by_how_much():
    ids = ["a", "b"]
    pinned = np.eye(2, dtype=np.float32)
    got = np.array([[1, 0], [0.6, 0.8]], dtype=np.float32)
    lines = out_of_bounds(drift(ids, got, pinned), 0.99, 1e-5)
    assert len(lines) == 1 and lines[0].startswith("b: cosine 0.8000000") and "6.00e-01" in lines[0]


@pytest.mark.skipif(QEMU is None, reason="qemu-user is not installed (make test installs it)")
def test_int8_on_the_avx2_kernel_stays_within_the_bound(pins, tmp_path, encoder_for):
    """The same check with int8 run on an emulated AVX2 CPU (AMD EPYC Rome: no AVX-512, no VNNI),
    whose int8 kernel differs from AVX-512 VNNI's: both kernels' vectors must keep the bound."""
    spec, ids, texts, pinned = pins
    encoder_for("onnx-int8")  # the export is made natively; under qemu it is only loaded
    out = tmp_path / "avx2.npy"
    script = ("import sys, numpy as np; from eval.pin_encoder import load_pins; from index.encoder import load_encoder;"
              "_, _, texts = load_pins(sys.argv[1]); np.save(sys.argv[2], load_encoder(backend='onnx-int8', threads=1,"
              " log=lambda m: None).encode(texts), allow_pickle=False)")
    from tests.conftest import DEFAULT_CORPUS

    run = subprocess.run([QEMU, "-cpu", "EPYC-Rome", sys.executable, "-c", script, str(DEFAULT_CORPUS), str(out)],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    bound = spec["bounds"]["int8"]
    drifts = drift(ids, np.load(out, allow_pickle=False), pinned)
    moved = out_of_bounds(drifts, bound["min_cosine"])
    assert not moved, "int8 on AVX2 moved from the pins:\n" + "\n".join(moved)
