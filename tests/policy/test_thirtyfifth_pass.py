"""Thirty-fifth red-team pass (2026-12-05), issue 10 classes 3, 8 and 9: words the parser
reads differently from bash, and filename patterns the policy matched differently from bash.

Found, each shown by effect here with the real bash 5.2 (and GNU grep and find) run in a
temporary directory against a control, all allowed on the tree before this pass:

* class 3/8, one word read as two. tree-sitter-bash ends a word at `[\\`: `.e[\\n]v` became the
  words `.e[` and `n]v` with nothing between them, where bash has the one glob `.e[n]v`, which
  matches `.env`. `cat .e[\\n]v` printed the secret (viewer too), `echo x >> CLAUD[\\E].md`
  appended to CLAUDE.md, and `rm -rf .g[\\i]t` removed the repository (through `gonogo agent
  exec`, in bubblewrap: only the read-only `hooks/` survived; see the sandbox test). Two word
  nodes with no blank or operator between them are now undecidable.
* class 3, two words read as one. tree-sitter-bash reads `} [` or `] [` as one word holding a
  blank, and then `[s]ecrets.json` as a word glued to it: `cat } [s]ecrets.json` printed
  secrets.json (viewer too). A word node holding an unescaped blank is now undecidable.
* class 3, a double-quoted string of blanks. tree-sitter-bash puts `" "`'s blank into the
  closing quote token, so the policy read `" "x` as `x` (bash: ` x`). The blank is read now.
* class 3/8, brace expansion with a brace inside an item. bash expands `{a},.env}` to `a}` and
  `.env`; the policy's test wanted no brace between `{` and `,`, so `cat {a},.env}` (viewer
  too) printed .env and `rm -rf {a},.git}` was allowed. Any `{`, then `,` or `..`, then `}` in
  a word is now brace expansion (undecidable).
* class 8/9, bracket expressions. bash, find(1) and grep(1) (fnmatch) read `[[=e=]]` (an
  equivalence class) and `[[.e.]]` (a collating symbol) as `e`; the policy's glob translation
  read them as the characters `[=e=` and a `]`, which matched nothing: `cat .[[=e=]]nv` and
  `grep -r --include='.[[=e=]]nv' '' .` (viewer) and `find . -name '.[[.e.]]nv' -exec cat {} +`
  printed .env. A one-character class is now that character; a named collating element or an
  unknown character class is undecidable.
* class 3/9, zsh's numeric range globs. `zsh -c` strings are decided with bash's grammar,
  which reads `<->` and `<1-99>` as two redirections: `zsh -c 'cp id_ed<-> x'` was decided as
  `cp id_ed < - > x` and allowed; zsh copied `id_ed25519` (and `cert.p<->` matched cert.p12)
  into x. A numeric range in a `zsh -c` string is now undecidable.
* class 9, rg's `-g` globs. The name filter that says which files a whitelisting glob makes
  rg read (hidden ones too) was Python's fnmatch translation, which has no `{a,b}`, no `[^x]`,
  no backslash escape, and whose `**/` needs a `/`: as the viewer, `rg -uu -g '.e{n,x}v' K .`,
  `-g '.e[^x]v'`, `-g '.e\\nv'`, `-g '**/.e*'` and `--type-add 'x:*.{env,y}' -tx` printed .env
  (ripgrep 13). The filter now reads rg's (globset's) syntax, generously.
* class 8, globs a formatter expands itself. `prettier --write 'CLAUD{E,x}.md'`,
  `'+(CLAUDE.md)'` and `'CLAUD\\E.md'` were read as literal names (only `*?[` counted as glob
  syntax) and allowed; prettier 3 (fast-glob) rewrote CLAUDE.md with each (shown with a scratch
  install, not installed here: policy level only). Braces, extglobs and backslashes now make
  the word a glob that may match every file below its fixed prefix: a protected one asks.
* class 8, git pathspecs with a backslash. git reads a pathspec holding `\\` as a wildmatch
  pattern (`\\E` is `E`); the policy checked `git rm 'CLAUD\\E.md'` as the literal name and
  allowed it; git 2.39 removed CLAUDE.md. Such an operand of git is now undecidable.
* class 9, pathspecs over git history. Whether a pathspec leaves a committed secret out was
  decided with fnmatch, which reads wildmatch's `\\n`, `[^x]` and `[[:alpha:]]` as characters:
  the viewer's `git log -p -- '.e\\nv'` (also `git show`, `git diff` of commits) printed a
  committed .env. Such a pathspec now counts as reaching it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from enforcement_agent.policy.globs import bash_glob
from enforcement_agent.policy.paths import expand_glob
from enforcement_agent.policy.shell import Undecidable, parse
from tests.policy.scratch_repo import GIT_ENV, scratch_repo
from tests.policy.verdicts import exec_verdict

BASH = shutil.which("bash")
SECRET = "TOKEN=rt35-secret-value"
JSON_SECRET = '{"k": "rt35-json-secret"}'

FILES = {
    "README.md": "readme\n",
    "CLAUDE.md": "# agent notes\n",
    ".github/workflows/ci.yml": "on: push\n",
    "src/a.py": "a = 1\n",
    "x.sh": "echo hi\n",
    ".env": SECRET + "\n",
    "secrets.json": JSON_SECRET + "\n",
    ".aws/config": "aws_secret_access_key = rt35-aws\n",
}


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt35")
    return scratch_repo(
        root / "ws", FILES, tracked=("README.md", "CLAUDE.md", ".github", "src", "x.sh")
    )


def _v(policy: Policy, ws: Path, command: str, role: str = "contributor") -> Verdict:
    return exec_verdict(policy, ws, command, role)[0]


def _copy(ws: Path, dest: Path) -> Path:
    shutil.copytree(ws, dest, symlinks=True)
    return dest


def _bash(cwd: Path, command: str) -> subprocess.CompletedProcess[str]:
    assert BASH is not None
    env = {"PATH": os.environ["PATH"], "HOME": str(cwd), "LC_ALL": "C.UTF-8"}
    return subprocess.run(
        [BASH, "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=30
    )


# ---- by effect: bash really reads the secret, writes the protected file ------------------------
def test_split_word_reads_the_secret_by_effect(policy: Policy, ws: Path, tmp_path: Path) -> None:
    d = _copy(ws, tmp_path / "w")
    control = "cat READM[E].md"  # the same glob shape, a harmless file: runs, allowed
    assert _bash(d, control).stdout == "readme\n"
    assert _v(policy, ws, control, "viewer") is Verdict.ALLOW
    attack = r"cat .e[\n]v"
    assert SECRET in _bash(d, attack).stdout  # bash reads one word, the glob `.e[n]v`
    assert _v(policy, ws, attack, "viewer") is Verdict.DENY
    assert _v(policy, ws, attack) is Verdict.DENY


def test_split_word_writes_and_removes_by_effect(policy: Policy, ws: Path, tmp_path: Path) -> None:
    d = _copy(ws, tmp_path / "w")
    _bash(d, r"echo injected >> CLAUD[\E].md")
    assert (d / "CLAUDE.md").read_text() == "# agent notes\ninjected\n"
    _bash(d, r"rm -rf .g[\i]t")
    assert not (d / ".git").exists()
    for attack in (r"echo injected >> CLAUD[\E].md", r"rm -rf .g[\i]t"):
        assert _v(policy, ws, attack) is Verdict.DENY, attack
    assert _v(policy, ws, "echo ok >> notes.txt") is Verdict.ALLOW  # control


def test_merged_words_read_the_secret_by_effect(policy: Policy, ws: Path, tmp_path: Path) -> None:
    d = _copy(ws, tmp_path / "w")
    attack = "cat } [s]ecrets.json"
    assert JSON_SECRET in _bash(d, attack).stdout
    assert _v(policy, ws, attack, "viewer") is Verdict.DENY
    assert _v(policy, ws, "cat [R]EADME.md", "viewer") is Verdict.ALLOW  # control


def test_brace_with_a_brace_inside_reads_the_secret_by_effect(
    policy: Policy, ws: Path, tmp_path: Path
) -> None:
    d = _copy(ws, tmp_path / "w")
    attack = "cat {a},.env}"
    assert SECRET in _bash(d, attack).stdout  # `a}` (missing) and `.env`
    assert _v(policy, ws, attack, "viewer") is Verdict.DENY
    assert _v(policy, ws, "cat README.md", "viewer") is Verdict.ALLOW


def test_equivalence_classes_read_the_secret_by_effect(
    policy: Policy, ws: Path, tmp_path: Path
) -> None:
    d = _copy(ws, tmp_path / "w")
    for attack in (
        "cat .[[=e=]]nv",
        "cat .e[[.n.]]v",
        "grep -r --include='.[[=e=]]nv' '' .",
        "find . -name '.[[.e.]]nv' -exec cat {} +",
    ):
        assert "rt35-secret-value" in _bash(d, attack).stdout, attack
        assert _v(policy, ws, attack) is Verdict.DENY, attack
    control = "grep -r --include='READ[[=M=]]E.md' '' ."
    assert "readme" in _bash(d, control).stdout
    assert _v(policy, ws, control, "viewer") is Verdict.ALLOW


ZSH = shutil.which("zsh")


@pytest.mark.skipif(ZSH is None, reason="zsh is the reference")
def test_zsh_numeric_range_copies_a_key_by_effect(policy: Policy, ws: Path, tmp_path: Path) -> None:
    assert ZSH is not None
    d = _copy(ws, tmp_path / "w")
    (d / "id_ed25519").write_text("rt35-ssh-key\n")
    env = {"PATH": os.environ["PATH"], "HOME": str(d)}
    subprocess.run([ZSH, "-fc", "cp id_ed<-> copied"], cwd=d, env=env, timeout=30, check=False)
    assert (d / "copied").read_text() == "rt35-ssh-key\n"
    assert _v(policy, ws, "zsh -c 'cp id_ed<-> copied'") is Verdict.DENY
    subprocess.run([ZSH, "-fc", "cp README.md copied2"], cwd=d, env=env, timeout=30, check=False)
    assert (d / "copied2").read_text() == "readme\n"  # control: the same copy, allowed
    assert _v(policy, ws, "zsh -c 'cp README.md copied2'") is Verdict.ALLOW


ZSH_RANGES = [
    "zsh -c 'cp id_ed<-> x'",
    "zsh -c 'cp id_ed<1-> x'",
    "zsh -c 'cp id_ed<-30000> x'",
    "zsh -c 'cp id_ed<25000-26000> x'",
    "zsh -c 'cat .e<->v'",
    "zsh -c 'cat cert.p<->'",
    "zsh -c 'cat cert.p<10-20>'",
    "zsh -c 'head cert.p<-> x'",
    "zsh -c 'mv cert.p<-> x'",
    "zsh -c 'tar cf x.tar cert.p<->'",
    "zsh -c 'zip x.zip cert.p<->'",
    "zsh -c 'cp x.sh .github/workflows/ci<->.yml'",
    "zsh -c 'echo x > CLAUDE<->.md'",
    "zsh -c 'ls; cp id_ed<-> x'",
    "zsh -c 'true && cp id_ed<-> x'",
    "zsh -fc 'cp id_ed<-> x'",
    "zsh -f -c 'cp id_ed<-> x'",
    "zsh -c 'for f in id_ed<->; do cp $f x; done'",
    "zsh -c 'cp -- id_ed<-> x'",
    "zsh -c 'cp id_<->* x'",
    "zsh -c 'cat key<->.pem'",
]


@pytest.mark.parametrize("command", ZSH_RANGES)
def test_zsh_numeric_ranges_are_undecidable(policy: Policy, ws: Path, command: str) -> None:
    assert _v(policy, ws, command) is Verdict.DENY


RG = shutil.which("rg")


@pytest.mark.skipif(RG is None, reason="rg is the reference")
def test_rg_glob_alternatives_read_the_secret_by_effect(
    policy: Policy, ws: Path, tmp_path: Path
) -> None:
    d = _copy(ws, tmp_path / "w")
    for attack in ("rg -uu -g '.e{n,x}v' T .", "rg -uu -g '**/.e*' T .", r"rg -uu -g '.e\nv' T ."):
        out = subprocess.run(
            ["bash", "-c", attack], cwd=d, capture_output=True, text=True, timeout=30,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert "rt35-secret-value" in out.stdout, attack
        assert _v(policy, ws, attack, "viewer") is Verdict.DENY, attack
    control = "rg -g '*.{py,md}' readme ."
    out = subprocess.run(
        ["bash", "-c", control], cwd=d, capture_output=True, text=True, timeout=30,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert "README.md" in out.stdout
    assert _v(policy, ws, control, "viewer") is Verdict.ALLOW


RG_GLOBS = [
    "rg -uu -g '.e{n,x}v' T .",
    "rg -uu -g '.{env,x}' T .",
    "rg -uu -g '{.env}' T .",
    "rg -uu -g '{,.}env' T .",
    "rg -uu -g '.e{,}nv' T .",
    "rg -uu -g '.e{n{v,},x}' T .",
    "rg -uu -g '.e[^x]v' T .",
    "rg -uu -g '.e[!x]v' T .",
    "rg -uu -g '.e[[:alpha:]]v' T .",
    "rg -uu -g '.e[\\n]v' T .",
    "rg -uu -g '.e\\nv' T .",
    "rg -uu -g '**/.e*' T .",
    "rg -uu -g '**/.env' T .",
    "rg -uu -g '**/{.env,x}' T .",
    "rg -uu --iglob '.E{N,X}V' T .",
    "rg --hidden -g '.e{n,}v' T .",
    "rg --hidden --no-ignore -g '{,.}env' T .",
    "rg -uu -g 'secret{s,}.json' k .",
    "rg -uu -g '.aw{s,x}/*' a .",
    "rg -uu -g '.aws/conf{ig,}' a .",
    "rg -uu --type-add 'x:.e{n,}v' -tx T .",
    "rg -uu --type-add 'x:*.{env,y}' -tx T .",
    "rg -uu -g '*.md' -g '.e{n,}v' T .",
    "rg -uu -g '.e{n' T .",
]


@pytest.mark.parametrize("command", RG_GLOBS)
def test_rg_globs_are_read_as_rg_reads_them(policy: Policy, ws: Path, command: str) -> None:
    assert _v(policy, ws, command, "viewer") is Verdict.DENY
    assert _v(policy, ws, command) is Verdict.DENY


OWN_GLOBS = [
    "prettier --write 'CLAUD{E,x}.md'",
    "prettier --write '{CLAUDE,README}.md'",
    "prettier --write 'CLAUD{E}.md'",
    "prettier --write '+(CLAUDE.md)'",
    "prettier --write '*(CLAUDE.md)'",
    "prettier --write '?(CLAUDE).md'",
    "prettier --write '!(README).md'",
    "prettier --write 'CLAUD\\E.md'",
    "prettier --write 'CLAUDE\\.md'",
    "prettier -w 'CLAUD{E,x}.md'",
    "prettier --write README.md 'CLAUD{E,x}.md'",
    "prettier --write '.github/workflows/c{i,x}.yml'",
    "prettier --write '.github/{workflows,x}/ci.yml'",
    "prettier --write '.github/workflows/c\\i.yml'",
    "prettier --write '.github/workflows/+(ci).yml'",
    "npx prettier --write 'CLAUD{E,x}.md'",
    "eslint --fix 'CLAUD{E,x}.md'",
    "eslint --fix '+(CLAUDE.md)'",
    "eslint --fix 'CLAUD\\E.md'",
    "prettier --write '{.,src}/CLAUDE.md'",
]


@pytest.mark.parametrize("command", OWN_GLOBS)
def test_globs_a_formatter_expands_itself_reach_protected_files(
    policy: Policy, ws: Path, command: str
) -> None:
    assert _v(policy, ws, command) is not Verdict.ALLOW


def test_git_pathspec_backslash_removes_a_protected_file_by_effect(
    policy: Policy, ws: Path, tmp_path: Path
) -> None:
    d = _copy(ws, tmp_path / "w")
    env = {
        **os.environ,
        "HOME": str(d),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
    }
    subprocess.run(["git", "rm", "-q", "CLAUD\\E.md"], cwd=d, env=env, timeout=30, check=True)
    assert not (d / "CLAUDE.md").exists()
    assert _v(policy, ws, "git rm 'CLAUD\\E.md'") is Verdict.DENY
    subprocess.run(["git", "rm", "-q", "x.sh"], cwd=d, env=env, timeout=30, check=True)
    assert not (d / "x.sh").exists()  # the control: removed, allowed
    assert _v(policy, ws, "git rm x.sh") is Verdict.ALLOW


GIT_BACKSLASH = [
    "git rm 'CLAUD\\E.md'",
    "git rm -q 'CLAUD\\E.md'",
    "git rm -f 'CLAUD\\E.md'",
    "git rm --cached 'CLAUD\\E.md'",
    "git rm -- 'CLAUD\\E.md'",
    "git rm -r '.githu\\b'",
    "git rm -r '.github/workflow\\s'",
    "git rm '.github/workflows/c\\i.yml'",
    "git rm ':(glob)CLAUD\\E.md'",
    "git rm ':(top)CLAUD\\E.md'",
    "git rm README.md 'CLAUD\\E.md'",
    "git rm CLAUD\\\\E.md",
    "git -C . rm 'CLAUD\\E.md'",
    "git mv 'CLAUD\\E.md' x.md",
    "git mv -f x.sh 'CLAUD\\E.md'",
    "git checkout -- 'CLAUD\\E.md'",
    "git checkout HEAD -- 'CLAUD\\E.md'",
    "git restore 'CLAUD\\E.md'",
    "git restore --staged --worktree 'CLAUD\\E.md'",
    "git restore --source=HEAD 'CLAUD\\E.md'",
    "cd src && git rm '../CLAUD\\E.md'",
]


@pytest.mark.parametrize("command", GIT_BACKSLASH)
def test_git_pathspecs_with_a_backslash_are_undecidable(
    policy: Policy, ws: Path, command: str
) -> None:
    assert _v(policy, ws, command) is Verdict.DENY


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository whose second commit tracks .env (then removed from the index)."""
    root = tmp_path_factory.mktemp("rt35h")
    repo = scratch_repo(
        root / "ws", {"README.md": "r\n", ".env": SECRET + "\n"}, tracked=("README.md",)
    )
    env = {**os.environ, **GIT_ENV, "HOME": str(root), "GIT_CONFIG_GLOBAL": "/dev/null"}
    for args in (["add", "-f", ".env"], ["commit", "-qm", "oops"], ["rm", "-q", "--cached", ".env"],
                 ["commit", "-qm", "rm"]):  # fmt: skip
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    return repo


def test_wildmatch_pathspec_prints_a_committed_secret_by_effect(
    policy: Policy, history: Path
) -> None:
    env = {**os.environ, "HOME": str(history.parent), "GIT_CONFIG_GLOBAL": "/dev/null"}
    for spec in (".e\\nv", ".e[^x]v", ".e[[:alpha:]]v"):
        out = subprocess.run(
            ["git", "log", "-p", "--", spec], cwd=history, env=env, capture_output=True,
            text=True, timeout=30,
        )  # fmt: skip
        assert SECRET in out.stdout, spec
        assert _v(policy, history, f"git log -p -- '{spec}'", "viewer") is Verdict.DENY, spec
    assert _v(policy, history, "git log -p -- README.md", "viewer") is Verdict.ALLOW


HISTORY_SPECS = [
    "git log -p -- '.e\\nv'",
    "git log -p -- '.e[^x]v'",
    "git log -p -- '.e[[:alpha:]]v'",
    "git log -p -- '.e[[:lower:]]v'",
    "git log -p -- '.en\\v'",
    "git log -p -- '\\.env'",
    "git log -p -- '.[^x]nv'",
    "git log -p --all -- '.e\\nv'",
    "git log --patch -- '.e\\nv'",
    "git log -p --follow -- '.e\\nv'",
    "git log -p README.md -- '.e\\nv'",
    "git log -p -- README.md '.e\\nv'",
    "git log -p -- ':!README.md' '.e\\nv'",
    "git show HEAD~1 -- '.e\\nv'",
    "git show HEAD~1 -- '.e[^x]v'",
    "git diff HEAD~2 HEAD~1 -- '.e\\nv'",
    "git diff HEAD~2 HEAD~1 -- '.e[[:alpha:]]v'",
    "git log -p -2 -- '.e\\nv'",
    "git whatchanged -p -- '.e\\nv'",
    "git -C . log -p -- '.e\\nv'",
]


@pytest.mark.parametrize("command", HISTORY_SPECS)
def test_wildmatch_pathspecs_reach_committed_secrets(
    policy: Policy, history: Path, command: str
) -> None:
    assert _v(policy, history, command, "viewer") is Verdict.DENY
    assert _v(policy, history, command) is Verdict.DENY


# ---- variations, policy level --------------------------------------------------------------
SPLIT_WORDS = [
    r"cat .e[\n]v",
    r"cat .en[\v]",
    r"cat .[\e]nv",
    r"cat .aw[\s]/config",
    r"cat .aws/confi[\g]",
    r"cat secret[\s].json",
    r"head -c 99 .e[\n]v",
    r"rev .e[\n]v",
    r"xxd -p .e[\n]v",
    r"od -c .e[\n]v",
    r"base64 .e[\n]v",
    r"tr a-z n-za-m < .e[\n]v",
    r"sort .e[\n]v",
    r"git diff --no-index /dev/null .e[\n]v",
    r"echo x >> CLAUD[\E].md",
    r"echo x > .github/workflows/c[\i].yml",
    r"cp x.sh .github/workflows/c[\i].yml",
    r"sed -i s/a/b/ CLAUD[\E].md",
    r"tee -a CLAUD[\E].md < x.sh",
    r"mv x.sh CLAUD[\E].md",
    r"rm CLAUD[\E].md",
    r"rm -rf .g[\i]t",
    r"rm -rf .gi[\t]/objects",
    r"cp x.sh .git/hook[\s]/pre-commit",
    r"ln -s x.sh .git/hooks/pre-pus[\h]",
    r"truncate -s0 CLAUD[\E].md",
    r"chmod 777 .e[\n]v",
    r"for f in .e[\n]v; do cat $f; done",
    r"cat README.md .e[\n]v",
    r"cat -- .e[\n]v",
    r"x=a[\b]c cat .env",
    r"echo a[\;]b",
]


@pytest.mark.parametrize("command", SPLIT_WORDS)
def test_a_word_split_at_bracket_backslash_is_undecidable(
    policy: Policy, ws: Path, command: str
) -> None:
    assert _v(policy, ws, command) is Verdict.DENY
    with pytest.raises(Undecidable):
        parse(command)


MERGED_WORDS = [
    "cat } [s]ecrets.json",
    "cat ] [s]ecrets.json",
    "cat }  [s]ecrets.json",
    "cat } [c]redentials.json",
    "cat } [.]env",
    "cp x.sh } [C]LAUDE.md",
    "rm -rf } [.]git",
    "echo } [ x",
    "cat [ ][",
    "cat [ [",
    "cat { [",
    "cat ] ]",
    "cat [ }}",
    "head } [s]ecrets.json",
    "grep -r x } [s]ecrets.json",
    "sed -n p } [s]ecrets.json",
    "xxd } [s]ecrets.json",
    "wc } [s]ecrets.json",
    "cat README.md } [s]ecrets.json",
    "ls } [",
]


@pytest.mark.parametrize("command", MERGED_WORDS)
def test_a_word_node_holding_a_blank_is_undecidable(policy: Policy, ws: Path, command: str) -> None:
    assert _v(policy, ws, command, "viewer") is Verdict.DENY
    with pytest.raises(Undecidable):
        parse(command)


BLANK_STRINGS = [
    ('echo " "x', " x"),
    ('echo " "#x', " #x"),
    ('echo "  "}', "  }"),
    ('echo x" "}', "x }"),
    ('echo " "', " "),
    ('echo "\t"', "\t"),
    ('echo " "{x', " {x"),
    ('echo "a"#x', "a#x"),
    ('echo ""', ""),
    ('echo "a b"', "a b"),
    ('echo " \\""', ' "'),
    ('echo "  $x"', "  $x"),
    ('echo "$x "', "$x "),
    ("echo ' 'x", " x"),
    ('echo " "" "', "  "),
    ('echo "\t\t"y', "\t\ty"),
    ('echo @" ",-]?', "@ ,-]?"),
    ("echo \"  \"''", "  "),
    ('echo " "-rf', " -rf"),
    ('echo -- " "x', " x"),
]


@pytest.mark.parametrize(("command", "last"), BLANK_STRINGS)
def test_a_double_quoted_string_of_blanks_keeps_its_blanks(command: str, last: str) -> None:
    assert parse(command)[0].words[-1].text == last


BRACES = [
    "cat {a},.env}",
    "cat {},.env}",
    "cat {a\\},.env}",
    "cat {\\,,.env}",
    "cat {README.md},.env}",
    "cat {x},.aws/config}",
    "cat {.env,{}",
    "cat x{a}b,.env}",
    "cat {a}}},.env}",
    "cat {a},.e{n}v}",
    "cat .{e}nv,}",
    "cat {a}..z}",
    "cat {a},{b},.env}",
    "cp x.sh {a},CLAUDE.md}",
    "rm -rf {a},.git}",
    "rm -rf {a},.github}",
    "echo x > {a},CLAUDE.md}",
    "sed -i s/a/b/ {a},CLAUDE.md}",
    "grep -r x {a},.env}",
    "head {a},.env}",
    "for f in {a},.env}; do cat $f; done",
    "xxd {a},.env}",
]


@pytest.mark.parametrize("command", BRACES)
def test_brace_expansion_with_braces_inside_is_undecidable(
    policy: Policy, ws: Path, command: str
) -> None:
    assert _v(policy, ws, command) is Verdict.DENY
    if not command.startswith(("cp", "rm", "echo", "sed")):
        assert _v(policy, ws, command, "viewer") is Verdict.DENY


GLOB_CLASSES = [
    "cat .[[=e=]]nv",
    "cat .[[.e.]]nv",
    "cat .e[[=n=]]v",
    "cat .e[[.n.]]v",
    "cat .en[[=v=]]",
    "cat .e[a-[.n.]]v",
    "cat .e[[.-.]n]v",
    "cat .e[[.hyphen.]n]v",
    "cat .e[[=é=]n]v",
    "cat .e[[:nosuch:]n]v",
    "cat .aw[[=s=]]/config",
    "cat .[[=a=]]ws/config",
    "cat .aws/[[.c.]]onfig",
    "cat secret[[=s=]].json",
    "head .[[=e=]]nv",
    "xxd -p .[[=e=]]nv",
    "grep -r --include='.[[=e=]]nv' '' .",
    "grep -r --include='.[[.e.]]nv' T .",
    "grep -r --include='.e[[=n=]]v' -e T .",
    "grep -r --include='secret[[=s=]].json' k .",
    "grep -r --exclude='*.md' --include='.[[=e=]]nv' T .",
    "find . -name '.[[=e=]]nv' -exec cat {} +",
    "find . -name '.[[.e.]]nv' -exec cat {} +",
    "find . -name '.[[=e=]]nv' -print0 | xargs -0 cat",
    "find . -name 'secret[[=s=]].json' -exec head {} +",
    "echo x >> CLAUD[[=E=]].md",
    "cp x.sh .github/workflows/c[[=i=]].yml",
    "rm -rf .g[[=i=]]t",
]


@pytest.mark.parametrize("command", GLOB_CLASSES)
def test_bracket_classes_match_as_bash_and_fnmatch_read_them(
    policy: Policy, ws: Path, command: str
) -> None:
    assert _v(policy, ws, command) is Verdict.DENY
    reads = command.startswith(("cat", "head", "xxd", "grep"))
    if reads:
        assert _v(policy, ws, command, "viewer") is Verdict.DENY


CONTROLS = [
    "cat README.md",
    "cat READM[E].md",
    "cat src/[a].py",
    "ls src/*.py",
    "cat [R]EADME.md",
    "cat READ[[:upper:]]E.md",
    "cat READ[[=M=]]E.md",
    'echo "a b" c',
    "echo ' ' x",
    'grep -n " " README.md',
    "grep -r --include='*.py' a .",
    "grep -r --include='READ[[=M=]]E.md' r .",
    "find . -name '*.py'",
    "find . -name 'READ[[.M.]]E.md'",
    "echo '{a},b}'",
    "echo x{y}z",
    "git log --format='%h {x},{y}' -1",
    "ls -la",
    "rg -g '*.{py,md}' readme .",
    "rg -g '*.py' a src",
    "rg -t py a .",
    "rg -g '**/*.py' a .",
]
CONTRIBUTOR_CONTROLS = [
    "prettier --write 'src/**/*.{js,ts}'",
    "prettier --write src/a.py",
    "prettier --write 'src/*.py'",
    "prettier --check .",
    "eslint --fix 'src/**/*.{js,ts}'",
]


@pytest.mark.parametrize("command", CONTRIBUTOR_CONTROLS)
def test_contributor_controls_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    assert _v(policy, ws, command) is Verdict.ALLOW


@pytest.mark.parametrize("command", CONTROLS)
def test_controls_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    assert _v(policy, ws, command, "viewer") is Verdict.ALLOW


def test_bracket_translation() -> None:
    for pattern, name in ((".[[=e=]]nv", ".env"), (".[[.e.]]nv", ".env"), ("[a-[.n.]]", "k")):
        g = bash_glob(pattern)
        assert g is not None and g.match(name), pattern
    for pattern in ("[[.hyphen.]]", "[[=é=]]", "[[:nosuch:]]", "a[[.ab.]]"):
        with pytest.raises(Undecidable):
            bash_glob(pattern)


# ---- properties against the real bash ------------------------------------------------------
_WORD_PARTS = st.sampled_from(
    ["a", "b", ".", "[", "]", "\\", '"', "'", " ", "\t", "{", "}", ",", "..", "=", ":", "#",
     "!", "-", "[\\", "\\ ", '" "', "e", "n", "v", "{a}", "[=", "=]"]
)  # fmt: skip


def _bash_words(command: str, cwd: Path) -> str | None:
    out = _bash(cwd, "set -f; " + command)
    return out.stdout if out.returncode == 0 and not out.stderr else None


@pytest.mark.skipif(BASH is None, reason="bash is the reference")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(_WORD_PARTS, min_size=1, max_size=8))
def test_words_the_policy_reads_are_the_words_bash_reads(
    parts: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Whenever the walk reads `printf '<%s>' TEXT` without refusing, its words are the ones
    bash passes (globbing off): no word split, merged or shortened."""
    command = "printf '<%s>' " + "".join(parts)
    try:
        cmds = parse(command)
    except Undecidable:
        return
    if len(cmds) != 1 or any(w.dynamic or w.text.startswith("~") for w in cmds[0].words):
        return
    words = cmds[0].words[2:]
    if not words:
        return
    got = _bash_words(command, tmp_path_factory.getbasetemp())
    if got is None:
        return  # bash refused the line: nothing runs
    assert "".join(f"<{w.text}>" for w in words) == got, command


_BRACKET_PARTS = st.sampled_from(
    ["[", "]", "[=", "=]", "[.", ".]", "[:", ":]", "alpha", "!", "^", "-", "e", "n", "v", ".",
     "*", "?", "\\", "a", "z"]
)  # fmt: skip
_NAMES = (".env", "env", ".e", "e", "n", "-", "[", "]", "=", "a.env", ".enn")


@pytest.fixture(scope="module")
def names_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("names")
    for n in _NAMES:
        (d / n).write_text("")
    return d


@pytest.mark.skipif(BASH is None, reason="bash is the reference")
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(parts=st.lists(_BRACKET_PARTS, min_size=1, max_size=7))
def test_every_name_bash_globs_the_policy_expands_too(parts: list[str], names_dir: Path) -> None:
    """bash's filename expansion of a pattern is a subset of what the policy expands it to
    (or the policy refuses the pattern)."""
    pattern = "".join(parts)
    if "/" in pattern or not any(c in pattern for c in "*?["):
        return
    quoted = pattern.replace("'", "")
    out = _bash(names_dir, f"shopt -s nullglob; for f in {quoted}; do printf '%s\\0' \"$f\"; done")
    if out.returncode != 0:
        return
    # (a pattern bash does not read as one stays the word: only names that exist count)
    by_bash = {n for n in out.stdout.split("\0") if n in _NAMES}
    try:
        ours = expand_glob(quoted, str(names_dir)) or []
    except Undecidable:
        return
    assert by_bash <= {os.path.basename(p) for p in ours}, quoted


_RG_PARTS = st.sampled_from(
    ["{", "}", ",", "[", "]", "!", "^", "*", "**/", "?", "\\", ".", "e", "n", "v", "[:alpha:]",
     "-", "a", "/"]
)  # fmt: skip


@pytest.mark.skipif(RG is None, reason="rg is the reference")
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(parts=st.lists(_RG_PARTS, min_size=1, max_size=6))
def test_every_file_rg_globs_the_policy_counts_as_read(parts: list[str], names_dir: Path) -> None:
    """The files `rg --files -uu -g GLOB` lists are a subset of those the policy's name filter
    for that glob matches."""
    from enforcement_agent.policy.searchers import whitelist

    glob = "".join(parts)
    assert RG is not None
    out = subprocess.run(
        [RG, "--files", "-uu", "-g", glob, "."],
        cwd=names_dir, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    listed = {line.removeprefix("./") for line in out.stdout.splitlines() if line}
    if not listed:
        return
    if glob.startswith("!"):  # an exclusion: no name filter, every file counts as read
        assert whitelist("rg", [("-g", glob)]) == []
        return
    (rx,) = whitelist("rg", [("-g", glob)])
    assert all(rx.match(name) for name in listed), (glob, listed)
