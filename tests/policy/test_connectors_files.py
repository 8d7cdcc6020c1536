"""Connector rules with resource patterns per tenant, and the file tool's path handling."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy, PolicyStore


def _conn(pol: Policy, op: str, resource: str, role: str = "maintainer") -> tuple[Verdict, str]:
    connector, _, operation = op.partition(":")
    req = ToolRequest(
        tenant=pol.name,
        actor="agent",
        role=role,
        tool="connector",
        connector=connector,
        operation=operation,
        resource=resource,
    )
    d = pol.decide(req)
    return d.decision, d.rule


@pytest.mark.parametrize(
    ("tenant", "op", "resource", "want"),
    [
        ("acme", "github:pulls.merge", "acme/api#3", Verdict.ALLOW),
        ("acme", "github:pulls.merge", "globex/api#3", Verdict.DENY),
        ("acme", "jira:issue.create", "NAVI", Verdict.ALLOW),
        ("acme", "jira:issue.create", "GLOBEX", Verdict.DENY),
        ("globex", "jira:issue.create", "GLX", Verdict.DENY),
        ("globex", "github:pulls.merge", "globex/sandbox-demo#1", Verdict.ALLOW),
        ("globex", "github:pulls.merge", "globex/payments#1", Verdict.DENY),
        ("initech", "github:pulls.merge", "initech/core#1", Verdict.DENY),
        ("initech", "github:pulls.get", "initech/core#1", Verdict.ALLOW),
        ("initech", "jira:issue.create", "INI", Verdict.DENY),
        ("default", "github:git.refs.delete", "x/y heads/main", Verdict.DENY),
        ("default", "unknown:thing.do", "x", Verdict.DENY),
        ("default", "github:pulls.merge", "", Verdict.ALLOW),
    ],
)
def test_connector_rules(
    store: PolicyStore, tenant: str, op: str, resource: str, want: Verdict
) -> None:
    got, rule = _conn(store.for_tenant(tenant), op, resource)
    assert got is want, (tenant, op, resource, rule)


def test_connector_destructive_flag(store: PolicyStore) -> None:
    req = ToolRequest(
        tenant="acme",
        actor="a",
        role="admin",
        tool="connector",
        connector="github",
        operation="repos.delete",
        resource="acme/api",
    )
    d = store.for_tenant("acme").decide(req)
    assert d.decision is Verdict.DENY and d.destructive


def test_unknown_tenant_gets_template(store: PolicyStore) -> None:
    assert store.for_tenant("nobody").revision == store.for_tenant("default").revision
    assert store.for_tenant("acme").revision != store.for_tenant("default").revision
    assert store.for_tenant("acme") is store.for_tenant("acme")


@pytest.mark.parametrize(
    ("tool", "path", "want"),
    [
        ("read", "src/app.py", Verdict.ALLOW),
        ("read", "./src/../src/app.py", Verdict.ALLOW),
        ("write", "dist/new.txt", Verdict.ALLOW),
        ("list", ".", Verdict.ALLOW),
        ("read", "../ws-evil/secret.txt", Verdict.DENY),
        ("read", "src/leak.txt", Verdict.DENY),
        ("read", "link_etc/passwd", Verdict.DENY),
        ("list", "link_evil", Verdict.DENY),
        ("write", "docs/hooks/pre-commit", Verdict.DENY),
        ("write", ".git/hooks/pre-commit", Verdict.DENY),
        ("write", ".git/HOOKS/x", Verdict.DENY),
        ("write", ".github/workflows/new.yml", Verdict.DENY),
        ("write", ".gitlab-ci.yml", Verdict.DENY),
        ("write", ".claude/settings.json", Verdict.DENY),
        ("write", ".mcp.json", Verdict.DENY),
        ("write", ".envrc", Verdict.DENY),
        ("read", ".github/workflows/ci.yml", Verdict.ALLOW),
        ("read", ".env", Verdict.DENY),
        ("read", "config/prod.pem", Verdict.DENY),
        ("read", "/etc/passwd", Verdict.DENY),
        ("read", "/proc/self/root/etc/passwd", Verdict.DENY),
        ("read", "~/.ssh/id_rsa", Verdict.DENY),
        ("read", "src/app.py\x00.txt", Verdict.DENY),
    ],
)
def test_file_paths(
    default_policy: Policy, workspace: Path, tool: str, path: str, want: Verdict
) -> None:
    req = ToolRequest(tenant="acme", actor="agent", role="contributor", tool=tool, path=path)
    d = default_policy.decide(req, workspace)
    assert d.decision is want, (tool, path, d.rule, d.reason)


def test_absolute_prefix_confusion(default_policy: Policy, workspace: Path) -> None:
    def read(p: str) -> Verdict:
        return default_policy.decide(
            ToolRequest(tenant="acme", actor="a", role="viewer", tool="read", path=p), workspace
        ).decision

    assert read(str(workspace / "README.md")) is Verdict.ALLOW
    assert read(str(workspace) + "-evil/secret.txt") is Verdict.DENY
    assert read(str(workspace) + "/../ws-evil/secret.txt") is Verdict.DENY


def test_symlink_created_after_load_is_seen(default_policy: Policy, tmp_path: Path) -> None:
    ws = tmp_path / "w"
    ws.mkdir()
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="read", path="late")
    assert default_policy.decide(req, ws).decision is Verdict.ALLOW
    os.symlink("/etc/passwd", ws / "late")
    assert default_policy.decide(req, ws).decision is Verdict.DENY


def test_limits_from_policy(store: PolicyStore) -> None:
    default = store.for_tenant("default").limits("exec")
    initech = store.for_tenant("initech").limits("exec")
    acme = store.for_tenant("acme").limits("exec")
    assert default.cpu_seconds == 120 and default.network_allow == ()
    assert initech.cpu_seconds == 20 and initech.memory_bytes == 268435456
    assert initech.concurrency_per_tenant == 1
    assert "pypi.org" in acme.network_allow
    assert store.for_tenant("globex").limits("exec").concurrency_per_tenant == 2
    assert store.for_tenant("default").limits("read").cpu_seconds == 30


def test_break_glass_scope(store: PolicyStore) -> None:
    acme = store.for_tenant("acme")

    def run(cmd: str, actor: str = "oncall-acme", role: str = "admin") -> tuple[Verdict, str, bool]:
        d = acme.decide(
            ToolRequest(tenant="acme", actor=actor, role=role, tool="exec", command=cmd)
        )
        return d.decision, d.rule, d.destructive

    assert run("kubectl drain staging-node-1") == (
        Verdict.ALLOW,
        "break-glass.acme-staging-drain",
        True,
    )
    assert run("kubectl drain staging-node-1", actor="mallory")[0] is Verdict.DENY
    assert run("kubectl drain staging-node-1", role="maintainer")[0] is Verdict.DENY
    assert run("kubectl drain prod-node-1")[0] is Verdict.DENY
    assert run("kubectl drain staging-node-1 && kubectl delete ns prod")[0] is Verdict.DENY
    assert run("kubectl drain staging-node-1; rm -rf /srv")[0] is Verdict.DENY
    from datetime import date

    d = acme.decide(
        ToolRequest(
            tenant="acme",
            actor="oncall-acme",
            role="admin",
            tool="exec",
            command="kubectl drain staging-node-1",
        ),
        today=date(2030, 1, 1),
    )
    assert d.decision is Verdict.DENY  # expired


def test_internal_error_fails_closed(
    default_policy: Policy, monkeypatch: pytest.MonkeyPatch
) -> None:
    from enforcement_agent.policy import engine

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(engine.ExecEvaluator, "command", boom)
    d = default_policy.decide(
        ToolRequest(tenant="acme", actor="a", role="admin", tool="exec", command="ls")
    )
    assert d.decision is Verdict.DENY and d.rule == "internal-error"


def test_explain_lists_findings(default_policy: Policy, workspace: Path) -> None:
    req = ToolRequest(
        tenant="acme",
        actor="a",
        role="contributor",
        tool="exec",
        command="ls && timeout 5 rm -rf /srv",
    )
    out = default_policy.explain(req, workspace)
    assert out["decision"]["decision"] == "deny"
    assert ["rm", "-rf", "/srv"] in out["commands"]
    rules = {f["rule"] for f in out["findings"]}
    assert {"exec.allow.inspect", "exec.remove-outside-workspace"} <= rules
    assert any(
        f["defined_at"].startswith(str(default_policy.compiled.files_loaded[0]))
        for f in out["findings"]
    )


def test_unknown_program_asks_by_default_and_is_denied_for_initech(store: PolicyStore) -> None:
    req = ToolRequest(
        tenant="acme", actor="a", role="contributor", tool="exec", command="frobnicate --all"
    )
    d = store.for_tenant("acme").decide(req)
    assert d.decision is Verdict.ASK and d.rule == "exec.unknown-program"
    d = store.for_tenant("initech").decide(req)
    assert d.decision is Verdict.DENY and d.rule == "exec.unknown-program"
    # ask never hides a deny elsewhere in the command
    req = ToolRequest(
        tenant="acme", actor="a", role="contributor", tool="exec", command="frobnicate; rm -rf /srv"
    )
    assert store.for_tenant("acme").decide(req).decision is Verdict.DENY
