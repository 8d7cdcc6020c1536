"""Where a streamed megabyte of each content class goes, against the 150 MB/s budget.

    python -m benchmarks.perf.bench_redaction_floor [--mb 1] [--classes a,b] [--repeats 5]

The eighth speed pass's measurement (docs/redaction.md): 150 MB/s is 6.67 ms of CPU per MB, and
this prints, per class of ``benchmarks/perf/agent_output.py`` (clean, streamed in 64 KiB chunks as
``gonogo redact`` does), in ms of thread CPU per MB (best of ``--repeats``):

- ``stream``: the whole streamed pass (``Redactor.stream()``, warm: one pass before timing);
- ``scan_whole``: each hyperscan database over the class as one buffer, with a callback that
  does nothing: what the first stage costs before any Python work;
- ``scan_stream``: the same databases over the buffers the stream actually scanned
  (``rescanned``: their bytes per byte of input; a stream scans its held lines again with the
  next chunk), and ``prefilter``: the engine's own first stage over them (its callback
  collecting runs);
- ``no_hit_python``: the streamed pass with the first stage answering "no hit" (the stream's
  own work: line release, colour codes, known secrets), and ``confirm``: what is left of
  ``stream`` (``stream - prefilter - no_hit_python``: hits confirmed, tables read);
- ``secret_words``: the table headers' secret words (one caseless alternation) alone: hits per
  MB and hyperscan's cost without the callbacks' (``cost_ms``); ``headers``: the table-header
  expressions (``HEADER_PARTS`` and ``PREFIXED_HEADER_PARTS``) alone, the word-led expressions
  hyperscan works from each of those hits;
- ``ceiling_mb_s``: MB/s with confirmations free (``scan_stream + no_hit_python``), and
  ``over_budget``: whether the first stage and the stream's own work alone exceed 6.67 ms.

And once: ``floor``: one absent literal scanned over the first class (the least a hyperscan
scan costs per MB) and one Python callback's cost per match.

With ``--expressions N`` (thirteenth speed pass), also ``expressions``: per database of the scan
plan named by ``--databases`` (default ``tables,literals,shapes``), the ``N`` plan entries that cost the
most, each compiled alone (its parts under one id, as the engine compiles it) and scanned over
each class with a callback that does nothing: ms per MB per class (best of ``--repeats``), the
engine ids it reports for and their detector names. An entry alone also pays a scan's fixed
cost (``floor.absent_literal_ms``); in one database the costs of word-led entries add up
(sixth speed pass), so the list says where a database's time goes, not what removing one saves.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from typing import Any

from benchmarks.perf.agent_output import CLASSES, corpus
from enforcement_agent.redaction import Redactor
from enforcement_agent.redaction import tables as tables_module
from enforcement_agent.redaction.engine import Engine, _scan_plan
from enforcement_agent.redaction.hyperscan_db import _compile_db, compiled_blob, load_database

KEY = b"bench-key-0123456789abcdef"
TARGET_MB_S = 150.0
BUDGET_MS = 1000.0 / TARGET_MB_S
_CHUNK = 64 * 1024


def _ignore(*_args: object) -> None:
    return None


def _ms_per_mb(fn: Callable[[], object], size: int, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.thread_time()
        fn()
        best = min(best, time.thread_time() - start)
    return round(best * 1e3 / (size / 1e6), 2)


def _database(patterns: list[bytes]) -> Any:
    return load_database(compiled_blob(patterns, prefilter=False))


def _count(database: Any, data: bytes) -> int:
    hits = [0]

    def count(*_args: object) -> None:
        hits[0] += 1

    database.scan(data, match_event_handler=count)
    return hits[0]


def _stream(redactor: Redactor, data: bytes) -> bytes:
    s = redactor.stream()
    out = [s.feed(data[i : i + _CHUNK]) for i in range(0, len(data), _CHUNK)]
    out.append(s.flush())
    return b"".join(out)


def stream_buffers(redactor: Redactor, data: bytes) -> list[bytes]:
    """The buffers a stream of ``data`` hands to the engine's first stage, in order."""
    engine = redactor.engine
    seen: list[bytes] = []
    first_stage = engine._prefilter

    def record(buffer: bytes) -> dict[int, list[list[int]]]:
        seen.append(buffer)
        return first_stage(buffer)

    engine._prefilter = record  # type: ignore[method-assign]
    try:
        _stream(redactor, data)
    finally:
        del engine._prefilter
    return seen


def no_hit_stream(redactor: Redactor, data: bytes, repeats: int) -> float:
    """ms per MB of a streamed pass whose first stage finds nothing."""
    engine = redactor.engine
    engine._prefilter = lambda _buffer: {}  # type: ignore[method-assign]
    try:
        return _ms_per_mb(lambda: _stream(redactor, data), len(data), repeats)
    finally:
        del engine._prefilter


def callback_cost_us(data: bytes, repeats: int) -> float:
    """One Python callback's cost per match (µs): a newline literal with and without matches."""
    newline, absent = _database([rb"\n"]), _database([rb"\x00zq\x00"])
    hits = max(1, _count(newline, data))
    scan = _ms_per_mb(lambda: newline.scan(data, match_event_handler=_ignore), len(data), repeats)
    empty = _ms_per_mb(lambda: absent.scan(data, match_event_handler=_ignore), len(data), repeats)
    return round(max(0.0, scan - empty) * 1e3 * (len(data) / 1e6) / hits, 3)


def measure(
    redactor: Redactor, name: str, data: bytes, repeats: int, callback_us: float
) -> dict[str, Any]:
    engine: Engine = redactor.engine
    size = len(data)
    databases = engine.databases(data)
    _stream(redactor, data)  # warm: the bench's repeats after the first run
    stream = _ms_per_mb(lambda: _stream(redactor, data), size, repeats)
    buffers = stream_buffers(redactor, data)
    scan_whole = {
        db_name: _ms_per_mb(lambda db=db: db.scan(data, match_event_handler=_ignore), size, repeats)
        for db_name, db in databases
    }
    scan_stream = _ms_per_mb(
        lambda: [
            db.scan(b, match_event_handler=_ignore)
            for b in buffers
            for _, db in engine.databases(b)
        ],
        size,
        repeats,
    )
    first_stage = engine._prefilter
    prefilter = _ms_per_mb(lambda: [first_stage(b) for b in buffers], size, repeats)
    no_hit = no_hit_stream(redactor, data, repeats)
    words = _database([b"(?i)(?:" + tables_module._SECRET_WORDS + b")"])
    word_hits = _count(words, data)
    words_ms = _ms_per_mb(lambda: words.scan(data, match_event_handler=_ignore), size, repeats)
    headers = _database(
        list(tables_module.HEADER_PARTS) + list(tables_module.PREFIXED_HEADER_PARTS)
    )
    headers_ms = _ms_per_mb(lambda: headers.scan(data, match_event_handler=_ignore), size, repeats)
    ceiling = scan_stream + no_hit
    per_mb = size / 1e6
    return {
        "stream": stream,
        "stream_mb_s": round(1000.0 / stream, 1),
        "scan_whole": scan_whole,
        "scan_stream": scan_stream,
        "rescanned": round(sum(map(len, buffers)) / size, 3),
        "prefilter": prefilter,
        "no_hit_python": no_hit,
        "confirm": round(max(0.0, stream - prefilter - no_hit), 2),
        "secret_words": {
            "hits_per_mb": round(word_hits / per_mb),
            "cost_ms": round(max(0.0, words_ms - word_hits / per_mb * callback_us / 1e3), 2),
        },
        "headers": {"cost_ms": headers_ms, "hits_per_mb": round(_count(headers, data) / per_mb)},
        "ceiling_mb_s": round(1000.0 / ceiling, 1),
        "over_budget": ceiling > BUDGET_MS,
    }


def _id_name(engine: Engine, gid: int) -> str:
    n = len(engine.detectors)
    if gid < n:
        return engine.detectors[gid].name
    if gid < engine._marker_id:
        return "decode"
    return "marker" if gid == engine._marker_id else "tables" if gid == engine._table_id else "gate"


def expression_costs(
    engine: Engine,
    datas: dict[str, bytes],
    repeats: int,
    database: str,
    top: int,
    entries: set[int] | None = None,
) -> list[dict[str, Any]]:
    """The ``top`` entries of ``database`` (a name of the scan plan) by their cost alone over
    the first class of ``datas``: each compiled by itself (not through the disk cache: one
    database per entry would fill it) and scanned with a null callback, ms per MB per class.
    ``entries``: only those (indexes into the database's plan)."""
    plan = dict(_scan_plan(engine.detectors))
    if database not in plan:
        raise ValueError(f"no database {database!r} in the scan plan: {sorted(plan)}")
    rows: list[dict[str, Any]] = []
    for k, (expression, prefilter, som, gids) in enumerate(plan[database]):
        if entries is not None and k not in entries:
            continue
        parts = [bytes.fromhex(part) for part in expression.split(",")]
        db = _compile_db(parts, [prefilter] * len(parts), [som] * len(parts), [0] * len(parts))
        costs = {
            name: _ms_per_mb(
                lambda db=db, data=data: db.scan(data, match_event_handler=_ignore),
                len(data),
                repeats,
            )
            for name, data in datas.items()
        }
        rows.append(
            {
                "entry": k,
                "ids": list(gids),
                "detectors": sorted({_id_name(engine, g) for g in gids}),
                "parts": len(parts),
                "ms_per_mb": costs,
                "expression": parts[0][:80].decode("latin-1"),
            }
        )
    first = next(iter(datas))
    rows.sort(key=lambda r: -r["ms_per_mb"][first])
    return rows[:top]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=1.0, help="MB per class")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--classes", default="", help="comma-separated subset")
    ap.add_argument(
        "--expressions", type=int, default=0, help="also the N costliest plan entries alone"
    )
    ap.add_argument("--databases", default="tables,literals,shapes", help="for --expressions")
    args = ap.parse_args(argv)
    names = [c for c in args.classes.split(",") if c] or list(CLASSES)
    redactor = Redactor(key=KEY)
    if not redactor.engine.uses_hyperscan:
        print("hyperscan is not available: nothing to measure", file=sys.stderr)
        return 1
    first = corpus(names[0], int(args.mb * 1e6))
    absent = _database([rb"\x00zq\x00"])
    callback_us = callback_cost_us(first, args.repeats)
    result: dict[str, Any] = {
        "budget_ms_per_mb": round(BUDGET_MS, 2),
        "floor": {
            "absent_literal_ms": _ms_per_mb(
                lambda: absent.scan(first, match_event_handler=_ignore), len(first), args.repeats
            ),
            "callback_us": callback_us,
        },
        "classes": {},
    }
    for name in names:
        row = measure(redactor, name, corpus(name, int(args.mb * 1e6)), args.repeats, callback_us)
        result["classes"][name] = row
        print(f"{name}: {json.dumps(row)}", file=sys.stderr)
    result["over_budget"] = sorted(n for n, r in result["classes"].items() if r["over_budget"])
    if args.expressions > 0:
        datas = {name: corpus(name, int(args.mb * 1e6)) for name in names}
        result["expressions"] = {
            db: expression_costs(redactor.engine, datas, args.repeats, db, args.expressions)
            for db in args.databases.split(",")
            if db
        }
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
