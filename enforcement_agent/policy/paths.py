"""Path resolution against a tenant workspace: lexical and symlink-resolved, whole components.

A path is inside the workspace only if both its lexical form (``..`` folded) and its real form
(symlinks followed as far as they exist) are the workspace root or below it, compared by whole
path components so ``/ws-evil`` is never inside ``/ws``.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from pathlib import Path
from typing import NamedTuple

VIRTUAL_ROOT = "/__workspace__"
VIRTUAL_HOME = "/__home__"


class Resolved(NamedTuple):  # a NamedTuple: built for every path a decision looks at
    raw: str
    lexical: str
    real: str
    inside: bool
    rels: tuple[str, ...]  # workspace-relative forms ("" is the root) when inside

    @property
    def is_root(self) -> bool:
        return self.inside and "" in self.rels


class Workspace:
    """The tenant workspace a decision resolves paths against (virtual when none is given)."""

    def __init__(self, root: Path | str | None) -> None:
        self.virtual = root is None
        self.root = VIRTUAL_ROOT if root is None else os.path.realpath(root)
        self._prefix = self.root.rstrip("/") + "/"

    def contains(self, absolute: str) -> bool:
        return absolute == self.root or absolute.startswith(self._prefix)

    def rel(self, absolute: str) -> str:
        return "" if absolute == self.root else absolute[len(self._prefix) :]

    def resolve(self, raw: str, cwd: str | None = None) -> Resolved:
        """Resolve ``raw`` (absolute, ``~``, or relative to ``cwd``) against this workspace.

        ``cwd`` is a normalised absolute directory: the root or the ``real`` of an earlier
        resolution.
        """
        if "\x00" in raw:
            return Resolved(raw, raw, raw, False, ())
        base = cwd or self.root
        lexical = ""
        if raw.startswith("~"):
            # Every home directory is outside every workspace.
            head, _, rest = raw[1:].partition("/")
            path = f"{VIRTUAL_HOME}/{head}/{rest}" if head else f"{VIRTUAL_HOME}/{rest}"
        elif raw.startswith("/"):
            path = raw
        elif raw and base != "/" and "//" not in raw and "/." not in "/" + raw and raw[-1] != "/":
            path = lexical = f"{base}/{raw}"  # plain components below a normal cwd: already normal
        else:
            path = f"{base}/{raw}" if raw else base
        if not lexical:
            lexical = os.path.normpath(path)
            if lexical.startswith("//"):
                lexical = "/" + lexical.lstrip("/")
        if ("*" in raw or "?" in raw or "[" in raw) and _glob_may_escape(raw):
            return Resolved(raw, lexical, lexical, False, ())
        lexical_inside = lexical == self.root or lexical.startswith(self._prefix)
        if self.virtual:
            real = lexical
        elif not lexical_inside:
            real = os.path.realpath(path)
        elif "/.." in "/" + raw:
            real = self._real_with_parents(path)  # `link/..` must follow the link first
        else:
            real = self._real_below_root(lexical)
        if not lexical_inside or not (real == self.root or real.startswith(self._prefix)):
            return Resolved(raw, lexical, real, False, ())
        a, b = self.rel(lexical), self.rel(real)
        return Resolved(raw, lexical, real, True, (a,) if a == b else (a, b))

    def _real_with_parents(self, path: str) -> str:
        """``realpath`` for a path below the (already real) root that contains ``..``.

        The same walk as ``os.path.realpath`` (``lstat`` each component, ``..`` drops the
        component before it once that is known not to be a link), started at the root instead
        of ``/``; leaving the root or meeting a symlink falls back to the full ``realpath``.
        Components below a missing directory cannot exist, so they are not looked up.
        """
        if not path.startswith(self._prefix):
            return os.path.realpath(path)
        parts: list[str] = []
        missing_at = 0  # depth of the first missing component still on the path (0: none)
        for comp in path[len(self._prefix) :].split("/"):
            if not comp or comp == ".":
                continue
            if comp == "..":
                if not parts:
                    return os.path.realpath(path)
                parts.pop()
                if len(parts) < missing_at:
                    missing_at = 0
                continue
            parts.append(comp)
            if missing_at:
                continue
            try:
                st = os.lstat(self._prefix + "/".join(parts))
            except OSError:  # as realpath: what cannot be looked up is not a link
                missing_at = len(parts)
                continue
            if stat.S_ISLNK(st.st_mode):
                return os.path.realpath(path)
        return self._prefix + "/".join(parts) if parts else self.root

    def _real_below_root(self, lexical: str) -> str:
        """``realpath`` for a ``..``-free path inside the (already real) root, with fewer syscalls.

        Walks the components below the root with ``lstat``; only when one is a symlink does it
        fall back to the full ``realpath``. A missing component ends the walk: nothing below it
        can be a link.
        """
        if lexical == self.root:
            return lexical
        cur = self.root
        for comp in lexical[len(self._prefix) :].split("/"):
            cur = f"{cur}/{comp}"
            try:
                st = os.lstat(cur)
            except OSError:  # missing, not a directory, a name too long: nothing below it
                return lexical
            if stat.S_ISLNK(st.st_mode):
                return os.path.realpath(lexical)
        return lexical


def _glob_may_escape(raw: str) -> bool:
    """A glob component that can match ``..`` (``.*``, ``.?``, ``.[.]``) may leave the tree."""
    if "*" not in raw and "?" not in raw and "[" not in raw:
        return False
    # Bash never lets `*`/`?` match a leading dot, so only patterns that start with one can.
    return any(
        part[0] in ".[" and fnmatch.fnmatchcase("..", part) for part in raw.split("/") if part
    )


def under_prefix(absolute: str, prefixes: tuple[str, ...]) -> bool:
    return any(absolute == p or absolute.startswith(p.rstrip("/") + "/") for p in prefixes)
