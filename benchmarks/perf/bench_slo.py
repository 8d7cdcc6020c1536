"""SLO benchmark: all windows and alert states for 50 SLOs x 20 tenants x 30 days of minutes.

    python -m benchmarks.perf.bench_slo [--days 30] [--tenants 20] [--slos 50] [--repeat 5]
                                       [--scaling]

Prints one JSON document. The data is synthetic per-minute counts in a DuckDB file (one row
per tenant x SLO x minute, i.e. 43.2 M rows at full size). Measured side by side on the same
data:

* ``gonogo``      — :func:`assets.slo.store.compute_status`: one grouped scan with a filtered
                    sum per distinct window start, then budget/burn/alert evaluation in Python;
* ``per_window``  — the naive baseline: one ``GROUP BY`` query per window (what a SQL reading of
                    "Σbad/Σtotal over each window" gives you);
* ``polars``      — the same filtered sums with polars over an Arrow export of the table.

``--scaling`` adds the gonogo timing for several day and tenant counts (cost growth).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

from assets.slo.budget import required_windows
from assets.slo.spec import SLO, parse_documents
from assets.slo.store import ceil_minute, compute_status, period_start

END = datetime(2026, 3, 1, tzinfo=UTC)


def make_slos(n: int) -> list[SLO]:
    """n SLOs; every fifth one has a 28-day period so the window set is not trivially shared."""
    docs = []
    for i in range(n):
        period = "28d" if i % 5 == 4 else "30d"
        objective = (99.0, 99.5, 99.9)[i % 3]
        docs.append(
            f"""
version: prometheus/v1
service: svc{i % 7}
slos:
  - name: slo-{i}
    objective: {objective}
    sli:
      events:
        error_query: sum(rate(e{{slo="{i}"}}[{{{{.window}}}}]))
        total_query: sum(rate(t{{slo="{i}"}}[{{{{.window}}}}]))
    alerting: {{name: Burn}}
    gonogo: {{period: {period}}}
"""
        )
    return parse_documents("---".join(docs)).slos


def build(path: Path, slos: list[SLO], tenants: int, days: int) -> int:
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE IF EXISTS slo_minutes")
    ids = [s.id for s in slos]
    minutes = days * 24 * 60
    # Deterministic counts; some tenant/SLO pairs get an error burst in the last hours so the
    # alert states are not all "ok".
    con.execute(
        """
        CREATE TABLE slo_minutes AS
        SELECT 't' || t AS tenant_id, ids[s + 1] AS slo_id, 'duckdb' AS source,
               $end - INTERVAL 1 MINUTE * (m + 1) AS minute,
               CAST(50 + hash(t, s, m) % 50 AS BIGINT) AS total,
               CAST(CASE WHEN (t + s) % 17 = 0 AND m < 90 THEN 20
                         WHEN hash(m, s, t) % 100 = 0 THEN 1 ELSE 0 END AS BIGINT) AS bad
        FROM range($tenants) r1(t), range($n) r2(s), range($minutes) r3(m), (SELECT $ids AS ids)
        ORDER BY minute
        """,
        {"end": END, "tenants": tenants, "n": len(ids), "minutes": minutes, "ids": ids},
    )
    row = con.execute("SELECT count(*) FROM slo_minutes").fetchone()
    con.close()
    return int(row[0]) if row else 0


def timed(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    times.sort()
    p99 = times[min(len(times) - 1, int(round(0.99 * (len(times) - 1))))]
    return {
        "median_s": round(statistics.median(times), 4),
        "p99_s": round(p99, 4),
        "min_s": round(times[0], 4),
    }


def per_window(con: duckdb.DuckDBPyConnection, slos: list[SLO]) -> int:
    t_end = ceil_minute(END)
    starts = sorted(
        {t_end - w for s in slos for w in required_windows(s)}
        | {period_start(s, t_end) for s in slos}
    )
    n = 0
    for st in starts:
        n += len(
            con.execute(
                "SELECT tenant_id, slo_id, sum(bad), sum(total) FROM slo_minutes "
                "WHERE source = 'duckdb' AND minute >= ? AND minute < ? GROUP BY 1, 2",
                [st, t_end],
            ).fetchall()
        )
    return n


def polars_sums(con: duckdb.DuckDBPyConnection, slos: list[SLO]) -> Callable[[], int]:
    import polars as pl

    arrow = con.sql(
        "SELECT tenant_id, slo_id, epoch_us(minute) AS minute, total, bad FROM slo_minutes"
    ).to_arrow_table()
    df = pl.from_arrow(arrow)
    assert isinstance(df, pl.DataFrame)
    t_end = ceil_minute(END)
    starts = sorted(
        {t_end - w for s in slos for w in required_windows(s)}
        | {period_start(s, t_end) for s in slos}
    )

    def run() -> int:
        aggs = []
        for i, st in enumerate(starts):
            m = pl.col("minute") >= int(st.timestamp() * 1_000_000)
            aggs += [
                pl.col("bad").filter(m).sum().alias(f"b{i}"),
                pl.col("total").filter(m).sum().alias(f"t{i}"),
            ]
        return df.group_by("tenant_id", "slo_id").agg(aggs).height

    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--tenants", type=int, default=20)
    ap.add_argument("--slos", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--scaling", action="store_true")
    ap.add_argument("--no-polars", action="store_true")
    args = ap.parse_args(argv)
    slos = make_slos(args.slos)
    out: dict[str, Any] = {
        "benchmark": "slo_status",
        "cpus": os.cpu_count(),
        "duckdb": duckdb.__version__,
        "size": {"days": args.days, "tenants": args.tenants, "slos": args.slos},
    }
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "bench.duckdb"
        t = time.perf_counter()
        out["rows"] = build(db, slos, args.tenants, args.days)
        out["build_s"] = round(time.perf_counter() - t, 2)
        con = duckdb.connect(str(db))
        status = compute_status(con, slos, END)
        out["series"] = len(status)
        out["alert_states"] = {
            state: sum(1 for s in status for a in s.alerts if a.state == state)
            for state in ("firing", "ok", "no_data", "insufficient_events")
        }
        out["gonogo"] = timed(lambda: compute_status(con, slos, END), args.repeat)
        out["gonogo"]["series_per_s"] = round(len(status) / out["gonogo"]["median_s"], 1)
        out["gonogo"]["minute_rows_per_s"] = round(out["rows"] / out["gonogo"]["median_s"])
        out["per_window"] = timed(lambda: per_window(con, slos), max(1, args.repeat // 2))
        if not args.no_polars:
            try:
                out["polars"] = timed(polars_sums(con, slos), max(1, args.repeat // 2))
            except MemoryError:
                out["polars"] = "out of memory"
        con.close()
        out["within_budget_5s"] = out["gonogo"]["median_s"] <= 5.0
        if args.scaling:
            growth: list[dict[str, Any]] = []
            for days, tenants in (
                (1, args.tenants),
                (7, args.tenants),
                (30, 5),
                (30, 10),
                (args.days, args.tenants),
            ):
                b = Path(d) / f"s{days}-{tenants}.duckdb"
                rows = build(b, slos, tenants, days)
                c = duckdb.connect(str(b))
                compute_status(c, slos, END)  # warm
                r = timed(partial(compute_status, c, slos, END), 3)
                c.close()
                b.unlink()
                growth.append({"days": days, "tenants": tenants, "rows": rows, **r})
            out["scaling"] = growth
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
