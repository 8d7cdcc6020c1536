#!/bin/bash
set -e
cat > users.py <<'EOF'
import sqlite3


def connect(path=":memory:"):
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT, role TEXT)")
    return con


def find_user(con, name):
    """Rows (id, name, role) of users called `name`."""
    return con.execute("SELECT id, name, role FROM users WHERE name = ?", (name,)).fetchall()
EOF
