"""Asset checks of the benchmark domain: the one-pager still says only what the evidence says."""

import json
from pathlib import Path

import dagster as dg

from assets.benchmarks.assets import benchmark_comparisons
from assets.benchmarks.claims import ClaimsError, load_claims
from assets.benchmarks.one_pager import check_one_pager
from assets.benchmarks.store import latest_claim_results
from assets.tables import connected
from pipelines.resources import DuckDBResource, GonogoSettings


@dg.asset_check(
    asset=benchmark_comparisons,
    description="The latest one-pager cites only claims the latest benchmark results support, "
    "with their current numbers, and has no uncited number.",
)
def one_pager_matches_claims(duckdb: DuckDBResource, gonogo: GonogoSettings) -> dg.AssetCheckResult:
    try:
        claims = load_claims(Path(gonogo.plan_dir) / "claims.yaml")
    except ClaimsError as exc:
        return dg.AssetCheckResult(passed=False, metadata={"problem": str(exc)})
    with connected(duckdb) as con:
        row = con.execute(
            "SELECT detail FROM evidence_items WHERE kind = 'benchmark.one_pager' "
            "ORDER BY collected_at DESC, rowid DESC LIMIT 1"
        ).fetchone()
        results = latest_claim_results(con, claims)
    if row is None:
        # No benchmark run yet: nothing was published, so nothing can be wrong (WS5.3 unknown).
        return dg.AssetCheckResult(
            passed=True,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"pages": 0, "problem": "no one-pager generated (no benchmark run)"},
        )
    pages = [Path(p) for p in json.loads(row[0]).get("pages", [])]
    problems = [p for page in pages for p in check_one_pager(page, results)]
    if not pages:
        problems.append("the one-pager evidence names no page")
    return dg.AssetCheckResult(
        passed=not problems,
        metadata={
            "pages": len(pages),
            "claims_supported": sum(1 for r in results if r.status == "supported"),
            "problems": "\n".join(problems) or "none",
        },
    )
