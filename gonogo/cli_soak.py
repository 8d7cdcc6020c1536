"""`gonogo soak run` (a representative workload through running gateways) and `gonogo soak
probe` (the health probe runbooks use)."""

from __future__ import annotations

import json
import os
import signal
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

from gonogo.config import Settings

soak_app = typer.Typer(
    help="Soak and load: a representative agent workload, watched.", no_args_is_help=True
)


def _fail(msg: str) -> None:
    typer.echo(f"gonogo soak: {msg}", err=True)
    raise typer.Exit(2)


def parse_duration(text: str) -> float:
    """``90s``, ``15m``, ``2h``, ``7d`` (or plain seconds) → seconds."""
    from assets.slo.durations import parse_duration as parse

    try:
        return float(text) if text.replace(".", "", 1).isdigit() else parse(text).total_seconds()
    except (TypeError, ValueError) as e:
        raise ValueError(f"duration {text!r}: {e}") from None


def _targets(urls: list[str], tenants: list[str]) -> dict[str, Any]:
    """``--url URL`` (one gateway for every tenant) or ``--url TENANT=URL`` (one per tenant)."""
    from assets.operations.client import Target
    from gonogo.ops_wiring import tenant_role

    shared = [u for u in urls if "=" not in u.split("://", 1)[0]]
    bound = dict(u.split("=", 1) for u in urls if "=" in u.split("://", 1)[0])
    for u in [*shared, *bound.values()]:
        if not u.startswith(("http://", "https://")):
            raise ValueError(f"--url {u!r}: expected http(s)://host:port")
    if shared and bound:
        raise ValueError("--url: give one shared URL or TENANT=URL for every tenant, not both")
    if len(shared) > 1:
        raise ValueError("--url: one shared gateway URL (or TENANT=URL per tenant)")
    if bound:
        missing = [t for t in tenants if t not in bound]
        if missing:
            raise ValueError(f"--url: no gateway for tenant(s) {', '.join(missing)}")
        return {t: Target(bound[t].rstrip("/"), tenant=t, role=tenant_role(t)) for t in tenants}
    return {t: Target(shared[0].rstrip("/")) for t in tenants}


@soak_app.command("run")
def run_cmd(
    duration: str = typer.Option(..., "--duration", help="how long: 90s, 15m, 2h, 7d"),
    tenants: int = typer.Option(3, "--tenants", min=1, max=50, help="tenants (demo's first)"),
    agents: int = typer.Option(2, "--agents", min=1, max=50, help="agents per tenant"),
    rate: float | None = typer.Option(
        None, "--rate", help="total calls/s across agents (default: each agent's think time)"
    ),
    url: list[str] = typer.Option(
        [], "--url", help="a running gateway, or TENANT=URL per tenant (default: start workers)"
    ),
    mix: list[str] = typer.Option(
        [], "--mix", help="CATEGORY=WEIGHT (everyday, sensitive, hostile, limits, connector)"
    ),
    think: float | None = typer.Option(None, "--think", help="mean think time per agent (s)"),
    sample: float = typer.Option(5.0, "--sample", min=0.5, help="seconds between samples"),
    seed: int = typer.Option(0, "--seed"),
    record: bool = typer.Option(True, "--record/--no-record", help="write to the evidence store"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Drive the demo's representative mix through `gonogo serve` and record what it sees."""
    from assets.operations.mix import MixError, parse_weights

    try:
        seconds = parse_duration(duration)
        if seconds <= 0:
            raise ValueError("duration must be > 0")
        if rate is not None and rate <= 0:
            raise ValueError("--rate must be > 0")
        weights = parse_weights(mix)
    except (ValueError, MixError) as e:
        _fail(str(e))
        return
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        summary = run_soak_now(
            Settings.from_env(),
            seconds=seconds,
            n_tenants=tenants,
            agents=agents,
            rate=rate,
            urls=url,
            weights=weights,
            think=think,
            sample=sample,
            seed=seed,
            record=record,
            stop=stop,
            progress=None if as_json else lambda s: typer.echo(_progress_line(s), err=True),
        )
    except ValueError as e:
        _fail(str(e))
        return
    finally:
        signal.signal(signal.SIGINT, previous)
    if as_json:
        typer.echo(json.dumps(summary, indent=2, default=str))
    else:
        for line in summary_lines(summary):
            typer.echo(line)


def _progress_line(s: dict[str, Any]) -> str:
    rss = s["rss_bytes"]
    return (
        f"  t+{s['elapsed_s']:>7.1f}s  {s['throughput_cps'] or 0:6.2f} calls/s  "
        f"p99 {s['p99_s'] or 0:.3f}s  errors {s['errors']}  "
        f"rss {rss / 1e6 if rss else 0:.1f} MB  fds {s['open_fds'] or 0:.0f}  firing {s['firing']}"
    )


def summary_lines(s: dict[str, Any]) -> list[str]:
    t, lat, res = s["totals"], s["latency_s"], s["resources"]
    rss, fds = res["rss_bytes"], res["open_fds"]

    def f(v: float | None, fmt: str = "{:.3f}") -> str:
        return "n/a" if v is None else fmt.format(v)

    lines = [
        f"soak {s['run_id']}: {s['status']}, {s['duration_s']:.1f}s "
        f"({s['duration_days']:.5f} days), {len(s['config']['tenants'])} tenants x "
        f"{s['config']['agents'] // max(len(s['config']['tenants']), 1)} agents",
        f"calls: {t['sent']} sent, {t['answered']} answered, {t['errors']} errors, "
        f"{t['refused_429']} refused with 429; {t['throughput_cps']} calls/s",
        f"latency: p50 {f(lat['p50'])}s, p95 {f(lat['p95'])}s, p99 {f(lat['p99'])}s, max {f(lat['max'])}s",
        f"rss: {f(rss['start'], '{:.0f}')} -> {f(rss['end'], '{:.0f}')} bytes "
        f"(slope {f(rss['slope_per_hour'], '{:.0f}')}/h); open fds: {f(fds['start'], '{:.0f}')} -> "
        f"{f(fds['end'], '{:.0f}')} (slope {f(fds['slope_per_hour'], '{:.1f}')}/h)",
        f"incidents: {len(s['incidents'])} opened, {len(s['unresolved_sev12'])} Sev-1/Sev-2 unresolved",
    ]
    for i in s["unresolved_sev12"]:
        lines.append(f"  unresolved {i['severity']}: {i['alertname']} {i['slo']} ({i['summary']})")
    lines.append(
        f"WS3.2: {'passes' if s['ws32']['passes'] else 'does not pass'} ({s['ws32']['why']})"
    )
    return lines


def run_soak_now(
    settings: Settings,
    *,
    seconds: float,
    n_tenants: int,
    agents: int,
    rate: float | None,
    urls: list[str],
    weights: dict[str, float],
    think: float | None = None,
    sample: float = 5.0,
    seed: int = 0,
    record: bool = True,
    stop: threading.Event | None = None,
    progress: Any = None,
    is_demo: bool = False,
    work_dir: Path | None = None,
) -> dict[str, Any]:
    """Start workers unless URLs are given, run the soak, record it; returns the summary."""
    from assets.operations.client import GatewayClient, Target
    from assets.operations.monitor import AlertMonitor
    from assets.operations.soak import AgentSpec, SoakConfig, run_soak
    from assets.operations.store import record_soak
    from assets.operations.target import ServeSpec, Worker
    from assets.tables import open_store
    from gonogo.ops_wiring import (
        gonogo_command,
        ops_config,
        plan_specs,
        prepare_home,
        runbooks,
        serve_args,
        tenant_names,
        tenant_role,
        workload_mix,
    )

    settings.ensure()
    tenants = tenant_names(n_tenants)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out_dir = work_dir or settings.evidence_dir / "soak" / f"{stamp}-{os.getpid()}"
    out_dir.mkdir(parents=True, exist_ok=True)
    specs = plan_specs(settings)
    mix = workload_mix(weights, think)
    workers: list[Any] = []
    provider: Any = None
    try:
        if urls:
            targets = _targets(urls, tenants)
            scrape_urls = sorted({t.url for t in targets.values()})
        else:
            from enforcement_agent.connectors.fake_provider import FakeProvider

            # Workers the soak starts call a local stand-in for GitHub/Jira/Slack (loopback
            # only); against a staging gateway (--url) its real providers answer.
            provider = FakeProvider().start()
            home = out_dir / "home"
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")},
                "GONOGO_HOME": str(home),
                "GONOGO_PLAN_DIR": str(settings.plan_dir),
                **{f"GONOGO_CONNECTOR_{c}_URL": provider.url for c in ("GITHUB", "JIRA", "SLACK")},
            }
            prepare_home(home, tenants, env)
            bound = bool(serve_args(tenants[0], tenant_role(tenants[0])))
            targets = {}
            for group in [[t] for t in tenants] if bound else [tenants]:
                extra = serve_args(group[0], tenant_role(group[0])) if bound else []
                w = Worker(ServeSpec(gonogo_command(), env, tuple(extra)), out_dir / "logs")
                workers.append(w.start())
                for t in group:
                    targets[t] = Target(w.url, tenant=t if bound else None, role=tenant_role(t))
            scrape_urls = [w.url for w in workers]
        cfg = SoakConfig(
            duration_s=seconds,
            agents=[
                AgentSpec(t, tenant_role(t), f"{t}-soak-{i}")
                for t in tenants
                for i in range(agents)
            ],
            rate=rate,
            sample_s=min(sample, max(seconds / 4, 0.5)),
            eval_s=min(sample, max(seconds / 4, 0.5)),
            seed=seed,
        )
        monitor = AlertMonitor(specs.slos, ops_config(specs), runbooks(), tick_s=cfg.eval_s)
        client = GatewayClient()
        samples_file = (out_dir / "samples.jsonl").open("a")

        def on_sample(s: dict[str, Any]) -> None:
            samples_file.write(json.dumps(s, default=str) + "\n")
            samples_file.flush()
            if progress is not None:
                progress(s)

        try:
            result = run_soak(
                cfg, mix, targets, scrape_urls, monitor, client, stop=stop, on_sample=on_sample
            )
        finally:
            samples_file.close()
            client.close()
            monitor.close()
    finally:
        for w in workers:
            w.stop_all()
        if provider is not None:
            provider.stop()
    summary = result.summary()
    (out_dir / "soak.json").write_text(json.dumps(summary, indent=2, default=str))
    if record:
        with open_store(settings.duckdb_path) as con:
            record_soak(con, result, evidence_dir=str(out_dir), is_demo=is_demo)
    summary["evidence_dir"] = str(out_dir)
    return summary


@soak_app.command("probe")
def probe_cmd(
    url: str | None = typer.Option(None, "--url", help="a gateway: /healthz and a fresh heartbeat"),
    call: bool = typer.Option(
        False, "--call", help="also one harmless tool call (a real decision)"
    ),
    prometheus: str | None = typer.Option(
        None, "--prometheus", help="a Prometheus: answers queries"
    ),
    provider: str | None = typer.Option(None, "--provider", help="a connector provider: answers"),
    max_heartbeat_age: float = typer.Option(30.0, "--max-heartbeat-age", help="seconds"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Health of a gateway, Prometheus or provider; exit 0 healthy, 1 not (runbook steps)."""
    from assets.operations.client import Target
    from assets.operations.probe import (
        ProbeReport,
        probe_call,
        probe_prometheus,
        probe_provider,
        probe_worker,
    )

    if not (url or prometheus or provider):
        _fail("name something to probe: --url, --prometheus or --provider")
    for u in (url, prometheus, provider):
        if u and not u.startswith(("http://", "https://")):
            _fail(f"{u!r} is not an http(s) URL")
    report = ProbeReport()
    if url:
        probe_worker(report, url.rstrip("/"), max_heartbeat_age)
        if call:
            tenant = os.environ.get("GONOGO_PROBE_TENANT", "acme")
            role = os.environ.get("GONOGO_PROBE_ROLE", "viewer")
            # The worker acts for its own tenant (from the caller's token, or the
            # --insecure-dev operator); the request body never names one.
            probe_call(report, Target(url.rstrip("/"), tenant=tenant, role=role), tenant, role)
    if prometheus:
        probe_prometheus(
            report, prometheus.rstrip("/"), os.environ.get("GONOGO_PROMETHEUS_CA_FILE")
        )
    if provider:
        probe_provider(report, provider)
    if as_json:
        typer.echo(json.dumps({"ok": report.ok, "checks": report.checks}, default=str))
    else:
        for c in report.checks:
            facts = ", ".join(
                f"{k}={v}" for k, v in c.items() if k not in ("check", "ok") and v not in (None, "")
            )
            typer.echo(f"{'ok  ' if c['ok'] else 'FAIL'} {c['check']}: {facts}")
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(soak_app, name="soak")
