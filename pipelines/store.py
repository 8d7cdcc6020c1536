"""Opening the DuckDB evidence store: one writer at a time, across processes.

DuckDB lets one process at a time hold a database file for writing; a second process gets
``Could not set lock on file``. Dagster runs steps in separate processes by default, several
runs can be in flight (a schedule tick while a UI-launched run is going), and the CLI may be
used beside them. Everything of gonogo that opens the store goes through `connect`, which first
takes an advisory lock (``flock``) on ``<db>.lock`` beside the database, so writers queue instead
of failing; read-only openers share the lock. A process that does not take the lock (a
``duckdb`` shell left open) is waited for the same way, up to the same deadline.

The wait is bounded: ``GONOGO_STORE_WAIT_S`` (default 600 s); past it `StoreBusy` says who
holds the store.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

WAIT_ENV = "GONOGO_STORE_WAIT_S"
DEFAULT_WAIT_S = 600.0
_POLL_S = 0.05


class StoreBusy(RuntimeError):
    """The store stayed locked by another process for longer than the wait allows."""


def wait_seconds() -> float:
    raw = os.environ.get(WAIT_ENV)
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_WAIT_S
    except ValueError:
        return DEFAULT_WAIT_S


class _ProcessLock:
    """This process's hold on one store's lock file: re-entrant within a thread, so code that
    opens the store while it already has it open does not wait for itself."""

    def __init__(self, lock_path: Path) -> None:
        self.lock_path = lock_path
        self.thread_lock = threading.RLock()
        self.fd: int | None = None
        self.exclusive = False
        self.depth = 0

    def acquire(self, exclusive: bool, deadline: float) -> None:
        if not self.thread_lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise StoreBusy(f"{self.lock_path}: another thread of this process holds the store")
        try:
            if self.fd is None:
                self.fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            if self.depth == 0 or (exclusive and not self.exclusive):
                self._flock(fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, deadline)
                self.exclusive = exclusive or self.exclusive
            self.depth += 1
        except BaseException:
            if self.depth == 0:
                self._close()
            self.thread_lock.release()
            raise

    def release(self) -> None:
        self.depth -= 1
        if self.depth == 0:
            self._close()
        self.thread_lock.release()

    def _flock(self, mode: int, deadline: float) -> None:
        assert self.fd is not None
        while True:
            try:
                fcntl.flock(self.fd, mode | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(f"{self.lock_path} is held by {_holder(self.fd)}") from None
                time.sleep(_POLL_S)
            else:
                if mode == fcntl.LOCK_EX:
                    os.ftruncate(self.fd, 0)
                    os.pwrite(self.fd, f"pid {os.getpid()}\n".encode(), 0)
                return

    def _close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor releases the flock
        self.fd, self.exclusive = None, False


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
    except OSError:
        text = ""
    return f"another process ({text})" if text else "another process"


_locks: dict[Path, _ProcessLock] = {}
_locks_guard = threading.Lock()


def _process_lock(db: Path) -> _ProcessLock:
    lock_path = db.with_name(db.name + ".lock")
    with _locks_guard:
        return _locks.setdefault(lock_path, _ProcessLock(lock_path))


@contextmanager
def connect(
    path: Path, *, read_only: bool = False, wait_s: float | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the store at ``path``, once no other process is writing to it."""
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + (wait_seconds() if wait_s is None else wait_s)
    lock = _process_lock(path)
    lock.acquire(exclusive=not read_only, deadline=deadline)
    try:
        con = _connect(path, read_only, deadline)
        try:
            yield con
        finally:
            con.close()
    finally:
        lock.release()


def _connect(path: Path, read_only: bool, deadline: float) -> duckdb.DuckDBPyConnection:
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            # A process that opened the file without our lock (e.g. a duckdb shell).
            if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                raise StoreBusy(str(exc).splitlines()[0]) from None
            time.sleep(_POLL_S * 4)
