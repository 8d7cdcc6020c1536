"""Error budgets, burn rates and multiwindow multi-burn-rate alert states (SRE workbook).

Inputs are exact event counts per window (Σbad, Σtotal); nothing here averages ratios. A
window without events is the state ``no_data`` and one with too few events is
``insufficient_events``: ratios are ``None`` then, never NaN.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from assets.slo.spec import SLO
from assets.slo.windows import BurnWindow

OK = "ok"
NO_DATA = "no_data"
INSUFFICIENT = "insufficient_events"
FIRING = "firing"


@dataclass(frozen=True)
class Counts:
    bad: int
    total: int

    def __post_init__(self) -> None:
        if self.total < 0 or self.bad < 0 or self.bad > self.total:
            raise ValueError(f"invalid counts bad={self.bad} total={self.total}")


@dataclass(frozen=True)
class WindowResult:
    window: timedelta
    bad: int
    total: int
    state: str
    error_ratio: float | None
    burn_rate: float | None


def error_ratio(c: Counts) -> float | None:
    return c.bad / c.total if c.total else None


def burn_rate(ratio: float | None, error_budget: float) -> float | None:
    """How many times faster than "exactly on budget" the budget is being spent."""
    if ratio is None or error_budget <= 0:
        return None
    return ratio / error_budget


def budget_remaining(c: Counts, error_budget: float) -> float | None:
    """Share of the period's budget left (1 = untouched, 0 = spent, < 0 = overspent).

    Sloth's ``1 - period_burn_rate``: with events-based budgets the budget is a share of
    whatever traffic the period had.
    """
    br = burn_rate(error_ratio(c), error_budget)
    return None if br is None else 1 - br


def time_to_exhaustion(
    remaining: float | None, current_burn: float | None, period: timedelta
) -> timedelta | None:
    """At the current burn rate, when the remaining budget runs out (None = not burning / unknown).

    Burning at rate b spends b/period of the budget per unit of time.
    """
    if remaining is None or current_burn is None:
        return None
    if remaining <= 0:
        return timedelta(0)
    if current_burn <= 0:
        return None
    return period * (remaining / current_burn)


def window_result(
    window: timedelta, c: Counts, error_budget: float, min_events: int
) -> WindowResult:
    if c.total == 0:
        return WindowResult(window, 0, 0, NO_DATA, None, None)
    ratio = error_ratio(c)
    state = INSUFFICIENT if c.total < min_events else OK
    return WindowResult(window, c.bad, c.total, state, ratio, burn_rate(ratio, error_budget))


@dataclass(frozen=True)
class PairResult:
    tier: str
    factor: float
    threshold: float  # error ratio both windows must exceed
    short: WindowResult
    long: WindowResult

    @property
    def evaluable(self) -> bool:
        return self.short.state == OK and self.long.state == OK

    @property
    def firing(self) -> bool:
        # Same comparison as the generated PromQL: ratio > factor * budget, on both windows.
        return (
            self.evaluable
            and self.short.error_ratio is not None
            and self.long.error_ratio is not None
            and self.short.error_ratio > self.threshold
            and self.long.error_ratio > self.threshold
        )


@dataclass(frozen=True)
class AlertState:
    severity: str  # page | ticket
    state: str  # firing | ok | no_data | insufficient_events
    tier: str | None  # the pair that fires (quick before slow)
    pairs: tuple[PairResult, ...] = field(default_factory=tuple)


def evaluate_pair(p: BurnWindow, slo: SLO, counts: Mapping[timedelta, Counts]) -> PairResult:
    factor = p.factor(slo.period)
    return PairResult(
        tier=p.tier,
        factor=factor,
        threshold=factor * slo.error_budget,
        short=window_result(
            p.short, counts.get(p.short, Counts(0, 0)), slo.error_budget, slo.min_events
        ),
        long=window_result(
            p.long, counts.get(p.long, Counts(0, 0)), slo.error_budget, slo.min_events
        ),
    )


def evaluate_alerts(slo: SLO, counts: Mapping[timedelta, Counts]) -> list[AlertState]:
    """One state per enabled severity, from exact window counts."""
    out: list[AlertState] = []
    for severity in slo.severities():
        pairs = tuple(evaluate_pair(p, slo, counts) for p in slo.windows.for_severity(severity))
        firing = [p for p in pairs if p.firing]
        if firing:
            out.append(AlertState(severity, FIRING, firing[0].tier, pairs))
            continue
        if any(p.evaluable for p in pairs):
            out.append(AlertState(severity, OK, None, pairs))
            continue
        windows = [w for p in pairs for w in (p.short, p.long)]
        state = NO_DATA if all(w.state == NO_DATA for w in windows) else INSUFFICIENT
        out.append(AlertState(severity, state, None, pairs))
    return out


def required_windows(slo: SLO) -> list[timedelta]:
    return sorted({*slo.windows.distinct_windows(), slo.period})
