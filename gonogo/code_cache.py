"""Code a hook process compiles the same way on every call, kept for the next one (stop 47).

A command hook is a new interpreter per tool call, and part of its start is compiling the same
texts each time:

* ``@dataclass`` writes each class's ``__init__``, ``__repr__``, ``__eq__``, ``__hash__`` and
  (when frozen) ``__setattr__``/``__delattr__`` as Python source and compiles it with ``exec``
  when the class is made: about 24 ms of a ~145 ms hook call for the ~165 methods of the ~32
  dataclasses on its path; ``collections.namedtuple`` (``typing.NamedTuple`` too) compiles its
  ``__new__`` with ``eval`` (~38 on the path), and ``typing.ForwardRef`` each annotation text
  of a ``NamedTuple`` with ``compile`` (~120);
* the regular expressions a decision meets, compiled on first use (``lazy_compile``: the
  modules' own patterns and the compiled policy's): ~50 for an ordinary command, about 4.5 ms
  of parsing and compiling in Python (``re._compiler``).

The hook process keeps what those compiles produced in one entry under
``$GONOGO_HOME/cache/code/``, written and read through :mod:`enforcement_agent.verified_cache`
(the compiled-policy and redactor caches' checks: a private regular file in a private
directory, the full key, HMAC-SHA256 under a 0600 secret beside it; anything else is ignored,
fail closed). What an entry can change is nothing but speed:

* a text is the key of its code: only a text (or a pattern with its flags) found verbatim in
  the verified entry gets the stored result; any other is compiled as the interpreter compiles
  it — ``compile(text, "<string>", mode)`` with no inherited ``__future__`` flags (as
  ``dataclasses`` and ``collections`` have none), and ``re.compile`` for a pattern —
  so an entry from another version of a class is unused, not wrong;
* a pattern's entry holds the arguments ``re`` handed to ``_sre.compile`` (flags, the SRE
  code, the groups) and is handed to it again: ``_sre`` validates the code as it always does.
  Only :class:`~enforcement_agent.lazy_regex.LazyPattern` compiles use it, so no pattern made
  from a command's text (``fnmatch`` of a glob, say) is ever written to the entry;
* the entry's key carries the interpreter's version and bytecode magic number: nothing made by
  another Python is loaded;
* it is used only once the hook's workspace check has passed (the state directories, this
  cache's among them, are not in or under the workspace, nor reachable through a mount), so an
  agent cannot write it; and only when the directory is not inside a workspace it was told
  about, as the policy cache.

The stand-ins are installed as globals of four modules only — ``exec`` of ``dataclasses`` (it
shadows the builtin in ``dataclasses._create_fn`` and nowhere else), ``eval`` of ``collections``
(``namedtuple``'s ``__new__``), ``compile`` of ``typing`` (``ForwardRef``) and
``lazy_regex.compile_pattern`` (what a ``LazyPattern`` compiles with) — while the hook imports
its modules and decides its call, and are removed afterwards. None of the three standard
modules has ``__future__`` flags, so a text compiled here without inheriting any is compiled
as it would be there (tested).
"""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import marshal
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import CodeType
from typing import Any

from enforcement_agent import verified_cache

_FORMAT = b"gonogo-code-cache/1\n"
# Bounds on what one entry holds (a hook call uses ~145 texts of under 1 KB and ~60 patterns).
MAX_ITEMS = 4096
MAX_TEXT_CHARS = 16_384
MAX_PATTERN_CHARS = 65_536

_RegexArgs = tuple[Any, ...]


def _key() -> str:
    """The interpreter that compiled the entry: its version, build and bytecode magic."""
    from importlib.util import MAGIC_NUMBER

    return "|".join((sys.version, sys.implementation.cache_tag or "", MAGIC_NUMBER.hex()))


def _entry_path(directory: Path, key: str) -> Path:
    return directory / f"code-{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def _inside(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


def _plain(value: object) -> bool:
    """What ``_sre.compile`` takes besides the pattern: ints, the code (a list of ints), the
    group index (str → int), the index group (a tuple of str or None)."""
    if type(value) is int:
        return True
    if type(value) is list:
        return all(type(v) is int for v in value)
    if type(value) is dict:
        return all(type(k) is str and type(v) is int for k, v in value.items())
    if type(value) is tuple:
        return all(v is None or type(v) is str for v in value)
    return False


def _valid_codes(table: object) -> bool:
    return type(table) is dict and all(
        type(k) is str and len(k) <= MAX_TEXT_CHARS and type(v) is CodeType
        for k, v in table.items()
    )


def _valid_regexes(table: object) -> bool:
    return type(table) is dict and all(
        type(k) is tuple
        and len(k) == 2
        and type(k[0]) in (str, bytes)
        and len(k[0]) <= MAX_PATTERN_CHARS
        and type(k[1]) is int
        and type(v) is tuple
        and all(_plain(a) for a in v)
        for k, v in table.items()
    )


class _SreRecorder:
    """``re._compiler``'s view of ``_sre`` while a pattern is compiled here: every attribute is
    the real module's; ``compile`` also notes the arguments it was given."""

    def __init__(self, sre: Any) -> None:
        self._sre = sre
        self.last: _RegexArgs | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sre, name)

    def compile(self, pattern: Any, *args: Any) -> Any:
        self.last = args
        return self._sre.compile(pattern, *args)


def _ints(args: _RegexArgs) -> _RegexArgs:
    """``args`` with each list of ints (of int subclasses) as a list of plain ints."""
    return tuple(
        [int(v) for v in a] if type(a) is list and all(isinstance(v, int) for v in a) else a
        for a in args
    )


def _fresh(args: _RegexArgs) -> _RegexArgs:
    """The stored arguments with their lists and dicts copied (each pattern gets its own)."""
    return tuple(list(a) if type(a) is list else dict(a) if type(a) is dict else a for a in args)


class CodeCache:
    """The verified entry of one cache directory, and what this process added to it."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.key = _key()
        self.path = _entry_path(self.directory, self.key)
        self.codes: dict[str, CodeType] = {}
        self.regexes: dict[tuple[str | bytes, int], _RegexArgs] = {}
        self.loaded = 0  # items read from a verified entry
        self.hits = 0
        self.added = 0  # items compiled here (the entry is rewritten when any)

    def load(self) -> bool:
        """Read the entry if it verifies and holds only what this module writes (else none)."""
        body = verified_cache.read_entry(self.directory, self.path, _FORMAT, self.key)
        if body is None:
            return False
        try:
            entry = marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return False
        if not (
            type(entry) is tuple
            and len(entry) == 2
            and len(entry[0]) + len(entry[1]) <= MAX_ITEMS
            and _valid_codes(entry[0])
            and _valid_regexes(entry[1])
        ):
            return False
        self.codes, self.regexes = entry
        self.loaded = len(self.codes) + len(self.regexes)
        return True

    def _room(self) -> bool:
        return len(self.codes) + len(self.regexes) < MAX_ITEMS

    def _code(self, source: str, mode: str) -> CodeType:
        """The code of ``source`` compiled in ``mode``: from the entry, else compiled here as
        ``exec``/``eval`` compile a text (``<string>``, no inherited ``__future__`` flags)."""
        key = f"{mode}\0{source}"
        code = self.codes.get(key)
        if code is not None:
            self.hits += 1
            return code
        code = compile(source, "<string>", mode, dont_inherit=True)
        if self._room() and len(key) <= MAX_TEXT_CHARS:
            self.codes[key] = code
            self.added += 1
        return code

    @staticmethod
    def _scope(globals: dict[str, Any] | None, locals: Any) -> tuple[dict[str, Any], Any]:
        """``exec``/``eval``'s own default scope: with no globals, the caller's globals and
        locals (the caller of the method that calls this, two frames up)."""
        if globals is None:
            frame = sys._getframe(2)
            return frame.f_globals, frame.f_locals if locals is None else locals
        return globals, locals

    def exec(self, source: Any, globals: dict[str, Any] | None = None, locals: Any = None) -> None:
        """``exec`` as ``dataclasses._create_fn`` calls it, a text's code from the entry."""
        globals, locals = self._scope(globals, locals)
        code = self._code(source, "exec") if type(source) is str else source
        builtins.exec(code, globals, locals)

    def eval(self, source: Any, globals: dict[str, Any] | None = None, locals: Any = None) -> Any:
        """``eval`` as ``collections.namedtuple`` calls it (its ``__new__``), likewise."""
        globals, locals = self._scope(globals, locals)
        code = self._code(source, "eval") if type(source) is str else source
        return builtins.eval(code, globals, locals)

    def compile(
        self,
        source: Any,
        filename: Any,
        mode: str,
        flags: int = 0,
        dont_inherit: bool = False,
        optimize: int = -1,
    ) -> Any:
        """``compile`` as ``typing.ForwardRef`` calls it (an annotation's text, ``"<string>"``,
        ``"eval"``), the code from the entry; any other call compiled as the builtin would from
        ``typing``, which has no ``__future__`` flags to pass on."""
        if type(source) is str and filename == "<string>" and not flags and optimize == -1:
            return self._code(source, mode)
        return builtins.compile(source, filename, mode, flags, True, optimize)

    def regex(self, pattern: str | bytes, flags: int = 0) -> Any:
        """``re.compile(pattern, flags)`` for a :class:`LazyPattern`, the SRE code from the
        entry (only the lazily compiled patterns: the modules' own and the policy's, never a
        pattern made from a command's text)."""
        import _sre

        key = (pattern, flags)
        args = self.regexes.get(key)
        if args is not None:
            self.hits += 1
            return _sre.compile(pattern, *_fresh(args))
        compiler: Any = sys.modules["re._compiler"]
        recorder = _SreRecorder(_sre)
        compiler._sre = recorder
        try:
            compiled = re.compile(pattern, flags)
        finally:
            compiler._sre = _sre
        # None when ``re`` had it compiled already. The SRE code's opcodes are int subclasses
        # (``_NamedIntConstant``): stored as the ints they are.
        last = _ints(recorder.last) if recorder.last is not None else None
        if (
            last is not None
            and type(pattern) in (str, bytes)
            and type(flags) is int
            and all(_plain(a) for a in last)
            and self._room()
            and len(pattern) <= MAX_PATTERN_CHARS
        ):
            self.regexes[key] = _fresh(last)
            self.added += 1
        return compiled

    def save(self) -> bool:
        """Write the entry (what was loaded and what was compiled here) when anything was added."""
        if not self.added:
            return False
        body = marshal.dumps((self.codes, self.regexes))
        return verified_cache.write_entry(self.directory, self.path, _FORMAT, self.key, body)


def usable_dir(directory: Path, workspaces: Iterable[Path]) -> bool:
    """Whether ``directory`` may hold the entry: not inside (or equal to) a workspace."""
    try:
        real = directory.resolve()
        return not any(_inside(real, Path(ws).resolve()) for ws in workspaces)
    except (OSError, RuntimeError):
        return False


@contextlib.contextmanager
def cached_code(
    directory: Path | None, workspaces: Iterable[Path] = ()
) -> Iterator[CodeCache | None]:
    """While inside, dataclasses, named tuples and regular expressions made in this process
    compile through the cache at ``directory`` (``None``, or a directory inside a workspace:
    not used at all).

    The entry is written on leaving when the block finished and something new was compiled; a
    block that raised writes nothing.
    """
    import collections
    import dataclasses
    import typing

    from enforcement_agent import lazy_regex

    # The modules whose names the cache stands in for (the builtins, or ``re.compile``,
    # elsewhere).
    shadowed = ((dataclasses, "exec"), (collections, "eval"), (typing, "compile"))
    if (
        directory is None
        or not usable_dir(directory, workspaces)
        or any(name in vars(module) for module, name in shadowed)
        or lazy_regex.compile_pattern is not re.compile
    ):
        yield None
        return
    cache = CodeCache(directory)
    cache.load()
    for module, name in shadowed:
        setattr(module, name, getattr(cache, name))
    lazy_regex.compile_pattern = cache.regex
    try:
        yield cache
    finally:
        lazy_regex.compile_pattern = re.compile
        for module, name in shadowed:
            with contextlib.suppress(AttributeError):
                delattr(module, name)
    # After the block's work (the hook's answer and record): a cache that cannot be written
    # only leaves the next process slower, never changes what this one answered.
    with contextlib.suppress(Exception):
        cache.save()
