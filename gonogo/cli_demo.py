"""`gonogo demo` (`gonogo serve` lives with the integrations, in `cli_integrations`)."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        out: Path = typer.Option(Path("out"), "--out", help="where the report and digest go"),
        home: Path | None = typer.Option(
            None, "--home", help="state directory (default: OUT/state)"
        ),
        as_json: bool = typer.Option(False, "--json", help="print a machine-readable summary"),
        security_suite: bool = typer.Option(
            True,
            "--security-suite/--no-security-suite",
            help="run the security regression tests and keep their JUnit XML as evidence",
        ),
    ) -> None:
        """Run the embedded default end to end: workload → assets → report and digest."""
        from gonogo.demo import run_demo

        summary = run_demo(out, home, security_suite=security_suite)
        if as_json:
            typer.echo(json.dumps(summary, indent=2, sort_keys=True))
            return
        wl = summary["workload"]
        typer.echo(
            f"workload: {wl['calls']} tool calls in {wl['seconds']}s "
            f"(decisions {wl['by_decision']}, outcomes {wl['by_outcome']})"
        )
        if "security_suite" in summary:
            typer.echo(f"security suite: {summary['security_suite']['summary']}")
        typer.echo(f"materialized {len(summary['materialized'])} assets")
        failed = [k for k, ok in summary["checks"].items() if not ok]
        if failed:
            typer.echo(f"asset checks failing: {', '.join(failed)}")
        report = out.resolve() / "readiness-report.html"
        data = json.loads(report.with_suffix(".json").read_text())
        typer.echo(data["decision"]["sentence"])
        typer.echo(f"report: {report}")
