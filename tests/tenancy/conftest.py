"""A real redis-server (ACLs on, default user off) on a free 127.0.0.1 port, stopped after."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from enforcement_agent.tenancy.redis_acl import RedisTenancy
from gonogo.redis_server import local_redis, redis_server_path


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if redis_server_path() is None:
        pytest.fail("redis-server is not installed (.ci/run and `make sysdeps` install it)")
    with local_redis(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def tenancy(redis_url: str, tmp_path: Path) -> Iterator[RedisTenancy]:
    t = RedisTenancy(redis_url, tmp_path / "redis_acl.json")
    t.admin().flushall()
    try:
        yield t
    finally:
        t.close()
