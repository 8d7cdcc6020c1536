"""`gonogo evidence add`: evidence delivered by CI and other systems (JUnit E2E gate runs)."""

from __future__ import annotations

import typer

evidence_app = typer.Typer(help="Evidence from CI and other systems.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(evidence_app, name="evidence")
