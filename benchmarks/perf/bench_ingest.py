"""Ingest performance: decision records (first run, then an incremental run) and the spool.

Prints one JSON object. The baseline is what the ingest did before it was incremental:
every record upserted again on every run, one row at a time (``INSERT OR REPLACE`` through
``executemany``) — 42 s for 9,100 records in the fault review of issue 12.

    python -m benchmarks.perf.bench_ingest [--records 9100] [--new 100] [--spans 9100]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import duckdb  # noqa: E402

from assets.decisions.ingest import ingest_decision_records  # noqa: E402
from assets.tables import ensure_schema  # noqa: E402
from assets.telemetry.ingest import ingest_spool  # noqa: E402
from enforcement_agent.audit import DecisionLog, iter_records  # noqa: E402
from enforcement_agent.models import Decision, ToolRequest, Verdict  # noqa: E402
from enforcement_agent.redaction import Redactor  # noqa: E402
from enforcement_agent.span_schema import span_attributes  # noqa: E402
from enforcement_agent.telemetry import setup_telemetry  # noqa: E402


def _records(audit: Path, n: int, start: int = 0) -> None:
    log = DecisionLog(audit)
    for i in range(start, start + n):
        tenant = ("acme", "globex", "initech")[i % 3]
        req = ToolRequest(tenant=tenant, actor="a", role="contributor", tool="read", path=f"f{i}")
        d = Decision(Verdict.ALLOW, "file.read", "ok", f"d{i:08d}", "p1")
        log.append(req, d, {"trace_id": f"{i + 1:032x}", "span_id": f"{i + 1:016x}"})


def _baseline(con: duckdb.DuckDBPyConnection, audit: Path) -> None:
    """The old way: every record, row by row, upserted again on every run."""
    rows = [
        [r.get(k) for k in ("tenant_id", "decision_id", "seq", "timestamp", "actor", "role",
                            "tool", "session_id", "input_digest", "target", "result", "rule",
                            "reason", "policy_revision", "eval_us")]
        + [bool(r.get("destructive")), r.get("prev_hash"), r.get("hash"), bool(r["chain_ok"]),
           "{}", None, None]
        for r in iter_records(audit)
    ]  # fmt: skip
    con.executemany(
        f"INSERT OR REPLACE INTO decision_records VALUES ({', '.join('?' for _ in rows[0])})", rows
    )


def _timed(fn: Any) -> float:
    t = time.perf_counter()
    fn()
    return round(time.perf_counter() - t, 3)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=9100)
    ap.add_argument("--new", type=int, default=100)
    ap.add_argument("--spans", type=int, default=9100)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        audit = root / "audit"
        _records(audit, args.records)
        con = duckdb.connect(str(root / "new.duckdb"))
        ensure_schema(con)
        first = _timed(lambda: ingest_decision_records(con, audit))
        _records(audit, args.new, start=args.records)
        incremental = _timed(lambda: ingest_decision_records(con, audit))
        unchanged = _timed(lambda: ingest_decision_records(con, audit))
        old = duckdb.connect(str(root / "old.duckdb"))
        ensure_schema(old)
        baseline = _timed(lambda: _baseline(old, audit))

        spool = root / "spool"
        tel = setup_telemetry(Redactor(), spool_dir=spool, use_env=False)
        for i in range(args.spans):
            with tel.tracer.start_as_current_span("tool_call read") as span:
                span.set_attributes(
                    span_attributes({"tenant_id": "acme", "tool": "read", "decision": "allow",
                                     "outcome": "success", "rule": f"r{i}", "bytes_out": i})
                )  # fmt: skip
        tel.shutdown()
        spans = _timed(lambda: ingest_spool(con, spool, datetime.now(UTC)))
    print(
        json.dumps(
            {
                "decision_records": args.records,
                "first_ingest_s": first,
                f"incremental_ingest_s (+{args.new} records)": incremental,
                "unchanged_rerun_s": unchanged,
                "baseline_row_by_row_upsert_s": baseline,
                "spool_spans": args.spans,
                "spool_ingest_s": spans,
                "spool_spans_per_s": round(args.spans / spans) if spans else None,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
