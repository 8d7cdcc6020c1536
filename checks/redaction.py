"""Asset checks of the redaction domain."""

import json

import dagster as dg

from assets.redaction.assets import leak_scan
from assets.redaction.leak_scan import EVIDENCE_KIND, FINDINGS_TABLE
from assets.tables import connected
from pipelines.resources import DuckDBResource


@dg.asset_check(asset=leak_scan, description="No secret (canary or detector hit) in any sink")
def leak_scan_clean(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    with connected(duckdb) as con:
        row = con.execute(
            f"""
            SELECT count(*) FILTER (WHERE scan_id IS NOT NULL),
                   count(*) FILTER (WHERE canary)
            FROM {FINDINGS_TABLE}
            WHERE scan_id = (SELECT max(scan_id) FROM {FINDINGS_TABLE})
            """
        ).fetchone()
        last = con.execute(
            "SELECT value, detail FROM evidence_items WHERE kind = ? "
            "ORDER BY collected_at DESC LIMIT 1",
            [EVIDENCE_KIND],
        ).fetchone()
    if last is None:
        return dg.AssetCheckResult(passed=False, metadata={"problem": "no leak scan recorded"})
    findings = int(last[0] or 0)
    detail = json.loads(last[1]) if last[1] else {}
    return dg.AssetCheckResult(
        passed=findings == 0,
        metadata={
            "findings": findings,
            "canary_findings": int(detail.get("canary_findings", row[1] if row else 0)),
            "sinks": dg.MetadataValue.json(detail.get("sinks", {})),
        },
    )
