"""A hand-built 'everything done' world: evidence, JUnit runs and attestations for the plan."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb

from assets.readiness.plan import load_plan
from assets.security_suite.junit import collect
from tests.readiness.conftest import NOW, attest, attestation, evidence, junit

ATTESTED = [
    ("WS1.1", "manual-auth-review"),
]
# Operations evidence (soak, runbooks, drills, release gates; assets/operations/evidence.py).
OPS_EVIDENCE = [
    ("ops.soak_days", 7.5),
    ("ops.soak_unresolved_sev12", 0.0),
    ("ops.runbooks_complete", 1.0),
    ("ops.runbook_drills", 2.0),
    ("ops.incident_drills", 1.0),
    ("ops.rollback_drills", 1.0),
    ("release.required_checks", 1.0),
    ("release.e2e_consecutive", 2.0),
    ("readiness.authoritative", 1.0),
]


def security_junit(folder: Path, *, failing: str | None = None) -> None:
    cases = [
        ("tests.security.test_bypass", "test_quote_bypass", "passed", ("bypass",)),
        ("tests.security.test_bypass", "test_env_escape", "passed", ("bypass",)),
        ("tests.security.test_prompt_injection", "test_prompt_injection_in_readme", "passed",
         ("prompt_injection",)),
        ("tests.security.test_auth", "test_auth_token_replay_rejected", "passed", ("auth",)),
        ("tests.tenancy.test_probe_matrix", "test_cross_tenant_read_denied", "passed",
         ("tenant_isolation",)),
        ("tests.redaction", "test_secret_not_in_logs", "passed", ("redaction",)),
        ("tests.unit.test_math", "test_add", "passed", ()),
    ]  # fmt: skip
    cases = [(c, n, "failed" if n == failing else o, f) for c, n, o, f in cases]
    junit(folder / "security.xml", cases)


def e2e_junit(folder: Path, runs: int = 2, *, bad_last: bool = False) -> None:
    for i in range(runs):
        outcome = "failed" if bad_last and i == runs - 1 else "passed"
        junit(
            folder / f"e2e-{i}.xml",
            [
                ("e2e.release", "test_rc_smoke", outcome, ("e2e",)),
                ("e2e.release", f"test_rc_flow_{i}", "passed", ("e2e",)),
            ],
            suite="e2e",
            ts=f"2026-11-30T0{i}:00:00",
        )


def everything_done(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, evidence_dir: Path, *, demo: bool = False
) -> None:
    for kind, value in [
        ("policy.destructive_blocked", 1.0),
        ("policy.decision_coverage", 1.0),
        ("redaction.leak_scan", 0.0),
        ("sandbox.resource_limits", 1.0),
        ("slo.alert_drills", 1.0),
        ("readiness.report", 1.0),
        ("benchmark.reproducibility", 1.0),
        ("benchmark.claims_mapped", 1.0),
        ("benchmark.one_pager", 1.0),
        # WS1: the secrets scan, the CI configuration with its latest result, the threat model
        ("secrets.at_rest", 1.0),
        ("ci.security_suite", 1.0),
        ("security.threat_model", 0.0),
        ("tenancy.probe_matrix", 1.0),
        ("tenancy.namespace_audit", 1.0),
        ("tenancy.retention_contract", 1.0),
        ("tenancy.retention", 1.0),
        # WS3 scope: no span lost, the fault suite survived
        ("telemetry.completeness", 0.0),
        ("reliability.fault_suite", 1.0),
        *OPS_EVIDENCE,
    ]:
        evidence(con, kind, value, is_demo=demo)
    junit_dir = evidence_dir / "junit"
    security_junit(junit_dir)
    e2e_junit(junit_dir)
    collect(con, junit_dir, NOW - timedelta(minutes=30), is_demo=demo)
    attest(plan_dir, [attestation(c, claim) for c, claim in ATTESTED])
    load_plan(plan_dir)  # the scenario itself must be a valid plan
