"""A hook's stdin read within its cap, and the shape of its answer, with nothing else loaded.

A command hook reads its input before it checks its workspace, and the policy, hook and
redaction modules are imported only after that check passed (stop 47: their dataclasses'
methods come from a verified code cache that may be used only then; a refused workspace is
answered without them), so these live apart from
:mod:`enforcement_agent.integrations.claude_hook`, which re-exports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, BinaryIO

HOOK_EVENT = "PreToolUse"

# Hook input larger than this is refused rather than parsed (Claude Code's inputs are small).
MAX_INPUT_BYTES = 4 * 1024 * 1024


def read_hook_input(stream: BinaryIO) -> bytes:
    """At most ``MAX_INPUT_BYTES + 1`` bytes of ``stream``: anything longer is refused by
    ``parse_hook_input`` without the rest ever being held in memory (eleventh pass: the
    process hook read all of stdin first, so a 2 GB tool input cost 2 GB before the cap)."""
    chunks: list[bytes] = []
    left = MAX_INPUT_BYTES + 1
    while left > 0:
        chunk = stream.read(min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def hook_output(
    verdict: str, reason: str, updated_input: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    inner: dict[str, Any] = {
        "hookEventName": HOOK_EVENT,
        "permissionDecision": verdict,
        "permissionDecisionReason": reason,
    }
    if updated_input is not None:
        inner["updatedInput"] = dict(updated_input)
    return {"hookSpecificOutput": inner}
