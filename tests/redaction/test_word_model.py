"""The one word-versus-random model (``word_model.py``): its contract, examples from real code,
and properties over generated values."""

from __future__ import annotations

import base64
import random
import re
import sysconfig
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent.redaction import word_model
from enforcement_agent.redaction.word_model import Kind, kind

_B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # names code writes
        ("nextchar", Kind.CODE_NAME),
        ("PydanticDeprecatedSince20", Kind.CODE_NAME),
        ("SN_id_Gost28147_89_KeyMeshing", Kind.CODE_NAME),
        ("_V2WrapValidatorType", Kind.CODE_NAME),
        ("asset_checks_by_key", Kind.CODE_NAME),
        ("FIELD_NO_DEFAULT_PROVIDED", Kind.CODE_NAME),
        ("b64encode", Kind.CODE_NAME),
        ("oauth2client", Kind.CODE_NAME),
        ("ResolvedAssetKey", Kind.CODE_NAME),
        # a person's words and numbers: never a generated token, never a code name
        ("hunter2hunter2", Kind.WORDS),
        ("correct-horse-battery-staple", Kind.WORDS),
        ("gpt-4o-mini-2024-07-18", Kind.WORDS),
        ("Llama-2-7b-chat-hf", Kind.WORDS),
        ("navi-30-day-hardening", Kind.WORDS),
        # ids and digests
        ("3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", Kind.HEX),
        ("0123456789abcdef0123456789abcdef", Kind.HEX),
        ("ord_8e8285d0c7a8", Kind.HEX),
        ("2026-11-25", Kind.NUMBER),
        ("1.4.2", Kind.NUMBER),
        # charset constants, fillers
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", Kind.SEQUENCE),
        ("abcabcabcabc", Kind.SEQUENCE),
        # generated
        ("Q7xezykzl77Nb5CLWnh9DS0krl8zqknmghuf", Kind.RANDOM),
        ("0ig5gbuqzp0vigo60rvtlko5", Kind.RANDOM),
        ("SEeNW8bM_Rref", Kind.RANDOM),
        ("I5SYNPRFZI41", Kind.RANDOM),
        # neither
        ("", Kind.OTHER),
        ("two words, with punctuation!", Kind.OTHER),
    ],
)
def test_kind_of_known_values(value: str, expected: Kind) -> None:
    assert kind(value.encode()) is expected


def test_hunter2hunter2_is_no_code_name_anywhere() -> None:
    # Three heuristics used to call this password a code name: a variable passed along.
    from enforcement_agent.redaction.engine import _code_ref

    assert kind(b"hunter2hunter2") is not Kind.CODE_NAME
    assert not _code_ref(b"hunter2hunter2")
    assert not word_model.randomness(b"hunter2hunter2")  # nor generated: words and a digit
    from tests.redaction.helpers import redactor

    r = redactor()
    for line in (
        "connect(host=db, password=hunter2hunter2)",
        "password: hunter2hunter2 | None = None",
        "password=hunter2hunter2\nsee hunter2hunter2 again",
    ):
        assert "hunter2hunter2" not in r.redact_text(line), line


def _identifiers(limit: int = 4000) -> list[bytes]:
    root = Path(sysconfig.get_paths()["purelib"]) / "dagster"
    names: set[bytes] = set()
    for path in sorted(root.rglob("*.py"))[:300]:
        for m in re.findall(rb"\b[A-Za-z_][A-Za-z0-9_]{11,}\b", path.read_bytes()):
            if not re.fullmatch(rb"[0-9a-f_]+", m):
                names.add(m)
    return sorted(names)[:limit]


def test_real_identifiers_read_as_code_names_not_random() -> None:
    names = _identifiers()
    assert len(names) > 1000
    random_ones = [n for n in names if kind(n) is Kind.RANDOM]
    # The model was fitted on other packages' identifiers: 0.3 % read as random there.
    assert len(random_ones) <= len(names) // 100, random_ones[:20]


@settings(max_examples=400, deadline=None)
@given(
    n=st.integers(min_value=40, max_value=64),
    seed=st.integers(min_value=0, max_value=2**32),
    alphabet=st.sampled_from([_B62, _B62 + "+/", _B62[26:], _B62[:26] + _B62[52:]]),
)
def test_generated_tokens_of_40_or_more_are_random(n: int, seed: int, alphabet: str) -> None:
    rnd = random.Random(seed)
    value = "".join(rnd.choice(alphabet) for _ in range(n)).encode()
    if kind(value) in (Kind.HEX, Kind.NUMBER, Kind.SEQUENCE):
        return  # a draw can be all hex or all digits: that is what it then is
    assert kind(value) is Kind.RANDOM


def test_few_shorter_generated_tokens_read_as_words() -> None:
    """16 to 39 characters: short letter runs can read as words (``RK7l+38ntTL07N0f``); the
    model was fitted to let a fraction of a percent through, on a fixed sample (a per-example
    property over random draws would fail one run in five)."""
    rnd = random.Random(20261125)
    alphabets = [_B62, _B62 + "+/", _B62[26:], _B62[:26] + _B62[52:]]
    misread = total = 0
    for i in range(20000):
        value = "".join(rnd.choice(alphabets[i % 4]) for _ in range(rnd.randint(16, 39))).encode()
        if kind(value) in (Kind.HEX, Kind.NUMBER, Kind.SEQUENCE):
            continue
        total += 1
        misread += kind(value) is not Kind.RANDOM
    assert misread / total <= 0.005, (misread, total)


_WORDS = st.sampled_from(
    [
        "user",
        "Table",
        "build",
        "Cache",
        "index",
        "42",
        "Result",
        "items",
        "2026",
        "log",
        "final",
        "config",
        "server",
        "v2",
        "handler",
        "default",
        "client",
        "7b",
        "Model",
        "shard",
    ]
)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(_WORDS, min_size=2, max_size=6), sep=st.sampled_from(["_", "-", "."]))
def test_words_and_numbers_joined_are_never_random(words: list[str], sep: str) -> None:
    value = sep.join(words).encode()
    assert kind(value) is not Kind.RANDOM, value


@settings(max_examples=300, deadline=None)
@given(words=st.lists(_WORDS.filter(str.isalpha), min_size=2, max_size=5))
def test_words_glued_as_code_glues_them_are_never_random(words: list[str]) -> None:
    value = "".join(w[:1].upper() + w[1:] for w in words).encode()  # CamelCase
    assert kind(value) is not Kind.RANDOM, value
    snake = "_".join(words).lower().encode()
    assert kind(snake) in (Kind.CODE_NAME, Kind.SEQUENCE), snake  # log_log_log is a repeat


@settings(max_examples=300, deadline=None)
@given(value=st.binary(max_size=400))
def test_kind_is_total_and_deterministic(value: bytes) -> None:
    first = kind(value)
    assert isinstance(first, Kind)
    kind.cache_clear()
    assert kind(value) is first
    assert word_model.randomness(value) in (True, False)


@settings(max_examples=200, deadline=None)
@given(
    digits=st.text(alphabet="0123456789abcdef", min_size=16, max_size=80),
    dashes=st.booleans(),
)
def test_hex_is_hex_never_random(digits: str, dashes: bool) -> None:
    value = digits if not dashes else "-".join(digits[i : i + 8] for i in range(0, len(digits), 8))
    k = kind(value.encode())
    assert k in (Kind.HEX, Kind.NUMBER, Kind.SEQUENCE), (value, k)
    assert not word_model.randomness(value.encode())


def test_time_is_linear_and_bounded() -> None:
    # Only the first MAX_LEN bytes are looked at: a megabyte value costs what 256 bytes do.
    big = (b"Q7xezykzl77Nb5CLWnh9DS0k" * 50_000)[:1_000_000]
    t = time.process_time()
    for i in range(200):
        kind.cache_clear()
        kind(big[i:])
    assert time.process_time() - t < 5.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("teasBtIgeKAOTNwxyLIwwqm+iUSYbcnZvfLwNjau", True),  # base64, no digit
        ("Q7xezykzl77Nb5CLWnh9DS0k", True),
        ("3f2b1c4d5e6f708192a3b4c5d6e7f8091a2b3c4d", True),  # 40 hex digits
        ("3f2b1c4d5e6f7081", False),  # a short hex id
        ("providerChainResolverFactory", False),
        ("correct-horse-battery-staple", False),
        ("0.38312345678901234567", False),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef", False),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", False),
    ],
)
def test_key_material(value: str, expected: bool) -> None:
    assert word_model.key_material(value.encode()) is expected


@settings(max_examples=500, deadline=None)
@given(seed=st.integers(0, 2**32), n=st.integers(24, 48), urlsafe=st.booleans())
def test_base64_of_random_bytes_is_key_material(seed: int, n: int, urlsafe: bool) -> None:
    raw = random.Random(seed).randbytes(n)
    v = (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(raw).rstrip(b"=")
    assert word_model.key_material(v), v
