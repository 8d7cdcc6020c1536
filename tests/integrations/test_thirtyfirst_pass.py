"""Thirty-first red-team pass: classes 13 (audit) and 14 (gateway) and the Claude Code hook.

Found (class 13): a head gonogo never writes verified as a good one: a key twice
(`{"hash":H,"seq":1,"seq":4}`, which readers that take the first value read as seq 1), a key
it never holds, a byte-order mark, UTF-16 (Python's `json.loads` of bytes accepts both).
The writer appended on top of them too. Now each is a verification failure with a message,
and the writer refuses (``audit_format.read_head``).

Clean, kept as regression tests: state directories and policy folders spelled every other
way (relative, `//`, `/.`, `..`, `/proc/self/cwd`, `/dev/fd/..`, links in and out), a head
rolled back to an older record's valid hash, a log and head replaced by an older valid copy
(the witness; then the anchor), concurrent writers; a real `gonogo serve --insecure-dev` on
127.0.0.1 given 24 forged bodies, headers and paths (duplicate JSON keys, case and Unicode
variants of the tenant, nested identities, `Forwarded`, a DNS-rebound `Host`, `Origin: null`,
chunked and oversized bodies, HTTP/1.0 keep-alive); hook inputs with extra fields
(`permission_mode`, a `tool_input` with `command` twice, other tool names, a `cwd` outside
the workspace).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from enforcement_agent.audit import (
    AuditWriteError,
    DecisionLog,
    state_dir_conflict,
    verify,
)
from enforcement_agent.audit_anchor import parse_anchor, take_anchor
from enforcement_agent.audit_format import canonical
from gonogo.config import REPO_ROOT
from tests.policy.test_class_13_audit import _append, _Plain
from tests.servers import free_port, wait_healthy

TENANT = "rt31"
HOOK = "/v1/hooks/claude-code/pre-tool-use"


# ---- class 13: state directories ----------------------------------------------------------
@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("rt31-state")
    ws = root / "ws"
    (ws / "sub").mkdir(parents=True)
    (ws / ".gonogo").mkdir()
    out = root / "state"
    out.mkdir()
    os.symlink(ws, root / "wslink")
    os.symlink(out, ws / "tostate")
    os.symlink(ws / ".gonogo", root / "h-into-ws")
    os.symlink(root / "h-into-ws", root / "h-chain")
    os.symlink(ws / "not" / "yet", root / "h-dangling")
    return {"root": root, "ws": ws, "out": out}


STATE_SPELLINGS = [
    "{ws}/.gonogo",
    "{ws}//.gonogo",
    "{ws}/.gonogo/.",
    "{ws}/.gonogo/",
    "{ws}/sub/../.gonogo",
    "{ws}/./sub/./../.gonogo",
    "{ws}",
    "{ws}/",
    "{ws}/a/b/c/d",
    "{root}/wslink/.gonogo",
    "{root}/wslink",
    "{root}/h-into-ws",
    "{root}/h-chain",
    "{root}/h-dangling",
    "{ws}/tostate",
    "{root}",
    "/",
    "/proc/self/cwd/.gonogo",
    "/dev/fd/../cwd/.gonogo",
    "/proc/self/root{ws}/.gonogo",
    ".gonogo",
    "./sub/../.gonogo",
    "../ws/.gonogo",
]


@pytest.mark.parametrize("spelling", STATE_SPELLINGS)
def test_a_state_or_policy_directory_overlapping_the_workspace_is_refused(
    layout: dict[str, Path], spelling: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(layout["ws"])
    given = spelling.format(ws=layout["ws"], root=layout["root"])
    assert state_dir_conflict([given], layout["ws"]) is not None, given
    assert state_dir_conflict([layout["out"]], layout["ws"], policy_dirs=[given]) is not None


def test_control_a_state_directory_outside_is_accepted(layout: dict[str, Path]) -> None:
    assert state_dir_conflict([layout["out"]], layout["ws"]) is None


# ---- class 13: heads and logs --------------------------------------------------------------
@pytest.fixture
def chain(tmp_path: Path) -> Path:
    root = tmp_path / "audit"
    log = DecisionLog(root, _Plain())
    for i in range(4):
        _append(log, "acme", i)
    _append(log, "globex", 0)
    assert verify(root).ok
    return root


def _head(root: Path) -> dict[str, Any]:
    return json.loads((root / "acme" / "decisions.head").read_text())


def _records(root: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in (root / "acme" / "decisions.jsonl").read_bytes().splitlines()]


def _malformed_heads(head: dict[str, Any], first: str) -> dict[str, bytes]:
    h, s = head["hash"], head["seq"]
    plain = json.dumps(head)
    return {
        "seq_twice_low_first": f'{{"hash":"{h}","seq":1,"seq":{s}}}'.encode(),
        "seq_twice_low_last": f'{{"hash":"{h}","seq":{s},"seq":1}}'.encode(),
        "hash_twice": f'{{"hash":"{first}","hash":"{h}","seq":{s}}}'.encode(),
        "bom": b"\xef\xbb\xbf" + plain.encode(),
        "utf16": plain.encode("utf-16"),
        "utf32": plain.encode("utf-32"),
        "extra_key": json.dumps({**head, "tenant": "globex"}).encode(),
        "float_seq": f'{{"hash":"{h}","seq":{s}.0}}'.encode(),
        "nan_seq": f'{{"hash":"{h}","seq":NaN}}'.encode(),
        "inf_seq": f'{{"hash":"{h}","seq":1e400}}'.encode(),
        "upper_hash": json.dumps({**head, "hash": h.upper()}).encode(),
        "two_documents": (plain + plain).encode(),
        "nul_after": plain.encode() + b"\0",
    }


MALFORMED = [
    "seq_twice_low_first",
    "seq_twice_low_last",
    "hash_twice",
    "bom",
    "utf16",
    "utf32",
    "extra_key",
    "float_seq",
    "nan_seq",
    "inf_seq",
    "upper_hash",
    "two_documents",
    "nul_after",
]


@pytest.mark.parametrize("name", MALFORMED)
def test_a_head_gonogo_never_writes_fails_verify_with_a_message(chain: Path, name: str) -> None:
    data = _malformed_heads(_head(chain), _records(chain)[0]["hash"])[name]
    (chain / "acme" / "decisions.head").write_bytes(data)
    report = verify(chain)
    errors = report.tenants["acme"].errors
    assert not report.ok and errors and all("\n" not in e for e in errors), errors
    assert report.tenants["globex"].ok
    before = (chain / "acme" / "decisions.jsonl").read_bytes()
    with pytest.raises(AuditWriteError):
        _append(DecisionLog(chain, _Plain()), "acme", 9)
    assert (chain / "acme" / "decisions.jsonl").read_bytes() == before


def test_a_head_rolled_back_to_an_older_valid_hash_fails(chain: Path) -> None:
    older = _records(chain)[1]
    head = canonical({"seq": older["seq"], "hash": older["hash"], "updated": 1.0})
    (chain / "acme" / "decisions.head").write_bytes(head)
    errors = verify(chain).tenants["acme"].errors
    assert any("moved back" in e or "behind" in e for e in errors), errors


def test_an_older_valid_copy_of_log_and_head_is_caught_by_the_witness_then_the_anchor(
    chain: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old"
    shutil.copytree(chain / "acme", old, ignore=shutil.ignore_patterns(".lock"))
    anchor_now = None
    log = DecisionLog(chain, _Plain())
    for i in range(3):
        _append(log, "acme", 10 + i)
    anchor_now = parse_anchor(json.dumps(take_anchor(chain)).encode())
    for name in ("decisions.jsonl", "decisions.head"):
        shutil.copy(old / name, chain / "acme" / name)
    assert not verify(chain).ok  # the witness is ahead
    shutil.copy(old / ".witness", chain / "acme" / ".witness")
    assert verify(chain).ok  # consistent from the files alone: the documented limit
    report = verify(chain, anchor_now)
    assert not report.ok and any("anchor" in e for e in report.tenants["acme"].errors)


def test_concurrent_writers_keep_one_chain(tmp_path: Path) -> None:
    root = tmp_path / "audit"

    def write(k: int) -> None:
        log = DecisionLog(root, _Plain())
        for i in range(15):
            _append(log, "acme", k * 100 + i)

    threads = [threading.Thread(target=write, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert verify(root).ok
    assert [r["seq"] for r in _records(root)] == list(range(1, 61))


# ---- class 14: a real gateway --------------------------------------------------------------
class Server:
    def __init__(self, url: str, port: int, home: Path, ws: Path) -> None:
        self.url, self.port, self.home, self.ws = url, port, home, ws

    def records(self, tenant: str = TENANT) -> list[dict[str, Any]]:
        log = self.home / "audit" / tenant / "decisions.jsonl"
        return [json.loads(x) for x in log.read_bytes().splitlines()] if log.exists() else []

    def post(self, path: str, raw: bytes, headers: dict[str, str] | None = None) -> Any:
        h = {"Content-Type": "application/json", **(headers or {})}
        return httpx.post(self.url + path, content=raw, headers=h, timeout=60)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("rt31-gw")
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
        yield Server(url, port, home, ws)
    finally:
        proc.terminate()
        proc.wait(20)


LS = '"tool":"exec","command":"ls"'
FORGED_BODIES = [
    f'{{{LS},"tenant":"{TENANT}","tenant":"other"}}',
    f'{{{LS},"tenant":"other","tenant":"{TENANT}"}}',
    f'{{{LS},"role":"contributor","role":"admin"}}',
    f'{{{LS},"actor":"gateway","actor":"root"}}',
    f'{{{LS},"Tenant":"other"}}',
    f'{{{LS},"TENANT":"other"}}',
    f'{{{LS},"tenant_id":"other"}}',
    f'{{{LS},"tenantId":"other","roleName":"admin"}}',
    f'{{{LS},"request":{{"tenant":"other","role":"admin"}}}}',
    f'{{{LS},"role":"ADMIN"}}',
    f'{{{LS},"role":"contributor "}}',
    f'{{{LS},"actor":"root"}}',
    f'{{{LS},"tenant":"\\uff52\\uff54\\uff13\\uff11"}}',  # fullwidth rt31
    f'{{{LS},"tenant":"{TENANT}\\u200b"}}',
    f'{{{LS},"tenant":"RT31"}}',
    f'{{{LS},"tenant":["other"]}}',
    f'{{{LS},"tenant":{{"id":"other"}}}}',
    f'{{{LS},"tenant":"../other"}}',
    '{"tool":"exec","command":"ls","command":"rm -rf /etc","tenant":"other"}',
]


@pytest.mark.parametrize("body", FORGED_BODIES)
def test_identity_never_comes_from_the_body(server: Server, body: str) -> None:
    before = len(server.records())
    r = server.post("/v1/tool-calls", body.encode())
    assert r.status_code in (200, 403, 422), r.text
    new = server.records()[before:]
    assert all(
        (x["tenant_id"], x["role"], x["actor"]) == (TENANT, "contributor", "gateway") for x in new
    ), new
    if r.status_code == 200:
        assert r.json()["decision"]["decision"] in ("allow", "deny")
    assert sorted(p.name for p in (server.home / "audit").iterdir() if p.is_dir()) == [TENANT]


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Forwarded-For": "127.0.0.1", "Forwarded": "for=127.0.0.1;host=evil.example"},
        {"Host": "evil.example"},  # a DNS-rebound page
        {"Host": "localhost.evil.example:80"},
        {"Host": "127.0.0.1.nip.io"},
        {"Origin": "null"},
        {"Origin": "http://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"X-Forwarded-Host": "evil.example", "X-Gonogo-Tenant": "other"},
    ],
)
def test_forwarding_and_browser_headers_grant_nothing(
    server: Server, headers: dict[str, str]
) -> None:
    before = len(server.records())
    r = server.post("/v1/tool-calls", f"{{{LS}}}".encode(), headers)
    # refused whole (401, with a decision record under the operator's identity)
    assert r.status_code == 401, r.text
    new = server.records()[before:]
    assert all(x["tenant_id"] == TENANT and x["role"] == "contributor" for x in new)


@pytest.mark.parametrize(
    "path",
    [
        "/api/tenants/other/tool-calls",
        "/api/tenants/RT31/tool-calls",
        "/api/tenants/rt31%2F..%2Fother/tool-calls",
        "/api/tenants/%72t31/tool-calls",
        "/v1/tool-calls/../../api/tenants/other/tool-calls",
    ],
)
def test_a_tenant_path_never_names_another_tenant(server: Server, path: str) -> None:
    before = len(server.records())
    r = server.post(path, f"{{{LS}}}".encode())
    assert r.status_code in (200, 403, 404, 405, 422), r.text
    assert all(x["tenant_id"] == TENANT for x in server.records()[before:])
    assert not (server.home / "audit" / "other").exists()


def test_a_chunked_body_naming_another_tenant_is_refused(server: Server) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"tool":"exec",'
        yield b'"command":"ls",'
        yield b'"tenant":"other"}'

    r = httpx.post(
        server.url + "/v1/tool-calls",
        content=chunks(),
        headers={"Content-Type": "application/json"},
        timeout=60,
    )
    assert r.status_code == 403, r.text


def test_an_oversized_body_is_refused_unread(server: Server) -> None:
    big = b'{"tool":"exec","command":"ls","payload":"' + b"x" * (4 << 20) + b'"}'
    r = server.post("/v1/tool-calls", big)
    assert r.status_code in (413, 422), r.status_code
    hook = server.post(HOOK, b'{"tool_input":{"command":"' + b"y" * (4 << 20) + b'"}}')
    assert hook.status_code == 200
    assert hook.json()["hookSpecificOutput"]["permissionDecision"] == "deny"


def _http10(s: socket.socket, body: bytes) -> bytes:
    """One HTTP/1.0 keep-alive request on ``s`` and its whole response (b"": closed)."""
    s.sendall(
        b"POST /v1/tool-calls HTTP/1.0\r\nHost: 127.0.0.1\r\n"
        b"Connection: keep-alive\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = next(
        (
            int(h.split(b":", 1)[1])
            for h in head.split(b"\r\n")
            if h.lower().startswith(b"content-length:")
        ),
        None,
    )
    while length is not None and len(rest) < length:
        chunk = s.recv(65536)
        if not chunk:
            break
        rest += chunk
    return head + b"\r\n\r\n" + rest


def test_http10_keep_alive_second_request_is_judged_on_its_own(server: Server) -> None:
    before = len(server.records())
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        first = _http10(s, f"{{{LS}}}".encode())
        assert first.split(b" ", 2)[1] == b"200", first[:200]
        try:
            second = _http10(s, f'{{{LS},"tenant":"other"}}'.encode())
        except OSError:
            second = b""  # the server closed the HTTP/1.0 connection: nothing more runs
    assert second == b"" or second.split(b" ", 2)[1] == b"403", second[:200]
    new = server.records()[before:]
    assert new and all(x["tenant_id"] == TENANT for x in new)


@pytest.mark.parametrize("host", ["0.0.0.0", "[::]", "::ffff:0.0.0.0", "0", "0x0", "::0"])
def test_serve_insecure_dev_refuses_every_wildcard_bind(tmp_path: Path, host: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env["GONOGO_HOME"] = str(tmp_path / "home")
    argv = [sys.executable, "-m", "gonogo", "serve", "--insecure-dev", "--tenant", TENANT]
    argv += ["--role", "contributor", "--workspace", str(tmp_path), "--host", host]
    argv += ["--port", str(free_port())]
    p = subprocess.run(argv, cwd=REPO_ROOT, env=env, capture_output=True, timeout=120)
    assert p.returncode != 0 and b"loopback" in p.stdout + p.stderr, (host, p.stderr[-400:])


# ---- the Claude Code hook (HTTP form) ------------------------------------------------------
def _hook(ws: Path, **over: Any) -> bytes:
    body: dict[str, Any] = {
        "session_id": "s",
        "cwd": str(ws),
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "tool_input": {"command": "ls"},
        "tool_use_id": "toolu_rt31",
    }
    body.update(over)
    return json.dumps(body).encode()


def _decision(r: Any) -> dict[str, Any]:
    assert r.status_code == 200, r.text
    return r.json()["hookSpecificOutput"]


def test_an_allowed_bash_call_is_rewritten_to_run_exactly_its_command(server: Server) -> None:
    out = _decision(server.post(HOOK, _hook(server.ws, permission_mode="bypassPermissions")))
    assert out["permissionDecision"] == "allow"
    words = shlex.split(out["updatedInput"]["command"])
    assert words[-3:] == ["bash", "-c", "ls"] and "agent" in words and "exec" in words
    assert f"--tenant={TENANT}" in words and "--role=contributor" in words


def test_a_tool_input_with_command_twice_is_denied(server: Server) -> None:
    raw = _hook(server.ws).replace(
        b'{"command": "ls"}', b'{"command": "rm -rf /", "command": "ls"}'
    )
    out = _decision(server.post(HOOK, raw))
    # Claude Code never sends a key twice; which one a reader keeps is its own choice, so
    # such input is refused whole (forty-fourth pass; this pass let the last one decide)
    assert out["permissionDecision"] == "deny" and "updatedInput" not in out
    raw = _hook(server.ws).replace(
        b'{"command": "ls"}', b'{"command": "ls", "command": "rm -rf /"}'
    )
    out = _decision(server.post(HOOK, raw))
    assert out["permissionDecision"] == "deny" and "updatedInput" not in out


@pytest.mark.parametrize(
    "over",
    [
        {"cwd": "/"},
        {"cwd": "/etc"},
        {"cwd": "relative/dir"},
        {"tool_input": {"command": ["rm", "-rf", "/"]}},
        {"tool_input": {"command": None}},
        {"tool_input": {"cmd": "rm -rf /"}},
        {"tool_name": "bash", "tool_input": {"command": "rm -rf /"}},
        {"tool_name": "BASH", "tool_input": {"command": "rm -rf /"}},
        {"tool_input": "rm -rf /"},
        {"tool_input": {"command": "rm -rf /"}, "permission_mode": "bypassPermissions"},
    ],
)
def test_hook_inputs_that_must_not_run(server: Server, over: dict[str, Any]) -> None:
    out = _decision(server.post(HOOK, _hook(server.ws, **over)))
    assert out["permissionDecision"] == "deny", out
    assert "updatedInput" not in out


@pytest.mark.parametrize("home", [".gonogo", "./sub/../.gonogo"])
def test_a_relative_gonogo_home_inside_the_workspace_is_refused_by_the_cli(
    tmp_path: Path, home: str
) -> None:
    ws = tmp_path / "ws"
    (ws / "sub").mkdir(parents=True)
    (ws / "a.txt").write_text("a\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env["GONOGO_HOME"] = home
    argv = [sys.executable, "-m", "gonogo", "agent", "exec", "--tenant", TENANT]
    argv += ["--role", "contributor", "--workspace", ".", "--", "cat", "a.txt"]
    env["PYTHONPATH"] = str(REPO_ROOT)
    p = subprocess.run(argv, cwd=ws, env=env, capture_output=True, timeout=120)
    assert p.returncode == 2 and b"inside the workspace" in p.stderr, p.stderr[-300:]
    assert not (ws / ".gonogo").exists() and p.stdout == b""
