"""What a repository's own files make CI systems, task runners and tools run by name.

The readers of CI configurations (GitHub, GitLab, Azure, Jenkins, Buildkite …) and the
top-level walk over a workspace: :func:`repo_protected` lists what a workspace's own
configuration runs, so that the policy treats those files as protected
(:func:`in_repo_protected`). What one file of each kind runs is read elsewhere:
:mod:`~enforcement_agent.policy.task_file_commands` (compose, CMake, meson, just, tox, package
hooks, lint-staged), :mod:`~enforcement_agent.policy.make_reading` (Makefiles),
:mod:`~enforcement_agent.policy.script_runs` (one line of a step or script),
:mod:`~enforcement_agent.policy.container_runs` and :mod:`~enforcement_agent.policy.python_runs`;
the words they share are in :mod:`~enforcement_agent.policy.repo_run_words`. Path resolution,
trees, archives and the git index come from :mod:`enforcement_agent.policy.paths`.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import glob
import itertools
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import NamedTuple

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy import ci_values, fnmatch_linear
from enforcement_agent.policy.git_config_text import settings
from enforcement_agent.policy.paths import (
    Workspace,
    git_index,
    realpath,
    spellings,
)
from enforcement_agent.policy.python_runs import (
    module_files,
    pytest_config,
    pytest_options,
)
from enforcement_agent.policy.regular_reads import open_regular, read_regular
from enforcement_agent.policy.repo_run_words import (
    ACTION_MARK,
    CONFIG_LIMIT,
    JSON_STRING,
    MANIFEST_MARK,
    ROOT_MARK,
    SCRIPT_FILES,
    UNFIXED,
    VARIABLE,
    WORKSPACE_VARS,
)
from enforcement_agent.policy.script_runs import (
    code_lines,
    code_loads,
    env_commands,
    scripts_in,
)
from enforcement_agent.policy.task_file_commands import (
    PYPROJECT_TASKS,
    TEXT_COMMANDS,
    holds_tox,
    lintstaged_commands,
    manifest_commands,
    package_hooks,
    pkgrc_commands,
    text_commands,
)

# ---- what the repository's own configuration makes run --------------------------------------
_HOOKS: OrderedDict[str, tuple[tuple[tuple[str, int, int, int], ...], tuple[str, ...]]] = (
    OrderedDict()
)
_HOOKS_LOCK = threading.Lock()


def _stamp(path: str) -> tuple[str, int, int, int]:
    try:
        st = os.stat(path)
        return (path, st.st_ino, st.st_size, st.st_mtime_ns)
    except OSError:
        return (path, 0, 0, 0)


# Where the sandbox mounts the workspace and what HOME is there (enforcement_agent.sandbox),
# for configuration values that name paths as sandboxed git sees them.
_SANDBOX_WORKSPACE = "/workspace"
_SANDBOX_HOME = "/tmp"


def repo_protected(ws: Workspace) -> tuple[str, ...]:
    """Workspace-relative paths (lower-cased) the repository's own configuration makes as
    trusted as ``.git/hooks`` and ``.git/config``: every ``core.hooksPath`` directory, and
    every file ``.git/config`` (or ``config.worktree``) includes from inside the workspace
    (an included file *is* configuration: ``core.fsmonitor`` there runs on ``git status``);
    and the CI files ``.gitlab-ci.yml`` includes by name (:func:`_gitlab_includes`).

    Read as text, never by running git (the configuration is the agent's: git would run
    what it names). Kept while every file read stays; at most 16 files of 256 KB each.
    """
    if ws.virtual:
        return ()
    git_dir = os.path.join(ws.root, ".git")
    roots = [os.path.join(git_dir, "config"), os.path.join(git_dir, "config.worktree")]
    with _HOOKS_LOCK:
        hit = _HOOKS.get(ws.root)
    if hit is not None and all(_stamp(s[0]) == s for s in hit[0]):
        return hit[1]
    values: list[str] = []
    seen: dict[str, tuple[str, int, int, int]] = {}
    for f in roots:
        _config_values(ws, f, values, seen, depth=0)
    found: list[str] = []
    for real in seen:
        if real not in roots and ws.contains(real):  # an included file
            found.append(ws.rel(real).lower())
    ci_seen: dict[str, tuple[str, int, int, int]] = {}
    found += _gitlab_includes(ws, ci_seen)
    found += _named_by_runners(ws, ci_seen)
    found += _run_by_path(ws, ci_seen)
    for v in values:
        if v.startswith("~"):
            # git expands `~` with the HOME of whoever runs it: outside the workspace in the
            # sandbox, but `~/../ws/hk` climbs back in, and the weak fallback's HOME is the
            # workspace itself
            if not (v == "~" or v.startswith("~/")):
                continue  # ~user: another user's home
            paths = [os.path.join(ws.root, v[2:]), os.path.join(_SANDBOX_HOME, v[2:])]
        else:
            paths = [v if v.startswith("/") else os.path.join(ws.root, v)]
        # the sandbox sees the workspace at /workspace: a value there names the workspace
        paths += [
            ws.root + p[len(_SANDBOX_WORKSPACE) :]
            for p in map(os.path.normpath, paths)
            if p == _SANDBOX_WORKSPACE or p.startswith(_SANDBOX_WORKSPACE + "/")
        ]
        for candidate in (c for p in paths for c in (os.path.normpath(p), realpath(p))):
            if ws.contains(candidate) and candidate != ws.root:
                found.append(ws.rel(candidate).lower())
    result = tuple(dict.fromkeys(found))
    with _HOOKS_LOCK:
        _HOOKS[ws.root] = (tuple(seen.values()) + tuple(ci_seen.values()), result)
        while len(_HOOKS) > 64:
            _HOOKS.popitem(last=False)
    return result


_GITLAB_CI = ".gitlab-ci.yml"
_CI_FILES = 16  # CI files read per workspace (the root one and what it includes)
_CI_WILD = lazy_compile(r"[*?\[$]")  # a wildcard or a CI variable: the name is not fixed


def _gitlab_includes(ws: Workspace, seen: dict[str, tuple[str, int, int, int]]) -> list[str]:
    """Workspace-relative paths (lower-cased) of the files ``.gitlab-ci.yml`` includes from
    the repository (``include: local:``, a bare path, ``trigger: include:``), followed through
    the files they include: GitLab runs them as CI under any name, so they are as protected
    as the root file (a twenty-sixth red-team pass: `include: local: ci/build.yml` left
    `ci/build.yml` writable). A name with a wildcard or a variable protects the directory
    before it, or, at the top, the files it matches now. Read as text (at most 16 files of
    256 KB); a file that does not parse is read for every ``*.yml``/``*.yaml`` word."""
    found: list[str] = []
    queue = [os.path.join(ws.root, _GITLAB_CI)]
    while queue and len(seen) < _CI_FILES:
        real = realpath(queue.pop())
        if real in seen:
            continue
        seen[real] = _stamp(real)  # also when absent: making it later refreshes the list
        if not ws.contains(real):
            continue
        try:
            with open_regular(real) as fh:
                data = fh.read(CONFIG_LIMIT)
        except OSError:
            continue
        for value in _ci_local_includes(data.decode("utf-8", "replace")):
            rel = os.path.normpath(value.strip().lstrip("/"))
            if not rel or rel == "." or rel == ".." or rel.startswith("../"):
                continue
            if _CI_WILD.search(rel):
                # every name the pattern may stand for, now and later (`*` crossing `/`)
                found.append(GLOB_MARK + VARIABLE.sub("*", rel).lower())
                continue
            found.append(rel.lower())
            queue.append(os.path.join(ws.root, rel))
    return found


# Files other runners read by the name a protected file gives them (a thirty-first red-team
# pass): a dev container's `dockerComposeFile`/`dockerfile` (built and started when the
# repository is opened: `privileged: true` and a `/:/host` volume in a compose file that
# `.devcontainer/devcontainer.json` names as `../docker-compose.yml`), Azure Pipelines'
# `template:` files and a Jenkinsfile's `load` scripts (run as CI under any name).
_DEVCONTAINER_KEYS = lazy_compile(
    r'"(?:dockerfile|dockercomposefile)"\s*:\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\])', re.IGNORECASE
)
_PLUGIN_KEYS = lazy_compile(
    r'"(?:hooks|mcpServers|lspServers)"\s*:\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\])'
)
_WORKSPACE_FOLDER = lazy_compile(r"\$\{localWorkspaceFolder\}")
_AZURE_TEMPLATE = lazy_compile(
    r"""^(?:[^\S\n]|-)*template\s*:\s*['"]?([^'"\s#@]+)(@[\w.-]+)?['"]?\s*(?:#.*)?$""", re.M
)
# a slash command's bash line ("!`git status`"); an instruction file's import (`@path`, not
# an e-mail address or a handle: a path holds a `/` or a `.`)
_SLASH_BANG = lazy_compile(r"!`([^`\n]{1,4096})`")
_MEMORY_IMPORT = lazy_compile(
    r"(?:^|(?<=[\s(]))@((?:~/|\.{0,2}/)?[\w.-]+(?:/[\w.-]+)*\.[\w]+|(?:~/|\.{0,2}/)?[\w.-]+/[\w./-]+)"
)
_JENKINS_LOAD = lazy_compile(
    r"""\b(?:load|evaluate\s*\(\s*readFile(?:\s*\(\s*file\s*:)?)\s*\(?\s*(?:['"]{1,3})"""
    r"""([^'"$\s]+)['"]"""
)  # (`load 'ci/x.groovy'`, `evaluate(readFile('ci/x.groovy'))`: Groovy the pipeline runs)
_AZURE_ROOTS = ("azure-pipelines.yml", "azure-pipelines.yaml")
_JENKINS_ROOTS = ("Jenkinsfile",)


_RUNNER_SUFFIXES = (
    "devcontainer.json", "azure-pipelines.yml", "azure-pipelines.yaml", "jenkinsfile",
    "plugin.json",
)  # fmt: skip


def _runner_kind(rel: str) -> str:
    """Which runner's configuration the tracked path ``rel`` is ("" for none)."""
    low = rel.lower()
    base = low.rpartition("/")[2]
    if base == ".devcontainer.json" or (
        base == "devcontainer.json" and "/.devcontainer/" in f"/{low}"
    ):
        return "devc"
    if base in _AZURE_ROOTS:
        return "azure"
    if base == "jenkinsfile":
        return "jenkins"
    if base == "plugin.json" and low.rpartition("/")[0].endswith(".claude-plugin"):
        return "plugin"
    return ""


def _named_by_runners(ws: Workspace, seen: dict[str, tuple[str, int, int, int]]) -> list[str]:
    """Workspace-relative paths (lower-cased) of the files the dev container configuration,
    Azure Pipelines, a Jenkinsfile and a Claude Code plugin name (see above), at the top and
    wherever the git index tracks one: a name is taken relative to the file that gives it
    (Azure's `/x` and Jenkins' names from the top; a dev container's
    `${localWorkspaceFolder}` is the workspace). At most 34 files read, GitLab's included."""
    found: list[str] = []
    devc = os.path.join(ws.root, ".devcontainer")
    seen.setdefault(devc, _stamp(devc))  # a configuration added in a new folder
    queue: list[tuple[str, str]] = [
        (os.path.join(ws.root, ".devcontainer.json"), "devc"),
        (os.path.join(devc, "devcontainer.json"), "devc"),
    ]
    with contextlib.suppress(OSError):
        for entry in sorted(os.listdir(devc))[:_CI_FILES]:
            queue.append((os.path.join(devc, entry, "devcontainer.json"), "devc"))
    queue += [(os.path.join(ws.root, n), "azure") for n in _AZURE_ROOTS]
    queue += [(os.path.join(ws.root, n), "jenkins") for n in _JENKINS_ROOTS]
    queue.append((os.path.join(ws.root, ".claude-plugin", "plugin.json"), "plugin"))
    # the same files at any depth, as the repository tracks them (a monorepo's
    # `svc/.devcontainer/devcontainer.json`; an agent cannot add one: the names are protected)
    index = os.path.join(ws.root, ".git", "index")
    seen.setdefault(index, _stamp(index))
    tracked = 0
    for name in git_index(ws.root) or ():  # the index is sorted by name
        if "/" in name and name[-20:].lower().endswith(_RUNNER_SUFFIXES):
            kind = _runner_kind(name)
            if kind:
                queue.append((os.path.join(ws.root, name), kind))
                tracked += 1
                if tracked >= _CI_FILES:
                    break
    while queue and len(seen) < 2 * _CI_FILES + 2:
        path, kind = queue.pop(0)
        real = realpath(path)
        if real in seen:
            continue
        seen[real] = _stamp(real)
        if not ws.contains(real):
            continue
        try:
            with open_regular(real) as fh:
                text = fh.read(CONFIG_LIMIT).decode("utf-8", "replace")
        except OSError:
            continue
        base = os.path.dirname(path)
        names: list[str] = []
        if kind == "devc":
            for m in _DEVCONTAINER_KEYS.finditer(text):
                names += JSON_STRING.findall(m.group(1))
        elif kind == "plugin":
            # a Claude Code plugin's hooks (commands run on its events) and MCP servers: the
            # default `hooks/hooks.json` beside `.claude-plugin/`, and the files it names
            base = os.path.dirname(base)
            names = ["hooks/hooks.json"]
            for m in _PLUGIN_KEYS.finditer(text):
                names += JSON_STRING.findall(m.group(1))
        elif kind == "azure":
            # `x.yml@self` is this repository; `@other` names another one
            names = [n for n, at in _AZURE_TEMPLATE.findall(text) if at in ("", "@self")]
        else:
            names = _JENKINS_LOAD.findall(text)
            base = ws.root
        for name in names:
            if kind == "devc":
                name = _WORKSPACE_FOLDER.sub(lambda _m: ws.root, name)
            if kind == "azure" and name.startswith("/"):
                target = os.path.join(ws.root, name.lstrip("/"))
            else:
                target = os.path.join(base, name)
            target = os.path.normpath(target)
            for candidate in (target, realpath(target)):
                if ws.contains(candidate) and candidate != ws.root:
                    rel = ws.rel(candidate).lower()
                    found.append(GLOB_MARK + rel if _CI_WILD.search(rel) else rel)
            if kind == "azure":
                queue.append((target, "azure"))  # templates name templates
    return found


# Scripts a runner runs by path (a thirty-third red-team pass): a GitHub workflow step's
# `run: ./ci/build.sh` (or `bash scripts/x.sh`, `python tools/y.py`, `make -f ci.mk`), a local
# or tracked action's composite `run:` steps, its Docker `image:` and JavaScript `main`/`pre`/
# `post`, pre-commit `repo: local` hooks' `entry:` (and `.pre-commit-hooks.yaml`), husky hook
# lines, lefthook `run:` and a GitLab job's `script:` lines. Only a word that clearly names a
# workspace file is taken: the command word when it holds a `/`, the first operand of a shell
# or an interpreter, `make -f`'s file; never a program on PATH, a directory, or a name with a
# variable or a wildcard left in it.
_RUN_FILES = 32  # configuration files read for the scripts they run (manifests among them)
# script paths kept per workspace as they are; past them, the folders the rest are in (stop 47)
_RUN_PATHS = 2048
_RUN_FOLDERS_KEPT = 1024  # folders kept past the paths; past them, the top-level ones
# configurations queued from one listing (a folder of CI files, a workspace glob's matches,
# the tracked ones below the top)
_QUEUED = 1024
# configuration files past those bounds scanned for the workspace files they name: how much
# of each, and of all (stop 46; stop 47: by bytes, not 64 files, so a monorepo's packages
# past the 32 read are scanned); a file past that is unknown: its folder is protected whole
_SCANNED_BYTES = 64 << 10
_SCANNED_ALL = 2 << 20
_RUN_SECONDS = 2.0  # of CPU reading them, in all (YAML parsing is bounded per file too)
# a step's `with:` inputs that actions run as commands (forty-fourth pass)
_ACTION_COMMAND_INPUTS = frozenset(
    ("run", "command", "commands", "cmd", "script", "shell-command", "run-command", "pre",
     "post", "entrypoint", "args")
)  # fmt: skip
_RUN_KEYS = {
    "workflow": ("run",),
    "workflowcall": ("run",),
    "action": ("run",),
    "gitlab": (
        "script", "before_script", "after_script", "pre_get_sources_script", "command",
        "entrypoint",
    ),
    "precommit": ("entry",),
    "lefthook": ("run",),
    "overcommit": ("command",),  # (fortieth pass: the hooks' commands, run on each commit)
    # (a thirty-fourth red-team pass) CI systems read from their documented keys
    "circleci": ("run", "command"),
    "travis": (
        "before_install", "install", "before_script", "script", "after_success",
        "after_failure", "after_script", "before_deploy", "after_deploy", "before_cache",
    ),
    "buildkite": ("command", "commands"),
    "drone": ("commands",),
    "woodpecker": ("commands", "entrypoint"),
    "bitbucket": ("script", "after-script"),
    "cirrus": ("script",),  # and every `*_script` key
    "task": ("cmds", "cmd"),
    "agent": ("command",),  # MCP servers' and hooks' `command` (with `args`)
    "vscode": ("command",),
    "devc": (
        "initializeCommand", "onCreateCommand", "updateContentCommand", "postCreateCommand",
        "postStartCommand", "postAttachCommand",
    ),
    "gitpod": ("init", "before", "command"),
    "appveyor": (
        "init", "install", "before_build", "build_script", "after_build", "before_test",
        "test_script", "after_test", "before_deploy", "deploy_script", "after_deploy",
        "on_success", "on_failure", "on_finish", "cmd", "sh",
    ),
    "codebuild": ("commands",),
    "cloudbuild": ("script",),
    "azure": ("script", "bash", "pwsh", "powershell"),
    "semaphore": ("commands",),
}  # fmt: skip
_RUN_TOP = (
    (".gitlab-ci.yml", "gitlab"),
    (".pre-commit-config.yaml", "precommit"),
    (".pre-commit-config.yml", "precommit"),
    (".pre-commit-hooks.yaml", "precommit"),
    ("action.yml", "action"),
    ("action.yaml", "action"),
    ("lefthook.yml", "lefthook"),
    ("lefthook.yaml", "lefthook"),
    (".lefthook.yml", "lefthook"),
    (".lefthook.yaml", "lefthook"),
    ("lefthook-local.yml", "lefthook"),
    (".lefthook-local.yml", "lefthook"),
    (".overcommit.yml", "overcommit"),
    # (fortieth pass) git hooks a package.json configures (simple-git-hooks, husky 4,
    # lint-staged, yorkie, ghooks, pre-commit): run on the host at each commit
    ("package.json", "pkghooks"),
    *(
        (n, "lintstaged")
        for n in (".lintstagedrc", ".lintstagedrc.json", ".lintstagedrc.yaml", ".lintstagedrc.yml")
    ),  # (forty-first pass)
    (".travis.yml", "travis"),
    (".drone.yml", "drone"),
    (".drone.yaml", "drone"),
    ("bitbucket-pipelines.yml", "bitbucket"),
    (".cirrus.yml", "cirrus"),
    (".cirrus.yaml", "cirrus"),
    (".woodpecker.yml", "woodpecker"),
    (".woodpecker.yaml", "woodpecker"),
    ("buildkite.yml", "buildkite"),
    ("buildkite.yaml", "buildkite"),
    ("buildkite.json", "buildkite"),
    # (the same pass, later) agents' MCP servers and hooks, dev container lifecycle commands,
    # Gitpod tasks, editor tasks, and CI systems whose steps are shell lines
    (".mcp.json", "agent"),
    ("opencode.json", "agent"),
    (".devcontainer.json", "devc"),
    (".gitpod.yml", "gitpod"),
    ("appveyor.yml", "appveyor"),
    (".appveyor.yml", "appveyor"),
    ("buildspec.yml", "codebuild"),
    ("buildspec.yaml", "codebuild"),
    ("cloudbuild.yaml", "cloudbuild"),
    ("cloudbuild.yml", "cloudbuild"),
    ("cloudbuild.json", "cloudbuild"),
    ("azure-pipelines.yml", "azure"),
    ("azure-pipelines.yaml", "azure"),
    ("Jenkinsfile", "jenkins"),
)
# configuration files at fixed places below the top
_RUN_PLACES = (
    (".claude/settings.json", "agent"),
    (".claude/settings.local.json", "agent"),
    (".cursor/mcp.json", "agent"),
    (".vscode/mcp.json", "agent"),
    (".gemini/settings.json", "agent"),
    (".roo/mcp.json", "agent"),
    (".kiro/settings/mcp.json", "agent"),
    (".amazonq/mcp.json", "agent"),
    # (forty-fourth pass) more agents' MCP servers, read line by line; the instruction files
    # agents load, for the files they import (`@docs/rules.md` in CLAUDE.md)
    (".codex/config.toml", "agenttext"),
    (".continue/config.json", "agenttext"),
    (".continue/config.yaml", "agenttext"),
    (".zed/settings.json", "agenttext"),
    ("CLAUDE.md", "memory"),
    ("CLAUDE.local.md", "memory"),
    (".claude/CLAUDE.md", "memory"),
    ("GEMINI.md", "memory"),
    (".vscode/tasks.json", "vscode"),
    (".devcontainer/devcontainer.json", "devc"),
    # (thirty-ninth pass) package managers' own configuration that names code every run of
    # theirs loads: npm's `node-options`/`script-shell`, yarn's `yarn-path`/`yarnPath` and
    # plugins, cargo's wrappers, runners and linkers
    (".npmrc", "pkgrc"),
    (".yarnrc", "pkgrc"),
    (".yarnrc.yml", "pkgrc"),
    (".cargo/config.toml", "pkgrc"),
    (".cargo/config", "pkgrc"),
)
# Folders whose every YAML file is a configuration of one kind, and hook folders whose every
# file is a script (`.husky/pre-commit`, Buildkite's repository hooks `.buildkite/hooks/*`)
_RUN_FOLDERS = (
    (".github/workflows", "workflow"),
    (".husky", "husky"),
    (".circleci", "circleci"),
    (".woodpecker", "woodpecker"),
    (".buildkite", "buildkite"),
    ("buildkite", "buildkite"),
    (".buildkite/hooks", "husky"),
    (".gitea/workflows", "workflow"),
    (".forgejo/workflows", "workflow"),
    (".semaphore", "semaphore"),
    (".continue/mcpServers", "agenttext"),
    (".claude/commands", "slash"),  # (a slash command's "!`cmd`" runs cmd when it is used)
)
_CODE_CONFIG_EXTS = ("js", "mjs", "cjs", "ts", "mts", "cts")
# The files a runner that runs tasks *by name* reads (`npm test`, `make check`, `tox`, `nox`,
# `just build`, `task ci`) when it is given a directory (its working directory, `make -C`,
# `npm --prefix`); every spelling it looks for is protected, present or not (GNU make prefers
# `GNUmakefile` to `makefile` to `Makefile`: adding one would replace the reviewed file).
_MANIFESTS = {
    "npm": ("package.json", "pnpm-workspace.yaml", "lerna.json"),
    "make": ("GNUmakefile", "makefile", "Makefile"),
    # tox takes the first of these that holds its configuration, in each folder upward
    # (tox.ini always; setup.cfg's `[tox:tox]`; pyproject.toml's `[tool.tox]`; tox.toml)
    "tox": ("tox.ini", "setup.cfg", "pyproject.toml", "tox.toml"),
    "nox": ("noxfile.py",),
    "just": ("justfile", ".justfile"),
    "task": (
        "Taskfile.yml", "Taskfile.yaml", "Taskfile.dist.yml", "Taskfile.dist.yaml",
    ),
    # task files that are code themselves: protected whole, not read for scripts (open)
    "rake": ("Rakefile", "rakefile", "Rakefile.rb", "rakefile.rb"),
    "gulp": ("gulpfile.js", "gulpfile.mjs", "gulpfile.cjs", "gulpfile.ts", "gulpfile.babel.js"),
    "grunt": ("Gruntfile.js", "Gruntfile.coffee", "gruntfile.js", "Gruntfile.ts"),
    "jake": ("Jakefile", "Jakefile.js"),
    "invoke": ("tasks.py", "invoke.yaml", "invoke.yml"),
    "doit": ("dodo.py",),
    "earthly": ("Earthfile",),
    "cargo-make": ("Makefile.toml",),
    "mage": ("magefile.go", "magefiles"),
    "gradle": (
        "build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts",
        "buildSrc", "gradle.properties",
    ),
    "maven": ("pom.xml", ".mvn"),
    # (forty-fourth pass) a release's hooks, a review's code, a lane, a dev loop, a deploy's
    # hooks, a playbook's tasks: read for the commands they run (`TEXT_COMMANDS`), code whole
    "goreleaser": (".goreleaser.yml", ".goreleaser.yaml", "goreleaser.yml", "goreleaser.yaml"),
    "danger": ("dangerfile.js", "dangerfile.ts", "dangerfile.mjs", "Dangerfile", "Dangerfile.swift"),
    "fastlane": ("fastlane/Fastfile", "Fastfile", "fastlane/Pluginfile", "fastlane/Appfile"),
    "tilt": ("Tiltfile", "tilt_config.json"),
    "skaffold": ("skaffold.yaml", "skaffold.yml"),
    "ansible": ("ansible.cfg",),
    "pixi": ("pixi.toml",),  # (pyproject.toml's `[tool.pixi]` stays writable, by decision)
    "nx": ("nx.json", "project.json", "workspace.json", "*/project.json"),
    "cargo": ("build.rs", "Cargo.toml"),  # (Cargo.toml read for `build = "…"`, not protected)
    # tools whose configuration file is code they run (a linter's, a bundler's, a test
    # runner's): protected whole, unread, where CI runs the tool by name (`npx eslint .`,
    # a CI-run package.json's `"lint": "eslint ."`); test files and what a configuration
    # names are the project's code (open: see docs/policy.md, thirty-sixth pass)
    **{
        tool: tuple(f"{stem}.{ext}" for stem in stems for ext in _CODE_CONFIG_EXTS)
        for tool, stems in (
            ("eslint", ("eslint.config", ".eslintrc")),
            ("prettier", ("prettier.config", ".prettierrc")),
            ("stylelint", ("stylelint.config", ".stylelintrc")),
            ("jest", ("jest.config",)),
            ("vitest", ("vitest.config", "vitest.workspace", "vite.config")),
            ("vite", ("vite.config",)),
            ("mocha", (".mocharc",)),
            ("ava", ("ava.config",)),
            ("karma", ("karma.conf",)),
            ("playwright", ("playwright.config",)),
            ("cypress", ("cypress.config",)),
            ("webpack", ("webpack.config",)),
            ("rollup", ("rollup.config",)),
            ("babel", ("babel.config", ".babelrc")),
            ("commitlint", ("commitlint.config", ".commitlintrc")),
            ("lint-staged", ("lint-staged.config", ".lintstagedrc")),
            ("postcss", ("postcss.config",)),
            ("tailwindcss", ("tailwind.config",)),
            ("next", ("next.config",)),
            ("nuxt", ("nuxt.config",)),
            ("astro", ("astro.config",)),
            ("tsup", ("tsup.config",)),
            ("svelte-kit", ("svelte.config", "vite.config")),
        )
    },
    # `docker build`: its Dockerfile, read for its RUN lines (run with the workspace copied in)
    "docker": ("Dockerfile", "Containerfile"),
    # what `docker compose` reads (also from the folders above); protected whole
    "compose": (
        "compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml",
        "compose.override.yaml", "compose.override.yml", "docker-compose.override.yml",
        "docker-compose.override.yaml",
    ),
    # build tools whose build files are code they run (fortieth pass), protected whole where
    # CI runs the tool by name; a folder named here (`cmake/`, `project/`, `m4/`) whole
    "cmake": ("CMakeLists.txt", "CMakePresets.json", "CMakeUserPresets.json", "cmake"),
    "meson": ("meson.build", "meson_options.txt", "meson.options"),
    "scons": ("SConstruct", "Sconstruct", "sconstruct", "SConscript"),
    # (forty-second pass: a package's BUILD.bazel and every .bzl, at any depth: `bazel test
    # //...` reads them all, genrule `cmd`s and repository rules run; a package's plain
    # `BUILD` is not, whose pattern would take every `build/` folder)
    "bazel": ("WORKSPACE", "WORKSPACE.bazel", "WORKSPACE.bzlmod", "MODULE.bazel", "BUILD",
              "BUILD.bazel", ".bazelrc", "*/BUILD.bazel", "*/*.bzl"),
    "ant": ("build.xml",),
    "sbt": ("build.sbt", "project"),
    "composer": ("composer.json",),
    # (forty-first pass) MSBuild reads these at every `dotnet build`/`test` (Exec tasks,
    # targets, SDKs), a Gemfile is Ruby that `bundle` evaluates, pip's build runs setup.py
    # and an in-tree backend (pyproject.toml is read for it, not protected)
    "msbuild": ("*/Directory.Build.props", "*/Directory.Build.targets", "*/Directory.Build.rsp",
                "*/Directory.Packages.props", "*/*.csproj", "*/*.fsproj", "*/*.vbproj",
                "*/*.props", "*/*.targets", "*/NuGet.config", "*/nuget.config", "global.json"),
    "bundler": ("Gemfile", "gems.rb", ".bundle"),
    "pybuild": ("setup.py", "pyproject.toml"),
    "deno": ("deno.json", "deno.jsonc"),
    "hatch": ("hatch.toml", "pyproject.toml"),
    "pdm": ("pyproject.toml",),
    "poe": ("pyproject.toml",),
    "mix": ("mix.exs",),
    "rebar": ("rebar.config",),
    "cabal": ("cabal.project", "Setup.hs"),
    "stack": ("stack.yaml", "Setup.hs"),
    "swift": ("Package.swift",),
    "zig": ("build.zig", "build.zig.zon"),
    "xmake": ("xmake.lua",),
    "premake": ("premake5.lua", "premake4.lua"),
    # (forty-first pass) more runners whose task file is code
    "ninja": ("build.ninja",),
    "snakemake": ("Snakefile", "snakefile", "workflow/Snakefile", "workflow/snakefile"),
    "fab": ("fabfile.py", "fabfile"),
    "precommit": (".pre-commit-config.yaml", ".pre-commit-config.yml"),
    "lein": ("project.clj",),
    "autotools": ("configure.ac", "configure.in", "Makefile.am", "aclocal.m4", "acinclude.m4",
                  "m4", "autogen.sh"),
    "buildkite": (
        "buildkite.yml", "buildkite.yaml", "buildkite.json", ".buildkite/pipeline.yml",
        ".buildkite/pipeline.yaml", ".buildkite/pipeline.json", "buildkite/pipeline.yml",
        "buildkite/pipeline.yaml", "buildkite/pipeline.json",
    ),
}  # fmt: skip
_INSTALLED = frozenset(("node_modules", ".venv", "venv", "site-packages", ".tox", ".nox"))
# (a `shell: cmd` step is read as commands: cmd runs programs and batch files by name as a
# shell does, `bash ci/x` and `ci\\x.bat` alike; a forty-fifth red-team pass found such steps
# unread)
_OTHER_SHELLS = ("python", "node", "perl", "ruby", "deno", "bun")


def _run_kind(rel: str) -> str:
    """Which runner's configuration (for the scripts it runs) the tracked ``rel`` is."""
    low = rel.lower()
    parent, _, base = low.rpartition("/")
    if parent.endswith((".github/workflows", ".gitea/workflows", ".forgejo/workflows")) and (
        base.endswith((".yml", ".yaml"))
    ):
        return "workflow"
    if base == "devcontainer.json" and "/.devcontainer/" in f"/{low}":
        return "devc"
    for place, kind in _RUN_PLACES:
        if low == place or low.endswith("/" + place):
            return kind
    if base in _LINTSTAGED_RCS:
        return "lintstaged"  # (a package's own lint-staged configuration, forty-first pass)
    if parent.endswith(".semaphore") and base.endswith((".yml", ".yaml")):
        return "semaphore"
    if parent.endswith((".husky", ".buildkite/hooks")) or parent == ".husky":
        return "husky"
    for folder, kind in _RUN_FOLDERS[2:6]:
        if (parent == folder or parent.endswith("/" + folder)) and base.endswith(
            (".yml", ".yaml", ".json")
        ):
            return kind
    kind = _RUN_NAMES.get(base, "")
    return "" if kind == "gitlab" and parent else kind


_RUN_NAMES = dict(_RUN_TOP)
# lint-staged's JSON/YAML configuration files: the commands it runs at each commit, on the
# host (it takes the one nearest each staged file: a package's own too)
_LINTSTAGED_RCS = frozenset(
    (".lintstagedrc", ".lintstagedrc.json", ".lintstagedrc.yaml", ".lintstagedrc.yml")
)
_RUN_SUFFIXES = (".yml", ".yaml", ".json", "sfile")  # (`Jenkinsfile`)


def _run_by_path(ws: Workspace, seen: dict[str, tuple[str, int, int, int]]) -> list[str]:
    """Workspace-relative paths (lower-cased) of the scripts the configurations above run by
    path (see the comment above), at the top and wherever the git index tracks one, and of
    the task files a runner reads by name when a configuration runs it (`npm test`: the
    package.json there and the scripts its `scripts` run by path; `make check`: the Makefile
    and its recipes' scripts; tox, nox, just, task; followed from task file to task file).
    At most 32 files of 256 KB read, GitLab's local includes among them, 1,024 queued from
    one listing (tracked below the top, a folder, a workspace glob); a file queued past the bound is protected itself and scanned for the
    names it holds (2 MB in all), past that its folder (fail closed: what it would run is not
    known); 2,048 paths kept as they are, the rest as their folders (:func:`_kept`)."""
    root = ws.root
    queue: collections.deque[tuple[str, str]] = collections.deque(
        (os.path.join(root, n), k) for n, k in _RUN_TOP
    )
    queue += [(os.path.join(root, n), "buildkite") for n in _MANIFESTS["buildkite"][3:]]
    queue += [(os.path.join(root, n), k) for n, k in _RUN_PLACES]
    with contextlib.suppress(OSError):  # `.devcontainer/<name>/devcontainer.json`
        devc = os.path.join(root, ".devcontainer")
        for entry in sorted(os.listdir(devc))[:_QUEUED]:
            queue.append((os.path.join(devc, entry, "devcontainer.json"), "devc"))
    for folder, kind in _RUN_FOLDERS:
        d = os.path.join(root, folder)
        _watch(seen, d, root)  # a file added there (or the folder made) refreshes the list
        with contextlib.suppress(OSError):
            # (more than are read: those past the bound are scanned for the names they hold;
            # past `_QUEUED`, the folder is left to the protected list: `files.protected`)
            for entry in sorted(os.listdir(d))[:_QUEUED]:
                if kind == "husky" or entry.lower().endswith(
                    (".md",) if kind == "slash" else (".yml", ".yaml", ".json")
                ):
                    queue.append((os.path.join(d, entry), kind))
    tracked = 0
    for name in git_index(root) or ():
        # (cheap tests first: a large index is walked again whenever it changes)
        if "/" not in name or not (
            name[-5:].lower().endswith(_RUN_SUFFIXES)
            or "husky/" in name
            or "hooks/" in name
            or name.endswith("/.lintstagedrc")
        ):
            continue
        kind = _run_kind(name)
        if kind:
            queue.append((os.path.join(root, name), kind))
            tracked += 1
            if tracked >= _QUEUED:
                break
    found: list[str] = []
    read: set[tuple[str, str]] = set()
    run_in: dict[str, list[str]] = {}  # a task file → the folders its runner runs in
    # what the variables of the CI files read so far may hold (`ci_values`): CI files are read
    # before the task files and scripts they run, so `env: {S: ci/x}` reaches a Makefile's
    # `$(S)` and a script's `$S`; a CI file's own commands take its own values
    shared: dict[str, list[str]] = {}
    opened = 0
    scanned = 0  # bytes of files past the bound scanned for the names they hold
    # CPU time of this thread, not wall time: a loaded host (or a busy server's other
    # threads) must not change what is protected (stop 46: under load the same repository
    # lost every protected script)
    deadline = time.thread_time() + _RUN_SECONDS
    while queue and len(found) < 2 * _RUN_PATHS:  # (duplicates among them: kept unique below)
        path, kind = queue.popleft()
        real = realpath(path)
        # (a package.json is read for its git hooks and, where a runner reads it, for its
        # scripts: once as each; an environment file compose also fills `${VAR}` in from,
        # as one and as a list of names: forty-third pass)
        key = (real, kind if kind in ("pkghooks", "namelist", "workflowcall") else "")
        if key in read or os.path.isdir(real):
            continue
        read.add(key)
        if not os.path.lexists(real):
            # absent: adding it (or its folder) changes the nearest folder there is above it
            _watch(seen, os.path.dirname(real), root)
            continue
        seen.setdefault(real, _stamp(real))
        if not ws.contains(real):
            continue
        if opened >= _RUN_FILES or time.thread_time() > deadline:
            # past the bound (files, or 2 s of reading in all): what this configuration runs
            # is not read as commands, so the file itself is protected (its name is known),
            # and every workspace file a word of its first `_SCANNED_BYTES` names, from the top
            # or its folder (stop 46: the scripts an unread file ran were writable; one linear
            # pass, no shell reading); the task files and scripts so named are scanned in turn
            # (stop 47: a chain of Makefiles past the bound stopped at the first unread one).
            # Past `_SCANNED_ALL` bytes, or a file longer than what was scanned: its folder
            # (fail closed: what it runs is not known).
            found += _script_candidates(ws, [path])
            with contextlib.suppress(OSError), open_regular(real) as fh:
                room = max(0, min(_SCANNED_BYTES, _SCANNED_ALL - scanned))
                head = fh.read(room + 1)
                scanned += len(head)
                if len(head) > room:
                    found.append(_folder_of(ws, path))
                    head = head[:room]
                named: list[str] = []
                found += _named_files(
                    ws, [(head.decode("utf-8", "replace"), "")], {}, root,
                    [os.path.dirname(path), root], named,
                )  # fmt: skip
                queue.extend(_scannable(ws, named))
            continue
        try:
            with open_regular(real) as fh:
                text = fh.read(CONFIG_LIMIT).decode("utf-8", "replace")
        except OSError:
            continue
        opened += 1
        here = os.path.dirname(path)
        # a configuration of a sub-project names its scripts from the top or from its folder
        bases = [root]
        owner = here
        if kind in ("workflow", "workflowcall"):
            owner = os.path.dirname(os.path.dirname(here))
        elif kind == "shscript":
            owner = here  # (its own folder, besides the folders it is run from: below)
        elif kind == "husky":
            owner = os.path.dirname(here)
            if owner.endswith("/.buildkite"):
                owner = os.path.dirname(owner)  # Buildkite runs them from the checkout
        elif kind in ("circleci", "woodpecker", "buildkite") and os.path.basename(here) in (
            ".circleci",
            ".woodpecker",
            ".buildkite",
            "buildkite",
        ):
            owner = os.path.dirname(here)  # steps run in the checkout, not the folder
        if (kind in _MANIFESTS or kind == "namelist") and kind != "buildkite":
            # a task file's commands run in its own folder (an included Taskfile's, in the
            # including one's unless it sets `dir:`: the top is read too)
            # (make runs an included or `-f` file's recipes where make runs, just an
            # imported file's where the root justfile is: the top is read for them too)
            bases = (
                [here, root]
                if (
                    kind in ("task", "make", "just", "namelist", "docker", "compose")
                    or kind in TEXT_COMMANDS
                )
                and here != root
                else [here]
            )
            # where the runner that reads it runs (`make -f build/ci.mk` from the top; an
            # included Makefile's recipes where the including one's run)
            bases += [b for b in run_in.get(os.path.normpath(path), ()) if b not in bases]
        elif owner != root and ws.contains(owner):
            bases.append(owner)
        if kind == "shscript":
            bases += [b for b in run_in.get(os.path.normpath(path), ()) if b not in bases]
        configs: list[tuple[str, str]] = []
        values: dict[str, list[str]] = {}  # a CI file's own (a task file's: the CI files')
        if kind in ("husky", "shscript"):
            commands = [(text, "")]
            direct: list[str] = []
            actions: list[str] = []
        elif kind == "jenkins":
            commands = [(c, "") for c in _jenkins_steps(text)]
            # Groovy's own values: `def s = 'ci/x'`, `environment { S = 'ci/x' }`,
            # `withEnv(['S=ci/x'])` (forty-fourth pass)
            ci_values.collect_groovy(values, text)
            direct, actions = [], []
        elif kind in _TASK_TEXTS:
            commands, configs = manifest_commands(text, kind, os.path.basename(path))
            direct, actions = [], []
        elif kind == "pkgrc":
            commands = [(c, "") for c in pkgrc_commands(text, os.path.basename(path))]
            direct, actions = [], []
        elif kind == "lintstaged":
            commands = [(c, "") for c in lintstaged_commands(text)]
            direct, actions = [], []
        elif kind == "agenttext":
            commands = [(c, "") for c in text_commands(text)]
            direct, actions = [], []
        elif kind == "slash":
            commands = [(m.group(1), "") for m in _SLASH_BANG.finditer(text[:CONFIG_LIMIT])]
            direct, actions = [], []
        elif kind == "memory":
            # an instruction file's imports are instructions too (a persistent prompt
            # injection through an imported file), protected and followed (Claude Code
            # follows five hops; a bounded queue here)
            commands, direct, actions = [], [], []
            for m in itertools.islice(_MEMORY_IMPORT.finditer(text[:CONFIG_LIMIT]), 64):
                # (from the importing file's folder; from the top too: fail closed)
                for base in dict.fromkeys((here, root)):
                    target = os.path.normpath(os.path.join(base, m.group(1)))
                    if ws.contains(target) and not os.path.isdir(target):
                        found += _script_candidates(ws, [target])
                        if target.endswith(".md"):
                            queue.append((target, "memory"))
        elif kind == "pkghooks":
            commands = [(c, "") for c in package_hooks(text)]
            direct, actions = [], []
            if commands:
                # the file that says what the hooks run is their configuration: protected
                # (as `.lintstagedrc` and `lefthook.yml` are)
                found += _script_candidates(ws, [path])
        else:
            budget = max(0.05, min(1.0, deadline - time.thread_time()))
            commands, direct, actions, configs = _run_commands(text, kind, budget, values)
            ci_values.merge(shared, values)
        if kind == "gitlab":
            for inc in _ci_local_includes(text):
                rel = os.path.normpath(inc.strip().lstrip("/"))
                if rel and not rel.startswith("..") and not _CI_WILD.search(rel):
                    queue.append((os.path.join(root, rel), "gitlab"))
        for uses in actions:  # `uses: ./tools/act`: that action's own files
            target = os.path.normpath(os.path.join(root, uses.partition("@")[0]))
            if target.endswith((".yml", ".yaml")):
                # a reusable workflow of the repository: read again after its caller, with
                # the caller's `with:` values (forty-fourth pass)
                queue.append((target, "workflowcall"))
                continue
            for name in ("action.yml", "action.yaml"):
                queue.append((os.path.join(target, name), "action"))
        for value in direct:  # an action's image/main/pre/post, from its folder
            if not UNFIXED.search(value):
                found += _script_candidates(ws, [os.path.join(here, value)])
        for value, what in configs:
            # files a configuration names as more configuration (a Travis import, a
            # continuation's path, a Makefile's include, a Taskfile's includes) or as a
            # folder that runs (a Buildkite plugin of the repository)
            homes = [root] if kind in ("travis", "circleci", "buildkite", "gitlab") else [here]
            if kind == "make" and what in ("make", "namelist"):
                # make takes an include's path from where make runs, not from the including
                # file's folder (`make -f mk/ci.mk` with `include mk/rules.mk` read
                # mk/rules.mk from the top; thirty-ninth pass): both
                homes = list(dict.fromkeys([here, *bases]))[:8]
            for base in homes:
                target = os.path.normpath(os.path.join(base, value.lstrip("/")))
                if UNFIXED.search(value):
                    # `include $(wildcard mk/*.mk)`: every name the pattern stands for, now and
                    # later, and the files it matches now read; a variable: not known (open)
                    if "$" in value or "`" in value or not ws.contains(target.replace("*", "x")):
                        continue
                    found.append(GLOB_MARK + ws.rel(target).lower())
                    matches = sorted(glob.glob(glob.escape(base) + "/" + value.lstrip("/")))
                    for match in matches[:_QUEUED]:
                        run_in.setdefault(os.path.normpath(match), list(bases))
                        found += _manifest_files(ws, match, what, queue)
                    continue
                if what == "dir":
                    if ws.contains(target) and target != root:
                        found.append(ws.rel(target).lower())
                    continue
                if what == kind or what == "namelist":
                    # an include (a file `$(file <F)` reads): run where the including file runs
                    run_in.setdefault(target, list(bases))
                found += _manifest_files(ws, target, what, queue)
        libdirs: dict[str, list[str]] = {}
        loads: dict[str, list[str]] = {}
        # a copy made by one step and run by a later one (the steps of a job share a runner;
        # kept for the whole file, which only protects more; forty-fourth pass)
        copies: dict[str, tuple[str, str]] = {}
        if kind in _TASK_TEXTS or kind in ("shscript", "husky", "action", "workflowcall"):
            # (a composite action and a reusable workflow take their callers' `with:`)
            values = ci_values.merged(shared, values)
        ci_values.collect_assignments(values, (c for c, _ in commands))
        unique = list(dict.fromkeys(commands))
        done: set[tuple[str, str]] = set()
        for at_command, (line, cwd) in enumerate(unique):
            for command in dict.fromkeys((line, *ci_values.readings(line, values))):
                if len(found) >= 2 * _RUN_PATHS:
                    break
                if time.thread_time() > deadline:
                    # past the 2 s (a Makefile's expansions may make many lines:
                    # thirty-eighth pass, 20,000 distinct recipe lines took 3 s): the rest
                    # is not read as shell, but every word of it, or of a value it may use,
                    # that names a workspace file now is protected (fail closed, in linear
                    # time; stop 46: it used to be left out, and under a wall-clock bound a
                    # loaded host left out more). The readings with values put in are made
                    # line by line, within the bound: made for every line first, 3,600
                    # `for` loops took 3 s before the first was read.
                    found += _named_files(ws, unique[at_command:], values, root, bases)
                    break
                if (command, cwd) in done:
                    continue
                done.add((command, cwd))
                for word in scripts_in(command, copies=copies, step_dir=cwd):
                    if word.startswith(MANIFEST_MARK):
                        runner, _, at = word[len(MANIFEST_MARK) :].partition("@@")
                        if runner == "glob":
                            # a script name the reader could not expand: every name it may be
                            for cand in _word_paths(at[2:], root, here, bases, cwd):
                                cand = os.path.normpath(cand)
                                if ws.contains(cand.replace("*", "x")) and "*" in cand:
                                    found.append(GLOB_MARK + ws.rel(cand).lower())
                            continue
                        if runner.startswith(("libdir-", "loadmod-", "pymodname", "pytestcfg")):
                            _module_markers(ws, runner, at, _word_paths, (root, here, bases, cwd),
                                            libdirs, loads, found)  # fmt: skip
                            continue
                        for cand in _word_paths(at[2:], root, here, bases, cwd):
                            if at[:2] == "f:":  # (`make -f x.mk`: run from the step's folder)
                                dirs = [os.path.normpath(os.path.join(b, cwd)) for b in bases]
                                run_in.setdefault(os.path.normpath(cand), dirs)
                            found += _manifest_files(ws, cand, runner, queue, at[:2] == "d:")
                        continue
                    if UNFIXED.search(word):
                        # a variable or an expression before a fixed file name (`$DIR/build.sh`,
                        # `${{ inputs.tools }}/x.py`): that name in every folder (fail closed);
                        # a name that is itself not fixed (`./$TOOL`, `*.sh`) is not taken
                        pattern = _unfixed_name(word)
                        word = _unfixed_folder(word)
                        if pattern:
                            # `bash ci/$s.sh` in a loop, `ci/$(X).sh` (thirty-ninth pass): every
                            # script the name may be
                            for cand in _word_paths(pattern, root, here, bases, cwd):
                                cand = os.path.normpath(cand)
                                if ws.contains(cand.replace("*", "x")):
                                    found.append(GLOB_MARK + ws.rel(cand).lower())
                        if not word:
                            continue
                    paths = _word_paths(word, root, here, bases, cwd)
                    found += _script_candidates(ws, paths)
                    for cand in paths[:4]:
                        if _shell_script(ws, cand):
                            # a shell script CI runs: what it runs by path is run by CI too,
                            # from the step's folder (or its own, after a `cd`): read as a hook
                            # file is (forty-fourth pass)
                            folders = [os.path.normpath(os.path.join(b, cwd)) for b in bases]
                            run_in.setdefault(os.path.normpath(cand), folders)
                            queue.append((cand, "shscript"))
            else:
                continue
            break  # (the bound on paths or on time: nothing more of this file is read)
        found += _loaded_modules(ws, libdirs, loads)
    # left in the queue at the bound on paths: each file and its folder (fail closed)
    for path, _kind in itertools.islice(queue, _QUEUED):
        if ws.contains(path) and os.path.lexists(path):
            found += [*_script_candidates(ws, [path]), _folder_of(ws, path)]
    if len(queue) > _QUEUED:
        found.append(GLOB_MARK + "*")
    return _kept(found)


def _folder_of(ws: Workspace, path: str) -> str:
    """The protected entry for the folder of the workspace file ``path`` (at the top: every
    path, a pattern)."""
    folder = os.path.dirname(os.path.normpath(path))
    return ws.rel(folder).lower() if folder != ws.root else GLOB_MARK + "*"


def _kept(
    found: list[str], paths: int = _RUN_PATHS, kept_folders: int = _RUN_FOLDERS_KEPT
) -> list[str]:
    """``found`` without repeats, at most ``paths`` of it as it is and the rest as the
    folders it is in: at most ``kept_folders`` of them, else their top-level folders, else
    every path (fail closed; stop 47: past 256 paths the rest were left out)."""
    unique = list(dict.fromkeys(found))
    if len(unique) <= paths:
        return unique
    rest = unique[paths:]
    for depth in (0, 1):
        folders: dict[str, None] = {}
        for entry in rest:
            low = entry.removeprefix(GLOB_MARK)
            if entry.startswith(GLOB_MARK):
                low = _CI_WILD.split(low, 1)[0].rpartition("/")[0]  # (its fixed folder)
            if "/" in low:  # (a file at the top stands for itself)
                low = low.partition("/")[0] if depth else low.rpartition("/")[0]
            folders[low if low else GLOB_MARK + "*"] = None
        if len(folders) <= kept_folders:
            return unique[:paths] + list(folders)
    return [*unique[:paths], GLOB_MARK + "*"]


# a word that may name a file: a path or a name with an extension (`ci/x.sh`, `run.py`),
# taken whole and tested for a `/` or `.` after (stop 47: `[…]*[/.][…]*` backtracked over
# every start of a long word, quadratic: 64 KB of letters took 90 s)
_FILE_WORD = lazy_compile(r"[\w.~/@+%-]+")


def _named_files(
    ws: Workspace,
    commands: list[tuple[str, str]],
    values: dict[str, list[str]],
    root: str,
    bases: list[str],
    named: list[str] | None = None,
) -> list[str]:
    """Every workspace path a word of ``commands`` (command, folder) or of a known variable's
    value names, from the top, the configuration's bases or the command's folder, there or
    not yet (a script the agent would create is run as well): the over-approximation of what
    commands not read as shell run (at most 2 x the kept paths). ``named`` collects the
    absolute paths tried (for :func:`_scannable`)."""
    out: list[str] = []
    tried: set[str] = set()
    texts = list(commands)
    texts += [(v, "") for known in values.values() for v in known]
    for text, cwd in texts:
        folders = dict.fromkeys([root, *bases, *(os.path.join(b, cwd) for b in bases)])
        for word in _FILE_WORD.findall(text):
            if not word.strip("./") or "//" in word or not ("/" in word or "." in word):
                continue
            for folder in folders:
                path = os.path.normpath(os.path.join(folder, word))
                if path in tried:
                    continue
                tried.add(path)
                out += _script_candidates(ws, [path])
                if named is not None:
                    named.append(path)
                if len(out) >= 2 * _RUN_PATHS:
                    return out
    return out


# a task file's name → its runner (what a scanned file names is scanned in turn)
_TASK_FILE_KIND = {n.lower(): k for k, names in _MANIFESTS.items() for n in names}


def _scannable(ws: Workspace, named: list[str]) -> list[tuple[str, str]]:
    """What of the workspace paths ``named`` (by a file past the bound) to scan in turn: a
    task file or shell script named, and the task files in a folder named (`$(MAKE) -C d`)."""
    out: list[tuple[str, str]] = []
    for path in named:
        base = os.path.basename(path).lower()
        if base in _TASK_FILE_KIND or _shell_script(ws, path):
            out.append((path, _TASK_FILE_KIND.get(base, "shscript")))
        elif os.path.isdir(path) and path != ws.root and ws.contains(path):
            with contextlib.suppress(OSError), os.scandir(path) as entries:
                for entry in itertools.islice(entries, _QUEUED):
                    kind = _TASK_FILE_KIND.get(entry.name.lower())
                    if kind:
                        out.append((entry.path, kind))
    return out


_SHEBANG = lazy_compile(rb"#!\s*(?:/usr)?/bin/(?:env\s+)?(?:ba|z|da|k|mk)?sh\b")


def _shell_script(ws: Workspace, path: str) -> bool:
    """Whether the workspace file ``path`` is a shell script (`.sh`, `.bash`, or a `#!` line
    naming a shell), read without waiting on what is not a regular file."""
    path = os.path.normpath(path)
    if "*" in path or not ws.contains(path) or path == ws.root:
        return False
    if path.endswith((".sh", ".bash")):
        return os.path.isfile(path)
    if "." in os.path.basename(path):
        return False
    try:
        with open_regular(path) as fh:
            return bool(_SHEBANG.match(fh.read(64)))
    except OSError:
        return False


def _module_markers(
    ws: Workspace,
    runner: str,
    at: str,
    word_paths: Callable[..., list[str]],
    where: tuple[str, str, list[str], str],
    libdirs: dict[str, list[str]],
    loads: dict[str, list[str]],
    found: list[str],
) -> None:
    """Collect a configuration's module folders and modules loaded by name (thirty-ninth
    pass); a pytest run's configuration file is read for both."""
    root, here, bases, cwd = where
    value = at[2:]
    if runner.startswith("libdir-"):
        if not UNFIXED.search(value.replace(ROOT_MARK, "")):
            libdirs.setdefault(runner[7:], []).extend(word_paths(value, root, here, bases, cwd))
    elif runner.startswith("loadmod-"):
        loads.setdefault(runner[8:], []).append(value)
    elif runner == "pymodname":
        loads.setdefault("pym", []).append(value)
    elif runner == "pytestcfg" and not UNFIXED.search(value):
        for cand in word_paths(value, root, here, bases, cwd)[:4]:
            # the file pytest takes names plugins (`addopts = -p ci_plugin`) and module
            # folders; the file itself stays writable, like conftest.py (docs/policy.md,
            # thirty-ninth pass)
            path, text = pytest_config(ws, os.path.normpath(cand), at[:2] == "d:")
            if path:
                plugins, folders = pytest_options(path, text)
                loads.setdefault("py", []).extend(plugins)
                base = os.path.dirname(path)
                libdirs.setdefault("py", []).extend(
                    [base, *(os.path.join(base, f) for f in folders if not UNFIXED.search(f))]
                )


def _loaded_modules(
    ws: Workspace, libdirs: dict[str, list[str]], loads: dict[str, list[str]]
) -> list[str]:
    """The files of the modules a configuration loads by name, in every folder of its
    search paths: each is code CI runs by name (a `python -m` module only where it is not
    there yet, as `pymod`: the project's own package is reviewed code)."""
    out: list[str] = []
    for lang, names in loads.items():
        folders = libdirs.get("py" if lang == "pym" else lang, [])
        for folder in list(dict.fromkeys(os.path.normpath(f) for f in folders))[:16]:
            for name in list(dict.fromkeys(names))[:16]:
                if lang == "pym":
                    target = os.path.join(folder, name)
                    out += [
                        ws.rel(c).lower()
                        for c in (target + ".py", target)
                        if ws.contains(c) and c != ws.root and not os.path.lexists(c)
                    ]
                else:
                    out += _script_candidates(
                        ws, [os.path.join(folder, f) for f in module_files(lang, name)]
                    )
    return out


def _unfixed_name(word: str) -> str:
    """A script word whose name a variable leaves unknown, as a pattern (`ci/$s.sh` is
    `ci/*.sh`) when a fixed part besides its suffix remains; "" otherwise."""
    if word.startswith((ROOT_MARK, ACTION_MARK)):
        word = word.split("@@", 2)[-1]
    pattern = re.sub(r"\*+", "*", VARIABLE.sub("*", word))
    if not pattern.endswith(SCRIPT_FILES) or "*" not in pattern.rpartition("/")[2]:
        return ""
    if re.search(r"[`~<>{?\[]", pattern) or len(pattern.replace("*", "")) < 5:
        return ""
    return pattern


def _unfixed_folder(word: str) -> str:
    """``word`` with its folder part that variables leave unknown read as "*" (any folder),
    when its last component is fixed; "" otherwise."""
    folder, slash, name = word.rpartition("/")
    if not slash or not name or UNFIXED.search(name) or name in (".", ".."):
        return ""
    folder = VARIABLE.sub("*", folder)
    if re.search(r"[$`~<>{?\[]", folder):
        return ""
    folder = re.sub(r"[^/]*\*[^/]*", "*", folder)  # a component a variable is in: any
    return folder + "/" + name


def _watch(seen: dict[str, tuple[str, int, int, int]], folder: str, root: str) -> None:
    """Stamp ``folder``, or the nearest folder above it there is (within ``root``): making
    or removing an entry changes that folder's stamp."""
    for _ in range(64):
        if os.path.lexists(folder) or folder == root or not folder.startswith(root + "/"):
            break
        folder = os.path.dirname(folder)
    seen.setdefault(folder, _stamp(folder))


def _word_paths(word: str, root: str, here: str, bases: list[str], cwd: str) -> list[str]:
    """The paths a script word of a configuration stands for."""
    if word.startswith(ROOT_MARK):
        return [root + "/" + word[len(ROOT_MARK) :]]
    if word.startswith(ACTION_MARK):
        return [here + "/" + word[len(ACTION_MARK) :]]
    return [os.path.join(b, cwd, word) for b in bases]


def _manifest_files(
    ws: Workspace,
    target: str,
    kind: str,
    queue: collections.deque[tuple[str, str]],
    is_dir: bool = False,
) -> list[str]:
    """The task files of ``kind`` that ``target`` (a folder: every name the runner looks for
    there; a file: that file) stands for, queued to be read when their commands are read;
    their protected spellings (a folder the runner reads whole: the folder)."""
    target = os.path.normpath(target)
    if kind == "pathdir":
        # a folder put on PATH: every file in it may run by a bare name (not the top, not
        # what a package manager installs, not a pattern)
        if "*" in target or target == ws.root or not ws.contains(target):
            return []
        rel = ws.rel(target).lower()
        return [] if _INSTALLED.intersection(rel.split("/")) else [rel]
    if kind == "pymod":
        # only a module that is not there yet (the project's own is reviewed code)
        return [
            ws.rel(c).lower()
            for c in (target + ".py", target)
            if "*" not in c and ws.contains(c) and c != ws.root and not os.path.lexists(c)
        ]
    if kind == "tox" and "*" not in target and (is_dir or os.path.isdir(target)):
        # tox walks up from its folder and takes the first file, in _MANIFESTS's order,
        # that holds its configuration: every file up to that one (one added would be taken
        # first), and that one
        names = []
        folder = target
        for _ in range(16):
            taken = False
            for n in _MANIFESTS["tox"]:
                names.append(os.path.join(folder, n))
                if holds_tox(names[-1]):
                    taken = True
                    break
            if taken:
                break
            if folder == ws.root or not ws.contains(os.path.dirname(folder)):
                break
            folder = os.path.dirname(folder)
    elif is_dir or os.path.isdir(target):
        names = [os.path.join(target, n) for n in _MANIFESTS.get(kind, ())]
        if kind in _SEARCH_UP and "*" not in target:
            # the runner takes the nearest folder above that has one (`npm test` in `web/src`
            # reads `web/package.json`): every folder up to that one, its names present or not
            folder = target
            for _ in range(16):
                if any(os.path.lexists(n) for n in names[-len(_MANIFESTS[kind]) :]):
                    break
                if folder == ws.root or not ws.contains(os.path.dirname(folder)):
                    break
                folder = os.path.dirname(folder)
                names += [os.path.join(folder, n) for n in _MANIFESTS[kind]]
    else:
        names = [target]
        if kind == "cargo":
            names.append(os.path.join(os.path.dirname(target), "build.rs"))
    if kind == "bazel" and "*" not in target and (is_dir or os.path.isdir(target)):
        # a package's plain `BUILD` file (genrules' `cmd`s run in CI's `bazel build //...`):
        # the ones the index tracks below the folder, spelled exactly so (a pattern would
        # take every `build/` folder, as protection compares lower-cased; forty-fifth pass)
        names += _tracked_named(ws, target, "BUILD")
    out: list[str] = []
    for n in names:
        if kind in _READ_KINDS:
            queue.append((n, kind))
            if "*" in n:
                # a folder left unknown (`make -C "$DIR"`, a compose service's
                # `working_dir:`): the task files there are now, one or two folders down,
                # read too (forty-first pass: protected by pattern, the scripts they named
                # were not)
                queue += [(m, kind) for m in _pattern_files(ws, n)]
        if os.path.isdir(n) and ws.contains(n) and n != ws.root:
            out.append(ws.rel(n).lower())  # `buildSrc/`, `magefiles/`
    if kind == "cargo":
        names = [n for n in names if os.path.basename(n) != "Cargo.toml"]
    if kind == "pybuild":
        # (read for its in-tree backend, not protected: every dependency change edits it)
        names = [n for n in names if os.path.basename(n) != "pyproject.toml"]
    return out + _script_candidates(ws, names)


def _tracked_named(ws: Workspace, folder: str, base: str, limit: int = 256) -> list[str]:
    """The files the git index tracks below ``folder`` whose name is exactly ``base`` (case
    and all), as paths; at most ``limit``."""
    prefix = "" if folder == ws.root else ws.rel(folder).rstrip("/") + "/"
    out: list[str] = []
    for name in git_index(ws.root) or ():
        if name.startswith(prefix) and (name == base or name.endswith("/" + base)):
            out.append(os.path.join(ws.root, name))
            if len(out) >= limit:
                break
    return out


_PATTERN_FILES = 16  # files a task file's pattern stands for, read


def _pattern_files(ws: Workspace, pattern: str) -> list[str]:
    """The workspace files ``pattern`` (absolute, `*` for a folder) matches now, with each
    `*` also standing for two folders (`a/b`); at most _PATTERN_FILES, vendor folders
    left out."""
    root = ws.root
    if not pattern.startswith(root + "/"):
        return []
    rel = pattern[len(root) + 1 :]
    found: list[str] = []
    for form in dict.fromkeys((rel, rel.replace("*", "*/*", 1))):
        for match in glob.iglob(glob.escape(root) + "/" + form):
            if len(found) >= _PATTERN_FILES:
                return found
            if not _INSTALLED.intersection(match[len(root) + 1 :].split("/")):
                found.append(match)
    return found


# runners that look for their task file in the folders above too
_SEARCH_UP = frozenset(
    ("npm", "just", "compose", "task", "rake", "gulp", "grunt", "jake", "cargo", "gradle", "eslint",
     "prettier", "stylelint", "mocha", "babel", "commitlint", "lint-staged", "postcss")
)  # fmt: skip
# the kinds whose files are read for what they run (the others are protected whole, unread)
_READ_KINDS = frozenset(
    ("npm", "make", "tox", "nox", "just", "task", "buildkite", "cargo", "travis", "circleci",
     "docker", "namelist", "compose", "cmake", "meson", "composer", "pybuild", "envfile",
     *TEXT_COMMANDS, *PYPROJECT_TASKS)
)  # fmt: skip


_TASK_TEXTS = frozenset(
    ("npm", "make", "tox", "nox", "just", "cargo", "docker", "namelist", "compose", "cmake",
     "meson", "composer", "pybuild", "envfile", *TEXT_COMMANDS, *PYPROJECT_TASKS)
)  # fmt: skip


def _script_candidates(ws: Workspace, paths: list[str]) -> list[str]:
    """The workspace files (never the top or a directory) ``paths`` name, as written and
    as resolved."""
    out: list[str] = []
    for p in paths:
        target = os.path.normpath(p)
        if "/*/" in target + "/" or "*" in os.path.basename(target):
            # under a folder that is not fixed; a name by pattern (`*.csproj`)
            if ws.contains(target.replace("*", "x")):
                rel = ws.rel(target.replace("*", "\0")).replace("\0", "*").lower()
                out.append(GLOB_MARK + rel)
                out.append(GLOB_MARK + rel.replace("*/", "", 1))  # (`*` stands for none too)
            continue
        for candidate in dict.fromkeys((target, realpath(target))):
            if ws.contains(candidate) and candidate != ws.root and not os.path.isdir(candidate):
                rel = ws.rel(candidate).lower()
                # what a package manager installs (`./node_modules/.bin/jest`) is its own
                if not _INSTALLED.intersection(rel.split("/")) and rel not in out:
                    out.append(rel)
    return out


_JENKINS_SH = lazy_compile(
    r"""\b(?:sh|bat|pwsh|powershell)\s*\(?\s*(?:script\s*:\s*)?('{3}|"{3}|'|")"""
)
# (an unclosed `/*` runs to the end: no start is scanned twice)
_JSONC_TOKENS = lazy_compile(r'("(?:[^"\\]|\\.)*(?:"|\Z))|//[^\n]*|/\*.*?(?:\*/|\Z)', re.S)


def _jenkins_steps(text: str) -> list[str]:
    """A Jenkinsfile's `sh '…'`, `sh script: "…"`, `bat`, `powershell` step strings (at most
    256; a quote closes on its line, a triple quote where it closes: linear in the text)."""
    out: list[str] = []
    for m in _JENKINS_SH.finditer(text):
        quote, start = m.group(1), m.end()
        end = len(text) if len(quote) == 3 else (text.find("\n", start) % (len(text) + 1))
        close = text.find(quote, start, end)
        if close < 0:
            if len(quote) == 3:
                break  # unclosed to the end: nothing after it closes either
            continue
        out.append(text[start:close])
        if len(out) >= 256:
            break
    return out


def _jsonc(text: str) -> str:
    """JSON with comments and trailing commas (VS Code's, Claude Code's) as plain JSON."""
    text = _JSONC_TOKENS.sub(lambda m: m.group(1) or "", text)
    return re.sub(r",(\s*[}\]])", r"\1", text)


def _run_commands(
    text: str, kind: str, seconds: float = 1.0, values: dict[str, list[str]] | None = None
) -> tuple[list[tuple[str, str]], list[str], list[str], list[tuple[str, str]]]:
    """(command, working directory) pairs a CI/hook configuration runs, the files an action's
    ``runs:`` names directly, the local actions (``uses: ./x``) its steps use, and the
    configuration files or runnable folders it names, as (path, kind or "dir")."""
    import shlex  # noqa: PLC0415

    import yaml  # noqa: PLC0415

    from enforcement_agent.bounded_yaml import Bounds, YAMLBoundsError, load  # noqa: PLC0415

    class _Loader(yaml.SafeLoader):
        """GitLab's own tags read as nothing."""

    _Loader.add_multi_constructor("!", lambda _loader, _suffix, _node: None)
    keys = _RUN_KEYS[kind]
    commands: list[tuple[str, str]] = []
    direct: list[str] = []
    actions: list[str] = []
    configs: list[tuple[str, str]] = []
    if text.lstrip().startswith("{"):
        text = _jsonc(text)  # (JSON is YAML, once its comments are gone)
    docs: list[object] = []
    # several documents (Drone and Woodpecker pipelines, `---` between them): each on its own
    parts = re.split(r"(?m)^---[ \t]*(?:#.*)?$", text)[:16]
    for part in parts if len(parts) > 1 else [text]:
        try:
            docs.append(load(part, _Loader, Bounds(max_nodes=50_000, max_seconds=seconds))[0])
        except (yaml.YAMLError, YAMLBoundsError):
            # not YAML: every line that looks like a command after its key or list dash
            for line in part.splitlines():
                line = re.sub(r"^\s*(?:-\s+)?(?:[\w.-]+\s*:\s*)?[|>]?[-+]?", "", line)
                line = re.sub(r"^\[(.*)\]\s*$", r"\1", line)  # a flow list: `[./x.sh]`
                commands.append((line, ""))
    doc: object = docs

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    github = kind in ("workflow", "action", "workflowcall")
    wd_keys = {
        "task": "dir", "circleci": "working_directory", "lefthook": "root",
        "azure": "workingDirectory", "vscode": "cwd",
    }  # fmt: skip
    wd_key = wd_keys.get(kind, "working-directory")
    # (node, working directory, default shell): GitHub's `defaults: run:` at the workflow or
    # the job sets both for the steps below it (a thirty-fourth red-team pass)
    stack: list[tuple[object, str, str]] = [(doc, "", "")]
    while stack:
        node, cwd, default_shell = stack.pop()
        if isinstance(node, list):
            # (in the document's order: a step's copy is read before a later step runs it)
            stack.extend((v, cwd, default_shell) for v in reversed(node))
            continue
        if not isinstance(node, dict):
            continue
        if kind == "precommit" and isinstance(node.get("repo"), str):
            if node["repo"] not in ("local", "meta"):
                continue  # another repository's hooks run from its own clone
        defaults = node.get("defaults")
        if github and isinstance(defaults, dict) and isinstance(defaults.get("run"), dict):
            run = defaults["run"]
            if isinstance(run.get("working-directory"), str):
                cwd = _working_directory(run["working-directory"])  # from the top
            if isinstance(run.get("shell"), str):
                default_shell = run["shell"]
        wd = node.get(wd_key)
        if kind == "vscode" and isinstance(node.get("options"), dict):
            wd = node["options"].get("cwd")  # a task's `options: {cwd: …}`
        if isinstance(wd, str) and github:
            cwd = _working_directory(wd)  # a step's own working directory replaces the default
        elif isinstance(wd, str) and not (kind == "circleci" and wd.startswith(("~", "/"))):
            # (CircleCI's `~/project` is where it checks the repository out: the top)
            wd = _working_directory(wd)
            cwd = wd if wd == "*" else os.path.join(cwd, wd) if cwd else wd
        shell = node.get("shell")
        if github and not isinstance(shell, str) and "run" in node:
            shell = default_shell or None
        for env_key in ("env", "environment", "variables"):
            env = node.get(env_key)
            if isinstance(env, dict):
                commands += [(c, cwd) for c in env_commands(env)]
        artifacts = node.get("artifacts") if kind == "gitlab" else None
        reports = artifacts.get("reports") if isinstance(artifacts, dict) else None
        dotenv = reports.get("dotenv") if isinstance(reports, dict) else None
        for value in (dotenv if isinstance(dotenv, list) else [dotenv])[:16]:
            if isinstance(value, str):
                # GitLab's `artifacts: reports: dotenv:` are the variables of later jobs
                # (`BASH_ENV` …): an environment file (forty-third pass)
                configs.append((value, "envfile"))
        if isinstance(shell, str) and (github or kind == "circleci") and shell.split():
            # a custom shell is a command of its own, given the step's script as `{0}`
            # (`shell: bash ./ci/wrap.sh {0}`, `shell: ./ci/sh {0}`; CircleCI's `shell:`)
            # (the step's directory is the shell's; the top too, for a path given from it)
            commands += [(shell.replace("{0}", " "), cwd), (shell.replace("{0}", " "), "")]
        if (
            isinstance(shell, str)
            and shell.split()[:1]
            and (os.path.basename(shell.split()[0]).startswith(_OTHER_SHELLS))
        ):
            keys_here: tuple[str, ...] = ()  # `shell: python`: the step is not a shell script
            body = node.get("run")
            if isinstance(body, str):
                # ... but code that hands a shell a command line or loads a file by name
                # (`subprocess.run(['bash', 'ci/x'])`, `exec(open('ci/x.py').read())`,
                # `require('./ci/x.js')`): those read, line by line (forty-sixth pass); a
                # file it only opens stays writable (`print(open("data/in.txt").read())`)
                prog = os.path.basename(shell.split()[0])
                for line in body.splitlines()[:1000]:
                    commands += [(c, cwd) for c in code_lines(line)]
                    commands += [(f"{prog} {shlex.quote(p)}", cwd) for p in code_loads(line)]
        else:
            keys_here = keys
        if kind == "vscode" and "command" in node:
            # an editor task runs when someone runs it; one that runs on folder open runs
            # unasked (`runOptions: {runOn: folderOpen}`)
            run_options = node.get("runOptions")
            if not (isinstance(run_options, dict) and run_options.get("runOn") == "folderOpen"):
                keys_here = ()
        args = node.get("args") if kind == "precommit" else None
        if values is not None:
            # every literal a key holds may be a variable's value (`env:`, `variables:`, a
            # matrix entry, an input's default): `ci_values` (forty-fourth pass)
            ci_values.collect_node(values, node)
        for key, value in node.items():
            if key is True and values is not None and isinstance(value, dict):
                # (YAML reads a workflow's `on:` as true: its inputs' defaults are values)
                stack.append((value, cwd, default_shell))
            if not isinstance(key, str):
                continue
            if key in keys_here or (kind == "cirrus" and key.endswith("_script")):
                found = strings(value)
                if kind == "devc":
                    # a string is a shell line; an array is one command's argv; an object
                    # names commands run in parallel (each a string or an array)
                    found = [
                        " ".join(map(shlex.quote, map(str, v))) if isinstance(v, list) else v
                        for v in (value.values() if isinstance(value, dict) else [value])
                        if isinstance(v, (str, list))
                    ]
                elif kind in ("agent", "vscode") and isinstance(value, list):
                    found = [" ".join(shlex.quote(str(a)) for a in value)]  # (opencode: argv)
                elif kind in ("agent", "vscode") and isinstance(value, str):
                    # an MCP server's or a task's `command` with its `args`
                    extra = node.get("args")
                    if isinstance(extra, list):
                        found = [" ".join([value, *(shlex.quote(str(a)) for a in extra)])]
                if isinstance(args, list) and isinstance(value, str):
                    # pre-commit runs `entry` with `args` after it (`entry: python`, `args:
                    # [tools/x.py]`)
                    found = [" ".join([value, *(shlex.quote(str(a)) for a in args)])]
                commands += [(s, cwd) for s in found]
                if isinstance(value, (dict, list)):
                    # CircleCI's `run: {command:}`, a Taskfile's `cmds: [{cmd:}]`
                    stack.append((value, cwd, default_shell))
            elif key == "uses" and isinstance(value, str) and value.startswith("./"):
                actions.append(value)
            elif github and key == "with" and isinstance(value, dict):
                # an action's inputs that it runs (forty-fourth pass): `command:`/`run:` of
                # the retry and docker-run actions, `docker://IMAGE`'s `entrypoint` and
                # `args`, github-script's `script:` (JavaScript that may `require('./x')`)
                uses = node.get("uses") if isinstance(node.get("uses"), str) else ""
                inputs = {k: v for k, v in value.items() if isinstance(v, str)}
                if values is not None:
                    ci_values.collect_node(values, value)  # (a called workflow's inputs)
                for input_name, input_value in inputs.items():
                    if input_name in _ACTION_COMMAND_INPUTS:
                        commands.append((input_value, cwd))
                if "github-script" in str(uses) and "script" in inputs:
                    commands.append(("node -e " + shlex.quote(inputs["script"]), cwd))
                    for line in inputs["script"].splitlines()[:1000]:
                        # (line by line too: a command reads one line; forty-sixth pass,
                        # `execSync('sh ci/x')` on a script's second line went unread)
                        if line.strip():
                            commands.append(("node -e " + shlex.quote(line), cwd))
                if str(uses).startswith("docker://"):
                    argv = [inputs.get("entrypoint", "sh"), inputs.get("args", "")]
                    commands.append((" ".join(argv), cwd))
            elif kind == "action" and key == "runs" and isinstance(value, dict):
                for field in ("main", "pre", "post", "image"):
                    v = value.get(field)
                    if isinstance(v, str) and "://" not in v:
                        direct.append(v)
                stack.append((value, cwd, default_shell))
            elif kind == "travis" and key == "import":
                for v in value if isinstance(value, list) else [value]:
                    src = v.get("source") if isinstance(v, dict) else v
                    if isinstance(src, str) and ":" not in src:  # `owner/repo:path`: another
                        configs.append((src.partition("@")[0], "travis"))
            elif kind == "circleci" and key in ("configuration_path", "config-path"):
                if isinstance(value, str):
                    configs.append((value, "circleci"))  # a continuation's configuration
                if isinstance(value, (dict, list)):
                    stack.append((value, cwd, default_shell))
            elif kind == "buildkite" and key == "plugins":
                # a plugin of the repository (`./.buildkite/plugins/x`): its hooks run
                for v in value if isinstance(value, list) else [value]:
                    names = list(v) if isinstance(v, dict) else [v]
                    for n in names:
                        if isinstance(n, str) and n.startswith("./"):
                            configs.append((n.partition("#")[0], "dir"))
            elif kind == "azure" and key in ("filePath", "scriptPath") and isinstance(value, str):
                direct.append(value)  # `task: Bash@3` / `PowerShell@2` with a script file
            elif kind == "cloudbuild" and key == "args" and isinstance(value, list):
                entry = node.get("entrypoint")
                argv = ([entry] if isinstance(entry, str) else []) + [str(a) for a in value]
                commands.append((" ".join(map(shlex.quote, argv)), cwd))
            elif kind == "cirrus" and key == "dockerfile" and isinstance(value, str):
                direct.append(value)  # the image a task builds from the repository
            elif kind == "devc" and key in ("build", "dockerComposeFile"):
                # a dev container's Dockerfile and compose files: read for what they run
                # (their `COPY` … `RUN`, services' commands; forty-fourth pass)
                if isinstance(value, dict) and isinstance(value.get("dockerfile"), str):
                    configs.append((value["dockerfile"], "docker"))
                for f in value if isinstance(value, list) else [value]:
                    if key == "dockerComposeFile" and isinstance(f, str):
                        configs.append((f, "compose"))
            elif kind == "task" and key == "includes" and isinstance(value, dict):
                for v in value.values():
                    inc = v.get("taskfile") if isinstance(v, dict) else v
                    if isinstance(inc, str):
                        configs.append((inc, "task"))
            elif isinstance(value, (dict, list)):
                stack.append((value, cwd, default_shell))
    return commands, direct, actions, configs


def _working_directory(value: str) -> str:
    """A configuration's working directory, from the top; "*" (any folder) when a variable
    or an expression is left in it (`${{ matrix.dir }}`): a script it runs by a relative
    path is then protected in every folder (fail closed)."""
    value = WORKSPACE_VARS.sub("", value).strip()
    if UNFIXED.search(value.replace("${{", "$")):
        return "*"
    return value.lstrip("/") or "."


# A repo_protected entry that is a pattern (fnmatch, lower-cased), not a path
GLOB_MARK = "\0glob:"


class _RepoMatcher(NamedTuple):
    exact: frozenset[str]  # the paths
    holders: frozenset[str]  # every folder above one of them
    patterns: tuple[str, ...]  # GLOB_MARK entries


@functools.lru_cache(maxsize=64)
def _repo_matcher(paths: tuple[str, ...]) -> _RepoMatcher:
    exact = frozenset(d for d in paths if not d.startswith(GLOB_MARK))
    holders = {d.rsplit("/", k)[0] for d in exact for k in range(1, d.count("/") + 1)}
    return _RepoMatcher(exact, frozenset(holders), tuple(d for d in paths if d not in exact))


def under_repo_protected(low: str, paths: Sequence[str], mode: str = "write") -> bool:
    """Whether the lower-cased workspace-relative ``low`` is (inside) one of
    :func:`repo_protected`'s ``paths`` or, for a change, a directory that holds one."""
    if isinstance(paths, tuple) and len(paths) > 8:
        # (as many lookups as ``low`` has components, not one test per path: the
        # thirty-fourth pass's task files make the list longer)
        m = _repo_matcher(paths)
        if low in m.exact or (mode != "read" and low and low in m.holders):
            return True
        head = low
        while "/" in head:
            head = head.rpartition("/")[0]
            if head in m.exact:
                return True
        paths = m.patterns
    for d in paths:
        if d.startswith(GLOB_MARK):
            pattern = d[len(GLOB_MARK) :]
            if fnmatch_linear.fnmatchcase(low, pattern):
                return True
            fixed = _CI_WILD.split(pattern, 1)[0]
            if mode != "read" and low and (fixed.startswith(low + "/")):
                return True
            continue
        if low == d or low.startswith(d + "/"):
            return True
        if mode != "read" and low and d.startswith(low + "/"):
            return True  # moving or removing a directory that holds it
    return False


# A name a CI file includes, read where its YAML does not load: a run of name characters up to
# the end of its last `.yml`/`.yaml` (what `[^…]+\.ya?ml\b` finds, which tried the rest of a
# run from each of its characters: 2.9 s for a 16 KB run in a malformed `.gitlab-ci.yml`, on the
# first decision in the workspace, stop 48).
_CI_RUN = lazy_compile(r"[^\s'\"\[\]{},:#]+")
_CI_YAML_END = lazy_compile(r"\.ya?ml\b", re.IGNORECASE)


def _ci_names(text: str) -> list[str]:
    r"""The names ending in `.yml`/`.yaml` in ``text``, as ``findall`` of
    ``[^\s'"\[\]{},:#]+\.ya?ml\b`` gives them, in linear time."""
    out: list[str] = []
    for run in _CI_RUN.finditer(text):
        token = run.group()
        end = -1
        for m in _CI_YAML_END.finditer(token, 1):  # (a name before the dot)
            end = m.end()
        if end > 0:
            out.append(token[:end])
    return out


def _ci_local_includes(text: str) -> list[str]:
    """The repository paths a GitLab CI file includes (not `project:`, `remote:`,
    `template:` or `component:` ones, nor a URL)."""
    import yaml  # noqa: PLC0415 - only for repositories with a GitLab CI file

    from enforcement_agent.bounded_yaml import Bounds, YAMLBoundsError, load  # noqa: PLC0415

    class _CILoader(yaml.SafeLoader):
        """GitLab's own tags (`!reference [...]`) read as nothing."""

    _CILoader.add_multi_constructor("!", lambda _loader, _suffix, _node: None)
    try:
        doc, _ = load(text, _CILoader, Bounds(max_nodes=50_000, max_seconds=1.0))
    except (yaml.YAMLError, YAMLBoundsError):
        return _ci_names(text)  # (no `:` in a name: never a URL)
    out: list[str] = []

    def include(value: object) -> None:
        if isinstance(value, str):
            if "://" not in value:
                out.append(value)
        elif isinstance(value, list):
            for item in value:
                include(item)
        elif isinstance(value, dict) and isinstance(value.get("local"), str):
            out.append(value["local"])

    stack: list[object] = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "include":
                    include(value)
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return out


def _config_values(
    ws: Workspace,
    path: str,
    out: list[str],
    seen: dict[str, tuple[str, int, int, int]],
    depth: int,
) -> None:
    """``core.hooksPath`` values of the git config file ``path`` (and of what it includes)."""
    real = path if depth == 0 else realpath(path)
    if real in seen or depth > 4 or len(seen) > 16:
        return
    seen[real] = _stamp(real)
    data = read_regular(real, CONFIG_LIMIT)
    if data is None:
        return
    for section, name, value in settings(data.decode("utf-8", "replace")):
        if section == "core" and name == "hookspath":
            out.append(value)
        elif section in ("include", "includeif") and name == "path" and value:
            if value.startswith("~/"):
                targets = [os.path.join(ws.root, value[2:])]  # the weak fallback's HOME
            elif value.startswith("/"):
                targets = [value]
            else:
                targets = [os.path.join(os.path.dirname(real), value)]
            targets = [os.path.normpath(t) for t in targets]
            targets += [
                ws.root + t[len(_SANDBOX_WORKSPACE) :]
                for t in targets
                if t == _SANDBOX_WORKSPACE or t.startswith(_SANDBOX_WORKSPACE + "/")
            ]
            for target in targets:
                _config_values(ws, target, out, seen, depth + 1)


def in_repo_protected(ws: Workspace, rels: tuple[str, ...], mode: str = "write") -> bool:
    """Whether a workspace-relative path is (inside) one of :func:`repo_protected`'s paths,
    or, for a change, a directory that holds one."""
    paths = repo_protected(ws)
    if not paths:
        return False
    # in every spelling the protected names are matched in (`docker-compose.yml ` is the
    # compose file where Windows and SMB drop trailing blanks; a thirty-first red-team pass)
    return any(under_repo_protected(rel.lower(), paths, mode) for rel in spellings(rels))
