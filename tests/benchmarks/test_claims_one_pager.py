"""Claims judged against evidence (WS5.2) and the one-pager that cannot drift (WS5.3)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assets.benchmarks.claims import (
    CONTRADICTED,
    SUPPORTED,
    UNSUPPORTED,
    ClaimsError,
    evaluate,
    load_claims,
)
from assets.benchmarks.one_pager import check_one_pager, render, write
from gonogo.config import DEFAULT_PLAN_DIR


def summary(rate_ci=(0.9, 1.0), overhead=(0.2, 0.1, 0.3), recovery=None) -> dict:
    doc = {
        "agents": {
            "oracle": {"completion_rate": 1.0, "completion_ci95": [1.0, 1.0],
                       "time_to_merge_s": {"median": 0.3, "ci95": [0.2, 0.4]}},
            "oracle+governed": {"completion_rate": sum(rate_ci) / 2, "completion_ci95": list(rate_ci),
                                "time_to_merge_s": {"median": 0.5, "ci95": [0.4, 0.6]}},
            "none": {"completion_rate": 0.0, "completion_ci95": [0.0, 0.0],
                     "time_to_merge_s": {"median": None, "ci95": None}},
        },
        "comparisons": [
            {"a": "oracle", "b": "oracle+governed", "metric": "completion_rate",
             "diff": 1.0 - sum(rate_ci) / 2, "ci95": [1.0 - rate_ci[1], 1.0 - rate_ci[0]]},
        ],
        "governance_overhead_s": {
            "oracle+governed": {"baseline": "oracle", "mean_diff_s": overhead[0],
                                "ci95": [overhead[1], overhead[2]], "share_in_governed_calls": 0.3}
        },
        "recovery_time_s": {} if recovery is None else
        {"oracle+governed": {"injected": 2, "recovered": 2, "median": recovery[0],
                             "ci95": [recovery[1], recovery[2]]}},
    }  # fmt: skip
    return doc


def claims_file(tmp_path: Path, claims: list[dict]) -> Path:
    p = tmp_path / "claims.yaml"
    p.write_text(yaml.safe_dump({"version": 1, "claims": claims}))
    return p


def claim(cid: str, measure: str, agent: str, op: str, value: float, versus=None, text=None):
    comp = {"agent": agent, **({"versus": versus} if versus else {})}
    return {
        "id": cid,
        "text": text or f"{measure} is {{value:.2f}} (95% CI {{lo:.2f}} to {{hi:.2f}}).",
        "measure": measure,
        "comparison": comp,
        "threshold": {"op": op, "value": value},
    }


def test_shipped_claims_load_and_cover_the_four_measures() -> None:
    claims = load_claims(DEFAULT_PLAN_DIR / "claims.yaml")
    assert len(claims) >= 5
    assert {c.measure for c in claims} >= {
        "completion_rate", "time_to_merge_s", "governance_overhead_s", "recovery_time_s",
    }  # fmt: skip


@pytest.mark.parametrize(
    "ci, expected",
    [((0.96, 1.0), SUPPORTED), ((0.5, 0.9), CONTRADICTED), ((0.9, 1.0), UNSUPPORTED)],
)
def test_status_follows_the_whole_interval(tmp_path: Path, ci, expected: str) -> None:
    claims = load_claims(
        claims_file(tmp_path, [claim("CLM-rate", "completion_rate", "oracle+governed", ">=", 0.95)])
    )
    (r,) = evaluate(claims, [("run-1", summary(rate_ci=ci), ["ev-1"])])
    assert r.status == expected
    assert r.evidence_ids == ["ev-1"] and r.run_id == "run-1"


def test_versus_reads_the_pair_in_either_order(tmp_path: Path) -> None:
    c = claim("CLM-diff", "completion_rate", "oracle+governed", ">=", -0.2, versus="oracle")
    (r,) = evaluate(load_claims(claims_file(tmp_path, [c])), [("r", summary((0.9, 1.0)), [])])
    # The run compared oracle − governed; the claim is governed − oracle: sign and bounds flip.
    assert (r.value, r.lo, r.hi) == pytest.approx((-0.05, -0.1, 0.0))
    assert r.status == SUPPORTED


def test_newest_run_with_the_measure_decides(tmp_path: Path) -> None:
    c = claim("CLM-recovery", "recovery_time_s", "oracle+governed", "<=", 5.0)
    claims = load_claims(claims_file(tmp_path, [c]))
    runs = [("new", summary(), ["e-new"]), ("old", summary(recovery=(2.0, 1.0, 3.0)), ["e-old"])]
    (r,) = evaluate(claims, runs)
    assert (r.status, r.run_id, r.evidence_ids) == (SUPPORTED, "old", ["e-old"])
    (r,) = evaluate(claims, runs[:1])
    assert r.status == UNSUPPORTED and r.evidence_ids == []


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"measure": "speed"}, "measure"),
        ({"id": "claim one"}, "id"),
        ({"threshold": {"op": "==", "value": 1}}, "threshold"),
        ({"threshold": {"op": ">=", "value": "high"}}, "threshold.value"),
        ({"comparison": {}}, "comparison"),
        ({"measure": "governance_overhead_s"}, "versus"),
        ({"text": "rate {nope}"}, "placeholders"),
        ({"text": ""}, "text"),
    ],
)
def test_bad_claims_are_refused(tmp_path: Path, bad: dict, message: str) -> None:
    c = {**claim("CLM-x", "completion_rate", "oracle", ">=", 0.5), **bad}
    with pytest.raises(ClaimsError, match=message):
        load_claims(claims_file(tmp_path, [c]))


def test_duplicate_claim_ids_refused(tmp_path: Path) -> None:
    c = claim("CLM-x", "completion_rate", "oracle", ">=", 0.5)
    with pytest.raises(ClaimsError, match="duplicate"):
        load_claims(claims_file(tmp_path, [c, c]))


def _judged(tmp_path: Path, rate_ci=(0.96, 1.0)):
    claims = load_claims(
        claims_file(
            tmp_path,
            [
                claim("CLM-rate", "completion_rate", "oracle+governed", ">=", 0.95),
                claim("CLM-cost", "governance_overhead_s", "oracle+governed", "<=", 1.0, "oracle"),
                claim("CLM-floor", "completion_rate", "none", "<=", 0.0),
                claim("CLM-fast", "time_to_merge_s", "oracle+governed", "<=", 0.1),
            ],
        )
    )
    return evaluate(claims, [("run", summary(rate_ci=rate_ci), ["ev"])])


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_one_pager_from_supported_claims_only_and_its_check(tmp_path: Path, suffix: str) -> None:
    judged = _judged(tmp_path)
    assert [r.status for r in judged] == [SUPPORTED, SUPPORTED, SUPPORTED, CONTRADICTED]
    page = render(judged, is_demo=True)
    assert page.cited == ["CLM-rate", "CLM-cost", "CLM-floor"]
    assert "CLM-fast" not in page.markdown and "CLM-fast" not in page.html
    assert "DEMO DATA" in page.markdown and "DEMO DATA" in page.html
    md, html_path = write(tmp_path / "out", page)
    path = md if suffix == ".md" else html_path
    assert check_one_pager(path, judged) == []

    # The governed completion interval drops below the threshold: the page is now wrong.
    later = _judged(tmp_path, rate_ci=(0.9, 1.0))
    problems = check_one_pager(path, later)
    assert any("CLM-rate" in p and "unsupported" in p for p in problems)

    # Numbers edited by hand no longer match the evidence.
    text = path.read_text().replace("0.20", "0.02")
    path.write_text(text)
    assert any("CLM-cost" in p and "other numbers" in p for p in check_one_pager(path, judged))


def test_a_number_without_a_citation_fails_the_check(tmp_path: Path) -> None:
    judged = _judged(tmp_path)
    md, _ = write(tmp_path, render(judged, is_demo=False))
    md.write_text(md.read_text() + "\nTrusted by 500 teams.\n")
    (problem,) = check_one_pager(md, judged)
    assert "without a claim citation" in problem and "500" in problem


def test_unknown_and_undeclared_citations_fail(tmp_path: Path) -> None:
    judged = _judged(tmp_path)
    md, _ = write(tmp_path, render(judged, is_demo=False))
    md.write_text(md.read_text() + "\n- Best in class, 10x faster. [CLM-made-up]\n")
    assert any("CLM-made-up" in p for p in check_one_pager(md, judged))
    without = [r for r in judged if r.claim.claim_id != "CLM-cost"]
    assert any("no longer has" in p for p in check_one_pager(md, without))


def test_a_page_that_was_not_generated_fails(tmp_path: Path) -> None:
    p = tmp_path / "one-pager.md"
    p.write_text("# Our agent\n\nIt is great.\n")
    assert any("metadata" in x for x in check_one_pager(p, _judged(tmp_path)))
    assert check_one_pager(tmp_path / "missing.md", []) != []


def test_a_page_that_cites_no_claim_fails(tmp_path: Path) -> None:
    # Nothing supported: the generated page says so, and that is not evidence of anything.
    judged = _judged(tmp_path, rate_ci=(0.5, 1.0))
    none_supported = [r for r in judged if r.status != SUPPORTED]
    for suffix in (".md", ".html"):
        md, page_html = write(tmp_path / suffix[1:], render(none_supported, is_demo=False))
        path = md if suffix == ".md" else page_html
        (problem,) = check_one_pager(path, none_supported)
        assert "cites no supported claim" in problem
