"""OpenTelemetry for the enforcement agent: one span per tool call, metrics, the spool.

Every exporter sits behind the redactor: nothing leaves the process unredacted. Besides the
spool (always on: it is the evidence), the standard SDK variables choose exporters:
``OTEL_TRACES_EXPORTER`` (``otlp``, ``console``, ``none``; unset means ``otlp`` when an
``OTEL_EXPORTER_OTLP_ENDPOINT``/``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` is set), the OTLP
exporter's own endpoint, header and timeout variables, ``OTEL_SERVICE_NAME`` and
``OTEL_RESOURCE_ATTRIBUTES``. The first provider a process builds is registered globally.

Trace context: a tool call's span joins the trace active in the caller's context (the HTTP
gateway extracts ``traceparent``), else the process's ``TRACEPARENT`` environment variable,
else a trace derived from the tenant and session id, so a session's calls share one trace.
"""

from __future__ import annotations

import collections
import hashlib
import logging
import os
import socket
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from opentelemetry import context as otel_context
from opentelemetry import metrics as otel_metrics
from opentelemetry import propagate
from opentelemetry import trace as otel_trace
from opentelemetry.metrics import (
    CallbackOptions,
    Counter,
    Histogram,
    Meter,
    ObservableCounter,
    ObservableGauge,
    Observation,
)
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader
from opentelemetry.sdk.resources import SERVICE_NAME as SERVICE_NAME_KEY
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags, Tracer

from enforcement_agent.redaction import RedactingSpanExporter, Redactor
from enforcement_agent.sandbox.concurrency import LIMITER, SlotBackend
from enforcement_agent.span_schema import SCOPE_NAME
from enforcement_agent.spool import SpoolSpanExporter

SERVICE_NAME = "gonogo-enforcement-agent"
# Buckets in seconds: tool calls range from sub-millisecond decisions to minute-long test runs.
DURATION_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
TRACEPARENT_ENV = "TRACEPARENT"
TRACESTATE_ENV = "TRACESTATE"

log = logging.getLogger("gonogo.telemetry")


@dataclass
class Telemetry:
    """The handles the agent needs; ``shutdown`` closes the spool segment."""

    tracer: Tracer
    tracer_provider: TracerProvider
    meter_provider: MeterProvider
    tool_calls: Counter
    decisions: Counter
    fail_closed: Counter
    duration: Histogram
    spool: SpoolSpanExporter | None
    redactor: Redactor
    # Operational gauges (queue lag, worker heartbeat), read at each collection.
    ops_gauges: tuple[ObservableGauge, ...] = field(default=())
    # Spool counters (spans written, dropped, write errors) and the buffered-spans gauge.
    spool_instruments: tuple[ObservableCounter | ObservableGauge, ...] = field(default=())
    # The trace context this process was started in (``TRACEPARENT``), if any.
    process_context: otel_context.Context | None = None
    exporters: tuple[str, ...] = ()

    def labels(self, values: Mapping[str, str]) -> dict[str, str]:
        # Metric labels leave the process too; they pass the redactor like everything else.
        return {k: self.redactor.redact_text(v) for k, v in values.items()}

    def parent_context(self, tenant: str, session: str | None) -> otel_context.Context | None:
        """The context a tool call's span starts in: the caller's active trace, else the
        process's ``TRACEPARENT``, else one trace per (tenant, session); None: a new trace."""
        current = otel_trace.get_current_span().get_span_context()
        if current.is_valid:
            return None  # the active context already has a parent
        if self.process_context is not None:
            return self.process_context
        if session:
            return session_context(tenant, session)
        return None

    def flush(self) -> None:
        self.tracer_provider.force_flush()

    def shutdown(self) -> None:
        self.tracer_provider.shutdown()
        self.meter_provider.shutdown()


def session_context(tenant: str, session: str) -> otel_context.Context:
    """A remote parent shared by every call of one session: its trace id (and the parent span
    id) are derived from the tenant and session id, so the calls land in one trace."""
    digest = hashlib.sha256(f"{tenant}\0{session}".encode()).digest()
    trace_id = int.from_bytes(digest[:16], "big") or 1
    span_id = int.from_bytes(digest[16:24], "big") or 1
    parent = SpanContext(
        trace_id, span_id, is_remote=True, trace_flags=TraceFlags(TraceFlags.SAMPLED)
    )
    return otel_trace.set_span_in_context(NonRecordingSpan(parent), otel_context.Context())


def _env_context() -> otel_context.Context | None:
    carrier = {k.lower(): v for k in (TRACEPARENT_ENV, TRACESTATE_ENV) if (v := os.environ.get(k))}
    if "traceparent" not in carrier:
        return None
    ctx = propagate.extract(carrier, context=otel_context.Context())
    return ctx if otel_trace.get_current_span(ctx).get_span_context().is_valid else None


def resource_from_env(extra: Mapping[str, str] | None = None) -> Resource:
    """``OTEL_RESOURCE_ATTRIBUTES`` and ``OTEL_SERVICE_NAME`` (the SDK's detector), then
    ``extra``; the service is named gonogo's unless the environment names it."""
    res = Resource.create(dict(extra or {}))
    if str(res.attributes.get(SERVICE_NAME_KEY, "")).startswith("unknown_service"):
        res = res.merge(Resource({SERVICE_NAME_KEY: SERVICE_NAME}))
    return res


def env_exporters() -> list[tuple[str, SpanExporter]]:
    """The span exporters the standard environment variables ask for (besides the spool)."""
    raw = os.environ.get("OTEL_TRACES_EXPORTER")
    if raw is None:
        endpoint = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or os.environ.get(
            "OTEL_EXPORTER_OTLP_ENDPOINT"
        )
        names = ["otlp"] if endpoint else []
    else:
        names = [n.strip().lower() for n in raw.split(",") if n.strip()]
    out: list[tuple[str, SpanExporter]] = []
    for name in names:
        if name == "none":
            return []
        if name == "otlp":
            protocol = (
                os.environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
                or os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL")
                or "http/protobuf"
            )
            if protocol != "http/protobuf":
                log.warning("OTLP protocol %r is not installed; using http/protobuf", protocol)
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            out.append(("otlp", OTLPSpanExporter()))
        elif name == "console":
            out.append(("console", ConsoleSpanExporter(out=sys.stderr)))
        else:
            log.warning("OTEL_TRACES_EXPORTER: unknown exporter %r ignored", name)
    return out


def _register_globally(tracer_provider: TracerProvider, meter_provider: MeterProvider) -> None:
    """Make the first providers of the process the global ones (the API allows one each)."""
    if isinstance(otel_trace.get_tracer_provider(), otel_trace.ProxyTracerProvider):
        otel_trace.set_tracer_provider(tracer_provider)
    if type(otel_metrics.get_meter_provider()).__name__ == "_ProxyMeterProvider":
        otel_metrics.set_meter_provider(meter_provider)


def setup_telemetry(
    redactor: Redactor,
    *,
    spool_dir: Path | None,
    extra_exporters: Sequence[SpanExporter] = (),
    metric_readers: Sequence[MetricReader] = (),
    resource: Mapping[str, str] | None = None,
    limiter: SlotBackend | None = None,
    use_env: bool = True,
    replica: str | None = None,
) -> Telemetry:
    """Build tracer and meter providers whose every exporter is wrapped by the redactor.

    ``limiter`` feeds the queue-lag gauge; the process-wide one (what the sandbox uses) by
    default. ``use_env`` adds the exporters and parent context the OTel variables name.
    ``replica`` (a gateway replica sharing the state directory) writes its own spool segments
    and names the resource's ``service.instance.id``.
    """
    # A replica names itself (service.instance.id) unless the environment already does.
    extra = {**({"service.instance.id": replica} if replica else {}), **(resource or {})}
    res = resource_from_env(extra)
    tracer_provider = TracerProvider(resource=res)
    spool = SpoolSpanExporter(spool_dir, replica=replica) if spool_dir is not None else None
    for exporter in [*([spool] if spool else []), *extra_exporters]:
        # Synchronous: the spool line is on disk when the call returns (evidence first).
        tracer_provider.add_span_processor(
            SimpleSpanProcessor(RedactingSpanExporter(exporter, redactor=redactor))
        )
    named = env_exporters() if use_env else []
    for _name, exporter in named:
        # Batched: a collector's network round trip never sits on the tool call's path.
        tracer_provider.add_span_processor(
            BatchSpanProcessor(RedactingSpanExporter(exporter, redactor=redactor))
        )
    meter_provider = MeterProvider(resource=res, metric_readers=list(metric_readers))
    _register_globally(tracer_provider, meter_provider)
    meter = meter_provider.get_meter("gonogo.enforcement_agent")
    return Telemetry(
        tracer=tracer_provider.get_tracer(SCOPE_NAME),
        tracer_provider=tracer_provider,
        meter_provider=meter_provider,
        tool_calls=meter.create_counter(
            "gonogo.tool_calls",
            unit="1",
            description="Tool calls by tenant, tool, decision, outcome",
        ),
        decisions=meter.create_counter(
            "gonogo.policy_decisions", unit="1", description="Policy decisions by tenant and tool"
        ),
        fail_closed=meter.create_counter(
            "gonogo.policy.fail_closed",
            unit="1",
            description="Calls denied because the enforcement path itself failed (fail closed)",
        ),
        duration=meter.create_histogram(
            "gonogo.tool_call.duration",
            unit="s",
            description="Wall time of a tool call, decision to last byte",
            explicit_bucket_boundaries_advisory=list(DURATION_BUCKETS),
        ),
        spool=spool,
        redactor=redactor,
        ops_gauges=_ops_gauges(meter, redactor, limiter or LIMITER),
        spool_instruments=_spool_instruments(meter, spool, redactor) if spool is not None else (),
        process_context=_env_context() if use_env else None,
        exporters=("spool",) * (spool is not None) + tuple(n for n, _ in named),
    )


def _spool_instruments(
    meter: Meter, spool: SpoolSpanExporter, redactor: Redactor
) -> tuple[ObservableCounter | ObservableGauge, ...]:
    """``gonogo_spool_spans_written_total{tenant_id}``, ``…_dropped_total{tenant_id}``,
    ``gonogo_spool_write_errors_total`` and ``gonogo_spool_spans_buffered`` (through the
    Prometheus reader): a spool that cannot be written is seen, never silent."""
    worker = {"tenant_id": "_global", "worker": worker_id()}

    def per_tenant(
        counts: collections.Counter[str],
    ) -> Callable[[CallbackOptions], Iterable[Observation]]:
        def observe(_opts: CallbackOptions) -> Iterable[Observation]:
            return [
                Observation(n, {"tenant_id": redactor.redact_text(t), "worker": worker["worker"]})
                for t, n in sorted(counts.items())
            ]

        return observe

    def scalar(attr: str) -> Callable[[CallbackOptions], Iterable[Observation]]:
        return lambda _opts: [Observation(getattr(spool.stats, attr), worker)]

    return (
        meter.create_observable_counter(
            "gonogo.spool.spans_written",
            callbacks=[per_tenant(spool.stats.written_by_tenant)],
            unit="1",
            description="Spans written to a spool segment by this process, by tenant",
        ),
        meter.create_observable_counter(
            "gonogo.spool.spans_dropped",
            callbacks=[per_tenant(spool.stats.dropped_by_tenant)],
            unit="1",
            description="Spans that never reached the spool (buffer full while it could not be written)",
        ),
        meter.create_observable_counter(
            "gonogo.spool.write_errors",
            callbacks=[scalar("write_errors")],
            unit="1",
            description="Spool writes that failed (disk full, I/O error); their spans are retried",
        ),
        meter.create_observable_gauge(
            "gonogo.spool.spans_buffered",
            callbacks=[scalar("buffered")],
            unit="1",
            description="Spans waiting in memory for the spool to take them",
        ),
    )


GaugeCallback = Callable[[CallbackOptions], Iterable[Observation]]


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _ops_gauges(
    meter: Meter, redactor: Redactor, limiter: SlotBackend
) -> tuple[ObservableGauge, ...]:
    """The gauges the operational alerts read (``gonogo_queue_lag_seconds``,
    ``gonogo_worker_heartbeat_timestamp_seconds`` once through the Prometheus reader)."""

    def queue_lag(_: CallbackOptions) -> Iterable[Observation]:
        return [
            Observation(
                lag, {"tenant_id": redactor.redact_text(t), "queue": redactor.redact_text(q)}
            )
            for (t, q), lag in sorted(limiter.queue_lag().items())
        ]

    worker = worker_id()

    def heartbeat(_: CallbackOptions) -> Iterable[Observation]:
        # Collected only while the process lives: a dead worker's series stops advancing.
        return [Observation(time.time(), {"tenant_id": "_global", "worker": worker})]

    return (
        meter.create_observable_gauge(
            "gonogo.queue_lag",
            callbacks=[queue_lag],
            unit="s",
            description="Age of the oldest call waiting for a concurrency slot, by tenant and queue",
        ),
        meter.create_observable_gauge(
            "gonogo.worker.heartbeat.timestamp",
            callbacks=[heartbeat],
            unit="s",
            description="Unix time at collection, from each long-running agent process",
        ),
    )


def prometheus_reader() -> MetricReader:
    """A reader that serves the meter through prometheus_client's registry (``/metrics``)."""
    from opentelemetry.exporter.prometheus import PrometheusMetricReader

    reader: MetricReader = PrometheusMetricReader()
    return reader
