"""Making a write durable: fsync a file by path, and the folder that holds a new name."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_path(path: Path, *, directory: bool = False) -> None:
    """fsync ``path`` (a folder when ``directory``: after a create or rename inside it)."""
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
