"""Fixtures for readiness tests: a private copy of the shipped plan and a real DuckDB file."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from assets.evidence.store import EvidenceItem, record_evidence
from assets.tables import ensure_schema
from pipelines.settings import DEFAULT_PLAN_DIR

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    """A copy of plans/navi that a test may edit (attestations, waivers, tracking, breakage)."""
    d = tmp_path / "plan"
    shutil.copytree(DEFAULT_PLAN_DIR, d, ignore=shutil.ignore_patterns("policies", "slos.yaml"))
    return d


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(tmp_path / "gonogo.duckdb"))
    ensure_schema(c)
    yield c
    c.close()


def evidence(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    value: float | None,
    *,
    at: datetime = NOW - timedelta(hours=1),
    ttl: timedelta | None = timedelta(days=7),
    tenant: str = "_global",
    detail: dict[str, Any] | None = None,
    is_demo: bool = False,
) -> str:
    item = EvidenceItem(
        kind=kind, source="tests", collected_at=at, value=value, ttl=ttl, tenant_id=tenant,
        detail=detail or {}, is_demo=is_demo,
    )  # fmt: skip
    return record_evidence(con, [item])[0]


def write_yaml(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def attest(plan_dir: Path, entries: list[dict[str, Any]]) -> None:
    write_yaml(plan_dir / "attestations.yaml", {"attestations": entries})


def attestation(criterion: str, claim: str | None = None, *, when: str = "2026-11-28", expires: str = "2027-01-31",
                status: str | None = None) -> dict[str, Any]:  # fmt: skip
    a: dict[str, Any] = {
        "criterion": criterion, "who": "Jane Reviewer", "when": when,
        "document": "https://wiki.example/review", "expires": expires, "statement": "reviewed",
    }  # fmt: skip
    if claim:
        a["claim"] = claim
    if status:
        a["status"] = status
    return a


JUNIT_TEMPLATE = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="{suite}" timestamp="{ts}" tests="{n}">
{cases}
</testsuite></testsuites>
"""


def junit(
    path: Path,
    cases: list[tuple[Any, ...]],
    *,
    suite: str = "security",
    ts: str = "2026-12-01T10:00:00",
) -> Path:
    """cases: (classname, name, outcome in passed|failed|error|skipped[, declared families])."""
    body = []
    for cls, name, outcome, *rest in cases:
        inner = {"passed": "", "failed": '<failure message="boom"/>', "error": '<error message="err"/>',
                 "skipped": "<skipped/>"}[outcome]  # fmt: skip
        props = "".join(
            f'<property name="gonogo_family" value="{f}"/>' for f in (rest[0] if rest else ())
        )
        if props:
            inner = f"<properties>{props}</properties>{inner}"
        body.append(f'<testcase classname="{cls}" name="{name}" time="0.01">{inner}</testcase>')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(JUNIT_TEMPLATE.format(suite=suite, ts=ts, n=len(cases), cases="\n".join(body)))
    return path


def bind(plan_dir: Path, item_id: str, **binding: Any) -> None:
    """Change how one plan item is evaluated (bindings.yaml); the plan's text stays as it is."""
    path = plan_dir / "bindings.yaml"
    data = yaml.safe_load(path.read_text())
    data["bindings"].setdefault(item_id, {}).update(binding)
    write_yaml(path, data)
