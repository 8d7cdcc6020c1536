"""How the policy reads a workspace file's contents: only a regular file, never blocking.

The policy reads files to decide (git's HEAD, index, refs and config, a `sed -f` script, a
requirements file, `.npmrc`, a patch, a file whose content may be a key). `open()` of a FIFO
waits for a writer: a FIFO put at any of those names hung every decision of the workspace for
good, past the decider's 2 s cap (seventeenth pass, found by effect on `cat README.md` with a
FIFO at `.git/config`, `.git/HEAD`, `.git/index`, a ref, `.npmrc`, `requirements.txt` or a
`sed -f` script). Every such read goes through :func:`open_regular`: what is not a regular
file raises ``OSError`` like an unreadable file, so each caller's "cannot be read" answer
holds (undecidable, or the file counts as not holding what was looked for).
"""

from __future__ import annotations

import errno
import io
import os
import stat
import threading
from collections.abc import Callable
from typing import BinaryIO, Generic, TextIO, TypeVar

T = TypeVar("T")
_Stamp = tuple[int, int, int, int]


def open_regular(path: str) -> BinaryIO:
    """``open(path, "rb")`` that refuses (``OSError``) what is not a regular file at the time
    of the open, without waiting on a FIFO or a device."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", path)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def open_regular_text(path: str) -> TextIO:
    """:func:`open_regular` decoded as ``open(path)`` decodes."""
    return io.TextIOWrapper(open_regular(path))


def read_regular(
    path: str, limit: int, max_size: int | None = None, *, follow_links: bool = True
) -> bytes | None:
    """The first ``limit`` bytes of the regular file at ``path``; None when it is missing, not a
    regular file (checked before and after the open), larger than ``max_size``, a link while
    ``follow_links`` is off, or unreadable. Never blocks: a FIFO is refused, not waited on."""
    try:
        st = os.stat(path) if follow_links else os.lstat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode) or (max_size is not None and st.st_size > max_size):
        return None
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow_links else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        # the path may have been swapped for a FIFO or a larger file after the stat
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or (max_size is not None and st.st_size > max_size):
            return None
        return os.read(fd, limit)
    except OSError:
        return None
    finally:
        os.close(fd)


class StampedReads(Generic[T]):
    """``reads(path)``: ``judge`` of the first ``limit`` bytes of the regular file at ``path``;
    ``default`` when it is missing, not a regular file, empty, larger than ``max_size`` or
    unreadable (the read itself then fails on its own)."""

    def __init__(
        self,
        judge: Callable[[bytes], T],
        default: T,
        limit: int,
        max_size: int | None = None,
        keep: int = 4096,
    ) -> None:
        self._judge = judge
        self._default = default
        self._limit = limit
        self._max_size = max_size
        self._keep = keep
        self._lock = threading.Lock()
        self._seen: dict[str, tuple[_Stamp, T]] = {}

    def __call__(self, path: str) -> T:
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return self._default
        too_big = self._max_size is not None and st.st_size > self._max_size
        if not stat.S_ISREG(st.st_mode) or st.st_size == 0 or too_big:
            return self._default
        stamp = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        with self._lock:
            hit = self._seen.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        data = read_regular(path, self._limit, self._max_size)
        if data is None:
            return self._default
        found = self._judge(data)
        with self._lock:
            if len(self._seen) > self._keep:
                self._seen.clear()
            self._seen[path] = (stamp, found)
        return found

    def forget(self) -> None:
        """Drop every remembered judgement (tests)."""
        with self._lock:
            self._seen.clear()
