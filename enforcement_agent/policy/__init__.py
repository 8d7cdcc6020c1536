"""Policy before every tool call: commands, files, connectors, roles, break-glass.

Public API (other components code against these names)::

    from enforcement_agent.policy import PolicyStore, Policy, load_policy, PolicyLoadError
"""

from __future__ import annotations

from enforcement_agent.policy.engine import Policy
from enforcement_agent.policy.errors import PolicyLoadError
from enforcement_agent.policy.loader import load_policy
from enforcement_agent.policy.store import PolicyStore

__all__ = ["Policy", "PolicyLoadError", "PolicyStore", "load_policy"]
