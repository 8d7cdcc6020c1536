"""Release gates: CI truth from workflows and branch protection (through the real GitHub
connector and agent, against the stand-in provider), E2E gate runs, the readiness document."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from assets.operations.release_gates import (
    CATEGORIES,
    ProducedCheck,
    ReleaseGateError,
    RequiredCheck,
    add_e2e_run,
    authoritative_report,
    document_findings,
    e2e_streak,
    evaluate_required,
    load_config,
    required_checks,
    workflow_checks,
)
from assets.tables import ensure_schema
from enforcement_agent.connectors.fake_provider import FakeProvider
from enforcement_agent.connectors.spec import DEFAULT_CONNECTORS, ConnectorRequestError, render_path
from gonogo.config import Settings
from pipelines.settings import REPO_ROOT

CFG = load_config(REPO_ROOT / "plans" / "navi")
NOW = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)


def _wf(repo: Path, name: str, text: str) -> None:
    d = repo / ".github" / "workflows"
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_text(text)


# ----------------------------------------------------------------------- workflows


def test_workflow_jobs_become_checks_and_only_pull_request_ones_count(tmp_path: Path) -> None:
    _wf(tmp_path, "ci.yml", "on: [pull_request]\njobs:\n  backend-tests: {runs-on: x}\n"
        "  fe:\n    name: frontend-build\n    runs-on: x\n")  # fmt: skip
    _wf(
        tmp_path,
        "nightly.yaml",
        "on:\n  schedule: [{cron: '0 0 * * *'}]\njobs:\n  security-scan: {runs-on: x}\n",
    )
    _wf(tmp_path, "matrix.yml", "on: {pull_request: {}}\njobs:\n  ext:\n    name: extension-test\n"
        "    strategy: {matrix: {os: [a, b]}}\n    runs-on: x\n")  # fmt: skip
    _wf(
        tmp_path,
        "expr.yml",
        "on: merge_group\njobs:\n  j:\n    name: 'api ${{ matrix.v }}'\n    runs-on: x\n",
    )
    _wf(tmp_path, "broken.yml", "on: [pull_request\njobs: {}\n")
    _wf(tmp_path, "nojobs.yml", "on: push\n")
    ci = tmp_path / ".ci"
    ci.mkdir()
    (ci / "run").write_text("#!/bin/sh\nmake test\n")
    (ci / "run").chmod(0o755)
    (ci / "notes.txt").write_text("not a script")
    produced, problems = workflow_checks(tmp_path)
    got = {(p.context, p.on_pull_requests) for p in produced}
    assert got == {
        ("backend-tests", True),
        ("frontend-build", True),
        ("security-scan", False),
        ("extension-test (*)", True),
        ("api*", True),
        ("ci/run", True),
    }
    assert len(problems) == 2 and any("broken.yml" in p for p in problems)


def test_this_repository_runs_its_ci_script() -> None:
    produced, _ = workflow_checks(REPO_ROOT)
    assert ProducedCheck("ci/run", ".ci/run", True) in produced


# ----------------------------------------------------------------------- categories


def _required(*contexts: str) -> list[RequiredCheck]:
    return [RequiredCheck(c, "branch-protection") for c in contexts]


PRODUCED = [
    ProducedCheck("backend-tests", "ci.yml#b", True),
    ProducedCheck("frontend-build", "ci.yml#f", True),
    ProducedCheck("extension-test (*)", "ci.yml#e", True),
    ProducedCheck("security-scan", "sec.yml#s", True),
    ProducedCheck("codeql", "codeql.yml#c", False),
]


def test_every_category_enforced_passes() -> None:
    r = evaluate_required(
        CFG,
        _required("backend-tests", "frontend-build", "extension-test (linux)", "security-scan"),
        PRODUCED,
    )
    assert r["value"] == 1.0 and r["missing"] == []


def test_a_required_check_no_pull_request_runs_does_not_cover_its_category() -> None:
    r = evaluate_required(
        CFG, _required("backend-tests", "frontend-build", "extension-test (a)", "codeql"), PRODUCED
    )
    assert r["missing"] == ["security"] and r["value"] == 0.75
    assert r["required_without_a_job"] == ["codeql"]


def test_checks_that_exist_but_are_not_required_count_for_nothing() -> None:
    r = evaluate_required(CFG, _required("backend-tests"), PRODUCED)
    assert r["covered"] == ["backend"] and r["value"] == 0.25


def test_unmapped_required_checks_are_listed() -> None:
    produced = [*PRODUCED, ProducedCheck("lint", "ci.yml#l", True)]
    r = evaluate_required(CFG, _required("lint"), produced)
    assert r["required_unmapped"] == ["lint"] and r["value"] == 0.0


@given(st.sets(st.sampled_from(CATEGORIES)))
def test_value_is_the_share_of_categories_with_an_enforced_running_check(cats: set[str]) -> None:
    names = {"backend": "backend-tests", "frontend": "frontend-build",
             "extension": "extension-test (x)", "security": "security-scan"}  # fmt: skip
    r = evaluate_required(CFG, _required(*(names[c] for c in cats)), PRODUCED)
    assert r["value"] == len(cats) / 4 and set(r["covered"]) == cats


def test_config_is_validated(tmp_path: Path) -> None:
    (tmp_path / "release_gates.yaml").write_text("categories: {backend: [x]}\n")
    with pytest.raises(ReleaseGateError, match="exactly backend"):
        load_config(tmp_path)
    (tmp_path / "release_gates.yaml").write_text(
        "categories: {backend: [a], frontend: [b], extension: [c], security: [d]}\n"
        "repository: {github: 'a/b/../c'}\n"
    )
    with pytest.raises(ReleaseGateError, match="owner/repo"):
        load_config(tmp_path)
    with pytest.raises(ReleaseGateError, match="missing"):
        load_config(tmp_path / "nope")


# ----------------------------------------------------------------------- connector operations


@pytest.mark.parametrize(
    ("op", "resource", "path"),
    [
        (
            "branches.protection.get",
            "acme/service/branches/main",
            "/repos/acme/service/branches/main/protection",
        ),
        (
            "branches.rules.get",
            "acme/service/rules/branches/main",
            "/repos/acme/service/rules/branches/main",
        ),
    ],
)
def test_branch_operations_render_githubs_paths(op: str, resource: str, path: str) -> None:
    spec = DEFAULT_CONNECTORS["github"].operations[op]
    assert render_path(spec.path, resource, True, "repos/", spec.resource_shape) == path


@pytest.mark.parametrize(
    "resource",
    [
        "acme/service/actions/secrets",
        "acme/service/rules/branches/main/extra",
        "acme/service/rules/branches",
        "acme/service",
        "acme/service/rules/branches/..",
        "acme/service/rules/branches/%2e%2e",
        "acme/service/rules/branches/main?x=1",
        "acme/../globex/rules/branches/main",
    ],
)
def test_the_rules_operation_cannot_be_pointed_at_another_path(resource: str) -> None:
    spec = DEFAULT_CONNECTORS["github"].operations["branches.rules.get"]
    with pytest.raises(ConnectorRequestError):
        render_path(spec.path, resource, True, "repos/", spec.resource_shape)


PROTECTION = {"required_status_checks": {"contexts": ["backend-tests", "frontend-build"],
                                         "checks": [{"context": "codeql", "app_id": 1}]}}  # fmt: skip
RULES = [
    {"type": "required_status_checks", "ruleset_id": 7,
     "parameters": {"required_status_checks": [{"context": "security-scan"}]}},
    {"type": "pull_request", "ruleset_id": 7, "parameters": {}},
]  # fmt: skip


@pytest.fixture(autouse=True)
def _kek(monkeypatch: pytest.MonkeyPatch) -> None:
    """The key-encryption key the agent opens the tenant's sealed credentials with."""
    from enforcement_agent.secretbox import KEK_ENV

    monkeypatch.setenv(KEK_ENV, base64.b64encode(b"k" * 32).decode())


def _agent_fetch(
    settings: Settings, provider: FakeProvider, tenant: str = "acme", role: str = "admin"
):
    from enforcement_agent.connectors.credentials import SECRETS_DIR
    from enforcement_agent.secretbox import LocalKek, SealedSecrets
    from gonogo.cli_evidence import github_fetch

    # As `gonogo secrets set acme github` keeps it: sealed, never a plaintext file.
    sealed = SealedSecrets(settings.home / SECRETS_DIR, LocalKek.load())
    sealed.set("acme", "github", "ghp_" + "t" * 36, actor="test")
    return github_fetch(settings, tenant, provider.url)


def test_required_checks_through_the_agent_and_connector(settings: Settings) -> None:
    with FakeProvider() as p:
        p.routes[("GET", "/repos/acme/service/branches/main/protection")] = (200, PROTECTION)
        p.routes[("GET", "/repos/acme/service/rules/branches/main")] = (200, RULES)
        fetch, agent = _agent_fetch(settings, p)
        try:
            required, notes = required_checks(fetch, "acme/service", "main")
        finally:
            agent.telemetry.shutdown()
        assert sorted((r.context, r.source) for r in required) == [
            ("backend-tests", "branch-protection"),
            ("codeql", "branch-protection"),
            ("frontend-build", "branch-protection"),
            ("security-scan", "ruleset:7"),
        ]
        assert notes == []
        # The provider saw the tenant's own credential, never the caller's.
        assert all(r.headers.get("Authorization", "").startswith("Bearer ghp_") for r in p.requests)
    # Every read was decided by policy and recorded before it was made.
    log = (settings.audit_dir / "acme" / "decisions.jsonl").read_text()
    assert log.count("branches.protection.get") == 1 and log.count("branches.rules.get") == 1


def test_missing_protection_and_unreadable_rules_are_noted(settings: Settings) -> None:
    with FakeProvider() as p:
        p.routes[("GET", "/repos/acme/service/branches/main/protection")] = (
            404,
            {"message": "Branch not protected"},
        )
        p.routes[("GET", "/repos/acme/service/rules/branches/main")] = (500, {"message": "boom"})
        fetch, agent = _agent_fetch(settings, p)
        try:
            required, notes = required_checks(fetch, "acme/service", "main")
        finally:
            agent.telemetry.shutdown()
    assert required == [] and any("no branch protection" in n for n in notes)
    assert any("rules not readable (HTTP 500)" in n for n in notes)


def test_a_contributor_cannot_read_branch_protection(settings: Settings) -> None:
    from enforcement_agent.models import ToolRequest

    with FakeProvider() as p:
        _fetch, agent = _agent_fetch(settings, p)
        try:
            for op, res in (("branches.protection.get", "acme/service/branches/main"),
                            ("branches.rules.get", "globex/api/rules/branches/main")):  # fmt: skip
                role = "contributor" if op == "branches.protection.get" else "admin"
                r = agent.handle(
                    ToolRequest(tenant="acme", actor="a", role=role, tool="connector",
                                connector="github", operation=op, resource=res),
                    None,
                )  # fmt: skip
                assert r.decision.decision.value == "deny", (op, res)
        finally:
            agent.telemetry.shutdown()
        assert p.requests == []


def test_cli_release_gates_records_ws41_evidence(settings: Settings, tmp_path: Path) -> None:
    from gonogo.cli_evidence import release_gates_now
    from gonogo.demo_ops import _PROTECTION, _RULES, demo_repository

    repo = demo_repository(tmp_path / "repo")
    with FakeProvider() as p:
        p.routes[("GET", "/repos/acme/service/branches/main/protection")] = (200, _PROTECTION)
        p.routes[("GET", "/repos/acme/service/rules/branches/main")] = (200, _RULES)
        _agent_fetch(settings, p)[1].telemetry.shutdown()  # writes the credential file
        out = release_gates_now(settings, repo=repo, provider_url=p.url)
    assert out["covered"] == ["backend", "frontend", "security"]
    assert out["missing"] == ["extension"] and out["required_without_a_job"] == ["codeql"]
    con = duckdb.connect(str(settings.duckdb_path))
    row = con.execute(
        "SELECT value, detail FROM evidence_items WHERE kind = 'release.required_checks'"
    ).fetchone()
    assert row[0] == 0.75 and json.loads(row[1])["missing"] == ["extension"]
    assert con.execute("SELECT count(*) FROM release_checks").fetchone() == (4,)


# ----------------------------------------------------------------------- E2E gate runs

JUNIT = """<?xml version="1.0"?>
<testsuites><testsuite name="e2e" timestamp="{ts}" tests="{n}">{cases}</testsuite></testsuites>
"""


def junit(ts: str, outcomes: list[str]) -> bytes:
    inner = {
        "passed": "",
        "failed": "<failure message='x'/>",
        "error": "<error/>",
        "skipped": "<skipped/>",
    }
    cases = "".join(
        f"<testcase classname='e2e' name='t{i}'>{inner[o]}</testcase>"
        for i, o in enumerate(outcomes)
    )
    return JUNIT.format(ts=ts, n=len(outcomes), cases=cases).encode()


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    ensure_schema(c)
    return c


def _add(con, tmp_path: Path, rc: str, run: str, ts: str, outcomes: list[str]):
    return add_e2e_run(con, rc, run, junit(ts, outcomes), tmp_path / rc / f"{run}.xml", NOW)


def test_two_consecutive_passing_runs_of_the_same_candidate(con, tmp_path: Path) -> None:
    _add(con, tmp_path, "rc1", "1", "2026-12-01T10:00:00", ["passed", "passed"])
    assert e2e_streak(con)["streak"] == 1
    _add(con, tmp_path, "rc1", "2", "2026-12-01T11:00:00", ["passed", "skipped"])
    assert e2e_streak(con) | {"runs": None} == {"rc": "rc1", "streak": 2, "runs": None}
    _add(con, tmp_path, "rc1", "3", "2026-12-01T12:00:00", ["passed", "failed"])
    assert e2e_streak(con)["streak"] == 0
    _add(con, tmp_path, "rc1", "4", "2026-12-01T13:00:00", ["passed"])
    assert e2e_streak(con)["streak"] == 1  # a failure in between breaks the run of passes


def test_a_new_candidate_starts_from_zero(con, tmp_path: Path) -> None:
    for i in range(3):
        _add(con, tmp_path, "rc1", str(i), f"2026-12-01T1{i}:00:00", ["passed"])
    _add(con, tmp_path, "rc2", "1", "2026-12-02T10:00:00", ["passed"])
    assert e2e_streak(con)["rc"] == "rc2" and e2e_streak(con)["streak"] == 1


def test_runs_are_ordered_by_when_they_ran_not_when_they_arrived(con, tmp_path: Path) -> None:
    _add(con, tmp_path, "rc1", "late-failing", "2026-12-01T12:00:00", ["failed"])
    _add(con, tmp_path, "rc1", "early-1", "2026-12-01T10:00:00", ["passed"])
    _add(con, tmp_path, "rc1", "early-2", "2026-12-01T11:00:00", ["passed"])
    assert e2e_streak(con)["streak"] == 0  # the latest run of rc1 failed


@pytest.mark.parametrize("outcomes", [[], ["skipped", "skipped"], ["passed", "error"], ["failed"]])
def test_runs_that_prove_nothing_do_not_pass(con, tmp_path: Path, outcomes: list[str]) -> None:
    summary, _ = _add(con, tmp_path, "rc1", "1", "2026-12-01T10:00:00", outcomes)
    assert not summary.passed and e2e_streak(con)["streak"] == 0


def test_the_same_run_or_the_same_file_counts_once(con, tmp_path: Path) -> None:
    data = junit("2026-12-01T10:00:00", ["passed"])
    add_e2e_run(con, "rc1", "1", data, tmp_path / "a.xml", NOW)
    with pytest.raises(ReleaseGateError, match="already recorded"):
        add_e2e_run(con, "rc1", "2", data, tmp_path / "b.xml", NOW)  # a replayed file
    with pytest.raises(ReleaseGateError, match="already recorded"):
        add_e2e_run(
            con, "rc1", "1", junit("2026-12-01T11:00:00", ["passed"]), tmp_path / "c.xml", NOW
        )
    assert e2e_streak(con)["streak"] == 1


@pytest.mark.parametrize("label", ["", "rc 1", "../x", "a" * 200, "rc;rm", "-rc"])
def test_labels_are_plain_words(con, tmp_path: Path, label: str) -> None:
    with pytest.raises(ReleaseGateError):
        add_e2e_run(
            con, label, "1", junit("2026-12-01T10:00:00", ["passed"]), tmp_path / "x.xml", NOW
        )


def _cli(settings: Settings, *args: str):
    from gonogo.cli import app

    return CliRunner().invoke(app, ["evidence", *args])


def test_cli_evidence_add(settings: Settings, tmp_path: Path) -> None:
    f1, f2 = tmp_path / "1.xml", tmp_path / "2.xml"
    f1.write_bytes(junit("2026-12-01T10:00:00", ["passed", "passed"]))
    f2.write_bytes(junit("2026-12-01T11:00:00", ["passed"]))
    r = _cli(
        settings,
        "add",
        "--kind",
        "junit",
        "--rc",
        "v1.0-rc.1",
        "--run-id",
        "101",
        str(f1),
        "--json",
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["consecutive_passing_runs"] == 1
    r = _cli(settings, "add", "--kind", "junit", "--rc", "v1.0-rc.1", "--run-id", "102", str(f2))
    assert r.exit_code == 0 and "2 consecutive passing run(s)" in r.output
    # The same file again: refused in one line, kept in quarantine with the reason.
    r = _cli(settings, "add", "--kind", "junit", "--rc", "v1.0-rc.1", "--run-id", "103", str(f2))
    assert r.exit_code == 2 and "already recorded" in r.output and "Traceback" not in r.output
    bad = tmp_path / "bad.xml"
    bad.write_text("<testsuites><testsuite>")
    r = _cli(settings, "add", "--kind", "junit", "--rc", "v1.0-rc.1", "--run-id", "104", str(bad))
    assert r.exit_code == 2 and "not well-formed" in r.output
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<!DOCTYPE x [<!ENTITY a "aaaa">]><testsuites/>')
    r = _cli(settings, "add", "--kind", "junit", "--rc", "v1.0-rc.1", "--run-id", "105", str(bomb))
    assert r.exit_code == 2 and "DTD" in r.output
    rejected = sorted((settings.evidence_dir / "e2e" / "rejected").glob("*.reason"))
    assert len(rejected) == 3
    r = _cli(settings, "add", "--kind", "sarif", "--rc", "x", "--run-id", "1", str(f1))
    assert r.exit_code == 2
    r = _cli(
        settings, "add", "--kind", "junit", "--rc", "x", "--run-id", "1", str(tmp_path / "nope.xml")
    )
    assert r.exit_code == 2 and "Traceback" not in r.output
    con = duckdb.connect(str(settings.duckdb_path))
    assert con.execute(
        "SELECT value FROM evidence_items WHERE kind = 'release.e2e_consecutive' ORDER BY collected_at DESC LIMIT 1"
    ).fetchone() == (2.0,)


# ----------------------------------------------------------------------- WS4.3


@pytest.mark.parametrize(
    "text",
    [
        "Decision: GO\n",
        "**Decision:** NO-GO for now\n",
        "| status | GO |\n",
        "> Readiness: NO-GO\n",
        "Go/no-go decision = GO\n",
        "## Verdict: GO\n",
    ],
)
def test_a_document_claiming_a_decision_is_caught(text: str) -> None:
    assert document_findings(text, "readiness-report.html")["claims"]


@pytest.mark.parametrize(
    "text",
    [
        "The report opens with GO or NO-GO and the plan's consequences.\n",
        "```\nDecision: GO\n```\n",
        "the GO/NO-GO decision is recorded once\n",
        "status: pass / fail / warn\n",
        "Going to production needs a GO.\n",
    ],
)
def test_describing_the_decision_is_not_claiming_one(text: str) -> None:
    assert document_findings(text, "readiness-report.html")["claims"] == []


def test_links_count_only_when_they_point_at_the_report() -> None:
    f = document_findings
    assert f("See [the report](out/readiness-report.html).", "readiness-report.html")[
        "links_to_report"
    ]
    assert f('<a href="/r/readiness-report.html#decision">x</a>', "readiness-report.html")[
        "links_to_report"
    ]
    assert not f("writes out/readiness-report.html", "readiness-report.html")["links_to_report"]
    assert not f("[old](readiness-report.html.bak)", "readiness-report.html")["links_to_report"]


def test_authoritative_report(con, tmp_path: Path) -> None:
    from dataclasses import replace

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("See [the report](out/readiness-report.html).\n")
    (docs / "b.md").write_text("Also [here](readiness-report.html).\n")
    cfg = replace(CFG, documents=("docs/a.md", "docs/b.md"))
    assert authoritative_report(con, cfg, tmp_path, NOW)["problems"] == [
        "no readiness report has been generated"
    ]
    con.execute(
        "INSERT INTO readiness_reports VALUES ('_global', 'r1', ?, 'out', '{}', 'h', 'NO-GO', false)",
        [NOW - timedelta(hours=2)],
    )
    assert authoritative_report(con, cfg, tmp_path, NOW)["value"] == 1.0
    assert authoritative_report(con, cfg, tmp_path, NOW + timedelta(days=2))["value"] == 0.0
    (docs / "b.md").write_text("Also [here](readiness-report.html).\n\nDecision: GO\n")
    r = authoritative_report(con, cfg, tmp_path, NOW)
    assert r["value"] == 0.0 and "claims a decision" in r["problems"][0]
    (docs / "b.md").write_text("no link at all\n")
    assert "does not link" in authoritative_report(con, cfg, tmp_path, NOW)["problems"][0]


def test_in_a_run_the_report_it_writes_is_the_current_one(con, tmp_path: Path) -> None:
    """A pipeline run writes the report after judging WS4.3: the same documents give the same
    value with no earlier report, a fresh one or a stale one (no flip on a rerun)."""
    from dataclasses import replace

    (tmp_path / "a.md").write_text("See [the report](out/readiness-report.html).\n")
    cfg = replace(CFG, documents=("a.md",))

    def in_run() -> dict:
        return authoritative_report(con, cfg, tmp_path, NOW, written_by_this_run=True)

    first = in_run()
    for age in (timedelta(hours=2), timedelta(days=9)):
        con.execute(
            "INSERT INTO readiness_reports VALUES ('_global', ?, ?, 'out', '{}', 'h', 'GO', false)",
            [f"r{age}", NOW - age],
        )
        assert in_run()["value"] == first["value"] == 1.0
    (tmp_path / "a.md").write_text("Decision: GO\n")
    assert in_run()["value"] == 0.0  # the documents still decide it


def test_the_shipped_readiness_documents_link_and_claim_nothing() -> None:
    for d in CFG.documents:
        f = document_findings((REPO_ROOT / d).read_text(), CFG.report_name)
        assert f["links_to_report"] and f["claims"] == [], d
