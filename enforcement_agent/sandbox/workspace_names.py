"""The workspace's protected and secret files, found by name for the sandbox to enforce by effect.

The policy decides what the commands it reads may do to protected paths (CI files, agent
instructions, dev-container and editor settings, git's own files: ``files.protected``) and to
secret files (``files.secrets``), at any depth. A program the agent runs (``python3 x.py``) is
not read by the policy, so the sandbox makes the same lists hold by effect:

* every existing protected entry is bound read-only over itself (a directory as a whole);
* every existing secret file or directory is hidden behind an empty read-only one, and so is
  every other hard link of a secret file (found by inode) and the target of a secret name
  that is a symlink inside the workspace;
* protected names that did not exist are checked after the run (``protected_state``).

The lists are the policy's own: the caller hands in the policy's matchers
(:class:`NameRules`); nothing here names a file. The walk is the policy's tree walk in
shape: no symlink followed, generated and third-party directories (``skip_dirs``: the
policy's vendor list) not entered, bounded by ``limit`` entries (:class:`TreeTooLarge`: the
run is refused, fail closed).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

# Binds are options on one pipe (bubblewrap's --args, at most 60,000 bytes with the rest):
# past this many bytes of bind options the run is refused rather than partly protected.
MAX_BIND_BYTES = 32_000


@dataclass(frozen=True)
class NameRules:
    """The policy's classifiers of workspace-relative paths (``a/b/.env``)."""

    protected: Callable[[str], bool]
    secret: Callable[[str], bool]
    skip_dirs: frozenset[str] = frozenset()
    limit: int = 20_000


class TreeTooLarge(Exception):
    """The workspace holds more entries than the walk may look at."""


class Found(NamedTuple):
    kind: str  # "d" directory, "f" regular file, "l" symlink, "o" anything else
    dev: int
    ino: int
    target: str = ""  # a symlink's text


@dataclass
class Scan:
    protected: dict[str, Found] = field(default_factory=dict)
    secrets: dict[str, Found] = field(default_factory=dict)
    git_dirs: list[str] = field(default_factory=list)  # real `.git` directories, any depth
    # directories that look like a git directory under another name (HEAD and objects/ in
    # them: a bare clone, the target of a `.git` file): their stores are checked for secrets
    stores: list[str] = field(default_factory=list)
    # vendor directories (not entered by the walk) -> their identity; the start-up code
    # places of a virtual environment in them are looked at (``_vendor_startup``)
    vendors: dict[str, Found] = field(default_factory=dict)
    # Python environments (a directory holding `pyvenv.cfg`) in vendor directories
    envs: dict[str, Found] = field(default_factory=dict)
    # inode -> regular files that are neither protected nor secret
    linked: dict[int, list[str]] = field(default_factory=dict)
    # Python bytecode outside vendor directories (`*.pyc`, and what `__pycache__` holds):
    # path -> (inode, ctime ns); what a run leaves that was not there is removed
    compiled: dict[str, tuple[int, int]] = field(default_factory=dict)
    # directories with S_ISGID set or a default ACL (entered, vendor and protected ones): what
    # a run creates in one takes its group and ACL, and a new directory its bit
    # (``workspace_state.drop_set_gid``)
    set_gid: list[str] = field(default_factory=list)


def _default_acl(path: str) -> bool:
    try:
        os.getxattr(path, "system.posix_acl_default", follow_symlinks=False)
    except OSError:
        return False
    return True


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "d"
    if stat.S_ISREG(mode):
        return "f"
    return "l" if stat.S_ISLNK(mode) else "o"


def found(path: str) -> Found | None:
    """What is at ``path`` now, never following a final symlink (None: nothing)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    kind = _kind(st.st_mode)
    target = ""
    if kind == "l":
        try:
            target = os.readlink(path)
        except OSError:
            pass
    return Found(kind, st.st_dev, st.st_ino, target)


def walk(root: str, cap: int, visit: Callable[[os.DirEntry[str], str], bool]) -> None:
    """``visit(entry, relative path)`` for every entry under ``root``, never following a link;
    a directory is entered when ``visit`` says so. :class:`TreeTooLarge` past ``cap``."""
    count = 0
    stack: list[tuple[str, str]] = [(root, "")]
    while stack:
        absolute, rel_d = stack.pop()
        try:
            it = os.scandir(absolute)
        except OSError:
            continue
        with it:
            for e in it:
                count += 1
                if count > cap:
                    raise TreeTooLarge(f"the workspace holds more than {cap} entries")
                rel = f"{rel_d}/{e.name}" if rel_d else e.name
                try:
                    if visit(e, rel) and e.is_dir(follow_symlinks=False):
                        stack.append((e.path, rel))
                except OSError:
                    continue


def scan(
    root: str,
    rules: NameRules,
    limit: int | None = None,
    links: bool = True,
    vendor_secrets: bool = True,
) -> Scan:
    """Protected and secret entries under ``root`` (not entered), and (``links``) every other
    regular file by inode, where a secret's other hard links are looked for."""
    out = Scan()
    heads: set[str] = set()
    objects: set[str] = set()
    closed: list[str] = []  # protected directories (bound as a whole, not walked)
    pyc_left = [PYCACHE_LIMIT]

    def visit(e: os.DirEntry[str], rel: str) -> bool:
        if e.is_dir(follow_symlinks=False) and (
            e.stat(follow_symlinks=False).st_mode & stat.S_ISGID or _default_acl(e.path)
        ):
            out.set_gid.append(rel)
        if e.name == "HEAD" or e.name == "objects":
            (heads if e.name == "HEAD" else objects).add(rel.rpartition("/")[0])
        hit_p = rules.protected(rel)
        hit_s = rules.secret(rel)
        if hit_p or hit_s:
            f = found(e.path)
            if f is not None:
                if hit_p:
                    out.protected[rel] = f
                    if e.name == ".git" and f.kind == "d":
                        out.git_dirs.append(rel)
                    elif f.kind == "d" and not hit_s:
                        closed.append(rel)
                if hit_s:
                    out.secrets[rel] = f
            return False  # bound or masked as a whole: nothing below to look at
        if e.is_dir(follow_symlinks=False):
            if e.name == "__pycache__":
                _pycache(e.path, rel, out, pyc_left)
                return False
            if e.name in rules.skip_dirs:
                f = found(e.path)
                if f is not None:
                    out.vendors[rel] = f
                return False
            return True
        if e.name.lower().endswith(COMPILED_SUFFIXES) or e.name == "__pycache__":
            # (a `__pycache__` that is not a directory: a link into a directory the walk
            # does not enter, `node_modules/x`, would serve bytecode from there)
            st = e.stat(follow_symlinks=False)
            out.compiled[rel] = (st.st_ino, st.st_ctime_ns)
        if links and e.is_file(follow_symlinks=False):
            # the inode comes with the directory entry (no stat per file); a secret's
            # other names are looked up in this map afterwards
            out.linked.setdefault(e.inode(), []).append(rel)
        return False

    walk(root, rules.limit if limit is None else limit, visit)
    out.stores = sorted(heads & objects)
    out.stores += _stores_in(root, closed)
    # a vendor directory is not walked, but a repository in it is a store like any other
    # (`pip install -e git+…` clones into `.venv/src/PKG/.git`, a dependency checked out in
    # `node_modules/PKG`, `target/`): a sixth red-team pass read a secret its history held
    # with `git -C node_modules/pkg log -p` (shown, with a control). Its top levels only.
    out.stores += _stores_in(root, sorted(out.vendors), VENDOR_STORE_DEPTH)
    budget = [rules.limit if limit is None else limit]
    # each vendor directory's own entries are listed once, for both the protected and the
    # secret names among them (each check keeps its own limit)
    tops = {rel: _listing(os.path.join(root, rel), _VENDOR_TOP_LIMIT) for rel in out.vendors}
    for rel in sorted(out.vendors):
        _vendor_startup(root, rel, rules, out, budget)
        _vendor_protected(rel, tops[rel], rules, out)
    if vendor_secrets:
        left = [VENDOR_SECRET_LIMIT]
        for rel in sorted(out.vendors):
            _vendor_secrets(root, rel, tops[rel], rules, out, left, links)
    return out


STORE_LOOK_LIMIT = 20_000

# Python bytecode (sixteenth red-team pass). CPython runs `__pycache__/NAME.TAG.pyc` instead
# of `NAME.py` when the header's source mtime and size match (the default, unchecked
# invalidation), and a bare `NAME.pyc` when no `NAME.py` exists. Both are git-ignored almost
# everywhere, so a run that writes one leaves code the next `python`, `pytest` or import on
# the host runs and no diff shows. The walk notes every one (`__pycache__` directories are
# listed, one level, at most this many entries in all); the end removes what is new or
# changed (removing bytecode is always safe: the interpreter recompiles from the source).
PYCACHE_LIMIT = 80_000
COMPILED_SUFFIXES = (".pyc", ".pyo")


def _pycache(path: str, rel: str, out: Scan, left: list[int]) -> None:
    """Every non-directory entry of the ``__pycache__`` directory ``path`` (whatever its
    name: an import reads `NAME.TAG.pyc`, and a link or a renamed file can become one)."""
    try:
        it = os.scandir(path)
    except OSError:
        return
    with it:
        for e in it:
            left[0] -= 1
            if left[0] < 0:
                raise TreeTooLarge(f"the workspace holds more than {PYCACHE_LIMIT} bytecode files")
            try:
                if e.is_dir(follow_symlinks=False):
                    # nothing imports from deeper; a directory renamed into place later is
                    # seen then by its new path
                    _pycache(e.path, f"{rel}/{e.name}", out, left)
                    continue
                st = e.stat(follow_symlinks=False)
            except OSError:
                continue
            out.compiled[f"{rel}/{e.name}"] = (st.st_ino, st.st_ctime_ns)


VENDOR_STORE_DEPTH = 4  # node_modules/@scope/pkg/.git, vendor/github.com/org/x/.git


def _stores_in(root: str, dirs: list[str], depth: int | None = None) -> list[str]:
    """Git stores inside protected directories, which the walk binds whole and does not
    enter (`.jj/repo/store/git`, a repository cloned under `.devcontainer/`), or inside vendor
    directories (``depth`` levels below them): a `.git` directory, or one holding `HEAD` and
    `objects/`. At most ``STORE_LOOK_LIMIT`` entries each."""
    out: list[str] = []
    base = [""]

    def visit(e: os.DirEntry[str], rel: str) -> bool:
        if not e.is_dir(follow_symlinks=False):
            return False
        if e.name == ".git" or (
            os.path.lexists(os.path.join(e.path, "HEAD"))
            and os.path.isdir(os.path.join(e.path, "objects"))
        ):
            out.append(f"{base[0]}/{rel}")
            return False
        return depth is None or rel.count("/") + 1 < depth

    for d in dirs:
        base[0] = d
        # past the limit, what was found is kept (the rest is documented as not seen)
        with contextlib.suppress(TreeTooLarge):
            walk(os.path.join(root, d), STORE_LOOK_LIMIT, visit)
    return out


# Secrets in vendor directories (a build copying `.env` into `target/`, Gradle's
# `.gradle/gradle.properties`, Terraform's `.terraform/terraform.tfstate`, a `.netrc` in a
# cache): looked for in each vendor directory's top two levels only, at most this many
# entries in all (a package tree is not walked; deeper ones are not found: docs/sandbox.md).
VENDOR_SECRET_LIMIT = 20_000
VENDOR_SECRET_DEPTH = 2


def _vendor_secrets(
    root: str,
    vendor: str,
    top: list[os.DirEntry[str]],
    rules: NameRules,
    out: Scan,
    left: list[int],
    links: bool,
) -> None:
    level = [vendor]
    for depth in range(VENDOR_SECRET_DEPTH):
        nxt: list[str] = []
        for d in level:
            entries = top if depth == 0 else _listing(os.path.join(root, d), left[0] + 1)
            for e in entries:
                left[0] -= 1
                if left[0] < 0:
                    return
                rel = f"{d}/{e.name}"
                try:
                    if rules.secret(rel):
                        f = found(e.path)
                        if f is not None:
                            out.secrets[rel] = f
                        continue
                    if e.is_dir(follow_symlinks=False):
                        nxt.append(rel)
                    elif links and e.is_file(follow_symlinks=False):
                        out.linked.setdefault(e.inode(), []).append(rel)
                except OSError:
                    continue
        level = nxt


def _listing(path: str, limit: int) -> list[os.DirEntry[str]]:
    """The first ``limit`` entries of the directory ``path`` (none if it cannot be listed)."""
    try:
        it = os.scandir(path)
    except OSError:
        return []
    with it:
        return list(itertools.islice(it, max(limit, 0)))


# Protected entries directly inside a vendor directory (a twenty-second red-team pass: a
# script run in the sandbox created `.gradle/init.d/x.gradle`, a Gradle init script that runs
# on every later build, and nothing undid it, because the walk does not enter `.gradle`;
# likewise `.gradle/init.gradle` and `.cache/gonogo/`). Only the vendor's own entries are
# listed (a package tree is not walked), at most this many per vendor directory.
VENDOR_PROTECTED_LIMIT = 5_000
_VENDOR_TOP_LIMIT = max(VENDOR_PROTECTED_LIMIT, VENDOR_SECRET_LIMIT) + 1


def _vendor_protected(
    vendor: str, top: list[os.DirEntry[str]], rules: NameRules, out: Scan
) -> None:
    for e in top[:VENDOR_PROTECTED_LIMIT]:
        rel = f"{vendor}/{e.name}"
        try:
            if rules.protected(rel):
                f = found(e.path)
                if f is not None:
                    out.protected[rel] = f
        except OSError:
            continue


# Where a Python environment keeps the code that runs on every start of it, relative to the
# environment: its configuration, its scripts (`activate`), its site-packages' top level
# (`*.pth`, `sitecustomize.py`). Only these directories of a vendor directory are listed,
# never a package's own tree; whether an entry is protected is the policy's matcher's call.
_STARTUP_DIRS = ("", "bin", "Scripts", "Lib/site-packages")
_STARTUP_LIBS = ("lib", "lib64")
_ENV_CHILDREN = 64  # a vendor directory of environments (`.tox/py311`): at most this many


def _startup_dirs(root: str, env: str) -> list[str]:
    out = [f"{env}/{d}" if d else env for d in _STARTUP_DIRS]
    for lib in _STARTUP_LIBS:
        try:
            with os.scandir(os.path.join(root, env, lib)) as it:
                for e in it:
                    if e.is_dir(follow_symlinks=False) and e.name.startswith("python"):
                        out.append(f"{env}/{lib}/{e.name}/site-packages")
        except OSError:
            continue
    return out


def _through_link(root: str, env: str, d: str) -> bool:
    path = os.path.join(root, env)
    for part in d[len(env) :].split("/"):
        if not part:
            continue
        path = os.path.join(path, part)
        if os.path.islink(path):
            return True
    return False


def _vendor_startup(root: str, vendor: str, rules: NameRules, out: Scan, budget: list[int]) -> None:
    """Protected entries among a vendor directory's start-up code places (and those of the
    environments one level down, as tox and nox keep them), each directory listed once,
    no link followed; :class:`TreeTooLarge` past the walk's limit."""
    envs: list[str] = []
    if os.path.lexists(os.path.join(root, vendor, "pyvenv.cfg")):
        envs.append(vendor)
    else:
        kids: list[str] = []
        seen = 0
        try:
            with os.scandir(os.path.join(root, vendor)) as it:
                for e in it:
                    seen += 1
                    if seen > _ENV_CHILDREN:
                        break
                    if e.is_dir(follow_symlinks=False):
                        kids.append(e.name)
        except OSError:
            pass
        if seen <= _ENV_CHILDREN:
            envs += [
                f"{vendor}/{k}"
                for k in kids
                if os.path.lexists(os.path.join(root, vendor, k, "pyvenv.cfg"))
            ]
    for env in envs:
        f = found(os.path.join(root, env))
        if f is not None:
            out.envs[env] = f
        for d in _startup_dirs(root, env):
            if _through_link(root, env, d):
                continue  # `lib64 -> lib`: listed under its own name, never through a link
            try:
                it = os.scandir(os.path.join(root, d))
            except OSError:
                continue
            with it:
                for e in it:
                    budget[0] -= 1
                    if budget[0] < 0:
                        raise TreeTooLarge("the workspace's environments hold too many entries")
                    rel = f"{d}/{e.name}"
                    if rules.protected(rel):
                        f = found(e.path)
                        if f is not None:
                            out.protected[rel] = f


@functools.lru_cache(maxsize=1)
def _empties() -> tuple[str, str]:
    """An empty read-only file and directory (made once per process) to bind over secrets."""
    root = tempfile.mkdtemp(prefix="gonogo-sandbox-mask-")
    os.chmod(root, 0o755)
    empty_file = os.path.join(root, "empty")
    with open(empty_file, "wb"):
        pass
    os.chmod(empty_file, 0o444)
    empty_dir = os.path.join(root, "empty.d")
    os.mkdir(empty_dir, 0o555)
    os.chmod(empty_dir, 0o555)
    return empty_file, empty_dir


def empty_file() -> str:
    return _empties()[0]


def empty_dir() -> str:
    return _empties()[1]


def _inside(ws: str, rel: str) -> str | None:
    """The workspace-relative path a symlink at ``rel`` finally names, when inside."""
    real = os.path.realpath(os.path.join(ws, rel))
    if real == ws or not real.startswith(ws.rstrip("/") + "/"):
        return None
    return real[len(ws.rstrip("/")) + 1 :]


def masked(ws: str, s: Scan) -> dict[str, str]:
    """Workspace-relative path -> what is bound over it: every secret (the target of one that
    is a link inside the workspace) and every other hard link of a secret file."""
    empty_file, empty_dir = _empties()
    out: dict[str, str] = {}
    inodes: set[tuple[int, int]] = set()
    for rel, f in s.secrets.items():
        if f.kind == "l":
            target = _inside(ws, rel)
            f2 = found(os.path.join(ws, target)) if target else None
            if target is None or f2 is None or f2.kind not in "df":
                continue
            rel, f = target, f2
        if f.kind == "d":
            out[rel] = empty_dir
        elif f.kind == "f":
            out[rel] = empty_file
            inodes.add((f.dev, f.ino))
    for dev, ino in inodes:
        for rel in s.linked.get(ino, ()):
            other = found(os.path.join(ws, rel))
            if other is not None and (other.dev, other.ino) == (dev, ino):
                out[rel] = empty_file
    return out


def read_only(ws: str, s: Scan, masks: dict[str, str]) -> list[str]:
    """Workspace-relative paths bound read-only over themselves: protected files and
    directories (git directories are handled by ``bwrap``), and what a protected symlink
    inside the workspace names."""
    out: list[str] = []
    for rel, f in s.protected.items():
        if rel in masks or rel in s.git_dirs:
            continue
        if f.kind == "l":
            target = _inside(ws, rel)
            f2 = found(os.path.join(ws, target)) if target else None
            if target is None or f2 is None or target in masks:
                continue
            rel, f = target, f2
        if f.kind in "df":
            out.append(rel)
    out += store_hooks(ws, s)
    return list(dict.fromkeys(out))


def store_hooks(ws: str, s: Scan) -> list[str]:
    """The ``hooks`` and ``config`` of each git directory not named ``.git`` that was there
    before the run (a bare clone the human pushes to, a ``--separate-git-dir`` target): git
    runs its hooks, and the hooks ``core.hooksPath`` names, when a human pushes to it
    (thirty-second pass: a command rewrote ``deploy.git/hooks/post-receive`` and the human's
    next ``git push deploy`` ran it). Bound read-only like ``.git``'s; a store the run makes
    is the run's own (it is not in this scan)."""
    out: list[str] = []
    for store in s.stores:
        if store.rpartition("/")[2] == ".git":
            continue  # bound by bwrap's git_dir_binds, with its config guard
        for name in ("hooks", "config"):
            rel = f"{store}/{name}" if store else name
            f = found(os.path.join(ws, rel))
            if f is not None and f.kind in "df":
                out.append(rel)
    return out


def bind_plan(ws: str, s: Scan) -> dict[str, str]:
    """Workspace-relative path -> what is bound read-only over it (itself, or an empty file
    or directory for a secret): :func:`masked` and :func:`read_only` together."""
    masks = masked(ws, s)
    plan = {rel: os.path.join(ws, rel) for rel in read_only(ws, s, masks)}
    plan.update(masks)
    return plan


def bind_options(plan: dict[str, str], inside: str) -> list[str]:
    """The bubblewrap options for ``plan`` (parents first)."""
    args: list[str] = []
    for rel, src in sorted(plan.items(), key=lambda p: p[0].count("/")):
        args += ["--ro-bind", src, f"{inside}/{rel}"]
    return args


def check_size(args: list[str]) -> None:
    """Refuse (:class:`TreeTooLarge`) bind options that would not fit bubblewrap's pipe."""
    size = sum(len(os.fsencode(a)) + 1 for a in args)
    if size > MAX_BIND_BYTES:
        raise TreeTooLarge(
            f"the workspace holds too many protected or secret files to bind ({size} bytes "
            f"of options, at most {MAX_BIND_BYTES})"
        )
