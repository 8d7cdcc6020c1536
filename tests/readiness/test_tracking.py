"""Daily tracking entries in DuckDB: versions, open decisions, escalation, the digest sections."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from assets.planning.tracking import (
    EntryInput,
    TrackingError,
    WorkstreamProgress,
    add_entry,
    demo_entries,
    entries,
    open_decisions,
    tracking_digest,
    write_demo_entries,
)
from assets.readiness.plan import load_plan
from assets.tables import open_store
from gonogo import cli_track
from gonogo.config import DEFAULT_PLAN_DIR, Settings

PLAN = load_plan(DEFAULT_PLAN_DIR)
DAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)
TOKEN = "ghp_" + "Z9" * 18  # GitHub-token shaped, built at run time


def entry(ws: str = "WS0", day: date = DAY, **items: tuple[str, ...]) -> EntryInput:
    return EntryInput(ws, day, "Priya (Platform Security)", **items)  # type: ignore[arg-type]


def test_an_edit_appends_a_version_and_history_is_kept(con: duckdb.DuckDBPyConnection) -> None:
    first = add_entry(con, PLAN, entry(planned_today=("wrapper unwrapping",)), NOW)
    assert first.entry.version == 1 and first.replaced is None
    second = add_entry(
        con, PLAN, entry(done_today=("wrapper unwrapping merged",)), NOW + timedelta(hours=1)
    )
    assert second.entry.version == 2 and second.replaced == 1
    (current,) = entries(con, PLAN.id, day=DAY)
    assert current.version == 2 and current.done_today == ("wrapper unwrapping merged",)
    assert current.planned_today == ()  # an edit is the day's whole update
    history = entries(con, PLAN.id, day=DAY, history=True)
    assert [e.version for e in history] == [1, 2]
    assert history[0].planned_today == ("wrapper unwrapping",)
    assert history[1].recorded_at == NOW + timedelta(hours=1) and history[1].author


def test_append_adds_to_the_days_entry_and_identical_is_a_no_op(
    con: duckdb.DuckDBPyConnection,
) -> None:
    add_entry(con, PLAN, entry(planned_today=("a",)), NOW)
    r = add_entry(con, PLAN, entry(planned_today=("b",), risks_blockers=("c",)), NOW, append=True)
    assert r.entry.planned_today == ("a", "b") and r.entry.risks_blockers == ("c",)
    again = add_entry(con, PLAN, entry(planned_today=("a", "b"), risks_blockers=("c",)), NOW)
    assert again.unchanged and again.entry.version == 2
    assert len(entries(con, PLAN.id, history=True)) == 2


def test_one_current_entry_per_workstream_per_day_and_tenant(
    con: duckdb.DuckDBPyConnection,
) -> None:
    add_entry(con, PLAN, entry("ws1", done_today=("x",)), NOW)  # id matched without case
    add_entry(con, PLAN, entry("WS1", done_today=("y",)), NOW)
    add_entry(con, PLAN, entry("WS1", day=DAY - timedelta(days=1), done_today=("z",)), NOW)
    add_entry(
        con,
        PLAN,
        EntryInput("WS1", DAY, "Globex PM", done_today=("theirs",), tenant_id="globex"),
        NOW,
    )
    mine = entries(con, PLAN.id)
    assert [(e.workstream, e.day, e.done_today) for e in mine] == [
        ("WS1", DAY - timedelta(days=1), ("z",)), ("WS1", DAY, ("y",)),
    ]  # fmt: skip
    assert [e.done_today for e in entries(con, PLAN.id, tenant_id="globex")] == [("theirs",)]


@pytest.mark.parametrize(
    "bad, reason",
    [
        (EntryInput("WS9", DAY, "a", done_today=("x",)), "unknown workstream 'WS9'"),
        (EntryInput("WS0", DAY + timedelta(days=1), "a", done_today=("x",)), "in the future"),
        (EntryInput("WS0", DAY, "", done_today=("x",)), "an author is required"),
        (EntryInput("WS0", DAY, "a", done_today=("  ", "\t")), "at least one item"),
        (EntryInput("WS0", DAY, "a", done_today=("x" * 1001,)), "longer than 1000"),
        (EntryInput("WS0", DAY, "a", done_today=tuple(str(i) for i in range(51))), "more than 50"),
        (EntryInput("WS0", DAY, "a", decisions_resolved=("never raised",)), "no open decision"),
        (EntryInput("WS0", DAY, "a", done_today=("x",), tenant_id="../acme"), "invalid tenant id"),
    ],
)
def test_bad_entries_are_refused_and_store_nothing(
    con: duckdb.DuckDBPyConnection, bad: EntryInput, reason: str
) -> None:
    with pytest.raises(TrackingError, match=reason):
        add_entry(con, PLAN, bad, NOW)
    assert entries(con, PLAN.id, history=True) == []


def test_free_text_is_redacted_and_flattened_before_it_is_stored(
    con: duckdb.DuckDBPyConnection,
) -> None:
    add_entry(con, PLAN, entry(risks_blockers=(f"CI token {TOKEN} leaked\ninto the log\x00",)), NOW)
    stored = con.execute("SELECT risks_blockers FROM tracking_entries").fetchone()[0][0]
    assert (
        TOKEN not in stored
        and "[REDACTED:" in stored
        and "\n" not in stored
        and "\x00" not in stored
    )


def test_decisions_stay_open_until_resolved_and_escalate_after_two_days(
    con: duckdb.DuckDBPyConnection,
) -> None:
    d0 = date(2026, 2, 20)
    q = "Allow break-glass for the staging drain?"
    add_entry(con, PLAN, entry(day=d0, decision_needed=(q,)), NOW)
    # Later entries that do not repeat it leave it open; the same words, any case, are one decision.
    add_entry(con, PLAN, entry(day=d0 + timedelta(days=1), done_today=("x",)), NOW)
    add_entry(con, PLAN, entry(day=d0 + timedelta(days=2), decision_needed=(q.upper() + ".",)), NOW)
    all_ = entries(con, PLAN.id)
    at = {n: open_decisions(all_, d0 + timedelta(days=n)) for n in range(5)}
    assert [len(at[n]) for n in range(5)] == [1, 1, 1, 1, 1]
    assert [(at[n][0].age_days, at[n][0].escalated) for n in (0, 2, 3)] == [
        (0, False),
        (2, False),
        (3, True),
    ]
    assert at[3][0].raised_on == d0 and at[3][0].text == q
    add_entry(con, PLAN, entry(day=d0 + timedelta(days=4), decisions_resolved=(q.lower(),)), NOW)
    all_ = entries(con, PLAN.id)
    assert open_decisions(all_, d0 + timedelta(days=4)) == []
    assert len(open_decisions(all_, d0 + timedelta(days=3))) == 1  # history is still answerable
    # Another workstream's decision with the same words is its own decision.
    add_entry(con, PLAN, entry("WS1", day=d0 + timedelta(days=4), decision_needed=(q,)), NOW)
    assert [
        d.workstream for d in open_decisions(entries(con, PLAN.id), d0 + timedelta(days=4))
    ] == ["WS1"]


def test_digest_sections_missing_updates_and_escalations(con: duckdb.DuckDBPyConnection) -> None:
    day = date(2026, 2, 26)
    add_entry(
        con, PLAN, entry("WS0", day=day - timedelta(days=3), decision_needed=("Break-glass?",)), NOW
    )
    add_entry(con, PLAN, entry("WS0", day=day, planned_today=("p0",), done_today=("d0",),
                               progress_notes=("https://ci.example/run/1",)), NOW)  # fmt: skip
    add_entry(
        con, PLAN, entry("WS1", day=day, risks_blockers=("r1",), decision_needed=("KMS key?",)), NOW
    )
    progress = [WorkstreamProgress("WS0", "Tool Sandbox + Policy Layer", 50.0, 2, 4, ("ev-1",))]
    d = tracking_digest(
        PLAN, entries(con, PLAN.id, until=day), day, progress=progress, complete={"WS3"}
    )
    # WS2 (started Feb 20) has no entry; WS3 is complete; WS4 and WS5 have not started yet.
    assert d.missing_updates == ("WS2",)
    assert [(e.workstream, e.text, e.age_days) for e in d.escalations] == [
        ("WS0", "Break-glass?", 3)
    ]
    sections = {s.field: s for s in d.sections}
    assert [s.title for s in d.sections] == [f.text for f in PLAN.tracking_fields]
    assert [(i.workstream, i.text) for i in sections["planned_today"].items] == [("WS0", "p0")]
    assert [(i.workstream, i.text) for i in sections["risks_blockers"].items] == [("WS1", "r1")]
    decisions = sections["decision_needed"].items
    assert [(i.workstream, i.text) for i in decisions] == [
        ("WS0", "Break-glass?"),
        ("WS1", "KMS key?"),
    ]
    assert (
        decisions[0].note == "raised 2026-02-23, open 3 days"
        and decisions[1].note == "raised today"
    )
    prog = sections["exit_criteria_progress"]
    assert prog.source == "verdicts" and prog.items[0].note == "50% (2/4)"
    assert (
        prog.items[0].evidence_ids == ("ev-1",)
        and prog.items[-1].text == "https://ci.example/run/1"
    )


def test_demo_entries_fill_every_section_and_are_marked(con: duckdb.DuckDBPyConnection) -> None:
    today = date(2026, 12, 2)
    now = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
    results = write_demo_entries(con, PLAN, today, now)
    assert results and all(r.entry.is_demo and "(demo)" in r.entry.author for r in results)
    assert {r.entry.day for r in results} == {today - timedelta(days=n) for n in range(5)}
    assert not any(r.unchanged for r in results)
    again = write_demo_entries(con, PLAN, today, now)
    assert all(r.unchanged for r in again)  # idempotent: no new versions
    progress = [
        WorkstreamProgress(w.id, w.title, 0.0, 0, len(w.exit_criteria)) for w in PLAN.workstreams
    ]
    d = tracking_digest(PLAN, entries(con, PLAN.id, until=today), today, progress=progress)
    assert d.is_demo and all(s.items for s in d.sections), [
        s.field for s in d.sections if not s.items
    ]
    assert d.escalations and d.escalations[0].workstream == "WS0" and d.escalations[0].age_days == 4
    assert set(d.missing_updates) == {"WS2", "WS5"}
    assert "Which KMS key" not in " ".join(i.text for s in d.sections for i in s.items)  # resolved
    assert len(demo_entries(PLAN, today)) == len(results)


# -- the CLI ---------------------------------------------------------------------------------


@pytest.fixture
def app() -> typer.Typer:
    a = typer.Typer()
    cli_track.register(a)
    return a


def test_track_add_list_and_digest(app: typer.Typer, settings: Settings) -> None:
    run = CliRunner().invoke
    r = run(app, ["track", "add", "--workstream", "WS0", "--planned", "deny python3 -c",
                  "--planned", "cap output", "--risk", "bwrap missing on CI runners",
                  "--decision", "Break-glass for staging?", "--date", "2026-03-02", "--author", "Priya"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "WS0 2026-03-02: version 1 by Priya" in r.output
    r = run(app, ["track", "add", "-w", "WS0", "--done", "deny python3 -c", "--date", "2026-03-02",
                  "--author", "Priya", "--append"])  # fmt: skip
    assert "version 2" in r.output and "replaces version 1 (kept in history)" in r.output
    r = run(app, ["track", "list", "--date", "2026-03-02", "--json"])
    (listed,) = json.loads(r.output)
    assert listed["version"] == 2 and listed["planned_today"] == ["deny python3 -c", "cap output"]
    assert listed["done_today"] == ["deny python3 -c"] and listed["author"] == "Priya"
    r = run(app, ["track", "list", "--history", "--json"])
    assert [e["version"] for e in json.loads(r.output)] == [1, 2]
    r = run(app, ["track", "digest", "--date", "2026-03-06", "--json"])
    d = json.loads(r.output)
    assert d["escalations"][0]["text"] == "Break-glass for staging?"
    assert d["escalations"][0]["age_days"] == 4
    assert "WS0" in d["missing_updates"]
    text = run(app, ["track", "digest", "--date", "2026-03-06"]).output
    assert "ESCALATED: WS0 decision open 4 days" in text and "Exit criteria progress" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["--workstream", "WS7", "--done", "x"], "unknown workstream 'WS7'"),
        (["--workstream", "WS0", "--done", "x", "--date", "02/03/2026"], "YYYY-MM-DD"),
        (["--workstream", "WS0", "--done", "x", "--date", "2999-01-01"], "in the future"),
        (["--workstream", "WS0"], "at least one item"),
        (["--workstream", "WS0", "--resolved", "nothing"], "no open decision"),
    ],
)
def test_track_add_mistakes_are_one_line_exit_2(
    app: typer.Typer, settings: Settings, args: list[str], message: str
) -> None:
    r = CliRunner().invoke(app, ["track", "add", *args, "--author", "a"])
    assert r.exit_code == 2 and message in r.output, r.output
    assert len(r.output.strip().splitlines()) == 1 and "Traceback" not in r.output


def test_entries_survive_reopening_the_store(tmp_path: Path) -> None:
    path = tmp_path / "g.duckdb"
    with open_store(path) as con:
        add_entry(con, PLAN, entry(done_today=("kept",)), NOW)
    with open_store(path) as con:
        assert [e.done_today for e in entries(con, PLAN.id)] == [("kept",)]
