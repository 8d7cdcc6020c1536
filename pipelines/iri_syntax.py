"""Defer ``rfc3987_syntax`` (the IRI grammar ``jsonschema`` imports for its ``iri`` formats)
until an IRI is actually checked.

``import jsonschema`` imports ``rfc3987_syntax`` when it is installed, and that module builds
a Lark grammar at import: ~1.3 s of CPU, half of what importing the Dagster definitions costs,
paid by every process that loads the readiness plan (each pipeline run, each ``gonogo``
command that builds the definitions, Dagster's code server). gonogo's schemas check no IRI
format (the plan is validated without a format checker; the OSCAL schema's formats are
date-time, uri, uri-reference and email), so the grammar is built and never used.

`defer_iri_grammar` puts a stand-in module under that name (``pipelines/deferred_import.py``):
``is_valid_syntax`` (what ``jsonschema`` takes from it) and any other attribute load the real
module on first use and answer what it answers, so a format check gives the same result as without the stand-in, only
later. A process that already imported either module is left as it is.
"""

from __future__ import annotations

import sys
from typing import Any

from pipelines.deferred_import import StandIn as _StandIn
from pipelines.deferred_import import defer, real

NAME = "rfc3987_syntax"
__all__ = ["NAME", "_StandIn", "defer_iri_grammar"]


def _is_valid_syntax(term: str, value: str) -> Any:
    return real(NAME).is_valid_syntax(term, value)


def defer_iri_grammar() -> None:
    """Install the stand-in unless ``jsonschema`` or ``rfc3987_syntax`` is already imported
    (or the latter is not installed: ``jsonschema`` then checks no IRI format either way)."""
    if "jsonschema" in sys.modules:
        return
    # ``jsonschema`` takes ``is_valid_syntax`` at its import: answered without the grammar.
    defer(NAME, is_valid_syntax=_is_valid_syntax)
