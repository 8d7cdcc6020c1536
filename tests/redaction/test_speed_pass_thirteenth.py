"""Thirteenth speed pass: the per-expression cost list of ``bench_redaction_floor``.

The pass changed no redactor code (docs/redaction.md, "Thirteenth speed pass"); what it adds is
the measure that chose where to look: each entry of the scan plan compiled alone and scanned
over each class. These tests check what that list says, not how fast anything is.
"""

from __future__ import annotations

import json
import os
import random
import re
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.perf import bench_redaction_floor as floor
from enforcement_agent.redaction import detectors as D
from enforcement_agent.redaction import engine as E
from enforcement_agent.redaction import tables as tables_module
from enforcement_agent.redaction.engine import _scan_plan


@pytest.fixture(scope="module")
def engine() -> floor.Engine:
    redactor = floor.Redactor(key=floor.KEY)
    assert redactor.engine.uses_hyperscan  # a dependency of the project, never skipped
    return redactor.engine


def _cache_files() -> set[str]:
    directory = Path(os.environ.get("GONOGO_CACHE_DIR", Path.home() / ".cache" / "gonogo"))
    return {p.name for p in directory.iterdir()} if directory.is_dir() else set()


def test_every_shape_is_listed_once_with_its_detectors_and_costliest_first(
    engine: floor.Engine,
) -> None:
    plan = dict(_scan_plan(engine.detectors))
    # hex of printable text and words: the hex decode candidate's shape is all over the first
    hexed = b"".join(b"%s %s\n" % (b"id", b"4142434445464748494a4b4c4d4e4f50") for _ in range(500))
    datas = {"hexed": hexed, "words": b"the quick brown fox jumps\n" * 500}
    before = _cache_files()
    rows = floor.expression_costs(engine, datas, 1, "shapes", 100)
    # Each entry compiled alone, none of them written to the disk cache (one file per entry).
    assert _cache_files() == before
    assert sorted(r["entry"] for r in rows) == list(range(len(plan["shapes"])))
    costs = [r["ms_per_mb"]["hexed"] for r in rows]
    assert costs == sorted(costs, reverse=True)
    for r in rows:
        expression, _, _, ids = plan["shapes"][r["entry"]]
        assert r["ids"] == list(ids)
        assert r["parts"] == len(expression.split(","))
        assert set(r["ms_per_mb"]) == {"hexed", "words"}
        assert all(v >= 0 for v in r["ms_per_mb"].values())
        names = {engine.detectors[g].name if g < len(engine.detectors) else "decode" for g in ids}
        assert r["detectors"] == sorted(names)
    # The decode candidates (base64, hex) are shapes and say so.
    assert any(r["detectors"] == ["decode"] for r in rows)


def test_the_literal_entries_name_the_table_headers_and_top_cuts_the_list(
    engine: floor.Engine,
) -> None:
    # (the table-header expressions' database of their own: fourteenth speed pass)
    plan = dict(_scan_plan(engine.detectors))["tables"]
    # (Not ``HEADER_PARTS``' entry: the costliest to compile, and no different to list.)
    header = tables_module.HEADER_PARTS[0].hex()
    tables = {
        k for k, (e, _, _, ids) in enumerate(plan) if engine._table_id in ids and header not in e
    }
    data = {"cfg": b"  password: x\n" * 50}
    rows = floor.expression_costs(engine, data, 1, "tables", 100, entries=tables)
    assert {r["entry"] for r in rows} == tables
    assert all(r["detectors"] == ["tables"] for r in rows)
    # The prefixed header's one part per secret word, compiled as the engine compiles them.
    assert len(tables_module.PREFIXED_HEADER_PARTS) in {r["parts"] for r in rows}
    assert len(floor.expression_costs(engine, data, 1, "shapes", 3)) == 3
    with pytest.raises(ValueError, match="no database"):
        floor.expression_costs(engine, {"cfg": b"x"}, 1, "nonesuch", 1)


def test_the_command_line_prints_the_list_per_database(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--mb", "0.05", "--repeats", "1", "--classes", "csv_export"]
    assert floor.main([*argv, "--expressions", "2", "--databases", "shapes"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out["expressions"]) == ["shapes"]
    assert len(out["expressions"]["shapes"]) == 2
    assert set(out["expressions"]["shapes"][0]["ms_per_mb"]) == {"csv_export"}
    # Without the flag the report is as before.
    assert floor.main(argv) == 0
    assert "expressions" not in json.loads(capsys.readouterr().out)


# --- line-start rules that read from the text's start on a long line ---------------------------
# The former bodies, as they were before the thirteenth speed pass: what the new ones must equal.


def _old_hcl_attr(text: bytes, line_start: int, start: int) -> bool:
    return D._HCL_ATTR.search(text, line_start, start) is not None


def _old_go_empty_field(text: bytes, start: int, end: int) -> bool:
    if D._GO_NEXT_FIELD.match(text, start, end) is None:
        return False
    line_start = text.rfind(b"\n", max(0, start - 400), start) + 1
    return b"{" in text[line_start:start] and text[start - 2 : start] == b": "


def _old_no_secret_word_before(text: bytes, start: int, _end: int) -> bool:
    line_start = text.rfind(b"\n", max(0, start - 200), start) + 1
    here = text.rfind(b"<<<", line_start, start)
    return here < 0 or D._NAMES_A_SECRET_BEFORE.search(text, line_start, here) is None


def _old_width(text: bytes, start: int) -> int:
    first_end = start - 1 if text[start - 1 : start] == b"\n" else start
    first_start = text.rfind(b"\n", max(0, first_end - 4096), first_end) + 1
    return len(text[first_start:first_end].rstrip(b"\r"))


def _line_start(text: bytes, start: int, window: int) -> int:
    return text.rfind(b"\n", max(0, start - window), start) + 1


_PIECES = [
    b"default",
    b"value",
    b"valu",
    b"=",
    b" ",
    b"\t",
    b'"',
    b"\n",
    b"x",
    b"{",
    b": ",
    b"Port:",
    b"<<<",
    b"token",
    b"pass",
    b"Password",
    b"api-key",
    b"\r",
    b"q" * 250,
    b" " * 300,
]
_texts = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=40).map(b"".join)


@settings(max_examples=50, deadline=None)
@given(_texts, st.data())
def test_the_line_start_rules_answer_as_their_former_bodies(
    text: bytes, data: st.DataObject
) -> None:
    for _ in range(8):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
        ls = _line_start(text, start, 200)
        assert D._hcl_attr_ends_at(text, ls, start) == _old_hcl_attr(text, ls, start)
        assert D._go_empty_field(text, start, end) == _old_go_empty_field(text, start, end)
        assert D._no_secret_word_before(text, start, end) == _old_no_secret_word_before(
            text, start, end
        )
        # the least end: the first ``e`` at which the search from the text's start finds a word
        pattern = D._NAMES_A_SECRET_BEFORE
        brute = next(
            (e for e in range(len(text) + 1) if pattern.search(text, 0, e) is not None),
            len(text) + 1,
        )
        assert D._least_match_end(pattern, text) == brute


_ADVERSARIAL = [
    # (text, start): a long line before the value (the former search ran from the text's start)
    (b"x" * 500 + b'default = "', 511),
    (b"x" * 500 + b"default\t=\t", 510),
    (b"x" * 500 + b"value=", 506),
    (b"x" * 500 + b'value ="', 508),
    (b"x" * 500 + b'value = ""', 510),  # two quotes: no match
    (b"x" * 500 + b"xdefault = ", 511),  # inside a longer word: the search found it
    (b"value =" + b" " * 600, 607),  # the blanks alone run past the 200-byte window
    (b"default" + b"\t" * 300 + b"=" + b" " * 300, 608),
    (b"a\nvalue = ", 10),
    (b"value = \n", 9),  # a line end right before: nothing
    (b"= ", 2),
    (b"", 0),
    (b'"', 1),
]


@pytest.mark.parametrize(("text", "start"), _ADVERSARIAL)
def test_the_hcl_attribute_read_backwards_on_adversarial_lines(text: bytes, start: int) -> None:
    ls = _line_start(text, start, 200)
    assert D._hcl_attr_ends_at(text, ls, start) == _old_hcl_attr(text, ls, start)


@settings(max_examples=50, deadline=None)
@given(_texts, st.data())
def test_the_wrapped_width_is_the_former_one(text: bytes, data: st.DataObject) -> None:
    start = data.draw(st.integers(1, len(text)))
    first_end = start - 1 if text[start - 1 : start] == b"\n" else start
    first_start = text.rfind(b"\n", max(0, first_end - 4096), first_end) + 1
    assert _old_width(text, start) == _width_now(text, first_start, first_end)
    end = data.draw(st.integers(start, len(text)))
    assert D._not_wrapped_at_one_width(text, start, end) == _old_not_wrapped(text, start, end)


def _width_now(text: bytes, first_start: int, first_end: int) -> int:
    width = first_end
    while width > first_start and text[width - 1] == 0x0D:
        width -= 1
    return width - first_start


def _old_not_wrapped(text: bytes, start: int, end: int) -> bool:
    width = _old_width(text, start)
    lines = [ln.rstrip(b"\r") for ln in text[start:end].split(b"\n")]
    if width < 16 or any(len(ln) != width for ln in lines[:-1]) or len(lines[-1]) > width:
        return True
    return len(lines) == 1 and len(lines[-1]) < 8


class _Spy:
    """A compiled pattern that counts the bytes its searches were given to read."""

    def __init__(self, rx: re.Pattern[bytes]) -> None:
        self.rx, self.read, self.calls = rx, 0, 0

    def search(self, text: bytes, pos: int = 0, endpos: int | None = None) -> Any:
        stop = len(text) if endpos is None else min(endpos, len(text))
        self.read += max(0, stop - pos)
        self.calls += 1
        return self.rx.search(text, pos, stop)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rx, name)


def _pairs(n: int) -> bytes:
    rnd = random.Random(5)
    alphabet = string.ascii_letters + string.digits
    return (b"x" * 300 + b" ").join(
        b"acme_%d = '%s'; " % (i, "".join(rnd.choice(alphabet) for _ in range(32)).encode())
        for i in range(n)
    )


def _here_strings(n: int) -> bytes:
    rnd = random.Random(6)
    alphabet = string.ascii_letters + string.digits
    return (b"z" * 300 + b" ").join(
        b"cmd <<< %s" % "".join(rnd.choice(alphabet) for _ in range(32)).encode() for _ in range(n)
    )


@pytest.mark.parametrize(
    ("name", "doc"), [("_HCL_ATTR", _pairs(300)), ("_NAMES_A_SECRET_BEFORE", _here_strings(300))]
)
def test_a_long_line_is_read_once_not_from_its_start_at_every_hit(
    monkeypatch: pytest.MonkeyPatch, name: str, doc: bytes
) -> None:
    # 300 hits on one line of about 100 KB: the former rules searched from the text's start at
    # each (about 15 MB read); now a few bytes before each hit, or the text once.
    spy = _Spy(getattr(D, name))
    monkeypatch.setattr(D, name, spy)
    redactor = floor.Redactor(key=floor.KEY)
    whole = redactor.redact_bytes(doc)
    assert spy.calls or name == "_HCL_ATTR"  # (the attribute is read backwards, not searched)
    assert spy.read <= 2 * len(doc)
    # the same bytes out whole and streamed (at the rules' former answers: the tests above)
    monkeypatch.setattr(D, name, spy.rx)
    s = redactor.stream()
    streamed = b"".join([*(s.feed(doc[i : i + 4093]) for i in range(0, len(doc), 4093)), s.flush()])
    assert streamed == whole
    if name == "_HCL_ATTR":
        # (``_or_hcl_id`` looks the rule up by name: the former search gives the same bytes)
        monkeypatch.setattr(D, "_hcl_attr_ends_at", _old_hcl_attr)
        assert floor.Redactor(key=floor.KEY).redact_bytes(doc) == whole
        assert whole.count(b"[REDACTED:generic-token") >= 290


# --- the spreading of context-found values on a long line ---------------------------------------


def _go_fields(n: int, pad: int = 300) -> bytes:
    return (b"q" * pad + b" ").join(b"Password: Port%05d: x" % i for i in range(n))


def _spread_docs() -> list[bytes]:
    rnd = random.Random(8)
    alphabet = string.ascii_letters + string.digits
    tokens = ["".join(rnd.choice(alphabet) for _ in range(24)).encode() for _ in range(6)]
    docs = [_pairs(40), _go_fields(40)]
    # values found by their name, repeated before and after on the same line and on others,
    # overlapping themselves (``abab…``), next to lines of other values
    for k in range(6):
        t = tokens[k]
        docs.append(
            b"x" * 500 + b" " + t + b" y " + t + t[:5] + b" password = '" + t + b"' z " + t + b"\n"
        )
        docs.append(b"id " + t + b" " * 700 + b"secret: " + t + b"\n" + t + b"\n" + b"k " * 900)
    docs.append(b"token=" + b"abab" * 10 + b" " + b"abab" * 40 + b"\n")
    return docs


@pytest.mark.parametrize("doc", _spread_docs())
def test_the_spreading_scan_finds_what_the_searches_found(
    monkeypatch: pytest.MonkeyPatch, doc: bytes
) -> None:
    redactor = floor.Redactor(key=floor.KEY)
    monkeypatch.setattr(E, "_PROPAGATE_SCAN", 1 << 60)
    searched = redactor.redact_bytes(doc)
    monkeypatch.setattr(E, "_PROPAGATE_SCAN", -1)  # every text through the one scan
    calls = []
    occurrences = E._occurrences
    monkeypatch.setattr(E, "_occurrences", lambda d, v: calls.append(len(v)) or occurrences(d, v))
    assert redactor.redact_bytes(doc) == searched
    s = redactor.stream()
    streamed = b"".join([*(s.feed(doc[i : i + 97]) for i in range(0, len(doc), 97)), s.flush()])
    monkeypatch.setattr(E, "_PROPAGATE_SCAN", 1 << 60)
    s = redactor.stream()
    assert streamed == b"".join(
        [*(s.feed(doc[i : i + 97]) for i in range(0, len(doc), 97)), s.flush()]
    )
    assert calls  # the scan answered


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                b"password = '",
                b"Zq8vT2mN7xR4kP1w",
                b"' ",
                b"\n",
                b"x" * 120,
                b"abab",
                b"secret: ",
                b"Zq8v",
            ]
        ),
        min_size=1,
        max_size=30,
    ).map(b"".join)
)
def test_the_spreading_scan_on_drawn_texts(doc: bytes) -> None:
    redactor = _REDACTOR
    values = {doc[x.start : x.end] for x in redactor.engine.spans(doc)}
    occ = E._occurrences(doc, values) if values else {}
    for v in values:
        want, i = [], doc.find(v)
        while i >= 0:
            want.append(i)
            i = doc.find(v, i + 1)
        assert occ[v] == want
    bound = E._PROPAGATE_SCAN
    try:
        E._PROPAGATE_SCAN = -1
        scanned = redactor.redact_bytes(doc)
    finally:
        E._PROPAGATE_SCAN = bound
    assert scanned == redactor.redact_bytes(doc)


_REDACTOR = floor.Redactor(key=floor.KEY)


def test_a_long_line_of_values_is_scanned_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # 1,500 values on one line of about 500 KB: the searches from the line's start would read
    # about 370 MB; with the default bound the values are found in one scan.
    doc = _go_fields(1500)
    calls: list[int] = []
    occurrences = E._occurrences
    monkeypatch.setattr(E, "_occurrences", lambda d, v: calls.append(len(v)) or occurrences(d, v))
    out = floor.Redactor(key=floor.KEY).redact_bytes(doc)
    assert calls == [1500]
    assert out.count(b"[REDACTED:") == 1500
    # a short text keeps the searches
    calls.clear()
    floor.Redactor(key=floor.KEY).redact_bytes(_go_fields(20))
    assert calls == []
