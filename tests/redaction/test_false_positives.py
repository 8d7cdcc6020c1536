"""Text that names secrets without holding one passes through unchanged (test names, paths)."""

from __future__ import annotations

import pytest

from enforcement_agent.redaction import Redactor

R = Redactor(key=b"k" * 32)


@pytest.mark.parametrize(
    "text",
    [
        "test_removal_outside_workspace_is_destructive[link_evil/secret.txt-rm -rf]",
        "cat secret.txt -n",
        "tests/test_tokens.py::test_token_refresh -q",
    ],
)
def test_names_and_flags_are_not_values(text: str) -> None:
    assert R.redact_text(text) == text


def test_dash_with_blanks_still_separates_a_value() -> None:
    value = "Zx8kQ2" + "mN7pL4vR9t"
    out = R.redact_text(f"github token - '{value}'")
    assert value not in out and "[REDACTED:kv-secret:" in out


def test_session_labels_pass_but_session_tokens_do_not() -> None:
    label = (
        '{"gonogo.session_id":"acme-agent-0:fix pricing rounding:0","session_id":"a b c d e f g h"}'
    )
    assert R.redact_text(label) == label
    token = "Qm9" + "vX2s8TzLp0Wq" * 3
    for text in (f"session_id={token}", f'"session": "{token}"', f"gonogo.session_id: {token}"):
        assert token not in R.redact_text(text), text


def _image_b64(seed: int) -> str:
    """A base64 image payload: a PNG-like header, runs of zero bytes (which encode as "AAAA",
    "EAAA" after a 0x10), random pixels."""
    import base64
    import random

    rnd = random.Random(seed)
    raw = bytearray(b"\x89PNG\r\n\x1a\n")
    for _ in range(40):
        raw += bytes([0x10]) + bytes(rnd.randrange(3, 60)) + rnd.randbytes(rnd.randrange(20, 90))
    return base64.b64encode(bytes(raw)).decode()


@pytest.mark.parametrize("seed", range(12))
def test_base64_images_are_not_square_tokens(seed: int) -> None:
    blob = _image_b64(seed)
    assert "EAAA" in blob
    for text in (
        f'{{"type": "image", "data": "{blob}"}}\n',
        f"data:image/png;base64,{blob}\n",
        "\n".join(blob[i : i + 76] for i in range(0, len(blob), 76)) + "\n",
    ):
        assert R.redact_text(text) == text


@pytest.mark.parametrize(
    "token",
    [
        "EAAAlsBxkkVgvmr7FasTFbM6VUGZ31EJ4jZKTJZySgElBDJ_wyafHuBFquFexY7E",
        "EAAADW6jl31mB3T7ugrWTT8pFeAwDj_wUA9P8ZsxEzkXInsWHkCylMQMSSKto-Noe",
    ],
)
def test_a_square_token_standing_alone_is_still_masked(token: str) -> None:
    for text in (f"{token}\n", f'"access_token": "{token}"', f"curl -H 'X: {token}' x"):
        assert token not in R.redact_text(text)
