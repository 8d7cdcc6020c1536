# ruff: noqa: UP031  (printf-aligned output is built as printf builds it)
"""Seventh pass over issue 18's contextual shapes (2026-12-03): each class found leaking, its
failing case and variations, checked whole, by the pure-Python engine and streamed at many chunk
sizes (``_check``), with clean look-alikes kept. Output is made by the real tools where they are
installed (sqlite3, git, column, pandas)."""

from __future__ import annotations

import base64
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.redaction.test_contextual import _check

E = "\x1b"


def sec(seed: int, kind: str = "b64") -> str:
    rnd = random.Random(seed * 104729 + 7)
    if kind == "hex":
        return "".join(rnd.choice("0123456789abcdef") for _ in range(40))
    return base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(30))).decode()


S1, S2, S3 = sec(1), sec(2), sec(3, "hex")


def _run(args: list[str], data: str = "", cwd: Path | None = None) -> str:
    return subprocess.run(
        args, input=data, capture_output=True, text=True, check=True, cwd=cwd
    ).stdout


# --- a cursor-forward code standing for the blank(s) ------------------------------------------

CURSOR_FORWARD = [
    f"loaded credential{E}[1C{S1}\n",
    f"loaded credential{E}[C{S1}\n",
    f"using token{E}[3C{S1}\n",
    f"api key:{E}[1C{S1}\n",
    f"token{E}[1C->{E}[1C{S1}\n",
    f"secret\x9b1C{S1}\n",
    f"{E}[32mpassword{E}[0m{E}[2C{E}[1m{S3}{E}[0m\n",
    # a table spaced by cursor-forward codes
    f"name{E}[4Csecret{E}[40Cregion\nprod{E}[4C{S1}{E}[4Ceu\nstage{E}[3C{S2}{E}[4Cus\n",
    f"NAME{E}[3CTOKEN\nweb{E}[4C{S1}\n",
]


@pytest.mark.parametrize("text", CURSOR_FORWARD)
def test_a_cursor_forward_code_reads_as_blanks(text: str) -> None:
    _check(text, [s for s in (S1, S2, S3) if s in text])


@pytest.mark.parametrize(
    "text",
    [
        f"credential{E}[1Cexpired yesterday\n",
        f"token{E}[5Crefresh scheduled\n",
        f"name{E}[4Cregion\nprod{E}[4Ceu-west-1\n",
    ],
)
def test_cursor_forward_prose_is_kept(text: str) -> None:
    _check(text, [], [text.split(E)[0]])
    from tests.redaction.test_contextual import R

    assert R.redact_text(text) == text


# --- one blank or comment line between a header and its rows ---------------------------------

GAP_TABLES = [
    f"name,secret,region\n\nprod,{S1},eu\nstage,{S2},us\n",
    f"name,secret,region\n# exported 2026-12-03\nprod,{S1},eu\n",
    f"name\tpassword\tregion\n-- 2 rows\nprod\t{S1}\teu\n",
    f"name|api_key|region\n// generated\nprod|{S1}|eu\n",
    f"name,token,region\r\n\r\nprod,{S1},eu\r\n",
    f"NAME   TOKEN{' ' * 40}REGION\n   \nweb    {S1}    eu\n",
    f"id;client_secret;team\n#\n1;{S3};core\n",
]


@pytest.mark.parametrize("text", GAP_TABLES)
def test_a_blank_or_comment_line_under_the_header_is_no_end(text: str) -> None:
    _check(text, [s for s in (S1, S2, S3) if s in text])


def test_only_one_gap_line_and_only_right_under_the_header() -> None:
    # Two blank lines, or a blank line after a row, still end the table.
    text = "name,secret,region\n\n\nnote,trailing words here,done\n"
    _check(text, [], ["trailing words here"])
    text = f"name,secret,region\nprod,{S1},eu\n\nnote,trailing words here,done\n"
    _check(text, [S1], ["trailing words here"])


# --- header names in other languages ---------------------------------------------------------

FOREIGN = [
    "Passwort",
    "Kennwort",
    "contraseña",
    "Contrasena",
    "mot de passe",
    "senha",
    "wachtwoord",
    "hasło",
    "lösenord",
    "passord",
    "salasana",
    "пароль",
    "Пароль",
    "токен",
    "密码",
    "密碼",
    "パスワード",
    "비밀번호",
]


@pytest.mark.parametrize("word", FOREIGN)
def test_a_header_naming_the_password_in_another_language(word: str) -> None:
    _check(f"Name,{word},Region\nprod,{S1},eu\nstage,{S2},us\n", [S1, S2])
    _check(f"Имя\t{word}\tРегион\nprod\t{S1}\teu\n", [S1])
    _check(f"| Nom | {word} |\n|---|---|\n| prod | {S1} |\n", [S1])


@pytest.mark.parametrize(
    "text",
    [
        "Name,Passwort geändert,Region\nprod,2026-12-01,eu\n",
        "Nombre,contraseña_pista,Región\nprod,el perro,eu\n",
        "Имя,Город\nprod,Москва\n",
    ],
)
def test_other_language_headers_that_name_no_secret_are_left_alone(text: str) -> None:
    _check(text, [], [text.splitlines()[1].split(",")[1]])


# --- columns one blank apart -----------------------------------------------------------------


def _sqlite(mode: str) -> str | None:
    if shutil.which("sqlite3") is None:
        return None
    sql = (
        "create table t(name text, password text, region text);"
        f"insert into t values('prod','{S1}','eu'),('stage','{S2}','us');"
    )
    return _run(
        ["sqlite3", "-header", "-cmd", f".mode {mode}", ":memory:", sql + "select * from t"]
    )


def _pandas() -> str | None:
    try:
        import pandas as pd
    except ImportError:
        return None
    rows = [{"name": "prod", "password": S1, "region": "eu"}]
    rows.append({"name": "stage", "password": S2, "region": "us"})
    return str(pd.DataFrame(rows).to_string()) + "\n"


def _column_one_blank() -> str | None:
    if shutil.which("column") is None:
        return None
    text = f"name password region\nprod {S1} eu\nstage {S2} us\n"
    return _run(["column", "-t", "-o", " "], text)


SPACED = [
    f"name password region\nprod {S1} eu\nstage {S2} us\n",
    f"NAME TOKEN\nweb {S1}\napi {S2}\n",
    f'"name" "secret" "region"\n"prod" "{S1}" "eu"\n',
    f"id user api_key created\n1 alice {S1} 2026-12-01\n2 bob {S2} 2026-12-02\n",
    "%-6s %-42s %s\n" % ("name", "password", "region")
    + "%-6s %-42s %s\n" % ("prod", S1, "eu")
    + "%-6s %-42s %s\n" % ("stage", S2, "us"),
    f"name  password{' ' * 33}region\nprod  {S1} eu\nstage {S2} us\n",
]


@pytest.mark.parametrize("text", SPACED)
def test_columns_one_blank_apart(text: str) -> None:
    _check(text, [S1, S2] if S2 in text else [S1])


@pytest.mark.parametrize("make", [lambda: _sqlite("tcl"), _pandas, _column_one_blank])
def test_columns_one_blank_apart_as_tools_print_them(make: object) -> None:
    text = make()  # type: ignore[operator]
    if text is None:
        pytest.skip("tool not installed")
    _check(text, [S1, S2])


@pytest.mark.parametrize(
    "text",
    [
        "Rotate the password every day\nthen check the logs again today\n",
        "name password region\nprod hunter two\n",
        "user token scope\nalice read write\n",
        "the secret garden\nby frances hodgson burnett\n",
    ],
)
def test_words_one_blank_apart_are_prose(text: str) -> None:
    from tests.redaction.test_contextual import R

    assert R.redact_text(text) == text


# --- git's word diff --------------------------------------------------------------------------


def _git_word_diff(before: str, after: str, name: str = "t.csv") -> str | None:
    if shutil.which("git") is None:
        return None
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        git = ["git", "-c", "user.email=a@b", "-c", "user.name=a", "-c", "core.hooksPath=/dev/null"]
        _run([*git, "init", "-q"], cwd=root)
        (root / name).write_text(before)
        _run([*git, "add", "."], cwd=root)
        _run([*git, "commit", "-qm", "x"], cwd=root)
        (root / name).write_text(after)
        return _run([*git, "diff", "--word-diff"], cwd=root)


WORD_DIFF = [
    f"name,secret,region\n[-prod,{S3},eu-]{{+prod,{S1},eu+}}\n",
    f"name\tpassword\tregion\n[-prod\t{S3}\teu-]{{+prod\t{S1}\teu+}}\n",
    f"name,secret,region\nprod,[-{S3}-]{{+{S1}+}},eu\n",
    f"token: [-{S3}-]{{+{S1}+}}\n",
    f"password=[-{S3}-]{{+{S1}+}}\n",
    f"api_key: {{+{S1}+}}\n",
    f"secret: [-{S1}-]\n",
]


@pytest.mark.parametrize("text", WORD_DIFF)
def test_git_word_diff_rows_and_values(text: str) -> None:
    _check(text, [s for s in (S1, S3) if s in text])


def test_git_word_diff_as_git_prints_it() -> None:
    text = _git_word_diff(
        f"name,password,region\nprod,{S3},eu\n", f"name,password,region\nprod,{S1},eu\n"
    )
    if text is None:
        pytest.skip("git not installed")
    _check(text, [S1, S3])
    text = _git_word_diff(f"token: {S3}\n", f"token: {S1}\n", "c.env")
    assert text is not None
    _check(text, [S1, S3])


def test_word_diff_keeps_the_other_cells() -> None:
    text = f"name,secret,region\n[-prod,{S3},eu-west-1-]{{+stage,{S1},us-east-2+}}\n"
    _check(text, [S1, S3], ["[-prod,", "eu-west-1-]{+stage,", "us-east-2+}"])
    text = "name,region\n[-prod,eu-]{+prod,us+}\n"
    _check(text, [], [text])


# --- a bare "key" or "pwd" before key material ------------------------------------------------

KEY_WORDS = [
    f"loaded key {S1}\n",
    f"using key {S3}\n",
    f"generated key: {S1}\n",
    f"rotated key -> {S1}\n",
    f"new key {E}[32m{S1}{E}[0m\n",
    f"pwd {S1}\n",
    f"got pwd={S1}\n",
]


@pytest.mark.parametrize("text", KEY_WORDS)
def test_a_bare_key_or_pwd_after_a_verb(text: str) -> None:
    _check(text, [s for s in (S1, S3) if s in text])


@pytest.mark.parametrize(
    "text",
    [
        "loaded key file /etc/ssl/private/server.key\n",
        "cache key user:42:profile\n",
        "pwd /home/alice/projects\n",
        "using key rotation policy default\n",
        "primary key 3f2a\n",
    ],
)
def test_key_and_pwd_before_words_are_prose(text: str) -> None:
    from tests.redaction.test_contextual import R

    assert R.redact_text(text) == text


# --- an SQL insert naming its columns ----------------------------------------------------------

INSERTS = [
    f"INSERT INTO public.users (id, email, password) VALUES (1, 'a@b.example', '{S1}');\n",
    f"INSERT INTO `users` (`id`,`password`,`note`) VALUES (1,'{S1}','it''s'),(2,'{S2}','x\\'y');\n",
    f"INSERT INTO \"table\"(name,secret,region) VALUES('prod','{S1}','eu');\n",
    f"INSERT OR REPLACE INTO t(a, api_key) VALUES ('x', '{S1}');\n",
    f"insert into creds (token, name) values ('{S1}', 'n'), ('{S2}', NULL);\n",
    f"INSERT IGNORE INTO k (client_secret) VALUES ('{S3}');\n",
]


@pytest.mark.parametrize("text", INSERTS)
def test_an_sql_insert_naming_its_columns(text: str) -> None:
    _check(text, [s for s in (S1, S2, S3) if s in text])


def test_sqlite3_mode_insert_as_it_prints_it() -> None:
    text = _sqlite("insert")
    if text is None:
        pytest.skip("sqlite3 not installed")
    _check(text, [S1, S2], ["'prod'", "'eu'"])


@pytest.mark.parametrize(
    "text",
    [
        "INSERT INTO u (id, password_hash, password) VALUES (1, 'pbkdf2$abc', NULL);\n",
        "INSERT INTO t (name, token_count) VALUES ('prod', 42);\n",
        "INSERT INTO t (name, region) VALUES ('prod', 'eu-west-1');\n",
    ],
)
def test_inserts_without_a_secret_value_are_kept(text: str) -> None:
    from tests.redaction.test_contextual import R

    assert R.redact_text(text) == text


# --- sqlite3's .mode ascii (0x1F between cells, 0x1E after records) ---------------------------

ASCII_RECORDS = [
    f"name\x1fsecret\x1fregion\x1eprod\x1f{S1}\x1feu\x1estage\x1f{S2}\x1fus\x1e",
    f"password\x1fname\x1e{S1}\x1fprod\x1e",
    f"id\x1fuser\x1fapi_key\x1e1\x1falice\x1f{S1}\x1e2\x1fbob\x1f{S2}\x1e\n",
    f"before\nname\x1ftoken\x1ex\x1f{S1}\x1e\nafter\n",
    f"name\x1fclient_secret\x1eprod\x1f{S3}",
]


@pytest.mark.parametrize("text", ASCII_RECORDS)
def test_ascii_unit_and_record_separators(text: str) -> None:
    _check(text, [s for s in (S1, S2, S3) if s in text])


def test_sqlite3_mode_ascii_as_it_prints_it() -> None:
    text = _sqlite("ascii")
    if text is None:
        pytest.skip("sqlite3 not installed")
    _check(text, [S1, S2], ["prod", "stage"])


# --- header-less record lines: a secret's name, then its values ----------------------------------


def _pandas_transposed() -> str | None:
    try:
        import pandas as pd
    except ImportError:
        return None
    rows = [{"name": "prod", "password": S1, "region": "eu"}]
    rows.append({"name": "stage", "password": S2, "region": "us"})
    return str(pd.DataFrame(rows).T.to_string()) + "\n"


RECORD_LINES = [
    f"password  {S1}  {S2}\n",
    f"SECRETS\tprod\t{S1}\teu\n",
    f"  client_secret        {S3}\n",
    f"api_key:    {S1}    shared-credentials-file\n",
    f"name      prod\npassword  {S1}\nregion    eu\n",
    f"Token\t{S1}\n",
]


@pytest.mark.parametrize("text", RECORD_LINES)
def test_a_record_line_naming_its_secret_first(text: str) -> None:
    _check(text, [s for s in (S1, S2, S3) if s in text])


def test_a_transposed_frame_as_pandas_prints_it() -> None:
    text = _pandas_transposed()
    if text is None:
        pytest.skip("pandas not installed")
    _check(text, [S1, S2], ["prod", "stage"])


@pytest.mark.parametrize(
    "text",
    [
        "password  reset by admin  yesterday\n",
        "token     expired\n",
        "secret    ${VAULT_SECRET}\n",
        "api_key   <your-key-here>\n",
        "password_hint  c92P2+zHd3OC2pYwL82DeaGdyy8Yck0kF4nP47Gi\n",
    ],
)
def test_record_lines_without_key_material_are_kept(text: str) -> None:
    from tests.redaction.test_contextual import R

    assert R.redact_text(text) == text


# --- git's colour word diff (old words red, new words green) -----------------------------------

COLOUR_WORD_DIFF = [
    f"name,secret,region{E}[m\n{E}[31mprod,{S3},eu{E}[m{E}[32mprod,{S1},eu{E}[m\n",
    f"name\tpassword\tregion\n{E}[31mprod\t{S3}\teu{E}[m{E}[32mprod\t{S1}\teu{E}[m\n",
    f"name,token\n{E}[31mweb,{S3}{E}[m{E}[32mweb,{S1}{E}[m\n{E}[31mapi,{S2}{E}[m{E}[32mapi,{S1}{E}[m\n",
    f"name|api_key|owner\n{E}[31mprod|{S3}|alice{E}[m{E}[32mprod|{S1}|bob{E}[m\n",
    f"name,secret,region\nprod,{E}[31m{S3}{E}[m{E}[32m{S1}{E}[m,eu\n",
    f"id;client_secret\n{E}[32m1;{S1}{E}[m\n",
]


@pytest.mark.parametrize("text", COLOUR_WORD_DIFF)
def test_git_colour_word_diff_rows(text: str) -> None:
    _check(text, [s for s in (S1, S2, S3) if s in text])


def test_git_colour_word_diff_as_git_prints_it() -> None:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        git = ["git", "-c", "user.email=a@b", "-c", "user.name=a", "-c", "core.hooksPath=/dev/null"]
        _run([*git, "init", "-q"], cwd=root)
        (root / "t.csv").write_text(f"name,password,region\nprod,{S3},eu\n")
        _run([*git, "add", "."], cwd=root)
        _run([*git, "commit", "-qm", "x"], cwd=root)
        (root / "t.csv").write_text(f"name,password,region\nprod,{S1},eu\n")
        text = _run([*git, "diff", "--word-diff=color", "--color=always"], cwd=root)
    _check(text, [S1, S3], ["prod", "eu"])


# --- MediaWiki tables with one cell per line -----------------------------------------------------

WIKI = [
    f'{{| class="wikitable"\n|-\n! name\n! secret\n! region\n|-\n| prod\n| {S1}\n| eu\n|-\n| stage\n| {S2}\n| us\n|}}\n',
    f"{{|\n! name\n! password\n|-\n| prod\n| {S1}\n|}}\n",
    f'{{| class="wikitable sortable"\n|+ Credentials\n! scope="col" | name\n! scope="col" | api_key\n|-\n| web\n| style="color:red" | {S1}\n|}}\n',
    f"{{|\n! name !! token\n|-\n| web\n| {S1}\n|-\n| api || {S2}\n|}}\n",
    f"  {{|\n  ! id\n  ! client_secret\n  |-\n  | 1\n  | {S3}\n  |}}\n",
    f"{{|\n! name\n! secret\n|-\n| prod\n| {S1}\n|}}\nafter the table: {S1[:5]}\n",
]


@pytest.mark.parametrize("text", WIKI)
def test_mediawiki_one_cell_per_line(text: str) -> None:
    _check(text, [s for s in (S1, S2, S3) if s in text])


@pytest.mark.parametrize(
    "text",
    [
        "{|\n! name\n! region\n|-\n| prod\n| eu-west-1\n|}\n",
        "{|\n! name\n! secret\n|-\n| prod\n| ${SECRET}\n|}\n",
        "{|\n! name\n! secret\n\n| prod\n| not a row\n",
    ],
)
def test_mediawiki_tables_without_a_secret_value_are_kept(text: str) -> None:
    from tests.redaction.test_contextual import R

    assert R.redact_text(text) == text


def test_a_spaced_table_ends_at_a_line_of_another_word_count() -> None:
    # Prose under a line of names: read as rows only while lines have as many words (or one
    # more); the first other line ends the table, so later key material under the same column
    # position is not a cell.
    text = (
        f"name password region\nprod {S1} eu\nthis line has more words than the header\nx {S2} y\n"
    )
    _check(text, [S1], [S2])
    # ...and a next line of another word count opens no table at all.
    from tests.redaction.test_contextual import R

    text = f"name password region\nhere the words run on\nprod {S1} eu\n"
    assert "column-secret" not in R.redact_text(text)
