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


def assert_append_denied(policy: Policy, ws: Path, path: str) -> None:
    """Appending to ``path`` from the shell is refused as a protected write."""
    verdict, rule = exec_verdict(policy, ws, f"echo x >> '{path}'")
    assert (verdict, rule) == (Verdict.DENY, "exec.protected-path"), (path, verdict, rule)


def assert_append_allowed(policy: Policy, ws: Path, path: str) -> None:
    """Appending to ``path`` from the shell is allowed (a control)."""
    verdict, rule = exec_verdict(policy, ws, f"echo x >> '{path}'")
    assert verdict is Verdict.ALLOW, (path, rule)
