"""Placeholders pass through; the same key with a real literal is still masked.

Every placeholder case is paired with the same line carrying a runtime-built literal, so a rule
that let secrets through would fail here, not just a rule that over-masks.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent.redaction.canary import canary_env, make_canaries
from enforcement_agent.redaction.detectors import reject_placeholder
from enforcement_agent.redaction.placeholders import (
    is_template_or_code,
    looks_fake,
    names_instead_of_value,
)
from tests.redaction.helpers import aws_key_id, github_token, rand, redactor, slack_token

R = redactor()
REAL = "hunter2-real"  # low entropy on purpose: the key name decides, not randomness


@pytest.mark.parametrize(
    "template",
    [
        "password = {v}",
        'password = "{v}"',
        "DB_PASSWORD: {v}",
        '{{"client_secret": "{v}"}}',
        "api_key = '{v}'",
        "export API_TOKEN={v}",
        "secret: {v}",
        "administrator_login_password = {v}",
    ],
)
@pytest.mark.parametrize(
    "placeholder",
    [
        "xxxx",
        "XXXXXXXXXXXX",
        "${DB_PASSWORD}",
        "${{ secrets.API_TOKEN }}",
        "{{ vault_password }}",
        "$API_TOKEN",
        "<your-token>",
        "%DB_PASSWORD%",
        "****",
        "[Redacted]",
        "ops_eyJ" + "hbGciOiJ" + "..[Redacted]",
        "abc…def",
        "var.db_password",
        "settings.SECRET_KEY",
        "os.environ.get(TOKEN)",
        "getenv(API_KEY)",
        "PASSWORD",
        "AK" + "IA" + "QWERTYU7" + "EXAMPLE",
    ],
)
def test_placeholder_passes_and_literal_is_masked(template: str, placeholder: str) -> None:
    line = template.format(v=placeholder)
    if "'" in placeholder or '"' in placeholder:
        pytest.skip("quotes inside the value change the line's shape")
    assert R.redact_text(line) == line, line
    real = template.format(v=REAL)
    out = R.redact_text(real)
    assert REAL not in out and "[REDACTED:" in out, out


@pytest.mark.parametrize(
    "line",
    [
        'curl -H "Authorization: Bearer XXXXXXXXXXXX" https://api.example.invalid',
        'curl -H "Authorization: Bearer $API_KEY" https://api.example.invalid',
        'curl -H "Authorization: Bearer <token>" https://api.example.invalid',
        'curl -H "Authorization: Bearer $(gcloud auth print-access-token)" x',
        'curl -H "Authorization: Token ***********" x',
        "curl -u username:token https://x.example.invalid",
        "oauth:\n  secretStoreRef:\n    name: example",
        "access_token_url='https://github.com/login/oauth/access_token'",
        "secret_length = Curve448.secret_length",
        "passwordVariable: 'PASSWORD'",
        'LLM_SECRET_NAME = "ACME-GPT4-API-KEY"',
        "db-password: ENC[AES256_GCM,data:" + "Qm9ndXM=,iv:AAAA,type:str]",
    ],
)
def test_templates_code_and_names_are_not_values(line: str) -> None:
    assert R.redact_text(line) == line


def test_auth_header_with_real_token_is_still_masked() -> None:
    token = rand(32, 71)
    out = R.redact_text(f'curl -H "Authorization: Bearer {token}" https://x.example.invalid')
    assert token not in out


@pytest.mark.parametrize(
    "fake",
    [
        "gh" + "p_" + "x" * 36,
        "AK" + "IA" + "X" * 16,
        "AI" + "za" + "a" * 35,
        "xo" + "xb-" + "0" * 11 + "-" + "x" * 24,
        "gl" + "pat-" + "XXXXXXXXXXX-XXXXXXXX",
        "gl" + "c_" + "1" * 42 + "=",
        "sn" + "tryu_" + "a" * 64,
    ],
)
def test_provider_shaped_placeholders_are_masked_anyway(fake: str) -> None:
    # A provider prefix with filler is masked: over-masking a documentation slot costs nothing,
    # and scanners' own fixtures (and lazy test keys that do work) look exactly like this.
    # Under a bare key name the same filler passes (it carries no format to confirm it).
    out = R.redact_text(f"export TOKEN_VALUE={fake}")
    assert fake not in out and "[REDACTED:" in out, out
    assert R.redact_text("password = xxxxxxxx") == "password = xxxxxxxx"


@pytest.mark.parametrize("make", [github_token, aws_key_id, slack_token])
def test_real_provider_tokens_are_not_fake(make: object) -> None:
    for seed in range(200):
        value = make(seed)  # type: ignore[operator]
        assert not looks_fake(value.encode()), value
        assert value not in R.redact_text(f"token: {value}")


def test_canaries_stay_detected() -> None:
    for seed in ("demo", "leak-scan-test-seed", "s1", "s2"):
        for name, value in canary_env(make_canaries(seed)).items():
            assert not looks_fake(value.encode())
            assert value not in R.redact_text(f"{name}={value}")


_LITERAL = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, blacklist_characters="\"'`\\"),
    min_size=6,
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_random_credentials_are_never_placeholders(seed: int) -> None:
    # A credential drawn at random from a token alphabet is never classified as a slot.
    value = rand(24, seed, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
    assert not looks_fake(value.encode())
    assert not is_template_or_code(value.encode())
    assert not names_instead_of_value(value.encode())
    assert value not in R.redact_text(f'password = "{value}"')


@settings(max_examples=200, deadline=None)
@given(_LITERAL)
def test_quoted_password_literal_never_survives_unless_a_slot(value: str) -> None:
    out = R.redact_text(f'password = "{value}"')
    raw = value.encode()
    is_slot = (
        reject_placeholder(raw)
        or looks_fake(raw)
        or is_template_or_code(raw)
        or names_instead_of_value(raw)
    )
    assert (value not in out) or is_slot, out
