"""Telemetry that goes nowhere, for a process that only decides and records (a hook process).

A command hook lives for one tool call and has no metric reader or span exporter, so the
OpenTelemetry SDK would only cost start-up time. Decisions are still recorded (the decision
log is not telemetry); long-lived processes use ``telemetry.setup_telemetry``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any, Protocol


class _Redacts(Protocol):
    def redact_text(self, text: str) -> str: ...


class _Instrument:
    def add(self, amount: float, attributes: Mapping[str, Any] | None = None) -> None:
        del amount, attributes

    def record(self, amount: float, attributes: Mapping[str, Any] | None = None) -> None:
        del amount, attributes


class _Span:
    def set_attributes(self, attributes: Mapping[str, Any]) -> None:
        del attributes

    def set_status(self, status: Any) -> None:
        del status


class _Tracer:
    @contextlib.contextmanager
    def start_as_current_span(self, name: str) -> Iterator[_Span]:
        del name
        yield _Span()


class NullTelemetry:
    """The agent's telemetry interface, with every span and measurement dropped."""

    def __init__(self, redactor: _Redacts) -> None:
        self.redactor = redactor
        self.tracer = _Tracer()
        self.tool_calls = _Instrument()
        self.decisions = _Instrument()
        self.fail_closed = _Instrument()
        self.duration = _Instrument()
        self.spool = None

    def labels(self, values: Mapping[str, str]) -> dict[str, str]:
        return {k: self.redactor.redact_text(v) for k, v in values.items()}

    def parent_context(self, tenant: str, session: str | None) -> None:
        """No trace to join: a process that only decides and records emits no spans."""
        return None

    def flush(self) -> None:
        return None

    def shutdown(self) -> None:
        return None
