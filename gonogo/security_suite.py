"""Run the security regression suite and keep its JUnit XML as evidence.

The WS0/WS1 criteria about security regression tests are evaluated from JUnit files under
``<GONOGO_HOME>/evidence/junit/`` (see ``assets/security_suite/junit.py``); this module produces them
from a source checkout. Without a checkout there are no tests to run, and the criteria stay
honestly ``unknown``.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assets.security_suite.junit import SECURITY_FAMILIES, JUnitError, parse_junit
from pipelines.settings import REPO_ROOT, Settings

# The demo runs the policy regression suite (bypass families, prompt injection, roles, audit
# chain: ~1,000 cases in ~20 s); the full suite's JUnit comes from `make test` (see Makefile).
# The demo also runs the fast cross-tenant probe tests (Redis ACLs, ~10 s), so WS2.1 sees probe
# tests in the JUnit evidence; `make test` runs all of tests/tenancy.
SECURITY_SUITES = ("tests/policy", "tests/tenancy/test_redis_namespaces.py")


@dataclass(frozen=True)
class SuiteRun:
    junit: Path | None
    returncode: int
    detail: str
    ran: bool = False  # tests executed and their JUnit XML was written
    tests: int = 0
    security_tests: int = 0  # tests declared in a security family (tests/security_families.py)

    @property
    def why_not(self) -> str:
        return "" if self.ran else self.detail


# pytest's exit codes for "the suite did not run" (interrupted, internal/usage error, no tests).
_DID_NOT_RUN = {2: "interrupted or collection errors", 3: "pytest internal error",
                4: "pytest usage error", 5: "no tests were collected"}  # fmt: skip


def run_security_suite(settings: Settings, suites: tuple[str, ...] = SECURITY_SUITES) -> SuiteRun:
    paths = [str(REPO_ROOT / s) for s in suites if (REPO_ROOT / s).exists()]
    if not paths:
        return SuiteRun(None, -1, "no test suites in this installation (not a source checkout)")
    out_dir = settings.evidence_dir / "junit"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    junit = out_dir / f"security-suite-{stamp}.xml"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            *paths,
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "-p",
            "tests.security_families",
            f"--junitxml={junit}",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    tail = (proc.stdout.strip().splitlines() or proc.stderr.strip().splitlines() or [""])[-1]
    if proc.returncode in _DID_NOT_RUN:
        why = f"pytest exit {proc.returncode}: {_DID_NOT_RUN[proc.returncode]} ({tail})"
        return SuiteRun(junit if junit.exists() else None, proc.returncode, why)
    if not junit.exists():
        return SuiteRun(
            None, proc.returncode, f"pytest wrote no JUnit XML (exit {proc.returncode}: {tail})"
        )
    try:
        cases = parse_junit(junit.read_bytes(), str(junit))
    except JUnitError as exc:
        return SuiteRun(junit, proc.returncode, f"unreadable JUnit XML: {exc}")
    ran = [c for c in cases if c.outcome != "skipped"]
    security = [c for c in ran if any(f in SECURITY_FAMILIES for f in c.families)]
    if not security:
        why = f"{len(ran)} tests ran but none is declared in a security family"
        return SuiteRun(junit, proc.returncode, why, False, len(ran), 0)
    return SuiteRun(junit, proc.returncode, tail, True, len(ran), len(security))
