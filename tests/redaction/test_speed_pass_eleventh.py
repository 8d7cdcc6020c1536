"""Eleventh speed pass, 2026-12-06 (issue 18): literal expressions every match of which holds a
byte that most output lacks (``engine._BYTE_GATES``: a backslash, ``#``) scan in a database of
their own, only over data that holds that byte (``engine._take_byte``, ``engine._scans``), their
runs taken in where the one literal database would have reported them (``engine._interleave``).

Hyperscan led ``key: … \\`` (a value continued on the next line) and ``key: # comment`` over a
value by the secret word, not by the byte, and so ran both at each of the 26,000 secret words a
MB of configuration output holds. The rewrite must not change what the first stage finds: what
a gate database holds needs its byte (so no match is skipped where the byte is absent), the
split databases report the same runs in the same order as one database holding them all, and
the redactor's output is the same with the gates on and off, whole and streamed.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.perf.agent_output import CLASSES, corpus
from enforcement_agent.redaction import engine
from enforcement_agent.redaction.hyperscan_db import (
    compiled_blob,
    hyperscan_available,
    load_database,
)
from enforcement_agent.redaction.redactor import Redactor
from tests.redaction.helpers import KEY, rand, streamed

pytestmark = pytest.mark.skipif(not hyperscan_available(), reason="the gates are hyperscan's")

_GATES = engine._BYTE_GATES


@pytest.fixture(scope="module")
def shipped() -> Redactor:
    return Redactor(key=KEY)


@pytest.fixture(scope="module")
def plan(shipped: Redactor) -> dict[str, list[tuple[str, bool, bool, list[int]]]]:
    return dict(engine._scan_plan(shipped.engine.detectors))


def _parts(e: str) -> list[bytes]:
    return [bytes.fromhex(p) for p in e.split(",")]


# -- the plan -----------------------------------------------------------------------------------


def test_each_gate_database_holds_what_needs_its_byte_and_only_that(
    plan: dict[str, list[tuple[str, bool, bool, list[int]]]],
) -> None:
    assert _GATES, "no byte gates the literal database"
    names = [engine._gate_name(b) for b in _GATES]
    assert [n for n in plan if n.startswith("gate-")] == names
    for byte, name in zip(_GATES, names, strict=True):
        assert plan[name], f"nothing needs {bytes([byte])!r}: the gate scans for nothing"
        for e, _, _, _ in plan[name]:
            assert all(engine._needs_byte(p, byte) for p in _parts(e))
        # and nothing that needs the byte is left in the literal database
        for e, _, _, _ in plan["literals"]:
            assert not all(engine._needs_byte(p, byte) for p in _parts(e))


def test_the_gated_expressions_are_the_continuation_and_comment_forms(
    plan: dict[str, list[tuple[str, bool, bool, list[int]]]],
) -> None:
    gated = [
        p for name in plan if name.startswith("gate-") for e, *_ in plan[name] for p in _parts(e)
    ]
    assert any(b"\\\\\\r?\\n" in p for p in gated), "the value continued by a backslash"
    assert any(b":[ \\t]{1,4}\\#" in p for p in gated), "the comment between name and value"


def test_the_plan_is_the_one_database_plan_with_expressions_moved(
    shipped: Redactor, plan: dict[str, list[tuple[str, bool, bool, list[int]]]]
) -> None:
    saved = engine._BYTE_GATES
    engine._BYTE_GATES = b""
    try:
        flat = dict(engine._scan_plan(shipped.engine.detectors))
    finally:
        engine._BYTE_GATES = saved

    def norm(exprs: list[tuple[str, bool, bool, list[int]]]) -> list[tuple[object, ...]]:
        return [(e, p, s, tuple(g)) for e, p, s, g in exprs]

    assert not [n for n in flat if n.startswith("gate-")]
    moved = [x for n in plan if n.startswith("gate-") for x in norm(plan[n])]
    kept = norm(plan["literals"])
    assert sorted(map(repr, kept + moved)) == sorted(map(repr, norm(flat["literals"])))
    # the literal database keeps its order
    assert [x for x in norm(flat["literals"]) if x not in moved] == kept
    for name in ("shapes", "nul"):
        assert norm(plan[name]) == norm(flat[name])


@pytest.mark.parametrize(
    ("database", "data", "scans"),
    [
        ("gate-5c", b"password: abc\\\n  def\n", True),
        ("gate-5c", b"password: abc\n  def\n", False),
        ("gate-23", b"token: # the api token\n  Zx\n", True),
        ("gate-23", b"token: the api token\n", False),
        ("literals", b"", True),
        ("shapes", b"x", True),
        ("nul", b"a\x00b", True),
        ("nul", b"ab", False),
    ],
)
def test_scans_only_where_the_byte_is(database: str, data: bytes, scans: bool) -> None:
    assert engine._scans(database, data) is scans


# -- what a gate skips could not have matched ---------------------------------------------------


def _near_misses(seed: int, with_gate_bytes: bool) -> bytes:
    """Configuration lines, values continued on the next line, comments between a name and its
    value, JSON escapes: with the gate bytes, or with every one of them replaced."""
    rnd = random.Random(seed)
    names = ["password", "DB_PASSWORD", "api_key", "secret", "auth_token", "pwd", "Passwort"]
    lines = []
    for i in range(30):
        n, v = rnd.choice(names), rand(rnd.randint(8, 40), seed=seed * 100 + i)
        lines.append(
            rnd.choice(
                [
                    f"{n}: {v} \\\n    {v[:9]}",
                    f"{n}={v}\\\r\n{v}",
                    f"{n}: # the {n}\n    {v}",
                    f'{n}: "\\u0041\\u0042\\x43\\x44{v}"',
                    f"  {n} = {v}  # note",
                    f"{n}: {v}",
                    f"# {n} rotated\\n{v}",
                ]
            )
        )
    data = "\n".join(lines).encode() + b"\n"
    if not with_gate_bytes:
        for b in _GATES:
            data = data.replace(bytes([b]), b"/")
    return data


def test_a_gated_expression_matches_nothing_without_its_byte(
    plan: dict[str, list[tuple[str, bool, bool, list[int]]]],
) -> None:
    for byte in _GATES:
        exprs = plan[engine._gate_name(byte)]
        blob = compiled_blob(
            [p for e, *_ in exprs for p in _parts(e)],
            prefilter=[pf for e, pf, _, _ in exprs for _ in _parts(e)],
            som=[s for e, _, s, _ in exprs for _ in _parts(e)],
        )
        db = load_database(blob)
        seen: list[int] = []
        texts = [corpus(name, 30_000) for name in CLASSES]
        texts += [_near_misses(seed, False) for seed in range(20)]
        for text in texts:
            text = text.replace(bytes([byte]), b" ")
            db.scan(text, match_event_handler=lambda i, f, t, fl, c, seen=seen: seen.append(t))
        assert not seen
        # and they do match where the byte is (the test reaches them)
        db.scan(
            b"".join(_near_misses(s, True) for s in range(20)),
            match_event_handler=lambda i, f, t, fl, c, seen=seen: seen.append(t),
        )
        assert seen, bytes([byte])


# -- the same runs, in the same order, as one database ------------------------------------------


def _small_plan(
    plan: dict[str, list[tuple[str, bool, bool, list[int]]]],
) -> tuple[list[tuple[str, bool, bool, list[int]]], list[list[tuple[str, bool, bool, list[int]]]]]:
    """Every gated expression and the literal ones that share a global id with one, or are led
    by the same secret words (cheap to compile): (the literal ones, the gate databases')."""
    gated = [plan[engine._gate_name(b)] for b in _GATES]
    gids = {g for exprs in gated for _, _, _, gs in exprs for g in gs}
    led = b"(?i)(?:pass(?:word|wd|phrase)?|pwd|pw|secret|token|"
    kept = [
        x
        for x in plan["literals"]
        if set(x[3]) & gids or bytes.fromhex(x[0].split(",")[0]).startswith(led)
    ]
    return kept, gated


def _db(exprs: list[tuple[str, bool, bool, list[int]]]) -> Any:
    parts = [(k, p, pf, s) for k, (e, pf, s, _) in enumerate(exprs) for p in _parts(e)]
    return load_database(
        compiled_blob(
            [p for _, p, _, _ in parts],
            prefilter=[pf for _, _, pf, _ in parts],
            som=[s for _, _, _, s in parts],
            ids=[k for k, _, _, _ in parts],
        )
    )


class _Split:
    """The small plan compiled both ways: the literal expressions and a database per gate, and
    all of them in one database."""

    def __init__(self, plan: dict[str, list[tuple[str, bool, bool, list[int]]]]) -> None:
        self.kept, self.gated = _small_plan(plan)
        self.whole_exprs = self.kept + [x for exprs in self.gated for x in exprs]
        self.kept_db = _db(self.kept)
        self.gate_dbs = [_db(g) for g in self.gated]
        self.whole_db = _db(self.whole_exprs)

    def __repr__(self) -> str:
        return f"_Split({len(self.kept)} kept, {[len(g) for g in self.gated]} gated)"

    def split(self, data: bytes) -> list[tuple[tuple[int, ...], list[list[int]]]]:
        local: dict[int, list[list[int]]] = {}
        self.kept_db.scan(data, match_event_handler=engine._collect, context=local)
        items = [(tuple(self.kept[pid][3]), runs) for pid, runs in local.items()]
        pending: list[tuple[int, tuple[int, ...], list[list[int]]]] = []
        for byte, db, exprs in zip(_GATES, self.gate_dbs, self.gated, strict=True):
            if not engine._scans(engine._gate_name(byte), data):
                continue
            g: dict[int, list[list[int]]] = {}
            db.scan(data, match_event_handler=engine._collect, context=g)
            pending += [(runs[0][1], tuple(exprs[pid][3]), runs) for pid, runs in g.items()]
        return engine._interleave(items, pending) if pending else items

    def whole(self, data: bytes) -> list[tuple[tuple[int, ...], list[list[int]]]]:
        local: dict[int, list[list[int]]] = {}
        self.whole_db.scan(data, match_event_handler=engine._collect, context=local)
        return [(tuple(self.whole_exprs[pid][3]), runs) for pid, runs in local.items()]


@pytest.fixture(scope="module")
def split_and_whole(plan: dict[str, list[tuple[str, bool, bool, list[int]]]]) -> _Split:
    return _Split(plan)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 100_000), gate_bytes=st.booleans(), mix=st.integers(0, 3))
def test_split_databases_report_what_one_database_reports_in_its_order(
    split_and_whole: _Split, seed: int, gate_bytes: bool, mix: int
) -> None:
    data = _near_misses(seed, gate_bytes)
    if mix:
        data = corpus(list(CLASSES)[seed % len(CLASSES)], 4_000 * mix, seed=seed) + data
    assert split_and_whole.split(data) == split_and_whole.whole(data)


def test_interleave_takes_gated_runs_in_by_their_first_end() -> None:
    items: list[tuple[tuple[int, ...], list[list[int]]]] = [
        ((1,), [[0, 5, 9]]),
        ((2,), [[0, 20, 20]]),
        ((3,), [[0, 40, 41]]),
    ]
    gated: list[tuple[int, tuple[int, ...], list[list[int]]]] = [
        (30, (8,), [[0, 30, 30]]),
        (2, (7,), [[0, 2, 2]]),
        (20, (9,), [[0, 20, 25]]),
    ]
    assert engine._interleave(items, gated) == [
        ((7,), [[0, 2, 2]]),
        ((1,), [[0, 5, 9]]),
        ((2,), [[0, 20, 20]]),
        ((9,), [[0, 20, 25]]),
        ((8,), [[0, 30, 30]]),
        ((3,), [[0, 40, 41]]),
    ]
    assert engine._interleave([], gated)[0] == ((7,), [[0, 2, 2]])


# -- the engine and the redactor ----------------------------------------------------------------


def _always(database: str, data: bytes) -> bool:
    return database != "nul" or b"\x00" in data


def test_first_stage_the_same_with_the_gates_ignored(
    shipped: Redactor, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [corpus(name, 80_000) for name in CLASSES]
    texts += [_near_misses(seed, True) for seed in range(6)]
    texts += [_near_misses(seed, False) for seed in range(6)]
    gated = [list(shipped.engine._prefilter(t).items()) for t in texts]
    monkeypatch.setattr(engine, "_scans", _always)
    assert [list(shipped.engine._prefilter(t).items()) for t in texts] == gated


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 100_000), chunk=st.sampled_from([1, 7, 64, 4093]), gate=st.booleans())
def test_output_the_same_with_the_gates_ignored_whole_and_streamed(
    shipped: Redactor, seed: int, chunk: int, gate: bool
) -> None:
    data = _near_misses(seed, gate)[: 600 if chunk == 1 else None]
    secret = rand(30, seed=seed + 7_000_001)
    planted = f"password: {secret}Zq9 \\\n"
    data = planted.encode() + data
    outs = [shipped.redact_bytes(data), streamed(shipped, data, chunk)]
    saved = engine._scans
    engine._scans = _always
    try:
        # a redactor of its own: no confirmation answered from the shipped one's memory
        ungated = Redactor(key=KEY)
        assert outs == [ungated.redact_bytes(data), streamed(ungated, data, chunk)]
    finally:
        engine._scans = saved
    assert secret.encode() not in outs[0]
