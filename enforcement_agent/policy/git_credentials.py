"""Git configuration files that hold a credential (sixteenth red-team pass, class 9).

``actions/checkout`` (``persist-credentials``, on by default) writes the job's token into
``.git/config`` as ``http.https://github.com/.extraheader = AUTHORIZATION: basic <base64>``,
and a clone from ``https://user:token@host/…`` keeps the token in ``remote.origin.url``. The
redactor masks those values as git prints them, not reversed, cut into pieces or decoded
(`rev .git/config`, `sed -n 's/.*basic //p' .git/config | base64 -d | rev` printed the token).
While such a file holds one, it is a secret file like ``.git-credentials``: read as text here
(never by running git), bounded, and kept while the file's identity stays.
"""

from __future__ import annotations

import os
import re
import stat
import threading
from collections.abc import Callable

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy.git_config_text import settings
from enforcement_agent.policy.regular_reads import StampedReads, read_regular

# The files git reads as the repository's own configuration, workspace-relative, lower-cased.
CONFIG_FILES = (".git/config", ".git/config.worktree")
_LIMIT = 256 << 10
# `extraheader` (any value: an Authorization header), or an http(s) URL whose user part holds
# a password (`user:secret@`) or is itself a long token (`ghp_…@`, `x-access-token:…@`).
_CREDENTIAL = lazy_compile(
    r"(?im)^[^\S\n]*extraheader\s*=|https?://(?:[^\s/@:]*:[^\s/@]+|[^\s/@:]{20,})@"
)


def _judge(data: bytes) -> bool:
    return _CREDENTIAL.search(data.decode("utf-8", "replace")) is not None


_holds_credential = StampedReads(_judge, False, _LIMIT, keep=1024)


def credential_configs(root: str) -> frozenset[str]:
    """Every git configuration or credential-store file of the workspace holding a credential
    (lower-cased, relative): :func:`credential_files`, lower-cased, for the policy."""
    return frozenset(rel.lower() for rel in credential_files(root))


# A git directory's own configuration files, at any depth (`sub/.git/config`), a submodule's
# (`.git/modules/a/b/config`) and a linked work tree's (`.git/worktrees/w/config.worktree`);
# and its legacy remote files, `remotes/NAME` (`URL: …`) and `branches/NAME` (`URL#BRANCH`),
# which git still reads as remotes (`git ls-remote --get-url NAME`, fetch, push; thirty-
# seventh red-team pass: the viewer's `rev .git/remotes/up` printed a clone's token).
_CONFIG_NAME = lazy_compile(
    r"(?:^|/)\.git/(?:(?:modules/.+|worktrees/[^/]+)/)?"
    r"(?:config(?:\.worktree)?|(?:remotes|branches)/[^/]+)\Z",
    re.S,
)
# git's legacy remote folders of a git directory (`remote.c`: read_remotes_file and
# read_branches_file); a bounded number of their entries is looked at
_LEGACY_REMOTE_DIRS = ("remotes", "branches")
_LEGACY_REMOTE_MAX = 32
_MODULE_DEPTH = 4
_MAX_FILES = 64


def config_holds_credential(root: str, rel: str) -> bool:
    """Whether ``rel`` is a git directory's own configuration file, at any depth (a nested
    repository's, a submodule's, a work tree's), holding a credential."""
    return bool(_CONFIG_NAME.search(rel.lower())) and _holds_credential(os.path.join(root, rel))


def is_credential_file(root: str, rels: tuple[str, ...]) -> bool:
    """Whether one of the workspace-relative ``rels`` is a git configuration file, anywhere
    (a nested repository's, a submodule's, a work tree's), that holds a credential, or a file
    that the repository's configuration includes or names as a ``store`` helper's file and
    that holds one (seventeenth red-team pass)."""
    if any(config_holds_credential(root, rel) for rel in rels):
        return True
    creds = credential_configs(root)
    return bool(creds) and any(r.lower() in creds for r in rels)


_FILES_LOCK = threading.Lock()
_FILES: dict[
    tuple[str, tuple[str, ...]], tuple[tuple[tuple[str, int, int, int], ...], tuple[str, ...]]
] = {}


def _stamp(path: str) -> tuple[str, int, int, int]:
    try:
        st = os.stat(path)
        return (path, st.st_ino, st.st_size, st.st_mtime_ns)
    except OSError:
        return (path, -1, -1, -1)


def _git_dirs(root: str, watch: Callable[[str], None]) -> list[str]:
    """The workspace's top ``.git`` directory and its submodules' (``.git/modules/**``);
    ``watch`` is told every directory looked into (a new entry changes its stamp)."""
    top = os.path.join(root, ".git")
    watch(top)
    if not os.path.isdir(top) or os.path.islink(top):
        return []
    out = [".git"]
    frontier = [".git/modules"]
    for _ in range(_MODULE_DEPTH):
        nxt: list[str] = []
        for rel in frontier:
            path = os.path.join(root, rel)
            watch(path)
            try:
                with os.scandir(path) as it:
                    for e in it:
                        if e.is_dir(follow_symlinks=False):
                            sub = f"{rel}/{e.name}"
                            if os.path.lexists(os.path.join(root, sub, "config")):
                                out.append(sub)
                            nxt.append(f"{sub}/modules")
                            nxt.append(sub)  # `.git/modules/a/b` (a submodule named a/b)
            except OSError:
                continue
            if len(out) > _MAX_FILES:
                return out
        frontier = [r for r in nxt if r.count("/") < 2 + 2 * _MODULE_DEPTH]
    return out


def credential_files(root: str, git_dirs: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Workspace-relative files that git reads as configuration or as a credential store and
    that hold a credential now (seventeenth red-team pass).

    Looked at, for each git directory (``git_dirs``, workspace-relative; by default the top
    ``.git`` and its submodules' under ``.git/modules``): ``config``, ``config.worktree`` and
    every linked work tree's ``worktrees/*/config.worktree``; every file these include
    (``[include] path``, ``[includeIf "..."] path``: every condition taken as true),
    transitively; and every file a ``credential.helper = store`` names (``--file=F``, or the
    default ``~/.git-credentials`` and ``~/.config/git/credentials``, ``~`` being the
    workspace for the weak fallback's HOME). Only files inside the workspace count. Read as
    text, never by running git; bounded (64 files of 256 KB); kept while every stamp stays.
    """
    root = root.rstrip("/") or "/"
    dirs = tuple(git_dirs) if git_dirs is not None else None
    key = (root, dirs or ())
    with _FILES_LOCK:
        hit = _FILES.get(key)
    if hit is not None and all(_stamp(s[0]) == s for s in hit[0]):
        return hit[1]
    stamps: dict[str, tuple[str, int, int, int]] = {}

    def watch(path: str) -> None:
        """Stamp ``path``, or (missing) the nearest directory above it that exists: making
        it changes that directory's stamp. Few stats in the everyday case (no config)."""
        while True:
            st = _stamp(path)
            parent = os.path.dirname(path)
            if st[1] != -1 or len(path) <= len(root) or parent == path:
                stamps[path] = st
                return
            path = parent

    if dirs is None:
        dirs = tuple(_git_dirs(root, watch))
    candidates: list[str] = []
    for g in dirs:
        gd = os.path.join(root, g)
        candidates += [os.path.join(gd, "config"), os.path.join(gd, "config.worktree")]
        for legacy in _LEGACY_REMOTE_DIRS:
            ld = os.path.join(gd, legacy)
            watch(ld)
            try:
                with os.scandir(ld) as it:
                    for n, e in enumerate(it):
                        if n >= _LEGACY_REMOTE_MAX:
                            break
                        if not e.is_dir(follow_symlinks=False):
                            candidates.append(e.path)
            except OSError:
                pass
        wt = os.path.join(gd, "worktrees")
        watch(wt)
        try:
            with os.scandir(wt) as it:
                for e in it:
                    if e.is_dir(follow_symlinks=False):
                        candidates.append(os.path.join(e.path, "config.worktree"))
                        candidates.append(os.path.join(e.path, "config"))
                        watch(e.path)
        except OSError:
            pass
    prefix = root + "/"

    def inside(path: str) -> str | None:
        real = os.path.realpath(path)
        return real if real.startswith(prefix) else None

    def home(rest: str) -> list[str]:
        return [os.path.join(root, rest)]

    seen: dict[str, int] = {}
    found: list[str] = []
    cookies: list[str] = []
    queue = [(c, 0, os.path.dirname(os.path.dirname(c))) for c in candidates]
    while queue and len(seen) < _MAX_FILES:
        path, depth, top = queue.pop(0)
        real = inside(path)
        watch(path)
        if real is None or real in seen:
            continue
        seen[real] = depth
        if real != path:
            watch(real)
        if _holds_credential(real):
            found.append(real[len(prefix) :])
        if depth > 4:
            continue
        data = read_regular(real, _LIMIT)
        if data is None:
            continue
        for section, name, value in settings(data.decode("utf-8", "replace")):
            if not value:
                continue
            targets: list[str] = []
            if section in ("include", "includeif") and name == "path":
                if value.startswith("~/"):
                    targets = home(value[2:])
                elif value.startswith("/"):
                    targets = [value]
                else:
                    targets = [os.path.join(os.path.dirname(real), value)]
            elif section == "credential" and name == "helper":
                targets = _store_files(value, root, top, home)
            elif section == "http" and name == "cookiefile":
                # git sends this file's cookies with every http request (a session is a
                # credential: a Gerrit or proxy login); its lines are no token shape the
                # judge knows, so the file counts while it has any content (thirty-seventh
                # red-team pass: the viewer's `cat ci/cookies.txt` printed the session)
                cookies += _named_files(value, root, top, home)
                continue
            for t in targets:
                t = os.path.normpath(t)
                if t == "/workspace" or t.startswith("/workspace/"):
                    t = root + t[len("/workspace") :]  # the sandbox's view of the workspace
                queue.append((t, depth + 1, top))
    for t in cookies[:_MAX_FILES]:
        real = inside(os.path.normpath(t))
        watch(t)
        if real is None:
            continue
        if real != t:
            watch(real)
        try:
            st = os.stat(real)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode) and st.st_size > 0:
            found.append(real[len(prefix) :])
    result = tuple(dict.fromkeys(found))
    with _FILES_LOCK:
        if len(_FILES) > 256:
            _FILES.clear()
        _FILES[key] = (tuple(stamps.values()), result)
    return result


def _store_files(value: str, root: str, top: str, home: Callable[[str], list[str]]) -> list[str]:
    """The files a ``credential.helper`` value makes git's ``store`` helper read."""
    import shlex

    try:
        words = shlex.split(value)
    except ValueError:
        words = value.split()
    if not words or words[0].rpartition("/")[2] not in ("store", "git-credential-store"):
        return []
    named: list[str] = []
    for i, w in enumerate(words[1:], 1):
        if w.startswith("--file="):
            named.append(w[len("--file=") :])
        elif w == "--file" and i + 1 < len(words):
            named.append(words[i + 1])
    if not named:
        return home(".git-credentials") + home(".config/git/credentials")
    out: list[str] = []
    for n in named:
        out += _named_files(n, root, top, home)
    return out


def _named_files(n: str, root: str, top: str, home: Callable[[str], list[str]]) -> list[str]:
    """Where a file a git configuration value names may be: ``~/`` is the home, a relative
    name is taken from git's working directory (the workspace or the work tree's top)."""
    if n.startswith("~/"):
        return home(n[2:])
    if n.startswith("/"):
        return [n]
    return [os.path.join(root, n), os.path.join(top, n)]  # git's cwd: either


# git's subcommands that print configuration values (urls included): `git config -l`,
# `git config --get x`, `git config x` (one name: a get), `git remote -v`, `git remote
# get-url o`, `git remote show o`, `git ls-remote --get-url`.
_CONFIG_SETS = frozenset(
    {"--unset", "--unset-all", "--add", "--replace-all", "--rename-section",
     "--remove-section", "set", "unset", "rename-section", "remove-section"}
)  # fmt: skip


def prints_configuration(sub: str, words: tuple[str, ...]) -> bool:
    """Whether ``git SUB WORDS`` prints configuration values (over-approximate)."""
    if sub == "config":
        if any(w in _CONFIG_SETS or w.startswith(("--unset", "--replace")) for w in words):
            return False
        names = [w for w in words if not w.startswith("-")]
        if names and names[0] in ("get", "list"):
            return True  # git 2.46's `git config get NAME`, `git config list`
        # `git config NAME VALUE` sets; everything else with a name or a list form prints
        return len(names) != 2 or any(
            w.startswith(("--get", "-l", "--list", "--show")) for w in words
        )
    if sub == "remote":
        rest = [w for w in words if w not in ("-v", "--verbose")]
        if len(rest) < len(words) and (not rest or rest[0] in ("show", "get-url")):
            return True  # `git remote -v`, `git remote -v show o`
        return bool(rest) and rest[0] in ("show", "get-url")
    if sub == "ls-remote":
        return any(w == "--get-url" for w in words)
    if sub == "var":
        # `git var -l` lists every configuration value with git's own variables (seventeenth
        # pass: it printed the extraheader and the url's token; allowed as a read-only git)
        return any(w == "-l" or w.startswith("-") and not w.startswith("--") for w in words)
    return False
