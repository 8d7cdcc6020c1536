"""A memory-limit hit is a labelled outcome (``limit`` / ``memory``), asserted by its effect."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox import run_sandboxed
from enforcement_agent.sandbox.limits import MemoryCgroup, _memory_base
from enforcement_agent.sandbox.runner import _limits_hit
from tests.sandbox.conftest import Estate

pytestmark = pytest.mark.sandbox

MiB = 1024 * 1024
# Touches every page: 4 GiB in 64 MiB blocks, far beyond any limit used here.
HOG = """
import sys
blocks = []
for _ in range(64):
    blocks.append(bytearray(64 * 1024 * 1024))
open("allocated.txt", "w").write(str(len(blocks)))
"""


def memory_cgroups_usable() -> bool:
    cg = MemoryCgroup.create(64 * MiB)
    if cg is None:
        return False
    cg.remove()
    return True


needs_memory_cgroup = pytest.mark.skipif(
    not memory_cgroups_usable(), reason="no usable v1 memory cgroup here (the fallback is tested)"
)


def mem_available() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no MemAvailable in /proc/meminfo")


class RunWatcher:
    """Samples the host while a run is going: lowest MemAvailable and the busy run cgroups."""

    def __init__(self, busy_over: int) -> None:
        self.busy_over = busy_over
        self.lowest = mem_available()
        self.busy: set[Path] = set()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        found = _memory_base()
        assert found is not None
        base, prefix = found
        while not self._stop.is_set():
            self.lowest = min(self.lowest, mem_available())
            for d in base.glob(f"{prefix}*"):
                try:
                    used = int((d / "memory.max_usage_in_bytes").read_text())
                    if used > self.busy_over:
                        self.busy.add(d)
                        self.peak = max(self.peak, used)
                except (OSError, ValueError):
                    continue
            time.sleep(0.005)

    def __enter__(self) -> RunWatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@needs_memory_cgroup
def test_memory_hog_is_stopped_labelled_and_its_cgroup_removed(estate: Estate) -> None:
    (estate.ws / "hog.py").write_text(HOG)
    limit = 256 * MiB
    before = mem_available()
    with RunWatcher(busy_over=64 * MiB) as watch:
        r = run_sandboxed(["python3", "hog.py"], estate.ws, Limits(memory_bytes=limit))
    assert r.outcome is Outcome.LIMIT and r.limit_hit == "memory", r
    assert "memory" in r.enforced and "memory:rlimit" not in r.enforced
    assert r.detail.startswith("memory limit reached")
    assert not (estate.ws / "allocated.txt").exists()
    # The machine's memory is untouched: the 4 GiB never went missing from the host (the
    # margin absorbs other processes on a shared machine), and the run peaked at its limit.
    assert before - watch.lowest < 2048 * MiB, (before, watch.lowest)
    assert 64 * MiB < watch.peak <= limit, watch.peak
    # The run had its own cgroup (seen holding the hog), and it is gone afterwards.
    assert watch.busy, "no run cgroup was seen holding the hog"
    assert not any(d.exists() for d in watch.busy), watch.busy


@needs_memory_cgroup
def test_memory_is_capped_for_the_whole_tree_not_per_process(estate: Estate) -> None:
    # Four children of 96 MiB each: every one fits RLIMIT_AS-style per-process limits, the
    # tree does not fit 256 MiB.
    body = """
import os, time
kids = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        b = bytearray(96 * 1024 * 1024)
        time.sleep(3)
        os._exit(0)
    kids.append(pid)
codes = [os.waitstatus_to_exitcode(os.waitpid(k, 0)[1]) for k in kids]
open("codes.json", "w").write(str(codes))
"""
    (estate.ws / "tree.py").write_text(body)
    limits = Limits(memory_bytes=256 * MiB, wall_seconds=30)
    r = run_sandboxed(["python3", "tree.py"], estate.ws, limits)
    assert r.limit_hit == "memory", r
    codes = (estate.ws / "codes.json").read_text() if (estate.ws / "codes.json").exists() else ""
    # Whoever survived, at least one child was OOM-killed (or the parent itself was).
    assert codes == "" or "-9" in codes, codes


@needs_memory_cgroup
def test_a_run_within_its_memory_limit_is_not_labelled(estate: Estate) -> None:
    body = "b = bytearray(48 * 1024 * 1024)\nprint(len(b))\n"
    (estate.ws / "fits.py").write_text(body)
    r = run_sandboxed(["python3", "fits.py"], estate.ws, Limits(memory_bytes=256 * MiB))
    assert r.outcome is Outcome.SUCCESS and r.limit_hit is None, r
    assert r.output == f"{48 * MiB}\n".encode()


@needs_memory_cgroup
def test_a_failing_program_under_a_memory_limit_is_a_plain_failure(estate: Estate) -> None:
    r = run_sandboxed(["/bin/sh", "-c", "exit 7"], estate.ws, Limits(memory_bytes=64 * MiB))
    assert r.outcome is Outcome.FAILURE and r.exit_code == 7 and r.limit_hit is None, r


@needs_memory_cgroup
def test_memory_limit_holds_without_a_process_cap(estate: Estate) -> None:
    # No pids cgroup needed: memory alone still takes a launcher with a memory cgroup.
    (estate.ws / "hog.py").write_text(HOG)
    limits = Limits(memory_bytes=128 * MiB, processes=None, cpu_seconds=None)
    r = run_sandboxed(["python3", "hog.py"], estate.ws, limits)
    assert r.outcome is Outcome.LIMIT and r.limit_hit == "memory", r
    assert "processes" not in r.enforced


_FALLBACK = """
import json, sys
from pathlib import Path
from enforcement_agent.models import Limits
from enforcement_agent.sandbox import run_sandboxed
r = run_sandboxed(["python3", "hog.py"], Path(sys.argv[1]), Limits(memory_bytes=256 << 20))
print(json.dumps({"outcome": r.outcome.value, "limit_hit": r.limit_hit,
                  "exit_code": r.exit_code, "enforced": list(r.enforced)}))
"""


def test_without_a_memory_cgroup_rlimit_holds_and_says_it_is_unlabelled(
    estate: Estate, tmp_path: Path
) -> None:
    (estate.ws / "hog.py").write_text(HOG)
    env = {**os.environ, "GONOGO_SANDBOX_MEMORY_CGROUP": str(tmp_path / "no" / "cgroup")}
    proc = subprocess.run(
        [sys.executable, "-c", _FALLBACK, str(estate.ws)],
        env=env,
        capture_output=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.returncode == 0, proc.stderr.decode()
    r = json.loads(proc.stdout.decode().splitlines()[-1])
    assert r["outcome"] == "failure" and r["limit_hit"] is None, r
    assert "memory:rlimit" in r["enforced"] and "memory" not in r["enforced"], r
    assert not (estate.ws / "allocated.txt").exists()


@given(
    pids=st.booleans(),
    memory=st.booleans(),
    timed_out=st.booleans(),
    truncated=st.booleans(),
    exit_code=st.sampled_from([0, 1, 137, 128 + 24, 128 + 25]),
    cpu_used=st.floats(0, 100),
)
def test_root_cause_order(
    pids: bool, memory: bool, timed_out: bool, truncated: bool, exit_code: int, cpu_used: float
) -> None:
    hits = _limits_hit(
        Limits(cpu_seconds=10, file_bytes=1 << 20),
        exit_code,
        cpu_used,
        timed_out=timed_out,
        truncated=truncated,
        pids_max=pids,
        memory_max=memory,
    )
    assert len(hits) == len(set(hits))
    assert ("memory" in hits) == memory
    if pids:
        assert hits[0] == "processes"
    elif memory:
        # An OOM kill is the root cause of the wall/output/CPU effects that follow it.
        assert hits[0] == "memory"


@needs_memory_cgroup
def test_memory_is_labelled_when_the_run_skips_the_launcher_pool(estate: Estate) -> None:
    # An argv over the launcher's pipe budget makes it decline: the run creates its own
    # cgroups and joins them before exec.
    (estate.ws / "hog.py").write_text(HOG)
    r = run_sandboxed(
        ["python3", "hog.py", "x" * 70_000], estate.ws, Limits(memory_bytes=128 * MiB)
    )
    assert r.outcome is Outcome.LIMIT and r.limit_hit == "memory", r
    assert "memory" in r.enforced and "processes" in r.enforced
    assert not (estate.ws / "allocated.txt").exists()


@needs_memory_cgroup
def test_the_drill_sees_a_labelled_memory_hit(tmp_path: Path) -> None:
    from enforcement_agent.sandbox.probes import PROBES

    probe = PROBES["memory"](tmp_path, run_sandboxed)
    assert probe.enforced and probe.limit_hit == "memory" and probe.outcome == "limit", probe
    assert "memory cgroup" in probe.evidence


_WEAK = """
import json, sys
from pathlib import Path
from enforcement_agent.models import Limits
from enforcement_agent.sandbox import run_sandboxed
r = run_sandboxed(["python3", "hog.py"], Path(sys.argv[1]), Limits(memory_bytes=128 << 20),
                  allow_weak_fallback=True)
print(json.dumps({"outcome": r.outcome.value, "limit_hit": r.limit_hit, "layer": r.layer,
                  "enforced": list(r.enforced)}))
"""


@needs_memory_cgroup
def test_the_weak_fallback_labels_a_memory_hit_too(estate: Estate, tmp_path: Path) -> None:
    (estate.ws / "hog.py").write_text(HOG)
    env = {**os.environ, "GONOGO_BWRAP": str(tmp_path / "no-bwrap")}
    proc = subprocess.run(
        [sys.executable, "-c", _WEAK, str(estate.ws)],
        env=env,
        capture_output=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.returncode == 0, proc.stderr.decode()
    r = json.loads(proc.stdout.decode().splitlines()[-1])
    assert r["layer"] == "weak-fallback", r
    assert r["outcome"] == "limit" and r["limit_hit"] == "memory" and "memory" in r["enforced"], r
    assert not (estate.ws / "allocated.txt").exists()


ESCAPE_HOG = """
import glob, os
tried = []
# Try to lift the limit or leave the cgroup, from every cgroup file the sandbox can name.
paths = glob.glob("/sys/fs/cgroup/**/memory.limit_in_bytes", recursive=True)
paths += glob.glob("/sys/fs/cgroup/**/memory.max", recursive=True)
for line in open("/proc/self/cgroup").read().splitlines():
    rel = line.split(":", 2)[2]
    paths += [f"/sys/fs/cgroup/memory{rel}/memory.limit_in_bytes"]
for p in paths:
    try:
        open(p, "w").write("-1")
        tried.append("wrote " + p)
    except OSError:
        pass
for p in glob.glob("/sys/fs/cgroup/**/cgroup.procs", recursive=True):
    try:
        open(p, "w").write(str(os.getpid()))
        tried.append("moved " + p)
    except OSError:
        pass
open("tried.txt", "w").write("\\n".join(tried))
blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]
open("allocated.txt", "w").write(str(len(blocks)))
"""


@needs_memory_cgroup
def test_the_sandbox_cannot_lift_or_leave_its_memory_cgroup(estate: Estate) -> None:
    (estate.ws / "escape.py").write_text(ESCAPE_HOG)
    r = run_sandboxed(["python3", "escape.py"], estate.ws, Limits(memory_bytes=128 * MiB))
    assert (estate.ws / "tried.txt").read_text() == ""
    assert r.outcome is Outcome.LIMIT and r.limit_hit == "memory", r
    assert not (estate.ws / "allocated.txt").exists()
