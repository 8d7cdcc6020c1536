"""Regexes compiled on first use, for processes that live one tool call.

A hook process imports the redactor and a compiled policy to decide one command; compiling every
module-level pattern (and the policy's ~700) up front would cost more than the decision. A
:class:`LazyPattern` stands in for a ``re.Pattern``: reading ``pattern`` or ``flags`` does not
compile it, anything else compiles it once and from then on finds the real pattern's bound
methods on the instance itself (no forwarding on the hot path).
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, cast

_UNCOMPILED = frozenset({"pattern", "flags"})
# What a LazyPattern compiles with: ``re.compile``, or (while a hook process imports and
# decides) the verified code cache's stand-in, which gives the same pattern (``gonogo.code_cache``).
compile_pattern: Any = re.compile


class LazyPattern:
    """A stand-in for ``re.compile(pattern, flags)`` that compiles when first matched."""

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:
        # Only reached for names not yet on the instance: the first match, or a typo.
        if name in _UNCOMPILED or name.startswith("__"):
            raise AttributeError(name)
        compiled = compile_pattern(self.pattern, self.flags)
        self.__dict__.update(
            (attr, getattr(compiled, attr)) for attr in dir(compiled) if not attr.startswith("_")
        )
        return getattr(compiled, name)

    def __reduce__(self) -> tuple[type[LazyPattern], tuple[str | bytes, int]]:
        return (LazyPattern, (self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"lazy re.compile({self.pattern!r}, {self.flags})"


def lazy_compile(pattern: AnyStr, flags: int | re.RegexFlag = 0) -> re.Pattern[AnyStr]:
    """``re.compile(pattern, flags)``, compiled when first used (typed as the real thing)."""
    return cast("re.Pattern[AnyStr]", LazyPattern(pattern, int(flags)))
