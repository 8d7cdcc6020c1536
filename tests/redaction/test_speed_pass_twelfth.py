"""Twelfth speed pass, 2026-12-06 (issue 18): two exact cuts in the engine layer.

1. An open-tailed pattern (a value run ``{15,4095}`` at its end, maybe a one-class lookahead) is
   confirmed by searching from a window's start only as far past the run's last hit as a match
   starting at that hit can end with its run at its minimum (``engine._open_tail_reach``); a
   match that reaches the cut is taken again whole, starts past the last hit are dropped. The
   reach was 256 for every such pattern: the generic token's ``name=value`` form needs 75, and
   its searches over long minified lines tried about 190 starts per window that could not count.
2. A hyperscan database read from the disk cache was loaded twice per process (once to check
   it runs here, then by the engine); the check's load is now handed to the engine
   (``hyperscan_db._SPARES``).

Neither may change what is masked: the same bytes out with the former reach, whole and
streamed, on generated minified code, configuration and the bench classes; the fast path must
be taken (fewer bytes searched; one load per database).
"""

from __future__ import annotations

import dataclasses
import random
import re
import unittest.mock
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.perf.agent_output import corpus, planted
from enforcement_agent.redaction import detectors, engine, hyperscan_db
from enforcement_agent.redaction.detectors import ALL
from enforcement_agent.redaction.hyperscan_db import hyperscan_available
from enforcement_agent.redaction.redactor import Redactor
from tests.redaction.helpers import KEY, rand, streamed

pytestmark = pytest.mark.skipif(
    not hyperscan_available(), reason="the reach and the loads are the hyperscan engine's"
)

_FORMER_REACH = 256


def _capped_width(pattern: bytes) -> int:
    m = engine._OPEN_TAIL.search(pattern)
    assert m is not None
    least = int(m.group(1))
    capped = pattern[: m.start()] + b"]{%d,%d})" % (least, least) + pattern[m.end(2) :]
    return engine._max_width(capped)


def _with_former_reach(r: Redactor) -> Redactor:
    """``r`` with every open-tailed detector's reach set back to 256 (the code before)."""
    e = r.engine
    for pid in range(len(e.detectors)):
        facts = e._detector(pid)
        if facts.reach is not None:
            e._facts[pid] = dataclasses.replace(facts, reach=_FORMER_REACH)
    return r


def _name_value_pid(e: engine.Engine) -> int:
    """The generic token's ``name=value`` / ``name: value`` form (open-tailed)."""
    for pid, d in enumerate(e.detectors):
        if d.name == "generic-token" and b"(?::=|[:=])" in d.pattern:
            assert e._detector(pid).reach is not None
            return pid
    raise AssertionError("no open-tailed generic-token detector")


# -- the reach ---------------------------------------------------------------------------------


def test_each_open_tailed_reach_is_its_narrowest_match_plus_8_and_never_above_the_former() -> None:
    reaches = [(d, engine._open_tail_reach(d)) for d in ALL]
    taken = [(d, r) for d, r in reaches if r is not None]
    assert len(taken) >= 20  # provider, key-name and generic forms
    for d, reach in taken:
        assert reach == _capped_width(d.pattern) + 8 <= _FORMER_REACH, d.name
    # the same patterns as before get a reach (the condition is unchanged)
    for d, r in reaches:
        former = (
            engine._OPEN_TAIL.search(d.pattern) is not None
            and engine._max_width(d.pattern) > _FORMER_REACH
            and _capped_width(d.pattern) + 8 <= _FORMER_REACH
        )
        assert (r is not None) == former, d.name
    e = Redactor(key=KEY).engine
    assert e._detector(_name_value_pid(e)).reach == 75


def _minified(rnd: random.Random, n: int) -> bytes:
    """Long lines of minified code with ``name=value``/``name:value`` pairs, some values
    generated (16-80 characters), some words or short, at every distance from each other."""
    parts: list[str] = []
    for _ in range(n):
        k = rnd.random()
        name = rand(rnd.randint(1, 12), seed=rnd.randrange(10**6), alphabet="abcdefgHIJ_")
        if k < 0.15:
            value = rand(rnd.randint(16, 80), seed=rnd.randrange(10**6))
        elif k < 0.3:
            value = "function" + rand(rnd.randint(8, 30), seed=rnd.randrange(10**6), alphabet="abc")
        else:
            value = rand(rnd.randint(1, 14), seed=rnd.randrange(10**6))
        sep = rnd.choice(["=", ":", " = ", ":=", "=="])
        tail = rnd.choice([",", ";", ")", "}", " ", "&&", "(", ""])
        parts.append(f"{name}{sep}{value}{tail}")
        if rnd.random() < 0.02:
            parts.append("\n")
    return "".join(parts).encode()


@pytest.fixture(scope="module")
def pair() -> tuple[Redactor, Redactor]:
    return Redactor(key=KEY), _with_former_reach(Redactor(key=KEY))


@pytest.mark.parametrize("seed", range(6))
def test_generated_minified_code_comes_out_the_same_as_with_the_former_reach(
    pair: tuple[Redactor, Redactor], seed: int
) -> None:
    new, former = pair
    data = _minified(random.Random(seed), 3_000)
    expected = former.redact_bytes(data)
    assert b"[REDACTED:" in expected  # generated values are masked: the search finds them
    assert new.redact_bytes(data) == expected
    for size in (7, 64, 4093):
        assert streamed(new, data, size) == streamed(former, data, size)


@pytest.mark.parametrize(
    "name", ["minified_js", "config_refs", "git_show", "stack_traces", "lockfile_npm", "prose"]
)
def test_bench_classes_planted_come_out_the_same(
    pair: tuple[Redactor, Redactor], name: str
) -> None:
    new, former = pair
    data, values = planted(corpus(name, 96_000, seed=12))
    out = new.redact_bytes(data)
    assert out == former.redact_bytes(data)
    assert streamed(new, data, 4093) == streamed(former, data, 4093)
    assert not any(v in out for v in values)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    prefix=st.text(alphabet="ab_=:,; ()\n", max_size=300),
    name=st.from_regex(r"[A-Za-z][A-Za-z0-9_.\-]{0,44}", fullmatch=True),
    sep=st.sampled_from(["=", ":", ":=", " = ", "\t:\t", "  =  "]),
    value=st.from_regex(r"[A-Za-z0-9_\-+][A-Za-z0-9_\-+/=]{10,120}", fullmatch=True),
    after=st.text(alphabet="ab=:,;) \n\"'", max_size=200),
    chunk=st.integers(min_value=1, max_value=300),
)
def test_a_pair_anywhere_comes_out_the_same_as_with_the_former_reach(
    pair: tuple[Redactor, Redactor],
    prefix: str,
    name: str,
    sep: str,
    value: str,
    after: str,
    chunk: int,
) -> None:
    new, former = pair
    data = (prefix + name + sep + value + after + name + "=" + value[::-1] + after).encode()
    assert new.redact_bytes(data) == former.redact_bytes(data)
    assert streamed(new, data, chunk) == streamed(former, data, chunk)


class _SearchSpy:
    """A compiled pattern that counts the bytes its ``search`` calls may read."""

    def __init__(self, rx: re.Pattern[bytes]) -> None:
        self.rx = rx
        self.searched = 0
        self.calls = 0

    def search(self, data: bytes, pos: int, endpos: int) -> Any:
        self.calls += 1
        self.searched += max(0, endpos - pos)
        return self.rx.search(data, pos, endpos)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.rx, attr)


def _searched(r: Redactor, pid: int, data: bytes) -> tuple[int, int, bytes]:
    e = r.engine
    facts = e._detector(pid)
    spy = _SearchSpy(facts.rx)
    e._facts[pid] = dataclasses.replace(facts, rx=spy)  # type: ignore[arg-type]
    try:
        out = r.redact_bytes(data)
    finally:
        e._facts[pid] = facts
    return spy.calls, spy.searched, out


def test_the_name_value_search_reads_a_quarter_less_on_minified_code() -> None:
    new, former = Redactor(key=KEY), _with_former_reach(Redactor(key=KEY))
    pid = _name_value_pid(new.engine)
    data = _minified(random.Random(99), 4_000).replace(b"\n", b"")  # one long line
    calls_new, read_new, out_new = _searched(new, pid, data)
    calls_old, read_old, out_old = _searched(former, pid, data)
    assert out_new == out_old
    assert calls_new > 50 and calls_old > 50  # the cut search path is the one taken
    assert read_new * 4 < read_old * 3  # (223,459 against 321,924 bytes when written)


# -- one load per database ---------------------------------------------------------------------


def test_a_redactor_from_the_disk_cache_loads_each_database_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Redactor(key=KEY).find(b"warm")  # the cache on disk holds every database
    loads: list[int] = []
    real = hyperscan_db._hs.loadb

    def counting(blob: bytes, mode: int) -> Any:
        loads.append(len(blob))
        return real(blob, mode)

    monkeypatch.setattr(hyperscan_db._hs, "loadb", counting)
    monkeypatch.setattr(hyperscan_db, "_BLOBS", {})  # as a new process: read from the disk
    monkeypatch.setattr(hyperscan_db, "_SPARES", {})
    r = Redactor(key=KEY)
    token = "ghp_" + rand(36, seed=4)
    assert token.encode() not in r.redact_bytes(f"token {token}\n".encode())
    databases = [blob for _, blob, _ in r.engine._plan if blob is not None]
    assert len(loads) == len(databases) >= 3
    assert sorted(loads) == sorted(map(len, databases))
    assert hyperscan_db._SPARES == {}  # every check's load went to the engine


def test_a_blob_s_second_load_is_a_database_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hyperscan_db, "_SPARES", {})
    blob = hyperscan_db.compiled_blob([rb"ab+c"], prefilter=False)
    checked = hyperscan_db.load_database(blob)
    hyperscan_db._keep_spare(blob, checked)
    first = hyperscan_db.load_database(blob)
    second = hyperscan_db.load_database(blob)
    assert first is checked and second is not checked and second.scratch is not first.scratch
    hits: list[int] = []
    second.scan(b"xxabbbc", match_event_handler=lambda i, s, e, f, c: hits.append(e))
    assert hits == [7]


def test_unclaimed_checks_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hyperscan_db, "_SPARES", {})
    blobs = [
        hyperscan_db.compiled_blob([b"x%dy" % i], prefilter=False)
        for i in range(hyperscan_db._MAX_SPARES + 5)
    ]
    for blob in blobs:
        hyperscan_db._keep_spare(blob, object())
    assert len(hyperscan_db._SPARES) == hyperscan_db._MAX_SPARES
    assert id(blobs[-1]) in hyperscan_db._SPARES and id(blobs[0]) not in hyperscan_db._SPARES


# -- the first-byte search -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "first"),
    [
        (rb"(?:[$#%>+]|\xe2\x9d\xaf)[ \t]{1,2}x", b"#$%+>\xe2"),
        (rb"(?i)ab", b"Aa"),
        (rb"(?i:k)ey|name", b"Kkn"),
        (rb"(?<![A-Za-z])\(\s*'", b"("),
        (rb"^(?:ab|cd)+e", b"ac"),
        (rb"(?>--?)[a-z]", b"-"),
        (rb"[\t:]{2,}", b"\t:"),
        (rb"x?y", None),  # the first byte may be the second item's
        (rb"(?:)x", b"x"),  # (an empty group is no item)
        (rb"(?:a|)b", None),
        (rb"[^a]b", None),
        (rb"\db", None),
        (rb"[A-Za-z]b", None),  # more than a few: left to ``finditer``
        (rb"(a)\1", b"a"),
        (rb"\1", None),
        (rb"(?L)(?i)ab", None),  # case folded by the locale
    ],
)
def test_first_bytes_of_a_pattern(pattern: bytes, first: bytes | None) -> None:
    assert engine._first_bytes(pattern) == first


def test_every_detector_s_matches_start_with_its_first_bytes() -> None:
    """Soundness on real text: every match of each detector with first bytes starts with one
    (the bench classes, planted, and generated prompt and code lines)."""
    texts = [planted(corpus(name, 40_000, seed=5))[0] for name in ("git_show", "pytest", "prose")]
    texts.append(_minified(random.Random(5), 2_000))
    texts.append(_prompts(random.Random(5), 300))
    checked = 0
    for d in ALL:
        first = engine._first_bytes(d.pattern)
        if first is None:
            continue
        rx = d.compiled()
        for text in texts:
            for m in rx.finditer(text):
                assert text[m.start()] in first, (d.name, m.group(0)[:40])
                checked += 1
    assert checked > 100


def _prompts(rnd: random.Random, n: int) -> bytes:
    """``git show``/terminal-like lines: diff lines led by ``+ ``/``- ``, prompts with commands
    naming secrets, tokens on the next line, comments and quotes."""
    lines: list[str] = []
    for _ in range(n):
        k = rnd.random()
        token = rand(rnd.randint(16, 60), seed=rnd.randrange(10**6))
        if k < 0.3:
            lines.append("+ " + " ".join(rand(5, seed=rnd.randrange(10**6)) for _ in range(6)))
        elif k < 0.45:
            prompt = rnd.choice(["$", "#", "%", ">", "+", "\u276f"])
            word = rnd.choice(["password", "token", "secret", "api-key", "cred", "name"])
            lines.append(f"{prompt} vault kv get -field={word} secret/app")
            lines.append(token if rnd.random() < 0.7 else token + " more words")
            if rnd.random() < 0.5:
                lines.append(rnd.choice(["$ ", "user@host:~$ ", ""]))
        elif k < 0.6:
            lines.append(f"+    {rnd.choice(['key', 'token', 'pw'])}('{token}')")
        elif k < 0.75:
            lines.append(f"- # {rnd.choice(['password', 'note'])}: {token}")
        else:
            lines.append(" ".join(rand(7, seed=rnd.randrange(10**6)) for _ in range(8)))
    return ("\n".join(lines) + "\n").encode()


def _without_first_bytes(r: Redactor) -> Redactor:
    e = r.engine
    for pid in range(len(e.detectors)):
        facts = e._detector(pid)
        if facts.starts is not None:
            e._facts[pid] = dataclasses.replace(facts, starts=None)
    return r


@pytest.fixture(scope="module")
def first_pair() -> tuple[Redactor, Redactor]:
    return Redactor(key=KEY), _without_first_bytes(Redactor(key=KEY))


@pytest.mark.parametrize("seed", range(2))
def test_prompts_and_diffs_come_out_the_same_without_the_first_byte_search(
    first_pair: tuple[Redactor, Redactor], seed: int
) -> None:
    new, former = first_pair
    data = _prompts(random.Random(seed), 800)
    expected = former.redact_bytes(data)
    assert b"[REDACTED:" in expected
    assert new.redact_bytes(data) == expected
    # (small chunks on a short part: a stream of prompt output in 7-byte chunks reads its held
    # lines again with each one, 45 s for all of it; the hypothesis test below goes to 1 byte)
    assert streamed(new, data[:3_000], 7) == streamed(former, data[:3_000], 7)
    for size in (512, 4093):
        assert streamed(new, data, size) == streamed(former, data, size)


@pytest.mark.parametrize(
    "name", ["git_show", "pytest", "ansi_terminal", "base64_json", "uuid_request_logs", "npm"]
)
def test_bench_classes_come_out_the_same_without_the_first_byte_search(
    first_pair: tuple[Redactor, Redactor], name: str
) -> None:
    new, former = first_pair
    data, values = planted(corpus(name, 96_000, seed=13))
    out = new.redact_bytes(data)
    assert out == former.redact_bytes(data)
    assert streamed(new, data, 4093) == streamed(former, data, 4093)
    assert not any(v in out for v in values)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(min_value=0, max_value=10**6),
    lines=st.integers(min_value=1, max_value=40),
    chunk=st.integers(min_value=1, max_value=500),
)
def test_generated_prompts_streamed_anyhow_come_out_the_same(
    first_pair: tuple[Redactor, Redactor], seed: int, lines: int, chunk: int
) -> None:
    new, former = first_pair
    data = _prompts(random.Random(seed), lines)
    assert new.redact_bytes(data) == former.redact_bytes(data)
    assert streamed(new, data, chunk) == streamed(former, data, chunk)


def test_the_prompt_form_tries_only_its_first_bytes_up_to_the_last_hit() -> None:
    """The fast path is taken: the prompt forms' windows are searched for their first bytes,
    and the pattern is matched only there (not at each place of a 4.7 KB window)."""
    r = Redactor(key=KEY)
    e = r.engine
    pids = [pid for pid, d in enumerate(e.detectors) if e._detector(pid).starts is not None]
    prompt = [pid for pid in pids if engine._first_bytes(e.detectors[pid].pattern) == b"#$%+>\xe2"]
    assert prompt
    data = _prompts(random.Random(3), 600)
    tried: list[int] = []
    for pid in prompt:
        facts = e._detector(pid)
        spy = _MatchSpy(facts.rx, tried)
        e._facts[pid] = dataclasses.replace(facts, rx=spy)  # type: ignore[arg-type]
    out = r.redact_bytes(data)
    assert out == _without_first_bytes(Redactor(key=KEY)).redact_bytes(data)
    assert tried and all(data[p] in b"#$%+>\xe2" for p in tried)


class _MatchSpy:
    """A compiled pattern that records where ``match`` is tried (``finditer`` is not allowed)."""

    def __init__(self, rx: re.Pattern[bytes], tried: list[int]) -> None:
        self.rx = rx
        self.tried = tried

    def match(self, data: bytes, pos: int, endpos: int) -> Any:
        self.tried.append(pos)
        return self.rx.match(data, pos, endpos)

    def finditer(self, *_args: Any) -> Any:
        raise AssertionError("the whole-window search was used")

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.rx, attr)


# -- a cookie line's start on a line longer than 4 KiB -------------------------------------------


def _cookie_line_before(text: bytes, start: int) -> bool:
    """``detectors._not_in_cookie_line`` as it was: the line's start 4 KiB back at most, or the
    text's start when no line ends in those 4 KiB."""
    line_start = text.rfind(b"\n", max(0, start - 4096), start) + 1
    return detectors._COOKIE_LINE.search(text, line_start, start) is None


_COOKIE_PIECES = [
    b"a", b"b", b" ", b"\t", b"-", b"-b", b" -b ", b" -B  '", b"cookie", b"COOKIE", b"set-",
    b"Set-Cookie:", b" cookie =", b"--cookie ", b"--COOKIE=", b"'", b'"', b">", b":", b"=",
    b"\n", b";x=" + b"A1b2" * 5,
]  # fmt: skip


@settings(max_examples=50, deadline=None)
@given(
    head=st.lists(st.sampled_from(_COOKIE_PIECES), max_size=300),
    pad=st.sampled_from([0, 4090, 4097, 9000]),
    tail=st.lists(st.sampled_from(_COOKIE_PIECES), max_size=60),
    starts=st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=8),
)
def test_the_cookie_line_answer_is_the_former_one(
    head: list[bytes], pad: int, tail: list[bytes], starts: list[float]
) -> None:
    text = b"".join(head) + b"y" * pad + b"".join(tail)
    detectors._COOKIE_LEAST.clear()
    for f in starts:
        start = int(f * len(text))
        assert detectors._not_in_cookie_line(text, start, start) == _cookie_line_before(text, start)


def test_the_cookie_line_pattern_reads_nothing_past_a_match() -> None:
    """The cached answer stands on the search's answer growing with its end: no lookahead, end
    anchor or word boundary in the pattern; every match holds a word the scan looks for."""
    pattern = detectors._COOKIE_LINE.pattern
    assert not any(t in pattern for t in (b"(?=", b"(?!", b"$", b"\\Z", b"\\b", b"\\B"))
    for text in (b"x cookie: a", b"--cookie v", b" -b 'a", b"\tSET-COOKIE =", b'-B\t"x'):
        m = detectors._COOKIE_LINE.search(text)
        assert m is not None
        assert b"cookie" in m.group().lower() or b"-b" in m.group().lower()


def test_a_long_minified_line_searches_its_start_once() -> None:
    """The fast path is taken: one search from the text's start per buffer, not one per hit."""
    line = b";".join(b"v%d=" % i + rand(24, seed=i).encode() for i in range(4000))
    text = b"var a=1 cookie: x=1;\n" + line + b"\n"
    calls: list[int] = []
    real = detectors._cookie_line_least_end

    def counting(t: bytes) -> int:
        calls.append(len(t))
        return real(t)

    detectors._COOKIE_LEAST.clear()
    hits = [m.start("s") for m in re.finditer(rb";v[0-9]+=(?P<s>[A-Za-z0-9]{24})", text)]
    assert len(hits) > 3000
    with unittest.mock.patch.object(detectors, "_cookie_line_least_end", counting):
        answers = [detectors._not_in_cookie_line(text, s, s + 24) for s in hits]
    assert answers == [_cookie_line_before(text, s) for s in hits]
    assert len(calls) == sum(1 for s in hits if s > 4096 + 21)
    detectors._COOKIE_LEAST.clear()
    for s in hits[-50:]:
        detectors._not_in_cookie_line(text, s, s + 24)
    assert len(detectors._COOKIE_LEAST) == 1  # one text, one answer kept
