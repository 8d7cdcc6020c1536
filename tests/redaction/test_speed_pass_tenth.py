"""Tenth speed pass, 2026-12-06 (speed19): exact rewrites of the colour-code path and of the
confirmation windows; no output may change.

- ``ansi.strip_colours`` strips as ``strip`` does and says when only colour codes (CSI codes
  that are no cursor move) were removed: then the text holds no OSC/DCS string and no cursor
  move, so the engine skips its search for a string (``ANSI_STRING``) and the cursor-move
  checks of each mapped line (``line_offsets(..., moves=False)``).
- ``engine._AnsiMap`` finds the start of a line of the text with codes from the last line it
  found (a C count, then steps), positions mapped in order, instead of a table of every line
  start built for each buffer; the table only where lines are asked for out of order past a
  budget.
- ``engine._windows`` and the quiet cache's key in ``_confirm``'s window loop are written out
  (no starred assignment, no ``min``/``max`` call, no method call per window).

Checked against the general paths and the tables they replace (hypothesis), by effect (no
search for a string and no table for colour-only text; both still happen where they must), and
the redactor's output with the new paths forced off, whole and streamed.
"""

from __future__ import annotations

import bisect
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.redaction import ansi, engine
from tests.redaction.helpers import redactor, streamed
from tests.redaction.test_speed_pass_fifth import _FAST_CODES, _OTHER_CODES, _SECRETS, _mix

_MOVES = ("\x1b[5C", "\x1b[200C", "\x1b[3D", "\x1b[40G", "\xc2\x9b1m", "\\u001b[32m")


def _coloured(rnd: random.Random, n: int, *, moves: bool) -> bytes:
    codes = _FAST_CODES + (_OTHER_CODES + _MOVES if moves else ())
    words = ("token", "id", "abc", " ", "  ", "=", ":", "x" * 30, "é", "|")
    lines = []
    for _ in range(n):
        lines.append("".join(rnd.choice(codes + words) for _ in range(rnd.randrange(10))))
    return "\n".join(lines).encode("utf-8", "surrogateescape")


def _mapped_by_table(data: bytes, plain: bytes, pos: int) -> int:
    """What ``_AnsiMap`` answered before this pass: line starts from tables of every line."""
    raw_lines, plain_lines = engine._line_starts(data), engine._line_starts(plain)
    k = bisect.bisect_right(plain_lines, pos) - 1
    line = ansi.line_offsets(data[raw_lines[k] : raw_lines[k + 1] - 1])
    return raw_lines[k] + ansi.raw_offset(line, pos - plain_lines[k])


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    n=st.integers(1, 40),
    moves=st.booleans(),
    walk=st.sampled_from([0, 1, 3, 2048]),
    ordered=st.booleans(),
)
def test_ansi_map_answers_as_the_tables_did(
    seed: int, n: int, moves: bool, walk: int, ordered: bool
) -> None:
    rnd = random.Random(seed)
    data = _coloured(rnd, n, moves=moves)
    plain, colours_only = ansi.strip_colours(data)
    if not plain:
        return
    amap = engine._AnsiMap(data, plain, moves=not colours_only)
    amap._WALK = walk  # type: ignore[misc]
    positions = [rnd.randrange(len(plain)) for _ in range(rnd.randrange(1, 30))]
    if ordered:
        positions.sort()
    for pos in positions:
        assert amap(pos) == _mapped_by_table(data, plain, pos)


def test_ansi_map_builds_no_table_for_positions_in_order() -> None:
    # Effect of the pass: before it, every map built the table of every line start of the text
    # with codes (a coloured MB: 2-4 ms), whatever it was asked.
    data = b"".join(b"\x1b[32mline %d\x1b[0m \x1b[1mtoken\x1b[0m ok\n" % i for i in range(2000))
    plain = ansi.strip(data)
    amap = engine._AnsiMap(data, plain, moves=False)
    for pos in range(5, len(plain), 997):
        assert amap(pos) == _mapped_by_table(data, plain, pos)
    assert amap.raw_lines is None
    # Asked out of order, it starts again from the first line; past its budget of steps, the
    # table after all (and the same answers).
    amap._WALK = 10  # type: ignore[misc]
    assert amap(7) == _mapped_by_table(data, plain, 7)
    assert amap(len(plain) - 3) == _mapped_by_table(data, plain, len(plain) - 3)
    assert amap.raw_lines is not None


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 100_000), n=st.integers(1, 60), moves=st.booleans())
def test_strip_colours_strips_as_strip_and_its_flag_is_true(seed: int, n: int, moves: bool) -> None:
    data = _coloured(random.Random(seed), n, moves=moves)
    plain, colours_only = ansi.strip_colours(data)
    assert plain == ansi.strip(data) == ansi._strip_general(data)
    if colours_only:
        # What the engine no longer looks for: an OSC/DCS string, a cursor move on any line.
        assert ansi.ANSI_STRING.search(data) is None
        assert not any(ansi.has_forward(line) for line in data.split(b"\n"))
        assert all(
            ansi.line_offsets(line, moves=False) == ansi.line_offsets(line)
            for line in data.split(b"\n")
        )


def test_strip_colours_flag() -> None:
    assert ansi.strip_colours(b"\x1b[1;31mred\x1b[0m\n") == (b"red\n", True)
    for other in ("\x1b]0;title\x07", "\x1b[5C", "\xc2\x9b1m", "\\u001b[32m", "\x1b(B", "\x1b"):
        data = f"a{other}b\x1b[0m\n".encode()
        plain, colours_only = ansi.strip_colours(data)
        assert plain == ansi._strip_general(data)
        assert colours_only is False


class _Spy:
    def __init__(self, rx: object) -> None:
        self.rx = rx
        self.calls = 0

    def search(self, *args: object) -> object:
        self.calls += 1
        return self.rx.search(*args)  # type: ignore[attr-defined]


def test_colour_only_text_is_not_searched_for_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    v = "9Zt2" + "Qx7" * 10
    coloured = f"\x1b[32mok\x1b[0m\n\x1b[1mpassword\x1b[0m: {v}\n".encode()
    titled = b"\x1b]0;build\x07" + coloured
    expected = {
        data: (redactor().redact_bytes(data), streamed(redactor(), data, 7))
        for data in (coloured, titled)
    }
    spy = _Spy(engine.ANSI_STRING)
    monkeypatch.setattr(engine, "ANSI_STRING", spy)
    r = redactor()
    assert r.redact_bytes(coloured) == expected[coloured][0]
    assert v.encode() not in expected[coloured][0]
    assert spy.calls == 0  # before this pass: one search per scan of coloured text
    assert r.redact_bytes(titled) == expected[titled][0]
    assert spy.calls > 0  # an OSC title: searched, and scanned with its codes in place too
    assert streamed(r, titled, 7) == expected[titled][1]


def _old_windows(
    runs: list[list[int]], width: int, tail: int, data: bytes, line_bound: bool
) -> list[tuple[int, int, int]]:
    """``engine._windows`` before this pass."""
    out: list[tuple[int, int, int]] = []
    size = len(data)
    for start, first, last, *_ in sorted(runs):
        lo = start if width < 0 else max(0, first - width)
        hi = min(size, last + tail)
        if line_bound and width >= 0:
            lo = max(lo, data.rfind(b"\n", lo, first) - engine._SLACK)
        if line_bound:
            nl = data.find(b"\n", last, hi)
            if nl >= 0:
                hi = nl + 1
        if out and lo <= out[-1][2] + engine._SLACK:
            out[-1] = (out[-1][0], max(out[-1][1], hi), max(out[-1][2], last))
        else:
            out.append((lo, hi, last))
    return out


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 100_000))
def test_windows_as_before(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(40):
        data = bytes(rnd.choice(b"ab\n ") for _ in range(rnd.randint(0, 400)))
        runs = []
        for _ in range(rnd.randint(0, 8)):
            a = rnd.randint(0, 450)
            b = a + rnd.randint(0, 40)
            c = b + rnd.randint(0, 80)
            runs.append([a, b, c, *(rnd.randint(0, 400) for _ in range(rnd.randint(0, 2)))])
        width = rnd.choice([-1, 0, 5, 64, 300])
        tail = rnd.choice([0, 10, 64, 500])
        bound = rnd.random() < 0.5
        assert engine._windows(runs, width, tail, data, bound) == _old_windows(
            runs, width, tail, data, bound
        )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000), n=st.integers(5, 60))
def test_redactor_same_bytes_with_the_new_paths_off(
    seed: int, n: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _mix(random.Random(seed), n, _SECRETS).encode("utf-8", "surrogateescape")

    def outputs() -> list[bytes]:
        r = redactor()
        return [
            r.redact_bytes(data),
            *(streamed(r, data, k) for k in (1, 64, 4093)),
            r.redact_bytes(data),
        ]

    fast = outputs()
    with monkeypatch.context() as m:
        # Never "colour codes only", and no steps over lines: the table of every line start
        # wherever the count alone does not land on the line.
        m.setattr(engine, "strip_colours", lambda d: (ansi.strip(d), False))
        m.setattr(engine._AnsiMap, "_WALK", 0)
        engine.clear_memos()
        slow = outputs()
    engine.clear_memos()
    assert fast == slow
