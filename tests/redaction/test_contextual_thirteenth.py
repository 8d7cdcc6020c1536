"""Thirteenth pass over issue 18's contextual shapes (2026-12-05, rt13-redact): the held-out
generator ``thirteenth_variations`` (colon and arrow, padded pairs, long psql records, boxes,
terraform/kubectl/helm, YAML block scalars, pretty-printed JSON, env dumps, netrc, HTTP headers,
SQL, colour codes everywhere, each with clean near-misses), every case checked whole, by the
pure-Python engine and streamed at awkward chunk sizes, and all of them through ``gonogo
redact``; then the classes fixed, each with its own variations and clean controls."""

from __future__ import annotations

import base64
from collections import Counter
from pathlib import Path

import pytest

from tests.redaction.held_out import HeldOut, ids
from tests.redaction.thirteenth_variations import (
    Case,
    cases,
    cli_measure,
    hexid,
    key,
    uuid,
)

CASES = list(cases())
# The pure-Python engine masks the same bytes with the same tags; the detector's label may
# differ where two rules find one value (a psql record's ``password | …`` line: the own-name row
# reader's and the key-name table-row rule's; so on main too).
_H = HeldOut(strip_labels=True)
_masked, _unchanged = _H.masked, _H.unchanged

SECRET_CASES = [c for c in CASES if c.secrets]
CLEAN_CASES = [c for c in CASES if c.clean]


@pytest.mark.parametrize("case", SECRET_CASES, ids=ids(SECRET_CASES))
def test_held_out_secrets_masked(case: Case) -> None:
    _masked(case.text, case.secrets)


@pytest.mark.parametrize("case", CLEAN_CASES, ids=ids(CLEAN_CASES))
def test_held_out_clean_output_unchanged(case: Case) -> None:
    _unchanged(case.text)


def test_every_shape_has_twenty_variations() -> None:
    secret = Counter(c.shape for c in SECRET_CASES)
    clean = Counter(c.shape for c in CLEAN_CASES)
    assert len(secret) == 12 and all(n >= 20 for n in secret.values()), secret
    assert len(clean) == 12 and all(n >= 14 for n in clean.values()), clean


def test_held_out_through_gonogo_redact(tmp_path: Path) -> None:
    assert cli_measure(tmp_path) == (0, 0)


def _v(seed: int, n: int = 40) -> str:
    return key(30_000 + seed, ["alnum", "b64", "url"][seed % 3], n)


WORDS = ["password", "token", "secret", "api key", "client secret", "access token", "API_KEY",
         "DB_PASSWORD", "private key", "credential", "refresh token"]  # fmt: skip
ARROWS = ["→", "->", "⇒", "=>", "➜", "»", "↦", "-->", "⟶"]

# --- class 1: a colon or "=" and then an arrow between a credential word and its value ---------


@pytest.mark.parametrize("i", range(24))
def test_colon_then_arrow(i: int) -> None:
    v, w, a = _v(i), WORDS[i % 11], ARROWS[i % 9]
    sep = [":", ": ", " = ", ":", "="][i % 5]
    _masked(f"{w}{sep} {a} {v}\n", [v])
    _masked(f"\x1b[1m{w}{sep}\x1b[0m {a} \x1b[36m{v}\x1b[0m\n", [v])


@pytest.mark.parametrize(
    "text",
    [
        *(f"password: {a} rotated\n" for a in ARROWS),
        *(f"token: {a} (sensitive value)\n" for a in ARROWS),
        *(f"commit: {a} {hexid(i)}\n" for i, a in enumerate(ARROWS)),
        *(f"digest: {a} sha256:{hexid(i, 64)}\n" for i, a in enumerate(ARROWS)),
        "secret: -> eu-west-1\n",
        "api key: => none\n",
    ],
)
def test_colon_then_arrow_controls(text: str) -> None:
    _unchanged(text)


# --- class 2: a name padded to a column before its separator ----------------------------------

NAMES = ["API_KEY", "client_secret", "DB_PASSWORD", "token", "SECRET_KEY", "auth_token",
         "GITHUB_TOKEN", "apiKey", "refresh_token", "secretKey", "encryption_key"]  # fmt: skip


@pytest.mark.parametrize("i", range(24))
def test_padded_name_before_separator(i: int) -> None:
    v = _v(100 + i)
    pad = NAMES[i % 11].ljust(12 + i)
    sep = ["=", ":", "=", ":"][i % 4]
    q = ['"', "", "'", ""][i % 4]
    _masked(f"{pad}{sep}   {q}{v}{q}\n", [v])
    _masked(f"{pad}\t{sep}\t{q}{v}{q}\n", [v])


@pytest.mark.parametrize(
    "text",
    [
        f"{'IMAGE_DIGEST'.ljust(30)}=   sha256:{hexid(1, 64)}\n",
        f"{'GIT_COMMIT'.ljust(30)}:  {hexid(2)}\n",
        f"{'REQUEST_ID'.ljust(25)}=  {uuid(3)}\n",
        f"{'TOKEN_COUNT'.ljust(30)}=   1348\n",
        f"{'SECRET_NAME'.ljust(30)}:  prod-db-creds\n",
        f"{'DB_PASSWORD'.ljust(30)}=   ${{DB_PASSWORD}}\n",
        f"{'api_key'.ljust(30)}:  os.environ['API_KEY']\n",
        f"{'PASSWORD_FILE'.ljust(30)}:  /run/secrets/db_password\n",
        f"{'checksum'.ljust(30)}=   {hexid(4, 64)}\n",
        f"{'password'.ljust(30)}=   <redacted>\n",
        f"{'token'.ljust(30)}:  null\n",
        f"{'secret'.ljust(30)}=   ********\n",
    ],
)
def test_padded_name_controls(text: str) -> None:
    _unchanged(text)


# --- class 3: pretty-printed JSON, the name lines above the value ------------------------------


@pytest.mark.parametrize("i", range(22))
def test_pretty_json_value_below_name(i: int) -> None:
    n, v = NAMES[i % 11], _v(200 + i)
    ind = " " * (2 + 2 * (i % 4))
    _masked(f'{{\n{ind}"{n}":\n{ind}  "{v}"\n}}\n', [v])
    _masked(
        f'{{\n{ind}"{n}": {{\n{ind}  "value": "{v}",\n{ind}  "version": {i}\n{ind}}}\n}}\n', [v]
    )
    between = "".join(f'{ind}"{k}": "{x}",\n' for k, x in [("Type", "SecureString"),
                      ("created", "2026-11-02"), ("ARN", "arn:aws:ssm:eu-west-1:1:p")][: 1 + i % 3])  # fmt: skip
    _masked(f'[\n  {{\n{ind}"Name": "{n}",\n{between}{ind}"Value": "{v}"\n  }}\n]\n', [v])


@pytest.mark.parametrize("i", range(20))
def test_pretty_json_controls(i: int) -> None:
    name = ["IMAGE_DIGEST", "GIT_COMMIT", "REGION", "integrity", "SECRET_NAME"][i % 5]
    value = [f"sha256:{hexid(i, 64)}", hexid(i), "eu-west-1", f"sha512-{hexid(i, 64)}", "db"][i % 5]
    _unchanged(f'{{\n  "name": "{name}",\n  "type": "String",\n  "value": "{value}"\n}}\n')
    _unchanged(f'{{\n  "{name}":\n    "{value}"\n}}\n')
    _unchanged(f'{{\n  "secret": {{\n    "name": "app-{i}",\n    "value": "<redacted>"\n  }}\n}}\n')


# --- class 4: terraform plans: a changed value's new side; "(sensitive value)" ------------------


@pytest.mark.parametrize("i", range(22))
def test_terraform_changed_value(i: int) -> None:
    n = ["password", "api_key", "client_secret", "token", "master_password", "secret_key"][i % 6]
    old, new = _v(300 + i, 24), _v(400 + i)
    _masked(f'      ~ {n.ljust(8 + i % 9)} = "{old}" -> "{new}"\n', [old, new])


@pytest.mark.parametrize("i", range(20))
def test_terraform_sensitive_controls(i: int) -> None:
    n = ["password", "pwd", "master_password", "db_password", "PASSWORD"][i % 5]
    _unchanged(f"      ~ {n} = (sensitive value)\n")
    _unchanged(f"      + {n} = (sensitive value)\n")
    _unchanged(f"      ~ {n} = (sensitive value) -> (known after apply)\n")
    _unchanged(f'      ~ image_digest = "sha256:{hexid(i, 64)}" -> "sha256:{hexid(i + 1, 64)}"\n')


def test_connection_string_password_still_masked() -> None:
    v = _v(499, 24)
    _masked(f"Server=db;User Id=app;Password={v};\n", [v])
    _masked(f"password=(abc{v})\n", [v])


# --- class 5: YAML block scalars under a key naming a secret -----------------------------------


@pytest.mark.parametrize("i", range(24))
def test_yaml_block_scalar(i: int) -> None:
    n = NAMES[i % 11]
    ind = "  " * (i % 3)
    head = ["|", ">", "|-", ">-", "|+", "|2", ">+", "|-  # rotated"][i % 8]
    parts = [_v(500 + i * 4 + k, 48) for k in range(1 + i % 3)]
    body = "".join(
        f"{ind}    {p}\n" + ("\n" if k == 0 and i % 4 == 0 else "") for k, p in enumerate(parts)
    )
    text = f"{ind}app:\n{ind}  {n}: {head}\n{body}{ind}  region: eu-west-1\n"
    out = _masked(text, parts)
    assert f"{ind}  region: eu-west-1\n".encode() in out


@pytest.mark.parametrize("i", range(20))
def test_yaml_block_scalar_controls(i: int) -> None:
    name = ["script", "run", "description", "notes", "password_policy", "token_url"][i % 6]
    lines = [f"sha256sum {hexid(i, 64)}", f"git checkout {hexid(i + 1)}", "make test",
             f"{hexid(i + 2, 64)}  dist/app.tgz", "Rotates the token daily."]  # fmt: skip
    body = "".join(f"    {x}\n" for x in lines[i % 3 : i % 3 + 3])
    _unchanged(f"job:\n  {name}: |\n{body}  image: alpine\n")
    _unchanged("job:\n  password: |\n    <redacted>\n    ${DB_PASSWORD}\n  image: alpine\n")


def test_yaml_block_scalar_ends_at_its_indentation() -> None:
    v = _v(599, 44)
    text = f"a:\n  token: |\n    {v}\nb:\n  {hexid(1)}\n  commit: {hexid(2)}\n"
    out = _masked(text, [v])
    assert f"  {hexid(1)}\n  commit: {hexid(2)}\n".encode() in out


# --- class 6: an SQL insert whose tuples start on the lines below VALUES ------------------------


@pytest.mark.parametrize("i", range(22))
def test_sql_insert_values_below(i: int) -> None:
    col = ["password", "api_key", "token", "client_secret", "secret", "auth_token"][i % 6]
    rows = [_v(600 + i * 3 + k, 36) for k in range(1 + i % 3)]
    tuples = ",\n".join(f"  ({k}, 'svc-{k}', '{r}')" for k, r in enumerate(rows))
    out = _masked(f"INSERT INTO creds (id, name, {col}) VALUES\n{tuples};\n", rows)
    assert b"'svc-0'" in out


@pytest.mark.parametrize("i", range(20))
def test_sql_insert_values_below_controls(i: int) -> None:
    col = ["sha", "digest", "commit", "request_id", "token_count"][i % 5]
    val = [hexid(i), f"sha256:{hexid(i, 64)}", hexid(i + 3), uuid(i), str(12 + i)][i % 5]
    _unchanged(f"INSERT INTO t (id, {col}) VALUES\n  ({i}, '{val}'),\n  ({i + 1}, '{val}');\n")
    _unchanged(f"INSERT INTO users (id, password) VALUES\n  ({i}, '<redacted>');\n")


# --- class 7: a hex id or digest under ``value`` with the entry's name above -------------------


@pytest.mark.parametrize("i", range(20))
def test_value_under_a_named_entry(i: int) -> None:
    name = ["GIT_COMMIT", "IMAGE_DIGEST", "integrity", "BUILD_SHA", "TRACE_ID"][i % 5]
    value = [hexid(i), f"sha256:{hexid(i, 64)}",
             "sha512-" + base64.b64encode(bytes.fromhex(hexid(i, 128))).decode(), hexid(i + 1, 64), uuid(i)][i % 5]  # fmt: skip
    _unchanged(f"env:\n  - name: {name}\n    value: {value}\n")
    _unchanged(f'{{\n  "name": "{name}",\n  "value": "{value}"\n}}\n')


@pytest.mark.parametrize("i", range(20))
def test_value_under_a_secret_entry_still_masked(i: int) -> None:
    name = ["API_KEY", "DB_PASSWORD", "client_secret", "GITHUB_TOKEN", "signing_key"][i % 5]
    v = [hexid(i + 40), _v(700 + i)][i % 2]
    _masked(f"env:\n  - name: {name}\n    value: {v}\n", [v])
    _masked(f'{{\n  "name": "{name}",\n  "value": "{v}"\n}}\n', [v])


# --- class 8: a cookie header's preference pair ------------------------------------------------


@pytest.mark.parametrize("i", range(20))
def test_cookie_preferences_unchanged(i: int) -> None:
    pair = ["theme=dark", "lang=en", "tz=UTC", "_ga_seen=1", "consent=yes", "view=grid"][i % 6]
    pre = ["", "> ", "< ", "    "][i % 4]
    _unchanged(f"{pre}Cookie: {pair}; lang=de\r\n")
    _unchanged(f"{pre}Set-Cookie: {pair}; Path=/; Max-Age=3600\r\n")


@pytest.mark.parametrize("i", range(20))
def test_cookie_sessions_still_masked(i: int) -> None:
    v = _v(800 + i, 32)
    name = ["session", "sid", "auth_token", "remember_user_token", "csrftoken"][i % 5]
    _masked(f"Cookie: theme=dark; {name}={v}; lang=en\r\n", [v])
    _masked(f"Cookie: {name}={v}\r\n", [v])
    _masked(f"Set-Cookie: {name}={v}; Path=/; HttpOnly\r\n", [v])


# --- class 9: code reading the environment in a key/value table's value cell -------------------


@pytest.mark.parametrize("i", range(20))
def test_env_reference_in_value_cell(i: int) -> None:
    n = NAMES[i % 11]
    ref = [f"os.environ['{n}']", f'os.environ.get("{n}")', f"process.env.{n}", f"getenv({n})",
           f"os.getenv('{n}')"][i % 5]  # fmt: skip
    w = max(len(ref), 5)
    _unchanged(
        f"| Field | {'Value'.ljust(w)} |\n|---|---|\n| name  | {'svc'.ljust(w)} |\n| {n} | {ref} |\n"
    )


def test_literal_in_value_cell_still_masked() -> None:
    v = _v(900)
    _masked(f"| Field | Value |\n|---|---|\n| api_key | {v} |\n", [v])
