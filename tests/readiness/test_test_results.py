"""JUnit XML → test_results + tests.security_regression evidence; no JUnit stays unknown."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.readiness.criteria import evaluate_criterion
from assets.readiness.plan import load_plan
from assets.readiness.statuses import Status
from assets.security_suite.junit import JUnitCase, JUnitError, collect, parse_junit
from assets.tables import ensure_schema
from tests.readiness.conftest import NOW, junit
from tests.readiness.scenario import security_junit


def test_security_ratio_and_family_counts(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    security_junit(tmp_path, failing="test_env_escape")
    item, summary = collect(con, tmp_path, NOW)
    assert item is not None and item.kind == "tests.security_regression"
    # 6 security tests (the arithmetic test is not one), 1 failing.
    assert summary["total"] == 6 and summary["passed"] == 5
    assert item.value == pytest.approx(5 / 6)
    fam = summary["families"]
    assert fam["bypass"] == {"total": 2, "passed": 1, "failed": 1}
    assert fam["prompt_injection"]["total"] == 1 and fam["tenant_isolation"]["total"] == 1
    rows = con.execute("SELECT count(*), count(DISTINCT evidence_id) FROM test_results").fetchone()
    assert rows == (7, 1)
    assert con.execute(
        "SELECT count(*) FROM evidence_items WHERE kind = 'tests.junit'"
    ).fetchone() == (1,)


def test_reingest_is_idempotent(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    security_junit(tmp_path)
    collect(con, tmp_path, NOW)
    collect(con, tmp_path, NOW + timedelta(hours=1))
    assert con.execute("SELECT count(*) FROM test_results").fetchone() == (7,)
    assert con.execute(
        "SELECT count(*) FROM evidence_items WHERE kind = 'tests.junit'"
    ).fetchone() == (1,)


def test_no_junit_means_no_evidence_and_unknown(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, plan_dir: Path
) -> None:
    item, summary = collect(con, tmp_path / "absent", NOW)
    assert item is None and summary["total"] == 0
    junit(tmp_path / "j" / "unit.xml", [("tests.unit", "test_add", "passed")])
    item, _ = collect(con, tmp_path / "j", NOW)
    assert item is None  # only non-security tests: still no security evidence
    plan = load_plan(plan_dir)
    ensure_schema(con)
    assert evaluate_criterion(con, plan, plan.criterion("WS0.4"), NOW).status is Status.UNKNOWN


def test_ws04_needs_both_abuse_families(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, plan_dir: Path
) -> None:
    junit(
        tmp_path / "sec.xml", [("tests.security", "test_bypass_with_quotes", "passed", ("bypass",))]
    )
    collect(con, tmp_path, NOW - timedelta(hours=1))
    plan = load_plan(plan_dir)
    v = evaluate_criterion(con, plan, plan.criterion("WS0.4"), NOW)
    assert v.status is Status.FAIL and "prompt-injection tests: 0" in v.evaluation.reason
    junit(
        tmp_path / "pi.xml",
        [("tests.security", "test_tool_output", "passed", ("prompt_injection",))],
    )
    collect(con, tmp_path, NOW - timedelta(minutes=30))
    assert evaluate_criterion(con, plan, plan.criterion("WS0.4"), NOW).status is Status.PASS


def test_bad_files_are_reported_not_fatal(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    (tmp_path / "broken.xml").write_text("<testsuite><testcase")
    security_junit(tmp_path)
    item, summary = collect(con, tmp_path, NOW)
    assert (
        item is not None
        and len(summary["bad_files"]) == 1
        and "broken.xml" in summary["bad_files"][0]
    )


@pytest.mark.parametrize(
    "doc",
    [
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><testsuite>&lol2;</testsuite>',
        b"<html><body/></html>",
        b"not xml at all",
    ],
)
def test_hostile_or_wrong_documents_are_refused(doc: bytes) -> None:
    with pytest.raises(JUnitError):
        parse_junit(doc)


def test_outcomes_and_bare_testsuite() -> None:
    cases = parse_junit(
        b'<testsuite name="s" timestamp="2026-11-30T10:00:00"><testcase classname="a" name="ok"/>'
        b'<testcase classname="a" name="f"><failure message="m"/></testcase>'
        b'<testcase classname="a" name="e"><error/></testcase><testcase classname="a" name="s"><skipped/></testcase>'
        b"</testsuite>"
    )
    assert [c.outcome for c in cases] == ["passed", "failed", "error", "skipped"]
    assert cases[0].suite_timestamp is not None and cases[0].suite_timestamp.tzinfo is not None


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=300))
def test_parser_never_crashes_on_garbage(data: bytes) -> None:
    try:
        parse_junit(data)
    except JUnitError:
        pass


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_.[]-", min_size=1, max_size=40),
    st.lists(st.sampled_from(["auth", "redaction", "bypass", "tenant_isolation", "nope"])),
)
def test_a_test_name_never_decides_its_family(name: str, tags: list[str]) -> None:
    """Only declared families count: 'token', 'auth', 'jwt' or 'inject' in a name mean nothing."""
    for n in (name, f"test_auth_token_{name}", f"test_jwt_prompt_injection_bypass_{name}"):
        case = JUnitCase(None, "tests.redaction.test_x", n, "passed", None, None, None, tuple(tags))
        assert case.families == [t for t in dict.fromkeys(tags) if t != "nope"]


def test_real_repo_style_names_and_explicit_tags() -> None:
    cases = parse_junit(
        b'<testsuite name="pytest">'
        b'<testcase classname="tests.policy.test_injection" name="test_injected_instructions_are_denied[x]"/>'
        b'<testcase classname="tests.slo.test_assets_cli" name="test_cli_inject_then_status_json"/>'
        b'<testcase classname="tests.agent" name="test_tool_output_cannot_steer">'
        b'<properties><property name="gonogo_family" value="prompt_injection"/></properties></testcase>'
        b'<testcase classname="tests.agent" name="test_other">'
        b'<properties><property name="gonogo_family" value="not-a-family"/></properties></testcase>'
        b"</testsuite>"
    )
    assert cases[0].families == []  # undeclared: its name says "injection", that is all
    assert cases[1].families == []  # SLO fault injection is not prompt injection
    assert cases[2].families == ["prompt_injection"]
    assert cases[3].families == []


def test_a_fixed_test_is_judged_by_its_latest_run(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    case = ("tests.security.test_bypass", "test_quote_bypass")
    junit(tmp_path / "b-old.xml", [(*case, "failed", ("bypass",))], ts="2026-11-29T10:00:00")
    junit(tmp_path / "a-new.xml", [(*case, "passed", ("bypass",))], ts="2026-11-30T10:00:00")
    item, summary = collect(con, tmp_path, NOW)
    assert item is not None and item.value == 1.0 and summary["total"] == 1
    junit(tmp_path / "c-newest.xml", [(*case, "error", ("bypass",))], ts="2026-12-01T09:00:00")
    item, summary = collect(con, tmp_path, NOW)
    assert item is not None and item.value == 0.0
