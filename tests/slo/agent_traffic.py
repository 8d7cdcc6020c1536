"""Helper process for the end-to-end SLO test: the real enforcement agent serving /metrics.

    python -m tests.slo.agent_traffic HOME PORT [POLICY_DIR]

Builds the agent with its Prometheus reader (in this process' own prometheus_client
registry), serves it on 127.0.0.1:PORT, runs a fixed mix of tool calls for two tenants,
prints one JSON line ``{"calls": N}`` and waits for a line on stdin; then shuts the
telemetry down (closing the spool segment) and exits.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from prometheus_client import start_http_server

from enforcement_agent.models import ToolRequest
from gonogo.wiring import build_agent
from pipelines.settings import Settings

CALLS: list[dict[str, str]] = [
    *[{"tool": "read", "path": "README.md"}] * 5,
    *[{"tool": "read", "path": "missing.txt"}] * 2,
    *[{"tool": "list", "path": "."}] * 3,
    *[{"tool": "write", "path": "notes.txt"}] * 2,
    *[
        {
            "tool": "connector",
            "connector": "github",
            "operation": "issues.get",
            "resource": "acme/api",
        }
    ]
    * 2,
    *[{"tool": "exec", "command": "ls"}] * 2,
    *[{"tool": "exec", "command": "rm -rf /"}] * 2,
    *[{"tool": "read", "path": "../globex/README.md"}] * 1,
]


def main() -> int:
    home, port = Path(sys.argv[1]), int(sys.argv[2])
    policy_dir = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    settings = Settings(home=home).ensure()
    agent = build_agent(settings, metrics=True, policy_dir=policy_dir)
    server, _ = start_http_server(port, addr="127.0.0.1")
    n = 0
    for tenant in ("acme", "globex"):
        ws = settings.workspace(tenant)
        ws.mkdir(parents=True, exist_ok=True)
        (ws / "README.md").write_text("hello\n")
        for spec in CALLS:
            req = ToolRequest(tenant=tenant, actor="agent-1", role="contributor", **spec)
            agent.handle(req, b"data\n" if spec["tool"] == "write" else None)
            n += 1
    agent.telemetry.flush()
    if agent.telemetry.spool is not None:
        agent.telemetry.spool.rotate()  # close the segment so the ingest can read it now
    print(json.dumps({"calls": n}), flush=True)
    sys.stdin.readline()
    agent.telemetry.shutdown()
    server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
