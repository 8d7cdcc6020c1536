"""Python logging egress: every record's message, arguments, exception text and extras redacted."""

from __future__ import annotations

import logging
import traceback
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from enforcement_agent.redaction.redactor import Redactor

# Attributes every LogRecord has; anything else came in through ``extra=`` and is user data.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
_MARK = "_gonogo_redacted"


def _default() -> Redactor:
    from enforcement_agent.redaction import get_redactor

    return get_redactor()


def redact_record(record: logging.LogRecord, redactor: Redactor) -> None:
    """Redact a record in place, once (the record factory and handler filters may both run)."""
    if getattr(record, _MARK, False):
        return
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a bad format string must not leak its arguments
        message = f"{record.msg!s} (unformattable arguments dropped)"
    record.msg = redactor.redact_text(message)
    record.args = None
    if record.exc_info and record.exc_info[0] is not None:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        record.exc_text = redactor.redact_text(text)
        record.exc_info = None
    elif record.exc_text:
        record.exc_text = redactor.redact_text(record.exc_text)
    if record.stack_info:
        record.stack_info = redactor.redact_text(record.stack_info)
    for name, value in list(record.__dict__.items()):
        if name not in _STANDARD and name != _MARK:
            record.__dict__[name] = redactor.redact_obj({name: value})[name]
    setattr(record, _MARK, True)


class RedactingLogFilter(logging.Filter):
    """A filter for handlers (or loggers) that redacts each record and always lets it through."""

    def __init__(self, redactor: Redactor | None = None) -> None:
        super().__init__()
        self._redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record, self._redactor or _default())
        return True


_installed: dict[str, Any] = {}


def install_logging_redaction(
    redactor: Redactor | None = None, logger: logging.Logger | None = None
) -> RedactingLogFilter:
    """Redact every record of this process.

    A record factory covers every logger and handler, including ones added later; the filter on
    the target logger's existing handlers also covers records made by other factories. Idempotent.
    """
    flt = RedactingLogFilter(redactor)
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, RedactingLogFilter) for f in handler.filters):
            handler.addFilter(flt)
    if "factory" not in _installed:
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            redact_record(record, _installed["redactor"] or _default())
            return record

        _installed["factory"] = factory
        _installed["previous"] = previous
        logging.setLogRecordFactory(factory)
    _installed["redactor"] = redactor
    return flt


def uninstall_logging_redaction() -> None:
    """Undo ``install_logging_redaction``'s record factory (tests; handlers keep their filter)."""
    factory = _installed.pop("factory", None)
    if factory is not None and logging.getLogRecordFactory() is factory:
        logging.setLogRecordFactory(_installed.pop("previous"))
    _installed.pop("redactor", None)
