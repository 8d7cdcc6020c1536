"""Who a sandboxed command is on the host: an unprivileged uid/gid of its own per tenant.

bubblewrap started by root maps the sandbox user to the *caller's* uid, so without this every
file a sandboxed command wrote belonged to host root, and a ``chmod u+s`` left a setuid-root
binary in the workspace. Instead each tenant gets a user namespace of its own, made once per
process and kept by file descriptor, whose maps the runner writes:

    uid_map / gid_map:   0 0 1              bubblewrap's own setup (it runs as root)
                         1000 <tenant id> 1 the sandbox user

with ``user.max_user_namespaces`` set to 0 inside it, so nothing in it can make another user
namespace (bubblewrap checks this with ``--assert-userns-disabled``). bubblewrap joins it
(``--userns FD``) and starts ``setpriv``, which becomes uid/gid 1000 with no groups and an
empty capability bounding set, so on the host the command *is* the tenant's id and can never
become 0 again (``no_new_privs``, ``nosuid`` mounts and the seccomp filter close the setuid
and file-capability paths).

The tenant's id is stable: ``start + sha256(tenant) mod count`` over a range the operator
sets with ``GONOGO_SANDBOX_IDS=start:count`` (default ``2000000000:16777216``; keep it clear
of real users and of other tools' subordinate-id ranges). Two tenants may hash to the same
id (about 1 in 16.8 million per pair); their sandboxes still see only their own workspace.

The workspace is **provisioned** for its tenant: when its top directory is owned by root (a
fresh workspace), the whole tree is handed over (``chown``, not following links, not crossing
mounts, files with several hard links left as they are, since the other links may live
outside the workspace; set-id bits dropped, since a setgid directory passes its bit on), top
directory last. A top directory owned by anyone else (a person, another tenant's id) is
refused, never taken over. Only a root runner can map ids; a non-root runner's sandbox runs
as the runner's own (already unprivileged) uid, as bubblewrap maps it.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import stat
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

SANDBOX_UID = 1000
SANDBOX_GID = 1000
_IDS_ENV = "GONOGO_SANDBOX_IDS"
DEFAULT_ID_START = 2_000_000_000
DEFAULT_ID_COUNT = 1 << 24
# Below: system and ordinary users, nobody (65534); above: sign-bit trouble in old tools.
_MIN_ID = 65_536
_MAX_ID = (1 << 31) - 1


class SandboxSetupError(RuntimeError):
    """The sandbox's user could not be set up: the command must not run."""


@dataclass(frozen=True)
class HostIds:
    """The host uid and gid a tenant's sandboxed processes run as."""

    uid: int
    gid: int


def id_range() -> tuple[int, int]:
    raw = os.environ.get(_IDS_ENV, "").strip()
    if not raw:
        return DEFAULT_ID_START, DEFAULT_ID_COUNT
    start_s, sep, count_s = raw.partition(":")
    try:
        start, count = int(start_s), int(count_s)
    except ValueError:
        raise ValueError(f"{_IDS_ENV} must be START:COUNT, got {raw!r}") from None
    if not sep or count < 1 or start < _MIN_ID or start + count - 1 > _MAX_ID:
        raise ValueError(
            f"{_IDS_ENV}={raw!r}: the range must lie within {_MIN_ID}..{_MAX_ID} "
            "and hold at least one id"
        )
    return start, count


def maps_ids() -> bool:
    """Only a root runner may map the sandbox user to an id other than its own."""
    return os.geteuid() == 0


def tenant_ids(tenant: str) -> HostIds:
    start, count = id_range()
    digest = hashlib.sha256(b"gonogo-sandbox-tenant\0" + tenant.encode()).digest()
    n = start + int.from_bytes(digest[:8], "big") % count
    return HostIds(uid=n, gid=n)


def id_map(host_id: int) -> bytes:
    return f"0 0 1\n{SANDBOX_UID} {host_id} 1\n".encode()


def _write_proc(pid: int, name: str, data: bytes) -> None:
    fd = os.open(f"/proc/{pid}/{name}", os.O_WRONLY | os.O_CLOEXEC)
    try:
        if os.write(fd, data) != len(data):
            raise OSError(errno.EIO, f"short write to /proc/{pid}/{name}")
    finally:
        os.close(fd)


# Run with the agent's own interpreter: unshare a user namespace, wait for our maps, then
# (uid 0 now mapped, every capability still held in it) forbid further user namespaces.
_USERNS_HELPER = """
import ctypes, sys
if ctypes.CDLL(None, use_errno=True).unshare(0x10000000) != 0:  # CLONE_NEWUSER
    sys.exit(ctypes.get_errno() or 1)
print("unshared", flush=True)
if sys.stdin.readline() != "mapped\\n":
    sys.exit(1)
with open("/proc/sys/user/max_user_namespaces", "w") as f:
    f.write("0")
print("sealed", flush=True)
sys.stdin.readline()
"""
_HELPER_TIMEOUT_S = 30.0
_USERNS: dict[HostIds, int] = {}
_USERNS_LOCK = threading.Lock()


def tenant_userns(ids: HostIds) -> int:
    """A file descriptor of the tenant's user namespace (made on first use, then kept)."""
    with _USERNS_LOCK:
        fd = _USERNS.get(ids)
        if fd is None:
            fd = _USERNS[ids] = _make_userns(ids)
        return fd


def _make_userns(ids: HostIds) -> int:
    helper = subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", _USERNS_HELPER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={},
        cwd="/",
        text=True,
    )
    assert helper.stdin is not None and helper.stdout is not None
    watchdog = threading.Timer(_HELPER_TIMEOUT_S, helper.kill)  # bounded, whatever happens
    watchdog.start()
    try:
        if helper.stdout.readline() != "unshared\n":
            raise SandboxSetupError("cannot create a user namespace for the sandbox")
        try:
            _write_proc(helper.pid, "uid_map", id_map(ids.uid))
            _write_proc(helper.pid, "gid_map", id_map(ids.gid))
        except OSError as exc:
            raise SandboxSetupError(f"cannot map the sandbox user to uid {ids.uid}: {exc}") from exc
        helper.stdin.write("mapped\n")
        helper.stdin.flush()
        if helper.stdout.readline() != "sealed\n":
            raise SandboxSetupError("cannot forbid nested user namespaces in the sandbox's")
        # The helper is alive (it waits on stdin), so its pid still names its namespace.
        return os.open(f"/proc/{helper.pid}/ns/user", os.O_RDONLY | os.O_CLOEXEC)
    except (OSError, ValueError) as exc:
        raise SandboxSetupError(f"cannot set up the sandbox's user namespace: {exc}") from exc
    finally:
        watchdog.cancel()
        try:
            helper.stdin.close()
        except OSError:
            pass
        try:
            helper.wait(_HELPER_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            helper.kill()
            helper.wait()
        helper.stdout.close()


def provision_workspace(ws: Path, ids: HostIds) -> None:
    """Hand the workspace tree to the tenant's ids unless its top directory already is theirs.

    Serialised on an ``flock`` of the directory so concurrent first runs chown once.
    """
    top = os.open(ws, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        st = os.fstat(top)
        if (st.st_uid, st.st_gid) == (ids.uid, ids.gid):
            return
        fcntl.flock(top, fcntl.LOCK_EX)
        st = os.fstat(top)
        if (st.st_uid, st.st_gid) == (ids.uid, ids.gid):
            return
        if st.st_uid not in (0, ids.uid):
            # A person's checkout, or another tenant's workspace: never taken over silently.
            raise PermissionError(
                f"{ws} belongs to uid {st.st_uid}, neither root nor this tenant's sandbox id "
                f"{ids.uid}; refusing to hand it over (chown it to root or to "
                f"{ids.uid}:{ids.gid} to provision it)"
            )
        _chown_tree(top, st.st_dev, ids)
        if st.st_mode & _SET_ID:
            os.fchmod(top, stat.S_IMODE(st.st_mode) & ~_SET_ID)
        os.fchown(top, ids.uid, ids.gid)  # last: an owned top means a finished hand-over
    finally:
        os.close(top)  # releases the lock


_SET_ID = stat.S_ISUID | stat.S_ISGID


def _chown_tree(top: int, dev: int, ids: HostIds) -> None:
    # fwalk holds every directory open by fd and never follows a symlink, and each entry is
    # pinned by an O_PATH descriptor before it is changed, so an entry replaced by a link
    # while we walk cannot lead the hand-over outside the workspace.
    for _, dirs, files, dirfd in os.fwalk(".", dir_fd=top, follow_symlinks=False):
        dirs[:] = [d for d in dirs if _hand_over(dirfd, d, dev, ids)]
        for name in files:
            _hand_over(dirfd, name, dev, ids)


def _hand_over(dirfd: int, name: str, dev: int, ids: HostIds) -> bool:
    """Give one entry to ``ids`` and drop any set-id bit; True for a directory to descend."""
    try:
        fd = os.open(name, os.O_PATH | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dirfd)
    except FileNotFoundError:
        return False
    try:
        st = os.fstat(fd)
        if st.st_dev != dev:
            return False  # another file system mounted inside: not ours to hand over
        if stat.S_ISLNK(st.st_mode):
            os.chown(name, ids.uid, ids.gid, dir_fd=dirfd, follow_symlinks=False)
            return False
        if st.st_nlink > 1 and not stat.S_ISDIR(st.st_mode):
            return False  # the other links may live outside the workspace
        pinned = f"/proc/self/fd/{fd}"
        os.chown(pinned, ids.uid, ids.gid)
        if st.st_mode & _SET_ID:  # e.g. a setgid directory that new ones would inherit
            os.chmod(pinned, stat.S_IMODE(st.st_mode) & ~_SET_ID)
        return stat.S_ISDIR(st.st_mode)
    finally:
        os.close(fd)
