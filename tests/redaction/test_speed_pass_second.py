"""Speed pass, 2026-12-04 (second): structural changes that must not change any output.

- The bare names of the generic-token patterns are matched possessively (``detectors._NAME``,
  ``_LETTER_NAME``): the same matches as the backtracking forms they replace
  (``NAME_BACKTRACKING``, ``LETTER_NAME_BACKTRACKING``), on generated lines of every shape the
  names meet (longer than the bound, dotted, ending in digits, before every separator).
- Colour codes are removed with one literal-introducer expression where no 8-bit CSI and no
  written escape can be (``ansi._ANSI_7``): the same text as ``ANSI``.
- Line starts for the colour-code offset map are built by C-level maps (``engine._line_starts``).
- Value checks that dismiss hits (``engine._memo``) and a header candidate's reading with no
  table open (``tables._open_prefixed_memo``) are remembered for repeated input: a secret on a
  repeated line is masked every time, under every name, streamed as whole; answers for one
  name or one following line are never given to another.
"""

from __future__ import annotations

import random
import re

import pytest

from enforcement_agent.redaction import ansi, engine, tables
from enforcement_agent.redaction import detectors as D
from tests.redaction.helpers import rand, redactor

_NAMES = (
    "a",
    "ab",
    "acme",
    "acme_key",
    "x.y.z",
    "svc-1",
    "abc1",
    "name2x",
    "A" * 40,
    "B" * 41,
    "c" * 45,
    "w11s-9c_3niixfwrpd31l1sgke3lxqe1cs_9fggji",
    "atlasv1.w11s-9c_3niixfwrpd31l1sgke3lxqe1cs_9fggji",
    "foo.bar.baz_",
    "q9",
    "k-",
    "_x",
    "Z_9",
    "jira",
    "mixpanel.key.v2",
)
_SEPARATORS = ("=", " = ", ":", ": ", ":=", " := ", " ", "  ", "\t", " - ", "(", '("', " '", '"')
_VALUES = (
    "Zt9mQ2xLp8Rk4Wv7Yb3N",
    "2q05dqpffd0qgo4jnd58us3evwrb",
    "0123456789abcdef0123456789abcdef",
    "actions/checkout@v4",
    "aws_db_instance",
    "worker-db-credentials",
    "hunter2hunter2",
)


def _generic_pairs() -> list[tuple[int, re.Pattern[bytes], re.Pattern[bytes]]]:
    out = []
    for i, d in enumerate(D.ALL):
        p = d.pattern
        old = p.replace(
            D._NAME.split(b"(?P<g>")[1], D.NAME_BACKTRACKING.split(b"(?P<g>")[1]
        ).replace(
            D._LETTER_NAME.split(b"(?P<g>")[1], D.LETTER_NAME_BACKTRACKING.split(b"(?P<g>")[1]
        )
        if old != p:
            out.append((i, re.compile(p), re.compile(old)))
    return out


_PAIRS = _generic_pairs()


def _lines(seed: int, n: int = 400) -> bytes:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        name = rnd.choice(_NAMES)
        value = rnd.choice(_VALUES) if rnd.random() < 0.7 else rand(rnd.randrange(8, 40), seed)
        sep = rnd.choice(_SEPARATORS)
        close = rnd.choice(("", '"', "'", ")", '")', ",", " x"))
        lead = rnd.choice(("", "  ", "\t", "- ", "x.", '"', "(", "{"))
        out.append(f"{lead}{name}{sep}{value}{close}")
    return ("\n".join(out) + "\n").encode()


def test_the_possessive_patterns_are_the_generic_ones() -> None:
    assert len(_PAIRS) >= 4


@pytest.mark.parametrize("seed", range(24))
def test_possessive_names_match_as_backtracking_names(seed: int) -> None:
    data = _lines(seed)
    for i, new, old in _PAIRS:
        a = [(m.span(), m.groupdict()) for m in new.finditer(data)]
        b = [(m.span(), m.groupdict()) for m in old.finditer(data)]
        assert a == b, (i, seed)
        for pos in range(0, len(data), 13):
            ma, mb = new.match(data, pos), old.match(data, pos)
            assert (ma and (ma.span(), ma.groupdict())) == (mb and (mb.span(), mb.groupdict()))


@pytest.mark.parametrize("seed", range(20))
def test_possessive_names_on_random_bytes(seed: int) -> None:
    rnd = random.Random(1000 + seed)
    alphabet = "aZ_.-09 \t:=,\"'x(){}\n/+"
    data = "".join(rnd.choice(alphabet) for _ in range(20000)).encode()
    for i, new, old in _PAIRS:
        a = [(m.span(), m.groupdict()) for m in new.finditer(data)]
        b = [(m.span(), m.groupdict()) for m in old.finditer(data)]
        assert a == b, (i, seed)


_CODES = (
    b"\x1b[0m",
    b"\x1b[1;31m",
    b"\x1b[38;5;208m",
    b"\x1b[2K",
    b"\x1b[?25l",
    b"\x1b]0;title\x07",
    b"\x1b]8;;https://x.test/\x1b\\",
    b"\x1bPq#0\x1b\\",
    b"\x1b(B",
    b"\x1b7",
    b"\x1b8",
    b"\x1b[",
    b"\x1b]unterminated",
    b"\x1b",
)
_TEXT = (b"token", b" ", b"\n", b"9Zt2xLp8Rk4Wv7", b"\xe2\x94\x80", b"\xe2\x80\xba", b"[", b"]")


@pytest.mark.parametrize("seed", range(24))
def test_fast_colour_removal_equals_the_full_expression(seed: int) -> None:
    rnd = random.Random(seed)
    data = b"".join(rnd.choice(_CODES + _TEXT) for _ in range(2000))
    assert b"\xc2\x9b" not in data and not ansi.has_escaped(data)
    assert ansi._ANSI_7.sub(b"", data) == ansi.ANSI.sub(b"", data)
    assert ansi.strip(data) == ansi.ANSI.sub(b"", data) or ansi.has_forward(data)


@pytest.mark.parametrize(
    "data",
    [
        b"\xc2\x9b31mtoken\xc2\x9b0m \x1b[1mx\x1b[0m",
        b"\\u001b[31mtoken\\u001b[0m \x1b[1mx\x1b[0m",
        b"\\x1b[1mcredential\\x1b[0m 9Zt2",
        b"\x1b]0;\\033[31mred\x07 after",
    ],
)
def test_eight_bit_and_written_codes_take_the_full_expression(data: bytes) -> None:
    assert ansi.strip(data) == ansi.ANSI.sub(b"", data)


@pytest.mark.parametrize(
    "data", [b"", b"a", b"a\n", b"\n\n", b"ab\ncd\n\nx", b"x" * 100 + b"\n" * 5, b"\r\n\r\n"]
)
def test_line_starts(data: bytes) -> None:
    expected, pos = [0], 0
    for line in data.split(b"\n"):
        pos += len(line) + 1
        expected.append(pos)
    assert engine._line_starts(data) == expected


def _secret(seed: int) -> str:
    return rand(24, seed)


_SECRET_LINES = (
    "password = {s}",
    "API_KEY={s}",
    'token: "{s}"',
    "export DB_PASSWORD='{s}'",
    "client_secret => {s}",
    'acme_api = "{s}"',
    "jira {s}",
    '"secret": "{s}",',
    "\x1b[1mcredential\x1b[0m {s}",
    "Authorization: Bearer {s}",
)


@pytest.mark.parametrize("template", _SECRET_LINES)
@pytest.mark.parametrize("seed", (1, 2))
def test_a_repeated_secret_line_is_masked_every_time(template: str, seed: int) -> None:
    r = redactor()
    secret = _secret(seed)
    line = template.format(s=secret)
    data = ("\n".join([line] * 60) + "\n").encode()
    for out in (r.redact_bytes(data), r.redact_bytes(data)):
        assert secret.encode() not in out
        assert out.count(b"[REDACTED:") >= 60
    s = r.stream()
    streamed = b"".join([s.feed(data[i : i + 97]) for i in range(0, len(data), 97)] + [s.flush()])
    assert streamed == r.redact_bytes(data)


@pytest.mark.parametrize(
    "clean",
    [
        "  password       = var.db_password",
        "      - uses: actions/checkout@v4",
        "      name: api-db-credentials",
        'resource "aws_db_instance" "api" {',
        "        - name: DB_PASSWORD",
        'SECRET_KEY = os.environ.get("SECRET_KEY")',
        "NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}",
        "commit 3f2b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b",
        "\x1b[32m+ fixed the token refresh\x1b[0m",
        "The password policy requires rotation every 90 days.",
    ],
)
def test_repeated_clean_lines_stay_unchanged(clean: str) -> None:
    r = redactor()
    data = ("\n".join([clean] * 80) + "\n").encode()
    assert r.redact_bytes(data) == data
    assert r.redact_bytes(data) == data


def test_a_remembered_dismissal_is_not_given_to_another_name() -> None:
    # The same value: dismissed under a name that names an id, masked under a key word.
    r = redactor()
    value = _secret(7)
    first = f"request_id: {value}\n" * 30
    second = f"password: {value}\n" * 30
    out = r.redact_bytes((first + second).encode())
    assert out.count(b"[REDACTED:") >= 30
    assert value.encode() not in out.split(b"\n", 30)[-1]


def test_a_remembered_header_reading_depends_on_the_next_line() -> None:
    r = redactor()
    secret = _secret(9)
    header = "| name | secret |"
    table = f"{header}\n|---|---|\n| api | {secret} |\n\nok\n\n"
    prose = f"{header}\nnothing here\n\n"
    data = (prose * 20 + table * 20 + prose * 5).encode()
    out = r.redact_bytes(data)
    assert secret.encode() not in out
    assert out.count(b"[REDACTED:") == 20
    engine.clear_memos()
    assert r.redact_bytes(data) == out


def test_memo_bound_passes_long_arguments_through() -> None:
    calls: list[bytes] = []

    def pred(value: bytes) -> bool:
        calls.append(value)
        return len(value) % 2 == 0

    memo = engine._memo(pred)
    short, long = b"x" * 10, b"y" * (engine._MEMO_BYTES + 1)
    assert [memo(short), memo(short), memo(long), memo(long)] == [True, True, False, False]
    assert calls == [short, long, long]
    memo.cache_clear()
    memo(short)
    assert calls[-1] == short and len(calls) == 4


def test_table_memo_bound_passes_long_lines_through() -> None:
    long_header = "secret," + ",".join(f"c{i}" for i in range(200))
    assert len(long_header) > tables._MEMO_LINE
    r = redactor()
    secret = _secret(11)
    row = secret + "," + ",".join("1" for _ in range(200))
    out = r.redact_bytes(f"{long_header}\n{row}\n".encode())
    assert secret.encode() not in out


def test_clear_memos_keeps_outputs() -> None:
    r = redactor()
    data = "\n".join(t.format(s=_secret(i)) for i, t in enumerate(_SECRET_LINES * 3)).encode()
    before = r.redact_bytes(data)
    engine.clear_memos()
    assert r.redact_bytes(data) == before


# The line-start generic form's prefilter takes a name's last characters from the name's own
# alphabet (``not_ending_with(…, chars)``): ``name: value`` is no longer a candidate as the name
# ``name:``. Every line the pattern matches is still found: the same output as the pure-Python
# engine, which confirms every pattern over the whole payload without prefilters.
_LINE_START_NAMES = (
    "jira",
    "mixpanel",
    "xsha",
    "ha1x",
    "shax",
    "commitx",
    "idx",
    "xid1",
    "a.b",
    "svc-2",
    "A_B",
    "sum_",
    "digestive",
    "q" * 40,
    "Integrity2",
    "hashy",
    "x-digest-v",
    "checksumz",
    "ab",
    "zz9",
)


@pytest.mark.parametrize("name", _LINE_START_NAMES)
def test_line_start_tokens_found_as_without_prefilters(name: str) -> None:
    lines = []
    for i, lead in enumerate(("", "  ", "\t", " " * 16)):
        for sep in (" ", "  ", "\t", "    "):
            value = rand(24, hash((name, i, sep)) % 1000)
            lines.append(f"{lead}{name}{sep}{value}")
            lines.append(f"{lead}{name}:{sep}{value}")
            lines.append(f"{lead}{name}{sep}{'a3f9' * 8}")
    data = ("\n".join(lines) + "\n").encode()
    fast, pure = redactor(), redactor(use_hyperscan=False)
    assert fast.redact_bytes(data) == pure.redact_bytes(data)
    assert fast.redact_bytes(data[:-1]) == pure.redact_bytes(data[:-1])


# A line that continues on the next one is read from its end only (``line_release``): the same
# answer as the search of the whole line, on lines of every length.
_ENDINGS = (
    "=",
    " = ",
    ":",
    "=>",
    ",",
    "(",
    "[",
    "{",
    "\\",
    "|",
    "&&",
    "+",
    "Authorization: Bearer",
    "-u",
    "--password",
    "--passwords",
    "token",
    "xbearer",
    "done",
    "x = 1",
)


@pytest.mark.parametrize("ending", _ENDINGS)
@pytest.mark.parametrize("pad", ("", "  ", "\t \t", " \r", "\r", "   \r"))
def test_continued_lines_read_from_their_end(ending: str, pad: str) -> None:
    from enforcement_agent.redaction import line_release as L

    for head in ("", "a", "x" * 200, '{"k": "' + "A" * 5000 + '", "v": '):
        text = f"first\n{head}{ending}{pad}\n".encode()
        start, end = 6, len(text) - 1
        whole = bool(L._CONTINUES.search(text, start, end))
        tail = L._tail_start(text, start, end)
        near = bool(L._CONTINUES.search(text, max(start, tail - L._CONTINUES_REACH), end))
        assert near == whole
        assert L._continued_tail(text, start, end + 1, False) == (start if whole else end + 1)
        r = redactor()
        s = r.stream()
        streamed = s.feed(text + b"next line\n") + s.flush()
        assert streamed == r.redact_bytes(text + b"next line\n")


@pytest.mark.parametrize(
    "tag",
    [
        "password",
        "Password",
        "DB_PASSWORD",
        "api-key",
        "API_KEY",
        "secretValue",
        "x:token",
        "Credentials",
        "jwt",
        "Cookie",
        "signature",
        "authCode",
        "sessionkey",
        "x.TOKEN",
        "myPass",
        "client_secret",
        "AUTH",
        "credential",
        "private.key",
        "Pass1",
    ],
)
def test_an_open_secret_tag_holds_its_lines(tag: str) -> None:
    from enforcement_agent.redaction import line_release as L

    secret = _secret(13)
    opened = f"log line\n<{tag}>\n{secret}\n".encode()
    assert L._open_tag(opened, 0, len(opened)) == opened.index(b"<")
    closed = opened + f"</{tag}>\n".encode()
    assert L._open_tag(closed, 0, len(closed)) == len(closed)
    clean = f"<div>\n<span>{tag}</span>\n".encode()
    assert L._open_tag(clean, 0, len(clean)) == len(clean)
    r = redactor()
    s = r.stream()
    streamed = b"".join(s.feed(closed[i : i + 5]) for i in range(0, len(closed), 5)) + s.flush()
    assert streamed == r.redact_bytes(closed)
    assert secret.encode() not in streamed


# Confirmations that masked nothing are remembered by the bytes they read (``engine._Quiet``):
# the same output as an engine that remembers nothing, on generated output that repeats lines
# in changing neighbourhoods (a key word on the line before, a call opened before, a long line,
# a line with no newline yet), whole and streamed.
_REPEATED = (
    "  password       = var.db_password",
    "      - uses: actions/checkout@v4",
    "        name: api-db-credentials",
    'resource "aws_db_instance" "api" {{',
    "password =",
    "x =",
    '  "{s}"',
    "client = Client(",
    '    "{s}")',
    "token: {s}",
    "request_id: {s}",
    "acme_key = '{s}'",
    "jira {s}",
    "commit {h}",
    "cls(credentials=creds, password=auth[1])",
    "password: OAuthFlowPassword | None = None",
    'password = "{s}"',
    "  url: https://user:{s}@db.example.test/app",
    "x" * 700 + " password={s}",
    "Authorization: Bearer {s}",
)


def _quiet_off(r: object) -> object:
    r.engine._quiet.usable = lambda *a: False  # type: ignore[attr-defined]
    return r


@pytest.mark.parametrize("seed", range(24))
def test_remembered_dismissals_change_nothing(seed: int) -> None:
    rnd = random.Random(seed)
    secrets = [rand(24, seed * 10 + i) for i in range(3)]
    lines = []
    for _ in range(300):
        t = rnd.choice(_REPEATED)
        lines.append(t.format(s=rnd.choice(secrets), h="3f2b9c0d" * 5))
    data = "\n".join(lines).encode() + rnd.choice((b"", b"\n"))
    fast, plain = redactor(), _quiet_off(redactor())
    whole = plain.redact_bytes(data)  # type: ignore[attr-defined]
    assert fast.redact_bytes(data) == whole
    assert fast.redact_bytes(data) == whole  # remembered from the first pass
    for size in (97, 4096):
        s = fast.stream()
        out = [s.feed(data[i : i + size]) for i in range(0, len(data), size)]
        assert b"".join([*out, s.flush()]) == whole


@pytest.mark.parametrize(
    ("before", "masked"),
    [
        ("password =", True),
        ("x =", False),
        ("api_key:", True),
        ("count:", False),
        ("client = Client(", True),
        ("print(", False),
    ],
)
def test_the_line_before_still_decides(before: str, masked: bool) -> None:
    value = rand(24, 21)
    line = f'  "{value}"' if "(" not in before else f'    "{value}")'
    block = f"{before}\n{line}\n"
    other = ("x =" if masked else "password =") if "(" not in before else "noop()"
    data = (block * 10 + f"{other}\n{line}\n" * 10 + block * 10).encode()
    out = redactor().redact_bytes(data)
    assert out == _quiet_off(redactor()).redact_bytes(data)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("dismissed", "masked"),
    [
        ("sort_key = hunter2hunter2", "my_key = hunter2hunter2"),
        ("primary_key = hunter2hunter2", "db_key = hunter2hunter2"),
        ("bypass = hunter2hunter2", "db_pass = hunter2hunter2"),
        ("partition_key: correcthorse9", "api_key: correcthorse9"),
        ("  cache_key = hunter2hunter2", "  app_key = hunter2hunter2"),
        ("hot_key: hunter2hunter2", "ssh_key: hunter2hunter2"),
    ],
)
def test_bytes_before_the_window_still_decide(dismissed: str, masked: str) -> None:
    # The window starts at the key word; the name's start lies before it and decides.
    r = redactor()
    data = (f"{dismissed}\n" * 20 + f"{masked}\n" * 20 + f"{dismissed}\n" * 5).encode()
    out = r.redact_bytes(data)
    lines = out.split(b"\n")
    assert lines[:20] == [dismissed.encode()] * 20
    assert all(b"[REDACTED:" in line for line in lines[20:40])
    assert out == _quiet_off(redactor()).redact_bytes(data)  # type: ignore[attr-defined]
    s = r.stream()
    streamed = b"".join(s.feed(data[i : i + 61]) for i in range(0, len(data), 61)) + s.flush()
    assert streamed == out
