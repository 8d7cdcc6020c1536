"""Grafana dashboards (one per service) and rule files, generated from the SLO specs.

Panels read the Sloth-named recording rules that :mod:`assets.slo.rules` writes, with a
``tenant`` variable, so the dashboards work against any Prometheus that loads those rules.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from assets.slo.durations import prom_duration
from assets.slo.ops import ALERTNAMES, SERVICE, OpsConfig
from assets.slo.rules import render_rules, to_yaml
from assets.slo.spec import SLO

DS = {"type": "prometheus", "uid": "${datasource}"}


def _sel(slo: SLO) -> str:
    return f'sloth_service="{slo.service}", sloth_slo="{slo.name}", tenant_id=~"$tenant"'


def _panel(
    pid: int,
    title: str,
    kind: str,
    exprs: list[tuple[str, str]],
    x: int,
    y: int,
    w: int,
    h: int,
    unit: str = "percentunit",
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    p: dict[str, Any] = {
        "id": pid,
        "type": kind,
        "title": title,
        "datasource": DS,
        "gridPos": {"x": x, "y": y, "w": w, "h": h},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "targets": [
            {"refId": chr(65 + i), "datasource": DS, "expr": e, "legendFormat": legend}
            for i, (e, legend) in enumerate(exprs)
        ],
    }
    p.update(extra or {})
    return p


def service_dashboard(service: str, slos: list[SLO]) -> dict[str, Any]:
    panels: list[dict[str, Any]] = []
    pid = 1
    y = 0
    for slo in slos:
        sel = _sel(slo)
        period = prom_duration(slo.period)
        panels.append(
            {
                "id": pid,
                "type": "row",
                "title": f"{slo.name} — objective {slo.objective:g}% over {period}",
                "gridPos": {"x": 0, "y": y, "w": 24, "h": 1},
                "collapsed": False,
                "panels": [],
            }
        )
        pid += 1
        y += 1
        panels.append(
            _panel(
                pid,
                "SLI over period",
                "stat",
                [(f"1 - slo:sli_error:ratio_rate{period}{{{sel}}}", "{{tenant_id}}")],
                0,
                y,
                6,
                6,
                extra={"options": {"reduceOptions": {"calcs": ["lastNotNull"]}}},
            )
        )
        pid += 1
        panels.append(
            _panel(
                pid,
                "Error budget remaining",
                "stat",
                [(f"slo:period_error_budget_remaining:ratio{{{sel}}}", "{{tenant_id}}")],
                6,
                y,
                6,
                6,
                extra={"options": {"reduceOptions": {"calcs": ["lastNotNull"]}}},
            )
        )
        pid += 1
        burn = [
            (
                f'slo:sli_error:ratio_rate{prom_duration(w)}{{{sel}}} / on(sloth_id, sloth_slo, sloth_service) group_left slo:error_budget:ratio{{sloth_service="{slo.service}", sloth_slo="{slo.name}"}}',
                f"{prom_duration(w)} {{{{tenant_id}}}}",
            )
            for w in slo.windows.distinct_windows()
        ]
        thresholds = {
            "thresholds": {
                "mode": "absolute",
                "steps": [{"color": "green", "value": None}]
                + [
                    {
                        "color": "orange" if p.severity == "ticket" else "red",
                        "value": p.factor(slo.period),
                    }
                    for p in slo.windows.pairs[:1] + slo.windows.pairs[2:3]
                ],
            }
        }
        panels.append(
            _panel(
                pid,
                "Burn rate by window",
                "timeseries",
                burn,
                12,
                y,
                12,
                6,
                unit="none",
                extra={
                    "fieldConfig": {
                        "defaults": {
                            "unit": "none",
                            **thresholds,
                            "custom": {"thresholdsStyle": {"mode": "line"}},
                        },
                        "overrides": [],
                    }
                },
            )
        )
        pid += 1
        y += 6
        panels.append(
            _panel(
                pid,
                "Error ratio (5m, 1h, 6h)",
                "timeseries",
                [
                    (
                        f"slo:sli_error:ratio_rate{prom_duration(w)}{{{sel}}}",
                        f"{prom_duration(w)} {{{{tenant_id}}}}",
                    )
                    for w in slo.windows.distinct_windows()[:4]
                ],
                0,
                y,
                12,
                6,
            )
        )
        pid += 1
        panels.append(
            {
                "id": pid,
                "type": "alertlist",
                "title": "Firing SLO alerts",
                "gridPos": {"x": 12, "y": y, "w": 12, "h": 6},
                "options": {
                    "alertName": slo.alert_name,
                    "stateFilter": {"firing": True, "pending": True},
                    "showOptions": "current",
                },
            }
        )
        pid += 1
        y += 6
    return {
        "uid": f"gonogo-slo-{service}"[:40],
        "title": f"gonogo SLOs — {service}",
        "tags": ["gonogo", "slo", service],
        "timezone": "utc",
        "schemaVersion": 39,
        "version": 1,
        "editable": True,
        "time": {"from": "now-7d", "to": "now"},
        "refresh": "1m",
        "templating": {
            "list": [
                {"name": "datasource", "type": "datasource", "query": "prometheus", "current": {}},
                {
                    "name": "tenant",
                    "type": "query",
                    "datasource": DS,
                    "query": f'label_values(slo:sli_error:ratio_rate5m{{sloth_service="{service}"}}, tenant_id)',
                    "includeAll": True,
                    "multi": True,
                    "allValue": ".*",
                    "current": {"text": "All", "value": "$__all"},
                    "refresh": 2,
                },
            ]
        },
        "annotations": {"list": []},
        "panels": panels,
    }


def operations_dashboard() -> dict[str, Any]:
    """Tool calls, policy decisions, sandbox limits, latency, queues and workers (WS3.S2)."""
    t = 'tenant_id=~"$tenant"'
    specs: list[tuple[str, list[tuple[str, str]], str]] = [
        (
            "Tool calls by decision",
            [(f"sum by (decision) (rate(gonogo_tool_calls_total{{{t}}}[5m]))", "{{decision}}")],
            "reqps",
        ),
        (
            "Tool calls by outcome",
            [(f"sum by (outcome) (rate(gonogo_tool_calls_total{{{t}}}[5m]))", "{{outcome}}")],
            "reqps",
        ),
        (
            "Policy decisions by tool",
            [
                (
                    f"sum by (tool, decision) (rate(gonogo_policy_decisions_total{{{t}}}[5m]))",
                    "{{tool}} {{decision}}",
                )
            ],
            "reqps",
        ),
        (
            "Denial ratio",
            [
                (
                    f'sum by (tenant_id) (rate(gonogo_tool_calls_total{{decision="deny",{t}}}[1h])) / sum by (tenant_id) (rate(gonogo_tool_calls_total{{{t}}}[1h]))',
                    "{{tenant_id}}",
                )
            ],
            "percentunit",
        ),
        (
            "Sandbox limits hit",
            [
                (
                    f'sum by (tenant_id, tool) (rate(gonogo_tool_calls_total{{outcome=~"limit|killed|timeout",{t}}}[5m]))',
                    "{{tenant_id}} {{tool}}",
                )
            ],
            "reqps",
        ),
        (
            "Tool call latency p50 / p99",
            [
                (
                    f"histogram_quantile(0.5, sum by (le, tool) (rate(gonogo_tool_call_duration_seconds_bucket{{{t}}}[5m])))",
                    "p50 {{tool}}",
                ),
                (
                    f"histogram_quantile(0.99, sum by (le, tool) (rate(gonogo_tool_call_duration_seconds_bucket{{{t}}}[5m])))",
                    "p99 {{tool}}",
                ),
            ],
            "s",
        ),
        (
            "Queue lag",
            [
                (
                    f"max by (tenant_id, queue) (gonogo_queue_lag_seconds{{{t}}})",
                    "{{tenant_id}} {{queue}}",
                )
            ],
            "s",
        ),
        (
            "Seconds since worker heartbeat",
            [
                (
                    f"time() - max by (instance) (max_over_time(gonogo_worker_heartbeat_timestamp_seconds{{{t}}}[1d]))",
                    "{{tenant_id}} {{worker}}",
                )
            ],
            "s",
        ),
    ]
    panels = [
        _panel(i + 1, title, "timeseries", exprs, (i % 2) * 12, (i // 2) * 8, 12, 8, unit=unit)
        for i, (title, exprs, unit) in enumerate(specs)
    ]
    panels.append(
        {
            "id": len(panels) + 1,
            "type": "alertlist",
            "title": "Firing gonogo alerts",
            "gridPos": {"x": 0, "y": (len(specs) // 2) * 8, "w": 24, "h": 6},
            "options": {"stateFilter": {"firing": True, "pending": True}, "showOptions": "current"},
        }
    )
    return {
        "uid": "gonogo-operations",
        "title": "gonogo — operations",
        "tags": ["gonogo", "operations"],
        "timezone": "utc",
        "schemaVersion": 39,
        "version": 1,
        "editable": True,
        "time": {"from": "now-24h", "to": "now"},
        "refresh": "1m",
        "templating": {
            "list": [
                {"name": "datasource", "type": "datasource", "query": "prometheus", "current": {}},
                {
                    "name": "tenant",
                    "type": "query",
                    "datasource": DS,
                    "query": "label_values(gonogo_tool_calls_total, tenant_id)",
                    "includeAll": True,
                    "multi": True,
                    "allValue": ".*",
                    "current": {"text": "All", "value": "$__all"},
                    "refresh": 2,
                },
            ]
        },
        "annotations": {"list": []},
        "panels": panels,
    }


def ops_rule_groups(cfg: OpsConfig) -> dict[str, Any]:
    """Prometheus twins of the operational alerts (same alertnames and labels as gonogo sends).

    The labels are the alert's identity and never change while it fires (no burn tier);
    runbook URLs are absolute. The SLI-source alert has no twin: Prometheus cannot tell that
    it is down itself (that is Alertmanager's dead man's switch).
    """

    def rule(
        key: str,
        expr: str,
        sev: str,
        runbook: str,
        summary: str,
        hold: str | None = None,
    ) -> dict[str, Any]:
        slo, _, subject = key.partition("/")
        labels = {"severity": sev, "service": SERVICE, "slo": slo, "source": "gonogo"}
        if subject:
            labels["subject"] = subject
        r: dict[str, Any] = {
            "alert": ALERTNAMES[key],
            "expr": expr,
            "labels": labels,
            "annotations": {"summary": summary, "runbook_url": cfg.runbook(runbook)},
        }
        if hold:
            r["for"] = hold
        return r

    w, b = prom_duration(cfg.band_window), prom_duration(cfg.band_baseline)
    deny = f'sum by (tenant_id) (increase(gonogo_tool_calls_total{{decision="deny"}}[{w}])) / sum by (tenant_id) (increase(gonogo_tool_calls_total[{w}]))'
    base = f'sum by (tenant_id) (increase(gonogo_tool_calls_total{{decision="deny"}}[{b}] offset {w})) / sum by (tenant_id) (increase(gonogo_tool_calls_total[{b}] offset {w}))'
    conn_w = prom_duration(cfg.conn_window)
    remember = prom_duration(cfg.hb_remember)
    return {
        "groups": [
            {
                "name": "gonogo-operational",
                "rules": [
                    rule(
                        "queue-lag",
                        f"max by (tenant_id, queue) (gonogo_queue_lag_seconds) > {cfg.queue_max_seconds:g}",
                        cfg.queue_severity,
                        cfg.queue_runbook,
                        "queue {{$labels.queue}} of tenant {{$labels.tenant_id}} lags {{$value}}s",
                        prom_duration(cfg.queue_for),
                    ),
                    # A dead worker's series goes stale at once (its scrape fails), so the
                    # newest heartbeat is taken over the remembered window, not the instant
                    # vector; per scrape target, so a restarted worker (new pid) on the same
                    # target clears it; only while the target is still scraped (`up` present),
                    # so a target taken out of service is not paged about.
                    rule(
                        "worker-heartbeat",
                        f"(time() - max by (tenant_id, job, instance) (max_over_time(gonogo_worker_heartbeat_timestamp_seconds[{remember}])) > {cfg.hb_max_silence.total_seconds():g}) "
                        "and on (job, instance) max by (job, instance) (up)",
                        cfg.hb_severity,
                        cfg.hb_runbook,
                        "no heartbeat from {{$labels.instance}} ({{$labels.job}}) for {{$value | humanizeDuration}}",
                    ),
                    rule(
                        "connector-failure",
                        f'(sum by (tenant_id) (increase(gonogo_tool_calls_total{{tool="connector",decision="allow",outcome!="success"}}[{conn_w}])) '
                        f'/ sum by (tenant_id) (increase(gonogo_tool_calls_total{{tool="connector",decision="allow"}}[{conn_w}])) > {cfg.conn_max_ratio:g}) '
                        f'and on (tenant_id) sum by (tenant_id) (increase(gonogo_tool_calls_total{{tool="connector",decision="allow"}}[{conn_w}])) >= {cfg.conn_min_events}',
                        cfg.conn_severity,
                        cfg.conn_runbook,
                        "connector failures of tenant {{$labels.tenant_id}} at {{$value}}",
                    ),
                    rule(
                        "denial-band/spike",
                        f"({deny}) > clamp_min({base}, {cfg.band_floor:g}) * {cfg.band_high:g}",
                        cfg.band_severity,
                        cfg.band_runbook,
                        "denial rate spike for tenant {{$labels.tenant_id}}",
                    ),
                    rule(
                        "denial-band/drop",
                        f"({deny}) < ({base}) * {cfg.band_low:g} and ({base}) >= {cfg.band_floor:g}",
                        cfg.band_severity,
                        cfg.band_runbook,
                        "denial rate drop for tenant {{$labels.tenant_id}} (policy may be bypassed)",
                    ),
                ],
            }
        ]
    }


def write_artifacts(
    slos: list[SLO], ops: OpsConfig, grafana_dir: Path, prom_dir: Path
) -> list[Path]:
    """Write one dashboard and one rule file per service, plus the operational rules."""
    by_service: dict[str, list[SLO]] = defaultdict(list)
    for s in slos:
        if s.has_prometheus:
            by_service[s.service].append(s)
    grafana_dir.mkdir(parents=True, exist_ok=True)
    prom_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for service, group in sorted(by_service.items()):
        d = grafana_dir / f"slo-{service}.json"
        d.write_text(json.dumps(service_dashboard(service, group), indent=2, sort_keys=True) + "\n")
        r = prom_dir / f"slo-{service}.rules.yml"
        r.write_text(render_rules(group, runbook_base=ops.runbook_base_url))
        written += [d, r]
    ops_dash = grafana_dir / "operations.json"
    ops_dash.write_text(json.dumps(operations_dashboard(), indent=2, sort_keys=True) + "\n")
    written.append(ops_dash)
    ops_file = prom_dir / "operational.rules.yml"
    ops_file.write_text(
        to_yaml(
            ops_rule_groups(ops),
            header="# Code generated by gonogo slo dashboards. DO NOT EDIT.\n\n",
        )
    )
    written.append(ops_file)
    return written
