"""Twenty-fifth red-team pass (command policy, 2026-12-05), issue 10 classes 5, 8 and 9: options
whose value is a *program* the tool runs, and bun's bare script word.

Found, by effect (each run here, unsandboxed, in a temporary workspace: the control):

* pip (class 5): `pip --python=/usr/bin/echo list` was allowed (`/usr/bin` is a read prefix)
  and pip re-ran itself under echo, which printed pip's runner path; `pip --python sh list`
  (a bare word, found on PATH) was allowed as well. The test below has pip run a workspace
  script that writes a marker: pip runs whatever the option names.
* mypy (class 5/8): `mypy --python-executable=echo x.py` was allowed (the bare word was read
  as a workspace file `./echo`, which the kernel never looks at: mypy finds `echo` on PATH);
  strace showed `execve("/usr/bin/echo", ["echo", ".../pyinfo.py", "getsearchdirs"])`.
  pyright's `--pythonpath`, uv's and uvx's `-p/--python`, nox's `--force-python`, pipenv's
  `--python` and faketime's `--date-prog` name programs the same way (not installed here:
  decided only).
* mvn (class 5): `maven.compiler.*` was on the `-D` list, so `mvn -o -q compile
  -Dmaven.compiler.fork=true -Dmaven.compiler.executable=touch` was allowed and ran `touch
  -version` (maven-compiler-plugin 3.13.0 asks the executable for its version first:
  "Could not retrieve version from touch … touch: invalid option -- 'v'"). compilerId,
  meminitial and maxmem (JVM options for the forked compiler) and outputDirectory were on the
  list too.
* bun (class 8/9): `bun LINK` and `bun run LINK` were allowed: a bare word was taken for a
  package script, but bun runs a file of that name when no script has it, so a workspace link
  to the .env (or to a file outside) was run as code. bun is not installed here: decided only;
  `node LINK`, the same read by node, was already denied.

* history (class 8/9): `history -r LINK; history` printed the .env (or the file outside) a
  workspace link names, and `history -r; history` the agent's `$HOME/.history`, all allowed.
* git (class 8, contributor): a workspace `sub/.git` file naming another checkout's `.git`
  let `git -C sub show` print its files and `git -C sub commit` write into it.
* git (class 2, viewer): `git -C a -C b log -p` and `git -C LINK log -p` ran the textconv of
  the repository git really landed in (`a/b`; the one above LINK's target), which the
  viewer's repository check never looked at (it read each `-C` on its own, lexically).

Fixed as a class: exec_eval `_PROGRAM_VALUES` lists the options whose value is a program; a
bare word must be a Python request (`3.12`, `python3.11`, `pypy3`, `cpython@3.12`, `>=3.11`),
anything with a `/` the workspace's own code (as mypy's `--python-executable=.venv/bin/python`
already was). mvn's `maven.compiler.*` is listed key by key (language levels, debug, warnings
only). bun's script word is checked as a file it may run. A bare word of a program without a
spec that names a workspace link is resolved; history without a file is undecidable. git is
decided in the repository it uses: one outside the workspace (`repo_code.git_dir_outside`) is
a path outside it, and `-C` is followed in order, through links (`exec_eval._git_starts`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from tests.policy.scratch_repo import GIT_ENV, scratch_repo
from tests.policy.verdicts import exec_verdict

BIN = Path(sys.executable).parent
MARKER_SCRIPT = '#!/bin/sh\necho "ran: $*" > "$(dirname "$0")/MARKER"\necho "javac 17.0.1"\n'


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt25")
    outside = root / "outside"
    outside.mkdir()
    (outside / "x.js").write_text("console.log(1)\n")
    files = {".env": "SECRET=1\n", "README.md": "r\n", "src/a.py": "a = 1\n", "x.ts": "1\n"}
    files |= {"package.json": '{"scripts": {"build": "echo b"}}\n'}
    ws = scratch_repo(root / "ws", files, {"lnk": ".env", "out": str(outside / "x.js")})
    (ws / "fakepy").write_text(MARKER_SCRIPT)
    (ws / "fakepy").chmod(0o755)
    return ws


def _v(policy: Policy, ws: Path, command: str, role: str = "contributor") -> Verdict:
    return exec_verdict(policy, ws, command, role)[0]


# ---- what was allowed ----------------------------------------------------------------------
PROGRAM_OPTIONS = [
    "pip --python=/usr/bin/echo list",
    "pip --python sh list",
    "pip --python=perl list",
    "pip3 --python=perl list",
    "python3 -m pip --python=perl list",
    "pip install --python=sh requests",
    "pip --pyth=sh list",
    "pip --python=fakepy list",  # a bare word: pip tries the file, mypy and uv search PATH
    "mypy --python-executable=fakepy src",
    "mypy --python-executable=echo src",
    "mypy --python-executable echo src",
    "mypy --python-executable=/usr/bin/perl src",
    "mypy --python-executable=out src",
    "pyright --pythonpath=sh",
    "basedpyright --pythonpath=perl src",
    "uv run --python sh pytest",
    "uv run -p perl pytest",
    "uv venv --python=sh",
    "uv pip install -p /usr/bin/perl requests",
    "uvx --python=/usr/bin/sh ruff",
    "uvx -p perl ruff",
    "nox --force-python=sh",
    "nox --force-python=/usr/bin/sh",
    "pipenv --python sh install",
    "pipenv --python /usr/bin/sh install",
    "faketime --date-prog=sh now ls",
    "faketime --date-prog=/usr/bin/env now ls",
]
MAVEN = [
    "mvn -o -q compile -Dmaven.compiler.fork=true -Dmaven.compiler.executable=touch",
    "mvn -q compile -Dmaven.compiler.executable=/usr/bin/python3 -Dmaven.compiler.fork=true",
    "mvn -q compile -Dmaven.compiler.executable=./fakepy",
    "mvn -q compile --define=maven.compiler.executable=sh",
    "mvn -q test -Dmaven.compiler.compilerId=eclipse",
    "mvn -q test -Dmaven.compiler.meminitial=1g",
    "mvn -q test -Dmaven.compiler.maxmem=1g",
    "mvn -q test -Dmaven.compiler.fork=true",
    "mvn -q test -Dmaven.compiler.outputDirectory=build",
    "mvn -q test -Dmaven.compiler.compilerVersion=1",
    "mvn -q test -Dmaven.compiler.forceLegacyJavacApi=true",
]
BUN = [
    "bun lnk",
    "bun run lnk",
    "bun run lnk --flag",
    "bun --watch lnk",
    "bun --hot run lnk",
    "bun out",
    "bun run out",
    "bun --silent run out",
]


@pytest.mark.parametrize("command", PROGRAM_OPTIONS + MAVEN + BUN)
def test_programs_named_by_options_are_not_allowed(policy: Policy, ws: Path, command: str) -> None:
    assert _v(policy, ws, command) != Verdict.ALLOW, command


# ---- everyday shapes stay allowed ------------------------------------------------------------
EVERYDAY = [
    "pip --python 3.12 install requests",
    "pip --python=python3.11 list",
    "pip --python=./fakepy list",  # the workspace's own file: runs sandboxed, as scripts do
    "python3 -m pip install -r requirements.txt",
    "mypy --python-executable=python3 src",
    "mypy --python-executable=./fakepy src",
    "mypy src",
    "uv run --python 3.12 pytest",
    "uv run --python '>=3.11' pytest",
    "uvx -p 3.11 ruff check",
    "uvx --python cpython@3.12 ruff check",
    "uv venv --python pypy3",
    "nox --force-python=3.11",
    "nox -p 3.11",
    "pipenv --python 3.11 install",
    "mvn -q test",
    "mvn -q test -Dmaven.compiler.release=17",
    "mvn -B verify -Dmaven.compiler.source=17 -Dmaven.compiler.target=17 -DskipTests",
    "mvn -q compile -Dmaven.compiler.showWarnings=true -Dmaven.compiler.debug=false",
    "bun run build",
    "bun x.ts",
    "bun src/a.py",
    "bun test",
    "bun install",
    "bun run dev -- --port 3000",
    "npm run build",
    "yarn build",
]


@pytest.mark.parametrize("command", EVERYDAY)
def test_everyday_shapes_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    assert _v(policy, ws, command) == Verdict.ALLOW, command


def test_viewer_runs_none_of_them(policy: Policy, ws: Path) -> None:
    for command in ("pip --python 3.12 list", "mypy src", "mvn -q test", "bun run build"):
        assert _v(policy, ws, command, "viewer") != Verdict.ALLOW, command


# ---- by effect: the programs run what the option names ------------------------------------
def _copy(ws: Path, tmp_path: Path) -> Path:
    work = tmp_path / "w"
    work.mkdir()
    shutil.copy2(ws / "fakepy", work / "fakepy")
    (work / "m.py").write_text("x = 1\n")
    return work


def test_pip_runs_the_program_its_python_option_names(ws: Path, tmp_path: Path) -> None:
    work = _copy(ws, tmp_path)
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INDEX": "1"}
    subprocess.run(
        [str(BIN / "pip"), "--python=./fakepy", "list"],
        cwd=work,
        env=env,
        capture_output=True,
        timeout=60,
    )
    text = (work / "MARKER").read_text()
    assert "__pip-runner__.py" in text and "list" in text, text
    # a system program named the same way runs just as well: echo prints pip's argv
    out = subprocess.run(
        [str(BIN / "pip"), "--python=/usr/bin/echo", "list"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "__pip-runner__.py --python=/usr/bin/echo list" in out, out


def test_mypy_runs_the_program_its_python_executable_names(ws: Path, tmp_path: Path) -> None:
    work = _copy(ws, tmp_path)
    subprocess.run(
        [str(BIN / "mypy"), "--no-incremental", "--python-executable=./fakepy", "m.py"],
        cwd=work,
        capture_output=True,
        timeout=120,
    )
    assert "getsearchdirs" in (work / "MARKER").read_text()


# ---- bash's history builtin: a file it reads by a bare word, or from the environment -------
# `history -r FILE; history` prints FILE's lines. The word was not resolved (history is a
# program without a spec, whose bare words were taken for data), so a workspace link to the
# .env or to a file outside was read; without FILE it reads $HISTFILE, or `~/.history` where
# `bash -c` leaves that unset: the agent's home, outside the workspace.
HISTORY = [
    "history -r lnk; history",
    "history -n lnk; history",
    "history -r -- lnk; history",
    "history -r out; history",
    "history -r; history",
    "history -n",
    "history -w",
    "history -a",
    "cd src && history -r ../lnk; history",
    "tokei lnk",  # other programs without a spec that open a bare word
    "pgrep -F lnk",
]


@pytest.mark.parametrize("command", HISTORY)
def test_history_files_are_decided(policy: Policy, ws: Path, command: str) -> None:
    assert _v(policy, ws, command) != Verdict.ALLOW, command


@pytest.mark.parametrize(
    "command",
    ["history", "history 5", "history -c", "history -r README.md; history", "history -w h.txt"]
    + ["echo lnk", "test -L lnk", "basename lnk", "[ -e lnk ]"],
)
def test_history_everyday_and_data_words_stay_allowed(
    policy: Policy, ws: Path, command: str
) -> None:
    assert _v(policy, ws, command) == Verdict.ALLOW, command


def test_history_prints_the_file_a_link_or_home_names(ws: Path, tmp_path: Path) -> None:
    """The control: bash itself, with a HOME of its own."""
    (tmp_path / ".history").write_text("TOKEN=home\n")
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}

    def run(script: str) -> str:
        return subprocess.run(
            ["bash", "-c", script], cwd=ws, env=env, capture_output=True, text=True, timeout=30
        ).stdout

    assert "SECRET=1" in run("history -r lnk; history")
    assert "console.log(1)" in run("history -r out; history")
    assert "TOKEN=home" in run("history -r; history")


# ---- a `.git` that names a repository outside the workspace --------------------------------
# git works in the repository its start directory's `.git` names, wherever that is: a
# workspace `sub/.git` file (`gitdir: /elsewhere/.git`) let a contributor's `git -C sub show`
# print another checkout's files and `git -C sub commit` write into it (viewer was already
# refused: its git runs only in a plain git directory). A `.git` link and a `commondir` do the
# same.
@pytest.fixture(scope="module")
def gws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt25g")
    other = scratch_repo(root / "other", {"README.md": "r\n", "src/notes.txt": "OTHER=1\n"})
    ws = scratch_repo(root / "ws", {"README.md": "r\n", "src/a.py": "a = 1\n"})
    (ws / "sub").mkdir()
    (ws / "sub" / ".git").write_text(f"gitdir: {other / '.git'}\n")
    (ws / "rel").mkdir()
    (ws / "rel" / ".git").write_text(f"gitdir: {os.path.relpath(other / '.git', ws / 'rel')}\n")
    (ws / "lnk").mkdir()
    os.symlink(other / ".git", ws / "lnk" / ".git")
    # a worktree-shaped git directory inside the workspace whose commondir is outside
    (ws / ".gitwt").mkdir()
    (ws / ".gitwt" / "commondir").write_text(f"{other / '.git'}\n")
    (ws / "wt").mkdir()
    (ws / "wt" / ".git").write_text("gitdir: ../.gitwt\n")
    # a submodule's gitlink stays inside: .git/modules/mod
    (ws / ".git" / "modules" / "mod").mkdir(parents=True)
    (ws / "mod").mkdir()
    (ws / "mod" / ".git").write_text("gitdir: ../.git/modules/mod\n")
    return ws


GIT_ELSEWHERE = [
    f"{prefix}{command}"
    for prefix in ("git -C sub ", "cd sub && git ", "git -C rel ", "git -C lnk ", "git -C wt ")
    for command in ("show HEAD:src/notes.txt", "log -p", "status", "commit --allow-empty -m x")
] + [
    "git -C sub/ tag v9",
    "git -C src -C ../sub branch b",
    "cd sub; git grep OTHER",
    "env git -C sub log",
    "for d in sub; do git -C $d log; done",
]


@pytest.mark.parametrize("role", ["contributor", "viewer"])
@pytest.mark.parametrize("command", GIT_ELSEWHERE)
def test_git_in_a_repository_outside_is_denied(
    policy: Policy, gws: Path, command: str, role: str
) -> None:
    assert _v(policy, gws, command, role) != Verdict.ALLOW, command


@pytest.mark.parametrize(
    "command", ["git status", "git log --oneline", "git -C src log", "cd src && git diff"]
)
def test_git_in_the_workspace_repository_stays_allowed(
    policy: Policy, gws: Path, command: str
) -> None:
    assert _v(policy, gws, command) == Verdict.ALLOW, command


def test_a_submodule_gitlink_inside_is_not_outside(policy: Policy, gws: Path) -> None:
    assert exec_verdict(policy, gws, "git -C mod status")[1] != "exec.path-outside-workspace"


def test_git_reads_and_writes_the_repository_a_git_file_names(gws: Path) -> None:
    """The control: git itself follows `sub/.git` out of the workspace."""
    env = {**os.environ, **GIT_ENV, "HOME": str(gws.parent)}

    def git(*argv: str) -> str:
        return subprocess.run(
            ["git", "-C", "sub", *argv], cwd=gws, env=env, capture_output=True, text=True
        ).stdout

    assert git("show", "HEAD:src/notes.txt") == "OTHER=1\n"
    before = git("rev-list", "--count", "HEAD")
    git("commit", "-q", "--allow-empty", "-m", "written from the workspace")
    other = gws.parent / "other"
    log = subprocess.run(
        ["git", "log", "-1", "--format=%s"], cwd=other, env=env, capture_output=True, text=True
    ).stdout
    assert log.strip() == "written from the workspace" and before.strip() == "1"


# ---- viewer: the repository git really starts in (class 2) ---------------------------------
# A read-only role's git runs only in a repository whose configuration names no program. The
# check found the repository from each `-C DIR` read on its own, from the command's directory,
# without following links; git applies `-C` options one after the other, with chdir(2), and
# looks for the repository upwards from where that leads. So on main a viewer's `git -C a -C b
# log -p` (the repository `a/b`) and `git -C LINK log -p` (LINK -> deep/dir inside the
# repository `deep`) were allowed, and git ran the repository's textconv (a marker file).
@pytest.fixture(scope="module")
def vws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt25v")
    files0 = {"README.md": "r\n", "a/x.txt": "x\n", "b/y.txt": "y\n"}
    ws = scratch_repo(root / "ws", files0, tracked=("README.md", "a", "b"))
    marker = root / "MARKER"
    config = f'[diff "x"]\n\ttextconv = "touch {marker}; cat"\n'
    for rel in ("a/b", "deep"):
        files = {".gitattributes": "* diff=x\n", "dir/f.txt": "1\n"}
        repo = scratch_repo(ws / rel, files, tracked=(".gitattributes", "dir"))
        (repo / "dir" / "f.txt").write_text("2\n")
        env = {**os.environ, **GIT_ENV, "HOME": str(root)}
        subprocess.run(["git", "commit", "-qam", "2"], cwd=repo, env=env, check=True)
        with open(repo / ".git" / "config", "a") as fh:
            fh.write(config)
    os.symlink("deep/dir", ws / "l")
    return ws


VIEWER_GIT = [
    "git -C a -C b log -p",
    "git -C a -C b show HEAD",
    "git -C a -C b diff HEAD~1",
    "git -C l log -p",
    "git -C l -C . log -p",
    "git -C b -C ../a/b log -p",
    "git -C src -C ../a -C b log -p",
]


@pytest.mark.parametrize("command", VIEWER_GIT)
def test_viewer_git_is_decided_where_git_runs(policy: Policy, vws: Path, command: str) -> None:
    assert _v(policy, vws, command, "viewer") != Verdict.ALLOW, command


@pytest.mark.parametrize("command", ["git log -p", "git -C a log", "git -C b log", "git status"])
def test_viewer_git_in_the_plain_repository_stays_allowed(
    policy: Policy, vws: Path, command: str
) -> None:
    assert _v(policy, vws, command, "viewer") == Verdict.ALLOW, command


@pytest.mark.parametrize("argv", [["-C", "a", "-C", "b"], ["-C", "l"]])
def test_git_runs_the_textconv_of_the_repository_it_lands_in(vws: Path, argv: list[str]) -> None:
    marker = vws.parent / "MARKER"
    marker.unlink(missing_ok=True)
    env = {**os.environ, **GIT_ENV, "HOME": str(vws.parent)}
    subprocess.run(["git", *argv, "log", "-p"], cwd=vws, env=env, capture_output=True)
    assert marker.exists(), argv


# ---- python -m compileall / py_compile: the files they compile -----------------------------
# A compile error prints the offending source line. `python -m compileall .` compiles every
# `*.py` below `.`, following a link to a file (`x.py -> .env`), and `-i LIST` / `py_compile -`
# take the names from a file or stdin: all three printed the .env's line, allowed.
@pytest.fixture(scope="module")
def cws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt25c") / "ws"
    files = {".env": "API_KEY=sk-live-123 abc\n", "src/a.py": "a = 1\n", "list.txt": "leak.py\n"}
    return scratch_repo(root, files, {"leak.py": ".env"}, tracked=("src",))


COMPILE = [
    "python3 -m compileall .",
    "python3 -m compileall -q .",
    "python3 -m compileall -q -j0 .",
    "python -m compileall -l .",
    "python3 -m compileall -i list.txt",
    "python3 -m compileall -q -i - < list.txt",
    "python3 -m py_compile - < list.txt",
    "cat list.txt | python3 -m py_compile -",
    "python3 -m compileall",  # every sys.path directory: the system's
]


@pytest.mark.parametrize("command", COMPILE)
def test_compiled_files_are_decided(policy: Policy, cws: Path, command: str) -> None:
    assert _v(policy, cws, command) != Verdict.ALLOW, command


@pytest.mark.parametrize(
    "command",
    [
        "python3 -m compileall -q src",
        "python -m compileall src/a.py",
        "python3 -m py_compile src/a.py",
    ],
)
def test_compiling_the_sources_stays_allowed(policy: Policy, cws: Path, command: str) -> None:
    assert _v(policy, cws, command) == Verdict.ALLOW, command


@pytest.mark.parametrize(
    "argv", [["-m", "compileall", "-q", "."], ["-m", "compileall", "-q", "-i", "list.txt"]]
)
def test_compileall_prints_the_line_of_a_linked_secret(
    cws: Path, tmp_path: Path, argv: list[str]
) -> None:
    work = tmp_path / "w"
    shutil.copytree(cws, work, symlinks=True)
    out = subprocess.run(
        [sys.executable, *argv], cwd=work, capture_output=True, text=True, timeout=60
    )
    assert "sk-live-123" in out.stdout + out.stderr


# ---- linters, formatters, type checkers and test runners over a tree -----------------------
# They read every source file of their types under the directories they are given (the
# current one by default), a link to a file included, and print source lines: `ruff check
# tests` and `pytest tests` printed the .env that `tests/test_x.py -> ../.env` names, allowed.
@pytest.fixture(scope="module")
def tws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt25t") / "ws"
    files = {".env": "API_KEY=sk-live-123 abc\n", "src/a.py": "a = 1\n", "web/a.js": "1\n"}
    links = {"tests/test_leak.py": "../.env", "web/leak.js": "../.env"}
    return scratch_repo(root, files, links, tracked=("src",))


SOURCE_TREES = [
    "pytest",
    "pytest tests",
    "pytest -q -k login",
    "py.test -x tests/",
    "python3 -m pytest tests",
    "python -m pytest -q",
    "ruff check .",
    "ruff check tests",
    "ruff format --check .",
    "black --check .",
    "flake8 --show-source tests",
    "mypy tests",
    "python3 -m mypy tests",
    "pylint tests",
    "isort --check-only --diff .",
    "bandit -r tests",
    "pyright tests",
    "prettier --check .",
    "prettier --check web",
    "eslint web",
    "tsc -p .",
]


@pytest.mark.parametrize("command", SOURCE_TREES)
def test_source_tools_over_a_tree_with_a_linked_secret(
    policy: Policy, tws: Path, command: str
) -> None:
    assert _v(policy, tws, command) != Verdict.ALLOW, command


@pytest.mark.parametrize(
    "command",
    ["pytest src", "ruff check src", "mypy src", "black --check src/a.py", "eslint web/a.js"],
)
def test_source_tools_elsewhere_stay_allowed(policy: Policy, tws: Path, command: str) -> None:
    assert _v(policy, tws, command) == Verdict.ALLOW, command


def test_source_tools_in_a_plain_workspace_stay_allowed(policy: Policy, ws: Path) -> None:
    for command in ("pytest", "ruff check .", "black --check .", "mypy src", "prettier --check ."):
        assert _v(policy, ws, command) == Verdict.ALLOW, command


@pytest.mark.parametrize(
    "argv",
    [
        [str(BIN / "ruff"), "check", "--no-cache", "tests"],
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
    ],
)
def test_source_tools_print_the_linked_secret(tws: Path, tmp_path: Path, argv: list[str]) -> None:
    work = tmp_path / "w"
    shutil.copytree(tws, work, symlinks=True)
    out = subprocess.run(argv, cwd=work, capture_output=True, text=True, timeout=120)
    assert "sk-live-123" in out.stdout + out.stderr, argv


# the same class for compilers, formatters and checkers of other languages (go, cargo, rustfmt,
# gofmt, clang-format, shfmt, shellcheck, deno): not installed here, decided only
@pytest.fixture(scope="module")
def tyws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt25y") / "ws"
    files = {".env": "API_KEY=1\n", "src/a.py": "a = 1\n"}
    links = {"pkg/leak.go": "../.env", "crate/src/leak.rs": "../../.env", "sh/x.sh": "../.env"}
    return scratch_repo(root, files, links, tracked=("src",))


@pytest.mark.parametrize(
    "command",
    [
        "go vet ./...",
        "go build ./...",
        "go test ./pkg/...",
        "gofmt -l .",
        "gofmt -d pkg",
        "cargo build --manifest-path crate/Cargo.toml",
        "rustfmt --check crate/src",
        "shfmt -d .",
        "shellcheck sh",
    ],
)
def test_other_source_tools_over_a_linked_secret(policy: Policy, tyws: Path, command: str) -> None:
    assert _v(policy, tyws, command) != Verdict.ALLOW, command


@pytest.mark.parametrize("command", ["go vet ./src/...", "gofmt -l src", "shfmt -d src"])
def test_other_source_tools_elsewhere_stay_allowed(
    policy: Policy, tyws: Path, command: str
) -> None:
    assert _v(policy, tyws, command) == Verdict.ALLOW, command
