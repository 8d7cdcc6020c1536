"""The probe matrix against live `gonogo serve` gateways and a real Redis: all closed when the
read paths are right; red, with WS2.1 failing, when one tenant filter is removed."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest

from assets.evidence.assets import evidence_items
from assets.isolation.assets import tenant_probes
from assets.isolation.contract import load_contract
from assets.isolation.matrix import run_and_record
from assets.readiness.assets import criterion_verdicts
from assets.tables import open_store
from enforcement_agent.tenancy.redis_acl import RedisTenancy
from gonogo.config import Settings
from pipelines.definitions import build_resources
from pipelines.tenancy_resources import TenancyResource

pytestmark = pytest.mark.security(family="tenant_isolation")
TENANTS = ["acme", "globex"]

# A deliberately leaky variant of one read path: the context search without its tenant filter.
LEAKY_CONTEXT = textwrap.dedent(
    """
    import assets.context.store as store

    def search_context(con, tenant, query="", limit=20):
        store.require_tenant(tenant)
        needle = (query or "").lower()
        rows = con.execute(
            "SELECT item_id, kind, title, body, source, created_at FROM context_items "
            "WHERE (? = '' OR strpos(lower(title), ?) > 0 OR strpos(lower(body), ?) > 0) "
            "ORDER BY created_at DESC LIMIT ?",
            [needle, needle, needle, limit],
        ).fetchall()
        return [{"item_id": r[0], "kind": r[1], "title": r[2], "body": r[3], "source": r[4],
                 "created_at": None} for r in rows]

    store.search_context = search_context
    """
)


def _home(tmp_path: Path) -> Settings:
    s = Settings(home=tmp_path / "home").ensure()
    for t in TENANTS:
        s.workspace(t).mkdir(parents=True, exist_ok=True)
    return s


def test_matrix_is_all_closed_and_covers_every_surface(tmp_path: Path, redis_url: str) -> None:
    s = _home(tmp_path)
    redis = RedisTenancy(redis_url, s.home / "redis_acl.json")
    now = datetime.now(UTC)
    try:
        value, detail = run_and_record(
            s.home, lambda: open_store(s.duckdb_path), TENANTS, now, load_contract(),
            redis_client_for=redis.client, env={"GONOGO_REDIS_URL": redis_url}, run_id="t-closed",
        )  # fmt: skip
    finally:
        redis.close()
    assert detail["planting_problems"] == []
    assert detail["leaks"] == 0 and detail["not_closed"] == 0, detail["by_observed"]
    assert detail["uncovered_surfaces"] == []
    assert value == 1.0
    assert set(detail["by_surface"]) == set(load_contract().surface_ids)
    # every access path the issue names was exercised
    assert len(detail["access_paths"]) == 18
    with open_store(s.duckdb_path) as con:
        rows = con.execute(
            "SELECT count(*), count(DISTINCT tenant_id), bool_and(passed) FROM tenant_probe_results"
        ).fetchone()
        planted_left = con.execute(
            "SELECT count(*) FROM tool_calls WHERE segment = 'isolation-canary'"
        ).fetchone()
    assert rows == (detail["probes"], 2, True)
    assert planted_left == (0,)  # the canaries were removed again
    assert not list((s.home / "workspaces" / "acme").glob("isolation-canary*"))


def test_a_removed_tenant_filter_turns_the_matrix_red_and_ws21_fail(
    tmp_path: Path, redis_url: str
) -> None:
    s = _home(tmp_path)
    patch = tmp_path / "leaky"
    patch.mkdir()
    (patch / "sitecustomize.py").write_text(LEAKY_CONTEXT)
    resources = build_resources(s, now=datetime.now(UTC).isoformat())
    resources["tenancy"] = TenancyResource(
        redis_url=redis_url, tenants=TENANTS, gateway_env={"PYTHONPATH": str(patch)}
    )
    result = dg.materialize(
        [tenant_probes, evidence_items, criterion_verdicts],
        resources=resources,
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=True,
    )
    assert result.success
    with open_store(s.duckdb_path) as con:
        leaks = con.execute(
            "SELECT DISTINCT surface, access_path FROM tenant_probe_results WHERE canary_seen"
        ).fetchall()
        others = con.execute(
            "SELECT count(*) FROM tenant_probe_results "
            "WHERE NOT passed AND surface NOT IN ('memory_context', 'cache')"
        ).fetchone()
        ws21 = con.execute(
            "SELECT status, reason FROM criterion_verdicts WHERE criterion_id = 'WS2.1' "
            "ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    assert ("memory_context", "retrieval_query") in leaks
    assert others == (0,)  # only the broken read path (and the cache in front of it) is red
    assert ws21 is not None and ws21[0] == "fail", ws21
