"""Apply migrations/NNN_*.sql in order, once each (recorded in schema_version)."""
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).parent


def migrate(db_path, upto=None):
    con = sqlite3.connect(db_path)
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (name TEXT PRIMARY KEY)")
    done = {r[0] for r in con.execute("SELECT name FROM schema_version")}
    for path in sorted((HERE / "migrations").glob("[0-9][0-9][0-9]_*.sql")):
        if upto is not None and path.name[:3] > upto:
            break
        if path.name in done:
            continue
        con.executescript(path.read_text())
        con.execute("INSERT INTO schema_version VALUES (?)", (path.name,))
        con.commit()
    con.close()


if __name__ == "__main__":
    migrate(sys.argv[1])
