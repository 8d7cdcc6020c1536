"""Golden tests: our rules equal Sloth's output and Pyrra's windows/thresholds for the same spec."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from assets.slo.durations import prom_duration
from assets.slo.rules import render_rules, rule_groups
from assets.slo.spec import SpecError, load_specs
from assets.slo.windows import google_windows, load_alert_windows

SLOTH_CASES = [
    "getting-started",
    "home-wifi",
    "kubernetes-apiserver",
    "no-alerts",
    "openslo-getting-started",
    "openslo-kubernetes-apiserver",
    "raw-home-wifi",
]


def _normalise(doc: dict[str, Any]) -> dict[str, Any]:
    """Strip Sloth's ``cmd`` extra label and the generator version (the only intended diffs)."""
    for group in doc["groups"]:
        for rule in group["rules"]:
            labels = rule.get("labels", {})
            labels.pop("cmd", None)
            labels.pop("sloth_version", None)
    return doc


def _sloth_out(path: Path) -> dict[str, Any]:
    return {"groups": [g for d in yaml.safe_load_all(path.read_text()) if d for g in d["groups"]]}


@pytest.mark.parametrize("case", SLOTH_CASES)
def test_rules_equal_sloth_output(slo_peers: Path, case: str) -> None:
    ours = _normalise(
        yaml.safe_load(render_rules(load_specs(slo_peers / "sloth" / f"in-{case}.yml").slos))
    )
    gold = _normalise(_sloth_out(slo_peers / "sloth" / f"out-{case}.yml"))
    assert [g["name"] for g in ours["groups"]] == [g["name"] for g in gold["groups"]]
    for ours_g, gold_g in zip(ours["groups"], gold["groups"], strict=True):
        for ours_r, gold_r in zip(ours_g["rules"], gold_g["rules"], strict=True):
            # Expressions compare byte for byte, float artefacts included.
            assert ours_r == gold_r, (ours_g["name"], ours_r.get("record") or ours_r.get("alert"))


def test_sloth_float_artefacts_reproduced(slo_peers: Path) -> None:
    text = render_rules(load_specs(slo_peers / "sloth" / "in-getting-started.yml").slos)
    assert "vector(0.9990000000000001)" in text
    assert "(14.4 * 0.0009999999999999432)" in text
    assert "(6 * 0.0009999999999999432)" in text


@pytest.mark.parametrize(
    ("file", "key"),
    [
        ("windows-google-30d.yaml", "30d"),
        ("windows-google-28d.yaml", "28d"),
        ("windows-7d.yaml", "7d_custom(examples/windows/7d.yaml: 8,12.5,20,42 %)"),
    ],
)
def test_burn_factors_match_sloth_derivation(slo_peers: Path, file: str, key: str) -> None:
    vectors = json.loads((slo_peers / "derived-vectors.json").read_text())["sloth_factors"][key]
    w = load_alert_windows(yaml.safe_load((slo_peers / "sloth" / file).read_text()))
    got = w.factors()
    for tier, want in vectors.items():
        assert repr(got[tier]) == repr(float(want)), tier
    if key in ("30d", "28d"):
        # Deriving from the workbook percentages for the period gives the same numbers.
        assert google_windows(w.period).factors() == got


def test_custom_windows_document_is_used_for_its_period(slo_peers: Path, tmp_path: Path) -> None:
    spec = (slo_peers / "sloth" / "in-getting-started.yml").read_text()
    windows = (slo_peers / "sloth" / "windows-7d.yaml").read_text()
    f = tmp_path / "s.yml"
    f.write_text(spec.replace("slos:", "gonogo:\n  period: 7d\nslos:", 1) + "\n---\n" + windows)
    slo = load_specs(f).slos[0]
    text = render_rules([slo])
    assert "(13.44 * 0.0009999999999999432)" in text and "(3.5 * 0.0009999999999999432)" in text
    assert "(1.4000000000000001 * " in text and "(0.98 * " in text
    assert "slo:sli_error:ratio_rate1w" in text and "vector(7)" in text


def _pyrra_alerts(path: Path) -> list[tuple[str, str, float, float]]:
    doc = yaml.safe_load(path.read_text())
    out = []
    for g in doc["groups"]:
        for r in g["rules"]:
            if r.get("alert") != "ErrorBudgetBurn":
                continue
            m = re.search(r"> \((\d+(?:\.\d+)?) \* \(1-([0-9.]+)\)\)", r["expr"])
            assert m
            out.append(
                (
                    r["labels"]["short"],
                    r["labels"]["long"],
                    float(m.group(1)),
                    1 - float(m.group(2)),
                )
            )
    return out


def test_pyrra_windows_and_thresholds(slo_peers: Path) -> None:
    gold = _pyrra_alerts(slo_peers / "pyrra" / "out-http-ratio.expected.yaml")
    slo = load_specs(slo_peers / "pyrra" / "in-http-ratio.yaml").slos[0]
    ours = [
        (prom_duration(p.short), prom_duration(p.long), p.factor(slo.period), slo.error_budget)
        for p in slo.windows.pairs
    ]
    assert [(s, lg) for s, lg, _, _ in ours] == [(s, lg) for s, lg, _, _ in gold]
    for (_, _, f, b), (_, _, gf, gb) in zip(ours, gold, strict=True):
        assert f == gf and b == pytest.approx(gb, rel=1e-12)
    # Pyrra's recording rules are plain error ratios per window: ours record the same set.
    gold_windows = {
        r["record"].split("burnrate")[1]
        for g in yaml.safe_load((slo_peers / "pyrra" / "out-http-ratio.expected.yaml").read_text())[
            "groups"
        ]
        for r in g["rules"]
        if "burnrate" in r.get("record", "")
    }
    recorded = {
        r["record"].removeprefix("slo:sli_error:ratio_rate")
        for g in rule_groups([slo])["groups"]
        for r in g["rules"]
        if r.get("record", "").startswith("slo:sli_error:ratio_rate")
    }
    assert gold_windows <= recorded
    # The SLI expression is Pyrra's errors/total ratio (matchers in any order).
    expr = next(
        r["expr"]
        for g in rule_groups([slo])["groups"]
        for r in g["rules"]
        if r.get("record") == "slo:sli_error:ratio_rate5m"
    )
    assert re.sub(r"\s+", "", expr) == (
        '(sum(rate(http_requests_total{job="thanos-receive-default",code=~"5.."}[5m])))/'
        '(sum(rate(http_requests_total{job="thanos-receive-default"}[5m])))'
    )


def test_pyrra_budget_consumed_per_pair(slo_peers: Path) -> None:
    vectors = json.loads((slo_peers / "derived-vectors.json").read_text())[
        "pyrra_budget_consumed_by_pair_28d"
    ]
    slo = load_specs(slo_peers / "pyrra" / "in-http-ratio.yaml").slos[0]
    consumed = [p.budget_percent / 100 for p in slo.windows.pairs]
    assert consumed == pytest.approx(list(vectors.values()), abs=1e-6)


def test_pyrra_latency_example_refused_because_its_page_can_never_fire(slo_peers: Path) -> None:
    # 90 % target: threshold 14 x 0.1 = 1.4 > 1, an error ratio can never exceed it.
    with pytest.raises(
        SpecError, match=r"in-caddy-response-latency.yaml: doc\[0\].spec.alerting: .*can never fire"
    ):
        load_specs(slo_peers / "pyrra" / "in-caddy-response-latency.yaml")


def test_openslo_v1_examples_load_or_explain(slo_peers: Path) -> None:
    d = slo_peers / "openslo"
    occ = load_specs(d / "occurences-slo.yaml").slos[0]
    assert (occ.objective, occ.period.days, occ.budgeting) == (99.0, 14, "Occurrences")
    cal = load_specs(d / "low-traffic-timeslices-slo.yaml").slos[0]
    assert (
        cal.calendar == "week"
        and cal.calendar_tz == "America/New_York"
        and cal.budgeting == "Timeslices"
    )
    # The README's caveat: "1m" is one minute in OpenSLO shorthand, not one month.
    with pytest.raises(
        SpecError, match=r"timeslices-slo.yaml: doc\[0\].spec.timeWindow\[0\].duration"
    ):
        load_specs(d / "timeslices-slo.yaml")


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool not installed")
@pytest.mark.parametrize("case", SLOTH_CASES)
def test_promtool_accepts_generated_rules(slo_peers: Path, tmp_path: Path, case: str) -> None:
    out = tmp_path / "rules.yml"
    out.write_text(render_rules(load_specs(slo_peers / "sloth" / f"in-{case}.yml").slos))
    p = subprocess.run(["promtool", "check", "rules", str(out)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr


OPENSLO_V1 = """
apiVersion: openslo/v1
kind: SLI
metadata: {name: http-good}
spec:
  ratioMetric:
    counter: true
    good:
      metricSource: {type: Prometheus, spec: {query: 'sum(rate(http_total{code!~"5.."}[{{.window}}]))'}}
    total:
      metricSource: {type: Prometheus, spec: {query: 'sum(rate(http_total[{{.window}}]))'}}
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: web-availability}
spec:
  service: web
  indicatorRef: http-good
  timeWindow: [{duration: 28d, isRolling: true}]
  budgetingMethod: Occurrences
  objectives: [{displayName: ok, target: 0.995}]
"""


def test_openslo_v1_prometheus_spec_generates_checked_rules(tmp_path: Path) -> None:
    spec = tmp_path / "openslo.yaml"
    spec.write_text(OPENSLO_V1)
    [slo] = load_specs(spec).slos
    assert (slo.id, slo.period.days, slo.objective) == ("web-web-availability", 28, 99.5)
    doc = yaml.safe_load(render_rules([slo]))
    exprs = {
        r.get("record") or r.get("alert"): r["expr"] for g in doc["groups"] for r in g["rules"]
    }
    assert "slo:sli_error:ratio_rate4w" in exprs and "[1h]" in exprs["slo:sli_error:ratio_rate1h"]
    alerts = [r["expr"] for g in doc["groups"] for r in g["rules"] if "alert" in r]
    assert (
        len(alerts) == 2
        and "(13.44 * 0.005)" in alerts[0]
        and "(0.9333333333333333 * 0.005)" in alerts[1]
    )
    if shutil.which("promtool"):
        out = tmp_path / "r.yml"
        out.write_text(render_rules([slo]))
        p = subprocess.run(["promtool", "check", "rules", str(out)], capture_output=True, text=True)
        assert p.returncode == 0, p.stdout + p.stderr
