"""A measurement under a secret-sounding name is not key material.

``"secret-to-env": 0.383`` is a ratio (a config weight, a score, a threshold), and masking it
blinds the output for nothing. A number written as a quantity — a fraction part, a sign, a signed
exponent, a percent — is kept under every key-name form; unsigned integers stay masked (numeric
tokens, Discord ids and PINs are integers), and so does anything with a letter after the digits.
Each case is checked whole, through the pure-Python fallback, and streamed at every cut.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent.redaction import word_model
from tests.redaction.helpers import rand, redactor

R = redactor()
SLOW = redactor(use_hyperscan=False)

NAMES = [
    "secret-to-env",
    "secret_ratio",
    "password",
    "db_password",
    "api_key",
    "apiKey",
    "token",
    "auth_token",
    "client_secret",
    "SECRET_WEIGHT",
    "credentials",
    "private_key",
]
QUANTITIES = [
    "0.383",
    "0.5",
    "-0.5",
    "+12.5",
    "3.14159",
    "1.5e-3",
    "2.0E+10",
    "6e-05",
    ".25",
    "12.5%",
    "-42",
    "99.999999999999",
    "0.30000000000000004",
]
FORMS = [
    '{{"{k}": {v}}}',
    '{{"{k}": {v}, "enabled": true}}',
    '[{{"{k}": {v}}}]',
    '{{"{k}": "{v}"}}',
    "{k}: {v}",
    "  {k}: {v}  # tuned",
    "{k}={v}",
    "export {k}={v}",
    "{k} = {v}",
    "{k} = '{v}'",
    "--{k} {v}",
    "--{k}={v}",
    "<{k}>{v}</{k}>",
    'setProperty("{k}", "{v}")',
    "{k} | {v}",
    "Server=db;Password={v};",
]


def _stream_every_cut(data: bytes) -> None:
    whole = R.redact_bytes(data)
    for i in range(len(data) + 1):
        s = R.stream()
        assert s.feed(data[:i]) + s.feed(data[i:]) + s.flush() == whole, i


@pytest.mark.parametrize("form", FORMS)
def test_quantities_under_secret_names_are_kept(form: str) -> None:
    for name in NAMES:
        for value in QUANTITIES:
            line = form.format(k=name, v=value) + "\n"
            data = ("INFO loaded config\n" + line + "INFO done\n").encode()
            out = R.redact_bytes(data)
            assert out == data, (line, out)
            assert SLOW.redact_bytes(data) == data, line
    _stream_every_cut(("x\n" + form.format(k="secret-to-env", v="0.383") + "\n").encode())


@pytest.mark.parametrize("form", FORMS)
def test_the_same_forms_still_mask_integers_and_literals(form: str) -> None:
    """The pairing that keeps recall: same names, same forms, a value that is not a quantity."""
    literals = [
        "905291670635684485",  # a numeric token (Discord-style id used as a token)
        "8082634629179371",
        "0.383abc",  # digits then letters: a literal, not a number
        "3.14.15.92",  # dotted, not one decimal
        rand(24, 7),
        "hunter2hunter2",
    ]
    for value in literals:
        if form == "{k} | {v}" and len(value) < 16:
            continue  # a table row needs a 16+ character token ("$TOKEN | base64" is a pipe)
        line = form.format(k="db_password", v=value)
        out = R.redact_text("INFO x\n" + line + "\n")
        assert value not in out, (line, out)
        assert "[REDACTED:" in out


def test_table_column_keeps_quantities_and_masks_secrets() -> None:
    secret = rand(40, 11)
    text = f"name,secret,score\nprod,0.383,0.9\nstage,{secret},0.1\nqa,-1.5e-3,0.2\n"
    out = R.redact_text(text)
    assert "prod,0.383,0.9" in out and "qa,-1.5e-3,0.2" in out
    assert secret not in out and "[REDACTED:column-secret:" in out
    _stream_every_cut(text.encode())


def test_redact_obj_keeps_floats_and_masks_integers_and_strings() -> None:
    obj = {
        "secret-to-env": 0.383,
        "token_weight": -1.5e-3,
        "password": "0.25",
        "api_key": 905291670635684485,
        "client_secret": "0.383abc",
        "nested": [{"secret": 12.5, "token": "s3cr3t-value"}],
    }
    out = R.redact_obj(obj)
    assert out["secret-to-env"] == 0.383 and out["token_weight"] == -1.5e-3
    assert out["password"] == "0.25" and out["nested"][0]["secret"] == 12.5
    dumped = json.dumps(out)
    assert "905291670635684485" not in dumped
    assert "0.383abc" not in dumped and "s3cr3t-value" not in dumped


@pytest.mark.parametrize(
    ("value", "quantity"),
    [
        ("0.383", True),
        ("-0.5", True),
        ("1e-5", True),
        ("1E+5", True),
        ("12.5%", True),
        ("-42", True),
        ("0.383}", True),
        ("0.5]}", True),
        ("42", False),  # an unsigned integer: maybe a numeric token
        ("1e5", False),  # hex-like without a sign: 1e5, 4e12345 are hex runs too
        ("0.383abc", False),
        ("1.2.3", False),
        ("0x1F", False),
        ("", False),
        (".", False),
        ("-", False),
        ("0.383 0.5", False),
    ],
)
def test_is_quantity(value: str, quantity: bool) -> None:
    assert word_model.is_quantity(value.encode()) is quantity


@settings(max_examples=300, deadline=None)
@given(
    x=st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()),
    name=st.sampled_from(NAMES),
    form=st.sampled_from(FORMS[:11]),
)
def test_any_float_as_python_and_json_write_it_is_kept(x: float, name: str, form: str) -> None:
    value = json.dumps(x)
    assert not math.isnan(x)
    line = form.format(k=name, v=value) + "\n"
    assert R.redact_text(line) == line
