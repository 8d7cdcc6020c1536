"""Shared concurrency limits: two `gonogo serve` replicas on one Redis hold one tenant's limit.

    python -m benchmarks.perf.bench_shared_limits [--tenant globex] [--replicas 2] [--calls 8]
                                                  [--sleep 1.0] [--repeat 3]

Prints one JSON document: for each repeat, the highest number of the tenant's concurrency slots
held at once across all replicas (sampled from Redis every ~5 ms while the calls run), the
policy's limit, and the call outcomes; side by side, the same load against replicas that each
keep slots in process (no GONOGO_REDIS_URL), where each replica allows the limit on its own.
Needs redis-server and bubblewrap; everything runs on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from enforcement_agent.policy import PolicyStore
from gonogo.config import DEFAULT_PLAN_DIR
from gonogo.redis_server import local_redis
from gonogo.shared_limits import drive_replicas


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tenant", default="globex")
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--calls", type=int, default=8)
    ap.add_argument("--sleep", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    limit = PolicyStore(DEFAULT_PLAN_DIR / "policies").for_tenant(args.tenant).limits("exec")
    cap = int(limit.concurrency_per_tenant or 0)
    shared, local = [], []
    with tempfile.TemporaryDirectory(prefix="bench-shared-limits-") as tmp, local_redis() as url:
        for n in range(args.repeat):
            home = Path(tmp) / f"shared-{n}"
            run = drive_replicas(home, url, args.tenant, cap, replicas=args.replicas,
                                 calls=args.calls, sleep_s=args.sleep)  # fmt: skip
            shared.append(run.to_json())
        home = Path(tmp) / "in-process"
        local.append(drive_replicas(home, None, args.tenant, cap, replicas=args.replicas,
                                    calls=args.calls, sleep_s=args.sleep).to_json())  # fmt: skip
    print(json.dumps({
        "benchmark": "shared_limits",
        "tenant": args.tenant, "replicas": args.replicas, "limit": cap, "calls": args.calls,
        "shared_redis": {"max_concurrency": [r["max_observed"] for r in shared], "runs": shared},
        "in_process_per_replica": {"max_concurrency": [r["max_observed"] for r in local],
                                   "runs": local},
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
