"""Scratch workspaces for the by-effect pass tests: files, symbolic links, one first commit."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

# A git that reads no system or user configuration and needs no identity of the machine's.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "a",
    "GIT_AUTHOR_EMAIL": "a@example.invalid",
    "GIT_COMMITTER_NAME": "a",
    "GIT_COMMITTER_EMAIL": "a@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def scratch_repo(
    root: Path,
    files: Mapping[str, str],
    links: Mapping[str, str] = {},  # noqa: B006 - read only
    *,
    dirs: Sequence[str] = (),
    tracked: Sequence[str] = ("README.md", "src"),
    branch: str | None = None,
) -> Path:
    """``root`` made a git work tree: ``files`` (path → text), ``dirs`` (empty directories),
    ``links`` (path → target, as written), ``tracked`` added and committed; HOME is its parent."""
    root.mkdir(parents=True)
    for rel in dirs:
        (root / rel).mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    for rel, target in links.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / rel)
    env = {**os.environ, **GIT_ENV, "HOME": str(root.parent)}
    init = ["init", "-q", *(("-b", branch) if branch else ())]
    for argv in (init, ["add", *tracked], ["commit", "-qm", "init"]):
        subprocess.run(["git", *argv], cwd=root, env=env, check=True, capture_output=True)
    return root


def workflow(*runs: str) -> str:
    """A GitHub Actions workflow of one job whose steps run ``runs`` (each a JSON string)."""
    steps = "".join(f"      - run: {json.dumps(r)}\n" for r in runs)
    return f"on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n{steps}"
