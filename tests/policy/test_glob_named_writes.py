"""A glob after a command that writes files in the same line (issue 10, classes 4 and 8).

The nineteenth red-team pass made such a glob undecidable, because the earlier command may
create a file named like an option (`touch -- -r && grep -h hunter *` reads the tree
recursively). That also refused `touch a.txt && wc -l *.txt`: the check did not use the
names a writer is given. Now a writer that makes only the paths it is given (a redirection,
`touch`, `mkdir`, `tee`) counts only when a path is not a plain name or is a symbolic link.

The link case is a bypass the change found, shown by effect below: with a dangling link
`a.txt -> -r` in the workspace, `echo x > a.txt && grep -h hunter *` creates `-r` through the
link, and grep reads the tree recursively and prints cfg/.env. It was allowed before (a
redirection to a plain name was assumed to make that name).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from tests.policy.verdicts import exec_verdict


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


def _workspace(root: Path) -> Path:
    (root / "cfg").mkdir(parents=True)
    (root / "cfg/.env").write_text("DB_PASSWORD=hunter2\n")
    (root / "src").mkdir()
    (root / "src/a.txt").write_text("a\n")
    (root / "notes.txt").write_text("n\n")
    (root / "b.txt").write_text("b\n")
    return root


@pytest.fixture()
def ws(tmp_path: Path) -> Path:
    return _workspace(tmp_path / "ws")


@pytest.fixture()
def linked_ws(tmp_path: Path) -> Path:
    """A workspace holding dangling links to option-shaped names (made by an earlier call)."""
    root = _workspace(tmp_path / "linked")
    os.symlink("-r", root / "a.txt")
    os.symlink("-R", root / "out.log")
    os.mkdir(root / "d")
    os.symlink("../-r", root / "d/up")
    return root


PLAIN_WRITES_THEN_GLOB = [
    "touch a.txt && wc -l *.txt",
    "touch new.txt && grep -n a *",
    "touch x y z && ls *",
    "touch -c notes.txt && cat *.txt",
    "touch -- plain.txt && wc -l *",
    "mkdir -p out && ls *",
    "mkdir -p out/deep/er && ls -d *",
    "mkdir build; wc -l *.txt",
    "mkdir -m 755 dist && ls *",
    "echo x | tee notes2.txt && cat *.txt",
    "echo x | tee -a log.txt > /dev/null; wc -l *.txt",
    "echo x > new.txt && wc -l *.txt",
    "echo x >> notes.txt; grep -n x *.txt",
    ": > empty.txt && ls *",
    "printf 'a\\n' > src/b.txt && wc -l *",
    "echo x > ./b.txt; grep -h n *",
    "touch src/c.txt && cat src/* *.txt",
    "mkdir -p out && echo done > out/status && ls *",
    "touch a.txt b.txt && grep -c a *.txt",
    "echo x > out.txt & wc -l *.txt",
    "for f in a b; do grep -h hunter *; touch $f.txt; done",
]


@pytest.mark.parametrize("command", PLAIN_WRITES_THEN_GLOB)
def test_a_glob_after_writes_of_plain_names_stays_allowed(
    policy: Policy, ws: Path, command: str
) -> None:
    assert exec_verdict(policy, ws, command)[0] == Verdict.ALLOW, command


ODD_WRITES_THEN_GLOB = [
    "touch -- -r && grep -h hunter *",
    "touch ./-r; grep -h hunter *",
    "touch -- {-r,a} && grep -h hunter *",
    "touch -- $'\\x2dr' && grep -h hunter *",
    "mkdir -m 700 -- -r && grep -h hunter *",
    "mkdir -p ./-r/x && grep -h hunter *",
    "echo x | tee -- -r && grep -h hunter *",
    "echo x | tee -a ./-r; grep -h hunter *",
    "echo x > -r; grep -h hunter *",
    'echo x > "-r"; grep -h hunter *',
    "cd src && touch -- ../-r && cd .. && grep -h hunter *",
    "for f in r R; do grep -h hunter *; touch -- -$f; done",
    "for f in -r -R; do touch -- $f; done; grep -h hunter *",
    "touch $X && grep -h hunter *",
    "touch -- ./*.txt-r && grep -h hunter *",
    "cp notes.txt ./copy && grep -h hunter *",
    "install -m 644 notes.txt ./-r && grep -h hunter *",
    "ln -s -- -r c.txt && echo x > c.txt && grep -h hunter *",
    "python3 mk.py && grep -h hunter *",
    "make && wc -l *",
]


@pytest.mark.parametrize("command", ODD_WRITES_THEN_GLOB)
def test_a_glob_after_a_write_that_may_make_an_option_name_is_undecidable(
    policy: Policy, ws: Path, command: str
) -> None:
    assert exec_verdict(policy, ws, command)[0] != Verdict.ALLOW, command


THROUGH_LINKS = [
    "echo x > a.txt && grep -h hunter *",
    "echo x >> a.txt; grep -h hunter *",
    ": > a.txt; grep -h hunter *",
    "exec 3>a.txt; grep -h hunter *",
    "touch a.txt && grep -h hunter *",
    "echo x | tee a.txt && grep -h hunter *",
    "echo x | tee -a a.txt; grep -h hunter *",
    "touch b.txt a.txt && grep -h hunter *",
    "echo x > ./a.txt && grep -h hunter *",
    "echo x > out.log && wc -l *",
    "touch out.log; ls *",
    "echo x > a.txt & grep -h hunter *",
    "for i in 1 2; do grep -h hunter *; echo x > a.txt; done",
    "cd d && echo x > up && cd .. && grep -h hunter *",
    "echo x > d/up && grep -h hunter *",
    "echo x 2> a.txt; grep -h hunter *",
    "echo x &> a.txt; grep -h hunter *",
    "echo x >| a.txt; grep -h hunter *",
    "date > a.txt; cat *",
    "touch -- a.txt; grep -h hunter *",
]


@pytest.mark.parametrize("role", ["contributor", "maintainer"])
@pytest.mark.parametrize("command", THROUGH_LINKS)
def test_a_write_through_a_link_to_an_option_name_is_undecidable(
    policy: Policy, linked_ws: Path, command: str, role: str
) -> None:
    assert exec_verdict(policy, linked_ws, command, role)[0] != Verdict.ALLOW, command


def test_the_link_bypass_prints_the_secret_by_effect(policy: Policy, linked_ws: Path) -> None:
    """Control: what the command does when run; then: the policy does not allow it."""
    command = "echo x > a.txt && grep -h hunter *"
    assert exec_verdict(policy, linked_ws, "grep -rh hunter cfg")[0] == Verdict.DENY
    assert exec_verdict(policy, linked_ws, "grep -h hunter *")[0] == Verdict.ALLOW  # no -r yet
    verdict = exec_verdict(policy, linked_ws, command)[0]
    out = subprocess.run(["bash", "-c", command], cwd=linked_ws, capture_output=True, text=True)
    assert (linked_ws / "-r").is_file()  # made through the link
    assert "DB_PASSWORD=hunter2" in out.stdout  # read recursively
    assert verdict != Verdict.ALLOW


def test_touch_then_glob_is_harmless_by_effect(policy: Policy, ws: Path) -> None:
    """The false denial fixed: it runs, and reads only the files it names."""
    command = "touch a.txt && wc -l *.txt"
    assert exec_verdict(policy, ws, command)[0] == Verdict.ALLOW
    out = subprocess.run(["bash", "-c", command], cwd=ws, capture_output=True, text=True)
    assert out.returncode == 0 and "hunter" not in out.stdout
    assert sorted(p.name for p in ws.iterdir() if p.name.startswith("-")) == []
