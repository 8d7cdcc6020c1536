"""Great Expectations suites on the evidence, telemetry and verdict tables, as asset checks.

Each suite holds the rules DuckDB's own constraints cannot: allowed values, formats, orderings
in time and rules between columns ("a waived verdict names its waiver", "a denied call never
ran"). A suite reads its table through the store resource (newest rows first, at most
``ROW_CAP`` of them, so time and memory stay bounded) into a DataFrame and validates it in an
ephemeral GX context: nothing is written to disk and nothing goes over the network (GX
analytics are off). GX is imported inside the check, on first use, so importing the Dagster
definitions (every ``gonogo`` command that builds them) does not pay GX's import time.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import dagster as dg
import duckdb

from assets.evidence.assets import evidence_items
from assets.readiness.assets import criterion_verdicts
from assets.readiness.statuses import Status
from assets.tables import connected
from assets.telemetry.assets import spool_ingest
from enforcement_agent.models import Outcome
from enforcement_agent.sandbox.runner import (
    LAYER_BWRAP,
    LAYER_BWRAP_SECCOMP,
    LAYER_NONE,
    LAYER_WEAK,
)
from pipelines.deferred_import import defer
from pipelines.resources import DuckDBResource, GonogoSettings

ROW_CAP = 200_000
TENANT = r"^(?:_global|_unknown|[a-z0-9][a-z0-9_-]{0,62})$"
HEX64 = r"^[0-9a-f]{64}$"
# An evidence item may be stamped a little ahead of the pipeline's clock (clock skew between the
# producer and the pipeline), never more.
CLOCK_SKEW_S = 300.0
TOOLS = ["exec", "read", "write", "list", "connector"]
DECISIONS = ["allow", "deny", "ask"]
# The exec sandbox's layers, and the layers of the file tools and the connector gateway.
SANDBOX_LAYERS = [
    LAYER_BWRAP, LAYER_BWRAP_SECCOMP, LAYER_WEAK, LAYER_NONE, "confined-fs", "connector-gateway",
]  # fmt: skip
STATUSES = [s.value for s in Status]
RAW_STATUSES = [s.value for s in Status if s is not Status.WAIVED]
NOT_RUN = [Outcome.DENIED.value, Outcome.ERROR.value]


@dataclass(frozen=True)
class Rule:
    """One expectation: the GX class name (``great_expectations.expectations``) and its kwargs."""

    expectation: str
    kwargs: dict[str, Any]
    why: str


@dataclass(frozen=True)
class Suite:
    name: str
    table: str
    # The rows to validate, newest first: ``$cap`` is ROW_CAP, ``$now`` the pipeline's clock.
    query: str
    rules: list[Rule] = field(default_factory=list)


def _rule(expectation: str, why: str, **kwargs: Any) -> Rule:
    return Rule(expectation, kwargs, why)


EVIDENCE_SUITE = Suite(
    name="evidence_items",
    table="evidence_items",
    query="""SELECT tenant_id, evidence_id, kind, source, content_hash, value, is_demo,
                    epoch(collected_at) - epoch(CAST($now AS TIMESTAMPTZ)) AS collected_ahead_s,
                    epoch(expires_at) - epoch(collected_at) AS ttl_s
             FROM evidence_items ORDER BY collected_at DESC LIMIT $cap""",
    rules=[
        _rule("ExpectColumnValuesToMatchRegex", "tenant ids are valid",
              column="tenant_id", regex=TENANT),
        _rule("ExpectColumnValuesToMatchRegex", "kinds are lower-case dotted names",
              column="kind", regex=r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$"),
        _rule("ExpectColumnValueLengthsToBeBetween", "every item names its source",
              column="source", min_value=1),
        _rule("ExpectColumnValuesToMatchRegex", "content hashes are SHA-256 hex",
              column="content_hash", regex=HEX64),
        _rule("ExpectColumnValuesToBeBetween", "no evidence from the future",
              column="collected_ahead_s", max_value=CLOCK_SKEW_S),
        _rule("ExpectColumnValuesToBeBetween", "evidence expires after it was collected",
              column="ttl_s", min_value=0, strict_min=True),
    ],
)  # fmt: skip

TOOL_CALLS_SUITE = Suite(
    name="tool_calls",
    table="tool_calls",
    query="""SELECT tenant_id, tool, decision, outcome, decision_id, duration_ms, bytes_out,
                    sandbox_layer
             FROM tool_calls ORDER BY ts DESC LIMIT $cap""",
    rules=[
        _rule("ExpectColumnValuesToMatchRegex", "tenant ids are valid",
              column="tenant_id", regex=TENANT),
        _rule("ExpectColumnValuesToBeInSet", "tools are the agent's five",
              column="tool", value_set=TOOLS),
        _rule("ExpectColumnValuesToBeInSet", "decisions are allow, deny or ask",
              column="decision", value_set=DECISIONS),
        _rule("ExpectColumnValuesToBeInSet", "outcomes are the agent's outcomes",
              column="outcome", value_set=[o.value for o in Outcome]),
        _rule("ExpectColumnValuesToNotBeNull", "every tool call has a decision record id",
              column="decision_id"),
        _rule("ExpectColumnValuesToBeInSet", "a call that was not allowed never ran",
              column="outcome", value_set=NOT_RUN,
              row_condition='decision != "allow"', condition_parser="pandas"),
        _rule("ExpectColumnValuesToBeBetween", "durations are not negative",
              column="duration_ms", min_value=0),
        _rule("ExpectColumnValuesToBeBetween", "output sizes are not negative",
              column="bytes_out", min_value=0),
        _rule("ExpectColumnValuesToBeInSet", "sandbox layers are the known ones",
              column="sandbox_layer", value_set=SANDBOX_LAYERS),
    ],
)  # fmt: skip

QUARANTINE_SUITE = Suite(
    name="telemetry_quarantine",
    table="telemetry_quarantine",
    query="""SELECT tenant_id, segment, line_no, reason, length(raw_redacted) AS raw_chars
             FROM telemetry_quarantine ORDER BY ingested_at DESC LIMIT $cap""",
    rules=[
        _rule("ExpectColumnValuesToMatchRegex", "tenant ids are valid (or _unknown)",
              column="tenant_id", regex=TENANT),
        _rule("ExpectColumnValueLengthsToBeBetween", "every quarantined line says why",
              column="reason", min_value=1),
        _rule("ExpectColumnValuesToBeBetween", "line numbers count from 1",
              column="line_no", min_value=1),
        _rule("ExpectColumnValuesToMatchRegex", "rows name the spool segment they came from",
              column="segment", regex=r"^spans-[^/]+\.jsonl$"),
        _rule("ExpectCompoundColumnsToBeUnique", "a line is quarantined once",
              column_list=["segment", "line_no"]),
    ],
)  # fmt: skip

VERDICTS_SUITE = Suite(
    name="criterion_verdicts",
    table="criterion_verdicts",
    query="""SELECT criterion_id, category, priority, status, raw_status, waiver_id, reason,
                    spec_hash, prev_hash, row_hash, len(evidence_ids) AS evidence_count,
                    epoch(evaluated_at) - epoch(evidence_collected_at) AS evidence_age_s,
                    epoch(evaluated_at) - epoch(CAST($now AS TIMESTAMPTZ)) AS evaluated_ahead_s
             FROM criterion_verdicts ORDER BY seq DESC LIMIT $cap""",
    rules=[
        _rule("ExpectColumnValuesToBeInSet", "statuses are the seven honest ones",
              column="status", value_set=STATUSES),
        _rule("ExpectColumnValuesToBeInSet", "a raw status is never 'waived'",
              column="raw_status", value_set=RAW_STATUSES),
        _rule("ExpectColumnValuesToBeInSet", "priorities are P0-P3",
              column="priority", value_set=["P0", "P1", "P2", "P3"]),
        _rule("ExpectColumnValuesToNotBeNull", "a waived verdict names its waiver",
              column="waiver_id", row_condition='status == "waived"', condition_parser="pandas"),
        _rule("ExpectColumnValuesToBeBetween", "a pass cites evidence",
              column="evidence_count", min_value=1,
              row_condition='status == "pass"', condition_parser="pandas"),
        _rule("ExpectColumnValueLengthsToBeBetween", "anything but pass says why",
              column="reason", min_value=1,
              row_condition='status != "pass"', condition_parser="pandas"),
        _rule("ExpectColumnValuesToBeBetween", "no verdict uses evidence collected after it",
              column="evidence_age_s", min_value=-CLOCK_SKEW_S),
        _rule("ExpectColumnValuesToBeBetween", "no verdict from the future",
              column="evaluated_ahead_s", max_value=CLOCK_SKEW_S),
        _rule("ExpectColumnValuesToMatchRegex", "row hashes are SHA-256 hex",
              column="row_hash", regex=HEX64),
        _rule("ExpectColumnValuesToBeUnique", "row hashes are unique (a chain, not a copy)",
              column="row_hash"),
    ],
)  # fmt: skip

SUITES = {s.name: s for s in (EVIDENCE_SUITE, TOOL_CALLS_SUITE, QUARANTINE_SUITE, VERDICTS_SUITE)}


@dataclass
class SuiteOutcome:
    suite: str
    rows: int
    failures: list[str]

    @property
    def success(self) -> bool:
        return not self.failures

    def metadata(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "rows_validated": self.rows,
            "row_cap": ROW_CAP,
            "expectations_failed": len(self.failures),
            "failures": "\n".join(self.failures) or "none",
        }


def _gx() -> Any:
    """Great Expectations, imported on first use with its analytics off (no network).

    GX imports ``scipy.stats`` at its top for the distribution expectations, which no suite
    here uses (about 0.9 s of CPU of GX's ~3 s import, in every pipeline run): it waits behind
    a stand-in that imports it on first use (``pipelines/deferred_import.py``)."""
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    if "great_expectations" not in sys.modules:
        defer("scipy.stats")
    import great_expectations as gx

    return gx


def _context() -> Any:
    """An in-memory context: in-memory stores, no data-docs site, no analytics, no progress."""
    gx = _gx()
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _describe(result: Any) -> str:
    cfg = result.expectation_config
    res = result.result or {}
    sample = res.get("partial_unexpected_list") or []
    count = res.get("unexpected_count")
    column = cfg.kwargs.get("column") or cfg.kwargs.get("column_list")
    why = (cfg.meta or {}).get("why", "")
    exc = (result.exception_info or {}).get("exception_message")
    if exc:
        return f"{cfg.type} on {column}: could not be evaluated: {exc}"
    return f"{why} ({cfg.type} on {column}): {count} unexpected, e.g. {sample[:3]}"


def validate_frame(suite: Suite, frame: Any) -> SuiteOutcome:
    """Validate one DataFrame against a suite in an ephemeral GX context."""
    gx = _gx()
    import great_expectations.expectations as gxe

    ctx = _context()
    batch = (
        ctx.data_sources.add_pandas(f"gonogo-{suite.name}")
        .add_dataframe_asset(suite.table)
        .add_batch_definition_whole_dataframe("newest-rows")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    gx_suite = gx.ExpectationSuite(name=suite.name)
    for rule in suite.rules:
        gx_suite.add_expectation(
            getattr(gxe, rule.expectation)(**rule.kwargs, meta={"why": rule.why})
        )
    result = batch.validate(gx_suite, result_format="SUMMARY")
    failures = [_describe(r) for r in result.results if not r.success]
    return SuiteOutcome(suite.name, len(frame), failures)


def run_suite(con: duckdb.DuckDBPyConnection, name: str, now: datetime) -> SuiteOutcome:
    """Read a suite's rows from the store and validate them."""
    suite = SUITES[name]
    params = {k: v for k, v in (("now", now), ("cap", ROW_CAP)) if f"${k}" in suite.query}
    frame = con.execute(suite.query, params).df()
    return validate_frame(suite, frame)


def _check(name: str) -> Callable[[DuckDBResource, GonogoSettings], dg.AssetCheckResult]:
    def check(duckdb: DuckDBResource, gonogo: GonogoSettings) -> dg.AssetCheckResult:
        with connected(duckdb) as con:
            outcome = run_suite(con, name, gonogo.current_time())
        return dg.AssetCheckResult(passed=outcome.success, metadata=outcome.metadata())

    return check


def _asset_check(asset: Any, name: str, description: str) -> dg.AssetChecksDefinition:
    return dg.asset_check(
        asset=asset, name=f"expectations_{name}", description=description, blocking=False
    )(_check(name))


evidence_items_expectations = _asset_check(
    evidence_items, "evidence_items",
    "Great Expectations suite: evidence kinds, sources, hashes, no evidence from the future.",
)  # fmt: skip
tool_calls_expectations = _asset_check(
    spool_ingest, "tool_calls",
    "Great Expectations suite: tool calls have known tools, decisions, outcomes and a decision "
    "record id; a call that was not allowed never ran.",
)  # fmt: skip
quarantine_expectations = _asset_check(
    spool_ingest, "telemetry_quarantine",
    "Great Expectations suite: every quarantined line names its segment, line and reason, once.",
)  # fmt: skip
criterion_verdicts_expectations = _asset_check(
    criterion_verdicts, "criterion_verdicts",
    "Great Expectations suite: honest statuses, waivers named, a pass cites evidence, "
    "anything else says why, no verdict ahead of its evidence.",
)  # fmt: skip
