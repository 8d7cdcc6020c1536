"""Known secrets (tenant credentials, injected env): redacted exactly, in every common encoding.

Short values are ignored (``min_length``): masking every "1234" or "test" in a log would
destroy the log and tell an attacker which short strings matter.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote_from_bytes

from enforcement_agent.redaction.hyperscan_db import _hs, load_database
from enforcement_agent.redaction.spans import Span

DEFAULT_MIN_LENGTH = 8
DETECTOR = "known-secret"


def encodings(secret: bytes) -> set[bytes]:
    """The forms a secret takes on the wire: raw, base64 (std/url, padded or not), hex, URL, JSON."""
    forms = {secret}
    b64 = base64.b64encode(secret)
    forms |= {b64, b64.rstrip(b"="), base64.urlsafe_b64encode(secret).rstrip(b"=")}
    forms |= {base64.urlsafe_b64encode(secret)}
    forms |= {secret.hex().encode(), secret.hex().upper().encode()}
    forms |= {quote_from_bytes(secret, safe=b"").encode()}
    forms |= {b"".join(b"%%%02X" % c for c in secret), b"".join(b"%%%02x" % c for c in secret)}
    text = secret.decode("utf-8", "replace")
    forms |= {json.dumps(text)[1:-1].encode()}
    forms |= {"".join(f"\\u{ord(c):04x}" for c in text).encode()}
    return {f for f in forms if f}


class KnownSecrets:
    """An exact-match set of secret values and their encodings (hyperscan literals or find)."""

    def __init__(self, values: Iterable[str | bytes] = (), *, min_length: int = DEFAULT_MIN_LENGTH):
        self.min_length = min_length
        self._lock = threading.Lock()
        self._raw: set[bytes] = set()
        self._forms: dict[bytes, bytes] = {}
        # (literals, serialized hyperscan db, version) swapped as one tuple so a concurrent scan
        # sees a matching pair; each thread loads its own database (a scratch is per thread).
        self._state: tuple[list[bytes], bytes | None, int] = ([], None, 0)
        self._local = threading.local()
        self.add(values)

    def __len__(self) -> int:
        return len(self._raw)

    def add(self, values: Iterable[str | bytes]) -> int:
        """Add values (returns how many were long enough to register)."""
        added = 0
        with self._lock:
            for v in values:
                raw = v.encode("utf-8", "surrogatepass") if isinstance(v, str) else bytes(v)
                raw = raw.strip()
                if len(raw) < self.min_length or raw in self._raw:
                    continue
                self._raw.add(raw)
                for form in encodings(raw):
                    self._forms.setdefault(form, raw)
                added += 1
            if added:
                self._rebuild()
        return added

    def _rebuild(self) -> None:
        literals = sorted(self._forms, key=len, reverse=True)
        blob: bytes | None = None
        if _hs is not None and literals:
            db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
            db.compile(
                expressions=[_hs_literal(x) for x in literals],
                ids=list(range(len(literals))),
                elements=len(literals),
                flags=[0] * len(literals),
            )
            blob = bytes(_hs.dumpb(db))
        self._state = (literals, blob, self._state[2] + 1)

    def _db(self, blob: bytes, version: int) -> Any:
        if getattr(self._local, "version", None) != version:
            self._local.db = load_database(blob)
            self._local.version = version
        return self._local.db

    def spans(self, data: bytes) -> list[Span]:
        literals, blob, version = self._state
        if not literals:
            return []
        out: list[Span] = []
        if blob is not None:
            db = self._db(blob, version)
            hits: list[tuple[int, int]] = []

            def on_match(pid: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
                hits.append((pid, to))

            db.scan(data, match_event_handler=on_match)
            for pid, to in hits:
                lit = literals[pid]
                out.append(Span(to - len(lit), to, DETECTOR, self._forms[lit]))
            return out
        for lit in literals:
            i = data.find(lit)
            while i >= 0:
                out.append(Span(i, i + len(lit), DETECTOR, self._forms[lit]))
                i = data.find(lit, i + 1)
        return out


def _hs_literal(lit: bytes) -> bytes:
    return b"".join(b"\\x%02x" % c for c in lit)
