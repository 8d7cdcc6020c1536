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
