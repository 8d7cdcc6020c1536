"""The Claude Code HTTP hook: `POST /v1/hooks/claude-code/pre-tool-use` on a real uvicorn.

It takes the same hook JSON as the command hook and answers the same decision JSON, so the
two forms must agree on every payload (decision ids aside).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from dashboards.app import create_app
from dashboards.dev_issuer import DevIssuer
from dashboards.gateway import HOOK_PATH, HookSettings
from enforcement_agent.agent import EnforcementAgent
from enforcement_agent.audit import verify
from enforcement_agent.integrations.claude_hook import MAX_INPUT_BYTES, HookOperator
from gonogo.config import Settings
from tests.auth.harness import bearer, token_gate
from tests.integrations.conftest import SECRET, HookEnv, HookRunner, hook_input
from tests.servers import serve_app

_ID = re.compile(r"\(decision [0-9a-f]{32}\)")
# Placeholder tags are keyed per deployment (this test process and the hook process differ).
_TAG = re.compile(r"(\[REDACTED:[a-z0-9-]+):[0-9a-f]{8}\]")


@pytest.fixture
def http_hook(hook_env: HookEnv) -> Iterator[tuple[str, EnforcementAgent]]:
    from gonogo.wiring import build_agent

    settings = Settings(home=hook_env.home)
    agent = build_agent(settings, workspace=hook_env.workspace)
    hook = HookSettings(
        workspace_for=lambda _t: hook_env.workspace,
        exec_env=(("GONOGO_HOME", str(settings.home)),),
    )
    issuer = DevIssuer.create(hook_env.home.parent / "issuer")
    _TOKENS["acme"] = issuer.token("acme", "contributor", actor="claude-code")
    app = create_app(settings, gate=token_gate(settings, issuer, agent.decision_log), agent=agent,
                     hook=hook)  # fmt: skip
    with serve_app(app) as url:
        yield url, agent
    agent.telemetry.shutdown()


# The bearer token Claude Code sends (its `headers` setting, from an environment variable).
_TOKENS: dict[str, str] = {}


def post(url: str, body: bytes, **kw: Any) -> httpx.Response:
    auth = kw.pop("auth_headers", bearer(_TOKENS["acme"]))
    return httpx.post(f"{url}{HOOK_PATH}", content=body, timeout=60,
                      headers={"content-type": "application/json", **auth,
                               **kw.pop("headers", {})}, **kw)  # fmt: skip


_APPROVED = re.compile(r"--approved=[0-9a-f]{32}")


def _normal(out: dict[str, Any]) -> dict[str, Any]:
    inner = dict(out["hookSpecificOutput"])
    reason = _ID.sub("(decision …)", inner["permissionDecisionReason"])
    inner["permissionDecisionReason"] = _TAG.sub(r"\1]", reason)
    updated = inner.get("updatedInput")
    if isinstance(updated, dict) and isinstance(updated.get("command"), str):
        # An asked Bash line carries its own one-time approval id (each decision has its own).
        command = _APPROVED.sub("--approved=…", updated["command"])
        inner["updatedInput"] = {**updated, "command": command}
    return inner


PAYLOADS = [
    ("Bash", {"command": "ls -la src", "description": "x"}),
    ("Bash", {"command": "rm -rf /opt"}),
    ("Bash", {"command": "frobnicate --now"}),
    ("Bash", {"command": "env -S 'rm -rf /opt'"}),
    ("Read", {"file_path": "{ws}/src/app.py"}),
    ("Write", {"file_path": "{ws}/.git/hooks/pre-commit", "content": "x"}),
    ("Glob", {"pattern": "../../**/*.env"}),
    ("TodoWrite", {"todos": []}),
    ("mcp__github__issues.create", {"owner": "acme", "repo": "api"}),
]


def test_the_http_form_answers_exactly_like_the_process_form(
    hook_env: HookEnv, run_hook_cli: HookRunner, http_hook: tuple[str, EnforcementAgent]
) -> None:
    url, _ = http_hook
    ws = hook_env.workspace
    for tool, tool_input in PAYLOADS:
        ti = {k: v.replace("{ws}", str(ws)) if isinstance(v, str) else v
              for k, v in tool_input.items()}  # fmt: skip
        payload = hook_input(tool, ti, ws, tool_use_id=f"toolu_{tool}")
        r = post(url, payload)
        assert r.status_code == 200, r.text
        over_http = r.json()
        assert set(over_http) == {"hookSpecificOutput"}
        by_process, _ = run_hook_cli(payload)
        assert _normal(over_http) == _normal({"hookSpecificOutput": by_process}), tool
    recs = hook_env.records()
    assert len(recs) == 2 * len(PAYLOADS)
    assert all(r["tool_use_id"].startswith("toolu_") for r in recs)
    assert verify(hook_env.audit_dir).ok


@pytest.mark.parametrize(
    "body",
    [b"", b"{", b"[]", b"null", b'{"hook_event_name": "PostToolUse"}', b"\xff\xfe", b"[" * 5000],
)
def test_malformed_bodies_are_recorded_denies_not_errors(
    hook_env: HookEnv, http_hook: tuple[str, EnforcementAgent], body: bytes
) -> None:
    url, _ = http_hook
    r = post(url, body)
    assert r.status_code == 200
    inner = r.json()["hookSpecificOutput"]
    assert inner["permissionDecision"] == "deny"
    assert inner["permissionDecisionReason"].startswith("hook.malformed-input: ")
    assert hook_env.records()[-1]["rule"] == "hook.malformed-input"


def test_an_oversized_body_is_denied_without_reading_it_all(
    hook_env: HookEnv, http_hook: tuple[str, EnforcementAgent]
) -> None:
    url, _ = http_hook
    r = post(url, b" " * (MAX_INPUT_BYTES + 10))
    assert r.status_code == 200
    assert "exceeds" in r.json()["hookSpecificOutput"]["permissionDecisionReason"]


def test_the_body_cannot_choose_tenant_or_role(
    hook_env: HookEnv, http_hook: tuple[str, EnforcementAgent]
) -> None:
    url, _ = http_hook
    ws = hook_env.workspace
    payload = hook_input("Write", {"file_path": f"{ws}/src/a.py", "content": "x"}, ws,
                         tenant="globex", role="admin")  # fmt: skip
    r = post(url, payload)
    assert r.json()["hookSpecificOutput"]["permissionDecision"] == "allow"
    [rec] = hook_env.records()
    assert (rec["tenant_id"], rec["role"]) == ("acme", "contributor")
    assert hook_env.records("globex") == []


def test_secrets_stay_out_of_the_answer_and_the_record(
    hook_env: HookEnv, http_hook: tuple[str, EnforcementAgent]
) -> None:
    url, _ = http_hook
    cmd = f"curl -H 'Authorization: token {SECRET}' https://x.example; rm -rf /opt"
    r = post(url, hook_input("Bash", {"command": cmd}, hook_env.workspace, tool_use_id=SECRET))
    assert r.json()["hookSpecificOutput"]["permissionDecision"] == "deny"
    assert SECRET not in r.text
    assert SECRET not in (hook_env.audit_dir / "acme" / "decisions.jsonl").read_text()


def test_the_hook_route_needs_a_verified_token(
    hook_env: HookEnv, http_hook: tuple[str, EnforcementAgent]
) -> None:
    url, _ = http_hook
    payload = hook_input("Bash", {"command": "ls"}, hook_env.workspace)
    assert post(url, payload, auth_headers={}).status_code == 401
    assert (
        post(url, payload, auth_headers={"authorization": "Bearer hook-token-1"}).status_code == 401
    )
    assert [r["rule"] for r in hook_env.records("unauthenticated")] == [
        "auth.no-token",
        "auth.malformed-token",
    ]
    ok = post(url, payload)
    assert ok.status_code == 200 and hook_env.records()[-1]["result"] == "allow"
    assert hook_env.records()[-1]["actor"] == "claude-code"  # the token's sub


def test_the_hook_refuses_a_workspace_holding_the_state_dir(tmp_path: Path) -> None:
    from enforcement_agent.integrations.claude_hook import run_hook
    from gonogo.wiring import build_hook_agent

    ws = tmp_path / "ws"
    ws.mkdir()
    agent = build_hook_agent(Settings(home=ws / ".gonogo"))
    try:
        out = run_hook(hook_input("Bash", {"command": "ls"}, ws), HookOperator("acme", "viewer", ws),
                       agent)  # fmt: skip
    finally:
        agent.telemetry.shutdown()
    inner = out["hookSpecificOutput"]
    assert inner["permissionDecision"] == "deny"
    assert inner["permissionDecisionReason"].startswith("hook.operator-config: ")
    assert not (ws / ".gonogo" / "audit" / "acme").exists()


def test_allowed_bash_over_http_is_rewritten_for_the_sandbox(
    hook_env: HookEnv, http_hook: tuple[str, EnforcementAgent]
) -> None:
    url, _ = http_hook
    r = post(url, hook_input("Bash", {"command": "ls src"}, hook_env.workspace))
    inner = r.json()["hookSpecificOutput"]
    assert inner["permissionDecision"] == "allow"
    command = inner["updatedInput"]["command"]
    assert command.startswith(f"GONOGO_HOME={hook_env.home} ")
    assert command.endswith("-- bash -c 'ls src'")
    json.dumps(inner)
