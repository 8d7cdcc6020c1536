"""The compiled methods of dataclasses, kept for the next hook process (stop 47).

``@dataclass`` writes each class's ``__init__``, ``__repr__``, ``__eq__``, ``__hash__`` and (when
frozen) ``__setattr__``/``__delattr__`` as Python source and compiles it with ``exec`` when the
class is made: about 24 ms of a command hook's ~145 ms went to compiling the ~165 methods of the
~32 dataclasses on its path, the same texts on every call. The process form of the hook keeps
the compiled code objects in one entry under ``$GONOGO_HOME/cache/code/``, written and read
through :mod:`enforcement_agent.verified_cache` (the compiled-policy and redactor caches' checks:
a private regular file in a private directory, the full key, HMAC-SHA256 under a 0600 secret
beside it; anything else is ignored, fail closed).

What a cached entry can change is nothing but speed:

* a method's text is the key of its code: ``dataclasses`` builds the text, and only a text
  found verbatim in the verified entry gets the stored code; any other text is compiled as
  ``exec`` would compile it (``compile(text, "<string>", "exec")`` with no inherited
  ``__future__`` flags, as ``dataclasses`` itself has none), so an entry from another version of
  a class is unused, not wrong;
* the entry's key carries the interpreter's version and bytecode magic number: code objects
  from another Python are never loaded;
* it is used only once the hook's workspace check has passed (the state directories, this
  cache's among them, are not in or under the workspace, nor reachable through a mount), so an
  agent cannot write it; and it is read only when the directory is not inside a workspace it
  was told about, as the policy cache.

The stand-ins are installed as globals of two modules only, ``exec`` of ``dataclasses`` (it
shadows the builtin in ``dataclasses._create_fn`` and nowhere else) and ``eval`` of
``collections`` (``namedtuple``'s ``__new__``, ~38 of them on the path, ``typing.NamedTuple``
included), while the hook imports its modules and decides its call, and removed afterwards.
"""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import marshal
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import CodeType
from typing import Any

from enforcement_agent import verified_cache

_FORMAT = b"gonogo-dataclass-code/1\n"
# Bounds on what one entry holds (a hook path uses ~165 texts of under 1 KB each).
MAX_TEXTS = 2048
MAX_TEXT_CHARS = 16_384


def _key() -> str:
    """The interpreter that compiled the entry: its version, build and bytecode magic."""
    from importlib.util import MAGIC_NUMBER

    return "|".join((sys.version, sys.implementation.cache_tag or "", MAGIC_NUMBER.hex()))


def _entry_path(directory: Path, key: str) -> Path:
    return directory / f"dataclass-code-{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def _inside(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


class CodeCache:
    """The verified texts → code objects of one cache directory, and what this process added."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.key = _key()
        self.path = _entry_path(self.directory, self.key)
        self.codes: dict[str, CodeType] = {}
        self.loaded = 0  # texts read from a verified entry
        self.hits = 0
        self.added = 0  # texts compiled here (the entry is rewritten when any)

    def load(self) -> bool:
        """Read the entry if it verifies and holds only texts and code objects (else none)."""
        body = verified_cache.read_entry(self.directory, self.path, _FORMAT, self.key)
        if body is None:
            return False
        try:
            table = marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return False
        if (
            type(table) is not dict
            or len(table) > MAX_TEXTS
            or not all(
                type(k) is str and len(k) <= MAX_TEXT_CHARS and type(v) is CodeType
                for k, v in table.items()
            )
        ):
            return False
        self.codes = table
        self.loaded = len(table)
        return True

    def _code(self, source: str, mode: str) -> CodeType:
        """The code of ``source`` compiled in ``mode``: from the entry, else compiled here as
        ``exec``/``eval`` compile a text (``<string>``, no inherited ``__future__`` flags)."""
        key = f"{mode}\0{source}"
        code = self.codes.get(key)
        if code is not None:
            self.hits += 1
            return code
        code = compile(source, "<string>", mode, dont_inherit=True)
        if len(self.codes) < MAX_TEXTS and len(key) <= MAX_TEXT_CHARS:
            self.codes[key] = code
            self.added += 1
        return code

    def exec(self, source: Any, globals: dict[str, Any] | None = None, locals: Any = None) -> None:
        """``exec`` as ``dataclasses._create_fn`` calls it, a text's code from the entry."""
        if globals is None:  # exec's own default: the caller's globals (and locals)
            frame = sys._getframe(1)
            globals = frame.f_globals
            if locals is None:
                locals = frame.f_locals
        if type(source) is str:
            source = self._code(source, "exec")
        builtins.exec(source, globals, locals)

    def eval(self, source: Any, globals: dict[str, Any] | None = None, locals: Any = None) -> Any:
        """``eval`` as ``collections.namedtuple`` calls it (its ``__new__``), likewise."""
        if globals is None:
            frame = sys._getframe(1)
            globals = frame.f_globals
            if locals is None:
                locals = frame.f_locals
        if type(source) is str:
            source = self._code(source, "eval")
        return builtins.eval(source, globals, locals)

    def save(self) -> bool:
        """Write the entry (what was loaded and what was compiled here) when anything was added."""
        if not self.added:
            return False
        return verified_cache.write_entry(
            self.directory, self.path, _FORMAT, self.key, marshal.dumps(self.codes)
        )


def usable_dir(directory: Path, workspaces: Iterable[Path]) -> bool:
    """Whether ``directory`` may hold the entry: not inside (or equal to) a workspace."""
    try:
        real = directory.resolve()
        return not any(_inside(real, Path(ws).resolve()) for ws in workspaces)
    except (OSError, RuntimeError):
        return False


@contextlib.contextmanager
def cached_dataclass_code(
    directory: Path | None, workspaces: Iterable[Path] = ()
) -> Iterator[CodeCache | None]:
    """While inside, dataclasses made in this process compile through the cache at
    ``directory`` (``None``, or a directory inside a workspace: not used at all).

    The entry is written on leaving when the block finished and new texts were compiled; a
    block that raised writes nothing.
    """
    import collections
    import dataclasses

    # The modules whose ``exec``/``eval`` the cache stands in for (the builtin elsewhere).
    shadowed = ((dataclasses, "exec"), (collections, "eval"))
    if (
        directory is None
        or not usable_dir(directory, workspaces)
        or any(name in vars(module) for module, name in shadowed)
    ):
        yield None
        return
    cache = CodeCache(directory)
    cache.load()
    for module, name in shadowed:
        setattr(module, name, getattr(cache, name))
    try:
        yield cache
    finally:
        for module, name in shadowed:
            with contextlib.suppress(AttributeError):
                delattr(module, name)
    # After the block's work (the hook's answer and record): a cache that cannot be written
    # only leaves the next process slower, never changes what this one answered.
    with contextlib.suppress(Exception):
        cache.save()
