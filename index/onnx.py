"""The embedding model in ONNX Runtime: exported locally, optionally int8-quantised, cached.

The packaged all-MiniLM-L6-v2 (or any local sentence-transformers folder) is loaded once in
PyTorch, its whole sentence-transformers pipeline (Transformer, mean Pooling, Normalize) is
traced to ONNX with ``torch.onnx.export``, and for ``int8`` the weights are quantised with
ONNX Runtime's dynamic quantisation (per channel, int8; the first layer's feed-forward stays
in float32, see ``_quantize_int8``). Nothing is downloaded.

An export is a folder, written under a temporary name and renamed into place, so a reader never
sees half of one::

    var/models/all-MiniLM-L6-v2@098b85aad924a7b0-onnx-int8/
        model.onnx        the traced graph: token ids in, (batch, dim) unit vectors out
        tokenizer.json    the model's own fast tokenizer, padding to the longest text and
                          truncating at the model's max_seq_length
        manifest.json     source model id, quantisation, dim, inputs, file hashes, versions

At run time only ``onnxruntime`` and ``tokenizers`` are imported (no torch), which is most of
what makes a cold start fast. Optimum's exporter was not used: its only release pins
transformers < 4.58, older than the transformers that sentence-transformers 6 needs here.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np

from index.versions import versions

FORMAT = 2  # 2: layer 0 feed-forward kept in fp32 (bumping it re-exports and makes indexes stale)
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
MANIFEST = "manifest.json"
QUANTIZATIONS = ("none", "int8")
OPSET = 17
OUTPUT = "sentence_embedding"
_VERSIONED = ("torch", "onnx", "onnxruntime", "sentence-transformers", "transformers", "tokenizers")


class OnnxExportError(Exception):
    """An export folder is missing, incomplete or for another model; the message says why."""


def export_name(source_id: str, quantization: str) -> str:
    """Folder name of one export: the source model id (name@fingerprint) and the quantisation."""
    return f"{source_id}-onnx" + ("" if quantization == "none" else f"-{quantization}")


def export_onnx(st_model: Any, out_dir: Path, source_id: str, quantization: str = "int8") -> Path:
    """Export a loaded SentenceTransformer to ``out_dir`` (created atomically). Returns it.

    ``st_model`` is a ``sentence_transformers.SentenceTransformer`` on the CPU. If ``out_dir``
    appears meanwhile (another process exported the same model), that export is kept.
    """
    if quantization not in QUANTIZATIONS:
        raise ValueError(f"quantization must be one of {QUANTIZATIONS}, not {quantization!r}")
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f".tmp-{out_dir.name}-{os.getpid()}-{time.time_ns()}"
    tmp.mkdir()
    try:
        inputs = _trace(st_model, tmp / "fp32.onnx")
        fp32_nodes: list[str] = []
        if quantization == "int8":
            fp32_nodes = _quantize_int8(tmp / "fp32.onnx", tmp / MODEL_FILE)
            (tmp / "fp32.onnx").unlink()
        else:
            os.replace(tmp / "fp32.onnx", tmp / MODEL_FILE)
        _save_tokenizer(st_model, tmp / TOKENIZER_FILE)
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "source": {"id": source_id},
            "quantization": quantization,
            "fp32_nodes": fp32_nodes,
            "dim": int(st_model.get_embedding_dimension()),
            "max_seq_length": int(st_model.max_seq_length),
            "inputs": inputs,
            "output": OUTPUT,
            "opset": OPSET,
            "files": {name: _sha256(tmp / name) for name in (MODEL_FILE, TOKENIZER_FILE)},
            "versions": versions(_VERSIONED),
        }
        # The manifest goes last: a folder with a manifest is a complete export.
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        try:
            os.replace(tmp, out_dir)
        except OSError:
            if not (out_dir / MANIFEST).is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_dir


def read_export_manifest(folder: Path, source_id: str | None = None, verify: bool = True) -> dict[str, Any]:
    """The manifest of an export folder, checked: complete, right format and source, files intact.

    Raises :class:`OnnxExportError` (with what to do) otherwise.
    """
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise OnnxExportError(f"no ONNX export at {folder}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OnnxExportError(f"{path} is not valid JSON ({exc}); delete {folder} to re-export") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise OnnxExportError(f"{path} is not an ONNX export manifest of format {FORMAT}; delete {folder}")
    if source_id is not None and manifest.get("source", {}).get("id") != source_id:
        raise OnnxExportError(f"{folder} was exported from {manifest.get('source')}, not {source_id}")
    if verify:
        for name, digest in manifest.get("files", {}).items():
            if not (Path(folder) / name).is_file() or _sha256(Path(folder) / name) != digest:
                raise OnnxExportError(f"{Path(folder) / name} is missing or changed; delete {folder} to re-export")
    return manifest


def ensure_export(
    source_id: str,
    cache_root: Path,
    quantization: str,
    load_source: Callable[[], Any],
    log: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr),
) -> Path:
    """The export folder for ``source_id`` under ``cache_root``, exporting it first if needed.

    ``load_source`` returns the PyTorch SentenceTransformer; it is only called for an export.
    A broken export (changed file, bad manifest) is replaced by a fresh one.
    """
    folder = Path(cache_root) / export_name(source_id, quantization)
    try:
        read_export_manifest(folder, source_id)
        return folder
    except OnnxExportError as exc:
        if folder.exists():
            log(f"re-exporting the ONNX model: {exc}")
            shutil.rmtree(folder, ignore_errors=True)
    log(f"exporting the embedding model to ONNX ({quantization}) -> {folder}")
    t0 = time.perf_counter()
    export_onnx(load_source(), folder, source_id, quantization)
    log(f"exported in {time.perf_counter() - t0:.1f} s")
    return folder


@dataclass
class OnnxEncoder:
    """An exported sentence-transformers model in ONNX Runtime. Follows the Encoder protocol.

    ``encode`` returns (n, dim) float32 unit vectors. Texts are sorted by length and encoded in
    batches of ``batch_size`` so that a batch pads to similar lengths (far less wasted work on
    a mix of short and long passages); rows come back in the input order.

    An int8 model quantises its activations with one scale per batch (padding included), so a
    text's vector would shift with whatever shares its batch: enough to move MRR@10 on the eval
    set by 0.02 between batch sizes. Int8 exports therefore encode one text at a time
    (``batch_size`` 1): every vector is the one the text gets alone, as a question does, and
    with no padding at all this costs under 10% of throughput against batches of 8-16.

    ``workers`` batches run at once, each on its own thread with a single-threaded session run
    (ONNX Runtime releases the GIL and a session may be run from several threads). For the
    short runs of one passage this uses 2 cores far better than one run on 2 intra-op threads:
    279 against 155 passages/s on the default corpus, with identical vectors. One question (a
    single batch) runs on the calling thread.
    """

    session: Any
    tokenizer: Any
    model_id: str
    dim: int
    inputs: tuple[str, ...]
    manifest_entry: dict[str, Any]
    batch_size: int = 16  # smaller batches pad less: 16 ran ~10% faster than 32 and 30% than 64
    workers: int = 1

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batches = [order[lo : lo + self.batch_size] for lo in range(0, len(order), self.batch_size)]

        def run(rows: list[int]) -> None:
            out[rows] = self._run([texts[i] for i in rows])

        if self.workers <= 1 or len(batches) <= 1:
            for rows in batches:
                run(rows)
        else:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(self.workers, thread_name_prefix="encode") as pool:
                list(pool.map(run, batches))  # list(): re-raises the first failure here
        return out

    def _run(self, texts: list[str]) -> np.ndarray:
        try:
            encodings = self.tokenizer.encode_batch(texts)
        except TypeError:
            # A lone surrogate (invalid UTF-8 read from argv or stdin) is not text to the Rust
            # tokenizer; encode it as U+FFFD rather than fail the whole batch.
            texts = [t.encode("utf-8", "replace").decode("utf-8") for t in texts]
            encodings = self.tokenizer.encode_batch(texts)
        fields = {"input_ids": "ids", "attention_mask": "attention_mask", "token_type_ids": "type_ids"}
        feeds = {
            name: np.asarray([getattr(e, fields[name]) for e in encodings], dtype=np.int64)
            for name in self.inputs
        }
        (vectors,) = self.session.run([OUTPUT], feeds)
        return vectors


def load_onnx_encoder(folder: Path, model_id: str, source_id: str | None = None, threads: int = 0) -> OnnxEncoder:
    """Open an export folder (checked against its manifest) with ONNX Runtime on the CPU.

    ``threads`` is how many batches are encoded at once, each run on one thread (0: one per
    core); see :class:`OnnxEncoder`.
    """
    import onnxruntime as ort
    from tokenizers import Tokenizer

    folder = Path(folder)
    manifest = read_export_manifest(folder, source_id)
    options = ort.SessionOptions()
    # Parallelism comes from running batches side by side (OnnxEncoder.workers), not from
    # splitting one run over threads; a lone question costs ~0.4 ms more this way (2.6 ms).
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Spinning worker threads would steal the CPU from BM25, FAISS and the web server between
    # queries; a query is a single short run, so there is little to gain from spinning.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = ort.InferenceSession(str(folder / MODEL_FILE), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
    entry = {
        "backend": "onnx" if manifest["quantization"] == "none" else f"onnx-{manifest['quantization']}",
        "export": folder.name,
        "quantization": manifest["quantization"],
        "model_sha256": manifest["files"][MODEL_FILE],
        "onnxruntime": ort.__version__,
    }
    batch = 1 if manifest["quantization"] == "int8" else 16
    workers = threads or os.cpu_count() or 1
    return OnnxEncoder(session, tokenizer, model_id, int(manifest["dim"]), tuple(manifest["inputs"]), entry,
                       batch, workers)


def _trace(st_model: Any, path: Path) -> list[str]:
    """torch.onnx.export of the whole sentence-transformers pipeline; returns the input names."""
    import warnings

    import torch

    features = st_model.preprocess(["a short sentence to trace the graph", "and another, a little longer one"])
    inputs = [name for name in ("input_ids", "attention_mask", "token_type_ids") if name in features]

    class Pipeline(torch.nn.Module):
        def __init__(self, model: Any):
            super().__init__()
            self.model = model

        def forward(self, *tensors):
            return self.model(dict(zip(inputs, tensors)))[OUTPUT]

    axes = {name: {0: "batch", 1: "tokens"} for name in inputs}
    axes[OUTPUT] = {0: "batch"}
    # The tracer warns about shape-dependent Python branches in transformers' attention mask
    # code; with dynamic axes they do not change the traced graph (checked against PyTorch to
    # 1e-6 cosine on short, long and truncated texts in tests/test_onnx.py).
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pipeline(st_model.cpu()).eval(),
            tuple(features[name] for name in inputs),
            str(path),
            dynamo=False,  # the TorchScript exporter needs no onnxscript and handles dynamic axes
            input_names=inputs,
            output_names=[OUTPUT],
            dynamic_axes=axes,
            opset_version=OPSET,
        )
    return inputs


def _quantize_int8(src: Path, dst: Path) -> list[str]:
    """Dynamic quantisation: int8 weights per output channel, activations quantised at run time.

    The first layer's feed-forward MatMuls stay in float32: their activations have the widest
    outliers. On the eval set (hybrid MRR@10, texts encoded one at a time) quantising every
    MatMul gave 0.698, keeping these two in fp32 0.717, PyTorch 0.716, at the same speed.
    Per-tensor weight scales were worse still (0.96 cosine to the PyTorch vectors instead of
    0.995). Returns the nodes kept in fp32.
    """
    import logging
    import re

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(src), load_external_data=False).graph
    keep = [n.name for n in graph.node
            if n.op_type == "MatMul" and re.search(r"layer\.0/(intermediate|output)/dense/MatMul$", n.name)]
    # The quantiser logs a "consider pre-processing" hint on the root logger for every model.
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True, nodes_to_exclude=keep)
    finally:
        root.setLevel(level)
    return keep


def _save_tokenizer(st_model: Any, path: Path) -> None:
    """The model's fast tokenizer, set to pad to the longest text and truncate where the
    sentence-transformers model does (its max_seq_length), saved as tokenizer.json."""
    from tokenizers import Tokenizer

    hf = st_model.tokenizer
    tok = Tokenizer.from_str(hf.backend_tokenizer.to_str())  # a copy: the model's stays as it is
    tok.enable_truncation(max_length=int(st_model.max_seq_length))
    tok.enable_padding(pad_id=int(hf.pad_token_id), pad_token=str(hf.pad_token),
                       pad_type_id=int(getattr(hf, "pad_token_type_id", 0) or 0))
    tok.save(str(path))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
