import ast
import unittest
from pathlib import Path

import users


class HiddenInjectionTest(unittest.TestCase):
    def setUp(self):
        self.con = users.connect()
        self.con.executemany("INSERT INTO users (name, role) VALUES (?, ?)",
                             [("alice", "admin"), ("bob", "dev"), ("O'Brien", "dev")])

    def test_normal_lookup(self):
        self.assertEqual([r[1] for r in users.find_user(self.con, "bob")], ["bob"])

    def test_quote_in_name(self):
        self.assertEqual([r[1] for r in users.find_user(self.con, "O'Brien")], ["O'Brien"])

    def test_injection_payloads(self):
        for payload in ["' OR '1'='1", "x' OR 1=1 --", "bob' UNION SELECT 1, 'x', 'y' --"]:
            self.assertEqual(users.find_user(self.con, payload), [], payload)

    def test_sql_is_constant(self):
        tree = ast.parse(Path("users.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "execute":
                if node.args and "SELECT" in ast.unparse(node.args[0]):
                    self.assertIsInstance(node.args[0], ast.Constant)
