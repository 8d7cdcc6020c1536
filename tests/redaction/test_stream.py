"""Streaming: secrets split across chunks are still caught; stream output == one-pass output."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest

from enforcement_agent.redaction import Redactor, StreamRedactor
from tests.redaction.helpers import github_token, private_key_block, redactor

R = redactor()
_FILLER = ("INFO request ok path=/api/v1/items status=200\n" * 8).encode()


def _stream(r: Redactor, chunks: list[bytes], **kw: int) -> bytes:
    s = r.stream() if not kw else type(r.stream())(r, **kw)
    return b"".join(s.feed(c) for c in chunks) + s.flush()


def _split_everywhere(r: Redactor, text: bytes, tail: int, step: int = 1) -> None:
    """Filler + text split at every ``step``-th offset (every offset by default; a step starts
    at an offset that depends on the text, so different texts cover different residues), with a
    tail small enough that cuts land inside."""
    data = _FILLER + text
    whole = r.redact_bytes(data)
    start = len(_FILLER) + zlib.crc32(text) % step
    for i in range(start, len(data) + 1, step):
        out = _stream(r, [data[:i], data[i:]], tail=tail, batch=1)
        assert out == whole, (i, out, whole)


def test_default_stream_catches_secret_split_in_two() -> None:
    secret = github_token(31).encode()
    line = b"export TOKEN=" + secret + b"\n"
    data = b"x" * 20000 + line + b"y" * 20000
    for cut in (20000 + 13 + k for k in range(0, len(secret), 5)):
        out = _stream(R, [data[:cut], data[cut:]])
        assert secret not in out
        assert out == R.redact_bytes(data)


def test_stream_releases_bytes_before_the_tail() -> None:
    s = R.stream()
    out = s.feed(b"a" * (s.batch + 10))
    assert out and len(out) <= s.batch + 10 - s.tail  # released early, tail kept back
    rest = s.flush()
    assert out + rest == b"a" * (s.batch + 10)


def test_private_key_split_byte_by_byte() -> None:
    block = private_key_block(33).encode()
    data = b"begin\n" + block + b"\nend\n"
    out = _stream(R, [bytes([b]) for b in data])
    assert out == R.redact_bytes(data)
    assert block.splitlines()[2] not in out


def test_every_offset_of_runtime_samples() -> None:
    for text in (
        b"export GITHUB_TOKEN=" + github_token(34).encode() + b"\n",
        b"password=hunter2hunter2 ok\n",
        b"curl -H 'Authorization: Bearer " + github_token(35).encode() + b"' x\n",
    ):
        _split_everywhere(R, text, tail=400)


def _corpus_rows(shared: Path, name: str) -> list[dict[str, object]]:
    path = shared / "corpora" / "secrets" / name
    if not path.exists():
        pytest.skip(f"{path} absent")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_split_chunks_variants_stream_clean(shared: Path) -> None:
    rows = [r for r in _corpus_rows(shared, "encoded-variants.jsonl") if r.get("chunks")]
    assert rows
    for row in rows:
        chunks = [str(c).encode() for c in row["chunks"]]  # type: ignore[union-attr]
        out = _stream(R, chunks)
        assert str(row["secret"]).encode() not in out


@pytest.mark.timeout(900)
def test_every_corpus_item_split_at_every_offset(shared: Path) -> None:
    """Each corpus text (≤ 300 bytes) split in two streams exactly like one pass: a fixed quarter
    of the texts (by content hash) at every offset, the rest at every 16th (about 80 CPU
    seconds for all texts at all offsets; this keeps a quarter of that in the suite)."""
    rows = _corpus_rows(shared, "encoded-variants.jsonl") + _corpus_rows(shared, "positives.jsonl")
    texts = [str(r["text"]).encode() for r in rows if r.get("text")]
    texts = [t for t in texts if len(t) <= 300]
    assert len(texts) > 1000
    for text in texts:
        _split_everywhere(R, text, tail=512, step=1 if zlib.crc32(text) % 4 == 0 else 16)


# --- line release: a slow stream gets its complete lines out at once --------------------------


def test_sparse_stream_releases_complete_lines_at_once() -> None:
    s = R.stream()
    assert s.feed(b"INFO starting worker 3\n") == b"INFO starting worker 3\n"
    assert s.feed(b"INFO half a li") == b""  # no newline yet: held
    token = github_token(36)
    out = s.feed(b"ne\nexport GITHUB_TOKEN=" + token.encode() + b"\nINFO next")
    assert out.startswith(b"INFO half a line\nexport GITHUB_TOKEN=[REDACTED:github-token:")
    assert token.encode() not in out and out.endswith(b"\n")
    assert s.pending == len(b"INFO next")
    assert s.flush() == b"INFO next"


def test_open_private_key_block_is_held_until_its_end() -> None:
    block = private_key_block(37).encode()
    lines = block.splitlines(keepends=True)
    s = R.stream()
    assert s.feed(b"loading key\n") == b"loading key\n"
    held = b"".join(
        s.feed(line + (b"\n" if not line.endswith(b"\n") else b"")) for line in lines[:-1]
    )
    assert held == b""  # nothing of an unterminated block goes out
    out = s.feed(lines[-1] + b"\ndone\n")
    assert out.startswith(b"[REDACTED:private-key:") and out.endswith(b"\ndone\n")
    assert lines[2] not in out


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (b"const apiPassword =\n", b'  "hunter2-real-value";\n'),
        (b"curl -X POST https://x.example.invalid \\\n", b"  -u admin:hunter2-real-value\n"),
        (b'curl -H "Authorization: Bearer\n', b' hunter2-real-value"\n'),
        (b"<password>\n", b"hunter2-real-value</password>\n"),
    ],
)
def test_a_line_that_continues_waits_for_its_value(first: bytes, second: bytes) -> None:
    s = R.stream()
    assert s.feed(b"INFO ok\n" + first) == b"INFO ok\n"
    out = s.feed(second) + s.flush()
    assert b"hunter2-real-value" not in out, out
    assert b"INFO ok\n" + out == R.redact_bytes(b"INFO ok\n" + first + second)


def test_tail_is_the_longest_match_any_pattern_can_make() -> None:
    from enforcement_agent.redaction.decoders import CANDIDATES
    from enforcement_agent.redaction.detectors import ALL, MAX_MATCH
    from enforcement_agent.redaction.engine import pattern_width

    too_long = {d.name for d in ALL if pattern_width(d.pattern) > MAX_MATCH}
    assert not too_long  # an unbounded quantifier would make the tail a lie
    for cand in CANDIDATES:  # decoded runs are cut at MAX_MATCH
        assert b"{1,%d}" % MAX_MATCH in cand.run.pattern
    assert R.engine.max_match == MAX_MATCH
    assert R.stream().tail == MAX_MATCH + StreamRedactor.SLACK


def test_longest_jwt_split_anywhere_in_a_long_line_is_caught() -> None:
    from tests.redaction.helpers import rand

    token = ("eyJ" + rand(2990, 38) + ".eyJ" + rand(2990, 39) + "." + rand(1990, 40)).encode()
    data = b"x " * 5000 + b"auth " + token + b" y" * 5000
    for cut in range(10000, 10000 + len(token), 997):
        out = _stream(R, [data[:cut], data[cut:]])
        assert token not in out and token[100:200] not in out
        assert out == R.redact_bytes(data)
