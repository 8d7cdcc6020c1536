"""OpenTelemetry for the enforcement agent: one span per tool call, metrics, the spool.

Every exporter sits behind the redactor: nothing leaves the process unredacted.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from opentelemetry.metrics import (
    CallbackOptions,
    Counter,
    Histogram,
    Meter,
    ObservableGauge,
    Observation,
)
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter
from opentelemetry.trace import Tracer

from enforcement_agent.redaction import RedactingSpanExporter, Redactor
from enforcement_agent.sandbox.concurrency import LIMITER, ConcurrencyLimiter
from enforcement_agent.spool import SpoolSpanExporter

SERVICE_NAME = "gonogo-enforcement-agent"
# Buckets in seconds: tool calls range from sub-millisecond decisions to minute-long test runs.
DURATION_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


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

    def labels(self, values: Mapping[str, str]) -> dict[str, str]:
        # Metric labels leave the process too; they pass the redactor like everything else.
        return {k: self.redactor.redact_text(v) for k, v in values.items()}

    def flush(self) -> None:
        self.tracer_provider.force_flush()

    def shutdown(self) -> None:
        self.tracer_provider.shutdown()
        self.meter_provider.shutdown()


def setup_telemetry(
    redactor: Redactor,
    *,
    spool_dir: Path | None,
    extra_exporters: Sequence[SpanExporter] = (),
    metric_readers: Sequence[MetricReader] = (),
    resource: Mapping[str, str] | None = None,
    limiter: ConcurrencyLimiter | None = None,
    replica: str | None = None,
) -> Telemetry:
    """Build tracer and meter providers whose every exporter is wrapped by the redactor.

    ``limiter`` feeds the queue-lag gauge; the process-wide one (what the sandbox uses) by
    default.
    """
    res = Resource.create(
        {
            "service.name": SERVICE_NAME,
            **({"service.instance.id": replica} if replica else {}),
            **(resource or {}),
        }
    )
    tracer_provider = TracerProvider(resource=res)
    spool = SpoolSpanExporter(spool_dir, replica=replica) if spool_dir is not None else None
    for exporter in [*([spool] if spool else []), *extra_exporters]:
        tracer_provider.add_span_processor(
            SimpleSpanProcessor(RedactingSpanExporter(exporter, redactor=redactor))
        )
    meter_provider = MeterProvider(resource=res, metric_readers=list(metric_readers))
    meter = meter_provider.get_meter("gonogo.enforcement_agent")
    return Telemetry(
        tracer=tracer_provider.get_tracer("gonogo.enforcement_agent"),
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
    )


GaugeCallback = Callable[[CallbackOptions], Iterable[Observation]]


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _ops_gauges(
    meter: Meter, redactor: Redactor, limiter: ConcurrencyLimiter
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
