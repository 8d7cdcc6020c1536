"""Which git commands print the contents of files from git's own objects (issue 10, class 9).

A secret file that git holds (tracked in the index or HEAD, or stashed with its untracked
files) reaches the output through a patch or a file dump without its name being an argument:
``git show``, ``git log -p``, ``git diff HEAD~1``, ``git format-patch --stdout``,
``git stash show -p -u``. These helpers read git's argv only; the evaluator decides with the
names git holds now. History where a secret was committed and later removed is not looked at.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.policy import fnmatch_linear
from enforcement_agent.policy.globs import MAX_GLOB_COMPONENT
from enforcement_agent.policy.shell import TooComplex, charge

# Options after which a patch-printing command prints no file contents.
_NO_CONTENT = frozenset(
    "-s --no-patch --stat --numstat --shortstat --name-only --name-status --raw --summary "
    "--dirstat --compact-summary --quiet --exit-code -q".split()
)
# Options that read the contents of the files a diff covers, whatever else it prints
# (a thirty-seventh red-team pass): `--check` prints every added line with a whitespace
# error (`git log --check` printed a committed `.env`'s `TOKEN=… ` line), and the pickaxe
# (`-S`, `-G`) and `-I`/`--ignore-matching-lines` make which commits, names or counts are
# printed depend on the lines (`git log -G 'TOKEN=a' --oneline` is an oracle for the secret,
# one guess at a time). Short ones take their value attached or as the next word.
_READS_LINES_LONG = frozenset({"--check", "--ignore-matching-lines"})
_READS_LINES_SHORT = ("-S", "-G", "-I")


def _reads_lines(flags: list[str]) -> bool:
    return any(f in _READS_LINES_LONG or f.startswith(_READS_LINES_SHORT) for f in flags)


# Options that make log-like commands print patches (`--binary` and `--remerge-diff` imply
# --patch: `git log --binary` printed a committed `.env`, a twelfth red-team pass).
_PATCH = frozenset(
    "-p -u --patch --cc -c --patch-with-stat --patch-with-raw --full-diff --binary "
    "--remerge-diff".split()
)
_ALWAYS_CONTENT = frozenset({"show", "format-patch", "archive", "diff", "difftool", "range-diff"})
# (the plumbing diffs print patches with -p/-U too: third red-team pass)
_PATCH_ON_REQUEST = frozenset(
    {"log", "whatchanged", "reflog", "diff-tree", "diff-index", "diff-files"}
)
# `git stash` options that take the untracked (-u) or also the ignored (-a) files along.
_STASH_UNTRACKED = frozenset({"-u", "--include-untracked", "-a", "--all", "--only-untracked"})
_STASH_SHORT = "kpquaS"
_STASH_ACTIONS = frozenset(
    "push save show pop apply list drop clear branch create store".split()
)  # short options of stash push that may be bundled (`-ua`)


def _flags(rest: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for t in rest:
        if t == "--":
            break
        if t.startswith("-"):
            out.append(t.partition("=")[0])
    return out


# Subcommands that print a patch of the work tree or index when asked to (`git add -p` shows
# the first hunk before it reads an answer; `git status -v` the staged diff; `git commit -v
# --dry-run` both), found printing a tracked `.env` in a third red-team pass.
_PATCH_MODES = frozenset({"-p", "--patch", "-i", "--interactive", "-e", "--edit"})
_INTERACTIVE = frozenset({"add", "checkout", "reset", "restore", "stash", "commit"})
# `git cat-file` modes that print an object's content (not its type, size or existence)
_CAT_FILE_CONTENT = frozenset(
    "-p blob tree commit tag --textconv --filters --batch --batch-command "
    "--batch-all-objects".split()
)


def prints_contents(sub: str, rest: tuple[str, ...]) -> bool:
    """Whether ``git SUB REST`` may print the contents of files git holds."""
    flags = _flags(rest)
    if sub in _INTERACTIVE and any(
        f in _PATCH_MODES or (f[1:2] != "-" and "p" in f[1:]) for f in flags
    ):
        return True
    if sub == "status" and any(f in ("-v", "--verbose") or f.startswith("-vv") for f in flags):
        return True
    if sub == "commit" and any(f in ("-v", "--verbose") for f in flags):
        return True
    if sub in ("blame", "annotate"):
        return True  # every line of the file, as committed
    if sub == "cat-file":
        return any(t.partition("=")[0] in _CAT_FILE_CONTENT for t in rest)
    if sub == "stash":
        action = next((t for t in rest if not t.startswith("-")), "")
        if action != "show":
            return False
        return any(f in ("-p", "--patch") or f in _STASH_UNTRACKED for f in flags)
    if (sub in _ALWAYS_CONTENT or sub in _PATCH_ON_REQUEST) and _reads_lines(flags):
        return True
    if sub in _ALWAYS_CONTENT:
        if sub == "format-patch" or sub == "archive":
            return True
        return not any(f in _NO_CONTENT for f in flags) or any(f in _PATCH for f in flags)
    if sub in _PATCH_ON_REQUEST:
        return any(
            f in _PATCH
            or f == "--unified"
            or (f.startswith("-") and f[1:2] != "-" and ("p" in f or "u" in f or "U" in f))
            for f in flags
        )
    return False


def stash_takes_untracked(sub: str, rest: tuple[str, ...]) -> bool:
    """``git stash [push|save] -u/-a`` reads every untracked (-a: and ignored) file."""
    if sub != "stash":
        return False
    words = [t for t in rest if not t.startswith("-")]
    if words and words[0] in _STASH_ACTIONS and words[0] not in ("push", "save"):
        return False
    for f in _flags(rest):
        if f in _STASH_UNTRACKED:
            return True
        if f[1:2] != "-" and set(f[1:]) <= set(_STASH_SHORT) and ("u" in f or "a" in f):
            return True
    return False


def names_stash(sub: str, rest: tuple[str, ...]) -> bool:
    """Whether the command may print a stash's commits (`stash^3` holds its untracked files)."""
    if sub == "stash":  # `stash show` prints the untracked files only when asked to
        words = [t for t in rest if not t.startswith("-")]
        return words[:1] == ["show"] and any(f in _STASH_UNTRACKED for f in _flags(rest))
    if sub not in _ALWAYS_CONTENT and sub not in _PATCH_ON_REQUEST:
        return False
    flags = _flags(rest)
    if any(f in ("--all", "-g", "--walk-reflogs", "--reflog", "--glob") for f in flags):
        return True
    return any("stash" in t for t in rest if not t.startswith("-"))


def pathspecs(rest: tuple[str, ...], is_path: Callable[[str], bool]) -> list[str]:
    """The pathspecs of a git command: every word after ``--``, else the operands that name
    an existing path (git takes those as paths, the others as revisions)."""
    if "--" in rest:
        return list(rest[rest.index("--") + 1 :])
    return [t for t in rest if not t.startswith("-") and is_path(t)]


_EXCLUDE = (":!", ":^", ":(exclude)")


def excludes(rel: str, specs: list[str], prefix: str) -> bool:
    """Whether ``specs`` (taken in repository directory ``prefix``) leave out ``rel``: no
    positive pathspec matches it, or an exclusion does. Unknown magic excludes nothing."""

    def match(spec: str) -> bool | None:
        if spec.startswith(":(top)") or spec.startswith(":/"):
            spec, base = spec.split(")", 1)[1] if spec.startswith(":(") else spec[2:], ""
        elif spec.startswith(":"):
            return None  # other magic (icase, attr, literal …): cannot tell
        else:
            base = prefix
        if "\\" in spec or "[^" in spec or "[[" in spec:
            # wildmatch's escapes, `[^…]` and `[[:class:]]`, which fnmatch reads as characters:
            # `git log -p -- '.e\nv'` printed a committed .env (viewer; a thirty-fifth pass)
            return None
        full = os.path.normpath(os.path.join(base, spec)) if spec else base or "."
        if full in (".", ""):
            return True
        if rel == full or rel.startswith(full + "/"):
            return True
        if len(full) > MAX_GLOB_COMPONENT:  # compiling it could not be interrupted
            raise TooComplex(f"a pathspec longer than {MAX_GLOB_COMPONENT} characters")
        charge(len(full))
        return fnmatch_linear.fnmatchcase(rel, full)

    positive = [s for s in specs if not s.startswith(_EXCLUDE)]
    negative = [s[len(p) :] for s in specs for p in _EXCLUDE if s.startswith(p)]
    for spec in negative:
        if match(spec) is True:
            return True
    if not positive:
        return False
    results = [match(s) for s in positive]
    if any(r is None for r in results):
        return False
    return not any(results)


def blob_ids(contents: list[bytes]) -> frozenset[str]:
    """git's object ids (SHA-1 and SHA-256) of files with these contents: a secret's blob
    is named by its id as well as by its path (`git cat-file -p c6682b4`)."""
    import hashlib

    out: set[str] = set()
    for data in contents:
        header = b"blob %d\0" % len(data)
        out.add(hashlib.sha1(header + data, usedforsecurity=False).hexdigest())
        out.add(hashlib.sha256(header + data).hexdigest())
    return frozenset(out)


_HEX_WORD = lazy_compile(r"[0-9a-fA-F]{4,64}")


def names_blob(word: str, ids: frozenset[str]) -> str:
    """The id in ``ids`` that a revision word (`c6682b4`, `c6682b4^{blob}`, `--batch` input
    aside) abbreviates, or ""."""
    head = _HEX_WORD.match(word.partition("=")[2] if word.startswith("-") else word)
    if head is None:
        return ""
    prefix = head.group(0).lower()
    return next((i for i in ids if i.startswith(prefix)), "")


# ---- which secret files `git add` would stage ------------------------------------------------
_ADD_ALL = frozenset({"-A", "--all", "--no-ignore-removal"})
_ADD_TRACKED_ONLY = frozenset({"-u", "--update"})
_ADD_VALUES = frozenset({"--chmod", "--pathspec-from-file"})
_EMPTY_GIT_DIR: list[str] = []


def add_pathspecs(rest: tuple[str, ...]) -> list[str] | None:
    """The pathspecs `git add REST` stages untracked files from; None when it stages no new
    file (`-u`, `-n`, `--refresh`, no pathspec and no `-A`)."""
    specs: list[str] = []
    everything = False
    after = False
    for t in rest:
        if after:
            specs.append(t)
        elif t == "--":
            after = True
        elif t.startswith("--"):
            head = t.partition("=")[0]
            if head in ("--update", "--dry-run", "--refresh", "--renormalize"):
                return None
            everything = everything or head in _ADD_ALL
        elif t.startswith("-") and len(t) > 1:
            letters = set(t[1:])
            if letters & {"u", "n"}:
                return None
            everything = everything or "A" in letters
        else:
            specs.append(t)
    if specs:
        return specs
    return ["."] if everything else None


def clean_selection(rest: tuple[str, ...]) -> tuple[str, list[str]] | None:
    """What `git clean REST` removes: (`untracked`, `ignored` (-X) or `all` (-x), its
    pathspecs); None when it removes nothing (`-n`, no `-f`, which git refuses by default)."""
    which = "untracked"
    force = False
    specs: list[str] = []
    after = False
    skip = False
    for t in rest:
        if skip:
            skip = False
            continue
        if after or not t.startswith("-") or t == "-":
            specs.append(t)
        elif t == "--":
            after = True
        elif t.startswith("--"):
            head = t.partition("=")[0]
            if head in ("--dry-run",):
                return None
            force = force or head == "--force"
            skip = head == "--exclude" and "=" not in t
        else:
            for j, c in enumerate(t[1:], 1):
                if c == "n":
                    return None
                force = force or c == "f"
                which = {"x": "all", "X": "ignored"}.get(c, which)
                if c == "e":
                    skip = j == len(t) - 1
                    break
    return (which, specs) if force else None


def not_ignored(root: str, rels: list[str], timeout: float = 5.0) -> list[str] | None:
    """The paths in ``rels`` (relative to the work tree ``root``) that no .gitignore of the
    work tree ignores, asked of git itself; None when git cannot tell.

    git runs with an empty git directory of ours and no system or global configuration, so
    nothing the repository configures (filters, fsmonitor, hooks) runs; the repository's own
    `.git/info/exclude` is not read, which only makes fewer paths ignored (fail closed)."""
    import subprocess
    import tempfile

    if not rels:
        return []
    if not _EMPTY_GIT_DIR:
        d = tempfile.mkdtemp(prefix="gonogo-ignore-")
        try:
            subprocess.run(
                ["git", "init", "-q", "--bare", d],
                capture_output=True,
                timeout=timeout,
                check=True,
                env=_GIT_ENV,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        _EMPTY_GIT_DIR.append(d)
    try:
        out = subprocess.run(
            ["git", f"--git-dir={_EMPTY_GIT_DIR[0]}", f"--work-tree={root}", "check-ignore",
             "--no-index", "-z", "--stdin"],
            input=b"".join(r.encode("utf-8", "surrogateescape") + b"\0" for r in rels),
            capture_output=True,
            timeout=timeout,
            check=False,
            cwd=root,
            env=_GIT_ENV,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode not in (0, 1):
        return None
    ignored = {p.decode("utf-8", "surrogateescape") for p in out.stdout.split(b"\0") if p}
    return [r for r in rels if r not in ignored]


_GIT_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": "/nonexistent",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
}
