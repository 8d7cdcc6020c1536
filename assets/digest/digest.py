"""The daily tracking digest: the day's tracking entry, exit-criteria progress and changes.

Workstream progress is the share of exit criteria satisfied by the last verdicts of the day;
the GO / NO-GO line is the decision recorded last that day (never decided here).
"""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from assets.readiness.decision import progress
from assets.readiness.decision_log import latest_decision, views_of
from assets.readiness.plan import Plan
from assets.readiness.report_model import change_dict, criterion_dict, evidence_map
from assets.readiness.verdicts import changes_on_day, statuses_as_of
from reports.redact import REDACTOR
from reports.render import write_digest

DIGEST_SCHEMA_VERSION = "gonogo.daily-digest/v1"
NOT_DECIDED = {"decision": "not decided", "sentence": "No go/no-go decision was recorded by then."}


def build_digest(con: duckdb.DuckDBPyConnection, plan: Plan, day: date) -> dict[str, Any]:
    """The digest model of ``day``: tracking entry, verdict progress, changes, recorded decision."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    end = start + timedelta(days=1)
    latest = statuses_as_of(con, end)
    entry = plan.tracking_for(day)
    sections = []
    for sid, title, source in plan.tracking_sections:
        if source == "verdicts":
            continue
        items = list(entry.sections.get(sid, ())) if entry else []
        sections.append({"id": sid, "title": title, "items": items})
    evidence = evidence_map(con, {i for r in latest.values() for i in r.evidence_ids})
    at = min(end, datetime.now(UTC))
    rows = []
    for p in progress(plan, views_of(list(latest.values()))):
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
        "plan": {"id": plan.id, "version": plan.version, "hash": plan.content_hash},
        "tracking_entry": {"file": entry.file, "author": entry.author} if entry else None,
        "sections": sections,
        "progress_title": progress_title,
        "progress": rows,
        "changes": [change_dict(plan, ch) for ch in changes_on_day(con, start)],
        "decision": decision,
        "evidence": evidence,
        "is_demo": any(r.is_demo for r in latest.values())
        or any(v.get("is_demo") for v in evidence.values()),
        "redactor": REDACTOR,
    }


def write_daily_digest(
    con: duckdb.DuckDBPyConnection, plan: Plan, day: date, out_dir: Path
) -> dict[str, Path]:
    return write_digest(build_digest(con, plan, day), out_dir)


def parse_day(raw: str, now: datetime) -> date:
    return date.fromisoformat(raw) if raw else now.date()
