"""Known secrets in hex dumps (``dumps``): a secret cut over dump lines is masked whole.

By effect: real ``xxd``, ``hexdump`` and ``od`` output of a file holding a known secret goes
through ``gonogo redact --known-secrets`` (``redact_process.run``) and the Redactor stream at
several chunk sizes; no dump line left in the output carries any part of the secret that could
rebuild it (the output is read back with the same dump reader), and the same dumps of a file
without the secret come out as a redactor without known secrets leaves them. The property test
generates dumps in Python in the tools' exact formats (cross-checked against the real tools).
"""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.redaction import Redactor
from enforcement_agent.redaction.dumps import DumpSecrets, line_bytes
from gonogo.redact_process import run

SECRET = b"kZ9qW2xV7mB4nR8tY3pL6cF1hJ5gD0sA"
OTHER = b"Qe7Rt5Yu3Io1Pa9Sd8Fg6Hj4Kl2Zx0Cv_other-secret"


def _printable(b: int) -> bytes:
    return bytes([b]) if 0x20 <= b < 0x7F else b"."


# --- the tools' formats, in Python -------------------------------------------------------------


def xxd(
    data: bytes,
    cols: int = 16,
    group: int = 2,
    little: bool = False,
    upper: bool = False,
    binary: bool = False,
    colour: bool = False,
) -> bytes:
    if binary:
        cols, group = 6 if cols == 16 else cols, 1
    if little and group == 2:
        group = 4

    def hex_area(chunk: bytes) -> tuple[str, int]:
        """(text, visible width) of a line's hex groups."""
        groups, visible = [], []
        for g in range(0, len(chunk), group):
            part = chunk[g : g + group]
            if binary:
                text = " ".join(f"{b:08b}" for b in part)
            else:
                text = (part[::-1] if little else part).hex()
                if little:
                    text = text.rjust(2 * group)
            if upper:
                text = text.upper()
            visible.append(text)
            if colour:
                text = "".join(
                    f"\x1b[1;32m{text[i : i + 2]}\x1b[0m" for i in range(0, len(text), 2)
                )
            groups.append(text)
        return " ".join(groups), len(" ".join(visible))

    full = hex_area(bytes(cols))[1]
    out = []
    for off in range(0, len(data), cols):
        chunk = data[off : off + cols]
        hexpart, width = hex_area(chunk)
        hexpart += " " * (full - width)
        ascii_col = b"".join(_printable(b) for b in chunk).decode()
        if colour:
            ascii_col = "".join(f"\x1b[1;32m{c}\x1b[0m" for c in ascii_col)
        out.append(f"{off:08x}: {hexpart}  {ascii_col}\n")
    return "".join(out).encode()


def xxd_i(data: bytes) -> bytes:
    lines = [", ".join(f"0x{b:02x}" for b in data[i : i + 12]) for i in range(0, len(data), 12)]
    return ("unsigned char f[] = {\n" + ",\n".join("  " + x for x in lines) + "\n};\n").encode()


def hexdump_c(data: bytes) -> bytes:
    out, prev, starred = [], None, False
    for off in range(0, len(data), 16):
        chunk = data[off : off + 16]
        if chunk == prev and len(chunk) == 16:
            if not starred:
                out.append("*\n")
                starred = True
            continue
        prev, starred = chunk, False
        h = [f"{b:02x}" for b in chunk] + ["  "] * (16 - len(chunk))
        hexpart = " ".join(h[:8]) + "  " + " ".join(h[8:])
        ascii_col = b"".join(_printable(b) for b in chunk).decode()
        out.append(f"{off:08x}  {hexpart}  |{ascii_col}|\n")
    out.append(f"{len(data):08x}\n")
    return "".join(out).encode()


def words(data: bytes, octal: bool) -> bytes:
    """``hexdump`` (hex offsets) / ``od -x`` (octal offsets): 16-bit little-endian words."""
    out = []
    padded = data + b"\0" * (len(data) % 2)
    for off in range(0, len(data), 16):
        chunk = padded[off : off + 16]
        w = " ".join(f"{chunk[i + 1]:02x}{chunk[i]:02x}" for i in range(0, len(chunk), 2))
        line = (f"{off:07o}" if octal else f"{off:07x}") + " " + w
        out.append((line if octal else line.ljust(47)) + "\n")
    out.append((f"{len(data):07o}" if octal else f"{len(data):07x}") + "\n")
    return "".join(out).encode()


_OD_ESC = {0: "\\0", 7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v"}


def od_c(data: bytes) -> bytes:
    out = []
    for off in range(0, len(data), 16):
        cells = []
        for b in data[off : off + 16]:
            if b in _OD_ESC:
                cells.append(_OD_ESC[b].rjust(4))
            elif 0x20 <= b < 0x7F:
                cells.append(chr(b).rjust(4))
            else:
                cells.append(f" {b:03o}")
        out.append(f"{off:07o}" + "".join(cells) + "\n")
    out.append(f"{len(data):07o}\n")
    return "".join(out).encode()


def od_x1(data: bytes, z: bool = False, offsets: bool = False) -> bytes:
    out = []
    for off in range(0, len(data), 16):
        chunk = data[off : off + 16]
        line = ("" if not offsets else f"{off:06x}") + "".join(f" {b:02x}" for b in chunk)
        if z:
            line = (
                line.ljust(6 + 48) + "  >" + b"".join(_printable(b) for b in chunk).decode() + "<"
            )
        out.append(line + "\n")
    if offsets:
        out.append(f"{len(data):06x}\n")
    return "".join(out).encode()


FORMATS: dict[str, Callable[[bytes], bytes]] = {
    "xxd": xxd,
    "xxd -b": lambda d: xxd(d, binary=True),
    "xxd -e": lambda d: xxd(d, little=True),
    "xxd -g 4 -c 32": lambda d: xxd(d, cols=32, group=4),
    "xxd -c 7": lambda d: xxd(d, cols=7),
    "xxd -u": lambda d: xxd(d, upper=True),
    "xxd -i": xxd_i,
    "hexdump -C": hexdump_c,
    "hexdump": lambda d: words(d, octal=False),
    "od -x": lambda d: words(d, octal=True),
    "od -c": od_c,
    "od -An -tx1": od_x1,
    "od -A x -t x1z": lambda d: od_x1(d, z=True, offsets=True),
}
COLOURED = lambda d: xxd(d, colour=True)  # noqa: E731 (xxd -R always: not in this xxd)


def _tool(name: str) -> list[str]:
    return name.split()


_SAMPLE = b"config:\nAPI_KEY=" + SECRET + b"\n\x01\xff tail bytes\t\r\n" + b"z" * 37


@pytest.mark.parametrize("name", [n for n in FORMATS if n != "xxd -i"])
def test_python_formats_match_the_real_tools(name: str, tmp_path: Path) -> None:
    """The generators write what the installed tools write (the property test relies on it)."""
    path = tmp_path / "f.bin"
    path.write_bytes(_SAMPLE)
    real = subprocess.run([*_tool(name), str(path)], capture_output=True, check=True).stdout
    assert FORMATS[name](_SAMPLE) == real


def test_xxd_i_body_matches_the_real_tool(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(_SAMPLE)
    real = subprocess.run(["xxd", "-i"], input=_SAMPLE, capture_output=True, check=True).stdout
    # (from stdin: the body only, no declaration lines)
    assert real.splitlines() == xxd_i(_SAMPLE).splitlines()[1:-1]


# --- reading back what survives ----------------------------------------------------------------


def _leaks(output: bytes, secrets: list[bytes]) -> list[bytes]:
    """The secrets (or the longest part a stream may leave: a first piece under HELD bytes)
    that the dump lines left in ``output`` still rebuild."""
    reader = DumpSecrets()
    reader.add(secrets)
    found = {s for _a, _b, s in reader.spans(output)} | {s for s in secrets if s in output}
    return sorted(found)


def _redactor(secrets: list[bytes]) -> Redactor:
    return Redactor(known_secrets=[s.decode() for s in secrets])


def _streamed(r: Redactor, data: bytes, size: int) -> bytes:
    s = r.stream()
    out = b"".join(s.feed(data[i : i + size]) for i in range(0, len(data), size))
    return out + s.flush()


def _gonogo_redact(ks: Path, data: bytes) -> bytes:
    out = io.BytesIO()
    assert run(ks, io.BytesIO(data), out, io.StringIO()) == 0
    return out.getvalue()


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return _redactor([SECRET, OTHER])


@pytest.fixture(scope="module")
def plain() -> Redactor:
    return Redactor()


REAL = [
    "xxd",
    "xxd -b",
    "xxd -p",
    "xxd -i",
    "xxd -e",
    "xxd -g 4 -c 32",
    "xxd -c 7",
    "xxd -u",
    "hexdump -C",
    "hexdump",
    "od -c",
    "od -x",
    "od -An -tx1",
    "od -A x -t x1z",
    "od -tx4",
    "od -An -c",
    "hexdump -x",
    "hexdump -c",
    "xxd -d",
    "xxd -c 1",
    "base64 -w 76",
]


@pytest.mark.parametrize("name", REAL)
def test_real_dumps_through_gonogo_redact_and_the_stream(
    name: str, tmp_path: Path, redactor: Redactor, plain: Redactor
) -> None:
    assert shutil.which(_tool(name)[0])
    ks = tmp_path / "ks.json"
    ks.write_text(json.dumps({"known_secrets": [SECRET.decode(), OTHER.decode()]}))
    secret_file = tmp_path / "cfg.txt"
    secret_file.write_bytes(b"config:\nAPI_KEY=" + SECRET + b"\nB=" + OTHER + b"\nother stuff\n")
    control = tmp_path / "ctl.txt"
    control.write_bytes(b"config:\nAPI_KEY=" + b"n0tTheSecretValue" * 2 + b"\nother stuff\n")
    for path in (secret_file, control):
        dump = subprocess.run([*_tool(name), str(path)], capture_output=True, check=True).stdout
        for data in (dump, dump.replace(b"\n", b"\r\n")):
            outs = [_gonogo_redact(ks, data)] + [_streamed(redactor, data, n) for n in (1, 7, 64)]
            if path is secret_file:
                assert all(o != data for o in outs)
                if not name.startswith("base64"):
                    assert all(_leaks(o, [SECRET, OTHER]) == [] for o in outs), name
            else:
                # Unchanged by the known-secret path (other detectors act as they do anyway).
                assert all(o == plain.redact_bytes(data) for o in outs), name


def test_the_leak_is_real_without_the_dump_reader() -> None:
    """Control: the per-line forms alone leave the secret in a dump (what this fixes)."""
    r = _redactor([SECRET])
    dump = xxd(b"xx" + SECRET + b"yy")
    assert _leaks(r.redact_bytes(dump), [SECRET]) == []
    r.known.dumps.needles = []  # (the reader switched off: the per-line forms only)
    assert _leaks(r.redact_bytes(dump), [SECRET]) == [SECRET]


@pytest.mark.parametrize("name", [*FORMATS, "coloured xxd"])
def test_every_offset_modulo_the_line_width(name: str, redactor: Redactor) -> None:
    fmt = COLOURED if name == "coloured xxd" else FORMATS[name]
    for k in range(16):
        data = bytes(range(40, 40 + k)) + SECRET + b"\x00tail-bytes-here-and-more"
        dump = fmt(data)
        one = redactor.redact_bytes(dump)
        assert _leaks(one, [SECRET]) == [] and SECRET not in _strip(one), (name, k)
        assert _streamed(redactor, dump, 13) == one, (name, k)


def _strip(b: bytes) -> bytes:
    import re

    return re.sub(rb"\x1b\[[0-9;]*m", b"", b)


def test_hexdump_repeat_marker_inside_a_secret(tmp_path: Path) -> None:
    """``*`` stands for the previous line's bytes repeated: a secret whose middle repeats a
    whole dump line (so ``hexdump -C`` squeezes it) is masked, around the marker too."""
    secret = b"S" * 8 + b"0123456789abcdef" * 3 + b"END-of-it"
    r = _redactor([secret])
    path = tmp_path / "f.bin"
    path.write_bytes(b"x" * 8 + secret + b"\ntrailer\n")
    dump = subprocess.run(["hexdump", "-C", str(path)], capture_output=True, check=True).stdout
    assert b"*\n" in dump
    out = r.redact_bytes(dump)
    assert b"30 31 32" not in out and b"|0123" not in out
    assert _streamed(r, dump, 5) == out


def test_clean_dumps_unchanged(plain: Redactor, redactor: Redactor) -> None:
    data = bytes(random.Random(7).randrange(256) for _ in range(600))
    for name, fmt in FORMATS.items():
        dump = fmt(data)
        assert redactor.redact_bytes(dump) == plain.redact_bytes(dump), name
        assert _streamed(redactor, dump, 33) == plain.redact_bytes(dump), name


def test_not_dump_shaped_lines_are_not_read() -> None:
    assert line_bytes(b"hello world") is None
    # (third pass: a line of printable characters without blanks is read as text, ascii85 or
    # base85 wrapped; ``API_KEY=<secret>`` is now such a line, masked by the literal forms too)
    assert line_bytes(b"API_KEY = " + SECRET) is None
    reader = DumpSecrets()
    reader.add([SECRET])
    assert reader.spans(b"plain text\n" * 100 + b"key: " + SECRET + b"\n") == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    secret=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=8, max_size=200),
    second=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=8, max_size=40),
    before=st.binary(max_size=40),
    after=st.binary(max_size=40),
    fmt=st.sampled_from([*FORMATS, "coloured xxd"]),
    chunk=st.integers(1, 300),
    crlf=st.booleans(),
)
def test_property_random_secret_offset_format(
    secret: str, second: str, before: bytes, after: bytes, fmt: str, chunk: int, crlf: bool
) -> None:
    raw = secret.encode()
    secrets = [raw, second.encode()]
    r = _redactor(secrets)
    data = before + raw + after + second.encode() + b"!"
    dump = (COLOURED if fmt == "coloured xxd" else FORMATS[fmt])(data)
    if crlf:
        dump = dump.replace(b"\n", b"\r\n")
    one = r.redact_bytes(dump)
    assert _leaks(_strip(one), secrets) == []
    assert _streamed(r, dump, chunk) == one
