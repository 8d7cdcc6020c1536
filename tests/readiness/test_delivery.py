"""Digest delivery: a signed, Slack-compatible POST to an incoming webhook, received here by a
real HTTP server on 127.0.0.1 that verifies the Standard Webhooks signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from assets.digest import assets as digest_assets
from assets.digest.delivery import DeliveryError, check_url, deliver, target_of
from assets.digest.digest import build_digest
from assets.planning.tracking import EntryInput, add_entry, write_demo_entries
from assets.readiness.plan import load_plan
from assets.readiness.record import evaluate_and_record, record_decision
from assets.tables import open_store
from pipelines.jobs import daily_digest_schedule
from pipelines.resources import DuckDBResource, GonogoSettings
from reports.digest_message import digest_message

SECRET = "whsec_" + base64.b64encode(b"digest-test-secret-0123456789abcd").decode()
REPO = Path(__file__).resolve().parents[2]
DAY = datetime.now(UTC).date()


class Receiver:
    """A webhook receiver: answers each POST with the next planned status (then 200)."""

    def __init__(self, statuses: list[int] | None = None, retry_after: str | None = None) -> None:
        self.statuses = list(statuses or [])
        self.retry_after = retry_after
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                receiver.requests.append((self.path, dict(self.headers.items()), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                if receiver.retry_after is not None and status in (429, 503):
                    self.send_header("Retry-After", receiver.retry_after)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        # The path stands for an incoming-webhook secret (Slack's T…/B…/token shape).
        return f"http://127.0.0.1:{self.server.server_address[1]}/services/T000/B000/SECRETPATH"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


def verify_by_hand(headers: dict[str, str], body: bytes, secret: str = SECRET) -> bool:
    """The Standard Webhooks check written out: v1 = base64(HMAC-SHA256(key, id.ts.body))."""
    h = {k.lower(): v for k, v in headers.items()}
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{h['webhook-id']}.{h['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(sig.split(",", 1) == ["v1", expected] for sig in h["webhook-signature"].split(" "))


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """A state directory with a decided run and a few days of demo tracking entries."""
    h = tmp_path / "home"
    h.mkdir()
    now = datetime.now(UTC)
    plan = load_plan(REPO / "plans" / "navi")
    with open_store(h / "gonogo.duckdb") as con:
        write_demo_entries(con, plan, DAY, now)
        record_decision(con, plan, evaluate_and_record(con, plan, now))
    yield h


def _digest(home: Path) -> dict[str, Any]:
    with open_store(home / "gonogo.duckdb") as con:
        return build_digest(con, load_plan(REPO / "plans" / "navi"), DAY)


def test_cli_posts_the_signed_digest_and_the_receiver_verifies_it(
    home: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "GONOGO_HOME": str(home), "GONOGO_DIGEST_SECRET": SECRET}
    with Receiver() as rx:
        out = subprocess.run(
            [sys.executable, "-m", "gonogo", "digest", "--date", DAY.isoformat(), "--out",
             str(tmp_path / "out"), "--deliver", rx.url],
            capture_output=True, text=True, timeout=300, env=env, cwd=REPO,
        )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert len(rx.requests) == 1
    path, headers, body = rx.requests[0]
    assert path == "/services/T000/B000/SECRETPATH"
    payload = Webhook(SECRET).verify(body, headers)  # the reference verifier
    assert verify_by_hand(headers, body)  # and the spec written out
    assert headers["content-type"] == "application/json"
    assert payload["text"] and payload["blocks"][0]["type"] == "header"
    texts = "\n".join(b["text"]["text"] for b in payload["blocks"] if b["type"] == "section")
    plan = load_plan(REPO / "plans" / "navi")
    for f in plan.tracking_fields:  # the five sections, each with content
        block = next(b["text"]["text"] for b in payload["blocks"] if b["type"] == "section"
                     and b["text"]["text"].startswith(f"*{f.text}*"))  # fmt: skip
        assert "_nothing recorded_" not in block, f.text
    assert "Escalated: decisions open more than two days" in texts
    assert "SECRETPATH" not in out.stdout + out.stderr  # the URL's path is a credential
    assert "delivered to http://127.0.0.1:" in out.stdout
    assert (tmp_path / "out" / f"digest-{DAY.isoformat()}.md").exists()


def test_retries_keep_one_message_id_and_sign_every_attempt(home: Path) -> None:
    message = digest_message(_digest(home))
    sleeps: list[float] = []
    with Receiver([503, 429, 502], retry_after="0") as rx:
        d = deliver(rx.url, message, SECRET, sleep=sleeps.append)
    assert d.attempts == 4 and d.status == 200 and len(rx.requests) == 4
    assert {h["webhook-id"] for _, h, _ in rx.requests} == {d.message_id}
    for _, h, body in rx.requests:
        assert verify_by_hand(h, body) and json.loads(body) == message
    assert sleeps == [0.0, 0.0, 2.0]  # Retry-After: 0 honoured on 503 and 429; 502 backs off


def test_backoff_grows_when_the_receiver_gives_no_retry_after(home: Path) -> None:
    sleeps: list[float] = []
    with Receiver([500, 500]) as rx:
        deliver(rx.url, {"text": "x", "blocks": []}, SECRET, sleep=sleeps.append, backoff=0.25)
    assert sleeps == [0.25, 0.5] and len(rx.requests) == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_a_refusal_is_not_retried_and_the_error_hides_the_path(status: int) -> None:
    with Receiver([status]) as rx:
        with pytest.raises(DeliveryError) as err:
            deliver(rx.url, {"text": "x", "blocks": []}, SECRET, sleep=lambda s: None)
    assert len(rx.requests) == 1
    msg = str(err.value)
    assert f"HTTP {status}" in msg and "not retried" in msg and "SECRETPATH" not in msg
    assert "\n" not in msg


def test_an_unreachable_receiver_fails_after_the_attempts_with_a_clear_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there
    sleeps: list[float] = []
    with pytest.raises(DeliveryError, match=r"not delivered to http://127\.0\.0\.1:\d+ after 3 attempts: ConnectError"):  # fmt: skip
        deliver(f"http://127.0.0.1:{port}/hook/SECRETPATH", {"text": "x"}, SECRET,
                attempts=3, sleep=sleeps.append)  # fmt: skip
    assert len(sleeps) == 2


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://hooks.example.com/services/T/B/X", "plain http only to a loopback address"),
        ("http://10.0.0.5/hook", "plain http only to a loopback address"),
        ("ftp://127.0.0.1/hook", "https://"),
        ("hooks.slack.com/services/T/B/X", "https://"),
        ("https://user:pw@hooks.example.com/x", "no credentials"),
        ("https://hooks.example.com:99999/x", "not a URL"),
        ("", "https://"),
    ],
)
def test_urls_that_may_not_receive_the_digest(url: str, why: str) -> None:
    with pytest.raises(DeliveryError, match=why):
        check_url(url)


def test_urls_that_may() -> None:
    for url in ("https://hooks.slack.com/services/T/B/X", "http://127.0.0.1:8080/x",
                "http://localhost/x", "http://[::1]:9/x"):  # fmt: skip
        assert check_url(url) == url
    assert target_of("https://hooks.slack.com/services/T/B/X") == "https://hooks.slack.com"


@pytest.mark.parametrize(
    ("secret", "why"),
    [(None, "set GONOGO_DIGEST_SECRET"), ("", "set GONOGO_DIGEST_SECRET"),
     ("whsec_***not-base64***", "not a Standard Webhooks secret")],
)  # fmt: skip
def test_no_delivery_without_a_usable_secret(secret: str | None, why: str) -> None:
    with Receiver() as rx:
        with pytest.raises(DeliveryError, match=why):
            deliver(rx.url, {"text": "x"}, secret)
    assert rx.requests == []  # nothing unsigned ever leaves


def test_cli_refuses_a_bad_url_or_secret_before_writing_anything(
    home: Path, tmp_path: Path
) -> None:
    base = {**os.environ, "GONOGO_HOME": str(home)}
    base.pop("GONOGO_DIGEST_SECRET", None)
    cases = [
        ({**base, "GONOGO_DIGEST_SECRET": SECRET}, "http://hooks.example.com/x", "use https"),
        (base, "https://hooks.example.com/x", "set GONOGO_DIGEST_SECRET"),
    ]
    for env, url, why in cases:
        out = subprocess.run(
            [sys.executable, "-m", "gonogo", "digest", "--out", str(tmp_path / "o"), "--deliver", url],
            capture_output=True, text=True, timeout=300, env=env, cwd=REPO,
        )  # fmt: skip
        assert out.returncode == 2 and why in out.stderr and "Traceback" not in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_user_text_cannot_ping_a_channel_or_smuggle_a_link(home: Path) -> None:
    plan = load_plan(REPO / "plans" / "navi")
    with open_store(home / "gonogo.duckdb") as con:
        add_entry(
            con, plan,
            EntryInput("WS2", DAY, "bot", risks_blockers=("<!channel> see <https://evil.example|the doc> & co",)),
            datetime.now(UTC), append=True,
        )  # fmt: skip
    message = digest_message(_digest(home))
    body = json.dumps(message)
    assert "<!channel>" not in body and "<https://evil" not in body
    assert "&lt;!channel&gt; see &lt;https://evil.example|the doc&gt; &amp; co" in body


def test_a_tampered_body_fails_verification(home: Path) -> None:
    with Receiver() as rx:
        deliver(rx.url, {"text": "original"}, SECRET)
    _, headers, body = rx.requests[0]
    tampered = body.replace(b"original", b"forged!!")
    assert not verify_by_hand(headers, tampered)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(tampered, headers)


def test_the_daily_schedule_delivers_only_when_a_webhook_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ctx = dg.build_schedule_context(
        scheduled_execution_time=datetime(2026, 12, 3, 23, 55, tzinfo=UTC)
    )
    monkeypatch.delenv("GONOGO_DIGEST_URL", raising=False)
    off = daily_digest_schedule(ctx)
    assert isinstance(off, dg.RunRequest)
    assert off.run_config["ops"]["daily_digest"]["config"]["deliver"] is False
    monkeypatch.setenv("GONOGO_DIGEST_URL", "https://hooks.example.com/services/T/B/X")
    on = daily_digest_schedule(ctx)
    assert isinstance(on, dg.RunRequest)
    assert on.run_config["ops"]["daily_digest"]["config"] == {"date": "2026-12-03", "deliver": True}
    assert "hooks.example.com" not in json.dumps(on.run_config)  # the URL stays out of run storage


def test_the_digest_asset_posts_to_the_configured_webhook(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GONOGO_DIGEST_SECRET", SECRET)
    resources = {
        "duckdb": DuckDBResource(path=str(home / "gonogo.duckdb")),
        "gonogo": GonogoSettings(home=str(home), plan_dir=str(REPO / "plans" / "navi")),
    }
    config = {
        "ops": {"daily_digest": {"config": {"out_dir": str(tmp_path / "out"), "deliver": True}}}
    }
    with Receiver() as rx:
        monkeypatch.setenv("GONOGO_DIGEST_URL", rx.url)
        result = dg.materialize(
            [digest_assets.daily_digest], resources=resources, run_config=config
        )
    assert result.success and len(rx.requests) == 1
    _, headers, body = rx.requests[0]
    assert verify_by_hand(headers, body)
    meta = result.asset_materializations_for_node("daily_digest")[0].metadata
    assert meta["delivered"].value is True and meta["webhook_id"].value == headers["webhook-id"]
    monkeypatch.delenv("GONOGO_DIGEST_URL")
    failed = dg.materialize([digest_assets.daily_digest], resources=resources, run_config=config,
                            raise_on_error=False)  # fmt: skip
    assert not failed.success  # asked to deliver with nowhere to deliver to: a failure, not a skip


def test_store_is_left_consistent(home: Path) -> None:
    con = duckdb.connect(str(home / "gonogo.duckdb"), read_only=True)
    try:
        n = con.execute("SELECT count(*) FROM tracking_entries WHERE is_demo").fetchone()
    finally:
        con.close()
    assert n and n[0] > 0
