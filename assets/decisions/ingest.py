"""Decision records → DuckDB, and the WS0 policy evidence computed from real records."""

import json
from datetime import datetime
from typing import Any

import duckdb

from assets.evidence.store import EvidenceItem
from enforcement_agent.audit import RECORD_FIELDS, iter_records

_CORE = {*RECORD_FIELDS, "hash", "chain_ok"}
# Synthetic incident rows injected by SLO drills (`gonogo slo incident inject`) are not tool calls.
REAL_CALLS = "t.segment NOT LIKE 'drill:%'"
# Break-glass rules are the audited, explicit exception to "destructive is denied by default".
BREAK_GLASS_PREFIX = "break-glass"


def _row(rec: dict[str, Any]) -> list[Any]:
    extra = {k: v for k, v in rec.items() if k not in _CORE}
    return [
        rec.get("tenant_id"),
        rec.get("decision_id"),
        rec.get("seq"),
        rec.get("timestamp"),
        rec.get("actor"),
        rec.get("role"),
        rec.get("tool"),
        rec.get("session_id"),
        rec.get("input_digest"),
        rec.get("target"),
        rec.get("result"),
        rec.get("rule"),
        rec.get("reason"),
        rec.get("policy_revision"),
        rec.get("eval_us"),
        bool(rec.get("destructive", False)),
        rec.get("prev_hash"),
        rec.get("hash"),
        bool(rec.get("chain_ok", False)),
        json.dumps(extra, sort_keys=True),
    ]


def ingest_decision_records(con: duckdb.DuckDBPyConnection, audit_dir: Any) -> int:
    """Upsert every readable record (a later verify can flip ``chain_ok``); returns the count."""
    rows = [_row(r) for r in iter_records(audit_dir)]
    if rows:
        con.executemany(
            f"INSERT OR REPLACE INTO decision_records VALUES ({', '.join('?' for _ in rows[0])})",
            rows,
        )
    return len(rows)


def policy_evidence(
    con: duckdb.DuckDBPyConnection, now: datetime, chain: dict[str, Any], *, demo: bool
) -> list[EvidenceItem]:
    """Coverage (every tool call has a chained record) and destructive-blocked, from real rows."""
    items: list[EvidenceItem] = []
    cov = con.execute(
        f"""
        SELECT t.tenant_id, count(*) AS calls,
               count(d.decision_id) FILTER (WHERE d.chain_ok) AS covered
        FROM tool_calls t
        LEFT JOIN decision_records d
          ON d.tenant_id = t.tenant_id AND d.decision_id = t.decision_id
        WHERE {REAL_CALLS}
        GROUP BY t.tenant_id ORDER BY t.tenant_id
        """
    ).fetchall()
    calls = sum(r[1] for r in cov)
    if calls:
        covered = sum(r[2] for r in cov)
        items.append(
            EvidenceItem(
                kind="policy.decision_coverage",
                source="assets/decisions/ingest.py: tool_calls LEFT JOIN decision_records",
                collected_at=now,
                value=covered / calls,
                detail={
                    "tool_calls": calls,
                    "with_chained_record": covered,
                    "per_tenant": {r[0]: {"calls": r[1], "covered": r[2]} for r in cov},
                },
                is_demo=demo,
            )
        )
    dest = con.execute(
        """
        SELECT tenant_id, result, rule, count(*)
        FROM decision_records WHERE destructive
        GROUP BY ALL ORDER BY ALL
        """
    ).fetchall()
    total = sum(r[3] for r in dest)
    if total:
        break_glass = sum(
            r[3] for r in dest if r[1] == "allow" and r[2].startswith(BREAK_GLASS_PREFIX)
        )
        allowed = sum(r[3] for r in dest if r[1] == "allow") - break_glass
        considered = total - break_glass
        items.append(
            EvidenceItem(
                kind="policy.destructive_blocked",
                source="assets/decisions/ingest.py: decision_records where destructive",
                collected_at=now,
                value=(considered - allowed) / considered if considered else 1.0,
                detail={
                    "destructive_requests": total,
                    "blocked": considered - allowed,
                    "allowed_without_break_glass": allowed,
                    "allowed_by_break_glass": break_glass,
                    "by_rule": {f"{r[0]}:{r[1]}:{r[2]}": r[3] for r in dest},
                },
                is_demo=demo,
            )
        )
    items.append(
        EvidenceItem(
            kind="policy.audit_chain",
            source="enforcement_agent.audit.verify",
            collected_at=now,
            value=1.0 if chain["ok"] else 0.0,
            detail=chain,
            is_demo=demo,
        )
    )
    return items
