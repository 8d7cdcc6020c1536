"""The process form of the Claude Code hook: one payload in, one decision JSON out, never a crash.

``gonogo hook claude-code`` calls :func:`answer`; so does the fast entry in ``gonogo.cli`` that
skips loading every other command (a hook pays its start-up on every tool call).
"""

from __future__ import annotations

import json
from pathlib import Path


def _deny(reason: str) -> str:
    from enforcement_agent.integrations.claude_hook import hook_output

    return json.dumps(hook_output("deny", reason))


def answer(
    raw: bytes,
    *,
    tenant: str,
    role: str,
    workspace: Path,
    actor: str = "claude-code",
    policy_dir: Path | None = None,
    ask_as: str = "ask",
    sandbox: bool = True,
) -> str:
    """The decision JSON for ``raw`` (a deny with the reason on any failure)."""
    try:
        from enforcement_agent.integrations.claude_hook import HookOperator, run_hook
        from gonogo.config import Settings
        from gonogo.wiring import build_hook_agent

        settings = Settings.from_env()
        op = HookOperator(
            tenant=tenant,
            role=role,
            workspace=workspace,
            actor=actor,
            ask_as=ask_as,
            sandbox=sandbox,
            exec_env=(("GONOGO_HOME", str(settings.home)),),
            policy_dir=policy_dir.resolve() if policy_dir is not None else None,
        )
        # The workspace is checked by run_hook (a deny through the agent's redactor).
        agent = build_hook_agent(settings, policy_dir=policy_dir)
        try:
            return json.dumps(run_hook(raw, op, agent))
        finally:
            agent.telemetry.shutdown()
    except Exception as exc:  # noqa: BLE001 - the hook must answer deny, never crash open
        return _deny(f"internal-error: the hook failed ({type(exc).__name__}); denied")
