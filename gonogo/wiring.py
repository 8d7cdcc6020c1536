"""Wiring: build the real enforcement agent for the embedded default from ``Settings``.

The one place that knows both the state layout (``gonogo.config``) and the agent's parts, so
``enforcement_agent/`` imports nothing of ours and every integration (CLI, HTTP gateway, hook,
MCP) is handed an agent instead of building one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from enforcement_agent.audit import DecisionLog, StateInWorkspaceError, state_dir_conflict
from gonogo.config import Settings

if TYPE_CHECKING:
    from enforcement_agent.agent import EnforcementAgent
    from enforcement_agent.connectors import ConnectorGateway, CredentialStore
    from enforcement_agent.redaction import Redactor
    from enforcement_agent.secretbox import SealedSecrets
    from gonogo.policy_cache import CachedPolicyStore

# The agent and the policy cache (the policy engine with them) are imported by the functions that
# build an agent: `check_workspace` alone runs before a hook process imports them (stop 47).

__all__ = [
    "StateInWorkspaceError",
    "build_agent",
    "build_hook_agent",
    "check_workspace",
    "load_credentials",
    "open_sealed",
]


def open_sealed(settings: Settings) -> SealedSecrets:
    """The encrypted credential store of ``settings.home``, with the KEK from outside it
    (raises ``SecretStoreError`` when there is no usable KEK)."""
    from enforcement_agent.connectors.credentials import SECRETS_DIR
    from enforcement_agent.secretbox import LocalKek, SealedSecrets

    return SealedSecrets(settings.home / SECRETS_DIR, LocalKek.load(settings.state_dirs))


def load_credentials(settings: Settings) -> CredentialStore:
    """The tenants' connector credentials, decrypted into memory (never raises)."""
    from enforcement_agent.connectors.credentials import SECRETS_DIR, CredentialStore
    from enforcement_agent.secretbox import LocalKek, SecretStoreError

    if not (settings.home / SECRETS_DIR / "store.json").exists():
        return CredentialStore.load(settings.home, None)
    try:
        kek = LocalKek.load(settings.state_dirs)
    except SecretStoreError as exc:
        return CredentialStore(unavailable=str(exc))
    return CredentialStore.load(settings.home, kek)


def check_workspace(settings: Settings, workspace: Path, policy_dir: Path | None = None) -> None:
    """Refuse a workspace that is, or contains, one of gonogo's state directories or the
    policy's own directory."""
    policies = policy_dir or settings.plan_dir / "policies"
    reason = state_dir_conflict(
        settings.guarded_paths, workspace, (settings.workspaces_dir,), (policies,)
    )
    if reason is not None:
        raise StateInWorkspaceError(reason)


def _tenant_workspaces(settings: Settings) -> Callable[[str], Path]:
    """``workspaces/<tenant>``, created private on first use (tenant ids are validated)."""

    def workspace(tenant: str) -> Path:
        path = settings.workspace(tenant)
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path

    return workspace


def build_agent(
    settings: Settings,
    *,
    policy_dir: Path | None = None,
    known_secrets: tuple[str, ...] = (),
    allow_weak_fallback: bool = False,
    metrics: bool = False,
    connectors: ConnectorGateway | None = None,
    demo: bool = False,
    workspace: Path | None = None,
    limit_overrides: dict[str, float] | None = None,
    redactor: Redactor | None = None,
    replica: str | None = None,
) -> EnforcementAgent:
    """Wire the real parts; raises :class:`StateInWorkspaceError` for an unsafe ``workspace``.

    ``redactor`` defaults to the process's configured one; every part (decision records,
    telemetry, connectors) is handed the same instance. ``replica`` (a long-lived gateway
    replica only) gives the process its own spool segments and decision chains.
    """
    from enforcement_agent.agent import EnforcementAgent
    from enforcement_agent.redaction import get_redactor
    from enforcement_agent.telemetry import prometheus_reader, setup_telemetry

    if workspace is not None:
        check_workspace(settings, workspace, policy_dir)
    settings.ensure()
    redactor = redactor if redactor is not None else get_redactor()
    if known_secrets:
        redactor.add_known_secrets(known_secrets)
    telemetry = setup_telemetry(
        redactor,
        spool_dir=settings.spool_dir,
        metric_readers=[prometheus_reader()] if metrics else [],
        replica=replica,
    )
    ws_fixed = workspace.resolve() if workspace is not None else None
    if connectors is None:
        from enforcement_agent.connectors import ConnectorGateway

        # Credentials the agent holds for the tenants (never the model); none configured → every
        # allowed connector call fails with a clear "no credential" outcome.
        connectors = ConnectorGateway.from_config(None, redact=redactor.redact_bytes)
        connectors.credentials = load_credentials(settings)
        # The agent holds these; the redactor must know them before anything can echo one.
        if connectors.credentials.unavailable is None:
            redactor.add_known_secrets(tuple(connectors.credentials.all_secrets()))
    # Slots and rate limits shared across replicas when GONOGO_REDIS_URL is set (imported here:
    # a hook process, which builds no acting agent, never loads the Redis client).
    from gonogo.redis_wiring import install_shared_limits

    install_shared_limits(settings, connectors)
    return EnforcementAgent(
        policies=_policies(settings, policy_dir, workspace),
        decision_log=DecisionLog(settings.audit_dir, redactor, replica=replica),
        redactor=redactor,
        telemetry=telemetry,
        workspace_for=(lambda _t: ws_fixed)
        if ws_fixed is not None
        else _tenant_workspaces(settings),
        connectors=connectors,
        allow_weak_fallback=allow_weak_fallback,
        demo=demo,
        limit_overrides=dict(limit_overrides or {}),
        state_dirs=settings.guarded_paths,
        workspace_roots=(settings.workspaces_dir,),
    )


def build_hook_agent(
    settings: Settings, *, policy_dir: Path | None = None, workspace: Path | None = None
) -> EnforcementAgent:
    """The agent a hook process needs: policy, decision records, nothing that acts or exports.

    The host runs the tool, so there is no connector gateway, and a process that lives for one
    tool call has nowhere to export spans or metrics (``NullTelemetry``); the workspace is the
    hook's own, checked against the state directories on every call (and the compiled-policy
    cache is not used when it lies inside ``workspace``).
    """
    from enforcement_agent.agent import EnforcementAgent
    from enforcement_agent.null_telemetry import NullTelemetry
    from enforcement_agent.redaction import get_redactor

    if workspace is not None:
        # Before the redactor: its cache may be the directory refused (a refused hook used to
        # compile it there, 10 s, to redact its own refusal).
        check_workspace(settings, workspace, policy_dir)
    settings.ensure()
    redactor = get_redactor()
    return EnforcementAgent(
        policies=_policies(settings, policy_dir, workspace),
        decision_log=DecisionLog(settings.audit_dir, redactor),
        redactor=redactor,
        telemetry=NullTelemetry(redactor),
        workspace_for=_tenant_workspaces(settings),
        state_dirs=settings.guarded_paths,
        workspace_roots=(settings.workspaces_dir,),
    )


def _policies(
    settings: Settings, policy_dir: Path | None, workspace: Path | None = None
) -> CachedPolicyStore:
    from gonogo.policy_cache import CachedPolicyStore

    # A cache an agent could write is never read: not under its workspace, nor the tenants'.
    workspaces = (settings.workspaces_dir, *((workspace,) if workspace is not None else ()))
    return CachedPolicyStore(
        policy_dir or settings.plan_dir / "policies", settings.cache_dir / "policy", workspaces
    )
