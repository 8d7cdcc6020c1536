"""Dagster side of the operations domain: the evidence asset and the drill op.

``operations_evidence`` summarises soaks, runbooks, drills, E2E gate runs and the readiness
document into the evidence kinds WS3.2, WS3.3, GATE.1, WS4.2 and WS4.3 are judged on.
``run_drill`` runs one drill the way an operator does (`gonogo drill run NAME`, in a child
process: the drill starts its own loopback world and records itself in the store); the jobs
in ``pipelines/jobs.py`` give each drill a Dagster job.
"""

import json
import os
import subprocess
import sys

import dagster as dg

from assets.operations.drills import DRILLS
from assets.operations.evidence import record_operations
from assets.operations.release_gates import ReleaseGateError, load_config
from assets.operations.runbooks import load_runbooks
from assets.slo.ops import OpsConfig
from assets.slo.spec import load_specs
from assets.tables import connected
from pipelines.resources import DuckDBResource, GonogoSettings, table_metadata
from pipelines.settings import REPO_ROOT
from pipelines.slo_resources import AlertSinkResource

OWNERS = ["team:sre"]
RUNBOOK_DIR = REPO_ROOT / "docs" / "runbooks"


@dg.asset(
    group_name="operations",
    owners=OWNERS,
    kinds={"duckdb"},
    deps=[dg.AssetKey("slo_alerts")],
)
def operations_evidence(
    duckdb: DuckDBResource, gonogo: GonogoSettings, alert_sink: AlertSinkResource
) -> dg.MaterializeResult[None]:
    """Soak, runbook, drill, E2E-gate and readiness-document evidence for WS3/WS4 and GATE.1."""
    plan_dir = gonogo.settings.plan_dir
    specs = load_specs(plan_dir / "slos.yaml")
    ops = OpsConfig.from_spec(specs.operational).with_runbook_base(alert_sink.runbook_base_url)
    books = load_runbooks(RUNBOOK_DIR, REPO_ROOT)
    try:
        gates = load_config(plan_dir)
    except ReleaseGateError:
        gates = None  # a plan without release-gate bindings: WS4.3 stays unknown
    with connected(duckdb) as con:
        out = record_operations(
            con,
            slos=specs.slos,
            ops=ops,
            books=books,
            gates=gates,
            repo_root=REPO_ROOT,
            now=gonogo.current_time(),
            is_demo=gonogo.demo,
        )
        table_meta = table_metadata(con, "drill_runs")
    return dg.MaterializeResult(
        metadata={
            **table_meta,
            **{k: v for k, v in out.items() if isinstance(v, int | float) and v is not None},
            "evidence_ids": ", ".join(out["evidence_ids"]),
        }
    )


class DrillConfig(dg.Config):
    name: str
    scale: float | None = None  # None: the drill's own time compression


@dg.op(
    description="Run one drill end to end (`gonogo drill run NAME`); fails when it did not complete."
)
def run_drill(
    context: dg.OpExecutionContext, config: DrillConfig, gonogo: GonogoSettings
) -> dg.Output[str]:
    if config.name not in DRILLS:
        raise dg.Failure(f"unknown drill {config.name!r}; expected one of {', '.join(DRILLS)}")
    argv = [sys.executable, "-m", "gonogo", "drill", "run", config.name, "--json"]
    if config.scale:
        argv += ["--scale", str(config.scale)]
    env = {
        **os.environ,
        "GONOGO_HOME": str(gonogo.settings.home),
        "GONOGO_PLAN_DIR": str(gonogo.settings.plan_dir),
    }
    p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=1800)
    try:
        result = json.loads(p.stdout)
    except json.JSONDecodeError:
        raise dg.Failure(f"drill {config.name} did not report: {p.stderr[-500:]}") from None
    meta = {
        "status": result["status"],
        "reason": result["reason"],
        "runbook": result["runbook_path"] or "",
        "ttd_s": result["ttd_s"] if result["ttd_s"] is not None else -1.0,
        "ttm_s": result["ttm_s"] if result["ttm_s"] is not None else -1.0,
        "ttr_s": result["ttr_s"] if result["ttr_s"] is not None else -1.0,
        "steps": dg.MetadataValue.json(
            [{k: s[k] for k in ("section", "step", "ok", "exit_code")} for s in result["steps"]]
        ),
    }
    context.add_output_metadata(meta)
    if result["status"] != "completed":
        raise dg.Failure(
            f"drill {config.name} {result['status']}: {result['reason']}", metadata=meta
        )
    return dg.Output(result["drill_id"])
