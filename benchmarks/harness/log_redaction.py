"""The logs an attempt keeps pass the redactor before anyone reads them.

Agent and verifier output goes straight from the child process to a file (so a killed agent
loses nothing). Task code is third-party and may print credentials (a task about moving a
secret out of the code prints it when it fails), so once the attempt is over each kept log is
rewritten through the streaming redactor. A log the redactor cannot process is emptied, never
kept as it was (the redactor fails closed the same way).
"""

from __future__ import annotations

import os
from pathlib import Path

_CHUNK = 1 << 20
_REWARD_FILES = {"reward.txt", "reward.json"}


def redact_file(path: Path) -> None:
    from enforcement_agent.redaction import get_redactor

    stream = get_redactor().stream()
    tmp = path.with_name(path.name + ".redacting")
    try:
        with open(path, "rb") as src, open(tmp, "wb") as dst:
            while chunk := src.read(_CHUNK):
                dst.write(stream.feed(chunk))
            dst.write(stream.flush())
        os.replace(tmp, path)
    except Exception:  # noqa: BLE001 - whatever broke, the raw log must not stay
        tmp.unlink(missing_ok=True)
        path.write_bytes(b"")


def redact_logs(logs: Path) -> int:
    """Redact every regular file under an attempt's ``logs/`` (the rewards are numbers and
    stay as they are); returns how many files were rewritten."""
    n = 0
    for p in sorted(logs.rglob("*")) if logs.is_dir() else []:
        if p.is_symlink() or not p.is_file() or p.name in _REWARD_FILES:
            continue
        redact_file(p)
        n += 1
    return n
