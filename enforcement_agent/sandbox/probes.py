"""A limit drill: small hostile workloads that prove each resource limit is really enforced.

Each probe runs through the real sandbox with a deliberately small limit and judges the
*effect* (the allocation failed, the process count stayed under the cap, the call ended near
the wall limit, the output stopped at the cap) rather than trusting the runner's own label.
The ``resource_limits`` Dagster asset records the results as evidence.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox.concurrency import ConcurrencyLimiter
from enforcement_agent.sandbox.runner import ExecResult, run_sandboxed

# The concurrency probe's own tenant (its one slot is the limit under test).
_CONCURRENCY = "_probe-concurrency"
LIMIT_KINDS = ("cpu", "memory", "wall", "output", "file_size", "processes", "concurrency")


@dataclass(frozen=True)
class ProbeResult:
    kind: str
    enforced: bool
    outcome: str
    limit_hit: str | None
    layer: str
    duration_ms: float
    evidence: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


Runner = Callable[..., ExecResult]


def _probe(kind: str, r: ExecResult, enforced: bool, evidence: str) -> ProbeResult:
    return ProbeResult(
        kind=kind,
        enforced=enforced,
        outcome=r.outcome.value,
        limit_hit=r.limit_hit,
        layer=r.layer,
        duration_ms=round(r.duration_ms, 1),
        evidence=evidence,
    )


def _cpu(ws: Path, run: Runner) -> ProbeResult:
    r = run(["python3", "-c", "while True: pass"], ws, Limits(cpu_seconds=1, wall_seconds=20))
    ok = r.limit_hit == "cpu" and r.duration_ms < 10_000
    return _probe("cpu", r, ok, "busy loop stopped after ~1 CPU second")


def _memory(ws: Path, run: Runner) -> ProbeResult:
    body = (
        "import sys\nb=[]\ntry:\n    for _ in range(16): b.append(bytearray(64<<20))\n"
        "except MemoryError:\n    sys.exit(3)\nopen('allocated','w').write('1')\n"
    )
    (ws / "hog.py").write_text(body)
    r = run(["python3", "hog.py"], ws, Limits(memory_bytes=128 << 20, wall_seconds=30))
    stopped = r.limit_hit == "memory" or r.exit_code == 3
    ok = stopped and not (ws / "allocated").exists()
    how = "stopped by the memory cgroup" if r.limit_hit == "memory" else "refused by RLIMIT_AS"
    return _probe("memory", r, ok, f"1 GiB allocation {how} under a 128 MiB limit")


def _wall(ws: Path, run: Runner) -> ProbeResult:
    r = run(["/bin/sh", "-c", "sleep 30"], ws, Limits(wall_seconds=0.5))
    ok = r.outcome is Outcome.TIMEOUT and r.duration_ms < 5_000
    return _probe("wall", r, ok, "30 s sleep ended at the 0.5 s wall limit")


def _output(ws: Path, run: Runner) -> ProbeResult:
    r = run(["/bin/sh", "-c", "yes"], ws, Limits(output_bytes=4096, wall_seconds=20))
    ok = r.truncated and r.bytes_out == 4096 and r.duration_ms < 5_000
    return _probe("output", r, ok, "endless output capped at 4096 bytes and stopped")


def _file_size(ws: Path, run: Runner) -> ProbeResult:
    r = run(
        ["/bin/sh", "-c", "head -c 2000000 /dev/zero > big.bin"],
        ws,
        Limits(file_bytes=256 * 1024, wall_seconds=20),
    )
    size = (ws / "big.bin").stat().st_size if (ws / "big.bin").exists() else 0
    ok = size <= 256 * 1024 and r.outcome is not Outcome.SUCCESS
    return _probe("file_size", r, ok, f"2 MB write stopped at {size} bytes (limit 256 KiB)")


def _processes(ws: Path, run: Runner) -> ProbeResult:
    body = (
        "import os, time\nn = 0\nfor _ in range(200):\n    try:\n        pid = os.fork()\n"
        "    except OSError:\n        break\n    if pid == 0:\n        time.sleep(30)\n"
        "        os._exit(0)\n    n += 1\nopen('forked', 'w').write(str(n))\n"
    )
    (ws / "forks.py").write_text(body)
    r = run(["python3", "forks.py"], ws, Limits(processes=16, wall_seconds=20))
    forked = int((ws / "forked").read_text()) if (ws / "forked").exists() else -1
    ok = 0 <= forked < 16
    return _probe("processes", r, ok, f"{forked} of 200 forks succeeded under a cap of 16")


def _concurrency(ws: Path, run: Runner) -> ProbeResult:
    limits = Limits(concurrency_per_tenant=1, queue_timeout_seconds=0.1, wall_seconds=20)
    holder: list[ExecResult] = []
    t = threading.Thread(
        target=lambda: holder.append(
            run(["/bin/sh", "-c", "touch holding; sleep 1"], ws, limits, tenant=_CONCURRENCY)
        )
    )
    t.start()
    # The second call goes in once the first one holds the slot (its command has started), not
    # after a fixed pause: on a loaded machine a sandbox can take longer than any pause to start.
    deadline = time.monotonic() + 15
    while not (ws / "holding").exists() and t.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    r = run(["/bin/sh", "-c", "touch second"], ws, limits, tenant=_CONCURRENCY)
    t.join()
    held = (ws / "holding").exists()
    ok = held and r.limit_hit == "concurrency" and not (ws / "second").exists()
    return _probe("concurrency", r, ok, "second call refused while the tenant's one slot was busy")


PROBES: dict[str, Callable[[Path, Runner], ProbeResult]] = {
    "cpu": _cpu,
    "memory": _memory,
    "wall": _wall,
    "output": _output,
    "file_size": _file_size,
    "processes": _processes,
    "concurrency": _concurrency,
}


def run_limit_probes(*, allow_weak_fallback: bool = False) -> list[ProbeResult]:
    """Run every probe at once, each in its own scratch workspace and under its own tenant
    (so no probe waits for another's concurrency slot); a crashing probe counts as not
    enforced. The results come back in ``PROBES`` order."""

    def one(kind: str, probe: Callable[[Path, Runner], ProbeResult]) -> ProbeResult:
        def run(argv: list[str], ws: Path, limits: Limits, **kw: Any) -> ExecResult:
            kw.setdefault("tenant", f"_probe-{kind}")
            return run_sandboxed(argv, ws, limits, allow_weak_fallback=allow_weak_fallback, **kw)

        with tempfile.TemporaryDirectory(prefix=f"gonogo-probe-{kind}-") as d:
            try:
                return probe(Path(d), run)
            except Exception as exc:  # noqa: BLE001 - a broken probe is "not enforced"
                return ProbeResult(kind, False, "error", None, "none", 0.0, f"probe failed: {exc}")

    # Each probe mostly waits on its sandboxed child (a limit, a sleep): run together, the
    # drill takes about as long as its slowest probe, not the sum of all seven.
    with ThreadPoolExecutor(max_workers=len(PROBES)) as pool:
        futures = [pool.submit(one, kind, probe) for kind, probe in PROBES.items()]
        return [f.result() for f in futures]


__all__ = ["LIMIT_KINDS", "ConcurrencyLimiter", "ProbeResult", "run_limit_probes"]
