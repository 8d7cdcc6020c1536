"""OpenTelemetry as collectors expect it (issue 11): the standard environment variables point
a real `gonogo` process at a local OTLP/HTTP receiver, which gets the spans, redacted, with
the service and resource the variables name and the trace the caller's context names."""

from __future__ import annotations

import gzip
import os
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from enforcement_agent.spool import read_spans

GONOGO = Path(sys.executable).with_name("gonogo")
TOKEN = "ghp_" + "A1b2C3d4" * 4 + "Zz9Y"  # a GitHub token shape, built at runtime


class Receiver:
    """A tiny OTLP/HTTP (protobuf) trace receiver on 127.0.0.1."""

    def __init__(self) -> None:
        self.requests: list[ExportTraceServiceRequest] = []
        self.paths: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                if self.headers.get("content-encoding") == "gzip":
                    body = gzip.decompress(body)
                outer.paths.append(self.path)
                outer.requests.append(ExportTraceServiceRequest.FromString(body))
                reply = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("content-type", "application/x-protobuf")
                self.send_header("content-length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *_args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def spans(self) -> list[tuple[dict[str, str], object]]:
        out = []
        for req in self.requests:
            for rs in req.resource_spans:
                res = {kv.key: kv.value.string_value for kv in rs.resource.attributes}
                for ss in rs.scope_spans:
                    out += [(res, span) for span in ss.spans]
        return out

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


def _run(tmp_path: Path, extra_env: dict[str, str], actor: str) -> subprocess.CompletedProcess[str]:
    ws = tmp_path / "ws"
    ws.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_") and k != "TRACEPARENT"}
    env.update({"GONOGO_HOME": str(tmp_path / "home"), **extra_env})
    return subprocess.run(
        [str(GONOGO), "agent", "exec", "--tenant", "acme", "--role", "contributor",
         "--workspace", str(ws), "--actor", actor, "--", "rm", "-rf", "/"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_otlp_receiver_gets_redacted_spans_in_the_callers_trace(
    tmp_path: Path, receiver: Receiver
) -> None:
    trace_id, parent_id = secrets.token_hex(16), secrets.token_hex(8)
    proc = _run(
        tmp_path,
        {
            "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url,
            "OTEL_SERVICE_NAME": "gonogo-under-test",
            "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=test,team=reliability",
            "TRACEPARENT": f"00-{trace_id}-{parent_id}-01",
        },
        actor=f"agent {TOKEN}",
    )
    assert proc.returncode == 126, proc.stderr  # denied: the span still reports the call
    spans = receiver.spans()
    assert receiver.paths == ["/v1/traces"] and len(spans) == 1
    res, span = spans[0]
    assert res["service.name"] == "gonogo-under-test"
    assert res["deployment.environment"] == "test" and res["team"] == "reliability"
    assert span.trace_id.hex() == trace_id and span.parent_span_id.hex() == parent_id
    attrs = {kv.key: kv.value for kv in span.attributes}
    assert attrs["gonogo.decision"].string_value == "deny"
    assert attrs["gen_ai.tool.name"].string_value == "exec"
    actor = attrs["gonogo.actor"].string_value
    assert TOKEN not in actor and "[REDACTED:" in actor
    assert TOKEN not in b"".join(r.SerializeToString() for r in receiver.requests).decode("latin-1")
    # The spool (the evidence) got the same span, in the same trace, also redacted.
    (spooled,) = list(read_spans(tmp_path / "home" / "spool"))
    assert spooled.trace_id == trace_id and spooled.span_id == span.span_id.hex()
    assert TOKEN not in str(spooled.attributes)


def test_traces_endpoint_variable_is_used_as_is(tmp_path: Path, receiver: Receiver) -> None:
    proc = _run(
        tmp_path,
        {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": f"{receiver.url}/custom/traces"},
        actor="agent-1",
    )
    assert proc.returncode == 126, proc.stderr
    assert receiver.paths == ["/custom/traces"]


def test_exporter_none_sends_nothing_but_the_spool_keeps_the_span(
    tmp_path: Path, receiver: Receiver
) -> None:
    proc = _run(
        tmp_path,
        {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url, "OTEL_TRACES_EXPORTER": "none"},
        actor="agent-1",
    )
    assert proc.returncode == 126, proc.stderr
    assert receiver.requests == []
    assert len(list(read_spans(tmp_path / "home" / "spool"))) == 1


def test_a_sessions_calls_share_one_trace(tmp_path: Path) -> None:
    """Without a caller's context, one trace per (tenant, session): an MCP or hook session."""
    from enforcement_agent.redaction import Redactor
    from enforcement_agent.telemetry import setup_telemetry

    tel = setup_telemetry(Redactor(), spool_dir=tmp_path / "spool", use_env=False)
    ids = []
    for tenant, session in [("acme", "s1"), ("acme", "s1"), ("acme", "s2"), ("globex", "s1")]:
        ctx = tel.parent_context(tenant, session)
        with tel.tracer.start_as_current_span("tool_call read", context=ctx) as span:
            ids.append(span.get_span_context().trace_id)
    tel.shutdown()
    assert ids[0] == ids[1] and len({ids[0], ids[2], ids[3]}) == 3
    assert tel.parent_context("acme", None) is None


def test_the_semantic_convention_names_are_the_packages() -> None:
    """span_schema spells the semconv names (a hook process loads no OpenTelemetry package):
    they must stay what opentelemetry-semantic-conventions says."""
    from opentelemetry.semconv._incubating.attributes import (
        gen_ai_attributes,
        process_attributes,
        session_attributes,
        user_attributes,
    )

    from enforcement_agent import span_schema

    assert span_schema.GEN_AI_OPERATION_NAME == gen_ai_attributes.GEN_AI_OPERATION_NAME
    assert span_schema.GEN_AI_TOOL_NAME == gen_ai_attributes.GEN_AI_TOOL_NAME
    assert (
        span_schema.GEN_AI_EXECUTE_TOOL
        == gen_ai_attributes.GenAiOperationNameValues.EXECUTE_TOOL.value
    )
    assert span_schema.PROCESS_EXIT_CODE == process_attributes.PROCESS_EXIT_CODE
    assert span_schema.SESSION_ID == session_attributes.SESSION_ID
    assert span_schema.USER_ID == user_attributes.USER_ID
