"""Telemetry completeness: did every span the agent wrote reach the store?

Two independent counts, both from data (never from the writer's say-so):
- **Recorded calls** (`update_span_ledger`): the agent writes a decision record naming the span
  that will report the call (``trace_id``, ``span_id``) before it acts. Each such record is a
  row of ``span_ledger``: ``ingested`` (the span is in ``tool_calls``), ``quarantined`` (its
  line was refused, with the reason), ``pending`` (younger than the grace: its segment may still
  be open) or ``missing`` (lost). Rows are re-checked until they arrive.
- **Writer sequence numbers**: each writer numbers its spans 1, 2, 3 …; a number below the
  highest seen that is neither ingested nor quarantined is a span that never reached the store.

The evidence ``telemetry.completeness`` has value = spans lost (missing + sequence gaps);
0 passes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

import duckdb

from assets.evidence.store import GLOBAL_TENANT, EvidenceItem

EVIDENCE_KIND = "telemetry.completeness"
# How long a recorded call's span may take to arrive: a segment is sealed within a minute
# (max age), the spool sensor looks every 30 s; the rest is slack for a loaded machine.
DEFAULT_GRACE = timedelta(minutes=10)
STATES = ("ingested", "quarantined", "pending", "missing")


@dataclass(frozen=True)
class Completeness:
    expected: int  # recorded calls whose span must arrive
    ingested: int
    quarantined: int
    pending: int
    missing: int
    writers: int
    seq_gaps: int
    open_segments: int

    @property
    def lost(self) -> int:
        return self.missing + self.seq_gaps

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "lost": self.lost}


def update_span_ledger(
    con: duckdb.DuckDBPyConnection, now: datetime, grace: timedelta = DEFAULT_GRACE
) -> None:
    """(Re)classify every recorded call that has not arrived yet (incremental: rows already
    ``ingested`` or ``quarantined`` are final and not read again)."""
    con.execute(
        """
        INSERT OR REPLACE INTO span_ledger
        SELECT d.tenant_id, d.decision_id, d.ts, d.trace_id, d.span_id,
               CASE WHEN EXISTS (SELECT 1 FROM tool_calls t
                                 WHERE t.trace_id = d.trace_id AND t.span_id = d.span_id)
                      THEN 'ingested'
                    WHEN EXISTS (SELECT 1 FROM telemetry_quarantine q
                                 WHERE q.trace_id = d.trace_id AND q.span_id = d.span_id)
                      THEN 'quarantined'
                    WHEN d.ts >= ? THEN 'pending'
                    ELSE 'missing' END,
               ?
        FROM decision_records d
        WHERE d.span_id IS NOT NULL AND d.trace_id IS NOT NULL AND d.ts IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM span_ledger l
                          WHERE l.tenant_id = d.tenant_id AND l.decision_id = d.decision_id
                            AND l.state IN ('ingested', 'quarantined'))
        """,
        [now - grace, now],
    )


def measure(con: duckdb.DuckDBPyConnection, open_segments: int = 0) -> Completeness:
    """The counts as the store holds them now (after `update_span_ledger`)."""
    states = dict(con.execute("SELECT state, count(*) FROM span_ledger GROUP BY state").fetchall())
    gaps = con.execute(
        """
        WITH seen AS (
            SELECT spool_writer, spool_seq FROM tool_calls WHERE spool_writer IS NOT NULL
            UNION
            SELECT spool_writer, spool_seq FROM telemetry_quarantine
            WHERE spool_writer IS NOT NULL AND spool_seq IS NOT NULL
        )
        SELECT count(*), coalesce(sum(max_seq - n), 0)
        FROM (SELECT spool_writer, max(spool_seq) AS max_seq, count(DISTINCT spool_seq) AS n
              FROM seen GROUP BY spool_writer)
        """
    ).fetchone()
    writers, seq_gaps = (int(gaps[0]), int(gaps[1])) if gaps else (0, 0)
    return Completeness(
        expected=sum(int(v) for v in states.values()),
        ingested=int(states.get("ingested", 0)),
        quarantined=int(states.get("quarantined", 0)),
        pending=int(states.get("pending", 0)),
        missing=int(states.get("missing", 0)),
        writers=writers,
        seq_gaps=seq_gaps,
        open_segments=open_segments,
    )


def record_completeness(
    con: duckdb.DuckDBPyConnection, c: Completeness, now: datetime, *, demo: bool
) -> EvidenceItem:
    """One ``telemetry_completeness`` row and the evidence item it backs."""
    con.execute(
        "INSERT OR REPLACE INTO telemetry_completeness VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        [
            GLOBAL_TENANT,
            now,
            c.expected,
            c.ingested,
            c.quarantined,
            c.pending,
            c.missing,
            c.writers,
            c.seq_gaps,
            c.open_segments,
        ],
    )
    return EvidenceItem(
        kind=EVIDENCE_KIND,
        source="assets/telemetry/completeness.py: span_ledger and spool sequence numbers",
        collected_at=now,
        value=float(c.lost),
        detail=c.to_json(),
        subject="spool → tool_calls",
        is_demo=demo,
    )
