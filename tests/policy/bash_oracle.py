"""Real bash as the oracle of what a command line runs.

``bash_runs(command)`` runs ``bash -c command`` inside a throwaway bubblewrap sandbox (read-only
root, private /tmp, no network, an empty ``PATH``) and returns the argv of every command bash
looked up on ``PATH``: with nothing on ``PATH`` each lookup lands in a
``command_not_found_handle`` (installed through ``BASH_ENV``) that logs the argv and runs
nothing. Builtins (``echo``, ``cd``, ``read`` …) do run, inside the sandbox.

The parser tests hold the policy's parse against it: every argv bash would have run must be
one the parser found, or the parser must have refused the command.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

# One printf per record: pipeline members log at the same time, and one O_APPEND write each
# keeps their records whole.
PRELUDE = (
    "command_not_found_handle() { local IFS=$'\\037'; "
    'printf \'%s\\036\' "$*" >> "$ORACLE_LOG"; return 0; }\n'
)


def available() -> bool:
    return shutil.which("bwrap") is not None and Path("/usr/bin/bash").exists()


def bash_runs(
    command: str, files: dict[str, str] | None = None, timeout: float = 10.0
) -> list[tuple[str, ...]]:
    """The argv of every PATH command ``bash -c command`` would run (none actually runs).

    ``files`` are written into the sandbox's working directory first (workspace content an
    attacker controls).
    """
    with tempfile.TemporaryDirectory(prefix="bash-oracle-") as tmp:
        root = Path(tmp)
        (root / "ws").mkdir()
        for name, text in (files or {}).items():
            (root / "ws" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "ws" / name).write_text(text)
        (root / "prelude.sh").write_text(PRELUDE)
        argv = [
            "bwrap",
            "--ro-bind", "/", "/",
            "--tmpfs", "/tmp",
            "--dir", "/tmp/ws",
            "--bind", str(root / "ws"), "/tmp/ws",
            "--ro-bind", str(root / "prelude.sh"), "/tmp/prelude.sh",
            "--chdir", "/tmp/ws",
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--clearenv",
            "--setenv", "PATH", "/nonexistent",
            "--setenv", "HOME", "/tmp/ws",
            "--setenv", "BASH_ENV", "/tmp/prelude.sh",
            "--setenv", "ORACLE_LOG", "/tmp/ws/.oracle-log",
            "/usr/bin/bash", "-c", command,
        ]  # fmt: skip
        subprocess.run(
            argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False
        )
        log = root / "ws" / ".oracle-log"
        if not log.exists():
            return []
        raw = log.read_bytes().decode("utf-8", "surrogateescape")
    return [tuple(rec.split("\x1f")) for rec in raw.split("\x1e") if rec]
