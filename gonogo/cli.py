"""The one `gonogo` command. Each domain registers its own commands from its own module."""

from __future__ import annotations

import functools
import gc
import importlib
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

# Each module exposes ``register(app)``; adding a domain means adding its module here, under
# the top-level names it registers (a test checks the two agree).
_COMMANDS = {
    "policy": "gonogo.cli_policy",  # policy eval / test / explain
    "audit": "gonogo.cli_audit",  # audit verify / anchor
    "agent": "gonogo.cli_agent",  # agent exec (and friends)
    "redact": "gonogo.cli_redact",  # redact
    "slo": "gonogo.cli_slo",  # slo rules / dashboards / incidents
    "report": "gonogo.cli_report",  # report
    "digest": "gonogo.cli_report",  # digest
    "plan": "gonogo.cli_plan",  # plan validate / summary / import / schedule / onboarding
    "track": "gonogo.cli_track",  # track add / list
    "demo": "gonogo.cli_demo",  # demo
    "hook": "gonogo.cli_integrations",  # hook (Claude Code PreToolUse)
    "mcp": "gonogo.cli_integrations",  # mcp (governed tools)
    "serve": "gonogo.cli_integrations",  # serve (gateway, HTTP hook, webhooks, reports)
    "bench": "gonogo.cli_bench",  # bench run / import / reproduce
    "auth": "gonogo.cli_auth",  # auth dev-issuer / token
    "secrets": "gonogo.cli_secrets",  # secrets init-kek / set / list / rotate / verify / migrate
    "probes": "gonogo.cli_probes",  # probes run (cross-tenant isolation matrix)
    "pipeline": "gonogo.pipeline_run",  # pipeline run (ingest and evaluate now)
    "soak": "gonogo.cli_soak",  # soak run / probe
    "drill": "gonogo.cli_drill",  # drill run / list / releases
    "evidence": "gonogo.cli_evidence",  # evidence add (JUnit E2E gate runs), release gates
    "cluster": "gonogo.cli_cluster",  # cluster init / launch / ingest (GONOGO_PROFILE=cluster)
}
_COMMAND_MODULES = tuple(dict.fromkeys(_COMMANDS.values()))


@functools.cache
def build_app(modules: tuple[str, ...] = _COMMAND_MODULES) -> typer.Typer:
    import typer

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
    if name == "app":  # ``gonogo.cli.app``, built on first use
        return build_app()
    raise AttributeError(name)


def main() -> None:
    if sys.argv[1:2] == ["redact"]:
        # A filter in pipelines: a plain call runs without Typer (fifth speed pass: Typer and
        # the pydantic it loads were 0.12 s of CPU of the command's 0.20 s start).
        from gonogo.redact_process import run_fast as redact_fast

        code = redact_fast(sys.argv[2:])
        if code is not None:
            sys.exit(code)
    # A hook runs on every tool call: answer it without loading every other command.
    gc_default = gc.get_threshold()
    hook = sys.argv[1:3] == ["hook", "claude-code"]
    if hook:
        # A process that lives for one tool call: the cyclic collector's ~40 young-generation
        # passes over the imports and the unpickled policy (~5 ms) free nothing it would
        # keep. A high threshold (not off) still bounds memory on a pathological input.
        gc.set_threshold(200_000, 10, 10)
    from gonogo.hook_process import run_fast

    if run_fast(sys.argv[1:]):
        # The answer is written and its record fsynced: skip the interpreter's teardown (freeing
        # every module and the compiled policy), about a tenth of a hook process's time.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    gc.set_threshold(*gc_default)  # the full CLI (help, a usage error) as usual
    # A command loads its own domain's module only, not every domain's imports: `agent exec`
    # runs before every Bash command of a hooked agent, `redact` in pipelines, and the whole
    # CLI imported Dagster (0.7 s of CPU) for any of them. No command (or an unknown one):
    # every module, for the full help.
    alone = _COMMANDS.get(sys.argv[1]) if len(sys.argv) > 1 else None
    build_app((alone,) if alone else _COMMAND_MODULES)()
