"""The webhook replay store the gateway replicas share through Redis (``SET NX EX``)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from gonogo.config import Settings
from gonogo.redis_server import local_redis
from gonogo.redis_wiring import RedisReplayStore, _stores_for, shared_replay_store

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(120)]


def _replica_store(url: str, home: Path) -> RedisReplayStore:
    # A replica of its own: another state-directory key, hence its own connections.
    _stores_for.cache_clear()
    return RedisReplayStore(_stores_for(str(home), url).redis.admin())  # type: ignore[union-attr]


def test_no_redis_no_shared_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GONOGO_REDIS_URL", raising=False)
    _stores_for.cache_clear()
    assert shared_replay_store(Settings(home=tmp_path)) is None


def test_a_delivery_is_accepted_once_across_replicas(tmp_path: Path) -> None:
    with local_redis(tmp_path) as url:
        r1, r2 = _replica_store(url, tmp_path / "a"), _replica_store(url, tmp_path / "b")
        assert r1.client is not r2.client
        assert r1.claim("platform:msg_1", 60)
        assert not r2.claim("platform:msg_1", 60)
        assert not r1.claim("platform:msg_1", 60)
        # Ids are per tenant: the same id for another tenant is another delivery.
        assert r2.claim("acme:msg_1", 60)
        # A sub-second TTL still holds the id (rounded up to Redis's 1 s), then it expires.
        assert r1.claim("platform:msg_2", 0.2)
        assert not r2.claim("platform:msg_2", 0.2)
        time.sleep(2.2)
        assert r2.claim("platform:msg_2", 60)


def _claim(store: RedisReplayStore, key: str, start: threading.Barrier, won: list[bool]) -> None:
    start.wait()
    won.append(store.claim(key, 60))


def test_racing_replicas_accept_exactly_one(tmp_path: Path) -> None:
    with local_redis(tmp_path) as url:
        stores = [_replica_store(url, tmp_path / f"r{n}") for n in range(4)]
        for n in range(20):
            won: list[bool] = []
            start = threading.Barrier(len(stores))
            threads = [
                threading.Thread(target=_claim, args=(s, f"platform:race_{n}", start, won))
                for s in stores
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
            assert sorted(won) == [False, False, False, True]
    _stores_for.cache_clear()
