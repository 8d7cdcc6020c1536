"""Known secrets in dumps, second pass (``dumps``): the shapes the first pass left open.

By effect, with the real tools: a file holding a known secret is dumped by the installed tool
(``od``, ``hexdump``, ``xxd``, ``basenc``, in pipelines with ``tr``, ``rev``, ``base64``,
``iconv``, ``sed``), and so is a control file whose secret bytes all differ; every line of the
first dump that differs from the control's carries secret bytes, and none of those lines may
come out of ``gonogo redact --known-secrets`` or the Redactor's stream (at several chunk sizes)
unchanged — except, where a tool prints fewer than ``HELD`` bytes a line, the leading lines
holding fewer than ``HELD`` of the secret's bytes together (``allow``; as the first pass). The
control's dump comes out as a redactor without known secrets leaves it.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.redaction import Redactor
from enforcement_agent.redaction.dumps import line_readings
from gonogo.redact_process import run

SECRET = b"kZ9qW2xV7mB4nR8tY3pL6cF1hJ5gD0sA"
_RNG = random.Random(11)
_B64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
LONG = bytes(_RNG.choice(_B64) for _ in range(700))
TAIL = b"\n\x00\x01tail of the file, plain text.\n"


def _control(secret: bytes) -> bytes:
    """The secret with every byte changed (letters stay letters, digits digits)."""
    out = bytearray()
    for b in secret:
        # (letters mirrored, a to z: a shift would be one of the secret's forms, rot-N)
        if 0x61 <= b <= 0x7A:
            out.append(0x7A - (b - 0x61) if b != 0x6D else 0x61)
        elif 0x41 <= b <= 0x5A:
            out.append(0x5A - (b - 0x41) if b != 0x4D else 0x41)
        elif 0x30 <= b <= 0x39:
            out.append(0x30 + (b - 0x30 + 3) % 10)
        else:
            out.append(0x2E if b != 0x2E else 0x2C)
    return bytes(out)


def _dump(cmd: str, path: Path) -> bytes:
    return subprocess.run(
        ["bash", "-c", cmd.replace("{f}", str(path))], capture_output=True, check=True
    ).stdout


def _streamed(r: Redactor, data: bytes, size: int) -> bytes:
    s = r.stream()
    out = b"".join(s.feed(data[i : i + size]) for i in range(0, len(data), size))
    return out + s.flush()


def _gonogo_redact(tmp: Path, secrets: list[bytes], data: bytes) -> bytes:
    ks = tmp / "ks.json"
    ks.write_text(json.dumps({"known_secrets": [s.decode() for s in secrets]}))
    out = io.BytesIO()
    assert run(ks, io.BytesIO(data), out, io.StringIO()) == 0
    return out.getvalue()


def _secret_lines(dump: bytes, control: bytes) -> list[bytes]:
    a, b = dump.split(b"\n"), control.split(b"\n")
    return [x for i, x in enumerate(a) if i >= len(b) or b[i] != x]


def _survivors(out: bytes, lines: list[bytes]) -> list[bytes]:
    kept = set(out.split(b"\n"))
    return [x for x in lines if x in kept]


_REDACTORS: dict[tuple[bytes, ...], Redactor] = {}


def _redactor(secrets: list[bytes]) -> Redactor:
    key = tuple(secrets)
    if key not in _REDACTORS:
        _REDACTORS[key] = Redactor(known_secrets=[s.decode() for s in secrets])
    return _REDACTORS[key]


@pytest.fixture(scope="module")
def plain() -> Redactor:
    return Redactor()


def _check(
    cmd: str,
    secret: bytes,
    tmp_path: Path,
    plain: Redactor,
    *,
    allow: int = 0,
    head: bytes = b"",
    chunks: tuple[int, ...] = (7, 64),
    cli: bool = True,
) -> None:
    r = _redactor([secret])
    path = tmp_path / "f.bin"
    path.write_bytes(head + secret + TAIL)
    dump = _dump(cmd, path)
    path.write_bytes(head + _control(secret) + TAIL)
    control = _dump(cmd, path)
    lines = _secret_lines(dump, control)
    assert lines, cmd
    one = r.redact_bytes(dump)
    outs = [one] + [_streamed(r, dump, n) for n in chunks]
    if cli:
        outs.append(_gonogo_redact(tmp_path, [secret], dump))
    for out in outs:
        left = _survivors(out, lines)
        assert left == lines[: len(left)] and len(left) <= allow, (cmd, left)
        assert out == one, cmd
    # The control file's dump: as without known secrets.
    assert r.redact_bytes(control) == plain.redact_bytes(control), cmd
    assert _streamed(r, control, 64) == plain.redact_bytes(control), cmd


# --- od and hexdump words in octal and decimal, other radixes, widths and byte orders ----------

WORDS = [
    ("od {f}", 0),
    ("od -o {f}", 0),
    ("od -d {f}", 0),
    ("od -i {f}", 0),
    ("od -l {f}", 0),
    ("od -tu1 {f}", 0),
    ("od -td1 {f}", 0),
    ("od -tu2 {f}", 0),
    ("od -td2 {f}", 0),
    ("od -tu4 {f}", 0),
    ("od -tx8 {f}", 0),
    ("od -to4 {f}", 0),
    ("od -tf4 {f}", 0),
    ("od -tf8 {f}", 0),
    ("od -An {f}", 0),
    ("od -Ad {f}", 0),
    ("od -An -tu1 {f}", 0),
    ("od -Ad -tu1 -w8 {f}", 0),
    ("od -x --endian=big {f}", 0),
    ("od -tx4 --endian=big {f}", 0),
    ("od -a {f}", 0),
    ("od -tc -tx1 {f}", 0),
    ("od -w3 -tx1 {f}", 1),
    ("od -An -w2 -tu1 {f}", 1),
    ("od -j 5 -tx1 {f}", 0),
    ("hexdump -d {f}", 0),
    ("hexdump -o {f}", 0),
    ('hexdump -e \'16/1 "%02x " "\\n"\' {f}', 0),
    ('hexdump -e \'4/4 "%08x " "\\n"\' {f}', 0),
    ("basenc --base2msbf {f}", 0),
    ("basenc --base2lsbf {f}", 0),
    ("xxd -p -c 2 {f}", 1),
    ("xxd -s 5 {f}", 0),
    ("xxd -c 7 -g 3 -u -o 4096 {f}", 0),
]


@pytest.mark.parametrize(("cmd", "allow"), WORDS)
def test_words_radixes_widths(cmd: str, allow: int, tmp_path: Path, plain: Redactor) -> None:
    _check(cmd, SECRET, tmp_path, plain, allow=allow, chunks=(1, 64) if "-w" in cmd else (7,))


# --- secrets longer than 512 bytes ------------------------------------------------------------

LONG_CMDS = [
    "xxd {f}",
    "xxd -E {f}",
    "xxd -b {f}",
    "xxd -i {f}",
    "hexdump -C {f}",
    "hd {f}",
    "od -c {f}",
    "od -An -tx1 {f}",
    "od -d {f}",
    "xxd -p -c 8 {f}",
    "base64 -w 40 {f}",
    "basenc --base16 -w 40 {f}",
    "xxd -s 300 {f}",
]


@pytest.mark.parametrize("cmd", LONG_CMDS)
def test_secrets_over_512_bytes(cmd: str, tmp_path: Path, plain: Redactor) -> None:
    _check(cmd, LONG, tmp_path, plain, allow=1, head=b"x" * 5, cli=False)


def test_a_secret_far_longer_than_a_streams_window(tmp_path: Path, plain: Redactor) -> None:
    """6 KB of secret in ``xxd``: 375 lines, 26 KB of dump, more than a stream holds (17.9 KB);
    each line is masked."""
    secret = bytes(_RNG.choice(_B64) for _ in range(6000))
    _check("xxd {f}", secret, tmp_path, plain, chunks=(4096,), cli=False)


# --- lines of other kinds inside a dump --------------------------------------------------------

INTERLEAVED = [
    "xxd {f} | sed '1a warning: disk almost full'",
    "xxd -c 8 {f} | sed G",
    "od -c {f} | sed '1~1a --'",
    "hexdump -C {f} | sed '1a ==> f.bin <=='",
    "(xxd -l 16 {f}; echo 'read error, retrying' >&2; xxd -s 16 {f}) 2>&1",
    "od -An -tx1 -w4 {f} | sed 's/$/\\n# note/'",
]


@pytest.mark.parametrize("cmd", INTERLEAVED)
def test_other_lines_inside_a_dump(cmd: str, tmp_path: Path, plain: Redactor) -> None:
    _check(cmd, SECRET, tmp_path, plain, chunks=(3, 64))


# --- transformed secrets inside dumps (known.forms) --------------------------------------------

TRANSFORMED = [
    "tr a-zA-Z n-za-mN-ZA-M < {f} | xxd",
    "tr a-zA-Z n-za-mN-ZA-M < {f} | od -tx1",
    "base64 -w0 {f} | xxd",
    "base64 {f} | od -c",
    "base32 -w0 {f} | xxd -c 5",
    "iconv -f latin1 -t UTF-16LE {f} | xxd",
    "iconv -f latin1 -t UTF-16BE {f} | hexdump -C",
    "tr a-z A-Z < {f} | xxd -g 1",
    "rev {f} | od -d",
    "xxd -p {f} | xxd",
]


@pytest.mark.parametrize("cmd", TRANSFORMED)
def test_transformed_secrets_in_dumps(cmd: str, tmp_path: Path, plain: Redactor) -> None:
    _check(cmd, SECRET, tmp_path, plain)


# --- no dump, no change; the hyperscan gate matches wherever the reader's does -----------------


def test_text_without_dumps_unchanged(plain: Redactor) -> None:
    r = _redactor([bytes(_RNG.choice(_B64) for _ in range(40))])  # (not in this repository)
    log = subprocess.run(["git", "log", "-p", "-n", "30"], capture_output=True, check=True).stdout[
        :400_000
    ]
    sums = b"".join(
        b"%064x  ./some/path/file_%d.txt\n" % (_RNG.getrandbits(256), i) for i in range(2000)
    )
    for data in (log, sums):
        assert r.redact_bytes(data) == plain.redact_bytes(data)
        assert _streamed(r, data, 65536) == plain.redact_bytes(data)


def test_gate_in_hyperscan_matches_the_readers_gate(tmp_path: Path) -> None:
    """Every line the reader's gate (``_START``) accepts, the hyperscan ``GATE`` accepts too
    (it may accept more: the reader decides), on every line of the real tools' dumps here and
    on clean text; the data's first line is ``first_line``'s."""
    from enforcement_agent.redaction.dumps import _candidate_line, first_line, gate_found

    path = tmp_path / "f.bin"
    path.write_bytes(bytes(_RNG.randrange(256) for _ in range(300)) + SECRET + TAIL)
    lines: set[bytes] = set()
    for cmd, _ in WORDS + [(c, 0) for c in LONG_CMDS + TRANSFORMED]:
        lines |= set(_dump(cmd, path).split(b"\n"))
    lines |= {b"*", b"  0x6b, 0x5a,", b"0000000   k   Z nul  sp", b"hello world", b"    add"}
    lines |= set(
        subprocess.run(["git", "log", "-p", "-n", "5"], capture_output=True).stdout.split(b"\n")
    )
    accepted = 0
    for line in lines:
        for data in (b"text\n" + line + b"\n", b"x\n" + line + b"\r\n", b"x\n" + line):
            if _candidate_line(data, 0) is not None:
                accepted += 1
                assert gate_found(data, 0), data
        assert first_line(line + b"\n", 0) == (_candidate_line(line + b"\n", 0) == 0)
    assert accepted > 500
    # Clean text is no candidate for either (the reader is not run).
    for clean in (
        b"hello world\n",
        b"3f2a1b9 fix the build\n",
        b"----+-----\n",
        b"x" * 64 + b"  a.md\n",
    ):
        assert not gate_found(b"x\n" + clean, 0), clean
        assert _candidate_line(b"x\n" + clean, 0) is None, clean


def test_readings_of_words() -> None:
    got = dict(line_readings(b"0000000 055153 070471"))
    assert got["n8.2<o"] == b"kZ9q"
    got = dict(line_readings(b"0000000  23147  28985"))
    assert got["n10.2<o"] == b"kZ9q"
    assert dict(line_readings(b" 107  90  57 113"))["n10.1"] == b"kZ9q"
    assert line_readings(b"hello world") == []


# --- property ----------------------------------------------------------------------------------

_PROPERTY_CMDS = [c for c, a in WORDS if a == 0][:20] + INTERLEAVED[:3] + TRANSFORMED[:6]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    secret=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=8, max_size=80),
    cmd=st.sampled_from(_PROPERTY_CMDS),
    chunk=st.integers(1, 200),
)
def test_property_random_secrets_and_tools(secret: str, cmd: str, chunk: int) -> None:
    """Any printable secret, any of these tools: every line carrying its bytes is masked (the
    secret at the file's start, so each line holds ``HELD`` bytes of it or more), the stream
    equals one pass, and the control file's dump is left as without known secrets."""
    raw = secret.encode()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.bin"
        r = _redactor([raw])
        path.write_bytes(raw + TAIL)
        dump = _dump(cmd, path)
        path.write_bytes(_control(raw) + TAIL)
        control = _dump(cmd, path)
    lines = _secret_lines(dump, control)
    one = r.redact_bytes(dump)
    assert _survivors(one, lines) == [], (cmd, raw)
    assert _streamed(r, dump, chunk) == one
    assert r.redact_bytes(control) == _plain().redact_bytes(control)


_PLAIN: list[Redactor] = []


def _plain() -> Redactor:
    if not _PLAIN:
        _PLAIN.append(Redactor())
    return _PLAIN[0]


def test_bytes_hitting_many_forms_cost_bounded_work() -> None:
    """A dump of bytes that keep hitting pieces of many forms (six low-entropy secrets, the
    piece most of their forms share, repeated): the places read are bounded per looked-up
    position and the lines past that bound are masked unread (fail closed)."""
    rng = random.Random(3)
    secrets = ["".join(rng.choice("ab") for _ in range(40)).encode() for _ in range(6)]
    r = _redactor(secrets)
    gram = max(r.known.dumps.grams.items(), key=lambda kv: len(kv[1]))[0]
    assert len(r.known.dumps.grams[gram]) > 100
    dump = subprocess.run(["xxd"], input=gram * 4000, capture_output=True, check=True).stdout
    start = time.process_time()
    out = r.redact_bytes(dump)
    assert time.process_time() - start < 10
    assert out.count(b"[REDACTED:known-secret") > 0.9 * dump.count(b"\n")
