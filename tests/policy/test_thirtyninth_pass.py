"""Thirty-ninth red-team pass (2026-12-06), issue 10: the items the stop 39 note left open.

Found, each allowed on the tree before this pass and shown by effect (the by-effect runs are
below, with a control each):

1. **Loaders in CI (classes 5/11).** Code CI loads *by name*: a run line's own
   `NODE_OPTIONS='--require ./ci/pre.js' npm test`, `export BASH_ENV=…`, `PERL5OPT=-MPre`
   (only the `env:` map's were read), and modules found through a search path:
   `PERL5LIB=ci perl -MPre`, `RUBYLIB`/`-I` + `ruby -rpre`, `NODE_PATH=lib node -r pre`,
   `PYTHONPATH=src python -m tool`, `pytest -p plugin`, pytest's `addopts = -p plugin`
   (pytest.ini, pyproject.toml, tox.ini, setup.cfg). node, perl and python left markers.
2. **Makefile and just forms the reader did not read (class 11).** `$(eval …)`,
   `$(foreach …)`, `$(call)` of a `define` inside `$(eval)`, text functions (`subst`,
   `addprefix`, `patsubst`), automatic variables (`$<`, `$@`), `target: ; recipe`,
   `.SHELLFLAGS`, `load`, `$(if …)`, `$(or …)`, an include taken from where make runs
   (not the including file's folder), `include mk/$(OS).mk`, `SHELL := python3`, a JVM's
   `-javaagent:`, values from make's command line and environment, shell loops
   (`for s in a b; do sh ci/$$s.sh`), reserved words before a CI command (`then`, `do`,
   `{`); just shebang recipes, `set shell`, `set script-interpreter`, backticks, `shell()`,
   `{{var}}`; `docker run -w` into a mounted subfolder. GNU make 4.3 ran every make form.
3. **Over-refusals.** `git log -G x -- ':!.env'` (and `git grep x -- ':!.env'`) were refused
   although git leaves the secret out (real git below); the viewer's git was refused in a
   repository whose configuration sets `http.cookieFile`, `core.editor`, `commit.gpgsign` or
   the filter `git lfs install` writes. Break-glass: `kubectl delete -f - < FILE` matched
   the shape `kubectl delete -f -` whatever FILE held (now no shape matches a line that reads
   its input from a file or a here-document; `< /dev/null` still does).
4. **Runner passthrough.** `npm run lint -- -a.env echo` (script `xargs`) printed the secret
   on the host: an attached option value handed to a script was not read as a path.
   Known-secret transforms: Caesar shifts other than 13, UTF-16 as hex, every other
   character (`tests/redaction` shapes below).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy
from enforcement_agent.redaction.known import KnownSecrets
from tests.policy.conftest import overlay_policy
from tests.policy.scratch_repo import GIT_ENV, scratch_repo
from tests.policy.verdicts import assert_append_allowed as _allowed
from tests.policy.verdicts import assert_append_denied as _denied
from tests.policy.verdicts import exec_verdict

NODE = shutil.which("node")
PERL = shutil.which("perl")
MAKE = shutil.which("make")
NPM = shutil.which("npm")
T = "\t"


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


def _wf(run: str, env: dict[str, str] | None = None) -> str:
    e = "" if env is None else "    env:\n" + "".join(f"      {k}: {v}\n" for k, v in env.items())
    return f"on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n{e}    steps:\n      - run: {run}\n"


# ---- 1. loaders in CI ----------------------------------------------------------------------
# (workflow file → its run line and env); one workflow per case: a configuration's module
# folders and the modules it loads by name are combined within it
LOADER_WORKFLOWS: dict[str, tuple[str, dict[str, str] | None]] = {
    "node-inline": ("NODE_OPTIONS='--require ./ci/pre.js' npm test", None),
    "node-export": ("export NODE_OPTIONS=--import=./ci/pre.mjs && node x.js", None),
    "bash-env-inline": ("BASH_ENV=ci/env.sh bash x.sh", None),
    "bash-env-export": ("export BASH_ENV=ci/env2.sh; bash x.sh", None),
    "perl-inline": ("PERL5LIB=plib PERL5OPT=-MPre perl x.pl", None),
    "perl-dash-i": ("perl -I plib2 -MFoo::Bar x.pl", None),
    "perl-env": ("perl x.pl", {"PERL5OPT": "-MEnvPre", "PERL5LIB": "plib3"}),
    "perl-mlib": ("perl -Mlib=plib4 -MLibPre x.pl", None),
    "ruby-dash-i": ("ruby -Irlib -rpre x.rb", None),
    "ruby-env": ("ruby x.rb", {"RUBYOPT": "-rrpre", "RUBYLIB": "rlib2"}),
    "node-path": ("NODE_PATH=nlib node -r pre x.js", None),
    "node-path-cd": ("cd web && NODE_PATH=nlib node -r wpre x.js", None),
    "pythonpath-m": ("PYTHONPATH=src python -m tool", None),
    "pythonpath-env": ("python -m tool2", {"PYTHONPATH": "src2"}),
    "pytest-p": ("pytest -p ci_plugin", None),
    "pytest-m-p": ("python -m pytest -p ci.plug", None),
    "pytest-ini": ("cd pt && pytest", None),
    "pytest-pyproject": ("cd pp && pytest", None),
    "pytest-setupcfg": ("cd sc && python -m pytest", None),
}
LOADER_FILES = {
    "README.md": "r\n",
    **{f".github/workflows/{k}.yml": _wf(*v) for k, v in LOADER_WORKFLOWS.items()},
    "pt/pytest.ini": "[pytest]\naddopts = -q -p pt_plugin\n",
    "pp/pyproject.toml": "[tool.pytest.ini_options]\naddopts = ['-p', 'pp_plugin']\n"
    "pythonpath = ['helpers']\n",
    "sc/setup.cfg": "[tool:pytest]\naddopts =\n    -q\n    -psc_plugin\n",
    "src/existing.py": "x\n",
    ".npmrc": "node-options=--require ./ci/npmpre.js\nscript-shell = ./ci/npmshell\n",
    ".yarnrc": 'yarn-path "./ci/yarn.js"\n',
    ".cargo/config.toml": '[build]\nrustc-wrapper = "ci/wrap.sh"\n[target.x]\nrunner = ["ci/run.sh"]\n',
}
LOADED_BY_NAME = [
    "ci/pre.js",
    "ci/pre.mjs",
    "ci/env.sh",
    "ci/env2.sh",
    "plib/Pre.pm",
    "plib2/Foo/Bar.pm",
    "plib3/EnvPre.pm",
    "plib4/LibPre.pm",
    "rlib/pre.rb",
    "rlib2/rpre.rb",
    "nlib/pre.js",
    "nlib/pre/index.js",
    "web/nlib/wpre.js",
    "src/tool.py",
    "src2/tool2.py",
    "ci_plugin.py",
    "ci/plug.py",
    "ci/__init__.py",
    "pt/pt_plugin.py",
    "pp/pp_plugin.py",
    "pp/helpers/pp_plugin.py",
    "sc/sc_plugin.py",
    "ci/npmpre.js",  # .npmrc, .yarnrc and .cargo/config.toml name code every run loads
    "ci/npmshell",
    "ci/yarn.js",
    "ci/wrap.sh",
    "ci/run.sh",
]
LOADER_CONTROLS = [
    "src/existing.py",  # the project's own module, loaded by no name
    "src/other.py",
    "plib/Other.pm",
    "nlib/other.js",
    "pt/conftest.py",  # discovery, open by decision (thirty-sixth pass)
    "pt/pytest.ini",  # pytest's configuration stays writable, like conftest.py
    "pp/pyproject.toml",
    "pp/helpers/util.py",
    "rlib/other.rb",
]


@pytest.fixture(scope="module")
def loader_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt39-loaders")
    return scratch_repo(root / "ws", LOADER_FILES, tracked=tuple(LOADER_FILES))


@pytest.mark.parametrize("path", LOADED_BY_NAME)
def test_code_ci_loads_by_name_is_protected(policy: Policy, loader_ws: Path, path: str) -> None:
    _denied(policy, loader_ws, path)


@pytest.mark.parametrize("path", LOADER_CONTROLS)
def test_code_ci_loads_by_no_name_stays_writable(
    policy: Policy, loader_ws: Path, path: str
) -> None:
    _allowed(policy, loader_ws, path)


@pytest.mark.parametrize(
    "command",
    [
        "PERL5LIB=. perl x.pl",
        "RUBYOPT=-revil ruby x.rb",
        "NODE_OPTIONS=--require=./e.js node x.js",
        "NODE_PATH=. node x.js",
        "PYTHONPATH=. python -m tool",
        "PYTEST_ADDOPTS='-p evil' pytest",
        "PYTHONUSERBASE=. python3 x.py",
    ],
)
def test_the_agent_may_not_set_a_loader_variable(
    policy: Policy, loader_ws: Path, command: str
) -> None:
    """The agent's own commands: every loader variable is off the environment allowlist."""
    assert exec_verdict(policy, loader_ws, command) == (Verdict.DENY, "shell.env-not-allowed")


def _marker_run(
    tmp_path: Path, files: dict[str, str], argv: list[str], env: dict[str, str]
) -> bool:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text.replace("MARK", str(tmp_path / "marker")))
    subprocess.run(argv, cwd=tmp_path, env={**os.environ, **env}, capture_output=True, timeout=60)
    return (tmp_path / "marker").exists()


@pytest.mark.skipif(NODE is None or PERL is None, reason="node and perl are in .ci/run's set")
def test_by_effect_loaders_run_the_named_file(tmp_path: Path) -> None:
    """What the CI lines above run: node, perl and python load the file the variable or the
    option names (markers); the same programs without it leave none."""
    files = {
        "ci/pre.js": 'require("fs").writeFileSync("MARK", "x")\n',
        "x.js": "1\n",
        "plib/Pre.pm": 'package Pre; open(my $f, ">", "MARK"); 1;\n',
        "x.pl": "1;\n",
        "src/tool.py": 'open("MARK", "w")\n',
    }
    runs = [
        (["node", "x.js"], {"NODE_OPTIONS": "--require ./ci/pre.js"}),
        (["perl", "x.pl"], {"PERL5LIB": "plib", "PERL5OPT": "-MPre"}),
        (["python3", "-m", "tool"], {"PYTHONPATH": "src"}),
    ]
    for argv, env in runs:
        assert _marker_run(tmp_path, files, argv, env), argv
        (tmp_path / "marker").unlink()
        assert not _marker_run(tmp_path, files, argv, {}), argv  # control


@pytest.mark.skipif(NPM is None, reason="npm is in .ci/run's set")
def test_by_effect_npmrc_node_options_load_the_named_file(tmp_path: Path) -> None:
    files = {
        ".npmrc": "node-options=--require ./ci/pre.js\n",
        "ci/pre.js": 'require("fs").writeFileSync("MARK", "x")\n',
        "x.js": "1\n",
        "package.json": '{"name": "x", "scripts": {"test": "node x.js"}}\n',
    }
    assert _marker_run(tmp_path, files, ["npm", "test", "-s"], {})
    (tmp_path / "marker").unlink()
    (tmp_path / ".npmrc").unlink()
    assert not _marker_run(tmp_path, {}, ["npm", "test", "-s"], {})


def test_by_effect_pytest_addopts_loads_the_plugin(tmp_path: Path) -> None:
    files = {
        "pytest.ini": "[pytest]\naddopts = -p ci_plugin\n",
        "ci_plugin.py": 'open("MARK", "w")\n',
        "test_a.py": "def test_a():\n    pass\n",
    }
    argv = [os.sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    assert _marker_run(tmp_path, files, argv, {})
    (tmp_path / "marker").unlink()
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    assert not _marker_run(tmp_path, {}, argv, {})


# ---- 2. Makefile, just and docker forms -----------------------------------------------------
MAKEFILES = {
    "ev": ("$(eval X := ci/ev.sh)\ncheck:\n\tsh $(X)\n", ["ci/ev.sh"]),
    "fe": ("S = a b\ncheck:\n\t$(foreach s,$(S),sh ci/$(s).sh;)\n", ["ci/a.sh", "ci/b.sh"]),
    "ec": (
        "define RULE\nrun-$(1):\n\tsh ci/$(1).sh\nendef\n"
        "$(foreach t,lint,$(eval $(call RULE,$(t))))\ncheck: run-lint\n",
        ["ci/lint.sh"],
    ),
    "su": ("X = ci/x1.sh\nY = $(subst x1,x2,$(X))\ncheck:\n\tsh $(Y)\n", ["ci/x2.sh"]),
    "at": ("X = ci/\ncheck:\n\tsh $(X)$(@).sh\n", ["ci/check.sh"]),
    "ap": ("check:\n\tsh $(addprefix ci/,z.sh)\n", ["ci/z.sh"]),
    "se": ("check: ci/semi.sh ; sh $<\n", ["ci/semi.sh"]),
    "lt": ("check: ci/gen.sh\n\t$<\n", ["ci/gen.sh"]),
    "sf": ("SHELL = sh\n.SHELLFLAGS = ci/rc -c\ncheck:\n\ttrue\n", ["ci/rc"]),
    "lp": ("check:\n\t@for s in l1 l2; do sh ci/$$s.sh; done\n", ["ci/l1.sh", "ci/l9.sh"]),
    "ps": (
        "T = p1\ncheck:\n\tfor f in $(patsubst %,ci/%.sh,$(T)); do sh $$f; done\n",
        ["ci/p1.sh"],
    ),
    "ld": ("load ci/plug.so\ncheck:\n\ttrue\n", ["ci/plug.so"]),
    "in": ("include mk/$(OS).inc\n", ["mk/linux.inc", "mk/new.inc"]),
    "i2": ("include mk/rules.inc\n", ["mk/rules.inc"]),  # from where make runs
    "if": ("check:\n\tsh $(if $(CI),ci/if1.sh,ci/if2.sh)\n", ["ci/if1.sh", "ci/if2.sh"]),
    "or": ("X = $(or $(SCRIPT),ci/or.sh)\ncheck:\n\tsh $(X)\n", ["ci/or.sh"]),
    "py": ("SHELL := python3\ncheck:\n\texec(open('ci/pyrec.py').read())\n", ["ci/pyrec.py"]),
}
MAKE_RUNS = {
    # a CI line per Makefile (-f), and values from make's command line and the environment
    **{f"mk-{k}": f"make -f mk/{k}.mk check" for k in MAKEFILES},
    "mk-cl": "make -f mk/cl.mk check SCRIPT=ci/cl.sh",
    "mk-en": "SCRIPT=ci/en.sh make -f mk/cl.mk check",
    "mk-c": "make -f mk/c.mk",
    "java": "JAVA_TOOL_OPTIONS=-javaagent:ci/agent.jar mvn test",
    "kw-then": "if true; then bash ci/then.sh; fi",
    "kw-do": "while true; do ./ci/do.sh; done",
    "kw-brace": "true && { bash ci/brace.sh; }",
    "just": "just --justfile jf/justfile check",
    "docker-w": "docker run -v $PWD:/w -w /w/sub node:20 bash ci/d.sh",
    "docker-w-npm": 'docker run --rm -v "$PWD":/src --workdir=/src/web2 node:20 npm test',
}
JUSTFILE = (
    "set shell := ['ci/jshell', '-c']\n"
    "x := `bash ci/bt.sh`\n"
    "S := 'ci/var.sh'\n"
    "check:\n    bash {{S}}\n    bash ci/{{T}}-x.sh\n"
    "sb:\n    #!/usr/bin/env bash\n    bash ci/sb.sh\n"
    "py:\n    #!ci/interp\n    run ci/py.sh\n"
)
MAKE_FILES = {
    "README.md": "r\n",
    **{f"mk/{k}.mk": v[0] for k, v in MAKEFILES.items()},
    "mk/cl.mk": "check:\n\tsh $(SCRIPT)\n",
    # (one workflow, a step per line: the reader opens at most 32 configuration files)
    ".github/workflows/runs.yml": _wf(MAKE_RUNS.popitem()[1]).rstrip("\n")
    + "".join(f"\n      - run: {v}" for v in MAKE_RUNS.values())
    + "\n",
    ".github/workflows/env-var.yml": _wf("black --check .", {"FLASK_APP": "src/app.py"}),
    ".github/workflows/lint.yml": _wf("for f in src/*.py; do black $f; done"),
    "mk/c.mk": "all:\n\tcc -c $(SRCDIR)/main.c -o $(OUT)/main.o\n",
    "jf/justfile": JUSTFILE,
}
MAKE_NAMED = [
    *(p for _, named in MAKEFILES.values() for p in named),
    "ci/cl.sh",
    "ci/en.sh",
    "ci/agent.jar",
    "ci/then.sh",
    "ci/do.sh",
    "ci/brace.sh",
    "jf/ci/jshell",
    "jf/ci/bt.sh",
    "jf/ci/var.sh",
    "jf/ci/any-x.sh",
    "jf/ci/sb.sh",
    "jf/ci/interp",
    "jf/ci/py.sh",
    "sub/ci/d.sh",
    "web2/package.json",
]
# (an `env:` value naming a project file, a loop over source files a linter reads, a C
# source a recipe compiles: none is run)
MAKE_CONTROLS = ["src/main.c", "src/app.py", "docs/index.md", "ci/notes.txt", "jf/ci/x.txt",
                 "x/main.c", "src/other.py"]  # fmt: skip


@pytest.fixture(scope="module")
def make_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt39-make")
    return scratch_repo(root / "ws", MAKE_FILES, tracked=tuple(MAKE_FILES))


@pytest.mark.parametrize("path", MAKE_NAMED)
def test_what_makefiles_just_and_docker_run_is_protected(
    policy: Policy, make_ws: Path, path: str
) -> None:
    _denied(policy, make_ws, path)


@pytest.mark.parametrize("path", MAKE_CONTROLS)
def test_files_the_runners_do_not_run_stay_writable(
    policy: Policy, make_ws: Path, path: str
) -> None:
    _allowed(policy, make_ws, path)


@pytest.mark.skipif(MAKE is None, reason="make is in .ci/run's set")
def test_by_effect_make_runs_every_form(tmp_path: Path) -> None:
    """GNU make runs what each Makefile above names (a marker per script); the control
    Makefile runs none."""
    scripts = [p for k, v in MAKEFILES.items() if k not in ("ld", "in", "py") for p in v[1]]
    for rel in {*scripts, "ci/cl.sh", "ci/en.sh"}:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"#!/bin/sh\ntouch '{tmp_path}/m-{path.name}'\n")
        path.chmod(0o755)
    skip = ("ld", "lp", "in", "py", "i2", "if")  # (a built object; run below; an include; python)
    runs = [([f"mk/{k}.mk"], {}, v[1]) for k, v in MAKEFILES.items() if k not in skip]
    runs += [(["mk/lp.mk"], {}, ["ci/l1.sh"])]
    runs += [(["mk/cl.mk", "SCRIPT=ci/cl.sh"], {}, ["ci/cl.sh"])]
    runs += [(["mk/cl.mk"], {"SCRIPT": "ci/en.sh"}, ["ci/en.sh"])]
    (tmp_path / "mk").mkdir(exist_ok=True)
    for k, v in [*MAKEFILES.items(), ("cl", ("check:\n\tsh $(SCRIPT)\n", []))]:
        (tmp_path / f"mk/{k}.mk").write_text(v[0])
    for args, env, named in runs:
        for m in tmp_path.glob("m-*"):
            m.unlink()
        argv = ["make", "-s", "-f", args[0], "check", *args[1:]]
        subprocess.run(argv, cwd=tmp_path, env={**os.environ, **env}, capture_output=True)
        for rel in named:
            assert (tmp_path / f"m-{Path(rel).name}").exists(), (args, rel)
    (tmp_path / "mk/none.mk").write_text("check:\n\techo ci/ev.sh\n")
    for m in tmp_path.glob("m-*"):
        m.unlink()
    subprocess.run(["make", "-s", "-f", "mk/none.mk", "check"], cwd=tmp_path, capture_output=True)
    assert not list(tmp_path.glob("m-*"))


# ---- 3. over-refusals ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def secret_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt39-git")
    files = {
        "README.md": "TOKEN mentioned\n",
        ".env": "TOKEN=s3cr3t-value-1\n",
        "sub/.env": "TOKEN=s3cr3t-value-2\n",
        "src/a.py": "TOKEN = 'placeholder'\n",
    }
    return scratch_repo(root / "ws", files, tracked=tuple(files))


EXCLUDING = [
    "git log -G TOKEN -- ':!.env' ':!sub/.env'",
    "git log -p -- ':!*.env'",
    "git log -p -- . ':(exclude).env' ':^sub/.env'",
    "git diff HEAD~0 -- ':^*.env'",
    "git show HEAD -- ':!*.env'",
    "git grep TOKEN -- ':!.env' ':!sub/.env'",
    "git grep TOKEN -- ':!*.env'",
    "git log -S TOKEN --oneline -- ':!*.env'",
]
STILL_READING = [
    "git log -p",
    "git log -G TOKEN -- ':!.env'",  # sub/.env is still covered
    "git grep TOKEN -- ':!.env'",
    "git log -p -- ':(top).env'",
    "git log -p -- ':(icase).ENV'",
    "git grep TOKEN -- ':!.en[v]' ':!sub/.env'",  # a wildmatch class: not read, fail closed
    "git log -p -- ':!README.md'",
]


@pytest.mark.parametrize("role", ["viewer", "contributor"])
@pytest.mark.parametrize("command", EXCLUDING)
def test_a_pathspec_that_leaves_the_secret_out_is_allowed(
    policy: Policy, secret_repo: Path, command: str, role: str
) -> None:
    verdict, rule = exec_verdict(policy, secret_repo, command, role)
    assert verdict is Verdict.ALLOW, (command, role, rule)


@pytest.mark.parametrize("command", STILL_READING)
def test_a_pathspec_that_keeps_a_secret_is_still_refused(
    policy: Policy, secret_repo: Path, command: str
) -> None:
    assert exec_verdict(policy, secret_repo, command, "viewer")[1] == "exec.secret-file", command


def test_by_effect_git_leaves_the_excluded_secret_out(secret_repo: Path) -> None:
    env = {**os.environ, **GIT_ENV, "HOME": str(secret_repo.parent)}

    def out(*argv: str) -> str:
        run = subprocess.run(["git", *argv], cwd=secret_repo, env=env, capture_output=True)
        return run.stdout.decode()

    assert "s3cr3t" in out("grep", "TOKEN")  # control
    assert "s3cr3t" not in out("grep", "TOKEN", "--", ":!.env", ":!sub/.env")
    assert "s3cr3t" not in out("grep", "TOKEN", "--", ":!*.env")
    assert "s3cr3t" in out("log", "-p")  # control
    assert "s3cr3t" not in out("log", "-p", "--", ":!*.env")
    assert "s3cr3t" not in out("log", "-G", "TOKEN", "-p", "--", ":(exclude).env", ":^sub/.env")


VIEWER_KEYS = {
    "http.cookieFile": "ci/cookies.txt",
    "core.editor": "MARKER_PROGRAM",
    "sequence.editor": "MARKER_PROGRAM",
    "commit.gpgsign": "true",
    "commit.template": "ci/msg.txt",
    "rebase.autosquash": "true",
    "merge.tool": "vimdiff",
    "credential.useHttpPath": "true",
    "filter.lfs.clean": "git-lfs clean -- %f",
    "filter.lfs.smudge": "git-lfs smudge -- %f",
    "filter.lfs.process": "git-lfs filter-process",
    "filter.lfs.required": "true",
}
VIEWER_REFUSED = {
    "credential.helper": "store",
    "core.pager": "sh x.sh",
    "filter.lfs.process": "sh evil.sh",
    "filter.lfs.clean": "git-lfs clean -- %f; sh x",
    "http.extraHeader": "X-Api: opaque",
    "http.proxy": "http://u:p@h",
    "core.hooksPath": "hooks",
    "lfs.customtransfer.x.path": "sh",
}
VIEWER_GIT = [
    "git status",
    "git log -p",
    "git diff",
    "git show HEAD",
    "git blame README.md",
    "git tag -l",
    "git branch -v",
    "git config --get core.editor",
    "git shortlog -s HEAD",
]


def _config_entry(key: str, value: str) -> str:
    """``key = value`` as a git configuration section (`a.b.c`: `[a "b"]` with `c`)."""
    section, _, name = key.rpartition(".")
    head, _, sub = section.partition(".")
    quoted = f' "{sub}"' if sub else ""
    return f"[{head}{quoted}]\n\t{name} = {value}\n"


@pytest.fixture(scope="module")
def viewer_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt39-viewer")
    ws = scratch_repo(root / "ws", {"README.md": "r\n", "marker.sh": "x\n"}, tracked=("README.md",))
    marker = root / "editor-ran"
    program = root / "editor.sh"
    program.write_text(f"#!/bin/sh\ntouch '{marker}'\n")
    program.chmod(0o755)
    with (ws / ".git/config").open("a") as fh:
        for key, value in VIEWER_KEYS.items():
            fh.write(_config_entry(key, value.replace("MARKER_PROGRAM", str(program))))
    return ws


@pytest.mark.parametrize("command", VIEWER_GIT)
def test_viewer_git_runs_where_the_config_names_no_program_it_would_start(
    policy: Policy, viewer_repo: Path, command: str
) -> None:
    verdict, rule = exec_verdict(policy, viewer_repo, command, "viewer")
    assert verdict is Verdict.ALLOW, (command, rule)


@pytest.mark.parametrize(("key", "value"), sorted(VIEWER_REFUSED.items()))
def test_viewer_git_is_still_refused_where_a_key_may_run_a_program(
    policy: Policy, tmp_path: Path, key: str, value: str
) -> None:
    git = tmp_path / ".git"
    git.mkdir()
    (git / "config").write_text(_config_entry(key, value))
    verdict, _ = exec_verdict(policy, tmp_path, "git status", "viewer")
    assert verdict is Verdict.DENY, key


def test_by_effect_the_viewer_table_never_starts_the_editor(viewer_repo: Path) -> None:
    """core.editor and sequence.editor name a program: none of the read-only table's git
    subcommands starts it (a marker shows it would)."""
    env = {**os.environ, **GIT_ENV, "HOME": str(viewer_repo.parent), "GIT_PAGER": "cat"}
    marker = viewer_repo.parent / "editor-ran"
    for command in VIEWER_GIT:
        subprocess.run(command.split(), cwd=viewer_repo, env=env, capture_output=True)
    assert not marker.exists()
    subprocess.run(["git", "config", "--edit"], cwd=viewer_repo, env=env, capture_output=True)
    assert marker.exists()  # control: a subcommand off the table does start it


BREAK_GLASS = """extends: default
break_glass:
  - id: break-glass.rt39-delete
    overrides: [exec.infra.kubectl-destructive]
    roles: [admin]
    targets:
      - "kubectl delete -f -"
      - "kubectl delete -f manifests/old.yaml"
      - "cat manifests/old.yaml"
    expires: 2027-06-30
    approver: lead
    ticket: T-1
    reason: cleanup
"""


@pytest.fixture(scope="module")
def bg_policy(tmp_path_factory: pytest.TempPathFactory) -> Policy:
    return overlay_policy(tmp_path_factory.mktemp("rt39-bg"), "bgt", BREAK_GLASS)


def _bg(policy: Policy, command: str) -> tuple[Verdict, str]:
    req = ToolRequest(tenant="bgt", actor="a", role="admin", tool="exec", command=command)
    d = policy.decide(req, None, today=date(2026, 6, 1))
    return d.decision, d.rule


@pytest.mark.parametrize(
    "command",
    [
        "kubectl delete -f - < manifests/prod.yaml",
        "kubectl delete -f - <manifests/old.yaml",
        "kubectl delete -f - 0< prod.yaml",
        "kubectl delete -f - <<'E'\nkind: Namespace\nE",
        "kubectl delete -f - 3<x <&3",
        "cat prod.yaml | kubectl delete -f -",
    ],
)
def test_break_glass_never_matches_input_from_a_file(bg_policy: Policy, command: str) -> None:
    assert _bg(bg_policy, command)[0] is not Verdict.ALLOW, command


@pytest.mark.parametrize(
    "command",
    [
        "kubectl delete -f -",
        "kubectl delete -f - < /dev/null",
        "kubectl delete -f manifests/old.yaml",
        "kubectl delete -f manifests/old.yaml > out.txt",
        "cat manifests/old.yaml | kubectl delete -f -",
    ],
)
def test_break_glass_controls(bg_policy: Policy, command: str) -> None:
    assert _bg(bg_policy, command) == (Verdict.ALLOW, "break-glass.rt39-delete"), command


# ---- 4. passthrough and transforms -----------------------------------------------------------
@pytest.fixture(scope="module")
def npm_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt39-npm")
    files = {
        "README.md": "r\n",
        ".env": "SECRET=hunter2-token\n",
        "package.json": '{"name":"x","scripts":{"lint":"xargs","show":"cat"}}\n',
        "tox.ini": "[testenv]\ncommands = pytest {posargs}\n",
    }
    return scratch_repo(root / "ws", files, tracked=("README.md", "package.json", "tox.ini"))


@pytest.mark.parametrize(
    "command",
    [
        "npm run -s lint -- -a.env echo",
        "npm run show -- -c.env",
        "tox -- -c.env",
        "nox -- -vc.env",
        "pnpm show -- -c.env",
        "yarn show -c.env",
        "bun run show -c.env",
        "npm run show -- -ssub/.env",
    ],
)
def test_an_attached_value_handed_to_a_script_is_read(
    policy: Policy, npm_ws: Path, command: str
) -> None:
    assert exec_verdict(policy, npm_ws, command) == (Verdict.DENY, "exec.secret-file"), command


@pytest.mark.parametrize(
    "command",
    ["tox -- -k test_x", "tox -- -n4", "npm test -- -u", "yarn test -t 'a b'", "tox -- -x -v"],
)
def test_plain_flags_handed_to_a_script_stay_allowed(
    policy: Policy, npm_ws: Path, command: str
) -> None:
    assert exec_verdict(policy, npm_ws, command)[0] is Verdict.ALLOW, command


def test_npm_run_outside_path_attached(policy: Policy, npm_ws: Path) -> None:
    verdict, rule = exec_verdict(policy, npm_ws, "npm run show -- -c/etc/passwd")
    assert (verdict, rule) == (Verdict.DENY, "exec.path-outside-workspace")


@pytest.mark.skipif(NPM is None, reason="npm is in .ci/run's set")
def test_by_effect_npm_hands_the_attached_value_on(npm_ws: Path) -> None:
    run = subprocess.run(
        ["npm", "run", "-s", "lint", "--", "-a.env", "echo"],
        cwd=npm_ws,
        capture_output=True,
        timeout=120,
    )
    assert b"hunter2-token" in run.stdout  # what the allowed line printed on the host


SECRET = "Zq8vKf3LmW1xTb7PrN5dYh2c"
TRANSFORMS = [
    "tr a-zA-Z d-za-cD-ZA-C",
    "tr a-zA-Z b-zaB-ZA",
    "rev | tr a-zA-Z x-za-wX-ZA-W",
    "iconv -f utf-8 -t utf-16le | xxd -p",
    "iconv -f utf-8 -t utf-16be | xxd -p",
    "iconv -f utf-8 -t utf-16 | xxd -p",
    "sed 's/\\(.\\)./\\1/g'",
    "sed 's/.\\(.\\)/\\1/g'",
    "rev | sed 's/\\(.\\)./\\1/g'",
]


@pytest.fixture(scope="module")
def known() -> KnownSecrets:
    return KnownSecrets([SECRET])


@pytest.mark.skipif(shutil.which("xxd") is None, reason="xxd is in .ci/run's set")
@pytest.mark.parametrize("pipeline", TRANSFORMS)
def test_known_secret_transforms_are_matched(known: KnownSecrets, pipeline: str) -> None:
    out = subprocess.run(
        ["bash", "-c", pipeline], input=f"TOKEN={SECRET}\n".encode(), capture_output=True
    ).stdout
    assert out and known.spans(out), pipeline


def test_known_secret_transforms_leave_clean_text(known: KnownSecrets) -> None:
    clean = b"".join(
        subprocess.run(["bash", "-c", p], input=b"TOKEN=" + os.urandom(24).hex().encode() + b"\n",
                       capture_output=True).stdout
        for p in TRANSFORMS[:4]
    )  # fmt: skip
    assert not known.spans(clean + b"the quick brown fox jumps over the lazy dog\n" * 50)


def test_makefile_expansion_work_is_bounded(policy: Policy, tmp_path: Path) -> None:
    """2,000 distinct recipe lines of nested `$(foreach …)` (1,024 commands each): one
    distinct line is expanded once and at most 512 are expanded; the first decision in the
    workspace (which reads it) stays well under the decider's 2 s (0.3 s measured here)."""
    items = " ".join(f"x{i}" for i in range(32))
    recipes = "".join(
        f"t{i}:\n\t$(foreach a,$(L),$(foreach b,$(L),sh ci/{i}$(a)$(b).sh;))\n" for i in range(2000)
    )
    files = {
        "README.md": "r\n",
        "Makefile": f"L = {items}\n{recipes}",
        ".github/workflows/m.yml": _wf("make all"),
    }
    ws = scratch_repo(tmp_path / "ws", files, tracked=tuple(files))
    start = time.process_time()
    _denied(policy, ws, "ci/0x1x2.sh")  # the first lines are still read
    assert time.process_time() - start < 2.0


# ---- exclude magic, read word by word (lead's review) ----------------------------------------
# `:(attr:!exclude).env` names an attribute called `exclude`: git reads it as `.env` when that
# attribute is unspecified (shown: real git printed the secret). The exemption matched the word
# anywhere in the long magic; the history check refused the read anyway.
@pytest.mark.parametrize(
    ("spec", "excludes"),
    [(":!.env", True), (":^.env", True), (":/!.env", True), (":(exclude).env", True),
     (":(top,exclude).env", True), (":(exclude,icase).env", True), (":(attr:a b,exclude)x", True),
     (":(attr:!exclude).env", False), (":(attr:exclude=1).env", False),
     (":(icase,attr:!exclude).ENV", False), (":(excluded).env", False), (":(top).env", False),
     (":/.env", False), (".env", False)],
)  # fmt: skip
def test_only_the_exclude_magic_word_excludes(spec: str, excludes: bool) -> None:
    from enforcement_agent.policy.path_checks import _GIT_EXCLUDE_SPEC

    assert bool(_GIT_EXCLUDE_SPEC.match(spec)) is excludes
