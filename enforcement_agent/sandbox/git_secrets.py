"""Does a git directory's object store hold a secret file? Then the sandbox hides it.

The sandbox hides every secret file of the workspace behind an empty one, but a secret that
git *tracks* (or once tracked, or that sits in a stash) stays in the object store, and any
program reads it back from there: ``git show HEAD:.env``, ``git cat-file -p <blob>``,
``git log -p``, ``git stash show -p``, ``git archive``, or Python decompressing
``.git/objects/…`` or unpacking a pack (fifth red-team pass). Objects cannot be hidden one by
one (a pack holds them all), so a git directory whose store holds one is hidden *as a whole*
inside the sandbox (an empty read-only directory bound over it: git there says "not a git
repository"), and the run's result says why. A repository with no secret in its store (the
everyday case: ``.env`` ignored, never added) is left as it is, and git works.

What counts, judged with the policy's own ``files.secrets`` matchers (so the same names the
file tools and the sandbox's masks treat as secret):

* every path of every commit *in the store*, reachable or not (a stash, an amended or reset
  commit, a dropped stash, a commit only the reflog names): ``git diff-tree -m --root`` of
  each commit against each of its parents, so every path that any commit holds shows up in
  the diff of the commit that introduced it;
* every entry of the index (``git add .env`` without a commit);
* the content of each secret file of the workspace, hashed as git would hash it, present as
  any object (``git add .env`` then ``git reset``, ``git hash-object -w``);

except a blob that is empty or a link (its content is a path, not a secret) and submodule
entries. What it does not see: a secret that is only in an object no commit or index names
and that no longer exists as a file (documented in docs/sandbox.md).

Cost is bounded and paid once per state: the result is kept per git directory (in the
sandbox's private state directory, so it outlives a process) together with a fingerprint of
the store (the modification times of ``objects/``, its 256 fan-out directories and
``objects/pack``, the index and the secret files' identities) and the commits already found
clean; a new commit costs the diff of the new commits only. Past ``MAX_SECONDS`` or on any
error the answer is "hide" (fail closed), with the reason.

git runs on the host as the owner of the git directory (never as root for a tenant's
repository), with no system or global configuration, without replace objects or grafts, and
with the configuration keys that could start a program at these commands switched off; the
repository's own ``config`` has already been judged by the ``.git/config`` guard after the
previous run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass

MAX_SECONDS = 10.0  # for the whole check of one git directory; past it the store is hidden
_EMPTY = {
    40: hashlib.sha1(b"blob 0\0").hexdigest(),  # noqa: S324 - git's object id, not security
    64: hashlib.sha256(b"blob 0\0").hexdigest(),
}
_SKIP_MODES = {"120000", "160000", "000000"}  # a link, a submodule, a deletion
_GIT_ENV = {
    "PATH": "/usr/bin:/bin",
    "HOME": "/nonexistent",
    "LC_ALL": "C",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_GRAFT_FILE": "/dev/null",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_NO_LAZY_FETCH": "1",
    # a submodule's `core.worktree` (`../../../lib`) is not followed out of the descriptor
    "GIT_WORK_TREE": "/",
    # command-level settings outrank the repository's own
    "GIT_CONFIG_COUNT": "4",
    "GIT_CONFIG_KEY_0": "core.fsmonitor",
    "GIT_CONFIG_VALUE_0": "false",
    "GIT_CONFIG_KEY_1": "log.showSignature",
    "GIT_CONFIG_VALUE_1": "false",
    "GIT_CONFIG_KEY_2": "core.useReplaceRefs",
    "GIT_CONFIG_VALUE_2": "false",
    "GIT_CONFIG_KEY_3": "extensions.partialClone",
    "GIT_CONFIG_VALUE_3": "",
}


class CheckFailed(Exception):
    """git could not say (a corrupt store, a missing parent, the time bound): hide it."""


@dataclass(frozen=True)
class Verdict:
    hide: bool
    reason: str = ""


def fingerprint(git_dir: str, secret_files: Iterable[str]) -> str:
    """What the answer depends on: every new object makes a file in a fan-out directory or
    a new pack (each changes a directory's mtime); the index; the secret files now."""
    h = hashlib.sha256()

    def add(path: str) -> None:
        try:
            st = os.lstat(path)
        except OSError:
            h.update(b"-\n")
            return
        h.update(f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_mode}\n".encode())

    objects = os.path.join(git_dir, "objects")
    for rel in ("", "index", "shallow", "objects", "objects/pack", "objects/info/alternates"):
        add(os.path.join(git_dir, rel))
    for i in range(256):
        add(os.path.join(objects, f"{i:02x}"))
    for p in sorted(secret_files):
        h.update(os.fsencode(p) + b"\0")
        add(p)
    return h.hexdigest()


def _git(
    git_fd: int, owner: tuple[int, int] | None, args: list[str], data: bytes, left: float
) -> bytes:
    """git on the directory open as ``git_fd`` (reached through ``/proc/self/fd``, so the
    owner needs no right on the directories above it), as ``owner`` when we are root."""
    if left <= 0:
        raise CheckFailed("the check of the object store took too long")
    as_owner = owner is not None and os.geteuid() == 0
    try:
        r = subprocess.run(
            ["git", f"--git-dir=/proc/self/fd/{git_fd}", *args],
            input=data,
            capture_output=True,
            env=_GIT_ENV,
            cwd="/",
            timeout=left,
            check=False,
            pass_fds=(git_fd,),
            user=owner[0] if as_owner and owner else None,
            group=owner[1] if as_owner and owner else None,
            extra_groups=[] if as_owner else None,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CheckFailed(f"git could not be run on the object store ({exc})") from exc
    if r.returncode != 0:
        err = r.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CheckFailed(f"git failed on the object store ({err[-1] if err else r.returncode})")
    return r.stdout


def _blob_id(path: str, width: int) -> str | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size == 0 or st.st_size > 64 * 1024 * 1024:
            return None
        h = hashlib.sha1() if width == 40 else hashlib.sha256()  # noqa: S324
        h.update(f"blob {st.st_size}\0".encode())
        left = st.st_size
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                return None  # it shrank meanwhile: the next fingerprint differs anyway
            h.update(chunk)
            left -= len(chunk)
        return h.hexdigest()
    finally:
        os.close(fd)


def _diff_paths(out: bytes) -> Iterable[tuple[str, str, str]]:
    """(commit, "new-mode new-id", path) per entry of ``diff-tree --stdin -z`` output."""
    commit = ""
    tokens = out.split(b"\0")
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.startswith(b":"):
            meta = tok[1:].split(b" ")
            path = tokens[i + 1] if i + 1 < len(tokens) else b""
            i += 2
            if len(meta) >= 4:
                yield commit, meta[1].decode() + " " + meta[3].decode(), os.fsdecode(path)
            continue
        if tok:
            commit = tok.split(b" ")[0].decode("ascii", "replace")
        i += 1


def check(
    git_dir: str,
    secret: Callable[[str], bool],
    prefix: str,
    secret_files: list[tuple[str, str]],
    owner: tuple[int, int] | None,
    clean: set[str],
    deadline: float,
) -> Verdict:
    """Whether ``git_dir``'s store holds a secret; ``clean`` (commits already judged clean)
    is updated in place. ``prefix``: where the repository's work tree is in the workspace."""
    import time

    def left() -> float:
        return deadline - time.monotonic()

    def is_secret(path: str) -> bool:
        # the path or a directory above it (`.env/x`, `keys/id_rsa/k`): the sandbox masks a
        # secret directory as a whole, by its name, so its files count here too
        parts = path.split("/")
        for k in range(1, len(parts) + 1):
            p = "/".join(parts[:k])
            if secret(p) or bool(prefix) and secret(f"{prefix}/{p}"):
                return True
        return False

    try:
        fd = os.open(git_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        raise CheckFailed(f"the git directory cannot be opened ({exc})") from exc
    try:
        os.lstat("objects", dir_fd=fd)
    except FileNotFoundError:
        os.close(fd)
        return Verdict(False)  # no object store (an empty `.git` being made): nothing to hide
    except OSError as exc:
        os.close(fd)
        raise CheckFailed(f"the object store cannot be looked at ({exc})") from exc
    try:
        return _check(fd, is_secret, secret_files, owner, clean, left)
    finally:
        os.close(fd)


def _check(
    fd: int,
    is_secret: Callable[[str], bool],
    secret_files: list[tuple[str, str]],
    owner: tuple[int, int] | None,
    clean: set[str],
    left: Callable[[], float],
) -> Verdict:

    listing = _git(
        fd,
        owner,
        [
            "cat-file",
            "--batch-all-objects",
            "--unordered",
            "--batch-check=%(objecttype) %(objectname)",
        ],
        b"",
        left(),
    )
    ids: set[str] = set()
    commits: list[str] = []
    width = 40
    for line in listing.decode("ascii", "replace").splitlines():
        kind, _, oid = line.partition(" ")
        if kind not in ("commit", "tree", "blob", "tag"):
            raise CheckFailed(f"an object of the store cannot be read ({line[:80]})")
        ids.add(oid)
        width = len(oid) or width
        if kind == "commit" and oid not in clean:
            commits.append(oid)
    empty = _EMPTY.get(width, "")
    for rel, path in secret_files:
        blob = _blob_id(path, width)
        if blob is not None and blob in ids:
            return Verdict(True, f"the content of secret file {rel!r} is in the object store")
    index = _git(fd, owner, ["ls-files", "--stage", "-z"], b"", left())
    for entry in index.split(b"\0"):
        meta, _, raw = entry.partition(b"\t")
        parts = meta.decode("ascii", "replace").split(" ")
        if len(parts) < 2 or parts[0] in _SKIP_MODES or parts[1] == empty:
            continue
        if is_secret(os.fsdecode(raw)):
            return Verdict(True, f"secret file {os.fsdecode(raw)!r} is in the index")
    if commits:
        out = _git(
            fd,
            owner,
            ["diff-tree", "--stdin", "-m", "--root", "-r", "-z", "--no-renames", "--no-ext-diff"],
            "".join(c + "\n" for c in commits).encode(),
            left(),
        )
        for commit, mode_id, path in _diff_paths(out):
            mode, _, oid = mode_id.partition(" ")
            if mode in _SKIP_MODES or oid == empty:
                continue
            if is_secret(path):
                return Verdict(True, f"secret file {path!r} is in commit {commit[:12]}")
        clean.update(commits)
    return Verdict(False)


class Memo:
    """Per git directory: (fingerprint, verdict, clean commits), in one JSON file."""

    def __init__(self, path: str) -> None:
        self.path = path

    def load(self) -> dict[str, dict[str, object]]:
        with contextlib.suppress(OSError, ValueError):
            with open(self.path, encoding="utf-8") as fh:
                data = json.load(fh)
            if isinstance(data, dict):
                return data
        return {}

    def save(self, data: dict[str, dict[str, object]]) -> None:
        tmp = f"{self.path}.{os.getpid()}.tmp"  # concurrent runs each write their own
        with contextlib.suppress(OSError):
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(data, fh)
            os.replace(tmp, self.path)


def verdicts(
    ws: str,
    git_dirs: list[str],
    secret: Callable[[str], bool],
    secret_files: list[str],
    owner: tuple[int, int] | None,
    memo: Memo,
) -> dict[str, Verdict]:
    """Workspace-relative git directory -> verdict, for every one of ``git_dirs``."""
    import time

    data = memo.load()
    out: dict[str, Verdict] = {}
    files = [(p, os.path.join(ws, p)) for p in secret_files]
    changed = False
    for rel in git_dirs:
        gd = os.path.join(ws, rel)
        fp = fingerprint(gd, [f for _, f in files])
        entry = data.get(rel) or {}
        if entry.get("fp") == fp:
            out[rel] = Verdict(bool(entry.get("hide")), str(entry.get("reason", "")))
            continue
        raw = entry.get("clean")
        clean = {str(c) for c in raw} if isinstance(raw, list) else set()
        head, _, last = rel.rpartition("/")
        prefix = head if last == ".git" else ""  # a bare or submodule store: its own paths
        try:
            v = check(gd, secret, prefix, files, owner, clean, time.monotonic() + MAX_SECONDS)
        except CheckFailed as exc:
            v = Verdict(True, f"its object store could not be checked for secrets: {exc}")
        out[rel] = v
        data[rel] = {"fp": fp, "hide": v.hide, "reason": v.reason, "clean": sorted(clean)}
        changed = True
    if changed:
        memo.save(data)
    return out
