"""OpenTelemetry egress: a redacting wrapper for any span exporter and a log-record processor.

Span names, attributes, event names and attributes, link attributes, status descriptions and
resource attributes all pass the redactor before the wrapped exporter sees them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from opentelemetry.sdk._logs import LogRecordProcessor, ReadWriteLogRecord
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import Event, ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.trace import Link, Status

if TYPE_CHECKING:
    from enforcement_agent.redaction.redactor import Redactor


def _default() -> Redactor:
    from enforcement_agent.redaction import get_redactor

    return get_redactor()


def _attrs(redactor: Redactor, attrs: Mapping[str, Any] | None) -> dict[str, Any]:
    if not attrs:
        return {}
    out = redactor.redact_obj(dict(attrs))
    if not isinstance(out, dict):  # the redactor failed closed: drop every attribute value
        return {"gonogo.redaction": "error"}
    # OTel attribute values must be scalars or homogeneous sequences: keep tuples as tuples.
    return {k: tuple(v) if isinstance(v, list) else v for k, v in out.items()}


def redact_span(span: ReadableSpan, redactor: Redactor) -> ReadableSpan:
    events = [
        Event(
            name=redactor.redact_text(e.name),
            attributes=_attrs(redactor, e.attributes),
            timestamp=e.timestamp,
        )
        for e in span.events
    ]
    links = [Link(link.context, _attrs(redactor, link.attributes)) for link in span.links]
    status = span.status
    if status.description:
        status = Status(status.status_code, redactor.redact_text(status.description))
    resource = span.resource
    if resource is not None:
        resource = Resource(_attrs(redactor, resource.attributes), resource.schema_url)
    return ReadableSpan(
        name=redactor.redact_text(span.name),
        context=span.context,
        parent=span.parent,
        resource=resource,
        attributes=_attrs(redactor, span.attributes),
        events=events,
        links=links,
        kind=span.kind,
        status=status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


class RedactingSpanExporter(SpanExporter):
    """Wraps an exporter; nothing reaches it unredacted. A span that cannot be redacted is dropped."""

    def __init__(self, wrapped: SpanExporter, redactor: Redactor | None = None) -> None:
        self.wrapped = wrapped
        self._redactor = redactor

    @property
    def redactor(self) -> Redactor:
        return self._redactor or _default()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        redactor = self.redactor
        clean: list[ReadableSpan] = []
        for span in spans:
            try:
                clean.append(redact_span(span, redactor))
            except Exception:  # noqa: BLE001 - fail closed: the span is dropped, not exported raw
                redactor._failed()
        if not clean:
            return SpanExportResult.SUCCESS if not spans else SpanExportResult.FAILURE
        return self.wrapped.export(clean)

    def shutdown(self) -> None:
        self.wrapped.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return bool(self.wrapped.force_flush(timeout_millis))


class RedactingLogRecordProcessor(LogRecordProcessor):
    """Add first to a LoggerProvider: rewrites body and attributes before any exporter runs."""

    def __init__(self, redactor: Redactor | None = None) -> None:
        self._redactor = redactor

    def on_emit(self, log_record: ReadWriteLogRecord) -> None:
        redactor = self._redactor or _default()
        record = log_record.log_record
        if record.body is not None:
            record.body = redactor.redact_obj(record.body)
        if record.attributes:
            clean = _attrs(redactor, record.attributes)
            record.attributes = clean

    def shutdown(self) -> None:
        return None

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True
