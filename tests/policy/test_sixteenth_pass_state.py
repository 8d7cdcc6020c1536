"""Sixteenth red-team pass over the gateway's state and records (issue 10, class 14).

Both shown against a real ``gonogo serve --insecure-dev`` on a free 127.0.0.1 port.

1. **The caller's address came from a header.** uvicorn's defaults trusted
   ``X-Forwarded-For`` from loopback peers: a local caller's refusal was recorded with
   ``client: 198.51.100.77``, and ``X-Forwarded-For: 127.0.0.9`` was the address the
   ``--insecure-dev`` loopback check believed. Now the client is the socket's peer, any
   forwarding header is the caller's claim (recorded apart, redacted, under ``forwarded``), and
   ``--insecure-dev`` refuses a forwarded request (``auth.insecure-dev-forwarded``).
2. **A request could take forever to arrive.** A connection that sent nothing, or headers or a
   body a byte at a time, stayed open without bound (25 s and counting in the probe). Now each
   request has ``GONOGO_REQUEST_DEADLINE_SECONDS`` from its first byte (or the connection) to
   its last body byte; past it the answer is 408 and the connection is closed. The app's own
   time is not counted (a tool call that runs longer than the deadline is still answered).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from dashboards.auth import FORWARDING_HEADERS, forwarded_claims
from dashboards.serving import (
    DEFAULT_REQUEST_DEADLINE,
    REQUEST_DEADLINE_ENV,
    request_deadline,
    server_config,
)
from enforcement_agent.audit import verify
from gonogo.config import REPO_ROOT
from tests.policy.test_eleventh_pass_state import _raw
from tests.policy_cache_seed import warm_policy_cache
from tests.redactor_cache import copy_seed

DEADLINE = 2.0
HOOK = "/v1/hooks/claude-code/pre-tool-use"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, base: str, port: int, state: Path, ws: Path) -> None:
        self.base, self.port, self.state, self.ws = base, port, state, ws

    def records(self, tenant: str) -> list[dict[str, Any]]:
        path = self.state / "audit" / tenant / "decisions.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_bytes().splitlines() if line.strip()]

    def post(
        self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, Any]]:
        req = urllib.request.Request(
            f"{self.base}{path}",
            data=json.dumps(body).encode(),
            headers={"content-type": "application/json", **(headers or {})},
            method="POST",
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, redactor_cache_seed: Path, policy_cache_seed: Path
) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("rt16")
    ws = root / "ws"
    ws.mkdir()
    # Warm caches (the subject is the server's framing and deadlines, not a cold start): the
    # redactor's literals (~10 s of CPU) and the compiled policy, each a private copy.
    copy_seed(redactor_cache_seed, root / "xdg" / "gonogo")
    warm_policy_cache(policy_cache_seed, root / "state")
    (ws / "README.md").write_text("hello\n")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GONOGO_") and k not in ("XDG_CACHE_HOME",)
    }
    env.update(
        GONOGO_HOME=str(root / "state"),
        GONOGO_KEK="x" * 44,
        XDG_CACHE_HOME=str(root / "xdg"),
        **{REQUEST_DEADLINE_ENV: str(DEADLINE)},
    )
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gonogo", "serve", "--insecure-dev", "--tenant", "acme",
         "--role", "contributor", "--workspace", str(ws), "--port", str(port), "--no-sandbox"],
        env=env, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(360):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, proc.communicate()[1]
                time.sleep(0.25)
        yield Server(base, port, root / "state", ws)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# ---- class 1: the client is the socket's peer; a forwarding header is only a claim ----------

# (header, value): every way a proxy (or a caller pretending to be one) names a client
FORWARDED = [
    ("X-Forwarded-For", "198.51.100.77"),
    ("X-Forwarded-For", "127.0.0.9"),
    ("X-Forwarded-For", "127.0.0.1"),
    ("X-Forwarded-For", "::1"),
    ("X-Forwarded-For", "10.0.0.1, 127.0.0.1"),
    ("X-Forwarded-For", "unknown"),
    ("X-Forwarded-For", ""),
    ("x-forwarded-for", "203.0.113.9"),
    ("X-FORWARDED-FOR", "203.0.113.10"),
    ("X-Forwarded-For", "[2001:db8::1]:443"),
    ("Forwarded", "for=198.51.100.1"),
    ("Forwarded", 'for="[2001:db8::1]";proto=https'),
    ("Forwarded", "for=127.0.0.1;by=127.0.0.1"),
    ("X-Real-IP", "198.51.100.2"),
    ("X-Real-IP", "127.0.0.1"),
    ("X-Forwarded-Host", "evil.example"),
    ("X-Forwarded-Proto", "https"),
    ("X-Forwarded-Port", "443"),
    ("X-Forwarded-Prefix", "/admin"),
    ("X-Client-IP", "198.51.100.3"),
    ("True-Client-IP", "198.51.100.4"),
    ("CF-Connecting-IP", "198.51.100.5"),
    ("X-Cluster-Client-IP", "198.51.100.6"),
    ("Fastly-Client-IP", "198.51.100.7"),
    ("X-Forwarded-For", "token=ghp_R2d2C3poLukeSkywalker0123456789abcde"),
]


@pytest.mark.parametrize("path", ["/v1/tool-calls", HOOK])
@pytest.mark.parametrize(("header", "value"), FORWARDED)
def test_a_forwarded_request_is_refused_and_recorded_with_the_socket_peer(
    server: Server, path: str, header: str, value: str
) -> None:
    body: dict[str, Any] = (
        {"tool": "exec", "command": "ls"}
        if path != HOOK
        else {
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": "ls"},
            "tool_use_id": "toolu_fwd",
            "session_id": "s",
            "cwd": str(server.ws),
        }  # fmt: skip
    )
    before = len(server.records("unauthenticated"))
    status, doc = server.post(path, body, {header: value})
    assert status == 401, doc
    assert "auth.insecure-dev-forwarded" in doc["detail"]
    new = server.records("unauthenticated")[before:]
    rec = next(r for r in new if r["rule"] == "auth.insecure-dev-forwarded")
    # the record names the real peer, never the header's claim
    assert rec["client"] == "127.0.0.1"
    assert header.lower() in rec["forwarded"]
    assert "ghp_R2d2" not in json.dumps(rec)


BENIGN_HEADERS = [
    {},
    {"User-Agent": "claude-code/2.1"},
    {"Accept": "application/json"},
    {"X-Request-Id": "abc123"},
    {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
    {"Via": "1.1 localhost"},
    {"X-Forwarded": "not a standard header"},
    {"Accept-Language": "en"},
]


@pytest.mark.parametrize("headers", BENIGN_HEADERS)
def test_a_local_callers_request_without_forwarding_is_served(
    server: Server, headers: dict[str, str]
) -> None:
    status, doc = server.post("/v1/tool-calls", {"tool": "exec", "command": "ls"}, headers)
    assert status == 200, doc
    assert doc["decision"]["decision"] == "allow"
    status, doc = server.post(
        HOOK,
        {"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "ls"},
         "tool_use_id": "toolu_ok", "session_id": "s", "cwd": str(server.ws)},
        headers,
    )  # fmt: skip
    assert status == 200
    assert doc["hookSpecificOutput"]["permissionDecision"] == "allow"


def test_the_served_config_trusts_no_proxy_header() -> None:
    cfg = server_config(object(), "127.0.0.1", 1)
    assert cfg.proxy_headers is False
    assert issubclass(cfg.http, __import__("uvicorn").protocols.http.h11_impl.H11Protocol)  # type: ignore[arg-type]


def test_forwarded_claims_names_every_forwarding_header_and_nothing_else() -> None:
    from starlette.datastructures import Headers

    for name in FORWARDING_HEADERS:
        assert forwarded_claims(Headers({name.upper(): "x"})) == {name: "x"}
    assert forwarded_claims(Headers({"via": "1.1 x", "user-agent": "y"})) == {}
    long = forwarded_claims(Headers({"x-forwarded-for": "1" * 5000}))
    assert len(long["x-forwarded-for"]) == 200


# ---- class 3: a web page is not the local operator (--insecure-dev) ------------------------

# A page in the operator's browser reaches 127.0.0.1 too: by DNS rebinding (its own name,
# answered with 127.0.0.1: the request carries that Host and is same-origin to the browser) or
# by a "simple" cross-site POST (text/plain: no preflight) to a route that reads raw JSON.
BROWSER = [
    {
        "Host": "rebind.evil.example:{port}",
        "Origin": "http://rebind.evil.example:{port}",
        "Sec-Fetch-Site": "same-origin",
    },
    {"Host": "rebind.evil.example:{port}"},
    {"Host": "rebind.evil.example"},
    {"Host": "127.0.0.1.nip.io:{port}"},
    {"Host": "localhost.evil.example:{port}"},
    {"Host": "localhost.:{port}"},
    {"Host": "0.0.0.0:{port}"},
    {"Host": "0x7f000001:{port}"},
    {"Host": "2130706433:{port}"},
    {"Host": "127.1:{port}"},
    {"Host": "[fe80::1]:{port}"},
    {"Host": "127.0.0.1:{port}:1"},
    {"Host": "[::1]x"},
    {"Host": ""},
    {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://evil.example:{port}"},
    {"Origin": "http://127.0.0.1.nip.io:{port}"},
    {"Origin": "http://localhost.evil.example"},
    {"Origin": "chrome-extension://abcdefghijklmnop"},
    {"Origin": "file://"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Origin": "http://0.0.0.0:{port}"},
]


def _fill(headers: dict[str, str], port: int) -> dict[str, str]:
    return {k: v.replace("{port}", str(port)) for k, v in headers.items()}


@pytest.mark.parametrize("path", ["/v1/tool-calls", HOOK])
@pytest.mark.parametrize("headers", BROWSER)
def test_a_browser_page_cannot_act_as_the_local_operator(
    server: Server, path: str, headers: dict[str, str]
) -> None:
    body: dict[str, Any] = (
        {"tool": "exec", "command": "touch pwned"}
        if path != HOOK
        else {
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": "touch pwned"},
            "tool_use_id": "toolu_web",
            "session_id": "s",
            "cwd": str(server.ws),
        }  # fmt: skip
    )
    extra = {"Content-Type": "text/plain"} if path == HOOK else {}
    status, doc = server.post(path, body, {**extra, **_fill(headers, server.port)})
    assert status == 401, doc
    assert "auth.insecure-dev-browser" in doc["detail"]
    assert not (server.ws / "pwned").exists()


@pytest.mark.parametrize("headers", BROWSER[:4] + BROWSER[14:17])
def test_a_rebound_page_cannot_read_the_tenant_api(server: Server, headers: dict[str, str]) -> None:
    req = urllib.request.Request(
        f"{server.base}/api/tenants/acme/tool-calls", headers=_fill(headers, server.port)
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=30)
    assert info.value.code == 401
    assert b"auth.insecure-dev-browser" in info.value.read()


LOCAL_CALLERS = [
    {"Host": "127.0.0.1:{port}"},
    {"Host": "localhost:{port}"},
    {"Host": "LOCALHOST:{port}"},
    {"Host": "localhost"},
    {"Host": "127.0.0.1"},
    {"Host": "127.0.0.2:{port}"},
    {"Host": "[::1]:{port}"},
    {"Origin": "http://localhost:3000"},
    {"Origin": "http://127.0.0.1:{port}"},
    {"Sec-Fetch-Site": "same-origin"},
    {"Sec-Fetch-Site": "none"},
    {"Sec-Fetch-Mode": "cors", "User-Agent": "node"},  # what Node's fetch sends
]


@pytest.mark.parametrize("headers", LOCAL_CALLERS)
def test_local_programs_are_still_served(server: Server, headers: dict[str, str]) -> None:
    status, doc = server.post(
        "/v1/tool-calls", {"tool": "exec", "command": "ls"}, _fill(headers, server.port)
    )
    assert status == 200, doc
    assert doc["decision"]["decision"] == "allow"


# ---- class 2: every request has a deadline to arrive -----------------------------------------

REQUEST_LINE = b"POST /v1/tool-calls HTTP/1.1\r\nHost: 127.0.0.1\r\n"


def _slow(port: int, first: bytes, drip: bytes, *, prelude: bytes = b"") -> tuple[float, bytes]:
    """Connect, send ``prelude`` (a whole request, answered) and ``first``, then ``drip`` once
    a quarter-second; the seconds until the server closed the connection, and what it said."""
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(0.25)
    got = b""
    try:
        if prelude:
            s.sendall(prelude)
            end = time.monotonic() + 10
            while not got.endswith(b'{"status":"ok"}') and time.monotonic() < end:
                try:
                    got += s.recv(65536)
                except TimeoutError:
                    pass
            got = b""  # the prelude's own answer: not what this test is about
        t0 = time.monotonic()
        if first:
            s.sendall(first)
        while time.monotonic() - t0 < DEADLINE + 15:
            try:
                if drip:
                    s.sendall(drip)
                data = s.recv(65536)
                if not data:
                    return time.monotonic() - t0, got
                got += data
            except TimeoutError:
                pass
            except OSError:
                return time.monotonic() - t0, got
        return float("inf"), got
    finally:
        s.close()


SLOW = [
    ("idle connection", b"", b""),
    ("half a request line", b"POST /v1/tool", b""),
    ("request line only", b"POST /v1/tool-calls HTTP/1.1\r\n", b""),
    ("headers dripped", REQUEST_LINE, b"X-A: b\r\n"),
    ("one header byte at a time", b"P", b"O"),
    ("headers never ended", REQUEST_LINE + b"Content-Type: application/json\r\n", b""),
    ("body dripped", REQUEST_LINE + b"Content-Length: 100000\r\n\r\n{", b" "),
    ("body never sent", REQUEST_LINE + b"Content-Length: 10\r\n\r\n", b""),
    ("body half sent", REQUEST_LINE + b"Content-Length: 50\r\n\r\n" + b'{"tool":', b""),
    (
        "chunked body dripped",
        REQUEST_LINE + b"Transfer-Encoding: chunked\r\n\r\n",
        b"1\r\n \r\n",
    ),
    (
        "hook body dripped",
        b"POST " + HOOK.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 9999\r\n\r\n",
        b" ",
    ),
    (
        "evidence body dripped",
        b"POST /v1/evidence?kind=probe HTTP/1.1\r\nHost: x\r\nContent-Length: 9999\r\n\r\n",
        b" ",
    ),
    ("healthz headers dripped", b"GET /healthz HTTP/1.1\r\n", b"X-A: b\r\n"),
    (
        "unknown route body dripped",
        b"PUT /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 999\r\n\r\n",
        b"x",
    ),
    ("path dripped", b"GET /", b"a"),
    (
        "expect 100-continue, no body",
        REQUEST_LINE + b"Content-Length: 20\r\nExpect: 100-continue\r\n\r\n",
        b"",
    ),
]


def test_a_request_that_does_not_arrive_in_time_is_cut_off(server: Server) -> None:
    # Every slow shape at once, each on its own connection (one deadline of wall time for all
    # of them, not one per shape; a server that serves slow clients one after another would
    # also fail the timings here).
    with ThreadPoolExecutor(max_workers=len(SLOW)) as pool:
        results = list(pool.map(lambda case: _slow(server.port, case[1], case[2]), SLOW))
    for (name, _, _), (took, said) in zip(SLOW, results, strict=True):
        assert took < DEADLINE + 4, (name, took)
        assert took >= DEADLINE - 0.5, (name, took)  # cut at the deadline, not before
        if not said.startswith(b"HTTP/1.1 100"):
            # 408, or nothing (the app already had the request line when the deadline cut it)
            assert said == b"" or said.startswith(b"HTTP/1.1 408"), (name, said[:200])


KEPT_ALIVE = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.mark.parametrize(
    ("name", "first", "drip"),
    [
        ("second request headers dripped", REQUEST_LINE, b"X-A: b\r\n"),
        ("second request body dripped", REQUEST_LINE + b"Content-Length: 9999\r\n\r\n", b" "),
        ("second request one byte at a time", b"G", b"E"),
        ("second request never finished", b"GET /healthz HTTP/1.1\r\n", b""),
    ],
)
def test_the_deadline_holds_for_every_request_on_a_kept_alive_connection(
    server: Server, name: str, first: bytes, drip: bytes
) -> None:
    took, said = _slow(server.port, first, drip, prelude=KEPT_ALIVE)
    assert took < DEADLINE + 4, (name, took)
    assert said == b"" or said.startswith(b"HTTP/1.1 408"), said[:200]


def test_many_slow_connections_are_all_cut_off_together(server: Server) -> None:
    with ThreadPoolExecutor(max_workers=24) as pool:
        results = list(
            pool.map(
                lambda i: _slow(server.port, REQUEST_LINE + b"Content-Length: 999\r\n\r\n", b"x"),
                range(24),
            )
        )
    assert all(took < DEADLINE + 5 for took, _ in results), [t for t, _ in results]
    # control: the server still answers at once afterwards
    assert urllib.request.urlopen(f"{server.base}/healthz", timeout=5).status == 200


def test_a_request_sent_in_pieces_within_the_deadline_is_answered(server: Server) -> None:
    body = json.dumps({"tool": "exec", "command": "ls"}).encode()
    head = REQUEST_LINE + b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(
        body
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        for part in (head[:10], head[10:], body[:5], body[5:]):
            s.sendall(part)
            time.sleep(DEADLINE / 8)
        data = b""
        while b"\r\n\r\n" not in data:
            data += s.recv(65536)
    assert data.startswith(b"HTTP/1.1 200"), data[:200]


def test_the_apps_own_time_is_not_counted(server: Server) -> None:
    # a tool call that runs longer than the receive deadline is still answered
    t0 = time.monotonic()
    status, doc = server.post("/v1/tool-calls", {"tool": "exec", "command": "sleep 3"})
    assert status == 200, doc
    assert doc["decision"]["decision"] == "allow", doc
    assert time.monotonic() - t0 >= 3


def test_an_idle_keep_alive_still_closes_as_before(server: Server) -> None:
    took, _ = _slow(server.port, b"", b"", prelude=KEPT_ALIVE)
    assert took < 5 + 2


def test_the_records_still_verify(server: Server) -> None:
    assert verify(server.state / "audit").ok


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, DEFAULT_REQUEST_DEADLINE),
        ("3", 3.0),
        ("0.5", 0.5),
        ("0", DEFAULT_REQUEST_DEADLINE),
        ("-1", DEFAULT_REQUEST_DEADLINE),
        ("nan", DEFAULT_REQUEST_DEADLINE),
        ("inf", 600.0),
        ("1e9", 600.0),
        ("ten", DEFAULT_REQUEST_DEADLINE),
        ("", DEFAULT_REQUEST_DEADLINE),
    ],
)
def test_the_deadline_setting_is_bounded(
    monkeypatch: pytest.MonkeyPatch, raw: str | None, expected: float
) -> None:
    if raw is None:
        monkeypatch.delenv(REQUEST_DEADLINE_ENV, raising=False)
    else:
        monkeypatch.setenv(REQUEST_DEADLINE_ENV, raw)
    assert request_deadline() == expected


# ---- class 4: `gonogo audit seal` on state files that are not what gonogo writes -------------
#
# `gonogo audit seal --tenant acme` printed a Python traceback (IsADirectoryError, OSError
# ELOOP/ENXIO/EINVAL) when the tenant's .lock was a directory, a FIFO, a socket or a link, or
# its .witness a directory. It now refuses in one line (SealError, exit 1), names the file,
# and changes nothing.


def _seal_log(tmp_path: Path, torn: bool = True) -> Path:
    from enforcement_agent.audit import DecisionLog
    from enforcement_agent.models import Decision, ToolRequest, Verdict

    class Plain:
        def redact_text(self, text: str) -> str:
            return text

    root = tmp_path / "audit"
    log = DecisionLog(root, Plain())
    for i in range(5):
        req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec",
                          command=f"ls {i}")  # fmt: skip
        log.append(req, Decision(Verdict.ALLOW, "exec.allow.inspect", "ok", f"d{i}", "rev"))
    if torn:
        with open(root / "acme" / "decisions.jsonl", "ab") as f:
            f.write(b'{"torn')
    return root


def _replace(path: Path, how: str) -> None:
    if path.is_dir() and not path.is_symlink():
        import shutil

        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    if how == "dir":
        path.mkdir()
    elif how == "dir-with-file":
        path.mkdir()
        (path / "x").write_text("x")
    elif how == "fifo":
        os.mkfifo(path)
    elif how == "socket":
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(path))
        s.close()
    elif how == "link-devnull":
        path.symlink_to("/dev/null")
    elif how == "link-dangling":
        path.symlink_to("/nonexistent/gonogo-rt16")
    elif how == "link-loop":
        path.symlink_to(path.name)
    elif how == "link-passwd":
        path.symlink_to("/etc/passwd")
    else:
        raise AssertionError(how)


LOCK_SHAPES = ["dir", "dir-with-file", "fifo", "socket", "link-devnull", "link-dangling",
               "link-loop", "link-passwd"]  # fmt: skip
SEAL_STATE = (
    [(".lock", how, torn) for how in LOCK_SHAPES for torn in (True, False)]
    + [(".witness", "dir", torn) for torn in (True, False)]
    + [(".witness", "dir-with-file", True)]
    + [("decisions.head", how, True) for how in ("dir", "fifo", "socket", "link-loop")]
    + [("decisions.jsonl", how, True) for how in ("dir", "fifo", "link-devnull")]
    + [("segments", how, True) for how in ("fifo", "link-devnull", "socket")]
)


@pytest.mark.parametrize(("name", "how", "torn"), SEAL_STATE)
def test_seal_refuses_state_it_did_not_write_in_one_line(
    tmp_path: Path, name: str, how: str, torn: bool
) -> None:
    from enforcement_agent.audit_verify import SealError, seal

    root = _seal_log(tmp_path, torn=torn)
    _replace(root / "acme" / name, how)
    before = sorted(p.name for p in (root / "acme").iterdir())
    try:
        result = seal(root, "acme")
    except SealError as exc:
        text = str(exc)
        assert "\n" not in text and text
        assert "Traceback" not in text
    else:  # nothing a crash cannot leave is ever repaired over: only a no-op may succeed
        assert result.action in ("nothing-to-seal",), (name, how, result)
    after = sorted(p.name for p in (root / "acme").iterdir())
    assert [n for n in after if not n.endswith(".tmp")] == [
        n for n in before if not n.endswith(".tmp")
    ] or name == ".lock"
    assert not verify(root).ok or not torn


@pytest.mark.parametrize("how", ["dir", "fifo", "link-dangling", "socket"])
def test_the_seal_cli_prints_one_line_not_a_traceback(tmp_path: Path, how: str) -> None:
    root = _seal_log(tmp_path)
    _replace(root / "acme" / ".lock", how)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    r = subprocess.run(
        [sys.executable, "-m", "gonogo", "audit", "seal", "--tenant", "acme", "--audit-dir",
         str(root)],
        capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=120,
    )  # fmt: skip
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith("gonogo audit seal: cannot seal: ") and r.stderr.count("\n") == 1


def test_seal_still_seals_a_torn_log(tmp_path: Path) -> None:
    from enforcement_agent.audit_verify import seal

    root = _seal_log(tmp_path)
    assert not verify(root).ok
    assert seal(root, "acme").action == "sealed"
    assert verify(root).ok
    assert seal(root, "acme").action == "nothing-to-seal"


# ---- a request framed two ways is refused (the h11 switch let it through) --------------------


_BODY = b'{"tool":"write","path":"smuggled.txt","payload":"x"}'
_CHUNKED = hex(len(_BODY))[2:].encode() + b"\r\n" + _BODY + b"\r\n0\r\n\r\n"
# (the framing headers as a client or a proxy may spell them)
TWO_FRAMINGS = [
    b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
    b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n",
    b"content-length: 4\r\ntransfer-encoding: chunked\r\n",
    b"CONTENT-LENGTH: 4\r\nTRANSFER-ENCODING: chunked\r\n",
    b"Content-Length: 0\r\nTransfer-Encoding: chunked\r\n",
    b"Content-Length: " + str(len(_CHUNKED)).encode() + b"\r\nTransfer-Encoding: chunked\r\n",
    b"Content-Length: 4\r\nTransfer-Encoding: CHUNKED\r\n",
    b"Content-Length: 4\r\nTransfer-Encoding: Chunked\r\n",
    b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\nContent-Length: 4\r\n",
    b"Content-Length: 4\r\nTransfer-Encoding:chunked\r\n",
    b"Content-Length:4\r\nTransfer-Encoding: chunked\r\n",
    b"Content-Length: 4 \r\nTransfer-Encoding: chunked \r\n",
    b"Content-Length: 999999\r\nTransfer-Encoding: chunked\r\n",
    b"Content-Length: 04\r\nTransfer-Encoding: chunked\r\n",
    b"X-Pad: 1\r\nContent-Length: 4\r\nX-Pad: 2\r\nTransfer-Encoding: chunked\r\n",
    b"Transfer-Encoding: chunked\r\nX-Pad: 1\r\nContent-Length: 1\r\n",
    b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n",
    b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
    b"Content-Length: 2\r\nTransfer-Encoding: chunked\r\n",
    b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
]


@pytest.mark.parametrize("framing", TWO_FRAMINGS)
def test_a_request_with_both_a_length_and_chunks_is_refused(server: Server, framing: bytes) -> None:
    before = len(server.records("acme"))
    head = REQUEST_LINE + b"Content-Type: application/json\r\n" + framing
    status, out = _raw(server.port, head + b"\r\n" + _CHUNKED)
    assert status in (0, 400), (status, out[:200])
    assert not (server.ws / "smuggled.txt").exists()
    assert len(server.records("acme")) == before  # refused before the app: nothing decided


@pytest.mark.parametrize(
    "framing",
    [b"Transfer-Encoding: chunked\r\n", b"Content-Length: " + str(len(_BODY)).encode() + b"\r\n"],
)
def test_a_request_framed_one_way_is_still_served(server: Server, framing: bytes) -> None:
    head = REQUEST_LINE + b"Content-Type: application/json\r\nConnection: close\r\n" + framing
    body = _CHUNKED if b"chunked" in framing else _BODY
    status, out = _raw(server.port, head + b"\r\n" + body)
    assert status == 200, out[:300]
    assert json.loads(out)["decision"]["decision"] == "allow", out[:300]
    assert (server.ws / "smuggled.txt").read_text() == "x"
    (server.ws / "smuggled.txt").unlink()


# ---- the writer refuses to append beside a witness it never writes ---------------------------

WITNESS_SHAPES = ["dir", "dir-with-file", "fifo", "socket", "link-devnull", "link-dangling",
                  "link-loop", "link-passwd"]  # fmt: skip


@pytest.mark.parametrize("how", WITNESS_SHAPES)
def test_the_writer_refuses_to_append_beside_a_foreign_witness(tmp_path: Path, how: str) -> None:
    from enforcement_agent.audit import AuditWriteError, DecisionLog
    from enforcement_agent.models import Decision, ToolRequest, Verdict

    class Plain:
        def redact_text(self, text: str) -> str:
            return text

    root = _seal_log(tmp_path, torn=False)
    log_file = root / "acme" / "decisions.jsonl"
    before = log_file.read_bytes()
    _replace(root / "acme" / ".witness", how)
    log = DecisionLog(root, Plain())
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command="ls")
    with pytest.raises(AuditWriteError, match="witness|not a regular file"):
        log.append(req, Decision(Verdict.ALLOW, "exec.allow.inspect", "ok", "d9", "rev"))
    assert log_file.read_bytes() == before  # nothing appended: the call is denied


def test_a_torn_witness_file_is_still_rewritten(tmp_path: Path) -> None:
    from enforcement_agent.audit import DecisionLog
    from enforcement_agent.models import Decision, ToolRequest, Verdict

    class Plain:
        def redact_text(self, text: str) -> str:
            return text

    root = _seal_log(tmp_path, torn=False)
    (root / "acme" / ".witness").write_bytes(b'{"seq":')  # a crash's: not fsynced
    log = DecisionLog(root, Plain())
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command="ls")
    log.append(req, Decision(Verdict.ALLOW, "exec.allow.inspect", "ok", "d9", "rev"))
    assert verify(root).ok
