"""Dagster assets of the benchmark domain (group ``benchmarks``)."""

import json
from pathlib import Path

import dagster as dg

from assets.benchmarks.claims import ClaimsError, evaluate, load_claims
from assets.benchmarks.evidence import (
    claims_evidence,
    one_pager_evidence,
    reproducibility_evidence,
    run_evidence,
)
from assets.benchmarks.one_pager import check_one_pager, render, write
from assets.benchmarks.results import ResultsError, RunFolder, read_run
from assets.benchmarks.stats import summarize
from assets.benchmarks.store import load_run, write_comparisons
from assets.evidence.store import record_evidence
from assets.readiness.record import resolve_out_dir
from assets.tables import connected
from pipelines.resources import DuckDBResource, GonogoSettings
from pipelines.settings import REPO_ROOT

OWNERS = ["team:product"]
METHODOLOGY = REPO_ROOT / "docs" / "benchmarks.md"


class BenchmarkConfig(dg.Config):
    """Where the run folders, claims, methodology and one-pager are ("" = the default)."""

    results_dir: str = ""  # default: $GONOGO_HOME/evidence/bench
    claims_file: str = ""  # default: <plan>/claims.yaml
    methodology: str = ""  # default: docs/benchmarks.md
    one_pager_dir: str = ""  # default: the report folder ($GONOGO_OUT, else <home>/reports)
    write_one_pager: bool = True  # (re)generate the one-pager before checking it


def _read_folders(results: Path, log: dg.DagsterLogManager) -> tuple[list[RunFolder], list[str]]:
    folders: list[RunFolder] = []
    bad: list[str] = []
    if results.is_dir():
        for d in sorted(results.iterdir()):
            if not (d / "run.json").is_file():
                continue
            try:
                folders.append(read_run(d))
            except ResultsError as exc:
                # A broken folder is reported and left in place; the others still load.
                bad.append(str(exc))
                log.warning(str(exc))
    folders.sort(key=lambda f: (f.run.started_at, f.run.run_id))
    return folders, bad


@dg.asset(group_name="benchmarks", owners=OWNERS, kinds={"duckdb", "polars"})
def benchmark_comparisons(
    context: dg.AssetExecutionContext,
    config: BenchmarkConfig,
    duckdb: DuckDBResource,
    gonogo: GonogoSettings,
) -> dg.MaterializeResult[None]:
    """Benchmark runs in DuckDB, agent comparisons with intervals, claims judged, WS5 evidence."""
    settings = gonogo.settings
    now = gonogo.current_time()
    results = Path(config.results_dir) if config.results_dir else settings.evidence_dir / "bench"
    claims_path = (
        Path(config.claims_file) if config.claims_file else Path(gonogo.plan_dir) / "claims.yaml"
    )
    methodology = Path(config.methodology) if config.methodology else METHODOLOGY
    folders, bad = _read_folders(results, context.log)
    with connected(duckdb) as con:
        evidence = []
        run_ids: dict[str, str] = {}
        n_rows = 0
        for f in folders:
            if f.summary is None:
                f.summary = summarize(f.run, f.attempts)
            load_run(con, f)
            n_rows += write_comparisons(
                con, f.run.run_id, f.summary, now, is_demo=f.run.is_demo or gonogo.demo
            )
            item = run_evidence(f, now)
            evidence.append(item)
            run_ids[f.run.run_id] = item.evidence_id
        own = [f for f in folders if f.run.source == "gonogo"]
        latest = own[-1] if own else None
        is_demo = gonogo.demo or bool(latest and latest.run.is_demo)
        # No benchmark run at all is no evidence (WS5 stays unknown), not failed evidence.
        if folders:
            evidence.append(reproducibility_evidence(methodology, latest, now))
        try:
            claims = load_claims(claims_path)
        except ClaimsError as exc:
            context.log.error(str(exc))
            claims = []
        newest_first = [
            (f.run.run_id, f.summary or {}, [run_ids[f.run.run_id]]) for f in reversed(folders)
        ]
        judged = evaluate(claims, newest_first)
        for r in judged:
            con.execute(
                """INSERT INTO benchmark_claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT DO NOTHING""",
                [
                    "_global", r.claim.claim_id, now, r.run_id, r.status, r.claim.measure,
                    r.value, r.lo, r.hi, r.claim.op, r.claim.threshold, r.reason,
                    json.dumps(r.evidence_ids), r.claim.spec_hash,
                ],
            )  # fmt: skip
        if claims and folders:
            evidence.append(claims_evidence(judged, now, is_demo=is_demo))
        pages: list[Path] = []
        if folders:
            out = resolve_out_dir(config.one_pager_dir, settings.home)
            if config.write_one_pager:
                write(out, render(judged, is_demo=is_demo))
            pages = [p for p in (out / "one-pager.md", out / "one-pager.html") if p.is_file()]
            if pages:
                problems = [x for page in pages for x in check_one_pager(page, judged)]
                evidence.append(one_pager_evidence(pages, problems, now, is_demo=is_demo))
        ids = record_evidence(con, evidence)
    supported = sum(1 for r in judged if r.status == "supported")
    return dg.MaterializeResult(
        metadata={
            "runs": len(folders),
            "unreadable_runs": len(bad),
            "comparison_rows": n_rows,
            "claims": len(judged),
            "claims_supported": supported,
            "one_pagers_checked": len(pages),
            "evidence_items": len(ids),
            "latest_gonogo_run": latest.run.run_id if latest else "",
        }
    )
