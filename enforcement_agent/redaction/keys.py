"""The per-deployment HMAC key behind placeholder tags.

A plain hash of a low-entropy secret is reversible by dictionary; an HMAC with a key that never
leaves the deployment is not. Order: ``GONOGO_REDACTION_KEY`` (hex) → ``$GONOGO_HOME/redaction.key``
(created 0600 on first use) → an ephemeral random key when the home is not writable (tags are then
stable only within the process, which still reveals nothing).
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from enforcement_agent.durable import fsync_path
from enforcement_agent.lazy_logger import lazy_logger

ENV_KEY = "GONOGO_REDACTION_KEY"
KEY_FILE = "redaction.key"
_log = lazy_logger(__name__)


class RedactionKeyError(ValueError):
    """The configured key is unusable (bad hex, too short, unsafe file permissions)."""


def _home() -> Path:
    return Path(os.environ.get("GONOGO_HOME", ".gonogo")).resolve()


def load_key(home: Path | None = None) -> bytes:
    env = os.environ.get(ENV_KEY)
    if env:
        try:
            key = bytes.fromhex(env.strip())
        except ValueError as exc:
            raise RedactionKeyError(f"{ENV_KEY} is not hex: {exc}") from None
        if len(key) < 16:
            raise RedactionKeyError(f"{ENV_KEY} must be at least 16 bytes (32 hex characters)")
        return key
    path = (home or _home()) / KEY_FILE
    try:
        return _read_or_create(path)
    except OSError as exc:
        _log.warning("redaction key file %s unusable (%s); using an ephemeral key", path, exc)
        return secrets.token_bytes(32)


def _read_or_create(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.stat().st_size == 0:
        _set_aside_empty(path)
    if not path.exists():
        _create(path)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise RedactionKeyError(f"{path} is readable by group/others (mode {mode:o}); chmod 600 it")
    text = path.read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise RedactionKeyError(f"{path} is not hex") from None
    if len(key) < 16:
        raise RedactionKeyError(f"{path} holds fewer than 16 bytes of key") from None
    return key


def _create(path: Path) -> None:
    """Write a new key beside ``path`` and link it into place: the key file appears whole or
    not at all (a crash leaves only a temporary file), and of two processes creating it at
    once exactly one key wins and both use it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_bytes(32).hex() + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process created it first: use theirs
        fsync_path(path.parent, directory=True)
    finally:
        tmp.unlink(missing_ok=True)


def _set_aside_empty(path: Path) -> None:
    """An empty key file is what a crash during the old, in-place creation left: it holds no
    key (nothing was ever tagged with it), so it is moved aside and a new key is made."""
    aside = path.with_name(f"{path.name}.empty-{int(time.time())}")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return
    _log.warning(
        "%s was empty (left by a crash while it was first created); it held no key and was "
        "moved to %s; a new key is created",
        path,
        aside.name,
    )
