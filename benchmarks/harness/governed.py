"""The governed adapters: every tool call through the real enforcement agent.

The agent is built once per run with the project's wiring (``build_agent``) over a state folder
of the run's own (decision records, spool), so benchmark calls never mix with a tenant's
production telemetry, and the overhead can be read back from the run's spans and records.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.harness.procs import kill_group
from enforcement_agent.spool import read_tool_calls

TENANT = "bench"
ROLE = "contributor"
# The sandbox's idle pre-spawned launchers wait in ``read -r args_fd …``; a kill spares them.
_LAUNCHER_MARK = b"read -r args_fd"


@dataclass
class CallRecord:
    decision_id: str
    decision: str
    rule: str
    outcome: str
    exit_code: int | None
    duration_ms: float


@dataclass
class GovernedRun:
    calls: list[CallRecord] = field(default_factory=list)
    exit_code: int | None = 0
    fail_closed: str = ""


class GovernedSession:
    """One enforcement agent for a whole benchmark run."""

    def __init__(
        self,
        home: Path,
        *,
        policy_dir: Path | None = None,
        allow_weak_fallback: bool = False,
        tenant: str = TENANT,
        role: str = ROLE,
    ) -> None:
        from enforcement_agent.agent import FAIL_CLOSED_RULES
        from gonogo.config import Settings
        from gonogo.wiring import build_agent

        self.settings = Settings(home=home.resolve()).ensure()
        self.agent = build_agent(
            self.settings, policy_dir=policy_dir, allow_weak_fallback=allow_weak_fallback
        )
        self.fail_closed_rules = FAIL_CLOSED_RULES
        self.tenant = tenant
        self.role = role

    def exec(
        self,
        command: str,
        *,
        workspace: Path,
        actor: str,
        session: str,
    ) -> CallRecord:
        from enforcement_agent.models import ToolRequest

        req = ToolRequest(
            tenant=self.tenant,
            actor=actor,
            role=self.role,
            tool="exec",
            command=command,
            session=session,
        )
        res = self.agent.handle(req, workspace=workspace)
        return CallRecord(
            decision_id=res.decision.decision_id,
            decision=res.decision.decision.value,
            rule=res.decision.rule,
            outcome=res.outcome.value,
            exit_code=res.exit_code,
            duration_ms=res.duration_ms,
        )

    def run_commands(
        self,
        commands: list[str],
        *,
        workspace: Path,
        actor: str,
        session: str,
        errexit: bool,
        stop: Callable[[], bool],
    ) -> GovernedRun:
        """Run commands one governed exec each; stop early when ``stop()`` says so."""
        run = GovernedRun()
        for command in commands:
            if stop():
                run.exit_code = None
                break
            call = self.exec(command, workspace=workspace, actor=actor, session=session)
            run.calls.append(call)
            if call.rule in self.fail_closed_rules:
                run.fail_closed = f"{call.rule}: the enforcement path failed closed"
                run.exit_code = None
                break
            failed = call.decision != "allow" or call.exit_code != 0
            run.exit_code = call.exit_code if call.decision == "allow" else 126
            if stop():
                run.exit_code = None
                break
            if failed and errexit:
                break
        return run

    def close(self) -> None:
        """Close the spool segment so the run's spans can be read back."""
        self.agent.telemetry.shutdown()

    def overhead(self) -> dict[str, dict[str, float]]:
        """Per decision id: the span's duration and the decision record's policy time (s)."""
        out: dict[str, dict[str, float]] = {}
        for row in read_tool_calls(self.settings.spool_dir):
            if row["decision_id"] and row["duration_ms"] is not None:
                out.setdefault(row["decision_id"], {})["span_s"] = row["duration_ms"] / 1000.0
        log = self.settings.audit_dir / self.tenant / "decisions.jsonl"
        if log.exists():
            for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    rec = json.loads(line)
                    did = str(rec["decision_id"])
                    eval_s = float(rec["eval_us"]) / 1e6
                except (ValueError, KeyError, TypeError):
                    continue
                out.setdefault(did, {})["policy_s"] = eval_s
        return out


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid:
            kids.append(int(entry))
    return kids


def kill_running_sandboxes() -> int:
    """Kill the sandboxes this process is running now (not the sandbox's idle launchers).

    The sandbox keeps a few pre-spawned ``/bin/sh`` launchers waiting for work; they are
    recognisable by their command line and left alone, as is every child that is not a sandbox. Returns how many groups were killed.
    """
    killed = 0
    for pid in _children(os.getpid()):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read()
        except OSError:
            continue
        # Only sandboxes (``bwrap``, or ``prlimit … bwrap`` from the launcher): this process
        # may have other children, such as the run's own redis-server, that a kill must spare.
        if _LAUNCHER_MARK in cmdline or b"bwrap" not in cmdline:
            continue
        try:
            pgid = os.getpgid(pid)
        except ProcessLookupError:
            continue
        if pgid == os.getpgid(0):
            os.kill(pid, 9)
        else:
            kill_group(pgid)
        killed += 1
    return killed


class Watchdog:
    """Fires a fault (kill) and/or the agent timeout while governed calls run in this thread."""

    def __init__(self, timeout_s: float, kill_after_s: float | None) -> None:
        self.started = time.monotonic()
        self.timeout_s = timeout_s
        self.kill_after_s = kill_after_s
        self.killed_after_s: float | None = None
        self.timed_out = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Watchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._done.set()
        self._thread.join()

    def stop(self) -> bool:
        return self.killed_after_s is not None or self.timed_out

    def _run(self) -> None:
        marks = [(self.timeout_s, "timeout")]
        if self.kill_after_s is not None:
            marks.append((self.kill_after_s, "kill"))
        for at, what in sorted(marks):
            wait = self.started + at - time.monotonic()
            if wait > 0 and self._done.wait(wait):
                return
            if self._done.is_set():
                return
            if what == "kill":
                self.killed_after_s = time.monotonic() - self.started
            else:
                self.timed_out = True
            kill_running_sandboxes()
            return
