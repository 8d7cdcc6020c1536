"""Egress adapters with real SDKs: Python logging and OpenTelemetry spans/logs."""

from __future__ import annotations

import io
import logging

from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Status, StatusCode

from enforcement_agent.redaction import (
    RedactingLogFilter,
    RedactingLogRecordProcessor,
    RedactingSpanExporter,
)
from tests.redaction.helpers import aws_key_id, github_token, redactor, slack_token

R = redactor()


def _logger(name: str) -> tuple[logging.Logger, io.StringIO]:
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s %(extra_field)s"))
    handler.addFilter(RedactingLogFilter(R))
    log = logging.getLogger(name)
    log.handlers[:] = [handler]
    log.propagate = False
    log.setLevel(logging.DEBUG)
    return log, buf


def test_logging_filter_redacts_message_args_extra_and_traceback() -> None:
    log, buf = _logger("gonogo.test.redaction")
    gh, aws, sl = github_token(51), aws_key_id(52), slack_token(53)
    log.info("calling with %s", gh, extra={"extra_field": {"token": "plain-value-1", "k": aws}})
    try:
        raise ValueError(f"bad credential {sl}")
    except ValueError:
        log.exception("failed", extra={"extra_field": "-"})
    text = buf.getvalue()
    for secret in (gh, aws, sl, "plain-value-1"):
        assert secret not in text
    assert "ValueError" in text and "[REDACTED:" in text


def test_span_exporter_redacts_every_field() -> None:
    gh, aws, sl = github_token(54), aws_key_id(55), slack_token(56)
    sink = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"deploy.token": gh, "service.name": "t"}))
    provider.add_span_processor(SimpleSpanProcessor(RedactingSpanExporter(sink, redactor=R)))
    tracer = provider.get_tracer("t")
    with tracer.start_as_current_span(f"tool_call exec {aws}") as span:
        span.set_attribute("gonogo.command", f"curl -H 'Authorization: Bearer {gh}' x")
        span.set_attribute("gonogo.args", [f"--token={sl}", "ok"])
        span.set_attribute("gonogo.exit_code", 0)
        span.add_event("output", {"chunk": f"SLACK={sl}"})
        span.set_status(Status(StatusCode.ERROR, f"denied: {gh}"))
    (out,) = sink.get_finished_spans()
    blob = repr(
        (
            out.name,
            dict(out.attributes or {}),
            out.events,
            out.status.description,
            dict(out.resource.attributes),
        )
    )
    for secret in (gh, aws, sl):
        assert secret not in blob
    assert out.attributes is not None and out.attributes["gonogo.exit_code"] == 0
    assert out.attributes["gonogo.args"][1] == "ok"
    assert out.events[0].attributes is not None
    assert out.resource.attributes["service.name"] == "t"


def test_unwrapped_exporter_would_leak() -> None:
    """The control: without the wrapper the same span carries the secret (the test can fail)."""
    gh = github_token(57)
    sink = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(sink))
    with provider.get_tracer("t").start_as_current_span("x") as span:
        span.set_attribute("cmd", gh)
    assert gh in repr(dict(sink.get_finished_spans()[0].attributes or {}))


def test_log_record_processor_redacts_body_and_attributes() -> None:
    gh = github_token(58)
    sink = InMemoryLogRecordExporter()
    provider = LoggerProvider()
    provider.add_log_record_processor(RedactingLogRecordProcessor(R))
    provider.add_log_record_processor(SimpleLogRecordProcessor(sink))
    from opentelemetry.sdk._logs import LoggingHandler

    log = logging.getLogger("gonogo.test.otel-logs")
    log.handlers[:] = [LoggingHandler(logger_provider=provider)]
    log.propagate = False
    log.warning("token is %s", gh, extra={"api_key": "plainvalue123"})
    provider.force_flush()
    records = sink.get_finished_logs()
    assert records
    blob = repr([(r.log_record.body, dict(r.log_record.attributes or {})) for r in records])
    assert gh not in blob and "plainvalue123" not in blob


def test_install_logging_redaction_covers_loggers_created_later() -> None:
    from enforcement_agent.redaction.logging_filter import (
        install_logging_redaction,
        uninstall_logging_redaction,
    )

    buf = io.StringIO()
    root = logging.getLogger("gonogo.test.install")
    root.handlers[:] = [logging.StreamHandler(buf)]
    root.propagate = False
    root.setLevel(logging.INFO)
    install_logging_redaction(R, logger=root)
    try:
        child = logging.getLogger("gonogo.test.install.child")  # created after installing
        secret = github_token(59)
        child.info("pushing with %s", secret)
        child.warning("db password=%s", "plainvalue-42")
    finally:
        uninstall_logging_redaction()
    text = buf.getvalue()
    assert secret not in text and "plainvalue-42" not in text
    assert text.count("[REDACTED:") == 2
