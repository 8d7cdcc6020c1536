"""Speed pass, 2026-12-06 (issue 18): expressions led by a long word list scan as one
expression per word (``prefilters.leading_alternatives``, ``engine._split_words``), and those
every match of which holds a NUL byte scan only over data that holds one (``engine._take_nul``).

Hyperscan compiled the other-language key names (264 words before ``[ \\t]{0,4}[:=]``) into one
automaton started from the suffix's frequent bytes: 2.2 ms per MB of every class with no match.
One expression per word, all under the expression's id, is led by the word's own literal. The
rewrite must report the same ends (exact mode: proven by construction, checked here by
hypothesis against hyperscan itself), the engine's first stage must find the same runs with
and without it, and the redactor's output must not change, whole and streamed, with secrets
planted at chunk edges.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.perf.agent_output import CLASSES, corpus
from enforcement_agent.redaction import engine
from enforcement_agent.redaction.hyperscan_db import compiled_blob, load_database
from enforcement_agent.redaction.prefilters import leading_alternatives, leading_literal
from enforcement_agent.redaction.redactor import Redactor
from tests.redaction.helpers import KEY, rand, streamed

# -- the rewrite itself -------------------------------------------------------------------------

_WORDS = [f"w{c}rd{i}" for i, c in enumerate("abcdefghijklmnopqrstuvwxyzabcdefgh")]


def test_leading_group_split_with_its_suffix_and_flags() -> None:
    expr = b"(?i)(?:" + b"|".join(w.encode() for w in _WORDS) + b")[ \\t]{0,4}[:=]"
    parts = leading_alternatives(expr)
    assert parts is not None and len(parts) == len(_WORDS)
    assert parts[0] == b"(?i)wa" + b"rd0[ \\t]{0,4}[:=]"
    assert all(p.startswith(b"(?i)") and p.endswith(b"[ \\t]{0,4}[:=]") for p in parts)


def test_top_level_alternation_split() -> None:
    expr = b"|".join(w.encode() + b"=x" for w in _WORDS)
    assert leading_alternatives(expr) == tuple(w.encode() + b"=x" for w in _WORDS)


@pytest.mark.parametrize(
    "expr",
    [
        # too few words
        b"(?:" + b"|".join(w.encode() for w in _WORDS[:31]) + b")=",
        # the group is optional or repeated: the suffix alone (or several words) also match
        b"(?:" + b"|".join(w.encode() for w in _WORDS) + b")?=",
        b"(?:" + b"|".join(w.encode() for w in _WORDS) + b"){1,3}=",
        # one word starts with fewer than three fixed bytes
        b"(?:" + b"|".join(w.encode() for w in [*_WORDS, "pw"]) + b")=",
        b"(?:" + b"|".join(w.encode() for w in [*_WORDS, "[ab]cd"]) + b")=",
        # not led by an alternation
        b"x(?:" + b"|".join(w.encode() for w in _WORDS) + b")=",
        b"[a-z]+=",
    ],
)
def test_not_split(expr: bytes) -> None:
    assert leading_alternatives(expr) is None


@pytest.mark.parametrize(
    ("alternative", "n"),
    [
        (b"password", 8),
        (b"pass(?:word)?", 4),
        (b"words?", 4),
        (b"mot[ _]de", 3),
        (b"\\\\u043f\\\\u0430", 12),
        (b"\\x41bc", 3),
        (b"\\.net", 4),
        (b"\\d{4}", 0),
        (b"^abc", 0),
        (b"[ab]cd", 0),
    ],
)
def test_leading_literal(alternative: bytes, n: int) -> None:
    assert leading_literal(alternative) == n


def _ends(patterns: list[bytes], data: bytes, *, prefilter: bool = False) -> list[tuple[int, int]]:
    db = load_database(compiled_blob(patterns, prefilter=prefilter, ids=[0] * len(patterns)))
    out: set[tuple[int, int]] = set()

    def on(pid: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
        out.add((pid, end))

    db.scan(data, match_event_handler=on)
    return sorted(out)


_word = st.text(alphabet="abcdefgHIJKLM_", min_size=3, max_size=9)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    words=st.lists(_word, min_size=32, max_size=40, unique=True),
    suffix=st.sampled_from(
        [
            b"[ \\t]{0,4}[:=]",
            b"(?:[ \\t]{5,32}[:=][ \\t]{0,32}|[ \\t]{0,4}[:=])",
            b"s?\\n[ ]{2}\\w",
            b"",
        ]
    ),
    caseless=st.booleans(),
    pieces=st.lists(
        st.tuples(
            st.integers(0, 39), st.sampled_from(["", " ", "  :", "=", ":\n  x", "\t\t= ", "s\n  y"])
        ),
        max_size=12,
    ),
    noise=st.text(alphabet="abcHIJ_ =:\n\t", max_size=30),
)
def test_parts_report_the_same_ends_as_the_whole(
    words: list[str], suffix: bytes, caseless: bool, pieces: list[tuple[int, str]], noise: str
) -> None:
    flags = b"(?i)" if caseless else b""
    expr = flags + b"(?:" + b"|".join(w.encode() for w in words) + b")" + suffix
    parts = leading_alternatives(expr)
    assert parts is not None
    text = noise + "".join(
        (words[i % len(words)].swapcase() if caseless and i % 3 == 0 else words[i % len(words)])
        + sep
        + noise[: i % 7]
        for i, sep in pieces
    )
    data = text.encode()
    assert _ends(list(parts), data) == _ends([expr], data)


# -- the engine's plan and first stage ----------------------------------------------------------


@pytest.fixture(scope="module")
def pair() -> tuple[Redactor, Redactor]:
    """The redactor as it is, and one whose plan is the one before this pass (every expression
    whole, no NUL gate)."""
    split = Redactor(key=KEY)
    saved = engine._SPLIT_WORDS, engine._NUL_GATE
    engine._SPLIT_WORDS, engine._NUL_GATE = None, False
    try:
        whole = Redactor(key=KEY)
    finally:
        engine._SPLIT_WORDS, engine._NUL_GATE = saved
    return split, whole


def test_the_plan_splits_the_word_lists(pair: tuple[Redactor, Redactor]) -> None:
    split, _ = pair
    plan = engine._scan_plan(split.engine.detectors)
    lists = [e for _, exprs in plan for e, _, som, _ in exprs if "," in e and not som]
    counts = sorted(len(e.split(",")) for e in lists)
    # the other-language key names (exact and prefilter forms) and the foreign table headers
    assert sum(1 for c in counts if c >= 200) >= 2, counts
    assert any(32 <= c < 200 for c in counts), counts
    engine._SPLIT_WORDS, saved = None, engine._SPLIT_WORDS
    try:
        flat = engine._scan_plan(split.engine.detectors)
    finally:
        engine._SPLIT_WORDS = saved
    assert [len(exprs) for _, exprs in plan] == [len(exprs) for _, exprs in flat]
    # every split entry is its whole entry's alternatives, nothing else changed
    for (name, exprs), (name0, exprs0) in zip(plan, flat, strict=True):
        assert name == name0
        for (e, p, som, g), (e0, p0, som0, g0) in zip(exprs, exprs0, strict=True):
            assert (p, som, g) == (p0, som0, g0)
            if e != e0:
                assert not som
                assert "," not in e0
                parts = leading_alternatives(bytes.fromhex(e0))
                assert parts is not None
                assert e == ",".join(x.hex() for x in parts)


def _foreign_lines(seed: int) -> list[str]:
    rnd = random.Random(seed)
    names = ["Passwort", "senha", "contraseña", "пароль", "wachtwoord", "密码", "salasana", "hasło"]
    seps = [": ", " = ", "=", ":\t", "      : ", ":\n    "]
    out = []
    for i in range(40):
        v = rand(28, seed=seed * 100 + i) + "Q7z"
        out.append(f"{rnd.choice(names)}{rnd.choice(seps)}{v}")
        out.append(
            rnd.choice(["ok", "Passwort vergessen?", "senha: ${SENHA}", "x = 1", "Kennwort:"])
        )
    return out


def test_first_stage_finds_the_same_runs_on_every_class(pair: tuple[Redactor, Redactor]) -> None:
    split, whole = pair
    for name in CLASSES:
        data = corpus(name, 120_000)
        assert split.engine._prefilter(data) == whole.engine._prefilter(data), name
    for seed in range(4):
        data = "\n".join(_foreign_lines(seed)).encode()
        assert split.engine._prefilter(data) == whole.engine._prefilter(data)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), chunk=st.integers(1, 300), cut=st.integers(0, 40))
def test_output_unchanged_whole_and_streamed_with_secrets_at_chunk_edges(
    pair: tuple[Redactor, Redactor], seed: int, chunk: int, cut: int
) -> None:
    split, whole = pair
    lines = _foreign_lines(seed)[: 6 + seed % 10]
    data = "\n".join(lines).encode() + b"\n"
    # a planted key name placed so that a chunk edge falls inside it or right after it
    at = data.find(b"\n", min(len(data) - 1, cut * 7)) + 1
    planted = "Passwort: " + rand(30, seed=seed) + "Zq9\n"
    data = data[:at] + planted.encode() + data[at:]
    size = at + 3 + cut % 9 if chunk % 2 else chunk
    outs = [split.redact_bytes(data), streamed(split, data, size)]
    assert outs == [whole.redact_bytes(data), streamed(whole, data, size)]
    for o in outs:
        assert planted.split(": ")[1].strip().encode() not in o


# -- the NUL gate -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        (b"a\\x00b", True),
        (b"(?i)(?:pass|pwd)[0-9]{0,3}\\x00[^\\x00]", True),
        (b"(?:x\\x00|\\x00y)", True),
        (b"(?:\\x00z){1,3}", True),
        (b"(?:^|\\x00)name", False),
        (b"(?:\\x00z)?name", False),
        (b"[\\x00]name", True),  # a class of one byte is that byte
        (b"[\\x00a]name", False),
        (b"name\\n", False),
    ],
)
def test_needs_nul(pattern: bytes, needs: bool) -> None:
    assert engine._needs_byte(pattern, 0) is needs


def test_the_nul_database_holds_only_what_needs_a_nul() -> None:
    plan = dict(engine._scan_plan(Redactor(key=KEY).engine.detectors))
    assert plan["nul"], "the NUL-record expressions moved"
    for e, _, som, _ in plan["nul"]:
        assert not som
        for part in e.split(","):
            assert engine._needs_byte(bytes.fromhex(part), 0)
    for name in ("literals", "shapes"):
        for e, _, _, _ in plan[name]:
            for part in e.split(","):
                assert not engine._needs_byte(bytes.fromhex(part), 0)


def _nul_records(seed: int) -> tuple[bytes, list[bytes]]:
    """``env -0``-style name and value records (``password\\0<key>\\0``) and git ``config
    -z``'s (``user.password\\n<key>\\0``), with ordinary ones between: the data and the keys."""
    rnd = random.Random(seed)
    recs: list[str] = []
    keys: list[bytes] = []
    for i in range(30):
        kind = rnd.randrange(4)
        value = rand(26, seed=seed * 50 + i) + "Q8z"
        if kind == 0:
            recs += [rnd.choice(["password", "DB_PASSWORD", "api_token", "secret"]), value]
            keys.append(value.encode())
        elif kind == 1:
            recs.append(f"{rnd.choice(['user.password', 'credential.token'])}\n{value}")
            keys.append(value.encode())
        elif kind == 2:
            recs += ["PATH", f"/usr/bin:/bin{i}"]
        else:
            recs += ["HOME", f"/home/u{i}"]
    return "\0".join(recs).encode() + b"\0", keys


@pytest.mark.parametrize("seed", range(6))
def test_nul_records_masked_as_before_whole_and_streamed(
    pair: tuple[Redactor, Redactor], seed: int
) -> None:
    split, whole = pair
    data, keys = _nul_records(seed)
    assert keys
    assert split.engine._prefilter(data).keys() == whole.engine._prefilter(data).keys()
    for size in (1, 7, 64, 4093):
        out = streamed(split, data, size)
        assert out == streamed(whole, data, size)
        for key in keys:
            assert key not in out
    out = split.redact_bytes(data)
    assert out == whole.redact_bytes(data)
    for key in keys:
        assert key not in out


def test_nul_gate_skips_text_without_nul(pair: tuple[Redactor, Redactor]) -> None:
    split, _ = pair
    names = [name for name, _, _ in split.engine._plan]
    assert "nul" in names
    scanned: list[str] = []
    dbs = split.engine._dbs()

    class Spy:
        def __init__(self, name: str, db: object) -> None:
            self.name, self.db = name, db

        def scan(self, data: bytes, **kw: object) -> None:
            scanned.append(self.name)
            self.db.scan(data, **kw)  # type: ignore[attr-defined]

    split.engine._local.dbs = [
        Spy(n, d) if d is not None else None for n, d in zip(names, dbs, strict=True)
    ]
    try:
        split.engine._prefilter(b"password=x\nplain text\n")
        assert "nul" not in scanned and "literals" in scanned
        scanned.clear()
        split.engine._prefilter(b"password=x\0token=y\0")
        assert "nul" in scanned
    finally:
        split.engine._local.dbs = dbs
