import unittest

from textutil import title_case


class TitleCaseTest(unittest.TestCase):
    def test_words(self):
        self.assertEqual(title_case("hello big world"), "Hello Big World")
