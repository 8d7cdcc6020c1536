"""Long values after a short prefilter hit are masked whole, by both engines.

Hyperscan reports where a detector's cheap prefilter ends (a few characters into the value);
the confirmation window must reach the value's full width from there. It once did not, and a
long ``Authorization: Basic …`` value was masked only up to the window's end, leaking its tail.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from enforcement_agent.redaction.placeholders import looks_fake, not_a_literal_secret
from gonogo.config import REPO_ROOT
from tests.redaction.helpers import rand, redactor, streamed

FAST, SLOW = redactor(), redactor(use_hyperscan=False)
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

TEMPLATES = (
    'curl -H "Authorization: Basic {v}" https://api.example.invalid',
    "Authorization: Bearer {v}",
    "Server=db;Database=app;User Id=app;Password={v};Encrypt=true",
    "acme_client = '{v}'",
    "acme_client: {v}",
    '{{"level":"info","password":"{v}"}}',
    "export API_TOKEN={v}",
)


@settings(max_examples=60, deadline=None)
@given(
    template=st.sampled_from(TEMPLATES),
    length=st.integers(min_value=20, max_value=250),
    seed=st.integers(min_value=0, max_value=10**6),
)
def test_long_value_is_masked_whole(template: str, length: int, seed: int) -> None:
    # Mixed case and digits, as a generated credential has (the generic rules ask for them).
    value = "q7Z" + rand(length - 3, seed, _B64 if "Basic" in template else _B64[:62])
    assume(not looks_fake(value.encode()))  # a random draw can spell a filler run ("xXxx")
    line = template.format(v=value)
    for engine in (FAST, SLOW):
        out = engine.redact_text(line)
        assert value[:8] not in out and value[-8:] not in out, out


@pytest.mark.parametrize("length", [64, 65, 80, 100, 130, 200, 256])
def test_both_engines_mask_the_same_bytes_of_a_long_header(length: int) -> None:
    line = "Authorization: Basic " + rand(length, length, _B64)
    assert FAST.redact_text(line) == SLOW.redact_text(line)


# --- values past every pattern bound (issue: a 5,000-character password leaked 47 of 50 chunks)

# Shapes that put a value after a name saying it is secret; {v} is the value. The value's
# alphabet per shape: what that syntax lets a value contain.
_LONG_SHAPES: tuple[tuple[str, str], ...] = (
    ("password={v}", "any"),
    ("export DB_PASSWORD={v}", "any"),
    ("api_key = {v}", "any"),
    ("API_TOKEN: {v}", "any"),
    ("  client_secret: {v}", "any"),
    ('password: "{v}"', "quoted"),
    ("secret = '{v}'", "quoted"),
    ('{{"level":"info","password":"{v}"}}', "quoted"),
    ('{{\\"token\\": \\"{v}\\"}}', "quoted"),
    ("<password>{v}</password>", "xml"),
    ("  <apiToken>{v}</apiToken>", "xml"),
    ("mysql --password {v} -h db", "any"),
    ("tool --api-key={v} --verbose", "any"),
    ("Authorization: Bearer {v}", "b64"),
    ("curl -H 'Authorization: Basic {v}' https://api.example.invalid", "b64"),
    ("Server=db;Database=app;User Id=app;Password={v};Encrypt=true", "any"),
    ("postgres://app:{v}@db.internal:5432/app", "url"),
    ("https://deploy:{v}@git.example.invalid/org/repo.git", "url"),
    ("//registry.npmjs.org/:_authToken={v}", "any"),
    ("docker login -u ci -p {v} registry.example.invalid", "any"),
    ("curl -u admin:{v} https://api.example.invalid", "any"),
    ('<add key="Source-Password" value="{v}" />', "quoted"),
    ("the password is {v}", "alnum"),
    ("session_token={v}&user=7", "any"),
)
_ALPHABETS = {
    "alnum": _B64[:62],
    "b64": _B64 + "=._~-",
    "any": _B64[:62] + "!#$%*+-./:=?@^_~",
    "quoted": _B64[:62] + " !#$%*+-./:=?@^_~&;,()[]{}|<>",
    "xml": _B64[:62] + " !#$%*+-./:=?@^_~&;,()[]{}|\"'",
    "url": _B64[:62] + "!$%*+-.=^_~&;,()",
}


def _long_case(shape: int, length: int, seed: int) -> tuple[bytes, bytes]:
    template, alphabet = _LONG_SHAPES[shape]
    # Mixed case and digits up front, as a generated credential has; the rest drawn from the
    # shape's alphabet, redrawn when it happens to spell a slot (a filler run, "...", a closed
    # template): those are the placeholder rules' business (test_placeholders.py).
    value = "q7Z" + rand(length - 3, seed, _ALPHABETS[alphabet])
    while not_a_literal_secret(value.encode()):
        seed += 7919
        value = "q7Z" + rand(length - 3, seed, _ALPHABETS[alphabet])
    line = template.format(v=value)
    data = f"INFO starting deploy\n{line}\nINFO done: 3 steps\n".encode()
    return data, value.encode()


def _leaked(value: bytes, out: bytes, piece: int = 40) -> list[int]:
    return [i for i in range(0, len(value) - piece + 1, piece) if value[i : i + piece] in out]


@pytest.mark.parametrize("shape", range(len(_LONG_SHAPES)))
@pytest.mark.parametrize("length", [257, 513, 1025, 4097, 5000, 8300, 20000])
def test_value_past_every_bound_is_masked_to_its_end(shape: int, length: int) -> None:
    data, value = _long_case(shape, length, seed=shape * 1000 + length)
    whole = FAST.redact_bytes(data)
    assert not _leaked(value, whole), (_LONG_SHAPES[shape], whole[:200])
    assert whole.count(b"[REDACTED:") == 1, whole[:300]
    assert whole.startswith(b"INFO starting deploy\n") and whole.endswith(b"\nINFO done: 3 steps\n")
    assert SLOW.redact_bytes(data) == whole


@pytest.mark.parametrize("shape", range(len(_LONG_SHAPES)))
def test_long_value_streams_like_one_pass_at_every_chunk_size(shape: int) -> None:
    data, value = _long_case(shape, 5000, seed=shape)
    whole = FAST.redact_bytes(data)
    for size in (1, 2, 3, 7, 64, 99, 100, 255, 256, 1000, 4095, 4096, 4097, 8192, 9000, 65536):
        out = streamed(FAST, data, size)
        assert not _leaked(value, out), (_LONG_SHAPES[shape], size)
        assert out == whole, (_LONG_SHAPES[shape], size)


@settings(max_examples=40, deadline=None)
@given(
    shape=st.integers(min_value=0, max_value=len(_LONG_SHAPES) - 1),
    length=st.integers(min_value=200, max_value=30000),
    cuts=st.lists(st.integers(min_value=0, max_value=40000), max_size=12),
    seed=st.integers(min_value=0, max_value=10**6),
)
def test_long_value_split_anywhere_streams_like_one_pass(
    shape: int, length: int, cuts: list[int], seed: int
) -> None:
    data, value = _long_case(shape, length, seed)
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    s = FAST.stream()
    out = b"".join(s.feed(p) for p in pieces) + s.flush()
    assert not _leaked(value, out)
    assert out == FAST.redact_bytes(data)


def test_a_value_of_many_megabytes_streams_in_bounded_memory() -> None:
    s = FAST.stream()
    chunk = rand(65536, 9, _B64[:62]).encode()
    out = [s.feed(b"INFO ok\npassword=q7Z")]
    high = 0
    for _ in range(160):  # 10 MiB of one value
        out.append(s.feed(chunk))
        high = max(high, s.pending)
    out.append(s.feed(b"\nINFO after\n"))
    out.append(s.flush())
    text = b"".join(out)
    assert high <= 2 * s.tail, high  # nothing of the value piles up
    assert chunk[:40] not in text and chunk[-40:] not in text
    assert text.startswith(b"INFO ok\npassword=[REDACTED:kv-secret:")
    assert text.endswith(b"]\nINFO after\n") and text.count(b"[REDACTED:") == 1


def test_trailing_blanks_of_a_long_quoted_value_stay_as_one_pass_keeps_them() -> None:
    value = "q7Z" + rand(6000, 11, _B64[:62] + " ")
    data = f'password = "{value}   \n   "\nnext line\n'.encode()
    whole = FAST.redact_bytes(data)
    for size in (1, 5, 100, 8192, 10000):
        assert streamed(FAST, data, size) == whole, size


def test_a_long_xml_value_needs_its_closing_tag() -> None:
    # Past the bound the value must close on its own line: prose after a "<key>" mention is no
    # value, and a long unclosed element is not masked to the end of the payload.
    prose = "# paths are <base>/<key>/<version>, so make sure " + "that the directory exists " * 60
    for text in (prose + "\nx = 1\n", prose):
        assert FAST.redact_text(text) == text
        assert SLOW.redact_text(text) == text


def test_gonogo_agent_exec_masks_a_5000_character_password(tmp_path: Path) -> None:
    """The real path: policy, decision record, sandbox, streamed redaction of `cat`'s output."""
    ws = tmp_path / "ws"
    ws.mkdir()
    values = {
        "password": "q7Z" + rand(4997, 21, _ALPHABETS["any"]),
        "quoted": "q7Z" + rand(6997, 22, _ALPHABETS["quoted"]),
        "bearer": "q7Z" + rand(9997, 23, _ALPHABETS["b64"]),
    }
    (ws / "notes.txt").write_text(
        "deploy notes\n"
        f"password={values['password']}\n"
        f'config: {{"client_secret": "{values["quoted"]}"}}\n'
        f"curl -H 'Authorization: Bearer {values['bearer']}' https://api.example.invalid\n"
        "end of notes\n"
    )
    env = {**os.environ, "GONOGO_HOME": str(tmp_path / "home"), "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "gonogo", "agent", "exec", "--tenant", "acme", "--role"]
        + ["contributor", "--workspace", str(ws), "--", "cat", "notes.txt"],
        capture_output=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    for name, value in values.items():
        assert not _leaked(value.encode(), out, piece=20), name
    assert out.startswith(b"deploy notes\npassword=[REDACTED:kv-secret:")
    assert out.endswith(b"end of notes\n") and out.count(b"[REDACTED:") == 3
