"""Pre-forked launchers that already sit in their own pids cgroup.

Moving a process into a cgroup (v1) waits for an RCU grace period: ~10-15 ms, more than the
whole rest of a sandbox start. So a background thread keeps a couple of idle launchers ready,
each a tiny Python process already moved into a fresh cgroup. A call takes one, sets the
cgroup's ``pids.max``, and sends it the rlimits, the bubblewrap options and the command; the
launcher applies the rlimits to itself and execs bubblewrap, so every process of the run is
born inside the cgroup and no migration is on the call's critical path.
"""

from __future__ import annotations

import atexit
import json
import subprocess
import sys
import threading
from dataclasses import dataclass

from enforcement_agent.sandbox.limits import PidsCgroup

POOL_SIZE = 2
# Runs as the launcher: read one JSON message on stdin, set rlimits, exec bubblewrap with its
# options on a pipe (--args) so no host path shows in the sandbox's /proc/1/cmdline.
_LAUNCHER = r"""
import json, os, resource, signal, sys
# Python ignores these at start-up; an exec keeps ignored signals, the command must not.
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
raw = sys.stdin.buffer.read()
if not raw:
    os._exit(1)
m = json.loads(raw)
fd = os.open("/dev/null", os.O_RDONLY)
os.dup2(fd, 0)
os.close(fd)
for name, soft, hard in m["rlimits"]:
    resource.setrlimit(getattr(resource, name), (soft, hard))
def pipe_with(data):
    r, w = os.pipe()
    os.write(w, data)
    os.close(w)
    os.set_inheritable(r, True)
    return r
extra = []
if m["seccomp"] is not None:
    extra = ["--seccomp", str(pipe_with(bytes.fromhex(m["seccomp"])))]
args = pipe_with(b"".join(a.encode() + b"\0" for a in m["options"] + extra))
os.execv(m["bwrap"], [m["bwrap"], "--args", str(args), "--", *m["argv"]])
"""


@dataclass
class Launcher:
    proc: subprocess.Popen[bytes]
    cgroup: PidsCgroup

    def launch(
        self,
        bwrap: str,
        options: list[str],
        argv: list[str],
        rlimits: list[tuple[str, int, int]],
        seccomp: bytes | None,
        max_pids: int,
    ) -> subprocess.Popen[bytes]:
        (self.cgroup.path / "pids.max").write_text(str(max_pids))
        msg = {
            "bwrap": bwrap,
            "options": options,
            "argv": argv,
            "rlimits": rlimits,
            "seccomp": seccomp.hex() if seccomp is not None else None,
        }
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(msg).encode())
        self.proc.stdin.close()
        return self.proc

    def discard(self) -> None:
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


def _spawn() -> Launcher | None:
    cgroup = PidsCgroup.create(64)
    if cgroup is None:
        return None
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={},
            cwd="/",
            start_new_session=True,
            close_fds=True,
        )
    except OSError:
        cgroup.remove()
        return None
    try:
        # The launcher blocks reading stdin before it can fork anything: moving it now is safe.
        with open(cgroup.procs_file, "w") as f:
            f.write(str(proc.pid))
    except OSError:
        launcher = Launcher(proc, cgroup)
        launcher.discard()
        return None
    return Launcher(proc, cgroup)


class LauncherPool:
    def __init__(self, size: int = POOL_SIZE) -> None:
        self._size = size
        self._ready: list[Launcher] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._closed = False
        atexit.register(self.close)

    def take(self) -> Launcher | None:
        """A ready launcher (spawned now if the pool is empty); None when cgroups are unusable."""
        with self._lock:
            launcher = self._ready.pop() if self._ready else None
            self._ensure_thread()
        self._wake.set()
        if launcher is not None and launcher.proc.poll() is None:
            return launcher
        if launcher is not None:
            launcher.discard()
        return _spawn()

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(
                target=self._refill, name="sandbox-launchers", daemon=True
            )
            self._thread.start()

    def _refill(self) -> None:
        while not self._closed:
            with self._lock:
                missing = self._size - len(self._ready)
            if missing <= 0:
                self._wake.wait(30)
                self._wake.clear()
                continue
            launcher = _spawn()
            if launcher is None:
                return  # cgroups unusable: callers fall back to the direct path
            with self._lock:
                if self._closed:
                    launcher.discard()
                    return
                self._ready.append(launcher)

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        with self._lock:
            ready, self._ready = self._ready, []
        for launcher in ready:
            launcher.discard()


POOL = LauncherPool()
