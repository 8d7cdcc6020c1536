"""The production SLI source: exact per-minute counts from Prometheus counters.

Rates extrapolate, so instead of ``rate()`` we read the SLO's cumulative counter expressions
(``gonogo.prometheus_counters``) at every minute boundary with ``prometheus-api-client`` and
take differences (a decrease is a counter reset: the new value is the count since the reset).
Summed over a window this gives the same Σbad and Σtotal DuckDB computes from ``tool_calls``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import requests
from prometheus_api_client import PrometheusConnect
from urllib3.util.retry import Retry

from assets.slo.spec import SLO

MINUTE = timedelta(minutes=1)
MAX_STEPS = 10_000


class PrometheusSourceError(RuntimeError):
    """Prometheus could not be read; the message names the SLO and query."""


def _series(
    pc: PrometheusConnect, query: str, start: datetime, end: datetime
) -> dict[str, dict[datetime, float]]:
    """Value of ``query`` per tenant at every minute boundary in [start, end]."""
    out: dict[str, dict[datetime, float]] = {}
    chunk_start = start
    while chunk_start <= end:
        # Prometheus refuses more than 11,000 points per series in one range query.
        chunk_end = min(end, chunk_start + MAX_STEPS * MINUTE)
        try:
            result = pc.custom_query_range(
                query=query, start_time=chunk_start, end_time=chunk_end, step="60"
            )
        except Exception as e:  # the client raises several types; all mean "no data"
            raise PrometheusSourceError(f"query failed: {query!r}: {e}") from e
        for s in result:
            tenant = s.get("metric", {}).get("tenant_id")
            if not tenant:
                continue
            points = out.setdefault(tenant, {})
            for ts, value in s.get("values", []):
                points[datetime.fromtimestamp(float(ts), tz=UTC)] = float(value)
        chunk_start = chunk_end + MINUTE
    return out


def _deltas(points: dict[datetime, float], boundaries: Sequence[datetime]) -> dict[datetime, int]:
    """Events per minute bucket [b_k-1, b_k) from cumulative values at the boundaries."""
    out: dict[datetime, int] = {}
    prev = 0.0  # a series absent at the first boundary did not exist yet: it started at 0
    first = True
    for b in boundaries:
        v = points.get(b)
        if v is None:
            continue
        if first and b == boundaries[0]:
            prev, first = v, False
            continue
        first = False
        d = v - prev if v >= prev else v  # counter reset
        if d > 0:
            out[b - MINUTE] = int(round(d))
        prev = v
    return out


def connect(url: str, *, timeout: float = 10.0, ca_file: str | None = None) -> PrometheusConnect:
    """A client that verifies TLS certificates (against ``ca_file`` when given, else the
    system store) and does not hammer a Prometheus that is down (one retry, short backoff)."""
    session = requests.Session()
    session.verify = ca_file if ca_file else True
    return PrometheusConnect(
        url=url,
        session=session,
        timeout=int(max(timeout, 1)),
        retry=Retry(total=1, backoff_factor=0.2, status_forcelist=(502, 503, 504)),
    )


def reachable(url: str, *, timeout: float = 5.0, ca_file: str | None = None) -> bool:
    """Whether Prometheus answers a query now (the ``sli_source_up`` signal)."""
    try:
        connect(url, timeout=timeout, ca_file=ca_file).custom_query("vector(1)")
    except Exception:  # the client raises several types; all mean "not answering"
        return False
    return True


def minutes_from_prometheus(
    url: str,
    slos: Sequence[SLO],
    start: datetime,
    end: datetime,
    *,
    timeout: float = 10.0,
    ca_file: str | None = None,
) -> list[tuple[str, str, datetime, int, int]]:
    """(tenant, slo_id, minute, total, bad) rows for minutes in [start, end)."""
    pc = connect(url, timeout=timeout, ca_file=ca_file)
    start = start.replace(second=0, microsecond=0)
    end = end.replace(second=0, microsecond=0) + (
        MINUTE if end.second or end.microsecond else timedelta()
    )
    boundaries = []
    b = start
    while b <= end:
        boundaries.append(b)
        b += MINUTE
    rows: list[tuple[str, str, datetime, int, int]] = []
    for slo in slos:
        if not (slo.counter_bad and slo.counter_total):
            continue
        try:
            total = _series(pc, slo.counter_total, start, end)
            bad = _series(pc, slo.counter_bad, start, end)
        except PrometheusSourceError as e:
            raise PrometheusSourceError(f"SLO {slo.id}: {e}") from None
        for tenant, points in total.items():
            t_deltas = _deltas(points, boundaries)
            b_deltas = _deltas(bad.get(tenant, {}), boundaries)
            for minute, n in sorted(t_deltas.items()):
                nb = min(max(b_deltas.get(minute, 0), 0), n)
                if slo.timeslice_target is not None:
                    n, nb = 1, int(1 - nb / n < slo.timeslice_target)
                rows.append((tenant, slo.id, minute, n, nb))
    return rows
