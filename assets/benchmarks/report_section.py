"""The report's benchmark section (WS5): comparisons with 95 % intervals, runs and claims.

Read from ``benchmark_comparisons``, ``bench_runs`` and ``benchmark_claims`` as of the reported
run. Each measure shows the latest value per agent (or agent pair), with the run it came from,
so a measure only one run has (recovery time, from a run with a fault injected) still shows.
Rows from demo runs are marked demo data.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import duckdb

# Reading order of the measures, with the words a reader sees (unit in the label).
MEASURES: dict[str, str] = {
    "completion_rate": "Task completion rate",
    "time_to_merge_s": "Time to merge (s, median)",
    "governance_overhead_s": "Governance overhead per task (s, mean)",
    "share_in_governed_calls": "Share of agent time in governed calls",
    "share_in_policy": "Share of agent time in policy decisions",
    "recovery_time_s": "Recovery time after a fault (s, median)",
    "recovered_share": "Share of faulted attempts that recovered",
    "infra_failures": "Infrastructure failures",
    "timeouts": "Timeouts",
}


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t is not None else None


def benchmark_section(con: duckdb.DuckDBPyConnection, at: datetime) -> dict[str, Any]:
    """Benchmark comparisons, runs and judged claims recorded at or before ``at``."""
    rows = con.execute(
        """
        SELECT c.kind, c.subject, c.baseline, c.metric, c.value, c.ci_lo, c.ci_hi, c.n, c.run_id,
               c.computed_at, c.is_demo OR coalesce(r.is_demo, false)
        FROM benchmark_comparisons c
        LEFT JOIN bench_runs r USING (tenant_id, run_id)
        WHERE c.computed_at <= ?
        QUALIFY row_number() OVER (PARTITION BY c.kind, c.subject, c.baseline, c.metric
                                   ORDER BY coalesce(r.started_at, c.computed_at) DESC,
                                            c.computed_at DESC) = 1
        ORDER BY c.metric, c.kind, c.subject, c.baseline
        """,
        [at],
    ).fetchall()
    measures: dict[str, dict[str, Any]] = {}
    for kind, subject, baseline, metric, value, lo, hi, n, run_id, computed, demo in rows:
        label = f"{subject} vs {baseline}" if kind == "pair" else subject
        m = measures.setdefault(
            f"{kind}:{metric}",
            {"metric": metric, "kind": kind,
             "title": MEASURES.get(metric, metric) + (" — difference" if kind == "pair" else ""),
             "points": []},
        )  # fmt: skip
        m["points"].append(
            {"label": label, "subject": subject, "baseline": baseline, "value": value,
             "ci_lo": lo, "ci_hi": hi, "n": n, "run_id": run_id, "computed_at": _iso(computed),
             "is_demo": bool(demo)}
        )  # fmt: skip
    order = list(MEASURES)
    ordered = sorted(
        measures.values(),
        key=lambda m: (m["kind"] == "pair", order.index(m["metric"]) if m["metric"] in order
                       else len(order), m["metric"]),
    )  # fmt: skip
    runs = con.execute(
        """
        SELECT run_id, source, harness_version, started_at, ended_at, repeats, is_demo, agents,
               (SELECT count(*) FROM bench_tasks t WHERE t.tenant_id = r.tenant_id
                                                    AND t.run_id = r.run_id) AS tasks,
               (SELECT count(*) FROM bench_attempts a WHERE a.tenant_id = r.tenant_id
                                                       AND a.run_id = r.run_id) AS attempts
        FROM bench_runs r WHERE coalesce(started_at, ?) <= ?
        ORDER BY started_at DESC NULLS LAST, run_id
        """,
        [at, at],
    ).fetchall()
    claims = con.execute(
        """
        SELECT claim_id, status, measure, observed, ci_lo, ci_hi, threshold_op, threshold, reason,
               run_id, evidence_ids, evaluated_at
        FROM benchmark_claims WHERE evaluated_at <= ?
        QUALIFY row_number() OVER (PARTITION BY claim_id ORDER BY evaluated_at DESC) = 1
        ORDER BY claim_id
        """,
        [at],
    ).fetchall()
    run_rows = [
        {"run_id": r[0], "source": r[1], "harness_version": r[2], "started_at": _iso(r[3]),
         "ended_at": _iso(r[4]), "repeats": r[5], "is_demo": bool(r[6]),
         "agents": [a.get("name", str(a)) if isinstance(a, dict) else str(a)
                    for a in (json.loads(r[7]) if isinstance(r[7], str) else r[7] or [])],
         "tasks": r[8], "attempts": r[9]}
        for r in runs
    ]  # fmt: skip
    claim_rows = [
        {"claim_id": c[0], "status": c[1], "measure": c[2], "observed": c[3], "ci_lo": c[4],
         "ci_hi": c[5], "op": c[6], "threshold": c[7], "reason": c[8], "run_id": c[9],
         "evidence_ids": json.loads(c[10]) if isinstance(c[10], str) else list(c[10] or []),
         "evaluated_at": _iso(c[11])}
        for c in claims
    ]  # fmt: skip
    is_demo = any(p["is_demo"] for m in ordered for p in m["points"]) or any(
        r["is_demo"] for r in run_rows
    )
    return {
        "measures": ordered,
        "runs": run_rows,
        "claims": claim_rows,
        "is_demo": is_demo,
        "note": "" if ordered else "no benchmark runs recorded yet (gonogo bench run)",
    }
