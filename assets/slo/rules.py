"""Prometheus recording and alerting rules for SLOs, in Sloth's layout and naming.

Output is rule-for-rule what ``sloth generate`` writes for the same spec (minus its ``cmd``
extra label), so dashboards and alerts built for Sloth keep working; ``promtool check rules``
accepts it. Pyrra specs get Pyrra's windows and factors in the same layout.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from assets.slo.alerts import absolute_url
from assets.slo.durations import go_float, prom_duration
from assets.slo.spec import SLO

_WINDOW_TPL = re.compile(r"\{\{\s*\.window\s*\}\}")
GENERATOR_VERSION = "gonogo"


class RulesError(ValueError):
    """An SLO the rule generator cannot express in PromQL."""


def _id_labels(slo: SLO) -> dict[str, str]:
    return {"sloth_id": slo.id, "sloth_service": slo.service, "sloth_slo": slo.name}


def _filter(slo: SLO) -> str:
    inner = ", ".join(f'{k}="{v}"' for k, v in sorted(_id_labels(slo).items()))
    return "{" + inner + "}"


def sli_metric(window_str: str) -> str:
    return f"slo:sli_error:ratio_rate{window_str}"


def _sli_expr(slo: SLO, window_str: str) -> str:
    if slo.error_query is not None and slo.total_query is not None:
        tpl = f"({slo.error_query})\n/\n({slo.total_query})\n"
    elif slo.error_ratio_query is not None:
        tpl = f"({slo.error_ratio_query})"
    else:
        raise RulesError(f"SLO {slo.id}: no Prometheus query to generate rules from")
    return _WINDOW_TPL.sub(window_str, tpl)


def _mode(slo: SLO) -> str:
    return {"openslo/v1alpha": "cli-gen-openslo", "openslo/v1": "cli-gen-openslo"}.get(
        slo.spec_version, "cli-gen-prom"
    )


def slo_rule_groups(slo: SLO, runbook_base: str | None = None) -> list[dict[str, Any]]:
    """The three rule groups Sloth emits for one SLO (alerts only when some alert is enabled)."""
    if slo.budgeting != "Occurrences":
        raise RulesError(
            f"SLO {slo.id}: {slo.budgeting} budgeting has no Prometheus rules; use Occurrences"
        )
    labels = {**_id_labels(slo), **slo.labels}
    flt = _filter(slo)
    short = slo.windows.page_quick.short
    short_metric = sli_metric(prom_duration(short))
    sli_rules: list[dict[str, Any]] = []
    for window in [*slo.windows.distinct_windows(), slo.period]:
        ws = prom_duration(window)
        if window == slo.period:
            # Sloth's optimisation: the period ratio is the mean of the short-window ratios.
            expr = (
                f"sum_over_time({short_metric}{flt}[{ws}])\n/ ignoring (sloth_window)\n"
                f"count_over_time({short_metric}{flt}[{ws}])\n"
            )
        else:
            expr = _sli_expr(slo, ws)
        sli_rules.append(
            {"record": sli_metric(ws), "expr": expr, "labels": {**labels, "sloth_window": ws}}
        )
    obj = go_float(slo.objective / 100)
    burn_tpl = (
        "{metric}{flt}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\n"
        "slo:error_budget:ratio{flt}\n"
    )
    meta_rules: list[dict[str, Any]] = [
        {"record": "slo:objective:ratio", "expr": f"vector({obj})", "labels": labels},
        {"record": "slo:error_budget:ratio", "expr": f"vector(1-{obj})", "labels": labels},
        {
            "record": "slo:time_period:days",
            "expr": f"vector({go_float(slo.period.total_seconds() / 86400)})",
            "labels": labels,
        },
        {
            "record": "slo:current_burn_rate:ratio",
            "expr": burn_tpl.format(metric=short_metric, flt=flt),
            "labels": labels,
        },
        {
            "record": "slo:period_burn_rate:ratio",
            "expr": burn_tpl.format(metric=sli_metric(prom_duration(slo.period)), flt=flt),
            "labels": labels,
        },
        {
            "record": "slo:period_error_budget_remaining:ratio",
            "expr": f"1 - slo:period_burn_rate:ratio{flt}",
            "labels": labels,
        },
        {
            "record": "sloth_slo_info",
            "expr": "vector(1)",
            "labels": {
                **labels,
                "sloth_mode": _mode(slo),
                "sloth_objective": go_float(slo.objective),
                "sloth_spec": slo.spec_version,
                "sloth_version": GENERATOR_VERSION,
            },
        },
    ]
    groups = [
        {"name": f"sloth-slo-sli-recordings-{slo.id}", "rules": sli_rules},
        {"name": f"sloth-slo-meta-recordings-{slo.id}", "rules": meta_rules},
    ]
    alert_rules = [_alert_rule(slo, sev, runbook_base) for sev in slo.severities()]
    if alert_rules:
        groups.append({"name": f"sloth-slo-alerts-{slo.id}", "rules": alert_rules})
    return groups


def _alert_rule(slo: SLO, severity: str, runbook_base: str | None = None) -> dict[str, Any]:
    quick, slow = slo.windows.for_severity(severity)
    flt = _filter(slo)
    budget = go_float(slo.error_budget)

    def cond(window: Any, factor: float) -> str:
        metric = sli_metric(prom_duration(window))
        return f"max({metric}{flt} > ({go_float(factor)} * {budget})) without (sloth_window)"

    qf, sf = quick.factor(slo.period), slow.factor(slo.period)
    expr = (
        "(\n"
        f"    {cond(quick.short, qf)}\n    and\n    {cond(quick.long, qf)}\n"
        ")\nor\n(\n"
        f"    {cond(slow.short, sf)}\n    and\n    {cond(slow.long, sf)}\n"
        ")\n"
    )
    meta = slo.page if severity == "page" else slo.ticket
    annotations = {
        "title": f"({severity}) {{{{$labels.sloth_service}}}} {{{{$labels.sloth_slo}}}} SLO error budget burn rate is too fast.",
        "summary": "{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.",
        **slo.alert_annotations,
        **meta.annotations,
    }
    if slo.runbook_url and "runbook_url" not in annotations:
        annotations["runbook_url"] = slo.runbook_url
    if runbook_base and annotations.get("runbook_url"):
        # Alertmanager, Grafana and pagers need a link that opens anywhere: absolute.
        annotations["runbook_url"] = absolute_url(annotations["runbook_url"], runbook_base)
    return {
        "alert": slo.alert_name,
        "expr": expr,
        "labels": {"sloth_severity": severity, **slo.alert_labels, **meta.labels},
        "annotations": annotations,
    }


def rule_groups(slos: list[SLO], runbook_base: str | None = None) -> dict[str, Any]:
    groups: list[dict[str, Any]] = []
    for slo in slos:
        if slo.has_prometheus:
            groups += slo_rule_groups(slo, runbook_base)
    if not groups:
        raise RulesError("no SLO in the spec has a Prometheus query")
    for g in groups:
        for r in g["rules"]:
            # Sloth (Go maps marshalled to YAML) prints labels sorted; so do we, for diffability.
            for key in ("labels", "annotations"):
                if key in r:
                    r[key] = dict(sorted(r[key].items()))
    return {"groups": groups}


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def to_yaml(doc: dict[str, Any], header: str = "") -> str:
    body = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, width=1_000_000, allow_unicode=True)
    return header + body


def render_rules(slos: list[SLO], runbook_base: str | None = None) -> str:
    """Rules YAML; relative runbook URLs are resolved on ``runbook_base`` when one is given."""
    return to_yaml(
        rule_groups(slos, runbook_base),
        header="# Code generated by gonogo slo rules (Sloth-compatible layout). DO NOT EDIT.\n\n",
    )
