"""Confined file tools: read, write, list and search inside one workspace and nowhere else.

Every path is resolved by the kernel relative to a directory fd of the workspace, never as a
string: ``openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)`` where the
kernel has it (5.6+), otherwise component by component with ``O_NOFOLLOW`` from the parent's
fd. Nothing is checked and then used by name, so swapping a directory for a symlink between
two steps redirects nothing. Writes go to a temporary file in the target's directory and are
renamed over the target through the same directory fd (atomic, never writes through a link).
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

MAX_READ_BYTES = 8 * 1024 * 1024
MAX_WRITE_BYTES = 8 * 1024 * 1024
MAX_PATH_CHARS = 4096
MAX_LIST_ENTRIES = 10_000
MAX_SEARCH_RESULTS = 1_000
MAX_SEARCH_FILES = 5_000

_SYS_OPENAT2 = 437  # same number on every architecture that has it
_RESOLVE_NO_XDEV = 0x01
_RESOLVE_NO_MAGICLINKS = 0x02
_RESOLVE_NO_SYMLINKS = 0x04
_RESOLVE_BENEATH = 0x08
_TMP_PREFIX = ".gonogo-tmp-"


_SET_ID = stat.S_ISUID | stat.S_ISGID


class ConfinementError(Exception):
    """A file-tool request that was refused or failed; the message says why."""

    def __init__(self, path: str, reason: str, err: int | None = None) -> None:
        super().__init__(f"{path!r}: {reason}")
        self.path = path
        self.reason = reason
        self.errno = err


class _OpenHow(ctypes.Structure):
    _fields_ = [
        ("flags", ctypes.c_uint64),
        ("mode", ctypes.c_uint64),
        ("resolve", ctypes.c_uint64),
    ]


_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
_OPENAT2_OK: bool | None = None


def _openat2(dirfd: int, path: str, flags: int, mode: int = 0) -> int:
    how = _OpenHow(
        flags | os.O_CLOEXEC,
        mode if flags & os.O_CREAT else 0,
        _RESOLVE_BENEATH | _RESOLVE_NO_SYMLINKS | _RESOLVE_NO_MAGICLINKS | _RESOLVE_NO_XDEV,
    )
    fd = _libc.syscall(
        ctypes.c_long(_SYS_OPENAT2),
        ctypes.c_int(dirfd),
        ctypes.c_char_p(os.fsencode(path)),
        ctypes.byref(how),
        ctypes.c_size_t(ctypes.sizeof(how)),
    )
    if fd < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err), path)
    return int(fd)


def openat2_available() -> bool:
    global _OPENAT2_OK
    if _OPENAT2_OK is None:
        try:
            os.close(_openat2(os.open("/", os.O_PATH | os.O_DIRECTORY), ".", os.O_PATH))
            _OPENAT2_OK = True
        except OSError as exc:
            _OPENAT2_OK = exc.errno not in (errno.ENOSYS, errno.EPERM)
    return _OPENAT2_OK


def _components(path: str) -> list[str]:
    """Validated relative components; refuses absolute paths, ``..`` and odd bytes up front."""
    if not isinstance(path, str):
        raise ConfinementError(repr(path), "path must be a string")
    if "\0" in path:
        raise ConfinementError(path, "path contains a NUL byte")
    if len(path) > MAX_PATH_CHARS:
        raise ConfinementError(path[:64], f"path longer than {MAX_PATH_CHARS} characters")
    if path.startswith("/"):
        raise ConfinementError(path, "absolute paths are refused; paths are workspace-relative")
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ConfinementError(path, "'..' is refused; paths stay inside the workspace")
    return parts


def _explain(path: str, exc: OSError) -> ConfinementError:
    reasons = {
        errno.ELOOP: "symlinks are not followed inside the workspace",
        errno.EXDEV: "the path leaves the workspace",
        errno.ENOENT: "no such file or directory in the workspace",
        errno.ENOTDIR: "a path component is not a directory (or is a symlink)",
        errno.EISDIR: "is a directory",
        errno.EACCES: "permission denied",
        errno.EAGAIN: "the path changed while it was resolved; refused",
    }
    return ConfinementError(path, reasons.get(exc.errno or 0, exc.strerror or str(exc)), exc.errno)


@dataclass(frozen=True)
class ListEntry:
    name: str
    kind: str  # "file" | "dir" | "symlink" | "other"
    size: int

    def __str__(self) -> str:
        suffix = {"dir": "/", "symlink": "@"}.get(self.kind, "")
        return f"{self.name}{suffix}"


class ConfinedFS:
    """File tools bound to one workspace directory (held open by fd for the object's life)."""

    def __init__(
        self,
        workspace: Path,
        *,
        max_read: int = MAX_READ_BYTES,
        max_write: int = MAX_WRITE_BYTES,
        use_openat2: bool | None = None,
    ) -> None:
        self.workspace = Path(workspace)
        self.max_read = max_read
        self.max_write = max_write
        self._root = os.open(self.workspace, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
        self._openat2 = openat2_available() if use_openat2 is None else use_openat2

    def close(self) -> None:
        if self._root >= 0:
            os.close(self._root)
            self._root = -1

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001, S110 - interpreter shutdown
            pass

    def _owner(self) -> tuple[int, int] | None:
        """Whom new files should belong to: the workspace's owner (the tenant's sandbox id
        once provisioned), so sandboxed commands can still change them. Only root can chown."""
        st = os.fstat(self._root)
        owner = (st.st_uid, st.st_gid)
        return owner if os.geteuid() == 0 and owner != (0, 0) else None

    @property
    def mode(self) -> str:
        return "openat2" if self._openat2 else "o_nofollow-walk"

    # --- resolution -----------------------------------------------------------------------
    def _open_rel(self, dirfd: int, parts: list[str], flags: int, mode: int = 0o644) -> int:
        """Open ``parts`` beneath ``dirfd`` without following any symlink."""
        if not parts:
            return os.open(".", flags | os.O_CLOEXEC, dir_fd=dirfd)
        if self._openat2:
            return _openat2(dirfd, "/".join(parts), flags, mode)
        fd = os.open(".", os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC, dir_fd=dirfd)
        try:
            for comp in parts[:-1]:
                nxt = os.open(
                    comp, os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd
                )
                os.close(fd)
                fd = nxt
            return os.open(parts[-1], flags | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=fd)
        finally:
            os.close(fd)

    @contextmanager
    def _fd(self, path: str, flags: int, mode: int = 0o644) -> Iterator[int]:
        parts = _components(path)
        try:
            fd = self._open_rel(self._root, parts, flags, mode)
        except OSError as exc:
            raise _explain(path, exc) from None
        try:
            yield fd
        finally:
            os.close(fd)

    def _parent(self, path: str, create: bool) -> tuple[int, str]:
        parts = _components(path)
        if not parts:
            raise ConfinementError(path, "a file name is required")
        name = parts[-1]
        if name.startswith(_TMP_PREFIX):
            raise ConfinementError(path, "names starting with .gonogo-tmp- are reserved")
        dirfd = os.open(".", os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC, dir_fd=self._root)
        try:
            for comp in parts[:-1]:
                try:
                    nxt = self._open_rel(dirfd, [comp], os.O_PATH | os.O_DIRECTORY)
                except FileNotFoundError:
                    if not create:
                        raise
                    made = True
                    try:
                        os.mkdir(comp, 0o755, dir_fd=dirfd)
                    except FileExistsError:
                        made = False
                    nxt = self._open_rel(dirfd, [comp], os.O_PATH | os.O_DIRECTORY)
                    if made:
                        # A new directory inherits S_ISGID (and the group) from a set-group-ID
                        # parent; the ones this tool makes never carry it on.
                        os.chmod(f"/proc/self/fd/{nxt}", 0o755)
                    owner = self._owner() if made else None
                    if owner is not None:
                        os.chown(f"/proc/self/fd/{nxt}", *owner)
                os.close(dirfd)
                dirfd = nxt
        except OSError as exc:
            os.close(dirfd)
            raise _explain(path, exc) from None
        return dirfd, name

    # --- tools ----------------------------------------------------------------------------
    def read(self, path: str, *, max_bytes: int | None = None) -> bytes:
        cap = self.max_read if max_bytes is None else min(max_bytes, self.max_read)
        with self._fd(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY) as fd:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise ConfinementError(path, "not a regular file")
            if st.st_size > cap:
                raise ConfinementError(path, f"file is {st.st_size} bytes; the cap is {cap}")
            chunks: list[bytes] = []
            total = 0
            while True:
                chunk = os.read(fd, min(1 << 20, cap + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if total > cap:
                    raise ConfinementError(path, f"file grew past the cap of {cap} bytes")
            return b"".join(chunks)

    def write(self, path: str, data: bytes, *, make_parents: bool = True) -> int:
        """Atomically replace (or create) ``path`` with ``data``; returns bytes written."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise ConfinementError(path, "data must be bytes")
        data = bytes(data)
        if len(data) > self.max_write:
            raise ConfinementError(
                path, f"{len(data)} bytes exceeds the write cap {self.max_write}"
            )
        dirfd, name = self._parent(path, make_parents)
        try:
            try:
                st = os.stat(name, dir_fd=dirfd, follow_symlinks=False)
            except FileNotFoundError:
                st = None
            if st is not None:
                if stat.S_ISDIR(st.st_mode):
                    raise ConfinementError(path, "is a directory")
                if stat.S_ISLNK(st.st_mode):
                    raise ConfinementError(path, "is a symlink; symlinks are not written through")
                if not stat.S_ISREG(st.st_mode):
                    raise ConfinementError(path, "not a regular file")
                if st.st_nlink > 1:
                    raise ConfinementError(
                        path, f"has {st.st_nlink} hard links; hardlinked targets are refused"
                    )
            tmp = f"{_TMP_PREFIX}{secrets.token_hex(8)}"
            # The old file's permissions, never its set-id bits: the content is the agent's,
            # and this runs as host root (a twenty-seventh red-team pass: a setuid-root file in
            # an unprovisioned workspace stayed setuid root with the agent's bytes in it).
            mode = stat.S_IMODE(st.st_mode) & ~_SET_ID if st is not None else 0o644
            fd = os.open(
                tmp,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                mode,
                dir_fd=dirfd,
            )
            try:
                owner = self._owner()
                if owner is not None:
                    os.fchown(fd, *owner)
                view = memoryview(data)
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
                os.fsync(fd)
            except BaseException:
                os.close(fd)
                os.unlink(tmp, dir_fd=dirfd)
                raise
            os.close(fd)
            try:
                # rename replaces the directory entry: a link planted at ``name`` after the
                # checks above is replaced, never written through.
                os.rename(tmp, name, src_dir_fd=dirfd, dst_dir_fd=dirfd)
            except OSError:
                os.unlink(tmp, dir_fd=dirfd)
                raise
            _sync_dir(dirfd)
            return len(data)
        except OSError as exc:
            raise _explain(path, exc) from None
        finally:
            os.close(dirfd)

    def entries(self, path: str = ".") -> list[ListEntry]:
        with self._fd(path, os.O_RDONLY | os.O_DIRECTORY) as fd:
            out: list[ListEntry] = []
            with os.scandir(fd) as it:
                for e in it:
                    if len(out) >= MAX_LIST_ENTRIES:
                        break
                    st = e.stat(follow_symlinks=False)
                    out.append(ListEntry(e.name, _kind(st.st_mode), st.st_size))
            return sorted(out, key=lambda e: e.name)

    def search(
        self, needle: str, path: str = ".", *, max_results: int = MAX_SEARCH_RESULTS
    ) -> list[str]:
        """Literal (not regex: no catastrophic patterns) search; ``file:line:text`` hits."""
        if not needle:
            raise ConfinementError(path, "search needs a non-empty string")
        target = needle.encode()
        hits: list[str] = []
        files = 0
        base = "/".join(_components(path))
        with self._fd(path, os.O_RDONLY | os.O_DIRECTORY) as top:
            stack: list[tuple[int, str]] = [(os.dup(top), base)]
            try:
                while stack and len(hits) < max_results and files < MAX_SEARCH_FILES:
                    dfd, rel = stack.pop()
                    try:
                        with os.scandir(dfd) as it:
                            names = sorted(
                                (e.name, _kind(e.stat(follow_symlinks=False).st_mode)) for e in it
                            )
                        mark = len(stack)
                        for name, kind in names:
                            child = f"{rel}/{name}" if rel else name
                            if kind == "dir":
                                try:
                                    sub = self._open_rel(dfd, [name], os.O_RDONLY | os.O_DIRECTORY)
                                except OSError:
                                    continue
                                stack.append((sub, child))
                            elif kind == "file":
                                files += 1
                                hits += self._search_file(dfd, name, child, target)
                                if len(hits) >= max_results:
                                    break
                        # reversed onto the stack: directories are visited in name order
                        stack[mark:] = reversed(stack[mark:])
                    finally:
                        os.close(dfd)
            finally:
                for dfd, _ in stack:
                    os.close(dfd)
        return hits[:max_results]

    def _search_file(self, dirfd: int, name: str, rel: str, target: bytes) -> list[str]:
        try:
            fd = self._open_rel(dirfd, [name], os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
        except OSError:
            return []
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > self.max_read:
                return []
            data = os.read(fd, self.max_read)
        finally:
            os.close(fd)
        if target not in data:
            return []
        out = []
        for i, line in enumerate(data.splitlines(), 1):
            if target in line:
                out.append(f"{rel}:{i}:{line.decode('utf-8', 'replace')[:500]}")
        return out

    # Defined last: inside the class body the name ``list`` would shadow the builtin.
    def list(self, path: str = ".") -> list[str]:  # noqa: A003
        """Entry names, ``/`` after directories and ``@`` after symlinks."""
        return [str(e) for e in self.entries(path)]


def _kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISLNK(mode):
        return "symlink"
    return "other"


def _sync_dir(dirfd: int) -> None:
    """Make the rename durable: fsync needs a real (not O_PATH) fd of the directory."""
    try:
        fd = os.open(".", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC, dir_fd=dirfd)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
