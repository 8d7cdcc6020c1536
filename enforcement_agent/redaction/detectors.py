"""Secret detectors: provider token formats, key blocks, JWTs, URL credentials, key names.

Patterns follow the providers' documented token formats (prefixes, lengths, alphabets). Each
pattern is a bytes regex that both engines understand: hyperscan compiles it in prefilter mode
(lookarounds and back-references approximated) and Python ``re`` confirms the exact span. When a
pattern has a group named ``s`` only that group is the secret (the key name or scheme around it
stays readable); otherwise the whole match is.

Every quantifier is bounded so a match never exceeds ``MAX_MATCH`` bytes: the stream redactor
relies on that bound to know which bytes can no longer become part of a secret.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import unquote_to_bytes

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.redaction import id_columns, names, payload_names, word_model
from enforcement_agent.redaction.placeholders import is_slot, not_a_literal_secret
from enforcement_agent.redaction.prefilters import (
    HEX,
    name_end_not_ending_with,
    not_ending_with,
    some_non_hex,
    value_start_except,
)

MAX_MATCH = 8192

# Left/right token boundaries that also treat '-', '_' and '.' as part of a token.
_L = rb"(?<![A-Za-z0-9_\-])"
_R = rb"(?![A-Za-z0-9_\-])"


@dataclass(frozen=True)
class Detector:
    name: str
    family: str
    pattern: bytes
    # Rejects a confirmed value that is a placeholder or otherwise not a secret.
    reject: Callable[[bytes], bool] | None = field(default=None, compare=False)
    # The secret never spans a newline and at most ~64 bytes of key/separator precede the line
    # it sits on, so a hit can be confirmed on its own line (a much smaller window).
    line_bound: bool = False
    # A cheaper superset pattern for hyperscan (the full pattern still confirms every hit).
    prefilter: bytes | None = None
    # Scanned exactly, not in prefilter mode; with the literal-free shapes unless hyperscan can
    # skip to a fixed string in it (see ``engine.literal_anchored``).
    side: bool = False
    # More hyperscan expressions for the same (side) detector: an alternation scans far slower
    # than its branches apart, each in the database that suits it.
    also_scan: tuple[bytes, ...] = ()
    # The prefilter stops at the first character of the secret (one reported end per match
    # instead of one per character): confirmation then looks a full width past the hit.
    short_prefilter: bool = False
    # Rejects a (name, value, spaced) triple: the pattern's group ``g`` is the name the value was
    # given; ``spaced``: a blank sets the value apart from its name.
    reject_pair: Callable[[bytes, bytes, bool], bool] | None = field(default=None, compare=False)
    # The value's characters past the pattern's bound (see ``long_values``): derived from the
    # pattern's ``s`` group when None; ``run_end`` must follow a value extended past its bound.
    run: bytes | None = None
    run_end: bytes | None = None
    # Hyperscan reports where each match of the (exact) prefilter starts: the pattern is then
    # tried there only, not over a window (Python's re reads these patterns at ~15 MB/s).
    som: bool = False
    # Rejects a confirmed value by where it sits: (the scanned bytes, the value's start, its
    # end). Only what ``context`` bytes before the value's line hold may decide (a stream keeps
    # that much released text as left context).
    reject_at: Callable[[bytes, int, int], bool] | None = field(default=None, compare=False)

    @property
    def scan_pattern(self) -> bytes:
        return self.prefilter or self.pattern

    @property
    def scan_patterns(self) -> tuple[bytes, ...]:
        return (self.scan_pattern, *self.also_scan)

    def compiled(self) -> re.Pattern[bytes]:
        return re.compile(self.pattern, re.DOTALL)


def _zero_bytes(value: bytes) -> bool:
    """A run of zero bytes in base64 ("AAAAAAAA"): a wrapped image line, not a random token."""
    return b"AAAAAAAA" in value


def _p(
    name: str,
    family: str,
    pattern: bytes,
    *,
    line_bound: bool = False,
    prefilter: bytes | None = None,
    side: bool = False,
    short_prefilter: bool = False,
    reject: Callable[[bytes], bool] | None = None,
    run: bytes | None = None,
    reject_at: Callable[[bytes, int, int], bool] | None = None,
) -> Detector:
    # No placeholder filter here: a provider-shaped value is masked even when it looks fake
    # (scanners' own fixtures are full of AKIAZZZZ…); over-masking a fake costs nothing.
    return Detector(
        name,
        family,
        pattern,
        line_bound=line_bound,
        prefilter=prefilter,
        side=side,
        short_prefilter=short_prefilter,
        reject=reject,
        run=run,
        reject_at=reject_at,
    )


_LETTERS_AND_HYPHENS = lazy_compile(rb"[A-Za-z]+(?:[-_][A-Za-z]+)*")

# Fifteenth pass: a lookup under a secret's name, ``secret = config['worker']['secret']`` (the
# value cut at its quote is a name and a ``[``), ``keys[0]``, ``row[pw_col]``.
_LOOKUP = lazy_compile(
    rb"[A-Za-z_][A-Za-z0-9_]{0,40}(?:\.[A-Za-z_][A-Za-z0-9_]{0,40}){0,4}"
    rb"(?:\[(?:[0-9]{1,6}|[A-Za-z_][A-Za-z0-9_.]{0,40})\])*"
    rb"(?:\[(?:[0-9]{1,6}\]?)?|\[(?:[0-9]{1,6}|[A-Za-z_][A-Za-z0-9_.]{0,40})\])"
)


def is_lookup(value: bytes) -> bool:
    """``config[`` (``config['worker']['secret']`` cut at its quote), ``keys[0]``,
    ``row[pw_col]``: a name looked up, no value (the name not generated-looking: a key cut at a
    ``[`` of its own, ``Rr4hHCrV375j[``, is no name)."""
    v = value.strip()
    if _JSON_PATH.fullmatch(v) is not None:
        # (names, not a key after a dot: ``secret: .v2QPKHl7…;`` is a value; the corpus's
        # trufflehog aws case leaked when any dotted word passed for a path)
        return not any(word_model.key_material(s) for s in _PATH_SEGMENT.findall(v))
    return _LOOKUP.fullmatch(v) is not None and not word_model.key_material(v.split(b"[", 1)[0])


# Twentieth pass: a JSONPath or Go template path naming where the value is read from, no value
# (``kubectl get secret -o custom-columns=NAME:.metadata.name,PASSWORD:.data.password``,
# ``-o jsonpath={.data.token}``, ``$.data.api_key``): a dot then name segments.
_JSON_PATH = lazy_compile(
    rb"\{?\$?(?:\.[A-Za-z_][A-Za-z0-9_\-]{0,60}(?:\[[^\]\s]{0,40}\])?){1,8}\}?"
)
_PATH_SEGMENT = lazy_compile(rb"\.([A-Za-z_][A-Za-z0-9_\-]*)")


# Twenty-third pass: a driver's or formatter's slot where a connection string's password goes
# (``postgresql://app:%s@db``, ``password=%(pw)s``, ``{password}``), SQL's ``PASSWORD = NULL,``
# and a psql variable (``PASSWORD = :'pw'``, cut at its quote to ``:``).
_FORMAT_SLOT = lazy_compile(
    rb"%[0-9]{0,2}[sdr]|%\([A-Za-z_][A-Za-z0-9_]{0,40}\)[sdr]|\{[A-Za-z_0-9]{0,40}\}|"
    rb"(?i:null);?,?|:(?:[\"']?[A-Za-z_][A-Za-z0-9_]{0,40}[\"']?,?)?"
)


def format_slot(value: bytes) -> bool:
    return _FORMAT_SLOT.fullmatch(value) is not None


# PowerShell's ``$env:X``, a release pipeline's tokens ``__X__`` and ``#{X}#`` (twenty-fourth pass).
_PIPELINE_SLOT = rb"\$env:[A-Z_][A-Z0-9_]*|__[A-Z][A-Z0-9_.]*__|#\{[A-Z_][A-Z0-9_.\-]*\}#?"
_PIPELINE_SLOT_RE = lazy_compile(rb"(?i)" + _PIPELINE_SLOT)


def _quantity_or_lookup(value: bytes) -> bool:
    if word_model.is_quantity(value) or is_lookup(value) or format_slot(value):
        return True
    # (A form body's pair: the value up to its ``&``, ``password=%24DB_PASSWORD&grant_type=…``.)
    head = value.split(b"&", 1)[0]
    if (
        not head.strip(b"*")  # ``password= *``: prompt for it (``sc.exe``, ``net use``)
        or _PIPELINE_SLOT_RE.fullmatch(head)
        or (b"%" in head and _percent_encoded_slot(head))
    ):
        return True
    # (Twenty-second pass: a slot closed by the structure it sits in, Lombok's and Java's
    # ``Creds{password=null}``, ``password=[secret]}``: the brackets are not the value's.)
    closed = unclosed_tail(value)
    return closed != value and (
        bool(_PLACEHOLDER_VALUE.fullmatch(closed)) or not_a_literal_secret(closed)
    )


def unclosed_tail(value: bytes) -> bytes:
    """``value`` without the brackets at its end that close nothing opened in it (they close
    the structure it sits in: ``null}`` of ``{password=null}``, ``[secret]}``)."""
    v = value
    while v and v[-1:] in (b"}", b")", b"]"):
        close = v[-1:]
        opener = {b"}": b"{", b")": b"(", b"]": b"["}[close]
        if v.count(opener) >= v.count(close):
            break
        v = v[:-1]
    return v


def _setting_under_option(name: bytes, value: bytes, _spaced: bool) -> bool:
    """``--age-token 3000``, ``--token-ttl 86400``: a setting's value under an option whose
    name ends in an auth scheme word (a bare ``token 3000`` or ``Bearer …`` is never one)."""
    name = name.lstrip(b"-.")
    return names.setting_name(name) and setting_value(value)


def _plain_word(value: bytes) -> bool:
    """``Basic template …``, ``basic DataFrame:``, ``Basic authentication.``: a word after an auth
    scheme is prose (letters only, reading as words: a random run of letters is a token, and
    anything with a digit is a credential, as under a key name, unless it is a measurement:
    ``token 99.5``)."""
    v = value.rstrip(b".,:;")
    return (
        bool(_LETTERS_AND_HYPHENS.fullmatch(v)) and word_model.kind(v) in _WORDS
    ) or word_model.is_quantity(v)


# eu-west-1, node-pool-3: lower-case words and numbers of 1 to 3 digits joined by hyphens.
_NAME_OF_WORDS = lazy_compile(rb"[a-z]{2,}(?:-(?:[a-z]{1,}|[0-9]{1,3}))*-[0-9]{1,3}")


# Lower-case words and short numbers joined by ``.``, ``/``, ``-`` or ``_``.
_DATE = lazy_compile(rb"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9:.]{0,12}Z?)?")
_DOTTED_WORDS = lazy_compile(rb"[a-z][a-z0-9]*(?:[./\-_][a-z0-9]+)+")


def _auth_scheme_pair(name: bytes, value: bytes, spaced: bool) -> bool:
    """A setting under an option (``_setting_under_option``), or a ``token`` cell before the next
    cell of a table (``billing<TAB>token<TAB>eu-west-1``, an ``auth_method`` column; twelfth
    pass): a bare ``token`` before a lower-case name of words ending in a short number is no
    header (``Bearer`` and ``Basic`` before anything still are)."""
    if _setting_under_option(name, value, spaced):
        return True
    # Twenty-fourth pass: HTTP Digest credentials are ``key="…"`` lists; a bare run after
    # ``digest`` (a colour-coded ``digest <sha256>`` of a listing) is a digest, no header.
    if name.lower().endswith(b"digest") and b"=" not in value:
        return True
    # Nineteenth pass: a dotted or slashed name of words after a longer name ending in the scheme
    # word (``kubectl get secrets -A``'s ``worker-sa-token   kubernetes.io/service-account-token``,
    # a secret's type beside its name) is a type or a path, not a credential.
    if _DATE.fullmatch(value) is not None:
        return True  # (a timestamp cut at its first colon: ``…-token   2026-11-30T10:00:00Z``)
    # (Twenty-third pass: a path of words after the word alone too, ``vault kv get -field=token
    # secret/app``: a secret's path, not a credential.)
    if (
        (len(name) > 6 or b"/" in value)
        and (b"/" in value or b"." in value)
        and _DOTTED_WORDS.fullmatch(value) is not None
        and word_model.kind(value) in _WORDS
    ):
        return True
    return (
        name.lower() == b"token"
        and _NAME_OF_WORDS.fullmatch(value) is not None
        and word_model.kind(value.rstrip(b"0123456789").rstrip(b"-")) in _WORDS
    )


_WORDS = frozenset({word_model.Kind.CODE_NAME, word_model.Kind.WORDS})


# Seventeenth pass: a scheme word ending a table's header line (``NAME   TOKEN``, ``note | token``)
# is the last column's name, not a header's scheme: the next line's first cell (``default-token-
# x7k2p``, psql's ``-----+-----`` rule) is the first column's value. A word alone on its line
# (``TOKEN`` over its one column's value) and prose before it (``Authorization: Bearer`` over an
# indented token) still lead the value on the next line.
_CELL_GAP = lazy_compile(rb"  |\t|[|,;]|\xe2[\x94\x95]")
_LINE_LOOK = 256


_NEXT_LINE_NOT_A_VALUE = lazy_compile(rb"[A-Za-z_][A-Za-z0-9_.\-]{0,40}=[^=]|/")


def _header_cell_over_row(text: bytes, start: int, end: int) -> bool:
    """Whether the value (``start``) opens the line under its scheme word, and that word ends a
    line of several cells (a gap of two blanks, a tab, a bar, a comma or a box line before it)."""
    i = start
    while i > 0 and start - i < 8 and text[i - 1] in b" \t":
        i -= 1
    if i == 0 or text[i - 1] != 0x0A:
        return False
    if _NEXT_LINE_NOT_A_VALUE.match(text, start, end) is not None:
        # (Twenty-first pass: a setting or a path opening the next line, ``…/oauth/token`` over
        # ``PWD=/work/app`` in an ``env`` dump: no value of the scheme word.)
        return True
    j = i - 1
    if j > 0 and text[j - 1] == 0x0D:
        j -= 1
    while j > 0 and text[j - 1] in b" \t":
        j -= 1
    k = j
    while k > 0 and j - k < 64 and text[k - 1] in _NAME_CHARS:
        k -= 1
    nl = text.rfind(b"\n", max(0, k - _LINE_LOOK), k)
    lo = nl + 1 if nl >= 0 else max(0, k - _LINE_LOOK)
    return _CELL_GAP.search(text, lo, k) is not None


def _plain_word_or_rule(value: bytes) -> bool:
    """``_plain_word``, or a run of rule characters (``--------``, ``=====+=====``), or a
    subresource-integrity digest (``digest sha512-…``: twenty-ninth pass)."""
    return not value.strip(b"-=+:|~.") or _plain_word(value) or sri_digest(value)


# Twenty-ninth pass: a subresource-integrity digest (lockfiles, ``npm pack``, HTML's
# ``integrity=``): the algorithm, ``-`` and the base64 of exactly its length, a digest under any
# name (``commit=sha512-…``, ``digest sha512-…``) as under ``integrity``.
_SRI = lazy_compile(
    rb"sha256-[A-Za-z0-9+/]{43}=|sha384-[A-Za-z0-9+/]{64}|sha512-[A-Za-z0-9+/]{86}=="
)


def sri_digest(value: bytes) -> bool:
    return len(value) in (51, 71, 95) and _SRI.fullmatch(value) is not None


_B64_LINE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")


def _pem_body_line(text: bytes, start: int, end: int) -> bool:
    """The match opens a line of 64 base64 characters under another such line or a PEM
    ``-----BEGIN …-----`` line (a certificate's or key's body: the private-key rules own keys)."""
    if start > 0 and text[start - 1] != 0x0A:
        return False
    nl = text.find(b"\n", start, start + 80)
    line = text[start : nl if nl >= 0 else len(text)].rstrip(b"\r")
    if len(line) != 64 or not all(c in _B64_LINE for c in line):
        return False
    if start == 0:
        return False
    prev_lo = text.rfind(b"\n", max(0, start - 82), start - 1) + 1
    prev = text[prev_lo : start - 1].rstrip(b"\r")
    return prev.startswith(b"-----BEGIN ") or (
        len(prev) == 64 and all(c in _B64_LINE for c in prev)
    )


# --- provider formats -------------------------------------------------------------------------
PROVIDERS: tuple[Detector, ...] = (
    # cloud
    _p(
        "aws-access-key-id",
        "cloud",
        rb"(?<![A-Z0-9])(?P<s>(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA|A3T[A-Z0-9])[A-Z0-9]{16})(?![A-Za-z0-9])",
    ),
    _p(
        "aws-secret-access-key",
        "cloud",
        rb"(?i)aws[\w.\-]{0,30}?(?:secret|key)[\w.\-]{0,20}[\"'`]?\s{0,4}(?:=|:|=>)\s{0,4}[\"'`]?(?P<s>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])",
    ),
    _p("gcp-api-key", "cloud", rb"(?<![A-Za-z0-9_\-])(?P<s>AIza[0-9A-Za-z_\-]{35})" + _R),
    _p("gcp-oauth-secret", "cloud", rb"(?P<s>GOCSPX-[A-Za-z0-9_\-]{28})"),
    _p("gcp-access-token", "cloud", rb"(?P<s>ya29\.[0-9A-Za-z_\-]{20,1024})"),
    _p(
        "azure-storage-key",
        "cloud",
        rb"(?i)(?:AccountKey|SharedAccessKey|azure[\w.\-]{0,30}?key)[\"'`]?\s{0,4}[=:]\s{0,4}[\"'`]?(?P<s>[A-Za-z0-9+/]{40,100}={0,2})",
    ),
    _p("azure-sas-signature", "cloud", rb"(?i)[?&;]sig=(?P<s>[A-Za-z0-9%/+=]{20,200})"),
    _p(
        "azure-ad-client-secret",
        "cloud",
        rb"(?<![A-Za-z0-9_~.\-])(?P<s>[a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.\-]{31,34})(?![a-zA-Z0-9_~.\-])",
    ),
    Detector(
        "azure-storage-key-bare",
        "cloud",
        # Not after "sha512-": a subresource-integrity digest has the same 64-byte shape.
        rb"(?<![A-Za-z0-9+/\-])(?P<s>[A-Za-z0-9+/]{86}==)",
        prefilter=rb"(?:^|[^A-Za-z0-9+/\-])[A-Za-z0-9+/]{86}==",
        side=True,
    ),
    _p("aws-bedrock-key", "cloud", rb"(?<![A-Za-z0-9])(?P<s>ABSK[A-Za-z0-9+/]{100,280}={0,2})"),
    _p(
        "yandex-key",
        "cloud",
        rb"(?<![A-Za-z0-9_\-])(?P<s>(?:AQVN[A-Za-z0-9_\-]{35,38}|YC[a-zA-Z0-9_\-]{38}|t1\.[A-Za-z0-9_\-]{10,200}={0,2}\.[A-Za-z0-9_\-]{86}={0,2}))"
        + _R,
    ),
    _p(
        "harness-token",
        "cloud",
        rb"(?P<s>(?:pat|sat)\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20})",
    ),
    _p("pinecone-key", "ai", rb"(?P<s>pcsk_[A-Za-z0-9_]{40,100})"),
    _p("bitbucket-dc-token", "vcs", rb"(?P<s>BBDC-[A-Za-z0-9+/@_\-]{40,48})"),
    _p(
        "sidekiq-secret",
        "registry",
        rb"(?i)BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM\s{0,4}[:=]\s{0,4}[\"']?(?P<s>[a-f0-9]{8}:[a-f0-9]{8})",
    ),
    _p("aws-bedrock-short-key", "cloud", rb"(?P<s>bedrock-api-key-[A-Za-z0-9+/=]{20,2000})"),
    _p(
        "sumologic-access-id",
        "observability",
        rb"(?i)sumo[\w.\-]{0,30}[\"'`]?\s{0,4}[=:]\s{0,4}[\"'`]?(?P<s>su[a-zA-Z0-9]{12})(?![A-Za-z0-9])",
    ),
    _p(
        "sonar-token",
        "vcs",
        rb"(?i)(?:sonar[\w.\-]{0,30}[\"'`]?\s{0,4}[:?.+|!]{0,3}=\s{0,4}[\"'`]?(?P<s>(?:sq[pau]_)?[A-Za-z0-9]{40})|(?<![A-Za-z0-9])(?P<t>sq[pau]_[a-f0-9]{40}))",
    ),
    _p(
        "facebook-app-token",
        "chat",
        rb"(?<![0-9])(?P<s>\d{15,16}\|[A-Za-z0-9_\-]{25,40})(?![A-Za-z0-9_\-])",
        # "\d{15,16}\|" alone makes hyperscan read every digit; a fixed count is 3x cheaper.
        prefilter=rb"\d{15}\|[A-Za-z0-9_\-]{25}",
        short_prefilter=True,
    ),
    _p(
        "launchdarkly-key",
        "observability",
        rb"(?<![A-Za-z0-9])(?P<s>(?:api|sdk|mob)-[a-z0-9]{8}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{12})",
    ),
    _p("rootly-key", "observability", rb"(?P<s>rootly_[a-f0-9]{64})"),
    _p("appsync-key", "cloud", rb"(?<![A-Za-z0-9])(?P<s>da2-[a-z0-9]{26})(?![a-z0-9])"),
    _p(
        "softlayer-key",
        "cloud",
        rb"(?i)api\.softlayer\.com/(?:soap|rest)/v3(?:\.1)?/(?P<s>[a-z0-9]{64})",
    ),
    _p("digitalocean-token", "cloud", rb"(?P<s>do[opr]_v1_[a-f0-9]{64})"),
    _p("alibaba-access-key", "cloud", rb"(?<![A-Za-z0-9])(?P<s>LTAI[a-zA-Z0-9]{17,21})" + _R),
    _p("heroku-api-key", "cloud", rb"(?P<s>HRKU-(?:AA)?[A-Za-z0-9_\-]{58,64})"),
    _p("doppler-token", "cloud", rb"(?P<s>dp\.(?:pt|st|sa|ct|scim|audit)\.[a-zA-Z0-9_\-]{40,44})"),
    _p("vault-token", "cloud", rb"(?P<s>(?:hvs|hvb|hvr)\.[A-Za-z0-9_\-]{24,300})"),
    _p("terraform-cloud-token", "cloud", rb"(?i)(?P<s>[a-z0-9]{14}\.atlasv1\.[a-z0-9_=\-]{60,70})"),
    _p("pulumi-token", "cloud", rb"(?P<s>pul-[a-f0-9]{40})"),
    _p(
        "flyio-token",
        "cloud",
        rb"(?<![A-Za-z0-9+/_\-])(?P<s>(?:fo1_[\w\-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,2000}={0,3}))",
    ),
    _p("cloudflare-origin-ca", "cloud", rb"(?P<s>v1\.0-[a-f0-9]{24}-[a-f0-9]{146})"),
    _p("scalingo-token", "cloud", rb"(?P<s>tk-us-[\w\-]{48})"),
    _p(
        "age-secret-key", "cloud", rb"(?P<s>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})"
    ),
    _p("databricks-token", "cloud", rb"(?<![A-Za-z0-9])(?P<s>dapi[a-f0-9]{32}(?:-\d)?)"),
    _p("onepassword-token", "cloud", rb"(?P<s>ops_eyJ[a-zA-Z0-9+/]{250,4000}={0,3})"),
    _p(
        "onepassword-secret-key",
        "cloud",
        rb"(?P<s>A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})",
    ),
    _p("adobe-secret", "cloud", rb"(?P<s>p8e-[A-Za-z0-9]{32})"),
    _p("infracost-token", "cloud", rb"(?<![A-Za-z0-9._\-])(?P<s>ico-[a-zA-Z0-9]{32})"),
    _p("prefect-token", "cloud", rb"(?P<s>pnu_[a-zA-Z0-9]{36})"),
    _p("planetscale-token", "database", rb"(?P<s>pscale_(?:tkn|pw|oauth)_[\w=.\-]{32,64})"),
    _p("shopify-token", "payment", rb"(?P<s>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})"),
    _p("easypost-token", "payment", rb"(?P<s>EZ[AT]K[a-zA-Z0-9]{54})"),
    _p("dynatrace-token", "observability", rb"(?P<s>dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64})"),
    _p("duffel-token", "payment", rb"(?P<s>duffel_(?:test|live)_[A-Za-z0-9_\-=]{43})"),
    _p("flutterwave-key", "payment", rb"(?P<s>FLW(?:PUB|SEC)K_TEST-[a-hA-H0-9]{32}-X)"),
    _p("frameio-token", "cloud", rb"(?P<s>fio-u-[a-zA-Z0-9_=\-]{64})"),
    # VCS
    _p("github-token", "vcs", rb"(?P<s>gh[pousr]_[A-Za-z0-9]{36,255})"),
    _p("github-fine-grained-pat", "vcs", rb"(?P<s>github_pat_[A-Za-z0-9_]{82})"),
    _p(
        "gitlab-token",
        "vcs",
        rb"(?P<s>(?:glpat|gldt|glrt|glptt|glcbt|glimt|glsoat|glffct|gloas|glagent|glft|glwt)-[A-Za-z0-9_\-.]{20,64})",
    ),
    _p("gitlab-runner-token", "vcs", rb"(?P<s>GR1348941[A-Za-z0-9_\-]{20})"),
    _p("bitbucket-app-password", "vcs", rb"(?P<s>ATBB[A-Za-z0-9_=.\-]{20,64})"),
    _p("atlassian-api-token", "vcs", rb"(?<![A-Za-z0-9])(?P<s>ATATT[A-Za-z0-9_\-=]{40,250})"),
    # Tableau personal access token secrets: <22 base64>==:<32 alphanumerics>.
    _p(
        "tableau-pat",
        "other",
        rb"(?<![A-Za-z0-9+/])(?P<s>[A-Za-z0-9+/]{22}==:[A-Za-z0-9]{32})(?![A-Za-z0-9])",
    ),
    _p("atlassian-ctx-token", "vcs", rb"(?P<s>ATCTT3[A-Za-z0-9_\-=]{100,250})"),
    # chat
    # xoxb-<team number>-<…>: Slack's tokens lead with a numeric id of 8+ digits.
    _p("slack-token", "chat", rb"(?P<s>xox[abposre]-[0-9]{8,15}-[0-9A-Za-z\-]{8,250})"),
    _p("slack-app-token", "chat", rb"(?i)(?P<s>xapp-\d-[A-Z0-9]{1,32}-\d{1,32}-[a-z0-9]{1,128})"),
    _p("slack-config-token", "chat", rb"(?P<s>xoxe(?:\.xox[bp])?-\d-[A-Z0-9]{146,200})"),
    _p(
        "slack-webhook",
        "chat",
        rb"(?i)hooks\.slack\.com/(?:services|workflows|triggers)/(?P<s>[A-Za-z0-9+/_\-]{20,200})",
    ),
    _p(
        "discord-webhook",
        "chat",
        rb"(?i)discord(?:app)?\.com/api/webhooks/(?P<s>\d{5,30}/[\w\-]{30,100})",
    ),
    # The first part is the base64 of a numeric user id, hence the leading M/N/O.
    _p(
        "discord-bot-token",
        "chat",
        rb"(?<![A-Za-z0-9_\-])(?P<s>[MNO][A-Za-z\d_\-]{23,27}\.[A-Za-z\d_\-]{6}\.[A-Za-z\d_\-]{27,38})"
        + _R,
        prefilter=rb"[MNO][A-Za-z\d_\-]{23,27}\.[A-Za-z\d_\-]{6}\.[A-Za-z\d_\-]{27}",
        side=True,
    ),
    _p(
        "telegram-bot-token",
        "chat",
        rb"(?<![A-Za-z0-9])(?P<s>\d{5,16}:A[A-Za-z0-9_\-]{32,34})" + _R,
    ),
    _p(
        "teams-webhook",
        "chat",
        rb"(?i)webhook\.office\.com/webhookb2/(?P<s>[A-Za-z0-9@\-/]{40,300})",
    ),
    # Teams workflows (Power Automate) trigger URLs: the signed URL is the credential.
    _p(
        "powerautomate-webhook",
        "chat",
        rb"(?i)(?P<s>https://[a-z0-9]{1,64}\.[a-z0-9]{1,4}\.environment\.api\.powerplatform\.com(?::443)?/powerautomate/automations/direct/workflows/[a-f0-9]{32}/triggers/manual/paths/invoke\?[^\s\"'<>]{1,1024})",
    ),
    # Jenkins credentials.xml keeps a secret as {…} inside its element (<secret>{AQAAAB…}
    # </secret>); an id written the same way ({name TOKEN}) is one too.
    _p(
        "jenkins-credential",
        "cloud",
        rb"<(?:id|secret|password|passphrase|privateKey|token|apiToken|session|sessionToken)>\{(?P<s>[^{}<>\n]{8,4096})\}</",
    ),
    # Twilio API key SIDs (SK…) and account SIDs (AC…): 32 lower-case alphanumerics.
    _p("twilio-key", "chat", rb"(?<![A-Za-z0-9])(?P<s>(?:SK|AC)[0-9a-z]{32})(?![A-Za-z0-9])"),
    _p("sendgrid-key", "chat", rb"(?i)(?<![A-Za-z0-9])(?P<s>SG\.[a-z0-9=_\-.]{60,70})"),
    _p("brevo-key", "chat", rb"(?P<s>xkeysib-[a-f0-9]{64}-[a-zA-Z0-9]{16})"),
    _p("mailgun-pubkey", "chat", rb"(?P<s>pubkey-[a-f0-9]{32})"),
    _p("linear-key", "vcs", rb"(?i)(?P<s>lin_(?:api|oauth)_[a-z0-9]{40})"),
    _p("notion-token", "vcs", rb"(?P<s>(?:ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43}))"),
    _p("postman-key", "vcs", rb"(?i)(?P<s>PMAK-[a-f0-9]{24}-[a-f0-9]{34})"),
    _p("airtable-pat", "vcs", rb"(?P<s>pat[A-Za-z0-9]{14}\.[a-f0-9]{64})"),
    _p("contentful-token", "cloud", rb"(?P<s>CFPAT-[a-zA-Z0-9_\-]{43})"),
    _p("dropbox-token", "cloud", rb"(?P<s>sl\.[A-Za-z0-9_=\-]{130,1400})"),
    _p("facebook-token", "chat", rb"(?<![A-Za-z0-9])(?P<s>EAA[MC][A-Za-z0-9]{100,400})"),
    _p("gocardless-token", "payment", rb"(?P<s>live_[a-zA-Z0-9_=\-]{40})"),
    _p("lob-key", "chat", rb"(?P<s>(?:live|test)_(?:pub_)?[a-f0-9]{31,35})(?![a-f0-9])"),
    _p("mapbox-token", "cloud", rb"(?i)(?P<s>[ps]k\.eyJ[a-z0-9_\-]{50,300}\.[a-z0-9_\-]{20,30})"),
    _p("openshift-token", "cloud", rb"(?P<s>sha256~[\w\-]{43})"),
    _p("pganalyze-key", "observability", rb"(?P<s>pga[ra]_[A-Za-z0-9]{27})(?![A-Za-z0-9])"),
    _p("spectralops-token", "cloud", rb"(?<![A-Za-z0-9])(?P<s>spu-[a-z0-9]{32})(?![a-z0-9])"),
    _p("besttime-key", "other", rb"(?<![A-Za-z0-9])(?P<s>pri_[a-f0-9]{32})(?![a-f0-9])"),
    _p("shippo-token", "payment", rb"(?P<s>shippo_(?:live|test)_[a-fA-F0-9]{40})"),
    _p("typeform-token", "cloud", rb"(?i)(?P<s>tfp_[a-z0-9_\-.=]{56,64})"),
    _p("settlemint-token", "cloud", rb"(?P<s>sm_(?:pat|aat|sat)_[a-zA-Z0-9]{16})"),
    _p("octopus-key", "cloud", rb"(?<![A-Za-z0-9])(?P<s>API-[A-Z0-9]{26,32})(?![A-Za-z0-9])"),
    _p("defined-networking-key", "cloud", rb"(?P<s>dnkey-[a-z0-9=_\-]{26}-[a-z0-9=_\-]{52})"),
    _p("intra42-secret", "cloud", rb"(?P<s>s-s4t2(?:ud|af)-[a-f0-9]{64})"),
    _p("maxmind-key", "cloud", rb"(?P<s>[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk)"),
    _p("sourcegraph-token", "vcs", rb"(?P<s>sgp_(?:[a-fA-F0-9]{16}_|local_)?[a-fA-F0-9]{40})"),
    # Base62 after "4b1d": a hex run holding "4b1d" (a digest) is no key.
    _p(
        "clickhouse-key",
        "database",
        rb"(?<![A-Za-z0-9])(?P<s>4b1d[A-Za-z0-9]{38})(?![A-Za-z0-9])",
        reject=lambda v: not v.translate(None, b"0123456789abcdefABCDEF"),
    ),
    _p("beamer-token", "cloud", rb"(?<![A-Za-z0-9_])(?P<s>b_[a-z0-9=_\-]{44})(?![a-z0-9=_\-])"),
    _p(
        "authress-key",
        "cloud",
        rb"(?i)(?P<s>(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\.[a-z0-9]{4,6}\.acc[_\-][a-z0-9\-]{10,32}\.[a-z0-9+/_=\-]{30,120})",
    ),
    _p(
        "vault-service-token",
        "cloud",
        rb"(?<![A-Za-z0-9_.\-])(?P<s>s\.[A-Za-z0-9]{24})(?![A-Za-z0-9_.\-])",
    ),
    _p(
        "okta-token",
        "cloud",
        rb"(?i)okta[\w.\-]{0,20}[\"'`]?\s{0,4}[=:]\s{0,4}[\"'`]?(?P<s>00[a-zA-Z0-9_\-]{40})",
    ),
    _p("mailgun-key", "chat", rb"(?<![A-Za-z0-9])(?P<s>key-[0-9a-zA-Z]{32})"),
    _p("mailchimp-key", "chat", rb"(?<![A-Za-z0-9])(?P<s>[0-9a-f]{32}-us\d{1,2})(?![0-9])"),
    _p(
        "postmark-or-uuid-token",
        "chat",
        rb"(?i)(?:postmark|x-postmark-server-token)[\w\-\"' :=]{0,20}(?P<s>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})",
    ),
    # payment
    _p("stripe-key", "payment", rb"(?P<s>(?:sk|rk|pk)_(?:test|live|prod)_[A-Za-z0-9]{10,255})"),
    _p("stripe-webhook-secret", "payment", rb"(?P<s>whsec_[A-Za-z0-9+/=]{24,128})"),
    _p(
        "square-token",
        "payment",
        # EAAA tokens stand alone: "EAAA" is in every other base64 image (zero bytes), inside a run.
        rb"(?P<s>(?:sq0atp-[0-9A-Za-z_\-]{22}|sq0csp-[0-9A-Za-z_\-]{43}"
        rb"|(?<![A-Za-z0-9+/_\-])EAAA[A-Za-z0-9_\-]{60,120}(?![A-Za-z0-9+/_\-])))",
        reject=_zero_bytes,
    ),
    _p(
        "braintree-token",
        "payment",
        rb"(?P<s>access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32})",
    ),
    _p(
        "plaid-token",
        "payment",
        rb"(?P<s>access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})",
    ),
    _p("razorpay-key", "payment", rb"(?P<s>rzp_(?:live|test)_[A-Za-z0-9]{14})"),
    _p("paypal-oauth", "payment", rb"(?P<s>A21AA[A-Za-z0-9_\-]{80,120})"),
    # AI providers
    _p(
        "anthropic-key",
        "ai",
        rb"(?P<s>sk-ant-(?:api\d\d|admin\d\d|sid\d\d)-[A-Za-z0-9_\-]{80,120})",
    ),
    _p(
        "openai-key",
        "ai",
        rb"(?P<s>sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_\-]{16,200}T3BlbkFJ[A-Za-z0-9_\-]{16,200})",
    ),
    _p("sk-prefixed-key", "ai", rb"(?<![A-Za-z0-9_\-])(?P<s>sk-[A-Za-z0-9_\-]{20,200})" + _R),
    _p(
        "huggingface-token",
        "ai",
        rb"(?<![A-Za-z0-9_])(?P<s>(?:hf_|api_org_)[A-Za-z]{34})(?![A-Za-z0-9])",
    ),
    _p("replicate-token", "ai", rb"(?P<s>r8_[A-Za-z0-9]{37})"),
    _p("groq-key", "ai", rb"(?P<s>gsk_[A-Za-z0-9]{52})"),
    _p("perplexity-key", "ai", rb"(?P<s>pplx-[A-Za-z0-9]{48})"),
    _p("xai-key", "ai", rb"(?P<s>xai-[A-Za-z0-9]{80})"),
    _p("langsmith-key", "ai", rb"(?P<s>lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})"),
    # package registries
    _p("npm-token", "registry", rb"(?P<s>npm_[A-Za-z0-9]{36})"),
    # .npmrc: //registry/:_authToken=… and :_auth=… hold the credential whatever it looks like.
    _p(
        "npmrc-auth",
        "registry",
        rb"//[^\s/]{1,253}(?:/[^\s]{0,200})?/:_(?:authToken|auth|password)=[\"']?(?P<s>[^\s\"']{1,512})",
        line_bound=True,
        # (Twenty-third pass: ``_authToken=${NPM_TOKEN}``, ``<token>``: the slot npm fills.)
        reject=is_slot,
    ),
    _p("pypi-token", "registry", rb"(?P<s>pypi-AgE[A-Za-z0-9_\-]{50,1000})"),
    _p("rubygems-token", "registry", rb"(?P<s>rubygems_[a-f0-9]{48})"),
    _p("nuget-key", "registry", rb"(?<![A-Za-z0-9])(?P<s>oy2[a-z0-9]{43})"),
    _p("dockerhub-token", "registry", rb"(?P<s>dckr_(?:pat|oat)_[A-Za-z0-9_\-]{27,32})"),
    _p("clojars-token", "registry", rb"(?i)(?P<s>CLOJARS_[a-z0-9]{60})"),
    _p("artifactory-key", "registry", rb"(?<![A-Za-z0-9])(?P<s>AKC[a-zA-Z0-9]{10,80})" + _R),
    # Artifactory passwords/encrypted keys: AP + a hex digit + at least 8 alphanumerics (JFrog's
    # format as detect-secrets documents it); an all-capitals word (APPLICATION…) is prose.
    # (Nineteenth pass: not inside a base64 run, ``…+AP9cyDWH…/…``, and not a line of a PEM
    # body: a certificate's line opening with ``AP9`` was masked, and so was a Kubernetes
    # secret's ``ca.crt`` through the decoders.)
    Detector(
        "artifactory-password",
        "registry",
        rb"(?<![A-Za-z0-9+/])(?P<s>AP[0-9A-F](?![A-Z]{8,}(?![a-z0-9]))[a-zA-Z0-9]{8,80})"
        + rb"(?![A-Za-z0-9_\-+/=])",
        reject_at=_pem_body_line,
    ),
    _p("readme-key", "registry", rb"(?P<s>rdme_[a-z0-9]{70})"),
    # observability
    _p(
        "grafana-token",
        "observability",
        rb"(?P<s>(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|eyJrIjoi[A-Za-z0-9]{70,400}={0,2}))",
    ),
    _p(
        "newrelic-key",
        "observability",
        rb"(?P<s>(?:NRAK-[A-Z0-9]{27}|NRJS-[a-f0-9]{19}|NRII-[A-Za-z0-9\-]{32}|NRAA-[a-f0-9]{27}|NRRA-[a-f0-9]{42}))",
    ),
    _p(
        "sentry-token",
        "observability",
        rb"(?P<s>(?:sntrys_eyJ[A-Za-z0-9+/=_\-]{60,500}|sntryu_[a-f0-9]{64}))",
    ),
    _p(
        "sentry-dsn",
        "observability",
        rb"(?i)https?://(?P<s>[a-f0-9]{32})(?::[a-f0-9]{32})?@[\w.\-]{0,200}sentry",
    ),
    _p(
        "datadog-key",
        "observability",
        rb"(?i)(?:datadog|dd)[_\-]?(?:api|app|application)?[_\-]?key[\"'`]?\s{0,4}[=:]\s{0,4}[\"'`]?(?P<s>[a-f0-9]{32,40})",
    ),
    # misc widely leaked
    _p(
        "jwt",
        "jwt",
        rb"(?<![A-Za-z0-9_\-])(?P<s>eyJ[A-Za-z0-9_\-]{5,3000}\.eyJ[A-Za-z0-9_\-]{5,3000}(?:\.[A-Za-z0-9_\-]{0,2000})?)",
    ),
    _p(
        "private-key",
        "private-key",
        rb"(?P<s>-----BEGIN[ A-Z0-9_\-]{0,60}PRIVATE KEY(?: BLOCK)?-----.{0,8000}?-----END[ A-Z0-9_\-]{0,60}PRIVATE KEY(?: BLOCK)?-----)",
    ),
    _p(
        "private-key-partial",
        "private-key",
        rb"-----BEGIN[ A-Z0-9_\-]{0,60}PRIVATE KEY(?: BLOCK)?-----(?P<s>(?:\\[nr]|[\s\"',+]){0,8}[A-Za-z0-9+/=:,\- ]{0,200}(?:(?:\\[nr]|\s){1,8}[A-Za-z0-9+/=]{8,120}){1,56})",
        # A key longer than the pattern's 56 lines (an RSA-16384 key, 12 KB) is masked to its
        # end: its lines, their breaks (also written `\n` inside a JSON string) and their
        # indentation carry the value on, up to `-----END` or any other character. Without an
        # END line (`head` of a key) the value runs on over words after it: the safe side.
        # (Without `=` in the run, a key's padding was masked by a second detector, and a
        # stream named the two apart where one pass merged them.)
        run=rb"[A-Za-z0-9+/=\\ \t\r\n]",
    ),
    _p(
        "putty-private-key",
        "private-key",
        rb"(?P<s>PuTTY-User-Key-File-\d: .{0,6000}?Private-MAC: [0-9a-f]{40,64})",
    ),
)

# --- credentials in URLs and connection strings ------------------------------------------------
URLS: tuple[Detector, ...] = (
    # A password past 256 characters goes on to its "@" (see ``long_values``): the possessive
    # run either ends at "@host" or is cut by its bound.
    Detector(
        "url-credentials",
        "url-credentials",
        # (Twenty-eighth pass: a scheme with ``_``, SQLAlchemy's ``db2+ibm_db://``; a password
        # holding ``#`` or ``@`` unencoded, ``Winter#2025ops``, ``P@ssw0rd@host``: the userinfo
        # ends at the last ``@`` before the host, as WHATWG's URL parser reads it.)
        rb"(?i)\b[a-z][a-z0-9+._\-]{1,30}://[^\s:/@?#\"'<>]{0,128}:(?!\[REDACTED)"
        rb"(?P<s>[^\s/?\"'<>]{1,256}(?=@[A-Za-z0-9.\-\[\]_])|[^\s@/?#\"'<>]{256}(?=[^\s@/?#\"'<>]))",
        line_bound=True,
        prefilter=rb"(?i)[a-z][a-z0-9+._\-]{1,30}://[^\s:/@?#\"'<>]{0,128}:(?:[^\s/?\"'<>]{1,256}@[A-Za-z0-9.\-\[\]_]|[^\s@/?#\"'<>]{257})",
        # (The run past the bound: the second branch's class, ``s`` being two branches.)
        run=rb"[^\s@/?#\"'<>]",
        run_end=rb"@[A-Za-z0-9.\-\[\]_]",
        reject=format_slot,
    ),
    _p(
        "connection-string-password",
        "database",
        # "password == x" compares (the value is the other side's, see the comparison rule).
        rb"(?i)(?<![A-Za-z0-9_.\-])(?:password|pwd)[ \t]{0,2}=[ \t]{0,2}(?![=\"'\x1b]|\[REDACTED|@[\"']|\((?:sensitive value|known after apply)\))(?P<s>(?:[^;\s\"'<>,)\x00]|[,)](?![\s;,)]|$)){1,256})",
        line_bound=True,
        # Not a template's start (``POSTGRES_PASSWORD=${POSTGRES_PASSWORD}``): a value opening
        # with ${, {{, $(, {%, %{ or %( is one (``placeholders.is_template_or_code``).
        prefilter=rb"(?i)(?:password|pwd)[ \t]{0,2}=[ \t]{0,2}"
        rb"(?:[^;\s\"'<>=${%\x1b]|\$[^{(]|\{[^{%]|%[^{(]|[${%]\Z)",
        short_prefilter=True,
        run=rb"[^;\s\"'<>\x00]",
        reject=_quantity_or_lookup,
        reject_at=lambda text, start, end: _shell_pwd(text, start, end),
    ),
    # The scheme word may end a longer option name (``--age-token 3000``): group ``g`` is that
    # whole name, so a setting's number under it is kept as in every other key-name form.
    Detector(
        "auth-header",
        "key-name",
        rb"(?i)(?<![A-Za-z0-9_.\-/])(?P<g>(?:[A-Za-z0-9_.\-]{0,40}[\-.])?(?<![A-Za-z0-9_])(?:bearer|basic|token|digest|negotiate))\s{1,4}(?!\[REDACTED)(?P<s>[A-Za-z0-9._~+/=\-]{8,1024})",
        line_bound=True,
        prefilter=rb"(?i)(?:bearer|basic|token|digest|negotiate)\s{1,4}[A-Za-z0-9._~+/=\-]{8}",
        short_prefilter=True,
        reject=_plain_word_or_rule,
        reject_pair=_auth_scheme_pair,
        reject_at=_header_cell_over_row,
    ),
)

# --- key names: the value is secret whatever its entropy ---------------------------------------
_KEYWORDS = (
    rb"(?:pass(?:word|wd|phrase)?|pwd|pw|secret|token|api[_.\-]?key|apikey|access[_.\-]?key|"
    rb"private[_.\-]?key|priv[_.\-]?key|auth(?:orization|[_.\-]?key|[_.\-]?code)?|credentials?|"
    rb"cookie|session(?:[_.\-]?(?:key|token|id))?|client[_.\-]?secret|signature|key|jwt|"
    rb"bearer|dsn|salt|x[_.\-]auth)"
)
# Strong keywords name a secret even inside a longer name (my_password_super_secure).
_STRONG = rb"(?:pass(?:word|wd)|secret|api[_.\-]?key|apikey|access[_.\-]?token|private[_.\-]?key)"
# The match starts at the keyword (fast for both engines); the full key name is recovered by
# looking back over name characters when a hit is confirmed (see ``key_name_at``).
# The lookahead is redundant for matching but lets Python's engine skip most positions fast.
_KEY = (
    rb"(?i)(?=[psatkcjbdlx])(?P<k>(?:"
    + _STRONG
    + rb"[A-Za-z0-9_.\-]{0,24}?|"
    + _KEYWORDS
    + rb"))[0-9]{0,3}"
)
_NAME_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
# One hyperscan expression for the key-name forms that start with a key word (quoted, unquoted,
# table row, prose): a key word and what may follow it up to the start of a separator. A
# superset of each form's own start; the forms' patterns confirm every hit. (Fourteen
# prefilter-mode copies of the key-word alternation used to be a third of the scan.)
# What the key-word anchor takes as a value's start (speed pass, 2026-12-04). Hyperscan reads on
# into the value and never reports one that every key-name form sharing the anchor dismisses,
# whatever surrounds it, so those hits never reach Python (``config_refs``: 2,651 per MB):
# - a reference ``reject_placeholder`` drops whatever follows it (``os.environ.get("X")``,
#   ``process.env.X``, ``getenv(…)``, ``self.token``): ``DISMISSED_REFS``;
# - a word ``names_instead_of_value`` drops as the whole value (``key: password``,
#   ``Authorization: Bearer``), ended as the value ends: unquoted, at a blank, quote, ``<>,;&\|()``
#   (the unquoted form's value ends there; the table-row form needs 16 characters of its own
#   alphabet, which these words never are); quoted, at the quote (or a backslash, a newline);
# - as before, a template's ``${``, ``{{``, ``$(``, ``{%``, ``%{``, ``%(``.
# ``tests/redaction/test_prefilter_dismissals.py`` checks the dismissals agree with Python's.
DISMISSED_REFS = (b"os.environ", b"process.env", b"getenv", b"env(", b"self.", b"this.")
DISMISSED_WORDS = (
    b"bearer basic token digest negotiate ntlm pass password passwd secret key apikey api_key "
    b"api-key user username credential credentials"
).split()
_UNQUOTED_END = b" \t\r\n\x0b\x0c\"'`<>,;&\\|()"
_QUOTED_END = b"\"'`\n\\"
_NOT_FIRST = b"$%{ \t\r\n\x0b\x0c\"'`"
_TEMPLATE_STARTS = rb"|\$[^{(]|\{[^{%]|%[^{(]"
_ANCHOR_VALUE = (
    rb"(?:[@rbfu]{0,2}[\"'`]"
    + value_start_except(DISMISSED_REFS, DISMISSED_WORDS, _QUOTED_END, _NOT_FIRST)[:-1]
    + _TEMPLATE_STARTS
    + rb")|"
    + value_start_except(DISMISSED_REFS, DISMISSED_WORDS, _UNQUOTED_END, _NOT_FIRST)[:-1]
    + _TEMPLATE_STARTS
    + rb"))"
)


# Fifteenth pass: a note in brackets after a name, before its ``=`` (sqlite3 ``.mode line``'s
# ``Password (plain) = …``, ``API key [masked=no] = …``): a ``k=v`` setting or a word saying how
# the value is shown or what form it is in (as ``tables._CELL_NOTE``); ``password (hash)``,
# ``token (count)`` are no notes, their names say what the value is.
_NAME_NOTE = (
    rb"(?:[ \t]{1,2}[(\[](?:[A-Za-z_\-]{1,20}=[A-Za-z0-9_\-]{1,20}|(?:un)?masked|shown|hidden|"
    rb"visible|revealed|required|optional|sensitive|write[ _\-]?only|decrypted|plain|plaintext|"
    rb"clear|clear[ _]?text|raw|current|new|value|b64|base64|hex)[)\]])"
)

# Thirty-second pass: a note saying how the value is shown, glued to the name or not, before a
# colon (``Token (masked): …``, PowerShell's ``Token(masked) : …``). Only these words: before a
# colon, ``(optional)``/``(required)`` are a CLI's help text over prose.
_COLON_NOTE = (
    rb"(?:[ \t]{0,2}[(\[](?:(?:un)?masked|shown|revealed|decrypted|plain|plaintext|"
    rb"clear[ _]?text|raw|value|b64|base64|hex)[)\]])"
)


def _key_anchor(value: bytes, quote: bytes) -> bytes:
    return (
        rb"(?i)(?:"
        + _STRONG
        + rb"[A-Za-z0-9_.\-]{0,24}|"
        + _KEYWORDS
        # (Fifteenth pass: a ``*`` and a colon before a quote, sqlite3 ``.mode line``'s
        # ``Secret* = …`` and a JSON key ending in a colon, ``"token:": "…"``; a note on how the
        # value is shown, ``Password (plain) = …``, has an anchor of its own: ``_NOTE_ANCHOR``.)
        + rb")[\[\]0-9\\\"'`*:]{0,8}"
        + rb"(?:\s{1,4}(?:string|str|const|var|let|final))?[ \t]{0,24}"
        + rb"(?:"
        # A separator, then the value's first character — not a template's ${, {{, $( or {% (the
        # placeholder rules drop those values whatever follows: configuration is full of them).
        + rb"(?:[:=|]|[?.+!]{1,3}=|->|-[ \t])[=>]{0,2}[ \t]{0,8}"
        # (Speed pass: not a value every key-name form dismisses, ``os.environ.get(…)``,
        # ``key: password``: see ``_ANCHOR_VALUE``.)
        + value
        + rb"|(?:is|was)[ \t]"
        + rb"|(?:\.assign)?\([ \t]{0,4}[@rbfu]{0,2}[\"'`]"
        # A quote after blanks (``password "x"``; a quote glued to the word closes a quoted key,
        # ``getenv("SECRET_KEY")``, and is followed by a separator or nothing).
        + quote
        # An assignment wrapped onto the next line: the hit must reach the value's line.
        + rb"|[:=][=>]{0,2}[ \t]{0,8}\r?\n[ \t]{0,16}[\"'`]"
        + rb")"
    )


_KEY_ANCHOR = _key_anchor(_ANCHOR_VALUE, rb"|[ \t][@rbfu]{0,2}[\"'`]")
# The anchor as it was before the speed pass (every value start reported, a quote glued to the
# word too): what Python confirms alone. Tests compare the two.
KEY_ANCHOR_UNFILTERED = _key_anchor(
    rb"(?:[@rbfu]{0,2}[\"'`])?(?:[^$%{\s\"'`]|\$[^{(]|\{[^{%]|%[^{(])", rb"|[@rbfu]{0,2}[\"'`]"
)


def key_name_at(data: bytes, start: int, end: int) -> bytes:
    """The whole key name whose keyword sits at ``data[start:end]`` (at most 40 bytes back)."""
    lo = start
    while lo > 0 and start - lo < 40 and data[lo - 1] in _NAME_CHARS:
        if lo > 1 and data[lo - 2] == 0x5C and data[lo - 1] in b"ntr":
            break  # an escaped line break before it (``"PORT=1\nTOKEN=…"``: eighteenth pass)
        lo -= 1
    return bytes(data[lo:end])


# Settings and measurements (token_count, secret_ttl, password_hash_algo) are not here: under
# them a number, a boolean or a short word is no secret, random key material still is
# (``setting_value``, ``names.setting_name``).
_DESCRIBE_WORDS = (
    b"url uri urls endpoint path file filename name names ref refs type store "
    b"manager provider backend prefix suffix format field label hint header policy variable var "
    b"template templates location arn regex pattern description"
).split()
_DESCRIBES = b"|".join(_DESCRIBE_WORDS)
_DESCRIBES_CAMEL = b"|".join(w[:1].upper() + w[1:] for w in _DESCRIBE_WORDS)
# Key names that end in a keyword but are not secrets (identifiers describing keys).
_NOT_KEYS = lazy_compile(
    rb"(?i)(?:^|[_.\-])(?:primary|foreign|sort|partition|hash|group|idempotency|cache|routing|"
    rb"public|object|row|api_key_id|lookup|index|unique|keyboard|hot|bucket|blob|column|"
    rb"dict|map|registry)[_.\-]?key$|"
    # English words that merely end in "key"; "pass" glued to a lower-case word (bypass,
    # compass, minipass: a package name in every npm lockfile), not a camel hump (dbPass).
    rb"(?:^|[_.\-])(?:mon|tur|hoc|whis|joc|don|lac|tur|coc)key$|(?-i:[a-z]pass)$|"
    rb"(?:^|[_.\-])(?:max|num|n|input|output|prompt|completion|total|next|page|csrf_?)[_.\-]?tokens?$|"
    rb"^(?:key|token)_?(?:type|id|name|count|length|size)$|"
    # A flag about a secret (Azure DevOps' ``issecret=true``, ``is_password_set``, ``hasToken``).
    rb"^(?:is|has)[_.\-]?" + _KEYWORDS + rb"[A-Za-z_]{0,16}$|"
    # Names that describe or locate a secret rather than hold it (token_url, secretName,
    # password_file, secretStoreRef, passwordVariable, secret_length …).
    rb"[_.\-](?:" + _DESCRIBES + rb")$|(?-i:(?<=[a-z0-9])(?:" + _DESCRIBES_CAMEL + rb"))$|"
    # A source or document file (grep -n's "api_key.py:709:", a traceback's "token.js:12"):
    # what follows its colon is a line number or code, not the file's value.
    rb"\.(?:py|pyi|pyx|js|mjs|cjs|jsx|ts|tsx|go|rb|rs|java|kt|scala|cc?|cpp|hpp|h|cs|php|"
    rb"swift|sh|bash|zsh|ps1|md|rst|txt|json|ya?ml|toml|ini|cfg|lock|html?|css|scss|sql|tf|"
    rb"proto|gradle|xml|csv|log|ipynb)$"
)
# Type constructors that take subscripts (the start of a nested annotation).
_GENERIC_TYPES = (
    rb"list|dict|set|frozenset|tuple|optional|sequence|mapping|callable|union|iterable|iterator|"
    rb"literal|annotated"
)
_PLACEHOLDER_VALUE = lazy_compile(
    rb"(?i)^(?:\$\{[^}]*\}?|\$[A-Z_][A-Z0-9_]*|\{\{.*\}?\}?|<[^<>]*>|%\(?[a-z_]*\)?s|%s|"
    rb"\{[A-Za-z_][A-Za-z_]*[0-9]{0,2}\}|x+|\*+|#+|\.+|-+|null|none|nil|true|false|undefined|"
    # code, not values: key=lambda …, key=len, token=self.token
    rb"lambda|len|str|int|bytes|self(?:\..*)?|this(?:\..*)?|function|new|await|void|typeof|"
    # type annotations: is_secret: bool = False, token: Optional[str]
    rb"bool|float|dict|list|tuple|set|any|object|type|"
    rb"(?:list|dict|set|tuple|optional|sequence|mapping|callable|union)\[[A-Za-z0-9_.\[\]]{1,60}\]|"
    # the start of a nested annotation cut at its comma: dict[tuple[int, int], str]
    rb"(?:" + _GENERIC_TYPES + rb")\[(?:" + _GENERIC_TYPES + rb"|str|int|bytes|float|bool)\b.*|"
    rb"(?-i:[A-Z][A-Za-z0-9_]{2,40}\[(?:[A-Z][A-Za-z0-9_.]*|str|int|bytes|float|bool|list|dict|"
    rb"set|tuple))[A-Za-z0-9_.\[\], ]{0,60}\]?|"
    # (Twenty-fourth pass: PowerShell's ``$env:X``, a release pipeline's ``__X__`` and ``#{X}#``.)
     + _PIPELINE_SLOT + rb"|"
    rb"changeme_placeholder|redacted|\[REDACTED.*|os\.environ.*|process\.env.*|env\(.*|"
    rb"getenv.*|input\(\)?|''|\"\"|"
    # (Fifteenth pass: a CloudFormation intrinsic function, ``MasterUserPassword: !Ref
    # DBPassword``, ``!GetAtt Secret.Value``, ``!Sub '{{resolve:…}}'``, and the tail of a
    # dynamic reference, ``{{resolve:secretsmanager:Db:SecretString:password}}`` read from its
    # ``SecretString:``. A lookup: ``is_lookup``.)
    rb"!(?:Ref|Sub|GetAtt|ImportValue|FindInMap|Join|Select|If|Base64|Split|GetAZs|Cidr|"
    rb"Transform|Equals|Not|And|Or|Condition)|[A-Za-z0-9_.\-:]{0,60}\}\})$"
)


def is_placeholder_value(value: bytes) -> bool:
    """``${VAR}``, ``{{ x }}``, ``<value>``, ``****``, ``null`` …: not a secret, a slot for one."""
    return bool(_PLACEHOLDER_VALUE.match(value.strip()))


# A release number (PyJWT==2.15.1, detect-secrets-1.5.0, jsonwebtoken@9.0.2) and a nested
# assignment ("Created wheel for detect-secrets: filename=…"): a package's name holds the key
# word, the value is its version or another setting.
_NOT_A_VALUE = lazy_compile(
    rb"v?\d{1,4}(?:\.\d{1,6}){2}(?:[-.+]?(?:a|b|rc|dev|post|alpha|beta|pre|preview)\.?\d{0,6})?"
    rb"|(?:file_?name|file|path|name|version|size|url|dir|type|format|mode|encoding|charset|"
    rb"lang|level)=(?!=)\S.*"
)


# A cookie header's first pair (``Cookie: theme=dark; …``): the key-name rules take the pair as
# the value of ``cookie``. A pair whose name names no session or secret and whose value is a
# short plain word or number (``theme=dark``, ``lang=en``, ``_ga_seen=1``) is a preference
# (thirteenth pass); ``session=…``, ``sid=…`` and key material under any name still count.
_COOKIE_PAIR = lazy_compile(rb"([A-Za-z0-9_.\-]{1,40})=([A-Za-z0-9_.\-]{0,15})")
_COOKIE_SECRET_NAME = lazy_compile(
    rb"(?i)sess|sid|secret|token|auth|pass|key|jwt|csrf|xsrf|remember|login|user|ident|sig|cred"
)


# (Twenty-second pass: an analytics client id, Google's ``_ga=GA1.2.1843526071.1764990000``: a
# version, then numbers and dots, no key material.)
_ANALYTICS_PAIR = lazy_compile(
    rb"[A-Za-z0-9_.\-]{1,40}=(?:G[AS][0-9]\.[0-9]\.)?[0-9]{1,20}(?:\.[0-9]{1,20}){0,3}"
)


def plain_cookie_pair(value: bytes) -> bool:
    m = _COOKIE_PAIR.fullmatch(value)
    if m is None:
        return (
            _ANALYTICS_PAIR.fullmatch(value) is not None
            and _COOKIE_SECRET_NAME.search(value.partition(b"=")[0]) is None
        )
    if _COOKIE_SECRET_NAME.search(m.group(1)):
        return False
    v = m.group(2)
    return not v or not (_DIGIT.search(v) and _ALPHA.search(v))


# Twenty-second pass: what stands where a value would and is none — a YAML alias (``password:
# *pw``: the anchor's value is masked where it is set) or core tag (``token: !!str ${TOKEN}``: the
# tag, then the value), an Azure Key Vault reference (``@Microsoft.KeyVault(SecretUri=…)``), a
# here-string's ``<<<`` (``--with-token <<< …``: the value follows it).
_NOT_THE_VALUE = lazy_compile(
    rb"\*[A-Za-z_][A-Za-z0-9_\-]{0,40}|!![a-z]{2,10}|!(?:secret|env_var|include|vault)|@Microsoft\.KeyVault(?:\(.*)?|<{2,3}|>{1,2}"
)


def reject_placeholder(value: bytes) -> bool:
    # One or two characters are a variable or a flag, never a credential worth the name; a
    # decimal ("secret-to-env": 0.383) is a measurement under a secret-sounding name.
    v = value.strip()
    # (Twenty-second pass: the brackets closing the structure a placeholder sits in are not
    # part of it: Lombok's ``Creds(user=app, apiKey=null)``, ``{accessToken=null}``.)
    closed = unclosed_tail(v)
    return (
        len(v) < 3
        or bool(_PLACEHOLDER_VALUE.match(v))
        or (closed != v and bool(_PLACEHOLDER_VALUE.fullmatch(closed)))
        or bool(_NOT_THE_VALUE.fullmatch(v))
        or is_lookup(v)
        or word_model.is_quantity(v)
        or bool(_NOT_A_VALUE.fullmatch(v))
        or (b"%" in v and _percent_encoded_slot(v))
    )


def _percent_encoded_slot(v: bytes) -> bool:
    """A placeholder percent-encoded in a form body or a URL (``%3Ctoken%3E``, ``%2A%2A%2A``,
    ``%24DB_PASSWORD``: twenty-fourth pass)."""
    d = unquote_to_bytes(v)
    return d != v and (reject_placeholder(d) or not_a_literal_secret(d))


_ALPHA = lazy_compile(rb"[A-Za-z]")
_UPPER = lazy_compile(rb"[A-Z]")
_LOWER = lazy_compile(rb"[a-z]")
_DIGIT = lazy_compile(rb"[0-9]")


def _status_word(value: bytes) -> bool:
    return reject_placeholder(value) or not (_DIGIT.search(value) and _ALPHA.search(value))


# Words that say "a credential follows" in prose and log lines.
_CREDENTIAL_WORDS = (
    rb"credential|secret|token|password|passwd|passphrase|api[ _\-]?key|access[ _\-]?key|"
    rb"private[ _\-]?key|secret[ _\-]?key|client[ _\-]?secret|auth[ _\-]?token|"
    rb"access[ _\-]?token|refresh[ _\-]?token|session[ _\-]?token|bearer|"
    rb"(?:signing|encryption|master|deploy|hmac|webhook|license|licence|ssh|gpg|pgp|session|"
    rb"auth|authentication|shared|client|app|application|account|root|service|admin|"
    rb"integration|consumer|merchant|storage|bot|wrapping|data|cipher|crypto)[ _\-]?key|"
    # A bare "key" or "pwd" only after a verb handing one over ("loaded key 9Zt2…", "using pwd
    # …"): "cache key", "sort key" and "primary key" name no credential.
    rb"(?:loaded|loading|using|use|with|got|generated|created|rotated|issued|fetched|new)"
    rb"[ \t]{1,4}(?:key|pwd|pass)|pwd"
)
# Between the word and its value: maybe a word for its form ("credential value 9Zt2…",
# "token b64 …"), blanks, maybe an arrow or a dash ("token -> 9Zt2…", "credential — 9Zt2…"),
# maybe an opening bracket ("using credential (9Zt2…)").
# An arrow between a name and its value (thirteenth pass: an arrow is never the value itself).
_ARROW = (
    rb"(?:-{1,2}>|=>|\xe2\x86[\x92\xa6]|\xe2\x87\x92|\xe2\x9e[\x9c\x94]|\xc2\xbb|"
    rb"\xe2\x9f\xb6)"
)
_WORD_TO_VALUE = (
    rb"(?:[ \t]{1,4}(?:value|string|data|material|b64|base64|hex))?"
    # (Or words handing the value over, "secret is now 9Zt2…", "api key now …", "token set to
    # …", "password changed to …": a lead's pass after the tenth contextual one. Not "at",
    # "in" or "for": "token fix in 3f2a…" names a commit.)
    rb"(?:[ \t]{1,4}(?:is|was|now|(?:(?:is|was|has|have|had|been|got|gets|get|being)[ \t]{1,4}){0,2}"
    rb"(?:set|changed|rotated|updated|reset|regenerated)[ \t]{1,4}to|equals|becomes|became))?"
    rb"(?:[ \t]{1,4}now)?"
    # (Up to 32 blanks: a cursor move to a column, ``ESC[<n>G``, reads as the blanks up to it.)
    # (A quote too: ``credential\x1b[30G'9Zt2…'`` is past the quoted rules' four blanks.)
    # (Ninth pass: or a colon, "=" or an arrow and then 2 to 32 blanks, ``token =\x1b[30G9Zt2…``:
    # a column move after the separator. With one blank, ``secret: x`` is the key-name
    # detectors' shape, which know its placeholders: ``fn::secret: ops_eyJ…..[Redacted]``.)
    # (Twelfth pass: or an arrow as terminals and rich print it, → ⇒ ➜ ↦ », and the value in
    # typographic quotes or guillemets, “9Zt2…”, «9Zt2…».)
    rb"(?:[ \t]{1,32}(?:(?:->|=>|--?|\xe2\x80[\x93\x94]|\xe2\x86[\x92\xa6]|\xe2\x87\x92|"
    rb"\xe2\x9e[\x9c\x94]|\xc2\xbb)[ \t]{1,32})?"
    rb"|[ \t]{0,4}(?:->|=>|[:=])[ \t]{2,32}"
    # (Thirteenth pass: a colon or "=" and then an arrow, ``password: → 9Zt2…``, ``token:->
    # …``, ``secret = => …``: a CLI printing a mapping after the name's own colon.)
    rb"|[ \t]{0,4}[:=][ \t]{0,4}" + _ARROW + rb"[ \t]{1,32}"
    # (And Markdown emphasis closing the word, ``**password**: 9Zt2…``, ``**Token:** …``,
    # ``- *secret*: …``: only key material after it, as after a bare word.)
    # A closing bracket too (``[token] 9Zt2…``, a log's tag), and no-break spaces (U+00A0, as
    # a terminal copy or a web page gives them) for the blanks.
    rb"|:?(?:\*{1,2}|_{1,2}|`|\]|\)):?[ \t]{1,4}"
    rb"|(?:\xc2\xa0){1,4})(?:[(\[<{\"'`]|\xe2\x80[\x98\x9c]|\xc2\xab)?"
)


_HEX_20 = lazy_compile(rb"[0-9a-f]{20,31}|[0-9A-F]{20,31}")


def _not_key_material(value: bytes) -> bool:
    """After a bare credential word, only what looks generated counts (not a word, a name, a
    path or a short hex id): the word model's ``key_material``, or 20 to 31 hex digits of one
    case, digits and letters mixed and spread (``credential 3f9a0c…``: a key of 10–15 random
    bytes; a short commit id has at most 12)."""
    v = value.rstrip(b".")
    return not (word_model.key_material(v) or _short_hex_key(v))


def _short_hex_key(v: bytes) -> bool:
    if _HEX_20.fullmatch(v) is None:
        return False
    letters = sum(c > 57 for c in v)
    return 3 <= letters <= len(v) - 3 and word_model.entropy(v) >= 2.8


_QUOTED_VALUE = lazy_compile(rb"[:=]\s{0,4}[\"']([^\"'\n]*)[\"']")


# Twenty-eighth pass: a date or a time (``aws sts``'s ``"Credentials": {"Expiration": "2026-12-07T
# 11:00:01+00:00"}`` with ``--query`` leaving the keys out) is no secret in a block either.
_ISO_TIME = lazy_compile(
    rb"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?"
    rb"(?:Z|[+\-][0-9]{2}:?[0-9]{2})?)?"
)


def _only_slots(body: bytes) -> bool:
    """An object whose string values are all empty, placeholders, templates or times holds no
    secret."""
    values = _QUOTED_VALUE.findall(body)
    return all(
        len(v.strip()) < 3 or not_a_literal_secret(v) or _ISO_TIME.fullmatch(v.strip())
        for v in values
    )


def _kv(
    name: str, pattern: bytes, *, line_bound: bool = True, prefilter: bytes | None = None
) -> Detector:
    # The shared key-word anchor is an exact expression that reports where the key word
    # starts: the pattern is confirmed right there.
    anchored = prefilter == _KEY_ANCHOR
    return Detector(
        name,
        "key-name",
        pattern,
        reject=reject_placeholder,
        line_bound=line_bound,
        prefilter=prefilter,
        short_prefilter=prefilter is not None,
        side=anchored,
        som=anchored,
        reject_at=(
            _not_set_or_shell_pwd
            if pattern == _UNQUOTED_KV
            else _shell_pwd
            if pattern == _QUOTED_KV
            else None
        ),
    )


_NOT_SET = lazy_compile(
    rb"(?i)(?:not|never)(?:\x1b\[[0-9;:]{0,32}m)*[ \t]{1,4}(?:\x1b\[[0-9;:]{0,32}m)*"
    rb"(?:set|configured|provided)\b"
)


def _not_set_note(text: bytes, start: int, end: int) -> bool:
    """Twentieth pass: ``X-Api-Token=not set``, ``token: not configured`` (a coloured ``not`` then
    ``set`` too): a note that no value is set, cut at its blank by the unquoted value."""
    if end - start > 5:
        return False
    return _NOT_SET.match(text, start, min(len(text), start + 64)) is not None


# Twenty-first pass: the shell's working directory, ``PWD=/work/app``, ``declare -x
# OLDPWD="/home/runner"``, ``set -gx PWD '/work/app'`` (every ``env``/``set``/``export -p`` dump
# has it): under the variable's own name in capitals, a path is no password.
_SHELL_PWD = lazy_compile(
    rb"(?<![A-Za-z0-9_.\-])(?:OLD)?PWD[\"']?(?:[ \t]{0,4}[:=][ \t]{0,4}|[ \t]{1,4})[\"'`]?\Z"
)
_PATH_VALUE = lazy_compile(rb"~?/[A-Za-z0-9_.\-/~+@]*")


# Twenty-third pass: ``kubectl describe pod`` shows an environment variable read from a Secret as
# ``<set to the key 'token' in secret 'api'>``: the quoted word after ``secret`` is the Secret's
# name.
_K8S_KEY_REF = lazy_compile(rb"<set to the key [\"'][^\"'\n]{1,253}[\"'] in secret [\"']\Z")


def _k8s_secret_ref(text: bytes, start: int) -> bool:
    return text[start - 1 : start] in (b"'", b'"') and (
        _K8S_KEY_REF.search(text, max(0, start - 300), start) is not None
    )


def _shell_pwd(text: bytes, start: int, end: int) -> bool:
    if _k8s_secret_ref(text, start):
        return True
    return (
        _PATH_VALUE.fullmatch(text, start, end) is not None
        and _SHELL_PWD.search(text[max(0, start - 24) : start]) is not None
    )


# Twenty-second pass: Go's ``%+v`` prints an empty field as its name and a colon before the next
# field (``{User:app Password: Port:5432}``): the next ``Field:`` is no value of the one before.
_GO_NEXT_FIELD = lazy_compile(rb"[A-Z][A-Za-z0-9_]{0,40}:")


def _go_empty_field(text: bytes, start: int, end: int) -> bool:
    if _GO_NEXT_FIELD.match(text, start, end) is None:
        return False
    line_start = text.rfind(b"\n", max(0, start - 400), start) + 1
    if text[start - 2 : start] != b": ":
        return False
    if line_start == 0 and type(text) is bytes:
        # (Thirteenth speed pass: no line end in the 400 bytes before, so the answer is whether
        # the text holds a "{" before ``start`` at all: its first "{", found once per text,
        # instead of a copy of everything before ``start`` searched at every hit.)
        return _first_index(text, b"{") < start
    return b"{" in text[line_start:start]


_CONTINUES_TO = lazy_compile(rb"\\\r?\n[ \t]{0,40}([^\s\\]{1,255})")


def _continues_into_slot(text: bytes, start: int, end: int) -> bool:
    """(Twenty-second pass: a ``.properties`` value continued by a backslash whose two parts read
    as one are a placeholder, ``db.password=REDA\\`` over ``CTED``.)"""
    m = _CONTINUES_TO.match(text, end)
    if m is None:
        return False
    joined = text[start:end] + m.group(1)
    return reject_placeholder(joined) or not_a_literal_secret(joined)


# Twenty-third pass: PowerShell's ``$pw = Read-Host -AsSecureString``: a cmdlet's name
# (``Verb-Noun``) after a variable's ``=`` is a call, not a literal.
_CMDLET = lazy_compile(rb"[A-Z][a-z]{1,15}-[A-Z][A-Za-z]{1,40}")
_PS_ASSIGN = lazy_compile(rb"\$[A-Za-z_][A-Za-z0-9_:]{0,60}[ \t]{0,4}=[ \t]{0,4}\Z")


def _ps_cmdlet(text: bytes, start: int, end: int) -> bool:
    return (
        _CMDLET.fullmatch(text, start, end) is not None
        and _PS_ASSIGN.search(text, max(0, start - 70), start) is not None
    )


# A test runner's result line (twenty-sixth pass): Go's ``--- PASS: TestName (0.01s)``, automake's
# ``PASS: t/token.sh``; the name after ``PASS:`` is a test's, no password.
_TEST_RESULT = lazy_compile(
    rb"[ \t]{0,40}(?:-{3}[ \t])?(?:PASS|FAIL|SKIP|XFAIL|XPASS|ERROR):[ \t]{1,4}"
)
_TEST_DURATION = lazy_compile(rb"[ \t]{1,4}\([0-9]{1,6}(?:\.[0-9]{1,6})?m?s\)")


def _test_result_line(text: bytes, start: int, end: int) -> bool:
    line = text.rfind(b"\n", 0, start) + 1
    if _TEST_RESULT.fullmatch(text, line, start) is None:
        return False
    return _TEST_DURATION.match(text, end) is not None or not word_model.key_material(
        text[start:end]
    )


# Twenty-ninth pass: a logger's code location, ``{name}:{function}:{line}`` (loguru's default
# format, logging's ``%(module)s:%(funcName)s:%(lineno)d``): ``app.auth:login:42`` is the
# function ``login`` at line 42 of the module ``app.auth``, no key ``auth`` over a value.
# The function's own name may be the key (``app.auth:get_token:245``: ``get_token`` over ``245``):
# the line number after ``<module>:<function>:``.
_CODE_LOCATION = lazy_compile(rb"[A-Za-z_<][A-Za-z0-9_<>]{0,63}:[0-9]{1,6}")
_LINE_NUMBER = lazy_compile(rb"[0-9]{1,6}")
_MODULE_FUNCTION = lazy_compile(rb"[A-Za-z0-9_.<>\-]{1,128}:[A-Za-z_<][A-Za-z0-9_<>]{0,63}:")


def _code_location(text: bytes, start: int, end: int) -> bool:
    if start == 0 or text[start - 1] != 0x3A:
        return False
    if _CODE_LOCATION.fullmatch(text, start, end) is not None:
        return True
    if _LINE_NUMBER.fullmatch(text, start, end) is None:
        return False
    # (the word before the number: from the last blank, at most 200 bytes back)
    floor = max(0, start - 200)
    lo = max(text.rfind(b" ", floor, start), text.rfind(b"\t", floor, start)) + 1
    return _MODULE_FUNCTION.fullmatch(text, max(lo, floor), start) is not None


def _not_set_or_shell_pwd(text: bytes, start: int, end: int) -> bool:
    return (
        _code_location(text, start, end)
        or _test_result_line(text, start, end)
        or _in_parameter_expansion(text, start, end)
        or _ps_cmdlet(text, start, end)
        or _continues_into_slot(text, start, end)
        or _go_empty_field(text, start, end)
        or _not_set_note(text, start, end)
        or _shell_pwd(text, start, end)
    )


_SEP = (
    # (Fifteenth pass: ``Secret* = …``, ``Password (plain) = …`` before an ``=`` only; a colon
    # ending a quoted key, ``"token:": "…"``.)
    rb"(?:\*{1,2}(?=[ \t]{0,40}=)|"
    + _NAME_NOTE
    + rb"(?=[ \t]{0,40}=)|"
    + _COLON_NOTE
    + rb"(?=[ \t]{0,40}:[ \t]))?(?:\[\d{0,4}\])?\\{0,3}(?::(?=\\{0,3}[\"'`][ \t]{0,4}:))?[\"'`]?\]?"
    rb"(?:\s{1,4}(?:string|str|String|const|var|let|final))?"
    # An assignment may continue on the next line (formatters wrap long ones); a colon may
    # not: "secretStoreRef:\n  name: x" is a nested map, not a value. A dash separates only
    # with blanks on both sides ("token - 'abc'"): "secret.txt-rm -rf" is a file and a flag.
    # (Thirteenth pass: up to 40 blanks before the separator, a name padded to a column,
    # ``API_KEY                 =   "…"``; a quoted value alone on the next line after a colon,
    # pretty-printed JSON's ``"DB_PASSWORD":`` over ``    "9Zt2…"``, the string ending its line.)
    rb"[ \t]{0,40}(?:[:?.+|!]{0,3}={1,3}>?[ \t]{0,8}(?:\r?\n[ \t]{0,16}(?=[\"'`]))?|(?::{1,2}|->)[ \t]{0,8}"
    rb"(?:\r?\n[ \t]{0,16}(?=\"[^\"\n]{1,512}\"[ \t]{0,4},?[ \t]{0,4}\r?(?:\n|$)))?)"
)
# Quoted values may also follow a call: secret("value"), secret.assign("value"), or a space:
# password "value". (The name-then-value call, setProperty("API_TOKEN", "value"), is its own
# detector: a bare `"…secret", "next"` is far more often a list than an assignment.)
_SEP_Q = rb"(?:" + _SEP + rb"|[ \t]-[ \t]{1,8}|(?:\.assign)?\(\s{0,4}|[ \t]{1,4})"
# String literal prefixes: C# @"…", Python r"…"/b"…"/f"…".
_STR_PREFIX = rb"(?:@|[rRbBfFuU]{1,2})?"
# Thirteenth pass: a name padded to a column before its separator (``API_KEY          =  …``):
# the shared anchor takes 24 blanks there (with 40 it does not compile; any run of blanks
# halved the literal database's speed on every kind of text), and a strong word or ``token``
# padded further is found by an expression of its own; the same patterns confirm both.
_PADDED_ANCHOR = (
    rb"(?i)(?:pass(?:word|wd)|secret|api[_.\-]?key|apikey|access[_.\-]?token|private[_.\-]?key|"
    rb"token)[A-Za-z0-9_]{0,8}[0-9\"'`\]]{0,4}[ \t]{9,40}(?:[:?.+|!]{0,3}=|:)"
)
# Fifteenth pass: a secret's name, a note on how its value is shown, ``=`` (``_NAME_NOTE``; in
# the shared anchor hyperscan could not compile it).
_NOTE_ANCHOR = (
    rb"(?i)(?:pass(?:word|wd)|secret|api[_.\-]?key|apikey|access[_.\-]?token|private[_.\-]?key|"
    rb"token|credential)[A-Za-z0-9_]{0,8}(?:"
    + _NAME_NOTE
    + rb"[ \t]{0,40}[:?.+|!]{0,3}=|"
    + _COLON_NOTE
    + rb"[ \t]{0,40}:[ \t])"
)
_QUOTED_KV = (
    _KEY
    + _SEP_Q
    + _STR_PREFIX
    + rb"(?:\\{0,3}\"|\\{0,3}'|`)(?!\[REDACTED)(?P<s>[^\"'`\n\\]{1,512})"
)
_UNQUOTED_KV = (
    _KEY
    + _SEP
    # git's word diff of the line: "token: [-old-]{+new+}" (both values, one span).
    # (Eighteenth pass: an empty quoted old side is skipped, ``token: [-''-]{+9Zt2…+}``.)
    + rb"(?:\[-(?:''|\"\"|``)-\]\{\+|\[-|\{\+)?"
    # (Thirteenth pass: an arrow is no value, ``password: → 9Zt2…``: the credential-word rule's.)
    + rb"(?![\"'`\\=:>|])(?!(?:@|[rRbBfFuU]{1,2})[\"'`])(?!\[REDACTED)"
    # (Fourteenth pass: a size, ``kubectl describe secret``'s ``token:      900 bytes``.)
    + rb"(?![0-9]{1,12}[ \t]{1,8}bytes\b)(?!"
    + _ARROW
    # (Fifteenth pass: not a terminal code, ``api_key: ESC]8;;https://…`` — a link's start, its
    # text read where the codes are read as codes.)
    + rb"(?:[ \t]|$))(?P<s>[^\s\"'`<>,;&\\|()\[\]}{\x1b\x00][^\s\"'`<>,;&\\|()\x00]{0,255})"
)
# Sixteenth pass: box-drawing vertical bars (light, heavy, double, dashed; the eighth blocks).
_BOX_BAR = rb"\xe2(?:\x94[\x82\x83\x86\x87\x8a\x8b]|\x95[\x8e\x8f\x91]|\x96[\x8f\x95])"
_BOX_SEP = rb"[ \t]{0,8}" + _BOX_BAR + rb"[ \t]{0,8}"
_ANCHOR_NAME = rb"(?i)(?:" + _STRONG + rb"[A-Za-z0-9_.\-]{0,24}|" + _KEYWORDS + rb")[0-9]{0,3}"
_BOX_ANCHOR = _ANCHOR_NAME + _BOX_SEP + rb"[A-Za-z0-9_\-+/=.]"
# (Names ending in a key word only, ``DB_PASSWORD``, ``AWS_SECRET_ACCESS_KEY``: the name's
# tail after a strong word made the literal database 5 % slower on configuration text.)
_NUL_ANCHOR = rb"(?i)" + _KEYWORDS + rb"[0-9]{0,3}\x00[^\x00\r\n$%{<]"
# git ``-z``'s ``name\nvalue\0``: the record after a NUL (or the payload's first). A name and a
# line up to a NUL anywhere made the literal database 4 % slower on configuration text.
_Z_ANCHOR = rb"(?i)(?:^|\x00)[A-Za-z0-9_.\-]{0,40}" + _KEYWORDS + rb"[0-9]{0,3}\r?\n[^\x00\r\n$%{<]"


_WRAPPED_VALUE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-")


def _wrapped_rest_judged(first: bytes, rest: bytes) -> bool | None:
    """``_wrapped_rest``'s answer from the value's two parts alone where they decide it: a hex
    rest, or fewer than 8 characters above (``None``: the caller reads on)."""
    if _HEX_ONLY.fullmatch(rest) is not None and (not first or _HEX_ONLY.fullmatch(first)):
        # (Nineteenth pass: a hex key cut in two — hex on both sides of the break, 32 digits or
        # more in all, of one case, letters and digits in the rest: ``access_token=f8d3f3`` over
        # ``c1adfc2c…``, or none: ``client_secret=`` over ``c1adfc2c…``. A commit id opening the
        # line under another value stays, ``token=9Zt2…`` over ``3f2b…``; so does a whole one,
        # 40 or 64 digits, under a short hex value, ``token=ab12`` over ``3f2b…``.)
        whole = first + rest
        return not (
            len(whole) >= 32
            and (whole.islower() or whole.isupper())
            and _DIGIT.search(rest) is not None
            and _ALPHA.search(rest) is not None
            # (a whole commit id or digest under a short hex value is one: 40 or 64 digits)
            and (not first or len(rest) not in (40, 64))
        )
    if _HEX_20.fullmatch(rest) is not None:
        return True
    if len(first) < 8:
        # Nineteenth pass: fewer than 8 of the value's characters on the line above (the
        # eighteenth pass read 8 or more): the rest must be 8+ and the value read whole random,
        # mixing cases and digits or base64's symbols (``=g5a7xJ5`` over ``quYFRqnP…``).
        whole = first + rest
        return not (
            len(rest) >= 8
            and word_model.is_random(whole)
            and _DIGIT.search(whole) is not None
            and _UPPER.search(whole) is not None
            and _LOWER.search(whole) is not None
        )
    return None


def _wrapped_rest(text: bytes, start: int, end: int) -> bool:
    """Not the rest of a hard-wrapped value: the line above is shorter than a terminal's
    narrowest width in use (40), or the rest does not look generated (``Retrying in 5s``,
    ``eu-west-1 ready``, a hex id)."""
    j = start
    while j > 0 and start - j < 6 and text[j - 1] in b" \t\"'":
        j -= 1
    if j >= 2 and text[j - 1] in b":=" and text[j - 2] == 0x0A:
        # (The separator opens the value's line: the name ends the line above, no value there.)
        line_end = j - 2 - (j >= 3 and text[j - 3] == 0x0D)
        above = text.rfind(b"\n", 0, line_end) + 1
        if line_end - above < 40:
            return True
        return bool(_wrapped_rest_judged(b"", bytes(text[start:end])))
    above = text.rfind(b"\n", 0, start - 1) + 1
    if start - 1 - above < 40:
        return True
    rest = bytes(text[start:end])
    lo = start - 1
    while lo > above and text[lo - 1] in _WRAPPED_VALUE:
        lo -= 1
    # The value's part on the line above, from its separator (a value holds ``=`` at its end
    # only, as base64's padding).
    first = bytes(text[lo : start - 1]).rstrip(b"\r")
    first = first[first.rfind(b"=") + 1 :]
    judged = _wrapped_rest_judged(first, rest)
    if judged is not None:
        return judged
    if word_model.is_random(rest, 6) or word_model.kind(rest) is word_model.Kind.RANDOM:
        return False
    # (Or the value read whole is random and its rest mixes cases and digits inside it, as a
    # key's piece does: ``N3bH6jF1…`` alone reads as a code name; ``AbstractBaseClient2`` is one.)
    digits = len(_DIGIT.findall(rest.rstrip(b"0123456789")))
    mixed = _UPPER.search(rest) and _LOWER.search(rest) and digits >= max(2, len(rest) // 8)
    return not (mixed and word_model.is_random(bytes(text[lo : start - 1]).rstrip(b"\r") + rest))


def _not_record_name(text: bytes, start: int, end: int) -> bool:
    """Whether the name before a NUL-record value (``start``) does not start its record: a NUL,
    a line start or the payload's start before it (git ``-z``'s ``name\\n value``: a NUL or
    the start only). ``/etc/app/password\\0…``, ``my password\\0…`` are other records."""
    i = start - 1
    newline = text[i] == 0x0A
    if newline and i > 0 and text[i - 1] == 0x0D:
        i -= 1
    lo = i
    while lo > 0 and i - lo < 64 and text[lo - 1] in _NAME_CHARS:
        lo -= 1
    if lo == 0:
        return False
    before = text[lo - 1]
    return not (before == 0 or (before == 0x0A and not newline))


KEY_NAMES: tuple[Detector, ...] = (
    _kv("kv-secret", _QUOTED_KV, prefilter=_PADDED_ANCHOR),
    _kv("kv-secret", _UNQUOTED_KV, prefilter=_PADDED_ANCHOR),
    _kv("kv-secret", _QUOTED_KV, prefilter=_NOTE_ANCHOR),
    _kv("kv-secret", _UNQUOTED_KV, prefilter=_NOTE_ANCHOR),
    # "password": "two words"  /  password = 'x y'  /  JSON with escaped quotes
    _kv("kv-secret", _QUOTED_KV, prefilter=_KEY_ANCHOR),
    # password=hunter2  /  TOKEN: abc  /  key=value&...
    _kv("kv-secret", _UNQUOTED_KV, prefilter=_KEY_ANCHOR),
    # <add key="Source-Password" value="…"/> (NuGet, .NET appSettings) and k8s-style
    # {"name": "API_TOKEN", "value": "…"}
    _kv(
        "kv-secret",
        # (Thirtieth pass: ``label`` too, ``op item get --format json``'s fields.)
        rb"(?i)(?:key|name|label)[\"']?\s{0,2}[=:]\s{0,2}\\?[\"'](?P<k>[^\"'\n]{0,60}?"
        + _KEYWORDS
        + rb")\\?[\"'][\s,]{1,40}"
        # (Thirteenth pass: up to three members between the name and its value, AWS SSM's
        # ``"Name": "DB_PASSWORD", "Type": "SecureString", "Value": "…"``, pretty-printed.)
        # (Thirtieth pass: or a flat object or list, ``az keyvault secret show``'s
        # ``"name": "db-password", "tags": {}, "value": "…"``.)
        + rb"(?:[\"'][A-Za-z_]{1,24}[\"']\s{0,2}:\s{0,2}(?:\"[^\"\n]{0,80}\"|[A-Za-z0-9_.\-]{1,40}"
        + rb"|\{[^{}]{0,160}\}|\[[^\[\]]{0,160}\])[\s,]{1,40}){0,3}"
        + rb"[\"']?value[\"']?\s{0,2}[=:]\s{0,2}\\?[\"'](?!\[REDACTED)(?P<s>[^\"'\n\\]{1,512})",
        line_bound=False,
    ),
    # Eighteenth pass: ``cat -A``/``cat -T`` print a tab as ``^I`` (``API_KEY^I=^I9Zt2…$``),
    # strace and C strings as ``\t`` (``read(3, "…\nAPI_KEY\t=\t9Zt2…\n"``): found by the
    # shown tab next to the separator, a rare literal.
    # (The literal alone scans: the pattern is confirmed over its whole width before the hit.)
    Detector(
        "kv-secret",
        "key-name",
        _KEY
        + rb"(?:\^I|\\t|[ \t]){0,8}(?:\^I[:=]|[:=]\^I|\\t[:=]|[:=]\\t)(?:\^I|\\t|[ \t]){0,8}"
        + rb"(?!\[REDACTED)"
        + rb"(?P<s>[^\s\"'`<>,;&\\|()\[\]}{\x1b\x00^$][^\s\"'`<>,;&\\|()\x00^]{0,255})",
        reject=reject_placeholder,
        line_bound=True,
        prefilter=rb"\^I[:=]|[:=]\^I|\\t[:=]|[:=]\\t",
    ),
    # Thirtieth pass: bash's ``set`` prints a value with control characters or quotes in ANSI-C
    # quoting (``API_KEY=$'…'``): a literal, not a variable's ``$``.
    Detector(
        "kv-secret",
        "key-name",
        _KEY + rb"[A-Za-z0-9_]{0,24}=\$'(?!\[REDACTED)(?P<s>[^'\\\s]{4,4096})'",
        reject=reject_placeholder,
        line_bound=True,
        prefilter=rb"=\$'[^'\s]",
    ),
    # Eighteenth pass: a value hard-wrapped at the terminal's width (``tmux capture-pane``
    # without ``-J``, a narrow ``script``): its rest at the next line's start (``_wrapped_rest``).
    # The match starts at the name on the line above; the span is the rest alone, so a stream
    # that released that line finds it too (its context starts at the line's start).
    Detector(
        "kv-secret",
        "key-name",
        _KEY
        + rb"[\"']?(?:[ \t]{0,4}[:=][ \t]{0,4}[\"']?[A-Za-z0-9+/=_\-]{0,255}\r?\n"
        # (Nineteenth pass: or the separator opening the next line, ``…access_token`` over
        # ``=g5a7…``; and 0 to 7 of the value's characters above, ``_wrapped_rest``.)
        + rb"|\r?\n[:=][ \t]{0,4}[\"']?)"
        + rb"(?P<s>[A-Za-z0-9+/_\-][A-Za-z0-9+/=_\-]{5,255})(?=[ \t,;\"']|\r?\n|\Z)",
        reject=reject_placeholder,
        line_bound=False,
        # (Led by a key word: from the separator alone, hyperscan read every value run ending
        # a line: UUID request logs 72 → 22 MB/s.)
        prefilter=rb"(?i)(?:pass|secret|token|key|cred|auth|pwd)[A-Za-z0-9_.\-]{0,24}[\"']?(?:[ \t]{0,4}[:=]"
        rb"[ \t]{0,4}[\"']?[A-Za-z0-9+/=_\-]{0,255}\r?\n|\r?\n[:=][ \t]{0,4}[\"']?)[A-Za-z0-9+/_\-]{6}",
        reject_at=lambda text, start, end: _wrapped_rest(text, start, end),
    ),
    # Eighteenth pass: the same in YAML, unquoted (``kubectl get deploy -o yaml``, ``docker
    # compose config``): ``- name: AUTH_TOKEN`` over ``value: IOBTFJRX…``, the name ending in
    # its key word (``TOKEN_TTL`` names no secret). (Scanned for its ``value:`` line with an
    # unquoted value, ``value: "8080"`` is not; a quoted one is the generic rules'. Read as the
    # whole pattern in prefilter mode, it made the literal database 12 % slower on
    # ``config_refs``.)
    Detector(
        "kv-secret",
        "key-name",
        rb"(?i)(?:^|\n)[ \t]{0,40}(?:-[ \t]{1,4})?name:[ \t]{1,8}[\"']?(?P<k>[A-Za-z0-9_.\-]{0,60}?"
        + _KEYWORDS
        + rb")[0-9]{0,3}[\"']?[ \t]{0,8}\r?\n[ \t]{0,40}value:[ \t]{1,8}(?!\[REDACTED)"
        + rb"(?P<s>[^\s\"'#]{1,512})",
        reject=reject_placeholder,
        line_bound=False,
        prefilter=rb"\n[ \t]{0,40}(?i:value):[ \t]{1,8}[^\s\"'#]",
    ),
    # Thirteenth pass: a secret's name over an object holding its value (pretty-printed JSON,
    # ``"token": {`` then ``"value": "9Zt2…"`` on the next line), and terraform's plan of a
    # changed value, ``~ api_key = "old" -> "new"`` (the new value too).
    _kv(
        "kv-secret",
        _KEY
        + rb"[\"']?[ \t]{0,8}:[ \t]{0,8}\{\s{0,64}"
        # (Fourteenth pass: up to three scalar members before the value, ``terraform output
        # -json``'s ``"api_key": {"sensitive": true, "type": "string", "value": "…"}``.)
        + rb"(?:[\"'][A-Za-z_]{1,24}[\"'][ \t]{0,8}:[ \t]{0,8}(?:\"[^\"\n]{0,80}\"|[A-Za-z0-9_.\-]{1,40})"
        + rb"[ \t]{0,8},\s{0,64}){0,3}"
        + rb"[\"'](?i:value|secret|data|plaintext|secret_?value)"
        + rb"[\"'][ \t]{0,8}:[ \t]{0,8}[\"'](?!\[REDACTED)(?P<s>[^\"'\n\\]{1,512})[\"']",
        line_bound=False,
        prefilter=_KEY_ANCHOR,
    ),
    _kv(
        "kv-secret",
        _KEY
        + rb"[ \t]{0,40}=[ \t]{0,8}\"[^\"\n]{0,512}\"[ \t]{1,4}->[ \t]{1,4}\"(?!\[REDACTED)"
        + rb"(?P<s>[^\"\n]{1,512})\"",
        prefilter=_KEY_ANCHOR,
    ),
    _kv(
        "kv-secret",
        _KEY
        + rb"[ \t]{0,40}=[ \t]{0,8}\"[^\"\n]{0,512}\"[ \t]{1,4}->[ \t]{1,4}\"(?!\[REDACTED)"
        + rb"(?P<s>[^\"\n]{1,512})\"",
        prefilter=_PADDED_ANCHOR,
    ),
    # <password>…</password> and <secret>{…}</secret> (a value past 1,024 characters goes on to
    # its "</": the possessive run either ends there or is cut by its bound)
    Detector(
        "kv-secret",
        "key-name",
        # (Not a ``<slot>`` inside an attribute's quotes: ``value="<your-api-key>"``.)
        rb"(?i)(?<![\"'=])<(?P<k>[A-Za-z0-9_.:\-]{0,40}?"
        + _KEYWORDS
        + rb")>(?!\[REDACTED)(?P<s>[^<]{1,1024}+)(?:</|(?=[^<]))",
        reject=reject_placeholder,
        prefilter=rb"(?i)<[A-Za-z0-9_.:\-]{0,40}?" + _KEYWORDS + rb">[^<]",
        short_prefilter=True,
        # One line at most past the bound: "<key>/<version> … (prose) … </p>" is no value.
        run=rb"[^<\n]",
        run_end=rb"</",
    ),
    # --password value / -p value style CLI flags
    _kv(
        "kv-secret",
        rb"(?i)(?<![A-Za-z0-9])--?(?P<k>[a-z0-9_\-]{0,30}(?:pass(?:word)?|token|secret|api[_\-]?key|auth[_\-]?token|access[_\-]?token))[= ](?!\[REDACTED)[\"']?(?P<s>[^\s\"']{1,512})",
    ),
    # setProperty("API_TOKEN", "value"), os.environ.setdefault('PASSWORD', 'value'): a call of
    # exactly those two arguments (_p("pulumi-token", "cloud", …) is a table row, not a setter).
    _kv(
        "kv-secret",
        rb"(?i)\(\s{0,4}[\"'](?P<k>[A-Za-z0-9_.\-]{0,40}?"
        + _KEYWORDS
        + rb")[\"']\s{0,4},\s{0,4}[\"'](?!\[REDACTED)(?P<s>[^\"'\n]{1,512})[\"']\s{0,4}\)",
    ),
    # docker login -u user -p secret (and friends)
    _kv(
        "kv-secret",
        rb"(?i)(?:docker|podman|helm|oras|nerdctl)\s{1,4}(?:registry\s{1,4})?login\b[^\n]{0,200}?\s(?:-p|--password)[= ]{1,2}[\"']?(?!\[REDACTED)(?P<s>[^\s\"']{1,256})",
    ),
    # if ("value" == password) — the value before a comparison with a secret-named variable
    _kv(
        "kv-secret",
        rb"[\"'](?!\[REDACTED)(?P<s>[^\"'\n]{1,256})[\"']\s{0,4}[!=]={1,2}\s{0,4}(?i:[A-Za-z0-9_.]{0,30}(?:pass(?:word|wd)?|secret|token|api_?key|private_?key))",
    ),
    # A table row (Postman/Markdown variables): apiKey | e9e0f062…  — a long token only: a
    # shell pipe after a secret-named variable ("$TOKEN | base64") is a command.
    _kv(
        "kv-secret",
        _KEY
        + rb"[ \t]{1,8}\|[ \t]{0,8}(?!\[REDACTED)(?P<s>[A-Za-z0-9_\-+/=.]{16,512})(?=[ \t]{0,8}(?:\||\r?\n|$))",
        prefilter=_KEY_ANCHOR,
    ),
    # Sixteenth pass: a box-drawing bar glued to the name (``token│ 9Zt2…``, ``┃ secret ┃9Zt2…``,
    # ``║api_key║ …``: rich, tabulate and hand-drawn two-column boxes, header or none); a long
    # token only, as the ``|`` form. Codes around the bar are read away (``ansi``).
    Detector(
        "kv-secret",
        "key-name",
        _KEY + _BOX_SEP + rb"(?!\[REDACTED)(?P<s>[A-Za-z0-9_\-+/=.]{16,512})"
        rb"(?=[ \t]{0,8}(?:" + _BOX_BAR + rb"|\||\r?\n|$))",
        reject=reject_placeholder,
        line_bound=True,
        prefilter=_BOX_ANCHOR,
        short_prefilter=True,
        side=True,
        som=True,
    ),
    # Sixteenth pass: a name and its value as NUL-separated records (``password\0<key>\0``:
    # ``env -0``-style pairs, ``xargs -0``/``find -print0`` inputs; git ``config -z``'s
    # ``user.password\n<key>\0``). Only key material (symbol tables of binaries hold
    # ``get_token\0strlen\0``), and only a name starting its record (``_record_name``).
    Detector(
        "kv-secret",
        "key-name",
        _KEY + rb"(?:\x00|\r?\n(?=[^\x00\n]{1,512}\x00))(?!\[REDACTED)"
        rb"(?P<s>[^\x00\r\n]{1,512})(?=[\x00\r\n]|$)",
        reject=_not_key_material,
        reject_at=_not_record_name,
        line_bound=True,
        prefilter=_NUL_ANCHOR,
        also_scan=(_Z_ANCHOR,),
        short_prefilter=True,
        side=True,
    ),
    # "your API key is 2afd…", "the password was Xy7…": prose handing a value over. Only a
    # value with letters and digits counts ("token is expired" is a status, not a secret).
    Detector(
        "kv-secret",
        "key-name",
        _KEY
        + rb"[ \t]{1,4}(?:is|was)[ \t]{1,4}:?[ \t]{0,4}[\"'`]?(?!\[REDACTED)(?P<s>[A-Za-z0-9_\-+/=.!@#$%^&*~]{8,256})",
        reject=_status_word,
        line_bound=True,
        prefilter=_KEY_ANCHOR,
        short_prefilter=True,
        side=True,
        som=True,
    ),
    # "loaded credential 9Zt2…", "using token 3f2b…" (also in coloured output, the codes
    # stripped): a credential word, a blank, and a value shaped like key material — random
    # to the word model, or 32+ hex digits. A word ("token expired", "password reset") or a
    # name is prose.
    Detector(
        "kv-secret",
        "key-name",
        rb"(?i)(?<![A-Za-z0-9])(?P<k>"
        + _CREDENTIAL_WORDS
        + rb")s?"
        + _WORD_TO_VALUE
        + rb"(?![\"'`]|\[REDACTED)(?P<s>[A-Za-z0-9+/_\-][A-Za-z0-9+/=_\-.~]{15,4095}+)(?![A-Za-z0-9+/=_\-.~])",
        reject=_not_key_material,
        line_bound=True,
        prefilter=rb"(?i)(?:"
        + _CREDENTIAL_WORDS
        + rb")s?"
        + _WORD_TO_VALUE
        + rb"[A-Za-z0-9+/_\-][A-Za-z0-9+/=_\-.~]{15}",
        short_prefilter=True,
        side=True,
    ),
    # https://<token>@github.com/o/r.git: a token as a URL's user name with no password (git
    # remotes, `git remote -v`, `.git/config`: GitHub, GitLab and Bitbucket take one so). Only
    # key material counts: `https://git@host`, `ssh://deploy-user@host` are user names; a dot
    # makes it a host-like name (`https://name.example.1234@…`, a gitleaks negative), no token.
    Detector(
        "url-credentials",
        "url-credentials",
        rb"(?i)\b[a-z][a-z0-9+._\-]{1,30}://(?!\[REDACTED)(?P<s>[A-Za-z0-9_\-~+=%]{20,256}+)"
        rb"@[A-Za-z0-9.\-\[\]_]",
        reject=_not_key_material,
        line_bound=True,
        prefilter=rb"(?i)[a-z][a-z0-9+._\-]{1,30}://[A-Za-z0-9_\-~+=%]{20,256}@[A-Za-z0-9.\-\[\]_]",
    ),
    # "test_secrets": {"acme_id": "…", "acme_key": "…"} — everything in an object named for
    # secrets or credentials is one: ids and user names paired with a key are half of it.
    Detector(
        "secret-block",
        "key-name",
        rb"(?i)(?P<k>[A-Za-z0-9_\-]{0,40}(?:secrets|credentials))[\"']?\s{0,4}(?::|=>?)\s{0,4}"
        rb"\{(?P<s>[^{}]{1,4096})\}",
        reject=_only_slots,
    ),
    # curl -u KEY: (an API key as the user name and no password, as Stripe's docs do it)
    _kv(
        "kv-secret",
        rb"(?i)(?:curl\b(?:[^\n]|\\\r?\n){0,400}?\s(?:-u|--user)\s{1,4})[\"']?(?!\[REDACTED)(?P<s>[^:\s\"']{6,256}):[\"']?(?=[\s\"']|$)",
        line_bound=False,
    ),
    # curl -u user:password
    _kv(
        "kv-secret",
        rb"(?i)(?:curl\b(?:[^\n]|\\\r?\n){0,400}?\s(?:-u|--user)\s{1,4})[\"']?[^:\s\"']{0,128}[\"']?:[\"']?(?!\[REDACTED)(?P<s>[^\s\"']{1,256})",
        # A curl command continues over "\" line ends: -u may sit lines below "curl".
        line_bound=False,
    ),
)

# --- generic tokens: a random-looking value after a bare name ----------------------------------
# Value runs are possessive ("{15,4095}+"): what may follow a run (a quote, a blank, a lookahead
# refusing run characters) is never a run character, so giving characters back cannot make a
# match, and on minified code a greedy run gave back thousands of characters at every name.
# Whether a value is random, words, a code name or hex is the word model's call (word_model.py);
# which names hold ids and digests is names.py's. The prefilters dismiss hex, UUIDs and digests
# right after their name (sha256:…, request_id=…, uid="…") and names ending in a digit: output
# full of them must not cost a Python call per id.
_TOKEN_CHARS = rb"[A-Za-z0-9_\-+/=.]"
# An unquoted value's first 16 characters have no "=" (filename=…, a=b: another assignment;
# base64 pads only at its end).
_VALUE_CHARS = rb"[A-Za-z0-9_\-+/]"
_NON_HEX_TOKEN = rb"[G-Zg-z_+/=.]"
_NON_HEX_VALUE = rb"[G-Zg-z_+/]"
# A hex value counts under a bare name only with 32 digits or more (a 128-bit key, a UUID) and
# only when set apart from its name by a blank (acme: 3bda…, mux '3f2b…'): glued to it (sha256:…,
# request_id=…, uid="…") it is an id or a digest.
_HEX32 = HEX + rb"{32}"
# A value's first character: not a path's "/" or ".", not the "=" of "==" (comparisons).
_FIRST = rb"[A-Za-z0-9_\-+]"


_WRAPPER_NAMES = lazy_compile(
    rb"Some|Ok|Err|Box|Arc|Rc|Cow|Cell|RefCell|Mutex|RwLock|Option|Optional|Just|Left|Right|"
    rb"Success|Failure|Pin|Wrapping"
)


def _generic_value(name: bytes, value: bytes, spaced: bool) -> bool | None:
    """The shared part of the generic rules: True/False when decided, None to go on.

    A value whose characters 2 to 32 are hex digits and dashes is judged as hex, as the
    prefilters judge it (``I3f2b…``, a Gerrit Change-Id, too: one letter is no randomness).
    """
    if spaced and len(name) >= 16 and _all_hex(value[1:32]) and word_model.randomness(name):
        # (Twenty-fourth pass: a "name" drawn at random before an id is the cell before it in a
        # row of quoted values, ``'<key>', '<uuid>'`` in an SQL dump's row: it names nothing.)
        return False
    if _WRAPPER_NAMES.fullmatch(name):
        # (Twenty-second pass: ``trace_id: Some("<uuid>")``: a wrapper names nothing, the field
        # before it does; the key-name rules read a secret's name there.)
        return False
    if _all_hex(value[1:32]):
        return (
            spaced
            and len(value) >= 32
            and not names.ends_with_id_word(name)
            and not names.names_an_object(name)
            and word_model.kind(value) is word_model.Kind.HEX
            and word_model.entropy(value) >= 3.2
        )
    if names.digest_name(name) or sri_digest(value):
        return False
    if names.request_id_name(name):
        return False
    if names.id_name(name):
        return word_model.bearer_grade(value)
    if _names_itself(name, value):
        return False
    return None


_ACCESSOR = lazy_compile(rb"(?i)accessor$")


def _all_hex(value: bytes) -> bool:
    return bool(value) and not value.translate(None, b"0123456789abcdefABCDEF-")


def _names_itself(name: bytes, value: bytes) -> bool:
    # SN_id_Gost28147_89_None_KeyMeshing = "id-Gost28147-89-None-KeyMeshing": a constant
    # spelling out its own name is an identifier, not a credential.
    squash = bytes.maketrans(b"-.", b"__")
    return value.translate(squash).lower() in name.translate(squash).lower()


def _not_a_credential(name: bytes, value: bytes, spaced: bool) -> bool:
    """Quoted values (acme '…'), pairs and braces: random, or 12–15 characters nearly all
    distinct with digits and letters interleaved."""
    decided = _generic_value(name, value, spaced)
    if decided is not None:
        return not decided
    if len(value) < 16:
        return not word_model.short_random(value)
    return not word_model.randomness(value)


def _not_a_quoted_credential(name: bytes, value: bytes, spaced: bool) -> bool:
    """A quoted value after a bare name: no "." or "=" in its first 12 characters (a file name,
    a version, an assignment; as the prefilter has it), then as ``_not_a_credential``."""
    head = value[:12]
    if b"." in head or b"=" in head:
        return True
    return _not_a_credential(name, value, spaced)


def _not_a_bare_credential(name: bytes, value: bytes, spaced: bool) -> bool:
    """Unquoted values (acme: …, acme=…): random with upper, lower and digit; no "=" in the
    first 16 characters (filename=…: another assignment)."""
    if b"=" in value[:16]:
        return True
    decided = _generic_value(name, value, spaced)
    if decided is not None:
        return not decided
    if not (_UPPER.search(value) and _LOWER.search(value) and _DIGIT.search(value)):
        return True
    return not word_model.randomness(value, sequences=True)


def _not_a_line_start_credential(name: bytes, value: bytes, spaced: bool) -> bool:
    """A token after a bare word at a line start: not after a word naming an id or a digest
    (commit, integrity), as the prefilter has it."""
    if name.lower().endswith(tuple(w.encode() for w in _LINE_ID_WORDS)):
        return True
    return _not_a_spaced_credential(name, value, spaced)


def _not_a_spaced_credential(name: bytes, value: bytes, spaced: bool) -> bool:
    """A token after a bare word at a line start or in a call: prose and code put words after
    words all the time, so only a long, random-looking token (hex of a 128-bit key or more,
    or letters mixed with digits) counts."""
    decided = _generic_value(name, value, spaced)
    if decided is not None:
        return not decided
    return len(value) < 20 or not word_model.randomness(value)


# Twenty-second pass: a Terraform variable's ``default`` (or ``value``) under a block whose label
# names an id or a digest (``variable "etag" {`` … ``default = "<32 hex>"``): the label says what
# the value is, as a name before it would.
_HCL_BLOCK = lazy_compile(
    rb"(?:variable|output|locals?)[ \t]+\"([A-Za-z0-9_\-]{1,64})\"[ \t]*\{[^{}]{0,600}$"
)
_HCL_ATTR = lazy_compile(rb"(?:default|value)[ \t]*=[ \t]*\"?$")


def _hcl_attr_ends_at(text: bytes, line_start: int, start: int) -> bool:
    """``_HCL_ATTR.search(text, line_start, start) is not None`` for ``line_start`` as
    ``_hcl_id_variable`` finds it (no line end between it and ``start``, nor right before
    ``start``): ``$`` then holds only at ``start``, so a match ends there, and it is read
    backwards from there — an optional quote,
    blanks, ``=``, blanks, the word — instead of searched for from ``line_start``, which is the
    text's start when the line is longer than 200 bytes (thirteenth speed pass: on a long line
    of ``name = '<token>'`` pairs every hit searched everything before it, 7 of 7.5 s for
    700 KB of one line)."""
    p = start
    if p > line_start and text[p - 1] == 0x22:
        p -= 1  # (a quote before ``start`` is the pattern's: nothing else in it ends so)
    while p > line_start and text[p - 1] in _BLANK_BYTES:
        p -= 1
    if p <= line_start or text[p - 1] != 0x3D:
        return False
    p -= 1
    while p > line_start and text[p - 1] in _BLANK_BYTES:
        p -= 1
    return (p - 7 >= line_start and text[p - 7 : p] == b"default") or (
        p - 5 >= line_start and text[p - 5 : p] == b"value"
    )


_BLANK_BYTES = frozenset(b" \t")


# Twenty-third pass: an OpenSSH public key's blob (``ssh-ed25519 AAAAC3NzaC1lZDI1NTE5… dev@host``)
# opens with its type's name, length-prefixed and base64-encoded: a public key, no secret.
_SSH_PUBLIC_BLOB = (
    b"AAAAC3NzaC1lZDI1NTE5",
    b"AAAAB3NzaC1yc2E",
    b"AAAAB3NzaC1kc3M",
    b"AAAAE2VjZHNhLXNoYTItbmlzdHA",
    b"AAAAGnNrLXNzaC1lZDI1NTE5",
    b"AAAAInNrLWVjZHNhLXNoYTItbmlzdHA",
)


def _generic_reject_at(
    reject_at: Callable[[bytes, int, int], bool],
) -> Callable[[bytes, int, int], bool]:
    """A generic rule's ``reject_at``, also dismissing a value after a content name
    (``payload_names``) and an OpenSSH public key's blob."""

    def check(text: bytes, start: int, end: int) -> bool:
        return text.startswith(_SSH_PUBLIC_BLOB, start) or reject_at(text, start, end)

    return payload_names.or_payload(check)


def _hcl_id_variable(text: bytes, start: int, end: int) -> bool:
    line_start = text.rfind(b"\n", max(0, start - 200), start) + 1
    if not _hcl_attr_ends_at(text, line_start, start):
        return False
    m = _HCL_BLOCK.search(text, max(0, line_start - 600), line_start)
    return m is not None and names.ends_with_id_word(m.group(1))


def _or_hcl_id(
    reject_at: Callable[[bytes, int, int], bool] | None,
) -> Callable[[bytes, int, int], bool]:
    if reject_at is None:
        return _hcl_id_variable
    check = reject_at
    return lambda text, start, end: _hcl_id_variable(text, start, end) or check(text, start, end)


def _generic(
    pattern: bytes,
    prefilter: bytes,
    also_scan: tuple[bytes, ...] = (),
    reject_pair: Callable[[bytes, bytes, bool], bool] | None = None,
    reject_at: Callable[[bytes, int, int], bool] | None = None,
) -> Detector:
    return Detector(
        "generic-token",
        "generic",
        pattern,
        reject_pair=reject_pair or _not_a_credential,
        # (A value after a name naming content, ``thumbnail: <base64>``: payload_names.)
        reject_at=_generic_reject_at(_or_hcl_id(reject_at)),
        line_bound=True,
        prefilter=prefilter,
        also_scan=also_scan,
        side=True,
        # The prefilter stops a few characters into the value; the value may run to 256.
        short_prefilter=True,
    )


# (Possessive, speed pass 2026-12-04, second: every pattern using these names follows them with
# a byte no name holds (a blank, a separator, a quote, a parenthesis), so only the longest name
# can match; without backtracking into it, confirming a hit costs a third of the regex time
# (``resource "aws_db_instance" "api"``: 68 → 29 ms per MB of configuration searched whole).
# The same matches on every corpus; ``tests/redaction/test_speed_pass_second.py`` compares.)
_NAME = rb"(?<![A-Za-z0-9_\"'])(?P<g>[A-Za-z][A-Za-z0-9_.\-]{1,40}+)"
# Names before an unquoted "=" or ":" end in a letter or "_": sha256=…, h1:…, md5:… are digests.
_LETTER_NAME = rb"(?<![A-Za-z0-9_\"'])(?P<g>[A-Za-z](?:[A-Za-z0-9_.\-]{0,40}+(?<=[A-Za-z_]))?)"
# The patterns as they were written before: what the tests compare these with.
NAME_BACKTRACKING = rb"(?<![A-Za-z0-9_\"'])(?P<g>[A-Za-z][A-Za-z0-9_.\-]{1,40})"
LETTER_NAME_BACKTRACKING = (
    rb"(?<![A-Za-z0-9_\"'])(?P<g>[A-Za-z](?:[A-Za-z0-9_.\-]{0,39}[A-Za-z_])?)"
)
_LINE_NAME = rb"[A-Za-z][A-Za-z0-9_.\-]{1,40}"
_LETTER_END_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"
# A line-start name that is not an id or digest name (commit 3f2b…, sha256 …): anchored at the
# line start, hyperscan checks the name's end cheaply.
_LINE_ID_WORDS = (
    "commit",
    "sha",
    "sha1",
    "sha256",
    "sha512",
    "hash",
    "id",
    "digest",
    "sum",
    "integrity",
    "checksum",
)
# (The few id words that start lines: the whole list makes the automaton four times slower; the
# Python rule checks the whole list.)
_LINE_NAME_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"
_LINE_NAME_NOT_ID = (
    rb"[A-Za-z](?:[A-Za-z0-9_.\-]{0,40}"
    + not_ending_with(_LINE_ID_WORDS, _LINE_NAME_CHARS)
    + rb")?"
)
# Speed pass: a spaced 32-hex value counts only under a name not ending in an id word
# (``names.ends_with_id_word``: X-Request-ID, traceparent), so the ``name: <hex>`` expression
# checks the name's end (UUID request logs: 1,750 of 2,760 hits per MB, all dismissed in
# Python). Not the "=" and quoted forms: rarer, and each such trie costs the shapes automaton.
_LETTER_NAME_END_NOT_ID = name_end_not_ending_with(names.ID_WORDS, _LETTER_END_CHARS)
# `git branch -v --no-abbrev` (and `-vv`): two blanks, a branch name, blanks, a full commit id in
# lower case, a blank and the commit's subject (or `[origin/…]`) is a branch listing, not a
# service's name before its hex token; so is a ref with a `/` at the line start (`git
# for-each-ref`'s `refs/heads/main <hex> subject`, `origin/main <hex> …`). Unindented, a bare name
# before a hex token and more words is a service's key (`metaapi <64 hex> metaapi …`, a corpus
# positive), and a name naming a secret (`  deploy-token <hex> …`) still counts.
_BRANCH_NAME = rb"(?![^\s]*(?i:secret|token|key|pass|cred|auth|pwd))"
_NOT_A_BRANCH_LINE = (
    rb"(?!(?:  "
    + _BRANCH_NAME
    + rb"[A-Za-z0-9_./\-]{1,100}|"
    + _BRANCH_NAME
    + rb"[A-Za-z0-9_.\-]{1,60}/[A-Za-z0-9_./\-]{1,100}) +(?:[0-9a-f]{64}|[0-9a-f]{40}) +\S)"
)
# Quotes, not backticks: Markdown and shell output put `code` after every other word.
_QUOTED_SEP = rb"[ \t]{0,4}(?:[:=,]|:=|[ \t]-)?[ \t]{0,4}[\"'] ?"
_SPACED_QUOTED_SEP = (
    rb"(?:[ \t]{1,4}(?:[:=,]|:=|-)?[ \t]{0,4}|[ \t]{0,4}(?:[:=,]|:=)[ \t]{1,4})[\"'] ?"
)
# A random-looking token given to a bare (unquoted) name: acme 'Xy7…', acme_key := "Xy7…",
# acme: Xy7…. JSON keys are left to the key-name rules. Token alphabet only: a '?' or a space in
# the value means prose or a pattern, not a credential. Literal-free patterns are costly in one
# automaton with the others; the prefilters (a word character, a separator, a token with a
# non-hex character, or 32 hex digits set apart) are rare in clean logs.
GENERIC: tuple[Detector, ...] = (
    _generic(
        _NAME + _QUOTED_SEP + rb"(?P<s>" + _FIRST + _TOKEN_CHARS + rb"{11,255}+) ?[\"']",
        rb"[A-Za-z0-9_]"
        + _QUOTED_SEP
        + _FIRST
        + some_non_hex(_VALUE_CHARS, _NON_HEX_VALUE, 11, 31),
        (rb"[A-Za-z0-9_]" + _SPACED_QUOTED_SEP + _HEX32,),
        _not_a_quoted_credential,
        # (Fifteenth pass: an entry of a section naming ids, ``[commits]`` over ``cli = "<hex>"``;
        # seventeenth: a quoted cell under a column naming ids.)
        id_columns.under_id_section_or_header,
    ),
    # Unquoted: no dots (dotted names are identifiers) and all of upper, lower and digit.
    Detector(
        "generic-token",
        "generic",
        _LETTER_NAME
        + rb"[ \t]{0,4}(?::=|[:=])[ \t]{0,4}(?P<s>"
        + _FIRST
        + rb"[A-Za-z0-9_\-+/=]{15,4095}+)(?![^\s,;)])",
        reject_pair=_not_a_bare_credential,
        reject_at=_generic_reject_at(id_columns.under_id_section),
        line_bound=True,
        # One expression per separator and shape: "=" is a literal hyperscan skips to (the name
        # is checked on confirmation); ":" is everywhere in logs, so that form stays a shape.
        prefilter=rb"[A-Za-z_][ \t]{0,4}:[ \t]{0,4}"
        + _FIRST
        + some_non_hex(_VALUE_CHARS, _NON_HEX_VALUE, 15, 31),
        also_scan=(
            rb"[A-Za-z_][ \t]{0,4}=[ \t]{0,4}"
            + _FIRST
            + some_non_hex(_VALUE_CHARS, _NON_HEX_VALUE, 15, 31),
            _LETTER_NAME_END_NOT_ID + rb"[ \t]{0,4}:[ \t]{1,4}" + _HEX32,
            rb"[A-Za-z_](?:[ \t]{1,4}=[ \t]{0,4}|=[ \t]{1,4})" + _HEX32,
        ),
        side=True,
        short_prefilter=True,
    ),
    # name TOKEN at the start of a line: a random-looking token after a bare word (jira Z7Vo…,
    # mixpanel M0UX…). Mid-sentence, words followed by long words are prose or code; and a
    # scan that may start at every blank would cost a third of the shapes database.
    Detector(
        "generic-token",
        "generic",
        rb"(?m)^"
        + _NOT_A_BRANCH_LINE
        + rb"[ \t]{0,16}"
        + _NAME
        + rb"[ \t]{1,4}(?P<s>[A-Za-z0-9][A-Za-z0-9_\-]{15,255}+)(?![^\s,;)\]}])",
        reject_pair=_not_a_line_start_credential,
        # A UUID or hex id under a table header naming an id (``uuid``, ``request_id``, …).
        # and an unindented ref listing (``git for-each-ref``) not under a secret's header.
        reject_at=_generic_reject_at(payload_names.not_a_line_start_secret),
        line_bound=True,
        # After a newline (a literal hyperscan skips to) or at the start of the payload; hex
        # only after a name that does not end in a common id word (commit 3f2b…).
        prefilter=rb"\n[ \t]{0,16}"
        + _LINE_NAME_NOT_ID
        + rb"[ \t]{1,4}[A-Za-z0-9]"
        + some_non_hex(rb"[A-Za-z0-9_\-]", rb"[G-Zg-z_]", 15, 31),
        also_scan=(
            rb"^[ \t]{0,16}"
            + _LINE_NAME_NOT_ID
            + rb"[ \t]{1,4}[A-Za-z0-9]"
            + some_non_hex(rb"[A-Za-z0-9_\-]", rb"[G-Zg-z_]", 15, 31),
            rb"\n[ \t]{0,16}" + _LINE_NAME_NOT_ID + rb"[ \t]{1,4}" + _HEX32,
            rb"^[ \t]{0,16}" + _LINE_NAME_NOT_ID + rb"[ \t]{1,4}" + _HEX32,
        ),
        side=True,
        short_prefilter=True,
    ),
    # Client("TOKEN"): a random-looking literal handed to a call (no paths: no '/' or '.').
    Detector(
        "generic-token",
        "generic",
        _NAME + rb"\(\s{0,4}[\"'](?P<s>[A-Za-z0-9][A-Za-z0-9_\-]{15,255}+)[\"']\s{0,4}\)",
        reject_pair=_not_a_spaced_credential,
        line_bound=True,
        # From the parenthesis: a literal hyperscan can skip to.
        prefilter=rb"\(\s{0,4}[\"'][A-Za-z0-9][A-Za-z0-9_\-]{15}",
        side=True,
        short_prefilter=True,
    ),
    # A pair in a list or tuple: ("artifactory", "Xy7…") and acme = 'id', 'Xy7…' — the name
    # or id first, the secret second.
    Detector(
        "generic-token",
        "generic",
        rb"(?:[\"'](?P<g>[A-Za-z][A-Za-z0-9_.\-]{1,40})|(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9_.\-]{1,40}"
        rb"[ \t]{0,4}=[ \t]{0,4}[\"']"
        + _TOKEN_CHARS
        # (A blank after the comma, as the prefilter has it: ``"cron","3f2b…"`` is a quoted CSV
        # row, whose values the header names; the pure-Python engine read it as a pair.)
        + rb"{8,256})[\"'][ \t]{0,4},[ \t]{1,4}[\"'](?P<s>"
        + _TOKEN_CHARS
        + rb"{16,256})[\"']",
        reject_pair=_not_a_credential,
        # (Seventeenth pass: a row of a CSV written with a blank after each comma, its id-shaped
        # value under a column naming ids: ``"web", "<40 hex>"`` under ``"service", "commit"``.)
        # (And under a column naming content: ``"svc", "<base64>"`` under ``payload``.)
        reject_at=_generic_reject_at(payload_names.under_id_or_payload_header),
        line_bound=True,
        prefilter=rb"', '" + _TOKEN_CHARS + rb"{16}",
        also_scan=(rb"\", \"" + _TOKEN_CHARS + rb"{16}",),
        side=True,
        short_prefilter=True,
    ),
    # {name TOKEN} (credential ids in CI configuration)
    # The prefilter is the whole shape ({return options.enabledDates[…] in minified JS is
    # not one).
    Detector(
        "generic-token",
        "generic",
        rb"\{(?P<g>[A-Za-z][A-Za-z0-9_.\-]{1,40}) (?P<s>" + _TOKEN_CHARS + rb"{16,256})\}",
        reject_pair=_not_a_credential,
        line_bound=True,
        prefilter=rb"\{[A-Za-z][A-Za-z0-9_.\-]{1,40} " + _TOKEN_CHARS + rb"{16,256}\}",
        side=True,
    ),
)


def _names_alternation(words: list[str]) -> bytes:
    """``words`` (a name of two words one blank or "_" apart), each also capitalised and in
    capitals, as their UTF-8 bytes (a byte expression's "(?i)" folds ASCII letters only)."""
    forms = dict.fromkeys(v for w in words for v in (w, w[:1].upper() + w[1:], w.upper()))
    plain = [re.escape(v.replace("_", " ").encode()).replace(b"\\ ", b"[ _]") for v in forms]
    # (Fourteenth pass: as JSON writes them with ASCII only, ``json.dumps``' default:
    # ``"Contrase\\u00f1a"``, ``"\\u5bc6\\u7801"``.)
    escaped = [
        re.escape(json.dumps(v.replace(" ", "_"))[1:-1].encode()) for v in forms if not v.isascii()
    ]
    return b"|".join(plain + escaped)


def _foreign_names() -> tuple[bytes, bytes]:
    from enforcement_agent.redaction.tables import FOREIGN_SECRET_NAMES, WEAK_FOREIGN_NAMES

    return _names_alternation(FOREIGN_SECRET_NAMES), _names_alternation(WEAK_FOREIGN_NAMES)


_FOREIGN_STRONG, _FOREIGN_WEAK = _foreign_names()
# A quoted key, its separator and a quoted value: ``{"jelszó": "…"}``, ``'пароль' => '…'``.


def _quoted_key(names: bytes, *, group: bool = True) -> bytes:
    return rb"[\"'](?" + (b"P<k>" if group else b":") + names + rb")[\"']\s{0,4}(?::|=>?)"


def _quoted_key_value(names: bytes) -> bytes:
    return _quoted_key(names) + rb"\s{0,4}[\"'](?P<s>[^\"'\n\\]{4,512})[\"']"


# Ninth pass: a bare "pass" before a value, with no verb handing one over ("vpn pass 9Zt2…").
# Prose's "pass" is everywhere ("tests pass", "second pass <commit id>"), so the value decides:
# key material with letters and digits, and not hex digits alone (a commit id or digest).
_HEX_ONLY = lazy_compile(rb"[0-9a-fA-F]+")


def _not_pass_material(value: bytes) -> bool:
    v = value.rstrip(b".")
    return (
        _HEX_ONLY.fullmatch(v) is not None
        or not (_DIGIT.search(v) and _ALPHA.search(v))
        or not word_model.key_material(v)
    )


NINTH: tuple[Detector, ...] = (
    # Other-language names of a secret as a JSON or dict key (the table readers know them as
    # column headers): strong names over any literal, weak ones (``clave``, ``ключ``, ``pat``)
    # over a generated-looking value only. (Hyperscan looks for the names as listed, in three
    # cases, and a quote and separator after them: caseless, they cost a pure scan 12 %. The
    # confirmation reads on over the pattern's width, ``short_prefilter``: with 64 bytes after
    # the separator a value of 64 characters leaked, nineteenth pass.)
    Detector(
        "kv-secret",
        "key-name",
        rb"(?i)" + _quoted_key_value(_FOREIGN_STRONG),
        reject=reject_placeholder,
        line_bound=True,
        prefilter=_quoted_key(_FOREIGN_STRONG, group=False),
        short_prefilter=True,
    ),
    Detector(
        "kv-secret",
        "key-name",
        rb"(?i)" + _quoted_key_value(_FOREIGN_WEAK),
        reject=_not_key_material,
        line_bound=True,
        prefilter=_quoted_key(_FOREIGN_WEAK, group=False),
        short_prefilter=True,
    ),
    Detector(
        "kv-secret",
        "key-name",
        rb"(?i)(?<![A-Za-z0-9_.\-/])(?P<k>pass)"
        + _WORD_TO_VALUE
        + rb"(?![\"'`]|\[REDACTED)(?P<s>[A-Za-z0-9+/_\-][A-Za-z0-9+/=_\-.~]{15,4095}+)(?![A-Za-z0-9+/=_\-.~])",
        reject=_not_pass_material,
        line_bound=True,
        prefilter=rb"(?i)pass" + _WORD_TO_VALUE + rb"[A-Za-z0-9+/_\-][A-Za-z0-9+/=_\-.~]{15}",
        short_prefilter=True,
        side=True,
    ),
)


def _env_entry(names: bytes, *, group: bool = True) -> bytes:
    return rb"[\"'](?" + (b"P<k>" if group else b":") + names + rb")="


# Fourteenth pass: the other-language names in one more shape the key-name rules know for the
# English ones: an environment entry in a JSON string (``docker inspect``'s ``"Env":
# ["MOT_DE_PASSE=…"]``); strong names over any literal, weak ones (``pat``, ``clave``) over a
# generated-looking value only. (An object holding the value, ``terraform output -json``'s
# ``"mot_de_passe": {"sensitive": true, …, "value": "…"}``, was tried: its expression, read on
# from the brace to the value, scanned npm lockfiles' JSON a tenth slower; stopped at the brace,
# the value is past the confirmation window.)
FOURTEENTH: tuple[Detector, ...] = tuple(
    Detector(
        "kv-secret",
        "key-name",
        rb"(?i)" + shape(names) + tail,
        reject=reject,
        line_bound=line_bound,
        prefilter=rb"(?i)" + shape(names, group=False),
        # (Nineteenth pass: the scan stops at the separator; the confirmation reads on over the
        # pattern's width, not 64 bytes — a 64-character value and its quote leaked.)
        short_prefilter=True,
    )
    for names, reject in ((_FOREIGN_STRONG, reject_placeholder), (_FOREIGN_WEAK, _not_key_material))
    for shape, tail, line_bound in (
        (_env_entry, rb"(?!\[REDACTED)(?P<s>[^\"'\n\\]{4,512})[\"']", True),
    )
)
# Fifteenth pass: an other-language name over an object holding its value (``terraform output
# -json``'s ``"mot_de_passe": {"sensitive": true, "type": "string", "value": "…"}``), as
# ``_KEY``'s object rule for the English names. The scan stops at the brace (read on to the
# value it made npm lockfiles' JSON a tenth slower); the confirmation reads on from there over
# the pattern's width (``short_prefilter``).
_OBJECT_TAIL = (
    rb"[ \t]{0,8}\{\s{0,64}"
    rb"(?:[\"'][A-Za-z_]{1,24}[\"'][ \t]{0,8}:[ \t]{0,8}(?:\"[^\"\n]{0,80}\"|[A-Za-z0-9_.\-]{1,40})"
    rb"[ \t]{0,8},\s{0,64}){0,3}"
    rb"[\"'](?i:value|secret|data|plaintext|secret_?value)"
    rb"[\"'][ \t]{0,8}:[ \t]{0,8}[\"'](?!\[REDACTED)(?P<s>[^\"'\n\\]{4,512})[\"']"
)
FIFTEENTH: tuple[Detector, ...] = tuple(
    Detector(
        "kv-secret",
        "key-name",
        rb"(?i)" + _quoted_key(names) + _OBJECT_TAIL,
        reject=reject,
        line_bound=False,
        prefilter=rb"(?i)" + _quoted_key(names, group=False) + rb"[ \t]{0,8}\{",
        short_prefilter=True,
    )
    for names, reject in ((_FOREIGN_STRONG, reject_placeholder), (_FOREIGN_WEAK, _not_key_material))
)
# Twentieth pass: an other-language name as a bare setting name padded to a column before its
# separator or after it (``PAT             = <key>``, ``Passwort        : …``, ``clave =
# <key>`` with the value at a tab stop): the generic rules read up to four blanks around the
# separator, the English names are the key-name rules' own; a name in another script
# (``пароль``, ``ключ``, ``密码``) with any blanks. A whole word only (``path``,
# ``pattern``, ``spat`` are no ``pat``); strong names over any literal, weak ones over
# generated-looking values only. With four blanks or fewer on both sides the generic rule
# decides, as before.
_PADDED_SEP = rb"(?:[ \t]{5,32}[:=][ \t]{0,32}|[ \t]{0,4}[:=][ \t]{5,32})"
TWENTIETH: tuple[Detector, ...] = tuple(
    Detector(
        "kv-secret",
        "key-name",
        rb"(?i)(?<![A-Za-z0-9_.\-/\x80-\xff])(?P<k>"
        + names
        + rb")"
        # (A name in another script, ``пароль = …``, ``密码: …``, with any blanks: the generic
        # rules read ASCII names only.)
        + rb"(?:"
        + _PADDED_SEP
        + rb"|(?<=[\x80-\xff])[ \t]{0,4}[:=][ \t]{0,4})"
        + value
        + rb"(?![A-Za-z0-9+/=_\-.~])",
        reject=reject,
        line_bound=True,
        prefilter=rb"(?i)(?:" + names + rb")(?:" + _PADDED_SEP + rb"|[ \t]{0,4}[:=])",
        short_prefilter=True,
        side=True,
    )
    for names, reject, value in (
        # (Twenty-second pass: under a strong name any literal of four characters or more, as
        # under ``password`` (``пароль = X8vz4gL``), password punctuation in it too.)
        (
            _FOREIGN_STRONG,
            reject_placeholder,
            rb"(?![\"'`]|\[REDACTED)(?P<s>[A-Za-z0-9+/_\-!#@%^&*?][A-Za-z0-9+/=_\-.~!#@%^&*?$]{3,4095}+)",
        ),
        (
            _FOREIGN_WEAK,
            _not_key_material,
            rb"(?![\"'`]|\[REDACTED)(?P<s>[A-Za-z0-9+/_\-][A-Za-z0-9+/=_\-.~]{7,4095}+)",
        ),
    )
)


def _not_a_cell_over_value(name: bytes, value: bytes, _spaced: bool) -> bool:
    """A name ending its line over its value alone on the next, indented line: the name must
    name a secret as a column header would (``tables.secret_column``: ``ClientSecret``,
    ``Access Token``, ``contraseña``, ``pat``; not ``commit``, ``private_key_id``) and the value
    look generated."""
    from enforcement_agent.redaction.tables import secret_column

    return not secret_column(name)[0] or _not_key_material(value)


# Twentieth pass: a name ending its line over its value alone on the next, indented line: YAML's
# plain scalar continued or ``gcloud``/``az``/``kubectl describe`` printing a long value under
# its name (``  client-secret:`` over ``    9Zt2…``), a row hard-wrapped before its last cell's
# value (``ledger  eu-west-1  Access Token`` over ``    9Zt2…``), other-language names too. The
# name starts its line or a cell (two blanks before it), a colon after it or not; the next line
# holds one token and nothing else (the key-name rules' ``_SEP`` reads no newline after a
# colon: ``secretStoreRef:`` over ``  name: x`` is a nested map). The name is judged as a
# column header (``private_key_id`` names an id), the value must look generated
# (``token:`` over ``  enabled`` or ``  ${TOKEN}`` stays). Found by the secret word (or name)
# ending its line over an indented run of 16 token characters.
_CELL_NAME_WORDS = (
    rb"(?:pass|secret|token|key|cred|auth|pwd|" + _FOREIGN_STRONG + b"|" + _FOREIGN_WEAK + rb")"
)
# (Twenty-second pass: an ``=`` ending the line, INI's ``api_key =`` over the value; a YAML comment
# after the colon, ``token: # rotated …`` over it, found by an expression of its own: as an
# optional part of this one it made hyperscan's scan of stack traces 40 times slower.)
_CELL_OVER_VALUE = (
    rb"(?:^|(?<=\n)|(?<=[ \t]{2})|(?<=\n[ \t]))(?P<g>[A-Za-z\x80-\xff][A-Za-z0-9_.\-\x80-\xff]{0,40}"
    rb"(?: [A-Za-z][A-Za-z0-9_]{1,20})?)[ \t]{0,8}(?:[:=][ \t]{0,4}(?:\#[^\r\n]{0,120})?)?[ \t]{0,4}\r?\n[ \t]{2,40}"
    rb"(?P<s>[A-Za-z0-9+/_][A-Za-z0-9+/=_\-.~]{15,4095}+)[ \t]{0,8}(?=\r?\n|\Z)"
)
_CELL_VALUE_LINE = rb"[A-Za-z0-9+/_][A-Za-z0-9+/=_\-.~]{15,}[ \t]{0,8}(?:\r?\n|$)"
TWENTIETH += (
    Detector(
        "kv-secret",
        "key-name",
        _CELL_OVER_VALUE,
        reject_pair=_not_a_cell_over_value,
        line_bound=False,
        prefilter=rb"(?i)"
        + _CELL_NAME_WORDS
        + rb"[A-Za-z0-9_.\-]{0,24}[ \t]{0,8}[:=]?[ \t]{0,4}\r?\n[ \t]{2,40}[A-Za-z0-9+/_]"
        # (the value alone on its line, as the pattern wants it: `password = var.db_password`
        # over `  skip_final_snapshot = true` is no hit; 1,167 of them per MB of configuration
        # made every one a 4 KiB confirmation, 18.7 → 2.7 MB/s on config_refs)
        + rb"[A-Za-z0-9+/=_\-.~]{15,}[ \t]{0,8}(?:\r?\n|$)",
        short_prefilter=True,
    ),
)
# Twenty-first pass: a name and its value apart by a separator that is not ASCII — a full-width
# colon or "=" (``API_TOKEN：…``, ``パスワード＝…``, as CJK input methods and localised tools
# write them), no-break, thin or ideographic spaces around an ASCII one (``token\u00a0=\u00a0…``,
# French typography's ``Mot de passe\u00a0: …``, a web page or a terminal copy). The rules above
# read ASCII blanks only. With a separator, a strong name masks any literal; with blanks alone
# (``secret\u3000…``) only key material counts, as after a bare credential word. Found by the
# name and the separator's non-ASCII bytes (rare: hyperscan skips to them).
_UNI_NB = rb"(?:\xc2\xa0|\xe2\x80[\x80-\x8a\xaf]|\xe3\x80\x80)"
_UNI_BLANK = rb"(?:[ \t]|" + _UNI_NB + rb")"
_UNI_SEP_CHAR = rb"(?:\xef\xbc[\x9a\x9d])"
_UNI_NAMES = (
    rb"(?i:[A-Za-z0-9_.\-]{0,24}(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[ _.\-]?key|"
    rb"access[ _.\-]?key|private[ _.\-]?key|credentials?|bearer)[0-9]{0,3})|" + _FOREIGN_STRONG
)
_UNI_VALUE = (
    rb"(?![\"'`]|\[REDACTED)(?P<s>[A-Za-z0-9+/_\-][A-Za-z0-9+/=_\-.~]{7,4095}+)"
    rb"(?![A-Za-z0-9+/=_\-.~])"
)
_UNI_WITH_SEP = (
    rb"(?:[ \t]{0,4}" + _UNI_SEP_CHAR + _UNI_BLANK + rb"{0,4}"
    rb"|"
    + _UNI_BLANK
    + rb"{0,4}"
    + _UNI_NB
    + _UNI_BLANK
    + rb"{0,3}(?:[:=]|"
    + _UNI_SEP_CHAR
    + rb")"
    + _UNI_BLANK
    + rb"{0,4}"
    rb"|[ \t]{0,4}[:=]" + _UNI_NB + _UNI_BLANK + rb"{0,3})"
)
_UNI_BLANKS_ONLY = rb"[ \t]{0,3}" + _UNI_NB + _UNI_BLANK + rb"{0,3}"
# (Scanned as one expression per separator byte sequence, each holding two fixed bytes so
# hyperscan's literal matcher skips to them: as one expression led by the names, the
# detectors went to the database that reads every byte.)
_UNI_SCANS = tuple(
    rb"(?:" + _UNI_NAMES + rb")[ \t]{0,4}" + lead
    for lead in (
        rb"\xef\xbc[\x9a\x9d]",
        rb"[:=]?[ \t]{0,4}\xc2\xa0",
        rb"[:=]?[ \t]{0,4}\xe2\x80[\x80-\x8a\xaf]",
        rb"[:=]?[ \t]{0,4}\xe3\x80\x80",
    )
)
TWENTYFIRST: tuple[Detector, ...] = tuple(
    Detector(
        "kv-secret",
        "key-name",
        rb"(?<![A-Za-z0-9_.\-/\x80-\xff])(?P<k>" + _UNI_NAMES + rb")" + sep + _UNI_VALUE,
        reject=reject,
        line_bound=True,
        prefilter=_UNI_SCANS[0],
        also_scan=_UNI_SCANS[1:],
        short_prefilter=True,
        side=True,
    )
    for sep, reject in ((_UNI_WITH_SEP, reject_placeholder), (_UNI_BLANKS_ONLY, _not_key_material))
)
# Twenty-first pass: GitHub Actions' workflow command ``::add-mask::<value>`` names what follows
# it a secret (a step printing it, ``echo "::add-mask::$TOKEN"``, run outside Actions or with
# ``ACTIONS_STEP_DEBUG``, shows the value): the rest of the line, any literal (``***``,
# ``${{ secrets.X }}``, ``$TOKEN`` are no value).
TWENTYFIRST += (
    Detector(
        "kv-secret",
        "key-name",
        rb"::add-mask::[ \t]{0,4}(?P<s>[^\s\x1b\"'][^\r\n\x1b]{0,4095}?)[ \t]{0,8}[\"']?[ \t]{0,8}(?=\r?\n|\x1b|\Z)",
        reject=reject_placeholder,
        line_bound=True,
        prefilter=rb"::add-mask::",
        short_prefilter=True,
    ),
)
# Twenty-second pass (issue 18, ctx22): secrets that tools and languages print with their names
# in shapes the rules above do not read (each found by a rare literal or the name's own words).
_KW_LEAD = rb"(?i)" + _KEYWORDS + rb"[A-Za-z0-9_.\-]{0,24}"
# A prompt, then a command that prints one secret (``vault kv get -field=password …``, ``op
# read``, ``gcloud secrets versions access``, ``aws secretsmanager get-secret-value … --query
# SecretString``, ``kubectl get secret … -o jsonpath='{.data.token}'``, ``az keyvault secret
# show … -o tsv``, ``doppler secrets get … --plain``; or one naming a secret it prints:
# ``printenv GITHUB_TOKEN``, ``echo $API_TOKEN``, ``heroku config:get DB_PASSWORD``, ``terraform
# output -raw db_password``, ``cat ~/.secrets/deploy_token``), then the value alone on the next
# line (or glued to the next prompt, as ``jsonpath`` prints no newline). Any literal of 8 or more
# characters there is the secret (placeholders, ``****``, kept).
_PROMPT = rb"(?:[$#%>+]|\xe2\x9d\xaf)[ \t]{1,2}"
_FETCHERS = (
    rb"vault[ \t]{1,8}(?:kv[ \t]{1,8})?(?:get|read)[ \t]",
    rb"op[ \t]{1,8}read[ \t]",
    rb"gcloud[ \t]{1,8}secrets[ \t]{1,8}versions[ \t]{1,8}access[ \t]",
    rb"aws[ \t]{1,8}secretsmanager[ \t]{1,8}get-secret-value[ \t]",
    rb"kubectl[ \t]{1,8}get[ \t]{1,8}secrets?[ \t]",
    rb"az[ \t]{1,8}keyvault[ \t]{1,8}secret[ \t]{1,8}show[ \t]",
    rb"doppler[ \t]{1,8}secrets[ \t]{1,8}get[ \t]",
    rb"(?:heroku[ \t]{1,8}config:get|terraform[ \t]{1,8}output[ \t]{1,8}-raw|pulumi[ \t]{1,8}config[ \t]{1,8}get|"
    rb"printenv)[ \t]",
    rb"echo[ \t]{1,8}\"?\$\{?[A-Za-z_]",
    # (``pass`` after a prompt only: "tests pass and …" is prose.)
    rb"[$%>#][ \t]{1,2}pass[ \t]{1,8}(?:show[ \t]{1,8})?[A-Za-z0-9_]|"
    rb"(?:bw[ \t]{1,8}get[ \t]{1,8}password|gopass[ \t]{1,8}show|"
    rb"lpass[ \t]{1,8}show|security[ \t]{1,8}find-(?:generic|internet)-password|secret-tool[ \t]{1,8}lookup|"
    rb"keyring[ \t]{1,8}get|chamber[ \t]{1,8}read|berglas[ \t]{1,8}access|conjur[ \t]{1,8}variable[ \t]{1,8}value|"
    rb"aws[ \t]{1,8}ssm[ \t]{1,8}get-parameters?[ \t]|infisical[ \t]{1,8}secrets[ \t]{1,8}get|"
    rb"akeyless[ \t]{1,8}get-secret-value)",
    # (Thirtieth pass: commands that print an access token.)
    rb"gcloud[ \t]{1,8}auth[ \t]{1,8}print-(?:access|identity)-token|"
    rb"az[ \t]{1,8}account[ \t]{1,8}get-access-token[ \t]|gh[ \t]{1,8}auth[ \t]{1,8}token",
)
_FETCH_REST = (
    rb"(?:vault[ \t]{1,8}(?:kv[ \t]{1,8})?(?:get|read)[ \t][^\r\n]{0,200}?-field[= ]"
    rb"|op[ \t]{1,8}read[ \t]"
    rb"|gcloud[ \t]{1,8}secrets[ \t]{1,8}versions[ \t]{1,8}access[ \t]"
    rb"|aws[ \t]{1,8}secretsmanager[ \t]{1,8}get-secret-value[ \t][^\r\n]{0,300}?SecretString"
    rb"|kubectl[ \t]{1,8}get[ \t]{1,8}secrets?[ \t][^\r\n]{0,200}?jsonpath=[^\r\n]{0,100}?\.data\b"
    rb"|az[ \t]{1,8}keyvault[ \t]{1,8}secret[ \t]{1,8}show[ \t][^\r\n]{0,300}?(?:--query[ \t]{1,8}[\"']?value|"
    rb"-o[ \t]{1,8}tsv|--output[ \t]{1,8}tsv)"
    rb"|doppler[ \t]{1,8}secrets[ \t]{1,8}get[ \t][^\r\n]{0,200}?--plain"
    rb"|kubectl[ \t]{1,8}get[ \t]{1,8}secrets?[ \t][^\r\n]{0,200}?go-template=[^\r\n]{0,100}?\.data\b"
    rb"|bw[ \t]{1,8}get[ \t]{1,8}password[ \t]|gopass[ \t]{1,8}show[ \t]|pass[ \t]{1,8}(?:show[ \t]{1,8})?[A-Za-z0-9_]"
    rb"|lpass[ \t]{1,8}show[ \t][^\r\n]{0,200}?--password"
    rb"|security[ \t]{1,8}find-(?:generic|internet)-password[ \t][^\r\n]{0,200}?[ \t]-w\b"
    rb"|secret-tool[ \t]{1,8}lookup[ \t]|keyring[ \t]{1,8}get[ \t]|chamber[ \t]{1,8}read[ \t]"
    rb"|berglas[ \t]{1,8}access[ \t]|conjur[ \t]{1,8}variable[ \t]{1,8}value[ \t]"
    rb"|aws[ \t]{1,8}ssm[ \t]{1,8}get-parameters?[ \t][^\r\n]{0,300}?--with-decryption"
    rb"|infisical[ \t]{1,8}secrets[ \t]{1,8}get[ \t][^\r\n]{0,200}?--plain"
    rb"|akeyless[ \t]{1,8}get-secret-value[ \t]"
    rb"|gcloud[ \t]{1,8}auth[ \t]{1,8}print-(?:access|identity)-token"
    rb"|az[ \t]{1,8}account[ \t]{1,8}get-access-token[ \t][^\r\n]{0,200}?(?:-o[ \t]{1,8}tsv|--output[ \t]{1,8}tsv)"
    rb"|gh[ \t]{1,8}auth[ \t]{1,8}token"
    rb"|(?:(?:heroku[ \t]{1,8}config:get|terraform[ \t]{1,8}output[ \t]{1,8}-raw|pulumi[ \t]{1,8}config[ \t]{1,8}get|"
    # (Thirtieth pass: run in a container or on a host: ``fly ssh console -C 'printenv X'``,
    # ``kubectl exec pod -- printenv X``, ``docker exec web printenv X``, ``ssh host printenv X``.)
    rb"(?:(?:fly[ \t]{1,8}ssh[ \t]{1,8}console|kubectl[ \t]{1,8}exec|docker[ \t]{1,8}(?:compose[ \t]{1,8})?exec|"
    rb"ssh)[ \t][^\r\n|;&]{0,160}?[ \t'\"])?printenv)[ \t]|echo[ \t]{1,8}\"?\$\{?)[^\r\n|;&]{0,120}?"
    rb"(?i:pass|secret|token|api[_.\-]?key|cred|pwd|private[_.\-]?key))"
)
# (Thirtieth pass: a remote shell's banner between the command and its answer: ``fly ssh console
# -C``'s ``Connecting to …``, ssh's ``Warning: Permanently added …``, kubectl's ``Defaulted
# container …``.)
_BANNER = (
    rb"(?:(?:Connecting to |Warning: Permanently added |Defaulted container |Unable to use a TTY)"
    rb"[^\r\n]{0,200}\r?\n)?"
)
_VALUE_LINE = (
    rb"[^\r\n]{0,300}\r?\n"
    + _BANNER
    + rb"(?![\"'`<]|\[REDACTED)(?P<s>[^\s\x1b]{8,4096}?)"
    # (the value ends its line, or the next prompt follows it: ``…$ ``, ``dev@box:~/app$ ``,
    # zsh's ``%`` marking a missing newline)
    + rb"(?=[ \t]{0,8}(?:\r?\n|\Z)|(?:\([A-Za-z0-9_.\-]{1,32}\)[ \t])?"
    + rb"(?:[A-Za-z0-9_.\-]{1,32}@[A-Za-z0-9_.\-]{1,64}:[^\s]{0,80})?[$%#](?:[ \t]|\r?\n|\Z)"
    + rb"|PS[ \t][A-Za-z]:\\[^\s>]{0,80}>)"
)
_CMD_VALUE = _PROMPT + _FETCH_REST + _VALUE_LINE
# ``cat`` of a file named for a secret (``cat ~/.secrets/deploy_token``): what the file holds is
# anything (``cat ~/.pgpass`` prints its lines), so generated-looking values only.
_CAT_VALUE = (
    _PROMPT
    + rb"cat[ \t][^\r\n|;&]{0,120}?(?i:pass|secret|token|api[_.\-]?key|cred|pwd|"
    + rb"private[_.\-]?key)"
    + _VALUE_LINE
)
# Any command naming a secret (``$ openssl rand -base64 32 | tee api_token``, ``$ ./rotate
# --print-new-secret``), then one line holding a single generated-looking token that is not hex
# alone (a commit id printed by ``git log --grep=token`` is hex, a UUID hex and dashes).
_WORD_CMD_VALUE = (
    _PROMPT
    + rb"[^\r\n]{0,300}?(?i:pass(?:word|wd|phrase)?|secret|token|api[_.\-]?key|cred|pwd|"
    + rb"private[_.\-]?key)[^\r\n]{0,300}\r?\n"
    + _BANNER
    + rb"(?P<s>[A-Za-z0-9+/=_\-.~]{16,4096}?)"
    + rb"(?=[ \t]{0,8}(?:\r?\n|\Z)|(?:\([A-Za-z0-9_.\-]{1,32}\)[ \t])?"
    + rb"(?:[A-Za-z0-9_.\-]{1,32}@[A-Za-z0-9_.\-]{1,64}:[^\s]{0,80})?[$%#](?:[ \t]|\r?\n|\Z)"
    + rb"|PS[ \t][A-Za-z]:\\[^\s>]{0,80}>)"
)


def _not_generated_or_hex(value: bytes) -> bool:
    return _not_key_material(value) or _all_hex(value)  # (hex and dashes: an id, a UUID)


# Shell history and CI echo lines with the value as a tool's password flag: ``mysql -p<pw>``
# (glued), ``redis-cli -a <pw>``, ``sshpass -p <pw>``, ``docker login -p <pw>``, ``curl -u
# user:<pw>``, ``openssl … -passin pass:<pw>``, ``htpasswd -b file user <pw>``, and a here-string
# fed to a command naming a token or password (``gh auth login --with-token <<< <token>``).
_FLAG_VALUE = rb"[\"']?(?![\"'$`%{<]|\[REDACTED)(?P<s>[^\s\"'`]{4,255})"
_FLAGS: tuple[tuple[bytes, bytes], ...] = (
    (
        rb"(?<![A-Za-z0-9_\-])(?:mysql|mysqldump|mysqladmin|mariadb)[ \t][^\r\n]{0,200}?[ \t]-p"
        rb"(?![\"'$`%{<\-]|\[REDACTED)(?P<s>[^\s\"'`]{4,255})",
        rb"(?:mysql|mysqldump|mysqladmin|mariadb)[ \t][^\r\n]{0,200}[ \t]-p[^\s\"'`$\-]",
    ),
    (
        rb"(?<![A-Za-z0-9_\-])redis-cli[ \t][^\r\n]{0,200}?[ \t](?:-a|--pass)[ \t]{1,8}"
        + _FLAG_VALUE,
        rb"redis-cli[ \t][^\r\n]{0,200}[ \t](?:-a|--pass)[ \t]",
    ),
    (rb"(?<![A-Za-z0-9_\-])sshpass[ \t]{1,8}-p[ \t]{0,8}" + _FLAG_VALUE, rb"sshpass[ \t]{1,8}-p"),
    (
        rb"(?<![A-Za-z0-9_\-])docker[ \t]{1,8}login[ \t][^\r\n]{0,200}?[ \t](?:-p|--password)[ \t=]{1,8}"
        + _FLAG_VALUE,
        rb"docker[ \t]{1,8}login[ \t][^\r\n]{0,200}[ \t](?:-p|--password)[ \t=]",
    ),
    (
        rb"(?<![A-Za-z0-9_\-])(?:curl|wget|http|https)[ \t][^\r\n]{0,300}?[ \t](?:-u|--user)[ \t=]{1,8}"
        rb"[\"']?[^\s:\"'$]{1,64}:(?![\"'$`%{<]|\[REDACTED)(?P<s>[^\s\"'`@]{4,255})",
        rb"(?:curl|wget|http|https)[ \t][^\r\n]{0,300}[ \t](?:-u|--user)[ \t=]{1,8}[\"']?[^\s:\"'$]{1,64}:"
        rb"[^\s\"'`@$%{<]",
    ),
    (rb"-pass(?:in|out)[ \t]{1,8}pass:" + _FLAG_VALUE, rb"-pass(?:in|out)[ \t]{1,8}pass:"),
    (
        rb"(?<![A-Za-z0-9_\-])htpasswd[ \t]{1,8}-[A-Za-z]{0,8}b[A-Za-z]{0,8}[ \t]{1,8}[^\s]{1,256}[ \t]{1,8}[^\s]{1,256}[ \t]{1,8}"
        + _FLAG_VALUE,
        rb"htpasswd[ \t]{1,8}-[A-Za-z]*b",
    ),
)
# ``<<<`` feeding a command that names a token or password (``gh auth login --with-token <<<
# …``): found by the rare ``<<<``, the command's words read on the line before it.
_HERE_STRING = rb"<<<[ \t]{0,8}" + _FLAG_VALUE
_NAMES_A_SECRET_BEFORE = lazy_compile(rb"(?i)token|pass(?:word)?|secret|api[_\-]?key")


def _no_secret_word_before(text: bytes, start: int, _end: int) -> bool:
    line_start = text.rfind(b"\n", max(0, start - 200), start) + 1
    here = text.rfind(b"<<<", line_start, start)
    if here >= 0 and line_start == 0 and type(text) is bytes:
        # (Thirteenth speed pass: the search from the text's start, on a line longer than 200
        # bytes, finds a word iff the least end of a match in the text is at most ``here``.)
        return _least_match_end(_NAMES_A_SECRET_BEFORE, text) > here
    return here < 0 or _NAMES_A_SECRET_BEFORE.search(text, line_start, here) is None


# Thirteenth speed pass: for the text last asked about (by identity, as ``_COOKIE_LEAST``: one
# text held), the answers the line-start rules above need when a line is longer than their
# window and they would read from the text's start at every hit.
_FIRST_INDEX: list[tuple[bytes, bytes, int]] = []
_LEAST_END: list[tuple[re.Pattern[bytes], bytes, int]] = []


def _first_index(text: bytes, needle: bytes) -> int:
    """Where ``needle`` first occurs in ``text`` (``len(text) + 1``: nowhere)."""
    for known, n, at in _FIRST_INDEX:
        if known is text and n == needle:
            return at
    at = text.find(needle)
    if at < 0:
        at = len(text) + 1
    _FIRST_INDEX[:] = [(text, needle, at)]
    return at


def _least_match_end(pattern: re.Pattern[bytes], text: bytes) -> int:
    """The least ``e`` for which ``pattern.search(text, 0, e)`` finds a match (``len(text) +
    1``: none), for a pattern that reads nothing past a match (no lookaround, ``$`` or ``\\b``):
    a match within ``text[:e]`` then is one of ``text``. No match starts before the leftmost
    one's start, so the least end is at most the leftmost match's end, and found among the
    ends up to it by searching from its start."""
    for p, known, least in _LEAST_END:
        if known is text and p is pattern:
            return least
    m = pattern.search(text)
    if m is None:
        least = len(text) + 1
    else:
        least = m.end()
        for e in range(m.start() + 1, m.end()):
            if pattern.search(text, m.start(), e) is not None:
                least = e
                break
    _LEAST_END[:] = [(pattern, text, least)]
    return least


# Rust's ``{:?}``/``{:#?}`` of an optional or wrapped secret: ``api_key: Some("…")``,
# ``password: Secret(`` over the quoted value on its own line (``{:#?}`` prints the wrapper's
# content on the next line).
_WRAPPED = (
    _KEY
    + rb"[\"']?[ \t]{0,4}:[ \t]{0,4}[A-Za-z][A-Za-z0-9]{1,30}\(\s{0,40}b?\"(?!\[REDACTED)"
    + rb"(?P<s>[^\"\n\\]{1,512})\""
)
# YAML: an anchor or a core tag between a secret's name and its value (``password: &pw …``,
# ``token: !!str …``, ``key: !!binary …``); ``*pw`` is an alias, no value (placeholders).
_YAML_DECORATED = (
    _KEY
    + rb"[\"']?[ \t]{0,4}:[ \t]{1,8}(?:(?:&[A-Za-z0-9_\-]{1,40}|!!(?:str|binary))[ \t]{1,4}){1,2}"
    + rb"(?![\"'`*&!|>]|\[REDACTED)(?P<s>[^\s\"'#][^\s#]{0,255})"
)
# YAML's complex key: ``? api_token`` over ``: <value>``.
_YAML_COMPLEX = (
    rb"(?i)\?[ \t]{1,4}[\"']?(?P<k>[A-Za-z0-9_.\-]{0,40}?"
    + _KEYWORDS
    + rb")[0-9]{0,3}[\"']?[ \t]{0,8}\r?\n[ \t]{0,40}:[ \t]{1,8}(?![\"'`*&!|>\[]|\[REDACTED)"
    + rb"(?P<s>[^\s\"'#][^\s#]{0,255})"
)
# TOML's multi-line string: ``password = """`` over the value, closed by ``"""``.
_TOML_MULTI = (
    _KEY
    + rb"[\"']?[ \t]{0,8}=[ \t]{0,8}(?:\"\"\"|''')\\?\r?\n(?![\"'`]|\[REDACTED)"
    + rb"(?P<s>[^\s\"'][^\r\n\"']{0,4095}?(?=[ \t]{0,8}\r?\n?(?:\"\"\"|'''))"
    # (Twenty-fourth pass: or one unbroken token alone on the line after the opener, closed or
    # not yet: a stream releases that line before the closing quotes arrive.)
    + rb"|[^\s\"']{8,4096}(?=[ \t]{0,8}(?:\r?\n|\Z)))"
)
# A ``.properties`` value continued with a backslash: the rest on the next line (the name's
# rules mask the first part).
_PROPS_CONTINUED = (
    _KEY
    + rb"[ \t]{0,8}[:=][ \t]{0,8}[^\s\\]{1,255}\\\r?\n[ \t]{0,40}(?!\[REDACTED)"
    + rb"(?P<s>[^\s\\][^\s\\]{0,255})"
)
_CONTINUED_FROM = lazy_compile(rb"[:=][ \t]{0,8}([^\s\\]{1,255})\\\r?\n[ \t]{0,40}$")


def _continued_slot(text: bytes, start: int, end: int) -> bool:
    """The value's two parts read as one are a placeholder (``${DB_PA\\`` over ``SSWORD}``)."""
    m = _CONTINUED_FROM.search(text, max(0, start - 320), start)
    if m is None:
        return False
    joined = m.group(1) + text[start:end]
    return reject_placeholder(joined) or not_a_literal_secret(joined)


# A name in one member, the value in another: a flow map (``{name: API_KEY, value: …}``), Go's
# ``{Name:TOKEN Value:…}``, CloudFormation's ``"ParameterKey": "DbPassword"`` then
# ``"ParameterValue": "…"`` (a member name ending in ``value``), unquoted values too.
# (Members apart by a comma or blanks on one line: YAML's ``- name: X`` over ``value: …`` is the
# eighteenth pass's rule, and read here it cost configuration half its speed.)
_MEMBER_SEP = rb"(?:[ \t]{0,4},\s{0,40}|[ \t]{1,4})"
_MEMBER_PAIR = (
    rb"(?i)(?:key|name)[\"']?[ \t]{0,2}[=:][ \t]{0,2}\\?[\"']?(?P<k>[A-Za-z0-9_.\-/]{0,60}?"
    + _KEYWORDS
    + rb")[0-9]{0,3}\\?[\"']?"
    + _MEMBER_SEP
    + rb"(?:[\"']?[A-Za-z_]{1,24}[\"']?[ \t]{0,2}:[ \t]{0,2}(?:\"[^\"\n]{0,80}\"|[A-Za-z0-9_.\-]{1,40})"
    + _MEMBER_SEP
    + rb"){0,3}"
    + rb"[\"']?[A-Za-z]{0,20}value[\"']?[ \t]{0,2}[=:][ \t]{0,2}\\?[\"']?(?![\[{]|\[REDACTED)"
    + rb"(?P<s>[^\"'\s\\,}\]][^\"'\s\\,}\]]{0,511})"
)
# A launchd plist's ``<key>API_TOKEN</key>`` over ``<string>…</string>``.
_PLIST = (
    rb"(?i)<key>[ \t]{0,8}(?P<k>[A-Za-z0-9_.\-]{0,60}?"
    + _KEYWORDS
    + rb")[0-9]{0,3}[ \t]{0,8}</key>\s{0,80}<string>(?!\[REDACTED)(?P<s>[^<\r\n]{1,512})</string>"
)
# A key-value store's path ending in a secret's name, the value after ``:`` (``consul kv get
# -recurse``) or alone on the next line (``etcdctl get --prefix``): generated-looking only.
_STORE_PATH_VALUE = (
    rb"(?i)/(?P<k>[A-Za-z0-9_.\-]{0,40}?"
    + _KEYWORDS
    + rb")[0-9]{0,3}(?::|[ \t]{0,8}\r?\n)(?P<s>[A-Za-z0-9+/=_\-.~]{8,4096})(?=[ \t]{0,8}(?:\r?\n|\Z))"
)
# (Twenty-seventh pass: ``SECRET_KEY_FILE=/run/secrets/key`` over ``SENTRY_RELEASE=<hex>`` in an
# ``env`` dump: the line below a path ending in a secret's name is the next assignment, not the
# value. A value holds ``=`` at its end only, as base64's padding.)
_ASSIGNMENT = lazy_compile(rb"[A-Za-z_][A-Za-z0-9_.\-]{0,80}=[^=]")


def _not_a_store_value(value: bytes) -> bool:
    return _ASSIGNMENT.match(value) is not None or _not_key_material(value)


# A cookie header's later pairs (``Cookie: _ga=…; _gh_sess=<value>; theme=dark``: the key-name
# rules take the first pair as ``cookie``'s value) and Netscape ``cookies.txt`` rows (the name
# in the sixth column, the value in the seventh): a session's or secret's name, or key material.
_COOKIE_LATER = (
    rb";[ \t]{0,4}(?P<g>[A-Za-z0-9_.\-]{1,60})=(?![\"']|\[REDACTED)"
    rb"(?P<s>[A-Za-z0-9+/=_\-.~%:]{16,4096})"
)
_COOKIE_LINE = lazy_compile(
    rb"(?i)(?:^|[\s>'\"])(?:set-)?cookie[ \t]{0,8}[:=]|--cookie[ \t=]|(?:^|[ \t])-b[ \t]{1,8}[\"']"
)


def _not_in_cookie_line(text: bytes, start: int, _end: int) -> bool:
    nl = text.rfind(b"\n", max(0, start - 4096), start)
    if nl < 0 and start > 4096 and type(text) is bytes:
        # (Twelfth speed pass: no line end in the 4 KiB before, so the search runs from the
        # text's start, the same answer as before but once per text: on 1 MiB buffers of
        # minified code, ``gonogo redact``'s reads, each such hit searched up to a megabyte.)
        return start < _cookie_line_least_end(text)
    return _COOKIE_LINE.search(text, nl + 1, start) is None


# The text last asked about and the least ``e`` for which ``_COOKIE_LINE.search(text, 0, e)``
# finds a match (``len(text) + 1``: none): the least end of a match, as the search's answer only
# grows with ``e`` (the pattern reads nothing past a match: no lookahead, ``$`` or word
# boundary). Every match holds ``cookie`` (at most 5 bytes after its start and 15 before its
# end) or ``-b`` after a blank or at the text's start (1 and 11), in any case: only the places
# around those are searched (the pattern, caseless and led by a class, is searched at about
# 280 ns a byte: a quarter of a second per megabyte).
_COOKIE_LEAST: list[tuple[bytes, int]] = []
_COOKIE_HELD = ((b"cookie", 5, 16), (b"-b", 1, 12))


def _cookie_line_least_end(text: bytes) -> int:
    last = _COOKIE_LEAST[-1] if _COOKIE_LEAST else None
    if last is not None and last[0] is text:
        return last[1]
    lowered = text.lower()
    least = len(text) + 1
    for word, back, ahead in _COOKIE_HELD:
        i = lowered.find(word)
        while 0 <= i and i - back < least:
            if word == b"-b" and i > 0 and lowered[i - 1] not in b" \t":
                i = lowered.find(word, i + 1)
                continue
            lo, hi = max(0, i - back), min(len(text), i + ahead, least - 1)
            if lo < hi and _COOKIE_LINE.search(text, lo, hi) is not None:
                while lo < hi:  # the least end of a match from ``lo`` on
                    mid = (lo + hi) // 2
                    if _COOKIE_LINE.search(text, max(0, i - back), mid) is None:
                        lo = mid + 1
                    else:
                        hi = mid
                least = hi
            i = lowered.find(word, i + 1)
    _COOKIE_LEAST[:] = [(text, least)]
    return least


def _not_a_secret_cookie(name: bytes, value: bytes, _spaced: bool) -> bool:
    if _COOKIE_SECRET_NAME.search(name):
        return reject_placeholder(value)
    return not word_model.key_material(value)


# ``aws … --output text``: a record's type, then the name and value cells, tab-separated
# (``PARAMETERS<TAB>DbPassword<TAB>…``): the last cell under a name naming a secret, generated-
# looking only.
_TAB_NAME_VALUE = (
    rb"(?i)\t(?P<k>[A-Za-z0-9_.\-]{0,40}?"
    + _KEYWORDS
    + rb")[0-9]{0,3}\t(?![\"']|\[REDACTED)(?P<s>[^\t\r\n]{8,4096})(?=\r?\n|\Z)"
)
# ADO.NET's braces around a value holding its separators (``Password={…};``).
_BRACED_PASSWORD = (
    rb"(?i)(?<![A-Za-z0-9_.\-])(?:password|pwd)[ \t]{0,2}=[ \t]{0,2}\{(?!\[REDACTED)"
    rb"(?P<s>[^{}\r\n]{1,256})\}"
)
# 40 hex digits (a classic GitHub or Azure DevOps token, a generated credential) under a name
# ending in ``_PAT`` or ``_CREDS`` (``DOCKERHUB_PAT='…'``, ``APP_CREDS="…"``): weak words alone, where
# the generic rules read hex glued to its name as an id; generated-looking values only.
_PAT_CREDS = (
    rb"(?i)(?<=[A-Za-z0-9])[_\-.](?:pat|creds?)(?![A-Za-z0-9])[\"']?[ \t]{0,4}[:=][ \t]{0,4}[\"']?"
    rb"(?![\"']|\[REDACTED)(?P<s>[A-Za-z0-9+/=_\-.~]{16,4096})(?![A-Za-z0-9+/=_\-.~])"
)
# A listing whose rows open with their own name and end with their value, tab-separated past
# the first column (``chamber list -e``: ``Key  Version<TAB>LastModified<TAB><TAB>User<TAB><TAB>
# Value`` over ``db_password  7<TAB>2026-…<TAB>ci-bot<TAB><TAB>…``): the last cell under a row
# named for a secret, generated-looking only.
_NAMED_ROW_LAST = (
    rb"(?i)(?:^|(?<=\n))(?P<k>[A-Za-z0-9_.\-]{0,40}?"
    + _KEYWORDS
    + rb")[0-9]{0,3}(?: {2,40}|\t)[^\r\n]{0,300}\t(?![\"']|\[REDACTED)(?P<s>[^\s\"']{16,4096})"
    + rb"[ \t]{0,8}(?=\r?\n|\Z)"
)
_COOKIE_JAR = (
    rb"\t(?:TRUE|FALSE)\t[0-9]{1,12}\t(?P<g>[^\t\r\n]{1,256})\t(?![\"']|\[REDACTED)"
    rb"(?P<s>[^\t\r\n]{8,4096})"
)


def _d22(
    pattern: bytes,
    prefilter: bytes,
    *,
    reject: Callable[[bytes], bool] | None = reject_placeholder,
    line_bound: bool = False,
    reject_pair: Callable[[bytes, bytes, bool], bool] | None = None,
    reject_at: Callable[[bytes, int, int], bool] | None = None,
) -> Detector:
    return Detector(
        "kv-secret",
        "key-name",
        pattern,
        reject=reject,
        line_bound=line_bound,
        prefilter=prefilter,
        short_prefilter=True,
        reject_pair=reject_pair,
        reject_at=reject_at,
    )


TWENTYSECOND: tuple[Detector, ...] = (
    Detector(
        "kv-secret",
        "key-name",
        _CELL_OVER_VALUE,
        reject_pair=_not_a_cell_over_value,
        prefilter=rb"(?i)"
        + _CELL_NAME_WORDS
        + rb"[A-Za-z0-9_.\-]{0,24}[ \t]{0,8}:[ \t]{1,4}\#[^\r\n]{0,120}\r?\n[ \t]{2,40}"
        + _CELL_VALUE_LINE,
        short_prefilter=True,
    ),
    # (Prefilters led by the command's words, not by the prompt: a prompt's one character and a
    # blank, ``# ``, ``+ ``, ``> ``, open a line of code or a quote everywhere.)
    _d22(_CMD_VALUE, rb"(?:" + b"|".join(_FETCHERS) + rb")"),
    _d22(
        _CAT_VALUE,
        rb"cat[ \t][^\r\n|;&]{0,120}(?i:pass|secret|token|api[_.\-]?key|cred|pwd|private[_.\-]?key)"
        + rb"[^\r\n]{0,300}\r?\n[^\s\x1b\"'`<]",
        reject=_not_key_material,
    ),
    _d22(
        _WORD_CMD_VALUE,
        # (led by the prompt too: without it every `PASSED` line over a path, as pytest prints
        # them, was a window to confirm, and the pytest class ran three times slower)
        _PROMPT
        + rb"[^\r\n]{0,300}(?i:pass|secret|token|api[_.\-]?key|cred|pwd|private[_.\-]?key)"
        + rb"[^\r\n]{0,300}\r?\n"
        + _BANNER
        + rb"[A-Za-z0-9+/=_\-.~]{16}",
        reject=_not_generated_or_hex,
    ),
    *(_d22(p, f, line_bound=True) for p, f in _FLAGS),
    _d22(_HERE_STRING, rb"<<<", line_bound=True, reject_at=_no_secret_word_before),
    _d22(
        _WRAPPED,
        _KW_LEAD + rb"[\"']?[ \t]{0,4}:[ \t]{0,4}[A-Za-z][A-Za-z0-9]{1,30}\(\s{0,40}b?\"",
    ),
    _d22(
        _YAML_DECORATED,
        _KW_LEAD + rb"[\"']?[ \t]{0,4}:[ \t]{1,8}(?:&[A-Za-z0-9_\-]|!!(?:str|binary))",
        line_bound=True,
    ),
    _d22(_YAML_COMPLEX, rb"(?i)\?[ \t]{1,4}[\"']?[A-Za-z0-9_.\-]{0,40}" + _KEYWORDS),
    _d22(_TOML_MULTI, _KW_LEAD + rb"[\"']?[ \t]{0,8}=[ \t]{0,8}(?:\"\"\"|''')"),
    _d22(
        _PROPS_CONTINUED,
        _KW_LEAD + rb"[ \t]{0,8}[:=][ \t]{0,8}[^\s\\]{1,255}\\\r?\n",
        reject_at=_continued_slot,
    ),
    _d22(
        _MEMBER_PAIR,
        # (The whole pair up to the value member's separator: from the name alone, hyperscan read
        # every ``name: DB_PASSWORD`` of a configuration, 2,000 hits per MB of ``config_refs``.)
        rb"(?i)(?:key|name)[\"']?[ \t]{0,2}[=:][ \t]{0,2}\\?[\"']?[A-Za-z0-9_.\-/]{0,60}"
        + _KEYWORDS
        + rb"[0-9]{0,3}\\?[\"']?"
        + _MEMBER_SEP
        + rb"[^{}\[\]]{0,200}value[\"']?[ \t]{0,2}[=:]",
    ),
    _d22(_PLIST, rb"(?i)<key>[ \t]{0,8}[A-Za-z0-9_.\-]{0,60}" + _KEYWORDS),
    _d22(
        _STORE_PATH_VALUE,
        rb"(?i)/[A-Za-z0-9_.\-]{0,40}"
        + _KEYWORDS
        + rb"[0-9]{0,3}(?::|[ \t]{0,8}\r?\n)[A-Za-z0-9+/=_\-.~]{8}",
        reject=_not_a_store_value,
    ),
    _d22(
        _COOKIE_LATER,
        rb";[ \t]{0,4}[A-Za-z0-9_.\-]{1,60}=[A-Za-z0-9+/=_\-.~%:]{16}",
        reject=None,
        line_bound=True,
        reject_pair=_not_a_secret_cookie,
        reject_at=_not_in_cookie_line,
    ),
    _d22(
        _TAB_NAME_VALUE,
        rb"(?i)\t[A-Za-z0-9_.\-]{0,40}" + _KEYWORDS + rb"[0-9]{0,3}\t[^\t\r\n]{8}",
        reject=_not_key_material,
        line_bound=True,
    ),
    _d22(
        _BRACED_PASSWORD,
        rb"(?i)(?:password|pwd)[ \t]{0,2}=[ \t]{0,2}\{[^{}\r\n]",
        line_bound=True,
    ),
    _d22(
        _PAT_CREDS,
        rb"(?i)[_\-.](?:pat|creds?)[\"']?[ \t]{0,4}[:=][ \t]{0,4}[\"']?[A-Za-z0-9+/=_\-.~]{16}",
        reject=_not_key_material,
        line_bound=True,
    ),
    _d22(
        _NAMED_ROW_LAST,
        rb"(?i)(?:^|\n)[A-Za-z0-9_.\-]{0,40}" + _KEYWORDS + rb"[0-9]{0,3}(?:  |\t)",
        reject=_not_key_material,
        line_bound=True,
    ),
    _d22(
        _COOKIE_JAR,
        rb"\t(?:TRUE|FALSE)\t[0-9]{1,12}\t",
        reject=None,
        line_bound=True,
        reject_pair=_not_a_secret_cookie,
    ),
)

# Twenty-third pass: a literal inside a shell substitution or a parameter's default under a
# secret's name (``export KUBE_TOKEN=$(echo <key>)``, ``X="$(printf '%s' '<key>')"``,
# `` X=`echo <key>` ``, ``$(echo <b64> | base64 -d)``, ``${API_TOKEN:-<key>}``, ``: "${X:=<key>}"``):
# the key-word anchor takes no value opening with ``$(`` or ``${`` (templates), so these came
# out whole. Found from the substitution (``$(echo``, `` `echo``, ``${``), not from the words.
_SUBST_NAME = rb"(?P<k>[A-Za-z0-9_.\-]{0,40}" + _KEYWORDS + rb"[A-Za-z0-9_]{0,24})"
_SUBST_ECHO = (
    rb"(?i)"
    + _SUBST_NAME
    + rb"[\"']?[ \t]{0,2}[:=][ \t]{0,2}[\"']?(?:\$\(|`)[ \t]{0,2}"
    + rb"(?:echo(?:[ \t]{1,4}-[neE]{1,3})?|printf(?:[ \t]{1,4}[\"']?%s(?:\\n)?[\"']?)?)[ \t]{1,4}"
    + rb"[\"']?(?P<s>[^\s\"'`$()|;&<>\\]{8,512})"
)
_SHELL_DEFAULT = rb"(?i)\$\{" + _SUBST_NAME + rb":?[\-=](?P<s>[^\s{}\"'`$]{8,512})\}"
# ``${NAME:?message}``, ``${NAME:-default}``: what the unquoted key-name form reads after
# ``NAME:`` is the operator and its word, no value of the name (the default is read above).
_PARAM_EXPANSION = lazy_compile(rb"\$\{[A-Za-z_][A-Za-z0-9_]{0,80}(?::[\-=?+]?|[\-=?+])\Z")


def _in_parameter_expansion(text: bytes, start: int, _end: int) -> bool:
    return text[start - 1 : start] in (b":", b"-", b"=", b"?", b"+") and (
        _PARAM_EXPANSION.search(text, max(0, start - 85), start) is not None
    )


# Oracle's connect strings: EZConnect ``app/<pw>@//db:1521/ORCLPDB1`` and the thin driver's
# ``jdbc:oracle:thin:app/<pw>@db:1521:ORCL``; the password sits between the user's ``/`` and
# ``@``. Found from ``@//`` and the driver's prefix.
_ORACLE_CONNECT = (
    rb"(?:jdbc:oracle:thin:|(?<![A-Za-z0-9_./:\-]))[A-Za-z][A-Za-z0-9_$#]{0,29}/"
    rb"(?![\"'<>]|\[REDACTED)(?P<s>[^\s/@\"'<>;]{1,128})@"
    rb"(?://[A-Za-z0-9][A-Za-z0-9.\-]{0,253}(?::[0-9]{2,5})?/|"
    rb"[A-Za-z0-9][A-Za-z0-9.\-]{0,253}:[0-9]{2,5}[/:])"
)


def _oracle(prefilter: bytes) -> Detector:
    return Detector(
        "url-credentials",
        "url-credentials",
        _ORACLE_CONNECT,
        reject=reject_placeholder,
        line_bound=True,
        prefilter=prefilter,
    )


# Language dumps that put a value after its name in their own shapes: Erlang's proplists
# (``{auth_token,<<"…">>}``), PHP's ``var_dump`` (``["api_key"]=>`` over ``string(40) "…"``).
_ERLANG_BINARY = (
    rb"(?i)\{[ \t]{0,2}(?P<k>[a-z0-9_]{0,40}" + _KEYWORDS + rb"[a-z0-9_]{0,24})[ \t]{0,2},"
    rb"[ \t]{0,2}<<\"(?P<s>[^\"\r\n]{1,512})\">>"
)
_VAR_DUMP = (
    rb"(?i)\[\"(?P<k>[A-Za-z0-9_.\-]{0,40}" + _KEYWORDS + rb"[A-Za-z0-9_.\-]{0,24})\"\]=>\r?\n"
    rb"[ \t]{0,40}string\([0-9]{1,6}\)[ \t]\"(?P<s>[^\"\r\n]{1,4096})\""
)
# Gson writes ``=`` and ``&`` as ``\u003d`` and ``\u0026`` (``?access_token\u003d…\u0026page``):
# a query parameter named for a secret, its value up to the next escape.
_GSON_QUERY = (
    rb"(?i)(?<![A-Za-z0-9_])(?P<k>[A-Za-z0-9_.\-]{0,40}" + _KEYWORDS + rb"[A-Za-z0-9_.\-]{0,24})"
    rb"\\u003d(?P<s>[^\s\"\\&]{1,1024})"
)
# JSON inside a CSV cell doubles its quotes (``"{""api_key"": ""…""}"``).
_CSV_JSON = (
    rb"(?i)\"\"(?P<k>[A-Za-z0-9_.\-]{0,40}" + _KEYWORDS + rb"[A-Za-z0-9_.\-]{0,24})\"\""
    rb"[ \t]{0,2}:[ \t]{0,2}\"\"(?P<s>[^\"\r\n]{1,1024})\"\""
)
# ``terraform show``/``state show`` of a ``random_password`` (or ``random_string``): its
# ``result`` is the password it made.
_TF_RANDOM_RESULT = (
    rb"resource[ \t]{1,4}\"random_(?:password|string)\"[ \t]{1,4}\"[^\"\r\n]{1,128}\"[ \t]{0,4}\{"
    rb"[^{}]{0,800}?\n[ \t]{0,16}(?:[~+][ \t]{1,8})?result[ \t]{0,40}=[ \t]{0,4}"
    rb"\"(?P<s>[^\"\r\n]{1,1024})\""
)


# MySQL's ``SET PASSWORD FOR 'app'@'%' = 'pw'`` (also ``= PASSWORD('pw')``).
_SET_PASSWORD = (
    rb"(?i)set[ \t]{1,4}password[ \t]{1,4}(?:for[ \t]{1,4}[^=\r\n]{1,200}?)?=[ \t]{0,4}"
    rb"(?:password[ \t]{0,2}\([ \t]{0,2})?(?P<q>['\"])(?P<s>[^'\"\r\n]{1,256})(?P=q)"
)
# The lines of a private key above its ``END`` line when its ``BEGIN`` line is not there
# (``tail -n 20 key.pem``, a log cut inside the key): base64 lines of one width, then the END.
_PEM_TAIL = (
    rb"(?:^|(?<=\n))(?P<s>(?:[A-Za-z0-9+/=]{16,76}\r?\n){0,100}[A-Za-z0-9+/=]{1,76}\r?\n)"
    rb"-----END[ A-Z0-9_\-]{0,60}PRIVATE KEY(?: BLOCK)?-----"
)
# A JWT wrapped by the terminal or by ``fold``: the lines after the one it starts on, each as
# wide as that line (the last no wider), hold the rest of it.
_JWT_WRAPPED = (
    # (Lines of up to 200 characters, 40 of them: the pattern stays within MAX_MATCH.)
    rb"eyJ[A-Za-z0-9_\-.]{2,200}\r?\n"
    rb"(?P<s>(?:[A-Za-z0-9_\-.]{16,200}\r?\n){0,38}[A-Za-z0-9_\-.]{1,200})"
)


def _not_wrapped_at_one_width(text: bytes, start: int, end: int) -> bool:
    """Whether the lines from ``start`` to ``end`` are not the rest of a value wrapped at the
    width of the line before them (every line that width, the last no wider)."""
    first_end = start - 1 if text[start - 1 : start] == b"\n" else start
    first_start = text.rfind(b"\n", max(0, first_end - 4096), first_end) + 1
    # (Thirteenth speed pass: the width without a copy of the line, which is everything before
    # it when no line end is among its last 4 KiB.)
    width = first_end
    while width > first_start and text[width - 1] == 0x0D:
        width -= 1
    width -= first_start
    lines = [ln.rstrip(b"\r") for ln in text[start:end].split(b"\n")]
    if width < 16 or any(len(ln) != width for ln in lines[:-1]) or len(lines[-1]) > width:
        return True
    # The last line ends the value: the next character is no more of it (a quote, a blank).
    return len(lines) == 1 and len(lines[-1]) < 8


# loguru's and better_exceptions' ``diagnose`` tracebacks: under the failing line of code, an
# arrow per variable, its ``└`` in the column where the variable's name starts, then its value's
# repr (``connect(host, client_secret)`` over ``│       │     └ '<key>'``).
_ARROW_VALUE = rb"\xe2\x94\x94 (?P<q>['\"])(?P<s>[^'\"\r\n]{1,1024})(?P=q)"
_ARROW_LINE = lazy_compile(
    rb"[ \t]*(?:(?:\xe2\x94\x82|\xe2\x94\x94)[ \t]*)*(?:\xe2\x94\x94 [^\n]*)?\r?"
)
_IDENTIFIER = lazy_compile(rb"[A-Za-z_][A-Za-z0-9_]{0,80}")
_NAMES_A_SECRET = lazy_compile(rb"(?i)" + _KEYWORDS)


def _arrow_not_under_secret(text: bytes, start: int, _end: int) -> bool:
    """Whether the name the arrow before ``start`` points at does not name a secret."""
    line_start = text.rfind(b"\n", 0, start) + 1
    arrow = start - 5  # the ``└``, a blank and the quote before the value
    try:
        col = len(text[line_start:arrow].decode("utf-8"))
    except UnicodeDecodeError:
        return True
    end = line_start - 1
    for _ in range(40):
        if end <= 0:
            return True
        begin = text.rfind(b"\n", 0, end) + 1
        if _ARROW_LINE.fullmatch(text, begin, end) is None:
            try:
                code = text[begin:end].decode("utf-8")
            except UnicodeDecodeError:
                return True
            m = _IDENTIFIER.match(code.encode("utf-8", "replace"), len(code[:col].encode()))
            if m is None or (col and (code[col - 1 : col].isalnum() or code[col - 1 : col] == "_")):
                return True
            name = m.group()
            return _NAMES_A_SECRET.search(name) is None or not is_key_name(name)
        end = begin - 1
    return True


TWENTYTHIRD: tuple[Detector, ...] = (
    Detector(
        "kv-secret",
        "key-name",
        _ARROW_VALUE,
        reject=reject_placeholder,
        line_bound=True,
        prefilter=rb"\xe2\x94\x94 ['\"]",
        reject_at=_arrow_not_under_secret,
    ),
    _d22(_SET_PASSWORD, rb"(?i)set[ \t]{1,4}password[ \t]", line_bound=True),
    Detector(
        "private-key-partial",
        "private-key",
        _PEM_TAIL,
        prefilter=rb"[A-Za-z0-9+/=]\r?\n-----END[ A-Z0-9_\-]{0,60}PRIVATE KEY",
    ),
    Detector(
        "jwt",
        "jwt",
        _JWT_WRAPPED,
        prefilter=rb"eyJ[A-Za-z0-9_\-]{2}",
        short_prefilter=True,
        reject_at=_not_wrapped_at_one_width,
    ),
    # (Each prefilter starts where its pattern does, the name's characters as a bounded run
    # before the shape's rare punctuation: a short prefilter's hit is confirmed from no further
    # back than the prefilter reaches.)
    _oracle(rb"/[^\s/@\"'<>;]{1,128}@//[A-Za-z0-9]"),
    _oracle(rb"(?i)jdbc:oracle:thin:[A-Za-z][A-Za-z0-9_$#]{0,29}/"),
    _d22(
        _SUBST_ECHO,
        rb"[A-Za-z0-9_.\-]{1,70}[\"']?[ \t]{0,2}[:=][ \t]{0,2}[\"']?(?:\$\(|`)[ \t]{0,2}"
        rb"(?:echo|printf)[ \t]",
        line_bound=True,
    ),
    _d22(
        _SHELL_DEFAULT,
        # (Led by ``${`` and the operator, not by the key words: a configuration's many
        # ``${DB_PASSWORD}`` references made the words' expression cost its scan 5 %.)
        rb"\$\{[A-Za-z0-9_]{1,80}:?[\-=][^\s{}\"'`$]{8}",
        line_bound=True,
    ),
    _d22(
        _ERLANG_BINARY, rb"\{[ \t]{0,2}[A-Za-z0-9_]{1,70}[ \t]{0,2},[ \t]{0,2}<<\"", line_bound=True
    ),
    _d22(_VAR_DUMP, rb"\[\"[^\"\r\n]{1,70}\"\]=>\r?\n[ \t]{0,40}string\([0-9]"),
    _d22(_GSON_QUERY, rb"[A-Za-z0-9_.\-]{1,70}\\u003d[^\s\"\\&]", line_bound=True),
    _d22(
        _CSV_JSON,
        rb"\"\"[A-Za-z0-9_.\-]{1,70}\"\"[ \t]{0,2}:[ \t]{0,2}\"\"[^\"\r\n]",
        line_bound=True,
    ),
    _d22(_TF_RANDOM_RESULT, rb"resource[ \t]{1,4}\"random_(?:password|string)\""),
)

# Twenty-fourth pass (issue 18, ctx24): a secret named by the context of a tool's own format.
_NAME24 = rb"(?P<k>[A-Za-z0-9_.\-]{0,40}" + _KEYWORDS + rb"[A-Za-z0-9_.\-]{0,24})"
# A REPL's answer to an expression that looks a secret up by name (``>>> os.environ['API_KEY']``,
# IPython's ``Out[n]:``, node's ``> process.env.X``, R's ``[1] "…"``, irb's ``=> "…"``, julia,
# ``Rails.application.credentials.x``): the quoted literal alone on the next line.
_REPL_ANSWER = (
    rb"(?i)(?:(?<![A-Za-z0-9_])(?:environ|env|credentials|settings|secrets|config)"
    rb"(?:\.(?:get|fetch))?[\[(.]|getenv\()[ \t]{0,2}[\"':]?"
    + _NAME24
    + rb"[\"']?[ \t]{0,2}[\])]?[ \t]{0,8}\r?\n"
    + rb"(?:Out\[[0-9]{1,6}\]:[ \t]{1,2}|=>[ \t]{1,2}|\[1\][ \t]{1,2})?"
    + rb"(?P<q>[\"'])(?!\[REDACTED)(?P<s>[^\"'\r\n]{4,4096})(?P=q)[ \t]{0,8}(?=\r?\n|\Z)"
)
# Thirtieth pass: the same answer in a notebook's JSON (``cat x.ipynb``, ``nbconvert --to
# notebook``): a cell's ``"source"`` looking the secret up, its ``"outputs"`` a few lines below
# (``execute_result``'s ``"text/plain": ["'…'"]``, a ``stream``'s ``"text": ["…\\n"]``).
_NOTEBOOK_ANSWER = (
    rb"(?i)(?<![A-Za-z0-9_])(?:environ|getenv|credentials|secrets)(?:\.get)?[\[(.][ \t]{0,2}\\?[\"']?"
    + _NAME24
    + rb"\\?[\"']?[ \t]{0,2}[\])]{0,2}[^\r\n]{0,40}\r?\n"
    + rb"(?:[^\r\n]{0,120}\r?\n){1,16}?[ \t]{0,12}\"text(?:/plain)?\":[ \t]{0,2}\[\s{0,20}\""
    + rb"(?:\\?')?(?!\[REDACTED)(?P<s>[^\"'\\\s]{8,4096})(?:\\?'|\\n)?\""
)
# Thirtieth pass: ``aws ssm get-parameter(s) --with-decryption --output text``: the columns in
# alphabetical order, the value right after its type (``…\tSecureString\t<value>\t3``).
_SECURE_STRING = rb"(?<![A-Za-z0-9_])SecureString[ \t]{1,8}(?![0-9]{1,12}(?:\s|$)|\[REDACTED)(?P<s>[^\s]{8,4096})"
# Thirty-first pass: ``aws ssm get-parameter(s) --with-decryption --output table``, the vertical
# table (``||  Type   |  SecureString  ||`` over ``||  Value  |  <value>  ||``): the same order.
_SECURE_STRING_ROW = (
    rb"(?<![A-Za-z0-9_])SecureString[ \t]{0,512}\|{1,2}\r?\n\|{1,2}[ \t]{1,8}Value[ \t]{0,64}\|[ \t]{1,8}"
    rb"(?!\[REDACTED)(?P<s>[^\s|]{8,4096})"
)
# redis-cli: ``HGETALL``'s field and value on alternate numbered lines, and the answer to ``GET``,
# ``HGET`` or ``HMGET`` (its first field) of a key or field naming a secret.
_REDIS_FIELD = (
    rb"(?i)(?:^|(?<=\n))[0-9]{1,6}\)[ \t]\""
    + _NAME24
    + rb"\"[ \t]{0,4}\r?\n[0-9]{1,6}\)[ \t]\"(?!\[REDACTED)(?P<s>[^\"\r\n]{4,4096})\""
)
_REDIS_GET = (
    rb"(?i)(?<=[0-9\]])>[ \t]{1,2}(?:get|hget[ \t]{1,4}[^\s]{1,200}|hmget[ \t]{1,4}[^\s]{1,200})[ \t]{1,4}"
    + rb"(?:[^\s]{0,200}?[:/])?"
    + _NAME24
    + rb"(?:[ \t][^\r\n]{0,200})?\r?\n(?:1\)[ \t])?\"(?!\[REDACTED)(?P<s>[^\"\r\n]{4,4096})\""
)


def _not_an_odd_field(text: bytes, start: int, _end: int) -> bool:
    """``HGETALL`` numbers fields odd and values even: the name's line must be odd."""
    line = text.rfind(b"\n", 0, start) + 1  # the value's line
    prev = text.rfind(b"\n", 0, max(0, line - 1)) + 1
    num = text[prev : text.find(b")", prev, line)]
    return not num.isdigit() or int(num) % 2 == 0


# DynamoDB's typed attributes (``"api_key": {"S": "…"}``).
_DYNAMO_ATTR = (
    rb"(?i)\""
    + _NAME24
    + rb"\"[ \t]{0,4}:\s{0,40}\{\s{0,40}\"[SB]\"[ \t]{0,4}:[ \t]{0,4}\"(?!\[REDACTED)"
    + rb"(?P<s>[^\"\r\n]{1,4096})\""
)
# Mail and other line protocols: SASL ``AUTH PLAIN <base64 of \0user\0pw>``, the client's line
# after SMTP's ``334 UGFzc3dvcmQ6`` (``Password:`` in base64), IMAP's ``tag LOGIN user pw``,
# FTP's and POP3's ``PASS pw``, ``redis-cli MONITOR``'s ``"AUTH" ["user"] "pw"``.
_SASL_INITIAL = (
    rb"(?<![A-Za-z0-9_\-])AUTH[ \t]{1,4}(?:PLAIN|LOGIN|XOAUTH2|OAUTHBEARER)[ \t]{1,4}"
    rb"(?P<s>[A-Za-z0-9+/]{8,4096}={0,2})(?![A-Za-z0-9+/=])"
)
_SMTP_PASSWORD = (
    rb"334[ \t]{1,4}(?:UGFzc3dvcmQ6|cGFzc3dvcmQ6)[ \t]{0,4}\r?\n"
    rb"[ \t]{0,4}(?:(?:->|C:|>{1,3})[ \t]{1,4})?(?P<s>[A-Za-z0-9+/]{4,4096}={0,2})[ \t]{0,4}(?=\r?\n|\Z)"
)
_IMAP_LOGIN = (
    rb"(?<=[A-Za-z0-9.*?][ \t])(?i:LOGIN)[ \t]{1,4}(?:\"[^\"\r\n]{1,128}\"|[^\s\"]{1,128})[ \t]{1,4}"
    # (Twenty-sixth pass: ``'`` after the value, imaplib's debug line ``> b'TAG LOGIN u "pw"'``.)
    rb"(?P<q>\"?)(?![{\"]|\[REDACTED)(?P<s>[^\s\"']{4,512})(?P=q)'?[ \t]{0,4}(?=\r?\n|\Z)"
)
_LINE_PASS = rb"(?<![A-Za-z0-9_\-])PASS[ \t](?!\[REDACTED)(?P<s>[^\s]{4,256})[ \t]{0,4}(?=\r?\n|\Z)"
_REDIS_AUTH = (
    rb"(?i)\"auth\"(?:[ \t]\"[^\"\r\n]{1,128}\")?[ \t]\"(?!\[REDACTED)(?P<s>[^\"\r\n]{4,512})\""
    rb"[ \t]{0,4}(?=\r?\n|\Z)"
)
# (An IMAP tag: letters and a number, ``a1``, ``A001``, or ``.``; not a word. Twenty-sixth pass:
# letters alone (``a``, ``TAG``), ``?``, a number then letters, after a client's marker at the
# end of any prefix (a timestamp, imaplib's ``> b'``, Thunderbird's ``SendData:``).)
_TAG_LINE = lazy_compile(
    rb"(?:[^\r\n]{0,160}?(?:C:|C>|>{1,3}|->|SendData:|send:|SEND:)[ \t]{1,4}(?:b['\"])?|[ \t]{0,4})"
    rb"(?:[A-Za-z]{0,6}[0-9]{1,8}[A-Za-z0-9]{0,4}|(?P<w>[A-Za-z]{1,6})|[.*?])[ \t]\Z"
)
_PASS_LINE = lazy_compile(rb"(?:[<>\-]{1,4}[ \t]{0,2})?(?:C:[ \t])?\Z")
# (Twenty-sixth pass: ``PASS`` after any prefix ending in a client's marker, a quote, a tab or a
# bracket (``[12:00:01] > ``, ``*cmd* '``, ``SEND: ``, ``[C->S] ``, ``Command:<TAB>``, ``ftp>
# quote ``), key material only.)
_PASS_PREFIX = lazy_compile(rb"[^\r\n]{0,160}?(?:[<>\-]{1,4}|[:\]'\"\t]|quote)[ \t]{0,2}\Z")
_PATH_LIKE = lazy_compile(
    rb"[A-Za-z0-9_./\-]{0,200}/[A-Za-z0-9_.\-]{1,80}\.[a-z]{1,5}(?:::[A-Za-z0-9_.\[\]\-]{1,200}){0,4}"
)


def _not_a_command_line(text: bytes, start: int, end: int) -> bool:
    """IMAP's ``LOGIN`` after its tag, ``PASS`` opening its line (a client's prefix before it):
    not a word inside prose."""
    line = text.rfind(b"\n", 0, start) + 1
    word = max(text.rfind(b"LOGIN", line, start), text.rfind(b"login", line, start))
    if word >= 0:
        tag = _TAG_LINE.fullmatch(text, line, word)
        # (A tag of letters alone may be a word of prose, ``please LOGIN admin hunter22``: key
        # material only after it.)
        return tag is None or (
            tag.group("w") is not None
            and not word_model.key_material(text[start:end])
            and not (
                human_password(text[start:end])
                and _server_replied(text, end, text[line:word].strip(b" \t>:C"))
            )
        )
    word = text.rfind(b"PASS", line, start)
    if word < 0:
        return True
    if _PASS_LINE.fullmatch(text, line, word) is not None:
        return False
    value = text[start:end].rstrip(b"'\"")
    return _PASS_PREFIX.fullmatch(text, line, word) is None or not (
        word_model.key_material(value)
        or (human_password(value) and _server_replied(text, end, b""))
    )


# Twenty-seventh pass: a person's password (``Summer2024!deploy``, ``hunter2hunter2``,
# ``P@ssw0rd-prod-24``), not key material: 8 to 64 characters without blanks, letters and digits
# both, no path or e-mail address. Counted only where the context says a password is there (the
# server's answer to the login line below it; a REPL printing a secret's lookup).
_HUMAN_PASSWORD = lazy_compile(rb"(?=[^\s]{0,63}[A-Za-z])(?=[^\s]{0,63}[0-9])[^\s/\\]{8,64}")
_EMAIL = lazy_compile(rb"[^@\s]{1,64}@[A-Za-z0-9\-]{1,63}\.[A-Za-z.]{2,}")


def human_password(value: bytes) -> bool:
    v = value.strip(b"\"'")
    return (
        _HUMAN_PASSWORD.fullmatch(v) is not None
        and _EMAIL.fullmatch(v) is None
        and word_model.kind(v) is not word_model.Kind.NUMBER
    )


# The server's answer on the next line: IMAP's ``<tag> OK|NO|BAD``, FTP's and SMTP's three
# digits, POP3's ``+OK``/``-ERR``, after a transcript's ``S:``/``<``/timestamp prefix.
_REPLY = lazy_compile(
    rb"[^\r\n]{0,40}?(?:S:|<|\]|^)?[ \t]{0,4}(?P<t>[A-Za-z0-9]{0,12})[ \t]?(?:OK|NO|BAD)\b|"
    rb"[^\r\n]{0,40}?(?:[0-9]{3}[ \t\-]|\+OK|-ERR)"
)


def _server_replied(text: bytes, end: int, tag: bytes) -> bool:
    nl = text.find(b"\n", end)
    if nl < 0:
        return False
    m = _REPLY.match(text, nl + 1, min(len(text), nl + 120))
    return m is not None and (m.group("t") is None or not tag or m.group("t") == tag)


def _pass_slot(value: bytes) -> bool:
    """``PASS anonymous@`` (anonymous FTP), ``PASS ./path/file.go`` (a test runner's line)."""
    v = value.strip()
    return (
        reject_placeholder(v)
        or v.lower().startswith(b"anonymous")
        or bool(_EMAIL_ADDRESS.fullmatch(v))
        or bool(_PATH_LIKE.fullmatch(v))
    )


# (Twenty-seventh pass: a domain has a dot, ``guest@example.com``; ``guest@`` none at all;
# ``P@ssw0rd-prod-24`` is a password.)
_EMAIL_ADDRESS = lazy_compile(
    rb"[\w.+\-]{0,64}@(?:[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,8})?"
)


def _sasl_slot(value: bytes) -> bool:
    """A SASL response whose password part is a placeholder (``********`` in base64)."""
    v = value.strip()
    try:
        raw = base64.b64decode(v + b"=" * (-len(v) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    pw = raw.rsplit(b"\0", 1)[-1]
    return reject_placeholder(pw) or not_a_literal_secret(pw)


# A Wi-Fi or VPN pre-shared key under ``psk`` (wpa_supplicant's ``psk=<64 hex>``, nmcli's
# ``802-11-wireless-security.psk:``) and ``netsh wlan show profile … key=clear``'s ``Key Content``.
_PSK = (
    rb"(?i)(?<![A-Za-z0-9])(?P<k>psk)[\"']?[ \t]{0,8}[:=][ \t]{0,40}[\"']?(?![\"']|\[REDACTED)"
    rb"(?P<s>[^\s\"']{8,512})"
)
_KEY_CONTENT = (
    rb"(?i)Key[ \t]Content[ \t]{0,40}:[ \t]{1,4}(?!\[REDACTED)(?P<s>[^\r\n]{1,63}?)[ \t]{0,8}"
    rb"(?=\r?\n|\Z)"
)
# A user then a password as the next option (``psexec -u ACME\admin -p <pw>``, ``dsquery -u x -p``,
# ``schtasks /ru x /rp <pw>``, ``winrs -u:x -p:<pw>``, ``xfreerdp /u:x /p:<pw>``), and ``net use
# \\srv\share <pw> /user:…`` (the password before the user).
_USER_THEN_PASS = (
    rb"(?i)(?<![A-Za-z0-9_\-])[\-/]r?u(?:ser)?[ \t:=]{1,4}[^\s\-/][^\s]{0,127}[ \t]{1,4}"
    rb"[\-/]r?p(?:ass(?:word)?)?(?:[ \t]{1,4}|[:=])[\"']?(?![\"'$`%{<*]|\[REDACTED)"
    rb"(?P<s>[^\s\"'`]{4,255})"
)
_NET_USE = (
    rb"(?i)(?<![A-Za-z0-9_\-])net[ \t]{1,4}use[ \t]{1,4}(?:[A-Z]:[ \t]{1,4})?\\\\[^\s]{1,256}"
    rb"[ \t]{1,4}[\"']?(?![/*\"'$%]|\[REDACTED)(?P<s>[^\s\"']{1,256})[\"']?[ \t]{1,4}/user:"
)
_PORT_LIKE = lazy_compile(rb"[0-9][0-9.:\-/a-z]{0,40}")


# mysql's ``-p`` takes its password glued; ``-p ledger`` (a blank) prompts, the word is a database.
_MYSQL_CLIENT = lazy_compile(rb"(?<![A-Za-z0-9_\-])(?:mysql|mysqldump|mysqladmin|mariadb)[ \t]")


def _mysql_prompt(text: bytes, start: int, _end: int) -> bool:
    line = text.rfind(b"\n", 0, start) + 1
    return _MYSQL_CLIENT.search(text, line, start) is not None


def _port_or_slot(value: bytes) -> bool:
    """``-u 1000 -p 8080:80/tcp`` (docker's user and port), a placeholder."""
    return reject_placeholder(value) or bool(_PORT_LIKE.fullmatch(value.strip()))


# A value on the line after a heredoc opened under a secret's name (``read -r -d '' TOKEN
# <<'EOF'``, ``TOKEN=$(cat <<EOF``, HCL ``password = <<-EOT``, Ruby ``KEY = <<~KEY``, PHP
# ``$secret = <<<'EOT'``; a ``> `` continuation prompt before it).
_HEREDOC = (
    _KEY
    + rb"[\"']?[ \t]{0,4}(?:=[ \t]{0,4}(?:\$\([ \t]{0,2}cat[ \t]{1,4})?)?<<[\-~<]?[ \t]{0,2}[\"']?"
    + rb"(?P<t>[A-Za-z_][A-Za-z0-9_]{0,20})[\"']?[^\r\n]{0,40}\r?\n(?:>[ \t])?[ \t]{0,40}"
    + rb"(?!(?P=t)\b|\[REDACTED)(?P<s>[^\s][^\r\n]{0,4095}?)[ \t]{0,8}(?=\r?\n|\Z)"
)
# ``.properties`` values with ``\uXXXX`` escapes (``native2ascii``, ``Properties.store``): the
# value runs on through them.
_U_ESC = rb"\\u[0-9A-Fa-f]{4}"
_PROPS_UNICODE = (
    _KEY
    + rb"[ \t]{0,8}[:=][ \t]{0,8}(?!\[REDACTED)(?P<s>(?:[^\s\\\"'`]|"
    + _U_ESC
    + rb"){0,255}"
    + _U_ESC
    + rb"(?:[^\s\\\"'`]|"
    + _U_ESC
    + rb"){0,255})"
)
_U_ESC_RE = lazy_compile(_U_ESC)


def _unicode_slot(value: bytes) -> bool:
    v = _U_ESC_RE.sub(lambda m: chr(int(m.group()[2:], 16)).encode("utf-8"), value)
    return reject_placeholder(v) or not_a_literal_secret(v)


# XML: an element whose ``key``/``name`` attribute names a secret, its text the value (Java's
# ``<entry key="db.password">``, Android's ``<string name="api_key">``), and an element named for a
# secret with attributes (FileZilla's ``<Pass encoding="base64">``).
# (Thirtieth pass: a name of words, ``mysqldump --xml``'s ``<field name="Access Token">``.)
_WORDS_NAME = (
    rb"(?P<k>(?:[A-Za-z0-9_.\-]{1,40} ){0,3}[A-Za-z0-9_.\-]{0,40}"
    + _KEYWORDS
    + rb"[A-Za-z0-9_.\-]{0,24})"
)
_XML_NAMED_TEXT = (
    rb"(?i)(?:key|name)[ \t]{0,2}=[ \t]{0,2}[\"']"
    + _WORDS_NAME
    + rb"[\"'][^<>\r\n]{0,200}>(?:\s{0,80}<value>)?(?!\[REDACTED)(?P<s>[^<\r\n]{1,4096})</"
)
# Thirtieth pass: HTML's name beside its value, a definition list's ``<dt>API key</dt><dd>…</dd>``
# and a row's header ``<tr><th>Password</th><td>…</td>`` (a line or several apart; inline tags
# around the name or before the value: ``<code>``, ``<span>``).
_HTML_INLINE = (
    rb"(?:<(?:span|code|b|strong|em|kbd|samp|tt|var)(?:[ \t][^<>\r\n]{0,100})?>[ \t]{0,4})?"
)
_HTML_NAMED_CELL = (
    rb"(?i)<(?:dt|th)(?:[ \t][^<>\r\n]{0,200})?>[ \t]{0,8}"
    + _HTML_INLINE
    + _WORDS_NAME
    + rb"[ \t:]{0,8}(?:</(?:span|code|b|strong|em|kbd|samp|tt|var)>[ \t]{0,4})?</(?:dt|th)>"
    # (Thirty-first pass: a value on a line of its own indented deeper than 8 blanks under
    # its ``<dd>``/``<td>``, as formatters nest it: up to 80, as between the cells.)
    + rb"\s{0,80}<(?:dd|td)(?:[ \t][^<>\r\n]{0,200})?>\s{0,80}"
    + _HTML_INLINE
    # (Or the value's line's end: a stream releases that line before the ``</dd>`` arrives,
    # the ``<dd>`` line above it held, as it ends in ``>``; the whole text reads it alike.)
    + rb"(?!\[REDACTED)(?P<s>[^<\s][^<\r\n]{0,4095}?)(?:[ \t]{0,80}<|[ \t]{0,80}\r?\n)"
)
_XML_ATTR_ELEMENT = (
    rb"(?i)<(?P<k>[A-Za-z0-9_.:\-]{0,40}?"
    + _KEYWORDS
    + rb")[ \t][^<>\r\n]{1,200}>(?!\[REDACTED)(?P<s>[^<\r\n]{1,256})</"
)
# Percent-encoded query pairs inside a parameter (``next=https%3A…%26access_token%3D<v>``, doubly
# encoded ``%253D``) and JSON in a query parameter (``%22api_key%22%3A%22<v>%22``).
_PCT_VALUE = rb"(?:[A-Za-z0-9_.~+\-]|%(?!(?:25)?(?:26|23|22))[0-9A-Fa-f]{2}){4,1024}"
_PCT_PAIR = (
    rb"(?i)%(?:25)?(?:26|3F|23)" + _NAME24 + rb"%(?:25)?3D(?!\[REDACTED)(?P<s>" + _PCT_VALUE + rb")"
)
_PCT_JSON = (
    rb"(?i)%22"
    + _NAME24
    + rb"%22(?:%20)?%3A(?:%20)?%22(?!\[REDACTED)(?P<s>"
    + _PCT_VALUE
    + rb")%22"
)


def _percent_slot(value: bytes) -> bool:
    v = unquote_to_bytes(unquote_to_bytes(value))
    return reject_placeholder(v) or not_a_literal_secret(v)


# CI service messages: Azure DevOps ``##vso[task.setvariable variable=X;issecret=true]<value>``
# (a secret by the flag or by the name), and a setter's name and value arguments
# (``buildkite-agent meta-data set "token" "<v>"``, ``… config set``, ``secrets set``).
_VSO_SECRET = (
    rb"##vso\[task\.setvariable[ \t]{1,4}variable=[^;\]\r\n]{1,120}(?:;[^\]\r\n]{0,200})?"
    rb";[ \t]{0,2}issecret=true(?:;[^\]\r\n]{0,200})?\](?!\[REDACTED)(?P<s>[^\r\n]{1,4096})"
)
_VSO_NAMED = (
    rb"(?i)##vso\[task\.setvariable[ \t]{1,4}variable="
    + _NAME24
    + rb"(?:;[^\]\r\n]{0,200})?\](?!\[REDACTED)(?P<s>[^\r\n]{1,4096})"
)
_SETTER_ARGS = (
    rb"(?i)(?<![A-Za-z0-9_\-])(?:meta-data|config|secrets?|variables?|env)[ \t]{1,4}set[ \t]{1,4}"
    + rb"(?:--?[A-Za-z\-]{1,20}[ \t]{1,4}){0,4}[\"']?"
    + _NAME24
    + rb"[\"']?[ \t]{1,4}(?:--?(?:body|value|b)[ \t=]{1,4})?[\"']?(?![\"'$`%{<\-]|\[REDACTED)"
    + rb"(?P<s>[^\s\"'`]{4,4096})"
)
# ``--name <secret's name> … --value <v>`` (``az keyvault secret set``, ``aws ssm put-parameter``).
_NAME_VALUE_OPTS = (
    rb"(?i)--name[ \t=]{1,4}[\"']?(?:[^\s\"']{0,80}?[/.:])?"
    + _NAME24
    + rb"[\"']?[ \t][^\r\n]{0,200}?--value[ \t=]{1,4}[\"']?(?![\"'$`%{<\-]|\[REDACTED)"
    + rb"(?P<s>[^\s\"'`]{4,4096})"
)


def _vso_slot(value: bytes) -> bool:
    v = value.strip().strip(b"\"'")  # (``echo "##vso[…]$TOKEN"``)
    return reject_placeholder(v) or not_a_literal_secret(v)


TWENTYFOURTH: tuple[Detector, ...] = (
    _d22(
        _REPL_ANSWER,
        # (The word and its lookup's ``[``, ``(`` or ``.``: the words alone, read on to the line's
        # end, cost the literal database 8 % of ``stack_traces``.)
        rb"(?i)(?:(?:environ|env|credentials|settings|secrets|config)(?:\.(?:get|fetch))?[\[(.]|"
        rb"getenv\()[^\r\n]{1,120}\r?\n"
        rb"(?:Out\[[0-9]{1,6}\]:[ \t]{1,2}|=>[ \t]{1,2}|\[1\][ \t]{1,2})?[\"'][^\"'\r\n]{4}",
    ),
    _d22(_SECURE_STRING, rb"SecureString[ \t]{1,8}[^\s]", line_bound=True),
    _d22(_SECURE_STRING_ROW, rb"SecureString[ \t]{0,512}\|{1,2}\r?\n\|{1,2}[ \t]{1,8}Value[ \t]"),
    _d22(
        _NOTEBOOK_ANSWER,
        # (From the cell's ``"source"``, a rare word: from the lookup's words, which
        # configuration holds thousands of times a MB, it cost that class a fifth of its speed.)
        rb"\"source\":[ \t]{0,2}\[[^\]]{0,400}(?i:environ|getenv|credentials|secrets)(?:\.get)?[\[(.]",
    ),
    _d22(
        _REDIS_FIELD,
        rb"\)[ \t]\"[^\"\r\n]{1,70}\"[ \t]{0,4}\r?\n[0-9]{1,6}\)[ \t]\"[^\"\r\n]{4}",
        reject_at=_not_an_odd_field,
    ),
    # (After the prompt's port or database number: curl's ``> GET /path`` is no redis-cli.)
    _d22(_REDIS_GET, rb"(?:[0-9]|\])>[ \t]{1,2}(?i:h?m?get)[ \t]"),
    _d22(
        _DYNAMO_ATTR,
        rb"\"[A-Za-z0-9_.\-]{1,70}\"[ \t]{0,4}:\s{0,40}\{\s{0,40}\"[SB]\"[ \t]{0,4}:",
    ),
    _d22(
        _SASL_INITIAL, rb"AUTH[ \t]{1,4}(?:PLAIN|LOGIN|XOAUTH2|OAUTHBEARER)[ \t]", reject=_sasl_slot
    ),
    _d22(_SMTP_PASSWORD, rb"334[ \t]{1,4}(?:UGFzc3dvcmQ6|cGFzc3dvcmQ6)", reject=_sasl_slot),
    _d22(
        _IMAP_LOGIN,
        rb"[A-Za-z0-9.*?][ \t](?:LOGIN|login)[ \t]",
        line_bound=True,
        reject_at=_not_a_command_line,
    ),
    _d22(
        _LINE_PASS,
        rb"PASS[ \t][^\s]{4}",
        line_bound=True,
        reject=_pass_slot,
        reject_at=_not_a_command_line,
    ),
    _d22(_REDIS_AUTH, rb"(?i)\"auth\"[ \t]\"", line_bound=True),
    _d22(_PSK, rb"(?i)psk[\"']?[ \t]{0,8}[:=]", line_bound=True),
    _d22(_KEY_CONTENT, rb"(?i)Key[ \t]Content[ \t]{0,40}:", line_bound=True),
    _d22(
        _USER_THEN_PASS,
        rb"(?i)[\-/]r?u(?:ser)?[ \t:=]{1,4}[^\s\-/][^\s]{0,127}[ \t]{1,4}[\-/]r?p(?:ass(?:word)?)?[ \t:=]",
        line_bound=True,
        reject=_port_or_slot,
        reject_at=_mysql_prompt,
    ),
    _d22(_NET_USE, rb"(?i)net[ \t]{1,4}use[ \t]", line_bound=True),
    # (Found from ``<<`` and ``\uXXXX`` with the name's characters before them: led by the key
    # words, the two made the literal database read ``config_refs`` a third slower.)
    _d22(
        _HEREDOC,
        rb"[A-Za-z0-9_.\-]{1,70}[\"']?[ \t]{0,4}(?:=[ \t]{0,4}(?:\$\([ \t]{0,2}cat[ \t]{1,4})?)?"
        rb"<<[\-~<]?[ \t]{0,2}[\"']?[A-Za-z_][A-Za-z0-9_]{0,20}[\"']?[^\r\n]{0,40}\r?\n",
    ),
    # (With the name's characters and its separator before the escape: from ``\uXXXX`` alone,
    # every escape in a minified script's strings was confirmed over a 5 KB window.)
    _d22(
        _PROPS_UNICODE,
        rb"[A-Za-z0-9_.\-]{1,70}[ \t]{0,8}[:=][ \t]{0,8}[^\s\\\"'`]{0,255}\\u[0-9A-Fa-f]{4}",
        reject=_unicode_slot,
        line_bound=True,
    ),
    _d22(
        _XML_NAMED_TEXT,
        rb"(?i)(?:key|name)[ \t]{0,2}=[ \t]{0,2}[\"'][A-Za-z0-9_. \-]{1,70}[\"'][^<>\r\n]{0,200}>"
        rb"(?:[^<\s]|\s{0,80}<value>)",
    ),
    _d22(
        _HTML_NAMED_CELL,
        rb"(?i)</(?:dt|th)>\s{0,80}<(?:dd|td)[ \t>]",
    ),
    _d22(
        _XML_ATTR_ELEMENT,
        # (The attribute's closing quote and ``>``, not the key words: those made it slow.)
        rb"(?i)<[A-Za-z0-9_.:\-]{1,60}[ \t][^<>\r\n]{1,200}[\"'][ \t]{0,4}>[^<\s]",
        line_bound=True,
    ),
    _d22(
        _PCT_PAIR,
        rb"(?i)%(?:25)?(?:26|3F|23)[A-Za-z0-9_.\-]{1,70}%(?:25)?3D",
        reject=_percent_slot,
        line_bound=True,
    ),
    _d22(
        _PCT_JSON,
        rb"(?i)%22[A-Za-z0-9_.\-]{1,70}%22(?:%20)?%3A",
        reject=_percent_slot,
        line_bound=True,
    ),
    Detector(
        "kv-secret",
        "key-name",
        _VSO_SECRET,
        reject=_vso_slot,
        line_bound=True,
        prefilter=rb"##vso\[task\.setvariable[ \t]",
    ),
    _d22(_VSO_NAMED, rb"(?i)##vso\[task\.setvariable[ \t]", line_bound=True, reject=_vso_slot),
    _d22(
        _NAME_VALUE_OPTS,
        rb"(?i)--name[ \t=]{1,4}[^\r\n]{1,300}--value[ \t=]",
        line_bound=True,
    ),
    _d22(
        _SETTER_ARGS,
        rb"(?i)(?:meta-data|config|secrets?|variables?|env)[ \t]{1,4}set[ \t]",
        line_bound=True,
    ),
)

# Twenty-sixth pass (issue 18, ctx26). A REPL's printed (unquoted) answer to a lookup of a
# secret's name (``print(os.environ['API_KEY'])``, ``console.log(process.env.X)``, ``puts
# ENV['X']``, ``println(ENV["X"])``, R's ``cat(Sys.getenv("X"))``): the bare value alone on the
# next line, key material only (any line may follow a print).
_ENV_LOOKUP = (
    rb"(?:(?<![A-Za-z0-9_])(?:environ|env|credentials|settings|secrets|config)"
    rb"(?:\.(?:get|fetch))?[\[(.]|getenv\()[ \t]{0,2}[\"':]?"
)
_REPL_PRINTED = (
    rb"(?i)(?<![A-Za-z0-9_.])(?:print|println|puts|console\.log|cat|echo|say|display)"
    rb"[ \t(][^\r\n]{0,60}?"
    + _ENV_LOOKUP
    + _NAME24
    + rb"[\"']?[ \t]{0,2}[\])][^\r\n]{0,40}\r?\n(?![\"'`]|\[REDACTED)"
    + rb"(?P<s>[^\s\"'`]{8,4096})[ \t]{0,8}(?=\r?\n|\Z)"
)


def _not_key_material_nor_password(value: bytes) -> bool:
    return _not_key_material(value) and not human_password(value)


# redis-cli's answers by position: ``HMGET key f1 f2 …`` and ``MGET k1 k2 …`` answer field n on
# the n-th line (``n) "…"`` at a prompt, bare lines from ``redis-cli … HMGET`` in a pipe): the
# n-th answer under a field or key naming a secret (the twenty-fourth pass read the first only).
def _redis_position(n: int) -> bytes:
    # (Twenty-eighth pass: past the eighth, fields of 64 bytes and answers of 160 at most, so the
    # sixteenth stays under ``MAX_MATCH`` too.)
    field, line = (b"200", b"512") if n <= 8 else (b"64", b"160")
    return (
        rb"(?i)(?:(?<=[0-9\]])>[ \t]{1,2}|(?<![A-Za-z0-9_\-])redis-cli(?:[ \t][^\r\n]{0,200}?)?[ \t])"
        rb"(?:hmget[ \t]{1,4}[^\s]{1,200}|mget)"
        + (rb"(?:[ \t]{1,4}[^\s]{1,%s})" % field) * (n - 1)
        + rb"[ \t]{1,4}(?:[^\s]{0,200}?[:/])?"
        + _NAME24
        # (Bounded so the widest, the eighth, stays under ``MAX_MATCH``: a stream's tail.)
        + rb"(?![^\s])[^\r\n]{0,512}\r?\n"
        + (rb"(?:[^\r\n]{0,%s}\r?\n)" % line) * (n - 1)
        + rb"(?:[0-9]{1,6}\)[ \t](?=\"))?(?P<q>\"?)(?!\[REDACTED|\(nil\))(?P<s>[^\s\"]{4,1024})(?P=q)"
        + rb"[ \t]{0,4}(?=\r?\n|\Z)"
    )


# Codes as ``less`` shows them in a terminal without ``-R`` (``ESC[1mtokenESC[0m: ESC[32m<v>``,
# read from a screen capture as text): a secret's name, the shown codes and a separator around
# it, then key material up to the next shown code or the line's end. (Where a byte that gates
# ``markup``'s marks is in the buffer the codes are read as codes there already; a search for
# ``ESC[`` alone in ``markup`` read a clean MB in 0.5 ms, here it is one literal of the scan.)
_SHOWN = rb"(?:ESC\[[0-9;]{0,24}m)"
_LESS_SHOWN = (
    rb"(?i)(?<![A-Za-z0-9_])(?P<k>[A-Za-z0-9_.\-]{0,40}"
    + _KEYWORDS
    # (A shown code in the separator, as the prefilter wants one near: else the pure-Python
    # engine, which reads every pattern everywhere, would name plain pairs by this rule.)
    + rb"[A-Za-z0-9_.\-]{0,24}?)(?=(?:[ \t\"':=\])>\-]){0,8}"
    + _SHOWN
    + rb")(?:"
    + _SHOWN
    + rb"|[ \t\"':=\])]|->){1,12}(?<=m|[ \t\"':=>\])])(?!\[REDACTED)(?P<s>[A-Za-z0-9+/=_\-.~]{16,512}?)[\"']?(?="
    + _SHOWN
    + rb"|[\"',;]?[ \t]{0,8}(?:\r?\n|\Z))"
)

_REDIS_POSITIONS = 16
TWENTYSIXTH: tuple[Detector, ...] = (
    # (The shown code alone: from the key words, every ``token`` and a blank was a hit, and the
    # name's characters before the code cost the scan 0.2-0.4 ms per MB; not a short
    # prefilter, so a hit is confirmed over the pattern's width around it.)
    Detector(
        "kv-secret",
        "key-name",
        _LESS_SHOWN,
        reject=_not_key_material,
        line_bound=True,
        prefilter=rb"ESC\[[0-9;]{0,24}m",
    ),
    _d22(
        _REPL_PRINTED,
        # (Led by the print call: from the lookup alone, ``config.py`` or ``.env.`` in a path over
        # a line of a digest hit 945 times per MB of configuration, 64 of checksums.)
        rb"(?i)(?:print|println|puts|console\.log|cat|echo|say|display)[ \t(][^\r\n]{0,60}"
        rb"(?:(?:environ|env|credentials|settings|secrets|config)(?:\.(?:get|fetch))?[\[(.]|"
        rb"getenv\()[^\r\n]{1,120}\r?\n[^\s\"'`]{8}",
        # (Twenty-seventh pass: a person's password too, ``Summer2024!deploy``.)
        reject=_not_key_material_nor_password,
    ),
    # (Two expressions: as one alternation, hyperscan missed ``6379[2]> MGET``.)
    *(
        replace(
            _d22(_redis_position(n), rb"[0-9\]]>[ \t]{1,2}(?i:h?mget)[ \t]"),
            also_scan=(rb"redis-cli[^\r\n]{0,200}[ \t](?i:h?mget)[ \t]",),
        )
        for n in range(1, _REDIS_POSITIONS + 1)
    ),
)

# Twenty-seventh pass (issue 18, ctx27). A command that prints a credential, echoed at a prompt,
# and its answer: a bare (or quoted) value alone on the next line, after up to two warning lines
# (``heroku auth:token``'s `` ›   Warning: …``), or glued to the next prompt (``terraform output
# -raw``, ``vault kv get -field=`` print no newline). The command prints a token by what it is
# (``heroku auth:token``, ``gh auth token``, ``gcloud auth print-access-token``, ``aws ecr
# get-login-password``), or by the secret's name it is asked for (``terraform output
# db_password``, ``heroku config:get STRIPE_SECRET``, ``npm config get …:_auth``): any value
# then, a person's password too, not a placeholder or a setting word.
_NAME27 = rb"[A-Za-z0-9_.\-]{0,40}" + _KEYWORDS + rb"[A-Za-z0-9_.\-]{0,24}"
# (A flag, its value after a blank or ``=`` maybe: ``-n prod``, ``--context=eu``, ``--all``.)
_KUBECTL_FLAGS = (
    rb"(?:[ \t]{1,4}-{1,2}[A-Za-z][A-Za-z0-9\-]{0,30}(?:[ \t=][^\s\-][^\s]{0,60})?){0,4}"
)
_CLI_PRINTS_SECRET = (
    rb"(?i)(?<![A-Za-z0-9_\-./])(?:"
    rb"heroku[ \t]{1,4}auth:token|(?:gh|glab|doctl|fly|flyctl)[ \t]{1,4}auth[ \t]{1,4}token|"
    rb"gcloud[ \t]{1,4}auth[ \t]{1,4}(?:application-default[ \t]{1,4})?print-(?:access|identity)-token|"
    rb"aws[ \t]{1,4}ecr(?:-public)?[ \t]{1,4}get-login-password|vault[ \t]{1,4}print[ \t]{1,4}token|"
    rb"terraform[ \t]{1,4}output(?:[ \t]{1,4}-[a-z\-]{2,12}){0,4}[ \t]{1,4}" + _NAME27 + rb"|"
    rb"heroku[ \t]{1,4}config:get[ \t]{1,4}" + _NAME27 + rb"|"
    rb"npm[ \t]{1,4}config[ \t]{1,4}get[ \t]{1,4}[^\s]{0,200}:_(?:auth|authToken|password)|"
    # (Twenty-eighth pass: ``kubectl view-secret <secret> <key>`` decodes one key of a Secret,
    # ``client-secret``, ``db_password``.)
    rb"kubectl[ \t]{1,4}view-secret"
    + _KUBECTL_FLAGS
    + rb"[ \t]{1,4}[A-Za-z0-9_.\-]{1,253}"
    + _KUBECTL_FLAGS
    + rb"[ \t]{1,4}"
    + _NAME27
    + rb""
    rb")(?![A-Za-z0-9_\-])[^\r\n|>;&]{0,200}\r?\n"
    rb"(?:[^\r\n]{0,8}?(?:warning|warn|notice|note)\b[^\r\n]{0,200}\r?\n){0,2}"
    rb"(?P<q>[\"']?)(?![\"'`<]|\[REDACTED)(?P<s>[^\s\"'`]{8,4096}?)(?P=q)(?:[$%#>][ \t]?)?[ \t]{0,4}"
    rb"(?=\r?\n|\Z)"
)


def _not_a_printed_secret(value: bytes) -> bool:
    return reject_placeholder(value) or _SETTING_WORD.fullmatch(value) is not None


# Twenty-seventh pass: JSON written inside a JSON string with its quotes as ``\u0022`` (``{"message":
# "{\u0022password\u0022: \u0022…\u0022}"}``, as .NET's and Go's encoders escape them), a
# secret's name quoted so, then its value.
_U0022_PAIR = (
    rb"(?i)\\u0022(?P<k>" + _NAME27 + rb")\\u0022[ \t]{0,4}:[ \t]{0,4}\\u0022"
    rb"(?!\[REDACTED)(?P<s>(?:(?!\\u0022)[^\s\\\"]|\\(?!u0022)[^\s]){1,512})\\u0022"
)
# Twenty-seventh pass: vault's AppRole ``secret_id`` is a UUID (``vault write -f
# auth/approle/role/x/secret-id``'s ``secret_id   <uuid>`` row, JSON, YAML): the generic rules
# read a name ending in ``id`` over a UUID as an id. Not ``secret_id_accessor`` (its reference).
_SECRET_ID_UUID = (
    rb"(?i)(?<![A-Za-z0-9])(?P<k>(?:[A-Za-z0-9]{1,20}[_\-])?secret[_\-]id)[\"']?[ \t]{0,40}"
    rb"(?:[:=|][ \t]{0,8})?[\"']?(?!\[REDACTED)"
    rb"(?P<s>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
    rb"(?![A-Za-z0-9_\-])"
)
# Twenty-seventh pass: a conda channel's token in its URL's path, ``https://conda.example.com/t/
# <token>/channel`` (``~/.condarc``, ``conda config --show channels``; anaconda.org's form).
# (Found from ``/t/``: a match starting at the URL's scheme is confirmed on a window from the hit.)
_CONDA_TOKEN = rb"(?<=[A-Za-z0-9])/t/(?!\[REDACTED)(?P<s>[A-Za-z0-9_\-]{16,256})/"
_URL_HOST_BEFORE = lazy_compile(rb"https?://[A-Za-z0-9.\-]{1,200}(?::[0-9]{1,5})?\Z")


def _not_in_a_url_path(text: bytes, start: int, end: int) -> bool:
    """``/t/<token>/`` right after a URL's host (``https://conda.example.com/t/…``)."""
    slash = start - 3
    return _URL_HOST_BEFORE.search(text, max(0, slash - 220), slash) is None


TWENTYSEVENTH: tuple[Detector, ...] = (
    _d22(
        _CLI_PRINTS_SECRET,
        rb"(?i)(?:auth:token|auth[ \t]{1,4}token|print-(?:access|identity)-token|get-login-password|"
        rb"print[ \t]{1,4}token|terraform[ \t]{1,4}output[ \t]|config:get[ \t]|"
        rb"config[ \t]{1,4}get[ \t][^\r\n]{0,200}:_(?:auth|password)|view-secret[ \t])",
        reject=_not_a_printed_secret,
    ),
    _d22(_U0022_PAIR, rb"(?i)\\u0022[A-Za-z0-9_.\-]{0,40}" + _KEYWORDS, line_bound=True),
    _d22(
        _SECRET_ID_UUID,
        rb"(?i)secret[_\-]id[\"']?[ \t]{0,40}[:=|\"' \t][ \t\"']{0,8}[0-9a-fA-F]{8}-",
        line_bound=True,
    ),
    _d22(
        _CONDA_TOKEN,
        rb"[A-Za-z0-9]/t/[A-Za-z0-9_\-]{16}",
        reject=_not_key_material,
        line_bound=True,
        reject_at=_not_in_a_url_path,
    ),
)

# Twenty-eighth pass (issue 18, ctx28). A token of standard base64 as a URL's password, its
# ``/`` and ``+`` unencoded (``pip.conf``'s ``https://__token__:<base64>@pypi.corp/simple``, an
# Artifactory or Nexus API key): the URL rule stops at a ``/`` (a path's start). Key material
# only: ``https://host:8080/users/@alice`` is a port and a path.
_URL_SLASH_TOKEN = (
    rb"(?i)\b[a-z][a-z0-9+._\-]{1,30}://[A-Za-z0-9_.\-~%]{1,64}:(?!\[REDACTED)"
    rb"(?P<s>[A-Za-z0-9+=_\-]{0,255}/[A-Za-z0-9+/=_\-]{0,255})@[A-Za-z0-9\[]"
)


# Terraform's per-host token variable, ``TF_TOKEN_<host with dots as _>`` (``TF_TOKEN_app_terraform_io``):
# the name ends in the host, not in a secret's word. In ``env``, ``export``, a ``.env`` line,
# PowerShell's ``$env:`` and a YAML/JSON mapping.
_TF_TOKEN = (
    rb"(?<![A-Za-z0-9_])(?P<k>TF_TOKEN_[A-Za-z0-9_\-]{1,200})[\"']?[ \t]{0,4}[:=][ \t]{0,4}[\"']?"
    rb"(?!\[REDACTED)(?P<s>[^\s\"'`]{8,1024})"
)


def _short_or_not_key_material(value: bytes) -> bool:
    return len(value) < 20 or _not_key_material(value)


TWENTYEIGHTH: tuple[Detector, ...] = (
    _d22(_TF_TOKEN, rb"TF_TOKEN_[A-Za-z0-9]", line_bound=True),
    Detector(
        "url-credentials",
        "url-credentials",
        _URL_SLASH_TOKEN,
        reject=_short_or_not_key_material,
        line_bound=True,
        prefilter=rb"(?i)[a-z][a-z0-9+._\-]{1,30}://[A-Za-z0-9_.\-~%]{1,64}:[A-Za-z0-9+/=_\-]{20,512}@",
    ),
)

KEY_NAMES = (
    KEY_NAMES
    + NINTH
    + FOURTEENTH
    + FIFTEENTH
    + TWENTIETH
    + TWENTYFIRST
    + TWENTYSECOND
    + TWENTYTHIRD
    + TWENTYFOURTH
    + TWENTYSIXTH
    + TWENTYSEVENTH
    + TWENTYEIGHTH
)

ALL: tuple[Detector, ...] = PROVIDERS + URLS + KEY_NAMES + GENERIC


# Too generic on their own: {key: e}, obj.key = k, pw=f() are code, not credentials. Such a bare
# name counts when assigned with '=' (not as a property) or when its value is long.
_BARE = frozenset(
    {b"key", b"keys", b"pw", b"pass", b"auth", b"session", b"session_id", b"sessionid"}
)
_QUOTED_OK = frozenset({b"pw", b"auth", b"session"})


def is_key_name(key: bytes) -> bool:
    """A key name that really names a secret (not 'primary_key', 'max_tokens', …)."""
    return not _NOT_KEYS.search(key)


# A session *token* is a credential; a session *label* ("agent-3:fix rounding:0") is not. Under a
# session name only a token-shaped value (one unbroken run of token characters) counts.
_SESSION_NAMES = (b"session", b"session_id", b"sessionid", b"session-id", b"session.id")
_TOKEN_SHAPED = lazy_compile(rb"[A-Za-z0-9_\-+/=.%]{16,}")


# A name made of words (CamelCase, snake, kebab) one of which names a secret.
_NAMES_A_SECRET = lazy_compile(
    rb"(?i)(?=.*(?:pass(?:word|wd)?|secret|token|key|credential|auth))"
    rb"[A-Za-z]+(?:[_\-.]?[A-Za-z]+){0,8}"
)


# Names whose only secret word is "key" (cache_key, AssetKey, SCOPE_KEY, sort key): code is full
# of them holding names, not secrets. Under such a name a value of plain words does not count;
# anything with digits or random-looking does ("key = adf4b1db…").
_STRONGER_THAN_KEY = lazy_compile(
    rb"(?i)(?:pass|pwd|secret|token|o?auth|cred|cookie|session|jwt|bearer|dsn|salt|sign|api|"
    rb"access|priv|crypt|encrypt|ssh|master|licen[cs]e|client|account|service|hmac|aes|rsa|gpg|"
    rb"pgp|webhook)[a-z]{0,8}"
)
_WORDS_ONLY = lazy_compile(rb"[A-Za-z_][A-Za-z_.\-/: \[\](){},|]{0,255}")
_INDEX = lazy_compile(rb"\[[^\]]{0,20}\]$")


def _code_name(value: bytes) -> bool:
    """``asset_checks_by_key``, ``field_info[0]``, ``ResolvedAssetKey``: a name as code writes one
    (the word model's CODE_NAME), maybe indexed; not a snake-shaped token
    (``sk_pr_mykey_fa02df70…``)."""
    return word_model.kind(_INDEX.sub(b"", value)) is word_model.Kind.CODE_NAME


_CONSTANT_REF = lazy_compile(rb"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+){2,}")
_CODE_PUNCT = lazy_compile(rb"[ \[\](){},|]")


# A name's words, as code spells them: Capitalised or lower-case runs, acronyms.
_NAME_WORD = lazy_compile(rb"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def _weak_key_name(name: bytes) -> bool:
    if not name.lower().rstrip(b"s0123456789").endswith(b"key"):
        return False
    # Word by word: "fastapi" in _FASTAPI_SCOPE_KEY is no "api".
    words = _NAME_WORD.findall(name)
    return not any(_STRONGER_THAN_KEY.fullmatch(w) for w in words)


# An ISO 8601 time (2026-02-10T08:14:00Z, …T08:14:00.123+00:00): the word model reads the T and
# Z as letters among digits.
_ISO_TIME = lazy_compile(
    rb"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?"
    rb"(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
)
# An Amazon Resource Name: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbC123.
_ARN = lazy_compile(rb"arn:aws(?:-[a-z\-]{2,12})?:[a-z0-9\-]{2,32}:[a-z0-9\-]{0,24}:[0-9]{0,12}:")
_ARN_HEAD = lazy_compile(
    rb"arn:aws(?:-[a-z\-]{2,12})?:[a-z0-9\-]{2,32}:[a-z0-9\-]{0,24}:[0-9]{0,12}:\Z"
)


def in_arn(text: bytes, name_start: int) -> bool:
    """The name is an ARN's resource type (``arn:aws:secretsmanager:…:secret:prod/db-AbC123``):
    what follows it is the resource's name, not a value (twelfth pass)."""
    return _ARN_HEAD.search(text, max(0, name_start - 96), name_start) is not None


# An id's value: a word or a name and a short number (key-0075, 12, svc_4).
_ID_VALUE = lazy_compile(rb"[A-Za-z]{0,16}[_\-.]?[0-9]{1,8}")


# A setting's value: a number (maybe grouped, with a unit: 3000, 1_000, 12.5, 30s, 64MB, 90%),
# a boolean or nothing.
_SETTING_NUMBER = lazy_compile(
    rb"[+-]?(?:[0-9]{1,3}(?:[,_][0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
    rb"[ \t]?(?:%|[A-Za-z]{1,3})?"
)
_SETTING_WORD = lazy_compile(
    rb"(?i)true|false|yes|no|on|off|none|null|nil|enabled|disabled|auto|default|always|never"
)


def setting_value(value: bytes) -> bool:
    """What a setting holds (``3000``, ``12.5``, ``30s``, ``true``, ``argon2id``, ``strict``,
    ``aes-256-gcm``): a number, a boolean, or one short word as a person or code writes it —
    never random characters, hex of 16+ digits or base64."""
    v = value.strip().strip(b"\"'`").rstrip(b",;}]")
    if _SETTING_NUMBER.fullmatch(v) or _SETTING_WORD.fullmatch(v) or _ISO_TIME.fullmatch(v):
        return True
    kind = word_model.kind(v)
    if kind is word_model.Kind.NUMBER:  # a date, a version, a duration written with separators
        return True
    return (
        len(v) <= 24
        and kind in _WORDS
        and not word_model.randomness(v)
        and not word_model.short_random(v)
    )


# Authentication mechanisms and modes (SASL, HTTP schemes, pg_hba methods, servlet containers).
_AUTH_MODE = lazy_compile(
    rb"(?i)plain|login|cram-md5|digest-md5|scram-sha-(?:1|256|512)(?:-plus)?|xoauth2?|oauthbearer|"
    rb"gssapi|ntlm|external|anonymous|basic|bearer|digest|negotiate|kerberos|none|container|"
    rb"application|md5|trust|peer|ident|password|scram|sspi|ldap|radius|cert|oauth2?|oidc|saml|"
    rb"token|apikey|api_key|jwt|hmac|iam|sigv4|aws_iam|mtls|tls|client_cert"
)


_LOCATION_NAME = lazy_compile(
    rb"(?i)(?:^|[_.\-])(?:dir|dirs|directory|path|paths|folder|home|root|mount|location)$"
)
_LOCATION_PATH = lazy_compile(
    rb"(?:~|\.{1,2})?/[A-Za-z0-9_.\-/~+@]*|[A-Za-z]:\\[A-Za-z0-9_.\-\\ ]*"
)


def _location_value(value: bytes) -> bool:
    """An absolute or home-relative path of words (not key material that starts with ``/``)."""
    v = value.strip(b"\"'")
    return _LOCATION_PATH.fullmatch(v) is not None and not any(
        word_model.key_material(part) for part in v.replace(b"\\", b"/").split(b"/")
    )


# Twenty-ninth pass: ``pass`` after an ordinal names a run, not a password: a test module or a
# step (``test_twentyninth_pass: …`` opening a commit message, ``second_pass``, ``final-pass``);
# ``db_pass``, ``smtp_auth_pass`` still name one.
_RUN_PASS = lazy_compile(
    rb"(?i)(?:^|[_\-./])(?:first|second|third|(?:twenty|thirty|forty|fifty|sixty)?(?:first|"
    rb"second|third|fourth|fifth|sixth|seventh|eighth|ninth)|tenth|eleventh|twelfth|thirteenth|"
    rb"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|"
    rb"fortieth|fiftieth|last|final|next|[0-9]{1,3}(?:st|nd|rd|th))[_\-]pass\Z"
)


def bare_name_ok(name: bytes, separator: bytes, before: int, value: bytes) -> bool:
    """Whether ``value`` under ``name`` counts (``before``: the byte before the name, or -1)."""
    if _ACCESSOR.search(name) or _RUN_PASS.search(name):
        # (Twenty-seventh pass: vault's ``token_accessor``, ``secret_id_accessor``: a reference
        # that looks a token up or revokes it, and cannot authenticate.)
        return False
    if names.openpgp_fingerprint(name, value):
        # (Twenty-seventh pass: ``GPG_KEY=A035C8C1…`` in every ``python`` image's environment,
        # ``NODE_KEYS``: an OpenPGP key's fingerprint or long id, which signs releases and is
        # published; a secret key is never 40 hex digits.)
        return False
    if _LOCATION_NAME.search(name) and _location_value(value):
        # (Twenty-seventh pass: ``PASSWORD_STORE_DIR=/home/dev/.password-store``, ``declare -x
        # SECRETS_DIR="/run/secrets"``: a name ending in a place word holds a path.)
        return False
    if names.setting_name(name) and setting_value(value):
        # timeout_secret_ms: 3000, "token_count": 12.5, password_hash_algo: argon2id.
        return False
    if names.service_name(name) or _ARN.match(value):
        # secretsmanager:GetSecretValue, arn:aws:secretsmanager:…, SecretId: arn:aws:…: a
        # cloud service's name and a resource's name, not a credential (twelfth pass).
        return False
    if names.id_name(name) and not word_model.bearer_grade(value) and _ID_VALUE.fullmatch(value):
        # api_key_id: key-0075, secret_id: 12: an id of a key, short and not random.
        return False
    if _weak_key_name(name) and (
        len(value) < 8
        or _code_name(value)
        or (
            _WORDS_ONLY.fullmatch(value)
            and (_CODE_PUNCT.search(value) or word_model.kind(value) in _WORDS)
        )
    ):
        return False
    if _CONSTANT_REF.fullmatch(value) and separator.rstrip()[-1:] not in (b'"', b"'", b"`"):
        # FIELD_NO_DEFAULT_PROVIDED: a constant's name, as code compares or assigns it (in
        # quotes it is a literal: password = "A0_0_0").
        return False
    if name.lower().endswith(_SESSION_NAMES) and not _TOKEN_SHAPED.fullmatch(value):
        return False
    if name.lower() == b"auth" and _AUTH_MODE.fullmatch(value.rstrip(b"])},;")):
        # ``AUTH=PLAIN`` (an IMAP capability), Tomcat's ``auth="Container"``, ``auth: md5``:
        # a mechanism or mode, not a credential (twenty-fourth pass).
        return False
    value_len = len(value)
    if name.lower() not in _BARE:
        return True
    if _NAMES_A_SECRET.fullmatch(value):
        # key="ClearTextPassword", key: my-secrets-manager-secret: the key *names* a secret.
        return False
    if separator.strip(b" \t") == b"`":
        # "Pass `use_x=True`": a bare name, a blank and Markdown code are prose.
        return False
    # A quoted field name ({"auth": "…"} in a docker config) is data, not code; "key" stays
    # ambiguous even then ({"key": "user:42"} in cache logs).
    quoted = before in (0x22, 0x27) and name.lower() in _QUOTED_OK
    return quoted or (b"=" in separator and before != 0x2E) or value_len >= 16
