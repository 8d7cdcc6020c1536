"""The limit drill (`resource_limits` evidence): its probes run together, each under its own
tenant, and the concurrency probe judges a busy slot only once the slot is really held."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from enforcement_agent.sandbox import probes
from enforcement_agent.sandbox.runner import ExecResult, run_sandboxed


def test_every_probe_is_enforced_under_its_own_tenant(
    bwrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, str]] = []
    lock = threading.Lock()

    def recording(argv: list[str], ws: Path, *a: Any, **kw: Any) -> ExecResult:
        with lock:
            seen.append((ws.name.split("-")[2], kw["tenant"]))
        return run_sandboxed(argv, ws, *a, **kw)

    monkeypatch.setattr(probes, "run_sandboxed", recording)
    results = probes.run_limit_probes()
    assert [r.kind for r in results] == list(probes.PROBES)
    assert all(r.enforced for r in results), [r for r in results if not r.enforced]
    tenants = {kind: {t for k, t in seen if k == kind} for kind, _ in seen}
    # one tenant per probe, and no probe shares a tenant (so none waits for another's slot)
    assert all(len(ts) == 1 for ts in tenants.values()), tenants
    assert len({next(iter(ts)) for ts in tenants.values()}) == len(probes.PROBES)
    assert "_global" not in {t for _, t in seen}


def test_the_concurrency_probe_waits_until_the_slot_is_held(bwrap: str, tmp_path: Path) -> None:
    """A sandbox that takes longer to start than any fixed pause (a loaded host): the second
    call must still meet a busy slot, not a free one, or the evidence says "not enforced"."""
    calls = 0

    def slow_first(argv: list[str], ws: Path, limits: Any, **kw: Any) -> ExecResult:
        nonlocal calls
        calls += 1
        if calls == 1:
            time.sleep(1.0)  # longer than the old fixed 0.4 s pause
        return run_sandboxed(argv, ws, limits, **kw)

    result = probes.PROBES["concurrency"](tmp_path, slow_first)
    assert result.enforced and result.limit_hit == "concurrency", result
    assert not (tmp_path / "second").exists()
