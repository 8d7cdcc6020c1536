"""`ensure_schema` skips its DDL only when the DDL would change nothing: every table is a base
table of the store's schema and every migrated column is there; anything missing is added."""

from __future__ import annotations

import duckdb

from assets.tables import MIGRATIONS, TABLES, _schema_complete, ensure_schema


def _columns(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    rows = con.execute(
        "SELECT c.table_name, c.column_name FROM duckdb_columns() c "
        "JOIN duckdb_tables() t USING (table_oid) WHERE t.database_name = current_database()"
    ).fetchall()
    return {(t, c) for t, c in rows}


def test_a_fresh_store_gets_every_table_and_a_complete_one_is_left_as_it_is() -> None:
    con = duckdb.connect()
    assert not _schema_complete(con)
    ensure_schema(con)
    assert _schema_complete(con)
    before = _columns(con)
    assert {t for t, _ in before} == set(TABLES)
    ensure_schema(con)  # the fast path: nothing to add
    assert _columns(con) == before


def test_a_missing_migrated_column_or_table_is_added_back() -> None:
    con = duckdb.connect()
    ensure_schema(con)
    full = _columns(con)
    table, column, _ = MIGRATIONS[-1]
    con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    con.execute("DROP TABLE alert_drills")
    assert not _schema_complete(con)
    ensure_schema(con)
    assert _columns(con) == full


def test_a_view_under_a_tables_name_is_not_the_table() -> None:
    con = duckdb.connect()
    ensure_schema(con)
    con.execute("DROP TABLE alert_drills")
    con.execute("CREATE VIEW alert_drills AS SELECT 1 AS x")
    assert not _schema_complete(con)
    ensure_schema(con)  # the DDL runs, and (IF NOT EXISTS) leaves the view as it was
    assert con.execute("SELECT x FROM alert_drills").fetchall() == [(1,)]
    assert not _schema_complete(con)
