"""The bubblewrap command line: what the sandbox can see and nothing else.

Read-only: ``/usr`` (and the ``/bin``, ``/lib``… links into it), an allowlist of ``/etc``
entries, synthetic ``passwd``/``group``/``hosts``, and any extra paths the operator names.
Writable: the tenant workspace (at ``/workspace``) and a private, size-capped ``/tmp``.
Not there at all: ``/home``, ``/root``, ``/var``, other workspaces, ``/sys``, the host's
``/proc`` (the sandbox gets its own, showing only its own processes).

Every bind is mounted ``nosuid,nodev`` by bubblewrap itself (it remounts each bind with
``MS_NOSUID`` and, except for ``--dev-bind``, ``MS_NODEV``; the tests read it back from
``/proc/self/mountinfo``). Who the command runs as on the host: see ``identity``.
"""

from __future__ import annotations

import functools
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

from enforcement_agent.sandbox.identity import (
    SANDBOX_GID,
    SANDBOX_UID,
    SandboxSetupError,
    tenant_ids,
    tenant_userns,
)
from enforcement_agent.state_reach import RO_PATHS_ENV, SANDBOX_SYSTEM_DIRS

WORKSPACE_IN_SANDBOX = "/workspace"
_BWRAP_ENV = "GONOGO_BWRAP"
_RO_PATHS_ENV = RO_PATHS_ENV  # state_reach refuses a state directory under these
SETPRIV = "/usr/bin/setpriv"
# Run inside the sandbox as its first program when the runner maps ids: bubblewrap starts it
# as the namespace's uid 0 with only these capabilities, and it becomes the sandbox user for
# good (no groups, empty bounding set; uid 0 -> 1000 clears every remaining capability).
# CAP_DAC_READ_SEARCH lets bubblewrap's last step, the chdir into a workspace that is 0700 for
# the tenant, pass; it covers only inodes whose owner is mapped (root's and the tenant's).
_KEPT_FOR_SETPRIV = ("CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_DAC_READ_SEARCH")

# Everything but /usr (bound first); the same list state_reach checks state directories against.
_SYSTEM_DIRS = tuple(d for d in SANDBOX_SYSTEM_DIRS if d != "/usr")
# /etc entries programs need to start (dynamic loader, alternatives, TLS roots, time zone);
# deliberately not shadow, ssh, machine-id, the package manager's credentials, ...
_ETC_ALLOW = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "alternatives",
    "ssl/certs",
    "ca-certificates",
    "ca-certificates.conf",
    "localtime",
    "nsswitch.conf",
    "mime.types",
    "protocols",
    "services",
    "gai.conf",
    "host.conf",
    "os-release",
    "debian_version",
    "inputrc",
    "magic",
    "magic.mime",
    "python3",
    "python3.11",
)


def bwrap_path() -> str | None:
    configured = os.environ.get(_BWRAP_ENV)
    if configured is not None:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("bwrap")


@functools.lru_cache(maxsize=4)
def bwrap_works(path: str, mapped: bool = False) -> bool:
    """Installed is not enough: user namespaces may be disabled. Probe once per binary.

    The probe uses the same namespace flags and, when ``mapped``, a tenant user namespace
    and ``setpriv`` as a real run, so a host that cannot honour them makes the runner refuse
    up front instead of failing every call.
    """
    try:
        userns = tenant_userns(tenant_ids("gonogo-probe")) if mapped else None
    except (SandboxSetupError, ValueError):
        return False
    argv = [path, *identity_options(userns), *system_binds()]
    argv += ["--", *inner_prefix(userns is not None), "/bin/true"]
    try:
        r = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={},
            pass_fds=(userns,) if userns is not None else (),
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0


_SYNTHETIC_ETC = {
    "passwd": f"root:x:0:0:root:/nonexistent:/usr/sbin/nologin\n"
    f"sandbox:x:{SANDBOX_UID}:{SANDBOX_GID}:sandbox:/tmp:/bin/sh\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
    "group": f"root:x:0:\nsandbox:x:{SANDBOX_GID}:\nnogroup:x:65534:\n",
    "hosts": "127.0.0.1 localhost\n::1 localhost\n",
    "hostname": "sandbox\n",
    "resolv.conf": "",
}


@functools.lru_cache(maxsize=1)
def sandbox_etc() -> Path:
    """The sandbox's whole /etc, built once per process: the allowlisted host entries (copied,
    symlinks kept as links) plus passwd/group/hosts naming only the sandbox user.

    One bind mount instead of one per entry keeps sandbox start-up cheap.
    """
    root = Path(tempfile.mkdtemp(prefix="gonogo-sandbox-etc-"))
    root.chmod(0o755)
    etc = root / "etc"
    etc.mkdir(mode=0o755)
    for name in _ETC_ALLOW:
        src = Path("/etc") / name
        dst = etc / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            if src.is_symlink():
                os.symlink(os.readlink(src), dst)
            elif src.is_dir():
                shutil.copytree(src, dst, symlinks=True)
            elif src.is_file():
                shutil.copy2(src, dst)
        except OSError:
            continue  # unreadable or vanished: the sandbox simply does not get it
    for name, text in _SYNTHETIC_ETC.items():
        (etc / name).write_text(text)
    for p in [etc, *etc.rglob("*")]:
        if not p.is_symlink():
            p.chmod(0o755 if p.is_dir() else 0o644)
    return etc


@functools.lru_cache(maxsize=1)
def system_binds() -> tuple[str, ...]:
    args: list[str] = ["--ro-bind", "/usr", "/usr"]
    for d in _SYSTEM_DIRS:
        if os.path.islink(d):
            args += ["--symlink", os.readlink(d), d]
        elif os.path.isdir(d):
            args += ["--ro-bind", d, d]
    args += ["--ro-bind", str(sandbox_etc()), "/etc"]
    return tuple(args)


def extra_ro_paths(explicit: tuple[str, ...] = ()) -> list[str]:
    """Operator-named read-only paths (e.g. a Python install outside /usr), existing ones only."""
    configured = [p for p in os.environ.get(_RO_PATHS_ENV, "").split(os.pathsep) if p]
    out: list[str] = []
    for p in (*configured, *explicit):
        real = os.path.realpath(p)
        if os.path.isabs(real) and os.path.exists(real):
            out.append(real)
    return out


def drop_to(uid: int, gid: int) -> list[str]:
    """``setpriv`` becoming ``uid``/``gid`` for good: no groups, no capabilities, no way back."""
    return [
        SETPRIV,
        f"--reuid={uid}",
        f"--regid={gid}",
        "--clear-groups",
        "--bounding-set=-all",
        "--inh-caps=-all",
        "--no-new-privs",
        "--",
    ]


def inner_prefix(mapped: bool) -> list[str]:
    """What runs first inside the sandbox, before the command: setpriv when ids are mapped."""
    return drop_to(SANDBOX_UID, SANDBOX_GID) if mapped else []


def identity_options(userns_fd: int | None) -> list[str]:
    """Namespaces, capabilities and the uid bubblewrap starts the first program as.

    With ``userns_fd`` (a tenant's user namespace, see ``identity``) bubblewrap joins it,
    checks that no further user namespace can be made in it, and starts :func:`inner_prefix`
    as the namespace's uid 0 with only the capabilities setpriv needs. Without, bubblewrap
    makes the user namespace itself, mapping the sandbox user to the caller's (non-root) uid.
    """
    common = ["--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    if userns_fd is None:
        return [
            "--unshare-all",
            "--unshare-user",
            "--disable-userns",
            *common,
            "--uid",
            str(SANDBOX_UID),
            "--gid",
            str(SANDBOX_GID),
        ]
    args = ["--userns", str(userns_fd), "--assert-userns-disabled"]
    args += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
    args += ["--unshare-cgroup-try", *common]
    for cap in _KEPT_FOR_SETPRIV:
        args += ["--cap-add", cap]
    return [*args, "--uid", "0", "--gid", "0"]


def _traversable_parents(dest: str) -> list[str]:
    """``--dir`` for every parent of a bind destination: bubblewrap would make the missing ones
    0700 for its own uid, which the sandbox user cannot pass. Existing ones are left as they
    are (a ``--dir`` on an existing directory, even a read-only one, changes nothing)."""
    out: list[str] = []
    for parent in reversed(Path(dest).parents):
        if str(parent) != "/":
            out += ["--dir", str(parent)]
    return out


def ensure_git_hooks_dir(git_dir: Path, uid: int | None, gid: int | None) -> None:
    """An empty ``hooks`` (the tenant's) in a real git directory that has none, so there is a
    directory to bind read-only: a missing one could be created from inside."""
    try:
        if not stat.S_ISDIR(os.lstat(git_dir).st_mode):
            return
        fd = os.open(git_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        os.mkdir("hooks", 0o755, dir_fd=fd)
        if uid is not None and gid is not None:
            os.chown("hooks", uid, gid, dir_fd=fd, follow_symlinks=False)
    except OSError:
        pass  # there already (a link or a file is left alone, and not bound)
    finally:
        os.close(fd)


def git_dir_binds(workspace: Path, git_dirs: list[str], mount_points: list[str]) -> list[str]:
    """Each git directory (workspace-relative: ``.git``, ``sub/.git``, ``.git/modules/m``)
    bound over itself with its ``hooks`` read-only.

    The policy protects hooks from the commands it reads, but a program the agent runs
    (``python3 x.py``) writes whatever the workspace lets it, and a hook written there runs
    on the host the next time a human commits (third red-team pass). The git directory
    itself, and each of ``mount_points`` (the directories between ``.git`` and a
    submodule's git directory), become mount points too, so none can be renamed away with
    the read-only hooks inside and replaced by a copy whose hooks are writable (rename:
    EBUSY). Only a real ``hooks`` directory is bound (a link could point anywhere).
    """
    out: list[str] = []
    for rel in sorted({*git_dirs, *mount_points}, key=lambda r: (r.count("/"), r)):
        inside = f"{WORKSPACE_IN_SANDBOX}/{rel}"
        out += ["--bind", str(workspace / rel), inside]
        if rel not in git_dirs:
            continue
        try:
            if not stat.S_ISDIR(os.lstat(workspace / rel / "hooks").st_mode):
                continue
        except OSError:
            continue
        out += ["--ro-bind", str(workspace / rel / "hooks"), f"{inside}/hooks"]
    return out


def bwrap_argv(
    bwrap: str,
    workspace: Path,
    *,
    tmp_bytes: int,
    seccomp_fd: int | None,
    ro_paths: list[str],
    proxy_socket: str | None = None,
    userns_fd: int | None = None,
    workspace_binds: tuple[str, ...] = (),
    read_only_workspace: bool = False,
) -> list[str]:
    """The options; with ``userns_fd`` the command must go through :func:`inner_prefix`.

    ``workspace_binds``: options for paths inside the workspace (git directories, protected
    and secret files: ``workspace_state``), applied over the workspace's own bind.
    ``read_only_workspace``: the workspace and every bind inside it read-only (a read-only
    role's run: nothing it runs can change the workspace, whatever the program)."""
    args = [bwrap, *identity_options(userns_fd), "--hostname", "sandbox", *system_binds()]
    args += [
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--size",
        str(tmp_bytes),
        # bubblewrap's own uid owns its mounts; with mapped ids that is not the sandbox user.
        "--perms",
        "1777",
        "--tmpfs",
        "/tmp",
    ]
    # After the private /tmp, so an operator-listed path under /tmp (a checkout or venv there)
    # is not hidden by it.
    for p in ro_paths:
        args += [*_traversable_parents(p), "--ro-bind", p, p]
    if read_only_workspace:
        # Every value in these options is an absolute path, so no value is "--bind".
        workspace_binds = tuple("--ro-bind" if a == "--bind" else a for a in workspace_binds)
        args += ["--ro-bind", str(workspace), WORKSPACE_IN_SANDBOX]
    else:
        args += ["--bind", str(workspace), WORKSPACE_IN_SANDBOX]
    args += workspace_binds
    args += ["--chdir", WORKSPACE_IN_SANDBOX]
    if proxy_socket is not None:
        dest = "/run/gonogo/proxy.sock"
        args += [*_traversable_parents(dest), "--ro-bind", proxy_socket, dest]
    # The environment is bwrap's own (the runner starts it with only the allowlisted
    # variables): values given as --setenv would be readable in /proc/1/cmdline inside.
    if seccomp_fd is not None:
        args += ["--seccomp", str(seccomp_fd)]
    return args
