"""The daily tracking digest: the plan's five tracking sections for one day, from the tracking
entries people write (``tracking_entries``), with exit-criteria progress from the verdicts.

At the top: open decisions older than two days (escalated) and the workstreams that owe an
update and have none that day. Workstream progress is the share of exit criteria satisfied by
the last verdicts of the day; the GO / NO-GO line is the decision recorded last that day (never
decided here). Entries kept as files (``<plan>/tracking/<day>.yaml``, the format before
``gonogo track add``) still count for their day, attributed to their file.
"""

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from assets.evidence.store import GLOBAL_TENANT
from assets.planning.tracking import (
    DigestItem,
    DigestSection,
    WorkstreamProgress,
    entries,
    tracking_digest,
)
from assets.readiness.decision import progress
from assets.readiness.decision_log import latest_decision, views_of
from assets.readiness.plan import Plan, TrackingEntry
from assets.readiness.report_model import change_dict, criterion_dict, evidence_map
from assets.readiness.verdicts import changes_on_day, statuses_as_of
from reports.redact import REDACTOR
from reports.render import write_digest

DIGEST_SCHEMA_VERSION = "gonogo.daily-digest/v1"
NOT_DECIDED = {"decision": "not decided", "sentence": "No go/no-go decision was recorded by then."}


def _item(i: DigestItem) -> dict[str, Any]:
    return {"workstream": i.workstream, "text": i.text, "author": i.author, "note": i.note,
            "evidence_ids": list(i.evidence_ids)}  # fmt: skip


def _with_file_entry(
    sections: Sequence[DigestSection], entry: TrackingEntry | None
) -> list[dict[str, Any]]:
    """The digest's sections, plus the items of the day's tracking file (kept history)."""
    out = []
    for s in sections:
        items = [_item(i) for i in s.items]
        if entry is not None and s.source == "entry":
            note = f"from {Path(entry.file).name}"
            items += [
                {"workstream": "", "text": t, "author": entry.author or "", "note": note,
                 "evidence_ids": []}
                for t in entry.sections.get(s.field, ())
            ]  # fmt: skip
        out.append({"id": s.field, "title": s.title, "source": s.source, "items": items})
    return out


def build_digest(
    con: duckdb.DuckDBPyConnection, plan: Plan, day: date, *, tenant_id: str = GLOBAL_TENANT
) -> dict[str, Any]:
    """The digest model of ``day``: tracking entries, verdict progress, changes, the decision."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    end = start + timedelta(days=1)
    latest = statuses_as_of(con, end)
    evidence = evidence_map(con, {i for r in latest.values() for i in r.evidence_ids})
    at = min(end, datetime.now(UTC))
    prog = progress(plan, views_of(list(latest.values())))
    rows: list[dict[str, Any]] = []
    for p in prog:
        ws = plan.workstream(p.workstream)
        rows.append(
            {
                "id": ws.id,
                "title": ws.title,
                "owner": ws.owner,
                "percent": p.percent,
                "satisfied": p.satisfied,
                "applicable": p.applicable,
                "counts": dict(p.counts),
                "criteria": [criterion_dict(c, latest.get(c.id), at) for c in ws.exit_criteria],
            }  # fmt: skip
        )
    ws_progress = [
        WorkstreamProgress(
            r["id"], r["title"], r["percent"], r["satisfied"], r["applicable"],
            tuple(dict.fromkeys(e for c in r["criteria"] for e in c["evidence_ids"])),
        )
        for r in rows
    ]  # fmt: skip
    complete = [r["id"] for r in rows if r["applicable"] and r["satisfied"] == r["applicable"]]
    current = entries(con, plan.id, tenant_id=tenant_id, until=day)
    td = tracking_digest(plan, current, day, progress=ws_progress, complete=complete)
    file_entry = plan.tracking_for(day)
    owners = {ws.id: ws.owner for ws in plan.workstreams}
    progress_title = next(
        (t for s, t, src in plan.tracking_sections if src == "verdicts"), "Exit-criteria progress"
    )
    recorded = latest_decision(con, before=end)
    decision = (
        {"decision": recorded[1]["decision"], "sentence": recorded[1]["sentence"],
         "run_id": recorded[0]}
        if recorded else dict(NOT_DECIDED, run_id=None)
    )  # fmt: skip
    return {
        "schema_version": DIGEST_SCHEMA_VERSION,
        "date": day.isoformat(),
        "title": plan.tracking_title,
        "tenant_id": tenant_id,
        "plan": {"id": plan.id, "version": plan.version, "hash": plan.content_hash},
        "escalations": [
            {
                "workstream": d.workstream,
                "owner": owners.get(d.workstream, ""),
                "text": d.text,
                "raised_on": d.raised_on.isoformat(),
                "age_days": d.age_days,
                "author": d.author,
            }
            for d in td.escalations
        ],  # fmt: skip
        "missing_updates": [
            {"workstream": w, "title": plan.workstream(w).title, "owner": owners[w]}
            for w in td.missing_updates
        ],
        "entries": [
            {
                "workstream": e.workstream,
                "author": e.author,
                "version": e.version,
                "recorded_at": e.recorded_at.isoformat() if e.recorded_at else None,
                "is_demo": e.is_demo,
            }
            for e in td.entries
        ],  # fmt: skip
        "tracking_file": (
            {"file": Path(file_entry.file).name, "author": file_entry.author}
            if file_entry
            else None
        ),
        "sections": _with_file_entry(td.sections, file_entry),
        "progress_title": progress_title,
        "progress": rows,
        "changes": [change_dict(plan, ch) for ch in changes_on_day(con, start)],
        "decision": decision,
        "evidence": evidence,
        "is_demo": td.is_demo
        or any(r.is_demo for r in latest.values())
        or any(v.get("is_demo") for v in evidence.values()),
        "redactor": REDACTOR,
    }


def write_daily_digest(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    day: date,
    out_dir: Path,
    *,
    tenant_id: str = GLOBAL_TENANT,
) -> dict[str, Path]:
    return write_digest(build_digest(con, plan, day, tenant_id=tenant_id), out_dir)


def section_counts(digest: Mapping[str, Any]) -> dict[str, int]:
    """How many items each of the digest's sections has (by the plan's words)."""
    return {s["title"]: len(s["items"]) for s in digest["sections"]}


def parse_day(raw: str, now: datetime) -> date:
    return date.fromisoformat(raw) if raw else now.date()
