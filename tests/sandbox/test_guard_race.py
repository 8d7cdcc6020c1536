"""Two concurrent runs of one workspace cannot launder a planted ``.git/config`` key or a
protected name through each other (issue 10, class 7; fourth red-team pass).

Before this pass each run compared ``.git/config`` with its own snapshot: run A planted
``core.fsmonitor``, run B started while it was there (so B's snapshot held it), A's restore
put the clean file back, and B wrote the file again from what it had read with one allowed key
added; B's check then saw only the allowed key and the planted one stayed for the human's next
``git status``. Now every run that starts while others of the same workspace are in flight is
judged against the state taken when none was (``workspace_state``). The control disables the
shared baseline and shows the race wins.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from enforcement_agent.models import Limits
from enforcement_agent.sandbox import ExecResult, run_sandboxed, workspace_state

pytestmark = pytest.mark.sandbox

LIMITS = Limits(wall_seconds=60, cpu_seconds=20, processes=64)
TENANT = "rt4-race"

PLANT = (
    "import time\n"
    "open('.git/config', 'a').write('[core]\\n\\tfsmonitor = touch ../ran-fsmonitor\\n')\n"
    "open('a-wrote', 'w').close()\n"
    "time.sleep(2)\n"
)
# Reads the planted file, waits until A's run has put the clean one back, then writes what it
# read plus an allowed key (what `git config user.name` would do from a stale read).
LAUNDER = (
    "import time\n"
    "data = open('.git/config').read()\n"
    "assert 'fsmonitor' in data, 'started too late'\n"
    "deadline = time.time() + 30\n"
    "while 'fsmonitor' in open('.git/config').read() and time.time() < deadline:\n"
    "    time.sleep(0.05)\n"
    "time.sleep(0.2)\n"
    "open('.git/config', 'w').write(data + '[user]\\n\\tname = bob\\n')\n"
)
NEW_NAME = (
    "import os, time\n"
    "os.makedirs('sub/.github/workflows')\n"
    "open('sub/.github/workflows/x.yml', 'w').write('on: push')\n"
    "open('a-wrote', 'w').close()\n"
    "time.sleep(2)\n"
)


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir()
    subprocess.run(["git", "init", "-q", str(ws)], check=True)
    (ws / "plant.py").write_text(PLANT)
    (ws / "launder.py").write_text(LAUNDER)
    (ws / "newname.py").write_text(NEW_NAME)
    for p in [ws, *ws.rglob("*")]:
        p.chmod(0o777 if p.is_dir() else 0o666)
    return ws


def _race(ws: Path, first: str, second: list[str], names: object | None) -> list[ExecResult]:
    results: list[ExecResult] = []

    def run(argv: list[str]) -> None:
        results.append(run_sandboxed(argv, ws, LIMITS, tenant=TENANT, names=names))  # type: ignore[arg-type]

    a = threading.Thread(target=run, args=(["python3", first],))
    a.start()
    deadline = time.monotonic() + 30
    while not (ws / "a-wrote").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    b = threading.Thread(target=run, args=(second,))
    b.start()
    a.join(60)
    b.join(60)
    return results


def _fsmonitor_left(ws: Path) -> bool:
    return "fsmonitor" in (ws / ".git" / "config").read_text()


def test_control_each_run_judged_alone_the_race_wins(
    tmp_path: Path, bwrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def own_baseline(_path: str) -> object:
        raise OSError("control: no shared baseline")

    monkeypatch.setattr(workspace_state, "_load", own_baseline)
    ws = _workspace(tmp_path)
    results = _race(ws, "plant.py", ["python3", "launder.py"], None)
    assert len(results) == 2
    assert _fsmonitor_left(ws), [r.detail for r in results]


def test_concurrent_runs_share_the_baseline(tmp_path: Path, bwrap: str) -> None:
    ws = _workspace(tmp_path)
    results = _race(ws, "plant.py", ["python3", "launder.py"], None)
    assert len(results) == 2
    assert not _fsmonitor_left(ws), [r.detail for r in results]
    assert any("restored" in r.detail for r in results)


def test_a_name_made_by_one_run_is_not_taken_as_there_by_another(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    ws = _workspace(tmp_path)
    results = _race(ws, "newname.py", ["/bin/sh", "-c", "sleep 3"], policy_names(ws))
    assert len(results) == 2
    assert not (ws / "sub" / ".github").exists(), [r.detail for r in results]


def test_many_concurrent_runs_leave_nothing_behind(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    """Eight runs at once, half planting, half doing allowed git work: no planted key or
    name survives (a restore puts back the baseline bytes, so allowed keys written by a run
    that overlapped a planting one may go with it: fail closed), and no lock is left held."""
    ws = _workspace(tmp_path)
    results: list[ExecResult] = []
    cmds = []
    for i in range(4):
        cmds.append(
            f"printf '[core]\\n\\tfsmonitor = x{i}\\n' >> .git/config; "
            f"mkdir -p d{i}/.vscode && echo x > d{i}/.vscode/tasks.json; sleep 0.{i}"
        )
        cmds.append(f"git config remote.r{i}.url https://example.com/{i}.git; sleep 0.{i}")
    limits = Limits(wall_seconds=60, concurrency_per_tenant=8, queue_timeout_seconds=60)

    def run(cmd: str) -> None:
        results.append(
            run_sandboxed(
                ["/bin/sh", "-c", cmd],
                ws,
                limits,
                tenant=TENANT,
                names=policy_names(ws),  # type: ignore[arg-type]
            )
        )

    threads = [threading.Thread(target=run, args=(c,)) for c in cmds]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(results) == 8
    assert not _fsmonitor_left(ws)
    assert not any((ws / f"d{i}" / ".vscode").exists() for i in range(4))
    # the next run starts from a clean state and is not refused
    r = run_sandboxed(["/bin/true"], ws, LIMITS, tenant=TENANT, names=policy_names(ws))  # type: ignore[arg-type]
    assert r.exit_code == 0, r.detail
    assert os.path.exists(ws / ".git" / "config")


def _swap_after_setup(monkeypatch: pytest.MonkeyPatch, ws: Path, outside: Path) -> None:
    """Run B's setup, then do what a concurrent run A can do at the worst moment: rename the
    directory it made and put a link to a host directory in its place, before bubblewrap
    mounts B's binds (it resolves a bind's source on the host)."""
    real_begin = workspace_state.begin

    def begin(*a: object, **kw: object) -> workspace_state.RunState:
        state = real_begin(*a, **kw)  # type: ignore[arg-type]
        os.rename(ws / "evil", ws / "evil.d")
        # bubblewrap resolves a bind's source on the host (ws/../dev/shm: a directory beside
        # the workspace) and its destination in the new root (/dev/shm, which exists there)
        (ws / "evil").symlink_to(os.path.relpath(outside, ws))
        return state

    monkeypatch.setattr(workspace_state, "begin", begin)


@pytest.mark.parametrize("control", [True, False])
def test_a_link_swapped_in_by_another_run_is_never_bound(
    tmp_path: Path,
    bwrap: str,
    monkeypatch: pytest.MonkeyPatch,
    policy_names: Callable[[Path], object],
    control: bool,
) -> None:
    ws = _workspace(tmp_path)
    # a host repository beside the workspace (another of the tenant's workspaces, say), in
    # a directory named like one the sandbox's root has (a person's ~/tmp, ~/dev …)
    outside = tmp_path / "dev" / "shm"
    (outside / ".git" / "hooks").mkdir(parents=True)
    (outside / ".git" / "config").write_text("[core]\n\tbare = false\n")
    # writable by the tenant's id, as the tenant's other workspaces are
    (outside / ".git" / "config").chmod(0o666)
    a = workspace_state.begin(ws, policy_names(ws), None)  # type: ignore[arg-type]
    try:
        # run A, in flight, made these (it can: they were not there when it started)
        (ws / "evil" / ".git").mkdir(parents=True)
        if control:  # the sandbox before this fix bound whatever it found, by path
            monkeypatch.setattr(workspace_state, "_same", lambda _x, _y: True)
            monkeypatch.setattr(workspace_state, "_ancestors", lambda _rels: set())
        _swap_after_setup(monkeypatch, ws, outside)
        r = run_sandboxed(
            ["/bin/sh", "-c", "printf '[core]\\n\\tfsmonitor = id\\n' >> evil/.git/config"],
            ws,
            LIMITS,
            tenant=TENANT,
            names=policy_names(ws),  # type: ignore[arg-type]
        )
    finally:
        a.end()
    planted = "fsmonitor" in (outside / ".git" / "config").read_text()
    assert planted is control, (r.outcome, r.detail, r.output.decode())
