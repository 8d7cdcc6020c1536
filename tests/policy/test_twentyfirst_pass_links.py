"""Twenty-first red-team pass (command policy, 2026-12-05), issue 10 classes 4 and 9: secrets
reached through a workspace symlink named in an option value the argument specs read as data.

The twentieth pass showed that a literal secret name is caught whatever the option readers
think, but a link (`lnk -> .env`) only where the policy knows the word is a file the program
opens. This pass swept every option of every program with an argument spec (the contributor
table and the viewer's read-only table) whose value the spec reads as `lit`, `pattern`,
`num`, `data`, `vardata`, … : `PROG OPT lnk`, `PROG OPT lnk README.md`, `--opt=lnk`, attached
short forms, decided as contributor and viewer, and each allowed one run under `strace -f`
(no network) in a scratch workspace holding `.env` and `lnk -> .env`. Two spec entries let a
link through, both shown by effect:

* node (interpreters.yaml): `--experimental-specifier-resolution=lit`. node 18 takes the next
  word as the value; node 20 (installed here) keeps the option as a no-op flag, so `node
  --experimental-specifier-resolution lnk README.md` ran `lnk` as the script: node opened
  .env and, on a syntax error, printed its line. The word is now checked as a file read,
  which covers both versions' readings.
* ctest (build.yaml): `-I=lit`. ctest's `-I [Start,End,Stride,…|Test file]` takes a file of
  test numbers: `ctest -I lnk` opened .env. `-I|--tests-information` is now a read.

A second sweep gave each of those options the value `@lnk`: the programs that expand `@FILE`
into the words it holds (GCC, binutils, rustc, pytest and mypy through argparse, ruff, tsc…)
were refused `@FILE` as an operand (exec.compiler-response-file) but not as an option's
value: `pytest --maxfail @lnk README.md` printed `invalid int value: 'SECRET=1'`, `gcc -x
@lnk README.md` printed `language SECRET=1 not recognized` (allowed for contributors; every
pytest and gcc option with a value the same), and zip's `-x @lnk` / `-i @lnk` read its
pattern list from the link. A rule now refuses `@…` as the value of any option of those
programs (`option_values` key `*`: the value of any option), zip included.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from tests.policy.scratch_repo import GIT_ENV as _GIT_ENV
from tests.policy.scratch_repo import scratch_repo
from tests.policy.verdicts import exec_verdict

ROLES = ("contributor", "viewer")


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


def _make_ws(root: Path) -> Path:
    files = {".env": "SECRET=1 tok\n", "README.md": "readme\n", "package.json": '{"name": "x"}\n'}
    files["src/a.js"] = "console.log('a')\n"
    links = {"lnk": ".env", "cfg/l2": "../.env", "out": "/etc/hostname"}
    return scratch_repo(root, files, links)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _make_ws(tmp_path_factory.mktemp("rt21") / "ws")


def _v(policy: Policy, ws: Path, command: str, role: str = "contributor") -> Verdict:
    return exec_verdict(policy, ws, command, role)[0]


# ---- node: an option node 20 takes as a flag, the next word run as the script -------------
NODE_LINKED = [
    "node --experimental-specifier-resolution lnk",
    "node --experimental-specifier-resolution lnk README.md",
    "node --experimental-specifier-resolution lnk a b c",
    "nodejs --experimental-specifier-resolution lnk",
    "node --no-warnings --experimental-specifier-resolution lnk",
    "node --experimental-specifier-resolution --no-warnings lnk",
    "node --experimental-specifier-resolution cfg/l2",
    "node --experimental-specifier-resolution ./lnk",
    "node --experimental-specifier-resolution cfg/../lnk",
    "node --experimental-specifier-resolution out",
    "node --experimental-specifier-resolution .env",
    "node --enable-source-maps --experimental-specifier-resolution lnk x",
    "node --experimental-specifier-resolution lnk --flag",
    "node --trace-warnings --experimental-specifier-resolution lnk",
    "node --stack-size=900 --experimental-specifier-resolution lnk",
    "node --experimental-specifier-resolution lnk < /dev/null",
    "node --experimental-specifier-resolution node lnk",  # node 18: `node` the value, lnk run
    "node --experimental-specifier-resolution=node lnk",
    "node --experimental-specifier-resolution=explicit cfg/l2",
    "node --experimental-specifier-resolution=lnk src/a.js",
    "node --experimental-specifier-resolution src/a.js lnk",
    "cd cfg && node --experimental-specifier-resolution l2",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", NODE_LINKED)
def test_node_specifier_resolution_word_is_checked_as_a_file(
    policy: Policy, ws: Path, command: str, role: str
) -> None:
    assert _v(policy, ws, command, role) != Verdict.ALLOW, command


# ---- ctest: -I takes a file of test numbers --------------------------------------------------
CTEST_LINKED = [
    "ctest -I lnk",
    "ctest -Ilnk",
    "ctest -I cfg/l2",
    "ctest -I ./lnk",
    "ctest -I cfg/../lnk",
    "ctest -I out",
    "ctest -I .env",
    "ctest -I lnk --output-on-failure",
    "ctest --output-on-failure -I lnk",
    "ctest -V -I lnk",
    "ctest -I lnk -R unit",
    "ctest -R unit -I lnk",
    "ctest -I lnk -U -R x",
    "ctest --test-dir build -I lnk",
    "ctest -C Release -I lnk",
    "ctest -N -I lnk",
    "ctest --tests-information lnk",
    "ctest --tests-information=lnk",
    "ctest -Q -I lnk",
    "ctest --timeout 5 -I lnk",
    "cd cfg && ctest -I l2",
    "ctest -E slow -I lnk",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", CTEST_LINKED)
def test_ctest_tests_information_file_is_a_read(
    policy: Policy, ws: Path, command: str, role: str
) -> None:
    assert _v(policy, ws, command, role) != Verdict.ALLOW, command


# ---- response files (@FILE) given as an option's value ------------------------------------
AT_VALUES = [
    "pytest -k @lnk README.md",
    "pytest --maxfail @lnk README.md",
    "pytest -m @lnk tests",
    "pytest -W @lnk",
    "pytest --deselect @lnk tests",
    "pytest -n @lnk",
    "pytest --durations @lnk tests",
    "pytest -k @cfg/l2 tests",
    "pytest -q -k @lnk",
    "py.test -k @lnk tests",
    "py.test --log-level @lnk",
    "gcc -x @lnk README.md",
    "gcc -std @lnk a.c",
    "gcc -D @lnk a.c",
    "gcc -MT @lnk -c a.c",
    "g++ -x @lnk README.md",
    "cc -U @lnk a.c",
    "gcc -o @lnk a.c",
    "mypy --python-version @lnk src",
    "ruff check --select @lnk src",
    "zip -x @lnk o.zip README.md",
    "zip --exclude @lnk o.zip README.md",
    "zip -i @lnk o.zip README.md",
    "zip --include=@lnk o.zip README.md",
    "zip -r o.zip src -x @lnk",
    "zip -x@lnk o.zip README.md",
]


@pytest.mark.parametrize("command", AT_VALUES)
def test_response_file_as_an_option_value_is_refused(
    policy: Policy, ws: Path, command: str
) -> None:
    assert _v(policy, ws, command) != Verdict.ALLOW, command


# strings (binutils) is in the viewer's read-only table: `strings -n @lnk README.md` printed
# `invalid integer argument SECRET=1`, allowed for viewer (the operand rule did not see it)
STRINGS_AT_VALUES = [
    "strings -n @lnk README.md",
    "strings --bytes @lnk README.md",
    "strings -t @lnk README.md",
    "strings --radix @lnk README.md",
    "strings -e @lnk README.md",
    "strings --encoding @lnk README.md",
    "strings -s @lnk README.md",
    "strings --output-separator @lnk README.md",
    "strings -a -n @lnk README.md",
    "strings -n @cfg/l2 README.md",
    "strings -f -e @lnk README.md",
    "strings -n @lnk",
    "strings -n @.env README.md",
    "strings -n @out README.md",
    "strings -t @lnk -n 8 README.md",
    "strings -n 8 -t @lnk README.md",
    "strings -s @lnk -a README.md",
    "strings --bytes @lnk src/a.js",
    "strings -e @lnk src/a.js README.md",
    "strings -w -n @lnk README.md",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", STRINGS_AT_VALUES)
def test_strings_response_file_as_an_option_value_is_refused(
    policy: Policy, ws: Path, command: str, role: str
) -> None:
    assert _v(policy, ws, command, role) != Verdict.ALLOW, command


# ---- git: operands git opens by their path (the spec's `read`), not pathspecs ---------------
GIT_READ_OPERANDS = [
    "git apply --stat lnk",
    "git apply --numstat lnk",
    "git apply --summary lnk",
    "git apply --check lnk",
    "git apply --stat cfg/l2",
    "git apply --stat ./lnk",
    "git apply --stat cfg/../lnk",
    "git apply --stat lnk README.md",
    "git apply --stat README.md lnk",
    "git apply -v --check lnk",
    "git apply --stat --recount lnk",
    "git apply --check --allow-empty lnk",
    "git apply --stat .env",
    "git interpret-trailers lnk",
    "git interpret-trailers cfg/l2",
    "git interpret-trailers --only-input lnk",
    "git interpret-trailers --parse lnk",
    "git interpret-trailers --unfold lnk",
    "git interpret-trailers --trailer 'x: y' lnk",
    "git interpret-trailers --in-place lnk",
    "git interpret-trailers --no-divider --only-trailers lnk",
    "git interpret-trailers README.md lnk",
    "cd cfg && git interpret-trailers l2",
    "git -C cfg interpret-trailers l2",
]


@pytest.mark.parametrize("command", GIT_READ_OPERANDS)
def test_git_operands_it_opens_are_checked_against_the_secrets(
    policy: Policy, ws: Path, command: str
) -> None:
    assert _v(policy, ws, command) != Verdict.ALLOW, command


# ---- controls: everyday commands still pass ------------------------------------------------
CONTROLS = [
    "node --experimental-specifier-resolution=node src/a.js",
    "node --experimental-specifier-resolution node src/a.js",
    "node src/a.js",
    "node --no-warnings src/a.js",
    "ctest -I 1,5",
    "ctest -I 1,5,,2,4",
    "ctest -I 3",
    "ctest -R unit --output-on-failure",
    "ctest --output-on-failure",
    "jq -r .name package.json",
    "sed -n 1p README.md",
    "head -n 1 README.md",
    "sort -k 1 README.md",
    "cat README.md",
    "pytest -k 'not slow' tests",
    "pytest -q -x --maxfail 1 tests",
    "pytest -W error -m unit tests",
    "gcc -x c -std=c11 -c a.c",
    "zip -r o.zip src -x '*.pyc'",
    "zip -x '*.pyc' -r o.zip src",
    "git apply --stat src/a.js",
    "git interpret-trailers README.md",
    "git add lnk",
    "git rm --cached lnk",
    "git diff lnk",
    "git log -- lnk",
]


@pytest.mark.parametrize("command", CONTROLS)
def test_everyday_commands_still_pass(policy: Policy, ws: Path, command: str) -> None:
    assert _v(policy, ws, command) == Verdict.ALLOW, command


VIEWER_CONTROLS = [
    "strings -n 8 README.md",
    "strings -t x README.md",
    "jq -r .name package.json",
    "head -n 1 README.md",
    "cat README.md",
    "grep -n readme README.md",
]


@pytest.mark.parametrize("command", VIEWER_CONTROLS)
def test_viewer_everyday_commands_still_pass(policy: Policy, ws: Path, command: str) -> None:
    assert _v(policy, ws, command, "viewer") == Verdict.ALLOW, command


# ---- by effect: the real programs ------------------------------------------------------------
def _run(ws: Path, argv: list[str]) -> tuple[str, list[str]]:
    """stdout and stderr of ``argv`` run in ``ws`` under strace, and the paths it opened."""
    log = ws.parent / "strace.log"
    out = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=openat,open", "-o", str(log), *argv],
        cwd=ws,
        env={**os.environ, **_GIT_ENV, "HOME": str(ws.parent)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    opened = []
    for line in log.read_text().splitlines():
        m = re.search(r'open(?:at)?\((?:AT_FDCWD, )?"([^"]*)"', line)
        if m and "= -1" not in line:
            opened.append(m.group(1))
    return out.stdout + out.stderr, opened


def _node_20() -> bool:
    node = shutil.which("node")
    if node is None:
        return False
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    return version.startswith("v2")


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
@pytest.mark.skipif(not _node_20(), reason="node 20 or later is not installed")
def test_node_ran_the_linked_env_as_its_script_by_effect(policy: Policy, ws: Path) -> None:
    command = "node --experimental-specifier-resolution lnk README.md"
    output, opened = _run(ws, command.split())
    assert "SECRET=1 tok" in output  # the syntax error quotes the .env line
    assert any(p.endswith("/.env") for p in opened)
    for role in ROLES:
        assert _v(policy, ws, command, role) != Verdict.ALLOW
    output, opened = _run(ws, "node --experimental-specifier-resolution=node src/a.js".split())
    assert output == "a\n" and not any(p.endswith(".env") for p in opened)
    assert _v(policy, ws, "node --experimental-specifier-resolution=node src/a.js") == (
        Verdict.ALLOW
    )


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
@pytest.mark.skipif(shutil.which("ctest") is None, reason="ctest is not installed")
def test_ctest_opened_the_linked_env_by_effect(policy: Policy, ws: Path) -> None:
    _, opened = _run(ws, ["ctest", "-I", "lnk"])
    assert "lnk" in opened
    for role in ROLES:
        assert _v(policy, ws, "ctest -I lnk", role) != Verdict.ALLOW
    _, opened = _run(ws, ["ctest", "-I", "1,5"])
    assert "lnk" not in opened and ".env" not in opened
    assert _v(policy, ws, "ctest -I 1,5") == Verdict.ALLOW


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")
def test_gcc_option_value_response_file_printed_the_secret_by_effect(
    policy: Policy, ws: Path
) -> None:
    output, opened = _run(ws, ["gcc", "-x", "@lnk", "README.md"])
    assert "SECRET=1" in output and "lnk" in opened
    assert _v(policy, ws, "gcc -x @lnk README.md") != Verdict.ALLOW


def test_pytest_option_value_response_file_printed_the_secret_by_effect(
    policy: Policy, ws: Path
) -> None:
    import sys

    argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--maxfail", "@lnk"]
    output, opened = _run(ws, [*argv, "README.md"])
    assert "invalid int value: 'SECRET=1" in output and "lnk" in opened
    assert _v(policy, ws, "pytest --maxfail @lnk README.md") != Verdict.ALLOW
    assert _v(policy, ws, "pytest --maxfail 1 README.md") == Verdict.ALLOW


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
@pytest.mark.skipif(shutil.which("strings") is None, reason="binutils is not installed")
def test_strings_option_value_response_file_printed_the_secret_by_effect(
    policy: Policy, ws: Path
) -> None:
    output, opened = _run(ws, ["strings", "-n", "@lnk", "README.md"])
    assert "SECRET=1" in output and "lnk" in opened
    for role in ROLES:
        assert _v(policy, ws, "strings -n @lnk README.md", role) != Verdict.ALLOW
    assert _v(policy, ws, "strings -n 8 README.md", "viewer") == Verdict.ALLOW


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_git_interpret_trailers_printed_the_linked_secret_by_effect(
    policy: Policy, ws: Path
) -> None:
    output, opened = _run(ws, ["git", "interpret-trailers", "lnk"])
    assert "SECRET=1" in output and "lnk" in opened
    _, opened = _run(ws, ["git", "apply", "--stat", "lnk"])
    assert "lnk" in opened
    for command in ("git interpret-trailers lnk", "git apply --stat lnk"):
        assert _v(policy, ws, command) != Verdict.ALLOW, command
    assert _v(policy, ws, "git interpret-trailers README.md") == Verdict.ALLOW
