"""`gonogo probes run`: the cross-tenant probe matrix on demand; non-zero on any leak.

Tenants default to those served from ``GONOGO_HOME`` (a policy file and a workspace there);
``--tenant`` (repeatable) names them. Redis surfaces are probed when
``GONOGO_REDIS_URL`` is set. Results go to ``tenant_probe_results`` and the evidence store,
like the ``tenant_probes`` asset's.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

probes_app = typer.Typer(help="Cross-tenant isolation probes.", no_args_is_help=True)


def _served(settings: Any, names: list[str]) -> list[str]:
    from enforcement_agent.models import valid_tenant

    bad = [n for n in names if not valid_tenant(n)]
    if bad:
        raise ValueError(f"invalid tenant id {bad[0]!r}")
    if names:
        return sorted(set(names))
    policies = settings.plan_dir / "policies"
    return sorted(
        p.stem
        for p in policies.glob("*.yaml")
        if p.stem != "default" and (settings.workspaces_dir / p.stem).is_dir()
    )


def _lines(detail: dict[str, Any]) -> list[str]:
    lines = [
        f"{detail.get('probes', 0)} probes as each of {', '.join(detail.get('tenants', []))} "
        f"against every other tenant ({detail.get('seconds', 0)} s): "
        f"{detail.get('leaks', 0)} leaked, {detail.get('not_closed', 0)} not closed"
    ]
    for surface in detail.get("surfaces", []):
        cells = detail.get("cells", {}).get(surface, {})
        if not cells:
            lines.append(f"  {surface:<20} NOT PROBED")
            continue
        n = sum(c["probes"] for c in cells.values())
        ok = sum(c["passed"] for c in cells.values())
        leak = sum(c["leaked"] for c in cells.values())
        state = "LEAK" if leak else ("closed" if ok == n else "OPEN")
        lines.append(f"  {surface:<20} {state:<6} {ok}/{n}  ({', '.join(sorted(cells))})")
    if detail.get("problem"):
        lines.append(f"note: {detail['problem']}")
    for p in detail.get("planting_problems", []):
        lines.append(f"planting: {p}")
    return lines


@probes_app.command("run")
def run_cmd(
    tenant: Annotated[
        list[str] | None,
        typer.Option("--tenant", help="a tenant to probe (repeat; default: served)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable result")] = False,
) -> None:
    """Plant canaries, probe every surface as every other tenant, record; exit 1 on any leak."""
    from assets.isolation.contract import ContractError, load_contract
    from assets.isolation.matrix import run_and_record
    from assets.tables import StoreBusy, open_store
    from enforcement_agent.tenancy.redis_acl import RedisConfigError, RedisTenancy
    from gonogo.config import Settings

    settings = Settings.from_env().ensure()
    try:
        tenants = _served(settings, tenant or [])
        contract = load_contract()
    except (ValueError, ContractError) as exc:
        sys.stderr.write(f"gonogo probes run: {exc}\n")
        raise typer.Exit(2) from None
    if len(tenants) < 2:
        sys.stderr.write(
            f"gonogo probes run: need at least two tenants to probe, found {tenants or 'none'} "
            "(name them with --tenant)\n"
        )
        raise typer.Exit(2)
    now = datetime.now(UTC)
    redis = RedisTenancy.from_env(settings.home)
    try:
        value, detail = run_and_record(
            settings.home,
            lambda: open_store(settings.duckdb_path),
            tenants,
            now,
            contract,
            redis_client_for=redis.client if redis is not None else None,
            run_id=now.strftime("%Y%m%dT%H%M%S%fZ") + "-cli",
        )
    except (StoreBusy, RedisConfigError) as exc:
        sys.stderr.write(f"gonogo probes run: {exc}\n")
        raise typer.Exit(2) from None
    finally:
        if redis is not None:
            redis.close()
    if as_json:
        typer.echo(json.dumps({"all_closed": value == 1.0, **detail}, indent=2, default=str))
    else:
        for line in _lines(detail):
            typer.echo(line)
    if detail.get("leaks") or detail.get("not_closed"):
        raise typer.Exit(1)
    if value != 1.0:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(probes_app, name="probes")
