"""POST /v1/tool-calls through a real uvicorn server on a free 127.0.0.1 port.

Class 14 / issue 13: tenant, role and actor come only from the verified bearer token; a body
naming others is refused (403) with a decision record; `gonogo serve` refuses to start without
auth (and off loopback only with token auth), and `--insecure-dev` is loopback-only.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from dashboards.dev_issuer import DevIssuer
from dashboards.gateway import gateway_router, loopback_bind, loopback_problem
from enforcement_agent.agent import EnforcementAgent
from enforcement_agent.audit import verify
from gonogo.cli_integrations import _serve_problem
from gonogo.config import DEFAULT_PLAN_DIR, REPO_ROOT, Settings
from tests.auth.harness import bearer, token_gate
from tests.servers import free_port, serve_app, wait_healthy

GH_TOKEN = "ghp_" + "Z9" * 18
IDENTITY = {"tenant": "acme", "role": "contributor", "actor": "remote-agent"}
_TOKEN: dict[str, str] = {}


@pytest.fixture(scope="module")
def wired(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EnforcementAgent, Settings]]:
    from gonogo.wiring import build_agent

    settings = Settings(home=tmp_path_factory.mktemp("gateway") / "home").ensure()
    for tenant in ("acme", "globex"):
        settings.workspace(tenant).mkdir(parents=True, exist_ok=True)
    agent = build_agent(settings, policy_dir=DEFAULT_PLAN_DIR / "policies")
    yield agent, settings
    agent.telemetry.shutdown()


@pytest.fixture(scope="module")
def server(wired: tuple[EnforcementAgent, Settings]) -> Iterator[tuple[str, Settings]]:
    agent, settings = wired
    issuer = DevIssuer.create(settings.home.parent / "issuer")
    _TOKEN["acme"] = issuer.token("acme", "contributor", actor="remote-agent")
    app = FastAPI()
    app.state.auth_gate = token_gate(settings, issuer, agent.decision_log)
    app.include_router(gateway_router(agent))
    with serve_app(app) as url:
        yield url, settings


def call(url: str, body: dict[str, Any], **kw: Any) -> httpx.Response:
    headers = kw.pop("headers", bearer(_TOKEN["acme"]))
    return httpx.post(f"{url}/v1/tool-calls", json=body, timeout=60, headers=headers, **kw)


def records(settings: Settings, tenant: str = "acme") -> list[dict[str, Any]]:
    log = settings.audit_dir / tenant / "decisions.jsonl"
    return [json.loads(x) for x in log.read_text().splitlines()] if log.exists() else []


@pytest.mark.sandbox
def test_allowed_exec_runs_sandboxed(server: tuple[str, Settings], bwrap: str) -> None:
    url, settings = server
    r = call(url, {"tool": "exec", "command": "echo hi > made.txt; cat made.txt; id -u"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["decision"]["decision"] == "allow"
    assert body["outcome"] == "success" and body["exit_code"] == 0
    assert body["sandbox_layer"] == "bwrap+seccomp"
    assert body["output"].startswith("hi\n")
    assert (settings.workspace("acme") / "made.txt").read_text() == "hi\n"
    assert not (settings.workspace("globex") / "made.txt").exists()
    rec = records(settings)[-1]
    assert (rec["tenant_id"], rec["role"], rec["actor"]) == ("acme", "contributor", "remote-agent")


def test_denied_exec_never_runs(server: tuple[str, Settings]) -> None:
    url, settings = server
    r = call(url, {"tool": "exec", "command": "rm -rf / ; touch ran.txt"})
    assert r.status_code == 200
    body = r.json()
    assert body["decision"]["decision"] == "deny" and body["outcome"] == "denied"
    assert body["decision"]["reason"]
    assert not (settings.workspace("acme") / "ran.txt").exists()


def test_write_then_read_is_redacted(server: tuple[str, Settings]) -> None:
    url, settings = server
    # a value of no known shape: read, and redacted at egress
    kv = "Zq8vN3xK7mR2pL9wT4"
    w = call(url, {"tool": "write", "path": "notes/cfg.txt", "payload": f"password={kv}\n"})
    assert w.status_code == 200 and w.json()["outcome"] == "success", w.text
    assert kv in (settings.workspace("acme") / "notes/cfg.txt").read_text()
    r = call(url, {"tool": "read", "path": "notes/cfg.txt"})
    assert r.json()["outcome"] == "success"
    assert kv not in r.text and "REDACTED" in r.json()["output"]
    # a token of an unmistakable shape makes the file a secret (seventeenth pass): not read
    w = call(url, {"tool": "write", "path": "notes/tok.txt", "payload": f"token={GH_TOKEN}\n"})
    assert w.status_code == 200 and w.json()["outcome"] == "success", w.text
    r = call(url, {"tool": "read", "path": "notes/tok.txt"})
    assert r.json()["outcome"] == "denied" and GH_TOKEN not in r.text


def test_escape_attempt_via_file_tools(server: tuple[str, Settings]) -> None:
    url, settings = server
    (settings.workspace("globex") / "secret.txt").write_text("GLOBEX-ONLY")
    for path in ("../globex/secret.txt", "/etc/passwd"):
        r = call(url, {"tool": "read", "path": path})
        assert r.status_code == 200
        assert r.json()["outcome"] in ("denied", "error")
        assert "GLOBEX-ONLY" not in r.text and "root:" not in r.text


def test_malformed_requests_are_422(server: tuple[str, Settings]) -> None:
    url, _ = server
    assert call(url, {"tool": "exec"}).status_code == 422  # exec needs command
    assert call(url, {"tool": "exec", "command": "ls", "surprise": 1}).status_code == 422
    assert call(url, {"tool": "teleport", "command": "ls"}).status_code == 422
    leaky = call(url, {"tool": "exec", "command": 7})
    assert leaky.status_code == 422


@pytest.mark.parametrize(
    "claim",
    [
        {"tenant": "globex"},
        {"role": "admin"},
        {"role": "maintainer", "tenant": "acme"},
        {"actor": "someone-else"},
        {"tenant": "globex", "role": "admin", "actor": "root"},
        {"tenant": "../etc"},
        {"tenant": "ACME"},
        {"role": "contributor "},
        {"tenant": ""},
    ],
)
def test_a_body_naming_another_identity_is_refused_and_recorded(
    server: tuple[str, Settings], claim: dict[str, str]
) -> None:
    url, settings = server
    before = len(records(settings))
    marker = f"claim-{abs(hash(json.dumps(claim, sort_keys=True)))}.txt"
    r = call(url, {**claim, "tool": "exec", "command": f"touch {marker}"})
    assert r.status_code == 403, r.text
    assert r.json()["detail"].startswith("gateway.identity-mismatch: ")
    assert not (settings.workspace("acme") / marker).exists()
    assert not (settings.workspace("globex") / marker).exists()
    recs = records(settings)
    assert len(recs) == before + 1
    rec = recs[-1]
    assert rec["result"] == "deny" and rec["rule"] == "gateway.identity-mismatch"
    assert (rec["tenant_id"], rec["role"], rec["actor"]) == ("acme", "contributor", "remote-agent")
    assert set(rec["claimed"]) == {k for k, v in claim.items() if v != IDENTITY[k]}
    assert rec["decision_id"] in r.json()["detail"]
    assert records(settings, "globex") == []
    assert verify(settings.audit_dir).ok


def test_a_body_repeating_the_operator_identity_is_accepted(server: tuple[str, Settings]) -> None:
    url, settings = server
    r = call(url, {"tenant": "acme", "role": "contributor", "actor": "remote-agent",
                   "tool": "list", "path": "."})  # fmt: skip
    assert r.status_code == 200 and r.json()["decision"]["decision"] == "allow", r.text


def test_no_or_forged_token_runs_nothing(server: tuple[str, Settings]) -> None:
    url, settings = server
    body = {"tool": "write", "path": "via-token.txt", "payload": "x"}
    assert call(url, body, headers={}).status_code == 401
    assert call(url, body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert not (settings.workspace("acme") / "via-token.txt").exists()
    ok = call(url, body)
    assert ok.status_code == 200 and ok.json()["outcome"] == "success"


# ---- loopback only --------------------------------------------------------------------------
@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost"])
def test_loopback_addresses_are_accepted(host: str) -> None:
    assert loopback_problem(host) is None


@pytest.mark.parametrize(
    "host",
    ["0.0.0.0", "::", "", "*", "10.0.0.1", "192.168.1.10", "8.8.8.8", "2001:db8::1",
     "::ffff:10.0.0.1", "no-such-host.invalid", "0"],
)  # fmt: skip
def test_other_bind_addresses_are_refused(host: str) -> None:
    assert loopback_problem(host) is not None


# Third red-team pass: more spellings of "every interface" or "elsewhere" (all refused).
@pytest.mark.parametrize(
    "host",
    ["0x0", "0.0", "00.0.0.0", "[::]", "::0", "0:0:0:0:0:0:0:0", "::ffff:0.0.0.0",
     "::127.0.0.1", "64:ff9b::7f00:1", "fe80::1%lo", "0.0.0.0.", " 0.0.0.0", "127.0.0.1 "],
)  # fmt: skip
def test_more_spellings_of_elsewhere_are_refused(host: str) -> None:
    assert loopback_problem(host) is not None


@pytest.mark.parametrize(
    ("host", "literal"),
    [("localhost", "127.0.0.1"), ("127.1", "127.0.0.1"), ("0177.0.0.1", "127.0.0.1"),
     ("[::1]", "::1"), ("2130706433", "127.0.0.1"), ("127.8.9.10", "127.8.9.10")],
)  # fmt: skip
def test_a_loopback_name_is_bound_as_the_address_checked(host: str, literal: str) -> None:
    assert loopback_bind(host) == (literal, None)


def test_a_resolver_that_changes_its_answer_cannot_move_the_bind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The name is resolved once: the address checked is the one bound (a second lookup,
    as uvicorn would make with the name, could answer an outside address)."""
    import socket

    answers = iter(["127.0.0.1", "0.0.0.0", "0.0.0.0"])

    def resolver(host: str, *_a: object, **_k: object) -> list[tuple[object, ...]]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), 0))]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    assert loopback_bind("dev.example") == ("127.0.0.1", None)


def _serve(*args: str, home: str, env_extra: dict[str, str] | None = None) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env["GONOGO_HOME"] = home
    env.update(env_extra or {})
    return subprocess.Popen(
        [sys.executable, "-m", "gonogo", "serve", *args],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "203.0.113.7"])
def test_serve_refuses_a_non_loopback_bind_without_auth(tmp_path: Path, host: str) -> None:
    for args in (("--host", host), ("--insecure-dev", "--tenant", "acme", "--role", "viewer",
                                    "--host", host)):  # fmt: skip
        proc = _serve(*args, home=str(tmp_path))
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 2
        assert err.count("\n") == 1 and "Traceback" not in err
        assert "GONOGO_AUTH_JWKS" in err or "loopback" in err


def test_serve_without_auth_says_how_to_configure_it(tmp_path: Path) -> None:
    proc = _serve("--host", "127.0.0.1", home=str(tmp_path))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and "GONOGO_AUTH_JWKS" in err and "--insecure-dev" in err
    proc = _serve("--insecure-dev", "--tenant", "acme", "--role", "root", home=str(tmp_path))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and "unknown role" in err
    proc = _serve(home=str(tmp_path), env_extra={"GONOGO_AUTH_ISSUER": "x"})
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and "GONOGO_AUTH_JWKS" in err


def test_the_bind_rules() -> None:
    assert _serve_problem("0.0.0.0", True, False) is None  # token auth may serve any address
    assert _serve_problem("0.0.0.0", False, False) is not None
    assert _serve_problem("127.0.0.1", False, False) is not None  # no auth, no dev: refused
    assert _serve_problem("127.0.0.1", False, True) is None
    assert _serve_problem("10.1.2.3", False, True) is not None
    assert _serve_problem("127.0.0.1", True, True) is not None  # both: choose one


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGINT)
    try:
        return proc.communicate(timeout=30)[1]
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()[1]


def test_serve_takes_identity_from_verified_tokens_only(tmp_path: Path) -> None:
    home = tmp_path / "home"
    issuer = DevIssuer.create(home / "auth")
    port = free_port()
    proc = _serve("--host", "localhost", "--port", str(port), home=str(home),
                  env_extra=issuer.env())  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, proc)
        viewer = bearer(issuer.token("acme", "viewer"))
        body = {"tool": "write", "path": "x.txt", "payload": "x"}
        denied = httpx.post(f"{url}/v1/tool-calls", json=body, headers=viewer, timeout=60)
        assert denied.status_code == 200 and denied.json()["decision"]["rule"] == "rbac.fs.write"
        forged = httpx.post(f"{url}/v1/tool-calls", json={"role": "admin", **body},
                            headers=viewer, timeout=60)  # fmt: skip
        assert forged.status_code == 403
        anon = httpx.post(f"{url}/v1/tool-calls", json=body, timeout=60)
        assert anon.status_code == 401
        tenants = f"{url}/api/tenants"
        assert (
            httpx.get(f"{tenants}/globex/tool-calls", headers=viewer, timeout=10).status_code == 403
        )
        assert (
            httpx.get(f"{tenants}/acme/tool-calls", headers=viewer, timeout=10).status_code == 200
        )
        assert not (home / "workspaces" / "acme" / "x.txt").exists()
    finally:
        _stop(proc)


def test_serve_insecure_dev_is_loud_and_acts_as_its_flags(tmp_path: Path) -> None:
    port = free_port()
    proc = _serve("--insecure-dev", "--tenant", "acme", "--role", "viewer", "--host", "localhost",
                  "--port", str(port), home=str(tmp_path / "home"))  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, proc)
        r = httpx.post(f"{url}/v1/tool-calls", json={"role": "admin", "tool": "list", "path": "."},
                       timeout=60)  # fmt: skip
        assert r.status_code == 403
        assert httpx.get(f"{url}/api/tenants/globex/tool-calls", timeout=10).status_code == 403
        assert httpx.get(f"{url}/api/tenants/acme/tool-calls", timeout=10).status_code == 200
    finally:
        err = _stop(proc)
    assert "NO AUTHENTICATION" in err
