"""Latency of the agent integrations (Claude Code hook, MCP server), side by side with peers.

Run: ``python -m benchmarks.perf.bench_integrations [--hook-runs N] [--mcp-calls N]``
Prints one JSON document:

* ``hook_process``: one ``python -m gonogo hook claude-code`` process per tool call, as Claude
  Code runs it (stdin JSON → decision JSON, fsynced record), beside the peer
  ``minimal_python_hook``: the smallest Python PreToolUse hook there is (parse stdin, print
  allow), i.e. the interpreter start-up floor every Python hook pays.
* ``hook_in_process``: ``run_hook`` with a warm agent (map + policy + fsynced record), beside
  ``policy_decide_only`` (the policy alone, no record).
* ``mcp_call``: ``read_file`` and an allowed ``exec`` through ``gonogo mcp serve`` over stdio
  with the ``mcp`` client, beside the peer ``ungoverned_mcp_server``: an ``MCPServer`` with
  the same ``read_file`` tool that just reads the file (no policy, record or redaction).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from gonogo.config import REPO_ROOT

MINIMAL_HOOK = (
    "import json,sys; json.load(sys.stdin); print(json.dumps({'hookSpecificOutput': "
    "{'hookEventName': 'PreToolUse', 'permissionDecision': 'allow', "
    "'permissionDecisionReason': 'ok'}}))"
)
UNGOVERNED_MCP = """
import pathlib, sys
from mcp.server.mcpserver import MCPServer
ws = pathlib.Path(sys.argv[1])
server = MCPServer("ungoverned", log_level="WARNING")
@server.tool(name="read_file", structured_output=False)
def read_file(path: str) -> str:
    return (ws / path).read_text()
server.run("stdio")
"""


def _stats_ms(samples_s: list[float]) -> dict[str, float]:
    samples = sorted(samples_s)
    n = len(samples)
    med = statistics.median(samples)
    return {
        "n": n,
        "median_ms": round(med * 1000, 3),
        "p99_ms": round(samples[min(n - 1, int(n * 0.99))] * 1000, 3),
        "throughput_per_s": round(n / sum(samples), 1),
    }


def _hook_payload(ws: Path, command: str) -> bytes:
    return json.dumps(
        {
            "session_id": "bench",
            "transcript_path": "/dev/null",
            "cwd": str(ws),
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": command},
        }
    ).encode()


def _time_process(argv: list[str], stdin: bytes, env: dict[str, str], runs: int) -> list[float]:
    out: list[float] = []
    for _ in range(runs + 2):  # two warm-up runs (page cache, pyc)
        t = time.perf_counter()
        proc = subprocess.run(argv, input=stdin, capture_output=True, env=env, cwd=REPO_ROOT)
        out.append(time.perf_counter() - t)
        if proc.returncode != 0 or b"permissionDecision" not in proc.stdout:
            raise RuntimeError(f"hook failed: {proc.stderr.decode()[:500]}")
    return out[2:]


def bench_hook_process(ws: Path, env: dict[str, str], runs: int) -> dict[str, Any]:
    payload = _hook_payload(ws, "git status --short && ls src")
    ours = _time_process(
        [
            sys.executable,
            "-m",
            "gonogo",
            "hook",
            "claude-code",
            "--tenant",
            "acme",
            "--role",
            "contributor",
            "--workspace",
            str(ws),
        ],  # fmt: skip
        payload,
        env,
        runs,
    )
    peer = _time_process([sys.executable, "-c", MINIMAL_HOOK], payload, env, runs)
    return {"gonogo_hook": _stats_ms(ours), "peer_minimal_python_hook": _stats_ms(peer)}


def bench_hook_in_process(ws: Path, home: Path, iterations: int) -> dict[str, Any]:
    from enforcement_agent.integrations.claude_hook import HookOperator, run_hook
    from enforcement_agent.models import ToolRequest
    from gonogo.config import Settings
    from gonogo.wiring import build_agent

    agent = build_agent(Settings(home=home), workspace=ws)
    op = HookOperator(tenant="acme", role="contributor", workspace=ws)
    payloads = [
        _hook_payload(ws, c)
        for c in ("git status --short && ls src", "rm -rf /opt", "pytest -q tests")
    ]
    req = ToolRequest(
        tenant="acme", actor="b", role="contributor", tool="exec", command="git status --short"
    )
    hook_s: list[float] = []
    decide_s: list[float] = []
    for i in range(iterations + 50):
        t = time.perf_counter()
        run_hook(payloads[i % 3], op, agent)
        hook_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        agent.decide(req, ws)
        decide_s.append(time.perf_counter() - t)
    agent.telemetry.shutdown()
    return {
        "run_hook_with_record": _stats_ms(hook_s[50:]),
        "policy_decide_only": _stats_ms(decide_s[50:]),
    }


def _mcp_session(
    argv: list[str], env: dict[str, str], body: Callable[[Any], Awaitable[list[float]]]
) -> list[float]:
    import anyio
    from mcp import ClientSession, StdioServerParameters, stdio_client

    params = StdioServerParameters(command=sys.executable, args=argv, env=env, cwd=str(REPO_ROOT))

    async def main() -> list[float]:
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                return await body(session)

    return anyio.run(main)


def bench_mcp(ws: Path, env: dict[str, str], calls: int) -> dict[str, Any]:
    def timed(name: str, args: dict[str, str]) -> Callable[[Any], Awaitable[list[float]]]:
        async def body(session: Any) -> list[float]:
            out: list[float] = []
            for _ in range(calls + 5):
                t = time.perf_counter()
                res = await session.call_tool(name, args)
                out.append(time.perf_counter() - t)
                if res.is_error:
                    raise RuntimeError(f"{name} failed: {res.content}")
            return out[5:]

        return body

    serve = ["-m", "gonogo", "mcp", "serve", "--tenant", "acme", "--role", "contributor",
             "--workspace", str(ws)]  # fmt: skip
    read = _mcp_session(serve, env, timed("read_file", {"path": "src/app.py"}))
    peer = _mcp_session(
        ["-c", UNGOVERNED_MCP, str(ws)], env, timed("read_file", {"path": "src/app.py"})
    )
    result: dict[str, Any] = {
        "gonogo_read_file": _stats_ms(read),
        "peer_ungoverned_mcp_read_file": _stats_ms(peer),
    }
    from enforcement_agent.sandbox.bwrap import bwrap_path, bwrap_works

    bwrap = bwrap_path()
    if bwrap is None or not bwrap_works(bwrap):
        result["gonogo_exec_sandboxed"] = {"skipped": "bubblewrap is unavailable here"}
    else:
        result["gonogo_exec_sandboxed"] = _stats_ms(
            _mcp_session(serve, env, timed("exec", {"command": "ls src"}))
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hook-runs", type=int, default=30)
    parser.add_argument("--in-process", type=int, default=2000)
    parser.add_argument("--mcp-calls", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gonogo-bench-int-") as tmp:
        root = Path(tmp)
        ws = root / "project"
        (ws / "src").mkdir(parents=True)
        (ws / "src" / "app.py").write_text("print('hello')\n" * 40)
        home = root / "home"
        env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
        env["GONOGO_HOME"] = str(home)
        doc = {
            "benchmark": "integrations",
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "hook_process": bench_hook_process(ws, env, args.hook_runs),
            "hook_in_process": bench_hook_in_process(ws, root / "home-inproc", args.in_process),
            "mcp_call": bench_mcp(ws, env, args.mcp_calls),
        }
    print(json.dumps(doc, indent=2))


if __name__ == "__main__":
    main()
