"""The cluster profile on real servers: same counts, decisions and verdicts as the embedded mode.

A Postgres cluster and a Redis server started by the test hold the Dagster instance
(``gonogo cluster init``) and what the gateway replicas share (concurrency slots, rate limits,
queues, the webhook replay store). Two ``gonogo serve --replica-id r1|r2`` processes on one
state directory, with token auth from a dev issuer, take the demo workload over HTTP (a bearer
token per tenant identity, split by session across both). ``dagster-daemon run`` runs the spool
sensor and the queued runs. One replica's segments reach the store only as Parquet partitions
(``gonogo cluster ingest``, then its spool is moved away, as on another node); the other's
through the sensor's spool ingest. The embedded default (one ``gonogo serve``, no Redis,
in-process Dagster) takes the same requests. Both stores must then agree.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from dashboards.dev_issuer import DevIssuer
from dashboards.webhooks import sign_delivery
from enforcement_agent.audit import verify
from enforcement_agent.redaction.canary import make_canaries
from enforcement_agent.secretbox import KEK_FILE_ENV
from gonogo.config import REPO_ROOT, Settings
from gonogo.demo import demo_connectors, prepare_state
from gonogo.postgres_server import local_postgres
from gonogo.redis_server import local_redis
from tests.cluster.gateways import demo_bodies, dev_issuer_env, gonogo, send_workload, served

pytestmark = [pytest.mark.cluster, pytest.mark.sandbox, pytest.mark.timeout(1500)]

SEED = "cluster-profile-test"
BIN = Path(sys.executable).parent
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"cluster-test-webhook-key-0123456").decode()
DRILL = b'{"drill": "failover", "result": "pass"}'


def _tokens(home: Path) -> dict[tuple[str, str, str], str]:
    """One token per identity of the demo workload, from the dev issuer `gonogo serve` trusts."""
    issuer = DevIssuer.load(home / "auth")
    return {who: issuer.token(who[0], who[1], actor=who[2]) for who, _ in demo_bodies()}


def _gateway_env(settings: Settings, provider_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env.update(
        GONOGO_HOME=str(settings.home),
        GONOGO_WEBHOOK_SECRET=WEBHOOK_SECRET,
        **{KEK_FILE_ENV: os.environ[KEK_FILE_ENV]},
        **{f"GONOGO_CONNECTOR_{c}_URL": provider_url for c in ("GITHUB", "JIRA", "SLACK")},
        **extra,
    )
    env.update(dev_issuer_env(env))
    return env


def _deliver(url: str, delivery: dict[str, str]) -> int:
    r = httpx.post(f"{url}/v1/evidence?kind=drill", content=DRILL, timeout=60, trust_env=False,
                   headers={"content-type": "application/json", **delivery})  # fmt: skip
    return r.status_code


def _facts(home: Path) -> dict[str, Any]:
    con = duckdb.connect(str(home / "gonogo.duckdb"), read_only=True)
    try:
        q = lambda sql: [tuple(r) for r in con.execute(sql).fetchall()]  # noqa: E731
        return {
            "tool_calls": q(
                "SELECT tenant_id, tool, decision, outcome, count(*) FROM tool_calls "
                "GROUP BY ALL ORDER BY ALL"
            ),
            "decision_records": q(
                "SELECT tenant_id, tool, result, rule, count(*) FROM decision_records "
                "GROUP BY ALL ORDER BY ALL"
            ),
            "unchained": q("SELECT count(*) FROM decision_records WHERE NOT chain_ok")[0][0],
            "verdicts": q(
                "SELECT criterion_id, status FROM criterion_verdicts QUALIFY row_number() "
                "OVER (PARTITION BY criterion_id ORDER BY seq DESC) = 1 ORDER BY criterion_id"
            ),
            "decision": q(
                "SELECT decision, p0_blockers FROM readiness_decisions "
                "ORDER BY decided_at DESC LIMIT 1"
            ),
            "segments": [r[0] for r in q("SELECT segment FROM spool_segments ORDER BY 1")],
        }
    finally:
        con.close()


def _runs(dagster_home: Path) -> list[Any]:
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        return list(instance.get_runs())


def _wait_run(dagster_home: Path, want, what: str, timeout: float, log: Path):  # type: ignore[no-untyped-def]
    import dagster as dg

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = [r for r in _runs(dagster_home) if want(r)]
        done = [r for r in runs if r.status == dg.DagsterRunStatus.SUCCESS]
        failed = [r for r in runs if r.status in (dg.DagsterRunStatus.FAILURE,
                                                  dg.DagsterRunStatus.CANCELED)]  # fmt: skip
        assert not failed, f"{what} failed: {failed[0].run_id}\n{log.read_text()[-3000:]}"
        if done:
            return done[0]
        time.sleep(3)
    raise AssertionError(f"{what}: no successful run in {timeout}s\n{log.read_text()[-3000:]}")


def test_cluster_profile_matches_the_embedded_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEK_FILE_ENV, str(tmp_path / "keys" / "kek"))
    canaries = make_canaries(SEED)
    delivery = sign_delivery(WEBHOOK_SECRET, f"msg_{uuid.uuid4().hex}", int(time.time()), DRILL)

    # ---- embedded: one gateway, no Redis, in-process Dagster --------------------------------
    embedded = Settings(home=tmp_path / "embedded").ensure()
    prepare_state(embedded, SEED)
    with demo_connectors(canaries, embedded) as connectors:  # credentials sealed in the store
        env = _gateway_env(embedded, connectors.connectors["github"].base_url)
        with served(env, tmp_path / "serve-embedded.log") as url:
            solo = send_workload(url, _tokens(embedded.home))
            assert [_deliver(url, delivery), _deliver(url, delivery)] == [202, 409]
    from gonogo.pipeline_run import materialize_all

    monkeypatch.setenv("GONOGO_HOME", str(embedded.home))
    monkeypatch.setenv("GONOGO_OUT", str(tmp_path / "out-embedded"))
    assert materialize_all(embedded, out=tmp_path / "out-embedded", demo=True)["success"]

    # ---- cluster: Postgres, Redis, two `gonogo serve` replicas, the daemon ------------------
    cluster = Settings(home=tmp_path / "cluster", profile="cluster").ensure()
    prepare_state(cluster, SEED)
    with local_postgres(tmp_path) as pg_url, local_redis(tmp_path) as redis_url:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")},
            "GONOGO_PROFILE": "cluster",
            "GONOGO_HOME": str(cluster.home),
            "DAGSTER_HOME": str(cluster.dagster_home),
            "GONOGO_PG_URL": pg_url,
            "GONOGO_OUT": str(tmp_path / "out-cluster"),
        }
        monkeypatch.setenv("GONOGO_PG_URL", pg_url)
        workspace = json.loads(gonogo("cluster", "init", "--json", env=env))["workspace"]

        with demo_connectors(canaries, cluster) as connectors:
            gw_env = _gateway_env(cluster, connectors.connectors["github"].base_url,
                                  GONOGO_PROFILE="cluster", GONOGO_REDIS_URL=redis_url)  # fmt: skip
            tokens = _tokens(cluster.home)
            with served(gw_env, tmp_path / "serve-r1.log", "r1") as r1, \
                    served(gw_env, tmp_path / "serve-r2.log", "r2") as r2:  # fmt: skip
                counts: list[Counter[str]] = [Counter(), Counter()]

                def part(n: int, url: str) -> None:
                    counts[n] = send_workload(url, tokens, n, 2)

                threads = [threading.Thread(target=part, args=a) for a in ((0, r1), (1, r2))]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join(timeout=1200)
                assert all(c for c in counts), "a replica's share of the workload failed"
                assert counts[0] + counts[1] == solo
                # Redis is shared, by effect: a delivery accepted by r1 is a replay on r2.
                assert [_deliver(r1, delivery), _deliver(r2, delivery)] == [202, 409]
                # ...and the tenants' slots and rate limits went through it (their namespaces).
                import redis

                admin = redis.Redis.from_url(redis_url)
                keys = {k.decode() for k in admin.scan_iter(count=1000)}
                admin.close()
                assert {k.split(":")[1] for k in keys if k.startswith("t:")} >= {
                    "acme", "globex", "initech"}, sorted(keys)  # fmt: skip

        # r1's segments leave only as Parquet partitions (its node's spool is not shared).
        stats = json.loads(gonogo("cluster", "ingest", "--replica", "r1", "--json", env=env))
        assert stats["written"] >= 1 and stats["rows"] > 0
        r1_segments = sorted(p.name for p in cluster.spool_dir.glob("spans-*@r1.jsonl"))
        r2_segments = sorted(p.name for p in cluster.spool_dir.glob("spans-*@r2.jsonl"))
        assert r1_segments and r2_segments
        elsewhere = tmp_path / "r1-node-spool"
        elsewhere.mkdir()
        for name in r1_segments:
            shutil.move(cluster.spool_dir / name, elsewhere / name)

        log = tmp_path / "daemon.log"
        with log.open("w") as fh:
            daemon = subprocess.Popen(
                [str(BIN / "dagster-daemon"), "run", "-w", workspace],
                env=env, cwd=REPO_ROOT, stdout=fh, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        try:
            subprocess.run(
                [str(BIN / "dagster"), "sensor", "start", "spool_segments_sensor", "-w", workspace],
                env=env, cwd=REPO_ROOT, capture_output=True, text=True, check=True, timeout=300,
            )  # fmt: skip
            _wait_run(cluster.dagster_home, lambda r: "gonogo/segments" in r.tags,
                      "the spool sensor's run", 600, log)  # fmt: skip
            launched = subprocess.run(
                [sys.executable, "-m", "gonogo", "cluster", "launch", "readiness_job"],
                env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
            )  # fmt: skip
            assert launched.returncode == 0, launched.stderr
            run = _wait_run(cluster.dagster_home, lambda r: r.job_name == "readiness_job",
                            "readiness_job", 900, log)  # fmt: skip
            assert run.tags.get("gonogo/tenant") == "_global"
        finally:
            os.killpg(daemon.pid, signal.SIGTERM)
            try:
                daemon.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(daemon.pid, signal.SIGKILL)
                daemon.wait(timeout=30)
        runs = _runs(cluster.dagster_home)
        assert {r.job_name for r in runs} >= {"readiness_job", "__ASSET_JOB"}

    # ---- the same evidence, decisions and verdicts -------------------------------------------
    want, got = _facts(embedded.home), _facts(cluster.home)
    for key in ("tool_calls", "decision_records", "unchained", "verdicts", "decision"):
        assert got[key] == want[key], key
    assert sum(n for *_, n in got["tool_calls"]) == sum(solo.values())
    assert set(got["segments"]) == set(r1_segments) | set(r2_segments)
    assert (cluster.parquet_dir / "spool_segments" / f"{r1_segments[0][:-6]}.parquet").exists()
    report = verify(cluster.audit_dir)
    assert report.ok
    for tenant, tv in report.tenants.items():
        # the two gateway replicas, and the probe matrix's gateways (replicas of their own)
        assert {"r1", "r2"} <= set(tv.replicas), tenant
        assert all(r in ("r1", "r2") or r.startswith("probe-") for r in tv.replicas), tenant
        assert not (cluster.audit_dir / tenant / "decisions.jsonl").exists()
    cluster_json = json.loads((tmp_path / "out-cluster" / "readiness-report.json").read_text())
    embedded_json = json.loads((tmp_path / "out-embedded" / "readiness-report.json").read_text())
    assert cluster_json["decision"] == embedded_json["decision"]
