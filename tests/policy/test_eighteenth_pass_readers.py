"""Eighteenth red-team pass (command policy, 2026-12-04), issue 10 class 4: the follow-links
letter checks and `_removed_sources`, checked against the programs installed here.

* zip 3.0: `follows_links` took any `y` in a short word as `-y` (store links as links), and
  `_removed_sources` any `m` as `-m` (move). zip's `-x`/`-i` take a pattern attached to the
  letter, so `zip -r o.zip dir -x*.pyc` was read as "does not follow links" and the walk for
  links out of the workspace was skipped. Shown by effect: zip stored the content of the file
  a link in dir points to (outside the workspace), allowed, while `zip -r o.zip dir` was
  denied. zip is now read with its option table by the shared parser.
* cp (coreutils 9): the tree-read check saw recursion only as `r`/`R`/`a` in a cluster or
  `--recursive`, so `cp --archive -L dir d` and `cp --arc --deref dir d` copied the files
  links in dir point to (out of the workspace), allowed, where `cp -a -L dir d` was denied.
* diff (diffutils 3): recursion was seen only as an `r` letter or `--recursive`, so `diff
  --recurs -N . src` printed .env; and two directories are compared file by file without -r
  too (`diff -N . src` printed .env), which was not a tree read at all.
* optional-value long options (`_OPTION_FILES`): `--color` (grep), `--time` (du), `--color`/
  `--context`/`--unified` (diff), `--max-lines`/`--replace`/`--eof` (xargs) take a value only
  as `--opt=VALUE`, but the reader took the next word as theirs, so `xargs --max-lines -a.env
  echo` printed .env and `grep --color -f.env F` read the secret's lines as patterns.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from tests.policy.verdicts import exec_verdict


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("rt18")
    (base / "out").mkdir()
    (base / "out/s.txt").write_text("OUTSIDE\n")
    root = base / "ws"
    (root / "dir").mkdir(parents=True)
    (root / "dir/a.txt").write_text("hi\n")
    (root / "dir/lk").symlink_to(base / "out/s.txt")
    (root / "plain").mkdir()
    (root / "plain/b.txt").write_text("b\n")
    (root / "CLAUDE.md").write_text("x\n")
    return root


# ---- zip: the letters of a pattern are not -y ----------------------------------------------
ZIP_FOLLOWS = [
    "zip -qr c.zip dir -x*.pyc",
    "zip -r c.zip dir -x*.pyc",
    "zip -qr -x*.yml c.zip dir",
    "zip -r c.zip dir -i*.py",
    "zip -r c.zip dir -xy",
    "zip -r c.zip dir -iy",
    "zip -r c.zip dir -x*.yaml",
    "zip -r c.zip dir -x.y",
    "zip -r c.zip dir -xdir/y",
    "zip -r c.zip dir -i*.pyi",
    "zip -r c.zip dir -x*.pyc -x*.pyo",
    "zip -qr c.zip dir -i*y*",
    "zip -r -x*.pyc c.zip dir",
    "zip -rq -x*.pyc c.zip dir",
    "zip -r9 c.zip dir -x*.pyc",
    "zip -r c.zip dir -xsymlinks",
    "zip -r c.zip dir -x--symlinks",
    "zip -r c.zip dir -x -y",
    "zip -r c.zip dir --exclude=*.py",
    "zip -r c.zip dir --exclude=y",
    "zip -r c.zip dir -- -y",
    "zip -r c.zip dir -x y -- -y",
    "zip -rv c.zip dir -x*.pyc",
]


@pytest.mark.parametrize("command", ZIP_FOLLOWS)
def test_zip_that_follows_links_meets_the_link_out(policy: Policy, ws: Path, command: str) -> None:
    assert exec_verdict(policy, ws, command)[0] != Verdict.ALLOW, command


ZIP_EVERYDAY = [
    "zip -qry c.zip dir",
    "zip -ry c.zip dir",
    "zip -r -y c.zip dir",
    "zip -r --symlinks c.zip dir",
    "zip -qr -y c.zip dir -x*.pyc",
    "zip -r c.zip plain",
    "zip -r c.zip plain -x*.pyc",
    "zip -q c.zip dir/a.txt",
    "zip c.zip dir/a.txt plain/b.txt",
    "zip -r c.zip plain -x*.mp4",
    "zip -r c.zip CLAUDE.md -x*.mp4",
    "zip -j c.zip plain/b.txt",
]


@pytest.mark.parametrize("command", ZIP_EVERYDAY)
def test_everyday_zip_lines_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    assert exec_verdict(policy, ws, command)[0] == Verdict.ALLOW, command


ZIP_MOVES = [
    "zip -m c.zip CLAUDE.md",
    "zip -rm c.zip CLAUDE.md",
    "zip --move c.zip CLAUDE.md",
    "zip -qm c.zip CLAUDE.md",
    "zip -m -x*.pyc c.zip CLAUDE.md",
]


@pytest.mark.parametrize("command", ZIP_MOVES)
def test_zip_move_of_a_protected_file_is_still_refused(
    policy: Policy, ws: Path, command: str
) -> None:
    assert exec_verdict(policy, ws, command)[0] != Verdict.ALLOW, command


@pytest.mark.skipif(shutil.which("zip") is None, reason="zip is not installed")
def test_zip_exclusion_pattern_stores_what_the_link_points_to_by_effect(
    policy: Policy, tmp_path: Path
) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out/s.txt").write_text("OUTSIDE\n")
    root = tmp_path / "ws"
    (root / "dir").mkdir(parents=True)
    (root / "dir/lk").symlink_to(tmp_path / "out/s.txt")
    control = "zip -qr c0.zip dir"
    attack = "zip -qr c1.zip dir -x*.pyc"
    assert exec_verdict(policy, root, control)[0] == Verdict.DENY
    assert exec_verdict(policy, root, attack)[0] != Verdict.ALLOW
    env = {**os.environ, "LC_ALL": "C"}
    subprocess.run(attack.split(), cwd=root, check=True, env=env)
    with zipfile.ZipFile(root / "c1.zip") as z:
        assert z.read("dir/lk") == b"OUTSIDE\n"  # zip followed the link: the old reading was wrong


# ---- cp: recursion and following read with cp's table ---------------------------------------
CP_FOLLOWS = [
    "cp --archive -L dir d2",
    "cp --arc --deref dir d2",
    "cp --archive --dereference dir d2",
    "cp --arch -L dir d2",
    "cp --archi --der dir d2",
    "cp -L --archive dir d2",
    "cp --dereference --archive dir d2",
    "cp --archive -vL dir d2",
    "cp --archive -LT dir d2",
    "cp --archive -L -t plain dir",
    "cp --archive -L --target-directory=plain dir",
    "cp --archive -Lv -- dir d2",
    "cp --recursive --dereference dir d2",
    "cp --recur -L dir d2",
    "cp --rec --deref dir d2",
    "cp -R --deref dir d2",
    "cp -r --dereference dir d2",
    "cp -rL dir d2",
    "cp -a -L dir d2",
    "cp -aL dir d2",
    "cp -RL dir d2",
    "cp --archive --dereference -v dir d2",
    "cp -L --recursive dir d2",
    "cp --archive --deref -f dir d2",
]


@pytest.mark.parametrize("command", CP_FOLLOWS)
def test_cp_recursive_copy_following_links_meets_the_link_out(
    policy: Policy, ws: Path, command: str
) -> None:
    assert exec_verdict(policy, ws, command)[0] != Verdict.ALLOW, command


CP_EVERYDAY = [
    "cp -r dir d2",
    "cp -a dir d2",
    "cp --archive dir d2",
    "cp --recursive dir d2",
    "cp -rL plain d2",
    "cp --archive -L plain d2",
    "cp --arc --deref plain d2",
    "cp dir/a.txt d5",
    "cp -L dir/a.txt d5",
    "cp -v plain/b.txt d6",
]


@pytest.mark.parametrize("command", CP_EVERYDAY)
def test_everyday_cp_tree_copies_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    assert exec_verdict(policy, ws, command)[0] == Verdict.ALLOW, command


def test_cp_archive_dereference_copies_the_outside_file_by_effect(
    policy: Policy, tmp_path: Path
) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out/s.txt").write_text("OUTSIDE\n")
    root = tmp_path / "ws"
    (root / "dir").mkdir(parents=True)
    (root / "dir/lk").symlink_to(tmp_path / "out/s.txt")
    assert exec_verdict(policy, root, "cp -a -L dir d0")[0] == Verdict.DENY
    attack = "cp --archive -L dir d1"
    assert exec_verdict(policy, root, attack)[0] != Verdict.ALLOW
    subprocess.run(attack.split(), cwd=root, check=True)
    assert not (root / "d1/lk").is_symlink()
    assert (root / "d1/lk").read_text() == "OUTSIDE\n"  # what the old reading let through


# ---- diff: directory comparisons read with diff's table ------------------------------------
@pytest.fixture(scope="module")
def diff_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt18diff") / "ws"
    (root / "src").mkdir(parents=True)
    (root / ".env").write_text("SECRET=1\n")
    (root / "src/a").write_text("a\n")
    (root / "src/b").write_text("b\n")
    (root / "README.md").write_text("r\n")
    (root / "lib").mkdir()
    (root / "lib/a").write_text("a2\n")
    return root


DIFF_READS = [
    "diff --recurs -N . src",
    "diff --rec -N . src",
    "diff --recursive --new-file . src",
    "diff --recur --new . src",
    "diff -N . src",
    "diff --new-file . src",
    "diff --new . src",
    "diff -u . src",
    "diff . src",
    "diff -q . src",
    "diff --brief . src",
    "diff -N src .",
    "diff --unidirectional-new-file . src",
    "diff -rN . src",
    "diff -Nr . src",
    "diff -N -- . src",
    "diff --from-file=. src",
    "diff --from-file . src lib",
    "diff --to-file=. src",
    "diff -U3 -N . src",
    "diff --unified=3 -N . src",
    "diff -N --color=always . src",
    "colordiff -N . src",
    "diff --recurs -N --label=x . src",
]


@pytest.mark.parametrize("command", DIFF_READS)
def test_diff_of_a_directory_holding_a_secret_is_refused(
    policy: Policy, diff_ws: Path, command: str
) -> None:
    assert exec_verdict(policy, diff_ws, command)[0] != Verdict.ALLOW, command


DIFF_EVERYDAY = [
    "diff src/a lib/a",
    "diff -u src/a lib/a",
    "diff -ru src lib",
    "diff --recursive src lib",
    "diff -q src lib",
    "diff --brief src/a src/b",
    "diff -u README.md src/a",
    "diff -y -W 80 src/a src/b",
    "diff --color=always -u src/a src/b",
    "diff -N src lib",
]


@pytest.mark.parametrize("command", DIFF_EVERYDAY)
def test_everyday_diff_lines_stay_allowed(policy: Policy, diff_ws: Path, command: str) -> None:
    assert exec_verdict(policy, diff_ws, command)[0] == Verdict.ALLOW, command


@pytest.mark.skipif(shutil.which("diff") is None, reason="diff is not installed")
def test_diff_abbreviated_recursion_prints_the_secret_by_effect(
    policy: Policy, diff_ws: Path
) -> None:
    for command in ("diff --recurs -N . src", "diff -N . src"):
        out = subprocess.run(command.split(), cwd=diff_ws, capture_output=True, text=True)
        assert "SECRET=1" in out.stdout, command  # what the old reading let through
        assert exec_verdict(policy, diff_ws, command)[0] != Verdict.ALLOW


# ---- long options with an optional value never take the next word ---------------------------
OPTIONAL_VALUE_READS = [
    "xargs --max-lines -a.env echo",
    "xargs --max-lines -a .env echo",
    "xargs --replace -a.env echo",
    "xargs --eof -a.env echo",
    "xargs --max-l -a.env echo",
    "xargs --max-lines --arg-file=.env echo",
    "xargs --replace --arg-file .env echo",
    "grep --color -f.env src/a",
    "grep --colour -f.env src/a",
    "grep --color -f .env src/a",
    "grep --color --file=.env src/a",
    "egrep --color -f.env src/a",
    "fgrep --colour -f.env src/a",
    "grep -n --color -f.env src/a",
    "du --time -X.env .",
    "du --time -X .env .",
    "du --time --exclude-from=.env .",
    "du -a --time -X.env src",
    "diff --color -X.env src lib",
    "diff --context -X.env src/a src/b",
    "diff --unified -X.env src/a src/b",
    "diff --unified -X .env src/a src/b",
    "diff --context --exclude-from=.env src lib",
]


@pytest.mark.parametrize("command", OPTIONAL_VALUE_READS)
def test_option_files_after_an_optional_value_long_are_read(
    policy: Policy, diff_ws: Path, command: str
) -> None:
    assert exec_verdict(policy, diff_ws, command)[0] != Verdict.ALLOW, command


OPTIONAL_VALUE_EVERYDAY = [
    "grep --color=auto -n a src/a",
    "grep --color -n a src/a",
    "grep --colour=always -rn a src",
    "du --time -sh src",
    "du --time=atime -s src",
    "diff --color -u src/a src/b",
    "diff --unified=5 src/a src/b",
    "diff --context src/a src/b",
    "xargs --max-lines=1 -a src/a echo",
    "xargs --replace echo",
]


@pytest.mark.parametrize("command", OPTIONAL_VALUE_EVERYDAY)
def test_everyday_optional_value_lines_stay_allowed(
    policy: Policy, diff_ws: Path, command: str
) -> None:
    assert exec_verdict(policy, diff_ws, command)[0] == Verdict.ALLOW, command


@pytest.mark.skipif(shutil.which("xargs") is None, reason="xargs is not installed")
def test_xargs_max_lines_then_attached_arg_file_prints_the_secret_by_effect(
    policy: Policy, diff_ws: Path
) -> None:
    command = "xargs --max-lines -a.env echo"
    out = subprocess.run(command.split(), cwd=diff_ws, capture_output=True, text=True)
    assert "SECRET=1" in out.stdout  # what the old reading let through
    assert exec_verdict(policy, diff_ws, "xargs -a.env echo")[0] == Verdict.DENY
    assert exec_verdict(policy, diff_ws, command)[0] != Verdict.ALLOW
