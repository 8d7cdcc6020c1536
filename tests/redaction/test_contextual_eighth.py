# ruff: noqa: RUF001  (header names in other scripts are the point)
"""Eighth pass over issue 18's contextual shapes (2026-12-04): each class found leaking, its
failing case and variations, checked whole, by the pure-Python engine and streamed at many chunk
sizes (``_check``), with clean look-alikes kept. The two held-out shapes of the issue (a
40-character value in a CSV column headed ``secret``; ``loaded credential <40-char base64>`` in
coloured output) are tried in many formats, colour placements and line prefixes at the end."""

from __future__ import annotations

import base64
import itertools
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.redaction.test_contextual import R, _check

E = "\x1b"
OSC = f"{E}]8;;https://vault.example/s/1{E}\\"
OSC_END = f"{E}]8;;{E}\\"


def sec(seed: int, kind: str = "b64", n: int = 40) -> str:
    rnd = random.Random(seed * 7919 + 11)
    if kind == "hex":
        while True:
            v = "".join(rnd.choice("0123456789abcdef") for _ in range(n))
            if 5 <= sum(c.isalpha() for c in v) <= n - 5:
                return v
    if kind == "alnum":
        abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        return "".join(rnd.choice(abc) for _ in range(n))
    return base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(30))).decode()


S1, S2, S3 = sec(1), sec(2), sec(3, "alnum")
H20, H22, H24 = sec(4, "hex", 20), sec(5, "hex", 22), sec(6, "hex", 24)


def _unchanged(text: str) -> None:
    assert R.redact_text(text) == text
    _check(text, [])


# --- other cursor moves along the line: to a column (ESC[nG), back (ESC[nD) ---------------------

CURSOR_MOVES = [
    f"loaded credential{E}[30G{S1}\n",
    f"{E}[1mcredential{E}[0m{E}[20G{S1}\n",
    f"using token{E}[40G{E}[36m{S2}{E}[0m\n",
    f"loaded secret  {E}[1D{S3}\n",
    f"api key:{E}[12G{S1}\n",
    f"loaded token{E}[30G'{S2}'\n",
    f"password\x9b25G{S1}\n",
    # a table whose columns are placed by ESC[nG
    f"name{E}[10Gsecret{E}[60Gregion\nprod{E}[10G{S1}{E}[60Geu\nstage{E}[10G{S2}{E}[60Gus\n",
    f"NAME{E}[8GTOKEN\nweb{E}[8G{S3}\n",
]


@pytest.mark.parametrize("text", CURSOR_MOVES)
def test_cursor_moves_read_as_blanks(text: str) -> None:
    _check(text, [s for s in (S1, S2, S3) if s in text])


@pytest.mark.parametrize(
    "text",
    [
        f"credential{E}[20Gexpired yesterday\n",
        f"token{E}[30Grefresh scheduled\n",
        f"{E}[1G{E}[Kdownloading 50%{E}[1D\n",
        f"name{E}[10Gregion\nprod{E}[10Geu-west-1\n",
        f"progress {E}[3D###{E}[40Gdone\n",
    ],
)
def test_cursor_moves_in_clean_output_are_kept(text: str) -> None:
    _unchanged(text)


# --- a credential word before 20 to 24 hex digits; "pass" after a verb ------------------------

SHORT_HEX = [
    f"loaded credential {H20}\n",
    f"secret {H22}\n",
    f"using token {H24}\n",
    f"{E}[33mcredential{E}[0m {E}[1m{H20}{E}[0m\n",
    f"api key: {H22.upper()}\n",
    f"[INFO] rotated secret -> {H24}\n",
    f"client secret {H20}.\n",
]


@pytest.mark.parametrize("text", SHORT_HEX)
def test_a_credential_word_before_20_to_24_hex_digits(text: str) -> None:
    _check(text, [h for h in (H20, H22, H24, H22.upper()) if h in text])


@pytest.mark.parametrize(
    "text",
    [
        "loaded secret 12345678901234567890\n",  # digits only: a number
        "loaded secret version 3\n",
        "secret 0000000000aaaaaaaaaa\n",  # no spread
        "commit 3f2a9b1c0d4e5f6a7b8c9d0e fixes the token cache\n",  # no credential word before it
        "credential abcdefabcdefabcdefab\n",  # letters only
    ],
)
def test_short_hex_look_alikes_are_kept(text: str) -> None:
    _unchanged(text)


PASS_VERB = [
    f"loaded pass {S1}\n",
    f"using pass {S2}\n",
    f"rotated pass {S3}\n",
    f"{E}[32mgenerated{E}[0m pass {E}[1m{S1}{E}[0m\n",
    f"new pass{E}[2C{S2}\n",
    f"issued pass -> {H24}\n",
]


@pytest.mark.parametrize("text", PASS_VERB)
def test_pass_after_a_verb_handing_one_over(text: str) -> None:
    _check(text, [s for s in (S1, S2, S3, H24) if s in text])


@pytest.mark.parametrize(
    "text", ["all tests pass in 3.2s\n", "using pass 2 of 3\n", "loaded pass-through mode\n"]
)
def test_pass_in_prose_is_kept(text: str) -> None:
    _unchanged(text)


# --- header names in other languages and scripts -----------------------------------------------

MORE_FOREIGN = [
    "şifre",
    "Şifre",
    "jelszó",
    "heslo",
    "hasła",
    "parolă",
    "adgangskode",
    "mật khẩu",
    "kata sandi",
    "κωδικός πρόσβασης",
    "סיסמה",
    "كلمة المرور",
    "رمز عبور",
    "पासवर्ड",
    "รหัสผ่าน",
    "トークン",
    "令牌",
    "密钥",
    "토큰",
    "Geheimnis",
    "Passwörter",
    "Kennwörter",
    "ΚΩΔΙΚΌΣ ΠΡΌΣΒΑΣΗΣ",
    "ПАРОЛИ",
    "contraseñas",
    "jeton",
    "segreto",
    "секрет",
    "лозинка",
]


@pytest.mark.parametrize("word", MORE_FOREIGN)
def test_more_headers_naming_a_secret_in_other_languages(word: str) -> None:
    _check(f"Name,{word},Region\nprod,{S1},eu\nstage,{S2},us\n", [S1, S2])
    _check(f"id\t{word}\n1\t{S1}\n", [S1])
    _check(f"| id | {word} |\n|---|---|\n| 1 | {S1} |\n", [S1])
    _check(f"{word},id\n{S2},1\n", [S2])


@pytest.mark.parametrize("word", ["κωδικός", "clave", "chave", "ключ", "parola", "PAT"])
def test_weak_foreign_headers_count_only_generated_values(word: str) -> None:
    _check(f"name,{word},region\nprod,{S1},eu\n", [S1])
    _check(f"name,{word},region\nprod,casa blanca,eu\n", [], ["casa blanca"])


@pytest.mark.parametrize(
    "text",
    [
        "id,pat,region\n1,Pat Smith,eu\n",
        "Nome,parola,Regione\nprod,casa,eu\n",
        "id,path,owner\n1,/srv/data,ops\n",
        "name,patch,region\nweb,0001-fix.patch,eu\n",
    ],
)
def test_foreign_look_alikes_are_kept(text: str) -> None:
    _unchanged(text)


# --- a JSON (or Python) array of strings per line, the first naming the columns --------------

ARRAYS = [
    f'["name","secret","region"]\n["prod","{S1}","eu"]\n["stage","{S2}","us"]\n',
    f'["name", "password"]\n["prod", "{S1}"]\n',
    f"['name', 'api_key']\n['prod', '{S2}']\n",
    f'[\n  ["name", "token"],\n  ["prod", "{S3}"],\n  ["stage", "{S1}"]\n]\n',
    f'\ufeff["id","secret"]\r\n["1","{S1}"]\r\n',
    f'["id","client_secret","note"]\n["1","{S2}","has, a comma"]\n',
]


@pytest.mark.parametrize("text", ARRAYS)
def test_json_arrays_as_table_rows(text: str) -> None:
    _check(text, [s for s in (S1, S2, S3) if s in text])


@pytest.mark.parametrize(
    "text",
    [
        '["name", "secret"]\n["prod", "${SECRET}"]\n',
        '["name", "token_count"]\n["prod", "42"]\n',
        'fields = ["name", "secret"]\nvalues = ["prod", "see the vault"]\n',
        # dagster's alembic migration: an array of names over code, not over arrays
        '    ["concurrency_key", "run_id", "step_key"],\n'
        '    mysql_length={"concurrency_key": 255, "run_id": 255, "step_key": 32},\n',
    ],
)
def test_array_look_alikes_are_kept(text: str) -> None:
    _unchanged(text)


# --- more than one gap line (blank, rule, comment) between the header and its rows -----------

GAPS = [
    f"name,secret,region\n\n\nprod,{S1},eu\nstage,{S2},us\n",
    f"name,secret,region\n# exported\n\nprod,{S1},eu\n",
    f"name\tpassword\n# a\n# b\n\nprod\t{S1}\n",
    f"| name | token |\n|---|---|\n\n| prod | {S2} |\n",
    f"NAME    SECRET{' ' * 38}REGION\n\n{'=' * 60}\n\nprod    {S3}{' ' * 12}eu\n",
    f"name,token,region\r\n\r\n-- 2 rows\r\nprod,{S1},eu\r\n",
]


@pytest.mark.parametrize("text", GAPS)
def test_gap_lines_under_the_header(text: str) -> None:
    _check(text, [s for s in (S1, S2, S3) if s in text])


@pytest.mark.parametrize(
    "text",
    [
        "name,secret,region\n\n\nnote,trailing words here,done\n",
        "name,secret,region\n\n\nprod,abc,eu\n",
        "name,secret,region\n# a\n# b\nprod,rotated by ops,eu\n",
        "name,secret,region\n\n\n\n\nprod,abc,eu\n",  # past three gap lines: no table
    ],
)
def test_past_one_gap_line_only_generated_values_count(text: str) -> None:
    _unchanged(text)


# --- line prefixes before a table ----------------------------------------------------------------

PREFIXED = [
    f"out: name,secret,region\nout: prod,{S1},eu\nout: stage,{S2},us\n",
    f"stdout: name,secret\nstdout: prod,{S1}\n",
    f"stderr: name\tpassword\nstderr: prod\t{S2}\n",
    f"INFO: name,password\nINFO: prod,{S3}\n",
    f"INFO  name,secret\nINFO  prod,{S1}\n",
    f"DEBUG name,secret\nDEBUG prod,{S2}\n",
    f"out:  id | secret\nout: ----+-----\nout:   1 | {S1}\nout: (1 row)\n",
    f"out: | name | token |\nout: |---|---|\nout: | prod | {S2} |\n",
    f"     1\tname,secret\n     2\tprod,{S1}\n",
    f"9: name,secret\n10: prod,{S2}\n",
    f"data.csv:1:name,secret\ndata.csv:2:prod,{S3}\n",
    f"#12 0.532 name,secret\n#12 0.533 prod,{S1}\n",
    f"2026-12-03T10:00:00.1234567Z name,secret\n2026-12-03T10:00:01.1234567Z prod,{S2}\n",
    # the secret's column first, past a prefix the header expression cannot cross
    f"[INFO] secret,name\n[INFO] {S1},prod\n",
    f"2026-12-03T10:00:00Z token\tname\n2026-12-03T10:00:01Z {S2}\tprod\n",
    f"out: password,id\nout: {S3},1\n",
]


@pytest.mark.parametrize("text", PREFIXED)
def test_tables_under_a_line_prefix(text: str) -> None:
    _check(text, [s for s in (S1, S2, S3) if s in text])


@pytest.mark.parametrize(
    "text",
    [
        "app.py:12:    user, secret = load()\napp.py:13:    print(user)\n",
        "INFO: loading name,secret from vault\nINFO: done in 3s\n",
        "out: name,secret,region\nerr: prod,rotated today,eu\n",
        "- name, secret and region\n- then the rest of it\n",
        "[INFO] secret,name\n[WARN] retrying in 3s\n",
    ],
)
def test_prefixed_look_alikes_are_kept(text: str) -> None:
    _unchanged(text)


# --- git word diffs: non-default colours, a word-diffed header --------------------------------

COLOUR_DIFFS = [
    f"name,secret,region\n{E}[1;31mprod,{S1},eu{E}[m{E}[1;32mprod,{S2},eu{E}[m\n",
    f"name,secret,region\n{E}[7;31mprod,{S1},eu{E}[m{E}[7;32mprod,{S2},eu{E}[m\n",
    f"name,secret,region\n{E}[38;5;196mprod,{S1},eu{E}[m{E}[38;5;46mprod,{S2},eu{E}[m\n",
    f"name,secret,region\n{E}[1;31mprod,{S1},eu{E}[0m{E}[1;32mprod,{S2},eu{E}[0m\n",
    f"name\tpassword\n{E}[35mweb\t{S3}{E}[m{E}[36mweb\t{S1}{E}[m\n",
    f"name,token,region\nprod,{E}[38;2;255;0;0m{S2}{E}[m{E}[38;2;0;255;0m{S3}{E}[m,eu\n",
]


@pytest.mark.parametrize("text", COLOUR_DIFFS)
def test_colour_word_diffs_in_other_colours(text: str) -> None:
    _check(text, [s for s in (S1, S2, S3) if s in text])


WORD_DIFFED_HEADERS = [
    f"[-name,secret-]{{+name,secret,region+}}\nprod,{S1},eu\nstage,{S2},us\n",
    f"name,[-token-]{{+secret+}},region\nprod,{S1},eu\n",
    f"name\t[-pwd-]{{+password+}}\nprod\t{S2}\n",
    f"{{+id,api_key+}}\n{{+1,{S3}+}}\n",
    f"| name | [-key-]{{+token+}} |\n|---|---|\n| prod | {S1} |\n",
]


@pytest.mark.parametrize("text", WORD_DIFFED_HEADERS)
def test_a_word_diffed_header(text: str) -> None:
    _check(text, [s for s in (S1, S2, S3) if s in text])


def _git(args: list[str], root: Path, data: str = "") -> str:
    git = ["git", "-c", "user.email=a@b", "-c", "user.name=a", "-c", "core.hooksPath=/dev/null"]
    return subprocess.run(
        [*git, *args], input=data, capture_output=True, text=True, check=True, cwd=root
    ).stdout


def _git_diff(before: str, after: str, *opts: str) -> str | None:
    """``git diff --word-diff=color`` of a file from ``before`` to ``after`` (``opts``: git's
    own ``-c`` options)."""
    if shutil.which("git") is None:
        return None
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        _git(["init", "-q"], root)
        (root / "t.csv").write_text(before)
        _git(["add", "."], root)
        _git(["commit", "-qm", "x"], root)
        (root / "t.csv").write_text(after)
        return _git([*opts, "diff", "--word-diff=color", "--color=always"], root)


@pytest.mark.parametrize(
    "colours",
    [
        ("red bold", "green bold"),
        ("red reverse", "green reverse"),
        ("196", "46"),
        ("#ff0000", "#00ff00"),
        ("magenta", "cyan"),
    ],
)
def test_git_colour_word_diff_in_configured_colours(colours: tuple[str, str]) -> None:
    text = _git_diff(
        f"name,password,region\nprod,{S3},eu\n",
        f"name,password,region\nprod,{S1},eu\n",
        "-c",
        f"color.diff.old={colours[0]}",
        "-c",
        f"color.diff.new={colours[1]}",
        "-c",
        "diff.wordRegex=[^,]+",
    )
    if text is None:
        pytest.skip("git not installed")
    _check(text, [S1, S3])


def test_git_word_diff_of_a_header_line() -> None:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        _git(["init", "-q"], root)
        (root / "t.csv").write_text("name,token,region\n")
        _git(["add", "."], root)
        _git(["commit", "-qm", "x"], root)
        (root / "t.csv").write_text(f"name,secret,region\nprod,{S1},eu\nstage,{S2},us\n")
        plain = _git(["diff", "--word-diff"], root)
        coloured = _git(["diff", "--word-diff=color", "--color=always"], root)
    _check(plain, [S1, S2])
    _check(coloured, [S1, S2])


# --- MediaWiki: a value on the line under its "|", a group row over the names ------------------

WIKI = [
    f"{{|\n! name !! secret\n|-\n| prod\n|\n{S1}\n|}}\n",
    f"{{|\n! name\n! secret\n|-\n| prod\n|\n{S2}\n|-\n| stage\n|\n{S3}\n|}}\n",
    f'{{| class="wikitable"\n! colspan="2" | credentials\n|-\n! name !! secret\n|-\n| prod || {S1}\n|}}\n',
    f'{{|\n! colspan="2" | access\n|-\n! name\n! token\n|-\n| prod\n| {S2}\n|}}\n',
    f"{{|\n! name !! password\n|-\n| prod ||\n{S3}\n|}}\n",
]


@pytest.mark.parametrize("text", WIKI)
def test_mediawiki_cells_over_lines_and_group_rows(text: str) -> None:
    _check(text, [s for s in (S1, S2, S3) if s in text])


def test_mediawiki_text_under_a_cell_that_is_prose_is_kept() -> None:
    text = "{|\n! name !! secret\n|-\n| prod\n|\nsee the vault entry\n|}\n"
    _unchanged(text)


# --- tables with hyperlinked (OSC 8) values and a coloured header ------------------------------

HYPERLINKED = [
    f"id,{E}[1msecret{E}[0m,owner\n1,{OSC}{S1}{OSC_END},ops\n2,{OSC}{S2}{OSC_END},dev\n",
    f"ID  {E}[1mSECRET{E}[0m{' ' * 40}OWNER\n1   {OSC}{S1}{OSC_END}      ops\n",
    f"| id | {E}[4msecret{E}[24m |\n|---|---|\n| 1 | {OSC}{E}[34m{S3}{E}[0m{OSC_END} |\n",
    f"<table><tr><th>id</th><th>{E}[1msecret{E}[0m</th></tr>\n<tr><td>1</td><td>{S2}</td></tr>\n</table>\n",
    f"<table><tr><th>id</th><th>{E}[1mtoken{E}[0m</th></tr>\n"
    f"<tr><td>1</td><td>{E}[32m{S1}{E}[0m</td></tr>\n</table>\n",
    f"out: id,{E}[1msecret{E}[0m\nout: 1,{OSC}{S3}{OSC_END}\n",
]


@pytest.mark.parametrize("text", HYPERLINKED)
def test_coloured_headers_over_hyperlinked_or_coloured_values(text: str) -> None:
    _check(text, [s for s in (S1, S2, S3) if s in text])


# --- issue 18's held-out shapes, in many variations ----------------------------------------------

_CELL = {
    "plain": lambda v: v,
    "green": lambda v: f"{E}[32m{v}{E}[0m",
    "256": lambda v: f"{E}[38;5;208m{v}{E}[39m",
    "truecolour": lambda v: f"{E}[38;2;1;2;3m{v}{E}[0m",
    "bold_underline": lambda v: f"{E}[1;4m{v}{E}[0m",
    "osc8": lambda v: f"{OSC}{v}{OSC_END}",
    "inside": lambda v: f"{v[:10]}{E}[1m{v[10:]}{E}[0m",
}
_HEAD = {
    "plain": lambda h: h,
    "bold": lambda h: f"{E}[1m{h}{E}[0m",
    "inside": lambda h: f"{h[:3]}{E}[4m{h[3:]}{E}[24m",
}


def _secret_tables(h: str, a: str, b: str) -> dict[str, str]:
    return {
        "csv": f"id,{h},owner\n1,{a},ops\n2,{b},dev\n",
        "csv_secret_first": f"{h},id\n{a},1\n{b},2\n",
        "csv_quoted_crlf_bom": f'\ufeff"id","{h}"\r\n"1","{a}"\r\n"2","{b}"\r\n',
        "tsv": f"id\t{h}\n1\t{a}\n2\t{b}\n",
        "markdown": f"| id | {h} |\n|----|----|\n| 1 | {a} |\n| 2 | {b} |\n",
        "aligned": f"ID  {h}{' ' * 40}OWNER\n1   {a}      ops\n2   {b}      dev\n",
        "psql": f" id | {h}\n----+{'-' * 42}\n  1 | {a}\n  2 | {b}\n(2 rows)\n",
        "box": f"│ id │ {h}{' ' * 35}│\n├────┼{'─' * 42}┤\n│ 1  │ {a} │\n│ 2  │ {b} │\n",
        "html": f"<table><tr><th>id</th><th>{h}</th></tr>\n<tr><td>1</td><td>{a}</td></tr>\n</table>\n",
        "json_arrays": f'["id","{h}"]\n["1","{a}"]\n["2","{b}"]\n',
    }


_PREFIXES = ["", "out: ", "[INFO] ", "2026-12-03T10:00:00Z ", "web-1  | "]
HELD_OUT_TABLES = [
    (f"{fmt}/{cell}/{head}/{prefix.strip() or '-'}", text, [a, b])
    for i, (cell, head) in enumerate(itertools.product(_CELL, _HEAD))
    for a, b in [(sec(100 + i, "alnum" if i % 3 else "b64"), sec(200 + i))]
    for fmt, table in _secret_tables(_HEAD[head]("secret"), _CELL[cell](a), _CELL[cell](b)).items()
    for prefix in _PREFIXES
    if not (prefix and "\r" in table)
    for text in ["".join(prefix + line + "\n" for line in table.splitlines()) if prefix else table]
]


@pytest.mark.parametrize(
    ("text", "secrets"),
    [(t, s) for _, t, s in HELD_OUT_TABLES][::7],
    ids=[n for n, _, _ in HELD_OUT_TABLES][::7],
)
def test_held_out_a_40_character_value_under_a_secret_header(text: str, secrets: list[str]) -> None:
    _check(text, secrets)


def test_held_out_tables_whole() -> None:
    # Every variation, whole and in the pure-Python engine (the streamed check above samples).
    from tests.redaction.test_contextual import SLOW

    for name, text, secrets in HELD_OUT_TABLES:
        whole = R.redact_text(text)
        for s in secrets:
            assert s not in whole, (name, whole)
        assert SLOW.redact_text(text) == whole, name


_WORDS = ["credential", "credentials", "secret", "token", "api key", "password"]
_SURROUND = {
    "plain": "{line}\n",
    "timestamp": "2026-12-03T10:00:00.123Z {line}\n",
    "level": f"{E}[32mINFO{E}[0m {{line}}\n",
    "json": '{{"level":"info","msg":"{line}"}}\n',
    "full_stop": "{line}.\n",
    "carriage_return": "loading...\r{line}\n",
    "crlf": "{line}\r\n",
    "progress": f"{E}[2K{E}[1G{{line}}\n",
}


def _credential_lines(word: str, v: str) -> dict[str, str]:
    return {
        "word": f"loaded {E}[1;33m{word}{E}[0m {v}",
        "value": f"loaded {word} {E}[36m{v}{E}[0m",
        "both_256": f"{E}[2mloaded{E}[0m {E}[1m{word}{E}[0m {E}[38;5;81m{v}{E}[0m",
        "inside_word": f"loaded {word[:2]}{E}[1m{word[2:]}{E}[0m {v}",
        "inside_value": f"loaded {word} {v[:12]}{E}[3m{v[12:30]}{E}[23m{v[30:]}",
        "truecolour": f"loaded {E}[38;2;200;80;10m{word}{E}[39m {E}[48;2;0;0;0m{v}{E}[49m",
        "osc8": f"loaded {word} {OSC}{v}{OSC_END}",
        "osc8_coloured": f"loaded {word} {OSC}{E}[4;34m{v}{E}[0m{OSC_END}",
        "forward": f"loaded {word}{E}[2C{v}",
        "column": f"loaded {word}{E}[30G{v}",
        "back": f"loaded {word}   {E}[2D{v}",
        "erase": f"loaded {word} {E}[K{v}{E}[K",
        "quoted_column": f"loaded {word}{E}[30G'{v}'",
    }


HELD_OUT_LINES = [
    (f"{word}/{place}/{sname}", tmpl.format(line=line), v)
    for j, word in enumerate(_WORDS)
    for v in [sec(300 + j, "b64" if j % 2 else "alnum")]
    for place, line in _credential_lines(word, v).items()
    for sname, tmpl in _SURROUND.items()
]


@pytest.mark.parametrize(
    ("text", "secret"),
    [(t, s) for _, t, s in HELD_OUT_LINES][::5],
    ids=[n for n, _, _ in HELD_OUT_LINES][::5],
)
def test_held_out_loaded_credential_in_coloured_output(text: str, secret: str) -> None:
    _check(text, [secret])


def test_held_out_credential_lines_whole() -> None:
    from tests.redaction.test_contextual import SLOW

    for name, text, v in HELD_OUT_LINES:
        whole = R.redact_text(text)
        assert v not in whole, (name, whole)
        assert SLOW.redact_text(text) == whole, name
