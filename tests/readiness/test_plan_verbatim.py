"""The shipped plan is the seed's text, word for word; evaluations live beside it, by id."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from assets.planning.markdown_plan import render_plan_markdown
from assets.readiness.decision import StatusView, decide
from assets.readiness.plan import PlanError, load_plan
from assets.readiness.statuses import Status
from gonogo.config import DEFAULT_PLAN_DIR
from tests.readiness.conftest import write_yaml

SEED_NAME = "seeds/000_18e3d01628d6290f.txt"  # the plan in its authors' words, in ../shared

# Values that are ours, not the plan's: ids, keys, ISO forms of the plan's dates, our version.
_OURS = {"id", "version", "start", "end", "date", "key", "schema_version"}


@pytest.fixture(scope="module")
def seed(shared: Path) -> str:
    return (shared / SEED_NAME).read_text(encoding="utf-8")


def _plan_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEFAULT_PLAN_DIR / "plan.yaml").read_text())
    return data


def _strings(obj: Any, key: str | None = None) -> list[str]:
    """Every string value of the plan that is the plan's own text."""
    if key in _OURS:
        return []
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in _strings(v, k)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


def test_the_shipped_plan_renders_back_to_the_seed_byte_for_byte(seed: str) -> None:
    """Nothing of the seed is missing or altered: the plan file writes the seed out again."""
    assert render_plan_markdown(_plan_data()) == seed.rstrip("\n") + "\n"


def test_every_text_of_the_shipped_plan_is_in_the_seed_unchanged(seed: str) -> None:
    """Nothing is invented or paraphrased: each string of plan.yaml occurs in the seed as is."""
    strings = _strings(_plan_data())
    assert len(strings) > 100
    invented = [s for s in strings if s not in seed]
    assert not invented


def test_each_seed_line_is_one_plan_string_or_a_label_and_its_value(seed: str) -> None:
    """Line by line, independently of the renderer: every line of the seed, minus its markdown,
    is a string of the plan, or a canonical label followed by one."""
    strings = set(_strings(_plan_data()))
    labels = ("Date window", "Status", "Primary outcome", "Current maturity", "Recommended path",
              "Owner", "Dates")  # fmt: skip
    bare_labels = {"Execution policy:", "Scope:", "Exit criteria:"}
    for raw in seed.splitlines():
        line = raw.strip()
        if not line:
            continue
        for prefix in ("#", "- "):
            line = line.lstrip("#").strip() if prefix == "#" else line.removeprefix(prefix)
        if line in strings or line in bare_labels:
            continue
        label, _, value = line.partition(": ")
        if label in labels and value in strings:
            continue
        if (
            label.startswith("Workstream ")
            or line.startswith(("If ", "Week "))
            or line[0].isdigit()
        ):
            continue  # composed lines (numbers, ids, dates): checked by the byte-for-byte render
        raise AssertionError(f"seed line not in the plan: {raw!r}")


def test_real_owners_dates_and_paths() -> None:
    plan = load_plan(DEFAULT_PLAN_DIR)
    ws0 = plan.workstream("WS0")
    assert ws0.owner == "Platform Security + Agent Runtime"
    assert (ws0.start, ws0.end, ws0.dates_text) == (
        date(2026, 2, 16), date(2026, 2, 27), "February 16 to February 27, 2026",
    )  # fmt: skip
    assert plan.criterion("WS0.1").owner == "Platform Security + Agent Runtime"
    assert {w.id: w.owner for w in plan.workstreams} == {
        "WS0": "Platform Security + Agent Runtime", "WS1": "Backend Lead + Security Lead",
        "WS2": "Platform Lead + Data Lead", "WS3": "SRE + Platform Lead",
        "WS4": "QA Lead + Frontend Lead + Eng Manager", "WS5": "Product + Developer Experience",
    }  # fmt: skip
    assert plan.gate.decision_date == date(2026, 3, 17) and plan.gate.date_text == "March 17, 2026"
    assert (plan.start, plan.end) == (date(2026, 2, 16), date(2026, 3, 17))
    assert [w.dates.text for w in plan.weeks] == [
        "February 16 to February 22", "February 23 to March 1", "March 2 to March 8", "March 9 to March 17",
    ]  # fmt: skip
    assert plan.weeks[1].dates.end == date(2026, 3, 1)
    sso = plan.criterion("WS1.S1").text
    assert (
        "`/Users/mounikakapa/dev/autonomous-engineering-platform/backend/api/routers/sso.py`" in sso
    )
    assert (
        plan.decision_rule
        == "If all five answers pass, proceed with limited enterprise onboarding."
    )
    assert [f.text for f in plan.tracking_fields] == [
        "Planned today", "Done today", "Risks/blockers", "Decision needed",
        "Exit criteria progress (% and evidence links)",
    ]  # fmt: skip


def test_plan_yaml_holds_text_only_and_every_item_is_bound_beside_it() -> None:
    def keys(obj: Any) -> set[str]:
        if isinstance(obj, dict):
            return set(obj) | {k for v in obj.values() for k in keys(v)}
        if isinstance(obj, list):
            return {k for v in obj for k in keys(v)}
        return set()

    assert not keys(_plan_data()) & {"evaluation", "criteria", "workstreams_", "check", "pass_if"}
    plan = load_plan(DEFAULT_PLAN_DIR)
    bound = set(plan.bindings)
    assert {c.id for c in plan.exit_criteria()} <= bound
    assert {c.id for c in plan.gate.conditions} | {q.id for q in plan.decision_tree} <= bound
    assert {g.id for g in plan.onboarding} | {f.id for f in plan.tracking_fields} <= bound
    assert all((c.evaluation or {}).get("type") != "unbound" for c in plan.exit_criteria())
    assert all(q.criteria for q in plan.decision_tree) and all(g.check for g in plan.onboarding)


def test_gate_conditions_are_the_plans_six_with_their_bindings() -> None:
    plan = load_plan(DEFAULT_PLAN_DIR)
    conds = {c.id: c for c in plan.gate.conditions}
    assert [c.text for c in plan.gate.conditions] == [
        "Workstream 0 exit criteria are fully complete.", "Workstream 1 exit criteria are fully complete.",
        "Workstream 2 exit criteria are fully complete.", "Workstream 3 exit criteria are fully complete.",
        "Required CI gates are enforced on main.", "Rollback and incident drills are completed.",
    ]  # fmt: skip
    assert conds["GATE.1"].workstreams == ("WS0",) and conds["GATE.5"].criteria == (
        "WS4.1",
        "WS1.3",
    )
    # The rollback drill has no exit criterion: the condition itself is attested.
    assert conds["GATE.6"].criteria == ("GATE.6", "WS3.1", "WS3.3")
    assert plan.criterion("GATE.6").evaluation == {"type": "all_of", "of": [
        {"type": "evidence", "kind": "ops.rollback_drills", "pass_if": ">= 1"},
        {"type": "evidence", "kind": "ops.incident_drills", "pass_if": ">= 1"}]}  # fmt: skip
    assert plan.gate.lead == "Broad rollout is allowed only if all are true:"
    assert plan.gate.consequences_lead == "If any P0 exit criterion is incomplete:"


@pytest.mark.parametrize(
    "failing, expected",
    [("WS2.1", ("TREE.2", "yes")), ("WS0.3", ("TREE.3", "no")), ("WS3.3", ("TREE.4", "no"))],
)
def test_decision_tree_answers_in_the_questions_own_terms(
    failing: str, expected: tuple[str, str]
) -> None:
    """Question 2 asks whether a tenant *can* reach another's data: failing isolation is "yes"."""
    plan = load_plan(DEFAULT_PLAN_DIR)
    ids = [c.id for c in plan.evaluable_criteria()]
    views = {c: StatusView(c, Status.FAIL if c == failing else Status.PASS) for c in ids}
    answers = {a.id: a for a in decide(plan, views).answers}
    qid, answer = expected
    assert answers[qid].answer == answer and answers[qid].passes is False
    assert answers[qid].outcome == "not enterprise ready."
    assert all(a.passes for a in answers.values() if a.id != qid and failing not in
               [v.criterion_id for v in a.criteria])  # fmt: skip
    good = decide(plan, {c: StatusView(c, Status.PASS) for c in ids}).answers
    assert [a.answer for a in good] == ["yes", "no", "yes", "yes", "yes"]


def _error(plan_dir: Path) -> PlanError:
    with pytest.raises(PlanError) as exc:
        load_plan(plan_dir)
    return exc.value


def _bindings(plan_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((plan_dir / "bindings.yaml").read_text())
    return data


def test_dates_that_disagree_with_the_plans_words_are_refused(plan_dir: Path) -> None:
    text = (plan_dir / "plan.yaml").read_text()
    (plan_dir / "plan.yaml").write_text(
        text.replace("start: '2026-02-20'", "start: '2026-02-21'", 1)
    )
    err = _error(plan_dir)
    assert err.path == "workstreams[2].dates" and err.line is not None
    assert "'February 20 to March 3, 2026' means 2026-02-20 to 2026-03-03" in err.reason


def test_gate_date_that_disagrees_is_refused(plan_dir: Path) -> None:
    text = (plan_dir / "plan.yaml").read_text()
    (plan_dir / "plan.yaml").write_text(text.replace("date: '2026-03-17'", "date: '2026-12-17'"))
    err = _error(plan_dir)
    assert err.path == "gate.date" and "means 2026-03-17" in err.reason


@pytest.mark.parametrize(
    "mutate, path, reason",
    [
        (lambda b: b["bindings"].update({"WS9.1": {"evaluation": {"type": "attestation"}}}),
         "bindings.WS9.1", "plan.yaml has no item 'WS9.1'"),
        (lambda b: b["bindings"]["WS0.1"].update({"check": "contacts"}),
         "bindings.WS0.1.check", "'check' does not apply to a exit criterion"),
        (lambda b: b["bindings"]["GATE.1"].update({"workstreams": ["WS7"]}),
         "bindings.GATE.1.workstreams[0]", "unknown workstream 'WS7'"),
        (lambda b: b["bindings"]["TREE.1"].update({"criteria": ["WS0.S1"]}),
         "bindings.TREE.1.criteria[0]", "WS0.S1 is not evaluated"),
        (lambda b: b["bindings"]["WEEK1.1"].update({"started": ["WS8"]}),
         "bindings.WEEK1.1.started[0]", "unknown workstream 'WS8'"),
        (lambda b: b.update({"plan": "another-plan"}), "plan", "binds plan 'another-plan'"),
        (lambda b: b["bindings"]["ONBOARD.1"].update({"check": "vibes"}),
         "bindings.ONBOARD.1.check", "is not one of"),
        (lambda b: b["bindings"]["TRACK.2"].update({"field": "planned_today"}),
         "bindings.TRACK.2.field", "already TRACK.1's"),
    ],
)  # fmt: skip
def test_bad_bindings_name_file_line_path_and_reason(
    plan_dir: Path, mutate: Any, path: str, reason: str
) -> None:
    data = _bindings(plan_dir)
    mutate(data)
    write_yaml(plan_dir / "bindings.yaml", data)
    err = _error(plan_dir)
    assert err.file.endswith("bindings.yaml") and err.path == path and reason in err.reason
    assert err.line is not None and str(err).startswith(f"{err.file}:{err.line}: {path}:")


def test_without_bindings_everything_is_unknown_never_pass(plan_dir: Path, con: Any) -> None:
    from assets.readiness.criteria import evaluate_plan
    from tests.readiness.conftest import NOW, evidence

    (plan_dir / "bindings.yaml").unlink()
    evidence(con, "policy.destructive_blocked", 1.0)
    plan = load_plan(plan_dir)
    verdicts = evaluate_plan(con, plan, NOW)
    exit_ids = {c.id for c in plan.exit_criteria()}
    assert {v.criterion_id for v in verdicts} >= exit_ids
    assert {v.status for v in verdicts} == {Status.UNKNOWN}
    assert all("no evaluation bound" in v.evaluation.reason for v in verdicts)
    d = decide(plan, {v.criterion_id: StatusView(v.criterion_id, v.status) for v in verdicts})
    assert d.decision == "NO-GO" and not any(c.met for c in d.conditions)


def test_plan_validate_points_at_the_bindings_line(plan_dir: Path) -> None:
    import typer

    from gonogo import cli_plan

    app = typer.Typer()
    cli_plan.register(app)
    text = (plan_dir / "bindings.yaml").read_text().replace("TREE.3: {criteria: [WS0.3]}",
                                                            "TREE.3: {criteria: [WS0.9]}")  # fmt: skip
    (plan_dir / "bindings.yaml").write_text(text)
    r = CliRunner().invoke(app, ["plan", "validate", str(plan_dir)])
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "WS0.9" in ln)
    assert r.exit_code == 2  # an invalid plan is bad input, as `plan validate` documents
    assert (
        f"bindings.yaml:{line}: bindings.TREE.3.criteria[0]: unknown criterion 'WS0.9'" in r.output
    )
