"""Defer a module that a library imports at its top but uses only inside calls we never make.

`defer` puts a stand-in module under the name: any attribute (but the dunders the import
system probes) imports the real module on first use and answers what it answers, so a
program that does use the module gets the same result, only later. A module already
imported, or not installed, is left as it is. Two such modules:

- ``rfc3987_syntax`` (``pipelines/iri_syntax.py``), which ``jsonschema`` imports for its IRI
  formats: it builds a Lark grammar at import;
- ``scipy.stats`` (``checks/expectations.py``), which Great Expectations imports for its
  distribution expectations (KL divergence, KS tests): about 0.9 s of CPU of GX's ~3 s import
  in every pipeline run, whose suites check values, sets, formats and uniqueness only.

A package's stand-in answers ``__path__`` from the package's spec (without importing it), so
``import pkg.sub`` and ``from pkg import name`` still work while it waits.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from typing import Any

_lock = threading.RLock()  # re-entrant: a real import may touch another stand-in


class StandIn(types.ModuleType):
    """The module's place-holder in ``sys.modules`` until an attribute is asked for."""

    def __getattr__(self, attr: str) -> Any:
        # Dunders stay unanswered: the import system probes ``__file__``, ``__loader__`` and
        # the like, and answering would import the real module at ``from x import y``.
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(real(self.__name__), attr)


def real(name: str) -> types.ModuleType:
    """The real module, imported now if only the stand-in is there."""
    with _lock:
        mod = sys.modules.get(name)
        if mod is None or isinstance(mod, StandIn):
            sys.modules.pop(name, None)
            mod = importlib.import_module(name)
        return mod


def defer(name: str, **early: Any) -> StandIn | None:
    """Put a stand-in under ``name`` (with ``early`` attributes answered without importing)
    unless the module is already imported or not installed; returns it, or None."""
    if name in sys.modules:
        return None
    try:
        spec = importlib.util.find_spec(name)  # imports the parent package of a submodule
    except ModuleNotFoundError:  # the parent package is not installed
        return None
    if spec is None:
        return None
    stand_in = StandIn(name, f"stand-in for {name}, imported on first use")
    stand_in.__spec__ = spec
    if spec.submodule_search_locations is not None:
        stand_in.__path__ = list(spec.submodule_search_locations)
    for attr, value in early.items():
        setattr(stand_in, attr, value)
    sys.modules[name] = stand_in
    return stand_in
