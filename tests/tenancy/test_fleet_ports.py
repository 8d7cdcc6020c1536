"""The probe fleet starts each gateway on a port it picked: a port another process holds (it
answers /healthz too) must never be taken for the new gateway, or probes as one tenant reach
another tenant's server and read as leaks (seen once in a demo run)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from assets.isolation import fleet
from gonogo.config import Settings


class _Impostor(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = json.dumps({"status": "ok"}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


def test_a_port_held_by_another_server_is_not_taken_for_the_gateway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = Settings(home=tmp_path / "home").ensure()
    home.workspace("acme").mkdir(parents=True)
    impostor = ThreadingHTTPServer(("127.0.0.1", 0), _Impostor)
    held = impostor.server_address[1]
    threading.Thread(
        target=impostor.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    real = fleet._free_port
    picks = iter([held])
    monkeypatch.setattr(fleet, "_free_port", lambda: next(picks, None) or real())
    try:
        with fleet.gateway_fleet_for(["acme"], home.home, start_timeout=90) as [target]:
            assert not target.base_url.endswith(f":{held}")
            r = httpx.get(target.base_url + "/healthz", timeout=10)
            assert r.status_code == 200 and r.json().get("instance")
    finally:
        impostor.shutdown()
    logs = sorted((home.home / "evidence" / "isolation").glob("gateway-acme-*.log"))
    assert logs  # the first try's log says why it did not come up (address in use)
