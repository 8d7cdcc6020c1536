"""Opening the DuckDB evidence store: one writer at a time, across processes.

DuckDB lets one process at a time hold a database file for writing; a second process gets
``Could not set lock on file``. Dagster runs steps in separate processes by default, several
runs can be in flight (a schedule tick while a UI-launched run is going), and the CLI may be
used beside them. Everything of gonogo that opens the store goes through `connect`, which first
takes an advisory lock (``flock``) on ``<db>.lock`` beside the database, so writers queue instead
of failing; read-only openers share the lock. A process that does not take the lock (a
``duckdb`` shell left open) is waited for the same way, up to the same deadline.

The wait is bounded: ``GONOGO_STORE_WAIT_S`` (default 600 s); past it `StoreBusy` says who
holds the store. Waits back off exponentially (with jitter) up to a second between tries.

Readers never wait for a writer and never fail because one is running: `read_only` opens the
database itself when no writer holds it, else the snapshot the last writer published beside
it (``<db>.snapshot``: a copy taken under the writer lock after the writer closed, renamed into
place, so a reader always sees one whole committed state).

The database file is created atomically (a temporary file renamed into place), so a crash
while creating it leaves no half-made store; an empty file left by an older crash is moved
aside (it holds no data) and a file that is not a DuckDB database is refused with the reason.
"""

from __future__ import annotations

import fcntl
import logging
import os
import random
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from enforcement_agent.durable import fsync_path

WAIT_ENV = "GONOGO_STORE_WAIT_S"
DEFAULT_WAIT_S = 600.0
_POLL_S = 0.05
_MAX_POLL_S = 1.0
# A writer publishes a snapshot for readers at most this often (and always when asked).
SNAPSHOT_EVERY_S = 10.0
SNAPSHOT_SUFFIX = ".snapshot"
_DUCKDB_MAGIC = b"DUCK"  # bytes 8..12 of every DuckDB database file
log = logging.getLogger("gonogo.store")


class StoreBusy(RuntimeError):
    """The store stayed locked by another process for longer than the wait allows."""


class StoreCorrupt(RuntimeError):
    """The store file exists but is not a DuckDB database (the message says what to do)."""


def _backoff(attempt: int) -> float:
    """Exponential backoff with jitter: 50 ms, 100 ms, 200 ms … capped at 1 s."""
    return min(_MAX_POLL_S, _POLL_S * (2 ** min(attempt, 10))) * random.uniform(0.5, 1.0)


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
        attempt = 0
        while True:
            try:
                fcntl.flock(self.fd, mode | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(f"{self.lock_path} is held by {_holder(self.fd)}") from None
                time.sleep(_backoff(attempt))
                attempt += 1
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


def _check_file(path: Path) -> None:
    """Refuse a store file that is not a database; move aside an empty one (no data in it)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except FileNotFoundError:
        return
    if not head:
        aside = path.with_name(f"{path.name}.empty-{int(time.time())}")
        os.replace(path, aside)
        log.warning(
            "%s was an empty file (a crash while it was first created left it); it held no "
            "data and was moved to %s; a new store is created",
            path,
            aside.name,
        )
        return
    if head[8:12] != _DUCKDB_MAGIC:
        raise StoreCorrupt(
            f"{path} is not a DuckDB database (its first bytes are not DuckDB's header): "
            "it was not written by gonogo, or was damaged; move it away to start a new store"
        )


def _create_atomically(path: Path) -> None:
    """A new, valid, empty database at ``path``, or nothing there at all (never a torn file)."""
    tmp = path.with_name(f".{path.name}.creating-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        duckdb.connect(str(tmp)).close()
        fsync_path(tmp)
        os.replace(tmp, path)
        fsync_path(path.parent, directory=True)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)


def snapshot_path(path: Path) -> Path:
    return path.with_name(path.name + SNAPSHOT_SUFFIX)


def publish_snapshot(path: Path, *, force: bool = True) -> bool:
    """Copy the closed database beside it for readers (call with the writer lock held and no
    connection open). Skipped when a WAL is left (the file alone is not the whole state) or,
    unless ``force``, when the last snapshot is recent. Returns whether one was published."""
    snap = snapshot_path(path)
    if not path.exists() or Path(str(path) + ".wal").exists():
        return False
    try:
        snap_mtime = snap.stat().st_mtime
    except FileNotFoundError:
        snap_mtime = 0.0
    if path.stat().st_mtime <= snap_mtime:
        return False  # nothing written since
    if not force and time.time() - snap_mtime < SNAPSHOT_EVERY_S:
        return False
    tmp = snap.with_name(f".{snap.name}.{os.getpid()}")
    try:
        shutil.copyfile(path, tmp)
        fsync_path(tmp)
        os.replace(tmp, snap)
    except OSError as exc:  # a full disk must not fail the writer: readers keep the old one
        log.warning("store snapshot not published: %s", exc)
        tmp.unlink(missing_ok=True)
        return False
    return True


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
        if not read_only:
            _check_file(path)
            if not path.exists():
                _create_atomically(path)
        con = _connect(path, read_only, deadline)
        try:
            yield con
            if not read_only:
                con.execute("CHECKPOINT")
        finally:
            con.close()
        if not read_only and lock.depth == 1:
            publish_snapshot(path, force=False)
    finally:
        lock.release()


@contextmanager
def read_only(path: Path, *, wait_s: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A read-only connection that never waits for a writer: the database when no writer
    holds it, else the last published snapshot; ``None`` when there is no store yet. Only
    when there is neither a free database nor a snapshot does it wait (bounded by ``wait_s``,
    retrying with backoff)."""
    path = path.resolve()
    if not path.exists():
        yield None
        return
    deadline = time.monotonic() + wait_s
    attempt = 0
    while True:
        con = _open_for_reading(path)
        if con is not None:
            break
        if time.monotonic() >= deadline:
            raise StoreBusy(f"{path} is being written and no snapshot was published yet")
        time.sleep(_backoff(attempt))
        attempt += 1
    try:
        yield con
    finally:
        con.close()


def _open_for_reading(path: Path) -> duckdb.DuckDBPyConnection | None:
    lock = _process_lock(path)
    try:
        lock.acquire(exclusive=False, deadline=time.monotonic())
    except StoreBusy:
        lock = None  # type: ignore[assignment]
    if lock is not None:
        try:
            return duckdb.connect(str(path), read_only=True)
        except duckdb.Error:
            pass  # held by a process outside our lock: try the snapshot
        finally:
            lock.release()
    snap = snapshot_path(path)
    if snap.exists():
        try:
            return duckdb.connect(str(snap), read_only=True)
        except duckdb.Error:
            return None  # replaced as we opened it: try again
    return None


def _connect(path: Path, read_only: bool, deadline: float) -> duckdb.DuckDBPyConnection:
    attempt = 0
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            # A process that opened the file without our lock (e.g. a duckdb shell).
            if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                raise StoreBusy(str(exc).splitlines()[0]) from None
            time.sleep(_backoff(attempt + 2))
            attempt += 1


def refresh_snapshot(path: Path, *, wait_s: float | None = None) -> bool:
    """Publish a fresh snapshot now (end of a pipeline run or report), under the writer lock."""
    path = path.resolve()
    deadline = time.monotonic() + (wait_seconds() if wait_s is None else wait_s)
    lock = _process_lock(path)
    lock.acquire(exclusive=True, deadline=deadline)
    try:
        return publish_snapshot(path, force=True)
    finally:
        lock.release()
