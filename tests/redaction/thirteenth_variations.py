"""Thirteenth held-out generator for issue 18's contextual shapes (2026-12-05, rt13-redact).

Written from shapes no earlier generator made: a colon and then an arrow between a credential
word and its value; header-less ``name = value`` pairs padded with blanks around the delimiter;
psql expanded records longer than the table reader's reach; framed key/value boxes (one row per
setting, ``│ api_key │ <value> │``, ``+----+`` borders, double lines); terraform/kubectl/helm
output; YAML block scalars under a secret key; pretty-printed JSON whose secret name is a key
lines above the value (``{"name": "API_KEY", "value": …}`` and ``"password":`` then the value
on its own line); env dumps (``export``, ``declare -x``, ``typeset -x``, fish ``set -gx``,
PowerShell ``$env:``); ``.netrc``/``.pgpass`` lines; HTTP headers (``Authorization: Basic``,
``Cookie:``, ``X-Api-Key:``, curl ``-v`` prefixes); SQL that names the secret's column
(``INSERT INTO users (name, password) VALUES (…)``); and ANSI codes at every position of a
``name=value`` line. Every kind has clean near-misses in the same format (digests, UUIDs,
commit ids, lockfile integrity, ``(sensitive value)``, references, code).

``cases()`` yields ``Case`` rows; ``python -m tests.redaction.thirteenth_variations [-v]``
prints the secrets missed and clean lines changed per shape, whole, pure-Python and streamed;
``--cli`` also runs every case through ``gonogo redact``.
"""

from __future__ import annotations

import base64
import sys
from collections.abc import Iterator

from tests.redaction import twelfth_variations as twelfth
from tests.redaction.twelfth_variations import SIZES, Case, report

E = "\x1b"
_KEYS = twelfth.KeyStream(0x13A7, 7919, "alnum", (0,), 90_000, 91_000, "b")
key, hexid, uuid, val = _KEYS.key, _KEYS.hexid, _KEYS.uuid, _KEYS.val


WORDS = [
    "password", "token", "secret", "api key", "client secret", "access token", "API_KEY",
    "auth token", "private key", "credential", "DB_PASSWORD", "refresh token", "apiKey",
    "webhook secret", "signing key", "SECRET_KEY", "session token", "Password", "Token",
    "client_secret", "bearer token", "GITHUB_TOKEN",
]  # fmt: skip

NAMES = [
    "API_KEY", "client_secret", "DB_PASSWORD", "token", "SECRET_KEY", "auth_token",
    "GITHUB_TOKEN", "private_key", "webhook_secret", "apiKey", "password", "STRIPE_SECRET",
    "ACCESS_TOKEN", "slack_token", "AWS_SECRET_ACCESS_KEY", "refresh_token", "signing_key",
    "NPM_TOKEN", "secretKey", "POSTGRES_PASSWORD", "jwt_secret", "encryption_key",
]  # fmt: skip

SGR = [f"{E}[1m", f"{E}[0m", f"{E}[38;5;208m", f"{E}[32m", f"{E}[1;38;2;9;9;9m", f"{E}[m",
       f"{E}[2m", f"{E}[4;33m"]  # fmt: skip

CLEAN_NV = [
    ("IMAGE_DIGEST", lambda i: "sha256:" + hexid(i, 64)),
    ("GIT_COMMIT", lambda i: hexid(i + 1)),
    ("REQUEST_ID", lambda i: uuid(i)),
    ("SECRET_NAME", lambda i: ["prod-db-creds", "stripe-webhook", f"svc-{i}-tls"][i % 3]),
    ("TOKEN_COUNT", lambda i: str(1200 + 37 * i)),
    ("integrity", lambda i: "sha512-" + base64.b64encode(bytes.fromhex(hexid(i + 2, 128))).decode()),
    ("API_KEY_ID", lambda i: f"key-{i:04d}"),
    ("PASSWORD_FILE", lambda i: f"/run/secrets/db_password_{i}"),
    ("checksum", lambda i: hexid(i + 3, 64)),
    ("TOKEN_URL", lambda i: f"https://auth.example.com/oauth/token?v={i}"),
    ("DB_PASSWORD", lambda i: "${DB_PASSWORD}"),
    ("api_key", lambda i: "os.environ['API_KEY']"),
]  # fmt: skip


def clean_nv(i: int) -> tuple[str, str]:
    n, f = CLEAN_NV[i % len(CLEAN_NV)]
    return n, f(i)


# --- 1. a colon and an arrow between word and value -------------------------------------------

ARROWS = ["→", "->", "⇒", "=>", "➜", "»", "↦", "-->"]


def colon_arrow_cases() -> Iterator[Case]:
    for i in range(24):
        w, v, a = WORDS[i % len(WORDS)], val(1000 + i), ARROWS[i % len(ARROWS)]
        form = [
            f"{w}: {a} {v}\n",
            f"{w}:{a} {v}\n",
            f"  {w}: {a}  {v}\n",
            f"[info] {w}: {a} {v}\n",
            f"{SGR[i % 8]}{w}:{E}[0m {a} {SGR[(i + 1) % 8]}{v}{E}[0m\n",
            f"{w} = {a} {v}\n",
        ][i % 6]
        yield Case("colon_arrow", form, [v])
    for i in range(16):
        a = ARROWS[i % len(ARROWS)]
        w = WORDS[i % len(WORDS)]
        yield Case(
            "colon_arrow_clean",
            [
                f"{w}: {a} rotated\n",
                f"commit: {a} {hexid(i + 10)}\n",
                f"{w}: {a} (sensitive value)\n",
                f"digest: {a} sha256:{hexid(i, 64)}\n",
            ][i % 4],
        )


# --- 2. header-less name/value pairs with blanks around the delimiter -------------------------


def spaced_pair_cases() -> Iterator[Case]:
    for i in range(24):
        n, v = NAMES[i % len(NAMES)], val(2000 + i)
        d = ["   =   ", " :  ", "\t=\t", "  :  ", " =    ", "    :   ", " => ", "\t:\t"][i % 8]
        pad = n.ljust(24) if i % 3 == 0 else n
        q = ['"', "'", ""][i % 3] if "=" in d else ""
        yield Case("spaced_pair", f"{pad}{d}{q}{v}{q}\n", [v])
    for i in range(16):
        n, v = clean_nv(i)
        d = ["   =   ", " :  ", "\t=\t", "  :  "][i % 4]
        yield Case("spaced_pair_clean", f"{n.ljust(20) if i % 2 else n}{d}{v}\n")


# --- 3. psql expanded records longer than 64 lines --------------------------------------------

_COLS = [f"col_{k:03d}" for k in range(200)]
_REGIONS_X = ["eu-west-1", "us-east-1", "ap-south-1"]


def _psqlx(fields: list[tuple[str, str]], n: int = 1) -> str:
    hw = max(len(k) for k, _ in fields)
    head = f"-[ RECORD {n} ]" + "-" * max(0, hw - 12) + "+" + "-" * 30
    return "\n".join([head, *(f"{k.ljust(hw)} | {v}" for k, v in fields)]) + "\n"


def psql_long_cases() -> Iterator[Case]:
    for i in range(22):
        v = val(3000 + i)
        nm = ["password", "api_key", "client_secret", "token", "secret", "auth_token"][i % 6]
        before = 65 + (i * 7) % 60
        fields = [(_COLS[k], f"value {k}") for k in range(before)]
        fields.insert(before, (nm, v))
        fields += [("updated_at", "2026-12-01 10:00:00+00")]
        yield Case("psql_x_long", _psqlx(fields, 1 + i % 3), [v])
    for i in range(14):
        before = 70 + i * 3
        fields = [(_COLS[k], f"value {k}") for k in range(before)]
        fields.append(
            [
                ("commit_sha", hexid(i + 30)),
                ("request_id", uuid(i + 30)),
                ("auth_method", "token"),
                ("password_hash", "!"),
                ("secret_name", "prod-db"),
                ("digest", "sha256:" + hexid(i, 64)),
                ("secret", "<redacted>"),
            ][i % 7]
        )
        # (the record goes on past the named line: its next lines are no table's rows)
        fields += [("region", _REGIONS_X[i % 3]), ("owner", f"svc-{i}")]
        yield Case("psql_x_long_clean", _psqlx(fields))


# --- 4. framed/boxed key-value dumps ----------------------------------------------------------


def _kvbox(rows: list[tuple[str, str]], style: int, head: bool) -> str:
    w0 = max(len(k) for k, _ in rows + [("Field", "")])
    w1 = max(len(v) for _, v in rows + [("", "Value")])
    if style == 0:  # unicode single
        t, m, b, s = "┌┬┐", "├┼┤", "└┴┘", "│"
        hz = "─"
    elif style == 1:  # double
        t, m, b, s = "╔╦╗", "╠╬╣", "╚╩╝", "║"
        hz = "═"
    elif style == 2:  # ascii
        t, m, b, s = "+++", "+++", "+++", "|"
        hz = "-"
    else:  # rounded
        t, m, b, s = "╭┬╮", "├┼┤", "╰┴╯", "│"
        hz = "─"

    def rule(c: str) -> str:
        return c[0] + hz * (w0 + 2) + c[1] + hz * (w1 + 2) + c[2]

    def line(k: str, v: str) -> str:
        return f"{s} {k.ljust(w0)} {s} {v.ljust(w1)} {s}"

    out = [rule(t)]
    if head:
        out += [line("Field", "Value"), rule(m)]
    for n, (k, v) in enumerate(rows):
        out.append(line(k, v))
        if style == 2 and n % 2 == 1 and n + 1 < len(rows):
            out.append(rule(m))
    out.append(rule(b))
    return "\n".join(out) + "\n"


def boxed_cases() -> Iterator[Case]:
    for i in range(24):
        v = val(4000 + i)
        nm = NAMES[i % len(NAMES)]
        rows = [("name", f"svc-{i}"), ("region", "eu-west-1")]
        rows.insert(i % 3, (nm, v))
        if i % 4 == 3:
            rows.append(("created", "2026-11-30"))
        yield Case("boxed_kv", _kvbox(rows, i % 4, head=i % 2 == 0), [v])
    for i in range(16):
        n, cv = clean_nv(i)
        rows = [("name", f"svc-{i}"), (n, cv), ("region", "us-east-1")]
        yield Case("boxed_kv_clean", _kvbox(rows, i % 4, head=i % 2 == 1))


# --- 5. terraform / kubectl / helm ------------------------------------------------------------


def infra_cases() -> Iterator[Case]:
    for i in range(24):
        v = val(5000 + i)
        nm = ["password", "client_secret", "api_key", "token", "master_password", "secret_key"][
            i % 6
        ]
        k = i % 6
        if k == 0:
            t = (
                f'  # aws_db_instance.main will be updated in-place\n  ~ resource "aws_db_instance" "main" {{\n'
                f'        id       = "db-{i}"\n      ~ {nm} = (sensitive value)\n'
                f'      + {nm}_new = "{v}"\n    }}\n'
            )
        elif k == 1:
            t = f'      + {nm.ljust(16)} = "{v}"\n'
        elif k == 2:
            t = f'      ~ {nm} = "{key(5100 + i, "alnum", 24)}" -> "{v}"\n'
        elif k == 3:
            b = base64.b64encode(v.encode()).decode()
            t = f"apiVersion: v1\ndata:\n  {nm}: {b}\nkind: Secret\nmetadata:\n  name: app-{i}\ntype: Opaque\n"
            v = b
        elif k == 4:
            t = f"$ helm upgrade app ./chart --set db.{nm}={v} --set image.tag=1.{i}\n"
        else:
            t = f'Outputs:\n\nendpoint = "db-{i}.example.internal"\n{nm} = "{v}"\n'
        yield Case("infra_plan", t, [v])
    for i in range(16):
        nm = ["password", "client_secret", "api_key", "token"][i % 4]
        yield Case(
            "infra_plan_clean",
            [
                f"      ~ {nm} = (sensitive value)\n",
                f'      + {nm}_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-{i}-AbCdEf"\n',
                f'      ~ image_digest = "sha256:{hexid(i, 64)}" -> "sha256:{hexid(i + 1, 64)}"\n',
                f"{nm} = <sensitive>\n",
                f'      + id = "{uuid(i)}"\n',
                f"  {nm}: (known after apply)\n",
                f'        commit_sha = "{hexid(i + 5)}"\n',
                f"      ~ {nm} = (sensitive value) -> (sensitive value)\n",
            ][i % 8],
        )


# --- 6. YAML block scalars under a secret key -------------------------------------------------


def yaml_block_cases() -> Iterator[Case]:
    for i in range(24):
        nm = NAMES[i % len(NAMES)]
        ind = "  " * (1 + i % 3)
        ind2 = ind + "  "
        ind_char = ["|", ">", "|-", ">-", "|+", "|2"][i % 6]
        if i % 2 == 0:
            v = val(6000 + i)
            body = f"{ind2}{v}\n"
            secrets = [v]
        else:
            parts = [key(6100 + i * 3 + k, "b64", 48) for k in range(3)]
            body = "".join(f"{ind2}{p}\n" for p in parts)
            secrets = parts
        t = f"{ind[:-2]}config:\n{ind}{nm}: {ind_char}\n{body}{ind}region: eu-west-1\n"
        yield Case("yaml_block", t, secrets)
    for i in range(16):
        nm = ["script", "description", "run", "notes", "checksums", "password_policy"][i % 6]
        lines = [
            [f"sha256sum {hexid(i, 64)}", "echo done"],
            ["Rotates the token every day.", "See the runbook."],
            [f"git checkout {hexid(i + 1)}", "make test"],
            [f"request {uuid(i)} ok", "secret stays in vault"],
            [f"{hexid(i + 2, 64)}  dist/app.tgz", f"{hexid(i + 3, 64)}  dist/cli.tgz"],
            ["min length 12", "rotate every 90 days"],
        ][i % 6]
        body = "".join(f"    {x}\n" for x in lines)
        yield Case("yaml_block_clean", f"job:\n  {nm}: |\n{body}  image: alpine\n")


# --- 7. pretty-printed JSON: the name a key or lines above the value -------------------------


def json_pretty_cases() -> Iterator[Case]:
    for i in range(24):
        nm = NAMES[i % len(NAMES)]
        v = val(7000 + i)
        k = i % 6
        if k == 0:
            t = f'{{\n  "env": [\n    {{\n      "name": "{nm}",\n      "value": "{v}"\n    }}\n  ]\n}}\n'
        elif k == 1:
            t = f'[\n  {{\n    "Name": "{nm}",\n    "Type": "SecureString",\n    "Value": "{v}"\n  }}\n]\n'
        elif k == 2:
            t = f'{{\n  "{nm}":\n    "{v}"\n}}\n'
        elif k == 3:
            t = f'{{\n    "{nm}": {{\n        "value": "{v}",\n        "version": {i}\n    }}\n}}\n'
        elif k == 4:
            t = f"env:\n  - name: {nm}\n    value: {v}\n  - name: REGION\n    value: eu-west-1\n"
        else:
            t = f'{{\n  "key": "{nm}",\n  "created": "2026-11-0{1 + i % 8}",\n  "value": "{v}"\n}}\n'
        yield Case("json_pretty", t, [v])
    for i in range(16):
        n, cv = clean_nv(i)
        k = i % 4
        if k == 0:
            t = f'{{\n  "env": [\n    {{\n      "name": "{n}",\n      "value": "{cv}"\n    }}\n  ]\n}}\n'
        elif k == 1:
            t = f"env:\n  - name: {n}\n    value: {cv}\n"
        elif k == 2:
            t = f'{{\n  "name": "API_KEY",\n  "valueFrom": "arn:aws:ssm:eu-west-1:1:parameter/app-{i}"\n}}\n'
        else:
            t = f'{{\n  "secret": {{\n    "name": "app-{i}",\n    "digest": "sha256:{hexid(i, 64)}"\n  }}\n}}\n'
        yield Case("json_pretty_clean", t)


# --- 8. env dumps -----------------------------------------------------------------------------


def env_dump_cases() -> Iterator[Case]:
    for i in range(24):
        nm = NAMES[i % len(NAMES)].upper()
        v = val(8000 + i)
        t = [
            f"export {nm}={v}\n",
            f'declare -x {nm}="{v}"\n',
            f"typeset -x {nm}='{v}'\n",
            f"set -gx {nm} {v}\n",
            f'$env:{nm} = "{v}"\n',
            f"setenv {nm} {v}\n",
            f"export {nm}='{v}' REGION=eu-west-1\n",
            f'declare -rx {nm}="{v}"\n',
        ][i % 8]
        pre = ["", 'declare -x HOME="/root"\n', "export PATH=/usr/bin:/bin\n"][i % 3]
        yield Case("env_dump", pre + t, [v])
    for i in range(16):
        n, cv = clean_nv(i)
        t = [f"export {n}={cv}\n", f'declare -x {n}="{cv}"\n', f"set -gx {n} {cv}\n",
             f'$env:{n} = "{cv}"\n'][i % 4]  # fmt: skip
        yield Case("env_dump_clean", t)


# --- 9. .netrc / .pgpass / git credential -----------------------------------------------------


def netrc_cases() -> Iterator[Case]:
    for i in range(24):
        v = val(9000 + i)
        host = ["api.example.com", "github.com", "db.internal", "registry.npmjs.org"][i % 4]
        t = [
            f"machine {host} login deploy password {v}\n",
            f"machine {host}\n  login deploy\n  password {v}\n",
            f"default login anonymous password {v}\n",
            f"{host}:5432:app:deploy:{v}\n",
            f"protocol=https\nhost={host}\nusername=deploy\npassword={v}\n",
            f"machine {host} login deploy account ci password {v} \n",
        ][i % 6]
        yield Case("netrc", t, [v])
    for i in range(16):
        host = ["api.example.com", "github.com", "db.internal", "pypi.org"][i % 4]
        yield Case(
            "netrc_clean",
            [
                f"machine {host} login deploy\n",
                f"{host}:5432:app:deploy:*\n",
                f"protocol=https\nhost={host}\nusername=deploy\n",
                f"machine {host} login deploy macdef init\n",
            ][i % 4],
        )


# --- 10. HTTP headers -------------------------------------------------------------------------


def http_cases() -> Iterator[Case]:
    for i in range(24):
        v = val(10_000 + i)
        pre = ["", "> ", "< ", "    "][i % 4]
        k = i % 6
        if k == 0:
            b = base64.b64encode(f"deploy:{v}".encode()).decode()
            t, s = f"{pre}Authorization: Basic {b}\r\n", b
        elif k == 1:
            t, s = f"{pre}Cookie: theme=dark; session={v}; lang=en\r\n", v
        elif k == 2:
            t, s = f"{pre}X-Api-Key: {v}\r\n", v
        elif k == 3:
            t, s = f"{pre}Set-Cookie: sid={v}; Path=/; HttpOnly; Secure\r\n", v
        elif k == 4:
            t, s = f"{pre}Proxy-Authorization: Bearer {v}\r\n", v
        else:
            t, s = f"{pre}X-Auth-Token: {v}\r\n", v
        yield Case(
            "http_header", f"{pre}GET /v1/items HTTP/1.1\r\n{pre}Host: api.example.com\r\n{t}", [s]
        )
    for i in range(16):
        pre = ["", "> ", "< ", "    "][i % 4]
        yield Case(
            "http_header_clean",
            [
                f'{pre}ETag: "{hexid(i, 32)}"\r\n',
                f"{pre}X-Request-Id: {uuid(i)}\r\n",
                f"{pre}Cookie: theme=dark; lang=en\r\n",
                f"{pre}Authorization: Bearer\r\n",
                f"{pre}X-Amz-Content-Sha256: {hexid(i, 64)}\r\n",
                f"{pre}Set-Cookie: lang=en; Path=/\r\n",
                f"{pre}Digest: sha-256={base64.b64encode(bytes.fromhex(hexid(i, 64))).decode()}\r\n",
                f"{pre}X-Trace-Id: {hexid(i + 2, 32)}\r\n",
            ][i % 8],
        )


# --- 11. SQL naming the secret's column -------------------------------------------------------


def sql_cases() -> Iterator[Case]:
    for i in range(22):
        v = val(11_000 + i)
        col = ["password", "api_key", "token", "client_secret", "secret", "auth_token"][i % 6]
        t = [
            f"INSERT INTO users (name, {col}, created) VALUES ('svc-{i}', '{v}', now());\n",
            f"UPDATE accounts SET {col} = '{v}' WHERE id = {i};\n",
            f"CREATE USER deploy_{i} WITH PASSWORD '{v}';\n",
            f"ALTER USER 'app{i}'@'%' IDENTIFIED BY '{v}';\n",
            f"INSERT INTO creds ({col}) VALUES\n  ('{v}');\n",
        ][i % 5]
        yield Case("sql", t, [v])
    for i in range(14):
        yield Case(
            "sql_clean",
            [
                f"INSERT INTO commits (sha, author) VALUES ('{hexid(i)}', 'bob');\n",
                f"UPDATE users SET {['password_hash', 'token_count'][i % 2]} = '{['!', '12'][i % 2]}' WHERE id = {i};\n",
                f"SELECT id, password FROM users WHERE id = '{uuid(i)}';\n",
                f"INSERT INTO images (name, digest) VALUES ('app', 'sha256:{hexid(i, 64)}');\n",
            ][i % 4],
        )


# --- 12. ANSI codes at every position of a name=value line ------------------------------------


def ansi_everywhere_cases() -> Iterator[Case]:
    for i in range(24):
        nm = NAMES[i % len(NAMES)]
        v = val(12_000 + i)
        c1, c2 = SGR[i % 8], SGR[(i + 3) % 8]
        cut = 5 + i % 20
        half = len(nm) // 2
        t = [
            f"{nm[:half]}{c1}{nm[half:]}{E}[0m={v}\n",
            f"{nm}{c1}={E}[0m{v}\n",
            f"{nm}={v[:cut]}{c1}{v[cut:]}{E}[0m\n",
            f"{c1}{nm}{E}[0m{c2}:{E}[0m {c1}{v[:cut]}{E}[0m{c2}{v[cut:]}{E}[0m\n",
            f"{E}[2K\r{nm}: {v}{E}[K\n",
            f"{c1}export{E}[0m {c2}{nm}{E}[0m={E}[36m{v}{E}[0m\n",
            f"{nm}{E}[0m {E}[2m={E}[0m {E}[1m{v}{E}[22m\n",
            f'{{"{c1}{nm}{E}[0m": "{c2}{v}{E}[0m"}}\n',
        ][i % 8]
        yield Case("ansi_everywhere", t, [v])
    for i in range(16):
        n, cv = clean_nv(i)
        c1 = SGR[i % 8]
        yield Case(
            "ansi_everywhere_clean",
            [
                f"{n[:3]}{c1}{n[3:]}{E}[0m={cv}\n",
                f"{c1}{n}{E}[0m: {cv[:6]}{E}[1m{cv[6:]}{E}[0m\n",
                f"{E}[33mcommit {hexid(i + 7)}{E}[m\n",
            ][i % 3],
        )


def cases() -> Iterator[Case]:
    yield from colon_arrow_cases()
    yield from spaced_pair_cases()
    yield from psql_long_cases()
    yield from boxed_cases()
    yield from infra_cases()
    yield from yaml_block_cases()
    yield from json_pretty_cases()
    yield from env_dump_cases()
    yield from netrc_cases()
    yield from http_cases()
    yield from sql_cases()
    yield from ansi_everywhere_cases()


def measure(sizes: tuple[int, ...] = SIZES, verbose: bool = False) -> dict[str, list[int]]:
    """Per shape: [secret cases, secrets missed (any mode), clean cases, clean lines changed]."""
    return twelfth.measure(sizes, verbose, source=cases, show=lambda t: t[-300:])


SEPARATOR = "\n== next ==\n\n"


def cli_measure(home: object) -> tuple[int, int]:
    """Every case through ``gonogo redact`` (one run for the secrets, one for the clean cases):
    (secrets missed, clean cases changed)."""
    from pathlib import Path

    from tests.redaction.helpers import run_gonogo_redact

    all_cases = list(cases())
    secret = [c for c in all_cases if c.secrets]
    clean = [c for c in all_cases if c.clean]
    out = run_gonogo_redact([], SEPARATOR.join(c.text for c in secret).encode(), Path(str(home)))
    missed = sum(s.encode() in out.stdout for c in secret for s in c.secrets)
    data = SEPARATOR.join(c.text for c in clean).encode()
    out2 = run_gonogo_redact([], data, Path(str(home)))
    changed = sum(
        a != b
        for a, b in zip(
            data.split(SEPARATOR.encode()), out2.stdout.split(SEPARATOR.encode()), strict=False
        )
    )
    return missed, changed


if __name__ == "__main__":
    report(measure(verbose="-v" in sys.argv))
    if "--cli" in sys.argv:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="rt13-") as d:
            missed, changed = cli_measure(d)
            print(f"gonogo redact: missed {missed}, clean cases changed {changed}")
