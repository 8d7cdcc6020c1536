"""Turning ``Limits`` into kernel-enforced limits: rlimits (via ``prlimit``) and a pids cgroup.

rlimits cover CPU seconds, address space (memory), file size and, for a non-root runner,
process count. ``RLIMIT_NPROC`` is not enforced for processes whose real uid is host root, so a
root runner also needs a pids cgroup; when neither can hold the process count the result says
so (``enforced`` lists only what the kernel really enforces).
"""

from __future__ import annotations

import os
import shutil
import signal
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from enforcement_agent.models import Limits

_V1_PIDS_ROOT = Path("/sys/fs/cgroup/pids")
_CGROUP_ENV = "GONOGO_SANDBOX_CGROUP"


def prlimit_prefix(limits: Limits) -> tuple[list[str], list[str]]:
    """``prlimit`` argv prefix and the names of the limits it sets."""
    exe = shutil.which("prlimit")
    if exe is None:
        return [], []
    args = [exe, "--core=0"]
    names: list[str] = []
    if limits.cpu_seconds is not None:
        # soft limit sends SIGXCPU, hard limit one second later is SIGKILL.
        args.append(f"--cpu={limits.cpu_seconds}:{limits.cpu_seconds + 1}")
        names.append("cpu")
    if limits.memory_bytes is not None:
        args.append(f"--as={limits.memory_bytes}")
        names.append("memory")
    if limits.file_bytes is not None:
        args.append(f"--fsize={limits.file_bytes}")
        names.append("file_size")
    if limits.processes is not None:
        args.append(f"--nproc={limits.processes}")
        if os.getuid() != 0:
            names.append("processes")
    args.append("--")
    return args, names


def rlimit_list(limits: Limits) -> list[tuple[str, int, int]]:
    """The same limits as ``prlimit_prefix``, as (resource name, soft, hard) triples."""
    out: list[tuple[str, int, int]] = [("RLIMIT_CORE", 0, 0)]
    if limits.cpu_seconds is not None:
        out.append(("RLIMIT_CPU", limits.cpu_seconds, limits.cpu_seconds + 1))
    if limits.memory_bytes is not None:
        out.append(("RLIMIT_AS", limits.memory_bytes, limits.memory_bytes))
    if limits.file_bytes is not None:
        out.append(("RLIMIT_FSIZE", limits.file_bytes, limits.file_bytes))
    if limits.processes is not None:
        out.append(("RLIMIT_NPROC", limits.processes, limits.processes))
    return out


def _cgroup_base() -> Path | None:
    configured = os.environ.get(_CGROUP_ENV)
    if configured:
        return Path(configured)
    if (_V1_PIDS_ROOT / "cgroup.procs").exists():
        return _V1_PIDS_ROOT / "gonogo-sandbox"
    return None


_SWEPT = False


def _sweep_stale(base: Path, older_than_s: float = 300.0) -> None:
    """Remove run cgroups a killed runner left behind (empty ones only: rmdir refuses others)."""
    now = time.time()
    for d in base.glob("run-*"):
        try:
            if now - d.stat().st_mtime > older_than_s:
                d.rmdir()
        except OSError:
            continue


@dataclass
class PidsCgroup:
    """One cgroup per sandboxed run: caps the task count and lets us reap every leftover."""

    path: Path

    @classmethod
    def create(cls, max_pids: int) -> PidsCgroup | None:
        base = _cgroup_base()
        if base is None:
            return None
        try:
            base.mkdir(exist_ok=True)
            global _SWEPT
            if not _SWEPT:
                _SWEPT = True
                _sweep_stale(base)
            path = base / f"run-{uuid.uuid4().hex[:16]}"
            path.mkdir()
        except OSError:
            return None
        try:
            (path / "pids.max").write_text(str(max_pids))
        except OSError:
            os.rmdir(path)
            return None
        return cls(path)

    @property
    def procs_file(self) -> str:
        return str(self.path / "cgroup.procs")

    def pids(self) -> list[int]:
        try:
            return [int(x) for x in (self.path / "cgroup.procs").read_text().split()]
        except (OSError, ValueError):
            return []

    def hit_max(self) -> bool:
        """True when a fork in this run was refused for the pids limit."""
        try:
            for line in (self.path / "pids.events").read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "max" and int(value) > 0:
                    return True
        except (OSError, ValueError):
            pass
        return False

    def kill_all(self, grace: float = 2.0) -> bool:
        """SIGKILL every task left in the cgroup; True once it is empty."""
        deadline = time.monotonic() + grace
        while True:
            pids = self.pids()
            if not pids:
                return True
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            if time.monotonic() > deadline:
                return False
            time.sleep(0.001)

    def remove(self) -> None:
        self.kill_all()
        for _ in range(100):
            try:
                os.rmdir(self.path)
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.01)
