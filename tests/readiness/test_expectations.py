"""Great Expectations suites on the evidence, telemetry and verdict tables.

Each suite passes on data the real writers produce (evidence recorded, spool ingested, verdicts
evaluated) and fails on a violation planted in it, naming the rule that caught it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

from assets.readiness.plan import load_plan
from assets.readiness.record import evaluate_and_record
from assets.telemetry.ingest import ingest_spool
from checks import expectations as ex
from pipelines.resources import DuckDBResource, GonogoSettings
from pipelines.settings import REPO_ROOT
from tests.readiness.conftest import NOW, attest, attestation, evidence
from tests.telemetry.otlp import otlp_line as span_line
from tests.telemetry.otlp import write_segment


@pytest.fixture
def world(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Evidence, ingested telemetry (one malformed line quarantined) and a verdict run."""
    evidence(con, "policy.destructive_blocked", 1.0)
    evidence(con, "policy.decision_coverage", 1.0, tenant="acme")
    evidence(con, "redaction.leak_scan", 0.0, ttl=None)
    lines = [span_line(i) for i in range(6)]
    lines += [
        span_line(
            10, **{"gonogo.decision": "deny", "gonogo.outcome": "denied", "gonogo.rule": "deny"}
        ),
        span_line(11, "globex", **{"gonogo.tool": "read", "gonogo.outcome": "failure"}),
        "{not json",
    ]
    write_segment(tmp_path / "spool", "spans-1.jsonl", lines)
    stats = ingest_spool(con, tmp_path / "spool", NOW)
    assert (stats.accepted, stats.quarantined) == (8, 1)
    attest(plan_dir, [attestation("WS2.2")])
    evaluate_and_record(con, load_plan(plan_dir), NOW)
    yield con


def test_every_suite_passes_on_real_data(world: duckdb.DuckDBPyConnection) -> None:
    outcomes = {name: ex.run_suite(world, name, NOW) for name in ex.SUITES}
    assert {n: o.failures for n, o in outcomes.items()} == {n: [] for n in ex.SUITES}
    rows = {n: o.rows for n, o in outcomes.items()}
    assert rows["tool_calls"] == 8 and rows["telemetry_quarantine"] == 1
    assert rows["evidence_items"] >= 4 and rows["criterion_verdicts"] >= 20


PLANTED: list[tuple[str, str, str]] = [
    # (suite, SQL that plants the violation, the rule that must catch it)
    ("evidence_items",
     "UPDATE evidence_items SET collected_at = collected_at + INTERVAL 3 HOUR "
     "WHERE kind = 'policy.destructive_blocked'",
     "no evidence from the future"),
    ("evidence_items",
     "UPDATE evidence_items SET expires_at = collected_at - INTERVAL 1 MINUTE "
     "WHERE kind = 'policy.decision_coverage'",
     "evidence expires after it was collected"),
    ("evidence_items", "UPDATE evidence_items SET kind = 'Leak Scan' WHERE kind = 'redaction.leak_scan'",
     "kinds are lower-case dotted names"),
    ("evidence_items", "UPDATE evidence_items SET content_hash = 'md5:abc' WHERE tenant_id = 'acme'",
     "content hashes are SHA-256 hex"),
    ("evidence_items", "UPDATE evidence_items SET tenant_id = 'Acme Corp' WHERE tenant_id = 'acme'",
     "tenant ids are valid"),
    ("tool_calls", "UPDATE tool_calls SET outcome = 'success' WHERE decision = 'deny'",
     "a call that was not allowed never ran"),
    ("tool_calls", "UPDATE tool_calls SET decision_id = NULL WHERE span_id = (SELECT min(span_id) FROM tool_calls)",
     "every tool call has a decision record id"),
    ("tool_calls", "UPDATE tool_calls SET decision = 'maybe' WHERE tenant_id = 'globex'",
     "decisions are allow, deny or ask"),
    ("tool_calls", "UPDATE tool_calls SET duration_ms = -5 WHERE tenant_id = 'globex'",
     "durations are not negative"),
    ("tool_calls", "UPDATE tool_calls SET sandbox_layer = 'chroot' WHERE tenant_id = 'globex'",
     "sandbox layers are the known ones"),
    ("telemetry_quarantine", "UPDATE telemetry_quarantine SET reason = ''",
     "every quarantined line says why"),
    ("telemetry_quarantine", "UPDATE telemetry_quarantine SET line_no = 0",
     "line numbers count from 1"),
    ("telemetry_quarantine", "UPDATE telemetry_quarantine SET segment = '../etc/passwd'",
     "rows name the spool segment"),
    ("criterion_verdicts",
     "UPDATE criterion_verdicts SET status = 'pass' WHERE criterion_id = "
     "(SELECT min(criterion_id) FROM criterion_verdicts WHERE status = 'unknown')",
     "a pass cites evidence"),
    ("criterion_verdicts",
     "UPDATE criterion_verdicts SET status = 'waived', waiver_id = NULL "
     "WHERE criterion_id = 'WS5.1'",
     "a waived verdict names its waiver"),
    ("criterion_verdicts", "UPDATE criterion_verdicts SET raw_status = 'waived' WHERE criterion_id = 'WS5.2'",
     "a raw status is never 'waived'"),
    ("criterion_verdicts",
     "UPDATE criterion_verdicts SET reason = '' WHERE criterion_id = 'WS5.3'",
     "anything but pass says why"),
    ("criterion_verdicts",
     "UPDATE criterion_verdicts SET evidence_collected_at = evaluated_at + INTERVAL 1 DAY "
     "WHERE criterion_id = 'WS0.1'",
     "no verdict uses evidence collected after it"),
    ("criterion_verdicts",
     "UPDATE criterion_verdicts SET row_hash = (SELECT max(row_hash) FROM criterion_verdicts)",
     "row hashes are unique"),
]  # fmt: skip


@pytest.mark.parametrize(("suite", "plant", "rule"), PLANTED, ids=[p[2] for p in PLANTED])
def test_a_planted_violation_fails_its_suite(
    world: duckdb.DuckDBPyConnection, suite: str, plant: str, rule: str
) -> None:
    assert ex.run_suite(world, suite, NOW).failures == []
    world.execute(plant)
    failures = ex.run_suite(world, suite, NOW).failures
    assert any(f.startswith(rule) for f in failures), failures
    # (That a violation in one table leaves the other suites passing is checked through
    # Dagster below: only the planted suite's asset check fails.)


def test_rows_read_are_capped(world: duckdb.DuckDBPyConnection, monkeypatch: Any) -> None:
    monkeypatch.setattr(ex, "ROW_CAP", 3)
    outcome = ex.run_suite(world, "tool_calls", NOW)
    assert outcome.rows == 3 and outcome.metadata()["row_cap"] == 3


def _run_checks(db: Path, home: Path, plan_dir: Path) -> dict[str, tuple[bool, dict[str, Any]]]:
    from pipelines.definitions import ALL_ASSETS, ALL_CHECKS, build_resources
    from pipelines.settings import Settings

    gx_checks = [
        ex.evidence_items_expectations,
        ex.tool_calls_expectations,
        ex.quarantine_expectations,
        ex.criterion_verdicts_expectations,
    ]
    registered = {k for c in ALL_CHECKS for k in c.check_keys}  # the Definitions' checks
    assert {k for c in gx_checks for k in c.check_keys} <= registered
    res = dg.materialize(
        [*ALL_ASSETS, *gx_checks],
        selection=dg.AssetSelection.checks(*gx_checks),
        resources={
            **build_resources(Settings(home=home)),
            "duckdb": DuckDBResource(path=str(db)),
            "gonogo": GonogoSettings(home=str(home), plan_dir=str(plan_dir), now=NOW.isoformat()),
        },
    )
    return {
        ev.check_name: (ev.passed, {k: v.value for k, v in ev.metadata.items()})
        for ev in res.get_asset_check_evaluations()
    }


def test_suites_run_as_dagster_asset_checks_without_network(
    world: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    world.execute("UPDATE tool_calls SET outcome = 'success' WHERE decision = 'deny'")
    world.execute("CHECKPOINT")
    db = Path(world.execute("SELECT path FROM duckdb_databases() WHERE NOT internal").fetchone()[0])
    world.close()
    connects: list[Any] = []

    def audit(event: str, args: Any) -> None:
        if event in ("socket.connect", "socket.getaddrinfo"):
            connects.append(args)

    sys.addaudithook(audit)
    checks = _run_checks(db, tmp_path / "home", plan_dir)
    got = {name: passed for name, (passed, _) in checks.items()}
    assert got == {
        "expectations_evidence_items": True,
        "expectations_tool_calls": False,
        "expectations_telemetry_quarantine": True,
        "expectations_criterion_verdicts": True,
    }
    meta = checks["expectations_tool_calls"][1]
    assert meta["rows_validated"] == 8 and meta["expectations_failed"] == 1
    assert "a call that was not allowed never ran" in meta["failures"]
    assert connects == [], "Great Expectations tried to reach the network"


def test_loading_the_definitions_does_not_import_great_expectations(
    fresh_process: dict[str, Any],
) -> None:
    assert fresh_process["gx_after_definitions"] == []


def test_clock_skew_allowance_is_bounded(world: duckdb.DuckDBPyConnection) -> None:
    # Evidence a minute ahead of the clock is skew; an hour ahead is from the future.
    world.execute(
        "UPDATE evidence_items SET collected_at = CAST(? AS TIMESTAMPTZ) + INTERVAL 1 MINUTE",
        [NOW],
    )
    assert ex.run_suite(world, "evidence_items", NOW).failures == []
    world.execute("UPDATE evidence_items SET collected_at = collected_at + INTERVAL 1 HOUR")
    assert ex.run_suite(world, "evidence_items", NOW).failures
    assert ex.run_suite(world, "evidence_items", NOW + timedelta(hours=2)).failures == []


DEFERRED_PROBE = """
import json, sys
import pipelines.definitions
gx_after_definitions = sorted(m for m in sys.modules if m.split('.')[0] == 'great_expectations')
import pandas as pd
from checks import expectations as ex
from pipelines.deferred_import import StandIn

frames = {
    "tool_calls": pd.DataFrame({
        "tenant_id": ["acme", "Acme Corp", "globex"], "tool": ["exec", "exec", "teleport"],
        "decision": ["allow", "deny", "maybe"], "outcome": ["success", "success", "denied"],
        "decision_id": ["d1", None, "d3"], "duration_ms": [1.0, -5.0, 2.0],
        "bytes_out": [0, 10, -1], "sandbox_layer": ["bwrap", "chroot", "confined-fs"]}),
    "telemetry_quarantine": pd.DataFrame({
        "tenant_id": ["acme", "_unknown"], "segment": ["spans-1.jsonl", "../etc/passwd"],
        "line_no": [3, 0], "reason": ["bad json", ""], "raw_chars": [5, 0]}),
}
def outcomes():
    out = {}
    for name, suite in ex.SUITES.items():
        frame = frames.get(name)
        if frame is None:  # an empty table: the columns the suite's query selects
            frame = pd.DataFrame({c: [] for r in suite.rules for c in
                                  [r.kwargs.get("column"), *r.kwargs.get("column_list", [])] if c})
        out[name] = ex.validate_frame(suite, frame).failures
    return out
deferred = outcomes()
waited = isinstance(sys.modules.get("scipy.stats"), StandIn)
# GX's own use of scipy.stats (a distribution expectation) works through the stand-in.
gx, gxe = ex._gx(), __import__("great_expectations.expectations", fromlist=["x"])
ctx = ex._context()
batch = (ctx.data_sources.add_pandas("kl").add_dataframe_asset("t")
         .add_batch_definition_whole_dataframe("all")
         .get_batch(batch_parameters={"dataframe": pd.DataFrame({"x": [1, 1, 2, 2]})}))
kl = batch.validate(gxe.ExpectColumnKLDivergenceToBeLessThan(
    column="x", partition_object={"values": [1, 2], "weights": [0.5, 0.5]}, threshold=0.1))
print(json.dumps({"gx_after_definitions": gx_after_definitions,
                  "waited": waited, "deferred": deferred,
                  "kl": [kl.success, kl.result.get("observed_value")],
                  "loaded": not isinstance(sys.modules["scipy.stats"], StandIn)}))
"""


@pytest.fixture(scope="module")
def fresh_process() -> dict[str, Any]:
    """One new interpreter: the definitions loaded, then the four suites run (GX imported)."""
    out = subprocess.run(
        [sys.executable, "-c", DEFERRED_PROBE],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    got: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return got


def test_great_expectations_suites_answer_the_same_with_scipy_stats_deferred(
    fresh_process: dict[str, Any],
) -> None:
    """GX imports scipy.stats at its top (~0.9 s of CPU per pipeline run) for expectations no
    suite uses: it waits behind a stand-in while the four suites run and name every planted
    violation, and an expectation that does use it loads it and answers."""
    got = fresh_process
    assert got["waited"] is True  # the four suites ran without importing scipy.stats
    rules = {n: sorted(f.split(" (")[0] for f in fs) for n, fs in got["deferred"].items()}
    assert rules == {
        "evidence_items": [],
        # every rule but the outcomes' caught its planted row
        "tool_calls": sorted(
            r.why for r in ex.TOOL_CALLS_SUITE.rules if r.why != "outcomes are the agent's outcomes"
        ),
        "telemetry_quarantine": [
            "every quarantined line says why",
            "line numbers count from 1",
            "rows name the spool segment they came from",
        ],
        "criterion_verdicts": [],
    }
    assert got["kl"] == [True, 0.0] and got["loaded"] is True
