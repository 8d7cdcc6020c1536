"""Readiness assets: criterion verdicts → go/no-go decision → report files.

The same functions back the `gonogo report` command, so the CLI and Dagster agree.
Report files go to the asset config ``out_dir``, else ``$GONOGO_OUT``, else
``<GONOGO_HOME>/reports``.
"""

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

from assets.evidence.store import GLOBAL_TENANT, EvidenceItem, record_evidence
from assets.readiness.criteria import evaluate_plan
from assets.readiness.decision import decide
from assets.readiness.plan import Plan, load_plan
from assets.readiness.report_model import build_report, views_of
from assets.readiness.statuses import Status
from assets.readiness.verdicts import (
    latest_run_id,
    record_attestations,
    record_run,
    run_rows,
    verify_history,
)
from pipelines.resources import DuckDBResource, GonogoSettings
from reports.render import FORMATS, write_report

# Every evidence producer in docs/ARCHITECTURE.md; verdicts are computed after all of them.
EVIDENCE_PRODUCERS = (
    "decision_records",
    "security_regression",
    "resource_limits",
    "slo_status",
    "alert_drills",
    "leak_scan",
)
REPORT_EVIDENCE_TTL = timedelta(days=1)

DECISIONS_DDL = """
CREATE TABLE IF NOT EXISTS readiness_decisions (
    tenant_id     VARCHAR NOT NULL,
    run_id        VARCHAR NOT NULL PRIMARY KEY,
    decided_at    TIMESTAMPTZ NOT NULL,
    plan_version  VARCHAR NOT NULL,
    decision      VARCHAR NOT NULL,
    sentence      VARCHAR NOT NULL,
    p0_blockers   VARCHAR[] NOT NULL,
    is_demo       BOOLEAN NOT NULL
);
CREATE TABLE IF NOT EXISTS readiness_reports (
    tenant_id     VARCHAR NOT NULL,
    run_id        VARCHAR NOT NULL,
    written_at    TIMESTAMPTZ NOT NULL,
    out_dir       VARCHAR NOT NULL,
    files         JSON NOT NULL,
    inputs_hash   VARCHAR NOT NULL,
    decision      VARCHAR NOT NULL,
    is_demo       BOOLEAN NOT NULL
);
"""


def resolve_out_dir(configured: str | None, home: Path) -> Path:
    if configured:
        return Path(configured)
    env = os.environ.get("GONOGO_OUT")
    return Path(env) if env else home / "reports"


def evaluate_and_record(
    con: duckdb.DuckDBPyConnection, plan: Plan, now: datetime, *, is_demo: bool = False
) -> str:
    """Evaluate every criterion and append the verdicts; returns the run id."""
    record_attestations(con, plan)
    verdicts = evaluate_plan(con, plan, now)
    return record_run(con, plan, verdicts, now, is_demo=is_demo)


def record_decision(con: duckdb.DuckDBPyConnection, plan: Plan, run_id: str) -> dict[str, Any]:
    con.execute(DECISIONS_DDL)
    rows = run_rows(con, run_id)
    d = decide(plan, views_of(rows))
    blockers = [b.criterion_id for b in d.p0_blockers]
    con.execute(
        "INSERT INTO readiness_decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [GLOBAL_TENANT, run_id, rows[0].evaluated_at, plan.version, d.decision, d.sentence, blockers,
         any(r.is_demo for r in rows)],
    )  # fmt: skip
    return {"decision": d.decision, "sentence": d.sentence, "p0_blockers": blockers}


@dataclass(frozen=True)
class WrittenReport:
    run_id: str
    decision: str
    inputs_hash: str
    files: dict[str, Path]
    report: dict[str, Any]


def write_readiness_report(
    con: duckdb.DuckDBPyConnection,
    plan: Plan,
    out_dir: Path,
    now: datetime,
    *,
    run_id: str | None = None,
    formats: Iterable[str] = FORMATS,
) -> WrittenReport:
    """Render the report of a run and record that it was written (as evidence, too)."""
    con.execute(DECISIONS_DDL)
    report = build_report(con, plan, run_id)
    files = write_report(report, out_dir, formats)
    con.execute(
        "INSERT INTO readiness_reports VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [GLOBAL_TENANT, report["run_id"], now, str(out_dir), json.dumps({k: str(v) for k, v in files.items()}),
         report["inputs_hash"], report["decision"]["decision"], report["is_demo"]],
    )  # fmt: skip
    main = files.get("html") or next(iter(files.values()))
    record_evidence(
        con,
        [
            EvidenceItem(
                kind="readiness.report",
                source="assets/readiness.py",
                collected_at=now,
                value=1.0,
                detail={
                    "run_id": report["run_id"],
                    "inputs_hash": report["inputs_hash"],
                    "plan_version": plan.version,
                },  # fmt: skip
                ttl=REPORT_EVIDENCE_TTL,
                uri=main.resolve().as_uri(),
                is_demo=report["is_demo"],
            )
        ],
    )
    return WrittenReport(
        report["run_id"], report["decision"]["decision"], report["inputs_hash"], files, report
    )


# ------------------------------------------------------------------------------ assets


class ReportConfig(dg.Config):
    out_dir: str = ""  # empty: $GONOGO_OUT, else <GONOGO_HOME>/reports
    formats: list[str] = list(FORMATS)


@dg.asset(
    group_name="readiness",
    owners=["team:readiness"],
    kinds={"duckdb"},
    deps=[dg.AssetKey(k) for k in EVIDENCE_PRODUCERS],
    description="Append-only verdict of every plan criterion, evaluated from the evidence store.",
)
def criterion_verdicts(duckdb: DuckDBResource, gonogo: GonogoSettings) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """Append-only verdict of every plan criterion, evaluated from the evidence store."""
    plan = load_plan(gonogo.settings.plan_dir)
    with duckdb.connect() as con:
        run_id = evaluate_and_record(con, plan, gonogo.current_time(), is_demo=gonogo.demo)
        rows = run_rows(con, run_id)
    counts = {s.value: sum(1 for r in rows if r.status == s.value) for s in Status}
    return dg.MaterializeResult(
        metadata={"run_id": run_id, "plan_version": plan.version, "criteria": len(rows), **counts}
    )


@dg.asset_check(
    asset=criterion_verdicts,
    description="Every evaluable plan criterion has a verdict in the latest run.",
)
def every_criterion_has_verdict(
    duckdb: DuckDBResource, gonogo: GonogoSettings
) -> dg.AssetCheckResult:
    plan = load_plan(gonogo.settings.plan_dir)
    with duckdb.connect() as con:
        run_id = latest_run_id(con)
        have = {r.criterion_id for r in run_rows(con, run_id)} if run_id else set()
    missing = sorted(c.id for c in plan.evaluable_criteria() if c.id not in have)
    return dg.AssetCheckResult(
        passed=not missing, metadata={"missing": ", ".join(missing) or "none"}
    )


@dg.asset_check(
    asset=criterion_verdicts, description="Verdict history is intact (hash chain verifies)."
)
def verdict_history_intact(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.connect() as con:
        rep = verify_history(con)
    return dg.AssetCheckResult(
        passed=rep.ok, metadata={"rows": rep.rows, "problem": rep.problem or "none"}
    )


@dg.asset(
    group_name="readiness",
    owners=["team:readiness"],
    kinds={"duckdb"},
    deps=[criterion_verdicts],
    description="GO / NO-GO from the latest verdicts, the gate conditions and the P0 rule.",
)
def readiness_decision(duckdb: DuckDBResource, gonogo: GonogoSettings) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """GO / NO-GO from the latest verdicts, the gate conditions and the P0 rule."""
    plan = load_plan(gonogo.settings.plan_dir)
    with duckdb.connect() as con:
        run_id = latest_run_id(con)
        if run_id is None:
            raise dg.Failure("no verdicts recorded: materialize criterion_verdicts first")
        d = record_decision(con, plan, run_id)
    return dg.MaterializeResult(
        metadata={
            "decision": d["decision"],
            "sentence": d["sentence"],
            "run_id": run_id,
            "p0_blockers": ", ".join(d["p0_blockers"]) or "none",
        }  # fmt: skip
    )


@dg.asset_check(
    asset=readiness_decision, description="NO-GO whenever any P0 criterion is not pass."
)
def no_go_while_p0_open(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.connect() as con:
        con.execute(DECISIONS_DDL)
        # rowid breaks ties: with a pinned clock several decisions share one timestamp.
        latest = con.execute(
            "SELECT run_id, decision FROM readiness_decisions ORDER BY decided_at DESC, rowid DESC LIMIT 1"
        ).fetchone()
        row = None
        if latest is not None:
            open_p0 = con.execute(
                "SELECT count(*) FROM criterion_verdicts WHERE run_id = ? AND priority = 'P0' "
                "AND category IN ('exit', 'gate') AND status <> 'pass'",
                [latest[0]],
            ).fetchone()
            row = (latest[0], latest[1], int(open_p0[0]) if open_p0 else 0)
    if row is None:
        return dg.AssetCheckResult(passed=False, metadata={"problem": "no decision recorded"})
    ok = not (row[1] == "GO" and row[2] > 0)
    return dg.AssetCheckResult(
        passed=ok, metadata={"run_id": row[0], "decision": row[1], "open_p0": row[2]}
    )


@dg.asset(
    group_name="readiness",
    owners=["team:readiness"],
    kinds={"html", "markdown", "json"},
    deps=[readiness_decision],
    description="The readiness report (HTML, Markdown, JSON, OSCAL) of the latest verdicts.",
)
def readiness_report(
    config: ReportConfig, duckdb: DuckDBResource, gonogo: GonogoSettings
) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """The readiness report (HTML, Markdown, JSON, OSCAL) of the latest verdicts."""
    plan = load_plan(gonogo.settings.plan_dir)
    out_dir = resolve_out_dir(config.out_dir, gonogo.settings.home)
    with duckdb.connect() as con:
        w = write_readiness_report(
            con, plan, out_dir, gonogo.current_time(), formats=config.formats
        )
    return dg.MaterializeResult(
        metadata={
            "decision": w.decision,
            "inputs_hash": w.inputs_hash,
            "run_id": w.run_id,
            "is_demo": bool(w.report["is_demo"]),
            **{f"file_{k}": dg.MetadataValue.path(str(v)) for k, v in w.files.items()},
        }
    )


@dg.asset_check(
    asset=readiness_report, description="The written report records the hash of its inputs."
)
def report_inputs_hash_recorded(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.connect() as con:
        con.execute(DECISIONS_DDL)
        row = con.execute(
            "SELECT inputs_hash, files FROM readiness_reports ORDER BY written_at DESC, rowid DESC LIMIT 1"
        ).fetchone()
    if row is None:
        return dg.AssetCheckResult(passed=False, metadata={"problem": "no report recorded"})
    files = json.loads(row[1])
    problems = []
    if "json" in files:
        try:
            on_disk = json.loads(Path(files["json"]).read_text())["inputs_hash"]
        except (OSError, ValueError, KeyError) as exc:
            problems.append(f"cannot read report JSON: {exc}")
        else:
            if on_disk != row[0]:
                problems.append("report JSON inputs hash differs from the recorded one")
    if (
        "html" in files
        and Path(files["html"]).exists()
        and row[0] not in Path(files["html"]).read_text()
    ):
        problems.append("HTML report does not state its inputs hash")
    return dg.AssetCheckResult(
        passed=bool(row[0]) and not problems,
        metadata={"inputs_hash": row[0], "problems": "; ".join(problems) or "none"},
    )


_EXTERNAL_REF = re.compile(
    r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*[\"']?\s*(https?:)?//", re.IGNORECASE
)


@dg.asset_check(
    asset=readiness_report, description="The HTML report loads nothing from the network."
)
def report_is_offline(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with duckdb.connect() as con:
        con.execute(DECISIONS_DDL)
        row = con.execute(
            "SELECT files FROM readiness_reports ORDER BY written_at DESC, rowid DESC LIMIT 1"
        ).fetchone()
    html = json.loads(row[0]).get("html") if row else None
    if not html or not Path(html).exists():
        return dg.AssetCheckResult(
            passed=True, metadata={"note": "no HTML report in the latest run"}
        )
    hits = [m.group(0)[:120] for m in _EXTERNAL_REF.finditer(Path(html).read_text())]
    return dg.AssetCheckResult(
        passed=not hits, metadata={"file": html, "external_refs": "\n".join(hits) or "none"}
    )
