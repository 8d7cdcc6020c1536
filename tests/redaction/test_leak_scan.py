"""Leak scan asset with a real DuckDB file and real Dagster materializations."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter

from assets.redaction.assets import leak_scan
from assets.redaction.leak_scan import EVIDENCE_KIND, FINDINGS_TABLE
from checks.redaction import leak_scan_clean
from enforcement_agent.redaction import RedactingSpanExporter, Redactor
from enforcement_agent.redaction.canary import canary_env, make_canaries, write_canaries
from enforcement_agent.spool import SpoolSpanExporter
from pipelines.resources import DuckDBResource, GonogoSettings
from pipelines.settings import Settings

NOW = "2026-11-25T12:00:00+00:00"
SEED = "leak-scan-test-seed"


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Settings]:
    monkeypatch.delenv("GONOGO_CANARY_SEED", raising=False)
    monkeypatch.setenv("GONOGO_REDACTION_KEY", "11" * 32)
    monkeypatch.setenv("GONOGO_OUT", str(tmp_path / "out"))
    write_canaries(settings.home, SEED)
    yield settings


def _materialize(s: Settings, now: str = NOW) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [leak_scan, leak_scan_clean],
        resources={
            "duckdb": DuckDBResource(path=str(s.duckdb_path)),
            "gonogo": GonogoSettings(home=str(s.home), plan_dir=str(s.plan_dir), now=now),
        },
        raise_on_error=True,
    )


def _check_passed(result: dg.ExecuteInProcessResult) -> bool:
    (ev,) = result.get_asset_check_evaluations()
    return bool(ev.passed)


def _latest_evidence(s: Settings) -> tuple[float, dict[str, object]]:
    with duckdb.connect(str(s.duckdb_path)) as con:
        row = con.execute(
            "SELECT value, detail FROM evidence_items WHERE kind = ? "
            "ORDER BY collected_at DESC LIMIT 1",
            [EVIDENCE_KIND],
        ).fetchone()
    assert row is not None
    return float(row[0]), json.loads(row[1])


def _ws0_3(s: Settings, now: str = NOW) -> str:
    """Evaluate the WS0 criterion the way readiness does (plans/navi, evidence spec)."""
    from assets.readiness.criteria import evaluate_spec
    from assets.readiness.plan import load_plan

    plan = load_plan(s.plan_dir)
    crit = next(c for c in plan.criteria() if c.id == "WS0.3")
    with duckdb.connect(str(s.duckdb_path)) as con:
        ev = evaluate_spec(con, plan, crit, crit.evaluation, datetime.fromisoformat(now))
    return str(ev.status.value if hasattr(ev.status, "value") else ev.status)


def _all_text(s: Settings) -> str:
    with duckdb.connect(str(s.duckdb_path)) as con:
        rows = con.execute(f"SELECT * FROM {FINDINGS_TABLE}").fetchall()
        ev = con.execute("SELECT detail FROM evidence_items").fetchall()
    return repr(rows) + repr(ev)


def test_canary_planted_in_a_table_is_found(env: Settings) -> None:
    canaries = make_canaries(SEED)
    with duckdb.connect(str(env.duckdb_path)) as con:
        con.execute("CREATE TABLE tool_output (tenant_id VARCHAR, body VARCHAR, n INTEGER)")
        con.execute("INSERT INTO tool_output VALUES ('acme', 'all good', 1)")
        con.execute(
            "INSERT INTO tool_output VALUES ('acme', ?, 2)",
            [f"env dump: GITHUB_TOKEN={canaries['github_token']}"],
        )
    result = _materialize(env)
    value, detail = _latest_evidence(env)
    assert value >= 1 and detail["canary_findings"] >= 1
    assert not _check_passed(result)
    with duckdb.connect(str(env.duckdb_path)) as con:
        rows = con.execute(
            f"SELECT tenant_id, sink, location, canary FROM {FINDINGS_TABLE}"
        ).fetchall()
    assert ("acme", "duckdb", "tool_output.body#rowid=1", True) in rows
    # Findings store where and a fingerprint, never the secret.
    assert canaries["github_token"] not in _all_text(env)
    assert _ws0_3(env) == "fail"


def test_clean_sinks_give_zero_findings(env: Settings) -> None:
    r = Redactor(key=bytes.fromhex("11" * 32))
    canaries = make_canaries(SEED)
    leaky = f"export GITHUB_TOKEN={canaries['github_token']} DB_PASSWORD={canaries['password']}"
    (env.spool_dir / "spans-1.jsonl").write_text(json.dumps({"name": r.redact_text(leaky)}) + "\n")
    tenant_audit = env.audit_dir / "acme"
    tenant_audit.mkdir(parents=True)
    (tenant_audit / "decisions.jsonl").write_text(json.dumps({"cmd": r.redact_text(leaky)}) + "\n")
    (env.home / "logs").mkdir()
    (env.home / "logs" / "agent.log").write_text("INFO started\n" + r.redact_text(leaky) + "\n")
    with duckdb.connect(str(env.duckdb_path)) as con:
        con.execute("CREATE TABLE tool_output (tenant_id VARCHAR, body VARCHAR, meta JSON)")
        con.execute(
            "INSERT INTO tool_output VALUES ('acme', ?, ?)",
            [r.redact_text(leaky), json.dumps({"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"})],
        )
    result = _materialize(env)
    value, detail = _latest_evidence(env)
    assert value == 0
    sinks = detail["sinks"]
    assert isinstance(sinks, dict)
    assert {"spool", "audit", "logs", "duckdb", "reports"} <= set(sinks)
    assert sinks["spool"]["items"] == 1 and sinks["audit"]["items"] == 1
    assert _check_passed(result)
    assert _ws0_3(env) == "pass"


def _workload(exporter: SpanExporter, canaries: dict[str, str]) -> None:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("gonogo.enforcement_agent")  # the scope the spool keeps
    env_line = " ".join(f"{k}={v}" for k, v in canary_env(canaries).items())
    with tracer.start_as_current_span("tool_call exec") as span:
        span.set_attribute("gonogo.tenant_id", "acme")
        span.set_attribute("gonogo.command", f"env {env_line}")
        span.add_event("output", {"chunk": env_line})
    provider.shutdown()


def test_disabling_the_redactor_on_one_exporter_fails_scan_and_ws0(env: Settings) -> None:
    canaries = make_canaries(SEED)
    r = Redactor(known_secrets=canaries.values(), key=bytes.fromhex("11" * 32))
    _workload(RedactingSpanExporter(SpoolSpanExporter(env.spool_dir), redactor=r), canaries)
    assert _check_passed(_materialize(env))
    assert _ws0_3(env) == "pass"

    # The same workload with the redactor removed from the spool exporter.
    _workload(SpoolSpanExporter(env.spool_dir), canaries)
    later = "2026-11-25T13:00:00+00:00"
    result = _materialize(env, later)
    value, detail = _latest_evidence(env)
    assert value > 0 and detail["canary_findings"] > 0
    assert not _check_passed(result)
    assert _ws0_3(env, later) == "fail"


def test_canaries_are_deterministic_and_detectable() -> None:
    a, b = make_canaries("s1"), make_canaries("s1")
    assert a == b and a != make_canaries("s2")
    r = Redactor(key=b"k" * 32)
    for name, value in canary_env(a).items():
        assert value not in r.redact_text(f"{name}={value}")
    assert datetime.now(UTC)  # keep the clock import honest for the fixture time zone


def test_html_vendor_bundle_is_skipped_but_small_scripts_are_scanned(tmp_path: Path) -> None:
    from assets.redaction.leak_scan import LeakScanner, scan_sinks

    canaries = make_canaries(SEED)
    bundle = "function f(e){var t={key:e,token:t};return t}" * 2000  # > 64 KiB of code
    data = f"<html><script>{canaries['github_token'][:4]}{bundle}</script>"
    data += f'<script>var plot={{"x":"{canaries["github_token"]}"}}</script></html>'
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "r.html").write_text(data)
    scanner = LeakScanner(b"k" * 32, canaries)
    result = scan_sinks(
        home=tmp_path,
        spool_dir=tmp_path / "none",
        audit_dir=tmp_path / "none",
        con=None,
        scanner=scanner,
        report_dir=reports,
    )
    assert [(f.sink, f.canary) for f in result.findings] == [("reports", True)]


_PIECES = st.sampled_from(
    [b"<script>", b"<SCRIPT type='x'>", b"</script>", b"</SCRIPT>", b"\n", b"key=tok", b"<scr",
     b"abcdefgh", b"<script\n>", b">"]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=40), st.integers(min_value=1, max_value=24))
def test_blanking_vendor_scripts_is_the_tempered_regex_it_replaced(
    pieces: list[bytes], min_bytes: int
) -> None:
    """Same result as ``<script…>`` + ≥ min_bytes without ``</script>`` + ``</script>`` blanked
    (every byte but newlines), found left to right, case-insensitively."""
    import re

    from assets.redaction.leak_scan import _blank_vendor_scripts

    data = b"".join(pieces)
    reference = re.compile(
        rb"<script\b[^>]*>(?:(?!</script>).){%d,}?</script>" % min_bytes, re.DOTALL | re.I
    )
    expected = reference.sub(lambda m: re.sub(rb"[^\n]", b" ", m.group(0)), data)
    got = _blank_vendor_scripts(data, min_bytes)
    assert got == expected and len(got) == len(data)


# -- gonogo's own ids where the reports print them ---------------------------------------------
# The demo's report once failed WS0.3 on its own output: a benchmark run id plotted in a chart
# (`"run-20261203T233929Z-6bbd1a"` read as a generic token) and an evidence link's short id
# under a secret-sounding kind (`secrets.at_rest:e51c4024` read as a key/value secret).
_EVIDENCE_ID = "e51c402473f8130115729182293d7c80"
_RUN_IDS = ["run-20261203T233929Z-6bbd1a", "run-20250101T000000Z-abcdef"]
_SCAN_ID = "20261203T234250803669Z-0cd529dc"
_OWN_OUTPUT = [
    f'<a href="#ev-{_EVIDENCE_ID}" title="secrets.at_rest">secrets.at_rest:{_EVIDENCE_ID[:8]}</a>',
    f"- secrets.at_rest:{_EVIDENCE_ID[:8]} (pass)",
    f"password_rotation: {_EVIDENCE_ID[:8]}",
    f"session_key={_EVIDENCE_ID}",
    f"secrets.at_rest: {_EVIDENCE_ID}",
    json.dumps([{"customdata": [[1.0, 1.0, None, _RUN_IDS[0]], [0.0, 0.0, None, _RUN_IDS[1]]]}]),
    f'series = "{_RUN_IDS[0]}", "{_RUN_IDS[1]}"',
    f"secret_scan: {_SCAN_ID}",
]


def _reports_scan(tmp_path: Path, text: str, typed: dict[str, object]) -> list[tuple[str, bool]]:
    from assets.redaction.leak_scan import LeakScanner, scan_sinks

    reports = tmp_path / "reports"
    reports.mkdir(exist_ok=True)
    (reports / "readiness-report.json").write_text(json.dumps(typed))
    (reports / "r.html").write_text(f"<html><body>{text}</body></html>")
    (reports / "r.md").write_text(text + "\n")
    result = scan_sinks(
        home=tmp_path,
        spool_dir=tmp_path / "none",
        audit_dir=tmp_path / "none",
        con=None,
        scanner=LeakScanner(b"k" * 32, make_canaries(SEED)),
        report_dir=reports,
    )
    return [(f.detector, f.canary) for f in result.findings]


_TYPED = {"evidence_ids": [_EVIDENCE_ID], "run_id": _RUN_IDS[0], "runs": [{"run_id": _RUN_IDS[1]}],
          "scan_id": _SCAN_ID}  # fmt: skip


@pytest.mark.parametrize("text", _OWN_OUTPUT)
def test_own_ids_in_reports_are_not_findings(tmp_path: Path, text: str) -> None:
    # Control: without the report's JSON naming them typed, the same text is flagged, so the
    # pass below is the typed masking at work, not a detector that never fired.
    assert _reports_scan(tmp_path, text, {}), text
    assert _reports_scan(tmp_path, text, _TYPED) == []


@pytest.mark.parametrize(
    "text",
    [
        # A secret beside the typed ids is still found, and so is a short hex value that is not
        # the start of one of gonogo's ids, or a run-id-shaped value gonogo never wrote.
        f"secrets.at_rest:{_EVIDENCE_ID[:8]} password=Hunter2Hunter2x",
        "secrets.at_rest:f00dfeed",
        f"secret_scan: {_SCAN_ID[:-1]}9",
        '"customdata":[[1.0,"run-20261203T233929Z-6bbd1b"]], "api_key": "9Zt2vQm4Lp8Rx6Kw3Ny5"',
        f"token={_EVIDENCE_ID[:8]}Zq4Lm9",
    ],
)
def test_typed_masking_leaves_other_values_to_the_detectors(tmp_path: Path, text: str) -> None:
    assert _reports_scan(tmp_path, text, _TYPED), text


def test_a_canary_beside_typed_ids_is_found_as_a_canary(tmp_path: Path) -> None:
    value = make_canaries(SEED)["github_token"]
    found = _reports_scan(tmp_path, f"secrets.at_rest:{_EVIDENCE_ID[:8]} {value}", _TYPED)
    assert found and all(canary for _, canary in found)
