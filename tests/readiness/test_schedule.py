"""Schedule status from the plan's own dates, the criterion statuses and the clock."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.planning.schedule import (
    AT_RISK,
    DONE,
    MET,
    MET_LATE,
    MISSED,
    ON_TRACK,
    OPEN,
    OVERDUE,
    UNKNOWN,
    days_phrase,
    plan_schedule,
)
from assets.readiness.plan import load_plan
from assets.readiness.statuses import Status
from gonogo.config import DEFAULT_PLAN_DIR

PLAN = load_plan(DEFAULT_PLAN_DIR)
EXIT = [c.id for c in PLAN.exit_criteria()]


def passing(*ids: str, status: Status = Status.PASS) -> dict[str, Status]:
    return dict.fromkeys(ids, status)


def ws_ids(ws: str) -> list[str]:
    return [c.id for c in PLAN.workstream(ws).exit_criteria]


def test_before_the_plan_everything_is_ahead() -> None:
    s = plan_schedule(PLAN, {}, date(2026, 2, 1))
    assert {w.state for w in s.workstreams} == {ON_TRACK}
    assert s.workstream("WS0").days_to_start == 15 and s.workstream("WS5").days_to_start == 37
    assert all(w.phase == "upcoming" for w in s.weeks) and s.current_week is None
    assert {m.state for w in s.weeks for m in w.milestones} == {OPEN, UNKNOWN}
    assert s.gate.date == date(2026, 3, 17) and s.gate.days == 44 and s.gate.phrase == "in 44 days"


def test_first_day_of_the_plan() -> None:
    s = plan_schedule(PLAN, {}, date(2026, 2, 16))
    ws0 = s.workstream("WS0")
    assert ws0.state == ON_TRACK and ws0.days_left == 12 and ws0.days_to_start is None
    assert s.workstream("WS2").days_to_start == 4
    assert s.current_week == "WEEK1" and s.week("WEEK1").phase == "current"
    assert [m.state for m in s.week("WEEK1").milestones] == [OPEN, OPEN, OPEN]
    assert s.gate.phrase == "in 29 days"


@pytest.mark.parametrize(
    "today, passed, state",
    [
        (date(2026, 2, 20), 0, ON_TRACK),  # first half of the window: judged on failures only
        (date(2026, 2, 22), 0, AT_RISK),  # 6 of 12 days left, nothing passed
        (date(2026, 2, 23), 2, AT_RISK),  # 5 of 12 days left, half the work open
        (date(2026, 2, 23), 3, ON_TRACK),  # 5 of 12 days left, a quarter of the work open
        (date(2026, 2, 27), 3, AT_RISK),  # last day, one criterion open
        (date(2026, 2, 27), 4, DONE),
    ],
)
def test_burn_down_inside_the_window(today: date, passed: int, state: str) -> None:
    s = plan_schedule(PLAN, passing(*ws_ids("WS0")[:passed]), today)
    assert s.workstream("WS0").state == state, s.workstream("WS0").reason


def test_a_failing_criterion_puts_a_workstream_at_risk_early() -> None:
    for status in (Status.FAIL, Status.ERROR, Status.STALE):
        s = plan_schedule(PLAN, passing("WS0.3", status=status), date(2026, 2, 17))
        ws0 = s.workstream("WS0")
        assert ws0.state == AT_RISK and ws0.failing == ("WS0.3",) and "WS0.3" in ws0.reason
    warn = plan_schedule(PLAN, passing("WS0.3", status=Status.WARN), date(2026, 2, 17))
    assert warn.workstream("WS0").state == ON_TRACK


def test_overdue_by_the_days_since_the_plans_end_date() -> None:
    s = plan_schedule(PLAN, {}, date(2026, 3, 1))
    assert (s.workstream("WS0").state, s.workstream("WS0").days_overdue) == (OVERDUE, 2)
    assert (s.workstream("WS1").state, s.workstream("WS1").days_overdue) == (OVERDUE, 1)
    assert s.workstream("WS2").state == AT_RISK  # ends March 3, nothing passed
    assert s.workstream("WS4").state == ON_TRACK and s.workstream("WS4").days_to_start == 2
    assert s.current_week == "WEEK2"


def test_today_the_dates_are_long_past_and_reported_as_such() -> None:
    today = date(2026, 12, 2)
    s = plan_schedule(PLAN, {}, today)
    ws0 = s.workstream("WS0")
    assert ws0.state == OVERDUE and ws0.days_overdue == 278 and ws0.end == date(2026, 2, 27)
    assert "ended 2026-02-27 (278 days ago)" in ws0.reason
    assert s.gate.days == -260 and s.gate.phrase == "260 days ago"
    assert s.gate.date == PLAN.gate.decision_date == date(2026, 3, 17)
    assert all(w.phase == "past" for w in s.weeks) and s.current_week is None
    states = [m.state for w in s.weeks for m in w.milestones]
    assert states.count(UNKNOWN) == 1 and set(states) == {MISSED, UNKNOWN}


def test_done_is_done_whatever_the_date_and_a_waiver_counts() -> None:
    statuses = passing(*EXIT) | {"WS1.2": Status.WAIVED}
    for today in (date(2026, 2, 1), date(2026, 2, 20), date(2026, 12, 2)):
        s = plan_schedule(PLAN, statuses, today)
        assert {w.state for w in s.workstreams} == {DONE}
        assert all(w.days_overdue == 0 for w in s.workstreams)


def test_milestones_met_met_late_missed_open() -> None:
    today = date(2026, 3, 5)  # Week 3 runs, Weeks 1 and 2 are over
    ws1 = ws_ids("WS1")
    now = passing(*ws1, "WS0.1", "WS0.S3")

    def history(day: date) -> dict[str, Status]:
        # WS1 completed on time (by Mar 1); the sandbox constraints landed only in Week 2.
        return passing(*ws1) | (passing("WS0.1", "WS0.S3") if day >= date(2026, 3, 1) else {})

    s = plan_schedule(
        PLAN, now, today, statuses_at=history,
        started={"WS0": date(2026, 2, 16), "WS1": date(2026, 2, 18), "WS2": date(2026, 3, 4)},
    )  # fmt: skip
    w1 = {m.id: m for m in s.week("WEEK1").milestones}
    assert w1["WEEK1.1"].state == MET  # both started in Week 1
    assert w1["WEEK1.2"].state == MISSED and "WS0.2 unknown" in w1["WEEK1.2"].reason
    assert w1["WEEK1.3"].state == MET_LATE and "not by 2026-02-22" in w1["WEEK1.3"].reason
    w2 = {m.id: m for m in s.week("WEEK2").milestones}
    assert w2["WEEK2.1"].state == MET  # WS1 complete by March 1
    assert w2["WEEK2.2"].state == MET_LATE  # WS2 started March 4, after its week
    assert w2["WEEK2.3"].state == MISSED  # WS3 never started
    w3 = {m.id: m for m in s.week("WEEK3").milestones}
    assert s.current_week == "WEEK3" and {m.state for m in w3.values()} == {OPEN}
    assert s.week("WEEK4").phase == "upcoming"
    assert {m.id: m.state for m in s.week("WEEK4").milestones}["WEEK4.2"] == UNKNOWN


def test_evidence_alone_shows_a_workstream_started_but_not_when() -> None:
    s = plan_schedule(PLAN, passing("WS3.1", status=Status.FAIL), date(2026, 12, 2))
    w2 = {m.id: m for m in s.week("WEEK2").milestones}
    assert w2["WEEK2.3"].state == MET_LATE  # WS3 has evidence now, not known by March 1


def test_days_phrase() -> None:
    assert [days_phrase(d) for d in (0, 1, -1, 2, -260)] == [
        "today", "in 1 day", "1 day ago", "in 2 days", "260 days ago",
    ]  # fmt: skip
    assert plan_schedule(PLAN, {}, date(2026, 3, 17)).gate.phrase == "today"


def test_a_plan_without_a_gate_date_says_so(plan_dir) -> None:  # type: ignore[no-untyped-def]
    import yaml

    data = yaml.safe_load((plan_dir / "plan.yaml").read_text())
    del data["gate"]["date"]
    (plan_dir / "plan.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    s = plan_schedule(load_plan(plan_dir), {}, date(2026, 3, 1))
    assert s.gate.date is None and s.gate.days is None and s.gate.phrase == "no date in the plan"


_STATUSES = st.sampled_from(list(Status))


@settings(max_examples=300, deadline=None)
@given(
    offset=st.integers(min_value=-60, max_value=400),
    statuses=st.lists(_STATUSES, min_size=len(EXIT), max_size=len(EXIT)),
)
def test_schedule_invariants(offset: int, statuses: list[Status]) -> None:
    today = date(2026, 2, 16) + timedelta(days=offset)
    views = dict(zip(EXIT, statuses, strict=True))
    s = plan_schedule(PLAN, views, today)
    assert s == plan_schedule(PLAN, views, today)  # deterministic
    for w in s.workstreams:
        ws = PLAN.workstream(w.id)
        complete = all(views[c.id] in (Status.PASS, Status.WAIVED) for c in ws.exit_criteria)
        assert (w.state == DONE) == complete
        if not complete and today > ws.end:
            assert w.state == OVERDUE and w.days_overdue == (today - ws.end).days > 0
        else:
            assert w.days_overdue == 0 and w.state != OVERDUE
        if w.state == ON_TRACK and ws.start <= today:
            assert not w.failing
        assert (w.start, w.end) == (ws.start, ws.end)  # never moved
    assert s.gate.days == (date(2026, 3, 17) - today).days
    for week in s.weeks:
        for m in week.milestones:
            if today <= week.end:
                assert m.state in (MET, OPEN, UNKNOWN)
            else:
                assert m.state in (MET, MET_LATE, MISSED, UNKNOWN)
