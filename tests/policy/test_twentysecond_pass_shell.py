"""Twenty-second red-team pass (command policy, 2026-12-05), issue 10 classes 3 and 6.

A held-out run over bash's less-known code-running expansions, each decided as contributor
and as viewer, and each allowed one run with real bash in a scratch directory with a harmless
payload (docs/policy.md, "Twenty-second pass"):

* (a) class 6, found and closed: GNU env (coreutils 9.1) sets *whatever* stands before the
  first `=` of a word, a shell name or not; the env spec ended its assignments at the first
  word that was not a shell assignment word. So `env 'BASH_FUNC_echo%%=() { CMD; }' bash -c
  'echo x'` was decided as a workspace program named `BASH_FUNC_echo%%=() { CMD; }` (its
  text holds a `/`) with arguments, and allowed: bash imported the function and ran CMD
  (shown below). Worse, the command after such a word was never decided at all: `env 'X%=/'
  rm -rf DIR` removed DIR, `env 'X%=/' sh -c CMD` ran CMD. env's assignments now end at the
  first word without `=` (every name goes through exec.environment, which takes shell names
  only), and a word holding `=` where a command starts (a wrapper's command, an `env -S`
  string, bash's `time`) is undecidable.
* Held (no finding): arithmetic contexts that evaluate array subscripts, prompt and
  transform expansions, traps and hooks, shell functions and aliases named like programs,
  here-documents and strings with substitutions: each is asserted not allowed below, with a
  sample run showing bash does execute it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from tests.policy.verdicts import exec_verdict

ROLES = ("contributor", "viewer")
P = "touch ../PWNED"  # the payload (`@@`): a marker beside the workspace


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt22") / "ws"
    (root / "src").mkdir(parents=True)
    (root / "src/app.py").write_text("print(1)\n")
    (root / "README.md").write_text("x\n")
    (root / "notes.md").write_text("b\na\n")
    return root


def _cmd(template: str) -> str:
    return template.replace("@@", P)


def _bash(command: str, root: Path) -> Path:
    """Run ``command`` with real bash in ``root/ws``; the marker it may leave: ``root/PWNED``."""
    cwd = root / "ws"
    cwd.mkdir(exist_ok=True)
    subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=10,
        check=False,
    )
    return root / "PWNED"


# ---- (a) env sets a variable of any name -------------------------------------------------
ENV_ANY_NAME = [
    "env 'BASH_FUNC_echo%%=() { @@; }' bash -c 'echo x'",
    "env 'BASH_FUNC_ls%%=() { @@; }' bash -c ls",
    "env 'BASH_FUNC_git%%=() { @@; }' bash -c 'git status'",
    "env -i 'BASH_FUNC_echo%%=() { @@; }' /bin/bash -c 'echo x'",
    "env -- 'BASH_FUNC_echo%%=() { @@; }' bash -c 'echo x'",
    "env CI=1 'BASH_FUNC_echo%%=() { @@; }' bash -c 'echo x'",
    "env 'BASH_FUNC_cat%%=() { @@; }' bash script.sh",
    "env 'BASH_FUNC_echo()=() { @@; }' bash -c 'echo x'",
    "env 'X%=./' rm -rf victim",
    "env 'X%=/' bash -c '@@'",
    "env 'X%=/' sh -c '@@'",
    "env 'X%=/' python3 -c 'import os; os.system(\"@@\")'",
    "env 'X%=./' touch ../PWNED",
    "env 'a.b=./' touch ../PWNED",
    "env '1=./' touch ../PWNED",
    "env 'X-Y=/' touch ../PWNED",
    "env ' =/' touch ../PWNED",
    "env -C . 'X%=/' touch ../PWNED",
    "env -u CI 'X%=/' touch ../PWNED",
    "env -S 'X%=/ touch ../PWNED'",
    "env -S'X%=/ touch ../PWNED'",
    "env -iS 'X%=/ touch ../PWNED'",
    "time 'X%=/' touch ../PWNED",
    "nohup 'X%=/' touch ../PWNED",
    "env 'A%=/' env 'B%=/' touch ../PWNED",
    "timeout 5 env 'X%=/' touch ../PWNED",
    "nice env 'X%=/' touch ../PWNED",
    "xargs env 'X%=/' touch <<< ../PWNED",
    "find . -maxdepth 0 -exec env 'X%=/' touch ../PWNED \\;",
    "env 'PATH%=/' touch ../PWNED",
    "env 'X%=/' git push --force",
]


@pytest.mark.parametrize("template", ENV_ANY_NAME)
@pytest.mark.parametrize("role", ROLES)
def test_env_words_with_any_name_are_not_allowed(
    policy: Policy, ws: Path, template: str, role: str
) -> None:
    verdict, rule = exec_verdict(policy, ws, _cmd(template), role)
    assert verdict != Verdict.ALLOW, (template, role, rule)


def test_env_word_of_any_name_goes_to_the_environment_rule(policy: Policy, ws: Path) -> None:
    verdict, rule = exec_verdict(policy, ws, "env 'X%=./' rm -rf victim")
    assert (verdict, rule) == (Verdict.DENY, "shell.env-not-allowed")


ENV_CONTROLS = [
    "env CI=1 npm test",
    "env -i LANG=C sort notes.md",
    "env -C docs make html",
    "env -u CI make",
    "env LC_ALL=C sort notes.md",
    "time make test",
    "nohup make test",
    "echo a=b",
    "grep -n x=1 README.md",
    "CI=1 make test",
]


@pytest.mark.parametrize("command", ENV_CONTROLS)
def test_everyday_env_lines_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    verdict, rule = exec_verdict(policy, ws, command)
    assert verdict == Verdict.ALLOW, (command, rule)


needs_env_bash = pytest.mark.skipif(
    shutil.which("bash") is None or shutil.which("env") is None, reason="no bash/env to run"
)


@needs_env_bash
@pytest.mark.parametrize(
    "template",
    [
        "env 'BASH_FUNC_echo%%=() { @@; }' bash -c 'echo x'",
        "env 'BASH_FUNC_ls%%=() { @@; }' bash -c ls",
        "env 'X%=/' sh -c '@@'",
        "env 'X%=./' touch ../PWNED",
    ],
)
def test_by_effect_env_runs_what_follows_a_word_of_any_name(
    policy: Policy, tmp_path: Path, template: str
) -> None:
    command = _cmd(template)
    (tmp_path / "ws").mkdir()
    assert exec_verdict(policy, tmp_path / "ws", command)[0] != Verdict.ALLOW
    assert _bash(command, tmp_path).exists(), command  # GNU env set the odd name, ran on


@needs_env_bash
def test_by_effect_env_removed_a_directory_behind_a_word_of_any_name(
    policy: Policy, tmp_path: Path
) -> None:
    (tmp_path / "ws/victim").mkdir(parents=True)
    (tmp_path / "ws/victim/f").write_text("x\n")
    command = "env 'X%=./' rm -rf victim"
    assert exec_verdict(policy, tmp_path / "ws", command)[0] != Verdict.ALLOW
    _bash(command, tmp_path)
    assert not (tmp_path / "ws/victim").exists()


# ---- held: code-running expansions bash evaluates -----------------------------------------
ARITHMETIC = [
    "x='a[$(@@)]'; echo $((x))",
    "x='a[$(@@)]'; (( x ))",
    "x='a[$(@@)]'; let x",
    "x='a[$(@@)]'; [[ $x -eq 1 ]]",
    "test -v 'a[$(@@)]'",
    "[ -v 'a[$(@@)]' ]",
    "[[ -v a[$(@@)] ]]",
    "echo ${a[$(@@)]}",
    "printf -v 'a[$(@@)]' x",
    "read 'a[$(@@)]' <<< x",
    "declare -n r='a[$(@@)]'; r=1",
    "unset 'a[$(@@)]'",
    "unset -v 'a[$(@@)]'",
    "a=(1 2); unset 'a[$(@@)]'",
    "x=1; echo ${x:$(@@)}",
    "echo ${#a[$(@@)]}",
    "declare -i n; n='a[$(@@)]'",
    "mapfile -t 'a[$(@@)]' < /dev/null",
    "x='a[$(@@)]'; echo $[x]",
    "x='a[$(@@)]'; echo ${y:x}",
    "x='a[$(@@)]'; a=(1 2); echo ${a[x]}",
    "x='a[$(@@)]'; for ((i=x;i<0;i++)); do :; done",
    "x='a[$(@@)]'; [ $x -eq 1 ]",
    "x='a[$(@@)]'; test \"$x\" -eq 1",
    "x='a[$(@@)]'; declare -i y=x",
    "x='a[$(@@)]'; printf '%d\\n' \"$x\"",
    "x='a[$(@@)]'; shift x",
    "x='a[$(@@)]'; printf -v \"$x\" 1",
    "x='a[$(@@)]'; read \"$x\" <<< 1",
    "x='a[$(@@)]'; unset \"$x\"",
    "x='a[$(@@)]'; declare \"$x\"=1",
    "x='a[$(@@)]'; b=(); b[x]=1",
    "x='a[$(@@)]'; read -a \"$x\" <<< 1",
    "getopts ab 'a[$(@@)]' -a",
    "x='a[$(@@)]'; echo ${!x}",
    "x='a[$(@@)]'; : ${!x=1}",
    "x='a[$(@@)]'; y=$x; echo $(( y + 1 ))",
    "x='a[$(@@)]'; echo $(( 1 ? x : 0 ))",
    "y='a[$(@@)]'; x=y; echo $((x))",
    "x='a[$(@@)]'; cat <<EOF\n$((x))\nEOF",
]

PROMPTS = [
    "x='$(@@)'; echo ${x@P}",
    "x='`@@`'; echo \"${x@P}\"",
    "PS1='$(@@)'; echo ${PS1@P}",
    "x='$(@@)'; eval \"${x@E}\"",
    "x='$(@@)'; eval \"${x@Q}\"",
    'x=\'$(@@)\'; y=${x@A}; eval "$y"; eval "echo $x"',
    "x='$(@@)'; a=(\"${x@P}\")",
    "x='$(@@)'; declare -A m=([k]=\"$x\"); echo ${m[k]@P}",
    "x=$'\\x24(@@)'; echo ${x@P}",
    "x=$'$(@@)'; echo ${x@P}",
    "x='$(@@)'; echo \"${x:+${x@P}}\"",
    "x='$(@@)'; cat <<EOF\n${x@P}\nEOF",
    "PS4='$(@@)'; set -x; :",
    "PS4='$(@@)' bash -xc :",
    "read PS4 <<< '$(@@)'; set -x; :",
    "declare -n r=PS4; r='$(@@)'; set -x; :",
    "SHELLOPTS=xtrace PS4='$(@@)' bash -c :",
    "BASH_XTRACEFD=1 PS4='$(@@)' bash -xc :",
    "PS0='$(@@)'; :",
    "printf -v PROMPT_COMMAND '@@'",
    "x=$'\\x24(@@)'; eval \"echo $x\"",
]

HOOKS = [
    "trap '@@' EXIT",
    "trap '@@' DEBUG; :",
    "trap '@@' RETURN; f() { :; }; f",
    "trap '@@' ERR; false",
    "trap -- '@@' EXIT",
    'trap "@@" 0',
    "trap '@@' INT TERM EXIT",
    "x='@@'; trap \"$x\" EXIT",
    "trap '' EXIT; trap '@@' EXIT",
    "f() { @@; }; trap f EXIT",
    "set -T; trap '@@' DEBUG; f() { :; }; f",
    "PROMPT_COMMAND='@@' bash -i -c : </dev/null",
    "BASH_ENV=<(echo '@@') bash -c :",
    "export BASH_ENV=/dev/stdin; echo '@@' | bash -c :",
    "shopt -s extdebug; f() { :; }; f",
    "enable -f /tmp/x.so x",
    "complete -C '@@' ls",
    "bind -x '\"\\C-a\": @@'",
    "fc -e '@@'",
    "command_not_found_handle() { @@; }; nosuchcmd",
    "alias ls='@@'; shopt -s expand_aliases; ls",
    "cd() { @@; }; cd",
    "echo() { @@; }; echo hi",
    "ls() { @@; }; ls",
    "function echo { @@; }; echo hi",
    "exec -a foo bash -c '@@'",
    "coproc @@",
    "coproc X { @@; }",
    "select x in a; do @@; break; done <<< 1",
    "hash -p /usr/bin/touch ls; ls ../PWNED",
    "hash -p /usr/bin/touch echo; echo ../PWNED",
    "x=touch; $x ../PWNED",
    "mapfile -C '@@' -c 1 a <<< x",
    "source <(echo '@@')",
    ". /dev/stdin <<< '@@'",
    "bash <<< '@@'",
    "xargs -I{} sh -c {} <<< '@@'",
    "x() { @@; }; export -f x; bash -c x",
    "echo() { @@; }; export -f echo; bash -c 'echo hi'",
    "BASH_FUNC_echo%%='() { @@; }' bash -c 'echo x'",
]

HEREDOCS = [
    "cat <<< $(@@)",
    'cat <<< "$(@@)"',
    "cat <<< `@@`",
    'echo $"$(@@)"',
    'echo $"`@@`"',
    "x=$'\\140@@\\140'; eval echo $x",
    "cat <<EOF\n${x:-$(@@)}\nEOF",
    "cat <<EOF\n$(@@)\nEOF",
    "cat <<EOF\n`@@`\nEOF",
    "cat <<EOF\n$((a[$(@@)]))\nEOF",
    "cat <<-EOF\n\t${x:=$(@@)}\n\tEOF",
    "read x <<EOF\n$(@@)\nEOF",
    "source /dev/stdin <<'EOF'\n@@\nEOF",
    "cat <<'EOF' | bash\n@@\nEOF",
    "cat <<< $'\\x24(@@)' | bash",
    'cat <<< $"${x:-$(@@)}"',
    "echo \"${x:-$'$(@@)'}\"",
    "cat <<EOF | sh\n@@\nEOF",
    "cat <<EOF\n${x:+$(@@)}\nEOF",
    "cat <<EOF\n${#a[$(@@)]}\nEOF",
]

HELD = {"arithmetic": ARITHMETIC, "prompt": PROMPTS, "hooks": HOOKS, "heredocs": HEREDOCS}


@pytest.mark.parametrize("kind", sorted(HELD))
def test_each_held_class_has_twenty_variations(kind: str) -> None:
    assert len(set(HELD[kind])) >= 20


@pytest.mark.parametrize("template", [t for ts in HELD.values() for t in ts], ids=lambda t: t[:60])
@pytest.mark.parametrize("role", ROLES)
def test_code_running_expansions_are_not_allowed(
    policy: Policy, ws: Path, template: str, role: str
) -> None:
    verdict, rule = exec_verdict(policy, ws, _cmd(template), role)
    assert verdict != Verdict.ALLOW, (template, role, rule)


@needs_env_bash
@pytest.mark.parametrize(
    "template",
    [
        "x='a[$(@@)]'; echo $((x))",
        "test -v 'a[$(@@)]'",
        "a=(1 2); unset 'a[$(@@)]'",
        "printf -v 'a[$(@@)]' x",
        "declare -i n; n='a[$(@@)]'",
        "x='$(@@)'; echo ${x@P}",
        "PS4='$(@@)'; set -x; :",
        "trap '@@' EXIT",
        "hash -p /usr/bin/touch ls; ls ../PWNED",
        "cat <<< $(@@)",
        "cat <<EOF\n${x:-$(@@)}\nEOF",
    ],
)
def test_by_effect_bash_runs_the_held_expansions(
    policy: Policy, tmp_path: Path, template: str
) -> None:
    command = _cmd(template)
    (tmp_path / "ws").mkdir()
    assert exec_verdict(policy, tmp_path / "ws", command)[0] != Verdict.ALLOW
    assert _bash(command, tmp_path).exists(), command


BENIGN = [
    "echo $((1+2))",
    "x=3; echo $((x*2))",
    "trap - EXIT",
    "for ((i=0;i<3;i++)); do echo $i; done",
    "a=(1 2 3); echo ${a[1]}",
    "echo ${#a[@]}",
    "x=hello; echo ${x:1:2}",
    "cat <<EOF\nhello $HOME\nEOF",
    "[[ 3 -eq 3 ]] && echo yes",
    "n=5; (( n > 2 )) && echo big",
    "x=abc; echo ${x@Q}",
]


@pytest.mark.parametrize("command", BENIGN)
def test_everyday_expansions_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    verdict, rule = exec_verdict(policy, ws, command)
    assert verdict == Verdict.ALLOW, (command, rule)


# ---- (b) class 10, found on the way: `env -S` with no literal string hung the decision ----
ENV_S_NO_STRING = [
    "env -S",
    "env -iS",
    "env -vS",
    "env -0S",
    "env -i -S",
    'env -S "$x"',
    "env -S $x",
    'env -S "$(id)"',
    'env -iS "$x" ls',
    "env -vS `id`",
    "env CI=1 -S",
    "xargs env -S",
    "xargs -d '\\n' env -S",
    "nohup env -S",
    "timeout 5 env -S",
    "nice env -S",
    "time env -S",
    "find . -exec env -S {} \\;",
    "echo a | env -S",
    "env -S; ls",
    'env -i -v -S "$HOME"',
]


def _decide_in_child(commands: list[str], ws: Path) -> list[str]:
    """Each command's verdict for each role, decided in a child process that is killed after
    60 s (a hang is a failure, not a stuck suite)."""
    code = (
        "import json, sys; from pathlib import Path; "
        "from enforcement_agent.policy import load_policy; "
        "from tests.policy.conftest import POLICY_DIR; "
        "from tests.policy.verdicts import exec_verdict; "
        "p = load_policy(POLICY_DIR / 'default.yaml'); "
        "cmds = json.loads(sys.argv[1]); "
        "print(json.dumps([exec_verdict(p, Path(sys.argv[2]), c, r)[0].value "
        "for c in cmds for r in ('contributor', 'viewer')]))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(commands), str(ws)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    verdicts: list[str] = json.loads(out.stdout)
    return verdicts


def test_env_s_without_a_literal_string_is_decided_promptly(ws: Path) -> None:
    assert len(ENV_S_NO_STRING) >= 20
    verdicts = _decide_in_child(ENV_S_NO_STRING, ws)
    assert len(verdicts) == 2 * len(ENV_S_NO_STRING)
    assert "allow" not in verdicts, list(zip(verdicts[::2], ENV_S_NO_STRING, strict=True))


def test_env_s_with_a_plain_string_stays_allowed(policy: Policy, ws: Path) -> None:
    assert exec_verdict(policy, ws, "env -S 'sort notes.md'")[0] == Verdict.ALLOW
