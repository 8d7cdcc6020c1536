"""The resource_limits asset: real DuckDB file, real Dagster materialization, real limit drill."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.sandbox.assets import resource_limits
from assets.sandbox.limits import CONFIGURED_KINDS
from assets.tables import ensure_schema
from checks.sandbox import every_limit_enforced
from gonogo.config import Settings
from pipelines.resources import DuckDBResource, GonogoSettings

NOW = "2026-11-25T12:00:00+00:00"


def processes_enforceable() -> bool:
    """RLIMIT_NPROC binds a non-root runner; root needs a pids cgroup it can create."""
    import os

    from enforcement_agent.sandbox.limits import PidsCgroup

    if os.getuid() != 0:
        return True
    cg = PidsCgroup.create(8)
    if cg is None:
        return False
    cg.remove()
    return True


def seed_tool_calls(db: Path) -> None:
    con = duckdb.connect(str(db))
    ensure_schema(con)
    rows = [
        ("acme", "t1", "exec", "allow", "timeout", None, "bwrap+seccomp"),
        ("acme", "t2", "exec", "allow", "limit", "output", "bwrap+seccomp"),
        ("globex", "t3", "exec", "allow", "success", None, "bwrap+seccomp"),
        ("globex", "t4", "exec", "allow", "success", None, "weak-fallback"),
        ("globex", "t5", "exec", "deny", "denied", None, "none"),
    ]
    for tenant, trace, tool, decision, outcome, limit_hit, layer in rows:
        con.execute(
            """INSERT INTO tool_calls (tenant_id, ts, trace_id, span_id, tool, decision, outcome,
                   limit_hit, sandbox_layer, is_demo, segment)
               VALUES (?, ?, ?, 's', ?, ?, ?, ?, ?, FALSE, 'seg')""",
            [
                tenant,
                datetime(2026, 11, 25, 11, tzinfo=UTC),
                trace,
                tool,
                decision,
                outcome,
                limit_hit,
                layer,
            ],
        )
    con.close()


def materialize(settings: Settings, run_probes: bool) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [resource_limits, every_limit_enforced],
        resources={
            "duckdb": DuckDBResource(path=str(settings.duckdb_path)),
            "gonogo": GonogoSettings(
                home=str(settings.home), plan_dir=str(settings.plan_dir), now=NOW
            ),
        },
        run_config={"ops": {"resource_limits": {"config": {"run_probes": run_probes}}}},
    )


def evidence(db: Path, kind: str) -> tuple[float, dict]:
    con = duckdb.connect(str(db), read_only=True)
    row = con.execute(
        "SELECT value, detail FROM evidence_items WHERE kind = ? ORDER BY collected_at DESC LIMIT 1",
        [kind],
    ).fetchone()
    con.close()
    assert row is not None
    return row[0], json.loads(row[1])


def test_telemetry_only_counts_observed_limits(settings: Settings) -> None:
    seed_tool_calls(settings.duckdb_path)
    result = materialize(settings, run_probes=False)
    assert result.success
    value, detail = evidence(settings.duckdb_path, "sandbox.resource_limits")
    assert value == pytest.approx(2 / len(CONFIGURED_KINDS))  # wall (timeout) and output
    assert detail["kinds"]["wall"]["observed_in_telemetry"] == 1
    assert not detail["kinds"]["memory"]["enforced"]
    layer, ldetail = evidence(settings.duckdb_path, "sandbox.layer")
    assert layer == pytest.approx(3 / 4) and ldetail["exec_calls_by_layer"]["weak-fallback"] == 1
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    events = con.execute(
        "SELECT tenant_id, limit_hit FROM limit_events ORDER BY trace_id"
    ).fetchall()
    con.close()
    assert events == [("acme", "wall"), ("acme", "output")]
    checks = result.get_asset_check_evaluations()
    assert [c.passed for c in checks] == [False]


@pytest.mark.sandbox
def test_drill_proves_every_limit(settings: Settings, bwrap: str) -> None:
    seed_tool_calls(settings.duckdb_path)
    result = materialize(settings, run_probes=True)
    assert result.success
    value, detail = evidence(settings.duckdb_path, "sandbox.resource_limits")
    not_enforced = {k: v["probe"] for k, v in detail["kinds"].items() if not v["enforced"]}
    if processes_enforceable():
        assert value == 1.0, not_enforced
        assert [c.passed for c in result.get_asset_check_evaluations()] == [True]
    else:
        # Root without a usable pids cgroup: the evidence must say so, not pretend.
        assert list(not_enforced) == ["processes"]
        assert value == pytest.approx(6 / 7)
    assert detail["kinds"]["memory"]["probe"]["layer"] == "bwrap+seccomp"
    # Re-materializing does not duplicate telemetry events.
    assert materialize(settings, run_probes=False).success
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    n = con.execute("SELECT count(*) FROM limit_events WHERE source = 'telemetry'").fetchone()
    con.close()
    assert n == (2,)
