"""Child processes the harness can time out or kill as a whole process group."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProcResult:
    exit_code: int | None
    seconds: float
    timed_out: bool = False
    killed: bool = False  # killed by an injected fault
    killed_after_s: float | None = None
    start_error: str = ""


def kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_killable(
    argv: list[str],
    *,
    cwd: Path,
    env: dict[str, str],
    timeout_s: float,
    log_path: Path,
    kill_after_s: float | None = None,
) -> ProcResult:
    """Run ``argv`` in its own session; SIGKILL the group at the timeout or at ``kill_after_s``."""
    started = time.monotonic()
    try:
        with open(log_path, "ab") as log:
            proc = subprocess.Popen(
                argv,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
    except OSError as exc:
        return ProcResult(None, time.monotonic() - started, start_error=str(exc))
    deadline = started + timeout_s
    kill_at = started + kill_after_s if kill_after_s is not None else None
    while True:
        now = time.monotonic()
        stop = min(deadline, kill_at) if kill_at is not None else deadline
        try:
            code = proc.wait(timeout=max(0.0, min(stop - now, 0.2)))
            # The leader exited; anything it left in the background goes with it.
            kill_group(proc.pid)
            return ProcResult(code, time.monotonic() - started)
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        if kill_at is not None and now >= kill_at:
            kill_group(proc.pid)
            proc.wait()
            return ProcResult(None, now - started, killed=True, killed_after_s=now - started)
        if now >= deadline:
            kill_group(proc.pid)
            proc.wait()
            return ProcResult(None, now - started, timed_out=True)
