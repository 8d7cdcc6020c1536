"""Who a sandboxed command is on the host: an unprivileged uid/gid of its own per tenant.

bubblewrap started by root maps the sandbox user to the *caller's* uid, so without this every
file a sandboxed command wrote belonged to host root, and a ``chmod u+s`` left a setuid-root
binary in the workspace. Instead the runner writes the new user namespace's maps itself
(bubblewrap's ``--userns-block-fd``/``--info-fd`` hand-off):

    uid_map / gid_map:   0 0 1              bubblewrap's own setup (it runs as root)
                         1000 <tenant id> 1 the sandbox user

and the command is started through ``setpriv`` as uid/gid 1000 with no groups and an empty
capability bounding set, so on the host it *is* the tenant's id and can never become 0 again
(``no_new_privs``, ``nosuid`` mounts and the seccomp filter close the setuid and
file-capability paths).

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
import json
import os
import select
import stat
import time
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
_INFO_LIMIT = 64 * 1024


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


def _read_child_pid(info_fd: int, deadline: float) -> int:
    buf = b""
    while len(buf) < _INFO_LIMIT:
        left = deadline - time.monotonic()
        if left <= 0:
            raise SandboxSetupError("bubblewrap did not report its sandbox process in time")
        ready, _, _ = select.select([info_fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(info_fd, 4096)
        if not chunk:
            break
        buf += chunk
        try:
            info = json.loads(buf)
        except ValueError:
            continue  # the JSON object is not complete yet
        pid = info.get("child-pid") if isinstance(info, dict) else None
        if isinstance(pid, int) and pid > 0:
            return pid
        break
    raise SandboxSetupError("bubblewrap exited before its sandbox process was set up")


def map_sandbox_user(info_fd: int, block_fd: int, ids: HostIds, timeout: float) -> None:
    """Map the waiting sandbox's user namespace to ``ids``, then let it go on.

    Raises :class:`SandboxSetupError` without releasing it: the caller kills the process.
    (Released without maps, bubblewrap could not even create its root: it fails closed.)
    """
    pid = _read_child_pid(info_fd, time.monotonic() + timeout)
    try:
        _write_proc(pid, "uid_map", id_map(ids.uid))
        _write_proc(pid, "gid_map", id_map(ids.gid))
    except OSError as exc:
        raise SandboxSetupError(f"cannot map the sandbox user to uid {ids.uid}: {exc}") from exc
    os.write(block_fd, b"1")


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


class Handoff:
    """The two pipes of bubblewrap's user-namespace hand-off.

    bubblewrap writes its child's pid to ``info_w`` and blocks reading ``block_r``; we keep
    ``info_r`` and ``block_w``. The child's ends go to bubblewrap (``pass_fds``) and are
    closed here right after it starts, so its exit shows as end-of-file.
    """

    def __init__(self) -> None:
        self.info_r, self.info_w = os.pipe()
        self.block_r, self.block_w = os.pipe()
        self._open = {self.info_r, self.info_w, self.block_r, self.block_w}

    def child_fds(self) -> tuple[int, int]:
        return (self.info_w, self.block_r)

    def _close(self, *fds: int) -> None:
        for fd in fds:
            if fd in self._open:
                self._open.discard(fd)
                os.close(fd)

    def close_child_ends(self) -> None:
        self._close(self.info_w, self.block_r)

    def map(self, ids: HostIds, timeout: float) -> None:
        """Map and release the waiting sandbox (see :func:`map_sandbox_user`), then close."""
        self.close_child_ends()
        try:
            map_sandbox_user(self.info_r, self.block_w, ids, timeout)
        finally:
            self.close()

    def close(self) -> None:
        self._close(*sorted(self._open))
