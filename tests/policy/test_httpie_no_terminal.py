"""Stop 48, lead (issue 10, class 5): HTTPie and xh with no terminal on their input send a POST.

HTTPie (and xh, which copies it) reads its standard input as the request's body whenever it is
not a terminal, and a body makes the default method POST. A tool call's standard input is
never a terminal (the sandbox gives /dev/null), so `http https://x.example` sends an empty POST,
which can change data there (a webhook, a job trigger). It was read as a GET and allowed;
only a pipe, a file or a here-document counted. Now only a method word or `--ignore-stdin`/`-I`
makes it a GET. Proved by effect below with the real `http` against a loopback server.
"""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from tests.policy.verdicts import exec_verdict

A, Q = Verdict.ALLOW, Verdict.ASK
HTTP = Path(sys.executable).with_name("http")

TABLE = [
    # nothing fed, no method word: an empty POST
    ("http https://x.example", Q),
    ("https x.example/a", Q),
    ("xh https://x.example", Q),
    ("xhs x.example/hook", Q),
    ("http -v https://x.example", Q),
    ("http --check-status --timeout 5 https://x.example", Q),
    ("http https://x.example -o out.json", Q),
    ("http -do out.json https://x.example", Q),
    ("http --print=Hh https://x.example", Q),
    ("http https://x.example Accept:application/json", Q),
    ("http https://x.example q==1", Q),
    ("http --follow https://x.example/deploy", Q),
    ("xh --bearer t https://x.example/jobs/run", Q),
    ("timeout 5 http https://x.example", Q),
    ("bash -c 'http https://x.example'", Q),
    ("env http https://x.example", Q),
    ("http --ign https://x.example", Verdict.DENY),  # (ambiguous: --ignore-netrc too)
    ("http --ignore-s https://x.example", Verdict.DENY),  # (prefixes are read as undecidable)
    ("for u in a b; do http https://x.example/$u; done", Q),
    ("http https://x.example 2>/dev/null", Q),
    # a method word or the flag: a GET
    ("http GET https://x.example", A),
    ("http get https://x.example", A),
    ("http -I https://x.example", A),
    ("http --ignore-stdin https://x.example", A),
    ("http -Iv https://x.example", A),
    ("xh -I https://x.example", A),
    ("https -I x.example/a q==1", A),
    ("http -I https://x.example -o out.json", A),
    # this machine: any method
    ("http :8000/items", A),
    ("http localhost:8000/items", A),
]


@pytest.mark.parametrize(("command", "expected"), TABLE)
def test_no_terminal_means_a_post(
    default_policy: Policy, tmp_path: Path, command: str, expected: Verdict
) -> None:
    verdict, rule = exec_verdict(default_policy, tmp_path, command)
    assert verdict is expected, (command, rule)


@pytest.fixture
def methods() -> Iterator[tuple[int, list[str]]]:
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _any(self) -> None:
            seen.append(self.command)
            self.send_response(200)
            self.end_headers()

        do_GET = do_POST = _any

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()


def test_by_effect(methods: tuple[int, list[str]]) -> None:
    """The real HTTPie with /dev/null on its input, as the sandbox runs it."""
    port, seen = methods
    url = f"127.0.0.1:{port}/x"
    for args in ([url], ["--ignore-stdin", url], ["-I", url], ["GET", url]):
        subprocess.run(
            [str(HTTP), *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=30,
            check=True,
        )
    assert seen == ["POST", "GET", "GET", "GET"]
