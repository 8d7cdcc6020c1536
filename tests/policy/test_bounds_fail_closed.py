"""Stop 47, lead (issue 10, class 11): what the CI reader leaves unread at a bound is
protected, never left out.

``repo_runs._run_by_path`` reads at most 32 configuration files; before this stop it also
queued only the first 16 packages a workspace glob matches (`packages/*`), stopped queueing
tracked configurations at 24, scanned 64 files past the bound and kept 256 paths. A
monorepo's 17th package (in sorted order: ``p5`` of ``p0``…``p39``) ran ``bash ./run.sh``
from CI's ``pnpm -r test`` with that script writable. Now every package is queued (1,024),
the ones past the bound are scanned by bytes (2 MB in all) with the task files and scripts
they name scanned in turn, a file past that has its folder protected whole, and paths past
the kept ones are kept as their folders (:func:`repo_runs._kept`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent.policy import Policy
from enforcement_agent.policy.paths import Workspace
from enforcement_agent.policy.repo_runs import (
    GLOB_MARK,
    _kept,
    repo_protected,
    under_repo_protected,
)
from tests.policy.scratch_repo import scratch_repo
from tests.policy.verdicts import assert_append

PACKAGES = 40
WORKFLOW = "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: {run}\n"
# how a package's `test` script runs its file, and that file
RUNS = {
    "bash": ("bash ./run.sh", "run.sh"),
    "sh-folder": ("sh scripts/check.sh", "scripts/check.sh"),
    "node": ("node tools/t.js && eslint .", "tools/t.js"),
    "python": ("python3 ci/gate.py --strict", "ci/gate.py"),
}
# how CI runs every package's script, and how the packages are declared
CI_RUNS = {
    "pnpm-r": ("pnpm -r test", "pnpm"),
    "npm-workspaces": ("npm test --workspaces", "npm"),
    "yarn-workspaces": ("yarn workspaces run test", "npm"),
}


def _monorepo(root: Path, ci: str, declared: str) -> Path:
    """40 packages; package ``p{i}``'s `test` script runs its file the ``i % 4``-th way."""
    files = {
        "README.md": "r\n",
        ".github/workflows/ci.yml": WORKFLOW.format(run=ci),
        "package.json": json.dumps(
            {"name": "m", "private": True, "workspaces": ["packages/*"], "scripts": {}}
        ),
    }
    if declared == "pnpm":
        files["pnpm-workspace.yaml"] = "packages:\n  - 'packages/*'\n"
    for i in range(PACKAGES):
        command, script = RUNS[sorted(RUNS)[i % len(RUNS)]]
        files[f"packages/p{i}/package.json"] = json.dumps(
            {"name": f"p{i}", "scripts": {"test": command}}
        )
        files[f"packages/p{i}/{script}"] = "echo ok\n"
        files[f"packages/p{i}/src/index.js"] = "export {}\n"
    return scratch_repo(root, files, tracked=("README.md",))


@pytest.mark.parametrize("ci", sorted(CI_RUNS))
def test_every_package_of_a_monorepo_is_read(
    default_policy: Policy, tmp_path: Path, ci: str
) -> None:
    """40 packages: the scripts of every one (the 17th and later in sorted order among them:
    p5…p9, p20…p39) are protected, whichever way its script runs them; a package's own
    source stays writable."""
    ws = _monorepo(tmp_path / "ws", *CI_RUNS[ci])
    for i in range(PACKAGES):
        script = RUNS[sorted(RUNS)[i % len(RUNS)]][1]
        assert_append(default_policy, ws, f"packages/p{i}/{script}", True, (ci, i))
    assert_append(default_policy, ws, "packages/p5/src/index.js", False, ci)
    assert_append(default_policy, ws, "packages/p38/src/index.js", False, ci)


def test_a_chain_of_task_files_is_followed_past_the_bound(tmp_path: Path) -> None:
    """70 Makefiles, each running the next with `$(MAKE) -C ../dN`: 32 are read, the rest
    scanned one after another, so the last one's script is protected."""
    files = {
        "README.md": "r\n",
        ".github/workflows/ci.yml": WORKFLOW.format(run="make -C d0"),
    }
    for i in range(70):
        files[f"d{i}/Makefile"] = f"all:\n\t$(MAKE) -C ../d{i + 1}\n\tbash ./s{i}.sh\n"
    ws = scratch_repo(tmp_path / "ws", files, tracked=("README.md",))
    protected = repo_protected(Workspace(str(ws)))
    for i in (0, 31, 32, 50, 69):
        assert under_repo_protected(f"d{i}/s{i}.sh", protected), i
        assert under_repo_protected(f"d{i}/makefile", protected), i
    assert not under_repo_protected("d69/notes.txt", protected)


def test_a_file_longer_than_its_scan_protects_its_folder(tmp_path: Path) -> None:
    """A package past the bound whose package.json is longer than the 64 KB scanned: what
    it runs is not known, so its folder is protected whole (fail closed)."""
    files = {
        "README.md": "r\n",
        ".github/workflows/ci.yml": WORKFLOW.format(run="pnpm -r test"),
        "pnpm-workspace.yaml": "packages:\n  - 'packages/*'\n",
        "package.json": json.dumps({"name": "m", "private": True}),
    }
    for i in range(40):
        files[f"packages/p{i:02}/package.json"] = json.dumps(
            {"name": f"p{i}", "description": "x" * (70_000 if i == 39 else 0),
             "scripts": {"test": "bash ./run.sh"}}
        )  # fmt: skip
    ws = scratch_repo(tmp_path / "ws", files, tracked=("README.md",))
    protected = repo_protected(Workspace(str(ws)))
    assert under_repo_protected("packages/p39/anything.js", protected)
    assert under_repo_protected("packages/p38/run.sh", protected)
    assert not under_repo_protected("packages/p38/src/index.js", protected)


_PART = st.text(alphabet="abc.-_", min_size=1, max_size=3).filter(lambda p: p.strip("."))
_PATH = st.lists(_PART, min_size=1, max_size=4).map("/".join)


@settings(max_examples=40, deadline=None)
@given(
    paths=st.lists(_PATH, min_size=1, max_size=300, unique=True),
    kept=st.integers(1, 64),
    folders=st.integers(1, 16),
)
def test_kept_covers_every_path(paths: list[str], kept: int, folders: int) -> None:
    """Whatever the bounds, every path found is protected by what is kept, and what is kept
    stays within them (the paths, then the folders, or one entry for every path)."""
    out = tuple(_kept([*paths, GLOB_MARK + "ci/*/x.sh"], kept, folders))
    for path in paths:
        assert under_repo_protected(path, out), (path, out)
    assert under_repo_protected("ci/q/x.sh", out)
    assert len(out) <= kept + max(folders, 1)
