"""Bash parsing with tree-sitter-bash into the simple commands a policy decides.

The parser is the only place that reads shell syntax. It turns a command string into a flat
list of :class:`SimpleCommand` (every sub-command of lists, pipelines, subshells, command
substitutions, loop and branch bodies) and refuses (``Undecidable``) every construct whose
effect cannot be known from the text.

The walk fails closed by construction, not by a list of known-bad constructs:

* every node kind has a handler that knows which of its children can hold code; a kind (or
  a child kind) without one makes the command undecidable;
* every leaf the walk keeps as text (words, string contents, patterns, here-document text) is
  checked for expansion syntax bash would act on (`` ` ``, ``$(``, ``${``, ``$[``, ``$name``,
  ``<(``): tree-sitter-bash leaves some of it as plain text (``${x:-`cmd`}``), and what it
  did not structure cannot be decided;
* text between the children of a node may only be blanks, so nothing is skipped unread;
* back-quoted substitutions are re-parsed from their unescaped text, as bash does;
* line continuations are removed where bash removes them before anything is read
  (``"$\\<newline>(cmd)"`` is ``"$(cmd)"``), and the joined text is what is decided;
* here-documents are checked against bash's own rule for where they end;
* arithmetic (``$((…))``, ``((…))``, ``[[ a -eq b ]]``, ``${s:off}``, array subscripts,
  ``let``) evaluates variable *values* as expressions, and a value such as ``a[$(cmd)]`` runs
  ``cmd``; a name in arithmetic must hold a number this command itself assigned.

Work is capped (:data:`MAX_COMMAND_BYTES`, :data:`MAX_NODES`, :data:`MAX_COMMANDS`,
:data:`MAX_SYNTAX_DEPTH`, a time budget); past a cap the command is "too complex to decide".
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from tree_sitter import Language, Node, Parser, Tree

from enforcement_agent.lazy_regex import lazy_compile


def _bash_grammar() -> object:
    """The compiled bash grammar (a capsule), loaded without ``tree_sitter_bash/__init__``.

    The package's ``__init__`` imports ``importlib.resources`` (and ``tempfile``, ``shutil``,
    ``zipfile`` with it) for a highlighting query this parser never reads; a hook process
    would pay that on every tool call. Anything unexpected falls back to the plain import.
    """
    import importlib.machinery
    import importlib.util
    import os
    import sys

    spec = (
        None if "tree_sitter_bash" in sys.modules else importlib.util.find_spec("tree_sitter_bash")
    )
    places = (spec.submodule_search_locations or []) if spec is not None else []
    found = [
        path
        for where in places
        for suffix in importlib.machinery.EXTENSION_SUFFIXES
        if os.path.isfile(path := os.path.join(where, f"_binding{suffix}"))
    ]
    if found:
        loader = importlib.machinery.ExtensionFileLoader("tree_sitter_bash._binding", found[0])
        binding_spec = importlib.util.spec_from_loader(loader.name, loader)
        if binding_spec is not None:
            with contextlib.suppress(Exception):  # an unusual build: the package's own way
                binding = importlib.util.module_from_spec(binding_spec)
                loader.exec_module(binding)
                return binding.language()
    import tree_sitter_bash

    return tree_sitter_bash.language()


@lru_cache(maxsize=1)
def _language() -> Language:
    """The bash grammar, loaded for the first command the plain-command short cut
    (``_plain_commands``) does not decide: a hook process deciding a plain command imports
    neither tree-sitter nor the grammar (stop 46: ~4 ms of every such process)."""
    from tree_sitter import Language

    return Language(_bash_grammar())


# A tree-sitter Parser is not safe to share between threads; each thread gets its own.
_LOCAL = threading.local()


def _parser() -> Parser:
    parser: Parser | None = getattr(_LOCAL, "parser", None)
    if parser is None:
        from tree_sitter import Parser

        parser = _LOCAL.parser = Parser(_language())
    return parser


# ---- caps on work ---------------------------------------------------------------------------
MAX_COMMAND_BYTES = 64 * 1024
MAX_DEPTH = 8  # nested shells and wrappers (``bash -c "env bash -c …"``), used by the evaluator
MAX_SYNTAX_DEPTH = 100  # nested syntax (subshells, substitutions, expansions, blocks)
MAX_NODES = 250_000  # syntax nodes visited in one parse
MAX_COMMANDS = 2_000  # simple commands in one parse, and evaluated in one decision
# assignments in one parse (`a=1 b=2 cmd`, `declare a=1 …`): each is checked like a command;
# a 64 KB line of 16,000 of them took 0.6-2.5 s before this cap (a fourth red-team pass)
MAX_ASSIGNMENTS = 2_000
MAX_WORDS = 100_000  # words the evaluator looks at in one decision (wrappers re-read some)
# CPU budget (this thread's) of one parse, and of one decision. CPU, not wall clock: a loaded
# host stretches wall time, and a wall-clock cap makes the verdict depend on the load (two
# suites on two cores once fired it before the word cap); the same request must get the same
# verdict, so the work is what is capped.
MAX_SECONDS = 2.0
# Wall clock of one decision, waits included (the git and bash runs it asks for): a stuck
# program or a stalled disk ends the decision here (deny).
MAX_WALL_SECONDS = 5.0
MAX_PATTERN_CHARS = 4_096  # pattern text (globs, pathspecs) one decision may compile
MAX_CACHED_BYTES = 4096  # longer commands are parsed every time, not kept in the LRU
BASH_PRECHECK_BYTES = 2048  # longer commands are syntax-checked by bash first (linear)

# Control characters a terminal or bash treats specially but a reader does not see, and the
# code points HFS+ ignores in file names (git's list: `.g\u200cit` is `.git` there).
_CONTROL = lazy_compile(
    r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u206f\ufeff]"
)


def _brace_expands(text: str) -> bool:
    """Whether bash may brace-expand ``text``: a `{`, then a `,` or `..`, then a `}`, in that
    order anywhere (a superset, in linear time). A `}` or `{` between them still expands:
    `{a},.env}` is `a}` and `.env` (a thirty-fifth red-team pass: the old test wanted no brace
    between them, and `cat {a},.env}` printed .env)."""
    i = text.find("{")
    if i < 0:
        return False
    ends = [k for k in (text.find(",", i + 1), text.find("..", i + 1)) if k >= 0]
    return bool(ends) and text.find("}", min(ends) + 1) >= 0


_ESCAPE = lazy_compile(r"\\(.)", re.S)
_GLOB = lazy_compile(r"[*?\[]")
_NAME = lazy_compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_INT = lazy_compile(r"[+-]?(?:0[xX][0-9a-fA-F]+|[0-9]+(?:#[0-9A-Za-z@_]+)?)?\Z")
# Special parameters that always hold a number bash computed.
_NUMERIC_SPECIALS = frozenset({"#", "?", "$", "!"})
# Bash variables whose *assignment* evaluates the value as arithmetic (found by trying every
# variable of bash 5.2: `RANDOM='a[$(cmd)]'` runs cmd).
ARITH_ON_ASSIGN = frozenset({"RANDOM", "SRANDOM", "OPTIND", "HISTCMD"})
# Variables bash itself keeps numeric; they are safe in arithmetic unless the command sets them.
_BASH_NUMBERS = frozenset(
    {"RANDOM", "SRANDOM", "SECONDS", "LINENO", "EPOCHSECONDS", "BASHPID", "PPID", "UID", "EUID"}
)


class Undecidable(Exception):
    """The text cannot be decided with certainty; the policy denies it with this reason."""


class TooComplex(Undecidable):
    """Past a hard cap on work: the command is denied as too complex to decide."""

    def __init__(self, what: str) -> None:
        super().__init__(f"too complex to decide ({what})")


class Budget:
    """The work one decision may do across every parse and evaluation step it triggers."""

    __slots__ = ("commands", "cpu_deadline", "deadline", "patterns", "words", "_ticks")

    def __init__(
        self, seconds: float = MAX_SECONDS, wall_seconds: float = MAX_WALL_SECONDS
    ) -> None:
        self.words = 0
        self.commands = 0
        self.patterns = 0
        self.cpu_deadline = time.thread_time() + seconds
        self.deadline = time.monotonic() + wall_seconds  # (also the programs' timeouts)
        self._ticks = 0

    def expired(self) -> bool:
        return time.thread_time() > self.cpu_deadline or time.monotonic() > self.deadline

    def spend(self, words: int = 0, commands: int = 0) -> None:
        self.words += words
        self.commands += commands
        if self.words > MAX_WORDS:
            raise TooComplex(f"more than {MAX_WORDS} words to look at")
        if self.commands > MAX_COMMANDS:
            raise TooComplex(f"more than {MAX_COMMANDS} commands to decide")
        self._ticks += 1
        if not self._ticks & 63 and self.expired():
            raise TooComplex("the time budget of one decision ran out")

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        """Make this the budget :func:`charge` counts against while the block runs."""
        token = _ACTIVE.set(self)
        try:
            yield
        finally:
            _ACTIVE.reset(token)


_ACTIVE: contextvars.ContextVar[Budget | None] = contextvars.ContextVar(
    "policy_budget", default=None
)


def charge(cost: int) -> None:
    """Count work that cannot be interrupted once started (compiling a pattern the command
    gave) against the decision being made, and check its deadline before it starts: the
    regex compiler took 5-15 s on one 60 KB glob, past every other cap."""
    budget = _ACTIVE.get()
    if budget is None:
        return
    budget.patterns += cost
    if budget.patterns > MAX_PATTERN_CHARS:  # up to ~100 µs a character to compile
        raise TooComplex(f"more than {MAX_PATTERN_CHARS} characters of patterns to compile")
    budget.spend(words=1)
    if budget.expired():
        raise TooComplex("the time budget of one decision ran out")


# The parse results are NamedTuples, not frozen dataclasses: equally immutable, and three
# times cheaper to build (a parse builds one per word and per simple command).
class Word(NamedTuple):
    """One shell word after quote removal. ``dynamic`` words depend on run-time values."""

    text: str
    dynamic: bool = False
    glob: bool = False
    quoted: bool = False  # one double-quoted string: its expansions are never split into words
    number: bool = False  # holds a number computed at run time (`-j$(nproc)`: text `-j1`)


# The text of a loop variable's words in `for f in $(producer); do … "$f" …; done`: the
# producer's words after it, NUL-separated (a NUL never comes from a command, which refuses
# control characters), so the evaluator can check the names it prints (see path_checks).
NAMES_MARKER = "\0names printed by\0"
STDIN_ARGUMENTS = "<arguments from stdin>"  # the word xargs appends to the command it runs


def names_word(w: Word) -> bool:
    """A word standing for names a producer prints (checked by the evaluator before use)."""
    return w.dynamic and (w.text == STDIN_ARGUMENTS or w.text.startswith(NAMES_MARKER))


# Substitutions that print one number: a word holding one is that number to the policy.
_NUMBER_PRINTERS = frozenset(
    {
        ("nproc",),
        ("nproc", "--all"),
        ("getconf", "_NPROCESSORS_ONLN"),
        ("getconf", "NPROCESSORS_ONLN"),
    }
)


class Redirect(NamedTuple):
    op: str
    target: Word
    fd: str = ""


class SimpleCommand(NamedTuple):
    """One command the shell would run, with the context that changes its meaning."""

    words: tuple[Word, ...]
    assigns: tuple[tuple[str, Word], ...] = ()
    redirects: tuple[Redirect, ...] = ()
    piped_stdin: bool = False
    scope: int = 0  # id of the cwd scope (subshells get their own)
    after_and: bool = False  # runs only if the command before it in an `&&` chain succeeded
    heredoc: bool = False
    ancestry: tuple[int, ...] = ()  # this command's scope, then its parents' up to the shell
    concurrent: bool = False  # may run at the same time as others (pipeline member, `&`)


# ---- arithmetic bookkeeping -----------------------------------------------------------------
Guard = tuple[int, ...]


@dataclass(slots=True)
class _Arith:
    """What the walk saw of variables, to decide whether arithmetic can run code.

    Bash evaluates the *value* of a name used in arithmetic as an expression, recursively, so
    ``x='a[$(cmd)]'; echo $((x))`` runs cmd. A use is safe only when the name holds a number
    this command itself assigned before the use, on every path, and nothing else can set it.
    """

    seq: int = 0
    uses: list[tuple[str, int, int, Guard]] = field(default_factory=list)
    pure: dict[str, list[tuple[int, int, Guard]]] = field(default_factory=dict)
    impure: set[str] = field(default_factory=set)
    mentions: Counter[str] = field(default_factory=Counter)
    opaque: str = ""  # why every name is untrusted (a builtin sets names the walk cannot see)
    int_attr: bool = False  # `declare -i`: assignments to those names are arithmetic
    untrusted_assign: bool = False  # some assignment's value is not a plain number


@dataclass(slots=True)
class _Walk:
    """What one walk of a parsed command line has found so far."""

    src: str = ""  # the text being walked: every text is sliced from it by byte offset
    globs: bool = True  # False when the command has no glob character at all (skips the scans)
    commands: list[SimpleCommand] = field(default_factory=list)
    scopes: int = 0
    parents: dict[int, int] = field(default_factory=dict)
    ancestries: dict[int, tuple[int, ...]] = field(default_factory=dict)  # scopes never move
    nodes: int = 0
    depth: int = 0
    deadline: float = 0.0  # of this thread's CPU time (time.thread_time)
    unordered: int = 0  # >0: commands whose order tree-sitter may have wrong (no cd chains)
    concurrent: int = 0  # >0: inside a pipeline member or a background job
    guard: Guard = ()
    guards: int = 0
    assignments: int = 0
    arith: _Arith = field(default_factory=_Arith)
    sources: list[str] = field(default_factory=list)

    def child_scope(self, parent: int) -> int:
        self.scopes += 1
        self.parents[self.scopes] = parent
        return self.scopes

    def ancestry(self, scope: int) -> tuple[int, ...]:
        known = self.ancestries.get(scope)
        if known is not None:
            return known
        out = [scope]
        while scope in self.parents:
            scope = self.parents[scope]
            out.append(scope)
        self.ancestries[out[0]] = found = tuple(out)
        return found

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_SYNTAX_DEPTH:
            raise TooComplex(f"syntax nested more than {MAX_SYNTAX_DEPTH} levels deep")

    def tick(self) -> None:
        self.nodes += 1
        if not self.nodes & 4095:
            if self.nodes > MAX_NODES:
                raise TooComplex(f"more than {MAX_NODES} syntax nodes")
            if time.thread_time() > self.deadline:
                raise TooComplex("the time budget of one parse ran out")

    def push_guard(self) -> Guard:
        saved = self.guard
        self.guards += 1
        self.guard = (*saved, self.guards)
        return saved

    def add(self, command: SimpleCommand) -> None:
        self.commands.append(command)
        if len(self.commands) > MAX_COMMANDS:
            raise TooComplex(f"more than {MAX_COMMANDS} commands")


# ---- entry points ---------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _parse_cached(command: str) -> tuple[SimpleCommand, ...]:
    return parse(command)


def parse_cached(command: str) -> tuple[SimpleCommand, ...]:
    """:func:`parse` behind a bounded LRU (parsing is pure in the command text).

    Only short commands are kept: 4096 entries of 64 KB would hold a quarter of a gigabyte.
    """
    if len(command) > MAX_CACHED_BYTES:
        return parse(command)
    return _parse_cached(command)


def parse(command: str) -> tuple[SimpleCommand, ...]:
    """Every simple command in ``command``, in source order; raises :class:`Undecidable`."""
    if len(command) > MAX_COMMAND_BYTES or (
        not command.isascii() and len(command.encode("utf-8", "surrogatepass")) > MAX_COMMAND_BYTES
    ):
        raise TooComplex(f"command is longer than {MAX_COMMAND_BYTES} bytes")
    bad = _CONTROL.search(command)
    if bad:
        raise Undecidable(f"control character U+{ord(bad.group()):04X} in command")
    if not command.strip():
        raise Undecidable("empty command")
    plain = _plain_commands(command)
    if plain is not None:
        return plain
    return _parse_tree(command)


def _parse_tree(command: str) -> tuple[SimpleCommand, ...]:
    """The tree-sitter parse and walk behind :func:`parse` (after its length/character checks)."""
    if len(command) > BASH_PRECHECK_BYTES and not _bash_accepts(command):
        raise Undecidable("bash reports a syntax error")
    return tuple(_walk_command(command).commands)


def _bash_accepts(command: str) -> bool:
    """Whether ``bash -n`` (parse, run nothing) accepts ``command``; the time cap applies.

    tree-sitter's error recovery is quadratic: 32 KB of `<> <> …`, `| | …` or `a=( a=( …`
    takes seconds to 21 s before it reports the syntax error it always ends in (a red-team
    finding), and the parse cannot be interrupted. bash's own parser is linear and stops at
    the first error, so a long command is first shown to bash. Nothing is read from the
    environment (no ``BASH_ENV``, no rc files); bash missing or stuck counts as too complex.
    """
    import subprocess

    try:
        done = subprocess.run(
            ["/bin/bash", "--norc", "--noprofile", "-n"],
            input=command.encode("utf-8", "surrogatepass"),
            env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"},
            capture_output=True,
            timeout=MAX_WALL_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TooComplex(f"bash could not check the syntax ({type(exc).__name__})") from None
    return done.returncode == 0


def walk_nodes(command: str) -> int:
    """How many syntax nodes the walk of ``command`` visits (tests and benchmarks of the caps)."""
    return _walk_command(command).nodes


def _walk_command(command: str) -> _Walk:
    walk = _Walk(deadline=time.thread_time() + MAX_SECONDS)
    try:
        _walk_text(command, walk, scope=0, piped=False, conditional=False)
    except RecursionError:
        raise TooComplex("the command is nested too deeply") from None
    if not walk.commands:
        raise Undecidable("no command found")
    if walk.arith.uses or walk.arith.int_attr:
        _check_arithmetic(walk)
    return walk


_NON_ASCII = lazy_compile(r"[^\x00-\x7f]")


def _walk_text(text: str, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    """Parse ``text`` and walk it as statements in ``scope`` (the command, or a `…` body)."""
    # tree-sitter-bash's scanner reads out of bounds on some non-ASCII input (`{` followed by
    # certain astral characters crashes the process at random). Non-ASCII characters are plain
    # word characters to bash, so the parser only ever sees an ASCII stand-in (`_`, also a word
    # character) and every text is sliced from the original string: one character is one byte
    # in the stand-in, so byte offsets are character offsets.
    stand_in = text if text.isascii() else _NON_ASCII.sub("_", text)
    root = _parse(stand_in.encode("ascii"), walk.deadline).root_node
    if "\\\n" in text:
        joined = _join_lines(text, root)
        if joined != text:
            # Decide the text bash reads: `"$\<newline>(cmd)"` is `"$(cmd)"` to bash (the
            # raw text may not even parse: `echo $\<newline>(cmd)`).
            text = joined
            stand_in = text if text.isascii() else _NON_ASCII.sub("_", text)
            root = _parse(stand_in.encode("ascii"), walk.deadline).root_node
            if not root.has_error and _join_lines(text, root) != text:
                raise Undecidable("line continuations the parser places differently from bash")
    if root.has_error:
        raise Undecidable("the shell parser reports a syntax error")
    saved = walk.src, walk.globs
    walk.src, walk.globs = text, _GLOB.search(text) is not None
    walk.sources.append(text)
    try:
        _gaps(root, walk)
        _statements(root.children, walk, scope, piped, conditional)
    finally:
        walk.src, walk.globs = saved


# Bytes handed to the parser at a time. Every hand-out is counted: a linear parse asks for each
# chunk about once or twice (a command's here-document of `$(…)` lines, 20 times), and
# tree-sitter-bash's quadratic readings ask again each time they go back over one (`a@a@…` as a
# command word or after `export`, `${x:-a(a(…}`, `[[ a(a(… ]]`, `(( a]a]… ))`, a here-document
# of `a)a)…`: 0.1-0.3 s of CPU at 8 KB, 2-3 s at 16 KB, 22 s at 64 KB, stop 47). Past
# _REREADS hand-outs per chunk (and _REREAD_SLACK for a short command's few) the parse ends, so
# going back over the source is linear work. What the parser does without going back is held
# by the cap on CPU alone (a `$((1<<1<<…))` of 64 KB: 0.39 s, then denied as nested too deep).
_PARSE_CHUNK = 256
_REREADS = 32
_REREAD_SLACK = 64


def _parse(source: bytes, deadline: float) -> Tree:
    """``source`` parsed, within the cap on this thread's CPU time (:class:`TooComplex` past
    it). tree-sitter-bash is quadratic on some words (`a@a@…` as a command word or after
    `export`: 64 KB took 22 s of CPU inside one call, where the walk's own checks never ran;
    stop 47): the parser reads the source through a callback, once per chunk and again each
    time it goes back over one, so the work done is checked there and the input ended early
    past the cap, or where it went back over the source more than linear work needs."""
    stopped = ""
    reads = 0
    limit = _REREADS * (len(source) // _PARSE_CHUNK + 1) + _REREAD_SLACK

    def read(offset: int, _point: object) -> bytes:
        nonlocal stopped, reads
        reads += 1
        if reads > limit:
            stopped = stopped or "the shell parser went back over the command too often"
        elif time.thread_time() > deadline:
            stopped = stopped or "the shell parser ran past the cap on work"
        return b"" if stopped else source[offset : offset + _PARSE_CHUNK]

    tree = _parser().parse(read)
    if stopped:
        raise TooComplex(stopped)
    return tree


def _join_lines(text: str, root: Node) -> str:
    """``text`` with its line continuations removed where bash removes them.

    Bash drops a backslash-newline while it reads its input, before it splits words: outside
    quotes, inside double quotes, back-quotes and unquoted here-document bodies, wherever it
    glues (`$\\<newline>(cmd)` is `$(cmd)`, `X\\<newline>Y` ends a here-document on `XY`).
    It keeps them inside single quotes, comments and quoted here-document bodies (the spans
    :func:`_kept_spans` finds in the tree of the raw text). An escaped backslash (`\\\\`)
    does not start one.
    """
    spans = _kept_spans(text, root)
    out: list[str] = []
    pos = 0
    k = 0
    i = text.find("\\")
    while i >= 0:
        while k < len(spans) and spans[k][1] <= i:
            k += 1
        if k < len(spans) and spans[k][0] <= i:
            i = text.find("\\", spans[k][1])
            continue
        if text.startswith("\n", i + 1):
            out.append(text[pos:i])
            pos = i + 2
        i = text.find("\\", i + 2)
    out.append(text[pos:])
    return "".join(out)


def _kept_spans(text: str, root: Node) -> list[tuple[int, int]]:
    """Byte spans where bash keeps a backslash-newline as it is, in source order."""
    spans: list[tuple[int, int]] = []
    # (node, inside text bash reads as one string: "…", `…`, an unquoted here-document body)
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, loose = stack.pop()
        kind = node.type
        if kind == "ansi_c_string" or (kind in ("raw_string", "comment") and not loose):
            spans.append((node.start_byte, node.end_byte))
            continue
        if kind == "heredoc_redirect":
            start = next((c for c in node.children if c.type == "heredoc_start"), None)
            raw = (start.text or b"") if start is not None else b""
            if any(q in raw for q in (b"'", b'"', b"\\")):
                # The body and the delimiter's line, to its end: bash reads them as they are.
                body = [c.start_byte for c in node.children if c.type == "heredoc_body"]
                end = [c.end_byte for c in node.children if c.type == "heredoc_end"]
                if body and end:
                    line_end = text.find("\n", end[0])
                    spans.append((body[0], len(text) if line_end < 0 else line_end))
        inner = loose
        if kind in ("string", "heredoc_body"):
            inner = True
        elif kind == "command_substitution":
            inner = bool(node.children) and node.children[0].type == "`"
        stack.extend((c, inner) for c in node.children)
    spans.sort()
    return spans


# Most agent commands are plain words joined by `;`, `&&`, `||` and `|`. Those need no grammar:
# without quotes, expansions, globs, braces, redirections, comments, tildes, backslashes or
# keywords every space-separated token is a literal word, and bash's precedence (`|` binds
# tighter than `&&`/`||`, which bind tighter than `;`) fixes the structure. Anything else goes
# to tree-sitter. tests/policy/test_plain_parse.py checks both give identical commands.
_PLAIN_TEXT = lazy_compile(r"[A-Za-z0-9_./:,+@=\- ;|&]+")
_PLAIN_PROGRAM = lazy_compile(r"[A-Za-z_./][A-Za-z0-9_./-]*")
_PLAIN_TOKEN = lazy_compile(r"&&|\|\||\||&|[^ |&]+")
_KEYWORDS = frozenset(
    {
        "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until",
        "do", "done", "in", "function", "time", "coproc", "declare", "typeset", "export",
        "local", "readonly", "unset", "unsetenv", "let",
    }
)  # fmt: skip
_SHELL_SCOPE: tuple[int, ...] = (0,)


def _plain_commands(command: str) -> tuple[SimpleCommand, ...] | None:
    """The simple commands of a plain command line, or None when it needs the real parser."""
    if not _PLAIN_TEXT.fullmatch(command):
        return None
    commands: list[SimpleCommand] = []
    scopes = 0  # pipeline members get child scopes of the shell's, numbered in source order
    ancestry: tuple[int, ...]
    for statement in command.split(";"):
        tokens = _PLAIN_TOKEN.findall(statement)
        if not tokens or not _KEYWORDS.isdisjoint(tokens):
            return None
        # and-or items: (runs only after a success, the pipeline's word lists).
        items: list[tuple[bool, list[list[str]]]] = []
        members: list[list[str]] = [[]]
        after_and = False
        for tok in tokens:
            first = tok[0]
            if first == "|" or first == "&":
                if tok == "&" or not members[-1]:
                    return None  # background jobs, `|&`, or an operator with no command before it
                if tok == "|":
                    members.append([])
                else:
                    items.append((after_and, members))
                    members, after_and = [[]], tok == "&&"
            elif first == "=":
                return None  # tree-sitter-bash reads a lone `==` as a test operator
            else:
                members[-1].append(tok)
        if not members[-1]:
            return None
        items.append((after_and, members))
        if len(items) > 1 and any(len(m) > 2 for _, m in items):
            # tree-sitter-bash nests `a | b | c || d` as `a | (b | c || d)`; keep its reading.
            return None
        for after_and, pipeline in items:
            for k, words in enumerate(pipeline):
                if not _PLAIN_PROGRAM.fullmatch(words[0]):
                    return None  # an assignment, or a name tree-sitter-bash reads oddly (`9@`)
                if len(pipeline) == 1:
                    scope, ancestry = 0, _SHELL_SCOPE
                else:
                    scopes += 1
                    scope, ancestry = scopes, (scopes, 0)
                commands.append(
                    SimpleCommand(
                        tuple([Word(w) for w in words]),
                        (),
                        (),
                        k > 0,
                        scope,
                        after_and,
                        False,
                        ancestry,
                        len(pipeline) > 1,
                    )
                )
        if len(commands) > MAX_COMMANDS:
            raise TooComplex(f"more than {MAX_COMMANDS} commands")
    return tuple(commands)


# ---- leaves and gaps ------------------------------------------------------------------------
def _text(node: Node, walk: _Walk) -> str:
    return walk.src[node.start_byte : node.end_byte]


# In unquoted text: an escaped character, or something bash would expand or run.
_ACTIVE_UNQUOTED = lazy_compile(r"\\.|(`|\$[A-Za-z0-9_{(\[@*#?$!'\"-]|[<>]\()", re.S)
# Inside double quotes and unquoted here-documents: quotes and `<(` are literal there.
_ACTIVE_QUOTED = lazy_compile(r"\\.|(`|\$[A-Za-z0-9_{(\[@*#?$!-])", re.S)


def _inert(text: str, quoted: bool) -> None:
    """Refuse leaf text holding expansion syntax the parser did not turn into nodes."""
    if "$" not in text and "`" not in text and (quoted or "(" not in text):
        return
    pattern = _ACTIVE_QUOTED if quoted else _ACTIVE_UNQUOTED
    for m in pattern.finditer(text):
        if m.group(1):
            raise Undecidable(
                f"'{_short(text)}' holds {m.group(1)!r} the parser did not read as an expansion"
            )


_BLANK = frozenset(" \t\n")
_LONE_DASH = lazy_compile(r"[ \t]+-[ \t]+")
_OPERATOR_CHARS = frozenset(";&|()<>")
# Where bash ends a word (its metacharacters), and the nodes whose named children are words
# (or whole commands) that a blank or an operator must separate.
_WORD_ENDS = frozenset(" \t\n;&|()<>")
_WORD_LISTS = frozenset(
    {"command", "command_name", "declaration_command", "unset_command", "for_statement",
     "case_statement", "case_item", "file_redirect", "herestring_redirect", "heredoc_redirect",
     "redirected_statement", "test_command", "unary_expression", "program", "list", "pipeline",
     "subshell", "compound_statement"}
)  # fmt: skip


def _gaps(node: Node, walk: _Walk, dash_after: Node | None = None) -> None:
    """Text between ``node``'s children (and around them) must be blanks: nothing unread.

    ``dash_after``: tree-sitter-bash drops a lone ``-`` word between a command and a
    here-document operator (`kubectl apply -f - <<E`); that one gap may be it.
    """
    pos = node.start_byte
    src = walk.src
    prev: Node | None = None
    words = node.type in _WORD_LISTS
    for child in node.children:
        if (
            words
            and prev is not None
            and child.start_byte == prev.end_byte
            and prev.is_named
            and child.is_named
            and src[child.start_byte] not in _WORD_ENDS
            and src[prev.end_byte - 1] not in _WORD_ENDS
        ):
            # Two word nodes with no blank or operator between them are one word to bash:
            # tree-sitter-bash ends a word at `[\` (`.e[\n]v` read as `.e[` and `n]v`, where
            # bash globs `.e[n]v` and matches `.env`): the policy checked two harmless words
            # (a thirty-fifth red-team pass).
            raise Undecidable(
                f"the parser split one word in two: {_short(src[prev.start_byte : child.end_byte])!r}"
            )
        if child.start_byte > pos:
            gap = src[pos : child.start_byte]
            if not (
                prev is not None
                and dash_after is not None
                and prev.id == dash_after.id
                and _LONE_DASH.fullmatch(gap)
            ):
                _blank(gap, prev, child)
        pos = max(pos, child.end_byte)
        prev = child
    if node.end_byte > pos:
        _blank(src[pos : node.end_byte], prev, None)


def _blank(gap: str, before: Node | None, after: Node | None) -> None:
    """A gap of blanks; a backslash-newline only joins lines, so it counts as nothing.

    Between two word parts it glues them into one word (`/s\\<newline>rv` is `/srv`), which
    the tree splits: refused unless a blank or an operator separates them anyway.
    """
    if _BLANK.issuperset(gap):
        return
    stripped = gap.replace("\\\n", "")
    if _BLANK.issuperset(stripped) and (stripped or _operator(before) or _operator(after)):
        return
    raise Undecidable(f"text the parser skipped: {_short(gap)!r}")


def _operator(node: Node | None) -> bool:
    return node is not None and not node.is_named and _OPERATOR_CHARS.issuperset(node.type)


def _emit(
    walk: _Walk,
    words: tuple[Word, ...],
    assigns: tuple[tuple[str, Word], ...],
    redirects: tuple[Redirect, ...],
    piped: bool,
    scope: int,
    after_and: bool,
    heredoc: bool,
) -> None:
    """Add one simple command in ``scope`` with the walk's current context."""
    walk.add(
        SimpleCommand(
            words,
            assigns,
            redirects,
            piped,
            scope,
            after_and,
            heredoc,
            walk.ancestry(scope),
            walk.concurrent > 0,
        )
    )


def _binds(walk: _Walk, name: str, scope: int) -> None:
    """``name`` is set without an assignment word (a loop variable, ``${name:=…}``, an
    arithmetic assignment): an assignment-only command, so the evaluator checks the name like
    ``name=…`` against the policy's variables. It never ends a cd chain (``after_and``)."""
    _emit(walk, (), ((name, Word("", True)),), (), False, scope, True, False)


# ---- statements -----------------------------------------------------------------------------
_STATEMENT_TOKENS = frozenset({";", "&", "\n", ";;", ";&", ";;&"})


def _statements(
    children: Iterable[Node], walk: _Walk, scope: int, piped: bool, conditional: bool
) -> None:
    """A sequence of statements; one followed by ``&`` runs as a background job (a subshell)."""
    kids = list(children)
    for i, child in enumerate(kids):
        kind = child.type
        if kind in _STATEMENT_TOKENS:
            continue
        if i + 1 < len(kids) and kids[i + 1].type == "&":
            walk.concurrent += 1
            walk.unordered += 1
            try:
                _visit(child, walk, walk.child_scope(scope), piped, False)
            finally:
                walk.concurrent -= 1
                walk.unordered -= 1
        else:
            _visit(child, walk, scope, piped, conditional)


def _visit(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    walk.tick()
    kind = node.type
    handler = _HANDLERS.get(kind)
    if handler is None:
        raise Undecidable(f"unsupported shell construct '{kind}'")
    walk.enter()
    try:
        handler(node, walk, scope, piped, conditional)
    finally:
        walk.depth -= 1


def _block(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    _gaps(node, walk)
    kids = node.children
    if node.type == "compound_statement" and kids and kids[0].type == "((":
        _arith_command(node, walk, scope)
        return
    inner = [c for c in kids if c.type not in ("{", "}", "do", "done")]
    _statements(inner, walk, scope, piped, conditional)


def _subshell(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    _gaps(node, walk)
    inner = [c for c in node.children if c.type not in ("(", ")")]
    _statements(inner, walk, walk.child_scope(scope), piped, conditional)


def _negated(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    _gaps(node, walk)
    for child in node.children:
        if child.type != "!":
            _visit(child, walk, scope, piped, conditional)


def _comment(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    # Bash starts a comment only where a word could start; a `#` glued to a word is text.
    start = node.start_byte
    if start and walk.src[start - 1] not in " \t\n;&|()":
        raise Undecidable("a '#' inside a word read as a comment")
    if "\n" in _text(node, walk):
        raise Undecidable("a comment spanning lines")


def _list(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    # `a && b && c` nests to the left; walk the spine without recursion (no depth per item).
    spine: list[tuple[str, Node]] = []
    cur = node
    while cur.type == "list":
        _gaps(cur, walk)
        walk.tick()
        kids = []
        for c in cur.children:
            if c.type == "comment":
                _comment(c, walk, scope, piped, conditional)
            else:
                kids.append(c)
        if len(kids) != 3 or kids[1].type not in ("&&", "||"):
            raise Undecidable("an and-or list the parser built oddly")
        spine.append((kids[1].type, kids[2]))
        cur = kids[0]
    # The left operand keeps the flag it inherited; a right one runs only after a success
    # (&&) or only after a failure (||), and only maybe (a guard for arithmetic).
    _visit(cur, walk, scope, piped, conditional)
    saved = walk.guard
    try:
        for op, right in reversed(spine):
            walk.guard = saved
            walk.push_guard()
            _visit(right, walk, scope, piped, op == "&&")
    finally:
        walk.guard = saved


def _pipeline(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    _gaps(node, walk)
    first = True
    walk.concurrent += 1
    try:
        for child in node.children:
            if child.type in ("|", "|&"):
                continue
            # Every pipeline member runs in its own subshell, at the same time as the others.
            _visit(child, walk, walk.child_scope(scope), piped or not first, conditional)
            first = False
    finally:
        walk.concurrent -= 1


def _if(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    _gaps(node, walk)
    state = "condition"
    saved = walk.guard
    try:
        for child in node.children:
            kind = child.type
            if kind in ("if", "fi"):
                continue
            if kind == "then":
                state = "body"
                walk.guard = saved
                walk.push_guard()
                continue
            if kind in ("elif_clause", "else_clause"):
                walk.guard = saved
                walk.push_guard()
                _clause(child, walk, scope, piped)
                continue
            if kind in _STATEMENT_TOKENS:
                continue
            _visit(child, walk, scope, piped, False)
    finally:
        walk.guard = saved
    if state != "body":
        raise Undecidable("an if statement without a body")


def _clause(node: Node, walk: _Walk, scope: int, piped: bool) -> None:
    _gaps(node, walk)
    for child in node.children:
        if child.type in ("elif", "else", "then") or child.type in _STATEMENT_TOKENS:
            continue
        _visit(child, walk, scope, piped, False)


def _while(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    _gaps(node, walk)
    saved = walk.guard
    try:
        for child in node.children:
            kind = child.type
            if kind in ("while", "until") or kind in _STATEMENT_TOKENS:
                continue
            if kind == "do_group":
                walk.push_guard()
            _visit(child, walk, scope, piped, False)
    finally:
        walk.guard = saved


def _for(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    _gaps(node, walk)
    kids = node.children
    if not kids or kids[0].type != "for":
        raise Undecidable("'select' reads its choice from the terminal at run time")
    name = ""
    pure = True
    saw_in = False
    values: list[Word] = []
    producer: SimpleCommand | None = None
    saved = walk.guard
    try:
        for child in kids[1:]:
            kind = child.type
            if kind == "variable_name":
                name = _text(child, walk)
                walk.arith.mentions[name] += 1
            elif kind == "in":
                saw_in = True
            elif kind in _STATEMENT_TOKENS:
                continue
            elif kind == "do_group":
                walk.push_guard()
                _loop_variable(name, pure and saw_in, walk, scope)
                start = len(walk.commands)
                _visit(child, walk, scope, piped, False)
                if saw_in and len(values) == 1 and producer is not None:
                    _names_of(walk, start, name, producer, _text(child, walk))
                elif saw_in and values:
                    _unroll(walk, start, name, values, _text(child, walk))
            else:
                before = len(walk.commands)
                w = _word(child, walk, scope, False)
                values.append(w)
                pure = pure and not w.dynamic and not w.glob and bool(_INT.match(w.text))
                if kind == "command_substitution" and len(walk.commands) == before + 1:
                    producer = walk.commands[before]
    finally:
        walk.guard = saved


_SETS_NAMES = lazy_compile(
    r"\b(?:read|mapfile|readarray|printf|getopts|declare|typeset|local|export|"
    r"unset|let|eval|source|wait)\b|\(\("
)
_BRACE_TOKENS = lazy_compile(r"\$\{|[}=]")


def _assigns_to(name: str, body: str) -> bool:
    """Whether ``body`` may assign ``name`` by an assignment word: `name=`, `name+=`, or any
    `name[` (an element's assignment, `name[i]=`; taken whole rather than matched to its `]`,
    which scanned from every `name[` to the end: 1.2 s of CPU for a 64 KB body; stop 47) that
    is not read by an expansion (`$name[0]`, `${name[0]}`, `${#name[@]}`, `${!name[@]}`: an
    expansion that assigns, `${name[0]=x}`, is :func:`_sets_names`'s)."""
    return (
        re.search(rf"(?<![A-Za-z0-9_$])(?<!\$\{{)(?<!\$\{{[#!]){re.escape(name)}(?:\[|\+?=)", body)
        is not None
    )


def _sets_names(body: str) -> bool:
    """Whether ``body`` may set a variable other than by an assignment word: a builtin that
    sets names, arithmetic, or a `${…=…}` expansion (a `=` after a `${` before the next `}`).
    One pass over the text (stop 47: the pattern's `\\$\\{[^}]*=` scanned from every `${` to
    the end; a 64 KB loop body of quoted `${${…` took 9.7 s of CPU, past the cap, and was
    then allowed)."""
    if _SETS_NAMES.search(body):
        return True
    opened = False
    for m in _BRACE_TOKENS.finditer(body):
        token = m.group()
        if token == "=":
            if opened:
                return True
        else:
            opened = token == "${"
    return False


_QUOTING = lazy_compile(r"[\\'\"]")


def _may_set_ifs(walk: _Walk) -> bool:
    """Whether any text of the line may name IFS, with its quoting removed: bash sets it from
    `IFS=`, `export I\\FS=X`, `declare 'IFS=X'`, `read IFS`, `for IFS in …` alike."""
    return any("IFS" in _QUOTING.sub("", text) for text in walk.sources)


def _unroll(walk: _Walk, start: int, name: str, values: list[Word], body: str) -> None:
    """``for d in src docs; do ls "$d"; done`` runs ``ls src`` and ``ls docs``: the body's
    commands get one copy per value, with the loop variable replaced, when every value is a
    literal without blanks (a glob stays a glob: the evaluator expands it) and nothing in the
    body can set the variable. Otherwise the variable stays computed (undecidable where it
    names a path)."""
    if any(w.dynamic or _BLANK.intersection(w.text) or "$" in w.text for w in values):
        return
    if _may_set_ifs(walk):
        # `IFS=X; for f in aX.github; do rm -rf $f; done` runs `rm -rf a .github`: an
        # unquoted use splits the value where IFS says (a twenty-sixth red-team pass)
        return
    if _assigns_to(name, body) or _sets_names(body):
        return
    if len(values) * (len(walk.commands) - start) > MAX_COMMANDS:
        raise TooComplex(f"a loop that unrolls to more than {MAX_COMMANDS} commands")
    ref = re.compile(rf"\$(?:\{{{re.escape(name)}\}}|{re.escape(name)}(?![A-Za-z0-9_]))")
    out: list[SimpleCommand] = []
    for c in walk.commands[start:]:
        if not any(w.dynamic and ref.search(w.text) for w in c.words) and not any(
            r.target.dynamic and ref.search(r.target.text) for r in c.redirects
        ):
            out.append(c)
            continue
        for v in values:
            out.append(
                c._replace(
                    words=tuple(_substitute(w, ref, v) for w in c.words),
                    redirects=tuple(
                        r._replace(target=_substitute(r.target, ref, v)) for r in c.redirects
                    ),
                )
            )
    del walk.commands[start:]
    for c in out:
        walk.add(c)


_STILL_DYNAMIC = lazy_compile(r"[`]|\$[A-Za-z0-9_{(\[@*#?$!-]")
_MOVES = lazy_compile(r"\b(?:cd|pushd|popd)\b")


def _names_of(walk: _Walk, start: int, name: str, producer: SimpleCommand, body: str) -> None:
    """``for f in $(git ls-files); do wc -l "$f"; done``: the loop variable holds, one at a
    time, the words the producer prints. Where the body uses it as a whole word it becomes a
    marker naming the producer (:data:`NAMES_MARKER`); the evaluator accepts it where it
    accepts the names a producer feeds to xargs. Only when the producer is one plain command,
    nothing in the body sets the variable or changes directory, and the command never sets
    IFS (which decides where the output splits)."""
    if (
        producer.assigns
        or producer.redirects
        or not producer.words
        or any(w.dynamic or w.glob for w in producer.words)
        or _may_set_ifs(walk)
        or _MOVES.search(body)
        or _sets_names(body)
        or _assigns_to(name, body)
    ):
        return
    marker = NAMES_MARKER + "\0".join(w.text for w in producer.words)
    refs = (f"${name}", f"${{{name}}}")
    for i in range(start, len(walk.commands)):
        c = walk.commands[i]
        if any(w.dynamic and w.text in refs for w in c.words):
            walk.commands[i] = c._replace(
                words=tuple(
                    Word(marker, True, False, w.quoted) if w.dynamic and w.text in refs else w
                    for w in c.words
                )
            )


def _substitute(w: Word, ref: re.Pattern[str], value: Word) -> Word:
    if not w.dynamic or not ref.search(w.text):
        return w
    text = ref.sub(lambda _: value.text, w.text)
    return w._replace(
        text=text, dynamic=bool(_STILL_DYNAMIC.search(text)), glob=w.glob or value.glob
    )


def _loop_variable(name: str, pure: bool, walk: _Walk, scope: int) -> None:
    if not name:
        raise Undecidable("a for loop without a variable")
    if name in ARITH_ON_ASSIGN and not pure:
        raise Undecidable(f"assigning {name} evaluates the value as arithmetic")
    if not pure:
        # a `declare -i` loop variable evaluates each value as arithmetic: `declare -i y; for
        # y in *` ran the `$(cmd)` of a file named `a[$(cmd)]` (a thirtieth red-team pass)
        walk.arith.untrusted_assign = True
    _assigned(walk, name, scope, pure)
    _binds(walk, name, scope)


def _c_for(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    _gaps(node, walk)
    part = 0  # 0 init, 1 condition, 2 update, 3 body
    saved = walk.guard
    try:
        for child in node.children:
            kind = child.type
            if kind in ("for", "(("):
                continue
            if kind == ";" and part < 2:
                part += 1
                if part == 2:
                    walk.push_guard()  # the update and the body may never run
                continue
            if kind == "))":
                part = 3
                continue
            if kind == ";" or kind == "\n":
                continue
            if part < 3:
                _arith(child, walk, scope)
            elif kind in ("do_group", "compound_statement"):
                _visit(child, walk, scope, piped, False)
            else:
                raise Undecidable(f"unsupported part '{kind}' of a for loop")
    finally:
        walk.guard = saved


def _case(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    _gaps(node, walk)
    saved = walk.guard
    try:
        for child in node.children:
            kind = child.type
            if kind in ("case", "in", "esac") or kind in _STATEMENT_TOKENS:
                continue
            if kind == "case_item":
                walk.guard = saved
                walk.push_guard()
                _case_item(child, walk, scope, piped)
            else:
                _word(child, walk, scope, False)  # the subject is expanded (and may run code)
    finally:
        walk.guard = saved


def _case_item(node: Node, walk: _Walk, scope: int, piped: bool) -> None:
    _gaps(node, walk)
    in_body = False
    for child in node.children:
        kind = child.type
        if kind == ")" and not in_body:
            in_body = True
            continue
        if kind in ("(", "|") and not in_body:
            continue
        if kind in _STATEMENT_TOKENS:
            continue
        if in_body:
            _visit(child, walk, scope, piped, False)
        else:
            _word(child, walk, scope, False)  # patterns are expanded too


def _function(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    raise Undecidable("function definitions can shadow any command")


def _herestring(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    raise Undecidable("here-strings feed hidden text to a command")


def _assignment_statement(
    node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool
) -> None:
    _gaps(node, walk)
    if node.type == "variable_assignment":
        pairs: tuple[tuple[str, Word], ...] = (_assignment(node, walk, scope, True),)
    else:
        pairs = tuple(
            _assignment(c, walk, scope, True) for c in node.children if c.type != "comment"
        )
    _emit(walk, (), pairs, (), piped, scope, conditional and not walk.unordered, False)


def _declaration(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    _gaps(node, walk)
    words: list[Word] = []
    assigns: list[tuple[str, Word]] = []
    keyword = ""
    assoc = False
    array_attr = False  # `-a`/`-A`: the names are made arrays
    for child in node.children:
        kind = child.type
        if kind == "variable_assignment":
            pair = _assignment(child, walk, scope, True, assoc)
            _declared_array_value(child, pair, walk, keyword, array_attr)
            assigns.append(pair)
        elif kind == "variable_name":
            walk.assignments += 1  # `export a a a …` sets (exports) a name per word
            if walk.assignments > MAX_ASSIGNMENTS:
                raise TooComplex(f"more than {MAX_ASSIGNMENTS} assignments")
            name = _text(child, walk)
            walk.arith.mentions[name] += 1
            walk.arith.impure.add(name)  # `export x`: keeps whatever value x had
            words.append(Word(name))
        elif not child.is_named:
            keyword = _text(child, walk)
            words.append(Word(keyword))
        else:
            w = _word(child, walk, scope, False)
            if w.dynamic:
                raise Undecidable(
                    f"a computed name in '{keyword} {_short(w.text)}' can be an array element "
                    "whose subscript runs code"
                )
            if w.text.startswith(("-", "+")) and len(w.text) > 1:
                letters = w.text[1:]
                if "n" in letters and keyword not in ("export", "unset", "unsetenv"):
                    raise Undecidable(f"'{keyword} {w.text}' makes names refer to other names")
                if "i" in letters:
                    walk.arith.int_attr = True
                if w.text[0] == "-":  # `-aA`: bash refuses it; read it as indexed (arithmetic)
                    assoc = "A" in letters and "a" not in letters
                    array_attr = array_attr or "a" in letters or "A" in letters
            else:
                # `export 'A=b'`: a quoted assignment is still one (the evaluator checks it).
                name, eq, value = w.text.partition("=")
                if eq and keyword not in ("unset", "unsetenv"):
                    _quoted_compound(value, f"{keyword} {w.text}")
                _literal_name(name, f"{keyword} {w.text}")
                walk.arith.impure.add(name)
                if eq and keyword not in ("unset", "unsetenv"):
                    assigns.append((name, Word(value)))
                    walk.arith.untrusted_assign = True
            words.append(w)
    _emit(
        walk,
        tuple(words),
        tuple(assigns),
        (),
        piped,
        scope,
        conditional and not walk.unordered,
        False,
    )


def _literal_name(name: str, where: str) -> None:
    if not _NAME.match(name) and not re.fullmatch(
        r"[A-Za-z_][A-Za-z0-9_]*\[(?:[0-9]+|@|\*)\]", name
    ):
        raise Undecidable(
            f"'{_short(where)}' names an array element whose subscript bash evaluates"
        )
    if name in ARITH_ON_ASSIGN:
        raise Undecidable(f"'{_short(where)}' sets {name}, which bash evaluates as arithmetic")


# Arrays bash has in every shell (a name there is an array before the line makes any).
_BASH_ARRAYS = frozenset(
    "BASH_ALIASES BASH_ARGC BASH_ARGV BASH_CMDS BASH_LINENO BASH_REMATCH BASH_SOURCE "
    "BASH_VERSINFO COMP_WORDS COPROC DIRSTACK FUNCNAME GROUPS PIPESTATUS".split()
)
# Something in the line that may make a name an array: `x=(…)`, `declare -a`, `read -a`,
# `mapfile`/`readarray`.
_MAKES_ARRAY = lazy_compile(r"=\(|\b(?:mapfile|readarray)\b|\s-[A-Za-z]*[aA]")


def _declared_array_value(
    node: Node, pair: tuple[str, Word], walk: _Walk, keyword: str, array_attr: bool
) -> None:
    """``declare -a b='($(cmd))'`` (also typeset, local, readonly, export): when the name is
    or becomes an array, declare reads a value that starts with `(` — quoted, escaped or
    produced by an expansion (`declare -a b=$x`) — as an array assignment and expands its
    words again, running `$(cmd)` (a tenth red-team pass; shown with bash 5.2). Such a value
    cannot be decided; an array written as one (`declare -a b=(x y)`) is walked as usual."""
    kids = node.children
    if not kids or kids[-1].type in ("=", "+=", "array"):
        return
    name, value = pair
    where = f"{keyword} {_short(_text(node, walk))}"
    if not value.dynamic:
        if value.text.startswith("("):
            raise Undecidable(
                f"'{where}': declare reads a quoted '(…)' value as an array assignment and "
                "expands its words again"
            )
        return
    base = name.partition("[")[0].rstrip("+")
    if array_attr or base in _BASH_ARRAYS or _MAKES_ARRAY.search(walk.src):
        raise Undecidable(
            f"'{where}': a computed value of an array in declare is read as an array "
            "assignment when it starts with '(', and its words are expanded again"
        )


def _quoted_compound(value: str, where: str) -> None:
    if value.startswith("("):
        raise Undecidable(
            f"'{_short(where)}': declare parses a quoted '(…)' value as an array assignment, "
            "whose subscripts are arithmetic"
        )


_DECLARERS = frozenset({"declare", "typeset", "local", "export", "readonly"})


def _declarer_words(words: list[Word], walk: _Walk) -> None:
    """``declare``'s words in a plain command (`x=1 declare -i y=…`, `builtin declare …`):
    what they mean for arithmetic (the evaluator checks the names and refuses computed ones)."""
    for w in words:
        t = w.text
        if w.dynamic:
            continue
        if t[:1] in ("-", "+") and len(t) > 1 and "=" not in t:
            if "i" in t:
                walk.arith.int_attr = True
            continue
        name, eq, value = t.partition("=")
        base = name.partition("[")[0].rstrip("+")
        walk.arith.impure.add(base)
        if eq:
            _quoted_compound(value, t)
            if not _INT.match(value):
                walk.arith.untrusted_assign = True


def _test_command(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    _gaps(node, walk)
    kids = node.children
    double = bool(kids) and kids[0].type == "[["
    paths: list[Word] = []
    for child in kids:
        if child.type in ("[[", "]]", "[", "]"):
            continue
        _test_expr(child, walk, scope, double, paths)
    # A test runs no program; it stands in the list as the `[` builtin with the paths it
    # looks at (`-e F`: a file's metadata; a glob of `[ … ]`: its folder's listing), which
    # the evaluator decides as `stat`'s and `ls`'s (a forty-fifth red-team pass: `[ -e
    # /root/.ssh/id_rsa ]` was allowed where `stat` of it is refused)
    words = (Word("["), *paths[:64])
    _emit(walk, words, (), (), piped, scope, conditional and not walk.unordered, False)


_ARITH_TESTS = frozenset({"-eq", "-ne", "-lt", "-le", "-gt", "-ge"})


# test(1)'s operators whose operand is a path (`-e F`, `-nt`: both sides); `-t` takes a
# file descriptor, the string and number operators take data
TEST_FILE_UNARY = frozenset("-a -b -c -d -e -f -g -G -h -k -L -N -O -p -r -s -S -u -w -x".split())
TEST_FILE_BINARY = frozenset({"-nt", "-ot", "-ef"})


def _test_expr(
    node: Node, walk: _Walk, scope: int, double: bool, paths: list[Word], file_op: bool = False
) -> None:
    """One node of a test expression; ``paths`` collects the words test reads as paths, as
    `-e WORD` pairs (``file_op``: the node is the operand of a file operator), and the globs
    of `[ … ]` (filename expansion happens there, not in `[[ … ]]`)."""
    walk.tick()
    kind = node.type
    walk.enter()
    try:
        if kind == "binary_expression":
            _gaps(node, walk)
            kids = node.children
            ops = [c for c in kids if not c.is_named or c.type == "test_operator"]
            operands = [c for c in kids if c not in ops]
            op = _text(ops[0], walk) if len(ops) == 1 else ""
            if len(ops) != 1 or len(operands) != 2:
                raise Undecidable("a test expression the parser built oddly")
            if double and op in _ARITH_TESTS:
                for side in operands:
                    _arith_operand(side, walk, scope)
                return
            for side in operands:
                _test_expr(side, walk, scope, double, paths, op in TEST_FILE_BINARY)
        elif kind == "unary_expression" and node.children[:1] and node.children[0].type == "~":
            # `~/.ssh/x` read by the grammar as an operator `~` before a word: bash reads one
            # word there, tilde-expanded (forty-fifth pass: `[ -e ~/.ssh/id_rsa ]`)
            _gaps(node, walk)
            rest = [_word(c, walk, scope, False) for c in node.children[1:]]
            w = Word("~" + "".join(r.text for r in rest), any(r.dynamic for r in rest),
                     any(r.glob for r in rest))  # fmt: skip
            if file_op:
                paths += [Word("-e"), w]
            elif w.glob and not double:
                paths.append(w)
        elif kind == "unary_expression":
            _gaps(node, walk)
            kids = node.children
            op = _text(kids[0], walk) if kids else ""
            for child in kids[1:]:
                if op == "-v":
                    w = _word(child, walk, scope, False)
                    if w.dynamic:
                        raise Undecidable("'-v' with a computed name evaluates its subscript")
                    _literal_name(w.text, f"-v {w.text}")
                else:
                    _test_expr(child, walk, scope, double, paths, op in TEST_FILE_UNARY)
        elif kind == "parenthesized_expression":
            _gaps(node, walk)
            for child in node.children:
                if child.type not in ("(", ")"):
                    _test_expr(child, walk, scope, double, paths)
        elif kind == "test_operator" or not node.is_named:
            if kind not in _TEST_TOKENS and kind != "test_operator":
                raise Undecidable(f"unsupported test token '{kind}'")
        else:
            w = _word(node, walk, scope, False)
            if file_op:
                paths += [Word("-e"), w]
            elif w.glob and not double:
                paths.append(w)
    finally:
        walk.depth -= 1


_TEST_TOKENS = frozenset({"!", "&&", "||", "==", "=", "!=", "<", ">", "=~", "-a", "-o"})


def _redirected(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    body = node.child_by_field_name("body")
    dash = False
    if body is not None and body.type == "command":
        nxt = body.next_sibling
        if nxt is not None and _LONE_DASH.fullmatch(walk.src[body.end_byte : nxt.start_byte]):
            dash = True
    _gaps(node, walk, body if dash else None)
    redirects: list[Redirect] = []
    after: list[Word] = []  # words after a redirection's target are the command's arguments
    heredoc = False
    tails: list[Node] = []
    for child in node.children:
        if body is not None and child.id == body.id:
            continue
        kind = child.type
        if kind == "herestring_redirect":
            raise Undecidable("here-strings feed hidden text to a command")
        if kind == "heredoc_redirect":
            heredoc = True
            redirects.extend(_heredoc(child, walk, scope, tails, after))
        elif kind == "file_redirect":
            redirects.append(_file_redirect(child, walk, scope, after))
        else:
            raise Undecidable(f"unsupported redirection part '{kind}'")
    if body is None:
        raise Undecidable("redirection without a command")
    if body.type == "command":
        _command(body, walk, scope, piped, conditional, tuple(redirects), heredoc, dash, after)
    elif after:
        raise Undecidable("words after the redirection of a compound command")
    else:
        # Redirections of compound bodies apply to every command inside.
        start = len(walk.commands)
        _visit(body, walk, scope, piped, conditional)
        for i in range(start, len(walk.commands)):
            c = walk.commands[i]
            walk.commands[i] = c._replace(
                redirects=c.redirects + tuple(redirects), heredoc=c.heredoc or heredoc
            )
    if tails:
        # tree-sitter-bash hangs what follows a here-document's operator on its line
        # (`cat <<E | sh && rm x`) under the redirection, grouped its own way. Bash reads it as
        # the rest of the pipeline and list; decide every command there without trusting the
        # grouping: own scope, stdin maybe from the document, no cd chain narrowing.
        walk.unordered += 1
        walk.concurrent += 1
        try:
            for tail in tails:
                _statements(
                    [c for c in tail.children if c.type not in ("|", "|&", "&&", "||")]
                    if tail.type == "pipeline" and tail.children[0].type in ("|", "|&")
                    else [tail],
                    walk,
                    walk.child_scope(scope),
                    True,
                    False,
                )
        finally:
            walk.unordered -= 1
            walk.concurrent -= 1


_HEREDOC_DELIMITER = lazy_compile(r"[A-Za-z0-9_.\-]+\Z")


def _heredoc(
    node: Node, walk: _Walk, scope: int, tails: list[Node], after: list[Word]
) -> list[Redirect]:
    """Check a here-document ends where bash ends it; walk its body when it is expanded."""
    _gaps(node, walk)
    out: list[Redirect] = []
    op = ""
    delimiter = ""
    quoted = False
    body: Node | None = None
    end: Node | None = None
    for child in node.children:
        kind = child.type
        if kind in ("<<", "<<-"):
            op = kind
        elif kind == "heredoc_start":
            raw = _text(child, walk)
            quoted = any(q in raw for q in ("'", '"', "\\"))
            delimiter = _heredoc_delimiter(raw)
        elif kind == "heredoc_body":
            body = child
        elif kind == "heredoc_end":
            end = child
        elif kind == "file_redirect":
            out.append(_file_redirect(child, walk, scope, after))
        elif kind == "herestring_redirect":
            raise Undecidable("here-strings feed hidden text to a command")
        elif kind in ("&&", "||", "|", "|&"):
            continue
        elif child.is_named and kind in _HANDLERS:
            tails.append(child)
        else:
            raise Undecidable(f"unsupported here-document part '{kind}'")
    if not op or not delimiter or body is None or end is None:
        raise Undecidable("a here-document without its delimiter")
    _heredoc_bounds(node, body, end, op, delimiter, walk)
    if not quoted:
        _heredoc_body(body, walk, scope)
    return out


def _heredoc_delimiter(raw: str) -> str:
    """The delimiter after quote removal; only plain words, optionally quoted as a whole."""
    if _HEREDOC_DELIMITER.match(raw):
        return raw
    if len(raw) > 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        inner = raw[1:-1]
        if _HEREDOC_DELIMITER.match(inner):
            return inner
    if raw.startswith("\\") and _HEREDOC_DELIMITER.match(raw[1:]):
        return raw[1:]
    raise Undecidable(f"here-document delimiter {raw!r} is not a plain word")


def _heredoc_bounds(
    node: Node, body: Node, end: Node, op: str, delimiter: str, walk: _Walk
) -> None:
    src = walk.src
    # The body starts on the line after the operator's line, and nothing else may be there.
    line_end = src.find("\n", node.start_byte)
    if line_end < 0 or body.start_byte != line_end + 1:
        raise Undecidable("a here-document whose body does not start on the next line")
    # It ends at the first line that is exactly the delimiter (`<<-`: after leading tabs).
    start_of_end = src.rfind("\n", 0, end.start_byte) + 1
    lead = src[start_of_end : end.start_byte]
    after = end.end_byte
    if (
        _text(end, walk) != delimiter
        or (lead and (op != "<<-" or set(lead) != {"\t"}))
        or (after < len(src) and src[after] != "\n")
    ):
        raise Undecidable("a here-document that does not end where bash ends it")
    text = src[body.start_byte : start_of_end]
    for line in text.split("\n"):
        if (line.lstrip("\t") if op == "<<-" else line) == delimiter:
            raise Undecidable("a here-document that does not end where bash ends it")


def _heredoc_body(body: Node, walk: _Walk, scope: int) -> None:
    # An unquoted body is expanded like a double-quoted string: walk what runs, check the rest.
    pos = body.start_byte
    src = walk.src
    for child in body.children:
        if child.start_byte > pos:
            _inert(src[pos : child.start_byte], True)
        pos = max(pos, child.end_byte)
        if child.type == "heredoc_content":
            _inert(_text(child, walk), True)
        else:
            _word(child, walk, scope, True)
    if body.end_byte > pos:
        _inert(src[pos : body.end_byte], True)


def _file_redirect(node: Node, walk: _Walk, scope: int, after: list[Word]) -> Redirect:
    """One redirection. tree-sitter-bash hangs the words that follow its target on it
    (`echo x >f a b`): bash passes them to the command, so they go to ``after``."""
    _gaps(node, walk)
    op = ""
    fd = ""
    target: Word | None = None
    for child in node.children:
        if child.type == "file_descriptor":
            fd = _text(child, walk)
        elif not child.is_named:
            op = child.type
        elif target is None:
            target = _word(child, walk, scope, False)
        elif _fd_variable(child, walk, scope) is None:
            after.append(_word(child, walk, scope, False))
    return Redirect(op, target or Word(""), fd)


_ARRAY_REFERENCE = lazy_compile(r"[A-Za-z_][A-Za-z0-9_]*\[")


def _fd_variable(node: Node, walk: _Walk, scope: int) -> str | None:
    """``{NAME}`` glued to a redirection operator (`{fd}>file`): bash opens a new descriptor
    and assigns its number to NAME (it persists after a builtin), so it is an assignment of
    NAME, checked like ``NAME=…``; the word is not an argument. None: an ordinary word."""
    start, end = node.start_byte, node.end_byte
    src = walk.src
    if (
        end - start < 3
        or src[start] != "{"
        or src[end - 1] != "}"
        or src[end : end + 1] not in ("<", ">")
    ):
        return None
    inner = src[start + 1 : end - 1]
    if _ARRAY_REFERENCE.match(inner):
        raise Undecidable(
            f"'{_short(src[start:end])}' assigns a descriptor to an array element whose "
            "subscript bash evaluates"
        )
    if not _NAME.match(inner):
        return None
    walk.arith.mentions[inner] += 1
    walk.arith.impure.add(inner)
    _binds(walk, inner, scope)
    return inner


# Builtins that set variables named by their arguments, in ways the walk cannot follow
# (`read -ai`, `printf -vX`): with one of them in the command no name is trusted in arithmetic.
_OPAQUE_SETTERS = frozenset({"read", "mapfile", "readarray", "getopts", "wait", "printf"})
_WRAPPING_BUILTINS = frozenset({"command", "builtin", "time", "exec", "nohup"})


def _command(
    node: Node,
    walk: _Walk,
    scope: int,
    piped: bool,
    conditional: bool,
    redirects: tuple[Redirect, ...] = (),
    heredoc: bool = False,
    dash: bool = False,
    after: Iterable[Word] = (),
) -> None:
    _gaps(node, walk)
    words: list[Word] = []
    assigns: list[tuple[str, Word]] = []
    extra: list[Redirect] = list(redirects)
    for child in node.children:
        t = child.type
        if (t == "word" or t == "concatenation") and _fd_variable(child, walk, scope):
            continue
        if t == "word":  # the common case, without a second type lookup
            words.append(_plain_word(child, walk))
        elif t == "variable_assignment":
            # `X=1 cmd`: only cmd's environment, but a value still runs its substitutions.
            assigns.append(_assignment(child, walk, scope, False))
        elif t == "command_name":
            _gaps(child, walk)
            name = child.children
            if len(name) != 1:
                raise Undecidable("a command name the parser built oddly")
            elif _fd_variable(name[0], walk, scope):
                continue
            elif name[0].type == "word":
                words.append(_plain_word(name[0], walk))
            else:
                words.append(_word(name[0], walk, scope, False))
        elif t == "file_redirect":
            extra.append(_file_redirect(child, walk, scope, words))
        elif t == "herestring_redirect":
            raise Undecidable("here-strings feed hidden text to a command")
        elif t == "heredoc_redirect":
            heredoc = True
            tails: list[Node] = []
            extra.extend(_heredoc(child, walk, scope, tails, words))
            if tails:
                raise Undecidable("a here-document inside a command followed by more commands")
        elif t == "subscript":
            raise Undecidable("array subscripts in command position")
        elif t == "$":
            raise Undecidable('locale quoting ($"…") can translate the text at run time')
        elif child.is_named:
            words.append(_word(child, walk, scope, False))
        else:
            raise Undecidable(f"unsupported token '{t}' in a command")
    if dash:
        words.append(Word("-"))
    words.extend(after)
    if words:
        _note_builtin(words, walk, scope)
    _emit(
        walk,
        tuple(words),
        tuple(assigns),
        tuple(extra),
        piped,
        scope,
        conditional and not walk.unordered,
        heredoc,
    )


def _note_builtin(words: list[Word], walk: _Walk, scope: int) -> None:
    """What a command's builtin means for arithmetic: `let` is arithmetic, setters are opaque."""
    i = 0
    while i < len(words) - 1 and words[i].text in _WRAPPING_BUILTINS:
        i += 1
        while i < len(words) - 1 and words[i].text.startswith("-"):
            i += 1
    name = words[i].text
    if name in _DECLARERS:
        _declarer_words(words[i + 1 :], walk)
    elif name == "let":
        for w in words[i + 1 :]:
            if w.dynamic:
                raise Undecidable("'let' with a computed expression")
            _arith_text(w.text, walk, scope)
    elif name in _OPAQUE_SETTERS:
        walk.arith.opaque = walk.arith.opaque or name


def _assignment(
    node: Node, walk: _Walk, scope: int, persists: bool, assoc: bool = False
) -> tuple[str, Word]:
    """``name=value`` (also ``name+=``, ``a[i]=``, ``a=(…)``); records it for arithmetic.

    ``assoc``: the value of ``declare -A name=(…)``, whose subscripts are strings (only
    there: a name declared -A elsewhere may be another variable by the time it is assigned).
    """
    walk.assignments += 1
    if walk.assignments > MAX_ASSIGNMENTS:
        raise TooComplex(f"more than {MAX_ASSIGNMENTS} assignments")
    _gaps(node, walk)
    name = ""
    value = Word("")
    op = "="
    subscript = False
    array = False
    arith_value = False
    globs: list[Word] = []
    for child in node.children:
        kind = child.type
        if kind == "variable_name":
            name = _text(child, walk)
        elif kind == "subscript":
            name = _text(child, walk)
            subscript = True
            _subscript(child, walk, scope)
        elif kind in ("=", "+="):
            op = kind
        elif kind == "array":
            _gaps(child, walk)
            array = True
            parts = []
            for c in child.named_children:
                if not assoc:
                    _array_subscript(c, walk, scope)
                parts.append(_word(c, walk, scope, False))
            value = Word(" ".join(p.text for p in parts), any(p.dynamic for p in parts))
            globs += [p for p in parts if p.glob]
        elif child.is_named:
            arith_value = kind == "arithmetic_expansion"
            value = _word(child, walk, scope, False)
            if value.glob:
                globs.append(value)  # (expanded where `$x` is used unquoted)
        else:
            raise Undecidable(f"unsupported token '{kind}' in an assignment")
    if globs:
        # an array's elements are expanded as globs (`a=(/root/.ssh/*)` lists that folder),
        # and an unquoted `$x` expands the pattern `x=/root/*` holds: the listing is decided
        # as `[ … ]`'s globs are (forty-fifth pass)
        _emit(walk, (Word("["), *globs[:64]), (), (), False, scope, True, False)
    base = name.partition("[")[0]
    pure = (
        persists
        and op == "="
        and not subscript
        and not array
        and ((not value.dynamic and not value.glob and bool(_INT.match(value.text))) or arith_value)
    )
    if not pure and (value.dynamic or not _INT.match(value.text)):
        walk.arith.untrusted_assign = True
        if base in ARITH_ON_ASSIGN:
            raise Undecidable(f"assigning {base} evaluates the value as arithmetic")
    walk.arith.mentions[base] += 1
    if persists and not subscript and not array:
        _assigned(walk, base, scope, pure)
    else:
        walk.arith.impure.add(base)
    return name, value


# `[subscript]=value` (or `+=`) of a compound assignment, with a literal subscript.
_ELEMENT_SUBSCRIPT = lazy_compile(r"\[([A-Za-z0-9_\s+\-*/%<>=!&|^~?:,()#@]*)\]\+?=")


def _array_subscript(node: Node, walk: _Walk, scope: int) -> None:
    """``a=([i]=v)``: an indexed array's subscript is arithmetic; it can read and assign
    names (`[PATH=1]=v` sets PATH). A literal one is walked as arithmetic; any other word
    that bash may read as a subscript (quotes, expansions, blanks tree-sitter split) is
    undecidable."""
    raw = _text(node, walk)
    if "[" not in raw and "]" not in raw:
        return
    if node.type in ("string", "raw_string") or raw.startswith("\\"):
        return  # quoted or escaped: a plain element
    m = _ELEMENT_SUBSCRIPT.match(raw)
    if m is None:
        if raw.startswith("[") or "]=" in raw or "]+=" in raw:
            raise Undecidable(
                f"array element '{_short(raw)}': a subscript bash evaluates as arithmetic "
                "that the policy cannot read"
            )
        return
    _arith_text(m.group(1).strip(), walk, scope)


def _assigned(walk: _Walk, name: str, scope: int, pure: bool) -> None:
    a = walk.arith
    a.seq += 1
    if pure:
        a.pure.setdefault(name, []).append((a.seq, scope, walk.guard))
    else:
        a.impure.add(name)


def _subscript(node: Node, walk: _Walk, scope: int) -> None:
    """``a[i]``: the index of an indexed array is arithmetic (``@`` and ``*`` are not)."""
    _gaps(node, walk)
    for child in node.children:
        kind = child.type
        if kind == "variable_name":
            walk.arith.mentions[_text(child, walk)] += 1
        elif kind in ("[", "]"):
            continue
        elif kind in ("word", "number") and _text(child, walk) in ("@", "*"):
            continue
        elif kind in ("word", "number"):
            _arith_text(_text(child, walk), walk, scope)
        else:
            _arith(child, walk, scope)


# ---- words ----------------------------------------------------------------------------------
def _word(node: Node, walk: _Walk, scope: int, dq: bool) -> Word:
    """Quote removal for one word; expansions make it dynamic, substitutions are walked.

    ``dq``: inside double quotes (or an unquoted here-document), where single quotes and
    ``<(`` are plain text.
    """
    walk.tick()
    t = node.type
    if t == "word" or t == "number":
        if dq:
            raw = _text(node, walk)
            _inert(raw, True)
            return Word(raw)
        return _plain_word(node, walk)
    walk.enter()
    try:
        return _WORDS.get(t, _unsupported_word)(node, walk, scope, dq)
    finally:
        walk.depth -= 1


def _unsupported_word(node: Node, walk: _Walk, scope: int, dq: bool) -> Word:
    raise Undecidable(f"unsupported word '{node.type}'")


def _raw_string(node: Node, walk: _Walk, scope: int, dq: bool) -> Word:
    text = _text(node, walk)
    if dq:  # inside "…" single quotes are literal characters, not quotes
        _inert(text, True)
        return Word(text)
    return Word(_no_subscript_code(text[1:-1]))


def _string(node: Node, walk: _Walk, scope: int, dq: bool) -> Word:
    if _text(node, walk).startswith("$"):
        raise Undecidable('locale quoting ($"…") can translate the text at run time')
    parts: list[str] = []
    dynamic = False
    number = False
    pos = node.start_byte
    src = walk.src
    for child in node.children:
        if child.start_byte > pos:  # text tree-sitter left between the parts
            gap = src[pos : child.start_byte]
            _inert(gap, True)
            parts.append(_unescape_dq(gap))
        pos = max(pos, child.end_byte)
        kind = child.type
        if kind == "string_content":
            content = _text(child, walk)
            _inert(content, True)
            parts.append(_no_subscript_code(_unescape_dq(content)))
        elif kind == '"':
            quote = _text(child, walk)
            if len(quote) > 1:
                # tree-sitter-bash puts a string of blanks into its closing quote (`" "` is
                # `"` and ` "`): the blanks were dropped, `" "x` read as `x` (a thirty-fifth
                # red-team pass)
                if child.end_byte != node.end_byte or not quote.endswith('"'):
                    raise Undecidable("a double-quoted string the parser built oddly")
                _inert(quote[:-1], True)
                parts.append(_unescape_dq(quote[:-1]))
            continue
        elif kind == "$":  # a lone `$` before the closing quote is literal
            parts.append("$")
        else:
            sub = _word(child, walk, scope, True)
            parts.append(sub.text)
            dynamic = dynamic or sub.dynamic
            number = number or sub.number
    if node.end_byte > pos:
        gap = src[pos : node.end_byte]
        _inert(gap, True)
        parts.append(_unescape_dq(gap))
    return Word("".join(parts), dynamic, False, True, number)


_DQ_ESCAPE = lazy_compile(r"\\([$`\"\\])")


def _unescape_dq(text: str) -> str:
    return _DQ_ESCAPE.sub(r"\1", text.replace("\\\n", "")) if "\\" in text else text


def _ansi(node: Node, walk: _Walk, scope: int, dq: bool) -> Word:
    raise Undecidable("ANSI-C or locale quoting ($'…', $\"…\") hides the real text")


def _concatenation(node: Node, walk: _Walk, scope: int, dq: bool) -> Word:
    _gaps(node, walk)
    subs = [_word(c, walk, scope, dq) for c in node.children]
    text = "".join(s.text for s in subs)
    if not dq and _brace_expands(
        "".join(_text(c, walk) for c in node.children if c.type == "word")
    ):
        raise Undecidable("brace expansion produces words that are not in the text")
    return Word(
        text,
        any(s.dynamic for s in subs),
        any(s.glob for s in subs),
        False,
        any(s.number for s in subs),
    )


def _simple_expansion(node: Node, walk: _Walk, scope: int, dq: bool) -> Word:
    _gaps(node, walk)
    kids = node.children
    if len(kids) != 2 or kids[0].type != "$":
        raise Undecidable(f"an expansion the parser built oddly: {_short(_text(node, walk))}")
    if kids[1].type == "variable_name":
        walk.arith.mentions[_text(kids[1], walk)] += 1
    elif kids[1].type != "special_variable_name":
        raise Undecidable(f"an expansion the parser built oddly: {_short(_text(node, walk))}")
    return Word(_text(node, walk), True)


_TRANSFORMS_OK = frozenset("QEAaUuLKk")  # ${x@P} expands the value as a prompt: it runs $(…)
_DEFAULT_OPS = frozenset({":-", "-", ":=", "=", ":+", "+", ":?", "?"})
_PATTERN_OPS = frozenset(
    {"#", "##", "%", "%%", "/", "//", "/#", "/%", "^", "^^", ",", ",,"}
)  # fmt: skip


def _expansion(node: Node, walk: _Walk, scope: int, dq: bool) -> Word:
    """``${…}``: the name, an operator, and operands that are words, patterns or arithmetic."""
    _gaps(node, walk)
    kids = node.children
    text = _text(node, walk)
    if len(kids) < 2 or kids[0].type != "${" or kids[-1].type != "}":
        raise Undecidable(f"an expansion the parser built oddly: {_short(text)}")
    if len(text) > 2 and text[2] in " \t\n|":
        raise Undecidable("'${ …; }' runs commands in the current shell")
    inner = kids[1:-1]
    prefix = ""
    if inner and inner[0].type in ("!", "#") and len(inner) > 1:
        prefix = inner[0].type
        inner = inner[1:]
    if not inner:
        return Word(text, True)  # ${#} ${!} ${$}: special parameters
    head = inner[0]
    name = ""
    if head.type == "variable_name":
        name = _text(head, walk)
        walk.arith.mentions[name] += 1
    elif head.type == "subscript":
        _subscript(head, walk, scope)
        name = _text(head, walk).partition("[")[0]
    elif head.type == "special_variable_name" or head.type in ("#", "!", "@", "*", "$", "?", "-"):
        name = ""
    else:
        raise Undecidable(f"an expansion the parser built oddly: {_short(text)}")
    rest = inner[1:]
    if prefix == "!":
        listing = (rest and [c.type for c in rest] in (["*"], ["@"])) or (
            not rest and head.type == "subscript" and _text(head, walk).endswith(("[@]", "[*]"))
        )
        if not listing:
            raise Undecidable(f"indirect expansion {_short(text)} evaluates a name held in a value")
        return Word(text, True)
    if not rest:
        return Word(text, True)
    op = rest[0].type
    operands = rest[1:]
    if op in _DEFAULT_OPS:
        if op in (":=", "=") and name:
            walk.arith.impure.add(name)
            walk.arith.untrusted_assign = True
            if name in ARITH_ON_ASSIGN:
                raise Undecidable(f"assigning {name} evaluates the value as arithmetic")
            _binds(walk, name, scope)  # `${CDPATH:=..}` assigns CDPATH
        for child in operands:
            _word(child, walk, scope, dq)
    elif op in _PATTERN_OPS:
        # A pattern is read as an unquoted word even inside "…" or a here-document (bash,
        # dash and zsh agree, shown by effect in the twenty-fifth pass): quotes quote there
        # (`"${x#'$(cmd)'}"` runs nothing) and bash runs `<(…)` (`"${x#<(cmd)}"` ran cmd,
        # read as text before). The replacement of `/` keeps the outer reading (zsh runs
        # `"${x/a/'$(cmd)'}"`), and bash runs `<(…)` there too.
        replacement = False
        for child in operands:
            if child.type in _PATTERN_OPS:
                replacement = replacement or (op[0] == "/" and child.type == "/")
                continue
            if replacement:
                if dq and _PROCESS_SUB.search(_text(child, walk)):
                    raise Undecidable(f"bash runs the process substitution in {_short(text)}")
                _word(child, walk, scope, dq)
            elif child.type in ("regex", "extglob_pattern"):
                _unquoted_pattern(_text(child, walk))
            else:
                _word(child, walk, scope, False)
    elif op == ":":
        for child in operands:
            if child.type != ":":
                _arith(child, walk, scope)
    elif op == "@":
        if len(operands) != 1 or operands[0].type not in _TRANSFORMS_OK:
            raise Undecidable(f"{_short(text)} can run the commands inside the value")
    else:
        raise Undecidable(f"unsupported expansion operator in {_short(text)}")
    return Word(text, True)


_PROCESS_SUB = lazy_compile(r"[<>]\(")


def _unquoted_pattern(text: str) -> None:
    """Refuse pattern text (read as an unquoted word) holding expansion syntax outside quotes.

    The parser leaves a pattern's quotes in one leaf (`a'$(x)'b`); bash does not expand
    inside single quotes (nor `$'…'`), so those parts are set aside, and double-quoted parts
    are checked as quoted text. An unmatched quote is refused."""
    if '$"' in text:
        raise Undecidable('locale quoting ($"…") can translate the text at run time')
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            out.append(text[i : i + 2])
            i += 2
        elif c == "'":
            j = text.find("'", i + 1)
            if out and out[-1] == "$":  # $'…' ends at an unescaped quote: `$'\''` is one
                out.pop()
                j = i + 1
                while j < n and text[j] != "'":
                    j += 2 if text[j] == "\\" else 1
                j = j if j < n else -1
            if j < 0:
                raise Undecidable(f"an unmatched quote in the pattern {_short(text)}")
            out.append(".")
            i = j + 1
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise Undecidable(f"an unmatched quote in the pattern {_short(text)}")
            _inert(text[i + 1 : j], True)
            out.append(".")
            i = j + 1
        else:
            out.append(c)
            i += 1
    _inert("".join(out), False)


def _command_substitution(node: Node, walk: _Walk, scope: int, dq: bool) -> Word:
    # The inner commands run (in a subshell) whatever the outer command is: decide them too.
    kids = node.children
    inner = walk.child_scope(scope)
    if kids and kids[0].type == "`":
        _backquoted(node, walk, inner, dq)
        return Word(_text(node, walk), True)
    _gaps(node, walk)
    if len(kids) < 2 or kids[0].type != "$(" or kids[-1].type != ")":
        raise Undecidable(f"a substitution the parser built oddly: {_short(_text(node, walk))}")
    body = kids[1:-1]
    if len(body) == 1 and body[0].type == "file_redirect":
        # `$(< file)` reads the file: a read, with no program.
        more: list[Word] = []
        r = _file_redirect(body[0], walk, inner, more)
        if r.op != "<" or r.fd or more:
            raise Undecidable("a substitution made of a redirection only")
        _emit(walk, (), (), (r,), False, inner, False, False)
        return Word(_text(node, walk), True)
    before = len(walk.commands)
    _statements(body, walk, inner, False, False)
    if len(walk.commands) == before + 1:
        c = walk.commands[before]
        if (
            not c.assigns
            and not c.redirects
            and tuple(w.text for w in c.words) in _NUMBER_PRINTERS
            and not any(w.dynamic or w.glob for w in c.words)
        ):
            return Word("1", False, False, False, True)  # `make -j$(nproc)`: a number
    return Word(_text(node, walk), True)


_UNESCAPED_BACKQUOTE = lazy_compile(r"\\.|(`)", re.S)


def _backquoted(node: Node, walk: _Walk, scope: int, dq: bool) -> None:
    """`` `…` ``: bash removes the backslashes before `` $ ` \\ `` and parses the rest again."""
    kids = node.children
    if len(kids) < 2 or kids[-1].type != "`" or kids[-1].start_byte == kids[0].start_byte:
        raise Undecidable("an unterminated back-quoted substitution")
    raw = walk.src[kids[0].end_byte : kids[-1].start_byte]
    if any(m.group(1) for m in _UNESCAPED_BACKQUOTE.finditer(raw)):
        raise Undecidable("a back-quoted substitution the parser ended early")
    if dq and '\\"' in raw:
        raise Undecidable('an escaped double quote inside `…` inside "…" (shells disagree)')
    text = re.sub(r"\\([$`\\])", r"\1", raw)
    if not text.strip():
        return
    walk.enter()
    try:
        _walk_text(text, walk, scope, False, False)
    finally:
        walk.depth -= 1


def _process_substitution(node: Node, walk: _Walk, scope: int, dq: bool) -> Word:
    raise Undecidable("process substitution runs a hidden command as a file")


def _brace(node: Node, walk: _Walk, scope: int, dq: bool) -> Word:
    raise Undecidable("brace expansion produces words that are not in the text")


def _pattern(node: Node, walk: _Walk, scope: int, dq: bool) -> Word:
    text = _text(node, walk)
    _inert(text, dq)
    return Word(text, False, True)


def _arith_expansion(node: Node, walk: _Walk, scope: int, dq: bool) -> Word:
    _gaps(node, walk)
    for child in node.children:
        if child.type not in ("$((", "))", "$[", "]"):
            _arith(child, walk, scope)
    return Word(_text(node, walk), True)


def _plain_word(node: Node, walk: _Walk) -> Word:
    raw = walk.src[node.start_byte : node.end_byte]
    if (" " in raw or "\t" in raw or "\n" in raw) and _UNESCAPED_BLANK.search(raw):
        # tree-sitter-bash reads `} [` or `[ ][` as one word; bash splits it at the blank
        # (a thirty-fifth red-team pass)
        raise Undecidable(f"the parser read two words as one: {_short(raw)!r}")
    if "$" in raw or "`" in raw or "(" in raw:
        _inert(raw, False)
    if "{" in raw and _brace_expands(raw):
        raise Undecidable("brace expansion produces words that are not in the text")
    glob = walk.globs and _GLOB.search(raw) is not None
    if "\\" in raw:
        raw = _ESCAPE.sub(r"\1", raw.replace("\\\n", ""))
    return Word(raw, False, glob)


# A blank not escaped by a backslash (an odd run of them): bash ends the word there.
_UNESCAPED_BLANK = lazy_compile(r"(?:^|[^\\])(?:\\\\)*[ \t\n]")


# Bash evaluates array subscripts found in *data* in arithmetic, `[[ -v ]]`, `printf -v`,
# `read`, `declare`, `let`, `unset` …, running any `$(…)` inside them: `x='a[$(cmd)]'; $((x))`.
_SUBSCRIPT_CODE = lazy_compile(r"\[[^\]\[]*(?:\$\(|`)")


def _no_subscript_code(text: str) -> str:
    if "[" in text and _SUBSCRIPT_CODE.search(text):
        raise Undecidable("an array subscript holding $(…) or `…` runs code when bash evaluates it")
    return text


# ---- arithmetic -----------------------------------------------------------------------------
_ARITH_ASSIGN = frozenset(
    {"=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", "&=", "^=", "|="}
)  # fmt: skip
_ARITH_OPS = frozenset(
    {
        "+", "-", "*", "/", "%", "**", "<<", ">>", "&", "|", "^", "&&", "||", "==", "!=", "<",
        ">", "<=", ">=", ",", "!", "~", "++", "--", "?", ":", "(", ")",
    }
) | _ARITH_ASSIGN  # fmt: skip


def _arith_command(node: Node, walk: _Walk, scope: int) -> None:
    for child in node.children:
        if child.type not in ("((", "))"):
            _arith(child, walk, scope)


def _arith(node: Node, walk: _Walk, scope: int) -> None:
    """Walk an arithmetic expression: record every name it reads and sets; refuse the rest."""
    walk.tick()
    kind = node.type
    walk.enter()
    try:
        if kind == "number":
            if not _INT.match(_text(node, walk).lstrip("-")):
                raise Undecidable(f"'{_text(node, walk)}' is not a number bash reads plainly")
        elif kind in ("variable_name", "word"):
            _arith_text(_text(node, walk), walk, scope)
        elif kind == "simple_expansion" or kind == "expansion":
            _arith_reference(node, walk, scope)
        elif kind == "binary_expression":
            _gaps(node, walk)
            kids = node.children
            if len(kids) != 3 or kids[1].is_named or kids[1].type not in _ARITH_OPS:
                raise Undecidable("an arithmetic expression the parser built oddly")
            left, op, right = kids[0], kids[1].type, kids[2]
            if op in _ARITH_ASSIGN:
                target = _arith_target(left, walk)
                if op != "=":
                    _use(walk, target, scope)
                _arith(right, walk, scope)
                walk.arith.mentions[target] += 1
                _assigned(walk, target, scope, True)
                _binds(walk, target, scope)
            else:
                _arith(left, walk, scope)
                _arith(right, walk, scope)
        elif kind in ("unary_expression", "postfix_expression"):
            _gaps(node, walk)
            ops = [c for c in node.children if not c.is_named]
            operands = [c for c in node.children if c.is_named]
            if len(ops) != 1 or len(operands) != 1 or ops[0].type not in _ARITH_OPS:
                raise Undecidable("an arithmetic expression the parser built oddly")
            if ops[0].type in ("++", "--"):
                target = _arith_target(operands[0], walk)
                _use(walk, target, scope)
                walk.arith.mentions[target] += 1
                _assigned(walk, target, scope, True)
                _binds(walk, target, scope)
            else:
                _arith(operands[0], walk, scope)
        elif kind in ("ternary_expression", "parenthesized_expression"):
            _gaps(node, walk)
            for child in node.children:
                if child.is_named:
                    _arith(child, walk, scope)
                elif child.type not in _ARITH_OPS:
                    raise Undecidable(f"unsupported arithmetic token '{child.type}'")
        elif kind == "variable_assignment":  # `for ((i = 0; …))`
            _gaps(node, walk)
            kids = node.children
            if len(kids) != 3 or kids[0].type != "variable_name" or kids[1].type != "=":
                raise Undecidable("an arithmetic assignment the parser built oddly")
            _arith(kids[2], walk, scope)
            target = _text(kids[0], walk)
            walk.arith.mentions[target] += 1
            _assigned(walk, target, scope, True)
            _binds(walk, target, scope)
        elif kind == "string":
            _gaps(node, walk)
            for child in node.children:
                if child.type == '"':
                    continue
                if child.type == "string_content":
                    _arith_text(_text(child, walk), walk, scope)
                else:
                    _arith(child, walk, scope)
        elif kind == "command_substitution":
            raise Undecidable(
                "the output of a command substitution inside arithmetic is evaluated as an "
                "expression (a[$(cmd)] in it runs cmd)"
            )
        elif kind == "subscript":
            raise Undecidable("an array element's value inside arithmetic is evaluated too")
        elif kind in (",", ";") or kind in _ARITH_OPS and not node.is_named:
            return
        else:
            raise Undecidable(f"unsupported arithmetic '{kind}'")
    finally:
        walk.depth -= 1


def _arith_target(node: Node, walk: _Walk) -> str:
    name = _text(node, walk)
    if node.type not in ("variable_name", "word") or not _NAME.match(name):
        raise Undecidable(f"arithmetic assigns to '{_short(name)}', not to a plain name")
    if name in ARITH_ON_ASSIGN:
        raise Undecidable(f"arithmetic assigns to {name}")
    return name


def _arith_reference(node: Node, walk: _Walk, scope: int) -> None:
    """``$x`` / ``${x}`` / ``${#x}`` inside arithmetic: the value is read as an expression."""
    kids = [c for c in node.children if c.type not in ("$", "${", "}")]
    if len(kids) == 1 and kids[0].type == "variable_name":
        name = _text(kids[0], walk)
        walk.arith.mentions[name] += 1
        _use(walk, name, scope)
        return
    if len(kids) == 1 and kids[0].type == "special_variable_name":
        if _text(kids[0], walk) in _NUMERIC_SPECIALS:
            return
    if len(kids) == 2 and kids[0].type == "#" and kids[1].type == "variable_name":
        walk.arith.mentions[_text(kids[1], walk)] += 1
        return  # a length is a number
    if node.type == "expansion" and len(kids) == 1 and kids[0].type in _NUMERIC_SPECIALS:
        return
    raise Undecidable(
        f"{_short(_text(node, walk))} inside arithmetic: its value is evaluated as an expression"
    )


_ARITH_TOKEN = lazy_compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9][0-9A-Za-z#@_]*|[\s+\-*/%<>=!&|^~?:,()]+")


def _arith_text(text: str, walk: _Walk, scope: int) -> None:
    """A literal arithmetic expression (a subscript, a `let` argument): names are uses."""
    pos = 0
    targets: list[str] = []
    for m in _ARITH_TOKEN.finditer(text):
        if m.start() != pos:
            break
        pos = m.end()
        tok = m.group()
        if tok[0].isalpha() or tok[0] == "_":
            walk.arith.mentions[tok] += 1
            if _PLAIN_ARITH_ASSIGN.match(text, pos):
                targets.append(tok)  # `i=…` does not read i; it holds a number afterwards
            else:
                _use(walk, tok, scope)
    if pos != len(text):
        raise Undecidable(
            f"arithmetic '{_short(text)}' holds text bash evaluates further ($, `, [ or quotes)"
        )
    for name in targets:  # after every use in the text (`i=i+1` reads i first)
        if name in ARITH_ON_ASSIGN:
            raise Undecidable(f"arithmetic assigns to {name}")
        _assigned(walk, name, scope, True)
    if "=" in text or "++" in text or "--" in text:
        for m in _ARITH_TEXT_ASSIGN.finditer(text):
            _binds(walk, m.group(1) or m.group(2), scope)


_PLAIN_ARITH_ASSIGN = lazy_compile(r"\s*=(?!=)")
# `NAME=`, `NAME+=` … (not `==`), `NAME++`, `++NAME` in literal arithmetic text (`let x=1`).
_ARITH_TEXT_ASSIGN = lazy_compile(
    r"(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*)\s*(?:\+\+|--|(?:\*\*|<<|>>|[-+*/%&|^])?=(?!=))"
    r"|(?:\+\+|--)\s*([A-Za-z_][A-Za-z0-9_]*)"
)


def _arith_operand(node: Node, walk: _Walk, scope: int) -> None:
    """An operand of `[[ a -eq b ]]`: expanded, then evaluated as arithmetic."""
    kind = node.type
    if kind in ("number", "word"):
        _arith_text(_text(node, walk), walk, scope)
    elif kind in ("simple_expansion", "expansion"):
        _arith_reference(node, walk, scope)
    elif kind == "string":
        parts = [c for c in node.children if c.type != '"']
        if len(parts) == 1 and parts[0].type in ("simple_expansion", "expansion"):
            _arith_reference(parts[0], walk, scope)
        elif len(parts) == 1 and parts[0].type == "string_content":
            _arith_text(_text(parts[0], walk), walk, scope)
        elif parts:
            raise Undecidable("a computed operand of an arithmetic test")
    elif kind == "arithmetic_expansion":
        _arith_expansion(node, walk, scope, False)
    else:
        raise Undecidable(
            f"'{_short(_text(node, walk))}' in an arithmetic test is evaluated as an expression"
        )


def _use(walk: _Walk, name: str, scope: int) -> None:
    a = walk.arith
    a.seq += 1
    a.uses.append((name, a.seq, scope, walk.guard))


def _check_arithmetic(walk: _Walk) -> None:
    """Refuse unless every name read in arithmetic holds a number this command assigned."""
    a = walk.arith
    if a.int_attr and (a.untrusted_assign or a.opaque):
        raise Undecidable(
            "'declare -i' makes assignments arithmetic, and this command assigns values it "
            "does not fix"
        )
    counts: dict[str, int] = {}
    for name, seq, scope, guard in a.uses:
        if a.opaque:
            raise Undecidable(
                f"'{a.opaque}' sets variables by name, so {name} inside arithmetic may hold "
                "an expression that runs code"
            )
        if name in a.impure:
            raise Undecidable(
                f"{name} inside arithmetic holds a value this command does not fix (a value "
                "like a[$(cmd)] runs cmd)"
            )
        if name not in counts:
            pattern = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])")
            counts[name] = sum(len(pattern.findall(s)) for s in walk.sources)
        if counts[name] > a.mentions[name]:
            raise Undecidable(
                f"{name} inside arithmetic is also named where the parser cannot follow it"
            )
        if name in _BASH_NUMBERS and name not in a.pure:
            continue
        ancestry = walk.ancestry(scope)
        reached = any(
            s < seq and sc in ancestry and guard[: len(g)] == g for s, sc, g in a.pure.get(name, ())
        )
        if not reached:
            raise Undecidable(
                f"{name} inside arithmetic may hold a value from outside this command (its "
                "value is evaluated as an expression)"
            )


_HANDLERS = {
    "program": _block,
    "compound_statement": _block,
    "do_group": _block,
    "command": lambda n, w, s, p, c: _command(n, w, s, p, c),
    "redirected_statement": _redirected,
    "list": _list,
    "pipeline": _pipeline,
    "subshell": _subshell,
    "negated_command": _negated,
    "if_statement": _if,
    "while_statement": _while,
    "for_statement": _for,
    "c_style_for_statement": _c_for,
    "case_statement": _case,
    "test_command": _test_command,
    "variable_assignment": _assignment_statement,
    "variable_assignments": _assignment_statement,
    "declaration_command": _declaration,
    "unset_command": _declaration,
    "function_definition": _function,
    "comment": _comment,
    "herestring_redirect": _herestring,
}

_WORDS = {
    "raw_string": _raw_string,
    "string": _string,
    "ansi_c_string": _ansi,
    "translated_string": _ansi,
    "concatenation": _concatenation,
    "simple_expansion": _simple_expansion,
    "expansion": _expansion,
    "command_substitution": _command_substitution,
    "process_substitution": _process_substitution,
    "arithmetic_expansion": _arith_expansion,
    "brace_expression": _brace,
    "extglob_pattern": _pattern,
    "regex": _pattern,
}


# ---- helpers the evaluator uses -------------------------------------------------------------
# Builtins whose arguments name variables; bash evaluates a subscript in a name (`read
# 'a[$(cmd)]'`), and a computed name can be such an element.
NAME_TAKERS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # program: (options whose value is a name, options that take some other value)
    "read": (frozenset("a"), frozenset("dinNptu")),
    "mapfile": (frozenset(), frozenset("dnOsuCc")),
    "readarray": (frozenset(), frozenset("dnOsuCc")),
    "printf": (frozenset("v"), frozenset()),
    "wait": (frozenset("p"), frozenset()),
    "getopts": (frozenset(), frozenset()),
    "unset": (frozenset(), frozenset()),
    "declare": (frozenset(), frozenset()),
    "typeset": (frozenset(), frozenset()),
    "local": (frozenset(), frozenset()),
    "export": (frozenset(), frozenset()),
    "readonly": (frozenset(), frozenset()),
    "test": (frozenset(), frozenset()),
    "[": (frozenset(), frozenset()),
}


def name_operand_problem(program: str, args: list[Word]) -> str | None:
    """Why ``program args`` (a builtin that takes variable names) cannot be decided, or None.

    ``read "$n"``, ``printf -v "a[$i]"``, ``test -v "$x"``, ``unset "$x"`` evaluate a subscript
    in the name they are given (code in it runs); ``mapfile -C cb`` runs ``cb``.
    """
    spec = NAME_TAKERS.get(program)
    if spec is None:
        return None
    name_opts, value_opts = spec
    names: list[str] = []
    if program in ("test", "["):
        for i, w in enumerate(args[:-1]):
            if w.text == "-v":
                names.append(args[i + 1].text)
                if args[i + 1].dynamic:
                    return "'-v' with a computed name evaluates its subscript"
        return _bad_names(program, names)
    if program == "printf":
        if args and args[0].text == "-v" and len(args) > 1:
            return (
                None
                if not args[1].dynamic and _ok_name(args[1].text)
                else ("printf -v with a name that is computed or names an array element")
            )
        if args and args[0].text.startswith("-v"):
            return None if _ok_name(args[0].text[2:]) else "printf -v with an array element"
        return None
    i = 0
    positional = program not in ("wait",)
    if program in ("declare", "typeset", "local", "export", "readonly", "unset"):
        for w in args:
            if w.dynamic:
                return f"a computed name in '{program}' can be an array element whose subscript runs code"
        for w in args:
            if not w.text.startswith(("-", "+")):
                names.append(w.text.partition("=")[0])
        return _bad_names(program, names)
    rest: list[Word] = []
    while i < len(args):
        w = args[i]
        if w.dynamic:
            return f"'{program}' with a computed argument can name an array element"
        t = w.text
        if t == "--":
            rest.extend(args[i + 1 :])
            break
        if t.startswith("-") and len(t) > 1:
            for k, ch in enumerate(t[1:]):
                if ch == "C" and program in ("mapfile", "readarray"):
                    return f"{program} -C runs a callback command"
                if ch in name_opts or ch in value_opts:
                    value = t[k + 2 :] if k + 2 < len(t) else None
                    if value is None:
                        i += 1
                        if i >= len(args):
                            break
                        if args[i].dynamic:
                            return f"'{program}' with a computed argument can name an array element"
                        value = args[i].text
                    if ch in name_opts:
                        names.append(value)
                    break
            i += 1
            continue
        rest.append(w)
        i += 1
    if positional:
        if any(w.dynamic for w in rest):
            return f"'{program}' with a computed argument can name an array element"
        if program == "getopts":
            names.extend(w.text for w in rest[1:2])
        elif program in ("mapfile", "readarray"):
            names.extend(w.text for w in rest[:1])
        else:
            names.extend(w.text for w in rest)
    return _bad_names(program, names)


def _ok_name(name: str) -> bool:
    return bool(_NAME.match(name)) and name not in ARITH_ON_ASSIGN


def _bad_names(program: str, names: list[str]) -> str | None:
    for n in names:
        if not _ok_name(n):
            return (
                f"'{program}' names '{_short(n)}': an array element (bash evaluates its "
                "subscript) or a variable bash evaluates as arithmetic"
            )
    return None


# ---- shell options ------------------------------------------------------------------------
# `set` and `shopt` options an agent may turn on or off: each one only stops the shell
# earlier, prints more, refuses more or runs nothing, so a command means what the policy read
# (errexit, nounset, pipefail, errtrace, functrace, inherit_errexit: fewer commands run;
# xtrace, verbose, shift_verbose, gnu_errfmt: output on stderr; noclobber, failglob: fewer
# writes and commands; noexec: nothing runs; noglob: a glob word stays the word the policy
# read; hashall, checkhash, braceexpand: lookups and expansions the policy already refuses or
# does not depend on; notify, checkwinsize, huponexit, execfail: job and terminal details).
# Everything else changes how the text must be read and is undecidable: allexport exports
# every assignment, keyword makes `a=b` anywhere an environment word, physical and
# cdable_vars change where cd goes, lastpipe runs a pipeline's last member (its cd, its
# assignments) in this shell, nullglob makes a glob word vanish (`sort -o x*.none /etc/f`
# then writes /etc/f), globskipdots off makes `.*` match `..`, expand_aliases, extdebug,
# posix and the compat levels change what the parser reads, and so on.
SET_O_SAFE = frozenset(
    {
        "errexit", "nounset", "pipefail", "xtrace", "verbose", "noglob", "noclobber",
        "errtrace", "functrace", "braceexpand", "hashall", "noexec", "notify",
    }
)  # fmt: skip
# `set` letters that are one of those options (the others: a b k m p t H P, and invalid ones).
# zsh reads `T` as CDABLE_VARS (exec_eval refuses it in zsh); the others are harmless to zsh.
SET_LETTERS_SAFE = frozenset("euxvfCETBhn")
# Bash's set-option letters (also accepted by `bash` itself when it starts).
SET_LETTERS = frozenset("abefhkmnptuvxBCEHPT")
SHOPT_SAFE = frozenset(
    {
        "failglob", "inherit_errexit", "shift_verbose", "gnu_errfmt", "checkhash",
        "checkwinsize", "huponexit", "execfail",
    }
)  # fmt: skip
# Off in a non-interactive bash: turning them off changes nothing.
SHOPT_OFF_BY_DEFAULT = frozenset(
    {
        "autocd", "assoc_expand_once", "array_expand_once", "cdable_vars", "cdspell",
        "checkjobs", "direxpand", "dirspell", "dotglob", "extdebug", "extglob", "globstar",
        "histappend", "histreedit", "histverify", "lastpipe", "lithist", "localvar_inherit",
        "localvar_unset", "mailwarn", "no_empty_cmd_completion", "nocaseglob", "nocasematch",
        "noexpand_translation", "nullglob", "xpg_echo", "expand_aliases", "globasciiranges",
        "login_shell", "restricted_shell", "varredir_close",
    }
)  # fmt: skip
SHELL_OPTION_BUILTINS = frozenset({"set", "shopt"})


def shell_option_problem(program: str, args: list[Word]) -> str | None:
    """Why ``set …`` / ``shopt …`` cannot be decided (an option off the allowlist), or None.

    Printing and querying (``set -o``, ``shopt``, ``shopt -p``, ``shopt -q name``) change
    nothing; ``set -- args`` only sets positional parameters.
    """
    return _shopt_problem(args) if program == "shopt" else _set_problem(args)


def _shopt_problem(args: list[Word]) -> str | None:
    for w in args:
        if w.dynamic:
            return f"'shopt {_short(w.text)}': a computed argument can name any option"
    flags: set[str] = set()
    i = 0
    while i < len(args):
        t = args[i].text
        if t == "--":
            i += 1
            break
        if not t.startswith("-") or t == "-":
            break
        unknown = set(t[1:]) - set("psuoq")
        if unknown:
            return f"'shopt {t}': an option bash's shopt does not take"
        flags.update(t[1:])
        i += 1
    names = args[i:]
    if "s" not in flags and "u" not in flags:
        return None  # prints or queries
    for w in names:
        if "o" in flags:
            ok = w.text in SET_O_SAFE
        elif "s" in flags:
            ok = w.text in SHOPT_SAFE
        else:
            ok = w.text in SHOPT_SAFE or w.text in SHOPT_OFF_BY_DEFAULT
        if not ok:
            verb = "set" if "s" in flags else "unset"
            kind = "a set -o option" if "o" in flags else "a shell option"
            return (
                f"shopt would {verb} {w.text!r}, {kind} that changes how the command must be "
                "read (not on the list of options an agent may change)"
            )
    return None


def _set_problem(args: list[Word]) -> str | None:
    i = 0
    while i < len(args):
        w = args[i]
        if w.dynamic:
            return f"'set {_short(w.text)}': a computed argument can turn on any option"
        t = w.text
        if t in ("-", "--") or t[:1] not in ("-", "+") or len(t) < 2:
            return None  # the rest are positional parameters
        i += 1
        for ch in t[1:]:
            if ch == "o":
                if i < len(args) and args[i].dynamic:
                    return "'set -o' with a computed option name"
                if i < len(args) and args[i].text[:1] not in ("-", "+", ""):
                    name = args[i].text
                    i += 1
                    if name not in SET_O_SAFE:
                        return (
                            f"'set {t[0]}o {name}' changes how the command must be read "
                            "(not on the list of options an agent may change)"
                        )
            elif ch not in SET_LETTERS_SAFE:
                return (
                    f"'set {t[0]}{ch}' changes how the command must be read (not on the list "
                    "of options an agent may change)"
                )
    return None


def invocation_option_problem(sign: str, letters: str, values: list[str]) -> str | None:
    """A shell's start-up option cluster (``-a``, ``-eo NAME``, ``+O NAME``), or None.

    ``values``: the words its ``o``/``O`` letters take, in order; letters that are not set
    options (``-c``, ``-s``, ``-i`` …) are the caller's.
    """
    taken = iter(values)
    for ch in letters:
        if ch in ("o", "O"):
            value = next(taken, None)
            if value is None:
                continue  # lists the options
            if ch == "o":
                ok = value in SET_O_SAFE
            else:
                ok = value in SHOPT_SAFE or (sign == "+" and value in SHOPT_OFF_BY_DEFAULT)
            if not ok:
                return f"'{sign}{ch} {value}' at shell start changes how the command must be read"
        elif ch in SET_LETTERS and ch not in SET_LETTERS_SAFE:
            return f"'{sign}{ch}' at shell start changes how the command must be read"
    return None


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
