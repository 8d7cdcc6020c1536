"""Record a readiness run: evaluate the criteria, record the decision, write the report.

The same functions back the readiness assets and the `gonogo report` command, so the CLI and
Dagster agree.
"""

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from assets.evidence.store import GLOBAL_TENANT, EvidenceItem, record_evidence
from assets.readiness.criteria import evaluate_plan
from assets.readiness.decision_log import record_decision
from assets.readiness.plan import Plan
from assets.readiness.report_model import Section, build_report
from assets.readiness.verdicts import (
    record_attestations,
    record_run,
)
from reports.render import FORMATS, write_report

__all__ = ["record_decision"]  # re-exported: the one place a decision is made

REPORT_EVIDENCE_TTL = timedelta(days=1)


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
    sections: Sequence[Section] = (),
) -> WrittenReport:
    """Render the report of a run and record that it was written (as evidence, too).

    ``sections``: the report's sections (the registry ``assets.report.sections.SECTIONS``)."""
    report = build_report(con, plan, run_id, sections)
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
                source="assets/readiness/record.py",
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
