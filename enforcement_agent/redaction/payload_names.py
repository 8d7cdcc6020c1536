"""Names that positively name non-secret content: under them a base64 or hex payload is what the
name says (an image, a request body, a cache key, a nonce), not a credential.

``thumbnail: <60 base64>``, ``payload=<base64>``, ``"avatar_b64": "…"``, ``x-cache-key: <random>``,
``csp-nonce: …``: the generic rules (a random-looking value after a bare name) masked these. A
name says "content" only when its last word (after format qualifiers such as ``_b64``, ``Data``,
``_png``) is a content word, and no part of it names a secret, in any spelling: separated, camel,
kebab, glued, capitals (``thumbnail_token``, ``payloadSecret``, ``CACHEKEYPASSWORD`` still mask).
Bare ``data``, ``value``, ``blob`` say nothing and still mask. Provider-shaped tokens are the
provider detectors' and are masked under any name.
"""

from __future__ import annotations

import functools

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.redaction import id_columns

# The content a name may positively name: media, message bodies, caches, one-time public values.
_CONTENT_WORDS = frozenset(
    (
        "thumbnail thumbnails thumb thumbs image images img imgs avatar avatars icon icons favicon "
        "logo logos picture pictures pic pics photo photos preview previews sprite sprites "
        "screenshot screenshots font fonts glyph audio video attachment attachments "
        "payload payloads body content contents nonce"
    ).split()
)
# Format qualifiers that may follow the content word (``avatar_b64``, ``imageData``, ``logo_png``).
_QUALIFIERS = frozenset(
    (
        "b64 base64 data bytes blob encoded enc raw str string value val bin png jpg jpeg gif "
        "webp svg ico bmp mp3 mp4 webm"
    ).split()
)
# A secret named anywhere in the name, glued or not (checked on the lower-case name with its
# separators taken out). ``cachekey`` (and ``author``) are taken out first: a cache key is no
# credential, an author's avatar no auth.
_SECRET_PARTS = lazy_compile(
    rb"secret|token|pass|pwd|cred|auth|bearer|jwt|key|private|priv|sign|sig|session|sess|cookie|"
    rb"csrf|xsrf|otp|pin|apikey|hmac|salt|cert|cipher|crypt|license|licence"
)
_WORDS = lazy_compile(rb"[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*(?![a-z])|[0-9]+")
# Glued: the content word itself and its qualifiers only. Not a longer word ending in one: a
# service's name before its key (``cloudimage: "d__9rv…"``, a corpus positive) is no image.
_GLUED = lazy_compile(
    rb"(?:"
    + "|".join(sorted(_CONTENT_WORDS, key=len, reverse=True)).encode()
    + rb"|cachekey)(?:"
    + "|".join(sorted(_QUALIFIERS, key=len, reverse=True)).encode()
    + rb")*"
)


@functools.lru_cache(maxsize=4096)
def payload_name(name: bytes) -> bool:
    """``thumbnail``, ``avatar_b64``, ``imageData``, ``x-cache-key``, ``csp-nonce``, ``payload``:
    the name says its value is content, and nothing in it names a secret."""
    text = name.strip().strip(b"\"'`*")
    if not text or len(text) > 60:
        return False
    flat = text.lower()
    for sep in (b"_", b"-", b".", b" "):
        flat = flat.replace(sep, b"")
    if _SECRET_PARTS.search(flat.replace(b"cachekey", b"").replace(b"author", b"")):
        return False
    words = [w.lower() for w in _WORDS.findall(text)]
    while words and words[-1].decode() in _QUALIFIERS:
        words.pop()
    if words:
        last = words[-1].decode()
        if last in _CONTENT_WORDS:
            return True
        if last == "key" and len(words) >= 2 and words[-2] == b"cache":
            return True
    # Glued, in capitals or lower case (``IMAGEB64``, ``thumbnaildata``, ``CACHEKEY``).
    return _GLUED.fullmatch(flat) is not None


def under_payload_header(data: bytes, start: int, end: int) -> bool:
    """The value ``data[start:end]`` sits in a table column whose header names content
    (``"service", "payload"`` over ``"cron", "<base64>"``, an rST ``csv-table``'s ``:header:``)."""
    cell = id_columns.column_header(data, start, end)
    return cell is not None and payload_name(cell)


def under_id_or_payload_header(data: bytes, start: int, end: int) -> bool:
    """``id_columns.under_id_header``, or a column naming content."""
    return id_columns.under_id_header(data, start, end) or under_payload_header(data, start, end)
