"""Hypothesis properties: idempotent, never re-emits a planted secret, stream == one pass."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.redaction.helpers import github_token, redactor

R = redactor()
_ALPHABET = st.sampled_from(list("abcXYZ019 =:_-/.\"'\n{}[]@") + ["password=", "token ", "ghp_"])
TEXT = st.lists(_ALPHABET, max_size=60).map("".join)
SECRETS = st.integers(min_value=0, max_value=10_000).map(github_token)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXT)
def test_redaction_is_idempotent(text: str) -> None:
    once = R.redact_text(text)
    assert R.redact_text(once) == once


@FAST
@given(TEXT, SECRETS, TEXT)
def test_planted_secret_never_survives(before: str, secret: str, after: str) -> None:
    out = R.redact_text(f"{before} {secret} {after}")
    assert secret not in out
    assert secret not in R.redact_text(out)


@FAST
@given(TEXT, SECRETS, TEXT, st.lists(st.integers(min_value=1, max_value=40), max_size=8))
def test_stream_equals_whole_text(before: str, secret: str, after: str, cuts: list[int]) -> None:
    data = f"{before}\nexport TOKEN={secret}\n{after}".encode()
    chunks: list[bytes] = []
    pos = 0
    for c in cuts:
        chunks.append(data[pos : pos + c])
        pos += c
    chunks.append(data[pos:])
    stream = type(R.stream())(R, tail=128, batch=1)
    out = b"".join(stream.feed(c) for c in chunks) + stream.flush()
    assert out == R.redact_bytes(data)
    assert secret.encode() not in out


_LINES = st.sampled_from(
    [
        "INFO ok",
        "password =",
        '  "hunter2-real-value";',
        "curl -X POST https://x.example.invalid \\",
        "  -u admin:hunter2-real-value",
        "-----BEGIN RSA PRIV" + "ATE KEY-----",
        "MIIEowIBAAKCAQEA" + "q" * 48,
        "-----END RSA PRIV" + "ATE KEY-----",
        "<secret>",
        "hunter2-real-value</secret>",
        "export TOKEN=",
        "",
    ]
)


@FAST
@given(
    st.lists(_LINES, min_size=1, max_size=12),
    SECRETS,
    st.lists(st.integers(min_value=1, max_value=60), max_size=10),
)
def test_line_release_equals_one_pass(lines: list[str], secret: str, cuts: list[int]) -> None:
    # Multi-line constructs fed in arbitrary pieces: releasing complete lines early never
    # changes the output, and the planted secret never gets out.
    data = ("\n".join(lines) + f"\nnote {secret}\n").encode()
    chunks: list[bytes] = []
    pos = 0
    for c in cuts:
        chunks.append(data[pos : pos + c])
        pos += c
    chunks.append(data[pos:])
    stream = R.stream()
    out = b"".join(stream.feed(c) for c in chunks) + stream.flush()
    assert out == R.redact_bytes(data)
    assert secret.encode() not in out
