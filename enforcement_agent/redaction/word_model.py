"""One answer to "is this value words, a code name, hex, or random?", for every detector.

Redaction keeps asking one question in many places: the value after ``token =`` — is it a
credential someone generated, or a name someone wrote (``nextchar``, ``PydanticDeprecatedSince20``,
``gpt-4o-mini-2024-07-18``), a digest or id (``3f2b…``), a charset constant (``ABCDEFGHIJ…``)?
This module is the only place that answers it. Its contract:

``kind(value) -> Kind`` classifies a value by its characters alone (no context), in time linear in
its first ``MAX_LEN`` bytes (the rest is not looked at):

- ``HEX``: hex digits (dashes allowed, as in UUIDs) with a digit, or 16+ of them — digests, ids;
  also words with a hex part (``ord_8e8285d0c7a8``);
- ``NUMBER``: digits, maybe with separators (``2026-11-25``, ``1.4.2``), or a quantity
  (``-0.5``, ``1.5e-3``, ``12.5%``; ``is_quantity`` below);
- ``SEQUENCE``: a run of eight of an alphabet in order (``ABCDEFGH…``, ``12345678``, ``qwertyui``)
  or one short unit repeated (``abcabcabcabc``);
- ``CODE_NAME``: a name as code writes one — words joined by ``_``, ``.`` or case humps, with
  numbers only where code puts them (at the end, before ``_`` or a capital, after a short
  abbreviation: ``b64encode``, ``oauth2client``, ``SN_id_Gost28147_89_KeyMeshing``);
- ``WORDS``: words and numbers otherwise (``hunter2hunter2``, ``correct-horse-battery-staple``,
  ``gpt-4o-mini-2024-07-18``): made by a person, so a password maybe, never a generated token;
- ``RANDOM``: drawn at random — letters of no word, case and digits switching every couple of
  characters (``Q7xezykzl77Nb5CLWnh9DS0k…``, ``kR8s2pWq0x…``); eight characters at least;
- ``OTHER``: anything else (blank, punctuation, non-ASCII text, a mixture).

Words against random is decided by a letter-bigram model (``BIGRAMS``: log2 P(next | letter)
over English prose and the words of identifiers in installed packages;
``benchmarks/perf/word_model_table.py`` rebuilds it) and by how the characters come in runs
(``reads_as_words``): of random tokens 0.2 % read as words, of real identifiers 0.3 % read as
random.

``randomness(value)`` and ``is_random(value, min_len)`` add what a credential needs on top:
letters and digits both, ten distinct characters, 3.2 bits of entropy per character.

``key_material(value)``: what a value needs where the context already names a credential.

``is_quantity(value)``: a number written as a measurement (``0.383``, ``-0.5``, ``1.5e-3``,
``12.5%``, ``-42``) — a ratio, a weight, a score, never key material, whatever name it is under.
Unsigned integers are not quantities here: numeric tokens, ids and PINs are integers.
"""

from __future__ import annotations

import enum
import functools
import math

from enforcement_agent.lazy_regex import lazy_compile

MAX_LEN = 256

# log2 P(b | a) for a, b in "^a…z$" (row a, column b), quantized: character i = -0.5 * i bits.
_ALPHABET = "^abcdefghijklmnopqrstuvwxyz$"
_LEVELS = "0123456789ABCDEFGHIJKLMNOPQRSTUV"
BIGRAMS = """
V8A7898BC7FCAA899H867CCBMHLV
VMA9AJG9OAPF687Q9Q675BFFFDK9
V6HCD6IMMA8N5HK7HLB8G7PRT7R6
V7MEK6JN6BP88IL4GKAE69QNVDR8
V6FKC4GIM7MPCIIAITEAFBKOIEP3
VBI99E9FMHPJ8B7IBD777KDG9CL4
V8LIHABMQ5ULCKF6NR7CDAVPTGV2
VCGKO4MCC8VOCDBAKL76EAMPVEN3
V6PQJ3PRQ7VPHGH7NFCF9BTPTEP5
VBD9AA8ARJPI9846CJC76QCTFRCD
VARLO3POPDQGQLM3ISK6J8PCQNR7
VCKHD3BGH8TMENCFHMI9IEL9SJR3
V7HH956JP6QK8NL7GVI998EKVBS6
V5BIH4QKQ8OLEBC86UMBHCIMNET5
V8N987B8MAKFFJC7EPJ76CDNRDQ4
VDBA9HBCOEKD984B9K5B99DBIOK8
V5JEF5LK99VL8KM6AR7B79MPJAV7
VAVUDPRSSKRQ4NMKLQLIJ1VPURUA
V7KCD4HBQ8SEED97GQA98AEJVBS5
VCRAJ4JIC9UGGJFABGL85AMJUDU3
V8LEH6JO66TUGIK8DN8BC9OIJ9I4
VC9CD6EDQBRN786H9P586KMQNQME
V3UMP2RHT6TRMFMBPTKKMNIRGPVA
V5LKG6LM64VGFP88NS8BHNVEOQV5
VAL6G6IUJ8VQLHLL7VMH3LFPFDS5
VEJHDCLINCPUDEAC4VI98LLFPKN2
V5OMI2GOH8VIFEE7KVGFLGJHTBF8
AAAAAAAAAAAAAAAAAAAAAAAAAAAA
""".split()
_LOGP = {
    (a, b): -0.5 * _LEVELS.index(BIGRAMS[i][j])
    for i, a in enumerate(_ALPHABET)
    for j, b in enumerate(_ALPHABET)
}
# Words, not random, when the letters' average log2 bigram probability is at least WORD_SCORE and
# the value comes in runs of RUN characters on average (random characters switch between cases
# and digits every two characters or so), or the letters read as words on their own (SURE_WORDS).
# Fitted on random tokens (base62, base36 of either case, base64; 12 to 40 characters) against the
# identifiers of installed packages: 0.2 % of the tokens read as words, 0.3 % of the identifiers
# read as random.
WORD_SCORE = -4.9
RUN = 2.6
SURE_WORDS = -3.7


class Kind(enum.Enum):
    HEX = "hex"
    NUMBER = "number"
    SEQUENCE = "sequence"
    CODE_NAME = "code-name"
    WORDS = "words"
    RANDOM = "random"
    OTHER = "other"


_SEPARATORS = lazy_compile(rb"[\-_./:+~@= ]+")
_ALNUM_SEP = lazy_compile(rb"[A-Za-z0-9\-_./:+~@= ]+")
# Humps: Capitalised or lower-case runs, acronyms, digit runs.
_CHUNK = lazy_compile(rb"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
_HEX = lazy_compile(rb"[0-9a-fA-F\-]+")
_NUMBER = lazy_compile(rb"[0-9]+(?:[\-_./:, ][0-9]+)*")
# A fraction part, or a sign, or a signed exponent, maybe a percent sign; nothing else.
_QUANTITY = lazy_compile(
    rb"[+-]?(?:[0-9]+\.[0-9]+|\.[0-9]+)(?:[eE][+-]?[0-9]+)?%?|"
    rb"[+-]?[0-9]+[eE][+-][0-9]+%?|[+-][0-9]+%?|[0-9]+%"
)
_ALPHABETS = (
    b"abcdefghijklmnopqrstuvwxyz",
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    b"0123456789",
    b"qwertyuiopasdfghjklzxcvbnm",
    b"QWERTYUIOPASDFGHJKLZXCVBNM",
)
_RUNS8 = frozenset(a[i : i + 8] for a in _ALPHABETS for i in range(len(a) - 7))
# A code name's characters, and the digits code writes inside a name: after a short
# abbreviation (b64, s3, md5, utf8, x509, oauth2), or closing a hump (V2Wrap, int32_list).
_IDENTIFIER = lazy_compile(rb"_*[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_DIGITS_INSIDE = lazy_compile(rb"([A-Za-z]*)([0-9]+)(?=[a-z])")


def word_score(letters: bytes) -> float:
    """Average log2 bigram probability of a run of letters, with its start and end."""
    w = "^" + letters.decode("ascii").lower() + "$"
    return sum(_LOGP.get((a, b), -16.0) for a, b in zip(w, w[1:], strict=False)) / (len(w) - 1)


def wordiness(value: bytes) -> tuple[float, float]:
    """(average log2 bigram probability of the letter runs, average run length) of ``value``:
    the two numbers the WORDS/RANDOM line is drawn with."""
    total = 0.0
    bigrams = runs = length = 0
    for part in _SEPARATORS.split(value):
        for chunk in _CHUNK.findall(part):
            runs += 1
            length += len(chunk)
            if chunk[:1].isdigit():
                continue
            w = "^" + chunk.decode("ascii").lower() + "$"
            total += sum(_LOGP.get((a, b), -16.0) for a, b in zip(w, w[1:], strict=False))
            bigrams += len(w) - 1
    return (total / bigrams if bigrams else 0.0), (length / runs if runs else 0.0)


def reads_as_words(value: bytes) -> bool:
    """The letters read as words and the characters come in runs (not random); letters make at
    least two fifths of the letters and digits (d21e2be3622049c7… is no words)."""
    letters = sum(65 <= (c & 0xDF) <= 90 for c in value)
    digits = sum(48 <= c <= 57 for c in value)
    if letters * 3 < digits * 2:
        return False
    score, run = wordiness(value)
    return score >= SURE_WORDS or (score >= WORD_SCORE and run >= RUN)


def entropy(value: bytes) -> float:
    """Shannon entropy in bits per character."""
    n = len(value)
    if not n:
        return 0.0
    return -sum(k / n * math.log2(k / n) for k in (value.count(c) for c in set(value)))


# A part this long that is random on its own makes a joined value random.
_RANDOM_PART = 16


@functools.lru_cache(maxsize=8192)
def kind(value: bytes) -> Kind:
    """What ``value`` is made of (see the module docstring)."""
    v = bytes(value[:MAX_LEN])
    if _QUANTITY.fullmatch(v):
        return Kind.NUMBER
    if not v or not _ALNUM_SEP.fullmatch(v):
        return Kind.OTHER
    if _NUMBER.fullmatch(v):
        return Kind.NUMBER
    if _HEX.fullmatch(v) and (len(v) >= 16 or any(48 <= c <= 57 for c in v)):
        return Kind.HEX
    if _sequence(v):
        return Kind.SEQUENCE
    parts = [p for p in _SEPARATORS.split(v) if p]
    if not parts:
        return Kind.OTHER
    if len(parts) > 1 and _hex_id(parts):
        return Kind.HEX
    # Random parts joined by separators (base64's + and /) stay random, however word-like the
    # whole scores: a long part that is random on its own decides (eKZkodStSckKqlOyaLsc+…).
    if len(parts) > 1 and any(len(p) >= _RANDOM_PART and kind(p) is Kind.RANDOM for p in parts):
        return Kind.RANDOM
    # Under eight characters there is too little to tell randomness from an abbreviation
    # (v2user, py3k, utf8mb4).
    if len(v) < 8 or reads_as_words(v) or (len(parts) > 1 and all(map(_slug_part, parts))):
        return Kind.CODE_NAME if _code_name(v) else Kind.WORDS
    return Kind.RANDOM


def _slug_part(part: bytes) -> bool:
    """One part of a slug (gpt-4o-mini-2024-07-18): a short version or unit, a number, words."""
    return len(part) <= 4 or bool(_NUMBER.fullmatch(part)) or reads_as_words(part)


def _sequence(v: bytes) -> bool:
    if any(v[i : i + 8] in _RUNS8 for i in range(len(v) - 7)):
        return True
    # One unit of up to four characters repeated to fill the value.
    for size in (1, 2, 3, 4):
        if len(v) >= 3 * size and len(v) >= 8 and v == (v[:size] * (len(v) // size + 1))[: len(v)]:
            return True
    return False


def _hex_id(parts: list[bytes]) -> bool:
    """A prefix of words and a hex part (ord_8e8285d0c7a8, build-3f2b1c4d5e6f): an id."""
    hexes = [
        p for p in parts if _HEX.fullmatch(p) and len(p) >= 8 and any(48 <= c <= 57 for c in p)
    ]
    return bool(hexes) and all(
        p in hexes or (p.isalpha() and (len(p) <= 4 or reads_as_words(p))) for p in parts
    )


def _code_name(v: bytes) -> bool:
    """Words as code joins them, with digits only where code puts them."""
    if not _IDENTIFIER.fullmatch(v):
        return False
    for m in _DIGITS_INSIDE.finditer(v):
        before = m.group(1)
        # hunter2hunter2: a whole word, a digit, more lower-case letters — a person's pattern.
        # b64encode, oauth2client, utf8mb4: an abbreviation of at most five letters.
        if len(before) > 5 or (before[:1].isupper() and len(before) > 1):
            return False
    return True


def randomness(value: bytes, *, sequences: bool = False) -> bool:
    """Looks drawn at random, as a credential: RANDOM, letters and digits both, ten distinct
    characters, at least 3.2 bits of entropy per character. ``sequences``: a value with an
    alphabet run in it (``abcde12345-67890fghijklmnop…``) counts too (a charset constant is
    written in quotes; unquoted, such a value is a fake credential worth masking)."""
    v = value[:MAX_LEN]
    k = kind(v)
    if k is not Kind.RANDOM and not (sequences and k is Kind.SEQUENCE):
        return False
    has_digit = any(48 <= c <= 57 for c in v)
    has_alpha = any(65 <= (c & 0xDF) <= 90 for c in v)
    return has_digit and has_alpha and len(set(v)) >= 10 and entropy(v) >= 3.2


_LETTERS_FLOOR = 3.6


def key_material(value: bytes) -> bool:
    """Shaped like generated key material, where the context already says "a credential here"
    (after a credential word, under a weak column header): ``randomness``; or 24+ characters
    of both cases drawn at random with no digit (base64 of 30 random bytes has none about once
    in a thousand); or 32+ hex digits with some entropy (not a word, a name, a short hex id).

    (The letters-only floor is 3.6 bits: 24 letters drawn at random from both cases measure
    4.17 bits at the median but under 4.0 one time in eight, and 26 one time in twenty, so a
    floor of 4.0 let such a session id through under ``SESSION_ID``; code names and words are
    other kinds, and a value of few distinct letters stays under 3.6.)"""
    v = value[:MAX_LEN]
    k = kind(v)
    if k is Kind.HEX:
        return hex_digits(v) >= 32 and (entropy(v) >= 3.2 or _scattered_hex(v))
    if randomness(v):
        return True
    return (
        k is Kind.RANDOM
        and len(v) >= 24
        and any(65 <= c <= 90 for c in v)
        and any(97 <= c <= 122 for c in v)
        and entropy(v) >= _LETTERS_FLOOR
    )


def _scattered_hex(v: bytes) -> bool:
    """32 to 128 hex digits under the entropy floor that are still no pattern (tenth pass: a
    key drawn from few digits, ``a38abc33ba82b323…``, ``3444f5…``): digits and letters both,
    five distinct or more, no run of six, no repeated block (``deadbeefdeadbeef…``)."""
    n = len(v)
    if not 32 <= n <= 128 or b"-" in v or len(set(v)) < 5 or entropy(v) < 2.2:
        return False
    digits = sum(48 <= c <= 57 for c in v)
    if digits < 4 or n - digits < 4:
        return False
    if any(v[i] == v[i + 5] and len(set(v[i : i + 6])) == 1 for i in range(n - 5)):
        return False
    return not any(n % p == 0 and v == v[p:] + v[:p] for p in range(1, n // 2 + 1))


def is_random(value: bytes, min_len: int = 16) -> bool:
    """``randomness`` for a value of at least ``min_len`` characters."""
    return len(value) >= min_len and randomness(value)


def short_random(value: bytes) -> bool:
    """12 to 15 characters that still look drawn at random: digits and letters interleaved,
    nearly every character distinct (``11XQ98FVS8WI``)."""
    n = len(value)
    digits = sum(48 <= c <= 57 for c in value)
    switches = sum(
        (a <= 57) != (b <= 57) for a, b in zip(value, value[1:], strict=False) if a > 32 and b > 32
    )
    return (
        12 <= n <= 15
        and 3 <= digits <= n - 3
        and len(set(value)) >= n - 3
        and switches >= 3
        and kind(value) is Kind.RANDOM
    )


def bearer_grade(value: bytes) -> bool:
    """32+ random characters of mixed case and digits (not hex): ~190 bits, more than any object
    id spends (UUIDs, KSUIDs, Stripe and Firebase ids are hex or shorter), and exactly what
    session ids, client ids paired with keys and bearer tokens look like."""
    v = value[:MAX_LEN]
    return (
        len(v) >= 32
        and randomness(v)
        and any(65 <= c <= 90 for c in v)
        and any(97 <= c <= 122 for c in v)
        and entropy(v) >= 4.0
    )


def is_quantity(value: bytes) -> bool:
    """A number written as a measurement, not a token (see the module docstring). Closing
    brackets after it end the structure it sits in (``{"ratio": 0.383}``), not the number."""
    return len(value) <= MAX_LEN and bool(_QUANTITY.fullmatch(value.strip().rstrip(b"}]")))


def hex_digits(value: bytes) -> int:
    """How many hex digits a HEX value holds (dashes not counted)."""
    return len(value) - value.count(b"-")
