"""Issue 10, class 7: git configuration that runs commands or rewrites history.

`git -c`, `--config-env`, `clone -c` and `git config KEY VALUE` may only set keys on the
policy's allowlist (exec.git_config); refspec shapes that rewrite or delete shared history are
destructive, so only a break-glass entry can allow them.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from enforcement_agent.policy.exec_eval import _git_key
from tests.policy.cases import assert_not_allowed
from tests.policy.conftest import Decide

ISSUE_EXAMPLE = "git -c trailer.a.cmd='id' interpret-trailers notes.md"

CONFIG_KEYS_THAT_RUN_OR_REDIRECT = [
    "trailer.a.cmd=id",
    "trailer.a.command=id",
    "core.pager=sh -c id",
    "Core.Pager=less",
    "core.sshCommand=sh -c id",
    "core.hooksPath=/tmp/h",
    "core.fsmonitor=sh -c id",
    "core.editor=sh -c id",
    "core.askPass=/tmp/x",
    "core.gitProxy=/tmp/x",
    "core.worktree=/tmp",
    "sequence.editor=sh -c id",
    "alias.st=!sh -c id",
    "credential.helper=!sh -c id",
    "diff.x.textconv=sh -c id",
    "diff.external=/tmp/x",
    "filter.x.clean=sh -c id",
    "filter.x.process=/tmp/x",
    "merge.x.driver=sh -c id",
    "gpg.program=/tmp/x",
    "gpg.ssh.program=/tmp/x",
    "pager.log=sh -c id",
    "include.path=/tmp/cfg",
    "includeIf.gitdir:/.path=/tmp/cfg",
    "url.ext::sh -c id.insteadOf=https://",
    "remote.origin.push=+refs/heads/*:refs/heads/*",
    "remote.origin.mirror=true",
    "remote.origin.uploadpack=/tmp/x",
    "push.default=matching",
    "push.followTags=true",
    "safe.directory=*",
    "protocol.ext.allow=always",
    "uploadpack.packObjectsHook=/tmp/x",
]

REFSPECS_AND_REF_UPDATES = [
    "git push origin +main",
    "git push origin +HEAD:main",
    "git push origin '+refs/heads/*:refs/heads/*'",
    "git push origin :release",
    "git push origin :refs/tags/v1",
    "git push origin --delete release",
    "git push -d origin release",
    "git push --mirror",
    "git push --force",
    "git push -f origin main",
    "git push -uf origin main",
    "git push origin main --force",
    "git push --force-with-lease origin main",
    "git push --force-with-lease=main:abc origin main",
    "git push --force-if-includes origin main",
    "git push --prune origin",
    "git update-ref -d refs/heads/main",
    "git update-ref refs/heads/main 0000000000000000000000000000000000000000",
    "git update-ref --stdin",
    "git branch -D main",
    "git reflog expire --expire=now --all",
    "git gc --prune=now",
]

ALLOWED = [
    "git -c user.name=bot commit -m x",
    "git -c user.email=bot@example.com -c commit.gpgsign=false commit -m x",
    "git -c color.ui=never log --oneline",
    "git -c core.quotepath=off status",
    "git config user.email bot@example.com",
    "git config --get user.email",
    "git push origin feature/x",
    "git push -u origin HEAD",
    "git push origin refs/heads/feature:refs/heads/feature",
    "git push --tags origin",
    "git fetch origin +main:refs/remotes/origin/main",
]


def test_issue_example_is_denied(decide: Decide) -> None:
    d = decide(ISSUE_EXAMPLE)
    assert d.decision is Verdict.DENY
    assert "trailer.a.cmd" in d.reason


@pytest.mark.parametrize("setting", CONFIG_KEYS_THAT_RUN_OR_REDIRECT)
def test_config_keys_off_the_list_are_denied_in_every_form(decide: Decide, setting: str) -> None:
    key, _, value = setting.partition("=")
    quoted = f"'{setting}'"
    forms = [
        f"git -c {quoted} log",
        f"git -c{quoted} status",
        f"git --config-env={key}=HOME log",
        f"git clone -c {quoted} https://x.example/r build/r",
        f"git config {key} '{value}'",
        f"git config set {key} '{value}'",
        f"git config --local --add {key} '{value}'",
        f"git -C docs -c {quoted} push",
    ]
    for command in forms:
        assert_not_allowed(decide, command)


@pytest.mark.parametrize("command", REFSPECS_AND_REF_UPDATES)
def test_history_rewriting_shapes_are_destructive(decide: Decide, command: str) -> None:
    d = decide(command, role="admin")
    assert d.decision is Verdict.DENY, (command, d.rule)
    if "--stdin" not in command:  # refs read from stdin cannot be decided at all
        assert d.destructive, (command, d.rule)


@pytest.mark.parametrize("command", ALLOWED)
def test_listed_keys_and_plain_pushes_are_allowed(decide: Decide, command: str) -> None:
    d = decide(command)
    assert d.decision is Verdict.ALLOW, (command, d.rule, d.reason)


def test_global_and_system_config_are_not_written(decide: Decide) -> None:
    for command in ("git config --global user.name x", "git config --system user.name x"):
        assert decide(command).decision is Verdict.DENY


def test_key_normalisation_follows_git() -> None:
    assert _git_key("Core.Pager") == "core.pager"
    assert _git_key("Trailer.Sign.CMD") == "trailer.Sign.cmd"  # subsections keep their case
    assert _git_key("url.HTTPS://X.insteadOf") == "url.HTTPS://X.insteadof"


SECTIONS = ["core", "diff", "filter", "merge", "alias", "trailer", "pager", "credential",
            "remote", "url", "push", "include", "gpg", "sequence", "submodule", "http", "uploadpack"]  # fmt: skip


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    section=st.sampled_from(SECTIONS),
    sub=st.one_of(st.just(""), st.from_regex(r"[a-zA-Z][a-zA-Z0-9]{0,6}", fullmatch=True)),
    name=st.from_regex(r"[a-zA-Z][a-zA-Z0-9]{0,12}", fullmatch=True),
    upper=st.booleans(),
)
def test_any_key_off_the_list_is_denied(
    decide: Decide, default_policy: Policy, section: str, sub: str, name: str, upper: bool
) -> None:
    key = f"{section}.{sub}.{name}" if sub else f"{section}.{name}"
    allowed = default_policy.compiled.exec.git_config
    assert allowed is not None
    if allowed.match(_git_key(key)):
        return
    spelled = key.upper() if upper else key
    d = decide(f"git -c '{spelled}=x' status")
    assert d.decision is not Verdict.ALLOW, (spelled, d.rule)
