"""Everyday development inside the workspace is allowed for a contributor (generated corpus)."""

from __future__ import annotations

from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy
from tests.policy.cases import EVERYDAY_MAINTAINER, everyday, everyday_corpus
from tests.policy.conftest import Decide
from tests.policy.test_class_08_paths import _everyday_commands

# Issue 10: denied before argument specs, and must be allowed.
MUST_ALLOW = [
    "python3 --version",
    "node --version",
    "python -m unittest discover",
    "python -m pytest",
    "coverage run -m pytest",
]
TARGET_SHARE = 0.95
# Misses both halves of issue 10 left (argument specs, the shell walk), decided since.
GAPS = [
    "base64 notes.md",
    "base64 -d < notes.md > decoded.txt",
    "echo '2^10' | bc",
    "echo 'scale=2; 1/3' | bc -l",
    "command -v git",
    "command -v python3 >/dev/null && python3 --version",
    "for f in src/*.py; do if [ -f $f ]; then break; fi; done",
    "for f in a b; do [ $f = a ] && continue; echo $f; done",
    'for f in $(git ls-files); do wc -l "$f"; done',
    "for f in $(find src -name '*.py'); do head -1 $f; done",
    "make -j$(nproc)",
    'make -j"$(nproc)" test',
    "PAGER=cat git log -5",
    "GIT_PAGER=cat git diff",
    "GIT_EDITOR=true git rebase --continue",
    "git config --get user.email",
    "git config --get-regexp '^remote\\.'",
    "git config -l",
    "export CI",
    "mapfile -t lines < notes.md",
]


@pytest.mark.parametrize("command", everyday() + MUST_ALLOW + GAPS)
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


def test_union_of_everyday_corpora_share_for_contributor(
    decide: Decide, default_policy: Policy, everyday_ws: Path
) -> None:
    """Both engineers' everyday corpora together (the generated one in the trap workspace it
    was written for, the shell idioms in their git workspace) are ≥ 95 % allowed."""
    ours = list(dict.fromkeys(everyday() + everyday_corpus() + MUST_ALLOW + GAPS))
    refused = [c for c in ours if decide(c).decision is not Verdict.ALLOW]
    idioms = _everyday_commands()
    for c in idioms:
        req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command=c)
        if default_policy.decide(req, everyday_ws).decision is not Verdict.ALLOW:
            refused.append(c)
    total = len(ours) + len(idioms)
    share = 1 - len(refused) / total
    print(
        f"everyday union: {total - len(refused)}/{total} allowed ({share:.1%}); refused: {refused}"
    )
    assert total >= 600
    assert share >= TARGET_SHARE, f"{share:.1%} of {total} allowed; refused: {refused}"


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
