"""Regressions found after the first release: nested .git protection, subshells in substitutions."""

from __future__ import annotations

from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import PolicyStore
from gonogo.config import DEFAULT_PLAN_DIR

POLICY = PolicyStore(DEFAULT_PLAN_DIR / "policies").for_tenant("acme")


def decide(tmp_path: Path, **kw: str) -> Verdict:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", **kw)  # type: ignore[arg-type]
    return POLICY.decide(req, tmp_path).decision


@pytest.mark.parametrize(
    "path",
    ["sub/.git/hooks/pre-commit", "vendor/lib/.git/config", "a/b/c/.GIT/hooks/post-checkout"],
)
def test_nested_git_writes_are_denied(tmp_path: Path, path: str) -> None:
    assert decide(tmp_path, tool="write", path=path) is Verdict.DENY
    assert decide(tmp_path, tool="exec", command=f"echo x > {path}") is Verdict.DENY


@pytest.mark.parametrize("path", ["src/git/x.py", "docs/.gitignore", "sub/.github-notes.md"])
def test_lookalikes_stay_writable(tmp_path: Path, path: str) -> None:
    assert decide(tmp_path, tool="write", path=path) is Verdict.ALLOW


def test_command_substitution_of_a_subshell_is_decided(tmp_path: Path) -> None:
    assert decide(tmp_path, tool="exec", command="echo $( (rm -rf /srv) )") is Verdict.DENY
    assert decide(tmp_path, tool="exec", command="echo `(rm -rf /srv)`") is Verdict.DENY
