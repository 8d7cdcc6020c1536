"""Red team of the second speed pass's caches (rt14-cache, 2026-12-04).

The speed pass remembered answers (``engine._Quiet``: confirmations that masked nothing, keyed by
the bytes they could read; ``engine._memo``: value checks; ``tables._open_prefixed_memo`` /
``_own_name_row_memo``: header readings) and rewrote expressions (``ansi._ANSI_7``, possessive
generic names, ``line_release`` reading a line's last bytes). An attacker who wants a secret to
leak needs a cached answer given where the uncached code would have masked: a dismissed line
followed by the same bytes in another context (lines above, a header above, an open PEM block
or JSON string, a stream's chunk boundary, ``\\r`` overwrites, colour codes), a flood that
evicts, threads sharing one engine, redactors with other configurations sharing the
module-level memos.

Every test here is differential by effect: the same input through a redactor with every cache
turned off (the code as it was before the speed pass, ``_no_caches``) and through one whose
caches are warm (inputs repeated, in different orders), whole and streamed at awkward chunk
sizes; and crafted cases assert the secret is gone from every output. The rewritten
expressions are compared with the ones they replace on generated input. Nothing masked less was
found (see docs/redaction.md, "Cache red team"); these tests are the proof and the guard.
"""

from __future__ import annotations

import contextlib
import random
import re
import threading
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.redaction import ansi, engine, tables
from enforcement_agent.redaction import detectors as D
from enforcement_agent.redaction import line_release as lr
from enforcement_agent.redaction.redactor import Redactor
from tests.redaction.helpers import KEY, rand


@contextlib.contextmanager
def _no_caches() -> Iterator[None]:
    """Every remembered answer off: the confirmation and table paths as before the pass."""
    saved = (
        engine._Quiet.usable,
        engine._memo,
        engine._not_a_literal_secret,
        engine._names_instead_of_value,
        engine._bare_name_ok,
        tables._open_prefixed_memo,
        tables._own_name_row_memo,
    )
    engine._Quiet.usable = lambda self, pid, det, facts: False  # type: ignore[method-assign]
    engine._memo = lambda fn: fn
    engine._not_a_literal_secret = engine.not_a_literal_secret
    engine._names_instead_of_value = engine.names_instead_of_value
    engine._bare_name_ok = engine.bare_name_ok
    tables._open_prefixed_memo = tables._open_prefixed
    tables._own_name_row_memo = tables._own_name_row
    try:
        yield
    finally:
        (
            engine._Quiet.usable,  # type: ignore[method-assign]
            engine._memo,
            engine._not_a_literal_secret,
            engine._names_instead_of_value,
            engine._bare_name_ok,
            tables._open_prefixed_memo,
            tables._own_name_row_memo,
        ) = saved


def _outputs(red: Redactor, data: bytes, chunks: tuple[int, ...]) -> list[bytes]:
    res = [red.redact_bytes(data)]
    for c in chunks:
        s = red.stream()
        res.append(b"".join(s.feed(data[i : i + c]) for i in range(0, len(data), c)) + s.flush())
    return res


_REF = Redactor(key=KEY)
_WARM = Redactor(key=KEY)


def _reference(data: bytes, chunks: tuple[int, ...]) -> list[bytes]:
    with _no_caches():
        return _outputs(_REF, data, chunks)


def _check_same(docs: list[bytes], chunks: tuple[int, ...] = (1, 7, 4096)) -> None:
    """Each doc, cold and warm, forward then backward: the cached code's outputs are the
    uncached code's, mode by mode."""
    want = [_reference(d, chunks) for d in docs]
    for order in (list(range(len(docs))), list(range(len(docs)))[::-1]):
        for i in order:
            got = _outputs(_WARM, docs[i], chunks)
            assert got == want[i], (docs[i], got, want[i])


def _secret(i: int) -> str:
    # Mixed case and digits, random-looking: what the generic and key-name rules mask.
    return "Zq" + rand(26, seed=1000 + i) + "9x"


# -- a dismissed line, then the same bytes where the context makes them a secret ---------------

# Lines whose value is dismissed on its own (a reference, a placeholder, code) next to lines that
# hold a real value; then the dismissed line's bytes again under context that changes the
# reading (a header above, an open PEM block, an assignment continued, a JSON string, a call).
_CONTEXTS = (
    "",
    "x = (\n",
    "foo(\n",
    "-----BEGIN RSA PRIVATE KEY-----\n",
    '{"a": "\\\n',
    "name  password\n",
    "| user | token |\n|---|---|\n",
    "user,password\n",
    "password =\n",
    "secret:\n",
    "token = \\\n",
    "key = '''\n",
    "<secret>\n",
    "Authorization: Bearer\n",
    "curl -u \\\n",
    "benign line\r",
    "\x1b[32m",
    "\x1b]0;title\x07",
    "\x1b[1C",
    "  # comment\n",
    "a" * 60 + "\n",
)

_LINES = (
    "password = {s}",
    "api_key: {s}",
    'token = "{s}"',
    "export GITHUB_TOKEN={s}",
    "client_secret := '{s}'",
    "acme {s}",
    "  jira {s}",
    "db_password={s}",
    "Authorization: Bearer {s}",
    "stripe('{s}')",
    "secret: \x1b[31m{s}\x1b[0m",
    "password \x1b[4C{s}",
    "token=\xc2\x9b1m{s}",
    "passwd = {s}\r",
    "user alice {s}",
    "AWS_SECRET_ACCESS_KEY = {s}",
    "auth: '{s}', user: x",
    "key = f'{s}'",
    "secret_key: {s} # set",
    "x.y-token = '{s}'",
)

_DISMISSED = (
    "password = var.db_password",
    "api_key: ${API_KEY}",
    'token = "<token>"',
    "export GITHUB_TOKEN=$GITHUB_TOKEN",
    "client_secret := os.environ['X']",
    "password = None",
    "token = self.token",
    "secret: changeme",
    'passwd = getenv("PASS")',
    "password: OAuthFlowPassword | None = None",
)


@pytest.mark.parametrize("ctx", range(len(_CONTEXTS)))
def test_dismissed_then_same_bytes_in_another_context(ctx: int) -> None:
    docs = []
    for i, shape in enumerate(_LINES):
        line = shape.format(s=_secret(i))
        dismissed = _DISMISSED[i % len(_DISMISSED)]
        docs.append(
            "\n".join([dismissed, line, _CONTEXTS[ctx] + dismissed, _CONTEXTS[ctx] + line])
            .encode()
            .replace(b"\xc3\x82\xc2\x9b", b"\xc2\x9b")
        )
    _check_same(docs)


@pytest.mark.parametrize("i", range(len(_LINES)))
@pytest.mark.parametrize("chunk", (1, 3, 16, 17, 48, 64))
def test_repeated_secret_line_masked_every_time(i: int, chunk: int) -> None:
    """A secret line repeated under every context (the same key bytes, different lines above):
    masked each time, streamed at chunk sizes around the key's bounds and whole."""
    secret = _secret(i)
    line = _LINES[i].format(s=secret)
    doc = "\n".join(c + line for c in _CONTEXTS).encode() + b"\n"
    want = _reference(doc, (chunk,))
    for _ in range(2):
        got = _outputs(_WARM, doc, (chunk,))
        assert got == want
    if secret.encode() not in want[0]:
        for out in got:
            assert secret.encode() not in out


@pytest.mark.parametrize("shape", range(len(_LINES)))
def test_secret_after_many_dismissed_twins(shape: int) -> None:
    """The key's bounds: a secret line after dismissed lines of the same shape that differ only
    48 bytes before, 16 past the newline, or past the 1,024-byte bound."""
    secret = _secret(shape)
    line = _LINES[shape].format(s=secret)
    dismissed = _DISMISSED[shape % len(_DISMISSED)]
    docs = [
        ("p" * pad + "\n" + dismissed + "\n" + "q" * tail + "\n").encode()
        + ("p" * pad + "\n" + line + "\n" + "q" * tail + "\n").encode()
        for pad in (0, 47, 48, 49)
        for tail in (0, 15, 16, 17, 1100)
    ]
    _check_same(docs, chunks=(5, 4096))


# -- a flood of distinct dismissed lines (the caches clear when full) ---------------------------


@pytest.mark.parametrize("seed", range(20))
def test_flood_then_secret(seed: int) -> None:
    r = random.Random(seed)
    flood = "\n".join(
        f"password = var.p{r.randrange(10**9)}\nsecret: ${{S{r.randrange(10**9)}}}"
        for _ in range(1200)
    )
    line = _LINES[seed % len(_LINES)].format(s=_secret(seed))
    doc = (flood + "\n" + line + "\n" + flood[:2000] + "\n" + line + "\n").encode()
    want = _reference(doc, ())
    assert _outputs(_WARM, doc, ()) == want
    assert _outputs(_WARM, doc, ()) == want


# -- redactors with other configurations, threads sharing one engine ---------------------------


@pytest.mark.parametrize("i", range(20))
def test_other_configurations_share_no_answer(i: int) -> None:
    """A redactor without the generic rules and one with known secrets warm the module-level
    memos first; the default redactor still masks as it would cold."""
    secret = _secret(i)
    line = _LINES[i].format(s=secret)
    doc = ("\n".join([line, _DISMISSED[i % len(_DISMISSED)], line]) + "\n").encode()
    want = _reference(doc, (7,))
    Redactor(key=KEY, generic_tokens=False).redact_bytes(doc)
    Redactor(key=bytes(range(1, 33)), known_secrets=[secret]).redact_bytes(doc)
    assert _outputs(_WARM, doc, (7,)) == want
    # Known secrets registered later are masked on lines the engine already dismissed.
    red = Redactor(key=KEY)
    plain = f"note: {rand(20, seed=i)}\n".encode()
    red.redact_bytes(plain * 3)
    red.add_known_secrets([plain[6:-1].decode()])
    assert plain[6:-1] not in red.redact_bytes(plain * 3)


def test_threads_sharing_one_engine() -> None:
    docs = [
        (
            "\n".join([_DISMISSED[i % len(_DISMISSED)], _LINES[i].format(s=_secret(i))]) + "\n"
        ).encode()
        for i in range(len(_LINES))
    ]
    want = [_reference(d, (9,)) for d in docs]
    red = Redactor(key=KEY)
    errors: list[object] = []

    def work(k: int) -> None:
        r = random.Random(k)
        for _ in range(30):
            i = r.randrange(len(docs))
            got = _outputs(red, docs[i], (9,))
            if got != want[i]:
                errors.append((docs[i], got))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


# -- generated documents: warm caches against none ---------------------------------------------

_NAMES = (
    b"password",
    b"api_key",
    b"token",
    b"secret",
    b"AWS_SECRET_ACCESS_KEY",
    b"db_password",
    b"x.y-token",
    b"client_secret",
    b"auth",
    b"acme",
    b"Authorization",
    b"passwd",
    b"key",
    b"GITHUB_TOKEN",
)
_SEPS = (b" = ", b": ", b"=", b":=", b" ", b'("', b" => ", b"\t", b': "', b"='", b" - '")
_EXTRA = (
    b"\x1b[32m",
    b"\x1b[0m",
    b"\x1b[1C",
    b"\xc2\x9b1m",
    b"\x9b",
    b"\r",
    b'"',
    b"'",
    b"(",
    b")",
    b",",
    b"\\u001b[31m",
    b"\x1b]0;x\x07",
    b"\x1b(B",
    b"-----BEGIN PRIVATE KEY-----",
    b"|",
    b"<secret>",
)
_FILLERS = (
    b"var.db_password",
    b"${DB_PASS}",
    b"<token>",
    b"hunter2",
    b"None",
    b"changeme",
    b"x" * 20,
    b'getenv("X")',
    b"self.token",
    b"abc1234567890def",
)
_VALUE = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789"


def _gen_line(r: random.Random) -> bytes:
    value = (
        bytes(r.choice(_VALUE) for _ in range(r.randint(12, 48)))
        if r.random() < 0.5
        else r.choice(_FILLERS)
    )
    parts = [r.choice((b"", b"  ", b"- ", b"export ", b"foo(", b"| ")), r.choice(_NAMES)]
    parts += [r.choice(_SEPS), value, r.choice((b'"', b"'", b")", b",", b"", b" # c"))]
    if r.random() < 0.4:
        parts.insert(r.randrange(len(parts) + 1), r.choice(_EXTRA))
    return b"".join(parts)


def _gen_doc(r: random.Random) -> bytes:
    base = [_gen_line(r) for _ in range(r.randint(1, 4))]
    others = (b"name  password", b"", b"password =", b"token:", b"x = (", b"| user | token |")
    lines = [r.choice(base) if r.random() < 0.7 else r.choice(others) for _ in range(8)]
    return b"\n".join(lines) + r.choice((b"", b"\n", b"\r\n"))


@pytest.mark.parametrize("seed", range(20))
def test_generated_documents_warm_equals_cold(seed: int) -> None:
    r = random.Random(seed)
    docs = [_gen_doc(r) for _ in range(12)]
    docs += [docs[r.randrange(len(docs))] for _ in range(6)]
    _check_same(docs, chunks=(r.randint(1, 40), 4096))


# -- the rewritten expressions against the ones they replace -----------------------------------

_ANSI_ALPHABET = (b"\x1b", b"[", b"]", b"\\", b"\x07", b"\n", b"1", b";", b"m", b"P", b"X", b"^")
_ANSI_ALPHABET += (b"_", b" ", b"(", b"B", b"?", b"a", b"\x9b", b"\xc2", b"~", b"/", b"@", b"7")


@pytest.mark.parametrize("seed", range(20))
def test_fast_colour_removal_is_the_full_one(seed: int) -> None:
    r = random.Random(seed)
    for _ in range(3000):
        s = b"".join(r.choice(_ANSI_ALPHABET) for _ in range(r.randint(1, 40)))
        if ansi.has_forward(s) or b"\xc2\x9b" in s or ansi.has_escaped(s):
            continue
        assert ansi._ANSI_7.sub(b"", s) == ansi.ANSI.sub(b"", s), s
        assert ansi.strip(s) == ansi.ANSI.sub(b"", s), s


_NAME_PIECES = (b"a", b"Z", b"_", b".", b"-", b"1", b"=", b":", b" ", b"\t", b'"', b"'", b"(")
_NAME_PIECES += (b")", b",", b"\n", b"k", b"x9Q", b"AbC123xyz", b"password", b"key", b"q" * 40)


@pytest.mark.parametrize("seed", range(20))
def test_possessive_names_match_as_before(seed: int) -> None:
    pairs = []
    for det in D.ALL:
        old = det.pattern.replace(D._NAME, D.NAME_BACKTRACKING).replace(
            D._LETTER_NAME, D.LETTER_NAME_BACKTRACKING
        )
        if old != det.pattern:
            pairs.append((re.compile(det.pattern), re.compile(old)))
    assert len(pairs) >= 3
    r = random.Random(seed)
    tokens = (b"Ab3dE", b"fG7hJ", b"kL9mN", b"-", b"_")
    for _ in range(300):
        s = b"".join(r.choice(_NAME_PIECES) for _ in range(r.randint(5, 40)))
        s += b"".join(r.choice(tokens) for _ in range(r.randint(3, 12)))
        s += r.choice((b'"', b"'", b"", b")", b" ", b"\n"))
        for new, old in pairs:
            got = [(m.span(), m.groupdict()) for m in new.finditer(s)]
            assert got == [(m.span(), m.groupdict()) for m in old.finditer(s)], s


_LINE_PIECES = (b"=", b":", b">", b",", b"(", b"[", b"{", b"\\", b"|", b"&", b"+", b" ", b"\t")
_LINE_PIECES += (b"\r", b"bearer", b"Token", b"-p", b"-u", b"--password", b"--user", b"x", b"-")
_LINE_PIECES += (b"A", b"/", b"_", b"9", b"\x0b", b"Ab3dE" * 8)


@pytest.mark.parametrize("seed", range(20))
def test_line_end_reads_its_tail_as_the_whole_line(seed: int) -> None:
    r = random.Random(seed)
    for _ in range(3000):
        s = b"".join(r.choice(_LINE_PIECES) for _ in range(r.randint(1, 50)))
        end = len(s)
        tail = lr._tail_start(s, 0, end)
        assert (lr._CONTINUES.search(s, 0, end) is None) == (
            lr._CONTINUES.search(s, max(0, tail - lr._CONTINUES_REACH), end) is None
        ), s
        assert (lr._ENCODED_LINE_END.search(s, 0, end) is None) == (
            lr._ENCODED_LINE_END.search(s, max(0, end - 49), end) is None
        ), s


# -- controls: clean text passes, warm or cold --------------------------------------------------

_CLEAN = (
    b"- uses: actions/checkout@v4",
    b"password       = var.db_password",
    b"INFO request served in 12 ms",
    b"commit 3f2b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b",
    b"  name: build",
    b"\x1b[32mPASSED\x1b[0m tests/test_x.py::test_y",
    b"total 48",
    b"drwxr-xr-x  2 user user 4096 Dec  4 18:00 src",
    b"token_count = 4096",
    b"key = cache_key(item)",
    b"secretName: db-credentials",
    b"| name | type |",
    b"user,role",
    b"Resolving deltas: 100% (12/12), done.",
    b"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    b"Already up to date.",
    b"password_file = /run/secrets/db",
    b'"version": "1.2.3",',
    b"export PATH=$HOME/bin:$PATH",
    b"x = foo(bar, baz)",
)


@pytest.mark.parametrize("i", range(len(_CLEAN)))
def test_clean_lines_pass_warm_and_cold(i: int) -> None:
    doc = b"\n".join([_CLEAN[i]] * 5) + b"\n"
    for out in _outputs(_WARM, doc, (1, 7, 4096)) + _outputs(_WARM, doc, (3,)):
        assert out == doc


# -- hypothesis: documents of repeated lines, warm caches against none ---------------------------

_PIECES = st.sampled_from(
    [*_NAMES, *_SEPS, *_EXTRA, *_FILLERS, b"\n", b"\r\n", b"Zq" + rand(26, seed=7).encode() + b"9x"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    lines=st.lists(st.lists(_PIECES, min_size=1, max_size=6).map(b"".join), min_size=1, max_size=4),
    picks=st.lists(st.integers(0, 3), min_size=2, max_size=8),
    chunk=st.integers(1, 64),
)
def test_hypothesis_repeated_lines(lines: list[bytes], picks: list[int], chunk: int) -> None:
    doc = b"\n".join(lines[p % len(lines)] for p in picks) + b"\n"
    want = _reference(doc, (chunk,))
    assert _outputs(_WARM, doc, (chunk,)) == want
    assert _outputs(_WARM, doc, (chunk,)) == want
