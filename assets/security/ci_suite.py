"""WS1.3 from evidence: "Security suite is mandatory and green in CI on main branch".

Not an attestation: the CI configuration is read and the latest result is checked.

1. ``.ci/run`` (the CI entry point) stops on the first failure (``set -e``) and runs
   ``make test`` unconditionally (not commented out, not ``|| true``, not after an ``exit``).
2. The Makefile's ``test`` recipe runs pytest over the whole suite (no path narrowing, no
   ``--ignore``/``--deselect``/``-k``/``-m``) and keeps its JUnit XML under the state
   directory's ``evidence/junit/``; pyproject's pytest options load the plugin that writes
   the security families into it (``-p tests.security_families``).
3. That JUnit file exists, was written from a checkout of ``main`` (the git properties the
   plugin records), and every security-family test in it passed, auth tests among them.
"""

from __future__ import annotations

import hashlib
import re
import shlex
import tomllib
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from assets.evidence.store import EvidenceItem
from assets.security.checks_evidence import checks_item
from assets.security_suite.junit import SECURITY_FAMILIES, JUnitError, parse_junit

EVIDENCE_KIND = "ci.security_suite"
EVIDENCE_TTL = timedelta(days=7)
PLUGIN = "tests.security_families"
_NARROWING = ("--ignore", "--ignore-glob", "--deselect", "-k", "-m", "--lf", "--last-failed")


def _sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def ci_runs_make_test(ci_run: Path) -> dict[str, Any]:
    if not ci_run.exists():
        return {"ok": False, "why": f"{ci_run.name} not found"}
    lines = [ln.split("#", 1)[0].strip() for ln in ci_run.read_text().splitlines()]
    lines = [ln for ln in lines if ln]
    errexit = any(re.match(r"set\s+-[a-z]*e", ln) for ln in lines)
    found = None
    for n, ln in enumerate(lines):
        if re.match(r"(exit|return)\b", ln):
            break
        try:
            words = shlex.split(ln)
        except ValueError:
            continue
        if words[:2] == ["make", "test"] and len(words) == 2:
            found = n
            break
    ok = errexit and found is not None
    why = "" if ok else ("no `set -e`" if not errexit else "no unconditional `make test` line")
    return {"ok": ok, "why": why, "errexit": errexit, "file": str(ci_run), "sha256": _sha(ci_run)}


# pytest options whose value is the next word (``-n 2``, ``--dist loadfile``): not paths.
_VALUE_OPTIONS = frozenset(
    {"-n", "--numprocesses", "--maxprocesses", "--dist", "--tx", "-p", "-c", "-o",
     "--override-ini", "--rootdir", "--basetemp", "--maxfail", "--timeout", "--durations",
     "-W", "--junit-prefix", "-k", "-m", "--deselect", "--ignore", "--ignore-glob"}
)  # fmt: skip


def _positional(args: list[str]) -> list[str]:
    """The paths pytest is given: words that are neither options nor an option's value."""
    out: list[str] = []
    skip = False
    for a in args:
        if skip:
            skip = False
        elif a.startswith("-"):
            skip = a in _VALUE_OPTIONS
        else:
            out.append(a)
    return out


def make_test_recipe(makefile: Path) -> dict[str, Any]:
    if not makefile.exists():
        return {"ok": False, "why": "Makefile not found"}
    text = makefile.read_text()
    m = re.search(r"^test:[^\n]*\n((?:\t[^\n]*\n?)+)", text, re.M)
    if m is None:
        return {"ok": False, "why": "no `test` target"}
    recipe = [ln.strip() for ln in m.group(1).splitlines()]
    runs = [ln for ln in recipe if re.search(r"\bpytest\b", ln)]
    if len(runs) != 1:
        return {"ok": False, "why": f"{len(runs)} pytest commands in the test recipe"}
    words = shlex.split(runs[0])
    args = words[words.index("pytest") + 1 :] if "pytest" in words else []
    junit = next((a.split("=", 1)[1] for a in args if a.startswith("--junitxml=")), None)
    narrowing = [a for a in args if a.split("=", 1)[0] in _NARROWING]
    paths = _positional(args)
    ok = junit is not None and not narrowing and (not paths or "tests" in paths)
    why = (
        "no --junitxml"
        if junit is None
        else f"narrowed by {', '.join(narrowing)}"
        if narrowing
        else f"runs only {', '.join(paths)}"
        if not ok
        else ""
    )
    return {"ok": ok, "why": why, "command": runs[0], "junit": junit, "sha256": _sha(makefile)}


def pytest_loads_families(pyproject: Path) -> dict[str, Any]:
    try:
        opts = tomllib.loads(pyproject.read_text())["tool"]["pytest"]["ini_options"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return {"ok": False, "why": "no [tool.pytest.ini_options]"}
    addopts = opts.get("addopts", [])
    addopts = shlex.split(addopts) if isinstance(addopts, str) else list(addopts)
    loads = any(a == PLUGIN for a in addopts) or f"-p{PLUGIN}" in addopts
    testpaths = opts.get("testpaths", [])
    ok = loads and "tests" in testpaths
    return {"ok": ok, "why": "" if ok else "the families plugin or testpaths missing",
            "addopts": addopts, "testpaths": testpaths}  # fmt: skip


def junit_properties(data: bytes) -> dict[str, str]:
    root = ET.fromstring(data)
    props: dict[str, str] = {}
    for suite in [root] if root.tag == "testsuite" else list(root.iter("testsuite")):
        for holder in suite.findall("properties"):
            for p in holder.findall("property"):
                props[p.get("name") or ""] = p.get("value") or ""
    return props


def latest_result(junit: Path | None) -> dict[str, Any]:
    if junit is None or not junit.exists():
        where = junit if junit is not None else "the CI-configured JUnit path"
        return {"ok": False, "why": f"no JUnit result at {where}"}
    data = junit.read_bytes()
    try:
        cases = parse_junit(data, str(junit))
        props = junit_properties(data)
    except (JUnitError, ET.ParseError) as exc:
        return {"ok": False, "why": f"unreadable JUnit: {str(exc)[:200]}"}
    security = [
        c for c in cases if c.outcome != "skipped" and set(c.families) & set(SECURITY_FAMILIES)
    ]
    bad = [f"{c.classname}::{c.name}" for c in security if c.outcome != "passed"]
    auth = [c for c in security if "auth" in c.families]
    on_main = props.get("gonogo_on_main") == "true"
    ok = bool(security) and not bad and bool(auth) and on_main
    why = (
        "no security tests in it" if not security
        else f"{len(bad)} security tests not passing" if bad
        else "no auth tests in it" if not auth
        else f"not run on main (branch {props.get('gonogo_git_branch', 'unknown')})" if not on_main
        else ""
    )  # fmt: skip
    return {
        "ok": ok, "why": why, "file": str(junit), "sha256": hashlib.sha256(data).hexdigest(),
        "security_tests": len(security), "auth_tests": len(auth), "not_passing": bad[:20],
        "branch": props.get("gonogo_git_branch"), "commit": props.get("gonogo_git_commit"),
        "on_main": on_main, "ci": props.get("gonogo_ci") == "true",
    }  # fmt: skip


def check(repo: Path, evidence_dir: Path) -> dict[str, dict[str, Any]]:
    recipe = make_test_recipe(repo / "Makefile")
    junit_name = Path(recipe["junit"]).name if recipe.get("junit") else None
    return {
        "ci_entry_point": ci_runs_make_test(repo / ".ci" / "run"),
        "make_test": recipe,
        "pytest_config": pytest_loads_families(repo / "pyproject.toml"),
        "latest_result": latest_result(evidence_dir / "junit" / junit_name if junit_name else None),
    }


def evidence_item(
    checks: dict[str, dict[str, Any]], repo: Path, now: datetime, *, is_demo: bool
) -> EvidenceItem:
    return checks_item(
        EVIDENCE_KIND, "assets/security/ci_suite.py", ".ci/run", checks,
        uri=(repo / ".ci" / "run").resolve().as_uri(), now=now, ttl=EVIDENCE_TTL, is_demo=is_demo,
    )  # fmt: skip
