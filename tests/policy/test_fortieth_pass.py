"""Fortieth red-team pass (2026-12-06), issue 10: the stop 40 note's open items, then fresh
angles (wrappers, interpreters, quoting, confinement). Found, each allowed on the tree before
this pass and shown by effect where a program here can show it:

1. **Bytecode in protected folders (class 11).** `python3 -m compileall .` compiled every
   `*.py` under `.`, `.github/scripts/` too; with `--invalidation-mode unchecked-hash` python
   then ran the stale bytecode after the reviewed helper changed (shown below). A compileall
   start that holds a protected source, or a source in a protected folder (through a link
   too), is refused; `compileall src` stays allowed.
2. **GNU make functions (class 11).** `$(word)`, `$(wordlist)`, `$(filter)`, `$(filter-out)`,
   `$(findstring)`, `$(join)`, `$(abspath)`, `$(realpath)`, `$(value)` and `$(file <F)` in a
   CI-run Makefile's recipe hid the script make 4.3 ran; they are modelled now, and the file
   `$(file <F)` reads is protected with every name in it.
3. **docker compose (class 11).** `docker compose run app make check` in CI: the compose file
   (its `working_dir:`, `entrypoint:`, `command:`) was writable, and the command was read from
   the top only; now the compose file is a protected task file (read for its commands), and
   the command is read from every folder (`working_dir:` may name any).
4. **Over-refusal: a partial clone (class 2).** The viewer's git was refused in every partial
   clone; it runs now where the promisor remote is a network URL (https, http, git, ssh),
   and stays refused where the lazy fetch could start a program (`ext::`, a local path,
   `file://`, a remote name with no URL).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy, load_policy
from tests.policy.conftest import POLICY_DIR
from tests.policy.scratch_repo import GIT_ENV, scratch_repo
from tests.policy.verdicts import assert_append_allowed as _allowed
from tests.policy.verdicts import assert_append_denied as _denied
from tests.policy.verdicts import exec_verdict

MAKE = shutil.which("make")
T = "\t"


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(POLICY_DIR / "default.yaml")


def _wf(*runs: str) -> str:
    steps = "".join(f"      - run: {r}\n" for r in runs)
    return f"on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n{steps}"


# ---- 1. bytecode beside protected sources --------------------------------------------------
@pytest.fixture(scope="module")
def py_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt40-bytecode")
    files = {
        "README.md": "r\n",
        ".github/workflows/ci.yml": _wf("python .github/scripts/check.py", "python ci/run.py"),
        ".github/scripts/check.py": "import helper\n",
        ".github/scripts/helper.py": "x = 1\n",
        "ci/run.py": "x = 1\n",
        "src/pkg/a.py": "x = 1\n",
        "tests/test_a.py": "x = 1\n",
        "lib/util.py": "x = 1\n",
        "docs/conf.txt": "x\n",
    }
    links = {"tools/gh": "../.github", "vendor/cilink": "../ci", "docs/srclink": "../src"}
    return scratch_repo(root / "ws", files, links, tracked=("README.md",))


COMPILE_REFUSED = [
    "python3 -m compileall .",
    "python3 -m compileall -q .",
    "python3 -m compileall -b .",
    "python3 -m compileall --invalidation-mode unchecked-hash .",
    "python3 -m compileall -f -j 0 .",
    "python3 -m compileall -d /x -s src .",
    "python3 -m compileall .github",
    "python3 -m compileall .github/scripts",
    "python3 -m compileall ./.github/../.github/scripts",
    "python3 -m compileall ci",
    "python3 -m compileall src ci",
    "python3 -m compileall tools",  # a link to .github
    "python3 -m compileall vendor",  # a link to ci (vendor folders are walked too)
    "python -m compileall -o 1 -o 2 .",
    "python3.11 -m compileall -r 10 .",
    "cd src && python3 -m compileall ..",
    "python3 -m compileall",  # (every folder of sys.path, the current one among them)
    "python3 -m py_compile .github/scripts/helper.py",
    "python3 -m py_compile ci/run.py",
]
COMPILE_ALLOWED = [
    "python3 -m compileall src",
    "python3 -m compileall -q src tests",
    "python3 -m compileall -b src",
    "python3 -m compileall lib",
    "python3 -m compileall docs",  # a link to src: no protected source
    "python3 -m py_compile src/pkg/a.py",
    "python3 -m pip install -e .",
    "python3 -m build",
]


@pytest.mark.parametrize("command", COMPILE_REFUSED)
def test_bytecode_beside_a_protected_source_is_refused(
    policy: Policy, py_ws: Path, command: str
) -> None:
    assert exec_verdict(policy, py_ws, command) == (Verdict.DENY, "exec.protected-path")


@pytest.mark.parametrize("command", COMPILE_ALLOWED)
def test_bytecode_of_project_sources_stays_allowed(
    policy: Policy, py_ws: Path, command: str
) -> None:
    verdict, rule = exec_verdict(policy, py_ws, command)
    assert verdict is Verdict.ALLOW, (command, rule)


def test_by_effect_unchecked_bytecode_outlives_the_reviewed_source(tmp_path: Path) -> None:
    """What `compileall --invalidation-mode unchecked-hash .` leaves: python runs the old
    helper after the reviewed one changed; without the bytecode, the new one."""
    scripts = tmp_path / ".github/scripts"
    scripts.mkdir(parents=True)
    (scripts / "check.py").write_text("import helper\nhelper.run()\n")
    (scripts / "helper.py").write_text("def run():\n    print('OLD')\n")
    run = {"cwd": tmp_path, "capture_output": True, "text": True, "timeout": 60}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "--invalidation-mode", "unchecked-hash", "."],
        env=env,
        check=True,
        **run,  # type: ignore[arg-type]
    )
    (scripts / "helper.py").write_text("def run():\n    print('NEW')\n")
    argv = [sys.executable, ".github/scripts/check.py"]
    assert subprocess.run(argv, env=env, **run).stdout.strip() == "OLD"  # type: ignore[call-overload]
    shutil.rmtree(scripts / "__pycache__")
    assert subprocess.run(argv, env=env, **run).stdout.strip() == "NEW"  # type: ignore[call-overload]


# ---- 2. GNU make functions -----------------------------------------------------------------
MAKEFILE = f"""S1 = ci/v1.sh
S2 = $(S1)
LIST = ci/a0.sh ci/w1.sh ci/w2.sh
N = names.txt
check:
{T}bash $(value S2)
{T}bash $(word 2,$(LIST))
{T}bash $(word 2,ci/q0.sh ci/q1.sh)
{T}bash $(wordlist 2,3,ci/r0.sh ci/r1.sh ci/r2.sh)
{T}bash $(filter %.sh,ci/f1.sh README.md)
{T}bash $(filter-out README.md,ci/fo1.sh README.md)
{T}bash $(file <$(N))
{T}bash $(findstring ci/fs1.sh,ci/fs1.sh)
{T}bash $(join ci/j,1.sh)
{T}bash $(abspath ci/ab1.sh)
{T}bash $(realpath ci/rp1.sh)
{T}bash $(word 1,$(sort ci/s2.sh ci/s1.sh))
{T}bash $(lastword $(filter-out ci/x.sh,ci/l1.sh))$(info hi)
"""
MAKE_RUN = ["v1", "w1", "q1", "r1", "f1", "fo1", "file1", "fs1", "j1", "ab1", "rp1", "s1", "l1"]
MAKE_NOT_RUN = ["q0", "r0", "s2"]  # (the names the functions leave out)


@pytest.fixture(scope="module")
def make_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt40-make")
    files = {
        "README.md": "r\n",
        ".github/workflows/ci.yml": _wf("make check"),
        "Makefile": MAKEFILE,
        "names.txt": "ci/file1.sh\n",
        **{f"ci/{n}.sh": f"echo ran-{n}\n" for n in MAKE_RUN + MAKE_NOT_RUN},
    }
    return scratch_repo(root / "ws", files, tracked=tuple(files))


@pytest.mark.parametrize("name", [*MAKE_RUN, "names"])
def test_scripts_make_functions_name_are_protected(
    policy: Policy, make_ws: Path, name: str
) -> None:
    _denied(policy, make_ws, "names.txt" if name == "names" else f"ci/{name}.sh")


@pytest.mark.parametrize("name", MAKE_NOT_RUN)
def test_names_make_functions_leave_out_stay_writable(
    policy: Policy, make_ws: Path, name: str
) -> None:
    _allowed(policy, make_ws, f"ci/{name}.sh")


@pytest.mark.skipif(MAKE is None, reason="GNU make is in .ci/run's set")
def test_by_effect_make_runs_the_scripts_the_functions_name(make_ws: Path) -> None:
    """GNU make 4.3 runs each script the recipe names (`-k`: past `$(value)`'s line, which
    hands `$(S1)` to the shell); none of the names the functions leave out."""
    out = subprocess.run(
        ["make", "-k", "-s", "check"], cwd=make_ws, capture_output=True, text=True, timeout=60
    ).stdout
    ran = {line.removeprefix("ran-") for line in out.split() if line.startswith("ran-")}
    assert ran >= set(MAKE_RUN) - {"v1", "ab1", "rp1"}, out
    assert not ran & set(MAKE_NOT_RUN), out


# ---- 3. docker compose ---------------------------------------------------------------------
COMPOSE = """services:
  app:
    image: x
    working_dir: /app/sub
    volumes:
      - .:/app
    entrypoint: ["bash", "ci/entry.sh"]
    healthcheck:
      test: sh ci/health.sh
"""


@pytest.fixture(scope="module")
def compose_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rt40-compose")
    files = {
        "README.md": "r\n",
        ".github/workflows/ci.yml": _wf(
            "docker compose run app make check", "docker-compose -f ops/dc.yml run w npm test"
        ),
        "compose.yaml": COMPOSE,
        "ops/dc.yml": "services:\n  w:\n    image: x\n",
        "sub/Makefile": f"check:\n{T}bash ci.sh\n",
        "sub/ci.sh": "echo\n",
        "ci/entry.sh": "echo\n",
        "ci/health.sh": "echo\n",
        "src/app.py": "x\n",
    }
    return scratch_repo(root / "ws", files, tracked=tuple(files))


@pytest.mark.parametrize(
    "path",
    [
        "compose.yaml",
        "docker-compose.yml",  # (compose takes another name when this one is added)
        "compose.override.yaml",
        "ops/dc.yml",
        "sub/Makefile",
        "other/Makefile",
        "ci/entry.sh",
        "ci/health.sh",
    ],
)
def test_what_compose_runs_is_protected(policy: Policy, compose_ws: Path, path: str) -> None:
    _denied(policy, compose_ws, path)


@pytest.mark.parametrize("path", ["src/app.py", "README.md", "ops/notes.md"])
def test_compose_controls(policy: Policy, compose_ws: Path, path: str) -> None:
    _allowed(policy, compose_ws, path)


# ---- 4. the viewer's git in a partial clone ------------------------------------------------
def _partial(url: str, name: str = "origin", promisor: str = "origin") -> str:
    return (
        "[core]\n\trepositoryformatversion = 1\n\tbare = false\n"
        f'[remote "{name}"]\n\turl = {url}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n'
        "\tpromisor = true\n\tpartialclonefilter = blob:none\n"
        f"[extensions]\n\tpartialclone = {promisor}\n"
    )


PARTIAL_SAFE = [
    "https://github.com/acme/app.git",
    "http://git.example/app.git",
    "git://git.example/app.git",
    "ssh://git@git.example/app.git",
    "git@github.com:acme/app.git",
]
PARTIAL_UNSAFE = [
    "ext::sh -c id",
    "../evil",
    "/tmp/evil",
    "file:///tmp/evil",
    "FILE:///tmp/evil",
    "fd::3",
    "x::https://h/x",
    "ssh://-oProxyCommand=id/x",
    "ssh://u@-oProxyCommand=id/x",
]


@pytest.mark.parametrize("url", PARTIAL_SAFE)
def test_viewer_git_runs_in_a_partial_clone_of_a_network_remote(
    policy: Policy, tmp_path: Path, url: str
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/config").write_text(_partial(url))
    for command in ("git status", "git log --oneline", "git show HEAD"):
        verdict, rule = exec_verdict(policy, tmp_path, command, "viewer")
        assert verdict is Verdict.ALLOW, (url, command, rule)


@pytest.mark.parametrize("url", PARTIAL_UNSAFE)
def test_viewer_git_is_refused_where_a_lazy_fetch_may_start_a_program(
    policy: Policy, tmp_path: Path, url: str
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/config").write_text(_partial(url))
    assert exec_verdict(policy, tmp_path, "git status", "viewer")[0] is Verdict.DENY, url


@pytest.mark.parametrize(
    "config",
    [
        _partial("https://h/x", promisor="../evil"),  # a promisor that is no remote: a path
        _partial("https://h/x", promisor="other"),
        _partial("https://h/x") + '[remote "Origin"]\n\turl = ../evil\n',
    ],
)
def test_viewer_git_is_refused_where_the_promisor_is_not_the_network_remote(
    policy: Policy, tmp_path: Path, config: str
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/config").write_text(config)
    assert exec_verdict(policy, tmp_path, "git status", "viewer")[0] is Verdict.DENY


def test_by_effect_a_real_partial_clone_reads_as_before(tmp_path: Path) -> None:
    """git 2.39 writes `remote.origin.promisor` and `partialclonefilter` for `clone
    --filter=blob:none` (here from a local path, which stays refused: its lazy fetch runs the
    source's upload-pack); the same file with a network URL is allowed."""
    src = scratch_repo(tmp_path / "src", {"README.md": "r\n"}, tracked=("README.md",))
    env = {**os.environ, **GIT_ENV, "HOME": str(tmp_path)}
    subprocess.run(["git", "-C", str(src), "config", "uploadpack.allowfilter", "true"],
                   env=env, check=True, timeout=60)  # fmt: skip
    subprocess.run(
        ["git", "clone", "-q", "--filter=blob:none", f"file://{src}", str(tmp_path / "part")],
        env=env, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    cfg = (tmp_path / "part/.git/config").read_text()
    assert "promisor = true" in cfg and "partialclonefilter = blob:none" in cfg
    policy = load_policy(POLICY_DIR / "default.yaml")
    assert exec_verdict(policy, tmp_path / "part", "git status", "viewer")[0] is Verdict.DENY
    # the same keys with the network URL a real partial clone has
    text = cfg.replace(f"file://{src}", "https://github.com/acme/app.git")
    (tmp_path / "part/.git/config").write_text(text)
    assert exec_verdict(policy, tmp_path / "part", "git status", "viewer")[0] is Verdict.ALLOW
