import unittest

from report import top_tags


class TopTagsTest(unittest.TestCase):
    def test_order(self):
        tags = ["db", "api", "ui", "api", "db", "ops", "ui", "db", "ops", "ci"]
        self.assertEqual(top_tags(tags), ["db", "api", "ops", "ui"])
