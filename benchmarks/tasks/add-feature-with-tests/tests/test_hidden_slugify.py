import subprocess
import sys
import unittest
from pathlib import Path

import textutil


class HiddenSlugifyTest(unittest.TestCase):
    def test_behaviour(self):
        cases = {
            "Hello, World!": "hello-world",
            "  a  b ": "a-b",
            "": "",
            "Already-slug": "already-slug",
            "x__y--z": "x-y-z",
            "Version 2.0 (beta)": "version-2-0-beta",
            "---": "",
        }
        for text, slug in cases.items():
            self.assertEqual(textutil.slugify(text), slug, text)

    def test_title_case_kept(self):
        self.assertEqual(textutil.title_case("a b"), "A B")

    def test_repo_has_slugify_tests_that_pass(self):
        body = Path("tests/test_textutil.py").read_text()
        self.assertIn("slugify", body)
        res = subprocess.run([sys.executable, "-m", "unittest", "discover", "-s", "tests", "-t", "."],
                             capture_output=True, text=True)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertRegex(res.stderr, r"Ran [2-9]|Ran [1-9][0-9]")
