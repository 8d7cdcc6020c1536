"""What a repository's own files make CI systems, task runners and tools run by name.

The readers of CI configurations (GitHub, GitLab, Azure, Jenkins, Buildkite …), task files
(Makefile, justfile, package.json scripts, tox, nox …), tool configurations that are code and
the loaders they name: :func:`repo_protected` lists what a workspace's own configuration runs,
so that the policy treats those files as protected (:func:`in_repo_protected`). Split out of
:mod:`enforcement_agent.policy.paths`, whose path resolution, trees, archives and git index it
uses.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import glob
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import NamedTuple

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy.git_config_text import settings
from enforcement_agent.policy.paths import (
    Workspace,
    git_index,
    realpath,
    spellings,
)
from enforcement_agent.policy.regular_reads import open_regular, read_regular

# ---- what the repository's own configuration makes run --------------------------------------
_HOOKS: OrderedDict[str, tuple[tuple[tuple[str, int, int, int], ...], tuple[str, ...]]] = (
    OrderedDict()
)
_HOOKS_LOCK = threading.Lock()
_CONFIG_LIMIT = 256 << 10


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
                data = fh.read(_CONFIG_LIMIT)
        except OSError:
            continue
        for value in _ci_local_includes(data.decode("utf-8", "replace")):
            rel = os.path.normpath(value.strip().lstrip("/"))
            if not rel or rel == "." or rel == ".." or rel.startswith("../"):
                continue
            if _CI_WILD.search(rel):
                # every name the pattern may stand for, now and later (`*` crossing `/`)
                found.append(GLOB_MARK + _VARIABLE.sub("*", rel).lower())
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
# (an unclosed string runs to the end, so no start is scanned twice: a thirty-fourth pass
# found `"` followed by 100,000 `\"` took minutes with a pattern that had to close)
_JSON_STRING = lazy_compile(r'"((?:[^"\\]|\\.)*)(?:"|\Z)', re.S)
_AZURE_TEMPLATE = lazy_compile(
    r"""^(?:[^\S\n]|-)*template\s*:\s*['"]?([^'"\s#@]+)(@[\w.-]+)?['"]?\s*(?:#.*)?$""", re.M
)
_JENKINS_LOAD = lazy_compile(r"""\bload\s*\(?\s*(?:['"]{1,3})([^'"$\s]+)['"]""")
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
                text = fh.read(_CONFIG_LIMIT).decode("utf-8", "replace")
        except OSError:
            continue
        base = os.path.dirname(path)
        names: list[str] = []
        if kind == "devc":
            for m in _DEVCONTAINER_KEYS.finditer(text):
                names += _JSON_STRING.findall(m.group(1))
        elif kind == "plugin":
            # a Claude Code plugin's hooks (commands run on its events) and MCP servers: the
            # default `hooks/hooks.json` beside `.claude-plugin/`, and the files it names
            base = os.path.dirname(base)
            names = ["hooks/hooks.json"]
            for m in _PLUGIN_KEYS.finditer(text):
                names += _JSON_STRING.findall(m.group(1))
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
_RUN_TRACKED = 24  # configurations the git index tracks below the top, read at most
_RUN_PATHS = 256  # script paths kept per workspace
_RUN_SECONDS = 2.0  # of reading them, in all (YAML parsing is bounded per file too)
_RUN_KEYS = {
    "workflow": ("run",),
    "action": ("run",),
    "gitlab": ("script", "before_script", "after_script"),
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
    "bazel": ("WORKSPACE", "WORKSPACE.bazel", "WORKSPACE.bzlmod", "MODULE.bazel", "BUILD",
              "BUILD.bazel", ".bazelrc"),
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
}  # fmt: skip
# a runner's options that name its directory (d) or its file (f)
_RUNNER_OPTIONS = {
    "npm": {"--prefix": "d", "-C": "d", "--cwd": "d", "--dir": "d", "-w": "w",
            "--workspace": "w", "--filter": "", "-F": ""},
    "make": {"-C": "d", "--directory": "d", "-f": "f", "--file": "f", "--makefile": "f",
             "-I": "", "--include-dir": "", "-o": "", "-W": "", "-j": "", "-l": ""},
    "tox": {"-c": "f", "--conf": "f", "--root": "d", "-e": "", "-p": "", "-x": ""},
    "nox": {"-f": "f", "--noxfile": "f", "-s": "", "-e": "", "-t": "", "-p": ""},
    "just": {"-f": "f", "--justfile": "f", "-d": "", "--working-directory": ""},
    "task": {"-t": "f", "--taskfile": "f", "-d": "d", "--dir": "d"},
    "rake": {"-f": "f", "--rakefile": "f", "-C": "d", "--directory": "d"},
    "gulp": {"-f": "f", "--gulpfile": "f", "--cwd": "d"},
    "grunt": {"--gruntfile": "f", "--base": "d"},
    "jake": {"-f": "f", "--jakefile": "f", "-C": "d", "--directory": "d"},
    "invoke": {"-c": "f", "--collection": "f", "-r": "d", "--search-root": "d"},
    "doit": {"-f": "f", "--file": "f", "-d": "d", "--dir": "d"},
    "earthly": {},
    "cargo-make": {"--makefile": "f", "--cwd": "d"},
    "mage": {"-d": "d", "-w": ""},
    "gradle": {"-b": "f", "--build-file": "f", "-c": "f", "--settings-file": "f",
               "-p": "d", "--project-dir": "d"},
    "maven": {"-f": "f", "--file": "f"},
    "cargo": {"--manifest-path": "f", "-C": "d"},
    "cmake": {"-S": "d", "-C": "f", "-P": "f", "-B": "", "--preset": "", "-G": "", "-D": "",
              "--build": "", "--target": "", "-t": "", "-j": "", "--config": ""},
    "meson": {"-C": "d", "--sourcedir": "d"},
    "scons": {"-f": "f", "--file": "f", "--sconstruct": "f", "-C": "d", "--directory": "d"},
    "bazel": {"--bazelrc": "f"},
    "ant": {"-f": "f", "-file": "f", "-buildfile": "f"},
    "sbt": {}, "mix": {}, "rebar": {}, "swift": {"--package-path": "d"}, "zig": {},
    "composer": {"-d": "d", "--working-dir": "d"},
    "deno": {"-c": "f", "--config": "f", "--cwd": "d"},
    "hatch": {}, "pdm": {"-p": "d", "--project": "d"},
    "cabal": {"--project-file": "f"}, "stack": {"--stack-yaml": "f"},
    "xmake": {"-P": "d", "--project": "d", "-F": "f", "--file": "f"},
    "premake": {"--file": "f"}, "lein": {}, "autotools": {"-I": ""},
    "msbuild": {}, "bundler": {"--gemfile": "f"}, "pybuild": {},
    "ninja": {"-C": "d", "-f": "f", "-j": "", "-k": "", "-l": "", "-d": "", "-t": "", "-w": ""},
    "snakemake": {"-s": "f", "--snakefile": "f", "-d": "d", "--directory": "d", "-j": "",
                  "--cores": "", "-c": ""},
    "fab": {"-f": "f", "--fabfile": "f", "-H": "", "--hosts": ""},
    "precommit": {"-c": "f", "--config": "f", "--hook-stage": "", "--files": ""},
    # (the code-configuration tools: their `--config`/`-c` file; unknown options are flags)
    **{t: {"-c": "f", "--config": "f", "--config-file": "f"} for t in (
        "eslint", "prettier", "stylelint", "jest", "vitest", "vite", "mocha", "ava", "karma",
        "playwright", "cypress", "webpack", "rollup", "babel", "commitlint", "lint-staged",
        "postcss", "tailwindcss", "next", "nuxt", "astro", "tsup", "svelte-kit",
    )},
}  # fmt: skip
# Tools that run another program by name: `uvx tox`, `uv run nox`, `npx …`, `poetry run make`
_JS_FILES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx")
_SCRIPT_FILES = (*_JS_FILES, ".py", ".sh", ".rb", ".pl")
_RUN_VIA = frozenset(("uvx", "npx", "bunx", "pnpx"))
_RUN_VIA_RUN = frozenset(
    ("uv", "poetry", "pdm", "hatch", "pipenv", "pipx", "rye", "pixi", "bundle", "bundler", "deno")
)
_MANIFEST_MARK = "@@gonogo-manifest@@"
_SHELLS = frozenset(
    "bash sh zsh dash ksh mksh ash fish python python2 python3 node nodejs ruby perl php "
    "pwsh powershell source . tsx ts-node Rscript "
    # (fortieth pass: more programs whose first operand is a program they run)
    "lua luajit julia tclsh wish expect m4 bc dc gnuplot octave guile escript elixir groovy "
    # (forty-first pass)
    "xonsh osascript java jshell".split()
)
_STOP_OPTIONS = frozenset(("-m", "-e", "-E", "--eval", "--command", "-Command", "-p", "--print"))
_ARG_OPTIONS = frozenset(("-o", "-O", "-W", "-X", "-r", "--require", "--rcfile", "--init-file"))
_PRELOADS = frozenset(("-r", "--require", "--import", "--loader", "--experimental-loader"))
_INSTALLED = frozenset(("node_modules", ".venv", "venv", "site-packages", ".tox", ".nox"))
_OTHER_SHELLS = ("python", "node", "perl", "ruby", "cmd", "deno", "bun")
# programs that run a program file named by an option (fortieth pass)
_PROGRAM_FILE_OPTIONS = {
    **{n: frozenset(("-f", "--file", "-E", "--exec")) for n in ("awk", "gawk", "mawk", "nawk")},
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
}
_FIND_RUNS = frozenset(("-exec", "-execdir", "-ok", "-okdir"))
_WRAPPERS = frozenset(
    "sudo env exec time nice nohup command builtin xvfb-run timeout ionice busybox toybox".split()
)
_WORKSPACE_VARS = lazy_compile(
    r"\$\{\{\s*github\.workspace\s*\}\}|\$\{?(?:GITHUB_WORKSPACE|CI_PROJECT_DIR|CLAUDE_PROJECT_DIR"
    r"|BUILDKITE_BUILD_CHECKOUT_PATH|CIRCLE_WORKING_DIRECTORY|TRAVIS_BUILD_DIR|CI_WORKSPACE"
    r"|DRONE_WORKSPACE|BITBUCKET_CLONE_DIR|CIRRUS_WORKING_DIR|CODEBUILD_SRC_DIR"
    r"|APPVEYOR_BUILD_FOLDER|SEMAPHORE_GIT_DIR)\b\}?"
    r"|\$\{(?:workspaceFolder|localWorkspaceFolder|containerWorkspaceFolder)\}"
    r"|\$\((?:Build\.SourcesDirectory|System\.DefaultWorkingDirectory)\)"
)
_ACTION_VARS = lazy_compile(r"\$\{\{\s*github\.action_path\s*\}\}|\$\{?GITHUB_ACTION_PATH\b\}?")
_ROOT_MARK, _ACTION_MARK = "@@gonogo-ws@@", "@@gonogo-action@@"
_UNFIXED = lazy_compile(r"[$`*?\[{~<>]")


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
    At most 32 files of 256 KB read, GitLab's local includes among them, 24 of them tracked
    below the top, and 256 paths kept; a file queued past the bound is protected itself,
    unread (fail closed: what it would run is not known)."""
    root = ws.root
    queue: list[tuple[str, str]] = [(os.path.join(root, n), k) for n, k in _RUN_TOP]
    queue += [(os.path.join(root, n), "buildkite") for n in _MANIFESTS["buildkite"][3:]]
    queue += [(os.path.join(root, n), k) for n, k in _RUN_PLACES]
    with contextlib.suppress(OSError):  # `.devcontainer/<name>/devcontainer.json`
        devc = os.path.join(root, ".devcontainer")
        for entry in sorted(os.listdir(devc))[:16]:
            queue.append((os.path.join(devc, entry, "devcontainer.json"), "devc"))
    for folder, kind in _RUN_FOLDERS:
        d = os.path.join(root, folder)
        _watch(seen, d, root)  # a file added there (or the folder made) refreshes the list
        with contextlib.suppress(OSError):
            for entry in sorted(os.listdir(d))[:_RUN_FILES]:
                if kind == "husky" or entry.lower().endswith((".yml", ".yaml", ".json")):
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
            if tracked >= _RUN_TRACKED:
                break
    found: list[str] = []
    read: set[tuple[str, bool]] = set()
    run_in: dict[str, list[str]] = {}  # a task file → the folders its runner runs in
    opened = 0
    deadline = time.monotonic() + _RUN_SECONDS
    while queue and len(found) < 2 * _RUN_PATHS:  # (duplicates among them: kept unique below)
        path, kind = queue.pop(0)
        real = realpath(path)
        # (a package.json is read for its git hooks and, where a runner reads it, for its
        # scripts: once as each)
        key = (real, kind == "pkghooks")
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
        if opened >= _RUN_FILES or time.monotonic() > deadline:
            # past the bound (files, or 2 s of reading in all): what this configuration runs
            # is not read, so the file itself is protected (its name is known); the scripts
            # it names are not (documented)
            found += _script_candidates(ws, [path])
            continue
        try:
            with open_regular(real) as fh:
                text = fh.read(_CONFIG_LIMIT).decode("utf-8", "replace")
        except OSError:
            continue
        opened += 1
        here = os.path.dirname(path)
        # a configuration of a sub-project names its scripts from the top or from its folder
        bases = [root]
        owner = here
        if kind == "workflow":
            owner = os.path.dirname(os.path.dirname(here))
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
                if kind in ("task", "make", "just", "namelist") and here != root
                else [here]
            )
            # where the runner that reads it runs (`make -f build/ci.mk` from the top; an
            # included Makefile's recipes where the including one's run)
            bases += [b for b in run_in.get(os.path.normpath(path), ()) if b not in bases]
        elif owner != root and ws.contains(owner):
            bases.append(owner)
        configs: list[tuple[str, str]] = []
        if kind == "husky":
            commands = [(text, "")]
            direct: list[str] = []
            actions: list[str] = []
        elif kind == "jenkins":
            commands = [(c, "") for c in _jenkins_steps(text)]
            direct, actions = [], []
        elif kind in _TASK_TEXTS:
            commands, configs = _manifest_commands(text, kind, os.path.basename(path))
            direct, actions = [], []
        elif kind == "pkgrc":
            commands = [(c, "") for c in _pkgrc_commands(text, os.path.basename(path))]
            direct, actions = [], []
        elif kind == "lintstaged":
            commands = [(c, "") for c in _lintstaged_commands(text)]
            direct, actions = [], []
        elif kind == "pkghooks":
            commands = [(c, "") for c in _package_hooks(text)]
            direct, actions = [], []
            if commands:
                # the file that says what the hooks run is their configuration: protected
                # (as `.lintstagedrc` and `lefthook.yml` are)
                found += _script_candidates(ws, [path])
        else:
            budget = max(0.05, min(1.0, deadline - time.monotonic()))
            commands, direct, actions, configs = _run_commands(text, kind, budget)
        if kind == "gitlab":
            for inc in _ci_local_includes(text):
                rel = os.path.normpath(inc.strip().lstrip("/"))
                if rel and not rel.startswith("..") and not _CI_WILD.search(rel):
                    queue.append((os.path.join(root, rel), "gitlab"))
        for uses in actions:  # `uses: ./tools/act`: that action's own files
            target = os.path.normpath(os.path.join(root, uses))
            for name in ("action.yml", "action.yaml"):
                queue.append((os.path.join(target, name), "action"))
        for value in direct:  # an action's image/main/pre/post, from its folder
            if not _UNFIXED.search(value):
                found += _script_candidates(ws, [os.path.join(here, value)])
        for value, what in configs:
            # files a configuration names as more configuration (a Travis import, a
            # continuation's path, a Makefile's include, a Taskfile's includes) or as a
            # folder that runs (a Buildkite plugin of the repository)
            homes = [root] if kind in ("travis", "circleci", "buildkite") else [here]
            if kind == "make" and what in ("make", "namelist"):
                # make takes an include's path from where make runs, not from the including
                # file's folder (`make -f mk/ci.mk` with `include mk/rules.mk` read
                # mk/rules.mk from the top; thirty-ninth pass): both
                homes = list(dict.fromkeys([here, *bases]))[:8]
            for base in homes:
                target = os.path.normpath(os.path.join(base, value.lstrip("/")))
                if _UNFIXED.search(value):
                    # `include $(wildcard mk/*.mk)`: every name the pattern stands for, now and
                    # later, and the files it matches now read; a variable: not known (open)
                    if "$" in value or "`" in value or not ws.contains(target.replace("*", "x")):
                        continue
                    found.append(GLOB_MARK + ws.rel(target).lower())
                    matches = sorted(glob.glob(glob.escape(base) + "/" + value.lstrip("/")))
                    for match in matches[:16]:
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
        for command, cwd in dict.fromkeys(commands):
            if len(found) >= 2 * _RUN_PATHS or time.monotonic() > deadline:
                # (past the 2 s: the rest of what it runs is not read, as for a file past
                # the bound; a Makefile's expansions may make many lines: thirty-eighth
                # pass, 20,000 distinct recipe lines took 3 s)
                break
            for word in _scripts_in(command):
                if word.startswith(_MANIFEST_MARK):
                    runner, _, at = word[len(_MANIFEST_MARK) :].partition("@@")
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
                if _UNFIXED.search(word):
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
                found += _script_candidates(ws, _word_paths(word, root, here, bases, cwd))
        found += _loaded_modules(ws, libdirs, loads)
    return list(dict.fromkeys(found))[:_RUN_PATHS]


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
        if not _UNFIXED.search(value.replace(_ROOT_MARK, "")):
            libdirs.setdefault(runner[7:], []).extend(word_paths(value, root, here, bases, cwd))
    elif runner.startswith("loadmod-"):
        loads.setdefault(runner[8:], []).append(value)
    elif runner == "pymodname":
        loads.setdefault("pym", []).append(value)
    elif runner == "pytestcfg" and not _UNFIXED.search(value):
        for cand in word_paths(value, root, here, bases, cwd)[:4]:
            # the file pytest takes names plugins (`addopts = -p ci_plugin`) and module
            # folders; the file itself stays writable, like conftest.py (docs/policy.md,
            # thirty-ninth pass)
            path, text = _pytest_config(ws, os.path.normpath(cand), at[:2] == "d:")
            if path:
                plugins, folders = _pytest_options(path, text)
                loads.setdefault("py", []).extend(plugins)
                base = os.path.dirname(path)
                libdirs.setdefault("py", []).extend(
                    [base, *(os.path.join(base, f) for f in folders if not _UNFIXED.search(f))]
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
                        ws, [os.path.join(folder, f) for f in _module_files(lang, name)]
                    )
    return out


# A variable, an expression or a substitution in a path (`${{ inputs.dir }}`, `${DIR}`,
# `$DIR`, `$(pwd)`, GitLab's `$[[ inputs.dir ]]`, a lone `$`): what stands there is not
# known, so it reads as "*" (one expression for the task files and the CI includes)
_VARIABLE = lazy_compile(r"\$\{\{[^}]*\}\}|\$\([^()]*\)|\$(?:\{[^}]*\}|\[\[.*?\]\]|\w+)|\$")


def _unfixed_name(word: str) -> str:
    """A script word whose name a variable leaves unknown, as a pattern (`ci/$s.sh` is
    `ci/*.sh`) when a fixed part besides its suffix remains; "" otherwise."""
    if word.startswith((_ROOT_MARK, _ACTION_MARK)):
        word = word.split("@@", 2)[-1]
    pattern = re.sub(r"\*+", "*", _VARIABLE.sub("*", word))
    if not pattern.endswith(_SCRIPT_FILES) or "*" not in pattern.rpartition("/")[2]:
        return ""
    if re.search(r"[`~<>{?\[]", pattern) or len(pattern.replace("*", "")) < 5:
        return ""
    return pattern


def _unfixed_folder(word: str) -> str:
    """``word`` with its folder part that variables leave unknown read as "*" (any folder),
    when its last component is fixed; "" otherwise."""
    folder, slash, name = word.rpartition("/")
    if not slash or not name or _UNFIXED.search(name) or name in (".", ".."):
        return ""
    folder = _VARIABLE.sub("*", folder)
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
    if word.startswith(_ROOT_MARK):
        return [root + "/" + word[len(_ROOT_MARK) :]]
    if word.startswith(_ACTION_MARK):
        return [here + "/" + word[len(_ACTION_MARK) :]]
    return [os.path.join(b, cwd, word) for b in bases]


def _manifest_files(
    ws: Workspace, target: str, kind: str, queue: list[tuple[str, str]], is_dir: bool = False
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
                if _holds_tox(names[-1]):
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
     "docker", "namelist", "compose", "cmake", "meson", "composer", "pybuild")
)  # fmt: skip


# Lines of task and project files, found by a search over the whole text. A line's leading
# blanks are `[^\S\n]*`, never `\s*`: `\s` takes newlines too, so `(?m)^\s*X` started at every
# line of a run of blank lines and read the run to its end (quadratic: 40 KB of blank lines
# took 3 to 30 s; thirty-eighth pass). tests/policy/test_thirtyeighth_pass.py holds every
# multi-line pattern of the policy to that.
_COMPOSE_COMMAND = lazy_compile(r"(?m)^[^\S\n]*(?:command|entrypoint|test)[^\S\n]*:[^\S\n]*(\S.*)$")
_TASK_TEXTS = frozenset(
    ("npm", "make", "tox", "nox", "just", "cargo", "docker", "namelist", "compose", "cmake",
     "meson", "composer", "pybuild")
)  # fmt: skip
_PNPM_PACKAGE = lazy_compile(r"""(?m)^[^\S\n]*-\s*['"]?([^'"#\s]+)""")
_DOCKER_RUN = lazy_compile(r"(?im)^[^\S\n]*RUN\s+((?:--\S+\s+)*)(.*)$")
_CARGO_BUILD = lazy_compile(r"""(?m)^[^\S\n]*build\s*=\s*["']([^"'\n]+)["']""")


def _compose_services(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """A compose file read as YAML (bounded; "not YAML" reads as nothing more than the line
    search of `_manifest_commands` found): each service's command, entrypoint and health
    test with the folder they run in (`working_dir:` under a mount of the file's folder;
    any folder, "*", when it is under none), and the files compose reads next: a `build:`
    context's Dockerfile (kind docker), an `extends: file:` and an `include:` (kind
    compose)."""
    import yaml  # noqa: PLC0415

    from enforcement_agent.bounded_yaml import Bounds, YAMLBoundsError, load  # noqa: PLC0415

    try:
        doc = load(text, yaml.SafeLoader, Bounds(max_nodes=20_000, max_seconds=0.5))[0]
    except (yaml.YAMLError, YAMLBoundsError, ValueError):
        return [], []
    if not isinstance(doc, dict):
        return [], []
    commands: list[tuple[str, str]] = []
    configs: list[tuple[str, str]] = []

    def words(value: object) -> str:
        if isinstance(value, list):
            items = [str(v) for v in value[:256] if isinstance(v, (str, int, float))]
            if items[:1] in (["CMD"], ["CMD-SHELL"]):
                items = items[1:]
            return " ".join(items)
        return value if isinstance(value, str) else ""

    includes = doc.get("include")
    for inc in includes[:64] if isinstance(includes, list) else []:
        paths = inc.get("path") if isinstance(inc, dict) else inc
        for path in (paths if isinstance(paths, list) else [paths])[:16]:
            if isinstance(path, str):
                configs.append((path, "compose"))
    services = doc.get("services")
    for service in list(services.values())[:256] if isinstance(services, dict) else []:
        if not isinstance(service, dict):
            continue
        cwd = _compose_workdir(service)
        health = service.get("healthcheck")
        for value in (
            service.get("command"),
            service.get("entrypoint"),
            health.get("test") if isinstance(health, dict) else None,
        ):
            body = words(value)
            if body:
                commands.append((body, cwd))
        build = service.get("build")
        if isinstance(build, str):
            configs.append((build, "docker"))
        elif isinstance(build, dict):
            context = build.get("context") if isinstance(build.get("context"), str) else "."
            dockerfile = build.get("dockerfile")
            if isinstance(dockerfile, str):
                configs.append((os.path.join(str(context), dockerfile), "docker"))
            else:
                configs.append((str(context), "docker"))
            inline = build.get("dockerfile_inline")
            if isinstance(inline, str):
                joined = re.sub(r"\\[ \t]*\n", " ", inline[:_CONFIG_LIMIT])
                commands += [(m.group(2), "") for m in _DOCKER_RUN.finditer(joined)]
        extends = service.get("extends")
        if isinstance(extends, dict) and isinstance(extends.get("file"), str):
            configs.append((extends["file"], "compose"))
    return commands[:512], configs[:64]


def _compose_workdir(service: dict[object, object]) -> str:
    """The folder of the compose file's own tree a service's `working_dir:` is ("" for the
    top: no working_dir, or the mount point itself), through its bind mounts of `.`/`./x`
    (short and long syntax); "*" when it is under none of them."""
    workdir = service.get("working_dir")
    if not isinstance(workdir, str) or not workdir.strip():
        return ""
    workdir = workdir.strip().rstrip("/")
    volumes = service.get("volumes")
    for volume in volumes[:64] if isinstance(volumes, list) else []:
        if isinstance(volume, str):
            source, _, rest = volume.partition(":")
            target = rest.partition(":")[0]
        elif isinstance(volume, dict):
            source, target = str(volume.get("source", "")), str(volume.get("target", ""))
        else:
            continue
        source = _PWD.sub(".", source)
        if not (source == "." or source.startswith("./")) or not target.startswith("/"):
            continue
        target = target.rstrip("/")
        if workdir == target or workdir.startswith(target + "/"):
            below = workdir[len(target) :].lstrip("/")
            folder = os.path.normpath(os.path.join(source, below))
            return "" if folder == "." else folder
    return "*"


_SETUP_CFG_TOX = lazy_compile(r"(?m)^[^\S\n]*\[tox:tox\]")
_PYPROJECT_TOX = lazy_compile(r"(?m)^[^\S\n]*\[\s*tool\.tox\b|^[^\S\n]*tool\s*=.*\btox\b")


def _manifest_commands(
    text: str, kind: str, name: str = ""
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The commands a task file runs (package.json `scripts`, Makefile recipes, tox
    `commands`, nox `session.run(...)`, justfile recipe lines) and the task files it
    includes, as (path, kind)."""
    commands: list[str] = []
    configs: list[tuple[str, str]] = []
    if kind == "npm" and name == "pnpm-workspace.yaml":
        # pnpm's workspaces (`pnpm -r test`, `--filter NAME`): its `packages:` list
        items = _PNPM_PACKAGE.findall(text)
        configs += _workspace_globs(items)
    elif kind == "npm":
        import json  # noqa: PLC0415

        try:
            doc = json.loads(text)
        except ValueError:
            # not JSON npm would read: every string value is read as a command
            commands = _JSON_STRING.findall(text)
        else:
            scripts = doc.get("scripts") if isinstance(doc, dict) else None
            if isinstance(scripts, dict):
                commands = [v for v in scripts.values() if isinstance(v, str)]
            # npm/yarn workspaces: `npm test --workspaces`, `-w NAME` (a package's name, not
            # its folder), `yarn workspaces foreach` run each workspace's package.json
            spaces = doc.get("workspaces") if isinstance(doc, dict) else None
            if name == "lerna.json" and isinstance(doc, dict):
                spaces = doc.get("packages")
            if isinstance(spaces, dict):
                spaces = spaces.get("packages")
            if isinstance(spaces, list):
                configs += _workspace_globs([w for w in spaces if isinstance(w, str)])
            # a dependency on a folder of the repository (`"x": "file:./packages/x"`):
            # `npm install` runs its install scripts (forty-first pass, by effect with
            # npm 10): its package.json is read as a task file
            for field in ("dependencies", "devDependencies", "optionalDependencies"):
                deps = doc.get(field) if isinstance(doc, dict) else None
                for spec in list(deps.values())[:256] if isinstance(deps, dict) else []:
                    if isinstance(spec, str) and spec.startswith(("file:", "link:")):
                        folder = spec.partition(":")[2].strip()
                        if folder and not folder.endswith((".tgz", ".tar.gz", ".tar")):
                            configs.append((folder.rstrip("/") + "/package.json", "npm"))
    elif kind == "compose":
        # a service's `command:`/`entrypoint:` (a string, or a list of words) and
        # `healthcheck: test:`: they run in the container, on the mounted workspace
        for cm in _COMPOSE_COMMAND.finditer(text[:_CONFIG_LIMIT]):
            body = cm.group(1).strip()
            if body.startswith("["):
                body = " ".join(re.findall(r"""["']([^"']*)["']""", body))
            commands.append(body.strip("'\""))
        # read as YAML too (forty-first pass): a block list `command:` (a word a line),
        # `working_dir:` through the service's mounts, `build:` contexts and their
        # Dockerfiles, `extends: file:`, top-level `include:`
        pairs, more = _compose_services(text[:_CONFIG_LIMIT])
        configs += more
        return [(c, "") for c in commands] + pairs, configs
    elif kind == "namelist":
        # a file a Makefile reads with `$(file <F)` (fortieth pass): its text is part of
        # recipes, so every file name in it may be a script make runs (fail closed)
        words = re.split(r"[\s()\"',;=]+", text[: _MAKE_TEXT * 4])
        commands = ["source " + w for w in words if _MAKE_FILE_WORD.fullmatch(w)][:64]
    elif kind == "make":
        text = re.sub(r"\\\n", " ", text)
        lines = text.splitlines()[:20_000]
        # the Makefile's own variables (`SCRIPT = ci/lint.sh` … `bash $(SCRIPT)`), and the
        # commands make runs while it reads the file: `$(shell …)` anywhere, `X != cmd`
        variables, alternatives = _make_variables(lines, commands)
        rule: list[str] = []  # the current rule's target and prerequisites (`$@`, `$<`, `$^`)
        has_if = any(re.search(r"\$[({]if\s", v) for v in variables.values())
        memo: dict[tuple[str, int, tuple[str, str] | None], str] = {}
        work = _MakeWork()  # one budget for the whole file's expansions
        order = {name: i for i, name in enumerate(alternatives)}
        for line in lines:
            if "file" in line:
                # `$(file <F)`: F's text becomes part of the line (GNU make 4.2+; fortieth
                # pass: `bash $(file <names.txt)` ran the script names.txt names)
                for fm in list(re.finditer(r"\$[({]file\s+<\s*", line[: 4 * _MAKE_TEXT]))[:16]:
                    depth, j = 1, fm.end()
                    while depth and j < min(len(line), fm.end() + 512):
                        depth += {"(": 1, "{": 1, ")": -1, "}": -1}.get(line[j], 0)
                        j += 1
                    if depth:
                        continue
                    read = _make_expand(line[fm.end() : j - 1].strip(), variables, work)
                    if read and "$" not in read:
                        configs.append((read, "namelist"))
            if not line.startswith("\t"):
                m = _MAKE_RULE.match(line)
                if m and not _MAKE_ASSIGN.match(line):
                    # `check: ci/gen.sh ; $<`: a recipe on the rule's own line (thirty-ninth
                    # pass), and the names its automatic variables stand for
                    rule = [m.group(1).split()[0] if m.group(1).split() else ""]
                    rule += m.group(2).split()[:16]
                    if m.group(3) is not None:
                        line = "\t" + m.group(3)
                elif line.strip() and not line.lstrip().startswith("#"):
                    rule = rule if _MAKE_ASSIGN.match(line) else []
            if line.startswith("\t"):
                raw = line[1:].lstrip("@-+ \t")
                raw = _make_automatic(raw, rule)
                # (a target's own value of a variable, `lint: SCRIPT = x`: each value too)
                # (only the names the line refers to: testing every target value's name
                # against every line was 10,000 x 10,000 in 200 KB; thirty-eighth pass)
                named = {n for m in _MAKE_REF.finditer(raw) for n in m.groups() if n}
                # (each try named by the value it sets, so the memo below cannot mistake
                # one line's try for another's)
                tries: list[tuple[tuple[str, str] | None, dict[str, str]]] = [(None, variables)]
                tries += [
                    ((name, alt), {**variables, name: alt})
                    for name in sorted((n for n in named if n in order), key=order.__getitem__)
                    for alt in alternatives[name][:4]
                ]
                branches = (1, 2) if has_if or re.search(r"\$[({]if\s", raw) else (1,)
                for (tried, values), branch in [(t, b) for t in tries[:9] for b in branches]:
                    key = (raw, branch, tried)
                    if key not in memo:
                        # (one expansion per distinct line; past _MAKE_EXPANSIONS a line is
                        # read as written, as before the thirty-ninth pass: bounded work)
                        expand = len(memo) < _MAKE_EXPANSIONS
                        memo[key] = _make_expand(raw, values, work, branch) if expand else raw
                    cmd = memo[key]
                    cmd = re.sub(r"\$[({]MAKE[)}]", "make", cmd)
                    cmd = re.sub(r"\$[({]CURDIR[)}]", ".", cmd)
                    commands.append(cmd)
                continue
            evaluated = "$(eval" in line or "${eval" in line
            line = _make_expand(line, variables, work)
            if evaluated:
                # the text `$(eval …)` makes part of the Makefile (rules with their recipes,
                # `$(foreach …)` of `$(call …)`s): read as commands too (fail closed)
                commands.append(line.replace(": ;", ": \n"))
            m = re.match(r"^\s*(?:override\s+|export\s+)?\.SHELLFLAGS\s*[:?!]*=(.*)$", line)
            m = m or re.match(r"^\s*-?load\s+(.*)$", line)
            if m or "$(guile" in line or "${guile" in line:
                # options make hands its shell (`--rcfile ci/rc`), a `load`ed object, guile
                # code: every file named there is code make may run (fail closed)
                words = re.split(r"[\s()\"',;=]+", m.group(1) if m else line)
                commands += ["source " + w for w in words if _MAKE_FILE_WORD.fullmatch(w)][:16]
                continue
            m = re.match(r"^\s*(?:override\s+|export\s+)?SHELL\s*[:?!]*=\s*(\S+)", line)
            if m:
                # the shell make runs every recipe line with (`SHELL := ./ci/sh`)
                commands.append(m.group(1))
                if not re.search(r"(?:^|/)(?:ba|da|z|k|mk)?sh$", m.group(1)):
                    # `SHELL := python3`: recipes are another language's code, so every
                    # script file they name counts (thirty-ninth pass, fail closed)
                    for rl in lines:
                        if rl.startswith("\t"):
                            words = re.split(r"[\s()\"',;=\[\]]+", rl)
                            commands += ["source " + w for w in words
                                         if w.endswith(_SCRIPT_FILES) and _MAKE_FILE_WORD.fullmatch(w)][:8]  # fmt: skip
                continue
            m = re.match(r"^\s*-?s?include\s+(.*)$", line)
            if m:
                # `include $(wildcard mk/*.mk)`: the pattern (a variable: not known, open)
                value = re.sub(r"\$[({]wildcard\s+([^)}]*)[)}]", r"\1", m.group(1))
                configs += [(n, "make") for n in value.split() if "$" not in n]
                for n in value.split()[:16]:
                    # `include $(CONF).mk`, `include mk/$(OS).mk` (a value from the command
                    # line or the environment): every file it may be (thirty-ninth pass)
                    pattern = re.sub(r"\*+", "*", _VARIABLE.sub("*", n)) if "$" in n else ""
                    if pattern and "$" not in pattern and len(pattern.replace("*", "")) >= 3:
                        configs.append((pattern, "make"))
    elif kind == "docker":
        # RUN lines (shell form; the exec form's words joined), continuations joined
        text = re.sub(r"\\[ \t]*\n", " ", text)
        for m in _DOCKER_RUN.finditer(text[:_CONFIG_LIMIT]):
            body = m.group(2).strip()
            if body.startswith("["):
                body = " ".join(re.findall(r'"((?:[^"\\]|\\.)*)"', body))
            commands.append(body)
    elif kind == "tox" and name.endswith(".toml"):
        commands = _tox_toml_commands(text)
    elif kind == "tox":
        inside = False
        for line in text.splitlines()[:20_000]:
            m = re.match(
                r"^\s*(?:commands(?:_pre|_post)?|install_command|list_dependencies_command)"
                r"\s*=\s*(.*)$",
                line,
            )
            if m:
                inside, value = True, m.group(1)
            elif inside and line[:1] in (" ", "\t") and line.strip():
                value = line.strip()
            else:
                inside = bool(inside and not line.strip())
                continue
            value = re.sub(r"\{(?:toxinidir|tox_root)\}", ".", value).lstrip("-! ")
            commands.append(value)
    elif kind == "nox":
        for m in re.finditer(
            r"\.run(?:_always|_install)?\(\s*((?:[rbuf]?(?:\"[^\"\n]*\"|'[^'\n]*')\s*,?\s*)+)", text
        ):
            commands.append(" ".join(re.findall(r"[\"']([^\"'\n]*)[\"']", m.group(1))))
    elif kind == "cargo":
        # a package's own build script (`build = "tools/build.rs"`), run by every build
        for m in _CARGO_BUILD.finditer(text):
            configs.append((m.group(1), "rust-build"))
    elif kind == "just":
        return _just_commands(text)
    elif kind == "composer":
        # composer.json's `scripts` (`post-install-cmd`, `test` …: a command or a list;
        # `@php x.php` runs php; forty-first pass)
        import json  # noqa: PLC0415

        try:
            doc = json.loads(text)
        except ValueError:
            doc = {"scripts": {"x": _JSON_STRING.findall(text)}}
        found = doc.get("scripts") if isinstance(doc, dict) else None
        for value in list(found.values())[:256] if isinstance(found, dict) else []:
            for v in value[:64] if isinstance(value, list) else [value]:
                if isinstance(v, str):
                    commands.append(re.sub(r"^@(php|composer)\b", r"\1", v))
    elif kind == "pybuild" and name == "pyproject.toml":
        # an in-tree build backend (`backend-path = ["ci"]`, `build-backend = "backend"`):
        # the module pip imports to build the project
        path = re.search(r"(?m)^\s*backend-path\s*=\s*\[([^\]]*)\]", text)
        backend = re.search(r"""(?m)^\s*build-backend\s*=\s*["']([\w.]+)(?::\w+)?["']""", text)
        if path and backend:
            module = backend.group(1).replace(".", "/")
            for folder in re.findall(r"""["']([^"']+)["']""", path.group(1))[:8]:
                commands.append(f"source {folder.rstrip('/')}/{module}.py")
                commands.append(f"source {folder.rstrip('/')}/{module}/__init__.py")
    elif kind == "cmake":
        return _cmake_commands(text[:_CONFIG_LIMIT])
    elif kind == "meson":
        return _meson_commands(text[:_CONFIG_LIMIT])
    return [(c, "") for c in commands], configs


# CMake (forty-first pass): the files a CMakeLists.txt makes cmake read as more of the build
# (`add_subdirectory(sub)`: sub/CMakeLists.txt; `include(x.cmake)`, `include(Name)` from the
# module path), and the commands it runs at configure and build time (`execute_process`,
# `add_custom_command`, `add_custom_target`: the words after COMMAND)
_CMAKE_SUBDIR = lazy_compile(r"(?i)\badd_subdirectory\s*\(\s*\"?([^\s\")]+)")
_CMAKE_INCLUDE = lazy_compile(r"(?i)\binclude\s*\(\s*\"?([^\s\")]+)")
_CMAKE_COMMAND = lazy_compile(r"\bCOMMAND\s+([^()]{1,1024})")
_CMAKE_KEYWORD = lazy_compile(
    r"\s(?:COMMAND|WORKING_DIRECTORY|OUTPUT|DEPENDS|BYPRODUCTS|COMMENT|VERBATIM|RESULT_VARIABLE"
    r"|OUTPUT_VARIABLE|ERROR_VARIABLE|INPUT_FILE|OUTPUT_FILE|ERROR_FILE|TIMEOUT|MAIN_DEPENDENCY"
    r"|USES_TERMINAL|COMMAND_EXPAND_LISTS|ALL|SOURCES|ECHO_OUTPUT_VARIABLE|COMMAND_ECHO)\b"
)
_CMAKE_DIRS = lazy_compile(
    r"\$\{(?:CMAKE_CURRENT_SOURCE_DIR|CMAKE_CURRENT_LIST_DIR|PROJECT_SOURCE_DIR)\}/?"
)


def _cmake_commands(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """A CMake file's commands and the CMake files it reads next (see above)."""
    text = re.sub(r"(?m)#.*$", "", text)
    text = _CMAKE_DIRS.sub("./", text).replace("${CMAKE_SOURCE_DIR}/", _ROOT_MARK)
    configs: list[tuple[str, str]] = []
    for m in list(_CMAKE_SUBDIR.finditer(text))[:64]:
        if "$" not in m.group(1):
            configs.append((m.group(1).rstrip("/") + "/CMakeLists.txt", "cmake"))
    for m in list(_CMAKE_INCLUDE.finditer(text))[:64]:
        name = m.group(1)
        if "$" in name or name.startswith(_ROOT_MARK):
            continue
        if "/" in name or name.lower().endswith(".cmake"):
            configs.append((name, "cmake"))
        elif re.fullmatch(r"[\w.-]+", name):
            # a module by name, from CMAKE_MODULE_PATH (`cmake/` is protected whole): that
            # name in any folder (fail closed)
            configs.append((f"*/{name}.cmake", "cmake"))
    commands = []
    for m in list(_CMAKE_COMMAND.finditer(text))[:256]:
        body = _CMAKE_KEYWORD.split(" " + m.group(1), maxsplit=1)[0]
        commands.append((body.replace('"', " ").strip(), ""))
    return commands, configs


# meson (forty-first pass): `subdir('x')` reads x/meson.build; `run_command`, `find_program`,
# `custom_target`, `run_target` and `test` run programs named by their strings: every string
# that names a script is read as one (fail closed)
_MESON_SUBDIR = lazy_compile(r"\bsubdir\s*\(\s*'([^'\n]+)'")
_MESON_STRING = lazy_compile(r"'([^'\n]{1,512})'")


def _meson_commands(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """A meson.build's scripts and the meson.build files it reads next (see above)."""
    text = re.sub(r"(?m)#.*$", "", text)
    configs = [
        (m.group(1).rstrip("/") + "/meson.build", "meson")
        for m in list(_MESON_SUBDIR.finditer(text))[:64]
        if "@" not in m.group(1)
    ]
    commands = [
        ("source " + m.group(1), "")
        for m in list(_MESON_STRING.finditer(text))[:4096]
        if m.group(1).endswith((*_SCRIPT_FILES, ".cmake")) and _MAKE_FILE_WORD.fullmatch(m.group(1))
    ][:256]
    return commands, configs


_JUST_WD = lazy_compile(
    r"""^\s*(?:set\s+working-directory\s*:=|\[.*\bworking-directory\s*[(:])\s*['"]([^'"]*)['"]"""
)


def _just_commands(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """A justfile's recipe lines with the folder each runs in (`set working-directory`, a
    recipe's `[working-directory: …]`), and the files it imports or loads as modules (`mod
    foo`: foo.just, foo/mod.just, foo/justfile, foo/.justfile; `mod foo 'path'`)."""
    commands: list[tuple[str, str]] = []
    configs: list[tuple[str, str]] = []
    shebang = False
    top_wd = recipe_wd = pending = ""
    # thirty-ninth pass: `name := 'value'` is put in for `{{name}}` (one not known reads as
    # any value), backticks and `shell(…)` run while just reads the file, `set shell`/
    # `set script-interpreter` name the program of every recipe, and a shebang recipe is a
    # script: its interpreter runs, a shell one's lines are read, another's file names count
    values = dict(
        re.findall(
            r"""(?m)^\s*(?:export\s+)?([A-Za-z_][\w-]*)\s*:=\s*['"]([^'"\n]*)['"]\s*$""", text
        )[:256]
    )

    def fill(body: str) -> str:
        return re.sub(r"\{\{\s*([A-Za-z_][\w-]*)\s*\}\}|\{\{[^}]*\}\}",
                      lambda m: values.get(m.group(1) or "", "${_just}"), body)  # fmt: skip

    for bm in re.finditer(r"""`([^`\n]+)`|\bshell\(\s*['"]([^'"\n]+)['"]""", text[:_CONFIG_LIMIT]):
        commands.append((fill(bm.group(1) or bm.group(2)), top_wd))
    for sm in re.finditer(
        r"(?m)^\s*set\s+(?:windows-)?(?:shell|script-interpreter)\s*:=\s*\[(.*)\]", text
    ):
        commands.append((" ".join(re.findall(r"""['"]([^'"]*)['"]""", sm.group(1))), top_wd))
    for line in text.splitlines()[:20_000]:
        if line[:1] in (" ", "\t") and line.strip():
            body = fill(line.strip())
            if body.startswith("#!"):
                # the recipe is a script of another language: its interpreter (`#!ci/x`,
                # `#!/usr/bin/env bash`), and a shell's lines read as commands
                shebang = not re.search(r"\b(?:ba|z|da|k)?sh\b", body)
                commands.append((body[2:].strip(), recipe_wd or top_wd))
                continue
            if shebang:
                words = re.split(r"[\s()\"',;=\[\]]+", body)
                commands += [("source " + w, recipe_wd or top_wd) for w in words
                             if w.endswith(_SCRIPT_FILES) and _MAKE_FILE_WORD.fullmatch(w)][:8]  # fmt: skip
            elif not body.startswith("#"):
                commands.append((body.lstrip("@-"), recipe_wd or top_wd))
                if recipe_wd and top_wd:  # (a recipe's folder may be from the set one)
                    commands.append((body.lstrip("@-"), os.path.join(top_wd, recipe_wd)))
            continue
        shebang = False
        m = _JUST_WD.match(line)
        if m:
            if line.lstrip().startswith("set"):
                top_wd = m.group(1)
            else:
                pending = m.group(1)  # (an attribute: for the recipe right below it)
            continue
        m = re.match(r"""^\s*import\??\s+['"]([^'"]+)['"]""", line)
        if m:
            configs.append((m.group(1), "just"))
            continue
        m = re.match(r"""^\s*mod\??\s+([A-Za-z_][\w-]*)\s*(?:['"]([^'"]+)['"])?""", line)
        if m:
            name, path = m.group(1), m.group(2)
            if path:
                configs.append((path, "just"))
                configs += [(f"{path}/{n}", "just") for n in ("mod.just", "justfile", ".justfile")]
            else:
                configs += [
                    (f"{name}.just", "just"),
                    (f"{name}/mod.just", "just"),
                    (f"{name}/justfile", "just"),
                    (f"{name}/.justfile", "just"),
                ]
            continue
        if line.strip() and not line.lstrip().startswith(("[", "#")):
            recipe_wd, pending = pending, ""  # a recipe's header (or a setting): its folder
    return commands, configs


_NPMRC_COMMANDS = {"node-options": "node ", "script-shell": "", "shell": "", "git": "",
                   "init-module": "source ", "onload-script": "source "}  # fmt: skip
_CARGO_PROGRAMS = ("rustc-wrapper", "rustc-workspace-wrapper", "rustc", "rustdoc", "runner",
                   "linker")  # fmt: skip


def _pkgrc_commands(text: str, name: str) -> list[str]:
    """What a package manager's configuration file makes its every run load or start
    (`.npmrc` `node-options=--require ./ci/pre.js`, `.yarnrc` `yarn-path`, `.yarnrc.yml`
    `yarnPath` and plugin paths, `.cargo/config.toml` `rustc-wrapper`/`runner`/`linker`)."""
    out: list[str] = []
    for line in text.splitlines()[:4000]:
        m = re.match(r"""^\s*(?:-\s+)?([\w.-]+)\s*[=:]?\s*(.*?)\s*$""", line)
        if not m or line.lstrip().startswith(("#", ";", "[")):
            continue
        key, value = m.group(1).lower(), m.group(2).strip().strip("'\"")
        if name == ".npmrc" and key in _NPMRC_COMMANDS and value:
            out.append(_NPMRC_COMMANDS[key] + value)
        elif name in (".yarnrc", ".yarnrc.yml") and key in ("yarn-path", "yarnpath", "path"):
            out.append("node " + value)  # (a `plugins:` entry's `- path:` too)
        elif name.startswith("config") and key in _CARGO_PROGRAMS and value:
            # a string, or an array of the program and its arguments
            words = re.findall(r"""["']([^"']*)["']""", value) if value.startswith("[") else [value]
            out.append(" ".join(words))
    return out[:64]


_HOOK_KEYS = ("simple-git-hooks", "ghooks", "gitHooks", "lint-staged")
_HOOK_SCRIPT_KEYS = ("pre-commit", "precommit", "pre-push", "prepush")


def _package_hooks(text: str) -> list[str]:
    """The commands a package.json makes git hooks run (fortieth pass): `simple-git-hooks`,
    husky 4's `husky.hooks`, `lint-staged`, yorkie's `gitHooks`, `ghooks`, and the npm
    scripts the `pre-commit` package runs by name; [] when it configures none."""
    import json  # noqa: PLC0415

    try:
        doc = json.loads(text)
    except ValueError:
        return []
    if not isinstance(doc, dict):
        return []
    out: list[str] = []

    def take(value: object) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            out.extend(v for v in value[:64] if isinstance(v, str))
        elif isinstance(value, dict):
            for v in list(value.values())[:64]:
                take(v)

    husky = doc.get("husky")
    for value in [doc.get(k) for k in _HOOK_KEYS] + [
        husky.get("hooks") if isinstance(husky, dict) else None
    ]:
        if value is not None:
            take(value)
    found = doc.get("scripts")
    scripts: dict[str, object] = found if isinstance(found, dict) else {}
    for key in _HOOK_SCRIPT_KEYS:
        names = doc.get(key)
        for name in [names] if isinstance(names, str) else names if isinstance(names, list) else []:
            command = scripts.get(name) if isinstance(name, str) else None
            if isinstance(command, str):
                out.append(command)
    return out[:128]


def _lintstaged_commands(text: str) -> list[str]:
    """The commands of a `.lintstagedrc` (JSON or YAML: glob → command or list of them)."""
    import yaml  # noqa: PLC0415

    from enforcement_agent.bounded_yaml import Bounds, YAMLBoundsError, load  # noqa: PLC0415

    try:
        doc = load(text, yaml.SafeLoader, Bounds(max_nodes=20_000, max_seconds=0.5))[0]
    except (yaml.YAMLError, YAMLBoundsError, ValueError):
        return _JSON_STRING.findall(text)[:128]  # (not YAML: every string, fail closed)
    out: list[str] = []
    for value in list(doc.values())[:128] if isinstance(doc, dict) else []:
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str):
                out.append(v)
    return out[:128]


def _workspace_globs(items: list[str]) -> list[tuple[str, str]]:
    """The package.json files workspace patterns name (`!x` exclusions are ignored: what
    they leave out stays protected); at most 64."""
    out: list[tuple[str, str]] = []
    for item in items[:64]:
        item = item.strip().rstrip("/")
        if item and not item.startswith("!") and "$" not in item:
            out.append((item + "/package.json", "npm"))
    return out


_TOX_COMMANDS = frozenset(
    ("commands", "commands_pre", "commands_post", "install_command", "list_dependencies_command")
)


def _tox_toml_commands(text: str) -> list[str]:
    """The commands of tox's configuration in pyproject.toml (`[tool.tox]`, its
    `legacy_tox_ini` read as tox.ini) or tox.toml (native: lists of argument lists)."""
    import shlex  # noqa: PLC0415
    import tomllib  # noqa: PLC0415

    try:
        doc = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        # not TOML tox would read: every quoted string is read as a command (fail closed)
        return re.findall(r"""["']([^"'\n]+)["']""", text)[:2048]
    tool = doc.get("tool")
    conf = tool.get("tox") if isinstance(tool, dict) and "tox" in tool else doc
    out: list[str] = []
    if isinstance(conf, dict) and isinstance(conf.get("legacy_tox_ini"), str):
        out += [c for c, _ in _manifest_commands(conf["legacy_tox_ini"], "tox")[0]]

    def walk(node: object, key: str, depth: int) -> None:
        if depth > 12 or len(out) > 2048:
            return
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, str(k), depth + 1)
        elif isinstance(node, list) and key in _TOX_COMMANDS:
            for item in node:
                if isinstance(item, list):
                    out.append(shlex.join(str(w) for w in item if isinstance(w, str | int)))
                elif isinstance(item, str):
                    out.append(item)
        elif isinstance(node, str) and key in _TOX_COMMANDS:
            out.append(node)

    walk(conf, "", 0)
    return out


def _holds_tox(path: str) -> bool:
    """Whether tox takes ``path`` (tox.ini, setup.cfg, pyproject.toml, tox.toml) as its
    configuration; a file that cannot be read counts (fail closed)."""
    base = os.path.basename(path)
    if base in ("tox.ini", "tox.toml"):
        return os.path.lexists(path)
    try:
        with open_regular(path) as fh:
            head = fh.read(_CONFIG_LIMIT).decode("utf-8", "replace")
    except FileNotFoundError:
        return False
    except OSError:
        return True
    if base == "setup.cfg":
        return _SETUP_CFG_TOX.search(head) is not None
    return _PYPROJECT_TOX.search(head) is not None


_MAKE_ASSIGN = lazy_compile(
    r"^\s*(?:(?:override|export|private)\s+)*([A-Za-z_][\w.-]*)\s*(::?=|:::=|\?=|\+=|!=|=)\s*(.*)$"
)
_MAKE_TARGET_ASSIGN = lazy_compile(
    r"^[^\t#=:$][^#=:]*:\s*(?:(?:override|export|private)\s+)*([A-Za-z_][\w.-]*)\s*"
    r"(?:::?=|\?=|\+=|=)\s*(.*)$"
)
_MAKE_CALL = lazy_compile(r"\$[({]call\s+([A-Za-z_][\w.-]*)\s*(?:,([^()}]*))?[)}]")
_MAKE_REF = lazy_compile(r"\$\(([A-Za-z_][\w.-]*)\)|\$\{([A-Za-z_][\w.-]*)\}|\$([A-Za-z_])")


_MAKE_RULE = lazy_compile(r"^([^\t#=:$][^#=:]*?|\$\S*)\s*::?(?!=)\s*([^=;#]*?)\s*(?:;(.*))?$")
# a word of a Makefile that names a file make may run: a relative path or a script
_MAKE_FILE_WORD = lazy_compile(
    r"(?:\.{0,2}/)?(?:[\w.+-]+/)*[\w.+-]+(?:/[\w.+-]+|\.(?:sh|bash|py|js|mjs|cjs|ts|rb|pl|so))"
)
_MAKE_FUNCTIONS = (
    "foreach addprefix addsuffix subst patsubst strip firstword lastword wildcard eval notdir "
    "dir basename sort if or and word wordlist words filter filter-out findstring join suffix "
    "abspath realpath value origin flavor error warning info"
).split()
_MAKE_TEXT = 4096  # characters of one expansion kept (as `_make_expand` keeps)
_MAKE_EXPANSIONS = 512  # distinct recipe lines of one Makefile expanded
_MAKE_FUNCTION_CALL = lazy_compile(r"\$([({])(" + "|".join(_MAKE_FUNCTIONS) + r")\s")


def _make_automatic(raw: str, rule: list[str]) -> str:
    """A recipe line with `$@`, `$<`, `$^`, `$+` (and `$(@)` spellings) replaced by the
    rule's target and prerequisites."""
    if "$" not in raw or not rule:
        return raw
    values = {"@": rule[0], "<": rule[1] if len(rule) > 1 else "", "^": " ".join(rule[1:])}
    values["+"] = values["^"]
    return re.sub(
        r"\$(?:\(([@<^+])\)|\{([@<^+])\}|([@<^+]))",
        lambda m: values[m.group(1) or m.group(2) or m.group(3)],
        raw,
    )


def _make_function(name: str, args: list[str], branch: int = 1) -> str | None:
    """The value of a GNU make text function over literal arguments; None when it is not
    modelled or an argument is not fixed."""
    if name == "foreach" and len(args) == 3:
        var, items, body = args[0].strip(), args[1].split(), args[2]
        ref = re.compile(rf"\$\({re.escape(var)}\)|\$\{{{re.escape(var)}\}}|\${re.escape(var)}\b")
        parts: list[str] = []
        size = 0
        for item in items[:32]:
            parts.append(ref.sub(item, body[:_MAKE_TEXT]))
            size += len(parts[-1])
            if size > _MAKE_TEXT:
                break  # (the expansion is cut at _MAKE_TEXT: bounded work, DoS caps)
        return " ".join(parts)[:_MAKE_TEXT]
    if name == "if" and 2 <= len(args) <= 3 and not any("$" in a for a in args[1:]):
        # either branch may be taken (the condition is not read): the recipe is read with
        # each (`branch`)
        return args[min(branch, len(args) - 1)]
    if name in ("or", "and"):
        # `$(or $(SCRIPT),ci/x.sh)`: its literal value (a variable's is not known here)
        literal = [a for a in args if "$" not in a]
        return literal[0] if literal else None
    if name == "value" and len(args) == 1 and re.fullmatch(r"\s*[A-Za-z_][\w.-]*\s*", args[0]):
        # `$(value NAME)`: NAME's text as written; read expanded, as another round does (a
        # superset: in a recipe make hands `$(X)` to the shell)
        return "$(" + args[0].strip() + ")"
    if any("$" in a for a in args):
        return None
    one = args[0] if args else ""
    if name in ("error", "warning", "info"):
        return ""  # (error stops make; the others print: nothing stays in the line)
    if name in ("origin", "flavor"):
        return "undefined"  # (a word about a variable, never a file name)
    if name in ("filter", "filter-out") and len(args) == 2:
        keep = name == "filter"
        pats = args[0].split()
        return " ".join(w for w in args[1].split() if any(_make_match(p, w) for p in pats) == keep)
    if name == "findstring" and len(args) == 2:
        return args[0] if args[0] in args[1] else ""
    if name == "join" and len(args) == 2:
        a, b = args[0].split(), args[1].split()
        return " ".join(
            (a[k] if k < len(a) else "") + (b[k] if k < len(b) else "")
            for k in range(max(len(a), len(b)))
        )
    if name in ("word", "wordlist") and len(args) == (2 if name == "word" else 3):
        nums = [a.strip() for a in args[:-1]]
        if not all(n.isdigit() and len(n) < 9 for n in nums):
            return None
        words = args[-1].split()
        first = int(nums[0])
        last = first if name == "word" else int(nums[1])
        return " ".join(words[max(first, 1) - 1 : last]) if first else None
    if name in ("addprefix", "addsuffix") and len(args) == 2:
        words = args[1].split()
        return " ".join((one + w) if name == "addprefix" else (w + one) for w in words)
    if name == "subst" and len(args) == 3:
        return args[2].replace(args[0], args[1]) if args[0] else args[2]
    if name == "patsubst" and len(args) == 3:
        pat, rep = args[0].strip(), args[1].strip()
        if "%" not in pat:
            return " ".join(rep if w == pat else w for w in args[2].split())
        head, _, tail = pat.partition("%")
        out = []
        for w in args[2].split():
            if w.startswith(head) and w.endswith(tail) and len(w) >= len(head) + len(tail):
                stem = w[len(head) : len(w) - len(tail)]
                out.append(rep.replace("%", stem, 1) if "%" in rep else rep)
            else:
                out.append(w)
        return " ".join(out)
    words = one.split()
    simple: dict[str, Callable[[], str]] = {
        "strip": lambda: " ".join(words),
        "firstword": lambda: words[0] if words else "",
        "lastword": lambda: words[-1] if words else "",
        "wildcard": lambda: one,
        "eval": lambda: one,
        "sort": lambda: " ".join(sorted(set(words))),
        "notdir": lambda: " ".join(w.rpartition("/")[2] for w in words),
        "dir": lambda: " ".join((w.rpartition("/")[0] or ".") + "/" for w in words),
        "basename": lambda: " ".join(os.path.splitext(w)[0] for w in words),
        "words": lambda: str(len(words)),
        "suffix": lambda: " ".join(os.path.splitext(w)[1] for w in words if "." in w),
        # (make's answer is absolute from where it runs: the name read from there)
        "abspath": lambda: " ".join(words),
        "realpath": lambda: " ".join(words),
    }
    if name in simple and len(args) == 1:
        return simple[name]()
    return None


def _make_match(pattern: str, word: str) -> bool:
    """Whether ``word`` matches a `$(filter …)` pattern (one `%` matches any text)."""
    head, pct, tail = pattern.partition("%")
    if not pct:
        return word == pattern
    return len(word) >= len(head) + len(tail) and word.startswith(head) and word.endswith(tail)


def _make_functions(text: str, branch: int = 1) -> str:
    """``text`` with the innermost calls of the text functions `_make_function` models
    replaced by their values (one pass)."""
    if len(text) > 4 * _MAKE_TEXT:
        return text  # (a line past the bound is not expanded: bounded work, DoS caps)
    out: list[str] = []
    i = size = 0
    for _ in range(64):
        m = _MAKE_FUNCTION_CALL.search(text, i)
        if not m:
            break
        depth, j, start = 1, m.end(), m.end()
        commas: list[int] = []
        while j < len(text) and depth:
            c = text[j]
            if c in "({":
                depth += 1
            elif c in ")}":
                depth -= 1
            elif c == "," and depth == 1:
                commas.append(j)
            j += 1
        if depth:
            break
        body = text[start : j - 1]
        bounds = [start - 1, *commas, j - 1]
        args = [text[a + 1 : b] for a, b in zip(bounds, bounds[1:], strict=False)]
        if m.group(2) in ("foreach", "if", "or", "and", "value") or "$" not in body:
            value = _make_function(m.group(2), args if m.group(2) != "eval" else [body], branch)
        else:
            value = None
        out.append(text[i : m.start()])
        size += m.start() - i
        if value is None:
            out.append(text[m.start() : m.end()])
            i = m.end()
            continue
        out.append(value)
        i = j
        size += len(value)
        if size > 2 * _MAKE_TEXT:
            break  # (cut: `_make_expand` keeps _MAKE_TEXT characters anyway)
    out.append(text[i:])
    return "".join(out)[: 2 * _MAKE_TEXT + len(text)]


def _make_variables(
    lines: list[str], commands: list[str]
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """A Makefile's variables (name → value as written; `+=` appends; a `define … endef`
    block's lines joined with `;`), the values targets give them (`lint: SCRIPT = x`), and,
    into ``commands``, what make runs while reading it: each `$(shell …)`/`${shell …}` (in
    any line, recipes too) and each `NAME != command`."""
    variables: dict[str, str] = {}
    alternatives: dict[str, list[str]] = {}
    block: list[str] | None = None
    block_name = ""
    for line in lines:
        for cmd in _make_shells(line):
            commands.append(cmd)
        if block is not None:
            if re.match(r"^\s*endef\b", line):
                variables[block_name] = " ; ".join(b.strip() for b in block if b.strip())
                block = None
            elif len(block) < 256:
                block.append(line)
            continue
        m = re.match(r"^\s*(?:(?:override|export|private)\s+)*define\s+([A-Za-z_][\w.-]*)", line)
        if m:
            block, block_name = [], m.group(1)
            continue
        if line.startswith("\t"):
            continue
        if re.match(r"^\s*\$[({]eval\s", line):
            # `$(eval X := ci/ev.sh)`: its text is read as a line of the Makefile
            line = _make_functions(_make_expand(line.strip(), variables))
        m = _MAKE_TARGET_ASSIGN.match(line)
        if m:
            alternatives.setdefault(m.group(1), []).append(m.group(2).strip())
            continue
        m = _MAKE_ASSIGN.match(line)
        if not m or ":" in m.group(1):
            continue
        name, op, value = m.group(1), m.group(2), m.group(3).strip()
        if op == "!=":
            commands.append(value)  # GNU make runs it through the shell
        elif op == "+=" and name in variables:
            variables[name] += " " + value
        elif op != "?=" or name not in variables:
            variables[name] = value
        if len(variables) > 512:
            break
    return variables, alternatives


def _make_shells(line: str) -> list[str]:
    """The commands of the `$(shell …)` calls in ``line`` (parentheses balanced; at most 16).
    Every bracket's partner is found in one pass over the line (each call scanned to its
    close on its own was 16 passes of 240 KB in Python: 2 s, thirty-eighth pass)."""
    # (the index of the call's own bracket, where its command starts)
    calls = [(m.start() + 1, m.end()) for m in re.finditer(r"\$[({]shell\s+", line)][:16]
    if not calls:
        return []
    partner: dict[int, int] = {}
    stacks: dict[str, list[int]] = {"(": [], "{": []}
    for m in re.finditer(r"[(){}]", line):
        c = m.group()
        if c in stacks:
            stacks[c].append(m.start())
        else:
            opened = stacks["(" if c == ")" else "{"]
            if opened:
                partner[opened.pop()] = m.start()
    return [line[start : partner.get(bracket, len(line))] for bracket, start in calls]


_SCRIPT_LINE = 16 << 10  # characters of a CI command's line read for the scripts it names
_SCRIPT_COMMAND = 64 << 10  # and of the whole command
_MAKE_TEXT = 4096  # characters of a line kept after each round of expansion
_MAKE_WORK = 1 << 20  # characters a Makefile's expansions may build and scan, in all


class _MakeWork:
    """What is left of one Makefile's expansion budget (thirty-eighth pass: a 5 KB Makefile
    of `A = $(A)$(A)…` refs took 3.8 s to decide one write, a 184 KB one 1.9 GB)."""

    __slots__ = ("left",)

    def __init__(self, left: int = _MAKE_WORK) -> None:
        self.left = left

    def charge(self, n: int) -> bool:
        """Spend ``n``; False once the budget is gone (and from then on)."""
        self.left -= n
        return self.left >= 0


def _bounded_sub(
    rx: re.Pattern[str], repl: Callable[[re.Match[str]], str], text: str, limit: int
) -> tuple[str, int]:
    """``rx.sub(repl, text)[:limit]`` without building more than ``limit`` characters, and
    how many characters of ``text`` were scanned and built for it."""
    out: list[str] = []
    n = pos = 0
    for m in rx.finditer(text):
        out.append(text[pos : m.start()])
        n += m.start() - pos
        pos = m.end()
        if n >= limit:
            break
        piece = repl(m)
        out.append(piece[: limit - n + 1])
        n += len(out[-1])
        if n >= limit:
            break
    else:
        out.append(text[pos : pos + limit - n + 1])
        n += len(out[-1])
        pos = len(text)
    return "".join(out)[:limit], pos + n


def _make_expand(
    text: str, variables: dict[str, str], work: _MakeWork | None = None, branch: int = 1
) -> str:
    """``text`` with the Makefile variables it names replaced by their values (nested ones
    too, four levels); a name the file does not define is left (not fixed: fail closed).
    Each round keeps the first 4,096 characters and builds no more; past the file's work
    budget (``work``) the text is left as it is (its names not fixed)."""
    work = work if work is not None else _MakeWork()
    for _ in range(4):
        if "$" not in text or work.left < 0:
            break

        def value(m: re.Match[str]) -> str:
            name = m.group(1) or m.group(2) or m.group(3)
            return variables.get(name, m.group(0))

        def call(m: re.Match[str]) -> str:
            # `$(call RUN,ci/x.sh)`: the function's text with `$(1)`… its arguments
            body = variables.get(m.group(1))
            if body is None:
                return m.group(0)
            args = (m.group(2) or "").split(",")
            if not work.charge(len(body) * min(len(args), 9)):
                return m.group(0)
            for n, arg in enumerate(args[:9], 1):
                body = re.sub(rf"\$[({{]{n}[)}}]|\${n}", arg.strip().replace("\\", "/"), body)
            return body

        called, cost = _bounded_sub(_MAKE_CALL, call, text, 4 * _MAKE_TEXT)
        new, cost2 = _bounded_sub(_MAKE_REF, value, called, _MAKE_TEXT)
        # the text functions (`$(foreach …)`, `$(if …)` …: thirty-ninth pass) over what
        # is kept; their output is bounded too, and charged like the rest
        new = _make_functions(new, branch)
        if not work.charge(cost + cost2 + len(new)):
            break
        new = new[:_MAKE_TEXT]
        if new == text[:_MAKE_TEXT]:
            break
        text = new
    return text


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
    text: str, kind: str, seconds: float = 1.0
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

    github = kind in ("workflow", "action")
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
            stack.extend((v, cwd, default_shell) for v in node)
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
                commands += [(c, cwd) for c in _env_commands(env)]
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
        else:
            keys_here = keys
        if kind == "vscode" and "command" in node:
            # an editor task runs when someone runs it; one that runs on folder open runs
            # unasked (`runOptions: {runOn: folderOpen}`)
            run_options = node.get("runOptions")
            if not (isinstance(run_options, dict) and run_options.get("runOn") == "folderOpen"):
                keys_here = ()
        args = node.get("args") if kind == "precommit" else None
        for key, value in node.items():
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
            elif kind == "task" and key == "includes" and isinstance(value, dict):
                for v in value.values():
                    inc = v.get("taskfile") if isinstance(v, dict) else v
                    if isinstance(inc, str):
                        configs.append((inc, "task"))
            elif isinstance(value, (dict, list)):
                stack.append((value, cwd, default_shell))
    return commands, direct, actions, configs


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
_GITHUB_PATH = lazy_compile(
    r"""(?:echo|printf\s+(?:'%s\\n'|"%s\\n"|%s\\n))\s+(?:-\w+\s+)?["']?([^"'\s>|;&]+)["']?"""
    r"""\s*>>\s*["']?\$\{?GITHUB_PATH\b"""
)
_PATH_SET = lazy_compile(r"""(?:^|[\s;&|(])(?:export\s+)?PATH=(?:"([^"]*)"|'([^']*)'|(\S*))""")
_PYTHONPATH_SET = lazy_compile(
    r"""(?:^|[\s;&|(])(?:export\s+)?PYTHONPATH=(?:"([^"]*)"|'([^']*)'|(\S*))"""
)
_PWD = lazy_compile(r"\$\{?PWD\}?|\$\(\s*pwd\s*\)|`\s*pwd\s*`")
# Folders an interpreter finds modules *by name* in (thirty-ninth pass): `PERL5LIB=ci perl
# -MPre`, `RUBYLIB=ci ruby -rpre`, `NODE_PATH=lib node -r pre`, `PYTHONPATH=src python -m
# tool` load `ci/Pre.pm`, `ci/pre.rb`, `lib/pre.js`, `src/tool.py`
_LIBPATH_VARS = {"PYTHONPATH": "py", "RUBYLIB": "rb", "PERL5LIB": "pl", "PERLLIB": "pl",
                 "NODE_PATH": "js"}  # fmt: skip
_LIBPATH_SET = lazy_compile(
    r"""(?:^|[\s;&|(])(?:export\s+)?(PYTHONPATH|RUBYLIB|PERL5LIB|PERLLIB|NODE_PATH)="""
    r"""(?:"([^"]*)"|'([^']*)'|(\S*))"""
)
# The loader variables of `_env_commands` set in a run line itself (`NODE_OPTIONS='--require
# ./ci/pre.js' npm test`, `export BASH_ENV=ci/env.sh`), read as the `env:` map's are
_LOADER_SET = lazy_compile(
    r"""(?:^|[\s;&|(])(?:export\s+)?("""
    + "|".join(
        sorted(_ENV_SOURCED | set(_ENV_OPTIONS) | _ENV_FILES | _ENV_COMMANDS | _JAVA_OPTIONS)
    )
    + r""")=(?:"([^"]*)"|'([^']*)'|(\S*))"""
)
_MODULE_NAME = lazy_compile(r"[A-Za-z_][\w-]*(?:(?:\.|::|/)[A-Za-z_][\w-]*)*")


def _env_commands(env: dict[object, object]) -> list[str]:
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
        elif key == "GIT_TEMPLATE_DIR":
            out.append("git init --template=" + value)  # its `hooks/` are copied and run
        elif key in _ENV_COMMANDS:
            out.append(value.lstrip("|"))  # (LESSOPEN's `|cmd %s`, `||cmd %s`)
        elif key in _JAVA_OPTIONS:
            for m in re.finditer(r"-(?:javaagent|agentpath):([^=\s'\"]+)", value):
                out.append("source " + m.group(1))
        elif key == "PATH":
            out.append("export PATH=" + value)  # workspace folders put first on PATH
        elif key == "PYTHONPATH" or key in _LIBPATH_VARS:
            out.append(f"export {key}={value}")
    return out


def _working_directory(value: str) -> str:
    """A configuration's working directory, from the top; "*" (any folder) when a variable
    or an expression is left in it (`${{ matrix.dir }}`): a script it runs by a relative
    path is then protected in every folder (fail closed)."""
    value = _WORKSPACE_VARS.sub("", value).strip()
    if _UNFIXED.search(value.replace("${{", "$")):
        return "*"
    return value.lstrip("/") or "."


def _scripts_in(command: str, depth: int = 0) -> list[str]:
    """The words of a shell command that clearly name a script by path (see above)."""
    import shlex  # noqa: PLC0415

    command = command[:_SCRIPT_COMMAND]  # (see _SCRIPT_LINE)
    command = _WORKSPACE_VARS.sub(_ROOT_MARK, command)
    command = _ACTION_VARS.sub(_ACTION_MARK, command)
    command = re.sub(r"\\\n", " ", command)
    command = _PWD.sub(".", command)  # (the line's own folder)
    out: list[str] = []
    for m in _GITHUB_PATH.finditer(command):
        out.append(_MANIFEST_MARK + "pathdir@@d:" + m.group(1))
    for m in _PATH_SET.finditer(command):
        for entry in (m.group(1) or m.group(2) or m.group(3) or "").split(":")[:16]:
            if entry and "PATH" not in entry:
                out.append(_MANIFEST_MARK + "pathdir@@d:" + entry)
    for m in _PYTHONPATH_SET.finditer(command):
        # every Python process of the step imports `sitecustomize`, then `usercustomize`,
        # from the first folder of its path that has one (a thirty-sixth red-team pass)
        for entry in (m.group(1) or m.group(2) or m.group(3) or "").split(":")[:16]:
            if entry and "PATH" not in entry and not _UNFIXED.search(entry.replace(_ROOT_MARK, "")):
                for name in ("sitecustomize.py", "usercustomize.py"):
                    out.append(entry.rstrip("/") + "/" + name)
    for m in list(re.finditer(r"\bfor\s+(\w+)\s+in\s+([^;\n]{0,512})", command))[:64]:
        # `for s in ci/a.sh ci/b.sh; do bash $s; done`: the scripts of the loop's list
        out += [
            w.strip("'\"")
            for w in m.group(2).split()[:32]
            if w.strip("'\"").endswith(_SCRIPT_FILES) and not _UNFIXED.search(w)
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
    for line in command.splitlines()[:2000]:
        # `bash -c "$(cat ci/cmd.txt)"`, `eval "$(cat ci/env)"`, `source <(cat ci/x.sh)`:
        # a file whose text the shell runs (fortieth pass)
        line = line[:_SCRIPT_LINE]
        if ("$(" in line or "`" in line or "<(" in line) and _RUNS_OUTPUT.search(line):
            for sm in _SUBSTITUTION.finditer(line):
                out += _listed_code(sm.group(1) or sm.group(2) or sm.group(3) or "")
    for m in _LIBPATH_SET.finditer(command):
        # a folder modules are found in by name: what the configuration loads by name is
        # looked for there (`_module_files`)
        lang = _LIBPATH_VARS[m.group(1)]
        for entry in (m.group(2) or m.group(3) or m.group(4) or "").split(":")[:16]:
            if entry and not re.search(r"PATH|LIB", entry):
                out.append(_MANIFEST_MARK + f"libdir-{lang}@@d:" + entry)
    if depth < 2:
        for m in _LOADER_SET.finditer(command):
            value = m.group(2) if m.group(2) is not None else m.group(3) or m.group(4) or ""
            for inner in _env_commands({m.group(1): value}):
                out += _scripts_in(inner, depth + 1)
    # a command substitution is a value not known here (and would split into punctuation);
    # so is an expression the CI system fills in before the shell runs (GitHub's
    # `${{ inputs.dir }}`, GitLab's `$[[ inputs.dir ]]`), which splits at its spaces
    command = re.sub(r"\$\([^()]*\)", "$_gonogo_cmd", command)
    command = re.sub(r"\$\{\{.*?\}\}|\$\[\[.*?\]\]", "$_gonogo_expr", command)
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
        cwd = ""
        segment: list[str] = []
        prev: list[str] = []
        upstream: list[str] = []  # the pipeline's producers so far (`tac x | tac | bash`)
        sep = ""
        for word in [*words, ";"]:
            if word and all(c in "();<>|&" for c in word):
                if sep in ("|", "|&"):
                    # `cat ci/x.sh | bash` (fortieth pass); every producer of the pipeline
                    # (forty-first pass: `tac ci/x.sh | tac | bash`)
                    _piped_code(upstream, segment, cwd, out)
                elif sep == "<" and prev[:1] == ["done"] and segment:
                    # `while read s; do bash "$s"; done < ci/list.txt`: the names it reads
                    out.append(_MANIFEST_MARK + "namelist@@f:" + _from(segment[0], cwd))
                upstream = [*upstream, *segment][:64] if word in ("|", "|&") else []
                cwd = _script_in_segment(segment, cwd, out, depth)
                prev, sep, segment = segment, word, []
            else:
                segment.append(word)
    return out


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
                out.append(_MANIFEST_MARK + "glob@@f:" + ("*/" + w if "/" not in w else w))
                out.append(_MANIFEST_MARK + "glob@@f:" + w)
            elif w and not _UNFIXED.search(w):
                out.append(_MANIFEST_MARK + "pathdir@@d:" + w)
        return out
    if lister in ("ls", "find", "run-parts"):
        for w in words[1:]:
            if w.startswith(("-", "(", "!")):
                if lister == "find":
                    break
                continue
            if w and not _UNFIXED.search(w):
                out.append(_MANIFEST_MARK + "pathdir@@d:" + w)
            elif "*" in w:
                out += _listed_code(w)  # `ls ci/*.sh`: the pattern
        return out
    for w in words:
        if not w or w.startswith("-") or w in _CODE_READERS:
            continue
        if "*" in w and "/" in w and not re.search(r"[$`~<>{?\[]", w):
            folder, _, name = w.rpartition("/")
            if name.endswith(_SCRIPT_FILES):
                out.append(w)  # (a script pattern: `_unfixed_name`)
            elif "*" not in folder and folder:
                out.append(_MANIFEST_MARK + "pathdir@@d:" + folder)
        elif ("/" in w or "." in w) and _MAKE_FILE_WORD.fullmatch(w) and not _UNFIXED.search(w):
            out.append(_MANIFEST_MARK + "namelist@@f:" + w)
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
    if head in ("xargs", "parallel"):
        if _xargs_runs_code(words[1:]):
            out += [_from_marked(w, cwd) for w in _listed_code(" ".join(producer))]
        return
    rest = [w for w in words[1:] if not w.startswith("-")]
    if head in _CODE_READERS and not rest:
        out += [_from_marked(w, cwd) for w in _listed_code(" ".join(producer))]


def _xargs_runs_code(args: Sequence[str]) -> bool:
    """Whether `xargs ARGS` hands its names to a shell or an interpreter (or to a program
    named by path), which runs them."""
    k = 0
    while k < len(args) and args[k].startswith("-"):
        k += 2 if args[k] in ("-a", "-I", "-n", "-P", "-L", "-s", "-d", "-E") else 1
    runs = args[k:]
    return bool(runs) and (os.path.basename(runs[0]) in _CODE_READERS or "/" in runs[0])


def _from_marked(word: str, cwd: str) -> str:
    """``word`` (a path or a marker) from the folder ``cwd``."""
    if word.startswith(_MANIFEST_MARK):
        runner, _, at = word[len(_MANIFEST_MARK) :].partition("@@")
        return _MANIFEST_MARK + runner + "@@" + at[:2] + _from(at[2:], cwd)
    return _from(word, cwd)


def _script_in_segment(words: list[str], cwd: str, out: list[str], depth: int = 0) -> str:
    """Add the script ``words`` (one simple command) runs by path to ``out``; the directory
    a `cd` there moves later commands of the line to."""
    i = 0
    wrapped = False
    for word in words[:64]:
        # `cd sub && NODE_PATH=lib node -r pre`: a module folder from where the line is
        # (the whole-text reading in `_scripts_in` takes it from the top)
        name, eq, value = word.removeprefix("export ").partition("=")
        if eq and name in _LIBPATH_VARS and cwd:
            for entry in value.strip("'\"").split(":")[:16]:
                if entry and not _UNFIXED.search(entry):
                    out.append(
                        _MANIFEST_MARK + f"libdir-{_LIBPATH_VARS[name]}@@d:" + _from(entry, cwd)
                    )
    while i < len(words) and words[i] in _SHELL_KEYWORDS:
        i += 1  # `then bash ci/x.sh`, `do ./ci/y.sh`, `{ bash ci/z.sh; }` (thirty-ninth pass)
    words = _env_split(words)
    while i < len(words):
        if re.match(r"^\w+=", words[i]) or os.path.basename(words[i]) in _WRAPPERS:
            wrapped = True
        elif not (wrapped and re.fullmatch(r"-.*|\d+(?:\.\d+)?[smhd]?", words[i])):
            break  # (a wrapper's options and numbers: `nice -n 10`, `timeout 5`, `sudo -E`)
        i += 1
    if i >= len(words):
        return cwd
    head, args = words[i], words[i + 1 :]

    def add(word: str) -> None:
        if word.startswith(_MANIFEST_MARK):  # (from `sh -c '…'`): its path is from here too
            runner, _, at = word[len(_MANIFEST_MARK) :].partition("@@")
            value = at[2:] if at[:2] == "m:" else _from(at[2:], cwd)  # (a module name)
            out.append(_MANIFEST_MARK + runner + "@@" + at[:2] + value)
        else:
            out.append(_from(word, cwd))

    name = os.path.basename(head)
    if depth < 2 and name not in _NOT_RUNNERS:
        _command_values(name, args, cwd, out, depth)
    if name in ("deno", "hatch", "pdm") and depth < 2:
        # `deno task check`, `hatch run test`, `pdm run lint`: a task of the project's file
        # (deno.json's `tasks`, hatch's and pdm's `scripts`), fortieth pass
        verb = next((a for a in args if not a.startswith("-")), "")
        if verb == ("task" if name == "deno" else "run") or name == "hatch" and verb == "test":
            for what, value in _runner_targets(name, args):
                if not _UNFIXED.search(value):
                    out.append(_MANIFEST_MARK + name + "@@" + what + ":" + _from(value, cwd))
    if name in ("bundle", "bundler") and args[:1] != ["config"]:
        out.append(_MANIFEST_MARK + "bundler@@d:" + _from(".", cwd))  # (its Gemfile: Ruby)
    build = _python_build(name, args)
    if build is not None:
        # `pip install .`, `python -m build`, `uv sync`, `poetry install`: the project's
        # setup.py and in-tree backend run (forty-first pass)
        out.append(_MANIFEST_MARK + "pybuild@@d:" + _from(build, cwd))
    if name in _RUN_VIA or (name in _RUN_VIA_RUN and args[:1] in (["run"], ["exec"])):
        # `uvx tox`, `uv run make check`, `npx …`: the program it runs by name, read again
        rest = args if name in _RUN_VIA else args[1:]
        k = 0
        while k < len(rest) and rest[k].startswith("-"):
            k += 1
        if k < len(rest) and rest[k].endswith(_SCRIPT_FILES):
            add(rest[k])  # `uv run server.py`, `deno run x.ts`: a file of the workspace
        elif k < len(rest) and depth < 2:
            return _script_in_segment(rest[k:], cwd, out, depth + 1)
        return cwd
    if name in _COMPOSERS and depth < 2:
        name, args = "docker", ["compose", *args]  # `docker-compose run …`
    if name in _CONTAINERS and depth < 2:
        # `docker run … IMAGE npm test`, `docker compose run app make check`, `podman exec C
        # sh ci/x.sh`: the command runs in the container, on the workspace when it is
        # mounted (read from the top: fail closed); `docker build [-f F] [DIR]`: its Dockerfile
        inner = _container_command(args)
        composed = _compose_files(args)
        for what, value in composed or ():
            # the compose file names the service's image, build, entrypoint, command, mounts
            # and working_dir (fortieth pass): a task file, protected whole
            if not _UNFIXED.search(value):
                out.append(_MANIFEST_MARK + "compose@@" + what + ":" + _from(value, cwd))
        if inner is not None:
            workdir = _container_workdir(args)
            if not workdir and composed is not None:
                # the service's `working_dir:` (not read here) may be any folder of the
                # mounted workspace: the command is read from every folder (fail closed)
                workdir = "*"
            if workdir:
                # `docker run -v $PWD:/w -w /w/sub …`: the command runs in sub (thirty-ninth
                # pass); a folder not under a mount of the workspace is any folder
                _script_in_segment(inner, _from(workdir, cwd), out, depth + 1)
            return _script_in_segment(inner, cwd, out, depth + 1)
        built = _container_build(args)
        if built is not None:
            what, value = built
            if not _UNFIXED.search(value):
                out.append(_MANIFEST_MARK + "docker@@" + what + ":" + _from(value, cwd))
        return cwd
    if name == "cargo" and args[:1] == ["make"]:
        name, args = "cargo-make", args[1:]  # cargo-make through cargo
    if name == "bun":
        # `bun x.ts`, `bun run ./x.js`: a file, not a package.json script
        rest = [a for a in args if not a.startswith("-")]
        rest = rest[1:] if rest[:1] == ["run"] else rest
        if rest and ("/" in rest[0] or rest[0].endswith(_JS_FILES)):
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
        for what, value in _runner_targets(kind, args):
            if _UNFIXED.search(value) and what == "d":
                # `make -C $(DIR)`, `npm --prefix "$X" test`: a folder left unknown by a
                # variable stands for any folder: its task files in every folder (fail closed)
                value = _VARIABLE.sub("*", value)
                value = re.sub(r"[^/]*\*[^/]*", "*", value)
            if not _UNFIXED.search(value.replace("*", "") if what == "d" else value):
                out.append(_MANIFEST_MARK + kind + "@@" + what + ":" + _from(value, cwd))
        if kind != "make":
            if depth < 2:
                _run_rest(args, cwd, out, depth)  # `pnpm exec node x.js`, `tox exec -- bash`
            return cwd
    if name == "buildkite-agent" and args[:2] == ["pipeline", "upload"]:
        # a pipeline uploaded from the repository is CI configuration under any name
        files = [a for a in args[2:] if not a.startswith("-")][:1] or ["."]
        for f in files:
            if not _UNFIXED.search(f):
                what = "d" if f == "." else "f"
                out.append(_MANIFEST_MARK + "buildkite@@" + what + ":" + _from(f, cwd))
        return cwd
    if head in ("cd", "pushd"):
        if args and not args[0].startswith("-") and not _UNFIXED.search(args[0]):
            return os.path.join(cwd, args[0]) if not args[0].startswith("/") else cwd
        return cwd
    if name in ("pytest", "py.test"):
        _pytest_loads(args, out, cwd)
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
        return cwd
    if name == "parallel" and _xargs_runs_code(args):
        # `parallel bash ::: ci/*.sh`, `parallel bash :::: list.txt` (forty-first pass)
        for j, arg in enumerate(args[:64]):
            if arg == ":::":
                out += [_from_marked(w, cwd) for w in _listed_code(" ".join(args[j + 1 :]))]
            elif arg in ("::::", "-a", "--arg-file") and j + 1 < len(args):
                out.append(_MANIFEST_MARK + "namelist@@f:" + _from(args[j + 1], cwd))
    if name == "xargs" and _xargs_runs_code(args):
        # `xargs -a ci/list.txt -n1 bash`: the names it hands a shell (fortieth pass)
        for j, arg in enumerate(args[:32]):
            opt, eq, value = arg.partition("=")
            if arg in ("-a", "--arg-file") and j + 1 < len(args):
                out.append(_MANIFEST_MARK + "namelist@@f:" + _from(args[j + 1], cwd))
            elif eq and opt == "--arg-file" or arg.startswith("-a") and len(arg) > 2:
                f = value if eq else arg[2:]
                out.append(_MANIFEST_MARK + "namelist@@f:" + _from(f, cwd))
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
            if not _UNFIXED.search(a):
                out.append(_MANIFEST_MARK + "pathdir@@d:" + _from(a, cwd))
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
        if folder and not _UNFIXED.search(folder):
            out.append(_MANIFEST_MARK + "pathdir@@d:" + _from(folder, cwd))
    if name in _SHELLS:
        if "/" in head:
            add(head)  # `./ci/jshell -c …`, `ci/python x.py`: the program by path too
        skip = False
        posix = os.path.basename(head) in ("bash", "sh", "zsh", "dash", "ksh", "mksh", "ash")
        lang = {"perl": "pl", "ruby": "rb", "node": "js", "nodejs": "js"}.get(name, "")
        for j, arg in enumerate(args):
            if skip:
                skip = False
            elif arg == "-c":  # `sh -c './ci/x.sh'`: the command string, once
                if j + 1 < len(args) and depth < 1:
                    for word in _scripts_in(args[j + 1], depth + 1):
                        add(word)
                break
            elif arg == "-m" and j + 1 < len(args) and name.startswith("python"):
                module = args[j + 1]
                if re.fullmatch(r"[A-Za-z_]\w*(?:\.\w+)*", module):
                    # Python finds `-m X` in its working directory first: a new `X.py` or
                    # `X/` there shadows the installed tool (`python -m pytest`)
                    top = module.split(".")[0]
                    out.append(_MANIFEST_MARK + "pymod@@f:" + _from(top, cwd))
                    # and in every folder of its PYTHONPATH (thirty-ninth pass)
                    out.append(_MANIFEST_MARK + "pymodname@@m:" + top)
                if module == "pytest":
                    _pytest_loads(args[j + 2 :], out, cwd)
                if module in _PY_SCRIPT_RUNNERS:
                    _py_script(args[j + 2 :], add)  # `python -m cProfile ci/x.py`
                if module in _RUNNERS:
                    # `python -m tox`, `python3 -m nox -s lint`: the runner by name
                    kind = _RUNNERS[module]
                    for what, value in _runner_targets(kind, args[j + 2 :]):
                        if not _UNFIXED.search(value):
                            out.append(
                                _MANIFEST_MARK + kind + "@@" + what + ":" + _from(value, cwd)
                            )
                break
            elif (arg in _STOP_OPTIONS and not (posix and arg in ("-e", "-E"))) or arg.startswith(
                "--command"
            ):
                break
            elif lang and _module_option(lang, args, j, out, cwd):
                # `perl -Ilib -MPre`, `ruby -I lib -r pre`, `node -r pre`: a module loaded by
                # name, or a folder names are found in (thirty-ninth pass)
                skip = arg in ("-I", "-M", "-m") or (arg in _PRELOADS and j + 1 < len(args))
                if skip and arg in _PRELOADS and args[j + 1].startswith(("./", "../", "/")):
                    add(args[j + 1])
            elif arg in _PRELOADS and j + 1 < len(args):
                add(args[j + 1])  # `node -r ./setup.js x.js`: code it runs first
                skip = True
            elif arg.partition("=")[0] in _PRELOADS:
                add(arg.partition("=")[2])
            elif arg.startswith("-r") and arg[2:3] in (".", "/"):
                add(arg[2:])  # `ruby -r./x.rb` (RUBYOPT)
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
            if value.endswith((*_SCRIPT_FILES, ".mk")) and _MAKE_FILE_WORD.fullmatch(value):
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
        _py_script(args, add)  # `coverage run ci/x.py`, `pyinstrument ci/x.py`
    elif depth < 2 and name not in _NOT_RUNNERS:
        _run_rest(args, cwd, out, depth)
    return cwd


def _python_build(name: str, args: Sequence[str]) -> str | None:
    """The project folder a Python build or install of the command builds (`pip install
    .`, `pip install -e sub`, `pip wheel .`, `python -m pip install .`, `python -m build`,
    `uv sync|build|run|pip install .`, `poetry install|build`, `pdm install|build|sync`,
    `hatch build`); None when it builds none."""
    words = list(args[:64])
    if name.startswith("python") and words[:2] in (["-m", "pip"], ["-m", "build"]):
        name, words = words[1], words[2:]
    if name == "uv" and words[:1] == ["pip"]:
        name, words = "pip", words[1:]
    verbs = {"pip": ("install", "wheel"), "pip3": ("install", "wheel"), "uv": ("sync", "build",
             "run"), "poetry": ("install", "build"), "pdm": ("install", "build", "sync"),
             "hatch": ("build",), "rye": ("sync", "build"), "build": ()}  # fmt: skip
    if name not in verbs:
        return None
    if name == "build":
        rest = [w for w in words if not w.startswith("-")]
        return rest[0] if rest else "."
    if not words or words[0] not in verbs[name]:
        return None
    if name in ("pip", "pip3"):
        for j, w in enumerate(words[1:], 1):
            if w in ("-e", "--editable") and j + 1 < len(words):
                w = words[j + 1]
            if w == "." or w.startswith(("./", "../")) or w.endswith("/"):
                return w.split("[")[0]  # (`.[dev]`)
            if w.startswith(".["):
                return "."
        return None
    return "."


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
                return [*words[:j], *value.split(), *rest]
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
    for k, arg in enumerate(args[:32]):
        if os.path.basename(arg) in _SHELLS and arg not in (".", "source"):
            _script_in_segment(list(args[k:]), cwd, out, depth + 1)
            return


# Python tools and modules that run a script they are given (`python -m cProfile x.py`,
# `coverage run x.py`): its first `.py` operand (forty-first pass)
_PY_SCRIPT_RUNNERS = frozenset(
    "coverage trace pdb cProfile profile runpy pyinstrument memray scalene debugpy viztracer "
    "kernprof py-spy timeit".split()
)


def _py_script(args: Sequence[str], add: Callable[[str], None]) -> None:
    """The first `.py` operand of a Python tool that runs a script (an option's `=` value
    skipped)."""
    for arg in args[:32]:
        if arg in ("-m", "--module", "-c"):
            return  # (a module by name: read as `python -m` reads it)
        if arg.endswith(".py") and not arg.startswith("-"):
            add(arg)
            return


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
_COMMAND_STRING = lazy_compile(r"^\s*[!|]*\s*(\S+)\s+\S")


def _command_value(value: str, cwd: str, out: list[str], depth: int) -> None:
    """A value a program runs as a command (a git alias's `!bash ci/x.sh`, `core.pager=…`,
    `script -c '…'`, `nix-shell --run '…'`): its words read as a command line; a single word
    with a `/` is a program by path."""
    value = value.strip().lstrip("!|").strip()
    if not value or len(value) > _SCRIPT_LINE:
        return
    if re.search(r"\s", value):
        out += [_from_marked(w, cwd) for w in _scripts_in(value, depth + 1)]
    elif "/" in value and not _UNFIXED.search(value) and not value.startswith("-"):
        out.append(_from(value, cwd))


def _command_values(name: str, args: Sequence[str], cwd: str, out: list[str], depth: int) -> None:
    """Commands a segment's words hold as strings (forty-first pass): a word (or an option's
    `=` value) that is a command line whose first word is a shell, an interpreter or a
    program by path (`script -qc 'bash ci/x.sh'`, `su -c '…'`, `tmux new '…'`, `nix-shell
    --run '…'`, `git submodule foreach '…'`); git's options and configuration values that are
    commands (`_GIT_COMMAND_OPTIONS`, `_GIT_COMMAND_KEYS`), `git bisect run`'s words."""
    words = list(args[:64])
    for arg in words if name != "git" else ():  # (git's own below: a message is no command)
        head, eq, tail = arg.partition("=")
        for value in (arg, tail) if eq and not re.search(r"\s", head) else (arg,):
            m = _COMMAND_STRING.match(value)
            if m and (
                os.path.basename(m.group(1)) in _SHELLS or _PROGRAM_PATH.fullmatch(m.group(1))
            ):
                _command_value(value, cwd, out, depth)
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
            if folder and not _UNFIXED.search(folder):
                out.append(_MANIFEST_MARK + "pathdir@@d:" + _from(folder + "/hooks", cwd))


def _module_option(lang: str, args: Sequence[str], j: int, out: list[str], cwd: str) -> bool:
    """Whether ``args[j]`` of a perl, ruby or node command names a module loaded by name
    or a folder such names are found in; the markers it stands for are added to ``out``."""
    arg = args[j]
    nxt = args[j + 1] if j + 1 < len(args) else ""
    if lang in ("pl", "rb") and arg.startswith("-I"):
        folder = arg[2:] or nxt
        if folder and not _UNFIXED.search(folder):
            out.append(_MANIFEST_MARK + f"libdir-{lang}@@d:" + _from(folder, cwd))
        return True
    if lang == "pl" and arg[:2] in ("-M", "-m"):
        spec = arg[2:] or nxt
        if spec.startswith("lib="):
            # `perl -Mlib=ci,tools`: folders put first on @INC, as `-I` does
            for folder in spec[4:].split(",")[:8]:
                if folder and not _UNFIXED.search(folder):
                    out.append(_MANIFEST_MARK + "libdir-pl@@d:" + _from(folder, cwd))
            return True
        words = spec.lstrip("-").partition("=")[0].split()[0:1]
        if words and _MODULE_NAME.fullmatch(words[0]):
            out.append(_MANIFEST_MARK + "loadmod-pl@@m:" + words[0])
        return True
    if lang == "rb" and arg.startswith("-r") and not arg.startswith("--"):
        name = arg[2:] or nxt
        if _MODULE_NAME.fullmatch(name):
            out.append(_MANIFEST_MARK + "loadmod-rb@@m:" + name)
        return bool(_MODULE_NAME.fullmatch(name))
    if lang == "js" and arg.partition("=")[0] in _PRELOADS:
        name = arg.partition("=")[2] if "=" in arg else nxt
        if _MODULE_NAME.fullmatch(name) and "::" not in name:
            out.append(_MANIFEST_MARK + "loadmod-js@@m:" + name)
            return True
    return False


def _pytest_loads(args: Sequence[str], out: list[str], cwd: str) -> None:
    """The plugins a pytest command loads by name (`-p NAME`), and its configuration file,
    whose `addopts` and `pythonpath` are read too (`_pytest_config`)."""
    config = ""
    for j, arg in enumerate(args[:256]):
        if arg in ("-p", "-c", "--config-file") and j + 1 < len(args):
            value = args[j + 1]
        elif arg.startswith("-p") and not arg.startswith("--"):
            arg, value = "-p", arg[2:]
        elif arg.startswith("--config-file="):
            arg, value = "-c", arg.partition("=")[2]
        else:
            continue
        if arg == "-p" and _MODULE_NAME.fullmatch(value):
            out.append(_MANIFEST_MARK + "loadmod-py@@m:" + value)
        elif arg != "-p" and not _UNFIXED.search(value):
            config = value
    if config:
        out.append(_MANIFEST_MARK + "pytestcfg@@f:" + _from(config, cwd))
    else:
        out.append(_MANIFEST_MARK + "pytestcfg@@d:" + _from(".", cwd))
    out.append(_MANIFEST_MARK + "libdir-py@@d:" + _from(".", cwd))  # (fail closed)


# pytest's configuration files, in the order it tries them in each folder, walking up
_PYTEST_CONFIGS = ("pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")
_PYTEST_SECTION = {
    "pyproject.toml": r"(?m)^\s*\[\s*tool\.pytest(?:\.ini_options)?\s*\]",
    "tox.ini": r"(?m)^\s*\[pytest\]",
    "setup.cfg": r"(?m)^\s*\[tool:pytest\]",
}


def _pytest_config(ws: Workspace, target: str, is_dir: bool) -> tuple[str, str]:
    """(the configuration file pytest takes from ``target`` up, its text)."""
    if not is_dir:
        try:
            with open_regular(target) as fh:
                return target, fh.read(_CONFIG_LIMIT).decode("utf-8", "replace")
        except OSError:
            return target, ""
    folder = target
    for _ in range(16):
        for n in _PYTEST_CONFIGS:
            path = os.path.join(folder, n)
            try:
                with open_regular(path) as fh:
                    text = fh.read(_CONFIG_LIMIT).decode("utf-8", "replace")
            except OSError:
                continue
            if n not in _PYTEST_SECTION or re.search(_PYTEST_SECTION[n], text):
                return path, text
        if folder == ws.root or not ws.contains(os.path.dirname(folder)):
            break
        folder = os.path.dirname(folder)
    return "", ""


def _pytest_options(path: str, text: str) -> tuple[list[str], list[str]]:
    """(the plugins its `addopts` loads by name, its `pythonpath` folders) of a pytest
    configuration file."""
    addopts: list[str] = []
    folders: list[str] = []
    if path.endswith(".toml"):
        import tomllib  # noqa: PLC0415

        try:
            doc = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError):
            return [], []
        tool = doc.get("tool", {}) if isinstance(doc, dict) else {}
        pyt = tool.get("pytest", {}) if isinstance(tool, dict) else {}
        for table in (pyt, pyt.get("ini_options", {}) if isinstance(pyt, dict) else {}):
            if not isinstance(table, dict):
                continue
            for key, into in (("addopts", addopts), ("pythonpath", folders)):
                value = table.get(key)
                if isinstance(value, str):
                    into += value.split() if key == "pythonpath" else _split(value)
                elif isinstance(value, list):
                    into += [str(v) for v in value[:256]]
    else:
        # an ini file: `addopts =` and `pythonpath =` with their continuation lines, in any
        # section (fail closed)
        key = ""
        for line in text.splitlines()[:4000]:
            m = re.match(r"\s*(addopts|pythonpath)\s*[=:]\s*(.*)$", line)
            if m:
                key = m.group(1)
                value = m.group(2)
            elif key and line[:1] in (" ", "\t") and line.strip():
                value = line.strip()
            else:
                key = ""
                continue
            if key == "addopts":
                addopts += _split(value)
            else:
                folders += value.split()
    plugins: list[str] = []
    for j, arg in enumerate(addopts[:256]):
        value = ""
        if arg == "-p" and j + 1 < len(addopts):
            value = addopts[j + 1]
        elif arg.startswith("-p") and not arg.startswith("--"):
            value = arg[2:]
        if _MODULE_NAME.fullmatch(value):
            plugins.append(value)
    return plugins[:32], folders[:16]


def _split(value: str) -> list[str]:
    import shlex  # noqa: PLC0415

    try:
        return shlex.split(value)
    except ValueError:
        return value.split()


def _module_files(lang: str, name: str) -> list[str]:
    """The files, relative to a folder of its search path, that loading ``name`` by name
    runs (a package's `__init__.py` above it too)."""
    if lang == "py":
        parts = name.split(".")
        return [
            *("/".join(parts[: k + 1]) + "/__init__.py" for k in range(len(parts))),
            "/".join(parts) + ".py",
            "/".join(parts) + "/__main__.py",
        ]
    if lang == "pl":
        return [name.replace("::", "/") + ".pm"]
    if lang == "rb":
        return [name + ".rb", name + ".so"]
    return [name + ext for ext in (".js", ".cjs", ".mjs", ".json", "/index.js", "/package.json")]


# reserved words a command may follow in a line (`if …; then CMD`, `do CMD`, `{ CMD; }`)
_SHELL_KEYWORDS = frozenset("if then else elif do while until { ! time coproc".split())
_CONTAINERS = frozenset(("docker", "podman", "nerdctl"))
# options of `docker run`/`exec`/`compose run` that take the next word
_CONTAINER_VALUES = frozenset(
    "-v --volume -w --workdir -e --env --env-file -p --publish --name -u --user --network "
    "--net --entrypoint --mount -l --label --platform --hostname -h --add-host --cap-add "
    "--cap-drop --device --dns -m --memory --cpus --pull --restart --runtime --security-opt "
    "--shm-size --tmpfs --ulimit --volumes-from --ipc --pid --label-file --log-driver "
    "--log-opt --gpus -a --attach --cidfile --cgroupns --stop-signal --stop-timeout --uts "
    "--userns --link --expose --group-add --health-cmd --init-path --isolation --mac-address "
    "--detach-keys --index -f --file --project-name --project-directory --profile "
    "--env-from-file --service-ports".split()
)  # fmt: skip


def _container_command(args: Sequence[str]) -> list[str] | None:
    """The command words of `docker run IMAGE CMD…`, `docker exec C CMD…`, `docker compose
    run|exec SERVICE CMD…` (`container run`, `podman-compose` spellings alike); None for
    any other verb or no command."""
    words = list(args)
    k = 0
    while k < len(words) and words[k].startswith("-"):  # global options (`--context x`)
        k += 2 if words[k] in ("--context", "-c", "-H", "--host", "--config", "-f", "--file",
                               "-p", "--project-name", "--log-level") else 1  # fmt: skip
    if k < len(words) and words[k] in ("compose", "container"):
        k += 1
        while k < len(words) and words[k].startswith("-"):
            k += 2 if words[k] in _CONTAINER_VALUES and "=" not in words[k] else 1
    if k >= len(words) or words[k] not in ("run", "exec"):
        return None
    k += 1
    while k < len(words) and words[k].startswith("-"):
        k += 2 if words[k] in _CONTAINER_VALUES and "=" not in words[k] else 1
    k += 1  # the image, the container or the service
    return words[k:] or None


_COMPOSERS = frozenset(("docker-compose", "podman-compose"))


def _compose_files(args: Sequence[str]) -> list[tuple[str, str]] | None:
    """The compose files `docker compose …` reads, as ("f", file) for each `-f`/`--file`
    and ("d", folder) for the folder it looks in (`--project-directory`, else where it runs:
    compose looks upward from there); None when it is not `compose`."""
    words = list(args)[:256]
    k = 0
    while k < len(words) and words[k].startswith("-"):
        k += 2 if words[k] in ("--context", "-c", "-H", "--host", "--config") else 1
    if k >= len(words) or words[k] != "compose":
        return None
    files: list[tuple[str, str]] = []
    folder = "."
    for j, w in enumerate(words[k + 1 :], k + 1):
        value = words[j + 1] if j + 1 < len(words) else ""
        head, eq, tail = w.partition("=")
        if w in ("-f", "--file") or (eq and head in ("-f", "--file")):
            files.append(("f", tail if eq else value))
        elif w.startswith("-f") and len(w) > 2 and not w.startswith("--"):
            files.append(("f", w[2:]))
        elif head == "--project-directory":
            folder = tail if eq else value
        elif w in ("run", "exec", "up", "start", "create", "build"):
            break
    return files or [("d", folder)]


def _container_workdir(args: Sequence[str]) -> str:
    """The workspace folder `-w`/`--workdir` of `docker run`/`compose run` names, from the
    top, through a `-v HOST:DIR` mount of the workspace (`$PWD`, `.`, `$(pwd)`, the CI's
    workspace variable); "*" (any folder) when it is not under one; "" without `-w`."""
    workdir = ""
    mounts: list[str] = []
    words = list(args)[:256]
    for k, w in enumerate(words):
        value = words[k + 1] if k + 1 < len(words) else ""
        if w.startswith(("--workdir=", "-w=")):
            workdir = w.partition("=")[2]
        elif w in ("-w", "--workdir"):
            workdir = value
        elif w.startswith("-w") and len(w) > 2 and not w.startswith("--"):
            workdir = w[2:]
        elif w in ("-v", "--volume") or w.startswith(("--volume=", "-v=")):
            spec = w.partition("=")[2] if "=" in w else value
            host, _, rest = spec.partition(":")
            host = _PWD.sub(".", _WORKSPACE_VARS.sub(".", host)).strip("'\"")
            if host in (".", "./") and rest:
                mounts.append(rest.partition(":")[0].rstrip("/"))
    if not workdir:
        return ""
    workdir = workdir.rstrip("/")
    if not workdir.startswith("/"):
        return workdir  # (from the image's own folder: read as from the top too)
    for m in mounts:
        if m and (workdir == m or workdir.startswith(m + "/")):
            return workdir[len(m) :].lstrip("/") or "."
    return "*"


def _container_build(args: Sequence[str]) -> tuple[str, str] | None:
    """("f", Dockerfile) or ("d", context folder) of `docker build` / `buildx build` /
    `image build`; None for any other verb."""
    words = list(args)
    if words[:1] in (["buildx"], ["image"], ["builder"]):
        words = words[1:]
    if words[:1] != ["build"]:
        return None
    folder = "."
    k = 1
    while k < len(words):
        w = words[k]
        if w in ("-f", "--file"):
            return ("f", words[k + 1]) if k + 1 < len(words) else None
        if w.startswith("--file="):
            return ("f", w.partition("=")[2])
        if w.startswith("-"):
            k += 1 if "=" in w or w in ("-q", "--quiet", "--no-cache", "--pull", "--load",
                                        "--push", "--rm", "--force-rm") else 2  # fmt: skip
            continue
        folder = w
        k += 1
    return ("d", folder)


def _from(word: str, cwd: str) -> str:
    """``word`` as seen from the working directory ``cwd`` of the configuration's line."""
    if word.startswith((_ROOT_MARK, _ACTION_MARK, "/")) or not cwd:
        return word
    return os.path.join(cwd, word)


def _runner_targets(kind: str, args: Sequence[str]) -> list[tuple[str, str]]:
    """("d", folder) and ("f", file) pairs a runner that runs tasks by name reads its task
    file from (its working directory "." when no option names one). `make -C a -C b` is
    `a/b`; an unknown option is read as a flag (the folder stays)."""
    options = _RUNNER_OPTIONS[kind]
    folder = ""
    files: list[str] = []
    folders: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            break
        opt, eq, value = arg.partition("=")
        if opt not in options and not eq and len(arg) > 2 and arg[:2] in options:
            opt, value, eq = arg[:2], arg[2:], "="  # attached: `-Csub`, `-fci.mk`
        what = options.get(opt)
        if what is None:
            continue
        if not eq:
            if i >= len(args):
                break
            value = args[i]
            i += 1
        if what == "d" and kind == "make":
            folder = os.path.join(folder, value) if folder and not value.startswith("/") else value
        elif what in ("d", "w"):
            folders.append(value)
            if what == "w":
                folders.append(".")  # the root's package.json lists its workspaces
        elif what == "f":
            files.append(value)
    if kind == "meson" and not folders:
        # `meson setup BUILDDIR SOURCEDIR`: the source folder is the second operand
        operands = [a for a in args if not a.startswith("-")]
        operands = operands[1:] if operands[:1] in (["setup"], ["configure"]) else operands
        folders += operands[1:2]
    if kind == "make" and folder:
        files = [os.path.join(folder, f) if not f.startswith("/") else f for f in files]
    out = [("f", f) for f in files]
    if kind == "make" and not files:
        out.append(("d", folder or "."))
    elif kind != "make" and not files:
        out += [("d", d) for d in folders or ["."]]
    return out


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
            if fnmatch.fnmatchcase(low, pattern):
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


_CI_NAME = lazy_compile(r"[^\s'\"\[\]{},:#]+\.ya?ml\b", re.IGNORECASE)


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
        return [m for m in _CI_NAME.findall(text) if "://" not in m]
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
    data = read_regular(real, _CONFIG_LIMIT)
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
