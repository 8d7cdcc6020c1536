"""One way for the pass test files to ask the policy about a command: (verdict, rule)."""

from __future__ import annotations

from pathlib import Path

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy


def exec_verdict(
    policy: Policy, ws: Path, command: str, role: str = "contributor"
) -> tuple[Verdict, str]:
    """The verdict and rule for ``command`` run as ``role`` of tenant acme in ``ws``."""
    req = ToolRequest(tenant="acme", actor="a", role=role, tool="exec", command=command)
    d = policy.decide(req, ws)
    return d.decision, d.rule


def assert_append(
    policy: Policy, ws: Path, path: str, protected: bool, case: object = None
) -> None:
    """Appending to ``path`` from the shell is refused as a protected write when
    ``protected``, else allowed (a control); ``case`` names the table row in a failure."""
    verdict, rule = exec_verdict(policy, ws, f"echo x >> '{path}'")
    if protected:
        assert (verdict, rule) == (Verdict.DENY, "exec.protected-path"), (case, path, verdict, rule)
    else:
        assert verdict is Verdict.ALLOW, (case, path, rule)


def assert_append_denied(policy: Policy, ws: Path, path: str) -> None:
    """Appending to ``path`` from the shell is refused as a protected write."""
    assert_append(policy, ws, path, True)


def assert_append_allowed(policy: Policy, ws: Path, path: str) -> None:
    """Appending to ``path`` from the shell is allowed (a control)."""
    assert_append(policy, ws, path, False)
