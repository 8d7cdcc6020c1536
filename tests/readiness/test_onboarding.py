"""Onboarding guardrails per organisation, the policy one checked from real decision records."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
import typer
import yaml
from typer.testing import CliRunner

from assets.decisions.ingest import ingest_decision_records
from assets.planning.onboarding import evaluate_onboarding, observe_policy, tree_passes
from assets.readiness.plan import PlanError, load_plan
from assets.readiness.statuses import Status
from assets.tables import open_store
from enforcement_agent.models import ToolRequest
from gonogo import cli_plan
from gonogo.config import DEFAULT_PLAN_DIR, Settings
from gonogo.wiring import build_agent
from tests.readiness.conftest import bind

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
COMPLETE = {
    "tenant": "umbrella", "name": "Umbrella",
    "contract": {"document": "https://c.example/u.pdf", "signed": "2026-11-01", "excludes_regulated_workloads": True},
    "pilot_success_criteria": {"document": "https://w.example/u", "agreed": "2026-11-03", "workflows": ["w"],
                               "kpis": ["k"], "acceptance_bar": "b"},
    "contacts": {"incident": [{"name": "NOC", "email": "noc@u.example"}],
                 "rollback": [{"name": "Ops", "phone": "+1 555 0100"}]},
}  # fmt: skip


@pytest.fixture
def policies(plan_dir: Path) -> Path:
    """The plan copy's policy folder (the shipped templates)."""
    d = plan_dir / "policies"
    shutil.copytree(DEFAULT_PLAN_DIR / "policies", d)
    return d


@pytest.fixture
def store(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_store(settings.duckdb_path) as con:
        yield con


def tool_call(settings: Settings, policies: Path, tenant: str) -> None:
    """One real governed call through the enforcement agent (writes a decision record)."""
    ws = settings.workspace(tenant)
    ws.mkdir(parents=True, exist_ok=True)
    (ws / "README.md").write_text("hello\n")
    agent = build_agent(settings, policy_dir=policies)
    try:
        agent.handle(ToolRequest(tenant=tenant, actor="agent-1", role="contributor", tool="read",
                                 path="README.md"))  # fmt: skip
    finally:
        agent.telemetry.shutdown()


def cells(table: Any, tenant: str) -> dict[str, tuple[Status, str]]:
    org = next(o for o in table.orgs if o.tenant == tenant)
    return {c.guardrail: (c.status, c.evidence) for c in org.cells}


def test_the_shipped_records_give_a_row_per_org_and_a_column_per_guardrail(
    plan_dir: Path, policies: Path, store: duckdb.DuckDBPyConnection
) -> None:
    plan = load_plan(plan_dir)
    table = evaluate_onboarding(store, plan, tree_passes=True)
    assert [o.tenant for o in table.orgs] == ["acme", "globex", "initech"] and table.is_demo
    assert [g for g, _ in table.guardrails] == ["ONBOARD.1", "ONBOARD.2", "ONBOARD.3", "ONBOARD.4"]
    assert (
        table.guardrails[1][1]
        == "Tenant-by-tenant policy templates are pre-configured before first run."
    )
    assert all(len(o.cells) == 4 for o in table.orgs)
    acme, globex, initech = (cells(table, t) for t in ("acme", "globex", "initech"))
    assert {s for s, _ in acme.values()} == {Status.PASS}
    assert globex["ONBOARD.4"] == (Status.FAIL, "no reachable rollback contact")
    assert initech["ONBOARD.1"][0] is Status.FAIL and "payroll" in initech["ONBOARD.1"][1]
    assert (
        initech["ONBOARD.3"][0] is Status.FAIL
        and "no agreement date, KPIs, acceptance bar" in initech["ONBOARD.3"][1]
    )
    assert table.may_onboard_now == ("acme",)
    assert {o.tenant: o.blocking for o in table.orgs}["globex"] == ("ONBOARD.4",)


def test_nobody_is_onboarded_while_the_decision_tree_does_not_pass(
    plan_dir: Path, policies: Path, store: duckdb.DuckDBPyConnection
) -> None:
    plan = load_plan(plan_dir)
    for tree in (False, None):
        table = evaluate_onboarding(store, plan, tree_passes=tree)
        assert table.may_onboard_now == () and "decision tree" in table.reason
        assert plan.decision_rule in table.reason
    assert tree_passes(plan, {}) is None
    assert tree_passes(plan, {"WS0.1": Status.FAIL}) is False
    assert tree_passes(plan, {c.id: Status.PASS for c in plan.evaluable_criteria()}) is True


def test_first_call_under_the_tenant_template_passes(
    settings: Settings, plan_dir: Path, policies: Path, store: duckdb.DuckDBPyConnection
) -> None:
    tool_call(settings, policies, "acme")
    ingest_decision_records(store, settings.audit_dir)
    (status, evidence) = cells(evaluate_onboarding(store, load_plan(plan_dir), now=NOW), "acme")[
        "ONBOARD.2"
    ]
    assert status is Status.PASS and "ran under the tenant template" in evidence


def test_first_call_before_the_tenant_template_existed_fails(
    settings: Settings, plan_dir: Path, policies: Path, store: duckdb.DuckDBPyConnection
) -> None:
    # umbrella's agent ran on the bare default template; its own template came afterwards.
    tool_call(settings, policies, "umbrella")
    ingest_decision_records(store, settings.audit_dir)
    (policies / "umbrella.yaml").write_text("version: 1\nextends: default\nname: umbrella\n")
    tool_call(settings, policies, "umbrella")
    ingest_decision_records(store, settings.audit_dir)
    revisions = store.execute(
        "SELECT DISTINCT policy_revision FROM decision_records WHERE tenant_id = 'umbrella'"
    ).fetchall()
    assert len(revisions) == 2  # the records really cite two different revisions
    table = evaluate_onboarding(
        store, load_plan(plan_dir), orgs=[COMPLETE], tree_passes=True, now=NOW
    )
    status, evidence = cells(table, "umbrella")["ONBOARD.2"]
    assert status is Status.FAIL and "bare default template" in evidence
    assert table.may_onboard_now == ()


def test_a_template_changed_since_the_first_call_is_judged_from_the_history(
    settings: Settings, plan_dir: Path, policies: Path, store: duckdb.DuckDBPyConnection
) -> None:
    plan = load_plan(plan_dir)
    tool_call(settings, policies, "acme")
    ingest_decision_records(store, settings.audit_dir)
    # The revision in force at the first call is observed (recorded) before the file changes ...
    evaluate_onboarding(store, plan, now=NOW)
    text = (policies / "acme.yaml").read_text()
    (policies / "acme.yaml").write_text(text.replace("registry.npmjs.org, ", ""))
    status, evidence = cells(evaluate_onboarding(store, plan), "acme")["ONBOARD.2"]
    assert status is Status.PASS, evidence
    # ... and without that history the old revision is honestly unknown, never a pass.
    store.execute("DELETE FROM policy_revisions")
    status, evidence = cells(evaluate_onboarding(store, plan), "acme")["ONBOARD.2"]
    assert status is Status.UNKNOWN and "not in the policy history" in evidence


def test_no_call_yet_passes_only_with_a_template_and_a_broken_template_is_an_error(
    plan_dir: Path, policies: Path, store: duckdb.DuckDBPyConnection
) -> None:
    plan = load_plan(plan_dir)
    table = evaluate_onboarding(store, plan, orgs=[COMPLETE, {**COMPLETE, "tenant": "acme"}])
    assert cells(table, "umbrella")["ONBOARD.2"] == (
        Status.FAIL,
        "no tenant template (umbrella.yaml) configured",
    )
    assert cells(table, "acme")["ONBOARD.2"][0] is Status.PASS
    (policies / "acme.yaml").write_text("version: 1\nextends: default\nbogus: [\n")
    status, evidence = cells(
        evaluate_onboarding(store, plan, orgs=[{**COMPLETE, "tenant": "acme"}]), "acme"
    )["ONBOARD.2"]
    assert status is Status.ERROR and "acme.yaml does not load" in evidence
    assert observe_policy(policies, "acme").revision is None


@pytest.mark.parametrize(
    "change, guardrail, evidence",
    [
        (lambda o: o.pop("contract"), "ONBOARD.1", "no contract on file"),
        (lambda o: o["contract"].update(excludes_regulated_workloads=False), "ONBOARD.1", "does not exclude"),
        (lambda o: o.pop("pilot_success_criteria"), "ONBOARD.3", "no pilot success criteria document"),
        (lambda o: o["pilot_success_criteria"].pop("kpis"), "ONBOARD.3", "no KPIs"),
        (lambda o: o["contacts"].pop("incident"), "ONBOARD.4", "no reachable incident contact"),
        (lambda o: o["contacts"]["rollback"][0].pop("phone"), "ONBOARD.4", "no reachable rollback contact"),
        (lambda o: o.pop("contacts"), "ONBOARD.4", "no reachable incident or rollback contact"),
    ],
)  # fmt: skip
def test_each_missing_piece_fails_its_guardrail_only(
    plan_dir: Path, policies: Path, store: duckdb.DuckDBPyConnection, change: Any, guardrail: str,
    evidence: str,
) -> None:  # fmt: skip
    (policies / "umbrella.yaml").write_text("version: 1\nextends: default\nname: umbrella\n")
    org = json.loads(json.dumps(COMPLETE))
    change(org)
    table = evaluate_onboarding(store, load_plan(plan_dir), orgs=[org], tree_passes=True)
    got = cells(table, "umbrella")
    assert got[guardrail][0] is Status.FAIL and evidence in got[guardrail][1]
    assert all(s is Status.PASS for g, (s, _) in got.items() if g != guardrail)
    assert table.may_onboard_now == ()


def test_an_unbound_guardrail_is_unknown_for_everyone(
    plan_dir: Path, policies: Path, store: duckdb.DuckDBPyConnection
) -> None:
    data = yaml.safe_load((plan_dir / "bindings.yaml").read_text())
    del data["bindings"]["ONBOARD.3"]
    (plan_dir / "bindings.yaml").write_text(yaml.safe_dump(data))
    table = evaluate_onboarding(store, load_plan(plan_dir), tree_passes=True)
    assert {cells(table, o.tenant)["ONBOARD.3"][0] for o in table.orgs} == {Status.UNKNOWN}
    assert table.may_onboard_now == ()
    bind(plan_dir, "ONBOARD.3", check="pilot_success_criteria")
    assert evaluate_onboarding(store, load_plan(plan_dir), tree_passes=True).may_onboard_now == (
        "acme",
    )


def test_a_bad_onboarding_file_names_its_line(
    plan_dir: Path, policies: Path, store: duckdb.DuckDBPyConnection
) -> None:
    path = plan_dir / "onboarding.yaml"
    data = yaml.safe_load(path.read_text())
    data["organizations"].append(dict(data["organizations"][0]))
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(PlanError) as exc:
        evaluate_onboarding(store, load_plan(plan_dir))
    assert (
        exc.value.path == "organizations[3].tenant"
        and "second record for tenant 'acme'" in exc.value.reason
    )
    assert exc.value.line is not None
    path.write_text(
        path.read_text().replace(
            "excludes_regulated_workloads: true", "excludes_regulated_workloads: maybe", 1
        )
    )
    with pytest.raises(PlanError) as exc:
        evaluate_onboarding(store, load_plan(plan_dir))
    assert (
        "excludes_regulated_workloads" in exc.value.path
        and "is not of type 'boolean'" in exc.value.reason
    )


def test_plan_onboarding_cli(settings: Settings, plan_dir: Path, policies: Path) -> None:
    app = typer.Typer()
    cli_plan.register(app)
    r = CliRunner().invoke(app, ["plan", "onboarding", "--plan", str(plan_dir), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert [o["tenant"] for o in data["orgs"]] == ["acme", "globex", "initech"]
    assert data["may_onboard_now"] == [] and data["tree_passes"] is None
    text = CliRunner().invoke(app, ["plan", "onboarding", "--plan", str(plan_dir)]).output
    assert "First 10 Paying Orgs Onboarding Guardrails (DEMO DATA):" in text
    assert "May be onboarded now: none" in text
