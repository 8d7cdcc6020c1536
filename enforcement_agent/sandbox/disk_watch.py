"""What one sandboxed run takes from the workspace's file system, watched while it runs.

Only single files were capped (``RLIMIT_FSIZE``), so a forty-eighth red-team pass filled a
64 MiB workspace file system from one run (20 files of 8 MB; then 3,000 empty files took
every inode), and the run's outcome was ``success``. On a host the workspace usually shares
its file system with the state directory, so the next decision record cannot be written:
every tenant is denied. No per-uid quota can be relied on (it needs a file system mounted
with quotas), so the runner samples ``statvfs`` of the workspace every ``INTERVAL_S`` and
stops the run (``limit_hit`` ``disk`` or ``files``) when, since it started, the file system
lost more than the run's ``disk_bytes`` of free space or ``disk_files`` free inodes, or it
fell under ``RESERVE`` of its size and below where the run found it (a run that frees space
on a nearly full disk, ``rm -rf build``, is never stopped for it).

What it measures is the file system, not the run: writes by anything else on the same file
system during the run count against it (conservative: the run is stopped, never let past).
Between two samples a fast writer gets ahead by what it writes in ``INTERVAL_S``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from enforcement_agent.models import Limits

INTERVAL_S = 0.02
# Kept free for everything else (the decision records first): 5 % of the file system's blocks
# and inodes, at most 1 GiB and 65,536 inodes. (5 % alone is 12.6 GB of a 252 GB disk: a host
# with 10 GB free, plenty for records, would have every run that writes stopped.)
RESERVE = 0.05
RESERVE_BYTES_MAX = 1 << 30
RESERVE_FILES_MAX = 65_536


@dataclass(frozen=True)
class DiskWatch:
    path: str
    bytes_cap: int | None
    files_cap: int | None
    start_bytes: int
    start_files: int
    reserve_bytes: int
    reserve_files: int

    @classmethod
    def start(cls, path: str, limits: Limits) -> DiskWatch | None:
        """The watch of a run about to start in ``path``; ``None`` when the policy set neither
        limit. Raises ``OSError`` when the file system cannot be measured."""
        if limits.disk_bytes is None and limits.disk_files is None:
            return None
        st = os.statvfs(path)
        return cls(
            path=path,
            bytes_cap=limits.disk_bytes,
            files_cap=limits.disk_files,
            start_bytes=st.f_bavail * st.f_frsize,
            start_files=st.f_favail,
            reserve_bytes=min(int(st.f_blocks * st.f_frsize * RESERVE), RESERVE_BYTES_MAX),
            reserve_files=min(int(st.f_files * RESERVE), RESERVE_FILES_MAX),
        )

    def check(self) -> str | None:
        """``"disk"`` or ``"files"`` when the run has taken too much, else ``None``. A file
        system that can no longer be measured counts as too much (fail closed)."""
        try:
            st = os.statvfs(self.path)
        except OSError:
            return "disk"
        free = st.f_bavail * st.f_frsize
        if self.bytes_cap is not None and self.start_bytes - free > self.bytes_cap:
            return "disk"
        if free < self.reserve_bytes and free < self.start_bytes:
            return "disk"
        if st.f_files == 0:  # no inode accounting (btrfs, some network file systems)
            return None
        files = st.f_favail
        if self.files_cap is not None and self.start_files - files > self.files_cap:
            return "files"
        if files < self.reserve_files and files < self.start_files:
            return "files"
        return None
