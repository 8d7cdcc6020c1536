"""Twenty-seventh red-team pass: a string UTF-8 cannot encode made a call's record unwritable.

A lone surrogate (the JSON escape ``\\ud800`` in a hook input or a gateway body) or a byte
that is not UTF-8 in an ``agent exec`` argv word (Python reads it as ``\\udcff``) reached the
decision record, whose canonical JSON is UTF-8: the record was refused, and so was the call
(``no-decision-record``) — fail closed, but with no trace in the audit log. An agent could
probe (``rm -rf /etc/\\ud800``) without leaving a record. Shown on ``main`` against a real
``gonogo serve`` (uvicorn on 127.0.0.1): deny, records +0. Now every string is recorded with
its unencodable characters spelled as backslash escapes (``enforcement_agent.audit.utf8_safe``);
records of ordinary text are byte for byte what they were (same hashes).

The same server shows that tenant and role never come from headers: ``X-Gonogo-Tenant`` and
friends are ignored, and a body naming another tenant is a recorded 403.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from enforcement_agent.audit import DecisionLog, utf8_safe
from enforcement_agent.audit_format import canonical
from enforcement_agent.audit_verify import verify
from enforcement_agent.models import Decision, ToolRequest, Verdict
from gonogo.config import REPO_ROOT
from tests.servers import free_port, wait_healthy

TENANT = "rt27"
HOOK = "/v1/hooks/claude-code/pre-tool-use"


class Server:
    def __init__(self, url: str, home: Path, ws: Path) -> None:
        self.url, self.home, self.ws = url, home, ws

    def records(self, tenant: str = TENANT) -> list[dict[str, Any]]:
        log = self.home / "audit" / tenant / "decisions.jsonl"
        return [json.loads(x) for x in log.read_bytes().splitlines()] if log.exists() else []

    def post(self, path: str, raw: bytes, headers: dict[str, str] | None = None) -> Any:
        h = {"Content-Type": "application/json", **(headers or {})}
        return httpx.post(self.url + path, content=raw, headers=h, timeout=60)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("rt27")
    ws, home = root / "ws", root / "home"
    ws.mkdir()
    (ws / "a.txt").write_text("a\n")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env["GONOGO_HOME"] = str(home)
    argv = [sys.executable, "-m", "gonogo", "serve", "--insecure-dev", "--tenant", TENANT]
    argv += ["--role", "contributor", "--workspace", str(ws), "--host", "127.0.0.1"]
    argv += ["--port", str(port)]
    proc = subprocess.Popen(
        argv, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield Server(url, home, ws)
    finally:
        proc.terminate()
        proc.wait(20)


def _hook_body(ws: Path, command_json: bytes) -> bytes:
    body = {
        "session_id": "s",
        "cwd": str(ws),
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "tool_input": {"command": "@CMD@", "run_in_background": True, "timeout": 5},
        "tool_use_id": "toolu_rt27",
    }
    return json.dumps(body).encode().replace(b'"@CMD@"', command_json)


def test_a_lone_surrogate_in_a_gateway_body_is_denied_and_recorded(server: Server) -> None:
    before = len(server.records())
    r = server.post("/v1/tool-calls", b'{"tool":"exec","command":"rm -rf /etc/\\ud800"}')
    assert r.status_code == 200, r.text
    assert r.json()["decision"]["decision"] == "deny"
    assert r.json()["decision"]["rule"] != "no-decision-record"
    recs = server.records()
    assert len(recs) == before + 1  # main: + 0
    assert recs[-1]["decision_id"] == r.json()["decision"]["decision_id"]
    assert recs[-1]["result"] == "deny"


def test_a_lone_surrogate_in_a_hook_input_is_denied_and_recorded(server: Server) -> None:
    before = len(server.records())
    r = server.post(HOOK, _hook_body(server.ws, b'"rm -rf /etc/\\udcff"'))
    out = r.json()["hookSpecificOutput"]
    assert r.status_code == 200 and out["permissionDecision"] == "deny", r.text
    assert "no-decision-record" not in out["permissionDecisionReason"]
    recs = server.records()
    assert len(recs) == before + 1  # main: + 0
    assert recs[-1]["tool_use_id"] == "toolu_rt27" and recs[-1]["result"] == "deny"
    assert recs[-1]["decision_id"] in out["permissionDecisionReason"]


def test_identity_never_comes_from_headers_or_the_body(server: Server) -> None:
    before = len(server.records())
    spoof = {"X-Gonogo-Tenant": "other", "X-Tenant": "other", "X-Gonogo-Role": "admin"}
    spoof |= {"X-Role": "admin", "X-Forwarded-User": "admin", "X-Gonogo-Actor": "root"}
    r = server.post("/v1/tool-calls", b'{"tool":"exec","command":"ls"}', spoof)
    assert r.status_code == 200, r.text
    r2 = server.post("/v1/tool-calls", b'{"tool":"exec","command":"ls","tenant":"other"}')
    assert r2.status_code == 403
    new = server.records()[before:]
    assert [(x["tenant_id"], x["role"], x["actor"]) for x in new] == [
        (TENANT, "contributor", "gateway")
    ] * len(new)
    assert len(new) >= 2
    assert not (server.home / "audit" / "other").exists()


def test_the_chain_verifies_after_the_attempts(server: Server) -> None:
    report = verify(server.home / "audit")
    assert report.ok, report.to_json()


def test_agent_exec_with_a_non_utf8_argv_byte_is_recorded(tmp_path: Path) -> None:
    ws, home = tmp_path / "ws", tmp_path / "home"
    ws.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env["GONOGO_HOME"] = str(home)
    argv = [sys.executable, "-m", "gonogo", "agent", "exec", "--tenant", TENANT, "--role"]
    argv += ["contributor", "--workspace", str(ws), "--", "rm", "-rf"]
    p = subprocess.run(
        [os.fsencode(a) for a in argv] + [b"/\xff/../etc"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert p.returncode == 126, p.stderr
    assert b"exec.remove-outside-workspace" in p.stderr  # main: no-decision-record
    log = home / "audit" / TENANT / "decisions.jsonl"
    (rec,) = [json.loads(x) for x in log.read_bytes().splitlines()]
    assert rec["rule"] == "exec.remove-outside-workspace" and rec["result"] == "deny"
    assert rec["target"].endswith("/../etc'")  # the redactor spells the byte as U+FFFD
    assert verify(home / "audit").ok


def test_the_record_of_unencodable_text_is_written_and_verifies(tmp_path: Path) -> None:
    req = ToolRequest(
        tenant=TENANT, actor="a\ud800", role="contributor", tool="exec", command="ls \udcff"
    )
    decision = Decision(Verdict.DENY, "r", "why \udfff", "d" * 32, "v")
    with pytest.raises(UnicodeEncodeError):
        canonical(req.to_json())  # the mechanism on main: no record could be written
    rec = DecisionLog(tmp_path).append(req, decision, {"tool_use_id": "t\ud83d"})
    # The actor is recorded as given (escaped); redacted fields may spell it as U+FFFD.
    assert rec["actor"] == "a\\ud800" and rec["target"].startswith("ls ")
    assert rec["tool_use_id"].startswith("t") and rec["reason"].startswith("why ")
    assert verify(tmp_path).ok
    # Ordinary text, including non-ASCII, is returned as it is: the same record and hash.
    plain = {"target": "héllo ☃ 😀", "n": [1, "x"], "k": None}
    assert utf8_safe(plain) == plain and canonical(utf8_safe(plain)) == canonical(plain)
