"""Decision-record ingest is incremental (issue 12 item 3): a run writes only what is new or
changed, a tampered record flips its row's chain_ok, outcome records stay out of the
decision count (records = decisions), and each record names its span."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from assets.decisions.ingest import ingest_decision_records
from assets.tables import ensure_schema
from enforcement_agent.audit import DecisionLog
from enforcement_agent.models import Decision, ToolRequest, Verdict


def _log(audit: Path, n: int, start: int = 0) -> list[str]:
    log = DecisionLog(audit)
    ids = []
    for i in range(start, start + n):
        req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="read", path=f"f{i}")
        d = Decision(Verdict.ALLOW, "file.read", "ok", f"d{i:06d}", "p1")
        log.append(req, d, {"trace_id": f"{i + 1:032x}", "span_id": f"{i + 1:016x}"})
        ids.append(d.decision_id)
    return ids


def _changes(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT count(*) FROM decision_records").fetchone()[0])  # type: ignore[index]


def test_only_new_records_are_written_and_tampering_flips_chain_ok(tmp_path: Path) -> None:
    audit = tmp_path / "audit"
    con = duckdb.connect(str(tmp_path / "g.duckdb"))
    ensure_schema(con)
    _log(audit, 500)
    assert ingest_decision_records(con, audit) == 500
    # Mark every row: an incremental run must not rewrite rows that did not change.
    con.execute("UPDATE decision_records SET reason = 'kept'")
    _log(audit, 20, start=500)
    ingest_decision_records(con, audit)
    kept = con.execute("SELECT count(*) FROM decision_records WHERE reason = 'kept'").fetchone()
    assert _changes(con) == 520 and kept == (500,)
    row = con.execute(
        "SELECT trace_id, span_id, ts IS NOT NULL FROM decision_records WHERE decision_id = 'd000007'"
    ).fetchone()
    assert row == (f"{8:032x}", f"{8:016x}", True)
    # Tamper with record 100: its row (and every later one: the chain breaks) loses chain_ok.
    path = audit / "acme" / "decisions.jsonl"
    lines = path.read_text().splitlines()
    rec = json.loads(lines[100])
    rec["rule"] = "file.read.tampered"
    lines[100] = json.dumps(rec)
    path.write_text("\n".join(lines) + "\n")
    ingest_decision_records(con, audit)
    bad = con.execute("SELECT decision_id FROM decision_records WHERE NOT chain_ok").fetchall()
    assert ("d000100",) in bad and ("d000099",) not in bad
    # A record removed from the log no longer verifies either.
    path.write_text("\n".join(lines[:50]) + "\n")
    ingest_decision_records(con, audit)
    assert con.execute("SELECT count(*) FROM decision_records WHERE chain_ok").fetchone() == (50,)


def test_outcome_records_are_kept_apart_from_decisions(tmp_path: Path) -> None:
    audit = tmp_path / "audit"
    [did] = _log(audit, 1)
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="write", path="x")
    note = Decision(Verdict.ALLOW, "file.write", "outcome error: ENOSPC", "o1", "p1")
    DecisionLog(audit).append(
        req, note, {"record": "outcome", "outcome_of": did, "outcome": "error"}
    )
    con = duckdb.connect(str(tmp_path / "g.duckdb"))
    ensure_schema(con)
    assert ingest_decision_records(con, audit) == 2
    assert _changes(con) == 1
    assert con.execute(
        "SELECT outcome_of, outcome, chain_ok FROM decision_outcomes"
    ).fetchall() == [(did, "error", True)]
