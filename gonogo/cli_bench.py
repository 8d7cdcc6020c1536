"""`gonogo bench …`: the competitive benchmark harness (run, import, reproduce).

Results are run folders under ``--out`` (default ``$GONOGO_HOME/evidence/bench``), loaded into
the DuckDB evidence store as well; the ``benchmark_comparisons`` asset reads the same folders.
A user's mistake (no such tasks folder, bad ``--agent``) is one line on stderr and exit 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

USAGE_EXIT = 2
REPRODUCE_FAILED_EXIT = 1

bench_app = typer.Typer(
    help="Competitive benchmarks over Harbor-layout tasks (run, import, reproduce).",
    no_args_is_help=True,
)

OutOpt = Annotated[
    Path | None,
    typer.Option("--out", help="results folder (default: $GONOGO_HOME/evidence/bench)"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="print the JSON document on stdout")]


def _fail(message: str) -> None:
    sys.stderr.write(f"gonogo bench: {message}\n")
    raise typer.Exit(USAGE_EXIT)


def _results_dir(out: Path | None) -> Path:
    from gonogo.config import Settings

    return (out or Settings.from_env().evidence_dir / "bench").resolve()


def _load_into_db(folder: Path) -> None:
    """Load a run folder into the DuckDB evidence store (the same tables the asset fills)."""
    from assets.benchmarks.results import read_run
    from assets.benchmarks.store import load_run
    from assets.tables import open_store
    from gonogo.config import Settings

    settings = Settings.from_env().ensure()
    with open_store(settings.duckdb_path) as con:
        load_run(con, read_run(folder))


def _progress(i: int, n: int, rec: Any) -> None:
    ttm = f"{rec.time_to_merge_s:.2f}s" if rec.time_to_merge_s is not None else "-"
    extra = f"  fault@{rec.fault_at_s:.2f}s" if rec.fault_injected else ""
    sys.stderr.write(
        f"[{i:>4}/{n}] {rec.agent:<24} {rec.task_id:<32} r{rec.repeat}  {rec.status:<11}"
        f" merge {ttm}{extra}\n"
    )
    sys.stderr.flush()


def _print_human(doc: dict[str, Any], folder: Path) -> None:
    print(f"run {doc['run_id']}  ({len(doc['tasks'])} tasks)  results: {folder}")
    print(f"{'agent':<24} {'attempts':>8} {'done':>5} {'rate':>6}  {'95% CI':<15} {'merge p50':>9}")
    for name, a in doc["agents"].items():
        ci = a["completion_ci95"]
        ci_s = f"[{ci[0]:.2f}, {ci[1]:.2f}]" if ci else "-"
        med = a["time_to_merge_s"]["median"]
        med_s = f"{med:.2f}s" if med is not None else "-"
        rate = a["completion_rate"]
        rate_s = f"{rate:.2f}" if rate is not None else "-"
        print(
            f"{name:<24} {a['attempts']:>8} {a['completed']:>5} {rate_s:>6}  {ci_s:<15} {med_s:>9}"
        )
    for c in doc["comparisons"]:
        ci = c["ci95"]
        print(
            f"  {c['a']} − {c['b']}  {c['metric']}: {c['diff']:+.3f}  [{ci[0]:+.3f}, {ci[1]:+.3f}]"
        )
    for name, o in doc["governance_overhead_s"].items():
        print(
            f"  governance overhead {name} vs {o['baseline']}: {o['mean_diff_s']}s per task,"
            f" {o['share_in_governed_calls']} of wall time in governed calls"
        )
    for name, r in doc["recovery_time_s"].items():
        print(
            f"  recovery {name}: {r['recovered']}/{r['injected']} recovered, median {r['median']}s"
        )


@bench_app.command("run")
def bench_run(
    tasks: Annotated[Path, typer.Option("--tasks", help="a task folder or a folder of tasks")],
    agent: Annotated[
        list[str] | None,
        typer.Option(
            "--agent",
            help="NAME (oracle, none), NAME=TEMPLATE ({instruction_file}, {workdir});"
            " NAME+governed routes every tool call through the enforcement agent",
        ),
    ] = None,
    repeats: Annotated[int, typer.Option("--repeats", help="attempts per task and agent")] = 5,
    inject: Annotated[
        list[str] | None, typer.Option("--inject", help="fault: kill@<seconds> (repeatable)")
    ] = None,
    out: OutOpt = None,
    as_json: JsonOpt = False,
    seed: Annotated[int, typer.Option("--seed", help="attempt order and bootstrap seed")] = 0,
    replicates: Annotated[int, typer.Option("--replicates", help="bootstrap replicates")] = 2000,
    policy_dir: Annotated[
        Path | None, typer.Option("--policy-dir", help="policy folder for governed agents")
    ] = None,
    allow_weak_fallback: Annotated[
        bool, typer.Option("--allow-weak-fallback", help="governed runs without bubblewrap")
    ] = False,
    keep_work: Annotated[bool, typer.Option("--keep-work", help="keep attempt work dirs")] = False,
    demo: Annotated[bool, typer.Option("--demo", help="mark the results as demo data")] = False,
    no_db: Annotated[bool, typer.Option("--no-db", help="do not load into DuckDB")] = False,
    host_verifier: Annotated[
        bool,
        typer.Option(
            "--unsandboxed-verifier",
            help="run task verifiers on the host instead of the bubblewrap sandbox",
        ),
    ] = False,
) -> None:
    """Run every task with every agent REPEATS times; record every attempt; print statistics."""
    from benchmarks.harness.agents import AgentSpecError, parse_agents
    from benchmarks.harness.runner import (
        InjectError,
        RunError,
        RunOptions,
        parse_inject,
        run_benchmark,
    )
    from benchmarks.harness.tasks import TaskError, discover_tasks

    if repeats < 1:
        _fail("--repeats must be at least 1")
    if replicates < 100:
        _fail("--replicates must be at least 100")
    try:
        task_list = discover_tasks(tasks)
        specs = parse_agents(agent or ["oracle", "none"])
        faults = tuple(parse_inject(v) for v in inject or [])
    except (TaskError, AgentSpecError, InjectError) as exc:
        _fail(str(exc))
    results = _results_dir(out)
    options = RunOptions(
        repeats=repeats,
        seed=seed,
        faults=faults,
        policy_dir=policy_dir,
        allow_weak_fallback=allow_weak_fallback,
        keep_work=keep_work,
        replicates=replicates,
        is_demo=demo,
        sandbox_verifier=not host_verifier,
    )
    try:
        run, _attempts, doc = run_benchmark(task_list, specs, results, options, progress=_progress)
    except RunError as exc:
        _fail(str(exc))
    if not no_db:
        _load_into_db(results / run.run_id)
    if as_json:
        sys.stdout.write(json.dumps(doc, sort_keys=True) + "\n")
    else:
        _print_human(doc, results / run.run_id)


@bench_app.command("import")
def bench_import(
    paths: Annotated[list[Path], typer.Argument(help="Harbor job folders / SWE-bench reports")],
    out: OutOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="auto, harbor or swebench")] = "auto",
    as_json: JsonOpt = False,
    no_db: Annotated[bool, typer.Option("--no-db", help="do not load into DuckDB")] = False,
) -> None:
    """Read Harbor job results and SWE-bench run reports into gonogo's run folders and tables."""
    from benchmarks.harness.importers import ImportError_, import_path

    if fmt not in ("auto", "harbor", "swebench"):
        _fail(f"--format {fmt!r}: expected auto, harbor or swebench")
    results = _results_dir(out)
    docs = []
    for p in paths:
        try:
            folder, doc = import_path(p, results, fmt)
        except ImportError_ as exc:
            _fail(str(exc))
        if not no_db:
            _load_into_db(folder)
        docs.append(doc)
        sys.stderr.write(
            f"imported {doc['source']} run {doc['run_id']}: {len(doc['attempts'])} attempts\n"
        )
    if as_json:
        sys.stdout.write(json.dumps(docs if len(docs) != 1 else docs[0], sort_keys=True) + "\n")


@bench_app.command("reproduce")
def bench_reproduce(
    run_id: Annotated[str, typer.Argument(help="the run to reproduce")],
    out: OutOpt = None,
    sample: Annotated[
        int | None, typer.Option("--sample", help="tasks to re-run (default: every task)")
    ] = None,
    repeats: Annotated[int, typer.Option("--repeats", help="attempts per task and agent")] = 1,
    strict_timing: Annotated[
        bool, typer.Option("--strict-timing", help="time measures must fall in their intervals")
    ] = False,
    seed: Annotated[int, typer.Option("--seed", help="sample seed")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """Re-run a sample of RUN_ID; exit 1 unless checksums match and results fall in intervals."""
    from assets.benchmarks.results import ResultsError
    from benchmarks.harness.reproduce import ReproduceError, reproduce

    if repeats < 1:
        _fail("--repeats must be at least 1")
    try:
        result = reproduce(
            _results_dir(out),
            run_id,
            sample=sample,
            repeats=repeats,
            seed=seed,
            strict_timing=strict_timing,
            progress=_progress,
        )
    except (ResultsError, ReproduceError) as exc:
        _fail(str(exc))
    if as_json:
        sys.stdout.write(json.dumps(result, sort_keys=True) + "\n")
    else:
        verdict = "REPRODUCED" if result["ok"] else "NOT REPRODUCED"
        print(f"{verdict}: run {run_id} (re-run {result['reproduction_run_id']})")
        for line in result["findings"]:
            print(f"  {line}")
    if not result["ok"]:
        raise typer.Exit(REPRODUCE_FAILED_EXIT)


def register(app: typer.Typer) -> None:
    app.add_typer(bench_app, name="bench")
