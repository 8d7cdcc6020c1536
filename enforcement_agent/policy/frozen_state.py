"""Fast unpickling for frozen, slotted dataclasses held by compiled policies.

``dataclasses`` gives a frozen slotted class a ``__setstate__`` that calls ``fields()`` for
every object; a compiled policy holds thousands of options, and the command hook unpickles it
on every tool call. This one assigns the same state (field values in field order, so caches
written either way load either way) from a name tuple computed once per class.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

T = TypeVar("T")


def fast_setstate(cls: type[T]) -> type[T]:
    """Class decorator, placed above ``@dataclass(frozen=True, slots=True)``."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    assign = object.__setattr__

    def __setstate__(self: Any, state: Any) -> None:
        for name, value in zip(names, state, strict=True):
            assign(self, name, value)

    cls.__setstate__ = __setstate__  # type: ignore[attr-defined]
    return cls
