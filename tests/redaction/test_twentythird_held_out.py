"""Twenty-third held-out contextual pass (issue 18, ctx23): the classes the twenty-third generator
(``tests/redaction/twentythird_variations.py``) found, each over several variations with clean
controls, every case whole, by the pure-Python engine and streamed at 7, 64 and 4,096 bytes
(``HeldOut``):

- a literal in a shell substitution or a parameter's default under a secret's name (``export
  X=$(echo <key>)``, `` `echo` ``, ``printf '%s'``, ``| base64 -d``, ``${X:-<key>}``,
  ``${X:=<key>}``); ``${X:?message}`` and vault paths after ``-field=token`` stay;
- Oracle connect strings (EZConnect, the thin driver), MySQL's ``SET PASSWORD``, ``pg_dump``'s
  ``COPY … FROM stdin`` rows; format slots and SQL ``NULL`` where a password goes stay;
- language dumps: Erlang binaries, PHP ``var_dump``, Gson's ``\\u003d`` query parameters, JSON in
  a CSV cell, loguru's ``diagnose`` arrows, terraform ``random_password`` results;
- a private key's lines above its END line with no BEGIN (``tail``), JWTs wrapped at one width;
  a block scalar's line added by a diff, and one after a one-column table's end;
- over-masking: kubectl's ``<set to the key … in secret '…'>``, npmrc slots, PowerShell cmdlets
  after ``$pw =``, OpenSSH public keys.
"""

from __future__ import annotations

import base64
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.redaction import twentythird_variations as gen
from tests.redaction.held_out import HeldOut, ids

H = HeldOut(sizes=(7, 64, 4096))


def _keys(seed: str, n: int) -> list[str]:
    rnd = random.Random(f"ctx23-test:{seed}")
    return [gen.key(rnd) for _ in range(n)]


def _pws(seed: str, n: int) -> list[str]:
    rnd = random.Random(f"ctx23-pw:{seed}")
    return [gen.pw(rnd) for _ in range(n)]


# --- shell substitutions and defaults ----------------------------------------------------------

_SUBST = [
    "export {n}=$(echo {v})",
    'export {n}="$(echo -n {v})"',
    "{n}=$(printf '%s' '{v}')",
    "export {n}=`echo {v}`",
    "+ export {n}=$(echo {v})",
    "{n}=${{{n}:-{v}}}",
    ': "${{{n}:={v}}}"',
    "      - {n}=${{{n}:-{v}}}",
]


@pytest.mark.parametrize("tpl", _SUBST)
def test_literal_in_substitution_or_default(tpl: str) -> None:
    for n, v in zip(("KUBE_TOKEN", "API_KEY", "DB_PASSWORD"), _keys(tpl, 3), strict=True):
        H.masked(tpl.format(n=n, v=v) + "\n", [v])


def test_base64_in_substitution() -> None:
    for v in _keys("b64", 3):
        b = base64.b64encode(v.encode()).decode()
        H.masked(f"export API_TOKEN=$(echo {b} | base64 -d)\n", [b])


@pytest.mark.parametrize(
    "line",
    [
        "export API_TOKEN=$(cat /run/secrets/api_token)",
        "export API_TOKEN=$(echo $OTHER_TOKEN)",
        "API_TOKEN=${API_TOKEN:-}",
        'API_TOKEN="${API_TOKEN:?API_TOKEN is required}"',
        "export GIT_SHA=$(git rev-parse HEAD)",
        "export API_TOKEN=$(vault kv get -field=token secret/app)",
        "export API_TOKEN=$(echo changeme)",
        "      - API_TOKEN=${API_TOKEN:-<token>}",
        "GIT_SHA=${GIT_SHA:-0123456789abcdef0123456789abcdef01234567}",
    ],
)
def test_substitution_clean(line: str) -> None:
    H.unchanged(line + "\n")


# --- connection strings and SQL ----------------------------------------------------------------


def test_oracle_connect_strings() -> None:
    for p in _pws("oracle", 4):
        for s in (
            f"svc_reader/{p}@//db.internal:1521/ORCLPDB1",
            f"jdbc:oracle:thin:app/{p}@db.internal:1521:ORCL",
            f'"Default": "app/{p}@//db.internal/ORCLPDB1"',
        ):
            H.masked(s + "\n", [p])


@pytest.mark.parametrize(
    "line",
    [
        "postgresql://app:%s@db.internal:5432/prod",
        "mongodb+srv://admin:%(password)s@cluster0.ab1cd.mongodb.net/prod",
        "rediss://default:{password}@redis.internal:6380",
        "host=db port=5432 user=app password=%s sslmode=require",
        "CREATE LOGIN app WITH PASSWORD = NULL, CHECK_POLICY = ON;",
        "CREATE LOGIN app WITH PASSWORD = :'pw', CHECK_POLICY = ON;",
        "sqlplus app/${DB_PASSWORD}@//db.internal:1521/ORCLPDB1",
        "//registry.npmjs.org/:_authToken=${NPM_TOKEN}",
        "//npm.pkg.github.com/:_authToken=<token>",
    ],
)
def test_slots_clean(line: str) -> None:
    H.unchanged(line + "\n")


def test_set_password_and_copy_rows() -> None:
    for p, k in zip(_pws("sql", 3), _keys("sql", 3), strict=True):
        H.masked(f"SET PASSWORD FOR 'app'@'localhost' = '{p}';\n", [p])
        H.masked(f"SET PASSWORD FOR 'app'@'%' = PASSWORD('{p}');\n", [p])
        H.masked(
            "COPY public.users (id, email, api_token, created_at) FROM stdin;\n"
            f"1\tbob@acme.io\t{k}\t2026-11-02 08:00:00\n2\tann@acme.io\t{p}\t\\N\n\\.\n",
            [k, p],
        )


def test_copy_rows_clean() -> None:
    rnd = random.Random("copy-clean")
    H.unchanged(
        "COPY public.builds (id, commit_sha, created_at) FROM stdin;\n"
        f"1\t{gen.hexid(rnd)}\t2026-11-02 08:00:00\n\\.\n"
    )
    H.unchanged(
        "COPY public.users (id, email, api_token) FROM stdin;\n1\tbob@acme.io\t\\N\n\\.\n"
        f"1\tbuild\t{gen.hexid(rnd)}\n"
    )


# --- language dumps ---------------------------------------------------------------------------


def test_language_dumps() -> None:
    for v in _keys("dumps", 4):
        H.masked(f'[{{host,<<"db">>}},{{auth_token,<<"{v}">>}},{{port,5432}}]\n', [v])
        H.masked(
            f'array(2) {{\n  ["host"]=>\n  string(2) "db"\n  ["db_password"]=>\n'
            f'  string({len(v)}) "{v}"\n}}\n',
            [v],
        )
        H.masked(
            '{"url":"https://api.acme.io/v1?access_token\\u003d' + v + '\\u0026page\\u003d2"}\n',
            [v],
        )
        H.masked(f'7,web,"{{""region"": ""eu"", ""signing_secret"": ""{v}""}}",x\n', [v])
        H.masked(
            "Traceback (most recent call last):\n"
            '  File "/app/main.py", line 12, in <module>\n'
            "    connect(host, client_secret)\n"
            f"    │       │     └ '{v}'\n"
            "    │       └ 'db.internal'\n"
            "    └ <function connect at 0x7f3a2b1c0d30>\n",
            [v],
        )
        H.masked(
            'resource "random_password" "db" {\n    id          = "none"\n'
            f'    result      = "{v}"\n    special     = true\n}}\n',
            [v],
        )


def test_language_dumps_clean() -> None:
    rnd = random.Random("dumps-clean")
    h, u = gen.hexid(rnd), gen.uuid(rnd)
    H.unchanged(f'[{{host,<<"db">>}},{{commit_sha,<<"{h}">>}}]\n')
    H.unchanged(f'array(1) {{\n  ["request_id"]=>\n  string(36) "{u}"\n}}\n')
    H.unchanged('{"url":"https://api.acme.io/v1?commit\\u003d' + h + '\\u0026page\\u003d2"}\n')
    H.unchanged(f'7,web,"{{""region"": ""eu"", ""checksum"": ""{h}""}}",x\n')
    H.unchanged(
        f"    connect(host, request_id)\n    │       │     └ '{u}'\n    │       └ 'db.internal'\n"
    )
    H.unchanged(
        'resource "random_password" "db" {\n    id          = "none"\n'
        '    result      = "(sensitive value)"\n}\n'
    )


# --- keys and tokens over several lines -------------------------------------------------------


def test_private_key_tail_and_wrapped_jwt() -> None:
    rnd = random.Random("pem-tail")
    for _ in range(3):
        body = gen._pem_body(rnd)
        k = rnd.randrange(6, len(body))
        text = (
            f"$ tail -n {k + 1} key.pem\n"
            + "".join(ln + "\n" for ln in body[-k:])
            + "-----END PRIVATE KEY-----\n"
        )
        H.masked(text, [ln for ln in body[-k:] if len(ln) >= 16])
        tok, secret_part = gen.jwt(rnd)
        for w in (64, 80, 100):
            lines = gen._wrap(tok, w)
            H.masked("\n".join(lines) + "\n", [ln for ln in lines[1:] if len(ln) >= 12])


def test_wrapped_clean() -> None:
    rnd = random.Random("pem-clean")
    body = gen._cert_body(rnd)
    H.unchanged("".join(ln + "\n" for ln in [*body[-6:], "-----END CERTIFICATE-----"]))
    k = base64.b64encode(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00 " + rnd.randbytes(32)).decode()
    H.unchanged(f"ssh-ed25519 {k} dev@laptop\n")
    h = gen.hexid(rnd, 64)
    H.unchanged(f"sha256:{h}\n{h}\nDone\n")


def test_block_scalar_in_diff_and_after_one_column() -> None:
    for v in _keys("block", 3):
        H.masked(
            "--- a/values.yaml\n+++ b/values.yaml\n@@ -1,4 +1,5 @@\n auth:\n"
            f"   password: |\n+    {v}\n   enabled: true\n",
            [v],
        )
        H.masked(f"auth:\n  private_key: |\n    {v}\n  enabled: true\n", [v])
    H.unchanged("@@ -1,4 +1,5 @@\n auth:\n   notes: |\n+    Build 1a2b3c4d5e6f\n")


# --- over-masking -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "    Environment:\n"
        "      API_KEY:     <set to the key 'token' in secret 'api'>  Optional: false\n",
        "      DB_PASSWORD:  <set to the key 'password' in secret \"db-creds\">  Optional: false\n",
        "PS> $pw = Read-Host -AsSecureString 'Password'\n",
        "PS> $token = Get-Secret -Name api\n",
    ],
)
def test_overmasking_fixed(text: str) -> None:
    H.unchanged(text)


def test_still_masked_next_to_the_fixes() -> None:
    for v in _keys("next", 2):
        H.masked(f"      API_KEY:     {v}\n", [v])
        H.masked(f"PS> $pw = '{v}'\n", [v])
        H.masked(f"//registry.npmjs.org/:_authToken={v}\n", [v])
        H.masked(f"postgresql://app:{v.replace('/', 'x').replace('+', 'y')}@db/prod\n", [])


# --- the generator ----------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    shape=st.sampled_from(sorted(gen.SHAPES)),
    i=st.integers(min_value=0, max_value=10_000),
    clean=st.booleans(),
)
def test_generated_cases_property(shape: str, i: int, clean: bool) -> None:
    """Any drawn case of the fixed families (draws far from the tuned ones): secrets masked,
    clean text unchanged, whole = pure-Python = streamed."""
    _check(gen.one(shape, i, 100 + i % 50, clean))


# Open (docs/redaction.md, "Twenty-third held-out pass"): ``mysqldump`` rows under their
# ``CREATE TABLE``; clean: ``changeme`` under PowerShell's ``Get-Item env:`` table, placeholders
# in a colour word diff, ids in an insert into a table named ``credentials``.
_OPEN_SECRET = frozenset({"sql_inserts"})
_OPEN_CLEAN = frozenset({"ps_env", "diff_hunks", "sql_inserts"})


def _check(case: gen.Case) -> None:
    fam = case.shape.removesuffix("_clean")
    if (fam in _OPEN_CLEAN) if case.clean else (fam in _OPEN_SECRET):
        H.outs(case.text)
    elif case.clean:
        H.unchanged(case.text)
    else:
        H.masked(case.text, case.secrets)


_CASES = [
    c
    for shape in gen.SHAPES
    for clean in (False, True)
    for c in (gen.one(shape, i, gen.HELD_OUT_DRAW, clean) for i in range(5))
]


@pytest.mark.parametrize("case", _CASES, ids=ids(_CASES))
def test_held_out_draw(case: gen.Case) -> None:
    """The never-tuned draw (7), 5 cases a family and kind."""
    _check(case)
