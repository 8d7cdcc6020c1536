"""WS1's evidence producers as plain Python: the threat model against JUnit results, the CI
configuration read for WS1.3 (and its variations that must not pass), the secrets scan."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
import yaml

from assets.security import ci_suite, secrets_at_rest, threat_model
from assets.tables import ensure_schema
from enforcement_agent.secretbox import LocalKek, SealedSecrets
from gonogo.config import DEFAULT_PLAN_DIR, REPO_ROOT

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


# ---- threat model ---------------------------------------------------------------------------
def _model(tmp_path: Path, threats: list[dict[str, object]]) -> threat_model.ThreatModel:
    p = tmp_path / "tm.yaml"
    p.write_text(yaml.safe_dump({"levels": {"high": 15, "medium": 8}, "threats": threats}))
    return threat_model.load_threat_model(p)


def _threat(tid: str, l: int, i: int, tests: list[str], **kw: object) -> dict[str, object]:  # noqa: E741
    return {"id": tid, "component": "gateway", "stride": "spoofing", "title": tid, "likelihood": l,
            "impact": i, "mitigation": "m", "tests": tests, **kw}  # fmt: skip


def _results(
    con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, str]], at: datetime = NOW
) -> None:
    for n, (cls, name, outcome) in enumerate(rows):
        con.execute(
            "INSERT INTO test_results VALUES ('_global', 'f', ?, 'e', 's', ?, ?, ['auth'], ?, 0.1,"
            " NULL, ?, ?, false)",
            [f"sha{n}-{at.isoformat()}", cls, name, outcome, at, at],
        )


def test_the_shipped_threat_model_loads_and_names_real_tests() -> None:
    import re

    model = threat_model.load_threat_model(DEFAULT_PLAN_DIR / "threat_model.yaml")
    comps = {t.component for t in model.threats}
    assert {"gateway", "agent", "sandbox", "spool", "store", "webhooks"} <= comps
    assert len({t.stride for t in model.threats}) == 6
    for t in model.threats:
        for node in t.tests:
            file, _, name = node.partition("::")
            src = (REPO_ROOT / file).read_text()
            assert re.search(rf"^\s*def {re.escape(name)}\(", src, re.M), node


def test_a_high_threat_blocks_until_every_named_test_passes(tmp_path: Path) -> None:
    model = _model(tmp_path, [
        _threat("H1", 5, 4, ["tests/auth/test_x.py::test_a", "tests/auth/test_x.py::test_b"]),
        _threat("M1", 2, 4, ["tests/auth/test_x.py::test_c"]),
        _threat("H2", 4, 4, [], status="accepted", reason="carried"),
    ])  # fmt: skip
    con = duckdb.connect()
    ensure_schema(con)
    rows = threat_model.evaluate(con, model, NOW)
    assert {r["threat_id"]: r["status"] for r in rows} == {"H1": "unproven", "M1": "unproven",
                                                           "H2": "accepted"}  # fmt: skip
    assert {r["threat_id"] for r in threat_model.blocking(rows)} == {"H1", "H2"}
    # One of two tests, with a failing parametrization of the other: still blocks.
    _results(con, [("tests.auth.test_x", "test_a", "passed"), ("tests.auth.test_x", "test_b[1]", "passed"),
                   ("tests.auth.test_x", "test_b[2]", "failed")])  # fmt: skip
    rows = threat_model.evaluate(con, model, NOW)
    h1 = next(r for r in rows if r["threat_id"] == "H1")
    assert h1["status"] == "failing" and h1["tests_failing"] == ["tests/auth/test_x.py::test_b"]
    # A newer run where it passes; a same-named test of another module counts for nothing.
    later = NOW + timedelta(minutes=5)
    _results(
        con,
        [("tests.auth.test_x", "test_b[2]", "passed"), ("tests.other", "test_c", "passed")],
        later,
    )
    rows = threat_model.evaluate(con, model, later)
    assert next(r for r in rows if r["threat_id"] == "H1")["status"] == "proven"
    assert next(r for r in rows if r["threat_id"] == "M1")["status"] == "unproven"
    item = threat_model.evidence_item(model, rows, later, is_demo=False)
    assert item.value == 1.0  # H2 (accepted, high) still blocks
    # Results older than the window prove nothing.
    rows = threat_model.evaluate(con, model, later + timedelta(days=8))
    assert next(r for r in rows if r["threat_id"] == "H1")["status"] == "unproven"


@pytest.mark.parametrize(
    "bad",
    [{"likelihood": 6}, {"impact": 0}, {"stride": "phishing"}, {"tests": ["no-node-id"]},
     {"tests": []}, {"status": "accepted"}, {"status": "ignored", "reason": "x"}, {"title": ""}],
)  # fmt: skip
def test_an_invalid_threat_model_is_refused(tmp_path: Path, bad: dict[str, object]) -> None:
    with pytest.raises(threat_model.ThreatModelError):
        _model(tmp_path, [{**_threat("T", 3, 3, ["tests/a.py::test_b"]), **bad}])


# ---- CI configuration (WS1.3) ---------------------------------------------------------------
@pytest.fixture
def repo(tmp_path: Path) -> Path:
    r = tmp_path / "repo"
    (r / ".ci").mkdir(parents=True)
    for f in (".ci/run", "Makefile", "pyproject.toml"):
        shutil.copy(REPO_ROOT / f, r / f)
    return r


def _junit(
    home: Path, *, on_main: bool = True, outcome: str = "passed", family: str = "auth"
) -> None:
    d = home / "junit"
    d.mkdir(parents=True, exist_ok=True)
    fail = "<failure message='x'/>" if outcome == "failed" else ""
    (d / "pytest.xml").write_text(
        "<testsuites><testsuite name='pytest'><properties>"
        f"<property name='gonogo_on_main' value='{'true' if on_main else 'false'}'/>"
        "<property name='gonogo_git_branch' value='main'/></properties>"
        "<testcase classname='tests.auth.test_tokens' name='test_x'>"
        f"<properties><property name='gonogo_family' value='{family}'/></properties>{fail}"
        "</testcase></testsuite></testsuites>"
    )


def test_the_shipped_ci_configuration_runs_the_security_suite(repo: Path, tmp_path: Path) -> None:
    ev = tmp_path / "evidence"
    _junit(ev)
    checks = ci_suite.check(repo, ev)
    assert all(c["ok"] for c in checks.values()), checks
    assert ci_suite.evidence_item(checks, repo, NOW, is_demo=False).value == 1.0


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t.replace("set -euo pipefail", ""),
        lambda t: t.replace("make test", "make test || true"),
        lambda t: t.replace("make test", "# make test"),
        lambda t: t.replace("make lint", "exit 0\nmake lint"),
        lambda t: t.replace("make test", "make lint"),
    ],
)
def test_ci_entry_points_that_do_not_run_the_suite(repo: Path, tmp_path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    run = repo / ".ci" / "run"
    run.write_text(edit(run.read_text()))
    _junit(tmp_path / "ev")
    assert not ci_suite.check(repo, tmp_path / "ev")["ci_entry_point"]["ok"]


@pytest.mark.parametrize(
    "flag",
    [
        "--ignore=tests/auth",
        "-k 'not auth'",
        "-m 'not security'",
        "--deselect tests/auth",
        "tests/policy",
        "-n 2 tests/policy",  # an option's value is not a path, a path after it still is
        "--dist loadfile tests/auth",
    ],
)
def test_make_test_recipes_that_narrow_the_suite(repo: Path, tmp_path: Path, flag: str) -> None:
    mk = repo / "Makefile"
    mk.write_text(mk.read_text().replace("-m pytest -q", f"-m pytest -q {flag}"))
    assert not ci_suite.check(repo, tmp_path / "ev")["make_test"]["ok"]


@pytest.mark.parametrize(
    "kw, why",
    [({"on_main": False}, "not run on main"), ({"outcome": "failed"}, "not passing"),
     ({"family": "redaction"}, "no auth tests")],
)  # fmt: skip
def test_the_latest_result_must_be_green_on_main_with_auth_tests(
    repo: Path, tmp_path: Path, kw: dict[str, object], why: str
) -> None:
    _junit(tmp_path / "ev", **kw)  # type: ignore[arg-type]
    result = ci_suite.check(repo, tmp_path / "ev")["latest_result"]
    assert not result["ok"] and why in result["why"]
    assert not ci_suite.check(repo, tmp_path / "nothing")["latest_result"]["ok"]


# ---- secrets at rest (WS1.2) ----------------------------------------------------------------
@pytest.fixture
def stored(tmp_path: Path) -> tuple[Path, SealedSecrets]:
    home = tmp_path / "home"
    sealed = SealedSecrets(home / "secrets", LocalKek(b"\x07" * 32, "test"))
    sealed.set("acme", "github", "ghp_" + "x" * 36, actor="ops")
    sealed.rotate(actor="ops")
    return home, sealed


def _verified(home: Path, when: datetime, problems: list[str] | None = None) -> None:
    (home / "secrets" / "verify.json").write_text(
        json.dumps({"checked_at": when.isoformat(), "problems": problems or [], "files_scanned": 3})
    )


def test_the_scan_passes_a_well_kept_store(stored: tuple[Path, SealedSecrets]) -> None:
    home, sealed = stored
    now = datetime.now(UTC)
    sealed.log_event({"command": "verify", "who": "ops"})
    _verified(home, now)
    checks = secrets_at_rest.scan(home, REPO_ROOT / "docs" / "key-rotation.md", now)
    assert checks is not None and all(c["ok"] for c in checks.values()), checks
    assert checks["procedure"]["rotations"][0]["who"] == "ops"


def test_the_scan_fails_each_way(stored: tuple[Path, SealedSecrets], tmp_path: Path) -> None:
    home, _ = stored
    now = datetime.now(UTC)
    doc = REPO_ROOT / "docs" / "key-rotation.md"
    _verified(home, now)
    assert secrets_at_rest.scan(home, tmp_path / "missing.md", now)["procedure"]["ok"] is False  # type: ignore[index]
    assert secrets_at_rest.scan(home, doc, now + timedelta(days=91))["key_age"]["ok"] is False  # type: ignore[index]
    assert secrets_at_rest.scan(home, doc, now + timedelta(days=8))["verify"]["ok"] is False  # type: ignore[index]
    _verified(home, now - timedelta(hours=1))  # older than the last change
    assert secrets_at_rest.scan(home, doc, now)["verify"]["ok"] is False  # type: ignore[index]
    _verified(home, now, ["spool/x: readable"])
    assert secrets_at_rest.scan(home, doc, now)["verify"]["ok"] is False  # type: ignore[index]
    _verified(home, now)
    store = home / "secrets" / "store.json"
    data = json.loads(store.read_text())
    data["records"]["acme/github"]["secret"] = "ghp_plain"
    store.write_text(json.dumps(data))
    assert secrets_at_rest.scan(home, doc, now)["ciphertext"]["ok"] is False  # type: ignore[index]
    del data["records"]["acme/github"]["secret"]
    data["records"]["acme/github"]["kid"] = "dek-retired"
    store.write_text(json.dumps(data))
    assert secrets_at_rest.scan(home, doc, now)["ciphertext"]["ok"] is False  # type: ignore[index]
    (home / "connector_credentials.json").write_text("{}")
    assert secrets_at_rest.scan(home, doc, now)["ciphertext"]["ok"] is False  # type: ignore[index]
    assert secrets_at_rest.scan(tmp_path / "empty", doc, now) is None
