"""Twenty-ninth held-out contextual pass (issue 18, ctx29): the secret named by the tool's own
context, each case whole and streamed (at 64 and 4,096 bytes and twice in random chunks, through
the twenty-sixth pass's ``check_shape``), with clean controls of the same shapes:

- AsciiDoc tables (``|===``, a header line of cells, a row's cells one a line or on one line);
- a secret's name over a list of values (``"api_keys": […]``, ``{'credential': […]}``, ``tokens
  = […]``, YAML's ``api_keys:`` over ``- …`` items);
- JSON naming its columns apart from its rows: pandas' ``to_json(orient="split")``, data frames
  by fields (``"fields"`` of ``{"name": …}`` over ``"values"`` by column), BigQuery's ``"rows"``
  of ``{"f": [{"v": …}]}``, compact or indented;
- redis-cli ``HMGET``/``MGET`` answers past the sixteenth field;
- a header cut after one letter of its second word (``API T…``) and values cut after 8-11
  characters;
- clean lines ``main`` changed: a logger's code location (loguru's ``app.auth:login:42``), a
  subresource-integrity digest under any name (``digest sha512-…``, ``commit=sha512-…``),
  ``pass`` after an ordinal (``test_twentyninth_pass: …`` opening a commit message);
- a CRI log of ``P`` records only: streamed as one pass reads it.
"""

from __future__ import annotations

import base64
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.redaction.held_out import R
from tests.redaction.helpers import assert_linear, streamed
from tests.redaction.test_contextual_twentysixth import (
    _hex40,
    _key,
    _uuid,
    check_case,
    check_shape,
)

_SVCS = ["web", "worker", "billing"]


def _names(rnd: random.Random, sec: bool) -> str:
    if sec:
        return rnd.choice(["Secret", "api_key", "Password", "Access Token", "client_secret"])
    return rnd.choice(["commit", "request_id", "Checksum", "uuid"])


def _clean(rnd: random.Random) -> str:
    return rnd.choice([_hex40(rnd), _uuid(rnd)])


def _vals(rnd: random.Random, sec: bool) -> list[str]:
    return [_key(rnd) if sec else _clean(rnd) for _ in range(2)]


def asciidoc(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """``|===`` … ``|Name |Secret``, a blank line, then rows one cell a line (a style before a
    cell's bar: ``m|``)."""
    n, vs = _names(rnd, sec), _vals(rnd, sec)
    text = '[cols="1,3",options="header"]\n|===\n|Name |' + n + "\n\n"
    for s, v in zip(_SVCS, vs, strict=False):
        # (``spec``: a cell's style before its bar, ``m|`` monospace, ``a|`` AsciiDoc)
        text += f"|{s}\n|{v}\n\n" if shape == "lines" else f"|{s}\n{rnd.choice('ma')}|{v}\n"
    return text + "|===\n", vs if sec else []


def json_columns(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """Column names apart from the rows: pandas ``split``, fields over values, BigQuery rows."""
    n, vs = _names(rnd, sec), _vals(rnd, sec)
    obj: object
    if shape == "split":
        obj = {
            "columns": ["name", n],
            "index": [0, 1],
            "data": [[s, v] for s, v in zip(_SVCS, vs, strict=False)],
        }
    elif shape == "fields":
        fields = [{"name": "name", "type": "string"}, {"name": n, "type": "string"}]
        obj = {"schema": {"fields": fields}, "data": {"values": [_SVCS[:2], vs]}}
    else:
        fields = [{"name": "name", "type": "STRING"}, {"name": n, "type": "STRING"}]
        rows = [{"f": [{"v": s}, {"v": v}]} for s, v in zip(_SVCS, vs, strict=False)]
        obj = {"kind": "bigquery#queryResponse", "schema": {"fields": fields}, "rows": rows}
    # (pandas' compact ``split`` rows are ``["web", "<value>"]`` pairs, which the generic rules
    # read already: indented here.)
    indent = 2 if shape == "split" else rnd.choice([None, 2])
    return json.dumps(obj, indent=indent) + "\n", vs if sec else []


def secret_list(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """A secret's name (a plural too) over a list of values: JSON, indented JSON, a Python
    dict's repr, an assignment; clean: a tokenizer's tokens, ids under ``commits``."""
    vs = _vals(rnd, sec)
    if sec:
        name = rnd.choice(["api_keys", "credential", "Access Token", "passwd", "secrets"])
    else:
        name = rnd.choice(["commits", "tokens", "request_ids"])
        if name == "tokens":
            vs = ["Hello", ",", "world", "reproducibility"]
    if shape == "yaml":
        key = name.replace(" ", "_").lower()
        q = rnd.choice(["", '"'])
        text = f"spec:\n  {key}:\n" + "".join(f"  - {q}{v}{q}\n" for v in vs) + "  region: eu\n"
    elif shape == "json":
        text = json.dumps({"name": _SVCS[:2], name: vs}, indent=rnd.choice([None, 2])) + "\n"
    elif shape == "repr":
        text = repr({"name": _SVCS[:2], name: vs}) + "\n"
    else:
        text = f"{name.replace(' ', '_').lower()} = {vs!r}\n"
    return text, vs if sec else []


def redis_past_sixteen(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """``HMGET`` of 17-30 fields (at a prompt, or bare from ``redis-cli`` in a pipe), the secret's
    field past the sixteenth; ``MGET`` of keys whose last part names it."""
    n = rnd.randint(17, 30)
    at = rnd.randint(16, n - 1)
    vals = [_clean(rnd) for _ in range(n)]
    v = _key(rnd) if sec else _clean(rnd)
    vals[at] = v
    if shape == "mget":
        keys = [f"app:cfg:{k}" for k in range(n)]
        keys[at] = "app:prod:" + (rnd.choice(["api_key", "db_password"]) if sec else "build_sha")
        text = f"127.0.0.1:6379> MGET {' '.join(keys)}\n"
        text += "".join(f'{i + 1}) "{x}"\n' for i, x in enumerate(vals)) + "127.0.0.1:6379> \n"
        return text, [v] if sec else []
    fields = [f"f{k}" for k in range(n)]
    fields[at] = rnd.choice(["api_key", "db_password", "auth_token"]) if sec else "commit"
    if shape == "prompt":
        text = f"127.0.0.1:6379> HMGET app:cfg {' '.join(fields)}\n"
        text += "".join(f'{i + 1}) "{x}"\n' for i, x in enumerate(vals)) + "127.0.0.1:6379> \n"
    else:
        text = f"$ redis-cli -h cache HMGET app:cfg {' '.join(fields)}\n"
        text += "".join(f"{x}\n" for x in vals) + "$ \n"
    return text, [v] if sec else []


def cut_short(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """rich's header cut after one letter (``API T…``), polars' value cut after 8-11."""
    if shape == "one_letter":
        name = rnd.choice(["API T…", "Client S…", "Access T…", "Private K…"]) if sec else "API V…"
        v = (_key(rnd) if sec else _hex40(rnd))[:9] + "…"
        text = (
            f"┏━━━━━━━━┳{'━' * 14}┓\n┃ Name   ┃ {name:<12} ┃\n┡━━━━━━━━╇{'━' * 14}┩\n"
            f"│ s3     │ {v:<12} │\n└────────┴{'─' * 14}┘\n"
        )
        return text, [v[:-1]] if sec else []
    name = rnd.choice(["access_t…", "api_key", "Secret Acc…"]) if sec else "commit"
    shown = (_key(rnd) if sec else _hex40(rnd))[: rnd.choice([8, 9, 10, 11])]
    while sec and (shown.isalpha() or shown.isdigit() or shown.islower() and not _hexy(shown)):
        shown = _key(rnd)[: len(shown)]
    text = (
        f"┌────────┬{'─' * 14}┐\n│ svc    ┆ {name:<12} │\n│ ---    ┆ {'---':<12} │\n"
        f"│ str    ┆ {'str':<12} │\n╞════════╪{'═' * 14}╡\n│ web    ┆ {shown + '…':<12} │\n"
        f"└────────┴{'─' * 14}┘\n"
    )
    return text, [shown] if sec else []


def _hexy(s: str) -> bool:
    return all(c in "0123456789abcdef" for c in s)


def _sri(rnd: random.Random) -> str:
    return "sha512-" + base64.b64encode(bytes(rnd.randrange(256) for _ in range(64))).decode()


def clean_lines(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """Lines ``main`` changed, with a secret beside them in the secret cases."""
    v = _key(rnd)
    extra = f"token: {v}\n" if sec else ""
    if shape == "code_location":
        fn = rnd.choice(["login", "get_token", "refresh_secret", "auth"])
        text = (
            f"2026-12-07 05:30:00.123 | INFO     | app.auth:{fn}:{rnd.randint(1, 999)} - received "
            f"commit {_hex40(rnd)}\n"
        )
    elif shape == "sri":
        word = rnd.choice(["digest", "commit=", "hash:", "resolved"])
        text = f"issued {word} {_sri(rnd)}\n".replace("= ", "=")
    else:
        ordinal = rnd.choice(["twentyninth", "second", "thirtyeighth", "final", "3rd"])
        text = (
            f"    test_{ordinal}_pass: option-cluster linearity measured with the collector\n"
            f"**1 failed**: `test_{ordinal}_pass::test_option_clusters[tar -c{{}}f x]`, 0.16 s\n"
        )
    return text + extra, [v] if sec else []


SHAPES = {
    asciidoc: ["lines", "spec"],
    json_columns: ["split", "fields", "bigquery"],
    secret_list: ["json", "repr", "assign", "yaml"],
    redis_past_sixteen: ["prompt", "pipe", "mget"],
    cut_short: ["one_letter", "short_value"],
    clean_lines: ["code_location", "sri", "run_pass"],
}
CASES = [(fn, shape) for fn, shapes in SHAPES.items() for shape in shapes]
IDS = [f"{fn.__name__}-{shape}" for fn, shape in CASES]


@pytest.mark.parametrize(("fn", "shape"), CASES, ids=IDS)
def test_shape(fn, shape) -> None:  # type: ignore[no-untyped-def]
    """Three secret cases (the first with a hex key where the shape draws one) masked, two
    clean ones unchanged."""
    check_shape(fn, shape, "ctx29")


@pytest.mark.parametrize("records", [600, 2000])
def test_cri_partial_chain_streams_as_one_pass(records: int) -> None:
    """A CRI log of ``P`` records only reads as one line; a value found on it spreads back only
    within its own record's line, which a stream still holds (it spread over the whole chain,
    records a stream had released)."""
    rnd = random.Random(records)
    words = ["alpha", "beta", "token", "loaded", "x" * 10, "key"]
    data = "".join(
        f"2026-12-06T05:00:{i % 60:02}.{i:09}Z stdout P {' '.join(rnd.choices(words, k=3))}\n"
        for i in range(records)
    ).encode()
    whole = R.redact_bytes(data)
    for size in (64, 4096):
        assert streamed(R, data, size) == whole, size


# Long inputs for the new readers: each is read in linear time (a JSON string's lone backslash
# before the line's end had every later quote read to the end again: 9.6 s for 64 KB).
LONG: dict[str, object] = {
    "json_quotes": lambda n: b'{"columns": ["name", "api_key"], "data": [["' + b'"\\' * (n // 2),
    "json_brackets": lambda n: b'{"columns": ["api_key"], "data": ' + b"[" * n,
    "json_names": lambda n: b'{"columns": [' + b'"api_key", ' * (n // 11),
    "json_cells": lambda n: (
        b'{"columns": ["a", "api_key"], "data": [' + b'["x", "y"], ' * (n // 12)
    ),
    "list_quotes": lambda n: b"{'api_keys': ['" + b"'\\" * (n // 2),
    "list_names": lambda n: b"x" * n + b" = [",
    "yaml_items": lambda n: b"api_keys:\n" + b"  - x\n" * (n // 6),
    "yaml_keys": lambda n: b"api_key" * (n // 7) + b":\n  - x",
    "yaml_item_blanks": lambda n: b"api_keys:\n- a" + b" " * n + b"b",
    "adoc_bars": lambda n: b"|===\n|Name |secret\n\n" + b"|x " * (n // 3),
    "adoc_specs": lambda n: b"|===\n|Name |secret\n\n" + b"x 2+" * (n // 4) + b"|",
    "redis_fields": lambda n: b"127.0.0.1:6379> HMGET k " + b"f " * (n // 2) + b"api_key\n",
    "redis_answers": lambda n: b"> HMGET k " + b"f " * 20 + b"api_key\n" + b'1) "x"\n' * (n // 7),
    "cut_header": lambda n: b"API T\xe2\x80\xa6 " * (n // 9),
    "code_location": lambda n: b"app.auth:" + b"login:" * (n // 6) + b"42",
    "line_numbers": lambda n: b"m:get_token:1 " * (n // 14),
    "line_number_glued": lambda n: b"m" * n + b":get_token:1",
}


@pytest.mark.parametrize("name", sorted(LONG))
def test_long_inputs_in_linear_time(name: str) -> None:
    assert_linear(R, LONG[name])  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.integers(0, len(CASES) - 1), st.booleans(), st.integers(0, 10**6))
def test_any_case_any_split(k: int, sec: bool, seed: int) -> None:
    check_case(*CASES[k], seed, sec)
