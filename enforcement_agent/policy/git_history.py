"""Which git commands print file contents from history, read from git's argv only.

A secret committed once and removed since is still in history: ``git log -p`` and ``git show``
print the commit that removed it (its lines, with ``-``), ``git show OLD``, ``git diff OLD``,
``git grep PATTERN OLD`` and ``git format-patch`` print it whole, ``git cat-file -p BLOB``
prints it by object id (``git ls-tree -r OLD`` lists the id). The evaluator checks such
commands against every path history holds (``git_trees.history_names``, bounded) as well as
the names git holds now, and asks what an object named by id is (``git_trees.object_type``):
a blob by id may be any file's content, so printing one is undecidable.
"""

from __future__ import annotations

from collections.abc import Callable

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


def objects_by_id(sub: str, rest: tuple[str, ...]) -> list[str] | None:
    """The objects ``git show``/``git cat-file`` print by name without a path (``REV`` but
    not ``REV:PATH``, whose path the caller checks); None when they come from stdin or are
    every object (``cat-file --batch``), which cannot be known."""
    if sub == "cat-file":
        if any(t.startswith(_CAT_BATCH) and not t.startswith("--batch-check") for t in rest):
            return None
        ops = _operands(rest)
        if not any(t in _CAT_CONTENT for t in rest):
            return []  # -t, -s, -e: no contents
        return [t for t in ops if t not in _CAT_CONTENT and ":" not in t]
    if sub == "show":
        return [t for t in _operands(rest) if ":" not in t]
    return []
