"""Bash parsing with tree-sitter-bash into the simple commands a policy decides.

The parser is the only place that reads shell syntax. It turns a command string into a flat
list of :class:`SimpleCommand` (every sub-command of lists, pipelines, subshells, command
substitutions, loop and branch bodies) and refuses (``Undecidable``) every construct whose
effect cannot be known from the text: process substitution, here-strings, ANSI-C quoting,
function definitions, brace expansion, control characters, parse errors.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import tree_sitter_bash
from tree_sitter import Language, Node, Parser

_LANGUAGE = Language(tree_sitter_bash.language())
# A tree-sitter Parser is not safe to share between threads; each thread gets its own.
_LOCAL = threading.local()


def _parser() -> Parser:
    parser: Parser | None = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = Parser(_LANGUAGE)
    return parser


MAX_COMMAND_BYTES = 16 * 1024
MAX_DEPTH = 8
# Control characters a terminal or bash treats specially but a reader does not see.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)
_BRACE_EXPANSION = re.compile(r"\{[^{}]*(,|\.\.)[^{}]*\}")
_ESCAPE = re.compile(r"\\(.)", re.S)
_GLOB = re.compile(r"[*?\[]")


class Undecidable(Exception):
    """The text cannot be decided with certainty; the policy denies it with this reason."""


# The parse results are NamedTuples, not frozen dataclasses: equally immutable, and three
# times cheaper to build (a parse builds one per word and per simple command).
class Word(NamedTuple):
    """One shell word after quote removal. ``dynamic`` words depend on run-time values."""

    text: str
    dynamic: bool = False
    glob: bool = False
    quoted: bool = False  # one double-quoted string: its expansions are never split into words


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


@dataclass(slots=True)
class _Walk:
    src: str = ""  # the original command: every text is sliced from it by byte offset
    globs: bool = True  # False when the command has no glob character at all (skips the scans)
    commands: list[SimpleCommand] = field(default_factory=list)
    scopes: int = 0
    parents: dict[int, int] = field(default_factory=dict)
    ancestries: dict[int, tuple[int, ...]] = field(default_factory=dict)  # scopes never move

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


@lru_cache(maxsize=4096)
def parse_cached(command: str) -> tuple[SimpleCommand, ...]:
    """:func:`parse` behind a bounded LRU (parsing is pure in the command text)."""
    return parse(command)


def parse(command: str) -> tuple[SimpleCommand, ...]:
    """Every simple command in ``command``, in source order; raises :class:`Undecidable`."""
    if len(command.encode("utf-8", "surrogatepass")) > MAX_COMMAND_BYTES:
        raise Undecidable(f"command is longer than {MAX_COMMAND_BYTES} bytes")
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
    # tree-sitter-bash's scanner reads out of bounds on some non-ASCII input (`{` followed by
    # certain astral characters crashes the process at random). Non-ASCII characters are plain
    # word characters to bash, so the parser only ever sees an ASCII stand-in (`_`, also a word
    # character) and every text is sliced from the original string: one character is one byte
    # in the stand-in, so byte offsets are character offsets.
    stand_in = command if command.isascii() else _NON_ASCII.sub("_", command)
    tree = _parser().parse(stand_in.encode("ascii"))
    root = tree.root_node
    if root.has_error:
        raise Undecidable("the shell parser reports a syntax error")
    walk = _Walk(command, _GLOB.search(command) is not None)
    try:
        _visit(root, walk, scope=0, piped=False, conditional=False)
    except RecursionError:
        raise Undecidable("the command is nested too deeply") from None
    if not walk.commands:
        raise Undecidable("no command found")
    return tuple(walk.commands)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")

# Most agent commands are plain words joined by `;`, `&&`, `||` and `|`. Those need no grammar:
# without quotes, expansions, globs, braces, redirections, comments, tildes, backslashes or
# keywords every space-separated token is a literal word, and bash's precedence (`|` binds
# tighter than `&&`/`||`, which bind tighter than `;`) fixes the structure. Anything else goes
# to tree-sitter. tests/policy/test_plain_parse.py checks both give identical commands.
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9_./:,+@=\- ;|&]+")
_PLAIN_PROGRAM = re.compile(r"[A-Za-z_./][A-Za-z0-9_./-]*")
_PLAIN_TOKEN = re.compile(r"&&|\|\||\||&|[^ |&]+")
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
                    )
                )
    return tuple(commands)


def _text(node: Node, walk: _Walk) -> str:
    return walk.src[node.start_byte : node.end_byte]


_TRANSPARENT = {"program", "compound_statement", "do_group", "else_clause", "elif_clause"}
_CONDITIONAL = {"if_statement", "while_statement", "case_statement", "case_item", "for_statement"}
_SKIP = {
    ";",
    "&",
    "&&",
    "||",
    "|",
    "|&",
    "(",
    ")",
    "{",
    "}",
    "!",
    "comment",
    "if",
    "then",
    "fi",
    "else",
    "elif",
    "while",
    "until",
    "do",
    "done",
    "for",
    "in",
    "case",
    "esac",
    ";;",
    ";&",
    ";;&",
    "variable_name",
}


def _visit(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    kind = node.type
    if kind in _TRANSPARENT or kind == "negated_command":
        for child in node.children:
            _visit(child, walk, scope, piped, conditional)
    elif kind == "command":
        _command(node, walk, scope, piped, conditional, ())
    elif kind == "redirected_statement":
        _redirected(node, walk, scope, piped, conditional)
    elif kind == "list":
        op = ""
        for child in node.children:
            if child.type in ("&&", "||"):
                op = child.type
                continue
            # The left operand keeps the flag it inherited; the right one runs only after a
            # success (&&) or only after a failure (||).
            _visit(child, walk, scope, piped, conditional if not op else op == "&&")
    elif kind == "pipeline":
        first = True
        for child in node.children:
            if child.type in ("|", "|&"):
                continue
            # Every pipeline member runs in its own subshell.
            _visit(child, walk, walk.child_scope(scope), piped or not first, conditional)
            first = False
    elif kind == "subshell":
        inner = walk.child_scope(scope)
        for child in node.children:
            _visit(child, walk, inner, piped, conditional)
    elif kind in _CONDITIONAL:
        for child in node.children:
            if kind == "for_statement" and child.type not in ("do_group",):
                if child.type in ("word", "string", "raw_string", "concatenation", "number"):
                    _words_of(child, walk, scope)
                elif child.type not in _SKIP:
                    _visit(child, walk, scope, piped, False)
                continue
            if kind == "case_statement" and child.type in ("word", "string", "raw_string"):
                _words_of(child, walk, scope)
                continue
            if kind == "case_item" and child.type in (
                "word",
                "string",
                "raw_string",
                "extglob_pattern",
            ):
                continue
            _visit(child, walk, scope, piped, False)
    elif kind == "test_command":
        _test_command(node, walk, scope)
    elif kind == "variable_assignment":
        name, value = _assignment(node, walk, scope)
        walk.commands.append(
            SimpleCommand(
                (), ((name, value),), (), piped, scope, conditional, False, walk.ancestry(scope)
            )
        )
    elif kind == "variable_assignments":
        pairs = tuple(_assignment(c, walk, scope) for c in node.named_children)
        walk.commands.append(
            SimpleCommand((), pairs, (), piped, scope, conditional, False, walk.ancestry(scope))
        )
    elif kind in _SKIP:
        return
    elif kind == "function_definition":
        raise Undecidable("function definitions can shadow any command")
    elif kind in ("process_substitution",):
        raise Undecidable("process substitution runs a hidden command as a file")
    elif kind == "declaration_command":
        _declaration(node, walk, scope, piped, conditional)
    elif kind == "unset_command":
        _declaration(node, walk, scope, piped, conditional)
    else:
        raise Undecidable(f"unsupported shell construct '{kind}'")


def _declaration(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    words: list[Word] = []
    assigns: list[tuple[str, Word]] = []
    for child in node.children:
        if child.type == "variable_assignment":
            assigns.append(_assignment(child, walk, scope))
        elif child.is_named:
            words.append(_word(child, walk, scope))
        else:
            words.append(Word(_text(child, walk)))
    walk.commands.append(
        SimpleCommand(
            tuple(words), tuple(assigns), (), piped, scope, conditional, False, walk.ancestry(scope)
        )
    )


def _test_command(node: Node, walk: _Walk, scope: int) -> None:
    # `[[ … ]]` only evaluates words; what matters is the expansions inside them.
    for sub in _descendants(node):
        if sub.type == "command_substitution":
            _substitution(sub, walk, scope)
        elif sub.type == "process_substitution":
            raise Undecidable("process substitution runs a hidden command as a file")
        elif sub.type == "ansi_c_string":
            raise Undecidable("ANSI-C quoting ($'…') hides the real text")


def _descendants(node: Node) -> list[Node]:
    out: list[Node] = []
    stack = list(node.children)
    while stack:
        n = stack.pop()
        out.append(n)
        if n.type not in ("command_substitution",):
            stack.extend(n.children)
    return out


def _redirected(node: Node, walk: _Walk, scope: int, piped: bool, conditional: bool) -> None:
    body = node.child_by_field_name("body")
    redirects: list[Redirect] = []
    heredoc = False
    for child in node.children:
        if child is body or child.id == (body.id if body else -1):
            continue
        if child.type == "herestring_redirect":
            raise Undecidable("here-strings feed hidden text to a command")
        if child.type == "heredoc_redirect":
            heredoc = True
            redirects.extend(_heredoc(child, walk, scope))
        elif child.type == "file_redirect":
            redirects.append(_file_redirect(child, walk, scope))
    if body is None:
        raise Undecidable("redirection without a command")
    if body.type == "command":
        _command(body, walk, scope, piped, conditional, tuple(redirects), heredoc)
        return
    # Redirections of compound bodies apply to every command inside.
    start = len(walk.commands)
    _visit(body, walk, scope, piped, conditional)
    for i in range(start, len(walk.commands)):
        c = walk.commands[i]
        walk.commands[i] = SimpleCommand(
            c.words,
            c.assigns,
            c.redirects + tuple(redirects),
            c.piped_stdin,
            c.scope,
            c.after_and,
            c.heredoc or heredoc,
            c.ancestry,
        )


def _heredoc(node: Node, walk: _Walk, scope: int) -> list[Redirect]:
    out: list[Redirect] = []
    quoted = False
    for child in node.children:
        if child.type == "heredoc_start":
            quoted = any(q in _text(child, walk) for q in ("'", '"', "\\"))
        elif child.type == "heredoc_body" and not quoted:
            for sub in _descendants(child):
                if sub.type == "command_substitution":
                    _substitution(sub, walk, scope)
                elif sub.type in ("expansion", "simple_expansion", "arithmetic_expansion"):
                    pass  # expands to data, not code
        elif child.type == "file_redirect":
            out.append(_file_redirect(child, walk, scope))
        elif child.type == "herestring_redirect":
            raise Undecidable("here-strings feed hidden text to a command")
    return out


def _file_redirect(node: Node, walk: _Walk, scope: int) -> Redirect:
    op = ""
    fd = ""
    target = Word("")
    for child in node.children:
        if child.type == "file_descriptor":
            fd = _text(child, walk)
        elif not child.is_named:
            op = child.type
        else:
            target = _word(child, walk, scope)
    return Redirect(op, target, fd)


def _command(
    node: Node,
    walk: _Walk,
    scope: int,
    piped: bool,
    conditional: bool,
    redirects: tuple[Redirect, ...],
    heredoc: bool = False,
) -> None:
    words: list[Word] = []
    assigns: list[tuple[str, Word]] = []
    extra: list[Redirect] = list(redirects)
    for child in node.children:
        t = child.type
        if t == "word":  # the common case, without a second type lookup
            words.append(_plain_word(child, walk))
        elif t == "variable_assignment":
            assigns.append(_assignment(child, walk, scope))
        elif t == "command_name":
            name = child.children
            if not name:
                words.append(Word(""))
            elif name[0].type == "word":
                words.append(_plain_word(name[0], walk))
            else:
                words.append(_word(name[0], walk, scope))
        elif t == "file_redirect":
            extra.append(_file_redirect(child, walk, scope))
        elif t == "herestring_redirect":
            raise Undecidable("here-strings feed hidden text to a command")
        elif t == "heredoc_redirect":
            heredoc = True
            extra.extend(_heredoc(child, walk, scope))
        elif t == "subscript":
            raise Undecidable("array subscripts in command position")
        elif t == "$":
            raise Undecidable('locale quoting ($"…") can translate the text at run time')
        elif child.is_named:
            words.append(_word(child, walk, scope))
    walk.commands.append(
        SimpleCommand(
            tuple(words),
            tuple(assigns),
            tuple(extra),
            piped,
            scope,
            conditional,
            heredoc,
            walk.ancestry(scope),
        )
    )


def _assignment(node: Node, walk: _Walk, scope: int) -> tuple[str, Word]:
    name = ""
    value = Word("")
    for child in node.children:
        if child.type == "variable_name":
            name = _text(child, walk)
        elif child.type == "subscript":
            name = _text(child, walk)
            for inner in _descendants(child):  # `a[$(cmd)]=1` runs cmd
                if inner.type == "command_substitution":
                    _substitution(inner, walk, scope)
                elif inner.type == "process_substitution":
                    raise Undecidable("process substitution runs a hidden command as a file")
        elif child.type == "array":
            parts = [_word(c, walk, scope) for c in child.named_children]
            value = Word(" ".join(p.text for p in parts), any(p.dynamic for p in parts))
        elif child.is_named:
            value = _word(child, walk, scope)
    return name, value


def _substitution(node: Node, walk: _Walk, scope: int) -> None:
    # The inner commands run (in a subshell) whatever the outer command is: decide them too.
    inner = walk.child_scope(scope)
    for child in node.children:
        if child.is_named:
            _visit(child, walk, inner, False, False)


def _word(node: Node, walk: _Walk, scope: int) -> Word:
    """Quote removal for one word; expansions make it dynamic, substitutions are walked."""
    t = node.type
    if t in ("word", "number"):
        return _plain_word(node, walk)
    if t == "raw_string":
        return Word(_no_subscript_code(_text(node, walk)[1:-1]))
    if t == "string":
        if _text(node, walk).startswith("$"):
            raise Undecidable('locale quoting ($"…") can translate the text at run time')
        parts: list[str] = []
        dynamic = False
        for child in node.children:
            if child.type == "string_content":
                content = re.sub(r"\\([$`\"\\\n])", r"\1", _text(child, walk))
                parts.append(_no_subscript_code(content))
            elif child.type in ('"',):
                continue
            else:
                sub = _word(child, walk, scope)
                parts.append(sub.text)
                dynamic = dynamic or sub.dynamic
        return Word("".join(parts), dynamic, False, True)
    if t == "ansi_c_string" or t == "translated_string":
        raise Undecidable("ANSI-C or locale quoting ($'…', $\"…\") hides the real text")
    if t == "concatenation":
        subs = [_word(c, walk, scope) for c in node.children]
        text = "".join(s.text for s in subs)
        if _BRACE_EXPANSION.search(
            "".join(_text(c, walk) for c in node.children if c.type == "word")
        ):
            raise Undecidable("brace expansion produces words that are not in the text")
        return Word(text, any(s.dynamic for s in subs), any(s.glob for s in subs))
    if t in ("simple_expansion", "expansion", "arithmetic_expansion"):
        for inner in _descendants(node):
            if inner.type == "command_substitution":
                _substitution(inner, walk, scope)
            elif inner.type == "process_substitution":
                raise Undecidable("process substitution runs a hidden command as a file")
        return Word(_text(node, walk), True)
    if t == "command_substitution":
        _substitution(node, walk, scope)
        return Word(_text(node, walk), True)
    if t == "process_substitution":
        raise Undecidable("process substitution runs a hidden command as a file")
    if t in ("extglob_pattern", "regex"):
        return Word(_text(node, walk), False, True)
    raise Undecidable(f"unsupported word '{t}'")


def _plain_word(node: Node, walk: _Walk) -> Word:
    raw = walk.src[node.start_byte : node.end_byte]
    if "{" in raw and _BRACE_EXPANSION.search(raw):
        raise Undecidable("brace expansion produces words that are not in the text")
    glob = walk.globs and _GLOB.search(raw) is not None
    return Word(_ESCAPE.sub(r"\1", raw) if "\\" in raw else raw, False, glob)


# Bash evaluates array subscripts found in *data* in arithmetic, `[[ -v ]]`, `printf -v`,
# `read`, `declare`, `let`, `unset` …, running any `$(…)` inside them: `x='a[$(cmd)]'; $((x))`.
_SUBSCRIPT_CODE = re.compile(r"\[[^\]]*(?:\$\(|`)")


def _no_subscript_code(text: str) -> str:
    if _SUBSCRIPT_CODE.search(text):
        raise Undecidable("an array subscript holding $(…) or `…` runs code when bash evaluates it")
    return text


def _words_of(node: Node, walk: _Walk, scope: int) -> None:
    _word(node, walk, scope)
