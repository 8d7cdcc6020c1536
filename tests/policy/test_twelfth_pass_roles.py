"""Twelfth red-team pass (issue 10, classes 2, 6 and 7): roles, environment, git configuration.

Found and fixed: fetch refspecs whose destination is a glob outside refs/remotes/ and
refs/tags/ (`refs/*:refs/*`, `r*:r*`) moved local branches; push options (`-o
ci.variable=…`, `repo.private=false`) reached the server's hooks unchecked; `git tag -d`
dropped the only ref to an annotated tag without a human; the viewer's `git reflog` took any
word as an argument, `write` (git >= 2.51) among them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from tests.policy.conftest import Decide

FETCH_GLOB_INTO_BRANCHES = [
    "git fetch origin 'refs/*:refs/*'",
    "git fetch origin 'r*:r*'",
    "git fetch origin 'refs/h*:refs/h*'",
    "git fetch origin 'refs/heads/*:refs/*'",
    "git fetch origin 'refs/*/main:refs/*/main'",
    "git fetch origin 'refs/*:r*'",
    "git fetch origin -- 'refs/*:refs/*'",
    "git fetch origin refs/\\*:refs/\\*",
    "git fetch origin main 'refs/*:refs/*'",
    "git pull origin 'refs/*:refs/*'",
    "git -C src fetch origin 'refs/*:refs/*'",
    "git fetch -q origin 'refs/*:refs/*'",
]

FETCH_EVERYDAY = [
    "git fetch origin",
    "git fetch --all",
    "git fetch --tags origin",
    "git fetch origin 'refs/heads/*:refs/remotes/origin/*'",
    "git fetch origin 'refs/tags/*:refs/tags/*'",
    "git fetch origin refs/heads/main:refs/remotes/origin/main",
    "git fetch origin pull/1/head:pr-1",
    "git fetch origin main",
]

PUSH_OPTIONS_DENIED = [
    "git push -o ci.variable=CI_DEBUG_TRACE=true origin main",
    "git push -o repo.private=false origin main",
    "git push -o force-push=true origin HEAD:refs/for/main",
    "git push --push-option=ci.skip origin main",
    "git push --push-option ci.skip origin main",
    "git push -oci.skip origin main",
    "git push -o merge_request.merge_when_pipeline_succeeds origin feature",
    'git push -o "$x" origin main',
]

PUSH_OPTIONS_ALLOWED = [
    "git push origin feature",
    "git push -o merge_request.create origin feature",
    "git push -u -o merge_request.create -o merge_request.draft origin feature",
]

TAG_DELETES = [
    "git tag -d v1",
    "git tag --delete v1",
    "git tag -d v1 v2",
    "git -C src tag -d v1",
    "git tag -d -- v1",
    "git tag -l && git tag -d v1",
]

TAG_EVERYDAY = ["git tag v1", "git tag -l", "git tag -a v2 -m x", "git tag -n"]

VIEWER_REFLOG_WRITES = [
    "git reflog write refs/heads/main 0000000 1111111 msg",
    "git reflog write HEAD a b c",
    "git --no-pager reflog write x y z w",
    "git -C src reflog write x y z w",
    "git reflog expire --expire=now --all",
    "git reflog delete HEAD@{0}",
    "git reflog drop HEAD",
]

VIEWER_REFLOG_READS = ["git reflog", "git reflog show", "git reflog -5", "git reflog show main"]


@pytest.mark.parametrize("cmd", FETCH_GLOB_INTO_BRANCHES)
def test_fetch_glob_destinations_outside_remotes_are_destructive(decide: Decide, cmd: str) -> None:
    d = decide(cmd)
    assert d.decision is Verdict.DENY, (cmd, d.rule, d.reason)
    assert d.rule == "exec.vcs.fetch-into-branches", (cmd, d.rule, d.reason)
    assert d.destructive


@pytest.mark.parametrize("cmd", FETCH_EVERYDAY)
def test_everyday_fetches_stay_allowed(decide: Decide, cmd: str) -> None:
    d = decide(cmd)
    assert d.decision is Verdict.ALLOW, (cmd, d.rule, d.reason)


@pytest.mark.parametrize("cmd", PUSH_OPTIONS_DENIED)
def test_push_options_off_the_list_are_not_allowed(decide: Decide, cmd: str) -> None:
    d = decide(cmd)
    assert d.decision is Verdict.DENY, (cmd, d.rule, d.reason)


@pytest.mark.parametrize("cmd", PUSH_OPTIONS_ALLOWED)
def test_listed_push_options_stay_allowed(decide: Decide, cmd: str) -> None:
    d = decide(cmd)
    assert d.decision is Verdict.ALLOW, (cmd, d.rule, d.reason)


@pytest.mark.parametrize("cmd", TAG_DELETES)
def test_tag_deletion_asks(decide: Decide, cmd: str) -> None:
    d = decide(cmd)
    assert d.decision is not Verdict.ALLOW, (cmd, d.rule, d.reason)
    assert d.rule == "exec.vcs.delete-tag", (cmd, d.rule, d.reason)


@pytest.mark.parametrize("cmd", TAG_EVERYDAY)
def test_tag_creation_and_listing_stay_allowed(decide: Decide, cmd: str) -> None:
    d = decide(cmd)
    assert d.decision is Verdict.ALLOW, (cmd, d.rule, d.reason)


@pytest.mark.parametrize("cmd", VIEWER_REFLOG_WRITES)
def test_viewer_reflog_writes_are_denied(decide: Decide, cmd: str) -> None:
    d = decide(cmd, role="viewer")
    assert d.decision is Verdict.DENY, (cmd, d.rule, d.reason)


@pytest.mark.parametrize("cmd", VIEWER_REFLOG_WRITES[:4])
def test_contributor_reflog_writes_are_denied(decide: Decide, cmd: str) -> None:
    d = decide(cmd)
    assert d.decision is Verdict.DENY, (cmd, d.rule, d.reason)


@pytest.mark.parametrize("cmd", VIEWER_REFLOG_READS)
def test_viewer_reflog_reads_stay_allowed(decide: Decide, cmd: str) -> None:
    d = decide(cmd, role="viewer")
    assert d.decision is Verdict.ALLOW, (cmd, d.rule, d.reason)


def _git(cwd: Path, *args: str) -> str:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    out = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout + out.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_by_effect_a_glob_fetch_moves_main_and_a_remote_tracking_one_does_not(
    tmp_path: Path,
) -> None:
    up = tmp_path / "up"
    up.mkdir()
    _git(up, "init", "-q", "-b", "main")
    _git(up, "commit", "-q", "--allow-empty", "-m", "a")
    _git(tmp_path, "clone", "-q", str(up), "loc")
    loc = tmp_path / "loc"
    _git(up, "commit", "-q", "--allow-empty", "-m", "b")
    _git(loc, "switch", "-q", "-c", "work")
    before = _git(loc, "rev-parse", "main")
    upstream = _git(up, "rev-parse", "main")
    # control: the everyday shape moves remote-tracking refs only
    _git(loc, "fetch", "-q", "origin", "refs/heads/*:refs/remotes/origin/*")
    assert _git(loc, "rev-parse", "main") == before
    # the finding: a glob destination outside refs/remotes/ lands on refs/heads/main
    _git(loc, "fetch", "-q", "origin", "r*:r*")
    assert _git(loc, "rev-parse", "main") == upstream != before


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_by_effect_a_push_option_reaches_the_servers_hook(tmp_path: Path) -> None:
    srv = tmp_path / "srv.git"
    _git(tmp_path, "init", "-q", "--bare", str(srv))
    _git(srv, "config", "receive.advertisePushOptions", "true")
    hook = srv / "hooks" / "pre-receive"
    hook.write_text('#!/bin/sh\necho "saw:$GIT_PUSH_OPTION_COUNT:$GIT_PUSH_OPTION_0" >&2\n')
    hook.chmod(0o755)
    loc = tmp_path / "loc"
    loc.mkdir()
    _git(loc, "init", "-q", "-b", "main")
    _git(loc, "commit", "-q", "--allow-empty", "-m", "a")
    control = _git(loc, "push", "-q", str(srv), "main:c")
    assert "saw:0:" in control
    out = _git(loc, "push", "-q", "-o", "ci.variable=CI_DEBUG_TRACE=true", str(srv), "main")
    assert "saw:1:ci.variable=CI_DEBUG_TRACE=true" in out


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_by_effect_a_deleted_annotated_tag_leaves_no_ref(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "commit", "-q", "--allow-empty", "-m", "a")
    _git(tmp_path, "tag", "-a", "only-here", "-m", "notes")
    _git(tmp_path, "tag", "-d", "only-here")
    assert "only-here" not in _git(tmp_path, "for-each-ref")
    assert "only-here" not in _git(tmp_path, "reflog", "--all")
    assert "unreachable tag" in _git(tmp_path, "fsck", "--unreachable")


LOCALE_PATHS = [
    "LC_ALL=C.UTF-8 LANGUAGE=../../x ls nonexist",
    "LANGUAGE=/tmp/x ls",
    "LANG=../../tmp/x ls",
    "LC_ALL=/tmp/x ls",
    "LC_MESSAGES=./x ls",
    "export LANGUAGE=x/y",
    "declare -x LANG=/x",
    "env LANGUAGE=../x ls",
    "read -r LANGUAGE < README.md",
    "printf -v LANGUAGE %s ../x",
    "LANGUAGE=$x ls",
    "for LANGUAGE in ../x; do ls; done",
    ": ${LANGUAGE:=../x}",
    "mapfile LANGUAGE < README.md",
    "TERM=../../tmp/x ls",
    "TZ=/tmp/x date",
    "TZ=:/tmp/x date",
    "TZ=../../../tmp/x date",
    "TZ=Europe/../../../tmp/x date",
]

LOCALE_NAMES = [
    "LC_ALL=C ls",
    "LC_ALL=C.UTF-8 ls",
    "LANG=en_US.UTF-8 ls",
    "LANG=de_DE.UTF-8@euro ls",
    "LANGUAGE=en_US:en ls",
    "LC_COLLATE=C sort README.md",
    "export LANG=C.UTF-8",
    "TERM=xterm-256color ls",
    "TZ=UTC date",
    "TZ=Europe/Berlin date",
    "TZ=:UTC date",
    "TZ='EST5EDT,M3.2.0/2,M11.1.0/2' date",
    "TZ=Etc/GMT+2 date",
]


@pytest.mark.parametrize("role", ["viewer", "contributor"])
@pytest.mark.parametrize("cmd", LOCALE_PATHS)
def test_locale_zone_and_terminal_values_are_names_not_paths(
    decide: Decide, cmd: str, role: str
) -> None:
    d = decide(cmd, role=role)
    assert d.decision is Verdict.DENY, (cmd, d.rule, d.reason)


@pytest.mark.parametrize("cmd", LOCALE_NAMES)
def test_locale_zone_and_terminal_names_stay_allowed(decide: Decide, cmd: str) -> None:
    d = decide(cmd)
    assert d.decision is Verdict.ALLOW, (cmd, d.rule, d.reason)


@pytest.mark.skipif(
    shutil.which("msgfmt") is None or shutil.which("ls") is None, reason="needs gettext"
)
def test_by_effect_a_language_path_loads_a_workspace_catalog(tmp_path: Path) -> None:
    """The finding: LANGUAGE is a search path component, so a relative value reaches a
    catalog in the workspace, whose translations are printf formats (`%p` printed stack
    words). Control: without LANGUAGE the message is the built-in one."""
    cat = tmp_path / "x" / "LC_MESSAGES"
    cat.mkdir(parents=True)
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "cannot access %s"\nmsgstr "PLANTED-CATALOG %s %p"\n'
    )
    subprocess.run(["msgfmt", "-o", str(cat / "coreutils.mo"), str(po)], check=True)
    rel = os.path.relpath(tmp_path / "x", "/usr/share/locale")
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8"}
    control = subprocess.run(
        ["ls", "nonexist"], cwd=tmp_path, env=base, capture_output=True, text=True
    )
    assert "PLANTED-CATALOG" not in control.stderr
    planted = subprocess.run(
        ["ls", "nonexist"],
        cwd=tmp_path,
        env={**base, "LANGUAGE": rel},
        capture_output=True,
        text=True,
    )
    if "PLANTED-CATALOG" not in planted.stderr:
        pytest.skip("this ls has no message catalogs compiled in")
    assert "0x" in planted.stderr


REBASE_UPDATE_REFS = [
    "git rebase --update-refs main",
    "git rebase --update-refs --onto other main~2",
    "git -c rebase.updateRefs=true rebase main",
    "git -c Rebase.UpdateRefs=true rebase main",
    "git config rebase.updateRefs true",
    "git rebase --update-ref main",
    "git -C src rebase --update-refs main",
]

REBASE_EVERYDAY = [
    "git rebase main",
    "git rebase --no-update-refs main",
    "git -c rebase.autosquash=true rebase main",
]


@pytest.mark.parametrize("cmd", REBASE_UPDATE_REFS)
def test_rebase_that_moves_other_branches_is_not_allowed(decide: Decide, cmd: str) -> None:
    d = decide(cmd)
    assert d.decision is Verdict.DENY, (cmd, d.rule, d.reason)


@pytest.mark.parametrize("cmd", REBASE_EVERYDAY)
def test_plain_rebases_stay_allowed(decide: Decide, cmd: str) -> None:
    d = decide(cmd)
    assert d.decision is Verdict.ALLOW, (cmd, d.rule, d.reason)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_by_effect_update_refs_rewrites_main(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q", "-b", "main")
    for i in range(4):
        _git(tmp_path, "commit", "-q", "--allow-empty", "-m", f"c{i}")
    _git(tmp_path, "switch", "-q", "-c", "other", "HEAD~3")
    _git(tmp_path, "commit", "-q", "--allow-empty", "-m", "o1")
    _git(tmp_path, "switch", "-q", "main")
    _git(tmp_path, "switch", "-q", "-c", "feature")
    _git(tmp_path, "commit", "-q", "--allow-empty", "-m", "f1")
    before = _git(tmp_path, "rev-parse", "main")
    _git(tmp_path, "rebase", "-q", "--onto", "other", "main~2")  # control
    assert _git(tmp_path, "rev-parse", "main") == before
    _git(tmp_path, "reset", "-q", "--hard", "ORIG_HEAD")
    try:
        _git(tmp_path, "rebase", "-q", "--update-refs", "--onto", "other", "main~2")
    except subprocess.CalledProcessError:
        pytest.skip("git before 2.38 has no --update-refs")
    assert _git(tmp_path, "rev-parse", "main") != before
