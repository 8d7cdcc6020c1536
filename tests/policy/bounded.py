"""Decide one request in a forked child whose address space may grow by a fixed amount only.

The DoS tests ask two things of a worst-case command: that it is decided in bounded time and
that deciding it does not grow memory by more than a bound. ``tracemalloc`` answered the
second by tracing every allocation, which made each decision about four times slower (87 s of
a CI run for the 64 KB shapes alone). A child forked from the test, with ``RLIMIT_AS`` set to
its own size plus the bound, answers it at full speed and more strictly: C allocations (regex
compiles, hyperscan) count too, and going over is a ``MemoryError`` in the child, reported here.
"""

from __future__ import annotations

import gc
import os
import pickle
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from enforcement_agent.models import ToolRequest
from enforcement_agent.policy import Policy, shell

T = TypeVar("T")


@dataclass(frozen=True)
class Bounded:
    decision: str  # "allow" | "deny" | "ask"
    rule: str
    reason: str
    seconds: float


def _vm_size() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize in /proc/self/status")


def decide_bounded(
    policy: Policy, request: ToolRequest, ws: Path, *, growth: int = 256 << 20
) -> Bounded:
    """``policy.decide`` in a child allowed ``growth`` more bytes of address space; raises
    ``AssertionError`` when the child ran out of it (or failed another way)."""
    shell._parse_cached.cache_clear()  # the child must parse the command itself
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: decide, send the answer, leave without running any cleanup
        try:
            os.close(read)
            resource.setrlimit(
                resource.RLIMIT_AS, (_vm_size() + growth, resource.getrlimit(resource.RLIMIT_AS)[1])
            )
            start = time.monotonic()
            d = policy.decide(request, ws)
            payload = ("ok", d.decision.value, d.rule, d.reason, time.monotonic() - start)
        except BaseException as exc:  # noqa: BLE001 - everything is reported to the parent
            payload = ("error", type(exc).__name__, repr(exc)[:2000], "", 0.0)
        try:
            data = pickle.dumps(payload)
            view = memoryview(data)
            while view:
                view = view[os.write(write, view) :]
        finally:
            os._exit(0)
    os.close(write)
    chunks = []
    with os.fdopen(read, "rb") as f:
        while chunk := f.read(1 << 16):
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, status
    kind, *rest = pickle.loads(b"".join(chunks))
    assert kind == "ok", f"the decision failed in the child: {rest[0]}: {rest[1]}"
    decision, rule, reason, seconds = rest
    return Bounded(decision, rule, reason, seconds)


def cpu_seconds(work: Callable[[], T]) -> tuple[T, float]:
    """``work()`` and the CPU time it took, with the cyclic collector held off during it: a full
    collection of a worker's heap (thousands of tests in) cost one 64 KB decision over a second
    in a CI run, time the decider did not spend. No collection is forced before it either: held
    off, none can land in the measure, and a forced one cost each call the same second again
    (outside the measure, but in the suite's time: 22 calls of the 29th pass alone)."""
    gc.disable()
    try:
        start = time.process_time()
        result = work()
        return result, time.process_time() - start
    finally:
        gc.enable()
