"""Twenty-eighth red-team pass (2026-12-05), issue 10 classes 2 and 5, as an attacker who
controls the agent's requests and the files in its workspace.

Found, each shown by effect here with the real program (git 2.39, rustup 1.29) against a
control:

* a submodule's own repository (class 2). The viewer's git runs only in a repository whose
  configuration is all inert (``repo_code``), and the check read ``.git/config`` and every
  configuration under ``.git/modules``. But ``git status``, ``git diff`` and ``describe
  --dirty`` look into every *populated* submodule (an index entry of mode 160000 whose
  directory holds a ``.git``) by running git there, with that repository's configuration: a
  nested clone committed as a gitlink keeps its repository as a plain ``sub/.git``, never
  looked at. Its ``filter.<driver>.clean`` ran on the viewer's allowed ``git status`` and
  ``git diff``, its ``core.fsmonitor`` too (on the host), and its ``diff.external`` ran ``id``
  on ``git diff --submodule=diff`` inside the read-only bubblewrap sandbox (which forces only
  ``core.fsmonitor=false``). Now every populated submodule's repository is checked the same
  way, theirs too (the index is read for gitlinks: versions 2-4, split indexes; bounded), the
  viewer's ``--submodule`` takes only the in-process formats, and ``diff.submodule`` and
  ``status.submoduleSummary`` are off the inert list (they make git run in submodules).
* rustup's ``+TOOLCHAIN`` (class 5). Every rustup proxy reads a first word ``+NAME``; with a
  ``/`` it is a path to any directory of programs. Only cargo's spec knew: ``rustc +/dir
  --version`` and ``rustfmt +/dir src/a.rs`` (allowed, read as a workspace path ``+/dir``)
  ran ``/dir/bin/rustc`` and ``/dir/bin/rustfmt``. One option group now for every proxy with
  a spec (cargo, rustc, rustfmt): channel names and versions only, a path is code.

The rest are variations of both classes that held, kept so they stay held.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from enforcement_agent.policy.repo_code import _gitlinks_of, repo_runs_code
from tests.policy.scratch_repo import GIT_ENV
from tests.policy.verdicts import exec_verdict

# the sandbox's command-level git settings (runner.GIT_SAFETY_CONFIG's fsmonitor one): the
# attack works with them, so the sandbox alone does not stop it
_SANDBOX_GIT = {
    "GIT_CONFIG_COUNT": "1",
    "GIT_CONFIG_KEY_0": "core.fsmonitor",
    "GIT_CONFIG_VALUE_0": "false",
}


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


def _env(home: Path, sandbox_git: bool = True) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "BASH_ENV"))}
    env = {**keep, **GIT_ENV, "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": str(home)}
    return {**env, **_SANDBOX_GIT} if sandbox_git else env


def _git(cwd: Path, *args: str) -> str:
    out = subprocess.run(
        ["git", *args], cwd=cwd, env=_env(cwd, False), capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def _repo(d: Path, files: dict[str, str]) -> None:
    d.mkdir(parents=True, exist_ok=True)
    _git(d, "init", "-q")
    for rel, text in files.items():
        (d / rel).parent.mkdir(parents=True, exist_ok=True)
        (d / rel).write_text(text)
    _git(d, "add", ".")
    _git(d, "commit", "-qm", "init")


def _configure(git_dir: Path, config: dict[str, str]) -> None:
    for key, value in config.items():
        _git(git_dir.parent, "config", "-f", str(git_dir / "config"), key, value)


def _superproject(
    root: Path,
    subs: dict[str, dict[str, str]],
    *,
    attrs: bool = True,
    top: dict[str, str] | None = None,
) -> Path:
    """A work tree with a nested clone committed as a gitlink at each key of ``subs`` (its
    configuration the value), never absorbed: the submodule's repository is ``KEY/.git``."""
    root.mkdir(parents=True)
    _git(root, "init", "-q")
    (root / "README.md").write_text("r\n")
    for rel, config in subs.items():
        files = {"s.txt": "s\n"}
        if attrs:
            files[".gitattributes"] = "* filter=x diff=t\n"
        _repo(root / rel, files)
        _configure(root / rel / ".git", config)
    _git(root, "add", "README.md", *subs)
    _git(root, "commit", "-qm", "init")
    _configure(root / ".git", top or {})
    return root


def _marker_config(marks: Path, name: str) -> dict[str, str]:
    return {
        "filter.x.clean": f"touch {marks}/{name}-clean; cat",
        "diff.t.textconv": f"touch {marks}/{name}-textconv; cat",
        "diff.external": f"touch {marks}/{name}-external #",
    }


@pytest.fixture(scope="module")
def marks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rt28-marks")


@pytest.fixture(scope="module")
def spaces(tmp_path_factory: pytest.TempPathFactory, marks: Path) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("rt28")
    inert = {"user.name": "x", "core.autocrlf": "false"}
    out = {
        "control": _superproject(base / "control", {"sub": inert}),
        "filter": _superproject(base / "filter", {"sub": _marker_config(marks, "filter")}),
        "fsmonitor": _superproject(
            base / "fsmonitor", {"sub": {"core.fsmonitor": f"touch {marks}/fsmonitor #"}}
        ),
        "second": _superproject(base / "second", {"a": inert, "lib/b": {"diff.external": "x"}}),
        "top-diff-submodule": _superproject(
            base / "top-diff-submodule", {"sub": inert}, top={"diff.submodule": "diff"}
        ),
        "top-summary": _superproject(
            base / "top-summary", {"sub": inert}, top={"status.submoduleSummary": "true"}
        ),
        "plain": _superproject(base / "plain", {}),
    }
    # a submodule of a submodule: the inner clone's configuration runs from the top
    deep = _superproject(base / "deep", {"sub": inert})
    _repo(deep / "sub" / "inner", {"i.txt": "i\n"})
    _configure(deep / "sub" / "inner" / ".git", {"filter.x.clean": "cat"})
    _git(deep / "sub", "add", "inner")
    _git(deep / "sub", "commit", "-qm", "inner")
    out["deep"] = deep
    # the submodule's .git is a git file naming a repository elsewhere in the workspace
    moved = _superproject(base / "gitfile-inside", {"sub": {"diff.external": "x"}})
    (moved / "store").mkdir()
    os.rename(moved / "sub" / ".git", moved / "store" / "subgit")
    (moved / "sub" / ".git").write_text("gitdir: ../store/subgit\n")
    out["gitfile-inside"] = moved
    # … or outside it
    away = _superproject(base / "gitfile-outside", {"sub": inert})
    os.rename(away / "sub" / ".git", base / "elsewhere.git")
    (away / "sub" / ".git").write_text(f"gitdir: {base / 'elsewhere.git'}\n")
    out["gitfile-outside"] = away
    # … or a link to one
    linked = _superproject(base / "gitlink-link", {"sub": inert})
    os.rename(linked / "sub" / ".git", linked / "subgit")
    os.symlink("../subgit", linked / "sub" / ".git")
    out["gitlink-link"] = linked
    # a read-time hook or a shared configuration in the submodule's repository
    hooked = _superproject(base / "hook", {"sub": inert})
    hook = hooked / "sub" / ".git" / "hooks" / "post-index-change"
    hook.write_text("#!/bin/sh\nid\n")
    hook.chmod(0o755)
    out["hook"] = hooked
    common = _superproject(base / "commondir", {"sub": inert})
    (common / "sub" / ".git" / "commondir").write_text("../../elsewhere\n")
    out["commondir"] = common
    # index formats: version 4 (prefix-compressed names) and a split index (the gitlink in
    # the shared index file)
    v4 = _superproject(base / "index-v4", {"deep/er/sub": {"diff.external": "x"}})
    _git(v4, "update-index", "--index-version", "4")
    out["index-v4"] = v4
    split = _superproject(base / "index-split", {"sub": {"diff.external": "x"}})
    _git(split, "update-index", "--split-index")
    (split / "README.md").write_text("changed\n")
    _git(split, "add", "README.md")
    out["index-split"] = split
    # an index that holds a gitlink's mode bytes but cannot be parsed
    broken = _superproject(base / "index-broken", {})
    (broken / ".git" / "index").write_bytes(b"DIRC\x00\x00\x00\x02\x00\x00\x00\x05" + bytes(30))
    with open(broken / ".git" / "index", "ab") as fh:
        fh.write(b"\x00\x00\xe0\x00garbage")
    out["index-broken"] = broken
    return out


def _v(policy: Policy, ws: Path, command: str, role: str = "viewer") -> Verdict:
    return exec_verdict(policy, ws, command, role)[0]


# --- class 2, by effect -------------------------------------------------------------------


def test_nested_submodule_filter_runs_on_status_and_is_now_refused(
    policy: Policy, spaces: dict[str, Path], marks: Path
) -> None:
    for name in ("filter", "control"):
        ws = spaces[name]
        os.utime(ws / "sub" / "s.txt")  # stat-dirty: git re-reads it through the filter
        subprocess.run(
            ["git", "status", "--short"], cwd=ws, env=_env(ws), capture_output=True, timeout=60
        )
    assert (marks / "filter-clean").exists()  # the viewer's `git status` ran the filter
    assert not list(marks.glob("control-*"))
    assert _v(policy, spaces["filter"], "git status --short") is Verdict.DENY
    assert _v(policy, spaces["control"], "git status --short") is Verdict.ALLOW


def test_nested_submodule_external_diff_runs_on_diff_and_is_now_refused(
    policy: Policy, spaces: dict[str, Path], marks: Path
) -> None:
    ws = spaces["filter"]
    (ws / "sub" / "s.txt").write_text("changed\n")
    subprocess.run(
        ["git", "diff", "--submodule=diff"], cwd=ws, env=_env(ws), capture_output=True, timeout=60
    )
    assert (marks / "filter-external").exists()
    for command in ("git diff", "git diff --submodule=diff", "git diff --stat"):
        assert _v(policy, ws, command) is Verdict.DENY, command
    # the same option in a repository without submodules is refused too (a gitlink may be
    # in history only, with an untracked clone at its path)
    assert _v(policy, spaces["plain"], "git diff --submodule=diff") is Verdict.DENY
    assert _v(policy, spaces["plain"], "git diff --submodule=log") is Verdict.ALLOW


def test_nested_submodule_fsmonitor_runs_on_the_host(
    policy: Policy, spaces: dict[str, Path], marks: Path
) -> None:
    ws = spaces["fsmonitor"]
    subprocess.run(["git", "status"], cwd=ws, env=_env(ws, sandbox_git=False), capture_output=True)
    assert (marks / "fsmonitor").exists()
    assert _v(policy, ws, "git status") is Verdict.DENY


def test_sub_submodule_config_runs_from_the_top(spaces: dict[str, Path], marks: Path) -> None:
    ws = spaces["deep"]
    inner = ws / "sub" / "inner" / ".git"
    _configure(inner, {"filter.x.clean": f"touch {marks}/deep-clean; cat"})
    (ws / "sub" / "inner" / ".gitattributes").write_text("* filter=x\n")
    os.utime(ws / "sub" / "inner" / "i.txt")
    subprocess.run(["git", "status"], cwd=ws, env=_env(ws), capture_output=True, timeout=60)
    assert (marks / "deep-clean").exists()
    assert repo_runs_code(str(ws / ".git")) is not None


# --- class 2, variations --------------------------------------------------------------------

VIEWER_DENIED = [
    ("filter", "git status"),
    ("filter", "git -C sub/.. status -s"),
    ("filter", "git describe --dirty"),
    ("filter", "git log -p"),
    ("filter", "git show HEAD"),
    ("second", "git status --porcelain"),
    ("second", "git diff HEAD"),
    ("deep", "git status"),
    ("deep", "git diff --cached"),
    ("gitfile-inside", "git status"),
    ("gitfile-outside", "git status"),
    ("gitlink-link", "git diff"),
    ("hook", "git status"),
    ("commondir", "git status"),
    ("index-v4", "git status"),
    ("index-split", "git status"),
    ("index-broken", "git status"),
    ("top-diff-submodule", "git log -p"),
    ("top-summary", "git status"),
    ("plain", "git log -p --submodule=diff"),
    ("plain", "git show --submodule=diff HEAD"),
    ("plain", "git log --submodule=diff -1"),
    ("control", "git diff --submodule=diff"),
]

VIEWER_ALLOWED = [
    ("control", "git status"),
    ("control", "git status --short"),
    ("control", "git diff"),
    ("control", "git diff --submodule"),
    ("control", "git diff --submodule=log"),
    ("control", "git diff --submodule=short"),
    ("control", "git log -p -1"),
    ("control", "git show --submodule=log HEAD"),
    ("plain", "git status"),
    ("plain", "git log --oneline"),
]


@pytest.mark.parametrize(("space", "command"), VIEWER_DENIED)
def test_viewer_git_with_submodule_code_is_refused(
    policy: Policy, spaces: dict[str, Path], space: str, command: str
) -> None:
    assert _v(policy, spaces[space], command) is not Verdict.ALLOW


@pytest.mark.parametrize(("space", "command"), VIEWER_ALLOWED)
def test_viewer_git_without_submodule_code_stays_allowed(
    policy: Policy, spaces: dict[str, Path], space: str, command: str
) -> None:
    assert _v(policy, spaces[space], command) is Verdict.ALLOW


def test_index_gitlinks_match_git_for_every_index_version(spaces: dict[str, Path]) -> None:
    ws = spaces["second"]
    want = sorted(
        line.split("\t")[1]
        for line in _git(ws, "ls-files", "-s").splitlines()
        if line.startswith("160000")
    )
    assert want == ["a", "lib/b"]
    for version in ("2", "3", "4"):
        _git(ws, "update-index", "--index-version", version)
        got = _gitlinks_of((ws / ".git" / "index").read_bytes())
        assert not isinstance(got, str) and sorted(got) == want, version
    # an index without the mode's bytes is not parsed at all
    assert _gitlinks_of(b"DIRC" + b"\x01" * 64) == ()
    assert isinstance(_gitlinks_of(b"DIRC\x00\x00\x00\x09" + b"\x00\x00\xe0\x00"), str)


# Held: every other read-only program and option looked at for running code, writing, loading
# a plugin or following a path chosen by a file (all refused).
VIEWER_HELD = [
    "jq -n '\"a\" | modulemeta'",
    "jq -n 'def f: modulemeta; \"a\"|f'",
    "jq -n '{} | .a = (\"x\"|modulemeta)'",
    "jq --slurpfile a x.json -n '$a'",
    "wait -n -p PATH",
    "wait -np PATH; cat README.md",
    "echo $((PATH=1)); cat README.md",
    "echo $[PATH=1]; cat README.md",
    "cat README.md | head -n $((PATH=1))",
    "strings @README.md",
    "sort --files0-from=README.md",
    "md5sum -c README.md",
    "git log --textconv -p",
    "git cat-file --filters HEAD:README.md",
    "git cat-file --textconv HEAD:README.md",
    "git -C /tmp log",
    "git log --ext-diff",
    "git grep --recurse-submodules x",
    "git ls-files --recurse-submodules",
    "git status --ignore-submodules=none --recurse-submodules",
]


@pytest.mark.parametrize("command", VIEWER_HELD)
def test_viewer_variations_held(policy: Policy, spaces: dict[str, Path], command: str) -> None:
    assert _v(policy, spaces["plain"], command) is not Verdict.ALLOW


# --- class 5: rustup's +TOOLCHAIN ------------------------------------------------------------


@pytest.fixture(scope="module")
def toolchain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory of programs shaped like a toolchain: each writes a marker beside it."""
    tc = tmp_path_factory.mktemp("rt28-toolchain")
    (tc / "bin").mkdir()
    (tc / "lib").mkdir()
    for prog in ("rustc", "rustfmt", "cargo"):
        script = tc / "bin" / prog
        script.write_text(f'#!/bin/sh\ntouch "{tc}/ran-{prog}"\necho fake\n')
        script.chmod(0o755)
    return tc


@pytest.fixture(scope="module")
def crate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("rt28-crate")
    (ws / "src").mkdir()
    (ws / "src" / "a.rs").write_text("fn main() {}\n")
    return ws


def _rustup_proxy(name: str) -> bool:
    """``name`` is on PATH beside rustup (rustup installs its proxies in one directory)."""
    found, rustup = shutil.which(name), shutil.which("rustup")
    return found is not None and rustup is not None and Path(found).parent == Path(rustup).parent


@pytest.mark.skipif(not _rustup_proxy("rustc"), reason="rustup's proxies are not installed")
@pytest.mark.parametrize(
    ("prog", "command"),
    [("rustc", "rustc +{tc} --version"), ("rustfmt", "rustfmt +{tc} src/a.rs")],
)
def test_rustup_path_toolchain_runs_any_program_and_is_now_refused(
    policy: Policy, crate: Path, toolchain: Path, prog: str, command: str
) -> None:
    line = command.format(tc=toolchain)
    control = command.replace("+{tc} ", "")
    marker = toolchain / f"ran-{prog}"
    marker.unlink(missing_ok=True)
    subprocess.run(control.split(), cwd=crate, capture_output=True, timeout=120)
    assert not marker.exists()
    subprocess.run(line.split(), cwd=crate, capture_output=True, timeout=120)
    assert marker.exists()  # the proxy ran the program of the directory the word names
    assert _v(policy, crate, line, "contributor") is Verdict.DENY


CODE_DENIED = [
    "rustc +/tmp/tc --version",
    "rustc +/work/ws/tc --print sysroot",
    "rustc +/tmp/tc src/a.rs",
    "rustc src/a.rs +/tmp/x",
    "rustfmt +/tmp/tc src/a.rs",
    "rustfmt +/tmp/tc --check src/a.rs",
    "rustc +mytoolchain --version",
    "rustfmt +mytoolchain src/a.rs",
    "cargo +1.0/../../../tmp/tc build",
    "cargo +stable-x/../../../tmp/tc build",
    "cargo +nightly-2024/../../../../tmp/tc build",
    "cargo +foo build",
    "perl '-MPOSIX;system q(id)' x.pl",
    "perl '-Mstrict qw(refs);system q(id);#' x.pl",
    "perl -M-strict x.pl",
    "perl -V:cc",
    "node --experimental-sea-config x.json",
    "node --snapshot-blob x --build-snapshot src/a.js",
    "node --openssl-config=x.cnf src/a.js",
    "pytest --override-ini=addopts=-pevil",
    "pytest -o filterwarnings=error::antigravity.X",
    "python3 -m pytest -W error::antigravity.X",
    "go build -compiler=gccgo -gccgoflags='-wrapper sh,-c,id' .",
    "gcc -fuse-ld=/tmp/x a.c",
    "ctest -S x.cmake",
    "cmake -P /dev/stdin < x.cmake",
    "make --makefile=/dev/fd/0 < x.mk",
    "mocha -n require=/tmp/x",
    "vitest --coverage.provider=custom --coverage.customProviderModule=/tmp/x",
    'jest --haste=\'{"hasteImplModulePath":"/tmp/x"}\'',
    "deno run --preload=/tmp/x x.ts",
    "bun test --preload=/tmp/x",
    "uv run --interpreter /tmp/x pytest",
    "nox --extra-python /tmp/x",
    "yarn node -e 1",
    "pnpm node -p 1",
]

CODE_ALLOWED = [
    "rustc +stable --version",
    "rustc +1.80.0 src/a.rs",
    "rustc --version",
    "rustfmt +nightly --check src/a.rs",
    "rustfmt src/a.rs",
    "cargo +nightly build",
    "cargo +1.80 build",
]


@pytest.mark.parametrize("command", CODE_DENIED)
def test_code_modes_refused(policy: Policy, crate: Path, command: str) -> None:
    assert _v(policy, crate, command, "contributor") is not Verdict.ALLOW


@pytest.mark.parametrize("command", CODE_ALLOWED)
def test_toolchain_channels_stay_allowed(policy: Policy, crate: Path, command: str) -> None:
    assert _v(policy, crate, command, "contributor") is Verdict.ALLOW
