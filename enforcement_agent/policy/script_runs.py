"""What one line of a CI step or script runs from the workspace: the scripts and files it names,
through wrappers, environment settings, pipes into interpreters, `xargs` and loops, command-valued
options and git keys, down to the workspace files that end up executed."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Sequence

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy.container_runs import (
    compose_files,
    container_build,
    container_command,
    container_mounts,
    container_workdir,
    dockerfile_from,
    mounted_words,
    runner_targets,
)
from enforcement_agent.policy.program_copies import (
    ARCHIVE,
    CREATED,
    INSIDE,
    printed_files,
    program_copies,
)
from enforcement_agent.policy.python_runs import (
    module_option,
    py_script,
    pytest_loads,
    python_build,
    shell_split,
)
from enforcement_agent.policy.repo_run_words import (
    ACTION_MARK,
    JS_FILES,
    MAKE_FILE_WORD,
    MANIFEST_MARK,
    PRELOADS,
    ROOT_MARK,
    SCRIPT_FILES,
    UNFIXED,
    VARIABLE,
    WORKSPACE_PWD,
    WORKSPACE_VARS,
)

_RUNNERS = {
    "npm": "npm", "pnpm": "npm", "yarn": "npm", "yarnpkg": "npm", "bun": "npm",
    # monorepo runners: every workspace's scripts (`turbo run test`, `lerna run test`)
    "turbo": "npm", "lerna": "npm", "nx": "npm",
    "make": "make", "gmake": "make", "tox": "tox", "nox": "nox", "just": "just",
    "task": "task", "go-task": "task", "rake": "rake", "gulp": "gulp", "grunt": "grunt",
    "jake": "jake", "invoke": "invoke", "inv": "invoke", "doit": "doit", "earthly": "earthly",
    "cargo-make": "cargo-make", "makers": "cargo-make", "mage": "mage", "gradle": "gradle",
    "gradlew": "gradle", "mvn": "maven", "mvnw": "maven", "cargo": "cargo",
    **{t: t for t in (
        "eslint", "prettier", "stylelint", "jest", "vitest", "vite", "mocha", "ava", "karma",
        "playwright", "cypress", "webpack", "rollup", "babel", "commitlint", "lint-staged",
        "postcss", "tailwindcss", "next", "nuxt", "astro", "tsup", "svelte-kit",
    )},
    "webpack-cli": "webpack", "nuxi": "nuxt", "tailwind": "tailwindcss",
    # build tools (fortieth pass)
    "cmake": "cmake", "meson": "meson", "scons": "scons", "bazel": "bazel",
    "bazelisk": "bazel", "ant": "ant", "sbt": "sbt", "composer": "composer", "mix": "mix",
    "rebar3": "rebar", "cabal": "cabal", "stack": "stack", "swift": "swift", "zig": "zig",
    "xmake": "xmake", "premake5": "premake", "premake4": "premake", "lein": "lein",
    "autoreconf": "autotools", "autoconf": "autotools", "automake": "autotools",
    "aclocal": "autotools",
    # (forty-first pass)
    "ninja": "ninja", "samu": "ninja", "snakemake": "snakemake", "fab": "fab",
    "dotnet": "msbuild", "msbuild": "msbuild",
    "pre-commit": "precommit", "prek": "precommit",
    # (forty-fourth pass) release, review and deploy tools whose file runs commands or code
    "goreleaser": "goreleaser", "danger": "danger", "danger-js": "danger",
    "fastlane": "fastlane", "tilt": "tilt", "skaffold": "skaffold",
    "ansible-playbook": "ansible",
}  # fmt: skip


_RUN_VIA = frozenset(("uvx", "npx", "bunx", "pnpx"))
# pdm's own commands (any other first word is a script of the project: `pdm test`)
_PDM_COMMANDS = frozenset(
    "add build cache completion config export fix import info init install list lock outdated "
    "publish py python remove run search self show sync update use venv".split()
)
_ALSO_RUNS = {"nx": "nx", "pixi": "pixi"}  # a task file read besides the kind above


_RUN_VIA_RUN = frozenset(
    ("uv", "poetry", "pdm", "hatch", "pipenv", "pipx", "rye", "pixi", "bundle", "bundler", "deno")
    # (forty-eighth pass: `zig run ci/x.zig`, `mix run ci/x.exs`, `dotnet run ci/x.cs`, .NET
    # 10's file-based programs, `crystal run ci/x.cr`, `cargo script ci/x.rs`)
    + ("zig", "mix", "dotnet", "crystal")
)


_SHELLS = frozenset(
    "bash sh zsh dash ksh mksh ash fish python python2 python3 node nodejs ruby perl php "
    "pwsh powershell source . tsx ts-node Rscript "
    # (fortieth pass: more programs whose first operand is a program they run)
    "lua luajit julia tclsh wish expect m4 bc dc gnuplot octave guile escript elixir groovy "
    # (forty-first pass)
    "xonsh osascript java jshell "
    # (forty-eighth pass: single-file runners whose first operand is the program)
    "swift kotlin scala nu rust-script runghc runhaskell ocaml raku".split()
)


_STOP_OPTIONS = frozenset(("-m", "-e", "-E", "--eval", "--command", "-Command", "-p", "--print"))


_ARG_OPTIONS = frozenset(("-o", "-O", "-W", "-X", "-r", "--require", "--rcfile", "--init-file"))


# programs that run a program file named by an option (fortieth pass)
_PROGRAM_FILE_OPTIONS = {
    **{
        n: frozenset(("-f", "--file", "-E", "--exec", "-i", "--include"))  # (-i: a source file)
        for n in ("awk", "gawk", "mawk", "nawk")
    },
    "sed": frozenset(("-f", "--file")),
    "jq": frozenset(("-f", "--from-file")),
    "ansible-playbook": frozenset(),
    "gdb": frozenset(("-x", "--command")),
    # (forty-first pass: editors' scripts, SQL files a client runs)
    **{
        n: frozenset(("-S", "-u", "--cmd-file"))
        for n in ("vim", "nvim", "vi", "view", "ex", "gvim")
    },
    "emacs": frozenset(("-l", "--load", "--script", "-scriptload")),
    "psql": frozenset(("-f", "--file")),
    # (forty-second pass) a job's commands (`at -f`, `batch -f`), a client's init script
    # (`sqlite3 -init`: `.shell` runs commands), a debugger's command file, R's script;
    # crontab's operand (below)
    **{n: frozenset(("-f",)) for n in ("at", "batch")},
    **{n: frozenset(("-init",)) for n in ("sqlite3", "duckdb")},
    "lldb": frozenset(("-s", "-S", "--source", "--source-before-file")),
    "R": frozenset(("-f", "--file")),
    "crontab": frozenset(),
}


_FIND_RUNS = frozenset(("-exec", "-execdir", "-ok", "-okdir"))


_WRAPPERS = frozenset(
    "sudo env exec time nice nohup command builtin xvfb-run timeout ionice busybox toybox".split()
)


_CMD_WRAPPERS = frozenset(("call", "cmd", "cmd.exe", "start", "&"))


_ACTION_VARS = lazy_compile(r"\$\{\{\s*github\.action_path\s*\}\}|\$\{?GITHUB_ACTION_PATH\b\}?")


_SCRIPT_LINE = 16 << 10  # characters of a CI command's line read for the scripts it names


_SCRIPT_COMMAND = 64 << 10  # and of the whole command


# Variables a CI configuration sets that make its shells or interpreters load a file first:
# bash sources `BASH_ENV` (GitHub runs `bash --noprofile --norc -eo pipefail {0}`, a
# non-interactive shell), `sh` sources `ENV`; `NODE_OPTIONS`, `RUBYOPT` and `PERL5OPT` preload
_ENV_SOURCED = frozenset(("BASH_ENV", "ENV"))


_ENV_OPTIONS = {"NODE_OPTIONS": "node", "RUBYOPT": "ruby", "PERL5OPT": "perl"}


_ENV_FILES = frozenset(
    "LD_PRELOAD MAKEFILES GIT_CONFIG_GLOBAL GIT_CONFIG_SYSTEM NPM_CONFIG_USERCONFIG "
    "NPM_CONFIG_GLOBALCONFIG npm_config_userconfig npm_config_globalconfig PIP_CONFIG_FILE "
    "KUBECONFIG BUNDLE_GEMFILE PYTHONSTARTUP RUSTC_WRAPPER GIT_SSH GIT_ASKPASS SSH_ASKPASS "
    "DOCKER_CONFIG".split()
)


_ENV_HOMES = {
    "CARGO_HOME": ("config.toml", "config"),
    "XDG_CONFIG_HOME": ("git/config", "git/attributes", "pip/pip.conf", "npm/npmrc"),
    "RUSTUP_HOME": ("settings.toml",),
}


_ENV_COMMANDS = frozenset(
    ("GIT_SSH_COMMAND", "GIT_EXTERNAL_DIFF", "GIT_EDITOR", "GIT_PAGER",
     # (forty-first pass: each runs a command the programs of the step start)
     "GIT_PROXY_COMMAND", "GIT_SEQUENCE_EDITOR", "PAGER", "MANPAGER", "GIT_MAN_VIEWER",
     "EDITOR", "VISUAL", "BROWSER", "PROMPT_COMMAND", "LESSOPEN", "LESSCLOSE", "SUDO_ASKPASS",
     "SYSTEMD_PAGER", "PSQL_PAGER", "GIT_TEMPLATE_DIR")
)  # fmt: skip


# a JVM's options: `-javaagent:ci/agent.jar`, `-agentpath:ci/x.so` load code before `main`
# (thirty-ninth pass)
_JAVA_OPTIONS = frozenset(
    ("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "MAVEN_OPTS", "GRADLE_OPTS")
)


# `echo "$PWD/bin" >> $GITHUB_PATH`, `export PATH=./bin:$PATH`: a workspace folder ahead of
# the system's, so every later program name (`npm`, `make`, `eslint`) may run a file there
# `echo "K=V" >> $GITHUB_ENV`, `printf 'K=%s\n' V >> "$GITHUB_ENV"` (forty-second pass)
_GITHUB_ENV_SET = lazy_compile(
    r"""echo\s+(?:-\w+\s+)?["']?([A-Za-z_]\w*)=([^"'\n>|;&]*)["']?"""
    r"""|printf\s+["']?([A-Za-z_]\w*)=%s(?:\\n)?["']?\s+["']?([^"'\s>|;&]+)["']?"""
)
# an append to $GITHUB_ENV (what it appends is the text before it)
_GITHUB_ENV_TO = lazy_compile(r""">>\s*["']?\$\{?GITHUB_ENV\b""")
_LINE_PASSERS = frozenset(
    "cat tac grep egrep fgrep sed head tail sort uniq envsubst tr cut awk gawk tee".split()
)
# a line that exports a substitution's output (`export $(…)`, `env $(…) cmd`)
_EXPORTS_OUTPUT = lazy_compile(
    r"(?:^|[\s;&|(])(?:export|env|declare|typeset|readonly)\s+(?:-\w+\s+)*[\"']?(?:\$\(|`)"
)
_GITHUB_PATH = lazy_compile(
    r"""(?:echo|printf\s+(?:'%s\\n'|"%s\\n"|%s\\n))\s+(?:-\w+\s+)?["']?([^"'\s>|;&]+)["']?"""
    r"""\s*>>\s*["']?\$\{?GITHUB_PATH\b"""
)


_PATH_SET = lazy_compile(r"""(?:^|[\s;&|(])(?:export\s+)?PATH=(?:"([^"]*)"|'([^']*)'|(\S*))""")


_PYTHONPATH_SET = lazy_compile(
    r"""(?:^|[\s;&|(])(?:export\s+)?PYTHONPATH=(?:"([^"]*)"|'([^']*)'|(\S*))"""
)


# Folders an interpreter finds modules *by name* in (thirty-ninth pass): `PERL5LIB=ci perl
# -MPre`, `RUBYLIB=ci ruby -rpre`, `NODE_PATH=lib node -r pre`, `PYTHONPATH=src python -m
# tool` load `ci/Pre.pm`, `ci/pre.rb`, `lib/pre.js`, `src/tool.py`
_LIBPATH_VARS = {"PYTHONPATH": "py", "RUBYLIB": "rb", "PERL5LIB": "pl", "PERLLIB": "pl",
                 "NODE_PATH": "js"}  # fmt: skip


_LIBPATH_SET = lazy_compile(
    r"""(?:^|[\s;&|(])(?:export\s+)?(PYTHONPATH|RUBYLIB|PERL5LIB|PERLLIB|NODE_PATH)="""
    r"""(?:"([^"]*)"|'([^']*)'|(\S*))"""
)


# compose's own variables (forty-fourth pass): `COMPOSE_FILE=ci/c.yml docker compose up`
# reads that file as `-f` would (a list split at `:`, `;` or `,`), `COMPOSE_ENV_FILES` as
# `--env-file` would
_COMPOSE_VARS = {"COMPOSE_FILE": "-f", "COMPOSE_ENV_FILES": "--env-file"}


# The loader variables of `env_commands` set in a run line itself (`NODE_OPTIONS='--require
# ./ci/pre.js' npm test`, `export BASH_ENV=ci/env.sh`), read as the `env:` map's are
_LOADER_SET = lazy_compile(
    r"""(?:^|[\s;&|(])(?:export\s+)?("""
    + "|".join(
        sorted(
            _ENV_SOURCED
            | set(_ENV_OPTIONS)
            | _ENV_FILES
            | _ENV_COMMANDS
            | _JAVA_OPTIONS
            | set(_COMPOSE_VARS)
            | set(_ENV_HOMES)
            | {"PYTEST_ADDOPTS", "GIT_EXEC_PATH"}
        )
    )
    + r""")=(?:"([^"]*)"|'([^']*)'|(\S*))"""
)


def env_commands(env: dict[object, object]) -> list[str]:
    """The commands an `env:`/`environment:`/`variables:` map stands for (`BASH_ENV:
    ci/env.sh` is `source ci/env.sh` before every step)."""
    out: list[str] = []
    for key, value in list(env.items())[:256]:
        if isinstance(value, dict):
            value = value.get("value")  # GitLab's `variables: {X: {value: …}}`
        if not isinstance(key, str) or not isinstance(value, str):
            continue
        if key in _ENV_SOURCED:
            out.append("source " + value)
        elif key in _ENV_OPTIONS:
            out.append(f"{_ENV_OPTIONS[key]} {value}")
        elif key in _ENV_FILES:
            # a file every process (LD_PRELOAD), make (MAKEFILES), git, npm, pip or kubectl
            # loads as code or as configuration that runs code
            out += ["source " + v for v in re.split(r"[\s:]+", value) if v][:16]
        elif key in _ENV_HOMES:
            # a folder a program reads its configuration from (`CARGO_HOME` → config.toml,
            # `XDG_CONFIG_HOME` → git/config …; forty-fourth pass)
            for v in re.split(r"[\s:]+", value)[:4]:
                if v:
                    out += ["source " + v.rstrip("/") + "/" + f for f in _ENV_HOMES[key]]
        elif key == "PYTEST_ADDOPTS":
            out.append("pytest " + value)  # (`-p ci.plugin`, `-c ci/pytest.ini`)
        elif key == "GIT_TEMPLATE_DIR":
            out.append("git init --template=" + value)  # its `hooks/` are copied and run
        elif key in _ENV_COMMANDS:
            out.append(value.lstrip("|"))  # (LESSOPEN's `|cmd %s`, `||cmd %s`)
        elif key in _JAVA_OPTIONS:
            for m in re.finditer(r"-(?:javaagent|agentpath):([^=\s'\"]+)", value):
                out.append("source " + m.group(1))
        elif key in _COMPOSE_VARS:
            files = [v for v in re.split(r"[:;,\s]+", value) if v][:16]
            out.append(" ".join(["docker compose", *(f"{_COMPOSE_VARS[key]} {f}" for f in files)]))
        elif key in ("PATH", "GIT_EXEC_PATH"):
            # workspace folders put first on PATH; git runs its parts from GIT_EXEC_PATH
            out.append("export PATH=" + value)
        elif key == "PYTHONPATH" or key in _LIBPATH_VARS:
            out.append(f"export {key}={value}")
    return out


_ANSI_C = lazy_compile(r"\$'((?:[^'\\]|\\.){0,4096})'")


def scripts_in(
    command: str,
    depth: int = 0,
    copies: dict[str, tuple[str, str]] | None = None,
    step_dir: str = "",
) -> list[str]:
    """The words of a shell command that clearly name a script by path (see above).

    ``copies``: what earlier commands of the same CI job copied where (a job's steps share
    one runner, so `cp F /tmp/y` in one step and `bash /tmp/y` in a later one run F; filled
    here, at most ``_COPIES``); ``step_dir``: the command's working directory from the top,
    which the sources of those copies are kept relative to."""
    import shlex  # noqa: PLC0415

    command = command[:_SCRIPT_COMMAND]  # (see _SCRIPT_LINE)
    out: list[str] = []
    if depth < 2 and "\\" in command and _WINDOWS_PATH.search(command):
        # a Windows path (`bat 'ci\\x.bat'`, `.\\ci\\x.ps1`, `call ci\\x.cmd` in a Jenkinsfile, a
        # `shell: pwsh` or `cmd` step): read once more with `/` for its separators (a
        # forty-fifth red-team pass: shlex took `ci\\x.bat` for `cix.bat`)
        windows = _WINDOWS_VARS.sub(".", _WINDOWS_PATH.sub("/", command))
        out += scripts_in(windows, depth + 1, None, step_dir)
    command = WORKSPACE_VARS.sub(ROOT_MARK, command)
    command = _ACTION_VARS.sub(ACTION_MARK, command)
    command = re.sub(r"\\\n", " ", command)
    command = WORKSPACE_PWD.sub(".", command)  # (the line's own folder)
    # bash drops a backslash before `$` outside quotes and inside "…" (shlex keeps it there:
    # `bash -c "for f in ci/*.sh; do bash \$f; done"` hid its loop; forty-second pass)
    command = command.replace("\\$", "$")
    for am in list(_ANSI_C.finditer(command))[:64]:
        # `$'…'` (ANSI-C quoting, which shlex does not know): its text read coarsely
        _coarse(am.group(1).replace("\\'", "'").replace("\\\\", "\\"), "", out)
    for m in _GITHUB_PATH.finditer(command):
        out.append(MANIFEST_MARK + "pathdir@@d:" + m.group(1))
    for m in list(_GITHUB_ENV_TO.finditer(command))[:64]:
        # what a line appends to `$GITHUB_ENV`, every later step's environment (forty-second
        # pass); found at its `>>` (linear), the producer is the text before it, to the
        # command's start
        producer = re.split(r"[\n;&]", command[max(0, m.start() - 512) : m.start()])[-1]
        kv = _GITHUB_ENV_SET.fullmatch(producer.strip())
        heads = [seg.split()[:1] for seg in producer.split("|")]
        if kv:
            # `echo "BASH_ENV=ci/x.sh" >> $GITHUB_ENV`: read as an `env:` map is
            for inner in env_commands({kv.group(1) or kv.group(3): kv.group(2) or kv.group(4)}):
                if depth < 2:
                    found = scripts_in(inner, depth + 1)
                    out += found
                    # a later step may run in another `working-directory`, where a relative
                    # name is found: that name below any folder too (forty-fourth pass)
                    out += [
                        MANIFEST_MARK + "glob@@f:*/" + w
                        for w in found[:16]
                        if w and not w.startswith(("/", "@@", "~")) and not UNFIXED.search(w)
                    ]
                else:
                    _coarse(inner, "", out)
        elif all(h and os.path.basename(h[0]) in _LINE_PASSERS for h in heads):
            # `cat ci/app.vars >> $GITHUB_ENV`, `grep -v '^#' F`: the files whose lines it
            # passes on are environment files (`jq -r .version package.json` makes none)
            out += _env_files(producer)
    for m in _PATH_SET.finditer(command):
        for entry in (m.group(1) or m.group(2) or m.group(3) or "").split(":")[:16]:
            if entry and "PATH" not in entry:
                out.append(MANIFEST_MARK + "pathdir@@d:" + entry)
    for m in _PYTHONPATH_SET.finditer(command):
        # every Python process of the step imports `sitecustomize`, then `usercustomize`,
        # from the first folder of its path that has one (a thirty-sixth red-team pass)
        for entry in (m.group(1) or m.group(2) or m.group(3) or "").split(":")[:16]:
            if entry and "PATH" not in entry and not UNFIXED.search(entry.replace(ROOT_MARK, "")):
                for name in ("sitecustomize.py", "usercustomize.py"):
                    out.append(entry.rstrip("/") + "/" + name)
    for m in list(re.finditer(r"\bfor\s+(\w+)\s+in\s+([^;\n]{0,512})", command))[:64]:
        # `for s in ci/a.sh ci/b.sh; do bash $s; done`: the scripts of the loop's list
        out += [
            w.strip("'\"")
            for w in m.group(2).split()[:32]
            if w.strip("'\"").endswith(SCRIPT_FILES) and not UNFIXED.search(w)
        ]  # (literal names only: `for f in src/*.py; do black $f` runs none of them)
        if _runs_variable(m.group(1), command[m.end() : m.end() + _SCRIPT_LINE]):
            # `for f in ci/*.sh; do sh "$f"; done`, `for f in $(ls ci); do ./ci/$f`: the
            # body runs what the list names, so every file it may name (fortieth pass)
            out += _listed_code(m.group(2))
    for wm in list(_PIPED_WHILE.finditer(command[:_SCRIPT_COMMAND]))[:64]:
        # `ls ci | while read f; do bash ci/$f; done`: the names the producer prints are run
        # (forty-first pass); the producer is the pipeline's text before the `|`
        before = command[max(0, wm.start() - 512) : wm.start()]
        producer = re.split(r"[;&\n(]", before)[-1]
        body = command[wm.end() : wm.end() + _SCRIPT_LINE]
        if _runs_variable(wm.group(1), body) or re.search(
            r"(?:^|[\s;&|])(?:(?:ba|z|da|k)?sh|source|\.|python3?|node|perl|ruby|exec)\s+"
            r"[\"']?[\w./-]*\$\{?" + re.escape(wm.group(1)) + r"\b",
            body[: body.find("done") + 1 if "done" in body else None],
        ):
            out += _listed_code(producer)
    run_output: list[str] = []  # the substitutions whose output the shell runs
    for line in command.splitlines()[:2000]:
        # `bash -c "$(cat ci/cmd.txt)"`, `eval "$(cat ci/env)"`, `source <(cat ci/x.sh)`:
        # a file whose text the shell runs (fortieth pass)
        line = line[:_SCRIPT_LINE]
        if ("$(" in line or "`" in line or "<(" in line) and _RUNS_OUTPUT.search(line):
            for sm in _SUBSTITUTION.finditer(line):
                out += _listed_code(sm.group(1) or sm.group(2) or sm.group(3) or "")
                if len(run_output) < 64:
                    run_output.append(sm.group(1) or sm.group(2) or sm.group(3) or "")
        if ("$(" in line or "`" in line) and _EXPORTS_OUTPUT.search(line):
            # `export $(cat ci/app.vars | xargs)`, `env $(cat F) make`: the file's lines
            # become the environment (forty-second pass)
            for sm in _SUBSTITUTION.finditer(line):
                out += _env_files(sm.group(1) or sm.group(2) or "")
    for m in _LIBPATH_SET.finditer(command):
        # a folder modules are found in by name: what the configuration loads by name is
        # looked for there (`module_files`)
        lang = _LIBPATH_VARS[m.group(1)]
        for entry in (m.group(2) or m.group(3) or m.group(4) or "").split(":")[:16]:
            if entry and not re.search(r"PATH|LIB", entry):
                out.append(MANIFEST_MARK + f"libdir-{lang}@@d:" + entry)
    for m in _LOADER_SET.finditer(command):
        value = m.group(2) if m.group(2) is not None else m.group(3) or m.group(4) or ""
        for inner in env_commands({m.group(1): value}):
            if depth < 2:
                out += scripts_in(inner, depth + 1)
            else:
                _coarse(inner, "", out)  # (past the nesting limit: fail closed)
    # a command substitution is a value not known here (and would split into punctuation);
    # so is an expression the CI system fills in before the shell runs (GitHub's
    # `${{ inputs.dir }}`, GitLab's `$[[ inputs.dir ]]`), which splits at its spaces
    command = re.sub(r"\$\([^()]*\)", "$_gonogo_cmd", command)
    command = re.sub(r"\$\{\{.*?\}\}|\$\[\[.*?\]\]", "$_gonogo_expr", command)
    # what a copy (`cp F /tmp/y`, `curl -o /tmp/y file://F`, `cat F > /tmp/y`) put where:
    # a later word naming the copy stands for its source (forty-third pass)
    copies = {} if copies is None else copies
    copied_from: list[str] = []
    carried = ""  # where the lines before left the shell (`cd tools` on a line of its own)
    for line in command.splitlines()[:2000]:
        # (shlex reads 240 KB of one line in a second: a line's first 16 KB are read,
        # as an expansion's first 4,096 characters are; thirty-eighth pass)
        line = line[:_SCRIPT_LINE]
        try:
            lex = shlex.shlex(line, posix=True, punctuation_chars=True)
            lex.whitespace_split = True
            words = list(lex)
        except ValueError:
            words = line.split()
        # a `cd` on one line holds for the lines after it (a `run: |` block, a script), where
        # the reading may not follow it (a function, a branch): those lines are read from the
        # top too (forty-fourth pass)
        for start in ("", carried) if carried else ("",):
            cwd = start
            outside = ""  # a folder outside the workspace the line went to (`cd /tmp`)
            segment: list[str] = []
            prev: list[str] = []
            upstream: list[str] = []  # the pipeline's producers so far (`tac x | tac | bash`)
            sep = ""
            for word in [*words, ";"]:
                if word and all(c in "();<>|&" for c in word):
                    if written_cd := _cd_outside(segment, outside):
                        outside = written_cd  # (`cd /tmp && bash ./y`: where a copy is looked for)
                    here = os.path.join(step_dir, cwd) if step_dir else cwd
                    written = segment  # (destinations as written: a copy's source is mapped below)
                    if copies and segment:
                        if "\0alts" in copies:
                            # a destination made of several sources: each in turn
                            for k in range(1, 8):
                                other = _copied(segment, copies, here, 0, outside, k)
                                if other != segment:
                                    _script_in_segment(other, cwd, out, depth)
                        for k in range(1, sum(1 for w in _WILD_KEYS if w in copies)):
                            # each other computed destination the segment's computed words may be
                            _script_in_segment(
                                _copied(segment, copies, here, k, outside), cwd, out, depth
                            )
                        segment = _copied(
                            _make_dir_copies(segment, copies, here, outside),
                            copies,
                            here,
                            0,
                            outside,
                        )  # (a copy stands for its source)
                        upstream = _copied(upstream, copies, here, 0, outside)
                    if sep in (">", ">>", ">|", "&>") and segment and copied_from:
                        # `cat F > /tmp/z`, `curl file://F > /tmp/z`: what the producer passes on
                        _add_copy(copies, copied_from, written[0], here, outside)
                    copied_from = _copy_sources(segment, upstream, word)
                    pairs = _copy_pairs(written, upstream)
                    for src, dst in list(pairs):
                        made = "\0ar:" + os.path.normpath(src)
                        if dst.endswith(ARCHIVE) and made + "\0" + "0" in copies:
                            # an archive this job made (`tar -czf /tmp/a.tgz ci`), extracted
                            into = dst[: -len(ARCHIVE)].rstrip("/") + "/"
                            for k in range(8):
                                hit = copies.get(f"{made}\0{k}")
                                if hit:
                                    pairs.append((hit[0], into))
                    for src, dst in pairs:
                        # (`cp /tmp/x /tmp/y` after `cp F /tmp/`: the source is F's copy, the
                        # destination still /tmp/y, not what the copied folder makes of it)
                        _add_copy(
                            copies, _copied([src], copies, here, 0, outside), dst, here, outside
                        )
                    if sep in ("|", "|&"):
                        # `cat ci/x.sh | bash` (fortieth pass); every producer of the pipeline
                        # (forty-first pass: `tac ci/x.sh | tac | bash`)
                        _piped_code(upstream, segment, cwd, out)
                    elif sep == "<" and prev[:1] == ["done"] and segment:
                        # `while read s; do bash "$s"; done < ci/list.txt`: the names it reads
                        out.append(
                            MANIFEST_MARK + "namelist@@f:" + dockerfile_from(segment[0], cwd)
                        )
                    upstream = [*upstream, *segment][:64] if word in ("|", "|&") else []
                    ran = len(out)
                    cwd = _script_in_segment(segment, cwd, out, depth)
                    if "\0in0" in copies and len(out) > ran:
                        _inside_archives(out, ran, copies, step_dir)
                    prev, sep, segment = segment, word, []
                else:
                    segment.append(word)
        carried = cwd
    for text in run_output if copies else ():
        # `cp F /tmp/y && eval "$(cat /tmp/y)"`, `source <(cat /tmp/y)` in a later step: the
        # output the shell runs is the copy's source's (a forty-fifth red-team pass; the
        # substitutions were read before the copies were known)
        words = text.split()[:64]
        mapped = _copied(words, copies, step_dir)
        if mapped != words:
            out += _listed_code(" ".join(mapped))
    return out


# a backslash (or a Groovy-escaped pair) between the characters of a path: `ci\\x.bat`,
# `.\\ci\\x.ps1`, `%WORKSPACE%\\ci\\x.cmd`
_WINDOWS_PATH = lazy_compile(r"(?<=[\w.%~:])\\{1,4}(?=[\w.%~-])")
# the workspace in cmd's and PowerShell's spellings (`%WORKSPACE%`, `$env:GITHUB_WORKSPACE`)
_WINDOWS_VARS = lazy_compile(
    r"(?i)%(?:WORKSPACE|GITHUB_WORKSPACE|CI_PROJECT_DIR|BUILD_SOURCESDIRECTORY|CD)%"
    r"|\$\{?env:(?:WORKSPACE|GITHUB_WORKSPACE|CI_PROJECT_DIR|BUILD_SOURCESDIRECTORY)\}?"
)
_COPIERS = frozenset(("cp", "mv", "install", "ln", "rsync", "dd", "tee", "curl"))
_KEYWORDS = frozenset(("do", "then", "else", "elif", "{", "!"))
# options of the copying programs that take a value in the next word
_COPY_ARG_OPTIONS = frozenset(
    "-m --mode -o -g --owner --group -S --suffix -e --rsh --exclude --include --chown --chmod"
    " -H --header -d --data -u --user -A --user-agent -X --request -K --config".split()
)
_COPIES = 256  # copies remembered per command (bounded: each later word looks at most these)


def _required(path: str, program: str) -> list[str]:
    """The files a preload names: ``path``, and where it has no suffix the ones the loader
    tries (`ruby -r./ci/x` loads `ci/x.rb`; `node -r ./ci/x`, `ci/x.js`, `ci/x/index.js` …;
    forty-fourth pass)."""
    name = os.path.basename(program)
    if "." in os.path.basename(path) or UNFIXED.search(path):
        return [path]
    if name.startswith("ruby"):
        return [path, path + ".rb", path + ".so"]
    if name in ("node", "nodejs", "bun", "deno", "tsx", "ts-node"):
        return [path, *(path + s for s in (".js", ".mjs", ".cjs", ".ts", ".json", "/index.js"))]
    return [path]


def _inside_archives(
    out: list[str], ran: int, copies: dict[str, tuple[str, str]], step_dir: str
) -> None:
    """After a segment ran the paths ``out[ran:]``: the archives extracted inside the
    workspace into a folder one of them lies below (or `.`), which may have put that file
    there (program_copies.INSIDE)."""
    paths = [
        os.path.normpath(os.path.join(step_dir, p)) if step_dir else os.path.normpath(p)
        for p in out[ran : ran + 64]
        if p and not p.startswith(("@@", "/", "~"))
    ]
    for k in range(8):
        hit = copies.get(f"\0in{k}")
        if hit is None:
            return
        src, folder = hit
        if any(folder == "." or p == folder or p.startswith(folder + "/") for p in paths):
            out.append(src)


_MAKEFILE_NAMES = ("GNUmakefile", "makefile", "Makefile")


def _make_dir_copies(
    segment: list[str], copies: dict[str, tuple[str, str]], here: str, outside: str
) -> list[str]:
    """`make -C D` (`-CD`, `--directory=D`, `--directory D`) where a copy put D's makefile
    (`cp ci/Makefile /tmp/m/Makefile && make -C /tmp/m`): ``segment`` with `-f SOURCE`
    added, so the copy's source is read as the makefile that runs (a forty-fifth red-team
    pass; the folder itself names no copy, the file in it does)."""
    if not segment or os.path.basename(segment[0]) not in ("make", "gmake"):
        return segment
    folders: list[str] = []
    for j, w in enumerate(segment[1:32], 1):
        if w in ("-C", "--directory") and j + 1 < len(segment):
            folders.append(segment[j + 1])
        elif w.startswith("--directory="):
            folders.append(w.partition("=")[2])
        elif w.startswith("-C") and len(w) > 2:
            folders.append(w[2:])
    if not folders and not outside:
        return segment
    folder = folders[0] if folders else outside  # (`cd /tmp/m && make`)
    if outside and not folder.startswith("/"):
        folder = os.path.join(outside, folder)
    for more in folders[1:]:  # (each -C is taken from the one before)
        folder = more if more.startswith("/") else os.path.join(folder, more)
    added: list[str] = []
    for name in _MAKEFILE_NAMES:
        path = os.path.join(folder, name)
        mapped = _copied([path], copies, here, 0, outside)
        if mapped != [path]:
            added += ["-f", mapped[0]]
    return segment + added


def _cd_outside(segment: list[str], outside: str) -> str:
    """The folder outside the workspace `cd|pushd DIR` goes to ("" when it goes elsewhere:
    the reader's own working directory then holds): `cd /tmp`, `cd ~/x`, then `cd y`."""
    if len(segment) != 2 or segment[0] not in ("cd", "pushd"):
        return ""
    target = segment[1]
    if target.startswith(("/", "~")) and not target.startswith(ROOT_MARK):
        return os.path.normpath(target)
    if outside and not UNFIXED.search(target):
        return os.path.normpath(os.path.join(outside, target))
    return ""


def _copy_pairs(segment: list[str], upstream: list[str]) -> list[tuple[str, str]]:
    """(source, destination) pairs one simple command copies: `cp|mv|install|ln|rsync [-t
    DIR] F… D`, `dd if=F of=D`, `curl -o D file://F` (`-O`: the URL's name here), `… F |
    tee D`. A destination that is a folder (`-t`, several sources, a trailing `/`) is given
    as `D/` (the copy is `D/<source's name>`)."""
    words = segment[:64]
    while words and (
        os.path.basename(words[0]) in _WRAPPERS
        or words[0] in _KEYWORDS  # (`for f in …; do cp $f /tmp/y; done`)
        or words[0].startswith("-")
        or re.match(r"^\w+=", words[0])
    ):
        words = words[1:]
    if not words:
        return []
    if os.path.basename(words[0]) not in _COPIERS:
        return program_copies(words, upstream)  # (git, tar, unzip, one-liners)
    name, args = os.path.basename(words[0]), words[1:]
    if name == "dd":  # (`if=`, `of=` are its operands)
        kv = dict(a.split("=", 1) for a in args if "=" in a)
        return [(kv["if"], kv["of"])] if "if" in kv and "of" in kv else []
    operands: list[str] = []
    target = ""
    output = ""
    i = 0
    while i < len(args):
        a = args[i]
        opt, eq, value = a.partition("=")
        if a == "--":
            operands += args[i + 1 :]
            break
        if opt in ("-t", "--target-directory"):
            target = value if eq else (args[i + 1] if i + 1 < len(args) else "")
            i += 1 if eq else 2
            continue
        if name == "curl" and (opt in ("-o", "--output") or re.fullmatch(r"-[a-zA-Z]*o", a)):
            output = value if eq else (args[i + 1] if i + 1 < len(args) else "")
            i += 1 if eq else 2
            continue
        if name == "curl" and re.fullmatch(r"-[a-zA-Z]*O", a) or opt == "--remote-name":
            output = "./"
        elif a.startswith("-") and len(a) > 1:
            i += 2 if opt in _COPY_ARG_OPTIONS and not eq else 1
            continue
        else:
            operands.append(a)
        i += 1
    if name == "curl":
        sources = [u.group(1) for u in map(_FILE_URL.fullmatch, operands) if u]
        return [(src, output) for src in sources if output]
    if name == "tee":
        return [(src, dst) for dst in operands for src in _passed_files(upstream)]
    if name == "install" and any(a in ("-d", "--directory") for a in args):
        return []
    if target:
        pairs = [(src, target.rstrip("/") + "/") for src in operands]
    elif len(operands) < 2:
        return []
    else:
        dst = operands[-1]
        if len(operands) > 2:
            dst = dst.rstrip("/") + "/"
        pairs = [(src, dst) for src in operands[:-1]]
    if name == "ln" and any(re.fullmatch(r"-[a-zA-Z]*s[a-zA-Z]*|--symbolic", a) for a in args):
        # a relative link's target is read from the link's folder (`ln -s ../ci/x bin/x`;
        # a `./` target may be `$PWD` made relative above: left as it is)
        pairs = [
            (
                os.path.join(dst if dst.endswith("/") else os.path.dirname(dst), src)
                if src.startswith("../") and "/" in dst
                else src,
                dst,
            )
            for src, dst in pairs
        ]
    return pairs


def _passed_files(producer: list[str]) -> list[str]:
    """The files a producer passes on (`cat F`, `sed … F`, `curl file://F`)."""
    heads = [w for w in producer[:1] if os.path.basename(w) in (*_LINE_PASSERS, "curl")]
    if not heads:
        return printed_files(producer)  # (`git show REV:F`, `tar -xOf A`, `unzip -p A`)
    mark = MANIFEST_MARK + "namelist@@f:"
    return [w[len(mark) :] for w in _listed_code(" ".join(producer)) if w.startswith(mark)]


def _copy_sources(segment: list[str], upstream: list[str], sep: str) -> list[str]:
    """Before a `>` redirection: the files the command's output is made of."""
    if sep not in (">", ">>", ">|", "&>"):
        return []
    return _passed_files(upstream or segment) + (_passed_files(segment) if upstream else [])


def _add_copy(
    copies: dict[str, tuple[str, str]], sources: list[str], dst: str, cwd: str, outside: str = ""
) -> None:
    """Remember that ``dst`` (a file, a folder when it ends in `/`, an archive's folder when
    it ends in ``ARCHIVE``) holds a copy of each of ``sources`` (the last one wins a
    destination); also under its name run from `PATH`. A destination the line computes
    (`"$(mktemp)"`, `/tmp/run-$ID`) is also kept as one of at most ``_WILD`` computed ones:
    a later word that is computed too may name it (forty-fourth pass)."""
    for i, src in enumerate(sources[:8]):
        if src.startswith(ROOT_MARK):
            src = src[len(ROOT_MARK) :].lstrip("/") or "."
        globbed = bool(src) and bool(re.fullmatch(r"[^$`~<>{]*[*?\[][^$`~<>{/]*", src))
        if globbed:
            src = os.path.dirname(src) or "."  # (`cp ci/* /tmp/d`: the folder's files there)
        if not dst or not src or UNFIXED.search(src) or dst.startswith("/dev/"):
            continue
        if _CI_FILES_WRITTEN.match(dst):
            continue  # (`… >> $GITHUB_ENV`: the runner's own files, read above as such)
        if len(copies) >= _COPIES:
            return
        src = os.path.normpath(dockerfile_from(src, cwd))
        if outside and not dst.startswith(("/", "~", "$", "@")):
            dst = os.path.join(outside, dst)  # (`cd /tmp && cp F y`)
        if dst.endswith(INSIDE):
            # (an extraction inside the workspace: kept apart, read after a run below it)
            folder_in = os.path.normpath(dockerfile_from(dst[: -len(INSIDE)] or ".", cwd))
            slot = next((f"\0in{k}" for k in range(8) if f"\0in{k}" not in copies), "")
            if slot:
                copies[slot] = (src, folder_in)
            continue
        if dst.endswith(CREATED):
            # an archive made of `src`: its extraction copies `src` (`program_copies`)
            made = "\0ar:" + os.path.normpath(dst[: -len(CREATED)])
            slot = next((f"{made}\0{k}" for k in range(8) if f"{made}\0{k}" not in copies), "")
            if slot:
                copies[slot] = (src, "/")
            continue
        if dst.endswith(ARCHIVE):
            folder, dst = ARCHIVE, dst[: -len(ARCHIVE)]
        else:
            folder = "" if globbed else "/" if dst.endswith("/") else ""
        key = os.path.normpath(dst.rstrip("/") or dst)
        if i and key in copies and copies[key][0] != src:
            # one destination made of several sources (`cat a b > d`): each is read in turn
            copies[f"{key}\0{i}"] = (src, folder)
            copies["\0alts"] = ("", "")
            continue
        copies[key] = (src, folder)
        # `install -m755 F /usr/local/bin/t && t`, `cp F ~/bin/ && F's name`
        copies["\0" + os.path.basename(src if folder == "/" else key)] = (src, "")
        wild = sum(1 for k in _WILD_KEYS if k in copies)
        if UNFIXED.search(dst) and wild < _WILD:
            copies[_WILD_KEYS[wild]] = (src, "")


_WILD = 8  # computed destinations remembered per job
# the files a GitHub runner reads back as the environment, outputs, `PATH` or a summary
_CI_FILES_WRITTEN = lazy_compile(r"\$\{?GITHUB_(?:ENV|OUTPUT|PATH|STEP_SUMMARY|STATE)\b")
_WILD_KEYS = tuple(f"\0*{k}" for k in range(_WILD))


def _copied(
    words: list[str],
    copies: dict[str, tuple[str, str]],
    cwd: str,
    pick: int = 0,
    outside: str = "",
    alt: int = 0,
) -> list[str]:
    """``words`` with each one that names a copy (the copy, a file in a copied folder, its
    name run from `PATH`) replaced by the copy's source, as seen from ``cwd`` (a relative
    word is looked for in ``outside``, a folder outside the workspace the line went to, when
    there is one); a word that is a command string (`bash -c 'bash /tmp/y'`) token by token. A computed word that names
    no copy stands for the ``pick``-th computed destination (`cp F "$(mktemp)" && bash
    /tmp/tmp.*`: the caller tries each). Dictionary look-ups: a word costs its depth,
    whatever the number of copies."""

    def source(word: str) -> str | None:
        found = named(word)
        if found is None and UNFIXED.search(word):
            hit = copies.get(_WILD_KEYS[pick])
            return hit[0] if hit else None
        return found

    def named(word: str) -> str | None:
        if "/" not in word:
            hit = copies.get("\0" + word) or (
                copies.get(os.path.join(outside, word)) if outside else None
            )
            return hit[0] if hit else None
        if outside and not word.startswith(("/", "~", "$", "@")):
            word = os.path.join(outside, word)  # (`cd /tmp && bash ./y`)
        word = os.path.normpath(word)  # (`./run`, `/tmp//x`)
        hit = copies.get(f"{word}\0{alt}") if alt else copies.get(word)
        if hit and not hit[1]:
            return hit[0]
        parent, rest = word, ""
        for _ in range(16):
            parent, _, name = parent.rpartition("/")
            rest = name + ("/" + rest if rest else "")
            if not parent:
                return None
            hit = copies.get(parent)
            if hit:
                src, folder = hit
                if folder == ARCHIVE:
                    return src  # (a file an archive put there: the archive)
                base = os.path.basename(src)
                if rest == base or rest.startswith(base + "/"):
                    return os.path.join(os.path.dirname(src), rest)
                # (`cp -r D /tmp/d`, and a folder's contents copied into one: `rsync -a D/
                # /tmp/d/`, `cp -rT D /tmp/d/`)
                return os.path.join(src, rest)
        return None

    def from_here(word: str) -> str:
        found = source(word)
        if found is None:
            return word
        return os.path.relpath(found, cwd) if cwd and not found.startswith("/") else found

    out = []
    for w in words[:64]:
        if any(c.isspace() for c in w):
            tokens = w[: 4 << 10].split()[:256]
            mapped = [from_here(t) for t in tokens]
            out.append(" ".join(mapped) if mapped != tokens else w)
        else:
            out.append(from_here(w))
    return out + words[64:]


# a line that runs the text of a substitution (`eval "$(…)"`, `sh -c "$(…)"`, `. <(…)`, a
# substitution in a command's place), and the substitutions (bounded: linear in the line)
_RUNS_OUTPUT = lazy_compile(
    r"(?:^|[\s;&|(])(?:eval|source|\.|exec)\s|(?:^|[\s/])(?:ba|z|da|k|mk)?sh\s+(?:-\S+\s+){0,16}-\w*c\b"
    r"|(?:^|[;&|]|\b(?:do|then))\s*[\"']?(?:\$\(|`)"
    r"|(?:^|[\s/])(?:(?:ba|z|da|k|mk)?sh|python3?|node|perl|ruby)\s+(?:-\S+\s+){0,16}<\("
)


_SUBSTITUTION = lazy_compile(r"\$\(([^()]{0,256})\)|`([^`]{0,256})`|<\(([^()]{0,256})\)")


# `PRODUCER | while [IFS=] read [-r] VAR; do BODY`: found at its `|` (linear in the text)
_PIPED_WHILE = lazy_compile(r"\|\s*while\s+(?:IFS=\S*\s+)?read\s+(?:-\w+\s+)*(\w+)\s*;?\s*do\b")


_CODE_READERS = frozenset(
    "bash sh zsh dash ksh mksh ash python python3 node perl ruby php source . lua".split()
)


def _runs_variable(var: str, body: str) -> bool:
    """Whether a loop's ``body`` runs its variable ``var`` as a program or a script."""
    v = re.escape(var)
    return bool(
        re.search(
            rf"(?:(?:^|[;&|]|\bdo|\bthen)\s*|(?:^|[\s;&|])(?:(?:ba|z|da|k)?sh|source|\.|python3?"
            rf"|node|perl|ruby|exec|xargs)\s+(?:-\S+\s+){{0,16}})[\"']?(?:\./)?[\w./-]*\$\{{?{v}\b",
            body[: body.find("done") + 1 if "done" in body else None],
        )
    )


# a `file:` URL (any case; `file:rel`, `file:///abs`, `file://localhost/abs`): its path
_FILE_URL = lazy_compile(r"(?i)file:(?://(?:localhost)?(?=[./@]))?(.+)")


def _env_files(text: str) -> list[str]:
    """The files a producer's text names (`cat ci/app.vars`, `grep -v '^#' F`), as
    environment files (kind envfile: protected, read as an `env:` map)."""
    mark = MANIFEST_MARK + "namelist@@f:"
    return [
        MANIFEST_MARK + "envfile@@f:" + w[len(mark) :]
        for w in _listed_code(text)
        if w.startswith(mark)
    ]


def _listed_code(text: str) -> list[str]:
    """What a list of names (a loop's words, a substitution's command) may run: a glob
    (`ci/*.sh`), the folder `ls`/`find` lists, a file whose text or names are read."""
    words = [w.strip("'\"") for w in re.split(r"[\s<>|;&`()$]+", text) if w][:32]
    lister = words[0] if words else ""
    out: list[str] = []
    if lister == "git" and len(words) > 1 and words[1] in ("ls-files", "ls-tree"):
        # `git ls-files '*.sh' | xargs -n1 bash`, `git ls-files ci`: a pathspec without a
        # `/` matches at any depth (forty-first pass)
        for w in words[2:]:
            if w.startswith("-") or w in ("HEAD", "--"):
                continue
            if "*" in w and not re.search(r"[$`~<>{\[]", w):
                out.append(MANIFEST_MARK + "glob@@f:" + ("*/" + w if "/" not in w else w))
                out.append(MANIFEST_MARK + "glob@@f:" + w)
            elif w and not UNFIXED.search(w):
                out.append(MANIFEST_MARK + "pathdir@@d:" + w)
        return out
    if lister in ("ls", "find", "run-parts"):
        for w in words[1:]:
            if w.startswith(("-", "(", "!")):
                if lister == "find":
                    break
                continue
            if w and not UNFIXED.search(w):
                out.append(MANIFEST_MARK + "pathdir@@d:" + w)
            elif "*" in w:
                out += _listed_code(w)  # `ls ci/*.sh`: the pattern
        return out
    for w in words:
        url = _FILE_URL.fullmatch(w)
        if url:
            w = url.group(1)  # `curl file://$PWD/ci/x.sh | bash` (forty-second pass)
            if w.lstrip("/").startswith(ROOT_MARK):
                w = w.lstrip("/")  # (`file:///$GITHUB_WORKSPACE/…`)
        if not w or w.startswith("-") or w in _CODE_READERS:
            continue
        if w.startswith(ROOT_MARK) and MAKE_FILE_WORD.fullmatch(w[len(ROOT_MARK) :].lstrip("/")):
            out.append(MANIFEST_MARK + "namelist@@f:" + w)  # (`$GITHUB_WORKSPACE/ci/x.sh`)
        elif "*" in w and "/" in w and not re.search(r"[$`~<>{?\[]", w):
            folder, _, name = w.rpartition("/")
            if name.endswith(SCRIPT_FILES):
                out.append(w)  # (a script pattern: `_unfixed_name`)
            elif "*" not in folder and folder:
                out.append(MANIFEST_MARK + "pathdir@@d:" + folder)
        elif ("/" in w or "." in w) and MAKE_FILE_WORD.fullmatch(w) and not UNFIXED.search(w):
            out.append(MANIFEST_MARK + "namelist@@f:" + w)
    return out


def _piped_code(producer: list[str], consumer: list[str], cwd: str, out: list[str]) -> None:
    """`cat ci/x.sh | bash`, `ls ci/*.sh | xargs -n1 bash`, `find ci -name '*.sh' | xargs
    sh`: what a shell (or xargs handing names to one) reads from the producer (fortieth
    pass)."""
    words = [w for w in consumer if not re.match(r"^\w+=", w)][:32]
    while words and os.path.basename(words[0]) in _WRAPPERS:
        words = words[1:]
    if not words or not producer:
        return
    head = os.path.basename(words[0])
    if head in ("xargs", "parallel", "sem"):
        if _xargs_runs_code(words[1:], head):
            out += [_from_marked(w, cwd) for w in _listed_code(" ".join(producer))]
        return
    rest = [w for w in words[1:] if not w.startswith("-")]
    if head in _CODE_READERS and not rest:
        out += [_from_marked(w, cwd) for w in _listed_code(" ".join(producer))]
        out += [_from_marked(w, cwd) for w in printed_files(producer)]  # (`git show R:F | sh`)


# options of GNU parallel (and `sem`) that take the next word as their value
_PARALLEL_VALUES = frozenset(
    "-a -I -n -N -P -j -L -l -s -d -E -S -C -X --colsep --jobs --arg-file --sshlogin "
    "--delimiter --joblog --results --res --tmpdir --timeout --memfree --load --delay "
    "--retries --tagstring --workdir --wd --max-args --max-replace-args --max-lines "
    "--basefile --bf --return --transfer-file --tf --env --filter --header --limit --nice "
    "--sshloginfile --slf --id --semaphorename --block --recstart --recend".split()
)


def _xargs_runs_code(args: Sequence[str], program: str = "xargs") -> bool:
    """Whether `xargs ARGS` (or `parallel`/`sem ARGS`) hands its names to a shell or an
    interpreter (or to a program named by path), which runs them; or runs the names
    themselves: parallel without a command (`parallel ::: ci/x`, `ls ci/x | parallel`), a
    replacement string as the command (`parallel {} ::: ci/x`, `xargs -I{} {}`, `xargs -i
    {}`). A forty-fifth red-team pass had those eight shapes leave `ci/x` writable."""
    k = 0
    values = (
        _PARALLEL_VALUES if program != "xargs" else frozenset("-a -I -n -P -L -s -d -E".split())
    )
    replace = {"{}"}
    while k < len(args) and args[k].startswith("-") and args[k] != "--":
        if args[k] in ("-I", "--replace") and k + 1 < len(args):
            replace.add(args[k + 1])
        elif args[k].startswith("-I") and len(args[k]) > 2:
            replace.add(args[k][2:])
        k += 2 if args[k] in values else 1
    runs = [a for a in args[k:] if a != "--"]
    if program != "xargs":
        # parallel: its value words we cannot tell (`-j 4`, an option outside the list) and
        # what follows the first `:::`/`::::` are no command
        runs = [a for a in runs if not a.isdigit()]
        for sep in (":::", "::::", ":::+", "::::+"):
            if sep in runs:
                runs = runs[: runs.index(sep)]
        if not runs:
            return True  # (no command: each argument is one)
    if not runs:
        return False  # (xargs without a command runs echo)
    head = runs[0].split()[0] if runs[0].split() else runs[0]
    return os.path.basename(head) in _CODE_READERS or "/" in head or head in replace or "{" in head


def _from_marked(word: str, cwd: str) -> str:
    """``word`` (a path or a marker) from the folder ``cwd``."""
    if word.startswith(MANIFEST_MARK):
        runner, _, at = word[len(MANIFEST_MARK) :].partition("@@")
        return MANIFEST_MARK + runner + "@@" + at[:2] + dockerfile_from(at[2:], cwd)
    return dockerfile_from(word, cwd)


def _script_in_segment(words: list[str], cwd: str, out: list[str], depth: int = 0) -> str:
    """Add the script ``words`` (one simple command) runs by path to ``out``; the directory
    a `cd` there moves later commands of the line to."""
    i = 0
    wrapped = False
    for word in words[:64]:
        # `cd sub && NODE_PATH=lib node -r pre`: a module folder from where the line is
        # (the whole-text reading in `scripts_in` takes it from the top)
        name, eq, value = word.removeprefix("export ").partition("=")
        if eq and name in _LIBPATH_VARS and cwd:
            for entry in value.strip("'\"").split(":")[:16]:
                if entry and not UNFIXED.search(entry):
                    out.append(
                        MANIFEST_MARK
                        + f"libdir-{_LIBPATH_VARS[name]}@@d:"
                        + dockerfile_from(entry, cwd)
                    )
    while i < len(words) and words[i] in _SHELL_KEYWORDS:
        i += 1  # `then bash ci/x.sh`, `do ./ci/y.sh`, `{ bash ci/z.sh; }` (thirty-ninth pass)
    words = _env_split(words)
    while i < len(words):
        if re.match(r"^\w+=", words[i]) or os.path.basename(words[i]) in _WRAPPERS:
            wrapped = True
        elif words[i].lower() in _CMD_WRAPPERS:
            # cmd.exe's own ways to run a file: `call X`, `cmd /c X`, `start "" X`, and
            # PowerShell's call operator `& X` (forty-fifth pass)
            wrapped = True
            i += 1
            while i < len(words) and (
                re.fullmatch(r"/\w{1,2}", words[i]) or words[i] in ('""', "")
            ):
                i += 1  # (cmd's and start's switches: `/c`, `/s`, `/b`, a title)
            continue
        elif not (wrapped and re.fullmatch(r"-.*|\d+(?:\.\d+)?[smhd]?", words[i])):
            break  # (a wrapper's options and numbers: `nice -n 10`, `timeout 5`, `sudo -E`)
        i += 1
    if i >= len(words):
        return cwd
    head, args = words[i], words[i + 1 :]

    def add(word: str) -> None:
        if word.startswith(MANIFEST_MARK):  # (from `sh -c '…'`): its path is from here too
            runner, _, at = word[len(MANIFEST_MARK) :].partition("@@")
            value = at[2:] if at[:2] == "m:" else dockerfile_from(at[2:], cwd)  # (a module name)
            out.append(MANIFEST_MARK + runner + "@@" + at[:2] + value)
        else:
            out.append(dockerfile_from(word, cwd))

    name = os.path.basename(head)
    _inline_loads(name, args, add, depth)
    if UNFIXED.search(head) and (head[:1] == "`" or not VARIABLE.sub("", head).strip("\"'")):
        # a program named at run time, wholly (`${{ vars.RUNNER }} ci/x`, `$SH ci/x`, `"$(which
        # bash)" ci/x`): a shell among the programs it may be, so its file words may be
        # scripts it runs (a forty-sixth red-team pass found them writable)
        for a in args[:64]:
            if a[:1] != "-" and not UNFIXED.search(a) and MAKE_FILE_WORD.fullmatch(a):
                add(a)
    for j, arg in enumerate(args[:64] if name in _ENV_FILE_OPTIONS else ()):
        # `node --env-file=F` (node 20 applies F's NODE_OPTIONS), `docker run --env-file F`
        # (the container's BASH_ENV …): F is read as an `env:` map (forty-second pass)
        opt, eq, value = arg.partition("=")
        if opt in _ENV_FILE_OPTIONS[name] and (eq or j + 1 < len(args)):
            value = value if eq else args[j + 1]
            if value and not UNFIXED.search(value):
                out.append(MANIFEST_MARK + "envfile@@f:" + dockerfile_from(value, cwd))
                if "compose" in args or name.endswith("-compose"):
                    # (compose also fills the compose file's `${VAR}` in from it: every
                    # file name in it may be run; forty-third pass)
                    out.append(MANIFEST_MARK + "namelist@@f:" + dockerfile_from(value, cwd))
    if name not in _NOT_RUNNERS:
        values = args
        if name in _SHELLS:
            # (a shell's `-c` string is read below, once: not also as a command string here;
            # a script's arguments are: `bash ci/retry.sh 'bash ci/flaky.sh'`)
            values = [a for j, a in enumerate(args) if not (j and _SHELL_C.fullmatch(args[j - 1]))]
        if depth < 2:
            _command_values(name, values, cwd, out, depth)
        elif name not in _SHELLS:
            _coarse(args, cwd, out, starts=False)  # (past the nesting limit: fail closed)
    if name == "poethepoet":
        name = "poe"
    if name == "cargo":
        # `cargo -Zscript ci/x.rs`, `cargo +nightly ci/x.rs`, `cargo script ci/x.rs`: a Rust
        # file as a script (cargo's script mode, and the cargo-script plugin)
        for a in args[:64]:
            if a.endswith(".rs") and a[:1] not in ("-", "+") and not UNFIXED.search(a):
                add(a)
                break
    if name == "go" and args[:1] == ["run"]:
        # `go run ci/gen.go [more.go …] [args]`: files named by path are scripts, as `python
        # ci/x.py` is (a forty-eighth red-team pass found them writable; a package, `go run
        # ./pkg`, stays project code by decision)
        for a in args[1:64]:
            if a == "--":
                break
            if a.endswith(".go") and a[:1] != "-" and not UNFIXED.search(a):
                add(a)
    if name in ("deno", "hatch", "pdm", "poe") and depth < 2:
        # `deno task check`, `hatch run test`, `pdm run lint`: a task of the project's file
        # (deno.json's `tasks`, hatch's and pdm's `scripts`), fortieth pass; `poe test` and
        # pdm's shorthand `pdm test` (a script of that name: forty-sixth pass)
        verb = next((a for a in args if not a.startswith("-")), "")
        if (
            verb == ("task" if name == "deno" else "run")
            or name == "hatch"
            and verb == "test"
            or name == "poe"
            or name == "pdm"
            and verb
            and verb not in _PDM_COMMANDS
        ):
            for what, value in runner_targets(name, args):
                if not UNFIXED.search(value):
                    out.append(
                        MANIFEST_MARK + name + "@@" + what + ":" + dockerfile_from(value, cwd)
                    )
    if name in ("bundle", "bundler") and args[:1] != ["config"]:
        out.append(MANIFEST_MARK + "bundler@@d:" + dockerfile_from(".", cwd))  # (its Gemfile: Ruby)
    build = python_build(name, args)
    if build is not None:
        # `pip install .`, `python -m build`, `uv sync`, `poetry install`: the project's
        # setup.py and in-tree backend run (forty-first pass)
        out.append(MANIFEST_MARK + "pybuild@@d:" + dockerfile_from(build, cwd))
    if name in _ALSO_RUNS and args[:1] != ["--version"]:
        # `nx run x:build` (besides package.json, its project.json's `command`s), `pixi run
        # test` (pixi.toml's tasks, before it reads the rest as a program: below)
        also = _ALSO_RUNS[name]
        for what, value in runner_targets(also, args[1:] if name == "pixi" else args):
            if not UNFIXED.search(value):
                out.append(MANIFEST_MARK + also + "@@" + what + ":" + dockerfile_from(value, cwd))
    if name in _RUN_VIA or (name in _RUN_VIA_RUN and args[:1] in (["run"], ["exec"])):
        # `uvx tox`, `uv run make check`, `npx …`: the program it runs by name, read again
        rest = args if name in _RUN_VIA else args[1:]
        k = 0
        while k < len(rest) and rest[k].startswith("-"):
            k += 1
        if k < len(rest) and rest[k].endswith(SCRIPT_FILES):
            add(rest[k])  # `uv run server.py`, `deno run x.ts`: a file of the workspace
        elif k < len(rest) and depth < 2:
            return _script_in_segment(rest[k:], cwd, out, depth + 1)
        elif k < len(rest):
            _coarse(rest[k:], cwd, out)
        return cwd
    if name in _COMPOSERS and depth < 2:
        name, args = "docker", ["compose", *args]  # `docker-compose run …`
    if name in _CONTAINERS and depth < 2:
        # `docker run … IMAGE npm test`, `docker compose run app make check`, `podman exec C
        # sh ci/x.sh`: the command runs in the container, on the workspace when it is
        # mounted (read from the top: fail closed); `docker build [-f F] [DIR]`: its Dockerfile
        inner = container_command(args)
        composed = compose_files(args)
        for what, value in composed or ():
            # the compose file names the service's image, build, entrypoint, command, mounts
            # and working_dir (fortieth pass): a task file, protected whole
            if not UNFIXED.search(value):
                out.append(MANIFEST_MARK + "compose@@" + what + ":" + dockerfile_from(value, cwd))
        if inner is not None:
            inner = mounted_words(inner, container_mounts(args))
            workdir = container_workdir(args)
            if not workdir and composed is not None:
                # the service's `working_dir:` (not read here) may be any folder of the
                # mounted workspace: the command is read from every folder (fail closed)
                workdir = "*"
            if workdir:
                # `docker run -v $PWD:/w -w /w/sub …`: the command runs in sub (thirty-ninth
                # pass); a folder not under a mount of the workspace is any folder
                _script_in_segment(inner, dockerfile_from(workdir, cwd), out, depth + 1)
            return _script_in_segment(inner, cwd, out, depth + 1)
        built = container_build(args)
        if built is not None:
            what, value = built
            if not UNFIXED.search(value):
                out.append(MANIFEST_MARK + "docker@@" + what + ":" + dockerfile_from(value, cwd))
        return cwd
    if name == "cargo" and args[:1] == ["make"]:
        name, args = "cargo-make", args[1:]  # cargo-make through cargo
    if name == "bun":
        # `bun x.ts`, `bun run ./x.js`: a file, not a package.json script
        rest = [a for a in args if not a.startswith("-")]
        rest = rest[1:] if rest[:1] == ["run"] else rest
        if rest and ("/" in rest[0] or rest[0].endswith(JS_FILES)):
            add(rest[0])
            return cwd
    if name == "dotnet" and next((a for a in args if not a.startswith("-")), "") not in (
        "build",
        "test",
        "run",
        "pack",
        "publish",
        "restore",
        "msbuild",
        "watch",
        "format",
    ):
        return cwd  # (`dotnet --version`, `dotnet tool install`: no project is built)
    if name in _RUNNERS:
        kind = _RUNNERS[name]
        if "/" in head:
            add(head)  # `./gradlew`, `./mvnw`: the launcher itself too
        first = next((a for a in args if a[:1] != "-"), "")
        if kind == "swift" and first.endswith(".swift") and not UNFIXED.search(first):
            add(first)  # `swift ci/x.swift`: a script, not a package (forty-eighth pass)
        for what, value in runner_targets(kind, args):
            if UNFIXED.search(value) and what == "d":
                # `make -C $(DIR)`, `npm --prefix "$X" test`: a folder left unknown by a
                # variable stands for any folder: its task files in every folder (fail closed)
                value = VARIABLE.sub("*", value)
                value = re.sub(r"[^/]*\*[^/]*", "*", value)
            if not UNFIXED.search(value.replace("*", "") if what == "d" else value):
                out.append(MANIFEST_MARK + kind + "@@" + what + ":" + dockerfile_from(value, cwd))
        if kind != "make":
            if depth < 2:
                _run_rest(args, cwd, out, depth)  # `pnpm exec node x.js`, `tox exec -- bash`
            return cwd  # (deeper: the coarse reading above took its words)
    if name == "buildkite-agent" and args[:2] == ["pipeline", "upload"]:
        # a pipeline uploaded from the repository is CI configuration under any name
        files = [a for a in args[2:] if not a.startswith("-")][:1] or ["."]
        for f in files:
            if not UNFIXED.search(f):
                what = "d" if f == "." else "f"
                out.append(MANIFEST_MARK + "buildkite@@" + what + ":" + dockerfile_from(f, cwd))
        return cwd
    if head in ("cd", "pushd"):
        if args and not args[0].startswith("-") and not UNFIXED.search(args[0]):
            return os.path.join(cwd, args[0]) if not args[0].startswith("/") else cwd
        return cwd
    if name in ("pytest", "py.test"):
        pytest_loads(args, out, cwd)
        return cwd
    if name in _PROGRAM_FILE_OPTIONS:
        # `awk -f ci/x.awk`, `sed -f ci/x.sed`, `jq -f ci/x.jq`, `ansible-playbook ci/site.yml`:
        # a program file the tool runs (awk's `system()`, sed's `e`; fortieth pass)
        opts = _PROGRAM_FILE_OPTIONS[name]
        for j, arg in enumerate(args[:64]):
            opt, eq, value = arg.partition("=")
            if arg in opts and j + 1 < len(args):
                add(args[j + 1])
            elif eq and opt in opts and opt.startswith("--"):
                add(value)
            elif arg[:2] in opts and len(arg) > 2 and not arg.startswith("--"):
                add(arg[2:])
        if name == "ansible-playbook":
            add_all = [a for a in args if a.endswith((".yml", ".yaml"))]
            for a in add_all[:8]:
                add(a)
        if name == "crontab":
            # `crontab [-u USER] FILE`: its lines are commands cron runs (forty-second pass)
            operands = [a for j, a in enumerate(args[:16]) if not a.startswith("-")
                        and not (j and args[j - 1] == "-u")]  # fmt: skip
            for a in operands[:1]:
                add(a)
        return cwd
    if name in ("parallel", "sem") and _xargs_runs_code(args, name):
        # `parallel bash ::: ci/*.sh`, `parallel bash :::: list.txt` (forty-first pass)
        for j, arg in enumerate(args[:64]):
            if arg == ":::":
                out += [_from_marked(w, cwd) for w in _listed_code(" ".join(args[j + 1 :]))]
            elif arg in ("::::", "-a", "--arg-file") and j + 1 < len(args):
                out.append(MANIFEST_MARK + "namelist@@f:" + dockerfile_from(args[j + 1], cwd))
    if name == "xargs" and _xargs_runs_code(args):
        # `xargs -a ci/list.txt -n1 bash`: the names it hands a shell (fortieth pass)
        for j, arg in enumerate(args[:32]):
            opt, eq, value = arg.partition("=")
            if arg in ("-a", "--arg-file") and j + 1 < len(args):
                out.append(MANIFEST_MARK + "namelist@@f:" + dockerfile_from(args[j + 1], cwd))
            elif eq and opt == "--arg-file" or arg.startswith("-a") and len(arg) > 2:
                f = value if eq else arg[2:]
                out.append(MANIFEST_MARK + "namelist@@f:" + dockerfile_from(f, cwd))
    if name == "run-parts" or name == "find" and _FIND_RUNS.intersection(args):
        # `run-parts ci/hooks.d`, `find ci -name '*.sh' -exec sh {} \;`: every file of the
        # folder may run (fortieth pass): the folder whole
        starts = [a for a in args if not a.startswith("-")] if name == "run-parts" else []
        if name == "find":
            for a in args:
                if a.startswith(("-", "(", "!")):
                    break
                starts.append(a)
            k = next(k for k, a in enumerate(args) if a in _FIND_RUNS)
            run = args[k + 1 : k + 16]
            operands = [a for a in run[1:] if not a.startswith("-")]
            if run[:1] != ["{}"] and not (
                run and os.path.basename(run[0]) in _CODE_READERS and operands[:1] == ["{}"]
            ):
                # `-exec wc -l {} +` runs no file it finds; `-exec bash ci/x.sh {}` runs
                # ci/x.sh (read as a command)
                if depth < 2:
                    _script_in_segment(run, cwd, out, depth + 1)
                return cwd
        for a in (starts or ["."])[:8]:
            if not UNFIXED.search(a):
                out.append(MANIFEST_MARK + "pathdir@@d:" + dockerfile_from(a, cwd))
        return cwd
    hooks: list[str] = []
    if name == "git":
        # `git -c core.hooksPath=ci/hooks commit`, `git config core.hooksPath ci/hooks`: that
        # folder's hooks run (fortieth pass)
        for j, arg in enumerate(args[:32]):
            value = args[j + 1] if arg == "-c" and j + 1 < len(args) else arg
            key, eq, folder = value.partition("=")
            if key.lower() == "core.hookspath":
                if eq:
                    hooks.append(folder)
                elif "config" in args[:j] and j + 1 < len(args):
                    hooks.append(args[j + 1])
        # `GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0=h git commit`
        env = dict(w.partition("=")[::2] for w in words[:i] if "=" in w)
        for key, value in env.items():
            if key.startswith("GIT_CONFIG_KEY_") and value.lower() == "core.hookspath":
                hooks.append(env.get("GIT_CONFIG_VALUE_" + key[15:], "*"))
            elif key.startswith("GIT_CONFIG_KEY_") and _GIT_COMMAND_KEYS.fullmatch(value.lower()):
                _command_value(env.get("GIT_CONFIG_VALUE_" + key[15:], ""), cwd, out, depth)
    elif name == "husky" or name in _RUN_VIA and args[:1] == ["husky"]:
        # `husky DIR`, `husky install DIR` (`npx husky …`): git's hooks folder is DIR (its
        # `_` folder runs DIR's hooks)
        rest = [a for a in (args[1:] if name != "husky" else args) if not a.startswith("-")]
        rest = rest[1:] if rest[:1] == ["install"] else rest
        hooks += rest[:1]
    for folder in hooks:
        if folder and not UNFIXED.search(folder):
            out.append(MANIFEST_MARK + "pathdir@@d:" + dockerfile_from(folder, cwd))
    if name in _SHELLS:
        if "/" in head:
            add(head)  # `./ci/jshell -c …`, `ci/python x.py`: the program by path too
        skip = False
        posix = os.path.basename(head) in ("bash", "sh", "zsh", "dash", "ksh", "mksh", "ash")
        lang = {"perl": "pl", "ruby": "rb", "node": "js", "nodejs": "js"}.get(name, "")
        for j, arg in enumerate(args):
            if skip:
                skip = False
            elif arg == "-c" or posix and _SHELL_C.fullmatch(arg):
                # `sh -c './ci/x.sh'`, `bash -lc …`, `-ec`: the command string, once
                if j + 1 < len(args) and depth < 3:
                    for word in scripts_in(args[j + 1], depth + 1):
                        add(word)
                elif j + 1 < len(args):
                    # a command string inside a command string (`bash -c 'bash -c "…"'`):
                    # past the nesting limit, read coarsely (forty-second pass)
                    _coarse(args[j + 1 :], cwd, out)
                break
            elif arg == "-m" and j + 1 < len(args) and name.startswith("python"):
                module = args[j + 1]
                if re.fullmatch(r"[A-Za-z_]\w*(?:\.\w+)*", module):
                    # Python finds `-m X` in its working directory first: a new `X.py` or
                    # `X/` there shadows the installed tool (`python -m pytest`)
                    top = module.split(".")[0]
                    out.append(MANIFEST_MARK + "pymod@@f:" + dockerfile_from(top, cwd))
                    # and in every folder of its PYTHONPATH (thirty-ninth pass)
                    out.append(MANIFEST_MARK + "pymodname@@m:" + top)
                if module == "pytest":
                    pytest_loads(args[j + 2 :], out, cwd)
                if module in _PY_SCRIPT_RUNNERS:
                    py_script(args[j + 2 :], add)  # `python -m cProfile ci/x.py`
                if module in _RUNNERS:
                    # `python -m tox`, `python3 -m nox -s lint`: the runner by name
                    kind = _RUNNERS[module]
                    for what, value in runner_targets(kind, args[j + 2 :]):
                        if not UNFIXED.search(value):
                            out.append(
                                MANIFEST_MARK
                                + kind
                                + "@@"
                                + what
                                + ":"
                                + dockerfile_from(value, cwd)
                            )
                break
            elif (arg in _STOP_OPTIONS and not (posix and arg in ("-e", "-E"))) or arg.startswith(
                "--command"
            ):
                break
            elif lang and module_option(lang, args, j, out, cwd):
                # `perl -Ilib -MPre`, `ruby -I lib -r pre`, `node -r pre`: a module loaded by
                # name, or a folder names are found in (thirty-ninth pass)
                skip = arg in ("-I", "-M", "-m") or (arg in PRELOADS and j + 1 < len(args))
                if skip and arg in PRELOADS and args[j + 1].startswith(("./", "../", "/")):
                    for form in _required(args[j + 1], head):
                        add(form)
            elif arg in PRELOADS and j + 1 < len(args):
                for form in _required(args[j + 1], head):
                    add(form)  # `node -r ./setup.js x.js`: code it runs first
                skip = True
            elif arg.partition("=")[0] in PRELOADS:
                for form in _required(arg.partition("=")[2], head):
                    add(form)
            elif arg.startswith("-r") and arg[2:3] in (".", "/"):
                for form in _required(arg[2:], head):
                    add(form)  # `ruby -r./x.rb` (RUBYOPT)
            elif arg in _ARG_OPTIONS:
                skip = True
                if posix and arg in ("--rcfile", "--init-file") and j + 1 < len(args):
                    add(args[j + 1])  # (read and run by an interactive bash)
            elif not arg.startswith("-"):
                add(arg)
                break
    elif os.path.basename(head) in ("make", "gmake"):
        for arg in [*words[:i], *args][:64]:
            # `make check SCRIPT=ci/x.sh`, `SCRIPT=ci/x.sh make check`: a variable the
            # Makefile may run (thirty-ninth pass: values from make's command line and
            # the environment are not known to the Makefile's reader)
            value = arg.partition("=")[2] if re.match(r"^\w+=", arg) else ""
            if value.endswith((*SCRIPT_FILES, ".mk")) and MAKE_FILE_WORD.fullmatch(value):
                add(value)  # (a script or a makefile: `make DESTDIR=build/out` names neither)
        for j, arg in enumerate(args):
            if arg in ("-f", "--file", "--makefile") and j + 1 < len(args):
                add(args[j + 1])
            elif arg.startswith(("--file=", "--makefile=")):
                add(arg.partition("=")[2])
            elif arg.startswith("-f") and len(arg) > 2:
                add(arg[2:])
    elif "/" in head:
        add(head)
    elif name in _PY_SCRIPT_RUNNERS:
        py_script(args, add)  # `coverage run ci/x.py`, `pyinstrument ci/x.py`
    elif depth < 2 and name not in _NOT_RUNNERS:
        _run_rest(args, cwd, out, depth)
    return cwd


# a POSIX shell's option cluster holding `-c` (`-lc`, `-ec`, `-xc`)
_SHELL_C = lazy_compile(r"-[a-zA-Z]*c[a-zA-Z]*")
# (forty-second pass) inline code or client commands that load a file by name: psql's
# `\i F`, sqlite's `.read F`, R's `source("F")`, octave's `run F`, PowerShell's `& ./F`,
# python's `exec(open('F')…)`, node's `require('./F')`, lua's `dofile("F")`
_INLINE_LOADS = lazy_compile(
    r"(?:\\include(?:_relative)?\s|\\ir?\s|\.read|\bsource\s*\(?|\brun\s*\(?|&|\. "
    r"|\bdofile\s*\(|\b(?:require|require_relative|load|include)\b\s*\(?"
    r"|\bexec\s*\(\s*open\s*\(|run_path\s*\("
    r"|\bimport\s*\(|\bexecfile\s*\()\s*['\"]?([\w./+-]+)"
)
# the options whose value is inline code or a client command (besides a shell's `-c`)
_INLINE_OPTIONS = frozenset(
    "-c --command -e --eval -E -p --print -r -cmd -Command -command -x --execute".split()
)
_DB_CLIENTS = frozenset("psql sqlite3 duckdb mysql mariadb".split())
_INLINE_PROGRAMS = frozenset(
    "psql sqlite3 duckdb mysql mariadb R Rscript octave pwsh powershell julia ruby perl node "
    "nodejs python python3 lua luajit php deno bun".split()
)


# a client's own shell escape: sqlite's `.shell|.system CMD` and a `|CMD` file of
# `.once|.output|.import|.read|.excel`, psql's `\\! CMD`, `\\o|\\g |CMD`, `COPY … FROM
# PROGRAM 'CMD'`, mysql's `system CMD` and `\\! CMD` (forty-third pass). A command's start is
# a newline, `;` or the text's start and blanks other than a newline (a newline starts one of its
# own): `\s*` there read the rest of a run of newlines from each of them (stop 48).
_CLIENT_SHELL = lazy_compile(
    r"(?:^|[\n;])[^\S\n]*(?:\.(?:shell|system)|\\!|system)\s+([^\n]{1,4096})"
    r"|(?:\.(?:once|output|import|read|excel)(?:\s+-\S+)*|\\[og])\s+['\"]?\|([^'\"\n]{1,4096})"
    r"|(?i:\bprogram)\s+'([^'\n]{1,4096})'"
)


def _client_shell(text: str, add: Callable[[str], None], depth: int) -> None:
    """What a database client's shell escape in ``text`` runs: read as a command string."""
    import shlex  # noqa: PLC0415

    for m in list(_CLIENT_SHELL.finditer(text[:_SCRIPT_LINE]))[:64]:
        inner = m.group(1) or m.group(2) or m.group(3) or ""
        if m.group(1):
            try:  # (`.system "bash ci/x"`: sqlite joins its arguments with blanks)
                inner = " ".join(shlex.split(inner))
            except ValueError:
                pass
        if depth < 2:
            for w in scripts_in(inner, depth + 1):
                add(w)
        else:
            found: list[str] = []
            _coarse(inner, "", found)  # (past the nesting limit: fail closed)
            for w in found:
                add(w)


def _inline_loads(
    name: str, args: Sequence[str], add: Callable[[str], None], depth: int = 0
) -> None:
    """The files a program's inline code or client commands load by name (`psql -c '\\i
    ci/x.sql'`, `Rscript -e 'source("ci/x.R")'`, `sqlite3 db '.read ci/x.sql'`), a JVM
    agent (`-javaagent:ci/a.jar`), PHP's `auto_prepend_file=`, lua's `-l mod`, julia's
    `--load=` (forty-second pass)."""
    for j, arg in enumerate(args[:64]):
        opt, eq, value = arg.partition("=")
        agent = re.match(r"-(?:javaagent|agentpath|agentlib):([^=\s]+)", arg)
        if agent:
            add(agent.group(1))
        elif re.match(r"(?:-d)?auto_(?:prepend|append)_file$", opt) and eq:
            add(value)
        elif name not in _INLINE_PROGRAMS:
            continue
        elif name in ("lua", "luajit") and arg.startswith("-l"):
            module = (arg[2:] or (args[j + 1] if j + 1 < len(args) else "")).rpartition("=")[2]
            if MAKE_FILE_WORD.fullmatch(module + ".lua"):
                add(module.replace(".", "/") + ".lua")
        elif name == "julia" and opt == "--load" and eq:
            add(value)
        elif (arg in _INLINE_OPTIONS or eq and opt in _INLINE_OPTIONS) or (
            name in ("sqlite3", "duckdb", "psql") and arg.startswith((".", "\\"))
        ):
            text = (
                value
                if eq and opt in _INLINE_OPTIONS
                else (args[j + 1] if arg in _INLINE_OPTIONS and j + 1 < len(args) else arg)
            )
            for path in code_loads(text):
                add(path)
            if name in _DB_CLIENTS:
                _client_shell(text, add, depth)
            else:
                code_commands(text, add, depth)


# a string of code: quoted with ', " or ` (an escaped quote kept), at most 512 characters
_CODE_STRING = lazy_compile(r"""(["'`])((?:\\.|(?!\1)[^\\\n]){1,512})\1""")


def code_lines(text: str) -> list[str]:
    """What code in another language (a `python3 -c`/`node -e` one-liner, a CI step's
    `shell: python {0}` script) may hand a shell or run by path (a forty-sixth red-team pass
    found them unread): a string that is a command line (`os.system('bash ci/x')`,
    `execSync('sh ci/x')`, `system('sh ci/x')`: words with a blank between them), and an argv
    list led by a shell or an interpreter (`subprocess.run(['bash', 'ci/x'])`, perl's `exec
    'bash', 'ci/x'`: the strings joined by commas after it); at most 64. A lone string is data
    (`open('ci/data.txt')`, `copy("F", "/tmp/y")`: what loads a file is `code_loads`)."""
    found = list(itertools.islice(_CODE_STRING.finditer(text[:_SCRIPT_LINE]), 256))
    lines: list[str] = []
    for k, m in enumerate(found):
        value = m.group(2)
        if re.search(r"\S\s+\S", value):
            lines.append(value)
        elif os.path.basename(value) in _SHELLS:
            argv = [value]
            j = k
            while j + 1 < len(found) and len(argv) < 16:
                between = text[found[j].end() : found[j + 1].start()]
                if not re.fullmatch(r"\s*,\s*", between):
                    break
                j += 1
                argv.append(found[j].group(2))
            if len(argv) > 1:
                lines.append(" ".join(argv))
    return lines[:64]


def code_loads(text: str) -> list[str]:
    """The files inline code loads by name (`exec(open('F').read())`, `require('./F')`,
    `runpy.run_path('F')`, `source("F")`), at most 64."""
    # (`runpy.run_path(F)` spelled as the `execfile(F)` it is: `\brun` would match first)
    text, at = re.sub(r"\brun_path\s*\(", "execfile(", text[:_SCRIPT_LINE]), 0
    out: list[str] = []
    for _ in range(256):  # (a match that names no file is searched past by one character:
        m = _INLINE_LOADS.search(text, at)  # `runpy.run_path(` is `run` first)
        if m is None or len(out) >= 64:
            break
        if MAKE_FILE_WORD.fullmatch(m.group(1)) and not m.group(1).startswith("-"):
            out.append(m.group(1))
            at = m.end()
        else:
            at = m.start() + 1
    return out


def code_commands(text: str, add: Callable[[str], None], depth: int = 0) -> None:
    """What the command lines of inline code (`code_lines`) run, added as scripts."""
    for inner in code_lines(text):
        if depth < 2:
            for w in scripts_in(inner, depth + 1):
                add(w)
        else:
            out: list[str] = []
            _coarse(inner, "", out)
            for w in out:
                add(w)


# programs' options that name an environment file they load (forty-second pass)
_ENV_FILE_OPTIONS = {
    **{n: ("--env-file", "--env-file-if-exists") for n in ("node", "nodejs", "bun", "deno")},
    **{
        n: ("--env-file",)
        for n in ("docker", "podman", "nerdctl", "docker-compose", "podman-compose")
    },
    "dotenv": ("-e", "-f", "--file"),
}
# Past a limit of the reading: the rest's words with quotes and escapes gone (every level of
# nesting flattened), the separators of commands kept as words of their own
_COARSE_WORD = lazy_compile(r"[;&|()`]+|[^\s;&|()`'\"\\=]+")
# words after which a command starts: a command string's option (`-c`, `-qc`, `--run`, `-S`)
_COARSE_STARTS = lazy_compile(r"-[a-zA-Z]*[cS]|--(?:run|command|exec|split-string)")


def _holds_shell(text: str) -> bool:
    """Whether a shell or an interpreter is among ``text``'s words, at any level of quoting."""
    return any(
        os.path.basename(w) in _SHELLS and w not in (".", "source")
        for w in _COARSE_WORD.findall(text[:_SCRIPT_LINE])
    )


def _coarse(words: Sequence[str] | str, cwd: str, out: list[str], starts: bool = True) -> None:
    """Past a limit of the reading (a command nested deeper than it follows, a wrapper's
    words past _REST_WORDS), the rest read coarsely, every level of quoting at once: a
    literal file word that starts a command (`-c ci/x.sh`, `; ./ci/x`) or that is the first
    file word after a shell or an interpreter (`bash -e ci/x.sh`) is a script the line runs
    (fail closed: forty-second pass; `bash -c 'bash -c "bash -c ci/x.sh"'` and `stdbuf -oL
    ×40 bash ci/x.sh` ran a writable script). A program's other words (`pytest tests/x.py`)
    are not taken. ``starts``: whether ``words`` start a command (a program's arguments do
    not). Linear in the text (its first _SCRIPT_LINE characters)."""
    text = words if isinstance(words, str) else " ".join(words)
    shell = False
    for m in _COARSE_WORD.finditer(text[:_SCRIPT_LINE]):
        w = m.group().lstrip("!")
        if not w or w[0] in ";&|()`" or _COARSE_STARTS.fullmatch(w):
            starts, shell = True, False
            continue
        rest = w[len(ROOT_MARK) :].lstrip("/") if w.startswith(ROOT_MARK) else w
        if (
            not rest.startswith("-")
            and MAKE_FILE_WORD.fullmatch(rest)
            and (shell or starts and "/" in rest)
        ):
            out.append(dockerfile_from(w, cwd))
            shell = False
        elif os.path.basename(w) in _SHELLS:
            shell = True
        elif w == "-m":
            shell = False  # (`python -m tool`: a module by name, read as `python -m` is)
        starts = False


def _env_split(words: list[str]) -> list[str]:
    """``words`` with `env`'s `-S STRING` (`-SSTRING`, `-iS…`, `--split-string[=]…`) split
    into the words env runs (forty-first pass: `env -S 'bash ci/x.sh'` ran ci/x.sh)."""
    for k, w in enumerate(words[:16]):
        if os.path.basename(w) != "env":
            continue
        skip = False
        for j in range(k + 1, min(len(words), k + 16)):
            v = words[j]
            if skip:
                skip = False
                continue
            skip = v in ("-u", "-C", "--unset", "--chdir", "-P")  # (they take the next word)
            head, eq, tail = v.partition("=")
            m = re.fullmatch(r"-([i0v]*)S(.*)", v, re.S)
            if m or head == "--split-string":
                value = tail if eq else (m.group(2) if m and m.group(2) else "")
                rest = words[j + 1 :]
                if not value and rest:
                    value, rest = rest[0], rest[1:]
                return [*words[:j], *shell_split(value), *rest]  # (`-S "sh -c '…'"`)
            if not v.startswith("-") and "=" not in v:
                break
        break
    return words


def _run_rest(args: Sequence[str], cwd: str, out: list[str], depth: int) -> None:
    """A program that runs the rest of its words (`stdbuf -oL bash x.sh`, `setsid`, `flock
    L bash`, `strace -f`, `valgrind python3`, `chronic`, `retry --`, `sudo -u u`, `runuser`,
    `unshare`, `taskset`, `conda run`, `tox exec --`, `pnpm exec node`): from its first word
    that is a shell or an interpreter, read as a command (forty-first pass; any program's
    words: fail closed)."""
    for k, arg in enumerate(args[:_REST_WORDS]):
        if os.path.basename(arg) in _SHELLS and arg not in (".", "source"):
            _script_in_segment(list(args[k:]), cwd, out, depth + 1)
            return
    if len(args) > _REST_WORDS:
        _coarse(args[_REST_WORDS:], cwd, out, starts=False)  # (past them: fail closed)


# the words a wrapper's reading looks through for its shell (32 until the forty-second pass:
# `stdbuf -oL ×40 bash ci/x.sh`; a 16 KB line has fewer)
_REST_WORDS = 8192


# Python tools and modules that run a script they are given (`python -m cProfile x.py`,
# `coverage run x.py`): its first `.py` operand (forty-first pass)
_PY_SCRIPT_RUNNERS = frozenset(
    "coverage trace pdb cProfile profile runpy pyinstrument memray scalene debugpy viztracer "
    "kernprof py-spy timeit".split()
)


# programs whose words name no program they run (the wrapper reading above skips them)
_NOT_RUNNERS = frozenset(
    "echo printf grep egrep fgrep rg ag cat ls test [ which type whereis apt apt-get yum dnf "
    "apk brew choco winget gh glab kubectl ssh".split()
)


# git's options whose value is a command it runs: `rebase -x`, `bisect run` (its words),
# `submodule foreach`, `difftool -x`, `filter-branch --*-filter`, `send-email
# --sendmail-cmd`, `--upload-pack`/`--receive-pack`/`--exec` of fetch, clone and push
_GIT_COMMAND_OPTIONS = frozenset(
    "-x --exec --extcmd --tree-filter --index-filter --msg-filter --env-filter "
    "--parent-filter --commit-filter --tag-name-filter --sendmail-cmd --smtp-server "
    "--upload-pack -u --receive-pack".split()
)


# git configuration keys whose value is a command (`-c K=V`, `git config K V`,
# `GIT_CONFIG_KEY_n`): besides these, a value starting with `!` (an alias) is one
_GIT_COMMAND_KEYS = lazy_compile(
    r"core\.(?:editor|pager|fsmonitor|sshcommand|askpass)|sequence\.editor|alias\..*|pager\..*"
    r"|diff\..*\.(?:textconv|command)|merge\..*\.driver|filter\..*\.(?:clean|smudge|process)"
    r"|gpg\.(?:.*\.)?program|credential\.(?:.*\.)?helper|interactive\.difffilter"
    r"|uploadpack\.packobjectshook|(?:diff|merge)tool\..*\.cmd|web\.browser|browser\..*\.cmd"
    r"|man\..*\.cmd|sendemail\.(?:sendmailcmd|smtpserver)|remote\..*\.(?:uploadpack|receivepack)"
    # (a configuration file it reads, whose keys may be any of these)
    r"|include\.path|includeif\..*\.path"
)


# a program by path at the head of a command string: `./x`, `ci/x.sh` (not `build/`, `src/x`)
_PROGRAM_PATH = lazy_compile(
    r"\./[\w./-]*[\w-]|(?:\.\./|[\w.-]+/)+[\w.-]+\.(?:sh|bash|py|js|mjs|rb|pl)"
)


# the punctuation a shell word holds when it is a command string (`'bash ci/x.sh'`)
# (possessive: the blanks around `!`/`|` were shared out between the two `\s*` every way there
# is, quadratic: 32 KB of blanks took 6.9 s of CPU; stop 47)
_COMMAND_STRING = lazy_compile(r"^\s*+[!|]*+\s*+(\S++)\s++\S")


def _command_value(value: str, cwd: str, out: list[str], depth: int) -> None:
    """A value a program runs as a command (a git alias's `!bash ci/x.sh`, `core.pager=…`,
    `script -c '…'`, `nix-shell --run '…'`): its words read as a command line; a single word
    with a `/` is a program by path."""
    value = value.strip().lstrip("!|").strip()
    if not value or len(value) > _SCRIPT_LINE:
        return
    if re.search(r"\s", value):
        out += [_from_marked(w, cwd) for w in scripts_in(value, depth + 1)]
    elif "/" in value and not UNFIXED.search(value) and not value.startswith("-"):
        out.append(dockerfile_from(value, cwd))


def _command_values(name: str, args: Sequence[str], cwd: str, out: list[str], depth: int) -> None:
    """Commands a segment's words hold as strings (forty-first pass): a word (or an option's
    `=` value) that is a command line whose first word is a shell, an interpreter or a
    program by path (`script -qc 'bash ci/x.sh'`, `su -c '…'`, `tmux new '…'`, `nix-shell
    --run '…'`, `git submodule foreach '…'`); git's options and configuration values that are
    commands (`_GIT_COMMAND_OPTIONS`, `_GIT_COMMAND_KEYS`), `git bisect run`'s words."""
    words = list(args[:64])
    if name == "eval" and words:
        # `eval "$RUNNER ci/x"`: its words joined are the command it runs, whatever leads it
        # (a program named at run time among them: forty-sixth pass)
        _command_value(" ".join(words), cwd, out, depth)
        return
    for arg in words if name != "git" else ():  # (git's own below: a message is no command)
        head, eq, tail = arg.partition("=")
        for value in (arg, tail) if eq and not re.search(r"\s", head) else (arg,):
            m = _COMMAND_STRING.match(value)
            if m and (
                os.path.basename(m.group(1)) in _SHELLS or _PROGRAM_PATH.fullmatch(m.group(1))
            ):
                _command_value(value, cwd, out, depth)
                break
            if m and _holds_shell(value):
                # a command string led by another program that runs one (`script -qc "script
                # -qc 'bash ci/x.sh'"`, `su -c "su -c '…'"`): read coarsely (forty-second pass)
                _coarse(value, cwd, out)
                break
    if name != "git":
        return
    sub = next((a for a in words if not a.startswith("-") and "=" not in a), "")
    for j, arg in enumerate(words):
        nxt = words[j + 1] if j + 1 < len(words) else ""
        head, eq, tail = arg.partition("=")
        if arg in _GIT_COMMAND_OPTIONS and sub != "grep":
            _command_value(nxt, cwd, out, depth)
        elif eq and head in _GIT_COMMAND_OPTIONS and head.startswith("--"):
            _command_value(tail, cwd, out, depth)
        elif arg == "-c" and "=" in nxt:
            key, _, value = nxt.partition("=")
            if _GIT_COMMAND_KEYS.fullmatch(key.lower()) or value.lstrip().startswith("!"):
                _command_value(value, cwd, out, depth)
        elif arg == "config" and j + 2 < len(words):
            rest = [w for w in words[j + 1 :] if not w.startswith("-")]
            if len(rest) >= 2 and (
                _GIT_COMMAND_KEYS.fullmatch(rest[0].lower()) or rest[1].lstrip().startswith("!")
            ):
                _command_value(rest[1], cwd, out, depth)
        elif arg in ("run", "foreach") and sub in ("bisect", "submodule"):
            rest = [w for w in words[j + 1 :] if w not in ("--recursive", "-q", "--quiet")]
            if len(rest) == 1:
                _command_value(rest[0], cwd, out, depth)  # (`foreach 'bash x.sh'`)
            elif rest:
                _script_in_segment(rest, cwd, out, depth + 1)
            break
        elif arg.startswith("--template") and sub in ("init", "clone"):
            folder = tail if eq else nxt
            if folder and not UNFIXED.search(folder):
                out.append(MANIFEST_MARK + "pathdir@@d:" + dockerfile_from(folder + "/hooks", cwd))


# reserved words a command may follow in a line (`if …; then CMD`, `do CMD`, `{ CMD; }`)
_SHELL_KEYWORDS = frozenset("if then else elif do while until { ! time coproc".split())


_CONTAINERS = frozenset(("docker", "podman", "nerdctl"))


_COMPOSERS = frozenset(("docker-compose", "podman-compose"))
