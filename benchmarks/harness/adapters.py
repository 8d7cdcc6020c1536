"""Run one agent once on an attempt's work dir (optionally killed by an injected fault)."""

from __future__ import annotations

import os
import shlex
import time
from dataclasses import dataclass, field

from benchmarks.harness.agents import AgentSpec
from benchmarks.harness.governed import CallRecord, GovernedSession, Watchdog
from benchmarks.harness.procs import run_killable
from benchmarks.harness.script_lines import ScriptError, split_commands
from benchmarks.harness.tasks import Task
from benchmarks.harness.verifier import script_env
from benchmarks.harness.workdir import AttemptArea, copy_mapped

# The oracle commits what the solution changed, so "merged on main" means the same for every
# task whether or not its solve.sh commits. Re-runnable: nothing staged, nothing committed.
COMMIT_COMMANDS = (
    "git add -A",
    "git diff --cached --quiet || git commit -q -m 'oracle solution'",
)
# A template that exits like this never ran (shell could not execute / find the command).
_NOT_STARTED_EXITS = (126, 127)


@dataclass
class AgentRun:
    exit_code: int | None
    seconds: float
    timed_out: bool = False
    killed_after_s: float | None = None
    infra_error: str = ""
    calls: list[CallRecord] = field(default_factory=list)


def _stage_solution(task: Task, area: AttemptArea) -> None:
    if not area.solution.exists():
        copy_mapped(task.solution_dir, area.solution, area.mapping())


def _oracle_script(area: AttemptArea) -> str:
    solve = shlex.quote(str(area.solution / "solve.sh"))
    return "\n".join([f"bash {solve}", "status=$?", *COMMIT_COMMANDS, "exit $status", ""])


def _template_env(spec: AgentSpec, area: AttemptArea, seed: int) -> dict[str, str]:
    # A real CLI agent needs the operator's environment (its config, API keys) as it is.
    return {
        **os.environ,
        "WORKDIR": str(area.work),
        "INSTRUCTION_FILE": str(area.instruction_file),
        "GONOGO_BENCH_SEED": str(seed),
        "GONOGO_BENCH_AGENT": spec.name,
    }


def run_agent(
    spec: AgentSpec,
    task: Task,
    area: AttemptArea,
    *,
    seed: int,
    attempt_id: str,
    kill_after_s: float | None = None,
    session: GovernedSession | None = None,
) -> AgentRun:
    """One run of the agent; ``kill_after_s`` kills it (or its sandbox) that long after start."""
    if spec.base == "none":
        return AgentRun(exit_code=0, seconds=0.0)
    if spec.base == "oracle":
        if not task.has_solution:
            return AgentRun(None, 0.0, infra_error="task has no solution/solve.sh for the oracle")
        try:
            _stage_solution(task, area)
        except OSError as exc:
            return AgentRun(None, 0.0, infra_error=f"could not stage solution: {exc}")
    if spec.governed:
        if session is None:
            return AgentRun(None, 0.0, infra_error="governed agent without an enforcement agent")
        return _run_governed(spec, task, area, attempt_id, kill_after_s, session)
    if spec.base == "oracle":
        script = area.agent_logs / "oracle.sh"
        script.write_text(_oracle_script(area), encoding="utf-8")
        argv = ["bash", str(script)]
        env = script_env(area, seed)
    else:
        argv = ["/bin/sh", "-c", spec.command(str(area.instruction_file), str(area.work))]
        env = _template_env(spec, area, seed)
    res = run_killable(
        argv,
        cwd=area.work,
        env=env,
        timeout_s=task.agent_timeout_s,
        log_path=area.agent_logs / "agent-output.txt",
        kill_after_s=kill_after_s,
    )
    run = AgentRun(res.exit_code, res.seconds, res.timed_out, res.killed_after_s)
    if res.start_error:
        run.infra_error = f"agent did not start: {res.start_error}"
    elif spec.base == "template" and res.exit_code in _NOT_STARTED_EXITS:
        run.infra_error = f"agent command could not run (exit {res.exit_code})"
    return run


def _run_governed(
    spec: AgentSpec,
    task: Task,
    area: AttemptArea,
    attempt_id: str,
    kill_after_s: float | None,
    session: GovernedSession,
) -> AgentRun:
    errexit = False
    if spec.base == "oracle":
        try:
            parsed = split_commands((area.solution / "solve.sh").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ScriptError) as exc:
            return AgentRun(None, 0.0, infra_error=f"solve.sh cannot be split: {exc}")
        commands = [*parsed.commands]
        errexit = parsed.errexit
    else:
        commands = [spec.command(str(area.instruction_file), str(area.work))]
    started = time.monotonic()
    with Watchdog(task.agent_timeout_s, kill_after_s) as dog:
        run = session.run_commands(
            commands,
            workspace=area.work,
            actor=spec.name,
            session=attempt_id,
            errexit=errexit,
            stop=dog.stop,
        )
        if spec.base == "oracle" and not dog.stop() and not run.fail_closed:
            # The commit step runs whatever solve.sh returned, as the plain oracle does.
            commit = session.run_commands(
                list(COMMIT_COMMANDS),
                workspace=area.work,
                actor=spec.name,
                session=attempt_id,
                errexit=False,
                stop=dog.stop,
            )
            run.calls += commit.calls
            run.fail_closed = commit.fail_closed
    seconds = time.monotonic() - started
    out = AgentRun(
        exit_code=None if dog.stop() else run.exit_code,
        seconds=seconds,
        timed_out=dog.timed_out,
        killed_after_s=dog.killed_after_s,
        infra_error=run.fail_closed,
        calls=run.calls,
    )
    return out
