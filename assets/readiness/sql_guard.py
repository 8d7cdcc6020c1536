"""What criterion SQL may do: read the evidence tables, nothing else.

A plan's SQL runs inside the evidence store and its ``reason`` column ends up in reports, so a
query that reads files (``read_text('/etc/passwd')``, ``FROM '/etc/passwd'``), the environment
(``getenv``) or another database could leak host data into a report. DuckDB's parser gives
us the query's syntax tree (``json_serialize_sql``); we walk it and allow only plain tables of
the evidence store, subqueries, CTEs and ordinary scalar functions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import duckdb

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SAFE_TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest"})
_DENIED_FUNCTIONS = frozenset(
    {
        "getenv",
        "current_setting",
        "glob",
        "query",
        "query_table",
        "sniff_csv",
        "load_extension",
        "duckdb_secrets",
    }
)


def _nodes(obj: Any) -> Iterator[dict[str, Any]]:
    if isinstance(obj, dict):
        yield obj
        for v in obj.values():
            yield from _nodes(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _nodes(v)


@lru_cache(maxsize=256)
def sql_problem(query: str) -> str | None:
    """Why ``query`` may not run as criterion SQL, or None when it is a plain evidence read."""
    con = duckdb.connect()
    try:
        try:
            stmts = con.extract_statements(query)
        except duckdb.Error as exc:
            return f"SQL does not parse: {str(exc).splitlines()[0]}"
        if len(stmts) != 1:
            return f"SQL must be exactly one statement, found {len(stmts)}"
        if stmts[0].type != duckdb.StatementType.SELECT:
            return f"SQL must be a SELECT, found {stmts[0].type.name}"
        row = con.execute("SELECT json_serialize_sql(?)", [query]).fetchone()
    finally:
        con.close()
    tree = json.loads(row[0]) if row else {"error": True, "error_message": "no syntax tree"}
    if tree.get("error"):
        return f"SQL cannot be checked: {tree.get('error_message', 'unsupported statement')}"
    for node in _nodes(tree["statements"]):
        kind = node.get("type")
        if kind == "TABLE_FUNCTION":
            name = str(node.get("function", {}).get("function_name", "")).lower()
            if name not in _SAFE_TABLE_FUNCTIONS:
                return f"SQL may only read evidence tables; table function {name}() is not allowed"
        elif kind == "BASE_TABLE":
            table = str(node.get("table_name", ""))
            if (
                node.get("catalog_name")
                or node.get("schema_name") not in ("", "main")
                or not _IDENT.match(table)
            ):
                return f"SQL may only read evidence tables; {table!r} is not a plain table name"
        elif node.get("class") == "FUNCTION":
            name = str(node.get("function_name", "")).lower()
            if name in _DENIED_FUNCTIONS or name.startswith("read_"):
                return f"SQL function {name}() is not allowed in criteria"
    return None
