"""`gonogo redact` as a process: stdin → stdout through one redaction stream.

The command is a filter in pipelines, so its start is paid on every run: the fast entry in
``gonogo.cli`` (``run_fast``) reads its one option without Typer (whose import, with the
pydantic it loads, took about 0.12 s of CPU of a 0.20 s start: fifth speed pass), and the Typer
command (``gonogo.cli_redact``) runs the same :func:`run`. Any argument list the fast entry does
not read exactly as Typer would (``--help``, an unknown option, a directory given as the file, a
value that starts with ``-``) goes to Typer, which answers it as before.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, BinaryIO

# Up to 1 MiB per read: read1 returns what has arrived (a slow producer still gets its lines
# out at once), and a fast one pays the per-scan costs sixteen times less often than at 64 KiB.
CHUNK = 1024 * 1024
_OPTION = "--known-secrets"


class KnownSecretsError(ValueError):
    """The --known-secrets file is unreadable or not {"known_secrets": [strings]}."""


def load_known_secrets(path: Path) -> list[str]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KnownSecretsError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise KnownSecretsError(f"{path}: not valid JSON: {exc}") from None
    if not isinstance(data, dict) or "known_secrets" not in data:
        raise KnownSecretsError(f'{path}: expected an object {{"known_secrets": [...]}}')
    values = data["known_secrets"]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise KnownSecretsError(f"{path}: known_secrets must be a list of strings")
    return values


def run(known_secrets: Path | None, src: BinaryIO, out: BinaryIO, err: Any) -> int:
    """Redact ``src`` into ``out``; the exit status (2 and a line on ``err`` for a bad file)."""
    from enforcement_agent.redaction import Redactor
    from enforcement_agent.redaction.known import KnownSecretTooLong

    values: list[str] = []
    if known_secrets is not None:
        try:
            values = load_known_secrets(known_secrets)
        except KnownSecretsError as exc:
            err.write(f"gonogo redact: {exc}\n")
            err.flush()
            return 2
    try:
        redactor = Redactor(known_secrets=values)
    except KnownSecretTooLong as exc:
        err.write(f"gonogo redact: {known_secrets}: {exc}\n")
        err.flush()
        return 2
    stream = redactor.stream()
    read = src.read1 if hasattr(src, "read1") else src.read
    while True:
        chunk = read(CHUNK)
        if not chunk:
            break
        released = stream.feed(chunk)
        if released:
            out.write(released)
            out.flush()
    out.write(stream.flush())
    out.flush()
    return 0


def parse_fast(argv: list[str]) -> tuple[Path | None] | None:
    """The ``--known-secrets`` path of a plain ``redact`` argument list (``(None,)`` without
    one); None when Typer should read ``argv``."""
    if not argv:
        return (None,)
    if len(argv) == 2 and argv[0] == _OPTION:
        value = argv[1]
    elif len(argv) == 1 and argv[0].startswith(_OPTION + "="):
        value = argv[0][len(_OPTION) + 1 :]
    else:
        return None
    if not value or value.startswith("-"):
        return None
    path = Path(value)
    if path.is_dir():
        return None  # Typer's own usage error (``dir_okay=False``)
    return (path,)


def run_fast(argv: list[str]) -> int | None:
    """Run a plain ``gonogo redact`` call; its exit status, or None when Typer should."""
    parsed = parse_fast(argv)
    if parsed is None:
        return None
    try:
        return run(parsed[0], sys.stdin.buffer, sys.stdout.buffer, sys.stderr)
    except BrokenPipeError:
        # The reader went away (``| head``): status 1 and no traceback, as Typer ends it; the
        # interpreter's last flush of the dead pipe is silenced the same way.
        sys.stdout = _Pacified(sys.stdout)
        sys.stderr = _Pacified(sys.stderr)
        return 1


class _Pacified:
    """A stream whose ``flush`` ignores a broken pipe (Typer's ``PacifyFlushWrapper``)."""

    def __init__(self, wrapped: Any) -> None:
        self.wrapped = wrapped

    def flush(self) -> None:
        try:
            self.wrapped.flush()
        except BrokenPipeError:
            pass

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.wrapped, attr)
