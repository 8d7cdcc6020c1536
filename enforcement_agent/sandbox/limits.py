"""Turning ``Limits`` into kernel-enforced limits: rlimits (via ``prlimit``), a pids cgroup and
a memory cgroup.

rlimits cover CPU seconds, file size and, for a non-root runner, process count.
``RLIMIT_NPROC`` is not enforced for processes whose real uid is host root, so a root runner
also needs a pids cgroup; when neither can hold the process count the result says so
(``enforced`` lists only what the kernel really enforces).

Memory is capped by a per-run memory cgroup (v1) when one can be created: the kernel then
OOM-kills inside the run and ``memory.oom_control`` says so, which makes a memory hit a
labelled outcome. Without one, ``RLIMIT_AS`` holds the limit, but its hit (a failed allocation
the program may handle any way it likes) cannot be observed reliably, so it stays unlabelled.
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
_V1_MEMORY_ROOT = Path("/sys/fs/cgroup/memory")
_CGROUP_ENV = "GONOGO_SANDBOX_CGROUP"
_MEMORY_CGROUP_ENV = "GONOGO_SANDBOX_MEMORY_CGROUP"
# In ``ExecResult.enforced``: memory held by RLIMIT_AS only, so a hit carries no label.
MEMORY_RLIMIT = "memory:rlimit"


def prlimit_prefix(
    limits: Limits, *, address_space: bool = True, nproc: bool = True
) -> tuple[list[str], list[str]]:
    """``prlimit`` argv prefix and the names of the limits it sets.

    ``address_space=False`` leaves memory to a memory cgroup: an address-space limit as low as
    the memory limit would fail allocations before the cgroup could see (and label) the hit.
        ``nproc=False`` leaves the process count to a pids cgroup: in a tenant's user namespace,
    which all its concurrent runs share, ``RLIMIT_NPROC`` would count them together.
    """
    exe = shutil.which("prlimit")
    if exe is None:
        return [], []
    args = [exe, "--core=0"]
    names: list[str] = []
    if limits.cpu_seconds is not None:
        # soft limit sends SIGXCPU, hard limit one second later is SIGKILL.
        args.append(f"--cpu={limits.cpu_seconds}:{limits.cpu_seconds + 1}")
        names.append("cpu")
    if limits.memory_bytes is not None and address_space:
        args.append(f"--as={limits.memory_bytes}")
        names.append(MEMORY_RLIMIT)
    if limits.file_bytes is not None:
        args.append(f"--fsize={limits.file_bytes}")
        names.append("file_size")
    if limits.processes is not None and nproc:
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


_SWEPT_BASES: set[Path] = set()


def _sweep_stale(base: Path, prefix: str, older_than_s: float = 300.0) -> None:
    """Remove run cgroups a killed runner left behind (empty ones only: rmdir refuses others)."""
    now = time.time()
    for d in base.glob(f"{prefix}*"):
        try:
            if now - d.stat().st_mtime > older_than_s:
                d.rmdir()
        except OSError:
            continue


def _make_run_dir(base: Path, prefix: str) -> Path | None:
    try:
        base.mkdir(exist_ok=True)
        if base not in _SWEPT_BASES:
            _SWEPT_BASES.add(base)
            _sweep_stale(base, prefix)
        path = base / f"{prefix}{uuid.uuid4().hex[:16]}"
        path.mkdir()
    except OSError:
        return None
    return path


@dataclass
class RunCgroup:
    """One cgroup directory per sandboxed run: its tasks can be listed, killed and removed."""

    path: Path

    @property
    def procs_file(self) -> str:
        return str(self.path / "cgroup.procs")

    def pids(self) -> list[int]:
        try:
            return [int(x) for x in (self.path / "cgroup.procs").read_text().split()]
        except (OSError, ValueError):
            return []

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


@dataclass
class PidsCgroup(RunCgroup):
    """Caps the task count and lets us reap every leftover."""

    @classmethod
    def create(cls, max_pids: int) -> PidsCgroup | None:
        base = _cgroup_base()
        if base is None:
            return None
        path = _make_run_dir(base, "run-")
        if path is None:
            return None
        try:
            (path / "pids.max").write_text(str(max_pids))
        except OSError:
            os.rmdir(path)
            return None
        return cls(path)

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


def _own_memory_cgroup() -> Path | None:
    """This process's own v1 memory cgroup: run cgroups nest under it, never beside it."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, rel = line.split(":", 2)
        if "memory" in controllers.split(","):
            path = _V1_MEMORY_ROOT / rel.lstrip("/")
            return path if (path / "memory.limit_in_bytes").exists() else None
    return None


def _memory_base() -> tuple[Path, str] | None:
    configured = os.environ.get(_MEMORY_CGROUP_ENV)
    if configured:
        return Path(configured), "run-"
    own = _own_memory_cgroup()
    # Directly under our own cgroup, no shared base directory: a leftover base would keep
    # whoever manages our cgroup from removing it.
    return (own, "gonogo-run-") if own is not None else None


@dataclass
class MemoryCgroup(RunCgroup):
    """Caps the run's memory; the kernel OOM-kills inside it and counts the kill."""

    @classmethod
    def create(cls, limit_bytes: int | None) -> MemoryCgroup | None:
        found = _memory_base()
        if found is None:
            return None
        base, prefix = found
        path = _make_run_dir(base, prefix)
        if path is None:
            return None
        cg = cls(path)
        if not cg.set_limit(limit_bytes):
            cg.remove()
            return None
        return cg

    def set_limit(self, limit_bytes: int | None) -> bool:
        value = str(limit_bytes) if limit_bytes is not None else "-1"
        try:
            (self.path / "memory.limit_in_bytes").write_text(value)
        except OSError:
            return False
        try:
            # With swap, memory+swap must be capped too or a hog swaps instead of being stopped.
            (self.path / "memory.memsw.limit_in_bytes").write_text(value)
        except OSError:
            pass  # no swap accounting: nothing to swap to, or the kernel does not track it
        return True

    def _counters(self, name: str) -> dict[str, int]:
        out: dict[str, int] = {}
        try:
            for line in (self.path / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                out[key] = int(value)
        except (OSError, ValueError):
            pass
        return out

    def _read_int(self, name: str) -> int | None:
        try:
            return int((self.path / name).read_text())
        except (OSError, ValueError):
            return None

    def hit_limit(self) -> bool:
        """True when the kernel OOM-killed a task of this run for the memory limit."""
        oom = self._counters("memory.oom_control")
        if "oom_kill" in oom:
            return oom["oom_kill"] > 0 or oom.get("under_oom", 0) > 0
        # Kernels before 4.13 have no oom_kill counter: the limit was reached and usage peaked
        # at it (failcnt alone also counts reclaimed page cache).
        failcnt = self._read_int("memory.failcnt") or 0
        peak = self._read_int("memory.max_usage_in_bytes") or 0
        limit = self._read_int("memory.limit_in_bytes") or 0
        return failcnt > 0 and limit > 0 and peak >= limit - (1 << 20)

    def peak_bytes(self) -> int | None:
        return self._read_int("memory.max_usage_in_bytes")
