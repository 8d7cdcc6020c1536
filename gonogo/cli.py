"""The one `gonogo` command. Each domain registers its own commands from its own module."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="gonogo",
    help="Launch-readiness evidence for autonomous engineering agents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

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
    "gonogo.cli_bench",  # bench run / import / reproduce
    "gonogo.cli_soak",  # soak run / probe
    "gonogo.cli_drill",  # drill run / list / releases
    "gonogo.cli_evidence",  # evidence add (JUnit E2E gate runs), release gates
)

for _name in _COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
