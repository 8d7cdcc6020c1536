"""Daily digest: the tracking template, filled from the day's entry and the day's verdicts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb

from assets.digest.digest import write_daily_digest
from assets.readiness.plan import load_plan
from assets.readiness.record import evaluate_and_record, record_decision
from tests.readiness.conftest import NOW, evidence, write_yaml


def test_digest_follows_the_template(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    write_yaml(
        plan_dir / "tracking" / "2026-12-01.yaml",
        {
            "date": "2026-12-01",
            "author": "Release captain",
            "planned_today": ["run the alert drill for tool-call availability"],
            "done_today": ["alert drill: page fired and resolved in 6 min"],
            "risks_blockers": ["staging soak blocked on a flaky Sev-2"],
            "decision_needed": ["accept a 5-day waiver for WS3.2?"],
        },
    )
    plan = load_plan(plan_dir)
    evaluate_and_record(con, plan, NOW - timedelta(days=1))
    drill = evidence(con, "slo.alert_drills", 1.0, at=NOW - timedelta(hours=2))
    evaluate_and_record(con, plan, NOW - timedelta(hours=1))
    files = write_daily_digest(con, plan, NOW.date(), tmp_path / "out")
    md = files["md"].read_text()
    for title in ("Planned today", "Done today", "Risks/blockers", "Decision needed",
                  "Exit criteria progress (% and evidence links)", "Criteria that changed status today"):  # fmt: skip
        assert f"## {title}" in md, title
    assert md.index("## Planned today") < md.index("## Done today") < md.index("## Risks/blockers")
    assert "alert drill: page fired and resolved in 6 min" in md and "Release captain" in md
    # The criterion's sentence keeps its own full stop; no stray "incidents.: unknown".
    assert (
        "- **WS3.1** unknown → **pass** — Dashboards and alerts are live and validated with test "
        "incidents.\n" in md
    )
    assert ".:" not in md
    assert f"(#ev-{drill})" in md and "| WS3 Observability + SLO Operations | 33.3% (1/3)" in md
    html = files["html"].read_text()
    assert "staging soak blocked on a flaky Sev-2" in html and f'id="ev-{drill}"' in html


def test_day_without_entry_or_changes(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    plan = load_plan(plan_dir)
    evaluate_and_record(con, plan, NOW - timedelta(days=3))
    files = write_daily_digest(con, plan, NOW.date(), tmp_path / "out")
    md = files["md"].read_text()
    assert "no tracking entry for this day" in md and "_no status changes today_" in md
    assert files["md"].name == f"digest-{NOW.date().isoformat()}.md"


def test_digest_shows_the_decision_recorded_that_day_and_decides_nothing(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    plan = load_plan(plan_dir)
    run = evaluate_and_record(con, plan, NOW - timedelta(hours=2))
    md = write_daily_digest(con, plan, NOW.date(), tmp_path / "a")["md"].read_text()
    assert "decision today: **not decided**" in md  # verdicts alone are not a decision
    record_decision(con, plan, run)
    con.execute(
        "UPDATE readiness_decisions SET decision = 'GO', detail = json_merge_patch(detail, ?)",
        ['{"decision": "GO", "sentence": "recorded GO"}'],
    )
    md = write_daily_digest(con, plan, NOW.date(), tmp_path / "b")["md"].read_text()
    assert "decision today: **GO**" in md
    # A decision recorded after the day ended does not belong to that day's digest.
    yesterday = (NOW - timedelta(days=1)).date()
    md = write_daily_digest(con, plan, yesterday, tmp_path / "c")["md"].read_text()
    assert "decision today: **not decided**" in md
