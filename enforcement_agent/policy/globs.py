"""Glob patterns compiled once to regular expressions (``**`` crosses ``/``, ``*`` does not)."""

from __future__ import annotations

import re
from functools import lru_cache

from enforcement_agent.policy.shell import TooComplex, Undecidable, charge

# A pattern for one path component longer than this is refused before it is compiled: a
# name is at most 255 bytes, and compiling a 60 KB ``*a*a*…`` (or ``[!a][!a]…``) took
# 5-15 s in the regex compiler, where no work cap can interrupt it.
MAX_GLOB_COMPONENT = 512


@lru_cache(maxsize=4096)
def path_glob(pattern: str, nocase: bool = False) -> re.Pattern[str]:
    """Regex for a workspace-relative path glob: ``**`` any depth, ``*``/``?`` in one component."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z", re.IGNORECASE if nocase else 0)


@lru_cache(maxsize=4096)
def word_glob(pattern: str) -> re.Pattern[str]:
    """Regex for a word glob where ``*`` matches anything and ``|`` separates alternatives."""
    alts = []
    for alt in pattern.split("|"):
        alts.append("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in alt))
    return re.compile("(?:" + "|".join(alts) + r")\Z", re.IGNORECASE | re.S)


# (in a UTF-8 locale bash, find and grep's classes other than digits also hold non-ASCII
# characters: `[[:alpha:]].pem` matches `é.pem`; every such class is read with all of them,
# generously; a thirty-sixth red-team pass)
_NON_ASCII = "\u0080-\U0010ffff"
_POSIX_CLASSES = {
    "alpha": "a-zA-Z" + _NON_ASCII,
    "digit": "0-9",
    "alnum": "a-zA-Z0-9" + _NON_ASCII,
    "upper": "A-Z" + _NON_ASCII,
    "lower": "a-z" + _NON_ASCII,
    "space": r"\s" + _NON_ASCII,
    "blank": r" \t" + _NON_ASCII,
    "punct": r"!-/:-@\[-`{-~" + _NON_ASCII,
    "xdigit": "0-9A-Fa-f",
    "word": r"\w" + _NON_ASCII,
    "print": r" -~" + _NON_ASCII,
    "graph": r"!-~" + _NON_ASCII,
    "cntrl": r"\x00-\x1f\x7f" + _NON_ASCII,
}


def bash_glob(component: str, period: bool = True) -> re.Pattern[str] | None:
    """Regex for one path component of a bash filename pattern, or None when it has no glob.

    With ``period`` (bash without ``dotglob``) ``*`` and ``?`` never match a leading dot;
    ``find -name`` has no such rule (``period=False``). Brackets may match it, which
    over-matches (safe where the result is checked, not trusted). ``[!…]`` and ``[^…]`` negate
    and POSIX classes are understood; a backslash quotes the next character.

    The regex cannot backtrack more than linearly per star: ``*a*a*a*b`` translated naively
    (``[^/]*a[^/]*a…``) backtracks polynomially in the name's length with the number of stars
    (17.5 s for 25 bytes against a 60-character name the agent created itself). Between stars
    each piece has a fixed width, so placing every middle piece at its leftmost occurrence is
    as good as any placement: each is an atomic ``(?>[^/]*?piece)``, only the last piece
    (anchored at the end) is matched by an ordinary search.
    """
    if not any(c in component for c in "*?["):
        return None
    if len(component) > MAX_GLOB_COMPONENT:
        raise TooComplex(f"a filename pattern longer than {MAX_GLOB_COMPONENT} characters")
    charge(len(component))  # a new pattern's compile cannot be interrupted
    return _bash_glob(component, period)


@lru_cache(maxsize=4096)
def _bash_glob(component: str, period: bool) -> re.Pattern[str]:
    out: list[str] = []
    i = 0
    n = len(component)
    while i < n:
        c = component[i]
        if c == "\\" and i + 1 < n:
            out.append(re.escape(component[i + 1]))
            i += 2
            continue
        if c == "*":
            if i == 0 and period:
                out.append("(?!\\.)")
            if not out or out[-1] != _STAR:  # `**` in one component is `*`
                out.append(_STAR)
        elif c == "?":
            out.append("(?!\\.)[^/]" if i == 0 and period else "[^/]")
        elif c == "[":
            j = i + 1
            negate = j < n and component[j] in "!^"
            if negate:
                j += 1
            body: list[str] = []
            if j < n and component[j] == "]":
                body.append(r"\]")
                j += 1
            while j < n and component[j] != "]":
                if component.startswith("[:", j):
                    end = component.find(":]", j + 2)
                    name = component[j + 2 : end] if end > 0 else ""
                    if name in _POSIX_CLASSES:
                        body.append(_POSIX_CLASSES[name])
                        j = end + 2
                        continue
                    if end > 0 and "]" not in name:
                        raise Undecidable(f"a character class bash reads otherwise: [:{name}:]")
                if component.startswith(("[=", "[."), j):
                    # an equivalence class `[=e=]` or a collating symbol `[.e.]` (bash and
                    # fnmatch(3): `.[[=e=]]nv` matches `.env`; read as the characters `[=e=]`
                    # it matched nothing, and `cat .[[=e=]]nv` was allowed: a thirty-fifth
                    # red-team pass). One ASCII character is itself; a named element or
                    # another character's class (`[.hyphen.]`, `[=é=]`) is not decided.
                    close = component[j + 1] + "]"
                    end = component.find(close, j + 2)
                    name = component[j + 2 : end] if end > 0 else ""
                    if end > 0 and len(name) == 1 and name.isascii():
                        body.append(re.escape(name))
                        j = end + 2
                        continue
                    if end > 0:
                        raise Undecidable(
                            f"a collating element bash reads otherwise: {component[j : end + 2]}"
                        )
                ch = component[j]
                if ch == "\\" and j + 1 < n:
                    body.append(re.escape(component[j + 1]))
                    j += 2
                    continue
                body.append("-" if ch == "-" else re.escape(ch))
                j += 1
            if j >= n:  # no closing bracket: a literal `[`
                out.append(re.escape("["))
                i += 1
                continue
            out.append(("[^" if negate else "[") + "".join(body) + "]")
            i = j
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile(_without_backtracking(out) + r"\Z", re.S)


_STAR = "\0*"  # a marker no translated piece contains (they are escaped or classes)


def _without_backtracking(parts: list[str]) -> str:
    """The translated parts joined, each piece between two stars made atomic (see above)."""
    pieces: list[list[str]] = [[]]
    for part in parts:
        if part == _STAR:
            pieces.append([])
        else:
            pieces[-1].append(part)
    if len(pieces) == 1:
        return "".join(pieces[0])
    head, *middle, last = ("".join(p) for p in pieces)
    return head + "".join(f"(?>[^/]*?{m})" for m in middle) + "[^/]*" + last


class GlobSet:
    """Many workspace-relative path globs matched at once, case-insensitively, by component.

    The same language as :func:`path_glob` (``**`` any depth, ``*``/``?`` within a
    component): ``**/NAME``, ``**/NAME/**``, ``**/*.pem``, ``dir/**`` … are indexed by their
    literal components, so a match costs a few set lookups instead of one backtracking regex
    of a hundred alternatives (20-40 µs per path). Patterns outside that shape (``a/**/b``)
    fall back to their regex.
    """

    def __init__(
        self, globs: list[str] | tuple[str, ...], *, except_names: frozenset[str] = frozenset()
    ) -> None:
        # Final components (lower-cased) that never match, whatever pattern would: the
        # policy's ``files.not_secrets`` (committed templates such as `.env.example`).
        self.except_names = frozenset(n.lower() for n in except_names)
        self.patterns = tuple(globs)
        # (anchored at the root, components, open-ended with /**)
        self._closed_by_tail: dict[str, list[tuple[bool, tuple[object, ...]]]] = {}
        self._closed_glob_tail: list[tuple[bool, tuple[object, ...], str]] = []
        self._open_by_head: dict[str, list[tuple[bool, tuple[object, ...]]]] = {}
        self._open_other: list[tuple[bool, tuple[object, ...]]] = []
        self._general: list[re.Pattern[str]] = []
        self._match_all = False
        self._memo: dict[str, bool] = {}
        self._frag_memo: dict[str, bool] = {}
        # The names a closed pattern ends in (`.envrc` of `**/.envrc`), wildcards dropped: a
        # program that makes names from a prefix (split) is checked against them.
        self.file_names: frozenset[str] = frozenset(
            re.sub(r"\[[^]]*\]|[*?]", "", raw.strip("/").rsplit("/", 1)[-1])
            for raw in globs
            if not raw.rstrip("/").endswith("**")
        ) - {""}
        # A literal part every path matching each pattern contains (None: some pattern has
        # none), for a cheap "cannot match" test before the real one.
        frags: set[str] | None = set()
        for raw in globs:
            body = raw.strip("/").removeprefix("**/").removesuffix("/**")
            # Whole components only: a fragment never spans the directory a relative path is
            # taken in and the path itself (`cd .config && cat gcloud/x`).
            longest = max(re.split(r"[*?\[\]/]", body.lower()), key=len)
            if frags is not None:
                if longest:
                    frags.add(longest)
                else:
                    frags = None
        self.fragments: frozenset[str] | None = frozenset(frags) if frags is not None else None
        self.fragment_search = (
            re.compile("|".join(re.escape(f) for f in sorted(frags, key=len, reverse=True))).search
            if frags
            else None
        )
        for raw in globs:
            g = raw.strip("/")
            anchored = not g.startswith("**/") and g != "**"
            body = g[3:] if g.startswith("**/") else g
            open_end = body.endswith("/**")
            if open_end:
                body = body[:-3]
            if g == "**":
                self._match_all = True
                continue
            parts = body.split("/")
            if "**" in parts or any("**" in p for p in parts) or not body:
                self._general.append(path_glob(g, True))
                continue
            comps = tuple(_component(p) for p in parts)
            if open_end:
                head = comps[0]
                if isinstance(head, str):
                    self._open_by_head.setdefault(head, []).append((anchored, comps))
                else:
                    self._open_other.append((anchored, comps))
            else:
                tail = comps[-1]
                if isinstance(tail, str):
                    self._closed_by_tail.setdefault(tail, []).append((anchored, comps))
                else:
                    frag = max(re.split(r"[*?]", parts[-1].lower()), key=len)
                    self._closed_glob_tail.append((anchored, comps, frag))

    def has_fragment(self, text: str) -> bool:
        """Whether ``text`` holds a literal part some pattern needs (memoised, like match)."""
        hit = self._frag_memo.get(text)
        if hit is None:
            if len(self._frag_memo) >= 8192:
                self._frag_memo.clear()
            search = self.fragment_search
            hit = self._frag_memo[text] = search is None or search(text.lower()) is not None
        return hit

    def match(self, rel: str) -> bool:
        """Whether any pattern matches ``rel`` (memoised: a decision asks about the same few
        paths again and again, and the answer depends on the text alone)."""
        hit = self._memo.get(rel)
        if hit is None:
            if len(self._memo) >= 8192:
                self._memo.clear()
            hit = self._memo[rel] = self._match(rel)
        return hit

    def _match(self, rel: str) -> bool:
        comps = rel.lower().split("/")
        if self.except_names and comps[-1] in self.except_names:
            # A template's name exempts the file, never a place: inside a secret directory
            # (`.aws/.env.example`, `.ssh/.env.sample`) it is that directory's secret. A
            # name no closed pattern can match stands for "any file in the parent".
            return len(comps) > 1 and self._match_comps(comps[:-1] + ["\x00"])
        return self._match_comps(comps)

    def _match_comps(self, comps: list[str]) -> bool:
        rel = "/".join(comps)
        if self._match_all:
            return True
        n = len(comps)
        last = comps[-1]
        for anchored, pat in self._closed_by_tail.get(last, ()):
            if _at(comps, pat, n - len(pat), anchored):
                return True
        for anchored, pat, frag in self._closed_glob_tail:
            if frag in last and _at(comps, pat, n - len(pat), anchored):
                return True
        for i, c in enumerate(comps[:-1]):
            for anchored, pat in self._open_by_head.get(c, ()):
                if i + len(pat) < n and _at(comps, pat, i, anchored):
                    return True
        for anchored, pat in self._open_other:
            for i in range(n - len(pat)):
                if _at(comps, pat, i, anchored):
                    return True
        return any(p.match(rel) for p in self._general)


def _component(part: str) -> object:
    """A literal component (lowercased) or a regex for one with `*`/`?`."""
    low = part.lower()
    if "*" not in low and "?" not in low:
        return low
    rx = "".join("[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c) for c in low)
    return re.compile(rx + r"\Z", re.S)


def _at(comps: list[str], pat: tuple[object, ...], start: int, anchored: bool) -> bool:
    if start < 0 or (anchored and start != 0):
        return False
    for k, p in enumerate(pat):
        c = comps[start + k]
        if isinstance(p, str):
            if c != p:
                return False
        elif not p.match(c):  # type: ignore[attr-defined]
            return False
    return True
