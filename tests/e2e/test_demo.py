"""`gonogo demo` end to end: real agent, real sandbox, real Dagster run, real report files."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from assets.readiness.plan import load_plan
from pipelines.settings import DEFAULT_PLAN_DIR, REPO_ROOT
from tests.faults.conftest import INGEST

# The module's demo run (its fixture) counts against the first test's timeout: on a machine
# at load 10 it took longer than the suite's default of 300 s (its own limit is 900 s).
pytestmark = pytest.mark.timeout(1200)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, bwrap: str) -> dict:
    out = tmp_path_factory.mktemp("demo-out")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "gonogo",
            "demo",
            "--out",
            str(out),
            "--json",
            "--no-security-suite",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        # benchmarks, the probe matrix (a gateway per tenant), a soak and two drills
        timeout=900,
        env={**__import__("os").environ, "GONOGO_CANARY_SEED": "e2e-seed"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout[proc.stdout.index("{") :])
    return {"out": out, "summary": summary}


def test_demo_writes_report_and_digest(demo: dict) -> None:
    out: Path = demo["out"]
    for name in ("readiness-report.html", "readiness-report.md", "readiness-report.json"):
        assert (out / name).stat().st_size > 500, name
    assert list(out.glob(f"digest-{date.today().isoformat()}.md"))
    assert list(out.glob(f"digest-{date.today().isoformat()}.html"))
    html = (out / "readiness-report.html").read_text()
    assert "DEMO DATA" in html
    assert '<script src="http' not in html  # offline: no CDN


def test_report_lists_every_criterion_and_is_no_go_while_p0_open(demo: dict) -> None:
    report = json.loads((demo["out"] / "readiness-report.json").read_text())
    assert report["schema_version"] and report["is_demo"] is True
    plan = load_plan(DEFAULT_PLAN_DIR)
    expected = {c.id for ws in plan.workstreams for c in ws.exit_criteria}
    seen = {c["id"]: c for ws in report["workstreams"] for c in ws["criteria"]}
    assert expected <= set(seen)
    assert all(
        c["status"] in {"pass", "fail", "warn", "unknown", "stale", "error", "waived"}
        for c in seen.values()
    )
    p0_open = [
        c
        for ws in report["workstreams"]
        if ws["priority"] == "P0"
        for c in ws["criteria"]
        if c["status"] != "pass"
    ]
    if p0_open:
        assert report["decision"]["decision"] == "NO-GO"


def test_demo_digest_and_report_carry_every_section_with_the_plans_owners(demo: dict) -> None:
    out: Path = demo["out"]
    day = date.today().isoformat()
    digest = json.loads((out / f"digest-{day}.json").read_text())
    plan = load_plan(DEFAULT_PLAN_DIR)
    assert [s["title"] for s in digest["sections"]] == [f.text for f in plan.tracking_fields]
    assert all(s["items"] for s in digest["sections"]), [
        (s["title"], len(s["items"])) for s in digest["sections"]
    ]
    assert digest["escalations"] and digest["missing_updates"] and digest["is_demo"]
    assert demo["summary"]["tracking"]["entries"] > 0
    report = json.loads((out / "readiness-report.json").read_text())
    names = [s["name"] for s in report["sections"]]
    assert {"schedule", "onboarding", "slo", "probes", "benchmarks"} <= set(names)
    assert all(s["error"] is None for s in report["sections"])
    owners = {g["owner"] for g in report["why"]["owners"]}
    assert owners <= {ws.owner for ws in plan.workstreams} | {"not named in the plan"}
    assert "Platform Security + Agent Runtime" in owners or report["decision"]["decision"] == "GO"
    slo = next(s for s in report["sections"] if s["name"] == "slo")["data"]
    assert slo["slos"] and all(r["tenant_id"] != "_global" for s in slo["slos"] for r in s["rows"])


def test_ws0_policy_criteria_come_from_real_decision_records(demo: dict) -> None:
    out: Path = demo["out"]
    report = json.loads((out / "readiness-report.json").read_text())
    ws0 = next(ws for ws in report["workstreams"] if ws["id"] == "WS0")
    crit = {c["id"]: c for c in ws0["criteria"]}
    con = duckdb.connect(str(out / "state" / "gonogo.duckdb"), read_only=True)
    calls, denied_destructive = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE destructive AND decision <> 'allow') FROM tool_calls"
    ).fetchone()
    # The workload's calls plus the demo's tool calls over the authenticated gateway.
    assert calls == demo["summary"]["workload"]["calls"] + demo["summary"]["identity"]["tool_calls"]
    assert denied_destructive > 10  # the hostile sessions hit the policy
    # One chained record per tool call; the gateway's refusals and webhook deliveries in the
    # demo (executor "gateway") are records without a tool call.
    records = con.execute(
        "SELECT count(*) FROM decision_records WHERE chain_ok"
        " AND coalesce(json_extract_string(extra, '$.executor'), '') <> 'gateway'"
    ).fetchone()[0]
    assert records == calls
    for cid in ("WS0.1", "WS0.2"):
        assert crit[cid]["status"] == "pass", crit[cid]
        ids = crit[cid]["evidence_ids"]
        kinds = {
            r[0]
            for r in con.execute(
                "SELECT kind FROM evidence_items WHERE list_contains(?, evidence_id)", [ids]
            ).fetchall()
        }
        assert kinds & {"policy.destructive_blocked", "policy.decision_coverage"}


def test_demo_canaries_reach_no_sink(demo: dict) -> None:
    from enforcement_agent.redaction.canary import make_canaries

    canaries = [v for v in make_canaries("e2e-seed").values() if len(v) >= 8]
    hits = []
    for p in demo["out"].rglob("*"):
        if not p.is_file() or "workspaces" in p.parts:
            continue  # the tenants' own checkouts hold the planted secrets by design
        data = p.read_bytes()
        hits += [(str(p), c[:6]) for c in canaries if c.encode() in data]
    assert hits == []


def test_rerun_materialization_ingests_nothing_twice(demo: dict) -> None:
    """A rerun ingests no span twice. It may ingest spans the first run could not: the tenant
    probes run after ingest, and their own calls (real, through real gateways) are ingested,
    whole, by the next run; those come only from segments the first run never saw. The rerun
    is the ingest assets and their checks (the rest of a run ingests nothing)."""
    from gonogo.pipeline_run import materialize_all
    from pipelines.settings import Settings

    out: Path = demo["out"]
    settings = Settings(home=out / "state")
    q = "SELECT trace_id, span_id, segment FROM tool_calls"
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    before = set(con.execute(q).fetchall())
    con.close()
    ran = materialize_all(settings, out=out, demo=True, select=list(INGEST))
    assert ran["success"] and set(ran["materialized"]) == set(INGEST)
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    rows = con.execute(q).fetchall()
    con.close()
    after = set(rows)
    assert len(rows) == len(after)  # no span twice
    assert before <= after
    new_segments = {seg for _t, _s, seg in after - before}
    assert not new_segments & {seg for _t, _s, seg in before}


def test_demo_says_when_its_security_suite_was_skipped(demo: dict) -> None:
    suite = demo["summary"]["security_suite"]
    assert suite["skipped"] and not suite["ran"]


def _summary(out: Path, suite: dict) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    (out / "readiness-report.json").write_text(json.dumps({"decision": {"sentence": "NO-GO: x"}}))
    return {
        "workload": {"calls": 1, "seconds": 0.1, "by_decision": {}, "by_outcome": {}},
        "materialized": ["a"],
        "checks": {},
        "security_suite": suite,
    }


def test_demo_is_not_a_success_when_its_security_suite_did_not_run(tmp_path: Path) -> None:
    from gonogo.cli_demo import summary_lines

    why = "no test suites in this installation (not a source checkout)"
    lines, code = summary_lines(
        _summary(tmp_path, {"ran": False, "skipped": False, "why_not": why}), tmp_path
    )
    assert code == 1 and lines[-1] == f"demo incomplete: the security suite did not run: {why}"
    ok = {"ran": True, "skipped": False, "why_not": "", "tests": 9, "security_tests": 7,
          "summary": "9 passed"}  # fmt: skip
    lines, code = summary_lines(_summary(tmp_path, ok), tmp_path)
    assert code == 0 and "security suite: 7 security tests of 9 (9 passed)" in lines
    skipped = {"ran": False, "skipped": True, "why_not": "skipped (--no-security-suite)"}
    lines, code = summary_lines(_summary(tmp_path, skipped), tmp_path)
    assert code == 0 and any("skipped" in line for line in lines)


def test_security_suite_outside_a_checkout_did_not_run(tmp_path: Path) -> None:
    from gonogo.security_suite import run_security_suite
    from pipelines.settings import Settings

    run = run_security_suite(Settings(home=tmp_path / "home"), suites=("tests/no-such-suite",))
    assert not run.ran and "not a source checkout" in run.why_not and run.junit is None


def test_demo_benchmarks_give_ws5_its_evidence(demo: dict) -> None:
    """The suite ran (oracle, governed oracle, none; a kill; a reproduction) as demo data, the
    one-pager was written from supported claims, and WS5's criteria read that evidence."""
    bench = demo["summary"]["benchmarks"]
    assert bench["reproduced"] and bench["tasks"] >= 12
    assert bench["completion_rate"] == {"oracle": 1.0, "oracle+governed": 1.0, "none": 0.0}
    out: Path = demo["out"]
    page = (out / "one-pager.md").read_text()
    assert "DEMO DATA" in page and "[CLM-" in page
    assert "DEMO DATA" in (out / "one-pager.html").read_text()
    assert demo["summary"]["checks"]["benchmark_comparisons:one_pager_matches_claims"] is True
    report = json.loads((out / "readiness-report.json").read_text())
    ws5 = {c["id"]: c for w in report["workstreams"] if w["id"] == "WS5" for c in w["criteria"]}
    assert ws5["WS5.1"]["status"] == "pass"  # methodology hashed and a passing reproduction
    assert ws5["WS5.3"]["status"] == "pass"  # the one-pager passed its check
    for cid in ("WS5.1", "WS5.2", "WS5.3"):
        assert ws5[cid]["evidence_ids"], cid
    kinds = {report["evidence"][e]["kind"] for c in ws5.values() for e in c["evidence_ids"]}
    assert kinds == {"benchmark.reproducibility", "benchmark.claims_mapped", "benchmark.one_pager"}
    assert all(report["evidence"][e]["is_demo"] for c in ws5.values() for e in c["evidence_ids"])


def test_demo_probe_matrix_is_all_closed_across_its_three_tenants(demo: dict) -> None:
    assert demo["summary"]["checks"]["tenant_probes:probe_matrix_closed"] is True
    con = duckdb.connect(str(demo["out"] / "state" / "gonogo.duckdb"), read_only=True)
    # the demo's own run (later tests here may run the pipeline again, without its Redis)
    rows = con.execute(
        "SELECT count(*), list(DISTINCT tenant_id ORDER BY tenant_id), count(DISTINCT surface), "
        "count(*) FILTER (WHERE NOT passed OR canary_seen) FROM tenant_probe_results "
        "WHERE run_id = (SELECT run_id FROM tenant_probe_results ORDER BY probed_at LIMIT 1)"
    ).fetchone()
    assert rows is not None
    probes, tenants, surfaces, open_or_leaked = rows
    assert tenants == ["acme", "globex", "initech"]
    assert probes > 100 and surfaces == 12 and open_or_leaked == 0
