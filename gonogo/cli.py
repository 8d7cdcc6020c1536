"""The one `gonogo` command. Each domain registers its own commands from its own module."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer

# Each module exposes ``register(app)``; adding a domain means adding its module here.
_COMMAND_MODULES = (
    "gonogo.cli_policy",  # policy eval / test / explain
    "gonogo.cli_audit",  # audit verify
    "gonogo.cli_agent",  # agent exec (and friends)
    "gonogo.cli_redact",  # redact
    "gonogo.cli_slo",  # slo rules / dashboards / incidents
    "gonogo.cli_report",  # report, digest, plan
    "gonogo.cli_demo",  # demo, serve
    "gonogo.cli_integrations",  # hook (Claude Code PreToolUse), mcp (governed tools server)
)
# Filters run in pipelines start with their own module only (not every domain's imports).
_ALONE = {"redact": "gonogo.cli_redact"}


def build_app(modules: tuple[str, ...] = _COMMAND_MODULES) -> typer.Typer:
    app = typer.Typer(
        name="gonogo",
        help="Launch-readiness evidence for autonomous engineering agents.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    if len(modules) == 1:
        app.callback()(lambda: None)  # keep the command's name with a single command
    for name in modules:
        importlib.import_module(name).register(app)
    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    alone = _ALONE.get(sys.argv[1]) if len(sys.argv) > 1 else None
    build_app((alone,) if alone else _COMMAND_MODULES)()


if __name__ == "__main__":
    main()
