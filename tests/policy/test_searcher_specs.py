"""Issue 10, classes 4 and 9: one option spec per searcher (`policy/searchers.py`), read by the
one option parser, checked against the programs installed here (GNU grep 3.8, ag 2.2.0,
ripgrep 13) and by effect: over every option their `--help` lists, a search the policy allows
never prints a secret (a `.env` canary, `.aws/credentials`, a link to one); one that prints it
is denied. ack, pt, sift and ugrep are not installed: their specs (from their sources and
manual) are checked for what they refuse and which files their options read.

Found and closed, each shown by effect against a control:

* grep's --include/--exclude filters were read from the words alone: `grep -r -e
  --exclude=credentials -e AKIA .` (the first `--exclude=…` is a pattern) left
  `.aws/credentials` out of the tree check: allowed for contributor and viewer, and grep
  printed the key (the control `grep -r -e AKIA .` is denied).
* ag takes the next word of `-A`/`-B`/`-C` when it is a number (`ag -A 3 PAT`): the reader
  took `3` for the pattern and `PAT` for the path, so `ag --hidden -A 3 AKIA` (which searched
  `.` and printed the key) was asked, not denied.
* git config: the read actions were listed twice and differed on -l/--list; the viewer's
  `git config --get-regexp NAME VALUE-PATTERN` was refused (it only reads).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from enforcement_agent.policy.searchers import (
    SEARCHERS,
    file_options,
    search_of,
    searcher_spec,
)
from tests.policy.conftest import POLICY_DIR
from tests.policy.scratch_repo import GIT_ENV, scratch_repo
from tests.policy.verdicts import exec_verdict

CANARY = "c4n4ry0000secret"
PATTERN = "0000secret"  # matches the canary's lines; an error message naming it is no leak
INSTALLED = tuple(p for p in ("grep", "ag", "rg") if shutil.which(p))
_OPT = re.compile(r"(?<![\w\[-])(--?(?:\[no\])?[A-Za-z0-9.][\w.-]*)")
_UNKNOWN = re.compile(
    r"unrecognized option|invalid option|unknown option|wasn't expected|not expected", re.I
)


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with a `.env` canary, `.aws/credentials` and a link to the `.env`."""
    root = tmp_path_factory.mktemp("searchers") / "ws"
    for rel, text in {
        ".env": f"TOKEN={CANARY}\n",
        ".aws/credentials": f"aws_secret_access_key={CANARY}\n",
        "src/a.py": "match\n",
        "src/b.txt": "3\nmatch\n",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    os.symlink("../.env", root / "src/link.txt")
    return root


def _help_options(program: str) -> set[str]:
    out = subprocess.run(
        [program, "--help"], capture_output=True, text=True, errors="replace", timeout=20
    ).stdout
    names: set[str] = set()
    for line in out.splitlines():
        s = line.strip()
        if not s.startswith("-"):
            continue
        for m in _OPT.findall(s if program == "rg" else s.split("  ")[0]):
            m = m if m == "-." else m.rstrip(".")
            if m.startswith("--[no]"):
                names |= {"--" + m[6:], "--no" + m[6:]}
            elif m != "-NUM":
                names.add(m)
    return names


# ---- the specs against the installed programs ------------------------------------------------
@pytest.mark.parametrize("program", INSTALLED)
def test_every_option_of_the_help_is_in_the_spec(program: str) -> None:
    names = _help_options(program)
    assert len(names) > 40, program
    spec = searcher_spec(program)
    assert sorted(n for n in names if n not in spec.exact) == [], program


@pytest.mark.parametrize("program", INSTALLED)
def test_every_long_option_of_the_spec_is_the_programs(program: str, tmp_path: Path) -> None:
    """Each long spelling the spec lists is one the program accepts (a spec that knows an
    option the program does not would read its words differently)."""
    spec = searcher_spec(program)
    wrong = []
    for name, opt in spec.exact.items():
        if not name.startswith("--") or opt.exits:
            continue
        word = name + ("=1" if opt.kind is not None else "")
        run = subprocess.run(
            [program, word, "-e" if program != "ag" else "--", "zz", str(tmp_path)],
            capture_output=True,
            text=True,
            errors="replace",
            stdin=subprocess.DEVNULL,
            timeout=20,
        )
        if _UNKNOWN.search(run.stderr):
            wrong.append((word, run.stderr[:80]))
    assert wrong == [], program


@pytest.mark.parametrize("program", INSTALLED)
def test_short_values_are_required_where_the_program_requires_them(
    program: str, tmp_path: Path
) -> None:
    """A short option given as the last word: the program asks for a value exactly when the
    spec reads one (ag's -A/-B/-C take one only when the next word is a number)."""
    spec = searcher_spec(program)
    s = SEARCHERS[program]
    wrong = []
    for name, opt in spec.exact.items():
        if len(name) != 2 or name[1] == "-" or opt.exits or name in s.numeric_next:
            continue
        run = subprocess.run(
            [program, "zz", str(tmp_path), name],
            capture_output=True,
            text=True,
            errors="replace",
            stdin=subprocess.DEVNULL,
            timeout=20,
        )
        asks = bool(
            re.search(r"requires an argument|requires a value|argument required", run.stderr)
        )
        if asks != (opt.kind is not None and not opt.optional):
            wrong.append((name, opt.kind, run.stderr[:60]))
    assert wrong == [], program


def test_ag_file_types_are_the_installed_ones() -> None:
    from enforcement_agent.policy.searchers import AG_TYPES

    out = subprocess.run(["ag", "--list-file-types"], capture_output=True, text=True).stdout
    assert set(AG_TYPES) == set(re.findall(r"^  --(\S+)", out, re.M))


def test_the_policy_specs_read_options_as_the_searcher_specs() -> None:
    """The argument specs that allow grep (viewer) and rg (viewer, contributor) list options
    the searcher specs know, each taking a value exactly where the searcher spec reads one
    (`-uu`/`-uuu` are clusters of -u; rg's `-d` is ripgrep 14's, refused by rg 13 and by the
    path checks)."""
    import yaml

    from enforcement_agent.policy.specs_loader import load_spec_files

    files = yaml.safe_load((POLICY_DIR / "default.yaml").read_text())["exec"]["program_files"]
    tables = load_spec_files([(POLICY_DIR / f, "default.yaml", None) for f in files])
    checked = 0
    for table in (tables.read_only, tables.programs):
        for name in ("grep", "egrep", "fgrep", "rg"):
            spec = table.get(name)
            if spec is None:
                continue
            ours = searcher_spec(name)
            for option, opt in spec.exact.items():
                if option in ("-uu", "-uuu", "-d") and name == "rg":
                    continue
                mine = ours.exact.get(option)
                assert mine is not None, (name, option)
                assert (opt.kind is None) == (mine.kind is None), (name, option)
                assert opt.kind is None or opt.optional == mine.optional, (name, option)
                checked += 1
    assert checked > 300


# ---- by effect: every --help option, a secret printed is never allowed ----------------------
def _forms(program: str) -> list[list[str]]:
    """The option words to try: each option of the help, alone or with a value (spaced, and
    glued for a short one): a number, the secret's name, the link's."""
    spec = searcher_spec(program)
    out: list[list[str]] = []
    for name in sorted(_help_options(program)):
        opt = spec.exact[name]
        if opt.exits:
            continue
        if opt.kind is None or opt.optional:
            out.append([name])
        if opt.kind is not None:
            # (an optional value is a number: ag loops for ever on `--after=X`)
            for value in ("3",) if opt.optional else ("3", ".env", "src/link.txt"):
                if opt.optional or (name.startswith("--") and value != "3"):
                    out.append([f"{name}={value}"] if name.startswith("--") else [name + value])
                if not opt.optional:
                    out.append([name, value])
        if name in SEARCHERS[program].numeric_next:
            out.append([name, "3"])
    return out


def _tails(program: str) -> list[list[str]]:
    if program == "grep":
        return [
            ["-r", PATTERN, "."],
            ["-r", PATTERN, "src"],
            ["-r", "-e", PATTERN, ".aws"],
            [PATTERN, "src/a.py", "src/b.txt"],  # no secret: allowed unless an option reads one
        ]
    hidden = "--hidden" if program != "rg" else "-uu"
    return [[PATTERN], [PATTERN, "src"], [hidden, PATTERN], [PATTERN, "src/a.py", "src/b.txt"]]


@pytest.mark.parametrize("program", INSTALLED)
def test_no_allowed_search_prints_a_secret(policy: Policy, ws: Path, program: str) -> None:
    roles = ("contributor", "viewer") if program in ("grep", "rg") else ("contributor",)
    leaks, allowed, tried = [], 0, 0
    deadline = time.monotonic() + 150  # bounded: a few hundred runs per program
    for form in _forms(program):
        for tail in _tails(program):
            if time.monotonic() > deadline:
                break
            argv = [program, *form, *tail]
            command = " ".join(argv)
            run = subprocess.run(
                argv,
                cwd=ws,
                capture_output=True,
                stdin=subprocess.DEVNULL,
                timeout=20,
            )
            tried += 1
            printed = CANARY in (run.stdout + run.stderr).decode(errors="replace")
            for role in roles:
                verdict = exec_verdict(policy, ws, command, role)[0]
                allowed += verdict is Verdict.ALLOW
                if printed and verdict is not Verdict.DENY:
                    leaks.append((role, command, verdict.name))
    assert tried > 150, (program, tried)
    assert leaks == [], (program, len(leaks), leaks[:40])
    if program != "ag":  # ag is no allowed program (it is asked)
        assert allowed > 50, (program, allowed)


CONTROLS = (
    # (command, what it prints): the bypasses of this pass and their controls
    ("grep -r -e --exclude=credentials -e c4n4ry .", True),
    ("grep -r --regexp --exclude-dir=.aws -e c4n4ry .", True),
    ("grep -r -e c4n4ry --exclude=credentials --exclude=.env --exclude=link.txt .", False),
    ("ag --hidden -A 3 c4n4ry", True),
    ("ag --hidden -iA 3 c4n4ry", True),
    ("ag --hidden --after 3 c4n4ry", False),  # --after takes only `=N`: `3` is the pattern
)


@pytest.mark.parametrize(("command", "prints"), CONTROLS)
def test_bypasses_of_this_pass(policy: Policy, ws: Path, command: str, prints: bool) -> None:
    run = subprocess.run(
        command.split(), cwd=ws, capture_output=True, stdin=subprocess.DEVNULL, timeout=20
    )
    assert (CANARY in run.stdout.decode(errors="replace")) is prints, command
    verdict = exec_verdict(policy, ws, command)[0]
    assert (verdict is Verdict.DENY) if prints else (verdict is not Verdict.DENY), command


# ---- the specs' readings -----------------------------------------------------------------
READINGS = (
    ("grep", "-r -T PAT .aws src", (".aws", "src"), True),
    ("grep", "-rePAT .aws", (".aws",), True),
    ("grep", "-d rec PAT .", (".",), True),
    ("grep", "--directories=s PAT .", (".",), False),
    ("grep", "-n PAT a.txt", ("a.txt",), False),
    ("rgrep", "PAT", (".",), True),
    ("ag", "-A 3 PAT", (".",), True),
    ("ag", "-A PAT src", ("src",), True),
    ("ag", "--after 3 PAT", ("PAT",), True),
    ("ag", "-pA 3 src", ("src",), True),  # -p takes `A`; `3` is the pattern
    ("rg", "-r $0 PAT", (".",), True),
    ("rg", "--files .ssh", (".ssh",), True),
    ("ack", "-A 3 PAT src", ("src",), True),
    ("ack", "--context 3 PAT", (".",), True),
    ("ack", "-f src", ("src",), True),
    ("pt", "-A=3 PAT src", ("src",), True),
    ("pt", "-g PAT src", ("src",), True),
    ("sift", "--targets src", ("src",), True),
    ("ugrep", "-C PAT src", ("src",), True),  # -C takes its number only attached
    ("ugrep", "-e PAT src lib", ("src", "lib"), True),
)


@pytest.mark.parametrize(("program", "words", "starts", "recursive"), READINGS)
def test_starts_as_the_programs_read_them(
    program: str, words: str, starts: tuple[str, ...], recursive: bool
) -> None:
    search = search_of(program, tuple(words.split()))
    assert not isinstance(search, str), search
    assert (search.starts, search.recursive) == (starts, recursive)


FILES = (
    ("grep", "-f.env x", ".env"),
    ("grep", "--exclude-from .env -r x", ".env"),
    ("grep", "--exclude-f=.env x", ".env"),
    ("rg", "--ignore-file .env x", ".env"),
    ("ag", "-p .env x", ".env"),
    ("ag", "--path-to=.env x", ".env"),
    ("ack", "--files-from=.env x", ".env"),
    ("pt", "--vcs-ignore=.env x", ".env"),
    ("sift", "-f .env", ".env"),
    ("ugrep", "--include-from=.env x", ".env"),
    ("ugrep", "--ignore-files=.env x", ".env"),
)


@pytest.mark.parametrize(("program", "words", "file"), FILES)
def test_files_options_read(program: str, words: str, file: str) -> None:
    search = search_of(program, tuple(words.split()))
    assert not isinstance(search, str), search
    assert [w.text for w in search.files] == [file]


REFUSED = (
    ("ag", "--pager=cat x"),  # runs a command
    ("ack", "--pager=cat x"),
    ("ack", "--ackrc=.env x"),  # loads options (a pager among them)
    ("ugrep", "--filter=txt:cat x"),
    ("ugrep", "--config=.env x"),
    ("ugrep", "--save-config x"),
    ("ugrep", "-Q x"),
    ("sift", "-o out x"),  # writes a file or connects to a host
    ("sift", "--write-config x"),
    ("rg", "--rep x y"),  # no abbreviations
    ("pt", "--hid x"),
    ("grep", "--binary-fi"),  # a missing value
    ("grep", "--no x"),  # ambiguous
    ("ug", "x src"),  # loads a .ugrep option file
)


@pytest.mark.parametrize(("program", "words"), REFUSED)
def test_words_outside_the_specs_are_unreadable(program: str, words: str) -> None:
    assert isinstance(search_of(program, tuple(words.split())), str)


def test_every_spec_builds_and_names_its_files() -> None:
    for program in SEARCHERS:
        spec = searcher_spec(program)
        assert spec.exact and file_options(program) <= {o.canonical for o in spec.exact.values()}
    assert file_options("grep") == {"-f", "--exclude-from"}
    assert file_options("rg") == {"-f", "--ignore-file"}
    assert file_options("ag") == {"-p"}


def test_uninstalled_searchers_refuse_secret_files(policy: Policy, ws: Path) -> None:
    for command in (
        "ack --files-from=.env x",
        "pt --vcs-ignore .env x src",
        "sift -f .env src",
        "ugrep --exclude-from=src/link.txt x src",
        "ack --pager=cat x src",
    ):
        assert exec_verdict(policy, ws, command)[0] is Verdict.DENY, command


# ---- git config ------------------------------------------------------------------------------
def _git(repo: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "HOME": str(repo.parent)}
    return subprocess.run(
        ["git", *argv], cwd=repo, env=env, capture_output=True, text=True, timeout=20
    )


GIT_CONFIG = (
    # (command, viewer allowed, contributor allowed)
    ("git config --get-regexp user x", True, True),
    ("git config --get-regexp core ^false", True, True),
    ("git config --get core.bare fal", True, True),
    ("git config --get-all user.name x", True, True),
    ("git config -l pull.rebase interactive", True, True),  # git refuses: exit 129
    ("git config --list core.hooksPath /tmp/h", True, True),
    ("git config user.name x", False, True),
    ("git config pull.rebase interactive", False, False),
)


def test_git_config_reads_are_decided_by_what_git_does(
    policy: Policy, tmp_path_factory: pytest.TempPathFactory
) -> None:
    repo = scratch_repo(
        tmp_path_factory.mktemp("gitcfg") / "ws", {"README.md": "x\n", "src/a.py": "x\n"}
    )
    before = (repo / ".git/config").read_text()
    for command, viewer, contributor in GIT_CONFIG:
        got = tuple(
            exec_verdict(policy, repo, command, role)[0] is Verdict.ALLOW
            for role in ("viewer", "contributor")
        )
        assert got == (viewer, contributor), command
        if viewer:  # what the viewer may run changes nothing
            _git(repo, *command.split()[1:])
            assert (repo / ".git/config").read_text() == before, command
    done = _git(repo, "config", "-l", "pull.rebase", "interactive")
    assert done.returncode == 129 and "wrong number of arguments" in done.stderr


def test_one_list_of_git_config_reads() -> None:
    from enforcement_agent.policy import exec_eval, git_remotes

    assert exec_eval.GIT_CONFIG_READS is git_remotes.GIT_CONFIG_READS
    assert {"-l", "--list", "--get-regexp"} <= git_remotes.GIT_CONFIG_READS


# ---- speed -------------------------------------------------------------------------------
def test_searches_are_decided_quickly(policy: Policy, ws: Path) -> None:
    commands = [
        "grep -rn match src",
        "rg -n match src",
        "ag -A 3 match src",
        "grep -e a -e b src/a.py",
        "rg --files src",
    ]
    for c in commands:
        exec_verdict(policy, ws, c)  # warm
    n = 200
    start = time.process_time()
    for k in range(n):
        exec_verdict(policy, ws, commands[k % len(commands)] + f" src/x{k}")
    per = (time.process_time() - start) / n
    # CPU time of this process (the decider runs in it): a loaded host stretches wall time
    # (5 ms a decision at load 8 on 2 cores), not the work a decision takes
    assert per < 0.002, per
