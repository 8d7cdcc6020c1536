"""Two items of one kind collected at the same instant: every reader picks the same one.

A pipeline run pinned to `--now` records its evidence at that instant, so a second run on the
same home writes items of the same kinds and time whose ids differ (they hold the run's id).
The criteria broke that tie by evidence id, but `latest_evidence` (what a report section
shows) did not break it at all: the section and the decision tree could cite different items
(found by comparing two pipeline runs' report models). Whatever order the rows were written
in, the lowest evidence id wins everywhere.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from assets.evidence.store import latest_evidence
from assets.readiness.criteria import evaluate_criterion
from assets.readiness.plan import load_plan
from assets.tables import ensure_schema
from tests.readiness.conftest import NOW, evidence

KIND = "policy.decision_coverage"  # bound to WS0.2 in the test plan


@pytest.mark.parametrize("order", ["low_first", "high_first"])
def test_the_section_and_the_criterion_cite_the_same_item(
    tmp_path: Path, plan_dir: Path, order: str
) -> None:
    at = NOW.replace(microsecond=0)
    con = duckdb.connect(str(tmp_path / "gonogo.duckdb"))
    ensure_schema(con)
    # the same time, different content: two ids; written in either order
    values = [1.0, 0.5] if order == "low_first" else [0.5, 1.0]
    ids = [evidence(con, KIND, v, at=at, detail={"run": v}) for v in values]
    lowest = min(ids)
    shown = latest_evidence(con, KIND, NOW)
    assert shown is not None and shown["evidence_id"] == lowest
    plan = load_plan(plan_dir)
    verdict = evaluate_criterion(con, plan, plan.criterion("WS0.2"), NOW)
    assert verdict.evaluation.evidence_ids == (lowest,)
    con.close()
