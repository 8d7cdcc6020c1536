"""Known secrets (tenant credentials, injected env): redacted exactly, in every cheap transform.

An agent that can read a secret can also print it transformed (``rev .env``, ``base64 .env``,
``xxd -p``, ``tr a-z A-Z``, ``rot13``) to get it past output redaction. Each known value is
therefore matched as itself and as every form that is cheap to precompute: reversed, rot13 and
every other Caesar shift (any letter case), every other character, UTF-16 as hex, hex (any case), base64 standard and URL-safe in each of the three alignments a
value takes inside a longer encoded text, URL-encoding (``%XX`` of every byte, ``quote``,
``quote_plus``), and the JSON, ``\\uXXXX`` and ``\\xXX`` escapes the decoders also read. All forms go
into one hyperscan literal database (a substring search without hyperscan), so the cost does not
grow with the number of forms. Encoders wrap their output (``base64`` at 76 characters, ``xxd -p``
at 60): a block of lines of base64/hex characters is also searched with its line breaks removed.

Short values are ignored (``min_length``): masking every "1234" or "test" in a log would destroy
the log and tell an attacker which short strings matter. Values longer than ``MAX_LENGTH`` are
refused: a stream must hold back the longest form, so it bounds the stream's memory.
"""

from __future__ import annotations

import base64
import codecs
import json
import re
import threading
from bisect import bisect_right
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_from_bytes, quote_plus

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.redaction.dumps import MAX_DUMP, DumpSecrets
from enforcement_agent.redaction.dumps import first_line as dump_first_line
from enforcement_agent.redaction.dumps import gate_found as dump_gate_found
from enforcement_agent.redaction.hyperscan_db import compile_literals, load_database
from enforcement_agent.redaction.spans import Span

DEFAULT_MIN_LENGTH = 8
MAX_LENGTH = 65536
DETECTOR = "known-secret"


# A line ending in 48 base64/hex characters: maybe the first of a wrapped encoding. (Checked by
# hyperscan with the literals: on its own it scans at several GB/s.)
_WRAPPED_LINE_END = rb"[A-Za-z0-9+/=_\-]{48}\r?\n"
# A wrapped encoding's line is at most this long (``base64 -w 1024``): a line's reading then
# never depends on bytes more than this far before it (a stream keeps that much context). A
# line the encoding goes on below is at least 48 characters long, as a stream holds it
# (``line_release``: a shorter one may be out before the next arrives; narrower wraps are cut
# forms).
ENCODED_LINE_MAX = 1024
_ENCODED_LINE = lazy_compile(rb"[A-Za-z0-9+/=_\-]{48,%d}\r?\n" % ENCODED_LINE_MAX)
_ENCODED_TAIL = lazy_compile(rb"[A-Za-z0-9+/=_\-]*")
# How much of a form hyperscan matches (longer forms are compared whole on a hit).
_PREFIX = 256


class KnownSecretTooLong(ValueError):
    """A known secret longer than MAX_LENGTH bytes (its forms would not fit a stream's tail)."""


@dataclass(frozen=True, slots=True)
class Form:
    """One way a known secret appears on the wire."""

    text: bytes
    # Any letter case matches (``tr a-z A-Z`` of the value, hex in either case).
    caseless: bool
    # The secret it stands for: what the placeholder tag is computed from.
    secret: bytes
    # A fragment (eleventh pass): ``text`` is ``whole[offset:offset + len(text)]``, a piece of a
    # form that may be cut over lines (``fold -w 10``, ``base64 -w 8``, ``xxd -p -c 4``); a hit
    # is confirmed by reading ``whole`` around it across line breaks (``_across_lines``).
    whole: bytes = b""
    offset: int = -1
    # Bytes at each line's start that are not the form's (uuencode's length character).
    line_head: int = 0
    # A fragment's literal stands for every fragment with its text: (whole, offset, line head,
    # secret) of each.
    cuts: tuple[tuple[bytes, int, int, bytes], ...] = ()


def _b64_aligned(secret: bytes, alphabet: bytes | None) -> set[bytes]:
    """The base64 characters that depend on ``secret`` alone, at each of the three offsets (mod 3)
    it can sit at inside a longer encoded text (``base64 .env`` encodes the whole file)."""
    out: set[bytes] = set()
    n = len(secret)
    for k in range(3):
        enc = base64.b64encode(b"\0" * k + secret, altchars=alphabet)
        # Characters i with bits [6i, 6i + 6) inside the secret's bits [8k, 8(k + n)).
        out.add(enc[(8 * k + 5) // 6 : (8 * (k + n)) // 6])
    return out


_SEPARATORS = (b" ", b"   ", b"\n", b"\r\n", b"\0", b"\t", b",", b", ")
# Twenty-ninth pass: any one punctuation byte, two blanks, `; ` and each character quoted
# (`sed 's/./&-/g'`, `'.'.join(s)`, `print(list(s))`, `` `c` `` cells): the separator is the
# class, not the eight above (`Z-q-8-…`, `Z|q|8|…`, `['Z', 'q', …]` leaked).
_MORE_SEPARATORS = tuple(bytes([c]) for c in b"!\"#$%&'()*+-./:;<=>?@[\\]^_`{|}~") + (
    b"  ",
    b"; ",
    b"' '",
    b"', '",
    b'" "',
    b'", "',
    b"` `",
)


def _b32_aligned(secret: bytes, enc32: Any) -> set[bytes]:
    """The base32 characters that depend on ``secret`` alone, at each of the five offsets
    (mod 5) it can sit at inside a longer encoded text."""
    out: set[bytes] = set()
    n = len(secret)
    for k in range(5):
        enc = enc32(b"\0" * k + secret)
        # Characters i with bits [5i, 5i + 5) inside the secret's bits [8k, 8(k + n)).
        out.add(enc[(8 * k + 4) // 5 : (8 * (k + n)) // 5])
    return out


_HALF_MIN = 12  # characters of every other character of a value (its halves) matched


def _caesar(c: str, shift: int) -> str:
    if "a" <= c <= "z":
        return chr((ord(c) - 97 + shift) % 26 + 97)
    if "A" <= c <= "Z":
        return chr((ord(c) - 65 + shift) % 26 + 65)
    return c


def forms(secret: bytes) -> list[Form]:
    """Every form of ``secret`` the redactor matches (see the module docstring)."""
    exact: set[bytes] = set()
    caseless: set[bytes] = set()
    text = secret.decode("utf-8", "surrogateescape")
    # As itself, reversed (by byte and, as ``rev`` does, by character), rot13 (and rot13
    # reversed), in any case.
    rot13 = codecs.encode(text, "rot13")
    for t in (text, rot13):
        raw = t.encode("utf-8", "surrogateescape")
        caseless |= {raw, raw[::-1], t[::-1].encode("utf-8", "surrogateescape")}
    # base64: whole (padded or not), and the part fixed by the secret at each alignment.
    # (twenty-ninth pass: in any case too, `base64 .env | tr A-Z a-z` leaked; ≥ 9 characters
    # of a 36-letter alphabet are as unlikely by chance as the case-exact form)
    for altchars in (None, b"-_"):
        whole = base64.b64encode(secret, altchars=altchars)
        caseless |= {whole, whole.rstrip(b"=")}
        caseless |= _b64_aligned(secret, altchars)
    # hex, and the escapes and URL encodings of every byte, in any case.
    caseless.add(secret.hex().encode())
    caseless.add(b"".join(b"%%%02x" % c for c in secret))
    caseless.add(b"".join(b"\\x%02x" % c for c in secret))
    caseless.add("".join(f"\\u{ord(c):04x}" for c in text).encode("utf-8", "surrogateescape"))
    exact.add(quote_from_bytes(secret, safe=b"").encode())
    exact.add(quote_from_bytes(secret, safe=b"/").encode())
    exact.add(quote_plus(text, safe="", errors="surrogateescape").encode())
    exact.add(json.dumps(text, ensure_ascii=False)[1:-1].encode("utf-8", "surrogateescape"))
    exact.add(json.dumps(text)[1:-1].encode("utf-8", "surrogateescape"))
    # Thirty-ninth pass: every Caesar shift of the letters, not only 13 (``tr a-zA-Z
    # d-za-cD-ZA-C``), forwards and reversed; UTF-16 (either byte order) as hex (``iconv -t
    # UTF-16LE | xxd -p``); every other character (``sed 's/\(.\)./\1/g'``, half the value at
    # a time), when a half is long enough not to be met by chance.
    for shift in range(1, 26):
        if shift != 13:
            t = "".join(_caesar(c, shift) for c in text)
            raw = t.encode("utf-8", "surrogateescape")
            caseless |= {raw, t[::-1].encode("utf-8", "surrogateescape")}
    try:
        caseless |= {text.encode(e).hex().encode() for e in ("utf-16-le", "utf-16-be")}
    except UnicodeEncodeError:
        pass  # (a value that is not text: its bytes are matched as they are)
    if len(text) >= 2 * _HALF_MIN:
        for half in (text[0::2], text[1::2]):
            caseless |= {
                half.encode("utf-8", "surrogateescape"),
                half[::-1].encode("utf-8", "surrogateescape"),
            }
    # rot47 (``tr '!-~' 'P-~!-O'``), and reversed.
    r47 = bytes(33 + (c - 33 + 47) % 94 if 33 <= c <= 126 else c for c in secret)
    exact |= {r47, r47[::-1]}
    # base32 / base32hex: whole (padded or not), and the part fixed by the secret at each of the
    # five alignments inside a longer encoded text.
    for enc32 in (base64.b32encode, base64.b32hexencode):
        whole = enc32(secret)
        caseless |= {whole, whole.rstrip(b"=")}
        caseless |= _b32_aligned(secret, enc32)
    # Each character (and each byte) followed by a separator (``sed 's/./& /g'``, ``fold -w1``,
    # ``od -c`` within a line, NUL, tab, comma; UTF-16LE of ASCII is the NUL form), forwards and reversed, in any case.
    # (A stream holds back one-character lines: ``line_release``.)
    chars = [c.encode("utf-8", "surrogateescape") for c in text]
    units = [chars, [bytes([b]) for b in secret]]
    for sep in _SEPARATORS + _MORE_SEPARATORS:
        for u in units:
            caseless |= {sep.join(u), sep.join(u[::-1])}
    # Bytes as hex with separators (``od -An -tx1`` within a line, ``xxd -i``/C arrays, MAC-style
    # colons), HTML character references and octal escapes, in any case.
    hexes = [b"%02x" % c for c in secret]
    caseless |= {b" ".join(hexes), b":".join(hexes), b"-".join(hexes)}
    caseless.add(b", ".join(b"0x" + h for h in hexes))
    caseless.add(b",".join(b"0x" + h for h in hexes))
    caseless.add(b"".join(b"&#x%x;" % c for c in secret))
    caseless.add("".join(f"&#x{ord(c):x};" for c in text).encode("utf-8", "surrogateescape"))
    exact.add(b"".join(b"&#%d;" % c for c in secret))
    exact.add("".join(f"&#{ord(c)};" for c in text).encode("utf-8", "surrogateescape"))
    exact.add(b"".join(b"\\%03o" % c for c in secret))
    # Decimal bytes (``od -An -tu1`` within a line, a printed list) and two-byte hex words
    # (``xxd``'s default groups, big-endian; ``hexdump``/``od -x``, little-endian) at both
    # alignments, within a line.
    exact |= {b" ".join(b"%d" % c for c in secret), b", ".join(b"%d" % c for c in secret)}
    # (twenty-ninth pass) decimal bytes after `,` or `;`, octal bytes (`od -An -b` within a
    # line), `0x`-prefixed hex after a blank (bits, `xxd -b`, would take nine bytes a byte and
    # grow a stream's held-back tail: left out)
    exact |= {b",".join(b"%d" % c for c in secret), b";".join(b"%d" % c for c in secret)}
    exact.add(b" ".join(b"%03o" % c for c in secret))
    caseless.add(b" ".join(b"0x%02x" % c for c in secret))
    exact.add(b"".join(b"%4d" % c for c in secret))
    for j in (0, 1):
        part = secret[j : len(secret) - (len(secret) - j) % 2]
        pairs = [part[i : i + 2] for i in range(0, len(part), 2)]
        caseless.add(b" ".join(p.hex().encode() for p in pairs))
        caseless.add(b" ".join(p[::-1].hex().encode() for p in pairs))
    # ascii85 / base85 (and Z85, `basenc --z85`, base85 in another alphabet: a forty-fourth
    # pass): the groups of four bytes wholly inside the secret, at each alignment.
    for j in range(4):
        part = secret[j : len(secret) - (len(secret) - j) % 4]
        if len(part) >= 8:
            b85 = base64.b85encode(part)
            exact |= {base64.a85encode(part), b85, b85.translate(_B85_TO_Z85)}
    # Forty-fourth pass: hex read backwards (`xxd -p | rev` swaps each byte's two digits too;
    # `od -An -tx1 | rev` within a line) and UTF-32 (either byte order) as hex (`iconv -t
    # UTF-32LE | xxd -p`), in any case.
    caseless |= {secret.hex().encode()[::-1], b" ".join(hexes)[::-1]}
    try:
        caseless |= {text.encode(e).hex().encode() for e in ("utf-32-le", "utf-32-be")}
    except UnicodeEncodeError:
        pass
    # Eleventh pass: two transforms stacked (``base64 | xxd -p``, ``base64 | base64``, ``base64 |
    # rev``, ``rev | base64``, ``rev | base32``) and uuencode (within a line: its length
    # character opens every line).
    for inner in _b64_aligned(secret, None):
        caseless.add(inner.hex().encode())
        exact.add(inner[::-1])
        exact |= _b64_aligned(inner, None)
    rev = text[::-1].encode("utf-8", "surrogateescape")
    exact |= _b64_aligned(rev, None) | _b32_aligned(rev, base64.b32encode)
    for aligned in _b64_aligned(secret, None):
        uu = aligned.translate(_B64_TO_UU)
        exact |= {uu, uu.replace(b"`", b" ")}
    exact -= caseless
    out = [Form(f, True, secret) for f in sorted(caseless) if f]
    out += [Form(f, False, secret) for f in sorted(exact) if f]
    return out


def long_forms(secret: bytes) -> list[bytes]:
    """The forms a dump of a secret over ``dumps.MAX_DUMP`` bytes is searched for (third
    pass; a gram every few bytes of each, ``dumps.DumpSecrets``): every Caesar shift, base64
    (and reversed), base32 and base32hex at each alignment, UTF-16 of ASCII, hex, ascii85 and base85 of
    the four-byte groups at each alignment."""
    text = secret.decode("utf-8", "surrogateescape")
    out: set[bytes] = set()
    for shift in range(1, 26):
        out.add("".join(_caesar(c, shift) for c in text).encode("utf-8", "surrogateescape"))
    for aligned in _b64_aligned(secret, None):
        out |= {aligned, aligned[::-1]}
    out |= _b32_aligned(secret, base64.b32encode) | _b32_aligned(secret, base64.b32hexencode)
    out.add(b"\0".join(bytes([b]) for b in secret))
    out.add(secret.hex().encode())
    for j in range(4):
        part = secret[j : len(secret) - (len(secret) - j) % 4]
        out |= {base64.a85encode(part), base64.b85encode(part)}
    return sorted(out)


_B85_TO_Z85 = bytes.maketrans(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~",
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#",
)
_B64_TO_UU = bytes.maketrans(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
    b"`" + bytes(range(33, 96)),
)
# Fragments of the forms a tool may cut over lines: ``FRAGMENT`` bytes every ``STRIDE`` (any line
# piece of ``FRAGMENT + STRIDE - 1`` bytes or more holds one whole: ``base64 -w 8``, ``xxd -p -c
# 4``); of the value itself, 5 bytes every 2 (``fold -w 6``; hex and base64 have fewer letters, so
# their shorter fragments would be found in clean hex and base64 more often).
FRAGMENT = 6
STRIDE = 3
VALUE_FRAGMENT = 5
VALUE_STRIDE = 2
# A piece of a cut form at a line's end is held by a stream when its last ``HELD`` bytes are a
# piece of a cut form (``line_release``); a shorter first piece is left as it is, whole and
# streamed alike (under ``HELD`` bytes of a secret tell little).
HELD = 4


def cut_forms(secret: bytes) -> list[Form]:
    """The forms matched when cut over lines too: the value (any case), its base64 (standard
    and URL-safe, whole and at the three alignments) and its hex (any case)."""
    text = secret.decode("utf-8", "surrogateescape")
    out = [Form(text.encode("utf-8", "surrogateescape"), True, secret)]
    out.append(Form(secret.hex().encode(), True, secret))
    encoded: set[bytes] = set()
    for altchars in (None, b"-_"):
        encoded.add(base64.b64encode(secret, altchars=altchars).rstrip(b"="))
        encoded |= _b64_aligned(secret, altchars)
    out += [Form(f, False, secret) for f in sorted(encoded) if len(f) >= FRAGMENT]
    # uuencode: lines of 45 bytes, each after its length character (``M``).
    uu = {a.translate(_B64_TO_UU) for a in _b64_aligned(secret, None)}
    uu |= {f.replace(b"`", b" ") for f in uu}
    out += [Form(f, False, secret, line_head=1) for f in sorted(uu) if len(f) >= FRAGMENT]
    return out


def fragments(form: Form, size: int = FRAGMENT, stride: int = STRIDE) -> list[Form]:
    """``form`` as pieces of ``size`` bytes every ``stride`` (the last piece ending at its
    end)."""
    text = form.text
    if len(text) < size + 2:
        return []
    starts = sorted({*range(0, len(text) - size + 1, stride), len(text) - size})
    return [
        Form(text[i : i + size], form.caseless, form.secret, text, i, form.line_head)
        for i in starts
    ]


def encodings(secret: bytes) -> set[bytes]:
    """The forms' texts (as they are written; caseless forms in their computed case)."""
    return {f.text for f in forms(secret)}


class KnownSecrets:
    """An exact-match set of secret values and their forms (hyperscan literals or find)."""

    def __init__(self, values: Iterable[str | bytes] = (), *, min_length: int = DEFAULT_MIN_LENGTH):
        self.min_length = min_length
        self._lock = threading.Lock()
        self._raw: set[bytes] = set()
        self._forms: dict[tuple[bytes, bool], Form] = {}
        # (forms, serialized hyperscan db, version) swapped as one tuple so a concurrent scan
        # sees a matching pair; each thread loads its own database (a scratch is per thread).
        self._state: tuple[list[Form], bytes | None, int] = ([], None, 0)
        self._local = threading.local()
        self.longest = 0
        # The longest form matched cut over lines (``cut_forms``).
        self.longest_cut = 0
        # A secret holding a newline: a stream cannot release a line before the next has arrived.
        # (Forms with a newline between characters, ``fold -w1``, hold back one-character
        # lines only: ``line_release``.)
        self.multiline = False
        # Fragments of the forms that may be cut over lines, and the lower-cased ``HELD``-byte
        # pieces of those forms a line may end with while the form goes on below it.
        self._pieces: dict[tuple[bytes, bool], dict[tuple[bytes, int, int, bytes], None]] = {}
        self.held_ends: set[bytes] = set()
        # Known secrets searched in hex dumps rebuilt across their lines (``dumps``).
        self.dumps = DumpSecrets()
        self.add(values)

    def __len__(self) -> int:
        return len(self._raw)

    def add(self, values: Iterable[str | bytes]) -> int:
        """Add values (returns how many were long enough to register).

        Raises ``KnownSecretTooLong`` for a value over ``MAX_LENGTH`` bytes (nothing is added).
        """
        fresh: list[bytes] = []
        for v in values:
            raw = v.encode("utf-8", "surrogatepass") if isinstance(v, str) else bytes(v)
            raw = raw.strip()
            if len(raw) > MAX_LENGTH:
                raise KnownSecretTooLong(
                    f"a known secret of {len(raw)} bytes is longer than {MAX_LENGTH}"
                )
            if len(raw) >= self.min_length:
                fresh.append(raw)
        added = 0
        with self._lock:
            for raw in fresh:
                if raw in self._raw:
                    continue
                self._raw.add(raw)
                made = forms(raw)
                # (hex dumps: pieces of the value and, up to ``dumps.MAX_DUMP`` bytes, its forms)
                self.dumps.add(
                    [raw],
                    [f.text for f in made],
                    long_forms(raw) if len(raw) > MAX_DUMP else (),
                )
                for form in made:
                    key = (form.text.lower() if form.caseless else form.text, form.caseless)
                    self._forms.setdefault(key, form)
                if len(raw) <= MAX_CUT:
                    for n, form in enumerate(cut_forms(raw)):
                        self.longest_cut = max(self.longest_cut, len(form.text))
                        shape = (VALUE_FRAGMENT, VALUE_STRIDE) if n == 0 else (FRAGMENT, STRIDE)
                        for frag in fragments(form, *shape):
                            key = (frag.text.lower() if frag.caseless else frag.text, frag.caseless)
                            cut = (frag.whole, frag.offset, frag.line_head, frag.secret)
                            self._pieces.setdefault(key, {})[cut] = None
                        low = form.text.lower()
                        self.held_ends |= {low[i : i + HELD] for i in range(len(low) - HELD)}
                added += 1
            if added:
                self._rebuild()
        return added

    def _rebuild(self) -> None:
        literals = sorted(self._forms.values(), key=lambda f: len(f.text), reverse=True)
        literals += [
            Form(text, caseless, next(iter(cuts))[3], offset=0, cuts=tuple(cuts))
            for (text, caseless), cuts in self._pieces.items()
        ]
        # Hyperscan matches a form's first _PREFIX bytes (its expressions have a length limit);
        # a longer form is then compared whole.
        blob = (
            compile_literals(
                [(f.text[:_PREFIX], f.caseless) for f in literals],
                extra=_WRAPPED_LINE_END,
            )
            if literals
            else None
        )
        # A wrapped form carries a line break every 48 characters at most; a cut one (its lines
        # are held by a stream while they end in a piece of it) one every FRAGMENT + STRIDE.
        longest = len(literals[0].text) if literals else 0
        self.longest = longest + longest // 24 + 2 if longest else 0
        self.multiline = any(b"\n" in raw for raw in self._raw)
        self._state = (literals, blob, self._state[2] + 1)

    def _db(self, blob: bytes, version: int) -> Any:
        if getattr(self._local, "version", None) != version:
            self._local.db = load_database(blob)
            self._local.version = version
        return self._local.db

    @property
    def reach(self) -> int:
        """How far after a hit's end its spans can reach: a form's rest (the longest, or a cut
        form's pieces, each inner one of ``HELD`` bytes or more, its line breaks and uuencode's
        line heads) and an allowance's mask (``CUT_WINDOW``); across wrapped lines (48
        characters or more each) a little more."""
        cut = self.longest_cut + (self.longest_cut // HELD + 2) * 3
        return (max(self.longest, cut) + CUT_WINDOW) * 9 // 8 + 16

    def spans(self, data: bytes, since: int = 0) -> list[Span]:
        """The forms in ``data``. ``since``: only spans that reach ``data[since:]`` are needed
        (a stream's left context ends there): hits further back are not confirmed, except
        what an allowance just before ``since`` counts. The spans that reach it are the same."""
        literals, blob, version = self._state
        if not literals:
            return []
        far = since - self.reach if since > 0 else 0
        floor = max(0, far - 2 * CUT_WINDOW)
        if blob is not None:
            hits = self._scan(data, blob, version, max(0, floor - _PREFIX))
            out = _confirmed(data, literals, hits, far)
            wrapped = [to for pid, to in hits if pid == len(literals) and to >= far]
            # A line starting like a dump in what was scanned (``dumps.gate_found``, asked only
            # when there are dump forms to look for): else the dump reader has nothing to read.
            base = max(0, floor - _PREFIX)
            dumps = bool(self.dumps.needles) and (
                dump_first_line(data, base) or dump_gate_found(data, base)
            )
        else:
            out = self._find(data, literals)
            wrapped = [m.end() for m in re.finditer(_WRAPPED_LINE_END, data)]
            floor = 0
            dumps = True
        if wrapped:
            out += self._wrapped(data, wrapped, floor)
        if self.dumps.needles and dumps:
            out += [Span(a, b, DETECTOR, v) for a, b, v in self.dumps.spans(data, since)]
        return out + _spilled(data, out) if out else out

    def _scan(self, data: bytes, blob: bytes, version: int, base: int = 0) -> list[tuple[int, int]]:
        """(literal, end) of every hit in ``data[base:]``."""
        hits: list[tuple[int, int]] = []

        def on_match(pid: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
            hits.append((pid, to + base))

        self._db(blob, version).scan(data[base:] if base else data, match_event_handler=on_match)
        return hits

    @staticmethod
    def _find(data: bytes, literals: list[Form]) -> list[Span]:
        """Every occurrence of every form, without hyperscan (reported as hyperscan would: the
        end of the form's first ``_PREFIX`` bytes)."""
        hits: list[tuple[int, int]] = []
        lower = data.lower() if any(f.caseless for f in literals) else data
        for pid, form in enumerate(literals):
            haystack, needle = (lower, form.text.lower()) if form.caseless else (data, form.text)
            i = haystack.find(needle)
            while i >= 0:
                hits.append((pid, i + min(len(needle), _PREFIX)))
                i = haystack.find(needle, i + 1)
        return _confirmed(data, literals, hits)

    def _flat(self, data: bytes) -> list[Span]:
        """The forms in ``data``, not looking for wrapped encodings."""
        literals, blob, version = self._state
        if blob is None:
            return self._find(data, literals)
        return _confirmed(data, literals, self._scan(data, blob, version))

    def _wrapped(self, data: bytes, line_ends: list[int], floor: int = 0) -> list[Span]:
        """Forms broken over the lines of a wrapped encoding (``base64``, ``xxd -p`` output);
        ``floor``: a block is read from its first line that starts there or later (``spans``)."""
        out: list[Span] = []
        done = -1
        for end in line_ends:
            if end <= done:
                continue
            line_start = data.rfind(b"\n", 0, end - 1) + 1
            start = _block_start(data, line_start)
            if start < floor:
                start = data.find(b"\n", floor - 1, line_start) + 1 or line_start
            pieces: list[bytes] = []
            # (offset in the joined text, offset in data) of each line
            origins: list[tuple[int, int]] = []
            joined_len, pos = 0, start
            while True:
                m = _ENCODED_LINE.match(data, pos)
                stop = m.end() if m is not None else _ENCODED_TAIL.match(data, pos).end()  # type: ignore[union-attr]
                piece = data[pos:stop].rstrip(b"\r\n")
                pieces.append(piece)
                origins.append((joined_len, pos))
                joined_len += len(piece)
                if m is None:
                    break
                pos = stop
            done = pos
            if len(pieces) < 2:
                continue
            starts = [j for j, _ in origins]
            for s in self._flat(b"".join(pieces)):
                first = bisect_right(starts, s.start) - 1
                last = bisect_right(starts, s.end - 1) - 1
                if first == last:
                    continue  # inside one line: the plain scan found it
                a = origins[first][1] + s.start - origins[first][0]
                b = origins[last][1] + s.end - origins[last][0]
                out.append(Span(a, b, DETECTOR, s.value))
        return out


def _confirmed(
    data: bytes, literals: list[Form], hits: list[tuple[int, int]], far: int = 0
) -> list[Span]:
    """Spans of the forms whose first ``_PREFIX`` bytes hyperscan found (longer forms are
    compared whole); hits ending before ``far`` only count in the allowances (``spans``)."""
    out: list[Span] = []
    n = len(literals)
    scan = _CutScan(data)
    # In the order of their ends: a fragment hit's allowance counts the hits just before it.
    for pid, to in sorted(hits, key=lambda h: (h[1], h[0])):
        if pid >= n:
            continue
        form = literals[pid]
        if to < far:
            if form.offset >= 0:
                scan.over(to - len(form.text), to, len(form.cuts), form.secret)
            continue
        if form.offset >= 0:
            out += _across_lines(data, form, to, scan)
            continue
        start = to - min(len(form.text), _PREFIX)
        end = start + len(form.text)
        if len(form.text) > _PREFIX:
            seen = data[start:end]
            if (seen.lower() if form.caseless else seen) != (
                form.text.lower() if form.caseless else form.text
            ):
                continue
        out.append(Span(start, end, DETECTOR, form.secret))
    return out + scan.masked()


_ENCODED_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-")


def _spilled(data: bytes, spans: list[Span]) -> list[Span]:
    """The character that opens the next line of a wrapped encoding when a match ends its line:
    a base32 or base64 form holds only the characters that depend on the secret alone, and the
    one after it carries the last bits of the secret's last byte (``base32 -w 20``: 4 bits).
    Masked too, as a span of its own (a stream that released the line above masks it the same).
    Only inside a wrapped block: the match's line is of encoded characters, 16 or more, and the
    next line is as long or ends the encoding's padding (read from the next line alone, which a
    stream has whole when it masks it)."""
    out: list[Span] = []
    for s in spans:
        end = s.end
        if end >= len(data) or data[end] not in b"\r\n" or end <= s.start:
            continue
        nl = end if data[end] == 0x0A else end + 1
        if nl + 1 >= len(data) or data[nl] != 0x0A or data[nl + 1] not in _ENCODED_BYTES:
            continue
        line_start = data.rfind(b"\n", 0, s.start) + 1
        width = end - line_start
        stop = data.find(b"\n", nl + 1)
        if width < 16 or stop < 0:
            continue
        following = data[nl + 1 : stop].rstrip(b"\r")
        body = following.rstrip(b"=")
        if (len(following) == width or body != following) and all(
            c in _ENCODED_BYTES for c in data[line_start:end] + body
        ):
            out.append(Span(nl + 1, nl + 2, DETECTOR, s.value))
    return out


def _block_start(data: bytes, line_start: int) -> int:
    """The first of the encoded lines that end just before ``line_start``'s line."""
    start = line_start
    while start > 0:
        prev = data.rfind(b"\n", 0, start - 1) + 1
        if not _ENCODED_LINE.fullmatch(data, prev, start):
            break
        start = prev
    return start


# Known values this long or shorter are also matched cut over lines (``cut_forms``).
MAX_CUT = 512


# How many (fragment hit, cut) pairs the hits of a line may cost, per byte and at least, within
# the last ``CUT_WINDOW`` bytes before each hit: a known secret that repeats itself (``kuuuu…u``:
# the fragment ``uuuuu`` stands for 98 places in it) made each hit on a run of its repeated part
# try every place, each read across lines (400 KB of such lines took 80 s of CPU). A hit past
# that allowance is not read: the window before it and the rest of its line up to
# ``CUT_WINDOW`` bytes on are masked instead (fail closed). The allowance and the mask depend on
# the ``CUT_WINDOW`` bytes around the hit only (2026-12-05, ``redact-bound``: it used to be the
# whole line's), so a stream, which sees a bounded window of a long line, decides as one pass.
CUT_PAIRS_PER_BYTE = 1
CUT_PAIRS_MIN = 64
CUT_WINDOW = 256
# How far a cut form's reading looks for its line's ends (longer than any cut form).
_LINE_REACH = 4 * MAX_CUT


class _CutScan:
    """One scan's bookkeeping for fragment hits: the (hit, cut) pairs of the hits in the window
    before the current one (hits come in the order of their ends), the spans masked for hits
    past their allowance, and the places of cut forms already read.

    A cut form's place is fixed by where its first byte falls in the text without line breaks
    (``\n`` and a ``\r`` before it): two hits that put the same form at the same place read
    the same bytes and give the same spans, so the second is not read (nor its spans added
    again: merged, they change nothing) (a known secret
    that repeats itself puts one form at the same place from every hit around it: the streamed
    ``fold -w 7`` of ``abab…`` read each place about 15 times)."""

    __slots__ = ("data", "read", "_breaks", "_before", "_window", "_spent", "_masks", "_line")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.read: set[tuple[bytes, bool, bytes, int]] = set()
        self._breaks: list[int] | None = None
        self._before: list[int] = []
        self._window: deque[tuple[int, int]] = deque()
        self._spent = 0
        self._masks: list[Span] = []
        # The last line looked up: (its start, its newline or the data's end).
        self._line = (0, -1)

    def line(self, start: int, to: int) -> tuple[int, int]:
        """The start of ``start``'s line and where the line holding ``to`` ends (its newline, or
        the data's end); hits come in order, so most share the line looked up before."""
        line = self._line
        if line[0] <= start and to <= line[1]:
            return line
        data = self.data
        end = data.find(b"\n", to)
        line = self._line = (data.rfind(b"\n", 0, start) + 1, len(data) if end < 0 else end)
        return line

    def flat(self, pos: int) -> int:
        """``pos`` (inside a line) in the text without line breaks."""
        if self._breaks is None:
            self._breaks, self._before = [], [0]
            for m in _BREAK.finditer(self.data):
                self._breaks.append(m.end())
                self._before.append(self._before[-1] + m.end() - m.start())
        return pos - self._before[bisect_right(self._breaks, pos)]

    def over(self, start: int, to: int, cost: int, secret: bytes) -> bool:
        """Whether a hit ``data[start:to]`` standing for ``cost`` cuts is past its allowance (the
        window before it and the rest of its line, within ``CUT_WINDOW``, are masked then)."""
        line_start, line_end = self.line(start, to)
        low = to - CUT_WINDOW
        window_lo = line_start if line_start > low else low if low > 0 else 0
        window = self._window
        spent = self._spent + cost
        while window and window[0][0] <= window_lo:
            spent -= window.popleft()[1]
        window.append((to, cost))
        self._spent = spent
        if spent <= CUT_PAIRS_PER_BYTE * (to - window_lo) + CUT_PAIRS_MIN:
            return False
        stop = min(line_end, to + CUT_WINDOW)
        masks = self._masks
        if masks and window_lo < masks[-1].end:
            # (Overlapping masks are one span once merged: kept as one here.)
            if stop > masks[-1].end:
                last = masks[-1]
                masks[-1] = Span(last.start, stop, DETECTOR, last.value)
        else:
            masks.append(Span(window_lo, stop, DETECTOR, secret))
        return True

    def masked(self) -> list[Span]:
        return self._masks


_BREAK = lazy_compile(rb"\r?\n")


def _across_lines(data: bytes, piece: Form, to: int, scan: _CutScan) -> list[Span]:
    """Every cut form a fragment's hit ending at ``to`` stands for (``_cut_at``), unless the hit
    is past its allowance (``_CutScan.over``)."""
    out: list[Span] = []
    start = to - len(piece.text)
    if scan.over(start, to, len(piece.cuts), piece.secret):
        return []
    # (Its line's ends, as far as a cut form can reach.)
    line_start, line_end = scan.line(start, to)
    line_start = max(line_start, start - _LINE_REACH)
    room_after = min(line_end, to + _LINE_REACH) - to
    # The place of a form depends on the text without line breaks only when the fragment holds
    # none itself and no line starts with bytes of its own (uuencode's length character).
    flat = scan.flat(start) if b"\n" not in piece.text and b"\r" not in piece.text else None
    for whole, offset, line_head, secret in piece.cuts:
        if start - line_start >= offset and room_after >= len(whole) - offset - len(piece.text):
            continue  # the whole form would fit on this line: not cut (the plain scan's)
        if flat is None or line_head:
            out += _cut_at(
                data, Form(piece.text, piece.caseless, secret, whole, offset, line_head), to
            )
            continue
        key = (whole, piece.caseless, secret, flat - offset)
        if key not in scan.read:
            # (Read once: the same spans again would change nothing once merged.)
            scan.read.add(key)
            out += _cut_at(data, Form(piece.text, piece.caseless, secret, whole, offset, 0), to)
    return out


def _cut_at(data: bytes, piece: Form, to: int) -> list[Span]:
    """The spans of ``piece.whole`` cut over lines around its fragment found ending at ``to``:
    one per line piece, line breaks (``\\n``, ``\\r\\n``) and ``line_head`` bytes after them
    skipped; none when the form is not there, or when a piece between the first and the last is
    shorter than ``HELD`` bytes (an empty line included). A first piece shorter than ``HELD``
    bytes is left (a stream may have released its line already)."""
    whole = piece.whole
    caseless = piece.caseless

    def fold(b: bytes) -> bytes:
        return b.lower() if caseless else b

    want = fold(whole)
    head = piece.line_head
    start = to - len(piece.text)
    # Backwards, line by line: the form's first ``offset`` bytes.
    before: list[tuple[int, int]] = []
    pos, need = start, piece.offset
    while need:
        line_start = data.rfind(b"\n", 0, pos) + 1
        first = line_start + head if line_start > 0 or head else line_start
        take = min(max(pos - first, 0), need)
        a = pos - take
        if not take and pos != start:
            return []  # an empty line inside the form (see below)
        if take and fold(data[a:pos]) != want[need - take : need]:
            return []
        if take:
            before.append((a, pos))
        need -= take
        if not need:
            break
        if a != first or line_start == 0:
            return []
        pos = line_start - 1
        if pos > 0 and data[pos - 1] == 0x0D:
            pos -= 1
    after: list[tuple[int, int]] = []
    pos = to
    need = len(whole) - piece.offset - len(piece.text)
    done = len(whole) - need
    while need:
        line_end = data.find(b"\n", pos)
        stop = len(data) if line_end < 0 else line_end
        if stop > pos and data[stop - 1] == 0x0D and line_end >= 0:
            stop -= 1
        take = min(stop - pos, need)
        if not take and pos != to:
            return []  # an empty line inside the form (see below)
        if take and fold(data[pos : pos + take]) != want[done : done + take]:
            return []
        if take:
            after.append((pos, pos + take))
        need -= take
        done += take
        if not need:
            break
        if pos + take != stop or line_end < 0:
            return []
        pos = line_end + 1 + head
    pieces = [*reversed(before)]
    if pieces and pieces[-1][1] == start:
        pieces[-1] = (pieces[-1][0], to)
    else:
        pieces.append((start, to))
    if after and after[0][0] == to:
        pieces[-1] = (pieces[-1][0], after[0][1])
        after = after[1:]
    pieces += after
    if len(pieces) < 2:
        return []  # not cut: the form itself is matched
    if any(b - a < HELD for a, b in pieces[1:-1]):
        # A line inside the form (all of it the form's) shorter than HELD bytes: a stream holds
        # a line while it ends in HELD bytes of a cut form (``line_release``), so below such a
        # line (or an empty one) the lines above may already be out; one pass must not mask
        # what a stream cannot (redact-bound: ``x nQvWys8\n1v\np7hB1dx`` streamed with a
        # chunk ending after ``1v\n`` let ``nQvWys8`` out, masked in one pass).
        return []
    if pieces[0][1] - pieces[0][0] < HELD:
        pieces = pieces[1:]
    return [Span(a, b, DETECTOR, piece.secret) for a, b in pieces]
