"""Readiness performance: plan load, criterion evaluation, verdict history, report rendering.

Prints one JSON object. There is no external tool that evaluates this plan format, so the
side-by-side baseline is the obvious hand-rolled alternative: pull every evidence row into
Python and pick the latest live item per kind (what a script without SQL pushdown would do).

    python benchmarks/perf/bench_readiness.py [--items 200000] [--repeats 15]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import duckdb  # noqa: E402

from assets.readiness.criteria import evaluate_plan  # noqa: E402
from assets.readiness.plan import load_plan  # noqa: E402
from assets.readiness.record import evaluate_and_record, record_decision  # noqa: E402
from assets.readiness.report_model import build_report  # noqa: E402
from assets.readiness.verdicts import verify_history  # noqa: E402
from assets.report.sections import SECTIONS  # noqa: E402
from assets.tables import ensure_schema  # noqa: E402
from gonogo.config import DEFAULT_PLAN_DIR  # noqa: E402
from reports.render import render_html, render_markdown  # noqa: E402

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
KINDS = [
    "policy.destructive_blocked", "policy.decision_coverage", "redaction.leak_scan",
    "sandbox.resource_limits", "slo.alert_drills", "tests.security_regression",
    "benchmark.reproducibility", "benchmark.claims_mapped", "readiness.report",
    "noise.a", "noise.b", "noise.c", "noise.d", "noise.e",
]  # fmt: skip


def timed(fn: Callable[[], Any], repeats: int) -> dict[str, float]:
    fn()  # warm-up: first calls compile the redactor's patterns and jinja templates
    samples = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 3),
        "p99_ms": round(samples[min(len(samples) - 1, int(0.99 * len(samples)))], 3),
        "runs": repeats,
    }


def seed(con: duckdb.DuckDBPyConnection, items: int) -> None:
    con.execute(
        """
        INSERT INTO evidence_items
        SELECT 't' || (i % 50), md5(i::VARCHAR), $kinds[1 + i % len($kinds)], 'bench', NULL,
               $now - to_seconds(i * 10), $now - to_seconds(i * 10) + INTERVAL 7 DAY,
               md5(i::VARCHAR), (i % 100) / 100.0, '{}', NULL, false
        FROM range($n) t(i)
        """,
        {"kinds": KINDS, "now": NOW, "n": items},
    )
    con.execute(
        """
        INSERT INTO test_results
        SELECT '_global', 'f' || (i // 500) || '.xml', md5('f' || (i // 500)), md5('e' || (i // 500)), 's',
               'tests.c' || (i % 97), 'test_' || i,
               CASE i % 4 WHEN 0 THEN ['auth'] WHEN 1 THEN ['tenant_isolation'] WHEN 2 THEN ['e2e'] ELSE [] END,
               CASE WHEN i % 53 = 0 THEN 'failed' ELSE 'passed' END, 0.01, NULL,
               $now - to_seconds(i), $now - to_seconds(i), false
        FROM range($n) t(i)
        """,
        {"now": NOW, "n": items // 4},
    )


def naive_latest(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    rows = con.execute(
        "SELECT kind, evidence_id, value, collected_at, expires_at FROM evidence_items"
    ).fetchall()
    best: dict[str, Any] = {}
    for kind, eid, value, collected, expires in rows:
        if collected > NOW or (expires is not None and expires <= NOW):
            continue
        if kind not in best or collected > best[kind][2]:
            best[kind] = (eid, value, collected)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=200_000)
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "bench.duckdb"))
        ensure_schema(con)
        t = time.perf_counter()
        seed(con, args.items)
        seed_s = time.perf_counter() - t
        plan = load_plan(DEFAULT_PLAN_DIR)
        results: dict[str, Any] = {
            "benchmark": "readiness",
            "evidence_items": args.items,
            "test_results": args.items // 4,
            "criteria": len(plan.evaluable_criteria()),
            "seed_s": round(seed_s, 2),
            "plan_load_validate": timed(lambda: load_plan(DEFAULT_PLAN_DIR), args.repeats),
            "evaluate_plan": timed(lambda: evaluate_plan(con, plan, NOW), args.repeats),
            "baseline_python_latest_per_kind": timed(
                lambda: naive_latest(con), max(3, args.repeats // 3)
            ),
        }
        results["evaluate_plus_record_run"] = timed(
            lambda: evaluate_and_record(con, plan, NOW), args.repeats
        )
        run = evaluate_and_record(con, plan, NOW)
        record_decision(con, plan, run)
        results["build_report_model"] = timed(lambda: build_report(con, plan, run), args.repeats)
        # As the product builds it: with every section of the registry (schedule, onboarding,
        # SLOs, probes, benchmarks) read from the same store.
        results["build_report_model_with_sections"] = timed(
            lambda: build_report(con, plan, run, SECTIONS), args.repeats
        )
        report = build_report(con, plan, run, SECTIONS)
        results["render_html_offline"] = timed(
            lambda: render_html(report), max(3, args.repeats // 3)
        )
        results["render_markdown"] = timed(lambda: render_markdown(report), args.repeats)
        rows = con.execute("SELECT count(*) FROM criterion_verdicts").fetchone()
        t = time.perf_counter()
        ok = verify_history(con).ok
        dt = time.perf_counter() - t
        results["verify_history"] = {"rows": rows[0] if rows else 0, "ok": ok,
                                     "rows_per_s": round((rows[0] if rows else 0) / dt)}  # fmt: skip
        speedup = (
            results["baseline_python_latest_per_kind"]["median_ms"]
            / results["evaluate_plan"]["median_ms"]
        )
        results["evaluate_vs_baseline_speedup"] = round(speedup, 1)
        con.close()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
