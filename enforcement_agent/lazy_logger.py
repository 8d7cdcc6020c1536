"""A module logger that imports :mod:`logging` only when something is logged.

The redactor logs only when something goes wrong (an unusable key file, a cache it could not
write); a hook process that decides one tool call and logs nothing should not pay for loading
``logging`` (and ``traceback``, ``string`` … with it) on every call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import logging


class _LazyLogger:
    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_"):
            raise AttributeError(attr)
        import logging

        return getattr(logging.getLogger(self._name), attr)


def lazy_logger(name: str) -> logging.Logger:
    """``logging.getLogger(name)``, resolved when a message is logged (typed as the real one)."""
    return cast("logging.Logger", _LazyLogger(name))
