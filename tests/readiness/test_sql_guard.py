"""Criterion SQL can read the evidence tables and nothing else (files, env, other databases)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.readiness.criteria import evaluate_spec
from assets.readiness.plan import PlanError, load_plan
from assets.readiness.sql_guard import sql_problem
from assets.readiness.statuses import Status
from tests.readiness.conftest import NOW, bind

HOSTILE = [
    "SELECT 'pass' AS status, content AS reason FROM read_text('/etc/passwd')",
    "SELECT 'pass' AS status, * FROM '/etc/passwd'",
    "SELECT 'pass' AS status FROM read_csv_auto('/etc/hosts')",
    "SELECT 'pass' AS status, getenv('HOME') AS reason",
    "SELECT 'pass' AS status, current_setting('home_directory') AS reason",
    "SELECT 'pass' AS status FROM other_db.main.evidence_items",
    "SELECT 'pass' AS status FROM glob('/root/*')",
    "SELECT 'pass' AS status, (SELECT content FROM read_blob('/etc/shadow')) AS reason",
    "WITH x AS (SELECT * FROM read_parquet('s3://bucket/x.parquet')) SELECT 'pass' AS status FROM x",
    "SELECT 'pass' AS status FROM query('SELECT 1')",
    "ATTACH '/tmp/x.db' AS x",
    "COPY evidence_items TO '/tmp/leak.csv'",
    "INSTALL httpfs",
    "SELECT 1; SELECT 2",
]

BENIGN = [
    "SELECT 'pass' AS status, 1.0 AS value, [] AS evidence_ids",
    "WITH latest AS (SELECT * FROM evidence_items WHERE kind = 'x') SELECT 'pass' AS status FROM latest",
    "SELECT count(*) FILTER (WHERE outcome = 'passed') AS value FROM main.test_results, range(3) r(i)",
    "SELECT json_extract(detail, '$.a') AS reason FROM evidence_items e JOIN test_results t USING (evidence_id)",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_sql_is_refused(query: str) -> None:
    assert sql_problem(query) is not None


@pytest.mark.parametrize("query", BENIGN)
def test_evidence_reads_are_allowed(query: str) -> None:
    assert sql_problem(query) is None


def test_shipped_plan_sql_is_allowed() -> None:
    from pipelines.settings import DEFAULT_PLAN_DIR

    plan = load_plan(DEFAULT_PLAN_DIR)
    assert any((c.evaluation or {}).get("type") == "sql" for c in plan.criteria())


def test_hostile_sql_in_plan_fails_to_load(plan_dir: Path) -> None:
    bind(
        plan_dir,
        "WS2.2",
        evaluation={
            "type": "sql",
            "query": "SELECT 'pass' AS status, content AS reason FROM read_text('/etc/passwd')",
        },
    )
    with pytest.raises(PlanError) as exc:
        load_plan(plan_dir)
    assert exc.value.path == "bindings.WS2.2.evaluation" and "read_text" in exc.value.reason


def test_hostile_sql_is_refused_at_run_time_too(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    plan = load_plan(plan_dir)
    spec = {
        "type": "sql",
        "query": "SELECT 'pass' AS status, content AS reason FROM read_text('/etc/passwd')",
    }
    ev = evaluate_spec(con, plan, plan.criterion("WS2.1"), spec, NOW)
    assert ev.status is Status.ERROR and "root:" not in ev.reason


@settings(deadline=None)  # parsing time varies on a loaded machine; the property is what counts
@given(st.sampled_from(["/etc/passwd", "~/.ssh/id_rsa", "../../x.db", "data.csv", "s3://b/k"]),
       st.sampled_from(["FROM '{p}'", "FROM read_csv('{p}')", "FROM read_json_auto('{p}')", "FROM parquet_scan('{p}')",
                        "FROM read_text('{p}')", "FROM sniff_csv('{p}')"]))  # fmt: skip
def test_no_file_reference_gets_through(path: str, clause: str) -> None:
    assert sql_problem(f"SELECT 'pass' AS status {clause.format(p=path)}") is not None
