"""The plan as data: the shipped plan is complete, and a bad plan names file, path and reason."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.readiness.plan import PlanError, load_plan
from pipelines.settings import DEFAULT_PLAN_DIR
from tests.readiness.conftest import attest, attestation, write_yaml

# Word for word from the plan (../shared/seeds/000_18e3d01628d6290f.txt); test_plan_verbatim.py
# compares every other string of it.
EXIT_CRITERIA = {
    "WS0": [
        "Arbitrary destructive command execution is blocked by default.",
        "Every tool invocation has a policy decision record.",
        "Redaction tests prove secrets are not emitted in logs/events.",
        "Security regression tests cover bypass and prompt-injection abuse cases.",
    ],
    "WS1": [
        "No known auth bypass path in manual review and automated tests.",
        "Secrets at rest are encrypted and key-rotation procedure is documented.",
        "Security suite is mandatory and green in CI on main branch.",
    ],
    "WS2": [
        "Cross-tenant access tests fail closed and pass in CI.",
        "Queue/cache namespaces are tenant-partitioned and documented.",
        "Data handling and retention boundaries are explicitly documented.",
    ],
    "WS3": [
        "Dashboards and alerts are live and validated with test incidents.",
        "7-day staging soak has no unresolved Sev-1/Sev-2 issues.",
        "On-call runbook is complete and used in at least one drill.",
    ],
    "WS4": [
        "CI blocks merges on required checks (backend, frontend, extension, security).",
        "Release candidate passes E2E gate two consecutive runs.",
        "Single readiness document is authoritative and current.",
    ],
    "WS5": [
        "Benchmark methodology and data are reproducible.",
        "Claims are mapped to evidence artifacts.",
        "Sales/demo one-pager reflects actual platform behavior.",
    ],
}
TITLES = {
    "WS0": "Tool Sandbox + Policy Layer",
    "WS1": "Core Security Hardening",
    "WS2": "Tenant Isolation + Data Boundaries",
    "WS3": "Observability + SLO Operations",
    "WS4": "Quality Gates + Release Hygiene",
    "WS5": "Competitive Proof Pack",
}


def _plan_yaml(plan_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((plan_dir / "plan.yaml").read_text())
    return data


def _rewrite(plan_dir: Path, data: dict[str, Any], name: str = "plan.yaml") -> None:
    # Dates must stay strings, as an author would write them.
    (plan_dir / name).write_text(yaml.safe_dump(data, sort_keys=False, default_style=None))


def _bindings(plan_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((plan_dir / "bindings.yaml").read_text())
    return data


def test_shipped_plan_has_every_workstream_and_exit_criterion_word_for_word() -> None:
    plan = load_plan(DEFAULT_PLAN_DIR)
    assert {w.id: w.title for w in plan.workstreams} == TITLES
    for ws in plan.workstreams:
        assert [c.text for c in ws.exit_criteria] == EXIT_CRITERIA[ws.id]
        assert ws.owner and ws.priority in ("P0", "P1") and ws.start <= ws.end and ws.scope
        assert all(c.evaluable for c in ws.exit_criteria)
    assert plan.gate.consequences == (
        "Continue controlled pilot only.", "No broad org onboarding.", "No enterprise SLA commitments.",
    )  # fmt: skip
    assert len(plan.decision_tree) == 5 and len(plan.gate.conditions) == 6
    assert [t for _, t in plan.guardrails] == [
        "Contractual scope excludes regulated workloads until compliance controls are complete.",
        "Tenant-by-tenant policy templates are pre-configured before first run.",
        "Pilot success criteria are agreed in writing (workflows, KPIs, acceptance bar).",
        "Incident communication and rollback contacts are defined for each customer.",
    ]
    assert [s for s, _, _ in plan.tracking_sections] == [
        "planned_today", "done_today", "risks_blockers", "decision_needed", "exit_criteria_progress",
    ]  # fmt: skip
    assert plan.version


def test_shipped_plan_uses_the_contracted_evidence_kinds() -> None:
    plan = load_plan(DEFAULT_PLAN_DIR)
    kinds = {c.id: (c.evaluation or {}).get("kind") for c in plan.criteria()}
    assert kinds["WS0.1"] == "policy.destructive_blocked"
    assert kinds["WS0.2"] == "policy.decision_coverage"
    assert kinds["WS0.3"] == "redaction.leak_scan"
    assert kinds["WS3.1"] == "slo.alert_drills"
    assert kinds["WS0.S3"] == "sandbox.resource_limits"
    assert "tests.security_regression" in str(plan.criterion("WS0.4").evaluation)


def test_shipped_plan_claims_nothing() -> None:
    """No attestation or waiver ships: nobody has signed anything off."""
    plan = load_plan(DEFAULT_PLAN_DIR)
    assert plan.attestations == () and plan.waivers == ()


def _error(plan_dir: Path) -> PlanError:
    with pytest.raises(PlanError) as exc:
        load_plan(plan_dir)
    return exc.value


def test_missing_owner_names_file_path_and_reason(plan_dir: Path) -> None:
    data = _plan_yaml(plan_dir)
    del data["workstreams"][2]["owner"]
    _rewrite(plan_dir, data)
    err = _error(plan_dir)
    assert err.file.endswith("plan.yaml")
    assert err.path == "workstreams[2]"
    assert "'owner' is a required property" in err.reason
    assert err.line is not None and str(err).startswith(f"{err.file}:{err.line}: workstreams[2]:")


def test_bad_priority_points_at_the_field_and_line(plan_dir: Path) -> None:
    text = (plan_dir / "plan.yaml").read_text().replace("priority: P1", "priority: urgent", 1)
    (plan_dir / "plan.yaml").write_text(text)
    err = _error(plan_dir)
    assert err.path == "workstreams[4].priority"
    assert "'urgent' does not match" in err.reason
    line = text.splitlines()[err.line - 1]  # type: ignore[operator]
    assert "urgent" in line


def test_bad_threshold_inside_evaluation(plan_dir: Path) -> None:
    data = _bindings(plan_dir)
    data["bindings"]["WS0.1"]["evaluation"]["pass_if"] = "at least one"
    _rewrite(plan_dir, data, "bindings.yaml")
    err = _error(plan_dir)
    assert err.file.endswith("bindings.yaml")
    assert err.path == "bindings.WS0.1.evaluation.pass_if"
    assert "does not match" in err.reason


def test_unknown_reference_in_decision_tree(plan_dir: Path) -> None:
    data = _bindings(plan_dir)
    data["bindings"]["TREE.2"]["criteria"].append("WS9.9")
    _rewrite(plan_dir, data, "bindings.yaml")
    err = _error(plan_dir)
    assert err.path == "bindings.TREE.2.criteria[3]" and "unknown criterion 'WS9.9'" in err.reason


def test_duplicate_criterion_id(plan_dir: Path) -> None:
    data = _plan_yaml(plan_dir)
    data["workstreams"][1]["exit_criteria"][0]["id"] = "WS0.1"
    _rewrite(plan_dir, data)
    err = _error(plan_dir)
    assert err.path == "workstreams[1].exit_criteria[0].id" and "duplicate id 'WS0.1'" in err.reason


@pytest.mark.parametrize(
    "query, reason",
    [
        ("DELETE FROM evidence_items", "must be a SELECT"),
        ("SELECT 'pass' AS status; DROP TABLE evidence_items", "exactly one statement"),
        ("SELEKT nothing", "does not parse"),
    ],
)
def test_sql_criteria_must_be_one_select(plan_dir: Path, query: str, reason: str) -> None:
    data = _bindings(plan_dir)
    data["bindings"]["WS2.1"]["evaluation"] = {"type": "sql", "query": query}
    _rewrite(plan_dir, data, "bindings.yaml")
    err = _error(plan_dir)
    assert err.path == "bindings.WS2.1.evaluation" and reason in err.reason


def test_invalid_yaml_reports_line(plan_dir: Path) -> None:
    text = (plan_dir / "plan.yaml").read_text().splitlines()
    text[20] = text[20] + " : : ["
    (plan_dir / "plan.yaml").write_text("\n".join(text))
    err = _error(plan_dir)
    assert "invalid YAML" in err.reason and err.line is not None and 20 <= err.line <= 23


def test_impossible_date(plan_dir: Path) -> None:
    data = _plan_yaml(plan_dir)
    data["workstreams"][3]["dates"]["end"] = "2026-02-30"
    _rewrite(plan_dir, data)
    err = _error(plan_dir)
    assert err.path == "workstreams[3].dates.end" and "day is out of range" in err.reason


def test_waiver_for_unknown_criterion(plan_dir: Path) -> None:
    write_yaml(
        plan_dir / "waivers.yaml",
        {
            "waivers": [
                {
                    "id": "W1",
                    "scope": "WS7.1",
                    "justification": "x",
                    "approver": "CTO",
                    "granted": "2026-11-20",
                    "expires": "2026-12-20",
                }
            ]
        },  # fmt: skip
    )
    err = _error(plan_dir)
    assert (
        err.file.endswith("waivers.yaml")
        and err.path == "waivers[0].scope"
        and "WS7.1" in err.reason
    )


def test_attestation_missing_expiry(plan_dir: Path) -> None:
    a = attestation("WS1.2")
    del a["expires"]
    attest(plan_dir, [a])
    err = _error(plan_dir)
    assert err.file.endswith("attestations.yaml") and err.path == "attestations[0]"
    assert "'expires' is a required property" in err.reason


def test_tracking_entry_with_unknown_section(plan_dir: Path) -> None:
    write_yaml(
        plan_dir / "tracking" / "2026-12-01.yaml", {"date": "2026-12-01", "done_todya": ["typo"]}
    )
    err = _error(plan_dir)
    assert err.file.endswith("2026-12-01.yaml") and "done_todya" in err.reason


def test_plan_hash_changes_with_any_plan_file(plan_dir: Path) -> None:
    before = load_plan(plan_dir).content_hash
    attest(plan_dir, [attestation("WS1.2")])
    assert load_plan(plan_dir).content_hash != before


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=2),
)


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _paths(v, prefix + (i,))
    return out


_FILES = {
    name: yaml.load((DEFAULT_PLAN_DIR / name).read_text(), Loader=yaml.BaseLoader)
    for name in ("plan.yaml", "bindings.yaml")
}
_TARGETS = [(name, path) for name, data in _FILES.items() for path in _paths(data)]


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(target=st.sampled_from(_TARGETS), value=_SCALARS, drop=st.booleans())
def test_any_mutation_loads_or_fails_with_plan_error(tmp_path_factory: pytest.TempPathFactory,
                                                     target: tuple[str, tuple[Any, ...]], value: Any,
                                                     drop: bool) -> None:  # fmt: skip
    """Whatever an author breaks in plan.yaml or bindings.yaml, the loader answers with a
    PlanError (never a crash), and what loads still evaluates every exit criterion."""
    name, path = target
    data = copy.deepcopy(_FILES[name])
    node = data
    for key in path[:-1]:
        node = node[key]
    if drop and isinstance(node, dict):
        del node[path[-1]]
    else:
        node[path[-1]] = value
    d = tmp_path_factory.mktemp("fuzz")
    for other in _FILES:
        (d / other).write_text((DEFAULT_PLAN_DIR / other).read_text())
    (d / name).write_text(yaml.safe_dump(data))
    try:
        plan = load_plan(d)
    except PlanError as exc:
        # A plan.yaml change can orphan a binding: then bindings.yaml is the file to fix.
        assert exc.reason and exc.file.endswith(name if name == "bindings.yaml" else ".yaml")
    else:
        assert all(c.evaluable for c in plan.exit_criteria())
