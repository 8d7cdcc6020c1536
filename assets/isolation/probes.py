"""The cross-tenant probe matrix: every (surface × access path) probe, as tenant B, against
tenant A's planted canaries, through live gateways and the real stores.

``plant_*`` put a fresh canary for every tenant into every store (DuckDB rows, a workspace
file, a decision record and job and export and cached context query through the tenant's own
gateway, a Redis key under its own ACL user); ``run_matrix`` then probes as every other tenant;
``remove_canaries`` takes them out again. A probe passes when the observed answer is the
expected kind of miss (``denied``: 401/403/404/400/422, a denied or refused tool call, a Redis
``NOPERM``; ``empty``: additionally a 200 without A's data) **and** none of A's canary strings
or object ids appears anywhere in what came back.
"""

from __future__ import annotations

import json
import re
import secrets
import string
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb
import httpx

from assets.context.store import ContextItem, delete_items, put_items
from assets.isolation.fleet import PROBE_ACTOR, Target
from enforcement_agent.tenancy.keys import tenant_key

CANARY_FILE = "isolation-canary.txt"  # holds the token; the audit canary is the token's own file
CACHE_QUERY = "isolation canary"
ACCESS_PATHS = (
    "direct_id", "guessed_id", "enumerated_ids", "list", "search", "path_traversal",
    "forged_body", "forged_path", "forged_query", "forged_header", "cache_key_collision",
    "queue_injection", "log_query", "trace_query", "report_download", "export_download",
    "retrieval_query", "redis_acl",
)  # fmt: skip
DENIED_STATUS = frozenset({400, 401, 403, 404, 405, 422})


def new_token(tenant: str) -> str:
    """A canary the redactor leaves alone (so a leak cannot hide behind a placeholder)."""
    letters = "".join(secrets.choice(string.ascii_lowercase) for _ in range(14))
    return f"isocanary-{tenant}-{letters}"


@dataclass
class Planted:
    """One tenant's canaries and the ids of the objects that carry them."""

    tenant: str
    token: str
    decision_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    trace_id: str = field(default_factory=lambda: secrets.token_hex(16))
    span_id: str = field(default_factory=lambda: secrets.token_hex(8))
    context_item_id: str = ""
    job_id: str = ""
    export_id: str = ""
    audit_decision_id: str = ""
    redis_keys: list[str] = field(default_factory=list)

    def needles(self) -> list[str]:
        ids = [self.token, self.decision_id, self.trace_id, self.job_id, self.export_id,
               self.context_item_id, self.audit_decision_id]  # fmt: skip
        return [n for n in ids if n]


@dataclass
class ProbeResult:
    prober: str
    target: str
    surface: str
    access_path: str
    request: str
    expected: str
    observed: str
    status_code: int | None
    canary_seen: bool
    passed: bool
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# --- planting -------------------------------------------------------------------------------


def plant_store_canaries(
    con: duckdb.DuckDBPyConnection, planted: Iterable[Planted], now: datetime
) -> None:
    """A tool call, a decision record and a context document per tenant, carrying its canary."""
    for p in planted:
        con.execute(
            "INSERT INTO tool_calls (tenant_id, ts, trace_id, span_id, actor, role, tool, "
            "session_id, decision, rule, decision_id, outcome, is_demo, segment) VALUES "
            "(?, ?, ?, ?, ?, 'contributor', 'read', ?, 'deny', 'isolation.canary', ?, "
            "'denied', FALSE, 'isolation-canary')",
            [p.tenant, now, p.trace_id, p.span_id, PROBE_ACTOR, p.token, p.decision_id],
        )
        con.execute(
            "INSERT INTO decision_records (tenant_id, decision_id, ts, actor, role, tool, "
            "session_id, target, result, rule, reason, chain_ok) VALUES "
            "(?, ?, ?, ?, 'contributor', 'read', ?, ?, 'deny', 'isolation.canary', ?, TRUE)",
            [p.tenant, p.decision_id, now, PROBE_ACTOR, p.token, f"{CANARY_FILE} {p.token}",
             f"planted canary {p.token}"],
        )  # fmt: skip
        p.context_item_id = f"document:isolation-{secrets.token_hex(8)}"
        put_items(
            con,
            [ContextItem(p.tenant, p.context_item_id, "document", f"{CACHE_QUERY} {p.tenant}",
                         f"the {p.tenant} canary is {p.token}", "isolation-probe", now)],
            now,
        )  # fmt: skip


def remove_store_canaries(con: duckdb.DuckDBPyConnection, planted: Iterable[Planted]) -> None:
    for p in planted:
        con.execute(
            "DELETE FROM tool_calls WHERE tenant_id = ? AND trace_id = ?", [p.tenant, p.trace_id]
        )
        con.execute(
            "DELETE FROM decision_records WHERE tenant_id = ? AND decision_id = ?",
            [p.tenant, p.decision_id],
        )
        if p.context_item_id:
            delete_items(con, p.tenant, [p.context_item_id])


def plant_files(home: Path, planted: Iterable[Planted]) -> None:
    for p in planted:
        ws = home / "workspaces" / p.tenant
        ws.mkdir(mode=0o700, parents=True, exist_ok=True)
        (ws / CANARY_FILE).write_text(f"{p.token}\n")
        (ws / f"{p.token}.txt").write_text(f"{p.token}\n")


def plant_via_gateway(client: httpx.Client, target: Target, p: Planted) -> list[str]:
    """The tenant's own calls: a recorded read of its canary file, a job, an export, and a
    context query whose result (holding the canary document) lands in the tenant's cache."""
    problems = []
    h = dict(target.headers)
    r = client.post(
        target.base_url + "/v1/tool-calls",
        json={"tool": "read", "path": f"{p.token}.txt"},
        headers=h,
    )
    if r.status_code == 200:
        p.audit_decision_id = r.json()["decision"]["decision_id"]
    else:
        problems.append(f"tool call as {p.tenant}: HTTP {r.status_code}")
    r = client.post(
        target.base_url + "/v1/jobs",
        json={"tool": "read", "path": f"{p.token}.txt"},
        headers=h,
    )
    if r.status_code == 202:
        p.job_id = r.json()["job_id"]
    else:
        problems.append(f"job as {p.tenant}: HTTP {r.status_code}")
    r = client.post(target.base_url + "/v1/exports", headers=h)
    if r.status_code == 201:
        p.export_id = r.json()["export_id"]
    else:
        problems.append(f"export as {p.tenant}: HTTP {r.status_code}")
    r = client.get(target.base_url + "/v1/context", params={"q": CACHE_QUERY}, headers=h)
    if r.status_code != 200 or p.token not in r.text:
        problems.append(f"context as {p.tenant}: HTTP {r.status_code}, own canary missing")
    return problems


def plant_redis(client_for: Callable[[str], Any], p: Planted) -> None:
    key = tenant_key(p.tenant, "isolation", "canary")
    client_for(p.tenant).set(key, p.token, ex=3600)
    p.redis_keys.append(key)


def remove_files(home: Path, planted: Iterable[Planted]) -> None:
    for p in planted:
        (home / "workspaces" / p.tenant / CANARY_FILE).unlink(missing_ok=True)
        (home / "workspaces" / p.tenant / f"{p.token}.txt").unlink(missing_ok=True)
        if p.export_id:
            (home / "exports" / p.tenant / f"{p.export_id}.json").unlink(missing_ok=True)


def remove_redis(client_for: Callable[[str], Any], p: Planted) -> None:
    client = client_for(p.tenant)
    keys = [*p.redis_keys]
    if p.job_id:
        keys.append(tenant_key(p.tenant, "job", p.job_id))
    if keys:
        client.delete(*keys)


# --- probing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpProbe:
    surface: str
    access_path: str
    method: str
    path: str
    expected: str
    params: dict[str, str] | None = None
    body: dict[str, Any] | None = None
    headers: dict[str, str] | None = None


def http_probes(a: Planted, home: Path) -> list[HttpProbe]:
    """Every HTTP probe tenant B makes against tenant A's canaries."""
    t = a.tenant
    guess = a.decision_id[:-1] + ("0" if a.decision_id[-1] != "0" else "1")
    ws_abs = str(home / "workspaces" / t / CANARY_FILE)
    probes = [
        # the API itself: a forged tenant anywhere is refused
        HttpProbe("http_api", "forged_body", "POST", "/v1/tool-calls", "denied",
                  body={"tenant": t, "tool": "list", "path": "."}),
        HttpProbe("http_api", "forged_path", "GET", f"/api/tenants/{t}/tool-calls", "denied"),
        HttpProbe("http_api", "forged_query", "GET", "/v1/tool-calls", "denied",
                  params={"tenant": t}),
        HttpProbe("http_api", "forged_query", "GET", "/v1/context", "denied",
                  params={"q": a.token, "tenant_id": t}),
        HttpProbe("http_api", "forged_header", "GET", "/v1/decisions", "denied",
                  headers={"X-Tenant-Id": t}),
        HttpProbe("http_api", "forged_header", "GET", "/v1/exports/" + (a.export_id or "0" * 32),
                  "denied", headers={"X-Gonogo-Tenant": t}),
        # DuckDB tables through their read paths
        HttpProbe("storage_duckdb", "direct_id", "GET", f"/v1/decisions/{a.decision_id}", "denied"),
        HttpProbe("storage_duckdb", "guessed_id", "GET", f"/v1/decisions/{guess}", "denied"),
        HttpProbe("storage_duckdb", "guessed_id", "GET", "/v1/decisions/" + "0" * 32, "denied"),
        HttpProbe("storage_duckdb", "list", "GET", "/v1/decisions", "empty",
                  params={"limit": "1000"}),
        HttpProbe("storage_duckdb", "list", "GET", "/v1/tool-calls", "empty",
                  params={"limit": "1000"}),
        HttpProbe("storage_duckdb", "search", "GET", "/v1/decisions", "empty",
                  params={"q": a.token}),
        HttpProbe("storage_duckdb", "search", "GET", "/v1/tool-calls", "empty",
                  params={"q": a.token}),
        # logs and traces
        HttpProbe("logs_traces", "direct_id", "GET", f"/v1/traces/{a.trace_id}", "denied"),
        HttpProbe("logs_traces", "trace_query", "GET", "/v1/traces", "empty",
                  params={"q": a.token}),
        HttpProbe("logs_traces", "trace_query", "GET", "/v1/traces", "empty",
                  params={"q": a.trace_id}),
        HttpProbe("logs_traces", "log_query", "GET", "/v1/logs", "empty", params={"q": a.token}),
        # the decision log (audit) and the state directories behind it
        HttpProbe("storage_audit", "log_query", "GET", "/v1/logs", "empty",
                  params={"q": a.audit_decision_id or a.token}),
        HttpProbe("storage_audit", "path_traversal", "POST", "/v1/tool-calls", "denied",
                  body={"tool": "read", "path": f"../../audit/{t}/decisions.jsonl"}),
        HttpProbe("storage_audit", "path_traversal", "POST", "/v1/tool-calls", "denied",
                  body={"tool": "read", "path": str(home / "audit" / t / "decisions.jsonl")}),
        # workspaces
        HttpProbe("storage_workspaces", "path_traversal", "POST", "/v1/tool-calls", "denied",
                  body={"tool": "read", "path": f"../{t}/{CANARY_FILE}"}),
        HttpProbe("storage_workspaces", "path_traversal", "POST", "/v1/tool-calls", "denied",
                  body={"tool": "read", "path": ws_abs}),
        HttpProbe("storage_workspaces", "path_traversal", "POST", "/v1/tool-calls", "denied",
                  body={"tool": "list", "path": f"../{t}"}),
        HttpProbe("storage_workspaces", "path_traversal", "POST", "/v1/tool-calls", "denied",
                  body={"tool": "exec", "command": f"cat ../{t}/{CANARY_FILE}"}),
        HttpProbe("storage_workspaces", "path_traversal", "POST", "/v1/tool-calls", "denied",
                  body={"tool": "exec", "command": f"cat {ws_abs}"}),
        # the telemetry spool
        HttpProbe("storage_spool", "path_traversal", "POST", "/v1/tool-calls", "denied",
                  body={"tool": "list", "path": str(home / "spool")}),
        HttpProbe("storage_spool", "path_traversal", "POST", "/v1/tool-calls", "denied",
                  body={"tool": "exec", "command": f"grep -r {a.token} {home / 'spool'}"}),
        # reports and exports
        HttpProbe("storage_reports", "report_download", "GET", "/", "empty"),
        HttpProbe("storage_reports", "report_download", "GET", "/api/readiness", "empty"),
        HttpProbe("storage_reports", "export_download", "GET",
                  "/v1/exports/" + (a.export_id or "0" * 32), "denied"),
        HttpProbe("storage_reports", "path_traversal", "GET",
                  "/v1/exports/" + quote(f"../{t}/{a.export_id or '0' * 32}", safe=""), "denied"),
        HttpProbe("storage_reports", "guessed_id", "GET", "/v1/exports/" + "0" * 32, "denied"),
        # memory / context retrieval
        HttpProbe("memory_context", "retrieval_query", "GET", "/v1/context", "empty",
                  params={"q": a.token}),
        HttpProbe("memory_context", "list", "GET", "/v1/context", "empty",
                  params={"limit": "100"}),
        HttpProbe("memory_context", "search", "GET", "/v1/context", "empty",
                  params={"q": t}),
        # the cache: the same logical key A's query filled
        HttpProbe("cache", "cache_key_collision", "GET", "/v1/context", "empty",
                  params={"q": CACHE_QUERY}),
        # jobs and queues
        HttpProbe("jobs_queues", "direct_id", "GET", "/v1/jobs/" + (a.job_id or "0" * 32),
                  "denied"),
        HttpProbe("jobs_queues", "forged_body", "POST", "/v1/jobs", "denied",
                  body={"tenant": t, "tool": "read", "path": CANARY_FILE}),
    ]  # fmt: skip
    # enumerated ids: sequential and prefix ids (a LIKE / prefix-match bug would answer these)
    for n in range(4):
        probes.append(
            HttpProbe(
                "storage_duckdb", "enumerated_ids", "GET", f"/v1/decisions/{n:032x}", "denied"
            )
        )
    for k in (16, 24):
        probes.append(
            HttpProbe(
                "storage_duckdb",
                "enumerated_ids",
                "GET",
                f"/v1/decisions/{a.decision_id[:k]}",
                "denied",
            )
        )
        probes.append(
            HttpProbe("jobs_queues", "enumerated_ids", "GET",
                      f"/v1/jobs/{(a.job_id or '0' * 32)[:k]}", "denied")
        )  # fmt: skip
    return probes


def _tool_call_outcome(resp: httpx.Response) -> str | None:
    try:
        doc = resp.json()
    except ValueError:
        return None
    return doc.get("outcome") if isinstance(doc, dict) else None


def classify(
    status: int | None, body: str, expected: str, needles: list[str], outcome: str | None = None
) -> tuple[str, bool, bool]:
    """(observed, canary_seen, passed) of one answer."""
    seen = any(n and n in body for n in needles)
    if status is None:
        observed = "denied"  # a Redis NOPERM / refused command
    elif status in DENIED_STATUS:
        observed = "denied"
    elif status >= 500:
        observed = "error"
    elif outcome is not None:
        # a tool call that was handled: denied by policy, or refused before running
        observed = {"denied": "denied", "error": "refused"}.get(outcome, "allowed")
    else:
        observed = "empty" if not seen else "leaked"
    if seen:
        observed = "leaked"
    ok = {"denied": {"denied", "refused"}, "empty": {"denied", "refused", "empty"}}[expected]
    return observed, seen, observed in ok and not seen


_LONG_HEX = re.compile(r"[0-9a-f]{16,}")


def shorten_ids(text: str) -> str:
    """Long hex ids cut to 8 characters: recorded requests and details are evidence, and a
    ``name: <hex>`` shape reads as a credential to the leak scan."""
    return _LONG_HEX.sub(lambda m: m.group(0)[:8] + "…", text)


def _redacted_request(probe: HttpProbe) -> str:
    parts = [probe.method, probe.path]
    if probe.params:
        parts.append("?" + "&".join(f"{k}={v}" for k, v in sorted(probe.params.items())))
    if probe.headers:
        parts.append(" ".join(f"{k}: {v}" for k, v in sorted(probe.headers.items())))
    if probe.body is not None:
        parts.append(json.dumps(probe.body, sort_keys=True))
    return shorten_ids(" ".join(parts))[:1000]


def run_http_probe(client: httpx.Client, b: Target, a: Planted, probe: HttpProbe) -> ProbeResult:
    headers = {**b.headers, **(probe.headers or {})}
    try:
        resp = client.request(
            probe.method, b.base_url + probe.path, params=probe.params, json=probe.body,
            headers=headers,
        )  # fmt: skip
    except httpx.HTTPError as exc:
        return ProbeResult(b.tenant, a.tenant, probe.surface, probe.access_path,
                           _redacted_request(probe), probe.expected, "error", None, False, False,
                           f"{type(exc).__name__}")  # fmt: skip
    outcome = _tool_call_outcome(resp) if probe.path == "/v1/tool-calls" else None
    observed, seen, ok = classify(resp.status_code, resp.text, probe.expected, a.needles(), outcome)
    detail = f"HTTP {resp.status_code}" + (f", tool call {outcome}" if outcome else "")
    return ProbeResult(b.tenant, a.tenant, probe.surface, probe.access_path,
                       _redacted_request(probe), probe.expected, observed, resp.status_code, seen,
                       ok, detail)  # fmt: skip


def redis_probes(a: Planted) -> list[tuple[str, str, str, Callable[[Any], Any]]]:
    """(surface, access path, request, attempt) as B's ACL connection, against A's keys."""
    t = a.tenant
    canary_key = a.redis_keys[0] if a.redis_keys else tenant_key(t, "isolation", "canary")
    job_key = tenant_key(t, "job", a.job_id or "0" * 32)
    return [
        ("redis", "redis_acl", f"GET {canary_key}", lambda c: c.get(canary_key)),
        ("redis", "redis_acl", "KEYS *", lambda c: c.keys("*")),
        ("redis", "redis_acl", "SCAN 0", lambda c: c.scan(0)),
        ("redis", "redis_acl", "RANDOMKEY", lambda c: c.randomkey()),
        ("redis", "redis_acl", f"EVAL GET {canary_key} (undeclared)",
         lambda c: c.eval(f"return redis.call('GET','{canary_key}')", 0)),
        ("redis", "redis_acl", f"SORT … GET t:{t}:*",
         lambda c: c.sort(tenant_key(t, "isolation", "list"), get=f"t:{t}:*")),
        ("cache", "redis_acl", f"GET t:{t}:cache:*", lambda c: c.get(tenant_key(t, "cache", "x"))),
        ("jobs_queues", "queue_injection", f"XADD t:{t}:jobs",
         lambda c: c.xadd(tenant_key(t, "jobs"), {"job_id": "0" * 32, "request": "{}"})),
        ("jobs_queues", "redis_acl", f"XRANGE t:{t}:jobs", lambda c: c.xrange(tenant_key(t, "jobs"))),
        ("jobs_queues", "redis_acl", f"HGETALL {job_key}", lambda c: c.hgetall(job_key)),
        ("connectors", "redis_acl", f"ZCARD t:{t}:slots:all",
         lambda c: c.zcard(tenant_key(t, "slots", "all"))),
        ("connectors", "redis_acl", f"LRANGE t:{t}:rl:…",
         lambda c: c.lrange(tenant_key(t, "rl", "LIMITER/github/60/1/minute"), 0, -1)),
    ]  # fmt: skip


def run_redis_probe(
    b_client: Any, b: str, a: Planted, surface: str, path: str, request: str,
    attempt: Callable[[Any], Any],
) -> ProbeResult:  # fmt: skip
    import redis

    try:
        value = attempt(b_client)
    except (redis.ResponseError, redis.AuthenticationError) as exc:
        msg = str(exc).split("\n", 1)[0][:200]
        denied = "NOPERM" in msg or "permission" in msg.lower() or "can't access" in msg
        observed = "denied" if denied else "error"
        return ProbeResult(b, a.tenant, surface, path, request, "denied", observed, None, False,
                           denied, msg)  # fmt: skip
    except redis.RedisError as exc:
        return ProbeResult(b, a.tenant, surface, path, request, "denied", "error", None, False,
                           False, type(exc).__name__)  # fmt: skip
    text = repr(value)
    seen = any(n in text for n in a.needles())
    return ProbeResult(b, a.tenant, surface, path, request, "denied",
                       "leaked" if seen else "allowed", None, seen, False, text[:200])  # fmt: skip


def run_matrix(
    targets: dict[str, Target],
    planted: dict[str, Planted],
    home: Path,
    redis_client_for: Callable[[str], Any] | None,
    *,
    timeout: float = 60.0,
) -> list[ProbeResult]:
    """Every probe, as every tenant B against every other tenant A."""
    results: list[ProbeResult] = []
    with httpx.Client(timeout=timeout, trust_env=False) as client:
        for b, target in targets.items():
            for a_tenant, a in planted.items():
                if a_tenant == b:
                    continue
                for probe in http_probes(a, home):
                    results.append(run_http_probe(client, target, a, probe))
                if redis_client_for is not None:
                    b_client = redis_client_for(b)
                    for surface, path, request, attempt in redis_probes(a):
                        results.append(
                            run_redis_probe(b_client, b, a, surface, path, request, attempt)
                        )
    return results
