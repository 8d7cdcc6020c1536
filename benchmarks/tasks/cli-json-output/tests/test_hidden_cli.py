import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path


class HiddenCliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.file = Path(self.tmp.name) / "in.txt"
        self.file.write_text("one two\nthree\n\nfour five six\n")

    def tearDown(self):
        self.tmp.cleanup()

    def run_tool(self, *args):
        return subprocess.run([sys.executable, "wc_tool.py", *args], capture_output=True,
                              text=True, check=True).stdout

    def test_default_unchanged(self):
        self.assertEqual(self.run_tool(str(self.file)), f"4 6 {self.file}\n")

    def test_json(self):
        for args in ([str(self.file), "--json"], ["--json", str(self.file)]):
            self.assertEqual(json.loads(self.run_tool(*args)),
                             {"path": str(self.file), "lines": 4, "words": 6})
