"""What a sandboxed run may not leave changed in its workspace, bound before and put back after.

Before a run (:func:`begin`): the workspace's protected and secret entries are found with the
policy's own lists (``workspace_names``) and bound read-only or masked; every real git
directory (``.git`` at any depth, and submodules' under ``.git/modules``) gets read-only
hooks. What cannot be bound because it does not exist yet is checked after the run
(:meth:`RunState.end`): a protected name that was not there before (``sub/.github/…``,
``.github/workflows/new.yml`` where ``.github`` was missing, ``docs/CLAUDE.md``, a ``.git``
file pointing elsewhere) is removed; a protected entry that was replaced or moved (a parent
directory renamed and a new one made in its place, a protected symlink replaced) is put back
from its inode or link text; every git directory's ``config`` is judged by
``git_config_guard``. Each change is named in the run's result, which the agent records.

**One baseline per workspace, shared by concurrent runs.** Judging each run against what it
saw when it started races: run A writes ``core.fsmonitor`` into ``.git/config`` while run B
takes its snapshot, A's restore puts the file back, and B's ``git remote add`` then writes
A's key again from what it had read, now "already there" for B. So the state runs are judged
against is taken only when no run of the workspace is in flight, and every run that starts
while others run shares it (a shared ``flock`` per run; a short exclusive one around the
start and end steps). A run that dies releases its lock with its process. Lock files live
outside every workspace (``/run/gonogo-sandbox`` for a root runner).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from enforcement_agent.policy.content_secrets import credential_in
from enforcement_agent.policy.git_credentials import credential_files
from enforcement_agent.sandbox import bwrap, git_config_guard, git_secrets, workspace_names
from enforcement_agent.sandbox.workspace_names import (
    Found,
    NameRules,
    Scan,
    TreeTooLarge,
    found,
    scan,
)

MAX_GIT_DIRS = 32  # git directories bound and guarded per run; past it the run is refused
_MODULE_DEPTH = 4  # `.git/modules/a/b/c/d`: nested submodule names looked into
_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _lock_dir() -> str:
    uid = os.geteuid()
    base = (
        "/run/gonogo-sandbox"
        if uid == 0 and os.path.isdir("/run")
        else os.path.join(tempfile.gettempdir(), f"gonogo-sandbox-{uid}")
    )
    os.makedirs(base, mode=0o700, exist_ok=True)
    st = os.lstat(base)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != uid or st.st_mode & 0o077:
        raise PermissionError(f"{base} is not a private directory of uid {uid}")
    return base


def _module_dirs(ws: Path, git_rel: str) -> tuple[list[str], list[str]]:
    """Submodules' git directories under ``git_rel/modules`` and the directories between."""
    found_dirs: list[str] = []
    between: list[str] = []
    stack = [(f"{git_rel}/modules", 1)]
    while stack and len(found_dirs) < MAX_GIT_DIRS:
        rel, depth = stack.pop()
        try:
            if not stat.S_ISDIR(os.lstat(ws / rel).st_mode):
                continue
            entries = list(os.scandir(ws / rel))
        except OSError:
            continue
        between.append(rel)
        for e in entries[:256]:
            try:
                if not e.is_dir(follow_symlinks=False):
                    continue
                sub = f"{rel}/{e.name}"
                if os.path.isfile(os.path.join(e.path, "HEAD")):
                    found_dirs.append(sub)
                    stack.append((f"{sub}/modules", 1))
                elif depth < _MODULE_DEPTH:
                    stack.append((sub, depth + 1))
            except OSError:
                continue
    return found_dirs, between


def _module_entries(ws: str, git_rel: str) -> list[str]:
    """Under ``git_rel/modules`` (``modules`` itself when it is not a real directory): every
    git directory (a directory holding ``HEAD``) and every link, to ``_MODULE_DEPTH`` levels
    per name and at most 256 entries per directory, no link followed."""
    out: list[str] = []
    top = f"{git_rel}/modules"
    try:
        st = os.lstat(os.path.join(ws, top))
    except OSError:
        return out
    if not stat.S_ISDIR(st.st_mode):
        return [top]
    stack = [(top, 1)]
    while stack and len(out) < 4 * MAX_GIT_DIRS:
        rel, depth = stack.pop()
        try:
            if stat.S_ISLNK(os.lstat(os.path.join(ws, rel)).st_mode):
                out.append(rel)  # a nested submodule's `modules` made a link
                continue
            entries = list(os.scandir(os.path.join(ws, rel)))[:256]
        except OSError:
            continue
        for e in entries:
            sub = f"{rel}/{e.name}"
            try:
                if e.is_symlink():
                    out.append(sub)
                elif e.is_dir(follow_symlinks=False):
                    if os.path.lexists(os.path.join(e.path, "HEAD")):
                        out.append(sub)
                        stack.append((f"{sub}/modules", 1))
                    elif depth < _MODULE_DEPTH:
                        stack.append((sub, depth + 1))
            except OSError:
                continue
    return out


def _git_dirs(ws: Path, now: Scan | None) -> tuple[list[str], list[str]]:
    roots = list(now.git_dirs) if now is not None else []
    if now is None:
        try:
            if stat.S_ISDIR(os.lstat(ws / ".git").st_mode):
                roots.append(".git")
        except OSError:
            pass
    dirs, between = list(roots), []
    for r in roots:
        mods, mid = _module_dirs(ws, r)
        dirs += mods
        between += [m for m in mid if m not in mods]
    if len(dirs) > MAX_GIT_DIRS:
        raise TreeTooLarge(f"the workspace holds more than {MAX_GIT_DIRS} git directories")
    return dirs, between


def _open_dir(ws_fd: int, rel: str, owner: tuple[int, int] | None = None) -> int:
    """The directory ``rel`` under the workspace, every component opened without following a
    link (a concurrent run may swap one for a link); missing ones made when ``owner``."""
    fd = os.dup(ws_fd)
    try:
        for part in [p for p in rel.split("/") if p]:
            if part in (".", ".."):
                raise OSError(f"bad component in {rel!r}")
            try:
                nfd = os.open(part, _FLAGS, dir_fd=fd)
            except FileNotFoundError:
                if owner is None:
                    raise
                os.mkdir(part, 0o755, dir_fd=fd)
                os.chown(part, *owner, dir_fd=fd, follow_symlinks=False)
                nfd = os.open(part, _FLAGS, dir_fd=fd)
            os.close(fd)
            fd = nfd
    except BaseException:
        os.close(fd)
        raise
    return fd


def _remove(ws_fd: int, rel: str) -> None:
    parent, _, name = rel.rpartition("/")
    pfd = _open_dir(ws_fd, parent)
    try:
        st = os.lstat(name, dir_fd=pfd)
        if stat.S_ISDIR(st.st_mode):
            shutil.rmtree(name, dir_fd=pfd)
        else:
            os.unlink(name, dir_fd=pfd)
    finally:
        os.close(pfd)


def _move(ws_fd: int, src: str, dst: str, owner: tuple[int, int]) -> None:
    sp, _, sn = src.rpartition("/")
    dp, _, dn = dst.rpartition("/")
    sfd = _open_dir(ws_fd, sp)
    try:
        dfd = _open_dir(ws_fd, dp, owner)
        try:
            os.rename(sn, dn, src_dir_fd=sfd, dst_dir_fd=dfd)
        finally:
            os.close(dfd)
    finally:
        os.close(sfd)


def _relink(ws_fd: int, rel: str, target: str, owner: tuple[int, int]) -> None:
    parent, _, name = rel.rpartition("/")
    pfd = _open_dir(ws_fd, parent, owner)
    try:
        os.symlink(target, name, dir_fd=pfd)
        os.chown(name, *owner, dir_fd=pfd, follow_symlinks=False)
    finally:
        os.close(pfd)


def _find_inodes(root: str, wanted: set[tuple[int, int]], cap: int) -> dict[tuple[int, int], str]:
    """Where the ``wanted`` inodes are now (every directory entered, no link followed)."""
    out: dict[tuple[int, int], str] = {}

    def visit(e: os.DirEntry[str], rel: str) -> bool:
        st = e.stat(follow_symlinks=False)
        if (st.st_dev, st.st_ino) in wanted:
            out[(st.st_dev, st.st_ino)] = rel
            return False
        return len(out) < len(wanted)

    with contextlib.suppress(TreeTooLarge):
        workspace_names.walk(root, cap, visit)
    return out


def _same(a: Found | None, b: Found | None) -> bool:
    return a is not None and b is not None and tuple(a) == tuple(b)


# What a run's end undid, and when it was made (an entry's change time; None: unknown, charged
# to the run that found it).
Undone = tuple[str, int | None]
# File-system timestamps come from the kernel's coarse clock, which may lag the clock a run's
# start is read from by a tick (1-10 ms): a change this close before the start counts as the
# run's own.
CLOCK_SLACK_NS = 20_000_000
# Undone changes kept for the runs still in flight; the oldest go first past it.
LEDGER_MAX = 4096


def _ctime(ws_fd: int, rel: str) -> int | None:
    """The change time of the workspace entry ``rel`` (not followed), None when it is gone."""
    parent, _, name = rel.rpartition("/")
    try:
        pfd = _open_dir(ws_fd, parent)
    except OSError:
        return None
    try:
        return os.lstat(name or ".", dir_fd=pfd).st_ctime_ns
    except OSError:
        return None
    finally:
        os.close(pfd)


def _latest(*times: int | None) -> int | None:
    known = [t for t in times if t is not None]
    return max(known) if known else None


def _when(ws_fd: int, *rels: str | None, below: bool = True) -> int | None:
    """An upper bound of when ``rels`` last changed, read before anything is undone: the
    latest change time of each entry (``below=False``: not the entry itself) and of every
    folder above it, the workspace's top included. Adding, removing or renaming an entry
    changes its folder's time on every file system, so a change made by renaming a folder
    higher up (``mv x .vscode`` with an old ``x/tasks.json``) is never dated by the old file
    alone; an over-estimate charges a run that ended later (fail closed), never none."""
    paths: set[str] = set()
    for rel in rels:
        if rel is None:
            continue
        parts = rel.split("/")
        paths.update("/".join(parts[:k]) for k in range(len(parts) + (1 if below else 0)))
    return _latest(*(_ctime(ws_fd, p) for p in paths))


def _ledger_read(path: str) -> list[tuple[str, int]]:
    """The changes other runs' ends undid, with when they were made (see ``RunState.end``)."""
    out: list[tuple[str, int]] = []
    with contextlib.suppress(OSError):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                with contextlib.suppress(ValueError, TypeError, IndexError):
                    note, when = json.loads(line)
                    out.append((str(note), int(when)))
    return out


def _read_count(path: str) -> int:
    with contextlib.suppress(OSError, ValueError):
        with open(path, encoding="ascii") as fh:
            return int(fh.read() or 0)
    return 0


def _count_start(path: str) -> int:
    """One more run of the workspace started (under the meta lock); the new count."""
    n = _read_count(path) + 1
    tmp = f"{path}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(str(n))
    os.replace(tmp, path)
    return n


def _ledger_update(
    path: str, runs_path: str, entries: list[tuple[str, int]], undone: list[Undone]
) -> None:
    """Called under the workspace's exclusive meta lock, after this run let go of its own
    lock: emptied when no run is in flight (nothing left to charge), else ``undone`` (with a
    time) appended to ``entries`` (what the ledger held, read by the caller) for the runs
    that are."""
    runs = os.open(runs_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        try:
            fcntl.flock(runs, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pass
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            return
        timed = [(n, w) for n, w in undone if w is not None]
        if not timed:
            return
        kept = [*entries, *timed][-LEDGER_MAX:]
        tmp = f"{path}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps([n, w]) + "\n" for n, w in kept)
        os.replace(tmp, path)
    finally:
        os.close(runs)


@dataclass
class RunState:
    """One run's part: the bind options, and what it is judged against at the end."""

    ws: Path
    names: NameRules | None
    binds: tuple[str, ...]
    _key: str
    _runs_fd: int
    # git directories (or bare stores' objects) hidden because their store holds a secret:
    # workspace-relative path -> why (said in the run's result)
    hidden: dict[str, str] = field(default_factory=dict)
    _protected: dict[str, Found] = field(default_factory=dict)
    _configs: dict[str, list[git_config_guard.Snapshot]] = field(default_factory=dict)
    _envs: dict[str, Found] = field(default_factory=dict)
    _modules: dict[str, list[str]] = field(default_factory=dict)
    # this run's own look at the workspace's bytecode before it ran (not the shared
    # baseline: bytecode a run in flight writes is removed by that run's end)
    _compiled: dict[str, tuple[int, int]] = field(default_factory=dict)
    # when the run began (before anything of it ran), in the file system's clock
    _started_ns: int = 0
    # what the run's end undid that was made before the run started (another run's doing)
    undone_for_others: list[str] = field(default_factory=list)
    # (counter file, its value) when no other run was in flight at the start: if no run
    # started since, everything undone is this run's (or the host's meanwhile), whatever times
    # a file system whose clock is not this host's (NFS) gives
    _sole: tuple[str, int] | None = None
    _closed: bool = False

    def end(self) -> str:
        """Undo what the run may not leave; what this run is charged with ("" when nothing).

        Other runs of the workspace may be in flight, and each end judges the whole
        workspace, so a change found here may be another run's. Each change undone carries
        the time it was made (the entry's change time, which no sandboxed command can set):
        this run is charged with what was made while it ran, and with what a run that ended
        first undid from that time (read from the workspace's ledger). A change made before
        this run started is undone all the same and named in :attr:`undone_for_others`; its
        maker is charged at its own end. While runs overlap, a change made during both is
        charged to both: the sandbox cannot tell which of them made it."""
        if self._closed:
            return ""
        self._closed = True
        meta = os.open(f"{self._key}.meta", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(meta, fcntl.LOCK_EX)
            undone = self._put_back()
            since = self._started_ns - CLOCK_SLACK_NS
            ledger = f"{self._key}.undone"
            entries = _ledger_read(ledger)
            earlier = [
                f"{note} (undone by a run of this workspace that ended first)"
                for note, when in entries
                if when >= since
            ]
            sole = self._sole is not None and _read_count(self._sole[0]) == self._sole[1]
            mine = [note for note, when in undone if sole or when is None or when >= since]
            self.undone_for_others = [
                note for note, when in undone if not sole and when is not None and when < since
            ]
            os.close(self._runs_fd)  # releases this run's shared lock
            self._runs_fd = -1
            _ledger_update(ledger, f"{self._key}.runs", entries, undone)
        finally:
            if self._runs_fd >= 0:
                os.close(self._runs_fd)
            os.close(meta)
        return "; ".join([*mine, *earlier])

    def _put_back(self) -> list[Undone]:
        notes: list[Undone] = []
        try:
            ws_fd = os.open(self.ws, _FLAGS)
        except OSError as exc:
            return [(f"workspace could not be checked after the run: {exc}", None)]
        try:
            if self.names is not None:
                notes += self._protected_names(ws_fd)
            notes += self._new_module_dirs(ws_fd)
            for rel, snaps in self._configs.items():
                try:
                    fd = _open_dir(ws_fd, rel)
                except OSError:
                    continue  # gone: a missing git directory runs nothing
                guard = git_config_guard.Guard(fd, snaps, rel)
                try:
                    notes += guard.restored()
                finally:
                    guard.close()
        finally:
            os.close(ws_fd)
        return notes

    def _new_module_dirs(self, ws_fd: int) -> list[Undone]:
        """A submodule git directory the run made under ``.git/modules`` (or a link there) is
        removed: the host's next ``git submodule update --init`` would take it as the
        submodule's and run its ``config`` (``core.fsmonitor``) and hooks (fifth red-team
        pass). The guard judges only git directories that were there before the run."""
        notes: list[Undone] = []
        for root, before in self._modules.items():
            if any(root == h or root.startswith(f"{h}/") for h in self.hidden):
                continue  # hidden read-only: nothing in it changed
            for rel in _module_entries(str(self.ws), root):
                if rel in before:
                    continue
                # not the git directory's own time: this run's start put a `hooks` folder in
                # every git directory it found, which changed it
                when = _latest(_ctime(ws_fd, f"{rel}/HEAD"), _when(ws_fd, rel, below=False))
                try:
                    _remove(ws_fd, rel)
                    note = f"git directory {rel} was created by the command: removed"
                except OSError as exc:
                    note = f"git directory {rel} was created and could NOT be removed ({exc})"
                notes.append((note, when))
        return notes

    def _new_bytecode(self, ws_fd: int, after: dict[str, tuple[int, int]]) -> list[Undone]:
        """Bytecode the run wrote, renamed or linked into place (any entry whose path, inode
        or change time is not what this run's start saw) is removed: the host's next import
        would run it instead of the reviewed source (sixteenth red-team pass). The change
        time cannot be set back from inside (the clock calls are refused by seccomp)."""
        new = [rel for rel, ident in sorted(after.items()) if self._compiled.get(rel) != ident]
        if not new:
            return []
        when = _when(ws_fd, *new)
        for rel in new:
            try:
                _remove(ws_fd, rel)
            except OSError as exc:
                return [(f"bytecode {rel} was written and could NOT be removed ({exc})", None)]
        shown = ", ".join(new[:5]) + (f" and {len(new) - 5} more" if len(new) > 5 else "")
        return [(f"Python bytecode written by the command was removed: {shown}", when)]

    def _protected_names(self, ws_fd: int) -> list[Undone]:
        assert self.names is not None
        root = str(self.ws)
        owner = (os.fstat(ws_fd).st_uid, os.fstat(ws_fd).st_gid)
        try:
            later = scan(
                root, self.names, limit=4 * self.names.limit, links=False, vendor_secrets=False
            )
            after = later.protected
        except TreeTooLarge as exc:
            return [
                (
                    f"protected paths could NOT be checked after the run ({exc}); later runs "
                    "are refused until the workspace is smaller",
                    None,
                )
            ]
        before = self._protected
        changed = [r for r, f in before.items() if not _same(after.get(r), f)]
        fresh = {r for r in after if r not in before or r in changed}
        # A Python environment the run made (`python3 -m venv`, tox) is the run's own, start-up
        # files and all, as the policy lets `python3 -m venv` and `pip` make them; one that
        # was there keeps its start-up files (new ones in it are removed).
        new_envs = [e for e, f in later.envs.items() if not _same(self._envs.get(e), f)]
        fresh = {r for r in fresh if not any(r.startswith(f"{e}/") for e in new_envs)}
        wanted = {(before[r].dev, before[r].ino) for r in changed if before[r].kind != "l"}
        where = {(after[r].dev, after[r].ino): r for r in fresh}
        if wanted - where.keys():
            where.update(_find_inodes(root, wanted - where.keys(), 8 * self.names.limit))
        sources = {
            r: where.get((before[r].dev, before[r].ino)) if before[r].kind != "l" else None
            for r in changed
        }
        # when each change was made, read before anything is undone (which changes folders'
        # times): for a changed entry, of where it was and of where it went
        whens = {r: _when(ws_fd, r) for r in fresh}
        whens.update((r, _when(ws_fd, r, src)) for r, src in sources.items())
        notes: list[Undone] = self._new_bytecode(ws_fd, later.compiled)
        moved_back: set[str] = set()
        for rel in sorted(changed, key=lambda r: r.count("/")):
            old = before[rel]
            src = sources[rel]
            if src is None and old.kind in "df":
                # A bound file or directory cannot be replaced from inside (EBUSY, EROFS):
                # the host changed it (an editor's new file) and its content is not anywhere
                # to put back, so what is there now stays (and is not the run's doing).
                fresh.discard(rel)
                continue
            when = whens[rel]
            try:
                if found(os.path.join(root, rel)) is not None:
                    _remove(ws_fd, rel)
                    fresh.discard(rel)
                if src is not None and src != rel:
                    _move(ws_fd, src, rel, owner)
                    moved_back.add(src)
                    note = f"protected path {rel} was moved to {src}: moved back"
                elif old.kind == "l":
                    _relink(ws_fd, rel, old.target, owner)
                    note = f"protected link {rel} was replaced: link restored"
                else:
                    note = f"protected path {rel} was removed or replaced: NOT restored"
            except OSError as exc:
                note = f"protected path {rel} changed and could NOT be restored ({exc})"
            notes.append((note, when))
        for rel in sorted(fresh - moved_back, key=lambda r: (r.count("/"), r)):
            when = whens.get(rel)
            try:
                if found(os.path.join(root, rel)) is None:
                    continue
                _remove(ws_fd, rel)
                note = f"protected path {rel} was created by the command: removed"
            except OSError as exc:
                note = f"protected path {rel} was created and could NOT be removed ({exc})"
            notes.append((note, when))
        return notes


Baseline = tuple[
    dict[str, Found],
    dict[str, list[git_config_guard.Snapshot]],
    dict[str, Found],
    dict[str, Found],
    dict[str, list[str]],
]


def _found(v: list[object]) -> Found:
    return Found(str(v[0]), int(str(v[1])), int(str(v[2])), str(v[3]))


def _load(path: str) -> Baseline:
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    protected = {str(k): _found(v) for k, v in raw["p"].items()}
    configs = {str(k): git_config_guard.from_json(v) for k, v in raw["c"].items()}
    bound = {str(k): _found(v) for k, v in raw["b"].items()}
    envs = {str(k): _found(v) for k, v in raw.get("e", {}).items()}
    modules = {str(k): [str(x) for x in v] for k, v in raw.get("m", {}).items()}
    return protected, configs, bound, envs, modules


def _save(
    path: str,
    protected: dict[str, Found],
    configs: dict[str, list[git_config_guard.Snapshot]],
    bound: dict[str, Found],
    envs: dict[str, Found],
    modules: dict[str, list[str]],
) -> None:
    data = {
        "p": {k: list(v) for k, v in protected.items()},
        "c": {k: git_config_guard.to_json(v) for k, v in configs.items()},
        "b": {k: list(v) for k, v in bound.items()},
        "e": {k: list(v) for k, v in envs.items()},
        "m": modules,
    }
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)


def _snapshots(ws_fd: int, git_dirs: list[str]) -> dict[str, list[git_config_guard.Snapshot]]:
    out: dict[str, list[git_config_guard.Snapshot]] = {}
    for rel in git_dirs:
        try:
            fd = _open_dir(ws_fd, rel)
        except OSError:
            continue
        try:
            out[rel] = git_config_guard.snapshots_of(fd)
        finally:
            os.close(fd)
    return out


def _ancestors(rels: list[str]) -> set[str]:
    out: set[str] = set()
    for rel in rels:
        parts = rel.split("/")
        out.update("/".join(parts[:k]) for k in range(1, len(parts)))
    return out


def _identities(ws: Path, rels: list[str]) -> dict[str, Found]:
    out: dict[str, Found] = {}
    for rel in rels:
        f = found(os.path.join(ws, rel))
        if f is not None:
            out[rel] = f
    return out


_DEFAULT_ACL = "system.posix_acl_default"


def drop_set_gid(ws: Path, rels: list[str], gid: int) -> list[str]:
    """Clear what a directory passes on to what a run makes in it, on the workspace
    directories ``rels`` (``""``: the top); the ones changed. A thirty-first red-team pass:

    * S_ISGID when the directory's group is not the tenant's ``gid``: in a directory the host
      made set-group-ID with group root after the hand-over (provisioning drops the bit only
      once), a sandboxed `mkdir sub` made a set-group-ID directory of group 0 and every file
      it made was root's group on the host;
    * a default ACL (``system.posix_acl_default``): a sandboxed `touch f` under `umask 022`
      made a file mode 0666 whose ACL granted the users the host named write access, and
      `mkdir` a world-writable directory carrying the same default.

    Each directory is reached one component at a time without following a link (a run in
    flight may swap one for a link)."""
    changed = []
    top = os.open(ws, os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        for rel in rels:
            fd = os.dup(top)
            try:
                for part in [p for p in rel.split("/") if p]:
                    nxt = os.open(
                        part, os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd
                    )
                    os.close(fd)
                    fd = nxt
                st = os.fstat(fd)
                pinned = f"/proc/self/fd/{fd}"
                if st.st_mode & stat.S_ISGID and st.st_gid != gid:
                    os.chmod(pinned, stat.S_IMODE(st.st_mode) & ~stat.S_ISGID)
                    changed.append(rel)
                if has_default_acl(pinned):
                    os.removexattr(pinned, _DEFAULT_ACL)
                    changed.append(rel)
            except OSError:
                continue  # gone or replaced meanwhile: nothing of ours to change
            finally:
                os.close(fd)
    finally:
        os.close(top)
    return changed


def has_default_acl(path: str) -> bool:
    """Whether the directory at ``path`` (followed) carries a default ACL."""
    try:
        os.getxattr(path, _DEFAULT_ACL)
    except OSError:
        return False  # none (ENODATA), or a file system without ACLs
    return True


def begin(ws: Path, names: NameRules | None, owner: tuple[int, int] | None) -> RunState:
    """Find, bind and take (or share) the baseline; raises :class:`TreeTooLarge` or OSError
    (the run must then be refused).

    Binds are made by path, so a path must mean the same thing when bubblewrap mounts it as
    when it was found, although other runs of the workspace may be renaming directories
    meanwhile: only entries of the baseline (there before any run in flight started) are
    bound, and every directory above a bound entry is bound over itself too, so no run can
    rename it away and put a link in its place (EBUSY). An entry a run in flight created is
    not bound here; its creator's end removes it.
    """
    started_ns = time.time_ns()
    now = scan(str(ws), names) if names is not None else None
    if owner is not None:
        drop_set_gid(ws, ["", *(now.set_gid if now is not None else ())], owner[1])
    git_dirs, between = _git_dirs(ws, now)
    # what is under each repository's `.git/modules` now (before any is hidden)
    modules = {r: _module_entries(str(ws), r) for r in git_dirs if r.rpartition("/")[2] == ".git"}
    for rel in git_dirs:
        bwrap.ensure_git_hooks_dir(ws / rel, *(owner or (None, None)))
    key = os.path.join(_lock_dir(), hashlib.sha256(os.fsencode(ws)).hexdigest()[:32])
    if now is not None:
        _credential_secrets(ws, now, git_dirs)
        _content_secrets(ws, now, f"{key}.content.json")
    plan = workspace_names.bind_plan(str(ws), now) if now is not None else {}
    hidden = _stores_to_hide(ws, names, now, git_dirs, plan, owner, key)
    if hidden:
        under = tuple(f"{h}/" for h in hidden)
        git_dirs = [r for r in git_dirs if r not in hidden and not r.startswith(under)]
        between = [r for r in between if not r.startswith(under)]
        plan = {r: v for r, v in plan.items() if not r.startswith(under)}
    bound = _identities(ws, [*git_dirs, *between, *plan, *hidden])
    meta = os.open(f"{key}.meta", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    runs = -1
    try:
        fcntl.flock(meta, fcntl.LOCK_EX)
        runs = os.open(f"{key}.runs", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(runs, fcntl.LOCK_EX | fcntl.LOCK_NB)
            alone = True
        except BlockingIOError:
            alone = False
        started = _count_start(f"{key}.started")
        baseline = None
        if not alone:
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError, IndexError):
                baseline = _load(f"{key}.base")
        if baseline is None:
            ws_fd = os.open(ws, _FLAGS)
            try:
                protected = dict(now.protected) if now else {}
                envs = dict(now.envs) if now else {}
                baseline = protected, _snapshots(ws_fd, git_dirs), bound, envs, modules
            finally:
                os.close(ws_fd)
            _save(f"{key}.base", *baseline)
        fcntl.flock(runs, fcntl.LOCK_SH)  # under the meta lock: no one sees the switch
    except BaseException:
        if runs >= 0:
            os.close(runs)
        raise
    finally:
        os.close(meta)
    kept = {r for r, f in bound.items() if _same(baseline[2].get(r), f)}
    # a directory inside one bound read-only as a whole is not pinned (a pin is a writable
    # bind of its own); what it holds cannot move anyway
    ro = tuple(f"{r}/" for r in plan)
    pins = {p for p in _ancestors(sorted(kept)) - set(plan) - set(hidden) if not p.startswith(ro)}
    binds = bwrap.git_dir_binds(
        ws, [r for r in git_dirs if r in kept], [*(r for r in between if r in kept), *pins]
    )
    binds += workspace_names.bind_options(
        {r: src for r, src in plan.items() if r in kept}, bwrap.WORKSPACE_IN_SANDBOX
    )
    empty_dir = workspace_names.empty_dir()
    for rel in sorted(hidden, key=lambda r: (r.count("/"), r)):
        binds += ["--ro-bind", empty_dir, f"{bwrap.WORKSPACE_IN_SANDBOX}/{rel}"]
    try:
        if set(hidden) - kept:
            # made by a run in flight: not bound by path (see above), so not hidden either
            raise TreeTooLarge(
                f"a git store that holds a secret cannot be hidden: {sorted(set(hidden) - kept)}"
            )
        workspace_names.check_size(binds)
    except TreeTooLarge:
        os.close(runs)
        raise
    return RunState(
        ws,
        names,
        tuple(binds),
        key,
        runs,
        _protected=baseline[0],
        _configs=baseline[1],
        _envs=baseline[3],
        _modules=baseline[4],
        _compiled=dict(now.compiled) if now is not None else {},
        _started_ns=started_ns,
        _sole=(f"{key}.started", started) if alone else None,
        hidden=hidden,
    )


def _credential_secrets(ws: Path, now: Scan, git_dirs: list[str]) -> None:
    """Git configuration and credential-store files holding a credential are secrets while
    they do (``git_credentials``, the policy's own judgement): a CI checkout's token in
    ``.git/config``, a submodule's or work tree's config, an included file, a ``store``
    helper's file. A program the policy allowed (``python3 x.py``, git itself with
    ``git config --get-regexp``, ``git credential fill``) read them inside the sandbox
    (seventeenth red-team pass); now they are masked like every other secret (an empty
    read-only file; their other hard links too), so git in the sandbox sees no credential
    and cannot change that configuration."""
    for rel in dict.fromkeys(
        [*credential_files(str(ws)), *credential_files(str(ws), tuple(git_dirs))]
    ):
        if rel in now.secrets:
            continue
        f = found(os.path.join(ws, rel))
        if f is not None and f.kind == "f":
            now.secrets[rel] = f


CONTENT_READ_BUDGET = 64 << 20  # bytes of files not seen before read per run


def _content_secrets(ws: Path, now: Scan, memo_path: str) -> None:
    """Files whose content is a credential (``content_secrets``, the policy's own test) are
    secrets whatever their name: a sandboxed ``python3 r.py`` printed a PEM key saved as
    ``notes.txt`` reversed (seventeenth red-team pass). Every regular file the walk saw
    (vendor directories are not walked) is judged once per (device, inode, size, mtime),
    remembered in the sandbox's private state directory; at most ``CONTENT_READ_BUDGET``
    bytes of files not judged before are read per run (what is left is judged by the next
    runs; said in docs/sandbox.md)."""
    memo: dict[str, list[object]] = {}
    with contextlib.suppress(OSError, ValueError):
        with open(memo_path, encoding="utf-8") as fh:
            raw = json.load(fh)
        if isinstance(raw, dict):
            memo = raw
    out: dict[str, list[object]] = {}
    budget = CONTENT_READ_BUDGET
    for rels in now.linked.values():
        for rel in rels:
            path = os.path.join(ws, rel)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode) or st.st_size == 0:
                continue
            stamp: list[object] = [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]
            seen = memo.get(rel)
            if isinstance(seen, list) and seen[:4] == stamp and len(seen) == 5:
                kind = str(seen[4])
            elif budget > 0:
                budget -= min(st.st_size, 256 << 10)
                kind = credential_in(path)
            else:
                continue
            out[rel] = [*stamp, kind]
            if kind and rel not in now.secrets:
                f = found(path)
                if f is not None and f.kind == "f":
                    now.secrets[rel] = f
    if out != memo:
        tmp = f"{memo_path}.{os.getpid()}.tmp"
        with contextlib.suppress(OSError):
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(out, fh)
            os.replace(tmp, memo_path)


def _secret_files(ws: Path, plan: dict[str, str]) -> list[str]:
    """The workspace's secret files (what the masks hide), those in a secret directory too
    (at most 256 per directory): their content is looked for in every git store."""
    empty_file, empty_dir = workspace_names.empty_file(), workspace_names.empty_dir()
    out = [r for r, src in plan.items() if src == empty_file]
    for rel in [r for r, src in plan.items() if src == empty_dir]:
        files: list[str] = []

        def visit(e: os.DirEntry[str], sub: str, rel: str = rel, files: list[str] = files) -> bool:
            if e.is_file(follow_symlinks=False):
                files.append(f"{rel}/{sub}")
            return e.is_dir(follow_symlinks=False)

        with contextlib.suppress(TreeTooLarge):
            workspace_names.walk(str(ws / rel), 256, visit)
        out += files
    return out


def _stores_to_hide(
    ws: Path,
    names: NameRules | None,
    now: Scan | None,
    git_dirs: list[str],
    plan: dict[str, str],
    owner: tuple[int, int] | None,
    key: str,
) -> dict[str, str]:
    """Git directories whose object store holds a secret (``git_secrets``): the whole git
    directory for a ``.git`` (its ``rr-cache``, rebase state and submodules hold content
    too), the ``objects`` of a store under another name. Path -> why."""
    if names is None or now is None:
        return {}
    stores = [*git_dirs, *(s for s in now.stores if s not in git_dirs)]
    if not stores:
        return {}
    memo = git_secrets.Memo(f"{key}.git.json")
    found_ = git_secrets.verdicts(
        str(ws), stores, names.secret, _secret_files(ws, plan), owner, memo
    )
    out: dict[str, str] = {}
    for rel, v in found_.items():
        if not v.hide:
            continue
        last = rel.rpartition("/")[2]
        hide = (
            rel
            if last == ".git" or "/.git/modules/" in f"/{rel}"
            else (f"{rel}/objects" if rel else "objects")
        )
        out[hide] = f"git directory {rel or '.'} hidden from the command: {v.reason}"
    # a hidden directory hides what is under it
    return {
        r: why for r, why in out.items() if not any(r.startswith(f"{o}/") for o in out if o != r)
    }
