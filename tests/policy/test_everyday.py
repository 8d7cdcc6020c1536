"""Everyday development inside the workspace is allowed for a contributor (generated corpus)."""

from __future__ import annotations

import pytest

from enforcement_agent.models import Verdict
from tests.policy.cases import EVERYDAY_MAINTAINER, everyday, everyday_corpus
from tests.policy.conftest import Decide

# Issue 10: denied before argument specs, and must be allowed.
MUST_ALLOW = [
    "python3 --version",
    "node --version",
    "python -m unittest discover",
    "python -m pytest",
    "coverage run -m pytest",
]
TARGET_SHARE = 0.95


@pytest.mark.parametrize("command", everyday() + MUST_ALLOW)
def test_everyday_allowed_for_contributor(decide: Decide, command: str) -> None:
    d = decide(command)
    assert d.decision is Verdict.ALLOW, f"{command!r} -> {d.decision} {d.rule}: {d.reason}"
    assert not d.destructive


def test_everyday_corpus_share_for_contributor(decide: Decide) -> None:
    """The large corpus (git, Python, JS, build tools, text tools) is ≥ 95 % allowed."""
    corpus = everyday_corpus()
    refused = [(c, decide(c)) for c in corpus]
    refused = [(c, d.rule) for c, d in refused if d.decision is not Verdict.ALLOW]
    share = 1 - len(refused) / len(corpus)
    assert len(corpus) >= 400
    assert share >= TARGET_SHARE, f"{share:.1%} allowed; refused: {refused}"


@pytest.mark.parametrize("command", EVERYDAY_MAINTAINER)
def test_everyday_inspection_for_maintainer(decide: Decide, command: str) -> None:
    assert decide(command, role="maintainer").decision is Verdict.ALLOW, command


def test_shared_corpus_allow_and_deny(decide: Decide, shared) -> None:  # type: ignore[no-untyped-def]
    """The examples in ../shared/corpora/commands.md get the decision their section says."""
    text = (shared / "corpora" / "commands.md").read_text()
    section = None
    checked = 0
    for line in text.splitlines():
        if line.startswith("## Deny"):
            section = "deny"
        elif line.startswith("## Allow"):
            section = "allow"
        elif line.startswith("- ") and section:
            for cmd in line.split("`")[1::2]:
                d = decide(cmd)
                if section == "deny":
                    assert d.decision is not Verdict.ALLOW, (cmd, d.rule)
                else:
                    assert d.decision is Verdict.ALLOW, (cmd, d.rule, d.reason)
                checked += 1
    assert checked >= 40
