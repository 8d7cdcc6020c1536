"""Ids that infrastructure issues per request or trace (issue 18: clean output comes back
unchanged). A CloudFront ``x-amz-cf-id`` is 56 base64 characters, as random as a bearer token:
it was masked under its id name like a session id. Under a request's or a trace's id name no
value is a credential; a session's, a client's or a user's id stays judged as before, and a
value of a known credential shape is masked under any name. Checked whole, streamed and by the
pure-Python engine."""

from __future__ import annotations

import base64
import random

import pytest

from enforcement_agent.redaction import names
from tests.redaction.helpers import github_token, streamed
from tests.redaction.test_contextual import SLOW, R


def _id(seed: int, n: int = 42) -> str:
    rnd = random.Random(seed)
    return base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(n))).decode()


REQUEST_NAMES = [
    "x-amz-cf-id",
    "X-Amz-Cf-Id",
    "x-amzn-RequestId",
    "x-amzn-requestid",
    "X-Request-ID",
    "x-request-id",
    "request_id",
    "requestId",
    "RequestID",
    "req_id",
    "x-correlation-id",
    "correlationId",
    "trace_id",
    "traceId",
    "x-b3-traceid",
    "span_id",
    "invocation_id",
    "execution-id",
    "cf-ray",
    "traceparent",
]
# Ids that may be credentials: left to the bearer-grade rule, as before.
STILL_JUDGED = ["session_id", "sessionId", "client-id", "client_id", "user_id", "x-session-id"]
SEPARATORS = [": ", "=", " = ", '="', ": '"]


def _line(name: str, sep: str, value: str) -> str:
    close = sep[-1] if sep[-1] in "\"'" else ""
    return f"2026-12-05T10:00:00Z INFO {name}{sep}{value}{close} status=200\n"


@pytest.mark.parametrize("name", REQUEST_NAMES)
def test_a_request_or_trace_id_is_left_alone(name: str) -> None:
    assert names.request_id_name(name.encode())
    for i, sep in enumerate(SEPARATORS):
        data = _line(name, sep, _id(i)).encode()
        assert R.redact_bytes(data) == data, data
        assert SLOW.redact_bytes(data) == data, data
        assert streamed(R, data, 7) == data, data


@pytest.mark.parametrize("name", STILL_JUDGED)
def test_a_session_or_client_id_of_bearer_grade_is_still_masked(name: str) -> None:
    assert not names.request_id_name(name.encode())
    value = _id(99)
    data = _line(name, ": ", value).encode()
    for out in (R.redact_bytes(data), SLOW.redact_bytes(data), streamed(R, data, 7)):
        assert value.encode() not in out, out


@pytest.mark.parametrize("name", REQUEST_NAMES[:6])
def test_a_known_credential_shape_is_masked_under_a_request_id_name(name: str) -> None:
    token = github_token(7)
    data = _line(name, ": ", token).encode()
    for out in (R.redact_bytes(data), SLOW.redact_bytes(data), streamed(R, data, 7)):
        assert token.encode() not in out, out


@pytest.mark.parametrize(
    "name",
    ["request_token", "trace_secret", "x-request-key", "cf-api-key", "span_password", "idtoken"],
)
def test_names_that_only_start_like_a_request_id_are_not_request_ids(name: str) -> None:
    assert not names.request_id_name(name.encode())
    value = _id(5)
    data = _line(name, ": ", value).encode()
    assert value.encode() not in R.redact_bytes(data)
