"""Redaction benchmark: corpus recall/negatives, throughput on mixed logs vs detect-secrets.

    python -m benchmarks.perf.bench_redaction [--mb 64] [--corpus ../shared/corpora/secrets]
    python -m benchmarks.perf.bench_redaction --corpus-only    # recall/negatives in ~5 s

Prints one JSON document. Throughput is measured on one core over generated, realistic mixed
logs (access lines, JSON app logs with trace ids, plain app lines; about 1 line in 200 carries a
secret) for: our redactor with hyperscan, the pure-Python fallback, and detect-secrets' default
plugins scanning the same lines (``scan_line`` on every line, which is how it reads a file).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from enforcement_agent.redaction import Redactor
from gonogo.config import shared_dir

_PATHS = ("/api/v1/users/{n}", "/api/v1/tenants/acme/jobs/{n}/status", "/healthz", "/metrics")
_MSGS = (
    "request completed in {n}ms",
    "cache miss for key user:{n}",
    "retrying connection to db-primary (attempt {n})",
    "scheduled job finished in {n}ms",
    "user {n} logged in from 10.2.3.4",
    "policy decision allow rule=contributor.read.{n}",
)


def _secret_line(rnd: random.Random) -> str:
    alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    body = "".join(rnd.choice(alnum) for _ in range(36))
    kind = rnd.randrange(4)
    if kind == 0:
        return "export GITHUB_TOKEN=" + "gh" + "p_" + body
    if kind == 1:
        return (
            f'{{"level":"DEBUG","msg":"connecting","dsn":"postgres://app:{body[:12]}@db:5432/app"}}'
        )
    if kind == 2:
        return f"WARN auth failed password={body[:10]} user=alice"
    return "curl -H 'Authorization: Bearer " + body + "' https://api.example.invalid"


def mixed_logs(n_bytes: int, seed: int = 7) -> bytes:
    """Realistic, mostly clean log text (deterministic for a seed)."""
    rnd = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < n_bytes:
        ts = f"2026-11-25T13:{rnd.randrange(60):02d}:{rnd.randrange(60):02d}.{rnd.randrange(1000):03d}Z"
        k = rnd.random()
        if k < 0.005:
            line = _secret_line(rnd)
        elif k < 0.4:
            path = rnd.choice(_PATHS).format(n=rnd.randrange(99999))
            line = (
                f'10.0.{rnd.randrange(255)}.{rnd.randrange(255)} - - [{ts}] "GET {path} HTTP/1.1" '
                f'{rnd.choice((200, 200, 200, 404, 500))} {rnd.randrange(100000)} "-" '
                f'"Mozilla/5.0 (X11; Linux x86_64)" rt={rnd.random():.3f}'
            )
        elif k < 0.7:
            line = json.dumps(
                {
                    "ts": ts,
                    "level": rnd.choice(("INFO", "DEBUG", "WARN")),
                    "logger": "gonogo.agent",
                    "msg": rnd.choice(_MSGS).format(n=rnd.randrange(1000)),
                    "trace_id": f"{rnd.getrandbits(128):032x}",
                    "span_id": f"{rnd.getrandbits(64):016x}",
                    "tenant_id": "acme",
                    "duration_ms": rnd.randrange(500),
                }
            )
        else:
            msg = rnd.choice(_MSGS).format(n=rnd.randrange(1000))
            line = (
                f"{ts} {rnd.choice(('INFO', 'WARN', 'ERROR'))} [worker-{rnd.randrange(16)}] {msg}"
            )
        out.append(line)
        size += len(line) + 1
    return ("\n".join(out) + "\n").encode()


def _throughput(fn: Any, data: bytes, repeats: int) -> dict[str, float]:
    """MB/s per run: CPU time of this process (one core) and wall time, median and p99."""
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(repeats):
        c, w = time.process_time(), time.perf_counter()
        fn(data)
        cpu.append(len(data) / max(time.process_time() - c, 1e-9) / 1e6)
        wall.append(len(data) / max(time.perf_counter() - w, 1e-9) / 1e6)
    cpu.sort()
    return {
        "cpu_median_mb_s": round(statistics.median(cpu), 1),
        "cpu_worst_mb_s": round(cpu[0], 1),
        "wall_median_mb_s": round(statistics.median(wall), 1),
    }


def _databases(redactor: Redactor, data: bytes, chunk: int = 1 << 20) -> dict[str, float]:
    """Scan-only MB/s (CPU, best of 3) of each hyperscan database over the same chunks."""
    out: dict[str, float] = {}
    chunks = [data[i : i + chunk] for i in range(0, len(data), chunk)]

    def ignore(*_a: object) -> None:
        return None

    for name, db in redactor.engine.databases(data):
        best = float("inf")
        for _ in range(3):
            c = time.process_time()
            for part in chunks:
                db.scan(part, match_event_handler=ignore)
            best = min(best, time.process_time() - c)
        out[name] = round(len(data) / max(best, 1e-9) / 1e6, 1)
    return out


def _latency(redactor: Redactor, data: bytes) -> dict[str, float]:
    """Per-line latency of redact_bytes on single log lines (µs): median and p99."""
    lines = data.splitlines(keepends=True)[:20000]
    samples: list[float] = []
    for line in lines:
        t = time.perf_counter()
        redactor.redact_bytes(line)
        samples.append((time.perf_counter() - t) * 1e6)
    samples.sort()
    return {
        "line_median_us": round(statistics.median(samples), 1),
        "line_p99_us": round(samples[int(len(samples) * 0.99)], 1),
    }


def _ours(redactor: Redactor, chunk: int = 1 << 20) -> Any:
    def run(data: bytes) -> None:
        for i in range(0, len(data), chunk):
            redactor.redact_bytes(data[i : i + chunk])

    return run


def _detect_secrets() -> Any:
    from detect_secrets.core.scan import scan_line
    from detect_secrets.settings import default_settings

    def run(data: bytes) -> None:
        with default_settings():
            for line in data.decode().splitlines():
                for _ in scan_line(line):
                    pass

    return run


def code_over_masking(
    redactor: Redactor, package: str = "dagster", files: int = 800
) -> dict[str, Any]:
    """Lines of an installed package's Python source the redactor changes, by detector.

    Real code an agent reads through the file tools holds names like ``cache_key`` and
    ``credentials=creds`` but (almost) no secrets: every changed line is over-masking, which
    corrupts what the agent sees and may be written back.
    """
    import importlib.util

    from benchmarks.perf.redaction_corpus import PLACEHOLDER_TAG

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return {"package": package, "error": "not installed"}
    root = Path(next(iter(spec.submodule_search_locations)))
    paths = sorted(root.rglob("*.py"))[:files]
    lines = changed = size = 0
    by_detector: dict[str, int] = {}
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        size += len(text)
        out = redactor.redact_text(text)
        for before, after in zip(text.splitlines(), out.splitlines(), strict=False):
            lines += 1
            if before != after:
                changed += 1
                for name in set(PLACEHOLDER_TAG.findall(after)):
                    by_detector[name] = by_detector.get(name, 0) + 1
    return {
        "package": package,
        "files": len(paths),
        "mb": round(size / 1e6, 1),
        "lines": lines,
        "lines_changed": changed,
        "lines_changed_per_10k": round(changed / max(lines, 1) * 1e4, 1),
        "by_detector": dict(sorted(by_detector.items(), key=lambda kv: -kv[1])),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=64.0, help="size of the generated log (MB)")
    ap.add_argument("--peer-mb", type=float, default=2.0, help="slice given to detect-secrets")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument(
        "--corpus-only", action="store_true", help="score the corpus only (no throughput runs)"
    )
    args = ap.parse_args(argv)

    key = b"bench-key-0123456789abcdef"
    fast = Redactor(key=key)
    lean = Redactor(key=key, generic_tokens=False)
    slow = Redactor(key=key, use_hyperscan=False)
    result: dict[str, Any] = {}
    if not args.corpus_only:
        data = mixed_logs(int(args.mb * 1e6))
        peer_slice = data[: int(args.peer_mb * 1e6)]
        peer_slice = peer_slice[: peer_slice.rfind(b"\n") + 1]
        result["input"] = {"mb": round(len(data) / 1e6, 1), "kind": "mixed logs"}
        result["hyperscan"] = _throughput(_ours(fast), data, args.repeats)
        result["hyperscan_without_generic_tokens"] = _throughput(_ours(lean), data, args.repeats)
        # Where the time goes: each database's scan alone (the rest is Python confirmation).
        result["hyperscan_scan_mb_s_by_database"] = _databases(fast, data[: 16 * 1000 * 1000])
        result["pure_python"] = _throughput(_ours(slow), peer_slice, args.repeats)
        result["hyperscan_same_slice"] = _throughput(_ours(fast), peer_slice, args.repeats)
        try:
            result["detect_secrets"] = _throughput(_detect_secrets(), peer_slice, 1)
            result["ratio_vs_detect_secrets"] = round(
                result["hyperscan_same_slice"]["cpu_median_mb_s"]
                / max(result["detect_secrets"]["cpu_median_mb_s"], 1e-9),
                1,
            )
        except ImportError:
            result["detect_secrets"] = "not installed"
        result["peer_slice_mb"] = round(len(peer_slice) / 1e6, 2)
        result["latency"] = _latency(fast, peer_slice)
        result["target_200_mb_s_met"] = {
            "all_detectors": result["hyperscan"]["cpu_median_mb_s"] >= 200,
            "without_generic_tokens": result["hyperscan_without_generic_tokens"]["cpu_median_mb_s"]
            >= 200,
        }

    corpus = args.corpus or ((shared_dir() or Path("/nonexistent")) / "corpora" / "secrets")
    result["code_over_masking"] = code_over_masking(fast)
    if (corpus / "positives.jsonl").exists():
        from benchmarks.perf.redaction_corpus import corpus_report

        report = corpus_report(fast, corpus)
        report["misses"] = len(report["misses"])
        result["corpus"] = report
        lean_report = corpus_report(lean, corpus)
        result["corpus_without_generic_tokens"] = {
            k: lean_report[k]
            for k in (
                "overall_recall",
                "positives_recall",
                "encoded_recall",
                "negatives_changed_share",
                "negatives_changed_by_format_share",
            )
        }
    else:
        result["corpus"] = f"absent ({corpus})"
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
