"""Values that stand in for a secret without being one: fakes, templates, code.

Documentation, examples and configuration templates are full of secret-shaped slots
(``password = xxxx``, ``${DB_PASSWORD}``, ``<your-token>``, ``os.environ.get("TOKEN")``,
``ops_eyJ…[Redacted]``). Masking them protects nothing and makes logs unreadable, so the
key-name and generic detectors drop a hit whose value is one of these. Provider-format detectors
do not: ``ghp_xxxx…`` carries a format that says "credential", and over-masking it costs
nothing. The tests are shapes a
random credential essentially never has (a run of one character, an ascending alphabet run, a
short unit repeated), so a real secret is not let through by accident.
"""

from __future__ import annotations

import re

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.redaction import word_model

# x/X/*/# stand for "a character goes here": four x in a row (or three * or #) do not
# happen by chance in a token worth the name.
_FILLER_RUN = lazy_compile(rb"[xX]{4}|\*{3}|#{3}|(?:\xe2\x80\xa2){3}")
# (Fourteenth pass: a word and an ellipsis is a status, ``token: fetching…``.)
_ELIDED = lazy_compile(
    rb"\.\.\.?\[|\.{3}.|\xe2\x80\xa6.|\[redacted\]|<redacted>|^[a-z]{3,24}(?:\.{3}|\xe2\x80\xa6)$",
    re.IGNORECASE,
)
_DUMMY_WORD = lazy_compile(
    rb"example|placeholder|your[_\-]?(?:own[_\-]?)?(?:api[_\-]?)?(?:key|token|secret|pass)|"
    rb"_here\b|dummy|redacted|changeme|changeit|notreal|not[_\-]a[_\-]real|"
    # A separate word only: trufflehog's realistic fakes hide "fake" inside random runs.
    rb"(?:^|[_\-. ])(?:fake|invalid|sample)(?:[_\-. ]|$)|^some_?fake",
    re.IGNORECASE,
)
_ALNUM = lazy_compile(rb"[A-Za-z0-9]")
# All of the above in one case-sensitive pattern run on the lower-cased value (Python's re is
# about twice as fast that way; this runs on every confirmed hit).
_FAKE_LOWER = lazy_compile(
    b"|".join(r.pattern for r in (_FILLER_RUN, _ELIDED, _DUMMY_WORD)).replace(b"[xX]", b"x")
)
# Closed templates only: a password may well contain "${" or "{{" on its own.
_TEMPLATE = lazy_compile(
    rb"\$\{\{?\s?[A-Za-z_][A-Za-z0-9_.\-]*\s?\}|\{\{\s?[A-Za-z_.][A-Za-z0-9_.\- |]*\}\}|"
    rb"\$\([a-z][^()]{0,200}\)|\{%[^%]{1,80}%\}|`|"
    # An unquoted value stops at the first space: "${{ secrets.X }}" arrives as "${{".
    rb"^(?:\$\{|\{\{|\$\(|\{%)|"
    # (Twenty-fourth pass: references glued together, ``$PREFIX$SUFFIX``, and a colour word
    # diff's two sides with the codes read out, ``ESC[31m$DB_PASSWORD…ESC[32m$DB_PASSWORD``.)
    rb"^%[A-Za-z_][A-Za-z0-9_]*%$|^(?:\$[A-Za-z_][A-Za-z0-9_]*)+$|^<[^<>]*>$|"
    rb"^\[[A-Za-z_ \-]*\]$|^\{[A-Za-z_][A-Za-z_]*[0-9]{0,2}\}$|^ENC\[|"
    # (Fourteenth pass: a note in lower-case words, ``(not set)``, ``(sensitive)``, and ``N/A``.)
    rb"^\([a-z][a-z \-]{1,30}\)$|^[Nn]/[Aa]$|"
    # A Python/JS interpolation of a lower-case (dotted) name: f"{self.base_url}_data".
    # A name of three or more characters or a dotted path: "{h}" inside a password is not one.
    rb"\{[a-z_](?:[a-z0-9_]{2,40}|[a-z0-9_]{0,40}(?:\.[a-z_][a-z0-9_]{0,40}){1,4})"
    rb"(?:\(\))?(?:![rsa])?(?::[^{}]{0,20})?\}"
)
# An identifier as code writes one: lower_snake, camelCase, UPPER_SNAKE (not a random token).
_IDENT = (
    rb"(?:[a-z_][a-z0-9_]*(?:[A-Z]+[a-z0-9_]+)*[A-Z]*|[A-Z][a-z0-9_]+(?:[A-Z]+[a-z0-9_]+)*|"
    rb"[A-Z][A-Z0-9_]*)"
)
# Code instead of a literal: a call (``getenv(``, ``os.environ.get(``) or a dotted reference
# (``var.db_password``, ``settings.SECRET_KEY``, ``Curve448.secret_length``).
_CODE = lazy_compile(
    # A call: its arguments close it, or a quote cut the value short ("getenv(" of
    # getenv("X"), "get_secret(name=" of get_secret(name="X")); q7Zz(oS+k…(-4SM… and
    # q7Z_X(8vMCS{zLQ…{_he} are passwords that happen to hold a parenthesis. Arguments hold
    # names, quotes, paths and numbers, not a password's !#%&*+;<>?^|~\; a call left open
    # holds only what comes before a quoted argument.
    rb"^"
    + _IDENT
    + rb"(?:\."
    + _IDENT
    + rb")*\s?\((?:[^()!#%&*+;<>?^|~\\]{0,200}\)|[A-Za-z0-9_., =]{0,40})$|"
    rb"^" + _IDENT + rb"(?:\." + _IDENT + rb"){1,4}(?:\[[A-Za-z0-9_, ]{1,40}\])?$|"
    rb"^(?:process\.env|os\.environ|secrets|vars|self|this)\b"
)
_TEMPLATE_OR_CODE = lazy_compile(_TEMPLATE.pattern + b"|" + _CODE.pattern)
# Every template and code shape needs one of these; most real values have none.
_TEMPLATE_OR_CODE_HINT = lazy_compile(rb"[${%<\[`(.]|^(?:secrets|vars|self|this)\b|^[Nn]/[Aa]$")
# An upper-case name that itself names a secret (passwordVariable: 'PASSWORD',
# LLM_SECRET_NAME = "ACME-GPT4-API-KEY"): a reference to a variable, not its value.
_SECRET_NAME_REF = lazy_compile(rb"^[A-Z]+[0-9]{0,2}(?:[_\-.][A-Z]+[0-9]{0,2})*$", re.ASCII)
_SECRET_WORD = lazy_compile(rb"PASS|SECRET|TOKEN|KEY|AUTH|CRED|PWD")
# Words that name a secret or an auth scheme rather than being one
# (Authorization: Bearer …, curl -u username:token, password: password).
_NAME_WORD = lazy_compile(
    rb"(?i)^(?:bearer|basic|token|digest|negotiate|ntlm|pass(?:word|wd)?|secret|key|api[_\-]?key|"
    rb"user(?:name)?|credentials?)$"
)
# An e-mail address names an account, it does not authenticate it.
_EMAIL = lazy_compile(rb"^[\w.+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+$")


# The characters people type to fill a slot; a key made of one other character (an all-zero
# age key is a run of bech32 "q") is left to the detectors.
_FILLER_BYTES = (b"x", b"X", b"0", b"a", b"A", b"1")


def _one_character(value: bytes) -> bool:
    """Mostly one filler character (``AIzaaaa…``, ``glc_1111…``, ``sntryu_aaaa…``)."""
    # Counting six bytes is C-speed; the alphanumerics are only counted for a likely slot.
    top = max(map(value.count, _FILLER_BYTES))
    if top < 5:
        return False
    alnum = len(_ALNUM.findall(value))
    return alnum >= 8 and top * 10 >= alnum * 6


def looks_fake(value: bytes) -> bool:
    """A provider-shaped value that is a documentation slot (``ghp_xxxx…``, ``AKIA…EXAMPLE``)."""
    v = value.strip()
    if not v:
        return True
    return bool(_FAKE_LOWER.search(v.lower())) or _one_character(v)


def is_template_or_code(value: bytes) -> bool:
    """``${VAR}``, ``{{ x }}``, ``$(cmd)``, ``<slot>``, ``getenv(…)``, ``var.db_password`` …"""
    v = value.strip()
    if _OPENS_A_TEMPLATE.match(v):
        return True
    if _TEMPLATE_OR_CODE_HINT.search(v) and _TEMPLATE_OR_CODE.search(v):
        # A random password drawn from every printable character holds "{_he}" or "a.b" now
        # and then: what is left around the template is punctuation of many kinds, which no
        # template or code leaves (postgres://${USER}:${PASS}@db leaves ":/@").
        if _random_around(_TEMPLATE_OR_CODE.sub(b" ", v)):
            return False
        # A dotted "reference" with a random part (nuhkw7nsry…q3xdg.sbpi6e) is a token with a
        # dot in it, not code.
        return not any(word_model.is_random(p, 8) for p in _PARTS.split(v))
    return _names_a_variable(v)


_PARTS = lazy_compile(rb"[^A-Za-z0-9]+")
# A value that opens with a template's "${", "{{", "$(", "{%", "%{" (Logstash, HAProxy) or "%("
# (Python's "%(name)s") is one whatever follows: the key-word anchor dismisses these before any
# rule here runs, so the rules must agree (a password opening so is about 1 in 1,400).
_OPENS_A_TEMPLATE = lazy_compile(rb"\$\{|\{\{|\$\(|\{%|%\{|%\(")
# A brace left over is one no template closed.
_PASSWORD_PUNCTUATION = frozenset(b"!#%&()*+,;<=>?[]^{}|~\\")


def _random_around(rest: bytes) -> bool:
    """What is left of a value around its template or code pieces is a random password: three
    kinds of punctuation no template or code leaves, or letters of both cases and digits that
    read as random — after one of those punctuation marks, or 16 of them without (code leaves
    words and short names: "https://host/?token=&x=1", "{self.base_url}_data")."""
    punctuation = len(_PASSWORD_PUNCTUATION.intersection(rest))
    if punctuation >= 3:
        return True
    alnum = bytes(_NOT_ALNUM.sub(b"", rest))
    if not punctuation and len(alnum) < 16:
        return False
    return (
        alnum.lower() != alnum
        and alnum.upper() != alnum
        and any(48 <= c <= 57 for c in alnum)
        and word_model.kind(alnum) is word_model.Kind.RANDOM
    )


_NOT_ALNUM = lazy_compile(rb"[^A-Za-z0-9]")


def _names_a_variable(v: bytes) -> bool:
    return v.isupper() and bool(_SECRET_NAME_REF.match(v) and _SECRET_WORD.search(v))


def names_instead_of_value(value: bytes) -> bool:
    """A word where a key-name value should be: an auth scheme (``Authorization: Bearer …``
    matched up to the scheme), a secret's name (``-u username:token``) or an e-mail address."""
    v = value.strip()
    return bool(_NAME_WORD.match(v) or _EMAIL.match(v) or _names_a_secret(v))


# "s3.secret-access-key": "aws_secret_access_key" — a mapping from one secret's name to another.
_LOWER_NAME = lazy_compile(rb"[a-z][a-z0-9]{0,11}(?:[_.\-][a-z][a-z0-9]{0,11}){1,6}")
_SECRET_PART = frozenset(
    b"secret secrets token key password passwd pass credential credentials auth sas session "
    b"bearer access".split()
)


def _names_a_secret(v: bytes) -> bool:
    if not _LOWER_NAME.fullmatch(v):
        return False
    return any(part in _SECRET_PART for part in re.split(rb"[_.\-]", v))


# A line's end as a tool shows it, glued to the value: an escaped newline inside a JSON or C
# string (``rg --json``'s ``"PASSWORD=[masked]\\n"``, strace), ``cat -A``'s ``$``/``^M$``.
_SHOWN_LINE_END = lazy_compile(rb"(?:\\r)?\\n$|(?:\^M)?\$$")
_SLOT = lazy_compile(
    rb"\[[A-Za-z_ \-]*\]|<[^<>]*>|\*+|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\([a-z][a-z \-]{1,30}\)"
)


def not_a_literal_secret(value: bytes) -> bool:
    """What key-name detectors drop: fakes, templates, code and references to other names."""
    if value.endswith((b"$", b"\\n")):
        # (Eighteenth pass: a slot with a shown line end, ``[masked]^M$``; only a slot's own
        # shape: ``A(000$`` is no call.)
        shown = _SHOWN_LINE_END.sub(b"", value.strip())
        if shown and (_SLOT.fullmatch(shown) or looks_fake(shown)):
            return True
    return looks_fake(value) or is_template_or_code(value)


def is_slot(value: bytes) -> bool:
    """The whole value is a slot's own shape (``<redacted>``, ``[masked]``, ``***``,
    ``${SESSION}``, ``(not shown)``), nothing glued to it."""
    return _SLOT.fullmatch(value) is not None
