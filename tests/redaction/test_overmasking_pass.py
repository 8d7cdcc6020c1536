"""Over-masking classes left open by the eighteenth pass (issue 18, ctxover): clean output of
every class comes back unchanged, the secret beside each stays masked.

1. a parenthesised note after a credential flag (``--token (sensitive value)``): ``main``
   masked ``(sensitive``;
2. a cookie whose value is a slot or empty (``set-cookie: __Host-session=<redacted>``,
   ``session=; Max-Age=0``): ``main`` masked the cookie's name;
3. a UUID under a bare ``name`` (``name : <uuid>``): unchanged on ``main`` already (kept here as a
   guard); a UUID-shaped value under a key word (``password: <uuid>``) stays masked — UUIDs are
   what several providers' keys look like;
4. base64 cells in a column headed by a content word (``thumbnail``, ``payload``, ``avatar``) of
   an aligned or tab-separated table: ``main`` masked the rows whose value had no ``+``/``/`` (the
   line-start rule read the row's first cell as the name).

Real output where a program here prints it: ``curl -v`` of a local ``http.server``, ``ps`` of a
process started with the flag, the ``csv`` module and ``column -t``. Every case whole, by the
pure-Python engine, and streamed at 7 and 4,096 bytes (``HeldOut``).
"""

from __future__ import annotations

import base64
import csv
import http.server
import io
import random
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator

import pytest

from tests.redaction.held_out import HeldOut

H = HeldOut(sizes=(7, 4096))
_RND = random.Random(1818)
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _rand(n: int) -> str:
    while True:
        v = "".join(_RND.choice(_ALNUM) for _ in range(n))
        if (
            any(c.isupper() for c in v)
            and any(c.islower() for c in v)
            and any(c.isdigit() for c in v)
        ):
            return v


def _b64(n: int) -> str:
    """Base64 of ``n`` random bytes without ``+`` or ``/`` (the shape the line-start rule reads)."""
    while True:
        v = base64.b64encode(bytes(_RND.getrandbits(8) for _ in range(n))).decode()
        if "+" not in v and "/" not in v:
            return v


def _uuid() -> str:
    return str(uuid.UUID(int=_RND.getrandbits(128), version=4))


# --- 1. a note after a credential flag ---------------------------------------------------------

_NOTES = ("(sensitive value)", "(not shown)", "(hidden)", "<redacted>", "[filtered]", "***")
_FLAGS = ("--token", "--api-key", "--password", "--secret", "--client-secret")

FLAG_CLEAN = [
    f"{pre}deploy {flag} {note} --env prod\n"
    for flag in _FLAGS
    for note in _NOTES
    for pre in ("", "+ ", "  1234 pts/0    S+   ")
] + [
    "deploy --token '(sensitive value)' --env prod\n",
    'run(["deploy", "--token", "(sensitive value)"])\n',
    "TOKEN=(sensitive value)\n",
    "token: (sensitive value)\n",
]
_S1 = [_rand(32) for _ in range(6)]
FLAG_SECRET = [
    (f"deploy --token {_S1[0]} --env prod\n", [_S1[0]]),
    (f"+ deploy --api-key {_S1[1]} --note (sensitive value)\n", [_S1[1]]),
    (f"deploy --password ({_S1[2]}) --env prod\n", [_S1[2]]),
    (f"deploy --token {_S1[4]} (sensitive value)\n", [_S1[4]]),
    (f"deploy --token=(sensitive{_S1[5]}\n", [_S1[5]]),
]


@pytest.mark.parametrize("text", FLAG_CLEAN)
def test_note_after_flag_unchanged(text: str) -> None:
    H.unchanged(text)


@pytest.mark.parametrize(("text", "secrets"), FLAG_SECRET)
def test_secret_after_flag_masked(text: str, secrets: list[str]) -> None:
    H.masked(text, secrets)


def test_ps_of_a_real_process() -> None:
    """``ps -o args`` of a process started with ``--token (sensitive value)``: unchanged; the
    same process started with a random token: the token masked."""
    secret = _rand(32)
    outs = []
    for value in ("(sensitive value)", secret):
        p = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import time; time.sleep(5)",
                "deploy",
                "--token",
                value,
                "--env",
                "prod",
            ]
        )
        try:
            deadline = time.monotonic() + 5
            line = ""
            while "--env" not in line and time.monotonic() < deadline:
                line = subprocess.run(
                    ["ps", "-ww", "-o", "args=", "-p", str(p.pid)],
                    capture_output=True,
                    text=True,
                    check=False,
                ).stdout
        finally:
            p.kill()
            p.wait()
        assert f"--token {value} --env prod" in line
        outs.append(line)
    H.unchanged(outs[0])
    H.masked(outs[1], [secret])


# --- 2. cookies whose value is a slot -----------------------------------------------------------

_SLOT_COOKIES = (
    "__Host-session=<redacted>; Path=/; Secure",
    "__Secure-token=[masked]; Path=/; Secure; HttpOnly",
    "session=<redacted>; Path=/",
    "sid=***; Path=/",
    "session=; Max-Age=0; Path=/",
    "__Host-auth=${SESSION_COOKIE}; Path=/",
    "remember_token=(not shown); Path=/",
)
COOKIE_CLEAN = [
    f"{pre}{hdr}: {c}\n"
    for c in _SLOT_COOKIES
    for hdr in ("set-cookie", "Set-Cookie", "Cookie")
    for pre in ("", "< ")
]
_S2 = [_rand(32) for _ in range(7)]
COOKIE_SECRET = [
    (f"< set-cookie: __Host-session={_S2[0]}; Path=/; Secure\n", [_S2[0]]),
    (f"< set-cookie: session={_S2[1]}; Path=/\n", [_S2[1]]),
    (f"Set-Cookie: __Secure-token={_S2[2]}; HttpOnly\n", [_S2[2]]),
    (f'set-cookie: session="{_S2[3]}"; Path=/\n', [_S2[3]]),
    (f"Cookie: theme=dark; session={_S2[4]}\n", [_S2[4]]),
    (f"Cookie: sid={_S2[5]}\n", [_S2[5]]),
    (f"set-cookie: session=[{_S2[6]}]; Path=/\n", [_S2[6]]),
]


@pytest.mark.parametrize("text", COOKIE_CLEAN)
def test_slot_cookie_unchanged(text: str) -> None:
    H.unchanged(text)


@pytest.mark.parametrize(("text", "secrets"), COOKIE_SECRET)
def test_cookie_value_masked(text: str, secrets: list[str]) -> None:
    H.masked(text, secrets)


class _CookieHandler(http.server.BaseHTTPRequestHandler):
    secret = _rand(32)

    def do_GET(self) -> None:
        self.send_response(200)
        if self.path == "/secret":
            self.send_header("Set-Cookie", f"__Host-session={self.secret}; Path=/; Secure")
        else:
            for c in _SLOT_COOKIES[:3]:
                self.send_header("Set-Cookie", c)
        self.send_header("Content-Length", "3")
        self.end_headers()
        self.wfile.write(b"ok\n")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    srv = http.server.HTTPServer(("127.0.0.1", 0), _CookieHandler)
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


def _curl_v(url: str) -> str:
    curl = shutil.which("curl")
    assert curl is not None, "curl is installed here"
    r = subprocess.run(
        [curl, "-sv", url, "-o", "/dev/null"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return r.stderr


def test_curl_slot_cookies_unchanged(server: str) -> None:
    out = _curl_v(server + "/clean")
    assert "__Host-session=<redacted>" in out
    H.unchanged(out)


def test_curl_session_cookie_masked(server: str) -> None:
    out = _curl_v(server + "/secret")
    assert _CookieHandler.secret in out
    H.masked(out, [_CookieHandler.secret])


# --- 3. a UUID under a bare name ----------------------------------------------------------------

UUID_CLEAN = [
    f.format(_uuid())
    for f in ("name : {}\n", "name: {}\n", "  name: {}\n", "Name : {}\n", "NAME: {}\n")
]
_S3 = [_uuid() for _ in range(3)]
UUID_SECRET = [
    (f"password: {_S3[0]}\n", [_S3[0]]),
    (f"api_key : {_S3[1]}\n", [_S3[1]]),
    (f"HEROKU_API_KEY={_S3[2]}\n", [_S3[2]]),
]


@pytest.mark.parametrize("text", UUID_CLEAN)
def test_uuid_under_name_unchanged(text: str) -> None:
    H.unchanged(text)


@pytest.mark.parametrize(("text", "secrets"), UUID_SECRET)
def test_uuid_under_key_word_masked(text: str, secrets: list[str]) -> None:
    H.masked(text, secrets)


# --- 4. base64 cells under a content column -----------------------------------------------------

_SVCS = ("api", "web", "worker", "cron", "jira", "mixpanel")


def _csv(head: str, values: list[str], delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter)
    w.writerow(["svc", head])
    w.writerows(zip(_SVCS, values, strict=False))
    return buf.getvalue()


def _column_t(text: str) -> str:
    col = shutil.which("column")
    assert col is not None, "util-linux column is installed here"
    return subprocess.run(
        [col, "-t", "-s", ","], input=text, capture_output=True, text=True, check=True
    ).stdout


_CONTENT_HEADS = ("thumbnail", "payload", "avatar", "avatar_b64", "imageData")
_SECRET_HEADS = ("token", "secret", "api_key", "thumbnail_token", "payloadSecret")


def _tables(head: str, values: list[str]) -> list[str]:
    csv_text = _csv(head, values)
    return [csv_text, _csv(head, values, "\t"), _column_t(csv_text)]


TABLE_CLEAN = [t for h in _CONTENT_HEADS for t in _tables(h, [_b64(45) for _ in _SVCS])] + [
    # the same with one blank between cells, and under a sign of a unified diff's context
    "svc thumbnail\n" + "".join(f"{s} {_b64(45)}\n" for s in _SVCS),
    '.. csv-table:: Thumbnails\n   :header: "service", "thumbnail"\n\n'
    + "".join(f'   "{s}", "{_b64(45)}"\n' for s in _SVCS),
    '"service", "payload"\n' + "".join(f'"{s}", "{_b64(45)}"\n' for s in _SVCS),
]


def _secret_tables() -> list[tuple[str, list[str]]]:
    out = []
    for h in _SECRET_HEADS:
        values = [_rand(40) for _ in _SVCS]
        out += [(t, values) for t in _tables(h, values)]
    # a content header further up, a secret's header nearer
    values = [_rand(40) for _ in _SVCS]
    out.append(
        (
            "svc       thumbnail\n\nsvc       token\n"
            + "".join(f"{s:10}{v}\n" for s, v in zip(_SVCS, values, strict=True)),
            values,
        )
    )
    return out


TABLE_SECRET = _secret_tables()


@pytest.mark.parametrize("text", TABLE_CLEAN)
def test_content_column_unchanged(text: str) -> None:
    H.unchanged(text)


@pytest.mark.parametrize(("text", "secrets"), TABLE_SECRET)
def test_secret_column_masked(text: str, secrets: list[str]) -> None:
    H.masked(text, secrets)


def test_content_header_over_a_blank_line_reads_nothing() -> None:
    """Rows of keys under a blank line are read as without a header: a content header further
    up does not reach them (the walk stops at the blank line)."""
    rows = "".join(f"{s:10}{_rand(40)}\n" for s in _SVCS)
    head = "svc       thumbnail\n\n"
    alone = H.outs(rows)[0]
    assert alone != rows.encode()  # (some rows are masked without any header)
    assert H.outs(head + rows)[0] == head.encode() + alone
