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
# keeps their records whole. bash's stdout is line-buffered, so a newline inside an argument
# would split the record into two writes another member's record could land between (a
# hypothesis example did): newlines are logged as 0x1d and read back.
PRELUDE = (
    "command_not_found_handle() { local IFS=$'\\037'; local rec=\"$*\"; "
    "printf '%s\\036' \"${rec//$'\\n'/$'\\035'}\" >> \"$ORACLE_LOG\"; return 0; }\n"
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
    return [tuple(rec.replace("\x1d", "\n").split("\x1f")) for rec in raw.split("\x1e") if rec]


class Effect:
    """What a command did when it really ran: its output and the workspace afterwards."""

    def __init__(self, stdout: bytes, stderr: bytes, files: dict[str, bytes], links: set[str]):
        self.stdout = stdout
        self.stderr = stderr
        self.files = files  # workspace-relative path -> content (regular files)
        self.links = links  # workspace-relative symlinks


def run_for_real(
    command: str,
    files: dict[str, str | bytes] | None = None,
    setup: str = "",
    outside: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> Effect:
    """Run ``bash -c command`` with the real programs in a throwaway workspace.

    The workspace is built from ``files`` and then ``setup`` (a shell script run first, e.g.
    ``git init``), inside bubblewrap: the system read-only, a private /tmp, no network, the
    workspace at ``/tmp/ws`` and ``outside`` files under ``/tmp/outside`` (a place that is not
    the workspace). Returns the output and every file of the workspace afterwards.
    """
    with tempfile.TemporaryDirectory(prefix="bash-effect-") as tmp:
        root = Path(tmp)
        ws = root / "ws"
        ws.mkdir()
        (root / "outside").mkdir()
        (root / "home").mkdir()
        _write_files(ws, files)
        for name, content in (outside or {}).items():
            (root / "outside" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "outside" / name).write_text(content)
        script = (setup + "\n" if setup else "") + command
        argv = [
            "bwrap",
            "--ro-bind", "/", "/",
            "--tmpfs", "/tmp",
            "--dir", "/tmp/ws",
            "--dir", "/tmp/outside",
            "--dir", "/tmp/home",
            "--bind", str(ws), "/tmp/ws",
            "--bind", str(root / "outside"), "/tmp/outside",
            "--bind", str(root / "home"), "/tmp/home",
            "--dev", "/dev",
            "--proc", "/proc",
            "--chdir", "/tmp/ws",
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--clearenv",
            "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin",
            "--setenv", "HOME", "/tmp/home",
            "--setenv", "GIT_CONFIG_NOSYSTEM", "1",
            "--setenv", "GIT_AUTHOR_NAME", "t", "--setenv", "GIT_AUTHOR_EMAIL", "t@example.com",
            "--setenv", "GIT_COMMITTER_NAME", "t",
            "--setenv", "GIT_COMMITTER_EMAIL", "t@example.com",
            "/usr/bin/bash", "-c", script,
        ]  # fmt: skip
        out = subprocess.run(
            argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False
        )
        found: dict[str, bytes] = {}
        links: set[str] = set()
        for path in ws.rglob("*"):
            rel = path.relative_to(ws).as_posix()
            if path.is_symlink():
                links.add(rel)
            elif path.is_file():
                found[rel] = path.read_bytes()
        return Effect(out.stdout, out.stderr, found, links)


GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def build_workspace(
    root: Path, files: dict[str, str | bytes] | None = None, setup: str = ""
) -> Path:
    """The same workspace :func:`run_for_real` starts from, on disk, for the policy to decide
    against (``setup`` is the test's own script: git init, branches …)."""
    import os

    ws = root / "ws"
    ws.mkdir(parents=True)
    _write_files(ws, files)
    if setup:
        env = {**os.environ, **GIT_ENV, "HOME": str(root)}
        subprocess.run(["bash", "-c", setup], cwd=ws, env=env, check=True, capture_output=True)
    return ws


def _write_files(ws: Path, files: dict[str, str | bytes] | None) -> None:
    for name, content in (files or {}).items():
        target = ws / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)
