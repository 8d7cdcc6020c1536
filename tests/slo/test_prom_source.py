"""Per-minute counts from cumulative counters: differences, resets and gaps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from assets.slo.prom_source import _deltas

B0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
M = timedelta(minutes=1)


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=500), st.booleans()), min_size=1, max_size=40
    )
)
def test_deltas_recover_increments_across_resets(steps: list[tuple[int, bool]]) -> None:
    """A process restart resets the counter; the count since the restart is still counted."""
    boundaries = [B0 + i * M for i in range(len(steps) + 1)]
    points = {boundaries[0]: 1000.0}  # a long-running counter: its past is not this range's
    value = 1000.0
    want: dict[datetime, int] = {}
    for i, (inc, reset) in enumerate(steps):
        # A reset is only visible as a decrease (the same holds for Prometheus' own rate()).
        value = float(inc) if reset and inc < value else value + inc
        points[boundaries[i + 1]] = value
        if inc:
            want[boundaries[i]] = inc
    assert _deltas(points, boundaries) == want


def test_series_born_inside_the_range_counts_from_zero() -> None:
    boundaries = [B0 + i * M for i in range(4)]
    points = {boundaries[2]: 7.0, boundaries[3]: 9.0}
    assert _deltas(points, boundaries) == {boundaries[1]: 7, boundaries[2]: 2}


def test_gap_is_bridged_without_double_counting() -> None:
    boundaries = [B0 + i * M for i in range(5)]
    points = {boundaries[0]: 5.0, boundaries[1]: 6.0, boundaries[3]: 10.0, boundaries[4]: 10.0}
    assert _deltas(points, boundaries) == {boundaries[0]: 1, boundaries[2]: 4}
