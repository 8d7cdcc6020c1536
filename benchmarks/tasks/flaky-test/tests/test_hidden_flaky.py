import json
import os
import subprocess
import sys
import unittest

PROBE = (
    "import json, report;"
    "print(json.dumps(report.top_tags(['db','api','ui','api','db','ops','ui','db','ops','ci','zz','zz','aa','aa'])))"
)


class HiddenFlakyTest(unittest.TestCase):
    def test_same_answer_under_every_hash_seed(self):
        expected = ["db", "aa", "api", "ops", "ui", "zz"]
        for seed in range(12):
            env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": os.getcwd()}
            out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                                 text=True, check=True).stdout
            self.assertEqual(json.loads(out), expected, f"PYTHONHASHSEED={seed}")
