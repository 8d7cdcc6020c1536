"""`gonogo cluster`: the cluster profile's Dagster instance, runs through its queue, Parquet.

``init`` writes ``dagster.yaml``/``workspace.yaml`` under ``$GONOGO_HOME/dagster`` (the
instance the daemon, the webserver and run workers share); ``launch`` submits a job to the
instance's queue (``dagster job launch``), tagged with the tenant the queue limits runs by;
``ingest`` turns sealed spool segments into Parquet partitions the store loads. See
docs/scale.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

cluster_app = typer.Typer(
    help="The cluster profile: Dagster on Postgres with its daemon, Parquet partitions.",
    no_args_is_help=True,
)

JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]


def _fail(command: str, message: str, code: int = 2) -> typer.Exit:
    sys.stderr.write(f"gonogo cluster {command}: {message}\n")
    return typer.Exit(code)


def _settings(command: str):  # type: ignore[no-untyped-def]
    from pipelines.settings import Settings, SettingsError

    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise _fail(command, str(exc)) from None


def cluster_env(settings) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The environment every cluster process (daemon, webserver, run worker) runs with."""
    return {
        "GONOGO_PROFILE": "cluster",
        "GONOGO_HOME": str(settings.home),
        "DAGSTER_HOME": str(settings.dagster_home),
    }


@cluster_app.command("init")
def init_cmd(
    max_runs: Annotated[
        int, typer.Option("--max-runs", help="runs the daemon launches at once (all tenants)")
    ] = 2,
    tenant_runs: Annotated[
        int, typer.Option("--tenant-runs", help="runs at once per gonogo/tenant tag value")
    ] = 1,
    code_server: Annotated[
        str | None,
        typer.Option(
            "--code-server",
            help="HOST:PORT of a `dagster code-server` (default: load pipelines.definitions)",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Write the cluster profile's dagster.yaml and workspace.yaml under $GONOGO_HOME/dagster."""
    from pipelines.cluster import PG_URL_ENV, write_instance

    settings = _settings("init")
    if max_runs < 1 or tenant_runs < 1:
        raise _fail("init", "--max-runs and --tenant-runs must be at least 1")
    host, port = None, None
    if code_server:
        host, _, raw_port = code_server.rpartition(":")
        if not host or not raw_port.isdigit() or not 0 < int(raw_port) < 65536:
            raise _fail("init", f"--code-server {code_server!r}: expected HOST:PORT")
        port = int(raw_port)
    settings.ensure()
    instance, workspace = write_instance(
        settings,
        max_concurrent_runs=max_runs,
        tenant_runs=tenant_runs,
        grpc_host=host,
        grpc_port=port,
    )
    env = cluster_env(settings)
    if as_json:
        typer.echo(
            json.dumps(
                {"instance": str(instance), "workspace": str(workspace), "env": env}, indent=2
            )
        )
        return
    typer.echo(f"wrote {instance}\nwrote {workspace}")
    typer.echo(f"run with: {' '.join(f'{k}={v}' for k, v in env.items())} {PG_URL_ENV}=…")
    typer.echo(f"  dagster-daemon run -w {workspace}")
    typer.echo(f"  dagster-webserver -w {workspace} -h 127.0.0.1 -p 3000")


@cluster_app.command("launch")
def launch_cmd(
    job: Annotated[str, typer.Argument(help="readiness_job, digest_job or slo_job")],
    tenant: Annotated[
        str | None, typer.Option("--tenant", help="the tenant the run is for (queue limit)")
    ] = None,
) -> None:
    """Submit JOB to the instance's queue; the daemon launches it within the run limits."""
    from enforcement_agent.models import valid_tenant
    from pipelines.cluster import INSTANCE_FILE, PG_URL_ENV, WORKSPACE_FILE, run_tags

    settings = _settings("launch")
    if tenant is not None and not valid_tenant(tenant):
        raise _fail("launch", f"invalid tenant id {tenant!r}")
    if not (settings.dagster_home / INSTANCE_FILE).is_file():
        raise _fail("launch", f"no {INSTANCE_FILE} under {settings.dagster_home}: run init")
    if not os.environ.get(PG_URL_ENV):
        raise _fail("launch", f"{PG_URL_ENV} is not set")
    argv = [
        *_dagster(),
        "job",
        "launch",
        "-w",
        str(settings.dagster_home / WORKSPACE_FILE),
        "-j",
        job,
        "--tags",
        json.dumps(run_tags(tenant)),
    ]
    env = {**os.environ, **cluster_env(settings)}
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["dagster job launch failed"])[-1]
        raise _fail("launch", last[:400], 1)
    typer.echo(done.stdout.strip() or f"submitted {job}")


def _dagster() -> list[str]:
    exe = Path(sys.executable).with_name("dagster")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "dagster"]


@cluster_app.command("ingest")
def ingest_cmd(
    replica: Annotated[
        str | None,
        typer.Option("--replica", help="only this replica's segments (default: every segment)"),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Write sealed spool segments as Parquet partitions (tenant, day); idempotent per segment."""
    from pipelines.cluster import export_spool
    from pipelines.settings import valid_replica_id

    settings = _settings("ingest")
    if replica is not None and not valid_replica_id(replica):
        raise _fail("ingest", f"invalid replica id {replica!r}")
    stats = export_spool(settings, replica=replica)
    if as_json:
        typer.echo(json.dumps(stats, indent=2))
    else:
        typer.echo(
            f"{stats['written']} segment(s) written, {stats['skipped']} already in "
            f"{settings.parquet_dir}, {stats['rows']} row(s)"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(cluster_app, name="cluster")
