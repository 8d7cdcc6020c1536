"""Leftovers of issue 18, twenty-fourth pass (left24): what the twenty-third held-out pass and
the third pass on known secrets in dumps left open, each as a class over variations of our own,
every case whole, by the pure-Python engine and streamed (1 byte where short, 64 and 4,096):

- an SQL dump's rows without a column list, named by the table's ``CREATE TABLE`` earlier in
  the dump (``mysqldump``'s default rows, sqlite3's ``.dump``, ``pg_dump --inserts`` and
  ``--rows-per-insert``, ``REPLACE INTO``, ``COPY t FROM stdin;``) or by nothing (random values
  only);
- a provider rule's value that needs its name to be found (a Datadog key) repeated without it
  (``set -x`` traces: bash with several ``PS4``, zsh's ``xtrace``);
- clean: ids under an insert's id columns, ``changeme`` in a table, glued references and a
  colour word diff of two.
"""

from __future__ import annotations

import base64
import random
import subprocess
import textwrap
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.perf import probe_known_dumps as probe
from enforcement_agent.redaction import Redactor
from enforcement_agent.redaction.dumps import HELD, line_readings
from enforcement_agent.redaction.line_release import line_release_point
from tests.redaction.held_out import HeldOut
from tests.redaction.helpers import streamed
from tests.redaction.twentieth_variations import hexid, key, uuid

H = HeldOut(sizes=(64, 4096))
H1 = HeldOut(sizes=(1, 64, 4096))


def _keys(seed: str, n: int) -> list[str]:
    rnd = random.Random(f"left24:{seed}")
    return [key(rnd) for _ in range(n)]


def _check(text: str, secrets: list[str]) -> bytes:
    return (H1 if len(text) < 1500 else H).masked(text, secrets)


def _clean(text: str) -> None:
    (H1 if len(text) < 1500 else H).unchanged(text)


# --- SQL dumps: rows without a column list ---------------------------------------------------

_MYSQL_HEAD = """--
-- Table structure for table `{t}`
--

DROP TABLE IF EXISTS `{t}`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `{t}` (
  `id` int NOT NULL AUTO_INCREMENT,
  `name` varchar(64) NOT NULL DEFAULT 'a,b',
  `price` decimal(10,2) DEFAULT NULL,
  `kind` enum('web','cli') NOT NULL,
  `{col}` varchar(128) NOT NULL COMMENT 'issued (once), never shown',
  `created_at` datetime DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_name` (`name`),
  KEY `idx_kind` (`kind`,`created_at`),
  CONSTRAINT `fk` FOREIGN KEY (`id`) REFERENCES `owners` (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `{t}`
--

LOCK TABLES `{t}` WRITE;
/*!40000 ALTER TABLE `{t}` DISABLE KEYS */;
"""
_MYSQL_TAIL = "/*!40000 ALTER TABLE `{t}` ENABLE KEYS */;\nUNLOCK TABLES;\n"
_COLS = ["client_secret", "api_key", "password", "auth_token", "webhook_secret", "private_token"]


@pytest.mark.parametrize("col", _COLS)
def test_mysqldump_extended_insert(col: str) -> None:
    a, b = _keys(f"ext:{col}", 2)
    rows = f"INSERT INTO `oauth_clients` VALUES (1,'web',1.50,'web','{a}','2026-11-02 08:00:00'),(2,'it''s',NULL,'cli','{b}',NULL);\n"
    head = _MYSQL_HEAD.format(t="oauth_clients", col=col)
    out = _check(head + rows + _MYSQL_TAIL.format(t="oauth_clients"), [a, b])
    assert b"'it''s'" in out and b"1.50" in out and b"2026-11-02 08:00:00" in out


@pytest.mark.parametrize("col", _COLS[:3])
def test_mysqldump_one_row_a_line(col: str) -> None:
    # (``--skip-extended-insert``: a statement a row, far below the table's definition.)
    ks = _keys(f"skip:{col}", 60)
    rows = "".join(
        f"INSERT INTO `oauth_clients` VALUES ({i},'app-{i}',NULL,'web','{k}',NULL);\n"
        for i, k in enumerate(ks)
    )
    head = _MYSQL_HEAD.format(t="oauth_clients", col=col)
    _check(head + rows + _MYSQL_TAIL.format(t="oauth_clients"), ks)


def test_mysqldump_replace_into() -> None:
    (a,) = _keys("replace", 1)
    head = _MYSQL_HEAD.format(t="t", col="token")
    _check(head + f"REPLACE INTO `t` VALUES (1,'x',NULL,'web','{a}',NULL);\n", [a])


def test_mysqldump_several_tables() -> None:
    # Only the table whose definition names a secret's column is masked there; the other's
    # random-looking column (a slug id) stays.
    a, b = _keys("several", 2)
    slug = "Zr8Kq2mWx7LpT4vN9bYc3Hs6"
    text = (
        "CREATE TABLE `links` (\n  `id` int NOT NULL,\n  `slug` varchar(32) NOT NULL\n) ENGINE=InnoDB;\n"
        + _MYSQL_HEAD.format(t="keys", col="secret_key")
        + f"INSERT INTO `links` VALUES (1,'{slug}');\n"
        + f"INSERT INTO `keys` VALUES (1,'a',NULL,'web','{a}',NULL),(2,'b',NULL,'web','{b}',NULL);\n"
    )
    out = _check(text, [a, b])
    assert slug.encode() in out


def test_sqlite_dump() -> None:
    a, b, c = _keys("sqlite", 3)
    text = (
        "PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n"
        'CREATE TABLE IF NOT EXISTS "users"(id INTEGER PRIMARY KEY, name TEXT, "api key" TEXT, note TEXT);\n'
        f"INSERT INTO users VALUES(1,'bob','{a}','hi, there');\n"
        f"INSERT INTO \"users\" VALUES(2,'amy','{b}',NULL);\n"
        "CREATE TABLE sessions (\n  id INTEGER,\n  -- the cookie, signed\n  session_token TEXT\n);\n"
        f"INSERT INTO sessions VALUES(1,'{c}');\nCOMMIT;\n"
    )
    out = _check(text, [a, b, c])
    assert b"'hi, there'" in out


def test_pg_dump_inserts_far_below() -> None:
    a, b, c, d = _keys("pg", 4)
    ddl = "".join(
        f"CREATE SEQUENCE public.seq_{i}\n    START WITH 1\n    INCREMENT BY 1;\n\n"
        for i in range(60)
    )
    text = (
        "CREATE TABLE public.users (\n    id integer NOT NULL,\n    email text,\n"
        "    auth_token character varying(64),\n    CONSTRAINT users_pkey PRIMARY KEY (id)\n);\n\n"
        "ALTER TABLE public.users OWNER TO app;\n\n"
        + ddl
        + f"INSERT INTO public.users VALUES (1, 'bob@acme.io', '{a}');\n"
        + "INSERT INTO public.users VALUES\n"
        + f"\t(2, 'amy@acme.io', '{b}'),\n\t(3, 'x@acme.io', '{c}');\n"
        + f"COPY public.users FROM stdin;\n4\tz@acme.io\t{d}\n\\.\n"
    )
    out = _check(text, [a, b, c, d])
    assert b"bob@acme.io" in out and b"z@acme.io" in out


@pytest.mark.parametrize(
    ("statement", "rows"),
    [
        (
            "COPY users (id, api_key) FROM stdin WITH (FORMAT csv, HEADER true);",
            'id,api_key\n1,{a}\n2,"{b}"\n',
        ),
        ("COPY users (id, api_key) FROM stdin CSV HEADER;", "id,api_key\n1,{a}\n2,{b}\n"),
        ("COPY users (id, api_key) FROM stdin DELIMITER '|';", "1|{a}\n2|{b}\n"),
        (
            "COPY users (id, api_key) FROM stdin WITH (FORMAT text, DELIMITER E'\\t');",
            "1\t{a}\n2\t{b}\n",
        ),
        (
            "CREATE TABLE users (id int, api_key text);\nCOPY users FROM stdin CSV;",
            "1,{a}\n2,{b}\n",
        ),
    ],
)
def test_copy_with_options(statement: str, rows: str) -> None:
    a, b = _keys(f"copy:{statement}", 2)
    out = _check(f"{statement}\n{rows.format(a=a, b=b)}\\.\n", [a, b])
    assert b"id,api_key" in out or b"id,api_key" not in statement.encode() + rows.encode()


def test_rows_of_a_table_named_nowhere() -> None:
    # The dump's start cut off (``tail``, ``--no-create-info``): random values only.
    a, b = _keys("unnamed", 2)
    u, h = "61a143cf-a2e7-4614-abf8-fa0672febca4", "74338d02e2c502d9c6454a779f9e1c7feee43850"
    text = f"INSERT INTO `oauth_clients` VALUES (1,'web','{a}','{u}','{h}','https://app.acme.io/cb'),(2,'cli','{b}',NULL,NULL,NULL);\n"
    out = _check(text, [a, b])
    assert u.encode() in out and h.encode() in out


def test_clean_dump_rows() -> None:
    rnd = random.Random("left24:clean")
    text = (
        "CREATE TABLE `builds` (\n  `id` int NOT NULL,\n  `build_id` char(36) NOT NULL,\n"
        "  `checksum` char(64),\n  `slug` varchar(40),\n  `password_changed_at` datetime\n) ENGINE=InnoDB;\n"
        + "".join(
            f"INSERT INTO `builds` VALUES ({i},'{uuid(rnd)}','{hexid(rnd, 64)}','Zr8Kq2mWx7LpT4vN9bYc3Hs{i}','2026-11-0{i} 08:00:00');\n"
            for i in range(1, 6)
        )
    )
    _clean(text)


def test_create_table_in_prose_holds_nothing() -> None:
    # A line opening ``create table x (`` that never closes gives up at a blank line: a table
    # below is read as ever.
    (a,) = _keys("prose", 1)
    text = f"CREATE TABLE notes (\nwe never finished this one\n\nname,api_key\nweb,{a}\n"
    _check(text, [a])


_SECRET_COLS = ["api_key", "secret", "password", "access_token", "client_secret", "passwd"]
_CLEAN_COLS = ["id", "name", "email", "created_at", "build_id", "checksum", "kind", "note"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(_CLEAN_COLS), min_size=1, max_size=5, unique=True),
    st.sampled_from(_SECRET_COLS),
    st.integers(0, 5),
    st.sampled_from(["mysql", "sqlite", "pg"]),
    st.integers(0, 10**6),
)
def test_property_dump_rows(clean: list[str], secret: str, at: int, form: str, seed: int) -> None:
    rnd = random.Random(seed)
    cols = list(clean)
    at = min(at, len(cols))
    cols.insert(at, secret)
    k = key(rnd)
    cells = [f"'{k}'" if c == secret else f"'{uuid(rnd)}'" for c in cols]
    if form == "mysql":
        defs = ",\n".join(f"  `{c}` varchar(128)" for c in cols)
        text = f"CREATE TABLE `t` (\n{defs},\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\nLOCK TABLES `t` WRITE;\n"
        text += f"INSERT INTO `t` VALUES ({','.join(cells)});\n"
    elif form == "sqlite":
        text = f"CREATE TABLE t ({', '.join(c + ' TEXT' for c in cols)});\n"
        text += f"INSERT INTO t VALUES({','.join(cells)});\n"
    else:
        defs = ",\n".join(f"    {c} text" for c in cols)
        text = f"CREATE TABLE public.t (\n{defs}\n);\n\nINSERT INTO public.t VALUES ({', '.join(cells)});\n"
    out = H.masked(text, [k])
    for c, cell in zip(cols, cells, strict=True):
        if c != secret:
            assert cell.encode() in out


# --- a provider rule's value repeated without its name ----------------------------------------

_TRACES = [
    "+ {n}={v}\n+ '[' -z {v} ']'\n+ echo 'token present'\ntoken present\n",
    "+(deploy.sh:12): main(): {n}={v}\n+(deploy.sh:13): main(): test -n {v}\n",
    "+ 08:00:01 deploy.sh:7 {n}={v}\n+ 08:00:01 deploy.sh:8 curl -fsS https://api.datadoghq.com/api/v1/validate?k={v}\n",
    "+deploy.zsh:3> {n}={v}\n+deploy.zsh:4> [[ -n {v} ]]\n",
    "++ {n}={v}\n++ export {n}\n+ dd-agent check --key {v}\n",
]


@pytest.mark.parametrize("tpl", _TRACES)
@pytest.mark.parametrize("n", ["DATADOG_API_KEY", "DD_API_KEY", "DD_APP_KEY"])
def test_provider_value_repeated_in_trace(tpl: str, n: str) -> None:
    rnd = random.Random(f"left24:trace:{tpl}:{n}")
    for width in (32, 40):
        v = hexid(rnd, width)
        _check(tpl.format(n=n, v=v), [v])


def test_provider_shaped_value_unchanged_elsewhere() -> None:
    # A hex id that a provider rule did not find stays (no rule found it anywhere).
    _clean(
        "+ GIT_COMMIT=e904d31fbff046539cc875f7ae52566e442415d8\n+ '[' -z e904d31fbff046539cc875f7ae52566e442415d8 ']'\n"
    )


# --- clean look-alikes ---------------------------------------------------------------------------


@pytest.mark.parametrize("col", ["build_id", "request_id", "checksum", "etag", "trace_id"])
def test_ids_under_an_inserts_id_column(col: str) -> None:
    rnd = random.Random(f"left24:ids:{col}")
    for v in (uuid(rnd), hexid(rnd, 32), hexid(rnd, 64)):
        _clean(
            f"INSERT INTO credentials (id, owner, {col}, created_at) VALUES (422, 'ops', '{v}', now());\n"
        )
    (k,) = _keys(f"ids:{col}", 1)
    _check(
        f"INSERT INTO credentials (id, owner, api_key, created_at) VALUES (422, 'ops', '{k}', now());\n",
        [k],
    )


@pytest.mark.parametrize("word", ["changeme", "change_me", "CHANGEME", "changeit", "TODO"])
def test_placeholder_word_in_a_table(word: str) -> None:
    for n in ("NPM_TOKEN", "SLACK_WEBHOOK_SECRET"):
        pad = " " * (len(n) - 4)
        _clean(f"PS C:\\app> Get-Item env:{n}\n\nName{pad} Value\n----{pad} -----\n{n} {word}\n\n")
    (k,) = _keys(f"ps:{word}", 1)
    _check(f"Name      Value\n----      -----\nNPM_TOKEN {k}\n", [k])


@pytest.mark.parametrize(
    "line",
    [
        "PRIVATE_TOKEN=\x1b[31m$DB_PASSWORD\x1b[m\x1b[32m$DB_PASSWORD\x1b[m",
        "ADMIN_PASSWORD=\x1b[31m$OLD_PW\x1b[m\x1b[32m$NEW_PW\x1b[m",
        "DB_PASSWORD=$PW_PREFIX$PW_SUFFIX",
    ],
)
def test_glued_references(line: str) -> None:
    _clean(f"\x1b[36m@@ -1,3 +1,3 @@\x1b[m\nDB_HOST=db.internal\n{line}\n")


# --- known secrets in ascii85/base85 dumps ----------------------------------------------------

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_TAIL = b"\n\x00\x01tail of the file, plain text.\n"


def _wrap(b: bytes, w: int) -> bytes:
    return b"\n".join(b[i : i + w] for i in range(0, len(b), w)) + b"\n"


_ENCODERS = {
    "a85": lambda d, w: base64.a85encode(d, wrapcol=w) + b"\n",
    "a85_adobe": lambda d, w: base64.a85encode(d, wrapcol=w, adobe=True) + b"\n",
    "b85_fold": lambda d, w: _wrap(base64.b85encode(d), w),
    "b85_textwrap": lambda d, w: textwrap.fill(base64.b85encode(d).decode(), w).encode() + b"\n",
}


def _mirror(secret: bytes) -> bytes:
    """The secret with every byte changed (the probe's control)."""
    return bytes(0x7A - (c - 0x61) if 0x61 <= c <= 0x7A else (c ^ 0x01) or 0x2E for c in secret)


def _draw(seed: str, n: int) -> str:
    rnd = random.Random(seed)
    return "".join(rnd.choice(_B64) for _ in range(n))


_SECRETS = [_draw(f"left24:b85:{n}", n) for n in (24, 33, 41, 700)]
_REDACTORS: dict[str, Redactor] = {}


def _known(secret: str) -> Redactor:
    """One redactor a secret (building one compiles its forms: a third of a second)."""
    if secret not in _REDACTORS:
        _REDACTORS[secret] = Redactor(known_secrets=[secret])
    return _REDACTORS[secret]


def _leaks(enc: str, secret: str, head: bytes, w: int, r: Redactor) -> list[bytes]:
    """Lines carrying bytes of the secret (the control differs at their place) left unmasked,
    but a line ending by the group that mixes the secret's first 1-3 bytes with the bytes
    before it (open: a stream has released it before the secret's first whole group came)."""
    raw = secret.encode()
    out = _ENCODERS[enc](head + raw + _TAIL, w)
    ctl = _ENCODERS[enc](head + _mirror(raw) + _TAIL, w)
    flat_ctl = ctl.replace(b"\n", b"")
    got = r.redact_bytes(out)
    kept = set(got.split(b"\n"))
    # (and up to three characters of the first whole group: a match's first line holding
    # fewer than ``HELD`` of its bytes is left, in one pass as in a stream)
    start_side = (2 if enc == "a85_adobe" else 0) + 5 * (len(head) // 4 + 1) + HELD - 1
    left, at = [], 0
    for line in out.split(b"\n"):
        if line and flat_ctl[at : at + len(line)] != line and line in kept:
            if len(head) % 4 == 0 or at + len(line) > start_side:
                left.append(line)
        at += len(line)
    for size in (64, 4096):
        assert streamed(r, out, size) == got, (enc, size)
    return left


@pytest.mark.parametrize("enc", list(_ENCODERS))
def test_base85_group_after_the_last_whole_one(enc: str) -> None:
    # A secret whose last whole group ends a line: the next line starts with the group holding
    # its last 1-3 bytes (``a85encode(wrapcol=40)`` of a 700-byte secret, the probe's row).
    for secret in _SECRETS:
        r = _known(secret)
        for w in (20, 40, 76):
            for h in range(0, 9):
                assert _leaks(enc, secret, b"x" * h, w, r) == [], (len(secret), w, h)


def _short_lines(secret: str, h: int, w: int) -> bool:
    out = _ENCODERS["b85_textwrap"](b"x" * h + secret.encode() + _TAIL, w)
    return any(0 < len(x) < 16 for x in out.split(b"\n")[:-2])


# Secrets whose base85, wrapped by textwrap at some width, has a line cut short after a "-".
_HYPHENATED = [
    (secret, h, w)
    for secret in (_draw(f"left24:tw:{k}", (40, 100)[k % 2]) for k in range(40))
    for h in (0, 4, 8)
    for w in (20, 40, 64)
    if _short_lines(secret, h, w)
][::5][:4]


def test_textwrap_short_lines_after_a_hyphen() -> None:
    # textwrap breaks base85 after a "-": a short first line (under 16 characters) and lines of
    # two or three characters are the encoding's too.
    assert len(_HYPHENATED) == 4
    for secret, h, w in _HYPHENATED:
        assert _leaks("b85_textwrap", secret, b"x" * h, w, _known(secret)) == [], (h, w)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(_SECRETS),
    st.sampled_from(list(_ENCODERS)),
    st.binary(min_size=0, max_size=12),
    # (narrower than 16 columns: open, the dump reader's text lines start at 16)
    st.integers(16, 90),
)
def test_property_base85_dumps(secret: str, enc: str, head: bytes, w: int) -> None:
    # (Any bytes before the secret, any width: the few secrets keep the redactors built once.)
    assert _leaks(enc, secret, head, w, _known(secret)) == []


def test_probe_counts_a_line_at_its_place() -> None:
    # The probe's control lines: textwrap breaks the control's base85 elsewhere (after another
    # "-"), and the same bytes at the same place are no secret's.
    assert probe.secret_lines(b"XYZ-\nTAILA\n", b"XYZ-TA\nILA\n") == []
    assert probe.secret_lines(b"QRS-\nTAILA\n", b"XYZ-\nTAILA\n") == [b"QRS-"]


# --- an all-held stream's cost ----------------------------------------------------------------


def _adversarial() -> tuple[Redactor, bytes]:
    rng = random.Random(3)
    secrets = ["".join(rng.choice("ab") for _ in range(40)) for _ in range(6)]
    r = Redactor(known_secrets=secrets)
    gram = max(r.known.dumps.grams.items(), key=lambda kv: len(kv[1]))[0]
    dump = subprocess.run(
        ["xxd"], input=gram * (25000 // len(gram)), capture_output=True, check=True
    ).stdout
    return r, dump


def test_all_held_stream_is_linear() -> None:
    """Every line of a dump held (six low-entropy secrets' most crowded gram repeated, 100 KB
    of ``xxd``), 64-byte chunks: each held line is read once, not once per chunk (4 s of CPU
    on ``main``)."""
    r, dump = _adversarial()
    one = r.redact_bytes(dump)
    start = time.process_time()
    got = streamed(r, dump, 64)
    spent = time.process_time() - start
    assert got == one
    assert spent < 1.0, spent
    assert streamed(r, dump, 7) == one


def test_walk_memo_gives_the_walk_anew() -> None:
    # The held-lines walk with a stream's memo answers as without one, text growing line by
    # line (held lines: ``x =``, a line ending in a backslash; released: anything else).
    rnd = random.Random("left24:walk")
    for _ in range(30):
        text, memo = b"", []  # type: list[Any]
        for _ in range(60):
            text += rnd.choice([b"a = \\\n", b"--password\n", b"plain words here\n", b"key =\n"])
            lo = 0
            assert line_release_point(text, lo, len(text), memo=memo) == line_release_point(
                text, lo, len(text)
            )


def test_line_readings_memo_is_safe() -> None:
    a = line_readings(b"00000000: 6b5a 3971 5732 7856 376d 4234 6e52 3874  kZ9qW2xV7mB4nR8t")
    a.append(("x", b""))
    b = line_readings(b"00000000: 6b5a 3971 5732 7856 376d 4234 6e52 3874  kZ9qW2xV7mB4nR8t")
    assert ("x", b"") not in b and b


# --- a header cut by a narrow terminal -----------------------------------------------------------


def _cut_table(names: list[str], rows: list[list[str]], width: int) -> str:
    wd = [max(len(n), *(len(r[i]) for r in rows)) for i, n in enumerate(names)]
    lines = ["   ".join(n.ljust(wd[i]) for i, n in enumerate(names)).rstrip()]
    lines += ["   ".join(c.ljust(wd[i]) for i, c in enumerate(r)).rstrip() for r in rows]
    out = []
    for ln in lines:
        while len(ln) > width:
            out.append(ln[:width])
            ln = ln[width:]
        out.append(ln)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("name", ["CLIENT_SECRET", "API_TOKEN", "PASSWORD", "ACCESS_KEY"])
def test_header_cut_under_forty_columns(name: str) -> None:
    # A terminal of 24-39 columns cutting the secret's name (``CLIEN`` over ``T_SECRET``): the
    # rows wrap at the same width, the value's parts on several lines. (A header wrapped over
    # four lines or more is open.)
    ks = _keys(f"cut:{name}", 3)
    read = 0
    for first, pad, extra in (("NAMESPACE", 33, ["CREATED"]), ("NS", 26, ["AGE"])):
        for k in range(1, len(name) - 1):
            width = pad + k
            rows = [
                [ns.ljust(pad - 3), v, *(["2026-11-14"] if extra == ["CREATED"] else ["51d"])]
                for ns, v in zip(("default", "payments", "kube-system"), ks, strict=True)
            ]
            text = _cut_table([first, name, *extra], rows, width)
            if text.index("default") > 3 * (width + 1):
                continue
            if any(len(ln) == width and ln.endswith("d") for ln in text.splitlines()[3:]):
                continue  # (a row's last line as wide as the terminal: open)
            read += 1
            out = H.outs(text)[0]
            for v in ks:
                for i in range(0, len(v) - 7, 4):
                    assert v[i : i + 8].encode() not in out, (width, text)
    assert read >= 6
