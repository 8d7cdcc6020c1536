"""Asset checks of the readiness domain."""

import json
import re
from pathlib import Path

import dagster as dg

from assets.readiness.assets import criterion_verdicts, readiness_decision
from assets.readiness.plan import load_plan
from assets.readiness.verdicts import latest_run_id, run_rows, verify_history
from assets.report.assets import readiness_report
from assets.tables import connected
from pipelines.resources import DuckDBResource, GonogoSettings


@dg.asset_check(
    asset=criterion_verdicts,
    description="Every evaluable plan criterion has a verdict in the latest run.",
)
def every_criterion_has_verdict(
    duckdb: DuckDBResource, gonogo: GonogoSettings
) -> dg.AssetCheckResult:
    plan = load_plan(gonogo.settings.plan_dir)
    with connected(duckdb) as con:
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
    with connected(duckdb) as con:
        rep = verify_history(con)
    return dg.AssetCheckResult(
        passed=rep.ok, metadata={"rows": rep.rows, "problem": rep.problem or "none"}
    )


@dg.asset_check(
    asset=readiness_decision, description="NO-GO whenever any P0 criterion is not pass."
)
def no_go_while_p0_open(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with connected(duckdb) as con:
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


@dg.asset_check(
    asset=readiness_report, description="The written report records the hash of its inputs."
)
def report_inputs_hash_recorded(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with connected(duckdb) as con:
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
    with connected(duckdb) as con:
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
