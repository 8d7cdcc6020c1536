"""Readiness assets: criterion verdicts → the go/no-go decision, recorded once.

The report files are written by ``readiness_report`` (``assets/report/assets.py``), which sits
above the domains whose sections it shows.
"""

import dagster as dg

from assets.readiness.plan import load_plan
from assets.readiness.record import evaluate_and_record, record_decision
from assets.readiness.statuses import Status
from assets.readiness.verdicts import latest_run_id, run_rows
from assets.tables import connected
from pipelines.resources import DuckDBResource, GonogoSettings, table_metadata
from reports.redact import redact_text


@dg.asset(
    group_name="readiness",
    owners=["team:readiness"],
    kinds={"duckdb"},
    deps=[dg.AssetKey("evidence_items")],
    description="Append-only verdict of every plan criterion, evaluated from the evidence store.",
)
def criterion_verdicts(duckdb: DuckDBResource, gonogo: GonogoSettings) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """Append-only verdict of every plan criterion, evaluated from the evidence store."""
    plan = load_plan(gonogo.settings.plan_dir)
    with connected(duckdb) as con:
        run_id = evaluate_and_record(con, plan, gonogo.current_time(), is_demo=gonogo.demo)
        rows = run_rows(con, run_id)
        table_meta = table_metadata(con, "criterion_verdicts")
    counts = {s.value: sum(1 for r in rows if r.status == s.value) for s in Status}
    return dg.MaterializeResult(
        metadata={
            **table_meta,
            "run_id": run_id,
            "plan_version": plan.version,
            "criteria": len(rows),
            **counts,
        }
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
    with connected(duckdb) as con:
        run_id = latest_run_id(con)
        if run_id is None:
            raise dg.Failure("no verdicts recorded: materialize criterion_verdicts first")
        d = record_decision(con, plan, run_id)
        table_meta = table_metadata(con, "readiness_decisions")
    return dg.MaterializeResult(
        metadata={
            **table_meta,
            "decision": d["decision"],
            "sentence": redact_text(d["sentence"]),
            "run_id": run_id,
            "p0_blockers": ", ".join(b["criterion_id"] for b in d["p0_blockers"]) or "none",
        }  # fmt: skip
    )
