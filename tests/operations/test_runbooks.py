"""Runbooks: the structured head, coverage of every page-level alert, the check, the served file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import dagster as dg
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.operations.drills import DRILLS
from assets.operations.runbooks import (
    REQUIRED,
    RunbookError,
    RunbookSet,
    coverage,
    generated_alerts,
    load_runbooks,
    parse_runbook,
)
from assets.slo.ops import OpsConfig
from assets.slo.spec import load_specs
from pipelines.settings import REPO_ROOT

RUNBOOKS = REPO_ROOT / "docs" / "runbooks"
SPECS = load_specs(REPO_ROOT / "plans" / "navi" / "slos.yaml")
OPS = OpsConfig.from_spec(SPECS.operational)

GOOD_HEAD = {
    "title": "A worker stopped",
    "alerts": [{"alertname": "GonogoWorkerHeartbeatMissing", "slo": "worker-heartbeat"}],
    "severity": "Sev-1",
    "detection": "the heartbeat alert pages",
    "mitigation": [
        {"step": "probe", "run": 'gonogo soak probe --url "$GONOGO_URL"', "ok_exit": [0, 1]},
        {"step": "restart", "run": 'gonogo serve --port "$PORT"', "restart": "worker"},
    ],
    "verification": [{"step": "probe", "run": 'gonogo soak probe --url "$GONOGO_URL"'}],
    "rollback": [{"step": "roll back the release"}],
    "contacts": [{"role": "primary on-call", "who": "team-sre"}],
    "drills": ["worker-killed"],
}


def doc(head: dict[str, object], body: str = "# body\n") -> str:
    return "---\n" + yaml.safe_dump(head, sort_keys=False) + "---\n" + body


def test_shipped_runbooks_parse_complete_and_cover_every_page() -> None:
    books = load_runbooks(RUNBOOKS, REPO_ROOT)
    assert books.errors == []
    assert all(b.complete for b in books.runbooks.values()), {
        n: b.missing for n, b in books.runbooks.items() if b.missing
    }
    problems, served = coverage(generated_alerts(SPECS.slos, OPS), books, OPS.runbook_base_url)
    assert problems == []
    pages = [a for a in generated_alerts(SPECS.slos, OPS) if a.severity == "page"]
    assert pages and all(
        "/".join(x for x in (a.alertname, a.slo, a.subject) if x) in served for a in pages
    )
    # Every drill runs from exactly one runbook, which has an automated mitigation.
    for name in DRILLS:
        book = books.for_drill(name)
        assert book is not None, name
        assert any(s.automated for s in book.mitigation)


@pytest.mark.parametrize("section", REQUIRED)
def test_a_missing_section_fails_coverage_for_the_page_it_serves(section: str) -> None:
    head = {k: v for k, v in GOOD_HEAD.items() if k != section}
    rb = parse_runbook(doc(head), "docs/runbooks/worker-heartbeat.md")
    assert section in rb.missing and not rb.complete
    books = RunbookSet({"worker-heartbeat": rb}, [])
    problems, _ = coverage(generated_alerts(SPECS.slos, OPS), books, OPS.runbook_base_url)
    keys = {p.alert for p in problems}
    if section == "alerts":
        assert "GonogoWorkerHeartbeatMissing/worker-heartbeat" in keys  # serves nothing now
    else:
        assert any(
            p.alert == "GonogoWorkerHeartbeatMissing/worker-heartbeat" and section in p.problem
            for p in problems
        )


@pytest.mark.parametrize("empty", [None, "", [], "   "])
def test_an_empty_section_counts_as_missing(empty: object) -> None:
    head = {**GOOD_HEAD, "detection": empty}
    if empty == []:
        with pytest.raises(RunbookError, match="detection: expected text"):
            parse_runbook(doc(head), "docs/runbooks/x.md")
        return
    assert "detection" in parse_runbook(doc(head), "docs/runbooks/x.md").missing


def test_mitigation_without_any_command_is_incomplete() -> None:
    head = {**GOOD_HEAD, "mitigation": [{"step": "think hard"}]}
    rb = parse_runbook(doc(head), "docs/runbooks/x.md")
    assert any("no step with a command" in m for m in rb.missing)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("# no head at all\n", "no structured head"),
        ("---\ntitle: [unclosed\n---\n", "not YAML"),
        ("---\n- a list\n---\n", "must be a mapping"),
        (doc({**GOOD_HEAD, "owner": "x"}), "unknown head key 'owner'"),
        (doc({**GOOD_HEAD, "severity": "P1"}), "severity: expected one of"),
        (
            doc({**GOOD_HEAD, "mitigation": [{"step": "x", "restart": "worker"}]}),
            "restart step needs",
        ),
        (
            doc({**GOOD_HEAD, "mitigation": [{"step": "x", "run": "y", "restart": "db"}]}),
            "restart: expected",
        ),
        (doc({**GOOD_HEAD, "mitigation": [{"step": "x", "run": "y", "ok_exit": 0}]}), "ok_exit"),
        (
            doc({**GOOD_HEAD, "mitigation": [{"step": "x", "run": "y", "sudo": True}]}),
            "unknown key 'sudo'",
        ),
        (doc({**GOOD_HEAD, "mitigation": [{"run": "y"}]}), "needs a description"),
        (
            doc({**GOOD_HEAD, "mitigation": [{"step": "x", "run": "y", "timeout_s": 0}]}),
            "timeout_s",
        ),
        (doc({**GOOD_HEAD, "contacts": [{"role": "on-call"}]}), "contacts\\[0\\]"),
        (doc({**GOOD_HEAD, "alerts": [{"slo": "x"}]}), "alerts\\[0\\]"),
        (doc({**GOOD_HEAD, "drills": "worker-killed"}), "drills: expected a list"),
        ("---\ntitle: x\n---\n" + "y" * 300_000, "larger than"),
    ],
)
def test_unusable_heads_are_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(RunbookError, match=reason):
        parse_runbook(text, "docs/runbooks/x.md")


def test_a_bad_file_name_is_refused() -> None:
    with pytest.raises(RunbookError, match="lower-case"):
        parse_runbook(doc(GOOD_HEAD), "docs/runbooks/Worker Heartbeat.md")


def test_a_page_whose_url_points_elsewhere_is_a_problem() -> None:
    books = load_runbooks(RUNBOOKS, REPO_ROOT)
    ops = replace(OPS, hb_runbook="docs/runbooks/queue-lag.md")
    problems, _ = coverage(generated_alerts(SPECS.slos, ops), books, ops.runbook_base_url)
    assert [p.alert for p in problems] == ["GonogoWorkerHeartbeatMissing/worker-heartbeat"]
    assert "does not link to docs/runbooks/worker-heartbeat.md" in problems[0].problem


def test_two_runbooks_for_one_page_is_a_problem(tmp_path: Path) -> None:
    folder = _copy_runbooks(tmp_path / "docs" / "runbooks")
    (folder / "second.md").write_text(doc(GOOD_HEAD))
    books = load_runbooks(folder, tmp_path)
    problems, _ = coverage(generated_alerts(SPECS.slos, OPS), books, OPS.runbook_base_url)
    assert any("several runbooks" in p.problem for p in problems)
    assert books.for_drill("worker-killed") is None  # ambiguous: no drill runs from it


def test_a_ticket_without_a_runbook_is_not_a_page_problem(tmp_path: Path) -> None:
    # prometheus-down serves a ticket only
    folder = _copy_runbooks(tmp_path / "docs" / "runbooks", skip="prometheus-down.md")
    problems, served = coverage(
        generated_alerts(SPECS.slos, OPS), load_runbooks(folder, tmp_path), OPS.runbook_base_url
    )
    assert problems == [] and "GonogoSLISourceDown/sli-source" not in served


@settings(max_examples=60, deadline=None)
@given(st.sets(st.sampled_from(REQUIRED)))
def test_coverage_fails_iff_a_required_section_is_gone(dropped: set[str]) -> None:
    head = {k: v for k, v in GOOD_HEAD.items() if k not in dropped}
    rb = parse_runbook(doc(head), "docs/runbooks/worker-heartbeat.md")
    books = load_runbooks(RUNBOOKS, REPO_ROOT)
    books.runbooks["worker-heartbeat"] = rb
    problems, _ = coverage(generated_alerts(SPECS.slos, OPS), books, OPS.runbook_base_url)
    assert bool(problems) == bool(dropped)


# ----------------------------------------------------------------------- the asset check


def _check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: Path) -> dg.AssetCheckResult:
    from assets.operations import assets as ops_assets
    from checks import operations as ops_checks
    from pipelines.resources import DuckDBResource, GonogoSettings
    from pipelines.slo_resources import AlertSinkResource, PrometheusResource

    monkeypatch.setattr(ops_assets, "RUNBOOK_DIR", folder)
    result = dg.materialize(
        [ops_assets.operations_evidence, ops_checks.runbooks_cover_every_page],
        resources={
            "duckdb": DuckDBResource(path=str(tmp_path / "s.duckdb")),
            "gonogo": GonogoSettings(
                home=str(tmp_path), plan_dir=str(REPO_ROOT / "plans" / "navi")
            ),
            "alert_sink": AlertSinkResource(),
            "prometheus": PrometheusResource(),
        },
        raise_on_error=False,
    )
    [ev] = result.get_asset_check_evaluations()
    return ev


def _copy_runbooks(dest: Path, skip: str = "", edit: tuple[str, str, str] | None = None) -> Path:
    """The shipped runbooks in ``dest``, without ``skip``, with one (file, old, new) edit."""
    dest.mkdir(parents=True, exist_ok=True)
    for f in RUNBOOKS.glob("*.md"):
        if f.name == skip:
            continue
        text = f.read_text()
        if edit and f.name == edit[0]:
            text = text.replace(edit[1], edit[2])
        (dest / f.name).write_text(text)
    return dest


def test_the_check_passes_on_the_shipped_runbooks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _check(tmp_path, monkeypatch, RUNBOOKS).passed


def test_the_check_fails_when_a_page_lacks_its_runbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev = _check(tmp_path, monkeypatch, _copy_runbooks(tmp_path / "rb", skip="queue-lag.md"))
    assert not ev.passed
    assert "GonogoQueueLagHigh/queue-lag" in str(ev.metadata["problems"].value)


def test_the_check_fails_on_a_section_removed_from_a_shipped_runbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `rollback` renamed to a key the head does not know: the runbook is unusable.
    folder = _copy_runbooks(
        tmp_path / "rb", edit=("api-latency.md", "\nrollback:\n", "\nrollback_notes:\n")
    )
    ev = _check(tmp_path, monkeypatch, folder)
    assert not ev.passed


# ----------------------------------------------------------------------- served runbooks


def test_gonogo_serve_serves_the_runbooks_alerts_link_to(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from dashboards.app import create_app
    from dashboards.dev_issuer import DevIssuer
    from gonogo.config import Settings
    from tests.auth.harness import bearer, token_gate

    settings = Settings(home=tmp_path / "home").ensure()
    issuer = DevIssuer.create(tmp_path / "issuer")
    client = TestClient(create_app(settings, gate=token_gate(settings, issuer)))
    # Like every route but /healthz: an authenticated caller (any tenant, any role).
    assert client.get("/docs/runbooks/worker-heartbeat.md").status_code == 401
    client.headers.update(bearer(issuer.token("acme", "viewer")))
    r = client.get("/docs/runbooks/worker-heartbeat.md")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/markdown")
    assert "GonogoWorkerHeartbeatMissing" in r.text
    for bad in (
        "/docs/runbooks/..%2F..%2FREADME.md",
        "/docs/runbooks/../slo.md",
        "/docs/runbooks/Worker-Heartbeat.md",
        "/docs/runbooks/nope.md",
        "/docs/runbooks/worker-heartbeat.md.bak",
        "/docs/runbooks/%2Fetc%2Fpasswd",
    ):
        assert client.get(bad).status_code == 404, bad
