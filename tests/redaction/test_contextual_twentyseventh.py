"""Twenty-seventh held-out contextual pass (issue 18, ctx27): what a coding agent's tools print,
the secret named by the tool's own context, each case whole and streamed (at 64 and 4,096 bytes
and twice in random chunks, through the twenty-sixth pass's ``masked``/``unchanged``), with clean
controls of the same shapes:

- a command echoed at a prompt that prints a credential and its bare answer (``heroku
  auth:token`` after a warning line, ``terraform output <secret name>``, ``npm config get
  …:_auth``);
- JSON inside a JSON string with its quotes as ``\\u0022``; vault's AppRole ``secret_id`` UUID;
  a conda channel's ``/t/<token>/``;
- a bar inside a CSV/TSV header name (``api|key``); cells cut with an ellipsis (Julia, pandas);
- a person's password after IMAP ``LOGIN`` / FTP ``PASS`` (the server's answer below) and
  printed by a REPL's lookup;
- clean lines the redactor changed on ``main``: a UUID after a bare name in a listing's row,
  ``secret_id_accessor``, paths under ``*_DIR`` names, OpenPGP fingerprints under ``GPG_KEY``,
  the ``env`` line under a store path ending in a secret's name, ``XXXXX-XXXXX`` placeholders.
"""

from __future__ import annotations

import base64
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.redaction.test_contextual_twentysixth import (
    _hex40,
    _key,
    _uuid,
    check_case,
    check_shape,
)

_HUMAN = [
    "Summer2024!deploy",
    "Tr0ub4dor&3x",
    "hunter2hunter2",
    "P@ssw0rd-prod-24",
    "Winter#2025ops",
    "correcthorse42",
    "letmein!Prod9",
]


def _pw(rnd: random.Random) -> str:
    return rnd.choice([rnd.choice(_HUMAN), _key(rnd)])


def cli(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    name = rnd.choice(["db_password", "admin_token", "api_key", "client_secret"])
    if not sec:
        text = {
            "heroku": "$ heroku auth:token\n \u203a   Error: not logged in\n$ ",
            "tf_quoted": f'$ terraform output instance_id\n"{_hex40(rnd)}"\n',
            "npm": "$ npm config get //registry.npmjs.org/:_authToken\n(protected)\n",
        }[shape]
        return text, []
    v = _key(rnd)
    text, piece = {
        "heroku": (
            f"$ heroku auth:token\n \u203a   Warning: token will expire 2027-12-06\n{v}\n",
            v,
        ),
        "tf_quoted": (f'$ terraform output {name}\n"{_pw(rnd)}"\n', None),
        "npm": (
            "$ npm config get //nexus.example.com/repository/npm/:_auth\n"
            f"{base64.b64encode(('deploy:' + rnd.choice(_HUMAN)).encode()).decode()}\n",
            None,
        ),
    }[shape]
    if piece is None:  # the value is the one line after the command (maybe quoted)
        piece = text.split("\n")[1].strip('"')
    return text, [piece]


def u0022(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    v = _pw(rnd) if sec else rnd.choice([_hex40(rnd), _uuid(rnd)])
    n = rnd.choice(["password", "apiKey", "client_secret"] if sec else ["commit", "request_id"])
    q = "\\u0022"
    inner = f"{{{q}user{q}: {q}ops{q}, {q}{n}{q}: {q}{v}{q}}}"
    text = {
        "message": f'{{"message":"{inner}","level":"info"}}\n',
        "log": f'2026-12-06T10:00:01Z INFO body="{inner}"\n',
    }[shape]
    return text, [v] if sec else []


def secret_id(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    sid, acc = _uuid(rnd), _uuid(rnd)
    if shape == "table":
        text = (
            "Key                   Value\n---                   -----\n"
            + (f"secret_id             {sid}\n" if sec else "")
            + f"secret_id_accessor    {acc}\nsecret_id_num_uses    0\nsecret_id_ttl         0s\n"
        )
    else:
        text = (
            '{\n  "data": {\n'
            + (f'    "secret_id": "{sid}",\n' if sec else f'    "role_id": "{sid}",\n')
            + f'    "secret_id_accessor": "{acc}"\n  }}\n}}\n'
        )
    return text, [sid] if sec else []


def conda(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    v = _key(rnd).replace("+", "k").replace("/", "Q")  # (a URL's path holds no ``/`` in a token)
    if not sec:
        url = rnd.choice(
            [
                "https://discuss.example.com/t/how-to-rotate-the-channel-token/1234",
                "https://conda.example.com/pkgs/internal",
            ]
        )
    else:
        url = f"https://conda.example.com/t/{v}/internal"
    text = {
        "condarc": f"$ cat ~/.condarc\nchannels:\n  - {url}\n  - conda-forge\n",
        "show": f"$ conda config --show channels\nchannels:\n  - {url}\n  - defaults\n",
    }[shape]
    return text, [v] if sec else []


def bar_header(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    n = rnd.choice(["api|key", "auth|token", "db|password"] if sec else ["commit|id", "build|sha"])
    vals = [_key(rnd), _key(rnd)] if sec else [_hex40(rnd), _uuid(rnd)]
    sep = {"csv": ",", "tsv": "\t"}[shape]
    text = sep.join(["service", n, "region"]) + "\n"
    text += sep.join(["web", vals[0], "eu"]) + "\n" + sep.join(["worker", vals[1], "us"]) + "\n"
    return text, vals if sec else []


def ellipsis(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    name = rnd.choice(["token", "api_key", "secret"]) if sec else "commit"
    if sec:
        vals = [_key(rnd)[:24], _key(rnd)[:24]]
    else:
        vals = [_hex40(rnd)[:24], rnd.choice(["Lorem ipsum dolor sit am", _hex40(rnd)[:24]])]
    if shape == "julia":
        text = (
            f"2×2 DataFrame\n Row │ service  {name}\n     │ String   String\n"
            f"─────┼{'─' * 36}\n   1 │ web      {vals[0]}…\n   2 │ worker   {vals[1]}…\n"
        )
    else:
        text = f"  service  {name}\n0     web  {vals[0]}...\n1  worker  {vals[1]}...\n"
    return text, vals if sec else []


def human(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    pw = rnd.choice(_HUMAN)
    if not sec:
        text = {
            "imap": "please LOGIN admin hunter22\n",
            "pass": "--- PASS: TestLogin2 (0.01s)\nPASS\nok  \tgithub.com/acme/api\t0.012s\n",
            "repl": ">>> print(os.environ['DB_HOST'])\ndb-7.internal\n>>> ",
        }[shape]
        return text, []
    text = {
        "imap": f"a LOGIN ops@example.com {pw}\na OK LOGIN completed\n",
        "pass": f"[12:00:01] > USER deploy\n[12:00:01] > PASS {pw}\n230 Login successful.\n",
        "repl": f">>> print(os.environ['DB_PASSWORD'])\n{pw}\n>>> ",
    }[shape]
    return text, [pw]


def listing(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """A UUID in a listing's row after a bare name: an id (``main`` masked it); after a name
    naming a secret, still a secret."""
    u = _uuid(rnd)
    if sec:
        text = {
            "pods": f"token   {u}\n",
            "nmcli": f"HEROKU_API_KEY   {u}\n",
            "lsblk": f"api-token  {u}\n",
        }[shape]
        return text, [u]
    text = {
        "pods": f"web-7d9f   {u}   Running\nworker-2b   {_uuid(rnd)}   Pending\n",
        "nmcli": f"eth0   {u}  ethernet  eth0\nwlan0  {_uuid(rnd)}  wifi      wlan0\n",
        "lsblk": f"sda1   {u}\nsda2   {_uuid(rnd)}\n",
    }[shape]
    return text, []


def env_lines(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """Settings under names with a secret's word that hold no secret (``main`` masked them),
    and a secret beside them."""
    v = _key(rnd)
    gpg = "".join(rnd.choice("0123456789ABCDEF") for _ in range(40))
    extra = f"SECRET_KEY={v}\n" if sec else ""
    text = {
        "paths": f"PASSWORD_STORE_DIR=/home/dev/.password-store\n{extra}"
        'declare -x SECRETS_DIR="/run/secrets"\n',
        "gpg": f"GPG_KEY={gpg}\n{extra}PYTHON_VERSION=3.12.7\n",
        "store": f"SECRET_KEY_FILE=/run/secrets/key\n{extra}SENTRY_RELEASE={_hex40(rnd)}\n",
        "placeholder": "Name                        Value\n----                        -----\n"
        + (f"GPG_PASSPHRASE              {v}\n" if sec else "")
        + "NODE_AUTH_TOKEN             XXXXX-XXXXX-XXXXX-XXXXX\n",
    }[shape]
    return text, [v] if sec else []


SHAPES = {
    # (``terraform output -raw <name>`` glued to the prompt and ``heroku config:get <NAME>`` were
    # masked on ``main`` already, by the rules for a name ending its line: not drawn here.)
    cli: ["heroku", "tf_quoted", "npm"],
    u0022: ["message", "log"],
    secret_id: ["table", "json"],
    conda: ["condarc", "show"],
    bar_header: ["csv", "tsv"],
    ellipsis: ["julia", "pandas"],
    human: ["imap", "pass", "repl"],
    listing: ["pods", "nmcli", "lsblk"],
    env_lines: ["paths", "gpg", "store", "placeholder"],
}
CASES = [(fn, shape) for fn, shapes in SHAPES.items() for shape in shapes]
IDS = [f"{fn.__name__}-{shape}" for fn, shape in CASES]


@pytest.mark.parametrize(("fn", "shape"), CASES, ids=IDS)
def test_shape(fn, shape) -> None:  # type: ignore[no-untyped-def]
    """Three secret cases (the first with a hex key where the shape draws one) masked, two
    clean ones unchanged."""
    check_shape(fn, shape, "ctx27")


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.integers(0, len(CASES) - 1), st.booleans(), st.integers(0, 10**6))
def test_any_case_any_split(k: int, sec: bool, seed: int) -> None:
    check_case(*CASES[k], seed, sec)
