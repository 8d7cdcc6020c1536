"""Deciding a shell command: every sub-command, every argument the program would act on.

The evaluator walks the simple commands the parser found. A program with an argument spec
(``exec.programs``; for read-only roles ``exec.read_only``, their *only* table) is parsed
the way the program parses its arguments, and every value is checked by its kind: paths
against the workspace, wrapped commands and shell strings recursively, inline code,
environment variables and git configuration against their allowlists. Anything the spec does
not list cannot be decided. Programs without a spec (plain file tools, infrastructure CLIs)
are matched by the policy's argv rules and their path-shaped arguments checked. The evaluator
only collects findings; the engine combines them (deny-overrides).
"""

from __future__ import annotations

import bisect
import glob
import os
import re
import shlex
import string
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.models import Verdict
from enforcement_agent.policy.api_requests import (
    API_CLIENTS,
    HTTP_CLIENTS,
    api_request,
    http_problem,
    request_problem,
)
from enforcement_agent.policy.argspec import ProgramSpec
from enforcement_agent.policy.cmake_trees import TREE_FILES, configure_trees
from enforcement_agent.policy.cmake_trees import Undecidable as CmakeUndecidable
from enforcement_agent.policy.compiler_outputs import CC as _CC_NAMES
from enforcement_agent.policy.compiler_outputs import Undecidable as CompilerUndecidable
from enforcement_agent.policy.compiler_outputs import derived_outputs
from enforcement_agent.policy.config_outputs import NAMES as CONFIG_TOOLS
from enforcement_agent.policy.config_outputs import Undecidable as ConfigUndecidable
from enforcement_agent.policy.config_outputs import output_paths as config_output_paths
from enforcement_agent.policy.date_strings import DATE_PARSERS, date_words, zone_problem
from enforcement_agent.policy.git_remotes import GIT_CONFIG_READS
from enforcement_agent.policy.globs import GlobSet
from enforcement_agent.policy.gradle_tasks import gradle_task_writes
from enforcement_agent.policy.options import Item, Parsed, parse_args
from enforcement_agent.policy.package_sources import (
    ENV_MANAGER_FILES,
    INDEX_DECLARATION,
    INDEX_RULE,
    JS_REGISTRY_FILES,
    LOCKFILES,
    PY_LOCKFILES,
    SOURCE_RULE,
    env_source,
    js_registry,
    lockfile_source,
    npm_source,
    python_source,
    small_text,
)
from enforcement_agent.policy.path_checks import (
    GLOB_COST,
    PROTECTED_RULE,
    SECRET_RULE,
    PathChecks,
    _code_text,
)
from enforcement_agent.policy.paths import Resolved, Workspace, under_prefix
from enforcement_agent.policy.repo_code import enclosing_git, git_dir_outside, repo_runs_code
from enforcement_agent.policy.rules import Argv, ExecRule, Finding, RuleIndex, split_argv
from enforcement_agent.policy.sed_script import SedVerdict, read_sed_script
from enforcement_agent.policy.shell import (
    MAX_DEPTH,
    NAME_TAKERS,
    NAMES_MARKER,
    SHELL_OPTION_BUILTINS,
    STDIN_ARGUMENTS,
    Budget,
    Redirect,
    SimpleCommand,
    TooComplex,
    Undecidable,
    Word,
    invocation_option_problem,
    name_operand_problem,
    parse_cached,
    shell_option_problem,
)

UNDECIDABLE = "shell.undecidable"
ARGSPEC = "exec.argspec"
ENV_RULE = "shell.env-not-allowed"
GIT_CONFIG_RULE = "exec.git-config-not-allowed"
READ_ONLY_ALLOW = "exec.read-only.allow"
READ_ONLY_DENY = "exec.read-only.not-listed"
# A name no protected pattern names by itself: made in a folder, it is protected only when
# every new entry there is (`.github/**`), which is what `_works_outside_protected` asks.
_NEW_ENTRY = "gonogo-new-entry"
# programs whose outputs are named after their inputs (``compiler_outputs``)
DERIVING = _CC_NAMES | {
    "rustc",
    "go build",
    "zig build-exe",
    "zig build-lib",
    "zig build-obj",
    "tsc",
}
# Shell builtins and keywords whose command runs in the current shell: a cd there moves it.
_CURRENT_SHELL_WRAPPERS = frozenset({"command", "builtin", "time"})
MAX_CWDS = 64  # directories a command may be in after its cds (past it: too complex)
_VERSIONED = lazy_compile(
    r"^(python|pypy|perl|ruby|node|nodejs|php|lua|luajit|pip|tclsh|wish|bun|deno)[\d.]*$"
)
_ENV_NAME = lazy_compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# zsh-only syntax in a `zsh -c` string, read outside quotes: a clobbering redirection (`>!`,
# `>>!`, `>&!`, `&>!`), a word starting with `=` (EQUALS: `=cat` is /usr/bin/cat, `=(cmd)` a
# temporary file of cmd's output), `**` (a recursive glob, also in a redirection) and a
# numeric range glob (`<->`, `<1-99>`: bash's grammar reads `cp id_ed<-> x` as `cp id_ed` with
# two redirections, and zsh copied `id_ed25519`: a thirty-fifth red-team pass).
_ZSH_ONLY = lazy_compile(r"[>|]&?\s*!|(?:^|[\s;&|(<>])=[^\s=]|\*\*|<\d*-\d*>")
# zsh's `set -T` (`set -eT`, `set -e +T` …) is CDABLE_VARS, where `cd x` goes to the directory
# $x names when ./x does not exist (bash's -T is functrace): a thirtieth red-team pass, `zsh -c
# 'set -T; x=/elsewhere; cd x && touch y'` wrote outside the workspace.
_ZSH_SET_T = lazy_compile(r"(?<![\w-])set(?:\s+[-+][A-Za-z0-9]*)*\s+[-+][A-Za-z0-9]*T")
# zsh's special parameters (zshparam, the zsh/parameter, zsh/mapfile, zsh/system and
# zsh/zleparameter modules) that are plain lower-case shell variables to bash, whose grammar
# decides the string: setting them defines functions (`functions=(ls 'cmd')`), replaces the
# program a name runs (`commands=(git ./x)`), aliases, options, named directories, the
# directory stack, hook lists, or writes files (`mapfile[f]=…`). A thirtieth red-team pass:
# `zsh -c 'functions=(ls "touch MARK"); ls'` was decided as `ls` and ran `touch`.
_ZSH_PARAMETERS = lazy_compile(
    r"(?<![A-Za-z0-9_])(?:(?:dis_)?(?:functions|functions_source|aliases|galiases|saliases"
    r"|builtins|reswords|patchars)|commands|options|nameddirs|userdirs|usergroups|dirstack"
    r"|parameters|modules|history|historywords|jobdirs|jobtexts|jobstates|funcstack"
    r"|functrace|funcfiletrace|funcsourcetrace|mapfile|sysparams|errnos|keymaps|widgets"
    r"|terminfo|termcap|langinfo|zle_highlight|argv|[a-z]+_functions)(?![A-Za-z0-9_])"
)
# subcommands that build a local project they are given (a directory, `-e DIR`) in place
_BUILDS_IN_PROJECT = frozenset(
    {"pip install", "pip wheel", "pip download", "uv pip install", "uv add", "uv tool install",
     "uv pip compile", "uv build", "pipx install"}
)  # fmt: skip
# subcommands that install or lock from the indexes a project file declares
_INSTALLS_FROM_PROJECT = frozenset(
    {"uv sync", "uv lock", "uv run", "uv add", "uv remove", "uv export", "uv tree",
     "uv pip install", "uv pip compile", "uv pip sync", "uv build", "uv tool install",
     "poetry install", "poetry sync", "poetry lock", "poetry add", "poetry update",
     "poetry run", "poetry export", "poetry show", "poetry build"}
)  # fmt: skip
_PROJECT_INDEX_FILES = ("pyproject.toml", "uv.toml", "poetry.toml", "pdm.toml", ".pdm.toml")
# Installs that read the dependencies a project file declares (a thirteenth red-team pass):
# Python ones read pyproject.toml (and Pipfile for pipenv), the JavaScript ones package.json.
_PY_DEPENDENCY_FILES = ("pyproject.toml", "Pipfile", "setup.cfg")
_INSTALLS_FROM_PACKAGE_JSON = frozenset(
    {"npm install", "pnpm install", "pnpm add", "yarn install", "yarn add", "bun install",
     "bun add",
     # they resolve and fetch from the lockfile too (a fourteenth red-team pass): `npm
     # dedupe|prune|rebuild`, `pnpm update`, `pnpm fetch|dedupe|import`, `yarn up|dedupe`
     "npm dedupe", "pnpm update", "pnpm fetch", "yarn remove",
     # `pnpm install-test|it`: install, then test (a fifteenth red-team pass)
     "pnpm install-test"}
)  # fmt: skip
_REQUIREMENT_OPERANDS = frozenset({"uv pip sync", "uv pip compile", "pip-compile"})
_PIPENV_INSTALLS = frozenset({"pipenv install", "pipenv sync", "pipenv lock", "pipenv update"})
_URL = lazy_compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# `data:`, `npm:`, `jsr:`, `node:`, `file:` … where a script file is expected (two letters at
# least: never a path, which needs no colon)
_SCHEME = lazy_compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
_PLAIN_VALUE = lazy_compile(r"^[A-Za-z0-9_.,:/+@%=-]*$")
_NUMBER = lazy_compile(r"^-?[0-9]+$")
_WRITE_REDIRECTS = {">", ">>", ">|", "&>", "&>>", "<>", ">&"}
# A module name an interpreter option may load: `Foo::Bar`, `tsx/esm`, `@scope/pkg/register`,
# perl's `-MFoo=a,b`, pytest's `no:plugin`; nothing a program would paste into code (spaces,
# `;`, `(`, quotes) and no URL (`data:`).
_PLAIN_IMPORT = lazy_compile(
    r"(?:no:)?(?:[A-Za-z0-9_@][A-Za-z0-9_./@-]*(?:::[A-Za-z0-9_]+)*(?:,(?!\Z)|(?==)|\Z))+"
    r"(?:=[A-Za-z0-9_,:]*)?\Z"
)
_SED_MAX = 4096
# A second reading of a sed script after `read_sed_script`'s (which is the one that walks it as
# sed does): a command letter that opens or runs after a command's start, and an `s` command's
# flags (:func:`_sed_subst_flags`). The first is searched with every run of blanks made one, so
# it stays linear (stop 48: `\s*` after each of 4,096 newlines rescanned the rest).
_SED_DANGER = lazy_compile(r"(?:^|[;{}\n]|[0-9$/!])\s*[ewWrR](?:\s|$|;|\})")
_FLAG_CHARS = frozenset(string.ascii_letters + string.digits)
_BLANK_RUN = lazy_compile(r"\s{2,}")


def _sed_subst_flags(script: str) -> list[str]:
    r"""The flags of every `s` command ``script`` holds, read anywhere in it (comments, text),
    as ``finditer`` of ``s([^\\\n])(?:\\.|(?!\1)[^\\\n])*\1(?:\\.|(?!\1)[^\\\n])*\1([a-zA-Z0-9]*)``
    finds them, in linear time. Stop 48: the former pattern let a backslash be a plain
    character as well as an escape, and tried a run of them every way (5 s for a comment of 36
    backslashes, doubling per two more; the decision was then allowed); and each `s` whose
    delimiter does not come back read the rest of its line (0.19 s for a 4 KB line of them).

    A part ends at the first delimiter after it that no backslash escapes: one after a run of
    backslashes of even length (the run cannot reach back past the delimiter that opened the
    part, which is no backslash). Nothing crosses a line's end."""
    out: list[str] = []
    for line in script.split("\n"):
        unescaped: dict[str, list[int]] = {}
        run = 0  # backslashes right before k
        for k, ch in enumerate(line):
            if not run & 1:
                unescaped.setdefault(ch, []).append(k)
            run = run + 1 if ch == "\\" else 0
        k, n = 0, len(line)
        while (k := line.find("s", k)) >= 0 and k + 1 < n:
            delim = line[k + 1]
            ends = unescaped.get(delim, [])
            first = bisect.bisect_right(ends, k + 1)
            if delim == "\\" or first + 1 >= len(ends):
                k += 1
                continue
            end = ends[first + 1] + 1
            flags = end
            while flags < n and line[flags] in _FLAG_CHARS:
                flags += 1
            out.append(line[end:flags])
            k = flags
    return out


def _without_extras(word: str) -> str:
    r"""``pkg[dev,test]`` → ``pkg``: ``word`` without the ``[…]`` that ends it, from the first
    ``[`` after the ``]`` before the last (as ``re.sub(r"\[[^\]]*\]$", "", word)`` reads
    it, which tried the rest of the word from every ``[``: quadratic in a run of them)."""
    end = len(word) - 1 if word.endswith("]\n") else len(word)  # (`$` before a last newline)
    if not word.endswith("]", 0, end):
        return word
    start = word.find("[", word.rfind("]", 0, end - 1) + 1, end - 1)
    return word if start < 0 else word[:start] + word[end:]


def _one_blank(m: re.Match[str]) -> str:
    """A run of blanks as one: a newline if it holds one (a newline starts a command)."""
    return "\n" if "\n" in m.group() else " "


# `print … >` scans only up to the next `print`, so the search stays linear in the program
# (a lazy `[^;}]*?>` rescanned to the end from every `print`: 5 s for 64 KB).
_AWK_DANGER = lazy_compile(
    r"system\s*\(|getline|\|&|print(?:(?!print)[^;}])*>|close\s*\(|@load|ENVIRON|PROCINFO"
)
# An output or input pipe (`print | cmd`, `cmd | getline`) once strings and regex literals are
# blanked: the command may be any expression (`print | c`, `print | ("i" "d")`, `print | $0`),
# so any single `|` outside them runs a command (`||` is logical or).
_AWK_STRING = lazy_compile(r'"(?:[^"\\\n]|\\.)*"')
# (blanks after the character before a regex are `[^\S\n]*`: `\s*` from every newline of a run of
# blank lines read the run to its end, 8 s for 60 KB of awk program; thirty-eighth pass)
_AWK_REGEX = lazy_compile(r"(^|[(,~!{;&|\n][^\S\n]*)/(?:[^/\\\n]|\\.)*/")
_AWK_PIPE = lazy_compile(r"(?<!\|)\|(?!\|)")
_AWK_ARGV = lazy_compile(r"\bARG[VC]\b")
# Output directories a program empties before it writes (a fifth red-team pass: `pytest
# --basetemp=docs` and `python3 -m venv --clear docs` removed `docs/CLAUDE.md`): the value
# is a removal of the directory, checked for the protected paths below it. (spec, option) →
# the option that turns the emptying off ("" when none does); an option of "" is a
# positional argument, emptied when the flag named by _CLEARED_BY is given.
_EMPTIED_OUTPUTS: dict[tuple[str, str], str] = {
    ("pytest", "--basetemp"): "",
    ("mkdocs build", "-d"): "--dirty",
    ("mkdocs build", "--site-dir"): "--dirty",
    ("vite build", "--outDir"): "",  # emptyOutDir is on for an outDir inside the root
    # `cargo clean --target-dir DIR` removes DIR whole (a sixth red-team pass: `--target-dir .`
    # removed the workspace's .github and CLAUDE.md, shown)
    ("cargo clean", "--target-dir"): "",
}
_CLEARED_BY = {"python-venv": "--clear", "virtualenv": "--clear", "uv venv": "--clear"}
# Files a program writes inside a directory an option names: pytest's cache goes to its
# rootdir, which `-c FILE` moves to FILE's directory.
_WRITES_INSIDE = {
    ("pytest", "--rootdir"): ".pytest_cache",
    ("pytest", "-c"): ".pytest_cache",
    ("pytest", "--config-file"): ".pytest_cache",
}


# `git config`'s actions that only read (a flag each, the key a positional: twenty-fifth
# pass, `--get` read as taking a value hid `--file=PATH` from the write check; the list is
# git_remotes.GIT_CONFIG_READS) and those that write; `git config NAME` alone reads too.
_GIT_CONFIG_WRITES = frozenset({"--add", "--replace-all", "--unset", "--unset-all"})


def _git_config_read(spec: str, given: set[str], parsed: Parsed) -> bool:
    """Whether a ``git config`` invocation only reads, so its NAME may be any key."""
    if spec != "git config" or given & _GIT_CONFIG_WRITES:
        return False
    if given & GIT_CONFIG_READS:
        return True
    return sum(1 for it in parsed.items if not it.option) == 1


def _empties(spec: str, option: str, given: set[str]) -> bool:
    if option == "":
        flag = _CLEARED_BY.get(spec)
        return flag is not None and flag in given
    off = _EMPTIED_OUTPUTS.get((spec, option))
    return off is not None and not (off and off in given)


# Wrappers that start their command with an emptied environment (and the flags that do it).
_ENV_CLEARING = {"env": frozenset({"-i", "--ignore-environment"}), "exec": frozenset({"-c"})}
_DECLARATIONS = frozenset({"export", "declare", "typeset", "local", "readonly"})
_BUILTINS_THAT_RUN_CODE = frozenset({"eval", "source", ".", "fc", "enable", "bind", "alias"})


def _env_dash(args: list[Word]) -> list[Word]:
    """GNU env reads a lone `-` where its options end as `-i` (`env - git status` clears the
    environment): spelled out so the spec and the environment checks see it (a ninth
    red-team pass: it was read as a program named `-`, and asked)."""
    for k, w in enumerate(args):
        if w.text == "-" and not w.dynamic:
            return [Word("-i"), *args[:k], *args[k + 1 :]]
        if w.text == "--":  # getopt ends the options; env still reads a `-` after them
            if k + 1 < len(args) and args[k + 1].text == "-" and not args[k + 1].dynamic:
                return [Word("-i"), *args[: k + 1], *args[k + 2 :]]
            return args
        if w.dynamic or not w.text.startswith("-"):
            return args
        if w.text in ("-u", "-C", "-S") or w.text in ("--unset", "--chdir", "--split-string"):
            return args  # a value follows: leave the rare spelling to the spec as it is
    return args


_ENV_VALUED = frozenset("uC")  # env's short options that take a value (-S apart)
_SPLIT_SPECIAL = frozenset("\\$#'\"")


def _env_split(args: list[Word]) -> list[Word]:
    """GNU env puts the words of `-S STRING` in the place of the option and goes on parsing
    the whole argument list: `env -S'cat' .env` runs `cat .env`, `env -S '-i cat' x` clears
    the environment. The spec read STRING as the whole command and `.env` as another one (a
    thirteenth red-team pass: asked as an unknown program). A plain STRING (no escape,
    quote, `$` or `#`, which env processes itself and the spec leaves undecidable) is spelled
    out in place here, in a cluster (`-iS`, `-vSx`) or long form (`--split-string`, any
    unique prefix from `--sp`)."""
    out: list[Word] = []
    k = 0
    while k < len(args):
        w = args[k]
        t = w.text
        if w.dynamic or t == "--" or not t.startswith("-") or t == "-":
            return [*out, *args[k:]]
        value: str | None = None
        head: list[Word] = []
        nxt = k + 1
        if t.startswith("--"):
            opt, eq, val = t.partition("=")
            if len(opt) >= 4 and "--split-string".startswith(opt):
                if eq:
                    value = val
                elif k + 1 < len(args) and not args[k + 1].dynamic:
                    value, nxt = args[k + 1].text, k + 2
            elif not eq and opt in ("--unset", "--chdir") and k + 1 < len(args):
                out += args[k : k + 2]
                k += 2
                continue
        else:
            for j in range(1, len(t)):
                c = t[j]
                if c == "S":
                    head = [Word(t[:j])] if j > 1 else []
                    if t[j + 1 :]:
                        value = t[j + 1 :]
                    elif k + 1 < len(args) and not args[k + 1].dynamic:
                        value, nxt = args[k + 1].text, k + 2
                    else:
                        # no literal string follows (`env -S`, `env -S "$x"`): left to the
                        # spec. The loop came back to the same word for ever (a twenty-second
                        # red-team pass: `env -S` alone held a decision at full CPU; the
                        # 2 s cap counts work units and never fired)
                        return [*out, *args[k:]]
                    break
                if c in _ENV_VALUED:
                    if not t[j + 1 :]:
                        out += args[k : k + 2]
                        k += 2
                    else:
                        out.append(w)
                        k += 1
                    break
            else:
                out.append(w)
                k += 1
                continue
            if value is None:
                continue
        if value is None:
            if t.startswith("--"):
                out.append(w)
                k += 1
                continue
            return [*out, *args[k:]]
        if any(c in _SPLIT_SPECIAL for c in value):
            return [*out, *args[k:]]  # left to the spec: undecidable
        return _env_split([*out, *head, *(Word(x) for x in value.split()), *args[nxt:]])
    return out


def _flock_command(args: list[Word]) -> list[Word]:
    """flock(1) runs `sh -c CMD` for `flock [OPTIONS] FILE -c CMD` (util-linux compares the
    word after FILE with `-c`/`--command` after its options have ended): spelled as the
    spec's `flock -c CMD FILE` (a ninth red-team pass: `flock x -c 'rm -rf /srv'` asked as a
    program named `-c`)."""
    k = 0
    dashes = False
    while k < len(args):
        t = args[k].text
        if t == "--":
            dashes = True
            k += 1
            break
        if args[k].dynamic or not t.startswith("-") or t == "-":
            break
        if t in ("-w", "--timeout", "-E", "--conflict-exit-code"):
            k += 1
        k += 1
    if k + 2 < len(args) and args[k + 1].text in ("-c", "--command"):
        head = args[: k - 1] if dashes else args[:k]
        tail = [args[k - 1], args[k]] if dashes else [args[k]]
        return [*head, args[k + 1], args[k + 2], *tail, *args[k + 3 :]]
    return args


# `gh api -F KEY=@FILE` (also attached to -F/--field, and -f, which gh reads literally).
_GH_WRITE_VERBS = frozenset(
    {"create", "comment", "edit", "review", "reopen", "close", "merge", "transfer", "develop",
     "lock", "unlock", "pin", "unpin", "ready", "delete"}
)  # fmt: skip
_GH_FIELD_FILE = lazy_compile(r"^(?:--field=|--raw-field=|-F|-f)?[^=@\s-][^=]*=@(.+)$")

# gawk's default AWKPATH after `.` holds library files `-i NAME` and `-f NAME` find:
# gawk 5.2's library files that hold only pure functions (no getline, pipe, system, ARGV
# or indirect call); `inplace` is read by the awk spec (its operands are written).
_AWK_PURE_LIBRARIES = frozenset(
    {"inplace", "bits2str", "ctime", "isnumeric", "libintl", "walkarray"}
)

# How many more times a line with a loop is decided while its cds reach new directories.
_REDECIDE_PASSES = 3

# Programmable completion: -C/-F run a command or function, -W expands its words again.
_COMPLETION_BUILTINS = frozenset({"compgen", "complete", "compopt"})
_STDIN_SCRIPTS = frozenset({"-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"})
# Value kinds that run another command: a program whose spec takes one at its top level wraps
# a command (env, timeout, xargs, npx …); the wrapped words are decided on their own
# (package-script runners are not: the words they pass on are checked here).
_WRAPPING_KINDS = frozenset({"command", "xcommand", "shellwords", "split", "shell"})
# Value kinds that name a path the program opens (a computed one cannot be decided).
_PATH_KINDS = frozenset({"read", "write", "remove", "chdir", "script", "lit", "scriptarg"})


# Options (`""`: the arguments) whose paths a program loads code from: test files and the
# conftest/setup files beside them, project roots, build files. One outside the workspace is
# not the workspace's own code (a twentieth red-team pass: `pytest /usr/lib/…`, `unittest
# discover -s /usr/lib/…`, `mocha /usr/lib/node_modules/npm/bin/npx-cli.js`, `cmake -S DIR`).
# A shell assignment word: NAME=VALUE with a valid name (a wrapped command's environment).
_ASSIGNMENT_WORD = lazy_compile(r"[A-Za-z_][A-Za-z0-9_]*\+?=")

# The launchers a project keeps beside its build file, and the tool each one runs with the
# words it is given (`_launcher`).
_LAUNCHERS = {"gradlew": "gradle", "mvnw": "mvn"}

_CODE_PATHS: dict[str, frozenset[str]] = {
    "pytest": frozenset({""}),
    "mocha": frozenset({"", "--spec", "--package"}),
    "jest": frozenset({"--rootDir", "--roots", "--projects"}),
    "vitest": frozenset({"-r", "--root", "--dir"}),
    "cypress run": frozenset({"-s", "--spec", "-b", "--browser", "--project", "-P"}),
    "cypress open": frozenset({"-s", "--spec", "-b", "--browser", "--project", "-P"}),
    "rspec": frozenset({"", "-I", "-O", "--options"}),
    "phpunit": frozenset({"", "-c", "--configuration"}),
    "cmake": frozenset({"-S", "--build"}),
    "ctest": frozenset({"--test-dir"}),
    "tox": frozenset({"--root"}),
    # the package (a directory holding its package.json and scripts) a selector names
    "npm *": frozenset({"-w", "--workspace"}),
    "pnpm *": frozenset({"-F", "--filter"}),
    "dotnet test": frozenset({""}),
    "dotnet build": frozenset({""}),
    "dotnet run": frozenset({""}),
    "ninja": frozenset({"-f"}),
    "ts-node": frozenset({"-C", "--compiler"}),
    "alembic": frozenset({"-c", "--config"}),
    "mkdocs build": frozenset({"-f", "--config-file"}),
    "mkdocs serve": frozenset({"-f", "--config-file"}),
    "mkdocs gh-deploy": frozenset({"-f", "--config-file"}),
    "mkdocs get-deps": frozenset({"-f", "--config-file"}),
    "deno test": frozenset({""}),
    "deno bench": frozenset({""}),
    "bun test": frozenset({""}),
    "go test": frozenset({""}),
    "go run": frozenset({""}),
    "go generate": frozenset({""}),
}
# Options whose value is a program the tool runs (an interpreter it re-executes itself under,
# a Python whose search paths it asks for, a stand-in for `date`): a bare word is found on
# PATH, not in the workspace, so only a Python request (`3.12`, `python3.11`, `pypy3`,
# `cpython@3.12`, `>=3.11`) may be bare; anything with a `/` must be the workspace's own code.
# A twenty-fifth red-team pass: `pip --python=/usr/bin/echo list` ran echo and `mypy
# --python-executable=echo x.py` ran `echo …/pyinfo.py getsearchdirs` (strace), both allowed.
_PROGRAM_VALUES: dict[str, frozenset[str]] = {
    "pip *": frozenset({"--python"}),
    "pip": frozenset({"--python"}),
    "mypy": frozenset({"--python-executable"}),
    "pyright": frozenset({"--pythonpath"}),
    "uv": frozenset({"-p", "--python"}),
    "uv *": frozenset({"-p", "--python"}),
    "uvx": frozenset({"-p", "--python"}),
    "nox": frozenset({"--force-python", "--extra-python", "-P"}),
    "pipenv": frozenset({"--python"}),
    "pipenv *": frozenset({"--python"}),
    "faketime": frozenset({"--date-prog"}),
    # `--dbus-daemon=BINARY` is the program dbus-run-session starts as the bus (execvp, so a
    # bare name is looked up on PATH), with words of its own (`--nofork --print-address N
    # --session`): a forty-seventh red-team pass ran a workspace script and `sudo` through it,
    # allowed as a file the wrapper reads
    "dbus-run-session": frozenset({"--dbus-daemon"}),
}
# The bare names those options of programs that run no Python may give: the program each
# runs when the option is absent (the others take a Python request, `_PYTHON_REQUEST`).
_PROGRAM_DEFAULTS: dict[str, frozenset[str]] = {
    "faketime": frozenset({"date", "gdate"}),
    "dbus-run-session": frozenset({"dbus-daemon"}),
}
_PYTHON_REQUEST = lazy_compile(
    r"(?:(?:c?python|pypy|graalpy)(?:[0-9]+(?:\.[0-9]+)*t?)?(?:[@-][0-9][0-9a-z.]*)?"
    r"|[<>=!~^]*[0-9][0-9a-z.*+]*(?:,[<>=!~^]*[0-9][0-9a-z.*+]*)*)\Z"
)


@dataclass(slots=True)
class ExecConfig:
    """How commands are decided: the exec rules, program specs and defaults."""

    default: Verdict = Verdict.ASK
    index: RuleIndex = field(default_factory=RuleIndex)
    options: dict[str, frozenset[str]] = field(default_factory=dict)
    # Mappings, not dicts: the compiled-policy cache hands in tables that load a spec on lookup.
    programs: Mapping[str, ProgramSpec] = field(default_factory=dict)
    read_only_programs: Mapping[str, ProgramSpec] = field(default_factory=dict)
    read_only_roles: frozenset[str] = frozenset()
    env_export: re.Pattern[str] | None = None  # names that may be put into the environment
    env_local: re.Pattern[str] | None = None  # names that may be plain (unexported) variables
    env_never: re.Pattern[str] | None = None
    env_values: dict[str, frozenset[str]] = field(default_factory=dict)  # NAME: allowed values
    # NAME pattern, the shape every value must have (`LANGUAGE`: a locale name, never a path)
    env_shapes: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = ()
    git_config: re.Pattern[str] | None = None  # `section.key` names `git -c` may set
    shells: frozenset[str] = frozenset()
    shell_with_arg: frozenset[str] = frozenset()
    foreign_shells: frozenset[str] = frozenset()
    remove: frozenset[str] = frozenset()
    write: frozenset[str] = frozenset()
    copy: frozenset[str] = frozenset()
    read: frozenset[str] = frozenset()
    dynamic_ok: frozenset[str] = frozenset()
    system_bin_dirs: tuple[str, ...] = ()
    read_only_prefixes: tuple[str, ...] = ()
    devices: frozenset[str] = frozenset()
    protected: tuple[re.Pattern[str], ...] = ()
    protected_dirs: tuple[str, ...] = ()
    path_exempt: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    write_options: dict[str, frozenset[str]] = field(default_factory=dict)
    secrets: tuple[re.Pattern[str], ...] = ()  # files.secrets, shared with the file tools
    protected_set: GlobSet | None = None  # the same lists, matched by component (fast)
    secret_set: GlobSet | None = None
    # files.compiled: bytecode an interpreter prefers over its source; writes only
    compiled_set: GlobSet | None = None
    wrappers: frozenset[str] = frozenset()  # programs whose spec wraps a command (finish())
    rule_cache: dict[
        tuple[str, tuple[str, ...], frozenset[str], int],
        tuple[Argv, tuple[tuple[Verdict, str, str, bool], ...], frozenset[str]],
    ] = field(default_factory=dict)
    # Keyed by the spec object itself, not its id(): a compiled policy is pickled and loaded
    # in another process (gonogo/policy_cache.py), where an old id may belong to another spec.
    spec_cache: dict[tuple[ProgramSpec, tuple[Word, ...]], Parsed] = field(default_factory=dict)
    protected_prefixes: frozenset[str] = frozenset()  # every ancestor of a protected path

    def finish(self) -> None:
        """Precompute what every decision would otherwise recompute."""
        self.wrappers = frozenset(
            name
            for name, spec in self.programs.items()
            if any(a.kind in _WRAPPING_KINDS for a in spec.args)
            or any(o.kind in _WRAPPING_KINDS for o in spec.exact.values())
        )
        prefixes: set[str] = set()
        for d in self.protected_dirs:
            parts = d.split("/")
            prefixes.update("/".join(parts[: k + 1]) for k in range(len(parts)) if parts[k])
        self.protected_prefixes = frozenset(prefixes)

    def knows(self, program: str) -> bool:
        """Whether any spec, rule or table of the policy names ``program``."""
        return (
            program in self.programs
            or program in self.index.by_program
            or program in self.shells
            or program in self.foreign_shells
        )


def normalize_program(name: str) -> str:
    """``python3.11`` → ``python``, ``nodejs`` → ``node``: versions do not change meaning."""
    m = _VERSIONED.match(name)
    if not m:
        return name
    base = m.group(1)
    return "node" if base == "nodejs" else base


class ExecEvaluator(PathChecks):
    """Collects the findings for one exec request (the path decisions: :class:`PathChecks`)."""

    cfg: ExecConfig

    def __init__(
        self,
        config: ExecConfig,
        ws: Workspace,
        permissions: frozenset[str],
        read_only: bool = False,
    ) -> None:
        self.cfg = config
        self.ws = ws
        self.permissions = permissions
        self.read_only = read_only  # a read-only role: only exec.read_only programs run
        self.findings: list[Finding] = []
        self.matched: set[str] = set()
        self.parsed: list[list[str]] = []
        self.rejections: list[str] = []  # why a spec refused (the load-time examples read it)
        # Directories a command may run in. `cwds` is what the current command sees;
        # `all_cwds` is every directory any cd may have reached (a cd can fail, so later
        # commands after `;` may run in any of them); `chain` is the exact directory after a
        # cd for the commands joined to it by `&&` in the same (or a child) shell.
        self.all_cwds: set[str] = {ws.root}
        self.cwds: set[str] = self.all_cwds
        self.chain: tuple[int, set[str]] | None = None
        self.scope = 0
        self.nesting = 0
        self.words: tuple[str, ...] | None = ()  # the current simple command (break-glass)
        self.budget = Budget()  # caps the work of this decision (issue 10, class 10)
        # >0 while deciding what `env -i`/`exec -c` run: the sandbox's git safety settings
        # (GIT_CONFIG_* in its environment) are gone there.
        self.env_cleared = 0
        self._repo_code: dict[str, str | None] = {}  # .git → why git there may run code
        # The depth of a command that `command`/`builtin`/`time` run in the current shell
        # (a cd there moves this shell); -1 when none.
        self._builtin_wrapped = -1
        self._traps: list[tuple[str, int, str]] = []  # trap handlers, decided at the end
        self._shell_moved = False  # a cd of the shell itself reached a new directory
        self._in_trap = False  # deciding a trap handler (finish)
        self._init_path_checks()

    def finish(self) -> None:
        """After the whole command: the trap handlers it set, as if they ran beside every
        other command of the line, in any directory the line may reach; then the checks of
        the line as a whole (links, contents, names: :meth:`PathChecks.finish`)."""
        while self._traps:
            text, depth, label = self._traps.pop(0)
            saved = self.cwds, self.chain, self._base_conc, self._conc
            self.cwds = set(self.all_cwds) | set(self.cwds)
            self.chain = None
            self._base_conc = self._conc = True
            self._in_trap = True
            try:
                self.command(text, depth, label)
            finally:
                self.cwds, self.chain, self._base_conc, self._conc = saved
                self._in_trap = False
        super().finish()
        # The cap is checked as work is charged, every 64 steps; one step that ran long (a
        # regular expression, a workspace file's reading) could end the decision past it and
        # still allow (stop 48: 5 s for a sed comment of 36 backslashes). Past the cap, deny.
        # (Its CPU part: the wall clock's waits have their own timeouts.)
        if time.thread_time() > self.budget.cpu_deadline:
            raise TooComplex("the time budget of one decision ran out")

    # ---- entry points -------------------------------------------------------------------
    def command(self, text: str, depth: int = 0, subject: str = "") -> None:
        with self.budget.active():  # what cannot be interrupted is charged before it starts
            top = self.nesting == 0
            self._shell_moved = False
            self._command(text, depth, subject)
            parsed = len(self.parsed)  # the record lists the commands of the first pass
            # A loop runs its body again after the body's own `cd`: `for i in 1 2; do echo x
            # > pre-commit; cd .git/hooks; done` wrote a hook on the second pass (a ninth
            # red-team pass). When a line with a loop (or a function) reached new
            # directories, it is decided again with every command in all of them, until no
            # new one appears.
            for _ in range(_REDECIDE_PASSES):
                if not (top and self._repeats and self._shell_moved):
                    break
                self._shell_moved = False
                self.chain = None
                self.cwds = self.all_cwds
                self._command(text, depth, subject)
            del self.parsed[parsed:]

    def _command(self, text: str, depth: int, subject: str) -> None:
        if depth > MAX_DEPTH:
            self._undecidable(subject or text, "commands nested too deeply")
            return
        try:
            commands = parse_cached(text)
        except Undecidable as exc:
            self._undecidable(subject or _short(text), str(exc))
            return
        self.budget.spend(commands=len(commands))
        self.note_line(text)
        # A nested shell string runs in a child process: its cds never reach our chain.
        saved = (self.chain, self.cwds, self.scope, self.words)
        self.nesting += 1
        self.chain = None
        self.all_cwds = set(self.all_cwds) | self.cwds
        outer = self._enter_nested()
        try:
            for i, c in enumerate(commands):
                self._next_command(commands, i)
                self.simple(c, depth)
        finally:
            self._leave_nested(outer)
            self.nesting -= 1
            self.chain, cwds, self.scope, self.words = saved
            self.cwds = cwds if cwds is not self.all_cwds else self.all_cwds

    def simple(self, c: SimpleCommand, depth: int) -> None:
        self.scope = c.scope
        if c.after_and and self.chain is not None and self.chain[0] in c.ancestry:
            self.cwds = self.chain[1]
        else:
            if not c.after_and:
                self.chain = None
            self.cwds = self.all_cwds
        label = _short(
            " ".join([w.text for w in c.words]) or " ".join([f"{n}=" for n, _ in c.assigns])
        )
        if depth == 0 and self.nesting == 1:
            # Break-glass compares a denied sub-command word for word; one it cannot see
            # exactly (computed words, assignments, nested in another command) matches none.
            exact = not c.assigns and not any(w.dynamic or w.glob or w.number for w in c.words)
            # what it reads on stdin is part of what it acts on (`kubectl delete -f - < x.yaml`
            # deletes what the file names, which no shape spells): input from a file or a
            # here-document matches no shape; `< /dev/null` reads nothing (thirty-ninth pass)
            exact = exact and not c.heredoc and all(_reads_nothing(r) for r in c.redirects)
            self.words = tuple([w.text for w in c.words]) if exact else None
        else:
            self.words = None
        if c.assigns:
            first = c.words[0].text if c.words else ""
            declaration = first in _DECLARATIONS
            exported = bool(c.words) and (
                not declaration
                or first == "export"
                or any(w.text.startswith("-") and "x" in w.text for w in c.words[1:])
            )
            for name, value in c.assigns:
                self._check_env(name, exported, label, None if value.dynamic else value.text)
        for r in c.redirects:
            self._redirect(r, label)
        if c.words:
            self.argv(
                list(c.words), depth, piped=c.piped_stdin or c.heredoc, label=label, direct=True
            )

    def _handed(self, name: str, texts: list[str], label: str) -> None:
        """Words a runner hands to a package script: protected names ask (`_script_words`),
        and an attached option value is read as the program may read it (`tox -- -c.env`:
        pytest reads `-c .env`; a cluster: any letter may take the rest; thirty-ninth pass)."""
        handed = list(texts)
        for text in texts[:256]:
            head, eq, attached = text.partition("=")
            option_value = bool(eq) and head[:1] == "-" and len(head) > 1
            if (attached if option_value else text).lstrip()[:1] == "{":
                # `--config '{"setupFiles": […]}'`: inline configuration naming code to load
                # (as `jest --config '{…}'` is refused: a forty-ninth pass)
                self._undecidable(
                    label,
                    f"'{name}' hands inline configuration to a script of the workspace "
                    "(it may name code to load)",
                )
                return
            if option_value:
                # `--require=/tmp/x.js`, `-r=/tmp/x.js`: the value the script's program
                # reads, checked as a separate word is (a forty-ninth pass: `npm run m --
                # --require=/tmp/x.js` loaded code from outside the workspace where `--
                # --require /tmp/x.js` was refused)
                if _looks_like_path(attached):
                    self._path(attached, "read", name, label)
                continue
            if not re.match(r"-[A-Za-z0-9][^-=]", text):
                continue
            values = [text[k:] for k in range(2, min(len(text), 8))]
            if _looks_like_path(values[0]):
                self._path(values[0], "read", name, label)  # `-c/etc/passwd`
            values = [v for v in values if not v.startswith(("/", "-"))]
            handed += values
            hit = next(filter(None, map(self._names_secret, values)), None)
            if hit:
                self._deny(
                    SECRET_RULE,
                    f"'{name}' hands '{text}' to a script of the workspace, whose program may "
                    f"read it as an option with the value '{hit}', a secret file (files.secrets)",
                    label,
                )
                return
        self._script_words(name, handed, label)

    # ---- findings -----------------------------------------------------------------------
    def _add(
        self, effect: Verdict, rule: str, reason: str, subject: str, destructive: bool = False
    ) -> None:
        self.findings.append(Finding(effect, rule, reason, destructive, subject, self.words))

    def _deny(self, rule: str, reason: str, subject: str, destructive: bool = False) -> None:
        self._add(Verdict.DENY, rule, reason, subject, destructive)

    def _undecidable(self, subject: str, why: str, destructive: bool = False) -> None:
        self.rejections.append(f"cannot be decided: {why}")  # an example cannot fit either
        self._deny(UNDECIDABLE, f"cannot be decided: {why}", subject, destructive)

    def _reject(self, rule: str, reason: str, subject: str, effect: Verdict = Verdict.DENY) -> None:
        """A finding of the spec layer (the load-time examples check these)."""
        self.rejections.append(reason)
        self._add(effect, rule, reason, subject)

    # ---- environment, redirections ------------------------------------------------------
    def _check_env(self, name: str, exported: bool, subject: str, value: str | None = None) -> None:
        """Only allowlisted variables may be set: others load code or change how it runs.

        ``value``: the literal value (None: computed, or not known here); a name listed under
        ``environment.values`` may be set to one of its values only (`PAGER=cat`).
        """
        cfg = self.cfg
        ok = _ENV_NAME.match(name) is not None and not (
            cfg.env_never is not None and cfg.env_never.match(name)
        )
        if ok:
            export_ok = cfg.env_export is not None and cfg.env_export.match(name) is not None
            local_ok = cfg.env_local is not None and cfg.env_local.match(name) is not None
            ok = export_ok or (not exported and local_ok)
            if not ok and value is not None:
                ok = value in cfg.env_values.get(name, ())
        if ok:
            for pattern, shape in cfg.env_shapes:
                if pattern.fullmatch(name) and (value is None or not shape.fullmatch(value)):
                    # a twelfth red-team pass: `LC_ALL=C.UTF-8 LANGUAGE=../../ws/x ls`
                    # loaded a message catalog from the workspace (printf formats)
                    shown = "a value computed at run time" if value is None else repr(value)
                    self._reject(
                        ENV_RULE,
                        f"cannot be decided: {name} may only be set to a literal of the shape "
                        f"the policy lists ({shape.pattern}), not {shown}: a path there loads "
                        "data files (message catalogs, locales, time zones) from anywhere",
                        subject,
                    )
                    return
        if not ok:
            where = "the environment" if exported else "a shell variable"
            self._reject(
                ENV_RULE,
                f"cannot be decided: setting {name} ({where}) is not on the policy's list of "
                "variables an agent may set (many load code or change which code runs)",
                subject,
            )

    def _redirect(self, r: Redirect, subject: str) -> None:
        target = r.target
        if r.op in (">&", "<&") and (target.text.isdigit() or target.text == "-"):
            return
        if target.dynamic:
            self._undecidable(subject, f"redirection target {target.text} is computed at run time")
            return
        if target.text in self.cfg.devices:
            return
        mode = "write" if r.op in _WRITE_REDIRECTS else "read"
        self._path(target.text, mode, "", subject)

    # ---- one argv -----------------------------------------------------------------------
    def argv(
        self, words: list[Word], depth: int, piped: bool, label: str, direct: bool = False
    ) -> None:
        if depth > MAX_DEPTH:
            self._undecidable(label, "wrappers nested too deeply")
            return
        self.budget.spend(words=len(words))
        prog = words[0]
        if prog.dynamic:
            self._undecidable(label, f"the program name {prog.text} is computed at run time")
            return
        if prog.glob:
            self._undecidable(label, f"the program name {prog.text} is a glob pattern")
            return
        if "=" in prog.text:
            # not an assignment word (the parser and the wrappers take those): a wrapper that
            # hands its words to env sets it as a variable of any name (`BASH_FUNC_ls%%=…`
            # defines a function in the next bash), bash runs a program of that name (a
            # twenty-second red-team pass: `env 'X%=./' rm -rf DIR` ran rm, decided as a
            # workspace program named `X%=./`)
            self._undecidable(
                label,
                f"{prog.text!r} stands where the command starts: a variable of a name "
                "the shell cannot have, or a program named with `=`",
            )
            return
        name = self._program_name(prog.text, label)
        if name is None:
            return
        args = words[1:]
        if name == "env":
            args = _env_split(_env_dash(args))
        elif name == "flock":
            args = _flock_command(args)
        texts = tuple([w.text for w in args])
        self.parsed.append([name, *texts])
        self._note_program(name, texts)
        if name in _BUILTINS_THAT_RUN_CODE:
            self._undecidable(label, f"'{name}' runs or defines code that is built at run time")
            return
        if name == "coproc":
            # tree-sitter-bash has no coproc: it reads the keyword as a program and splits a
            # compound command after it at its `;` (`coproc N { eval x; }`), so what runs
            # cannot be shown (a ninth red-team pass: `coproc eval x` asked as an unknown
            # program where `eval x` is refused)
            self._undecidable(label, "coproc is not parsed by the shell grammar")
            return
        if name in _COMPLETION_BUILTINS and not self._completion_ok(args):
            # `compgen -C CMD`, `compgen -F FUNC` run at once in any shell, and `-W WORDS`
            # expands WORDS again (`-W '$(cmd)'` runs cmd): a ninth red-team pass, shown
            self._undecidable(
                label, f"'{name}' with -C, -F or -W runs a command, a function or expansions"
            )
            return
        problem = name_operand_problem(name, args) if name in NAME_TAKERS else None
        if problem:  # `read "$n"`, `printf -v 'a[$(cmd)]'`: bash evaluates names' subscripts
            self._undecidable(label, problem)
            return
        if name in SHELL_OPTION_BUILTINS:  # `shopt -s cdable_vars`, `shopt -so allexport`
            problem = shell_option_problem(name, args)
            if problem:  # the rules still run: a rule naming the option keeps its own finding
                self._undecidable(label, problem)
            elif name == "set" and texts in (("-o",), ("+o",)):
                # Prints the options (the spec's -o always takes a name).
                if self.read_only:
                    self._add(Verdict.ALLOW, READ_ONLY_ALLOW, "printing the shell options", label)
                else:
                    self._rules_cached(name, texts, label)
                return
        if not self._path_rules(name, args, label, texts):  # links, secrets, trees, archives
            return
        if name in DATE_PARSERS:
            shape = next((s for p, s in self.cfg.env_shapes if p.fullmatch("TZ")), None)
            dated = date_words(name, [w.text for w in args])
            for k, w in enumerate(args):
                why = zone_problem(w.text, w.dynamic and k in dated, shape)
                if why:
                    self._undecidable(label, why)
                    return
            if name == "date":
                self._date_file(args, shape, label)
        if name in API_CLIENTS and not self.read_only:
            # the request's method as pflag reads it (`-XDELETE`, `--method=PATCH`, fields
            # implying POST, GraphQL mutations): forty-fourth pass
            req = api_request([(w.text, w.dynamic) for w in args])
            verdict = request_problem(req) if req else None
            if verdict and verdict[0] == "deny":
                self._deny("exec.vcs.gh-destructive", verdict[1], label, destructive=True)
            elif verdict:
                self._add(
                    Verdict.ASK, "exec.vcs.gh-dispatch", f"{verdict[1]} (needs approval)", label
                )
        if name in HTTP_CLIENTS and not self.read_only:
            # the method a generic HTTP client sends, to a host other than this machine
            # (`curl -XDELETE`, `wget --method=DELETE`, `http DELETE`, `curl -d`): forty-fifth
            # pass, the class of `gh api -X DELETE`
            hverdict = http_problem(name, args)
            if hverdict and hverdict[0] == "deny":
                self._deny("exec.network.destructive-request", hverdict[1], label, destructive=True)
            elif hverdict:
                self._add(
                    Verdict.ASK,
                    "exec.network.write-request",
                    f"{hverdict[1]} (needs approval)",
                    label,
                )
        if name == "gh":
            # `gh api -F KEY=@FILE` sends FILE's contents (gh's documentation: "a value
            # starting with @ is a file name to read"): read like `--input FILE` (a ninth
            # red-team pass: `-F body=@link_etc/passwd` read out of the workspace)
            for w in args:
                m = _GH_FIELD_FILE.match(w.text)
                if m and m.group(1) != "-":
                    if w.dynamic:
                        self._undecidable(label, f"gh field {w.text} names a computed file")
                        return
                    self._path(m.group(1), "read", name, label)
        if name == "gh" and not self.read_only:
            # an issue or PR named by URL is in whatever repository the URL names (`gh issue
            # comment https://github.com/other/x/issues/1 -F notes.md`): a write there asks
            # like `--repo OTHER` (exec.vcs.gh-other-repo; a fourteenth red-team pass)
            plain = [w.text for w in args if not w.text.startswith("-")]
            if (
                len(plain) >= 3
                and plain[0] in ("issue", "pr")
                and plain[1] in _GH_WRITE_VERBS
                and any(_URL.match(t) for t in plain[2:])
            ):
                self._add(
                    Verdict.ASK,
                    "exec.vcs.gh-other-repo",
                    "an issue or pull request named by URL may be in another repository: "
                    "writing there sends workspace text out of the project (needs approval)",
                    label,
                )
        if name in ("glab", "hub"):
            # no argument spec: a word naming an existing file may be an upload (`glab release
            # create v1 FILE`, `glab snippet create FILE`, `hub release create -a FILE`): read
            # like gh's (a fourteenth red-team pass: a link to .env only asked)
            for w in args:
                text = w.text.partition("=")[2] if w.text.startswith("--") else w.text
                text = text.partition("#")[0]
                if not text or text.startswith("-") or w.dynamic:
                    continue
                for cwd in sorted(self.cwds):
                    if os.path.lexists(os.path.join(cwd, text)):
                        self._path(text, "read", name, label)
                        break
        if name in ENV_MANAGER_FILES and not self.read_only:
            self._env_manager_sources(name, args, label)
        if name == "popd":
            self.chain = None  # back to some earlier directory: no longer the chain's
        if name in ("cd", "pushd", "popd") and self._in_trap:
            # a DEBUG handler runs before every command, an ERR one after any failure: a cd
            # there moves the shell under the rest of the line at a point no one can name (a
            # ninth red-team pass: `trap 'cd .git/hooks' DEBUG; echo x > pre-commit` wrote a
            # hook, shown)
            self._undecidable(label, f"a trap handler's {name} moves the shell at run time")
            return
        if name in ("cd", "pushd"):
            # Only the shell's own cd moves it; a wrapped one (`env cd x`) cannot, but the
            # shell's `command`, `builtin` and `time` run the builtin in this shell (a fifth
            # red-team pass: `command cd .git && echo x > hooks/pre-commit` wrote a hook).
            # `time` may also be /usr/bin/time (quoted), so those moves are "maybe": later
            # paths are checked from both directories.
            if self.read_only:
                self._add(Verdict.ALLOW, READ_ONLY_ALLOW, "changing directory", label)
            else:
                self._rules_cached(name, texts, label)
            here = self._builtin_wrapped == depth and depth > 0
            self._cd(args, label, move=True if direct else ("maybe" if here else False))
            return
        if name == "git" and self.env_cleared:
            self._undecidable(
                label,
                "git with the environment cleared loses the sandbox's git safety settings "
                "(safe.bareRepository, core.fsmonitor)",
            )
            return
        if name == "git" and not self.ws.virtual:
            dot_gits = self._git_repositories(args)  # one walk up per start, for both checks
            if not self._git_dirs_inside(dot_gits, label):
                return
            if self.read_only and not self._repo_code_free(dot_gits, label):
                return
        if name in ("tox", "nox") and not self.ws.virtual and not self.read_only:
            self._posargs(name, args, depth, piped, label)
        if name.startswith("./"):
            self._launcher(name, args, depth, piped, label)
        table = self.cfg.read_only_programs if self.read_only else self.cfg.programs
        spec = table.get(name)
        if spec is not None and name in _JQ_WRAPPERS and not self._yq_split(args, label):
            return
        if spec is not None:
            saved = self._builtin_wrapped
            if name in _CURRENT_SHELL_WRAPPERS and (direct or saved == depth):
                self._builtin_wrapped = depth + 1  # its command runs in this shell
            else:
                self._builtin_wrapped = -1
            try:
                self._spec(name, spec, args, depth, piped, label)
            finally:
                self._builtin_wrapped = saved
            return
        if self.read_only:
            self._deny(
                READ_ONLY_DENY,
                f"a read-only role may only run the programs of its read-only table; "
                f"'{name}' is not one of them",
                label,
            )
            return
        self._rules_cached(name, texts, label)
        if name in self.cfg.shells or name in self.cfg.foreign_shells:
            self._shell(name, args, depth, piped, label)
            return
        if name in _JQ_WRAPPERS and not self._yq_words(args, label):
            return
        self._path_args(name, args, label)

    def _posargs(self, name: str, args: list[Word], depth: int, piped: bool, label: str) -> None:
        """`tox -- WORDS`, `nox -- WORDS`: each command line of the configuration that takes
        WORDS is decided as the command it becomes (`commands = {posargs}` makes WORDS a
        command of their own; forty-fifth pass, passthrough_runs)."""
        texts = [w.text for w in args]
        if "--" not in texts:
            return
        rest = args[texts.index("--") + 1 :]
        if not rest:
            return
        # Only a `--` pass-through gets here: its reader (and the task-file readers it imports)
        # is not loaded for every decision (stop 46).
        from enforcement_agent.policy.passthrough_runs import posargs_prefixes

        for cwd in sorted(self.cwds)[:4]:
            for prefix in posargs_prefixes(name, texts, cwd):
                self.argv([Word(p) for p in prefix] + rest, depth + 1, piped, label)

    @staticmethod
    def _completion_ok(args: list[Word]) -> bool:
        """No option of compgen/complete that runs code (-C, -F, -W, in any cluster) and no
        computed word (which could be one)."""
        for w in args:
            if w.dynamic:
                return False
            t = w.text
            if t == "--":
                return True
            if t.startswith(("-", "+")) and len(t) > 1 and any(c in t[1:] for c in "CFW"):
                return False
        return True

    def _program_name(self, text: str, label: str) -> str | None:
        if "/" not in text:
            return normalize_program(text)
        self._note_use()
        res = self.ws.resolve(text, self._one_cwd())
        directory, base = os.path.split(res.lexical)
        if (
            under_prefix(res.lexical, self.cfg.system_bin_dirs)
            and directory in self.cfg.system_bin_dirs
        ):
            real_dir, real_base = os.path.split(res.real)
            # The program runs with argv[0] the name typed, which multi-call programs read as
            # what to be (`/usr/bin/git-upload-pack` is git acting as upload-pack, not `git`):
            # the typed name decides unless the link leads to the same program (python3 →
            # python3.11; a twenty-sixth red-team pass)
            same = normalize_program(real_base) == normalize_program(base)
            return normalize_program(
                real_base if real_dir in self.cfg.system_bin_dirs and same else base
            )
        if res.inside and all(self.ws.resolve(text, cwd).inside for cwd in self.cwds):
            return "./" + res.rels[0] if res.rels else "./"
        if not self.ws.virtual and res.real != res.lexical:
            real_dir, real_base = os.path.split(res.real)
            if real_dir in self.cfg.system_bin_dirs:
                if normalize_program(real_base) != normalize_program(base):
                    # a workspace link `git-push -> /usr/bin/git` runs git as `git push`,
                    # `-bash -> /usr/bin/bash` a login shell: the name is the agent's choice
                    self._undecidable(
                        label,
                        f"{text} is a link named {base!r} to {res.real}: the program runs "
                        f"with argv[0] {base!r}, which multi-call programs (git, busybox, a "
                        "login shell's '-') read as what to do",
                    )
                    return None
                return normalize_program(real_base)
        self._deny(
            "exec.program-outside-workspace",
            f"{text} is not a system program and not inside the workspace",
            label,
        )
        return None

    def _one_cwd(self) -> str:
        return next(iter(self.cwds)) if len(self.cwds) == 1 else self.ws.root

    # ---- rules --------------------------------------------------------------------------
    def _rules_cached(
        self, name: str, texts: tuple[str, ...], label: str, argv: Argv | None = None, mode: int = 0
    ) -> Argv:
        """Split + rule matching depend only on the argv, the role and the mode: memoize them.

        ``mode`` 0: every rule (allow needs a held permission, nothing matched → default);
        1: only deny/ask rules (read-only roles, and programs their spec already refused).
        """
        key = (
            name,
            texts,
            self.permissions,
            mode + (2 if argv is not None else 0) + (4 if self.read_only else 0),
        )
        hit = self.cfg.rule_cache.get(key)
        if hit is None:
            if argv is None:
                argv = split_argv(name, texts, self.cfg.options.get(name, frozenset()))
            before, matched_before = len(self.findings), set(self.matched)
            self._rules(argv, "", deny_only=mode == 1)
            found = tuple(
                (f.effect, f.rule, f.reason, f.destructive) for f in self.findings[before:]
            )
            del self.findings[before:]
            hit = (argv, found, frozenset(self.matched - matched_before))
            if len(self.cfg.rule_cache) >= 8192:
                self.cfg.rule_cache.clear()
            if sum(map(len, texts)) <= 1024:  # 8192 huge argvs would hold gigabytes
                self.cfg.rule_cache[key] = hit
        argv, found, matched = hit
        self.matched |= matched
        for effect, rule, reason, destructive in found:
            self.findings.append(Finding(effect, rule, reason, destructive, label, self.words))
        return argv

    def _rules(self, argv: Argv, label: str, deny_only: bool = False) -> None:
        program = "./" if argv.program.startswith("./") else argv.program
        matched = False
        allow_perms: list[ExecRule] = []
        for rule in self.cfg.index.candidates(program):
            if not rule.matches(argv):
                continue
            matched = True
            self.matched.add(rule.id)
            if rule.effect is Verdict.ALLOW:
                allow_perms.append(rule)
            else:
                self._add(rule.effect, rule.id, rule.reason, label, rule.destructive)
        if deny_only:
            return
        if not matched:
            self._add(
                self.cfg.default,
                "exec.unknown-program",
                f"'{argv.program}' is not in the policy's program list; it needs approval",
                label,
            )
            return
        if not allow_perms:
            return
        if any(r.permission is None or r.permission in self.permissions for r in allow_perms):
            held = next(
                r for r in allow_perms if r.permission is None or r.permission in self.permissions
            )
            self._add(Verdict.ALLOW, held.id, held.reason, label)
        else:
            need = allow_perms[0].permission
            self._deny(
                f"rbac.{need}",
                f"the role lacks permission '{need}' needed to run '{argv.program}'",
                label,
            )

    # ---- programs with an argument spec ---------------------------------------------------
    def _git_starts(self, args: list[Word]) -> set[str]:
        """Every directory git may start in: the command's, and where its `-C DIR` options
        lead from it as chdir(2) goes, each from the one before with links followed (`git -C
        src -C ../sub` is `sub`; `git -C LINK` is where LINK points, and git looks for the
        repository upwards from there, not from beside LINK). A twenty-fifth red-team pass:
        both were read lexically, each from the start, so a viewer's `git -C a -C b log -p`
        and `git -C LINK log -p` ran the textconv of a repository `a/b` or the one above the
        link's target, which the check never looked at."""
        starts = set(self.cwds)
        here = set(self.cwds)
        for k, w in enumerate(args):
            value = None
            if w.text == "-C" and k + 1 < len(args):
                value = args[k + 1].text
            elif w.text.startswith("-C") and len(w.text) > 2:
                value = w.text[2:].removeprefix("=")
            if value:
                here = {self.ws.resolve(value, c).real for c in here}
                starts |= here
        return starts

    def _git_repositories(self, args: list[Word]) -> list[str]:
        """The ``.git`` entries of the workspace that git may use, from every start directory
        (``_git_starts``), sorted."""
        found = {enclosing_git(self.ws.root, start) for start in self._git_starts(args)}
        return sorted(d for d in found if d)

    def _git_dirs_inside(self, dot_gits: list[str], label: str) -> bool:
        """git works in the repository its start directory's ``.git`` names: one outside the
        workspace (a ``.git`` file or link, a ``commondir``) is a path outside it, read and
        written by any git command (``repo_code.git_dir_outside``)."""
        for dot_git in dot_gits:
            key = "outside:" + dot_git
            if key not in self._repo_code:  # once per decision
                self.budget.spend(words=GLOB_COST)
                self._repo_code[key] = git_dir_outside(self.ws.root, dot_git)
            where = self._repo_code[key]
            if where:
                self._deny(
                    "exec.path-outside-workspace",
                    f"git would use the repository at {where}, outside the workspace "
                    f"({dot_git} points there)",
                    label,
                )
                return False
        return True

    def _repo_code_free(self, dot_gits: list[str], label: str) -> bool:
        """A read-only role's git runs only where the repository names no program to run
        (``repo_code``); every directory git may start in is checked, ``-C`` ones too."""
        for dot_git in dot_gits:
            self.budget.spend(words=GLOB_COST)
            if dot_git not in self._repo_code:  # once per decision, whatever the line repeats
                self._repo_code[dot_git] = repo_runs_code(dot_git)
            why = self._repo_code[dot_git]
            if why:
                self._undecidable(label, f"a read-only role's git would run repository code: {why}")
                return False
        return True

    def _spec(
        self, name: str, spec: ProgramSpec, args: list[Word], depth: int, piped: bool, label: str
    ) -> None:
        key = (spec, tuple(args))
        parsed = self.cfg.spec_cache.get(key)
        if parsed is None:
            parsed = parse_args(spec, args, name)
            if len(self.cfg.spec_cache) >= 8192:
                self.cfg.spec_cache.clear()
            self.cfg.spec_cache[key] = parsed
        texts = tuple([w.text for w in args])
        if parsed.error:
            effect = Verdict.DENY if parsed.forbidden else parsed.unknown
            self._reject(ARGSPEC, f"cannot be decided: {parsed.error}", label, effect)
            # Deny rules still apply to what the words look like (defence in depth).
            self._rules_cached(name, texts, label, mode=1)
            return
        for k, inv in enumerate(parsed.invocations):
            # The program's own rules decide (read-only roles: only deny/ask rules); a module
            # it runs (`python -m pip …`) adds its deny/ask rules, under the module's name.
            mode = 1 if self.read_only or k else 0
            sub_texts = texts if k == 0 else inv.argv.words
            self._rules_cached(inv.argv.program, sub_texts, label, argv=inv.argv, mode=mode)
        if self.read_only:
            if any(
                inv.spec.name == "git config"
                and sum(1 for it in parsed.items if not it.option) > 1
                and not _git_config_read(inv.spec.name, set(inv.argv.flags), parsed)
                for inv in parsed.invocations
            ):
                # `git config NAME VALUE` sets; `--get-regexp NAME VALUE-PATTERN` reads
                self._reject(READ_ONLY_DENY, "git config NAME VALUE sets a value", label)
                return
            self._add(Verdict.ALLOW, READ_ONLY_ALLOW, f"'{name}' is in the read-only table", label)
        if parsed.stdin_code:
            self._reject(
                "exec.code-from-stdin",
                f"{name} without a script reads its code from stdin (cannot be decided)",
                label,
            )
            return
        self._items(name, parsed, args, depth, piped, label)

    def _items(
        self, name: str, parsed: Parsed, args: list[Word], depth: int, piped: bool, label: str
    ) -> None:
        given = {f for inv in parsed.invocations for f in inv.argv.flags}
        unless = {
            o
            for sp in {inv.spec for inv in parsed.invocations} | {it.spec for it in parsed.items}
            for o in sp.writes_unless or ()
        }
        for w in args:
            opt, eq, value = w.text.partition("=")
            if opt.startswith("--") and opt[1:] in unless:
                opt = opt[1:]  # Go's flags take `--diff=false` for `-diff=false`
            if eq and opt in unless and (w.dynamic or value.lower() not in _TRUE_WORDS):
                # `go fmt -n=false`, `go fix -diff=false`: a flag turned off is not given (a
                # sixth red-team pass: both were decided as dry runs)
                given.discard(opt)
        chdirs = [it for it in parsed.items if it.kind == "chdir"]
        saved = self.cwds
        cleared = int(name in _ENV_CLEARING and bool(_ENV_CLEARING[name] & given))
        self.env_cleared += cleared
        try:
            for it in chdirs:  # `git -C dir`, `env -C dir`: later paths are relative to dir
                if not self._enter(it.text, label):
                    return
            sub = parsed.invocations[0].spec.name
            # (the checks below name where a file lands: a refusal of theirs says more)
            named = sum(f.effect is not Verdict.ALLOW for f in self.findings)
            if sub == "cmake":
                self._cmake_trees(args, label)
            self._derived_outputs(name, args, label)
            tools = {
                CONFIG_TOOLS.get(n) for n in (name, *(i.spec.program for i in parsed.invocations))
            }
            for tool in sorted(t for t in tools if t):
                self._configured_outputs(tool, label)
            if sub == "gradle":
                tasks = [it.text for it in parsed.items if not it.option and it.kind == "lit"]
                for rel in gradle_task_writes(tasks):
                    for cwd in sorted(self._project_dirs(parsed.invocations[0].spec, parsed.items)):
                        self._path(os.path.join(cwd, rel), "write", name, label)
            for inv in parsed.invocations:
                # files the (sub)command writes where it runs: here, after the chdirs above
                # (`pnpm -C .github install`, `cd .github && npm i`, `bun init` → CLAUDE.md),
                # or beside the project file an option names (`mvn -f .github/pom.xml` writes
                # `.github/target`: a ninth red-team pass)
                if not inv.spec.workdir_writes:
                    continue
                for cwd in self._project_dirs(inv.spec, parsed.items):
                    for rel in inv.spec.workdir_writes:  # named in full: shows where it lands
                        self.dependency_manifest = rel == "package.json"
                        try:
                            self._path(os.path.join(cwd, rel), "write", name, label)
                        finally:
                            self.dependency_manifest = False
            refused = sum(f.effect is not Verdict.ALLOW for f in self.findings)
            if refused == named and not self._works_outside_protected(name, parsed, args, label):
                return  # (what it writes by default, where no check above named it)
            if any(inv.spec.name in _INSTALLS_FROM_PROJECT for inv in parsed.invocations):
                self._project_index(parsed.invocations[0].spec, parsed.items, label)
            if any(inv.spec.name in _INSTALLS_FROM_PACKAGE_JSON for inv in parsed.invocations) or (
                # bare `yarn` installs, whatever options it is given (`yarn --cwd sub`)
                sub == "yarn" and all(it.option for it in parsed.items)
            ):
                self._package_json_sources(label)
            if any(inv.spec.name in _PIPENV_INSTALLS for inv in parsed.invocations):
                for cwd in sorted(self.cwds):
                    self._python_sources(cwd, ("Pipfile",), label)
                    self._py_lock_sources(cwd, label)
            if sub.startswith("cargo ") and "--target-dir" not in given:
                # `cargo clean` removes the target directory; the others write into it
                self._cargo_config_target(
                    name, "remove" if sub == "cargo clean" else "write", label
                )
            reads = [it for it in parsed.items if it.kind == "read" and not it.option]
            # `sed -i SUFFIX`, `perl -iSUFFIX`: the backup each edited file leaves
            suffixes = [
                it.text
                for it in parsed.items
                if it.option in it.spec.inplace and it.kind == "lit" and it.text
            ]
            top = parsed.invocations[0].spec
            while top.parent is not None and top.parent.passthrough is top:
                top = top.parent  # `cargo clippy --fix -- -D warnings`: clippy's own spec
            if (
                top.formats
                and top.default_dir
                and top.rewrites(given)
                and not any(
                    it.spec is top and (not it.option or it.option in top.format_targets)
                    for it in parsed.items
                    if it.kind in ("read", "write")
                )
            ):
                # `ruff format`, `cargo fmt`, `dprint fmt`: no file named, the current
                # directory's files are rewritten
                self._rewritten_tree(name, ".", top.formats, False, label)
            if top.deletes & given and not reads:
                # GNU find without a start point searches `.`: `find -name CLAUDE.md -delete`
                # removed CLAUDE.md (a twelfth red-team pass; `find . …` was checked)
                self._removes_found(name, ".", tuple(w.text for w in args), label)
            for it in parsed.items:
                spec = it.spec
                kind = it.kind
                if (
                    spec.name in _BUILDS_IN_PROJECT
                    and kind in ("lit", "read")
                    and not args[it.at].dynamic
                ):
                    self._project_build(name, it.option, it.text, kind == "read", label)
                if (
                    not it.option
                    and kind in ("sed", "awk", "pattern", "data")
                    and spec.program_from & given
                ):
                    # the program or pattern came from an option: this is a file (`jq -f PROG
                    # FILE`: FILE filled jq's filter slot, `data`, unchecked; and jq 1.6's -f
                    # is a flag, `jq -f -n LINK` reads its program from LINK: a twenty-third
                    # red-team pass, both printed the .env a link names in jq's errors)
                    kind = "read"
                if kind == "lit" and not it.option and spec.format_targets & given:
                    start = next(
                        (
                            j
                            for j, w in enumerate(args)
                            if w.text.split("=", 1)[0] in spec.format_targets
                        ),
                        len(args),
                    )
                    if it.at > start:
                        # `pre-commit run --files A B`: the option takes every word after it
                        # (argparse nargs='*'), so B is a file it rewrites, not a hook's id (a
                        # sixth red-team pass: `--files src/app.py CLAUDE.md` was allowed)
                        kind = "read"
                target = bool(spec.formats) and (not it.option or it.option in spec.format_targets)
                rewritten = target and kind in ("read", "write") and spec.rewrites(given)
                if rewritten:
                    # a formatter rewrites the files it is given (its configuration may make
                    # it write without an option: `ruff check` with `fix = true`)
                    kind = "write"
                elif target and kind == "write" and spec.writes_unless:
                    kind = "read"  # `black --check FILE`: an option stops it writing
                if kind == "read" and (
                    spec.inplace & given or (spec.dest_last and reads and it is reads[-1])
                ):
                    kind = "write"
                elif kind == "lit" and not it.option and spec.inplace & given:
                    kind = "write"  # `perl -i script.pl FILE…`: the files after the script
                if kind == "write" and not it.option and spec.inplace & given:
                    if args[it.at].glob and any(suffixes):
                        # `sed -i.md … gz/CLAUD?`: the backup is each match + SUFFIX, not the
                        # glob's text + SUFFIX (a twelfth red-team pass)
                        self._undecidable(label, f"{name}'s backups are named after a glob")
                    self._backups(name, it.text, suffixes, label)
                if kind in _PATH_KINDS and args[it.at].dynamic:
                    # A computed path may name anything (`cat $HOME/.ssh/id_rsa`): only names a
                    # known producer prints into xargs are acceptable (issue 10, class 8).
                    mode = kind if kind in ("read", "write", "remove") else self._mode(name)
                    if not self._stdin_words_ok(name, args[it.at], label, mode):
                        self._undecidable(
                            label,
                            f"argument {it.text} of '{name}' is computed at run time "
                            "(it may name any path)",
                        )
                    continue
                if kind in ("read", "write", "remove"):
                    if (
                        kind == "read"
                        and it.option in _REQUIREMENT_FILES
                        and spec.exact.get("--index-url")
                    ):
                        self._requirements(it.text, depth, label)  # pip -r, uv pip -r …
                    elif kind == "read" and not it.option and spec.name in _REQUIREMENT_OPERANDS:
                        # `uv pip sync|compile FILE`, `pip-compile FILE`: a requirement file,
                        # or a project file whose dependencies are read (thirteenth pass)
                        if os.path.basename(it.text) in _PY_DEPENDENCY_FILES:
                            for cwd in sorted(self.cwds):
                                res = self.ws.resolve(it.text, cwd)
                                if res.inside:
                                    self._python_sources(
                                        os.path.dirname(res.real),
                                        (os.path.basename(res.real),),
                                        label,
                                    )
                        elif not it.text.endswith(".py"):
                            self._requirements(it.text, depth, label)
                    if kind == "read" and not it.option and spec.deletes & given:
                        # `find DIR … -delete` removes what it finds: every name it can find
                        self._removes_found(name, it.text, tuple(w.text for w in args), label)
                    if kind == "write" and _empties(spec.name, it.option, given):
                        kind = "remove"  # `pytest --basetemp=DIR`, `python -m venv --clear DIR`
                    if kind == "read" and spec.name.startswith("gh ") and "#" in it.text:
                        # gh release assets are `FILE#label`: FILE is uploaded (a fourteenth
                        # red-team pass)
                        self._path(it.text.partition("#")[0], kind, name, label)
                    if name == "git" and not it.option and "\\" in it.text:
                        # a pathspec with a backslash is a wildmatch pattern to git: `git rm
                        # 'CLAUD\E.md'` removed CLAUDE.md, checked as the literal name (a
                        # thirty-fifth red-team pass; `*?[` are expanded as globs already)
                        self._undecidable(
                            label, f"git reads the pathspec {_short(it.text)} as a pattern"
                        )
                    self._path(it.text, kind, name, label)
                    if name == "git" and (it.option or kind == "read"):
                        # a file git reads as an option's value (`ls-files -X .env`) is not a
                        # pathspec: the secret list applies (a fifth red-team pass); nor is a
                        # `read` operand, a file git opens by its path (`apply --stat LINK`,
                        # `interpret-trailers LINK` printed the .env a workspace link names: a
                        # twenty-first red-team pass)
                        self._option_file_secret(
                            name, it.option or spec.name.partition(" ")[2], it.text, label
                        )
                    if rewritten and it.text != "-":
                        self._rewritten_tree(name, it.text, spec.formats, spec.own_globs, label)
                    inside = _WRITES_INSIDE.get((spec.name, it.option))
                    if inside and not any(w.text.endswith("no:cacheprovider") for w in args):
                        # `pytest --rootdir=DIR` (or `-c DIR/x.ini`) keeps its cache in DIR
                        base = it.text if it.option == "--rootdir" else os.path.dirname(it.text)
                        self._path(os.path.join(base or ".", inside), "write", name, label)
                    if kind == "write" and it.option:
                        # `--cov-report=html:DIR`, `--output-format=json:FILE`,
                        # `-o cache_dir=DIR`: the file is the part after the format's name
                        # (a fourth red-team pass had all three write protected paths)
                        for part in _embedded_paths(it.text):
                            self._path(part, kind, name, label)
                elif kind == "scriptarg":
                    if self._path_word(it.text):
                        self._path(it.text, "read", name, label)
                    self._handed(name, [it.text], label)
                elif kind == "lit" and it.option == "--exclude-per-directory" and name == "git":
                    # the file of that name in every directory is read as patterns
                    self._option_file_secret(name, it.option, it.text, label)
                elif kind == "lit" and it.option not in it.spec.inplace:
                    # (an in-place option's value is a backup suffix, `sed -i~`: `_backups`
                    # decides the name it makes, so `~` there is not a home directory)
                    exempt = self.cfg.path_exempt.get(name)
                    if self._path_word(it.text) and not (
                        exempt and any(p.match(it.text) for p in exempt)
                    ):
                        self._path(it.text, self._mode(name), name, label)
                if it.option == "--v8-flags" and not all(
                    _V8_FLAG.match(flag) for flag in it.text.split(",")
                ):
                    # V8's own flags write files (`--log,--no-logfile-per-isolate,--logfile=
                    # CLAUDE.md`: a fourth red-team pass) or change what code may do
                    self._reject(
                        ARGSPEC,
                        f"cannot be decided: {name} --v8-flags={it.text[:60]!r} is not on the "
                        "list of V8 flags it may pass",
                        label,
                    )
                if it.option == "-s" and spec.name == "xvfb-run" and not _xvfb_args_ok(it.text):
                    # Xvfb's own options write files (`-fbdir DIR`) (a fifth red-team pass)
                    self._reject(
                        ARGSPEC,
                        f"cannot be decided: xvfb-run -s {it.text[:60]!r} passes Xvfb options "
                        "that are not on the list of display options it may pass",
                        label,
                    )
                if (
                    spec.program == "go"
                    and it.option in _GO_TOOL_FLAGS
                    and not _go_tool_flags_ok(it.option, it.text)
                ):
                    # the words are the compiler's, linker's or assembler's own options, read
                    # as those tools read them: `-ldflags=-o=.git/hooks/pre-commit` made the
                    # linker write the binary there, `@FILE` expands a response file (a
                    # twenty-sixth red-team pass); only a list of plain ones is decided
                    self._reject(
                        ARGSPEC,
                        f"cannot be decided: go {it.option}={it.text[:60]!r} passes tool flags "
                        "that are not on the list of flags it may pass",
                        label,
                    )
                if spec.name in ("jq", "yq") and not args[it.at].dynamic:
                    # the kind the spec gives (`-f PROG` is a program file even when an
                    # in-place `-i` made the local kind a write: a forty-seventh red-team pass,
                    # `yq -y -i -f p.jq notes.yaml` imported a secret JSON file into notes.yaml)
                    self._jq_word(it.text, it.kind == "read" and bool(it.option), label)
                if (
                    it.option
                    in (
                        (_CODE_PATHS.get(spec.name) or frozenset())
                        | (_CODE_PATHS.get(f"{spec.program} {spec.name}") or frozenset())
                        | (_CODE_PATHS.get(f"{spec.program} *") or frozenset())
                    )
                    and kind in ("read", "write", "lit", "chdir", "pattern")
                    and not args[it.at].dynamic
                    and (kind not in ("lit", "pattern") or self._path_word(it.text))
                ):
                    # a test runner or build tool loads code from these paths (test files and
                    # the conftest.py beside them, a project's root, a CMakeLists.txt, a ninja
                    # file): one outside the workspace is code the workspace does not own, as
                    # `python3 /usr/lib/…/x.py` is (a twentieth red-team pass)
                    what = f"{name} {it.option or 'path'}"
                    if it.text in _STDIN_SCRIPTS:
                        # `mkdocs build -f -` reads its configuration (hooks, plugins,
                        # site_dir) from stdin: code and paths the policy cannot see
                        self._undecidable(label, f"{what} {it.text} is read from stdin")
                    self._workspace_code(it.text.split("::", 1)[0], what, label)
                if spec.name == "python-py-compile" and not it.option and it.text == "-":
                    # `python -m py_compile -` compiles the files named on stdin (a
                    # twenty-fifth red-team pass: `… - < list` naming a link to the .env
                    # printed its line in the SyntaxError)
                    self._undecidable(
                        label, "python -m py_compile - reads the names of its files from stdin"
                    )
                if (
                    it.option
                    and it.option
                    in (
                        (_PROGRAM_VALUES.get(spec.name) or frozenset())
                        | (_PROGRAM_VALUES.get(f"{spec.program} *") or frozenset())
                    )
                    and not args[it.at].dynamic
                ):
                    self._program_value(name, it.option, it.text, label)
                if kind == "script":
                    self._script(Word(it.text, args[it.at].dynamic), label)
                    if it.option and spec.name in ("sed", "awk") and not args[it.at].dynamic:
                        self._program_file(spec.name, it.text, label)  # sed -f, awk -f
                elif kind == "code":
                    self._reject(
                        "exec.interpreter-inline-code",
                        f"{name} {it.option} runs inline code that policy cannot inspect "
                        "(cannot be decided)",
                        label,
                    )
                elif kind in ("command", "xcommand", "runscript"):
                    inner = args[it.at : it.end]
                    while inner and not inner[0].dynamic and _ASSIGNMENT_WORD.match(inner[0].text):
                        # `time NAME=V cmd` (bash's keyword) and wrappers that hand their words
                        # to `env` (faketime, eatmydata) set NAME for cmd; the others fail on a
                        # program named `NAME=V`. Either way the word is an environment
                        # assignment and cmd the command (a twentieth red-team pass: `time
                        # GIT_EXTERNAL_DIFF='touch x; true' git diff` was decided as a program
                        # named `GIT_EXTERNAL_DIFF=…` and allowed; bash ran the code)
                        var, _, value = inner[0].text.partition("=")
                        # `NAME+=V` appends to NAME's value: its result is not V alone
                        self._check_env(
                            var.rstrip("+"), True, label, value if var[-1] != "+" else None
                        )
                        inner = inner[1:]
                    if not inner:
                        continue
                    if (
                        spec.name in _NPM_EXEC
                        and not any(w.text == "--" for w in args[: it.at])
                        and any(w.text == "--" for w in inner[1:])
                    ):
                        # npm's own parser takes the first `--` wherever it is: `npm exec
                        # prettier -- --write X` runs `prettier --write X` (a sixth red-team
                        # pass, shown: it was decided as `prettier -- --write X`, a read)
                        k = next(j for j, w in enumerate(inner) if j and w.text == "--")
                        inner = inner[:k] + inner[k + 1 :]
                    if (spec.name in _NPM_EXEC or spec.name in _PACKAGE_EXEC) and (
                        given & _WORKSPACE_SELECTORS
                    ):
                        # `npm exec -w DIR -- CMD`, `npx --workspaces CMD`, `pnpm -r exec CMD`,
                        # `pnpm --filter ./DIR exec CMD` run CMD in each selected package's
                        # directory, not here: its words name paths relative to a directory
                        # policy does not know (an eighth red-team pass: `npm exec -w
                        # .github/workflows -- cp a.txt ci.yml` was decided from `.`)
                        inner = inner[:1] + [Word(w.text, True) for w in inner[1:]]
                    if it.option:  # find -exec … {} ;: each found path in place of `{}`
                        # (inside a longer word, `{}` is replaced too: that word is unknown)
                        inner = _replaced(inner, "{}")
                        if args[it.at - 1].text in ("-execdir", "-okdir"):
                            # run from each found name's own directory: any other word may
                            # be a path relative to any directory find visits (`find .git
                            # -name hooks -execdir touch hooks/pre-commit ;`)
                            inner = inner[:1] + [
                                w
                                if w.text == "{}" or w.text.startswith("-")
                                else Word(w.text, True)
                                for w in inner[1:]
                            ]
                        if any(w.text == "{}" for w in inner):
                            # the names find selects, checked like names fed to xargs
                            selection = _find_selection(args, parsed)
                            found = Word(NAMES_MARKER + "\0".join(["find", *selection]), True)
                            self.argv(
                                [found if w.text == "{}" else w for w in inner],
                                depth + 1,
                                False,
                                label,
                            )
                            continue
                    if kind == "xcommand":
                        replace = _xargs_replace(parsed, given)
                        if replace:  # `xargs -I{} sh -c 'echo {}'`: words from stdin inside
                            inner = [Word(w.text, True) if replace in w.text else w for w in inner]
                        elif given & {"-a", "--arg-file", "-d", "--delimiter"}:
                            # names from a file, or split where the producer did not split them
                            inner = [*inner, Word("<arguments xargs reads or splits>", True)]
                        else:
                            inner = [*inner, Word(STDIN_ARGUMENTS, dynamic=True)]
                    if kind == "runscript" and (
                        inner[0].text in _STDIN_SCRIPTS or _SCHEME.match(inner[0].text)
                    ):
                        self._script(inner[0], label)  # `bun run -`, `bun run data:…`
                        continue
                    if kind == "runscript" and not self.cfg.knows(normalize_program(inner[0].text)):
                        # A package script or a binary the workspace installed: it runs
                        # sandboxed; the words it is given are still checked as paths.
                        if not inner[0].dynamic and ("/" in inner[0].text or spec.program == "bun"):
                            # a file run by path (`bun run /usr/lib/node_modules/npm/bin/
                            # npx-cli.js -c CMD` is `npx -c`): the workspace's own code only
                            # (a twentieth red-team pass). bun also runs a file named by a
                            # bare word when no script has that name (`bun LINK`, `bun run
                            # LINK`: the .env or the file outside a link names, a
                            # twenty-fifth red-team pass), so its word is a file as well
                            self._script(inner[0], label)
                        self._path_args("./", inner[1:], label)
                        self._handed(name, [w.text for w in inner[1:] if not w.dynamic], label)
                        continue
                    if kind == "runscript":
                        # a package script of that name runs before a program of that name
                        # (`yarn fmt CLAUDE.md` is the workspace's "fmt" script, not fmt(1))
                        self._handed(name, [w.text for w in inner[1:] if not w.dynamic], label)
                    self.argv(inner, depth + 1, piped, label)
                elif kind == "shell":
                    if (spec.name in _NPM_EXEC or spec.name in _PACKAGE_EXEC) and (
                        given & _WORKSPACE_SELECTORS
                    ):
                        # `npm exec -w DIR -c 'touch action.yml'` wrote DIR/action.yml (an
                        # eighth red-team pass, shown with npm): a directory policy does not know
                        self._undecidable(
                            label,
                            f"{name} runs its command in each selected workspace package's "
                            "directory, whose paths policy does not follow",
                        )
                    elif spec.name == "trap" and it.text not in ("", "-"):
                        # a handler runs later (on exit, an error, a signal), after commands
                        # that come after it and in the directory the shell is in then:
                        # decided at the end of the line (a ninth red-team pass: `trap 'echo
                        # x > pre-commit' EXIT; cd .git/hooks` wrote a hook)
                        self._traps.append((it.text, depth + 1, label))
                    elif it.text not in ("", "-"):
                        self.command(it.text, depth + 1, label)
                elif kind == "split":
                    # env -S processes escapes, ${NAME} and # comments itself: only a plain
                    # string reads the same to env and to the shell parser
                    if any(c in it.text for c in "\\$#'\""):
                        self._undecidable(
                            label, "env -S escapes and expansions are not shell syntax"
                        )
                    elif it.text:
                        self.command(it.text, depth + 1, label)
                elif kind == "shellwords":
                    words = args[it.at : it.end]
                    if any(w.dynamic for w in words):
                        self._undecidable(label, "the command string is computed at run time")
                        continue
                    self.command(" ".join(w.text for w in words), depth + 1, label)
                elif kind == "env":
                    var, eq, value = it.text.partition("=")
                    self._check_env(var, True, label, value if eq else None)
                elif kind == "var":
                    exported = name == "export" or "-x" in given
                    var, eq, value = it.text.partition("=")
                    self._check_env(var, exported, label, value if eq else None)
                elif kind == "gitconfig":
                    if it.option or not _git_config_read(it.spec.name, given, parsed):
                        self._git_config(it.text, label, it.option)
                elif kind == "import":
                    self._import(name, it.option, it.text, spec, label)
                elif kind == "pyname":
                    app_dirs = [i.text for i in parsed.items if i.option == "--app-dir"]
                    word = Word(it.text, args[it.at].dynamic)
                    self._pyname(name, it.option, word, app_dirs, label)
                elif kind == "assign":
                    self._assign(name, it.option, it.text, spec, label)
                elif kind == "sed":
                    self._sed_script(it.text, label)
                elif kind == "awk":
                    self._awk_program(it.text, label)
        finally:
            self.cwds = saved
            self.env_cleared -= cleared

    def _mode(self, name: str) -> str:
        if name in self.cfg.remove:
            return "remove"
        if name in self.cfg.write:
            return "write"
        if name in self.cfg.read:
            return "read"
        return "other"

    def _git_config(self, text: str, label: str, option: str = "") -> None:
        name, eq, value = text.partition("=")
        key = _git_key(name)
        allowed = self.cfg.git_config
        if allowed is None or not allowed.match(key):
            self._reject(
                GIT_CONFIG_RULE,
                f"cannot be decided: git configuration {key!r} is not on the policy's list "
                "(many keys run programs, rewrite remotes or change what a push does)",
                label,
            )
        elif (
            key in _GIT_OFF_ONLY
            and option
            and (option == "--config-env" or not eq or value.lower() not in _GIT_OFF)
        ):
            # git reads a boolean as any spelling of true *or any non-zero integer*
            # (`2`, `-1`, `0x1`, `1k`: twenty-fourth pass), so only the spellings of off
            # are allowed; `KEY` alone is true, `--config-env` takes a variable's value
            self._reject(
                GIT_CONFIG_RULE,
                f"cannot be decided: {text!r} may turn signing on (gpg runs with the "
                "human's key); only false, no, off or 0 may be given",
                label,
            )

    def _pyname(self, name: str, option: str, word: Word, app_dirs: list[str], label: str) -> None:
        """A dotted Python name the program imports from ``sys.path`` and may call:
        `python -m unittest NAME` (loadTestsFromName imports any module and calls any callable
        it names), `uvicorn APP`/`--loop NAME` (an import string, called with `--factory` or
        as the loop factory). A twentieth red-team pass showed `python3 -m unittest
        code.interact` and `uvicorn --factory code:interact` run the code piped to them. The
        name must be a file of the workspace, or its first part a module or regular package
        of the workspace (`NAME.py`, `NAME/__init__.py` in the directory Python puts first on
        ``sys.path``: a directory without `__init__.py` loses to an installed module)."""
        what = f"{name} {option}".strip()
        text = word.text
        if word.dynamic:
            self._undecidable(label, f"{what}: the Python name {text} is computed at run time")
            return
        if "/" in text or text.endswith(".py"):
            self._path(text, "read", name, label)
            self._workspace_code(text, f"{what} {text}", label)
            return
        head = re.split(r"[.:]", text, maxsplit=1)[0]
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", head) or self.ws.virtual:
            if not self.ws.virtual:
                self._undecidable(label, f"{what}: {text!r} is not a Python name")
            return
        bases = app_dirs or ["."]
        # a directory without `__init__.py` is a namespace package, which loses to any
        # module of that name on sys.path: the standard library's always exist
        namespace: list[bool] = []  # computed once, when a directory is met

        def namespace_ok() -> bool:
            if not namespace:
                namespace.append(
                    head not in sys.stdlib_module_names and not self._installed_module(head)
                )
            return namespace[0]

        for cwd in self.cwds:
            found = False
            for base in bases:
                for rel in (f"{head}.py", f"{head}/__init__.py", f"{head}/"):
                    r = self.ws.resolve(os.path.join(base, rel), cwd)
                    if not r.inside:
                        continue
                    if rel.endswith("/"):
                        found = found or (os.path.isdir(r.real) and namespace_ok())
                    elif os.path.isfile(r.real):
                        found = True
            if not found:
                self._undecidable(
                    label,
                    f"{what}: {head!r} is not a module or package of the workspace, so "
                    f"{text!r} is an installed module's name (it imports it and may call what "
                    "it names: `code.interact`, `pdb.set_trace` run code from stdin)",
                )
                return

    def _installed_module(self, head: str) -> bool:
        """A top-level module or package ``head`` is installed where the sandbox's Pythons look
        (the system's site directories, or a virtual environment one level down in the
        workspace: `pip install ipython` into `.venv`): it wins over a namespace directory."""
        roots = [
            *glob.glob("/usr/lib/python3*"),
            "/usr/lib/python3/dist-packages",
            *glob.glob("/usr/local/lib/python3*/*-packages"),
            *glob.glob("/usr/lib/python3*/*-packages"),
        ]
        if not self.ws.virtual:
            root = glob.escape(str(self.ws.root))
            roots += glob.glob(
                os.path.join(root, "*", "lib", "python3*", "*-packages"), include_hidden=True
            )
        for base in roots:
            if os.path.exists(os.path.join(base, head)) or os.path.exists(
                os.path.join(base, head + ".py")
            ):
                return True
            if glob.glob(os.path.join(glob.escape(base), glob.escape(head) + ".*.so")):
                return True
        return False

    def _import(self, name: str, option: str, text: str, spec: ProgramSpec, label: str) -> None:
        module = re.split(r"[=\s]", text, maxsplit=1)[0]
        if text.startswith(("./", "../", "/", "~")):
            self._path(text, "read", name, label)
            self._workspace_code(text, f"{name} {option}", label)
        elif (
            not _PLAIN_IMPORT.match(text)
            or ".." in text.split("/")
            # `=` is perl's `Module=arg,arg`; lua 5.4 reads `-l g=mod` as `g = require("mod")`,
            # so elsewhere the module loaded may be the part after it
            or ("=" in text and not name.startswith("perl"))
        ):
            # perl pastes `-M…` into `use …;` and `-F…` into `split(…)`; node resolves
            # `tsx/../../x.js` from node_modules and loads `data:` URLs: only a plain module
            # name (perl: `Module=word,word`) can be decided
            self._reject(
                ARGSPEC,
                f"cannot be decided: {name} {option} {text!r} is not a plain module name",
                label,
            )
        elif not all(any(p.match(m) for p in spec.imports) for m in module.split(",")):
            self._reject(
                ARGSPEC,
                f"cannot be decided: {name} {option} loads {module!r}, which is not on the "
                "policy's list of modules it may load",
                label,
            )

    def _assign(self, name: str, option: str, text: str, spec: ProgramSpec, label: str) -> None:
        var, eq, value = text.partition("=")
        var = var.partition(":")[0]  # cmake -DNAME:BOOL=ON
        if not eq:
            if spec.goals_write:
                # a goal is a file the program may write: make's built-in rules make `X` from
                # `X.sh` (`cat X.sh >X`), `X.c`, `X,v` … and `-t` touches it, so `make
                # CODEOWNERS` wrote a protected file from a planted CODEOWNERS.sh (a ninth
                # red-team pass, shown with GNU make)
                self._path(text, "write", name, label)
            elif self._path_word(text):
                self._path(text, self._mode(name), name, label)
            return  # a target, not an assignment
        where = f"{name} {option}".strip()
        if not any(p.match(var) for p in spec.assign):
            self._reject(
                ARGSPEC,
                f"cannot be decided: {where} overrides {var}, which is not on the policy's list "
                "of variables it may set (build variables can name the programs a build runs)",
                label,
            )
        elif not _PLAIN_VALUE.match(value) or (value.startswith("-") and not _NUMBER.match(value)):
            self._reject(
                ARGSPEC,
                f"cannot be decided: {where} sets {var} to a value with shell or option syntax",
                label,
            )
        elif self._path_word(value):
            self._path(value, "read", name, label)
        elif value and not value[0].isdigit():
            # a relative path a build variable names may be written (`pytest -o
            # cache_dir=.github`, `make DESTDIR=.github`: a fourth red-team pass): a
            # protected one is refused
            self._path(value, "write", name, label)

    def _sed_script(self, script: str, label: str) -> None:
        # sed joins `-e` scripts with newlines, and a command ending in `\` continues on the
        # next line (`-e '1e\' -e 'cmd'`, `w\` + file): that cannot be decided one -e at a time
        if len(script) > _SED_MAX:  # the scan below is quadratic in the worst case
            self._undecidable(label, f"a sed script longer than {_SED_MAX} characters")
            return
        if any((len(line) - len(line.rstrip("\\"))) % 2 for line in script.split("\n")):
            self._undecidable(label, "a sed command continues past the end of its line")
            return
        verdict, why = read_sed_script(script)
        if verdict == SedVerdict.UNKNOWN:
            self._undecidable(label, f"sed script: {why}")
            return
        if (
            verdict == SedVerdict.RUNS
            or _SED_DANGER.search(_BLANK_RUN.sub(_one_blank, script))
            or any("e" in f or "w" in f for f in _sed_subst_flags(script))
        ):
            self._reject(
                "exec.gtfobins.sed",
                "sed script runs commands (e) or reads/writes other files (r/R/w/W)",
                label,
            )

    def _program_file(self, program: str, raw: str, label: str) -> None:
        """A sed or awk program read from a file is inspected like one given inline (a red-
        team finding: `sed -f s.sed` with `1e cmd` in s.sed ran cmd)."""
        names = [raw]
        if program == "awk":
            # gawk looks a name up in AWKPATH (`.` first; a name with `/` as it is), and when
            # it finds nothing, again with `.awk` added: `gawk -f x`, `gawk -f ./x` and `gawk
            # -i inplace` load `./x.awk`, `./inplace.awk` (an eighth red-team pass: only `x`
            # was read)
            names.append(raw + ".awk")
        texts = [
            t for n in names for t in self.file_texts(n, f"the {program} program file", label) or ()
        ]
        if program == "awk" and "/" not in raw:
            self._awk_library(raw, names, label)
        for text in texts:
            if program == "sed":
                self._sed_script(text, label)
            else:
                self._awk_program(text, label)

    def _awk_library(self, raw: str, names: list[str], label: str) -> None:
        """A bare `-i`/`-f` name gawk does not find in the current directory is looked up in
        its AWKPATH, whose library files (`readfile.awk`: getline from any file; `passwd.awk`,
        `group.awk`: a pipe from a helper program; `readable.awk`, `rewind.awk` …) a clean
        program just calls (a forty-fourth red-team pass: `gawk -i readfile 'BEGIN{printf
        "%s", readfile("/etc/hostname")}'` printed the file, by effect; allowed). Only the
        libraries on a short list (pure functions) may come from there."""
        base = raw[:-4] if raw.endswith(".awk") else raw
        if base in _AWK_PURE_LIBRARIES:
            return
        found = all(
            any(os.path.isfile(self.ws.resolve(n, cwd).real) for n in names) for cwd in self.cwds
        )
        if not found:
            self._undecidable(
                label,
                f"gawk finds the program file '{raw}' in its library path (AWKPATH), outside "
                "the workspace: only the libraries the policy lists may be named "
                f"({', '.join(sorted(_AWK_PURE_LIBRARIES))})",
            )

    def _date_file(self, args: list[Word], shape: re.Pattern[str] | None, label: str) -> None:
        """`date -f FILE` parses each line of FILE as a date string: a line starting with
        TZ="/path" opens the path (as `-d` does); the file is read now, stdin cannot be."""
        for k, w in enumerate(args):
            t = w.text
            if t == "--":
                return
            value: str | None = None
            dynamic = w.dynamic
            name, eq, attached = t.partition("=")
            if t.startswith("--") and len(name) > 2 and "--file".startswith(name):
                if eq:
                    value = attached
                elif k + 1 < len(args):
                    value, dynamic = args[k + 1].text, args[k + 1].dynamic
            elif t.startswith("-") and not t.startswith("--"):
                # a cluster: -u and -R take nothing, -d/-s/-r/-I take the rest (GNU date)
                for j, ch in enumerate(t[1:], 1):
                    if ch == "f":
                        if j + 1 < len(t):
                            value = t[j + 1 :]
                        elif k + 1 < len(args):
                            value, dynamic = args[k + 1].text, args[k + 1].dynamic
                        break
                    if ch not in "uR":
                        break
            if value is None:
                continue
            if dynamic or value in _STDIN_SCRIPTS:
                self._undecidable(
                    label, 'date -f reads date strings the command does not show (TZ="/path")'
                )
                return
            for text in self.file_texts(value, "the date strings file", label) or ():
                for line in text.splitlines():
                    why = zone_problem(line, False, shape)
                    if why:
                        self._undecidable(label, f"{value}: {why}")
                        return

    def _jq_word(self, text: str, program_file: bool, label: str) -> None:
        """jq's `import "PATH" as $x;` reads PATH.json (and `include` PATH.jq) from its search
        path (`~/.jq`, which is the workspace in the sandbox's weak fallback, and the
        directories beside the jq binary), relative paths with `..` too: a fourth red-team
        pass read a secret `service-account.json` with it as the viewer. Any word jq may take
        as its program (every positional word: `--arg NAME VALUE` takes two) and a `-f` file
        must not use a module directive."""
        texts = (
            (self.file_texts(text, "the jq program file", label) or ()) if program_file else (text,)
        )
        for t in texts:
            if _JQ_MODULE.search(t):
                self._undecidable(
                    label,
                    "a jq/yq program that imports, includes or loads a file reads files by name",
                )
                return

    def _project_build(self, name: str, option: str, text: str, path: bool, label: str) -> None:
        """`pip install [-e] DIR` (`pip wheel`, `uv pip install`, `uv add`) builds the project
        in DIR: setuptools writes `DIR/build` and `DIR/NAME.egg-info` there (an eleventh
        red-team pass, the tenth's open item: `pip install -e .github/x` wrote
        `.github/x/x.egg-info`). A local project is checked as a write in its directory."""
        if option not in ("", "-e", "--editable", "--with-editable"):
            return
        word = text.removeprefix("file:")
        local = path or bool(option) or word.startswith(".") or "/" in word
        if not local or _URL.match(word) or " @ " in word or "@" in word.split("/")[0]:
            return
        base = _without_extras(word) or "."
        for rel in ("build", "project.egg-info"):
            self._path(os.path.join(base, rel), "write", name, label)
        for cwd in sorted(self.cwds):  # and installs the dependencies it declares
            res = self.ws.resolve(base, cwd)
            if res.inside and os.path.isdir(res.real):
                self._python_sources(res.real, _PY_DEPENDENCY_FILES, label)

    def _project_index(self, spec: ProgramSpec, items: tuple[Item, ...], label: str) -> None:
        """uv, Poetry and pip (through uv) read the package indexes a project declares in
        its `pyproject.toml` (`[[tool.uv.index]]`, `[[tool.poetry.source]]`,
        `[[tool.pdm.source]]`, `[tool.uv] extra-index-url`, `[tool.uv.pip]`) or in `uv.toml`,
        `poetry.toml`, `pdm.toml`, in the project's directory or any above it. Whoever wrote
        one (a workspace file, a script, a file tool's write the policy never sees the content
        of) chose where the next install comes from, which `-i URL` on the command line may
        not: an install that would read one asks (an eleventh red-team pass)."""
        if self.ws.virtual:
            return
        root = self.ws.root
        for start in sorted(self._project_dirs(spec, items)):
            d = start
            while d == root or d.startswith(root + os.sep):
                for fname in _PROJECT_INDEX_FILES:
                    self.budget.spend(words=GLOB_COST)
                    text = _small_text(os.path.join(d, fname))
                    if text is not None and INDEX_DECLARATION.search(text):
                        rel = os.path.relpath(os.path.join(d, fname), root)
                        self._add(
                            Verdict.ASK,
                            INDEX_RULE,
                            f"'{rel}' declares another package index or source: the install "
                            "would fetch code from where the project file says (needs approval)",
                            label,
                        )
                        return
                d = os.path.dirname(d)
            # the project's own dependencies (`x @ git+https://…`, `{ git = … }`)
            self._python_sources(start, _PY_DEPENDENCY_FILES, label)
            self._py_lock_sources(start, label)

    def _python_sources(self, directory: str, names: tuple[str, ...], label: str) -> None:
        """A Python project file in ``directory`` whose dependencies come from a URL, a VCS
        remote or a path out of the workspace: the install would fetch and build that code
        (a thirteenth red-team pass; the command-line form is denied, this one asks)."""
        if self.ws.virtual:
            return
        for fname in names:
            self.budget.spend(words=GLOB_COST)
            path = os.path.join(directory, fname)
            text = small_text(path)
            if text is None and os.path.lexists(path):
                hit = f"{fname}: cannot be read (size, link)"  # the installer reads it anyway
            else:
                hit = python_source(text, directory, self._inside) if text is not None else ""
            if hit:
                self._source_found(path, hit, label)
                return

    def _env_manager_sources(self, name: str, args: list[Word], label: str) -> None:
        """conda/mamba/micromamba, pixi, pdm and hatch install what their project files name
        (`environment.yml`'s `pip:` section and channels, `pixi.toml`, `[tool.pdm]`/
        `[tool.hatch]` in pyproject.toml): a source other than the default channels and PyPI
        asks like `exec.packages.project-source` (a fourteenth red-team pass; the programs
        themselves ask as unlisted, this names what they would fetch)."""
        if self.ws.virtual:
            return
        named: list[str] = []
        texts = [w.text for w in args]
        for k, t in enumerate(texts):
            opt, eq, value = t.partition("=")
            if opt in ("-f", "--file", "--manifest-path", "-m") and k + 1 < len(texts) and not eq:
                named.append(texts[k + 1])
            elif opt in ("--file", "--manifest-path") and eq:
                named.append(value)
            elif t.startswith("-f") and len(t) > 2 and not eq:
                named.append(t[2:])
        for cwd in sorted(self.cwds):
            paths = [os.path.join(cwd, n) for n in named]
            paths += [os.path.join(cwd, f) for f in ENV_MANAGER_FILES[name]]
            if self._first_source(paths, self._env_file_source, label):
                return

    def _py_lock_sources(self, directory: str, label: str) -> None:
        """uv.lock, poetry.lock, Pipfile.lock, pylock.toml: what the install takes from the
        lockfile (poetry and pipenv trust its sources while the project file's hash matches):
        a URL off PyPI, a VCS source or a path out of the workspace asks (a fourteenth
        red-team pass, the Python side of the npm lockfiles)."""
        if self.ws.virtual:
            return
        paths = [os.path.join(directory, fname) for fname in PY_LOCKFILES]
        self._first_source(paths, self._env_file_source, label)

    def _package_json_sources(self, label: str) -> None:
        """`npm install`, `npm ci`, `pnpm install`, `yarn`, `bun install` install what the
        nearest package.json (and the workspace packages it lists) declares: a dependency
        from a git host, URL, `user/repo` or a path out of the workspace asks (a thirteenth
        red-team pass: `npm install user/repo` is refused, the same line in package.json was
        installed)."""
        if self.ws.virtual:
            return
        root = self.ws.root
        for start in sorted(self.cwds):
            d = start
            manifest = False
            while d == root or d.startswith(root + os.sep):
                self.budget.spend(words=GLOB_COST)
                path = os.path.join(d, "package.json")
                # lexists: a FIFO or directory there is what npm opens too (npm_source says
                # it cannot be read; a FIFO was skipped as no manifest, and npm blocked on it)
                if not manifest and os.path.lexists(path):
                    manifest = True
                    hit = npm_source(path, self._inside)
                    if hit:
                        self._source_found(path, hit, label)
                        return
                # the registry the project's settings choose (an existing .npmrc in a cloned
                # repository: `npm ci` fetched every package from it, a fourteenth pass)
                for rc in JS_REGISTRY_FILES:
                    self.budget.spend(words=GLOB_COST)
                    rpath = os.path.join(d, rc)
                    if os.path.lexists(rpath):
                        hit = js_registry(rpath)
                        if hit:
                            self._add(
                                Verdict.ASK,
                                INDEX_RULE,
                                f"'{os.path.relpath(rpath, root)}' chooses another registry "
                                f"({hit[:80]!r}): the install would fetch every package from "
                                "it (needs approval)",
                                label,
                            )
                            return
                # the lockfiles here and above (a workspace's lockfile is at its root): `npm
                # ci` installs what they resolve to (a fourteenth red-team pass)
                locks = [os.path.join(d, lock) for lock in LOCKFILES]
                if self._first_source(locks, lambda p: lockfile_source(p, self._inside), label):
                    return
                d = os.path.dirname(d)

    def _first_source(self, paths: list[str], read: Callable[[str], str], label: str) -> bool:
        """The first of ``paths`` that exists and whose reading names a source other than the
        defaults: asked about (True), the rest not read."""
        for path in paths:
            self.budget.spend(words=GLOB_COST)
            if os.path.lexists(path):
                hit = read(path)
                if hit:
                    self._source_found(path, hit, label)
                    return True
        return False

    def _env_file_source(self, path: str) -> str:
        return "" if os.path.isdir(path) else env_source(path, self._inside)

    def _inside(self, path: str) -> bool:
        return self.ws.contains(os.path.realpath(path))

    def _source_found(self, path: str, hit: str, label: str) -> None:
        rel = os.path.relpath(path, self.ws.root)
        self._add(
            Verdict.ASK,
            SOURCE_RULE,
            f"'{rel}' declares a dependency from a URL, VCS remote or path out of the "
            f"workspace ({hit[:80]!r}): the install would fetch and build that code, which "
            "the command line may not name (needs approval)",
            label,
        )

    def _works_outside_protected(
        self, name: str, parsed: Parsed, args: list[Word], label: str
    ) -> bool:
        """Whether the folders this program works in (after `cd`, `-C`, `--prefix`, a project
        file's folder) are ones where a file it makes may be a plain one. A program with an
        argument spec that its read-only table does not allow as given may write files named
        by no argument where it runs (`git format-patch`, `cargo vendor`, `go work init`, `uv
        venv`, `pip download`, `npm pack`, `tox devenv`, `cmake ..`: a forty-eighth red-team
        pass found these one by one, and every spec's list of them cannot be complete). In a
        folder where any new name is protected (`.github`, `.git/hooks`, `.husky`, a
        `.devcontainer` at any depth) it is refused, whatever it would write."""
        ro = self.cfg.read_only_programs.get(name)
        if ro is not None:
            key = (ro, tuple(args))
            ro_parsed = self.cfg.spec_cache.get(key)
            if ro_parsed is None:
                ro_parsed = parse_args(ro, args, name)
            if not ro_parsed.error:
                return True  # a read-only use writes nothing where it runs
        dirs: set[str] = set()
        for inv in parsed.invocations:
            dirs |= self._project_dirs(inv.spec, parsed.items)
        for d in sorted(dirs):
            res = self.ws.resolve(_NEW_ENTRY, d)
            if res.inside and self._protected(res, "write"):
                where = os.path.relpath(d, self.ws.root) if d != self.ws.root else "."
                self._deny(
                    PROTECTED_RULE,
                    f"'{name}' runs in '{where}', where any file it makes (its default "
                    "outputs land where it runs) is a protected path",
                    label,
                )
                return False
        return True

    def _derived_outputs(self, name: str, args: list[Word], label: str) -> None:
        """The files a compiler names after its input (``compiler_outputs``), checked as
        writes where it runs: `rustc deploy.rs` replaced the `deploy` script CI runs."""
        words = [w.text for w in args]
        program = name
        if name in ("go", "zig") and words:
            program = f"{name} {words[0]}"
            words = words[1:]
        if program not in DERIVING:
            return
        if any(w.dynamic for w in args):
            self._undecidable(label, f"{program}'s output is named after a computed word")
            return
        for cwd in sorted(self.cwds):
            try:
                outputs = derived_outputs(program, words, cwd)
            except CompilerUndecidable as exc:
                self._undecidable(label, f"{program}'s output: {exc}")
                return
            for rel in outputs:
                self._path(os.path.join(cwd, rel), "write", name, label)

    def _configured_outputs(self, tool: str, label: str) -> None:
        """The outputs the tool's own configuration files name (``config_outputs``), checked
        as writes: `cache-dir = ".github/r"` made `ruff check` write into `.github`."""
        if self.ws.virtual:
            return
        for cwd in sorted(self.cwds):
            try:
                paths = list(config_output_paths(tool, cwd, self.ws.root))
            except ConfigUndecidable as exc:
                self._undecidable(label, f"{tool}'s configured output: {exc}")
                return
            for path in paths:
                self._path(path, "write", tool, label)

    def _cmake_trees(self, args: list[Word], label: str) -> None:
        """The fixed names a cmake configure step writes into its build tree, checked as
        writes there (``cmake_trees``): `cmake -B .` rewrote the Makefile CI runs."""
        if any(w.dynamic for w in args):
            self._undecidable(label, "cmake's build tree is named by a computed word")
            return
        words = [w.text for w in args]
        for cwd in sorted(self.cwds):
            try:
                trees = configure_trees(words, cwd)
            except CmakeUndecidable as exc:
                self._undecidable(label, f"cmake's build tree: {exc}")
                return
            for tree in trees:
                for base in TREE_FILES:
                    self._path(os.path.join(cwd, tree, base), "write", "cmake", label)

    def _project_dirs(self, spec: ProgramSpec, items: tuple[Item, ...]) -> set[str]:
        """The directories a (sub)command works in: the current ones, or the directory of
        the project file its `project_file` option names (the last one given)."""
        names: set[str] = set()
        s: ProgramSpec | None = spec
        while s is not None:
            names |= s.project_file
            s = s.parent
        given = [it for it in items if it.option and it.option in names]
        if not given:
            return set(self.cwds)
        dirs: set[str] = set()
        for cwd in self.cwds:
            res = self.ws.resolve(given[-1].text, cwd)
            dirs.add(res.real if os.path.isdir(res.real) else os.path.dirname(res.real))
        return dirs

    def _cargo_config_target(self, name: str, mode: str, label: str) -> None:
        """`cargo clean` removes the target directory, which a `.cargo/config.toml` (or
        `.cargo/config`) in the directory it runs in or any above it may move (`[build]
        target-dir = ".github"`; relative to the directory holding `.cargo`): a sixth red-team
        pass had a plain `cargo clean` remove `.github` that way (shown). The workspace's
        files are read now; what cannot be read as TOML cannot be decided."""
        for cwd in sorted(self.cwds):
            d = cwd
            while True:
                for base in ("config.toml", "config"):
                    raw = f"{d}/.cargo/{base}"
                    if mode == "write" and not os.path.lexists(raw):
                        # a build writes only below its target directory: a configuration
                        # made earlier in the line is left open (the removal checks it)
                        continue
                    for text in (
                        self.file_texts(raw, "cargo's configuration", label, 64 << 10) or ()
                    ):
                        import tomllib  # only here: a hook process deciding anything else

                        try:
                            data = tomllib.loads(text)
                        except tomllib.TOMLDecodeError:
                            self._undecidable(label, f"'{raw}' cannot be read as TOML")
                            return
                        if "include" in data:
                            self._undecidable(label, f"'{raw}' includes other configuration")
                            return
                        build = data.get("build")
                        target = build.get("target-dir") if isinstance(build, dict) else None
                        if target is None:
                            continue
                        if not isinstance(target, str):
                            self._undecidable(label, f"'{raw}': build.target-dir is not a path")
                            return
                        self._path(os.path.join(d, target), mode, name, label)
                if d == self.ws.root or "/" not in d.strip("/") or not d.startswith(self.ws.root):
                    break
                d = os.path.dirname(d)

    def _yq_split(self, args: list[Word], label: str) -> bool:
        """`yq -s EXPR` is python-yq's slurp but mikefarah's `--split-exp`, which writes one
        file per result named by EXPR (a sixth red-team pass: the spec is python-yq's, so
        `yq -s '".github/workflows/ci"' x.yaml` was allowed; which yq the host runs is not
        known here). `--slurp` says it plainly; a short `-s` anywhere in a cluster (before
        `--`) cannot be decided."""
        for w in args:
            t = w.text
            if t == "--":
                break
            if t.startswith("-") and not t.startswith("--") and "s" in t[1:].split("=")[0]:
                self._undecidable(
                    label,
                    f"yq {t}: mikefarah's yq -s writes files named by an expression "
                    "(python-yq's slurp is --slurp)",
                )
                return False
        return True

    def _yq_words(self, args: list[Word], label: str) -> bool:
        """yq (python-yq hands its program to jq; mikefarah's yq has its own language) reads
        files its program names: jq's `import`/`include` and yq's `load`, `load_str`, … (a
        fifth red-team pass printed a secret `service-account.json` through
        `yq -n 'import "secrets/service-account" as $k; $k'`, the fourth pass's jq finding);
        `-s`/`--split-exp` writes one file per result, named by an expression, and
        `--from-file` reads the program from a file. Any of them is undecidable."""
        for w in args:
            t = w.text
            if w.dynamic and not t.startswith("-"):
                self._undecidable(label, f"the yq program {t} is computed at run time")
                return False
            if t in ("-s", "--split-exp", "--from-file") or t.startswith(
                ("--split-exp=", "--from-file=")
            ):
                self._undecidable(label, f"yq {t} names the files it reads or writes at run time")
                return False
            if _JQ_MODULE.search(t) or _YQ_LOAD.search(t):
                self._undecidable(
                    label, "a yq program that imports, includes or loads a file reads it by name"
                )
                return False
        return True

    def _requirements(self, raw: str, depth: int, label: str) -> None:
        """Each line of a requirements file is decided as `pip install LINE`: its package
        sources (URLs, VCS, other indexes, paths outside, nested `-r`) are the same options
        on the command line (a red-team finding: they were not read)."""
        if raw in _STDIN_SCRIPTS:
            # uv (`-r -`, `uv pip sync -`, `uv add -r -`) and pip-tools (`pip-compile -`) read
            # the requirements from stdin: lines (`--index-url URL`, `-e git+…`, a path) the
            # policy cannot see (a twentieth red-team pass)
            self._undecidable(
                label, f"the requirements file {raw!r} is stdin, which the policy cannot read"
            )
            return
        for text in self.file_texts(raw, "the requirements file", label, limit=64 << 10) or ():
            for n, line in enumerate(_requirement_lines(text), 1):
                try:
                    words = shlex.split(line)
                except ValueError:
                    self._undecidable(label, f"'{raw}': requirement {n} cannot be split")
                    return
                words = [w for w in words if not w.startswith("--hash")]
                if words:
                    words = _requirement_words(words, os.path.dirname(raw))
                    self.argv(
                        [Word("pip"), Word("install"), *(Word(w) for w in words)],
                        depth + 1,
                        False,
                        label,
                    )

    def _awk_program(self, program: str, label: str) -> None:
        blanked = _AWK_REGEX.sub(r"\1//", _AWK_STRING.sub('""', program))
        # `@` outside strings is gawk's indirect call (`f = "system"; @f("id")`, a third
        # red-team pass), `@include` or `@load`: the function or file is chosen at run time.
        if _AWK_DANGER.search(program) or _AWK_PIPE.search(blanked) or "@" in blanked:
            self._reject(
                "exec.gtfobins.awk",
                "awk program runs commands or writes files (system, pipes, getline, print >, "
                "indirect calls)",
                label,
            )
        elif _AWK_ARGV.search(blanked):
            # awk opens the files ARGV holds when the BEGIN rules are done: a program that
            # changes it reads files its arguments do not name (a fifth red-team pass:
            # `awk 'BEGIN { ARGV[1] = ".env"; ARGC = 2 } 1'` printed the secret)
            self._reject(
                "exec.gtfobins.awk",
                "awk program uses ARGV/ARGC: the files it reads are chosen at run time",
                label,
            )

    # ---- cwd ----------------------------------------------------------------------------
    def _cd(self, args: list[Word], label: str, move: bool | str = True) -> None:
        targets = [w for w in args if not (w.text.startswith("-") and len(w.text) > 1)]
        if not targets:
            self._deny(
                "exec.path-outside-workspace",
                "cd without a directory goes to the home directory",
                label,
            )
            return
        if len(targets) > 1:
            # zsh, ksh and mksh read `cd OLD NEW` as "$PWD with OLD replaced by NEW" (a
            # thirtieth red-team pass: `zsh -c 'cd ws outside && touch x'`, decided as `cd ws`,
            # wrote /…/outside/x); bash refuses it
            self._undecidable(
                label,
                f"cd {targets[0].text} {targets[1].text}: zsh and ksh replace the first in "
                "$PWD with the second",
            )
            return
        t = targets[0]
        if t.dynamic:
            self._undecidable(label, f"cd target {t.text} is computed at run time")
            return
        if t.text == "-" or t.text.startswith(("+", "-")) and t.text[1:].isdigit():
            self._undecidable(label, f"cd {t.text} goes to a directory from $OLDPWD or the stack")
            return
        self._note_use()
        new = self._directories(t.text, f"cd {t.text} leaves the workspace", label)
        if new is None:
            return
        if move:
            if self.scope == 0 and not new <= self.all_cwds:
                self._shell_moved = True  # the shell itself went somewhere new
            self.all_cwds = self.all_cwds | new
            if len(self.all_cwds) > MAX_CWDS:  # every `;`-joined cd doubles the set
                raise TooComplex(f"more than {MAX_CWDS} directories the command may run in")
            # "maybe": the shell may stay where it was (`time` may be /usr/bin/time)
            self.chain = (self.scope, new | set(self.cwds) if move == "maybe" else new)

    def _enter(self, target: str, label: str) -> bool:
        """Make every later path of this command relative to ``target`` (inside the workspace)."""
        self._note_use()
        new = self._directories(
            target, f"the working directory {target!r} is outside the workspace", label
        )
        if new is None:
            return False
        self.cwds = new
        return True

    def _directories(self, word: str, outside: str, label: str) -> set[str] | None:
        """Every directory ``word`` may name from each current one, a glob expanded as bash
        expands it first (`cd .gi?` enters .git); None when one is outside (denied)."""
        new: set[str] = set()
        for cwd in list(self.cwds):
            for target in self._expansions(word, cwd):
                res = self.ws.resolve(target, cwd)
                if not res.inside:
                    self._deny("exec.path-outside-workspace", outside, label)
                    return None
                new.add(res.real)
        return new

    # ---- shells -------------------------------------------------------------------------
    def _shell(self, name: str, args: list[Word], depth: int, piped: bool, label: str) -> None:
        i = 0
        n = len(args)
        inline = False
        while i < n:
            w = args[i]
            if w.dynamic:
                self._undecidable(label, f"shell option {w.text} is computed at run time")
                return
            t = w.text
            if t in ("-", "--"):
                # both end the options (bash: "an argument of - is equivalent to --"; POSIX sh
                # ignores a lone -): `bash -c - 'CMD'` runs CMD (a ninth red-team pass: the
                # `-` was read as the command string, and asked as a program named `-`)
                i += 1
                break
            if t.startswith("--"):
                if t in ("--posix", "--debugger"):  # set -o posix, shopt -s extdebug
                    self._undecidable(label, f"{t} changes how the shell reads the command")
                    return
                if t.partition("=")[0] in _SHELL_STARTUP_FILES:
                    self._undecidable(label, f"{name} {t} runs start-up files (profile, rc)")
                    return
                if t.partition("=")[0] not in _SHELL_LONG_FLAGS:
                    # a long option the policy does not know may take the next word (`zsh
                    # --emulate sh -c CMD` runs CMD: an eleventh red-team pass read `sh` as
                    # the script and allowed it, shown with zsh 5.9) or set an option that
                    # changes how the string is read (zsh's `--globsubst` is `-o globsubst`)
                    self._undecidable(
                        label,
                        f"{name} {t}: a shell option that may take a value or change "
                        "how the command is read",
                    )
                    return
                if t.partition("=")[0] in self.cfg.shell_with_arg and "=" not in t:
                    i += 1
                i += 1
                continue
            if (t.startswith("-") or t.startswith("+")) and len(t) > 1:
                letters = t[1:]
                if set(letters) - _SHELL_LETTERS or (
                    (name in _KSH_FAMILY or name == "zsh") and "T" in letters
                ):
                    # a letter the policy does not know may take the next word: ksh93's
                    # `-R FILE`, mksh's `-T TTY` (an eleventh red-team pass: `ksh -R x -c
                    # CMD` was decided as a script named x, and allowed)
                    self._undecidable(label, f"{name} {t}: an option letter that may take a value")
                    return
                if "c" in letters and t[0] == "-":
                    inline = True
                if "s" in letters and t[0] == "-":
                    self._undecidable(label, f"{name} -s runs code read from stdin")
                    return
                if t[0] == "-" and ("i" in letters or "l" in letters):
                    # a login or interactive shell first runs ~/.profile, ~/.bashrc …: code
                    # the command does not show (issue 10, red-team pass 3)
                    self._undecidable(label, f"{name} {t} runs start-up files (profile, rc)")
                    return
                # Each `o`/`O` of a cluster takes the next word as an option name, in order.
                takes = sum(1 for ch in letters if ch in "oO")
                values = args[i + 1 : i + 1 + takes]
                if any(v.dynamic for v in values):
                    self._undecidable(label, f"{name} {t} with a computed option name")
                    return
                problem = invocation_option_problem(t[0], letters, [v.text for v in values])
                if problem:
                    self._undecidable(label, problem)
                    return
                i += 1 + (takes or (1 if t[:2] in self.cfg.shell_with_arg else 0))
                continue
            break
        rest = args[i:]
        if not rest and not inline and any(w.text in ("--help", "--version") for w in args[:i]):
            return  # prints and exits: reads no code
        if inline:
            if not rest:
                self._undecidable(label, f"{name} -c without a command string")
                return
            if rest[0].dynamic:
                self._undecidable(label, "the command string is computed at run time")
                return
            if name in self.cfg.foreign_shells:
                self._undecidable(
                    label, f"{name} is not a POSIX/bash shell; its code cannot be parsed"
                )
                return
            zsh_only = _ZSH_ONLY.search(_code_text(rest[0].text)) if name == "zsh" else None
            zsh_names = (
                _ZSH_PARAMETERS.search(re.sub(r"[\\'\"]", "", rest[0].text))
                if name == "zsh"
                else None
            )
            if zsh_names is None and name == "zsh":
                zsh_names = _ZSH_SET_T.search(re.sub(r"[\\'\"]", "", rest[0].text))
            if zsh_names:
                self._undecidable(
                    label,
                    f"zsh reads {zsh_names.group(0)!r} otherwise than bash: a special parameter "
                    "(functions, commands, aliases, options, hooks …) where bash sees a plain "
                    "variable, or `set -T` (CDABLE_VARS, bash's functrace)",
                )
                return
            if zsh_only:
                # zsh reads these where bash (whose grammar decides the string) reads something
                # else: `>!`/`>>!`/`>&!` clobber a file (bash: a file named `!`), `=cmd` is the
                # program's path, `**/` walks every directory (an eleventh red-team pass: `zsh
                # -c 'echo x >! CLAUDE.md'` and `'echo x > **/CLAUDE.md'` were allowed)
                self._undecidable(
                    label,
                    f"zsh reads {zsh_only.group(0).strip()!r} differently from bash "
                    "(clobber redirection, =command expansion or a recursive glob)",
                )
                return
            self.command(rest[0].text, depth + 1, label)
            return
        if not rest:
            self._deny(
                "exec.code-from-stdin",
                f"{name} without a script reads its code from stdin (piped or downloaded code cannot be decided)",
                label,
            )
            return
        self._script(rest[0], label)
        if not rest[0].dynamic:
            self._launcher(rest[0].text, rest[1:], depth, piped, label)

    def _launcher(self, script: str, args: list[Word], depth: int, piped: bool, label: str) -> None:
        """A build tool's launcher in the workspace (`./gradlew`, `sh mvnw`) hands its words to
        the tool it downloads and runs: they are decided by that tool's spec too (a
        forty-ninth red-team pass: `./mvnw exec:exec -Dexec.executable=CMD` ran CMD and
        `./gradlew --project-cache-dir .github` wrote there, where `mvn` and `gradle` with the
        same words are refused)."""
        tool = _LAUNCHERS.get(os.path.basename(script))
        spec = self.cfg.programs.get(tool) if tool else None
        if spec is not None and tool is not None and not self.read_only:
            self._spec(tool, spec, args, depth, piped, label)

    def _script(self, script: Word, label: str) -> None:
        if script.dynamic:
            self._undecidable(label, f"script name {script.text} is computed at run time")
            return
        if script.text in _STDIN_SCRIPTS:
            self._reject(
                "exec.code-from-stdin", "the script is read from stdin and cannot be decided", label
            )
            return
        if _URL.match(script.text) or _SCHEME.match(script.text):
            # `deno run data:…,CODE` is inline code; `npm:`, `jsr:` … fetch a package to run
            self._reject(
                "exec.code-from-network",
                f"the script {script.text} is a URL or package specifier, not a file in the "
                "workspace (cannot be decided)",
                label,
            )
            return
        if (
            script.text.lstrip()[:1] in ("{", "[", "(")
            or "\n" in script.text
            or ("=" in script.text and not self._exists(script.text))
        ):
            # `jest --config '{"globalSetup":"/usr/lib/…"}'`: a JSON or JS literal where a
            # config file is expected is inline configuration naming code to load (a fourth
            # red-team pass), not a file of the workspace
            self._reject(
                "exec.interpreter-inline-code",
                f"{script.text[:40]!r} is inline code or configuration, not a file "
                "(cannot be decided)",
                label,
            )
            return
        self._path(script.text, "read", "", label)
        self._workspace_code(script.text, "the script", label)

    def _backups(self, name: str, path: str, suffixes: list[str], label: str) -> None:
        """The backup an in-place edit leaves is a write: FILE + SUFFIX, or, when SUFFIX holds
        `*` or `/`, a name built from it that may be in another directory (`sed
        -i'.git/hooks/*' p post-checkout` copied an executable into .git/hooks, a third
        red-team pass): those cannot be decided."""
        for suffix in suffixes:
            if "*" in suffix or "/" in suffix:
                self._undecidable(
                    label,
                    f"{name}'s in-place backup name {suffix!r} can name a file anywhere",
                )
                return
            self._path(path + suffix, "write", name, label)

    def _path_word(self, text: str) -> bool:
        """Whether a word a program with a spec may open is checked as a path: it looks like
        one (absolute, `~`, `..`) or it names or crosses a link that leads out of the
        workspace (forty-fourth pass: `git diff --no-index lnk/s x`; a link inside it is
        judged by the words' own names, as before: `git add LINK` stores the link's text)."""
        if _looks_like_path(text):
            return True
        if self.ws.virtual or not text or "\0" in text:
            return False
        for cwd in self.cwds:
            res = self.ws.resolve(text, cwd)
            if not res.inside and (res.real != res.lexical or os.path.islink(res.lexical)):
                return True
        return False

    def _names_link(self, path: str) -> bool:
        """``path`` names a symbolic link, or a path through one, from some directory the
        command may be in (a virtual workspace has none). A forty-fourth red-team pass: `git
        diff --no-index link/passwd x`, with `link` a workspace link to /etc, printed
        /etc/passwd: only a word that *was* a link was resolved, not one that crossed one."""
        if self.ws.virtual or not path or "\0" in path:
            return False
        for cwd in self.cwds:
            res = self.ws.resolve(path, cwd)
            if res.real != res.lexical or os.path.islink(res.lexical):
                return True
        return False

    def _exists(self, path: str) -> bool:
        """``path`` names an existing file from every directory the command may be in (a
        config option's value that names none is read as inline configuration: `ruff
        --config "cache-dir='.github'"`, a fourth red-team pass)."""
        if self.ws.virtual:
            return True
        return all(os.path.exists(self.ws.resolve(path, cwd).real) for cwd in self.cwds)

    def _program_value(self, name: str, option: str, value: str, label: str) -> None:
        """``option`` of ``name`` names a program it runs (see ``_PROGRAM_VALUES``)."""
        if "/" in value:
            self._path(value, "read", name, label)
            self._workspace_code(value, f"{name} {option}", label)
        elif not (
            value in _PROGRAM_DEFAULTS[name]
            if name in _PROGRAM_DEFAULTS
            else _PYTHON_REQUEST.match(value)
        ):
            self._reject(
                ARGSPEC,
                f"cannot be decided: {name} {option} {value[:40]!r} names a program found on "
                "PATH, which it runs; only its default program, a Python version where it runs "
                "Python, or the workspace's own file may be named",
                label,
            )

    def _workspace_code(self, path: str, what: str, label: str) -> None:
        """A script or module file is the workspace's own code, run in the sandbox. One from
        outside it (the read-only system prefixes) is a program the policy has no spec for:
        `python3 /usr/lib/python3.11/timeit.py -s CODE` is `python3 -m timeit`, and
        `node -r …/npm/bin/npx-cli.js x.js -c CMD` is `npx -c` (a third red-team pass)."""
        if self.ws.virtual:
            return
        for cwd in self.cwds:
            if not self.ws.resolve(path, cwd).inside:
                self._undecidable(
                    label,
                    f"{what} {path} is not the workspace's own code: a program from outside "
                    "it runs whatever its own arguments say",
                )
                return

    # ---- paths --------------------------------------------------------------------------
    def _path_args(self, name: str, args: list[Word], label: str) -> None:
        if name in self.cfg.dynamic_ok:
            return  # arguments are data (echo, printf, test …), not files to open
        self._write_options(name, args, label)
        mode = self._mode(name)
        positional_paths = mode in ("remove", "write") or name in self.cfg.copy
        exempt = self.cfg.path_exempt.get(name)
        after_dashdash = False
        positionals: list[Word] = []
        link_texts, into_dir = self._symlink_texts(name, args)
        for w in args:
            t = w.text
            if t == "--" and not after_dashdash:
                after_dashdash = True
                continue
            is_flag = not after_dashdash and t.startswith("-") and len(t) > 1
            if w.dynamic:
                # A computed argument may be any path (`cat $HOME/.ssh/id_rsa`, `"$(pwd)/../x"`):
                # only programs that never open their arguments, or names a known producer
                # prints into `xargs`, are acceptable (issue 10, class 8).
                if self._stdin_words_ok(name, w, label):
                    continue
                self._undecidable(
                    label,
                    f"argument {t} of '{name}' is computed at run time",
                    destructive=mode == "remove",
                )
                return
            if is_flag:
                _, eq, value = t.partition("=")
                # A program that changes files may write where an `--opt=value` says, relative
                # values too (`zstd -d --output-dir-flat=.git/hooks x.zst` wrote an executable
                # hook, a third red-team pass): such a value is checked as a write.
                changes = positional_paths and ("/" in value or value.startswith("."))
                if eq and (_looks_like_path(value) or changes):
                    self._path(
                        value, "write" if mode in ("remove", "write") else "read", name, label
                    )
                continue
            positionals.append(w)
            if exempt and any(p.match(t) for p in exempt):
                continue
            if "=" in t and not positional_paths:
                value = t.partition("=")[2]
                if _looks_like_path(value):
                    self._path(
                        value, "write" if mode in ("write", "remove") else "read", name, label
                    )
                continue
            # Positionals of file tools may name a symlink that escapes; for other programs
            # only arguments that look like paths are resolved (the sandbox confines the rest),
            # and a bare word that names a symbolic link of the workspace: a program without a
            # spec may open it (a twenty-fifth red-team pass: `history -r LINK; history`
            # printed the .env, or the file outside, that a workspace link names)
            if positional_paths or mode == "read" or _looks_like_path(t) or self._names_link(t):
                if _URL.match(t):
                    continue
                if "=" in t and mode in ("write", "remove") and not t.startswith(("/", ".", "~")):
                    value = t.partition("=")[2]
                    if _looks_like_path(value):
                        self._path(value, "write", name, label)
                    continue
                if t in link_texts:
                    continue  # a symlink's text: checked from the link's directory
                path_mode = mode
                if name in self.cfg.copy:
                    last = w is positionals[-1] and w is _last_positional(args)
                    path_mode = "write" if last and not into_dir else "read"
                self._path(t, path_mode, name, label)

    def _write_options(self, name: str, args: list[Word], label: str) -> None:
        opts = self.cfg.write_options.get(name)
        if not opts:
            return
        for i, w in enumerate(args):
            t = w.text
            head, eq, value = t.partition("=")
            if eq and head in opts:
                self._path(value, "write", name, label)
            elif t in opts and i + 1 < len(args):
                if args[i + 1].dynamic:
                    self._undecidable(label, f"output file of '{name}' is computed at run time")
                    return
                self._path(args[i + 1].text, "write", name, label)
            elif len(t) > 2 and t[0] == "-" and t[1] != "-":
                # a cluster, read as getopt reads it: `unzip -qd/tmp x.zip`, `-qd /tmp`
                for k in range(1, len(t)):
                    if "-" + t[k] not in opts:
                        continue
                    if t[k + 1 :]:
                        self._path(t[k + 1 :], "write", name, label)
                    elif i + 1 < len(args):
                        if args[i + 1].dynamic:
                            self._undecidable(
                                label, f"output file of '{name}' is computed at run time"
                            )
                            return
                        self._path(args[i + 1].text, "write", name, label)
                    break

    def _outside(self, res: Resolved, mode: str, program: str, label: str) -> None:
        if (
            mode in ("read", "other")
            and under_prefix(res.lexical, self.cfg.read_only_prefixes)
            and under_prefix(res.real, self.cfg.read_only_prefixes)
        ):
            return
        if mode == "remove":
            self._deny(
                "exec.remove-outside-workspace",
                f"'{res.raw}' resolves outside the workspace ({res.real}); removing it is destructive",
                label,
                destructive=True,
            )
        elif mode == "write":
            self._deny(
                "exec.write-outside-workspace",
                f"'{res.raw}' resolves outside the workspace ({res.real}); changing it is destructive",
                label,
                destructive=True,
            )
        else:
            self._deny(
                "exec.path-outside-workspace",
                f"'{res.raw}' resolves outside the workspace ({res.real})",
                label,
            )


# Long options that make a shell read start-up files before the command (bash, zsh).
_SHELL_STARTUP_FILES = frozenset({"--login", "--rcfile", "--init-file", "--interactive", "--rcs"})
# Letters a shell's invocation takes (bash's set letters and -c -i -l -s -r -D -o -O); ksh93
# and mksh read -T (and ksh93 -R) with a value.
_SHELL_LETTERS = frozenset("abefhkmnptuvxBCEHPTcilsrDoO")
_KSH_FAMILY = frozenset({"ksh", "ksh93", "mksh", "lksh", "oksh", "pdksh"})
# Long options of a shell's invocation that take no value and do not change how a command
# string is read (bash's manual, zsh's `--no-rcs`/`--no-globalrcs`); any other cannot be
# decided (`--emulate MODE` takes the next word, zsh's `--NAME` sets option NAME).
_SHELL_LONG_FLAGS = frozenset(
    {"--norc", "--noprofile", "--no-rcs", "--no-globalrcs", "--restricted", "--verbose",
     "--noediting", "--help", "--version", "--dump-strings", "--dump-po-strings",
     "--pretty-print", "--protected"} | _SHELL_STARTUP_FILES | {"--posix", "--debugger"}
)  # fmt: skip


_REQUIREMENT_FILES = frozenset(
    {"-r", "--requirement", "-c", "--constraint", "--requirements", "--with-requirements"}
)


def _requirement_lines(text: str) -> list[str]:
    """pip's logical lines: backslash continuations joined, comments (`#` at the start or
    after a blank) dropped, blank lines skipped."""
    joined = re.sub(r"\\\n", " ", text)
    out = []
    for line in joined.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if line:
            out.append(line)
    return out


_NESTED_FILES = ("-r", "--requirement", "-c", "--constraint")


def _requirement_words(words: list[str], base: str) -> list[str]:
    """pip reads a nested `-r FILE` (`-c FILE`) relative to the file that names it."""

    def rebase(path: str) -> str:
        if not base or path.startswith("/") or "://" in path:
            return path
        return os.path.join(base, path)

    out: list[str] = []
    for w in words:
        if out and out[-1] in _NESTED_FILES:
            w = rebase(w)
        elif w.startswith(tuple(f"{o}=" for o in _NESTED_FILES if o.startswith("--"))):
            head, _, value = w.partition("=")
            w = f"{head}={rebase(value)}"
        out.append(w)
    return out


def _replaced(words: list[Word], token: str) -> list[Word]:
    """Words that contain ``token`` inside a longer word become unknown (computed)."""
    return [Word(w.text, True) if token in w.text and w.text != token else w for w in words]


def _find_selection(args: list[Word], parsed: Parsed) -> list[str]:
    """find's words without its `-exec … ;` (`+`) groups: what selects the names it finds."""
    cut: set[int] = set()
    for it in parsed.items:
        if it.kind == "command" and it.option:
            cut.update(range(it.at - 1, it.end + 1))  # the option, the command, its terminator
    return [w.text for k, w in enumerate(args) if k not in cut]


def _xargs_replace(parsed: Parsed, given: set[str]) -> str:
    """xargs' replace string (-I R, --replace[=R], -i[R]), or "" when it has none."""
    values = dict(parsed.invocations[0].argv.option_values)
    for name in ("-I", "--replace", "-i"):
        if values.get(name):
            return values[name]
    return "{}" if given & {"-i", "--replace"} else ""


# git configuration keys that may only be turned off (signing runs gpg with the human's key),
# and the values git reads as off for them (git_parse_maybe_bool: "" is false too)
_GIT_OFF_ONLY = frozenset({"commit.gpgsign", "tag.gpgsign"})
_GIT_OFF = frozenset({"", "false", "no", "off", "0"})


def _git_key(key: str) -> str:
    """git's own key normalisation: section and variable names are case-insensitive."""
    section, dot, rest = key.partition(".")
    if not dot:
        return key.lower()
    sub, dot2, var = rest.rpartition(".")
    if not dot2:
        return f"{section.lower()}.{rest.lower()}"
    return f"{section.lower()}.{sub}.{var.lower()}"


# V8 flags `deno --v8-flags=` may pass: memory and stack sizes, gc exposure, no JIT
# Xvfb options xvfb-run -s may pass: (option, how many value words, what a value may be)
_XVFB_ARGS: dict[str, tuple[int, re.Pattern[str]]] = {
    "-screen": (2, lazy_compile(r"[0-9]+\Z|[0-9]+x[0-9]+(?:x[0-9]+)?\Z")),
    "-dpi": (1, lazy_compile(r"[0-9]+\Z")),
    "-nolisten": (1, lazy_compile(r"(?:tcp|unix|local|inet6?)\Z")),
    "-listen": (1, lazy_compile(r"(?:tcp|unix|local|inet6?)\Z")),
    "+extension": (1, lazy_compile(r"[A-Za-z][A-Za-z0-9-]*\Z")),
    "-extension": (1, lazy_compile(r"[A-Za-z][A-Za-z0-9-]*\Z")),
    "-depth": (1, lazy_compile(r"[0-9]+\Z")),
    "-pixdepths": (1, lazy_compile(r"[0-9]+\Z")),
    **{
        flag: (0, lazy_compile(r"\Z"))
        for flag in ("-ac", "-noreset", "+iglx", "-iglx", "+render", "-render", "-nocursor",
                     "-br", "-wr", "-core", "-shmem", "-nopn", "+xinerama", "-retro")
    },
}  # fmt: skip


def _xvfb_args_ok(text: str) -> bool:
    """Whether ``xvfb-run -s TEXT`` passes only listed Xvfb options (split as its shell does)."""
    words = text.split()
    i = 0
    while i < len(words):
        entry = _XVFB_ARGS.get(words[i])
        if entry is None:
            return False
        count, value = entry
        values = words[i + 1 : i + 1 + count]
        if len(values) != count or not all(value.match(w) for w in values):
            return False
        i += 1 + count
    return True


# What `go build -gcflags/-ldflags/-asmflags` may hand the compiler, linker and assembler:
# (flag, how many value words, what a value may be); `-X` also as `-X=NAME=VALUE`, a flag with
# `=` as `-FLAG=VALUE`. A leading `PATTERN=` (`all=-N -l`) names the packages.
_GO_PLAIN = lazy_compile(r"[A-Za-z0-9_.:+/-]*\Z")
_GO_TOOL_FLAGS: dict[str, dict[str, tuple[int, re.Pattern[str]]]] = {
    "-ldflags": {
        **{f: (0, _GO_PLAIN) for f in ("-s", "-w", "-v")},
        "-X": (1, lazy_compile(r"[A-Za-z0-9_./-]+\.[A-Za-z0-9_]+=[^\s'\"@]*\Z")),
        "-buildid": (1, _GO_PLAIN),
        "-linkmode": (1, lazy_compile(r"internal\Z")),
        "-compressdwarf": (1, lazy_compile(r"(?:true|false)\Z")),
        "-checklinkname": (1, lazy_compile(r"[01]\Z")),
    },
    "-gcflags": {
        **{f: (0, _GO_PLAIN) for f in ("-N", "-l", "-m", "-S", "-B", "-C", "-e", "-race", "-wb")},
        "-lang": (1, lazy_compile(r"go[0-9.]+\Z")),
        "-spectre": (1, lazy_compile(r"[a-z,]*\Z")),
    },
    "-asmflags": {
        **{f: (0, _GO_PLAIN) for f in ("-S", "-dynlink", "-shared")},
        "-spectre": (1, lazy_compile(r"[a-z,]*\Z")),
    },
}
_GO_PACKAGES = lazy_compile(r"[^-\s=][^\s=]*=")


def _go_tool_flags_ok(option: str, text: str) -> bool:
    """Whether ``go OPTION=TEXT`` passes only listed tool flags (split at blanks; a quote,
    which go's own splitting would read, is not decided)."""
    table = _GO_TOOL_FLAGS[option]
    m = _GO_PACKAGES.match(text)
    text = text[m.end() :] if m else text
    if any(c in text for c in "'\"\\"):
        return False
    words = text.split()
    i = 0
    while i < len(words):
        flag, eq, attached = words[i].partition("=")
        if flag.startswith("--"):
            flag = flag[1:]  # the flag package reads -x and --x alike
        if option == "-gcflags" and flag == "-m" and attached.isdigit():
            i += 1  # -m=2: the optimiser's decisions, more verbosely
            continue
        entry = table.get(flag)
        if entry is None:
            return False
        count, value = entry
        values = [attached] if eq else words[i + 1 : i + 1 + count]
        if eq and count == 0:
            if attached not in ("true", "false"):
                return False
            values = []
        if len(values) != count or not all(value.match(v) for v in values):
            return False
        i += 1 + (0 if eq else count)
    return True


_V8_FLAG = lazy_compile(
    r"--(?:(?:max-old-space-size|max-semi-space-size|stack-size|stack-trace-limit)=\d+"
    r"|expose-gc|jitless|single-threaded|help)\Z"
)
# jq's module directives (`import "x" as $d;`, `include "x";`; not `.import` keys), `modulemeta`,
# which reads the module its input names from the search path (a sixth red-team pass printed a
# module's metadata from `~/.jq` by name), and the file loaders of mikefarah's yq (`load("f")`,
# `load_str`, `load_xml`, `load_props`, `load_base64` …), which read any file by name. Every
# program word of jq and yq is checked with it (`_jq_word`, from their argument specs).
_JQ_MODULE = lazy_compile(r"(?<![\w$.])(?:import|include|modulemeta|load(?:_[a-z0-9]+)?)(?![\w])")
# yq's whole-word check (`_yq_words`, every word of the line, option values too) adds what the
# spec-driven one does not take: `strload(…)` and any `load…(` call.
_YQ_LOAD = lazy_compile(r"(?<![\w$.])(?:load|strload)\w*\s*\(")
# Programs that hand their program text to jq, or read one like it.
_JQ_WRAPPERS = frozenset({"yq", "xq", "tomlq"})
# The values that leave a boolean flag on (Go's strconv.ParseBool, pflag, clap)
_TRUE_WORDS = frozenset({"", "1", "t", "true", "yes", "on"})
# `npm exec`/`npm x`: npm's parser, not the command's, takes the first `--`.
_NPM_EXEC = frozenset({"npm exec|x", "npm exec", "npm x"})
_PACKAGE_EXEC = frozenset({"npx", "pnpm exec", "pnpm -r exec"})
# options by which npm, npx and pnpm pick workspace packages to run in (their directories)
_WORKSPACE_SELECTORS = frozenset(
    {"-w", "--workspace", "--ws", "--workspaces", "--include-workspace-root", "-r",
     "--recursive", "-F", "--filter", "--filter-prod"}
)  # fmt: skip


def _embedded_paths(t: str) -> list[str]:
    """The paths a written option value may carry after a format or key: ``html:DIR``,
    ``json:FILE,text``, ``cache_dir=DIR``."""
    out: list[str] = []
    for sep in (":", "="):
        head, found, tail = t.partition(sep)
        if found and head and tail:
            out.extend(p for p in tail.split(",") if p)
    return out


def _looks_like_path(t: str) -> bool:
    if not t or _URL.match(t):
        return False
    return t[0] in "/~" or t == ".." or t.startswith("../") or "/../" in t or t.endswith("/..")


def _last_positional(args: list[Word]) -> Word | None:
    for w in reversed(args):
        if not (w.text.startswith("-") and len(w.text) > 1):
            return w
    return None


def _reads_nothing(r: Redirect) -> bool:
    """Whether a redirection gives the command no input (output ones, `< /dev/null`)."""
    if r.op.startswith("<") or (r.fd == "0" and r.op != ">&"):
        return r.op == "<" and r.target.text == "/dev/null" and not r.target.dynamic
    return True


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_small_text = small_text
