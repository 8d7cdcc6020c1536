"""The fault suite as evidence: scenarios run, survived, and data lost, from its JUnit XML.

`tests/faults/` kills, stops and starves gonogo (SIGKILL and SIGTERM at every stage, full
disks on each directory, torn and poison lines, readers beside writers, slow fsync) and each
scenario records its counts as JUnit properties (``scenario``, ``written``, ``ingested``,
``quarantined``, ``lost``). The latest result of each fault test across the JUnit files under
``evidence/junit/`` becomes one ``reliability.fault_suite`` item: value = survived / run
(1.0 when every scenario passed), detail = per-scenario counts and the data lost in total.
No fault tests in the JUnit means no evidence: the report says so, never "pass".
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from assets.evidence.store import EvidenceItem
from assets.security_suite.junit import JUnitCase, JUnitError, parse_junit

EVIDENCE_KIND = "reliability.fault_suite"
FAULT_PREFIX = "tests.faults."
COUNTS = ("written", "ingested", "quarantined", "lost")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _scenario(case: JUnitCase) -> dict[str, Any]:
    props = dict(case.properties)
    counts = {k: _int(props.get(k)) for k in COUNTS}
    return {
        "test": f"{case.classname.removeprefix(FAULT_PREFIX)}::{case.name}",
        "scenario": props.get("scenario") or case.name,
        "outcome": case.outcome,
        **{k: v for k, v in counts.items() if v is not None},
    }


def fault_results(junit_dir: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The latest result of every fault-suite test (oldest file first, newer ones win)."""
    latest: dict[tuple[str, str], tuple[datetime | None, JUnitCase]] = {}
    bad: list[str] = []
    files = sorted(junit_dir.glob("*.xml")) if junit_dir.is_dir() else []
    for path in files:
        try:
            cases = parse_junit(path.read_bytes(), str(path))
        except (JUnitError, OSError) as exc:
            bad.append(str(exc)[:300])
            continue
        for c in cases:
            if not c.classname.startswith(FAULT_PREFIX) or c.outcome == "skipped":
                continue
            key = (c.classname, c.name)
            seen = latest.get(key)
            stamp = c.suite_timestamp
            if seen is None or (stamp is not None and (seen[0] is None or stamp >= seen[0])):
                latest[key] = (stamp, c)
    return [_scenario(c) for _, c in sorted(latest.values(), key=lambda v: v[1].name)], bad


def fault_suite_evidence(
    junit_dir: Path, now: datetime, *, demo: bool
) -> tuple[EvidenceItem | None, dict[str, Any]]:
    scenarios, bad = fault_results(junit_dir)
    survived = sum(1 for s in scenarios if s["outcome"] == "passed")
    lost = sum(s.get("lost", 0) for s in scenarios if s["outcome"] == "passed")
    summary = {
        "scenarios_run": len(scenarios),
        "survived": survived,
        "failed": len(scenarios) - survived,
        "data_lost": lost,
        "spans_written": sum(s.get("written", 0) for s in scenarios),
        "spans_ingested": sum(s.get("ingested", 0) for s in scenarios),
        "lines_quarantined": sum(s.get("quarantined", 0) for s in scenarios),
        "bad_files": bad,
        "scenarios": scenarios,
    }
    if not scenarios:
        return None, summary
    item = EvidenceItem(
        kind=EVIDENCE_KIND,
        source="assets/reliability/fault_suite.py: JUnit XML of tests/faults",
        collected_at=now,
        value=survived / len(scenarios) if lost == 0 else 0.0,
        detail=summary,
        subject="tests/faults",
        is_demo=demo,
    )
    return item, summary
