"""`gonogo demo` (`gonogo serve` lives with the integrations, in `cli_integrations`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer


def summary_lines(summary: dict[str, Any], out: Path) -> tuple[list[str], int]:
    """What `gonogo demo` prints, and its exit code: 1 when the security suite it was asked to
    run did not run (the report then lacks that evidence, so the demo did not succeed)."""
    wl = summary["workload"]
    lines = [
        f"workload: {wl['calls']} tool calls in {wl['seconds']}s "
        f"(decisions {wl['by_decision']}, outcomes {wl['by_outcome']})"
    ]
    suite = summary["security_suite"]
    if suite.get("skipped"):
        lines.append("security suite: skipped (--no-security-suite); its criteria stay unknown")
    elif suite["ran"]:
        lines.append(
            f"security suite: {suite['security_tests']} security tests of {suite['tests']} "
            f"({suite['summary']})"
        )
    bench = summary.get("benchmarks") or {}
    if bench.get("skipped"):
        lines.append("benchmarks: skipped (--no-benchmarks); the WS5 criteria stay unknown")
    elif bench:
        lines.append(
            f"benchmarks (demo data): {bench['attempts']} attempts over {bench['tasks']} tasks, "
            f"completion {bench['completion_rate']}, reproduced: {bench['reproduced']} "
            f"({bench['seconds']}s); one-pager: {out.resolve() / 'one-pager.html'}"
        )
    ops = summary.get("operations")
    if ops:
        soak = ops["soak"]
        lines.append(
            f"soak: {soak['duration_s']:.1f}s, {soak['throughput_cps']} calls/s, "
            f"{soak['incidents']} incidents ({soak['unresolved_sev12']} Sev-1/Sev-2 unresolved)"
        )
        for d in ops["drills"]:
            t = ", ".join(
                f"{k} {d[v]:.1f}s"
                for k, v in (("TTD", "ttd_s"), ("TTM", "ttm_s"), ("TTR", "ttr_s"))
                if d[v] is not None
            )
            why = t if d["status"] == "completed" else d["reason"]
            lines.append(f"drill {d['name']}: {d['status']} ({d['runbook_path']}; {why})")
    lines.append(f"materialized {len(summary['materialized'])} assets")
    failed = [k for k, ok in summary["checks"].items() if not ok]
    if failed:
        lines.append(f"asset checks failing: {', '.join(failed)}")
    report = out.resolve() / "readiness-report.html"
    data = json.loads(report.with_suffix(".json").read_text())
    lines += [data["decision"]["sentence"], f"report: {report}"]
    if not suite.get("skipped") and not suite["ran"]:
        lines.append(f"demo incomplete: the security suite did not run: {suite['why_not']}")
        return lines, 1
    return lines, 0


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
        benchmarks: bool = typer.Option(
            True,
            "--benchmarks/--no-benchmarks",
            help="run the benchmark suite (oracle, oracle+governed, none; a kill; a reproduction)",
        ),
    ) -> None:
        """Run the embedded default end to end: workload → assets → report and digest."""
        from gonogo.demo import run_demo

        summary = run_demo(out, home, security_suite=security_suite, benchmarks=benchmarks)
        lines, code = summary_lines(summary, out)
        if as_json:
            typer.echo(json.dumps(summary, indent=2, sort_keys=True))
        else:
            for line in lines:
                typer.echo(line, err=line.startswith("demo incomplete"))
        if code:
            raise typer.Exit(code)
