"""Names that say a value identifies or digests something (``request_id``, ``sha256``,
``commit``): under them a hex value, a UUID or a digest is what the name says, not a credential.

One word list serves the Python rules and the hyperscan prefilters built from it
(``prefilters.not_ending_with``), so both engines dismiss the same names.
"""

from __future__ import annotations

import functools

from enforcement_agent.lazy_regex import lazy_compile

# Words that name an identifier, a digest or a locator. A name ending in one of them (any case,
# with or without a separator before it: request_id, RequestId, uid, clientId) holds an id.
ID_WORDS = (
    "id ids uuid guid uid oid hash hashes sha sha1 sha224 sha256 sha384 sha512 md5 h1 digest "
    "checksum integrity sum etag commit rev revision version request trace traceparent span "
    "parent correlation build run job task node pod container instance host hostname event "
    "message msg user tenant account org project session image tag ref object file path url uri "
    # (Fifteenth pass: HTTP's ``If-None-Match``/``If-Match`` carry an ETag.)
    "name match"
).split()

# The same words as a separate word of the name (trace_id, request-id, id): for values that are
# not hex, only such a name says "identifier" (a bearer-grade value under it still counts).
_ID_NAME = lazy_compile(
    rb"(?i)(?:^|[_.\-])(?:id|ids|uuid|guid|hash|sha\d*|md5|digest|checksum|etag|trace|span|"
    rb"commit|rev|revision|version|request|correlation|parent|build|run|job|task|node|pod|"
    rb"container|instance|host|event|message|msg|user|tenant|account|org|project|session|image|"
    rb"tag|ref|key_id|object|file|path|url|uri|name)(?:[_.\-]?id)?s?$"
)
_ENDS_WITH_ID_WORD = lazy_compile(
    rb"(?i)(?:" + b"|".join(w.encode() for w in sorted(ID_WORDS, key=len, reverse=True)) + rb")$"
)
# Digests: whatever their value looks like (sha256=<base64>, h1:<base64>, integrity sha512-…).
_DIGEST_NAME = lazy_compile(
    # (Fifteenth pass: HTTP's ``If-None-Match``/``If-Match``, which carry an ETag.)
    # (Thirtieth pass: a git commit's, ``GIT_COMMIT``, ``build/commit``: base64 there is no key.)
    rb"(?i)(?:^|[_.\-])?(?:sha\d*|md5|h1|digest|checksum|integrity|hash|etag|crc\d*|b2sum|commit|"
    rb"if[_.\-]?(?:none[_.\-]?)?match|"
    rb"blake2b?|xxh\d*)s?$"
)


# Names of an id that infrastructure issues for one request or trace (X-Request-ID, trace_id,
# CloudFront's x-amz-cf-id, x-amzn-RequestId, cf-ray, traceparent): logged on every line, never
# a credential, whatever the value looks like (a 56-character base64 CloudFront id was masked as
# a bearer-grade value). Not session, client or user ids: those can be credentials.
_REQUEST_ID_NAME = lazy_compile(
    rb"(?i)(?:^|[_.\-])(?:(?:request|req|trace|span|correlation|cf|invocation|execution)"
    rb"[_.\-]?ids?|cf[_.\-]ray|traceparent|tracestate)$"
)


@functools.lru_cache(maxsize=4096)
def request_id_name(name: bytes) -> bool:
    """``X-Request-ID``, ``trace_id``, ``x-amz-cf-id``: the name says a per-request id."""
    return bool(_REQUEST_ID_NAME.search(name))


@functools.lru_cache(maxsize=4096)
def id_name(name: bytes) -> bool:
    """``trace_id``, ``request-id``, ``id``, ``commit``: the name, as a separate word, says id."""
    return bool(_ID_NAME.search(name))


@functools.lru_cache(maxsize=4096)
def ends_with_id_word(name: bytes) -> bool:
    """``RequestId``, ``uid``, ``sha256``, ``traceparent``: the name ends in an id word at all."""
    return bool(_ENDS_WITH_ID_WORD.search(name))


# What git prints before an object id: object words (`tree <hex>` in `cat-file -p` and `log
# --format=raw`, `HEAD <hex>` in `worktree list --porcelain`, `dangling blob <hex>`), the
# special refs and the rebase todo's verbs (`pick <hex>` with full ids). Only a hex value is
# dismissed under them. (Not prose words, "is", "at": "your token is: <hex>" is a secret.)
GIT_OBJECT_WORDS = frozenset(
    (
        "head orig_head fetch_head merge_head cherry_pick_head revert_head rebase_head "
        "bisect_head auto_merge tree blob merge base onto upstream branch dangling unreachable "
        "missing pick fixup squash edit reword drop label reset"
    ).split()
)
# (Eleventh pass: also a UUID's or a dashed id's tail, ``<uuid>: <uuid>`` in a colon table.)
_HEX_ID = lazy_compile(rb"[0-9a-fA-F]{7,64}|[0-9a-fA-F]{1,12}(?:-[0-9a-fA-F]{4,12}){2,4}")


@functools.lru_cache(maxsize=4096)
def names_an_object(name: bytes) -> bool:
    """``tree``, ``HEAD``, ``pick`` or an object id itself (``<hex> <hex>``: `rev-list
    --parents`, `%H %T %P`): a hex value after it is a git object id."""
    return (
        name.lower().decode("ascii", "replace") in GIT_OBJECT_WORDS
        or _HEX_ID.fullmatch(name) is not None
    )


@functools.lru_cache(maxsize=4096)
def digest_name(name: bytes) -> bool:
    """``sha256``, ``integrity``, ``h1``, ``checksum``: the value is a digest."""
    return bool(_DIGEST_NAME.search(name))


# Thirty-first pass: a value that says by its own shape it is a digest (an OCI image's
# ``sha256:<64 hex>``, a lockfile's ``sha512-<base64>``): no secret under any name.
_DIGEST_VALUE = lazy_compile(
    rb"sha(?:256:[0-9a-f]{64}|512:[0-9a-f]{128}|256-[A-Za-z0-9+/]{43}=|384-[A-Za-z0-9+/]{64}|"
    rb"512-[A-Za-z0-9+/]{86}==)"
)


def digest_value(value: bytes) -> bool:
    """``sha256:9f86…`` (71 bytes), ``sha512:…``, ``sha512-…==``: the value is a digest."""
    return len(value) in (51, 71, 75, 95, 135) and _DIGEST_VALUE.fullmatch(value) is not None


# Words that make a name a setting or a measurement about a secret rather than the secret
# (timeout_secret_ms, token_count, password_hash_algo, secretRotationDays): under such a name a
# number, a boolean or a short word is the setting's value. Random strings, hex and base64
# under it still count (``detectors.setting_value`` decides the value's side). One-letter units
# (m, h, d) and words that also name a region or an OAuth parameter (us, state) are left out.
SETTING_WORDS = frozenset(
    (
        # units
        "ms msec msecs millis usec ns s sec secs second seconds min mins minute minutes "
        "hr hrs hour hours day days week weeks month months year years "
        "bytes kb mb gb kib mib gib bit bits char chars digit digits pct percent "
        # measurements and limits
        "count cnt num number total limit max min maximum minimum timeout ttl interval delay "
        "retries retry attempts duration age lifetime period window threshold length len size "
        "budget quota expiry expires expiration rotation rotate level strength score weight "
        "factor rounds iterations cost used remaining rate ratio version ver "
        # kinds and switches
        "type kind mode algo alg algorithm scheme method cipher strategy policy format encoding "
        "charset style enabled disabled enable disable required flag allowed status "
        # when it last changed (password_last_changed: 2026-02-10T08:14:00Z; twelfth pass)
        "changed updated created modified"
    ).split()
)
# A name's words as code spells them: Capitalised or lower-case runs, acronyms.
_NAME_WORDS = lazy_compile(rb"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


@functools.lru_cache(maxsize=4096)
def setting_name(name: bytes) -> bool:
    """``timeout_secret_ms``, ``tokenCount``, ``PASSWORD_HASH_ALGO``: a word of the name makes it
    a setting or a measurement (``SETTING_WORDS``)."""
    return any(w.lower().decode() in SETTING_WORDS for w in _NAME_WORDS.findall(name))


# Cloud services whose names hold a secret word: in an ARN (arn:aws:secretsmanager:…), an IAM
# action (secretsmanager:GetSecretValue) or a GCP role (roles/secretmanager.secretAccessor) the
# word names the service, not a value (twelfth pass).
SERVICE_NAMES = frozenset((b"secretsmanager", b"secretmanager"))


def service_name(name: bytes) -> bool:
    """``secretsmanager``, ``secretmanager.secretAccessor``: a cloud service's name."""
    return name.split(b".", 1)[0].lower() in SERVICE_NAMES


_OPENPGP_NAME = lazy_compile(
    rb"(?i)(?:^|[_.\-])(?:gpg|pgp|gnupg|openpgp)[_.\-]?keys?(?:[_.\-]?ids?)?$"
)
_FINGERPRINTS = lazy_compile(
    rb"(?:[0-9A-Fa-f]{40}|[0-9A-Fa-f]{16})(?:[ \t,]{1,4}(?:[0-9A-Fa-f]{40}|[0-9A-Fa-f]{16})){0,15}"
)


def openpgp_fingerprint(name: bytes, value: bytes) -> bool:
    """An OpenPGP key's fingerprint or long id (40 or 16 hex digits, one or several) under a
    name for one (``GPG_KEY``, ``NODE_KEYS``, ``PGP_KEY_ID``): every ``python`` image's
    environment; it signs releases and is published, and a secret key is never 40 hex digits
    (twenty-seventh pass; twenty-eighth: in PowerShell's ``Name  Value`` table too)."""
    return (
        bool(_OPENPGP_NAME.search(name))
        and _FINGERPRINTS.fullmatch(value.strip(b"\"'")) is not None
    )
