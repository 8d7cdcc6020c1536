"""Other names of a secret file: hard links and symbolic links (issue 10, classes 8 and 9).

A secret is recognised by its name (``files.secrets``), but the kernel opens inodes: after
``ln .env notes.txt`` (made by a sandboxed script, an archive, or anyone who writes the
workspace) ``cat notes.txt`` prints the secret, and a symlink ``docs/x.md -> ../.env`` is read
by ``grep -R``, ``zip -r`` and ``find … | xargs cat`` under a name no pattern matches (a
third red-team pass found both). These helpers find such names with the workspace as it is
now: a hard link only exists while the secret's link count is above one, so the costly walk
(a ``stat`` per file) runs only then; symlinks come from the tree walk that already lists
them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable

from enforcement_agent.policy.paths import Workspace, realpath, scan_tree

Inodes = dict[tuple[int, int], str]  # (device, inode) -> the secret's workspace path
_MAX_SECRETS = 512  # secret files stat-ed per decision (the scan that lists them is bounded)
MAX_DEPTH = 8  # links to directories followed, link after link


def linked_inodes(ws: Workspace, files: Iterable[str], limit: int = _MAX_SECRETS) -> Inodes:
    """The files (workspace-relative; secrets, protected paths) that have other hard links,
    the first ``limit`` of them stat-ed (a later name of the same inode wins)."""
    found: Inodes = {}
    for n, rel in enumerate(files):
        if n >= limit:
            break
        try:
            st = os.stat(os.path.join(ws.root, rel), follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
            found[(st.st_dev, st.st_ino)] = rel
    return found


def same_file(path: str, inodes: Inodes) -> str:
    """The secret ``path`` (absolute, links followed) is another hard link of, or ""."""
    if not inodes:
        return ""
    try:
        st = os.stat(path)
    except OSError:
        return ""
    if not stat.S_ISREG(st.st_mode) or st.st_nlink < 2:
        return ""
    return inodes.get((st.st_dev, st.st_ino), "")


def hardlinked(ws: Workspace, rel: str) -> bool:
    """The workspace file ``rel`` is a regular file with more than one hard link."""
    try:
        st = os.stat(os.path.join(ws.root, rel), follow_symlinks=False)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_nlink > 1


def hard_aliases(
    ws: Workspace, absolute: str, inodes: Inodes, skip_vendor: bool
) -> list[tuple[str, str]]:
    """(name, secret) for every file under ``absolute`` that is a hard link of a secret.

    The walk picks files with more than one link (reused while no directory changes: a new
    link changes its directory) and compares their inodes now."""
    if not inodes:
        return []
    scan = scan_tree(
        ws,
        absolute,
        lambda rel: hardlinked(ws, rel),
        skip_vendor=skip_vendor,
        key=("hard-linked", skip_vendor),
    )
    out = []
    for rel in scan.matches:
        secret = same_file(os.path.join(ws.root, rel), inodes)
        if secret and secret != rel:
            out.append((rel, secret))
    return out


def link_aliases(
    ws: Workspace,
    links: Iterable[str],
    is_secret: Callable[[str], bool],
    secrets_under: Callable[[str], tuple[str, ...]],
) -> list[tuple[str, str]]:
    """(link, secret) for every symlink in ``links`` (workspace-relative) that resolves to a
    secret file, or to a directory holding one (a program that follows links reads it)."""
    out: list[tuple[str, str]] = []
    for rel in links:
        target = realpath(os.path.join(ws.root, rel))
        if not ws.contains(target):
            continue  # links out are their own finding
        trel = ws.rel(target)
        if trel and is_secret(trel):
            out.append((rel, trel))
        elif os.path.isdir(target):
            held = secrets_under(target)
            if held:
                out.append((rel, held[0]))
    return out
