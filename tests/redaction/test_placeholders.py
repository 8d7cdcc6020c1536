"""Placeholders pass through; the same key with a real literal is still masked.

Every placeholder case is paired with the same line carrying a runtime-built literal, so a rule
that let secrets through would fail here, not just a rule that over-masks.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
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


_PRINTABLE = "".join(chr(c) for c in range(33, 127) if chr(c) not in "\"'`\\")


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    length=st.integers(20, 700),
    inserted=st.sampled_from(["{_he}", "{abc}", "{x.y}", "a.b", "${", "{{", "$(x)", ""]),
    at=st.floats(0, 1),
    form=st.sampled_from(['password: "{v}"', "secret = '{v}'", '{{"token": "{v}"}}']),
)
def test_a_random_printable_password_holding_a_template_piece_is_masked(
    seed: int, length: int, inserted: str, at: float, form: str
) -> None:
    """A password drawn from every printable character holds "{_he}", "a.b" or "x(" now and
    then; that does not make it a template or code (a 516-character one used to leak whole).
    It never opens with a template here (that one is a template: see the test below), and a
    documentation filler ("***", "..[") is the fake rule's, tested on its own."""
    import random

    rnd = random.Random(seed)
    value = "q7Z" + "".join(rnd.choice(_PRINTABLE) for _ in range(length))
    cut = 3 + int(at * (len(value) - 3))
    value = value[:cut] + inserted + value[cut:]
    assume(not looks_fake(value.encode()))
    out = R.redact_text("INFO x\n" + form.format(v=value) + "\nINFO y\n")
    assert all(value[i : i + 12] not in out for i in range(0, len(value) - 12, 12)), out


@pytest.mark.parametrize("opener", ["${", "{{", "$(", "{%", "%{", "%("])
@pytest.mark.parametrize("rest", ["0000", "DB_PASSWORD}", "name)s", "Xk9#!q;<zAB3kd9"])
def test_a_value_opening_with_a_template_is_one_for_every_rule(opener: str, rest: str) -> None:
    """The key-word anchor dismisses a value that opens with a template; the placeholder rules
    say the same of it, so no rule masks what another calls a slot ("%{0000" used to differ)."""
    value = opener + rest
    assert is_template_or_code(value.encode())
    assert R.redact_text(f'password = "{value}"') == f'password = "{value}"'


@pytest.mark.parametrize(
    "value",
    [
        "q7ZTX(DfcVIbPo>e4G4/tCir5J/,|Mal/PZKsv=kb",  # a call's head, then a password
        "Zx9(k;Lm2#Qw8!",
        "q7ZlTW{_he}2p_{9SJL:994@5ltB",  # an interpolation with an unclosed brace around it
        "q7ZmPA$KukxtNmo{w3XY{_he}qyr",
        "a8F.kQ>2z{ab}W7^m",
    ],
)
def test_code_pieces_inside_a_random_password_do_not_make_it_code(value: str) -> None:
    assert not is_template_or_code(value.encode())
    assert value not in R.redact_text(f'password = "{value}"')


@pytest.mark.parametrize(
    "value",
    [
        'os.getenv("DB_PASSWORD")',
        "env(DB_PASSWORD, default=none)",
        "lookup('env', 'X')",
        "https://host/?token={{ token }}",
        "{self.base_url}_data",
        "postgres://${USER}:${PASS}@db",
    ],
)
def test_code_and_templates_stay_slots(value: str) -> None:
    assert is_template_or_code(value.encode())


@pytest.mark.parametrize(
    "value",
    [
        "q7Z_X(8vMCS{zLQRk58.-0p{_he}",  # found by hypothesis: an open "call" of password bytes
        "aB3_k(9vMCS{zLQRk58.-0p",
        "Tok_Z(xx-7Yq{Lm}Rk58Pq9",
    ],
)
def test_a_password_that_opens_a_parenthesis_is_not_an_open_call(value: str) -> None:
    out = R.redact_text(f'password: "{value}"\n')
    assert value not in out and value[:10] not in out, out
