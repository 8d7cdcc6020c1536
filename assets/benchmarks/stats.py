"""Benchmark statistics: the four measures with 95 % hierarchical-bootstrap intervals.

Hierarchical bootstrap (tasks, then attempts), as METR does it: each replicate draws the tasks
with replacement, then within each drawn task draws that task's attempts with replacement, and
recomputes the statistic. Tasks are the unit that generalises; attempts measure the agent's
own variance within a task. Replicates use ``numpy.random.default_rng(seed)`` over inputs in a
canonical order (tasks by id, attempts by repeat), so the same attempts and seed give the same
interval everywhere. A percentile endpoint that excludes the point estimate (possible with a
handful of attempts) is widened to it, so every reported interval contains its estimate.

Comparisons between two agents are paired by task: one task draw serves both agents, attempts
are drawn per agent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from assets.benchmarks.results import INFRA_ERROR, SOLVED, TIMEOUT, AttemptRecord

DEFAULT_REPLICATES = 2000
CONFIDENCE = 0.95
Stat = Callable[[np.ndarray], np.ndarray]  # (B, N) with NaN padding -> (B,)


def _mean(x: np.ndarray) -> np.ndarray:
    return np.asarray(np.nanmean(x, axis=1))


def _median(x: np.ndarray) -> np.ndarray:
    return np.asarray(np.nanmedian(x, axis=1))


STATS: dict[str, Stat] = {"mean": _mean, "median": _median}


@dataclass(frozen=True)
class Interval:
    point: float | None
    lo: float | None
    hi: float | None
    n_tasks: int
    n_values: int

    @property
    def ci95(self) -> list[float] | None:
        if self.lo is None or self.hi is None:
            return None
        return [self.lo, self.hi]


def _draw(groups: list[np.ndarray], task_idx: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Values of one replicate set: (B, T * Kmax) with NaN where a drawn task has fewer values."""
    counts = np.array([len(g) for g in groups])
    kmax = int(counts.max())
    padded = np.full((len(groups), kmax), np.nan)
    for i, g in enumerate(groups):
        padded[i, : len(g)] = g
    b, t = task_idx.shape
    n = counts[task_idx][..., None]  # (B, T, 1)
    att = np.floor(rng.random((b, t, kmax)) * n).astype(int)
    vals = padded[task_idx[..., None], att]
    vals = np.where(np.arange(kmax)[None, None, :] < n, vals, np.nan)
    out: np.ndarray = vals.reshape(b, t * kmax)
    return out


def _point(groups: list[np.ndarray], stat: Stat) -> float:
    flat = np.concatenate(groups)[None, :]
    return float(stat(flat)[0])


def _interval(point: float, reps: np.ndarray) -> tuple[float, float]:
    alpha = (1.0 - CONFIDENCE) / 2.0
    lo, hi = np.quantile(reps, [alpha, 1.0 - alpha])
    return min(float(lo), point), max(float(hi), point)


def _clean(values_by_task: dict[str, list[float]]) -> dict[str, list[float]]:
    out = {t: [float(v) for v in vs if v is not None] for t, vs in values_by_task.items()}
    return {t: vs for t, vs in out.items() if vs}


def _resampled(
    sides: list[dict[str, list[float]]], stat: str, replicates: int, seed: int
) -> Interval:
    """``stat(sides[0])`` (minus ``stat(sides[1])``) over the tasks every side has values for.

    One task draw per replicate serves every side (paired by task); attempts are drawn per side.
    """
    fn = STATS[stat]
    clean = [_clean(side) for side in sides]
    common = sorted(set.intersection(*(set(c) for c in clean)))
    if not common:
        return Interval(None, None, None, 0, 0)
    groups = [[np.asarray(c[t]) for t in common] for c in clean]
    signs = (1.0, -1.0)
    rng = np.random.default_rng(seed)
    task_idx = rng.integers(0, len(common), size=(replicates, len(common)))
    point = sum(sign * _point(g, fn) for sign, g in zip(signs, groups, strict=False))
    reps = sum(sign * fn(_draw(g, task_idx, rng)) for sign, g in zip(signs, groups, strict=False))
    lo, hi = _interval(point, np.asarray(reps))
    return Interval(point, lo, hi, len(common), sum(len(x) for g in groups for x in g))


def bootstrap(
    values_by_task: dict[str, list[float]],
    *,
    stat: str = "mean",
    replicates: int = DEFAULT_REPLICATES,
    seed: int = 0,
) -> Interval:
    """Point estimate and 95 % interval of ``stat`` over all values, resampled hierarchically."""
    return _resampled([values_by_task], stat, replicates, seed)


def bootstrap_diff(
    a_by_task: dict[str, list[float]],
    b_by_task: dict[str, list[float]],
    *,
    stat: str = "mean",
    replicates: int = DEFAULT_REPLICATES,
    seed: int = 0,
) -> Interval:
    """``stat(a) - stat(b)`` over the tasks both have values for, paired by task."""
    return _resampled([a_by_task, b_by_task], stat, replicates, seed)


# --- the four measures over a run's attempts -------------------------------------------------


def attempts_frame(attempts: Iterable[AttemptRecord]) -> pl.DataFrame:
    rows = [a.to_json() for a in attempts]
    schema_hint = {"time_to_merge_s": pl.Float64, "recovery_time_s": pl.Float64}
    df = pl.DataFrame(rows, schema_overrides=schema_hint, infer_schema_length=None)
    if df.is_empty():
        return df
    return df.sort(["agent", "task_id", "repeat", "attempt_id"])


def _by_task(
    df: pl.DataFrame, agent: str, column: str, where: pl.Expr | None = None
) -> dict[str, list[float]]:
    sub = df.filter(pl.col("agent") == agent)
    if where is not None:
        sub = sub.filter(where)
    out: dict[str, list[float]] = {}
    for task, value in sub.select("task_id", column).iter_rows():
        if value is not None:
            out.setdefault(task, []).append(float(value))
    return out


def _r(x: float | None, nd: int = 4) -> float | None:
    # + 0.0 turns a rounded -0.0 into 0.0
    return None if x is None else round(x, nd) + 0.0


def _ci(iv: Interval, nd: int = 4) -> list[float] | None:
    return None if iv.ci95 is None else [round(v, nd) + 0.0 for v in iv.ci95]


def agent_summary(df: pl.DataFrame, agent: str, seed: int, replicates: int) -> dict[str, Any]:
    sub = df.filter(pl.col("agent") == agent)
    n = sub.height
    completed = int(sub["completed"].sum()) if n else 0
    rate = _by_task(df.with_columns(pl.col("completed").cast(pl.Float64)), agent, "completed")
    comp = bootstrap(rate, stat="mean", replicates=replicates, seed=seed)
    ttm = bootstrap(
        _by_task(df, agent, "time_to_merge_s", pl.col("merged")),
        stat="median",
        replicates=replicates,
        seed=seed,
    )
    statuses = sub["status"].to_list() if n else []
    return {
        "version": sub["agent_version"][0] if n else None,
        "governed": bool(sub["governed"][0]) if n else False,
        "attempts": n,
        "completed": completed,
        "merged": int(sub["merged"].sum()) if n else 0,
        "completion_rate": _r(completed / n if n else None),
        "completion_ci95": _ci(comp),
        "time_to_merge_s": {"median": _r(ttm.point), "ci95": _ci(ttm), "n": ttm.n_values},
        "infra_failures": statuses.count(INFRA_ERROR),
        "timeouts": statuses.count(TIMEOUT),
        "unsolved": n
        - statuses.count(SOLVED)
        - statuses.count(INFRA_ERROR)
        - statuses.count(TIMEOUT),
    }


def comparisons(
    df: pl.DataFrame, agents: list[str], seed: int, replicates: int
) -> list[dict[str, Any]]:
    """Pairwise differences ``a - b`` (completion rate; median time to merge) with intervals."""
    as_float = df.with_columns(pl.col("completed").cast(pl.Float64))
    out: list[dict[str, Any]] = []
    for i, a in enumerate(agents):
        for b in agents[i + 1 :]:
            metrics: list[tuple[str, dict[str, list[float]], dict[str, list[float]], str]] = [
                ("completion_rate", _by_task(as_float, a, "completed"),
                 _by_task(as_float, b, "completed"), "mean"),
                ("time_to_merge_s", _by_task(df, a, "time_to_merge_s", pl.col("merged")),
                 _by_task(df, b, "time_to_merge_s", pl.col("merged")), "median"),
            ]  # fmt: skip
            for metric, va, vb, stat in metrics:
                iv = bootstrap_diff(va, vb, stat=stat, replicates=replicates, seed=seed)
                if iv.point is None:
                    continue
                out.append(
                    {"a": a, "b": b, "metric": metric, "diff": _r(iv.point), "ci95": _ci(iv)}
                )
    return out


def governance_overhead(
    df: pl.DataFrame, pairs: list[tuple[str, str]], seed: int, replicates: int
) -> dict[str, Any]:
    """Governed minus ungoverned agent time per task, and the share of wall time in governance.

    ``share_in_governed_calls``: the tool-call spans' durations (policy, record, sandboxed run,
    redaction) over the governed attempts' wall time; ``share_in_policy``: the decision records'
    policy-evaluation time over the same wall time.
    """
    out: dict[str, Any] = {}
    for governed, base in pairs:
        g = _by_task(df, governed, "agent_s")
        u = _by_task(df, base, "agent_s")
        iv = bootstrap_diff(g, u, stat="mean", replicates=replicates, seed=seed)
        # Records, not a mapping keyed by task id: a task id is data, and as a key it would be
        # read as a field name (a task named like a secret would look like a secret's key).
        per_task = [
            {"task_id": t, "diff_s": round(float(np.mean(g[t]) - np.mean(u[t])), 4)}
            for t in sorted(g)
            if t in u
        ]
        sub = df.filter(pl.col("agent") == governed)
        wall = float(sub["wall_s"].drop_nulls().sum()) if sub.height else 0.0
        spans = float(sub["governed_call_s"].drop_nulls().sum()) if sub.height else 0.0
        policy = float(sub["policy_s"].drop_nulls().sum()) if sub.height else 0.0
        out[governed] = {
            "baseline": base,
            "mean_diff_s": _r(iv.point),
            "ci95": _ci(iv),
            "per_task": per_task,
            "tool_calls": int(sub["tool_calls"].sum()) if sub.height else 0,
            "share_in_governed_calls": _r(spans / wall if wall else None),
            "share_in_policy": _r(policy / wall if wall else None, 6),
        }
    return out


def recovery(df: pl.DataFrame, agents: list[str], seed: int, replicates: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for agent in agents:
        sub = df.filter((pl.col("agent") == agent) & pl.col("fault_injected"))
        if sub.is_empty():
            continue
        iv = bootstrap(
            _by_task(df, agent, "recovery_time_s", pl.col("fault_injected") & pl.col("recovered")),
            stat="median",
            replicates=replicates,
            seed=seed,
        )
        out[agent] = {
            "injected": sub.height,
            "recovered": int(sub["recovered"].fill_null(False).sum()),
            "median": _r(iv.point),
            "ci95": _ci(iv),
        }
    return out


def governed_pairs(agents: list[str]) -> list[tuple[str, str]]:
    return [
        (a, a.removesuffix("+governed"))
        for a in agents
        if a.endswith("+governed") and a.removesuffix("+governed") in agents
    ]


def summarize(
    run: Any,
    attempts: list[AttemptRecord],
    *,
    replicates: int = DEFAULT_REPLICATES,
) -> dict[str, Any]:
    """The run's statistics document (``gonogo bench run --json``)."""
    df = attempts_frame(attempts)
    agents = [a["name"] for a in run.agents] or sorted(set(df["agent"].to_list()))
    seed = int(run.seed)
    return {
        "run_id": run.run_id,
        "source": run.source,
        "harness_version": run.harness_version,
        "seed": seed,
        "repeats": run.repeats,
        "is_demo": run.is_demo,
        "env_fingerprint": run.env_fingerprint,
        "bootstrap": {
            "method": "hierarchical (tasks, then attempts), percentile",
            "replicates": replicates,
            "seed": seed,
            "confidence": CONFIDENCE,
        },
        "tasks": {t: {"checksum": v["checksum"]} for t, v in sorted(run.tasks.items())},
        "agents": {a: agent_summary(df, a, seed, replicates) for a in agents if not df.is_empty()},
        "comparisons": comparisons(df, agents, seed, replicates) if not df.is_empty() else [],
        "governance_overhead_s": governance_overhead(df, governed_pairs(agents), seed, replicates)
        if not df.is_empty()
        else {},
        "recovery_time_s": recovery(df, agents, seed, replicates) if not df.is_empty() else {},
        "attempts": [a.to_json() for a in attempts],
    }
