import ast
import unittest
from pathlib import Path

import billing
import money
import shipping


def imports_money(path):
    tree = ast.parse(Path(path).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "money":
            return True
        if isinstance(node, ast.Import) and any(a.name == "money" for a in node.names):
            return True
    return False


class HiddenRefactorTest(unittest.TestCase):
    def test_behaviour(self):
        self.assertEqual(billing.invoice_total(["12.50", "0.05", "3", ".5"]), 1250 + 5 + 300 + 50)
        self.assertEqual(shipping.shipping_cost(3, "3.20"), 960)
        self.assertEqual(money.parse_money("7.1"), 710)
        self.assertEqual(money.parse_money(" 0.99 "), 99)

    def test_no_duplication(self):
        for path in ("billing.py", "shipping.py"):
            self.assertTrue(imports_money(path), path)
            self.assertNotIn("partition", Path(path).read_text(), path)
