"""Redaction at the report egress: everything rendered passes the project's redactor.

The redactor lives in ``enforcement_agent.redaction``. When that module is not installed the
text passes unchanged and `redactor_available()` says so (reports state it); when it is
installed and fails, the error propagates: a report is never written unredacted by accident.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol


class _Redactor(Protocol):
    def redact_text(self, text: str) -> str: ...


@cache
def _redactor() -> _Redactor | None:
    try:
        from enforcement_agent.redaction import get_redactor
    except ImportError:
        return None
    r: Any = get_redactor()
    return r  # type: ignore[no-any-return]


def redactor_available() -> bool:
    return _redactor() is not None


def redact_text(text: str) -> str:
    r = _redactor()
    return r.redact_text(text) if r is not None else text
