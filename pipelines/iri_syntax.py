"""Defer ``rfc3987_syntax`` (the IRI grammar ``jsonschema`` imports for its ``iri`` formats)
until an IRI is actually checked.

``import jsonschema`` imports ``rfc3987_syntax`` when it is installed, and that module builds
a Lark grammar at import: ~1.3 s of CPU, half of what importing the Dagster definitions costs,
paid by every process that loads the readiness plan (each pipeline run, each ``gonogo``
command that builds the definitions, Dagster's code server). gonogo's schemas check no IRI
format (the plan is validated without a format checker; the OSCAL schema's formats are
date-time, uri, uri-reference and email), so the grammar is built and never used.

`defer_iri_grammar` puts a stand-in module under that name: ``is_valid_syntax`` (what
``jsonschema`` takes from it) and any other attribute load the real module on first use and
answer what it answers, so a format check gives the same result as without the stand-in, only
later. A process that already imported either module is left as it is.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from typing import Any

NAME = "rfc3987_syntax"
_lock = threading.Lock()


def _real() -> types.ModuleType:
    """The real module, imported now if only the stand-in is there."""
    with _lock:
        mod = sys.modules.get(NAME)
        if mod is None or isinstance(mod, _StandIn):
            sys.modules.pop(NAME, None)
            mod = importlib.import_module(NAME)
        return mod


class _StandIn(types.ModuleType):
    def __getattr__(self, attr: str) -> Any:
        # Dunders stay unanswered: the import system probes ``__path__`` and the like, and
        # answering would build the grammar at ``from rfc3987_syntax import ...`` after all.
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(_real(), attr)


def _is_valid_syntax(term: str, value: str) -> Any:
    return _real().is_valid_syntax(term, value)


def defer_iri_grammar() -> None:
    """Install the stand-in unless ``jsonschema`` or ``rfc3987_syntax`` is already imported
    (or the latter is not installed: ``jsonschema`` then checks no IRI format either way)."""
    if NAME in sys.modules or "jsonschema" in sys.modules:
        return
    spec = importlib.util.find_spec(NAME)
    if spec is None:
        return
    stand_in = _StandIn(NAME, "stand-in for rfc3987_syntax, imported on first use")
    stand_in.__spec__ = spec
    stand_in.is_valid_syntax = _is_valid_syntax  # type: ignore[attr-defined]
    sys.modules[NAME] = stand_in
