"""What a run's end undoes is charged to the run that made it, not to whichever run ended first.

Found by CI (run 89, ``test_cluster_profile_matches_the_embedded_default``): two gateway
replicas ran one tenant's sessions at once, and an output flood (``head -c 3000000 /dev/zero |
tr …``) on one replica ended as ``error`` (exit 126, "Python bytecode written by the command
was removed") while ``python3 -m compileall -q src`` ran on the other; the compileall run,
which wrote the bytecode, ended ``success``. Every run's end judges the whole workspace, so
the first run to end removed the other's bytecode, took the blame, and left its maker clean.

Now each change undone carries the time it was made (an entry's change time, which no
sandboxed command can set): a run is charged with what was made while it ran, including what
a run that ended first undid (the workspace's ledger), and not with what was made before it
started. And Python's own bytecode goes to the run's private /tmp (``PYTHONPYCACHEPREFIX``):
a syntax check with compileall is not a violation, and no run is left to blame for it.
"""

from __future__ import annotations

import os
import py_compile
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox import ExecResult, run_sandboxed, workspace_state

pytestmark = pytest.mark.sandbox

LIMITS = Limits(wall_seconds=60, cpu_seconds=20, processes=64)
TENANT = "attribution"
TAG = sys.implementation.cache_tag


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    (ws / "src").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(ws)], check=True)
    (ws / "src" / "m.py").write_text("X = 1\n")
    for p in [ws, *ws.rglob("*")]:
        p.chmod(0o777 if p.is_dir() else 0o666)
    return ws


def _run(ws: Path, script: str, names: object) -> ExecResult:
    return run_sandboxed(["/bin/sh", "-c", script], ws, LIMITS, tenant=TENANT, names=names)  # type: ignore[arg-type]


def _bytecode(ws: Path) -> list[str]:
    return sorted(
        str(p.relative_to(ws))
        for p in ws.rglob("*")
        if p.suffix in (".pyc", ".pyo") or p.name == "__pycache__"
    )


# ---- Python's own bytecode: written to the run's /tmp ---------------------------------------


@pytest.mark.parametrize(
    "script",
    [
        "python3 -m compileall -q src && echo compiled",
        "python3 -m compileall src > /dev/null && echo compiled",
        "python3 -m compileall -f -q . && echo compiled",
        "python3 -c \"import py_compile; py_compile.compile('src/m.py')\" && echo compiled",
        "python3 -c 'import sys; sys.path.insert(0, \"src\"); import m' && echo compiled",
        "PYTHONDONTWRITEBYTECODE= python3 -c 'import sys; sys.path[:0] = [\"src\"]; import m'"
        " && echo compiled",
    ],
    ids=["compileall-q", "compileall", "compileall-all", "py_compile", "import", "import-w"],
)
def test_a_syntax_check_leaves_no_bytecode_and_is_no_violation(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object], script: str
) -> None:
    ws = _workspace(tmp_path)
    r = _run(ws, script, policy_names(ws))
    assert r.outcome is Outcome.SUCCESS, r
    assert r.exit_code == 0 and not r.violations, r
    assert b"compiled" in r.output
    assert _bytecode(ws) == []


@pytest.mark.parametrize(
    "script",
    [
        "python3 -m compileall -q -b src",  # legacy bytecode beside the source: no prefix
        f"mkdir -p src/__pycache__ && cp src/m.py src/__pycache__/m.{TAG}.pyc",
        "python3 -c \"import py_compile; py_compile.compile('src/m.py', cfile='src/m.pyc')\"",
        f"PYTHONPYCACHEPREFIX= python3 -c \"import py_compile; py_compile.compile('src/m.py', "
        f"cfile='src/__pycache__/m.{TAG}.pyc')\"",
    ],
    ids=["compileall-b", "cp", "py_compile-cfile", "prefix-cleared"],
)
def test_bytecode_written_into_the_workspace_is_still_removed_and_charged(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object], script: str
) -> None:
    ws = _workspace(tmp_path)
    r = _run(ws, script, policy_names(ws))
    assert r.outcome is Outcome.ERROR and r.exit_code == 126, r
    assert any("bytecode" in v for v in r.violations), r.violations
    assert _bytecode(ws) in ([], ["src/__pycache__"]), _bytecode(ws)
    assert not list(ws.rglob("*.pyc"))


def test_stale_bytecode_in_the_workspace_is_not_what_sandboxed_python_runs(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    """A `__pycache__` left in the checkout (the host's, or a tenant's tarball) whose header
    matches the source it no longer compiles from: Python in the sandbox reads the source."""
    ws = _workspace(tmp_path)
    src = ws / "src" / "m.py"
    src.write_text("X = 'stale'\n")
    stamp = os.stat(src)
    py_compile.compile(str(src), doraise=True)  # src/__pycache__/m.<tag>.pyc for 'stale'
    src.write_text("X = 'fresh'\n")  # same size and, below, the same mtime
    os.utime(src, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    probe = "python3 -c 'import sys; sys.path.insert(0, \"src\"); import m; print(m.X)'"
    host = subprocess.run(["/bin/sh", "-c", probe], cwd=ws, capture_output=True, text=True)
    assert host.stdout.strip() == "stale", "control: the host's Python runs the stale bytecode"
    r = _run(ws, probe, policy_names(ws))
    assert r.outcome is Outcome.SUCCESS, r
    assert r.output.decode().strip() == "fresh", r.output


# ---- Concurrent runs: who is charged ---------------------------------------------------------


# A run that waits, without a fixed sleep, until the test says the other run has ended.
WAIT_B = "while [ ! -e b-done ]; do sleep 0.02; done"


def _wait_for(path: Path) -> None:
    deadline = time.monotonic() + 30
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert path.exists(), f"{path.name} never appeared"


def _overlap(ws: Path, first: str, second: str, names: object) -> tuple[ExecResult, ExecResult]:
    """Run ``first`` (which must touch ``a-wrote`` and then wait for ``b-done``); once it
    made ``a-wrote``, run ``second`` to its end, then let the first one end."""
    got: dict[str, ExecResult] = {}

    def run(key: str, script: str) -> None:
        got[key] = _run(ws, script, names)

    a = threading.Thread(target=run, args=("a", first))
    a.start()
    _wait_for(ws / "a-wrote")
    time.sleep(0.05)  # past the clock's slack: the change is older than the second run
    run("b", second)
    (ws / "b-done").touch()
    a.join(60)
    return got["a"], got["b"]


PLANTS = {
    "workflow": "mkdir -p sub/.github/workflows && echo 'on: push' > sub/.github/workflows/x.yml",
    "git-config": "printf '[core]\\n\\tfsmonitor = touch ../ran\\n' >> .git/config",
    "vscode-tasks": "mkdir -p .vscode && echo '{}' > .vscode/tasks.json",
    "bytecode": f"mkdir -p src/__pycache__ && echo x > src/__pycache__/m.{TAG}.pyc",
    "module-dir": "mkdir -p .git/modules/evil && echo ref > .git/modules/evil/HEAD",
    # made by renaming a folder whose files are older than every run (the host made them)
    "renamed-folder": "mv x .vscode",
}
# What the host made before any run, for the plants that move old files.
HOST_FILES = {"renamed-folder": "x/tasks.json"}


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_a_change_made_before_a_run_started_is_charged_to_its_maker(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object], plant: str
) -> None:
    ws = _workspace(tmp_path)
    if plant in HOST_FILES:
        made = ws / HOST_FILES[plant]
        made.parent.mkdir()
        made.write_text("{}\n")
        for p in (made, made.parent):
            p.chmod(0o777 if p.is_dir() else 0o666)
        time.sleep(0.05)  # older than the runs, past the clock's slack
    maker, bystander = _overlap(
        ws, f"{PLANTS[plant]}; touch a-wrote; {WAIT_B}", "true", policy_names(ws)
    )
    assert bystander.outcome is Outcome.SUCCESS and not bystander.violations, bystander
    assert maker.outcome is Outcome.ERROR and maker.exit_code == 126, maker
    assert maker.violations, maker
    if plant != "bytecode":
        # the bystander ended first and undid the change, and says so; the maker is charged
        # from the ledger. (Bytecode is judged against what each run saw at its start, so
        # the bystander leaves it to its maker's end.)
        assert "another run of the workspace" in bystander.detail, bystander.detail
        assert "ended first" in maker.detail, maker.detail
    assert "fsmonitor" not in (ws / ".git" / "config").read_text()
    assert not (ws / "sub" / ".github").exists() and not (ws / ".vscode").exists()
    assert not list(ws.rglob("*.pyc")) and not (ws / ".git" / "modules" / "evil").exists()


def test_a_change_made_while_both_ran_is_charged_to_both(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    """The sandbox cannot tell which of two overlapping runs wrote a file: fail closed, and
    never let the maker off because another run's end found it first."""
    ws = _workspace(tmp_path)
    got: dict[str, ExecResult] = {}

    def run(key: str, script: str) -> None:
        got[key] = _run(ws, script, policy_names(ws))

    bystander = threading.Thread(
        target=run, args=("b", "touch b-started; while [ ! -e a-wrote ]; do sleep 0.02; done")
    )
    bystander.start()
    _wait_for(ws / "b-started")
    maker = threading.Thread(
        target=run, args=("a", f"{PLANTS['bytecode']}; touch a-wrote; {WAIT_B}")
    )
    maker.start()
    bystander.join(60)
    (ws / "b-done").touch()
    maker.join(60)
    assert got["b"].outcome is Outcome.ERROR and got["b"].violations, got["b"]
    assert got["a"].outcome is Outcome.ERROR and got["a"].violations, got["a"]
    assert not list(ws.rglob("*.pyc"))


def test_the_ledger_is_emptied_when_no_run_is_in_flight(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    ws = _workspace(tmp_path)
    _overlap(ws, f"{PLANTS['workflow']}; touch a-wrote; {WAIT_B}", "true", policy_names(ws))
    state = workspace_state.begin(ws, policy_names(ws), None)  # type: ignore[arg-type]
    ledger = f"{state._key}.undone"
    assert state.end() == ""
    assert not os.path.exists(ledger)
    # a later run alone is charged with nothing of the earlier ones
    r = _run(ws, "true", policy_names(ws))
    assert r.outcome is Outcome.SUCCESS and not r.violations, r


def test_a_ledger_that_is_not_ours_to_read_charges_nothing_and_breaks_nothing(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    """Garbage lines (a torn write, a different version) are skipped, never a crash."""
    ws = _workspace(tmp_path)
    state = workspace_state.begin(ws, policy_names(ws), None)  # type: ignore[arg-type]
    other = workspace_state.begin(ws, policy_names(ws), None)  # type: ignore[arg-type]
    with open(f"{state._key}.undone", "w", encoding="utf-8") as fh:
        fh.write('not json\n["note", "soon"]\n[1]\n{"a": 1}\n\n["x", 1]\n')
    assert state.end() == ""
    assert other.end() == ""


def test_a_move_is_dated_by_the_folders_it_went_through(
    tmp_path: Path, bwrap: str, policy_names: Callable[[Path], object]
) -> None:
    """A protected file older than the run, moved by renaming a folder above it (done here
    without the sandbox, which refuses it by its binds): its own change time is old, the
    folders' are not, so the run is charged."""
    ws = _workspace(tmp_path)
    (ws / "docs").mkdir()
    (ws / "docs" / "CLAUDE.md").write_text("Be careful.\n")
    time.sleep(0.05)
    state = workspace_state.begin(ws, policy_names(ws), None)  # type: ignore[arg-type]
    os.rename(ws / "docs", ws / "notes")
    note = state.end()
    assert "protected path docs/CLAUDE.md was moved to notes/CLAUDE.md: moved back" in note
    assert state.undone_for_others == []
    assert (ws / "docs" / "CLAUDE.md").read_text() == "Be careful.\n"


def test_a_run_alone_is_charged_whatever_the_file_system_clock_says(
    tmp_path: Path,
    bwrap: str,
    policy_names: Callable[[Path], object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A workspace on a file system whose times come from another clock (an NFS server
    minutes behind): a change dates from before the run. With no other run in flight from
    its start to its end, it is the run's all the same."""
    monkeypatch.setattr(workspace_state, "_ctime", lambda _fd, _rel: 1)
    ws = _workspace(tmp_path)
    r = _run(ws, PLANTS["workflow"], policy_names(ws))
    assert r.outcome is Outcome.ERROR and r.violations, r
    assert not (ws / "sub" / ".github").exists()
    # ...but not when another run started meanwhile: then the times decide (and say so)
    a = workspace_state.begin(ws, policy_names(ws), None)  # type: ignore[arg-type]
    b = workspace_state.begin(ws, policy_names(ws), None)  # type: ignore[arg-type]
    (ws / ".vscode").mkdir()
    (ws / ".vscode" / "tasks.json").write_text("{}")
    assert b.end() == "" and b.undone_for_others, b.undone_for_others
    # undone, not charged to anyone: the limit docs/sandbox.md names for such a file system
    assert a.end() == ""
    assert not (ws / ".vscode").exists()
