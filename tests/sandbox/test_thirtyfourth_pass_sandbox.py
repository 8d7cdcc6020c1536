"""Thirty-fourth red-team pass, by effect in real bubblewrap (``gonogo agent exec``).

On the tree before this pass, the sandboxed `python3 w.py` below appended a line to every
file here (exit 0), and the runner then ran it: `make check` ran the injected recipe and
`./ci/check.sh`, `npm test` ran `scripts/test.js` (node 18, on the machine the pass was
written on), `cd tools && ./build.sh` ran as a workflow's `defaults: run: working-directory:`
runs it, and `bash ./ci/wrap.sh step.sh` ran as a custom `shell:` runs it. Now each is bound
read-only, and `make check` afterwards leaves no marker, while the control script (no
configuration runs it) still changes and runs its payload. One module-scoped run: a single
``agent exec`` for every case.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.sandbox.conftest import agent_exec

pytestmark = pytest.mark.sandbox

WORKFLOW = """on: push
jobs:
  b:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: tools
    steps:
      - run: npm test
        working-directory: .
      - run: make check
        working-directory: .
      - run: ./build.sh
      - run: echo hi
        shell: bash ./ci/wrap.sh {0}
        working-directory: .
      - run: tox -e lint
        working-directory: .
"""
FILES = {
    ".github/workflows/ci.yml": WORKFLOW,
    "package.json": '{"name": "x", "scripts": {"test": "sh scripts/test.sh"}}\n',
    "Makefile": "check:\n\t./ci/check.sh\n",
    "tox.ini": "[testenv:lint]\ncommands =\n    bash ci/tox.sh\n",
    ".circleci/config.yml": "version: 2.1\njobs:\n  b:\n    steps:\n      - run: ./ci/circle.sh\n",
    ".travis.yml": "script:\n  - ./ci/travis.sh\n",
    ".buildkite/pipeline.yml": "steps:\n  - command: bash ci/bk.sh\n",
    ".buildkite/hooks/pre-command": "./ci/bkhook.sh\n",
    ".drone.yml": "kind: pipeline\nsteps:\n- name: t\n  commands:\n  - sh ci/drone.sh\n",
    "bitbucket-pipelines.yml": "pipelines:\n  default:\n    - step:\n        script: [./ci/bb.sh]\n",
    ".woodpecker/ci.yaml": "steps:\n  - name: t\n    commands: [sh ci/wp.sh]\n",
    ".cirrus.yml": "task:\n  test_script: ./ci/cirrus.sh\n",
}
NAMED = (
    "package.json", "Makefile", "tox.ini", "scripts/test.sh", "ci/check.sh", "tools/build.sh",
    "ci/wrap.sh", "ci/tox.sh", "ci/circle.sh", "ci/travis.sh", "ci/bk.sh", "ci/bkhook.sh",
    "ci/drone.sh", "ci/bb.sh", "ci/wp.sh", "ci/cirrus.sh",
)  # fmt: skip
CONTROL = "ci/other.sh"


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    tmp = tmp_path_factory.mktemp("rt34-sandbox")
    host = tmp / "host"
    host.mkdir(mode=0o700)
    ws, home = host / "ws", tmp / "home"
    marker = tmp / "MARK"
    for rel in (*NAMED[3:], CONTROL):
        FILES[rel] = "#!/bin/sh\necho original\n"
    for rel, text in FILES.items():
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text(text)
        (ws / rel).chmod(0o755)
    (ws / "w.py").write_text(
        f"import sys\nfor name in {(*NAMED, CONTROL)!r}:\n"
        "    try:\n"
        "        with open(name, 'a') as fh:\n"
        "            fh.write(sys.argv[1])\n"
        "    except OSError as exc:\n"
        "        print(name, exc)\n"
    )
    payload = f"\n\ttouch {marker}\n"  # (a tab: in a Makefile, the recipe's next line)
    r = agent_exec(ws, home, "python3", "w.py", payload)
    out = json.loads(r.stderr.splitlines()[-1])  # --json: the result on stderr
    return ws, {"out": out, "marker": marker, "payload": payload}


def test_every_file_a_runner_reads_stays_unchanged(
    attacked: tuple[Path, dict[str, object]],
) -> None:
    ws, info = attacked
    out = info["out"]
    assert isinstance(out, dict)
    assert (out["decision"], out["sandbox_layer"]) == ("allow", "bwrap+seccomp"), out
    for rel in NAMED:
        text = (ws / rel).read_text()
        assert "touch" not in text, rel  # the tree before: every one ended in the payload
    assert (ws / CONTROL).read_text().endswith(str(info["payload"]))  # the control


def test_the_runner_runs_nothing_injected(attacked: tuple[Path, dict[str, object]]) -> None:
    """`make check` (real GNU make, as the workflow runs it) runs the reviewed recipe only;
    the control, run the same way, shows the payload would have run."""
    ws, info = attacked
    marker = info["marker"]
    assert isinstance(marker, Path)
    r = subprocess.run(["make", "check"], cwd=ws, capture_output=True, timeout=30)
    assert r.returncode == 0 and b"original" in r.stdout, r.stderr
    assert not marker.exists()
    subprocess.run(["sh", CONTROL], cwd=ws, capture_output=True, timeout=30, check=True)
    assert marker.exists()


def test_a_shell_write_to_a_named_task_file_is_refused(
    attacked: tuple[Path, dict[str, object]],
) -> None:
    ws, _ = attacked
    home = ws.parent.parent / "home"
    r = agent_exec(ws, home, "bash", "-c", "printf '\\t./evil.sh\\n' >> Makefile")
    assert r.returncode == 126, r.stdout
    assert b"exec.protected-path" in r.stdout + r.stderr
    assert "evil" not in (ws / "Makefile").read_text()
