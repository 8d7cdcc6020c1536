"""The cost curve: 10×, 100× and 1,000× the demo's volume, embedded and cluster.

``python -m benchmarks.perf.bench_scale [--scales 10,100,1000] [--modes embedded,cluster]
[--calls-cap C]``

Volume is generated from the demo workload's shapes: every demo session's steps are decided
once by the real policy, then replayed for ``3·k`` tenants (each shaped like one demo tenant)
through the real decision-log writer and the real telemetry spool (two replicas' segments),
spread over ``5·k`` minutes ending now. ``--calls-cap C`` scales the tool calls (and so the
evidence rows) by ``min(k, C)`` only, while tenants and minutes still scale by ``k``: each
tenant then keeps every ``k/C``-th step of its shape (staggered by tenant, so every step
still occurs). The printed ``dimensions`` say what was scaled by how much. Generation is not measured (and skips fsync; the
gateway's own cost per call is in bench_integrations). Measured, each phase in its own process:

- **ingest**: spool segments and decision records into DuckDB. Embedded: the ``spool_ingest``
  and ``decision_records`` assets in-process. Cluster: two worker processes (one per replica)
  write Parquet partitions, then the same assets load them through the store's single writer.
- **report**: every asset and check (SLOs, evidence, verdicts, decision, report, digest).

Printed JSON per scale and mode: rows, seconds, rows/s, CPU seconds (user+sys: CPU ÷ wall near
1 is one busy core, the GIL's limit), peak RSS. A phase past ``--phase-timeout`` is recorded as
such instead of stopping the run, so the 1,000× row finishes in minutes whatever happens.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from unittest import mock

DEMO_TENANTS = 3
MINUTES_PER_SCALE = 5
REPLICAS = ("r1", "r2")


# ---- generation -------------------------------------------------------------------------------
def _shapes() -> list[tuple[Any, Any, Any, str]]:
    """(session, step, decision, outcome) for every demo step, decided by the real policy."""
    from enforcement_agent.models import Outcome, Verdict
    from enforcement_agent.policy import PolicyStore
    from gonogo.demo import _request
    from gonogo.demo_workload import sessions
    from pipelines.settings import DEFAULT_PLAN_DIR

    store = PolicyStore(DEFAULT_PLAN_DIR / "policies")
    out = []
    for n, session in enumerate(sessions()):
        for step in session.steps:
            req = _request(session, step, n)
            decision = store.for_tenant(req.tenant).decide(req)
            if decision.decision is not Verdict.ALLOW:
                outcome = Outcome.DENIED
            elif "limit" in step.note or "flood" in step.note:
                outcome = Outcome.LIMIT
            else:
                outcome = Outcome.SUCCESS
            out.append((session, step, decision, outcome.value))
    return out


def generate(home: Path, scale: int, calls_cap: int | None = None) -> dict[str, Any]:
    """Spool segments (two replicas) and decision chains for ``scale`` × the demo's volume
    (tool calls by ``min(scale, calls_cap)`` only, when a cap is given)."""
    from dataclasses import replace

    from enforcement_agent.audit import new_decision_id
    from enforcement_agent.models import Outcome, ToolRequest, ToolResult
    from gonogo.wiring import build_agent
    from pipelines.settings import Settings

    shapes = _shapes()
    tenants = DEMO_TENANTS * scale
    stride = max(1, scale // calls_cap) if calls_cap else 1
    calls = len(shapes) // DEMO_TENANTS * tenants // stride
    span_ns = MINUTES_PER_SCALE * scale * 60 * 10**9
    end = time.time_ns()
    settings = Settings(home=home).ensure()
    agents = [build_agent(settings, replica=r, demo=True) for r in REPLICAS]
    demo_tenants = sorted({s.tenant for s, *_ in shapes})
    i = 0
    with ExitStack() as stack:
        stack.enter_context(mock.patch("os.fsync"))  # generation only: not what is measured
        for t in range(tenants):
            tenant = f"t{t:05d}"
            shape = demo_tenants[t % DEMO_TENANTS]
            agent = agents[t % len(agents)]
            kept = t  # staggered by tenant: every step of the shape occurs somewhere
            for n, (session, step, decision, outcome) in enumerate(shapes):
                if session.tenant != shape:
                    continue
                kept += 1
                if kept % stride:
                    continue
                req = ToolRequest(
                    tenant=tenant, actor=session.actor.replace(shape, tenant), role=session.role,
                    tool=step.tool, command=step.command, path=step.path,
                    connector=step.connector, operation=step.operation,
                    resource=(step.resource or "").format(t=tenant, T=tenant.upper()) or None,
                    session=f"{tenant}:{session.task}:{n}",
                )  # fmt: skip
                dec = replace(decision, decision_id=new_decision_id())
                agent.decision_log.append(req, dec)
                start = end - span_ns + (i * span_ns) // max(1, calls)
                result = ToolResult(decision=dec, outcome=Outcome(outcome), duration_ms=12.5,
                                    sandbox_layer="bwrap+seccomp")  # fmt: skip
                tracer = agent.telemetry.tracer
                with tracer.start_as_current_span(f"tool_call {req.tool}", start_time=start) as sp:
                    agent._emit(sp, req, result)
                i += 1
        for agent in agents:
            agent.telemetry.shutdown()
    return {
        "tool_calls": i,
        "tenants": tenants,
        "minutes": MINUTES_PER_SCALE * scale,
        "dimensions": {
            "tool_calls": round(scale / stride, 1),
            "evidence_rows": round(scale / stride, 1),
            "tenants": scale,
            "slo_minutes": scale,
        },
    }


# ---- measured phases (each in its own process) ------------------------------------------------
def _usage(started: float) -> dict[str, Any]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "seconds": round(time.monotonic() - started, 2),
        "cpu_s": round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 2),
        "peak_rss_mb": round(max(me.ru_maxrss, kids.ru_maxrss) / 1024, 1),
    }


def _materialize(settings: Any, selection: list[str] | None) -> None:
    import dagster as dg

    from pipelines.definitions import ALL_ASSETS, ALL_CHECKS, build_resources

    chosen = [a for a in ALL_ASSETS if selection is None or any(
        k.to_user_string() in selection for k in a.keys)]  # fmt: skip
    dg.materialize(
        [*chosen, *(ALL_CHECKS if selection is None else [])],
        resources=build_resources(settings, demo=True),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=True,
        run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}},
    )


def phase(name: str, mode: str, home: Path) -> dict[str, Any]:
    import duckdb

    from pipelines.settings import Settings

    settings = Settings(home=home, profile="cluster" if mode == "cluster" else "embedded")
    os.environ["GONOGO_HOME"] = str(home)
    os.environ["GONOGO_OUT"] = str(home / "out")
    started = time.monotonic()
    out: dict[str, Any] = {}
    if name == "ingest":
        if mode == "cluster":
            workers = [
                subprocess.Popen(
                    [sys.executable, "-m", "gonogo", "cluster", "ingest", "--replica", r, "--json"],
                    env={**os.environ, "GONOGO_PROFILE": "cluster"},
                    stdout=subprocess.PIPE,
                    text=True,
                )  # fmt: skip
                for r in REPLICAS
            ]
            exported = [json.loads(w.communicate()[0]) for w in workers]
            assert all(w.returncode == 0 for w in workers)
            out["parquet_s"] = round(time.monotonic() - started, 2)
            out["parquet_rows"] = sum(e["rows"] for e in exported)
            # The spool is not visible to the store: only the partitions feed it.
            shutil.rmtree(settings.spool_dir)
            settings.spool_dir.mkdir()
        _materialize(settings, ["spool_ingest", "decision_records"])
    else:
        _materialize(settings, None)
    out.update(_usage(started))
    con = duckdb.connect(str(settings.duckdb_path), read_only=True)
    try:
        for table in ("tool_calls", "decision_records"):
            got = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            out[table] = int(got[0]) if got else 0
    finally:
        con.close()
    return out


def _run_phase(name: str, mode: str, home: Path, timeout: float) -> dict[str, Any]:
    argv = [sys.executable, "-m", "benchmarks.perf.bench_scale", "--phase", name, "--mode", mode,
            "--home", str(home)]  # fmt: skip
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"timeout_s": timeout}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:300]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="10,100,1000")
    ap.add_argument("--modes", default="embedded,cluster")
    ap.add_argument("--phase-timeout", type=float, default=900.0)
    ap.add_argument("--calls-cap", type=int, help="scale tool calls by at most this factor")
    ap.add_argument("--phase", choices=("ingest", "report"))
    ap.add_argument("--mode", choices=("embedded", "cluster"))
    ap.add_argument("--home", type=Path)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.mode, args.home)))
        return
    results: list[dict[str, Any]] = []
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="gonogo-bench-scale-") as tmp:
        for scale in (int(s) for s in args.scales.split(",")):
            gen_home = Path(tmp) / f"gen-{scale}"
            t0 = time.monotonic()
            volume = generate(gen_home, scale, args.calls_cap)
            volume["generate_s"] = round(time.monotonic() - t0, 1)
            size = sum(f.stat().st_size for f in gen_home.rglob("*") if f.is_file())
            volume["input_mb"] = round(size / 2**20, 1)
            for mode in args.modes.split(","):
                home = Path(tmp) / f"{mode}-{scale}"
                shutil.copytree(gen_home, home)
                row: dict[str, Any] = {"scale": scale, "mode": mode, **volume}
                ingest = _run_phase("ingest", mode, home, args.phase_timeout)
                rows = ingest.get("tool_calls", 0) + ingest.get("decision_records", 0)
                if "seconds" in ingest and ingest["seconds"]:
                    ingest["rows_per_s"] = round(rows / ingest["seconds"])
                row["ingest"] = ingest
                row["report"] = _run_phase("report", mode, home, args.phase_timeout)
                results.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
                shutil.rmtree(home, ignore_errors=True)
            shutil.rmtree(gen_home, ignore_errors=True)
    print(json.dumps({"load_average_at_start": round(load, 1), "cores": os.cpu_count(),
                      "results": results}, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
