"""Report rendering: decision first, every criterion in JSON, offline HTML, demo banner, redaction."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from assets.plan_model import load_plan
from assets.readiness import evaluate_and_record, record_decision, write_readiness_report
from reports.model import REPORT_SCHEMA_VERSION, build_report
from reports.redact import redactor_available
from tests.readiness.conftest import NOW, attest, attestation, bind, evidence
from tests.readiness.scenario import everything_done

CONSEQUENCE = (
    "Continue controlled pilot only. No broad org onboarding. No enterprise SLA commitments."
)
FAKE_TOKEN = "ghp_" + "0123456789abcdefABCDEF0123456789abcd"


def _report(con: duckdb.DuckDBPyConnection, plan_dir: Path, out: Path, now=NOW, **kw):  # type: ignore[no-untyped-def]
    plan = load_plan(plan_dir)
    run = evaluate_and_record(con, plan, now, **kw)
    record_decision(con, plan, run)
    return write_readiness_report(con, plan, out, now, run_id=run)


def test_html_opens_with_the_decision_sentence(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    w = _report(con, plan_dir, tmp_path / "out")
    html = w.files["html"].read_text()
    body = html[html.index("<body>") :]
    sentence = w.report["decision"]["sentence"]
    assert sentence.startswith("NO-GO") and CONSEQUENCE in sentence
    # The decision is the first thing in the body (the demo banner, when present, sits above it).
    first_heading = re.search(r"<h1>(.*?)</h1>", body)
    assert first_heading and first_heading.group(1) == "NO-GO"
    assert body.index(sentence) < body.index("Enterprise decision tree") < body.index("Workstreams")
    for needle in (w.report["plan"]["version"], w.inputs_hash, "data window"):
        assert needle in html
    blockers = {b["criterion_id"]: b["owner"] for b in w.report["decision"]["p0_blockers"]}
    assert blockers["WS2.1"] == "Platform Lead + Data Lead" and "WS4.1" not in blockers  # WS4 is P1


def test_html_is_offline(con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path) -> None:
    w = _report(con, plan_dir, tmp_path / "out")
    html = w.files["html"].read_text()
    assert not re.search(r"<script[^>]+src\s*=", html, re.I), "no external scripts"
    assert not re.search(r"<link[^>]+href\s*=\s*[\"']https?:", html, re.I), (
        "no external stylesheets"
    )
    assert "Plotly.newPlot" in html and len(html) > 1_000_000  # plotly.js is inlined


def test_json_lists_every_criterion_with_status(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    w = _report(con, plan_dir, tmp_path / "out")
    data = json.loads(w.files["json"].read_text())
    assert data["schema_version"] == REPORT_SCHEMA_VERSION
    plan = load_plan(plan_dir)
    listed = {c["id"]: c for ws in data["workstreams"] for c in ws["criteria"]} | {
        c["id"]: c for c in data["gate_criteria"]
    }
    assert set(listed) == {c.id for c in plan.exit_criteria()} | {c.id for c in plan.gate.criteria}
    assert all(
        c["status"] in ("pass", "fail", "warn", "unknown", "stale", "error", "waived")
        for c in listed.values()
    )
    assert {c["text"] for c in listed.values()} >= {c.text for c in plan.exit_criteria()}
    assert data["decision"]["decision"] == "NO-GO" and len(data["decision_tree"]) == 5
    assert data["inputs_hash"] == w.inputs_hash and data["plan"]["version"] == plan.version


def test_markdown_and_oscal(con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path) -> None:
    w = _report(con, plan_dir, tmp_path / "out")
    md = w.files["md"].read_text()
    assert md.splitlines()[0] == "# NO-GO — NAVI 30-Day Hardening Plan"
    assert (
        w.report["decision"]["sentence"] in md
        and "| **WS2.1** Cross-tenant access tests fail closed and pass in CI." in md
    )
    oscal = json.loads(w.files["oscal"].read_text())["assessment-results"]
    findings = oscal["results"][0]["findings"]
    assert len(findings) == len(load_plan(plan_dir).exit_criteria()) + 1
    assert {f["target"]["status"]["state"] for f in findings} == {"not-satisfied"}
    assert oscal["metadata"]["oscal-version"].startswith("1.1")


def test_evidence_links_resolve_inside_the_report(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    eid = evidence(con, "policy.destructive_blocked", 1.0)
    w = _report(con, plan_dir, tmp_path / "out")
    html = w.files["html"].read_text()
    assert f'href="#ev-{eid}"' in html and f'id="ev-{eid}"' in html
    assert w.report["data_window"]["start"] is not None
    assert "collected 1h ago, expires in 6d" in html


def test_changes_since_last_report(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    _report(con, plan_dir, tmp_path / "out", now=NOW - timedelta(hours=12))
    evidence(con, "policy.destructive_blocked", 1.0)
    w = _report(con, plan_dir, tmp_path / "out")
    assert [(c["criterion_id"], c["before"], c["after"]) for c in w.report["changes"]] == [
        ("WS0.1", "unknown", "pass")
    ]
    assert "What changed since the last report" in w.files["html"].read_text()


def test_demo_banner_only_for_demo_data(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    w = _report(con, plan_dir, tmp_path / "real")
    assert "DEMO DATA" not in w.files["html"].read_text() and not w.report["is_demo"]
    evidence(con, "policy.destructive_blocked", 1.0, is_demo=True)
    w = _report(con, plan_dir, tmp_path / "demo")
    html = w.files["html"].read_text()
    assert (
        w.report["is_demo"]
        and 'id="demo-banner"' in html
        and "DEMO DATA" in w.files["md"].read_text()
    )
    assert html.index("demo-banner") < html.index('id="decision"')


def test_go_report(con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path) -> None:
    everything_done(con, plan_dir, tmp_path / "evidence")
    w = _report(con, plan_dir, tmp_path / "out")
    assert w.decision == "GO" and w.report["decision"]["sentence"].startswith("GO:")
    assert '<section class="decision GO"' in w.files["html"].read_text()


def test_hostile_uri_is_not_linked(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    a = attestation("WS1.2")
    a["document"] = "javascript:alert(1)"
    a["who"] = "<script>alert(2)</script>"
    attest(plan_dir, [a])
    w = _report(con, plan_dir, tmp_path / "out")
    html = w.files["html"].read_text()
    assert 'href="javascript:' not in html and "<script>alert(2)" not in html


@pytest.mark.skipif(
    not redactor_available(), reason="enforcement_agent.redaction is not importable yet"
)
def test_secrets_are_redacted_in_every_format(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    a = attestation("WS1.2")
    a["document"] = f"https://wiki.example/review?token={FAKE_TOKEN}"
    attest(plan_dir, [a])
    w = _report(con, plan_dir, tmp_path / "out")
    for path in w.files.values():
        assert FAKE_TOKEN not in path.read_text(), path
    assert "[REDACTED:" in w.files["json"].read_text()


def test_build_report_without_verdicts_says_so(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    with pytest.raises(LookupError, match="no verdicts"):
        build_report(con, load_plan(plan_dir))


def test_html_renders_in_headless_chromium(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip(
            "headless Chromium (/usr/bin/chromium) is not installed; offline render check skipped"
        )
    w = _report(con, plan_dir, tmp_path / "out")
    # No DNS at all: anything the page tried to fetch from the network would fail to render.
    dom = subprocess.run(
        [str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--virtual-time-budget=5000", "--dump-dom", w.files["html"].as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert "NO-GO" in dom.stdout
    assert "main-svg" in dom.stdout  # plotly.js ran from the inlined bundle and drew the chart
    assert shutil.which(str(chromium))


def test_sql_citing_ids_outside_evidence_items_still_renders(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    bind(
        plan_dir,
        "WS2.2",
        evaluation={
            "type": "sql",
            "query": "SELECT 'fail' AS status, 0.5 AS value, ['row-17'] AS evidence_ids",
        },
    )
    w = _report(con, plan_dir, tmp_path / "out")
    assert w.report["evidence"]["row-17"]["kind"] == "unresolved"
    assert 'id="ev-row-17"' in w.files["html"].read_text()


def test_changes_are_against_the_last_report_not_intermediate_runs(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    _report(con, plan_dir, tmp_path / "out", now=NOW - timedelta(hours=12))
    evidence(con, "policy.destructive_blocked", 1.0, at=NOW - timedelta(hours=6))
    evaluate_and_record(
        con, load_plan(plan_dir), NOW - timedelta(hours=5)
    )  # e.g. a digest run, no report
    w = _report(con, plan_dir, tmp_path / "out")
    assert [(c["criterion_id"], c["before"], c["after"]) for c in w.report["changes"]] == [
        ("WS0.1", "unknown", "pass")
    ]


def test_report_json_matches_its_published_schema(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    import jsonschema

    schema = json.loads(
        (
            Path(__file__).resolve().parents[2] / "reports/schema/readiness-report.schema.json"
        ).read_text()
    )
    w = _report(con, plan_dir, tmp_path / "nogo")
    jsonschema.validate(json.loads(w.files["json"].read_text()), schema)
    everything_done(con, plan_dir, tmp_path / "evidence")
    w = _report(con, plan_dir, tmp_path / "go")
    data = json.loads(w.files["json"].read_text())
    jsonschema.validate(data, schema)
    data["workstreams"][0]["criteria"][0]["status"] = "probably fine"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_first_report_says_there_is_nothing_to_compare(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    w = _report(con, plan_dir, tmp_path / "out")
    assert all(c["before"] is None for c in w.report["changes"])
    assert "First evaluation on record" in w.files["html"].read_text()
    assert "First evaluation on record" in w.files["md"].read_text()


def test_offline_check_pattern_catches_external_references() -> None:
    from assets.readiness import _EXTERNAL_REF

    for bad in ('<script src="https://cdn.plot.ly/plotly.js">', "<link href='//fonts.example/x.css'>",
                '<img src = "http://x/y.png">', "<IFRAME SRC=https://evil>"):  # fmt: skip
        assert _EXTERNAL_REF.search(bad), bad
    for ok in (
        '<a href="https://wiki.example/doc">',
        '<script>var u="https://x"</script>',
        '<a href="#ev-1">',
    ):
        assert not _EXTERNAL_REF.search(ok), ok


def test_vendored_bundle_is_marked_with_its_hash(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    import hashlib

    w = _report(con, plan_dir, tmp_path / "out")
    html = w.files["html"].read_text()
    m = re.search(
        r'<script data-vendored="[^"]+" data-sha256="([0-9a-f]{64})">(.*?)</script>', html, re.S
    )
    assert m is not None
    assert hashlib.sha256(m.group(2).encode()).hexdigest() == m.group(1)


def test_report_names_policy_hashes(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    import hashlib

    (plan_dir / "policies").mkdir(exist_ok=True)
    (plan_dir / "policies" / "default.yaml").write_text("rules: []\n")
    con.execute("CREATE TABLE tool_calls (tenant_id VARCHAR, policy_version VARCHAR)")
    con.execute(
        "INSERT INTO tool_calls VALUES ('acme', 'sha256:abc'), ('acme', 'sha256:abc'), ('globex', NULL)"
    )
    w = _report(con, plan_dir, tmp_path / "out")
    pol = w.report["policies"]
    assert pol["files"]["default.yaml"] == hashlib.sha256(b"rules: []\n").hexdigest()
    assert pol["seen_in_tool_calls"] == [
        {"tenant_id": "acme", "policy_version": "sha256:abc", "tool_calls": 2}
    ]
    html = w.files["html"].read_text()
    assert pol["files"]["default.yaml"] in html and "sha256:abc" in html
