"""Report rendering: decision first, every criterion in JSON, offline HTML, demo banner, redaction."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from assets.readiness.plan import load_plan
from assets.readiness.record import evaluate_and_record, record_decision, write_readiness_report
from assets.readiness.report_model import REPORT_SCHEMA_VERSION, build_report
from reports import render
from reports.oscal_schema import OSCAL_VERSION
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
    assert oscal["metadata"]["oscal-version"] == OSCAL_VERSION  # the vendored schema's


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
    a = attestation("WS1.1", "manual-auth-review")
    a["document"] = "javascript:alert(1)"
    a["who"] = "<script>alert(2)</script>"
    attest(plan_dir, [a])
    w = _report(con, plan_dir, tmp_path / "out")
    html = w.files["html"].read_text()
    assert 'href="javascript:' not in html and "<script>alert(2)" not in html
    # The attestation is in the report (escaped), so the test would see a raw link or tag.
    assert "&lt;script&gt;alert(2)" in html


def test_secrets_are_redacted_in_every_format(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    a = attestation("WS1.1", "manual-auth-review")
    a["document"] = f"https://wiki.example/review?token={FAKE_TOKEN}"
    attest(plan_dir, [a])
    w = _report(con, plan_dir, tmp_path / "out")
    for path in w.files.values():
        assert FAKE_TOKEN not in path.read_text(), path
    assert "https://wiki.example/review?token=[REDACTED:" in w.files["json"].read_text()


def test_build_report_without_verdicts_says_so(
    con: duckdb.DuckDBPyConnection, plan_dir: Path
) -> None:
    with pytest.raises(LookupError, match="no decision recorded"):
        build_report(con, load_plan(plan_dir))


def test_html_renders_in_headless_chromium(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    from tests.readiness.browser import dump_dom

    w = _report(con, plan_dir, tmp_path / "out")
    # No DNS at all (browser.py): anything the page tried to fetch would fail to render.
    # A Chromium that is missing or does not start fails this test; it is never skipped.
    dom = dump_dom(w.files["html"])
    assert "NO-GO" in dom
    assert "main-svg" in dom  # plotly.js ran from the inlined bundle and drew the chart


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
    from checks.readiness import _EXTERNAL_REF

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
    (plan_dir / "policies" / "programs").mkdir(exist_ok=True)
    (plan_dir / "policies" / "programs" / "git.yaml").write_text("programs: {}\n")
    con.execute(
        "INSERT INTO tool_calls (tenant_id, ts, trace_id, span_id, tool, decision, outcome, "
        "policy_version, segment) SELECT t, now(), 'tr', s, 'exec', 'allow', 'success', v, 'seg' "
        "FROM (VALUES ('acme', 's1', 'sha256:abc'), ('acme', 's2', 'sha256:abc'), "
        "('globex', 's3', NULL)) AS x(t, s, v)"
    )
    w = _report(con, plan_dir, tmp_path / "out")
    pol = w.report["policies"]
    assert pol["files"]["default.yaml"] == hashlib.sha256(b"rules: []\n").hexdigest()
    # The per-program argument specs decide what runs too: each is named by its path.
    assert pol["files"]["programs/git.yaml"] == hashlib.sha256(b"programs: {}\n").hexdigest()
    assert pol["seen_in_tool_calls"] == [
        {"tenant_id": "acme", "policy_version": "sha256:abc", "tool_calls": 2}
    ]
    html = w.files["html"].read_text()
    assert pol["files"]["default.yaml"] in html and "sha256:abc" in html
    assert "programs/git.yaml" in html and pol["files"]["programs/git.yaml"] in html


def test_report_reads_the_recorded_decision_and_never_decides_again(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    plan = load_plan(plan_dir)
    run = evaluate_and_record(con, plan, NOW)
    with pytest.raises(LookupError, match=f"no decision recorded for run {run}"):
        build_report(con, plan, run)  # verdicts alone are not a decision
    recorded = record_decision(con, plan, run)
    assert recorded["decision"] == "NO-GO"
    assert record_decision(con, plan, run) == recorded  # once per run
    # Whatever the record says is what every format shows: change the record, not the verdicts.
    con.execute(
        "UPDATE readiness_decisions SET detail = json_merge_patch(detail, ?) WHERE run_id = ?",
        [json.dumps({"sentence": "RECORDED-SENTENCE", "decision_tree": []}), run],
    )
    w = write_readiness_report(con, plan, tmp_path / "out", NOW, run_id=run)
    assert w.report["decision"]["sentence"] == "RECORDED-SENTENCE"
    assert w.report["decision_tree"] == []
    for path in w.files.values():
        assert "RECORDED-SENTENCE" in path.read_text(), path
    # The latest *decided* run is reported, not a later run nobody decided.
    evaluate_and_record(con, plan, NOW + timedelta(hours=1))
    assert build_report(con, plan)["run_id"] == run


def _model(con: duckdb.DuckDBPyConnection, plan_dir: Path) -> dict:  # type: ignore[type-arg]
    plan = load_plan(plan_dir)
    run = evaluate_and_record(con, plan, NOW)
    record_decision(con, plan, run)
    return build_report(con, plan, run)


def test_renderer_redacts_a_model_whoever_built_it(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    model = _model(con, plan_dir)
    model["plan"]["title"] = f"plan with token={FAKE_TOKEN}"
    model["workstreams"][0]["criteria"][0]["reason"] = f"saw {FAKE_TOKEN} in a log"
    files = render.write_report(model, tmp_path / "out")
    for path in files.values():
        text = path.read_text()
        assert FAKE_TOKEN not in text and "[REDACTED:" in text, path


def test_renderer_fails_closed_when_the_redactor_fails(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken:
        def redact_text(self, text: str) -> str:
            raise RuntimeError("redactor down")

    import reports.redact

    model = _model(con, plan_dir)
    monkeypatch.setattr(reports.redact, "get_redactor", lambda: Broken())
    with pytest.raises(RuntimeError, match="redactor down"):
        render.write_report(model, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    with pytest.raises(RuntimeError, match="redactor down"):
        render.write_digest({"date": "2026-12-01", "title": "x"}, tmp_path / "digest")
    assert not any((tmp_path / "digest").glob("digest-*"))


def test_nothing_renders_without_the_redactor() -> None:
    """No redactor installed: the renderer does not import, rather than pass text through."""
    code = (
        "import sys; sys.modules['enforcement_agent.redaction'] = None\n"
        "try:\n    import reports.render\nexcept ImportError:\n    print('refused')\n"
        "else:\n    print('rendered without a redactor')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert out.stdout.strip() == "refused"


def test_oscal_imports_a_real_plan_resource_and_says_why_unknown(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    w = _report(con, plan_dir, tmp_path / "out")
    ar = json.loads(w.files["oscal"].read_text())["assessment-results"]
    href = ar["import-ap"]["href"]
    resources = {r["uuid"]: r for r in ar["back-matter"]["resources"]}
    assert href.startswith("#") and href[1:] in resources
    assert resources[href[1:]]["props"][0]["value"] == w.report["plan"]["hash"]
    by_id = {f["target"]["target-id"]: f for f in ar["results"][0]["findings"]}
    crit = {c["id"]: c for ws in w.report["workstreams"] for c in ws["criteria"]}
    unknown = [cid for cid, c in crit.items() if c["status"] == "unknown"]
    assert unknown  # the empty store leaves criteria without evidence
    for cid in unknown:
        status = by_id[cid]["target"]["status"]
        assert status["state"] == "not-satisfied" and status["reason"] == "other"
        assert crit[cid]["reason"] and crit[cid]["reason"] in status["remarks"]
        assert status["remarks"].startswith("unknown: ")
