"""Policy before every tool call: commands, files, connectors, roles, break-glass.

Public API (other components code against these names)::

    from enforcement_agent.policy import PolicyStore, Policy, load_policy, PolicyLoadError
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from enforcement_agent.policy.engine import Policy
from enforcement_agent.policy.errors import PolicyLoadError
from enforcement_agent.policy.store import PolicyStore

if TYPE_CHECKING:
    from enforcement_agent.policy.loader import load_policy

__all__ = ["Policy", "PolicyLoadError", "PolicyStore", "load_policy"]


def __getattr__(name: str) -> Any:
    # The loader (and YAML) only when a policy is read from its file: a process answering
    # from the compiled-policy cache (the command hook, once per tool call) never pays for it.
    if name == "load_policy":
        from enforcement_agent.policy.loader import load_policy

        return load_policy
    raise AttributeError(name)
