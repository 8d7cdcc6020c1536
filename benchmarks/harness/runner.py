"""A benchmark run: every task × agent × repeat as one recorded attempt.

Attempt timeline (monotonic clock)::

    setup (fresh git repo from environment/) ─► start ─► agent … [fault → restart …] ─► end
    ─► merge state read (HEAD on main, clean, past the seed commit) ─► verifier ─► done

* time to merge = done − start, for an attempt whose verifier passed and whose change is
  committed on main;
* recovery time = done − fault, for an attempt whose agent was killed and that still passed;
* an attempt is recorded whatever happens: ``solved``, ``unsolved``, ``timeout`` (the agent
  ran past the task's timeout) or ``infra_error`` (setup, verifier or enforcement path failed);
  all four count in the denominator of the completion rate.

Attempts run in a seeded random order, so drift on a shared machine does not line up with one
agent or task.
"""

from __future__ import annotations

import hashlib
import random
import re
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assets.benchmarks.results import (
    INFRA_ERROR,
    SOLVED,
    TIMEOUT,
    UNSOLVED,
    AttemptRecord,
    RunRecord,
    write_run,
)
from assets.benchmarks.stats import DEFAULT_REPLICATES, summarize
from benchmarks.harness import HARNESS_VERSION
from benchmarks.harness.adapters import run_agent
from benchmarks.harness.agents import AgentSpec
from benchmarks.harness.environment import describe, fingerprint
from benchmarks.harness.governed import GovernedSession
from benchmarks.harness.log_redaction import redact_logs
from benchmarks.harness.tasks import Task
from benchmarks.harness.verifier import run_verifier, sandbox_available
from benchmarks.harness.workdir import AttemptArea, SetupError, merge_state, prepare

DEFAULT_REPEATS = 5
_INJECT = re.compile(r"^kill@(\d+(?:\.\d+)?)$")


class InjectError(ValueError):
    """An ``--inject`` value that is not understood."""


class RunError(RuntimeError):
    """The run cannot start here (one-line reason)."""


@dataclass(frozen=True)
class Fault:
    kind: str
    at_s: float

    def __str__(self) -> str:
        return f"{self.kind}@{self.at_s:g}"


def parse_inject(value: str) -> Fault:
    m = _INJECT.match(value.strip())
    if not m:
        raise InjectError(f"--inject {value!r}: expected kill@<seconds>, e.g. kill@2.5")
    return Fault("kill", float(m.group(1)))


@dataclass
class RunOptions:
    repeats: int = DEFAULT_REPEATS
    seed: int = 0
    faults: tuple[Fault, ...] = ()
    policy_dir: Path | None = None
    allow_weak_fallback: bool = False
    keep_work: bool = False
    replicates: int = DEFAULT_REPLICATES
    is_demo: bool = False
    run_id: str | None = None
    # Task verifiers are third-party code: run them in the bubblewrap sandbox unless told not to.
    sandbox_verifier: bool = True


Progress = Callable[[int, int, AttemptRecord], None]


def new_run_id() -> str:
    return "run-" + datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def attempt_seed(seed: int, task_id: str, agent: str, repeat: int) -> int:
    digest = hashlib.sha256(f"{seed}:{task_id}:{agent}:{repeat}".encode()).hexdigest()
    return int(digest[:8], 16)


def _now() -> str:
    return datetime.now(UTC).isoformat()


def run_attempt(
    task: Task,
    spec: AgentSpec,
    repeat: int,
    *,
    run_id: str,
    run_dir: Path,
    seed: int,
    env_fp: str,
    fault: Fault | None,
    session: GovernedSession | None,
    keep_work: bool = False,
    sandbox_verifier: bool = True,
) -> tuple[AttemptRecord, list[str]]:
    """One attempt, and the decision ids of its governed tool calls."""
    attempt_id = f"{task.task_id}__{spec.name}__r{repeat}"
    area = AttemptArea(run_dir / "attempts" / attempt_id)
    rec = AttemptRecord(
        run_id=run_id,
        attempt_id=attempt_id,
        task_id=task.task_id,
        task_checksum=task.checksum,
        agent=spec.name,
        agent_version=spec.version,
        governed=spec.governed,
        repeat=repeat,
        seed=seed,
        harness_version=HARNESS_VERSION,
        env_fingerprint=env_fp,
        started_at=_now(),
        status=INFRA_ERROR,
        completed=False,
    )
    t0 = time.monotonic()
    try:
        seed_commit = prepare(area, task.environment_dir, task.instruction)
    except SetupError as exc:
        rec.detail = str(exc)
        rec.wall_s = round(time.monotonic() - t0, 6)
        return rec, []
    start = time.monotonic()
    kill_after = fault.at_s if fault is not None and fault.kind == "kill" else None
    run = run_agent(
        spec, task, area, seed=seed, attempt_id=attempt_id, kill_after_s=kill_after,
        session=session,
    )  # fmt: skip
    calls = list(run.calls)
    fault_at: float | None = None
    if run.killed_after_s is not None:
        fault_at = start + run.killed_after_s
        rec.fault_injected = True
        rec.fault_at_s = round(run.killed_after_s, 6)
        rec.restarts = 1
        # Restarted on the same work dir: whatever the killed run left is the starting point.
        run = run_agent(spec, task, area, seed=seed, attempt_id=attempt_id, session=session)
        calls += run.calls
    end = time.monotonic()
    rec.agent_s = round(end - start, 6)
    rec.agent_exit = run.exit_code
    rec.tool_calls = len(calls)
    rec.denied_calls = sum(1 for c in calls if c.decision != "allow")
    if run.infra_error:
        rec.status, rec.detail = INFRA_ERROR, run.infra_error
    elif run.timed_out:
        rec.status, rec.detail = TIMEOUT, f"agent ran past {task.agent_timeout_s:g}s"
    else:
        merge = merge_state(area.work, seed_commit)
        ver = run_verifier(
            area, task.tests_dir, task.verifier_timeout_s, seed, sandboxed=sandbox_verifier
        )
        done = time.monotonic()
        rec.verifier_s = round(ver.seconds, 6)
        rec.verifier_exit = ver.exit_code
        rec.reward = ver.reward
        if ver.error:
            rec.status, rec.detail = INFRA_ERROR, ver.error
        else:
            rec.status = SOLVED if ver.solved else UNSOLVED
            rec.completed = ver.solved
            rec.merged = ver.solved and merge.merged
            rec.detail = "" if ver.solved else "verifier did not pass"
            if ver.solved and not merge.merged:
                rec.detail = "verified but not committed on main"
            if rec.merged:
                rec.time_to_merge_s = round(done - start, 6)
        if fault_at is not None:
            rec.recovered = rec.completed
            if rec.completed:
                rec.recovery_time_s = round(done - fault_at, 6)
    rec.wall_s = round(time.monotonic() - t0, 6)
    redact_logs(area.logs)
    if not keep_work:
        for sub in (area.work, area.tests, area.solution):
            shutil.rmtree(sub, ignore_errors=True)
    return rec, [c.decision_id for c in calls]


def _attach_overhead(
    attempts: list[AttemptRecord], ids: dict[str, list[str]], session: GovernedSession
) -> None:
    """Policy and governed-call time per attempt, read back from the run's spans and records."""
    table = session.overhead()
    for rec in attempts:
        dids = ids.get(rec.attempt_id, [])
        if not dids:
            continue
        rec.governed_call_s = round(sum(table.get(d, {}).get("span_s", 0.0) for d in dids), 6)
        rec.policy_s = round(sum(table.get(d, {}).get("policy_s", 0.0) for d in dids), 9)


def run_benchmark(
    tasks: list[Task],
    agents: list[AgentSpec],
    results_dir: Path,
    options: RunOptions,
    progress: Progress | None = None,
) -> tuple[RunRecord, list[AttemptRecord], dict[str, Any]]:
    if options.sandbox_verifier:
        why = sandbox_available()
        if why:
            raise RunError(f"{why}; install bubblewrap, or run verifiers on the host (unsandboxed)")
    run_id = options.run_id or new_run_id()
    run_dir = results_dir / run_id
    run_dir.mkdir(parents=True, exist_ok=False)
    env = {**describe(), "verifier_sandbox": "bwrap" if options.sandbox_verifier else "host"}
    env_fp = fingerprint(env)
    run = RunRecord(
        run_id=run_id,
        source="gonogo",
        harness_version=HARNESS_VERSION,
        started_at=_now(),
        ended_at="",
        seed=options.seed,
        repeats=options.repeats,
        env_fingerprint=env_fp,
        environment=env,
        tasks={t.task_id: {"checksum": t.checksum, "path": str(t.path)} for t in tasks},
        agents=[a.to_json() for a in agents],
        inject=",".join(map(str, options.faults)) or None,
        tasks_dir=str(tasks[0].path.parent) if tasks else None,
        is_demo=options.is_demo,
    )
    session = None
    if any(a.governed for a in agents):
        session = GovernedSession(
            run_dir / "gonogo-home",
            policy_dir=options.policy_dir,
            allow_weak_fallback=options.allow_weak_fallback,
        )
    plan = [(t, a, r) for t in tasks for a in agents for r in range(options.repeats)]
    random.Random(options.seed).shuffle(plan)
    attempts: list[AttemptRecord] = []
    call_ids: dict[str, list[str]] = {}
    try:
        for i, (task, spec, repeat) in enumerate(plan, start=1):
            fault = options.faults[repeat % len(options.faults)] if options.faults else None
            rec, decision_ids = run_attempt(
                task,
                spec,
                repeat,
                run_id=run_id,
                run_dir=run_dir,
                seed=attempt_seed(options.seed, task.task_id, spec.name, repeat),
                env_fp=env_fp,
                fault=fault,
                session=session if spec.governed else None,
                keep_work=options.keep_work,
                sandbox_verifier=options.sandbox_verifier,
            )
            attempts.append(rec)
            call_ids[rec.attempt_id] = decision_ids
            if progress is not None:
                progress(i, len(plan), rec)
    finally:
        if session is not None:
            session.close()
    if session is not None:
        _attach_overhead(attempts, call_ids, session)
    run.ended_at = _now()
    attempts.sort(key=lambda a: (a.agent, a.task_id, a.repeat))
    summary = summarize(run, attempts, replicates=options.replicates)
    write_run(results_dir, run, attempts, summary)
    return run, attempts, summary
