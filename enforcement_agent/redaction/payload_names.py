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
from collections.abc import Callable

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.redaction import ansi, id_columns

# The content a name may positively name: media, message bodies, caches, one-time public values.
_CONTENT_WORDS = frozenset(
    (
        "thumbnail thumbnails thumb thumbs image images img imgs avatar avatars icon icons favicon "
        "logo logos picture pictures pic pics photo photos preview previews sprite sprites "
        "screenshot screenshots font fonts glyph audio video attachment attachments "
        "payload payloads body content contents nonce peer peers"
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
# Short secret words, as whole words of the name (``pw_payload``, ``pat_body``, ``sk-image``).
_SECRET_WORDS = frozenset(b"pw pat pin sk psk mfa totp otp key keys".split())
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


_PUBLIC_WORD = lazy_compile(rb"(?i)(?<![A-Za-z0-9])(?:public|pub)[ \t]\Z")
# Twenty-fourth pass: a public key (WireGuard's ``PublicKey``, ``public_key``, ``pubkey``) is
# published by design; a peer (``wg show``'s ``peer: <public key>``) is named by its public key.
_PUBLIC_KEY = lazy_compile(rb"(?:[a-z]{0,16})?(?:public|pub)keys?(?:b64|base64|data|pem|hex|der)?")


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
    if _PUBLIC_KEY.fullmatch(flat):
        return True
    if _SECRET_PARTS.search(flat.replace(b"cachekey", b"").replace(b"author", b"")):
        return False
    words = [w.lower() for w in _WORDS.findall(text)]
    if any(w in _SECRET_WORDS for w in words[:-1] if w != b"key" or not _cache_key(words)):
        return False
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


def _cache_key(words: list[bytes]) -> bool:
    return any(a == b"cache" and b == b"key" for a, b in zip(words, words[1:], strict=False))


# The name right before a value: its separator (``: ``, ``=``, ``, ``), quotes, blanks; a
# flag's dashes before it (``--avatar=…``: eighteenth pass).
_NAME_BEFORE = lazy_compile(
    rb"(?<![A-Za-z0-9_.\-])(?:--?)?([A-Za-z][A-Za-z0-9_.\-]{0,59})[\"'`*]{0,2}[ \t]{0,4}(?::=|[:=,])?"
    rb"[ \t]{0,4}[\"'`]? ?\Z"
)
# A credential word right before the name (``loaded credential payload: …``, ``api token body
# …``, ``Authorization payload: …``, ``--token payload=…``): the value is that credential.
_CREDENTIAL_BEFORE = lazy_compile(
    rb"(?i)(?<![a-z0-9])(?:secrets?|tokens?|passw(?:or)?ds?|passwd|pwd|pw|pass|passphrase|"
    rb"credentials?|creds?|auth[a-z]*|bearer|api[_\- ]?keys?|keys?|private|cookies?|sessions?|"
    rb"pat|otp|pin)[\"'`*]{0,2}[ \t_\-.:>]{1,4}\Z"
)


# An entry's name on the line above its value (as ``engine._NAME_ENTRY``).
_ENTRY_ABOVE = lazy_compile(
    rb"[ \t]*(?:- )?[\"']?(?i:name|key)[\"']?[ \t]{0,4}[:=][ \t]{0,4}[\"']?([A-Za-z0-9_.\-]{1,80})"
    rb"[\"']?,?[ \t]*\r?"
)


# Nineteenth pass: base64 of a PEM certificate, certificate request, CRL or public key (a
# Kubernetes secret's ``ca.crt``/``tls.crt`` printed by ``kubectl get secret -o go-template``, a
# kubeconfig's ``certificate-authority-data``): public, under any name but inside a Secret
# manifest's data map (``_in_data_block``). (A private key inside the same encoding is the
# decoders' find: they scan the decoded text whatever the generic rules said.)
_PUBLIC_PEM_B64 = (
    b"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS",  # -----BEGIN CERTIFICATE
    b"LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0t",  # -----BEGIN PUBLIC KEY---
    b"LS0tLS1CRUdJTiBYNTA5IENSTC0tLS0t",  # -----BEGIN X509 CRL-----
)


# A Kubernetes Secret manifest's ``data:``/``stringData:`` map (YAML, or pretty-printed JSON's
# ``"data": {``): what it holds is secret by the manifest's own word (gitleaks'
# ``kubernetes-secret-yaml``, a positive of ``../shared/corpora/secrets``: a CA certificate
# there), so a certificate in it stays masked; printed alone (``-o go-template``, a kubeconfig's
# ``certificate-authority-data``) it is public.
_DATA_KEY = lazy_compile(rb"[\"']?(?:data|stringData)[\"']?[ \t]*:[ \t]*\{?")


def _in_data_block(data: bytes, start: int) -> bool:
    line_start = data.rfind(b"\n", 0, start) + 1
    line = data[line_start:start]
    indent = len(line) - len(line.lstrip(b" \t"))
    if indent == 0:
        return False
    # (Within ``id_columns.LOOKBACK``, less than a stream's left context: a stream and one pass
    # read the same lines. A walk that reaches its bound undecided keeps the value masked.)
    floor = line_start - id_columns.LOOKBACK
    pos = line_start
    for _ in range(64):
        if pos <= 0:
            return False
        if pos <= floor:
            return True
        nl = data.rfind(b"\n", max(0, floor), pos - 1)
        if nl < 0 and floor > 0:
            return True
        begin = nl + 1
        prev = data[begin : pos - 1].rstrip(b"\r")
        pos = begin
        text = prev.strip()
        if not text:
            continue
        if len(prev) - len(prev.lstrip(b" \t")) < indent:
            return _DATA_KEY.fullmatch(text) is not None
    return True


# Twenty-second pass: a sops envelope's ciphertext, nonce and tag (``ENC[AES256_GCM,data:…,iv:…,
# tag:…,type:str]``): encrypted at rest, the very form a secret is committed in.
_SOPS_FIELD = lazy_compile(
    rb"ENC\[[A-Z0-9_]{3,20},(?:[a-z]{1,8}:[^,\]\s]{0,4096},){0,3}[a-z]{1,8}:$"
)


def payload_at(data: bytes, start: int, end: int) -> bool:
    """The value ``data[start:end]`` follows a name that names content (``payload_name``), with
    no credential word right before that name on its line; or it is base64 of a public PEM, or
    a sops envelope's field."""
    if data.startswith(_PUBLIC_PEM_B64, start):
        return not _in_data_block(data, start)
    floor = max(0, start - 160)
    line_start = data.rfind(b"\n", floor, start) + 1 or floor
    before = data[line_start:start]
    if b"ENC[" in before and _SOPS_FIELD.search(data, max(line_start, start - 8192), start):
        return True
    if b"\x1b" in before or b"\x9b" in before:
        before = ansi.strip(before)  # (terraform's ``\x1b[1mpayload\x1b[0m = "…"``)
    near = before[-90:]
    m = _NAME_BEFORE.search(near)
    if m is None:
        return False
    name = m.group(1)
    if name.lower() in (b"key", b"keys") and _PUBLIC_WORD.search(near, 0, m.start(1)):
        name = b"public" + name  # ``public key: <base64>`` (``wg show``)
    if name.lower() == b"value" and line_start > floor:
        # (Eighteenth pass: a ``value`` under its entry's name on the line above, PowerShell's
        # ``Name  : AVATAR`` over ``Value : <base64>``, k8s ``- name: X`` over ``value: …``.)
        prev = data.rfind(b"\n", 0, line_start - 1) + 1
        entry = _ENTRY_ABOVE.fullmatch(data, prev, line_start - 1)
        name = entry.group(1) if entry is not None else name
    if not payload_name(name):
        return False
    return _CREDENTIAL_BEFORE.search(before[-90:][: m.start(1)][-48:]) is None


def or_payload(
    reject_at: Callable[[bytes, int, int], bool] | None,
) -> Callable[[bytes, int, int], bool]:
    """A generic rule's ``reject_at``, also dismissing a value after a content name."""
    if reject_at is None:
        return payload_at
    check = reject_at

    def either(data: bytes, start: int, end: int) -> bool:
        return payload_at(data, start, end) or check(data, start, end)

    return either


# A cell of a content column's row: a run of base64 of 32 or more characters, or of 16 or more
# with upper and lower case and a digit, that is not itself a content name (ctxover: the header
# walk goes up over the rows above, ``svc  thumbnail`` over ``api  <base64>`` and ``web
# <base64>``). A long header read as a row only walks on up: over a blank line, another shape
# or nothing, the value is masked.
_CONTENT_CELL = lazy_compile(rb"[\"']?([A-Za-z0-9+/_\-]{16,}={0,2})[\"']?,?")
_UPPER = lazy_compile(rb"[A-Z]")
_LOWER = lazy_compile(rb"[a-z]")
_DIGIT = lazy_compile(rb"[0-9]")


def _content_row(cell: bytes) -> bool:
    m = _CONTENT_CELL.fullmatch(cell)
    if m is None:
        return False
    bare = m.group(1)
    if payload_name(bare):
        return False
    return len(bare) >= 32 or bool(
        _UPPER.search(bare) and _LOWER.search(bare) and _DIGIT.search(bare)
    )


def under_payload_header(data: bytes, start: int, end: int) -> bool:
    """The value ``data[start:end]`` sits in a table column whose header names content
    (``"service", "payload"`` over ``"cron", "<base64>"``, an rST ``csv-table``'s ``:header:``,
    ``svc  thumbnail`` over ``api  <base64>``), read up over the rows of content above it."""
    cell = id_columns.column_header(data, start, end, _content_row)
    return cell is not None and payload_name(cell)


def not_a_line_start_secret(data: bytes, start: int, end: int) -> bool:
    """The line-start generic rule's ``reject_at``: ``id_columns.not_a_line_start_secret``, or a
    value in a column headed by a content name (the row's first cell is no name of it)."""
    return id_columns.not_a_line_start_secret(data, start, end) or under_payload_header(
        data, start, end
    )


def under_id_or_payload_header(data: bytes, start: int, end: int) -> bool:
    """``id_columns.under_id_header``, or a column naming content."""
    return id_columns.under_id_header(data, start, end) or under_payload_header(data, start, end)
