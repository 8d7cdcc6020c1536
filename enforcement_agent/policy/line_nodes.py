"""The nodes a policy file loads into: mappings and lists that know their lines.

Kept apart from the YAML loader (``yaml_lines``) because compiled policies hold them: a process
that reads a compiled policy from the cache must not have to import YAML to unpickle it.
"""

from __future__ import annotations

from typing import Any


class LineDict(dict[str, Any]):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


def line_of(data: Any, key: str | int | None = None) -> int | None:
    """Best-known line of ``data`` (or of one of its keys/items)."""
    if isinstance(data, LineDict):
        if isinstance(key, str) and key in data.key_lines:
            return data.key_lines[key]
        return data.line or None
    if isinstance(data, LineList):
        if isinstance(key, int) and 0 <= key < len(data.item_lines):
            return data.item_lines[key]
        return data.line or None
    return None
