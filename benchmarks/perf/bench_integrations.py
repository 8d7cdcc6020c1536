"""Latency of the agent integrations (Claude Code hook, MCP server), side by side with peers.

Run: ``python -m benchmarks.perf.bench_integrations [--hook-runs N] [--http-calls N]
[--mcp-calls N] [--only PART,…] [--baseline DIR]``. Prints one JSON document:

* ``hook_process``: one ``gonogo hook claude-code`` process per tool call, as Claude Code runs
  the command hook (stdin JSON → decision JSON with the sandbox rewrite, fsynced record), beside
  the peer ``minimal_python_hook``: the smallest Python PreToolUse hook there is (parse stdin,
  print allow), i.e. the interpreter start-up floor every Python hook pays. Measured the way
  an installed gonogo runs: bytecode cached (here under a private ``PYTHONPYCACHEPREFIX``, since
  this environment sets ``PYTHONDONTWRITEBYTECODE``) and the compiled-policy cache warm;
  ``first_call_ms`` is the one call that compiles the policy, and ``without_bytecode_cache``
  the same hook with every module of ours compiled from source each time.
* ``hook_process.versus_baseline`` (``--baseline DIR``, a checkout of another revision, e.g.
  ``git worktree add DIR main`` or ``git archive main | tar -x -C DIR``): this tree's hook and
  DIR's, run alternately call by call through the same small launcher (each tree first on
  ``sys.path``, the editable install's finder removed) with the same payloads and bytecode
  cache, each with its own warm compiled-policy cache: a before/after under the same load.
* ``hook_http``: the same hook JSON POSTed to ``/v1/hooks/claude-code/pre-tool-use`` on a
  ``gonogo serve`` subprocess (what a Claude Code HTTP hook does), beside the peer
  ``minimal_http_hook``: a uvicorn app that answers allow without deciding anything.
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
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gonogo.config import REPO_ROOT

MINIMAL_HOOK = (
    "import json,sys; json.load(sys.stdin); print(json.dumps({'hookSpecificOutput': "
    "{'hookEventName': 'PreToolUse', 'permissionDecision': 'allow', "
    "'permissionDecisionReason': 'ok'}}))"
)
MINIMAL_HTTP_HOOK = """
import sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
ALLOW = {"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "allow",
         "permissionDecisionReason": "ok"}}
async def hook(request):
    await request.body()
    return JSONResponse(ALLOW)
app = Starlette(routes=[Route("/hook", hook, methods=["POST"])])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""
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
HOOK_COMMANDS = ("git status --short && ls src", "rm -rf /opt", "pytest -q tests")


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


def _hook_payload(ws: Path, command: str, n: int = 0) -> bytes:
    return json.dumps(
        {
            "session_id": "bench",
            "transcript_path": "/dev/null",
            "cwd": str(ws),
            "permission_mode": "default",
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": command},
            "tool_use_id": f"toolu_bench_{n}",
        }
    ).encode()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time_process(
    argv: list[str], stdins: list[bytes], env: dict[str, str], runs: int, warmup: int = 3
) -> tuple[list[float], list[float]]:
    """Wall time and CPU time (user + system) of each run after the warm-up runs."""
    wall: list[float] = []
    cpu: list[float] = []
    for i in range(runs + warmup):  # warm-up runs: page cache, bytecode, policy cache
        c, t = _children_cpu(), time.perf_counter()
        proc = subprocess.run(
            argv, input=stdins[i % len(stdins)], capture_output=True, env=env, cwd=REPO_ROOT
        )
        wall.append(time.perf_counter() - t)
        cpu.append(_children_cpu() - c)
        if proc.returncode != 0 or b"permissionDecision" not in proc.stdout:
            raise RuntimeError(f"hook failed: {proc.stderr.decode()[:500]}")
    return wall[warmup:], cpu[warmup:]


def _process_stats(times: tuple[list[float], list[float]]) -> dict[str, float]:
    # CPU time is what a busy machine inflates least (wall time also waits for a core).
    return {**_stats_ms(times[0]), "cpu_median_ms": round(statistics.median(times[1]) * 1000, 3)}


def _gonogo_argv() -> list[str]:
    script = Path(sys.executable).with_name("gonogo")
    return [str(script)] if script.exists() else [sys.executable, "-m", "gonogo"]


def bench_hook_process(ws: Path, env: dict[str, str], runs: int, pycache: Path) -> dict[str, Any]:
    payloads = [_hook_payload(ws, c, i) for i, c in enumerate(HOOK_COMMANDS)]
    argv = [*_gonogo_argv(), "hook", "claude-code", "--tenant", "acme", "--role",
            "contributor", "--workspace", str(ws)]  # fmt: skip
    installed = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    installed["PYTHONPYCACHEPREFIX"] = str(pycache)
    first, _ = _time_process(argv, payloads[:1], installed, 1, warmup=0)  # compiles the policy
    ours = _time_process(argv, payloads, installed, runs)
    no_pyc = {**env, "PYTHONDONTWRITEBYTECODE": "1"}
    no_pyc.pop("PYTHONPYCACHEPREFIX", None)
    cold = _time_process(argv, payloads, no_pyc, max(5, runs // 3))
    peer = _time_process([sys.executable, "-c", MINIMAL_HOOK], payloads, installed, runs)
    return {
        "gonogo_hook": {**_process_stats(ours), "first_call_ms": round(first[0] * 1000, 3)},
        "without_bytecode_cache": _process_stats(cold),
        "peer_minimal_python_hook": _process_stats(peer),
        "argv0": argv[0],
    }


# Runs `gonogo` from the tree in argv[1] (first on sys.path, the editable install's finder
# removed), so two revisions are measured by the same launcher.
TREE_LAUNCHER = (
    "import sys; tree = sys.argv.pop(1); "
    "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]; "
    "sys.path.insert(0, tree); sys.argv[0] = 'gonogo'; "
    "from gonogo.cli import main; main()"
)


def bench_versus_baseline(
    ws: Path, env: dict[str, str], runs: int, pycache: Path, baseline: Path
) -> dict[str, Any]:
    payloads = [_hook_payload(ws, c, i) for i, c in enumerate(HOOK_COMMANDS)]
    trees = {"this_tree": REPO_ROOT, "baseline": baseline.resolve()}
    tail = ["hook", "claude-code", "--tenant", "acme", "--role", "contributor",
            "--workspace", str(ws)]  # fmt: skip
    envs = {}
    for name in trees:
        e = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
        e["PYTHONPYCACHEPREFIX"] = str(pycache)
        e["GONOGO_HOME"] = str(Path(env["GONOGO_HOME"]).with_name(f"home-{name}"))
        envs[name] = e
    wall: dict[str, list[float]] = {n: [] for n in trees}
    cpu: dict[str, list[float]] = {n: [] for n in trees}
    for i in range(runs + 3):  # alternate call by call: both see the same load
        for name, tree in trees.items():
            argv = [sys.executable, "-c", TREE_LAUNCHER, str(tree), *tail]
            w, c = _time_process(argv, [payloads[i % len(payloads)]], envs[name], 1, warmup=0)
            if i >= 3:  # warm-up: page cache, bytecode, each tree's policy cache
                wall[name] += w
                cpu[name] += c
    return {
        "baseline": str(trees["baseline"]),
        **{name: _process_stats((wall[name], cpu[name])) for name in trees},
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _server(argv: list[str], env: dict[str, str], url: str) -> Iterator[None]:
    import httpx

    proc = subprocess.Popen(argv, env=env, cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read()[:500] if proc.stderr else b""
                    raise RuntimeError(f"server did not start: {err!r}") from None
                time.sleep(0.1)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _time_posts(url: str, payloads: list[bytes], calls: int, warmup: int = 20) -> list[float]:
    import httpx

    out: list[float] = []
    with httpx.Client(timeout=60) as client:  # Claude Code keeps its connections alive too
        for i in range(calls + warmup):
            t = time.perf_counter()
            r = client.post(url, content=payloads[i % len(payloads)],
                            headers={"content-type": "application/json"})  # fmt: skip
            out.append(time.perf_counter() - t)
            if r.status_code != 200 or "permissionDecision" not in r.text:
                raise RuntimeError(f"HTTP hook failed: {r.status_code} {r.text[:300]}")
    return out[warmup:]


def bench_hook_http(ws: Path, env: dict[str, str], calls: int) -> dict[str, Any]:
    payloads = [_hook_payload(ws, c, i) for i, c in enumerate(HOOK_COMMANDS)]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    # Loopback, one operator's tenant and workspace (--insecure-dev), as the process form runs:
    # a token check adds 0.17 ms (bench_auth), not measured twice here.
    serve = [*_gonogo_argv(), "serve", "--insecure-dev", "--tenant", "acme", "--role",
             "contributor", "--workspace", str(ws), "--port", str(port)]  # fmt: skip
    with _server(serve, env, f"{base}/healthz"):
        ours = _time_posts(f"{base}/v1/hooks/claude-code/pre-tool-use", payloads, calls)
    peer_port = _free_port()
    peer_url = f"http://127.0.0.1:{peer_port}/hook"
    with _server([sys.executable, "-c", MINIMAL_HTTP_HOOK, str(peer_port)], env, peer_url):
        peer = _time_posts(peer_url, payloads, calls)
    return {"gonogo_http_hook": _stats_ms(ours), "peer_minimal_http_hook": _stats_ms(peer)}


def bench_hook_in_process(ws: Path, home: Path, iterations: int) -> dict[str, Any]:
    from enforcement_agent.integrations.claude_hook import HookOperator, run_hook
    from enforcement_agent.models import ToolRequest
    from gonogo.config import Settings
    from gonogo.wiring import build_hook_agent

    agent = build_hook_agent(Settings(home=home))
    op = HookOperator(tenant="acme", role="contributor", workspace=ws)
    payloads = [_hook_payload(ws, c, i) for i, c in enumerate(HOOK_COMMANDS)]
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
    parser.add_argument("--hook-runs", type=int, default=60)
    parser.add_argument("--http-calls", type=int, default=500)
    parser.add_argument("--in-process", type=int, default=2000)
    parser.add_argument("--mcp-calls", type=int, default=200)
    parts = ("hook_process", "hook_http", "hook_in_process", "mcp_call")
    parser.add_argument(
        "--only",
        default=",".join(parts),
        help=f"comma-separated parts to run (default: all of {', '.join(parts)})",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="a checkout of another revision: its command hook is measured beside this "
        "tree's, alternately (hook_process.versus_baseline)",
    )
    args = parser.parse_args()
    only = set(args.only.split(","))
    if only - set(parts):
        parser.error(f"unknown part(s): {', '.join(sorted(only - set(parts)))}")
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
            "load_average_at_start": os.getloadavg(),
        }
        if "hook_process" in only:
            doc["hook_process"] = bench_hook_process(ws, env, args.hook_runs, root / "pycache")
            if args.baseline is not None:
                doc["hook_process"]["versus_baseline"] = bench_versus_baseline(
                    ws, env, args.hook_runs, root / "pycache", args.baseline
                )
        if "hook_http" in only:
            doc["hook_http"] = bench_hook_http(ws, env, args.http_calls)
        if "hook_in_process" in only:
            doc["hook_in_process"] = bench_hook_in_process(
                ws, root / "home-inproc", args.in_process
            )
        if "mcp_call" in only:
            doc["mcp_call"] = bench_mcp(ws, env, args.mcp_calls)
        doc["load_average_at_end"] = os.getloadavg()
        shutil.rmtree(root / "pycache", ignore_errors=True)
    print(json.dumps(doc, indent=2))


if __name__ == "__main__":
    main()
