"""Sixteenth red-team pass (command policy, 2026-12-04), issue 10: what it found and closed.

Each class was shown by effect in a scratch directory (docs/policy.md, "Sixteenth pass"):

* (a) class 4: patch's options were read by hand. `patch -ti evil.diff -p1` (a cluster whose
  last letter takes the next word), `--inp evil.diff` (an abbreviation of `--input`),
  `-d.git` (an attached directory) and `--strip 1` (a separate value) made the policy read
  the patch file as the file to patch, or the wrong directory, so the files the diff names
  were never checked: with GNU patch 2.7.6 `patch -ti evil.diff -p1` wrote
  `.git/hooks/pre-commit` (a git diff's `new file mode 100755` makes it executable) and the
  next `git commit` ran it, while `patch -p1 -i evil.diff` was denied. patch is now read with
  its whole option table by the shared parser; options that run programs or follow links
  (`-g/--get`, `-e/--ed`, `--follow-symlinks`, `-x/--debug`) are left out: undecidable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy, load_policy
from tests.policy.conftest import POLICY_DIR

EVIL_DIFF = """\
diff --git a/.git/hooks/pre-commit b/.git/hooks/pre-commit
new file mode 100755
--- /dev/null
+++ b/.git/hooks/pre-commit
@@ -0,0 +1,2 @@
+#!/bin/sh
+touch pwned
"""
# the same hook, named below the directory patch changes into (`-d .git`)
EVIL_IN_GIT = EVIL_DIFF.replace(".git/hooks", "hooks")
FIX_DIFF = """\
--- a/src/app.py
+++ b/src/app.py
@@ -1 +1 @@
-print(1)
+print(2)
"""


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(POLICY_DIR / "default.yaml")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt16") / "ws"
    (root / ".git/hooks").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "src/app.py").write_text("print(1)\n")
    (root / "README.md").write_text("x\n")
    (root / "evil.diff").write_text(EVIL_DIFF)
    (root / "evil2.diff").write_text(EVIL_IN_GIT)
    (root / "fix.diff").write_text(FIX_DIFF)
    return root


def _decide(policy: Policy, ws: Path, command: str, role: str = "contributor") -> Verdict:
    req = ToolRequest(tenant="acme", actor="a", role=role, tool="exec", command=command)
    return policy.decide(req, ws).decision


# ---- (a) class 4: patch read as GNU patch reads its arguments ------------------------------
PATCH_SPELLINGS = [
    "patch -ti evil.diff -p1",
    "patch -fi evil.diff -p1",
    "patch -si evil.diff -p1",
    "patch -Nti evil.diff -p1",
    "patch -tievil.diff -p1",
    "patch -uti evil.diff -p1",
    "patch --inp evil.diff -p1",
    "patch --in evil.diff -p1",
    "patch --input evil.diff -p1",
    "patch --inpu=evil.diff -p1",
    "patch --strip 1 -i evil.diff",
    "patch --str 1 -i evil.diff",
    "patch --str=1 -i evil.diff",
    "patch -p 1 -i evil.diff",
    "patch -tp1 -i evil.diff",
    "patch -i evil.diff -p1 -t",
    "patch --bat -i evil.diff -p1",
    "patch --force --input=evil.diff --strip=1",
    "patch -ti evil.diff -p1 --verb",
    "patch -p1 < evil.diff",
    "patch -p1 -d.git -i evil2.diff",
    "patch -p1 -d .git -i evil2.diff",
    "patch -p1 --dir .git -i evil2.diff",
    "patch -p1 --direc=.git -i evil2.diff",
    "patch -p1 -td.git -i evil2.diff",
    "patch -p1 -td .git -i evil2.diff",
    "patch -p1 -d.git < evil2.diff",
]
PATCH_UNDECIDABLE = [
    "patch -g1 -p1 -i fix.diff",
    "patch --get=1 -p1 -i fix.diff",
    "patch --ge 1 -p1 -i fix.diff",
    "patch -e -i fix.diff",
    "patch --ed -i fix.diff",
    "patch -tep1 -i fix.diff",
    "patch --follow-symlinks -p1 -i fix.diff",
    "patch --foll -p1 -i fix.diff",
    "patch -x 1 -p1 -i fix.diff",
    "patch --debug=1 -p1 -i fix.diff",
    "patch --frobnicate -p1 -i fix.diff",
    "patch --d -p1 -i fix.diff",  # ambiguous: --directory, --dry-run
    "patch -p1 -b -z .md -i fix.diff",
    "patch -p1 -bz.md -i fix.diff",
    "patch -p1 --suf=.md -b -i fix.diff",
    "patch -p1 -i fix.diff -o .git/hooks/pre-commit",
    "patch -p1 -i fix.diff -to.git/hooks/pre-commit",
    "patch -p1 -i fix.diff --out=.git/hooks/pre-commit",
    "patch -p1 -i fix.diff -r .git/hooks/pre-commit",
    "patch -p1 -i fix.diff -tr.git/hooks/pre-commit",
    "patch -p1 -i fix.diff --rej .git/hooks/pre-commit",
    "patch -p1 -i fix.diff -bB.git/hooks/",
]
PATCH_EVERYDAY = [
    "patch -p1 -i fix.diff",
    "patch -p1 < fix.diff",
    "patch -Np1 < fix.diff",
    "patch -s -p1 -i fix.diff",
    "patch -tp1 -i fix.diff",
    "patch --inp fix.diff -p1",
    "patch -p1 --dir=. -i fix.diff",
    "patch --strip=1 --input=fix.diff",
    "patch --strip 1 --forward < fix.diff",
    "patch -R -p1 -i fix.diff",
    "patch -b -p1 -i fix.diff",
    "patch -p1 --no-backup-if-mismatch -i fix.diff",
    "patch -p1 --merge -i fix.diff",
    "patch --dry-run -p1 -i fix.diff",
    "patch --dry-run -p1 -i evil.diff",  # a dry run writes nothing
    "patch -p1 -i fix.diff -o out.py",
    "patch --version",
    "patch --help",
]


@pytest.mark.parametrize("command", PATCH_SPELLINGS)
def test_every_spelling_of_a_patch_is_read_as_patch_reads_it(
    policy: Policy, ws: Path, command: str
) -> None:
    assert _decide(policy, ws, command) is not Verdict.ALLOW
    assert _decide(policy, ws, command, role="admin") is not Verdict.ALLOW


@pytest.mark.parametrize("command", PATCH_UNDECIDABLE)
def test_patch_options_that_run_programs_or_write_elsewhere_are_not_allowed(
    policy: Policy, ws: Path, command: str
) -> None:
    assert _decide(policy, ws, command) is not Verdict.ALLOW


@pytest.mark.parametrize("command", PATCH_EVERYDAY)
def test_everyday_patches_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    assert _decide(policy, ws, command) is Verdict.ALLOW


def test_patch_is_never_run_by_the_viewer(policy: Policy, ws: Path) -> None:
    assert _decide(policy, ws, "patch -p1 -i fix.diff", role="viewer") is not Verdict.ALLOW


@pytest.mark.skipif(shutil.which("patch") is None, reason="GNU patch is not installed")
@pytest.mark.parametrize(
    "command",
    ["patch -ti evil.diff -p1", "patch --inp evil.diff -p1", "patch --str 1 -i evil.diff"],
)
def test_by_effect_the_spelling_writes_the_hook(
    policy: Policy, tmp_path: Path, command: str
) -> None:
    """The real patch writes an executable .git/hooks/pre-commit for the spelling the policy
    used to allow; the policy now refuses it like the plain spelling (the control)."""
    ws = tmp_path / "ws"
    (ws / ".git/hooks").mkdir(parents=True)
    (ws / "evil.diff").write_text(EVIL_DIFF)
    assert _decide(policy, ws, "patch -p1 -i evil.diff") is not Verdict.ALLOW  # control
    assert _decide(policy, ws, command) is not Verdict.ALLOW
    subprocess.run(
        ["bash", "-c", command], cwd=ws, check=True, capture_output=True, stdin=subprocess.DEVNULL
    )
    hook = ws / ".git/hooks/pre-commit"
    assert hook.is_file() and os.access(hook, os.X_OK)
