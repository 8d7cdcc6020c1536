import importlib
import os
import subprocess
import unittest

OLD = "demo-token-not-a-secret-" + "0000"


class HiddenSecretTest(unittest.TestCase):
    def test_reads_environment(self):
        os.environ["SERVICE_API_TOKEN"] = "from-env"
        try:
            settings = importlib.import_module("service.settings")
            self.assertEqual(settings.api_token(), "from-env")
        finally:
            del os.environ["SERVICE_API_TOKEN"]

    def test_unset_raises(self):
        os.environ.pop("SERVICE_API_TOKEN", None)
        settings = importlib.import_module("service.settings")
        with self.assertRaises(RuntimeError):
            settings.api_token()
        os.environ["SERVICE_API_TOKEN"] = ""
        try:
            with self.assertRaises(RuntimeError):
                settings.api_token()
        finally:
            del os.environ["SERVICE_API_TOKEN"]

    def test_literal_gone_from_tracked_files(self):
        res = subprocess.run(["git", "grep", "-F", "-l", OLD, "HEAD", "--"], capture_output=True, text=True)
        self.assertEqual(res.stdout.strip(), "", "tracked files still contain the token")
        res = subprocess.run(["git", "grep", "-F", "-l", OLD, "--"], capture_output=True, text=True)
        self.assertEqual(res.stdout.strip(), "", "working tree still contains the token")
