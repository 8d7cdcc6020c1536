"""Which git commands print file contents from history, read from git's argv only.

A secret committed once and removed since is still in history: ``git log -p`` and ``git show``
print the commit that removed it (its lines, with ``-``), ``git show OLD``, ``git diff OLD``,
``git grep PATTERN OLD`` and ``git format-patch`` print it whole, ``git cat-file -p BLOB``
prints it by object id (``git ls-tree -r OLD`` lists the id). The evaluator checks such
commands against every path history holds (``git_trees.history_names``, bounded) as well as
the names git holds now, and asks what an object named by id is (``git_trees.object_kinds``):
a blob by id may be any file's content (a dangling blob of an old ``.env``), so printing one
is undecidable, and a secret file's own blob is a read of that secret.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from enforcement_agent.lazy_regex import lazy_compile

# grep options that take a value as the next word (programs/git.yaml), and those that give
# the pattern (then every operand is a revision or a path).
_GREP_VALUES = frozenset(
    {"--max-depth", "-A", "--after-context", "-B", "--before-context", "-C", "--context",
     "--threads", "-f", "-e", "-m", "--max-count"}
)  # fmt: skip
_GREP_PATTERN = frozenset({"-e", "-f"})
# cat-file modes that print an object's contents, and the batch modes that read object names
# from stdin and print contents.
_CAT_CONTENT = frozenset({"-p", "blob", "tree", "commit", "tag"})
_CAT_BATCH = ("--batch", "--batch-command")


def _operands(rest: tuple[str, ...], values: frozenset[str] = frozenset()) -> list[str]:
    """Operands before ``--`` (options and the values of ``values`` options skipped)."""
    out: list[str] = []
    i = 0
    while i < len(rest):
        t = rest[i]
        if t == "--":
            break
        if t in values:
            i += 2
            continue
        if not t.startswith("-"):
            out.append(t)
        i += 1
    return out


def reads_history(sub: str, rest: tuple[str, ...], is_path: Callable[[str], bool]) -> bool:
    """Whether a content-printing ``git SUB`` may print commits other than the index and
    HEAD's tree: everything but a ``git diff`` without revisions (the work tree against the
    index, or ``--cached``: the index against HEAD, whose names the caller checks anyway)."""
    if sub == "stash":
        return False  # a stash's own commits (the caller checks stashes on their own)
    if sub != "diff":
        return True
    return any(not is_path(t) for t in _operands(rest))


def grep_revisions(rest: tuple[str, ...], is_path: Callable[[str], bool]) -> bool:
    """``git grep PATTERN REV…``: whether it searches (and prints lines of) revisions."""
    if any(t in ("--no-index", "--untracked", "--cached") for t in rest):
        return False
    ops = _operands(rest, _GREP_VALUES)
    if not any(t in _GREP_PATTERN or t.startswith(("-e", "-f")) for t in rest if t != "--"):
        ops = ops[1:]  # the first operand is the pattern
    return any(not is_path(t) for t in ops)


def objects_by_id(
    sub: str, rest: tuple[str, ...], is_path: Callable[[str], bool]
) -> list[str] | None:
    """The objects a git command prints whole when it names them without a path (``REV``, a
    tag, a ref, an id; not ``REV:PATH``, whose path the caller checks): ``git show`` and
    ``git cat-file`` print a blob, ``git diff A B`` compares two blobs (``git diff BLOB
    HEAD:README.md`` prints the blob with ``-``). None when they come from stdin or are every
    object (``cat-file --batch``), which cannot be known."""
    if sub == "cat-file":
        if any(t.startswith(_CAT_BATCH) and not t.startswith("--batch-check") for t in rest):
            return None
        ops = _operands(rest)
        if not any(t in _CAT_CONTENT for t in rest):
            return []  # -t, -s, -e: no contents
        return [t for t in ops if t not in _CAT_CONTENT and ":" not in t]
    if sub == "show":
        return [t for t in _operands(rest) if ":" not in t]
    if sub == "diff" and "--no-index" not in rest:
        found: list[str] = []
        for t in _operands(rest):
            parts = [p for p in re.split(r"\.\.\.?", t) if p]
            if is_path(t) or (len(parts) == 1 and ":" in t):
                continue  # a path, or REV:PATH (its path is checked as such)
            found.extend(parts)  # `BLOB..HEAD:README.md` compares two blobs too
        return found
    return []


# ref-filter formats (`for-each-ref`, `branch`, `tag`, `verify-tag`) print an object's raw
# content with %(raw) and the object a tag points at with %(*raw): a tag on a blob prints it
# (a fourth red-team pass: `git tag t BLOB && git tag --format='%(raw)' -l`).
_RAW_ATOM = lazy_compile(r"%\(\*?raw(?!:size\))", re.IGNORECASE)
_REF_FORMATS = frozenset({"for-each-ref", "branch", "br", "tag", "verify-tag", "verify-commit"})


def prints_raw_objects(sub: str, rest: tuple[str, ...]) -> bool:
    """Whether a ref-filter format of ``git SUB`` prints objects' raw content."""
    return sub in _REF_FORMATS and any(_RAW_ATOM.search(t) for t in rest)
