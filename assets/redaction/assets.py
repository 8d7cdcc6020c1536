"""Dagster assets of the redaction domain: the leak scan over every sink."""

from collections import Counter
from typing import Any

import dagster as dg

from assets.evidence.store import EvidenceItem, record_evidence
from assets.redaction.leak_scan import (
    EVIDENCE_KIND,
    UPSTREAM,
    LeakScanner,
    record_findings,
    scan_sinks,
)
from assets.tables import connected
from enforcement_agent.redaction.canary import load_canaries
from enforcement_agent.redaction.keys import load_key
from pipelines.resources import DuckDBResource, GonogoSettings, table_metadata


@dg.asset(
    group_name="redaction",
    owners=["team:security"],
    kinds={"duckdb", "python"},
    deps=[dg.AssetKey(k) for k in UPSTREAM],
)
def leak_scan(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, gonogo: GonogoSettings
) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """Every sink scanned for canary secrets and detector hits; findings keep no secret."""
    settings = gonogo.settings
    now = gonogo.current_time()
    canaries, canary_source = load_canaries(settings.home)
    scanner = LeakScanner(load_key(settings.home), canaries)
    scan_id = f"{now.strftime('%Y%m%dT%H%M%S%fZ')}-{context.run_id[:8]}"
    with connected(duckdb) as con:
        result = scan_sinks(
            home=settings.home,
            spool_dir=settings.spool_dir,
            audit_dir=settings.audit_dir,
            con=con,
            scanner=scanner,
        )
        record_findings(con, result, scan_id, now)
        n = len(result.findings)
        canary_hits = sum(f.canary for f in result.findings)
        detail: dict[str, Any] = {
            "scan_id": scan_id,
            "sinks": result.sink_summary(),
            "findings": n,
            "canary_findings": canary_hits,
            "canaries_hunted": len(canaries),
            "canary_source": canary_source,
            # [name, count] pairs: detector names contain "secret"/"token", and a mapping of
            # them would read as credentials to the next scan.
            "by_detector": sorted(Counter(f.detector for f in result.findings).items()),
        }
        record_evidence(
            con,
            [
                EvidenceItem(
                    kind=EVIDENCE_KIND,
                    source="assets/redaction/leak_scan.py",
                    collected_at=now,
                    value=float(n),
                    detail=detail,
                    subject="every sink",
                    is_demo=gonogo.demo,
                )
            ],
        )
        table_meta = table_metadata(con, "leak_scan_findings")
    if canary_source == "none":
        context.log.warning("no canary seed (GONOGO_CANARY_SEED or canaries.json): detectors only")
    return dg.MaterializeResult(
        metadata={
            **table_meta,
            "scan_id": scan_id,
            "findings": n,
            "canary_findings": canary_hits,
            "canaries_hunted": len(canaries),
            "sinks": dg.MetadataValue.json(result.sink_summary()),
        }
    )
