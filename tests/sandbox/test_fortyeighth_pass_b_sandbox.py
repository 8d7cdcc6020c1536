"""Forty-eighth red-team pass, part B (class 1, resources): one run cannot fill the disk.

Only single files were capped (``RLIMIT_FSIZE``): one allowed run wrote 50 files of 8 MB, or
30,000 empty files, into its workspace and ended ``success``; on a small file system it took
every byte and every inode. A workspace usually shares its file system with the state
directory, so that denies every tenant (no decision record can be written). Shown by effect
on a tmpfs mounted as the workspace (needs root to mount; skipped otherwise), through the
real bubblewrap runner.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from enforcement_agent.models import Limits, Outcome
from enforcement_agent.sandbox import LAYER_BWRAP, LAYER_BWRAP_SECCOMP, run_sandboxed
from enforcement_agent.sandbox.disk_watch import DiskWatch

pytestmark = pytest.mark.sandbox

MiB = 1 << 20
CAP_BYTES = 32 * MiB
CAP_FILES = 1000
LIMITS = Limits(wall_seconds=30, cpu_seconds=20, disk_bytes=CAP_BYTES, disk_files=CAP_FILES)


def py(make: str) -> str:
    """A shell line: python3 making 20,000 entries, ``make`` with ``{i}`` for each."""
    return f'python3 -c "import os\nfor i in range(20000): {make}"'


# Every writer below tries to take more than the whole file system (512 MiB, 50,000 inodes); it
# must be stopped with at least half left (the caps are 32 MiB and 1,000 files: the margin is
# what a writer gets done while a loaded machine does not schedule the supervisor).
HALF_BYTES = 256 * MiB
HALF_FILES = 25_000
# (name, script, the limit it must hit, the most the run may take: bytes or files)
FILLS = [
    (
        "bytes_in_8MB_files",
        "i=0; while [ $i -lt 80 ]; do head -c 8000000 /dev/zero > f$i; i=$((i+1)); done",
        "disk",
        HALF_BYTES,
    ),
    (
        "bytes_appended_to_one_file_each",
        "i=0; while [ $i -lt 800 ]; do head -c 1000000 /dev/zero > a$i; i=$((i+1)); done",
        "disk",
        HALF_BYTES,
    ),
    (
        "empty_files_from_sh",
        "i=0; while [ $i -lt 60000 ]; do : > n$i; i=$((i+1)); done",
        "files",
        HALF_FILES,
    ),  # fmt: skip
    (
        "empty_files_from_python",
        py("os.close(os.open(f'p{i}', os.O_CREAT | os.O_WRONLY))"),
        "files",
        HALF_FILES,
    ),  # fmt: skip
    ("directories", "mkdir -p $(seq -f 'd%g' 1 60000) 2>/dev/null", "files", HALF_FILES),
    ("fifos", py("os.mkfifo(f'q{i}')"), "files", HALF_FILES),
    ("symlinks", py("os.symlink('x', f's{i}')"), "files", HALF_FILES),
    (
        "sparse_files_count_as_files",
        py("os.truncate(os.open(f't{i}', os.O_CREAT | os.O_WRONLY), 1 << 20)"),
        "files",
        HALF_FILES,
    ),  # fmt: skip
]


@pytest.fixture
def small_fs(tmp_path: Path, bwrap: str) -> Iterator[Path]:
    """A 512 MiB, 50,000-inode tmpfs as the workspace, under a 0700 host root."""
    host = tmp_path / "host"
    host.mkdir(mode=0o700)
    ws = host / "ws"
    ws.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512m,nr_inodes=50000", "tmpfs", str(ws)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace')}")
    try:
        yield ws
    finally:
        subprocess.run(["umount", "-l", str(ws)], check=False)


def _taken(before: os.statvfs_result, after: os.statvfs_result, what: str) -> int:
    if what == "disk":
        return (before.f_bavail - after.f_bavail) * after.f_frsize
    return before.f_favail - after.f_favail


@pytest.mark.parametrize(
    ("script", "hit", "most"), [f[1:] for f in FILLS], ids=[f[0] for f in FILLS]
)
def test_one_run_cannot_fill_the_workspace_file_system(
    small_fs: Path, script: str, hit: str, most: int
) -> None:
    before = os.statvfs(small_fs)
    r = run_sandboxed(["/bin/sh", "-c", script], small_fs, LIMITS, tenant="acme-disk")
    after = os.statvfs(small_fs)
    assert r.layer in (LAYER_BWRAP_SECCOMP, LAYER_BWRAP), r
    assert r.outcome is Outcome.LIMIT and r.limit_hit == hit, r
    assert _taken(before, after, hit) <= most, r
    assert {"disk", "files"} <= set(r.enforced), r


def test_the_reserve_stops_a_run_and_a_cleanup_still_runs(small_fs: Path) -> None:
    """With caps above the file system's size, the 5 % reserve stops the writer; a run that
    frees space on the nearly full file system is not stopped."""
    big = Limits(wall_seconds=30, cpu_seconds=20, disk_bytes=1 << 40, disk_files=10**9)
    fill = "mkdir junk && i=0; while [ $i -lt 80 ]; do head -c 8000000 /dev/zero > junk/f$i; i=$((i+1)); done"
    r = run_sandboxed(["/bin/sh", "-c", fill], small_fs, big, tenant="acme-disk")
    st = os.statvfs(small_fs)
    assert r.outcome is Outcome.LIMIT and r.limit_hit == "disk", r
    assert st.f_bavail > 0, "the reserve left nothing free"
    r = run_sandboxed(["/bin/sh", "-c", "rm -rf junk && echo ok"], small_fs, LIMITS,
                      tenant="acme-disk")  # fmt: skip
    assert r.outcome is Outcome.SUCCESS and r.limit_hit is None, r
    assert not (small_fs / "junk").exists()


def test_the_watch_fails_closed_when_the_file_system_cannot_be_measured(tmp_path: Path) -> None:
    watch = DiskWatch.start(str(tmp_path), LIMITS)
    assert watch is not None and watch.check() is None
    gone = DiskWatch(str(tmp_path / "gone"), 1, 1, 0, 0, 0, 0)
    assert gone.check() == "disk"
    assert DiskWatch.start(str(tmp_path), Limits(disk_bytes=None, disk_files=None)) is None
