"""Schedule status from the plan's own dates, the evidence-based statuses and the clock.

Nothing here moves a date: a workstream whose end date has passed without its exit criteria
satisfied is *overdue by N days*, the gate date is *N days ago*, however long ago that is.

- **Workstream**: ``done`` when every exit criterion is satisfied (pass, or waived); else
  ``overdue`` once its end date has passed (by how many days); else ``at risk`` when an exit
  criterion is failing (fail / error / stale), or when half its window or more has gone and it
  is behind a straight burn-down (the share of criteria still open is larger than the share of
  days left); else ``on track`` (which includes "not started yet"). Exit criteria tend to pass
  late, so the first half of a window is judged on failures only.
- **Milestone** of a week: ``met`` when what it is bound to held by the end of its week,
  ``met late`` when it holds now but did not then, ``missed`` when the week is over and it
  does not hold, ``open`` while the week runs or has not started, ``unknown`` when nothing
  is bound to it (bindings.yaml).
- **Gate**: its date, and the days to it or since it.

Deterministic: the same plan, statuses and ``today`` give the same answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import duckdb

from assets.readiness.plan import Milestone, Plan, Week, Workstream
from assets.readiness.plan_dates import days_phrase, long_date
from assets.readiness.statuses import Status, satisfied

DONE, ON_TRACK, AT_RISK, OVERDUE = "done", "on track", "at risk", "overdue"
MET, MET_LATE, MISSED, OPEN, UNKNOWN = "met", "met late", "missed", "open", "unknown"
_FAILING = (Status.FAIL, Status.ERROR, Status.STALE)

Statuses = Mapping[str, Status]


@dataclass(frozen=True)
class WorkstreamSchedule:
    id: str
    title: str
    owner: str
    priority: str
    dates_text: str
    start: date
    end: date
    state: str  # done | on track | at risk | overdue
    days_overdue: int  # > 0 only when overdue
    days_left: int | None  # days until the end date (inclusive of today), None once it passed
    days_to_start: int | None  # > 0 when the workstream has not started by its dates
    satisfied: int
    applicable: int
    failing: tuple[str, ...]  # exit criteria failing, erroring or stale
    reason: str


@dataclass(frozen=True)
class MilestoneStatus:
    id: str
    text: str
    state: str  # met | met late | missed | open | unknown
    reason: str


@dataclass(frozen=True)
class WeekSchedule:
    id: str
    title: str
    dates_text: str
    start: date
    end: date
    phase: str  # past | current | upcoming
    milestones: tuple[MilestoneStatus, ...]

    @property
    def missed(self) -> int:
        return sum(1 for m in self.milestones if m.state == MISSED)


@dataclass(frozen=True)
class GateSchedule:
    date: date | None
    date_text: str
    days: int | None  # date - today: positive ahead, negative past, 0 today
    phrase: str  # "in 3 days" | "today" | "260 days ago" | "no date in the plan"


@dataclass(frozen=True)
class Schedule:
    today: date
    workstreams: tuple[WorkstreamSchedule, ...]
    weeks: tuple[WeekSchedule, ...]
    current_week: str | None
    gate: GateSchedule

    def workstream(self, wid: str) -> WorkstreamSchedule:
        return next(w for w in self.workstreams if w.id == wid)

    def week(self, wid: str) -> WeekSchedule:
        return next(w for w in self.weeks if w.id == wid)


def _status(statuses: Statuses, cid: str) -> Status:
    return statuses.get(cid, Status.UNKNOWN)


def _complete(ws: Workstream, statuses: Statuses) -> bool:
    crit = [c for c in ws.exit_criteria if c.evaluable]
    return bool(crit) and all(satisfied(_status(statuses, c.id)) for c in crit)


def workstream_schedule(ws: Workstream, statuses: Statuses, today: date) -> WorkstreamSchedule:
    crit = [c for c in ws.exit_criteria if c.evaluable]
    done = sum(1 for c in crit if satisfied(_status(statuses, c.id)))
    failing = tuple(c.id for c in crit if _status(statuses, c.id) in _FAILING)
    span = (ws.end - ws.start).days + 1
    days_left = (ws.end - today).days + 1 if today <= ws.end else None
    to_start = (ws.start - today).days if today < ws.start else None
    overdue = (today - ws.end).days if today > ws.end else 0
    progress = f"{done}/{len(crit)} exit criteria satisfied"
    if crit and done == len(crit):
        state, reason = DONE, f"every exit criterion satisfied ({progress})"
    elif overdue:
        state = OVERDUE
        reason = f"ended {ws.end.isoformat()} ({days_phrase(-overdue)}) with {progress}"
    elif to_start is not None:
        state, reason = ON_TRACK, f"starts {ws.start.isoformat()} ({days_phrase(to_start)})"
    else:
        assert days_left is not None
        work_left = (len(crit) - done) / len(crit) if crit else 0.0
        time_left = days_left / span
        if failing:
            state, reason = AT_RISK, f"{', '.join(failing)} failing; {progress}"
        elif time_left <= 0.5 and work_left > time_left:
            state = AT_RISK
            reason = f"{progress} with {days_left} of {span} days left"
        else:
            state, reason = ON_TRACK, f"{progress} with {days_left} of {span} days left"
    return WorkstreamSchedule(
        ws.id, ws.title, ws.owner, ws.priority, ws.dates_text, ws.start, ws.end, state,
        overdue if state == OVERDUE else 0,
        days_left, to_start, done, len(crit), failing, reason,
    )  # fmt: skip


def _holds(
    m: Milestone, plan: Plan, statuses: Statuses, started: Mapping[str, date], by: date | None
) -> tuple[bool, str]:
    """Whether what the milestone is bound to holds (by ``by``, for "started"), and why not."""
    missing: list[str] = []
    for cid in m.criteria:
        if _status(statuses, cid) is not Status.PASS:
            missing.append(f"{cid} {_status(statuses, cid).value}")
    for wid in m.complete:
        if not _complete(plan.workstream(wid), statuses):
            missing.append(f"{wid} not complete")
    for wid in m.started:
        first = started.get(wid)
        if first is None or (by is not None and first > by):
            missing.append(f"{wid} not started")
    return not missing, ", ".join(missing)


def _milestone(
    m: Milestone,
    week: Week,
    plan: Plan,
    today: date,
    now: Statuses,
    then: Statuses,
    started: Mapping[str, date],
) -> MilestoneStatus:
    if not m.bound:
        return MilestoneStatus(m.id, m.text, UNKNOWN, "no evidence bound to this milestone")
    holds_now, why_now = _holds(m, plan, now, started, None)
    if today <= week.dates.end:
        return MilestoneStatus(m.id, m.text, MET if holds_now else OPEN, why_now or "holds")
    held, why_then = _holds(m, plan, then, started, week.dates.end)
    if held:
        return MilestoneStatus(m.id, m.text, MET, f"held by {week.dates.end.isoformat()}")
    if holds_now:
        return MilestoneStatus(
            m.id, m.text, MET_LATE, f"not by {week.dates.end.isoformat()}: {why_then}"
        )
    return MilestoneStatus(m.id, m.text, MISSED, why_now)


def plan_schedule(
    plan: Plan,
    statuses: Statuses,
    today: date,
    *,
    statuses_at: Callable[[date], Statuses] | None = None,
    started: Mapping[str, date] | None = None,
) -> Schedule:
    """The plan's schedule as of ``today``.

    ``statuses`` are the criterion statuses now; ``statuses_at(day)`` the statuses at the end of
    ``day`` (from the verdict history) to judge milestones of past weeks — without it they are
    judged on today's statuses. ``started`` maps a workstream to the first day it showed any
    sign of work (a tracking entry, or evidence for one of its criteria).
    """
    first_seen = dict(started or {})
    for ws in plan.workstreams:
        if ws.id not in first_seen and any(
            _status(statuses, c.id) is not Status.UNKNOWN for c in (*ws.scope, *ws.exit_criteria)
        ):
            first_seen[ws.id] = today  # evidence exists now; when it first did is not known here
    weeks = []
    current = None
    for week in plan.weeks:
        then = statuses_at(week.dates.end) if statuses_at else statuses
        if week.dates.start <= today <= week.dates.end:
            phase, current = "current", week.id
        else:
            phase = "past" if today > week.dates.end else "upcoming"
        weeks.append(
            WeekSchedule(
                week.id, week.title, week.dates.text, week.dates.start, week.dates.end, phase,
                tuple(_milestone(m, week, plan, today, statuses, then, first_seen) for m in week.milestones),
            )
        )  # fmt: skip
    g = plan.gate
    if g.decision_date is None:
        gate = GateSchedule(None, "", None, "no date in the plan")
    else:
        days = (g.decision_date - today).days
        gate = GateSchedule(g.decision_date, g.date_text, days, days_phrase(days))
    return Schedule(
        today,
        tuple(workstream_schedule(ws, statuses, today) for ws in plan.workstreams),
        tuple(weeks),
        current,
        gate,
    )


def current_statuses(
    con: duckdb.DuckDBPyConnection, plan: Plan, now: datetime
) -> dict[str, Status]:
    """Every criterion's status from the evidence as of ``now`` (evaluated, not recorded)."""
    from assets.readiness.criteria import evaluate_plan

    return {v.criterion_id: v.status for v in evaluate_plan(con, plan, now)}


def recorded_statuses(con: duckdb.DuckDBPyConnection) -> Callable[[date], dict[str, Status]]:
    """Statuses at the end of a day, from the recorded verdict history."""
    from assets.readiness.verdicts import statuses_as_of

    def at(day: date) -> dict[str, Status]:
        end = datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)
        return {cid: Status(r.status) for cid, r in statuses_as_of(con, end).items()}

    return at


def schedule_section(
    con: duckdb.DuckDBPyConnection, plan: Plan, statuses: Statuses, today: date
) -> dict[str, Any]:
    """The report's schedule section: `plan_schedule` as of ``today`` with the statuses of the
    reported run, past weeks judged from the verdict history, starts from tracking entries."""
    from assets.planning.tracking import entries, first_entry_days

    started = first_entry_days(entries(con, plan.id, until=today))
    s = plan_schedule(plan, statuses, today, statuses_at=recorded_statuses(con), started=started)
    g = s.gate
    return {
        "today": today.isoformat(),
        "current_week": s.current_week,
        "counts": {
            state: sum(1 for w in s.workstreams if w.state == state)
            for state in (DONE, ON_TRACK, AT_RISK, OVERDUE)
        },
        "workstreams": [
            asdict(w)
            | {
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "end_text": long_date(w.end),
                "failing": list(w.failing),
            }
            for w in s.workstreams
        ],  # fmt: skip
        "weeks": [
            {
                "id": wk.id,
                "title": wk.title,
                "dates_text": wk.dates_text,
                "phase": wk.phase,
                "start": wk.start.isoformat(),
                "end": wk.end.isoformat(),
                "missed": wk.missed,
                "milestones": [asdict(m) for m in wk.milestones],
            }
            for wk in s.weeks
        ],  # fmt: skip
        "gate": {
            "date": g.date.isoformat() if g.date else None,
            "date_text": g.date_text or (long_date(g.date) if g.date else ""),
            "days": g.days,
            "phrase": g.phrase,
            "past": g.days is not None and g.days < 0,
        },
    }
