"""Twenty-third red-team pass (command policy, 2026-12-05), issue 10 classes 4 and 9: the option
readers that were still hand-written after the twentieth pass, against the programs installed
here (GNU tar 1.34, rsync 3.5.0, fd 8.6.0, cpio 2.13, ag 2.2, bsdtar 3.6, git 2.39).

A differential run (every option each program prints in --help, in every spelling — short,
clustered behind a flag, attached, `=VALUE`, the value in the next word, unique-prefix
abbreviations — given a file value naming `.env`, a workspace symlink `lnk -> .env`, a link
out of the workspace and `@lnk`, and each option followed by a file option of the program;
about 42,000 commands, decided as contributor and viewer) allowed 2,479 of them; each was run
under `strace -f -y -e trace=openat,open,execve` with no network in a copy of the workspace,
and none opened `.env` or the file outside, printed `SECRET=1` or stored it in a file. The
generic pattern-option skip (`_PATTERN_OPTIONS`: the word after `-g`, `--include`, `-name` …)
over 90 programs (37,440 commands, 2,356 allowed and run) found none either; nor did the links
inside a copied tree (`tar -h` / `--dereference` / `chf`, `rsync -L` / `--copy-links` /
`--copy-l`, `fd -L`) nor tar's `--transform` on extraction. The argument specs of tar, rsync
and fd refuse every option they do not list, and the hand readers behind them held.

The hand readers of tar, rsync and fd (`_OPTION_FILES`, and `_FOLLOW_SHORT` for tar and
rsync) are replaced by their whole option tables on the shared parser (write_targets
`_OPTIONS`) all the same, so the path checks no longer depend on the argument spec being
narrower than the program, and an audit keeps the tables true to the programs.

Two probes of the specs against the programs then found, by effect:

* git (class 4, contributor): blame's `--reverse` (a flag to git) and rev-parse's `--since`,
  `--glob`, `--exclude`, `--disambiguate` (attached only) were read as taking the next word:
  `git blame --reverse -S LINK README.md` printed `bad graft data: SECRET=1`, `git rev-parse
  --since --resolve-git-dir LINK` opened the .env.
* jq (class 9, viewer and contributor): with `-f`, the operand after the program file was
  still read as the (unchecked) filter, and jq 1.6's `-f` is a flag: `jq -R -f prog.jq LINK`
  printed `"SECRET=1"`, `jq -f -n LINK` printed the .env in its compile error.
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
from enforcement_agent.policy.shell import Word
from enforcement_agent.policy.tree_readers import follows_links
from enforcement_agent.policy.write_targets import _OPTIONS, reader_args
from tests.policy.conftest import POLICY_DIR
from tests.policy.scratch_repo import GIT_ENV as _GIT_ENV
from tests.policy.scratch_repo import scratch_repo
from tests.policy.verdicts import exec_verdict

ROLES = ("contributor", "viewer")
FD = shutil.which("fdfind") or shutil.which("fd") or "fdfind"


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


def _make_ws(root: Path) -> Path:
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text("OUTSIDE=1\n")
    files = {".env": "SECRET=1\n", "src/a": "a\nTODO x\n", "src/b.py": "b = 1\n"}
    files |= {"okn.txt": "*.pyc\n", "README.md": "readme\n", "CLAUDE.md": "# c\n"}
    links = {"lnk": ".env", "out": str(outside / "secret.txt")}
    scratch_repo(root, files, links, dirs=["dst"], branch="main")
    subprocess.run(["tar", "-czf", "a.tgz", "src"], cwd=root, check=True)
    subprocess.run(["tar", "-cf", "a.tar", "src"], cwd=root, check=True)
    return root


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _make_ws(tmp_path_factory.mktemp("rt23") / "ws")


def _v(policy: Policy, ws: Path, command: str, role: str = "contributor") -> Verdict:
    return exec_verdict(policy, ws, command, role)[0]


def _w(text: str) -> list[Word]:
    return [Word(t) for t in text.split()]


# ---- the tables read as the programs read them ---------------------------------------------
def _values(program: str, text: str) -> list[tuple[str, str]]:
    parsed = reader_args(program, _w(text))
    assert not isinstance(parsed, str), (program, text, parsed)
    return [(o, v) for o, v, _ in parsed.options if v is not None]


def test_tar_table_reads_clusters_old_letters_and_abbreviations() -> None:
    assert ("-X", "lnk") in _values("tar", "-cf o.tar -X lnk src")
    assert ("-X", "lnk") in _values("tar", "-cf o.tar -Xlnk src")
    assert ("-X", "lnk") in _values("tar", "cfX o.tar lnk src")  # old-style: in order
    assert ("-f", "o.tar") in _values("tar", "cfX o.tar lnk src")
    assert ("-f", "X") in _values("tar", "-cfX o.tar lnk")  # getopt: the rest of the cluster
    assert ("-X", "lnk") in _values("tar", "--exclude-fr=lnk -cf x src")  # GNU abbreviation
    assert ("-T", "lnk") in _values("tar", "-c --files-f lnk -f x")
    assert ("-g", "lnk") in _values("tar", "-c --listed=lnk -f x src")
    assert isinstance(reader_args("tar", _w("-cf x --exc lnk src")), str)  # ambiguous
    assert isinstance(reader_args("tar", _w("-cf x --frobnicate src")), str)


def test_rsync_and_fd_tables_take_no_abbreviation() -> None:
    assert ("--exclude-from", "lnk") in _values("rsync", "-a --exclude-from lnk src/ dst/")
    assert ("--files-from", "lnk") in _values("rsync", "-a --files-from=lnk src/ dst/")
    assert ("-f", "x") in _values("rsync", "-avfx src/ dst/")  # -f is --filter, x its rule
    assert isinstance(reader_args("rsync", _w("--exclude-fr=lnk src/ dst/")), str)
    assert ("--ignore-file", "lnk") in _values("fd", "--ignore-file lnk x")
    assert ("-e", "py") in _values("fdfind", "-He py")
    assert isinstance(reader_args("fdfind", _w("--ignore-f lnk")), str)
    assert isinstance(reader_args("fdfind", _w("-x cat")), str)  # a command: never read here


@pytest.mark.parametrize(
    ("program", "text", "follows"),
    [
        ("tar", "-chf o.tar src", True),
        ("tar", "chf o.tar src", True),
        ("tar", "-cf o.tar --dereference src", True),
        ("tar", "-cf o.tar --deref src", True),
        ("tar", "-c --file=h src", False),  # the archive's name, not -h
        ("tar", "cf h src", False),
        ("tar", "-cf o.tar --hard-dereference src", False),
        ("tar", "-cf o.tar --frob src", True),  # unreadable: counted as following
        ("rsync", "-aL src/ dst/", True),
        ("rsync", "-a --copy-links src/ dst/", True),
        ("rsync", "-a --copy-unsafe-links src/ dst/", True),
        ("rsync", "-ak src/ dst/", True),
        ("rsync", "-a --copy-dirlinks src/ dst/", True),
        ("rsync", "-a --exclude L src/ dst/", False),
        ("rsync", "-a src/ dst/", False),
    ],
)
def test_follow_options_read_with_the_tables(program: str, text: str, follows: bool) -> None:
    assert follows_links(program, tuple(text.split())) is follows, text


# ---- the policy: file options in every spelling -------------------------------------------
def _spellings(short: str, long: str, value: str) -> list[str]:
    out = [f"--{long}={value}", f"--{long} {value}"]
    if short:
        out += [f"-{short} {value}", f"-{short}{value}"]
    return out


TAR_READS = [
    f"tar -cf o.tar {s} src"
    for v in (".env", "lnk", "out")
    for s in _spellings("X", "exclude-from", v) + _spellings("T", "files-from", v)
] + [
    "tar cfX o.tar lnk src",
    "tar cXf lnk o.tar src",
    "tar -cvf o.tar --exclude-fr=lnk src",
    "tar -cf o.tar --files-f lnk",
    "tar -cf o.tar -g lnk src",
    "tar -cf o.tar --listed-incremental=lnk src",
    "tar -chf o.tar lnk",
    "tar -tf lnk",
    "tar -xf out -C dst",
]
RSYNC_READS = [
    f"rsync -a {s} src/ dst/"
    for v in (".env", "lnk", "out")
    for s in _spellings("", "exclude-from", v) + _spellings("", "include-from", v)
] + ["rsync -a --files-from=lnk . dst/", "rsync -a lnk dst/", "rsync -aL lnk dst/"]
FD_READS = [f"{fd} {s}" for fd in ("fd", "fdfind") for s in _spellings("", "ignore-file", "lnk")]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", TAR_READS + RSYNC_READS + FD_READS)
def test_file_options_of_tar_rsync_fd_are_reads(
    policy: Policy, ws: Path, command: str, role: str
) -> None:
    assert _v(policy, ws, command, role) != Verdict.ALLOW, command


EVERYDAY = [
    "tar -xzf a.tgz",
    "tar -czf out.tgz src",
    "tar czf out.tgz src",
    "tar -tzf a.tgz",
    "tar xvf a.tar -C dst",
    "tar -cf out.tar --exclude='*.pyc' src",
    "tar -cf out.tar -X okn.txt src",
    "tar -chf out.tar src",
    "rsync -av src/ dst/",
    "rsync -avz --delete src/ dst/",
    "rsync -a --exclude-from=okn.txt src/ dst/",
    "rsync -aL src/ dst/",
    "fd -e py",
    "fdfind -e py",
    "fdfind -H -t f TODO src",
    "fdfind --ignore-file okn.txt py",
    "git branch --merged main",
    "git branch --contains HEAD",
    "git tag --points-at HEAD",
    "git for-each-ref --merged main",
    "git log --since 2020-01-01 --oneline",
]


@pytest.mark.parametrize("command", EVERYDAY)
def test_everyday_lines_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    assert _v(policy, ws, command) == Verdict.ALLOW, command


# ---- by effect: what the refused ones do -------------------------------------------------
def _run(ws: Path, argv: list[str]) -> tuple[str, list[str]]:
    """stdout+stderr of ``argv`` run in ``ws`` under strace, and the real paths it opened."""
    log = ws.parent / "strace.log"
    env = {**os.environ, **_GIT_ENV, "HOME": str(ws.parent), "GIT_PAGER": "cat"}
    out = subprocess.run(
        ["strace", "-f", "-qq", "-y", "-e", "trace=openat,open", "-o", str(log), *argv],
        cwd=ws,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    opened = re.findall(r"= \d+<([^>]*)>", log.read_text())
    return out.stdout + out.stderr, opened


@pytest.mark.parametrize(
    "command",
    [
        "tar -cf o.tar -X lnk src",
        "tar cfX o.tar lnk src",
        "tar -cf o.tar --exclude-fr=lnk src",
        "rsync -a --exclude-from=lnk src/ dst/",
        "rsync -a --include-from lnk src/ dst/",
        f"{FD} --ignore-file lnk py",
    ],
)
def test_refused_file_options_open_the_secret_by_effect(
    policy: Policy, tmp_path: Path, command: str
) -> None:
    scratch = _make_ws(tmp_path / "ws")
    _, opened = _run(scratch, command.split())
    assert str(scratch / ".env") in opened, command  # what the decision keeps out
    for role in ROLES:
        assert _v(policy, scratch, command.replace(FD, "fdfind"), role) != Verdict.ALLOW


@pytest.mark.parametrize(
    "command",
    ["tar -czf out.tgz src", "tar -cf out.tar -X okn.txt src", "rsync -av src/ dst/",
     f"{FD} -e py"],
)  # fmt: skip
def test_everyday_lines_open_no_secret_by_effect(
    policy: Policy, tmp_path: Path, command: str
) -> None:
    scratch = _make_ws(tmp_path / "ws")
    out, opened = _run(scratch, command.split())
    assert "SECRET=1" not in out
    assert not [p for p in opened if p.endswith("/.env") or "outside" in p], command
    assert _v(policy, scratch, command.replace(FD, "fdfind")) == Verdict.ALLOW


# ---- the audit: the tables against the installed programs --------------------------------
_LAST_WORD = {
    # the option is put last, after words that make a complete command without it
    "tar": ["tar", "-c", "-f", "/dev/null", "src"],
    "rsync": ["rsync", "-n", "src/", "dst/"],
    "fd": [FD],
}
_NEEDS_VALUE = re.compile(
    r"requires an argument|needs an argument|missing argument|requires a value|"
    r"argument required|expects? (an )?argument|value is required|requires at least",
    re.I,
)


def _table_options(program: str) -> list[tuple[str, bool]]:
    """(option name, takes a required value) for every name in ``program``'s table."""
    out = []
    for entry in _OPTIONS[program]:
        m = re.match(r"([^=\[!]+)(!?)(\[?=)?", entry)
        assert m, entry
        required = m.group(3) == "="
        out += [(n, required) for n in m.group(1).split("|")]
    return out


@pytest.mark.parametrize("program", sorted(_LAST_WORD))
def test_table_values_are_required_where_the_programs_require_them(
    program: str, tmp_path: Path
) -> None:
    """Each option a table reads as taking a value is given to the installed program as the
    *last* word: the program must refuse it (accepting it means the value is optional or the
    option is a flag, and the table would read the next word as a value the program does not
    take). And no option the table reads as a flag may make the program ask for a value."""
    scratch = _make_ws(tmp_path / "ws")
    env = {**os.environ, "HOME": str(tmp_path)}
    wrong: list[str] = []
    checked = 0
    for name, required in _table_options(program):
        if name in ("-?", "--help", "--usage", "--version", "-V", "-h", "--show-defaults"):
            continue
        if program == "tar" and name in ("-w", "--interactive", "--confirmation", "-M"):
            continue  # asks on the terminal for each member
        (scratch / "src").mkdir(exist_ok=True)  # `tar --remove-files` removed it
        (scratch / "src/a").write_text("a\n")
        argv = [*_LAST_WORD[program], name]
        run = subprocess.run(
            argv, cwd=scratch, env=env, stdin=subprocess.DEVNULL, capture_output=True,
            text=True, timeout=30,
        )  # fmt: skip
        checked += 1
        said = run.stdout + run.stderr
        if required and run.returncode == 0:
            wrong.append(f"{program} {name}: accepted without its value")
        if not required and _NEEDS_VALUE.search(said):
            wrong.append(f"{program} {name}: a flag in the table, the program wants a value")
    assert checked > {"tar": 150, "rsync": 150, "fd": 40}[program]
    assert wrong == []


@pytest.mark.parametrize("program", sorted(_LAST_WORD))
def test_table_options_exist_in_the_installed_program(program: str, tmp_path: Path) -> None:
    """Every long option of a table is one the installed program knows by that whole name
    (rsync and fd take no abbreviation: a name they do not know is refused by them, and a
    table that lists it would read a word the program refuses)."""
    scratch = _make_ws(tmp_path / "ws")
    out = subprocess.run(
        [_LAST_WORD[program][0], "--help"], capture_output=True, text=True, cwd=scratch,
        timeout=30,
    )  # fmt: skip
    listed = set(re.findall(r"(--[A-Za-z0-9][\w-]*)", out.stdout + out.stderr))
    missing = [n for n, _ in _table_options(program) if n.startswith("--") and n not in listed]
    assert missing == []


# ---- the generic pattern options, for programs read with a table ---------------------------
def test_pattern_option_skip_follows_the_tables() -> None:
    """`_PATTERN_OPTIONS` skips the word after `-g`, `--include`, `--exclude` … as a pattern
    for every program; for a program read with its table the word is skipped only where the
    table says the option takes it (tree's `-g` and fd's `-g` are flags)."""
    from enforcement_agent.policy.write_targets import takes_next_word

    assert takes_next_word("rg", "-g") and takes_next_word("rg", "--glob")
    assert takes_next_word("grep", "--include") and takes_next_word("tar", "--exclude")
    assert takes_next_word("rsync", "--exclude") and takes_next_word("fd", "--exclude")
    assert not takes_next_word("tree", "-g") and not takes_next_word("fd", "-g")
    assert not takes_next_word("grep", "--color")  # only attached
    assert not takes_next_word("du", "--frobnicate")


@pytest.mark.parametrize(
    "command",
    ["tree -g .env", "tree -g lnk", "tree -g out", "fdfind -g .env", "fd -g .env src"],
)  # fmt: skip
def test_a_flag_of_a_tabled_program_hides_no_secret_name(
    policy: Policy, ws: Path, command: str
) -> None:
    for role in ROLES:
        assert _v(policy, ws, command, role) != Verdict.ALLOW, command


@pytest.mark.parametrize(
    "command",
    ["rg -g '*.py' TODO src", "rg -g '!.env' TODO src", "fdfind -g '*.py'",
     "grep -r --include='*.py' TODO src", "rsync -a --exclude=.env src/ dst/",
     "fdfind -E .git -e py"],
)  # fmt: skip
def test_pattern_values_stay_patterns(policy: Policy, ws: Path, command: str) -> None:
    assert _v(policy, ws, command) == Verdict.ALLOW, command


# ---- git's next-word values: --contains, --merged, --points-at, --since … -----------------
_NEXT_WORD_GIT = frozenset({"--contains", "--no-contains", "--merged", "--no-merged",
                            "--points-at", "--since", "--after", "--until", "--before",
                            "--since-as-filter"})  # fmt: skip
_NOT_AN_OPTION = ("unknown option", "unrecognized argument", "unknown switch")


def test_git_next_word_values_are_read_as_git_reads_them(tmp_path: Path) -> None:
    """Every git subcommand spec (git.yaml, read-only.yaml) listing one of these options,
    against the installed git, given a word no git command knows as the next word: where the
    spec reads the option as taking the next word, git must take it too (no "unknown option");
    where the spec reads it as a flag or `[=VALUE]` only (git's last-argument default: git
    takes the next word when there is one), git must refuse the word as a value (not an
    object name), so a word the spec reads as an option or an argument is never one git
    acts on as the value."""
    from tests.policy.test_twentieth_pass_options import _effective_options

    repo = _make_ws(tmp_path / "ws")
    env = {**os.environ, **_GIT_ENV, "HOME": str(tmp_path), "GIT_PAGER": "cat"}
    wrong: list[str] = []
    checked = 0
    for name in ("git.yaml", "read-only.yaml"):
        table = _effective_options((name,) if name == "git.yaml" else ("git.yaml", name))
        for sub, opts in sorted(table.items()):
            for opt, spec in sorted(opts.items()):
                if opt not in _NEXT_WORD_GIT:
                    continue
                run = subprocess.run(
                    ["git", sub, opt, "--rt23-no-such-option"], cwd=repo, env=env,
                    capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=30,
                )  # fmt: skip
                if "is not a git command" in run.stderr:
                    continue  # an alias the spec lists (`br`)
                checked += 1
                # not taken: refused as an option, or passed through as an argument (git
                # rev-parse echoes what it does not parse: its --since takes only `=DATE`)
                took = not any(s in run.stderr for s in _NOT_AN_OPTION) and (
                    "--rt23-no-such-option" not in run.stdout
                )
                spec_takes = re.search(r"[^\[]=", spec) is not None
                if spec_takes and not took:
                    wrong.append(f"{name}: git {sub} {opt} ({spec}): git does not take it")
                if not spec_takes and took and run.returncode == 0:
                    wrong.append(f"{name}: git {sub} {opt} ({spec}): git took a value")
    assert checked > 40
    assert wrong == []


# ---- class 4: git spec values git does not take from the next word -------------------------
# Found by the audit below: blame's `--reverse` is a flag in git 2.39 (the range is an
# argument) and rev-parse takes `--since`, `--glob`, `--exclude`, `--disambiguate` only as
# `--opt=VALUE` (a separate `--since` is passed through as an argument); the specs read the
# next word as their value, so the option after it went unchecked. `git blame --reverse -S
# LINK README.md` printed `error: bad graft data: SECRET=1` (contributor, allowed), and `git
# rev-parse --since --resolve-git-dir LINK` opened the .env the link names.
GIT_SWALLOWED = [
    "git blame --reverse -S lnk README.md",
    "git blame --reverse -Slnk README.md",
    "git blame --reverse -S out README.md",
    "git blame --reverse --ignore-revs-file lnk README.md",
    "git blame --reverse --ignore-revs-file=lnk README.md",
    "git annotate --reverse -S lnk README.md",
    "git blame -w --reverse -S lnk README.md",
    *(
        f"git rev-parse {o} --resolve-git-dir {v}"
        for o in ("--since", "--after", "--until", "--before", "--glob", "--exclude",
                  "--disambiguate")
        for v in ("lnk", "out")
    ),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", GIT_SWALLOWED)
def test_git_values_git_does_not_take_hide_no_option(
    policy: Policy, ws: Path, command: str, role: str
) -> None:
    assert _v(policy, ws, command, role) != Verdict.ALLOW, command


GIT_EVERYDAY = [
    "git blame --reverse HEAD README.md",
    "git rev-parse --since=2020-01-01",
    "git rev-parse --glob='refs/heads/*'",
    "git rev-parse --exclude='refs/tags/*' --all",
    "git rev-parse --disambiguate=abcd",
    "git rev-parse --show-toplevel",
    "git log --glob refs/heads --oneline",
]


@pytest.mark.parametrize("command", GIT_EVERYDAY)
def test_git_everyday_values_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    assert _v(policy, ws, command) == Verdict.ALLOW, command


def test_git_blame_reverse_then_revs_file_printed_the_secret_by_effect(
    policy: Policy, tmp_path: Path
) -> None:
    scratch = _make_ws(tmp_path / "ws")
    out, opened = _run(scratch, "git blame --reverse -S lnk README.md".split())
    assert "SECRET=1" in out and str(scratch / ".env") in opened
    out, opened = _run(scratch, "git rev-parse --since --resolve-git-dir lnk".split())
    assert str(scratch / ".env") in opened
    for role in ROLES:
        assert _v(policy, scratch, "git blame --reverse -S lnk README.md", role) != Verdict.ALLOW
        assert (
            _v(policy, scratch, "git rev-parse --since --resolve-git-dir lnk", role)
            != Verdict.ALLOW
        )


_PROBE = "--rt23-no-such-option"
_NETWORK_SUBS = frozenset({"push", "fetch", "pull", "clone", "ls-remote", "submodule",
                           "remote", "bundle", "maintenance", "gc"})  # fmt: skip
# `git config --get KEY` (and --get-all, --get-regexp): git reads --get as its action and the
# key as an argument, the spec reads the key as --get's value; git allows one action at a
# time, and the options the spec then misses (`--file=LINK`, `--blob=`) are refused by the
# path checks (left: docs/policy.md, twenty-third pass).
_KNOWN = frozenset({("config", "--get"), ("config", "--get-all"), ("config", "--get-regexp")})


def test_git_spec_values_are_taken_by_git_from_the_next_word(tmp_path: Path) -> None:
    """By behaviour, over every subcommand spec of git.yaml and read-only.yaml: each option
    a spec reads as taking the next word is given to the installed git followed by a word no
    git command knows. git must take that word as the value: neither name it in an "unknown
    option" error (the option is a flag to git: blame --reverse) nor pass the option through
    as an argument (rev-parse --since, --glob). An option git refuses by itself (not in this
    git) makes the whole command fail and is not a misreading."""
    from tests.policy.test_twentieth_pass_options import _effective_options

    repo = _make_ws(tmp_path / "ws")
    env = {**os.environ, **_GIT_ENV, "HOME": str(tmp_path), "GIT_PAGER": "cat",
           "GIT_EDITOR": "true", "GIT_TERMINAL_PROMPT": "0"}  # fmt: skip
    wrong: list[str] = []
    checked = 0
    for name in ("git.yaml", "read-only.yaml"):
        table = _effective_options((name,) if name == "git.yaml" else ("git.yaml", name))
        for sub, opts in sorted(table.items()):
            if sub in _NETWORK_SUBS:
                continue
            for opt, spec in sorted(opts.items()):
                if "*" in opt or not re.search(r"[^\[]=", spec) or (sub, opt) in _KNOWN:
                    continue
                run = subprocess.run(
                    ["git", sub, opt, _PROBE], cwd=repo, env=env, capture_output=True,
                    text=True, stdin=subprocess.DEVNULL, timeout=30,
                )  # fmt: skip
                if "is not a git command" in run.stderr:
                    continue
                checked += 1
                named = re.search(
                    r"(unknown option|unrecognized argument|unknown switch)[^\n]*" + _PROBE,
                    run.stderr,
                )
                if named or opt in run.stdout.splitlines():
                    wrong.append(f"{name}: git {sub} {opt} ({spec})")
    assert checked > 1000
    assert wrong == []


# git has its own probe above; rg and fd are clap programs (clap answers `--help` wherever it
# stands, and refuses a dashed word as a value): their tables are audited by the last word.
_PROBE_SKIPS = frozenset({"git", "rg", "fd", "fdfind"})
# jq 1.6's -f/--from-file is a flag (the first operand is then the program file; jq 1.7 takes
# the next word): both readings are checked, the operand after it is a read when -f is given
# (`jq -f -n LINK` printed the .env a link names in jq's compile error, both roles: exec_eval)
_PROBE_KNOWN = frozenset({("jq", "-f"), ("jq", "--from-file")})
# procps answers `--help` wherever it stands, but its -u, -g and -s take the next word
# (`ps -u -e -p 1` reads `-e` as the user list: nothing matches); twenty-sixth pass
_PROBE_KNOWN |= {("ps", "-u"), ("ps", "-g"), ("ps", "-s")}


def test_other_specs_values_are_taken_by_the_programs_from_the_next_word(
    tmp_path: Path,
) -> None:
    """A probe like git's over every installed program of read-only.yaml and text.yaml: each
    option a spec reads as taking the next word is followed by `--help`; a program that then
    prints its usage and succeeds read `--help` as an option, so the option is a flag to it
    (or its value is optional) and the spec would hide the word after it. (clap programs
    refuse a dashed word as a value: rg and fd fail, which is no misreading; the tables of
    rg, tree, tar, rsync and fd are audited by the last word above.) Specs whose words run a
    command are left out (their values are commands or code)."""
    import yaml

    (tmp_path / "f").write_text("x\n")
    wrong: list[str] = []
    checked = 0
    for fn in ("read-only.yaml", "text.yaml"):
        data = yaml.safe_load((POLICY_DIR / "programs" / fn).read_text())
        groups = data.get("groups", {}) or {}
        for prog, spec in (data.get("programs") or data.get("read_only") or {}).items():
            exe = shutil.which(prog)
            if not isinstance(spec, dict) or prog in _PROBE_SKIPS or exe is None:
                continue
            opts = [o for o in spec.get("options", []) if isinstance(o, str)]
            for g in spec.get("use", []) or []:
                opts += [o for o in groups.get(g, []) if isinstance(o, str)]
            if any(k in str(spec) for k in ("=command", "=shell", "=code", "=script")):
                continue
            for entry in opts:
                if not re.search(r"[^\[]=", entry):
                    continue
                for name in re.split(r"[=\[]", entry)[0].split("|"):
                    if "*" in name or not name.startswith("-") or (prog, name) in _PROBE_KNOWN:
                        continue
                    try:
                        run = subprocess.run(
                            [exe, name, "--help", "f"], cwd=tmp_path, capture_output=True,
                            text=True, stdin=subprocess.DEVNULL, timeout=10,
                        )  # fmt: skip
                    except subprocess.TimeoutExpired:
                        continue
                    checked += 1
                    if run.returncode == 0 and re.search(r"usage", run.stdout, re.I):
                        wrong.append(f"{fn}: {prog} {name} ({entry})")
    assert checked > 200
    assert wrong == []


# ---- class 9: jq's program file, and the operand after it ---------------------------------
JQ_READS = [
    "jq -f -n lnk",
    "jq -f -r lnk",
    "jq --from-file -n lnk",
    "jq -f -n out",
    "jq -f prog.jq lnk",
    "jq -f prog.jq out",
    "jq --from-file=prog.jq lnk",
    "jq -f prog.jq -r lnk",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", JQ_READS)
def test_jq_operands_after_a_program_file_are_reads(
    policy: Policy, ws: Path, command: str, role: str
) -> None:
    (ws / "prog.jq").write_text(".\n")
    assert _v(policy, ws, command, role) != Verdict.ALLOW, command


@pytest.mark.parametrize(
    "command", ["jq -f prog.jq src/a", "jq -n -f prog.jq", "jq . README.md", "jq -f prog.jq"]
)
def test_jq_everyday_stays_allowed(policy: Policy, ws: Path, command: str) -> None:
    (ws / "prog.jq").write_text(".\n")
    assert _v(policy, ws, command) == Verdict.ALLOW, command


def test_jq_flag_f_printed_the_linked_secret_by_effect(policy: Policy, tmp_path: Path) -> None:
    scratch = _make_ws(tmp_path / "ws")
    (scratch / "prog.jq").write_text(".\n")
    out, opened = _run(scratch, ["jq", "-f", "-n", "lnk"])
    assert "SECRET=1" in out and str(scratch / ".env") in opened  # jq 1.6: -f is a flag
    out, opened = _run(scratch, ["jq", "-R", "-f", "prog.jq", "lnk"])
    assert "SECRET=1" in out and str(scratch / ".env") in opened
    for role in ROLES:
        assert _v(policy, scratch, "jq -f -n lnk", role) != Verdict.ALLOW
        assert _v(policy, scratch, "jq -R -f prog.jq lnk", role) != Verdict.ALLOW
