"""Speed pass, 2026-12-05 (fifth): two fast paths that must not change any output.

- ``ansi.strip`` removes colour and erase codes (CSI codes that are no cursor move) with one
  simple expression, and keeps that text only where no escape introducer is left; anywhere else
  the general path runs on the original bytes (``ansi._strip_general``). Checked here against
  the general path and against the specification (``ANSI_PARTS``, a cursor move read as
  blanks) on random mixes of the ANSI class's own lines, colour codes, the codes that must send
  it to the general path (cursor moves, OSC/DCS strings, a lone ESC, nF escapes, 8-bit CSI,
  written escapes) and planted secrets; and the redactor's output with the fast path and
  without it, whole and streamed.
- ``gonogo redact`` with no option or one ``--known-secrets FILE`` runs without Typer
  (``gonogo.redact_process.run_fast``); every other argument list goes to Typer. Checked by
  effect: the same stdout, stderr and exit status as the Typer command for 14 argument forms
  (good, bad, missing and oversized files, a directory, ``--help``, unknown options, missing
  values), Typer not imported on the fast path (``-X importtime``), and a reader that goes away
  (``| head``) ending it with status 1 and no traceback, as Typer does.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.redaction import ansi
from gonogo.config import REPO_ROOT
from gonogo.redact_process import parse_fast
from tests.redaction.helpers import ansi_strip_spec, github_token, rand, redactor, streamed

# -- colour codes --------------------------------------------------------------------------------
# What the fast path removes (CSI, final byte not C/D/G), as terminals and tools print them.
_FAST_CODES = (
    "\x1b[0m",
    "\x1b[m",
    "\x1b[1m",
    "\x1b[1;31m",
    "\x1b[01;34m",
    "\x1b[38;5;208m",
    "\x1b[38;2;10;20;30m",
    "\x1b[K",
    "\x1b[2K",
    "\x1b[2J",
    "\x1b[H",
    "\x1b[5;3H",
    "\x1b[?25l",
    "\x1b[?1049h",
    "\x1b[>4;2m",
    "\x1b[<u",
    "\x1b[3A",
    "\x1b[B",
    "\x1b[1 q",
    "\x1b[" + "1;" * 40 + "m",  # more parameters than the expression's 64: left to the general path
)
# What must send the text to the general path (or is no code at all).
_OTHER_CODES = (
    "\x1b[3C",
    "\x1b[C",
    "\x1b[12D",
    "\x1b[40G",
    "\x1b[12345C",
    "\x1b[1;2C",
    "\x1b(B",
    "\x1b7",
    "\x1b8",
    "\x1b]0;title\x07",
    "\x1b]8;;http://x\x1b\\",
    "\x1bPdata\x1b\\",
    "\x1b",
    "\x1b[",
    "\x1b[3",
    "\x1b\x1b[0m[1m",
    "\x1b]title\x1b[0m\x1b\\",
    "\x1b[\x1b[0m1m",
    "\xc2\x9b1m",
    "\\u001b[32m",
    "\\x1b[1C",
)
_TEXT = ("password", "=", " ", "\n", "ok", "9Zt2kQ", "[", "C", "12", "|", "token: ", "\t", "m", ";")


def _class_lines(n: int = 400) -> list[str]:
    """Lines of the bench's ANSI-coloured class (pytest, ls, coloured diffs, grep, rustc
    warnings, progress bars), as it makes them."""
    from benchmarks.perf.agent_output import ansi_terminal

    out: list[str] = []
    for record in ansi_terminal(random.Random(5)):
        out.extend(record.splitlines(keepends=True))
        if len(out) >= n:
            return out[:n]
    return out


_LINES = _class_lines()


_spec = ansi_strip_spec


def _fast_taken(data: bytes) -> bool:
    return b"\x1b" not in ansi._CSI_NOT_MOVE.sub(b"", data)


_PIECE = st.one_of(
    st.sampled_from(_FAST_CODES),
    st.sampled_from(_FAST_CODES),
    st.sampled_from(_TEXT),
    st.sampled_from(_OTHER_CODES),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_PIECE, max_size=50))
def test_strip_fast_path_equals_general_path_and_spec(pieces: list[str]) -> None:
    data = "".join(pieces).encode("latin-1", "ignore")
    assert ansi.strip(data) == ansi._strip_general(data) == _spec(data)


@pytest.mark.parametrize("code", _FAST_CODES + _OTHER_CODES)
def test_strip_each_code_beside_text_and_colour(code: str) -> None:
    for text in (
        f"password={code}9Zt2kQ\n",
        f"\x1b[1m{code}ok\x1b[0m {code}\n{code}",
        f"a{code}{code}b\x1b[32m",
        f"\x1b[31m{code}\x1b[0m",
    ):
        data = text.encode("latin-1")
        assert ansi.strip(data) == ansi._strip_general(data) == _spec(data), repr(text)


def test_the_fast_path_is_taken_on_the_class_and_left_where_it_must_be() -> None:
    data = "".join(_LINES).encode()
    assert _fast_taken(data)
    assert ansi.strip(data) == ansi._strip_general(data) == _spec(data)
    for code in _OTHER_CODES:
        if "\x1b" in code:
            assert not _fast_taken(data + code.encode("latin-1")), repr(code)
    # The joins the general path guards against: a lone ESC before a colour code, an OSC title
    # whose terminator is split by one.
    for text in ("\x1b\x1b[0m[1mX", "\x1b]title\x1b[0m\x1b\\", "\x1b[\x1b[0m1mX"):
        data = text.encode()
        joined = ansi._CSI_NOT_MOVE.sub(b"", data)
        assert ansi.strip(data) == _spec(data)
        assert ansi._ANSI_7_NO_FORWARD.sub(b"", joined) != _spec(data) or b"\x1b" in joined


def _mix(rnd: random.Random, n: int, secrets: list[str]) -> str:
    out: list[str] = []
    for _ in range(n):
        r = rnd.random()
        if r < 0.7:
            out.append(rnd.choice(_LINES))
        elif r < 0.8 and secrets:
            c1, c2 = rnd.choice(_FAST_CODES[:12]), rnd.choice(_FAST_CODES[:12])
            v = secrets[rnd.randrange(len(secrets))]
            out.append(
                rnd.choice(
                    (
                        f"{c1}loaded credential{c2} {v}\x1b[0m\n",
                        f"export TOKEN={c1}{v}{c2}\n",
                        f"{c1}password{c2}: {v}\n",
                    )
                )
            )
        elif r < 0.95:
            out.append(
                "".join(rnd.choice(_FAST_CODES + _TEXT) for _ in range(rnd.randrange(12))) + "\n"
            )
        else:
            out.append(rnd.choice(_OTHER_CODES) + rnd.choice(_LINES))
    return "".join(out)


def _outputs(data: bytes) -> list[bytes]:
    r = redactor()
    return [
        r.redact_bytes(data),
        *(streamed(r, data, n) for n in (1, 7, 64, 4093)),
        r.redact_bytes(data),
    ]


_SECRETS = [
    *(rand(40, 900 + i) for i in range(3)),
    github_token(77),
    "9Zt2" + rand(28, 1234),
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000), n=st.integers(5, 80))
def test_redactor_same_bytes_with_and_without_the_fast_path(
    seed: int, n: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from enforcement_agent.redaction import engine, tables

    data = _mix(random.Random(seed), n, _SECRETS).encode("utf-8", "surrogateescape")
    fast = _outputs(data)
    with monkeypatch.context() as m:
        # (Tenth speed pass: the engine strips through ``strip_colours``; without the fast
        # path it never says "colour codes only", so the OSC search and the cursor-move
        # checks run too.)
        m.setattr(engine, "strip_colours", lambda d: (ansi._strip_general(d), False))
        m.setattr(tables, "strip", ansi._strip_general)
        engine.clear_memos()
        slow = _outputs(data)
    engine.clear_memos()
    assert fast == slow  # whole, streamed at 1/7/64/4,093 bytes, and warm: each the same


def test_whole_equals_streamed_when_a_later_line_holds_an_osc_string() -> None:
    # Found in the fifth speed pass: the whole buffer holds an OSC string, so it is scanned with
    # its codes in place too, and there the value's span took the codes around it
    # (``TOKEN=\x1b[K<v>\x1b[5`` masked, ``;3H`` left) while a stream, which releases the first
    # line before the OSC line arrives, masked the value alone. Since the fifteenth contextual
    # pass a value no longer starts with ESC, and the two agree.
    v = "9Zt2" + rand(28, 1234)
    data = (
        f"export TOKEN=\x1b[K{v}\x1b[5;3H\n"
        "\x1b]title\x1b[0m\x1b\\\x1b[1mindex 07d4b6a..b055385 100644\x1b[0m\n"
    ).encode()
    r = redactor()
    assert r.redact_bytes(data) == streamed(r, data, 7)


@pytest.mark.parametrize("seed", range(12))
def test_coloured_secrets_masked_fast_path_taken(seed: int) -> None:
    rnd = random.Random(seed)
    v = "9Zt2" + rand(36, 3000 + seed)
    c1, c2 = rnd.choice(_FAST_CODES[:12]), rnd.choice(_FAST_CODES[:12])
    clean = "".join(rnd.choice(_LINES) for _ in range(30))
    data = (clean + f"{c1}loaded credential{c2} {v}\x1b[0m\n" + clean).encode()
    assert _fast_taken(data)
    for out in _outputs(data):
        assert v.encode() not in out
        assert out.startswith(clean.encode()) and out.endswith(clean.encode())


# -- gonogo redact without Typer -----------------------------------------------------------------
_INPUT = b"connecting with tenant-db-passphrase-7 password=hunter2hunter2x\n" + (
    b"\x1b[32mok\x1b[0m token=" + rand(40, 55).encode() + b"\n"
)


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "GONOGO_HOME": str(home), "PYTHONPATH": str(REPO_ROOT)}


def _fast_cli(args: list[str], cwd: Path, home: Path) -> tuple[bytes, bytes, int]:
    p = subprocess.run(
        [sys.executable, "-m", "gonogo", "redact", *args],
        input=_INPUT,
        capture_output=True,
        cwd=cwd,
        env=_env(home),
        timeout=120,
        check=False,
    )
    return p.stdout, p.stderr, p.returncode


# The Typer command alone, named as ``python -m gonogo`` names it in its usage lines.
_TYPER = (
    "import sys; sys.modules['__main__'].__package__ = 'gonogo'; "
    "sys.argv = ['__main__.py', 'redact', *sys.argv[1:]]; "
    "from gonogo.cli import build_app; build_app(('gonogo.cli_redact',))()"
)


def _typer_cli(args: list[str], cwd: Path, home: Path) -> tuple[bytes, bytes, int]:
    p = subprocess.run(
        [sys.executable, "-c", _TYPER, *args],
        input=_INPUT,
        capture_output=True,
        cwd=cwd,
        env=_env(home),
        timeout=120,
        check=False,
    )
    return p.stdout, p.stderr, p.returncode


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("redact-cli")
    (d / "good.json").write_text(json.dumps({"known_secrets": ["tenant-db-passphrase-7"]}))
    (d / "bad.json").write_text("{not json")
    (d / "bad2.json").write_text(json.dumps({"known_secrets": [1]}))
    (d / "bad3.json").write_text(json.dumps({"secrets": []}))
    (d / "long.json").write_text(json.dumps({"known_secrets": ["x" * 100_000]}))
    (d / "adir").mkdir()
    return d


_FORMS = (
    [],
    ["--known-secrets", "good.json"],
    ["--known-secrets=good.json"],
    ["--known-secrets", "bad.json"],
    ["--known-secrets", "bad2.json"],
    ["--known-secrets", "bad3.json"],
    ["--known-secrets", "missing.json"],
    ["--known-secrets", "long.json"],
    ["--known-secrets", "adir"],
    ["--help"],
    ["--bogus"],
    ["--known-secrets"],
    ["--known-secrets="],
    ["--known-secrets", "-x"],
)


@pytest.mark.parametrize("args", _FORMS, ids=lambda a: " ".join(a) or "plain")
def test_fast_entry_answers_as_typer_does(args: list[str], files: Path, tmp_path: Path) -> None:
    fast = _fast_cli(args, files, tmp_path / "home")
    typer = _typer_cli(args, files, tmp_path / "home")
    assert fast == typer
    if args in ([], ["--known-secrets", "good.json"], ["--known-secrets=good.json"]):
        out, _, code = fast
        assert code == 0
        assert b"hunter2hunter2x" not in out and rand(40, 55).encode() not in out
        assert (b"tenant-db-passphrase-7" in out) == (not args)


def test_parse_fast_reads_only_what_typer_reads_the_same(files: Path) -> None:
    cwd = Path.cwd()
    os.chdir(files)
    try:
        assert parse_fast([]) == (None,)
        assert parse_fast(["--known-secrets", "good.json"]) == (Path("good.json"),)
        assert parse_fast(["--known-secrets=good.json"]) == (Path("good.json"),)
        assert parse_fast(["--known-secrets", "missing.json"]) == (Path("missing.json"),)
        for args in (
            ["--help"],
            ["--known-secrets"],
            ["--known-secrets="],
            ["--known-secrets", "-x"],
            ["--known-secrets", "adir"],
            ["--known-secrets", ""],
            ["--known-secrets", "a", "--known-secrets", "b"],
            ["x"],
            ["--", "x"],
        ):
            assert parse_fast(args) is None, args
    finally:
        os.chdir(cwd)


def test_fast_entry_does_not_import_typer(tmp_path: Path) -> None:
    p = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gonogo", "redact"],
        input=_INPUT,
        capture_output=True,
        cwd=REPO_ROOT,
        env=_env(tmp_path),
        timeout=120,
        check=True,
    )
    modules = {line.rsplit("|", 1)[-1].strip() for line in p.stderr.decode().splitlines()}
    assert "enforcement_agent.redaction" in modules
    assert not any(m == "typer" or m.startswith(("typer.", "pydantic")) for m in modules)
    assert b"hunter2hunter2x" not in p.stdout


def test_reader_going_away_ends_quietly_with_status_one(tmp_path: Path) -> None:
    big = b"INFO line ok password=hunter2hunter2x\n" * 200_000
    src = tmp_path / "in.log"
    src.write_bytes(big)
    results = []
    for cmd in (
        [sys.executable, "-m", "gonogo", "redact"],
        [sys.executable, "-c", _TYPER],
    ):
        with src.open("rb") as fin:
            p = subprocess.Popen(
                cmd,
                stdin=fin,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=REPO_ROOT,
                env=_env(tmp_path / "home"),
            )
            assert p.stdout is not None and p.stderr is not None
            head = p.stdout.read(100)
            p.stdout.close()
            err = p.stderr.read()
            code = p.wait(timeout=120)
        assert len(head) == 100 and b"hunter2hunter2x" not in head
        results.append((code, err))
    assert results[0] == results[1] == (1, b"")
