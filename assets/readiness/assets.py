"""Readiness assets: criterion verdicts → go/no-go decision → report files.

Report files go to the asset config ``out_dir``, else ``$GONOGO_OUT``, else
``<GONOGO_HOME>/reports``.
"""

import dagster as dg

from assets.readiness.plan import load_plan
from assets.readiness.record import (
    evaluate_and_record,
    record_decision,
    resolve_out_dir,
    write_readiness_report,
)
from assets.readiness.statuses import Status
from assets.readiness.verdicts import latest_run_id, run_rows
from assets.tables import connected
from pipelines.resources import DuckDBResource, GonogoSettings, table_metadata
from reports.redact import redact_text
from reports.render import FORMATS


class ReportConfig(dg.Config):
    out_dir: str = ""  # empty: $GONOGO_OUT, else <GONOGO_HOME>/reports
    formats: list[str] = list(FORMATS)


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
    with connected(duckdb) as con:
        w = write_readiness_report(
            con, plan, out_dir, gonogo.current_time(), formats=config.formats
        )
        table_meta = table_metadata(con, "readiness_reports")
    return dg.MaterializeResult(
        metadata={
            **table_meta,
            "decision": w.decision,
            "inputs_hash": w.inputs_hash,
            "run_id": w.run_id,
            "is_demo": bool(w.report["is_demo"]),
            **{f"file_{k}": dg.MetadataValue.path(str(v)) for k, v in w.files.items()},
        }
    )
