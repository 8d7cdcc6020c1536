"""Build Harbor-layout tasks in a temporary folder, and run the real `gonogo bench` CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def write_task(
    root: Path,
    name: str,
    *,
    instruction: str = "Do the thing.",
    env: dict[str, str] | None = None,
    test_sh: str,
    solve_sh: str | None,
    tests: dict[str, str] | None = None,
    agent_timeout: float = 120.0,
    verifier_timeout: float = 60.0,
) -> Path:
    d = root / name
    (d / "environment").mkdir(parents=True)
    (d / "tests").mkdir()
    (d / "task.toml").write_text(
        f'version = "1.0"\n\n[metadata]\ncategory = "test"\n\n'
        f"[agent]\ntimeout_sec = {agent_timeout}\n\n[verifier]\ntimeout_sec = {verifier_timeout}\n"
    )
    (d / "instruction.md").write_text(instruction + "\n")
    for rel, body in (env or {"README.md": "start\n"}).items():
        p = d / "environment" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(body)
    (d / "tests" / "test.sh").write_text(textwrap.dedent(test_sh).lstrip())
    for rel, body in (tests or {}).items():
        (d / "tests" / rel).write_text(body)
    if solve_sh is not None:
        (d / "solution").mkdir()
        (d / "solution" / "solve.sh").write_text(textwrap.dedent(solve_sh).lstrip())
    return d


def file_task(root: Path, name: str, path: str, value: str, style: str = "exit") -> Path:
    """A task solved by writing VALUE into PATH; the verifier reports in the given style."""
    check = f'[ "$(cat {path} 2>/dev/null)" = "{value}" ]'
    test_sh = {
        "exit": f"#!/bin/bash\n{check}\n",
        "reward-env": f'#!/bin/bash\nif {check}; then echo 1 > "$REWARD_FILE"; else echo 0 > "$REWARD_FILE"; fi\n',
        "reward-path": f"#!/bin/bash\nif {check}; then echo 1.0 > /logs/verifier/reward.txt; "
        "else echo 0 > /logs/verifier/reward.txt; fi\nexit 0\n",
        "reward-json": "#!/bin/bash\nif "
        + check
        + "; then echo '{\"reward\": 1}' > /logs/verifier/reward.json;"
        " else echo '{\"reward\": 0}' > /logs/verifier/reward.json; fi\n",
    }[style]
    directory = os.path.dirname(path)
    mk = f"mkdir -p {directory}\n" if directory else ""
    solve = f"#!/bin/bash\nset -e\n{mk}cat > {path} <<'EOF'\n{value}\nEOF\n"
    return write_task(
        root,
        name,
        instruction=f"Write `{value}` into `{path}`.",
        test_sh=test_sh,
        solve_sh=solve,
    )


def gonogo(
    *args: str, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gonogo", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def bench_json(*args: str) -> dict[str, Any]:
    res = gonogo("bench", *args, "--json")
    assert res.returncode == 0, res.stderr[-3000:]
    doc: dict[str, Any] = json.loads(res.stdout)
    return doc
