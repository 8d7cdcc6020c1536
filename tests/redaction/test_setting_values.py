"""A setting or a measurement under a secret-sounding name is not the secret.

``timeout_secret_ms: 3000``, ``"token_count": 12``, ``password_hash_algo: argon2id``: a word of
the name (a unit, a limit, a kind, a switch: ``names.SETTING_WORDS``) says the value is about a
secret, and a number, a boolean or one short word under it is the setting's value. Recall is
the other half of every case here: the same names with random key material (mixed-case random
strings, 32+ hex digits, base64 of random bytes) are still masked, and integers under names
that are only a secret's (``db_password: 3000``, ``pin_secret: 4711``) still are.
"""

from __future__ import annotations

import base64
import json
import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from enforcement_agent.redaction import names
from enforcement_agent.redaction.detectors import is_key_name, setting_value
from enforcement_agent.redaction.placeholders import looks_fake
from tests.redaction.helpers import rand, redactor
from tests.redaction.test_quantities import _stream_every_cut

R = redactor()
SLOW = redactor(use_hyperscan=False)

SETTING_NAMES = [
    "timeout_secret_ms",
    "TIMEOUT_SECRET_MS",
    "secret-ttl-seconds",
    "tokenCount",
    "token_budget",
    "password_max_age",
    "password_hash_algo",
    "jwtSecretAlgorithm",
    "secret_encryption_mode",
    "token_expiry_minutes",
    "api_key_rotation_days",
    "PASSWORD_MIN_LENGTH",
    "secret_retry_limit",
    "auth_token_refresh_interval",
    "client_secret_enabled",
]
SETTING_VALUES = [
    "3000",
    "12.5",
    "1_000_000",
    "86,400",
    "30s",
    "64MB",
    "90%",
    "true",
    "False",
    "off",
    "null",
    "argon2id",
    "HS256",
    "aes-256-gcm",
    "strict",
    "weekly",
    "2026-01-31",
    "1.4.2",
]
# The configuration forms of test_quantities (the same key-name forms), and an INI section.
FORMS = [
    "{k}: {v}",
    "  {k}: {v}  # tuned",
    "{k}={v}",
    "export {k}={v}",
    "{k} = {v}",
    '{k} = "{v}"',
    '{{"{k}": "{v}"}}',
    "--{k} {v}",
    "--{k}={v}",
    "<{k}>{v}</{k}>",
    "[{k}]\n{v}",
]


@pytest.mark.parametrize("form", FORMS)
def test_settings_under_secret_sounding_names_are_kept(form: str) -> None:
    for name in SETTING_NAMES:
        for value in SETTING_VALUES:
            line = form.format(k=name, v=value)
            data = ("INFO loaded config\n" + line + "\nINFO done\n").encode()
            assert R.redact_bytes(data) == data, line
            assert SLOW.redact_bytes(data) == data, line
    _stream_every_cut(("x\n" + form.format(k="timeout_secret_ms", v="3000") + "\n").encode())


def _key_material(seed: int) -> list[str]:
    rnd = random.Random(seed)
    return [
        "Q7x" + rand(29, seed),  # mixed-case random letters and digits
        "".join(rnd.choice("0123456789abcdef") for _ in range(40)),  # 40 hex digits
        base64.b64encode(rnd.randbytes(30)).decode(),  # base64 of random bytes
    ]


# Names that end in their secret word, with setting words before it. A secret word followed by
# another word in quoted JSON ({"token_budget": …}, {"credential_age": …}) or a snake-case flag
# (--timeout_secret_ms …) is a known gap of the key-name rules, setting word or not
# (docs/redaction.md); a version's hex is a commit id (names.ID_WORDS).
RECALL_NAMES = [
    "timeout_secret",
    "TIMEOUT_MS_SECRET",
    "rotation-days-api-key",
    "maxAgePassword",
    "hash_algo_password",
    "retry_limit_client_secret",
    "expiry_token",
    "enabled_credential",
]


def _may_hold_key_material(name: str) -> bool:
    return not names.ends_with_id_word(name.encode()) and is_key_name(name.encode())


def _glued_hex(form: str, value: str) -> bool:
    """Hex glued by "=" to a name with a word after its secret word (token_x=<40 hex>) is
    dismissed as an id by the prefilter today, setting word or not: a known gap
    (docs/redaction.md), not this module's rule."""
    return "={v}" in form and all(c in "0123456789abcdef" for c in value)


# Configuration forms (YAML, env, assignments, JSON). Flags spelled in snake case
# (--timeout_secret_ms <key>) are a known gap of the flag rule, setting word or not.
RECALL_FORMS = FORMS[:7]


@pytest.mark.parametrize("form", RECALL_FORMS)
def test_key_material_under_the_same_names_is_masked(form: str) -> None:
    for i, name in enumerate(RECALL_NAMES):
        for value in _key_material(i):
            if _glued_hex(form, value):
                continue
            line = form.format(k=name, v=value)
            out = R.redact_text("INFO x\n" + line + "\n")
            assert value not in out, (line, out)


@pytest.mark.parametrize(
    "line",
    ["db_password: 3000", "pin_secret: 4711", "password=123456", 'secret = "8472"', "token: 9911"],
)
def test_integers_under_a_secret_only_name_stay_masked(line: str) -> None:
    value = line.split()[-1].split("=")[-1].strip('"')
    assert value not in R.redact_text(line + "\n").split(":", 1)[-1].split("=", 1)[-1]


@pytest.mark.parametrize(
    ("value", "setting"),
    [
        ("3000", True),
        ("12.5", True),
        ("30s", True),
        ("true", True),
        ("argon2id", True),
        ("aes-256-gcm", True),
        ("Q7xezykzl77Nb5CLWnh9DS0k", False),
        ("11XQ98FVS8WI", False),
        ("3f2b1c4d5e6f7a8b9c0d1e2f", False),
        ("dGhpcyBpcyBhIHNlY3JldCB0b2tlbg==", False),
        ("Tr0ub4dor&3", False),
        ("", False),
    ],
)
def test_setting_value(value: str, setting: bool) -> None:
    assert setting_value(value.encode()) is setting


def test_redact_obj_keeps_settings_and_masks_key_material() -> None:
    secret = "Q7x" + rand(29, 5)
    obj = {
        "timeout_secret": 3000,
        "hash_algo_password": "argon2id",
        "expiry_days_token": 30,
        "rotation_secret": secret,
        "db_password": 3000,
        "nested": [{"retry_limit_token": 5, "token": "s3cr3t-value"}],
    }
    out = R.redact_obj(obj)
    assert out["timeout_secret"] == 3000 and out["hash_algo_password"] == "argon2id"
    assert out["expiry_days_token"] == 30 and out["nested"][0]["retry_limit_token"] == 5
    dumped = json.dumps(out)
    assert secret not in dumped and '"db_password": 3000' not in dumped
    assert "s3cr3t-value" not in dumped


_PREFIX = st.sampled_from(["", "db", "auth", "jwt", "client", "api", "vault", "timeout"])
_SECRET = st.sampled_from(["secret", "token", "password", "passwd", "api_key", "credential"])
_SETTING = st.sampled_from(sorted(names.SETTING_WORDS - set(names.ID_WORDS)))
_STYLE = st.sampled_from(["snake", "kebab", "upper", "camel"])


def _spell(words: list[str], style: str) -> str:
    words = [w for part in words for w in part.split("_") if w]
    if style == "kebab":
        return "-".join(words)
    if style == "upper":
        return "_".join(words).upper()
    if style == "camel":
        return words[0] + "".join(w.capitalize() for w in words[1:])
    return "_".join(words)


_NUMBER = st.one_of(
    st.integers(0, 10**9).map(str),
    st.floats(0, 1e6, allow_nan=False).map(lambda f: f"{f:.3f}"),
    st.tuples(st.integers(1, 9999), st.sampled_from(["ms", "s", "m", "h", "d", "MB", "%"])).map(
        lambda t: f"{t[0]}{t[1]}"
    ),
    st.sampled_from(["true", "false", "yes", "no", "on", "off", "none", "null"]),
)


@settings(max_examples=300, deadline=None)
@given(
    prefix=_PREFIX,
    secret=_SECRET,
    setting=_SETTING,
    after=st.booleans(),
    style=_STYLE,
    value=_NUMBER,
    form=st.sampled_from(FORMS[:10]),
)
def test_any_number_or_switch_under_any_setting_name_is_kept(
    prefix: str, secret: str, setting: str, after: bool, style: str, value: str, form: str
) -> None:
    words = [prefix, secret, setting] if after else [setting, prefix, secret]
    name = _spell([w for w in words if w], style)
    line = form.format(k=name, v=value) + "\n"
    assert R.redact_text(line) == line


@settings(max_examples=300, deadline=None)
@given(
    prefix=_PREFIX,
    secret=_SECRET,
    setting=_SETTING,
    style=_STYLE,
    seed=st.integers(0, 10**6),
    which=st.integers(0, 2),
    form=st.sampled_from(RECALL_FORMS),
)
def test_key_material_under_any_setting_name_is_masked(
    prefix: str,
    secret: str,
    setting: str,
    style: str,
    seed: int,
    which: int,
    form: str,
) -> None:
    name = _spell([w for w in (setting, prefix, secret) if w], style)
    assume(_may_hold_key_material(name))
    value = _key_material(seed)[which]
    assume(not _glued_hex(form, value))
    # A random draw can spell a filler run ("xxXx"): the placeholder rule's documented trade-off.
    assume(not looks_fake(value.encode()))
    out = R.redact_text("INFO x\n" + form.format(k=name, v=value) + "\n")
    assert value not in out, out


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("--age-token 10000111", True),  # found by hypothesis: an auth scheme word ending the name
        ("--max-age-token 30s", True),
        ("--token-ttl 86400", True),
        ("--token 12345678", False),  # only a secret's name: an integer under it is masked
        ("Authorization: Bearer abcdefgh12345678", False),
        ('curl -H "Authorization: Token 12345678ab"', False),
        ("--age-token ZmFrZXRva2VuMTIzNDU2Nzg5", False),  # key material under a setting name
    ],
)
def test_an_option_ending_in_an_auth_scheme_word_is_a_name(line: str, kept: bool) -> None:
    for r in (R, SLOW):
        assert (r.redact_text(line + "\n") == line + "\n") is kept, (line, r.redact_text(line))
