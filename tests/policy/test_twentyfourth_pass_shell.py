"""Twenty-fourth red-team pass (command policy, 2026-12-05), issue 10 classes 3, 6 and 7.

Each variation below is absent from the earlier tests (checked by exact text), decided as
contributor with the shipped policy, and each one the policy allowed was run with real bash
or git in a scratch directory with a marker payload (docs/policy.md, "Twenty-fourth pass"):

* (a) class 7, found and closed: `commit.gpgsign`/`tag.gpgsign` are on the `git -c` list but
  may only be turned off; the rule refusing the "on" spellings listed `true`/`yes`/`on`/`1`
  only, while git reads a boolean as *any non-zero integer* too (`git_parse_maybe_bool`, base
  0, unit suffixes): `git -c commit.gpgsign=2 commit`, `=-1`, `=0x1`, `=1k`, `=' 1'` were
  allowed and git ran gpg (shown below with a stand-in `gpg` on PATH). The `-c`/`--config`
  check now takes, for those keys, only the spellings of off (`false`, `no`, `off`, `0`, ``).
* Held (no finding): class 3 (brace expansion that builds `$name`/`$[…]`/`${x@P}`, single
  quotes inside double-quoted `${…}`, array subscripts in `test -v`/`unset`/`printf -v`/
  `read`/`getopts`, `mapfile -C`, `compgen -W/-C/-F`, `coproc`), class 6 (attached and
  clustered `printf -v`/`read -a`/`wait -p`/`mapfile` names, namerefs, `set -a` spellings,
  default-assign and arithmetic assignment, element 0 of an allowed scalar, `BASH_CMDS`,
  lowercase `npm_config_*`) and the rest of class 7 (key spellings, `--config-env`,
  `include.path`, `git config` writes, refspecs, `GIT_CONFIG_*`): each asserted not allowed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from tests.policy.scratch_repo import GIT_ENV, scratch_repo
from tests.policy.verdicts import exec_verdict


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt24") / "ws"
    (root / "src").mkdir(parents=True)
    (root / "src/app.py").write_text("print(1)\n")
    (root / "README.md").write_text("x\n")
    return root


def _bash(command: str, root: Path) -> Path:
    """Run ``command`` with real bash in ``root/ws``; the marker it may leave: ``root/PWNED``."""
    (root / "ws").mkdir(parents=True, exist_ok=True)
    marker = root / "PWNED"
    marker.unlink(missing_ok=True)
    subprocess.run(
        ["bash", "-c", command],
        cwd=root / "ws",
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=10,
        check=False,
    )
    return marker


CLASS_3: tuple[str, ...] = (
    "test -v 'a[$(touch ../PWNED)]'",
    "[ -v 'a[$(touch ../PWNED)]' ]",
    "[[ -v 'a[$(touch ../PWNED)]' ]]",
    "unset 'a[$(touch ../PWNED)]'",
    "unset -v 'a[$(touch ../PWNED)]'",
    "printf -v 'a[$(touch ../PWNED)]' x",
    "read 'a[$(touch ../PWNED)]' <<< x",
    "getopts x 'a[$(touch ../PWNED)]'",
    "declare 'a[$(touch ../PWNED)]=1'",
    "let 'x=a[$(touch ../PWNED)]'",
    "mapfile -C 'touch ../PWNED' -c 1 a < README.md",
    "readarray -C 'touch ../PWNED' -c 1 a < README.md",
    "compgen -W '$(touch ../PWNED)' x",
    "compgen -C 'touch ../PWNED' x",
    "hash -p ./evil cat; cat README.md",
    "enable -f ./x.so x",
    "coproc touch ../PWNED",
    'echo "${x/$(touch ../PWNED)/y}"',
    'echo ${x#"$(touch ../PWNED)"}',
    "case x in $(touch ../PWNED)) ;; esac",
    'echo $"$(touch ../PWNED)"',
    "echo ~$(touch ../PWNED)",
    "shift 'a[$(touch ../PWNED)]'",
    "return 'a[$(touch ../PWNED)]'",
    "wait -n 'a[$(touch ../PWNED)]'",
    "printf '%d' 'a[$(touch ../PWNED)]'",
    "kill -l 'a[$(touch ../PWNED)]'",
    "ulimit -n 'a[$(touch ../PWNED)]'",
    "history -d 'a[$(touch ../PWNED)]'",
    "echo ${#a['$(touch ../PWNED)']}",
    "declare -p 'a[$(touch ../PWNED)]'",
    "local -n r='a[$(touch ../PWNED)]'",
    "declare -n r='a[$(touch ../PWNED)]'; echo $r",
    "select x in a; do break; done <<< '1'",
    "caller 'a[$(touch ../PWNED)]'",
    "break 'a[$(touch ../PWNED)]'",
    "test 'a[$(touch ../PWNED)]' -eq 1",
    "[[ 'a[$(touch ../PWNED)]' -eq 1 ]]",
    "x='a[$(touch ../PWNED)]'; [[ $x -eq 1 ]]",
    "printf -v x %s 'a[$(touch ../PWNED)]'; echo $((x))",
    "read x <<< 'a[$(touch ../PWNED)]'; echo $((x))",
    "fc -e 'touch ../PWNED' -1",
    "trap 'touch ../PWNED' ERR",
    "bind -x '\"a\":touch ../PWNED'",
    "complete -C 'touch ../PWNED' x",
    'echo "${@:$(touch ../PWNED)}"',
    "echo ${*/#/$(touch ../PWNED)}",
    "echo {$,}PATH",
    "echo {$,}[1+2]",
    "x='$(touch ../PWNED)'; echo {$,}{x@P}",
    "x='a[$(touch ../PWNED)]'; echo {$,}[x]",
    "echo {$,}{x@P}",
    "echo {$,}[x]",
    "echo {$,}{BASH_ENV:=x}",
    "echo a{$,}[x]",
    "echo {a,$}[x]",
    "echo {$,}{x,}",
    "echo x{,$}",
    "echo {$,x}",
    "echo \"${x-'$(touch ../PWNED)'}\"",
    # (the twenty-fifth pass: `"${x#'$(cmd)'}"` runs nothing, its pattern's quotes quote;
    # this one runs cmd, the substitution outside them)
    "echo \"${x#'a'$(touch ../PWNED)}\"",
    "echo \"${x:-$'$(touch ../PWNED)'}\"",
    'echo "${x:-$"$(touch ../PWNED)"}"',
    'echo "${x:-"$(touch ../PWNED)"}"',
    "echo ${x//[$(touch ../PWNED)]/}",
    "echo \"${x/'$(touch ../PWNED)'/}\"",
    "echo \"${x:+'`touch ../PWNED`'}\"",
    "echo \"${x-'${y:-`touch ../PWNED`}'}\"",
    "x=1; echo \"${x:+'$(touch ../PWNED)'}\"",
    "echo \"${x@Q}${x-'$(touch ../PWNED)'}\"",
    'echo "${x-"\'"$(touch ../PWNED)"\'"}"',
    "echo ${x-\"'$(touch ../PWNED)'\"}",
    "echo \"${x-\\'$(touch ../PWNED)\\'}\"",
    "[[ -n \"${x-'$(touch ../PWNED)'}\" ]]",
    "x=(\"${y-'$(touch ../PWNED)'}\")",
    "echo $(( ${x-'$(touch ../PWNED)'} ))",
)

CLASS_6: tuple[str, ...] = (
    "printf -vPATH %s /tmp",
    "printf -v PATH -- %s /tmp",
    'printf -v"PATH" %s /tmp',
    "command printf -v PATH %s /tmp",
    "builtin printf -v BASH_ENV %s x",
    "\\printf -v PATH %s x",
    "'printf' -v PATH %s x",
    "read -rPATH <<< x",
    "read -r -- PATH <<< x",
    "read -a BASH_ENV <<< x",
    "read -raBASH_ENV <<< x",
    "read -d '' -r BASH_ENV <<< x",
    "read -N 3 -u 0 PATH <<< x",
    "read -p p PATH <<< x",
    "mapfile -t PATH < README.md",
    "mapfile -tu0 PATH < README.md",
    "mapfile -O 0 -n 1 PATH < README.md",
    "readarray -t LD_PRELOAD < README.md",
    "getopts a LD_PRELOAD -a",
    "getopts :a PATH",
    "wait -pBASH_ENV",
    "wait -p PATH",
    "declare -nr r=PATH",
    "local -n r=BASH_ENV",
    "typeset -n r=PATH",
    "declare -gn r=PATH",
    "declare +n r",
    "declare -I x",
    "declare -a PATH=(/tmp)",
    "declare -A PATH",
    "typeset -x PYTHONPATH=.",
    "readonly -a LD_PRELOAD",
    "set -xa",
    "set -euo allexport",
    "set +a",
    "set -a --",
    "set -Ca",
    ": ${BASH_ENV:=./x}",
    ": ${PATH:=/tmp}",
    ': "${LD_PRELOAD=./x.so}"',
    "echo ${x[PATH=1]}",
    "echo ${x:PATH=1}",
    "(( PATH = 0 ))",
    "((PATH=1))",
    "let 'x=PATH=1'",
    "let x=PATH++",
    "echo $((PATH++))",
    "[[ x -eq PATH=1 ]]",
    "declare -i x; x=PATH=1",
    "x=1; (( x += (PATH=1) ))",
    "select PATH in /tmp; do break; done <<< 1",
    "coproc PATH { true; }",
    "exec {PATH}>out.txt",
    "exec {BASH_ENV}<README.md",
    "cd src; pushd -n /tmp",
    "for ((PATH=0; PATH<1; PATH++)); do :; done",
    "unset -v PATH",
    "printf -v 'x[PATH=1]' %s a",
    "read 'x[PATH=1]' <<< a",
    "getopts a 'x[PATH=1]'",
    "unset 'x[PATH=1]'",
    "[[ -v x[PATH=1] ]]",
    "test -v 'x[PATH=1]'",
    'declare "x[PATH=1]=a"',
    "declare -a x; x[PATH=1]=a",
    "x=([PATH=1]=a)",
    "r=PATH; declare -n s=$r",
    'printf -v "$x" %s 1',
    'declare -n r="$x"',
    'local "${x}=y"',
    'export "$x"',
    'mapfile "$x" < README.md',
    'getopts a "$x"',
    "declare -n r=x; r=1",
    "bash -a -c 'x=1'",
    "bash -o allexport -c 'x=1'",
    "sh -a -c true",
    "declare -l path=/tmp",
    "typeset -g LD_PRELOAD",
    "BASH_XTRACEFD=3 true",
    "PS4='$(touch ../PWNED)' true",
    "IFS=/ read -r a b <<< x",
    "cat() { touch ../PWNED; }; export -f cat",
    "f() { :; }; export -f f",
    "f() { :; }; declare -fx f",
    "f() { :; }; typeset -fx f",
    "f() { :; }; readonly -f f",
    "export -f f",
    "BASH_CMDS[cat]=./evil; cat README.md",
    "BASH_ALIASES[ls]='touch ../PWNED'",
    "printf -v 'BASH_CMDS[cat]' %s ./evil",
    "read 'BASH_CMDS[cat]' <<< ./evil",
    "declare -A BASH_CMDS=([cat]=./evil)",
    "BASH_ARGV0=x",
    "export npm_config_script_shell=./x",
    "export npm_config_userconfig=./x",
    "declare -x npm_config_node_options=x",
    "npm_config_script_shell=./x npm run test",
    "export all_proxy=x",
    "export no_proxy=x",
    "export yarn_rc_filename=x",
    "export x=1",
    "declare -x x=1",
    "export ld_preload=x",
    "declare -u ld_preload=x; export ld_preload",
    "enable -n test",
    "enable -n echo",
    "enable -ps",
    "alias ls='touch ../PWNED'",
    "declare -f",
    "declare -c x=1",
    "export PAGER=cat; PAGER+=' ../x'; git log",
    "export PAGER=cat; PAGER[0]='touch ../PWNED'; git log",
    "export PAGER=cat; PAGER[0]=cat; git log",
    "export GIT_PAGER=cat; declare 'GIT_PAGER[0]=touch ../PWNED'; git log",
    "export PAGER=cat; printf -v 'PAGER[0]' %s sh; git log",
    "export PAGER=cat; read 'PAGER[0]' <<< sh; git log",
    "export LANG=C; LANG[0]=../x",
    "export TZ=UTC; TZ[0]=/tmp/x; date",
    "export PAGER=cat; PAGER=([0]=sh); git log",
    "export PAGER=cat; declare -a PAGER=(sh); git log",
    "export PAGER=cat; declare -l PAGER=CAT; git log",
    "export PAGER=cat; declare -u PAGER; git log",
    "export PAGER=cat; declare -n p=PAGER; p=sh",
    "export PAGER=cat; mapfile PAGER < README.md",
    "export PAGER=cat; mapfile -O 0 PAGER < README.md",
    "export PAGER=cat; unset PAGER; git log",
    "export EDITOR=true; EDITOR+=x",
    "export LANG=C.UTF-8; LANG+=/x",
    "export CI=1; CI[0]=x",
    "export TZ=UTC; declare -i TZ",
    "export NO_COLOR=1; let NO_COLOR+=1",
    "export TERM=xterm; TERM[1]=x",
)

CLASS_7: tuple[str, ...] = (
    "git -cpull.rebase=i pull",
    "git -c PULL.REBASE=interactive pull",
    "git -c pull.Rebase=i pull",
    "git -c pull.rebase=' i' pull",
    "git -c pull.rebase=i fetch",
    "git -c rebase.abbreviatecommands=true rebase main",
    "git -c rebase.missingcommitscheck=error rebase main",
    "git -cpull.rebase=i pull origin main",
    "git -c pull.rebase=i pull origin main",
    "git -cpull.rebase=interactive pull --rebase origin main",
    "git -cpull.rebase=i pull --ff-only origin main",
    "git -cpull.rebase=true pull origin main",
    "git pull --rebase=i origin main",
    "git pull --rebase=interactive origin main",
    "git -ccore.editor=x commit",
    "git --config-env pull.rebase=HOME pull origin main",
    "git --config-env=pull.rebase=HOME pull origin main",
    "git --config-env commit.gpgsign=HOME commit -m x",
    "git --config-env tag.gpgsign=HOME tag v1",
    "git -c CORE.PAGER=x log",
    "git -c Core.Pager=x log",
    "git -c core.pager log",
    "git -ccore.pager=x log",
    "git -c=core.pager=x log",
    "git --config-env=core.pager=V log",
    "git --config-env core.pager=V log",
    "git --config-env=user.name=HOME log",
    "git --config-env=user.name=PAGER log",
    "git -c include.path=./cfg log",
    "git -c INCLUDE.PATH=./cfg log",
    "git -c includeIf.gitdir:/.path=./cfg log",
    "git -c includeif.onbranch:main.path=./cfg log",
    "git -c 'user.name=x' -c core.editor=x commit",
    "git -c user.x.name=y log",
    "git -c user.name.core.pager=x log",
    "git -c core.quotepath.x=y log",
    "git -c 'core.quotepath =x' log",
    "git -c ' core.pager=x' log",
    "git -c core..pager=x log",
    "git -c .core.pager=x log",
    "git -c user.name=$'x\\n[core]\\npager=y' log",
    "git -c pull.rebase=interactive pull",
    "git -c pull.rebase=i pull",
    "git -c pull.rebase=merges pull",
    "git config set core.pager x",
    "git config set --all core.pager x",
    "git config --replace-all core.pager x",
    "git config --add include.path ./cfg",
    "git config --rename-section user core",
    "git config rename-section user core",
    "git config --rename-section color core",
    "git config --remove-section core",
    "git config remove-section user",
    "git config --edit",
    "git config edit",
    "git config -e",
    "git config --file .git/config user.name x",
    "git config --file=cfg core.pager x",
    "git config unset core.pager",
    "git config --unset-all core.fsmonitor",
    "git config --get-urlmatch http.proxy https://x",
    "git config --get-color color.x red",
    "git config --comment x user.name y",
    "git -c commit.gpgsign commit -m x",
    "git -c commit.gpgsign=1k commit -m x",
    "git -c commit.gpgsign=0x1 commit -m x",
    "git -c commit.gpgsign=2 commit -m x",
    "git -c commit.gpgsign=-1 commit -m x",
    "git -c commit.gpgsign=YES commit -m x",
    "git -c commit.gpgsign=On commit -m x",
    "git -c commit.gpgsign=0k commit -m x",
    "git -c commit.gpgsign=00 commit -m x",
    "git -c COMMIT.GPGSIGN=TRUE commit -m x",
    "git -c tag.gpgsign tag v1",
    "git -c tag.gpgSign=1 tag -a v1 -m x",
    "git --config-env=commit.gpgsign=HOME commit -m x",
    "git config commit.gpgsign 1",
    "git config set commit.gpgsign yes",
    "git config --bool commit.gpgsign 1",
    "git config commit.gpgsign false",
    "git config --type=bool commit.gpgsign x",
    "git -c commit.gpgsign=false -c commit.gpgsign=true commit -m x",
    "git -c commit.gpgsign=false -c COMMIT.gpgsign commit -m x",
    "git -c commit.gpgsign=false -ccommit.gpgsign commit -m x",
    "git -c commit.gpgsign=false commit -S -m x",
    "git commit --gpg-sign=x -m x",
    "git commit -Sx -m x",
    "git -c commit.gpgsign=true commit --no-gpg-sign -m x",
    "git -c commit.gpgsign=2k commit -m x",
    "git -c commit.gpgsign=1m commit -m x",
    "git -c commit.gpgsign=' true' commit -m x",
    "git -c commit.gpgsign=' 1' commit -m x",
    "git -c commit.gpgsign='false ' commit -m x",
    "git clone -c commit.gpgsign=2 https://example.com/r.git",
    "git clone --config commit.gpgsign=true https://example.com/r.git",
    "git clone --config=tag.gpgsign=1k https://example.com/r.git",
    "git clone -c commit.gpgsign=false https://example.com/r.git",
    "git clone -c commit.gpgsign=2 https://example.com/r.git sub",
    "git clone --config=commit.gpgsign=false https://example.com/r.git sub",
    "git push origin '+HEAD:main'",
    "git push origin :main",
    "git push origin ':refs/heads/main'",
    "git push origin main:main --force-with-lease",
    "git push origin 0000000000000000000000000000000000000000:main",
    "git push origin '':main",
    'git push origin "":refs/tags/v1',
    "git push origin +:",
    "git push origin -d main",
    "git push origin --delete=main",
    "git push --mirror origin",
    "git push --prune origin 'refs/heads/*:refs/heads/*'",
    "git push origin main -o ci.skip",
    "git push --receive-pack=./x origin main",
    "git push --exec=./x origin main",
    "git push -u origin +main",
    "git fetch origin +main:main",
    "git fetch origin main:main",
    "git fetch origin 'refs/heads/*:refs/heads/*'",
    "git fetch origin '+refs/heads/*:refs/remotes/origin/*'",
    "git fetch origin 'main:refs/heads/x'",
    "git fetch --upload-pack=./x origin",
    "git fetch origin --refmap= main",
    "git fetch -p origin main:refs/remotes/origin/main",
    "git fetch origin :main",
    "git fetch --update-head-ok origin main:main",
    "git pull origin +main",
    "git pull origin main:main",
    "git pull --force origin main",
    "git update-ref -d refs/heads/x",
    "git update-ref refs/heads/main HEAD~1",
    "git branch -d --force main",
    "git branch --delete --force x",
    "git reflog delete HEAD@{1}",
    "git replace HEAD~1 HEAD",
    "git notes remove HEAD",
    "git branch -M x main",
    "git branch --move --force x main",
    "git send-pack ./evil main",
    "git send-pack --force https://x main",
    "git worktree add -B main ../x",
    "git filter-repo",
    "git push origin 'main:main' '+x:y'",
    "git config -f ../x user.name y",
    "git config --file=/tmp/x user.name y",
    "git config -f ./.git/config user.name y",
    "git config -f .git//config user.name y",
    "git config -f src/../.git/config user.name y",
    "git config -f.git/config user.name y",
    "git config -f .git/hooks/pre-commit user.name y",
    "git config -f .gitmodules submodule.x.update '!touch ../PWNED'",
    "git config -f .gitmodules user.name y",
    "git config -f .git/config.worktree user.name y",
    "git config -f .gitconfig user.name y",
    "git -c core.quotepath=false --config-env=user.name=HOME log",
    "env GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.pager GIT_CONFIG_VALUE_0=x git log",
    "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0=x git log",
    "export GIT_CONFIG_COUNT=1",
    "declare -x GIT_CONFIG_KEY_0=core.pager",
    "GIT_CONFIG_PARAMETERS=\"'core.pager'='x'\" git log",
    "GIT_CONFIG=./cfg git log",
    "GIT_CONFIG_GLOBAL=./cfg git log",
    "GIT_CONFIG_SYSTEM=./cfg git log",
    "GIT_CONFIG_NOSYSTEM=1 git log",
    "env -u GIT_CONFIG_COUNT git log",
    "unset GIT_CONFIG_COUNT",
    "unset -v GIT_CONFIG_KEY_0",
    "printf -v GIT_CONFIG_COUNT %s 0",
    "read GIT_CONFIG_COUNT <<< 0",
    ": ${GIT_CONFIG_COUNT:=0}",
    "(( GIT_CONFIG_COUNT = 0 ))",
    "env -i git log",
    "exec -c git log",
    "env --ignore-environment git log",
    "env - git log",
    "GIT_DIR=./x git log",
    "GIT_EXEC_PATH=./x git log",
    "GIT_PAGER='cat ' git log",
    "GIT_PAGER=Cat git log",
    "git -c core.pager=cat log",
    "git --exec-path=./x log",
    "git --git-dir=./x log",
    "git --work-tree=/tmp log",
    "git -c safe.bareRepository=all log",
    "git -c protocol.allow=always log",
    "git -c core.fsmonitor=false status",
    "git -c core.hooksPath=./h commit -m x",
    "git -c user.name=x -c include.path=x log",
    "git -c user.name=x -cinclude.path=x log",
    "git --config-env=INCLUDE.PATH=HOME log",
    "git --config-env=color.ui=HOME log",
    "git --config-env=core.quotepath=HOME log",
    "git -c alias.st='!touch ../PWNED' st",
    "git -c 'alias.st=!sh' st",
    "git -c diff.x.textconv=sh diff",
    "git -c core.attributesfile=./a diff",
    "git -c core.excludesFile=../x status",
)


def test_each_class_has_twenty_new_variations() -> None:
    for cases in (CLASS_3, CLASS_6, CLASS_7):
        assert len(set(cases)) == len(cases) >= 20


@pytest.mark.parametrize("command", CLASS_3 + CLASS_6 + CLASS_7)
def test_variation_is_not_allowed(policy: Policy, ws: Path, command: str) -> None:
    verdict, rule = exec_verdict(policy, ws, command)
    assert verdict is not Verdict.ALLOW, (command, rule)


# (a) git reads any non-zero integer as true: these turned signing on
GPGSIGN_ON = ("2", "-1", "0x1", "1k", "2k", "1m", " 1")
GPGSIGN_OFF = ("false", "no", "off", "0", "")


@pytest.mark.parametrize("value", GPGSIGN_ON)
@pytest.mark.parametrize("key", ("commit.gpgsign", "COMMIT.gpgSign", "tag.gpgsign"))
def test_gpgsign_integer_spellings_are_denied(
    policy: Policy, ws: Path, key: str, value: str
) -> None:
    for command in (
        f"git -c {key}='{value}' commit -m x",
        f"git -c{key}='{value}' tag -a v1 -m x",
        f"git clone --config={key}='{value}' https://example.com/r.git sub",
        f"git clone -c {key}='{value}' https://example.com/r.git sub",
    ):
        verdict, rule = exec_verdict(policy, ws, command)
        assert verdict is Verdict.DENY, (command, rule)


@pytest.mark.parametrize("value", GPGSIGN_OFF)
def test_gpgsign_off_stays_allowed(policy: Policy, ws: Path, value: str) -> None:
    for command in (
        f"git -c commit.gpgsign='{value}' commit -m x",
        f"git -c tag.gpgSign={value!r} tag v1",
    ):
        assert exec_verdict(policy, ws, command)[0] is Verdict.ALLOW, command


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="no git to run")


@needs_git
def test_gpgsign_integer_spellings_run_gpg_by_effect(tmp_path: Path) -> None:
    """A stand-in `gpg` first on PATH leaves a marker when git signs; the off spellings do not."""
    repo = scratch_repo(tmp_path / "repo", {"README.md": "x\n", "src/a.py": "1\n"})
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    marker = tmp_path / "GPG_RAN"
    gpg = bin_dir / "gpg"
    gpg.write_text(f"#!/bin/sh\ntouch '{marker}'\nexit 1\n")
    gpg.chmod(0o755)
    env = {
        **os.environ,
        **GIT_ENV,
        "HOME": str(tmp_path),
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
    }

    def signs(value: str) -> bool:
        marker.unlink(missing_ok=True)
        subprocess.run(
            ["git", "-c", f"commit.gpgsign={value}", "commit", "-q", "--allow-empty", "-m", "x"],
            cwd=repo,
            env=env,
            capture_output=True,
            timeout=30,
            check=False,
        )
        return marker.exists()

    assert signs("true")  # control: the shape the rule already refused
    for value in GPGSIGN_ON:
        assert signs(value), value
    for value in GPGSIGN_OFF:
        assert not signs(value), value


needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="no bash to run")

# allowed, and bash runs nothing: single quotes that stay quotes, escaped `$`, `set --`
HELD_ALLOWED = (
    "echo ${x-'$(touch ../PWNED)'}",
    "echo \"$(echo '$(touch ../PWNED)')\"",
    "echo \"`echo '$(touch ../PWNED)'`\"",
    "echo \"${x:-'\\$(touch ../PWNED)'}\"",
    "x=hi; echo $x",
    "set -- -a; x=1; echo $x",
)
# denied, and bash does run the payload (the controls)
RUNS_AND_DENIED = (
    "echo \"${x-'$(touch ../PWNED)'}\"",
    "x='$(touch ../PWNED)'; echo {$,}{x@P}",
    "x='a[$(touch ../PWNED)]'; echo {$,}[x]",
    "test -v 'a[$(touch ../PWNED)]'",
    "printf -v 'a[$(touch ../PWNED)]' x",
    "mapfile -C 'touch ../PWNED' -c 1 a < README.md",
    "compgen -W '$(touch ../PWNED)' x",
)


@needs_bash
@pytest.mark.parametrize("command", HELD_ALLOWED)
def test_allowed_lines_run_nothing(policy: Policy, ws: Path, tmp_path: Path, command: str) -> None:
    assert exec_verdict(policy, ws, command)[0] is Verdict.ALLOW, command
    (tmp_path / "ws" / "README.md").parent.mkdir(parents=True, exist_ok=True)
    assert not _bash(command, tmp_path).exists(), command


@needs_bash
@pytest.mark.parametrize("command", RUNS_AND_DENIED)
def test_denied_lines_do_run_code(policy: Policy, ws: Path, tmp_path: Path, command: str) -> None:
    assert exec_verdict(policy, ws, command)[0] is not Verdict.ALLOW, command
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "README.md").write_text("x\n")
    assert _bash(command, tmp_path).exists(), command


@needs_git
def test_git_refuses_an_attached_top_level_c(tmp_path: Path) -> None:
    """`git -cKEY=V` (only asked about, not allowed) is no option to git: it runs nothing."""
    repo = scratch_repo(tmp_path / "repo", {"README.md": "x\n", "src/a.py": "1\n"})
    env = {**os.environ, **GIT_ENV, "HOME": str(tmp_path)}
    run = subprocess.run(
        ["git", "-cuser.name=zz", "var", "GIT_COMMITTER_IDENT"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert run.returncode != 0 and "unknown option" in run.stderr
