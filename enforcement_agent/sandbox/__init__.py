"""Sandboxed execution: bubblewrap namespaces, seccomp, rlimits, pids and memory cgroups, slots.

Public entry point: :func:`run_sandboxed`. Policy has already decided the command; this
package only contains and limits it.
"""

from enforcement_agent.sandbox.concurrency import LIMITER, ConcurrencyLimiter, LimitReached
from enforcement_agent.sandbox.runner import (
    LAYER_BWRAP,
    LAYER_BWRAP_SECCOMP,
    LAYER_NONE,
    LAYER_WEAK,
    WORKSPACE_IN_SANDBOX,
    ExecResult,
    SandboxUnavailable,
    run_sandboxed,
)

__all__ = [
    "LAYER_BWRAP",
    "LAYER_BWRAP_SECCOMP",
    "LAYER_NONE",
    "LAYER_WEAK",
    "LIMITER",
    "WORKSPACE_IN_SANDBOX",
    "ConcurrencyLimiter",
    "ExecResult",
    "LimitReached",
    "SandboxUnavailable",
    "run_sandboxed",
]
