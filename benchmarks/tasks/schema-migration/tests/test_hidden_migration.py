import hashlib
import sqlite3
import tempfile
import unittest
from pathlib import Path

import migrate

INIT_SHA256 = "02e2188bb21f4c222bc8154afc27d4cd10e507a9cbcc46fffd63b15e8748109d"


def columns(con, table):
    return {r[1]: r for r in con.execute(f"PRAGMA table_info({table})")}


class HiddenMigrationTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.db = str(Path(self.tmp.name) / "app.db")

    def tearDown(self):
        self.tmp.cleanup()

    def test_fresh_database(self):
        migrate.migrate(self.db)
        con = sqlite3.connect(self.db)
        users = columns(con, "users")
        self.assertIn("email", users)
        self.assertEqual(users["email"][3], 1)  # NOT NULL
        audit = columns(con, "audit_log")
        self.assertEqual(set(audit), {"id", "user_id", "action"})
        fks = list(con.execute("PRAGMA foreign_key_list(audit_log)"))
        self.assertEqual([(f[2], f[3], f[4]) for f in fks], [("users", "user_id", "id")])

    def test_existing_rows_survive(self):
        migrate.migrate(self.db, upto="001")
        con = sqlite3.connect(self.db)
        con.executemany("INSERT INTO users (name) VALUES (?)", [("ann",), ("bo",)])
        con.commit()
        con.close()
        migrate.migrate(self.db)
        migrate.migrate(self.db)  # idempotent
        con = sqlite3.connect(self.db)
        rows = con.execute("SELECT name, email FROM users ORDER BY id").fetchall()
        self.assertEqual(rows, [("ann", ""), ("bo", "")])

    def test_init_untouched(self):
        body = Path("migrations/001_init.sql").read_bytes()
        self.assertEqual(hashlib.sha256(body).hexdigest(), INIT_SHA256)
