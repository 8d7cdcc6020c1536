"""A store with something in every report section: SLO minutes and status (per tenant, one
burning), alerts, benchmark comparisons and claims, a probe run with one leak, tracking days."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from assets.benchmarks.store import write_comparisons
from assets.planning.tracking import write_demo_entries
from assets.readiness.plan import load_plan
from assets.slo.alerts import slo_alerts
from assets.slo.delivery import MemorySink, dispatch
from assets.slo.spec import load_specs
from assets.slo.store import compute_status, write_status
from pipelines.settings import DEFAULT_PLAN_DIR

TENANTS = ("acme", "globex")
PROBE_SURFACES = ("http_api", "reports", "queue")
PROBE_PATHS = ("direct_id", "forged_header", "enumerated_ids")

BENCH_SUMMARY = {
    "agents": {
        "oracle+governed": {"completion_rate": 0.93, "completion_ci95": [0.79, 1.0], "attempts": 14,
                            "time_to_merge_s": {"median": 4.1, "ci95": [3.2, 5.0], "n": 13},
                            "infra_failures": 0, "timeouts": 1},
        "none": {"completion_rate": 0.0, "completion_ci95": [0.0, 0.0], "attempts": 14,
                 "time_to_merge_s": {"median": None, "ci95": None, "n": 0},
                 "infra_failures": 0, "timeouts": 0},
    },
    "comparisons": [
        {"a": "oracle+governed", "b": "none", "metric": "completion_rate", "diff": 0.93,
         "ci95": [0.79, 1.0]},
    ],
    "governance_overhead_s": {
        "oracle+governed": {"baseline": "oracle", "mean_diff_s": 0.21, "ci95": [0.12, 0.33],
                            "tool_calls": 120, "share_in_governed_calls": 0.04,
                            "share_in_policy": 0.01},
    },
}  # fmt: skip


def slo_world(con: duckdb.DuckDBPyConnection, plan_dir: Path, at: datetime) -> None:
    """Two hours of minutes per SLO and tenant; globex's API latency burns its budget."""
    shutil.copyfile(DEFAULT_PLAN_DIR / "slos.yaml", plan_dir / "slos.yaml")
    specs = load_specs(plan_dir / "slos.yaml").slos
    start = at.replace(second=0, microsecond=0) - timedelta(hours=2)
    # One statement (the SLO ingest's own writer goes row by row; that is its business).
    con.execute(
        """
        INSERT INTO slo_minutes
        SELECT t.tenant, s.id, 'duckdb', $start + to_minutes(m.range), 40,
               CASE WHEN t.tenant = 'globex' AND s.id = 'gateway-api-latency' AND m.range > 60
                    THEN 3 ELSE 0 END
        FROM range(120) m, unnest($tenants) t(tenant), unnest($slos) s(id)
        """,
        {"start": start, "tenants": list(TENANTS), "slos": [s.id for s in specs]},
    )
    status = compute_status(con, specs, at)
    write_status(con, status)
    dispatch(con, slo_alerts(status, {s.id: s for s in specs}), at, [MemorySink()],
             resend_after=timedelta(hours=1))  # fmt: skip


def bench_world(con: duckdb.DuckDBPyConnection, at: datetime) -> None:
    con.execute(
        "INSERT INTO bench_runs (tenant_id, run_id, source, harness_version, started_at, ended_at, "
        "seed, repeats, agents, is_demo) VALUES ('_global', 'run-1', 'gonogo', '1', ?, ?, 7, 1, ?, true)",
        [at - timedelta(hours=3), at - timedelta(hours=2),
         json.dumps([{"name": "oracle+governed"}, {"name": "none"}])],
    )  # fmt: skip
    write_comparisons(con, "run-1", BENCH_SUMMARY, at - timedelta(hours=2), is_demo=True)
    con.execute(
        "INSERT INTO benchmark_claims VALUES ('_global', 'CLM-governed-completion', ?, 'run-1', "
        "'supported', 'completion_rate', 0.93, 0.79, 1.0, '>=', 0.75, 'interval above 0.75', '[]', 'h')",
        [at - timedelta(hours=2)],
    )


def probe_world(
    con: duckdb.DuckDBPyConnection, at: datetime, *, leak: bool = True, run_id: str = "probe-1"
) -> None:
    """A probe run as the tenant-probe asset writes it (the schema of assets/tables.py)."""
    for surface in PROBE_SURFACES:
        for path in PROBE_PATHS:
            bad = leak and (surface, path) == ("reports", "direct_id")
            con.execute(
                "INSERT INTO tenant_probe_results VALUES ('globex', ?, ?, 'acme', ?, ?, 'GET /x', "
                "'denied', ?, ?, ?, ?, NULL, ?, false)",
                [run_id, f"{surface}-{path}", surface, path, "leaked" if bad else "denied",
                 200 if bad else 403, bad, not bad, at - timedelta(minutes=30)],
            )  # fmt: skip


def everything(con: duckdb.DuckDBPyConnection, plan_dir: Path, at: datetime) -> None:
    slo_world(con, plan_dir, at)
    bench_world(con, at)
    probe_world(con, at)
    write_demo_entries(con, load_plan(plan_dir), at.date(), at)
