"""A variable, an expression or a substitution in a path that CI runs reads as "any folder".

Two regexes once did this with different coverage: a task file's folder (GitHub's
`${{ inputs.dir }}/build.sh`) and a GitLab include's pattern (`ci/$[[ inputs.x ]].yml`).
GitLab's `$[[ … ]]` inputs and a lone `$` left a script's folder unknown, so the script was
not protected at all; `${{ … }}` left a stray brace in an include pattern. One expression now
reads them all as ``*`` (fail closed: the script's name in every folder).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from tests.policy.scratch_repo import scratch_repo
from tests.policy.verdicts import exec_verdict

# (the CI configuration's name, its text: each runs tools/build.sh through a variable folder)
SHAPES = {
    "gitlab_inputs": (".gitlab-ci.yml", "t:\n  script:\n    - $[[ inputs.dir ]]/build.sh\n"),
    "gitlab_inputs_in_folder": (
        ".gitlab-ci.yml",
        "t:\n  script:\n    - ./$[[ inputs.dir | expand_vars ]]/build.sh\n",
    ),
    "github_expression": (
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: ${{ inputs.dir }}/build.sh\n",
    ),
    "shell_variable": (".gitlab-ci.yml", "t:\n  script:\n    - $TOOLS/build.sh\n"),
    "braced_variable": (".gitlab-ci.yml", "t:\n  script:\n    - ${TOOLS}/build.sh\n"),
    "substitution": (".gitlab-ci.yml", "t:\n  script:\n    - $(dirname $0)/build.sh\n"),
    "nested_substitution": (
        ".gitlab-ci.yml",
        "t:\n  script:\n    - $(dirname $(pwd))/build.sh\n",
    ),
}


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("pathvars")
    out = {}
    for name, (config, text) in SHAPES.items():
        files = {"README.md": "r\n", "tools/build.sh": "#!/bin/sh\n", config: text}
        out[name] = scratch_repo(root / name, files, tracked=tuple(files))
    control = {
        "README.md": "r\n",
        "tools/build.sh": "#!/bin/sh\n",
        ".gitlab-ci.yml": "t:\n  script:\n    - make\n",
    }
    out["control"] = scratch_repo(root / "control", control, tracked=tuple(control))
    other = {
        **control,
        ".gitlab-ci.yml": "t:\n  script:\n    - $[[ inputs.dir ]]/other.sh\n",
    }
    out["other_name"] = scratch_repo(root / "other", other, tracked=tuple(other))
    return out


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_script_run_through_a_variable_folder_is_protected(
    policy: Policy, workspaces: dict[str, Path], shape: str
) -> None:
    verdict, rule = exec_verdict(policy, workspaces[shape], "echo x >> tools/build.sh")
    assert (verdict, rule) == (Verdict.DENY, "exec.protected-path"), (shape, verdict, rule)


@pytest.mark.parametrize("ws", ["control", "other_name"])
def test_the_script_nothing_runs_stays_an_ordinary_file(
    policy: Policy, workspaces: dict[str, Path], ws: str
) -> None:
    """No run of it at all, or a run of another name through a variable folder."""
    verdict, rule = exec_verdict(policy, workspaces[ws], "echo x >> tools/build.sh")
    assert verdict is Verdict.ALLOW, rule
