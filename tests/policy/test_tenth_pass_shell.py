"""Tenth red-team pass (shell and programs, 2026-12-04), issue 10: what it found and closed.

* (a) the ninth pass's loop re-check read `for`, `while`, `until`, `function` and `()` anywhere
  in the line's text, so a quoted word (`git commit -m "for now"; cd docs; …`) made every
  command be decided again in every directory the line reaches: an over-refusal
  (`echo "done for today" > notes.txt; cd .github && ls` was denied, the same line without
  "for" allowed). The check reads the line's code only now: single-quoted and `$'…'`
  strings, double-quoted ones without a substitution, comments and escapes are left out. A
  string that runs again (`bash -c '…'`, a trap handler) is decided as a line of its own and
  checked there; a double-quoted string with `$(`, `${` or a backquote is kept; a line with a
  here-document is read as before.
* (b) ninth pass, open: `dc` (`!CMD`), `m4` (`syscmd`, `esyscmd`) and `gnuplot` (`system`,
  `!`) run shell commands from their own language and asked as unknown programs; they are
  denied now (`exec.gtfobins.macro`), through busybox too. None is installed here: by their
  manuals (GNU dc "!" runs the rest of the line as a system command, GNU m4 "syscmd",
  gnuplot "system"/"!").
* (c) class 3: `declare -a b='($(cmd))'` runs cmd. When a name is or becomes an array
  (`-a`/`-A`, an array made earlier in the line, DIRSTACK …), declare, typeset, local,
  readonly and export read a value starting with `(` — quoted, escaped, or produced by an
  expansion (`x='($(cmd))'; declare -a b=$x`, `b=(); declare b="$x"`) — as an array
  assignment and expand its words again (shown with bash 5.2; control: `declare b='(…)'` of
  a plain name runs nothing). The policy read the value as a string: allowed. Such a value
  cannot be decided now; `declare -a b=(x y)`, `declare x=$(pwd)`, `local y=$1` are as before.
* (d) class 9: rg (and ag) skip hidden entries of their walk, never the directory they are
  given, but the policy skipped every secret with a dot anywhere in its path: `rg x .aws`,
  `rg . .ssh`, `cd .aws && rg x` printed `.aws/credentials` and `rg --files .ssh | xargs cat`
  the private key (shown with rg 14; control: `rg x` at the top prints neither). Hidden names
  are looked for below the start only now.
* (e) class 9: token files of other tools were not secret files (git's XDG credential store
  `.config/git/credentials`, Yarn Berry's `.yarnrc.yml` npmAuthToken beside `.npmrc`,
  Composer's and podman's XDG `auth.json`, Bundler's `.bundle/config`, Hugging Face, Kaggle,
  glab, Pulumi, ngrok, fly.io, wrangler): `cat`, `cp`, `tar` of them were allowed.
* (f) class 11/4: `rustc --print KIND=PATH` writes what it prints to PATH (rustc 1.79), and
  the spec took any value: `rustc --print cfg=CLAUDE.md` rewrote CLAUDE.md (shown with rustc
  1.95; control: `rustc --print cfg` writes nothing). The print kinds are listed now.
* (g) class 4/11, ninth pass open: a top-level file named `@x.py`, handed by pre-commit to
  mypy or ruff as `@x.py`, is a response file: mypy read `x.py`'s lines as options
  (`--junit-xml=CLAUDE.md` wrote CLAUDE.md; shown with mypy; control: `mypy x.py` writes
  nothing). Top-level names starting with `@` are protected now (`@*`); deeper ones
  (`src/@x.py`, `packages/@scope`) are not on a command line as `@…`.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy
from enforcement_agent.policy.path_checks import _code_text

_GIT = shutil.which("git")
_BASH = shutil.which("bash")


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tenth") / "ws"
    root.mkdir()
    for rel in ("README.md", "src/app.py", "CLAUDE.md", ".github/workflows/ci.yml", "docs/x"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x\n")
    if _GIT:
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def _decide(policy: Policy, ws: Path, command: str) -> tuple[Verdict, str]:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command=command)
    d = policy.decide(req, ws)
    return d.decision, d.rule


# ---- (a) the loop re-check reads code, not quoted words ---------------------------------------

QUOTED_LOOP_WORDS = [
    'echo "done for today" > notes.txt; cd .github && ls',
    "echo 'for' > a.txt; cd docs; echo y > b.txt",
    'echo "f()" > a.txt; cd docs; echo y > b.txt',
    "echo 'while true' > a.txt; cd docs && echo y > b.txt",
    "echo 'until done' > a.txt; cd docs && echo y > b.txt",
    'echo "a function" > a.txt  # for later\ncd docs && echo y > b.txt',
    "echo for\\ now > a.txt; cd docs && echo y > b.txt",
    'printf "%s\\n" "for x in y" > a.txt; cd .github && ls',
]


@pytest.mark.skipif(_GIT is None, reason="git not installed")
@pytest.mark.parametrize("command", QUOTED_LOOP_WORDS)
def test_loop_words_in_quoted_strings_do_not_repeat_the_line(
    policy: Policy, ws: Path, command: str
) -> None:
    assert _decide(policy, ws, command)[0] is Verdict.ALLOW, command
    # the same line without the word is allowed too: nothing else changed
    plain = command.replace("for", "x").replace("while", "x").replace("until", "x")
    assert _decide(policy, ws, plain.replace("function", "x"))[0] is Verdict.ALLOW, plain


REAL_LOOPS = [
    "for i in 1 2; do echo x > pre-commit; cd .git/hooks; done",
    "while true; do echo x > pre-commit; cd .git/hooks; done",
    "until false; do echo x > pre-commit; cd .git/hooks; done",
    "for ((i=0;i<2;i++)); do echo x > pre-commit; cd .git/hooks; done",
    "bash -c 'for i in 1 2; do echo x > pre-commit; cd .git/hooks; done'",
    'bash -c "for i in 1 2; do echo x > pre-commit; cd .git/hooks; done"',
    "f() { echo x > pre-commit; cd .git/hooks; }; f; f",
    "function f { echo x > pre-commit; cd .git/hooks; }; f; f",
    'echo "$(for i in 1; do :; done)"; for i in 1 2; do echo x > pre-commit; cd .git/hooks; done',
    "trap 'for i in 1 2; do echo x > pre-commit; cd .git/hooks; done' EXIT",
    "echo 'x' # a comment\nfor i in 1 2; do echo x > pre-commit; cd .git/hooks; done",
    "cat <<X > n.txt\nit's\nX\nfor i in 1 2; do echo x > pre-commit; cd .git/hooks; done; echo '",
]


@pytest.mark.skipif(_GIT is None, reason="git not installed")
@pytest.mark.parametrize("command", REAL_LOOPS)
def test_real_loops_are_still_decided_again(policy: Policy, ws: Path, command: str) -> None:
    assert _decide(policy, ws, command)[0] is Verdict.DENY, command


@pytest.mark.parametrize(
    ("text", "loop"),
    [
        ('git commit -m "for now"; cd docs', False),
        ("echo 'while'", False),
        ("echo $'for\\'s'", False),
        ("echo x # for", False),
        ("echo a#for", True),  # `#` inside a word is not a comment
        ('echo "$(for i in 1; do :; done)"', True),
        ('echo "${x:-for}"', True),
        ('echo "`for`"', True),
        ("for i in 1; do :; done", True),
        ("f() { :; }", True),
        ("cat <<X\nit's\nX\nfor i in 1; do :; done; echo '", True),
        ('echo "a\\"for\\"b"', False),
    ],
)
def test_code_text_keeps_only_code(text: str, loop: bool) -> None:
    import re

    found = re.search(r"\b(?:while|until|for|function)\b|\(\s*\)", _code_text(text)) is not None
    assert found is loop, (text, _code_text(text))


@pytest.mark.skipif(_BASH is None, reason="bash not installed")
def test_quoted_loop_word_runs_once_by_effect(tmp_path: Path) -> None:
    """A quoted `for` is data to bash: the line runs once (control: a real loop runs twice)."""
    (tmp_path / "d").mkdir()
    bash = _BASH or "bash"
    subprocess.run([bash, "-c", 'echo "for now" >> n.txt; cd d'], cwd=tmp_path, check=True)
    assert (tmp_path / "n.txt").read_text() == "for now\n"
    assert not (tmp_path / "d" / "n.txt").exists()
    subprocess.run(
        [bash, "-c", "for i in 1 2; do echo x >> m.txt; cd d; done"], cwd=tmp_path, check=False
    )
    assert (tmp_path / "m.txt").exists() and (tmp_path / "d" / "m.txt").exists()


# ---- (b) calculators and macro languages that run shell commands ------------------------------

MACRO_SHELLS = [
    "dc -e '!touch /tmp/rt10s-marker-1'",
    "echo '!id' | dc",
    "dc x.dc",
    "dc -f x.dc",
    "dc --expression='!id'",
    "m4 x.m4",
    "echo 'syscmd(id)' | m4",
    "m4 -DX=1 x.m4",
    "gm4 x.m4",
    "echo 'esyscmd(id)' > x.m4 && m4 x.m4",
    "busybox dc -e '!id'",
    "timeout 5 dc x.dc",
    "xargs m4 < list",
    "gnuplot -e 'system(\"id\")'",
    "gnuplot x.gp",
    "bash -c 'm4 x.m4'",
    "find . -name '*.m4' -exec m4 {} \\;",
]


@pytest.mark.parametrize("command", MACRO_SHELLS)
def test_macro_languages_that_run_commands_are_denied(
    policy: Policy, ws: Path, command: str
) -> None:
    assert _decide(policy, ws, command)[0] is Verdict.DENY, command


def test_bc_is_unchanged(policy: Policy, ws: Path) -> None:
    """GNU bc has no shell escape: it stays on the inspect table."""
    assert _decide(policy, ws, "echo '1+1' | bc")[0] is Verdict.ALLOW


# ---- (c) declare re-expands a quoted or computed array value ----------------------------------

DECLARED_ARRAY_VALUES = [
    "declare -a b='($(touch /tmp/rt10s-marker-21))'",
    'declare -a c="(\\$(id))"',
    "declare -a d=\\(\\$\\(id\\)\\)",
    'declare -a e="("\'$(id)\'")"',
    "typeset -a t='($(id))'",
    "local -a l='($(id))'",
    "readonly -a r='($(id))'",
    "declare -ga g='($(id))'",
    "declare -A h='([k]=$(id))'",
    "declare -a a+='(`id`)'",
    "x='($(id))'; declare -a b=$x",
    "x='($(id))'; declare -a b=\"$x\"",
    "y='($(id))'; declare -a b=${y}",
    "b=(); x='($(id))'; declare b=$x",
    'b=(); declare b="$z"',
    "mapfile b < f; declare b=$x",
    "read -ra b < f; declare b=$x",
    "declare DIRSTACK='($(id))'",
    "declare b='(x)'",
    "command declare -a b='($(id))'",
    "builtin typeset -a b=$x",
]


@pytest.mark.parametrize("command", DECLARED_ARRAY_VALUES)
def test_declared_array_value_expanded_again_is_undecidable(
    policy: Policy, ws: Path, command: str
) -> None:
    assert _decide(policy, ws, command) == (Verdict.DENY, "shell.undecidable"), command


@pytest.mark.parametrize(
    "command",
    ["declare -a b=(x y)", "declare x=$(pwd)", "local y=$1", "declare -r v=$HOME",
     'declare -a arr=("$x" y)', "declare -A m=([k]=v)", "declare -a b"],
)  # fmt: skip
def test_plain_declarations_are_unchanged(policy: Policy, ws: Path, command: str) -> None:
    assert _decide(policy, ws, command)[0] is Verdict.ALLOW, command


@pytest.mark.skipif(_BASH is None, reason="bash not installed")
def test_declare_expands_an_array_value_again_by_effect(tmp_path: Path) -> None:
    script = (
        "declare -a b='($(touch m1))'; x='($(touch m2))'; declare -a c=$x; "
        "d=(); y='($(touch m3))'; declare d=$y; typeset -A h='([k]=$(touch m4))'"
    )
    subprocess.run([_BASH or "bash", "-c", script], cwd=tmp_path, check=False)
    assert {p.name for p in tmp_path.iterdir()} == {"m1", "m2", "m3", "m4"}
    control = tmp_path / "control"
    control.mkdir()
    script = "declare b='($(touch m1))'; x='($(touch m2))'; declare c=$x; declare -a e=(x)"
    subprocess.run([_BASH or "bash", "-c", script], cwd=control, check=False)
    assert list(control.iterdir()) == []


# ---- (d) rg skips hidden names below the directory it is given, not the directory --------------


@pytest.fixture(scope="module")
def sws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tenth-secrets") / "ws"
    for rel in (".aws/credentials", ".ssh/id_rsa", "sub/.env", ".config/git/credentials",
                ".cache/huggingface/token", "README.md", "src/app.py"):  # fmt: skip
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("MARKER\n")
    if _GIT:
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


HIDDEN_ROOT_SEARCHES = [
    "rg key .aws",
    "rg . .ssh",
    "rg -l . .ssh",
    "rg x .aws/",
    "rg x ./.aws",
    "cd .aws && rg x",
    "cd .aws; rg x .",
    "rg tok .config/git",
    "rg -l tok .cache",
    "rg tok -g '*' .config",
    "ag x .ssh",
    "rg --files .ssh | xargs cat",
    "rg --files .aws | xargs cat",
    "cd .ssh && rg --files | xargs cat",
]


@pytest.mark.parametrize("command", HIDDEN_ROOT_SEARCHES)
def test_search_from_a_hidden_directory_reads_its_secrets(
    policy: Policy, sws: Path, command: str
) -> None:
    assert _decide(policy, sws, command) == (Verdict.DENY, "exec.secret-file"), command


@pytest.mark.parametrize(
    "command",
    ["rg S sub", "rg --files | xargs cat", "rg --files sub | xargs cat", "rg MARKER src",
     "rg --files .ssh", "rg MARKER"],
)  # fmt: skip
def test_hidden_files_below_the_start_are_still_skipped(
    policy: Policy, sws: Path, command: str
) -> None:
    assert _decide(policy, sws, command)[0] is Verdict.ALLOW, command


@pytest.mark.skipif(shutil.which("rg") is None, reason="rg not installed")
def test_rg_reads_a_hidden_start_directory_by_effect(tmp_path: Path) -> None:
    rg = shutil.which("rg") or "rg"
    for rel in (".aws/credentials", "sub/.env"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("MARKER\n")
    out = subprocess.run([rg, "MARKER", ".aws"], cwd=tmp_path, capture_output=True, text=True)
    assert "credentials:MARKER" in out.stdout
    control = subprocess.run([rg, "MARKER"], cwd=tmp_path, capture_output=True, text=True)
    assert "MARKER" not in control.stdout  # .aws and sub/.env are hidden below the top


# ---- (e) token files of other tools are secret files ------------------------------------------

TOKEN_FILES = [
    ".config/git/credentials", ".yarnrc.yml", "app/.yarnrc.yml", ".config/composer/auth.json",
    ".config/containers/auth.json", ".bundle/config", ".cache/huggingface/token",
    ".cache/huggingface/stored_tokens", ".huggingface/token", ".kaggle/kaggle.json",
    ".config/kaggle/kaggle.json", ".config/glab-cli/config.yml", ".pulumi/credentials.json",
    ".config/ngrok/ngrok.yml", ".ngrok2/ngrok.yml", ".fly/config.yml",
    ".wrangler/config/default.toml", ".config/.wrangler/config/default.toml",
]  # fmt: skip


@pytest.mark.parametrize("rel", TOKEN_FILES)
@pytest.mark.parametrize("shape", ["cat {}", "cp {} /tmp/rt10s-x", "grep -i token {}",
                                   "tar czf out.tgz {}"])  # fmt: skip
def test_token_files_are_secret(policy: Policy, ws: Path, rel: str, shape: str) -> None:
    verdict, rule = _decide(policy, ws, shape.format(rel))
    assert verdict is Verdict.DENY, (shape, rel)
    if not shape.startswith("cp"):
        assert rule == "exec.secret-file", (shape, rel, rule)


@pytest.mark.parametrize(
    "rel", ["package.json", ".yarn/releases/x.cjs", ".cache/huggingface/hub/m/config.json",
            "locales/en/auth.yaml", ".config/git/ignore", ".bundle/x"],
)  # fmt: skip
def test_neighbours_of_token_files_are_not_secret(policy: Policy, ws: Path, rel: str) -> None:
    assert _decide(policy, ws, f"cat {rel}")[0] is Verdict.ALLOW, rel


# ---- (f) rustc --print KIND=PATH writes PATH -----------------------------------------------------

_RUSTC = shutil.which("rustc") or (
    str(Path.home() / ".cargo/bin/rustc") if (Path.home() / ".cargo/bin/rustc").exists() else None
)

RUSTC_PRINT_WRITES = [
    "rustc --print cfg=CLAUDE.md",
    "rustc --print=cfg=CLAUDE.md",
    "rustc --print=x=CLAUDE.md x.rs",
    "rustc --print sysroot=.git/hooks/pre-commit",
    "rustc --print target-list=../x",
    "rustc -O --print cfg=out.txt",
    "rustc --print native-static-libs=.github/workflows/ci.yml x.rs",
]


@pytest.mark.parametrize("command", RUSTC_PRINT_WRITES)
def test_rustc_print_to_a_file_is_denied(policy: Policy, ws: Path, command: str) -> None:
    assert _decide(policy, ws, command)[0] is Verdict.DENY, command


@pytest.mark.parametrize(
    "command",
    ["rustc --print cfg", "rustc --print=sysroot", "rustc --print target-list",
     "rustc --print file-names x.rs"],
)  # fmt: skip
def test_rustc_print_to_stdout_is_allowed(policy: Policy, ws: Path, command: str) -> None:
    assert _decide(policy, ws, command)[0] is Verdict.ALLOW, command


@pytest.mark.skipif(_RUSTC is None, reason="rustc not installed")
def test_rustc_print_writes_its_path_by_effect(tmp_path: Path) -> None:
    rustc = _RUSTC or "rustc"
    (tmp_path / "CLAUDE.md").write_text("x\n")
    subprocess.run([rustc, "--print", "cfg=CLAUDE.md"], cwd=tmp_path, check=True)
    assert "debug_assertions" in (tmp_path / "CLAUDE.md").read_text()
    control = tmp_path / "control"
    control.mkdir()
    (control / "CLAUDE.md").write_text("x\n")
    subprocess.run([rustc, "--print", "cfg"], cwd=control, check=True, capture_output=True)
    assert (control / "CLAUDE.md").read_text() == "x\n"


# ---- (g) a top-level name starting with `@` is a response file to mypy and ruff ----------------

AT_NAMES = [
    "touch @x.py",
    "echo '--junit-xml CLAUDE.md' > @args.txt",
    "cp README.md @x.py",
    "mv README.md @x.py",
    "mkdir @scope",
    "ln -s x @y",
    "printf x >> @x",
    "git mv README.md @x.py",
    "tee @x < README.md",
    "sed -n p README.md > @x",
]


@pytest.mark.parametrize("command", AT_NAMES)
def test_top_level_at_names_are_protected(policy: Policy, ws: Path, command: str) -> None:
    assert _decide(policy, ws, command) == (Verdict.DENY, "exec.protected-path"), command


@pytest.mark.parametrize(
    "command",
    ["cat @x", "ls @x", "touch src/@x.py", "mkdir -p packages/@scope/x", "npm install @types/node"],
)
def test_other_at_names_are_unchanged(policy: Policy, ws: Path, command: str) -> None:
    assert _decide(policy, ws, command)[0] is Verdict.ALLOW, command


_MYPY = shutil.which("mypy") or (
    str(Path(__file__).resolve().parents[2] / ".venv/bin/mypy")
    if (Path(__file__).resolve().parents[2] / ".venv/bin/mypy").exists()
    else None
)


@pytest.mark.skipif(_MYPY is None, reason="mypy not installed")
def test_mypy_reads_an_at_name_as_options_by_effect(tmp_path: Path) -> None:
    mypy = _MYPY or "mypy"
    (tmp_path / "@x.py").write_text("")
    (tmp_path / "x.py").write_text("--junit-xml=CLAUDE.md\nok.py\n")
    (tmp_path / "ok.py").write_text("x = 1\n")
    (tmp_path / "CLAUDE.md").write_text("orig\n")
    args = [mypy, "--no-incremental", "--cache-dir=/dev/null"]
    subprocess.run([*args, "@x.py"], cwd=tmp_path, capture_output=True, check=False)
    assert "testsuite" in (tmp_path / "CLAUDE.md").read_text()
    (tmp_path / "CLAUDE.md").write_text("orig\n")
    subprocess.run([*args, "x.py"], cwd=tmp_path, capture_output=True, check=False)
    assert (tmp_path / "CLAUDE.md").read_text() == "orig\n"
