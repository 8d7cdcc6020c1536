"""Multiwindow, multi-burn-rate alert windows (SRE workbook ch. 5; Sloth ``AlertWindows``).

A window pair says "page/ticket when X % of the period's error budget is consumed within the
long window, and the short window confirms it is still happening". The burn-rate factor is
derived exactly as Sloth does (``internal/alert/window.go``):

    factor = budget_percent * period_hours / 100 / long_window_hours

so 2 % in 1 h of a 30-day period gives 14.4, and the same percentages give Sloth's 28-day
factors (13.44, 5.6000000000000005, …) bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from assets.slo.durations import DurationError, parse_duration, prom_duration

TIERS = ("page-quick", "page-slow", "ticket-quick", "ticket-slow")


@dataclass(frozen=True)
class BurnWindow:
    """One window pair of one tier (e.g. page-quick: 2 % of budget over 1h, confirmed by 5m)."""

    tier: str
    budget_percent: float
    short: timedelta
    long: timedelta
    # Pyrra states the factor itself; keep it exact instead of recomputing it from a percentage.
    fixed_factor: float | None = None

    @property
    def severity(self) -> str:
        return self.tier.split("-", 1)[0]

    def factor(self, period: timedelta) -> float:
        if self.fixed_factor is not None:
            return self.fixed_factor
        hours_to_consume = self.budget_percent * (period.total_seconds() / 3600) / 100
        return hours_to_consume / (self.long.total_seconds() / 3600)


@dataclass(frozen=True)
class AlertWindows:
    """The four pairs for one SLO period."""

    period: timedelta
    page_quick: BurnWindow
    page_slow: BurnWindow
    ticket_quick: BurnWindow
    ticket_slow: BurnWindow
    source: str = "google"

    @property
    def pairs(self) -> tuple[BurnWindow, BurnWindow, BurnWindow, BurnWindow]:
        return (self.page_quick, self.page_slow, self.ticket_quick, self.ticket_slow)

    def for_severity(self, severity: str) -> tuple[BurnWindow, BurnWindow]:
        if severity == "page":
            return (self.page_quick, self.page_slow)
        return (self.ticket_quick, self.ticket_slow)

    def distinct_windows(self) -> list[timedelta]:
        """Sorted unique short and long windows (the SLI recording rules Sloth emits)."""
        return sorted({w for p in self.pairs for w in (p.short, p.long)})

    def factors(self) -> dict[str, float]:
        return {p.tier: p.factor(self.period) for p in self.pairs}


def _pairs(spec: list[tuple[float, str, str]]) -> dict[str, BurnWindow]:
    return {
        tier: BurnWindow(tier, pct, parse_duration(short), parse_duration(long))
        for tier, (pct, short, long) in zip(TIERS, spec, strict=True)
    }


# The workbook's recommended budget consumption (Sloth's google-30d.yaml / google-28d.yaml).
_GOOGLE = [(2.0, "5m", "1h"), (5.0, "30m", "6h"), (10.0, "2h", "1d"), (10.0, "6h", "3d")]


def google_windows(period: timedelta) -> AlertWindows:
    """Workbook percentages for any period; factors follow from the period length."""
    p = _pairs(_GOOGLE)
    return AlertWindows(
        period, p["page-quick"], p["page-slow"], p["ticket-quick"], p["ticket-slow"]
    )


def pyrra_windows(period: timedelta) -> AlertWindows:
    """Pyrra's fixed factors (14, 7, 2, 1) with windows scaled from its 28-day table.

    Pyrra states factors, not budget percentages; the percentage is recovered as
    factor * long / period so the same factor comes back out of :meth:`BurnWindow.factor`.
    """
    scale = period / timedelta(days=28)

    def scaled(d: timedelta) -> timedelta:
        minutes = round((d * scale).total_seconds() / 60)
        return timedelta(minutes=max(minutes, 1))

    rows = [
        (14.0, timedelta(minutes=5), timedelta(hours=1)),
        (7.0, timedelta(minutes=30), timedelta(hours=6)),
        (2.0, timedelta(hours=2), timedelta(days=1)),
        (1.0, timedelta(hours=6), timedelta(days=4)),
    ]
    pairs = []
    for tier, (factor, short, long) in zip(TIERS, rows, strict=True):
        s, ln = scaled(short), scaled(long)
        pct = factor * (ln / period) * 100
        pairs.append(BurnWindow(tier, pct, s, ln, fixed_factor=factor))
    return AlertWindows(period, pairs[0], pairs[1], pairs[2], pairs[3], source="pyrra")


class WindowsError(ValueError):
    """An ``AlertWindows`` document that cannot be used; message names the path."""


def load_alert_windows(doc: dict[str, Any]) -> AlertWindows:
    """Parse a Sloth ``sloth.slok.dev/v1`` ``AlertWindows`` document."""
    spec = doc.get("spec")
    if not isinstance(spec, dict):
        raise WindowsError("spec: missing")
    try:
        period = parse_duration(spec.get("sloPeriod", ""))
    except DurationError as e:
        raise WindowsError(f"spec.sloPeriod: {e}") from None
    pairs: list[BurnWindow] = []
    for tier in TIERS:
        sev, speed = tier.split("-")
        node = (spec.get(sev) or {}).get(speed)
        path = f"spec.{sev}.{speed}"
        if not isinstance(node, dict):
            raise WindowsError(f"{path}: missing")
        try:
            pct = float(node["errorBudgetPercent"])
            short = parse_duration(node["shortWindow"])
            long = parse_duration(node["longWindow"])
        except KeyError as e:
            raise WindowsError(f"{path}.{e.args[0]}: missing") from None
        except (TypeError, ValueError) as e:
            raise WindowsError(f"{path}: {e}") from None
        pairs.append(BurnWindow(tier, pct, short, long))
    return AlertWindows(period, pairs[0], pairs[1], pairs[2], pairs[3], source="custom")


def window_problems(w: AlertWindows, error_budget: float) -> list[str]:
    """Why these windows cannot work for this period and budget (empty when they can)."""
    problems: list[str] = []
    for p in w.pairs:
        name = f"{p.tier} ({prom_duration(p.short)}/{prom_duration(p.long)})"
        if not 0 < p.budget_percent <= 100:
            problems.append(
                f"{name}: errorBudgetPercent must be in (0, 100], got {p.budget_percent}"
            )
            continue
        if p.short >= p.long:
            problems.append(f"{name}: short window must be shorter than the long window")
        if p.long > w.period:
            problems.append(
                f"{name}: long window is longer than the SLO period {prom_duration(w.period)}"
            )
        threshold = p.factor(w.period) * error_budget
        if threshold >= 1:
            # The error ratio can never exceed 1, so "ratio > threshold" can never be true.
            problems.append(
                f"{name}: threshold {p.factor(w.period):g} x {error_budget:g} = {threshold:g} "
                "is >= 1, so this alert can never fire"
            )
    return problems
