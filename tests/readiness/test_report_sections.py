"""Report sections: the registry, the partials, links from the decision tree, the opening."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import jsonschema
import pytest

from assets.readiness.plan import load_plan
from assets.readiness.record import evaluate_and_record, record_decision, write_readiness_report
from assets.readiness.report_model import Section, section_links
from assets.report.sections import SECTIONS
from reports.render import TEMPLATES, human_time
from tests.readiness.conftest import NOW, attest, attestation, bind, evidence
from tests.readiness.scenario import everything_done

SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[2] / "reports/schema/readiness-report.schema.json"
    ).read_text()
)


def _report(
    con: duckdb.DuckDBPyConnection,
    plan_dir: Path,
    out: Path,
    sections: Any = SECTIONS,
    now: Any = NOW,
):  # type: ignore[no-untyped-def]
    plan = load_plan(plan_dir)
    run = evaluate_and_record(con, plan, now)
    record_decision(con, plan, run)
    return write_readiness_report(con, plan, out, now, run_id=run, sections=sections)


def test_every_registered_section_has_both_partials_and_a_unique_name() -> None:
    names = [s.name for s in SECTIONS]
    assert len(names) == len(set(names))
    assert {"schedule", "onboarding", "slo", "probes", "benchmarks"} <= set(names)
    for name in names:
        for fmt in ("html", "md"):
            assert (TEMPLATES / "sections" / f"{name}.{fmt}.j2").is_file(), (name, fmt)


@pytest.mark.parametrize("bad", ["", "Schedule", "../x", "a b", "-x", "é"])
def test_section_names_are_safe_template_and_anchor_names(bad: str) -> None:
    with pytest.raises(ValueError, match="section name"):
        Section(bad, "t", lambda con, c: {})


def test_sections_render_in_registry_order_in_every_format(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    w = _report(con, plan_dir, tmp_path / "out")
    assert [s["name"] for s in w.report["sections"]] == [s.name for s in SECTIONS]
    assert all(s["error"] is None for s in w.report["sections"]), w.report["sections"]
    html = w.files["html"].read_text()
    md = w.files["md"].read_text()
    positions = [html.index(f'id="sec-{s.name}"') for s in SECTIONS]
    assert positions == sorted(positions)
    # After the decision tree, before the workstreams.
    assert html.index('id="decision-tree"') < positions[0] and positions[-1] < html.index(
        "<h2>Workstreams</h2>"
    )
    md_positions = [md.index(f'<a id="sec-{s.name}"></a>{s.title}') for s in SECTIONS]
    assert md_positions == sorted(md_positions)
    data = json.loads(w.files["json"].read_text())
    jsonschema.validate(data, SCHEMA)
    assert [s["name"] for s in data["sections"]] == [s.name for s in SECTIONS]


def test_a_broken_section_says_so_and_hides_nothing_else(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    def broken(con: duckdb.DuckDBPyConnection, c: Any) -> dict[str, Any]:
        raise RuntimeError("probe store unreachable")

    sections = (Section("probes", "Cross-tenant probes", broken), *SECTIONS[:1])
    w = _report(con, plan_dir, tmp_path / "out", sections=sections)
    html = w.files["html"].read_text()
    assert "This section could not be built: RuntimeError: probe store unreachable" in html
    assert w.report["sections"][1]["error"] is None and 'id="gate-date"' in html
    assert w.report["decision"]["decision"] == "NO-GO"


def test_section_demo_data_marks_the_report_and_names_the_part(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    real = Section("probes", "Cross-tenant probes", lambda con, c: {"cells": [], "note": ""})
    w = _report(con, plan_dir, tmp_path / "a", sections=(real,))
    assert not w.report["is_demo"] and "DEMO DATA" not in w.files["html"].read_text()
    demo = Section(
        "probes", "Cross-tenant probes", lambda con, c: {"cells": [], "note": "", "is_demo": True}
    )
    w = _report(con, plan_dir, tmp_path / "b", sections=(demo,))
    assert w.report["is_demo"] and w.report["demo_parts"] == ["Cross-tenant probes"]
    assert "(demo: Cross-tenant probes)" in w.files["html"].read_text()


def _link_names(links: dict[str, list[dict[str, str]]], key: str) -> list[str]:
    return [x["name"] for x in links.get(key, [])]


def test_decision_tree_answers_link_to_the_sections_their_criteria_read(
    plan_dir: Path,
) -> None:
    plan = load_plan(plan_dir)
    tree = [{"id": q.id, "criteria": [{"id": c} for c in q.criteria]} for q in plan.decision_tree]
    links = section_links(plan, SECTIONS, tree)
    # The shipped bindings: WS3.1 reads slo.alert_drills (TREE.4), WS2.1 the cross-tenant tests
    # (TREE.2), WS5.x benchmark evidence (the WS5 workstream; no question reads it).
    assert _link_names(links, "TREE.4") == ["slo", "operations"]
    assert _link_names(links, "TREE.2") == ["probes"]
    assert _link_names(links, "WS5") == ["benchmarks"] and "TREE.1" not in links
    # Rebinding changes the links: they follow what the criteria are evaluated from.
    bind(plan_dir, "WS0.1", evaluation={"type": "sql", "query": "SELECT 'pass' AS status, 1.0 AS value, [] AS evidence_ids FROM tenant_probe_results"})  # fmt: skip
    bind(plan_dir, "WS3.1", evaluation={"type": "attestation"})
    plan = load_plan(plan_dir)
    links = section_links(plan, SECTIONS, tree)
    # TREE.4 keeps WS3.3's operations evidence; the SLO link went with WS3.1's evidence.
    assert _link_names(links, "TREE.1") == ["probes"]
    assert _link_names(links, "TREE.4") == ["operations"]


@pytest.mark.parametrize(
    ("evaluation", "linked"),
    [
        ({"type": "evidence", "kind": "ops.drill", "pass_if": ">= 1"}, True),
        ({"type": "evidence", "kind": "opsx.drill", "pass_if": ">= 1"}, False),
        ({"type": "attestation", "claim": "rollback-drill"}, True),
        ({"type": "attestation", "claim": "rollback-drill-2"}, False),
        ({"type": "all_of", "of": [{"type": "attestation"}, {"type": "sql", "query": "SELECT * FROM drill_runs"}]}, True),
        ({"type": "sql", "query": "SELECT * FROM drill_runs_archive"}, False),
        ({"type": "sql", "query": "SELECT * FROM x WHERE kind = 'ops.soak'"}, True),
        ({"type": "sql", "query": "SELECT * FROM x WHERE kind = 'xops.soak'"}, False),
    ],
)  # fmt: skip
def test_sources_match_kinds_by_prefix_and_words_whole(
    plan_dir: Path, evaluation: dict[str, Any], linked: bool
) -> None:
    bind(plan_dir, "WS3.3", evaluation=evaluation)
    plan = load_plan(plan_dir)
    ops = Section("ops", "Operations", lambda con, c: {}, sources=("ops.", "rollback-drill", "drill_runs"))  # fmt: skip
    tree = [{"id": "TREE.5", "criteria": [{"id": "WS3.3"}]}]
    assert ("TREE.5" in section_links(plan, [ops], tree)) is linked


def test_decision_tree_links_render_as_anchors_that_exist(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    w = _report(con, plan_dir, tmp_path / "out")
    html = w.files["html"].read_text()
    row = html[html.index('id="q-TREE.4"') :]
    row = row[: row.index("</tr>")]
    assert 'href="#sec-slo"' in row and 'id="sec-slo"' in html
    row = html[html.index('id="q-TREE.2"') :]
    assert 'href="#sec-probes"' in row[: row.index("</tr>")]


def test_opening_groups_blockers_by_owner_with_the_plans_dates(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    evidence(con, "policy.destructive_blocked", 1.0)
    w = _report(con, plan_dir, tmp_path / "out")
    why = w.report["why"]
    assert len(why["lines"]) == 3
    plan = load_plan(plan_dir)
    by_owner = {g["owner"]: g for g in why["owners"]}
    # The plan's real owners and the end dates they committed to, not moved.
    ws0 = plan.workstream("WS0")
    g = by_owner["Platform Security + Agent Runtime"]
    assert [c["id"] for c in g["criteria"]] == ["WS0.2", "WS0.3", "WS0.4"]  # WS0.1 passes now
    assert g["commitments"] == [
        {"workstream": "WS0", "title": ws0.title, "date": "2026-02-27",
         "date_text": "February 27, 2026", "days": -277, "phrase": "277 days ago", "past": True}
    ]  # fmt: skip
    assert set(by_owner) == {ws.owner for ws in plan.workstreams if ws.id != "WS5"} | {
        "not named in the plan"
    }
    # Most overdue first; P1 criteria that a gate condition names block too (WS4.1).
    assert why["owners"][0]["owner"] == "Platform Security + Agent Runtime"
    assert "WS4.1" in [c["id"] for c in by_owner[plan.workstream("WS4").owner]["criteria"]]
    assert why["lines"][1].startswith("First due: Platform Security + Agent Runtime (WS0.2, ")
    html = w.files["html"].read_text()
    assert html.index('id="why"') < html.index("<h2>Go/no-go gate</h2>")
    assert "February 27, 2026" in html and "277 days ago" in html


def test_opening_before_the_dates_says_how_long_is_left(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    w = _report(con, plan_dir, tmp_path / "out", now=datetime(2026, 2, 20, 9, tzinfo=UTC))
    g = {g["owner"]: g for g in w.report["why"]["owners"]}["Platform Security + Agent Runtime"]
    assert g["commitments"][0] | {"title": ""} == {
        "workstream": "WS0", "title": "", "date": "2026-02-27", "date_text": "February 27, 2026",
        "days": 7, "phrase": "in 7 days", "past": False,
    }  # fmt: skip


def test_go_opening_has_nobody_blocking(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    everything_done(con, plan_dir, tmp_path / "evidence")
    w = _report(con, plan_dir, tmp_path / "out")
    assert w.decision == "GO" and w.report["why"]["owners"] == []
    assert w.report["why"]["lines"][0].startswith("Nothing blocks")
    jsonschema.validate(json.loads(w.files["json"].read_text()), SCHEMA)


def test_timestamps_are_human_in_html_and_exact_in_json(
    con: duckdb.DuckDBPyConnection, plan_dir: Path, tmp_path: Path
) -> None:
    eid = evidence(con, "policy.destructive_blocked", 1.0, at=NOW - timedelta(hours=3))
    attest(plan_dir, [attestation("WS1.2")])
    w = _report(con, plan_dir, tmp_path / "out")
    data = json.loads(w.files["json"].read_text())
    exact = data["evidence"][eid]["collected_at"]
    assert exact == "2026-12-01T09:00:00+00:00" and data["evaluated_at"].startswith(
        "2026-12-01T12:00:00"
    )
    html = w.files["html"].read_text()
    assert f'<time datetime="{exact}" title="{exact}">Dec 1, 2026, 09:00 UTC</time>' in html
    body = html[html.index("<body>") :]
    assert "2026-12-01T09:00:00+00:00</td>" not in body  # never a raw ISO value in a cell
    assert human_time("2026-02-27") == "Feb 27, 2026" and human_time(None) == "—"
    assert human_time("not a time") == "not a time"


def test_the_report_asset_runs_after_what_its_sections_read() -> None:
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    key = next(k for k in graph.get_all_asset_keys() if k.to_user_string() == "readiness_report")
    upstream = {k.to_user_string() for k in graph.get(key).parent_keys}
    assert {"readiness_decision", "slo_alerts", "slo_status", "benchmark_comparisons"} <= upstream
    assert all(a in upstream for s in SECTIONS for a in s.after)
