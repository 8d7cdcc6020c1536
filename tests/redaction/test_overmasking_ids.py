"""Twelfth pass over issue 18's "clean output comes back unchanged" (2026-12-04): identifiers the
line-start generic rule still masked, each class with at least 20 variations and controls that
secrets in the same layouts still mask, whole, pure-Python and streamed (1, 7, 64 bytes).

Class 1: TSV and aligned tables of UUIDs / hex ids under a header naming an id (``uuid``,
``request_id``, ``trace_id``, ``commit`` …): the header now clears an id-shaped value under it;
a header naming a secret (``api_key``, ``token``, ``session_id``) does not.
Class 2: ``git for-each-ref --format='%(refname:short) %(objectname) …'`` and the like: an
unindented bare ref name before a full 40-hex commit id.
"""

from __future__ import annotations

import random
import re
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent.redaction import id_columns
from tests.redaction.helpers import github_token, redactor, slack_token, streamed, stripe_key
from tests.redaction.test_contextual_eighth import sec

R = redactor()
SLOW = redactor(use_hyperscan=False)
SIZES = (1, 7, 64)


def _check(text: str, secrets: list[str]) -> bytes:
    data = text.encode()
    whole = R.redact_bytes(data)
    for s in secrets:
        assert s.encode() not in whole, (s, whole.decode())
    assert SLOW.redact_bytes(data) == whole
    for size in SIZES:
        assert streamed(R, data, size) == whole, size
    return whole


def _unchanged(text: str) -> None:
    whole = _check(text, [])
    assert whole == text.encode(), whole.decode()


def _uuid(rnd: random.Random) -> str:
    return str(uuid.UUID(int=rnd.getrandbits(128)))


def _hex(rnd: random.Random, n: int = 40) -> str:
    return "".join(rnd.choice("0123456789abcdef") for _ in range(n))


# --- class 1: tables of ids under id headers -------------------------------------------------

ID_HEADERS = [
    "uuid", "id", "request_id", "trace_id", "correlation_id", "commit", "sha", "guid",
    "RequestId", "TraceId", "span_id", "job_id", "build_id", "client_id", "event_id",
    "run_id", "message_id", "revision", "UUID", "X-Request-ID", "object_id", "etag",
    "checksum", "digest",
]  # fmt: skip
VALUES = ["uuid", "hex40", "hex64", "hex32", "UUID"]


def _value(rnd: random.Random, kind: str) -> str:
    if kind == "uuid":
        return _uuid(rnd)
    if kind == "UUID":
        return _uuid(rnd).upper()
    return _hex(rnd, int(kind[3:]))


def _table(header: str, values: list[str], layout: str, names: list[str] | None = None) -> str:
    names = names or [f"svc-{i}" for i in range(len(values))]
    first = "name"
    if layout == "tsv":
        rows = [f"{first}\t{header}", *(f"{n}\t{v}" for n, v in zip(names, values, strict=True))]
    elif layout == "tsv3":
        rows = [
            f"{first}\t{header}\tstatus",
            *(f"{n}\t{v}\t200" for n, v in zip(names, values, strict=True)),
        ]
    elif layout == "aligned":
        w = max(len(first), *(len(n) for n in names)) + 4
        rows = [
            f"{first.upper():<{w}}{header.upper()}",
            *(f"{n:<{w}}{v}" for n, v in zip(names, values, strict=True)),
        ]
    elif layout == "aligned3":
        w = max(len(first), *(len(n) for n in names)) + 2
        vw = max(len(header), *(len(v) for v in values)) + 3
        rows = [
            f"{first:<{w}}{header:<{vw}}AGE",
            *(f"{n:<{w}}{v:<{vw}}5m" for n, v in zip(names, values, strict=True)),
        ]
    elif layout == "single":
        rows = [f"{first} {header}", *(f"{n} {v}" for n, v in zip(names, values, strict=True))]
    else:  # crlf tsv
        rows = [f"{first}\t{header}", *(f"{n}\t{v}" for n, v in zip(names, values, strict=True))]
        return "\r\n".join(rows) + "\r\n"
    return "\n".join(rows) + "\n"


LAYOUTS = ["tsv", "tsv3", "aligned", "aligned3", "single", "crlf"]
ID_TABLES = [
    _table(
        h,
        [_value(random.Random(i * 10 + k), VALUES[i % len(VALUES)]) for k in range(1 + i % 4)],
        LAYOUTS[i % len(LAYOUTS)],
    )
    for i, h in enumerate(ID_HEADERS)
] + [
    # A long table: the header 60 rows up, within the lookback.
    _table("request_id", [_uuid(random.Random(900 + k)) for k in range(60)], "tsv"),
    _table("trace_id", [_uuid(random.Random(990 + k)) for k in range(30)], "aligned"),
    # Names with digits and dots before the id.
    _table("uuid", [_uuid(random.Random(7))], "tsv", ["web-01.prod"]),
    _table("commit", [_hex(random.Random(8))], "aligned", ["release-2.0"]),
]


@pytest.mark.parametrize("text", ID_TABLES)
def test_id_tables_unchanged(text: str) -> None:
    _unchanged(text)


SECRET_HEADERS = [
    "api_key", "token", "session_id", "heroku_api_key", "secret", "auth_token", "password",
    "access_token", "SESSION_ID", "sessionId", "client_secret", "api_token", "key",
    "private_key", "bearer", "csrf_token", "cookie", "API_KEY", "token_id", "session",
]  # fmt: skip


@pytest.mark.parametrize("i", range(len(SECRET_HEADERS)))
def test_secret_headers_still_mask_ids(i: int) -> None:
    """A UUID (a Heroku key's shape) or hex value under a header naming a secret still masks."""
    rnd = random.Random(500 + i)
    values = [_value(rnd, ["uuid", "hex40", "UUID", "hex64"][i % 4]) for _ in range(3)]
    text = _table(SECRET_HEADERS[i], values, ["tsv", "aligned", "tsv3", "crlf"][i % 4])
    _check(text, values)


@pytest.mark.parametrize("i", range(24))
def test_real_tokens_under_id_headers_still_mask(i: int) -> None:
    """Under an id header only an id shape is cleared: a provider token or a random token of
    mixed case and digits there is still a secret."""
    makers = [github_token, slack_token, stripe_key, lambda s: sec(s, "alnum", 40)]
    value = makers[i % 4](300 + i)
    text = _table(ID_HEADERS[i], [value], LAYOUTS[i % len(LAYOUTS)])
    _check(text, [value])


def test_no_header_still_masks() -> None:
    """Without a header line naming an id, ``name<TAB><hex>`` keeps the line-start rule."""
    rnd = random.Random(3)
    v = _hex(rnd)
    _check(f"heroku\t{v}\n", [v])
    _check(f"deploy-key  {v} prod\n", [v])
    u = _uuid(rnd)
    _check(f"hello world\nheroku\t{u}\n", [u])


def test_header_beyond_lookback_masks_alike() -> None:
    """A header further up than the lookback no longer clears; whole and streamed agree."""
    rows = [f"svc-{k}\t{_uuid(random.Random(k))}" for k in range(200)]
    text = "name\tuuid\n" + "\n".join(rows) + "\n"
    assert len(text) > id_columns.LOOKBACK
    _check(text, [])


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (b"uuid", True),
        (b"request_id", True),
        (b"Trace ID", True),
        (b"RequestId", True),
        (b"commit", True),
        (b"session_id", False),
        (b"api_key", False),
        (b"token_id", False),
        (b"name", False),
        (b"0123abcd", False),
    ],
)
def test_names_an_id(cell: bytes, expected: bool) -> None:
    assert id_columns.names_an_id(cell) is expected


# --- class 2: git ref listings with unindented names ------------------------------------------

REF_NAMES = [
    "main", "feature-x", "release-2.0", "wip", "hotfix-1234", "docs_update", "rt13-redact",
    "v1.2.3", "HEAD", "develop", "fix-login", "gh-pages", "next", "stable", "v2.0.0-rc.1",
]  # fmt: skip
SUBJECTS = ["fix the thing", "Merge rt12-shell", "policy: one lookup", "Release 2.0", ""]


def _refs(i: int) -> str:
    rnd = random.Random(700 + i)
    names = rnd.sample(REF_NAMES, 2 + i % 4)
    sep = ["\t", " ", " ", "  "][i % 4]
    lines = []
    for n in names:
        subject = SUBJECTS[(i + len(n)) % len(SUBJECTS)]
        tail = f"{sep}{subject}" if subject else ""
        lines.append(f"{n}{sep}{_hex(rnd)}{tail}")
    return "\n".join(lines) + ("\r\n" if i % 5 == 4 else "\n")


REF_LISTINGS = [_refs(i) for i in range(24)] + [
    # `git show-ref`, `git ls-remote`: the id first (unchanged on main too; kept as controls).
    "".join(f"{_hex(random.Random(k))} refs/heads/{n}\n" for k, n in enumerate(REF_NAMES[:4])),
    "".join(f"{_hex(random.Random(k))}\t{n}\n" for k, n in enumerate(["HEAD", "refs/heads/main"])),
    # `git branch -v --no-abbrev`, indented as git prints it.
    "* main      "
    + _hex(random.Random(1))
    + " fix\n  feature-x "
    + _hex(random.Random(2))
    + " wip\n",
]


@pytest.mark.parametrize("text", REF_LISTINGS)
def test_ref_listings_unchanged(text: str) -> None:
    _unchanged(text)


@pytest.mark.parametrize(
    "line",
    [
        "deploy-token {v} prod",
        "github_token {v}",
        "api_key {v} x",
        "secret {v}",
        "my-pass {v}",
        "authkey\t{v}",
        "CREDENTIALS  {v} prod",
        "  github {v}",
        "  deploy-token {v} prod",
        "metaapi {v64} metaapi",
        "jira {alnum} x",
        "mixpanel {alnum}",
        "heroku {alnum}",
        "acme {v64}",
        "service {v64} svc",
        "npm_token {v}",
        "slack-key {v} prod",
        "PASSWORD {v}",
        "client-secret\t{v}\tprod",
        "tok {gh} x",
    ],
)
def test_secret_lines_in_ref_layouts_still_mask(line: str) -> None:
    rnd = random.Random(len(line))
    v, v64 = sec(len(line), "hex", 40), sec(len(line) + 1, "hex", 64)
    alnum, gh = sec(len(line) + 2, "alnum", 40), github_token(len(line))
    text = line.format(v=v, v64=v64, alnum=alnum, gh=gh) + "\n"
    secret = next(s for s in (v, v64, alnum, gh) if s in text)
    _check(f"main {_hex(rnd)} fix\n" + text, [secret])


def test_quiet_cache_does_not_carry_a_header_decision() -> None:
    """The same row under an id header, then under a secret's header, in one redactor: the
    first dismissal (decided by a header the line-repeat cache does not key on) is not
    remembered for the second."""
    r = redactor()
    rnd = random.Random(11)
    values = [_uuid(rnd) for _ in range(6)]
    names = ["db-0", "svc-1", "worker-2", "svc-3", "db-4", "api-5"]

    def table(head: str) -> bytes:
        # Wide rows: the bytes the cache keys a row's window on do not reach the header.
        rows = [f"{'name':<10}{head:<70}AGE"]
        rows += [f"{n:<10}{v:<70}5m" for n, v in zip(names, values, strict=True)]
        return ("\n".join(rows) + "\n").encode()

    assert r.redact_bytes(table("uuid")) == table("uuid")
    for head in ("session_id", "api_key", "token"):
        out = r.redact_bytes(table(head))
        assert out == redactor().redact_bytes(table(head)), head
        assert values[2].encode() not in out, head


@pytest.mark.parametrize("i", range(20))
def test_ref_shaped_rows_under_secret_headers_still_mask(i: int) -> None:
    """A row shaped like a ref listing (``db-5 <40 hex>``) under a header naming a secret."""
    rnd = random.Random(1200 + i)
    values = [_hex(rnd) for _ in range(3)]
    head = SECRET_HEADERS[i]
    sep = [" ", "\t", "  "][i % 3]
    rows = "".join(f"db-{k}{sep}{v}\n" for k, v in enumerate(values))
    _check(f"name{sep}{head}\n{rows}", values)


# ``column_header`` remembers the last walk per column shape and answers the row below from it
# (one step plus the answer above). Rows asked in order, out of order and twice must get the
# answer a fresh walk gives.
_ROW_KINDS = ("uuid", "hex", "name", "blank", "header_id", "header_secret", "short")


def _table_line(kind: str, rnd: random.Random, sep: str) -> str:
    value = {
        "uuid": str(uuid.UUID(int=rnd.getrandbits(128))),
        "hex": f"{rnd.getrandbits(160):040x}",
        "name": "svc",
        "short": "ab",
        "header_id": "request_id",
        "header_secret": "api_key",
    }.get(kind)
    if kind == "blank":
        return ""
    return f"n{rnd.randrange(3)}{sep}{value}"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_ROW_KINDS), st.integers(1, 100)), min_size=1, max_size=6),
    st.integers(0, 2**32),
    st.sampled_from(["\t", " ", "    "]),
    st.booleans(),
)
def test_remembered_walks_answer_as_a_fresh_walk(
    runs: list[tuple[str, int]], seed: int, sep: str, shuffled: bool
) -> None:
    # (runs of one kind: a header over more rows than the walk's bounds reach)
    kinds = [kind for kind, n in runs for _ in range(n)]
    rnd = random.Random(seed)
    data = ("\n".join(_table_line(k, rnd, sep) for k in kinds) + "\n").encode()
    spans = [
        (m.start(), m.end())
        for m in re.finditer(rb"[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-f]{40}|api_key|request_id", data)
    ]
    order = list(spans) + list(spans[: len(spans) // 2])
    if shuffled:
        rnd.shuffle(order)
    id_columns._WALKS.clear()
    remembered = [id_columns.column_header(data, a, b) for a, b in order]
    fresh = []
    for a, b in order:
        id_columns._WALKS.clear()
        fresh.append(id_columns.column_header(data, a, b))
    assert remembered == fresh
