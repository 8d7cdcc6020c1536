"""The OSCAL export validates against NIST's assessment-results schema (vendored, draft-07).

The validator must really check: formats (date-time, uri, uri-reference) and the schema's
Unicode-class patterns (``\\p{L}``), which a default validator skips or cannot compile.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator

from assets.evidence.store import EvidenceItem, record_evidence
from assets.readiness.plan import load_plan
from assets.readiness.record import evaluate_and_record, record_decision, write_readiness_report
from reports.oscal_schema import OSCAL_VERSION, SCHEMA_PATH, oscal_errors, oscal_schema
from reports.render import render_oscal
from tests.readiness.conftest import NOW, attest, attestation, evidence
from tests.readiness.scenario import everything_done

VENDORED_SHA256 = "725318f0e766e05d289da04d73911ce9b450f47d61d4c92c88ad37d393f69600"


def _oscal(con: duckdb.DuckDBPyConnection, plan_dir: Path, out: Path) -> dict[str, Any]:
    plan = load_plan(plan_dir)
    run = evaluate_and_record(con, plan, NOW)
    record_decision(con, plan, run)
    written = write_readiness_report(con, plan, out, NOW, run_id=run)
    doc: dict[str, Any] = json.loads(written.files["oscal"].read_text())
    return doc


def test_the_vendored_schema_is_nists_unchanged() -> None:
    assert hashlib.sha256(SCHEMA_PATH.read_bytes()).hexdigest() == VENDORED_SHA256
    schema = oscal_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"] == f"http://csrc.nist.gov/ns/oscal/{OSCAL_VERSION}/oscal-ar-schema.json"
    note = SCHEMA_PATH.with_name("oscal_assessment-results_schema.SOURCE.md").read_text()
    assert VENDORED_SHA256 in note and "usnistgov/OSCAL" in note and OSCAL_VERSION in note


def test_the_export_validates_with_an_empty_store(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    doc = _oscal(con, plan_dir, tmp_path / "out")
    assert oscal_errors(doc) == []
    assert doc["assessment-results"]["metadata"]["oscal-version"] == OSCAL_VERSION


def test_the_export_validates_when_everything_is_done(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    everything_done(con, plan_dir, tmp_path / "evidence")
    doc = _oscal(con, plan_dir, tmp_path / "out")
    assert oscal_errors(doc) == []
    result = doc["assessment-results"]["results"][0]
    assert result["observations"] and {
        f["target"]["status"]["state"] for f in result["findings"]
    } == {"satisfied"}


AWKWARD = {
    "/srv/evidence/run 7/one pager.md": "file:///srv/evidence/run%207/one%20pager.md",
    "/srv/évidence/ünïcode.json": "file:///srv/%C3%A9vidence/%C3%BCn%C3%AFcode.json",
    "relative/path with space.txt": "relative/path%20with%20space.txt",
    "https://ci.example/job?id=1&x=a b": "https://ci.example/job?id=1&x=a%20b",
    "s3://bucket/key%20already-escaped": "s3://bucket/key%20already-escaped",
    "http://host:port/x": "./http%3A//host%3Aport/x",  # no URI as written: an escaped path
}


def test_awkward_evidence_locations_become_uri_references(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    record_evidence(
        con,
        [EvidenceItem(kind="policy.destructive_blocked", source="tests", collected_at=NOW,
                      value=1.0, uri="/srv/evidence/run 7/one pager.md")],
    )  # fmt: skip
    plan = load_plan(plan_dir)
    run = evaluate_and_record(con, plan, NOW)
    record_decision(con, plan, run)
    report = write_readiness_report(con, plan, tmp_path / "out", NOW, run_id=run).report
    assert oscal_errors(render_oscal(report)) == []
    (eid,) = [k for k, v in report["evidence"].items() if v.get("uri")]
    for uri, href in AWKWARD.items():
        report["evidence"][eid]["uri"] = uri
        doc = render_oscal(report)
        assert oscal_errors(doc) == [], uri
        (obs,) = [
            o for o in doc["assessment-results"]["results"][0]["observations"]
            if "relevant-evidence" in o
        ]  # fmt: skip
        assert obs["relevant-evidence"][0]["href"] == href


def test_unknown_criteria_carry_their_reason_and_the_plan_is_a_real_resource(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    evidence(con, "policy.destructive_blocked", 0.5)
    attest(plan_dir, [attestation("WS2.2")])
    doc = _oscal(con, plan_dir, tmp_path / "out")
    assert oscal_errors(doc) == []
    ar = doc["assessment-results"]
    resources = {r["uuid"] for r in ar["back-matter"]["resources"]}
    assert ar["import-ap"]["href"][1:] in resources
    for f in ar["results"][0]["findings"]:
        status = f["target"]["status"]
        if status["state"] == "not-satisfied":
            assert status["remarks"].split(": ", 1)[1].strip()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One real export to mutate."""
    from assets.tables import ensure_schema
    from pipelines.settings import DEFAULT_PLAN_DIR

    tmp = tmp_path_factory.mktemp("oscal")
    con = duckdb.connect(str(tmp / "g.duckdb"))
    ensure_schema(con)
    evidence(con, "policy.destructive_blocked", 1.0)
    import shutil

    plan_dir = tmp / "plan"
    shutil.copytree(DEFAULT_PLAN_DIR, plan_dir, ignore=shutil.ignore_patterns("policies"))
    doc = _oscal(con, plan_dir, tmp / "out")
    con.close()
    assert oscal_errors(doc) == []
    return doc


MUTATIONS = {
    "uuid not a v4/v5 UUID": lambda a: a.__setitem__("uuid", "1" * 8 + "-1111-1111-8111-" + "1" * 12),
    "timestamp without a zone": lambda a: a["metadata"].__setitem__("last-modified", "2026-12-01T12:00:00"),
    "impossible date": lambda a: a["metadata"].__setitem__("last-modified", "2026-02-30T12:00:00Z"),
    "target id not a token": lambda a: a["results"][0]["findings"][0]["target"].__setitem__("target-id", "WS 0.1"),
    "href with a space": lambda a: a["import-ap"].__setitem__("href", "plan file.yaml"),
    "namespace not a URI": lambda a: a["results"][0]["findings"][0]["props"][0].__setitem__("ns", "gonogo"),
    "padded property value": lambda a: a["results"][0]["findings"][0]["props"][0].__setitem__("value", "pass "),
    "unknown objective state": lambda a: a["results"][0]["findings"][0]["target"]["status"].__setitem__("state", "unknown"),
    "missing reviewed-controls": lambda a: a["results"][0].pop("reviewed-controls"),
    "extra property": lambda a: a.__setitem__("gonogo", 1),
}  # fmt: skip


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_the_validator_catches_each_kind_of_violation(sample: dict[str, Any], name: str) -> None:
    bad = copy.deepcopy(sample)
    MUTATIONS[name](bad["assessment-results"])
    assert oscal_errors(bad), name


def test_a_default_validator_would_miss_formats_and_unicode_patterns(
    sample: dict[str, Any],
) -> None:
    """Why the project's validator exists: plain Draft7Validator cannot even compile the
    schema's \\p{L} patterns, and without a format checker it accepts a bad timestamp."""
    plain = Draft7Validator(oscal_schema())
    bad = copy.deepcopy(sample)
    bad["assessment-results"]["metadata"]["last-modified"] = "2026-02-30T12:00:00Z"
    with pytest.raises(Exception, match=r"bad escape \\p"):
        list(plain.iter_errors(bad))
    assert any("last-modified" in e for e in oscal_errors(bad))
    # A letter outside ASCII is a letter to the schema (\p{L}): accepted.
    ok = copy.deepcopy(sample)
    ok["assessment-results"]["results"][0]["findings"][0]["target"]["target-id"] = "Ünïcode.1"
    assert oscal_errors(ok) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    uri=st.text(min_size=1, max_size=80).filter(lambda s: "\x00" not in s),
    reason=st.text(max_size=200),
    status=st.sampled_from(["pass", "fail", "warn", "unknown", "stale", "error", "waived"]),
)
def test_any_evidence_location_and_reason_still_validate(
    uri: str, reason: str, status: str
) -> None:
    report = {
        "run_id": "run-1",
        "generated_at": "2026-12-01T12:00:00+00:00",
        "evaluated_at": "2026-12-01T12:00:00+00:00",
        "inputs_hash": "0" * 64,
        "plan": {"id": "navi", "version": "1", "title": "Plan", "hash": "a" * 64},
        "decision": {"decision": "NO-GO", "sentence": "NO-GO: because."},
        "evidence": {
            "ev1": {"kind": "x.y", "source": "s", "content_hash": "c", "uri": uri,
                    "collected_at": "2026-12-01T11:00:00+00:00", "expires_at": None},
        },
        "workstreams": [
            {"criteria": [{"id": "WS0.1", "text": "t", "status": status, "raw_status": status,
                           "priority": "P0", "reason": reason, "evidence_ids": ["ev1"]}]}
        ],
        "gate_criteria": [],
    }  # fmt: skip
    assert oscal_errors(render_oscal(report)) == []
