"""Issue 12 item 7: bad input gets one clear line (exit 2) or an answer, in bounded time and
memory, and the gateway never echoes what it refused."""

from __future__ import annotations

import json
import re
import resource
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from gonogo.config import DEFAULT_PLAN_DIR
from tests.faults.conftest import CALLER, GONOGO, Home, serve

GH_TOKEN = "ghp_" + "Qw3rTy" * 6  # a GitHub token shape, built at runtime
REQ = {**CALLER, "tool": "exec", "command": "ls"}


def _capped(limit_bytes: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    return apply


def _one_line_error(res: subprocess.CompletedProcess[str]) -> None:
    assert res.returncode == 2, (res.returncode, res.stderr[-500:])
    assert "Traceback" not in res.stderr
    assert res.stderr.strip().count("\n") == 0 and 0 < len(res.stderr) < 2000, res.stderr[-500:]


def test_batch_answers_every_line_in_order(
    gonogo_home: Home, evidence: Callable[..., None]
) -> None:
    bad = [
        "[1, 2]", '"text"', "null", "12", '{"tenant": 5}', "[" * 5000, "{" * 100_000,
        json.dumps({**REQ, "extra": 1}), json.dumps({**REQ, "command": {"x": 1}}),
        json.dumps({**REQ, "command": "a" * 70_000}), json.dumps({**REQ, "tenant": "ACME"}),
        json.dumps({**REQ, "tool": "connector", "connector": "github", "resource": [1]}),
        json.dumps({**REQ, "command": "$(" * 3000}), "", "\x00\x01\x02", "{'single': 'quotes'}",
    ]  # fmt: skip
    lines = [json.dumps(REQ), *bad, json.dumps(REQ)]
    batch = gonogo_home.root / "batch.jsonl"
    batch.write_bytes("\n".join(lines).encode() + b"\n\xff\xfe\n")
    res = gonogo_home.run("policy", "eval", "--batch", str(batch))
    assert res.returncode == 0, res.stderr[-1000:]
    out = [json.loads(x) for x in res.stdout.splitlines()]
    assert len(out) == len(lines) + 1
    assert out[0]["decision"] == "allow" and out[-2]["decision"] == "allow"
    assert all(o["decision"] == "deny" for o in out[1:-2]) and out[-1]["decision"] == "deny"
    assert all(o["reason"] and len(o["reason"]) < 1000 for o in out)
    evidence("policy eval --batch with bad lines", written=len(lines) + 1, ingested=len(out))


@pytest.mark.parametrize(
    "args",
    [
        ["policy", "explain", "{"],
        ["policy", "explain", "[1]"],
        ["policy", "explain", "[" * 100_000],
        ["policy", "explain", json.dumps({**REQ, "tool": "teleport"})],
        ["policy", "explain", json.dumps(REQ), "--policy", "/nonexistent/p.yaml"],
        ["slo", "rules", "/nonexistent.yaml"],
        ["slo", "rules", "/"],
        ["slo", "rules", "{binary}"],
        ["slo", "rules", "{deep}"],
        ["slo", "rules", "{laughs}"],
        ["plan", "validate", "/nonexistent"],
        ["plan", "validate", "{binary_plan}"],
        ["plan", "validate", "{deep_plan}"],
    ],
)
def test_user_errors_are_one_line_and_exit_2(gonogo_home: Home, args: list[str]) -> None:
    root = gonogo_home.root
    (root / "binary.yaml").write_bytes(b"\xff\xfe\x00\x01")
    (root / "deep.yaml").write_text("a: " + "[" * 50_000 + "\n")
    (root / "laughs.yaml").write_text(_laughs("service"))
    for name, text in (("binary_plan", None), ("deep_plan", "[" * 50_000)):
        d = root / name
        d.mkdir(exist_ok=True)
        (d / "plan.yaml").write_bytes(b"\xff\xfe" if text is None else text.encode())
    paths = {
        "{binary}": root / "binary.yaml",
        "{deep}": root / "deep.yaml",
        "{laughs}": root / "laughs.yaml",
        "{binary_plan}": root / "binary_plan",
        "{deep_plan}": root / "deep_plan",
    }
    _one_line_error(gonogo_home.run(*[str(paths.get(a, a)) for a in args], timeout=120))


def _laughs(key: str, depth: int = 9) -> str:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, depth):
        lines.append(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]")
    lines.append(f"{key}: *l{depth - 1}")
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_plan_is_refused_in_bounded_time_and_memory(tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    shutil.copytree(DEFAULT_PLAN_DIR, plan)
    text = (plan / "plan.yaml").read_text()
    laughs = _laughs("x_laughs").replace("x_laughs: *l8\n", "")
    text = re.sub(r"^(title: ).*$", r"\1*l8", text, count=1, flags=re.M)
    if "*l8" not in text:
        text = text.replace("\nworkstreams:", "\ntitle_again: *l8\nworkstreams:", 1)
    (plan / "plan.yaml").write_text(laughs + text)
    started = time.monotonic()
    res = subprocess.run(
        [str(GONOGO), "plan", "validate", str(plan)],
        capture_output=True, text=True, timeout=120, preexec_fn=_capped(1 << 30),
    )  # fmt: skip
    assert time.monotonic() - started < 60
    _one_line_error(res)
    assert "aliases" in res.stderr or "nodes" in res.stderr


def test_the_gateway_refuses_without_echoing_and_caps_bodies(gonogo_home: Home) -> None:
    server = serve(gonogo_home)
    url = f"{server.url}/v1/tool-calls"
    junk = "x" * (1024 * 1024)
    # Wrong types and unknown fields: a 422 that names the fields, never their values.
    r = httpx.post(
        url,
        json={"tenant": "acme", "actor": "a", "role": "contributor", "tool": 5,
              "command": [GH_TOKEN], "junk": junk, "session": {"t": GH_TOKEN}},
        timeout=60,
    )  # fmt: skip
    assert r.status_code == 422
    assert GH_TOKEN not in r.text and "xxxxxxxxxx" not in r.text and len(r.text) < 4096
    # A request the agent refuses to even evaluate: short and redacted.
    r = httpx.post(url, json={**REQ, "tenant": f"acme-{GH_TOKEN}", "command": "ls"}, timeout=60)
    assert r.status_code in (403, 422) and GH_TOKEN not in r.text and len(r.text) < 4096
    # Bodies past the cap are refused before they are read into memory.
    big = b'{"tenant": "acme", "payload": "' + b"y" * (200 * 1024 * 1024) + b'"}'
    try:
        r = httpx.post(url, content=big, headers={"content-type": "application/json"}, timeout=120)
        assert r.status_code == 413
    except httpx.HTTPError:
        pass  # the server closed the connection after answering 413 mid-upload
    chunks = (b"z" * 65536 for _ in range(1600))  # 100 MiB, no content-length
    try:
        r = httpx.post(
            url, content=chunks, headers={"content-type": "application/json"}, timeout=120
        )
        assert r.status_code == 413
    except httpx.HTTPError:
        pass
    rss_kb = int(
        re.search(r"VmHWM:\s+(\d+)", Path(f"/proc/{server.proc.pid}/status").read_text()).group(1)
    )  # type: ignore[union-attr]
    assert rss_kb < 400 * 1024, rss_kb  # the 200 MB body never sat in the server's memory
    assert server.call({"tool": "list", "path": "."}).status_code == 200  # still serving
    server.proc.send_signal(signal.SIGTERM)


def test_traceparent_from_the_gateway_request_is_the_spans_trace(gonogo_home: Home) -> None:
    server = serve(gonogo_home)
    trace_id, parent = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    r = httpx.post(
        f"{server.url}/v1/tool-calls",
        json={**REQ, "tool": "list", "path": "."},
        headers={"traceparent": f"00-{trace_id}-{parent}-01"},
        timeout=60,
    )
    assert r.status_code == 200
    server.proc.send_signal(signal.SIGTERM)
    server.proc.wait(timeout=60)
    from enforcement_agent.spool import read_spans

    (span,) = list(read_spans(gonogo_home.spool))
    assert span.trace_id == trace_id and span.parent_span_id == parent
    [rec] = gonogo_home.records()
    assert rec["trace_id"] == trace_id and rec["span_id"] == span.span_id
