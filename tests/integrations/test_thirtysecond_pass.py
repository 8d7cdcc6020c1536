"""Thirty-second red-team pass (issue 10, class 13 and 9): the MCP server's own surface.

Finding: a ``tools/call`` the MCP SDK refused before a tool body ran (a path that is a list,
a number, ``null`` or missing; content that is an object; an unknown tool name) and one the
request model refused (a 70 000-character path, content over the write cap) came back as a
tool error with *no decision record*: the attempt was not on the chain, while the hook
records every refused input. Shown by effect: the decision log's line count did not change.
Now each such call leaves exactly one record (rule ``mcp.invalid-request``), and every call
of this file, refused or allowed, leaves exactly one.

The server is in-process (``mcp.Client`` on the ``MCPServer``), one per module.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from enforcement_agent.integrations.mcp_server import (
    MAX_WRITE_CHARS,
    GovernedTools,
    build_server,
)
from gonogo.config import Settings
from gonogo.wiring import build_agent

SECRET = "ghp_" + "Zq7" * 6 + "Xw9" * 6


class Served:
    def __init__(self, home: Path, ws: Path, tools: GovernedTools) -> None:
        self.home, self.ws, self.tools = home, ws, tools
        self.server = build_server(tools)

    def log(self) -> list[dict[str, Any]]:
        """The decision records (an allowed call that could not act also gets an outcome
        record beside its decision: ``record: outcome``, not counted)."""
        path = self.home / "audit" / "acme" / "decisions.jsonl"
        rows = [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []
        return [r for r in rows if r.get("record") != "outcome"]

    def calls(self, calls: list[tuple[str, Any]]) -> list[tuple[bool, str, int]]:
        """(is_error, text, new records) for each call, in one session."""
        out: list[tuple[bool, str, int]] = []

        async def main() -> None:
            async with Client(self.server) as c:
                for name, args in calls:
                    before = len(self.log())
                    r = await c.call_tool(name, args)
                    text = "".join(getattr(x, "text", "") for x in r.content)
                    out.append((bool(r.is_error), text, len(self.log()) - before))

        anyio.run(main)
        return out


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("rt32-mcp")
    ws = root / "project"
    (ws / "src").mkdir(parents=True)
    (ws / "src" / "app.py").write_text("print('hi')\n")
    (ws / ".env").write_text(f"TOKEN={SECRET}\n")
    git = ["git", "-C", str(ws), "-c", "user.email=a@example.org", "-c", "user.name=a"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", ".env", "src/app.py"], check=True)
    subprocess.run([*git, "commit", "-qm", "c1"], check=True)
    home = root / "home"
    agent = build_agent(Settings(home=home), workspace=ws)
    tools = GovernedTools(agent=agent, tenant="acme", role="contributor", workspace=ws)
    yield Served(home, ws, tools)
    agent.telemetry.shutdown()


MALFORMED: list[tuple[str, Any]] = [
    ("read_file", {"path": ["src/app.py"]}),
    ("read_file", {"path": 5}),
    ("read_file", {"path": None}),
    ("read_file", {"path": True}),
    ("read_file", {"path": {"p": ".env"}}),
    ("read_file", {}),
    ("read_file", {"path": "x" * 70_000}),
    ("read_file", {"path": "src/app.py\x00.env"}),
    ("list_dir", {"path": 1.5}),
    ("list_dir", {"path": [".", ".git"]}),
    ("write_file", {"path": "a.txt"}),
    ("write_file", {"path": "a.txt", "content": {"x": 1}}),
    ("write_file", {"path": "a.txt", "content": ["x"]}),
    ("write_file", {"content": "x"}),
    ("write_file", {"path": "big.txt", "content": "x" * (MAX_WRITE_CHARS + 1)}),
    ("exec", {"command": ["ls"]}),
    ("exec", {}),
    ("exec", {"command": 7}),
    ("connector_call", {"connector": 1, "operation": "x"}),
    ("connector_call", {"connector": "github"}),
    ("connector_call", {"connector": "github", "operation": "repos.get", "resource": ["a/b"]}),
    ("nosuch", {"a": 1}),
    ("Read", {"file_path": ".env"}),
    ("read_file ", {"path": ".env"}),
]


def test_every_refused_mcp_call_leaves_exactly_one_record(served: Served) -> None:
    results = served.calls(MALFORMED)
    for (name, args), (is_error, text, records) in zip(MALFORMED, results, strict=True):
        assert is_error, (name, str(args)[:80], text[:200])
        assert records == 1, (name, str(args)[:80], records, text[:200])
        assert SECRET not in text
    # nothing acted: no file was written
    assert not (served.ws / "a.txt").exists() and not (served.ws / "big.txt").exists()
    tail = served.log()[-len(MALFORMED) :]
    assert all(r["result"] == "deny" for r in tail)
    assert {r["rule"] for r in tail} <= {"mcp.invalid-request", "file.outside-workspace"}, tail
    assert all(SECRET not in json.dumps(r) for r in tail)


def test_decided_calls_still_leave_exactly_one_record(served: Served) -> None:
    calls: list[tuple[str, Any]] = [
        ("read_file", {"path": "src/app.py"}),
        ("read_file", {"path": "src/app.py", "extra": "ignored"}),
        ("read_file", {"path": ".env"}),
        ("read_file", {"path": "no-such-file"}),
        ("write_file", {"path": ".git/hooks/pre-commit", "content": "x"}),
        ("list_dir", {"path": "."}),
        ("connector_call", {"connector": "github", "operation": "repos.delete", "resource": "a/b"}),
    ]
    results = served.calls(calls)
    assert [r[2] for r in results] == [1] * len(calls), results
    assert results[0][0] is False and "print('hi')" in results[0][1]
    assert results[1][0] is False
    assert all(SECRET not in text for _, text, _ in results)


def test_mcp_read_of_the_object_store_returns_nothing(served: Served) -> None:
    blob = subprocess.run(
        ["git", "-C", str(served.ws), "rev-parse", "HEAD:.env"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    loose = f".git/objects/{blob[:2]}/{blob[2:]}"
    [(is_error, text, records)] = served.calls([("read_file", {"path": loose})])
    assert is_error and "object store" in text and records == 1


def test_raw_json_rpc_oddities_over_stdio(tmp_path: Path) -> None:
    """One real ``gonogo mcp serve`` process fed raw lines: a batch, ids of odd types, a
    duplicated argument key, a lone surrogate. Nothing runs unrecorded, nothing crashes the
    server, and a duplicated key is decided and written as the one value."""
    import os
    import sys
    import threading

    from gonogo.config import REPO_ROOT

    ws = tmp_path / "project"
    (ws / "src").mkdir(parents=True)
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env["GONOGO_HOME"] = str(home)
    call = {"jsonrpc": "2.0", "method": "tools/call"}

    def write(i: Any, path: str, content: str = "x") -> dict[str, Any]:
        args = {"path": path, "content": content}
        return {**call, "id": i, "params": {"name": "write_file", "arguments": args}}

    lines = [
        json.dumps(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {
                    "protocolVersion": "2025-06-18",
                    "capabilities": {},
                    "clientInfo": {"name": "rt32", "version": "1"},
                },
            }
        ),
        json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json.dumps([write(2, "batch-1.txt"), write(3, "batch-2.txt")]),
        json.dumps(write({"a": 1}, "object-id.txt")),
        json.dumps(write(None, "null-id.txt")),
        json.dumps(write([4], "array-id.txt")),
        # the policy sees the last `path`, and so does the write
        '{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"write_file",'
        '"arguments":{"path":".git/hooks/pre-commit","path":"dup.txt","content":"x"}}}',
        '{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"write_file",'
        '"arguments":{"path":"dup2.txt","path":".git/hooks/pre-commit","content":"x"}}}',
        json.dumps(write(7, "surrogate.txt", "\ud800")),
        json.dumps(write(8, "last.txt")),
    ]
    argv = [sys.executable, "-m", "gonogo", "mcp", "serve", "--tenant", "acme"]
    argv += ["--role", "contributor", "--workspace", str(ws)]
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=REPO_ROOT,
    )
    assert proc.stdin is not None and proc.stdout is not None
    killer = threading.Timer(60, proc.kill)  # bounded: a hung server fails the test
    killer.start()
    answers: dict[str, Any] = {}
    try:
        proc.stdin.write(("\n".join(lines) + "\n").encode())
        proc.stdin.flush()
        # calls are served concurrently: wait for every one that reaches a tool
        while not {"5", "6", "8"} <= answers.keys():
            line = proc.stdout.readline()
            if not line:
                break
            msg = json.loads(line)
            if isinstance(msg, dict) and "id" in msg:
                answers[json.dumps(msg["id"])] = msg
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
        killer.cancel()
    assert answers["8"]["result"]["isError"] is False
    assert answers["5"]["result"]["isError"] is False
    assert answers["6"]["result"]["isError"] is True
    names = sorted(p.name for p in ws.iterdir())
    assert names == ["dup.txt", "last.txt", "src"], names
    assert not (ws / ".git").exists()
    log = home / "audit" / "acme" / "decisions.jsonl"
    records = [json.loads(x) for x in log.read_text().splitlines()]
    decided = sorted((r["target"], r["result"]) for r in records)
    # one record for each call that reached a tool: 5, 6 and 8 (and none for what ran nothing)
    assert decided == [
        (".git/hooks/pre-commit", "deny"),
        ("dup.txt", "allow"),
        ("last.txt", "allow"),
    ], records
