"""Fifteenth pass over issue 18's contextual shapes (2026-12-05, rt15-redact).

First the fourteenth pass's eight open cases and the two known over-maskings, each as a class
with its variations and controls; then the held-out generator ``fifteenth_variations`` (psql
``\\x``, mysql ``\\G``, kubectl YAML/JSON/jsonpath, docker ``Env``, Go's ``map[…]``/``[…]``,
``/proc/<pid>/environ``, ``systemctl show``, ``env`` through ``grep --color=always``, ``export
-p``, ``bat``, ``curl -v`` and ``set -x`` traces, ``.netrc``, ``.pgpass``, AWS CLI tables and
text, box-drawn records, pandas with a named index and with two column levels, INI/TOML/YAML
sections, inline tables, codes inside header words and between cells, OSC 8 links around values
and header names, ``ESC[2K\\r`` redraws, BuildKit progress), every case whole, by the
pure-Python engine and streamed at fixed chunk sizes, also split at random points; then the
classes it found, each with its variations and clean controls."""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest

from tests.redaction.fifteenth_variations import SHAPES, Case, cases, hexid, key, uuid
from tests.redaction.held_out import HeldOut, R, ids

CASES = list(cases())
_H = HeldOut()
_masked, _unchanged = _H.masked, _H.unchanged
E = "\x1b"


def _v(seed: int, n: int = 40) -> str:
    return key(50_000 + seed, ["alnum", "b64", "url"][seed % 3], n)


# --- the fourteenth pass's open cases ----------------------------------------------------------

# Class 1: a ``*`` or a note between a name and its ``=`` (sqlite3 ``.mode line``).
_NOTES = ["(plain)", "(masked=no)", "[shown]", "(decrypted)", "(sensitive)", "[raw]",
          "(cleartext)", "(current)", "[visible=true]", "(b64)"]  # fmt: skip
_LINE_WORDS = ["Password", "Secret", "token", "API_KEY", "client_secret"]


@pytest.mark.parametrize("i", range(20))
def test_sqlite_line_mode_star_and_note(i: int) -> None:
    w, v = _LINE_WORDS[i % 5], _v(i)
    names = ["id", "name", f"{w}*" if i % 2 else f"{w} {_NOTES[i % 10]}"]
    width = max(map(len, names))
    vals = [str(i), f"svc-{i}", v]
    text = "".join(f"{n.rjust(width)} = {x}\n" for n, x in zip(names, vals, strict=True))
    _masked(text, [v])
    _masked(f"{names[2]} = {v}\n", [v])


@pytest.mark.parametrize("i", range(20))
def test_sqlite_line_mode_controls(i: int) -> None:
    w = _LINE_WORDS[i % 5]
    note = ["(count)", "(name)", "(updated)", "(hash)", "(id)"][i % 5]
    cell = ["12", "prod-db", "2026-11-02", "*", "key-0012"][i % 5]
    _unchanged(f"{w} {note} = {cell}\n")
    _unchanged(f"{w}* = <redacted>\n{w} {_NOTES[i % 10]} = ****\n")


# Class 2: a quoted SQL column name holding parentheses or a comma.
@pytest.mark.parametrize("i", range(20))
def test_insert_quoted_column_names(i: int) -> None:
    v = _v(100 + i)
    q = ['"', "`", "["][i % 3]
    c = {"[": "]"}.get(q, q)
    name = ["Password (plain)", "API key (raw)", "Secret [shown]", "token (b64)"][i % 4]
    if q == "[":  # (SQL Server doubles a "]" inside brackets: no brackets in these names)
        name = name.replace("[", "(").replace("]", ")")
    other = ["note, long", "created (utc)", "id", "name"][i % 4]
    cols = f"{q}id{c},{q}{other}{c},{q}{name}{c}"
    _masked(f"INSERT INTO t({cols}) VALUES({i},'a, (b)','{v}');\n", [v])
    _masked(
        f"INSERT INTO t({cols}) VALUES\n  ({i},'x','{v}'),\n  ({i + 1},'y','{v[::-1]}');\n", [v]
    )
    _unchanged(f"INSERT INTO t({q}id{c},{q}Token (count){c}) VALUES({i},'{100 + i}');\n")


# Class 3: a JSON key ending in a colon.
@pytest.mark.parametrize("i", range(20))
def test_json_key_ending_in_a_colon(i: int) -> None:
    v = _v(200 + i)
    w = ["token:", "password:", "api_key:", "Secret:", "client_secret:"][i % 5]
    _masked(json.dumps([{"id": str(i), w: v}], separators=(",", ":")) + "\n", [v])
    _masked(json.dumps({w: v}, indent=2) + "\n", [v])
    _unchanged(json.dumps({w: "<redacted>", "commit:": hexid(i)}) + "\n")


# Class 4: an id under a column header above rows of no value (``-``), further than 64 lines.
@pytest.mark.parametrize("i", range(20))
def test_id_column_over_rows_of_no_value(i: int) -> None:
    n = 70 + 4 * i  # (up to 146 rows: the walk reads ``id_columns.LOOKBACK`` bytes at most)
    head = ["name", ["Commit", "sha", "request_id", "Digest", "etag"][i % 5], "region"]
    fill = ["-", "", "n/a", "null", "—"][i % 5]
    val = [hexid(i), hexid(i + 1), uuid(i), hexid(i, 64), hexid(i, 32)][i % 5]
    rows = [f"svc-{k % 9}\t{fill}\teu-west-1" for k in range(n)]
    _unchanged("\t".join(head) + "\n" + "\n".join(rows) + f"\nauth-svc\t{val}\teu-west-1\n")
    # a secret's column stays masked however far its header is
    v = _v(300 + i)
    secret = "\t".join(["name", "token", "region"]) + "\n" + "\n".join(rows)
    _masked(secret + f"\nauth-svc\t{v}\teu-west-1\n", [v])


# Class 5: an other-language name over an object holding the value.
_FOREIGN = ["mot_de_passe", "passwort", "contraseña", "senha", "jelszó", "пароль", "密码",
            "wachtwoord", "salasana", "pat"]  # fmt: skip


@pytest.mark.parametrize("i", range(20))
def test_foreign_name_over_an_object(i: int) -> None:
    n, v = _FOREIGN[i % 10], _v(400 + i)
    members = [("sensitive", True), ("type", "string")][: i % 3]
    d = {"id": {"value": "1"}, n: {**dict(members), "value": v}}
    _masked(json.dumps(d, indent=2, ensure_ascii=i % 2 == 0) + "\n", [v])
    _masked(json.dumps(d, ensure_ascii=i % 2 == 1) + "\n", [v])


@pytest.mark.parametrize("i", range(20))
def test_foreign_name_over_an_object_controls(i: int) -> None:
    n = _FOREIGN[i % 10]
    _unchanged(json.dumps({n: {"sensitive": True, "value": "<sensitive>"}}, indent=2) + "\n")
    _unchanged(json.dumps({n: {"value": "${SECRET}"}}) + "\n")
    if n != "pat":  # (weak: generated-looking values only)
        return
    _unchanged(json.dumps({n: {"value": "main"}}) + "\n")


# --- the two known over-maskings ---------------------------------------------------------------

_CFN = ["!Ref DBPassword", "!GetAtt Secret.SecretString", "!ImportValue prod-db-password",
        "!Sub '{{resolve:secretsmanager:${DBSecret}:SecretString:password}}'",
        "'{{resolve:secretsmanager:MyRDSSecret:SecretString:password}}'",
        "!FindInMap [Env, prod, Password]", "!Join ['', [!Ref Prefix, pw]]",
        "!Select [0, !Ref Passwords]", "!If [IsProd, !Ref ProdPw, !Ref DevPw]",
        "!Base64 abc"]  # fmt: skip
_CFN_NAMES = ["MasterUserPassword", "Password", "DBPassword", "SecretString", "ApiKey"]


@pytest.mark.parametrize("i", range(20))
def test_cloudformation_references(i: int) -> None:
    n, ref = _CFN_NAMES[i % 5], _CFN[i % 10]
    _unchanged(f"Resources:\n  Db:\n    Properties:\n      {n}: {ref}\n")
    _unchanged(f"      - {n}: {ref}\n")


def test_cloudformation_literals_still_masked() -> None:
    for i in range(20):
        v = _v(500 + i, 24)
        _masked(f"      {_CFN_NAMES[i % 5]}: {v}\n", [v])
        _masked(f"      {_CFN_NAMES[i % 5]}: '{v}'\n", [v])
        _masked(f"      {_CFN_NAMES[i % 5]}: !{v}\n", [v])


_LOOKUPS = ["config['worker']['secret']", 'settings["auth"]["token"]', "keys[0]", "row[pw_col]",
            "vault_data['data']['secret']", "cfg.auth['token']", "secrets[\"prod\"]",
            "data['password']", "env.vars[3]", "creds[idx]"]  # fmt: skip


@pytest.mark.parametrize("i", range(20))
def test_lookups_are_no_values(i: int) -> None:
    w = ["secret", "token", "api_key", "password", "client_secret"][i % 5]
    look = _LOOKUPS[i % 10]
    _unchanged(f"{w} = {look}\n")
    _unchanged(f"    {w}: str = {look}\n")
    _unchanged(f"{w}={look}\n")


def test_lookup_lookalikes_still_masked() -> None:
    for i in range(20):
        v = _v(600 + i, 20)
        _masked(f"secret = config['worker']['secret'] or '{v}'\n", [v])
        _masked(f"password = {v}[\n", [v])
        _masked(f"token = {v}\n", [v])


# --- the fifteenth generator -------------------------------------------------------------------

SECRET_CASES = [c for c in CASES if c.secrets]
CLEAN_CASES = [c for c in CASES if c.clean]


@pytest.mark.parametrize("case", SECRET_CASES, ids=ids(SECRET_CASES))
def test_held_out_secrets_masked(case: Case) -> None:
    _masked(case.text, case.secrets)


@pytest.mark.parametrize("case", CLEAN_CASES, ids=ids(CLEAN_CASES))
def test_held_out_clean_output_unchanged(case: Case) -> None:
    _unchanged(case.text)


def _split_stream(data: bytes, cuts: list[int]) -> bytes:
    s = R.stream()
    edges = [0, *sorted(cuts), len(data)]
    return b"".join(s.feed(data[a:b]) for a, b in zip(edges, edges[1:], strict=False)) + s.flush()


def test_held_out_split_at_random_points() -> None:
    rnd = random.Random(15)
    for n, c in enumerate(CASES):
        data = c.text.encode()
        whole = R.redact_bytes(data)
        cuts = [rnd.randrange(len(data) + 1) for _ in range(5)]
        assert _split_stream(data, cuts) == whole, (c.shape, cuts)
        if n % 10 == 0:
            for cut in range(0, len(data) + 1, max(1, len(data) // 40)):
                assert _split_stream(data, [cut]) == whole, (c.shape, cut)


def test_every_shape_has_its_variations() -> None:
    secret = Counter(c.shape for c in SECRET_CASES)
    clean = Counter(c.shape for c in CLEAN_CASES)
    assert set(secret) == set(SHAPES) and {f"{s}_clean" for s in SHAPES} == set(clean)
    assert all(n >= 12 for n in secret.values()) and all(n >= 12 for n in clean.values())
    assert len(SHAPES) >= 30


# --- classes the fifteenth generator found (all over-masking) ---------------------------------


# Class 6: a terminal code where a value would start (an OSC 8 link after ``name: ``).
@pytest.mark.parametrize("i", range(20))
def test_osc8_link_after_a_name(i: int) -> None:
    st = ["\x07", f"{E}\\"][i % 2]
    w = ["api_key", "password", "token", "secret", "client_secret"][i % 5]
    ph = ["${API_KEY}", "[masked]", "<redacted>", "****", "(sensitive)"][i % 5]
    link = f"{E}]8;;https://vault.example.com/ui/{i}{st}"
    _unchanged(f"{w}: {link}{ph}{E}]8;;{st}\n")
    _unchanged(f"{w}={link}{ph}{E}]8;;{st}\n")
    v = _v(700 + i)
    _masked(f"{w}: {link}{v}{E}]8;;{st}\n", [v])
    _masked(f"{w}={E}[1m{v}{E}[0m\n", [v])


# Class 7: HTTP's ``If-None-Match``/``If-Match`` carry an ETag.
@pytest.mark.parametrize("i", range(20))
def test_conditional_request_headers(i: int) -> None:
    h = ["If-None-Match", "If-Match", "if-none-match", "IF_NONE_MATCH", "if_match"][i % 5]
    e = [hexid(i, 32), hexid(i, 40), hexid(i, 64), f"W/{hexid(i, 32)}", hexid(i, 32).upper()]
    val = e[i % 5]
    _unchanged(f'> {h}: "{val}"\r\n')
    _unchanged(f"+ curl -H '{h}: \"{val}\"' https://api.example.com/x\n")
    _unchanged(f"{h}: {val}\n")
    v = _v(800 + i)
    _masked(f"> X-Api-Key: {v}\r\n", [v])


# Class 8: entries of a configuration section naming ids (``[commits]``, ``digests:``).
_ID_SECTIONS = ["commits", "revisions", "digests", "builds", "image_digests", "tool.pins",
                "checksums", "etags", "versions", "releases"]  # fmt: skip


@pytest.mark.parametrize("i", range(20))
def test_id_sections(i: int) -> None:
    sect = _ID_SECTIONS[i % 10]
    val = [hexid(i), uuid(i), hexid(i, 64), hexid(i, 32)][i % 4]
    comp = ["frontend", "backend", "cli", "docs", "worker"][i % 5]
    _unchanged(f"[{sect}]\n# pinned\n{comp} = {val}\nother = {hexid(i + 1)}\n")
    _unchanged(f'[{sect}]\n{comp} = "{val}"\n')
    y = sect.replace(".", "_")
    _unchanged(f"{y}:\n  {comp}: {val}\n  other: {hexid(i + 2)}\n")


def test_id_section_lookalikes_still_masked() -> None:
    for i in range(20):
        v = _v(900 + i)
        h = hexid(i + 30, 40)
        sect = ["api_keys", "secrets", "tokens", "credentials", "passwords"][i % 5]
        _masked(f"[{sect}]\nstripe = {v}\n", [v])
        _masked(f"[{sect}]\nstripe = {h}\n", [h])
        # a key under a section of ids is still a key (not id-shaped)
        _masked(f"[{_ID_SECTIONS[i % 10]}]\nfrontend = {v}\n", [v])
        # and an entry after another section's header is read under that one
        _masked(f"[commits]\nweb = {hexid(i)}\n[deploy]\nstripe_api = {h}\n", [h])


# Class 9: an id column's header with codes (OSC 8 links, SGR) or naming a digest (``md5``).
@pytest.mark.parametrize("i", range(20))
def test_id_headers_with_codes(i: int) -> None:
    name = ["commit", "request_id", "content_md5", "checksum", "trace_id"][i % 5]
    val = [hexid(i), uuid(i), hexid(i, 32), hexid(i, 64), hexid(i + 5, 32)][i % 5]
    st = ["\x07", f"{E}\\"][i % 2]
    codes = [f"{E}]8;;https://docs.example.com/{name}{st}{name}{E}]8;;{st}",
             f"{E}[1m{name}{E}[0m", f"{E}[38;5;{100 + i}m{name}{E}[39m",
             f"{E}[38;2;{i};80;200m{name}{E}[0m", name]  # fmt: skip
    head = codes[i % 5]
    w = max(len(name), len(val))
    _unchanged(f"NAME      {head}{' ' * (w - len(name))}  REGION\nsvc-{i:<4}  {val.ljust(w)}  eu\n")
    _unchanged(f"NAME      {head}\nsvc-{i:<4}  {E}[2m{val}{E}[0m\n")


# Class 10: a group name over the column names (pandas' two column levels), streamed too.
@pytest.mark.parametrize("i", range(20))
def test_pandas_column_groups(i: int) -> None:
    group = ["credentials", "secrets", "auth", "tokens", "keys"][i % 5]
    name = ["trace_id", "commit", "etag", "request_id", "digest"][i % 5]
    val = [hexid(i, 32), hexid(i), hexid(i + 1, 32), uuid(i), hexid(i, 64)][i % 5]
    w = max(len(name), len(val))
    top = f"{'':6}{group:>{8 + 2 + w}}"
    mid = f"{'':6}{'user':>8}  {name:>{w}}"
    row = f"{i:<6}{'bot-' + str(i):>8}  {val:>{w}}"
    _unchanged(f"{top}\n{mid}\n{row}\n")
    v = _v(1000 + i, 36)
    wv = max(len("api_key"), len(v))
    _masked(
        f"{'':6}{group:>{8 + 2 + wv}}\n{'':6}{'user':>8}  {'api_key':>{wv}}\n"
        f"{i:<6}{'bot':>8}  {v:>{wv}}\n",
        [v],
    )


def test_one_column_frame_still_masked() -> None:
    """A right-aligned name over values (a one-column frame), not over names, still masks."""
    for i in range(20):
        v = _v(1100 + i, 32)
        name = ["api_key", "token", "secret", "password"][i % 4]
        _masked(f"   {' ' * (len(v) - len(name))}{name}\n0  {v}\n", [v])
