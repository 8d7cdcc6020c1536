"""Fifth red-team pass on the sandbox (issue 10, classes 7, 9 and 11), by effect.

* **Secrets in vendor directories.** The fourth pass's walk did not enter vendor directories,
  so a secret there (``.gradle/gradle.properties`` and ``.terraform/terraform.tfstate``, both
  on the policy's list; a ``.env`` a build copied into ``target/``; a ``.netrc`` in a cache;
  a host-made hard link of ``.env`` in ``node_modules``) was read as it was, and so was every
  secret by ``grep -r``, ``tar`` or a walk of the whole workspace. Now each vendor
  directory's top two levels are looked at for secrets (and for other names of a secret).
* **A submodule's git directory made by the run.** ``.git/modules/lib`` made inside the
  sandbox (for a submodule listed in ``.gitmodules`` but not initialised) is taken by the
  host's next ``git submodule update --init`` as the submodule's, and its ``core.fsmonitor``
  ran on the host. Now such a directory (or a link under ``.git/modules``) is removed after
  the run.

Each attempt runs for real in bubblewrap; each control runs the same attempts with the fix
switched off and shows that they land.
"""

from __future__ import annotations

import base64
import codecs
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from enforcement_agent.models import Outcome
from enforcement_agent.sandbox import ExecResult, workspace_names, workspace_state
from tests.sandbox.conftest import run_attempt

pytestmark = pytest.mark.sandbox

TENANT = "rt5-fifth"
CANARY = "f1fth-CANARY-0c3d"
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "a",
    "GIT_AUTHOR_EMAIL": "a@x",
    "GIT_COMMITTER_NAME": "a",
    "GIT_COMMITTER_EMAIL": "a@x",
}
GIT_IN = {k: v for k, v in GIT_ENV.items() if k.startswith("GIT_")}

VENDOR_SECRETS = {
    ".gradle/gradle.properties": f"signing.password={CANARY}\n",
    ".terraform/terraform.tfstate": f'{{"token": "{CANARY}"}}\n',
    "target/.env": f"T={CANARY}\n",
    ".cache/x/.netrc": f"machine h password {CANARY}\n",
    "node_modules/pkg/.env": f"T={CANARY}\n",
}


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "safe.directory=*", *args] + [],
        cwd=cwd,
        env={
            **GIT_ENV,
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": "protocol.file.allow",
            "GIT_CONFIG_VALUE_0": "always",
        },
        check=True,
        capture_output=True,
    )


def _leaked(text: str) -> bool:
    raw = CANARY.encode()
    forms = [CANARY, CANARY[::-1], base64.b64encode(raw).decode(), raw.hex()]
    return any(f in text for f in [*forms, codecs.encode(CANARY, "rot13")])


def _vendor_ws(root: Path) -> Path:
    ws = root / "ws"
    for rel, text in VENDOR_SECRETS.items():
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text(text)
    (ws / "node_modules" / "pkg" / "index.js").write_text("module.exports = 1\n")
    os.link(ws / "target" / ".env", ws / "node_modules" / "pkg" / "hl.txt")
    (ws / "README.md").write_text("plain\n")
    return ws


def _rd(path: str) -> str:
    return f"print(open({path!r}).read()[::-1])"


VENDOR_ATTEMPTS = {
    "gradle_properties": _rd(".gradle/gradle.properties"),
    "terraform_state": _rd(".terraform/terraform.tfstate"),
    "env_copied_into_target": _rd("target/.env"),
    "netrc_two_deep_in_cache": _rd(".cache/x/.netrc"),
    "env_in_node_modules": _rd("node_modules/pkg/.env"),
    "host_hard_link_in_vendor": _rd("node_modules/pkg/hl.txt"),
    "grep_r": "print(subprocess.run('grep -r f1fth . | rev', shell=True, capture_output=True))",
    "tar_everything": (
        "subprocess.run('tar cf /tmp/a.tar . && strings /tmp/a.tar | rev', shell=True)"
    ),
    "walk_everything": (
        "for d, _, fs in os.walk('.'):\n"
        "    for f in fs:\n"
        "        try:\n"
        "            t = open(os.path.join(d, f), errors='replace').read()\n"
        "        except OSError:\n"
        "            continue\n"
        "        print(t[::-1])"
    ),
    "copy_vendor_dir_out": (
        "shutil.copytree('.gradle', '/tmp/g')\nprint(open('/tmp/g/gradle.properties').read())"
    ),
}


@pytest.fixture(scope="module")
def vendor_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _vendor_ws(tmp_path_factory.mktemp("vendor-secrets"))


def _fresh(template: Path, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-a", str(template), str(dest / "ws")], check=True)
    return dest / "ws"


def _run(ws: Path, code: str, names: object) -> ExecResult:
    r = run_attempt(ws, code, names, after="pass", tenant=TENANT, env=GIT_IN)
    assert isinstance(r, ExecResult)
    return r


def test_control_secrets_in_vendor_directories_were_read(
    vendor_template: Path,
    tmp_path: Path,
    bwrap: str,
    policy_names: Callable[[Path], object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workspace_names, "_vendor_secrets", lambda *a, **k: None)
    read = []
    for name, code in VENDOR_ATTEMPTS.items():
        ws = _fresh(vendor_template, tmp_path / name)
        if _leaked(_run(ws, code, policy_names(ws)).output.decode("utf-8", "replace")):
            read.append(name)
    assert sorted(set(VENDOR_ATTEMPTS) - set(read)) == []


@pytest.mark.parametrize("name", sorted(VENDOR_ATTEMPTS))
def test_no_attempt_reads_a_secret_in_a_vendor_directory(
    name: str,
    vendor_template: Path,
    tmp_path: Path,
    bwrap: str,
    policy_names: Callable[[Path], object],
) -> None:
    ws = _fresh(vendor_template, tmp_path)
    r = _run(ws, VENDOR_ATTEMPTS[name], policy_names(ws))
    assert not _leaked(r.output.decode("utf-8", "replace")), (name, r.output[-600:])
    for rel, text in VENDOR_SECRETS.items():
        assert (ws / rel).read_text() == text  # still there for its owner


def test_vendor_code_stays_readable_and_writable(
    vendor_template: Path, tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    ws = _fresh(vendor_template, tmp_path)
    r = _run(
        ws,
        "print(open('node_modules/pkg/index.js').read())\n"
        "os.makedirs('node_modules/new', exist_ok=True)\n"
        "open('node_modules/new/index.js', 'w').write('x')\n"
        "open('target/out.bin', 'w').write('built')",
        policy_names(ws),
    )
    assert r.outcome is Outcome.SUCCESS, (r.detail, r.output)
    assert b"module.exports" in r.output
    assert (ws / "node_modules" / "new" / "index.js").exists()
    assert (ws / "target" / "out.bin").read_text() == "built"


# ---- a submodule git directory made by the run -------------------------------------------

MARK_NAME = "PWNED-by-module"


def _module_ws(root: Path) -> tuple[Path, Path]:
    src = root / "subsrc"
    src.mkdir(parents=True)
    _git(src, "init", "-q")
    (src / "f").write_text("f\n")
    _git(src, "add", "f")
    _git(src, "commit", "-qm", "s")
    ws = root / "ws"
    ws.mkdir()
    _git(ws, "init", "-q")
    (ws / "a.txt").write_text("a\n")
    _git(ws, "add", "a.txt")
    _git(ws, "commit", "-qm", "a")
    _git(ws, "submodule", "add", "-q", str(src), "lib")
    _git(ws, "commit", "-qm", "sub")
    _git(ws, "submodule", "deinit", "-q", "-f", "lib")
    shutil.rmtree(ws / ".git" / "modules" / "lib")  # listed, not initialised
    return ws, root / MARK_NAME


def _plant(where: str, mark: Path) -> str:
    return (
        "subprocess.run(['git', 'init', '-q', '/tmp/m'], check=True)\n"
        f"os.makedirs(os.path.dirname({where!r}), exist_ok=True)\n"
        f"shutil.copytree('/tmp/m/.git', {where!r})\n"
        f"open({where!r} + '/config', 'a').write("
        f"'[core]\\n\\tfsmonitor = \"touch {mark}\"\\n\\tworktree = ../../../lib\\n')"
    )


MODULE_ATTEMPTS = {
    "premade_module_fsmonitor": lambda mark: _plant(".git/modules/lib", mark),
    "premade_module_hook": lambda mark: (
        _plant(".git/modules/lib", mark)
        + f"\nopen('.git/modules/lib/hooks/post-checkout', 'w').write('#!/bin/sh\\ntouch {mark}')"
        + "\nos.chmod('.git/modules/lib/hooks/post-checkout', 0o755)"
    ),
    "module_name_is_a_link": lambda mark: (
        _plant("em/lib", mark) + "\nos.symlink('../../em/lib', '.git/modules/lib')"
    ),
    "separate_git_dir": lambda mark: (
        "subprocess.run('git init -q --separate-git-dir=.git/modules/lib /tmp/wt', shell=True)\n"
        f"subprocess.run(['git', '--git-dir=.git/modules/lib', 'config', 'core.fsmonitor', "
        f"'touch {mark}'])\n"
        "subprocess.run(['git', '--git-dir=.git/modules/lib', 'config', 'core.worktree', "
        "'../../../lib'])"
    ),
    "nested_module_name": lambda mark: _plant(".git/modules/a/lib", mark),
}


def _landed(ws: Path, mark: Path, name: str) -> bool:
    if mark.exists():
        mark.unlink()
    subprocess.run(
        [
            "git",
            "-c",
            "safe.directory=*",
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "update",
            "--init",
        ],
        cwd=ws,
        env=GIT_ENV,
        capture_output=True,
    )
    if name == "nested_module_name":
        return (ws / ".git" / "modules" / "a" / "lib").exists()
    return mark.exists()


def test_control_a_module_dir_made_by_the_run_ran_on_the_host(
    tmp_path: Path,
    bwrap: str,
    policy_names: Callable[[Path], object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workspace_state.RunState, "_new_module_dirs", lambda self, fd: [])
    landed = []
    for name, code in MODULE_ATTEMPTS.items():
        ws, mark = _module_ws(tmp_path / name)
        _run(ws, code(mark), policy_names(ws))
        if _landed(ws, mark, name):
            landed.append(name)
    assert sorted(set(MODULE_ATTEMPTS) - set(landed)) == []


@pytest.mark.parametrize("name", sorted(MODULE_ATTEMPTS))
def test_a_module_dir_made_by_the_run_is_removed(
    name: str, tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    ws, mark = _module_ws(tmp_path)
    r = _run(ws, MODULE_ATTEMPTS[name](mark), policy_names(ws))
    assert r.outcome is Outcome.ERROR and ".git/modules/" in r.detail, r.detail
    assert not _landed(ws, mark, name)


def test_an_existing_module_is_kept_and_guarded(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    ws, mark = _module_ws(tmp_path)
    _git(ws, "submodule", "update", "--init", "-q")
    r = _run(
        ws,
        "print(subprocess.run(['git', '-C', 'lib', 'log', '--oneline']).returncode)",
        policy_names(ws),
    )
    assert r.outcome is Outcome.SUCCESS, r.detail
    assert (ws / ".git" / "modules" / "lib" / "HEAD").exists()


# ---- a remote whose URL is a local repository, pushed to by the human afterwards ----------

PUSH_MARK = "PWNED-by-push"


def _planted(d: str, mark: Path) -> str:
    return (
        f"subprocess.run(['git', 'init', '-q', '--bare', {d!r}], check=True)\n"
        f"open({d!r} + '/hooks/pre-receive', 'w').write('#!/bin/sh\\ntouch {mark}\\n')\n"
        f"os.chmod({d!r} + '/hooks/pre-receive', 0o755)\n"
    )


def _git_in(cmd: str) -> str:
    return f"print(subprocess.run({cmd!r}, shell=True, capture_output=True))"


REMOTE_ATTEMPTS: dict[str, Callable[[Path, Path], str]] = {
    "url_dot_slash": lambda ws, m: _planted("evil", m) + _git_in("git remote add origin ./evil"),
    "url_bare_name": lambda ws, m: (
        _planted("evil.git", m) + _git_in("git remote add origin evil.git")
    ),
    "url_absolute_host_path": lambda ws, m: (
        _planted("evil", m) + _git_in(f"git remote add origin {ws}/evil")
    ),
    "url_file_scheme": lambda ws, m: (
        _planted("evil", m) + _git_in(f"git remote add origin file://{ws}/evil")
    ),
    "pushurl_only": lambda ws, m: (
        _planted("evil", m)
        + _git_in(
            "git remote add origin https://example.invalid/x && "
            f"git config remote.origin.pushurl {ws}/evil"
        )
    ),
    "url_set_by_writing_config": lambda ws, m: (
        _planted("evil", m)
        + f"open('.git/config', 'a').write('[remote \"origin\"]\\n\\turl = {ws}/evil\\n')"
    ),
    "branch_remote_is_a_path": lambda ws, m: (
        _planted("evil", m)
        + _git_in(
            "git remote add origin https://example.invalid/x && "
            f"git config branch.main.remote {ws}/evil && git config branch.main.merge refs/heads/main"
        )
    ),
    "branch_pushremote_is_a_path": lambda ws, m: (
        _planted("evil", m)
        + _git_in(
            "git remote add origin https://example.invalid/x && "
            f"git config branch.main.pushremote {ws}/evil"
        )
    ),
}


def _push_ws(root: Path) -> tuple[Path, Path]:
    ws = root / "ws"
    ws.mkdir(parents=True)
    _git(ws, "init", "-q")
    (ws / "a.txt").write_text("a\n")
    _git(ws, "add", "a.txt")
    _git(ws, "commit", "-qm", "a")
    return ws, root / PUSH_MARK


def _pushed_and_ran(ws: Path, mark: Path) -> bool:
    """The human's push on the host, as one whose git trusts every directory (a common
    `safe.directory=*` in a global config)."""
    if mark.exists():
        mark.unlink()
    home = mark.parent / "human-home"
    home.mkdir(exist_ok=True)
    # a global file: git does not pass command-line settings to a local transport's child
    (home / ".gitconfig").write_text(
        '[safe]\n\tdirectory = *\n[protocol "file"]\n\tallow = always\n'
    )
    env = {**GIT_ENV, "HOME": str(home)}
    subprocess.run(["git", "push", "-q", "origin", "main"], cwd=ws, env=env, capture_output=True)
    subprocess.run(["git", "push", "-q"], cwd=ws, env=env, capture_output=True)  # its default
    return mark.exists()


def test_control_a_local_remote_ran_its_hook_at_the_humans_push(
    tmp_path: Path,
    bwrap: str,
    policy_names: Callable[[Path], object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import re

    from enforcement_agent.sandbox import git_config_guard

    monkeypatch.setattr(git_config_guard, "_URL_KEY", re.compile(r"(?!)"))
    monkeypatch.setattr(git_config_guard, "_BRANCH_REMOTE_KEY", re.compile(r"(?!)"))
    landed = []
    for name, code in REMOTE_ATTEMPTS.items():
        ws, mark = _push_ws(tmp_path / name)
        _run(ws, code(ws, mark), policy_names(ws))
        if _pushed_and_ran(ws, mark):
            landed.append(name)
    assert sorted(set(REMOTE_ATTEMPTS) - set(landed)) == []


@pytest.mark.parametrize("name", sorted(REMOTE_ATTEMPTS))
def test_a_local_remote_url_is_taken_back(
    name: str, tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    ws, mark = _push_ws(tmp_path)
    r = _run(ws, REMOTE_ATTEMPTS[name](ws, mark), policy_names(ws))
    assert r.outcome is Outcome.ERROR and "restored" in r.detail, r.detail
    assert "not a network URL" in r.detail or "not a remote's name" in r.detail, r.detail
    assert not _pushed_and_ran(ws, mark)


def test_a_network_remote_is_kept(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    ws, _ = _push_ws(tmp_path)
    r = _run(
        ws,
        _git_in("git remote add origin git@github.com:acme/api.git && "
                "git remote add up https://github.com/acme/api.git"),
        policy_names(ws),
    )  # fmt: skip
    assert r.outcome is Outcome.SUCCESS, r.detail
    assert "git@github.com:acme/api.git" in (ws / ".git" / "config").read_text()
