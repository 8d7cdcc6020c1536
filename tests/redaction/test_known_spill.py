"""A wrapped encoding's next line starts with the last bits of a known secret.

Stop 43, found by the third dumps pass's property test: ``base32 -w 20`` of ``xxxxx<secret>…``
ends a line with the last character that depends on the secret alone, and the next line's
first character holds the secret's last 4 bits and the file's next ones. The forms hold only
the characters of the secret alone, so that line came out as it was. The character is masked
now (``known._spilled``), whole and streamed alike. The other end (a line ending with the first
bits of a secret that the next line holds) is left, as a stream must leave it.
"""

from __future__ import annotations

import base64

import pytest

from benchmarks.perf import probe_known_dumps as probe
from enforcement_agent.redaction import Redactor
from tests.redaction.helpers import streamed

_SECRETS = [b"kZ9qW2xV", b"Ab3dEf9Hk2xx", b"q#4;Lm9!vB2@zR7^kP0&", b"00000123"]
_ENCODINGS = {"base32": base64.b32encode, "base64": base64.b64encode}
_REDACTORS = {s: Redactor(known_secrets=[s.decode()]) for s in _SECRETS}


def _wrapped(encode: object, data: bytes, width: int) -> bytes:
    enc = encode(data)  # type: ignore[operator]
    return b"\n".join(enc[i : i + width] for i in range(0, len(enc), width)) + b"\n"


def _tail_lines(encode: object, secret: bytes, head: int, width: int) -> list[bytes]:
    """Lines of the encoding that change with the secret's last byte alone."""
    out = _wrapped(encode, b"x" * head + secret + probe.TAIL, width).split(b"\n")
    other = secret[:-1] + bytes([secret[-1] ^ 0x01])
    ctl = _wrapped(encode, b"x" * head + other + probe.TAIL, width).split(b"\n")
    return [a for a, b in zip(out, ctl, strict=True) if a != b]


@pytest.mark.parametrize("secret", _SECRETS, ids=lambda s: s.decode()[:6])
@pytest.mark.parametrize("encoding", sorted(_ENCODINGS))
@pytest.mark.parametrize("width", [20, 40, 76])
def test_the_line_holding_the_last_bits_of_a_secret_is_masked(
    secret: bytes, encoding: str, width: int
) -> None:
    encode = _ENCODINGS[encoding]
    r = _REDACTORS[secret]
    for head in range(0, 2 * width):
        data = _wrapped(encode, b"x" * head + secret + probe.TAIL, width)
        whole = r.redact_bytes(data)
        assert b"[REDACTED:known-secret" in whole, (head, data)
        kept = set(whole.split(b"\n"))
        left = [x for x in _tail_lines(encode, secret, head, width) if x in kept]
        assert not left, (encoding, width, head, left)
        for chunk in (7, 64):
            assert streamed(r, data, chunk) == whole, (encoding, width, head, chunk)


def test_encoded_text_without_the_secret_is_unchanged() -> None:
    r = _REDACTORS[_SECRETS[0]]
    for encode in _ENCODINGS.values():
        for width in (20, 64, 76):
            data = _wrapped(encode, bytes(range(256)) * 8 + probe.TAIL, width)
            assert r.redact_bytes(data) == data
    # a plain secret that ends an encoded-looking line masks the next line's first character
    # only; prose after it is untouched
    line = b"token kZ9qW2xV\nthe next line\n"
    assert r.redact_bytes(line).endswith(b"\nthe next line\n")
