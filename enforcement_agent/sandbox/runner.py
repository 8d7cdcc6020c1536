"""``run_sandboxed``: one command, contained and limited, with its output streamed and capped."""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import selectors
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox import seccomp, workspace_state
from enforcement_agent.sandbox.bwrap import (
    SETPRIV,
    WORKSPACE_IN_SANDBOX,
    bwrap_argv,
    bwrap_path,
    bwrap_works,
    extra_ro_paths,
    inner_prefix,
)
from enforcement_agent.sandbox.concurrency import LIMITER, LimitReached
from enforcement_agent.sandbox.disk_watch import INTERVAL_S as _DISK_INTERVAL_S
from enforcement_agent.sandbox.disk_watch import DiskWatch
from enforcement_agent.sandbox.identity import (
    SandboxSetupError,
    maps_ids,
    provision_workspace,
    tenant_ids,
    tenant_userns,
)
from enforcement_agent.sandbox.libseccomp import SeccompUnavailable
from enforcement_agent.sandbox.limits import (
    MEMORY_RLIMIT,
    MemoryCgroup,
    PidsCgroup,
    RunCgroup,
    prlimit_prefix,
)
from enforcement_agent.sandbox.workspace_names import NameRules, TreeTooLarge
from enforcement_agent.sandbox.zygote import POOL, USERNS_FD_IN_LAUNCHER

LAYER_BWRAP = "bwrap"
LAYER_BWRAP_SECCOMP = "bwrap+seccomp"
LAYER_WEAK = "weak-fallback"
LAYER_NONE = "none"

_READ_CHUNK = 64 * 1024
_DRAIN_GRACE_S = 1.0
_DEFAULT_TMP_BYTES = 64 * 1024 * 1024
_PATH_ENV = "GONOGO_SANDBOX_PATH"
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# The environment every sandboxed command starts from; nothing is inherited from the agent.
BASE_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": "/tmp",
    "TMPDIR": "/tmp",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "PYTHONDONTWRITEBYTECODE": "1",
    # Bytecode that Python itself writes (`python3 -m compileall src`, `py_compile`) goes to
    # the run's private /tmp, not beside the sources: bytecode left in the workspace is
    # removed after the run and charged to it (workspace_state), and a syntax check is not a
    # violation. The workspace's own `__pycache__` is not read either.
    "PYTHONPYCACHEPREFIX": "/tmp/.pycache",
    # No program falls back to its default editor (git's is `editor`, vim here): with TERM set
    # to a terminal (on the policy's list) `git commit < file` ran vim, which read `:!cmd`
    # from the file and ran it (a thirtieth red-team pass). `true` edits nothing.
    "GIT_EDITOR": "true",
    "EDITOR": "true",
    "VISUAL": "true",
}
# git configuration every sandboxed git gets at the command-line level (the highest, and a
# "protected" scope git honours safe.* settings from), given as GIT_CONFIG_COUNT/KEY_n/VALUE_n
# after the caller's environment: a workspace directory that merely looks like a bare
# repository (HEAD, objects/, refs/, config) is not a repository to git, so its config (an
# fsmonitor or pager command) is never read by `git -C dir status`; and no repository config
# starts a file-system monitor. Hooks are left alone: they live in .git/hooks or under a
# core.hooksPath set in .git/config, both protected paths the agent cannot write, so only the
# tenant put them there (they are repository code, like the Makefile). The policy refuses
# commands that change or clear these variables (exec.environment; `env -i git`).
# Transports are an allowlist too: a push to a repository on the local file system (`git push
# ./dir`, `file://…`, a remote whose URL is a path) runs *that* repository's hooks and reads
# its configuration, and the agent can plant one anywhere in the workspace (third red-team
# pass: `git push ./evil main` ran evil/hooks/pre-receive). Only network transports remain;
# `file`, `ext`, `fd` and every other remote helper are refused by git itself.
GIT_SAFETY_CONFIG = (
    ("safe.bareRepository", "explicit"),
    ("core.fsmonitor", "false"),
    ("protocol.allow", "never"),
    ("protocol.https.allow", "always"),
    ("protocol.http.allow", "always"),
    ("protocol.ssh.allow", "always"),
    ("protocol.git.allow", "always"),
)
GIT_SAFETY_ENV = {
    "GIT_CONFIG_COUNT": str(len(GIT_SAFETY_CONFIG)),
    **{f"GIT_CONFIG_KEY_{i}": k for i, (k, _) in enumerate(GIT_SAFETY_CONFIG)},
    **{f"GIT_CONFIG_VALUE_{i}": v for i, (_, v) in enumerate(GIT_SAFETY_CONFIG)},
}
# The variables that carry command-level git configuration: a caller may not pass them (it
# could replace or outrank the settings above). GIT_CONFIG_NOSYSTEM/GIT_CONFIG_GLOBAL (which
# only choose the system and global files) stay the caller's.
_GIT_COMMAND_CONFIG = re.compile(r"GIT_CONFIG_(?:COUNT|KEY_\d+|VALUE_\d+|PARAMETERS)\Z")
_SIGXCPU_EXIT = 128 + signal.SIGXCPU
_SIGXFSZ_EXIT = 128 + signal.SIGXFSZ
_SIGKILL_EXIT = 128 + signal.SIGKILL


class SandboxUnavailable(RuntimeError):
    """bubblewrap cannot run here and the operator did not choose the weaker fallback."""


@dataclass(frozen=True)
class ExecResult:
    outcome: Outcome
    exit_code: int | None
    duration_ms: float
    bytes_out: int
    truncated: bool
    layer: str
    limit_hit: str | None = None
    detail: str = ""
    # Collected only when no ``on_output`` callback streams it away.
    output: bytes = b""
    # Limits the kernel really enforced for this run (the evidence counts these).
    enforced: tuple[str, ...] = field(default_factory=tuple)
    # What the command changed that it may not and the sandbox undid (workspace_state):
    # such a run's outcome is ``error`` with exit code 126, whatever the command returned.
    violations: tuple[str, ...] = field(default_factory=tuple)
    # What the sandbox hid from the command beyond the usual masks, and why (a git store
    # that holds a secret: ``git_secrets``); said in ``detail`` as well.
    hidden: tuple[str, ...] = field(default_factory=tuple)


def _clean_env(env: dict[str, str] | None) -> dict[str, str]:
    out = dict(BASE_ENV)
    # The operator (never the request) may widen PATH, e.g. to a tool install bound read-only
    # with GONOGO_SANDBOX_RO_PATHS.
    out["PATH"] = os.environ.get(_PATH_ENV) or out["PATH"]
    for k, v in (env or {}).items():
        if not _ENV_NAME.match(k) or "\0" in v or _GIT_COMMAND_CONFIG.match(k):
            raise ValueError(f"invalid environment entry {k!r}")
        out[k] = v
    out.update(GIT_SAFETY_ENV)
    return out


def _refused(detail: str, started: float, limit_hit: str | None = None) -> ExecResult:
    return ExecResult(
        outcome=Outcome.LIMIT if limit_hit else Outcome.ERROR,
        exit_code=None,
        duration_ms=(time.monotonic() - started) * 1000.0,
        bytes_out=0,
        truncated=False,
        layer=LAYER_NONE,
        limit_hit=limit_hit,
        detail=detail,
    )


def run_sandboxed(
    argv: list[str],
    workspace: Path,
    limits: Limits,
    *,
    env: dict[str, str] | None = None,
    on_output: Callable[[bytes], None] | None = None,
    allow_weak_fallback: bool = False,
    tenant: str = "_global",
    tool: str = "exec",
    ro_paths: tuple[str, ...] = (),
    use_seccomp: bool = True,
    names: NameRules | None = None,
    read_only: bool = False,
) -> ExecResult:
    """Run ``argv`` with ``workspace`` as the only writable place; never raises for the command.

    Refusals (no bubblewrap, concurrency limit, bad input) come back as results with a
    ``detail`` saying why; the command never runs in those cases. ``names``: the policy's
    protected and secret lists, enforced by effect inside (``workspace_state``); without
    them only git directories are guarded. ``read_only``: the workspace (git directories
    included) is mounted read-only, for the policy's read-only roles: whatever an allowlisted
    program writes as a side effect (``git status`` refreshing ``.git/index``) fails; it needs
    bubblewrap (the weak fallback cannot mount anything and is refused).
    """
    started = time.monotonic()
    if not argv or not all(isinstance(a, str) and "\0" not in a for a in argv):
        return _refused("argv must be a non-empty list of strings without NUL", started)
    try:
        clean_env = _clean_env(env)
        ws = Path(workspace).resolve(strict=True)
        if not ws.is_dir():
            raise NotADirectoryError(str(ws))
    except (OSError, ValueError) as exc:
        return _refused(f"cannot run: {exc}", started)

    # A root runner's command runs as its tenant's own unprivileged ids (see identity.py).
    ids = None
    if maps_ids():
        if not os.access(SETPRIV, os.X_OK):
            return _refused(f"{SETPRIV} (util-linux) is missing; refusing to run", started)
        try:
            ids = tenant_ids(tenant)
            provision_workspace(ws, ids)
        except (OSError, ValueError) as exc:
            return _refused(f"cannot give the workspace to the sandbox user: {exc}", started)
    bwrap = bwrap_path()
    if bwrap is not None and not bwrap_works(bwrap, ids is not None):
        bwrap = None
    if bwrap is None and read_only and allow_weak_fallback:
        return _refused(
            "a read-only run needs bubblewrap (the weak fallback cannot mount the workspace "
            "read-only); refusing to run",
            started,
        )
    if bwrap is None and not allow_weak_fallback:
        return _refused(
            "bubblewrap is not available (or cannot create namespaces here); refusing to run "
            "without the sandbox. An operator may explicitly allow the weaker fallback.",
            started,
        )
    if bwrap is not None and use_seccomp:
        try:
            seccomp.filter_bytes()
        except SeccompUnavailable as exc:
            return _refused(f"seccomp filter unavailable ({exc}); refusing to run", started)
    userns: int | None = None
    if bwrap is not None and ids is not None:
        try:
            userns = tenant_userns(ids)
        except SandboxSetupError as exc:
            return _refused(str(exc), started)
    try:
        with LIMITER.slots(
            [
                (f"tenant:{tenant}", limits.concurrency_per_tenant),
                (f"tenant:{tenant}:tool:{tool}", limits.concurrency_per_tool),
            ],
            limits.queue_timeout_seconds,
        ):
            try:
                state = workspace_state.begin(
                    ws, names, (ids.uid, ids.gid) if ids is not None else None
                )
            except (TreeTooLarge, OSError) as exc:
                return _refused(f"cannot protect the workspace's files: {exc}", started)
            try:
                result = _run(
                    argv,
                    ws,
                    limits,
                    clean_env,
                    on_output,
                    bwrap,
                    ro_paths,
                    use_seccomp,
                    userns,
                    state.binds,
                    read_only,
                )
            finally:
                note = state.end()
            if state.undone_for_others:
                said = "; ".join(state.undone_for_others)
                said = f"the sandbox also undid what another run of the workspace made: {said}"
                result = dataclasses.replace(
                    result, detail=f"{result.detail}; {said}" if result.detail else said
                )
            if state.hidden:
                said = "; ".join(state.hidden[r] for r in sorted(state.hidden))
                result = dataclasses.replace(
                    result,
                    detail=f"{result.detail}; {said}" if result.detail else said,
                    hidden=tuple(sorted(state.hidden.values())),
                )
            if note:
                detail = f"the sandbox undid what the command may not change: {note}"
                result = dataclasses.replace(
                    result,
                    outcome=Outcome.ERROR,
                    exit_code=126,
                    detail=f"{detail}; {result.detail}" if result.detail else detail,
                    violations=tuple(note.split("; ")),
                )
            return result
    except LimitReached as exc:
        return _refused(str(exc), started, limit_hit="concurrency")


@contextmanager
def _pipe_with(data: bytes) -> Iterator[int]:
    """A pipe's read end pre-filled with ``data`` (small: it must fit the pipe buffer)."""
    r, w = os.pipe()
    try:
        if len(data) > 60_000:
            raise ValueError("sandbox arguments too large for one pipe buffer")
        os.write(w, data)
    except BaseException:
        os.close(r)
        raise
    finally:
        os.close(w)
    try:
        yield r
    finally:
        os.close(r)


@contextmanager
def _seccomp_fd(enabled: bool) -> Iterator[int | None]:
    if not enabled:
        yield None
        return
    with _pipe_with(seccomp.filter_bytes()) as fd:
        yield fd


def _run(
    argv: list[str],
    ws: Path,
    limits: Limits,
    env: dict[str, str],
    on_output: Callable[[bytes], None] | None,
    bwrap: str | None,
    ro_paths: tuple[str, ...],
    use_seccomp: bool,
    userns: int | None,
    workspace_binds: tuple[str, ...] = (),
    read_only: bool = False,
) -> ExecResult:
    mapped = userns is not None
    with ExitStack() as stack:
        rl_prefix, enforced = prlimit_prefix(limits)
        if limits.wall_seconds is not None:
            enforced.append("wall")
        if limits.output_bytes is not None:
            enforced.append("output")
        # Measured before the command starts: a file system that cannot be measured is a
        # refusal, not an unwatched run.
        try:
            disk = DiskWatch.start(str(ws), limits)
        except OSError as exc:
            return _refused(f"cannot measure the workspace's file system: {exc}", time.monotonic())
        if disk is not None:
            enforced += [k for k, v in (("disk", disk.bytes_cap), ("files", disk.files_cap)) if v]
        # RLIMIT_NPROC does not bind host root, so a root runner caps processes with a pids
        # cgroup; memory is capped by a memory cgroup whose OOM kills are countable. A
        # pre-moved launcher keeps the (slow) cgroup moves off the call's path.
        needs_pids = limits.processes is not None and "processes" not in enforced
        needs_memory = limits.memory_bytes is not None
        use_pool = (needs_pids or needs_memory) and bwrap is not None and bool(rl_prefix)
        launcher = POOL.take(bwrap) if use_pool and bwrap is not None else None
        cgroup: PidsCgroup | None
        memory: MemoryCgroup | None
        if launcher is not None:
            # The launcher's pids cgroup also reaps leftovers when no process cap is set.
            cgroup, memory = launcher.cgroup, launcher.memory
        else:
            cgroup = (
                PidsCgroup.create(limits.processes) if needs_pids and limits.processes else None
            )
            memory = MemoryCgroup.create(limits.memory_bytes) if needs_memory else None
        if cgroup is not None:
            stack.callback(cgroup.remove)
            if needs_pids:
                enforced.append("processes")
        if memory is not None:
            stack.callback(memory.remove)
            enforced = [k for k in enforced if k != MEMORY_RLIMIT] + ["memory"]
        rl_prefix, _ = prlimit_prefix(
            limits, address_space=memory is None, nproc=not (mapped and cgroup is not None)
        )

        proxy_socket: str | None = None
        # The weak fallback has no network namespace to confine, so no proxy either.
        if limits.network_allow and bwrap is not None:
            from enforcement_agent.sandbox.netproxy import AllowlistProxy

            proxy = stack.enter_context(AllowlistProxy(limits.network_allow))
            proxy_socket = proxy.socket_path
            env = {**env, **proxy.sandbox_env()}
            argv = proxy.wrap_argv(argv)

        start: Callable[[], subprocess.Popen[bytes]]
        if bwrap is not None:
            with_seccomp = use_seccomp
            layer = LAYER_BWRAP_SECCOMP if with_seccomp else LAYER_BWRAP

            def options_for(userns_fd: int | None) -> list[str]:
                opts = bwrap_argv(
                    bwrap,
                    ws,
                    tmp_bytes=limits.file_bytes or _DEFAULT_TMP_BYTES,
                    seccomp_fd=None,
                    ro_paths=extra_ro_paths(ro_paths),
                    proxy_socket=proxy_socket,
                    userns_fd=userns_fd,
                    workspace_binds=workspace_binds,
                    read_only_workspace=read_only,
                )[1:]
                # The environment goes in as options on the --args pipe: not visible in any
                # cmdline, and nothing of the agent's own environment is inherited.
                opts.append("--clearenv")
                for k, v in sorted(env.items()):
                    opts += ["--setenv", k, v]
                return opts

            started_by_launcher = None
            if launcher is not None:
                started_by_launcher = launcher.launch(
                    options_for(USERNS_FD_IN_LAUNCHER if mapped else None),
                    argv,
                    rl_prefix[0],
                    rl_prefix[1:-1],  # the prlimit options, without the binary and "--"
                    seccomp.filter_bytes() if with_seccomp else None,
                    limits.processes,
                    limits.memory_bytes,
                    userns_fd=userns,
                )
            if started_by_launcher is not None:
                proc_ = started_by_launcher

                def start() -> subprocess.Popen[bytes]:
                    return proc_

            else:
                if launcher is not None:  # it declined (data too large): cgroups of our own
                    cgroup = memory = None
                    if needs_pids and limits.processes:
                        cgroup = PidsCgroup.create(limits.processes)
                        if cgroup is not None:
                            stack.callback(cgroup.remove)
                        elif "processes" in enforced:
                            enforced.remove("processes")
                    if needs_memory:
                        memory = MemoryCgroup.create(limits.memory_bytes)
                        if memory is not None:
                            stack.callback(memory.remove)
                        else:
                            enforced = [k for k in enforced if k != "memory"]
                            enforced += [MEMORY_RLIMIT] if limits.memory_bytes else []
                    rl_prefix, _ = prlimit_prefix(
                        limits,
                        address_space=memory is None,
                        nproc=not (mapped and cgroup is not None),
                    )
                options = options_for(userns)
                sfd = stack.enter_context(_seccomp_fd(with_seccomp))
                if sfd is not None:
                    options += ["--seccomp", str(sfd)]
                # Options travel through a pipe (--args FD), so /proc/1/cmdline inside the
                # sandbox does not reveal host paths such as the workspace's real location.
                args_fd = stack.enter_context(
                    _pipe_with(b"".join(os.fsencode(a) + b"\0" for a in options))
                )
                cmd = _join_cgroups(
                    [cgroup, memory],
                    [
                        *rl_prefix,
                        bwrap,
                        "--args",
                        str(args_fd),
                        "--",
                        *inner_prefix(mapped),
                        *argv,
                    ],
                )
                fds = [args_fd, *([sfd] if sfd is not None else [])]
                if userns is not None:
                    fds.append(userns)
                start = functools.partial(_popen, cmd, {}, "/", tuple(fds))
        else:
            layer = LAYER_WEAK
            # The runner's own user, on the host: the fallback isolates nothing (documented).
            cmd = _join_cgroups([cgroup, memory], [*rl_prefix, *argv])
            weak_env = {**env, "HOME": str(ws), "TMPDIR": str(ws)}
            start = functools.partial(_popen, cmd, weak_env, str(ws), ())
        return _supervise(start, limits, on_output, layer, cgroup, memory, enforced, disk)
    raise AssertionError("unreachable")


def _join_cgroups(cgroups: list[RunCgroup | None], cmd: list[str]) -> list[str]:
    """Join the cgroups before anything forks, so no task escapes the count or the reaping."""
    files = [cg.procs_file for cg in cgroups if cg is not None]
    if not files:
        return cmd
    # $0 is the first file, "$1".."$n" the others; each is shifted away before exec.
    join = 'echo $$ > "$0"' + ' && echo $$ > "$1" && shift' * (len(files) - 1)
    return ["/bin/sh", "-c", join + ' && exec "$@"', *files, *cmd]


def _popen(
    cmd: list[str], env: dict[str, str], cwd: str, pass_fds: tuple[int, ...]
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=cwd,
        pass_fds=pass_fds,
        start_new_session=True,
        close_fds=True,
    )


def _supervise(
    start: Callable[[], subprocess.Popen[bytes]],
    limits: Limits,
    on_output: Callable[[bytes], None] | None,
    layer: str,
    cgroup: PidsCgroup | None,
    memory: MemoryCgroup | None,
    enforced: list[str],
    disk: DiskWatch | None = None,
) -> ExecResult:
    started = time.monotonic()
    deadline = started + limits.wall_seconds if limits.wall_seconds is not None else None
    cap = limits.output_bytes
    collected: list[bytes] = []
    bytes_out = 0
    truncated = False
    timed_out = False
    callback_error: str | None = None
    disk_hit: str | None = None
    next_disk = started + _DISK_INTERVAL_S

    proc = start()
    assert proc.stdout is not None
    out_fd = proc.stdout.fileno()
    os.set_blocking(out_fd, False)
    pidfd = os.pidfd_open(proc.pid)
    sel = selectors.DefaultSelector()
    sel.register(out_fd, selectors.EVENT_READ, "out")
    sel.register(pidfd, selectors.EVENT_READ, "exit")
    out_open = True
    exited = False
    drain_deadline: float | None = None

    def emit(chunk: bytes) -> None:
        nonlocal callback_error
        if on_output is None:
            collected.append(chunk)
            return
        try:
            on_output(chunk)
        except Exception as exc:  # noqa: BLE001 - a broken sink stops the command
            callback_error = f"output sink failed: {type(exc).__name__}: {exc}"

    try:
        while out_open or not exited:
            now = time.monotonic()
            if disk is not None and now >= next_disk:
                disk_hit = disk.check()
                if disk_hit is not None:
                    break
                next_disk = now + _DISK_INTERVAL_S
            limits_left = [t for t in (deadline, drain_deadline) if t is not None]
            wait = min(limits_left) - now if limits_left else None
            if wait is not None and wait <= 0:
                if deadline is not None and now >= deadline:
                    timed_out = True
                break
            if disk is not None:
                wait = min(wait, next_disk - now) if wait is not None else next_disk - now
            for key, _ in sel.select(wait):
                if key.data == "exit":
                    exited = True
                    sel.unregister(pidfd)
                    # Output still buffered in the pipe is drained, but not forever: a
                    # leftover writer (weak fallback only) must not hold the call open.
                    drain_deadline = time.monotonic() + _DRAIN_GRACE_S
                    continue
                try:
                    chunk = os.read(out_fd, _READ_CHUNK)
                except BlockingIOError:
                    continue
                if not chunk:
                    out_open = False
                    sel.unregister(out_fd)
                    continue
                if cap is not None and bytes_out + len(chunk) > cap:
                    keep = chunk[: cap - bytes_out]
                    if keep:
                        emit(keep)
                        bytes_out += len(keep)
                    truncated = True
                    break
                emit(chunk)
                bytes_out += len(chunk)
                if callback_error:
                    break
            if truncated or callback_error:
                break
    finally:
        if proc.poll() is None:
            _kill_tree(proc)
        _, status, rusage = os.wait4(proc.pid, 0) if proc.returncode is None else (0, 0, None)
        if proc.returncode is None:
            proc.returncode = os.waitstatus_to_exitcode(status)
        if cgroup is not None:
            cgroup.kill_all()
        if memory is not None:
            memory.kill_all()
        sel.close()
        os.close(pidfd)
        proc.stdout.close()
    if disk is not None and disk_hit is None:
        # A writer that finished between two samples is still reported.
        disk_hit = disk.check()
    duration_ms = (time.monotonic() - started) * 1000.0
    if truncated:
        marker = f"\n[gonogo: output truncated at {cap} bytes; the command was stopped]\n"
        emit(marker.encode())

    rc = proc.returncode
    exit_code = rc if rc >= 0 else 128 - rc
    cpu_used = (rusage.ru_utime + rusage.ru_stime) if rusage is not None else 0.0
    hits = _limits_hit(
        limits,
        exit_code,
        cpu_used,
        timed_out=timed_out,
        truncated=truncated,
        pids_max=cgroup is not None and limits.processes is not None and cgroup.hit_max(),
        memory_max=memory is not None and memory.hit_limit(),
        disk=disk_hit,
    )
    limit_hit = hits[0] if hits else None
    outcome: Outcome
    if callback_error:
        outcome, limit_hit = Outcome.ERROR, None
    elif limit_hit == "wall":
        outcome = Outcome.TIMEOUT
    elif limit_hit is not None:
        outcome = Outcome.LIMIT
    elif exit_code == _SIGKILL_EXIT:
        outcome = Outcome.KILLED
    elif exit_code == 0:
        outcome = Outcome.SUCCESS
    else:
        outcome = Outcome.FAILURE
    detail = callback_error or ""
    if hits and not detail:
        detail = f"{hits[0]} limit reached"
        if len(hits) > 1:
            detail += f" (also: {', '.join(hits[1:])})"
    return ExecResult(
        outcome=outcome,
        exit_code=exit_code,
        duration_ms=duration_ms,
        bytes_out=bytes_out,
        truncated=truncated,
        layer=layer,
        limit_hit=limit_hit,
        detail=detail,
        output=b"".join(collected),
        enforced=tuple(enforced),
    )


def _limits_hit(
    limits: Limits,
    exit_code: int,
    cpu_used: float,
    *,
    timed_out: bool,
    truncated: bool,
    pids_max: bool,
    memory_max: bool = False,
    disk: str | None = None,
) -> list[str]:
    """Every limit this run ran into, root cause first.

    A refused fork usually cascades (error floods, a spinning parent that then times out), so
    the process limit is named before the wall clock and the output cap. An OOM kill is a
    definite event of its own that ends the run (its SIGKILL would otherwise read as a CPU
    hit), so memory comes next.
    """
    hits: list[str] = []
    if pids_max:
        hits.append("processes")
    if memory_max:
        hits.append("memory")
    if disk is not None:
        hits.append(disk)  # before the file-size cap and the exit codes a full disk causes
    if timed_out:
        hits.append("wall")
    if truncated:
        hits.append("output")
    if limits.cpu_seconds is not None and (
        exit_code == _SIGXCPU_EXIT
        or (exit_code == _SIGKILL_EXIT and cpu_used >= limits.cpu_seconds)
    ):
        hits.append("cpu")
    if limits.file_bytes is not None and exit_code == _SIGXFSZ_EXIT:
        hits.append("file_size")
    return hits


def _kill_tree(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process group; bwrap's --die-with-parent then tears the pid namespace down."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


__all__ = [
    "ExecResult",
    "LAYER_BWRAP",
    "LAYER_BWRAP_SECCOMP",
    "LAYER_NONE",
    "LAYER_WEAK",
    "SandboxUnavailable",
    "WORKSPACE_IN_SANDBOX",
    "run_sandboxed",
]
