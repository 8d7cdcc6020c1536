"""Redaction at the report egress: everything rendered passes the project's redactor.

Fail closed: the redactor is a hard dependency of this module (no redactor, nothing renders),
and an error inside it propagates, so a report is never written unredacted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from enforcement_agent.redaction import get_redactor

REDACTOR = "enforcement_agent.redaction"

# Identifiers and hashes we generate ourselves; an entropy-based detector would otherwise
# mistake them for secrets and break every evidence link.
_OWN_IDS = frozenset(
    {"id", "evidence_ids", "content_hash", "spec_hash", "hash", "inputs_hash", "run_id",
     "schema_version", "criterion_id", "waiver_id", "junit_evidence", "files", "policy_version"}
)  # fmt: skip


def redact_text(text: str) -> str:
    return get_redactor().redact_text(text)


def redact_tree(obj: Any, key: str | None = None) -> Any:
    """Redact every string in a JSON-able structure, except our own ids and hashes."""
    if key in _OWN_IDS:
        return obj
    if isinstance(obj, str):
        return redact_text(obj)
    if isinstance(obj, Mapping):
        return {k: redact_tree(v, k) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [redact_tree(v) for v in obj]
    return obj
