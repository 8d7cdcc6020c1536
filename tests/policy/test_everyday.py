"""Everyday development inside the workspace is allowed for a contributor (generated corpus)."""

from __future__ import annotations

import pytest

from enforcement_agent.models import Verdict
from tests.policy.cases import everyday
from tests.policy.conftest import Decide


@pytest.mark.parametrize("command", everyday())
def test_everyday_allowed_for_contributor(decide: Decide, command: str) -> None:
    d = decide(command)
    assert d.decision is Verdict.ALLOW, f"{command!r} -> {d.decision} {d.rule}: {d.reason}"
    assert not d.destructive


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
