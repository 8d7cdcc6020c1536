"""Known secrets in transformed forms: what an agent gets by piping a secret through a tool.

``rev .env`` once got a tenant's secret past output redaction. Each case runs the real tool
(coreutils, xxd) over a file holding the secret, then checks the output whole, streamed in
pieces of many sizes, and through ``gonogo redact --known-secrets``.
"""

from __future__ import annotations

import base64
import codecs
import functools
import json
import random
import re
import string
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent.redaction import Redactor
from enforcement_agent.redaction.known import forms
from tests.redaction.helpers import piped, redactor, run_gonogo_redact, streamed

# Secrets of several shapes: symbols base64 uses, spaces, non-ASCII, long, exactly 8 bytes.
SECRETS = (
    "Tenant-DB-pass/2024+x",
    "correct horse battery staple",
    "p@ss:w0rd;with=signs&more",
    "zyxw1234",
    "Ünïcødé-Geheimnis-42",
    "k"
    + "".join(random.Random(7).choice(string.ascii_letters + string.digits) for _ in range(199)),
)
# Where the secret sits in the file: every base64 alignment and then some.
PREFIXES = ("", "x", "xy", "# config\nDB_HOST=db.internal\nDB_PASS=", "APP=1\nTOKEN=")

# (name, shell pipeline reading the file on stdin)
TOOLS = (
    ("rev", "rev"),
    ("tac+rev", "tac | rev"),
    ("rot13", "tr 'A-Za-z' 'N-ZA-Mn-za-m'"),
    ("rot13 reversed", "rev | tr 'A-Za-z' 'N-ZA-Mn-za-m'"),
    ("upper", "tr a-z A-Z"),
    ("lower", "tr A-Z a-z"),
    ("base64", "base64"),
    ("base64 -w0", "base64 -w0"),
    ("base64 -w 64", "base64 -w 64"),
    ("base64url", "basenc --base64url"),
    ("base64url -w0", "basenc --base64url -w0"),
    ("xxd -p", "xxd -p"),
    ("xxd -p -c 256", "xxd -p -c 256"),
    ("hex upper", "xxd -p -u -c 1000"),
    ("od hex", "od -An -v -tx1 | tr -d ' \\n'"),
    (
        "percent",
        f"{sys.executable} -c \"import sys,urllib.parse as u;print(u.quote(sys.stdin.read(),safe=''))\"",
    ),
    (
        "quote_plus",
        f'{sys.executable} -c "import sys,urllib.parse as u;print(u.quote_plus(sys.stdin.read()))"',
    ),
    ("json", f'{sys.executable} -c "import sys,json;print(json.dumps(sys.stdin.read()))"'),
    (
        "json ascii",
        f"{sys.executable} -c \"import sys,json;print(json.dumps({{'v':sys.stdin.read()}}))\"",
    ),
    (
        "\\u escapes",
        f"{sys.executable} -c \"import sys;print(''.join('\\\\\\\\u%04x'%ord(c) for c in sys.stdin.read()))\"",
    ),
    (
        "\\x escapes",
        f"{sys.executable} -c \"import sys;print(''.join('\\\\\\\\x%02x'%b for b in sys.stdin.buffer.read()))\"",
    ),
)
# Two transforms in a row: the decoders undo the encoding, then a form matches the decoded text.
COMPOSED = (
    ("base64 of rev", "rev | base64 -w0"),
    ("hex of rot13", "tr 'A-Za-z' 'N-ZA-Mn-za-m' | xxd -p -c 1000"),
    ("base64url of upper", "tr a-z A-Z | basenc --base64url -w0"),
)


# Built once per module (about 0.2 s of CPU each: the secrets' forms, dump grams and literal
# database) and shared: the tests only read through them (redaction and streams).
@pytest.fixture(scope="module")
def fast() -> Redactor:
    return redactor(known_secrets=SECRETS)


@pytest.fixture(scope="module")
def slow() -> Redactor:
    return redactor(known_secrets=SECRETS, use_hyperscan=False)


def _visible(secret: str, out: bytes) -> list[str]:
    """Forms of ``secret`` still readable in ``out`` (line breaks of wrapped encodings removed)."""
    joined = out.replace(b"\r", b"").replace(b"\n", b"")
    # A placeholder's own text is no form of the secret ("KNOWN-SE" in "[REDACTED:known-secret").
    joined = re.sub(rb"\[REDACTED:[A-Za-z0-9_.\-]+(?::[0-9a-f]{8})?\]", b"\x00", joined)
    found = []
    for text, caseless in _searched_forms(secret):
        hay, needle = (joined.lower(), text.lower()) if caseless else (joined, text)
        if needle in hay:
            found.append(text.decode("utf-8", "replace")[:40])
    return found


@functools.cache
def _searched_forms(secret: str) -> tuple[tuple[bytes, bool], ...]:
    """(text, caseless) of ``secret``'s forms of 8 bytes or more, computed once per secret
    (``forms`` is a pure function of it; computing it at every look cost this module about
    40 % of its time)."""
    return tuple((f.text, f.caseless) for f in forms(secret.encode()) if len(f.text) >= 8)


@pytest.mark.parametrize(("tool", "pipeline"), TOOLS, ids=[t for t, _ in TOOLS])
def test_transformed_known_secret_is_masked_whole_and_streamed(
    fast: Redactor, slow: Redactor, tool: str, pipeline: str
) -> None:
    for secret in SECRETS:
        for prefix in PREFIXES:
            data = f"{prefix}{secret}\nLOG_LEVEL=debug\nREGION=eu-west-1\n".encode()
            out = piped(pipeline, data)
            assert _visible(secret, out), (tool, "the tool did not output a known form")
            whole = fast.redact_bytes(out)
            assert not _visible(secret, whole), (tool, prefix, whole[:300])
            assert not _visible(secret, slow.redact_bytes(out)), (tool, prefix)
            for size in (1, 3, 17, 64, 100, 4096):
                chunked = streamed(fast, out, size)
                assert not _visible(secret, chunked), (tool, prefix, size)
                assert chunked == whole, (tool, prefix, size)


@pytest.mark.parametrize(("tool", "pipeline"), COMPOSED, ids=[t for t, _ in COMPOSED])
def test_two_transforms_in_a_row_are_caught_through_the_decoders(
    fast: Redactor, tool: str, pipeline: str
) -> None:
    r = fast
    for secret in SECRETS[:4]:
        out = piped(pipeline, f"DB_PASS={secret}\nREGION=eu\n".encode()).strip()
        whole = r.redact_bytes(out)
        assert out not in whole and whole.startswith(b"[REDACTED:"), (tool, whole[:100])
        assert streamed(r, out, 7) == whole


def test_every_form_is_listed_for_a_secret() -> None:
    secret = b"Tenant-DB-pass/2024+x"
    texts = {f.text for f in forms(secret)}
    assert secret[::-1] in texts
    assert codecs.encode(secret.decode(), "rot13").encode() in texts
    assert secret.hex().encode() in texts
    assert base64.b64encode(secret) in texts and base64.urlsafe_b64encode(secret) in texts
    assert quote(secret.decode(), safe="").encode() in texts
    assert quote_plus(secret.decode()).encode() in texts
    assert json.dumps(secret.decode())[1:-1].encode() in texts
    # Inside a longer text, at each offset mod 3, a stable run of base64 characters.
    for k in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            encoded = encode(b"p" * k + secret + b"q")
            assert any(f.text in encoded and len(f.text) >= 24 for f in forms(secret)), (k, encode)


def test_short_and_unrelated_text_is_left_alone(fast: Redactor) -> None:
    r = fast
    clean = b"INFO deploy ok\n" + base64.b64encode(b"nothing secret here at all, really") + b"\n"
    assert r.redact_bytes(clean) == clean
    # A value under the minimum length registers nothing.
    assert redactor(known_secrets=["abc"]).redact_bytes(b"abc cba nop") == b"abc cba nop"


def test_a_known_secret_longer_than_the_limit_is_refused(tmp_path: Path) -> None:
    from enforcement_agent.redaction.known import MAX_LENGTH, KnownSecretTooLong

    with pytest.raises(KnownSecretTooLong):
        redactor(known_secrets=["x" * (MAX_LENGTH + 1)])
    f = tmp_path / "known.json"
    f.write_text(json.dumps({"known_secrets": ["y" * (MAX_LENGTH + 1)]}))
    proc = _cli(["--known-secrets", str(f)], b"hello\n", tmp_path)
    assert proc.returncode == 2 and b"known.json" in proc.stderr and proc.stdout == b""
    assert b"Traceback" not in proc.stderr


def test_a_long_known_secret_split_across_chunks_in_its_longest_form() -> None:
    secret = "".join(random.Random(3).choice(string.printable[:94]) for _ in range(3000))
    r = redactor(known_secrets=[secret])
    escaped = "".join(f"\\u{ord(c):04x}" for c in secret).encode()  # 18,000 bytes, one line
    data = b"payload=" + escaped + b" end\n"
    whole = r.redact_bytes(data)
    assert escaped not in whole and escaped[:64] not in whole
    for size in (5000, 8192, 17000):
        assert streamed(r, data, size) == whole


def test_a_multi_line_known_secret_is_not_released_line_by_line() -> None:
    secret = "line-one-of-the-secret\nline-two-of-the-secret"
    r = redactor(known_secrets=[secret])
    data = f"before\n{secret}\nafter\n".encode()
    whole = r.redact_bytes(data)
    assert b"line-one-of-the-secret" not in whole
    assert streamed(r, data, 1) == whole


def _cli(args: list[str], data: bytes, home: Path) -> subprocess.CompletedProcess[bytes]:
    return run_gonogo_redact(args, data, home / "home")


def test_gonogo_redact_masks_transformed_known_secrets(tmp_path: Path) -> None:
    f = tmp_path / "known.json"
    f.write_text(json.dumps({"known_secrets": list(SECRETS)}))
    env_file = "".join(f"SECRET_{i}={s}\n" for i, s in enumerate(SECRETS)).encode()
    outputs = b"".join(
        piped(p, env_file) for _, p in TOOLS if p.split()[0] in ("rev", "tr", "base64", "xxd")
    )
    proc = _cli(["--known-secrets", str(f)], outputs, tmp_path)
    assert proc.returncode == 0, proc.stderr
    for secret in SECRETS:
        assert not _visible(secret, proc.stdout), secret


_PRINTABLE = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=8, max_size=60
)
_TRANSFORMS = {
    "rev": lambda b: b[::-1],
    "rot13": lambda b: codecs.encode(b.decode("latin-1"), "rot13").encode("latin-1"),
    "upper": bytes.upper,
    "hex": lambda b: b.hex().encode(),
    "HEX": lambda b: b.hex().upper().encode(),
    "b64": base64.b64encode,
    "b64url": base64.urlsafe_b64encode,
    "b64 wrapped": lambda b: b"\n".join(
        base64.b64encode(b)[i : i + 76] for i in range(0, len(base64.b64encode(b)), 76)
    ),
    "percent": lambda b: quote(b.decode("latin-1"), safe="").encode(),
}


@settings(max_examples=120, deadline=None)
@given(
    secret=_PRINTABLE,
    before=st.binary(max_size=200).map(lambda b: bytes(c % 95 + 32 for c in b)),
    after=st.binary(max_size=200).map(lambda b: bytes(c % 95 + 32 for c in b)),
    transform=st.sampled_from(sorted(_TRANSFORMS)),
    chunk=st.integers(min_value=1, max_value=300),
)
def test_any_known_secret_in_any_cheap_transform_is_masked_whole_and_streamed(
    secret: str, before: bytes, after: bytes, transform: str, chunk: int
) -> None:
    r = redactor(known_secrets=[secret])
    data = _TRANSFORMS[transform](before + secret.encode() + after) + b"\n"
    whole = r.redact_bytes(data)
    assert not _visible(secret, whole), (transform, whole[:200])
    assert streamed(r, data, chunk) == whole
