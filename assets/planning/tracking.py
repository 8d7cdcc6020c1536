"""Daily tracking that people write: one entry per workstream per day, every edit kept.

The plan's tracking template asks each workstream, every day, for what was planned, what was
done, risks/blockers, decisions needed and exit-criteria progress. Entries are rows of
``tracking_entries`` (DuckDB): the *current* entry of a workstream on a day is its highest
``version``; an edit appends a new version and never rewrites an old one.

The digest is built from the current entries (`tracking_digest`):
- a workstream expected to report (its window has started, it is not done) with no entry that
  day is listed as **missing its update**;
- a "decision needed" stays **open** from the first entry that raises it until a later entry of
  the same workstream lists it as resolved; an open decision older than two days is
  **escalated** at the top of the digest.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import duckdb

from assets.evidence.store import GLOBAL_TENANT
from assets.readiness.plan import Plan

FIELDS = (
    "planned_today", "done_today", "risks_blockers", "decision_needed", "decisions_resolved",
    "progress_notes",
)  # fmt: skip
ESCALATE_AFTER_DAYS = 2
MAX_ITEMS = 50
MAX_ITEM_CHARS = 1000
MAX_AUTHOR_CHARS = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class TrackingError(ValueError):
    """An entry that cannot be stored, with the reason a person can act on."""


@dataclass(frozen=True)
class EntryInput:
    """What a person (or the demo) writes for one workstream on one day."""

    workstream: str
    day: date
    author: str
    planned_today: tuple[str, ...] = ()
    done_today: tuple[str, ...] = ()
    risks_blockers: tuple[str, ...] = ()
    decision_needed: tuple[str, ...] = ()
    decisions_resolved: tuple[str, ...] = ()
    progress_notes: tuple[str, ...] = ()
    tenant_id: str = GLOBAL_TENANT
    is_demo: bool = False

    def items(self) -> dict[str, tuple[str, ...]]:
        return {f: getattr(self, f) for f in FIELDS}


@dataclass(frozen=True)
class Entry(EntryInput):
    plan_id: str = ""
    version: int = 1
    recorded_at: datetime | None = None


@dataclass(frozen=True)
class AddResult:
    entry: Entry
    replaced: int | None  # the version this one superseded, None for the day's first
    unchanged: bool = False  # identical to the current version: nothing appended


def _clean_items(name: str, items: Iterable[str], redact: Any) -> tuple[str, ...]:
    out = []
    for raw in items:
        text = " ".join(_CONTROL.sub(" ", str(raw)).split())
        if not text:
            continue
        if len(text) > MAX_ITEM_CHARS:
            raise TrackingError(f"{name}: an item is longer than {MAX_ITEM_CHARS} characters")
        out.append(redact(text))
    if len(out) > MAX_ITEMS:
        raise TrackingError(f"{name}: more than {MAX_ITEMS} items")
    return tuple(out)


def _redactor() -> Any:
    # Entries are free text people type: a pasted token must not sit in the store.
    from enforcement_agent.redaction import get_redactor

    return get_redactor().redact_text


def normalise(text: str) -> str:
    """How two mentions of a decision are matched: case, spacing and a final period ignored."""
    return " ".join(text.casefold().split()).rstrip(".")


def _row_to_entry(r: Sequence[Any]) -> Entry:
    return Entry(
        workstream=r[2], day=r[3], author=r[5],
        planned_today=tuple(r[7]), done_today=tuple(r[8]), risks_blockers=tuple(r[9]),
        decision_needed=tuple(r[10]), decisions_resolved=tuple(r[11]), progress_notes=tuple(r[12]),
        tenant_id=r[0], is_demo=bool(r[13]), plan_id=r[1], version=r[4], recorded_at=r[6],
    )  # fmt: skip


_COLUMNS = (
    "tenant_id, plan_id, workstream, entry_date, version, author, recorded_at, planned_today, "
    "done_today, risks_blockers, decision_needed, decisions_resolved, progress_notes, is_demo"
)


def entries(
    con: duckdb.DuckDBPyConnection,
    plan_id: str,
    *,
    tenant_id: str = GLOBAL_TENANT,
    day: date | None = None,
    until: date | None = None,
    history: bool = False,
) -> list[Entry]:
    """Current entries (or, with ``history``, every version) of a plan, oldest first."""
    where = ["tenant_id = ?", "plan_id = ?"]
    params: list[Any] = [tenant_id, plan_id]
    if day is not None:
        where.append("entry_date = ?")
        params.append(day)
    if until is not None:
        where.append("entry_date <= ?")
        params.append(until)
    latest = "" if history else (
        " QUALIFY version = max(version) OVER (PARTITION BY tenant_id, plan_id, workstream, entry_date)"
    )  # fmt: skip
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM tracking_entries WHERE {' AND '.join(where)}{latest} "
        "ORDER BY entry_date, workstream, version",
        params,
    ).fetchall()
    return [_row_to_entry(r) for r in rows]


def first_entry_days(plan_entries: Sequence[Entry]) -> dict[str, date]:
    """The first day each workstream wrote an entry (a sign it had started)."""
    out: dict[str, date] = {}
    for e in plan_entries:
        out[e.workstream] = min(out.get(e.workstream, e.day), e.day)
    return out


def open_decisions(plan_entries: Sequence[Entry], day: date) -> list[OpenDecision]:
    """Decisions raised up to ``day`` and not resolved since, oldest first."""
    open_: dict[tuple[str, str], OpenDecision] = {}
    for e in sorted(plan_entries, key=lambda e: (e.day, e.workstream)):
        if e.day > day:
            continue
        for text in e.decisions_resolved:
            open_.pop((e.workstream, normalise(text)), None)
        for text in e.decision_needed:
            key = (e.workstream, normalise(text))
            if key not in open_:
                open_[key] = OpenDecision(e.workstream, text, e.day, e.author, 0, False, e.is_demo)
    out = []
    for d in open_.values():
        age = (day - d.raised_on).days
        out.append(replace(d, age_days=age, escalated=age > ESCALATE_AFTER_DAYS))
    return sorted(out, key=lambda d: (d.raised_on, d.workstream, d.text))


def add_entry(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    entry: EntryInput,
    now: datetime,
    *,
    append: bool = False,
) -> AddResult:
    """Store ``entry`` as the workstream's current entry for its day (a new version).

    ``append`` adds the items to the current version's instead of replacing them. A resolved
    decision must be open for that workstream; a date after ``now`` is refused.
    """
    wid = next(
        (ws.id for ws in plan.workstreams if ws.id.lower() == entry.workstream.strip().lower()),
        None,
    )
    if wid is None:
        known = ", ".join(ws.id for ws in plan.workstreams)
        raise TrackingError(f"unknown workstream {entry.workstream!r} (the plan has {known})")
    from enforcement_agent.models import valid_tenant

    if entry.tenant_id != GLOBAL_TENANT and not valid_tenant(entry.tenant_id):
        raise TrackingError(f"invalid tenant id {entry.tenant_id!r}")
    if entry.day > now.date():
        raise TrackingError(f"{entry.day} is in the future: an entry records a day that has begun")
    author = " ".join(_CONTROL.sub(" ", entry.author).split())
    if not author or len(author) > MAX_AUTHOR_CHARS:
        raise TrackingError(f"an author is required (at most {MAX_AUTHOR_CHARS} characters)")
    redact = _redactor()
    cleaned = {f: _clean_items(f, v, redact) for f, v in entry.items().items()}
    con.execute("BEGIN TRANSACTION")
    try:
        current = entries(con, plan.id, tenant_id=entry.tenant_id, day=entry.day)
        prev = next((e for e in current if e.workstream == wid), None)
        if append and prev is not None:
            cleaned = {f: tuple(dict.fromkeys((*getattr(prev, f), *cleaned[f]))) for f in FIELDS}
        if not any(cleaned.values()):
            raise TrackingError(
                "an entry needs at least one item (planned, done, risk, decision …)"
            )
        history = entries(con, plan.id, tenant_id=entry.tenant_id, until=entry.day)
        still_open = {normalise(d.text) for d in open_decisions(
            [e for e in history if e.workstream == wid and e.day < entry.day], entry.day)}  # fmt: skip
        raised_today = {normalise(t) for t in cleaned["decision_needed"]}
        for text in cleaned["decisions_resolved"]:
            if normalise(text) not in still_open and normalise(text) not in raised_today:
                listed = "; ".join(sorted(still_open)) or "none"
                raise TrackingError(f"no open decision {text!r} for {wid} (open: {listed})")
        new = Entry(
            workstream=wid, day=entry.day, author=author, **cleaned, tenant_id=entry.tenant_id,
            is_demo=entry.is_demo, plan_id=plan.id, version=(prev.version + 1) if prev else 1,
            recorded_at=now,
        )  # fmt: skip
        if prev is not None and prev.items() == new.items() and prev.author == new.author:
            con.execute("ROLLBACK")
            return AddResult(prev, None, unchanged=True)
        con.execute(
            f"INSERT INTO tracking_entries ({_COLUMNS}) VALUES ({', '.join('?' * 14)})",
            [new.tenant_id, new.plan_id, new.workstream, new.day, new.version, new.author,
             new.recorded_at, *[list(getattr(new, f)) for f in FIELDS], new.is_demo],
        )  # fmt: skip
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return AddResult(new, prev.version if prev else None)


# ---------------------------------------------------------------------------------------
# The digest's sections


@dataclass(frozen=True)
class OpenDecision:
    workstream: str
    text: str
    raised_on: date
    author: str
    age_days: int
    escalated: bool
    is_demo: bool = False


@dataclass(frozen=True)
class WorkstreamProgress:
    """Exit-criteria progress of one workstream, from the verdicts (not from what people write)."""

    workstream: str
    title: str
    percent: float
    satisfied: int
    applicable: int
    evidence_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class DigestItem:
    workstream: str
    text: str
    author: str = ""
    note: str = ""  # "raised 2026-11-28, open 4 days", "42% (2/4)"
    evidence_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class DigestSection:
    field: str
    title: str  # the plan's own words for the field
    source: str  # entry | verdicts
    items: tuple[DigestItem, ...]


@dataclass(frozen=True)
class TrackingDigest:
    day: date
    escalations: tuple[OpenDecision, ...]  # open decisions older than two days, oldest first
    missing_updates: tuple[str, ...]  # workstreams expected to report that day, without an entry
    sections: tuple[DigestSection, ...]
    entries: tuple[Entry, ...] = field(default=())
    is_demo: bool = False


def tracking_digest(
    plan: Plan,
    plan_entries: Sequence[Entry],
    day: date,
    *,
    progress: Sequence[WorkstreamProgress] = (),
    complete: Collection[str] = (),
) -> TrackingDigest:
    """The digest's sections for ``day``, in the plan's tracking-template order.

    ``plan_entries`` are the current entries up to ``day``; ``progress`` the verdict-based
    progress per workstream; ``complete`` the workstreams whose exit criteria are all satisfied
    (they no longer owe a daily update).
    """
    today = [e for e in plan_entries if e.day == day]
    reported = {e.workstream for e in today}
    missing = tuple(
        ws.id
        for ws in plan.workstreams
        if ws.start <= day and ws.id not in complete and ws.id not in reported
    )
    decisions = open_decisions(plan_entries, day)
    by_ws = {p.workstream: p for p in progress}
    sections = []
    for f in plan.tracking_fields:
        items: list[DigestItem] = []
        if f.source == "verdicts":
            for ws in plan.workstreams:
                p = by_ws.get(ws.id)
                if p is not None:
                    note = f"{p.percent:g}% ({p.satisfied}/{p.applicable})"
                    items.append(DigestItem(ws.id, ws.title, "", note, p.evidence_ids))
            items += [
                DigestItem(e.workstream, t, e.author) for e in today for t in e.progress_notes
            ]
        elif f.field == "decision_needed":
            items = [
                DigestItem(d.workstream, d.text, d.author,
                           "raised today" if d.age_days == 0 else f"raised {d.raised_on}, open {d.age_days} days")
                for d in decisions
            ]  # fmt: skip
        else:
            items = [
                DigestItem(e.workstream, t, e.author)
                for e in today
                for t in getattr(e, f.field, ())
            ]
        sections.append(DigestSection(f.field, f.text, f.source, tuple(items)))
    return TrackingDigest(
        day,
        tuple(d for d in decisions if d.escalated),
        missing,
        tuple(sections),
        tuple(today),
        any(e.is_demo for e in today),
    )


# ---------------------------------------------------------------------------------------
# Demo data


# A few days of a plausible update rhythm. Every entry is marked demo data.
_DEMO: dict[int, dict[str, dict[str, tuple[str, ...]]]] = {
    4: {
        "WS0": {
            "planned_today": (
                "Deny interpreter one-liners (python3 -c, node -e) in the default template",
            ),
            "done_today": ("Wrapper unwrapping covers env, timeout, nice and xargs",),
            "decision_needed": (
                "Allow break-glass for the staging cluster drain, or keep it denied for every role?",
            ),
        },
        "WS2": {
            "planned_today": ("Cross-tenant read probes against the decision-record store",),
            "risks_blockers": ("Shared Redis ACL users not yet split per tenant",),
        },
    },
    3: {
        "WS0": {
            "done_today": ("Interpreter one-liners denied; 14 new regression cases",),
            "planned_today": ("Output cap and wall-clock kill in the sandbox runner",),
        },
        "WS1": {
            "planned_today": (
                "Rotate stored GitHub tokens after moving them to envelope encryption",
            ),
            "decision_needed": (
                "Which KMS key owns the token-at-rest envelope: platform or per tenant?",
            ),
        },
        "WS3": {
            "planned_today": ("Burn-rate alerts for tool-call availability (1h/5m and 6h/30m)",)
        },
    },
    2: {
        "WS1": {
            "done_today": ("Token envelope encryption merged behind a feature flag",),
            "risks_blockers": ("Manual auth review not scheduled yet",),
        },
        "WS3": {"done_today": ("Alert rules pass promtool; test incident injected in staging",)},
    },
    1: {
        "WS0": {
            "done_today": ("Sandbox output cap and wall-clock kill merged",),
            "planned_today": ("Prompt-injection regression cases from the demo workspace",),
        },
        "WS1": {
            "done_today": ("KMS key decided: one per tenant",),
            "decisions_resolved": (
                "Which KMS key owns the token-at-rest envelope: platform or per tenant?",
            ),
        },
        "WS2": {"done_today": ("Redis keys moved under t:{tenant}: prefixes",)},
    },
    0: {
        "WS0": {
            "planned_today": (
                "Run the security regression suite on main and keep its JUnit as evidence",
            ),
            "risks_blockers": ("Break-glass decision still open: drill blocked",),
        },
        "WS1": {
            "planned_today": ("Book the manual auth review with Security",),
            "done_today": ("Key-rotation procedure drafted",),
        },
        "WS3": {
            "done_today": ("On-call rotation configured; runbook links on every alert",),
            "decision_needed": ("Run the 7-day soak on shared staging or a dedicated cluster?",),
        },
        "WS4": {"planned_today": ("Make the security suite a required check on main",)},
    },
}


def demo_entries(plan: Plan, today: date) -> list[EntryInput]:
    """A few realistic days of entries ending ``today`` (marked demo data).

    Shaped so every digest section has content: WS0's break-glass decision is open for four
    days (escalated), WS1's KMS decision is raised and then resolved, and some workstreams have
    no entry today (missing updates).
    """
    out = []
    ids = {ws.id for ws in plan.workstreams}
    for back in sorted(_DEMO, reverse=True):
        for wid, items in _DEMO[back].items():
            if wid not in ids:
                continue
            owner = plan.workstream(wid).owner
            blank = EntryInput(wid, today - timedelta(days=back), f"{owner} (demo)", is_demo=True)
            fields: dict[str, Any] = dict(items)
            out.append(replace(blank, **fields))
    return out


def write_demo_entries(
    con: duckdb.DuckDBPyConnection, plan: Plan, today: date, now: datetime
) -> list[AddResult]:
    """Store `demo_entries`; running it again appends nothing (identical entries are no-ops)."""
    return [add_entry(con, plan, e, now) for e in demo_entries(plan, today)]
