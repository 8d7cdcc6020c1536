"""Detector behaviour on runtime-built secrets: provider formats, key names, URLs, encodings."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest

from tests.redaction.helpers import (
    SAMPLES,
    aws_key_id,
    github_token,
    private_key_block,
    rand,
    redactor,
)

R = redactor()


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_provider_token_in_plain_log_line_is_removed(name: str) -> None:
    secret = SAMPLES[name]()
    out = R.redact_text(f"2026-11-25 INFO calling api with {secret} now")
    assert secret not in out
    assert "[REDACTED:" in out
    assert out.startswith("2026-11-25 INFO calling api with ")


def test_private_key_block_removed_whole() -> None:
    block = private_key_block()
    out = R.redact_text(f"key file:\n{block}\ndone")
    assert "PRIVATE KEY" not in out.replace("[REDACTED", "")
    assert block.splitlines()[2] not in out
    assert out.endswith("\ndone")


@pytest.mark.parametrize(
    "template",
    [
        "password=%s",
        "DB_PASSWORD: %s",
        '{"client_secret": "%s"}',
        "api_key = '%s'",
        "<password>%s</password>",
        "--password %s",
        "Authorization: Bearer %s",
        "Cookie: session_token=%s",
        "token: %s",
    ],
)
def test_key_name_redacts_low_entropy_value(template: str) -> None:
    value = "hunter2hunter"  # deliberately low entropy: key names decide, not randomness
    out = R.redact_text(template % value)
    assert value not in out, out


def test_credentials_in_urls_and_connection_strings() -> None:
    pw = rand(12, 9)
    for text in (
        f"postgres://app:{pw}@db.internal:5432/app",
        f"mongodb+srv://root:{pw}@cluster0.example.net/test",
        f"Server=db;User Id=sa;Password={pw};Encrypt=true",
        f"git clone https://x-access-token:{pw}@example.invalid/org/repo.git",
    ):
        out = R.redact_text(text)
        assert pw not in out, out


def test_clean_text_is_untouched() -> None:
    clean = (
        "GET /api/v1/users/12345 200 0.012s trace=4bf92f3577b34da6a3ce929d0e0e4736\n"
        "sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 ok\n"
        "primary_key = id, max_tokens = 512, monkey: banana\n"
    )
    assert R.redact_text(clean) == clean


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: base64.b64encode(s.encode()).decode(),
        lambda s: base64.urlsafe_b64encode(s.encode()).decode().rstrip("="),
        lambda s: s.encode().hex(),
        lambda s: "".join(f"%{b:02X}" for b in s.encode()),
        lambda s: "".join(f"\\u{ord(c):04x}" for c in s),
        lambda s: json.dumps(json.dumps({"env": {"TOKEN": s}})),
        lambda s: f"\x1b[1m{s}\x1b[0m",
        lambda s: quote(s, safe=""),
    ],
    ids=["b64", "b64url", "hex", "pct", "uesc", "json2", "ansi", "quote"],
)
def test_encoded_provider_tokens_are_decoded_and_removed(encode: object) -> None:
    secret = github_token(11)
    encoded = encode(secret)  # type: ignore[operator]
    out = R.redact_text(f"payload={encoded} end")
    assert secret not in out
    assert encoded not in out


def test_redact_obj_masks_secret_keys_and_nested_strings() -> None:
    aws = aws_key_id()
    obj = {
        "user": "alice",
        "password": "x1",  # short, but the key name decides
        "nested": [{"note": f"key {aws}"}, ("authorization", "Basic dXNlcjpwYXNz")],
        "count": 3,
        "max_tokens": 512,
    }
    out = R.redact_obj(obj)
    assert out["user"] == "alice" and out["count"] == 3 and out["max_tokens"] == 512
    assert out["password"].startswith("[REDACTED:kv-secret:")
    assert aws not in json.dumps(out)
    assert "dXNlcjpwYXNz" not in json.dumps(out)


def test_value_seen_once_is_redacted_everywhere_nearby() -> None:
    value = rand(20, 12)
    out = R.redact_text(f"secret = '{value}'\necho {value}\n")
    assert value not in out


def test_curl_user_on_a_continued_line() -> None:
    pw = rand(16, 81)
    text = f"curl -k -X POST https://x.example.invalid/a \\\n  -H 'Accept: text/plain' \\\n  -u dev:{pw}"
    assert pw not in R.redact_text(text)


def test_session_values_and_quoted_auth_fields() -> None:
    session = rand(40, 82, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    assert session not in R.redact_text(f"aws credentials:\n  session: {session}\n")
    auth = rand(10, 83, "abcdefghijklmnopqrstuvwxyz")  # short and lower-case: only the name says so
    config = '{"auths":{"https://r.example.invalid":{"auth":"' + auth + '"}}}'
    assert auth not in R.redact_text(config)
    # A bare "key" field stays data: cache keys are not credentials.
    assert R.redact_text('{"key": "user:42"}') == '{"key": "user:42"}'


def test_indexed_environment_assignment() -> None:
    value = rand(32, 84, "0123456789abcdef")
    assert value not in R.redact_text(f"os.environ[\"OPENAI_API_KEY\"] = '{value}'")


def test_tableau_personal_access_token_secret() -> None:
    secret = (
        rand(22, 85, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        + "==:"
        + rand(32, 86)
    )
    assert secret not in R.redact_text(f"pat test-token-6\n{secret}\n")
