"""Twenty-eighth held-out contextual pass (issue 18, ctx28): the secret named by the tool's own
context, each case whole and streamed (at 64 and 4,096 bytes and twice in random chunks, through
the twenty-sixth pass's ``masked``/``unchanged``), with clean controls of the same shapes:

- a header cell its tool cut with an ellipsis (rich's ``Secret Acc…``/``Client Se…``, polars'
  ``access_tok…`` over ``b6676cfaff10…``, rich's ASCII ``Secret Ke...``);
- a quoted CSV header cell holding a comma (``"api key, primary"``, ``"Token (base64, v2)"``)
  and Markdown's escaped bar (``api\\|key``);
- ``kubectl view-secret [flags] <secret> <key>`` and its bare answer;
- a URL's password holding ``#`` or ``@`` unencoded or standard base64's ``/`` and ``+``
  (``pip.conf``), under a scheme with ``_`` (``db2+ibm_db://``);
- redis-cli ``HMGET``/``MGET`` answers past the eighth position;
- docker json-file partial records (a ``"log"`` without its ``\\n``) over two and three records;
- ``TF_TOKEN_<host>`` (``export``, ``env``, ``docker run -e``, PowerShell's ``Name  Value``);
- clean lines ``main`` changed: an OpenPGP fingerprint under ``GPG_KEY`` in PowerShell's ``Name
  Value`` table, an ``aws sts`` ``Credentials`` object holding its ``Expiration`` only.
"""

from __future__ import annotations

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

_HUMAN = ["Winter#2025ops", "P@ssw0rd-prod-24", "Tr0ub4dor&3x", "p@ss#w0rd!", "tiger#Prod1"]


def cut_header(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """A header cell cut with an ellipsis: its first words or its cut word name the secret
    (generated-looking values under it); a cut name of an id's column stays clean."""
    v = _key(rnd) if sec else rnd.choice([_hex40(rnd), _uuid(rnd)])
    if shape == "rich":
        name = rnd.choice(["Secret Acc…", "Client Se…", "API Tok…"]) if sec else "Image Dig…"
        text = (
            f"┏━━━━━━━━┳{'━' * 42}┓\n┃ Name   ┃ {name:<40} ┃\n┡━━━━━━━━╇{'━' * 42}┩\n"
            f"│ s3     │ {v:<40} │\n└────────┴{'─' * 42}┘\n"
        )
        return text, [v] if sec else []
    if shape == "ascii":
        name = rnd.choice(["Secret Ke...", "Passwo..."]) if sec else "Commit Sh..."
        text = (
            f"+--------+{'-' * 42}+\n| Name   | {name:<40} |\n|--------+{'-' * 42}|\n"
            f"| s3     | {v:<40} |\n+--------+{'-' * 42}+\n"
        )
        return text, [v] if sec else []
    # polars: the header and the value both cut (12 characters and more shown)
    name = rnd.choice(["access_tok…", "password", "api_key"]) if sec else "digest"
    shown = (v if sec else _hex40(rnd))[: rnd.choice([12, 14, 20])]
    text = (
        f"┌────────┬{'─' * 24}┐\n│ svc    ┆ {name:<22} │\n│ ---    ┆ {'---':<22} │\n"
        f"│ str    ┆ {'str':<22} │\n╞════════╪{'═' * 24}╡\n│ web    ┆ {shown + '…':<22} │\n"
        f"└────────┴{'─' * 24}┘\n"
    )
    return text, [shown] if sec else []


def noted_header(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """A quoted CSV header cell of a name and a note after a comma, or Markdown's ``\\|``."""
    vals = [_key(rnd), _key(rnd)] if sec else [_hex40(rnd), _uuid(rnd)]
    if shape == "md_bar":
        n = rnd.choice(["api\\|key", "auth\\|token"]) if sec else "build\\|sha"
        text = f"| service | {n} |\n|---|---|\n| web | {vals[0]} |\n| worker | {vals[1]} |\n"
        return text, vals if sec else []
    if sec:
        n = rnd.choice(['"api key, primary"', '"Token (base64, v2)"', '"Password, rotated"'])
    else:
        n = rnd.choice(['"build, sha"', '"request id (uuid, v4)"'])
    text = f'"id","service, region",{n},"notes"\n1,"web, eu","{vals[0]}","ok"\n'
    text += f'2,"worker, us","{vals[1]}",""\n'
    return text, vals if sec else []


def view_secret(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    flags = {"plain": "", "ns": " -n prod", "ctx": " --context=eu"}[shape]
    if not sec:
        text = (
            f"$ kubectl view-secret{flags} oauth-app\nMultiple sub keys found. Specify another "
            "argument, one of:\n-> client-id\n-> client-secret\n$ "
        )
        return text, []
    v = _key(rnd)
    k = rnd.choice(["client-secret", "api_token", "db_password"])
    return f"$ kubectl view-secret{flags} oauth-app {k}\n{v}\n$ ", [v]


def url_password(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """A URL's password with ``#``/``@`` (to the last ``@`` before the host) or base64's ``/``;
    a scheme with ``_``."""
    if not sec:
        text = {
            "human": "DATABASE_URL=postgres://app@db.internal:5432/app#primary\n"
            "see https://social.example/users/@alice#top\n",
            "scheme": "resolved https://registry.example.com:4873/@babel%2fcore\n",
            "slash": "[global]\nindex-url = https://deploy@nexus.example.com/repository/pypi/simple\n"
            "extra-index-url = https://pypi.example.com:8443/simple/@scope/pkg\n",
        }[shape]
        return text, []
    if shape == "slash":
        v = _key(rnd).replace("/", "k").replace("+", "Q")
        v = v[:12] + "/" + v[13:30] + "+" + v[31:]
        return f"[global]\nindex-url = https://__token__:{v}@pypi.corp.example.com/simple\n", [v]
    pw = rnd.choice(_HUMAN)
    scheme = "db2+ibm_db" if shape == "scheme" else rnd.choice(["postgres", "mysql", "amqp"])
    return f"SQLALCHEMY_URL={scheme}://app:{pw}@db.internal:5432/app\n", [pw]


def redis_late(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """``HMGET``/``MGET`` answers at positions 9-16 under fields naming a secret."""
    n = rnd.randint(8, 14)
    pre = [f"f{i}" for i in range(n)]
    names = ["db_password", "webhook_secret"] if sec else ["commit", "trace_id"]
    v = [_key(rnd), _key(rnd)] if sec else [_hex40(rnd), _uuid(rnd)]
    answers = [f'"{rnd.choice(["eu", "ops", "12", "gold"])}"' for _ in pre] + [f'"{x}"' for x in v]
    if shape == "mget":
        cmd = "redis-17.cache:6380> MGET " + " ".join(f"app:{f}" for f in pre + names)
    else:
        cmd = "127.0.0.1:6379> HMGET app:cfg " + " ".join(pre + names)
    text = cmd + "\n" + "".join(f"{i + 1}) {a}\n" for i, a in enumerate(answers))
    return text, v if sec else []


def _record(log: str, stream: str = "stdout") -> str:
    return f'{{"log":"{log}","stream":"{stream}","time":"2026-12-07T10:00:01.123Z"}}\n'


def docker_partial(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """A line docker split over json-file records (no ``\\n`` but in the last one)."""
    stream = rnd.choice(["stdout", "stderr"])
    v = _key(rnd) if sec else _hex40(rnd)
    cut = rnd.randint(8, 30)
    word = "api_key=" if sec else "layer sha256:"
    if shape == "two":
        text = _record(f"{word}{v[:cut]}", stream) + _record(f"{v[cut:]} loaded\\n", stream)
    else:
        text = (
            _record(f"config: {word}", stream)
            + _record(v[:cut], stream)
            + _record(f"{v[cut:]}\\n", stream)
        )
    return text, [v[:cut], v[cut:]] if sec else []


def tf_token(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    host = rnd.choice(["app_terraform_io", "tfe_corp_example_com", "registry_example_com"])
    clean = ["${TF_API_TOKEN}", "***"] + (["${{ secrets.TF_TOKEN }}"] if shape != "table" else [])
    v = _key(rnd) if sec else rnd.choice(clean)
    text = {
        "export": f"export TF_TOKEN_{host}={v}\n",
        "env": f"HOME=/home/ci\nTF_TOKEN_{host}={v}\nTF_IN_AUTOMATION=1\n",
        "docker": f"docker run --rm -e TF_TOKEN_{host}={v} hashicorp/terraform plan\n",
        "table": "Name                           Value\n----                           -----\n"
        f"TF_TOKEN_{host:<21} {v}\n",
    }[shape]
    return text, [v] if sec else []


def settings_clean(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    """Clean lines ``main`` changed, with a secret beside them in the secret cases."""
    v = _key(rnd)
    if shape == "gpg":
        fp = "".join(rnd.choice("0123456789ABCDEF") for _ in range(40))
        extra = f"AZURE_CLIENT_SECRET            {v}\n" if sec else ""
        text = (
            "Name                           Value\n----                           -----\n"
            f"GPG_KEY                        {fp}\n{extra}PYTHON_VERSION                 3.12.7\n"
        )
        return text, [v] if sec else []
    extra = f',\n        "SecretAccessKey": "{v}"' if sec else ""
    text = (
        '{\n    "Credentials": {\n        "Expiration": "2026-12-07T11:00:01+00:00"'
        + extra
        + "\n    }\n}\n"
    )
    return text, [v] if sec else []


SHAPES = {
    cut_header: ["rich", "ascii", "polars"],
    noted_header: ["csv", "md_bar"],
    view_secret: ["plain", "ns", "ctx"],
    url_password: ["human", "scheme", "slash"],
    redis_late: ["hmget", "mget"],
    docker_partial: ["two", "three"],
    tf_token: ["export", "env", "docker", "table"],
    settings_clean: ["gpg", "aws_expiration"],
}
CASES = [(fn, shape) for fn, shapes in SHAPES.items() for shape in shapes]
IDS = [f"{fn.__name__}-{shape}" for fn, shape in CASES]


@pytest.mark.parametrize(("fn", "shape"), CASES, ids=IDS)
def test_shape(fn, shape) -> None:  # type: ignore[no-untyped-def]
    """Three secret cases (the first with a hex key where the shape draws one) masked, two
    clean ones unchanged."""
    check_shape(fn, shape, "ctx28")


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.integers(0, len(CASES) - 1), st.booleans(), st.integers(0, 10**6))
def test_any_case_any_split(k: int, sec: bool, seed: int) -> None:
    check_case(*CASES[k], seed, sec)
