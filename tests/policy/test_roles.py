"""Role matrix: viewer ⊂ contributor ⊂ maintainer ⊂ admin, from the policy's permission table."""

from __future__ import annotations

from pathlib import Path

import pytest

from enforcement_agent.models import ROLES, ToolRequest, Verdict
from enforcement_agent.policy import Policy

A, D = Verdict.ALLOW, Verdict.DENY

#            request                                               viewer contrib maint admin
MATRIX: list[tuple[dict[str, str], tuple[Verdict, Verdict, Verdict, Verdict]]] = [
    ({"tool": "exec", "command": "ls docs"}, (A, A, A, A)),
    ({"tool": "exec", "command": "git log --oneline"}, (A, A, A, A)),
    ({"tool": "exec", "command": "git commit -m x"}, (D, A, A, A)),
    ({"tool": "exec", "command": "echo x > notes.md"}, (D, A, A, A)),
    ({"tool": "exec", "command": "sed -i s/a/b/ README.md"}, (D, A, A, A)),
    ({"tool": "exec", "command": "sort -o out.txt README.md"}, (D, A, A, A)),
    ({"tool": "exec", "command": "find . -name '*.orig' -delete"}, (D, A, A, A)),
    ({"tool": "exec", "command": "ls > /dev/null"}, (A, A, A, A)),
    ({"tool": "exec", "command": "rm -rf dist"}, (D, A, A, A)),
    ({"tool": "exec", "command": "pytest -q"}, (D, A, A, A)),
    ({"tool": "exec", "command": "curl -s http://localhost:8000/health"}, (D, A, A, A)),
    ({"tool": "exec", "command": "docker ps"}, (D, D, A, A)),
    ({"tool": "exec", "command": "kubectl get pods -n prod"}, (D, D, A, A)),
    ({"tool": "exec", "command": "aws s3 ls"}, (D, D, A, A)),
    ({"tool": "exec", "command": "kubectl apply -f deploy.yaml"}, (D, D, D, A)),
    ({"tool": "exec", "command": "kubectl delete ns prod"}, (D, D, D, D)),
    ({"tool": "exec", "command": "rm -rf /opt"}, (D, D, D, D)),
    # viewer: read-only by construction (only the read_only table; issue 10, class 2)
    ({"tool": "exec", "command": "awk '{print $1}' README.md"}, (D, A, A, A)),
    ({"tool": "exec", "command": "sed -n 1p README.md"}, (D, A, A, A)),
    ({"tool": "exec", "command": "env ls"}, (D, A, A, A)),
    ({"tool": "exec", "command": "git diff --cached"}, (A, A, A, A)),
    ({"tool": "exec", "command": "python3 --version"}, (D, A, A, A)),
    ({"tool": "exec", "command": "python3 -m timeit 1"}, (D, D, D, D)),
    ({"tool": "exec", "command": "git -c core.pager=id log"}, (D, D, D, D)),
    ({"tool": "read", "path": "src/app.py"}, (A, A, A, A)),
    ({"tool": "list", "path": "src"}, (A, A, A, A)),
    ({"tool": "write", "path": "src/app.py"}, (D, A, A, A)),
    ({"tool": "write", "path": ".github/workflows/ci.yml"}, (D, D, D, D)),
    ({"tool": "read", "path": ".env"}, (D, D, D, D)),
    (
        {
            "tool": "connector",
            "connector": "github",
            "operation": "pulls.get",
            "resource": "acme/api#1",
        },
        (A, A, A, A),
    ),
    (
        {
            "tool": "connector",
            "connector": "github",
            "operation": "pulls.create",
            "resource": "acme/api",
        },
        (D, A, A, A),
    ),
    (
        {"tool": "connector", "connector": "jira", "operation": "issue.create", "resource": "NAVI"},
        (D, A, A, A),
    ),
    (
        {
            "tool": "connector",
            "connector": "github",
            "operation": "pulls.merge",
            "resource": "acme/api#1",
        },
        (D, D, A, A),
    ),
    (
        {
            "tool": "connector",
            "connector": "github",
            "operation": "repos.update",
            "resource": "acme/api",
        },
        (D, D, D, A),
    ),
    (
        {
            "tool": "connector",
            "connector": "github",
            "operation": "repos.delete",
            "resource": "acme/api",
        },
        (D, D, D, D),
    ),
    (
        {
            "tool": "connector",
            "connector": "jira",
            "operation": "project.delete",
            "resource": "NAVI",
        },
        (D, D, D, D),
    ),
]


@pytest.mark.parametrize(("fields", "expected"), MATRIX)
def test_role_matrix(
    default_policy: Policy, workspace: Path, fields: dict[str, str], expected: tuple[Verdict, ...]
) -> None:
    for role, want in zip(ROLES, expected, strict=True):
        req = ToolRequest(tenant="acme", actor="agent", role=role, **fields)  # type: ignore[arg-type]
        d = default_policy.decide(req, workspace)
        assert d.decision is want, (role, fields, d.rule, d.reason)
        if want is D and d.rule.startswith("rbac."):
            assert "lacks permission" in d.reason


def test_roles_are_nested(default_policy: Policy) -> None:
    perms = [default_policy.permissions(r) for r in ROLES]
    for lower, higher in zip(perms, perms[1:], strict=False):
        assert lower < higher
