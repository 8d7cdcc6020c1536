"""The span schema of a tool call: every attribute name, and OTLP/JSON written and parsed.

This module is the one place that spells the attributes of the ``tool_call <tool>`` span
(docs/ARCHITECTURE.md): the ``gonogo.*`` name of each field, the OpenTelemetry semantic
convention name written beside it where one exists (``gen_ai.tool.name``, ``session.id``,
``process.exit.code`` …), its type and its bounds. The agent builds a span's attributes with
`span_attributes`; the spool writes spans with `encode_span_line`; the ingest reads lines with
`parse_line` and turns each span into a ``tool_calls`` row with `tool_call_row`.

Lines are OTLP/JSON: each is one ``ExportTraceServiceRequest`` in the protobuf JSON mapping the
OTLP specification fixes (what the OpenTelemetry file exporter writes and the Collector's
``otlpjsonfile`` receiver reads): ``resourceSpans → scopeSpans → spans``; trace and span ids
as lowercase hex; 64-bit integers (``intValue``, times) as decimal strings; enums as numbers;
attribute values as ``AnyValue`` objects. Parsing is bounded (line size, nesting, spans per
line, string length) and never raises anything but `SpanLineError`, whose message is the
reason a quarantine row keeps.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from enforcement_agent.models import TOOLS, Outcome, Verdict, valid_tenant

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import ReadableSpan

# OpenTelemetry semantic convention names (opentelemetry-semantic-conventions, incubating),
# spelled here rather than imported so a hook process, which emits no spans, loads no
# OpenTelemetry package; tests/telemetry hold them equal to the package's constants.
GEN_AI_OPERATION_NAME = "gen_ai.operation.name"
GEN_AI_TOOL_NAME = "gen_ai.tool.name"
GEN_AI_EXECUTE_TOOL = "execute_tool"
PROCESS_EXIT_CODE = "process.exit.code"
SESSION_ID = "session.id"
USER_ID = "user.id"

SCOPE_NAME = "gonogo.enforcement_agent"
SPAN_NAME_PREFIX = "tool_call "
# Lines of the first spool format (before OTLP/JSON); still read so an old spool loses nothing.
LEGACY_SCHEMA = "gonogo.span/v1"

MAX_LINE_BYTES = 1024 * 1024
MAX_SPANS_PER_LINE = 10_000
MAX_STRING_CHARS = 8192
_MAX_VALUE_DEPTH = 8
_INT64 = 2**63
_UINT64 = 2**64


class SpanLineError(ValueError):
    """A line or span that cannot become a ``tool_calls`` row; the message is the reason."""


@dataclass(frozen=True)
class SpanField:
    """One field of the tool-call span: its ``tool_calls`` column and attribute names."""

    column: str
    attr: str
    kind: type
    semconv: str | None = None
    required: bool = False
    choices: frozenset[str] | None = None
    minimum: float | None = None
    maximum: float | None = None


_DECISIONS = frozenset(v.value for v in Verdict)
_OUTCOMES = frozenset(o.value for o in Outcome)

FIELDS: tuple[SpanField, ...] = (
    SpanField("tenant_id", "gonogo.tenant_id", str, required=True),
    SpanField("actor", "gonogo.actor", str, semconv=USER_ID),
    SpanField("role", "gonogo.role", str),
    SpanField(
        "tool", "gonogo.tool", str, GEN_AI_TOOL_NAME, required=True, choices=frozenset(TOOLS)
    ),
    SpanField("session_id", "gonogo.session_id", str, semconv=SESSION_ID),
    SpanField("decision", "gonogo.decision", str, required=True, choices=_DECISIONS),
    SpanField("rule", "gonogo.rule", str),
    SpanField("decision_id", "gonogo.decision_id", str),
    SpanField("policy_version", "gonogo.policy_version", str),
    SpanField("destructive", "gonogo.destructive", bool),
    SpanField("outcome", "gonogo.outcome", str, required=True, choices=_OUTCOMES),
    SpanField(
        "exit_code", "gonogo.exit_code", int, PROCESS_EXIT_CODE, minimum=-(2**31), maximum=2**31 - 1
    ),
    SpanField("duration_ms", "gonogo.duration_ms", float, minimum=0.0, maximum=1e12),
    SpanField("bytes_out", "gonogo.bytes_out", int, minimum=0, maximum=_INT64 - 1),
    SpanField("truncated", "gonogo.truncated", bool),
    SpanField("sandbox_layer", "gonogo.sandbox_layer", str),
    SpanField("limit_hit", "gonogo.limit", str),
    SpanField("is_demo", "gonogo.demo", bool),
    # Written by the spool, not the agent: which writer wrote the span and its sequence number
    # there (1, 2, 3 … per writer), so a gap shows a span that never reached the spool.
    SpanField("spool_writer", "gonogo.spool.writer", str),
    SpanField("spool_seq", "gonogo.spool.seq", int, minimum=1, maximum=_INT64 - 1),
)
FIELD_BY_COLUMN = {f.column: f for f in FIELDS}
WRITER_ATTR = FIELD_BY_COLUMN["spool_writer"].attr
TENANT_ATTR = FIELD_BY_COLUMN["tenant_id"].attr
SEQ_ATTR = FIELD_BY_COLUMN["spool_seq"].attr
# The semantic-convention operation of a tool call span.
OPERATION = {GEN_AI_OPERATION_NAME: GEN_AI_EXECUTE_TOOL}
# The tool_calls columns a span fills (tool_call_row's keys), in table order.
ROW_COLUMNS = ("ts", "trace_id", "span_id", *(f.column for f in FIELDS))
LIMIT_TEXT_CHARS = 1024


def span_attributes(values: Mapping[str, Any]) -> dict[str, Any]:
    """The attributes of a tool-call span from column-named values (``None`` is left out):
    each field under its ``gonogo.*`` name and, where one exists, its semantic-convention name."""
    attrs: dict[str, Any] = dict(OPERATION)
    for column, value in values.items():
        f = FIELD_BY_COLUMN[column]  # KeyError: a field the schema does not know
        if value is None:
            continue
        if f.kind is str and isinstance(value, str) and len(value) > LIMIT_TEXT_CHARS:
            value = value[:LIMIT_TEXT_CHARS]
        attrs[f.attr] = value
        if f.semconv:
            attrs[f.semconv] = value
    return attrs


# ---------------------------------------------------------------------------------------
# Writing: a finished span → one OTLP/JSON line


def _any_value(value: Any, depth: int = 0) -> dict[str, Any]:
    if depth > _MAX_VALUE_DEPTH:
        return {"stringValue": "[nested too deep]"}
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"intValue": str(value)}
    if isinstance(value, float):
        if math.isnan(value):
            return {"doubleValue": "NaN"}
        if math.isinf(value):
            return {"doubleValue": "Infinity" if value > 0 else "-Infinity"}
        return {"doubleValue": value}
    if isinstance(value, str):
        return {"stringValue": value}
    if isinstance(value, bytes):
        return {"bytesValue": base64.b64encode(value).decode("ascii")}
    if isinstance(value, Mapping):
        return {"kvlistValue": {"values": _key_values(value, depth + 1)}}
    if isinstance(value, Sequence):
        return {"arrayValue": {"values": [_any_value(v, depth + 1) for v in value]}}
    if value is None:
        return {}
    return {"stringValue": str(value)}


def _key_values(attrs: Mapping[str, Any] | None, depth: int = 0) -> list[dict[str, Any]]:
    return [{"key": str(k), "value": _any_value(v, depth)} for k, v in (attrs or {}).items()]


def _hex(value: int, width: int) -> str:
    return format(value, f"0{width}x")


def encode_span(span: ReadableSpan, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The OTLP/JSON ``Span`` of a finished SDK span, with ``extra`` attributes added."""
    ctx = span.get_span_context()
    out: dict[str, Any] = {
        "traceId": _hex(ctx.trace_id, 32) if ctx else "",
        "spanId": _hex(ctx.span_id, 16) if ctx else "",
        "name": span.name,
        # The SDK numbers SpanKind from 0 (INTERNAL); OTLP from 1 (0 is UNSPECIFIED).
        "kind": span.kind.value + 1,
        "startTimeUnixNano": str(span.start_time or 0),
        "endTimeUnixNano": str(span.end_time or 0),
        "attributes": _key_values({**dict(span.attributes or {}), **(extra or {})}),
        "status": {"code": span.status.status_code.value},
    }
    if span.parent is not None:
        out["parentSpanId"] = _hex(span.parent.span_id, 16)
    if span.status.description:
        out["status"]["message"] = span.status.description
    if span.events:
        out["events"] = [
            {
                "timeUnixNano": str(e.timestamp),
                "name": e.name,
                "attributes": _key_values(e.attributes),
            }
            for e in span.events
        ]
    if span.links:
        out["links"] = [
            {
                "traceId": _hex(link.context.trace_id, 32),
                "spanId": _hex(link.context.span_id, 16),
                "attributes": _key_values(link.attributes),
            }
            for link in span.links
        ]
    return out


def encode_span_line(span: ReadableSpan, extra: Mapping[str, Any] | None = None) -> bytes:
    """One JSON line: an ``ExportTraceServiceRequest`` holding this one span."""
    scope = span.instrumentation_scope
    scope_json: dict[str, Any] = {"name": scope.name if scope else SCOPE_NAME}
    if scope and scope.version:
        scope_json["version"] = scope.version
    resource = dict(span.resource.attributes) if span.resource else {}
    request = {
        "resourceSpans": [
            {
                "resource": {"attributes": _key_values(resource)},
                "scopeSpans": [{"scope": scope_json, "spans": [encode_span(span, extra)]}],
            }
        ]
    }
    return json.dumps(request, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


# ---------------------------------------------------------------------------------------
# Reading: one line → spans (any producer's OTLP/JSON, and legacy gonogo lines)


@dataclass(frozen=True)
class Span:
    """A span as read back from a line: ids in hex, times in ns, attributes as plain values."""

    trace_id: str
    span_id: str
    parent_span_id: str | None
    name: str
    start_unix_nano: int
    end_unix_nano: int
    status_code: int
    status_message: str
    attributes: Mapping[str, Any]
    resource: Mapping[str, Any]
    scope: str


def _obj(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise SpanLineError(f"{where} is not an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise SpanLineError(f"{where} is not an array")
    return value


def _u64(value: Any, where: str) -> int:
    """A uint64 in the proto3 JSON mapping: a decimal string (or a JSON integer)."""
    if isinstance(value, bool):
        raise SpanLineError(f"{where} is not an integer")
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20:
        out = int(value)
    elif isinstance(value, int):
        out = value
    else:
        raise SpanLineError(f"{where} is not an unsigned 64-bit integer")
    if not 0 <= out < _UINT64:
        raise SpanLineError(f"{where} is out of range")
    return out


def _hex_id(value: Any, width: int, where: str, *, optional: bool = False) -> str | None:
    if optional and (value is None or value == ""):
        return None
    if (
        not isinstance(value, str)
        or len(value) != width
        or not all(c in "0123456789abcdefABCDEF" for c in value)
    ):
        raise SpanLineError(f"{where} is not {width} hex digits")
    if int(value, 16) == 0:
        raise SpanLineError(f"{where} is all zeros (an invalid id)")
    return value.lower()


def _decode_any(value: Any, where: str, depth: int = 0) -> Any:
    if depth > _MAX_VALUE_DEPTH:
        raise SpanLineError(f"{where} is nested deeper than {_MAX_VALUE_DEPTH} levels")
    v = _obj(value, where)
    if not v:
        return None
    if len(v) != 1:
        raise SpanLineError(f"{where} must hold exactly one of the AnyValue fields")
    ((kind, raw),) = v.items()
    if kind == "stringValue":
        if not isinstance(raw, str):
            raise SpanLineError(f"{where}.stringValue is not a string")
        if len(raw) > MAX_STRING_CHARS:
            raise SpanLineError(f"{where}.stringValue is longer than {MAX_STRING_CHARS} chars")
        return raw
    if kind == "boolValue":
        if not isinstance(raw, bool):
            raise SpanLineError(f"{where}.boolValue is not a boolean")
        return raw
    if kind == "intValue":
        if isinstance(raw, bool):
            raise SpanLineError(f"{where}.intValue is not an integer")
        if isinstance(raw, str):
            text = raw[1:] if raw.startswith("-") else raw
            if not (text.isascii() and text.isdigit() and len(text) <= 19):
                raise SpanLineError(f"{where}.intValue is not a 64-bit integer")
            raw = int(raw)
        if not isinstance(raw, int) or not -_INT64 <= raw < _INT64:
            raise SpanLineError(f"{where}.intValue is not a 64-bit integer")
        return raw
    if kind == "doubleValue":
        if isinstance(raw, str) and raw in ("NaN", "Infinity", "-Infinity"):
            return float(raw.replace("Infinity", "inf"))
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise SpanLineError(f"{where}.doubleValue is not a number")
        return float(raw)
    if kind == "bytesValue":
        if not isinstance(raw, str):
            raise SpanLineError(f"{where}.bytesValue is not base64 text")
        try:
            return base64.b64decode(raw, validate=True)
        except ValueError:
            raise SpanLineError(f"{where}.bytesValue is not base64") from None
    if kind == "arrayValue":
        items = _list(_obj(raw, f"{where}.arrayValue").get("values"), f"{where}.arrayValue")
        return [_decode_any(x, f"{where}[{i}]", depth + 1) for i, x in enumerate(items)]
    if kind == "kvlistValue":
        pairs = _list(_obj(raw, f"{where}.kvlistValue").get("values"), f"{where}.kvlistValue")
        return _decode_attrs(pairs, where, depth + 1)
    raise SpanLineError(f"{where} has an unknown AnyValue field {kind[:40]!r}")


def _decode_attrs(pairs: Any, where: str, depth: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i, kv in enumerate(_list(pairs, where)):
        kv = _obj(kv, f"{where}[{i}]")
        key = kv.get("key")
        if not isinstance(key, str) or not key or len(key) > 256:
            raise SpanLineError(f"{where}[{i}].key is missing or not a short string")
        if key in out:
            raise SpanLineError(f"{where}: attribute {key!r} appears twice")
        out[key] = _decode_any(kv.get("value", {}), f"{where}[{key}]", depth)
    return out


def _decode_span(raw: Any, resource: Mapping[str, Any], scope: str, where: str) -> Span:
    s = _obj(raw, where)
    name = s.get("name")
    if not isinstance(name, str) or len(name) > MAX_STRING_CHARS:
        raise SpanLineError(f"{where}.name is missing or not a string")
    status = _obj(s.get("status", {}), f"{where}.status")
    code = status.get("code", 0)
    if isinstance(code, bool) or code not in (0, 1, 2):
        raise SpanLineError(f"{where}.status.code is not 0, 1 or 2")
    message = status.get("message", "")
    if not isinstance(message, str):
        raise SpanLineError(f"{where}.status.message is not a string")
    trace_id = _hex_id(s.get("traceId"), 32, f"{where}.traceId")
    span_id = _hex_id(s.get("spanId"), 16, f"{where}.spanId")
    assert trace_id is not None and span_id is not None
    return Span(
        trace_id=trace_id,
        span_id=span_id,
        parent_span_id=_hex_id(s.get("parentSpanId"), 16, f"{where}.parentSpanId", optional=True),
        name=name,
        start_unix_nano=_u64(s.get("startTimeUnixNano"), f"{where}.startTimeUnixNano"),
        end_unix_nano=_u64(s.get("endTimeUnixNano", 0), f"{where}.endTimeUnixNano"),
        status_code=code,
        status_message=message,
        attributes=_decode_attrs(s.get("attributes"), f"{where}.attributes"),
        resource=resource,
        scope=scope,
    )


def _legacy_span(obj: Mapping[str, Any]) -> Span:
    """A line of the first spool format (``gonogo.span/v1``), so old segments still ingest."""
    attrs = _obj(obj.get("attributes"), "attributes")
    for key, value in attrs.items():
        if isinstance(value, dict | list):
            raise SpanLineError(f"attribute {key} is not a scalar")
    status = obj.get("status") or {}
    code = {"UNSET": 0, "OK": 1, "ERROR": 2}.get(str(_obj(status, "status").get("code")), 0)
    trace_id = _hex_id(obj.get("trace_id"), 32, "trace_id")
    span_id = _hex_id(obj.get("span_id"), 16, "span_id")
    assert trace_id is not None and span_id is not None
    return Span(
        trace_id=trace_id,
        span_id=span_id,
        parent_span_id=_hex_id(obj.get("parent_span_id"), 16, "parent_span_id", optional=True),
        name=str(obj.get("name", "")),
        start_unix_nano=_u64(obj.get("start_unix_nano"), "start_unix_nano"),
        end_unix_nano=_u64(obj.get("end_unix_nano") or 0, "end_unix_nano"),
        status_code=code,
        status_message=str(status.get("description") or ""),
        attributes=dict(attrs),
        resource=dict(_obj(obj.get("resource") or {}, "resource")),
        scope=SCOPE_NAME,
    )


def parse_line(line: bytes | str) -> list[Span]:
    """Every span of one line (raises `SpanLineError` with the reason)."""
    if len(line) > MAX_LINE_BYTES:
        raise SpanLineError(f"line of {len(line)} bytes exceeds the {MAX_LINE_BYTES}-byte bound")
    try:
        obj = json.loads(line)
    except RecursionError:
        raise SpanLineError("JSON nested too deeply") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise SpanLineError(f"not JSON: {str(exc)[:200]}") from None
    if not isinstance(obj, dict):
        raise SpanLineError("line is not a JSON object")
    if obj.get("schema") == LEGACY_SCHEMA:
        return [_legacy_span(obj)]
    if "resourceSpans" not in obj:
        raise SpanLineError("not an OTLP ExportTraceServiceRequest (no resourceSpans)")
    spans: list[Span] = []
    for i, rs in enumerate(_list(obj["resourceSpans"], "resourceSpans")):
        rs = _obj(rs, f"resourceSpans[{i}]")
        res = _obj(rs.get("resource", {}), f"resourceSpans[{i}].resource")
        resource = _decode_attrs(res.get("attributes"), f"resourceSpans[{i}].resource.attributes")
        for j, ss in enumerate(_list(rs.get("scopeSpans"), f"resourceSpans[{i}].scopeSpans")):
            where = f"resourceSpans[{i}].scopeSpans[{j}]"
            ss = _obj(ss, where)
            scope = _obj(ss.get("scope", {}), f"{where}.scope").get("name", "")
            if not isinstance(scope, str):
                raise SpanLineError(f"{where}.scope.name is not a string")
            for k, raw in enumerate(_list(ss.get("spans"), f"{where}.spans")):
                if len(spans) >= MAX_SPANS_PER_LINE:
                    raise SpanLineError(f"more than {MAX_SPANS_PER_LINE} spans in one line")
                spans.append(_decode_span(raw, resource, scope, f"{where}.spans[{k}]"))
    if not spans:
        raise SpanLineError("the line holds no span")
    return spans


def _field_value(attrs: Mapping[str, Any], f: SpanField) -> Any:
    value = attrs.get(f.attr)
    alias = attrs.get(f.semconv) if f.semconv else None
    if value is None:
        value = alias
    elif alias is not None and alias != value:
        raise SpanLineError(f"attribute {f.semconv} disagrees with {f.attr}")
    if value is None:
        if f.required:
            raise SpanLineError(f"missing attribute {f.attr}")
        return None
    kind = type(value).__name__
    if f.kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, f.kind) or (isinstance(value, bool) and f.kind is not bool):
        raise SpanLineError(f"attribute {f.attr} must be {f.kind.__name__}, not {kind}")
    if isinstance(value, float) and not math.isfinite(value):
        raise SpanLineError(f"attribute {f.attr} is not a finite number")
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if number is not None and (
        (f.minimum is not None and number < f.minimum)
        or (f.maximum is not None and number > f.maximum)
    ):
        raise SpanLineError(f"attribute {f.attr} is out of range")
    if f.choices is not None and value not in f.choices:
        raise SpanLineError(f"attribute {f.attr} has an unknown value {str(value)[:64]!r}")
    return value


def tool_call_row(span: Span) -> dict[str, Any]:
    """The ``tool_calls`` row of one span (columns `ROW_COLUMNS`), validated against the schema."""
    if span.start_unix_nano <= 0:
        raise SpanLineError("start time missing")
    row: dict[str, Any] = {
        "ts": datetime.fromtimestamp(span.start_unix_nano / 1e9, UTC),
        "trace_id": span.trace_id,
        "span_id": span.span_id,
    }
    for f in FIELDS:
        row[f.column] = _field_value(span.attributes, f)
    if not valid_tenant(row["tenant_id"]):
        raise SpanLineError(f"invalid tenant id {row['tenant_id'][:64]!r}")
    for flag in ("destructive", "truncated", "is_demo"):
        row[flag] = bool(row[flag])
    row["session_id"] = row["session_id"] or None
    return row


def spool_position(line: bytes | str) -> tuple[str | None, int | None]:
    """Best effort: the spool writer and sequence number a (possibly bad) line carries."""
    try:
        spans = parse_line(line)
        attrs = spans[0].attributes
    except Exception:  # noqa: BLE001 - a bad line may be anything
        return None, None
    writer, seq = attrs.get(WRITER_ATTR), attrs.get(SEQ_ATTR)
    return (
        writer if isinstance(writer, str) else None,
        seq if isinstance(seq, int) and not isinstance(seq, bool) else None,
    )


def tenant_hint(span: Span | None) -> str | None:
    """The tenant a span names, if it is a valid tenant id (so quarantine rows stay scoped)."""
    if span is None:
        return None
    tenant = span.attributes.get(FIELD_BY_COLUMN["tenant_id"].attr)
    return tenant if isinstance(tenant, str) and valid_tenant(tenant) else None
