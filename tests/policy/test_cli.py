"""`gonogo policy eval|test|explain` and `gonogo audit verify` through the real Typer commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import typer
from typer.testing import CliRunner

from enforcement_agent.audit import DecisionLog
from enforcement_agent.models import ToolRequest
from enforcement_agent.policy import PolicyStore
from gonogo import cli_audit, cli_policy
from tests.policy.conftest import POLICY_DIR, shipped_policy_copy

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    cli_policy.register(app)
    cli_audit.register(app)
    return app


def test_eval_batch_same_order_and_malformed_lines(tmp_path: Path) -> None:
    lines = [
        {
            "tenant": "acme",
            "actor": "a",
            "role": "contributor",
            "tool": "exec",
            "command": "rm -rf dist",
        },
        "{not json",
        {
            "tenant": "acme",
            "actor": "a",
            "role": "contributor",
            "tool": "exec",
            "command": "rm -rf /opt",
        },
        {"tenant": "acme", "actor": "a", "role": "superuser", "tool": "exec", "command": "ls"},
        {
            "tenant": "globex",
            "actor": "a",
            "role": "maintainer",
            "tool": "connector",
            "connector": "jira",
            "operation": "issue.create",
            "resource": "GLX",
        },
        {
            "tenant": "acme",
            "actor": "a",
            "role": "viewer",
            "tool": "read",
            "path": "src/app.py",
            "policy": "allow",
        },
    ]
    batch = tmp_path / "b.jsonl"
    batch.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    res = runner.invoke(_app(), ["policy", "eval", "--batch", str(batch)])
    assert res.exit_code == 0, res.output
    out = [json.loads(x) for x in res.stdout.splitlines()]
    assert [o["decision"] for o in out] == ["allow", "deny", "deny", "deny", "deny", "deny"]
    assert "line 2" in out[1]["reason"]
    assert out[2]["rule"] == "exec.remove-outside-workspace"
    assert "unknown role" in out[3]["reason"]
    assert out[4]["rule"] == "connector.globex.no-jira"
    assert "unknown request field" in out[5]["reason"]
    assert all(
        set(o) == {"decision", "rule", "reason", "decision_id", "policy_version"} for o in out
    )


def test_eval_single_policy_file_and_workspace(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "link").symlink_to("/etc")
    batch = tmp_path / "b.jsonl"
    batch.write_text(
        json.dumps(
            {"tenant": "x", "actor": "a", "role": "viewer", "tool": "read", "path": "link/passwd"}
        )
        + "\n"
    )
    res = runner.invoke(
        _app(),
        [
            "policy",
            "eval",
            "--policy",
            str(POLICY_DIR / "initech.yaml"),
            "--workspace",
            str(ws),
            "--batch",
            str(batch),
        ],
    )
    assert json.loads(res.stdout)["rule"] == "file.outside-workspace"


def test_policy_test_passes_and_fails(tmp_path: Path) -> None:
    for name in ("default", "acme", "globex", "initech"):
        res = runner.invoke(_app(), ["policy", "test", str(POLICY_DIR / f"{name}.yaml")])
        assert res.exit_code == 0, res.output
    shipped_policy_copy(tmp_path)
    bad = tmp_path / "t.yaml"
    bad.write_text(
        "version: 1\nextends: default\ntests:\n  - request: {tenant: t, actor: a, role: contributor, tool: exec, command: 'rm -rf /'}\n    decision: allow\n"
    )
    res = runner.invoke(_app(), ["policy", "test", str(bad)])
    assert res.exit_code == 1 and "expected allow" in res.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\nextends: default\nexec:\n  default: maybe\n")
    res = runner.invoke(_app(), ["policy", "test", str(broken)])
    assert res.exit_code == 1 and "broken.yaml:4" in res.output


def test_explain(tmp_path: Path) -> None:
    req = {
        "tenant": "acme",
        "actor": "a",
        "role": "contributor",
        "tool": "exec",
        "command": "env bash -c 'rm -rf /srv'",
    }
    res = runner.invoke(_app(), ["policy", "explain", json.dumps(req)])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["decision"]["decision"] == "deny" and out["decision"]["destructive"] is True
    assert ["rm", "-rf", "/srv"] in out["commands"]


def test_audit_verify_exit_codes(tmp_path: Path) -> None:
    pol = PolicyStore(POLICY_DIR).for_tenant("acme")
    log = DecisionLog(tmp_path)
    for i in range(3):
        r = ToolRequest(tenant="acme", actor="a", role="viewer", tool="exec", command=f"ls {i}")
        log.append(r, pol.decide(r))
    res = runner.invoke(_app(), ["audit", "verify", "--audit-dir", str(tmp_path), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["ok"] is True
    path = tmp_path / "acme" / "decisions.jsonl"
    path.write_text(path.read_text().replace('"ls 1"', '"ls 9"'))
    res = runner.invoke(_app(), ["audit", "verify", "--audit-dir", str(tmp_path)])
    assert res.exit_code == 1 and "BROKEN" in res.output


def test_audit_verify_of_a_missing_directory_fails_and_an_empty_one_passes(
    tmp_path: Path,
) -> None:
    """A mistyped --audit-dir (or a log removed whole) is not a clean chain; an empty directory
    (created, nothing decided yet) is, and a directory that held records and lost them is not."""
    for missing in (tmp_path / "nope", tmp_path / "audit-typo" / "deeper"):
        for extra in ([], ["--json"]):
            res = runner.invoke(_app(), ["audit", "verify", "--audit-dir", str(missing), *extra])
            assert res.exit_code == 1, res.output
            assert "no audit directory" in res.output
            if extra:
                assert json.loads(res.stdout)["ok"] is False
    empty = tmp_path / "empty"
    empty.mkdir()
    res = runner.invoke(_app(), ["audit", "verify", "--audit-dir", str(empty)])
    assert res.exit_code == 0 and "no decision records" in res.output
    pol = PolicyStore(POLICY_DIR).for_tenant("acme")
    r = ToolRequest(tenant="acme", actor="a", role="viewer", tool="exec", command="ls")
    DecisionLog(empty).append(r, pol.decide(r))
    shutil.rmtree(empty / "acme")
    res = runner.invoke(_app(), ["audit", "verify", "--audit-dir", str(empty)])
    assert res.exit_code == 1 and "missing" in res.output
