"""The probe run end to end (plant → gateways → probe → clean up), its table and its verdict."""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import httpx

from assets.isolation.contract import Contract
from assets.isolation.fleet import gateway_fleet
from assets.isolation.probes import (
    ACCESS_PATHS,
    Planted,
    ProbeResult,
    new_token,
    plant_files,
    plant_redis,
    plant_store_canaries,
    plant_via_gateway,
    remove_files,
    remove_redis,
    remove_store_canaries,
    run_matrix,
    shorten_ids,
)

StoreOpener = Callable[[], contextlib.AbstractContextManager[duckdb.DuckDBPyConnection]]
PROBE_EVIDENCE_KIND = "tenancy.probe_matrix"


@dataclass
class ProbeRun:
    run_id: str
    tenants: list[str]
    results: list[ProbeResult]
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    redis: bool = False


def run_probes(
    home: Path,
    open_store: StoreOpener,
    tenants: list[str],
    now: datetime,
    *,
    redis_client_for: Callable[[str], Any] | None = None,
    env: Mapping[str, str] | None = None,
    run_id: str | None = None,
) -> ProbeRun:
    """Plant every tenant's canaries, probe as every other tenant, remove the canaries."""
    started = time.monotonic()
    rid = run_id or now.strftime("%Y%m%dT%H%M%S%fZ")
    planted = {t: Planted(t, new_token(t)) for t in tenants}
    problems: list[str] = []
    results: list[ProbeResult] = []
    with open_store() as con:
        plant_store_canaries(con, planted.values(), now)
    try:
        plant_files(home, planted.values())
        with gateway_fleet(tenants, home, env=env) as targets:
            with httpx.Client(timeout=60, trust_env=False) as client:
                for t, p in planted.items():
                    problems += plant_via_gateway(client, targets[t], p)
            if redis_client_for is not None:
                for p in planted.values():
                    plant_redis(redis_client_for, p)
            results = run_matrix(targets, planted, home, redis_client_for)
    finally:
        with open_store() as con:
            remove_store_canaries(con, planted.values())
        remove_files(home, planted.values())
        if redis_client_for is not None:
            for p in planted.values():
                with contextlib.suppress(Exception):
                    remove_redis(redis_client_for, p)
    return ProbeRun(rid, tenants, results, problems, time.monotonic() - started,
                    redis_client_for is not None)  # fmt: skip


def record_results(
    con: duckdb.DuckDBPyConnection, run: ProbeRun, now: datetime, *, demo: bool
) -> None:
    for n, r in enumerate(run.results):
        probe_id = hashlib.sha256(
            f"{n}|{r.prober}|{r.target}|{r.surface}|{r.access_path}|{r.request}".encode()
        ).hexdigest()[:24]
        con.execute(
            "INSERT INTO tenant_probe_results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [r.prober, run.run_id, probe_id, r.target, r.surface, r.access_path, r.request,
             r.expected, r.observed, r.status_code, r.canary_seen, r.passed,
             shorten_ids(r.detail)[:500], now,
             demo],
        )  # fmt: skip


def summarize(results: list[ProbeResult], contract: Contract) -> dict[str, Any]:
    """The matrix (surface × access path) and the WS2.1 verdict over it."""
    cells: dict[str, dict[str, dict[str, int]]] = {}
    for r in results:
        cell = cells.setdefault(r.surface, {}).setdefault(
            r.access_path, {"probes": 0, "passed": 0, "leaked": 0}
        )
        cell["probes"] += 1
        cell["passed"] += int(r.passed)
        cell["leaked"] += int(r.canary_seen)
    surfaces = contract.surface_ids
    uncovered = [s for s in surfaces if s not in cells]
    unknown = sorted(set(cells) - set(surfaces))
    leaks = sum(r.canary_seen for r in results)
    open_ = sum(not r.passed for r in results)
    ok = bool(results) and leaks == 0 and open_ == 0 and not uncovered and not unknown
    return {
        "probes": len(results),
        "passed": sum(r.passed for r in results),
        "not_closed": open_,
        "leaks": leaks,
        "surfaces": surfaces,
        "access_paths": [p for p in ACCESS_PATHS if any(p in c for c in cells.values())],
        "uncovered_surfaces": uncovered,
        "surfaces_not_in_contract": unknown,
        "by_surface": dict(Counter(r.surface for r in results)),
        "by_observed": dict(Counter(r.observed for r in results)),
        "cells": cells,
        "all_closed": ok,
    }


def run_and_record(
    home: Path,
    open_store: StoreOpener,
    tenants: list[str],
    now: datetime,
    contract: Contract,
    *,
    redis_client_for: Callable[[str], Any] | None = None,
    env: Mapping[str, str] | None = None,
    run_id: str,
    demo: bool = False,
) -> tuple[float | None, dict[str, Any]]:
    """Run the matrix, record its rows and its evidence; returns (evidence value, detail).

    The value is 1.0 only when every probe closed, none leaked, every contract surface was
    probed and every canary was planted; ``None`` with fewer than two tenants to probe.
    """
    from assets.evidence.store import EvidenceItem, record_evidence
    from assets.isolation.fleet import FleetError

    value: float | None
    if len(tenants) < 2:
        value = None
        detail: dict[str, Any] = {"run_id": run_id, "tenants": tenants,
                                  "problem": "fewer than two tenants are served here: nothing to probe"}  # fmt: skip
    else:
        try:
            run = run_probes(home, open_store, tenants, now, redis_client_for=redis_client_for,
                             env=env, run_id=run_id)  # fmt: skip
        except FleetError as exc:
            value, detail = 0.0, {"run_id": run_id, "tenants": tenants, "problem": str(exc)[:2000]}
        else:
            summary = summarize(run.results, contract)
            detail = {"run_id": run_id, "tenants": tenants, "redis": run.redis,
                      "seconds": round(run.seconds, 2), "planting_problems": run.problems,
                      **summary}  # fmt: skip
            if not run.redis:
                detail["problem"] = "no shared Redis configured: its surfaces were not probed"
            value = 1.0 if summary["all_closed"] and not run.problems else 0.0
            with open_store() as con:
                record_results(con, run, now, demo=demo)
    item = EvidenceItem(kind=PROBE_EVIDENCE_KIND, source="assets/isolation", collected_at=now,
                        value=value, detail=detail, subject="tenant isolation", is_demo=demo)  # fmt: skip
    with open_store() as con:
        record_evidence(con, [item])
    return value, detail
