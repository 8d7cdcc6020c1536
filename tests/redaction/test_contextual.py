"""Secrets named by their context rather than their shape: a column header above them, a
credential word before them (with colour codes in between). Each case is checked whole, and
streamed in pieces of many sizes and at random cut points, against one pass."""

from __future__ import annotations

import base64
import random
import re
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.redaction.helpers import rand, redactor, streamed

R = redactor()
SLOW = redactor(use_hyperscan=False)
_B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _secret(seed: int, kind: str = "b64") -> str:
    rnd = random.Random(seed)
    if kind == "hex":
        return "".join(rnd.choice("0123456789abcdef") for _ in range(40))
    if kind == "b62":
        return "Q7" + "".join(rnd.choice(_B62) for _ in range(38))
    return base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(30))).decode()


def _check(text: str, secrets: list[str], clean: list[str] = ()) -> None:  # type: ignore[assignment]
    data = text.encode()
    whole = R.redact_bytes(data)
    for secret in secrets:
        assert secret.encode() not in whole, (secret, whole.decode())
    for keep in clean:
        assert keep.encode() in whole, (keep, whole.decode())
    assert SLOW.redact_bytes(data) == whole
    for size in (1, 2, 5, 17, 64, 333, 4096, 65536):
        assert streamed(R, data, size) == whole, size


# --- tables ------------------------------------------------------------------------------------

TABLES = [
    # (header, row template with {v} and {n}, secret kind)
    ("name,secret,region", "prod-{n},{v},eu-west-1", "b64"),
    ("id,api_key,owner", "{n},{v},alice", "b62"),
    ("service,client_secret,created_at", "billing-{n},{v},2026-11-25", "hex"),
    ('"name","password","enabled"', '"db-{n}","{v}",true', "b64"),
    ("user,Password,last_login", "user{n},{v},2026-11-25T10:00:00Z", "b62"),
    ("env,AWS Secret Access Key,region", "stage{n},{v},us-east-1", "b64"),
    ("key_name,access_token,scope", "ci-{n},{v},repo", "b62"),
    ("id\tsecret\towner", "{n}\t{v}\tbob", "b64"),
    ("service\ttoken\texpires", "svc{n}\t{v}\t2027-01-01", "hex"),
    ("host\tdb_password\tport", "db{n}.internal\t{v}\t5432", "b62"),
    ("| service | token | owner |\n|---|---|---|", "| svc-{n} | {v} | alice |", "b64"),
    ("| Name | Secret |\n|:-----|:------:|", "| app{n} | {v} |", "b62"),
    (
        "| env | api key | notes |\n| --- | --- | --- |",
        "| prod{n} | {v} | rotated monthly |",
        "hex",
    ),
    ("|key|credential|\n|-|-|", "|k{n}|{v}|", "b64"),
    ("service | password\n--- | ---", "api{n} | {v}", "b62"),
    ("NAME        TYPE     SECRET                                       AGE", None, "b64"),
    ("NAME     PASSWORD                                      CREATED", None, "b62"),
    ("ID   TOKEN                                         OWNER    EXPIRES", None, "hex"),
    ("name,session_token,ip", "n{n},{v},10.0.0.{n}", "b62"),
    ("team,secret_key,active", "t{n},{v},yes", "hex"),
    ("Service\tRefresh Token\tOwner", "s{n}\t{v}\tops", "b62"),
    # The secret column late in a wide header (within tables.HEADER_REACH of the line start).
    (
        "id,tenant,region,owner,created_at,updated_at,environment,cluster,namespace,app,"
        "component,client_secret,notes",
        "{n},acme,eu,ops,2026-01-01,2026-01-02,prod,c1,ns,app,web,{v},ok",
        "b62",
    ),
    # A header marked as a comment (TSV tools do): generated-looking values count below it.
    ("#name,secret,region", "prod-{n},{v},eu-west-1", "b64"),
    ("# id\tapi_key", "{n}\t{v}", "b62"),
    # A wide export: the secret column 40 columns (about 700 bytes) in.
    (
        ",".join(f"column_number_{i}" for i in range(40)) + ",secret,owner",
        ",".join(f"v{i}_{{n}}" for i in range(40)) + ",{v},bob",
        "b64",
    ),
    (
        "\t".join(f"Field {i}" for i in range(60)) + "\tAPI Key",
        "\t".join(f"f{i}" for i in range(60)) + "\t{v}",
        "b62",
    ),
    (
        # The value goes in column 1 (see _aligned): here it starts 100 characters in.
        "NAMESPACE" + " " * 91 + "API KEY" + " " * 40 + "AGE",
        None,
        "hex",
    ),
    # Wider still: the secret column 3,000 to 5,000 bytes into its header line, found from the
    # cell delimiter before it (the header expression reaches 64 bytes from the line's start).
    (
        ",".join(f"column_number_{i}" for i in range(150)) + ",secret,owner",
        ",".join(f"v{i}" for i in range(150)) + ",{v},bob",
        "b62",
    ),
    (
        "\t".join(f"Attribute {i}" for i in range(300)) + "\tDB Password",
        "\t".join(f"a{i}" for i in range(300)) + "\t{v}",
        "b64",
    ),
    (
        "| " + " | ".join(f"col{i}" for i in range(400)) + " | token |\n|" + "---|" * 401,
        "| " + " | ".join(f"r{i}" for i in range(400)) + " | {v} |",
        "hex",
    ),
    # Tables under a log line prefix of other shapes than a service name: a timestamp, a pod,
    # a Markdown quote, a comment (each row carries a prefix of the same length).
    ("2026-12-03T10:00:00Z name,secret,region", "2026-12-03T10:00:0{n}Z prod-{n},{v},eu", "b64"),
    ("2026-12-03 10:00:00.123 id\ttoken", "2026-12-03 10:00:0{n}.123 {n}\t{v}", "b62"),
    ("[pod/web/app] NAME,API_KEY,OWNER", "[pod/web/app] svc{n},{v},ann", "b62"),
    ("> | name | password |\n> |---|---|", "> | db{n} | {v} |", "b64"),
    ("// id;client_secret;team", "// {n};{v};core", "hex"),
    # Semicolon CSV (spreadsheet exports in most of Europe), psql -A's "|", drawn tables.
    ("name;password;host", "web{n};{v};db{n}.local", "b62"),
    ('"user";"api_key";"created"', '"u{n}";"{v}";"2026-01-0{n}"', "b64"),
    ("id|secret|owner", "{n}|{v}|bob", "b62"),
    (" id | client_secret | owner\n----+---------------+-------", "  {n} | {v} | bob", "b64"),
    (
        "+----+--------+-------+\n| id | token  | owner |\n+----+--------+-------+",
        "|  {n} | {v} | ann   |",
        "hex",
    ),
    ("| Service | Password |\n|---------|----------|", "| s{n} | {v} |", "b62"),
    # Key/value tables: the key cell on each row names the secret in its value cell.
    ("key,value", "db_password_{n},{v}", "b62"),
    ("Name;Value;Updated", "STRIPE_API_KEY_{n};{v};2026-11-0{n}", "b64"),
    ("variable\tvalue", "AWS_SECRET_ACCESS_KEY_{n}\t{v}", "b64"),
    ("| Name | Value |\n|------|-------|", "| client_secret_{n} | {v} |", "hex"),
    (" key | value\n-----+-------", " app.secret.{n} | {v}", "b62"),
    ("setting,value,source", "auth.token.{n},{v},env", "b64"),
    # camelCase and PascalCase headers, more secret names.
    ("id,userToken,owner", "{n},{v},bob", "b62"),
    ("Name,GitHubToken,Expires", "n{n},{v},2027-01-01", "b62"),
    ("id;APIKey;team", "{n};{v};core", "b64"),
    ("service\tsigningKey", "svc{n}\t{v}", "b64"),
    ("user,passcode,role", "u{n},{v},admin", "b62"),
    ("wallet,recovery_code", "w{n},{v}", "hex"),
    ("name,api_key_value,env", "n{n},{v},prod", "b62"),
    ("service;secret_live", "s{n};{v}", "b64"),
    # Coloured tables: a bold or underlined header, coloured values (codes stripped per line).
    ("\x1b[1mname,secret,region\x1b[0m", "prod{n},\x1b[33m{v}\x1b[0m,eu", "b64"),
    ("\x1b[1;4mid\x1b[0m\t\x1b[1;4mapi_key\x1b[0m", "{n}\t\x1b[31m{v}\x1b[39m", "b62"),
    (
        "| \x1b[1mname\x1b[0m | \x1b[1mtoken\x1b[0m |\n|---|---|",
        "| web{n} | \x1b[38;5;208m{v}\x1b[0m |",
        "hex",
    ),
    ("\x1b[1mNAME\x1b[0m  \x1b[1mPASSWORD\x1b[0m  \x1b[1mAGE\x1b[0m", None, "b64"),
    ("\x1b(B\x1b[mkey,value", "\x1b[2mdb_password_{n}\x1b[0m,\x1b[1m{v}\x1b(B\x1b[m", "b62"),
]


def _aligned(header: str, n: int, v: str) -> str:
    """A row of an aligned table (as kubectl prints it): each value starts under its header."""
    starts = [m.start() for m in re.finditer(r"\S+(?: \S+)*", header)]
    line = [" "] * (starts[-1] + 20)
    values = {1: v}
    for i, start in enumerate(starts):
        text = values.get(i, f"x{n}{i}")
        for k, ch in enumerate(text):
            if start + k < len(line):
                line[start + k] = ch
            else:
                line.append(ch)
    return "".join(line).rstrip()


@pytest.mark.parametrize(("header", "row", "kind"), TABLES, ids=[t[0][:30] for t in TABLES])
def test_values_under_a_column_header_naming_a_secret_are_masked(
    header: str, row: str | None, kind: str
) -> None:
    secrets = [_secret(i * 7 + len(header), kind) for i in range(4)]
    if row is None:
        rows = [_aligned(header, i, v) for i, v in enumerate(secrets)]
    else:
        rows = [row.format(v=v, n=i) for i, v in enumerate(secrets)]
    text = "exported:\n" + header + "\n" + "\n".join(rows) + "\n\ndone\n"
    _check(text, secrets, clean=["exported:", "done"])


def test_a_header_far_above_still_names_its_column_in_a_stream() -> None:
    secrets = [_secret(1000 + i) for i in range(3000)]
    text = "name,secret,region\n" + "".join(f"p{i},{v},eu\n" for i, v in enumerate(secrets))
    data = text.encode()
    whole = R.redact_bytes(data)
    assert not any(s.encode() in whole for s in secrets[::97])
    for size in (7, 1000, 65536):
        out = streamed(R, data, size)
        assert out == whole
        assert secrets[-1].encode() not in out


def test_a_drawn_table_s_borders_do_not_end_it() -> None:
    """MySQL's client draws a border above the header, under it and under the last row; psql
    ends with a row count. Every row between is a row."""
    secrets = [_secret(300 + i, "b62") for i in range(3)]
    rows = "".join(f"| {i:2} | {v} | ann   |\n" for i, v in enumerate(secrets))
    border = "+----+" + "-" * 42 + "+-------+\n"
    text = (
        "mysql> SELECT id, api_key, owner FROM clients;\n"
        + border
        + "| id | api_key"
        + " " * 34
        + "| owner |\n"
        + border
        + rows
        + border
        + "3 rows in set (0.00 sec)\n"
    )
    _check(text, secrets, clean=["3 rows in set", "mysql> SELECT"])
    psql = (
        " id | secret | owner\n----+--------+-------\n"
        + "".join(f"  {i} | {v} | ann\n" for i, v in enumerate(secrets))
        + "(3 rows)\n"
    )
    _check(psql, secrets, clean=["(3 rows)"])


def test_rule_lines_and_indentation_of_text_tables() -> None:
    """PowerShell's Format-Table underlines its header, reStructuredText frames it in "="
    rules, a table quoted in a log is indented: every row between is still a row."""
    v = [_secret(600 + i, "b62") for i in range(3)]
    powershell = (
        f"Name           Value\n----           -----\napi_key        {v[0]}\nregion         eu\n\n"
    )
    rst = (
        "=====  " + "=" * 40 + "  =====\nname   secret" + " " * 34 + "  owner\n"
        "=====  " + "=" * 40 + "  =====\n"
        f"web    {v[1]}  bob\n" + "=====  " + "=" * 40 + "  =====\n"
    )
    indented = "  NAME    SECRET" + " " * 32 + f"  AGE\n  web     {v[2]}  3d\n"
    for text, secret, keep in (
        (powershell, v[0], "region         eu"),
        (rst, v[1], "=====  " + "=" * 40),
        (indented, v[2], "  NAME    SECRET"),
    ):
        _check(text, [secret], clean=[keep])


def _html_tables(v: list[str]) -> list[str]:
    pandas = (
        '<table border="1" class="dataframe">\n  <thead>\n    <tr style="text-align: right;">\n'
        "      <th></th>\n      <th>name</th>\n      <th>client_secret</th>\n    </tr>\n"
        "  </thead>\n  <tbody>\n"
        + "".join(
            f"    <tr>\n      <th>{i}</th>\n      <td>app{i}</td>\n      <td>{x}</td>\n    </tr>\n"
            for i, x in enumerate(v)
        )
        + "  </tbody>\n</table>\n"
    )
    one_line = (
        "<table><tr><th>Name</th><th>Password</th><th>Owner</th></tr>"
        + "".join(f"<tr><td>db{i}</td><td>{x}</td><td>ann</td></tr>" for i, x in enumerate(v))
        + "</table><p>done</p>\n"
    )
    wrapped = (
        "<TABLE>\n<TR><TH>service</TH>\n<TH class=k>API Key</TH></TR>\n"
        + "".join(
            f"<TR>\n<TD>svc{i}</TD>\n<TD>\n  <code>{x}</code>\n</TD>\n</TR>\n"
            for i, x in enumerate(v)
        )
        + "</TABLE>\n"
    )
    return [pandas, one_line, wrapped]


@pytest.mark.parametrize("layout", range(3))
def test_html_tables_mask_the_cells_under_a_secret_header(layout: int) -> None:
    v = [_secret(700 + 10 * layout + i, "b62") for i in range(3)]
    text = "report:\n" + _html_tables(v)[layout] + "<p>name api_key</p>\n"
    _check(text, v, clean=["report:", "<p>name api_key</p>"])


def test_two_column_single_column_and_emphasised_headers() -> None:
    """A table of two aligned columns (a script's ``NAME  SECRET``, coloured or between
    reStructuredText rules), a single column under its name (``cut -f2`` of an export) and a
    Markdown header in bold or code: generated-looking values below are masked."""
    v = [_secret(700 + i, k) for i, k in enumerate(["b64", "b62", "hex", "b64", "b62", "hex"])]
    bold, reset = "\x1b[1m", "\x1b[0m"
    cases = [
        (f"NAME  SECRET\nprod  {v[0]}\nstage  short\n", [v[0]], ["stage  short"]),
        (f"{bold}NAME{reset}  {bold}SECRET{reset}\nprod  \x1b[32m{v[1]}{reset}\n", [v[1]], []),
        (
            "====  " + "=" * 40 + f"\nname  token\n====  {'=' * 40}\nprod  {v[2]}\n"
            "====  " + "=" * 40 + "\n",
            [v[2]],
            [],
        ),
        (f"secret\n{v[3]}\n{v[4]}\n\nnext\n", [v[3], v[4]], ["next"]),
        (f"| **name** | **secret** |\n|---|---|\n| prod | {v[5]} |\n", [v[5]], ["**secret**"]),
        (f"| `name` | `api_key` |\n|---|---|\n| prod | {v[0]} |\n", [v[0]], []),
        # Indented (a code block in a README, a log quoting an export).
        (f"    name,secret,region\n    prod,{v[1]},eu\n", [v[1]], ["    name,secret,region"]),
        (f"\tid\ttoken\n\t1\t{v[2]}\n", [v[2]], []),
        (f"  key,value\n  db_password,{v[3]}\n  region,eu-west-1\n", [v[3]], ["eu-west-1"]),
    ]
    for text, secrets, keep in cases:
        _check(text, secrets, clean=keep)


@pytest.mark.parametrize(
    "text",
    [
        # Two words apart, then prose: only generated-looking values would count.
        "Password  Manager\nThe team uses it for every shared account today.\n",
        "Token\nA token is issued per session and expires after an hour.\n",
        "secret\nnot-a-secret-just-words\nanother line, with commas\n",
        "NAME  TOKEN\nweb  default-service-account\n",
        "Secret\nindex 6f95203..5afc144 100644 Q79NAhvCK6PBD4zrJ2sXPHVdtWRZQWO72N3WzUOT\n",
        # Indented commas are also arguments over several lines: words are kept.
        "    f(\n        name, secret,\n        prod, value,\n    )\n",
        "    key, value\n    password, fallback\n",
    ],
)
def test_narrow_tables_keep_words_and_names(text: str) -> None:
    assert R.redact_text(text) == text
    assert SLOW.redact_text(text) == text


def test_html_tables_without_a_secret_column_are_left_alone() -> None:
    for text in (
        "<table><tr><th>name</th><th>token_count</th></tr><tr><td>a</td><td>42</td></tr></table>",
        "<table><tr><td>password</td><td>secret</td></tr><tr><td>Xy7</td><td>zz</td></tr></table>",
        "<tr><th>secret</th><th>region</th></tr></table><tr><td>web</td><td>prod-eu</td></tr>\n",
    ):
        assert R.redact_text(text) == text
        assert SLOW.redact_text(text) == text


def test_windows_exports_with_a_byte_order_mark_and_crlf_lines() -> None:
    secrets = [_secret(500 + i, "b62") for i in range(3)]
    text = "\ufeffname,client_secret,region\r\n" + "".join(
        f"app{i},{v},eu\r\n" for i, v in enumerate(secrets)
    )
    _check(text, secrets, clean=["\ufeffname,client_secret,region\r\n", ",eu\r\n"])
    words = "abandon ability able about above absent absorb abstract absurd abuse access accident"
    _check(f"wallet;mnemonic\r\nmain;{words}\r\n", [words], clean=["wallet;mnemonic"])


def test_a_key_value_table_masks_only_values_whose_key_names_a_secret() -> None:
    v, w = _secret(401, "b62"), _secret(402, "b64")
    text = (
        f"key,value\nregion,eu-west-1\ndb_password,{v}\nreplicas,3\nsession_cookie,{w}\n"
        "owner,platform\n"
    )
    _check(text, [v, w], clean=["region,eu-west-1", "replicas,3", "owner,platform"])


def test_a_table_ends_at_a_blank_line_or_another_shape() -> None:
    v, later = _secret(1), _secret(2)
    text = f"name,secret\nprod,{v}\n\nname,note\nprod,{later}\n"
    out = R.redact_text(text)
    assert v not in out
    assert f"prod,{later}" in out  # a new header without a secret column


@pytest.mark.parametrize(
    "text",
    [
        # Columns that describe or count secrets, placeholders under secret columns, prose.
        "name,token_count,region\nprod,42,eu\n",
        "name,key_id,created\nprod,AKID1234,2026-01-01\n",
        "id,password_hint,owner\n1,first pet,alice\n",
        "name,secret,region\nprod,,eu\nstage,-,us\ndev,null,eu\nqa,${SECRET},eu\n",
        "name,secret\nprod,[REDACTED:kv-secret:0123abcd]\n",
        "We rotated the token, the password, and the secret last week.\n"
        "Then we wrote it up, filed it, and moved on.\n",
        "    def f(self, key, value):\n        return g(key, value)\n",
        "| name | key |\n|---|---|\n| primary | user_id |\n| sort | created_at |\n",
        "NAME        KEY     AGE\nweb         app     3d\n",
        "user,session,plan\nalice,evening,pro\n",
        # Key/value tables whose keys name no secret, or name one by a hint or an id.
        "key,value\nregion,eu-west-1\ntimeout,30\nowner,platform-team\n",
        "name;value\npassword_hint;first pet\ntoken_count;42\n",
        "| Name | Value |\n|---|---|\n| replicas | 3 |\n| image | nginx:1.27 |\n",
        "VARIABLE    VALUE\nLOG_LEVEL   debug\nPORT        8080\n",
        "key,value\nsecret,${SECRET}\napi_key,<set me>\n",
        # A drawn table with no secret column; a psql table of ids.
        "+----+-------+\n| id | owner |\n+----+-------+\n|  1 | ann   |\n+----+-------+\n",
        " id | key_id\n----+--------\n  1 | AKID1234\n(1 row)\n",
        # Semicolons and bars in prose and code are no header.
        "Note: the password; the token; the rest.\nSee also: the key; the value.\n",
        "grep -E 'password|secret|token' app.log\nfoo|bar|baz\n",
        # camelCase names that describe a secret rather than hold it.
        "id,passwordHint,tokenCount,apiKeyId\n1,first pet,3,AKID99\n",
        # Indented code with wide gaps is no table; a rule line under prose is no header.
        "    def f(a,  b):\n        return  secret,  token\n",
        "    x = 1  # secret  token\n    y = 2  # other  words\n",
        # Prose wrapped with commas; columns about a secret rather than holding one.
        "transparent HTTP caching, URL parsing, session cookie handling,\n"
        "Above all, SQLAlchemy places great emphasis on polite, simple, and\n",
        "name,token_scopes,secret_rotation_policy\nweb,Xy7Kq9Lm2Np4Rs6TuVw,Q9vL2nR8tY4wX6bC1dF5\n",
        "Secrets\n-------\nWe keep our secrets in the vault.\n",
    ],
)
def test_tables_that_hold_no_secret_are_left_alone(text: str) -> None:
    assert R.redact_text(text) == text
    assert SLOW.redact_text(text) == text


@settings(max_examples=60, deadline=None)
@given(
    table=st.sampled_from([t for t in TABLES if t[1] is not None]),
    rows=st.integers(min_value=1, max_value=40),
    cuts=st.lists(st.integers(min_value=0, max_value=6000), max_size=10),
    seed=st.integers(min_value=0, max_value=10**6),
)
def test_table_rows_stream_like_one_pass_split_anywhere(
    table: tuple[str, str, str], rows: int, cuts: list[int], seed: int
) -> None:
    header, row, kind = table
    secrets = [_secret(seed + i, kind) for i in range(rows)]
    data = header + "\n" + "".join(row.format(v=v, n=i) + "\n" for i, v in enumerate(secrets))
    raw = data.encode()
    points = sorted({c % (len(raw) + 1) for c in cuts})
    pieces = [raw[a:b] for a, b in zip([0, *points], [*points, len(raw)], strict=True)]
    s = R.stream()
    out = b"".join(s.feed(p) for p in pieces) + s.flush()
    assert out == R.redact_bytes(raw)
    assert not any(v.encode() in out for v in secrets)


# --- a credential word, colour codes, a key-shaped value ----------------------------------------

_C = ("\x1b[0m", "\x1b[1m", "\x1b[32m", "\x1b[1;31m", "\x1b[38;5;208m", "\x1b[2K", "\x1b]0;t\x07")

CREDENTIAL_LINES = [
    "loaded credential {v}",
    "{c}loaded credential{r} {c}{v}{r}",
    "loaded {c}credential{r} {v}",
    "loaded credential {c}{v}{r} from vault",
    "INFO {c}auth{r}: using token {c}{v}{r}",
    "rotated secret {v} for tenant acme",
    "{c}[vault]{r} fetched password {c}{v}{r}",
    "client secret {v}",
    "new api key {c}{v}{r} (expires in 90 days)",
    "access token {c}{v}",
    "refresh token {v}{r}",
    "{c}✓{r} generated passphrase {c}{v}{r}",
    "  bearer {c}{v}{r}",
    "session token {c}{v}{r} issued",
    "private key {v}",
    "Using credentials {c}{v}{r}",
    "secret key {c}{v}{r}",
    "auth token: {c}{v}{r}",
    "password={c}{v}{r}",
    "{c}TOKEN{r} {c}{v}{r}",
    "export token {c}{v1}{c}{v2}{r}",
    "ssh passphrase {c}{v}{r}\n",
    # More credential words, and what may stand between the word and its value.
    "loaded signing key {c}{v}{r}",
    "{c}encryption key{r} {v}",
    "webhook secret -> {c}{v}{r}",
    "using credential ({c}{v}{r})",
    "master key [{v}]",
    "deploy key \u2014 {c}{v}{r}",
    "HMAC key <{v}>",
    "token => {c}{v}{r}",
    "loaded credential value {c}{v}{r}",
    "session token b64 {v}",
    # A key word naming what the key is for.
    "session key {c}{v}{r}",
    "{c}auth key{r}: {v}",
    "loaded storage key {c}{v}{r}",
    "account key => {v}",
    "generated app key ({c}{v}{r})",
    "root key {c}{v}",
    "data key b64 {c}{v}{r}",
]


@pytest.mark.parametrize("template", CREDENTIAL_LINES)
@pytest.mark.parametrize("kind", ["b64", "b62", "hex"])
def test_a_credential_word_then_a_key_shaped_value_is_masked_through_colour_codes(
    template: str, kind: str
) -> None:
    rnd = random.Random(zlib.crc32(f"{template}|{kind}".encode()))
    v = _secret(rnd.randrange(10**6), kind)
    line = template.format(v=v, v1=v[:10], v2=v[10:], c=rnd.choice(_C), r=rnd.choice(_C))
    text = f"starting\n{line}\ndone\n"
    _check(text, [v[:10], v[10:]] if "{v1}" in template else [v, v[:12], v[-12:]])


# Escapes beyond colours, as terminals and tput write them: truecolour, tput sgr0's charset
# reset, cursor save/restore, keypad modes, erase, cursor moves, hyperlinks, bracketed-paste.
_ESCAPES = (
    "\x1b[38;2;255;100;0m",
    "\x1b(B\x1b[m",
    "\x1b(B",
    "\x1b)0",
    "\x1b7",
    "\x1b8",
    "\x1b=",
    "\x1b>",
    "\x1b[K",
    "\x1b[1G",
    "\x1b[?25l",
    "\x1b[?2004h",
    "\x1b[2~",
    "\x1b[0;1;4;32m",
    "\x1b]8;;https://example.com\x1b\\",
    "\x1bM",
    "\x1b[m\x1b[m\x1b[m",
    # The 8-bit CSI (C1 U+009B; encoded as UTF-8, as the text is).
    "\x9b32m",
    "\x9b0;1m",
)


@pytest.mark.parametrize("code", _ESCAPES, ids=[repr(c) for c in _ESCAPES])
@pytest.mark.parametrize(
    "template",
    [
        "loaded credential {c}{v}{r}",
        "{c}loaded{r} credential {c}{v}",
        "Using API key: {c}{v}{r}",
        "password{c}:{r} {v}",
        "access token {c}{c}{v}{r}{r} saved",
    ],
)
def test_every_kind_of_terminal_escape_between_a_credential_word_and_its_value(
    code: str, template: str
) -> None:
    rnd = random.Random(zlib.crc32(f"{template}|{code}".encode()))
    v = _secret(rnd.randrange(10**6), rnd.choice(["b64", "b62"]))
    text = "run\n" + template.format(c=code, r=rnd.choice(_ESCAPES), v=v) + "\ndone\n"
    _check(text, [v])


@pytest.mark.parametrize(
    "line",
    [
        "the token expired yesterday afternoon",
        "password reset link sent to alice@example.com",
        "\x1b[33mwarning\x1b[0m: secret rotation is overdue for \x1b[1mPydanticDeprecatedSince20\x1b[0m",
        "using token \x1b[1mbuild_cache_key\x1b[0m",
        "loaded credential \x1b[1mdefault\x1b[0m from ~/.aws/credentials",
        "api key \x1b[32mconfigured\x1b[0m",
        "token 42",
        "secret manager path /prod/app/config",
        "signing key -> rotated",
        "the token (expired) was refreshed",
        "deploy key [read-only] added to repository_settings",
        "encryption key — see docs/encryption_at_rest_guide",
        "session key expired, logging in again",
        "storage key rotation finished in 3s",
        "app key \x1b[32mnot set\x1b[0m",
    ],
)
def test_a_credential_word_then_words_is_prose(line: str) -> None:
    assert R.redact_text(line) == line


@settings(max_examples=80, deadline=None)
@given(
    word=st.sampled_from(["credential", "token", "secret", "password", "api key", "access token"]),
    codes=st.lists(st.sampled_from(_C), min_size=0, max_size=4),
    seed=st.integers(min_value=0, max_value=10**6),
    size=st.integers(min_value=1, max_value=200),
)
def test_colour_codes_anywhere_around_a_credential_stream_like_one_pass(
    word: str, codes: list[str], seed: int, size: int
) -> None:
    v = rand(40, seed, _B62 + "+/")
    parts = ["loaded ", word, " ", v[:20], v[20:], " ok"]
    rnd = random.Random(seed)
    for code in codes:
        i = rnd.randrange(1, len(parts))
        parts.insert(i, code)
    data = ("".join(parts) + "\n").encode()
    whole = R.redact_bytes(data)
    assert v[:20].encode() not in whole and v[20:].encode() not in whole, whole
    assert streamed(R, data, size) == whole


def _digitless_base64(seed: int) -> str:
    """Base64 of 30 random bytes that happens to hold no digit (about 1 draw in 900)."""
    rnd = random.Random(seed)
    while True:
        v = base64.b64encode(rnd.randbytes(30)).decode()
        if not any(c.isdigit() for c in v):
            return v


@settings(max_examples=100, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    digitless=st.booleans(),
    template=st.sampled_from(CREDENTIAL_LINES[:19]),
    colour=st.sampled_from(_C),
)
def test_base64_key_material_is_masked_after_a_credential_word_digits_or_not(
    seed: int, digitless: bool, template: str, colour: str
) -> None:
    """Random bytes in base64 have no digit about once in a thousand: still key material."""
    rnd = random.Random(seed)
    v = _digitless_base64(seed) if digitless else base64.b64encode(rnd.randbytes(30)).decode()
    line = template.format(v=v, c=colour, r="\x1b[0m")
    out = R.redact_text(f"starting\n{line}\ndone\n")
    assert v not in out and v[:12] not in out and v[-12:] not in out, out


def test_digitless_key_material_in_weak_columns_and_after_credential_words() -> None:
    values = ["teasBtIgeKAOTNwxyLIwwqm+iUSYbcnZvfLwNjau", _digitless_base64(5)]
    for v in values:
        _check(f"loaded credential \x1b[38;5;208m{v}\x1b[1m from vault\n", [v])
        _check(f"name,session,region\nweb-1,{v},eu-west-1\n", [v], ["web-1", "eu-west-1"])
    # Words and names without digits are still prose or names, not key material.
    _check(
        "loaded credential providerChainResolverFactory from vault\n"
        "name,session,region\nweb-1,MorningStandupRecording,eu\n",
        [],
        ["providerChainResolverFactory", "MorningStandupRecording"],
    )


@pytest.mark.parametrize("coloured", [False, True])
def test_a_header_between_two_lines_the_header_expression_also_finds(coloured: bool) -> None:
    """Hyperscan's hits closer than a few dozen bytes make one run (its first and last end);
    a header line between two other hits (prose naming a token above, a row whose key is a
    secret word below) is still read as one."""
    v = _secret(811, "b62")
    head = "\x1b[1mname,secret\x1b[0m" if coloured else "name,secret"
    text = f"one two three four five token, x\n{head}\ntoken,{v}\npassword,{_secret(812)}\n"
    _check(text, [v], clean=["one two three four five token, x"])
