"""Checks shared by the held-out contextual passes' tests (twelfth, thirteenth, fourteenth).

Every case is redacted whole by the hyperscan engine, whole by the pure-Python engine (the same
bytes masked; ``strip_labels`` compares them with the detector's label removed, where two rules
find one value and name it differently) and streamed at ``SIZES`` chunk sizes (the same output
as whole)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Protocol

from tests.redaction.helpers import redactor, streamed
from tests.redaction.twelfth_variations import SIZES

R = redactor()
SLOW = redactor(use_hyperscan=False)

_LABEL = re.compile(rb"\[REDACTED:[a-z\-]+:")


class _Shaped(Protocol):
    @property
    def shape(self) -> str: ...


class HeldOut:
    def __init__(self, *, strip_labels: bool = False, sizes: Iterable[int] = SIZES) -> None:
        self.strip_labels = strip_labels
        self.sizes = tuple(sizes)

    def outs(self, text: str, extra_sizes: Iterable[int] = ()) -> list[bytes]:
        data = text.encode()
        whole = R.redact_bytes(data)
        slow = SLOW.redact_bytes(data)
        if self.strip_labels:
            assert _LABEL.sub(b"[R:", slow) == _LABEL.sub(b"[R:", whole)
        else:
            assert slow == whole
        for size in (*self.sizes, *extra_sizes):
            assert streamed(R, data, size) == whole, size
        return [whole]

    def masked(self, text: str, secrets: list[str]) -> bytes:
        (whole,) = self.outs(text)
        for s in secrets:
            assert s.encode() not in whole, (s, whole.decode())
        return whole

    def unchanged(self, text: str) -> None:
        (whole,) = self.outs(text)
        assert whole == text.encode(), whole.decode()


def ids(cs: Iterable[_Shaped]) -> list[str]:
    """``shape-n`` test ids, numbered per shape."""
    seen: Counter[str] = Counter()
    out = []
    for c in cs:
        seen[c.shape] += 1
        out.append(f"{c.shape}-{seen[c.shape]}")
    return out
