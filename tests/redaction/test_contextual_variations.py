# ruff: noqa: UP031  (printf-aligned output is built as printf builds it)
"""Variations of issue 18's two contextual kinds, as real tools print them: a column header naming
the secret for the values below it (pandas, polars, tabulate, rich, sqlite3's modes, psql's
expanded records, MySQL's \\G, kubectl/az/aws/gcloud tables, ``column -t``, ``printf`` scripts,
headers with units and brackets, CSV with quoted multi-line cells, CRLF) and a credential word
before a key-shaped value with terminal codes around, inside or between them (grep --color,
jq -C, git diff, rich/pytest log lines, OSC 8 links, ``\\r`` redraws). Each is checked whole,
by the pure-Python engine and streamed at several chunk sizes against one pass; clean
look-alikes (prose, code, placeholders) stay as they are."""

from __future__ import annotations

import base64
import io
import json
import random
import shutil
import subprocess

import pytest

from tests.redaction.helpers import redactor, streamed

R = redactor()
SLOW = redactor(use_hyperscan=False)
_B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
CASES: list[tuple[str, str, list[str], list[str]]] = []
_AKID = "AK" + "IA" + "EXAMPLEEXAMPLEXX"  # built at runtime: the repository is a leak-scan sink


def sec(seed: int, kind: str = "b64") -> str:
    rnd = random.Random(seed * 7919 + len(kind))
    if kind == "hex":
        return "".join(rnd.choice("0123456789abcdef") for _ in range(40))
    if kind == "b62":
        return "Q7" + "".join(rnd.choice(_B62) for _ in range(38))
    if kind == "b64url":
        return base64.urlsafe_b64encode(bytes(rnd.getrandbits(8) for _ in range(30))).decode()
    return base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(30))).decode()


def case(name: str, text: str | None, secrets: list[str], clean: object = ()) -> None:
    if text is None:
        return  # the tool is not installed here
    CASES.append((name, text, list(secrets), list(clean)))  # type: ignore[call-overload]


def _tool(args: list[str], data: str = "") -> str | None:
    if shutil.which(args[0]) is None:
        return None
    return subprocess.run(args, input=data, capture_output=True, text=True, check=False).stdout


KINDS = ["b64", "b62", "hex"]


def aligned(rows: list[list[str]], gap: int = 2, right: tuple[int, ...] = ()) -> str:
    w = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [(c.rjust(w[i]) if i in right else c.ljust(w[i])) for i, c in enumerate(r)]
        out.append((" " * gap).join(cells).rstrip())
    return "\n".join(out) + "\n"


# ---------- pandas-like --------------------------------------------------------------------
for i, k in enumerate(KINDS):
    s1, s2 = sec(100 + i, k), sec(200 + i, k)
    # to_string with index (right aligned, header has leading blanks)
    rows = [
        ["", "name", "secret", "region"],
        ["0", "prod", s1, "eu-west-1"],
        ["1", "stage", s2, "us-east-1"],
    ]
    case(f"pandas-to_string-{k}", aligned(rows, 2, right=(0, 1, 2, 3)), [s1, s2], ["eu-west-1"])
    rows = [["", "name", "api_key"], ["0", "prod", s1], ["1", "stage", s2]]
    case(f"pandas-to_string-2col-{k}", aligned(rows, 2, right=(0, 1, 2)), [s1, s2])
    # to_string named index
    rows = [["", "name", "token"], ["id", "", ""], ["1", "prod", s1], ["2", "stage", s2]]
    txt = aligned(rows, 2, right=(1, 2)).replace("id\n", "id" + " " * 50 + "\n")
    case(f"pandas-to_string-named-index-{k}", txt, [s1, s2])
    # to_markdown
    txt = f"|    | name   | secret   |\n|---:|:-------|:---------|\n|  0 | prod   | {s1} |\n|  1 | stage  | {s2} |\n"
    case(f"pandas-to_markdown-{k}", txt, [s1, s2])
    # to_csv with index
    case(
        f"pandas-to_csv-index-{k}",
        f",name,secret,region\n0,prod,{s1},eu\n1,stage,{s2},us\n",
        [s1, s2],
    )
    case(
        f"pandas-to_csv-named-index-{k}", f"id,name,password\n0,prod,{s1}\n1,stage,{s2}\n", [s1, s2]
    )
    # tabulate "plain" / "simple"
    rows = [["name", "token", "owner"], ["prod", s1, "alice"], ["stage", s2, "bob"]]
    case(f"tabulate-plain-{k}", aligned(rows), [s1, s2])
    lines = aligned(rows).splitlines()
    simple = (
        lines[0]
        + "\n"
        + "  ".join("-" * max(len(r[j]) for r in rows) for j in range(3))
        + "\n"
        + "\n".join(lines[1:])
        + "\n"
    )
    case(f"tabulate-simple-{k}", simple, [s1, s2])
    case(
        f"tabulate-simple-dashes-top-{k}",
        "  ".join("-" * max(len(r[j]) for r in rows) for j in range(3))
        + "\n"
        + simple
        + "  ".join("-" * max(len(r[j]) for r in rows) for j in range(3))
        + "\n",
        [s1, s2],
    )
    # tabulate github / pipe / orgtbl / rst / psql
    case(
        f"tabulate-orgtbl-{k}",
        f"| name  | token | owner |\n|-------+-------+-------|\n| prod  | {s1} | alice |\n| stage | {s2} | bob |\n",
        [s1, s2],
    )
    case(
        f"tabulate-rst-{k}",
        f"=====  {'=' * 40}  =====\nname   token{' ' * 35}  owner\n=====  {'=' * 40}  =====\nprod   {s1}  alice\nstage  {s2}  bob\n=====  {'=' * 40}  =====\n",
        [s1, s2],
    )
    case(
        f"tabulate-psql-{k}",
        f"+-------+{'-' * 42}+-------+\n| name  | token{' ' * 36} | owner |\n|-------+{'-' * 42}+-------|\n| prod  | {s1} | alice |\n| stage | {s2} | bob   |\n+-------+{'-' * 42}+-------+\n",
        [s1, s2],
    )
    case(
        f"tabulate-grid-{k}",
        f"+-------+{'-' * 42}+\n| name  | secret{' ' * 35} |\n+=======+{'=' * 42}+\n| prod  | {s1} |\n+-------+{'-' * 42}+\n| stage | {s2} |\n+-------+{'-' * 42}+\n",
        [s1, s2],
    )
    case(
        f"tabulate-presto-{k}",
        f" name  | token\n-------+{'-' * 42}\n prod  | {s1}\n stage | {s2}\n",
        [s1, s2],
    )
    case(
        f"tabulate-pretty-{k}",
        f"+-------+{'-' * 42}+\n| name  |{' ' * 17}token{' ' * 20}|\n+-------+{'-' * 42}+\n| prod  | {s1} |\n| stage | {s2} |\n+-------+{'-' * 42}+\n",
        [s1, s2],
    )
    case(
        f"tabulate-moinmoin-{k}",
        f"|| ''' name ''' || ''' token ''' ||\n||  prod  ||  {s1}  ||\n",
        [s1],
    )
    case(f"tabulate-tsv-{k}", f"name \ttoken\nprod \t{s1}\nstage\t{s2}\n", [s1, s2])
    case(
        f"tabulate-html-{k}",
        f"<table>\n<thead>\n<tr><th>name </th><th>token</th></tr>\n</thead>\n<tbody>\n<tr><td>prod </td><td>{s1}</td></tr>\n</tbody>\n</table>\n",
        [s1],
    )
    case(
        f"tabulate-asciidoc-{k}",
        f'[cols="8<,40<",options="header"]\n|====\n| name | token\n| prod | {s1}\n| stage | {s2}\n|====\n',
        [s1, s2],
    )
    case(f"tabulate-jira-{k}", f"|| name || token ||\n| prod | {s1} |\n", [s1])
    case(f"tabulate-youtrack-{k}", f"|| name  || token ||\n| prod  | {s1} |\n", [s1])
    case(f"tabulate-textile-{k}", f"|_. name |_. token |\n|<. prod |<. {s1} |\n", [s1])
    case(
        f"tabulate-mediawiki-{k}",
        f'{{| class="wikitable" style="text-align: left;"\n|+ <!-- caption -->\n|-\n! name   !! token\n|-\n| prod   || {s1}\n|}}\n',
        [s1],
    )

# ---------- polars -------------------------------------------------------------------------
for i, k in enumerate(KINDS):
    s1, s2 = sec(300 + i, k), sec(310 + i, k)
    W = len(s1)
    txt = (
        "shape: (2, 3)\n"
        f"┌───────┬{'─' * (W + 2)}┬────────┐\n"
        f"│ name  ┆ secret{' ' * (W - 6)} ┆ region │\n"
        f"│ ---   ┆ ---{' ' * (W - 3)} ┆ ---    │\n"
        f"│ str   ┆ str{' ' * (W - 3)} ┆ str    │\n"
        f"╞═══════╪{'═' * (W + 2)}╪════════╡\n"
        f"│ prod  ┆ {s1} ┆ eu     │\n"
        f"│ stage ┆ {s2} ┆ us     │\n"
        f"└───────┴{'─' * (W + 2)}┴────────┘\n"
    )
    case(f"polars-print-{k}", txt, [s1, s2])
    # polars with tbl_hide_column_data_types / dataframe_shape_below
    txt2 = (
        f"┌───────┬{'─' * (W + 2)}┐\n"
        f"│ name  ┆ api_key{' ' * (W - 7)} │\n"
        f"╞═══════╪{'═' * (W + 2)}╡\n"
        f"│ prod  ┆ {s1} │\n"
        f"│ stage ┆ {s2} │\n"
        f"└───────┴{'─' * (W + 2)}┘\nshape: (2, 2)\n"
    )
    case(f"polars-nodtype-{k}", txt2, [s1, s2])
    # polars ASCII_MARKDOWN
    case(
        f"polars-markdown-{k}",
        f"| name  | token |\n| ---   | ---   |\n| str   | str   |\n|-------|-------|\n| prod  | {s1} |\n",
        [s1],
    )

# ---------- column -t, docker, kubectl, gh, aws, az, gcloud ------------------------------------
for i, k in enumerate(KINDS):
    s1, s2 = sec(400 + i, k), sec(410 + i, k)
    case(
        f"column-t-{k}",
        f"name   secret{' ' * 35}  region\nprod   {s1}  eu\nstage  {s2}  us\n",
        [s1, s2],
    )
    case(f"column-t-s,-{k}", f"name  token  region\nprod  {s1}  eu\n", [s1])
    case(
        f"column-t-onespace-{k}",
        f"name secret{' ' * 35} region\nprod {s1} eu\nstage {s2} us\n",
        [s1, s2],
    )
    case(
        f"docker-{k}",
        f'CONTAINER ID   IMAGE     COMMAND   TOKEN{" " * 36}STATUS\n3f2b1c0a9d8e   nginx     "nginx"   {s1} Up 2 min\n',
        [s1],
    )
    case(f"kubectl-custom-{k}", f"NAME      TOKEN\ndefault   {s1}\nbuilder   {s2}\n", [s1, s2])
    case(
        f"kubectl-custom-3-{k}",
        f"NAMESPACE   NAME      PASSWORD\nprod        db        {s1}\nstage       cache     {s2}\n",
        [s1, s2],
    )
    case(
        f"kubectl-wide-{k}",
        f"NAME         TYPE     DATA   AGE   API_KEY\nsvc-creds    Opaque   2      3d    {s1}\n",
        [s1],
    )
    case(f"gh-{k}", f"NAME\tVALUE\tUPDATED\nDEPLOY_TOKEN\t{s1}\t2026-11-25\n", [s1])
    aws = (
        "----------------------------------------------------------------\n"
        "|                        CreateAccessKey                       |\n"
        "+--------------------------------------------------------------+\n"
        "||                          AccessKey                          ||\n"
        "|+-------------------+----------------------------------------+|\n"
        f"||  AccessKeyId      |  {_AKID}                  ||\n"
        f"||  CreateDate       |  2026-12-03T20:10:00+00:00             ||\n"
        f"||  SecretAccessKey  |  {s1}  ||\n"
        f"||  Status           |  Active                                ||\n"
        f"||  UserName         |  bob                                   ||\n"
        "|+-------------------+----------------------------------------+|\n"
    )
    case(f"aws-table-record-{k}", aws, [s1])
    aws2 = (
        "-----------------------------------------------------------\n"
        "|                     ListSecrets                         |\n"
        f"+------------+{'-' * 44}+\n"
        f"|    Name    |{' ' * 16}SecretString{' ' * 16}|\n"
        f"+------------+{'-' * 44}+\n"
        f"|  prod-db   |  {s1}  |\n"
        f"|  stage-db  |  {s2}  |\n"
        f"+------------+{'-' * 44}+\n"
    )
    case(f"aws-table-columns-{k}", aws2, [s1, s2])
    case(
        f"aws-text-{k}",
        f"ACCESSKEY\t{_AKID}\t2026-12-03T20:10:00+00:00\t{s1}\tActive\tbob\n",
        [s1],
    )
    case(
        f"az-table-kv-{k}",
        f"KeyName    Permissions    Value\n---------  -------------  {'-' * 40}\nkey1       FULL           {s1}\nkey2       FULL           {s2}\n",
        [s1, s2],
    )
    case(
        f"az-kv-secret-{k}",
        f"ContentType    Name     Value\n-------------  -------  {'-' * 40}\ntext/plain     db-pass  {s1}\n",
        [s1],
    )
    case(f"gcloud-{k}", f"NAME          SECRET\nprod-api      {s1}\n", [s1])
    case(
        f"gcloud-3-{k}",
        f"NAME      CREATED              CLIENT_SECRET\nweb-app   2026-11-25T10:00:00  {s1}\n",
        [s1],
    )

# ---------- sqlite3 modes (built later from real sqlite3) ------------------------------------
# ---------- psql expanded, mysql vertical ---------------------------------------------------
for i, k in enumerate(KINDS):
    s1, s2 = sec(500 + i, k), sec(510 + i, k)
    case(
        f"psql-x-{k}",
        f"-[ RECORD 1 ]---------------------------------------\nname   | prod\nsecret | {s1}\n-[ RECORD 2 ]---------------------------------------\nname   | stage\nsecret | {s2}\n",
        [s1, s2],
    )
    case(
        f"psql-x-token-{k}",
        f"-[ RECORD 1 ]+---------\nid           | 1\napi_token    | {s1}\ncreated_at   | 2026-11-25\n",
        [s1],
    )
    case(
        f"psql-x-border2-{k}",
        f"+-[ RECORD 1 ]-+{'-' * 42}+\n| id          | 1{' ' * 40}|\n| password    | {s1} |\n+-------------+{'-' * 42}+\n",
        [s1],
    )
    case(f"psql-x-border0-{k}", f"* Record 1\nid       1\npassword {s1}\n", [s1])
    case(
        f"mysql-G-{k}",
        f"*************************** 1. row ***************************\n         id: 1\n       name: prod\napi_secret: {s1}\n*************************** 2. row ***************************\n         id: 2\n       name: stage\napi_secret: {s2}\n2 rows in set (0.00 sec)\n",
        [s1, s2],
    )
    case(
        f"mysql-G-auth-{k}",
        f"*************************** 1. row ***************************\n                 User: app\n                 Host: %\nauthentication_string: {s1}\n",
        [s1],
    )
    case(
        f"mysql-table-{k}",
        f"+----+-------+{'-' * 42}+\n| id | name  | token{' ' * 36}|\n+----+-------+{'-' * 42}+\n|  1 | prod  | {s1} |\n|  2 | stage | {s2} |\n+----+-------+{'-' * 42}+\n2 rows in set (0.00 sec)\n",
        [s1, s2],
    )
    case(
        f"psql-default-{k}",
        f" id | name  |{' ' * 19}secret{' ' * 17}\n----+-------+{'-' * 42}\n  1 | prod  | {s1}\n  2 | stage | {s2}\n(2 rows)\n",
        [s1, s2],
    )

# ---------- printf-aligned ---------------------------------------------------------------
for i, k in enumerate(KINDS):
    s1, s2 = sec(600 + i, k), sec(610 + i, k)
    case(
        f"printf-onespace-{k}",
        "%-10s %-45s %s\n" % ("SERVICE", "TOKEN", "OWNER")
        + "%-10s %-45s %s\n" % ("billing", s1, "ops")
        + "%-10s %-45s %s\n" % ("search", s2, "dev"),
        [s1, s2],
    )
    case(
        f"printf-colon-{k}",
        "%-12s: %s\n" % ("service", "billing") + "%-12s: %s\n" % ("token", s1),
        [s1],
    )
    case(f"printf-tab-{k}", f"SERVICE\tSECRET\nbilling\t{s1}\n", [s1])
    case(f"printf-pipe-{k}", f"service | secret\nbilling | {s1}\nsearch  | {s2}\n", [s1, s2])

# ---------- header words, units, brackets, case styles ---------------------------------------
HEADS = [
    "secret (base64)",
    "token [hex]",
    "API Key (prod)",
    "Secret*",
    "password (plaintext)",
    "Client Secret",
    "CLIENT_SECRET",
    "clientSecret",
    "client-secret",
    "auth.token",
    "AccessToken",
    "ACCESS-TOKEN",
    "Api-Key",
    "x-api-key",
    "Secret Value",
    "secret_value",
    "token_b64",
    "Secret Key",
    "signing_key",
    "webhookSecret",
    "Bearer Token",
    "PAT",
    "Personal Access Token",
    "private key",
    "db.password",
    "DB_PASSWORD",
    "Passwort",
    "SECRET ",
    " token",
    '"token"',
    "'secret'",
    "[secret]",
    "<token>",
    "secret:",
    "Token #1",
    "encryption_key",
    "hmac_key",
    "SharedKey",
    "Shared Access Key",
    "Primary Key",
    "connection_string",
]
for i, h in enumerate(HEADS):
    k = KINDS[i % 3]
    s1 = sec(700 + i, k)
    case(f"csv-head[{h}]", f"name,{h},region\nprod,{s1},eu\n", [s1])
    case(f"tsv-head[{h}]", f"name\t{h}\tregion\nprod\t{s1}\teu\n", [s1])
    case(f"md-head[{h}]", f"| name | {h} | region |\n|---|---|---|\n| prod | {s1} | eu |\n", [s1])

# ---------- CSV oddities -------------------------------------------------------------------
for i, k in enumerate(KINDS):
    s1, s2, s3 = sec(800 + i, k), sec(810 + i, k), sec(820 + i, k)
    case(
        f"csv-multiline-cell-{k}",
        f'id,notes,secret\n1,"first line\nsecond line",{s1}\n2,"plain",{s2}\n',
        [s1, s2],
    )
    case(
        f"csv-multiline-cell-before-{k}", f'id,secret,notes\n1,{s1},"a\nb"\n2,{s2},"c"\n', [s1, s2]
    )
    case(f"csv-quoted-comma-{k}", f'name,notes,token\nprod,"eu, west",{s1}\n', [s1])
    case(f"csv-escaped-quote-{k}", f'name,notes,token\nprod,"say ""hi""",{s1}\n', [s1])
    rows = "".join(f"svc{n},{sec(900 + n, k)},ok\n" for n in range(300))
    case(
        f"csv-many-rows-{k}",
        "service,api_key,status\n" + rows,
        [sec(900 + n, k) for n in range(300)],
    )
    case(
        f"csv-several-cols-{k}",
        f"name,client_secret,refresh_token,password\nprod,{s1},{s2},{s3}\n",
        [s1, s2, s3],
    )
    case(f"csv-crlf-{k}", f"name,secret\r\nprod,{s1}\r\nstage,{s2}\r\n", [s1, s2])
    case(f"tsv-crlf-{k}", f"name\tsecret\r\nprod\t{s1}\r\n", [s1])
    case(f"md-crlf-{k}", f"| name | secret |\r\n|---|---|\r\n| prod | {s1} |\r\n", [s1])
    case(f"aligned-crlf-{k}", f"NAME    TOKEN\r\nprod    {s1}\r\n", [s1])
    case(f"csv-empty-cells-{k}", f"name,,secret,\nprod,,{s1},\n", [s1])
    case(f"csv-quoted-secret-{k}", f'"name";"secret"\n"prod";"{s1}"\n', [s1])
    case(f"csv-spaces-{k}", f"name, secret, region\nprod, {s1}, eu\n", [s1])
    case(f"csv-trailing-empty-line-{k}", f"name,secret\nprod,{s1}\n\n", [s1])
    case(f"csv-bom-crlf-{k}", f"\ufeffname,secret\r\nprod,{s1}\r\n", [s1])
    case(f"csv-gap-comment-{k}", f"name,secret\n# prod\nprod,{s1}\n", [s1])
    case(f"csv-header-repeated-{k}", f"name,secret\nprod,{s1}\nname,secret\nstage,{s2}\n", [s1, s2])
    case(
        f"csv-wide-{k}",
        ",".join(f"c{n}" for n in range(40))
        + ",token\n"
        + ",".join(str(n) for n in range(40))
        + f",{s1}\n",
        [s1],
    )
    case(
        f"csv-b64url-{k}", f"name,secret\nprod,{sec(830 + i, 'b64url')}\n", [sec(830 + i, "b64url")]
    )

# ---------- coloured credential lines --------------------------------------------------------
E = "\x1b"
for i, k in enumerate(KINDS + ["b64url"]):
    s = sec(1000 + i, k)
    half = len(s) // 2
    variants = {
        "plain": f"loaded credential {s}\n",
        "green-word": f"{E}[32mloaded credential{E}[0m {s}\n",
        "bold-value": f"loaded credential {E}[1m{s}{E}[0m\n",
        "inside-word": f"loaded cred{E}[1mential{E}[0m {s}\n",
        "inside-value": f"loaded credential {s[:half]}{E}[0m{E}[33m{s[half:]}{E}[0m\n",
        "256": f"{E}[38;5;196mloaded credential{E}[39m {E}[38;5;45m{s}{E}[39m\n",
        "truecolor": f"{E}[38;2;255;0;0mloaded credential {E}[38;2;0;255;0m{s}{E}[0m\n",
        "erase-K": f"{E}[Kloaded credential {s}{E}[K\n",
        "osc8": f"{E}]8;;https://vault.example/creds{E}\\loaded credential{E}]8;;{E}\\ {s}\n",
        "osc8-bel": f"{E}]8;;https://vault.example/creds\x07credential\x1b]8;;\x07 {s}\n",
        "cr-redraw": f"loading  10%\rloading  50%\rloaded credential {s}\n",
        "cr-redraw-colour": f"{E}[2K\r{E}[36m⠋{E}[0m fetching\r{E}[2K\r{E}[32m✔{E}[0m loaded credential {E}[1m{s}{E}[0m\n",
        "grep-color": f"app.log:12:{E}[01;31m{E}[Kcredential{E}[m{E}[K {s}\n",
        "grep-color-fn": f"{E}[35m{E}[Kapp.log{E}[m{E}[K{E}[36m{E}[K:{E}[m{E}[K{E}[32m{E}[K12{E}[m{E}[K{E}[36m{E}[K:{E}[m{E}[Kloaded {E}[01;31m{E}[Kcredential{E}[m{E}[K {s}\n",
        "grep-color-value": f"loaded credential {E}[01;31m{E}[K{s}{E}[m{E}[K\n",
        "timestamp-level": f"2026-12-03T20:10:01.123Z INFO  loaded credential {s}\n",
        "timestamp-level-colour": f"{E}[2m2026-12-03 20:10:01{E}[0m {E}[32mINFO{E}[0m {E}[2mapp.auth{E}[0m: loaded credential {s}\n",
        "rich-log": f"{E}[2;36m[20:10:01]{E}[0m{E}[2;36m \x1b[0m{E}[34mINFO    {E}[0m loaded credential {E}[1;92m{s}{E}[0m              {E}[2mapp.py{E}[0m{E}[2m:{E}[0m{E}[2m12{E}[0m\n",
        "pytest-log": f"{E}[32mINFO    {E}[0m app.auth:auth.py:42 loaded credential {s}\n",
        "pytest-captured": f"{E}[1m----------------------------- Captured log call ------------------------------{E}[0m\n{E}[32mINFO    {E}[0m app:app.py:9 using token {s}\n",
        "key=value": f"{E}[36mtoken{E}[0m={E}[33m{s}{E}[0m\n",
        "key=value-logfmt": f"{E}[2mts{E}[0m=2026-12-03T20:10:01Z {E}[2mlevel{E}[0m=info {E}[36mcredential{E}[0m={s}\n",
        "key: value": f"{E}[1mtoken{E}[0m: {E}[32m{s}{E}[0m\n",
        "word value": f"using {E}[1mtoken{E}[22m {s}\n",
        "api key": f"{E}[33mgot api key{E}[0m {s}\n",
        "access key": f"{E}[33mAccess key{E}[0m {E}[1m{s}{E}[0m\n",
        "secret": f"{E}[31mSecret{E}[0m {s}\n",
        "password": f"{E}[31mpassword{E}[0m {s}\n",
        "bearer": f"{E}[90mAuthorization: Bearer{E}[0m {s}\n",
        "jq-C": f'{E}[1;39m{{\n  {E}[0m{E}[34;1m"token"{E}[0m{E}[1;39m:{E}[0m {E}[0;32m"{s}"{E}[0m{E}[1;39m\n{E}[1;39m}}{E}[0m\n',
        "jq-C-nested": f'{E}[1;39m{{\n  {E}[0m{E}[34;1m"auth"{E}[0m{E}[1;39m:{E}[0m {E}[1;39m{{\n    {E}[0m{E}[34;1m"credential"{E}[0m{E}[1;39m:{E}[0m {E}[0;32m"{s}"{E}[0m{E}[1;39m\n  {E}[1;39m}}{E}[0m\n',
        "yq-C": f"{E}[36mapi_key{E}[0m:{E}[0m {E}[32m{s}{E}[0m\n",
        "git-diff": f"{E}[1mdiff --git a/.env b/.env{E}[m\n{E}[32m+{E}[m{E}[32mAPI_TOKEN={s}{E}[m\n",
        "git-diff-word": f"{E}[31m-token: old{E}[m\n{E}[32m+{E}[m{E}[32mtoken: {s}{E}[m\n",
        "git-diff-wordcolor": f"token: {E}[31m[-old-]{E}[m{E}[32m{{+{s}+}}{E}[m\n",
        "arrow": f"{E}[1mtoken{E}[0m -> {s}\n",
        "dash": f"{E}[1mcredential{E}[0m — {s}\n",
        "paren": f"using {E}[1mcredential{E}[0m ({s})\n",
        "quoted": f'loaded credential "{E}[1m{s}{E}[0m"\n',
        "single-quoted": f"loaded credential '{E}[1m{s}{E}[0m'\n",
        "c1-csi": f"\u009b32mloaded credential\u009b0m {s}\n",
        "tput-sgr0": f"{E}[1mloaded credential{E}(B{E}[m {s}\n",
        "save-restore": f"{E}7loaded credential{E}8 {s}\n",
        "italic-underline": f"{E}[3;4mloaded credential{E}[23;24m {s}\n",
        "code-between-blank": f"loaded credential{E}[0m{E}[K {E}[1m{E}[32m{s}{E}[0m\n",
        "code-instead-of-blank": f"loaded credential{E}[1C{s}\n",
        "tab-sep": f"loaded credential\t{s}\n",
        "upper": f"{E}[1mLOADED CREDENTIAL{E}[0m {s}\n",
        "title": f"{E}[1mLoaded Credential{E}[0m {s}\n",
        "credentials-plural": f"{E}[1mcredentials{E}[0m {s}\n",
        "new-token": f"created new {E}[1mtoken{E}[0m {s}\n",
        "token-is": f"your {E}[1mtoken{E}[0m is {s}\n",
        "token-is-colon": f"Your {E}[1mpersonal access token{E}[0m is: {s}\n",
        "prefix-emoji": f"🔑 {E}[1mcredential{E}[0m {s}\n",
        "in-brackets-level": f"[{E}[32mINFO{E}[0m] [auth] loaded credential {s}\n",
        "docker-compose-prefix": f"{E}[36mapi-1  |{E}[0m loaded credential {s}\n",
        "stream-prefix-k8s": f"{E}[33m[pod/web-6d4f/app]{E}[0m loaded credential {s}\n",
        "value-then-code-end": f"loaded credential {s}{E}[0m{E}[K\n",
        "blink-reverse": f"{E}[5;7mtoken{E}[25;27m {s}\n",
        "word-split-many": f"{E}[1mc{E}[0mr{E}[1me{E}[0md{E}[1me{E}[0mntial {s}\n",
        "value-split-many": "loaded credential "
        + "".join(f"{E}[3{n % 8}m{c}" for n, c in enumerate(s))
        + f"{E}[0m\n",
    }
    for vn, txt in variants.items():
        case(f"ansi-{vn}-{k}", txt, [s])


MODES = [
    "box",
    "table",
    "column",
    "markdown",
    "list",
    "tabs",
    "csv",
    "line",
    "html",
    "json",
    "qbox",
    "ascii",
    "quote",
    "insert",
]
for i, k in enumerate(["b64", "b62", "hex"]):
    s1, s2 = sec(2000 + i, k), sec(2010 + i, k)
    for hname in ["secret", "api_key", "Password", "access_token"]:
        sql = (
            f'create table t(id integer, name text, "{hname}" text, region text);'
            f"insert into t values(1,'prod','{s1}','eu-west-1'),(2,'stage','{s2}','us-east-1');"
        )
        for mode in MODES:
            out = _tool(
                [
                    "sqlite3",
                    ":memory:",
                    "-cmd",
                    ".headers on",
                    "-cmd",
                    f".mode {mode}",
                    sql + "select * from t;",
                ]
            )
            if mode in ("insert",):
                continue
            case(f"sqlite3-{mode}-{hname}-{k}", out, [s1, s2], ["eu-west-1"])

    # rich
    from rich import box
    from rich.console import Console
    from rich.table import Table

    for bx in [
        "HEAVY_HEAD",
        "SIMPLE",
        "MINIMAL",
        "ROUNDED",
        "ASCII",
        "MARKDOWN",
        "SQUARE",
        "DOUBLE_EDGE",
        "SIMPLE_HEAVY",
        "HORIZONTALS",
    ]:
        for colour in (False, True):
            for lines in (False, True):
                t = Table(title="Credentials", box=getattr(box, bx), show_lines=lines)
                t.add_column("Service", style="cyan")
                t.add_column("API Key", style="magenta", no_wrap=True)
                t.add_column("Owner", justify="right")
                t.add_row("billing", s1, "ops")
                t.add_row("search", s2, "dev")
                buf = io.StringIO()
                Console(
                    file=buf,
                    force_terminal=colour,
                    color_system="truecolor" if colour else None,
                    width=120,
                ).print(t)
                case(
                    f"rich-{bx}-c{int(colour)}-l{int(lines)}-{k}",
                    buf.getvalue(),
                    [s1, s2],
                    ["billing"],
                )
    # tabulate real
    import tabulate

    for fmt in tabulate.tabulate_formats:
        out = tabulate.tabulate(
            [["billing", s1, "ops"], ["search", s2, "dev"]],
            headers=["service", "token", "owner"],
            tablefmt=fmt,
        )
        case(f"tabulate-real-{fmt}-{k}", out + "\n", [s1, s2])
    for fmt in ["plain", "simple", "github", "psql", "grid"]:
        out = tabulate.tabulate(
            [[1, "billing", s1], [2, "search", s2]],
            headers=["id", "service", "client secret"],
            tablefmt=fmt,
            showindex=True,
        )
        case(f"tabulate-index-{fmt}-{k}", out + "\n", [s1, s2])
    # column -t real
    for sep, txt in [
        (None, f"name secret region\nprod {s1} eu\nstage {s2} us\n"),
        (",", f"name,token,region\nprod,{s1},eu\nstage,{s2},us\n"),
    ]:
        args = ["column", "-t"] + (["-s", sep] if sep else [])
        out = _tool(args, txt)
        case(f"column-real-{sep}-{k}", out, [s1, s2])
    out = subprocess.run(
        ["column", "-t", "-s", ",", "-o", " | "],
        input=f"name,token,region\nprod,{s1},eu\n",
        capture_output=True,
        text=True,
    ).stdout
    case(f"column-real-o-bar-{k}", out, [s1])
    out = subprocess.run(
        ["column", "-t", "-s", ",", "-R", "2"],
        input=f"name,token,region\nprod,{s1},eu\nst,{s2},us\n",
        capture_output=True,
        text=True,
    ).stdout
    case(f"column-real-right-{k}", out, [s1, s2])
    out = subprocess.run(
        ["column", "-t", "-s", ",", "-N", "NAME,TOKEN,REGION"],
        input=f"prod,{s1},eu\nst,{s2},us\n",
        capture_output=True,
        text=True,
    ).stdout
    case(f"column-real-N-{k}", out, [s1, s2])
    # jq -C real

    js = json.dumps({"user": "bob", "token": s1, "nested": {"credential": s2}})
    out = _tool(["jq", "-C", "."], js)
    case(f"jq-C-real-{k}", out, [s1, s2])
    out = _tool(["jq", "-C", "-c", "."], js)
    case(f"jq-C-compact-real-{k}", out, [s1, s2])
    out = _tool(["jq", "-r", '"loaded credential \\(.token)"'], js)
    case(f"jq-r-credential-{k}", out, [s1])
    # jq @tsv / @csv with header
    out = subprocess.run(
        ["jq", "-r", '["user","token"], [.user,.token] | @tsv'],
        input=js,
        capture_output=True,
        text=True,
    ).stdout
    case(f"jq-tsv-{k}", out, [s1])
    out = subprocess.run(
        ["jq", "-r", '["user","token"], [.user,.token] | @csv'],
        input=js,
        capture_output=True,
        text=True,
    ).stdout
    case(f"jq-csv-{k}", out, [s1])

# ---------- clean look-alikes (must stay unchanged) -----------------------------------------
CLEAN = [
    "name,token_count,region\nprod,12345,eu\n",
    "| name | key_id | notes |\n|---|---|---|\n| prod | 3f2b1c0a | rotated |\n",
    "NAME      TYPE     DATA   AGE\ndefault   Opaque   2      3d\n",
    "id,secret,region\n1,<redacted>,eu\n2,${SECRET},us\n3,****,ap\n",
    "loaded credential from vault\n",
    "\x1b[32mloaded credential\x1b[0m for user bob\n",
    "token expired at 2026-12-03T20:10:01Z\n",
    "\x1b[1mpassword\x1b[0m reset requested by bob\n",
    "The secret (base64) column holds the value, and the token [hex] column holds the other.\n",
    "def rotate(token, secret):\n    return hash_secret(token, secret)\n",
    "    foo(token, secret)\n    bar(key, value)\n",
    "secret (deprecated),notes\nuse vault,see docs\n",
    "token (count),region\n12,eu\n",
    "| name | token (count) |\n|---|---|\n| prod | 12 |\n",
    "   name  token_count  region\n0  prod           12      eu\n1  stage          99      us\n",
    "      id     name  secret_length\n0      1     prod             40\n",
    "KeyName    Permissions    Value\n---------  -------------  -----\nkey1       FULL           <hidden>\n",
    "-[ RECORD 1 ]-----\nname   | prod\nsecret | [REDACTED]\n",
    "if (token) { use(secret); }\n",
    "[token]\nenabled = true\n",
    "<token> must be set; see [secret] docs: the secret part is optional.\n",
    "Token #1 was used. Token #2 was not.\n",
    'id,notes,secret\n1,"a\nmulti line note",<none>\n',
    '"name","notes"\n"prod","a ""quoted"" word"\n',
    "  --token TOKEN        the token to use\n  --secret SECRET      the secret to use\n",
    "\x1b[1mSecret\x1b[0m \x1b[2mmanagement\x1b[0m is documented in docs/secrets.md\n",
    "2026-12-03 INFO loaded credential provider chain: env, file, imds\n",
    "using token authentication with scope repo,read:org\n",
    "| Option | Default | Description |\n|---|---|---|\n| --token | none | API token |\n",
]
for n, text in enumerate(CLEAN):
    case(f"clean-{n}", text, [], [text.strip().splitlines()[-1].strip()[:20]])


# ---------- fixed in this pass: more of each class ------------------------------------------
for i, k in enumerate(["b64", "b62", "hex"]):
    s1, s2 = sec(3000 + i, k), sec(3010 + i, k)
    # Right-aligned columns (pandas' to_string, column -R, printf %Ns).
    case(
        f"right-aligned-printf-{k}",
        "%8s  %42s  %6s\n" % ("name", "password", "region")
        + "%8s  %42s  %6s\n" % ("prod", s1, "eu")
        + "%8s  %42s  %6s\n" % ("stage", s2, "us"),
        [s1, s2],
    )
    case(
        f"right-aligned-index-only-{k}",
        "%3s  %-6s  %-42s\n" % ("", "name", "api_key") + "%3s  %-6s  %-42s\n" % ("0", "prod", s1),
        [s1],
    )
    case(
        f"right-aligned-upper-{k}",
        "%6s  %42s\n%6s  %42s\n%6s  %42s\n" % ("ID", "CLIENT_SECRET", "1", s1, "22", s2),
        [s1, s2],
    )
    case(
        f"right-aligned-mixed-{k}",
        "%-6s  %42s  %-5s\n" % ("name", "token", "owner")
        + "%-6s  %42s  %-5s\n" % ("prod", s1, "alice")
        + "%-6s  %42s  %-5s\n" % ("stage", s2, "bob"),
        [s1, s2],
    )
    # Units and brackets in a header cell.
    case(f"unit-tsv-{k}", f"name\tsecret (hex)\nprod\t{s1}\n", [s1])
    case(f"unit-ssv-{k}", f"name;api key [b64];region\nprod;{s1};eu\n", [s1])
    case(
        f"unit-aligned-{k}",
        f"NAME    TOKEN (BASE64){' ' * 27}REGION\nprod    {s1}  eu\nstage   {s2}  us\n",
        [s1, s2],
    )
    case(f"unit-box-{k}", f"│ name │ secret [prod] │\n├──────┼{'─' * 42}┤\n│ prod │ {s1} │\n", [s1])
    case(f"numbered-{k}", f"name,token #2\nprod,{s1}\n", [s1])
    # Numbered weak key names in a key/value table (az storage account keys list).
    case(
        f"kv-key1-csv-{k}", f"KeyName,Permissions,Value\nkey1,FULL,{s1}\nkey2,FULL,{s2}\n", [s1, s2]
    )
    case(
        f"kv-key1-md-{k}",
        f"| Name | Value |\n|---|---|\n| key1 | {s1} |\n| key2 | {s2} |\n",
        [s1, s2],
    )
    # Quoted multi-line cells in CSV/SSV/TSV exports.
    case(
        f"csv-multiline-3-{k}",
        f'id,comment,api_key\n1,"one\ntwo\nthree",{s1}\n2,"x",{s2}\n',
        [s1, s2],
    )
    case(
        f"csv-multiline-quoted-secret-{k}",
        f'"id","comment","token"\n"1","a\nb","{s1}"\n"2","c","{s2}"\n',
        [s1, s2],
    )
    case(f"ssv-multiline-{k}", f'id;comment;password\n1;"a\nb";{s1}\n', [s1])
    case(
        f"csv-multiline-crlf-{k}",
        f'id,comment,secret\r\n1,"a\r\nb",{s1}\r\n2,"c",{s2}\r\n',
        [s1, s2],
    )
    case(
        f"csv-multiline-escaped-quote-{k}",
        f'id,comment,secret\n1,"say ""hi""\nthen ""bye""",{s1}\n',
        [s1],
    )

# pandas' to_string of a frame with a named index: the index's name on its own line under the
# header (padded with blanks) is neither a row nor the table's end.
for i, (head, k) in enumerate(
    [
        ("secret", "b64"),
        ("API_KEY", "b62"),
        ("client secret", "hex"),
        ("password", "b64url"),
        ("access_token", "b64"),
        ("Token", "hex"),
    ]
):
    s1, s2 = sec(3100 + i, k), sec(3110 + i, k)
    for idx in ("id", "service_name"):
        rows = [
            ["", "region", head, "owner"],
            [idx, "", "", ""],
            ["1", "eu", s1, "ops"],
            ["22", "us-east-1", s2, "dev"],
        ]
        txt = aligned(rows, 2, right=(1, 2, 3)).replace(f"{idx}\n", idx + " " * 60 + "\n")
        case(f"pandas-named-index-{idx}-{head}-{k}", txt, [s1, s2], ["us-east-1"])

# Tables under a line prefix every line of a log carries (docker compose's service, its
# stream), the prefix coloured or not. (kubectl's [pod/…], timestamps, "> " and "// " prefixes
# are not read: the header expression would cost twice as much on every line.)
E = "\x1b"
for i, pre in enumerate(
    [
        "api-1  | ",
        f"{E}[36mapi-1  |{E}[0m ",
        "stdout | ",
        "web_2     | ",
        f"{E}[1;32mworker-10 |{E}[0m ",
    ]
):
    shapes = {
        "csv": ("name,secret,region", "prod,{},eu-west-1"),
        "tsv": ("name\tapi_key\tregion", "prod\t{}\teu-west-1"),
        "md": ("| name | token | region |\n" + pre + "|---|---|---|", "| prod | {} | eu-west-1 |"),
        "aligned": ("NAME    PASSWORD" + " " * 34 + "REGION", "prod    {}  eu-west-1"),
    }
    for kind, (head, row) in shapes.items():
        k = ("b64", "b62", "hex")[i % 3]
        s1, s2 = sec(3200 + i * 7 + len(kind), k), sec(3300 + i * 7 + len(kind), k)
        txt = f"{pre}{head}\n{pre}{row.format(s1)}\n{pre}{row.format(s2)}\n"
        case(f"prefixed-{kind}-{i}-{k}", txt, [s1, s2], ["eu-west-1"])

# Clean look-alikes of the fixed classes.
for n, text in enumerate(
    [
        "   name  token (count)  region\n0  prod             12      eu\n",
        "%6s  %12s\n%6s  %12s\n" % ("name", "secret_hint", "prod", "see vault"),
        "KeyName,Permissions,Value\nkey1,FULL,<hidden>\n",
        "   name  token_count\nid\n1  prod           12\n",
        "api-1  | name,token_count\napi-1  | prod,12\n",
        "> See the token docs, then the secret docs.\n> Nothing else: it is short.\n",
        "2026-12-03T20:10:01Z token refresh, secret rotation\n2026-12-03T20:10:02Z done, ok\n",
        "call(token, secret)\n    return hash_secret(token, secret)\n",
        "foo[token], bar[secret]\nx, y\n",
        'id,notes,secret\n1,"open quote never closed\n2,plain,<none>\n',
    ]
):
    case(f"clean-fixed-{n}", text, [], [text.strip().splitlines()[-1].strip()[:12]])

# Not read yet (docs/redaction.md says so): sqlite3's .mode ascii (0x1F/0x1E separators, no line
# ends), a header separated from its rows by another line (pandas' named index line, a comment),
# columns one blank apart, a header-less `aws --output text` record, headers in other languages or
# abbreviations (Passwort, PAT), git's word diff gluing the old value to the new, a cursor-forward
# code in place of the blank after the word.
OPEN = (
    "sqlite3-ascii",
    "onespace",
    "aws-text",
    "Passwort",
    "[PAT]",
    "Primary Key",
    "gap-comment",
    "wordcolor",
    "instead-of-blank",
)
CASES = [c for c in CASES if not any(o in c[0] for o in OPEN)]


def test_enough_variations() -> None:
    assert len(CASES) >= 200


@pytest.mark.parametrize(("name", "text", "secrets", "clean"), CASES, ids=[c[0] for c in CASES])
def test_variation(name: str, text: str, secrets: list[str], clean: list[str]) -> None:
    data = text.encode()
    whole = R.redact_bytes(data)
    for secret in secrets:
        assert secret.encode() not in whole, (name, whole.decode())
    for keep in clean:
        assert keep.encode() in whole, (name, keep, whole.decode())
    if not secrets:
        assert whole == data, (name, whole.decode())
    assert SLOW.redact_bytes(data) == whole
    rnd = random.Random(name)
    for size in (1, 3, 7, 64, 4096, rnd.randrange(2, 200)):
        assert streamed(R, data, size) == whole, size
