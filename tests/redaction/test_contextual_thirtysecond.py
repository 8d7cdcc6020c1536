"""Thirty-second held-out contextual pass (issue 18, ctx32): the thirty-first pass's open psql
``\\pset border 0`` tables, each case whole and streamed (at 64 and 4,096 bytes and twice in
random chunks, through the twenty-sixth pass's ``check_shape``), with clean controls: names
centred over a rule of dash runs one blank apart, the rows' columns one blank apart too; and a
note on how a value is shown between a secret's name and a colon (``Token (masked): …``).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.redaction.held_out import R
from tests.redaction.helpers import assert_linear
from tests.redaction.test_contextual_twentysixth import (
    _hex40,
    _key,
    _uuid,
    check_case,
    check_shape,
)


def border0(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """psql's ``\\pset border 0``: ``id  api_key  region`` over ``-- ------ ------``."""
    names = [
        "api_key",
        "db_password",
        "client_secret",
        "github_token",
        "apiKey",
        "api.key",
        "SECRET_KEY",
    ]
    n = rnd.choice(names if sec else ["git_commit", "request_id", "checksum", "build_id"])
    vals = [_key(rnd) if sec else rnd.choice([_hex40(rnd), _uuid(rnd)]) for _ in range(2)]
    w = max(len(n), *map(len, vals))
    if shape == "last":
        rows = "".join(f" {k + 1} {'eu west':^7} {v}\n" for k, v in enumerate(vals))
        text = f"id {'region':^7} {n:^{w}}\n-- ------- {'-' * w}\n{rows}(2 rows)\n\n"
    else:
        rows = "".join(f" {k + 1} {v:<{w}} eu\n" for k, v in enumerate(vals))
        text = f"id {n:^{w}} region\n-- {'-' * w} ------\n{rows}(2 rows)\n\n"
    return text, vals if sec else []


def noted_colon(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """A note on how the value is shown between a secret's name and a colon: ``Token (masked):
    …``, PowerShell ``Format-List``'s ``Token(masked) : …``, after a ``\\r`` redraw."""
    note = rnd.choice(["(masked)", "(plain)", "[decrypted]", "(base64)", "(raw)"])
    n = rnd.choice(
        ["Token", "Password", "client_secret", "API_KEY"] if sec else ["Commit", "Digest"]
    )
    v = _key(rnd) if sec else rnd.choice([_hex40(rnd), _uuid(rnd)])
    if shape == "table":
        w = max(len(n + note), len(v))
        text = (
            f"\r\nName    {n + note:<{w}}\r\n----    {'-' * len(n + note):<{w}}\r\nweb     {v}\r\n"
        )
    elif shape == "list":
        text = f"\r\nName          : web\r\n{n + note:<13} : {v}\r\n\r\n"
    else:
        text = f"{n} {note}: \r{n} {note}: {v}\n"
    return text, [v] if sec else []


SHAPES = {border0: ["middle", "last"], noted_colon: ["table", "list", "redraw"]}
CASES = [(fn, shape) for fn, shapes in SHAPES.items() for shape in shapes]
IDS = [f"{fn.__name__}-{shape}" for fn, shape in CASES]


@pytest.mark.parametrize(("fn", "shape"), CASES, ids=IDS)
def test_shape(fn, shape) -> None:  # type: ignore[no-untyped-def]
    """Three secret cases (the first with a hex key) masked, two clean ones unchanged."""
    check_shape(fn, shape, "ctx32")


# Long inputs for the new expressions and branches: each is read in linear time.
LONG: dict[str, object] = {
    "rule_runs": lambda n: b"id api_key\n" + b"-- " * (n // 3),
    "rule_dashes": lambda n: b"id api_key\n" + b"-" * n + b" x",
    "ruled_rows": lambda n: (
        b"id api_key__________________ eu\n-- -------------------------- --\n"
        + b" 1 ab12cd34ef56gh78ij90kl12mn eu\n" * (n // 33)
    ),
    "note_blanks": lambda n: b"Token (masked)" + b" " * n + b": x",
    "notes": lambda n: b"Token (masked)" * (n // 14) + b": x",
    "ruled_words": lambda n: b"id api_key\n-- -------\n" + b" 1 " + b"x " * (n // 2),
}


@pytest.mark.parametrize("name", sorted(LONG))
def test_long_inputs_in_linear_time(name: str) -> None:
    assert_linear(R, LONG[name])  # type: ignore[arg-type]


@settings(max_examples=20, deadline=None, derandomize=True)
@given(st.integers(0, len(CASES) - 1), st.booleans(), st.integers(0, 10**6))
def test_any_case_any_split(k: int, sec: bool, seed: int) -> None:
    check_case(*CASES[k], seed, sec)
