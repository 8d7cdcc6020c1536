"""A stream that holds its lines back: output full of a known secret that repeats itself.

    python -m benchmarks.perf.bench_stream_held [--kb 64] [--chunk 64]

Every line of such output ends in a piece of a form that may be cut over lines, so a stream
holds it. For each secret and shape (the value on every line, folded at 60, runs of its repeated
part, ``fold -w 7`` of it three times over) it prints, as one JSON document: CPU seconds streamed
in ``--chunk``-byte chunks and as one buffer, the engine's calls and bytes scanned per byte
written (a quadratic stream scans hundreds of times what it is given), and whether the streamed
output equals the whole (each result also goes to stderr as it is measured).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from enforcement_agent.redaction import Redactor

KEY = bytes(range(32))
SECRETS = ("k" + "u" * 199, "ab" * 60, "0" * 64, "Zz9" * 40, "x" * 20 + "y" * 20 + "x" * 20)


def shapes(secret: str) -> dict[str, bytes]:
    folded = "\n".join(secret[i : i + 60] for i in range(0, len(secret), 60))
    unit = secret[1:6] if len(set(secret)) > 1 else secret[:5]
    fold7 = "\n".join((secret * 3)[i : i + 7] for i in range(0, 3 * len(secret), 7))
    return {
        "lines": (secret + "\n").encode(),
        "folded": (folded + "\n").encode(),
        "runs": (unit * 40 + "\n").encode(),
        "fold7": (fold7 + "\n").encode(),
    }


def run(kb: int, chunk: int) -> dict[str, Any]:
    out: dict[str, Any] = {"kb": kb, "chunk": chunk, "results": []}
    for secret in SECRETS:
        r = Redactor([secret], key=KEY)
        inner = r.engine.spans
        count = [0, 0]

        def spans(
            data: bytes, *a: Any, _inner: Any = inner, _count: list[int] = count, **kw: Any
        ) -> Any:
            _count[0] += 1
            _count[1] += len(data)
            return _inner(data, *a, **kw)

        r.engine.spans = spans  # type: ignore[method-assign]
        for name, block in shapes(secret).items():
            data = (block * (kb * 1024 // len(block) + 1))[: kb * 1024]
            count[:] = [0, 0]
            t = time.process_time()
            s = r.stream()
            streamed = b"".join(s.feed(data[i : i + chunk]) for i in range(0, len(data), chunk))
            streamed += s.flush()
            stream_s = time.process_time() - t
            calls, scanned = count
            t = time.process_time()
            whole = r.redact_bytes(data)
            whole_s = time.process_time() - t
            out["results"].append(
                row := {
                    "secret": secret[:6] + "…",
                    "shape": name,
                    "stream_cpu_s": round(stream_s, 3),
                    "whole_cpu_s": round(whole_s, 3),
                    "scans": calls,
                    "scanned_per_byte": round(scanned / len(data), 2),
                    "streamed_equals_whole": streamed == whole,
                }
            )
            print(json.dumps(row, ensure_ascii=False), file=sys.stderr, flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=int, default=64, help="KB of each shape (default 64)")
    ap.add_argument("--chunk", type=int, default=64, help="bytes per write (default 64)")
    args = ap.parse_args(argv)
    json.dump(run(args.kb, args.chunk), sys.stdout, indent=1, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
