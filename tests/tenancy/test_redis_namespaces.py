"""Redis namespaces against a real redis-server with ACLs: every tenant confined to its prefix."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.sandbox.concurrency import LimitReached, SharedLimiter
from enforcement_agent.tenancy.cache import MemoryCache, RedisCache
from enforcement_agent.tenancy.jobs import MemoryJobQueue, RedisJobQueue
from enforcement_agent.tenancy.keys import (
    TenantKeyError,
    acl_user,
    tenant_key,
    tenant_of_key,
)
from enforcement_agent.tenancy.redis_acl import RedisConfigError, RedisTenancy
from enforcement_agent.tenancy.redis_rate import RedisRateLimiter
from enforcement_agent.tenancy.redis_slots import RedisSlots

pytestmark = [pytest.mark.security(family="tenant_isolation"), pytest.mark.demo_suite]

# Ways tenant B's connection might reach tenant A's key ``t:acme:secret`` (or every key).
CROSS_TENANT: list[tuple[str, Callable[[redis.Redis], Any]]] = [
    ("GET", lambda b: b.get("t:acme:secret")),
    ("SET", lambda b: b.set("t:acme:secret", "x")),
    ("DEL", lambda b: b.delete("t:acme:secret")),
    ("EXISTS", lambda b: b.exists("t:acme:secret")),
    ("TYPE", lambda b: b.type("t:acme:secret")),
    ("GETDEL", lambda b: b.getdel("t:acme:secret")),
    ("KEYS", lambda b: b.keys("*")),
    ("SCAN", lambda b: b.scan(0)),
    ("RANDOMKEY", lambda b: b.randomkey()),
    ("DBSIZE", lambda b: b.dbsize()),
    ("FLUSHDB", lambda b: b.flushdb()),
    ("FLUSHALL", lambda b: b.flushall()),
    ("INFO keyspace", lambda b: b.info("keyspace")),
    ("CONFIG GET", lambda b: b.config_get("*")),
    ("ACL LIST", lambda b: b.acl_list()),
    ("CLIENT LIST", lambda b: b.client_list()),
    ("SORT GET", lambda b: b.sort("t:globex:list", get="t:acme:*")),
    ("COPY", lambda b: b.copy("t:acme:secret", "t:globex:stolen")),
    ("RENAME", lambda b: b.rename("t:acme:secret", "t:globex:stolen")),
    ("DUMP", lambda b: b.dump("t:acme:secret")),
    ("OBJECT", lambda b: b.object("encoding", "t:acme:secret")),
    ("SELECT other db", lambda b: b.execute_command("SELECT", 1)),
    ("EVAL undeclared key", lambda b: b.eval("return redis.call('GET','t:acme:secret')", 0)),
    ("EVAL declared key", lambda b: b.eval("return redis.call('GET',KEYS[1])", 1, "t:acme:secret")),
    ("MGET mixed", lambda b: b.mget("t:globex:a", "t:acme:secret")),
    ("XADD into A's queue", lambda b: b.xadd("t:acme:jobs", {"job_id": "x", "request": "{}"})),
    ("XRANGE A's queue", lambda b: b.xrange("t:acme:jobs")),
    ("HGETALL A's job", lambda b: b.hgetall("t:acme:job:abc")),
    ("SUBSCRIBE-free PUBLISH", lambda b: b.publish("t:acme:events", "x")),
    ("prefix lookalike", lambda b: b.get("t:acme:")),
    ("ACL SETUSER self-escalation", lambda b: b.acl_setuser(acl_user("globex"), keys=["*"])),
    ("AUTH as A's user", lambda b: b.execute_command("AUTH", acl_user("acme"), "guess")),
]


@pytest.mark.parametrize("name,attempt", CROSS_TENANT, ids=[n for n, _ in CROSS_TENANT])
def test_tenant_b_cannot_reach_tenant_a(tenancy: RedisTenancy, name: str, attempt: Any) -> None:
    a, b = tenancy.client("acme"), tenancy.client("globex")
    a.set("t:acme:secret", "CANARY-acme")
    a.xadd("t:acme:jobs", {"job_id": "seed", "request": "{}"})
    # NOPERM (ResponseError), or a refused AUTH (AuthenticationError): never an answer
    with pytest.raises((redis.ResponseError, redis.AuthenticationError)):
        attempt(b)
    # and nothing of A's changed
    assert tenancy.admin().get("t:acme:secret") == b"CANARY-acme"
    assert tenancy.admin().xlen("t:acme:jobs") == 1
    assert tenancy.admin().exists("t:globex:stolen") == 0


def test_own_prefix_works_and_users_are_confined(tenancy: RedisTenancy) -> None:
    b = tenancy.client("globex")
    b.set("t:globex:mine", "ok")
    assert b.get("t:globex:mine") == b"ok"
    rules = {line.split()[1]: line for line in tenancy.acl_list()}
    for tenant in ("globex",):
        rule = rules[acl_user(tenant)]
        assert f"~t:{tenant}:*" in rule and "~*" not in rule and "allkeys" not in rule
        assert "+@all" not in rule and "-@all" in rule


def test_credentials_file_is_private_and_refused_when_readable(tenancy: RedisTenancy) -> None:
    tenancy.client("acme")
    mode = tenancy.credentials_path.stat().st_mode & 0o777
    assert mode == 0o600
    tenancy.credentials_path.chmod(0o644)
    with pytest.raises(RedisConfigError, match="chmod 600"):
        tenancy.provision("initech")


def test_replicas_sharing_state_agree_on_one_password(tenancy: RedisTenancy) -> None:
    other = RedisTenancy(tenancy.url, tenancy.credentials_path)
    try:
        tenancy.client("acme").set("t:acme:k", "1")
        assert other.client("acme").get("t:acme:k") == b"1"
        # the first replica's pooled connections still authenticate afterwards
        tenancy.client("acme").connection_pool.disconnect()
        assert tenancy.client("acme").get("t:acme:k") == b"1"
    finally:
        other.close()


@pytest.mark.parametrize("bad", ["", "ACME", "a:b", "*", "../x", "t:acme", None, "a" * 64])
def test_no_key_without_a_valid_tenant(bad: Any) -> None:
    with pytest.raises(TenantKeyError):
        tenant_key(bad, "cache", "x")
    with pytest.raises(TenantKeyError):
        MemoryCache().get(bad, "x")
    with pytest.raises(TenantKeyError):
        MemoryJobQueue().enqueue(bad, {})


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["acme", "globex", "initech", "a-b", "a_b"]),
    st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=4),
)
def test_any_logical_key_stays_in_its_tenant(tenant: str, parts: list[str]) -> None:
    key = tenant_key(tenant, *parts)
    assert key.startswith(f"t:{tenant}:")
    assert tenant_of_key(key) == tenant


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(min_size=1, max_size=60))
def test_cache_key_collisions_never_cross_tenants(tenancy: RedisTenancy, key: str) -> None:
    cache = RedisCache(tenancy.client)
    cache.set("acme", key, b"CANARY-acme", 30)
    assert cache.get("globex", key) is None
    assert cache.get("acme", key) == b"CANARY-acme"


def test_job_queue_is_per_tenant(tenancy: RedisTenancy) -> None:
    q = RedisJobQueue(tenancy.client)
    job_id = q.enqueue("acme", {"tool": "read", "path": "CANARY-acme.txt"})
    assert q.queue_name("acme") == "t:acme:jobs"
    assert q.status("globex", job_id) is None
    assert q.claim("globex", "w", block_ms=50) is None
    job = q.claim("acme", "w", block_ms=500)
    assert job is not None and job.tenant == "acme" and job.job_id == job_id
    q.complete(job, {"outcome": "success"})
    assert q.status("acme", job_id)["state"] == "done"  # type: ignore[index]
    keys = {k.decode() for k in tenancy.admin().keys("*")}
    assert {k for k in keys if tenant_of_key(k) == "acme"} == {
        "t:acme:jobs",
        f"t:acme:job:{job_id}",
    }
    assert keys - {"t:acme:jobs", f"t:acme:job:{job_id}"} == {"t:globex:jobs"}
    assert tenancy.admin().xlen("t:globex:jobs") == 0


def test_slots_are_shared_by_two_replicas(tenancy: RedisTenancy) -> None:
    """Two limiters (as two gateway replicas would hold) never run more than the limit."""
    replicas = [
        RedisSlots(tenancy.client),
        RedisSlots(RedisTenancy(tenancy.url, tenancy.credentials_path).client),
    ]
    limit, peak, now = 2, [0], [0]
    lock = threading.Lock()
    refused: list[LimitReached] = []

    def call(slots: RedisSlots) -> None:
        try:
            with slots.slots([("tenant:acme", limit), ("tenant:acme:tool:exec", None)], 30):
                with lock:
                    now[0] += 1
                    peak[0] = max(peak[0], now[0])
                time.sleep(0.05)
                with lock:
                    now[0] -= 1
        except LimitReached as exc:
            refused.append(exc)

    threads = [threading.Thread(target=call, args=(replicas[i % 2],)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not refused
    assert peak[0] == limit
    assert replicas[0].running("tenant:acme") == 0


def test_slots_of_a_dead_holder_come_back_when_the_lease_ends(tenancy: RedisTenancy) -> None:
    dead = RedisSlots(tenancy.client, lease_ms=400)
    cm = dead.slots([("tenant:acme", 1)], 1)
    cm.__enter__()  # a replica that took the slot and then died without releasing it
    dead.close()  # its renewals stop
    alive = RedisSlots(tenancy.client)
    with pytest.raises(LimitReached):
        with alive.slots([("tenant:acme", 1)], 0.05):
            pass
    with alive.slots([("tenant:acme", 1)], 10):  # waits out the lease
        assert alive.running("tenant:acme") == 1


def test_one_tenant_full_does_not_queue_another(tenancy: RedisTenancy) -> None:
    slots = RedisSlots(tenancy.client)
    with slots.slots([("tenant:acme", 1)], 1):
        with slots.slots([("tenant:globex", 1)], 0.5):
            assert slots.running("tenant:globex") == 1


def test_shared_limiter_uses_the_installed_backend(tenancy: RedisTenancy) -> None:
    limiter = SharedLimiter()
    limiter.use(RedisSlots(tenancy.client))
    with limiter.slots([("tenant:acme", 1)], 1):
        assert tenancy.admin().zcard("t:acme:slots:all") == 1
    limiter.use(None)
    with limiter.slots([("tenant:acme", 1)], 1):
        assert limiter.running("tenant:acme") == 1
    assert tenancy.admin().zcard("t:acme:slots:all") == 0


@pytest.mark.parametrize("key", ["", "tenant:", "acme:connector:github", "tenant:acme"])
def test_rate_limit_key_without_tenant_is_refused(tenancy: RedisTenancy, key: str) -> None:
    with pytest.raises(ValueError):
        RedisRateLimiter(tenancy.client).try_acquire(key, 60, 2)


def test_rate_limits_are_shared_and_per_tenant(tenancy: RedisTenancy) -> None:
    one = RedisRateLimiter(tenancy.client)
    two = RedisRateLimiter(RedisTenancy(tenancy.url, tenancy.credentials_path).client)
    key = "tenant:acme:connector:github"
    got = [lim.try_acquire(key, 60, 3) for lim in (one, two, one, two, one)]
    assert got[:3] == [0.0, 0.0, 0.0]
    assert all(w > 0 for w in got[3:])
    assert one.try_acquire("tenant:globex:connector:github", 60, 3) == 0.0
    keys = {k.decode() for k in tenancy.admin().keys("*")}
    assert {tenant_of_key(k) for k in keys} == {"acme", "globex"}


@pytest.mark.parametrize("tenant", ["_global", "_probe-concurrency"])
def test_platform_slots_stay_in_process(tenancy: RedisTenancy, tenant: str) -> None:
    """The platform's own limit drills (no tenant) never write Redis, and still limit."""
    slots = RedisSlots(tenancy.client)
    with slots.slots([(f"tenant:{tenant}", 1)], 1):
        assert slots.running(f"tenant:{tenant}") == 1
        with pytest.raises(LimitReached):
            with slots.slots([(f"tenant:{tenant}", 1)], 0.05):
                pass
    assert tenancy.admin().dbsize() == 0
