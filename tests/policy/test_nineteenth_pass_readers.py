"""Nineteenth red-team pass (command policy, 2026-12-05), issue 10 class 4: the hand-written
option readers of path_checks (`_OPTION_FILES`, `_NAME_LISTS`) against the programs installed
here (GNU grep 3.8, coreutils 9.1 du/wc/sort/checksums, findutils 4.9 xargs, diffutils 3.8).

A differential run (every option of each program, in every spelling — short, clustered,
attached, long, each abbreviation, `=VALUE` — followed by a file option naming .env, decided
as contributor and viewer, and each allowed one run under strace) found:

* grep: the reader took `--binary` (grep's own flag, -U) for an abbreviation of
  `--binary-files` and so the next word for its value: `grep --binary -f.env F` read .env's
  lines as grep's patterns (shown by effect: grep opens .env and prints the guessed line of F
  that is in .env), allowed, while `grep -f.env F` was refused.
* du: `du --b -X.env`, `--t`, `--ti`, `--tim`, `--e` (ambiguous abbreviations: du reports the
  error only after its loop, and has already opened the -X file) were allowed.

These programs are now read by the shared parser with their whole option tables
(write_targets READER_TABLES); an option outside a table, an ambiguous abbreviation or a
missing value makes the command undecidable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from tests.policy.verdicts import exec_verdict

ROLES = ("contributor", "viewer")


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt19") / "ws"
    (root / "src").mkdir(parents=True)
    (root / "lib").mkdir()
    (root / ".aws").mkdir()
    (root / ".env").write_text("SECRET=1\n")
    (root / ".aws/credentials").write_text("[default]\naws_secret_access_key=AKIAXXSECRET\n")
    (root / "src/a").write_text("a\nTODO x\n")
    (root / "src/b").write_text("b\n")
    (root / "lib/a").write_text("a\n")
    (root / "src/guess").write_text("SECRET=0\nSECRET=1\nSECRET=2\n")
    (root / "src/names0").write_bytes(b"src/a\0src/b\0")
    (root / "src/secret0").write_bytes(b".env\0")
    (root / "README.md").write_text("readme\n")
    (root / "CLAUDE.md").write_text("# c\n")
    return root


# ---- grep: a flag that is a prefix of an option with a value ------------------------------
GREP_READS = [
    "grep --binary -f.env src/guess",
    "grep --binary -f .env src/guess",
    "grep -n --binary -f.env src/guess",
    "grep --binary -if.env src/guess",
    "grep --binary -nf.env src/guess",
    "grep --binary --file=.env src/guess",
    "grep --binary --exclude-from=.env -r x src",
    "egrep --binary -f.env src/guess",
    "fgrep --binary -f.env src/guess",
    "grep -U -f.env src/guess",
    "grep -Uf.env src/guess",
    "grep --binary -f.aws/credentials src/guess",
    "grep --binary -e x -f.env src/guess",
    "grep --bina -f.env src/guess",
    "grep --binary -5f.env src/guess",
    "grep -5f.env src/guess",
    "grep -y -f.env src/guess",
    "grep -yf.env src/guess",
    "grep -X grep -f.env src/guess",
    "grep -u -f.env src/guess",
    "grep --unix-byte-offsets -f.env src/guess",
    "grep --no-group-separator -f.env src/guess",
    "grep --group-separator=x -f.env src/guess",
    "grep --line-buffered -f.env src/guess",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", GREP_READS)
def test_grep_option_files_are_read_as_grep_reads_them(
    policy: Policy, ws: Path, command: str, role: str
) -> None:
    assert exec_verdict(policy, ws, command, role)[0] != Verdict.ALLOW, command


# ---- spellings the tables cannot read: undecidable ---------------------------------------
UNREADABLE = [
    "du --b -X.env src",
    "du --t -X.env src",
    "du --ti -X.env src",
    "du --tim -X.env src",
    "du --e -X.env src",
    "du --ex -X.env src",
    "du --d -X.env src",
    "grep --bin -f.env src/guess",
    "grep --f=.env src/guess",
    "grep --nu -f.env src/guess",
    "grep --no -f.env src/guess",
    "grep --in x src/a",
    "grep --frobnicate x src/a",
    "grep -K x src/a",
    "grep -f",
    "wc --frob src/a",
    "wc -q src/a",
    "sort --zz src/a",
    "sort -j src/a",
    "xargs --max echo",
    "xargs -Q echo",
    "sha256sum -l 8 src/a",
    "sha256sum --length=8 src/a",
    "b2sum -a sha256 src/a",
    "cksum --frob src/a",
    "du --frob src",
]


@pytest.mark.parametrize("command", UNREADABLE)
def test_words_a_table_cannot_read_are_not_allowed(policy: Policy, ws: Path, command: str) -> None:
    assert exec_verdict(policy, ws, command)[0] != Verdict.ALLOW, command


# ---- file options and name lists, every spelling the tables read -------------------------
TABLED_READS = [
    "du -X.env src",
    "du -aX.env src",
    "du -shX.env src",
    "du --exclude-from=.env src",
    "du --exclude-f=.env src",
    "du --time -X.env src",
    "du --time=atime -aX.env src",
    "wc --files0-from=src/secret0",
    "wc --files0=src/secret0",
    "wc --f=src/secret0",
    "wc --files0-from src/secret0",
    "xargs -a.env echo",
    "xargs -0a.env echo",
    "xargs -ta.env echo",
    "xargs -ra.env echo",
    "xargs --arg-file=.env echo",
    "xargs --arg=.env echo",
    "xargs --max-lines -a.env echo",
    "xargs --replace -a.env echo",
    "xargs --eof -a.env echo",
    "xargs -l -a.env echo",
    "xargs -i -a.env echo",
    "xargs -e -a.env echo",
    "diff -X.env src lib",
    "diff -rX.env src lib",
    "diff --color -X.env src/a lib/a",
    "grep -rf.env src",
    "grep --exclude-from=.env -r x src",
    "grep --exclude-fr=.env -r x src",
]


@pytest.mark.parametrize("command", TABLED_READS)
def test_tabled_option_files_and_lists_are_read(policy: Policy, ws: Path, command: str) -> None:
    assert exec_verdict(policy, ws, command)[0] != Verdict.ALLOW, command


# ---- everyday lines stay allowed ---------------------------------------------------------
EVERYDAY = [
    "grep -rn TODO src",
    "grep -n a src/a",
    "grep -5n a src/a",
    "grep -C2 a src/a",
    "grep -E 'a|b' src/a",
    "grep --color=auto -rn a src",
    "grep --binary a src/a",
    "grep -U a src/a",
    "grep -c a src/a src/b",
    "grep -rl --include='*.py' a src",
    "grep -v '^#' src/a",
    "grep -i todo -- src/a",
    "egrep -n 'a|b' src/a",
    "fgrep -x a src/a",
    "du -sh src",
    "du -h --max-depth=1 .",
    "du -a --time src",
    "wc -l src/a src/b",
    "wc -c README.md",
    "wc --files0-from=src/names0",
    "sort -u src/a",
    "sort -k2,2 -t, -rn src/a",
    "sha256sum src/a",
    "md5sum README.md src/a",
    "sha512sum src/a",
    "sha1sum -b src/a",
    "find src -name '*.py' | xargs -0 -n1 echo",
    "find src -name '*.py' | xargs -I{} echo {}",
    "find src -type f | xargs wc -l",
    "diff -u src/a lib/a",
]


@pytest.mark.parametrize("command", EVERYDAY)
def test_everyday_reader_lines_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    assert exec_verdict(policy, ws, command)[0] == Verdict.ALLOW, command


# ---- by effect ---------------------------------------------------------------------------
def _strace_opens(ws: Path, argv: list[str], name: str) -> bool:
    log = ws.parent / "strace.log"
    subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=open,openat", "-o", str(log), *argv],
        cwd=ws,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
    )
    return any(f'"{name}"' in ln and "= -1" not in ln for ln in log.read_text().splitlines())


@pytest.mark.skipif(shutil.which("grep") is None, reason="grep is part of the image")
def test_grep_binary_then_attached_pattern_file_prints_the_guess_by_effect(
    policy: Policy, ws: Path
) -> None:
    command = "grep --binary -f.env src/guess"
    out = subprocess.run(command.split(), cwd=ws, capture_output=True, text=True)
    assert out.stdout == "SECRET=1\n"  # the guessed line that is .env's: what was allowed
    assert (
        exec_verdict(policy, ws, "grep -f.env src/guess")[0] == Verdict.DENY
    )  # the plain spelling
    for role in ROLES:
        assert exec_verdict(policy, ws, command, role)[0] != Verdict.ALLOW
    if shutil.which("strace"):
        assert _strace_opens(ws, command.split(), ".env")


@pytest.mark.skipif(
    shutil.which("du") is None or shutil.which("strace") is None, reason="du and strace"
)
def test_du_ambiguous_abbreviation_still_opens_the_exclude_file_by_effect(
    policy: Policy, ws: Path
) -> None:
    for command in ("du --b -X.env src", "du --ti -X.env src"):
        assert _strace_opens(ws, command.split(), ".env"), command  # du opened it
        assert exec_verdict(policy, ws, command)[0] != Verdict.ALLOW, command
    assert exec_verdict(policy, ws, "du -X.env src")[0] == Verdict.DENY


@pytest.mark.skipif(shutil.which("xargs") is None, reason="xargs is part of the image")
def test_xargs_reads_options_only_before_its_command_by_effect(policy: Policy, ws: Path) -> None:
    # xargs' getopt string starts with `+`: `-a.env` after the command is the command's word
    out = subprocess.run(
        ["xargs", "-a", "src/b", "echo", "-a.env"], cwd=ws, capture_output=True, text=True
    )
    assert out.stdout == "-a.env b\n"
    env = {**os.environ, "POSIXLY_CORRECT": "1"}
    out = subprocess.run(
        ["xargs", "-t", "-a.env", "echo"], cwd=ws, capture_output=True, text=True, env=env
    )
    assert "SECRET=1" in out.stdout  # -a.env before the command is read, POSIX or not
    assert exec_verdict(policy, ws, "xargs -t -a.env echo")[0] == Verdict.DENY


# ---- xargs: which word is the command ----------------------------------------------------
# GNU xargs' `--max-lines` and `--replace` take a value only attached (`--max-lines=2`); the
# argument spec had them take the next word, so in `xargs --max-lines cp echo CLAUDE.md` the
# policy decided `echo CLAUDE.md` while xargs ran `cp echo CLAUDE.md`.
XARGS_COMMANDS = [
    "xargs --max-lines cp echo CLAUDE.md < /dev/null",
    "xargs --max-lines cp echo .git/hooks/pre-commit < /dev/null",
    "xargs --max-lines mv echo .git/hooks/pre-commit < /dev/null",
    "xargs --max-lines rm echo CLAUDE.md < /dev/null",
    "xargs --max-lines perl echo < /dev/null",
    "xargs --max-lines ruby echo < /dev/null",
    "xargs --max-lines tee echo CLAUDE.md < /dev/null",
    "xargs --max-lines ln -sf echo .git/hooks/pre-commit < /dev/null",
    "xargs --max-lines cp echo CLAUDE.md",
    "xargs -r --max-lines cp echo CLAUDE.md < /dev/null",
    "xargs -0 --max-lines cp echo CLAUDE.md < /dev/null",
    "xargs --max-lines -0 cp echo CLAUDE.md < /dev/null",
    "xargs --max-lines -- cp echo CLAUDE.md < /dev/null",
    "xargs -t --max-lines cp echo CLAUDE.md < /dev/null",
    "echo x | xargs --replace cp echo CLAUDE.md",
    "echo x | xargs --replace cp echo .git/hooks/pre-commit",
    "echo x | xargs --replace mv echo CLAUDE.md",
    "echo x | xargs --replace cp echo .github/workflows/ci.yml",
    "echo x | xargs --replace rm echo CLAUDE.md",
    "echo x | xargs -r --replace cp echo CLAUDE.md",
    "echo x | xargs --replace -0 cp echo CLAUDE.md",
    "find . -name x | xargs --replace cp echo CLAUDE.md",
]


@pytest.mark.parametrize("command", XARGS_COMMANDS)
def test_xargs_command_after_an_optional_value_long_is_decided(
    policy: Policy, ws: Path, command: str
) -> None:
    assert exec_verdict(policy, ws, command)[0] != Verdict.ALLOW, command


XARGS_EVERYDAY = [
    "xargs --max-lines=1 echo",
    "xargs -L 1 echo",
    "xargs -L1 echo",
    "find src -name '*.py' | xargs -I{} echo {}",
    "find src -name '*.py' | xargs --replace echo {}",
    "find src -name '*.py' | xargs --replace=@ echo @",
    "find src -name '*.py' | xargs --max-lines=2 wc -l",
    "find src -type f -print0 | xargs -0 wc -l",
]


@pytest.mark.parametrize("command", XARGS_EVERYDAY)
def test_everyday_xargs_lines_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    assert exec_verdict(policy, ws, command)[0] == Verdict.ALLOW, command


@pytest.mark.skipif(shutil.which("xargs") is None, reason="xargs is part of the image")
def test_xargs_max_lines_runs_the_word_after_it_by_effect(policy: Policy, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    subprocess.run(["git", "init", "-q", "."], cwd=ws, check=True)
    (ws / "CLAUDE.md").write_text("# ok\n")
    (ws / "echo").write_text("#!/bin/sh\necho HOOK-RAN\n")
    (ws / "echo").chmod(0o755)
    plain = "xargs cp echo .git/hooks/pre-commit < /dev/null"
    assert exec_verdict(policy, ws, plain)[0] != Verdict.ALLOW
    for command in (
        "xargs --max-lines cp echo CLAUDE.md < /dev/null",
        "xargs --max-lines cp echo .git/hooks/pre-commit < /dev/null",
    ):
        subprocess.run(["bash", "-c", command], cwd=ws, check=True)
        assert exec_verdict(policy, ws, command)[0] != Verdict.ALLOW, command
    assert (ws / "CLAUDE.md").read_text().startswith("#!/bin/sh")  # xargs ran cp, not echo
    assert os.access(ws / ".git/hooks/pre-commit", os.X_OK)  # an executable hook


# ---- a glob that expands to an option-shaped file name -----------------------------------
# bash expands the glob before the program reads its options: with a file named `-r` in the
# workspace, `grep -h hunter *` is `grep -h hunter -r cfg …` and reads cfg/.env.
@pytest.fixture(scope="module")
def dash_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt19dash") / "ws"
    (root / "cfg").mkdir(parents=True)
    (root / "cfg/.env").write_text("DB_PASSWORD=hunter2\n")
    (root / "src").mkdir()
    (root / "src/a.txt").write_text("a\n")
    (root / "notes.txt").write_text("n\n")
    (root / "-r").write_text("")
    return root


OPTION_GLOBS = [
    "grep -h hunter *",
    "grep hunter *",
    "grep -n hunter *",
    "grep -il hunter *",
    "egrep hunter *",
    "grep hunter ?r",
    "grep hunter [-]r",
    "grep hunter -*",
    "grep hunter * notes.txt",
    "wc -l *",
    "cat *",
    "ls *",
    "du *",
    "head *",
    "tail *",
    "sort *",
    "md5sum *",
    "file *",
    "stat *",
    "find * -name x",
    "find -- * -name x",
    "rm *",
    "cp * /tmp/x",
    "rg hunter *",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", OPTION_GLOBS)
def test_a_glob_expanding_to_an_option_is_undecidable(
    policy: Policy, dash_ws: Path, command: str, role: str
) -> None:
    assert exec_verdict(policy, dash_ws, command, role)[0] != Verdict.ALLOW, command


GLOB_EVERYDAY = [
    "grep -h hunter -- *",
    "wc -l -- *",
    "grep -n a *.txt",
    "cat src/*",
    "ls ./*",
    "wc -l src/*.txt",
    "grep -n a notes.txt src/a.txt",
]


@pytest.mark.parametrize("command", GLOB_EVERYDAY)
def test_globs_that_cannot_expand_to_an_option_stay_allowed(
    policy: Policy, dash_ws: Path, command: str
) -> None:
    assert exec_verdict(policy, dash_ws, command)[0] == Verdict.ALLOW, command


def test_globs_stay_allowed_without_option_shaped_names(policy: Policy, ws: Path) -> None:
    for command in ("grep -n a src/*", "wc -l *", "ls *", "cat src/*"):
        assert exec_verdict(policy, ws, command)[0] == Verdict.ALLOW, command


@pytest.mark.skipif(shutil.which("grep") is None, reason="grep is part of the image")
def test_glob_expanding_to_dash_r_prints_a_nested_secret_by_effect(
    policy: Policy, dash_ws: Path
) -> None:
    out = subprocess.run(
        ["bash", "-c", "grep -h hunter *"], cwd=dash_ws, capture_output=True, text=True
    )
    assert "DB_PASSWORD=hunter2" in out.stdout  # what was allowed, for viewer too
    assert (
        exec_verdict(policy, dash_ws, "grep -rh hunter cfg")[0] == Verdict.DENY
    )  # the plain spelling
    for role in ROLES:
        assert exec_verdict(policy, dash_ws, "grep -h hunter *", role)[0] != Verdict.ALLOW


@pytest.fixture()
def bare_ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "cfg").mkdir(parents=True)
    (root / "cfg/.env").write_text("DB_PASSWORD=hunter2\n")
    (root / "notes.txt").write_text("n\n")
    return root


# the option-shaped name made by an earlier command of the same line
MADE_IN_THE_LINE = [
    "touch ./-r; grep -h hunter *",
    "touch -- -r && grep -h hunter *",
    "echo > ./-r; grep -h hunter *",
    ": > ./-r; grep -h hunter *",
    "cp notes.txt ./-r; grep -h hunter *",
    "mv notes.txt ./-r; grep -h hunter *",
    "mkdir ./-r; grep -h hunter *",
    "touch ./-R && wc -l *",
    "touch ./-r & grep -h hunter *",
    "for i in 1 2; do grep -h hunter *; touch ./-r; done",
    "ln -s notes.txt ./-r; cat *",
    "install -m 644 notes.txt ./-r && grep hunter *",
]


@pytest.mark.parametrize("command", MADE_IN_THE_LINE)
def test_a_glob_after_a_command_that_may_make_an_option_name_is_undecidable(
    policy: Policy, bare_ws: Path, command: str
) -> None:
    assert exec_verdict(policy, bare_ws, command)[0] != Verdict.ALLOW, command


@pytest.mark.parametrize(
    "command",
    [
        "grep -n hi * && touch x",
        "mkdir -p out && cp cfg/* out/",
        "touch a.txt && grep -n a -- *",
        "cd cfg && ls *",
        "grep -h n *",
    ],  # fmt: skip
)
def test_globs_without_an_earlier_maker_stay_allowed(
    policy: Policy, bare_ws: Path, command: str
) -> None:
    assert exec_verdict(policy, bare_ws, command)[0] == Verdict.ALLOW, command


@pytest.mark.skipif(shutil.which("grep") is None, reason="grep is part of the image")
def test_touch_dash_r_then_glob_prints_the_secret_by_effect(policy: Policy, bare_ws: Path) -> None:
    command = "touch -- -r && grep -h hunter *"
    out = subprocess.run(["bash", "-c", command], cwd=bare_ws, capture_output=True, text=True)
    assert "DB_PASSWORD=hunter2" in out.stdout
    (bare_ws / "-r").unlink()
    assert exec_verdict(policy, bare_ws, command)[0] != Verdict.ALLOW
