"""Class 10: what the CI readers protect does not depend on the host's load, and what they
cannot read within their budget is protected by the names it holds (stop 46).

Found by effect: the readers' 2 s budget was wall time, so the same repository read beside
busy threads (a loaded host, a server's other requests) protected fewer files, down to none;
commands left unread past the budget were left out; and every command's readings with CI
values put in were made before the budget was first looked at (3,600 `for` loops: 6 s).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from enforcement_agent.policy import repo_runs
from enforcement_agent.policy.paths import Workspace
from tests.policy.scratch_repo import scratch_repo

HEAD = "on: push\njobs:\n  t:\n    runs-on: x\n    env:\n      S: ci/hidden.sh\n    steps:\n"
FILES = {
    "README.md": "r\n",
    "scripts/late.sh": "echo\n",
    "ci/hidden.sh": "echo\n",
    "tools/named.py": "print()\n",
    "src/app.py": "print()\n",  # named by nothing: never protected
}


def _workflow(steps: list[str], tail: list[str]) -> str:
    return HEAD + "".join(f"      - run: {s}\n" for s in [*steps, *tail])


def _protected(tmp_path: Path, text: str) -> tuple[str, ...]:
    ws = scratch_repo(tmp_path, {**FILES, ".github/workflows/x.yml": text}, tracked=("README.md",))
    return repo_runs.repo_protected(Workspace(str(ws)))


@contextmanager
def _busy_threads(n: int) -> Iterator[None]:
    """Threads that hold the interpreter as often as it lets them: the wall clock of a
    reading beside them runs about n + 1 times faster than its CPU time."""
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            pass

    threads = [threading.Thread(target=spin, daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    try:
        yield
    finally:
        stop.set()
        for t in threads:
            t.join()


TAIL = ["./scripts/late.sh", "python tools/named.py"]


def test_a_loaded_host_protects_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (a budget of 0.3 s so that the reading, about 0.1 s of CPU, passes it in wall time
    # beside three busy threads)
    monkeypatch.setattr(repo_runs, "_RUN_SECONDS", 0.3)
    text = _workflow([f"echo step{i} && grep -r x{i} src | wc -l" for i in range(800)], TAIL)
    quiet = _protected(tmp_path / "quiet", text)
    assert {"scripts/late.sh", "tools/named.py"} <= set(quiet)
    with _busy_threads(3):
        loaded = _protected(tmp_path / "loaded", text)
    assert loaded == quiet


@pytest.mark.parametrize(
    "step",
    [
        "for f in a{i} b c; do if [ -f $f ]; then x $f; fi; done",  # many readings each
        "echo step{i} | tr a-z A-Z | sed s/x/y/ | sort -u",
        "bash -c \"sh -c 'echo {i} $(y $(z))'\"",
    ],
    ids=["loops", "pipes", "nested"],
)
def test_commands_past_the_budget_protect_what_they_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    monkeypatch.setattr(repo_runs, "_RUN_SECONDS", 0.1)
    tail = [*TAIL, "bash $S"]  # (the variable's file is named by its value only)
    text = _workflow([step.replace("{i}", str(i)) for i in range(3_000)], tail)
    start = time.thread_time()
    protected = set(_protected(tmp_path / "ws", text))
    # the budget, then one linear pass; 3 s of CPU for the loops before
    assert time.thread_time() - start < 1.5
    assert {"scripts/late.sh", "tools/named.py", "ci/hidden.sh"} <= protected
    assert "src/app.py" not in protected
    assert "readme.md" not in protected


def test_within_the_budget_only_what_runs_is_protected(tmp_path: Path) -> None:
    """Control: read whole, the workflow protects what it runs and not what it only names."""
    text = _workflow(["echo docs/README.md src/app.py"], TAIL)
    protected = set(_protected(tmp_path / "ws", text))
    assert {"scripts/late.sh", "tools/named.py"} <= protected
    assert "src/app.py" not in protected


def test_configurations_past_the_file_bound_protect_what_they_name(tmp_path: Path) -> None:
    """40 workflows (only 32 configuration files are read as commands): the scripts the
    unread ones run are protected by name; what none of them names is not."""
    files = {
        **FILES,
        **{
            f".github/workflows/w{i:02d}.yml": _workflow([f"bash ci/s{i}.sh"], [])
            for i in range(40)
        },
        **{f"ci/s{i}.sh": "echo\n" for i in range(40)},
    }
    ws = scratch_repo(tmp_path / "ws", files, tracked=("README.md",))
    protected = set(repo_runs.repo_protected(Workspace(str(ws))))
    assert {f"ci/s{i}.sh" for i in range(40)} <= protected
    assert {f".github/workflows/w{i:02d}.yml" for i in range(32, 40)} <= protected
    assert "src/app.py" not in protected


def test_past_the_time_budget_every_file_protects_what_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repo_runs, "_RUN_SECONDS", 0.0)
    protected = set(_protected(tmp_path / "ws", _workflow(["echo hi"], TAIL)))
    assert {"scripts/late.sh", "tools/named.py", "ci/hidden.sh"} <= protected
    assert "src/app.py" not in protected
