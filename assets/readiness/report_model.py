"""The report model: one JSON-able dict built from the plan, the verdict history and the
decision the readiness asset recorded.

Every renderer (HTML, Markdown, JSON, OSCAL) reads this dict and nothing else, so the formats
cannot disagree. The model decides nothing: GO / NO-GO, the decision tree and workstream
progress are read from the recorded decision (`assets.readiness.decision_log`). The renderer
redacts every string of it on the way out (`reports.redact`).

**Sections.** Evidence other domains own (schedule, onboarding, SLOs, probes, benchmarks, …)
reaches the report as *sections*: a `Section` names a plain function of its domain that reads
DuckDB and returns the section's data (a JSON-able dict), and the renderer shows it with the
partial ``reports/templates/sections/<name>.{html,md}.j2``. The list of sections — their order
in the report — is the registry ``assets/report/sections.py: SECTIONS``; this module only runs
what it is handed, so the readiness domain never imports the domains that build on it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb

from assets.readiness.decision_log import latest_decision, recorded_decision
from assets.readiness.plan import Criterion, Plan, canonical_hash
from assets.readiness.plan_dates import days_phrase, long_date
from assets.readiness.statuses import Status
from assets.readiness.verdicts import (
    Change,
    VerdictRow,
    changes_since_previous_run,
    run_rows,
)
from reports.redact import REDACTOR

REPORT_SCHEMA_VERSION = "gonogo.readiness-report/v1"
DIGEST_SCHEMA_VERSION = "gonogo.daily-digest/v1"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SectionContext:
    """What a section is built for: the decided run the report is about."""

    plan: Plan
    run_id: str
    at: datetime  # when the run evaluated the criteria (the report's "now")
    statuses: Mapping[str, Status]  # every criterion's status in that run
    decision: Mapping[str, Any]  # the recorded decision (conditions, blockers, decision tree)

    @property
    def today(self) -> date:
        return self.at.astimezone(UTC).date()

    @property
    def tree_passes(self) -> bool | None:
        """Whether every recorded decision-tree answer passes (None while any is not known)."""
        answers = [q.get("passes") for q in self.decision.get("decision_tree", [])]
        if any(a is False for a in answers):
            return False
        return True if answers and all(a is True for a in answers) else None


SectionBuild = Callable[[duckdb.DuckDBPyConnection, SectionContext], Mapping[str, Any]]


@dataclass(frozen=True)
class Section:
    """One report section: its data comes from ``build``, its look from its template partial.

    ``sources`` are what the section shows, as the plan's evaluations name them: evidence kinds
    (``slo.alert_drills``, or a prefix ending in ``.`` such as ``slo.``), tables and other words
    an evaluation's SQL mentions (``tenant_probe_results``), attestation claims. A decision-tree
    answer or workstream whose criteria are evaluated from one of them links to the section.
    """

    name: str  # [a-z0-9_-]: anchor ``#sec-<name>`` and partial ``sections/<name>.*.j2``
    title: str
    build: SectionBuild
    sources: tuple[str, ...] = ()
    # Dagster asset keys whose tables the section reads: the report asset runs after them.
    after: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", self.name):
            raise ValueError(f"section name {self.name!r}: use lowercase letters, digits, - and _")


def _iso(t: datetime | None) -> str | None:
    return t.astimezone(UTC).isoformat() if t else None


def _ago(delta: timedelta) -> str:
    s = abs(delta.total_seconds())
    if s < 3600:
        return f"{int(s // 60)}m"
    if s < 86400 * 2:
        return f"{int(s // 3600)}h"
    return f"{int(s // 86400)}d"


def freshness(row: VerdictRow, at: datetime) -> str:
    if row.evidence_collected_at is None:
        return "no evidence"
    text = f"collected {_ago(at - row.evidence_collected_at)} ago"
    if row.evidence_expires_at is not None:
        if row.evidence_expires_at <= at:
            text += f", expired {_ago(at - row.evidence_expires_at)} ago"
        else:
            text += f", expires in {_ago(row.evidence_expires_at - at)}"
    return text


def evidence_map(con: duckdb.DuckDBPyConnection, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    rows = con.execute(
        """
        SELECT evidence_id, tenant_id, kind, source, subject, collected_at, expires_at,
               content_hash, value, uri, is_demo
        FROM evidence_items WHERE list_contains(?, evidence_id) ORDER BY collected_at
        """,
        [sorted(ids)],
    ).fetchall()
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        out[r[0]] = {
            "id": r[0], "tenant_id": r[1], "kind": r[2], "source": r[3], "subject": r[4],
            "collected_at": _iso(r[5]), "expires_at": _iso(r[6]), "content_hash": r[7],
            "value": r[8], "uri": r[9], "is_demo": bool(r[10]),
        }  # fmt: skip
    # Ids a verdict cites that are not evidence items (e.g. test rows) stay listed, unresolved.
    for i in ids - out.keys():
        out[i] = {
            "id": i, "tenant_id": None, "kind": "unresolved", "source": "not in evidence_items",
            "subject": None, "collected_at": None, "expires_at": None, "content_hash": None,
            "value": None, "uri": None, "is_demo": False,
        }  # fmt: skip
    return out


def criterion_dict(c: Criterion, row: VerdictRow | None, at: datetime) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": c.id, "text": c.text, "category": c.category, "workstream": c.workstream,
        "owner": c.owner, "priority": c.priority, "spec_hash": c.spec_hash,
        "evaluation_type": (c.evaluation or {}).get("type"),
    }  # fmt: skip
    if row is None:
        return base | {"status": Status.UNKNOWN.value, "raw_status": Status.UNKNOWN.value, "value": None,
                       "reason": "no verdict recorded", "evidence_ids": [], "freshness": "no evidence",
                       "waiver_id": None, "evidence_collected_at": None, "evidence_expires_at": None}  # fmt: skip
    return base | {
        "status": row.status, "raw_status": row.raw_status, "value": row.value, "reason": row.reason,
        "evidence_ids": list(row.evidence_ids), "freshness": freshness(row, at),
        "waiver_id": row.waiver_id, "evidence_collected_at": _iso(row.evidence_collected_at),
        "evidence_expires_at": _iso(row.evidence_expires_at),
    }  # fmt: skip


def change_dict(plan: Plan, ch: Change) -> dict[str, Any]:
    try:
        text = plan.criterion(ch.criterion_id).text
    except KeyError:
        text = ""
    return {"criterion_id": ch.criterion_id, "text": text, "before": ch.before, "after": ch.after,
            "at": _iso(ch.row.evaluated_at), "reason": ch.row.reason}  # fmt: skip


def _trend(con: duckdb.DuckDBPyConnection, limit: int = 30) -> list[dict[str, Any]]:
    rows = con.execute(
        """
        SELECT run_id, min(evaluated_at) AS at, min(seq) AS s,
               count(*) FILTER (WHERE status = 'pass') AS pass,
               count(*) FILTER (WHERE status = 'waived') AS waived,
               count(*) FILTER (WHERE status IN ('fail', 'error')) AS failing,
               count(*) FILTER (WHERE status IN ('unknown', 'stale')) AS unknown,
               count(*) FILTER (WHERE status = 'warn') AS warn
        FROM criterion_verdicts WHERE category IN ('exit', 'gate')
        GROUP BY run_id ORDER BY s DESC LIMIT ?
        """,
        [limit],
    ).fetchall()
    return [
        {
            "run_id": r[0],
            "at": _iso(r[1]),
            "pass": r[3],
            "waived": r[4],
            "failing": r[5],
            "unknown": r[6],
            "warn": r[7],
        }
        for r in reversed(rows)
    ]


def inputs_hash(
    plan: Plan, rows: Sequence[VerdictRow], evidence: Mapping[str, Mapping[str, Any]]
) -> str:
    """Hash of what the decision was made from: plan files, criterion specs, evidence used."""
    return canonical_hash(
        {
            "plan": plan.content_hash,
            "verdicts": sorted(
                (r.criterion_id, r.spec_hash, r.status, r.raw_status, r.value, list(r.evidence_ids))
                for r in rows
            ),
            "evidence": sorted((k, v.get("content_hash")) for k, v in evidence.items()),
        }
    )


def _policy_hashes(con: duckdb.DuckDBPyConnection, plan: Plan) -> dict[str, Any]:
    """Policy files shipped with the plan (sha256) and the policy versions decisions cited."""
    import hashlib

    folder = plan.plan_dir / "policies"
    # The tenant files and the per-program argument specs they load (programs/*.yaml) both
    # decide what runs, so both are named, by their path under policies/.
    files = {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for pattern in ("*.y*ml", "programs/*.y*ml")
        for p in sorted(folder.glob(pattern))
        if p.is_file()
    } if folder.is_dir() else {}  # fmt: skip
    seen: list[dict[str, Any]] = []
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'tool_calls'"
    ).fetchone()
    if exists and exists[0]:
        rows = con.execute(
            "SELECT tenant_id, policy_version, count(*) FROM tool_calls "
            "WHERE policy_version IS NOT NULL GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        seen = [{"tenant_id": r[0], "policy_version": r[1], "tool_calls": r[2]} for r in rows]
    return {"files": files, "seen_in_tool_calls": seen}


def _reads(evaluation: Mapping[str, Any] | None) -> tuple[set[str], str]:
    """The evidence kinds and attestation claims an evaluation names, and its SQL text."""
    names: set[str] = set()
    sql: list[str] = []
    stack = [evaluation] if evaluation else []
    while stack:
        e = stack.pop()
        kind = e.get("type")
        if kind == "evidence":
            names.add(str(e.get("kind", "")))
        elif kind == "attestation" and e.get("claim"):
            names.add(str(e["claim"]))
        elif kind == "sql":
            sql.append(str(e.get("query", "")))
        elif kind == "all_of":
            stack.extend(e.get("of", []))
    return names, "\n".join(sql)


def _shows(section: Section, evaluation: Mapping[str, Any] | None) -> bool:
    """Whether the criterion evaluated by ``evaluation`` reads something the section shows."""
    names, sql = _reads(evaluation)
    for src in section.sources:
        prefix = src.endswith(".")
        if any(n.startswith(src) if prefix else n == src for n in names):
            return True
        # In SQL a source is a whole word: a table name, a quoted kind, a test family.
        word = r"(?<![\w.])" + re.escape(src) + ("" if prefix else r"(?!\w)")
        if sql and re.search(word, sql):
            return True
    return False


def section_links(
    plan: Plan, sections: Sequence[Section], tree: Sequence[Mapping[str, Any]]
) -> dict[str, list[dict[str, str]]]:
    """Which sections support each criterion, workstream and decision-tree answer (by id)."""

    def refs(found: Sequence[Section]) -> list[dict[str, str]]:
        return [{"name": s.name, "title": s.title, "anchor": f"sec-{s.name}"} for s in found]

    by_criterion = {
        c.id: [s for s in sections if _shows(s, c.evaluation)]
        for c in plan.criteria()
        if c.evaluable
    }
    out = {cid: refs(found) for cid, found in by_criterion.items() if found}

    def union(ids: Sequence[str]) -> list[dict[str, str]]:
        found = {s.name for cid in ids for s in by_criterion.get(cid, ())}
        return refs([s for s in sections if s.name in found])

    for ws in plan.workstreams:
        if linked := union([c.id for c in (*ws.scope, *ws.exit_criteria)]):
            out[ws.id] = linked
    for q in tree:
        if linked := union([c["id"] for c in q.get("criteria", [])]):
            out[str(q["id"])] = linked
    return out


def build_sections(
    con: duckdb.DuckDBPyConnection, sections: Sequence[Section], ctx: SectionContext
) -> list[dict[str, Any]]:
    """Every section's data, in registry order. A section that cannot be built says why in its
    place; it never hides the decision or the other sections."""
    out = []
    for s in sections:
        try:
            data, error = dict(s.build(con, ctx)), None
        except Exception as exc:  # noqa: BLE001 - reported in the section, logged in full
            log.exception("report section %s could not be built", s.name)
            data, error = {}, f"{type(exc).__name__}: {exc}"[:500]
        out.append({"name": s.name, "title": s.title, "anchor": f"sec-{s.name}",
                    "data": data, "error": error})  # fmt: skip
    return out


def _commitment(plan: Plan, cid: str, today: date) -> dict[str, Any]:
    """The date the owner of ``cid`` committed to: its workstream's end date (the gate date
    for a gate criterion), as the plan has it — a date in the past stays in the past."""
    c = plan.criterion(cid)
    ws = plan.workstream(c.workstream) if c.workstream else None
    when = ws.end if ws else plan.gate.decision_date
    base = {"workstream": ws.id if ws else None, "title": ws.title if ws else plan.gate.title}
    if when is None:
        return base | {"date": None, "date_text": "no date in the plan", "days": None,
                       "phrase": "", "past": False}  # fmt: skip
    days = (when - today).days
    return base | {"date": when.isoformat(), "date_text": long_date(when), "days": days,
                   "phrase": days_phrase(days), "past": days < 0}  # fmt: skip


def opening(
    plan: Plan, recorded: Mapping[str, Any], statuses: Mapping[str, VerdictRow], today: date
) -> dict[str, Any]:
    """Why the decision is what it is, in three lines a leader can repeat, and the blocking
    criteria grouped by owner with the date each owner committed to."""
    reasons: dict[str, Any] = {b["criterion_id"]: b for b in recorded.get("p0_blockers", [])}
    for cond in recorded.get("conditions", []):
        for cid in cond.get("blocking", []):
            reasons.setdefault(cid, {"criterion_id": cid})
    owners: dict[str, dict[str, Any]] = {}
    for cid in reasons:
        try:
            c = plan.criterion(cid)
        except KeyError:
            continue
        row = statuses.get(cid)
        owner = reasons[cid].get("owner") or c.owner
        group = owners.setdefault(owner, {"owner": owner, "criteria": [], "commitments": []})
        group["criteria"].append(
            {"id": cid, "text": c.text, "priority": c.priority,
             "status": row.status if row else Status.UNKNOWN.value,
             "reason": row.reason if row else "no verdict recorded"}
        )  # fmt: skip
        commit = _commitment(plan, cid, today)
        if commit not in group["commitments"]:
            group["commitments"].append(commit)
    groups = sorted(
        owners.values(),
        key=lambda g: (min((c["days"] for c in g["commitments"] if c["days"] is not None),
                           default=10**6), g["owner"]),
    )  # fmt: skip
    consequence = str(recorded.get("consequence", "")).rstrip(".") + "."
    if not groups:
        lines = [
            "Nothing blocks: every gate condition is met and every P0 criterion passes.",
            "No owner has an open commitment on the gate.",
            f"So: {consequence}",
        ]
    else:
        n = sum(len(g["criteria"]) for g in groups)
        late = [g for g in groups if any(c["past"] for c in g["commitments"])]
        lines = [
            f"{n} criteria block the gate, owned by {len(groups)} "
            f"owner{'s' if len(groups) != 1 else ''}; {len(late)} of them are past the date "
            "they committed to.",
            "First due: "
            + "; ".join(
                f"{g['owner']} ({', '.join(c['id'] for c in g['criteria'])}; "
                + ", ".join(f"{c['date_text']}, {c['phrase']}" if c["phrase"] else c["date_text"]
                            for c in g["commitments"])
                + ")"
                for g in groups[:2]
            )
            + (f"; and {len(groups) - 2} more" if len(groups) > 2 else "")
            + ".",
            f"Until they pass: {consequence}",
        ]  # fmt: skip
    return {"lines": lines, "owners": groups, "today": today.isoformat()}


def build_report(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    run_id: str | None = None,
    sections: Sequence[Section] = (),
) -> dict[str, Any]:
    """The readiness report of one decided run (default: the latest decision recorded), with
    ``sections`` (the registry, ``assets/report/sections.py``) built for that run."""
    if run_id is None:
        latest = latest_decision(con)
        if latest is None:
            raise LookupError(
                "no decision recorded yet: materialize readiness_decision (gonogo report does)"
            )
        run_id, recorded = latest
    else:
        found = recorded_decision(con, run_id)
        if found is None:
            raise LookupError(f"no decision recorded for run {run_id}: record it first")
        recorded = found
    rows = run_rows(con, run_id)
    by_id = {r.criterion_id: r for r in rows}
    at = rows[0].evaluated_at
    evidence = evidence_map(con, {i for r in rows for i in r.evidence_ids})
    stamps = [v["collected_at"] for v in evidence.values() if v.get("collected_at")]
    progress = {p["workstream"]: p for p in recorded["progress"]}
    workstreams = []
    for ws in plan.workstreams:
        p = progress.get(ws.id, {"percent": 0.0, "satisfied": 0, "applicable": 0, "counts": {}})
        workstreams.append(
            {
                "id": ws.id,
                "title": ws.title,
                "owner": ws.owner,
                "priority": ws.priority,
                "start": ws.start.isoformat(),
                "end": ws.end.isoformat(),
                "progress": {k: p[k] for k in ("percent", "satisfied", "applicable", "counts")},
                "criteria": [criterion_dict(c, by_id.get(c.id), at) for c in ws.exit_criteria],
                "scope": [
                    criterion_dict(c, by_id.get(c.id), at)
                    if c.evaluable
                    else {"id": c.id, "text": c.text, "status": None}
                    for c in ws.scope
                ],
            }  # fmt: skip
        )
    ctx = SectionContext(plan, run_id, at, {r.criterion_id: Status(r.status) for r in rows},
                         recorded)  # fmt: skip
    built = build_sections(con, sections, ctx)
    # Which parts of the report show demo data: the banner names them.
    demo_parts = (
        ["verdicts and evidence"]
        if any(r.is_demo for r in rows) or any(v.get("is_demo") for v in evidence.values())
        else []
    ) + [s["title"] for s in built if s["data"].get("is_demo")]
    is_demo = bool(demo_parts)
    report = {
        "schema_version": REPORT_SCHEMA_VERSION,
        "generated_at": _iso(datetime.now(UTC)),
        "evaluated_at": _iso(at),
        "run_id": run_id,
        "plan": {
            "id": plan.id,
            "title": plan.title,
            "version": plan.version,
            "hash": plan.content_hash,
            "start": plan.start.isoformat(),
            "end": plan.end.isoformat(),
        },  # fmt: skip
        "is_demo": is_demo,
        "demo_parts": demo_parts,
        "decision": {k: v for k, v in recorded.items() if k not in ("decision_tree", "progress")},
        "why": opening(plan, recorded, by_id, ctx.today),
        "decision_tree": recorded["decision_tree"],
        "workstreams": workstreams,
        "gate_criteria": [criterion_dict(c, by_id.get(c.id), at) for c in plan.gate.criteria],
        "guardrails": {
            "title": plan.guardrails_title,
            "items": [{"id": i, "text": t} for i, t in plan.guardrails],
        },
        "changes": [change_dict(plan, ch) for ch in changes_since_previous_run(con, run_id)],
        "evidence": evidence,
        "data_window": {
            "start": min(stamps) if stamps else None,
            "end": max(stamps) if stamps else None,
        },
        "inputs_hash": inputs_hash(plan, rows, evidence),
        "policies": _policy_hashes(con, plan),
        "trend": _trend(con),
        "sections": built,
        "links": section_links(plan, sections, recorded["decision_tree"]),
        "redactor": REDACTOR,
    }
    return report
