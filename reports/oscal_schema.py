"""Validation of the OSCAL export against NIST's assessment-results schema (vendored).

The schema is draft-07 with two things a default ``jsonschema`` validator would not check:
``format`` (date-time, uri, uri-reference, email) is only asserted with a format checker, and
its patterns use Unicode classes (``\\p{L}``, ``\\p{N}``) that Python's ``re`` cannot compile.
The validator here checks formats and evaluates every ``pattern`` with the ``regex`` module,
which reads those classes as the schema means them. ``jsonschema`` and ``regex`` are imported
on first use, so rendering a report does not pay for them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).parent / "schema" / "oscal_assessment-results_schema.json"
OSCAL_VERSION = "1.0.4"  # the vendored schema's version; the export declares the same


@cache
def oscal_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def oscal_validator() -> Any:
    """A draft-07 validator of the schema that checks formats and Unicode-class patterns."""
    import regex
    from jsonschema import Draft7Validator, FormatChecker, ValidationError, validators

    def pattern(
        validator: Any, patrn: str, instance: Any, schema: Mapping[str, Any]
    ) -> Iterator[ValidationError]:
        if validator.is_type(instance, "string") and not regex.search(patrn, instance):
            yield ValidationError(f"{instance!r} does not match {patrn!r}")

    checker = FormatChecker()

    @checker.checks("regex", raises=regex.error)
    def is_regex(instance: object) -> bool:
        return not isinstance(instance, str) or bool(regex.compile(instance))

    cls = validators.extend(Draft7Validator, {"pattern": pattern})
    schema = oscal_schema()
    # The schema itself must be a valid draft-07 schema whose patterns compile.
    cls(Draft7Validator.META_SCHEMA, format_checker=checker).validate(schema)
    return cls(schema, format_checker=checker)


def oscal_errors(document: Mapping[str, Any]) -> list[str]:
    """Every schema violation of an OSCAL assessment-results document, as ``path: message``."""
    errors = oscal_validator().iter_errors(document)
    return sorted(f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in errors)
