"""The workspace repository's ``.git/config`` after a sandboxed command: nothing that runs.

The policy decides what the commands it reads may set (``exec.git_config``), but a program the
agent runs (``python3 x.py``) writes whatever the workspace lets it, ``.git/config`` included,
and the human's next ``git status`` on the host then runs its ``core.fsmonitor``; ``git diff``
its ``diff.external``; ``git commit`` the hooks under its ``core.hooksPath`` (third red-team
pass). The file cannot simply be read-only: ``git push -u``, ``git remote add``, ``git config
user.email`` and a checkout that tracks a remote branch write it.

So the runner takes the file's bytes before a command and, when they changed, lists the
entries after it with git itself (``git config --file F --list --null``: no includes, nothing
run, the same parser the human's git uses) and compares: every entry the command added must
be a key git writes in the work an agent may do (remotes' URLs and refspecs, branch tracking,
identity) or a cosmetic one; anything else and the old bytes are put back (owned as before)
and the result says so. Entries that were there before (the tenant's own) are not judged.
``.git/config.worktree`` is guarded the same way. Bounded: 1 MiB files, one git process.
"""

from __future__ import annotations

import base64
import os
import re
import stat
import subprocess
from pathlib import Path
from typing import NamedTuple

_LIMIT = 1 << 20
_GUARDED = ("config", "config.worktree")
# Keys a command may add: section.name or section.<subsection>.name, lower-cased as git
# prints them (subsections keep their case, matched by `[^\0]*`).
_ALLOWED = re.compile(
    r"(?:"
    r"core\.(?:repositoryformatversion|filemode|bare|logallrefupdates|ignorecase"
    r"|precomposeunicode|symlinks|quotepath|autocrlf|safecrlf|eol|abbrev|whitespace"
    r"|commentchar|commentstring)"
    r"|remote\..+\.(?:url|pushurl|fetch|tagopt|promisor|partialclonefilter|skipdefaultupdate"
    r"|skipfetchall|prune|prunetags)"
    r"|branch\..+\.(?:remote|pushremote|merge|rebase|description)"
    r"|submodule\..+\.(?:url|active|branch)"
    r"|(?:user|author|committer)\.(?:name|email|useconfigonly)"
    r"|(?:color|column|advice)\..+"
    r"|init\.defaultbranch|gc\.auto|gc\.autodetach|maintenance\.auto|maintenance\.strategy"
    r"|lfs\.repositoryformatversion|lfs\..+\.access"
    r"|pull\.(?:rebase|ff)|merge\.(?:conflictstyle|ff|log|stat|renames|autostash)"
    r"|rebase\.(?:autosquash|autostash|stat|updaterefs|missingcommitscheck|abbreviatecommands)"
    r"|fetch\.(?:parallel|writecommitgraph|prune|prunetags)"
    r"|status\.(?:short|branch|showuntrackedfiles|relativepaths|showstash|aheadbehind|renames)"
    r"|log\.(?:date|decorate|abbrevcommit|follow|showroot|mailmap)"
    r"|diff\.(?:renames|algorithm|noprefix|mnemonicprefix|context|interhunkcontext"
    r"|indentheuristic|colormoved|relative|statgraphwidth|submodule|ignoresubmodules"
    r"|suppressblankempty|wserrorhighlight|dirstat)"
    r"|commit\.(?:verbose|cleanup|status)|tag\.sort|branch\.sort|branch\.autosetup(?:merge|rebase)"
    r"|rerere\.(?:enabled|autoupdate)|grep\.(?:linenumber|patterntype|extendedregexp|fullname"
    r"|column)|i18n\.(?:commitencoding|logoutputencoding)|feature\.manyfiles|index\.version"
    r"|protocol\.version|format\.pretty"
    r")\Z",
    re.S,
)
# Signing runs gpg with the human's key on the host: only "off" may be added.
_OFF_ONLY = frozenset({"commit.gpgsign", "tag.gpgsign"})
# A fetch refspec may only fill remote-tracking refs: `+refs/heads/*:refs/heads/*` would make
# every later `git fetch` rewind the local branches.
_FETCH_KEY = re.compile(r"remote\..+\.fetch\Z", re.S)
_FETCH_VALUE = re.compile(r"\+?[^:]*(?::refs/remotes/[^:]*)?\Z", re.S)
# A remote's URL may only name a network transport: a push to a repository on the local file
# system (`./evil`, `file://…`, a path) runs *that* repository's hooks on the host, with the
# human's rights (fifth red-team pass; the sandbox's own git refuses it, the human's does not
# when `safe.directory` lets it in). `scp`-like `host:path` is ssh; `<helper>::` is refused.
_URL_KEY = re.compile(r"remote\..+\.(?:url|pushurl)\Z", re.S)
# A branch's remote names a remote (or `.`, this repository); a path or URL there is used as
# one by `git push` and `git pull` with no arguments.
_BRANCH_REMOTE_KEY = re.compile(r"branch\..+\.(?:remote|pushremote)\Z", re.S)
_REMOTE_NAME = re.compile(r"(?:\.|[A-Za-z0-9_][A-Za-z0-9_.-]*)\Z")
_NET_URL = re.compile(
    r"(?:(?:https?|ssh|git|git\+ssh|ssh\+git)://[^\s]+|[^/:\s]+:(?!:)[^\s]*)\Z", re.S | re.I
)


class Snapshot(NamedTuple):
    name: str  # the file's name in ``.git``
    data: bytes | None  # None: the file was not there
    owner: tuple[int, int] | None
    mode: int


class Guard:
    """The guarded files as they were before a command, and ``.git`` held open by a
    descriptor, so a directory swapped in for it (a link elsewhere) is never written.

    ``label`` names the git directory in notes (``.git``, ``sub/.git``, ``.git/modules/m``).
    """

    def __init__(self, dir_fd: int, snapshots: list[Snapshot], label: str = ".git") -> None:
        self.dir_fd, self.snapshots, self.label = dir_fd, snapshots, label

    def close(self) -> None:
        os.close(self.dir_fd)

    def restored(self) -> list[tuple[str, int | None]]:
        """Put back each file whose new entries are not all allowed: what was done, each
        with the file's change time before it was put back (None: not there any more)."""
        notes: list[tuple[str, int | None]] = []
        for snap in self.snapshots:
            now = _current(self.dir_fd, snap.name)
            if now == snap.data:
                continue
            why = _refusal(snap, now)
            if why:
                when = _ctime(self.dir_fd, snap.name)
                try:
                    _put_back(self.dir_fd, snap)
                except OSError as exc:
                    note = f"{self.label}/{snap.name} could NOT be restored ({exc}): {why}"
                else:
                    note = f"{self.label}/{snap.name} restored: {why}"
                notes.append((note, when))
        return notes


def snapshot(workspace: Path) -> Guard | None:
    """The guarded files of the workspace repository as they are now (None without a real
    ``.git`` directory: nothing to guard, and no link to follow)."""
    try:
        dir_fd = os.open(workspace / ".git", os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    return Guard(dir_fd, snapshots_of(dir_fd))


def snapshots_of(dir_fd: int) -> list[Snapshot]:
    """The guarded files of the git directory open at ``dir_fd``, as they are now."""
    out: list[Snapshot] = []
    for name in _GUARDED:
        try:
            st = os.lstat(name, dir_fd=dir_fd)
        except FileNotFoundError:
            out.append(Snapshot(name, None, None, 0o644))
            continue
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or st.st_size > _LIMIT:
            continue  # not a file this guard can put back: left alone, as before
        data = _read(dir_fd, name)
        if data is not None:
            out.append(Snapshot(name, data, (st.st_uid, st.st_gid), stat.S_IMODE(st.st_mode)))
    return out


def to_json(snaps: list[Snapshot]) -> list[object]:
    """Snapshots as JSON values (a baseline shared by the runs of one workspace)."""
    return [
        [s.name, None if s.data is None else base64.b64encode(s.data).decode(), s.owner, s.mode]
        for s in snaps
    ]


def from_json(value: object) -> list[Snapshot]:
    """:func:`to_json`'s values back (ValueError when they are not what it writes)."""
    out: list[Snapshot] = []
    if not isinstance(value, list):
        raise ValueError("snapshots: not a list")
    for item in value:
        name, data, owner, mode = item
        if name not in _GUARDED or not isinstance(mode, int):
            raise ValueError("snapshots: bad entry")
        raw = None if data is None else base64.b64decode(str(data), validate=True)
        own = None if owner is None else (int(owner[0]), int(owner[1]))
        out.append(Snapshot(name, raw, own, mode))
    return out


def _read(dir_fd: int, name: str) -> bytes | None:
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        data = os.read(fd, _LIMIT + 1)
    finally:
        os.close(fd)
    return data if len(data) <= _LIMIT else None


# What a guarded file is after the command when it is no plain file within the size limit (a
# link, a directory, a huge file): refused as it is.
NOT_PLAIN = b"\0not-plain"


def _ctime(dir_fd: int, name: str) -> int | None:
    try:
        return os.lstat(name, dir_fd=dir_fd).st_ctime_ns
    except OSError:
        return None


def _current(dir_fd: int, name: str) -> bytes | None:
    try:
        st = os.lstat(name, dir_fd=dir_fd)
    except FileNotFoundError:
        return None
    except OSError:
        return NOT_PLAIN
    if not stat.S_ISREG(st.st_mode) or st.st_size > _LIMIT:
        return NOT_PLAIN
    data = _read(dir_fd, name)
    return NOT_PLAIN if data is None else data


def _entries(data: bytes) -> list[tuple[str, str]] | None:
    """(key, value) entries as git reads them, or None when git cannot read the file."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="gonogo-gitcfg-") as tmp:
        copy = os.path.join(tmp, "config")
        with open(copy, "wb") as fh:
            fh.write(data)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": tmp,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "LC_ALL": "C",
        }
        try:
            out = subprocess.run(
                ["git", "config", "--file", copy, "--no-includes", "--list", "--null"],
                env=env,
                cwd=tmp,
                capture_output=True,
                timeout=10,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
    if out.returncode != 0:
        return None
    entries: list[tuple[str, str]] = []
    for item in out.stdout.split(b"\0"):
        if item:
            key, _, value = item.decode("utf-8", "surrogateescape").partition("\n")
            entries.append((key, value))
    return entries


def _refusal(snap: Snapshot, now: bytes | None) -> str:
    if now is None:
        return ""  # removed: a missing file runs nothing
    if now is NOT_PLAIN:
        return "it is no longer a plain file"
    after = _entries(now)
    if after is None:
        return "git cannot read it"
    before = (_entries(snap.data) if snap.data is not None else None) or []
    seen = set(before)
    for key, value in after:
        if (key, value) in seen:
            continue
        if key in _OFF_ONLY:
            if value.strip().lower() not in ("false", "no", "off", "0"):
                return f"{key}={value!r} signs with the human's key"
            continue
        if not _ALLOWED.match(key):
            return f"the command added {key!r}, a key that is not on the list"
        if _FETCH_KEY.match(key) and not _FETCH_VALUE.match(value):
            return f"{key}={value!r} fetches into refs other than remote-tracking ones"
        if _URL_KEY.match(key) and (not _NET_URL.match(value) or value.lower().startswith("file:")):
            return f"{key}={value!r} is not a network URL (a local repository's hooks run)"
        if _BRANCH_REMOTE_KEY.match(key) and not _REMOTE_NAME.match(value):
            return f"{key}={value!r} is not a remote's name (a path or URL is used as one)"
    return ""


def _remove(dir_fd: int, name: str) -> None:
    try:
        st = os.lstat(name, dir_fd=dir_fd)
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode):
        import shutil

        shutil.rmtree(name, dir_fd=dir_fd, ignore_errors=True)
    else:
        os.unlink(name, dir_fd=dir_fd)


def _put_back(dir_fd: int, snap: Snapshot) -> None:
    """The old bytes by rename, owned as before (or a new file removed)."""
    if snap.data is None:
        _remove(dir_fd, snap.name)
        return
    tmp = f".{snap.name}.gonogo-restore"
    _remove(dir_fd, tmp)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    fd = os.open(tmp, flags, snap.mode, dir_fd=dir_fd)
    try:
        view = memoryview(snap.data)
        while view:
            view = view[os.write(fd, view) :]
        if snap.owner is not None:
            os.fchown(fd, *snap.owner)
        os.fchmod(fd, snap.mode)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        if stat.S_ISDIR(os.lstat(snap.name, dir_fd=dir_fd).st_mode):
            _remove(dir_fd, snap.name)
    except OSError:
        pass
    os.replace(tmp, snap.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
