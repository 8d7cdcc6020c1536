#!/bin/bash
set -e
cat > textutil.py <<'EOF'
import re


def title_case(text):
    """Capitalise every word."""
    return " ".join(w[:1].upper() + w[1:] for w in text.split())


def slugify(text):
    """Lower-case, runs of non-alphanumerics become one '-', no leading/trailing '-'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
EOF
cat > tests/test_textutil.py <<'EOF'
import unittest

from textutil import slugify, title_case


class TitleCaseTest(unittest.TestCase):
    def test_words(self):
        self.assertEqual(title_case("hello big world"), "Hello Big World")


class SlugifyTest(unittest.TestCase):
    def test_punctuation(self):
        self.assertEqual(slugify("Hello, World!"), "hello-world")

    def test_empty(self):
        self.assertEqual(slugify(""), "")
EOF
