"""A bounded load test of a running debate-qa: many concurrent clients asking POST /api/ask.

    python -m eval.load [--url http://127.0.0.1:7860] [--clients 50] [--requests 2000]
                        [--path /api/ask] [--timeout 60] [--json]

Each of ``--clients`` clients holds its own keep-alive connection and asks questions one
after another (taken in turn from the eval question set) until ``--requests`` requests have
been sent in all. Every response must be HTTP 200 with the answer's JSON; anything else (a
status, a malformed body, a timeout, a refused connection) counts as an error, by kind. The
report gives throughput and the latency percentiles (p50, p95, p99, max) in milliseconds.
Exit status: 0 with no errors, 1 otherwise. Loopback only by default; nothing else is called.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

QUESTIONS_FILE = Path(__file__).parent / "data" / "questions.jsonl"
FALLBACK_QUESTIONS = (
    "Who opposed hospital-led integrated care organisations?",
    "How will Labour pay for the new home care workers?",
    "What did the NHS Confederation say about Burnham's speech?",
)


@dataclass(frozen=True)
class LoadReport:
    """What a run did. Latencies are of successful requests, in milliseconds."""

    url: str
    clients: int
    requests: int
    ok: int
    errors: dict[str, int]
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    error_samples: list[str] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else float("nan")

    def summary(self) -> str:
        lines = [
            f"{self.requests} requests from {self.clients} concurrent clients to {self.url} "
            f"in {self.seconds:.1f} s ({self.per_second:.1f} requests/s)",
            f"ok {self.ok}, errors {self.error_count}"
            + (f" {dict(sorted(self.errors.items()))}" if self.errors else ""),
            f"latency ms: p50 {self.p50_ms:.0f}, p95 {self.p95_ms:.0f}, p99 {self.p99_ms:.0f}, "
            f"max {self.max_ms:.0f}",
        ]
        lines += [f"  e.g. {sample}" for sample in self.error_samples]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "error_count": self.error_count, "per_second": round(self.per_second, 2)}


def eval_questions(path: Path = QUESTIONS_FILE) -> list[str]:
    """The eval set's questions (answerable or not, who- or not): realistic, varied load."""
    if not path.is_file():
        return list(FALLBACK_QUESTIONS)
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            questions.append(json.loads(line)["question"])
    return questions or list(FALLBACK_QUESTIONS)


def _check(path: str, response) -> str | None:
    """None for a good answer, else a short error kind."""
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    try:
        body = response.json()
    except ValueError:
        return "not JSON"
    keys = ("question", "answer", "citations") if path.endswith("/ask") else ("question", "hits")
    if not isinstance(body, dict) or any(k not in body for k in keys):
        return "unexpected JSON"
    return None


async def run_load(
    url: str,
    questions: Sequence[str],
    clients: int = 50,
    requests: int = 2000,
    path: str = "/api/ask",
    timeout: float = 60.0,
) -> LoadReport:
    """Send ``requests`` POSTs to ``url + path`` from ``clients`` concurrent clients."""
    import httpx

    if clients < 1 or requests < 1 or not questions:
        raise ValueError("need at least one client, one request and one question")
    target = url.rstrip("/") + path
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    samples: list[str] = []
    next_request = 0

    async def client() -> None:
        nonlocal next_request
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(timeout=timeout, limits=limits) as http:
            while next_request < requests:
                i = next_request
                next_request += 1  # no await in between: the event loop makes this atomic
                question = questions[i % len(questions)]
                t0 = time.perf_counter()
                try:
                    response = await http.post(target, json={"question": question})
                    problem = _check(path, response)
                    detail = response.text[:200]
                except httpx.HTTPError as exc:
                    problem, detail = type(exc).__name__, str(exc)[:200]
                if problem is None:
                    latencies.append((time.perf_counter() - t0) * 1000)
                else:
                    errors[problem] += 1
                    if len(samples) < 5:
                        samples.append(f"{problem}: {detail}")

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    seconds = time.perf_counter() - t0
    ms = np.array(latencies) if latencies else np.array([float("nan")])
    p50, p95, p99 = (float(np.percentile(ms, q)) for q in (50, 95, 99))
    return LoadReport(url=target, clients=clients, requests=requests, ok=len(latencies),
                      errors=dict(errors), seconds=seconds, p50_ms=p50, p95_ms=p95, p99_ms=p99,
                      max_ms=float(np.max(ms)), error_samples=samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:7860", help="where debate-qa runs")
    parser.add_argument("--path", default="/api/ask", choices=("/api/ask", "/api/search"))
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (connections)")
    parser.add_argument("--requests", type=int, default=2000, help="requests in all")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        report = asyncio.run(run_load(args.url, eval_questions(), args.clients, args.requests,
                                      args.path, args.timeout))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report.to_json(), indent=2) if args.json else report.summary())
    return 0 if report.error_count == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
