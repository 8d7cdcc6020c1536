"""Cache entries that are trusted only when this user wrote them: one mechanism for every cache.

Used by the command hook's compiled-policy cache (``gonogo/policy_cache.py``) and the
redactor's hyperscan databases and pattern facts (``enforcement_agent/redaction/hyperscan_db.py``).
A cache is an optimisation; what it holds decides what is allowed or masked, so a planted or
damaged entry must never be used. An entry is ``magic + key + HMAC-SHA256(secret, key \\0
body) + body`` and :func:`read_entry` returns its body only when all of these hold (else
``None``, and the caller recomputes — fail closed, never an exception):

* the directory is owned by this user and writable by no one else; the entry is a regular
  file (opened with ``O_NOFOLLOW``: not a symlink), owned by this user, writable by no one
  else;
* it starts with the caller's magic (format and version) and carries the full key the
  caller computes now (a stale entry, or one renamed from another key, does not match);
* its MAC verifies under the secret ``.mac-key`` kept beside the entries: 32 random bytes,
  created ``0600`` with ``O_EXCL`` on the first write, a regular file owned by this user and
  readable by no one else (a secret others could read is not used: nothing is read or
  written until the operator deletes it and a new one is made).

:func:`write_entry` creates the directory ``0700`` (when missing), the secret (when missing)
and writes the entry atomically (a private temporary file, then ``rename``).
"""

from __future__ import annotations

import contextlib
import hmac
import os
import stat
from pathlib import Path

SECRET_NAME = ".mac-key"
# Entries of one kind (the name before its digest: `hyperscan-`, `redaction-plan-`, a
# tenant's policy) kept by `write_entry`, newest first: every version of gonogo and every
# change of its patterns writes new ones under new digests, and nothing removed the old
# (stop 46: 1,633 entries, 1 GB, in a developer's cache after a week; the hook lists the
# directory on every call). A process that still wanted a removed one rebuilds it.
KEEP_PER_KIND = 64
SECRET_LEN = 32
MAC_LEN = 32


def redactor_cache_dir() -> Path:
    """Where the redactor keeps its hyperscan databases and pattern facts (and their
    ``.mac-key``): ``$GONOGO_CACHE_DIR``, else ``$XDG_CACHE_HOME/gonogo``, else
    ``~/.cache/gonogo``.

    A state directory like the others (``Settings.guarded_paths``): thirteenth red-team pass,
    with ``XDG_CACHE_HOME`` inside the workspace a sandboxed ``python3 forge.py`` read the key
    (the policy masks only ``.cache/gonogo/.mac-key`` by name), re-MACed a redaction plan that
    matches nothing, and every later output and decision record went out unredacted.
    """
    env = os.environ.get("GONOGO_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gonogo"


def owned_private(st: os.stat_result) -> bool:
    """Owned by this user and writable by no one else."""
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def private_dir(directory: Path) -> bool:
    try:
        return owned_private(os.stat(directory))
    except OSError:
        return False


def load_secret(directory: Path, *, create: bool) -> bytes | None:
    """The directory's MAC secret (made when missing and ``create``); ``None`` if unusable."""
    path = Path(directory) / SECRET_NAME
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        if not create:
            return None
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            return load_secret(directory, create=False)  # another process made it first
        except OSError:
            return None
        secret = os.urandom(SECRET_LEN)
        with os.fdopen(fd, "wb") as f:
            f.write(secret)
            f.flush()
            os.fsync(f.fileno())
        return secret
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not (stat.S_ISREG(st.st_mode) and owned_private(st)) or st.st_mode & 0o077:
            return None
        secret = f.read(SECRET_LEN + 1)
    return secret if len(secret) == SECRET_LEN else None


def mac(secret: bytes, key: str, body: bytes) -> bytes:
    """HMAC-SHA256(secret, key \\0 body), fed in two parts: no copy of the body (a hook process
    checks a 4 MB hyperscan database on every start; each copy of it is ~1 ms of page faults)."""
    h = hmac.new(secret, key.encode() + b"\0", "sha256")
    h.update(body)
    return h.digest()


def read_entry(directory: Path, path: Path, magic: bytes, key: str) -> bytes | None:
    """The body of the entry at ``path`` if it verifies (see the module), else ``None``."""
    try:
        return _read_entry(Path(directory), path, magic, key)
    except (OSError, ValueError):  # ValueError: a path the OS cannot name (a NUL byte)
        return None


def _read_entry(directory: Path, path: Path, magic: bytes, key: str) -> bytes | None:
    if not private_dir(directory):
        return None
    kb = key.encode()
    head = len(magic) + len(kb)
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    # Unbuffered, the body read as its own object (not sliced out of the whole file, nor joined
    # to a read-ahead buffer): one copy of a 4 MB database instead of three (stop 46).
    with os.fdopen(fd, "rb", buffering=0) as f:
        st = os.fstat(f.fileno())
        if not (stat.S_ISREG(st.st_mode) and owned_private(st)):
            return None
        start = f.read(head + MAC_LEN)
        body = f.readall()
    if start[: len(magic)] != magic or start[len(magic) : head] != kb:
        return None  # another format, or a stale (or renamed) entry
    tag = start[head:]
    secret = load_secret(directory, create=False)
    if secret is None or not hmac.compare_digest(tag, mac(secret, key, body)):
        return None  # corrupt, truncated, edited, or not written with this cache's secret
    return body


def write_entry(directory: Path, path: Path, magic: bytes, key: str, body: bytes) -> bool:
    """Write the entry atomically; ``False`` (nothing written) when it cannot be made safely."""
    directory = Path(directory)
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not private_dir(directory):
            return False  # an entry there could be replaced by someone else
        secret = load_secret(directory, create=True)
        if secret is None:
            return False
        tmp = directory / f".tmp-{os.getpid()}-{os.urandom(6).hex()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(magic + key.encode() + mac(secret, key, body) + body)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except (OSError, ValueError):
        return False
    _prune(directory, path)
    return True


def _prune(directory: Path, written: Path) -> None:
    """Remove the entries of ``written``'s kind past the newest `KEEP_PER_KIND` (by
    modification time; never ``written`` itself, never the secret)."""
    kind = written.name.rpartition("-")[0]
    if not kind:
        return
    entries: list[tuple[int, str]] = []
    try:
        with os.scandir(directory) as it:
            for e in it:
                if e.name.startswith(kind + "-") and e.name.rpartition("-")[0] == kind:
                    with contextlib.suppress(OSError):
                        if e.is_file(follow_symlinks=False):
                            entries.append((e.stat(follow_symlinks=False).st_mtime_ns, e.path))
    except OSError:
        return
    if len(entries) <= KEEP_PER_KIND:
        return
    entries.sort(reverse=True)
    for _, stale in entries[KEEP_PER_KIND:]:
        if stale != str(written):
            with contextlib.suppress(OSError):
                os.unlink(stale)
