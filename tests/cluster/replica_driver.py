"""One gateway replica's share of the demo workload: ``python -m tests.cluster.replica_driver``.

Builds the real agent with this replica's id (its own spool segments and decision chains in
the shared state directory) and runs every ``parts``-th session of the demo, starting at
``part``. Prints the replica's counts as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from pathlib import Path

from enforcement_agent.redaction.canary import make_canaries
from gonogo.demo import DEMO_LIMITS, _request, demo_connectors
from gonogo.demo_workload import sessions
from gonogo.wiring import build_agent
from pipelines.settings import Settings


def run_part(home: Path, replica: str | None, part: int, parts: int, seed: str) -> dict:
    settings = Settings(home=home, replica_id=replica)
    canaries = make_canaries(seed)
    by_decision: Counter[str] = Counter()
    calls = 0
    with demo_connectors(canaries) as gateway:
        known = (*canaries.values(), *gateway.credentials.all_secrets())
        agent = build_agent(
            settings,
            known_secrets=known,
            connectors=gateway,
            demo=True,
            limit_overrides=DEMO_LIMITS,
            replica=replica,
        )
        try:
            if replica is not None:
                agent.decision_log.claim_replica()
            for n, session in enumerate(sessions()):
                if n % parts != part:
                    continue
                for step in session.steps:
                    result = agent.handle(_request(session, step, n), step.payload)
                    calls += 1
                    by_decision[result.decision.decision.value] += 1
        finally:
            agent.telemetry.shutdown()
    return {"replica": replica, "calls": calls, "by_decision": dict(by_decision)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--replica")
    ap.add_argument("--part", type=int, default=0)
    ap.add_argument("--parts", type=int, default=1)
    ap.add_argument("--seed", required=True)
    args = ap.parse_args()
    os.environ["GONOGO_HOME"] = str(args.home)
    print(json.dumps(run_part(args.home, args.replica, args.part, args.parts, args.seed)))


if __name__ == "__main__":
    main()
