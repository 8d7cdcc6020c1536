"""The cluster profile's Dagster instance: Postgres storage, the daemon, a queued coordinator.

``GONOGO_PROFILE=cluster`` changes configuration, never code paths: the same
``pipelines.definitions`` runs under ``dagster-daemon run`` against an instance whose
``dagster.yaml`` (written by ``gonogo cluster init`` under ``$GONOGO_HOME/dagster``) says

- **storage**: runs, event logs and schedules in Postgres (``dagster-postgres``); the URL is
  read from ``GONOGO_PG_URL`` when the instance loads, so no password lands in the file;
- **run coordinator**: ``QueuedRunCoordinator``: runs wait in the queue, the daemon dequeues
  at most ``max_concurrent_runs`` at a time and at most ``tenant_runs`` per value of the
  ``gonogo/tenant`` tag (platform-wide runs carry ``_global``; ``gonogo cluster launch --tenant``
  tags a tenant's own);
- **run launcher**: ``DefaultRunLauncher`` (a run worker process per run on the daemon's host;
  a Kubernetes deployment swaps in ``K8sRunLauncher`` here and nothing else);
- schedules and the spool sensor tick under the daemon (``dagster sensor start``/``schedule
  start`` switch them on in the instance, once).

DuckDB stays the compute engine: each run's steps execute in one process and every opener of
the store queues on its writer lock (``pipelines/store.py``), so runs of one store execute
their store work one at a time whatever the queue allows.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from pipelines.settings import REPO_ROOT, Settings

PG_URL_ENV = "GONOGO_PG_URL"
TENANT_TAG = "gonogo/tenant"
GLOBAL_TENANT = "_global"
INSTANCE_FILE = "dagster.yaml"
WORKSPACE_FILE = "workspace.yaml"
CODE_MODULE = "pipelines.definitions"
CODE_LOCATION = "gonogo"


def instance_config(
    settings: Settings,
    *,
    max_concurrent_runs: int = 2,
    tenant_runs: int = 1,
    dequeue_interval_s: int = 2,
) -> dict[str, Any]:
    """The ``dagster.yaml`` of the cluster profile, as a dict."""
    if max_concurrent_runs < 1 or tenant_runs < 1:
        raise ValueError("run limits must be at least 1")
    base = settings.dagster_home
    return {
        "storage": {"postgres": {"postgres_url": {"env": PG_URL_ENV}}},
        "run_coordinator": {
            "module": "dagster._core.run_coordinator",
            "class": "QueuedRunCoordinator",
            "config": {
                "max_concurrent_runs": max_concurrent_runs,
                "dequeue_interval_seconds": dequeue_interval_s,
                "tag_concurrency_limits": [
                    {
                        "key": TENANT_TAG,
                        "value": {"applyLimitPerUniqueValue": True},
                        "limit": tenant_runs,
                    }
                ],
            },
        },
        "run_launcher": {"module": "dagster._core.launcher", "class": "DefaultRunLauncher"},
        "local_artifact_storage": {
            "module": "dagster._core.storage.root",
            "class": "LocalArtifactStorage",
            "config": {"base_dir": str(base / "storage")},
        },
        "compute_logs": {
            "module": "dagster._core.storage.local_compute_log_manager",
            "class": "LocalComputeLogManager",
            "config": {"base_dir": str(base / "logs")},
        },
        "run_monitoring": {"enabled": True, "start_timeout_seconds": 300},
        "telemetry": {"enabled": False},
    }


def workspace_config(
    *, grpc_host: str | None = None, grpc_port: int | None = None
) -> dict[str, Any]:
    """The code location: this checkout's module, or a running ``dagster code-server``."""
    if grpc_host is not None:
        return {
            "load_from": [
                {
                    "grpc_server": {
                        "host": grpc_host,
                        "port": grpc_port or 4000,
                        "location_name": CODE_LOCATION,
                    }
                }
            ]
        }
    return {
        "load_from": [
            {
                "python_module": {
                    "module_name": CODE_MODULE,
                    "working_directory": str(REPO_ROOT),
                    "location_name": CODE_LOCATION,
                }
            }
        ]
    }


def _write(path: Path, data: dict[str, Any], header: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(header + yaml.safe_dump(data, sort_keys=False))
    os.replace(tmp, path)


def write_instance(
    settings: Settings,
    *,
    max_concurrent_runs: int = 2,
    tenant_runs: int = 1,
    grpc_host: str | None = None,
    grpc_port: int | None = None,
) -> tuple[Path, Path]:
    """Write ``dagster.yaml`` and ``workspace.yaml`` under ``settings.dagster_home``."""
    home = settings.dagster_home
    for sub in ("storage", "logs"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    header = (
        "# Written by `gonogo cluster init` (GONOGO_PROFILE=cluster); see docs/scale.md.\n"
        f"# Postgres URL from ${PG_URL_ENV} at load time.\n"
    )
    instance = home / INSTANCE_FILE
    workspace = home / WORKSPACE_FILE
    _write(
        instance,
        instance_config(settings, max_concurrent_runs=max_concurrent_runs, tenant_runs=tenant_runs),
        header,
    )
    _write(workspace, workspace_config(grpc_host=grpc_host, grpc_port=grpc_port), header)
    return instance, workspace


def run_tags(tenant: str | None = None) -> dict[str, str]:
    """Tags every run of the cluster carries: the tenant the queue limits runs by."""
    return {TENANT_TAG: tenant or GLOBAL_TENANT}


# ---- ingestion into Parquet partitions ---------------------------------------------------------
def _segment_id(path: Path) -> str:
    return path.name[: -len(".jsonl")] if path.name.endswith(".jsonl") else path.name


def export_segment(path: Path, parquet_dir: Path, now: Any, redact: Any = None) -> int:
    """One sealed spool segment → Parquet partitions; returns the rows written.

    The segment is parsed by the same ingest as the embedded store (into a private in-memory
    DuckDB), so both paths agree row for row. Each table's rows go to one file per
    (tenant, day) named after the segment (its name carries the writer's replica id), written
    beside and renamed into place; the marker ``spool_segments/<segment>.parquet`` is written
    last, so a reader never sees half a segment and a re-export rewrites the same files.
    """
    import shutil
    import tempfile

    import duckdb

    from assets.tables import ensure_schema
    from assets.telemetry.ingest import ingest_spool

    seg = _segment_id(path)
    with tempfile.TemporaryDirectory(prefix="gonogo-export-") as tmp:
        spool = Path(tmp) / "spool"
        spool.mkdir()
        try:
            os.link(path, spool / path.name)
        except OSError:  # another filesystem
            shutil.copy2(path, spool / path.name)
        con = duckdb.connect()
        try:
            ensure_schema(con)
            ingest_spool(con, spool, now, redact)
            rows = 0
            for table in _tables_with_rows(con):
                if table == "spool_segments":
                    continue
                rows += _export_table(con, table, parquet_dir, seg)
            marker = parquet_dir / "spool_segments" / f"{seg}.parquet"
            _copy_atomic(con, "SELECT * FROM spool_segments", [], marker)
        finally:
            con.close()
    return rows


def _tables_with_rows(con: Any) -> list[str]:
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
    ]
    out = []
    for name in names:
        got = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
        if got and got[0]:
            out.append(name)
    return out


def _day_expr(con: Any, table: str) -> str:
    cols = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
        ).fetchall()
    }
    for col in ("ts", "ingested_at", "collected_at"):
        if col in cols:
            return f"strftime(CAST({col} AS TIMESTAMPTZ) AT TIME ZONE 'UTC', '%Y-%m-%d')"
    return "'undated'"


def _export_table(con: Any, table: str, parquet_dir: Path, seg: str) -> int:
    day = _day_expr(con, table)
    parts = con.execute(
        f'SELECT tenant_id, {day} AS day, count(*) FROM "{table}" GROUP BY ALL ORDER BY ALL'
    ).fetchall()
    for tenant, d, _n in parts:
        target = parquet_dir / table / f"tenant_id={tenant}" / f"day={d}" / f"{seg}.parquet"
        _copy_atomic(
            con,
            f'SELECT * FROM "{table}" WHERE tenant_id = ? AND {day} = ?',
            [tenant, d],
            target,
        )
    return int(sum(n for _, _, n in parts))


def _copy_atomic(con: Any, select: str, params: list[Any], target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    con.execute(f"COPY ({select}) TO '{_sql_path(tmp)}' (FORMAT parquet)", params)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def export_spool(settings: Settings, *, replica: str | None = None) -> dict[str, int]:
    """Export every sealed segment (of ``replica``, if given) not yet exported; idempotent."""
    from datetime import UTC, datetime

    from assets.telemetry.ingest import closed_segments
    from enforcement_agent.redaction import get_redactor

    parquet = settings.parquet_dir
    stats = {"written": 0, "skipped": 0, "rows": 0}
    redact = get_redactor().redact_text
    for path in closed_segments(settings.spool_dir):
        seg = _segment_id(path)
        if replica is not None and segment_replica(path.name) != replica:
            continue
        if (parquet / "spool_segments" / f"{seg}.parquet").exists():
            stats["skipped"] += 1
            continue
        stats["rows"] += export_segment(path, parquet, datetime.now(UTC), redact)
        stats["written"] += 1
    return stats


def segment_replica(name: str) -> str | None:
    """The replica id a segment name carries (``spans-<utc>-<pid>-<seq>@<replica>.jsonl``)."""
    stem = name.split(".jsonl", 1)[0]
    return stem.rpartition("@")[2] or None if "@" in stem else None
