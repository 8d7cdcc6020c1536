"""Every bypass family of issue 3 is denied; the destructive ones are classified destructive."""

from __future__ import annotations

import pytest

from enforcement_agent.models import Verdict
from tests.policy.cases import (
    OUTSIDE_TARGETS,
    REMOVE_VERBS,
    SYSTEM_AND_INFRA,
    UNDECIDABLE,
    adversarial,
    everyday,
)
from tests.policy.conftest import Decide

ADVERSARIAL = adversarial()


def test_corpus_sizes() -> None:
    assert len(ADVERSARIAL) >= 300
    assert len(everyday()) >= 100


@pytest.mark.parametrize("command", ADVERSARIAL)
def test_adversarial_is_denied(decide: Decide, command: str) -> None:
    for role in ("contributor", "admin"):
        d = decide(command, role=role)
        assert d.decision is not Verdict.ALLOW, f"{role} allowed {command!r}: {d.rule} {d.reason}"
        assert d.reason and d.rule


@pytest.mark.parametrize("verb", REMOVE_VERBS)
@pytest.mark.parametrize("target", [t for t in OUTSIDE_TARGETS if t != ".*"])
def test_removal_outside_workspace_is_destructive(decide: Decide, verb: str, target: str) -> None:
    d = decide(f"{verb} {target}")
    assert d.decision is Verdict.DENY
    assert d.destructive, (verb, target, d.rule)


@pytest.mark.parametrize("command", [c for c in UNDECIDABLE if "=" not in c.split()[0]][:30])
def test_undecidable_says_so(decide: Decide, command: str) -> None:
    d = decide(command)
    assert d.decision is Verdict.DENY
    if d.rule == "shell.undecidable":
        assert "cannot be decided" in d.reason


@pytest.mark.parametrize("command", SYSTEM_AND_INFRA[:53])
def test_system_and_infra_denied_for_admin(decide: Decide, command: str) -> None:
    d = decide(command, role="admin")
    assert d.decision is Verdict.DENY, (command, d.rule)


@pytest.mark.parametrize(
    "command",
    [
        "git push --force origin release",
        "git update-ref -d refs/heads/main",
        "helm uninstall prod",
        "kubectl drain node-1 --force",
        "aws rds delete-db-instance --db-instance-identifier prod",
        "mkswap /dev/sdb",
        "blkdiscard /dev/nvme0n1",
        "rm -rf /opt",
        "terraform destroy -auto-approve",
    ],
)
def test_destructive_classification(decide: Decide, command: str) -> None:
    d = decide(command, role="admin")
    assert d.decision is Verdict.DENY and d.destructive


def test_reason_names_the_sub_command(decide: Decide) -> None:
    d = decide("ls docs && cat README.md; rm -rf /srv")
    assert d.decision is Verdict.DENY
    assert "rm -rf /srv" in d.reason


def test_prefix_confusion_sibling(decide: Decide, workspace) -> None:  # type: ignore[no-untyped-def]
    sibling = str(workspace) + "-evil"
    for cmd in (f"rm -rf {sibling}", f"cat {sibling}/secret.txt", f"cp {sibling}/secret.txt ."):
        assert decide(cmd).decision is Verdict.DENY, cmd
    assert decide(f"cat {workspace}/README.md").decision is Verdict.ALLOW
