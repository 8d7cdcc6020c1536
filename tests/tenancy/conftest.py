"""A real redis-server (ACLs on, default user off) on a free 127.0.0.1 port, stopped after.

Every key any test writes to it is recorded (keyspace notifications); when the session ends,
a key outside every tenant's ``t:{tenant}:`` prefix fails the run (the meta-test of the
namespace contract). Tests that write such keys on purpose use their own server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from enforcement_agent.tenancy.key_recorder import KeyRecorder
from enforcement_agent.tenancy.keys import tenant_of_key
from enforcement_agent.tenancy.redis_acl import RedisTenancy
from gonogo.redis_server import local_redis, redis_server_path


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if redis_server_path() is None:
        pytest.fail("redis-server is not installed (.ci/run and `make sysdeps` install it)")
    with local_redis(tmp_path_factory.mktemp("redis")) as url:
        admin = redis.Redis.from_url(url)
        recorder = KeyRecorder(admin).start()
        yield url
        written = recorder.stop()
        admin.close()
        outside = sorted(k for k in written if tenant_of_key(k) is None)
        assert not outside, f"Redis keys written outside any tenant's prefix: {outside[:20]}"


@pytest.fixture
def tenancy(redis_url: str, tmp_path: Path) -> Iterator[RedisTenancy]:
    t = RedisTenancy(redis_url, tmp_path / "redis_acl.json")
    t.admin().flushall()
    try:
        yield t
    finally:
        t.close()
