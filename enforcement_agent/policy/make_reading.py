"""What a Makefile's recipes run, read as make reads them: variables (recursive, simple,
target-specific, appended), the functions that compute text (`$(call)`, `$(foreach)`, `$(shell)` …)
and their expansion under a bound on work."""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from enforcement_agent.lazy_regex import lazy_compile

MAKE_ASSIGN = lazy_compile(
    r"^\s*(?:(?:override|export|private)\s+)*([A-Za-z_][\w.-]*)\s*(::?=|:::=|\?=|\+=|!=|=)\s*(.*)$"
)


_MAKE_TARGET_ASSIGN = lazy_compile(
    r"^[^\t#=:$][^#=:]*:\s*(?:(?:override|export|private)\s+)*([A-Za-z_][\w.-]*)\s*"
    r"(?:::?=|\?=|\+=|=)\s*(.*)$"
)


_MAKE_CALL = lazy_compile(r"\$[({]call\s+([A-Za-z_][\w.-]*)\s*(?:,([^()}]*))?[)}]")


MAKE_REF = lazy_compile(r"\$\(([A-Za-z_][\w.-]*)\)|\$\{([A-Za-z_][\w.-]*)\}|\$([A-Za-z_])")


_MAKE_FUNCTIONS = (
    "foreach addprefix addsuffix subst patsubst strip firstword lastword wildcard eval notdir "
    "dir basename sort if or and word wordlist words filter filter-out findstring join suffix "
    "abspath realpath value origin flavor error warning info"
).split()


MAKE_TEXT = 4096  # characters of one expansion, and of a line after each round of it, kept


_MAKE_FUNCTION_CALL = lazy_compile(r"\$([({])(" + "|".join(_MAKE_FUNCTIONS) + r")\s")


def make_automatic(raw: str, rule: list[str]) -> str:
    """A recipe line with `$@`, `$<`, `$^`, `$+` (and `$(@)` spellings) replaced by the
    rule's target and prerequisites."""
    if "$" not in raw or not rule:
        return raw
    values = {"@": rule[0], "<": rule[1] if len(rule) > 1 else "", "^": " ".join(rule[1:])}
    values["+"] = values["^"]
    return re.sub(
        r"\$(?:\(([@<^+])\)|\{([@<^+])\}|([@<^+]))",
        lambda m: values[m.group(1) or m.group(2) or m.group(3)],
        raw,
    )


def _make_function(name: str, args: list[str], branch: int = 1) -> str | None:
    """The value of a GNU make text function over literal arguments; None when it is not
    modelled or an argument is not fixed."""
    if name == "foreach" and len(args) == 3:
        var, items, body = args[0].strip(), args[1].split(), args[2]
        ref = re.compile(rf"\$\({re.escape(var)}\)|\$\{{{re.escape(var)}\}}|\${re.escape(var)}\b")
        parts: list[str] = []
        size = 0
        for item in items[:32]:
            parts.append(ref.sub(item, body[:MAKE_TEXT]))
            size += len(parts[-1])
            if size > MAKE_TEXT:
                break  # (the expansion is cut at MAKE_TEXT: bounded work, DoS caps)
        return " ".join(parts)[:MAKE_TEXT]
    if name == "if" and 2 <= len(args) <= 3 and not any("$" in a for a in args[1:]):
        # either branch may be taken (the condition is not read): the recipe is read with
        # each (`branch`)
        return args[min(branch, len(args) - 1)]
    if name in ("or", "and"):
        # `$(or $(SCRIPT),ci/x.sh)`: its literal value (a variable's is not known here)
        literal = [a for a in args if "$" not in a]
        return literal[0] if literal else None
    if name == "value" and len(args) == 1 and re.fullmatch(r"\s*[A-Za-z_][\w.-]*\s*", args[0]):
        # `$(value NAME)`: NAME's text as written; read expanded, as another round does (a
        # superset: in a recipe make hands `$(X)` to the shell)
        return "$(" + args[0].strip() + ")"
    if any("$" in a for a in args):
        return None
    one = args[0] if args else ""
    if name in ("error", "warning", "info"):
        return ""  # (error stops make; the others print: nothing stays in the line)
    if name in ("origin", "flavor"):
        return "undefined"  # (a word about a variable, never a file name)
    if name in ("filter", "filter-out") and len(args) == 2:
        keep = name == "filter"
        pats = args[0].split()
        return " ".join(w for w in args[1].split() if any(_make_match(p, w) for p in pats) == keep)
    if name == "findstring" and len(args) == 2:
        return args[0] if args[0] in args[1] else ""
    if name == "join" and len(args) == 2:
        a, b = args[0].split(), args[1].split()
        return " ".join(
            (a[k] if k < len(a) else "") + (b[k] if k < len(b) else "")
            for k in range(max(len(a), len(b)))
        )
    if name in ("word", "wordlist") and len(args) == (2 if name == "word" else 3):
        nums = [a.strip() for a in args[:-1]]
        if not all(n.isdigit() and len(n) < 9 for n in nums):
            return None
        words = args[-1].split()
        first = int(nums[0])
        last = first if name == "word" else int(nums[1])
        return " ".join(words[max(first, 1) - 1 : last]) if first else None
    if name in ("addprefix", "addsuffix") and len(args) == 2:
        words = args[1].split()
        return " ".join((one + w) if name == "addprefix" else (w + one) for w in words)
    if name == "subst" and len(args) == 3:
        return args[2].replace(args[0], args[1]) if args[0] else args[2]
    if name == "patsubst" and len(args) == 3:
        pat, rep = args[0].strip(), args[1].strip()
        if "%" not in pat:
            return " ".join(rep if w == pat else w for w in args[2].split())
        head, _, tail = pat.partition("%")
        out = []
        for w in args[2].split():
            if w.startswith(head) and w.endswith(tail) and len(w) >= len(head) + len(tail):
                stem = w[len(head) : len(w) - len(tail)]
                out.append(rep.replace("%", stem, 1) if "%" in rep else rep)
            else:
                out.append(w)
        return " ".join(out)
    words = one.split()
    simple: dict[str, Callable[[], str]] = {
        "strip": lambda: " ".join(words),
        "firstword": lambda: words[0] if words else "",
        "lastword": lambda: words[-1] if words else "",
        "wildcard": lambda: one,
        "eval": lambda: one,
        "sort": lambda: " ".join(sorted(set(words))),
        "notdir": lambda: " ".join(w.rpartition("/")[2] for w in words),
        "dir": lambda: " ".join((w.rpartition("/")[0] or ".") + "/" for w in words),
        "basename": lambda: " ".join(os.path.splitext(w)[0] for w in words),
        "words": lambda: str(len(words)),
        "suffix": lambda: " ".join(os.path.splitext(w)[1] for w in words if "." in w),
        # (make's answer is absolute from where it runs: the name read from there)
        "abspath": lambda: " ".join(words),
        "realpath": lambda: " ".join(words),
    }
    if name in simple and len(args) == 1:
        return simple[name]()
    return None


def _make_match(pattern: str, word: str) -> bool:
    """Whether ``word`` matches a `$(filter …)` pattern (one `%` matches any text)."""
    head, pct, tail = pattern.partition("%")
    if not pct:
        return word == pattern
    return len(word) >= len(head) + len(tail) and word.startswith(head) and word.endswith(tail)


def _make_functions(text: str, branch: int = 1) -> str:
    """``text`` with the innermost calls of the text functions `_make_function` models
    replaced by their values (one pass)."""
    if len(text) > 4 * MAKE_TEXT:
        return text  # (a line past the bound is not expanded: bounded work, DoS caps)
    out: list[str] = []
    i = size = 0
    for _ in range(64):
        m = _MAKE_FUNCTION_CALL.search(text, i)
        if not m:
            break
        depth, j, start = 1, m.end(), m.end()
        commas: list[int] = []
        while j < len(text) and depth:
            c = text[j]
            if c in "({":
                depth += 1
            elif c in ")}":
                depth -= 1
            elif c == "," and depth == 1:
                commas.append(j)
            j += 1
        if depth:
            break
        body = text[start : j - 1]
        bounds = [start - 1, *commas, j - 1]
        args = [text[a + 1 : b] for a, b in zip(bounds, bounds[1:], strict=False)]
        if m.group(2) in ("foreach", "if", "or", "and", "value") or "$" not in body:
            value = _make_function(m.group(2), args if m.group(2) != "eval" else [body], branch)
        else:
            value = None
        out.append(text[i : m.start()])
        size += m.start() - i
        if value is None:
            out.append(text[m.start() : m.end()])
            i = m.end()
            continue
        out.append(value)
        i = j
        size += len(value)
        if size > 2 * MAKE_TEXT:
            break  # (cut: `make_expand` keeps MAKE_TEXT characters anyway)
    out.append(text[i:])
    return "".join(out)[: 2 * MAKE_TEXT + len(text)]


def make_variables(
    lines: list[str], commands: list[str]
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """A Makefile's variables (name → value as written; `+=` appends; a `define … endef`
    block's lines joined with `;`), the values targets give them (`lint: SCRIPT = x`), and,
    into ``commands``, what make runs while reading it: each `$(shell …)`/`${shell …}` (in
    any line, recipes too) and each `NAME != command`."""
    variables: dict[str, str] = {}
    alternatives: dict[str, list[str]] = {}
    block: list[str] | None = None
    block_name = ""
    for line in lines:
        for cmd in _make_shells(line):
            commands.append(cmd)
        if block is not None:
            if re.match(r"^\s*endef\b", line):
                variables[block_name] = " ; ".join(b.strip() for b in block if b.strip())
                block = None
            elif len(block) < 256:
                block.append(line)
            continue
        m = re.match(r"^\s*(?:(?:override|export|private)\s+)*define\s+([A-Za-z_][\w.-]*)", line)
        if m:
            block, block_name = [], m.group(1)
            continue
        if line.startswith("\t"):
            continue
        if re.match(r"^\s*\$[({]eval\s", line):
            # `$(eval X := ci/ev.sh)`: its text is read as a line of the Makefile
            line = _make_functions(make_expand(line.strip(), variables))
        m = _MAKE_TARGET_ASSIGN.match(line)
        if m:
            alternatives.setdefault(m.group(1), []).append(m.group(2).strip())
            continue
        m = MAKE_ASSIGN.match(line)
        if not m or ":" in m.group(1):
            continue
        name, op, value = m.group(1), m.group(2), m.group(3).strip()
        if op == "!=":
            commands.append(value)  # GNU make runs it through the shell
        elif op == "+=" and name in variables:
            variables[name] += " " + value
        elif op != "?=" or name not in variables:
            variables[name] = value
        if len(variables) > 512:
            break
    return variables, alternatives


def _make_shells(line: str) -> list[str]:
    """The commands of the `$(shell …)` calls in ``line`` (parentheses balanced; at most 16).
    Every bracket's partner is found in one pass over the line (each call scanned to its
    close on its own was 16 passes of 240 KB in Python: 2 s, thirty-eighth pass)."""
    # (the index of the call's own bracket, where its command starts)
    calls = [(m.start() + 1, m.end()) for m in re.finditer(r"\$[({]shell\s+", line)][:16]
    if not calls:
        return []
    partner: dict[int, int] = {}
    stacks: dict[str, list[int]] = {"(": [], "{": []}
    for m in re.finditer(r"[(){}]", line):
        c = m.group()
        if c in stacks:
            stacks[c].append(m.start())
        else:
            opened = stacks["(" if c == ")" else "{"]
            if opened:
                partner[opened.pop()] = m.start()
    return [line[start : partner.get(bracket, len(line))] for bracket, start in calls]


_MAKE_WORK = 1 << 20  # characters a Makefile's expansions may build and scan, in all


class MakeWork:
    """What is left of one Makefile's expansion budget (thirty-eighth pass: a 5 KB Makefile
    of `A = $(A)$(A)…` refs took 3.8 s to decide one write, a 184 KB one 1.9 GB)."""

    __slots__ = ("left",)

    def __init__(self, left: int = _MAKE_WORK) -> None:
        self.left = left

    def charge(self, n: int) -> bool:
        """Spend ``n``; False once the budget is gone (and from then on)."""
        self.left -= n
        return self.left >= 0


def _bounded_sub(
    rx: re.Pattern[str], repl: Callable[[re.Match[str]], str], text: str, limit: int
) -> tuple[str, int]:
    """``rx.sub(repl, text)[:limit]`` without building more than ``limit`` characters, and
    how many characters of ``text`` were scanned and built for it."""
    out: list[str] = []
    n = pos = 0
    for m in rx.finditer(text):
        out.append(text[pos : m.start()])
        n += m.start() - pos
        pos = m.end()
        if n >= limit:
            break
        piece = repl(m)
        out.append(piece[: limit - n + 1])
        n += len(out[-1])
        if n >= limit:
            break
    else:
        out.append(text[pos : pos + limit - n + 1])
        n += len(out[-1])
        pos = len(text)
    return "".join(out)[:limit], pos + n


def make_expand(
    text: str, variables: dict[str, str], work: MakeWork | None = None, branch: int = 1
) -> str:
    """``text`` with the Makefile variables it names replaced by their values (nested ones
    too, four levels); a name the file does not define is left (not fixed: fail closed).
    Each round keeps the first 4,096 characters and builds no more; past the file's work
    budget (``work``) the text is left as it is (its names not fixed)."""
    work = work if work is not None else MakeWork()
    for _ in range(4):
        if "$" not in text or work.left < 0:
            break

        def value(m: re.Match[str]) -> str:
            name = m.group(1) or m.group(2) or m.group(3)
            return variables.get(name, m.group(0))

        def call(m: re.Match[str]) -> str:
            # `$(call RUN,ci/x.sh)`: the function's text with `$(1)`… its arguments
            body = variables.get(m.group(1))
            if body is None:
                return m.group(0)
            args = (m.group(2) or "").split(",")
            if not work.charge(len(body) * min(len(args), 9)):
                return m.group(0)
            for n, arg in enumerate(args[:9], 1):
                body = re.sub(rf"\$[({{]{n}[)}}]|\${n}", arg.strip().replace("\\", "/"), body)
            return body

        called, cost = _bounded_sub(_MAKE_CALL, call, text, 4 * MAKE_TEXT)
        new, cost2 = _bounded_sub(MAKE_REF, value, called, MAKE_TEXT)
        # the text functions (`$(foreach …)`, `$(if …)` …: thirty-ninth pass) over what
        # is kept; their output is bounded too, and charged like the rest
        new = _make_functions(new, branch)
        if not work.charge(cost + cost2 + len(new)):
            break
        new = new[:MAKE_TEXT]
        if new == text[:MAKE_TEXT]:
            break
        text = new
    return text
