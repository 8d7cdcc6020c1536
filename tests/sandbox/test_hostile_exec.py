"""Hostile workloads run through the real sandbox; every assertion checks an effect."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox import LAYER_BWRAP_SECCOMP, LAYER_NONE, LAYER_WEAK, run_sandboxed
from enforcement_agent.sandbox import libseccomp as lib
from enforcement_agent.sandbox.runner import GIT_SAFETY_ENV
from tests.sandbox.conftest import Estate, Listener, procs_with

pytestmark = pytest.mark.sandbox

FAST = Limits(wall_seconds=20, cpu_seconds=10, processes=64)


def sh(cmd: str) -> list[str]:
    return ["/bin/sh", "-c", cmd]


def script(ws: Path, name: str, body: str) -> str:
    (ws / name).write_text(body)
    return name


def test_cannot_write_or_delete_outside_the_workspace(estate: Estate) -> None:
    before = estate.host_tree()
    targets = [
        str(estate.host_secret),
        str(estate.other_ws / "private.txt"),
        str(estate.other_ws / "planted.txt"),
        str(estate.root / "planted.txt"),
        "/workspace/../planted.txt",
        "/usr/planted.txt",
        "/etc/planted.txt",
        "/planted.txt",
    ]
    body = f"""
import os, shutil
targets = {targets!r}
done = []
for t in targets:
    for action in ("write", "delete"):
        try:
            if action == "write":
                with open(t, "w") as f:
                    f.write("pwned")
            else:
                os.remove(t)
            done.append(action + " " + t)
        except OSError:
            pass
try:
    shutil.rmtree({str(estate.root)!r})
    done.append("rmtree")
except OSError:
    pass
open("report.txt", "w").write("\\n".join(done))
"""
    name = script(estate.ws, "hostile_write.py", body)
    r = run_sandboxed(["python3", name], estate.ws, FAST)
    assert r.outcome is Outcome.SUCCESS, r
    assert r.layer == LAYER_BWRAP_SECCOMP
    assert estate.host_tree() == before
    # Writes inside the sandbox's own view succeed only where they cannot reach the host.
    report = (estate.ws / "report.txt").read_text().split("\n")
    assert not any(str(estate.root) in line for line in report)


def test_cannot_read_other_tenant_or_host_secrets(
    estate: Estate, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_secret = f"ENV-CANARY-{secrets.token_hex(8)}"
    monkeypatch.setenv("GONOGO_TEST_AGENT_SECRET", env_secret)
    paths = [
        str(estate.host_secret),
        str(estate.other_ws / "private.txt"),
        "/workspace/../tenant-b/private.txt",
        "/etc/shadow",
        "/root/.bash_history",
        f"/proc/{os.getpid()}/environ",
        "/proc/1/environ",
        f"/proc/1/root{estate.host_secret}",
        f"/proc/self/root{estate.host_secret}",
    ]
    body = f"""
import os
loot = []
for p in {paths!r}:
    try:
        loot.append(open(p, "rb").read().decode("latin-1"))
    except OSError:
        pass
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            loot.append(open(f"/proc/{{pid}}/environ", "rb").read().decode("latin-1"))
            loot.append(open(f"/proc/{{pid}}/cmdline", "rb").read().decode("latin-1"))
        except OSError:
            pass
for root, dirs, files in os.walk("/"):
    if root.startswith(("/proc", "/usr", "/sys", "/dev")):
        dirs[:] = []
        continue
    for f in files:
        try:
            loot.append(open(os.path.join(root, f), "rb").read(4096).decode("latin-1"))
        except OSError:
            pass
loot.append(repr(dict(os.environ)))
open("loot.txt", "w").write("\\n".join(loot))
"""
    name = script(estate.ws, "hostile_read.py", body)
    r = run_sandboxed(["python3", name], estate.ws, FAST)
    assert r.outcome is Outcome.SUCCESS, r
    loot = (estate.ws / "loot.txt").read_text(errors="replace")
    assert estate.canary in loot  # positive control: the tenant's own file was readable
    for secret in (estate.other_canary, estate.host_canary, env_secret):
        assert secret not in loot
    # No host process (this one included) is visible through /proc, and nothing inside
    # reveals where the workspace really lives on the host.
    my_cmdline = Path("/proc/self/cmdline").read_bytes().decode("latin-1")
    assert my_cmdline not in loot
    assert str(estate.ws) not in loot


def test_cannot_reach_the_network(estate: Estate, listener: Listener) -> None:
    body = f"""
import socket, subprocess
for host in ("127.0.0.1", "localhost", socket.gethostname()):
    try:
        s = socket.create_connection((host, {listener.port}), timeout=1)
        print("CONNECTED", host)
        s.close()
    except OSError as exc:
        print("refused", host, exc)
"""
    name = script(estate.ws, "hostile_net.py", body)
    r = run_sandboxed(["python3", name], estate.ws, FAST)
    assert r.outcome is Outcome.SUCCESS, r
    time.sleep(0.2)
    assert listener.accepted == []
    # Positive control: the same script outside the sandbox does reach the listener.
    subprocess.run([sys.executable, str(estate.ws / name)], capture_output=True, timeout=20)
    time.sleep(0.2)
    assert listener.accepted


def test_symlink_and_proc_escapes_fail(estate: Estate) -> None:
    body = f"""
import os
found = []
links = {{
    "to_host": {str(estate.host_secret)!r},
    "to_other": {str(estate.other_ws / "private.txt")!r},
    "to_proc_root": "/proc/1/root{estate.host_secret}",
    "to_parent": "../../secrets/api_key.txt",
}}
for name, target in links.items():
    os.symlink(target, name)
    try:
        found.append(open(name).read())
    except OSError:
        pass
# /proc/self/cwd and /proc/1/cwd only lead back to the sandbox's own view
for p in ("/proc/self/cwd/../secrets/api_key.txt", "/proc/1/cwd/../../secrets/api_key.txt"):
    try:
        found.append(open(p).read())
    except OSError:
        pass
open("found.txt", "w").write("\\n".join(found))
"""
    name = script(estate.ws, "hostile_links.py", body)
    r = run_sandboxed(["python3", name], estate.ws, FAST)
    assert r.outcome is Outcome.SUCCESS, r
    found = (estate.ws / "found.txt").read_text()
    assert estate.host_canary not in found and estate.other_canary not in found
    # The planted links are still there for the host side: the confined file tools refuse them.
    from enforcement_agent.fs import ConfinedFS, ConfinementError

    fs = ConfinedFS(estate.ws)
    for link in ("to_host", "to_other", "to_parent"):
        assert (estate.ws / link).is_symlink()
        with pytest.raises(ConfinementError):
            fs.read(link)
        with pytest.raises(ConfinementError):
            fs.write(link, b"x")
    assert estate.host_secret.read_text() == estate.host_canary


def test_fork_bomb_is_contained_and_reaped(estate: Estate) -> None:
    marker = f"bomb-{secrets.token_hex(6)}"
    name = script(
        estate.ws,
        "bomb.py",
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
    )
    limits = Limits(processes=24, wall_seconds=3, cpu_seconds=10, output_bytes=64 * 1024)
    r = run_sandboxed(["python3", name, marker], estate.ws, limits)
    assert r.outcome in (Outcome.LIMIT, Outcome.TIMEOUT), r
    if "processes" in r.enforced:
        assert r.limit_hit == "processes"
    assert r.duration_ms < 10_000
    assert procs_with(marker) == []


def test_memory_exhaustion_fails_inside_the_limit(estate: Estate) -> None:
    body = """
import sys
blocks = []
try:
    for _ in range(64):
        blocks.append(bytearray(64 * 1024 * 1024))  # 4 GiB in total, touched
except MemoryError:
    sys.exit(3)
open("allocated.txt", "w").write(str(len(blocks)))
"""
    name = script(estate.ws, "hog.py", body)
    r = run_sandboxed(["python3", name], estate.ws, Limits(memory_bytes=256 * 1024 * 1024))
    if "memory" in r.enforced:
        # A memory cgroup holds the limit: the kernel stops the hog and the result says so.
        assert r.outcome is Outcome.LIMIT and r.limit_hit == "memory", r
    else:
        # Only RLIMIT_AS: the allocation fails inside the program, unlabelled (and says so).
        assert "memory:rlimit" in r.enforced, r
        assert r.outcome is Outcome.FAILURE and r.exit_code == 3, r
    assert not (estate.ws / "allocated.txt").exists()


def test_timeout_kills_the_whole_tree(estate: Estate) -> None:
    marker = f"sleeper-{secrets.token_hex(6)}"
    body = f"""
import os, subprocess, time
# a detached grandchild in its own session, and a busy parent
subprocess.Popen(["python3", "-c", "import time; time.sleep(600)", "{marker}"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    time.sleep(600)
while True:
    pass
"""
    name = script(estate.ws, "hang.py", body)
    t0 = time.monotonic()
    r = run_sandboxed(["python3", name, marker], estate.ws, Limits(wall_seconds=1.0))
    assert r.outcome is Outcome.TIMEOUT and r.limit_hit == "wall", r
    assert time.monotonic() - t0 < 5
    assert procs_with(marker) == []


def test_output_flood_is_capped_streamed_and_stopped(estate: Estate) -> None:
    marker = f"flood-{secrets.token_hex(6)}"
    seen: list[bytes] = []
    cap = 10_000
    r = run_sandboxed(
        sh(f"yes {marker}"),
        estate.ws,
        Limits(output_bytes=cap, wall_seconds=30),
        on_output=seen.append,
    )
    assert r.outcome is Outcome.LIMIT and r.limit_hit == "output" and r.truncated, r
    assert r.bytes_out == cap
    streamed = b"".join(seen)
    body, _, tail = streamed.partition(b"\n[gonogo: output truncated")
    assert len(body) == cap and tail  # capped, then marked
    assert r.duration_ms < 5_000  # stopped, not left running to the wall limit
    assert procs_with(marker) == []


def test_cpu_limit_stops_a_busy_loop(estate: Estate) -> None:
    r = run_sandboxed(
        ["python3", "-c", "while True: pass"], estate.ws, Limits(cpu_seconds=1, wall_seconds=30)
    )
    assert r.outcome is Outcome.LIMIT and r.limit_hit == "cpu", r
    assert r.duration_ms < 10_000


def test_file_size_limit(estate: Estate) -> None:
    r = run_sandboxed(
        sh("head -c 5000000 /dev/zero > big.bin"), estate.ws, Limits(file_bytes=1_000_000)
    )
    assert r.outcome is Outcome.LIMIT and r.limit_hit == "file_size", r
    assert (estate.ws / "big.bin").stat().st_size <= 1_000_000


def test_tmp_is_private_and_empty_each_run(estate: Estate) -> None:
    token = secrets.token_hex(8)
    r1 = run_sandboxed(sh(f"echo {token} > /tmp/left.txt && cat /tmp/left.txt"), estate.ws, FAST)
    assert token in r1.output.decode()
    r2 = run_sandboxed(sh("ls -A /tmp"), estate.ws, FAST)
    assert r2.output.strip() == b""
    assert not Path("/tmp/left.txt").exists() or token not in Path("/tmp/left.txt").read_text()


def test_seccomp_blocks_kernel_surface(estate: Estate) -> None:
    # Numbers for this machine's architecture, resolved by libseccomp from the names.
    nr = {n: lib.resolve(n, lib.native_arch()) for n in ("keyctl", "bpf", "io_uring_setup")}
    body = f"""
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
res = {{}}
res["unshare_user"] = libc.unshare(0x10000000)
res["mount"] = libc.mount(b"none", b"/tmp", b"tmpfs", 0, None)
res["ptrace_attach"] = libc.ptrace(16, 1, None, None)
res["keyctl"] = libc.syscall({nr["keyctl"]}, 0, 0, 0, 0)
res["bpf"] = libc.syscall({nr["bpf"]}, 0, 0, 0)
res["io_uring_setup"] = libc.syscall({nr["io_uring_setup"]}, 1, 0)
res["control_fork"] = os.fork()
if res["control_fork"] == 0:
    os._exit(0)
os.waitpid(res["control_fork"], 0)
print(res)
open("seccomp.txt", "w").write(repr({{k: v for k, v in res.items() if k != "control_fork"}}))
"""
    name = script(estate.ws, "syscalls.py", body)
    r = run_sandboxed(["python3", name], estate.ws, FAST)
    assert r.outcome is Outcome.SUCCESS and r.layer == LAYER_BWRAP_SECCOMP, r
    import ast

    res = ast.literal_eval((estate.ws / "seccomp.txt").read_text())
    assert all(v == -1 for v in res.values()), res


def test_environment_is_minimal(estate: Estate, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "agent-held-secret")
    r = run_sandboxed(sh("env"), estate.ws, FAST, env={"CI": "1"})
    names = {line.split("=", 1)[0] for line in r.output.decode().splitlines()}
    assert "AWS_SECRET_ACCESS_KEY" not in names and b"agent-held-secret" not in r.output
    assert "CI" in names and "PATH" in names
    assert names <= {
        "PATH",
        "HOME",
        "TMPDIR",
        "LANG",
        "LC_ALL",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONPYCACHEPREFIX",  # Python's bytecode to the run's /tmp, not the workspace
        "GIT_EDITOR",  # `true`: no default editor (vim) runs
        "EDITOR",
        "VISUAL",
        "CI",
        "PWD",
        "SHLVL",
        "_",
        *GIT_SAFETY_ENV,  # git's safety settings (safe.bareRepository, core.fsmonitor)
    }


def test_refuses_without_bwrap_unless_weak_fallback_chosen(
    estate: Estate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GONOGO_BWRAP", str(estate.root / "no-such-bwrap"))
    r = run_sandboxed(sh("touch ran.txt"), estate.ws, FAST)
    assert r.outcome is Outcome.ERROR and r.layer == LAYER_NONE and "bubblewrap" in r.detail
    assert not (estate.ws / "ran.txt").exists()
    r = run_sandboxed(sh("touch ran.txt"), estate.ws, FAST, allow_weak_fallback=True)
    assert r.outcome is Outcome.SUCCESS and r.layer == LAYER_WEAK
    assert (estate.ws / "ran.txt").exists()


def test_hostile_conftest_under_pytest(estate: Estate) -> None:
    """The realistic case: policy allows ``pytest``; the repository's conftest.py is hostile."""
    estate.plant_hostile_pytest_project()
    ro = (sys.prefix, sys.base_prefix)
    r = run_sandboxed(
        [f"{sys.prefix}/bin/python", "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        estate.ws,
        Limits(wall_seconds=60),
        ro_paths=ro,
    )
    assert r.outcome is Outcome.SUCCESS, r.output.decode()[-2000:]
    assert b"1 passed" in r.output
    stolen = (estate.ws / "stolen.txt").read_text() if (estate.ws / "stolen.txt").exists() else ""
    assert estate.host_canary not in stolen and estate.other_canary not in stolen
    assert estate.host_secret.read_text() == estate.host_canary
    assert (estate.other_ws / "private.txt").read_text() == estate.other_canary


def test_two_hundred_runs_leak_no_fds_or_zombies(
    estate: Estate, monkeypatch: pytest.MonkeyPatch
) -> None:
    import enforcement_agent.sandbox.runner as runner
    from enforcement_agent.sandbox.zygote import LauncherPool

    # No idle launchers in the background: every pipe and process counted is the runs' own.
    monkeypatch.setattr(runner, "POOL", LauncherPool(size=0))

    def fds() -> int:
        return len(os.listdir("/proc/self/fd"))

    def zombies() -> int:
        n = 0
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    stat = Path(f"/proc/{d}/stat").read_text()
                except OSError:
                    continue
                fields = stat.rsplit(")", 1)[1].split()
                if fields[0] == "Z" and int(fields[1]) == os.getpid():
                    n += 1
        return n

    run_sandboxed(["/bin/true"], estate.ws, FAST)  # warm caches (probe, synthetic /etc)
    before, dead_before = fds(), zombies()  # (another test's unjoined child is not ours)
    for _ in range(200):
        assert run_sandboxed(["/bin/true"], estate.ws, FAST).outcome is Outcome.SUCCESS
    assert fds() == before
    assert zombies() <= dead_before
    assert threading.active_count() >= 1


def test_broken_bwrap_is_treated_as_missing(
    estate: Estate, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = estate.root / "bwrap-broken"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("GONOGO_BWRAP", str(fake))
    r = run_sandboxed(sh("touch ran.txt"), estate.ws, FAST)
    assert r.outcome is Outcome.ERROR and r.layer == LAYER_NONE
    assert not (estate.ws / "ran.txt").exists()


def test_broken_output_sink_stops_the_command(estate: Estate) -> None:
    marker = f"sink-{secrets.token_hex(6)}"

    def sink(chunk: bytes) -> None:
        raise BrokenPipeError("client went away")

    r = run_sandboxed(
        sh(f"while true; do echo {marker}; sleep 0.01; done"), estate.ws, FAST, on_output=sink
    )
    assert r.outcome is Outcome.ERROR and "output sink failed" in r.detail
    assert r.duration_ms < 5_000
    assert procs_with(marker) == []


def test_caller_env_values_arrive_verbatim(estate: Estate) -> None:
    value = "a b\n'quoted' $HOME `x` \\ end"
    r = run_sandboxed(sh('printf %s "$ODD"'), estate.ws, FAST, env={"ODD": value})
    assert r.output.decode() == value
    bad = run_sandboxed(sh("true"), estate.ws, FAST, env={"BAD=NAME": "x"})
    assert bad.outcome is Outcome.ERROR and bad.layer == LAYER_NONE
