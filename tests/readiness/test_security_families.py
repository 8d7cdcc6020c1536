"""Security families come from declarations (marks, the module table), never from test names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assets.security_suite.junit import parse_junit
from tests.security_families import FAMILIES, FAMILY_BY_PATH, FAMILY_BY_TEST, families_of

REPO = Path(__file__).resolve().parents[2]


def test_marks_win_then_the_test_then_the_longest_path() -> None:
    auth = pytest.mark.security(family="auth").mark
    assert families_of("tests/redaction/test_detectors.py::test_jwt_auth_token", []) == (
        "redaction",
    )
    assert families_of("tests/redaction/test_x.py::test_login[case-1]", [auth]) == ("auth",)
    assert families_of("tests/policy/test_injection.py::test_anything", []) == (
        "policy",
        "prompt_injection",
    )
    assert families_of("tests/policy/test_everyday.py::test_prompt_injection_bypass", []) == (
        "policy",
    )
    assert families_of("tests/slo/test_assets_cli.py::test_cli_inject_then_status", []) == ()
    test = "tests/dashboards/test_app.py::test_tool_calls_are_tenant_scoped_and_redacted"
    assert families_of(f"{test}[param]", []) == FAMILY_BY_TEST[test]


def test_every_family_in_the_tables_is_known() -> None:
    for fams in (*FAMILY_BY_PATH.values(), *FAMILY_BY_TEST.values()):
        assert set(fams) <= set(FAMILIES), fams


def test_every_test_named_in_the_table_exists() -> None:
    """A renamed test must not silently drop out of its family."""
    files = sorted({t.split("::", 1)[0] for t in FAMILY_BY_TEST})
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *files],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    collected = {line.split("[", 1)[0] for line in r.stdout.splitlines() if "::" in line}
    assert set(FAMILY_BY_TEST) <= collected, set(FAMILY_BY_TEST) - collected


def test_junit_of_a_real_run_carries_the_declared_families(tmp_path: Path) -> None:
    xml = tmp_path / "run.xml"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={xml}",
         "tests/redaction/test_detectors.py", "-k", "token or auth or jwt"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    cases = parse_junit(xml.read_bytes())
    named = [c for c in cases if any(w in c.name for w in ("token", "auth", "jwt"))]
    assert named, "the selection ran no test"
    for c in named:  # redaction tests about tokens are redaction tests, not auth tests
        assert c.families == ["redaction"], (c.name, c.families)
