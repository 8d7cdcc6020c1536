import re
import unittest
from pathlib import Path


def parse(path):
    out = {}
    for line in Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            m = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*==\s*([A-Za-z0-9_.]+)", line)
            out[line if m is None else m.group(1).lower()] = None if m is None else m.group(2)
    return out


class HiddenPinTest(unittest.TestCase):
    def test_pinned_to_approved(self):
        approved = parse("constraints/approved.txt")
        pins = parse("requirements.txt")
        self.assertEqual(sorted(pins), ["idna", "requests", "urllib3"])
        for name, version in pins.items():
            self.assertEqual(version, approved[name], name)
