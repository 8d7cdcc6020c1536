"""On any internal error the payload is dropped, never passed through."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from enforcement_agent.redaction import ERROR_MARKER, RedactingSpanExporter, Redactor
from tests.redaction.helpers import github_token, redactor


class _Boom(RuntimeError):
    pass


def _broken(r: Redactor, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a: object, **_k: object) -> None:
        raise _Boom("engine failure")

    monkeypatch.setattr(r.engine, "spans", boom)


def test_text_bytes_and_objects_are_dropped_on_engine_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    r = redactor()
    _broken(r, monkeypatch)
    secret = github_token(41)
    assert r.redact_text(f"token {secret}") == ERROR_MARKER
    assert r.redact_bytes(secret.encode()) == ERROR_MARKER.encode()
    out = r.redact_obj({"msg": f"token {secret}"})
    assert secret not in repr(out)
    assert r.errors >= 3


def test_stream_drops_everything_after_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    r = redactor()
    s = r.stream()
    _broken(r, monkeypatch)
    secret = github_token(42).encode()
    first = s.feed(b"x" * s.batch + secret)
    assert first == ERROR_MARKER.encode()
    assert s.feed(secret) == b"" and s.flush() == b""


def test_hyperscan_failure_is_fail_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    r = redactor()
    if not r.uses_hyperscan:
        pytest.skip("hyperscan not installed")

    class BadDb:
        def scan(self, *_a: object, **_k: object) -> None:
            raise _Boom("scan failed")

    monkeypatch.setattr(r.engine, "_dbs", lambda: (BadDb(), BadDb()))
    assert r.redact_text("token " + github_token(43)) == ERROR_MARKER


def test_exporter_drops_span_it_cannot_redact(monkeypatch: pytest.MonkeyPatch) -> None:
    r = redactor()
    sink = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(RedactingSpanExporter(sink, redactor=r)))
    monkeypatch.setattr("enforcement_agent.redaction.otel.redact_span", lambda *_a: 1 / 0)
    with provider.get_tracer("t").start_as_current_span("tool_call exec") as span:
        span.set_attribute("gonogo.command", "echo " + github_token(44))
    assert sink.get_finished_spans() == ()


def test_pure_python_engine_matches_hyperscan_engine() -> None:
    fast, slow = redactor(), redactor(use_hyperscan=False)
    text = (
        f"a {github_token(45)} b password=abcdefgh c postgres://u:pw1234567@h/db\n"
        "nothing here\n" + "Z2hwX" + "1" * 10
    )
    assert fast.redact_text(text) == slow.redact_text(text)
