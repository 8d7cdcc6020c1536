"""Path resolution against a tenant workspace: lexical and symlink-resolved, whole components.

A path is inside the workspace only if both its lexical form (``..`` folded) and its real form
(symlinks followed as far as they exist) are the workspace root or below it, compared by whole
path components so ``/ws-evil`` is never inside ``/ws``.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import stat
import threading
import unicodedata
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy import fnmatch_linear
from enforcement_agent.policy.globs import bash_glob
from enforcement_agent.policy.regular_reads import open_regular, open_regular_text

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
            real = realpath(path)
        elif "/.." in "/" + raw:
            real = self._real_with_parents(path)  # `link/..` must follow the link first
        else:
            real = self._real_below_root(lexical)
        if not lexical_inside or not (real == self.root or real.startswith(self._prefix)):
            return Resolved(raw, lexical, real, False, ())
        a, b = self.rel(lexical), self.rel(real)
        # Protected and secret patterns also see the spelling-independent forms.
        return Resolved(raw, lexical, real, True, spellings((a,) if a == b else (a, b)))

    def _real_with_parents(self, path: str) -> str:
        """``realpath`` for a path below the (already real) root that contains ``..``.

        The same walk as ``os.path.realpath`` (``lstat`` each component, ``..`` drops the
        component before it once that is known not to be a link), started at the root instead
        of ``/``; leaving the root or meeting a symlink falls back to the full ``realpath``.
        Components below a missing directory cannot exist, so they are not looked up.
        """
        if not path.startswith(self._prefix):
            return realpath(path)
        parts: list[str] = []
        missing_at = 0  # depth of the first missing component still on the path (0: none)
        for comp in path[len(self._prefix) :].split("/"):
            if not comp or comp == ".":
                continue
            if comp == "..":
                if not parts:
                    return realpath(path)
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
                return realpath(path)
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
                return realpath(lexical)
        return lexical


UNRESOLVABLE = "/__unresolvable__"


def realpath(path: str) -> str:
    """``os.path.realpath``, except that a link the decider may not read (`/proc/1/root`,
    a directory without search permission) resolves to a path outside every workspace
    instead of raising: where it leads is unknown, so it is treated as leading out."""
    try:
        return os.path.realpath(path)
    except OSError:
        return UNRESOLVABLE + "/" + path.lstrip("/")


def _glob_may_escape(raw: str) -> bool:
    """A glob component that can match ``..`` (``.*``, ``.?``, ``.[.]``) may leave the tree."""
    if "*" not in raw and "?" not in raw and "[" not in raw:
        return False
    # Bash never lets `*`/`?` match a leading dot, so only patterns that start with one can.
    return any(
        part[0] in ".[" and fnmatch_linear.fnmatchcase("..", part)
        for part in raw.split("/")
        if part
    )


def under_prefix(absolute: str, prefixes: tuple[str, ...]) -> bool:
    return any(absolute == p or absolute.startswith(p.rstrip("/") + "/") for p in prefixes)


# ---- spellings ------------------------------------------------------------------------------
# Code points HFS+ ignores in names (git's list) and other invisible ones: `.g\u200cit` is `.git`
# on macOS, and a reader cannot see them anywhere.
_IGNORABLE = lazy_compile(
    "[\u00ad\u034f\u180b-\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)


def folded(rel: str) -> str | None:
    """The spelling-independent form of a relative path when it differs from ``rel.lower()``.

    Unicode compatibility forms folded (NFKC: a fullwidth `．` is `.`), case folded, ignorable
    code points dropped, trailing dots and blanks of each component dropped (Windows and SMB
    drop them: `.git.` is `.git`). Protected and secret patterns are matched against both forms.
    """
    if rel.isascii() and ". " not in rel and not _TRAILING.search(rel):
        return None
    text = _IGNORABLE.sub("", unicodedata.normalize("NFKC", rel)).casefold()
    parts = [p if p in (".", "..") else (p.rstrip(". ") or p) for p in text.split("/")]
    out = "/".join(parts)
    return out if out != rel.lower() else None


_TRAILING = lazy_compile(r"[^./][. ]+(?:/|\Z)")


def spellings(rels: tuple[str, ...]) -> tuple[str, ...]:
    """``rels`` plus their folded forms (see :func:`folded`)."""
    extra = tuple(f for f in (folded(r) for r in rels) if f is not None and f not in rels)
    return rels + extra if extra else rels


# ---- filename expansion ---------------------------------------------------------------------
class TooManyPaths(Exception):
    """A glob or a tree walk would look at more entries than a decision may."""


GLOB_CHARS = frozenset("*?[")


def has_glob(raw: str) -> bool:
    return "*" in raw or "?" in raw or "[" in raw


def expand_glob(raw: str, cwd: str, limit: int = 2000) -> list[str] | None:
    """The absolute paths bash's filename expansion of ``raw`` gives now (None: not a glob).

    Component by component against the file system, directories followed as bash follows
    them; at most ``limit`` directory entries are looked at (:class:`TooManyPaths`).
    """
    if not has_glob(raw):
        return None
    base = "/" if raw.startswith("/") else cwd
    parts = [p for p in raw.split("/") if p]
    current = [base]
    count = _Count(limit, f"the pattern {raw!r} looks at more than {limit} entries")
    for k, part in enumerate(parts):
        last = k == len(parts) - 1
        pattern = bash_glob(part)
        nxt: list[str] = []
        for d in current:
            if pattern is None:
                p = os.path.join(d, part)
                if last or os.path.isdir(p):
                    nxt.append(p)
                continue
            for e in _listing(d, count):
                if not pattern.match(e.name):
                    continue
                if last:
                    nxt.append(e.path)
                else:
                    try:
                        if e.is_dir():  # follows symlinks, as bash does
                            nxt.append(e.path)
                    except OSError:
                        continue
        current = nxt
        if not current:
            return []
    # Matched paths must exist (a literal last component after globs may not).
    return [p for p in current if os.path.lexists(p)]


class _Count:
    """Directory entries looked at so far, against a limit (one per glob or tree walk)."""

    __slots__ = ("limit", "n", "what")

    def __init__(self, limit: int, what: str) -> None:
        self.n = 0
        self.limit = limit
        self.what = what


def _listing(d: str, count: _Count) -> Iterator[os.DirEntry[str]]:
    """The entries of directory ``d`` (none if it cannot be read), counted."""
    try:
        entries = os.scandir(d)
    except OSError:
        return
    with entries:
        for e in entries:
            count.n += 1
            if count.n > count.limit:
                raise TooManyPaths(count.what)
            yield e


# ---- trees ----------------------------------------------------------------------------------
# Generated or third-party directories a tree check does not walk: their files are not the
# tenant's (a package's own test key or .github), and they are large.
VENDOR_DIRS = frozenset(
    {
        "node_modules", ".git", ".venv", "venv", ".tox", ".nox", "__pycache__", ".mypy_cache",
        ".pytest_cache", ".ruff_cache", ".cache", "target", ".gradle", ".next", ".nuxt",
        "bower_components", ".terraform",
    }
)  # fmt: skip
TREE_LIMIT = 20_000


class TreeScan(NamedTuple):
    matches: tuple[str, ...]  # workspace-relative paths the predicate picked
    links_out: tuple[str, ...]  # symlinks inside whose target leaves the workspace
    links: tuple[str, ...] = ()  # every symlink under the start (re-resolved on each use)


# Tree walks are kept per (workspace, start, predicate) and reused while no directory of the
# tree changed (a directory's mtime moves whenever an entry in it is added, removed or
# renamed; these walks look at names only). Links are re-resolved on every use.
_SCANS: OrderedDict[tuple[str, str, object], tuple[tuple[tuple[str, int], ...], TreeScan]] = (
    OrderedDict()
)
_SCANS_LOCK = threading.Lock()


def scan_tree(
    ws: Workspace,
    start: str,
    pick: Callable[[str], bool],
    limit: int = TREE_LIMIT,
    skip_vendor: bool = True,
    key: object = None,
    spend: Callable[[int], None] | None = None,
) -> TreeScan:
    """Walk the tree at absolute ``start`` (inside ``ws``): entries ``pick`` selects, and
    symlinks that lead out of the workspace. Raises :class:`TooManyPaths` past ``limit``.

    With ``key`` (naming ``pick``: the same key must mean the same predicate) the answer is
    reused until a directory of the tree changes. ``spend`` is told how many directories
    the call looks at (a reused answer still checks each one's mtime), so a decision that
    asks for many walks pays for them.
    """
    if ws.virtual or not ws.contains(start):
        return TreeScan((), ())
    if key is not None:
        cache_key = (ws.root, start, key)
        with _SCANS_LOCK:
            hit = _SCANS.get(cache_key)
        if hit is not None and spend is not None:
            spend(_stat_cost(hit[0]))
        if hit is not None and _unchanged(hit[0]):
            scan = hit[1]
            links = tuple(r for r in scan.links_out if not ws.contains(realpath(ws.root + "/" + r)))
            return TreeScan(scan.matches, links, scan.links_out)
    dirs: list[tuple[str, int]] = []
    all_links: list[str] = []
    scan = _walk(ws, start, pick, limit, skip_vendor, dirs, all_links)
    if spend is not None:
        spend(_stat_cost(dirs))
    scan = TreeScan(scan.matches, scan.links_out, tuple(all_links))
    if key is not None:
        with _SCANS_LOCK:
            _SCANS[cache_key] = (tuple(dirs), TreeScan(scan.matches, tuple(all_links)))
            while len(_SCANS) > 256:
                _SCANS.popitem(last=False)
    return scan


def _stat_cost(dirs: Sequence[tuple[str, int]]) -> int:
    """What looking at these directories costs: the kernel walks every component of a path,
    so a directory 400 levels deep costs more than one at the top (a fifth red-team pass:
    walks over a 400-deep tree ran to the deadline)."""
    return sum(1 + d.count("/") // 8 for d, _ in dirs)


def _unchanged(dirs: tuple[tuple[str, int], ...]) -> bool:
    for d, mtime in dirs:
        try:
            if os.stat(d, follow_symlinks=False).st_mtime_ns != mtime:
                return False
        except OSError:
            return False
    return True


def _walk(
    ws: Workspace,
    start: str,
    pick: Callable[[str], bool],
    limit: int,
    skip_vendor: bool,
    dirs: list[tuple[str, int]],
    all_links: list[str],
) -> TreeScan:
    matches: list[str] = []
    links: list[str] = []
    stack = [start]
    count = _Count(limit, f"more than {limit} files under '{ws.rel(start) or '.'}'")
    first = True
    while stack:
        d = stack.pop()
        try:
            dirs.append((d, os.stat(d, follow_symlinks=False).st_mtime_ns))
        except OSError:
            dirs.append((d, -1))
        rel_d = ws.rel(d)
        if pick(rel_d) and not first:
            matches.append(rel_d)
        first = False
        for e in _listing(d, count):
            rel = f"{rel_d}/{e.name}" if rel_d else e.name
            try:
                if e.is_symlink():
                    all_links.append(rel)
                    target = realpath(e.path)
                    if not ws.contains(target):
                        links.append(rel)
                    if pick(rel):
                        matches.append(rel)
                elif e.is_dir(follow_symlinks=False):
                    if skip_vendor and e.name in VENDOR_DIRS:
                        if pick(rel):
                            matches.append(rel)
                        continue
                    stack.append(e.path)
                elif pick(rel):
                    matches.append(rel)
            except OSError:
                continue
    return TreeScan(tuple(matches), tuple(links))


# ---- devices --------------------------------------------------------------------------------
# A device path is a stream to read or write, never a file to change: `> /dev/null` is fine,
# `rm /dev/null`, `mv x /dev/null`, `chmod 777 /dev/null`, `ln -sf x /dev/stdout` are not.
_DEVICE_STREAMERS = frozenset({"", "tee", "dd", "cat", "cp", "head", "tail", "truncate"})


def device_use_ok(mode: str, program: str) -> bool:
    """Whether ``program`` using an exempt device path in ``mode`` only streams data."""
    if mode == "read":
        return True
    if mode == "remove":
        return False
    return program in _DEVICE_STREAMERS and program != "truncate"


# ---- links ----------------------------------------------------------------------------------
_CP_LINKING = frozenset("slrRadP")
_CP_LONG_LINKING = (
    "--symbolic-link", "--link", "--recursive", "--archive", "--no-dereference",
    "--preserve=links", "--preserve=all", "--reflink",
)  # fmt: skip
_GIT_VALUED = frozenset(
    {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env", "--super-prefix",
     "--exec-path", "--list-cmds"}
)  # fmt: skip
_GIT_CHECKOUTS = frozenset(
    {
        "checkout", "switch", "reset", "merge", "pull", "rebase", "cherry-pick", "revert",
        "stash", "restore", "worktree", "clone", "am", "apply", "read-tree", "checkout-index",
        "submodule", "bisect", "sparse-checkout",
    }
)  # fmt: skip
_EXTRACTORS = frozenset(
    {"unzip", "7z", "7za", "7zr", "cpio", "bsdcpio", "pax", "ar", "unrar", "jar"}
)
# GNU patch (2.7) applies git-style diffs, `new file mode 120000` included: it makes symlinks,
# as `git apply` does (a twenty-ninth red-team pass: `patch -p1 < p.diff && cat lnk` printed
# the .env the patch's link named, allowed)
_PATCHERS = frozenset({"patch", "gpatch", "quilt"})


def creates_links(
    program: str, args: tuple[str, ...], is_dir_or_link: Callable[[str], bool]
) -> bool:
    """Whether the command can leave a symlink or hard link (or a directory holding one) where
    a later path of the same command may pass: then those paths cannot be resolved now."""
    if program in ("ln", "link", "mklink", "symlink", "rsync", "bindfs", "mount"):
        return True
    if program == "cp":
        for a in args:
            if a.startswith("--"):
                if a.startswith(_CP_LONG_LINKING):
                    return True
            elif a.startswith("-") and _CP_LINKING & set(a[1:]):
                return True
        return False
    if program == "mv":  # a moved symlink (or directory of them) resolves anew at its place
        return any(not a.startswith("-") and is_dir_or_link(a) for a in args[:-1])
    if program in ("tar", "bsdtar"):
        return extracts(program, args)
    if program in _EXTRACTORS or program in _PATCHERS:
        return True
    if program == "git":
        k = 0
        while k < len(args) and args[k].startswith("-"):
            # git's own options that take the next word (`git -C . mv …`, `-c k=v`)
            k += 2 if args[k] in _GIT_VALUED else 1
        sub = args[k] if k < len(args) else ""
        if sub == "mv":
            # like mv: a moved symlink, or a directory holding one, resolves anew at its new
            # place (a thirteenth red-team pass: `git mv docs d2; echo x > d2/hooks/x` wrote
            # a git hook through the tracked relative link `docs/hooks -> ../.git/hooks`)
            ops = [a for a in args[k + 1 :] if not a.startswith("-")]
            return any(is_dir_or_link(a) for a in ops[:-1])
        return sub in _GIT_CHECKOUTS
    return False


def venv_dirs(program: str, args: tuple[str, ...]) -> list[str]:
    """The directories a command makes virtual environments in (`python3 -m venv D…`, `uv
    venv [D]`, `virtualenv D`), or []: their `bin/python*` are symlinks to the interpreter
    they were made from, out of the workspace (a thirteenth red-team pass: `python3 -m venv
    d; echo x > d/bin/python3` opened the base interpreter for writing, ETXTBSY while it ran).
    Over-approximate: every later word without a dash counts."""
    rest: tuple[str, ...] | None = None
    if program in ("virtualenv", "pyvenv"):
        rest = args
    elif program == "uv":
        k = next((i for i, a in enumerate(args) if not a.startswith("-")), len(args))
        if k < len(args) and args[k] == "venv":
            rest = args[k + 1 :]
            if not [a for a in rest if not a.startswith("-")]:
                return [".venv"]
    elif program in ("python", "python3"):
        for k, a in enumerate(args):  # python … -m venv / -mvenv (its options come first)
            if a == "-m":
                if k + 1 < len(args) and args[k + 1] in ("venv", "virtualenv"):
                    rest = args[k + 2 :]
                break
            if a.startswith("-m"):
                if a[2:] in ("venv", "virtualenv"):
                    rest = args[k + 1 :]
                break
            if not a.startswith("-") or a == "-c":
                break
    if rest is None:
        return []
    return [a for a in rest if not a.startswith("-")] or ["."]


# ---- archives -------------------------------------------------------------------------------
# GNU tar's short options that take a value (tar.c), and bsdtar's -s; and the long options the
# tar spec lists that take one (`--file X` as well as `--file=X`).
_TAR_VALUE_LETTERS = frozenset("bCfFgHIKLNTVX")
_TAR_VALUE_LONG = frozenset(
    "--file --directory --owner --group --mode --mtime --sort --exclude --exclude-from "
    "--strip-components --transform --xform --format --warning --blocking-factor".split()
)


class TarArgv(NamedTuple):
    """tar's arguments as its getopt and old-style reader see them."""

    letters: tuple[tuple[str, str | None], ...]  # (letter, value) in order; --file is f …
    archive: str | None  # the last -f/--file
    directory: str  # the last -C/--directory ("." without one)
    extracts: bool


def tar_argv(program: str, args: Sequence[str]) -> TarArgv:
    """Read ``args`` as tar does: old-style letters in the first word take their values from
    the following words in order (`tar xfC a.tar DIR`), a short cluster's letters are read one
    by one until one that takes a value, which takes the rest of the word or the next one
    (`-xCsrc/..` is `-x -C src/..`). A sixteenth red-team pass found `tar -xCsrc/.. -f a.tar`
    and `tar xfC a.tar src/..` allowed while `tar -xf a.tar -C src/..` was denied: the first
    was not seen as an extraction, the second's directory was `.`; both wrote the archive's
    .git/hooks/pre-commit and CLAUDE.md into the workspace root."""
    values = _TAR_VALUE_LETTERS | ({"s"} if program == "bsdtar" else set())
    letters: list[tuple[str, str | None]] = []
    i = 0
    while i < len(args):
        a = args[i]
        nxt = args[i + 1] if i + 1 < len(args) else None
        if a == "--":
            break
        if a.startswith("--"):
            head, eq, val = a.partition("=")
            value = val if eq else None
            if not eq and head in _TAR_VALUE_LONG:
                value, i = nxt, i + 1
            short = {"--extract": "x", "--get": "x", "--file": "f", "--directory": "C"}
            if head in short:
                letters.append((short[head], value))
        elif a.startswith("-") and len(a) > 1:
            for k in range(1, len(a)):
                if a[k] in values:
                    value = a[k + 1 :]
                    if not value:
                        value, i = nxt, i + 1
                    letters.append((a[k], value))
                    break
                letters.append((a[k], None))
        elif i == 0:  # old-style letters: `tar xzf a.tgz`, `tar xfC a.tar DIR`
            pending = [c for c in a if c in values]
            letters += [(c, None) for c in a if c not in values]
            for c in pending:
                i += 1
                letters.append((c, args[i] if i < len(args) else None))
        i += 1
    archive: str | None = None
    directory = "."
    extract = False
    for c, v in letters:
        if c == "x":
            extract = True
        elif c == "f":
            archive = v
        elif c == "C":
            directory = v or "."
    return TarArgv(tuple(letters), archive, directory, extract)


def extracts(program: str, args: tuple[str, ...]) -> bool:
    """tar/bsdtar in extract mode (`xf`, `-x`, `--extract`, `--get`)."""
    return tar_argv(program, args).extracts


class Members(NamedTuple):
    names: tuple[str, ...]
    problem: str  # why the members cannot be trusted ("" when they can)


# Reading an archive's member list decompresses it: a 4 MB tar.gz of one 4 GiB member took
# 10 s per mention, and a zip's central directory of 600,000 entries 5 s and 300 MB, before
# the member cap was checked (a red-team finding). Both are bounded before the work is done.
ARCHIVE_MAX_BYTES = 128 << 20  # decompressed bytes a tar listing may read
_ZIP_MAX_DIRECTORY = 16 << 20  # bytes of a zip's central directory


def archive_members(path: str, limit: int = 10_000, reader: str = "any") -> Members:
    """The member names of a tar or zip archive on disk, read now (bounded, cached per file).

    ``reader`` is how the extracting program reads the file: ``tar`` (GNU tar reads tar
    archives only, whatever else the file also is), ``zip`` (unzip, jar) or ``any``
    (bsdtar and the rest: every format the file parses as). A file that is both a tar and a
    zip (a zip appended to a tar) is listed as the program reads it: a fifth red-team pass
    had `tar xf vendor.tar` write the tar's `CLAUDE.md` while the listing showed the zip's.
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        return Members((), f"the archive cannot be read now ({type(exc).__name__})")
    # Keyed by ctime too: `touch -r` can restore an edited archive's mtime, not its ctime.
    key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    return _archive_members(path, key, limit, reader)


# The Info-ZIP Unicode Path extra field: unzip writes the member under this name, not the
# header's (a fifth red-team pass: a header `notes2.md` with this field `CLAUDE.md`).
_ZIP_UNICODE_PATH = 0x7075


def zip_member_names(info: Any) -> list[str]:
    """Every name unzip may write a zip member under: the header's name, that name with
    backslashes read as separators (unzip converts them for archives made on DOS/Windows:
    `.git\\hooks\\pre-commit` lands in `.git/hooks/`), and the Unicode Path extra field's."""
    names = [info.filename]
    if "\\" in info.filename:
        names.append(info.filename.replace("\\", "/"))
    extra: bytes = info.extra or b""
    i = 0
    while i + 4 <= len(extra):
        tag = int.from_bytes(extra[i : i + 2], "little")
        size = int.from_bytes(extra[i + 2 : i + 4], "little")
        body = extra[i + 4 : i + 4 + size]
        if tag == _ZIP_UNICODE_PATH and len(body) >= 5:
            alt = body[5:].decode("utf-8", "replace")
            names += [alt, alt.replace("\\", "/")]
        i += 4 + size
    return list(dict.fromkeys(names))


@functools.lru_cache(maxsize=64)
def _archive_members(
    path: str, _stat_key: tuple[int, ...], limit: int, reader: str = "any"
) -> Members:
    # Imported here: only a command that extracts an archive needs them, and a hook process
    # that decides one tool call would otherwise load them on every call.
    import tarfile
    import zipfile

    names: list[str] = []
    try:
        is_zip = reader != "tar" and zipfile.is_zipfile(path)
        if is_zip:
            too_big = _zip_directory_too_big(path, limit)
            if too_big:
                return Members((), too_big)
            with zipfile.ZipFile(path) as zf:
                infos = zf.infolist()
                if len(infos) > limit:
                    return Members((), f"more than {limit} members")
                for info in infos:
                    if stat.S_ISLNK(info.external_attr >> 16):
                        return Members((), f"member {info.filename!r} is a symlink")
                    names += zip_member_names(info)
            if reader == "zip":
                return Members(tuple(names), "")
        elif reader == "zip":
            return Members((), "it is not a zip archive unzip can read")
        try:
            with (
                _decompressed(path) as stream,
                tarfile.open(fileobj=stream, mode="r|", tarinfo=_counting_tarinfo()) as tf,
            ):
                for k, m in enumerate(tf):
                    if k >= limit:
                        return Members((), f"more than {limit} members")
                    if m.issym() or m.islnk():
                        return Members((), f"member {m.name!r} is a link")
                    if m.isdev():
                        return Members((), f"member {m.name!r} is a device")
                    if getattr(tf, _NAME_HEADERS, 0) > 1:
                        # Python and GNU tar pick different names from several headers (two
                        # pax headers, a GNU long name and a pax path): a fifth red-team pass
                        # had GNU tar write `CLAUDE.md` where the listing read `notes.md`.
                        return Members((), f"member {m.name!r} has more than one name header")
                    setattr(tf, _NAME_HEADERS, 0)
                    names.append(m.name)
                    if "\0" in m.name:  # GNU tar ends the name at a NUL
                        names.append(m.name.split("\0", 1)[0])
        except (tarfile.TarError, EOFError) as exc:
            if not is_zip:
                raise
            if not isinstance(exc, tarfile.ReadError):
                return Members((), f"the archive cannot be read now ({type(exc).__name__})")
        return Members(tuple(names), "")
    except _TooBig:
        return Members((), f"it unpacks to more than {ARCHIVE_MAX_BYTES >> 20} MiB")
    except (OSError, tarfile.TarError, zipfile.BadZipFile, EOFError, ValueError) as exc:
        return Members((), f"the archive cannot be read now ({type(exc).__name__})")


_NAME_HEADERS = "_gonogo_name_headers"


@functools.cache
def _counting_tarinfo() -> type:
    """A ``TarInfo`` that counts the extended headers (pax ``x``, GNU long name/link) read
    before each member on the ``TarFile`` (private tarfile hooks, present since 3.x)."""
    import tarfile

    class _Counting(tarfile.TarInfo):
        def _proc_pax(self, tf: Any) -> Any:
            if self.type != tarfile.XGLTYPE:  # a global header names no member
                setattr(tf, _NAME_HEADERS, getattr(tf, _NAME_HEADERS, 0) + 1)
            return super()._proc_pax(tf)  # type: ignore[misc]

        def _proc_gnulong(self, tf: Any) -> Any:
            setattr(tf, _NAME_HEADERS, getattr(tf, _NAME_HEADERS, 0) + 1)
            return super()._proc_gnulong(tf)  # type: ignore[misc]

    return _Counting


class _TooBig(Exception):
    pass


class _Bounded(io.RawIOBase):
    """A read-only stream that stops (``_TooBig``) past ``limit`` bytes."""

    def __init__(self, inner: Any, limit: int) -> None:
        self._inner = inner
        self._left = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)
        data = self._inner.read(min(len(view), self._left + 1))
        self._left -= len(data)
        if self._left < 0:
            raise _TooBig
        view[: len(data)] = data
        return len(data)


@contextlib.contextmanager
def _decompressed(path: str) -> Iterator[io.BufferedReader]:
    """``path`` decompressed (gzip, bzip2, xz or none, by magic), at most ARCHIVE_MAX_BYTES."""
    import bz2
    import gzip
    import lzma

    with open_regular(path) as raw:
        magic = raw.read(6)
        raw.seek(0)
        inner: Any = raw
        if magic.startswith(b"\x1f\x8b"):
            inner = gzip.GzipFile(fileobj=raw)
        elif magic.startswith(b"BZh"):
            inner = bz2.BZ2File(raw)
        elif magic.startswith(b"\xfd7zXZ\x00"):
            inner = lzma.LZMAFile(raw)
        yield io.BufferedReader(_Bounded(inner, ARCHIVE_MAX_BYTES))


def _zip_directory_too_big(path: str, limit: int) -> str:
    """Why a zip's central directory is too big to read, from its end record ("" if not)."""
    with open_regular(path) as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(max(0, size - (1 << 16) - 22))
        tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return ""  # zipfile reports what is wrong with it
    entries = int.from_bytes(tail[at + 10 : at + 12], "little")
    directory = int.from_bytes(tail[at + 12 : at + 16], "little")
    if entries == 0xFFFF or directory == 0xFFFFFFFF:
        return "a zip64 directory (more entries or bytes than a plain zip holds)"
    if entries > limit:
        return f"more than {limit} members"
    if directory > _ZIP_MAX_DIRECTORY:
        return f"a central directory over {_ZIP_MAX_DIRECTORY >> 20} MiB"
    return ""


def member_destination(member: str) -> str | None:
    """Where an extractor writes ``member`` relative to its directory (None: it refuses)."""
    name = member.lstrip("/")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        return None  # GNU tar and unzip skip these; count them as undecidable anyway
    return "/".join(parts)


# ---- patches --------------------------------------------------------------------------------
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_PATCH_HEADER = lazy_compile(
    rf"^(?:\+\+\+|---|\*\*\*) ({_QUOTED}|[^\t\n]+)|^diff --git ({_QUOTED}|\S+) ({_QUOTED}|\S+)"
    r"|^(?:rename|copy) (?:to|from) (.+)$",
    re.M,
)
_C_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def _unquote_c(name: str) -> str:
    """A name as git and GNU patch read it: ``"b/\\103LAUDE.md"`` is ``b/CLAUDE.md`` (C-style
    quoting with octal bytes; a fourth red-team pass wrote CLAUDE.md through one)."""
    if len(name) < 2 or not (name.startswith('"') and name.endswith('"')):
        return name
    body, out, i = name[1:-1], bytearray(), 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            octal = re.match(r"[0-7]{1,3}", body[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(0), 8) & 0xFF)
                i += 1 + len(octal.group(0))
                continue
            out.append(_C_ESCAPES.get(nxt, ord(nxt) if nxt.isascii() else 0x3F))
            i += 2
            continue
        out += c.encode("utf-8", "surrogateescape")
        i += 1
    return out.decode("utf-8", "surrogateescape")


def patch_targets(path: str, strip: int | None, limit: int = 1 << 20) -> Members:
    """Every file a unified/context/git patch on disk names (``strip``: patch's ``-p``)."""
    try:
        with open_regular(path) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        return Members((), f"the patch cannot be read now ({type(exc).__name__})")
    if len(data) > limit:
        return Members((), f"the patch is larger than {limit} bytes")
    text = data.decode("utf-8", "surrogateescape")
    names: list[str] = []
    for m in _PATCH_HEADER.finditer(text):
        for raw in (m.group(1), m.group(2), m.group(3), m.group(4)):
            raw = (raw or "").split("\t")[0].strip()
            # git apply reads `+++ b/my dir/CLAUDE.md` to the end of the line (or a tab),
            # GNU patch up to the first blank: both count
            for name in {_unquote_c(raw), raw.split(" ")[0]} if raw else ():
                if name and name != "/dev/null":
                    names.extend(_strip_components(name, strip))
    if not names:
        return Members((), "the patch names no file")
    return Members(tuple(dict.fromkeys(names)), "")


def _strip_components(name: str, strip: int | None) -> tuple[str, ...]:
    """The names ``name`` may be patched as. ``strip`` None: git apply/am, whose default -p1
    strips the first component of any name with a `/` (apply.c guesses 0 only for a name
    without one), so `--- x/Makefile` patches `Makefile`; -1: GNU patch without -p, which
    takes the last component (2.7.6 patched ./Makefile for `--- x/Makefile` while x/Makefile
    existed). A forty-seventh red-team pass found both read as the whole name (git's `a/`
    and `b/` alone stripped), so a patch naming x/Makefile rewrote the Makefile CI runs;
    both readings are checked now."""
    parts = name.split("/")
    if strip is None:
        return (name, "/".join(parts[1:])) if len(parts) > 1 else (name,)
    if strip < 0:
        return (name, parts[-1])
    return ("/".join(parts[strip:]) if strip < len(parts) else parts[-1],)


# ---- the git index --------------------------------------------------------------------------
_INDEXES: OrderedDict[str, tuple[tuple[int, int, int], dict[str, int] | None]] = OrderedDict()


def git_index(repo: str, limit: int = 64 << 20) -> dict[str, int] | None:
    """Tracked paths of the repository at ``repo`` and their modes (``0o120000``: a symlink),
    read from ``.git/index`` (versions 2-4); None when it cannot be read. Kept while the
    index file's inode, size and mtime stay (git replaces it by a rename on every change)."""
    try:
        st = os.stat(os.path.join(repo, ".git", "index"), follow_symlinks=False)
        stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
    except FileNotFoundError:
        # A repository with nothing staged yet tracks nothing; without a .git directory here
        # the repository (if any) is elsewhere and unknown.
        git_dir = os.path.join(repo, ".git")
        return {} if os.path.isdir(git_dir) and not os.path.islink(git_dir) else None
    except OSError:
        return None
    with _SCANS_LOCK:
        hit = _INDEXES.get(repo)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    found = _read_git_index(repo, limit)
    with _SCANS_LOCK:
        _INDEXES[repo] = (stamp, found)
        while len(_INDEXES) > 16:
            _INDEXES.popitem(last=False)
    return found


def _read_git_index(repo: str, limit: int) -> dict[str, int] | None:
    git_dir = os.path.join(repo, ".git")
    try:
        with open_regular(os.path.join(git_dir, "index")) as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        # A repository with nothing staged yet tracks nothing; without a .git directory here
        # the repository (if any) is elsewhere and unknown.
        return {} if os.path.isdir(git_dir) and not os.path.islink(git_dir) else None
    except OSError:
        return None
    return None if len(data) > limit else parse_git_index(data)


def parse_git_index(data: bytes) -> dict[str, int] | None:
    """The paths of an index file's entries (versions 2-4) and their modes, in the file's
    order; None when ``data`` is not such a file."""
    if len(data) < 12 or data[:4] != b"DIRC":
        return None
    version = int.from_bytes(data[4:8], "big")
    count = int.from_bytes(data[8:12], "big")
    if version not in (2, 3, 4):
        return None
    out: dict[str, int] = {}
    pos = 12
    previous = b""
    try:
        for _ in range(count):
            start = pos
            mode = int.from_bytes(data[pos + 24 : pos + 28], "big")
            flags = int.from_bytes(data[pos + 60 : pos + 62], "big")
            pos += 62
            if version >= 3 and flags & 0x4000:
                pos += 2
            if version == 4:
                strip, n = _varint(data, pos)
                if strip > len(previous):
                    return None
                pos = n
                end = data.index(b"\0", pos)
                name = previous[: len(previous) - strip] + data[pos:end]
                pos = end + 1
            else:
                end = data.index(b"\0", pos)
                name = data[pos:end]
                pos = start + ((end - start + 8) // 8) * 8
            if pos > len(data):
                return None
            previous = name
            out[name.decode("utf-8", "surrogateescape")] = mode
    except (ValueError, IndexError):
        return None
    return out


def git_head_names(repo: str, limit: int = TREE_LIMIT) -> list[str] | None:
    """Every file path in the tree of the repository's HEAD commit, read from loose objects
    (None when HEAD or any object it needs is packed, missing or unreadable: unknown)."""
    blobs = git_head_blobs(repo, limit)
    return None if blobs is None else list(blobs)


def git_head_blobs(repo: str, limit: int = TREE_LIMIT) -> dict[str, str] | None:
    """Every file path in HEAD's tree and its object id (see :func:`git_head_names`)."""
    git_dir = os.path.join(repo, ".git")
    try:
        with open_regular_text(os.path.join(git_dir, "HEAD")) as fh:
            head = fh.read(4096).strip()
        if head.startswith("ref: "):
            ref = head[5:]
            if ".." in ref.split("/") or not ref.startswith("refs/"):
                return None
            with open_regular_text(os.path.join(git_dir, ref)) as fh:
                head = fh.read(4096).strip()
        commit = _loose_object(git_dir, head, b"commit")
        if commit is None or not commit.startswith(b"tree "):
            return None
        out: dict[str, str] = {}
        stack = [("", commit[5:45].decode("ascii"))]
        while stack:
            prefix, sha = stack.pop()
            tree = _loose_object(git_dir, sha, b"tree")
            if tree is None:
                return None
            pos = 0
            while pos < len(tree):
                space = tree.index(b" ", pos)
                nul = tree.index(b"\0", space)
                mode = tree[pos:space]
                name = tree[space + 1 : nul].decode("utf-8", "surrogateescape")
                child = tree[nul + 1 : nul + 21].hex()
                pos = nul + 21
                path = f"{prefix}{name}"
                if mode == b"40000":
                    stack.append((path + "/", child))
                else:
                    out[path] = child
                if len(out) + len(stack) > limit:
                    return None
        return out
    except (OSError, ValueError, UnicodeDecodeError, zlib.error):
        return None


def _loose_object(git_dir: str, sha: str, kind: bytes) -> bytes | None:
    if not re.fullmatch(r"[0-9a-f]{40}", sha):
        return None
    try:
        with open_regular(os.path.join(git_dir, "objects", sha[:2], sha[2:])) as fh:
            raw = zlib.decompressobj().decompress(fh.read(16 << 20), 16 << 20)
    except FileNotFoundError:
        return None
    header, _, body = raw.partition(b"\0")
    return body if header.split(b" ")[0] == kind else None


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    """git's offset varint (index v4 path prefix lengths)."""
    byte = data[pos]
    value = byte & 0x7F
    pos += 1
    while byte & 0x80:
        byte = data[pos]
        value = ((value + 1) << 7) | (byte & 0x7F)
        pos += 1
    return value, pos
