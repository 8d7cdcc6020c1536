"""What `python -m MODULE …` runs, read from its words: the module and its arguments, the
files `compileall` writes beside, the folder `http.server` serves."""

from __future__ import annotations


def python_module(texts: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The module `python … -m MODULE REST` runs and REST ("" when it runs none; options
    read as CPython reads them: `-W`/`-X` take a value, `-m` the module, in a cluster the rest
    of it)."""
    k, n = 0, len(texts)
    module = ""
    while k < n and not module:
        t = texts[k]
        if t == "--" or not t.startswith("-") or t.startswith("--") or t == "-":
            return "", ()  # a script, stdin or a long option: not the module
        for j, ch in enumerate(t[1:], 1):
            if ch in "WXm":
                value = t[j + 1 :] or (texts[k + 1] if k + 1 < n else "")
                k += 0 if t[j + 1 :] else 1
                if ch == "m":
                    module = value or "?"
                break
            if ch == "c":
                return "", ()
        k += 1
    return module, texts[k:]


# compileall's options that take a value (CPython 3.11-3.13 `python -m compileall -h`)
_COMPILEALL_VALUES = frozenset({"-r", "-d", "-s", "-p", "-x", "-i", "-j", "-o", "-e"})


def compileall_dirs(texts: tuple[str, ...]) -> list[str] | None:
    """The files and directories `python -m compileall …` compiles, every `*.py` below each
    read (a link to a file is followed: a twenty-fifth red-team pass had `compileall .` print
    the line of the .env `x.py` links to in its SyntaxError). Without one it compiles every
    directory of sys.path, the current one (under `-m`) among them. None: not that module."""
    module, rest = python_module(texts)
    if module != "compileall":
        return None
    starts: list[str] = []
    k = 0
    while k < len(rest):
        t = rest[k]
        if t in _COMPILEALL_VALUES or t == "--invalidation-mode":
            k += 2
            continue
        if not t.startswith("-") or t == "-":
            starts.append(t)
        k += 1
    return starts or ["."]


def compileall_levels(texts: tuple[str, ...]) -> int | None:
    """How many folders deep `python -m compileall …` recurses below each start, read as its
    argparse reads the words (CPython 3.11-3.13): `-l` is 0, `-r N` is N and wins over `-l`
    in any order, short options cluster (`-lq`, `-qr2`), a value may be attached; None:
    without a bound (as without `-l`/`-r`), and for a word it would refuse or read otherwise
    (fail closed: the whole tree). Below 0 is 0 (`_walk_dir` recurses while it is above 0).
    A forty-first red-team pass: `compileall -l .` was refused as if it recursed."""
    module, rest = python_module(texts)
    if module != "compileall":
        return None
    listed: int | None = None
    recursion: int | None = None
    k = 0
    while k < len(rest):
        t = rest[k]
        k += 1
        if t == "--":
            break
        if t.startswith("--"):
            # (the long options take a value, `--workers=N` or `--workers N`; argparse
            # takes an abbreviation too)
            if "=" not in t and t not in ("--hardlink-dupes", "--help"):
                k += 1
            continue
        if not t.startswith("-") or t == "-":
            continue
        for j, ch in enumerate(t[1:], 1):
            if ch in "rdspxijoe":
                value = t[j + 1 :]
                if not value:
                    value = rest[k] if k < len(rest) else ""
                    k += 1
                if ch == "r":
                    try:
                        recursion = max(0, int(value))
                    except ValueError:
                        return None
                break
            if ch == "l":
                listed = 0
            elif ch not in "fqbh":
                return None  # (an option it does not have: argparse refuses the line)
    return recursion if recursion is not None else listed


def http_server_dir(texts: tuple[str, ...]) -> str | None:
    """The directory `python -m http.server …` serves, or None when it is not that module."""
    module, rest = python_module(texts)
    if module != "http.server":
        return None
    served = "."
    for j, r in enumerate(rest):
        head, eq, value = r.partition("=")
        if r == "-d" or (len(head) > 2 and "--directory".startswith(head) and not eq):
            served = rest[j + 1] if j + 1 < len(rest) else served
        elif r.startswith("-d") and len(r) > 2:
            served = r[2:]
        elif eq and len(head) > 2 and "--directory".startswith(head):
            served = value
    return served
