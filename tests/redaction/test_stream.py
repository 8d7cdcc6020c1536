"""Streaming: secrets split across chunks are still caught; stream output == one-pass output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from enforcement_agent.redaction import Redactor
from tests.redaction.helpers import github_token, private_key_block, redactor

R = redactor()
_FILLER = ("INFO request ok path=/api/v1/items status=200\n" * 8).encode()


def _stream(r: Redactor, chunks: list[bytes], **kw: int) -> bytes:
    s = r.stream() if not kw else type(r.stream())(r, **kw)
    return b"".join(s.feed(c) for c in chunks) + s.flush()


def _split_everywhere(r: Redactor, text: bytes, tail: int) -> None:
    """Filler + text split at every offset, with a tail small enough that cuts land inside."""
    data = _FILLER + text
    whole = r.redact_bytes(data)
    for i in range(len(_FILLER), len(data) + 1):
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


def test_every_corpus_item_split_at_every_offset(shared: Path) -> None:
    """Each corpus text (≤ 300 bytes), split at every offset, streams exactly like one pass."""
    rows = _corpus_rows(shared, "encoded-variants.jsonl") + _corpus_rows(shared, "positives.jsonl")
    texts = [str(r["text"]).encode() for r in rows if r.get("text")]
    texts = [t for t in texts if len(t) <= 300]
    assert len(texts) > 1000
    for text in texts:
        _split_everywhere(R, text, tail=512)
