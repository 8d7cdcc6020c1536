"""Hostile workloads through `gonogo agent exec` end to end: real policy, records, sandbox.

Each workload is an invocation the policy allows (``python3 script.py``, ``pytest``); the
assertions look at effects on the host, never at log lines.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from gonogo.config import DEFAULT_PLAN_DIR
from tests.sandbox.conftest import Estate, Listener, agent_exec, procs_with

pytestmark = pytest.mark.sandbox

SMALL_LIMITS = {
    "cpu_seconds": 5,
    "memory_bytes": 256 * 1024 * 1024,
    "wall_seconds": 4,
    "output_bytes": 20_000,
    "file_bytes": 1_000_000,
    "processes": 32,
}


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    """The shipped policies, with the exec limits made small enough for a test run."""
    d = tmp_path / "policies"
    shutil.copytree(DEFAULT_PLAN_DIR / "policies", d)
    data = yaml.safe_load((d / "default.yaml").read_text())
    data["limits"]["exec"] = {**data["limits"].get("exec", {}), **SMALL_LIMITS}
    (d / "default.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return d


def gonogo(
    estate: Estate, policy_dir: Path, *cmd: str, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    home = estate.root.parent / "gonogo-home"
    with pytest.MonkeyPatch.context() as m:
        for k, v in (extra_env or {}).items():
            m.setenv(k, v)
        p = agent_exec(estate.ws, home, *cmd, policy_dir=policy_dir)
    assert isinstance(p, subprocess.CompletedProcess)
    return p


def summary(p: subprocess.CompletedProcess[bytes]) -> dict[str, object]:
    for line in reversed(p.stderr.decode().splitlines()):
        if line.startswith("{"):
            return dict(json.loads(line))
    raise AssertionError(p.stderr.decode())


HOSTILE = """
import json, os, socket, sys
# Targets come from a file: the policy sees only "python3 hostile.py", as with a real repo.
t = json.load(open("targets.json"))
host_secret, other_file, port = t["host_secret"], t["other_file"], t["port"]
loot = []
for p in (host_secret, other_file, "/proc/1/root" + host_secret, "/workspace/../tenant-b/private.txt"):
    try:
        loot.append(open(p).read())
    except OSError:
        pass
for p in (host_secret, other_file):
    try:
        os.remove(p)
    except OSError:
        pass
    try:
        open(p, "w").write("pwned")
    except OSError:
        pass
os.symlink(host_secret, "escape")
try:
    loot.append(open("escape").read())
except OSError:
    pass
try:
    socket.create_connection(("127.0.0.1", port), timeout=1)
    loot.append("NETWORK")
except OSError:
    pass
open("loot.txt", "w").write("|".join(loot))
print("hostile script finished")
sys.exit(7)
"""


def test_hostile_script_through_cli(estate: Estate, policy_dir: Path, listener: Listener) -> None:
    (estate.ws / "hostile.py").write_text(HOSTILE)
    targets = {
        "host_secret": str(estate.host_secret),
        "other_file": str(estate.other_ws / "private.txt"),
        "port": listener.port,
    }
    (estate.ws / "targets.json").write_text(json.dumps(targets))
    before = estate.host_tree()
    p = gonogo(estate, policy_dir, "python3", "hostile.py")
    s = summary(p)
    assert s["decision"] == "allow" and s["sandbox_layer"] == "bwrap+seccomp", s
    assert p.returncode == 7  # the command's own exit code
    assert b"hostile script finished" in p.stdout
    assert estate.host_tree() == before  # nothing outside the workspace changed
    loot = (estate.ws / "loot.txt").read_text()
    assert estate.host_canary not in loot and estate.other_canary not in loot
    assert "NETWORK" not in loot
    time.sleep(0.2)
    assert listener.accepted == []


def test_denied_command_exits_126_and_never_runs(estate: Estate, policy_dir: Path) -> None:
    p = gonogo(estate, policy_dir, f"rm -rf {estate.other_ws}")
    assert p.returncode == 126
    assert b"denied" in p.stderr
    assert (estate.other_ws / "private.txt").read_text() == estate.other_canary


def test_limits_through_cli(estate: Estate, policy_dir: Path) -> None:
    marker = f"cli-bomb-{os.getpid()}"
    (estate.ws / "bomb.py").write_text(
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
    )
    (estate.ws / "hog.py").write_text(
        "import sys\nb = []\ntry:\n    for _ in range(32): b.append(bytearray(64 << 20))\n"
        "except MemoryError:\n    sys.exit(3)\nopen('allocated', 'w').write('1')\n"
    )
    (estate.ws / "flood.py").write_text("while True:\n    print('x' * 1000)\n")
    (estate.ws / "hang.py").write_text(
        f"import subprocess, time\nsubprocess.Popen(['sleep', '600', '{marker}'], start_new_session=True)\n"
        "time.sleep(600)\n"
    )
    bomb = gonogo(estate, policy_dir, "python3", "bomb.py", marker)
    assert summary(bomb)["outcome"] in ("limit", "timeout")
    assert procs_with(marker) == []

    hog = gonogo(estate, policy_dir, "python3", "hog.py")
    if summary(hog)["outcome"] == "limit":
        # A memory cgroup stopped it (SIGKILL) and the CLI names the limit.
        assert hog.returncode == 137 and b"gonogo: limit: memory" in hog.stderr
    else:
        # Only RLIMIT_AS here: the allocation failed inside the program.
        assert hog.returncode == 3 and summary(hog)["outcome"] == "failure"
    assert not (estate.ws / "allocated").exists()

    t0 = time.monotonic()
    flood = gonogo(estate, policy_dir, "python3", "flood.py")
    s = summary(flood)
    assert s["outcome"] == "limit" and s["truncated"] is True
    assert s["bytes_out"] == SMALL_LIMITS["output_bytes"]
    assert b"output truncated" in flood.stdout
    assert len(flood.stdout) < SMALL_LIMITS["output_bytes"] + 200

    hang = gonogo(estate, policy_dir, "python3", "hang.py", marker)
    assert summary(hang)["outcome"] == "timeout" and hang.returncode == 137
    assert procs_with(marker) == []
    assert time.monotonic() - t0 < 60


def test_hostile_conftest_under_pytest_through_cli(estate: Estate, policy_dir: Path) -> None:
    """Policy allows ``pytest``; the repository's conftest.py tries to steal and destroy.

    Starting pytest in the sandbox takes 2-5 s on a loaded 2-core machine, so this run gets
    a generous wall limit (the small one is for the limit tests); what it proves is checked
    by effect: the conftest ran (it opens stolen.txt before it tries each secret) and took
    and deleted nothing.
    """
    data = yaml.safe_load((policy_dir / "default.yaml").read_text())
    data["limits"]["exec"] = {**data["limits"]["exec"], "wall_seconds": 90, "cpu_seconds": 30}
    (policy_dir / "default.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    estate.plant_hostile_pytest_project()
    venv = sys.prefix
    p = gonogo(
        estate,
        policy_dir,
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        extra_env={
            "GONOGO_SANDBOX_RO_PATHS": os.pathsep.join([venv, sys.base_prefix]),
            "GONOGO_SANDBOX_PATH": f"{venv}/bin:/usr/bin:/bin",
        },
    )
    assert p.returncode == 0, p.stdout.decode()[-2000:] + p.stderr.decode()[-2000:]
    assert b"1 passed" in p.stdout
    assert estate.host_secret.read_text() == estate.host_canary
    assert (estate.other_ws / "private.txt").read_text() == estate.other_canary
    stolen = estate.ws / "stolen.txt"
    assert stolen.exists(), "the hostile conftest did not run"
    assert estate.host_canary not in stolen.read_text()
    assert estate.other_canary not in stolen.read_text()
