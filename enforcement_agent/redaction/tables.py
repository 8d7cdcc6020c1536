"""Tables whose column header names a secret: the values below it are secrets.

``name,secret,region`` over ``prod,9Zt2…,eu`` puts the secret's name one line above its value, so
no key-name rule sees them together. A header line — CSV (``,`` or ``;``), TSV, ``|``-separated
(``psql -A``), a drawn table (a Markdown ``|---|`` line, ``psql``'s ``----+----`` or MySQL's
``+----+`` border under the header) or an aligned text table (columns apart by two blanks or
more, as ``kubectl`` prints them) — whose cells are all names, one of them naming a secret
(``secret``, ``api_key``, ``Password``, ``client secret``; not ``token_count`` or ``key_id``),
starts a table. Every following row with the same shape has that column masked, placeholders and
templates aside; under a weak name (``key``, ``session``) only a value that looks generated
counts. HTML tables (``to_html``, test reports, a page an agent fetched) are read by their tags:
a header row of ``<th>`` cells naming a secret masks the ``<td>`` text of that column in every
row below, on one line or many, until ``</table>``. A key/value table (``key,value``,
``| Name | Value |``, ``VARIABLE  VALUE``) names the secret in each row instead: where a row's key cell names a secret, its value cell is masked. A
blank line or a row of another shape ends the table; border lines inside a drawn table do not.
Tables drawn with box characters (rich, tabulate's grids: ``│ name │ secret │``) are read as
``|`` tables, byte for byte; Jira/YouTrack (``|| name || secret ||``), MediaWiki (``! name !!
secret``), Textile (``|_. secret |``) and LaTeX (``name & secret \\``) tables are rewritten to
bars once their header line shows the markup, and their rows the same way.

Header lines are found by one hyperscan expression (``HEADER``); rows are read only inside a
table. A stream carries the table across chunks (``TableScan``): a header far above a row still
names its column.
"""

from __future__ import annotations

import copy
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.redaction import names, word_model
from enforcement_agent.redaction.ansi import has_codes, line_offsets, raw_offset, strip
from enforcement_agent.redaction.prefilters import alternatives, run_except

DETECTOR = "column-secret"
# Rows longer than this end a table (a stream holds an unfinished row back until it ends).
MAX_ROW = 8192
# Gap lines (blank, a comment) between a header and its first row that do not end the table.
MAX_GAPS = 3
# Lines after a table's end in which a row of its shape opens it again (``Table.dormant``).
MAX_DORMANT = 100
_DIGIT = lazy_compile(rb"[0-9]")
# The kinds of table that do so: delimited, drawn and aligned ones (a single column's or a
# spaced header's rows are any word).
_DORMANT_KINDS = frozenset({"csv", "ssv", "tsv", "psv", "usv", "markdown", "aligned"})

# Eighth pass: more languages and plurals (a name of two words is one blank or "_" apart).
# Strong: password, secret, token, private or secret key.
_MORE_FOREIGN = (
    "şifre Şifre sifre jelszó jelszo heslo hesla hasła hasla parolă adgangskode kodeord "
    "mật_khẩu mat_khau kata_sandi kata_laluan κωδικός_πρόσβασης Κωδικός_πρόσβασης συνθηματικό "
    "סיסמה סיסמא كلمة_المرور كلمة_السر رمز_عبور گذرواژه पासवर्ड รหัสผ่าน トークン 秘密鍵 "
    "暗証番号 令牌 密钥 秘钥 私钥 口令 토큰 암호 Geheimnis Passwörter Passwoerter Kennwörter "
    "contraseñas contrasenas senhas wachtwoorden salasanat пароли Пароли секрет Секрет "
    "лозинка Лозинка lozinka geslo parool salasõna slaptažodis lykilorð jeton jetons segreto "
    "secreto sekret "
    # Twenty-fifth pass: a key qualified as an API's or a secret one (German compounds, French,
    # Spanish and Italian word order, Japanese), an access token in Spanish and Portuguese.
    "api-schlüssel api_schlüssel geheimer_schlüssel geheimschlüssel zugangsschlüssel "
    "privater_schlüssel clé_api clé_secrète clé_privée clave_de_api clave_secreta clave_privada "
    "chiave_api chiave_segreta chiave_privata chave_de_api token_de_acceso token_de_acesso "
    "apiキー シークレットキー "
)
# Weak (only generated-looking values below them): a word also meaning "key", "code" or "word",
# a personal access token's initials.
_WEAK_FOREIGN = "κωδικός Κωδικός clave chave ключ Ключ parola parole pat"
_FOREIGN_WORDS = (
    rb"passwort|kennwort|contrase(?:\xc3\xb1|n)a|mot_?de_?passe|senha|wachtwoord|"
    rb"has(?:\xc5\x82|l)o|l(?:\xc3\xb6|o)senord|passord|salasana|"
    rb"(?:\xd0\xbf|\xd0\x9f)\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c|"
    rb"\xd0\x9f\xd0\x90\xd0\xa0\xd0\x9e\xd0\x9b\xd0\xac|"
    rb"(?:\xd1\x82|\xd0\xa2)\xd0\xbe\xd0\xba\xd0\xb5\xd0\xbd|"
    rb"\xe5\xaf\x86(?:\xe7\xa0\x81|\xe7\xa2\xbc)|"
    rb"\xe3\x83\x91\xe3\x82\xb9\xe3\x83\xaf\xe3\x83\xbc\xe3\x83\x89|"
    rb"\xeb\xb9\x84\xeb\xb0\x80\xeb\xb2\x88\xed\x98\xb8"
)
_ALL_FOREIGN = (_MORE_FOREIGN + _WEAK_FOREIGN + " contraseña hasło lösenord пароль").split()
# Every other-language name of a secret the readers know (the seventh pass's and the eighth's),
# for the key-name detectors (ninth pass: ``{"jelszó": "…"}``, ``{"пароль": "…"}``); the weak ones
# name a secret only over a generated-looking value.
FOREIGN_SECRET_NAMES = [
    *(
        "Passwort Kennwort contraseña contrasena mot_de_passe senha wachtwoord hasło haslo "
        "lösenord losenord passord salasana пароль токен 密码 密碼 パスワード 비밀번호"
    ).split(),
    *(w for w in _ALL_FOREIGN if w not in _WEAK_FOREIGN.split()),
]
WEAK_FOREIGN_NAMES = _WEAK_FOREIGN.split()


def _alternatives(words: list[str], *, cased: bool) -> bytes:
    """``words`` as one alternation (a name of two words one blank or "_" apart); ``cased``: each
    also capitalised and in capitals (a byte expression's "(?i)" folds ASCII letters only:
    ``PASSWÖRTER``, ``ΚΩΔΙΚΌΣ``, ``CONTRASEÑA`` as ``kubectl``-style headers print them)."""
    forms = (v for w in words for v in ((w, w[:1].upper() + w[1:], w.upper()) if cased else (w,)))
    return b"|".join(
        re.escape(v.replace("_", " ").encode()).replace(b"\\ ", b"[ _]")
        for v in dict.fromkeys(forms)
    )


# Words starting with an ASCII letter (``jelszó``, ``contraseñas``): hyperscan finds them
# caseless after a cell's start; the others (``пароли``, ``κωδικός``, ``密钥``) from the word itself,
# capitalised and in capitals too. In capitals, a word starting with an ASCII letter and holding
# others (``PASSWÖRTER``) is left to the Python readers (variants of those cost hyperscan 1.7 ms
# per MB of CSV).
_MORE_ASCII = _alternatives([w for w in _ALL_FOREIGN if w[0].isascii()], cased=False)
# Fifteenth pass: a session id's names that hold no word of ``_SECRET_WORDS`` (``sid``,
# ``PHPSESSID``, ``connect.sid``, ``sess_id``), whole cells of a header line (``HEADER_MORE``).
_SESSION_WORDS = (
    rb"(?:[a-z]{1,12}[._\-])?(?:php|asp)?sess(?:ion)?[_\-]?id|(?:[a-z]{1,12}[._\-])?sid"
)
_MORE_UNICODE = _alternatives([w for w in _ALL_FOREIGN if not w[0].isascii()], cased=True)
_MORE_FOREIGN_WORDS = (
    _MORE_ASCII
    + b"|"
    + _MORE_UNICODE
    + b"|"
    + _alternatives([w for w in _ALL_FOREIGN if w[0].isascii() and not w.isascii()], cased=True)
)
# Words that name a secret as a column header (one word of the header, any case).
_SECRET_WORDS = (
    rb"pass(?:word|wd|phrase|code)?|pwd|secret|secrets|token|api_?key|apikey|access_?key|"
    rb"private_?key|priv_?key|secret_?key|client_?secret|credentials?|auth_?token|access_?token|"
    rb"refresh_?token|session_?token|cookie|key|session|auth|signature|jwt|bearer|dsn|"
    rb"mnemonic|seed_?phrase|recovery_?(?:phrase|code|key)|backup_?codes?|totp|otp|"
    rb"conn(?:ection)?_?str(?:ing)?|database_?url|db_?url|" + _FOREIGN_WORDS
    # The password's name in other languages (a bounded list: the languages tools and
    # spreadsheets are most often localised to, as their UTF-8 bytes): Passwort, Kennwort,
    # contraseña, mot de passe, senha, wachtwoord, hasło, lösenord, passord, salasana, пароль
    # (three cases), токен, 密码, 密碼, パスワード, 비밀번호.
)
# Every word naming a secret column, for the readers in Python; hyperscan finds the eighth
# pass's words with an expression of their own (``HEADER_MORE``: in ``HEADER`` they made it
# "too large" to compile).
_ALL_SECRET_WORDS = _SECRET_WORDS + b"|" + _MORE_FOREIGN_WORDS
# A header line naming a secret, as one expression hyperscan finds headers with, in two
# ways to reach the secret word (then the rest of its cell, then the cell's end):
# - from the line's start, only what a header line is made of (names, blanks, quotes, cell
#   delimiters) up to a word within the first HEADER_REACH characters: a line with anything
#   else before the word (":", "=", "(", "/") cannot be a header and is dropped unreported;
# - anywhere, from a cell delimiter (",", ";", tab, "|", "&", "!", a box line, two blanks) and the
#   start of the cell (quotes, markup, a name prefix): a wide header's late secret column.
# The reach is short because its cost grows with it: at 1,024 the expression alone took 6.4 ms
# per MB of prose (four times the cost at 64) and hyperscan scanned prose at half the speed.
HEADER_REACH = 64
# A prefix every line of a log carries before the table it prints: docker compose's service
# (``api-1  | ``), kubectl's ``[pod/web/app] ``, a timestamp, a Markdown quote (``> ``), a ``// ``
# comment. A table under one is read without it, its rows carrying a prefix of the same shape.
# The header expression finds only prefixes made of header bytes (``api-1  | ``, ``stdout | ``):
# with the other shapes in it, it cost 2.1 times as much on every line of prose and logs.
LINE_PREFIX = (
    rb"(?:[A-Za-z0-9_.\-]{1,40} {1,12}\| |\[[^\]\n]{1,80}\] |"
    rb"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]{1,9})?"
    rb"(?:Z|[+\-][0-9]{2}:?[0-9]{2})? "
    # Twenty-fifth pass: after the timestamp, a CRI log record's stream and tag (containerd,
    # CRI-O: ``stdout F ``) or syslog's host and program (``web-01 app[6676]: ``); docker's
    # json-file record (``{"log":"``).
    rb"(?:(?:stdout|stderr) [FP] |[A-Za-z0-9_.\-]{1,64} [A-Za-z0-9_.\-/]{1,48}(?:\[[0-9]{1,10}\])?: )?"
    rb"|(?:> ?){1,3}|// |\{\"log\": ?\")"
)
_LINE_PREFIX = lazy_compile(LINE_PREFIX)
# Eighth pass, two more kinds of prefix (read in Python only, on a header candidate's line):
# - a word and one blank, the same on every line: a stream's name (``out: ``, ``stdout: ``), a
#   log level (``INFO: ``, ``INFO ``) (not a list marker, ``- ``: a diff's lines start so, and
#   reading each such header twice cost ``git show`` output a tenth of its speed);
# - a line number, of any width on each line: ``cat -n``/``nl`` (``     1\t``), ``grep -n``
#   (``data.csv:12:``, ``12:``, context lines ``12-``), buildkit's step and time (``#12 0.532 ``).
_WORD_PREFIX = lazy_compile(rb"(?:[A-Za-z][A-Za-z0-9_.\-]{0,19}:|[A-Z]{3,8}) ")
_NUMBER_PREFIX = lazy_compile(
    rb"(?:[^\s:]{1,200}:)?[0-9]{1,9}[:\-] ?| {0,8}[0-9]{1,9}(?:\t| )|#[0-9]{1,5} [0-9]{1,6}\.[0-9]{1,3} "
)


# Drawn tables' box characters (U+2500–U+257F: "\xe2\x94\x80"–"\xe2\x95\xbf"), MediaWiki's "!"
# and LaTeX's "&" (and its "\\" row end after a name) are header bytes too (see ``_markup``).
# The two ways to reach a header's secret word: from the line's start, or from a cell delimiter.
_HEADER_FROM_LINE = (
    rb"(?:^|\n)(?:\xef\xbb\xbf)?\[?[A-Za-z0-9_ .\-,;\t|\"'*`!&#\x1f\xe2\x94\x95\xef\x80-\xbf]{0,"
    + b"%d}" % HEADER_REACH
)
# (git's word diff markers too: ``name,[-token-]{+secret+}``, a word-diffed header.)
_HEADER_FROM_CELL = (
    rb"(?:[,;\t|&!\x1f]|\xe2[\x94\x95][\x80-\xbf]|  |\{\+|\[-)[ \"'*`#]{0,3}[A-Za-z0-9_. \-]{0,30}"
)


def _header(words: bytes, start: bytes = _HEADER_FROM_LINE + b"|" + _HEADER_FROM_CELL) -> bytes:
    """``HEADER`` for the secret words of alternation ``words``, reached from ``start``."""
    return (
        rb"(?i)(?:"
        + start
        + rb")"
        # (Twenty-eighth pass: a comma in a note, ``"Token (base64, v2)"``; thirty-second: a
        # note glued to its name, PowerShell's ``Token(masked)``.)
        + rb"[\[<]?(?:"
        + words
        + rb")(?::[\"'*`]{0,3}|[A-Za-z0-9_ .\-\"'*`]{0,30}(?: ?[(\[][A-Za-z0-9_ .=,\-]{1,30}[)\]][\"'*`]{0,3})?[>\]]?"
        # The cell's end: a delimiter, or blanks and what follows them (the next cell's first
        # byte, a line end), so that hyperscan reports one end per header word, not one per blank.
        # (Speed pass, 2026-12-05: not an aligned assignment's "=" and a blank, ``password
        # = var.db_password``, 950 hits per MB of Terraform: a cell of "=" is no name, so no
        # header, and neither a record line nor a ``NAME  VALUE`` line takes "= " for a value.)
        + rb"(?: ?#[0-9]{1,3})?) *(?:[,;\t|&\\\x1f\x1e]|\xe2[\x94\x95]|  +(?:[^ \r\n=]|=[^ \t\r\n]|\r?\n|$)"
        + rb"|\r?\n|$|\+\}|-\])"
    )


# (The value column of a key/value table, ``values?``: its key cells name the secrets.)
_HEADER_WORDS = _SECRET_WORDS + rb"|values?"
HEADER = _header(_HEADER_WORDS)
# The same matches as two expressions, one per way in, as hyperscan scans them (speed pass,
# 2026-12-05: as one, the line-start reach and the cell-delimiter start made one automaton, and
# the literal database scanned configuration 14 % slower, prose 9 %); both report under one id.
HEADER_PARTS = (
    _header(_HEADER_WORDS, _HEADER_FROM_LINE),
    _header(_HEADER_WORDS, _HEADER_FROM_CELL),
)
# A header cell holding one of the eighth pass's words (``_MORE_FOREIGN``): at the line's
# start or after a cell delimiter, the word, then the cell's end right after it (no suffix: the
# list holds the plurals; ``pat`` is no ``path``).
_HEADER_MORE_START = (
    rb"(?:^|\n|[,;\t|&!\x1f]|\xe2[\x94\x95][\x80-\xbf]|  )(?:\xef\xbb\xbf)?[ \"'*`#\[<]{0,4}(?:"
)
_HEADER_MORE_END = rb")[\"'*`\]>:]{0,3} *(?:[,;\t|&\\\x1f\x1e]|\xe2[\x94\x95]|  |\r?\n|$)"
# (Two expressions: the words starting with an ASCII letter caseless after a cell's start; the
# others from the word itself, rare bytes hyperscan skips to.)
# (Ninth pass: also after a line prefix's end, ``[INFO] jelszó;team``, ``out: parolă,id``,
# an ISO timestamp's ``…00Z jelszó,id``.)
HEADER_MORE = (
    rb"(?i)"
    + _HEADER_MORE_START.replace(rb"(?:^|\n|", rb"(?:^|\n|\] |: |[0-9]Z |")
    + _MORE_ASCII
    + b"|"
    + _SESSION_WORDS
    + _HEADER_MORE_END
)
# The words that start with an ASCII letter and hold others, in capitals (``JELSZÓ``,
# ``CONTRASEÑA``, ``PASSWÖRTER``): found from the word itself, case-sensitively, as the words in
# other scripts are (a caseless byte expression does not fold ``Ó``; these were left to the
# Python readers until the ninth pass, and a line holding only them was no candidate).
_MORE_ASCII_CAPITALS = _alternatives(
    [w.upper() for w in _ALL_FOREIGN if w[0].isascii() and not w.isascii()], cased=False
)
# Twenty-first pass: ``pat`` ending a name one blank or a dot after the cell before it (``AGE
# pat``, ``NAME   DATA.PAT``, ``GH_PAT``): the expression above wants a cell's start before it.
HEADER_MORE = HEADER_MORE + rb"|[ ._\-]pat(?:[ \t]|\r?\n|$)"
# Twenty-first pass: a secret's word cut by the terminal's width at a line's end, its rest
# opening the next line (``API_TO`` over ``KEN``, ``CLIENT_`` over ``SECRET``).
_CUT_WORDS = ("token", "secret", "password", "passwd", "credential", "apikey")
HEADER_MORE += (
    rb"|(?:"
    + b"|".join(
        w[:i].encode() + rb"\r?\n" + w[i:].encode() for w in _CUT_WORDS for i in range(1, len(w))
    )
    # (Not after a ".": a sentence's end over a line opening with ``token``.)
    + rb"|[_\-]\r?\n(?:"
    + "|".join(_CUT_WORDS).encode()
    # (Twenty-second pass: the cut before the separator, ``AUTH`` over ``_TOKEN``, and in a
    # key's name after a separator, ``API_K`` over ``EY``.)
    + rb")|[A-Za-z]\r?\n[_\-](?:"
    + "|".join((*_CUT_WORDS, "key")).encode()
    + rb")|[_\-](?:k\r?\ney|ke\r?\ny|\r?\nkey))s?(?:[ \t]|\r?\n|$)"
)
# Twenty-sixth pass: a cell of two names parted by a slash, one a secret's word (``api/token``,
# ``API / Token``, ``Token/Key``, ``user/password``), ending the cell (a path, ``./secrets/x.json``,
# ``secret/data/app``, goes on past it); from the slash, the line is read by ``header``. (As a part
# of the header expression, the slash before and after the word made paths in checksums and
# lockfiles candidates, 88 and 132 per MB; with the name before the slash in the expression,
# every path's words were tried: 2 ms per MB of ``cargo``.)
_SLASH_END = rb"[\"'*`]{0,3} *(?:[,;\t|]|\xe2[\x94\x95]|  +[^ \r\n]|\r?\n|$)"
HEADER_MORE += (
    rb"|/ ?(?:"
    + _SECRET_WORDS
    + rb")"
    + _SLASH_END
    + rb"|(?:"
    + _SECRET_WORDS
    + rb") ?/ ?[A-Za-z][A-Za-z0-9_\-]{0,20}"
    + _SLASH_END
)
# Twenty-eighth pass: a header cell its tool cut with an ellipsis (rich's ``Secret Acc…``,
# polars' ``access_tok…``): a secret's word and the start of another, or a secret's word cut
# after two letters at least, then the ellipsis and the cell's end (``_cut_name`` reads it).
HEADER_MORE += (
    rb"|(?:(?:"
    + _SECRET_WORDS
    + rb")[ _\-][A-Za-z]{1,20}|(?:^|[ _\-|,;\t\x1f\x80-\xbf])(?:"
    + b"|".join(
        sorted({w[:i].encode() for w in (*_CUT_WORDS, "passphrase") for i in range(2, len(w) + 1)})
    )
    + rb")|(?:^|[ _\-|,;\t\x1f\x80-\xbf])(?:api|access|auth|client|private|refresh|bearer)"
    + rb"[ _\-][tkspc])(?:\xe2\x80\xa6|\.\.\.)"
    + _SLASH_END
)
HEADER_MORE_UNICODE = rb"(?:" + _MORE_UNICODE + b"|" + _MORE_ASCII_CAPITALS + _HEADER_MORE_END
_COLON_NAME = rb"[A-Za-z0-9_\-]{1,24}(?: [A-Za-z0-9_\-]{1,24}){0,3}"


# A header whose first cell names the secret, under a line prefix the header expression cannot
# cross (``[INFO] secret,name``, ``2026-12-03T10:00:00Z token<TAB>owner``, ``out: password  id``):
# the prefix, the name, and a cell delimiter after it (two columns at least).
def _prefixed_header(words: bytes, last_rest: bytes = rb"[A-Za-z0-9_\-]{0,30}") -> bytes:
    """``PREFIXED_HEADER`` for the secret words of alternation ``words``; ``last_rest``: what
    may follow the word in its name in the last branch (a two-cell header at a line start)."""
    return (
        rb"(?i)(?:^|\n)(?:\[[^\]\n]{1,80}\]|[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.,]{8,18}"
        # (Twenty-fifth pass: syslog's host and program after the time, ``web-01 app[6676]:``.)
        rb"(?:Z|[+\-][0-9:]{4,5})?(?: [A-Za-z0-9_.\-]{1,64} [A-Za-z0-9_.\-/]{1,48}\[[0-9]{1,10}\]:)?"
        rb"|[A-Za-z][A-Za-z0-9_.\-]{0,19}:) {1,2}(?:\xef\xbb\xbf ?)?[\"'`*]?"
        # (Ninth pass: the secret's word may end the first cell's name, ``[INFO] SigningSecret,id``,
        # ``out: AWS-SECRET-ACCESS-KEY|region``, and a byte-order mark may open it. The run of
        # names before the word costs hyperscan about 2 ms per MB of configuration, whose
        # ``key: value`` lines start like a ``word:`` prefix; without it after ``word:`` prefixes,
        # ``out: webhookSecret|team`` leaked.)
        rb"(?:[A-Za-z0-9_\-]{1,24} ?){0,3}(?:"
        + words
        + rb")[A-Za-z0-9_\-]{0,30}[\"'`*]? *(?:[,;\t|]|  )"
        # Tenth pass: a header of cells apart by a colon and blanks (``name  :  token``, ``status :
        # region : api key``, ``name:  password``): the word in the first cell before a blank and a
        # colon, or in a later cell after `` : `` (a YAML line, ``name: DB_PASSWORD``, is no
        # candidate: an expression starting at every ": " cost docker's JSON output and
        # configuration files twice their scan time, one at every ":  " git log's ``Date:   `` lines
        # a tenth; ``name:  password`` is a candidate of ``HEADER``'s two blanks).
        + rb"|(?:"
        + words
        + rb")[A-Za-z0-9_\-]{0,30} {1,8}: {1,8}[A-Za-z0-9_\-]"
        + rb"| : [ ]{0,8}[A-Za-z0-9_\- ]{0,30}(?:"
        + words
        + rb")[A-Za-z0-9_\-]{0,30} *(?:\r?\n|$| :|:  )"
        # Eleventh pass: cells one blank after each colon (``id: secret key`` over ``1: 9Zt2…``,
        # ``password: env: status``, ``region: id: token: status``): from the secret's word, a
        # colon before it and one after it; or a header of two cells starting its line, not
        # indented (a table's first cell is a name: ``id``, ``host``; an indented YAML entry,
        # ``  - name: DB_PASSWORD``, is no candidate: with any ``: `` before the word and the line's
        # end after it, configuration output ran a third slower); Python then wants three cells or
        # rows keyed by data under it (``_colon_header_ok``).
        + rb"|: (?:[A-Za-z0-9_\-]{1,24} ){0,3}[A-Za-z0-9_\-]{0,24}(?:"
        + words
        + rb")[A-Za-z0-9_\-]{0,30}: [A-Za-z0-9_\-]"
        + rb"|(?:^|\n)(?:\| |[A-Za-z]{1,12}: )?(?:  )?(?:[A-Za-z0-9_\-]{1,24}: ){0,3}"
        + rb"(?:[A-Za-z0-9_\-]{1,24} ){0,3}"
        + rb"[A-Za-z0-9_\-]{0,24}(?:"
        + words
        + rb")"
        + last_rest
        + rb"(?:\r?(?:\n|$)|: [A-Za-z0-9_\-])"
    )


PREFIXED_HEADER = _prefixed_header(_SECRET_WORDS)
_NAME_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
# The same matches, one expression per secret word, as hyperscan scans them (speed pass,
# 2026-12-05): compiled as one alternation under these contexts, the words made hyperscan run an
# automaton from every ``: `` (docker's JSON, YAML, ``git log``'s ``AuthorDate:``) and a line
# start, which cost the literal database 6 ms per MB of ``docker inspect`` output with not one
# match; one expression per word is led by its word. Every part reports under one id, so the
# hits group into the same runs (``engine._scan_plan``).
# In its last branch, ``auth`` is no secret's word where its name ends ``author`` or
# ``authordate`` (``git log --format=fuller``'s ``AuthorDate: Thu …``, ``Author: alice``, 907
# hits per MB of ``git log``): ``secret_column`` reads neither name as one (``auth`` names a secret
# only at a word's end or glued to ``token``; ``author`` and ``date`` are no qualifiers), so the
# line was read in Python to be dismissed (speed pass, 2026-12-05). Another cell of the line that
# names a secret is found by its own word.
_NOT_AFTER_AUTH = ("or", "ordate")
PREFIXED_HEADER_PARTS = tuple(
    _prefixed_header(w, run_except(_NAME_BYTES, 30, _NOT_AFTER_AUTH))
    if w == b"auth"
    else _prefixed_header(w)
    for w in alternatives(_SECRET_WORDS)
)
# Thirteenth pass: a YAML block scalar under a key naming a secret (``private_key: |``,
# ``client_secret: >-``, ``token: |2``): the more-indented lines below it are the value. And an
# SQL insert whose ``VALUES`` ends its line, the tuples on the lines below (``INSERT INTO creds
# (token) VALUES`` over ``  ('9Zt2…'),``).
# (The key's last word names the secret: a run of name characters after the word cost ``git
# log`` output a fifth of the literal database's speed, one from the indicator alone a third of
# configuration's.)
BLOCK_SCALAR = (
    rb"(?i)(?:"
    + _SECRET_WORDS
    + rb")[\"']?[ \t]{0,4}:[ \t]{1,4}[|>][+\-]?[0-9]?[+\-]?[ \t]*(?:#[^\n]{0,80})?\r?(?:\n|$)"
    + rb"|\)[ \t]*values[ \t]*\r?(?:\n|$)"
    # (Twenty-third pass: ``pg_dump``'s ``COPY public.users (id, api_token) FROM stdin;`` over
    # its rows, tab-separated, up to ``\.``.)
    + rb"|\)[ \t]*from[ \t]+stdin[ \t]*;[ \t]*\r?(?:\n|$)"
)
_BLOCK_HEAD = lazy_compile(
    rb"([ \t]*)(?:- )?[\"']?([A-Za-z0-9_.\- ]{1,60}?)[\"']?[ \t]{0,4}:[ \t]{1,4}"
    rb"[|>][+\-]?[0-9]?[+\-]?[ \t]*(?:#[^\n]{0,80})?\r?"
)


def block_scalar(line: bytes) -> Table | None:
    """A YAML key naming a secret whose value is a block scalar on the lines below (its
    indentation in ``starts``), or None."""
    m = _BLOCK_HEAD.fullmatch(line)
    if m is None:
        return None
    yes, weak = secret_column(m.group(2))
    if not yes:
        return None
    return Table("block", 1, (0,), (weak,), starts=(len(m.group(1)),))


def block_line(line: bytes, table: Table) -> tuple[list[tuple[int, int, bool]], Table | None]:
    """A line under a block scalar's key: its text when more indented than the key (a blank
    line stays in the block), else the block's end."""
    body = line.rstrip(b"\r")
    text = body.lstrip(b" \t")
    if not text:
        return [], table
    indent = len(body) - len(text)
    if indent == 0 and text[:1] == b"+" and text[:3] != b"+++":
        # (Twenty-third pass: a diff adding the block's line, ``+    <value>`` under its
        # ``   password: |`` context line: the ``+`` stands in the column of a blank.)
        rest = text[1:].lstrip(b" \t")
        indent, text = len(body) - len(rest), rest
        if not text:
            return [], table
    if indent <= table.starts[0]:
        return [], None
    # A line of words is a value only when it looks generated (a passphrase's words aside, a
    # line of prose under ``password: |`` is more often a note); one run of characters is the
    # value whatever it looks like, as under a key naming a secret anywhere.
    weak = table.weak[0] or b" " in text or b"\t" in text
    return [(indent, len(body), weak)], table


def _block_or_insert(line: bytes, schemas: Schemas = ()) -> Table | None:
    """A block scalar's key or an insert's ``VALUES`` line, tried only on a line ending so (the
    readers' expressions cost configuration output a tenth when tried on every candidate)."""
    tail = line.rstrip(b" \t\r")
    if b"#" in tail or tail[-1:] in b"|>-+0123456789":
        if (opened := block_scalar(line)) is not None:
            return opened
    if tail[-6:].lower() == b"values":
        return insert_open(line) or (rows_open(line, schemas) if schemas else None)
    if tail[-1:] == b";":
        return copy_open(tail) or (rows_open(tail, schemas) if schemas else None)
    return None


# (Twenty-fourth pass: with options, ``WITH (FORMAT csv, HEADER)``, ``CSV HEADER``, ``DELIMITER
# ','``: the rows are then CSV, or split at the delimiter named, the first a header with
# ``HEADER``.)
_COPY_OPTIONS = rb"(?:[ \t]+([^;\n]{1,200}?))?[ \t]*;"
_COPY = lazy_compile(
    rb"(?i)[ \t]*copy[ \t]+[^\s(]{1,128}[ \t]*\(([^()\n]{1,2048})\)[ \t]*from[ \t]+stdin"
    + _COPY_OPTIONS
)
_COPY_CSV = lazy_compile(rb"(?i)\bcsv\b")
_COPY_HEADER = lazy_compile(rb"(?i)\bheader\b(?![ \t]*(?:false|off|0)\b)")
_COPY_DELIMITER = lazy_compile(rb"(?i)\bdelimiter[ \t]+(?:as[ \t]+)?[eE]?'(\\t|[^'\\])'")


def copy_table(
    width: int, columns: tuple[int, ...], weak: tuple[bool, ...], options: bytes | None
) -> Table:
    """An open ``COPY … FROM stdin``'s rows: their delimiter (``sql``) and whether a header row
    comes first (``fresh``)."""
    sep = b"\t"
    if options:
        if _COPY_CSV.search(options):
            sep = b","
        if (d := _COPY_DELIMITER.search(options)) is not None:
            sep = b"\t" if d.group(1) == b"\\t" else d.group(1)
    header = bool(options) and _COPY_HEADER.search(options or b"") is not None
    return Table("copy", width, columns, weak, sql=sep, fresh=header)


def copy_open(line: bytes) -> Table | None:
    """``pg_dump``'s ``COPY t (cols) FROM stdin;`` naming a secret's column: its rows follow."""
    m = _COPY.fullmatch(line)
    if m is None:
        return None
    names = _insert_names(m.group(1))
    verdicts = [secret_column(n) for n in names]
    columns = tuple(i for i, (yes, _) in enumerate(verdicts) if yes)
    if not columns:
        return None
    return copy_table(len(names), columns, tuple(verdicts[i][1] for i in columns), m.group(2))


def copy_line(line: bytes, table: Table) -> tuple[list[tuple[int, int, bool]], Table | None]:
    """A row of an open ``COPY … FROM stdin`` (tab-separated, or at its delimiter, ``sql``; a
    backslash and a dot end it; a backslash and ``N`` is NULL)."""
    body = line.rstrip(b"\r")
    if body == b"\\." or not body:
        return [], None
    if table.fresh:
        return [], replace(table, fresh=False)  # (the header row of ``HEADER``)
    sep = table.sql or b"\t"
    if sep == b",":
        spans = _csv_cells(body, 0x2C)
    else:
        spans, pos = [], 0
        for cell in body.split(sep):
            spans.append((pos, pos + len(cell)))
            pos += len(cell) + 1
    if len(spans) != table.width:
        return [], None
    out = []
    for i, (a, b) in enumerate(spans):
        if i in table.columns and b > a and body[a:b] != b"\\N":
            out.append((a, b, table.weak[table.columns.index(i)]))
    return out, table


def insert_open(line: bytes) -> Table | None:
    """An SQL insert naming its columns whose tuples start on the next line (``… VALUES``)."""
    m = _INSERT.match(line)
    if m is None or line[m.end() :].strip():
        return None
    names = _insert_names(m.group(1))
    verdicts = [secret_column(n) for n in names]
    columns = tuple(i for i, (yes, _) in enumerate(verdicts) if yes)
    if not columns:
        return None
    return Table("insert", len(names), columns, tuple(verdicts[i][1] for i in columns))


def insert_line(line: bytes, table: Table) -> tuple[list[tuple[int, int, bool]], Table | None]:
    """A line of an open insert's tuples (``  ('a', 'b'),``; ``;`` ends the statement)."""
    text = line.rstrip(b"\r \t")
    body = text.lstrip(b" \t")
    if not body.startswith(b"("):
        return [], None
    columns = dict(zip(table.columns, table.weak, strict=True))
    cells = _tuple_cells(line, len(line) - len(line.lstrip(b" \t")), columns)
    return cells, (None if text.endswith(b";") else table)


# Twenty-fourth pass: an SQL dump's rows without a column list (``mysqldump``'s default
# ``INSERT INTO `t` VALUES (…),(…);``, sqlite3's ``.dump``, ``pg_dump --inserts``, ``REPLACE
# INTO``, ``COPY t FROM stdin;``) name no column: its table's ``CREATE TABLE`` earlier in the
# dump does. The statement is read (over several lines too, up to ``_CREATE_BYTES``), its
# column definitions split at the commas outside brackets and quotes (constraints ``PRIMARY
# KEY``, ``KEY``, ``CONSTRAINT``… hold no position), and the table kept in the scan's state
# (``Table.schemas``, the last ``_SCHEMAS`` tables, whatever the scan reads in between). A row
# of a table no ``CREATE TABLE`` named (the dump's start cut off, ``--no-create-info``) is read
# by its values alone: a quoted cell of 20 to 100 characters drawn at random, not hex or a
# UUID (an id's shape), is masked (``_unnamed_secret``).
_SQL_PART = (
    rb"(?:`[^`\n]{1,128}`|\"[^\"\n]{1,128}\"|\[[^\]\n]{1,128}\]|[A-Za-z0-9_$\x80-\xff]{1,128})"
)
_SQL_NAME = rb"(?:" + _SQL_PART + rb"\.){0,2}" + _SQL_PART
_CREATE = lazy_compile(
    rb"(?i)[ \t]*create[ \t]+(?:(?:global|local)[ \t]+)?(?:(?:temporary|temp|unlogged)[ \t]+)?"
    rb"table[ \t]+(?:if[ \t]+not[ \t]+exists[ \t]+)?(" + _SQL_NAME + rb")[ \t]*\("
)
_ROWS = lazy_compile(
    rb"(?i)[ \t]*(?:insert|replace)[ \t]+(?:(?:low_priority|delayed|high_priority|ignore)[ \t]+|"
    rb"or[ \t]+[a-z]+[ \t]+)?into[ \t]+(" + _SQL_NAME + rb")[ \t]*values[ \t]*"
)
_COPY_ALL = lazy_compile(
    rb"(?i)[ \t]*copy[ \t]+(" + _SQL_NAME + rb")[ \t]+from[ \t]+stdin" + _COPY_OPTIONS
)
_SQL_NAME_PART = lazy_compile(rb"`([^`]*)`|\"([^\"]*)\"|\[([^\]]*)\]|([^.`\"\[]+)")
_CREATE_BYTES = 16384
_SCHEMAS = 32
_CONSTRAINTS = frozenset(
    b"primary key unique constraint index foreign check fulltext spatial exclude period like "
    b"unique_key".split()
)
_QUOTE_CLOSE = {0x60: 0x60, 0x22: 0x22, 0x27: 0x27, 0x5B: 0x5D}


def _sql_key(name: bytes) -> bytes:
    """A table's name as rows and its ``CREATE TABLE`` may spell it differently: the last part
    (``public.users``, ``"main"."users"``), unquoted, in lower case."""
    parts = _SQL_NAME_PART.findall(name)
    return b"".join(parts[-1]).strip().lower() if parts else b""


def _definitions(body: bytes) -> list[bytes] | None:
    """The comma-separated definitions of a ``CREATE TABLE``'s body (what follows its opening
    bracket), up to its closing bracket; None while that has not come."""
    out, depth, start, i, n = [], 0, 0, 0, len(body)
    while i < n:
        c = body[i]
        if c in _QUOTE_CLOSE:
            j = body.find(bytes((_QUOTE_CLOSE[c],)), i + 1)
            if j < 0:
                return None
            i = j + 1
            continue
        if c == 0x2D and body[i + 1 : i + 2] == b"-":  # a comment, to the line's end
            j = body.find(b"\n", i)
            if j < 0:
                return None
            i = j
        elif c == 0x28:
            depth += 1
        elif c == 0x29:
            if depth == 0:
                out.append(body[start:i])
                return out
            depth -= 1
        elif c == 0x2C and depth == 0:
            out.append(body[start:i])
            start = i + 1
        i += 1
    return None


def _schema(name: bytes, definitions: list[bytes]) -> Schema:
    names = []
    for d in definitions:
        d = d.strip()
        while d.startswith(b"--"):  # (a comment line above the definition)
            d = d[d.find(b"\n") + 1 :].strip() if b"\n" in d else b""
        if not d:
            continue
        if d[0] in _QUOTE_CLOSE and d[0] != 0x27:
            end = d.find(bytes((_QUOTE_CLOSE[d[0]],)), 1)
            names.append(d[1:end] if end > 0 else d[1:])
            continue
        word = d.split(None, 1)[0]
        if word.lower() not in _CONSTRAINTS:
            names.append(word)
    verdicts = [secret_column(n) for n in names]
    columns = tuple(i for i, (yes, _) in enumerate(verdicts) if yes)
    return (_sql_key(name), len(names), columns, tuple(verdicts[i][1] for i in columns))


def remember(schemas: Schemas, schema: Schema) -> Schemas:
    """``schemas`` with ``schema`` last (the table named again replaced; at most ``_SCHEMAS``)."""
    kept = tuple(s for s in schemas if s[0] != schema[0])
    return (*kept[-(_SCHEMAS - 1) :], schema)


def create_open(line: bytes) -> tuple[Table | None, Schema | None]:
    """A ``CREATE TABLE`` line: its table when the statement ends on it, else the statement
    open (kind "create"); (None, None) for any other line."""
    m = _CREATE.match(line)
    if m is None:
        return None, None
    body = line[m.end() :]
    definitions = _definitions(body)
    if definitions is None:
        return Table("create", 0, (), (), sql=body, sql_name=m.group(1)), None
    return None, _schema(m.group(1), definitions)


def create_line(line: bytes, table: Table) -> tuple[Table | None, Schema | None]:
    """A line of an open ``CREATE TABLE``: the statement still open, or its table once it ends
    (or neither: a statement longer than ``_CREATE_BYTES`` or a blank line gives it up)."""
    sql = table.sql + b"\n" + line
    if len(sql) > _CREATE_BYTES or not line.strip():
        # (A blank line: no statement printed by a dump goes on past one; prose that opened
        # with ``create table x (`` does not hold the table reader any longer.)
        return None, None
    definitions = _definitions(sql)
    if definitions is None:
        return replace(table, sql=sql), None
    return None, _schema(table.sql_name, definitions)


def _named(schemas: Schemas, name: bytes) -> Schema | None:
    key = _sql_key(name)
    for s in reversed(schemas):
        if s[0] == key:
            return s
    return None


def _unnamed_secret(value: bytes) -> bool:
    """A value of a row whose columns nothing named: 20 to 100 characters drawn at random (not
    hex, not a UUID: ids are printed in such rows all the time)."""
    v = value.strip()
    if len(v) >= 2 and v[0] in b"'\"" and v[-1] == v[0]:
        v = v[1:-1]
    if not 20 <= len(v) <= 100 or _HEX_OR_UUID.fullmatch(v):
        return False
    return word_model.randomness(v) or word_model.key_material(v)


_HEX_OR_UUID = lazy_compile(rb"[0-9a-fA-F\-]+")


def rows_cells(line: bytes, schemas: Schemas) -> list[tuple[int, int, bool]] | None:
    """The secret cells of an insert without a column list (None: no such insert), read under
    its table's ``CREATE TABLE`` in ``schemas`` or, unnamed, by their values."""
    m = _ROWS.match(line)
    if m is None:
        return None
    schema = _named(schemas, m.group(1))
    if schema is not None:
        return _tuple_cells(line, m.end(), dict(zip(schema[2], schema[3], strict=True)))
    cells = _tuple_cells(line, m.end(), dict.fromkeys(range(_MAX_SQL_COLUMNS), True))
    return [c for c in cells if _unnamed_secret(line[c[0] : c[1]])]


_MAX_SQL_COLUMNS = 4096


def rows_open(line: bytes, schemas: Schemas) -> Table | None:
    """An insert without a column list whose tuples start on the next line (``pg_dump
    --rows-per-insert``), or a ``COPY t FROM stdin;``, under a table in ``schemas`` naming a
    secret's column."""
    m = _ROWS.match(line)
    kind = "insert"
    if m is None or line[m.end() :].strip():
        m = _COPY_ALL.fullmatch(line.rstrip(b" \t\r"))
        kind = "copy"
    if m is None:
        return None
    schema = _named(schemas, m.group(1))
    if schema is None or not schema[2]:
        return None
    if kind == "copy":
        return replace(copy_table(*schema[1:], m.group(2)), schemas=schemas)
    return Table(kind, schema[1], schema[2], schema[3], schemas=schemas)


# An HTML table row: a header candidate (its cells are read up to the row's end).
HTML_ROW = rb"(?i)<tr[\s>]"
# A MediaWiki table's start (``{|``): its cells may come one per line (``! name`` / ``! secret``
# header lines, ``|-`` between rows, ``| value`` lines), so it is read line by line from here.
# Seventeenth pass: a LaTeX header cell naming a secret inside a command (``\textbf{Password}``,
# ``\multicolumn{1}{c}{Token}``) or escaping its underscore (``private\_key``), before ``&`` or the
# row's ``\\``: ``HEADER`` reads no backslash or brace in a cell. Found from the backslash (rare
# but in escaped JSON, whose ``\n``/``\"`` leave this expression at their second byte).
LATEX_HEADER = (
    rb"(?i:\\(?:[a-z]{2,12}\{(?:[0-9]{1,2}\}\{[a-z|]{1,8}\}\{)?[A-Za-z0-9. \\_\-]{0,40}|"
    rb"[a-z]{2,12} [A-Za-z0-9. \\_\-]{0,40}|_)(?:"
    + _HEADER_WORDS
    + rb")[A-Za-z0-9. \\_\-]{0,40}\}{0,3}[ \t]*(?:&|\\\\))"
)
# Seventeenth pass: a reStructuredText ``list-table`` (a header row's names, then each row's
# cells, one ``- `` item a line under a ``* `` row mark) is read line by line from its directive.
LIST_TABLE = rb"\.\. list-table::"
_LIST_TABLE_START = lazy_compile(rb"([ \t]*)\.\. list-table::")
# Twenty-ninth pass: an AsciiDoc table (``|===`` alone on its line) is read line by line from
# there: its first line of cells (``|Name |Secret``) names the columns, each later ``|`` starts
# the next cell, a row's cells on one line or one a line, to the closing ``|===``.
ADOC_TABLE = rb"(?:^|\n)[ \t]*\|===[ \t]*\r?\n"
_ADOC_START = lazy_compile(rb"[ \t]*\|===[ \t]*\r?")
# Twenty-ninth pass: JSON that names its columns apart from its rows (pandas' ``to_json(orient=
# "split")``: ``"columns"`` over ``"data"`` rows; data frames by fields: ``"fields"`` of ``{"name":
# …}`` over ``"values"`` by column, or BigQuery's ``"rows"`` of ``{"f": [{"v": …}]}``), read token
# by token from the names' list, one line or many.
JSON_COLUMNS = rb"\"(?:columns|fields)\"[ \t]*:[ \t]*\["
_JSON_COLUMNS = lazy_compile(JSON_COLUMNS)
# Twenty-ninth pass: redis-cli's ``HMGET key f1 f2 …``/``MGET k1 k2 …`` answers field n on the
# n-th line below (``n) "…"`` at a prompt, bare in a pipe). The detectors read the first 16
# positions (``detectors._redis_position``: one expression each, the widest near
# ``MAX_MATCH``); a command naming a secret's field past the sixteenth is read here, line by
# line, as a table of one row per line.
REDIS_COMMAND = rb"(?i:(?:[0-9\]]>[ \t]{1,2}|redis-cli[ \t][^\r\n]{0,200})h?mget)[ \t]"
_REDIS_COMMAND = lazy_compile(
    rb"(?i)(?:(?<=[0-9\]])>[ \t]{1,2}|(?<![A-Za-z0-9_\-])redis-cli(?:[ \t][^\r\n]{0,200}?)?[ \t])"
    rb"(?:hmget[ \t]{1,4}[^\s]{1,200}|mget)(?=[ \t])"
)
_REDIS_HINT = lazy_compile(rb"(?i)mget[ \t]")
_REDIS_ANSWER = lazy_compile(rb"[ \t]*(?:[0-9]{1,6}\)[ \t])?")
_REDIS_PROMPT = lazy_compile(rb"[^\r\n]{0,200}?[0-9\]]>[ \t]")
REDIS_READ_FROM = 16
# (Keys by their kind: ``[a-z]{2,16}_key`` before every ``key`` cost the literal scan 4 % on
# configuration text.)
_LIST_KEY_WORDS = (
    rb"(?:api|access|private|signing|encryption|deploy|ssh|master|client|auth|license|hmac)"
    rb"[_.\-]?key"
)
# A secret's name over a list of values (``"api_keys": [``, ``'credential': [``, ``tokens =
# [``): the list's strings are the secret's (generated-looking ones).
# ... and YAML's block list under it (``api_keys:`` over ``  - <value>`` lines): the word ends
# the name there, a plural maybe (``secretKeyRef:`` over a map, in every pod spec that reads a
# secret, was 803 hits a MB of configuration), and the expression ends on the key's line, which
# the scan then reads (an item's ``- `` is checked there). One expression for both: their
# common words are one prefix to the literal scan.
SECRET_LIST = (
    rb"(?i:pass(?:word|wd)?|secret|token|credential|" + _LIST_KEY_WORDS + rb")"
    rb"(?:(?i:e?s)?[\"']?:[ \t]*\r?\n|[A-Za-z0-9_.\- ]{0,24}[\"']?[ \t]{0,4}[:=][ \t]{0,4}\[)"
)
_YAML_LIST_KEY = lazy_compile(
    rb"([ \t]*)(?:- )?([\"']?)([A-Za-z_][A-Za-z0-9_.\- ]{0,63})\2:[ \t]*\r?"
)
_YAML_ITEM = lazy_compile(rb"([ \t]*)- [ \t]*")
WIKI_TABLE = (
    rb"(?:^|\n)[ \t]*\{\||"
    + LATEX_HEADER
    + b"|"
    + LIST_TABLE
    + b"|"
    + ADOC_TABLE
    + b"|"
    + JSON_COLUMNS
    + b"|"
    + REDIS_COMMAND
    + b"|"
    + SECRET_LIST
)
_WIKI_START = lazy_compile(rb"[ \t]*\{\|")
# A cell's attributes before its text (``! scope="col" | secret``, ``| style="…" | value``).
_WIKI_ATTRS = lazy_compile(rb"[^|\[\]]*?[A-Za-z\-]+=[\"']?[^|]*\|(?!\|)")
# A cell's ``colspan``/``rowspan`` (quoted or not: ``colspan="2"``, ``colspan=2``).
_WIKI_SPAN = lazy_compile(rb"(?i)\b(colspan|rowspan)\s*=\s*[\"']?([0-9]{1,3})")
# An SQL insert naming its columns (sqlite3's ``.mode insert`` with headers, ``mysqldump
# --complete-insert``, ``pg_dump --column-inserts``): its own header, read on its line.
INSERT_ROW = (
    rb"(?i)insert[ \t]+(?:or[ \t]+[a-z]+[ \t]+|ignore[ \t]+)?into[ \t]"
    # (Twenty-fourth pass: ``REPLACE INTO``, a ``CREATE TABLE`` naming the columns of the rows
    # below it, ``COPY t FROM stdin;`` with none.)
    rb"|(?:replace|insert[ \t]+(?:low_priority|delayed|high_priority))[ \t]+"
    rb"(?:low_priority[ \t]+|delayed[ \t]+|ignore[ \t]+)?into[ \t]"
    rb"|create[ \t]+(?:[a-z]+[ \t]+){0,2}table[ \t]|[ \t)]from[ \t]+stdin[ \t;]"
)
_INSERT = lazy_compile(
    rb"(?i)[ \t]*insert[ \t]+(?:or[ \t]+[a-z]+[ \t]+|ignore[ \t]+)?into[ \t]+[^\s(]{1,128}"
    # (Fifteenth pass: a quoted column name may hold parentheses, ``"Password (plain)"``.)
    rb"[ \t]*\(((?:[^()\n\"`\[]|\"[^\"\n]{0,128}\"|`[^`\n]{0,128}`|\[[^\]\n]{0,128}\]){1,2048})\)"
    rb"[ \t]*values[ \t]*"
)
_INSERT_NAME = lazy_compile(rb"[ \t]*(?:\"[^\"]*\"|`[^`]*`|\[[^\]]*\])[ \t]*|[^,]+")


def _insert_names(columns: bytes) -> list[bytes]:
    """An insert's column names, a quoted one whole (a comma or brackets inside it)."""
    out = []
    for n in _INSERT_NAME.findall(columns):
        n = n.strip()
        if len(n) >= 2 and n[:1] in b'"`[' and n[-1:] == {b"[": b"]"}.get(n[:1], n[:1]):
            out.append(n[1:-1].strip())  # (one layer of quotes: ``"Secret [shown]"``)
        elif n:
            out.append(n.strip(b"`\"'[]"))
    return out


_HTML_ROW = lazy_compile(HTML_ROW)
_HTML_ROW_END = lazy_compile(rb"(?i)</tr\s*>|<tr[\s>]|</table\s*>")
_TAG = lazy_compile(rb"<(/?)([A-Za-z][A-Za-z0-9]{0,15})(?:[\s/][^<>]{0,512})?>")
_SECRET_NAME = lazy_compile(rb"(?i)(?:^|_)(?:" + _ALL_SECRET_WORDS + rb")(?:_|[0-9]*$)")
_STRONG_INSIDE = lazy_compile(
    rb"(?i)pass(?:word|wd)|secret_?(?:access_?)?key|secret|api_?key|access_?token|private_?key"
    # (Ninth pass: a kind of token glued to its word, as a header in capitals prints
    # ``bearerToken``: ``BEARERTOKEN``, ``AUTHTOKEN``; ``AWSSECRETACCESSKEY``.)
    rb"|(?:bearer|auth|api|refresh|session|id|csrf|xsrf)token$"
    # (Tenth pass: in one word of capitals, a service's token and a kind of key glued to their
    # word, ``GITHUBTOKEN``, ``SIGNINGKEY``, and a form after them, ``APITOKENVALUE``: the
    # form's words are read in ``secret_column``.)
    rb"|^(?:github|gitlab|gh|npm|pypi|slack|discord|telegram|bot|oauth|personal|deploy|"
    rb"bearer|auth|api|refresh|session|id|csrf|xsrf|access|app|service|webhook|registry)token"
    rb"|^(?:signing|encryption|master|private|secret|hmac|jwt|webhook|client|app|license|"
    rb"service|deploy|ssh|gpg|pgp|aes|rsa)key"
    # (Twenty-fifth pass: an access token in Spanish and Portuguese word order.)
    rb"|token_de_ac(?:ceso|esso)"
)
_WEAK = frozenset(
    {b"key", b"session", b"auth", b"cookie", b"signature"}
    | {
        v.encode().lower()
        for w in _WEAK_FOREIGN.split()
        for v in (w, w[:1].upper() + w[1:], w.upper())
    }
)
# Names whose values are often not key material (a URL without a password, a one-time code's
# label): only a generated-looking value counts under them (a URL's password has its own rule).
_WEAK_INSIDE = lazy_compile(
    rb"(?i)(?:^|_)(?:conn(?:ection)?_?str(?:ing)?|database_?url|db_?url|otp)$"
)
# camelCase and PascalCase words: userToken → user_Token, APIKey → API_Key.
_CAMEL = lazy_compile(rb"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_BOM = b"\xef\xbb\xbf"
# Names that describe or count a secret rather than hold it.
_NOT_SECRET_NAME = lazy_compile(
    rb"(?i)(?:^|_)(?:id|ids|type|name|count|length|len|size|url|uri|path|file|ref|hint|policy|"
    rb"expiry|expires|expiration|ttl|version|rotation|age|created|updated|max|min|num|total|"
    rb"public|primary|sort|partition|hash|lookup|index)(?:_|$)"
)
# The two columns of a key/value table: a key cell names what the value cell on its row holds.
_PAIR_KEYS = frozenset(
    {
        b"key",
        b"name",
        b"variable",
        b"var",
        b"setting",
        b"field",
        b"parameter",
        b"param",
        b"property",
        b"option",
        b"env",
        b"config",
        b"key_name",
        b"variable_name",
        b"setting_name",
        b"parameter_name",
    }
)
_PAIR_VALUES = frozenset({b"value", b"values", b"val", b"setting_value", b"current_value"})
# Cell delimiters by kind (aligned and drawn tables are read otherwise).
# "usv": sqlite3's ``.mode ascii`` (0x1F between cells, 0x1E after each record, no line ends).
_DELIMITERS = {"csv": 0x2C, "ssv": 0x3B, "tsv": 0x09, "psv": 0x7C, "usv": 0x1F}
# A column name: up to four words (AWS Secret Access Key, api_key, NAME).
# (Non-ASCII letters too, as UTF-8 bytes: a localised export's ``Имя``, ``Contraseña``, ``密码``.)
# (Twenty-sixth pass: two names parted by a slash, ``api/token``, ``API / Token``.)
_NAME_CELL = lazy_compile(
    rb"[A-Za-z_\xc2-\xf4][A-Za-z0-9_.\-\x80-\xff]{0,30}(?: [A-Za-z0-9_.\-\x80-\xff]{1,30}){0,3}"
    rb"(?: ?\\?[/|] ?[A-Za-z_\xc2-\xf4][A-Za-z0-9_.\-\x80-\xff]{0,30})?"
)
# The line under a drawn table's header: Markdown's |---|---|, psql's ----+----, MySQL's
# +----+----+ (which also closes the table, so inside one it is no row and no end).
_MD_SEPARATOR = lazy_compile(rb"\s*[|+]?\s*:?-+:?\s*(?:[|+]\s*:?-+:?\s*)*[|+]?\s*")
_ALIGNED_GAP = lazy_compile(rb"[ ]{2,}|\t+")
_BLANK_OR_DELIMITER = frozenset(b" \t,;|")
# A rule line inside a table (PowerShell's ----  -----, reStructuredText's =====  =====, a drawn
# table's border): no row, and no end of the table.
# (Twenty-fifth pass: tbl's ``_`` line, psql's ``\pset format troff-ms`` under the header.)
_RULE = lazy_compile(rb"[ \t]*(?:[-=+|:]*[-=][-=+|: \t]*|_)")
# A line between a header and its rows that is no end of the table: empty, blanks, or a comment
# (``# …``, ``-- …``, ``// …``) of at most 200 bytes.
_GAP_LINE = lazy_compile(rb"[ \t]*(?:(?:#|--|//)[^\n]{0,200})?\r?")
# Fourteenth pass: a relative time is a row's cell, no name (``gh secret list``'s ``API_KEY<TAB>about
# 2 days ago`` under ``NAME<TAB>UPDATED``).
_AGO = lazy_compile(
    rb"(?i)(?:about |over |almost |less than )?(?:an?|[0-9]{1,4}) "
    rb"(?:second|minute|hour|day|week|month|year)s? ago"
)
# Fourteenth pass: the column pandas prints for the columns it left out of a wide frame.
# (Twenty-first pass: ``..``, tabulate's name of an unnamed index in ``rst``.)
_ELIDED = frozenset({b"...", b"\xe2\x80\xa6", b".."})
# A cell that stands for a value left out: no header cell (``<redacted>``, ``(sensitive)``,
# ``[masked]``, ``N/A``, ``${API_SECRET}``, ``****``).
_PLACEHOLDER_CELL = lazy_compile(
    rb"(?i)[<(\[](?:redacted|sensitive|sensitive value|hidden|masked|not set|unset|none|null|"
    rb"empty|encrypted|omitted|filtered|secret value)[>)\]]|n/a|\$\{[A-Za-z_][A-Za-z0-9_]{0,60}\}|"
    rb"\*{3,}|"
    # (Twentieth pass: bare, in capitals, as ``aws … --output table`` and many CLIs print it:
    # ``||  X-Api-Token|  REDACTED  ||``.)
    rb"(?-i:REDACTED)|\[REDACTED[^\]]{0,40}\]"
)
_PLACEHOLDER = lazy_compile(
    rb"(?i)^(?:|-+|\*+|x+|x+(?:-x+){1,7}|null|none|nil|n/?a|true|false|redacted|<[^<>]*>|\[REDACTED[^\]]*\]|"
    # (Fourteenth pass: a note in brackets instead of the value, ``[masked]``, ``(sensitive)``,
    # ``(not set)``: letters and blanks only.)
    rb"\([A-Za-z][A-Za-z ]{0,30}\)|\[[A-Za-z][A-Za-z ]{0,30}\]|"
    rb"\$\{[^}]*\}|\{\{.*\}\}|\$[A-Z_][A-Z0-9_]*|"
    # (Twenty-second pass: an Azure Key Vault reference, ``az webapp config appsettings list``'s
    # ``@Microsoft.KeyVault(SecretUri=…)``: where the secret is, not what.)
    rb"@Microsoft\.KeyVault\([^\s]{0,300}|"
    # (Thirteenth pass: code reading the secret from the environment, a key/value box's
    # ``│ api_key │ os.environ['API_KEY'] │``, as the key-name rules dismiss it.)
    rb"os\.environ(?:\.get\(|\[)[^\s]{1,80}|process\.env\.[A-Za-z_][A-Za-z0-9_]{0,80}|"
    rb"(?:os\.)?getenv\([^()\s]{1,80}\)|"
    # (Twentieth pass: a Markdown alignment cell, ``:---``, ``---:``, ``:---:``, read as a row
    # when the rule line was not taken for one; the words tools print for an empty secret,
    # ``not set``, ``unset``, ``not configured``.)
    # (Twenty-first pass: ``Encrypted``, the value column of ``vercel env ls``.)
    rb":?-{3,}:?|not set|unset|not configured|encrypted|"
    # (Twenty-fourth pass: the words written instead of a value, ``changeme`` under PowerShell's
    # ``Get-Item env:`` table.)
    rb"change[_\-]?me|changeit|dummy|placeholder|todo|tbd|fixme)$"
)


# A table of an SQL dump: its name (``_sql_key``), how many columns, which name a secret and
# whether each of those is weak.
Schema = tuple[bytes, int, tuple[int, ...], tuple[bool, ...]]
Schemas = tuple[Schema, ...]


@dataclass(frozen=True)
class Table:
    """An open table: its kind, how many cells a row has, which columns hold secrets."""

    kind: str  # "csv", "ssv" (;), "tsv", "psv" (|), "markdown" (drawn), "aligned", "single"
    width: int
    columns: tuple[int, ...]
    weak: tuple[bool, ...]
    # Aligned tables: where each column starts on the line.
    starts: tuple[int, ...] = ()
    # A key/value table: (key column, value column).
    pairs: tuple[int, int] | None = None
    # Only generated-looking values count in every column (two aligned columns, one column,
    # an indented delimited table).
    narrow: bool = False
    # A wiki or LaTeX table, read as bars once its markup is rewritten (``_markup``).
    markup: str = ""
    # HTML tables, where a row spans lines: the last cell opened in the current row, whether
    # it is still open (its text may go on on the next line) and whether it is a <td>.
    col: int = -1
    open_cell: bool = False
    td: bool = False
    # A table printed under a line prefix (``LINE_PREFIX``): its length, the same on every row.
    prefix: int = 0
    # Or under a word the same on every row (``_WORD_PREFIX``: the word), or a line number of
    # any width (``_NUMBER_PREFIX``: ``numbered``).
    prefix_text: bytes = b""
    numbered: bool = False
    # Aligned tables: where each column ends on the header line (a right-aligned column, as
    # pandas' ``to_string`` prints text and numbers, ends where its header does).
    ends: tuple[int, ...] = ()
    # No row read under the header yet: blank or comment lines there (a spreadsheet export's
    # empty line, ``# exported …``, ``-- 3 rows``) are no end, nor are rule lines.
    fresh: bool = True
    # How many such gap lines were read (at most ``MAX_GAPS``; past the first, only
    # generated-looking values count: a line of names two blank lines above prose is no header).
    gaps: int = 0
    # A table that ended (a blank line, a line of another shape) stays in mind for this many
    # more lines: a row of its shape there holding a generated-looking value under its secret
    # column opens it again (ninth pass: a second batch of rows with no header line of its own,
    # a header far above in the stream).
    dormant: int = 0
    # A generated-looking value was read under a secret column: only such a table waits after
    # its end (a table of descriptions in a document does not).
    generated: bool = False
    # MediaWiki tables read line by line: the columns a header cell with a ``rowspan`` holds in
    # the header rows below it (the names there take the other columns).
    spanned: tuple[int, ...] = ()
    # The header line (its blanks and line end left out): printed again on each page of a long
    # report (after a form feed), it is no row (fourteenth pass).
    head: bytes = b""
    # The second row of a header of two (``_second_header_row``): no row either.
    head2: bytes = b""
    # The last secret cell of the row just read, where it ended a line as wide as a terminal:
    # its rest may open the next line (nineteenth pass, ``_cell_rest``).
    wrap_cell: bytes = b""
    # Twenty-first pass: every line of the table hard-wrapped at this terminal width (its header
    # name cut in two, ``API_TO`` over ``KEN``): a row as wide is read with the next line.
    wrap: int = 0
    # Twenty-fourth pass: an SQL dump's tables, each (name, columns, secret columns, weak),
    # from their ``CREATE TABLE`` (``Schema``): carried by whatever state the scan is in, so a
    # dump's rows without a column list are read under them however far below.
    schemas: Schemas = ()
    # A ``CREATE TABLE`` statement over several lines, read so far (kind "create"), and its
    # table's name.
    sql: bytes = b""
    sql_name: bytes = b""
    # Twenty-ninth pass: a JSON table of columns (``json_line``): how deep the reader is in the
    # names' or the rows' lists.
    depth: int = 0
    # Thirty-second pass: a ``spaced`` table whose columns are a rule's dash runs (psql's
    # ``\pset border 0``): ``starts``/``ends`` are the runs.
    ruled: bool = False


@dataclass
class TableScan:
    """Table state across a scan: where to start reading, the table open there, and the state
    after each complete line read (a stream picks the one at its cut)."""

    start: int = 0
    table: Table | None = None
    checkpoints: list[tuple[int, Table | None]] = field(default_factory=list)
    # Where reading stopped at a line that needs more bytes (a row, or a header candidate
    # waiting for its next line): a stream must not release it yet.
    pending: int | None = None

    def state_at(self, offset: int) -> Table | None:
        """The table open after the last complete line ending at or before ``offset``."""
        state = self.table
        for end, table in self.checkpoints:
            if end > offset:
                break
            state = table
        return state


# Brackets, a colon or a number sign in a header cell (``secret (base64)``, ``token [hex]``,
# ``[secret]``, ``<token>``, ``secret:``, ``Token #1``): read as blanks, so what they hold is a
# word of the name (``token (count)`` is ``token_count``, no secret).
_CELL_MARKS = lazy_compile(rb" *[()\[\]<>:#]+ *")
_N = rb"[A-Za-z0-9_.\- ]{1,40}"
# Only marks that close what they open, where a header puts them: a name in brackets (also
# parentheses: node's ``console.table`` heads its index column ``(index)``), a unit
# after it, a colon at its end, a number (``rotate(token`` is code, not a cell).
_MARKED_CELL = lazy_compile(
    rb"(?:\["
    + _N
    + rb"\]|<"
    + _N
    + rb">|\("
    + _N
    + rb"\)|"
    + _N
    + rb")(?:\("
    + _N
    + rb"\)|\["
    + _N
    + rb"\])?:?"
    rb"(?: ?#[0-9]{1,3})?"
)


# Fourteenth pass: a note in brackets after a header cell's name that says how its values are
# shown, not what they are (``Token (masked=no)``, ``Secret [shown]``, ``API key (required)``): a
# ``k=v`` setting or these words; dropped from the name (``token (count)`` still is a count).
_CELL_NOTE = lazy_compile(
    rb"(?i) ?(?:\([A-Za-z0-9_.\- ]{0,20}=[A-Za-z0-9_.\- ]{0,20}\)|\[[A-Za-z0-9_.\- ]{0,20}="
    rb"[A-Za-z0-9_.\- ]{0,20}\]|[(\[](?:(?:un)?masked|shown|hidden|visible|revealed|required|"
    rb"optional|sensitive|write[ _\-]?only|read[ _\-]?only|decrypted|in clear|clear[ _]?text)[)\]])$"
)


def _cell_text(cell: bytes) -> bytes:
    """A header cell's text: without a byte-order mark, blanks, quotes or Markdown emphasis
    (``**secret**``, `` `token` ``, MoinMoin's ``'''token'''``), a note on how its values are
    shown (``_CELL_NOTE``), brackets and marks read as blanks."""
    text = cell.removeprefix(_BOM).strip().strip(b"\"'`*").strip().removesuffix(b":")
    if (b"(" in text or b"[" in text) and (note := _CELL_NOTE.search(text)) is not None:
        text = text[: note.start()].rstrip().rstrip(b"\"'`*")
    if _CELL_MARKS.search(text) and _MARKED_CELL.fullmatch(text):
        text = _CELL_MARKS.sub(b" ", text).strip()
    return text


def _column_name(cell: bytes) -> bytes:
    name = _cell_text(cell)
    # (Eighteenth pass: a parameter's path names it by its last part, ``aws ssm``'s
    # ``/prod/app/token`` in a ``Name  Value`` table; a ``/`` is a word break.)
    # (Twenty-eighth pass: Markdown's escaped bar, ``api\|key``, is a word break too.)
    return re.sub(rb"[ ./|\\\-]+", b"_", _CAMEL.sub(b"_", name)).strip(b"_")


# What may follow the word naming a secret at the end of a column name: its form or its
# environment (api_key_value, token_b64, secret_key_live). Another word after it means the
# column is about the secret (session cookie handling, token scopes), not the secret.
_SECRET_QUALIFIERS = frozenset(
    b"value values val string str b64 base64 hex raw plain plaintext text enc encrypted data "
    b"material base current new old prod production dev test staging live".split()
)
_SECRET_WORD_AT = lazy_compile(rb"(?i)(?:^|(?<=_))(?:" + _ALL_SECRET_WORDS + rb")(?=[_0-9]|$)")


def _glued_qualifiers(word: bytes) -> bool:
    """A word of forms glued together, as a header in capitals prints them (``valueb64``,
    ``b64value``): each a ``_SECRET_QUALIFIERS`` word (tenth pass)."""
    if not word or len(word) > 24:
        return not word
    return any(
        word.startswith(q) and _glued_qualifiers(word[len(q) :])
        for q in _SECRET_QUALIFIERS
        if len(q) >= 2
    )


# Fifteenth pass: a session id is a bearer credential (a session cookie's value), so a column
# named for one is a secret's, weakly (only a generated-looking value under it: not ``3``,
# ``true``, ``2026-12-04``, ``guest``). Its last word, or its last two: ``sid``, ``connect.sid``,
# ``PHPSESSID``, ``JSESSIONID``, ``ASP.NET_SessionId``, ``session_id``, ``sessionId``, ``Session
# ID``, ``sess_id`` (``session_count``, ``session_start``, ``session_name``: about a session).
_SESSION_LAST = frozenset(b"sid sessid sessionid jsessionid phpsessid".split())


def _session_id(name: bytes) -> bool:
    words = [w for w in name.lower().split(b"_") if w]
    if not words:
        return False
    last = words[-1]
    if last in _SESSION_LAST or (last.startswith(b"aspsessionid") and len(last) <= 20):
        return True
    return len(words) >= 2 and words[-2] in (b"session", b"sess") and last == b"id"


def secret_column(cell: bytes) -> tuple[bool, bool]:
    """(names a secret, weakly) for a header cell (or a key/value table's key cell)."""
    if b"," in cell and len(cell) <= 128:
        # Twenty-eighth pass: a quoted CSV header cell holding a comma (``"api key, primary"``,
        # ``"Password, encrypted"``): a name and a note on it; either part naming a secret makes
        # the column a secret's, weakly (generated-looking values only).
        if any(p and secret_column(p)[0] for p in _comma_parts(cell)):
            return True, True
        return False, False
    if (cut := _cut_name(cell)) is not None:
        return cut
    name = _column_name(cell)
    if name.startswith(b"TF_TOKEN_"):
        # (Twenty-eighth pass: terraform's per-host token, ``TF_TOKEN_app_terraform_io``: the
        # name ends in the host, as ``detectors._TF_TOKEN`` reads it in an assignment.)
        return True, False
    if name and _session_id(name):
        return True, True
    if not name or _NOT_SECRET_NAME.search(name):
        return False, False
    if name.isupper() and b"_" not in name and len(name) <= 40:
        # One word of capitals ending in forms glued on (``TOKENBASE64``, ``SECRETVALUEB64``):
        # the name before them (tenth pass).
        for i in range(3, len(name) - 1):
            if _glued_qualifiers(name[i:].lower()) and secret_column(name[:i])[0]:
                return secret_column(name[:i])
    ends = [m.end() for m in _SECRET_WORD_AT.finditer(name)]
    ends += [m.end() for m in _STRONG_INSIDE.finditer(name)]
    after = [w.lower() for w in name[max(ends, default=0) :].split(b"_")]
    if any(
        w.rstrip(b"0123456789")
        and not {w, w.rstrip(b"0123456789")} & _SECRET_QUALIFIERS
        and not _glued_qualifiers(w)
        for w in after
    ):
        return False, False
    if _SECRET_NAME.search(name) or _STRONG_INSIDE.search(name):
        # A numbered weak name (``key1``, ``key2``: az's storage keys) is as weak.
        bare = name.lower().rstrip(b"0123456789_")
        return True, bare in _WEAK or bool(_WEAK_INSIDE.search(name))
    return False, False


# Twenty-eighth pass: a header cell its tool cut to the column's width and ended with an
# ellipsis (rich's ``Secret Acc…``, polars' ``access_tok…``, pandas' ``api_tok...``): the words
# before the cut, or the cut word completed to a secret's word (two letters at least), name
# the column; weakly, as what the cut hid may be another word (``Token Sco…``: scopes).
_ELLIPSIS_END = lazy_compile(rb"(?:\xe2\x80\xa6|\.\.\.)$")
_CUT_COMPLETIONS = (
    b"token",
    b"secret",
    b"password",
    b"passphrase",
    b"passwd",
    b"credential",
    b"apikey",
    b"key",
)


# Twenty-ninth pass: a header cut after one letter of its second word (``API T…``, ``Client
# S…``): after a word that opens secrets' names only.
_CUT_ONE_HEAD = lazy_compile(rb"(?i)(?:[a-z]+_)?(?:api|access|auth|client|private|refresh|bearer)")


def _cut_name(cell: bytes) -> tuple[bool, bool] | None:
    """(names a secret, weakly) for a header cell cut with an ellipsis, else None."""
    if (m := _ELLIPSIS_END.search(cell)) is None:
        return None
    name = _column_name(cell[: m.start()])
    if not name:
        return False, False
    head, _, frag = name.rpartition(b"_")
    if head and secret_column(head)[0]:
        return True, True
    low = frag.lower()
    if len(low) >= 2 or (len(low) == 1 and _CUT_ONE_HEAD.fullmatch(head) is not None):
        for word in _CUT_COMPLETIONS:
            if word.startswith(low) and secret_column(name[: len(name) - len(frag)] + word)[0]:
                return True, True
    return False, False


def _csv_cells(line: bytes, delimiter: int) -> list[tuple[int, int]]:
    """Cell (start, end) offsets of one CSV/TSV line; a quoted cell's offsets exclude quotes."""
    cells: list[tuple[int, int]] = []
    i, n = 0, len(line)
    while True:
        q = i
        while q < n and line[q] == 0x20:
            q += 1  # blanks before a quoted cell (``"a", "b"``: JSON and Python lists)
        if q < n and line[q] == 0x22:
            i = q
            j = i + 1
            while j < n:
                if line[j] == 0x22:
                    if j + 1 < n and line[j + 1] == 0x22:
                        j += 2
                        continue
                    break
                j += 1
            cells.append((i + 1, j))
            k = line.find(bytes([delimiter]), j)
            if k < 0:
                return cells
            i = k + 1
            continue
        k = line.find(bytes([delimiter]), i)
        if k < 0:
            cells.append((i, n))
            return cells
        cells.append((i, k))
        i = k + 1


_BAR = lazy_compile(rb"(?<!\\)\|")


def _md_cells(line: bytes, outer: bool = True) -> list[tuple[int, int]] | None:
    """Cells between the unescaped bars of a Markdown table line (outer bars optional; with
    ``outer`` off, a bar after leading blanks ends an empty first cell)."""
    body = line.rstrip()
    bars = [m.start() for m in _BAR.finditer(body)]
    if not bars:
        return None
    lead = outer and body.lstrip().removeprefix(_BOM).lstrip().startswith(b"|")
    edges = ([] if lead else [-1]) + bars
    if not body.endswith(b"|"):
        edges.append(len(body))
    return [(a + 1, b) for a, b in zip(edges, edges[1:], strict=False)]


def _aligned_cells(line: bytes) -> list[tuple[int, int]]:
    cells: list[tuple[int, int]] = []
    pos = 0
    body = line.rstrip()
    if body[:1] == b" " and body[1:2] not in (b" ", b"\t", b""):
        pos = 1  # (twenty-first pass: one blank before the first cell, rich's edgeless tables)
    for m in _ALIGNED_GAP.finditer(body):
        if m.start() > pos:
            cells.append((pos, m.start()))
        pos = m.end()
    if pos < len(body):
        cells.append((pos, len(body)))
    return cells


# What every header line is made of, whatever its kind: cells of at most four single-spaced
# words (``_NAME_CELL`` with its quotes, emphasis and byte-order mark) between delimiters. One
# match dismisses the prose lines the header expression finds (a sentence with a secret word
# and a comma) before the cells of each kind are cut; possessive, so linear in the line.
# (Twenty-sixth pass: ``/``, a name of two parted by a slash, ``api/token``.)
# (Twenty-eighth pass: Markdown's escaped bar inside a name, ``api\|key``.)
_WORD_CHARS = rb"(?:[A-Za-z0-9_.\-\"'`*()\[\]<>:#=/\x80-\xff]|\\\|)++"
_HEADER_SHAPE = lazy_compile(
    rb"(?:\xef\xbb\xbf)?[ \t|,;\x1f]*+(?:"
    + _WORD_CHARS
    + rb"(?: "
    + _WORD_CHARS
    + rb"){0,3}+(?: *+[,;\t|\x1f][ \t,;|\x1f]*+| {2,}+[ \t,;|\x1f]*+| *+$))++"
)


def _box_ascii() -> dict[bytes, bytes]:
    """Each box-drawing character (three bytes in UTF-8) as three ASCII bytes a drawn table is
    read by: a vertical, a corner or a junction is a bar, a horizontal a rule."""
    out: dict[bytes, bytes] = {}
    for code in range(0x2500, 0x2580):
        name = unicodedata.name(chr(code), "")
        bar = any(w in name for w in ("VERTICAL", "DOWN", "UP"))
        out[chr(code).encode()] = b"|  " if bar else b"---"
    return out


_BOX = lazy_compile(rb"\xe2[\x94\x95][\x80-\xbf]")
_BOX_ASCII = _box_ascii()


def _boxes(line: bytes) -> bytes:
    """``line`` with box-drawing characters as ASCII bars and rules, byte for byte (rich's and
    tabulate's drawn tables: ``│ name │ secret │``, ``├────┼────┤``); offsets do not move."""
    if b"\xe2\x94" not in line and b"\xe2\x95" not in line:
        return line
    if (
        line.lstrip(b" ")[:3] in _TOP_LEFT
        and (b"\xe2\x94\xac" in line or b"\xe2\x94\xb3" in line)
        and _ASCII_LETTER.search(line) is not None
    ):
        # Twenty-first pass: the names in a top border (ClickHouse's ``PrettyCompact``,
        # ``┌─name─┬─token─┐``): its horizontals read as blanks, the line as a header.
        return _BOX.sub(lambda m: _BOX_TITLED.get(m.group(), m.group()), line)
    return _BOX.sub(lambda m: _BOX_ASCII.get(m.group(), m.group()), line)


_TOP_LEFT = frozenset(c.encode() for c in "┌┏╭╔")
_ASCII_LETTER = lazy_compile(rb"[A-Za-z]")
_BOX_TITLED = {k: (v if v == b"|  " else b"   ") for k, v in _BOX_ASCII.items()}


# A header commented out ("#id\tsecret", "# name,token"), wiki and LaTeX tables, rewritten byte
# for byte as bars so the drawn and delimited readers take
# them: Jira's and YouTrack's "||" header cells, MediaWiki's "!"/"!!" header and "||" row
# cells, Textile's "|_." header and "|<."/"|>."/"|=." cell markers, LaTeX's "&" between cells
# and "\\" at a row's end. Which one a table uses is known from its header line; its rows are
# rewritten the same way (a Markdown or psql row's "||" is an empty cell, not this).
_TEXTILE_CELL = lazy_compile(rb"\|(?:_|<>|<|>|=)\.")
_LATEX_END = lazy_compile(rb"(?:\\\\|\\tabularnewline)(?:\s*\\hline)?\s*$")
# booktabs' and plain LaTeX's rules between rows, longtable's head and foot marks: a border.
_LATEX_RULE = lazy_compile(
    rb"\s*\\(?:hline|toprule|midrule|bottomrule|endhead|endfirsthead|endfoot|endlastfoot|cline\{[0-9\-]*\})\s*"
)


# Seventeenth pass: a LaTeX cell's markup around its text (``\textbf{Token}``, ``\texttt{…}``,
# ``\verb|…|``, ``\multicolumn{2}{c}{…}``) and escaped characters (``private\_key``), read
# as the text alone, the cell padded to its length (the cells' delimiters stay where they are).
_LATEX_AMP = lazy_compile(rb"(?<!\\)&")
_LATEX_WRAP = lazy_compile(
    rb"\\verb\*?([^A-Za-z\s])(.*?)\1|\\multicolumn\{[0-9]{1,2}\}\{[^{}]{0,12}\}\{|\\[A-Za-z]{2,16}\*?\{"
)
# Switches (pandas' Styler writes ``\bfseries service``) and colour commands with their argument,
# read as blanks.
_LATEX_SWITCH = lazy_compile(
    rb"\\(?:bfseries|mdseries|itshape|slshape|scshape|upshape|ttfamily|rmfamily|sffamily|"
    rb"bf|it|tt|sc|em|normalfont|tiny|scriptsize|footnotesize|small|normalsize|large|Large|"
    rb"tabularnewline)(?![A-Za-z])|\\(?:color|cellcolor)(?:\[[a-z]{1,8}\])?\{[^{}]{0,40}\}"
)
_LATEX_ESCAPE = lazy_compile(rb"\\([_&%#$])")


def _latex_text(m: re.Match[bytes]) -> bytes:
    if m.group(1) is not None:
        return b" " * (m.start(2) - m.start()) + m.group(2) + b" "
    return b" " * (m.end() - m.start())


def _latex_cell(cell: bytes) -> bytes:
    """A LaTeX cell's text: commands around it and their braces as blanks, escapes read."""
    cell = _LATEX_SWITCH.sub(lambda m: b" " * (m.end() - m.start()), cell)
    opened = sum(1 for m in _LATEX_WRAP.finditer(cell) if m.group(1) is None)
    text = _LATEX_WRAP.sub(_latex_text, cell)
    for _ in range(opened):
        # (Only the braces closing the commands read away: a value's own, ``${DB_PASSWORD}``
        # in ``\verb|…|``, stay.)
        close = text.rfind(b"}")
        if close < 0:
            break
        text = text[:close] + b" " + text[close + 1 :]
    return _LATEX_ESCAPE.sub(rb"\1", text).ljust(len(cell))


# A JSON array of strings on each line (``jq -c '[.name, .secret]'`` after a header array, a
# Python list printed per row): its brackets are blanks, its cells quoted CSV cells.
_ARRAY_START = (b'["', b"['", b'[ "', b"[ '")
_ARRAY_END = lazy_compile(rb"\][ \t]*,?[ \t]*\r?$")


# Tenth pass: cells apart by a colon and blanks (``id: secret key`` over ``1: 9Zt2…``, ``name  :
# token`` listings): the colon before a blank is the delimiter, read as a bar.
_COLON_CELL = rb"[^:\s|](?:[^:\n|]{0,60}[^:\s|])?"
_COLON_LINE = lazy_compile(
    rb"(?:\xef\xbb\xbf)?[ \t]*" + _COLON_CELL + rb"(?:[ \t]*:[ \t]+" + _COLON_CELL + rb")+[ \t]*\r?"
)
_COLON_SEP = lazy_compile(rb":(?=[ \t])")


_COLON_WIDE = lazy_compile(rb"[ \t]:|:[ \t]{2}|:[ \t]+[^:\n]*:[ \t]")
_NUMBERED_ROW = lazy_compile(rb"[ \t]*[0-9]{1,9}:[ \t]")
_DATA_KEYED_ROW = lazy_compile(rb"[ \t|]*([^\s:]*[0-9][^\s]{0,60}?): [^\s:]")


def _colon_header_ok(line: bytes, following: bytes | None) -> bool:
    """A colon header is no YAML or setting line (``name: DB_PASSWORD``): three cells or more, a
    blank before a colon or two after it, or rows numbered under it (``1: 9Zt2…``)."""
    if _COLON_WIDE.search(line):
        return True
    if following is None:
        return False
    if _NUMBERED_ROW.match(following) is not None:
        return True
    # Eleventh pass: two cells one blank apart (``name: encryption-key`` over ``api-0: 9Zt2…``,
    # ``created: ApiToken`` over ``2026-11-10T08:00:00Z: …``) when the row under it is keyed by
    # data, not by a name: its first cell holds a digit (a host, a date, an index) and the
    # header's none, at the same indent (a YAML key is a name: ``value:``, ``sha256:``, ``h1:``).
    m = _DATA_KEYED_ROW.match(following)
    if m is None or _DIGIT.search(line.split(b": ", 1)[0]):
        return False
    indent = len(line) - len(line.lstrip(b" \t|"))
    return indent == len(following) - len(following.lstrip(b" \t|")) and not (
        names.digest_name(m.group(1)) or names.id_name(m.group(1))
    )


def _markup_of(line: bytes) -> str:
    head = line.lstrip()
    if head.removeprefix(_BOM).startswith(_ARRAY_START) and _ARRAY_END.search(line):
        return "array"
    if head.startswith(b"#") and not head.startswith(b"##"):
        return "comment"
    if head.startswith(b"||"):
        return "jira"
    if head.startswith(b"!"):
        return "wiki"
    if head.startswith(b"|_."):
        return "textile"
    if b"&" in line and _LATEX_END.search(line):
        return "latex"
    if b": " in line and _COLON_LINE.fullmatch(line):
        return "colon"
    return ""


def _markup(line: bytes, markup: str) -> bytes:
    if markup == "array":
        head = len(line) - len(line.lstrip().removeprefix(_BOM))
        end = _ARRAY_END.search(line)
        if line[head : head + 1] != b"[" or end is None:
            return line
        # (The array's end and a comma after it are blanks: ``["a", "b"],`` has two cells.)
        body = line[:head] + b" " + line[head + 1 : end.start()] + b" " * (len(line) - end.start())
        return body if b'"' in body else body.replace(b"'", b'"')
    if markup == "comment":
        # "#name,secret" (TSV tools mark their header so): the mark is a blank.
        head = len(line) - len(line.lstrip())
        return line[:head] + b" " + line[head + 1 :] if line[head : head + 1] == b"#" else line
    if markup in ("jira", "wiki"):
        head = len(line) - len(line.lstrip())
        if markup == "wiki" and line[head : head + 1] == b"!":
            line = line[:head] + b"|" + line[head + 1 :]
        return line.replace(b"!!", b"| ").replace(b"||", b"| ")
    if markup == "colon":
        # (A row's cells may hold colons of their own: ``2026-11-10T08:00:00Z``, ``a:b``.)
        return _COLON_SEP.sub(b"|", line)
    if markup == "textile":
        return _TEXTILE_CELL.sub(lambda m: b"|" + b" " * (len(m.group()) - 1), line)
    if markup == "latex":
        if _LATEX_RULE.fullmatch(line):
            return b"-" * len(line)
        end = _LATEX_END.search(line)
        if end is None:
            return line
        cells = _LATEX_AMP.split(line[: end.start()])
        if b"\\" in line[: end.start()]:
            cells = [_latex_cell(c) for c in cells]
        return b"|".join(cells) + b" " * (len(line) - end.start())
    return line


def _open(line: bytes, following: bytes | None) -> Table | None:
    """The table ``line`` (box characters read as ASCII) starts, as it is or read as wiki or
    LaTeX markup."""
    markup = _markup_of(line)
    if markup == "colon" and not _colon_header_ok(line, following):
        markup = ""
    if markup:
        # First as markup: Jira's "|| name || secret ||" is also a "|" line of empty cells.
        table = header(
            _markup(line, markup),
            _markup(following, markup) if following is not None else None,
            markup=True,
        )
        if table is not None and markup in ("comment", "colon"):
            # A commented header may be a code comment over code, a colon table YAML or a
            # listing of settings: only values that look generated count below it.
            weak = tuple(True for _ in table.weak)
            return replace(table, markup=markup, weak=weak, narrow=True)
        if table is not None:
            return replace(table, markup=markup)
    return header(line, following)


def _open_prefixed(line: bytes, following: bytes | None) -> Table | None:
    """The table ``line`` starts, read without a line prefix that the next line also carries
    (the same length: a service name, a pod, a timestamp), or as it is; a word-diffed line
    (``[-name,token-]{+name,secret+}``) as it reads after the change."""
    table = _open_unprefixed_or_prefixed(line, following)
    if table is None and (b"[-" in line or b"{+" in line):
        new = _new_side(line)
        if new != line:
            return _open_unprefixed_or_prefixed(
                new, _new_side(following) if following is not None else None
            )
    return table


def _open_unprefixed_or_prefixed(line: bytes, following: bytes | None) -> Table | None:
    if following is None:
        return _open(line, following)
    m = _LINE_PREFIX.match(line)
    if m is not None:
        n = _LINE_PREFIX.match(following)
        if n is not None and n.end() == m.end():
            p = m.end()
            table = _open(line[p:], following[p:])
            if table is not None and (table.kind == "single" or table.kind in ("psv", "markdown")):
                # ``env | CREDENTIAL`` over ``dev | 9Zt2…``: a "|" table whose first column reads
                # as docker compose's prefix; a table of two columns or more, read as it is,
                # wins over one column under a prefix (ninth pass: its rows' first cells vary in
                # length, so the prefix reading lost them after the first).
                # (So does a "|" table read whole over the same table read under its first
                # column as a prefix, ``env | name | secret``.)
                # (Only when the next line is a row of the table read whole: docker compose's
                # ``web-1  |  id | secret`` over ``web-1  | ----+----`` is psql's under a prefix.)
                whole = _open(line, following)
                if (
                    whole is not None
                    and whole.kind != "single"
                    and whole.width > table.width
                    # (Twentieth pass: or a Markdown table whose next line is its alignment row,
                    # ``AGE | `token` | NAME`` over ``--- | --- | ---:``: its rows' first cells
                    # vary in length, ``1d | …`` was lost under a 6-byte prefix.)
                    and (row_cells(following, whole) or whole.kind == "markdown")
                ):
                    return whole
            if table is not None:
                return replace(table, prefix=p)
    first, next_first = line[:1], following[:1]
    if first == b" ":
        first = line.lstrip(b" ")[:1]  # (only ``cat -n``'s right-aligned numbers start so)
        if not first.isdigit() or not following.lstrip(b" ")[:1].isdigit():
            return _open(line, following)
    elif first != next_first and not (first.isdigit() and next_first.isdigit()):
        return _open(line, following)  # (the cheap test: no prefix both lines carry)
    if (
        first in (b"+", b"-")
        and line[1:2] not in (b"+", b"-", b"")
        and following[1:2] != first
        and line[:2] != b"- "  # (a list's marker: read below)
    ):
        # Eighteenth pass: a unified diff adding (removing) a whole table, every line under its
        # ``+`` (``-``): read without it (not ``+++``/``---``, nor a box's ``+----+``); only
        # generated-looking values count there (``-name,secret`` over ``-prod,rotated`` may be
        # a list without its blanks: ninth pass).
        table = _open(line[1:], following[1:])
        if table is not None:
            weak = tuple(True for _ in table.weak)
            return replace(table, prefix=1, prefix_text=first, weak=weak, narrow=True)
    if line[:2] in (b"- ", b"* ") and following.startswith(line[:2]) and line[2:3].isalpha():
        # A list marker on every line (ninth pass: ``- name,secret`` over ``- prod,9Zt2…``), with
        # a letter after it (a unified diff's removed line has no blank after its "-" unless
        # its text starts with one).
        table = _open(line[2:], following[2:])
        if table is not None:
            return replace(table, prefix=2, prefix_text=line[:2])
    m = _WORD_PREFIX.match(line)
    if m is not None and (
        following.startswith(m.group()) or following.rstrip() == m.group().rstrip()
    ):
        # (The next line may be the prefix alone, its blank gone: a gap line, ``out:``.)
        p = m.end()
        table = _open(line[p:], following[p:])
        if table is not None:
            return replace(table, prefix=p, prefix_text=m.group())
    if line[:2] == b"| " and following[:2] == b"| ":
        # Tenth pass: a bar and a blank before every line (a tool's output quoted in a log or a
        # chat, a box's left edge, ``│ `` read as ASCII), read without it when the line read
        # whole is no header (a Markdown table's own first bar comes first).
        # (A drawn table under it, ``| | name | secret |``, ``| +----+``: without it first.)
        inner = line[2:3] in (b"|", b"+")
        table = None if inner else _open(line, following)
        if table is None:
            table = _open(line[2:], following[2:])
            if table is not None:
                return replace(table, prefix=2, prefix_text=b"| ")
        return table if table is not None or not inner else _open(line, following)
    m = _NUMBER_PREFIX.match(line)
    if m is not None and (n := _NUMBER_PREFIX.match(following)) is not None:
        table = _open(line[m.end() :], following[n.end() :])
        if table is not None:
            return replace(table, prefix=m.end(), numbered=True)
    return _open(line, following)


def _row_prefix(line: bytes, table: Table) -> int | None:
    """How long the prefix of a row of ``table`` (printed under a line prefix) is on ``line``
    (None: the line does not carry it)."""
    p = table.prefix
    if not p:
        return 0
    if table.prefix_text:
        return p if line.startswith(table.prefix_text) else None
    m = (_NUMBER_PREFIX if table.numbered else _LINE_PREFIX).match(line)
    if m is None or (m.end() != p and not table.numbered):
        return None
    return m.end()


_NAMES_ROW = lazy_compile(
    rb"[ \t]*[A-Za-z_][A-Za-z0-9_.\-]{0,40}(?:[ \t]{2,}[A-Za-z_][A-Za-z0-9_.\-]{0,40})+[ \t]*\r?"
)


_RIGHT_NAME = lazy_compile(rb"  [ \t]*[^\s]{1,60}\r?")


def _column_names_below(following: bytes | None) -> bool:
    """``following`` is a row of two names or more, none of them generated-looking."""
    return (
        following is not None
        and _NAMES_ROW.fullmatch(following) is not None
        and not any(is_secret_value(t, True) for t in following.split())
    )


def _noted_name(kind: str, name: bytes) -> bool:
    """A delimited header's quoted cell of a name and a note after a comma (``"api key,
    primary"``; twenty-eighth pass): each part a name."""
    return (
        kind in ("csv", "ssv", "tsv", "psv")
        and b"," in name
        and len(name) <= 128
        and all(_NAME_CELL.fullmatch(p) for p in _comma_parts(name) if p)
    )


_NOTE_IN_BRACKETS = lazy_compile(rb"\([^()]{0,60}\)")


def _comma_parts(cell: bytes) -> list[bytes]:
    """A header cell's parts apart by commas, a note in brackets left out (``Token (base64,
    v2)``: ``Token``)."""
    return [p.strip() for p in _NOTE_IN_BRACKETS.sub(b" ", cell).split(b",")]


def header(line: bytes, following: bytes | None, *, markup: bool = False) -> Table | None:
    """The table a header line starts (``following``: the next line, for Markdown;
    ``markup``: the line was wiki or LaTeX markup, never an indented line of code)."""
    body = line.rstrip(b"\r\n")
    if len(body) > MAX_ROW:
        return None
    if not _HEADER_SHAPE.fullmatch(body):
        return None if markup else _spaced(body, following)
    if following is not None and not markup and (spaced := _one_blank_aligned(body, following)):
        return spaced
    if following is not None and not markup and (ruled := _ruled_header(body, following)):
        return ruled
    candidates = _header_candidates(body, following)
    # Headers start at the line's start (an indented line with commas is code or prose), unless
    # drawn: psql indents its header by one blank.
    drawn = bool(candidates) and candidates[0][0] == "markdown"
    # An indented table (kubectl output quoted in a log, a CSV in a code block): indented
    # commas and tabs are also code (arguments over several lines), so under an indented
    # delimited header only generated-looking values count.
    indented = (
        body[:1] in (b" ", b"\t")
        and not body.lstrip().startswith(b"|")
        and not drawn
        and not markup
    )
    if not candidates:
        # One column (``cut -f2`` of a CSV, a script printing a list under its name): a line
        # that is only a name naming a secret; only generated-looking values below it count.
        name = _cell_text(body)
        if _NAME_CELL.fullmatch(name) and b" " not in name:
            if not markup and (group := _group_over(body, following)) is not None:
                return group
            if body.startswith(b"  ") and not markup and _column_names_below(following):
                # (Fifteenth pass: a group over columns, pandas' first level of two, over
                # ``user  trace_id``: the names below are the columns, read on that line.)
                return None
            if body.startswith(b"  ") and not markup:
                # A right-aligned name over an unnamed index (pandas' frame of one column, a
                # wide frame's last block of one): its values end where it ends (eleventh
                # pass); generated-looking values only, as under a single column.
                a = len(body) - len(body.lstrip(b" "))
                b = len(body.rstrip())
                if (columns := _display_columns(body)) is not None:
                    # (Fourteenth pass: where a terminal shows it, ``Contraseña``'s two-byte
                    # letter one column.)
                    a, b = columns[a], columns[b]
                aligned = _table("aligned", [name], (a,), None, all_weak=True)
                if aligned is not None:
                    return replace(aligned, ends=(b,), narrow=True)
            return _table("single", [name], all_weak=True)
        return None if markup else _spaced(body, following)
    for kind, cells in candidates:
        if cells is None or len(cells) < 2:
            continue
        names = [_cell_text(body[a:b]) for a, b in cells]
        if (
            not all(
                _NAME_CELL.fullmatch(n) or n in _ELIDED or _noted_name(kind, n) for n in names if n
            )
            or sum(bool(n) and n not in _ELIDED for n in names) < 2
            # (Twentieth pass: a generated-looking cell is a value, the line a key/value row,
            # ``| X-Api-Token| 9Zt2… |`` with no blank before the bar: ``_own_name_row``'s.)
            or any(len(n) >= 16 and word_model.key_material(n) for n in names)
        ):
            continue
        second = b""
        if (
            kind == "aligned"
            and following is not None
            and (merged := _second_header_row(body, cells, following))
        ):
            # A header of two rows (``CLIENT`` over ``SECRET``, ``SECRET`` over ``UPDATED``): the
            # names are the two rows' words together, and the second row is no row of the table.
            names, second = merged, following.strip(b" \t\r\n\f")
        elif kind == "aligned" and not markup and (group := _group_over(body, following)):
            return group
        if any(
            _PLACEHOLDER_CELL.fullmatch(cell := body[a:b].strip()) or _AGO.fullmatch(cell)
            for a, b in cells
        ):
            # A key/value row whose value is a placeholder (``|  Secret  |  <redacted>|``, an
            # ``aws --output table`` record): no header of the rows below it (fourteenth pass).
            continue
        pairs = _pairs(names)
        # Two words apart in prose may look like a two-column header (``NAME  SECRET``, as a
        # script prints it): under it only a value that looks generated counts.
        narrow = (kind == "aligned" and len(cells) < 3 and pairs is None) or (
            indented and kind != "aligned"
        )
        columns = _display_columns(body) if kind == "aligned" else None
        if columns is not None:
            cells = [(columns[a], columns[b]) for a, b in cells]
        starts = tuple(a for a, _ in cells) if kind == "aligned" else ()
        table = _table(kind, names, starts, pairs, all_weak=narrow)
        if table is not None and kind == "aligned":
            table = replace(table, ends=tuple(b for _, b in cells), head2=second)
        if table is not None or second:
            return table  # (two rows naming no secret: no other reading of the first)
    return None if markup else _spaced(body, following)


# Columns one blank apart (``printf "%s %s"``, ``jq -r '"\\(.a) \\(.b)"'``, sqlite3's ``.mode tcl``,
# ``column -t -o ' '``, pandas' ``to_string``, whose right-aligned columns may be one blank
# apart): a line of 2 to 16 single names (no dots: ``from a.b import c``), quoted or not,
# naming a secret (not only weakly). Its rows are cut at
# blanks: a row of as many cells, or a cell under the secret's header and under no other one.
_SPACED_NAME = rb"[\"'`]?[A-Za-z_\xc2-\xf4][A-Za-z0-9_\-\x80-\xff]{0,30}[\"'`]?"
_SPACED_HEADER = lazy_compile(rb"[ ]*+" + _SPACED_NAME + rb"(?: ++" + _SPACED_NAME + rb"){1,15} *+")
_TOKEN = lazy_compile(rb"[^ \t]+")
_ANY_SECRET_WORD = lazy_compile(rb"(?i)" + _ALL_SECRET_WORDS + rb"|sid|sess")
# The bytes a header of names one blank apart is made of (``_SPACED_HEADER``).
_SPACED_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-\"'` " + bytes(
    range(0x80, 0x100)
)


def _spaced(body: bytes, following: bytes | None) -> Table | None:
    """The table a header of single names one blank apart (or more) starts: under it only
    generated-looking values count (words one blank apart are also prose). The next line must
    have as many words, or one more (an index), or be a gap line: prose lines rarely do, and
    this is the cheap test that dismisses them."""
    if following is None or body.translate(None, _SPACED_BYTES):
        return None  # a byte no such header holds (prose's ".", ",", ":"): dismissed in C
    n = len(body.split())
    if n < 2:
        return None
    if len(following.split()) not in (n, n + 1) and not _GAP_LINE.fullmatch(following):
        return None
    return spaced_header(body)


_ONE_BLANK = lazy_compile(rb"[^ \t] [^ \t]")


def _one_blank_aligned(body: bytes, following: bytes) -> Table | None:
    """Twenty-second pass: Miller's ``--opprint`` pads each column to its widest cell and one
    blank (``CREATED    OWNER X-Auth-Token`` over ``2026-11-11 ops   9Zt2…``): the aligned
    reading takes ``OWNER X-Auth-Token`` for one cell. A header of single names with one blank
    somewhere whose next line's words start exactly where its names do is read name by name
    (``spaced``: generated-looking values only)."""
    if _ONE_BLANK.search(body) is None or b"\t" in body:
        return None
    row = following.rstrip(b"\r\n")
    starts = [m.start() for m in _TOKEN.finditer(body)]
    if len(starts) < 2 or [m.start() for m in _TOKEN.finditer(row)] != starts:
        return None
    return spaced_header(body)


_DASH_RULE = lazy_compile(rb"-++(?: -++)++ *+\r?")
_DASH_RUN = lazy_compile(rb"-+")


def _ruled_header(body: bytes, following: bytes) -> Table | None:
    """Thirty-second pass: psql's ``\\pset border 0`` (``id      api_key      region`` over
    ``-- ------------------ ------`` over `` 1 0kKZ… eu``): names centred over a rule of dash
    runs one blank apart, the rows' columns one blank apart too. The rule's runs are the
    columns (a row's word inside one run is that column's); ``spaced`` names, so only
    generated-looking values count."""
    if following[:1] != b"-" or b"- -" not in following:
        return None  # (no rule of dash runs one blank apart: dismissed by two byte checks)
    rule = following.rstrip(b"\r\n")
    if not _DASH_RULE.fullmatch(rule):
        return None
    runs = [(m.start(), m.end()) for m in _DASH_RUN.finditer(rule)]
    names = [(m.start(), m.end()) for m in _TOKEN.finditer(body)]
    if len(runs) != len(names) or any(
        not (s <= a and b <= e) for (a, b), (s, e) in zip(names, runs, strict=True)
    ):
        return None
    # (A dotted name, ``api.key``, is no code here: the rule says the line is a header. Read as
    # ``api_key``, the same length.)
    table = spaced_header(body.replace(b".", b"_"))
    if table is None:
        return None
    return replace(
        table,
        starts=tuple(s for s, _ in runs),
        ends=tuple(e for _, e in runs),
        ruled=True,
    )


def spaced_header(body: bytes) -> Table | None:
    """The ``spaced`` table ``body`` would start, whatever line follows it (a stream holds back
    only such a line while its next line has not arrived)."""
    if body.translate(None, _SPACED_BYTES) or not _SPACED_HEADER.fullmatch(body):
        return None
    cells = [(m.start(), m.end()) for m in _TOKEN.finditer(body)]
    names = [_cell_text(body[a:b]) for a, b in cells]
    # Only names holding a secret's word are judged (a line of 16 words judged word by word
    # cost prose a tenth of its speed). A weak name (``key``, ``session``) one blank from other
    # words is code or prose (``import AssetKey``): a strong one only.
    # (Twenty-first pass: ``pat`` too, ``AGE pat`` over ``30d <key>``: only generated-looking
    # values count under a header of this kind, and a personal access token is one.)
    verdicts = [
        secret_column(n) if _ANY_SECRET_WORD.search(n) or n.lower() == b"pat" else (False, False)
        for n in names
    ]
    # A bare "pass" one blank from other words is prose ("all tests pass 3f2a…" over "second pass
    # <commit id> done"): weak here (ninth pass).
    verdicts = [
        (yes, weak or n.lower() == b"pass") for (yes, weak), n in zip(verdicts, names, strict=True)
    ]
    columns = tuple(i for i, (yes, _) in enumerate(verdicts) if yes)
    if not columns or all(verdicts[i][1] and names[i].lower() != b"pat" for i in columns):
        return None
    if any(len(n) >= 16 and word_model.key_material(n) for n in names):
        return None  # (a generated-looking word is a value: ``密码  9Zt2…``; twentieth pass)
    return Table(
        "spaced",
        len(names),
        columns,
        tuple(True for _ in columns),
        tuple(a for a, _ in cells),
        narrow=True,
        ends=tuple(b for _, b in cells),
    )


def _unquoted(body: bytes, a: int, b: int) -> tuple[int, int]:
    """A cell's span without the quotes around it (sqlite3's ``.mode tcl``)."""
    if b - a >= 2 and body[a] in b"\"'" and body[b - 1] == body[a]:
        return a + 1, b - 1
    return a, b


def _word_ending(body: bytes, end: int) -> tuple[int, int] | None:
    """The blank-free word of ``body`` ending at ``end`` (a right-aligned cell one blank after
    the one before it), if one ends there."""
    if not 0 < end <= len(body) or body[end - 1] == 0x20 or body[end : end + 1] not in (b"", b" "):
        return None
    return body.rfind(b" ", 0, end) + 1, end


# Twenty-fifth pass: the rest of a value its tool wrapped inside its column (sqlite3's ``.mode
# column --wrap N``, a ``textwrap``-ed cell): a line of one token, the other columns blank.
_FRAGMENT = lazy_compile(rb"[A-Za-z0-9+/=_.\-]{4,}")
_MIXED = lazy_compile(rb"[0-9].*[A-Za-z]|[A-Za-z].*[0-9]|[a-z].*[A-Z]|[A-Z].*[a-z]")


def _continued_cell(
    body: bytes, row: list[tuple[int, int]], table: Table
) -> list[tuple[int, int, bool]] | None:
    """A line holding only the wrapped rest of a secret column's value: one token of key
    characters, not a word (letters and digits, or both cases), where that column starts."""
    if len(row) != 1:
        return None
    a, b = row[0]
    for i, weak in zip(table.columns, table.weak, strict=True):
        if table.starts[i] == a:
            value = body[a:b]
            if _FRAGMENT.fullmatch(value) and _MIXED.search(value):
                return [(a, b, weak)]
    return None


def _loose_row(
    body: bytes, table: Table, ends: tuple[int, ...]
) -> list[tuple[int, int, bool]] | None:
    """A row of an aligned table whose columns are one blank apart in it (a value as wide as
    its column: pandas' and ``column -o ' '``'s narrow gaps): its words starting at the header's
    columns (or ending where a right-aligned header ends) make it a row, whose cells are those
    words and count only when they look generated. None: no row."""
    words = [(m.start(), m.end()) for m in _TOKEN.finditer(body)]
    by_start = {a: (a, b) for a, b in words}
    by_end = {b: (a, b) for a, b in words}
    hits = [by_start.get(a) or by_end.get(b) for a, b in zip(table.starts, ends, strict=True)]
    if sum(h is not None for h in hits) * 2 < len(table.starts):
        return None
    out = [(*hit, True) for i in table.columns if (hit := hits[i]) is not None]
    if table.pairs is not None:
        key, value = hits[table.pairs[0]], hits[table.pairs[1]]
        if key is not None and value is not None and _pair_secret(body, key, value)[0]:
            out.append((*value, True))
    return out


def _spaced_cells(body: bytes, table: Table) -> dict[int, tuple[int, int]] | None:
    """The cells of a row under a ``spaced`` header, by secret column (None: no row)."""
    row = [_unquoted(body, m.start(), m.end()) for m in _TOKEN.finditer(body)]
    if table.ruled:
        # (Under a rule of dash runs: each word inside one run, a secret column's one word.)
        spans = list(zip(table.starts, table.ends, strict=True))
        inside = [[j for j, (s, e) in enumerate(spans) if s <= a and b <= e] for a, b in row]
        if not row or not all(inside):
            return None
        cols = [u[0] for u in inside]
        return {j: cell for cell, j in zip(row, cols, strict=True) if cols.count(j) == 1}
    if len(row) == table.width:
        return dict(enumerate(row))
    if len(row) != table.width + 1:
        return None  # prose: lines of other lengths
    # One more cell (pandas' index has no header cell), aligned by position: the header cells
    # most of the row's cells lie under, and the secret column's one cell under it and under no
    # other.
    spans = list(zip(table.starts, table.ends, strict=True))
    under = [[j for j, (s, e) in enumerate(spans) if a < e and b > s] for a, b in row]
    if sum(bool(u) for u in under) * 2 < len(spans):
        return None
    return {u[0]: cell for cell, u in zip(row, under, strict=True) if len(u) == 1}


def _table(
    kind: str,
    names: list[bytes],
    starts: tuple[int, ...] = (),
    pairs: tuple[int, int] | None = None,
    *,
    all_weak: bool = False,
) -> Table | None:
    """The table whose header cells are ``names``: its secret columns (a key/value table's key
    column is none), or None when it names no secret and is no key/value table. ``all_weak``:
    every secret column counts only values that look generated."""
    verdicts = [secret_column(n) for n in names]
    columns = tuple(
        i for i, (yes, _) in enumerate(verdicts) if yes and (pairs is None or i != pairs[0])
    )
    if not columns and pairs is None:
        return None
    weak = tuple(all_weak or verdicts[i][1] for i in columns)
    return Table(kind, len(names), columns, weak, starts, pairs, narrow=all_weak)


def _pairs(names: list[bytes]) -> tuple[int, int] | None:
    """(key column, value column) when the header is a key/value table's."""
    lowered = [_column_name(n).lower() for n in names]
    keys = [i for i, n in enumerate(lowered) if n in _PAIR_KEYS]
    values = [i for i, n in enumerate(lowered) if n in _PAIR_VALUES]
    if len(keys) == 1 and len(values) == 1:
        return keys[0], values[0]
    return None


# Fourteenth pass: a header of two rows, as ``ps``, ``kubectl``-style and report tools print a
# long name's words one above the other (``CLIENT`` over ``SECRET``, ``TOKEN`` over ``COUNT``):
# both rows words in capitals (no digits), apart by two blanks or more, each word of the second
# row under a column of the first.
_UPPER_WORDS = lazy_compile(rb"[A-Z]{1,16}(?:[ _\-][A-Z]{1,16}){0,2}")
_UPPER_ALIGNED = lazy_compile(
    rb"[A-Z]{1,16}(?:[ _\-][A-Z]{1,16}){0,2}(?:(?:  +|\t+)[A-Z]{1,16}(?:[ _\-][A-Z]{1,16}){0,2})+ *\r?"
)


def _second_header_row(
    body: bytes, cells: list[tuple[int, int]], following: bytes
) -> list[bytes] | None:
    """The column names of a header of two rows whose first is ``body`` (its aligned ``cells``)
    and second ``following``: each column's words with the word below it; None when
    ``following`` is no second header row."""
    nxt = following.rstrip(b"\r\n")
    if not body.isascii() or not nxt.isascii() or not _UPPER_ALIGNED.fullmatch(nxt):
        return None
    names = [body[a:b].strip() for a, b in cells]
    if not all(_UPPER_WORDS.fullmatch(n) for n in names):
        return None
    below = _aligned_cells(nxt)
    starts = [a for a, _ in cells]
    ends = [*starts[1:], 1 << 30]
    used: set[int] = set()
    merged = list(names)
    for a2, b2 in below:
        word = nxt[a2:b2].strip()
        if word_model.key_material(word) or any(
            word_model.kind(w) is word_model.Kind.RANDOM for w in re.split(rb"[ _\-]", word)
        ):
            return None  # (a row of values in capitals: ``WEB  EU  FMQDFNVNGZWJYY``)
        at = [i for i in range(len(cells)) if starts[i] <= a2 < ends[i]]
        if not at or at[0] in used or b2 > ends[at[0]]:
            return None
        used.add(at[0])
        merged[at[0]] = names[at[0]] + b" " + word
    return merged


_GROUP_NAME = lazy_compile(
    rb"[A-Za-z\xc2-\xf4][A-Za-z_.\-\x80-\xbf\xc2-\xf4]{0,40}(?: [A-Za-z_.\-]{1,20})?"
)
_GROUP_ROW = lazy_compile(
    rb"[ \t]*[A-Za-z\x80-\xff][^\s]{0,60}(?:[ \t]{2,}[A-Za-z\x80-\xff][^\s]{0,60}){0,3}[ \t]*"
)


def _group_under(data: bytes, pos: int, line: bytes) -> Table | None:
    """``_group_over`` read from its second row (``line`` at ``pos``): the line above a few
    words over its columns, none of them a header candidate (``mot`` over ``STATUS  de passe``:
    a name wrapped inside its column; twentieth pass)."""
    prev_end = pos - 1
    if prev_end > 0 and data[prev_end - 1] == 0x0D:
        prev_end -= 1
    prev_start = data.rfind(b"\n", max(0, prev_end - 256), prev_end) + 1
    if prev_start == 0 and prev_end > 256:
        return None
    prev = data[prev_start:prev_end]
    if not prev.strip() or _GROUP_ROW.fullmatch(prev) is None:
        return None
    return _group_over(prev, line)


def _line_above(data: bytes, pos: int) -> bytes | None:
    """The line that ends just before the line start ``pos``, without its ``\\r``; None when
    it is longer than a row may be (``MAX_ROW``)."""
    prev_end = pos - 1
    if prev_end > 0 and data[prev_end - 1] == 0x0D:
        prev_end -= 1
    prev_start = data.rfind(b"\n", max(0, prev_end - MAX_ROW), prev_end) + 1
    if prev_start == 0 and prev_end > MAX_ROW:
        return None
    return data[prev_start:prev_end]


def _bar_group_under(data: bytes, pos: int, line: bytes, following: bytes | None) -> Table | None:
    """Twenty-first pass: ``line`` (at ``pos``, codes and boxes read) the second row of a "|"
    header whose first row is no candidate, a header cell of two lines (tabulate's ``API`` over
    ``Token``, rich wrapping ``Client Secret`` in a narrow column): its bars where the line
    above has them, a cell of it empty, and the cells of both names. Read as the header of the
    two rows' names together (``API Token``); the line is no row of it."""
    prev = _line_above(data, pos)
    if prev is None:
        return None
    if b"|" not in prev and b"\xe2" not in prev:
        return None
    prev = _boxes(strip(prev) if has_codes(prev) else prev)
    body = line.rstrip(b"\r")
    bars = [i for i, c in enumerate(body) if c == 0x7C]
    if len(bars) < 1 or [i for i, c in enumerate(prev) if c == 0x7C] != bars:
        return None
    top, below = prev.split(b"|"), body.split(b"|")
    # (A column whose name is on one line: empty below a name. ``||  Status  |  Active  ||``
    # over ``||  X-Api-Token|  REDACTED  ||``, an ``aws --output table`` record, has none.)
    if not any(a.strip() and not b.strip() for a, b in zip(top, below, strict=True)) or not any(
        c.strip() for c in below
    ):
        return None
    merged = []
    for a, b in zip(top, below, strict=True):
        a, b = a.strip(), b.strip()
        for word in (a, b):
            if word and not _GROUP_NAME.fullmatch(word):
                return None
        merged.append(b" ".join(w for w in (a, b) if w))
    if not any(b.strip() and secret_column(m)[0] for m, b in zip(merged, below, strict=True)):
        return None
    head = b"|".join((b" " + m + b" ") if m else b"" for m in merged)
    table = _open(head, following)
    if table is None or table.kind not in ("psv", "markdown"):
        return None
    return replace(table, head=body.strip(b" \t\r\n\f"))


_SQL_TYPE = lazy_compile(
    rb"(?i)(?:var)?char(?:\([0-9]{1,5}\))?|text|string|str|utf8|u?(?:tiny|small|big|huge)?int(?:eger)?"
    rb"(?:8|16|32|64|128)?|[iuf](?:8|16|32|64)|double|float[0-9]{0,2}|real|bool(?:ean)?|date|"
    rb"time(?:stamp)?(?: with time zone)?|timestamptz|interval|blob|bytea|uuid|jsonb?|"
    rb"(?:decimal|numeric)(?:\([0-9, ]{1,8}\))?|nullable\([A-Za-z0-9]{1,16}\)|datetime[0-9]{0,2}"
)


def _types_row(line: bytes) -> bool:
    """A row of column type names only (``│ varchar │ integer │``)."""
    cells = [c.strip() for c in line.replace(b"\t", b"|").split(b"|")]
    cells = [c for c in cells if c]
    if len(cells) == 1 and b"  " in cells[0]:
        cells = cells[0].split()
    return bool(cells) and all(_SQL_TYPE.fullmatch(c) is not None for c in cells)


def finditer_overlapping_lines(rx: re.Pattern[bytes], data: bytes) -> Iterator[re.Match[bytes]]:
    """``rx.finditer(data)``, but a match that ends with a line's newline does not take it from
    the next line's match (hyperscan reports both: a table's title line over its header, read
    by the pure-Python engine; twenty-first pass)."""
    pos = 0
    size = len(data)
    while pos <= size:
        m = rx.search(data, pos)
        if m is None:
            return
        yield m
        end = m.end()
        if end > m.start() and data[end - 1] == 0x0A:
            end -= 1
        pos = max(end, m.start() + 1)


_NAME_START = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")


_WRAP_LINES = 8  # (a row of at most eight lines of the terminal)


def _wrapped_lines(
    data: bytes, start: int, width: int, final: bool, cells: int
) -> tuple[list[tuple[int, bytes]], int] | None:
    """The terminal lines one line wrapped at ``width`` fills from the line start ``start``:
    (start, text) of each — the first as wide as the terminal, then each line as wide again is
    followed by its rest (twenty-second pass: a row wrapped more than once, its rest wider than
    the terminal again), the last one narrower; a line that would give the row more than
    ``cells`` cells is the next row's start — and where the last ends (its newline or the
    data's end); None when its rest has not arrived."""
    lines: list[tuple[int, bytes]] = []
    p = start
    size = len(data)
    stop = start
    joined = b""
    while True:
        nl = data.find(b"\n", p)
        if nl < 0:
            if not final:
                return None
            nl = size
        text = data[p:nl].rstrip(b"\r")
        if lines and (
            not text.strip() or (len(lines) > 1 and len(_aligned_cells(joined + text)) > cells)
        ):
            return lines, stop  # (a blank line, or the next row's start)
        lines.append((p, text))
        joined += text
        stop = nl
        if len(text) != width or len(lines) == _WRAP_LINES or nl >= size:
            return lines, stop
        p = nl + 1


def _may_continue_cut_name(data: bytes, pos: int, line: bytes) -> bool:
    """Whether ``line`` (at ``pos``, its colour codes none) may be the rest of a header name the
    terminal cut at its width: a name character on both sides of the line break, and nothing on
    the line but name characters and blanks (``API_TO`` over ``KEN``)."""
    return (
        pos > 1
        and line[:1] != b""
        and line[0] in _NAME_START
        and data[pos - 2] in _NAME_START
        and not line.rstrip(b"\r").translate(None, _WRAPPED_BYTES)
    )


# Twenty-fourth pass: the narrowest terminal a header is read as cut at (a split pane; the
# cut falls inside the secret's name, wherever the columns before it end: 40, the nineteenth
# pass's width for a cell's rest, left tables cut at 34-39 columns unread).
_CUT_WIDTH = 24


def _cut_header(
    data: bytes, pos: int, end: int, final: bool, *, own_header: bool = False
) -> Table | None:
    """Twenty-first pass: the line at ``pos`` the rest of a header line above it cut at the
    terminal's width (at least ``_CUT_WIDTH``): the two read as one header (``API_TO`` + ``KEN``)
    whose secret's name is whole only so. The table reads every row as wide as that line with the
    line after it (``_wrapped_row``). Twenty-second pass: a rest as wide as the terminal again
    has a rest of its own (the header wrapped twice: the third line is no row); ``own_header``:
    the line above was read as a header of its own (cut right after a word naming a secret
    itself, ``AUTH_`` over ``TOKEN``), still no reading of its rows."""
    above = _line_above(data, pos)
    if above is None:
        return None
    top = above.rstrip(b"\r")
    rest = data[pos:end].rstrip(b"\r")
    width = len(top)
    # (Cheap tests first: prose wrapped at a width is no table, its lines have no gap.)
    if width < _CUT_WIDTH or b"  " not in top or not rest.strip() or len(rest) > width:
        return None
    third = b""
    last = end
    if len(rest) == width:
        nxt = data.find(b"\n", end + 1)
        if nxt < 0 and not final:
            return _WAIT
        after = data[end + 1 : nxt if nxt >= 0 else len(data)].rstrip(b"\r")
        if after.strip() and len(after) < width and not after.translate(None, _WRAPPED_BYTES):
            third, last = after, nxt if nxt >= 0 else len(data)
    joined = top + rest + third
    if b"\x1b" in joined or not joined.isascii() or not _HEADER_SHAPE.fullmatch(joined):
        return None
    # (The cell the cut falls in must name a secret once joined: ``AP`` + ``I_TOKEN``; the
    # line above must be no header of its own.)
    cells = _aligned_cells(joined)
    cut = [_cell_text(joined[a:b]) for a, b in cells if a < width < b]
    if (
        len(cells) < 2
        or len(cut) != 1
        or len(cut[0]) > 40
        or not _NAME_CELL.fullmatch(cut[0])
        or word_model.key_material(cut[0])
        or not secret_column(cut[0])[0]
        or (not own_header and header(top, None) is not None)
    ):
        return None
    # (The first row is cut at the same width, and its rest is no row of its own: a table
    # whose lines are all padded to one width, tabulate's ``plain``, has whole rows there.)
    if last >= len(data):
        return None if final else _WAIT
    first = _wrapped_lines(data, last + 1, width, final, len(cells))
    if first is None:
        return _WAIT
    row, _ = first
    following = row[0][1]
    if len(row) < 2 or len(following) != width or _RULE.fullmatch(following) is not None:
        return None
    row_rest = row[-1][1]
    names = len(cells)
    if not row_rest.strip() or len(_aligned_cells(row_rest)) >= names:
        return None
    table = header(joined, b"".join(t for _, t in row))
    if table is None or table.kind not in ("aligned", "csv", "tsv", "psv"):
        return None
    if third:
        return replace(table, wrap=width, head2=third.strip(b" \t\r\n\f"))
    return replace(table, wrap=width)


def _wrapped_row(
    data: bytes, pos: int, end: int, line: bytes, table: Table, final: bool
) -> tuple[list[tuple[int, int, bytes]], int] | None:
    """A row of a table wrapped at ``table.wrap`` (``_cut_header``): its secret cells as spans
    of the data (a value cut by the wrap as its parts) and where the next line starts (-1: its
    rest has not arrived); None when the line is no such row. (Twenty-second pass: a rest as
    wide as the terminal again has a rest of its own: three lines.)"""
    width = table.wrap
    body = line.rstrip(b"\r")
    if len(body) != width:
        return None
    got = _wrapped_lines(data, pos, width, final, len(table.starts) or table.width)
    if got is None:
        return [], -1
    lines, stop = got
    rests = lines[1:]
    if not rests or any(not t.strip() or len(t) > width or b"\x1b" in t for _, t in rests):
        return None
    joined = body + b"".join(t for _, t in rests)
    row = row_cells(joined, table)
    if not row:
        return None
    # Where each terminal line's text starts in the data, and in the joined row.
    segments = [(pos, 0, width)] + [
        (at, width * (k + 1), width * (k + 1) + len(t)) for k, (at, t) in enumerate(rests)
    ]
    spans: list[tuple[int, int, bytes]] = []
    for a, b, weak in row:
        span = _value_span(joined, a, b, weak)
        if span is None:
            continue
        a, b = span
        for at, lo, hi in segments:
            x, y = max(a, lo), min(b, hi)
            if x < y:
                spans.append((at + x - lo, at + y - lo, joined[x:y]))
    return spans, stop + 1


def _header_continued(line: bytes, table: Table, following: bytes | None) -> bool:
    """``line`` the second row of ``table``'s aligned header: fewer cells, each a name starting
    where a column does, and a rule line or a full row after it (``following``; None: the line
    alone could be one)."""
    if not line.isascii():
        return False
    if following is not None:
        nxt = following.rstrip(b"\r\n")
        if _RULE.fullmatch(nxt) is None and len(_aligned_cells(nxt)) != len(table.starts):
            return False
    cells = _aligned_cells(line.rstrip(b"\r"))
    if not cells or len(cells) >= len(table.starts):
        return False
    return all(
        a in table.starts
        and _GROUP_NAME.fullmatch(w := line[a:b].strip()) is not None
        and not word_model.key_material(w)
        for a, b in cells
    )


_WRAPPED_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.- "


def _wrapped_under(data: bytes, pos: int, line: bytes, following: bytes | None) -> Table | None:
    """Twenty-first pass: ``line`` (at ``pos``) the second row of an aligned header whose cells
    wrap (tabulate's ``simple``, ``rst`` and ``plain`` with a header cell of two lines,
    ``Access  NAME  AGE`` over ``Token``): fewer cells than the line above, each a name starting
    where one of its cells starts, the line above all names. Read as the header of the line
    above's columns, each named with the word below it; the line is no row of it."""
    body = line.rstrip(b"\r")
    if body.translate(None, _WRAPPED_BYTES) or not body.strip():
        return None  # (a byte no row of names holds: code, prose; dismissed in C)
    if following is None or not following.strip():
        return None
    prev = _line_above(data, pos)
    if prev is None:
        return None
    if b"  " not in prev or not prev.isascii():
        return None
    top = _aligned_cells(prev)
    below = _aligned_cells(body)
    if len(top) < 2 or not below or len(below) >= len(top):
        return None
    starts = [a for a, _ in top]
    merged = [prev[a:b].strip() for a, b in top]
    if not all(_GROUP_NAME.fullmatch(n) for n in merged):
        return None
    for a, b in below:
        word = body[a:b].strip()
        if a not in starts or not _GROUP_NAME.fullmatch(word) or word_model.key_material(word):
            return None
        i = starts.index(a)
        merged[i] = merged[i] + b" " + word
    if not any(secret_column(m)[0] for m in merged):
        return None
    table = _table("aligned", merged, tuple(starts), None, all_weak=len(top) < 3)
    if table is None:
        return None
    return replace(table, ends=tuple(b for _, b in top))


def _group_over(body: bytes, following: bytes | None) -> Table | None:
    """Twentieth pass: a header of two rows whose first holds a word or a few over some of the
    second's columns — a name wrapped in its column (``mot`` over ``de passe``, ``API`` over
    ``Token``), pandas' two levels of columns (``apiKey`` over ``value``, ``credentials`` over
    ``token``): each column named by its words with the word above it. The table of the second
    row's columns when a column so named names a secret; the second row is
    then no row of it (``head2``; read from the first row, the second's own secret column is
    read here too). Names in any case (``_second_header_row`` reads capitals only, every
    column of the first row over one of the second's)."""
    if following is None:
        return None
    nxt = following.rstrip(b"\r\n")
    if not nxt.isascii() or len(nxt) > MAX_ROW:
        return None
    below = _aligned_cells(nxt)
    if len(below) < 2:
        return None
    names = [nxt[a:b].strip() for a, b in below]
    # (Names of letters only, fewer above than below: two rows of a table, ``worker  k-1
    # key-0314`` over ``billing  k-2  key-0315``, are no header.)
    if not all(_GROUP_NAME.fullmatch(n) for n in names):
        return None
    top = _aligned_cells(body)
    if not top or len(top) >= len(below):
        return None
    merged = list(names)
    for a1, b1 in top:
        word = body[a1:b1].strip()
        if not _GROUP_NAME.fullmatch(word):
            return None
        # (The column under the word: the one its span overlaps most; a word over none, a group
        # over pandas' unnamed index, names nothing.)
        best, most = -1, 0
        for i, (a2, b2) in enumerate(below):
            overlap = min(b1, b2) - max(a1, a2)
            if overlap > most:
                best, most = i, overlap
        if best >= 0:
            merged[best] = word + b" " + merged[best]
    if merged == names or not any(secret_column(m)[0] for m in merged):
        return None
    starts = tuple(a for a, _ in below)
    table = _table("aligned", merged, starts, None, all_weak=len(below) < 3)
    if table is None:
        return None
    return replace(table, ends=tuple(b for _, b in below), head2=following.strip(b" \t\r\n\f"))


def _header_candidates(
    body: bytes, following: bytes | None
) -> list[tuple[str, list[tuple[int, int]] | None]]:
    out: list[tuple[str, list[tuple[int, int]] | None]] = []
    drawn = following is not None and _MD_SEPARATOR.fullmatch(following.rstrip()) is not None
    if b"|" in body and drawn:
        # (Twenty-first pass: blanks then a bar and no bar at the end, presto's and psql's
        # header over an unnamed index, ``    | REGION | api_token``: an empty first cell.)
        outer = not (
            body[:2] == b"  " and body.lstrip(b" ")[:1] == b"|" and not body.endswith(b"|")
        )
        out.append(("markdown", _md_cells(body, outer)))
    for kind, delimiter in _DELIMITERS.items():
        if delimiter in body and not (kind == "psv" and drawn):
            out.append((kind, _csv_cells(body, delimiter)))
    if _ALIGNED_GAP.search(body.strip()):
        out.append(("aligned", _aligned_cells(body)))
    return out


def _char_width(ch: str) -> int:
    if ch.isascii():
        return 1
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cf", "Mn", "Me"):
        return 0  # a byte-order mark, a zero-width joiner, a combining accent
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _display_columns(body: bytes) -> list[int] | None:
    """For each byte offset of ``body`` (and its end), the terminal column it is shown at;
    None when every byte is one column (ASCII)."""
    if body.isascii():
        return None
    text = body.decode("utf-8", "surrogateescape")
    columns: list[int] = []
    col = 0
    for ch in text:
        n = len(ch.encode("utf-8", "surrogateescape"))
        columns.extend([col] * n)
        col += _char_width(ch)
    columns.append(col)
    return columns


def _display_view(body: bytes, *, wide: bool = True) -> tuple[bytes, list[int]]:
    """``body`` as one byte per terminal column (ASCII bytes as they are, other characters as
    ``x`` once per column they take) and, per column of it (and its end), the byte offset in
    ``body`` it stands for. ``wide``: wide characters take two columns (else every character
    one)."""
    text = body.decode("utf-8", "surrogateescape")
    view = bytearray()
    offsets: list[int] = []
    pos = 0
    for ch in text:
        n = len(ch.encode("utf-8", "surrogateescape"))
        if ch.isascii():
            view.append(ord(ch))
            offsets.append(pos)
        else:
            w = _char_width(ch) if wide else 1
            view += b"x" * w
            offsets.extend([pos] * w)
        pos += n
    offsets.append(pos)
    return bytes(view), offsets


def _aligned_score(view: bytes, table: Table) -> int:
    """How many of the header's column starts a cell of ``view`` starts at."""
    starts = set(table.starts)
    return sum(a in starts for a, _ in _aligned_cells(view))


def _aligned_spans(body: bytes, table: Table) -> dict[int, tuple[int, int]] | None:
    """The cells of an aligned row at the key/value columns of ``table`` (as ``row_cells``
    finds them: a cell starting where its column starts)."""
    if table.pairs is None:
        return None
    starts = {a: (a, b) for a, b in _aligned_cells(body)}
    return {i: starts[table.starts[i]] for i in table.pairs if table.starts[i] in starts}


def row_cells(line: bytes, table: Table) -> list[tuple[int, int, bool]] | None:
    """The secret cells (start, end, weak) of a row, or None when the line is no row of
    ``table``."""
    body = line.rstrip(b"\r\n")
    if body and not body.strip() and table.kind in ("aligned", "markdown"):
        return []  # a line of blanks between the rows of a drawn or aligned table (rich's)
    if not body.strip() or len(body) > MAX_ROW:
        return None
    if _RULE.fullmatch(body):
        return []
    cell: dict[int, tuple[int, int]] = {}
    loose: dict[int, tuple[int, int]] = {}  # (one blank apart: generated-looking values only)
    if table.kind == "aligned" and not body.isascii():
        # Columns are where a terminal shows them: a wide character (``张伟``, an emoji) takes
        # two, a letter of two or three bytes (``Zoë``, ``δοκιμή``) one, a byte-order mark none.
        # The row is read as one byte per column and its cells mapped back onto its bytes.
        # (Tools that pad by characters, as ``str.ljust`` and pandas do by default, align a
        # wide character as one column: read so when the terminal's columns find no row.)
        # (Whichever view puts more cells where the header's columns start.)
        plain = replace(table, pairs=None)
        view, offsets = _display_view(body)
        by_chars, char_offsets = _display_view(body, wide=False)
        if _aligned_score(by_chars, table) > _aligned_score(view, table):
            view, offsets = by_chars, char_offsets
        in_view = row_cells(view, plain)
        if in_view is None:
            return None
        out = [(offsets[a], offsets[b], weak) for a, b, weak in in_view]
        if table.pairs is not None:
            spans = _aligned_spans(view, table)
            key, value = table.pairs
            if spans is not None and key in spans and value in spans:
                k, v = spans[key], spans[value]
                named, weak = _pair_secret(
                    body, (offsets[k[0]], offsets[k[1]]), (offsets[v[0]], offsets[v[1]])
                )
                if named:
                    out.append((offsets[v[0]], offsets[v[1]], weak or table.narrow))
        return out
    if table.kind == "aligned":
        # A row of the table starts a cell at most of the header's columns (prose does not).
        # (Or ends at most of their ends: pandas right-aligns its columns.)
        row = _aligned_cells(body)
        bare = body.rstrip()
        if table.starts[0] > len(bare) and b" " not in bare and b"\t" not in bare:
            return []  # the index's name under a header over an unnamed index (pandas)
        by_end = {b: (a, b) for a, b in row}
        cell_starts = {a for a, _ in row}
        ends = table.ends or (-1,) * len(table.starts)
        matched = sum(
            a in cell_starts or b in by_end for a, b in zip(table.starts, ends, strict=True)
        )
        if matched * 2 < len(table.starts):
            continued = _continued_cell(body, row, table)
            return continued if continued is not None else _loose_row(body, table, ends)
        wanted = set(table.columns) | set(table.pairs or ())
        for i in wanted:
            start = table.starts[i]
            # Left-aligned under its header: the value starts where the column does.
            if start >= len(body) or body[start] == 0x20 or (start and body[start - 1] != 0x20):
                # Right-aligned under its header: the value ends where the header does.
                if ends[i] in by_end and (i == 0 or by_end[ends[i]][0] > ends[i - 1]):
                    cell[i] = by_end[ends[i]]
                elif (word := _word_ending(body, ends[i])) is not None and (
                    # (Between the column before's end and its own: right-aligned; the first
                    # column's after a row's name, ``1``, ``2:``.)
                    word[0] > ends[i - 1] if i else bool(body[: word[0]].strip())
                ):
                    # Twenty-fifth pass: one blank before it (R's ``print`` of a data.frame or
                    # data.table right-aligns its columns one blank apart): generated-looking
                    # values only.
                    loose[i] = word
                elif (centred := _centred_cell(row, table, ends, i)) is not None:
                    loose[i] = centred
                continue
            gap = _ALIGNED_GAP.search(body, start)
            stop = gap.start() if gap else len(body)
            if i + 1 < len(table.starts) and stop > table.starts[i + 1]:
                # One blank before the next column (the value fills its column): cut there.
                cut = body.rfind(b" ", start, table.starts[i + 1])
                stop = cut if cut > start else stop
            cell[i] = (start, stop)
    elif table.kind == "spaced":
        found = _spaced_cells(body, table)
        if found is None:
            return None
        cell = found
    elif table.kind == "single":
        text = body.strip()
        if not text or any(c in _BLANK_OR_DELIMITER for c in text):
            return None  # a line of words or cells is prose or another table's
        if text.endswith(b":"):
            # (Twentieth pass: a mapping's next name, ``credentials:`` over ``  id:`` over
            # ``    <uuid>``: what follows is that name's, not the column's.)
            return None
        cell = {0: (0, len(body))}
    else:
        if table.kind == "markdown":
            cells = _md_cells(body)
            if cells is not None and len(cells) < table.width and body[:1] in (b" ", b"\t"):
                # Seventeenth pass: psql's continuation line of a row (a wrapped or multi-line
                # cell: ``    |          |.0EN4…``): blanks then a bar are an empty first
                # cell, not an outer bar (a psql table has none), and a bar then blanks at the
                # end an empty last cell (``|.qZ7m…  | ``).
                cells = _md_cells(body, outer=False)
                if (
                    cells is not None
                    and len(cells) == table.width - 1
                    and body.rstrip().endswith(b"|")
                ):
                    cells.append((len(body.rstrip()), len(body.rstrip())))
        else:
            cells = _csv_cells(body, _DELIMITERS[table.kind])
        if cells is None or len(cells) != table.width:
            return None
        cell = dict(enumerate(cells))
    out = [(*cell[i], weak) for i, weak in zip(table.columns, table.weak, strict=True) if i in cell]
    if loose:
        out += [(*loose[i], True) for i in table.columns if i in loose and i not in cell]
    if table.pairs is not None:
        key, value = table.pairs
        if key in cell and value in cell:
            named, weak = _pair_secret(body, cell[key], cell[value])
            if named:
                out.append((*cell[value], weak or table.narrow))
    return out


def _centred_cell(
    row: list[tuple[int, int]], table: Table, ends: tuple[int, ...], i: int
) -> tuple[int, int] | None:
    """Thirty-first pass: the one row cell under column ``i``'s header neither starting nor
    ending where it does (a centred header over a wider value, rich's ``justify="center"``,
    psql's ``\\pset border 0``; a value a blank or two right of its name): it overlaps the
    header's span and stays between the neighbouring columns' headers. Counted only when it
    looks generated (the caller's ``loose``)."""
    start, end = table.starts[i], ends[i]
    if end < 0:
        return None
    low = ends[i - 1] if i else -1
    high = table.starts[i + 1] if i + 1 < len(table.starts) else 1 << 30
    under = [(a, b) for a, b in row if a < end and b > start]
    if len(under) != 1:
        return None
    a, b = under[0]
    return (a, b) if a > low and b <= high else None


_PATH_CELL = lazy_compile(rb"[\"']?~?/[A-Za-z0-9_.\-/~+@]*[\"']?")


def _pair_secret(body: bytes, key: tuple[int, int], value: tuple[int, int]) -> tuple[bool, bool]:
    """Whether a key/value row's key cell names a secret (``secret_column``); not the shell's
    working directory, ``PWD`` or ``OLDPWD`` over a path (PowerShell's ``Get-ChildItem env:``,
    ``Name  Value``: twenty-first pass)."""
    name = body[key[0] : key[1]].strip()
    if name in (b"PWD", b"OLDPWD") and _PATH_CELL.fullmatch(body[value[0] : value[1]].strip()):
        return False, False
    if names.openpgp_fingerprint(name, body[value[0] : value[1]].strip()):
        # (Twenty-eighth pass: ``GPG_KEY  A035C8C1…``, an OpenPGP fingerprint, as the env rules.)
        return False, False
    return secret_column(name)


def _record_cells(line: bytes) -> list[tuple[int, int, bool]] | None:
    """The secret cells of records ended by 0x1E (sqlite3's ``.mode ascii``: cells apart by
    0x1F, no line ends) under the first record, a header naming a secret."""
    ends = [i for i, c in enumerate(line) if c == 0x1E]
    starts = [0, *(e + 1 for e in ends)]
    table = header(line[: ends[0]], None) if ends else None
    if table is None or table.kind != "usv":
        return None
    out: list[tuple[int, int, bool]] = []
    for a, b in zip(starts[1:], [*ends[1:], len(line)], strict=True):
        row = row_cells(line[a:b], table) if b > a else None
        if row is None:
            break
        out += [(*span, w) for x, y, w in row if (span := _value_span(line, a + x, a + y, w))]
    return out


# A header-less record line (a transposed frame's ``password  9Zt2…  Q7ab…``, ``aws configure
# list``, a vertical key/value display without a colon): a name naming a secret at the line's
# start, then values apart from it by two blanks or a tab (not an aligned assignment's "=").
_RECORD_LINE = lazy_compile(
    rb"[ \t]*+([A-Za-z_][A-Za-z0-9_.\-]{0,40}(?: [A-Za-z0-9_.\-]{1,30}){0,3}):?(?: {2,}|\t+)(?![=:])(\S.*)"
)


def _record_line(line: bytes) -> list[tuple[int, int, bool]] | None:
    """The values of a record line whose first cell names a secret: every word after it that
    looks generated (a record line is also prose: ``password   reset by admin``)."""
    body = line.strip()
    if b"  " not in body and b"\t" not in body:
        return None  # (the cheap test: most lines have no gap after their first words)
    m = _RECORD_LINE.fullmatch(line.rstrip())
    if m is None or not secret_column(m.group(1))[0]:
        return None
    if names.openpgp_fingerprint(m.group(1), m.group(2).strip()):
        return None  # (twenty-eighth pass: ``GPG_KEY  A035C8C1…``, as ``_pair_secret``)
    return [
        (*span, True)
        for w in _TOKEN.finditer(line, m.start(2))
        if (span := _value_span(line, w.start(), w.end(), True))
    ]


def insert_cells(line: bytes, schemas: Schemas = ()) -> list[tuple[int, int, bool]] | None:
    """The values of an SQL insert's secret columns, every tuple of it (None: no insert naming
    its columns, or of a table of ``schemas``: ``rows_cells``). A quoted value's span leaves its
    quotes out."""
    m = _INSERT.match(line)
    if m is None:
        return rows_cells(line, schemas)
    names = _insert_names(m.group(1))
    columns = {i: weak for i, (yes, weak) in enumerate(map(secret_column, names)) if yes}
    return _tuple_cells(line, m.end(), columns)


def insert_column(data: bytes, start: int) -> bytes | None:
    """The name of the column the value at ``start`` is in, inside a tuple of an SQL insert
    naming its columns on the value's line (twenty-fourth pass: ``INSERT INTO credentials (id,
    owner, build_id) VALUES (1, 'ops', '<uuid>')``: the generic rule reads ``'ops', '<uuid>'``
    as a name and its value; the insert names the column, an id's)."""
    line_start = data.rfind(b"\n", 0, start) + 1
    if (
        start - line_start > MAX_ROW
        or data[line_start : line_start + 16].lstrip()[:6].lower() != b"insert"
    ):
        return None  # (asked of every id a generic rule reads: an id-heavy log pays a slice)
    line_end = data.find(b"\n", start)
    line = data[line_start : line_end if line_end >= 0 else len(data)]
    m = _INSERT.match(line)
    if m is None:
        return None
    names = _insert_names(m.group(1))
    at = start - line_start
    # (Every column's cells, in order: the k-th is in column k modulo their number.)
    cells = _tuple_cells(line, m.end(), dict.fromkeys(range(len(names)), False))
    for k, (a, b, _) in enumerate(cells):
        if a <= at < max(b, a + 1):
            return names[k % len(names)]
    return None


def _tuple_cells(line: bytes, pos: int, columns: dict[int, bool]) -> list[tuple[int, int, bool]]:
    """The cells of ``columns`` in the SQL tuples of ``line`` from ``pos``."""
    out: list[tuple[int, int, bool]] = []
    n = len(line)
    while columns and pos < n and line[pos] == 0x28:  # "("
        pos, i = pos + 1, 0
        while True:
            while pos < n and line[pos] in b" \t":
                pos += 1
            if pos < n and line[pos] == 0x27:  # a quoted value: '' and \' inside it
                a = j = pos + 1
                while j < n and not (line[j] == 0x27 and line[j + 1 : j + 2] != b"'"):
                    j += 2 if line[j] == 0x5C or line[j : j + 2] == b"''" else 1
                b, pos = j, j + 1
            else:
                a = pos
                while pos < n and line[pos] not in b",)":
                    pos += 1
                b = a + len(line[a:pos].rstrip())
            if i in columns:
                out.append((a, b, columns[i]))
            while pos < n and line[pos] in b" \t":
                pos += 1
            if pos < n and line[pos] == 0x2C:
                pos, i = pos + 1, i + 1
                continue
            pos += 1
            break
        if pos > n or line[pos - 1] != 0x29:
            break
        while pos < n and line[pos] in b" \t,":
            pos += 1
    return out


def wiki_line(line: bytes, table: Table) -> tuple[list[tuple[int, int, bool]], Table | None]:
    """The secret cells of one line of a MediaWiki table read line by line, and its state after
    it (None after ``|}``): ``!`` lines before the first row name the columns (``open_cell``:
    still in the header), ``|-`` starts a row, ``|`` and ``!`` lines hold its next cells (``||``
    and ``!!`` more of them on one line)."""
    body = line.rstrip(b"\r\n")
    head = len(body) - len(body.lstrip())
    mark = body[head : head + 2]
    if mark == b"|}":
        return [], None
    if mark == b"|-":
        # Still in the header while it names no column yet: a group row over the names
        # (``! colspan="2" | credentials``) is followed by the row of names.
        # (``td``: a header cell spanned columns, so the names come on the next row.)
        header = table.open_cell and (not table.columns or table.td)
        if header and table.td:
            # (Ninth pass: a group cell naming a secret keeps its columns, counting only
            # generated-looking values: ``! colspan="2" | api key`` over ``! primary !! backup``,
            # or straight over the rows.)
            table = replace(table, weak=(True,) * len(table.columns), td=False)
        return [], replace(table, col=-1, open_cell=header, width=0 if header else table.width)
    if not body.strip():
        return [], None  # a blank line ends it (a stray "{|" in code keeps nothing open)
    if mark == b"|+":
        return [], table  # a caption
    if mark[:1] not in (b"|", b"!"):
        # More text of the cell above (a value on the line under its "|"): under a secret
        # column, a generated-looking value counts.
        if table.open_cell or table.col not in table.columns:
            return [], table
        span = _value_span(body, head, len(body), True)
        return ([(*span, True)] if span is not None else []), table
    cells: list[tuple[int, int]] = []
    pos = head + 1
    sep = b"!!" if mark[:1] == b"!" else b"||"
    while True:
        nxt = body.find(sep, pos)
        cells.append((pos, nxt if nxt >= 0 else len(body)))
        if nxt < 0:
            break
        pos = nxt + 2
    out: list[tuple[int, int, bool]] = []
    for a, b in cells:
        attrs = _WIKI_ATTRS.match(body, a, b)
        a = attrs.end() if attrs else a
        if table.open_cell and mark[:1] == b"!":
            n_cols = n_rows = 1
            if attrs is not None:
                found = _WIKI_SPAN.findall(attrs.group())
                spans = {k.lower(): min(int(n), 64) for k, n in found}
                n_cols, n_rows = max(1, spans.get(b"colspan", 1)), spans.get(b"rowspan", 1)
                if b"colspan" in spans:
                    table = replace(table, td=True)
            at = table.width
            while at in table.spanned:
                at += 1  # a column a rowspan above holds
            named, weak = secret_column(body[a:b])
            if named:
                new = [c for c in range(at, at + n_cols) if c not in table.columns]
                table = replace(
                    table,
                    columns=(*table.columns, *new),
                    weak=(*table.weak, *(weak for _ in new)),
                )
            if n_rows > 1:
                table = replace(table, spanned=(*table.spanned, *range(at, at + n_cols)))
            table = replace(table, width=at + n_cols)
            continue
        table = replace(table, col=table.col + 1, open_cell=False)
        if table.col in table.columns:
            weak = table.weak[table.columns.index(table.col)]
            span = _value_span(body, a, b, weak)
            if span is not None:
                out.append((*span, weak))
    return out, table


_LIST_ITEM = lazy_compile(rb"([ \t]*)(\* +- +|\*(?: +|$)|- +)(.*?)[ \t]*\r?")
_HEADER_ROWS = lazy_compile(rb"[ \t]*:header-rows:[ \t]*([0-9]{1,2})[ \t]*\r?")


def list_table_open(line: bytes) -> Table | None:
    m = _LIST_TABLE_START.match(line)
    if m is None:
        return None
    # (``starts``: the directive's indent; ``td``: a header row is declared; ``gaps``: rows read.)
    return Table("listtable", 0, (), (), starts=(len(m.group(1)),))


def list_table_line(line: bytes, table: Table) -> tuple[list[tuple[int, int, bool]], Table | None]:
    """The secret cells of one line of a reStructuredText ``list-table`` and its state after it
    (None once a line is no deeper than the directive): ``:header-rows: 1`` declares the first
    row a header, ``* - name`` starts a row with its first cell, ``- name`` holds its next one
    (``open_cell``: in the header row; ``col``: the cell's index in its row)."""
    body = line.rstrip(b"\r\n")
    if not body.strip():
        return [], table
    head = len(body) - len(body.lstrip())
    if head <= table.starts[0]:
        return [], None
    if (rows := _HEADER_ROWS.fullmatch(body)) is not None:
        return [], replace(table, td=int(rows.group(1)) > 0)
    m = _LIST_ITEM.fullmatch(body)
    if m is None:
        if body.lstrip().startswith(b":") or table.open_cell or table.col not in table.columns:
            return [], table  # an option, or more text of a cell that is no secret's
        span = _value_span(body, head, len(body), True)
        return ([(*span, True)] if span is not None else []), table
    a, b = m.span(3)
    if m.group(2).startswith(b"*"):
        header = table.td and table.gaps == 0
        table = replace(table, col=0, open_cell=header, gaps=table.gaps + 1)
        if not m.group(2).rstrip().endswith(b"-"):
            return [], replace(table, col=-1)  # ``*`` then its cells on the lines below
    else:
        table = replace(table, col=table.col + 1)
    while a < b and body[a] in b"`*":
        a += 1
    while b > a and body[b - 1] in b"`*":
        b -= 1
    if table.open_cell:
        named, weak = secret_column(body[a:b])
        if named:
            table = replace(table, columns=(*table.columns, table.col), weak=(*table.weak, weak))
        return [], table
    if table.col == 0:
        # (``narrow``: the row's first cell names a secret, ``* - password`` over ``- 9Zt2…``:
        # a row naming its own secret, its next cell counted when generated-looking.)
        table = replace(table, narrow=secret_column(body[a:b])[0])
    elif table.col == 1 and table.narrow and table.col not in table.columns:
        span = _value_span(body, a, b, True)
        return ([(*span, True)] if span is not None else []), table
    if table.col in table.columns:
        weak = table.weak[table.columns.index(table.col)]
        span = _value_span(body, a, b, weak)
        if span is not None:
            return [(*span, weak)], table
    return [], table


# An AsciiDoc cell's specifier before its ``|`` (``2+|``, ``a|``, ``^.^|``, ``3*|``) is no text.
_ADOC_BAR = lazy_compile(rb"\|")
_ADOC_SPEC = lazy_compile(rb"(?:[0-9]{1,2}[+*])?[<^>]?(?:\.[<^>])?[adehlmsv]?")
_ADOC_NEXT_SPEC = lazy_compile(rb"[ \t](?:[0-9]{1,2}[+*])?[<^>]?(?:\.[<^>])?[adehlmsv]?\Z")


def adoc_line(line: bytes, table: Table) -> tuple[list[tuple[int, int, bool]], Table | None]:
    """The secret cells of one line of an AsciiDoc table and its state after it (None at its
    closing ``|===``, or after a header naming no secret): the first line of cells is the header
    (``open_cell``), its cells' count the row's width; each ``|`` later starts the next cell
    (``col``, counted over the rows), its text up to the next ``|`` or the line's end."""
    body = line.rstrip(b"\r\n")
    if _ADOC_START.fullmatch(body):
        return [], None
    if not body.strip():
        if table.open_cell and table.width:
            # (the blank line under the header's cells closes it: no column names a secret,
            # nothing to read below)
            return [], replace(table, open_cell=False) if table.columns else None
        return [], table
    head = len(body) - len(body.lstrip())
    if b"|" not in body or _ADOC_SPEC.fullmatch(body, head, body.index(b"|")) is None:
        if table.open_cell or table.col < 0 or table.col % max(table.width, 1) not in table.columns:
            return [], table  # more text of a cell that is no secret's
        span = _value_span(body, head, len(body), True)
        return ([(*span, True)] if span is not None else []), table
    cells: list[tuple[int, int]] = []
    bars = [m.start() for m in _ADOC_BAR.finditer(body, head)]
    for k, a in enumerate(bars):
        b = bars[k + 1] if k + 1 < len(bars) else len(body)
        if k + 1 < len(bars) and (spec := _ADOC_NEXT_SPEC.search(body, a + 1, b)) is not None:
            b = spec.start()  # (the next cell's specifier, ``x 2+|y``)
        cells.append((a + 1, b))
    if table.open_cell and table.width:
        table = replace(table, open_cell=False)  # (rows right under the header's line)
    elif table.open_cell:
        cols, weaks = [], []
        for k, (a, b) in enumerate(cells):
            named, weak = secret_column(body[a:b].strip())
            if named:
                cols.append(k)
                weaks.append(weak)
        table = replace(table, width=len(cells), columns=tuple(cols), weak=tuple(weaks))
        return [], table if cols else None
    out: list[tuple[int, int, bool]] = []
    for a, b in cells:
        table = replace(table, col=table.col + 1)
        k = table.col % max(table.width, 1)
        if k in table.columns:
            weak = table.weak[table.columns.index(k)]
            span = _value_span(body, a, b, weak)
            if span is not None:
                out.append((*span, weak))
    return out, table


# A JSON token: a string (to its closing quote, or the line's end: an unclosed one is read once),
# a bracket, a colon or comma, or a bare scalar.
# (A lone backslash before the end is the string's: else each quote after it was read to the
# end again, quadratic on ``"\"\…``.)
_JSON_TOKEN = lazy_compile(
    rb'"((?:[^"\\]|\\.)*+)\\?(?:"|\Z)|\'((?:[^\'\\]|\\.)*+)\\?(?:\'|\Z)|[\[\]{}:,]'
    rb'|[^\s\[\]{}:,"\']++'
)
_JSON_COLON = lazy_compile(rb"[ \t]*:")
# (Lists are read on lines up to ``MAX_ROW``, as rows are: pretty-printed JSON, YAML, TOML, a
# REPL's repr; a minified script's lines of 64 KiB, read for them, cost that class a tenth of its
# speed.)
_LIST_WORDS = (b"pass", b"pwd", b"secret", b"token", b"credential", b"key", b"auth")
_SPACED_OPEN = lazy_compile(rb"[:=][ \t]{2,4}\[")
_AFTER_WORD = lazy_compile(rb"[A-Za-z0-9_.\- ]{0,24}[\"']?[ \t]{0,4}([:=])[ \t]{0,4}\[")
_ROW_LISTS = {b"data": "data", b"values": "values", b"rows": "rows"}


def json_line(
    line: bytes, table: Table, pos: int = 0
) -> tuple[list[tuple[int, int, bool]], Table | None]:
    """The secret cells of one line of a JSON table of columns from ``pos`` and its state after
    it (None once it ends). Modes (``markup``): ``names`` (in the names' list: strings, or the
    ``"name"`` of each object), ``await`` (the names read, one naming a secret: up to a ``"data"``,
    ``"values"`` or ``"rows"`` list, while the object holding the names or its parent is open),
    ``data`` (rows of cells), ``values`` (a list per column), ``rows`` (``{"f": [{"v": …}]}``);
    ``col`` is the cell's column."""
    body = line.rstrip(b"\r\n")
    out: list[tuple[int, int, bool]] = []
    mode, depth, col = table.markup, table.depth, table.col
    names, columns, weak = table.width, list(table.columns), list(table.weak)
    key = b""
    after_key = False
    for m in _JSON_TOKEN.finditer(body, pos):
        tok = m.group()
        first = tok[:1]
        if first in b"[{":
            if mode == "await" and after_key and first == b"[" and key in _ROW_LISTS:
                mode, depth, col = _ROW_LISTS[key], 1, -1
            else:
                depth += 1
                if (mode == "data" and depth == 2) or (mode == "rows" and depth == 3):
                    col = -1  # a row's cells start
                elif (mode == "values" and depth == 2) or (mode == "rows" and depth == 4):
                    col += 1  # a column's values, or a BigQuery cell
            key, after_key = b"", False
            continue
        if first in b"]}":
            depth -= 1
            key, after_key = b"", False
            if mode == "names" and depth == 0:
                if not columns:
                    return out, None
                mode = "await"
            elif mode == "await" and depth < -1:
                return out, None
            elif mode in ("data", "values", "rows", "list") and depth == 0:
                return out, None
            continue
        if tok == b":":
            after_key = bool(key)
            continue
        if tok == b",":
            key, after_key = b"", False
            continue
        group = 1 if first == b'"' else 2 if first == b"'" else 0
        text = m.group(group) if group else None
        if not after_key and text is not None and _JSON_COLON.match(body, m.end()):
            key = text  # a key: its value follows the colon
            continue
        value_of = key if after_key else None
        key, after_key = b"", False
        if mode == "list":
            if text is not None and depth == 1:
                span = _value_span(body, m.start(group), m.end(group), True)
                if span is not None:
                    out.append((*span, True))
            continue
        if mode == "names":
            if text is not None and (depth == 1 or (depth == 2 and value_of == b"name")):
                named, is_weak = secret_column(text)
                if named:
                    columns.append(names)
                    weak.append(is_weak)
                names += 1
            continue
        cell = -1
        if mode == "data" and depth == 2:
            col += 1
            cell = col
        elif mode == "values" and depth == 2:
            cell = col
        elif mode == "rows" and depth == 4 and value_of == b"v":
            cell = col
        if text is not None and cell in columns:
            w = weak[columns.index(cell)]
            span = _value_span(body, m.start(group), m.end(group), w)
            if span is not None:
                out.append((*span, w))
    return out, replace(
        table,
        markup=mode,
        depth=depth,
        col=col,
        width=names,
        columns=tuple(columns),
        weak=tuple(weak),
    )


_NAME_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"
_QUOTED_NAME = lazy_compile(rb"[A-Za-z0-9_.\- ]{1,64}")


def _list_name(line: bytes, at: int) -> bytes:
    """The name before the ``:``/``=`` at ``at`` (quoted, or a bare name not glued to more name
    bytes), blanks between them allowed; empty when there is none. Read backwards with
    ``rstrip``: a search for the name from every byte of a window cost a minified script's
    ``:[`` a few microseconds each."""
    head = line[max(0, at - 4) : at]
    j = at - (len(head) - len(head.rstrip(b" \t")))
    quote = line[j - 1 : j]
    if quote in (b'"', b"'"):
        k = line.rfind(quote, max(0, j - 66), j - 1)
        name = line[k + 1 : j - 1] if k >= 0 else b""
        return name if _QUOTED_NAME.fullmatch(name) else b""
    seg = line[max(0, j - 65) : j]
    name = seg[len(seg.rstrip(_NAME_BYTES)) :]
    if not name or len(name) > 64 or not (name[:1].isalpha() or name[:1] == b"_"):
        return b""
    return name


def json_open(line: bytes) -> tuple[list[tuple[int, int, bool]], Table | None] | None:
    """A JSON table of columns opened on ``line`` (its names' list), or a list under a secret's
    name, read to the line's end (None: neither is there)."""
    if b'"columns"' in line or b'"fields"' in line:
        m = _JSON_COLUMNS.search(line)
        if m is not None:
            return json_line(line, Table("json", 0, (), (), markup="names", depth=1), m.end())
    # (From each secret's word to a ``:[``/``= [`` after it, then back to the whole name: a
    # search for the name from every byte of a minified script's line halved that class's
    # speed, and one for each ``:[`` still cost it a tenth.)
    if len(line) > MAX_ROW or not (
        b": [" in line
        or b":[" in line
        or b"= [" in line
        or b"=[" in line
        # (Thirtieth pass: blanks before the bracket, ``api_keys:  [``.)
        or (b"  [" in line and _SPACED_OPEN.search(line) is not None)
    ):
        return None
    low = line.lower()
    found = []
    for word in _LIST_WORDS:
        i = low.find(word)
        while i >= 0:
            after = _AFTER_WORD.match(line, i + len(word))
            if after is not None:
                found.append(after)
            i = low.find(word, i + 1)
    for opening in sorted(found, key=lambda m: m.start()):
        name = _list_name(line, opening.start(1))
        if not name:
            continue
        # (a list's name is a plural as often as not: ``api_keys``, ``access_tokens``)
        if secret_column(name)[0] or (name[-1:] in b"sS" and secret_column(name[:-1])[0]):
            # (only generated-looking values: ``'tokens': ['Hello', ',']`` is a tokenizer's)
            table = Table("json", 1, (0,), (True,), markup="list", depth=1)
            return json_line(line, table, opening.end())
    return None


def yaml_list_open(line: bytes) -> Table | None:
    """A YAML key naming a secret (a plural too) with nothing after its colon: its block list's
    items below are the secret's (generated-looking ones)."""
    m = _YAML_LIST_KEY.fullmatch(line.rstrip(b"\n"))
    if m is None:
        return None
    name = m.group(3)
    if not (secret_column(name)[0] or (name[-1:] in b"sS" and secret_column(name[:-1])[0])):
        return None
    indent = len(m.group(1)) + (2 if line.lstrip(b" \t").startswith(b"- ") else 0)
    return Table("yamllist", 1, (0,), (True,), starts=(indent,))


def _yaml_list_here(data: bytes, end: int, line: bytes, final: bool) -> Table | None:
    """``yaml_list_open`` where the next line is a list item (``_WAIT`` until it arrives): a
    secret's name alone before a colon is read otherwise too (``kubectl describe``'s
    ``API_KEY:`` over ``----`` over its value)."""
    opened = yaml_list_open(line)
    if opened is None:
        return None
    if data.find(b"\n", end + 1) < 0 and not final:
        return _WAIT
    item = _YAML_ITEM.match(_next_line(data, end))
    return opened if item is not None and len(item.group(1)) >= opened.starts[0] else None


def yaml_list_line(line: bytes, table: Table) -> tuple[list[tuple[int, int, bool]], Table | None]:
    """An item of the list (``- <value>`` at the key's indent or deeper), else the list's end."""
    body = line.rstrip(b"\n")
    m = _YAML_ITEM.match(body)
    if m is None or len(m.group(1)) < table.starts[0]:
        return [], None
    a, b = m.end(), max(m.end(), len(body.rstrip(b" \t\r")))
    if b - a >= 2 and body[a] in b"\"'" and body[b - 1] == body[a]:
        a, b = a + 1, b - 1  # (a quoted item: its quotes stay)
    span = _value_span(body, a, b, True)
    return ([(*span, True)] if span is not None else []), table


def redis_open(line: bytes) -> Table | None:
    """The answers of an ``HMGET``/``MGET`` on ``line`` naming a secret's field (the last part
    of a key, after ``:`` or ``/``) past ``REDIS_READ_FROM``: a table of one cell a line."""
    # (From the command's word back to the prompt: the prompt's expression searched from every
    # byte of a long line, a minified script's, cost that class a third of its speed.)
    if len(line) > MAX_ROW or (b"mget" not in line and b"MGET" not in line and b"Mget" not in line):
        return None  # (``get`` is in every line of a script: ``getElementById``)
    for hint in _REDIS_HINT.finditer(line):
        m = _REDIS_COMMAND.search(line, max(0, hint.start() - 230), hint.end() + 210)
        if m is not None:
            break
    else:
        return None
    fields = line[m.end() :].split()
    secret = tuple(
        k
        for k, f in enumerate(fields)
        if k >= REDIS_READ_FROM
        and secret_column(f.strip(b"\"'").replace(b"/", b":").rsplit(b":", 1)[-1])[0]
    )
    if not secret:
        return None
    return Table("redis", len(fields), secret, (False,) * len(secret), col=-1)


def redis_line(line: bytes, table: Table) -> tuple[list[tuple[int, int, bool]], Table | None]:
    """The n-th answer line under the command: its value when field n names a secret; the table
    ends after the last field's answer or at the next prompt."""
    body = line.rstrip(b"\r\n")
    col = table.col + 1
    if col >= table.width or _REDIS_PROMPT.match(body):
        return [], None
    out: list[tuple[int, int, bool]] = []
    if col in table.columns:
        a = _REDIS_ANSWER.match(body).end()  # type: ignore[union-attr]
        value = body[a:].strip()
        if value != b"(nil)" and b" " not in value.strip(b'"'):
            span = _value_span(body, a, len(body), False)
            if span is not None:
                out.append((*span, False))
    return out, replace(table, col=col)


def html_header(row: bytes) -> Table | None:
    """The table an HTML header row (from its ``<tr`` to its end) starts: every cell a
    ``<th>``, one naming a secret."""
    names: list[bytes] = []
    heads = 0
    pos = 0
    for m in _TAG.finditer(row):
        if names:
            names[-1] += row[pos : m.start()]
        name = m.group(2).lower()
        if name in (b"th", b"td") and not m.group(1):
            names.append(b"")
            heads += name == b"th"
        pos = m.end()
    if names:
        names[-1] += row[pos:]
    cells = [b" ".join(n.split()) for n in names]
    if len(cells) < 2 or heads != len(cells):
        return None
    if not all(_NAME_CELL.fullmatch(c) for c in cells if c):
        return None
    return _table("html", cells)


def html_row(line: bytes, table: Table) -> tuple[list[tuple[int, int, bool]], Table | None]:
    """The secret cells of one line inside an HTML table, and the table's state after it
    (None after ``</table>``): tags are walked in order, the text of a ``<td>`` under a secret
    column is a value, however many lines its row takes."""
    out: list[tuple[int, int, bool]] = []
    col, open_cell, td = table.col, table.open_cell, table.td

    def text(a: int, b: int) -> None:
        if open_cell and td and col in table.columns:
            weak = table.weak[table.columns.index(col)]
            span = _value_span(line, a, b, weak)
            if span is not None:
                out.append((*span, weak))

    pos = 0
    for m in _TAG.finditer(line):
        text(pos, m.start())
        pos = m.end()
        close, name = bool(m.group(1)), m.group(2).lower()
        if name == b"table" and close:
            return out, None
        if name == b"tr":
            col, open_cell = (-1 if not close else col), False
        elif name in (b"td", b"th"):
            if close:
                open_cell = False
            else:
                col, open_cell, td = col + 1, True, name == b"td"
    text(pos, len(line.rstrip(b"\r\n")))
    return out, replace(table, col=col, open_cell=open_cell, td=td)


def _value_span(line: bytes, a: int, b: int, weak: bool) -> tuple[int, int] | None:
    """Where the value of the cell ``line[a:b]`` is, blanks around it left out, when it is a
    secret."""
    cell = line[a:b]
    value = cell.strip()
    if not value or not is_secret_value(value, weak):
        return None
    start = a + len(cell) - len(cell.lstrip())
    return start, start + len(value)


# A signed session cookie: express's ``s%3A<id>.<signature>`` (``s:`` URL-encoded), a value
# and its signature after a dot (fifteenth pass: the whole is no key material by its shape).
_SIGNED_COOKIE = lazy_compile(rb"(?:s%3A|s:)?([A-Za-z0-9_\-]{16,256})\.([A-Za-z0-9_\-%]{16,256})")


# A polars frame's type row under its header (``│ str ┆ i64 ┆ datetime[μs] │``; twelfth pass).
_POLARS_DTYPE = lazy_compile(
    rb"(?:str|[iu](?:8|16|32|64|128)|f(?:32|64)|bool|date|time|null|cat|binary|object|enum|"
    rb"(?:decimal|datetime|duration|list|array|struct)\[[^\]\n]{0,40}\])"
)


_CUT_HEX = lazy_compile(rb"[0-9a-f]{12,}|[0-9A-F]{12,}")
_CUT_SHORT = lazy_compile(rb"[A-Za-z0-9]{8,11}")
_CUT_HEX_SHORT = lazy_compile(rb"[0-9a-f]{8,11}|[0-9A-F]{8,11}")


def is_secret_value(value: bytes, weak: bool) -> bool:
    v = value.strip()
    if len(v) >= 2 and v[0] in b"'\"`" and v[-1] == v[0]:
        # A quoted cell (sqlite3's ``.mode quote``, a ``'…'`` a quoted CSV reader left): what the
        # quotes hold is judged (fourteenth pass: ``'<redacted>'`` is a placeholder, a weak
        # column's ``'9Zt2…'`` generated; twentieth: a Markdown code span, ```<set>```.)
        v = v[1:-1].strip()
    if v.endswith((b"\xe2\x80\xa6", b"...")) and 11 <= len(v) < 15:
        # (Twenty-ninth pass: 8-11 characters shown, a narrow column's ``b6676cfa…``: hex with
        # digits and letters, or letters of both cases and digits, nothing else.)
        shown = v[:-3]
        if (
            _CUT_SHORT.fullmatch(shown) is not None
            and not shown.isdigit()
            and not shown.isalpha()
            and (
                _CUT_HEX_SHORT.fullmatch(shown) is not None
                or not (shown.islower() or shown.isupper())
            )
        ):
            return True
    if v.endswith((b"\xe2\x80\xa6", b"...")) and len(v) >= 15:
        # (Twenty-seventh pass: a cell its tool cut to the column's width and ended with an
        # ellipsis, Julia's ``DataFrames`` and pandas' ``oK1a4omg-liMC8raLzlO24dv…``: what is
        # shown of the value is judged; twenty-eighth pass: from 12 characters shown, polars'
        # ``b6676cfaff10…``.)
        v = v[:-3]
        if _CUT_HEX.fullmatch(v) and not v.isdigit() and not v.isalpha():
            # (A hex key's first digits under the secret's name: an id's column names no
            # secret, and a key is hex as often as not.)
            return True
        if word_model.kind(v) is word_model.Kind.RANDOM:
            # (Twenty-eighth pass: what is shown of a random key is too short for
            # ``key_material``, ``qhFWCEPyYngF…``: random letters are no word, no name.)
            return True
    if len(v) < 3 or _PLACEHOLDER.match(v) or word_model.is_quantity(v):
        return False
    if len(v) < 48 and _POLARS_DTYPE.fullmatch(v):
        return False
    if not weak:
        return True
    if names.digest_value(v):
        # (Thirty-first pass: a digest by its own shape where only generated-looking values
        # count, ``app-secrets  sha256:…`` in ``kubectl … -o custom-columns`` under
        # ``IMAGE_DIGEST``: a Secret object's name is no header.)
        return False
    if word_model.key_material(v):
        return True
    m = _SIGNED_COOKIE.fullmatch(v)
    return m is not None and any(word_model.key_material(p) for p in m.groups())


def scan(
    data: bytes, header_lines: list[int], scan: TableScan, *, final: bool = True
) -> list[tuple[int, int, bytes]]:
    """Secret cells (start, end, value) of the tables in ``data`` from ``scan.start``.

    ``header_lines``: offsets of lines that may be headers (where the header expression hit).
    ``final``: nothing follows ``data`` (its last line is complete even without a newline);
    otherwise an unfinished line is left for later, and so is a header candidate whose next line
    (a Markdown separator, maybe) has not arrived (``scan.pending``). ``scan.checkpoints`` gets
    the table state after each line read.
    """
    out: list[tuple[int, int, bytes]] = []
    table = scan.table
    # (An SQL dump's tables, carried by every state: ``_carry``.)
    schemas: Schemas = table.schemas if table is not None else ()
    if table is not None and table.kind == "schema":
        table = None
    pos = scan.start
    candidates = sorted({h for h in header_lines if h >= pos})
    candidate_set = set(candidates)
    ci = 0
    size = len(data)
    while pos < size:
        if table is None:
            while ci < len(candidates) and candidates[ci] < pos:
                ci += 1
            if ci == len(candidates):
                break
            pos = candidates[ci]
            ci += 1
        end = data.find(b"\n", pos)
        if end < 0:
            if not final:
                scan.pending = pos
                break  # an unfinished line: read when it ends
            end = size
        line = data[pos:end]
        if table is not None and table.kind in _DELIMITERS and line.count(b'"') % 2:
            # A quoted cell over several lines (a note with line breaks in a CSV export): the
            # row goes on to the line that closes the quote.
            closed = _quoted_row_end(data, end, pos + MAX_ROW, final)
            if closed is None and not final and size - pos < MAX_ROW:
                scan.pending = pos
                break
            if closed is not None:
                end = closed
                line = data[pos:end]
        if table is not None and table.wrap_cell:
            # The rest of the row above's last secret cell, cut at the terminal's width: no row
            # of its own, no end of the table.
            rest = _cell_rest(table.wrap_cell, line) if b"\x1b" not in line else b""
            table = replace(table, wrap_cell=b"")
            if rest or _CELL_REST.fullmatch(line) is not None:
                # (A lone token there not read as the rest, ``NNFE``, ``Done``, is kept; nor is
                # it a row or the table's end: the rows below are read on.)
                if rest:
                    out.append((pos, pos + len(rest), rest))
                pos = end + 1
                scan.checkpoints.append((pos, _carry(table, schemas) if schemas else table))
                continue
        # Colour codes (a bold header, a coloured value): the line is read without them and
        # what it holds is mapped back onto the bytes with them.
        at = _LineAt(pos)
        raw_line = None
        if has_codes(line):
            raw_line = line
            if table is not None and b"\x1b[31m" in line and b"\x1b[32m" in line:
                line = _colour_word_diff(line)
            at = _LineAt(pos, line)
            line = strip(line)
        line = _boxes(line)
        if line.endswith((b"  \\", b"  \\\r")):
            # pandas' wide frame: a block of columns continued to the right below (``  \``
            # after its header and rows): the mark is no cell (eleventh pass).
            cut = line.rindex(b"\\")
            line = line[:cut] + b" " + line[cut + 1 :]
        asleep: Table | None = None
        if table is not None and table.dormant:
            if pos not in candidate_set:
                cells, table = _dormant_row(line, table)
                _add(out, line, at, cells)
                pos = end + 1
                scan.checkpoints.append((pos, _carry(table, schemas) if schemas else table))
                continue
            asleep, table = table, None  # a header candidate: read as one first
        html = _HTML_ROW.search(line) if table is None and b"<" in line else None
        if html is not None:
            # (In the data, where the row starts in the line's text: colour codes before it,
            # ``\x1b[1m<table><tr>…``, shift it.)
            start = at.span(html.start(), html.start() + 1)[0]
            stop = _HTML_ROW_END.search(data, start + 3, min(size, start + MAX_ROW))
            if stop is None and not final and size - start < MAX_ROW:
                scan.pending = pos  # the header row's cells have not all arrived
                break
            head_row = data[start : stop.start() if stop else size]
            table = html_header(strip(head_row) if has_codes(head_row) else head_row)
            if table is not None:
                cells, table = html_row(line, table)
                _add(out, line, at, cells)
                pos = end + 1
                scan.checkpoints.append((pos, _carry(table, schemas) if schemas else table))
                continue
        records = _record_cells(line) if table is None and b"\x1e" in line else None
        if records:
            _add(out, line, at, records)
            pos = end + 1
            scan.checkpoints.append((pos, _carry(table, schemas) if schemas else table))
            continue
        if table is not None and table.kind == "create":
            table, created = create_line(line, table)
            if created is not None:
                schemas = remember(schemas, created)
            pos = end + 1
            scan.checkpoints.append((pos, _carry(table, schemas) if schemas else table))
            continue
        inserted = insert_cells(line, schemas) if table is None and b"(" in line else None
        if table is None and not inserted:
            inserted = _record_line(line)
        if inserted:
            cells = [
                (*span, weak) for a, b, weak in inserted if (span := _value_span(line, a, b, weak))
            ]
            _add(out, line, at, cells)
            pos = end + 1
            scan.checkpoints.append((pos, _carry(table, schemas) if schemas else table))
            continue
        if table is not None and table.kind == "yamllist":
            cells, table = yaml_list_line(line, table)
            _add(out, line, at, cells)
            if table is None and pos in candidate_set:
                continue  # (the line that ended it may open something else: read it again)
        elif table is not None and table.kind in ("block", "insert", "copy"):
            reader = {"block": block_line, "insert": insert_line, "copy": copy_line}[table.kind]
            cells, table = reader(line, table)
            cells = [
                (*span, weak) for a, b, weak in cells if (span := _value_span(line, a, b, weak))
            ]
            _add(out, line, at, cells)
            if table is None and pos in candidate_set:
                continue  # the line that ended it may open something else: read it again
        elif table is None and (opened := _block_or_insert(line, schemas)) is not None:
            table = opened
        elif (
            table is None
            and line[-8:].rstrip()[-1:] == b":"  # (the line's end only: lines may be long)
            and (opened := _yaml_list_here(data, end, line, final)) is not None
        ):
            if opened is _WAIT:
                scan.pending = pos  # (its next line decides)
                break
            table = opened
        elif table is None and b"(" in line and (statement := create_open(line)) != (None, None):
            table, schema = statement
            if schema is not None:
                schemas = remember(schemas, schema)
        elif table is not None and table.kind == "html":
            cells, table = html_row(line, table)
            _add(out, line, at, cells)
        elif table is not None and table.kind == "wikilines":
            cells, table = wiki_line(line, table)
            _add(out, line, at, cells)
        elif table is None and _WIKI_START.match(line):
            table = Table("wikilines", 0, (), (), open_cell=True)
        elif table is not None and table.kind == "redis":
            cells, table = redis_line(line, table)
            _add(out, line, at, cells)
            if table is None and pos in candidate_set:
                continue  # (the next prompt may open something else: read it again)
        elif table is None and (opened := redis_open(line)) is not None:
            table = opened
        elif table is not None and table.kind == "json":
            cells, table = json_line(line, table)
            _add(out, line, at, cells)
        elif table is None and b"[" in line and (opened_json := json_open(line)) is not None:
            cells, table = opened_json
            _add(out, line, at, cells)
        elif table is not None and table.kind == "adoc":
            cells, table = adoc_line(line, table)
            _add(out, line, at, cells)
        elif table is None and b"|===" in line[:64] and _ADOC_START.fullmatch(line.rstrip(b"\n")):
            table = Table("adoc", 0, (), (), open_cell=True)
        elif table is not None and table.kind == "listtable":
            cells, table = list_table_line(line, table)
            _add(out, line, at, cells)
            if table is None and pos in candidate_set:
                continue  # the line that ended it may open something else: read it again
        elif table is None and (opened := list_table_open(line)) is not None:
            table = opened
        elif table is None:
            nxt_end = data.find(b"\n", end + 1)
            if (
                nxt_end < 0
                and not final
                and (
                    b"|" in line
                    or _LINE_PREFIX.match(line)
                    or _WORD_PREFIX.match(line)
                    or _NUMBER_PREFIX.match(line)
                    or line[:2] in (b"- ", b"* ")
                    # (a diff's ``+``/``-`` on every line of a table: eighteenth pass)
                    or line[:1] in (b"+", b"-")
                    # (dotted names too: a rule of dash runs may follow, ``_ruled_header``)
                    or spaced_header(line.rstrip(b"\r\n").replace(b".", b"_")) is not None
                    # (a header of two rows in capitals is known by its second: fourteenth pass)
                    or _UPPER_ALIGNED.fullmatch(line.rstrip(b"\n")) is not None
                    # (a right-aligned name may be a group over the names of the line after it:
                    # fifteenth pass)
                    or _RIGHT_NAME.fullmatch(line.rstrip(b"\n")) is not None
                    # (a colon header of two cells is known by its rows: eleventh pass)
                    or (b": " in line and _COLON_LINE.fullmatch(line) is not None)
                    # (a few words over the next line's columns may be its first header row:
                    # twentieth pass, ``_group_over``)
                    or _GROUP_ROW.fullmatch(line.rstrip(b"\r\n")) is not None
                )
            ):
                # A Markdown header is known by the line after it, and so are a line prefix and
                # a header of names one blank apart.
                scan.pending = pos
                break
            following = _next_line(data, end)
            # (A coloured line may be a colour word diff of a header: read that way first.)
            table = _open_coloured_diff(raw_line, following) if raw_line is not None else None
            if table is None and raw_line is None and _may_continue_cut_name(data, pos, line):
                # (Twenty-first pass: the rest of a header line cut at the terminal's width in
                # a name, ``API_TO`` over ``KEN``.)
                table = _cut_header(data, pos, end, final)
                if table is _WAIT:
                    scan.pending = pos  # (the first row and its rest decide)
                    break
            if (
                table is None
                and pos > 0
                and raw_line is None
                and not line.rstrip(b"\r").translate(None, _WRAPPED_BYTES)
                and (line[:1] == b" " or b"  " not in line.strip())
            ):
                # (Twenty-first pass: the second row of an aligned header whose cells wrap,
                # ``Access  NAME  AGE`` over ``Token``.)
                table = _wrapped_under(data, pos, line, following)
            if table is None and not _expanded_record(data, pos, line):
                table = _open_prefixed_memo(line, following)
                if table is not None:
                    table = replace(table, head=line.strip(b" \t\r\n\f"))
                elif pos > 0 and b"|" in line:
                    # (Twenty-first pass: the second row of a "|" header of two rows, tabulate's
                    # and rich's header cell of two lines, ``| NAME | API |`` over ``|  | Token |``.)
                    table = _bar_group_under(data, pos, line, following)
                if table is None and pos > 0 and raw_line is None and b"|" not in line:
                    # (The second row of a two-row header whose first row is no candidate, a
                    # name wrapped in its column: ``mot`` over ``de passe``.)
                    table = _group_under(data, pos, line)
            if table is None:
                _add(out, line, at, _own_name_row_memo(line))
        elif (
            table.kind == "single"
            and pos in candidate_set
            and b"[" in line
            and (opened_json := json_open(line)) is not None
        ):
            # Thirtieth pass: a list under a secret's name below a line read as a header of one
            # column (TOML's ``[auth]`` over ``secrets = [``): the list it is.
            cells, table = opened_json
            _add(out, line, at, cells)
        elif (
            table.kind in ("spaced", "single")
            and pos in candidate_set
            and (opened := _stronger_header(data, end, line, final)) is not None
        ):
            # A header line under a table of names one blank apart (``fix token refresh``, a
            # commit message's line, over a CSV header): read as the header it is, not as a row
            # of that weaker reading (ninth pass).
            if opened is _WAIT:
                scan.pending = pos
                break
            table = opened
        elif (
            table.fresh
            and not table.wrap
            and table.kind == "aligned"
            and raw_line is None
            and _may_continue_cut_name(data, pos, line)
            and (recut := _cut_header(data, pos, end, final, own_header=True)) is not None
        ):
            # (Twenty-second pass: the header above cut right after a word naming a secret
            # itself, ``AUTH_`` over ``TOKEN``, was read as a header of its own: the two lines
            # are one header.)
            if recut is _WAIT:
                scan.pending = pos
                break
            table = recut
        elif (
            table.wrap
            and raw_line is None
            and (wrapped := _wrapped_row(data, pos, end, line, table, final)) is not None
        ):
            # Twenty-first pass: a row hard-wrapped at the table's width, read with its rest.
            spans, after = wrapped
            if after < 0:
                scan.pending = pos  # (its rest has not arrived)
                break
            out.extend(spans)
            table = replace(table, fresh=False)
            pos = after
            scan.checkpoints.append((pos, _carry(table, schemas) if schemas else table))
            continue
        elif (
            (table.head or table.head2)
            and (stripped := line.strip(b" \t\r\n\f"))
            and (stripped in (table.head, table.head2))
        ):
            pass  # the header again, on the next page; a header's second row
        else:
            fresh = table.fresh
            if fresh:
                table = replace(table, fresh=False)
            row_p = _row_prefix(line, table)
            p = row_p or 0
            marked = line[:p] + _markup(line[p:], table.markup)
            row = None
            views: list[tuple[bytes, list[tuple[int, int, bool]]]] = []
            if row_p is not None and (table.markup != "array" or _markup_of(line[p:]) == "array"):
                # (Under a header array, only arrays are rows: ``f(["a", "b"],`` then code.)
                row = row_cells(marked[p:], table)
                if row is None and not p and (diffed_row := _diff_row(marked, table)) is not None:
                    row, marked = diffed_row
                if row is None and (b"[-" in marked or b"{+" in marked):
                    views = _word_diff_rows(marked, p, table)
            if row is None and not views and raw_line is not None:
                # A colour word diff in colours of its own (``color.diff.old``: bold, reverse,
                # 256-colour and truecolour codes): its two colours read as git's markers.
                diffed = _any_colour_word_diff(raw_line)
                if diffed is not raw_line:
                    plain = _boxes(strip(diffed))
                    marked = plain[:p] + _markup(plain[p:], table.markup)
                    views = _word_diff_rows(marked, p, table)
                    at = _LineAt(pos, diffed)
            if views:
                for view, cells_of in views:
                    cells = [
                        (*span, weak)
                        for a, b, weak in cells_of
                        if (span := _value_span(view, a + p, b + p, weak))
                    ]
                    _add(out, view, at, cells)
            elif (
                fresh
                and table.kind == "aligned"
                and not final
                and data.find(b"\n", end + 1) < 0
                and _header_continued(line[p:], table, None)
            ):
                scan.pending = pos  # (its next line decides: a rule or a row)
                break
            elif (
                fresh
                and table.kind == "aligned"
                and _header_continued(line[p:], table, _next_line(data, end)[p:])
            ):
                # Twenty-first pass: a header's cells wrapped onto a second row (tabulate's
                # ``simple``/``rst`` with ``Secret`` over ``Key``), a rule under it: no row.
                table = replace(table, fresh=True)
            elif row is None and fresh and table.gaps < MAX_GAPS and _gap_line(line, row_p, table):
                # Blank or comment lines between the header and its rows.
                gaps = table.gaps + 1
                table = replace(table, fresh=True, gaps=gaps)
                if gaps > 1:
                    table = replace(table, weak=(True,) * len(table.weak), narrow=True)
            elif row == [] and fresh and _RULE.fullmatch(line.rstrip(b"\r\n")):
                table = replace(table, fresh=True)  # a rule under the header (|---|, =====)
            elif row and fresh and _types_row(line[p:]):
                # Twenty-first pass: the row of column types under the header (DuckDB's box,
                # ``varchar``): neither a row nor the table's end.
                table = replace(table, fresh=True)
            elif row is None:
                ended = table
                table = _open_prefixed(line, _next_line(data, end))
                if table is not None:
                    table = replace(table, head=line.strip(b" \t\r\n\f"))
                if table is None and ended.generated and ended.kind in _DORMANT_KINDS:
                    table = replace(ended, dormant=MAX_DORMANT, fresh=False, gaps=0)
                if (
                    table is None
                    and b":" in line
                    and (b"|" in line or b">" in line)
                    and pos in candidate_set
                ):
                    # (Twenty-third pass: the line that ended a one-column table may open a
                    # block scalar, ``auth:`` over ``  password: |`` over its value.)
                    table = block_scalar(line)
                if table is None or table.dormant:
                    _add(out, line, at, _own_name_row(line))
            else:
                cells = [
                    (*span, weak)
                    for a, b, weak in row
                    if (span := _value_span(marked, a + p, b + p, weak))
                ]
                _add(out, marked, at, cells)
                if (
                    cells
                    and table.width >= 2
                    and raw_line is None
                    and marked == line
                    and len(line.rstrip(b"\r")) >= _WRAP_WIDTH
                    and not line[cells[-1][1] :].strip(b" \t\r")
                ):
                    # Nineteenth pass: a secret cell ending a line as wide as a terminal may go
                    # on at the next line's start (a listing wider than the terminal, cut at
                    # its width): the table state carries the cell to that line (a stream that
                    # released this line reads the next with it).
                    table = replace(table, wrap_cell=line[cells[-1][0] : cells[-1][1]])
                if not cells and table.kind == "aligned":
                    # Eleventh pass: a row naming its own secret whose value is not under the
                    # header's columns (``aws configure list``'s ``Name  Value  Type``, values
                    # left of their right-aligned header): read as a ``NAME  VALUE`` line.
                    _add(out, line, at, _own_name_row(line))
                if cells and not table.generated:
                    if any(word_model.key_material(marked[a:b]) for a, b, _ in cells):
                        table = replace(table, generated=True)
        if asleep is not None and table is None:
            cells, table = _dormant_row(line, asleep)
            _add(out, line, at, cells)
        pos = end + 1
        scan.checkpoints.append((pos, _carry(table, schemas) if schemas else table))
    return out


# Nineteenth pass: the rest of a secret cell hard-wrapped at the terminal's width (the cell
# last on its row). The row's line is at least this wide (the narrowest terminal in use); the
# rest is alone on the next line, of a key's alphabet, not reading as words, under a cell that
# reads as a key (or, cut with under 8 characters above, 8+ that read as one with it); hex under
# a hex cell when 32+ digits in all and not a whole commit id or digest. A rest with more cells
# after it (a middle column cut) is not read: a row opening with a random cell looks the same.
_WRAP_WIDTH = 40
_CELL_REST = lazy_compile(rb"([A-Za-z0-9+/_\-][A-Za-z0-9+/=_\-]{0,255}|==?)[ \t]*\r?")
_HEX_RUN = lazy_compile(rb"[0-9a-f]+|[0-9A-F]+")
_SLUG = lazy_compile(rb"[a-z][a-z0-9]*(?:-[a-z0-9]+)+")


def _cell_rest(cell: bytes, line: bytes) -> bytes:
    """The rest of ``cell`` alone on ``line``, or nothing."""
    m = _CELL_REST.fullmatch(line)
    if m is None:
        return b""
    rest = m.group(1)
    whole = cell + rest
    if _HEX_RUN.fullmatch(rest) is not None and _HEX_RUN.fullmatch(cell) is not None:
        return rest if len(whole) >= 32 and len(rest) not in (40, 64) else b""
    if _HEX_RUN.fullmatch(rest) is not None and len(rest) >= 20:
        return b""  # (a commit id or digest opening the line under a key cell)
    if (word_model.reads_as_words(rest) and not any(c in b"0123456789" for c in rest)) or (
        _SLUG.fullmatch(rest) is not None and word_model.kind(rest) is word_model.Kind.WORDS
    ):
        return b""  # (``Done``, ``README``, ``Retrying``, ``eu-west-1`` under a table are prose)
    if len(cell) < 8:
        return rest if len(rest) >= 8 and word_model.is_random(whole) else b""
    return rest  # (the cell above is the column's secret, read so by the table)


_WAIT = Table("wait", 0, (), ())


def _diff_row(line: bytes, table: Table) -> tuple[list[tuple[int, int, bool]], bytes] | None:
    """A unified diff's added or removed row of ``table`` whose header is a context line
    (`` | service | token |`` over ``+| api | 9Zt2… |``; eighteenth pass): its cells read with
    the ``+``/``-`` as the context line's blank, and that view (the same length). Only a row
    with cells, and never a box's rule (``+----+``, ``-----``)."""
    if (
        line[:1] not in (b"+", b"-")
        or line[1:2] not in (b"|", b" ", b"\t")
        and not (line[1:2].isalnum() and table.kind == "aligned")
    ):
        return None
    view = b" " + line[1:]
    if _RULE.fullmatch(view.rstrip(b"\r\n")):
        return None
    row = row_cells(view, table)
    return (row, view) if row else None


# psql's expanded display (``\x``): records of ``name | value`` lines, their "|" in one
# column, under a ``-[ RECORD n ]-+--`` line. A line of a record is no header: ``auth_method
# | token`` over ``region | eu-west-1`` names no column (twelfth pass; a secret's own line,
# ``password | 9Zt2…``, is the key-name rules').
_RECORD_HEAD = lazy_compile(rb"-\[ RECORD [0-9]{1,9} \]-*\+")
# (Thirteenth pass: how far up the head may be is counted in bytes, not lines: a record of a
# wide table runs past 64 lines, ``\x`` of ``SELECT *``, and its lines below the 64th opened
# tables again. A stream keeps more than this many released bytes as context, so a stream and
# one pass see the same lines.)
_RECORD_REACH = 6144


def _expanded_record(data: bytes, pos: int, line: bytes) -> bool:
    """``line`` (at ``pos`` in ``data``) is a line of a psql expanded record."""
    bar = line.find(b" | ")
    if bar < 1 or line[:1] in (b" ", b"\t", b"|"):
        return False
    col = bar + 1
    end = pos
    while pos - end <= _RECORD_REACH:
        if end <= 0:
            return False
        start = data.rfind(b"\n", 0, end - 1) + 1
        above = data[start : end - 1].rstrip(b"\r")
        if _RECORD_HEAD.match(above):
            return True
        if above[col : col + 1] != b"|" or above[:1] in (b" ", b"|"):
            return False
        end = start
    return False


# Tenth pass: a Markdown row of two cells that names its own secret, with no header over it
# (``| **password** | 9Zt2… |``, ``| `api-key` | … |``, under a line prefix too): its value cell,
# generated-looking values only (a document's ``| token | string |`` is a type, not a token).
_OWN_ROW = lazy_compile(
    # (Twentieth pass: or a record of ``aws … --output table``, nested in its outline's bars:
    # ``||  SecretAccessKey|  9Zt2…||``.)
    rb"[^|\n]{0,40}\|\|?[ \t]*([^|\n]{1,64}?)[ \t]*\|[ \t]*([^|\n]{1,4096}?)[ \t]*\|\|?[ \t]*\r?"
)


# And a line of a ``NAME  VALUE`` listing (``env | column -t``, ``aws configure list``, a
# settings dump) whose name names a secret, its value two blanks or a tab after it, maybe under a
# stream's or a log's prefix: generated-looking values only.
_OWN_ALIGNED = lazy_compile(
    rb"(?:[A-Za-z][A-Za-z0-9_.\-]{0,19}: |\[[^\]\n]{1,80}\] )?[ \t]{0,16}"
    # (Twentieth pass: a name in another script too, ``пароль  9Zt2…``.)
    rb"([A-Za-z\xc2-\xf4][A-Za-z0-9_.\-\x80-\xbf\xc2-\xf4]{1,60})(?: {2,}|\t+)([^\s|]{16,4096})"
    rb"(?:[ \t][^\n]{0,400})?\r?"
)


# And a header-less row of two delimited cells, a name naming a secret and its value (``jq -r
# 'to_entries[] | [.key, .value] | @csv'``: ``"API_KEY","9Zt2…"``; ``;`` and ``|`` too; twelfth
# pass): generated-looking values only. (No blanks around the delimiter: ``password | 9Zt2…``
# is the key-name rules' table row.)
_OWN_DELIMITED = lazy_compile(
    rb"[\"']?([A-Za-z][A-Za-z0-9_.\-]{1,60})[\"']?[,;|][\"']?"
    rb"([^\s\"',;|]{16,4096})[\"']?[ \t]*\r?"
)


def _own_name_row(line: bytes) -> list[tuple[int, int, bool]]:
    """The value cell of a two-cell Markdown row, or of a ``NAME  VALUE`` listing's line, whose
    name cell names a secret."""
    m = _OWN_ROW.fullmatch(line) if b"|" in line else None
    if m is None and (b"  " in line or b"\t" in line):
        m = _OWN_ALIGNED.fullmatch(line)
    if m is None and (b"," in line or b";" in line or b"|" in line):
        m = _OWN_DELIMITED.fullmatch(line)
    if m is None or not secret_column(m.group(1))[0]:
        return []
    if names.openpgp_fingerprint(m.group(1), m.group(2).strip(b" \t`*_")):
        return []  # (twenty-eighth pass: ``GPG_KEY  A035C8C1…``, as ``_pair_secret``)
    a, b = m.span(2)
    inner = line[a:b].strip(b"`*_")
    a += line[a:b].index(inner) if inner else 0
    span = _value_span(line, a, a + len(inner), True)
    return [(*span, True)] if span else []


def _stronger_header(data: bytes, end: int, line: bytes, final: bool) -> Table | None:
    """The table a header candidate line starts when it is no weak (narrow) reading; ``_WAIT``
    when its next line, which a header is known by, has not arrived."""
    if data.find(b"\n", end + 1) < 0 and not final:
        return _WAIT
    opened = _open_prefixed(line, _next_line(data, end))
    return opened if opened is not None and not opened.narrow else None


def _dormant_row(line: bytes, table: Table) -> tuple[list[tuple[int, int, bool]], Table | None]:
    """A line under a table that ended (``Table.dormant``): its generated-looking secret cells
    when it is a row of the table's shape (the table is open again, only such values counting
    in it from then on), else none and one line less to wait."""
    row_p = _row_prefix(line, table) if _may_be_row(line, table) else None
    if row_p is not None:
        marked = line[:row_p] + _markup(line[row_p:], table.markup)
        row = row_cells(marked[row_p:], table)
        body = marked[row_p:].rstrip(b"\r\n")
        if row is not None and _HEADER_SHAPE.fullmatch(body) and not _DIGIT.search(body):
            return [], None  # a row of names only: another table's header (``name,note``)
        cells = [
            (*span, True)
            for a, b, _ in row or ()
            if (span := _value_span(marked, a + row_p, b + row_p, True))
        ]
        if cells:
            weak = (True,) * len(table.weak)
            return cells, replace(table, dormant=0, weak=weak, narrow=True)
    if table.dormant <= 1:
        return [], None
    # (A copy with one field changed: ``replace`` runs the whole constructor, which on every
    # line of a 200-line wait cost prose a tenth of its speed.)
    waiting = copy.copy(table)
    object.__setattr__(waiting, "dormant", table.dormant - 1)  # (a fresh copy: frozen to all else)
    return [], waiting


def _may_be_row(line: bytes, table: Table) -> bool:
    """The cheap test before reading a line as a row of a table that ended: it holds the
    table's delimiter (a gap of two blanks or a tab for an aligned one)."""
    if table.kind in _DELIMITERS:
        return bytes([_DELIMITERS[table.kind]]) in line or table.markup != ""
    if table.kind == "markdown":
        return b"|" in line
    return b"  " in line or b"\t" in line


def _gap_line(line: bytes, row_p: int | None, table: Table) -> bool:
    """A gap line under the header (blank, a comment), under the table's line prefix too
    (``out: `` alone, ``[INFO] -- 2 rows``; a prefix's trailing blank may be gone)."""
    if _GAP_LINE.fullmatch(line):
        return True
    if not table.prefix:
        return False
    if row_p:
        return _GAP_LINE.fullmatch(line[row_p:]) is not None
    bare = line.rstrip(b"\r\n").rstrip()
    return bool(bare) and table.prefix_text.rstrip() == bare


# git's word diff (``git diff --word-diff``): ``[-old-]`` and ``{+new+}`` inside a line, a whole row
# replaced as ``[-prod,9Zt2…,eu-]{+prod,Q7ab…,eu+}``.
_WORD_DIFF = lazy_compile(rb"\[-(?:(?!-\]).){0,4096}-\]|\{\+(?:(?!\+\}).){0,4096}\+\}")


# ``git diff --word-diff=color``: old words red, new words green, each closed by a reset.
_COLOUR_WORD_DIFF = lazy_compile(rb"\x1b\[3([12])m((?:(?!\x1b\[m)[^\n]){0,4096})\x1b\[m")


# A run of text in one SGR code (a colour, maybe bold or reverse), closed by a reset.
_SGR_RUN = lazy_compile(rb"\x1b\[([0-9;]{1,32})m([^\x1b\n]{1,4096})\x1b\[0?m")


def _any_colour_word_diff(line: bytes) -> bytes:
    """A line whose runs are in exactly two codes, one run of each side by side somewhere, read
    as a colour word diff: the first code's runs as ``[-…-]``, the other's as ``{+…+}``, byte
    for byte (``line`` itself when it is not one). Which is old and which new does not matter
    for a row (both are read); a header is read as the second code's."""
    runs = list(_SGR_RUN.finditer(line))
    codes = list(dict.fromkeys(m.group(1) for m in runs))
    if len(codes) != 2 or not any(
        a.end() == b.start() and a.group(1) != b.group(1) and a.group(2)[-1:] not in b" \t"
        for a, b in zip(runs, runs[1:], strict=False)
    ):
        # (git prints a change's old and new words side by side: cells differ. Seventeenth
        # pass: the blanks between words are context, never inside a run; a run ending in
        # blanks is an aligned column's cell coloured with its padding, ``ESC[2mSERVICE   ``.)
        return line
    out = bytearray(line)
    for m in runs:
        start, end = (b"[-", b"-]") if m.group(1) == codes[0] else (b"{+", b"+}")
        out[m.start() : m.start(2)] = start + b" " * (m.start(2) - m.start() - 2)
        out[m.end(2) : m.end()] = end + b" " * (m.end() - m.end(2) - 2)
    return bytes(out)


def _open_coloured_diff(raw_line: bytes, following: bytes) -> Table | None:
    """The table a colour word diff of a header line starts (``ESC[31mname,token`` … ``ESC[32m
    name,secret``: without codes the two sides run together), read after the change."""
    diffed = _any_colour_word_diff(raw_line)
    if diffed is raw_line:
        return None
    return _open_prefixed(_new_side(_boxes(strip(diffed))).lstrip(b" "), following)


def _new_side(line: bytes) -> bytes:
    """A word-diffed line as it reads after the change (``[-old-]`` left out, ``{+new+}`` kept)."""
    return _WORD_DIFF.sub(lambda m: b"" if m.group()[:1] == b"[" else m.group()[2:-2], line)


def _colour_word_diff(line: bytes) -> bytes:
    """A colour word diff's codes as the plain word diff's markers, byte for byte (``ESC[31m``
    is ``[-`` and three blanks, its reset ``-]`` and one), so offsets do not move."""

    def marked(m: re.Match[bytes]) -> bytes:
        start, end = (b"[-", b"-]") if m.group(1) == b"1" else (b"{+", b"+}")
        return start + b"   " + m.group(2) + end + b" "

    return _COLOUR_WORD_DIFF.sub(marked, line)


def _word_diff_rows(
    line: bytes, p: int, table: Table
) -> list[tuple[bytes, list[tuple[int, int, bool]]]]:
    """A word-diffed line read as its old and its new row, each the line's length (the other
    side's words and the markers blanked): the rows of ``table`` among them, with their cells."""
    old, new = bytearray(line), bytearray(line)
    for m in _WORD_DIFF.finditer(line):
        a, b = m.span()
        gone, kept = (new, old) if line[a] == 0x5B else (old, new)
        gone[a:b] = b" " * (b - a)
        kept[a : a + 2] = kept[b - 2 : b] = b"  "
    views = [] if old == line else [bytes(old), bytes(new)]
    return [(v, row) for v in views if (row := row_cells(v[p:], table)) is not None]


class _LineAt:
    """Where a line starts in the data, and offsets in its text (colour codes left out) →
    offsets in the data (which has them, when ``raw_line`` holds any)."""

    def __init__(self, pos: int, raw_line: bytes | None = None) -> None:
        self.pos = pos
        self.offsets = line_offsets(raw_line) if raw_line is not None else None

    def span(self, a: int, b: int) -> tuple[int, int]:
        if self.offsets is None:
            return self.pos + a, self.pos + b
        return self.pos + raw_offset(self.offsets, a), self.pos + raw_offset(
            self.offsets, b - 1
        ) + 1


def _add(
    out: list[tuple[int, int, bytes]], line: bytes, at: _LineAt, cells: list[tuple[int, int, bool]]
) -> None:
    """Cells of ``line`` (its text, colour codes left out) as spans of the data."""
    for a, b, _ in cells:
        start, end = at.span(a, b)
        out.append((start, end, line[a:b]))


def _carry(table: Table | None, schemas: Schemas) -> Table | None:
    """The state after a line: the table open there, carrying the dump's ``schemas`` (a table of
    kind "schema" when none is open)."""
    if not schemas:
        return table
    if table is None:
        return Table("schema", 0, (), (), schemas=schemas)
    return table if table.schemas is schemas else replace(table, schemas=schemas)


def _quoted_row_end(data: bytes, end: int, limit: int, final: bool) -> int | None:
    """Where a CSV row whose line ``data[…:end]`` leaves a quote open ends: the end of the line
    that closes it (None when none does within ``limit``, or it has not arrived)."""
    open_quote = True
    while open_quote and end < min(len(data), limit):
        nxt = data.find(b"\n", end + 1)
        if nxt < 0:
            if not final:
                return None
            nxt = len(data)
        open_quote = data.count(b'"', end + 1, nxt) % 2 == 0
        end = nxt
    return end if not open_quote and end <= limit else None


def _next_line(data: bytes, end: int) -> bytes:
    nxt = data.find(b"\n", end + 1)
    line = data[end + 1 : nxt] if nxt >= 0 else data[end + 1 :]
    return _boxes(strip(line) if has_codes(line) else line)


# Speed pass, 2026-12-04 (second): a header candidate with no table open is read from its line
# and the next one alone, and agent output repeats lines (the same ``password   = var.x`` under
# every resource, the same log line): recent readings are remembered, for lines up to
# ``_MEMO_LINE`` bytes (memory stays bounded). Half the table reader's time on configuration,
# prose and ``git show``.
_MEMO_LINE = 512


@functools.lru_cache(maxsize=1024)
def _open_prefixed_cached(line: bytes, following: bytes | None) -> Table | None:
    return _open_prefixed(line, following)


@functools.lru_cache(maxsize=1024)
def _own_name_row_cached(line: bytes) -> tuple[tuple[int, int, bool], ...]:
    return tuple(_own_name_row(line))


def _open_prefixed_memo(line: bytes, following: bytes | None) -> Table | None:
    if len(line) + len(following or b"") > _MEMO_LINE:
        return _open_prefixed(line, following)
    return _open_prefixed_cached(line, following)


def _own_name_row_memo(line: bytes) -> list[tuple[int, int, bool]]:
    if len(line) > _MEMO_LINE:
        return _own_name_row(line)
    return list(_own_name_row_cached(line))


def clear_memos() -> None:
    """Forget the remembered readings (benchmarks that measure a cold pass)."""
    _open_prefixed_cached.cache_clear()
    _own_name_row_cached.cache_clear()
