"""The words and shapes every reader of a repository's run configuration shares: the size cap on
a configuration file, the variables CI systems and containers set to the workspace, the marks
for the repository's root and a CI action's own folder, runner options, preloads, script and
JavaScript file names."""

from __future__ import annotations

import re

from enforcement_agent.lazy_regex import lazy_compile

CONFIG_LIMIT = 256 << 10


# (an unclosed string runs to the end, so no start is scanned twice: a thirty-fourth pass
# found `"` followed by 100,000 `\"` took minutes with a pattern that had to close)
JSON_STRING = lazy_compile(r'"((?:[^"\\]|\\.)*)(?:"|\Z)', re.S)


# a runner's options that name its directory (d) or its file (f)
RUNNER_OPTIONS = {
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
    # (`-c`/`--collection` name a module: its `.py` or package, `runner_targets`; `-f` a
    # configuration file, whose `run.shell`, `tasks.collection_name` it takes; forty-second pass)
    "invoke": {"-c": "m", "--collection": "m", "-r": "d", "--search-root": "d", "-f": "f",
               "--config": "f"},
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
    "poe": {"-C": "d", "--directory": "d", "--root": "d"},
    "cabal": {"--project-file": "f"}, "stack": {"--stack-yaml": "f"},
    "xmake": {"-P": "d", "--project": "d", "-F": "f", "--file": "f"},
    "premake": {"--file": "f"}, "lein": {}, "autotools": {"-I": ""},
    "msbuild": {}, "bundler": {"--gemfile": "f"}, "pybuild": {},
    "ninja": {"-C": "d", "-f": "f", "-j": "", "-k": "", "-l": "", "-d": "", "-t": "", "-w": ""},
    "snakemake": {"-s": "f", "--snakefile": "f", "-d": "d", "--directory": "d", "-j": "",
                  "--cores": "", "-c": ""},
    "fab": {"-f": "f", "--fabfile": "f", "-H": "", "--hosts": ""},
    "precommit": {"-c": "f", "--config": "f", "--hook-stage": "", "--files": ""},
    # (forty-fourth pass) ansible's playbooks are its operands (`runner_targets`)
    "goreleaser": {"-f": "f", "--config": "f"}, "danger": {"-d": "f", "--dangerfile": "f"},
    "fastlane": {}, "tilt": {"-f": "f", "--file": "f"}, "pixi": {"--manifest-path": "f"},
    "nx": {},
    "skaffold": {"-f": "f", "--filename": "f", "-p": "", "--profile": ""},
    "ansible": {"-i": "", "--inventory": "", "-e": "", "--extra-vars": "", "-l": "",
                "--limit": "", "-t": "", "--tags": "", "-u": "", "--user": "", "-c": "",
                "--connection": "", "-f": "", "--forks": "", "--skip-tags": "", "-M": "",
                "--module-path": "d", "--vault-password-file": "", "--vault-id": ""},
    # (the code-configuration tools: their `--config`/`-c` file; unknown options are flags)
    **{t: {"-c": "f", "--config": "f", "--config-file": "f"} for t in (
        "eslint", "prettier", "stylelint", "jest", "vitest", "vite", "mocha", "ava", "karma",
        "playwright", "cypress", "webpack", "rollup", "babel", "commitlint", "lint-staged",
        "postcss", "tailwindcss", "next", "nuxt", "astro", "tsup", "svelte-kit",
    )},
}  # fmt: skip


# Tools that run another program by name: `uvx tox`, `uv run nox`, `npx …`, `poetry run make`
JS_FILES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx")


SCRIPT_FILES = (*JS_FILES, ".py", ".sh", ".rb", ".pl")


MANIFEST_MARK = "@@gonogo-manifest@@"


PRELOADS = frozenset(("-r", "--require", "--import", "--loader", "--experimental-loader"))


WORKSPACE_VARS = lazy_compile(
    r"\$\{\{\s*github\.workspace\s*\}\}|\$\{?(?:GITHUB_WORKSPACE|CI_PROJECT_DIR|CLAUDE_PROJECT_DIR"
    r"|BUILDKITE_BUILD_CHECKOUT_PATH|CIRCLE_WORKING_DIRECTORY|TRAVIS_BUILD_DIR|CI_WORKSPACE"
    r"|DRONE_WORKSPACE|BITBUCKET_CLONE_DIR|CIRRUS_WORKING_DIR|CODEBUILD_SRC_DIR"
    r"|APPVEYOR_BUILD_FOLDER|SEMAPHORE_GIT_DIR)\b\}?"
    r"|\$\{(?:workspaceFolder|localWorkspaceFolder|containerWorkspaceFolder)\}"
    r"|\$\((?:Build\.SourcesDirectory|System\.DefaultWorkingDirectory)\)"
)


ROOT_MARK, ACTION_MARK = "@@gonogo-ws@@", "@@gonogo-action@@"


UNFIXED = lazy_compile(r"[$`*?\[{~<>]")


# A variable, an expression or a substitution in a path (`${{ inputs.dir }}`, `${DIR}`,
# `$DIR`, `$(pwd)`, GitLab's `$[[ inputs.dir ]]`, a lone `$`): what stands there is not
# known, so it reads as "*" (one expression for the task files and the CI includes)
VARIABLE = lazy_compile(r"\$\{\{[^}]*\}\}|\$\([^()]*\)|\$(?:\{[^}]*\}|\[\[.*?\]\]|\w+)|\$")


# a word of a Makefile that names a file make may run: a relative path or a script
MAKE_FILE_WORD = lazy_compile(
    r"(?:\.{0,2}/)?(?:[\w.+-]+/)*[\w.+-]+(?:/[\w.+-]+|\.(?:sh|bash|py|js|mjs|cjs|ts|rb|pl|so))"
)


WORKSPACE_PWD = lazy_compile(r"\$\{?PWD\}?|\$\(\s*pwd\s*\)|`\s*pwd\s*`")


# a quoted string of 4 to 512 characters (a command a task file or code hands a shell)
QUOTED = lazy_compile(r""""((?:[^"\\\n]|\\.){4,512})"|'([^'\n]{4,512})'""")


def quoted_strings(text: str, limit: int = 256) -> list[str]:
    """The quoted strings of ``text`` (its first 64 KB, at most ``limit``)."""
    return [m.group(1) or m.group(2) for m in QUOTED.finditer(text[:65536])][:limit]
