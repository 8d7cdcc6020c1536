"""Every table of the evidence store (DuckDB), and the one path that creates them.

Every table has ``tenant_id`` (``_global`` for platform-wide rows). Domain modules read and
write these tables and never create them: whoever opens the store ensures the schema, either
`open_store` (CLI, scripts, tests) or `connected` (Dagster assets and checks, through the
``duckdb`` resource). Adding a table or a column means adding it here; a column added to a
table that older stores already have also gets an entry in ``MIGRATIONS``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import duckdb

from pipelines import store
from pipelines.store import StoreBusy, StoreCorrupt

__all__ = ["StoreBusy", "StoreCorrupt", "connected", "ensure_schema", "open_store"]

TABLES: dict[str, str] = {
    # telemetry ingest (spool segments → tool calls; bad lines quarantined)
    "spool_segments": """
(
    tenant_id   VARCHAR NOT NULL DEFAULT '_global',
    segment     VARCHAR PRIMARY KEY,
    sha256      VARCHAR NOT NULL,
    lines       INTEGER NOT NULL,
    accepted    INTEGER NOT NULL,
    quarantined INTEGER NOT NULL,
    ingested_at TIMESTAMPTZ NOT NULL
)
""",
    "tool_calls": """
(
    tenant_id      VARCHAR NOT NULL,
    ts             TIMESTAMPTZ NOT NULL,
    trace_id       VARCHAR NOT NULL,
    span_id        VARCHAR NOT NULL,
    actor          VARCHAR,
    role           VARCHAR,
    tool           VARCHAR NOT NULL,
    session_id     VARCHAR,
    decision       VARCHAR NOT NULL,
    rule           VARCHAR,
    decision_id    VARCHAR,
    policy_version VARCHAR,
    destructive    BOOLEAN,
    outcome        VARCHAR NOT NULL,
    exit_code      INTEGER,
    duration_ms    DOUBLE,
    bytes_out      BIGINT,
    truncated      BOOLEAN,
    sandbox_layer  VARCHAR,
    limit_hit      VARCHAR,
    is_demo        BOOLEAN NOT NULL DEFAULT FALSE,
    segment        VARCHAR NOT NULL,
    spool_writer   VARCHAR,
    spool_seq      BIGINT,
    PRIMARY KEY (trace_id, span_id)
)
""",
    "telemetry_quarantine": """
(
    tenant_id    VARCHAR NOT NULL,
    segment      VARCHAR NOT NULL,
    line_no      INTEGER NOT NULL,
    raw_redacted VARCHAR NOT NULL,
    reason       VARCHAR NOT NULL,
    ingested_at  TIMESTAMPTZ NOT NULL,
    spool_writer VARCHAR,
    spool_seq    BIGINT,
    trace_id     VARCHAR,
    span_id      VARCHAR,
    PRIMARY KEY (segment, line_no)
)
""",
    # telemetry completeness: one row per recorded tool call that must have a span
    # (state: ingested | quarantined | pending | missing), re-checked until it arrives
    "span_ledger": """
(
    tenant_id    VARCHAR NOT NULL,
    decision_id  VARCHAR NOT NULL,
    ts           TIMESTAMPTZ NOT NULL,
    trace_id     VARCHAR NOT NULL,
    span_id      VARCHAR NOT NULL,
    state        VARCHAR NOT NULL,
    checked_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, decision_id)
)
""",
    "telemetry_completeness": """
(
    tenant_id       VARCHAR NOT NULL,
    checked_at      TIMESTAMPTZ NOT NULL,
    expected        BIGINT NOT NULL,
    ingested        BIGINT NOT NULL,
    quarantined     BIGINT NOT NULL,
    pending         BIGINT NOT NULL,
    missing         BIGINT NOT NULL,
    writers         BIGINT NOT NULL,
    seq_gaps        BIGINT NOT NULL,
    open_segments   BIGINT NOT NULL,
    detail          JSON,
    PRIMARY KEY (tenant_id, checked_at)
)
""",
    # decision records (audit ingest)
    "decision_records": """
(
    tenant_id       VARCHAR NOT NULL,
    decision_id     VARCHAR NOT NULL,
    seq             BIGINT,
    ts              TIMESTAMPTZ,
    actor           VARCHAR,
    role            VARCHAR,
    tool            VARCHAR,
    session_id      VARCHAR,
    input_digest    VARCHAR,
    target          VARCHAR,
    result          VARCHAR,
    rule            VARCHAR,
    reason          VARCHAR,
    policy_revision VARCHAR,
    eval_us         DOUBLE,
    destructive     BOOLEAN,
    prev_hash       VARCHAR,
    hash            VARCHAR,
    chain_ok        BOOLEAN,
    extra           JSON,
    trace_id        VARCHAR,
    span_id         VARCHAR,
    PRIMARY KEY (tenant_id, decision_id)
)
""",
    # outcome records: an allowed call that could not act (its decision record stays as is)
    "decision_outcomes": """
(
    tenant_id       VARCHAR NOT NULL,
    record_id       VARCHAR NOT NULL,
    outcome_of      VARCHAR NOT NULL,
    seq             BIGINT,
    ts              TIMESTAMPTZ,
    outcome         VARCHAR NOT NULL,
    reason          VARCHAR,
    hash            VARCHAR,
    chain_ok        BOOLEAN,
    PRIMARY KEY (tenant_id, record_id)
)
""",
    # evidence: every producer writes its items here
    "evidence_items": """
(
    tenant_id     VARCHAR NOT NULL,
    evidence_id   VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    subject       VARCHAR,
    collected_at  TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ,
    content_hash  VARCHAR NOT NULL,
    value         DOUBLE,
    detail        JSON,
    uri           VARCHAR,
    is_demo       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (evidence_id)
)
""",
    # security suite: JUnit test cases
    "test_results": """
(
    tenant_id        VARCHAR NOT NULL,
    file             VARCHAR NOT NULL,
    file_sha256      VARCHAR NOT NULL,
    evidence_id      VARCHAR NOT NULL,
    suite            VARCHAR,
    classname        VARCHAR NOT NULL,
    name             VARCHAR NOT NULL,
    families         VARCHAR[] NOT NULL,
    outcome          VARCHAR NOT NULL,
    duration_s       DOUBLE,
    message          VARCHAR,
    suite_timestamp  TIMESTAMPTZ,
    collected_at     TIMESTAMPTZ NOT NULL,
    is_demo          BOOLEAN NOT NULL,
    PRIMARY KEY (file_sha256, classname, name)
)
""",
    # sandbox: limit hits from telemetry and limit drills
    "limit_events": """
(
    tenant_id      VARCHAR NOT NULL,
    ts             TIMESTAMPTZ NOT NULL,
    source         VARCHAR NOT NULL,      -- 'telemetry' | 'probe'
    trace_id       VARCHAR NOT NULL,
    span_id        VARCHAR NOT NULL,
    tool           VARCHAR,
    decision_id    VARCHAR,
    outcome        VARCHAR NOT NULL,
    limit_hit      VARCHAR,
    sandbox_layer  VARCHAR,
    enforced       BOOLEAN,
    detail         VARCHAR,
    is_demo        BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (trace_id, span_id)
)
""",
    # redaction: leak-scan findings (where a secret was; never the secret)
    "leak_scan_findings": """
(
    tenant_id    VARCHAR NOT NULL,
    scan_id      VARCHAR NOT NULL,
    scanned_at   TIMESTAMPTZ NOT NULL,
    sink         VARCHAR NOT NULL,
    location     VARCHAR NOT NULL,
    detector     VARCHAR NOT NULL,
    canary       BOOLEAN NOT NULL,
    fingerprint  VARCHAR NOT NULL
)
""",
    # readiness: append-only verdict history and the specs it used
    "criterion_verdicts": """
(
    tenant_id       VARCHAR NOT NULL,
    seq             BIGINT NOT NULL,
    run_id          VARCHAR NOT NULL,
    evaluated_at    TIMESTAMPTZ NOT NULL,
    plan_id         VARCHAR NOT NULL,
    plan_version    VARCHAR NOT NULL,
    plan_hash       VARCHAR NOT NULL,
    criterion_id    VARCHAR NOT NULL,
    category        VARCHAR NOT NULL,
    workstream      VARCHAR,
    priority        VARCHAR NOT NULL,
    owner           VARCHAR NOT NULL,
    spec_hash       VARCHAR NOT NULL,
    status          VARCHAR NOT NULL,
    raw_status      VARCHAR NOT NULL,
    value           DOUBLE,
    evidence_ids    VARCHAR[] NOT NULL,
    reason          VARCHAR NOT NULL,
    waiver_id       VARCHAR,
    evidence_collected_at TIMESTAMPTZ,
    evidence_expires_at   TIMESTAMPTZ,
    is_demo         BOOLEAN NOT NULL,
    prev_hash       VARCHAR NOT NULL,
    row_hash        VARCHAR NOT NULL,
    PRIMARY KEY (seq)
)
""",
    "criterion_specs": """
(
    tenant_id     VARCHAR NOT NULL,
    spec_hash     VARCHAR NOT NULL PRIMARY KEY,
    criterion_id  VARCHAR NOT NULL,
    spec          JSON NOT NULL,
    plan_version  VARCHAR NOT NULL,
    first_seen    TIMESTAMPTZ NOT NULL
)
""",
    # readiness: recorded decisions and written reports
    "readiness_decisions": """
(
    tenant_id     VARCHAR NOT NULL,
    run_id        VARCHAR NOT NULL PRIMARY KEY,
    decided_at    TIMESTAMPTZ NOT NULL,
    plan_version  VARCHAR NOT NULL,
    decision      VARCHAR NOT NULL,
    sentence      VARCHAR NOT NULL,
    p0_blockers   VARCHAR[] NOT NULL,
    is_demo       BOOLEAN NOT NULL,
    detail        JSON
)
""",
    "readiness_reports": """
(
    tenant_id     VARCHAR NOT NULL,
    run_id        VARCHAR NOT NULL,
    written_at    TIMESTAMPTZ NOT NULL,
    out_dir       VARCHAR NOT NULL,
    files         JSON NOT NULL,
    inputs_hash   VARCHAR NOT NULL,
    decision      VARCHAR NOT NULL,
    is_demo       BOOLEAN NOT NULL
)
""",
    # slo: per-minute counts and status
    "slo_minutes": """
(
    tenant_id VARCHAR NOT NULL,
    slo_id    VARCHAR NOT NULL,
    source    VARCHAR NOT NULL,
    minute    TIMESTAMPTZ NOT NULL,
    total     BIGINT NOT NULL,
    bad       BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, slo_id, source, minute)
)
""",
    "slo_status": """
(
    tenant_id        VARCHAR NOT NULL,
    slo_id           VARCHAR NOT NULL,
    service          VARCHAR NOT NULL,
    slo_name         VARCHAR NOT NULL,
    source           VARCHAR NOT NULL,
    evaluated_at     TIMESTAMPTZ NOT NULL,
    objective        DOUBLE NOT NULL,
    period_s         BIGINT NOT NULL,
    calendar         VARCHAR,
    period_start     TIMESTAMPTZ NOT NULL,
    period_bad       BIGINT NOT NULL,
    period_total     BIGINT NOT NULL,
    sli_state        VARCHAR NOT NULL,
    error_ratio      DOUBLE,
    budget_remaining DOUBLE,
    current_burn_rate DOUBLE,
    exhaustion_s     DOUBLE,
    page_state       VARCHAR,
    page_tier        VARCHAR,
    ticket_state     VARCHAR,
    ticket_tier      VARCHAR,
    windows          JSON NOT NULL,
    PRIMARY KEY (tenant_id, slo_id, source, evaluated_at)
)
""",
    # slo: alert state and delivery log
    "alerts": """
(
    tenant_id    VARCHAR NOT NULL,
    fingerprint  VARCHAR PRIMARY KEY,
    alertname    VARCHAR NOT NULL,
    severity     VARCHAR NOT NULL,
    service      VARCHAR NOT NULL,
    slo          VARCHAR NOT NULL,
    burn_tier    VARCHAR NOT NULL,
    labels       JSON NOT NULL,
    annotations  JSON NOT NULL,
    status       VARCHAR NOT NULL,
    starts_at    TIMESTAMPTZ NOT NULL,
    ends_at      TIMESTAMPTZ,
    last_eval_at TIMESTAMPTZ NOT NULL,
    last_sent_at TIMESTAMPTZ,
    delivery     VARCHAR NOT NULL,
    sends        INTEGER NOT NULL DEFAULT 0,
    last_error   VARCHAR
)
""",
    "alert_log": """
(
    tenant_id   VARCHAR NOT NULL,
    fingerprint VARCHAR NOT NULL,
    logged_at   TIMESTAMPTZ NOT NULL,
    event       VARCHAR NOT NULL,
    sink        VARCHAR NOT NULL,
    ok          BOOLEAN NOT NULL,
    detail      VARCHAR
)
""",
    # slo: alert drills
    "alert_drills": """
(
    tenant_id     VARCHAR NOT NULL,
    drill_id      VARCHAR PRIMARY KEY,
    kind          VARCHAR NOT NULL,
    mode          VARCHAR NOT NULL,
    run_at        TIMESTAMPTZ NOT NULL,
    incident_start TIMESTAMPTZ NOT NULL,
    incident_end  TIMESTAMPTZ NOT NULL,
    expected      JSON NOT NULL,
    fired         JSON NOT NULL,
    resolved      JSON NOT NULL,
    also_fired    JSON NOT NULL,
    time_to_fire_s DOUBLE,
    time_to_resolve_s DOUBLE,
    passed        BOOLEAN,
    detail        JSON
)
""",
    # slo: operational signals (queue lag, heartbeats)
    "ops_signals": """
(
    tenant_id VARCHAR NOT NULL,
    ts        TIMESTAMPTZ NOT NULL,
    signal    VARCHAR NOT NULL,
    subject   VARCHAR NOT NULL,
    value     DOUBLE
)
""",
    # benchmarks: runs, tasks, attempts, comparisons and judged claims (platform rows: _global)
    "bench_runs": """
(
    tenant_id        VARCHAR NOT NULL,
    run_id           VARCHAR NOT NULL,
    source           VARCHAR NOT NULL,
    harness_version  VARCHAR,
    started_at       TIMESTAMPTZ,
    ended_at         TIMESTAMPTZ,
    seed             BIGINT,
    repeats          INTEGER,
    env_fingerprint  VARCHAR,
    environment      JSON,
    agents           JSON,
    inject           VARCHAR,
    tasks_dir        VARCHAR,
    is_demo          BOOLEAN NOT NULL DEFAULT FALSE,
    summary          JSON,
    PRIMARY KEY (tenant_id, run_id)
)
""",
    "bench_tasks": """
(
    tenant_id  VARCHAR NOT NULL,
    run_id     VARCHAR NOT NULL,
    task_id    VARCHAR NOT NULL,
    checksum   VARCHAR,
    path       VARCHAR,
    PRIMARY KEY (tenant_id, run_id, task_id)
)
""",
    "bench_attempts": """
(
    tenant_id        VARCHAR NOT NULL,
    run_id           VARCHAR NOT NULL,
    attempt_id       VARCHAR NOT NULL,
    task_id          VARCHAR NOT NULL,
    task_checksum    VARCHAR,
    agent            VARCHAR NOT NULL,
    agent_version    VARCHAR,
    governed         BOOLEAN,
    repeat           INTEGER,
    seed             BIGINT,
    harness_version  VARCHAR,
    env_fingerprint  VARCHAR,
    started_at       TIMESTAMPTZ,
    status           VARCHAR NOT NULL,
    completed        BOOLEAN NOT NULL,
    merged           BOOLEAN,
    time_to_merge_s  DOUBLE,
    wall_s           DOUBLE,
    agent_s          DOUBLE,
    verifier_s       DOUBLE,
    reward           DOUBLE,
    verifier_exit    INTEGER,
    agent_exit       INTEGER,
    fault_injected   BOOLEAN,
    fault_at_s       DOUBLE,
    recovered        BOOLEAN,
    recovery_time_s  DOUBLE,
    restarts         INTEGER,
    tool_calls       INTEGER,
    denied_calls     INTEGER,
    policy_s         DOUBLE,
    governed_call_s  DOUBLE,
    detail           VARCHAR,
    source           VARCHAR,
    PRIMARY KEY (tenant_id, run_id, attempt_id)
)
""",
    "benchmark_comparisons": """
(
    tenant_id    VARCHAR NOT NULL,
    run_id       VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,   -- agent | pair | overhead | recovery
    subject      VARCHAR NOT NULL,   -- agent (or a, for a pair)
    baseline     VARCHAR NOT NULL,   -- '' or b / the ungoverned agent
    metric       VARCHAR NOT NULL,
    value        DOUBLE,
    ci_lo        DOUBLE,
    ci_hi        DOUBLE,
    n            INTEGER,
    computed_at  TIMESTAMPTZ NOT NULL,
    is_demo      BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (tenant_id, run_id, kind, subject, baseline, metric)
)
""",
    "benchmark_claims": """
(
    tenant_id     VARCHAR NOT NULL,
    claim_id      VARCHAR NOT NULL,
    evaluated_at  TIMESTAMPTZ NOT NULL,
    run_id        VARCHAR,
    status        VARCHAR NOT NULL,  -- supported | unsupported | contradicted
    measure       VARCHAR,
    observed      DOUBLE,
    ci_lo         DOUBLE,
    ci_hi         DOUBLE,
    threshold_op  VARCHAR,
    threshold     DOUBLE,
    reason        VARCHAR,
    evidence_ids  JSON,
    spec_hash     VARCHAR,
    PRIMARY KEY (tenant_id, claim_id, evaluated_at)
)
""",
    # planning: daily tracking entries (one version per edit, history kept)
    "tracking_entries": """
(
    tenant_id           VARCHAR NOT NULL,
    plan_id             VARCHAR NOT NULL,
    workstream          VARCHAR NOT NULL,
    entry_date          DATE NOT NULL,
    version             INTEGER NOT NULL,   -- 1 for the day's first entry, +1 per edit
    author              VARCHAR NOT NULL,
    recorded_at         TIMESTAMPTZ NOT NULL,
    planned_today       VARCHAR[] NOT NULL,
    done_today          VARCHAR[] NOT NULL,
    risks_blockers      VARCHAR[] NOT NULL,
    decision_needed     VARCHAR[] NOT NULL,
    decisions_resolved  VARCHAR[] NOT NULL,
    progress_notes      VARCHAR[] NOT NULL,
    is_demo             BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (tenant_id, plan_id, workstream, entry_date, version)
)
""",
    # planning: policy revisions seen per tenant (onboarding guardrail)
    "policy_revisions": """
(
    tenant_id        VARCHAR NOT NULL,
    revision         VARCHAR NOT NULL,
    tenant_template  BOOLEAN NOT NULL,  -- the revision includes the tenant's own policy file
    file_sha256      VARCHAR,           -- that file's sha256 (NULL: no tenant file)
    observed_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, revision)
)
""",
    # security: the threat model as evaluated against the JUnit evidence (one row per threat
    # per evaluation; the report shows the latest)
    "threat_model": """
(
    tenant_id     VARCHAR NOT NULL,
    evaluated_at  TIMESTAMPTZ NOT NULL,
    threat_id     VARCHAR NOT NULL,
    component     VARCHAR NOT NULL,
    stride        VARCHAR NOT NULL,
    title         VARCHAR NOT NULL,
    likelihood    INTEGER NOT NULL,
    impact        INTEGER NOT NULL,
    score         INTEGER NOT NULL,
    level         VARCHAR NOT NULL,
    mitigation    VARCHAR NOT NULL,
    tests         VARCHAR[] NOT NULL,
    tests_passing INTEGER NOT NULL,
    tests_total   INTEGER NOT NULL,
    test_cases    INTEGER NOT NULL,
    status        VARCHAR NOT NULL,  -- proven | unproven | failing | accepted
    PRIMARY KEY (evaluated_at, threat_id)
)
""",
    # context: what an agent may look up (decision and tool-call summaries, documents)
    "context_items": """
(
    tenant_id   VARCHAR NOT NULL,
    item_id     VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,   -- decision | tool_call | document
    title       VARCHAR NOT NULL,
    body        VARCHAR NOT NULL,   -- redacted
    source      VARCHAR NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    indexed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, item_id)
)
""",
    # isolation: the cross-tenant probe matrix (tenant_id is the prober), namespace audits,
    # retention runs
    "tenant_probe_results": """
(
    tenant_id      VARCHAR NOT NULL,
    run_id         VARCHAR NOT NULL,
    probe_id       VARCHAR NOT NULL,
    target_tenant  VARCHAR NOT NULL,
    surface        VARCHAR NOT NULL,
    access_path    VARCHAR NOT NULL,
    request        VARCHAR NOT NULL,   -- redacted, credentials removed
    expected       VARCHAR NOT NULL,   -- denied | empty
    observed       VARCHAR NOT NULL,   -- denied | empty | leaked | error | unexpected
    status_code    INTEGER,
    canary_seen    BOOLEAN NOT NULL,
    passed         BOOLEAN NOT NULL,
    detail         VARCHAR,
    probed_at      TIMESTAMPTZ NOT NULL,
    is_demo        BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (run_id, probe_id)
)
""",
    "namespace_audit": """
(
    tenant_id     VARCHAR NOT NULL,   -- the tenant the subject belongs to ('_global': none)
    audit_id      VARCHAR NOT NULL,
    audited_at    TIMESTAMPTZ NOT NULL,
    kind          VARCHAR NOT NULL,   -- key | acl_user | queue
    subject       VARCHAR NOT NULL,
    ok            BOOLEAN NOT NULL,
    detail        VARCHAR,
    PRIMARY KEY (audit_id, kind, subject)
)
""",
    "retention_runs": """
(
    tenant_id       VARCHAR NOT NULL,
    run_id          VARCHAR NOT NULL,
    ran_at          TIMESTAMPTZ NOT NULL,
    store           VARCHAR NOT NULL,
    retention_days  INTEGER,
    cutoff          TIMESTAMPTZ,
    deleted_rows    BIGINT NOT NULL,
    remaining_rows  BIGINT NOT NULL,
    detail          VARCHAR,
    PRIMARY KEY (run_id, store)
)
""",
    # operations: soaks (one row per run, a time series of samples), incidents opened by
    # page-level alerts during soaks and drills, drills and the runbook steps they executed,
    # release gates (required checks, E2E gate runs)
    "soak_runs": """
(
    tenant_id        VARCHAR NOT NULL,
    run_id           VARCHAR PRIMARY KEY,
    started_at       TIMESTAMPTZ NOT NULL,
    ended_at         TIMESTAMPTZ NOT NULL,
    duration_s       DOUBLE NOT NULL,
    status           VARCHAR NOT NULL,   -- completed | interrupted
    unresolved_sev12 INTEGER NOT NULL,
    throughput_cps   DOUBLE,
    p99_s            DOUBLE,
    summary          JSON NOT NULL,
    evidence_dir     VARCHAR,
    is_demo          BOOLEAN NOT NULL DEFAULT FALSE
)
""",
    "soak_samples": """
(
    tenant_id      VARCHAR NOT NULL,
    run_id         VARCHAR NOT NULL,
    t              TIMESTAMPTZ NOT NULL,
    elapsed_s      DOUBLE NOT NULL,
    calls          INTEGER NOT NULL,
    errors         INTEGER NOT NULL,
    throughput_cps DOUBLE,
    p50_s          DOUBLE,
    p99_s          DOUBLE,
    rss_bytes      DOUBLE,
    open_fds       DOUBLE,
    max_burn       DOUBLE,
    firing         INTEGER
)
""",
    "incidents": """
(
    tenant_id    VARCHAR NOT NULL,
    incident_id  VARCHAR PRIMARY KEY,
    source       VARCHAR NOT NULL,       -- soak | drill
    source_id    VARCHAR NOT NULL,
    severity     VARCHAR NOT NULL,       -- Sev-1 | Sev-2 | Sev-3
    alertname    VARCHAR NOT NULL,
    slo          VARCHAR,
    subject      VARCHAR,
    alert_tenant VARCHAR,
    runbook      VARCHAR,
    summary      VARCHAR,
    opened_at    TIMESTAMPTZ NOT NULL,
    closed_at    TIMESTAMPTZ,
    is_demo      BOOLEAN NOT NULL DEFAULT FALSE
)
""",
    "drill_runs": """
(
    tenant_id     VARCHAR NOT NULL,
    drill_id      VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,      -- incident | rollback
    runbook       VARCHAR,
    runbook_path  VARCHAR,
    runbook_hash  VARCHAR,
    status        VARCHAR NOT NULL,      -- completed | failed | error
    reason        VARCHAR,
    started_at    TIMESTAMPTZ NOT NULL,
    fault_at      TIMESTAMPTZ,
    detected_at   TIMESTAMPTZ,
    mitigated_at  TIMESTAMPTZ,
    recovered_at  TIMESTAMPTZ,
    ended_at      TIMESTAMPTZ NOT NULL,
    ttd_s         DOUBLE,
    ttm_s         DOUBLE,
    ttr_s         DOUBLE,
    scale         DOUBLE NOT NULL,
    detail        JSON NOT NULL,
    is_demo       BOOLEAN NOT NULL DEFAULT FALSE
)
""",
    "drill_steps": """
(
    tenant_id   VARCHAR NOT NULL,
    drill_id    VARCHAR NOT NULL,
    section     VARCHAR NOT NULL,        -- mitigation | verification
    idx         INTEGER NOT NULL,
    step        VARCHAR NOT NULL,
    command     VARCHAR,
    exit_code   INTEGER,
    ok          BOOLEAN NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    duration_s  DOUBLE NOT NULL,
    output      VARCHAR,
    PRIMARY KEY (drill_id, section, idx)
)
""",
    "release_checks": """
(
    tenant_id    VARCHAR NOT NULL,
    collected_at TIMESTAMPTZ NOT NULL,
    repo         VARCHAR NOT NULL,
    branch       VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,       -- branch-protection | ruleset
    context      VARCHAR NOT NULL,       -- the required status check's name
    category     VARCHAR,                -- backend | frontend | extension | security | NULL
    produced_by  VARCHAR,                -- workflow file and job that reports it, or NULL
    enforced     BOOLEAN NOT NULL
)
""",
    "release_runs": """
(
    tenant_id    VARCHAR NOT NULL,
    rc           VARCHAR NOT NULL,
    run_id       VARCHAR NOT NULL,
    collected_at TIMESTAMPTZ NOT NULL,
    ran_at       TIMESTAMPTZ,
    file_sha256  VARCHAR NOT NULL,
    tests        INTEGER NOT NULL,
    failures     INTEGER NOT NULL,
    errors       INTEGER NOT NULL,
    skipped      INTEGER NOT NULL,
    passed       BOOLEAN NOT NULL,
    evidence_id  VARCHAR,
    uri          VARCHAR,
    PRIMARY KEY (tenant_id, rc, run_id)
)
""",
}

# Columns added after a table first shipped: (table, column, type), applied to older stores.
MIGRATIONS: tuple[tuple[str, str, str], ...] = (
    # the recorded decision in full (conditions, blockers, decision tree, progress)
    ("readiness_decisions", "detail", "JSON"),
    # telemetry: the spool writer and sequence number of each span (completeness by gaps)
    ("tool_calls", "spool_writer", "VARCHAR"),
    ("tool_calls", "spool_seq", "BIGINT"),
    ("telemetry_quarantine", "spool_writer", "VARCHAR"),
    ("telemetry_quarantine", "spool_seq", "BIGINT"),
    ("telemetry_quarantine", "trace_id", "VARCHAR"),
    ("telemetry_quarantine", "span_id", "VARCHAR"),
    # decision records name the span that reports the call
    ("decision_records", "trace_id", "VARCHAR"),
    ("decision_records", "span_id", "VARCHAR"),
)


def schema_sql() -> str:
    creates = [f"CREATE TABLE IF NOT EXISTS {name} {cols.strip()}" for name, cols in TABLES.items()]
    alters = [f"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS {c} {kind}" for t, c, kind in MIGRATIONS]
    return ";\n".join(creates + alters) + ";"


_SCHEMA_SQL = schema_sql()
# What the DDL above would add when it is missing: every table, and every migrated column.
_NEEDED: frozenset[tuple[str, str | None]] = frozenset(
    {(name.lower(), None) for name in TABLES} | {(t.lower(), c.lower()) for t, c, _ in MIGRATIONS}
)
_MIGRATED = sorted({t.lower() for t, _, _ in MIGRATIONS})
# The base tables of the schema the DDL writes to, and the columns of the migrated ones (two
# catalog reads: a join of the two catalog functions costs four times as much).
_WHERE = "database_name = current_database() AND schema_name = current_schema()"
_TABLES_SQL = f"SELECT lower(table_name) FROM duckdb_tables() WHERE {_WHERE}"
_COLUMNS_SQL = (
    f"SELECT lower(table_name), lower(column_name) FROM duckdb_columns() WHERE {_WHERE} "
    f"AND lower(table_name) IN ({', '.join(repr(t) for t in _MIGRATED)})"
)


def _schema_complete(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether every table and migrated column is already there: two catalog reads (~2 ms of
    CPU) where the DDL costs ~20 ms even when it changes nothing, and every asset and check
    of a pipeline run opens the store. A column counts only on a base table of that name."""
    tables = {row[0] for row in con.execute(_TABLES_SQL).fetchall()}
    have: set[tuple[str, str | None]] = {(t, None) for t in tables}
    have |= {(t, c) for t, c in con.execute(_COLUMNS_SQL).fetchall() if t in tables}
    return _NEEDED <= have


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table (and migrate older ones) that is not there yet; idempotent. A store
    that already has them all is left as it is without running the DDL (which would be a
    no-op: ``IF NOT EXISTS`` throughout)."""
    if _schema_complete(con):
        return
    con.execute(_SCHEMA_SQL)


class SupportsConnect(Protocol):
    def connect(self) -> contextlib.AbstractContextManager[duckdb.DuckDBPyConnection]: ...


@contextmanager
def connected(store: SupportsConnect) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection from the store resource, with every table in place."""
    with store.connect() as con:
        ensure_schema(con)
        yield con


@contextmanager
def open_store(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """The evidence store at ``path`` (waiting for its writer lock), with every table in place
    (unless opened read-only). Raises `StoreBusy` when the wait runs out."""
    with store.connect(path, read_only=read_only) as con:
        if not read_only:
            ensure_schema(con)
        yield con
