"""Plotly figures of the readiness report (rendered as divs; the JS bundle is inlined once)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import plotly.offline

STATUS_COLORS = {
    "pass": "#1a7f37",
    "waived": "#6e7781",
    "warn": "#bf8700",
    "fail": "#cf222e",
    "error": "#8250df",
    "stale": "#d4a72c",
    "unknown": "#afb8c1",
}


# Colours of the words sections use for a state (schedule, milestones, probes, alerts, claims).
STATE_COLORS = {
    "done": "#1a7f37", "on track": "#1a7f37", "at risk": "#bf8700", "overdue": "#cf222e",
    "met": "#1a7f37", "met late": "#bf8700", "missed": "#cf222e", "open": "#0969da",
    "closed": "#1a7f37", "leak": "#cf222e",
    "ok": "#1a7f37", "firing": "#cf222e", "no_data": "#afb8c1", "insufficient_events": "#d4a72c",
    "supported": "#1a7f37", "unsupported": "#bf8700", "contradicted": "#cf222e",
    "yes": "#1a7f37", "no": "#cf222e",
}  # fmt: skip


@cache
def plotly_js() -> str:
    """The full plotly.js bundle shipped with the Python package: the report needs no network."""
    return str(plotly.offline.get_plotlyjs())


@cache
def plotly_js_sha256() -> str:
    """Hash of the inlined bundle; scanners can recognise the vendored code by it exactly."""
    return hashlib.sha256(plotly_js().encode()).hexdigest()


def _div(fig: go.Figure) -> str:
    return str(
        pio.to_html(
            fig,
            full_html=False,
            include_plotlyjs=False,
            config={"displayModeBar": False, "responsive": True},
        )
    )


def progress_figure(workstreams: Sequence[Mapping[str, Any]]) -> str:
    """Stacked bars: each workstream's exit criteria by status."""
    ids = [f"{w['id']} {w['title'][:28]}" for w in workstreams]
    fig = go.Figure()
    for status, color in STATUS_COLORS.items():
        fig.add_bar(
            name=status,
            y=ids,
            x=[w["progress"]["counts"].get(status, 0) for w in workstreams],
            orientation="h",
            marker_color=color,
        )
    fig.update_layout(
        barmode="stack",
        height=80 + 40 * len(ids),
        margin={"l": 10, "r": 10, "t": 30, "b": 30},
        title="Exit criteria by status",
        yaxis={"autorange": "reversed", "automargin": True},
        legend={"orientation": "h"},
    )
    return _div(fig)


def trend_figure(trend: Sequence[Mapping[str, Any]]) -> str:
    """Exit and gate criteria over the recorded evaluation runs."""
    x = [t["at"] for t in trend]
    fig = go.Figure()
    for key, color in (
        ("pass", "pass"),
        ("failing", "fail"),
        ("unknown", "unknown"),
        ("warn", "warn"),
        ("waived", "waived"),
    ):
        fig.add_scatter(
            name=key,
            x=x,
            y=[t[key] for t in trend],
            mode="lines+markers",
            line_color=STATUS_COLORS[color],
        )
    fig.update_layout(
        height=300, margin={"l": 10, "r": 10, "t": 30, "b": 30}, title="Criteria over time"
    )
    return _div(fig)


def slo_burndown_figure(slo: Mapping[str, Any]) -> str:
    """Error budget left over the SLO's period so far, one line per tenant (and SLI source)."""
    fig = go.Figure()
    sources = {r["source"] for r in slo["rows"]}
    for row in slo["rows"]:
        points = [p for p in row["burndown"] if p["budget_remaining"] is not None]
        name = row["tenant_id"] + (f" ({row['source']})" if len(sources) > 1 else "")
        fig.add_scatter(
            name=name,
            x=[p["at"] for p in points],
            y=[p["budget_remaining"] for p in points],
            mode="lines+markers",
            hovertemplate="%{y:.2f}% of the budget left at %{x}<extra>" + name + "</extra>",
        )
    fig.add_hline(y=0, line_dash="dot", line_color=STATUS_COLORS["fail"])
    fig.update_layout(
        height=260,
        margin={"l": 10, "r": 10, "t": 30, "b": 30},
        title=f"{slo['service']}/{slo['name']}: error budget left (%)",
        yaxis={"ticksuffix": "%", "automargin": True},
        legend={"orientation": "h"},
    )
    return _div(fig)


def interval_figure(measure: Mapping[str, Any]) -> str:
    """One measure across agents: the estimate with its 95 % interval (error bars)."""
    points = [p for p in measure["points"] if p["value"] is not None]
    fig = go.Figure()
    fig.add_scatter(
        x=[p["value"] for p in points],
        y=[p["label"] + (" (demo)" if p["is_demo"] else "") for p in points],
        mode="markers",
        marker={"size": 10, "color": STATUS_COLORS["waived"]},
        error_x={
            "type": "data",
            "symmetric": False,
            "array": [(p["ci_hi"] - p["value"]) if p["ci_hi"] is not None else 0 for p in points],
            "arrayminus": [
                (p["value"] - p["ci_lo"]) if p["ci_lo"] is not None else 0 for p in points
            ],
        },
        customdata=[[p["ci_lo"], p["ci_hi"], p["n"], p["run_id"]] for p in points],
        hovertemplate="%{x:.4g} [%{customdata[0]:.4g}, %{customdata[1]:.4g}] n=%{customdata[2]} "
        "run %{customdata[3]}<extra></extra>",
        showlegend=False,
    )
    if measure["kind"] == "pair":
        fig.add_vline(x=0, line_dash="dot", line_color=STATUS_COLORS["unknown"])
    fig.update_layout(
        height=90 + 36 * len(points),
        margin={"l": 10, "r": 10, "t": 30, "b": 30},
        title=measure["title"] + " — 95 % interval",
        yaxis={"autorange": "reversed", "automargin": True},
    )
    return _div(fig)


# The figures section partials may draw: ``{{ figure.slo_burndown(slo)|safe }}``.
FIGURES = {"slo_burndown": slo_burndown_figure, "intervals": interval_figure}
