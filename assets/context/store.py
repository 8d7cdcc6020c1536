"""The agent's context store: what an agent may look up, one tenant at a time.

Items (table ``context_items``) are summaries of past decisions and tool calls, and documents
an operator gives a tenant's agents (``$GONOGO_HOME/context/<tenant>/*.md|*.txt``). Every read
takes the tenant explicitly and filters on it in SQL; a missing or invalid tenant raises
:class:`MissingTenantError` — never "every tenant's items".
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from enforcement_agent.models import valid_tenant

DOCUMENT_SUFFIXES = (".md", ".txt")
MAX_DOCUMENT_BYTES = 256 * 1024
MAX_RESULTS = 100


class MissingTenantError(ValueError):
    """A context read without a tenant: refused, not widened to everything."""


def require_tenant(tenant: object) -> str:
    if not isinstance(tenant, str) or not valid_tenant(tenant):
        raise MissingTenantError(f"context reads need the caller's tenant, got {tenant!r}")
    return tenant


@dataclass(frozen=True)
class ContextItem:
    tenant_id: str
    item_id: str
    kind: str
    title: str
    body: str
    source: str
    created_at: datetime


def search_context(
    con: duckdb.DuckDBPyConnection, tenant: object, query: str = "", limit: int = 20
) -> list[dict[str, Any]]:
    """The tenant's items whose title or body contains ``query`` (case-insensitive), newest first."""
    tenant_id = require_tenant(tenant)
    needle = (query or "").lower()[:500]
    rows = con.execute(
        """
        SELECT item_id, kind, title, body, source, created_at FROM context_items
        WHERE tenant_id = ?
          AND (? = '' OR strpos(lower(title), ?) > 0 OR strpos(lower(body), ?) > 0)
        ORDER BY created_at DESC, item_id LIMIT ?
        """,
        [tenant_id, needle, needle, needle, max(1, min(int(limit), MAX_RESULTS))],
    ).fetchall()
    return [
        {"item_id": r[0], "kind": r[1], "title": r[2], "body": r[3], "source": r[4],
         "created_at": r[5].isoformat() if r[5] else None}
        for r in rows
    ]  # fmt: skip


def put_items(con: duckdb.DuckDBPyConnection, items: Iterable[ContextItem], now: datetime) -> int:
    n = 0
    for it in items:
        require_tenant(it.tenant_id)
        con.execute(
            """
            INSERT INTO context_items VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (tenant_id, item_id) DO UPDATE SET title = excluded.title,
              body = excluded.body, source = excluded.source, indexed_at = excluded.indexed_at
            """,
            [it.tenant_id, it.item_id, it.kind, it.title, it.body, it.source, it.created_at, now],
        )
        n += 1
    return n


def delete_items(con: duckdb.DuckDBPyConnection, tenant: object, item_ids: list[str]) -> None:
    con.execute(
        "DELETE FROM context_items WHERE tenant_id = ? AND list_contains(?, item_id)",
        [require_tenant(tenant), item_ids],
    )


def index_records(con: duckdb.DuckDBPyConnection, now: datetime) -> dict[str, int]:
    """Summaries of decision records and tool calls not yet in the store (each in its tenant).

    Item ids are bare digests of the source id: a ``name:<hex>`` shape reads as a credential to
    the leak scan."""
    decisions = con.execute(
        """
        INSERT INTO context_items
        SELECT d.tenant_id, md5('decision|' || d.decision_id), 'decision',
               coalesce(d.tool, '?') || ' ' || coalesce(d.result, '?') || ' by ' || coalesce(d.rule, '?'),
               coalesce(d.target, '') || ' — ' || coalesce(d.reason, ''),
               'decision_records', coalesce(d.ts, ?), ?
        FROM decision_records d
        ON CONFLICT (tenant_id, item_id) DO NOTHING
        """,
        [now, now],
    ).fetchone()
    calls = con.execute(
        """
        INSERT INTO context_items
        SELECT c.tenant_id, md5('tool_call|' || c.trace_id || '|' || c.span_id), 'tool_call',
               c.tool || ' ' || c.outcome,
               'decision ' || c.decision || ' (' || coalesce(c.rule, '?') || '), session '
                 || coalesce(c.session_id, '-') || ', exit ' || coalesce(CAST(c.exit_code AS VARCHAR), '-')
                 || ', ' || coalesce(CAST(round(c.duration_ms) AS VARCHAR), '?') || ' ms',
               'tool_calls', c.ts, ?
        FROM tool_calls c
        ON CONFLICT (tenant_id, item_id) DO NOTHING
        """,
        [now],
    ).fetchone()
    return {"decisions": int(decisions[0]) if decisions else 0,
            "tool_calls": int(calls[0]) if calls else 0}  # fmt: skip


def load_documents(folder: Path, now: datetime, redact: Callable[[str], str]) -> list[ContextItem]:
    """``folder/<tenant>/*.md|*.txt``: one item per file, redacted, in the folder's tenant."""
    out: list[ContextItem] = []
    if not folder.is_dir():
        return out
    for tenant_dir in sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()):
        if not valid_tenant(tenant_dir.name):
            continue
        for doc in sorted(tenant_dir.iterdir()):
            if doc.is_symlink() or not doc.is_file() or doc.suffix not in DOCUMENT_SUFFIXES:
                continue
            text = doc.read_bytes()[:MAX_DOCUMENT_BYTES].decode("utf-8", "replace")
            digest = hashlib.sha256(f"{tenant_dir.name}/{doc.name}".encode()).hexdigest()[:32]
            out.append(
                ContextItem(
                    tenant_id=tenant_dir.name,
                    item_id=digest,
                    kind="document",
                    title=redact(doc.name),
                    body=redact(text),
                    source=f"context/{tenant_dir.name}/{doc.name}",
                    created_at=now,
                )
            )
    return out
