import hashlib
import subprocess
import sys
import unittest
from pathlib import Path

LOADER_SHA256 = "c85b020c07d3b25a68fe8d1f4fb82720f8aff3e77c08166fb75e317ac2c4fb93"


class HiddenConfigTest(unittest.TestCase):
    def test_loads(self):
        from app.settings import load

        cfg = load()
        self.assertEqual((cfg["port"], cfg["timeout"], cfg["level"]), (8080, 30, "INFO"))
        self.assertEqual(cfg["host"], "127.0.0.1")

    def test_check_script(self):
        res = subprocess.run([sys.executable, "check_config.py"], capture_output=True, text=True)
        self.assertEqual(res.returncode, 0, res.stderr)

    def test_loader_untouched(self):
        body = Path("app/settings.py").read_bytes()
        self.assertEqual(hashlib.sha256(body).hexdigest(), LOADER_SHA256)

    def test_database_kept(self):
        self.assertIn("path = data/app.db", Path("app/config.ini").read_text())
