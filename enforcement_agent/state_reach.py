"""Where a state directory can be reached from outside gonogo: mounts and the sandbox's view.

Two ways the audit trail (and the approval store, the signing key, the redaction key) could
be within an agent's reach that comparing resolved paths does not see (the eleventh red-team
pass, 2026-12-04):

* **a mount below the workspace** that shows a state directory (``mount --bind
  $GONOGO_HOME/audit ws/sub``, or a mount of one of its ancestors or descendants): the
  sandbox's recursive bind carries it in, and a host agent (the Claude Code hook) writes it
  with its own file tools. ``/proc/self/mountinfo`` says which filesystem and which directory
  of it each mount shows, so the check is by filesystem path, however the mount is spelled;
* **a state directory the sandbox mounts read-only**: under ``/usr``, ``/bin``, ``/lib*``
  (the system directories bubblewrap binds) or a path listed in ``GONOGO_SANDBOX_RO_PATHS``.
  The sandbox user is the caller's uid when gonogo does not run as root, so owner-only files
  (the dev issuer's signing key, the redaction key, the records) are readable there.

Both are pure reads of ``/proc`` and ``stat``: no sandbox module is imported (the hook
process stays light).
"""

from __future__ import annotations

import functools
import os
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from enforcement_agent.lazy_regex import lazy_compile

# The host directories bubblewrap binds read-only at the same path (``bwrap.system_binds``).
SANDBOX_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# Extra host paths the operator binds read-only into the sandbox, separated by ``:``.
RO_PATHS_ENV = "GONOGO_SANDBOX_RO_PATHS"

_MOUNTINFO = "/proc/self/mountinfo"
_MOUNTINFO_MAX = 8 * 1024 * 1024
_OCTAL = lazy_compile(rb"\\([0-7]{3})")


@dataclass(frozen=True)
class Mount:
    """One line of ``/proc/self/mountinfo``: what is mounted where."""

    device: str  # major:minor
    root: str  # the directory of that filesystem the mount shows
    point: str  # where it is mounted


def _unescape(field: bytes) -> str:
    return os.fsdecode(_OCTAL.sub(lambda m: bytes([int(m[1], 8) & 0xFF]), field))


def read_mounts(path: str = _MOUNTINFO) -> list[Mount]:
    """This mount namespace's mounts, in mount order (later ones cover earlier ones)."""
    try:
        with open(path, "rb") as f:
            data = f.read(_MOUNTINFO_MAX)
    except OSError:
        return []
    out: list[Mount] = []
    for line in data.split(b"\n"):
        parts = line.split(b" ")
        if len(parts) < 5:
            continue
        out.append(
            Mount(parts[2].decode("ascii", "replace"), _unescape(parts[3]), _unescape(parts[4]))
        )
    return out


def _inside(path: str, parent: str) -> bool:
    return path.startswith(parent.rstrip("/") + "/")


def _at_or_inside(path: str, parent: str) -> bool:
    return path == parent or _inside(path, parent)


def _overlap(a: str, b: str) -> bool:
    return _at_or_inside(a, b) or _at_or_inside(b, a)


def fs_location(real: str, mounts: list[Mount]) -> tuple[str, str] | None:
    """(device, path inside that filesystem) of the resolved path ``real``."""
    best: Mount | None = None
    for m in mounts:  # the longest mount point wins; of equal ones, the last mounted
        if _at_or_inside(real, m.point) and (best is None or len(m.point) >= len(best.point)):
            best = m
    if best is None:
        return None
    rest = real[len(best.point.rstrip("/")) :]
    return best.device, posixpath.normpath(best.root.rstrip("/") + "/" + rest.lstrip("/"))


def mounts_below(top: str, mounts: list[Mount]) -> list[Mount]:
    """The mounts at or below the resolved directory ``top`` (usually none)."""
    return [m for m in mounts if _at_or_inside(m.point, top)]


def mount_exposing(
    real_state: str,
    top: str,
    mounts: list[Mount],
    allowed: Iterable[str] = (),
    below: list[Mount] | None = None,
) -> Mount | None:
    """A mount at or below ``top`` that shows ``real_state``, an ancestor or a descendant of
    it (same filesystem, overlapping directories), or ``None``.

    ``allowed``: resolved directories (the home's ``workspaces/``) a mount may show even
    though they lie inside the state directory. ``below``: :func:`mounts_below` of ``top``,
    when the caller has it already."""
    candidates = mounts_below(top, mounts) if below is None else below
    if not candidates:
        return None
    where = fs_location(real_state, mounts)
    if where is None:
        return None
    device, fs_path = where
    fine: list[tuple[str, str]] | None = None
    for m in candidates:
        if m.device != device or _at_or_inside(real_state, m.point):
            continue  # another filesystem, or the mount the state itself lives on
        shown = posixpath.normpath(m.root)
        if not _overlap(shown, fs_path):
            continue
        if fine is None:
            fine = [loc for loc in (fs_location(a, mounts) for a in allowed) if loc is not None]
        if any(dev == device and _at_or_inside(shown, loc) for dev, loc in fine):
            continue  # it shows only what lies in a per-tenant workspace
        return m
    return None


def sandbox_visible_roots() -> list[str]:
    """Resolved host paths the sandbox binds read-only (system directories and the
    operator's ``GONOGO_SANDBOX_RO_PATHS``), existing ones only."""
    return list(_visible_roots(os.environ.get(RO_PATHS_ENV, "")))


@functools.lru_cache(maxsize=8)
def _visible_roots(env_value: str) -> tuple[str, ...]:
    # Cached per value: checked on every call, and /usr or an operator's venv does not move.
    configured = [p for p in env_value.split(os.pathsep) if p]
    out: list[str] = []
    for p in (*SANDBOX_SYSTEM_DIRS, *configured):
        real = os.path.realpath(p)
        if os.path.isabs(real) and os.path.exists(real) and real not in out:
            out.append(real)
    return tuple(out)


def sandbox_visible_conflict(
    state_dirs: Iterable[os.PathLike[str] | str],
    workspace_roots: Iterable[os.PathLike[str] | str] = (),
    mounts: list[Mount] | None = None,
    resolve: Callable[[str], str] = os.path.realpath,
) -> str | None:
    """Why a state directory would be readable inside the sandbox, or ``None``.

    ``resolve``: ``os.path.realpath``, or the caller's memo of it for this one check."""
    visible = sandbox_visible_roots()
    roots = [resolve(os.fspath(r)) for r in workspace_roots]
    table = read_mounts() if mounts is None else mounts
    below = {v: mounts_below(v, table) for v in visible}
    for state in state_dirs:
        real = resolve(os.fspath(state))
        for v in visible:
            if _overlap(real, v):
                if _inside(v, real) and any(
                    _at_or_inside(v, r) and _inside(r, real) for r in roots
                ):
                    continue  # a read-only path inside a per-tenant workspace under the home
                return (
                    f"state directory {state} (resolves to {real}) is visible inside the "
                    f"sandbox, which binds {v} read-only: set GONOGO_HOME outside /usr, /bin, "
                    f"/lib* and {RO_PATHS_ENV}"
                )
            m = mount_exposing(real, v, table, below=below[v])
            if m is not None:
                return (
                    f"state directory {state} (resolves to {real}) is mounted at {m.point}, "
                    f"which the sandbox binds read-only from {v}"
                )
    return None
