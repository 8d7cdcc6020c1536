"""The hierarchical bootstrap: properties, degenerate inputs, reproducibility, coverage."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.benchmarks.stats import bootstrap, bootstrap_diff

values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
by_task = st.dictionaries(
    st.text(alphabet="abcdef", min_size=1, max_size=4),
    st.lists(values, min_size=1, max_size=6),
    min_size=1,
    max_size=6,
)


@settings(max_examples=80, deadline=None)
@given(data=by_task, stat=st.sampled_from(["mean", "median"]), seed=st.integers(0, 2**32 - 1))
def test_interval_contains_point_and_stays_in_data_range(data, stat: str, seed: int) -> None:
    iv = bootstrap(data, stat=stat, replicates=200, seed=seed)
    flat = [v for vs in data.values() for v in vs]
    assert iv.point is not None and iv.lo is not None and iv.hi is not None
    assert iv.lo <= iv.point <= iv.hi
    tol = 1e-9 * max(1.0, max(abs(v) for v in flat))
    assert min(flat) - tol <= iv.lo and iv.hi <= max(flat) + tol
    assert iv.n_tasks == len(data) and iv.n_values == len(flat)


@settings(max_examples=50, deadline=None)
@given(a=by_task, b=by_task, seed=st.integers(0, 1000))
def test_diff_interval_contains_point(a, b, seed: int) -> None:
    iv = bootstrap_diff(a, b, replicates=200, seed=seed)
    if not set(a) & set(b):
        assert iv.point is None and iv.ci95 is None
    else:
        assert iv.lo <= iv.point <= iv.hi


@given(data=by_task, seed=st.integers(0, 10_000))
@settings(max_examples=30, deadline=None)
def test_same_seed_same_interval_regardless_of_dict_order(data, seed: int) -> None:
    reordered = dict(reversed(list(data.items())))
    assert bootstrap(data, seed=seed, replicates=300) == bootstrap(
        reordered, seed=seed, replicates=300
    )


def test_degenerate_inputs() -> None:
    assert bootstrap({}).ci95 is None and bootstrap({}).point is None
    assert bootstrap({"t": []}).ci95 is None
    assert bootstrap({"t": [None, None]}).ci95 is None  # type: ignore[list-item]
    one = bootstrap({"t": [3.0]})
    assert (one.point, one.ci95) == (3.0, [3.0, 3.0])
    same = bootstrap({"a": [1.0, 1.0], "b": [1.0]}, stat="median")
    assert same.ci95 == [1.0, 1.0]
    zero = bootstrap_diff({"a": [0.0, 1.0]}, {"a": [0.0, 1.0]}, seed=3)
    assert zero.lo <= 0.0 <= zero.hi
    assert bootstrap_diff({"a": [1.0]}, {"b": [1.0]}).ci95 is None


def test_all_pass_and_all_fail_are_exact() -> None:
    assert bootstrap({f"t{i}": [1.0] * 5 for i in range(12)}).ci95 == [1.0, 1.0]
    assert bootstrap({f"t{i}": [0.0] * 5 for i in range(12)}).ci95 == [0.0, 0.0]


def test_task_variance_widens_the_interval() -> None:
    # Same pooled rate (0.5); between-task variance must show in the hierarchical interval.
    homogeneous = {f"t{i}": [1.0, 0.0] * 3 for i in range(10)}
    split = {f"t{i}": [float(i % 2)] * 6 for i in range(10)}
    a = bootstrap(homogeneous, seed=1)
    b = bootstrap(split, seed=1)
    assert a.point == b.point == 0.5
    assert (b.hi - b.lo) > (a.hi - a.lo)


def test_coverage_on_simulated_agents() -> None:
    """95 % intervals cover the true completion rate in most simulated benchmark runs."""
    rng = np.random.default_rng(7)
    true_p = 0.6
    covered = 0
    sims = 80
    for s in range(sims):
        # Task difficulty varies; an attempt passes with the task's own probability.
        ps = np.clip(rng.normal(true_p, 0.15, size=12), 0, 1)
        data = {f"t{i}": list((rng.random(5) < p).astype(float)) for i, p in enumerate(ps)}
        iv = bootstrap(data, seed=s, replicates=500)
        covered += iv.lo <= float(np.mean(ps)) <= iv.hi
    assert covered / sims >= 0.85


def test_the_seed_matters_which_is_why_runs_record_it() -> None:
    data = {"a": [0.1, 0.5, 0.9], "b": [0.2, 0.4], "c": [1.0, 0.0, 0.3]}
    runs = {tuple(bootstrap(data, seed=s, replicates=300).ci95) for s in range(5)}
    assert len(runs) > 1
