"""The secret files a Claude Code ``Grep`` over a directory reads (issue 10, class 9).

Claude Code runs Grep (ripgrep) on the host, where nothing redacts its output. A Grep whose
path is a directory reads every file below it that its ``glob`` and ``type`` let through; the
policy's file rules see one path, so a secret file the call does not name went unchecked (it
relied on ripgrep skipping hidden and ignored files, which a Grep may turn off). This module
walks the directory (bounded) and returns the first file below it that ``is_secret`` picks
and the filters let through, following the conservative reading everywhere: hidden and
ignored files are read, a ``type`` this table does not know filters nothing, a symlink is
read as its target, and a hard link of a secret is the secret.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator

from enforcement_agent.policy import fnmatch_linear

WALK_LIMIT = 20_000  # entries looked at; past it the Grep is refused (too wide to check)


class TooWide(Exception):
    """The directory holds more entries than a decision may look at."""


# ripgrep's built-in types for the languages an agent greps most (`rg --type-list`); a type
# not listed here narrows nothing (every file counts as read).
_RG_TYPES: dict[str, tuple[str, ...]] = {
    "py": ("*.py", "*.pyi"),
    "python": ("*.py", "*.pyi"),
    "js": ("*.js", "*.jsx", "*.mjs", "*.cjs", "*.vue"),
    "ts": ("*.ts", "*.tsx", "*.cts", "*.mts"),
    "typescript": ("*.ts", "*.tsx", "*.cts", "*.mts"),
    "go": ("*.go",),
    "rust": ("*.rs",),
    "java": ("*.java", "*.jsp", "*.jspx", "*.properties"),
    "c": ("*.[chH]", "*.[chH].in", "*.cats"),
    "cpp": ("*.[ChH]", "*.cc", "*.[ch]pp", "*.[ch]xx", "*.hh", "*.inl"),
    "rb": ("*.rb", "*.gemspec", "Gemfile", ".irbrc", "Rakefile", "config.ru"),
    "ruby": ("*.rb", "*.gemspec", "Gemfile", ".irbrc", "Rakefile", "config.ru"),
    "md": ("*.md", "*.markdown", "*.mdx", "*.mkd", "*.mkdn", "*.mdwn"),
    "markdown": ("*.md", "*.markdown", "*.mdx", "*.mkd", "*.mkdn", "*.mdwn"),
    "json": ("*.json", "composer.lock", "*.sarif"),
    "yaml": ("*.yaml", "*.yml"),
    "toml": ("*.toml", "Cargo.lock"),
    "sh": ("*.sh", "*.bash", "*.zsh", ".bashrc", ".bash_profile", ".zshrc", ".profile"),
    "html": ("*.htm", "*.html", "*.ejs"),
    "css": ("*.css", "*.scss"),
    "sql": ("*.sql", "*.psql"),
    "kotlin": ("*.kt", "*.kts"),
    "swift": ("*.swift",),
    "php": ("*.php", "*.php3", "*.php4", "*.php5", "*.phtml"),
}


def _glob_matches(glob: str, rel: str, generous: bool) -> bool:
    """A gitignore-style glob of ripgrep's ``--glob`` against a path relative to the search
    root: without a slash it matches the name at any depth. ``generous``: `*` and `?` also
    cross `/` (used where a wrong "no" would hide a read)."""
    g = glob.lstrip("/") if glob.startswith("/") else glob
    anchored = "/" in glob.rstrip("/")
    if g.endswith("/"):
        g = g.rstrip("/") + "/**"
    targets = [rel] if anchored else [rel, rel.rsplit("/", 1)[-1]]
    if generous:
        return any(
            fnmatch_linear.fnmatchcase(t, g) or fnmatch_linear.fnmatchcase(t, g.replace("**/", ""))
            for t in targets
        )
    rx = _strict(g)
    return any(rx.fullmatch(t) for t in targets)


def _strict(glob: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(glob):
        c = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = glob.find("]", i + 1)
            if end < 0:
                out.append(re.escape(c))
            else:
                body = glob[i + 1 : end].replace("\\", "\\\\")
                out.append("[^" + body[1:] + "]" if body.startswith("!") else "[" + body + "]")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out), re.S)


def grep_filter(globs: list[str], types: list[str]) -> Callable[[str], bool]:
    """Whether ripgrep with these ``--glob``s and ``--type``s reads the file at ``rel``
    (relative to the search root). Positive globs and types are matched generously,
    negations (``!x``) strictly, so an unclear case counts as read."""
    includes = [g for g in globs if not g.startswith("!")]
    excludes = [g[1:] for g in globs if g.startswith("!")]
    type_globs: list[str] = []
    for t in types:
        known = _RG_TYPES.get(t)
        if known is None:
            return lambda rel: True
        type_globs += known

    def reads(rel: str) -> bool:
        if any(_glob_matches(g, rel, False) for g in excludes):
            # ripgrep: the last matching glob wins; a later include may take it back
            last_ex = max(
                i
                for i, g in enumerate(globs)
                if g.startswith("!") and _glob_matches(g[1:], rel, False)
            )
            if not any(
                i > last_ex and _glob_matches(g, rel, True)
                for i, g in enumerate(globs)
                if not g.startswith("!")
            ):
                return False
        if includes and not any(_glob_matches(g, rel, True) for g in includes):
            return False
        return not type_globs or any(_glob_matches(g, rel, True) for g in type_globs)

    return reads


def _entries(top: str, limit: int) -> Iterator[os.DirEntry[str]]:
    """Every entry under ``top`` that is not a directory (symlinks are not followed); raises
    :class:`TooWide` past ``limit`` entries."""
    seen = 0
    stack = [top]
    while stack:
        d = stack.pop()
        try:
            entries = list(os.scandir(d))
        except OSError:
            continue
        for e in entries:
            seen += 1
            if seen > limit:
                raise TooWide(f"more than {limit} entries under '{top}'")
            try:
                if e.is_dir(follow_symlinks=False):
                    stack.append(e.path)
                    continue
            except OSError:
                continue
            yield e


def secret_under(
    base: str,
    root: str,
    reads: Callable[[str], bool],
    is_secret: Callable[[str], bool],
    limit: int = WALK_LIMIT,
) -> str:
    """The secret file (absolute path) that the first file under the directory ``base`` which
    ``reads`` lets through reaches: itself, the target of a symlink, or the secret anywhere
    under the workspace ``root`` it is a hard link of. ``is_secret`` takes an absolute path.
    Raises :class:`TooWide`."""
    linked: dict[tuple[int, int], str] = {}  # (dev, ino) of files with other hard links
    for e in _entries(base, limit):
        if not reads(os.path.relpath(e.path, base)):
            continue
        if is_secret(e.path):
            return e.path
        try:
            if e.is_symlink():
                target = os.path.realpath(e.path)
                if is_secret(target) and not os.path.isdir(target):
                    return target
                continue
            st = e.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
            linked[(st.st_dev, st.st_ino)] = e.path
    if not linked:
        return ""
    # Only now (a file with other hard links was met) are the workspace's secrets listed.
    for e in _entries(root, limit):
        if not is_secret(e.path):
            continue
        try:
            st = e.stat(follow_symlinks=False)
        except OSError:
            continue
        path = linked.get((st.st_dev, st.st_ino))
        if path is not None and path != e.path:
            return e.path
    return ""
