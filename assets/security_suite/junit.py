"""JUnit XML under ``<GONOGO_HOME>/evidence/junit/`` → `test_results` + security-regression evidence.

Each JUnit file is one test run: its test cases land in `test_results` (idempotent by file
hash and test id) and the file itself becomes a `tests.junit` evidence item. The asset then
summarises the security families (bypass, prompt injection, auth, tenant isolation,
redaction, sandbox, policy) of the files present into one `tests.security_regression` item:
value = pass ratio over security tests, detail = counts per family. No JUnit, or no security
tests in it, means no evidence: the criterion stays honestly ``unknown``.
"""

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from assets.evidence.store import GLOBAL_TENANT, EvidenceItem, record_evidence

FAMILY_PROPERTY = "gonogo_family"
# Families a test can declare (pytest: tests/security_families.py); names decide nothing.
FAMILIES = (
    "prompt_injection",
    "bypass",
    "auth",
    "tenant_isolation",
    "redaction",
    "sandbox",
    "policy",
    "e2e",
)
SECURITY_FAMILIES = tuple(f for f in FAMILIES if f != "e2e")  # e2e is WS4.2's, not security
_MAX_MESSAGE = 500
EVIDENCE_TTL = timedelta(days=7)


class JUnitError(ValueError):
    """A JUnit file that cannot be parsed (reported, never silently skipped)."""


@dataclass(frozen=True)
class JUnitCase:
    suite: str | None
    classname: str
    name: str
    outcome: str  # passed | failed | error | skipped
    duration_s: float | None
    message: str | None
    suite_timestamp: datetime | None
    tagged: tuple[str, ...] = ()  # declared families (``gonogo_family`` JUnit properties)
    properties: tuple[tuple[str, str], ...] = ()  # every JUnit <property> of the test case

    @property
    def families(self) -> list[str]:
        """The families the test declared, known ones only; a test's name counts for nothing."""
        return [f for f in dict.fromkeys(self.tagged) if f in FAMILIES]


def _ts(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        t = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _float(raw: str | None) -> float | None:
    try:
        return float(raw) if raw else None
    except ValueError:
        return None


def parse_junit(data: bytes, source: str = "<junit>") -> list[JUnitCase]:
    """Test cases of a JUnit XML document (``<testsuites>`` or a bare ``<testsuite>``)."""
    if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        # Entity expansion is how XML bombs work; JUnit reports never need a DTD.
        raise JUnitError(f"{source}: DTDs/entities are not accepted in JUnit files")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise JUnitError(f"{source}: not well-formed XML: {exc}") from None
    if root.tag not in ("testsuites", "testsuite"):
        raise JUnitError(
            f"{source}: root element is <{root.tag}>, expected <testsuites> or <testsuite>"
        )
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    cases: list[JUnitCase] = []
    for suite in suites:
        suite_name = suite.get("name")
        stamp = _ts(suite.get("timestamp"))
        for tc in suite.findall("testcase"):
            outcome, message = "passed", None
            for tag, name in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
                el = tc.find(tag)
                if el is not None:
                    outcome = name
                    message = (el.get("message") or el.text or "")[:_MAX_MESSAGE] or None
                    break
            tagged = tuple(
                (p.get("value") or "").strip().lower()
                for p in tc.iter("property")
                if p.get("name") == FAMILY_PROPERTY
            )
            props = tuple((p.get("name") or "", p.get("value") or "") for p in tc.iter("property"))
            cases.append(
                JUnitCase(
                    suite_name, tc.get("classname") or "", tc.get("name") or "", outcome,
                    _float(tc.get("time")), message, stamp, tagged, props,
                )
            )  # fmt: skip
    return cases


def _redact(text: str | None) -> str | None:
    if text is None:
        return None
    from reports.redact import redact_text

    return redact_text(text)


def ingest_file(
    con: duckdb.DuckDBPyConnection, path: Path, now: datetime, *, is_demo: bool = False
) -> tuple[EvidenceItem, list[JUnitCase]]:
    """Load one JUnit file into `test_results` (idempotent) and record its evidence item."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    cases = parse_junit(data, str(path))
    ran = [c for c in cases if c.outcome != "skipped"]
    passed = sum(1 for c in ran if c.outcome == "passed")
    existing = con.execute(
        "SELECT min(collected_at) FROM test_results WHERE file_sha256 = ?", [digest]
    ).fetchone()
    # Re-reading an unchanged file keeps its first collection time, so its evidence id is stable.
    collected = existing[0] if existing and existing[0] is not None else now
    item = EvidenceItem(
        kind="tests.junit",
        source="assets/security_suite/junit.py",
        subject=path.name,
        collected_at=collected,
        value=passed / len(ran) if ran else None,
        detail={"sha256": digest, "tests": len(cases), "passed": passed, "ran": len(ran)},
        ttl=EVIDENCE_TTL,
        uri=path.resolve().as_uri(),
        is_demo=is_demo,
    )
    record_evidence(con, [item])
    for c in cases:
        con.execute(
            "INSERT INTO test_results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [
                GLOBAL_TENANT, path.name, digest, item.evidence_id, c.suite, c.classname, c.name,
                c.families, c.outcome, c.duration_s, _redact(c.message), c.suite_timestamp,
                collected, is_demo,
            ],
        )  # fmt: skip
    return item, cases


def _run_time(item: EvidenceItem, cases: list[JUnitCase]) -> datetime:
    stamps = [c.suite_timestamp for c in cases if c.suite_timestamp is not None]
    return max(stamps) if stamps else item.collected_at


def security_summary(files: Iterable[tuple[EvidenceItem, list[JUnitCase]]]) -> dict[str, Any]:
    """Counts over the latest result of each security test across the files (oldest run first,
    so a test fixed in a newer run is not held against the suite by an old report)."""
    families: dict[str, dict[str, int]] = {
        f: {"total": 0, "passed": 0, "failed": 0} for f in SECURITY_FAMILIES
    }
    latest: dict[tuple[str, str], JUnitCase] = {}
    sources: list[str] = []
    for item, cases in sorted(files, key=lambda f: _run_time(*f)):
        sources.append(item.evidence_id)
        for c in cases:
            if c.outcome != "skipped" and any(f in SECURITY_FAMILIES for f in c.families):
                latest[(c.classname, c.name)] = c
    total = passed = 0
    for c in latest.values():
        total += 1
        passed += c.outcome == "passed"
        for f in (f for f in c.families if f in SECURITY_FAMILIES):
            families[f]["total"] += 1
            families[f]["passed" if c.outcome == "passed" else "failed"] += 1
    return {"total": total, "passed": passed, "families": families, "junit_evidence": sources}


def collect(
    con: duckdb.DuckDBPyConnection, junit_dir: Path, now: datetime, *, is_demo: bool = False
) -> tuple[EvidenceItem | None, dict[str, Any]]:
    """Ingest every JUnit file in ``junit_dir``; returns the security evidence item (or None)."""
    files = sorted(junit_dir.glob("*.xml")) if junit_dir.is_dir() else []
    loaded: list[tuple[EvidenceItem, list[JUnitCase]]] = []
    bad: list[str] = []
    for f in files:
        try:
            loaded.append(ingest_file(con, f, now, is_demo=is_demo))
        except (JUnitError, OSError) as exc:
            bad.append(str(exc))
    summary = security_summary(loaded)
    summary["bad_files"] = bad
    if summary["total"] == 0:
        return None, summary
    item = EvidenceItem(
        kind="tests.security_regression",
        source="assets/security_suite/junit.py",
        collected_at=now,
        value=summary["passed"] / summary["total"],
        detail=summary,
        ttl=EVIDENCE_TTL,
        uri=junit_dir.resolve().as_uri(),
        is_demo=is_demo,
    )
    record_evidence(con, [item])
    return item, summary
