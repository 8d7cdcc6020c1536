"""Secrets redaction at every egress: detectors, known values, decoders, streams, adapters.

``get_redactor()`` is the process-wide instance every egress uses; ``configure_redactor`` replaces
it (tests, the demo, a deployment with its own key or known secrets).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from enforcement_agent.redaction.redactor import (
    ERROR_MARKER,
    RedactionError,
    Redactor,
    StreamRedactor,
)

if TYPE_CHECKING:
    from enforcement_agent.redaction.logging_filter import (
        RedactingLogFilter,
        install_logging_redaction,
    )
    from enforcement_agent.redaction.otel import (
        RedactingLogRecordProcessor,
        RedactingSpanExporter,
    )

# The logging and OpenTelemetry adapters load on first use: a process that only redacts (a hook,
# once per tool call) does not import the OpenTelemetry SDK for them.
_ADAPTERS = {
    "RedactingLogFilter": "logging_filter",
    "install_logging_redaction": "logging_filter",
    "RedactingLogRecordProcessor": "otel",
    "RedactingSpanExporter": "otel",
}

__all__ = [
    "ERROR_MARKER",
    "RedactingLogRecordProcessor",
    "RedactingLogFilter",
    "RedactingSpanExporter",
    "RedactionError",
    "Redactor",
    "StreamRedactor",
    "configure_redactor",
    "get_redactor",
    "install_logging_redaction",
]

_lock = threading.Lock()
_instance: Redactor | None = None


def get_redactor() -> Redactor:
    """The process-wide redactor (built on first use from the environment's key)."""
    global _instance
    with _lock:
        if _instance is None:
            _instance = Redactor()
        return _instance


def configure_redactor(known_secrets: Iterable[str] = (), key: bytes | None = None) -> Redactor:
    """Replace the process-wide redactor (e.g. with the deployment's known secrets)."""
    global _instance
    redactor = Redactor(known_secrets=known_secrets, key=key)
    with _lock:
        _instance = redactor
    return redactor


def __getattr__(name: str) -> Any:
    module = _ADAPTERS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
