"""A private key longer than the detectors' bounds is masked to its end, whole and streamed.

The block detector reads at most 8,000 characters between ``BEGIN`` and ``END``, and the
partial one 56 lines: an RSA-16384 key (about 12 KB of PEM), a long encrypted key or a key
bundle went past both, and every line after the 56th came out in the clear (20 KB of key:
23,500 bytes of its body printed). The partial detector's value now runs on over the key's own
lines, their breaks (real or written ``\\n`` in a JSON string) and their indentation.
"""

from __future__ import annotations

import base64
import random

import pytest

from enforcement_agent.redaction import StreamRedactor, get_redactor

SIZES = [6_500, 9_000, 20_000]
LAYOUTS = {
    "lf": ("\n", ""),
    "crlf": ("\r\n", ""),
    "json-escaped": ("\\n", ""),
    "yaml-indented": ("\n", "    "),
    "tab-indented": ("\n", "\t"),
}
KINDS = ["PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY"]


def _key(size: int, seed: int, sep: str, indent: str, kind: str) -> tuple[str, list[str]]:
    rng = random.Random(seed)
    blob = base64.b64encode(rng.randbytes(size)).decode()
    width = rng.choice([64, 70, 76])
    lines = [blob[i : i + width] for i in range(0, len(blob), width)]
    body = sep.join(indent + line for line in lines)
    return (
        f"{indent}-----BEGIN {kind}-----{sep}{body}{sep}{indent}-----END {kind}-----",
        lines,
    )


def _document(key: str, layout: str) -> str:
    if layout == "json-escaped":
        return 'log start\n{"private_key": "' + key + '", "client_email": "ci@x.iam"}\nnext.\n'
    if layout == "yaml-indented":
        return "tls:\n  key: |\n" + key + "\n  cert: none\nafter: done\n"
    return "$ cat deploy/key.pem\n" + key + "\n$ echo done\ndone\n"


def _streamed(text: str, size: int) -> str:
    stream = StreamRedactor(get_redactor())
    data = text.encode()
    out = [stream.feed(data[i : i + size]) for i in range(0, len(data), size)]
    out.append(stream.flush())
    return b"".join(out).decode()


def _leaked(out: str, lines: list[str]) -> list[str]:
    # Any 24 characters of the key's body printed is a leak (a line's middle too).
    return [
        line
        for line in lines
        if len(line) >= 12
        and any(line[i : i + 24] in out for i in range(0, max(1, len(line) - 23), 20))
    ]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("size", SIZES)
def test_a_long_key_is_masked_to_its_end_whole_and_streamed(
    size: int, layout: str, kind: str
) -> None:
    sep, indent = LAYOUTS[layout]
    key, lines = _key(size, size + len(layout) + len(kind), sep, indent, kind)
    text = _document(key, layout)
    whole = get_redactor().redact_text(text)
    assert _leaked(whole, lines) == []
    assert f"-----END {kind}-----" in whole  # the masked value ends where the key does
    # what follows the key is kept
    tail = text[text.index(f"-----END {kind}-----") + len(f"-----END {kind}-----") :]
    assert whole.endswith(tail)
    for size_ in (7, 64, 4096):
        assert _streamed(text, size_) == whole, size_


def test_a_100_kb_key_streamed_holds_nothing_back_in_the_clear() -> None:
    key, lines = _key(75_000, 7, "\n", "", "PRIVATE KEY")
    text = "before\n" + key + "\nafter.\n"
    whole = get_redactor().redact_text(text)
    assert _leaked(whole, lines) == [] and whole.startswith("before\n")
    assert whole.endswith("-----END PRIVATE KEY-----\nafter.\n")
    assert _streamed(text, 333) == whole


@pytest.mark.parametrize("shown", [3, 60, 200])
def test_a_truncated_long_key_is_masked_over_every_line_shown(shown: int) -> None:
    """``head -n N key.pem``: no END line; every key line shown is masked, and masking may run
    on over following text made of key characters (the safe side), never stop short."""
    key, lines = _key(20_000, shown, "\n", "", "RSA PRIVATE KEY")
    text = "\n".join(key.split("\n")[: shown + 1]) + "\n$ ls\nREADME.md\n"
    whole = get_redactor().redact_text(text)
    assert _leaked(whole, lines[:shown]) == []
    assert whole.endswith("\n$ ls\nREADME.md\n")
    assert _streamed(text, 64) == whole


def test_a_short_key_keeps_its_one_placeholder() -> None:
    key, lines = _key(1_200, 3, "\n", "", "PRIVATE KEY")
    whole = get_redactor().redact_text("a\n" + key + "\nb\n")
    assert whole.startswith("a\n[REDACTED:private-key:") and whole.endswith("]\nb\n")
