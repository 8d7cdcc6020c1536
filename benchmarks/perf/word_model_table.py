"""Rebuild the letter-bigram table of ``enforcement_agent/redaction/word_model.py``.

    python -m benchmarks.perf.word_model_table > /tmp/table.txt   # then paste BIGRAMS

The table is log2 P(next letter | letter) over English and code vocabulary found on this
machine: the prose of installed packages' descriptions and the words of identifiers in their
Python source (``PydanticDeprecatedSince20`` → pydantic, deprecated, since). ``^`` and ``$`` mark a
word's start and end. Each entry is quantized to one character (``_LEVELS`` steps of 0.5 bit).
"""

from __future__ import annotations

import collections
import importlib.metadata
import math
import re
import sysconfig
from pathlib import Path

ALPHABET = "^abcdefghijklmnopqrstuvwxyz$"
# One printable character per quantized level: level i = -0.5 * i bits (0 … -15.5).
LEVELS = "0123456789ABCDEFGHIJKLMNOPQRSTUV"


def counts() -> collections.Counter[str]:
    cnt: collections.Counter[str] = collections.Counter()

    def feed(word: str) -> None:
        w = word.lower()
        if len(w) >= 2 and w.isascii() and w.isalpha():
            w = "^" + w + "$"
            cnt.update(a + b for a, b in zip(w, w[1:], strict=False))

    for dist in importlib.metadata.distributions():
        for w in re.findall(r"[A-Za-z]+", dist.metadata.get_payload() or ""):  # type: ignore[attr-defined]
            feed(w)
    root = Path(sysconfig.get_paths()["purelib"])
    for path in sorted(root.rglob("*.py"))[:3000]:
        for ident in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", path.read_text(errors="replace")):
            for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", ident):
                feed(w)
    return cnt


def table(cnt: collections.Counter[str]) -> str:
    rows: collections.Counter[str] = collections.Counter()
    for k, v in cnt.items():
        rows[k[0]] += v
    out = []
    for a in ALPHABET:
        line = []
        for b in ALPHABET:
            lp = math.log2((cnt[a + b] + 0.5) / (rows[a] + 0.5 * len(ALPHABET)))
            line.append(LEVELS[min(len(LEVELS) - 1, round(-lp * 2))])
        out.append("".join(line))
    return "\n".join(out)


if __name__ == "__main__":
    print(table(counts()))
