"""The ONNX backend: a local export of the packaged model, its cache, and its vectors."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from index.encoder import ModelUnavailable, load_encoder, model_id
from index.onnx import (
    MANIFEST,
    MODEL_FILE,
    OnnxExportError,
    ensure_export,
    export_name,
    load_onnx_encoder,
    read_export_manifest,
)
from index.paths import PROJECT_ROOT

pytestmark = pytest.mark.real_model

TEXTS = [
    "Who opposed hospital-led integrated care organisations?",
    "The Royal College of General Practitioners has grave concerns. " * 30,  # > 256 tokens: truncated
    "mansion tax",
    "",
]


@pytest.fixture(scope="module")
def torch_encoder():
    return load_encoder(backend="torch")


@pytest.fixture(scope="module")
def exports(tmp_path_factory, torch_encoder):
    """fp32 and int8 exports of the packaged model into a temporary cache."""
    root = tmp_path_factory.mktemp("onnx-cache")
    source = model_id(None, "torch")
    folders = {q: ensure_export(source, root, q, lambda: torch_encoder.model, log=lambda m: None)
               for q in ("none", "int8")}
    return root, source, folders


def test_fp32_export_gives_the_pytorch_vectors(exports, torch_encoder):
    _, source, folders = exports
    onnx = load_onnx_encoder(folders["none"], "test", source)
    ref, got = torch_encoder.encode(TEXTS), onnx.encode(TEXTS)
    assert got.shape == (len(TEXTS), 384) and got.dtype == np.float32
    assert np.min(np.sum(ref * got, axis=1)) > 0.99999


def test_int8_export_stays_close_to_pytorch(exports, torch_encoder):
    _, source, folders = exports
    onnx = load_onnx_encoder(folders["int8"], "test", source)
    words = TEXTS[:3]  # the empty text (no word at all) is the one int8 blurs most (0.97)
    ref, got = torch_encoder.encode(words), onnx.encode(words)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)
    assert np.min(np.sum(ref * got, axis=1)) > 0.985
    manifest = read_export_manifest(folders["int8"], source)
    assert manifest["quantization"] == "int8" and manifest["fp32_nodes"], manifest
    assert (folders["int8"] / MODEL_FILE).stat().st_size < (folders["none"] / MODEL_FILE).stat().st_size / 2


def test_rows_come_back_in_input_order(exports):
    _, source, folders = exports
    onnx = load_onnx_encoder(folders["none"], "test", source)
    onnx.batch_size = 2  # several length-sorted batches
    texts = TEXTS[:3] + ["integrated care"]
    forward = onnx.encode(texts)
    assert np.min(np.sum(forward * onnx.encode(texts[::-1])[::-1], axis=1)) > 0.99999
    assert np.min(np.sum(forward * np.concatenate([onnx.encode([t]) for t in texts]), axis=1)) > 0.99999
    assert onnx.encode([]).shape == (0, 384)


def test_int8_vectors_do_not_depend_on_the_other_texts_encoded_with_them(exports):
    """int8 activations are scaled per batch, so int8 encodes one text at a time: a passage's
    vector is the same whatever else is being indexed, and the same as a question's."""
    _, source, folders = exports
    onnx = load_onnx_encoder(folders["int8"], "test", source)
    assert onnx.batch_size == 1
    texts = TEXTS[:3] + ["integrated care"]
    forward = onnx.encode(texts)
    np.testing.assert_array_equal(forward, onnx.encode(texts[::-1])[::-1])
    np.testing.assert_array_equal(forward[1:2], onnx.encode([texts[1]]))


def test_batches_encoded_side_by_side_match_one_at_a_time_in_input_order(exports):
    _, source, folders = exports
    many = [f"{t} ({i})" for i, t in enumerate(TEXTS[:3] * 7)]
    serial = load_onnx_encoder(folders["int8"], "test", source, threads=1)
    parallel = load_onnx_encoder(folders["int8"], "test", source, threads=3)
    assert (serial.workers, parallel.workers) == (1, 3)
    np.testing.assert_array_equal(parallel.encode(many), serial.encode(many))
    np.testing.assert_array_equal(parallel.encode(many[5:6]), serial.encode(many)[5:6])


def test_a_failing_batch_fails_the_whole_parallel_encode(exports):
    _, source, folders = exports
    onnx = load_onnx_encoder(folders["int8"], "test", source, threads=2)
    calls = []

    def broken(texts):
        calls.append(texts)
        raise RuntimeError("boom")

    onnx._run = broken
    with pytest.raises(RuntimeError, match="boom"):
        onnx.encode(["one", "two", "three"])
    assert calls


def test_an_existing_export_is_reused_without_loading_pytorch(exports):
    root, source, folders = exports

    def must_not_load():
        raise AssertionError("the export was redone")

    assert ensure_export(source, root, "int8", must_not_load, log=lambda m: None) == folders["int8"]
    assert folders["int8"].name == export_name(source, "int8")
    assert not [p for p in root.iterdir() if p.name.startswith(".tmp-")]


def test_a_changed_export_file_is_detected_and_exported_again(tmp_path, torch_encoder):
    source = model_id(None, "torch")
    loads = []

    def loader():
        loads.append(1)
        return torch_encoder.model

    folder = ensure_export(source, tmp_path, "none", loader, log=lambda m: None)
    with open(folder / MODEL_FILE, "r+b") as f:
        f.seek(1000)
        f.write(b"\x00\x01\x02\x03")
    with pytest.raises(OnnxExportError, match="changed"):
        read_export_manifest(folder, source)
    again = ensure_export(source, tmp_path, "none", loader, log=lambda m: None)
    assert len(loads) == 2 and read_export_manifest(again, source)["files"][MODEL_FILE]


def test_an_export_of_another_model_is_refused(exports):
    _, _, folders = exports
    with pytest.raises(OnnxExportError, match="exported from"):
        read_export_manifest(folders["none"], "another-model@0000")


def test_a_bad_manifest_is_refused(tmp_path):
    (tmp_path / MANIFEST).write_text("{not json")
    with pytest.raises(OnnxExportError, match="not valid JSON"):
        read_export_manifest(tmp_path)
    (tmp_path / MANIFEST).write_text(json.dumps({"format": 0}))
    with pytest.raises(OnnxExportError, match="format"):
        read_export_manifest(tmp_path)


def test_load_encoder_onnx_backend_uses_the_cache_and_names_the_backend(exports):
    root, _, _ = exports
    enc = load_encoder(backend="onnx-int8", cache_dir=root)
    assert enc.model_id.endswith("+onnx-int8.v2") and enc.model_id != model_id(None, "torch")
    assert enc.model_id == model_id(None, "onnx-int8")
    assert enc.manifest_entry["backend"] == "onnx-int8" and enc.dim == 384


def test_unknown_backend_and_missing_model_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="encoder backend"):
        load_encoder(backend="tensorflow")
    with pytest.raises(ModelUnavailable):
        load_encoder(tmp_path / "missing", backend="onnx-int8", cache_dir=tmp_path)


def test_importing_the_modules_loads_nothing_heavy():
    code = ("import sys, index.onnx, index.encoder, index.dense, index.incremental, index.build, "
            "index.attribution, index.attribution.engine, index.chunking, retrieval.answer, retrieval.loader, "
            "retrieval.cache, eval.bench, eval.scale, app; "
            "print(sorted(m for m in ('torch', 'onnxruntime', 'sentence_transformers', 'faiss', 'onnx', 'spacy', "
            "'thinc', 'gradio') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
