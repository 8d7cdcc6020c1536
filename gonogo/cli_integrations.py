"""`gonogo` commands of this domain (registered by gonogo.cli)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Placeholder until the domain's commands land."""
