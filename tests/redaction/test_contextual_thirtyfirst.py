"""Thirty-first held-out contextual pass (issue 18, ctx31): the thirtieth pass's open leaks and
the fresh draws' classes, each case whole and streamed (at 64 and 4,096 bytes and twice in random
chunks, through the twenty-sixth pass's ``check_shape``), with clean controls of the same shapes:

- an aligned table's value that neither starts nor ends where its header does: a centred header
  over a wider value (rich's ``justify="center"``, its Markdown tables under a ``━`` rule) or a
  value a blank or two right of its header's start (bold header cells with a blank of padding);
- a digest by its own shape (``sha256:<hex>``, ``sha512-<base64>``) after a Secret object's name
  (``kubectl get secret -o custom-columns=NAME,IMAGE_DIGEST``): clean;
- HTML values on a line of their own indented deeper than 8 blanks under ``<dd>``/``<td>``;
- ``aws ssm get-parameter --with-decryption --output table``: ``Type | SecureString`` over
  ``Value | …``.
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

_E = "\x1b"


def _name(rnd: random.Random, sec: bool) -> str:
    if sec:
        return rnd.choice(["api_key", "github_token", "db_password", "client_secret", "Token"])
    return rnd.choice(["git_commit", "request_id", "checksum", "uuid"])


def _clean(rnd: random.Random) -> str:
    return rnd.choice([_hex40(rnd), _uuid(rnd)])


def _digest(rnd: random.Random) -> str:
    return "sha256:" + "".join(rnd.choice("0123456789abcdef") for _ in range(64))


def offset_table(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """An aligned table whose value column is centred (``center``), or a value one or two
    blanks right of its header's start under bold header cells and a ``━`` rule (``rich``)."""
    n, v = _name(rnd, sec), _key(rnd) if sec else _clean(rnd)
    if shape == "center":
        w = max(len(v), len(n))
        text = f"  Service   {n:^{w}}  \n ━━━━━━━━━━━━{'━' * (w + 2)}\n  web       {v:^{w}}  \n"
    else:
        pad = " " * rnd.choice([1, 2])
        text = f" {_E}[1m Service {_E}[0m {_E}[1m {n} {_E}[0m\n {'━' * 40}\n  web       {pad}{v}\n"
    return text, [v] if sec else []


def digest_after_secret_name(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """A digest after a Secret object's name (clean), a key after it (a secret's listing)."""
    name = rnd.choice(["app-secrets", "db-password", "api-token"])
    if sec:
        v = _key(rnd)
        return f"{name}   {v}\n", [v]
    v = _digest(rnd)
    if shape == "header":
        return f"NAME          IMAGE_DIGEST   AGE\n{name:<13} {v}   3d\n", []
    return f"{name}   {v}\n", []


def html_deep(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """A value on a line of its own, indented 10-40 blanks under its ``<dd>``/``<td>``."""
    n = rnd.choice(["API key", "Password", "Access Token"] if sec else ["Commit", "Request ID"])
    v = _key(rnd) if sec else _clean(rnd)
    ind = " " * rnd.choice([10, 16, 24, 40])
    if shape == "dd":
        text = f"<dl>\n  <dt>{n}</dt>\n  <dd>\n{ind}{v}\n  </dd>\n</dl>\n"
    else:
        text = (
            f"<table>\n  <tr>\n    <th>{n}</th>\n    <td>\n{ind}{v}\n    </td>\n  </tr>\n</table>\n"
        )
    return text, [v] if sec else []


def ssm_table(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """``aws ssm get-parameter(s) --with-decryption --output table``: the vertical table."""
    v = _key(rnd) if sec else _clean(rnd)
    t = "SecureString" if sec else "String"
    w = len(v) + 4
    title = "GetParameter" if shape == "one" else "GetParameters"
    text = (
        f"{'-' * (w + 16)}\n|{title:^{w + 14}}|\n+{'-' * (w + 14)}+\n||{'Parameter':^{w + 12}}||\n"
        f"|+{'-' * 10}+{'-' * (w + 1)}+|\n||  Name    |  {'/prod/db/x':<{w - 1}}||\n"
        f"||  Type    |  {t:<{w - 1}}||\n||  Value   |  {v:<{w - 1}}||\n"
        f"||  Version |  {'3':<{w - 1}}||\n|+{'-' * 10}+{'-' * (w + 1)}+|\n"
    )
    return text, [v] if sec else []


SHAPES = {
    offset_table: ["center", "rich"],
    digest_after_secret_name: ["header", "line"],
    html_deep: ["dd", "td"],
    ssm_table: ["one", "many"],
}
CASES = [(fn, shape) for fn, shapes in SHAPES.items() for shape in shapes]
IDS = [f"{fn.__name__}-{shape}" for fn, shape in CASES]


@pytest.mark.parametrize(("fn", "shape"), CASES, ids=IDS)
def test_shape(fn, shape) -> None:  # type: ignore[no-untyped-def]
    """Three secret cases (the first with a hex key) masked, two clean ones unchanged."""
    check_shape(fn, shape, "ctx31")


# Long inputs for the new expressions and branches: each is read in linear time.
LONG: dict[str, object] = {
    "centred_cells": lambda n: b"  Service   api_key\n" + b"  web  " + b"x " * (n // 2),
    "centred_rows": lambda n: (
        b"  Service     api_key\n" + b" web        ab12cd34ef56gh78\n" * (n // 29)
    ),
    "digest_rows": lambda n: b"app-secrets   sha256:" + b"a" * n,
    "dd_blanks": lambda n: b"<dt>api key</dt><dd>" + b" " * n + b"x",
    "secure_row_blanks": lambda n: b"||  Type | SecureString" + b" " * n + b"||\n||  Value | x",
    "secure_rows": lambda n: b"|| SecureString ||\n|| Value | " * (n // 30),
}


@pytest.mark.parametrize("name", sorted(LONG))
def test_long_inputs_in_linear_time(name: str) -> None:
    assert_linear(R, LONG[name])  # type: ignore[arg-type]


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.integers(0, len(CASES) - 1), st.booleans(), st.integers(0, 10**6))
def test_any_case_any_split(k: int, sec: bool, seed: int) -> None:
    check_case(*CASES[k], seed, sec)
