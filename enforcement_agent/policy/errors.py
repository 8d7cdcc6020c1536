"""The one error a policy file can raise: it names the file, the line and the reason."""

from __future__ import annotations

from pathlib import Path


class PolicyLoadError(Exception):
    """A policy that fails to load is refused; the message says where and why."""

    def __init__(self, file: str | Path, line: int | None, reason: str) -> None:
        self.file = str(file)
        self.line = line
        self.reason = reason
        where = f"{self.file}:{line}" if line else self.file
        super().__init__(f"{where}: {reason}")
