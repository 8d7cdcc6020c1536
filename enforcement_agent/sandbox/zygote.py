"""Pre-spawned launchers that already sit in their own pids cgroup (and memory cgroup).

Moving a process into a cgroup (v1) waits for an RCU grace period: ~10-15 ms, more than the
whole rest of a sandbox start. So a background thread keeps a few idle launchers ready, each
a ``/bin/sh`` already moved into a fresh cgroup (several are moved at once, so they share one
grace period). A call takes one, sets the cgroups' ``pids.max`` and memory limit, fills its
pipes (bubblewrap options, the command, the seccomp filter) and sends one line with the
rlimits; the launcher
execs ``prlimit … bwrap``, so every process of the run is born inside the cgroup and no
migration is on the call's critical path.

The command reaches the sandbox as a read-only file ``/run/gonogo/argv`` (``exec`` plus the
shell-quoted argv) that a fixed ``/bin/sh -c '. /run/gonogo/argv'`` runs *inside* the
sandbox; nothing of it is parsed by a shell outside.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import shlex
import subprocess
import threading
from dataclasses import dataclass, field

from enforcement_agent.sandbox.bwrap import inner_prefix
from enforcement_agent.sandbox.limits import MemoryCgroup, PidsCgroup

POOL_SIZE = 3
ARGV_IN_SANDBOX = "/run/gonogo/argv"
# Everything written into a launcher's pipes must fit the pipe buffer (no reader yet).
MAX_PIPE_DATA = 60_000
# The launcher's pipes sit at 10 and above, so this one is free for the tenant's user
# namespace, which the launcher opens from the runner's descriptor (/proc/<pid>/fd/<n>) at
# launch time: a launcher is spawned before anyone knows which tenant it will serve.
USERNS_FD_IN_LAUNCHER = 9
_FIRST_PIPE_FD = 10
# $0 = bwrap. Globbing off; the rlimit options are plain tokens written by us. With a user
# namespace the sandbox's first program is setpriv (its options: plain tokens, no spaces).
_LAUNCHER = (
    "set -f; read -r args_fd userns prl opts || exit 1; inner=; "
    'if [ "$userns" != - ]; then exec '
    + str(USERNS_FD_IN_LAUNCHER)
    + '<"$userns" || exit 1; inner="'
    + " ".join(inner_prefix(True))
    + '"; fi; '
    'exec "$prl" $opts -- "$0" --args "$args_fd" -- $inner /bin/sh -c ". ' + ARGV_IN_SANDBOX + '"'
)


@dataclass
class Launcher:
    proc: subprocess.Popen[bytes]
    cgroup: PidsCgroup
    memory: MemoryCgroup | None
    args_w: int
    argv_w: int
    seccomp_w: int
    args_r: int
    argv_r: int
    seccomp_r: int
    _closed: list[int] = field(default_factory=list)

    def launch(
        self,
        options: list[str],
        argv: list[str],
        prlimit: str,
        prlimit_opts: list[str],
        seccomp: bytes | None,
        max_pids: int | None,
        memory_bytes: int | None = None,
        *,
        userns_fd: int | None = None,
    ) -> subprocess.Popen[bytes] | None:
        """Start the run; None (launcher discarded) when the data would not fit the pipes.

        ``userns_fd``: the caller's descriptor of the tenant's user namespace; ``options``
        must then name it as :data:`USERNS_FD_IN_LAUNCHER`.
        """
        # Readable by the sandbox user (bubblewrap would create it 0600 for its own uid).
        opts = list(options) + [
            "--perms",
            "0444",
            "--ro-bind-data",
            str(self.argv_r),
            ARGV_IN_SANDBOX,
        ]
        if seccomp is not None:
            opts += ["--seccomp", str(self.seccomp_r)]
        args_data = b"".join(os.fsencode(a) + b"\0" for a in opts)
        argv_data = ("exec " + shlex.join(argv) + "\n").encode()
        if max(len(args_data), len(argv_data)) > MAX_PIPE_DATA or any(
            " " in o or "\n" in o for o in (prlimit, *prlimit_opts)
        ):
            self.discard()
            return None
        (self.cgroup.path / "pids.max").write_text(str(max_pids) if max_pids else "max")
        if self.memory is not None and not self.memory.set_limit(memory_bytes):
            self.discard()
            return None
        self._write_close(self.args_w, args_data)
        self._write_close(self.argv_w, argv_data)
        self._write_close(self.seccomp_w, seccomp or b"")
        assert self.proc.stdin is not None
        userns = "-" if userns_fd is None else f"/proc/{os.getpid()}/fd/{userns_fd}"
        line = " ".join([str(self.args_r), userns, prlimit, *prlimit_opts])
        self.proc.stdin.write(f"{line}\n".encode())
        self.proc.stdin.close()
        return self.proc

    def _write_close(self, fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.close(fd)
        self._closed.append(fd)

    def close_write_ends(self) -> None:
        for fd in (self.args_w, self.argv_w, self.seccomp_w):
            if fd not in self._closed:
                try:
                    os.close(fd)
                except OSError:
                    pass
                self._closed.append(fd)

    def discard(self) -> None:
        self.close_write_ends()
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
            self.proc.kill()
            self.proc.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.cgroup.remove()
        if self.memory is not None:
            self.memory.remove()


def _pipe_from(lowest: int) -> tuple[int, int]:
    """A pipe whose read end is numbered ``lowest`` or above (it keeps its number in the
    launcher), so the launcher's low descriptors stay free."""
    r, w = os.pipe()
    try:
        high = fcntl.fcntl(r, fcntl.F_DUPFD_CLOEXEC, lowest)
    finally:
        os.close(r)
    return high, w


def _spawn_unmoved(bwrap: str) -> Launcher | None:
    cgroup = PidsCgroup.create(64)
    if cgroup is None:
        return None
    # Unlimited until a call sets its limit; None when no memory cgroup is usable here.
    memory = MemoryCgroup.create(None)
    pipes = [_pipe_from(_FIRST_PIPE_FD) for _ in range(3)]
    reads = tuple(r for r, _ in pipes)
    try:
        proc = subprocess.Popen(
            ["/bin/sh", "-c", _LAUNCHER, bwrap],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={},
            cwd="/",
            pass_fds=reads,
            start_new_session=True,
            close_fds=True,
        )
    except OSError:
        for r, w in pipes:
            os.close(r)
            os.close(w)
        cgroup.remove()
        if memory is not None:
            memory.remove()
        return None
    for r in reads:
        os.close(r)  # the launcher holds them now (same numbers, pass_fds keeps them)
    (ar, aw), (vr, vw), (sr, sw) = pipes
    return Launcher(proc, cgroup, memory, aw, vw, sw, ar, vr, sr)


def _move(launcher: Launcher) -> bool:
    # The launcher blocks in `read` before it can fork anything: moving it now is safe.
    try:
        with open(launcher.cgroup.procs_file, "w") as f:
            f.write(str(launcher.proc.pid))
    except OSError:
        return False
    if launcher.memory is not None:
        try:
            with open(launcher.memory.procs_file, "w") as f:
                f.write(str(launcher.proc.pid))
        except OSError:
            # Still a good pids launcher; the run just falls back to RLIMIT_AS.
            launcher.memory.remove()
            launcher.memory = None
    return True


def spawn_batch(bwrap: str, n: int) -> list[Launcher]:
    """Spawn ``n`` launchers and move them concurrently (one shared RCU grace period)."""
    fresh = [lx for lx in (_spawn_unmoved(bwrap) for _ in range(n)) if lx is not None]
    ok: dict[int, bool] = {}

    def move(lx: Launcher) -> None:
        ok[id(lx)] = _move(lx)

    threads = [threading.Thread(target=move, args=(lx,)) for lx in fresh]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ready = []
    for lx in fresh:
        if ok.get(id(lx)):
            ready.append(lx)
        else:
            lx.discard()
    return ready


class LauncherPool:
    def __init__(self, size: int = POOL_SIZE) -> None:
        self._size = size
        self._ready: dict[str, list[Launcher]] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._threads: dict[str, threading.Thread] = {}
        self._closed = False
        atexit.register(self.close)

    def take(self, bwrap: str) -> Launcher | None:
        """A ready launcher for ``bwrap`` (spawned now if none is idle); None if cgroups fail."""
        with self._lock:
            ready = self._ready.setdefault(bwrap, [])
            launcher = ready.pop() if ready else None
            if self._size > 0 and not self._closed:
                self._ensure_thread(bwrap)
        self._wake.set()
        if launcher is not None and launcher.proc.poll() is None:
            return launcher
        if launcher is not None:
            launcher.discard()
        batch = spawn_batch(bwrap, 1)
        return batch[0] if batch else None

    def _ensure_thread(self, bwrap: str) -> None:
        t = self._threads.get(bwrap)
        if t is None or not t.is_alive():
            t = threading.Thread(
                target=self._refill, args=(bwrap,), name="sandbox-launchers", daemon=True
            )
            self._threads[bwrap] = t
            t.start()

    def _refill(self, bwrap: str) -> None:
        while not self._closed:
            with self._lock:
                missing = self._size - len(self._ready.get(bwrap, []))
            if missing <= 0:
                self._wake.wait(30)
                self._wake.clear()
                continue
            batch = spawn_batch(bwrap, missing)
            if not batch:
                return  # cgroups unusable: callers take the direct path
            with self._lock:
                if self._closed:
                    for lx in batch:
                        lx.discard()
                    return
                self._ready.setdefault(bwrap, []).extend(batch)

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        with self._lock:
            ready = [lx for lst in self._ready.values() for lx in lst]
            self._ready = {}
        for launcher in ready:
            launcher.discard()


POOL = LauncherPool()
