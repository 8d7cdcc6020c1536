"""A memory hit through `gonogo agent exec` reaches the evidence: spool → tool_calls →
limit_events → ``sandbox.resource_limits`` counts memory as observed in telemetry."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.sandbox.assets import resource_limits
from assets.telemetry.assets import spool_ingest
from gonogo.config import DEFAULT_PLAN_DIR
from pipelines.resources import DuckDBResource, GonogoSettings
from tests.sandbox.conftest import Estate
from tests.sandbox.test_cli_e2e import gonogo, policy_dir, summary  # noqa: F401 - fixture
from tests.sandbox.test_memory_limit import HOG, needs_memory_cgroup

pytestmark = pytest.mark.sandbox


@needs_memory_cgroup
def test_a_memory_hit_through_the_cli_counts_as_enforced_in_the_evidence(
    estate: Estate,
    policy_dir: Path,  # noqa: F811 - the imported fixture
) -> None:
    (estate.ws / "hog.py").write_text(HOG)
    p = gonogo(estate, policy_dir, "python3", "hog.py")
    s = summary(p)
    assert s["outcome"] == "limit" and s["detail"] == "memory", s
    assert not (estate.ws / "allocated.txt").exists()

    home = estate.root.parent / "gonogo-home"
    db = home / "evidence.duckdb"
    result = dg.materialize(
        [spool_ingest, resource_limits],
        resources={
            "duckdb": DuckDBResource(path=str(db)),
            "gonogo": GonogoSettings(
                home=str(home), plan_dir=str(DEFAULT_PLAN_DIR), now="2026-11-25T12:00:00+00:00"
            ),
        },
        run_config={"ops": {"resource_limits": {"config": {"run_probes": False}}}},
    )
    assert result.success
    con = duckdb.connect(str(db), read_only=True)
    events = con.execute(
        "SELECT tenant_id, outcome, limit_hit FROM limit_events WHERE source = 'telemetry'"
    ).fetchall()
    row = con.execute(
        "SELECT detail FROM evidence_items WHERE kind = 'sandbox.resource_limits' "
        "ORDER BY collected_at DESC LIMIT 1"
    ).fetchone()
    con.close()
    assert events == [("tenant-a", "limit", "memory")]
    assert row is not None
    memory = json.loads(row[0])["kinds"]["memory"]
    assert memory["enforced"] and memory["observed_in_telemetry"] == 1, memory
