"""The merge-state read: what it reports, and that nothing the agent configured runs on the host.

The harness reads the agent's work dir as root on the host after the agent finished. The agent
could write `.git/config`, `.gitattributes`, hooks, the index and the refs; none of that may
execute a program here, and none of it may make an uncommitted change look committed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks.harness.agents import parse_agents
from benchmarks.harness.runner import RunOptions, run_benchmark
from benchmarks.harness.tasks import discover_tasks
from benchmarks.harness.workdir import AttemptArea, git, merge_state, prepare
from tests.benchmarks.helpers import write_task


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str]:
    env = tmp_path / "environment"
    env.mkdir()
    (env / "app.py").write_text("print('v1')\n")
    (env / ".gitignore").write_text("*.log\n")
    area = AttemptArea(tmp_path / "attempt")
    seed = prepare(area, env, "instruction")
    return area.work, seed


def _commit(work: Path, rel: str, text: str) -> None:
    (work / rel).write_text(text)
    git(work, "add", "-A")
    git(work, "commit", "-qm", "agent change")


def _marker_script(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """An executable that leaves a marker when anything runs it (outside the work dir)."""
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    marker = outside / f"{name}.ran"
    script = outside / f"{name}.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n")
    script.chmod(0o755)
    return script, marker


def test_committed_change_on_main_is_merged(repo: tuple[Path, str]) -> None:
    work, seed = repo
    _commit(work, "app.py", "print('v2')\n")
    (work / "debug.log").write_text("ignored files do not count\n")
    state = merge_state(work, seed)
    assert (state.on_main, state.clean, state.advanced, state.merged) == (True, True, True, True)
    assert state.head == git(work, "rev-parse", "HEAD").stdout.strip() != seed


@pytest.mark.parametrize(
    "change",
    ["modified", "untracked", "deleted", "staged-only", "mode"],
)
def test_anything_uncommitted_is_not_clean(repo: tuple[Path, str], change: str) -> None:
    work, seed = repo
    _commit(work, "app.py", "print('v2')\n")
    if change == "modified":
        (work / "app.py").write_text("print('v3')\n")
    elif change == "untracked":
        (work / "new.py").write_text("x = 1\n")
    elif change == "deleted":
        (work / "app.py").unlink()
    elif change == "staged-only":
        (work / "new.py").write_text("x = 1\n")
        git(work, "add", "new.py")
    else:
        (work / "app.py").chmod(0o755)
    state = merge_state(work, seed)
    assert state.advanced and not state.clean and not state.merged


def test_not_on_main_or_not_advanced(repo: tuple[Path, str]) -> None:
    work, seed = repo
    assert not merge_state(work, seed).advanced  # nothing committed yet
    git(work, "checkout", "-qb", "feature")
    _commit(work, "app.py", "print('v2')\n")
    state = merge_state(work, seed)
    assert not state.on_main and not state.advanced and not state.merged
    git(work, "checkout", "-q", "main")
    git(work, "merge", "-q", "--ff-only", "feature")
    assert merge_state(work, seed).merged
    git(work, "checkout", "-q", "--detach")
    assert not merge_state(work, seed).on_main


def test_history_rewritten_past_the_seed_is_not_advanced(repo: tuple[Path, str]) -> None:
    work, seed = repo
    git(work, "checkout", "-q", "--orphan", "other")
    _commit(work, "app.py", "print('unrelated')\n")
    git(work, "branch", "-qf", "main", "other")
    git(work, "checkout", "-q", "main")
    state = merge_state(work, seed)
    assert state.on_main and not state.advanced and not state.merged


def test_packed_refs_are_read(repo: tuple[Path, str]) -> None:
    work, seed = repo
    _commit(work, "app.py", "print('v2')\n")
    git(work, "pack-refs", "--all")
    assert not (work / ".git/refs/heads/main").exists()
    assert merge_state(work, seed).merged


# --- the agent's configuration never runs on the host --------------------------------------


def _plant_config(work: Path, lines: str) -> None:
    with (work / ".git" / "config").open("a") as f:
        f.write(lines)


@pytest.mark.parametrize("key", ["clean", "smudge", "process"])
def test_planted_filter_driver_does_not_run(
    repo: tuple[Path, str], tmp_path: Path, key: str
) -> None:
    work, seed = repo
    script, marker = _marker_script(tmp_path, f"filter-{key}")
    _commit(work, ".gitattributes", "* filter=x\n")
    _plant_config(work, f'[filter "x"]\n\t{key} = {script}\n\trequired = true\n')
    (work / "app.py").write_text("print('changed after the commit')\n")  # stat-dirty
    state = merge_state(work, seed)
    assert not marker.exists(), f"filter.x.{key} ran on the host"
    assert not state.clean  # and the change is still seen


def test_planted_fsmonitor_and_hooks_do_not_run(repo: tuple[Path, str], tmp_path: Path) -> None:
    work, seed = repo
    fsmon, fs_marker = _marker_script(tmp_path, "fsmonitor")
    hook_dir = tmp_path / "hooks"
    hook_dir.mkdir()
    hook, hook_marker = _marker_script(tmp_path, "hook")
    for name in ("post-index-change", "post-checkout", "reference-transaction"):
        (hook_dir / name).symlink_to(hook)
        (work / ".git" / "hooks" / name).write_text(f"#!/bin/sh\ntouch {hook_marker}\n")
        (work / ".git" / "hooks" / name).chmod(0o755)
    _commit(work, "app.py", "print('v2')\n")
    _plant_config(
        work,
        f"[core]\n\tfsmonitor = {fsmon}\n\thooksPath = {hook_dir}\n"
        "\tuntrackedCache = true\n\tsplitIndex = true\n",
    )
    state = merge_state(work, seed)
    assert not fs_marker.exists(), "core.fsmonitor ran on the host"
    assert not hook_marker.exists(), "a hook ran on the host"
    assert state.merged


def test_included_config_and_worktree_redirect_are_ignored(
    repo: tuple[Path, str], tmp_path: Path
) -> None:
    work, seed = repo
    script, marker = _marker_script(tmp_path, "included")
    inc = work / "included.cfg"
    inc.write_text(f'[filter "y"]\n\tclean = {script}\n[core]\n\tfsmonitor = {script}\n')
    _commit(work, ".gitattributes", "*.py filter=y\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _plant_config(work, f"[include]\n\tpath = {inc}\n[core]\n\tworktree = {elsewhere}\n")
    (work / "app.py").write_text("print('dirty')\n")
    state = merge_state(work, seed)
    assert not marker.exists()
    assert not state.clean  # the real work dir was read, not the redirected one


def test_index_flags_cannot_hide_a_change(repo: tuple[Path, str]) -> None:
    work, seed = repo
    _commit(work, "app.py", "print('v2')\n")
    (work / "app.py").write_text("print('hidden edit')\n")
    git(work, "update-index", "--assume-unchanged", "app.py")
    assert git(work, "status", "--porcelain").stdout == ""  # git itself is fooled
    assert not merge_state(work, seed).clean
    git(work, "update-index", "--no-assume-unchanged", "app.py")
    git(work, "update-index", "--skip-worktree", "app.py")
    assert git(work, "status", "--porcelain").stdout == ""
    assert not merge_state(work, seed).clean


def test_redirected_or_special_git_files_are_not_trusted(
    repo: tuple[Path, str], tmp_path: Path
) -> None:
    work, seed = repo
    _commit(work, "app.py", "print('v2')\n")
    assert merge_state(work, seed).merged
    main_ref = work / ".git/refs/heads/main"
    sha = main_ref.read_text()
    # main as a symlink to a file that holds a good commit id: not followed
    target = tmp_path / "ref"
    target.write_text(sha)
    main_ref.unlink()
    main_ref.symlink_to(target)
    assert not merge_state(work, seed).merged
    main_ref.unlink()
    main_ref.write_text(sha)
    # HEAD as a FIFO: refused at once, never blocks
    head = work / ".git/HEAD"
    head.unlink()
    os.mkfifo(head)
    assert not merge_state(work, seed).merged
    head.unlink()
    head.write_text("ref: refs/heads/main\n")
    # .git replaced by a pointer file to another repository (or a symlink to one)
    other = tmp_path / "other.git"
    (work / ".git").rename(other)
    (work / ".git").write_text(f"gitdir: {other}\n")
    assert not merge_state(work, seed).merged
    (work / ".git").unlink()
    (work / ".git").symlink_to(other)
    assert not merge_state(work, seed).merged


def test_an_agent_cannot_run_its_filter_on_the_host_through_the_harness(
    tmp_path: Path, bwrap: str
) -> None:
    """End to end: a CLI agent commits a correct answer, then plants a filter driver, an
    fsmonitor and a dirty file; the harness reads the merge state and runs the verifier."""
    script, marker = _marker_script(tmp_path, "e2e")
    agent = tmp_path / "agent.sh"
    agent.write_text(
        "set -e\n"
        "echo 42 > answer.txt\n"
        "printf '* filter=x\\n' > .gitattributes\n"
        "git add -A\n"
        "git commit -qm answer\n"
        f"printf '[filter \"x\"]\\n\\tclean = {script}\\n[core]\\n\\tfsmonitor = {script}\\n'"
        " >> .git/config\n"
        "echo dirty >> README.md\n"
    )
    write_task(
        tmp_path / "tasks",
        "planted",
        test_sh='#!/bin/bash\n[ "$(cat answer.txt)" = 42 ]\n',
        solve_sh=None,
    )
    _, attempts, _ = run_benchmark(
        discover_tasks(tmp_path / "tasks"),
        parse_agents([f"planter=cd {{workdir}} && sh {agent}"]),
        tmp_path / "results",
        RunOptions(repeats=1, replicates=50),
    )
    (a,) = attempts
    assert a.status == "solved", a.detail  # the verifier passed …
    assert not a.merged and a.detail == "verified but not committed on main"  # … uncommitted
    assert not marker.exists(), "the agent's filter or fsmonitor ran on the host"
