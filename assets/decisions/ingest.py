"""Decision records → DuckDB, and the WS0 policy evidence computed from real records."""

import json
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from assets.evidence.store import EvidenceItem
from enforcement_agent.audit import RECORD_FIELDS, iter_records

_CORE = {*RECORD_FIELDS, "hash", "chain_ok"}
# Synthetic incident rows injected by SLO drills (`gonogo slo incident inject`) are not tool calls.
REAL_CALLS = "t.segment NOT LIKE 'drill:%'"
# Break-glass rules are the audited, explicit exception to "destructive is denied by default".
BREAK_GLASS_PREFIX = "break-glass"
# A record the agent appends after a decision it could not carry out (``record: outcome``).
OUTCOME_RECORD = "outcome"

_DECISION_COLUMNS: dict[str, pa.DataType] = {
    "tenant_id": pa.string(),
    "decision_id": pa.string(),
    "seq": pa.int64(),
    "ts": pa.string(),  # ISO text, cast by the store (TRY_CAST: a bad stamp is NULL)
    "actor": pa.string(),
    "role": pa.string(),
    "tool": pa.string(),
    "session_id": pa.string(),
    "input_digest": pa.string(),
    "target": pa.string(),
    "result": pa.string(),
    "rule": pa.string(),
    "reason": pa.string(),
    "policy_revision": pa.string(),
    "eval_us": pa.float64(),
    "destructive": pa.bool_(),
    "prev_hash": pa.string(),
    "hash": pa.string(),
    "chain_ok": pa.bool_(),
    "extra": pa.string(),
    "trace_id": pa.string(),
    "span_id": pa.string(),
}
_OUTCOME_COLUMNS: dict[str, pa.DataType] = {
    "tenant_id": pa.string(),
    "record_id": pa.string(),
    "outcome_of": pa.string(),
    "seq": pa.int64(),
    "ts": pa.string(),
    "outcome": pa.string(),
    "reason": pa.string(),
    "hash": pa.string(),
    "chain_ok": pa.bool_(),
}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: Any, kind: type) -> Any:
    return kind(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _decision_row(rec: dict[str, Any]) -> dict[str, Any]:
    extra = {k: v for k, v in rec.items() if k not in _CORE}
    return {
        "tenant_id": _text(rec.get("tenant_id")),
        "decision_id": _text(rec.get("decision_id")),
        "seq": _number(rec.get("seq"), int),
        "ts": _text(rec.get("timestamp")),
        **{k: _text(rec.get(k)) for k in ("actor", "role", "tool", "session_id")},
        **{k: _text(rec.get(k)) for k in ("input_digest", "target", "result", "rule", "reason")},
        "policy_revision": _text(rec.get("policy_revision")),
        "eval_us": _number(rec.get("eval_us"), float),
        "destructive": bool(rec.get("destructive", False)),
        "prev_hash": _text(rec.get("prev_hash")),
        "hash": _text(rec.get("hash")),
        "chain_ok": bool(rec.get("chain_ok", False)),
        "extra": json.dumps(extra, sort_keys=True),
        "trace_id": _text(extra.get("trace_id")),
        "span_id": _text(extra.get("span_id")),
    }


def _outcome_row(rec: dict[str, Any]) -> dict[str, Any]:
    return {
        "tenant_id": _text(rec.get("tenant_id")),
        "record_id": _text(rec.get("decision_id")),
        "outcome_of": _text(rec.get("outcome_of")) or "",
        "seq": _number(rec.get("seq"), int),
        "ts": _text(rec.get("timestamp")),
        "outcome": _text(rec.get("outcome")) or "unknown",
        "reason": _text(rec.get("reason")),
        "hash": _text(rec.get("hash")),
        "chain_ok": bool(rec.get("chain_ok", False)),
    }


def _upsert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    key: str,
    types: dict[str, pa.DataType],
    rows: list[dict[str, Any]],
) -> tuple[int, int]:
    """Insert rows not in ``table`` yet and update ``chain_ok`` where a later verify flipped
    it; rows already there unchanged are not written again. Returns (inserted, updated)."""
    rows = [r for r in rows if r["tenant_id"] and r[key]]
    incoming = pa.table({c: pa.array([r[c] for r in rows], t) for c, t in types.items()})
    name = f"incoming_{table}"
    con.register(name, incoming)
    try:
        # The last line wins when an id appears twice (a replayed record fails the chain).
        dedup = (
            f"SELECT * FROM {name} QUALIFY row_number() OVER "
            f"(PARTITION BY tenant_id, {key} ORDER BY seq DESC NULLS LAST) = 1"
        )
        values = ", ".join("TRY_CAST(ts AS TIMESTAMPTZ)" if c == "ts" else c for c in types)
        inserted = con.execute(
            f"INSERT INTO {table} ({', '.join(types)}) SELECT {values} FROM ({dedup}) i "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} d WHERE d.tenant_id = i.tenant_id "
            f"AND d.{key} = i.{key})"
        ).fetchone()
        updated = con.execute(
            f"UPDATE {table} d SET chain_ok = i.chain_ok FROM ({dedup}) i "
            f"WHERE d.tenant_id = i.tenant_id AND d.{key} = i.{key} AND d.chain_ok IS DISTINCT FROM i.chain_ok"
        ).fetchone()
        # A row whose record is gone from the log (removed, truncated) no longer verifies.
        gone = con.execute(
            f"UPDATE {table} d SET chain_ok = FALSE WHERE chain_ok AND NOT EXISTS "
            f"(SELECT 1 FROM {name} i WHERE i.tenant_id = d.tenant_id AND i.{key} = d.{key})"
        ).fetchone()
    finally:
        con.unregister(name)
    return int(inserted[0]) if inserted else 0, (int(updated[0]) if updated else 0) + (
        int(gone[0]) if gone else 0
    )


def ingest_decision_records(con: duckdb.DuckDBPyConnection, audit_dir: Any) -> int:
    """Bring ``decision_records`` (and ``decision_outcomes``) up to date with the logs.

    Incremental: only records not in the store yet are inserted, and only rows whose
    ``chain_ok`` changed are updated; returns how many records the logs hold.
    """
    decisions: list[dict[str, Any]] = []
    outcomes: list[dict[str, Any]] = []
    for rec in iter_records(audit_dir):
        if rec.get("record") == OUTCOME_RECORD:
            outcomes.append(_outcome_row(rec))
        else:
            decisions.append(_decision_row(rec))
    con.execute("BEGIN TRANSACTION")
    try:
        _upsert(con, "decision_records", "decision_id", _DECISION_COLUMNS, decisions)
        _upsert(con, "decision_outcomes", "record_id", _OUTCOME_COLUMNS, outcomes)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(decisions) + len(outcomes)


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
