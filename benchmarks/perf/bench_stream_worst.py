"""The stream's worst shapes: output an attacker writes knowing the tenant's known secrets.

    python -m benchmarks.perf.bench_stream_worst [--kb 64 1024] [--chunk 64] [--repeats 3]
        [--budget 60]

Each shape is streamed in ``--chunk``-byte writes (CPU time of the stream, ``--repeats`` times,
fewer when one run takes more than ``--budget`` seconds) and redacted as one buffer once. One JSON
document: per shape and size, the median and p99 (the slowest run, with so few) CPU seconds,
MB/s, the bytes the engine was given per byte written (re-reads), the most bytes the stream held
(pending plus left context), whether streamed == whole, and whether the output failed closed.
Run it on a tree before a change and after (``PYTHONPATH=<tree>``: the venv's editable install
points at the main checkout, so a worktree's code is only measured with it) to compare.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from enforcement_agent.redaction import Redactor

KEY = bytes(range(32))
KUUU = "k" + "u" * 199
ABAB = "ab" * 60


def _sized(block: bytes, size: int) -> bytes:
    return (block * (size // len(block) + 1))[:size]


# name: (known secret, data of a given size)
SHAPES: dict[str, tuple[str, Callable[[int], bytes]]] = {
    # issue 18: lines of the secret, each followed by a blank line (every chunk releases a line)
    "kuuu-lines-blank": (KUUU, lambda n: _sized((KUUU + "\n\n").encode(), n)),
    "kuuu-half-lines-blank": (KUUU, lambda n: _sized((KUUU[:100] + "\n\n").encode(), n)),
    # lines of the secret: the wrapped-encoding matcher joins them into one span
    "kuuu-lines": (KUUU, lambda n: _sized((KUUU + "\n").encode(), n)),
    "abab-fold7": (
        ABAB,
        lambda n: _sized(
            ("\n".join((ABAB * 3)[i : i + 7] for i in range(0, 3 * len(ABAB), 7)) + "\n").encode(),
            n,
        ),
    ),
    # no newline at all: one span as long as the output
    "abab-no-newline": (ABAB, lambda n: _sized(b"ab", n)),
    "u-run-no-newline": (KUUU, lambda n: _sized(b"u", n)),
    "kuuu-cr-only": (KUUU, lambda n: _sized((KUUU + "\r").encode(), n)),
    # near misses: one byte off the secret, on every line
    "kuuu-near-miss-lines": (KUUU, lambda n: _sized(("k" + "u" * 198 + "v\n").encode(), n)),
}


def _one(r: Redactor, data: bytes, chunk: int) -> tuple[float, bytes, int]:
    t = time.process_time()
    s = r.stream()
    out, peak = [], 0
    for i in range(0, len(data), chunk):
        out.append(s.feed(data[i : i + chunk]))
        peak = max(peak, s.pending + len(s._ctx))
    out.append(s.flush())
    return time.process_time() - t, b"".join(out), peak


def run(kbs: list[int], chunk: int, repeats: int, budget: float, only: list[str]) -> dict[str, Any]:
    doc: dict[str, Any] = {"chunk": chunk, "results": []}
    for name, (secret, make) in SHAPES.items():
        if only and name not in only:
            continue
        r = Redactor([secret], key=KEY)
        inner = r.engine.spans
        scanned = [0]

        def spans(
            data: bytes, *a: Any, _inner: Any = inner, _n: list[int] = scanned, **kw: Any
        ) -> Any:
            _n[0] += len(data)
            return _inner(data, *a, **kw)

        r.engine.spans = spans  # type: ignore[method-assign]
        for kb in kbs:
            data = make(kb * 1024)
            times: list[float] = []
            out, peak = b"", 0
            while len(times) < repeats:
                scanned[0] = 0
                spent, out, peak = _one(r, data, chunk)
                times.append(spent)
                if spent * (len(times) + 1) > budget:
                    break
            reread = scanned[0] / len(data)
            t = time.process_time()
            whole = r.redact_bytes(data)
            whole_s = time.process_time() - t
            median = statistics.median(times)
            row = {
                "shape": name,
                "kb": kb,
                "runs": len(times),
                "median_s": round(median, 3),
                "p99_s": round(max(times), 3),
                "mb_per_s": round(len(data) / 1e6 / median, 3) if median else None,
                "rereads_per_byte": round(reread, 2),
                "peak_held_bytes": peak,
                "whole_s": round(whole_s, 3),
                "streamed_equals_whole": out == whole,
                "failed_closed": out.endswith(b"[REDACTED:error]"),
                "secret_in_output": secret.encode() in out,
            }
            doc["results"].append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    return doc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--kb", type=int, nargs="+", default=[64, 1024], help="sizes in KB")
    ap.add_argument("--chunk", type=int, default=64, help="bytes per write (default 64)")
    ap.add_argument("--repeats", type=int, default=3, help="runs per shape and size")
    ap.add_argument("--budget", type=float, default=60.0, help="seconds per shape and size")
    ap.add_argument("--shape", action="append", default=[], help="only these shapes")
    args = ap.parse_args(argv)
    doc = run(args.kb, args.chunk, args.repeats, args.budget, args.shape)
    json.dump(doc, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
