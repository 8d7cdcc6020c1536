"""Forty-seventh red-team pass (2026-12-07): issue 10's classes 3, 4, 6, 8 and 11 with fresh
eyes, as a contributor who controls the commands and the workspace's files.

Found on the tree before this pass (each group below fails there; docs/policy.md, "Forty-seventh
pass"):
- class 11: `git restore -p -s evil` and `git checkout -p` with no pathspec offer every hunk of
  the whole tree (`yes |` says yes to all of them): read as writing nothing, they wrote the
  other branch's (or, after `git reset evil`, the index's) CLAUDE.md and workflows;
- class 11: `cp -r SRC/. .`, `cp -rT SRC .` and `rsync -a SRC/ .` copy SRC's entries into the
  workspace's top, which is no protected path itself: SRC/Makefile landed on the Makefile CI
  runs; `git mv -f x/Makefile .` moved one there (only `.` was checked);
- class 11: GNU patch without -p takes a diff's last component and git apply strips the first
  one of any name: `--- x/Makefile` patched the Makefile CI runs, checked as x/Makefile;
- class 11: `unzip -j` writes every member as its last component: `x/Makefile` landed on the
  Makefile CI runs, checked at `x/Makefile`;
- classes 4 and 9: an in-place flag (`yq -i`) made every file option a write, so `-f PROG` was
  no longer read as the program file it is: its `import "secrets" as $s` copied a secret JSON
  file into the edited file;
- classes 4 and 5: `dbus-run-session --dbus-daemon=BINARY` runs BINARY (looked up on PATH),
  read as a file the wrapper reads; `--config-file` names files the bus daemon creates.
"""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from tests.policy.scratch_repo import GIT_ENV, scratch_repo, workflow
from tests.policy.verdicts import exec_verdict

A, D = Verdict.ALLOW, Verdict.DENY
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
EVIL, GOOD = "EVIL\n", "good\n"


_HUNK = "@@ -1,2 +1,2 @@\n test:\n-\ttrue\n+\tid\n"
PATCH_FILES = {
    "p1.patch": f"--- x/Makefile\n+++ x/Makefile\n{_HUNK}",
    "p2.patch": f"--- a/x/Makefile\n+++ b/x/Makefile\n{_HUNK}",
    "p3.patch": f"diff --git a/x/Makefile b/x/Makefile\n--- a/x/Makefile\n+++ b/x/Makefile\n{_HUNK}",
    "p4.patch": "*** x/Makefile\n--- x/Makefile\n***************\n*** 1,2 ****\n  test:\n! \ttrue\n"
    "--- 1,2 ----\n  test:\n! \tid\n",
    "p5.patch": f"Index: x/Makefile\n--- x/Makefile\n+++ x/Makefile\n{_HUNK}",
}


def _zip(path: Path, members: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)


def _build(root: Path) -> Path:
    """A repository whose HEAD holds the reviewed CLAUDE.md and workflow and whose branch
    `evil` (HEAD~1) holds others; CI runs `make test` and `bash ci/run.sh`."""
    ci = workflow("make test", "bash ci/run.sh")
    ws = scratch_repo(
        root,
        {
            "README.md": "x\n",
            "src/app.py": "print(1)\n",
            "notes.md": "n\n",
            "notes.yaml": "a: 1\n",
            "CLAUDE.md": EVIL,
            ".github/workflows/ci.yml": "on: push\n",
            "Makefile": "test:\n\ttrue\n",
            "ci/run.sh": "true\n",
            "tmp/Makefile": "test:\n\tid\n",
            "tmp/ci/run.sh": "id\n",
            "tmp/notes.txt": "t\n",
            "build/out.txt": "o\n",
            "secrets.json": '{"k": "v"}\n',
            ".env": "TOKEN=abc\n",
            "p.jq": 'import "secrets" as $s; .a = $s\n',
            "i.jq": 'include "lib"; .a = 1\n',
            "l.yq": 'load(".env")\n',
            "clean.jq": ".a = 2\n",
            "scripts/bus.sh": 'exec dbus-daemon "$@"\n',
            "x/Makefile": "test:\n\ttrue\n",
            **PATCH_FILES,
        },
    )
    env = {**os.environ, **GIT_ENV, "HOME": str(root.parent)}

    def git(*argv: str) -> None:
        subprocess.run(["git", *argv], cwd=ws, env=env, check=True, capture_output=True)

    git("add", "-f", "CLAUDE.md", ".github")
    git("commit", "-qm", "old")
    git("branch", "evil")
    (ws / "CLAUDE.md").write_text(GOOD)
    (ws / ".github/workflows/ci.yml").write_text(ci)
    git("commit", "-qam", "reviewed")
    _zip(ws / "a.zip", {"x/Makefile": "test:\n\tid\n", "x/readme.txt": "r\n"})
    _zip(ws / "deep.zip", {"a/b/c/Makefile": "test:\n\tid\n"})
    _zip(ws / "clean.zip", {"x/readme.txt": "r\n", "x/y/notes.txt": "n\n"})
    return ws


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # (the session's: loaded once for the whole suite)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("rt47") / "ws")


@pytest.fixture(scope="module")
def reset_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same repository after `git reset evil`: the index holds the other CLAUDE.md."""
    root = _build(tmp_path_factory.mktemp("rt47r") / "ws")
    env = {**os.environ, **GIT_ENV, "HOME": str(root.parent)}
    subprocess.run(["git", "reset", "-q", "evil"], cwd=root, env=env, check=True)
    return root


# ---- class 11: patch mode without a pathspec is the whole tree --------------------------------
PATCH = [
    "yes | git restore -p -s evil",
    "yes | git restore --patch --source=evil",
    "yes | git restore --patch --source evil",
    "yes | git restore -ps evil",
    "yes | git restore -sevil -p",
    "yes | git restore -Wp -s evil",
    "yes | git restore -p -SW -s evil",
    "yes | git restore -p -s HEAD~1",
    "yes | git restore --patc -s evil",
    "yes | git restore -p -s evil --",
    "printf 'y\\ny\\n' | git restore -p -s evil",
    "git restore -p -s evil < notes.md",
    "git restore -p -s evil",
    "git restore --source=HEAD~1 --patch --worktree",
    "bash -c 'yes | git restore -p -s evil'",
    "timeout 60 git restore -p -s evil",
    "git reset -q evil && yes | git checkout -p",
    "git reset evil; yes | git checkout --patch",
    "git reset evil; yes | git restore -p",
    "git reset evil; yes | git restore --patch -W",
    "git reset evil; yes | git checkout -p --",
    "git read-tree evil; yes | git checkout -p",
]
# after `git reset evil` ran (an earlier tool call): the index differs from the work tree
PATCH_AFTER_RESET = [
    "yes | git checkout -p",
    "git checkout -p",
    "git checkout --patch",
    "git checkout -p --",
    "git restore -p",
    "git restore --patch",
    "git restore -p -W",
    "git restore -Wp --",
    "yes | git restore -p",
    "git restore --pat",
    "git checkout --pa",
]
PATCH_CONTROLS = [
    "git restore -p",  # the index is HEAD and so is the work tree: nothing to offer
    "git checkout -p",
    "git restore -p src/app.py",
    "git restore --patch -- src",
    "git checkout -p -- src/app.py",
    "git restore -p -s evil src",
    "git restore --staged -p",
    "git add -p",
    "git reset -p",
]


@pytest.mark.parametrize("command", PATCH_AFTER_RESET)
def test_patch_mode_after_a_reset(policy: Policy, reset_ws: Path, command: str) -> None:
    verdict, rule = exec_verdict(policy, reset_ws, command)
    assert verdict is D, (command, rule)


def test_patch_mode_after_a_reset_control(policy: Policy, reset_ws: Path) -> None:
    """src/ is the same in both commits: patch mode limited to it offers nothing."""
    assert exec_verdict(policy, reset_ws, "git checkout -p -- src")[0] is A


@given(
    patch=st.sampled_from(["-p", "--patch", "--patc"]),
    source=st.sampled_from(["-s evil", "-sevil", "--source=evil", "--source evil", "-s HEAD~1"]),
    extra=st.lists(st.sampled_from(["-W", "--worktree", "-q", "--progress"]), max_size=2),
    order=st.booleans(),
    dashdash=st.booleans(),
)
@SETTINGS
def test_patch_mode_spellings(
    policy: Policy,
    ws: Path,
    patch: str,
    source: str,
    extra: list[str],
    order: bool,
    dashdash: bool,
) -> None:
    """However patch mode and the source are spelled, with no pathspec it is refused."""
    words = [patch, source, *extra] if order else [*extra, source, patch]
    command = "yes | git restore " + " ".join(words) + (" --" if dashdash else "")
    verdict, rule = exec_verdict(policy, ws, command)
    assert verdict is D, (command, rule)


def test_patch_mode_by_effect(tmp_path: Path) -> None:
    """What the refused commands do: git writes the other branch's CLAUDE.md and workflow,
    and after `git reset evil` the index's."""
    ws = _build(tmp_path / "ws")
    env = {**os.environ, **GIT_ENV, "HOME": str(tmp_path)}
    run = subprocess.run
    run(["bash", "-c", "yes | git restore -p -s evil"], cwd=ws, env=env, capture_output=True)
    assert (ws / "CLAUDE.md").read_text() == EVIL
    assert (ws / ".github/workflows/ci.yml").read_text() == "on: push\n"
    run(["git", "checkout", "-q", "--", "."], cwd=ws, env=env, check=True)
    assert (ws / "CLAUDE.md").read_text() == GOOD
    run(["bash", "-c", "git reset -q evil; yes | git checkout -p"], cwd=ws, env=env, check=True,
        capture_output=True)  # fmt: skip
    assert (ws / "CLAUDE.md").read_text() == EVIL


# ---- class 11: a folder's entries copied into another folder ----------------------------------
CONTENTS = [
    "cp -r tmp/. .",
    "cp -R tmp/. ./",
    "cp -a tmp/. .",
    "cp -al tmp/. .",
    "cp --recursive tmp/. .",
    "cp -rf tmp/./ .",
    "cp -rT tmp .",
    "cp --archive --no-target-directory tmp .",
    "cp -r -t . tmp/.",
    "cp -rt . tmp/.",
    "cp -r --target-directory=. tmp/.",
    "cp -r tmp/. src/..",
    "rsync -a tmp/ .",
    "rsync -av tmp/ ./",
    "rsync -r tmp/. .",
    "rsync -a tmp/ src/..",
    "rsync tmp/ .",
    "cd tmp && cp -r . ..",
    "cd tmp && rsync -a ./ ..",
    "cd src && cp -r ../tmp/. ..",
    "bash -c 'cp -r tmp/. .'",
    "timeout 9 rsync -a tmp/ .",
    "touch tmp/x; cp -r tmp/. .",
    "mkdir t2; echo x > t2/Makefile; cp -r t2/. .",
    "cp -r tmp/.. .",
    # git mv into a folder: each source lands as FOLDER/NAME
    "git mv x/Makefile .",
    "git mv -f x/Makefile .",
    "git mv --force x/Makefile ./",
    "git mv -f x/Makefile src/..",
    "git mv -fk x/Makefile .",
    "git mv -f -- x/Makefile .",
    "git -C src mv -f ../x/Makefile ..",
    "git mv -f x/Makefile p1.patch .",
]
CONTENTS_CONTROLS = [
    "cp -r build/. .",
    "rsync -a build/ .",
    "cp -r tmp/. dist",
    "rsync -av tmp/ dist/",
    "mkdir -p out && cp -r tmp/. out",
    "cp -r tmp .",
    "cp -a tmp/ .",
    "cp -r t2/. .",  # no such folder: cp copies nothing
    "cp -r docs build/docs",
    "git mv -f src/app.py .",
    "git mv src/app.py build/",
    "git mv src/app.py src/main.py",
]


def test_copied_entries_by_effect(tmp_path: Path) -> None:
    """cp copies the folder's entries themselves: tmp/Makefile replaces the top's."""
    for command in ("cp -r tmp/. .", "cp -rT tmp ."):
        work = tmp_path / command.replace(" ", "_").replace("/", "")
        (work / "tmp").mkdir(parents=True)
        (work / "Makefile").write_text("test:\n\ttrue\n")
        (work / "tmp/Makefile").write_text("test:\n\tid\n")
        subprocess.run(["bash", "-c", command], cwd=work, check=True)
        assert (work / "Makefile").read_text() == "test:\n\tid\n", command


# ---- class 11: unzip -j junks the members' folders ---------------------------------------------
JUNK = [
    "unzip -j a.zip",
    "unzip -jo a.zip",
    "unzip -oj a.zip",
    "unzip -qqjo a.zip",
    "unzip -j -o a.zip x/Makefile",
    "unzip -j a.zip x/Makefile",
    "unzip -j a.zip 'x/*'",
    "unzip -j a.zip -x x/readme.txt",
    "unzip -j a.zip -d .",
    "unzip -jd . a.zip",
    "unzip -j a.zip -d src/..",
    "unzip -j a.zip -d srcx/..",
    "unzip -L -j a.zip",
    "unzip -Cj a.zip",
    "unzip -ju a.zip",
    "unzip -jn a.zip",
    "unzip -j deep.zip",
    "unzip -oj deep.zip -d ./",
    "unzip a.zip -j",  # a member name to unzip 6.0; both readings are checked
    "busybox unzip -j a.zip",
    "bash -c 'unzip -j a.zip'",
    "timeout 9 unzip -j a.zip",
    "cd src && unzip -j ../a.zip -d ..",
]
JUNK_CONTROLS = [
    "unzip a.zip",
    "unzip -o deep.zip",
    "unzip -j a.zip -d build",
    "unzip -j clean.zip",
    "unzip -l a.zip",
    "unzip -jl a.zip",
    "unzip -p -j a.zip x/Makefile",
]


@given(
    letters=st.lists(st.sampled_from("qoanCLUXV"), max_size=4),
    junk=st.booleans(),
    at=st.integers(min_value=0, max_value=4),
)
@SETTINGS
def test_unzip_cluster_letters(
    policy: Policy, ws: Path, letters: list[str], junk: bool, at: int
) -> None:
    """A `j` anywhere in a cluster of unzip's other flags junks the paths (refused); without
    it the members land below x/ (allowed)."""
    if junk:
        letters = [*letters[:at], "j", *letters[at:]]
    command = "unzip " + ("-" + "".join(letters) + " " if letters else "") + "a.zip"
    verdict, rule = exec_verdict(policy, ws, command)
    assert verdict is (D if junk else A), (command, rule)


# ---- class 11: the names patch and git apply take from a diff ---------------------------------
PATCHES = [
    "patch < p1.patch",
    "patch -i p1.patch",
    "patch --input=p1.patch",
    "patch -N < p1.patch",
    "patch --forward -i p1.patch",
    "patch -u < p1.patch",
    "patch --posix < p1.patch",
    "patch -f -s < p1.patch",
    "patch < p2.patch",
    "patch -i p3.patch",
    "patch < p4.patch",
    "patch -c < p4.patch",
    "patch < p5.patch",
    "patch -d . < p1.patch",
    "patch --directory=. -i p1.patch",
    "cd src && patch -d .. < ../p1.patch",
    "bash -c 'patch < p1.patch'",
    "timeout 9 patch -i p1.patch",
    "git apply p1.patch",
    "git apply -v p1.patch",
    "git apply --index p1.patch",
    "git apply --reject p1.patch",
    "git apply --whitespace=fix p1.patch",
    "git apply --stat --apply p1.patch",
    "git apply < p1.patch",
    "git apply p1.patch p3.patch",
]
PATCH_NAME_CONTROLS = [
    "patch -p0 < p1.patch",
    "patch -p1 < p2.patch",
    "patch -p1 -i p3.patch",
    "patch -p0 < p5.patch",
    "patch -d src < p1.patch",
    "patch --dry-run < p1.patch",
    "git apply p3.patch",
    "git apply --stat p1.patch",
]


def test_git_apply_strips_one_component_by_effect(tmp_path: Path) -> None:
    """`git apply` reads `--- x/Makefile` with its default -p1: the top's Makefile changes."""
    (tmp_path / "x").mkdir()
    for rel in ("Makefile", "x/Makefile"):
        (tmp_path / rel).write_text("test:\n\ttrue\n")
    (tmp_path / "p1.patch").write_text(PATCH_FILES["p1.patch"])
    env = {**os.environ, **GIT_ENV, "HOME": str(tmp_path)}
    subprocess.run(["git", "apply", "p1.patch"], cwd=tmp_path, env=env, check=True)
    assert (tmp_path / "Makefile").read_text() == "test:\n\tid\n"
    assert (tmp_path / "x/Makefile").read_text() == "test:\n\ttrue\n"


# ---- classes 4 and 9: a program file read as a write -------------------------------------------
INPLACE = [
    "yq -i -f p.jq notes.yaml",
    "yq -y -i -f p.jq notes.yaml",
    "yq -yi -f p.jq notes.yaml",
    "yq -iy --from-file=p.jq notes.yaml",
    "yq --in-place --from-file p.jq notes.yaml",
    "yq --in-place -f p.jq notes.yaml",
    "yq -f p.jq -i notes.yaml",
    "yq -i -y -f p.jq notes.yaml notes.md",
    "yq -Y -i -f p.jq notes.yaml",
    "yq -i -r -f p.jq notes.yaml",
    "yq -i -c -f p.jq notes.yaml",
    "yq -i -f i.jq notes.yaml",
    "yq -i -f l.yq notes.yaml",
    "yq -i --from-file l.yq notes.yaml",
    "xq -i -f p.jq notes.yaml",
    "tomlq -i -f p.jq notes.yaml",
    "bash -c 'yq -y -i -f p.jq notes.yaml'",
    "timeout 9 yq -y -i -f p.jq notes.yaml",
    "cd src && yq -y -i -f ../p.jq ../notes.yaml",
    "yq -i -y -f ./p.jq ./notes.yaml",
]
INPLACE_CONTROLS = [
    "yq -i -y -f clean.jq notes.yaml",
    "yq -y -f clean.jq notes.yaml",
    "yq -i -y '.a = 1' notes.yaml",
    "yq -y .a notes.yaml",
]


# ---- classes 4 and 5: the program dbus-run-session starts as the bus ---------------------------
DBUS = [
    "dbus-run-session --dbus-daemon=sudo -- ls",
    "dbus-run-session --dbus-daemon sudo -- ls",
    "dbus-run-session --dbus-daemon=/usr/bin/env ls",
    "dbus-run-session --dbus-daemon=/bin/sh -- ls",
    "dbus-run-session --dbus-daemon=bash -- ls",
    "dbus-run-session --dbus-daemon=python3 -- ls",
    "dbus-run-session --dbus-daemon=/usr/bin/python3 ls",
    "dbus-run-session --dbus-daemon=/tmp/x -- ls",
    "dbus-run-session --dbus-daemon=../x -- ls",
    "dbus-run-session --dbus-daemon=$D -- ls",
    "dbus-run-session --dbus-daemon=dbus-daemon-x -- ls",
    "dbus-run-session --dbus-daemon=/usr/bin/dbus-daemon -- ls",
    "dbus-run-session --dbus-daemon=sudo -- pytest -q",
    "dbus-run-session --config-file=bus.conf -- ls",
    "dbus-run-session --config-file bus.conf ls",
    "dbus-run-session --config-file=/usr/share/dbus-1/session.conf -- ls",
    "dbus-run-session --dbus-daemon=./scripts/bus.sh --config-file=x -- ls",
    "timeout 5 dbus-run-session --dbus-daemon=sudo ls",
    "bash -c 'dbus-run-session --dbus-daemon=sudo ls'",
    "env dbus-run-session --dbus-daemon=sudo -- ls",
    "nice dbus-run-session --dbus-daemon=sudo ls",
    "xvfb-run -a dbus-run-session --dbus-daemon=sudo -- ls",
]
DBUS_CONTROLS = [
    "dbus-run-session -- pytest -q",
    "dbus-run-session ls",
    "dbus-run-session --dbus-daemon=dbus-daemon -- make",
    "dbus-run-session --dbus-daemon=./scripts/bus.sh -- ls",
]


# ---- every table above, on the scratch repository: (command, verdict) ---------------------------
DENIED = PATCH + CONTENTS + JUNK + PATCHES + INPLACE + DBUS
ALLOWED = (
    PATCH_CONTROLS
    + CONTENTS_CONTROLS
    + JUNK_CONTROLS
    + PATCH_NAME_CONTROLS
    + INPLACE_CONTROLS
    + DBUS_CONTROLS
)


@pytest.mark.parametrize(
    ("command", "expected"), [(c, D) for c in DENIED] + [(c, A) for c in ALLOWED]
)
def test_verdicts(policy: Policy, ws: Path, command: str, expected: Verdict) -> None:
    verdict, rule = exec_verdict(policy, ws, command)
    assert verdict is expected, (command, rule)
