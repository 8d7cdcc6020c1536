"""Speed pass, 2026-12-05: table-header candidates dismissed in hyperscan, not in Python.

Three changes, each held here to what it must not change:

- ``tables.PREFIXED_HEADER`` is scanned as one expression per secret word, every part under one
  hyperscan id (``tables.PREFIXED_HEADER_PARTS``): the same lines are candidates as with the
  joined alternation (checked on generated header and clean lines), at a fraction of the cost
  (hyperscan ran an automaton from every ``: `` for the joined one);
- in its last branch (a two-cell header at a line start), ``auth`` is no secret's word where its
  name ends ``author`` or ``authordate`` (``AuthorDate: Thu …``, ``Author: alice``): those lines
  are no candidates; a cell naming a secret after ``Author`` still is;
- ``tables.HEADER`` no longer takes an aligned assignment's ``  = `` for the next cell
  (``password       = var.db_password``): those lines are no candidates, and a secret value on
  them is masked by the key-name rules as before.

Each dismissed shape: ≥ 20 variations never reported; each real secret in the same shape: ≥ 20
variations masked, whole and streamed; clean everyday lines come back unchanged.
"""

from __future__ import annotations

import functools
import random
import re

import pytest

from enforcement_agent.redaction import tables as T
from enforcement_agent.redaction.engine import Engine
from enforcement_agent.redaction.prefilters import alternatives, run_except
from tests.redaction.helpers import rand, redactor

_NAME = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


@functools.cache
def _engine() -> Engine:
    return redactor().engine


def _table_candidate(line: bytes) -> bool:
    engine = _engine()
    return engine._table_id in engine._prefilter(line)


def _both(data: bytes) -> tuple[bytes, bytes]:
    r = redactor()
    whole = r.redact_bytes(data)
    s = r.stream()
    streamed = b"".join(s.feed(data[i : i + 7]) for i in range(0, len(data), 7)) + s.flush()
    return whole, streamed


# -- the splitting helpers ---------------------------------------------------------------------


def test_alternatives_rejoin_to_the_same_expression() -> None:
    for expr in (T._SECRET_WORDS, rb"a|b(?:c|d)|[|]|\||[]|]x|e"):
        parts = alternatives(expr)
        assert b"|".join(parts) == expr
        for part in parts:
            re.compile(part)  # each part is a whole expression
    assert alternatives(rb"a|b(?:c|d)|[|]|\||[]|]x|e") == [
        b"a",
        b"b(?:c|d)",
        b"[|]",
        rb"\|",
        b"[]|]x",
        b"e",
    ]
    assert b"auth" in alternatives(T._SECRET_WORDS)


def test_run_except_is_every_run_but_the_words() -> None:
    rx = re.compile(b"(?i)" + run_except(_NAME.encode(), 30, ("or", "ordate")))
    rnd = random.Random(5)
    samples = ["", "o", "or", "Or", "OR", "ordate", "OrDate", "ORDATE", "ord", "ordat", "ordates"]
    samples += ["orization", "ority", "token", "_token", "-key", "orx", "x" * 30, "x" * 31]
    for _ in range(2000):
        n = rnd.randrange(0, 33)
        samples.append("".join(rnd.choice("orORdateDATE_-x9") for _ in range(n)))
    for s in samples:
        expected = len(s) <= 30 and s.lower() not in ("or", "ordate")
        assert bool(rx.fullmatch(s.encode())) == expected, s


# -- the parts find what the joined expression finds -------------------------------------------

_HEADER_LINES = [
    "[INFO] secret,name",
    "[INFO] SigningSecret,id",
    "2026-12-03T10:00:00Z token\towner",
    "out: password  id",
    "out: webhookSecret|team",
    "out: AWS-SECRET-ACCESS-KEY|region",
    "name  :  token",
    "status : region : api key",
    "id: secret key",
    "password: env: status",
    "region: id: token: status",
    "name: encryption-key",
    "created: ApiToken",
    "AuthorToken: region",
    "Author_token: id: region",
    "region: AuthorSecret: status",
    "AuthorDate: token: region",
    "auth: region: status",
    "| api_key: owner",
    "Author: secret",
    "dsn: x",
    "otp_seed: region",
    "[pod/web/app] client_secret;team",
    "stdout: cookie,domain",
    "  jwt: region: status",
]
_CLEAN_LINES = [
    "AuthorDate: Thu Dec 3 10:00:00 2026 +0000",
    "Author: Alice Example <alice@example.com>",
    "Date:   Thu Dec 3 10:00:00 2026 +0000",
    "CommitDate: Thu Dec 3 10:00:00 2026 +0000",
    '    "Digest": "sha256:0123456789abcdef",',
    "  image: ghcr.io/acme/api:1.2.0",
    "      - uses: actions/checkout@v4",
    "              key: password",
    "Merge: 3f2b1c0 9a8b7c6",
    "INFO: started worker 3",
]


@pytest.mark.parametrize("line", _HEADER_LINES + _CLEAN_LINES)
def test_parts_report_the_lines_the_joined_expression_reports(line: str) -> None:
    data = (line + "\n").encode()
    joined = bool(re.search(T.PREFIXED_HEADER, data))
    parts = any(re.search(p, data) for p in T.PREFIXED_HEADER_PARTS)
    author_only = joined and not any(
        re.search(T._prefixed_header(w), data)
        for w in alternatives(T._SECRET_WORDS)
        if w != b"auth"
    )
    dismissed = author_only and re.match(
        rb"(?i)(?:[A-Za-z0-9_\-]{1,24}: ){0,3}[A-Za-z0-9_\-]{0,24}auth(?:or|ordate): ", data
    )
    assert parts == (joined and not dismissed), line


def test_the_hyperscan_parts_agree_with_python_on_a_mixed_corpus() -> None:
    """Hyperscan's parts report a line exactly where Python's joined expression matches it,
    but for the dismissed ``…author:`` / ``…authordate:`` names."""
    rnd = random.Random(11)
    pieces = _HEADER_LINES + _CLEAN_LINES
    for _ in range(300):
        line = rnd.choice(pieces)
        data = (line + "\n").encode()
        expected = any(re.search(p, data) for p in T.PREFIXED_HEADER_PARTS) or any(
            re.search(rx, data)
            for rx in (
                T.HEADER,
                T.HEADER_MORE,
                T.HEADER_MORE_UNICODE,
                T.HTML_ROW,
                T.INSERT_ROW,
                T.WIKI_TABLE,
            )
        )
        assert _table_candidate(data) == expected, line


_CSV_LIKE = [
    "name,secret,region",
    "id;password;owner",
    "host\ttoken\tport",
    "| name | api_key |",
    "NAME  SECRET  AGE",
    "\ufeffname,client_secret",
    "name,[-token-]{+secret+}",
    "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,aa,bb,cc,secret",
    "  password       = var.db_password",
    "  password       =",
    "password   =AbCdEf1234567890xyz",
    "key  value",
    "ordinary prose with a token in it",
    "name  password  region",
    "│ name │ secret │",
]


@pytest.mark.parametrize("line", _HEADER_LINES + _CLEAN_LINES + _CSV_LIKE)
def test_header_parts_match_where_the_joined_header_matches(line: str) -> None:
    data = (line + "\n").encode()
    assert len(T.HEADER_PARTS) == 2
    assert bool(re.search(T.HEADER, data)) == any(re.search(p, data) for p in T.HEADER_PARTS)
    ends = {m.end() for m in re.finditer(T.HEADER, data)}
    assert ends <= {m.end() for p in T.HEADER_PARTS for m in re.finditer(p, data)}


def test_an_aligned_equals_sign_then_a_blank_is_no_cell() -> None:
    assert not re.search(T.HEADER, b"  password       = var.db_password\n")
    assert not re.search(T.HEADER, b"  password       =\n")
    # "=" glued to a value is still read on (a NAME  VALUE line may hold it)
    assert re.search(T.HEADER, b"password   =AbCdEf1234567890xyz\n")
    assert re.search(T.HEADER, b"name  password  region\n")


# -- dismissed: Author / AuthorDate lines ------------------------------------------------------


def _author_lines() -> list[str]:
    names = ["Author", "AuthorDate", "author", "AUTHOR", "AUTHORDATE", "authordate", "Co-Author"]
    names += ["Original-Author", "Orig_author", "PrimaryAuthor", "X-Author", "GitAuthorDate"]
    values = ["Thu Dec 3 10:00:00 2026 +0000", "alice", "Bob Example <bob@example.com>", "2026"]
    values += ["Fri, 4 Dec 2026 09:12:33 +0100", "ci-bot"]
    return [f"{n}: {v}" for n in names for v in values]


def test_author_lines_are_no_table_candidates() -> None:
    lines = _author_lines()
    assert len(lines) >= 20
    for line in lines:
        assert not _table_candidate((line + "\n").encode()), line


def test_author_lines_come_back_unchanged() -> None:
    data = "".join(
        f"commit {rand(40, i, '0123456789abcdef')}\n{line}\n\n    fix the thing\n\n"
        for i, line in enumerate(_author_lines())
    ).encode()
    whole, streamed = _both(data)
    assert whole == data
    assert streamed == data


# -- dismissed: aligned assignments of a reference -----------------------------------------------


def _aligned_assignments() -> list[str]:
    names = ["password", "db_password", "secret", "api_key", "token", "client_secret"]
    names += ["master_password", "auth_token", "private_key", "secret_key"]
    refs = ["var.db_password", "local.api_secret", "module.db.password", "data.vault.token"]
    out = []
    for i, name in enumerate(names):
        for j, ref in enumerate(refs):
            pad = " " * (2 + (i + j) % 7)
            out.append(f"  {name}{pad}= {ref}")
    return out


def test_aligned_assignments_are_no_table_candidates() -> None:
    lines = _aligned_assignments()
    assert len(lines) >= 20
    for line in lines:
        assert not _table_candidate((line + "\n").encode()), line


def test_aligned_reference_assignments_come_back_unchanged() -> None:
    data = "".join(
        f'resource "aws_db_instance" "db{i}" {{\n{line}\n  skip_final_snapshot = true\n}}\n\n'
        for i, line in enumerate(_aligned_assignments())
    ).encode()
    whole, streamed = _both(data)
    assert whole == data
    assert streamed == data


# -- still caught: secrets in the same shapes --------------------------------------------------


def _secret_aligned_assignments() -> list[tuple[str, str]]:
    names = ["password", "db_password", "secret", "api_key", "token", "client_secret"]
    names += ["master_password", "auth_token", "private_key", "secret_key"]
    out = []
    for i, name in enumerate(names):
        for quoted in (False, True):
            value = rand(28, 100 + i * 2 + quoted)
            pad = " " * (2 + i % 6)
            shown = f'"{value}"' if quoted else value
            out.append((f"  {name}{pad}= {shown}", value))
    return out


def test_secret_aligned_assignments_are_still_masked() -> None:
    cases = _secret_aligned_assignments()
    assert len(cases) >= 20
    for line, value in cases:
        data = f'resource "x" "y" {{\n{line}\n}}\n'.encode()
        for out in _both(data):
            assert value.encode() not in out, line


def _secret_headers() -> list[tuple[str, str]]:
    """Tables whose header has an ``Author`` cell or ``auth`` word beside a secret's column, and
    aligned headers whose secret column is followed by blanks: still tables."""
    out = []
    for i in range(6):
        value = rand(32, 300 + i)
        out.append((f"author,secret\nalice{i},{value}\n", value))
        out.append((f"Author  password  region\nalice{i}  {value}  eu\n", value))
        out.append((f"AuthorDate: token: region\n{i + 1}: {value}: eu\n", value))
        out.append((f"name|api_key|author\nweb{i}|{value}|bob\n", value))
    for i in range(4):
        value = rand(32, 400 + i)
        out.append((f"name  password  =\nweb{i}  {value}  x\n", value))
        out.append((f"[INFO] author;secret\n[INFO] bob{i};{value}\n", value))
    return out


def test_secret_tables_beside_author_cells_are_still_masked() -> None:
    cases = _secret_headers()
    assert len(cases) >= 20
    for text, value in cases:
        for out in _both(text.encode()):
            assert value.encode() not in out, text


def test_clean_config_and_git_output_come_back_unchanged() -> None:
    data = (
        b"commit 3f2b1c0a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b\n"
        b"Author:     Alice Example <alice@example.com>\n"
        b"AuthorDate: Thu Dec 3 10:00:00 2026 +0000\n"
        b"Commit:     Bob Example <bob@example.com>\n"
        b"CommitDate: Thu Dec 3 10:05:00 2026 +0000\n\n"
        b"    redaction: speed pass\n\n"
        b'  username       = "api"\n'
        b"  password       = var.db_password\n"
        b"  skip_final_snapshot = true\n"
        b"          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n"
        b"      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD}\n"
    )
    whole, streamed = _both(data)
    assert whole == data
    assert streamed == data
