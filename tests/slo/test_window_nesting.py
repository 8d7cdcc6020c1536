"""The window nesting gives exactly what the plain running sum gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from assets.slo.budget import Counts
from assets.slo.store import _nest_bands

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def reference(rows: list[tuple[str, str, int, int, int]], starts: list[datetime]) -> dict:
    """The running sum written out by hand, independently of the module's loop."""
    bands: dict[tuple[str, str], list[list[int]]] = {}
    for tenant, slo_id, b, bad, total in rows:
        per = bands.setdefault((tenant, slo_id), [[0, 0] for _ in starts])
        per[b] = [bad, total]
    out: dict[tuple[str, str], dict[datetime, Counts]] = {}
    for key, per in bands.items():
        acc_bad = acc_total = 0
        counts = {}
        for i in reversed(range(len(starts))):
            acc_bad += per[i][0]
            acc_total += per[i][1]
            counts[starts[i]] = Counts(acc_bad, acc_total)
        out[key] = counts
    return out


@st.composite
def band_rows(draw: st.DrawFn) -> tuple[list[tuple[str, str, int, int, int]], list[datetime]]:
    n = draw(st.integers(min_value=1, max_value=8))
    starts = [T0 + timedelta(minutes=5 * i) for i in range(n)]
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(["acme", "globex", "_global"]), st.sampled_from(["a", "b"])),
            unique=True, max_size=6,
        )
    )  # fmt: skip
    rows = []
    for tenant, slo_id in keys:
        for b in draw(st.sets(st.integers(min_value=0, max_value=n - 1), min_size=1)):
            total = draw(st.integers(min_value=0, max_value=10**12))
            bad = draw(st.integers(min_value=0, max_value=total))
            rows.append((tenant, slo_id, b, bad, total))
    return rows, starts


def _frame(rows: list[tuple[str, str, int, int, int]]) -> list[tuple[str, str, int, int, int]]:
    return list(rows)


@settings(max_examples=200, deadline=None)
@given(band_rows())
def test_nesting_equals_the_running_sum(case: tuple[list, list[datetime]]) -> None:
    rows, starts = case
    got = _nest_bands(_frame(rows), starts)
    assert got == reference(rows, starts)
    for counts in got.values():
        assert all(type(c.bad) is int and type(c.total) is int for c in counts.values())


def test_no_rows_no_windows() -> None:
    assert _nest_bands(_frame([]), [T0]) == {}


def test_a_band_without_minutes_counts_zero() -> None:
    starts = [T0, T0 + timedelta(hours=1), T0 + timedelta(hours=2)]
    got = _nest_bands(_frame([("acme", "a", 0, 1, 10), ("acme", "a", 2, 2, 5)]), starts)
    assert got == {
        ("acme", "a"): {starts[0]: Counts(3, 15), starts[1]: Counts(2, 5), starts[2]: Counts(2, 5)}
    }
