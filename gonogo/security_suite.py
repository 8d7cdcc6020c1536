"""Run the security regression suite and keep its JUnit XML as evidence.

The WS0/WS1 criteria about security regression tests are evaluated from JUnit files under
``<GONOGO_HOME>/evidence/junit/`` (see ``assets/test_results.py``); this module produces them
from a source checkout. Without a checkout there are no tests to run, and the criteria stay
honestly ``unknown``.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pipelines.settings import REPO_ROOT, Settings

# The demo runs the policy regression suite (bypass families, prompt injection, roles, audit
# chain: ~1,000 cases in ~20 s); the full suite's JUnit comes from `make test` (see Makefile).
SECURITY_SUITES = ("tests/policy",)


@dataclass(frozen=True)
class SuiteRun:
    junit: Path | None
    returncode: int
    detail: str


def run_security_suite(settings: Settings, suites: tuple[str, ...] = SECURITY_SUITES) -> SuiteRun:
    paths = [str(REPO_ROOT / s) for s in suites if (REPO_ROOT / s).is_dir()]
    if not paths:
        return SuiteRun(None, 0, "no test suites in this installation (not a source checkout)")
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
            f"--junitxml={junit}",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    tail = (proc.stdout.strip().splitlines() or [""])[-1]
    return SuiteRun(junit if junit.exists() else None, proc.returncode, tail)
