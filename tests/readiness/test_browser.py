"""The report and the digest as a browser renders them (headless Chromium, scripts run, no
network): every section is there with its content, the figures are drawn, screenshots kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from assets.digest.digest import write_daily_digest
from assets.readiness.plan import load_plan
from assets.readiness.record import evaluate_and_record, record_decision, write_readiness_report
from assets.report.sections import SECTIONS
from tests.readiness.browser import dump_dom, element, screenshot, text_of
from tests.readiness.conftest import NOW
from tests.readiness.sections_world import everything


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One world with every section filled, its report and digest, rendered by Chromium."""
    import shutil

    from pipelines.settings import DEFAULT_PLAN_DIR

    tmp = tmp_path_factory.mktemp("browser")
    plan_dir = tmp / "plan"
    shutil.copytree(DEFAULT_PLAN_DIR, plan_dir)
    con = duckdb.connect(str(tmp / "gonogo.duckdb"))
    from assets.tables import ensure_schema

    ensure_schema(con)
    everything(con, plan_dir, NOW)
    plan = load_plan(plan_dir)
    run = evaluate_and_record(con, plan, NOW)
    record_decision(con, plan, run)
    w = write_readiness_report(con, plan, tmp / "out", NOW, run_id=run, sections=SECTIONS)
    digest = write_daily_digest(con, plan, NOW.date(), tmp / "out")
    con.close()
    yield {
        "plan": plan,
        "report": w.report,
        "report_dom": dump_dom(w.files["html"]),
        "digest_dom": dump_dom(digest["html"]),
        "files": {**w.files, "digest": digest["html"]},
    }


def test_report_screenshot_and_every_section_in_the_rendered_page(rendered: dict[str, Any]) -> None:
    shot = screenshot(rendered["files"]["html"], "readiness-report.png")
    assert shot.stat().st_size > 50_000
    dom = rendered["report_dom"]
    for s in SECTIONS:
        part = element(dom, f"sec-{s.name}")
        text = text_of(part)
        assert text.startswith(s.title), (s.name, text[:80])
        assert "could not be built" not in text, text[:300]
    # The decision first, then why, with the plan's real owners and committed dates.
    body = text_of(dom[dom.index("<body") :])
    assert body.index("NO-GO") < body.index("Why") < body.index("Go/no-go gate")
    why = text_of(element(dom, "why"))
    for ws in rendered["plan"].workstreams[:5]:
        assert ws.owner in why
    assert "February 27, 2026" in why and "days ago" in why


def test_schedule_section_renders_overdue_workstreams_milestones_and_the_gate(
    rendered: dict[str, Any],
) -> None:
    text = text_of(element(rendered["report_dom"], "sec-schedule"))
    assert "Go/no-go gate: March 17, 2026 — 259 days ago" in text
    assert re.search(r"WS0 Tool Sandbox \+ Policy Layer P0 Platform Security \+ Agent Runtime "
                     r"February 16 to February 27, 2026 overdue by 277 days", text), text[:600]  # fmt: skip
    for state in ("missed", "met late", "unknown"):
        assert state in text
    assert "Week 4" in text


def test_onboarding_section_renders_the_org_by_guardrail_table(rendered: dict[str, Any]) -> None:
    part = element(rendered["report_dom"], "sec-onboarding")
    text = text_of(part)
    for gid in ("ONBOARD.1", "ONBOARD.2", "ONBOARD.3", "ONBOARD.4"):
        assert gid in text
    for org in ("Acme Corp", "Globex", "Initech"):
        assert org in text
    assert "no reachable rollback contact" in text and "May be onboarded now: none" in text
    rows = re.findall(r"<tr>\s*<td><strong>", element(part, "onboarding-table", "table"))
    assert len(rows) == 3


def test_slo_section_renders_every_slo_per_tenant_with_a_drawn_burn_down(
    rendered: dict[str, Any],
) -> None:
    part = element(rendered["report_dom"], "sec-slo")
    text = text_of(part)
    for name in ("gateway/api-latency", "tools/tool-success", "tools/job-completion",
                 "policy/decision-integrity"):  # fmt: skip
        assert name in text
    assert "Error budget left" in text and "on call: team-sre" in text
    assert "globex" in text and "acme" in text and "firing" in text
    assert re.search(r"5m: [\d.]+×", text) and "GonogoSLOBurn" in text
    # Plotly ran from the inlined bundle: one drawn figure per SLO.
    assert part.count('class="main-svg"') >= 2 * len(
        next(s for s in rendered["report"]["sections"] if s["name"] == "slo")["data"]["slos"]
    )


def test_probe_section_renders_the_coloured_matrix(rendered: dict[str, Any]) -> None:
    part = element(rendered["report_dom"], "sec-probes")
    matrix = element(part, "probe-matrix", "table")
    assert (
        matrix.count('class="cell cell-leak"') == 1
        and matrix.count('class="cell cell-closed"') == 8
    )
    assert "1 leak" in text_of(part)


def test_benchmark_section_renders_interval_plots_and_says_demo(rendered: dict[str, Any]) -> None:
    part = element(rendered["report_dom"], "sec-benchmarks")
    text = text_of(part)
    assert "DEMO DATA" in text and "CLM-governed-completion" in text and "supported" in text
    measures = next(s for s in rendered["report"]["sections"] if s["name"] == "benchmarks")["data"][
        "measures"
    ]
    assert len(measures) >= 4
    assert part.count('class="main-svg"') >= len(measures)
    assert "95 % interval" in part


def test_decision_tree_answers_link_to_sections_that_exist(rendered: dict[str, Any]) -> None:
    dom = rendered["report_dom"]
    tree = element(dom, "decision-tree", "h2")
    assert tree
    for qid, anchor in (("TREE.2", "sec-probes"), ("TREE.4", "sec-slo")):
        row = dom[dom.index(f'id="q-{qid}"') :]
        row = row[: row.index("</tr>")]
        assert f'href="#{anchor}"' in row and f'id="{anchor}"' in dom


def test_digest_screenshot_and_all_five_sections_with_content(rendered: dict[str, Any]) -> None:
    shot = screenshot(rendered["files"]["digest"], "digest.png", height=5000)
    assert shot.stat().st_size > 20_000
    dom = rendered["digest_dom"]
    for f in rendered["plan"].tracking_fields:
        part = element(dom, f"t-{f.field}")
        text = text_of(part)
        assert text.startswith(f.text) and "nothing recorded" not in text, text[:200]
        assert part.count("<li") >= 1
    top = text_of(dom[dom.index("<body") :])
    assert top.index("Escalated: decisions open more than two days") < top.index("Planned today")
    assert "Missing today's update" in top and "DEMO DATA" in top
    owners = {ws.owner for ws in rendered["plan"].workstreams}
    assert sum(1 for o in owners if o in top) >= 4  # the plan's real owners sign the updates


def test_empty_probe_table_renders_honestly(tmp_path: Path, plan_dir: Path) -> None:
    con = duckdb.connect(str(tmp_path / "g.duckdb"))
    from assets.tables import ensure_schema

    ensure_schema(con)
    plan = load_plan(plan_dir)
    run = evaluate_and_record(con, plan, NOW)
    record_decision(con, plan, run)
    w = write_readiness_report(con, plan, tmp_path / "out", NOW, run_id=run, sections=SECTIONS)
    con.close()
    part = element(dump_dom(w.files["html"]), "sec-probes")
    assert "No cross-tenant probe run recorded yet" in text_of(part) and "probe-matrix" not in part
