"""Each `gonogo` command loads its own domain only (first of all `gonogo agent exec`).

The Claude Code hook rewrites every allowed Bash command to run through `gonogo agent exec`,
so its start-up is paid on every tool call. The whole CLI imported Dagster, DuckDB and the
gateway's web stack through other domains' commands (about 1.4 s of CPU per call); the
`agent` commands now start alone (about 0.8 s with the sandbox run).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gonogo.config import REPO_ROOT

PROBE = """
import json, sys
sys.argv = ['gonogo', 'agent', 'exec', '--tenant', 'acme', '--role', 'contributor',
            '--workspace', sys.argv[1], '--', 'cat', 'a.txt']
from gonogo.cli import main
try:
    main()
    code = 0
except SystemExit as exc:
    code = exc.code
heavy = sorted({m.split('.')[0] for m in sys.modules}
               & {'dagster', 'duckdb', 'fastapi', 'uvicorn', 'mcp', 'pandas', 'sqlalchemy'})
others = sorted(m for m in sys.modules if m.startswith('gonogo.cli_') and m != 'gonogo.cli_agent')
sys.stderr.write(json.dumps({'exit': code, 'heavy': heavy, 'others': others}) + '\\n')
"""


def test_agent_exec_starts_without_the_other_domains(tmp_path: Path) -> None:
    ws, home = tmp_path / "ws", tmp_path / "home"
    ws.mkdir()
    (ws / "a.txt").write_text("hello from the workspace\n")
    env = {"PATH": "/usr/bin:/bin", "GONOGO_HOME": str(home), "HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(ws)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
    )
    doc = json.loads(proc.stderr.strip().splitlines()[-1])
    assert doc["exit"] == 0, proc.stderr
    assert proc.stdout == "hello from the workspace\n"  # it ran, in the sandbox, and printed
    assert doc["heavy"] == [], doc
    assert doc["others"] == [], doc


def test_the_full_cli_still_lists_every_command(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "gonogo", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", "GONOGO_HOME": str(tmp_path / "home")},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    for command in ("agent", "pipeline", "report", "hook", "redact", "audit"):
        assert command in proc.stdout, command


HELP_PROBE = """
import json, sys
sys.argv = ['gonogo', *sys.argv[1:], '--help']
from gonogo.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'dagster', 'duckdb'})) + '\\n')
"""


@pytest.mark.parametrize(
    "command",
    ["audit", "serve", "mcp", "hook", "agent", "report", "digest", "policy", "plan", "demo"],
)
def test_commands_start_without_dagster(tmp_path: Path, command: str) -> None:
    """Each command starts with its own module: the integrations and the audit (an operator's
    timer runs `audit verify`; an agent host starts `mcp`, `hook`, `serve`) and the others."""
    proc = subprocess.run(
        [sys.executable, "-c", HELP_PROBE, command],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", "GONOGO_HOME": str(tmp_path / "home")},
        timeout=120,
    )
    assert f"{command} [OPTIONS]" in proc.stdout, proc.stdout + proc.stderr
    assert json.loads(proc.stderr.strip().splitlines()[-1]) == []


def test_the_command_table_names_what_each_module_registers() -> None:
    """`gonogo X` loads the module the table names for X: it must be the one registering X,
    and every module's every top-level name must be in the table."""
    import importlib

    import typer

    from gonogo import cli

    registered: dict[str, str] = {}
    for module in cli._COMMAND_MODULES:
        app = typer.Typer()
        importlib.import_module(module).register(app)
        names = [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]
        names += [g.name for g in app.registered_groups if g.name]
        for name in names:
            registered[name] = module
    assert registered == cli._COMMANDS
