"""The namespace audit and the retention asset, against a real Redis and a DuckDB file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.isolation.assets import data_retention, namespace_audit
from assets.isolation.contract import ContractError, load_contract, parse_contract, retention_gaps
from assets.tables import TABLES, ensure_schema, open_store
from enforcement_agent.tenancy.key_recorder import KeyRecorder
from enforcement_agent.tenancy.redis_acl import RedisTenancy
from gonogo.config import Settings
from gonogo.redis_server import local_redis
from pipelines.definitions import build_resources
from pipelines.tenancy_resources import TenancyResource

pytestmark = pytest.mark.security(family="tenant_isolation")
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[str]:
    """A server of this test's own: it writes keys outside every prefix on purpose."""
    with local_redis(tmp_path) as url:
        yield url


_RUNS = iter(range(1000))


def _audit(s: Settings, url: str) -> tuple[float | None, dict]:
    at = NOW + timedelta(minutes=next(_RUNS))  # each audit's evidence is the latest
    resources = build_resources(s, now=at.isoformat())
    resources["tenancy"] = TenancyResource(redis_url=url)
    dg.materialize([namespace_audit], resources=resources, instance=dg.DagsterInstance.ephemeral())
    with open_store(s.duckdb_path) as con:
        value, detail = con.execute(
            "SELECT value, detail FROM evidence_items WHERE kind = 'tenancy.namespace_audit' "
            "ORDER BY collected_at DESC LIMIT 1"
        ).fetchone()
    return value, json.loads(detail)


def test_namespace_audit_passes_then_catches_a_stray_key_and_a_loose_user(
    tmp_path: Path, own_redis: str
) -> None:
    s = Settings(home=tmp_path / "home").ensure()
    t = RedisTenancy(own_redis, s.home / "redis_acl.json")
    recorder = KeyRecorder(t.admin(), s.evidence_dir / "redis_keys" / "run.json").start()
    t.client("acme").set("t:acme:cache:x", "1", px=200)  # gone before the audit: recorded
    t.client("globex").xadd("t:globex:jobs", {"job_id": "x"})
    recorder.stop()
    value, detail = _audit(s, own_redis)
    assert value == 1.0, detail
    assert detail["recorded_keys"] >= 2 and detail["acl_users"] == 2

    t.admin().set("jobs:global", "1")  # a key under no tenant's prefix
    value, detail = _audit(s, own_redis)
    assert value == 0.0 and any("jobs:global" in v for v in detail["violations"])
    t.admin().delete("jobs:global")

    t.admin().xadd("t:acme:other-queue", {"x": "1"})  # a stream not named t:{tenant}:jobs
    value, detail = _audit(s, own_redis)
    assert value == 0.0 and any("other-queue" in v for v in detail["violations"])
    t.admin().delete("t:acme:other-queue")

    t.admin().execute_command("ACL", "SETUSER", "gonogo-t-acme", "~*")  # loosened
    value, detail = _audit(s, own_redis)
    assert value == 0.0 and any("gonogo-t-acme" in v for v in detail["violations"])
    t.close()


def test_retention_deletes_by_the_contract_and_records_its_run(tmp_path: Path) -> None:
    s = Settings(home=tmp_path / "home").ensure()
    with open_store(s.duckdb_path) as con:
        for age, trace in ((200, "old"), (10, "new")):
            con.execute(
                "INSERT INTO tool_calls (tenant_id, ts, trace_id, span_id, tool, decision, "
                "outcome, segment) VALUES ('acme', ?, ?, 's', 'read', 'allow', 'success', 'x')",
                [NOW - timedelta(days=age), trace],
            )
        con.execute(
            "INSERT INTO criterion_specs VALUES ('_global', 'h', 'WS0.1', '{}', 'v', ?)",
            [NOW - timedelta(days=2000)],
        )
    old_export = s.home / "exports" / "acme" / ("ab" * 16 + ".json")
    old_export.parent.mkdir(parents=True)
    old_export.write_text("{}")
    import os

    stamp = (NOW - timedelta(days=45)).timestamp()
    os.utime(old_export, (stamp, stamp))
    resources = build_resources(s, now=NOW.isoformat())
    dg.materialize([data_retention], resources=resources, instance=dg.DagsterInstance.ephemeral())
    with open_store(s.duckdb_path) as con:
        left = {r[0] for r in con.execute("SELECT trace_id FROM tool_calls").fetchall()}
        kept = con.execute("SELECT count(*) FROM criterion_specs").fetchone()
        runs = dict(
            con.execute(
                "SELECT store, deleted_rows FROM retention_runs WHERE deleted_rows > 0"
            ).fetchall()
        )
        contract = con.execute(
            "SELECT value FROM evidence_items WHERE kind = 'tenancy.retention_contract'"
        ).fetchone()
    assert left == {"new"}
    assert kept == (1,)  # kept: the retention says so
    assert runs == {"duckdb:tool_calls": 1, "file:exports": 1}
    assert not old_export.exists()
    assert contract == (1.0,)


def test_a_table_missing_from_the_contract_fails_ws23_evidence(tmp_path: Path) -> None:
    s = Settings(home=tmp_path / "home").ensure()
    with open_store(s.duckdb_path) as con:
        con.execute("CREATE TABLE scratch_rows (tenant_id VARCHAR NOT NULL, x INTEGER)")
    dg.materialize(
        [data_retention],
        resources=build_resources(s, now=NOW.isoformat()),
        instance=dg.DagsterInstance.ephemeral(),
    )
    with open_store(s.duckdb_path) as con:
        value, detail = con.execute(
            "SELECT value, detail FROM evidence_items WHERE kind = 'tenancy.retention_contract'"
        ).fetchone()
    assert value == 0.0
    assert json.loads(detail)["undocumented_tables"] == ["scratch_rows"]


def test_every_table_has_a_tenant_key_and_a_documented_retention() -> None:
    """The meta-test: a table added to assets/tables.py without tenant_id, or without a row
    in docs/tenancy.md, fails here."""
    con = duckdb.connect()
    ensure_schema(con)
    cols = con.execute(
        "SELECT table_name FROM information_schema.columns WHERE column_name = 'tenant_id' "
        "AND is_nullable = 'NO'"
    ).fetchall()
    assert {r[0] for r in cols} == set(TABLES)
    assert retention_gaps(load_contract(), TABLES) == {
        "undocumented_tables": [], "documented_but_missing": [], "no_age_column": []
    }  # fmt: skip
    contract = load_contract()
    for name, rule in contract.tables().items():
        if rule.age_column:
            assert con.execute(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = ? "
                "AND column_name = ?",
                [name, rule.age_column],
            ).fetchone() == (1,), (name, rule.age_column)


@pytest.mark.parametrize(
    "text",
    ["# no sections", "## Surfaces\n\nno table\n\n## Data handling and retention\n\n| a |\n"],
)
def test_an_unreadable_contract_is_an_error(text: str) -> None:
    with pytest.raises(ContractError):
        parse_contract(text)
