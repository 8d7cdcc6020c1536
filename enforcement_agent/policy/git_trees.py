"""Which work-tree paths a git command that moves the whole tree would write, read safely.

``git checkout other``, ``git reset --hard other``, ``git merge other``, ``git stash pop``,
``git cherry-pick c``, ``git checkout other -- .`` write every path where their source
differs from the work tree now, and a protected path among them is a protected write (issue
10, class 11). The answer comes from git itself, but never from the agent's repository
configuration (``core.fsmonitor``, filters, hooks, aliases, includes run programs): git runs
against a shadow git directory of ours (a fixed config, no hooks) that borrows only the
repository's object store, a copy of its refs and a copy of its index. The same pattern as
the benchmark harness's merge check (``benchmarks/harness/workdir.py``), which this layer may
not import. Bounded: at most MAX_SOURCES revisions, git processes within the decision's deadline, refs and index copies with size caps.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy.regular_reads import open_regular

if TYPE_CHECKING:
    import subprocess

_TIMEOUT = 10.0
_OUTPUT_LIMIT = 8 << 20
_REF_FILES_LIMIT = 5000
_SMALL = 1 << 20
_INDEX_LIMIT = 64 << 20
# Revisions one command may bring in (`git merge A B C`: an octopus of 16 is already rare);
# more is undecidable, not work: every revision costs git processes.
MAX_SOURCES = 16
_T = TypeVar("_T")
# A revision as a user types it (no leading '-': never an option; no whitespace).
_REV = lazy_compile(r"[A-Za-z0-9_@][A-Za-z0-9_./@{}~^:+-]*\Z")
_HEX = lazy_compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?\Z")
# `REV:./sub`, `REV:../x`: a tree path git resolves from the command's folder, which the
# shadow repository has not got.
_RELATIVE_TREE_PATH = lazy_compile(r":\.\.?(?:/|\Z)")
_SPECIAL_HEADS = ("ORIG_HEAD", "FETCH_HEAD", "MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD")


class Changes(NamedTuple):
    paths: tuple[str, ...]  # repository-relative paths the command may write
    problem: str  # why they cannot be known ("" when they can)


class Source(NamedTuple):
    """What a command writes into the work tree.

    kind: ``tree`` (a commit's whole tree: every path where it differs from the work tree),
    ``index`` (the index's content), ``commit`` (the paths a commit or a range changes:
    cherry-pick, revert), ``stash`` (what a stash entry holds), ``guess`` (``git switch NAME``:
    NAME, or a remote branch of that name).
    """

    kind: str
    rev: str = ""


def looks_like_rev(text: str) -> bool:
    """Whether ``text`` can be a revision this module resolves (never an option)."""
    return _REV.match(text) is not None


def current_branch(repo: str) -> str | None:
    """The branch ``repo``'s HEAD names ("" when HEAD is detached; None: unreadable)."""
    head = _small_file(os.path.join(repo, ".git", "HEAD"), 4096)
    if head is None:
        return None
    text = head.decode("ascii", "replace").strip()
    if text.startswith("ref: refs/heads/") and ".." not in text:
        return text.removeprefix("ref: refs/heads/")
    return "" if _HEX.match(text) else None


# Where a revision's ref name ends (`main~2`, `main^{tree}`, `main:path`, `main@{1}`).
_REF_END = lazy_compile(r"[~^:@]")


def independent_of_head(source: Source, branch: str) -> bool:
    """Whether ``source`` names the same commit before and after a commit on ``branch``
    (which moves ``branch`` and HEAD only): no HEAD, `@`, `-`, reflog or that branch."""
    if source.kind in ("index", "stash"):
        return True  # a commit leaves the stash alone and the index closer to the work tree
    rev = source.rev
    if not rev or rev == "-" or "@" in rev or "HEAD" in rev:
        return False
    name = _REF_END.split(rev, 1)[0]
    if not branch:
        return True  # detached: only HEAD moves
    return name not in (branch, f"heads/{branch}", f"refs/heads/{branch}")


def _real_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _small_file(path: str, limit: int = _SMALL) -> bytes | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
        return None
    try:
        with open_regular(path) as fh:
            return fh.read(limit + 1)
    except OSError:
        return None


def is_repository(repo: str) -> bool | None:
    """True: a repository git would use; False: a ``.git`` git would refuse (no HEAD, no
    objects); None: no ``.git`` directory at all (git would look above the workspace)."""
    git_dir = os.path.join(repo, ".git")
    if not os.path.lexists(git_dir):
        return None
    return (
        _real_dir(git_dir)
        and _real_dir(os.path.join(git_dir, "objects"))
        and _small_file(os.path.join(git_dir, "HEAD")) is not None
    )


def _copy_refs(git_dir: str, shadow: str) -> str:
    """HEAD, packed-refs, loose refs and the stash log into ``shadow``; the object format."""
    fmt = "sha1"
    head = _small_file(os.path.join(git_dir, "HEAD"), 4096) or b""
    text = head.decode("ascii", "replace").strip()
    if not (text.startswith("ref: refs/") and ".." not in text) and not _HEX.match(text):
        raise OSError("HEAD is neither a branch nor a commit")
    with open(os.path.join(shadow, "HEAD"), "wb") as fh:
        fh.write(head)
    for name in ("packed-refs", *_SPECIAL_HEADS):
        data = _small_file(os.path.join(git_dir, name))
        if data is not None:
            with open(os.path.join(shadow, name), "wb") as fh:
                fh.write(data)
    count = 0
    refs = os.path.join(git_dir, "refs")
    for directory, _dirs, files in os.walk(refs):  # os.walk does not follow links
        rel = os.path.relpath(directory, git_dir)
        os.makedirs(os.path.join(shadow, rel), exist_ok=True)
        for f in files:
            count += 1
            if count > _REF_FILES_LIMIT:
                raise OSError(f"more than {_REF_FILES_LIMIT} refs")
            data = _small_file(os.path.join(directory, f), 4096)
            if data is None:
                continue
            value = data.decode("ascii", "replace").strip()
            if len(value) == 64 and _HEX.match(value):
                fmt = "sha256"
            with open(os.path.join(shadow, rel, f), "wb") as fh:
                fh.write(data)
    if len(text) == 64:
        fmt = "sha256"
    for log in (("logs", "refs", "stash"), ("logs", "HEAD")):  # stash@{n}, @{-1} (`-`)
        data = _small_file(os.path.join(git_dir, *log), 4 * _SMALL)
        if data is not None:
            os.makedirs(os.path.join(shadow, *log[:-1]), exist_ok=True)
            with open(os.path.join(shadow, *log), "wb") as fh:
                fh.write(data)
    return fmt


def work_tree_changes(repo: str, sources: list[Source], deadline: float) -> Changes:
    """The repository-relative paths the ``sources`` would write into ``repo``'s work tree
    (a superset: every path where a source differs from the work tree now).

    ``deadline`` (time.monotonic()) bounds every git process of the call together: the
    decision's own budget, not a timeout per process (one process per revision adds up).
    """
    if len(sources) > MAX_SOURCES:
        return Changes((), f"more than {MAX_SOURCES} revisions to compare")
    for s in sources:
        if s.rev and not _REV.match(s.rev):
            return Changes((), f"{s.rev!r} is not a revision policy can read")

    def run(git: _Git) -> Changes:
        paths: list[str] = []
        for s in sources:
            found = _source_paths(s, git)
            if isinstance(found, str):
                return Changes((), found)
            paths.extend(found)
        return Changes(tuple(dict.fromkeys(paths)), "")

    return _in_shadow(repo, deadline, run, lambda problem: Changes((), problem))


# Commits a history listing walks at most: a longer history is undecidable, not work.
HISTORY_COMMITS = 20000


# history_names answers by the refs' content: objects never change, so the same refs (and
# reflogs) hold the same history. A few repositories, for a long-lived gateway process.
_HISTORY_CACHE: dict[tuple[str, str], Changes] = {}
_HISTORY_CACHE_SIZE = 32


def _refs_fingerprint(git_dir: str) -> str | None:
    """A digest of what history reachability depends on (HEAD, refs, packed-refs, the reflogs
    the shadow copies); None when it cannot be read within the shadow's own limits."""
    import hashlib

    h = hashlib.sha256()
    names = [
        "HEAD",
        "packed-refs",
        os.path.join("logs", "HEAD"),
        os.path.join("logs", "refs", "stash"),
    ]
    count = 0
    for directory, dirs, files in os.walk(os.path.join(git_dir, "refs")):
        dirs.sort()
        for f in sorted(files):
            count += 1
            if count > _REF_FILES_LIMIT:
                return None
            names.append(os.path.relpath(os.path.join(directory, f), git_dir))
    for name in names:
        data = _small_file(os.path.join(git_dir, name), 4 * _SMALL)
        h.update(name.encode("utf-8", "surrogateescape") + b"\0")
        h.update(b"-" if data is None else data)
        h.update(b"\0")
    return h.hexdigest()


def history_names(repo: str, deadline: float) -> Changes:
    """Every path any commit reachable from a ref, HEAD's reflog or the stash ever added or
    changed (bounded: HISTORY_COMMITS commits; a longer history is a problem, not a guess).
    What `git log -p`, `git show REV`, `git grep PATTERN REV` can print from history."""
    fingerprint = _refs_fingerprint(os.path.join(repo, ".git"))
    key = (os.path.realpath(repo), f"{fingerprint}:{HISTORY_COMMITS}")
    if fingerprint is not None and key in _HISTORY_CACHE:
        return _HISTORY_CACHE[key]
    found = _history_names(repo, deadline)
    if fingerprint is not None and not found.problem:
        if len(_HISTORY_CACHE) >= _HISTORY_CACHE_SIZE:
            _HISTORY_CACHE.pop(next(iter(_HISTORY_CACHE)))
        _HISTORY_CACHE[key] = found
    return found


def _history_names(repo: str, deadline: float) -> Changes:
    def run(git: _Git) -> Changes:
        count = git("rev-list", "--count", "--all", "--reflog")
        text = count.stdout.decode("ascii", "replace").strip()
        if count.returncode != 0 or not text.isdigit():
            return Changes((), "git cannot count the repository's commits now")
        if int(text) > HISTORY_COMMITS:
            return Changes((), f"the history holds more than {HISTORY_COMMITS} commits")
        out = git(
            "log", "--all", "--reflog", "--format=", "--name-only", "-z", "--no-renames",
            "-m", "--diff-filter=AMT", "--no-ext-diff", "--no-textconv",
        )  # fmt: skip
        if out.returncode != 0:
            return Changes((), "git cannot list the repository's history now")
        return Changes(tuple(dict.fromkeys(_names(out))), "")

    return _in_shadow(repo, deadline, run, lambda problem: Changes((), problem))


_KINDS = ("blob", "tree", "commit", "tag")


def object_kinds(repo: str, revs: list[str], deadline: float) -> list[tuple[str, str]] | str:
    """(full id, ``blob``/``tree``/``commit``/``tag``) of each revision in ``revs``, in order
    (one shadow; ("", "") for one that does not resolve now: git fails on it, unless another
    command creates it first, which the caller decides); the problem (str) when the
    repository cannot be read. A word git would not read as a revision resolves to nothing."""

    def run(git: _Git) -> list[tuple[str, str]] | str:
        found: list[tuple[str, str]] = []
        for rev in revs:
            sha = kind = ""
            if _REV.match(rev):
                out = git("rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{object}")
                sha = out.stdout.decode("ascii", "replace").strip()
                if out.returncode == 0 and _HEX.match(sha):
                    kind = git("cat-file", "-t", sha).stdout.decode("ascii", "replace").strip()
            found.append((sha, kind) if kind in _KINDS else ("", ""))
        return found

    def failed(problem: str) -> list[tuple[str, str]] | str:
        return problem

    return _in_shadow(repo, deadline, run, failed)


def _in_shadow(
    repo: str,
    deadline: float,
    run: Callable[[_Git], _T],
    failed: Callable[[str], _T],
) -> _T:
    """``run`` with git against a shadow directory that borrows ``repo``'s objects, a copy
    of its refs and index, and none of its configuration; ``failed(problem)`` otherwise."""
    # Imported here: a hook process deciding anything but a git tree move never needs them.
    import shutil
    import subprocess
    import tempfile

    git_dir = os.path.join(repo, ".git")
    if shutil.which("git") is None:
        return failed("git is not installed where the policy runs")
    try:
        with tempfile.TemporaryDirectory(prefix="gonogo-git-") as tmp:
            shadow = os.path.join(tmp, "git")
            os.makedirs(os.path.join(shadow, "refs", "heads"))
            fmt = _copy_refs(git_dir, shadow)
            with open(os.path.join(shadow, "config"), "w", encoding="ascii") as fh:
                fh.write(
                    "[core]\n\trepositoryformatversion = 1\n\tbare = false\n"
                    f"[extensions]\n\tobjectformat = {fmt}\n"
                )
            index = _small_file(os.path.join(git_dir, "index"), _INDEX_LIMIT)
            if index is not None:
                with open(os.path.join(shadow, "index"), "wb") as fh:
                    fh.write(index)
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "HOME": tmp,
                "LC_ALL": "C",
                "GIT_DIR": shadow,
                "GIT_WORK_TREE": repo,
                "GIT_OBJECT_DIRECTORY": os.path.join(git_dir, "objects"),
                "GIT_INDEX_FILE": os.path.join(shadow, "index"),
                "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_CONFIG_GLOBAL": os.devnull,
                "GIT_ATTR_NOSYSTEM": "1",
                "GIT_NO_REPLACE_OBJECTS": "1",
                "GIT_OPTIONAL_LOCKS": "0",
                "GIT_TERMINAL_PROMPT": "0",
                "GIT_NO_LAZY_FETCH": "1",
            }
            return run(_Git(env, tmp, deadline))
    except subprocess.TimeoutExpired:
        return failed("the time budget of one decision ran out reading the repository")
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError) as exc:
        return failed(f"the repository cannot be read now ({type(exc).__name__}: {exc})")


class _Git:
    """git against the shadow directory, every process within one shared deadline."""

    def __init__(self, env: dict[str, str], cwd: str, deadline: float) -> None:
        self.env, self.cwd, self.deadline = env, cwd, deadline

    def __call__(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        import subprocess
        import time

        left = min(_TIMEOUT, self.deadline - time.monotonic())
        if left <= 0:
            raise subprocess.TimeoutExpired(["git", *args[:1]], 0)
        out = subprocess.run(
            ["git", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", *args],
            env=self.env,
            cwd=self.cwd,
            capture_output=True,
            timeout=left,
            check=False,
        )
        if len(out.stdout) > _OUTPUT_LIMIT:
            raise OSError("git printed more than the policy reads")
        return out


def _names(out: subprocess.CompletedProcess[bytes]) -> list[str]:
    return [n.decode("utf-8", "surrogateescape") for n in out.stdout.split(b"\0") if n]


def _commit(git: _Git, rev: str) -> str | None:
    out = git("rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}")
    sha = out.stdout.decode("ascii", "replace").strip()
    return sha if out.returncode == 0 and _HEX.match(sha) else None


def _tree(git: _Git, rev: str) -> str | None:
    """The tree ``rev`` names when it is a tree-ish but no commit (`main^{tree}`, `main:`,
    `main:sub`): `checkout`/`restore` with paths take it as their source as they take a
    commit (forty-fourth pass: such a source was read as "no such revision" and allowed)."""
    if ":" not in rev:  # `^{tree}` peels a tag too (a tag of a tree: `git tag t main^{tree}`)
        out = git("rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{tree}")
        sha = out.stdout.decode("ascii", "replace").strip()
        return sha if out.returncode == 0 and _HEX.match(sha) else None
    # After `:` the rest is a path (`main:sub^{tree}` is the path `sub^{tree}`): resolve it
    # as it is and ask for its kind.
    out = git("rev-parse", "--verify", "--quiet", "--end-of-options", rev)
    sha = out.stdout.decode("ascii", "replace").strip()
    if out.returncode != 0 or not _HEX.match(sha):
        return None
    kind = git("cat-file", "-t", sha)
    return sha if kind.returncode == 0 and kind.stdout.strip() in (b"tree", b"commit") else None


def _missing(rev: str) -> list[str] | str:
    """A revision the shadow cannot resolve: git fails too ([]; a line whose earlier command
    may create it is refused by the caller first), unless it names something only the real
    repository knows (reflogs, `@{upstream}` from its config): undecidable."""
    if "@{" in rev:
        return f"{rev} needs the repository's reflog or configuration to resolve"
    if _RELATIVE_TREE_PATH.search(rev):
        return f"{rev} names a tree relative to the command's folder"
    return []


def _source_paths(s: Source, git: _Git) -> list[str] | str:
    """Paths one source writes; [] when the command would fail first (no such revision)."""
    diff = ("-z", "--name-only", "--no-renames", "--no-ext-diff", "--no-textconv")
    if s.kind == "index":
        out = git("diff", *diff)
        return _names(out) if out.returncode == 0 else "git cannot compare the index now"
    if s.kind == "guess":
        sha = _commit(git, s.rev)
        if sha is None:
            out = git("for-each-ref", "--format=%(objectname)", f"refs/remotes/*/{s.rev}")
            shas = out.stdout.decode("ascii", "replace").split()
            if not shas:
                return _missing(s.rev)  # no such branch: git fails
            names: list[str] = []
            for sha in shas[:8]:
                found = _source_paths(Source("tree", sha), git)
                if isinstance(found, str):
                    return found
                names.extend(found)
            return names
        return _source_paths(Source("tree", sha), git)
    if s.kind == "tree":
        sha = _commit(git, s.rev) or _tree(git, s.rev)
        if sha is None:
            return _missing(s.rev)  # no such revision: the command fails
        out = git("diff", *diff, sha)
        return _names(out) if out.returncode == 0 else f"git cannot compare {s.rev} now"
    if s.kind == "commit":
        if ".." in s.rev:
            out = git("log", "--format=", "-m", "--max-count=1000", *diff, s.rev)
        else:
            sha = _commit(git, s.rev)
            if sha is None:
                return _missing(s.rev)
            out = git("diff-tree", "-r", "-m", "--root", *diff, sha)
        return _names(out) if out.returncode == 0 else f"git cannot list what {s.rev} changes"
    if s.kind == "stash":
        sha = _commit(git, s.rev)
        if sha is None:
            # No such entry now: the command fails, or pops one an earlier command of the
            # same line stores (`git stash && … && git stash pop`: the caller decides).
            return []
        out = git("diff-tree", "-r", *diff, sha + "^1", sha)
        if out.returncode != 0:
            return f"git cannot read the stash {s.rev}"
        names = _names(out)
        untracked = _commit(git, sha + "^3")
        if untracked is not None:
            listed = git("ls-tree", "-r", "-z", "--name-only", untracked)
            names += _names(listed)
        return names
    return f"unknown source {s.kind}"
