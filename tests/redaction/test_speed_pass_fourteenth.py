"""Fourteenth speed pass, 2026-12-07 (issue 18): the first stage's databases laid out anew.

The table-header expressions (every expression reporting ``Engine._table_id``) scan in a
database of their own, "tables" (``engine._TABLES_APART``), and the literal and shape
expressions in one database (``engine._MERGE_SHAPES``, ``engine._databases``): the same
expressions, less of hyperscan's time on every class. The rewrite must not change what the
first stage hands on: every detector's runs, in the order the former two databases reported
them, and the table header's runs (read as a set of lines). Checked against an engine of the
former layout (both switches off) on every content class, table and configuration shapes and
hypothesis-generated lines, then the redactor's bytes, whole and streamed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.perf.agent_output import CLASSES, corpus, planted
from enforcement_agent.redaction import engine
from enforcement_agent.redaction.hyperscan_db import hyperscan_available
from enforcement_agent.redaction.redactor import Redactor
from tests.redaction.helpers import KEY, github_token, rand, streamed

pytestmark = pytest.mark.skipif(not hyperscan_available(), reason="the layout is hyperscan's")

_Hits = dict[int, list[list[int]]]


@contextmanager
def _former_layout() -> Iterator[None]:
    saved = engine._TABLES_APART, engine._MERGE_SHAPES
    engine._TABLES_APART, engine._MERGE_SHAPES = False, False
    try:
        yield
    finally:
        engine._TABLES_APART, engine._MERGE_SHAPES = saved


@pytest.fixture(scope="module")
def shipped() -> Redactor:
    return Redactor(key=KEY)


@pytest.fixture(scope="module")
def former() -> Redactor:
    with _former_layout():
        return Redactor(key=KEY)


def _same_first_stage(new: _Hits, old: _Hits, table: int) -> None:
    """The same runs per id, the ids in the same order (the table header's id aside: its runs
    are read as a set of lines, wherever it stands)."""
    assert [g for g in new if g != table] == [g for g in old if g != table]
    assert {g: r for g, r in new.items() if g != table} == {
        g: r for g, r in old.items() if g != table
    }
    assert sorted(new.get(table, [])) == sorted(old.get(table, []))


# -- the plan -----------------------------------------------------------------------------------


def _norm(plan: list[tuple[str, list[Any]]]) -> dict[str, list[tuple[Any, ...]]]:
    """The plan by database, each entry a tuple (computed, it holds tuples; read from the disk
    cache, lists)."""
    return {name: [(e, p, s, tuple(g)) for e, p, s, g in exprs] for name, exprs in plan}


def test_the_tables_database_holds_the_table_expressions_and_only_those(
    shipped: Redactor,
) -> None:
    eng = shipped.engine
    plan = _norm(engine._scan_plan(eng.detectors))
    with _former_layout():
        flat = _norm(engine._scan_plan(eng.detectors))
    assert list(plan) == ["tables", "literals", "shapes", "nul"] + [
        engine._gate_name(k) for k in range(len(engine._GATES))
    ]
    table = (eng._table_id,)
    assert plan["tables"] and all(g == table for *_, g in plan["tables"])
    assert not [x for x in plan["literals"] if eng._table_id in x[3]]
    # the former literal database's entries, the table expressions taken out, the order kept
    assert [x for x in flat["literals"] if x[3] != table] == plan["literals"]
    assert [x for x in flat["literals"] if x[3] == table] == plan["tables"]
    assert not flat["tables"]
    for name in ("shapes", "nul", *(n for n in plan if n.startswith("gate-"))):
        assert plan[name] == flat[name]


def test_the_literal_database_holds_the_shapes_after_the_literal_expressions(
    shipped: Redactor,
) -> None:
    plan = [(n, list(map(list, e))) for n, e in engine._scan_plan(shipped.engine.detectors)]
    by_name = dict(plan)
    layout = engine._databases(plan)
    assert [(n, s) for n, _, s in layout] == [
        ("tables", -1),
        ("literals", len(by_name["literals"])),
        ("nul", -1),
        *((engine._gate_name(k), -1) for k in range(len(engine._GATES))),
    ]
    assert layout[1][1] == by_name["literals"] + by_name["shapes"]
    with _former_layout():
        assert engine._databases(plan) == [(n, e, -1) for n, e in plan]
    names = [n for n, _ in shipped.engine.databases()]
    assert names == ["tables", "literals", "nul", *(n for n in names if n.startswith("gate-"))]
    assert [n for n, _ in shipped.engine.databases(b"text\n")] == ["tables", "literals"]


def test_a_detector_subset_without_table_or_literal_expressions_still_scans() -> None:
    # no literal expression of its own: the merged database is the shapes alone (split 0)
    shapes_only = [d for d in engine.ALL if d.name == "discord-bot-token"]
    eng = engine.Engine(shapes_only)
    token = b"M" + b"a" * 25 + b"." + b"b" * 6 + b"." + b"c" * 27
    hits = eng._prefilter(b"x " + token + b" y\n")
    assert 0 in hits


# -- the first stage against the former layout ------------------------------------------------

_TABLES = [
    b"id,name,password,created\n1,alice,Zx8Jq2LmZ9pQ4rT7vW3k,2024-01-01\n",
    b"| user | api_key | team |\n|---|---|---|\n| bob | AKIA7Zq9XmP2LmN4QrS8 | core |\n",
    b"NAME    TOKEN                    AGE\nweb     9Zt2Lq8XmP4vRw7Ns3Kd   4d\n",
    b"api-1  | id;secret;region\napi-1  | 7;Qm3Zx8Lp2Vn9Rt4Wk6Jh;eu\n",
    b"[INFO] token\towner\n[INFO] Zx8Jq2LmZ9pQ4rT7vW3k\tops\n",
    b"2026-12-03T10:00:00Z password  id\n2026-12-03T10:00:01Z hunter2xyzAB  7\n",
    b"name  :  token\nweb   :  9Zt2Lq8XmP4vRw7Ns3Kd\n",
    b"private_key: |\n  MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n  Zx8Jq2LmZ9pQ4rT7vW3k\n",
    b"INSERT INTO creds (token) VALUES\n  ('9Zt2Lq8XmP4vRw7Ns3Kd'),\n",
    b"COPY public.users (id, api_token) FROM stdin;\n1\tZx8Jq2LmZ9pQ4rT7vW3k\n\\.\n",
    b"API_TO\nKEN\n  Zx8Jq2LmZ9pQ4rT7vW3k\n",
    b"\xe2\x94\x82 Passwort \xe2\x94\x82 id \xe2\x94\x82\n\xe2\x94\x82 Zx8Jq2Lm \xe2\x94\x82 1 \xe2\x94\x82\n",
    b"{| class=wikitable\n! user !! password\n|-\n| a || Zx8Jq2LmZ9pQ4rT7vW3k\n|}\n",
    b"password       = var.db_password\napi_key = os.environ['API_KEY']\n",
    b"      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD}\n  NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n",
    b"Secret Acc\xe2\x80\xa6  Region\nZx8Jq2LmZ9  eu-west-1\n",
    b"user/password,host\nalice/Zx8Jq2LmZ9pQ4rT7vW3k,db\n",
    b"token: # the api token\n    Zx8Jq2LmZ9pQ4rT7vW\npassword: abc\\\n  def\n",
]


def _texts() -> list[bytes]:
    texts = [corpus(name, 24_000, seed=3) for name in CLASSES]
    texts += [planted(corpus(name, 24_000, seed=5), every=40)[0] for name in CLASSES]
    return texts + _TABLES + [b"".join(_TABLES), b"", b"\n", b"\x00token\x00"]


def test_first_stage_the_same_as_the_former_layout(shipped: Redactor, former: Redactor) -> None:
    table = shipped.engine._table_id
    assert table == former.engine._table_id
    for text in _texts():
        _same_first_stage(shipped.engine._prefilter(text), former.engine._prefilter(text), table)


_PIECES = [
    b"password",
    b"API_KEY",
    b"token",
    b"Secret",
    b"auth",
    b"author",
    b"values",
    b"Passwort",
    b"jelsz\xc3\xb3",
    b"db_url",
    b"name",
    b"id",
    b"region",
    b",",
    b";",
    b"\t",
    b"|",
    b" | ",
    b"  ",
    b" ",
    b": ",
    b" : ",
    b"=",
    b" = ",
    b'"',
    b"'",
    b"${",
    b"}",
    b"[INFO] ",
    b"out: ",
    b"2026-12-03T10:00:00Z ",
    b"api-1  | ",
    b"\n",
    b"\r\n",
    b"\\\n",
    b": # ",
    b": |\n",
    b"os.environ['",
    b"']",
    b"\xe2\x94\x82",
    b"\xe2\x80\xa6",
    b"/",
    b"Zx8Jq2LmZ9pQ4rT7vW3k",
    b"dGhpcyBpcyBhIGJhc2U2NCB2YWx1ZSBvZiBzb21lIGxlbmd0aA==",
    b"3f2a9c4be17d8a0f5c6e2b1d9a7f4e3c",
    b"ghp_",
    b"AKIA",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pieces=st.lists(st.sampled_from(_PIECES), min_size=1, max_size=60),
    seed=st.integers(0, 10_000),
    lead=st.integers(0, 3),
)
def test_first_stage_the_same_on_generated_lines(
    shipped: Redactor, former: Redactor, pieces: list[bytes], seed: int, lead: int
) -> None:
    text = b"".join(pieces)
    if lead:
        name = list(CLASSES)[seed % len(CLASSES)]
        text = corpus(name, 3_000 * lead, seed=seed) + text
    table = shipped.engine._table_id
    _same_first_stage(shipped.engine._prefilter(text), former.engine._prefilter(text), table)


# -- the redactor's bytes -----------------------------------------------------------------------


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pieces=st.lists(st.sampled_from(_PIECES), min_size=1, max_size=40),
    k=st.integers(0, len(_TABLES) - 1),
    chunk=st.sampled_from([7, 64, 4093]),
)
def test_output_the_same_as_the_former_layout_whole_and_streamed(
    shipped: Redactor, former: Redactor, pieces: list[bytes], k: int, chunk: int
) -> None:
    secret = github_token(k + 40)
    data = _TABLES[k] + b"".join(pieces) + f"\nGITHUB_TOKEN={secret}\n".encode()
    outs = [shipped.redact_bytes(data), streamed(shipped, data, chunk)]
    assert outs == [former.redact_bytes(data), streamed(former, data, chunk)]
    assert secret.encode() not in outs[0]


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_output_the_same_as_the_former_layout_per_class(
    shipped: Redactor, former: Redactor, name: str
) -> None:
    data, secrets = planted(corpus(name, 40_000, seed=9), every=50)
    data += b"id,password\n1," + rand(24, seed=3).encode() + b"\n"
    out = shipped.redact_bytes(data)
    assert out == former.redact_bytes(data)
    assert streamed(shipped, data, 65_536) == streamed(former, data, 65_536)
    assert not [s for s in secrets if s in out]
