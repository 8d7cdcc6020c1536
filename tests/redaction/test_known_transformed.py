"""Known secrets in transformed forms, eleventh pass: the shapes found leaking on main.

Each case runs the real tool over a file holding the secret (at every base64/base32 alignment),
then checks the output whole, with and without hyperscan, and streamed in pieces of many sizes
(streamed must equal whole). Found leaking on main: rot47, base32/base32hex (whole, wrapped and
inside a longer text), each character separated by a space/NUL/tab/comma (``sed 's/./& /g'``,
UTF-16), hex bytes with separators (``od -An -tx1`` within a line, C arrays, ``xxd -i``), HTML
character references, octal escapes, and ``xxd -p``/``base64`` wrapped with CRLF line ends.
"""

from __future__ import annotations

import base64
import random
import re
import string
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent.redaction import Redactor
from tests.redaction.helpers import piped, redactor, streamed

SECRETS = (
    "Tenant-DB-pass/2024+x",
    "zyxw1234",
    "p@ss:w0rd;with=signs&more",
    "k8sTokenAbCdEfGh1234567890QrStUv",
    "k"
    + "".join(random.Random(11).choice(string.ascii_letters + string.digits) for _ in range(99)),
)
PREFIXES = ("", "x", "xy", "xyz", "wxyz", "APP=1\nTOKEN=")
_PY = sys.executable

# (name, shell pipeline reading the file on stdin, the secret's marker in the output)
TOOLS = (
    ("rot47", "tr '!-~' 'P-~!-O'"),
    ("rot47 reversed", "rev | tr '!-~' 'P-~!-O'"),
    ("base32", "base32"),
    ("base32 -w0", "base32 -w0"),
    ("base32 -w 64", "base32 -w 64"),
    ("base32hex", "basenc --base32hex"),
    ("base32hex -w0", "basenc --base32hex -w0"),
    ("fold -w1", "fold -w1"),
    ("fold -w1 reversed", "rev | fold -w1"),
    ("fold -w1 upper", "tr a-z A-Z | fold -w1"),
    ("one char a line CRLF", "fold -w1 | sed 's/$/\r/'"),
    ("grep -o .", "grep -o ."),
    ("space after each char", "sed 's/./& /g'"),
    ("NUL after each char", "sed 's/./&\\x00/g'"),
    ("tab after each char", "sed 's/./&\\t/g'"),
    ("comma after each char", "sed 's/./&,/g'"),
    ("comma-space after each char", "sed 's/./&, /g'"),
    ("reversed, spaced", "rev | sed 's/./& /g'"),
    ("upper, spaced", "tr a-z A-Z | sed 's/./& /g'"),
    ("utf-16le", "iconv -f UTF-8 -t UTF-16LE"),
    ("utf-16be", "iconv -f UTF-8 -t UTF-16BE"),
    ("hex spaced one line", "od -An -v -tx1 -w4096"),
    ("hex spaced upper", "od -An -v -tx1 -w4096 | tr a-f A-F"),
    ("hex colons", "od -An -v -tx1 -w4096 | sed 's/^ //; s/ /:/g'"),
    ("C array", "od -An -v -tx1 -w4096 | sed 's/ \\([0-9a-f][0-9a-f]\\)/0x\\1, /g'"),
    ("C array compact", "od -An -v -tx1 -w4096 | sed 's/ \\([0-9a-f][0-9a-f]\\)/0x\\1,/g'"),
    ("xxd -i -c 4096", "xxd -i -c 4096"),
    (
        "html decimal",
        f"{_PY} -c \"import sys;print(''.join('&#%d;'%b for b in sys.stdin.buffer.read()))\"",
    ),
    (
        "html hex",
        f"{_PY} -c \"import sys;print(''.join('&#x%x;'%b for b in sys.stdin.buffer.read()))\"",
    ),
    (
        "html HEX",
        f"{_PY} -c \"import sys;print(''.join('&#x%X;'%b for b in sys.stdin.buffer.read()))\"",
    ),
    (
        "octal escapes",
        f"{_PY} -c \"import sys;print(''.join('\\\\\\\\%03o'%b for b in sys.stdin.buffer.read()))\"",
    ),
    ("od -c one line", "od -An -v -c -w4096"),
    ("decimal bytes one line", "od -An -v -tu1 -w4096"),
    ("python list of bytes", f'{_PY} -c "import sys;print(list(sys.stdin.buffer.read()))"'),
    ("decimal spaced", f'{_PY} -c "import sys;print(*sys.stdin.buffer.read())"'),
    ("hex words little-endian", "od -An -v -tx2 -w4096"),
    ("hex words big-endian", "xxd -g 2 -c 256 | cut -c 11- | sed 's/  .*//'"),
    ("xxd -p CRLF", "xxd -p | sed 's/$/\\r/'"),
    ("base64 CRLF", "base64 | sed 's/$/\\r/'"),
)


# Built once per module (about 0.2 s of CPU each: the secrets' forms, dump grams and literal
# database) and shared: the tests only read through them (redaction and streams).
@pytest.fixture(scope="module")
def fast() -> Redactor:
    return redactor(known_secrets=SECRETS)


@pytest.fixture(scope="module")
def slow() -> Redactor:
    return redactor(known_secrets=SECRETS, use_hyperscan=False)


@pytest.mark.parametrize("encode", ["a85encode", "b85encode"])
def test_ascii85_and_base85_inside_a_longer_text(fast: Redactor, encode: str) -> None:
    r = fast
    for secret in SECRETS[2:]:  # the groups wholly inside the secret: 8 bytes or more
        for prefix in PREFIXES:
            out = getattr(base64, encode)(f"{prefix}{secret}\nREGION=eu\n".encode()) + b"\n"
            whole = r.redact_bytes(out)
            assert b"[REDACTED:known-secret" in whole, (encode, prefix, out)
            for size in (1, 7, 64):
                assert streamed(r, out, size) == whole


_PLACEHOLDER = re.compile(rb"\[REDACTED:[A-Za-z0-9_.\-]+(?::[0-9a-f]{8})?\]")


@pytest.mark.parametrize(("tool", "pipeline"), TOOLS, ids=[t for t, _ in TOOLS])
def test_transformed_known_secret_is_masked_whole_and_streamed(
    fast: Redactor, slow: Redactor, tool: str, pipeline: str
) -> None:
    for secret in SECRETS:
        for prefix in PREFIXES:
            data = f"{prefix}{secret}\nLOG_LEVEL=debug\nREGION=eu-west-1\n".encode()
            out = piped(pipeline, data)
            whole = fast.redact_bytes(out)
            assert whole != out and b"[REDACTED:known-secret" in whole, (tool, prefix, out[:200])
            # (Without hyperscan the decoders may mask a wider run: both must mask.)
            assert b"[REDACTED:" in slow.redact_bytes(out), (tool, prefix)
            for size in (1, 7, 64, 4096):
                assert streamed(fast, out, size) == whole, (tool, prefix, size)
    # Nothing is masked in the same tool's output of text holding no known secret.
    clean = piped(pipeline, b"LOG_LEVEL=debug\nREGION=eu-west-1\nnothing secret here\n")
    assert fast.redact_bytes(clean) == clean, tool


def test_the_masked_output_holds_no_readable_piece_of_the_secret(fast: Redactor) -> None:
    r = fast
    secret = SECRETS[3]
    for tool, pipeline in TOOLS:
        out = piped(pipeline, f"xy{secret}\nREGION=eu\n".encode())
        whole = _PLACEHOLDER.sub(b"", r.redact_bytes(out))
        middle = piped(pipeline, secret.encode()[8:16]).strip(b"\r\n\0 ,")
        if len(middle) >= 8 and "base" not in tool:
            assert middle not in whole, (tool, whole[:200])


_PRINTABLE = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=8, max_size=60
)


def _rot47(b: bytes) -> bytes:
    return bytes(33 + (c - 33 + 47) % 94 if 33 <= c <= 126 else c for c in b)


_TRANSFORMS = {
    "rot47": _rot47,
    "rot47 rev": lambda b: _rot47(b)[::-1],
    "b32": base64.b32encode,
    "b32hex": base64.b32hexencode,
    "b32 wrapped": lambda b: b"\n".join(
        base64.b32encode(b)[i : i + 76] for i in range(0, len(base64.b32encode(b)), 76)
    ),
    "spaced": lambda b: b" ".join(b[i : i + 1] for i in range(len(b))),
    "fold -w1": lambda b: b"\n".join(b[i : i + 1] for i in range(len(b))),
    "nul": lambda b: b"\0".join(b[i : i + 1] for i in range(len(b))),
    "utf16": lambda b: b.decode("latin-1").encode("utf-16-le"),
    "hex spaced": lambda b: b" ".join(b"%02x" % c for c in b),
    "c array": lambda b: b", ".join(b"0x%02X" % c for c in b),
    "html": lambda b: b"".join(b"&#%d;" % c for c in b),
    "octal": lambda b: b"".join(b"\\%03o" % c for c in b),
    "hex crlf": lambda b: b"\r\n".join(
        b.hex().encode()[i : i + 60] for i in range(0, 2 * len(b), 60)
    ),
}


@settings(max_examples=150, deadline=None)
@given(
    secret=_PRINTABLE,
    before=st.binary(max_size=120).map(lambda b: bytes(c % 95 + 32 for c in b)),
    after=st.binary(max_size=120).map(lambda b: bytes(c % 95 + 32 for c in b)),
    transform=st.sampled_from(sorted(_TRANSFORMS)),
    chunk=st.integers(min_value=1, max_value=300),
)
def test_any_known_secret_in_these_transforms_is_masked_whole_and_streamed(
    secret: str, before: bytes, after: bytes, transform: str, chunk: int
) -> None:
    r = redactor(known_secrets=[secret])
    data = _TRANSFORMS[transform](before + secret.encode() + after) + b"\n"
    whole = r.redact_bytes(data)
    assert b"[REDACTED:known-secret" in whole, (transform, data[:200])
    assert streamed(r, data, chunk) == whole


def test_a_stream_with_known_secrets_still_releases_ordinary_lines_at_once(fast: Redactor) -> None:
    r = fast
    assert not r.known.multiline
    s = r.stream()
    assert s.feed(b"INFO server started on port 8080\n") == b"INFO server started on port 8080\n"
    # One-character lines wait (they may be a known secret's letters, ``fold -w1``) ...
    assert s.feed(b"z\ny\nx\n") == b""
    rest = s.feed(b"w\n1\n2\n3\n4\nINFO done\n") + s.flush()
    assert b"z\ny\nx\nw" not in rest and b"[REDACTED:known-secret" in rest
    # Only lines of one character (ASCII or UTF-8) wait; a blank CRLF line and a word do not.
    s = r.stream()
    assert s.feed(b"ok\n\r\ndone\n") == b"ok\n\r\ndone\n"
    assert s.feed("é\n".encode()) == b""
    # ... and are released with the next ordinary line when they are not.
    s = r.stream()
    assert s.feed(b"a\nb\n") == b""
    assert s.feed(b"INFO done\n") == b"a\nb\nINFO done\n"
