"""DuckDB tables of the benchmark domain, and loading run folders into them.

The tables themselves are defined in `assets.tables` (the one schema module).
Every table has ``tenant_id``; benchmark rows are platform rows (``_global``).
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import datetime
from typing import Any

import duckdb

from assets.benchmarks.claims import Claim, ClaimResult
from assets.benchmarks.results import AttemptRecord, RunFolder

_ATTEMPT_COLUMNS = ["tenant_id", *[f.name for f in fields(AttemptRecord) if f.name != "tenant_id"]]


def _cell(rec: AttemptRecord, column: str) -> Any:
    value = getattr(rec, column)
    return None if column == "started_at" and not value else value


def load_run(con: duckdb.DuckDBPyConnection, folder: RunFolder) -> int:
    """Replace one run's rows with the folder's content (idempotent); returns attempts loaded."""
    run = folder.run
    key = [run.tenant_id, run.run_id]
    con.execute("BEGIN TRANSACTION")
    try:
        for table in ("bench_runs", "bench_tasks", "bench_attempts"):
            con.execute(f"DELETE FROM {table} WHERE tenant_id = ? AND run_id = ?", key)
        con.execute(
            """INSERT INTO bench_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                run.tenant_id,
                run.run_id,
                run.source,
                run.harness_version,
                run.started_at or None,
                run.ended_at or None,
                run.seed,
                run.repeats,
                run.env_fingerprint,
                json.dumps(run.environment, sort_keys=True),
                json.dumps(run.agents, sort_keys=True),
                run.inject,
                run.tasks_dir,
                run.is_demo,
                json.dumps(folder.summary, sort_keys=True) if folder.summary else None,
            ],
        )
        for task_id, info in sorted(run.tasks.items()):
            con.execute(
                "INSERT INTO bench_tasks VALUES (?, ?, ?, ?, ?)",
                [run.tenant_id, run.run_id, task_id, info.get("checksum"), info.get("path")],
            )
        if folder.attempts:
            cols = ", ".join(f'"{c}"' for c in _ATTEMPT_COLUMNS)
            marks = ", ".join("?" for _ in _ATTEMPT_COLUMNS)
            con.executemany(
                f"INSERT INTO bench_attempts ({cols}) VALUES ({marks})",
                [[_cell(a, c) for c in _ATTEMPT_COLUMNS] for a in folder.attempts],
            )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(folder.attempts)


def comparison_rows(summary: dict[str, Any]) -> list[tuple[str, str, str, str, Any, Any, Any, Any]]:
    """(kind, subject, baseline, metric, value, lo, hi, n) rows flattened from a summary."""
    rows: list[tuple[str, str, str, str, Any, Any, Any, Any]] = []

    def ci(c: Any) -> tuple[Any, Any]:
        return (c[0], c[1]) if isinstance(c, list) and len(c) == 2 else (None, None)

    for agent, s in summary.get("agents", {}).items():
        rows.append(
            ("agent", agent, "", "completion_rate", s.get("completion_rate"),
             *ci(s.get("completion_ci95")), s.get("attempts"))
        )  # fmt: skip
        ttm = s.get("time_to_merge_s") or {}
        rows.append(
            ("agent", agent, "", "time_to_merge_s", ttm.get("median"), *ci(ttm.get("ci95")),
             ttm.get("n"))
        )  # fmt: skip
        for metric in ("infra_failures", "timeouts"):
            rows.append(("agent", agent, "", metric, s.get(metric), None, None, s.get("attempts")))
    for c in summary.get("comparisons", []):
        rows.append(("pair", c["a"], c["b"], c["metric"], c.get("diff"), *ci(c.get("ci95")), None))
    for agent, o in summary.get("governance_overhead_s", {}).items():
        base = o.get("baseline", "")
        rows.append(
            ("overhead", agent, base, "governance_overhead_s", o.get("mean_diff_s"),
             *ci(o.get("ci95")), o.get("tool_calls"))
        )  # fmt: skip
        for metric in ("share_in_governed_calls", "share_in_policy"):
            rows.append(("overhead", agent, base, metric, o.get(metric), None, None, None))
    for agent, r in summary.get("recovery_time_s", {}).items():
        rows.append(
            ("recovery", agent, "", "recovery_time_s", r.get("median"), *ci(r.get("ci95")),
             r.get("injected"))
        )  # fmt: skip
        rows.append(
            ("recovery", agent, "", "recovered_share",
             (r["recovered"] / r["injected"]) if r.get("injected") else None, None, None,
             r.get("injected"))
        )  # fmt: skip
    return rows


def write_comparisons(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    summary: dict[str, Any],
    computed_at: datetime,
    *,
    tenant_id: str = "_global",
    is_demo: bool = False,
) -> int:
    rows = comparison_rows(summary)
    con.execute(
        "DELETE FROM benchmark_comparisons WHERE tenant_id = ? AND run_id = ?", [tenant_id, run_id]
    )
    con.executemany(
        "INSERT INTO benchmark_comparisons VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [[tenant_id, run_id, *r, computed_at, is_demo] for r in rows],
    )
    return len(rows)


def latest_claim_results(con: duckdb.DuckDBPyConnection, claims: list[Claim]) -> list[ClaimResult]:
    """Each claim's latest judgement recorded in ``benchmark_claims`` (unsupported when none).

    A row judged under another version of the claim (its spec hash differs) is not this
    claim's judgement: the claim is unsupported until it is judged again.
    """
    rows = con.execute(
        """SELECT claim_id, status, reason, run_id, observed, ci_lo, ci_hi, evidence_ids, spec_hash
           FROM benchmark_claims
           QUALIFY row_number() OVER (PARTITION BY claim_id ORDER BY evaluated_at DESC) = 1"""
    ).fetchall()
    latest = {r[0]: r for r in rows}
    out: list[ClaimResult] = []
    for claim in claims:
        r = latest.get(claim.claim_id)
        if r is None:
            out.append(ClaimResult(claim, "unsupported", "never judged"))
        elif r[8] != claim.spec_hash:
            out.append(ClaimResult(claim, "unsupported", "the claim changed since it was judged"))
        else:
            ids = json.loads(r[7]) if r[7] else []
            out.append(ClaimResult(claim, r[1], r[2] or "", r[3], r[4], r[5], r[6], list(ids)))
    return out
