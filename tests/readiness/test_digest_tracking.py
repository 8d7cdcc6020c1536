"""The digest's five sections from `tracking_entries`: escalations on top, missing updates,
decisions open until resolved, demo days, tracking files kept, tenants apart."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from assets.digest.digest import build_digest, write_daily_digest
from assets.planning.tracking import EntryInput, add_entry, write_demo_entries
from assets.readiness.plan import load_plan
from assets.readiness.record import evaluate_and_record, record_decision
from tests.readiness.conftest import NOW, write_yaml

TODAY = NOW.date()


def _add(con: duckdb.DuckDBPyConnection, plan_dir: Path, ws: str, day: date, **items: tuple[str, ...]) -> None:  # fmt: skip
    add_entry(con, load_plan(plan_dir), EntryInput(ws, day, f"{ws} lead", **items), NOW)


def _section(d: dict, title: str) -> list[dict]:  # type: ignore[type-arg]
    return next(s["items"] for s in d["sections"] if s["title"] == title)


def test_sections_fill_from_the_days_entries_in_the_plans_order(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    _add(
        con,
        plan_dir,
        "WS1",
        TODAY,
        planned_today=("rotate tokens",),
        done_today=("KMS key picked",),
    )
    _add(con, plan_dir, "WS3", TODAY, risks_blockers=("soak cluster not booked",))
    _add(con, plan_dir, "WS2", TODAY - timedelta(days=1), planned_today=("yesterday's plan",))
    plan = load_plan(plan_dir)
    d = build_digest(con, plan, TODAY)
    assert [s["title"] for s in d["sections"]] == [f.text for f in plan.tracking_fields]
    assert [(i["workstream"], i["text"]) for i in _section(d, "Planned today")] == [
        ("WS1", "rotate tokens")
    ]
    assert _section(d, "Risks/blockers")[0] | {} == {
        "workstream": "WS3", "text": "soak cluster not booked", "author": "WS3 lead", "note": "",
        "evidence_ids": []}  # fmt: skip
    progress = _section(d, "Exit criteria progress (% and evidence links)")
    assert [i["workstream"] for i in progress] == [ws.id for ws in plan.workstreams]


def test_a_workstream_without_todays_entry_is_listed_as_missing(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    _add(con, plan_dir, "WS0", TODAY, done_today=("x",))
    _add(con, plan_dir, "WS1", TODAY - timedelta(days=1), done_today=("y",))  # yesterday only
    d = build_digest(con, load_plan(plan_dir), TODAY)
    missing = [m["workstream"] for m in d["missing_updates"]]
    assert "WS0" not in missing and "WS1" in missing and missing == sorted(missing)
    assert {m["owner"] for m in d["missing_updates"] if m["workstream"] == "WS1"} == {
        "Backend Lead + Security Lead"
    }
    files = write_daily_digest(con, load_plan(plan_dir), TODAY, tmp_path / "out")
    md = files["md"].read_text()
    assert "**Missing today's update:** WS1 (Backend Lead + Security Lead)" in md
    assert 'id="missing-updates"' in files["html"].read_text()


def test_a_workstream_before_its_window_owes_no_update(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    d = build_digest(con, load_plan(plan_dir), date(2026, 2, 17))
    # WS0 and WS1 started February 16; WS2 starts February 20.
    assert [m["workstream"] for m in d["missing_updates"]] == ["WS0", "WS1"]


@pytest.mark.parametrize(("age", "escalated"), [(0, False), (1, False), (2, False), (3, True), (9, True)])  # fmt: skip
def test_open_decisions_older_than_two_days_are_escalated_at_the_top(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path, age: int, escalated: bool
) -> None:
    _add(
        con,
        plan_dir,
        "WS0",
        TODAY - timedelta(days=age),
        decision_needed=("break-glass for staging?",),
    )
    plan = load_plan(plan_dir)
    d = build_digest(con, plan, TODAY)
    assert [e["text"] for e in d["escalations"]] == (
        ["break-glass for staging?"] if escalated else []
    )
    assert [i["text"] for i in _section(d, "Decision needed")] == ["break-glass for staging?"]
    md = write_daily_digest(con, plan, TODAY, tmp_path / "out")["md"].read_text()
    if escalated:
        top = md.index("## Escalated: decisions open more than two days")
        assert top < md.index("## Planned today") and f"open {age} days" in md


def test_a_resolved_decision_leaves_the_digest(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    _add(con, plan_dir, "WS1", TODAY - timedelta(days=5), decision_needed=("Which KMS key?",))
    _add(con, plan_dir, "WS1", TODAY - timedelta(days=1), decisions_resolved=("which  KMS key?",))
    d = build_digest(con, load_plan(plan_dir), TODAY)
    assert d["escalations"] == [] and _section(d, "Decision needed") == []


def test_an_edit_replaces_the_days_entry_and_history_stays(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    _add(con, plan_dir, "WS0", TODAY, planned_today=("first draft",))
    _add(con, plan_dir, "WS0", TODAY, planned_today=("second draft",))
    d = build_digest(con, load_plan(plan_dir), TODAY)
    assert [i["text"] for i in _section(d, "Planned today")] == ["second draft"]
    assert d["entries"][0]["version"] == 2
    versions = con.execute("SELECT count(*) FROM tracking_entries").fetchone()
    assert versions == (2,)


def test_tracking_files_still_count_for_their_day(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    write_yaml(plan_dir / "tracking" / f"{TODAY}.yaml",
               {"date": TODAY.isoformat(), "author": "Release captain", "done_today": ["tagged rc1"]})  # fmt: skip
    _add(con, plan_dir, "WS4", TODAY, done_today=("e2e gate green",))
    d = build_digest(con, load_plan(plan_dir), TODAY)
    done = _section(d, "Done today")
    assert [(i["workstream"], i["text"], i["author"]) for i in done] == [
        ("WS4", "e2e gate green", "WS4 lead"), ("", "tagged rc1", "Release captain")]  # fmt: skip
    assert done[1]["note"] == f"from {TODAY}.yaml"


def test_entries_of_another_tenant_stay_out(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    plan = load_plan(plan_dir)
    add_entry(con, plan, EntryInput("WS0", TODAY, "bot", done_today=("acme only",), tenant_id="acme"), NOW)  # fmt: skip
    assert _section(build_digest(con, plan, TODAY), "Done today") == []
    acme = build_digest(con, plan, TODAY, tenant_id="acme")
    assert [i["text"] for i in _section(acme, "Done today")] == ["acme only"]


def test_demo_days_fill_all_five_sections_with_the_plans_owners(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    plan = load_plan(plan_dir)
    write_demo_entries(con, plan, TODAY, NOW)
    record_decision(con, plan, evaluate_and_record(con, plan, NOW))
    d = build_digest(con, plan, TODAY)
    assert all(s["items"] for s in d["sections"]), [
        (s["title"], len(s["items"])) for s in d["sections"]
    ]
    assert d["is_demo"] and d["escalations"] and d["missing_updates"]
    owners = {ws.owner for ws in plan.workstreams}
    authors = {i["author"].removesuffix(" (demo)") for s in d["sections"] for i in s["items"] if i["author"]}  # fmt: skip
    assert authors and authors <= owners
    md = write_daily_digest(con, plan, TODAY, tmp_path / "out")["md"].read_text()
    assert "DEMO DATA" in md and "_nothing recorded_" not in md


def test_past_days_read_history_only(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> None:
    plan = load_plan(plan_dir)
    write_demo_entries(con, plan, TODAY, NOW)
    earlier = TODAY - timedelta(days=2)
    d = build_digest(con, plan, earlier)
    # The demo's WS2 entry of that day is there; today's entries are not.
    planned = [(i["workstream"], i["text"]) for i in _section(d, "Planned today")]
    assert all(ws != "WS4" for ws, _ in planned)
    assert d["date"] == earlier.isoformat() and datetime.now(UTC).date() >= earlier
