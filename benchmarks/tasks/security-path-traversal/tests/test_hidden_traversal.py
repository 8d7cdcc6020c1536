import os
import tempfile
import unittest

from files import safe_path


class HiddenTraversalTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.join(self.tmp.name, "root")
        os.makedirs(os.path.join(self.root, "a", "b"))
        os.symlink("/etc", os.path.join(self.root, "out"))

    def tearDown(self):
        self.tmp.cleanup()

    def test_inside(self):
        got = safe_path(self.root, "a/b/c.txt")
        self.assertEqual(got, os.path.join(os.path.realpath(self.root), "a", "b", "c.txt"))
        self.assertTrue(safe_path(self.root, "a/../a/x").endswith(os.path.join("a", "x")))

    def test_escapes(self):
        for bad in ["../x", "a/../../x", "/etc/passwd", "a/b/../../../x", "out/passwd", "..", "rootx/../../x"]:
            with self.assertRaises(ValueError, msg=bad):
                safe_path(self.root, bad)

    def test_sibling_prefix(self):
        os.makedirs(self.root + "2")
        with self.assertRaises(ValueError):
            safe_path(self.root, "../root2/x")
