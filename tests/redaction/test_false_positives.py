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


@pytest.mark.parametrize(
    "text",
    [
        # Package pins and releases whose name holds a key word.
        "PyJWT==2.15.1 \\\n",
        "detect-secrets==1.5.0\n",
        "python-jose[cryptography]>=3.3.0\nkeyring==25.2.1\n",
        "  Created wheel for detect-secrets: filename=detect_secrets-1.5.0-py3-none-any.whl"
        " size=241176 sha256=ab278d5f12a32df19377de8337d16e30033a66e5930b2d5c2cb10a6df08fd391\n",
        '"jsonwebtoken": "9.0.2",\n',
        "Successfully installed PyJWT-2.8.0 keyring-24.3.1 secretstorage-3.3.3\n",
        # grep -n and tracebacks: a file named for a key word, then a line number.
        "fastapi/security/api_key.py:709:    The dependency result will be a string\n",
        "src/auth/password.py:42:def check(p):\n",
        "web/token.ts:12:5 - error TS2322: Type 'string' is not assignable\n",
        '  File "app/secrets.py", line 7, in <module>\n',
        # Comparisons are no assignment of "=" (the literal compared is masked elsewhere).
        '    if password == "-":  # pragma: no cover\n',
        # A name in an expression (a comparison, a ternary, a call) is code, not a value.
        "    const token = atToken !== null && atToken !== void 0 ? atToken : lexer.token;\n",
        "    key = isKey(key) ? camelToDash(key) : key;\n",
        "    password = readPassword(prompt) || fallback;\n",
        # Nested type annotations and f-strings of interpolations are code.
        "    secret_inodes: dict[tuple[int, int], str] = {}\n",
        "    tokens: list[tuple[str, int]] = []\n",
        '        key = f"{section}.{k.group(1).lower()}"\n',
        '    token = f"{prefix}-{n}"\n',
    ],
)
def test_versions_and_file_names_under_key_words_are_kept(text: str) -> None:
    assert R.redact_text(text) == text


@pytest.mark.parametrize(
    "text, secret",
    [
        ("cookie: session=Xy7Kq9Lm2Np4Rs6TuV", "Xy7Kq9Lm2Np4Rs6TuV"),
        ("token=abc=Xy7Kq9Lm2Np4Rs6T", "Xy7Kq9Lm2Np4Rs6T"),
        ("password: hunter2=x", "hunter2"),
        ("password=hunter2 && echo ok", "hunter2"),
        ("DB_PASSWORD=s3cret ./start.sh", "s3cret"),
        ("token: letmein ?", "letmein"),
        ('password = f"hunter2{x}"', "hunter2"),
        ("secret: dict_Xy7Kq9Lm2Np4Rs6T", "Xy7Kq9Lm2Np4Rs6T"),
        ('api_key = "v2.Xy7Kq9Lm2Np4Rs6T"', "Xy7Kq9Lm2Np4Rs6T"),
        ("secrets.py:API_TOKEN=Xy7Kq9Lm2Np4Rs6TuVw", "Xy7Kq9Lm2Np4Rs6TuVw"),
    ],
)
def test_values_that_only_look_like_those_are_still_masked(text: str, secret: str) -> None:
    assert secret not in R.redact_text(text)
