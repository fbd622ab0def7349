"""python -m eval.scale [--sizes 10000,100000,1000000] [--kinds flat,hnsw,ivf] [--json PATH]

How the dense index (and BM25) behave from ten thousand to a million passages, on synthetic
corpora: exact flat FAISS against the ANN indexes of :mod:`index.dense`, each reporting build
time, index size, p50/p95 search latency (one query at a time, 50 candidates, as the searcher
asks) and recall@10 against exact search. Encoding a real million passages would take hours on
2 cores, hence synthetic vectors.

The vectors are random unit vectors with the shape of real sentence embeddings: a shared
direction, a 16-dimensional Gaussian latent part and isotropic noise (``synthetic_vectors``).
Uniform random unit vectors would be the wrong test: their nearest neighbours are no nearer
than any other point, so no ANN index can find them. ``--calibrate N`` embeds N real
paragraphs (docstrings of the installed packages) with the product's encoder and prints the
recall curves of real and synthetic vectors side by side; the parameters were chosen so that
the synthetic set is at least as hard as the real one (README "Performance").
Queries are held-out points of the same distribution, not copies of indexed ones.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from index.dense import describe, make_dense_index
from index.settings import DenseSettings

DIM = 384
CANDIDATES = 50  # what the searcher asks FAISS for (SearchSettings.candidates)
LATENT_DIM, SHARED, LATENT, NOISE = 16, 0.35, 0.8, 0.45
DEPTHS = {"hnsw": ("ef_search", (32, 64, 128, 256)), "ivf": ("ivf_probe_factor", (1.0, 2.0, 3.0, 5.0))}


@dataclass(frozen=True)
class DenseRow:
    """One index at one corpus size. Times in seconds / milliseconds, sizes in MiB."""

    n: int
    kind: str
    params: dict
    build_s: float
    size_mib: float
    rss_mib: float
    p50_ms: float
    p95_ms: float
    recall_at_10: float
    product_default: bool


@dataclass(frozen=True)
class LexicalRow:
    n: int
    build_s: float
    rss_mib: float  # RSS growth while building: the index plus the tokenizer's working memory
    p50_ms: float
    p95_ms: float
    size_mib: float = 0.0  # the index's score arrays (what a loaded index holds)


def synthetic_vectors(n: int, seed: int = 0, chunk: int = 100_000) -> np.ndarray:
    """(n, 384) float32 unit vectors: shared direction + 16-d Gaussian latent + noise.

    Mean pairwise cosine ~0.13 and nearest-neighbour cosine ~0.66, like MiniLM vectors of real
    paragraphs; generated in chunks so a million rows need no more than their own 1.5 GB.
    """
    rng = np.random.default_rng(seed)
    basis = np.linalg.qr(rng.standard_normal((DIM, LATENT_DIM)))[0].astype(np.float32).T
    shared = rng.standard_normal(DIM).astype(np.float32)
    shared /= np.linalg.norm(shared)
    out = np.empty((n, DIM), dtype=np.float32)
    for lo in range(0, n, chunk):
        m = min(chunk, n - lo)
        z = rng.standard_normal((m, LATENT_DIM), dtype=np.float32) / np.sqrt(LATENT_DIM)
        noise = rng.standard_normal((m, DIM), dtype=np.float32) / np.sqrt(DIM)
        block = SHARED * shared + LATENT * (z @ basis) + NOISE * noise
        out[lo : lo + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def synthetic_texts(n: int, seed: int = 0, words: int = 80, vocabulary: int = 50_000) -> list[str]:
    """``n`` passages of ``words`` pseudo-words drawn from a Zipf law over ``vocabulary``."""
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnoprstuvw"))
    lengths = rng.integers(4, 10, vocabulary)
    vocab = ["".join(letters[rng.integers(0, len(letters), k)]) for k in lengths]
    p = 1.0 / np.arange(1, vocabulary + 1) ** 1.05
    p /= p.sum()
    texts = []
    for lo in range(0, n, 100_000):
        m = min(100_000, n - lo)
        ids = rng.choice(vocabulary, size=(m, words), p=p)
        texts.extend(" ".join(vocab[i] for i in row) for row in ids)
    return texts


def recall_at_10(exact: np.ndarray, found: np.ndarray) -> float:
    """Mean share of each query's exact top 10 found in its approximate top 10."""
    return float(np.mean([len(set(a[:10]) & set(b[:10])) / 10 for a, b in zip(exact, found)]))


def rss_mib() -> float:
    """Current resident set size of this process, MiB (Linux /proc)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def time_searches(index, queries: np.ndarray, k: int = CANDIDATES, threads: int = 1) -> tuple[list[float], np.ndarray]:
    """One query at a time, like a user; returns per-query milliseconds and the (nq, k) ids.

    FAISS runs on ``threads`` OpenMP threads meanwhile: for a single query, a second thread
    only adds fork/join waits (ten times slower on a busy 2-core machine), see README.
    """
    import faiss

    ids = np.empty((len(queries), k), dtype=np.int64)
    times = []
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(threads)
    try:
        for i in range(len(queries)):
            t0 = time.perf_counter()
            _, found = index.search(queries[i : i + 1], k)
            times.append((time.perf_counter() - t0) * 1000)
            ids[i] = found[0]
    finally:
        faiss.omp_set_num_threads(before)
    return times, ids


def bench_dense(n: int, kinds: list[str], n_queries: int, settings: DenseSettings, sweep: bool,
                log=print) -> list[DenseRow]:
    import faiss

    data = synthetic_vectors(n + n_queries, seed=n)
    vectors, queries = data[:n], np.ascontiguousarray(data[n:])
    del data
    exact = faiss.IndexFlatIP(DIM)
    exact.add(vectors)
    _, truth = exact.search(queries, 10)
    del exact
    rows = []
    for kind in kinds:
        rss0 = rss_mib()
        t0 = time.perf_counter()
        index = make_dense_index(vectors, settings, kind)
        build_s = time.perf_counter() - t0
        rss = rss_mib() - rss0
        size = _size_mib(index)
        field, depths = DEPTHS.get(kind, (None, (None,)))
        default = getattr(settings, field) if field else None
        for depth in (depths if sweep and field else (default,)):
            if field:
                index = _set_depth(index, kind, replace(settings, **{field: depth}), n)
            times, found = time_searches(index, queries)
            row = DenseRow(n, kind, describe(index), round(build_s, 2), round(size, 1), round(rss, 1),
                           round(statistics.median(times), 3), round(_p(times, 95), 3),
                           round(recall_at_10(truth, found), 4), depth == default)
            log(_dense_line(row))
            rows.append(row)
        del index
    return rows


def bench_lexical(n: int, n_queries: int, log=print) -> LexicalRow:
    from index.lexical import bm25_scores, build_bm25
    from retrieval.fusion import top_k

    texts = synthetic_texts(n, seed=n)
    vocab_sample = [w for t in texts[: min(n, 2000)] for w in t.split()[::7]]
    rng = np.random.default_rng(7)
    queries = [" ".join(rng.choice(vocab_sample, 6)) for _ in range(n_queries)]
    rss0 = rss_mib()
    t0 = time.perf_counter()
    bm25 = build_bm25(texts)
    build_s = time.perf_counter() - t0
    rss = rss_mib() - rss0
    del texts
    times = []
    for q in queries:
        t1 = time.perf_counter()
        scores = bm25_scores(bm25, q)
        top_k(scores, CANDIDATES)  # the searcher's selection step
        times.append((time.perf_counter() - t1) * 1000)
    size = sum(a.nbytes for a in bm25.scores.values() if isinstance(a, np.ndarray)) / 2**20
    row = LexicalRow(n, round(build_s, 2), round(rss, 1), round(statistics.median(times), 3), round(_p(times, 95), 3),
                     round(size, 1))
    log(f"  bm25 n={n:>9,}  build {row.build_s:8.1f} s  +RSS {row.rss_mib:8.1f} MiB  index {row.size_mib:8.1f} MiB  "
        f"p50 {row.p50_ms:7.2f} ms  p95 {row.p95_ms:7.2f} ms")
    return row


def calibrate(n_texts: int, log=print) -> dict:
    """Recall curves of real MiniLM vectors (docstring paragraphs) and synthetic ones, same n."""
    from index.encoder import load_encoder

    texts = real_paragraphs(n_texts)
    encoder = load_encoder()
    real = encoder.encode(texts)
    synth = synthetic_vectors(len(real), seed=1)
    out = {}
    for name, data in (("real", real), ("synthetic", synth)):
        out[name] = recall_curves(data[300:], data[:300])
        log(f"  {name:9} {json.dumps(out[name])}")
    return out


def recall_curves(vectors: np.ndarray, queries: np.ndarray) -> dict:
    """Nearest-neighbour similarities and recall@10 of IVF-Flat (by nprobe) and HNSW16 (by ef)."""
    import faiss

    exact = faiss.IndexFlatIP(DIM)
    exact.add(vectors)
    sims, truth = exact.search(queries, 10)
    sample = vectors[:1500] @ vectors[:1500].T
    curves = {"top1_cos": float(sims[:, 0].mean()), "top10_cos": float(sims[:, 9].mean()),
              "pair_cos": float(sample[np.triu_indices(len(sample), 1)].mean())}
    lists = int(4 * np.sqrt(len(vectors)))
    ivf = faiss.index_factory(DIM, f"IVF{lists},Flat", faiss.METRIC_INNER_PRODUCT)
    ivf.cp.min_points_per_centroid = 1
    ivf.train(vectors)
    ivf.add(vectors)
    for nprobe in (1, 4, 16):
        ivf.nprobe = nprobe
        curves[f"ivf_nprobe{nprobe}"] = recall_at_10(truth, ivf.search(queries, 10)[1])
    hnsw = faiss.IndexHNSWFlat(DIM, 16, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = 40
    hnsw.add(vectors)
    for ef in (10, 20, 40):
        hnsw.hnsw.efSearch = ef
        curves[f"hnsw_ef{ef}"] = recall_at_10(truth, hnsw.search(queries, 10)[1])
    return {k: round(v, 3) for k, v in curves.items()}


def real_paragraphs(n: int) -> list[str]:
    """Up to ``n`` distinct English paragraphs (150-600 characters) from docstrings of the
    installed Python packages, in a fixed shuffled order: real text available offline."""
    import ast
    import random
    import sysconfig

    root = Path(sysconfig.get_paths()["purelib"])
    found: set[str] = set()
    for path in sorted(root.rglob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError, ValueError, OSError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                for para in (ast.get_docstring(node) or "").split("\n\n"):
                    para = " ".join(para.split())
                    if 150 <= len(para) <= 600 and sum(c.isalpha() for c in para) > 0.7 * len(para):
                        found.add(para)
        if len(found) >= 4 * n:
            break
    texts = sorted(found)
    random.Random(0).shuffle(texts)
    return texts[:n]


def _set_depth(index, kind: str, settings: DenseSettings, n: int):
    from index.dense import ivf_lists, ivf_probes

    if kind == "hnsw":
        index.hnsw.efSearch = settings.ef_search
    elif kind == "ivf":
        index.nprobe = ivf_probes(ivf_lists(n, settings), settings)
    return index


def _size_mib(index) -> float:
    import faiss

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "dense.faiss")
        faiss.write_index(index, path)
        return os.path.getsize(path) / 2**20


def _p(values: list[float], q: int) -> float:
    return float(np.percentile(values, q))


def _dense_line(r: DenseRow) -> str:
    depth = {k: v for k, v in r.params.items() if k in ("ef_search", "nprobe", "lists")}
    mark = " *" if r.product_default else ""
    return (f"  {r.kind:5} n={r.n:>9,}  build {r.build_s:8.1f} s  size {r.size_mib:8.1f} MiB  "
            f"p50 {r.p50_ms:7.3f} ms  p95 {r.p95_ms:7.3f} ms  recall@10 {r.recall_at_10:.3f}  {depth}{mark}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.scale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="comma-separated corpus sizes in passages (default 10000,100000,1000000)")
    parser.add_argument("--kinds", default="flat,hnsw,ivf",
                        help="dense index kinds to compare ('' for BM25 rows only)")
    parser.add_argument("--queries", type=int, default=200, help="held-out queries per size")
    parser.add_argument("--sweep", action="store_true", help="also try other search depths (efSearch, nprobe)")
    parser.add_argument("--no-bm25", dest="bm25", action="store_false", help="skip the BM25 rows")
    parser.add_argument("--calibrate", type=int, default=0, metavar="N",
                        help="first compare recall curves of N real paragraphs with synthetic vectors")
    parser.add_argument("--json", type=Path, help="write all rows here")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
        kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
        if not sizes or min(sizes) < 100 or any(k not in ("flat", "hnsw", "ivf") for k in kinds):
            raise ValueError("need sizes >= 100 and kinds among flat, hnsw, ivf")
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from index.encoder import set_offline_env

    set_offline_env()
    settings = DenseSettings()
    report: dict = {"settings": settings.to_json(), "cpus": os.cpu_count(), "dense": [], "bm25": []}
    print(f"dense: {DIM}-d synthetic unit vectors, {args.queries} held-out queries, k={CANDIDATES}; "
          f"product: {settings.to_json()} (* = product setting)")
    if args.calibrate:
        print(f"calibration on {args.calibrate} real paragraphs:")
        report["calibration"] = calibrate(args.calibrate)
    for n in sizes:
        if kinds:
            report["dense"] += [asdict(r) for r in bench_dense(n, kinds, args.queries, settings, args.sweep)]
        if args.bm25:
            report["bm25"].append(asdict(bench_lexical(n, args.queries)))
        if args.json:  # after every size, so a long run that is stopped still leaves its rows
            args.json.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
