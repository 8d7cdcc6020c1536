"""Sixteenth pass over issue 18's contextual shapes (2026-12-05, rt16-redact): the fifteenth
pass's open leaks, each as a class with its variations and clean controls, every case whole,
by the pure-Python engine and streamed at 1, 7, 64 and 4,093 bytes.

- A name and its value as NUL-separated records, no ``=`` (``password\\0<key>\\0``: ``env -0``
  style pairs, ``xargs -0`` inputs, git ``config -z``'s ``name\\nvalue\\0``), and an ``=`` pair
  in NUL-separated records (``/proc/<pid>/environ``) no longer swallowing the records after it.
- A box-drawing bar glued to the name (``token│ <key>``, ``┃ secret ┃<key>``, ``║api_key║…``)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from tests.redaction.fifteenth_variations import hexid, key, uuid
from tests.redaction.held_out import HeldOut

_H = HeldOut(sizes=(1, 7, 64, 4093))
_masked, _unchanged = _H.masked, _H.unchanged
E = "\x1b"
N = "\0"

_NAMES = ["password", "DB_PASSWORD", "api_key", "GITHUB_TOKEN", "client_secret", "secret",
          "AWS_SECRET_ACCESS_KEY", "private_key", "access_token", "auth_token", "apiKey",
          "user.password"]  # fmt: skip
_IDS = ["commit", "sha", "image_digest", "request_id", "etag", "trace_id", "checksum",
        "revision", "build_id", "uuid"]  # fmt: skip


def _v(seed: int, n: int = 40) -> str:
    return key(160_000 + seed, ["alnum", "b64", "url"][seed % 3], n)


def _idv(i: int) -> str:
    return [hexid(900 + i, 40), uuid(900 + i), hexid(700 + i, 64), hexid(500 + i, 32)][i % 4]


# --- class 1: NUL-separated names and values ---------------------------------------------------


def _nul_shape(i: int, name: str, value: str) -> str:
    env = f"HOME=/home/u{i}{N}LANG=C.UTF-8{N}"
    return [
        f"{name}{N}{value}{N}",  # printf 'name\0value\0'
        f"{env}{name}{N}{value}{N}PATH=/usr/bin{N}",  # among env -0 records
        f"user.name{N.join([''])}\nBob{N}app.{name.lower()}\n{value}{N}core.bare\nfalse{N}",
        f"{N}{name}{N}{value}",  # NUL before, none after (the payload's end)
        f"{name}\r\n{value}{N}remote.origin.url\nhttps://example.com/r.git{N}",  # -z, CRLF
        f"--user{N}bob{N}{name}{N}{value}{N}--verbose{N}",  # xargs -0 argument list
        f"{name}{N}{value}\n",  # a NUL pair ended by a newline
        f"{env}{name}{N}{value}{N}{name}{N}{value[::-1]}{N}",  # two pairs
    ][i % 8]


@pytest.mark.parametrize("i", range(24))
def test_nul_separated_pairs(i: int) -> None:
    name, v = _NAMES[i % len(_NAMES)], _v(i)
    secrets = [v, v[::-1]] if i % 8 == 7 else [v]
    _masked(_nul_shape(i, name, v), secrets)


@pytest.mark.parametrize("i", range(24))
def test_nul_separated_controls(i: int) -> None:
    # Ids and digests under names no secret's, in the same shapes.
    _unchanged(_nul_shape(i, _IDS[i % len(_IDS)], _idv(i)))
    # The secret's names over placeholders and words.
    slot = ["${API_KEY}", "<redacted>", "********", "changeme", "reset", "(sensitive)"][i % 6]
    _unchanged(_nul_shape(i, _NAMES[i % len(_NAMES)], slot))


@pytest.mark.parametrize("i", range(20))
def test_nul_separated_not_names(i: int) -> None:
    """File lists (``find -print0``, ``git ls-files -z``) and a binary's symbol table: a secret
    word that does not start its record, or a value that is a word or a path, is no pair."""
    w = _NAMES[i % len(_NAMES)].lower()
    _unchanged(f"./conf/{w}{N}./conf/{_v(i)}.txt{N}")
    _unchanged(f"{N}get_{w}{N}strlen{N}malloc{N}__cxa_finalize{N}")
    _unchanged(f"src/{w}{N}{_v(i)}{N}")


@pytest.mark.parametrize("i", range(20))
def test_environ_equals_keeps_next_records(i: int) -> None:
    """``/proc/<pid>/environ``: a masked ``NAME=value`` keeps the NUL and the records after it
    (the value used to run on over ``\\0PATH=/usr/bin\\0…``)."""
    name, v = _NAMES[i % len(_NAMES)].upper().replace(".", "_"), _v(200 + i)
    text = f"HOME=/root{N}{name}={v}{N}PATH=/usr/bin{N}TERM=xterm{N}"
    out = _masked(text, [v])
    assert out.startswith(b"HOME=/root\0" + name.encode() + b"=")
    assert out.endswith(b"\0PATH=/usr/bin\0TERM=xterm\0"), out
    assert out.count(b"\0") == 4


# --- class 2: a box-drawing bar glued to the name ----------------------------------------------

_BARS = ["│", "┃", "║", "┆", "┇", "┊", "┋", "╎", "╏", "▏"]


def _box_shape(i: int, name: str, value: str) -> str:
    b = _BARS[i % len(_BARS)]
    cb = f"{E}[2m{b}{E}[0m"  # a dimmed bar (rich, bat)
    eol = "\r\n" if i % 5 == 4 else "\n"
    w = len(name) + 2 + i % 3
    return [
        f"{name}{b} {value}{eol}",
        f"{b}{name}{b}{value}{b}{eol}",
        f"{b} {name} {b}{value}{eol}",
        f"{b}{name.ljust(w)}{b} {value} {b}{eol}",
        f"{name}{cb} {value}{eol}",
        f"{cb} {E}[1m{name}{E}[0m {cb} {E}[33m{value}{E}[0m {cb}{eol}",
        # a header-less two-column box
        f"┌{'─' * w}┬{'─' * 44}┐{eol}{b}{'user'.ljust(w)}{b} bob{' ' * 41}{b}{eol}"
        f"{b}{name.ljust(w)}{b}{value}    {b}{eol}└{'─' * w}┴{'─' * 44}┘{eol}",
        f"{name}  {b}  {value}{eol}",
    ][i % 8]


@pytest.mark.parametrize("i", range(24))
def test_box_bar_glued_to_name(i: int) -> None:
    name, v = _NAMES[i % len(_NAMES)], _v(300 + i)
    _masked(_box_shape(i, name, v), [v])


@pytest.mark.parametrize("i", range(24))
def test_box_bar_controls(i: int) -> None:
    _unchanged(_box_shape(i, _IDS[i % len(_IDS)], _idv(i)))
    slot = ["<redacted>", "********", "${API_KEY}", "(sensitive)", "3", "[masked]"][i % 6]
    _unchanged(_box_shape(i, _NAMES[i % len(_NAMES)], slot))


def _glued(i: int, name: str, value: str) -> str:
    b = _BARS[(i * 3) % len(_BARS)]
    cb = [f"{E}[2m{b}{E}[0m", f"{E}[38;5;240m{b}{E}[39m", f"{E}[38;2;90;90;90m{b}{E}[0m"][i % 3]
    eol = "\r\n" if i % 4 == 3 else "\n"
    return [
        f"{name}{b} {value}{eol}",
        f"{name}{b}{value}{eol}",
        f"{b} {name} {b}{value}{eol}",
        f"{name}{cb} {value}{eol}",
        f"  {name} {b}{value}{b}{eol}",
        f"{E}[1m{name}{E}[0m{b} {E}[32m{value}{E}[0m{eol}",
    ][i % 6]


@pytest.mark.parametrize("i", range(24))
def test_box_bar_glued_variants(i: int) -> None:
    """The bar right after the name (no bar before it, or one set apart by a blank): each of
    these leaked on ``main``."""
    name, v = _NAMES[(i * 5) % len(_NAMES)], _v(400 + i)
    _masked(_glued(i, name, v), [v])
    _unchanged(_glued(i, _IDS[i % len(_IDS)], _idv(i)))
    _unchanged(_glued(i, name, ["<redacted>", "****", "${TOKEN}", "12"][i % 4]))


# --- by effect: the real programs' output -------------------------------------------------------


@pytest.mark.parametrize("i", range(4))
def test_real_git_config_z_and_env_0(i: int, tmp_path: Path) -> None:
    v, commit = _v(500 + i), hexid(600 + i, 40)
    repo = tmp_path / "r"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    name = ["user.password", "github.token", "app.api-key", "svc.client-secret"][i]
    for k, x in ((name, v), ("app.commit", commit)):
        subprocess.run(["git", "-C", str(repo), "config", k, x], check=True)
    z = subprocess.run(
        ["git", "-C", str(repo), "config", "--local", "-z", "--list"],
        check=True,
        capture_output=True,
    ).stdout
    assert f"{name}\n{v}\0".encode() in z
    out = _masked(z.decode(), [v])
    assert f"app.commit\n{commit}\0".encode() in out
    env_name = ["API_KEY", "DB_PASSWORD", "GITHUB_TOKEN", "CLIENT_SECRET"][i]
    env = {env_name: v, "GIT_COMMIT": commit, "PATH": "/usr/bin", "TERM": "xterm"}
    e0 = subprocess.run(["env", "-0"], env=env, check=True, capture_output=True).stdout
    out = _masked(e0.decode(), [v])
    assert out.count(b"\0") == e0.count(b"\0")
    for k in ("GIT_COMMIT", "PATH", "TERM"):
        assert f"{k}={env[k]}\0".encode() in out


@pytest.mark.parametrize("i", range(24))
def test_real_rich_tables(i: int) -> None:
    """rich's two-column tables in each box style, with and without padding, colour and a
    header: the key masked, the commit id kept."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    bx = [box.MINIMAL, box.HEAVY, box.DOUBLE, box.SQUARE, box.SIMPLE_HEAVY, box.ROUNDED][i % 6]
    t = Table(box=bx, show_header=bool(i % 2), padding=0 if i % 4 < 2 else (0, 1))
    t.add_column("name")
    t.add_column("value")
    v, commit = _v(700 + i), hexid(800 + i, 40)
    t.add_row("user", "bob")
    t.add_row(_NAMES[i % len(_NAMES)], v)
    t.add_row("commit", commit)
    buf = io.StringIO()
    colour = i % 3 == 0
    Console(file=buf, force_terminal=colour, color_system="truecolor" if colour else None,
            width=120).print(t)  # fmt: skip
    out = _masked(buf.getvalue(), [v])
    assert commit.encode() in out
