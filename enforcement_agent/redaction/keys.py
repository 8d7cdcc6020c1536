"""The per-deployment HMAC key behind placeholder tags.

A plain hash of a low-entropy secret is reversible by dictionary; an HMAC with a key that never
leaves the deployment is not. Order: ``GONOGO_REDACTION_KEY`` (hex) → ``$GONOGO_HOME/redaction.key``
(created 0600 on first use) → an ephemeral random key when the home is not writable (tags are then
stable only within the process, which still reveals nothing).
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from pathlib import Path

ENV_KEY = "GONOGO_REDACTION_KEY"
KEY_FILE = "redaction.key"
_log = logging.getLogger(__name__)


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
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            raise RedactionKeyError(
                f"{path} is readable by group/others (mode {mode:o}); chmod 600 it"
            ) from None
        text = path.read_text().strip()
        for _ in range(100):  # another process may be writing it right now
            if text:
                break
            time.sleep(0.01)
            text = path.read_text().strip()
        try:
            key = bytes.fromhex(text)
        except ValueError:
            raise RedactionKeyError(f"{path} is not hex") from None
        if len(key) < 16:
            raise RedactionKeyError(f"{path} holds fewer than 16 bytes of key") from None
        return key
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "w") as fh:
        fh.write(key.hex() + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return key
