"""python -m eval.bench [--json PATH] [--repeats N] [--cold-runs N] [--no-api]

Measures the product against the usual recipe (RecursiveCharacterTextSplitter 1000/200,
all-MiniLM-L6-v2 in PyTorch, flat FAISS; eval/baseline.py), side by side in one run on this
machine, and prints one table with the ratios:

- index build: passages/s and characters/s (chunk, embed, BM25, FAISS, write), the median of
  ``--build-repeats`` builds in one fresh process (model load timed apart) and, apart, the
  first of them, which also pays the libraries' imports; and the build process's peak RSS;
  then one build of ``--copies`` copies of the corpus, where fixed costs and noise weigh less;
- cold start to first answer: a new Python process that loads the model and the built index
  from disk and answers one question (median of ``--cold-runs``), and the same for the web app
  (spawn ``app.build_app`` under uvicorn, as ``app.py`` serves it, until the first ``POST
  /api/ask`` answers and until /healthz says the chat is mounted; medians of ``--cold-runs``);
- warm latency p50/p95/p99 of ``search`` and ``ask`` in-process and of ``POST /api/ask`` over
  loopback HTTP: every eval question (eval/data/questions.jsonl) ``--repeats`` times, the two
  systems called alternately so that both see the same machine load. One untimed pass first
  warms the answerer's sentence cache, as a running server would be warm;
- the query-embedding cache (retrieval/cache.py) on repeated questions, FAISS with one OpenMP
  thread, adding one document to a built index (vectors reused), and MRR@10 on the eval set.

The machine is shared, so figures move between runs; compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

from index.paths import PROJECT_ROOT, default_corpus_dir

PRODUCT, RECIPE = "product", "recipe"
PRODUCT_BACKEND = "onnx"  # EncoderSettings' default; pinned here so the bench says what it ran
RECIPE_BACKEND = "torch"
FIRST_QUESTION = "Who opposed hospital-led integrated care organisations?"


# --- helpers ---------------------------------------------------------------------------------


def percentiles(ms: list[float]) -> dict[str, float]:
    """p50/p95/p99 and count of a list of milliseconds."""
    a = np.asarray(ms, dtype=np.float64)
    return {"p50": float(np.percentile(a, 50)), "p95": float(np.percentile(a, 95)),
            "p99": float(np.percentile(a, 99)), "n": int(a.size)}


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _env(backend: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1", "TRANSFORMERS_OFFLINE": "1",
                "GRADIO_ANALYTICS_ENABLED": "False", "DEBATEQA_ENCODER": backend,
                "PYTHONPATH": str(PROJECT_ROOT)})
    return env


def _child(args: list[str], backend: str, timeout: float = 600) -> tuple[dict[str, Any], float]:
    """Run ``python -m eval.bench --child ...`` in a new process: (its JSON, wall seconds)."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "eval.bench", "--child", *args], cwd=PROJECT_ROOT,
                          env=_env(backend), capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"bench child {args} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1]), wall


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- what runs in the child processes ---------------------------------------------------------


def open_system(config: str, corpus_dir: Path, index_dir: Path):
    """(searcher, answerer) of one system over a built index, loaded the way it runs.

    The product goes through ``open_searcher`` (staleness check, index and model from disk);
    the recipe loads its flat index and the PyTorch model, dense search only.
    """
    from retrieval.answer import Answerer
    from retrieval.searcher import SearchSettings, Searcher

    if config == PRODUCT:
        from index.settings import ChunkSettings
        from retrieval.loader import Paths, open_searcher

        # No query cache: every timed pass repeats the same questions, which the cache would
        # answer from memory; the cache is measured apart (measure_levers).
        searcher = open_searcher(Paths(corpus_dir, index_dir, None), ChunkSettings(), SearchSettings(),
                                 rebuild=False, query_cache=0)
    else:
        from index.encoder import load_encoder
        from index.store import read_index

        searcher = Searcher(read_index(index_dir), load_encoder(backend=RECIPE_BACKEND),
                            SearchSettings(mode="dense", expand=False))
    return searcher, Answerer(searcher)


def child_build(config: str, corpus_dir: Path, index_dir: Path, repeats: int) -> dict[str, Any]:
    """Build the system's index ``repeats`` times (a fresh version each time); time each."""
    from index.corpus import load_corpus
    from index.encoder import load_encoder
    from index.store import write_index

    from index.attribution import Attributor

    t0 = time.perf_counter()
    encoder = load_encoder(backend=PRODUCT_BACKEND if config == PRODUCT else RECIPE_BACKEND)
    load_s = time.perf_counter() - t0
    # No attribution cache: every timed build parses every document, as a first build does
    # (spaCy's pipeline loads during the first build, which is reported apart).
    attributor = Attributor(cache=0)
    times, built = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        corpus = load_corpus(corpus_dir)
        if config == PRODUCT:
            from index.build import build_in_memory

            built = build_in_memory(corpus, encoder, attributor=attributor)
        else:
            from eval.baseline import plain_index

            built = plain_index(corpus, encoder, 1000, 200)
            built = type(built)(built.path, {**_recipe_manifest(corpus, len(built.passages)), **built.manifest},
                                built.passages, built.dense, built.bm25)
        write_index(index_dir, built.manifest, built.passages, built.dense, built.bm25, built.attributions)
        times.append(time.perf_counter() - t0)
    assert built is not None
    return {"model_load_s": load_s, "build_s": times, "passages": len(built.passages),
            "chars": sum(len(p.text) for p in built.passages), "peak_rss_mib": peak_rss_mib(),
            "dense": built.manifest.get("dense", {}).get("type")}


def _recipe_manifest(corpus, n: int) -> dict[str, Any]:
    """What plain_index leaves out and read_index checks: format, corpus hashes, counts."""
    from index.build import FORMAT

    return {"format": FORMAT, "corpus": {"root": str(corpus.root), "files": corpus.hashes()},
            "counts": {"documents": len(corpus.documents), "passages": n}}


def child_cold(config: str, corpus_dir: Path, index_dir: Path) -> dict[str, Any]:
    """Load everything and answer one question; phase times from the start of main."""
    t0 = time.perf_counter()
    import faiss  # noqa: F401  (the imports every entry point pays)

    from retrieval.answer import Answerer  # noqa: F401

    t_import = time.perf_counter()
    searcher, answerer = open_system(config, corpus_dir, index_dir)
    t_load = time.perf_counter()
    answer = answerer.ask(FIRST_QUESTION)
    t_answer = time.perf_counter()
    return {"imports_s": t_import - t0, "load_s": t_load - t_import, "first_answer_s": t_answer - t_load,
            "total_s": t_answer - t0, "citations": len(answer.citations), "peak_rss_mib": peak_rss_mib()}


def child_serve(config: str, corpus_dir: Path, index_dir: Path, port: int) -> None:
    """Serve the web app (app.build_app) over this system on 127.0.0.1:port until killed."""
    import uvicorn

    from app import build_app
    from web.settings import WebSettings

    searcher, answerer = open_system(config, corpus_dir, index_dir)
    settings = WebSettings(host="127.0.0.1", port=port)
    # As app.main serves it: the API first, the chat mounted once Gradio has loaded.
    uvicorn.run(build_app(searcher, answerer, settings, defer_chat=True), host="127.0.0.1", port=port,
                log_level="warning")


# --- the measurements (parent) ----------------------------------------------------------------


def measure_builds(corpus_dir: Path, work: Path, repeats: int, log) -> dict[str, Any]:
    out = {}
    for config, backend in ((RECIPE, RECIPE_BACKEND), (PRODUCT, PRODUCT_BACKEND)):
        result, _ = _child(["build", config, str(corpus_dir), str(work / config), str(repeats)], backend)
        build_s = statistics.median(result["build_s"])
        # The first build in a process also pays one-time costs (importing the splitter and
        # bm25s, compiling the attribution regexes); the median is the steady state.
        first_s = result["build_s"][0]
        result.update(build_median_s=build_s, passages_per_s=result["passages"] / build_s,
                      chars_per_s=result["chars"] / build_s, first_build_s=first_s,
                      first_passages_per_s=result["passages"] / first_s)
        out[config] = result
        log(f"build {config}: {result['passages']} passages in {build_s:.2f} s "
            f"({result['passages_per_s']:.0f}/s; first build in the process {first_s:.2f} s, "
            f"{result['first_passages_per_s']:.0f}/s), peak RSS {result['peak_rss_mib']:.0f} MiB")
    return out


def measure_large_builds(corpus_dir: Path, work: Path, copies: int, log) -> dict[str, Any]:
    """One build per system of ``copies`` copies of the corpus, each in its own subfolder.

    On the five-article corpus a build takes about a second, so fixed costs and a busy moment
    on the machine move the rate by a third; ten copies (about 1,900 product passages) give a
    steadier rate over the same real text: every copy is chunked, attributed and encoded.
    """
    from index.corpus import corpus_files

    large = work / f"corpus-x{copies}"
    for i in range(copies):
        for path in corpus_files(corpus_dir):
            dst = large / f"copy{i}" / path.relative_to(corpus_dir)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dst)
    out = {}
    for config, backend in ((RECIPE, RECIPE_BACKEND), (PRODUCT, PRODUCT_BACKEND)):
        result, _ = _child(["build", config, str(large), str(work / f"{config}-x{copies}"), "1"], backend)
        build_s = result["build_s"][0]
        result.update(copies=copies, passages_per_s=result["passages"] / build_s)
        out[config] = result
        log(f"build {config}, {copies} copies: {result['passages']} passages in {build_s:.2f} s "
            f"({result['passages_per_s']:.0f}/s), peak RSS {result['peak_rss_mib']:.0f} MiB")
    return out


def measure_cold(corpus_dir: Path, work: Path, runs: int, log) -> dict[str, Any]:
    out: dict[str, Any] = {RECIPE: [], PRODUCT: []}
    for _ in range(runs):  # alternate, so both see the same load
        for config, backend in ((RECIPE, RECIPE_BACKEND), (PRODUCT, PRODUCT_BACKEND)):
            result, wall = _child(["cold", config, str(corpus_dir), str(work / config)], backend)
            result["wall_s"] = wall
            out[config].append(result)
    summary = {}
    for config, runs_ in out.items():
        summary[config] = {k: statistics.median(r[k] for r in runs_) for k in runs_[0]}
        summary[config]["runs"] = runs_
        log(f"cold {config}: {summary[config]['wall_s']:.2f} s to first answer "
            f"(imports {summary[config]['imports_s']:.2f}, load {summary[config]['load_s']:.2f}, "
            f"answer {summary[config]['first_answer_s']:.2f})")
    return summary


def alternate(systems: dict[str, tuple], questions: list[str], repeats: int,
              before: Callable[[str], None] = lambda name: None) -> dict[str, Any]:
    """Time ``search`` and ``ask`` of each (searcher, answerer), alternating the systems question
    by question so that all see the same machine load; ``before(name)`` runs untimed before each
    call pair. One untimed ``ask`` pass first warms sentence vectors (and any query cache).
    Returns {name: {"search": percentiles, "ask": percentiles}} in ms."""
    for _, answerer in systems.values():
        for q in questions:
            answerer.ask(q)
    times: dict[str, dict[str, list[float]]] = {name: {"search": [], "ask": []} for name in systems}
    for _ in range(repeats):
        for q in questions:
            for name, (searcher, answerer) in systems.items():
                before(name)
                t0 = time.perf_counter()
                searcher.search(q, 5)
                t1 = time.perf_counter()
                answerer.ask(q)
                t2 = time.perf_counter()
                times[name]["search"].append((t1 - t0) * 1000)
                times[name]["ask"].append((t2 - t1) * 1000)
    return {name: {op: percentiles(ms) for op, ms in ops.items()} for name, ops in times.items()}


def measure_warm(systems: dict[str, tuple], questions: list[str], repeats: int, log) -> dict[str, Any]:
    """Alternate the systems question by question; search and ask timed separately."""
    out = alternate(systems, questions, repeats)
    for name, ops in out.items():
        log(f"warm {name}: search p50 {ops['search']['p50']:.1f} ms, ask p50 {ops['ask']['p50']:.1f} "
            f"p95 {ops['ask']['p95']:.1f} ms")
    return out


def measure_api(corpus_dir: Path, work: Path, questions: list[str], repeats: int, log,
                cold_runs: int = 1) -> dict[str, Any]:
    """Time spawn -> first answer ``cold_runs`` times per system (alternating, median kept), each
    server stopped before the next starts; then POST /api/ask latency with one server each."""
    import httpx

    servers: dict[str, tuple[subprocess.Popen, str]] = {}
    firsts: dict[str, list[float]] = {RECIPE: [], PRODUCT: []}
    chats: dict[str, list[float]] = {RECIPE: [], PRODUCT: []}
    out: dict[str, Any] = {}

    def spawn(config: str, backend: str) -> tuple[float, float]:
        """(seconds to the first answer, seconds until /healthz says the chat is mounted)."""
        port = _free_port()
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "eval.bench", "--child", "serve", config, str(corpus_dir),
             str(work / config), str(port)],
            cwd=PROJECT_ROOT, env=_env(backend), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        servers[config] = (proc, f"http://127.0.0.1:{port}")
        first = _first_answer(proc, servers[config][1], t0)
        return first, _chat_ready(proc, servers[config][1], t0)

    try:
        # An idle server still holds threads (PyTorch's OpenMP pool spins after work), so a
        # cold start is timed with no other server alive.
        for _ in range(cold_runs):
            for config, backend in ((RECIPE, RECIPE_BACKEND), (PRODUCT, PRODUCT_BACKEND)):
                first, chat = spawn(config, backend)
                firsts[config].append(first)
                chats[config].append(chat)
                _stop(servers.pop(config)[0])
        for config, runs in firsts.items():
            out[config] = {"cold_start_s": statistics.median(runs), "cold_start_runs_s": runs,
                           "chat_ready_s": statistics.median(chats[config]), "chat_ready_runs_s": chats[config]}
            log(f"api {config}: first POST /api/ask answered {out[config]['cold_start_s']:.2f} s after "
                f"spawn (median of {len(runs)}: " + ", ".join(f"{t:.2f}" for t in runs) + "); chat mounted "
                f"after {out[config]['chat_ready_s']:.2f} s")
        for config, backend in ((RECIPE, RECIPE_BACKEND), (PRODUCT, PRODUCT_BACKEND)):
            spawn(config, backend)
        times: dict[str, list[float]] = {name: [] for name in servers}
        with httpx.Client(timeout=60) as client:
            for name, (_, url) in servers.items():  # warm-up pass
                for q in questions:
                    client.post(f"{url}/api/ask", json={"question": q}).raise_for_status()
            for _ in range(repeats):
                for q in questions:
                    for name, (_, url) in servers.items():
                        t0 = time.perf_counter()
                        client.post(f"{url}/api/ask", json={"question": q}).raise_for_status()
                        times[name].append((time.perf_counter() - t0) * 1000)
        for name, ms in times.items():
            out[name]["ask"] = percentiles(ms)
            log(f"api {name}: POST /api/ask p50 {out[name]['ask']['p50']:.1f} ms p95 {out[name]['ask']['p95']:.1f} ms")
    finally:
        for proc, _ in servers.values():
            _stop(proc)
    return out


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _wait_for(proc: subprocess.Popen, t0: float, what: str, probe: Callable[[], bool],
              timeout: float = 300) -> float:
    """Seconds from ``t0`` until ``probe()`` is true, polling every 20 ms; fails if the server
    process exits first or ``timeout`` passes. ``probe`` may raise to give up at once."""
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}): {proc.stderr.read()[-3000:]}")
        if probe():
            return time.perf_counter() - t0
        time.sleep(0.02)
    raise RuntimeError(f"{what} within {timeout} s")


def _chat_ready(proc: subprocess.Popen, url: str, t0: float) -> float:
    """Seconds from spawn until the app reports its Gradio chat mounted (web/deferred.py)."""
    import httpx

    def mounted() -> bool:
        state = httpx.get(f"{url}/healthz", timeout=60).json().get("chat")
        if state == "failed":
            raise RuntimeError(f"the chat at {url} failed to start")
        return state == "ready"

    return _wait_for(proc, t0, f"the chat at {url} was not mounted", mounted)


def _first_answer(proc: subprocess.Popen, url: str, t0: float) -> float:
    """Seconds from spawn until ``POST /api/ask`` answers 200 (connection refused until then)."""
    import httpx

    def answered() -> bool:
        try:
            return httpx.post(f"{url}/api/ask", json={"question": FIRST_QUESTION}, timeout=60).status_code == 200
        except httpx.TransportError:
            return False

    return _wait_for(proc, t0, f"server at {url} did not answer", answered)


def measure_levers(product: tuple, questions: list[str], repeats: int, log) -> dict[str, Any]:
    """The query cache on repeated questions, and FAISS with one OpenMP thread, against the
    plain product, alternated question by question."""
    import faiss

    from retrieval.answer import Answerer
    from retrieval.cache import CachedEncoder
    from retrieval.searcher import Searcher

    searcher, _ = product
    cached_searcher = Searcher(searcher.index, CachedEncoder(searcher.encoder), searcher.settings)
    # Each variant has its own answerer: an answerer remembers its last few question vectors,
    # which must not carry over from one variant's call to the next one's.
    variants = {
        "plain": (searcher, Answerer(searcher)),
        "query cache (repeats)": (cached_searcher, Answerer(cached_searcher)),
        "FAISS 1 thread": (searcher, Answerer(searcher)),
    }
    default_threads = faiss.omp_get_max_threads()

    def threads_for(variant: str) -> None:
        faiss.omp_set_num_threads(1 if variant == "FAISS 1 thread" else default_threads)

    try:
        out = alternate(variants, questions, repeats, before=threads_for)
    finally:
        faiss.omp_set_num_threads(default_threads)
    for v, ops in out.items():
        log(f"lever {v}: search p50 {ops['search']['p50']:.2f} ms, ask p50 {ops['ask']['p50']:.2f} ms")
    return out


def measure_encoders(texts: list[str], questions: list[str], log) -> dict[str, Any]:
    """Query encoding (one question) and passage encoding per backend, alternated."""
    from index.build import embed
    from index.encoder import load_encoder

    encoders = {b: load_encoder(backend=b) for b in ("torch", "onnx", "onnx-int8")}
    encoders["onnx-int8, 1 thread"] = load_encoder(backend="onnx-int8", threads=1)
    query_ms: dict[str, list[float]] = {b: [] for b in encoders}
    rate: dict[str, list[float]] = {b: [] for b in encoders}
    for enc in encoders.values():
        enc.encode(questions[:8])
    for q in questions:
        for b, enc in encoders.items():
            t0 = time.perf_counter()
            enc.encode([q])
            query_ms[b].append((time.perf_counter() - t0) * 1000)
    for _ in range(2):
        for b, enc in encoders.items():
            t0 = time.perf_counter()
            embed(enc, texts)
            rate[b].append(len(texts) / (time.perf_counter() - t0))
    out = {b: {"query_ms": percentiles(query_ms[b]), "passages_per_s": statistics.median(rate[b])}
           for b in encoders}
    for b, r in out.items():
        log(f"encoder {b}: query p50 {r['query_ms']['p50']:.2f} ms, {r['passages_per_s']:.0f} passages/s")
    return out


def measure_incremental(corpus_dir: Path, work: Path, log) -> dict[str, Any]:
    """Build on the corpus minus its last document, add it back, rebuild: what is embedded?"""
    from index.build import build_index
    from index.corpus import corpus_files
    from index.encoder import load_encoder

    encoder = load_encoder(backend=PRODUCT_BACKEND)
    corpus = work / "incremental-corpus"
    shutil.copytree(corpus_dir, corpus)
    for path in corpus.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    last = corpus_files(corpus)[-1]
    held = last.read_bytes()
    last.unlink()
    index_dir = work / "incremental-index"
    from index.attribution import Attributor

    # Fresh attributors without a cache: what is reused comes from the index folder, as in a
    # new process (attributions.jsonl and the previous vectors).
    full = build_index(corpus, index_dir, encoder, reuse=False, attributor=Attributor(cache=0))
    last.write_bytes(held)
    added_parser = Attributor(cache=0)
    added = build_index(corpus, index_dir, encoder, attributor=added_parser)
    again = build_index(corpus, index_dir, encoder, reuse=False, attributor=Attributor(cache=0))
    out = {"added_file": last.name, "passages": added.passages,
           "embedded": added.embedding.embedded, "reused": added.embedding.reused,
           "embedded_sources": list(added.embedding.embedded_sources), "parsed": added_parser.parsed,
           "incremental_s": added.seconds, "full_rebuild_s": again.seconds, "first_build_s": full.seconds}
    log(f"incremental: added {last.name}: embedded {out['embedded']} of {out['passages']} passages "
        f"in {added.seconds:.2f} s (full rebuild {again.seconds:.2f} s)")
    return out


def measure_quality(corpus_dir: Path, systems: dict[str, tuple], log) -> dict[str, Any]:
    """MRR@10 on the eval set: the recipe, the product (its default encoder) and the product in torch."""
    from eval.questions import load_questions
    from eval.runner import run_retriever
    from index.build import build_in_memory
    from index.corpus import load_corpus
    from index.encoder import load_encoder
    from retrieval.searcher import Searcher

    corpus = load_corpus(corpus_dir)
    questions = load_questions(corpus)
    out = {name: run_retriever(name, s, questions).metrics["mrr@10"] for name, (s, _) in systems.items()}
    torch_encoder = load_encoder(backend="torch")
    product_torch = Searcher(build_in_memory(corpus, torch_encoder), torch_encoder, systems[PRODUCT][0].settings)
    out["product (torch)"] = run_retriever("torch", product_torch, questions).metrics["mrr@10"]
    log("MRR@10: " + ", ".join(f"{k} {v:.3f}" for k, v in out.items()))
    return out


# --- the table ----------------------------------------------------------------------------------


def table_rows(r: dict[str, Any]) -> list[tuple[str, float | None, float | None, str, str]]:
    """(metric, recipe, product, unit, better) rows; better is "lower" or "higher"."""
    rows: list[tuple[str, float | None, float | None, str, str]] = []

    def add(label, recipe, product, unit, better="lower"):
        rows.append((label, recipe, product, unit, better))

    b = r["build"]
    add("index build throughput", b[RECIPE]["passages_per_s"], b[PRODUCT]["passages_per_s"], "passages/s", "higher")
    add("index build throughput", b[RECIPE]["chars_per_s"] / 1000, b[PRODUCT]["chars_per_s"] / 1000, "kchars/s", "higher")
    add("  first build in a new process", b[RECIPE]["first_passages_per_s"], b[PRODUCT]["first_passages_per_s"],
        "passages/s", "higher")
    if "build_large" in r:
        big = r["build_large"]
        add(f"  {big[PRODUCT]['copies']} copies of the corpus", big[RECIPE]["passages_per_s"],
            big[PRODUCT]["passages_per_s"], "passages/s", "higher")
    add("index build peak RSS", b[RECIPE]["peak_rss_mib"], b[PRODUCT]["peak_rss_mib"], "MiB")
    c = r["cold"]
    add("cold start to first answer (process)", c[RECIPE]["wall_s"], c[PRODUCT]["wall_s"], "s")
    add("  of which model + index load", c[RECIPE]["load_s"], c[PRODUCT]["load_s"], "s")
    add("  of which first answer", c[RECIPE]["first_answer_s"], c[PRODUCT]["first_answer_s"], "s")
    add("serving process peak RSS", c[RECIPE]["peak_rss_mib"], c[PRODUCT]["peak_rss_mib"], "MiB")
    if "api" in r:
        add("cold start to first POST /api/ask", r["api"][RECIPE]["cold_start_s"], r["api"][PRODUCT]["cold_start_s"], "s")
        if "chat_ready_s" in r["api"][PRODUCT]:
            add("  chat page mounted", r["api"][RECIPE]["chat_ready_s"], r["api"][PRODUCT]["chat_ready_s"], "s")
    w = r["warm"]
    for op in ("search", "ask"):
        for p in ("p50", "p95", "p99"):
            add(f"warm {op} {p} (in-process)", w[RECIPE][op][p], w[PRODUCT][op][p], "ms")
    if "api" in r:
        for p in ("p50", "p95", "p99"):
            add(f"warm POST /api/ask {p}", r["api"][RECIPE]["ask"][p], r["api"][PRODUCT]["ask"][p], "ms")
    if "quality" in r:
        add("MRR@10 (eval set)", r["quality"][RECIPE], r["quality"][PRODUCT], "", "higher")
    return rows


def format_table(r: dict[str, Any]) -> str:
    lines = [f"{'metric':44} {'recipe':>10} {'product':>10} {'unit':>11} {'ratio':>8}",
             "-" * 87]
    for label, recipe, product, unit, better in table_rows(r):
        if recipe is None or product is None:
            continue
        ratio = (recipe / product if better == "lower" else product / recipe) if recipe and product else float("nan")
        lines.append(f"{label:44} {_fmt(recipe):>10} {_fmt(product):>10} {unit:>11} {ratio:7.2f}x")
    lines.append("ratio: how many times better the product is (recipe/product for times and memory, "
                 "product/recipe for throughput and MRR)")
    return "\n".join(lines)


def _fmt(v: float) -> str:
    return f"{v:.3f}" if abs(v) < 1 else f"{v:.2f}" if abs(v) < 100 else f"{v:.0f}"


def machine() -> dict[str, Any]:
    with open("/proc/cpuinfo") as f:
        model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "?")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpu": model, "cores": os.cpu_count(), "python": platform.python_version(),
            "load_average": os.getloadavg(), "memory_gib": round(memory, 1)}


def run(args: argparse.Namespace, log=print) -> dict[str, Any]:
    from eval.questions import load_questions
    from index.corpus import load_corpus

    corpus_dir = Path(args.corpus or default_corpus_dir())
    corpus = load_corpus(corpus_dir)
    questions = [q.question for q in load_questions(corpus)]
    if args.questions:
        questions = questions[: args.questions]
    report: dict[str, Any] = {"machine": machine(), "questions": len(questions), "repeats": args.repeats,
                              "product": {"encoder": PRODUCT_BACKEND}, "recipe": {"encoder": RECIPE_BACKEND}}
    log(f"machine: {report['machine']}")
    with tempfile.TemporaryDirectory(prefix="debateqa-bench-") as tmp:
        work = Path(tmp)
        report["build"] = measure_builds(corpus_dir, work, args.build_repeats, log)
        if args.copies > 1:
            report["build_large"] = measure_large_builds(corpus_dir, work, args.copies, log)
        report["cold"] = measure_cold(corpus_dir, work, args.cold_runs, log)
        systems = {config: open_system(config, corpus_dir, work / config) for config in (RECIPE, PRODUCT)}
        report["warm"] = measure_warm(systems, questions, args.repeats, log)
        report["levers"] = measure_levers(systems[PRODUCT], questions, args.repeats, log)
        texts = [p.text for p in systems[PRODUCT][0].passages]
        report["encoders"] = measure_encoders(texts, questions, log)
        report["incremental"] = measure_incremental(corpus_dir, work, log)
        report["quality"] = measure_quality(corpus_dir, systems, log)
        if args.api:
            del systems
            report["api"] = measure_api(corpus_dir, work, questions, args.repeats, log, args.cold_runs)
    report["machine"]["load_average_end"] = os.getloadavg()
    return report


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return _child_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m eval.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default ../shared/corpus)")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes over the questions (default 3)")
    parser.add_argument("--questions", type=int, default=0, help="use only the first N eval questions")
    parser.add_argument("--cold-runs", type=int, default=3, help="new processes per system (default 3)")
    parser.add_argument("--build-repeats", type=int, default=5, help="builds per system (default 5)")
    parser.add_argument("--copies", type=int, default=10,
                        help="also build this many copies of the corpus at once (default 10; 0 skips)")
    parser.add_argument("--no-api", dest="api", action="store_false", help="skip the web app measurements")
    args = parser.parse_args(argv)
    if min(args.repeats, args.cold_runs, args.build_repeats) < 1 or args.questions < 0 or args.copies < 0:
        print("error: --repeats, --cold-runs and --build-repeats must be >= 1, --copies >= 0", file=sys.stderr)
        return 2
    from index.encoder import set_offline_env

    set_offline_env()
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ["DEBATEQA_ENCODER"] = PRODUCT_BACKEND  # the product's searcher in this process
    report = run(args, log=lambda msg: print(msg, file=sys.stderr, flush=True))
    print(format_table(report))
    m = report["machine"]
    print(f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; load average "
          f"{m['load_average'][0]:.1f} at start, {m['load_average_end'][0]:.1f} at end (shared machine: "
          f"figures are noisy, ratios are measured side by side)")
    if args.json:
        tmp = args.json.with_name(args.json.name + ".tmp")
        tmp.write_text(json.dumps(report, indent=1, default=float))
        os.replace(tmp, args.json)
    return 0


def _child_main(argv: list[str]) -> int:
    kind, config, corpus_dir, index_dir, *rest = argv
    if kind == "build":
        print(json.dumps(child_build(config, Path(corpus_dir), Path(index_dir), int(rest[0]))))
    elif kind == "cold":
        print(json.dumps(child_cold(config, Path(corpus_dir), Path(index_dir))))
    elif kind == "serve":
        child_serve(config, Path(corpus_dir), Path(index_dir), int(rest[0]))
    else:
        raise SystemExit(f"unknown child {kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
