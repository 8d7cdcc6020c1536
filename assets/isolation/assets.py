"""Dagster assets of the isolation domain: the probe matrix, the namespace audit, retention."""

from datetime import datetime
from typing import Any

import dagster as dg

from assets.evidence.store import EvidenceItem, record_evidence
from assets.isolation.contract import ContractError, load_contract, retention_gaps
from assets.isolation.matrix import run_and_record
from assets.isolation.namespace import audit_acl, audit_keys, audit_streams, recorded_keys
from assets.isolation.retention import apply_file_retention, apply_table_retention, record_runs
from assets.tables import TABLES, connected
from pipelines.resources import DuckDBResource, GonogoSettings, table_metadata
from pipelines.settings import Settings
from pipelines.tenancy_resources import TenancyResource

NAMESPACE_EVIDENCE_KIND = "tenancy.namespace_audit"
RETENTION_EVIDENCE_KIND = "tenancy.retention"
CONTRACT_EVIDENCE_KIND = "tenancy.retention_contract"
SOURCE = "assets/isolation"


def _stamp(now: datetime, run_id: str) -> str:
    return f"{now.strftime('%Y%m%dT%H%M%S%fZ')}-{run_id[:8]}"


def _served_tenants(settings: Settings, tenancy: TenancyResource) -> list[str]:
    """Tenants this deployment serves: a policy file and a workspace in this state directory
    (where a gateway started here acts for them)."""
    return [t for t in tenancy.tenants_for(settings) if (settings.workspaces_dir / t).is_dir()]


def _evidence(kind: str, now: datetime, value: float | None, detail: dict[str, Any], demo: bool) -> EvidenceItem:  # fmt: skip
    return EvidenceItem(kind=kind, source=SOURCE, collected_at=now, value=value, detail=detail,
                        subject="tenant isolation", is_demo=demo)  # fmt: skip


# After this run's ingest: the probes' own tool calls and decision records (real ones, made
# through the gateways) are then ingested together by the next run, never half of them.
@dg.asset(
    group_name="isolation",
    owners=["team:platform"],
    kinds={"duckdb", "python"},
    deps=[dg.AssetKey("spool_ingest"), dg.AssetKey("decision_records")],
)
def tenant_probes(
    context: dg.AssetExecutionContext,
    duckdb: DuckDBResource,
    gonogo: GonogoSettings,
    tenancy: TenancyResource,
) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """Every cross-tenant probe, as each tenant against every other's canaries, on live gateways."""
    settings, now = gonogo.settings, gonogo.current_time()
    contract = load_contract()
    tenants = _served_tenants(settings, tenancy)
    run_id = _stamp(now, context.run_id)
    redis = tenancy.redis(settings.home)
    try:
        value, detail = run_and_record(
            settings.home,
            lambda: connected(duckdb),
            tenants,
            now,
            contract,
            redis_client_for=redis.client if redis is not None else None,
            env=tenancy.probe_env(),
            run_id=run_id,
            demo=gonogo.demo,
        )
    finally:
        if redis is not None:
            redis.close()
    with connected(duckdb) as con:
        meta = table_metadata(con, "tenant_probe_results")
    if value != 1.0:
        context.log.warning(f"probe matrix not all closed: {detail.get('problem') or ''}")
    return dg.MaterializeResult(
        metadata={**meta, "run_id": run_id, "tenants": len(tenants),
                  "probes": int(detail.get("probes", 0)), "leaks": int(detail.get("leaks", 0)),
                  "not_closed": int(detail.get("not_closed", 0)),
                  "uncovered_surfaces": dg.MetadataValue.json(detail.get("uncovered_surfaces", []))}
    )  # fmt: skip


@dg.asset(
    group_name="isolation",
    owners=["team:platform"],
    kinds={"duckdb", "redis"},
    deps=[tenant_probes],
)
def namespace_audit(
    context: dg.AssetExecutionContext,
    duckdb: DuckDBResource,
    gonogo: GonogoSettings,
    tenancy: TenancyResource,
) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """Every Redis key written under its tenant's prefix, every ACL user confined, queues named."""
    settings, now = gonogo.settings, gonogo.current_time()
    audit_id = _stamp(now, context.run_id)
    contract_ok, contract_problem = True, ""
    try:
        contract = load_contract()
        documented = {s.store for s in contract.stores if s.backend == "redis"}
        missing = {"redis:jobs", "redis:cache"} - documented
        if (
            missing
            or "jobs_queues" not in contract.surface_ids
            or "cache" not in contract.surface_ids
        ):
            contract_ok, contract_problem = False, f"contract lacks {sorted(missing)}"
    except ContractError as exc:
        contract_ok, contract_problem = False, str(exc)
    redis = tenancy.redis(settings.home)
    if redis is None:
        value: float | None = None
        detail: dict[str, Any] = {"problem": "no shared Redis configured (GONOGO_REDIS_URL)"}
        findings = []
    else:
        try:
            acl_findings, tenants = audit_acl(redis.acl_list())
            admin = redis.admin()
            live = {k.decode() for k in admin.scan_iter(count=1000)}
            written = recorded_keys(settings.evidence_dir)
            streams = {k for k in live if admin.type(k) == b"stream"}
            findings = audit_keys(written | live, tenants) + acl_findings + audit_streams(streams)
        finally:
            redis.close()
        bad = [f for f in findings if not f.ok]
        keys_seen = len(written | live)
        users = sum(f.kind == "acl_user" and f.tenant != "_global" for f in findings)
        ok = not bad and keys_seen > 0 and users > 0 and contract_ok
        value = 1.0 if ok else 0.0
        detail = {"audit_id": audit_id, "keys": keys_seen, "recorded_keys": len(written),
                  "acl_users": users, "queues": sum(f.kind == "queue" for f in findings),
                  "violations": [f"{f.kind} {f.subject}: {f.detail}" for f in bad][:50],
                  "contract_documents_namespaces": contract_ok, "contract_problem": contract_problem}  # fmt: skip
    with connected(duckdb) as con:
        for f in findings:
            con.execute(
                "INSERT INTO namespace_audit VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [f.tenant, audit_id, now, f.kind, f.subject, f.ok, f.detail],
            )
        record_evidence(con, [_evidence(NAMESPACE_EVIDENCE_KIND, now, value, detail, gonogo.demo)])
        meta = table_metadata(con, "namespace_audit")
    return dg.MaterializeResult(metadata={**meta, "audit_id": audit_id, "value": value or 0.0})


@dg.asset(group_name="isolation", owners=["team:platform"], kinds={"duckdb"})
def data_retention(
    context: dg.AssetExecutionContext, duckdb: DuckDBResource, gonogo: GonogoSettings
) -> dg.MaterializeResult:  # type: ignore[type-arg]
    """Rows and files past the contract's retention deleted; the contract checked against the store."""
    settings, now = gonogo.settings, gonogo.current_time()
    run_id = _stamp(now, context.run_id)
    items = []
    with connected(duckdb) as con:
        try:
            contract = load_contract()
        except ContractError as exc:
            items.append(
                _evidence(CONTRACT_EVIDENCE_KIND, now, 0.0, {"problem": str(exc)}, gonogo.demo)
            )
            record_evidence(con, items)
            return dg.MaterializeResult(metadata={"problem": str(exc)})
        existing = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        }
        gaps = retention_gaps(contract, set(TABLES) | existing)
        segments = {r[0] for r in con.execute("SELECT segment FROM spool_segments").fetchall()}
        runs = apply_table_retention(con, contract, existing, now)
        runs += apply_file_retention(contract, settings.home, segments, now)
        record_runs(con, run_id, runs, now)
        stores = {s.store for s in contract.stores}
        missing_stores = sorted({"file:spool", "file:audit", "file:workspaces", "file:exports",
                                 "file:reports", "redis:jobs", "redis:cache"} - stores)  # fmt: skip
        contract_ok = not any(gaps.values()) and not missing_stores
        items.append(
            _evidence(CONTRACT_EVIDENCE_KIND, now, 1.0 if contract_ok else 0.0,
                      {**gaps, "undocumented_stores": missing_stores,
                       "tables": len(existing), "documented_stores": len(stores)}, gonogo.demo)
        )  # fmt: skip
        deleted = sum(r.deleted for r in runs)
        enforced = sum(r.retention_days is not None for r in runs)
        items.append(
            _evidence(RETENTION_EVIDENCE_KIND, now, 1.0,
                      {"run_id": run_id, "stores": len(runs), "with_retention": enforced,
                       "deleted_rows": deleted,
                       "by_store": {r.store: r.deleted for r in runs if r.deleted}}, gonogo.demo)
        )  # fmt: skip
        record_evidence(con, items)
        meta = table_metadata(con, "retention_runs")
    return dg.MaterializeResult(metadata={**meta, "run_id": run_id, "deleted": deleted})
