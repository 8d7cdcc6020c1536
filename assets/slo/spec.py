"""SLO specs as data: Sloth ``prometheus/v1``, OpenSLO ``v1`` / ``v1alpha`` and Pyrra documents.

Every document becomes one or more :class:`SLO` values. Loading validates everything the
alerting needs (objective, period, window pairs, queries) and refuses with a
:class:`SpecError` that names the file and the YAML path of the problem.

gonogo extension (ignored by Sloth): a top-level or per-SLO ``gonogo:`` mapping with
``period``, ``calendar``, ``min_events``, ``runbook_url``, ``windows`` (google | pyrra) and the
embedded-default SLI source ``duckdb`` (filters over ``tool_calls``) plus ``prometheus_counters``
(cumulative counter expressions, for exact per-minute counts from Prometheus).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from assets.slo.durations import DurationError, parse_duration
from assets.slo.windows import (
    AlertWindows,
    WindowsError,
    google_windows,
    load_alert_windows,
    pyrra_windows,
    window_problems,
)
from enforcement_agent import bounded_yaml

_WINDOW_TPL = re.compile(r"\{\{\s*\.window\s*\}\}")
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
DEFAULT_MIN_EVENTS = 10
DEFAULT_PERIOD = timedelta(days=30)

# Columns of ``tool_calls`` an SLI filter may name, with the Python types they accept.
FILTER_COLUMNS: dict[str, tuple[type, ...]] = {
    "tool": (str,),
    "decision": (str,),
    "outcome": (str,),
    "rule": (str,),
    "role": (str,),
    "actor": (str,),
    "sandbox_layer": (str,),
    "limit_hit": (str,),
    "destructive": (bool,),
    "truncated": (bool,),
    "is_demo": (bool,),
    "exit_code": (int,),
    "duration_ms": (int, float),
    "bytes_out": (int,),
}
# Tables an SLI may count rows of (each row has ``tenant_id`` and ``ts``), and their columns:
# ``span_ledger`` holds one row per recorded tool call whose span must reach the store.
SLI_TABLES: dict[str, dict[str, tuple[type, ...]]] = {
    "tool_calls": FILTER_COLUMNS,
    "span_ledger": {"state": (str,)},
}
_OPS = {"eq": "=", "ne": "<>", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}


class SpecError(ValueError):
    """A spec that cannot be used. ``str()`` is ``file: path: reason``."""

    def __init__(self, file: str, path: str, reason: str) -> None:
        self.file, self.path, self.reason = file, path, reason
        super().__init__(f"{file}: {path}: {reason}")


@dataclass(frozen=True)
class AlertMeta:
    disabled: bool = False
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RowFilter:
    """A conjunction of column conditions over ``tool_calls``, compiled to parameterised SQL."""

    conditions: tuple[tuple[str, str, tuple[Any, ...]], ...] = ()

    def sql(self) -> tuple[str, list[Any]]:
        if not self.conditions:
            return "TRUE", []
        parts: list[str] = []
        params: list[Any] = []
        for col, op, values in self.conditions:
            if op in ("in", "not_in"):
                marks = ", ".join("?" for _ in values)
                parts.append(f"{col} {'NOT IN' if op == 'not_in' else 'IN'} ({marks})")
                params.extend(values)
            else:
                parts.append(f"{col} {_OPS[op]} ?")
                params.append(values[0])
        # NULL columns never match a condition, so "not in" stays a plain filter.
        return " AND ".join(f"coalesce({p}, FALSE)" for p in parts), params


@dataclass(frozen=True)
class DuckDBSLI:
    """Events counted from ``tool_calls``: ``total`` rows, of which ``bad`` rows are errors."""

    total: RowFilter
    bad: RowFilter
    table: str = "tool_calls"


@dataclass(frozen=True)
class SLO:
    """One objective, whatever document it came from."""

    id: str
    name: str
    service: str
    objective: float  # percent, e.g. 99.9
    period: timedelta
    windows: AlertWindows
    description: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    error_query: str | None = None  # Sloth events SLI (templated with {{.window}})
    total_query: str | None = None
    error_ratio_query: str | None = None  # Sloth raw SLI / OpenSLO good-total mapping
    duckdb: DuckDBSLI | None = None
    counter_bad: str | None = None  # cumulative counters for exact per-minute Prometheus counts
    counter_total: str | None = None
    alert_name: str = "ErrorBudgetBurn"
    alert_labels: Mapping[str, str] = field(default_factory=dict)
    alert_annotations: Mapping[str, str] = field(default_factory=dict)
    page: AlertMeta = field(default_factory=AlertMeta)
    ticket: AlertMeta = field(default_factory=AlertMeta)
    calendar: str | None = None  # None = rolling; else "month" | "week" | "day"
    calendar_start: datetime | None = None
    calendar_tz: str = "UTC"
    budgeting: str = "Occurrences"
    # Timeslices: a minute is a good slice when its own good ratio reaches this target.
    timeslice_target: float | None = None
    min_events: int = DEFAULT_MIN_EVENTS
    runbook_url: str = ""
    spec_version: str = "prometheus/v1"
    source_file: str = ""

    @property
    def objective_ratio(self) -> float:
        return self.objective / 100

    @property
    def error_budget(self) -> float:
        # Same float expression as Sloth, so thresholds print identically.
        return (100 - self.objective) / 100

    @property
    def has_prometheus(self) -> bool:
        return self.error_ratio_query is not None or self.error_query is not None

    def severities(self) -> list[str]:
        return [s for s, m in (("page", self.page), ("ticket", self.ticket)) if not m.disabled]


@dataclass(frozen=True)
class SpecSet:
    """Everything loaded from one or more files."""

    slos: list[SLO]
    operational: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------------------
# helpers


class _Ctx:
    def __init__(self, file: str, doc_index: int) -> None:
        self.file = file
        self.prefix = f"doc[{doc_index}]"

    def err(self, path: str, reason: str) -> SpecError:
        return SpecError(self.file, f"{self.prefix}.{path}" if path else self.prefix, reason)


def _mapping(ctx: _Ctx, node: Any, path: str, required: bool = True) -> dict[str, Any]:
    if node is None and not required:
        return {}
    if not isinstance(node, dict):
        raise ctx.err(path, "expected a mapping")
    return node


def _str_map(ctx: _Ctx, node: Any, path: str) -> dict[str, str]:
    m = _mapping(ctx, node, path, required=False)
    out: dict[str, str] = {}
    for k, v in m.items():
        if isinstance(v, dict | list) or v is None:
            raise ctx.err(f"{path}.{k}", "expected a string value")
        out[str(k)] = str(v)
    return out


def _duration(ctx: _Ctx, value: Any, path: str) -> timedelta:
    try:
        return parse_duration(value)
    except DurationError as e:
        raise ctx.err(path, str(e)) from None


def _query(ctx: _Ctx, node: Mapping[str, Any], key: str, path: str, templated: bool) -> str:
    q = node.get(key)
    if not isinstance(q, str) or not q.strip():
        raise ctx.err(f"{path}.{key}", "query is required")
    if templated and not _WINDOW_TPL.search(q):
        raise ctx.err(f"{path}.{key}", "query has no {{.window}} placeholder")
    return q


def _filter(ctx: _Ctx, node: Any, path: str, table: str = "tool_calls") -> RowFilter:
    m = _mapping(ctx, node, path, required=False)
    conds: list[tuple[str, str, tuple[Any, ...]]] = []
    columns = SLI_TABLES[table]
    for col, cond in m.items():
        if col not in columns:
            allowed = ", ".join(sorted(columns))
            raise ctx.err(f"{path}.{col}", f"unknown {table} column (allowed: {allowed})")
        types = columns[col]
        items = cond.items() if isinstance(cond, dict) else [("eq", cond)]
        for op, value in items:
            if isinstance(value, list) and op == "eq":
                op = "in"
            if op not in _OPS and op not in ("in", "not_in"):
                raise ctx.err(
                    f"{path}.{col}.{op}", "unknown operator (eq ne gt ge lt le in not_in)"
                )
            values = tuple(value) if isinstance(value, list) else (value,)
            if not values:
                raise ctx.err(f"{path}.{col}.{op}", "empty list")
            for v in values:
                ok = isinstance(v, types) and not (isinstance(v, bool) and bool not in types)
                if not ok:
                    raise ctx.err(f"{path}.{col}.{op}", f"value {v!r} has the wrong type")
            conds.append((col, op, values))
    return RowFilter(tuple(conds))


_EXT_KEYS = frozenset(
    {
        "period",
        "calendar",
        "min_events",
        "runbook_url",
        "windows",
        "duckdb",
        "prometheus_counters",
        "timeslice_target",
    }
)


def _gonogo_ext(ctx: _Ctx, node: Any, path: str, base: dict[str, Any]) -> dict[str, Any]:
    mine = _mapping(ctx, node, path, required=False)
    for key in mine:
        if key not in _EXT_KEYS:
            # A typo ("perod") must not silently fall back to a default.
            raise ctx.err(
                f"{path}.{key}", f"unknown setting (expected one of {', '.join(sorted(_EXT_KEYS))})"
            )
    ext = dict(base)
    ext.update(mine)
    return ext


def _finish(ctx: _Ctx, path: str, slo: SLO) -> SLO:
    """Whole-SLO validation: objective, windows, and an SLI that something can compute."""
    if not _NAME_RE.match(slo.name):
        raise ctx.err(f"{path}.name", f"invalid SLO name {slo.name!r}")
    if not 0 < slo.objective < 100:
        reason = (
            "objective 100 leaves no error budget, so no burn-rate alert can ever fire"
            if slo.objective == 100
            else f"objective must be in (0, 100) percent, got {slo.objective:g}"
        )
        raise ctx.err(f"{path}.objective", reason)
    if slo.severities():
        problems = window_problems(slo.windows, slo.error_budget)
        if problems:
            raise ctx.err(f"{path}.alerting", "; ".join(problems))
    elif slo.windows.period < slo.windows.page_quick.short:
        raise ctx.err(f"{path}.period", "period is shorter than the shortest SLI window")
    if slo.budgeting == "RatioTimeslices" and slo.duckdb is not None:
        raise ctx.err(
            f"{path}.budgetingMethod",
            "RatioTimeslices is not supported; use Occurrences or Timeslices",
        )
    if slo.min_events < 1:
        raise ctx.err(f"{path}.gonogo.min_events", "must be >= 1")
    if not (slo.has_prometheus or slo.duckdb):
        raise ctx.err(f"{path}.sli", "no SLI source: give a Prometheus query or gonogo.duckdb")
    return slo


def _apply_ext(
    ctx: _Ctx,
    path: str,
    ext: Mapping[str, Any],
    kw: dict[str, Any],
    windows_docs: dict[timedelta, AlertWindows],
) -> None:
    """Fold the gonogo extension (period, calendar, sources, runbook) into SLO kwargs."""
    if "period" in ext:
        kw["period"] = _duration(ctx, ext["period"], f"{path}.gonogo.period")
    if "calendar" in ext:
        cal = ext["calendar"]
        if cal not in ("month", "week", "day"):
            raise ctx.err(f"{path}.gonogo.calendar", "expected month, week or day")
        kw["calendar"] = cal
    if "min_events" in ext:
        v = ext["min_events"]
        if not isinstance(v, int) or isinstance(v, bool):
            raise ctx.err(f"{path}.gonogo.min_events", "expected an integer")
        kw["min_events"] = v
    if "runbook_url" in ext:
        kw["runbook_url"] = str(ext["runbook_url"])
    if "timeslice_target" in ext:
        kw["budgeting"] = "Timeslices"
        kw["timeslice_target"] = _timeslice(
            ctx, {"timeSliceTarget": ext["timeslice_target"]}, f"{path}.gonogo.timeslice_target"
        )
    if "duckdb" in ext:
        d = _mapping(ctx, ext["duckdb"], f"{path}.gonogo.duckdb")
        table = d.get("table", "tool_calls")
        if table not in SLI_TABLES:
            raise ctx.err(
                f"{path}.gonogo.duckdb.table", f"one of {', '.join(sorted(SLI_TABLES))} expected"
            )
        kw["duckdb"] = DuckDBSLI(
            total=_filter(ctx, d.get("total"), f"{path}.gonogo.duckdb.total", table),
            bad=_filter(ctx, d.get("bad"), f"{path}.gonogo.duckdb.bad", table),
            table=table,
        )
    if "prometheus_counters" in ext:
        c = _mapping(ctx, ext["prometheus_counters"], f"{path}.gonogo.prometheus_counters")
        kw["counter_bad"] = _query(ctx, c, "bad", f"{path}.gonogo.prometheus_counters", False)
        kw["counter_total"] = _query(ctx, c, "total", f"{path}.gonogo.prometheus_counters", False)
    period = kw.get("period", DEFAULT_PERIOD)
    profile = ext.get("windows", "google")
    if period in windows_docs and profile == "google":
        kw["windows"] = windows_docs[period]
    elif profile == "pyrra":
        kw["windows"] = pyrra_windows(period)
    elif profile == "google":
        kw["windows"] = google_windows(period)
    else:
        raise ctx.err(f"{path}.gonogo.windows", "expected google or pyrra")


def _alert_meta(ctx: _Ctx, node: Any, path: str) -> AlertMeta:
    m = _mapping(ctx, node, path, required=False)
    return AlertMeta(
        disabled=bool(m.get("disable", False)),
        labels=_str_map(ctx, m.get("labels"), f"{path}.labels"),
        annotations=_str_map(ctx, m.get("annotations"), f"{path}.annotations"),
    )


# --------------------------------------------------------------------------------------
# document loaders


def _load_sloth(ctx: _Ctx, doc: dict[str, Any], wdocs: dict[timedelta, AlertWindows]) -> list[SLO]:
    service = doc.get("service")
    if not isinstance(service, str) or not _NAME_RE.match(service):
        raise ctx.err("service", "a service name is required")
    svc_labels = _str_map(ctx, doc.get("labels"), "labels")
    top_ext = _mapping(ctx, doc.get("gonogo"), "gonogo", required=False)
    slos_node = doc.get("slos")
    if not isinstance(slos_node, list) or not slos_node:
        raise ctx.err("slos", "at least one SLO is required")
    out: list[SLO] = []
    seen: set[str] = set()
    for i, node in enumerate(slos_node):
        path = f"slos[{i}]"
        s = _mapping(ctx, node, path)
        name = s.get("name")
        if not isinstance(name, str):
            raise ctx.err(f"{path}.name", "a name is required")
        if name in seen:
            raise ctx.err(f"{path}.name", f"duplicate SLO name {name!r}")
        seen.add(name)
        try:
            objective = float(s.get("objective"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ctx.err(f"{path}.objective", "a number (percent) is required") from None
        sli = _mapping(ctx, s.get("sli"), f"{path}.sli", required=False)
        kw: dict[str, Any] = {}
        if "events" in sli:
            ev = _mapping(ctx, sli["events"], f"{path}.sli.events")
            kw["error_query"] = _query(ctx, ev, "error_query", f"{path}.sli.events", True)
            kw["total_query"] = _query(ctx, ev, "total_query", f"{path}.sli.events", True)
        elif "raw" in sli:
            raw = _mapping(ctx, sli["raw"], f"{path}.sli.raw")
            kw["error_ratio_query"] = _query(ctx, raw, "error_ratio_query", f"{path}.sli.raw", True)
        elif "plugin" in sli:
            raise ctx.err(f"{path}.sli.plugin", "Sloth SLI plugins are not supported")
        alerting = _mapping(ctx, s.get("alerting"), f"{path}.alerting", required=False)
        page = _alert_meta(ctx, alerting.get("page_alert"), f"{path}.alerting.page_alert")
        ticket = _alert_meta(ctx, alerting.get("ticket_alert"), f"{path}.alerting.ticket_alert")
        ext = _gonogo_ext(ctx, s.get("gonogo"), f"{path}.gonogo", top_ext)
        _apply_ext(ctx, path, ext, kw, wdocs)
        kw.setdefault("period", DEFAULT_PERIOD)
        slo = SLO(
            id=f"{service}-{name}",
            name=name,
            service=service,
            objective=objective,
            description=str(s.get("description", "")),
            labels={**svc_labels, **_str_map(ctx, s.get("labels"), f"{path}.labels")},
            alert_name=str(alerting.get("name") or "ErrorBudgetBurn"),
            alert_labels=_str_map(ctx, alerting.get("labels"), f"{path}.alerting.labels"),
            alert_annotations=_str_map(
                ctx, alerting.get("annotations"), f"{path}.alerting.annotations"
            ),
            page=page,
            ticket=ticket,
            spec_version="prometheus/v1",
            source_file=ctx.file,
            **kw,
        )
        out.append(_finish(ctx, path, slo))
    return out


_OPENSLO_UNITS = {"m": "m", "h": "h", "d": "d", "w": "w"}


def _openslo_duration(ctx: _Ctx, value: Any, path: str) -> tuple[timedelta | None, str | None]:
    """OpenSLO shorthand: m minutes, h, d, w, M months, Q quarters, Y years."""
    s = str(value)
    m = re.match(r"^(\d+)([mhdwMQY])$", s)
    if not m:
        raise ctx.err(path, f"invalid OpenSLO duration {value!r}")
    n, unit = int(m.group(1)), m.group(2)
    if unit == "M" and n == 1:
        return None, "month"
    if unit in ("M", "Q", "Y"):
        raise ctx.err(path, f"calendar duration {value!r} is not supported (use 1M, 1w or 1d)")
    return parse_duration(f"{n}{_OPENSLO_UNITS[unit]}"), None


def _openslo_head(
    ctx: _Ctx, doc: dict[str, Any], window_key: str
) -> tuple[dict[str, Any], dict[str, Any], str, str, dict[str, Any]]:
    """metadata, spec, name, service and the one time window of an OpenSLO SLO document
    (``timeWindows`` in v1alpha, ``timeWindow`` in v1)."""
    meta = _mapping(ctx, doc.get("metadata"), "metadata")
    spec = _mapping(ctx, doc.get("spec"), "spec")
    name, service = meta.get("name"), spec.get("service")
    if not isinstance(name, str) or not isinstance(service, str):
        raise ctx.err("metadata.name", "metadata.name and spec.service are required")
    tws = spec.get(window_key)
    if not isinstance(tws, list) or len(tws) != 1:
        raise ctx.err(f"spec.{window_key}", "exactly one time window is required")
    tw = _mapping(ctx, tws[0], f"spec.{window_key}[0]")
    return meta, spec, name, service, tw


def _load_openslo_v1alpha(
    ctx: _Ctx, doc: dict[str, Any], wdocs: dict[timedelta, AlertWindows]
) -> list[SLO]:
    meta, spec, name, service, tw = _openslo_head(ctx, doc, "timeWindows")
    unit = str(tw.get("unit", "")).lower()
    units = {"day": "d", "week": "w", "hour": "h", "minute": "m"}
    if unit not in units or not isinstance(tw.get("count"), int):
        raise ctx.err("spec.timeWindows[0]", "count and unit (Day, Week, Hour) are required")
    period = _duration(ctx, f"{tw['count']}{units[unit]}", "spec.timeWindows[0]")
    objectives = spec.get("objectives")
    if not isinstance(objectives, list) or not objectives:
        raise ctx.err("spec.objectives", "at least one objective is required")
    out: list[SLO] = []
    for i, node in enumerate(objectives):
        path = f"spec.objectives[{i}]"
        o = _mapping(ctx, node, path)
        rm = _mapping(ctx, o.get("ratioMetrics"), f"{path}.ratioMetrics")
        good = _mapping(ctx, rm.get("good"), f"{path}.ratioMetrics.good")
        total = _mapping(ctx, rm.get("total"), f"{path}.ratioMetrics.total")
        gq = _query(ctx, good, "query", f"{path}.ratioMetrics.good", True)
        tq = _query(ctx, total, "query", f"{path}.ratioMetrics.total", True)
        target = o.get("target")
        if not isinstance(target, int | float) or isinstance(target, bool):
            raise ctx.err(f"{path}.target", "a ratio in (0, 1) is required")
        kw: dict[str, Any] = {"period": period}
        _apply_ext(ctx, path, {"period": f"{int(period.total_seconds())}s"}, kw, wdocs)
        slo = SLO(
            id=f"{service}-{name}-{i}",
            name=f"{name}-{i}",
            service=service,
            objective=float(target) * 100,
            description=str(spec.get("description", "")),
            error_ratio_query=_openslo_raw(gq, tq),
            # Sloth maps OpenSLO v1alpha to SLOs without alerts.
            page=AlertMeta(disabled=True),
            ticket=AlertMeta(disabled=True),
            spec_version="openslo/v1alpha",
            source_file=ctx.file,
            **kw,
        )
        out.append(_finish(ctx, path, slo))
    return out


def _openslo_raw(good: str, total: str) -> str:
    # Byte-identical to Sloth's errorRatioRawQueryTpl so generated rules match its output.
    return f"\n  1 - (\n    (\n      {good}\n    )\n    /\n    (\n      {total}\n    )\n  )\n"


def _metric_query(ctx: _Ctx, node: Any, path: str) -> str | None:
    m = _mapping(ctx, node, path)
    ms = _mapping(ctx, m.get("metricSource"), f"{path}.metricSource")
    q = _mapping(ctx, ms.get("spec"), f"{path}.metricSource.spec", required=False).get("query")
    if str(ms.get("type", "")).lower() != "prometheus":
        return None  # other sources are fine to load, but generate no Prometheus rules
    if not isinstance(q, str) or not _WINDOW_TPL.search(q):
        raise ctx.err(
            f"{path}.metricSource.spec.query", "a PromQL query with {{.window}} is required"
        )
    return q


def _load_openslo_v1(
    ctx: _Ctx,
    doc: dict[str, Any],
    indicators: dict[str, dict[str, Any]],
    wdocs: dict[timedelta, AlertWindows],
) -> list[SLO]:
    meta, spec, name, service, tw = _openslo_head(ctx, doc, "timeWindow")
    period, calendar = _openslo_duration(ctx, tw.get("duration"), "spec.timeWindow[0].duration")
    rolling = tw.get("isRolling", True)
    kw: dict[str, Any] = {}
    if not rolling:
        cal = _mapping(ctx, tw.get("calendar"), "spec.timeWindow[0].calendar")
        kw["calendar_tz"] = str(cal.get("timeZone", "UTC"))
        start = cal.get("startTime")
        if start is not None:
            try:
                kw["calendar_start"] = datetime.fromisoformat(str(start))
            except ValueError:
                raise ctx.err("spec.timeWindow[0].calendar.startTime", "not a timestamp") from None
        if calendar is None:
            calendar = {timedelta(days=7): "week", timedelta(days=1): "day"}.get(period)  # type: ignore[arg-type]
            if calendar is None:
                raise ctx.err(
                    "spec.timeWindow[0].duration", "calendar windows must be 1M, 1w or 1d"
                )
        period = {"month": timedelta(days=30), "week": timedelta(days=7), "day": timedelta(days=1)}[
            calendar
        ]
        kw["calendar"] = calendar
    elif calendar is not None:
        raise ctx.err(
            "spec.timeWindow[0].duration", "1M is a calendar window; set isRolling: false"
        )
    assert period is not None
    ind = spec.get("indicator")
    if ind is None and isinstance(spec.get("indicatorRef"), str):
        ind = indicators.get(spec["indicatorRef"])
        if ind is None:
            raise ctx.err(
                "spec.indicatorRef", f"no SLI named {spec['indicatorRef']!r} in this file"
            )
    ind = _mapping(ctx, ind, "spec.indicator")
    ispec = _mapping(ctx, ind.get("spec"), "spec.indicator.spec")
    budgeting = str(spec.get("budgetingMethod", "Occurrences"))
    if budgeting not in ("Occurrences", "Timeslices", "RatioTimeslices"):
        raise ctx.err("spec.budgetingMethod", "expected Occurrences, Timeslices or RatioTimeslices")
    ratio_query: str | None = None
    if "ratioMetric" in ispec:
        rm = _mapping(ctx, ispec["ratioMetric"], "spec.indicator.spec.ratioMetric")
        total = _metric_query(ctx, rm.get("total"), "spec.indicator.spec.ratioMetric.total")
        if "good" in rm:
            good = _metric_query(ctx, rm.get("good"), "spec.indicator.spec.ratioMetric.good")
            if good and total:
                ratio_query = _openslo_raw(good, total)
        elif "bad" in rm:
            bad = _metric_query(ctx, rm.get("bad"), "spec.indicator.spec.ratioMetric.bad")
            if bad and total:
                ratio_query = f"({bad})\n/\n({total})\n"
        else:
            raise ctx.err("spec.indicator.spec.ratioMetric", "good or bad is required")
    elif "thresholdMetric" not in ispec:
        raise ctx.err("spec.indicator.spec", "ratioMetric or thresholdMetric is required")
    ext = _gonogo_ext(ctx, spec.get("gonogo"), "spec.gonogo", {})
    objectives = spec.get("objectives")
    if not isinstance(objectives, list) or not objectives:
        raise ctx.err("spec.objectives", "at least one objective is required")
    out: list[SLO] = []
    for i, node in enumerate(objectives):
        path = f"spec.objectives[{i}]"
        o = _mapping(ctx, node, path)
        if "target" in o:
            target = o["target"]
            if not isinstance(target, int | float) or isinstance(target, bool):
                raise ctx.err(f"{path}.target", "a ratio in (0, 1) is required")
            pct = float(target) * 100
        elif "targetPercent" in o:
            pct = float(o["targetPercent"])
        else:
            raise ctx.err(f"{path}", "target or targetPercent is required")
        okw = dict(kw)
        okw["period"] = period
        if budgeting == "Timeslices":
            okw["timeslice_target"] = _timeslice(ctx, o, path)
        _apply_ext(ctx, path, {**ext, "period": f"{int(period.total_seconds())}s"}, okw, wdocs)
        slo_name = name if len(objectives) == 1 else f"{name}-{i}"
        slo = SLO(
            id=f"{service}-{slo_name}",
            name=slo_name,
            service=service,
            objective=pct,
            description=str(spec.get("description", "")),
            error_ratio_query=ratio_query,
            budgeting=okw.pop("budgeting", budgeting),
            spec_version="openslo/v1",
            source_file=ctx.file,
            **okw,
        )
        if not slo.has_prometheus and not slo.duckdb:
            # A valid OpenSLO document for another backend: keep it, it just has no source here.
            out.append(slo)
            continue
        out.append(_finish(ctx, path, slo))
    return out


def _timeslice(ctx: _Ctx, o: Mapping[str, Any], path: str) -> float:
    """Timeslices are evaluated on the per-minute counts, so the slice must be one minute."""
    window = o.get("timeSliceWindow", "1m")
    if str(window) not in ("1m", "60s"):
        raise ctx.err(
            f"{path}.timeSliceWindow", "only 1m time slices are supported (per-minute counts)"
        )
    t = o.get("timeSliceTarget")
    if not isinstance(t, int | float) or isinstance(t, bool) or not 0 < t <= 1:
        raise ctx.err(f"{path}.timeSliceTarget", "a ratio in (0, 1] is required for Timeslices")
    return float(t)


def _pyrra_selector(ctx: _Ctx, node: Any, path: str) -> str:
    m = _mapping(ctx, node, path)
    metric = m.get("metric")
    if not isinstance(metric, str) or not metric:
        raise ctx.err(f"{path}.metric", "a metric selector is required")
    return metric


def _load_pyrra(ctx: _Ctx, doc: dict[str, Any]) -> list[SLO]:
    meta = _mapping(ctx, doc.get("metadata"), "metadata")
    spec = _mapping(ctx, doc.get("spec"), "spec")
    name = meta.get("name")
    if not isinstance(name, str):
        raise ctx.err("metadata.name", "a name is required")
    period = _duration(ctx, spec.get("window"), "spec.window")
    try:
        objective = float(spec.get("target"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ctx.err("spec.target", "a percentage string is required") from None
    ind = _mapping(ctx, spec.get("indicator"), "spec.indicator")
    if "ratio" in ind:
        r = _mapping(ctx, ind["ratio"], "spec.indicator.ratio")
        err = _pyrra_selector(ctx, r.get("errors"), "spec.indicator.ratio.errors")
        tot = _pyrra_selector(ctx, r.get("total"), "spec.indicator.ratio.total")
        error_q = f"sum(rate({err}[{{{{.window}}}}]))"
    elif "latency" in ind:
        r = _mapping(ctx, ind["latency"], "spec.indicator.latency")
        ok = _pyrra_selector(ctx, r.get("success"), "spec.indicator.latency.success")
        tot = _pyrra_selector(ctx, r.get("total"), "spec.indicator.latency.total")
        error_q = f"(sum(rate({tot}[{{{{.window}}}}])) - sum(rate({ok}[{{{{.window}}}}])))"
    else:
        raise ctx.err("spec.indicator", "ratio or latency is required")
    slo = SLO(
        id=f"{name}",
        name=name,
        service=str(meta.get("namespace", name)),
        objective=objective,
        period=period,
        windows=pyrra_windows(period),
        description=str(spec.get("description", "")),
        error_query=error_q,
        total_query=f"sum(rate({tot}[{{{{.window}}}}]))",
        labels={"slo": name},
        spec_version="pyrra/v1alpha1",
        source_file=ctx.file,
    )
    return [_finish(ctx, "spec", slo)]


def parse_documents(text: str, file: str = "<string>") -> SpecSet:
    """Parse every YAML document of ``text`` into SLOs (and operational-alert settings)."""
    try:
        docs = [d for d in bounded_yaml.load_all(text) if d is not None]
    except bounded_yaml.YAMLBoundsError as e:
        raise SpecError(file, "yaml", f"refused: {e}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "yaml"
        raise SpecError(file, where, f"invalid YAML: {getattr(e, 'problem', e)}") from None
    if not docs:
        raise SpecError(file, "", "no documents")
    wdocs: dict[timedelta, AlertWindows] = {}
    indicators: dict[str, dict[str, Any]] = {}
    # Windows and SLI definitions may come after the SLOs that use them: collect them first.
    for i, doc in enumerate(docs):
        ctx = _Ctx(file, i)
        if not isinstance(doc, dict):
            raise ctx.err("", "expected a mapping")
        if doc.get("kind") == "AlertWindows":
            try:
                w = load_alert_windows(doc)
            except WindowsError as e:
                raise ctx.err("", str(e)) from None
            wdocs[w.period] = w
        elif doc.get("apiVersion") == "openslo/v1" and doc.get("kind") == "SLI":
            nm = _mapping(ctx, doc.get("metadata"), "metadata").get("name")
            indicators[str(nm)] = doc
    slos: list[SLO] = []
    operational: dict[str, Any] = {}
    for i, doc in enumerate(docs):
        ctx = _Ctx(file, i)
        api, kind = doc.get("apiVersion"), doc.get("kind")
        if doc.get("version") == "prometheus/v1":
            slos += _load_sloth(ctx, doc, wdocs)
        elif api == "openslo/v1alpha" and kind == "SLO":
            slos += _load_openslo_v1alpha(ctx, doc, wdocs)
        elif api == "openslo/v1" and kind == "SLO":
            slos += _load_openslo_v1(ctx, doc, indicators, wdocs)
        elif api == "pyrra.dev/v1alpha1" and kind == "ServiceLevelObjective":
            slos += _load_pyrra(ctx, doc)
        elif api == "gonogo.dev/v1" and kind == "OperationalAlerts":
            operational = _mapping(ctx, doc.get("spec"), "spec")
        elif kind == "AlertWindows" or (api == "openslo/v1" and kind == "SLI"):
            continue
        else:
            raise ctx.err(
                "",
                f"unknown document (version={doc.get('version')!r} apiVersion={api!r} kind={kind!r})",
            )
    ids = [s.id for s in slos]
    dupes = sorted({x for x in ids if ids.count(x) > 1})
    if dupes:
        raise SpecError(file, "", f"duplicate SLO ids: {', '.join(dupes)}")
    return SpecSet(slos=slos, operational=operational)


def load_specs(path: str | Path) -> SpecSet:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise SpecError(str(p), "", f"cannot read: {e.strerror}") from None
    return parse_documents(text, str(p))
