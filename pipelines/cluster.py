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


def workspace_config(*, grpc_host: str | None = None, grpc_port: int | None = None) -> dict[str, Any]:
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
        instance_config(
            settings, max_concurrent_runs=max_concurrent_runs, tenant_runs=tenant_runs
        ),
        header,
    )
    _write(workspace, workspace_config(grpc_host=grpc_host, grpc_port=grpc_port), header)
    return instance, workspace


def run_tags(tenant: str | None = None) -> dict[str, str]:
    """Tags every run of the cluster carries: the tenant the queue limits runs by."""
    return {TENANT_TAG: tenant or GLOBAL_TENANT}
