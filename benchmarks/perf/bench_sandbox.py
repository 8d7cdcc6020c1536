"""Sandbox overhead per command vs plain ``subprocess.run`` of the same command, side by side.

Runs N short commands each way, interleaved (so machine noise hits both alike), and prints one
JSON object: median and p99 wall time per command for each way, the median overhead (target
<= 10 ms), and after all runs the leak check (open fds, zombies, leftover cgroups/processes).

    python benchmarks/perf/bench_sandbox.py [--n 200] [--cmd "/bin/true"]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from enforcement_agent.models import Limits, Outcome  # noqa: E402
from enforcement_agent.sandbox import run_sandboxed  # noqa: E402
from enforcement_agent.sandbox.limits import _cgroup_base  # noqa: E402
from enforcement_agent.sandbox.zygote import POOL  # noqa: E402


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def stats(xs: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(xs), 3),
        "p99_ms": round(pct(xs, 0.99), 3),
        "mean_ms": round(statistics.fmean(xs), 3),
    }


def cpu_now() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def zombies() -> int:
    n = 0
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                st = Path(f"/proc/{d}/stat").read_text()
            except OSError:
                continue
            fields = st.rsplit(")", 1)[1].split()
            if fields[0] == "Z" and int(fields[1]) == os.getpid():
                n += 1
    return n


def cgroups_left() -> int:
    base = _cgroup_base()
    return len([p for p in base.glob("run-*")]) if base is not None and base.exists() else 0


def main() -> None:
    # A cgroup base of our own, so the leak check counts only this benchmark's runs.
    os.environ.setdefault(
        "GONOGO_SANDBOX_CGROUP", f"/sys/fs/cgroup/pids/gonogo-bench-{os.getpid()}"
    )
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--cmd", default="/bin/true")
    args = ap.parse_args()
    argv = ["/bin/sh", "-c", args.cmd]
    limits = Limits()
    with tempfile.TemporaryDirectory(prefix="gonogo-bench-") as d:
        ws = Path(d)
        warm = run_sandboxed(argv, ws, limits)  # probe + synthetic /etc built once
        if warm.outcome is not Outcome.SUCCESS:
            print(json.dumps({"error": f"sandbox did not run: {warm.detail}"}))
            sys.exit(1)
        # Who the sandboxed commands are on the host (a tenant's own unprivileged uid).
        run_sandboxed(["/bin/sh", "-c", "touch .owner"], ws, limits)
        owner = (ws / ".owner").stat()
        host_ids = {"uid": owner.st_uid, "gid": owner.st_gid}
        fds_before = len(os.listdir("/proc/self/fd"))
        plain: list[float] = []
        sandboxed: list[float] = []
        no_seccomp: list[float] = []
        bare: list[float] = []
        # The floor: bubblewrap itself with new namespaces and nothing else of ours.
        bare_argv = [
            "bwrap", "--unshare-all", "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64", "--", *argv,
        ]  # fmt: skip
        layers: set[str] = set()
        failures = 0
        for _ in range(args.n):
            t = time.perf_counter()
            subprocess.run(
                argv, cwd=ws, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False
            )
            plain.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            r = run_sandboxed(argv, ws, limits)
            sandboxed.append((time.perf_counter() - t) * 1000)
            layers.add(r.layer)
            failures += r.outcome is not Outcome.SUCCESS
            t = time.perf_counter()
            run_sandboxed(argv, ws, limits, use_seccomp=False)
            no_seccomp.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            subprocess.run(bare_argv, stdout=subprocess.PIPE, check=False)
            bare.append((time.perf_counter() - t) * 1000)
        # CPU cost per call (ours + every child's), which machine load does not inflate the way
        # it inflates wall time: one block per mode, rusage deltas.
        cpu_ms: dict[str, float] = {}
        for name, call in (
            ("plain_subprocess_run", lambda: subprocess.run(argv, cwd=ws, check=False)),
            ("run_sandboxed", lambda: run_sandboxed(argv, ws, limits)),
            ("bare_bwrap_floor", lambda: subprocess.run(bare_argv, check=False)),
        ):
            before = cpu_now()
            for _ in range(args.n // 2):
                call()
            time.sleep(0.2)  # let the launcher pool's refill land in this block
            cpu_ms[name] = round((cpu_now() - before) * 1000 / (args.n // 2), 3)
        fds_after = len(os.listdir("/proc/self/fd"))
    # Idle pre-moved launchers hold a cgroup each by design; close the pool, then count.
    POOL.close()
    time.sleep(0.1)
    left = cgroups_left()
    base = _cgroup_base()
    if base is not None and base.exists() and not left:
        base.rmdir()
    s_plain, s_box = stats(plain), stats(sandboxed)
    overhead = round(s_box["median_ms"] - s_plain["median_ms"], 3)
    print(
        json.dumps(
            {
                "benchmark": "sandbox_overhead",
                "command": args.cmd,
                "n": args.n,
                "machine": {
                    "cpus": os.cpu_count(),
                    "kernel": platform.release(),
                    "loadavg_1m_at_end": round(os.getloadavg()[0], 2),
                },
                "plain_subprocess_run": s_plain,
                "run_sandboxed": {**s_box, "layer": sorted(layers), "host_ids": host_ids},
                "run_sandboxed_no_seccomp": stats(no_seccomp),
                "bare_bwrap_floor": stats(bare),
                "overhead_beyond_bare_bwrap_ms": round(
                    s_box["median_ms"] - statistics.median(bare), 3
                ),
                "median_overhead_ms": overhead,
                "p99_overhead_ms": round(s_box["p99_ms"] - s_plain["p99_ms"], 3),
                "cpu_ms_per_call": cpu_ms,
                "cpu_overhead_ms_per_call": round(
                    cpu_ms["run_sandboxed"] - cpu_ms["plain_subprocess_run"], 3
                ),
                "target_median_overhead_ms": 10.0,
                "meets_target": overhead <= 10.0,
                "leaks": {
                    "sandboxed_runs": 2 * args.n,
                    "failed_runs": failures,
                    "fds_before": fds_before,
                    "fds_after": fds_after,
                    "zombies": zombies(),
                    "cgroups_left": left,
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
