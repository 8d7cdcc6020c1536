"""OTLP/JSON spool lines built by hand (independently of the encoder under test)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BASE_NS = 1_764_000_000_000_000_000


def any_value(v: Any) -> dict[str, Any]:
    if isinstance(v, bool):
        return {"boolValue": v}
    if isinstance(v, int):
        return {"intValue": str(v)}
    if isinstance(v, float):
        return {"doubleValue": v}
    if isinstance(v, RawValue):
        return v.value
    return {"stringValue": v}


class RawValue:
    """An AnyValue written exactly as given (to forge wrong types)."""

    def __init__(self, value: dict[str, Any]) -> None:
        self.value = value


def span_attrs(n: int, tenant: str = "acme", **attrs: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "gonogo.tenant_id": tenant,
        "gonogo.actor": "agent-1",
        "gonogo.role": "contributor",
        "gonogo.tool": "exec",
        "gonogo.decision": "allow",
        "gonogo.rule": "exec.allow.dev-tools",
        "gonogo.decision_id": f"d{n}",
        "gonogo.outcome": "success",
        "gonogo.duration_ms": 12.5,
        "gonogo.exit_code": 0,
    }
    base.update(attrs)
    return {k: v for k, v in base.items() if v is not None}


def otlp_line(n: int, tenant: str = "acme", **attrs: Any) -> str:
    """One ExportTraceServiceRequest line holding span number ``n`` (ids derived from n)."""
    a = span_attrs(n, tenant, **attrs)
    return json.dumps(
        {
            "resourceSpans": [
                {
                    "resource": {
                        "attributes": [{"key": "service.name", "value": {"stringValue": "test"}}]
                    },
                    "scopeSpans": [
                        {
                            "scope": {"name": "gonogo.enforcement_agent"},
                            "spans": [
                                {
                                    "traceId": f"{n + 1:032x}",
                                    "spanId": f"{n + 1:016x}",
                                    "name": "tool_call exec",
                                    "kind": 1,
                                    "startTimeUnixNano": str(BASE_NS + n),
                                    "endTimeUnixNano": str(BASE_NS + n + 100_000_000),
                                    "attributes": [
                                        {"key": k, "value": any_value(v)} for k, v in a.items()
                                    ],
                                    "status": {"code": 0},
                                }
                            ],
                        }
                    ],
                }
            ]
        }
    )


def write_segment(spool: Path, name: str, lines: list[str], *, newline_at_end: bool = True) -> Path:
    spool.mkdir(parents=True, exist_ok=True)
    p = spool / name
    p.write_text("\n".join(lines) + ("\n" if newline_at_end else ""))
    return p
