"""Thirtieth held-out contextual pass (issue 18, ctx30): the twenty-ninth pass's open leaks and
the fresh draws' classes, each case whole and streamed (at 64 and 4,096 bytes and twice in random
chunks, through the twenty-sixth pass's ``check_shape``), with clean controls of the same shapes:

- HTML's name beside its value: definition lists (``<dt>API key</dt><dd>…</dd>``) and rows
  headed by a ``<th>`` (``<tr><th>Password</th><td>…</td></tr>``), on a line or several;
- a list under a secret's name below a line read as a one-column header (TOML's ``[auth]`` over
  ``secrets = [ … ]``, inline or multi-line), and ``api_keys:  [`` (blanks before the bracket);
- ``mysqldump --xml``'s ``<field name="Access Token">`` (a name of words) over 16-32 characters;
- the fresh draw's: a notebook's output of a cell looking a secret up, ``printenv`` run in a
  container or on a host (a banner line before its answer), ``aws ssm … --output text``'s value
  after ``SecureString``, ``az keyvault secret show``'s ``"name"``/``"value"`` past ``"tags":
  {}``, and base64 under a commit's name (clean); the final draw's ``op item get --format json``
  (``"label"`` over ``"value"``), bash ``set``'s ``API_KEY=$'…'`` and commands printing an
  access token (``gcloud auth print-access-token``, ``gh auth token``).
"""

from __future__ import annotations

import base64
import json
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


def _name(rnd: random.Random, sec: bool) -> str:
    if sec:
        return rnd.choice(["API key", "Password", "Access Token", "client_secret", "Secret"])
    return rnd.choice(["Commit", "Request ID", "Checksum", "UUID"])


def _clean(rnd: random.Random) -> str:
    return rnd.choice([_hex40(rnd), _uuid(rnd)])


def html_named(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """A definition list or a table of rows headed by ``<th>``, the value plain or in a
    ``<code>``/``<span>``, on the name's line or the next."""
    n, v = _name(rnd, sec), _key(rnd) if sec else _clean(rnd)
    wrap = rnd.choice(["{}", "<code>{}</code>", '<span class="v">{}</span>'])
    cell = wrap.format(v)
    gap = "\n    " if shape.endswith("lines") else ""
    if shape.startswith("dl"):
        text = f"<dl>\n  <dt>Name</dt><dd>web</dd>\n  <dt>{n}</dt>{gap}<dd>{cell}</dd>\n</dl>\n"
    else:
        th = rnd.choice(["<th>", '<th scope="row">'])
        text = (
            f"<table>\n  <tr>{th}Name</th><td>web</td></tr>\n"
            f"  <tr>{th}{n}</th>{gap}<td>{cell}</td></tr>\n</table>\n"
        )
    return text, [v] if sec else []


def toml_list(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """A secret's list under a section (``[auth]`` then ``secrets = [ … ]``, one line or
    many), and ``api_keys:  [`` with blanks before the bracket."""
    vs = [_key(rnd) if sec else _clean(rnd) for _ in range(2)]
    name = rnd.choice(["secrets", "api_keys", "tokens"]) if sec else "commits"
    q = '"' + '", "'.join(vs) + '"'
    if shape == "inline":
        text = f"[{rnd.choice(['auth', 'secrets', 'api'])}]\n{name} = [ {q} ]\nregion = 'eu'\n"
    elif shape == "lines":
        items = "".join(f'  "{v}",\n' for v in vs)
        text = f"[{rnd.choice(['auth', 'credentials'])}]\n{name} = [\n{items}]\n"
    else:
        blanks = " " * rnd.randint(2, 4)
        text = f'{{"svc": "web", "{name}":{blanks}[{q}]}}\n'
    return text, vs if sec else []


def mysql_xml(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """``mysqldump --xml`` rows: ``<field name="…">`` over a value of 16-32 characters."""
    name = rnd.choice(["Access Token", "password", "API Key", "secret_key"]) if sec else "commit"
    v = (_key(rnd) if sec else _hex40(rnd))[: rnd.randint(16, 32)]
    field = '\t\t<field name="{}">{}</field>\n'
    text = (
        '<table_data name="service">\n\t<row>\n'
        + field.format("id", rnd.randint(1, 99))
        + field.format(name, v)
        + "\t</row>\n</table_data>\n"
    )
    return text, [v] if sec else []


def notebook(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """A notebook's JSON: a cell looking a secret up, its output a few lines below
    (``execute_result``'s ``"text/plain"``, a ``stream``'s ``"text"``)."""
    v = _key(rnd) if sec else _clean(rnd)
    n = rnd.choice(["API_KEY", "DB_PASSWORD", "GITHUB_TOKEN"]) if sec else "GIT_COMMIT"
    if shape == "result":
        src, out = (
            f"os.environ['{n}']",
            {
                "output_type": "execute_result",
                "execution_count": 3,
                "metadata": {},
                "data": {"text/plain": [f"'{v}'"]},
            },
        )
    else:
        src, out = (
            f'print(os.getenv("{n}"))',
            {"name": "stdout", "output_type": "stream", "text": [f"{v}\n"]},
        )
    cell = {
        "cell_type": "code",
        "execution_count": 3,
        "metadata": {},
        "source": [src],
        "outputs": [out],
    }
    return json.dumps({"cells": [cell], "nbformat": 4}, indent=1) + "\n", [v] if sec else []


def remote_printenv(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """``printenv X`` run in a container or on a host, a banner line maybe before the answer."""
    v = _key(rnd) if sec else _clean(rnd)
    n = rnd.choice(["API_KEY", "DB_PASSWORD", "STRIPE_SECRET_KEY"]) if sec else "GIT_COMMIT"
    if shape == "fly":
        text = f"$ fly ssh console -C 'printenv {n}'\nConnecting to fdaa:0:1::2... complete\n"
    elif shape == "kubectl":
        text = (
            f"$ kubectl exec -n prod deploy/web -- printenv {n}\n"
            'Defaulted container "web" out of: web, istio-proxy\n'
        )
    else:
        text = f"$ docker exec web printenv {n}\n"
    return text + f"{v}\n$ \n", [v] if sec else []


def cloud_values(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """``aws ssm get-parameters --output text`` (the value after ``SecureString``) and ``az
    keyvault secret show`` (``"name"`` and ``"value"`` with ``"tags": {}`` between them)."""
    v = _key(rnd) if sec else _clean(rnd)
    if shape == "ssm_text":
        name = "/prod/web/" + (rnd.choice(["db_password", "api_key"]) if sec else "build_sha")
        kind = "SecureString" if sec else "String"
        text = (
            f"PARAMETERS\tarn:aws:ssm:eu-west-1:123456789012:parameter{name}\ttext\t"
            f"2026-12-01T10:00:00+00:00\t{name}\t{kind}\t{v}\t3\n"
        )
    else:
        n = (
            rnd.choice(["db-password", "stripe-api-key", "jwt-signing-secret"])
            if sec
            else "build-sha"
        )
        doc = {
            "attributes": {"enabled": True},
            "contentType": None,
            "id": f"https://kv.vault.azure.net/secrets/{n}/{_hex40(rnd)[:32]}",
            "name": n,
            "tags": rnd.choice([{}, {"env": "prod"}]),
            "value": v,
        }
        text = json.dumps(doc, indent=2) + "\n"
    return text, [v] if sec else []


def commit_base64(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """Base64 under a commit's name (``GIT_COMMIT``, ``commit:``) stays; a secret beside it is
    masked."""
    b = base64.b64encode(bytes(rnd.randrange(256) for _ in range(rnd.choice([30, 48])))).decode()
    n = rnd.choice(["GIT_COMMIT", "commit", "build_commit"])
    text = f"{n}={b}\n" if shape == "env" else f"data:\n  {n}: {b}\n"
    if sec:
        v = _key(rnd)
        return text + f"API_TOKEN={v}\n", [v]
    return text, []


def final_draw(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """The final draw's leaks: ``op item get --format json``'s ``"label"`` over ``"value"``,
    bash ``set``'s ANSI-C quoting (``API_KEY=$'…'``), a command printing an access token."""
    v = _key(rnd) if sec else _clean(rnd)
    if shape == "op_json":
        label = rnd.choice(["password", "API key", "credential"]) if sec else "commit"
        field = {"id": "f1", "type": "CONCEALED" if sec else "STRING", "label": label, "value": v}
        return json.dumps({"title": "Stripe", "fields": [field]}, indent=2) + "\n", [
            v
        ] if sec else []
    if shape == "ansi_c":
        n = rnd.choice(["API_KEY", "DB_PASSWORD", "GITHUB_TOKEN"]) if sec else "GIT_SHA"
        return f"BASH=/bin/bash\n{n}=$'{v}'\nIFS=$' \\t\\n'\n", [v] if sec else []
    cmd = (
        rnd.choice(
            [
                "gcloud auth print-access-token",
                "gh auth token",
                "az account get-access-token -o tsv",
            ]
        )
        if sec
        else rnd.choice(["git rev-parse HEAD", "uuidgen"])
    )
    return f"$ {cmd}\n{v}\n$ \n", [v] if sec else []


SHAPES = {
    html_named: ["dl", "dl_lines", "th", "th_lines"],
    toml_list: ["inline", "lines", "spaced"],
    mysql_xml: ["row"],
    notebook: ["result", "stream"],
    remote_printenv: ["fly", "kubectl", "docker"],
    cloud_values: ["ssm_text", "az_kv"],
    commit_base64: ["env", "yaml"],
    final_draw: ["op_json", "ansi_c", "token_cmd"],
}
CASES = [(fn, shape) for fn, shapes in SHAPES.items() for shape in shapes]
IDS = [f"{fn.__name__}-{shape}" for fn, shape in CASES]


@pytest.mark.parametrize(("fn", "shape"), CASES, ids=IDS)
def test_shape(fn, shape) -> None:  # type: ignore[no-untyped-def]
    """Three secret cases (the first with a hex key) masked, two clean ones unchanged."""
    check_shape(fn, shape, "ctx30")


# Long inputs for the new expressions and branches: each is read in linear time.
LONG: dict[str, object] = {
    "dt_words": lambda n: b"<dt>" + b"api " * (n // 4) + b"key</dt><dd>x",
    "dt_blanks": lambda n: b"<dt>api key</dt>" + b" " * n + b"<dd>x",
    "dd_value": lambda n: b"<dt>api key</dt><dd>" + b"x " * (n // 2),
    "th_repeat": lambda n: b"<th>token</th><td>" * (n // 18),
    "field_words": lambda n: b'<field name="' + b"a " * (n // 2) + b'token">x</field>',
    "spaced_open": lambda n: b"api_keys:  [" * (n // 12),
    "notebook_lines": lambda n: b"os.environ['api_key']\n" + b"x\n" * (n // 2),
    "notebook_lookups": lambda n: b"environ['token']\n" * (n // 17),
    "printenv_remote": lambda n: b"$ ssh " + b"h " * (n // 2) + b"printenv TOKEN\nx",
    "banner": lambda n: b"$ printenv TOKEN\nConnecting to " + b"x" * n,
    "secure_string": lambda n: b"SecureString " * (n // 13),
    "name_value_members": lambda n: b'{"name": "token", ' + b'"a": {}, ' * (n // 9),
    "ansi_c_quotes": lambda n: b"API_KEY=$'" * (n // 10),
    "ansi_c_value": lambda n: b"API_KEY=$'" + b"x" * n,
    "toml_sections": lambda n: b"[auth]\nsecrets = [\n" + b'  "x",\n' * (n // 7),
}


@pytest.mark.parametrize("name", sorted(LONG))
def test_long_inputs_in_linear_time(name: str) -> None:
    assert_linear(R, LONG[name])  # type: ignore[arg-type]


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.integers(0, len(CASES) - 1), st.booleans(), st.integers(0, 10**6))
def test_any_case_any_split(k: int, sec: bool, seed: int) -> None:
    check_case(*CASES[k], seed, sec)
