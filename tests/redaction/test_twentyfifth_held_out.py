# ruff: noqa: RUF001  (box-drawing and other-script characters are the point)
"""Twenty-fifth held-out contextual pass (issue 18, ctx25): the classes the twenty-fifth generator
(``tests/redaction/twentyfifth_variations.py``) found, each over several variations with clean
controls, every case whole, by the pure-Python engine, streamed at 7, 64 and 4,096 bytes, line by
line and in random chunks:

- markup standing for terminal codes between a credential word and its value or in a header:
  ``man``'s overstrikes, ``cat -v``'s caret notation and ``^M``, HTML converters' ``<span>``
  tags, tmux's passthrough (``redaction/markup.py``);
- cursor moves to a row and column (``ESC[r;cH``/``f``), a column or row alone, the next tab stop,
  read as a separator;
- psql's ``\\pset format`` troff-ms (``\\fI…\\fP``, tbl's ``_`` rule), asciidoc (``^l|name``) and
  latex-longtable (``\\small\\textbf{\\textit{…}}``, ``\\raggedright{…}``, ``\\tabularnewline``);
- tables inside CRI (``<ts> stdout F``), syslog (``<ts> host app[pid]:``) and docker json-file
  (``{"log":"…\\n",…}``) log records;
- other-language key names qualified after or before the word (``API-Schlüssel``, ``Clé API``,
  ``APIキー``, ``Token de acceso``); node's ``console.table`` ``(index)`` column;
- the wrapped rest of a secret column's value on its own line (sqlite3 ``--wrap``), R's
  right-aligned columns one blank apart (``data.frame``, ``data.table``).
"""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.redaction import twentyfifth_variations as gen
from tests.redaction.held_out import SLOW, HeldOut, R

H = HeldOut(sizes=(7, 64, 4096))
E = "\x1b"


def _outs(text: str) -> list[bytes]:
    """Every mode's output; each must be the whole one's (pure-Python: the same bytes)."""
    (whole,) = H.outs(text)
    data = text.encode()
    assert gen._stream_lines(R, data) == whole
    assert gen._stream_random(R, data, text) == whole
    assert SLOW.redact_bytes(data) == whole
    return [whole]


def masked(text: str, secrets: list[str]) -> None:
    (whole,) = _outs(text)
    assert not gen.leaked(whole, secrets), whole.decode(errors="replace")


def unchanged(text: str) -> None:
    (whole,) = _outs(text)
    assert whole == text.encode(), whole.decode(errors="replace")


def _keys(seed: str, n: int) -> list[str]:
    rnd = random.Random(f"ctx25-test:{seed}")
    return [gen.secret(rnd) for _ in range(n)]


def _bold(s: str) -> str:
    return "".join(f"{c}\b{c}" if c != " " else c for c in s)


def _under(s: str) -> str:
    return "".join(f"_\b{c}" if c != " " else c for c in s)


# --- markup between a credential word and its value ----------------------------------------------


@pytest.mark.parametrize(
    "tpl",
    [
        "     {b}: {v}\n",
        "{B}  {v}\n",
        "       {u}\n              {v}\n",
        "{B} = {v}\n",
        "^[[1m{w}^[[0m: ^[[32m{v}^[[0m\n",
        "^[[33m{w}^[[m {v}\n",
        "loaded {w} ^[[36m{v}^[[39m\n",
        '<span style="font-weight:bold;">{w}</span>: <span style="color:green;">{v}</span>\n',
        '<span class="ansi1">{w}</span><span class="ansi1">:</span> <span class="ansi32">{v}</span>\n',
        '<span class="term-fg33">{w}</span> <span class="term-fg32 term-fg1">{v}</span>\n',
        '<span class="r1">{w}</span><span class="r2">=</span><span class="r3">{v}</span>\n',
        "{w}: \x1bPtmux;\x1b\x1b]0;deploy\x07\x1b\\{v}\n",
        "\x1b[1m{w}\x1b[0m\x1bPtmux;\x1b\x1b]2;x\x07\x1b\\: {v}\n",
        "{w}\x1b[27;20H{v}\r\n",
        "{w}\x1b[8;25f{v}\r\n",
        "{w}:\x1b[19`{v}\r\n",
        "{w}\x1b[2I{v}\n",
        "{w}\x1b[12d\x1b[19G{v}\n",
        "{w}\x1b[?25l\x1b[19;12H\x1b[?25h{v}\n",
        "\x1b[?25l\x1b[4;1H{w}:\x1b[4;20H{v}\x1b[K\x1b[?25h\r\n",
    ],
)
def test_markup_and_moves_between_word_and_value(tpl: str) -> None:
    for w, v in zip(("token", "Password", "client secret"), _keys(tpl, 3), strict=True):
        text = tpl.format(w=w, v=v, b=_bold(w), B=_bold(w.upper()), u=_under(w))
        masked(f"[info] starting\n{text}[info] done\n", [v])


@pytest.mark.parametrize(
    "text",
    [
        f"     {_under('trace_id')}:  e7e2bb358e5a0f727d4734348b56a623\n",
        f"{_bold('REQUEST ID')}: 987f0e23-eb5b-4b7a-a006-e111a64325cd\n",
        f"     {_bold('checksum')}:  a271b4af8e7d07dcdcdec1a76af11108cebb6533cfffee14b7966c761276b78f\n",
        "^[[33mpayload^[[m = SrgKwwHT4Jq6plbu33Doj8tL95j8bWmOZL1nvqMJ/wwT\n",
        "^[[1;34mAPI_KEY:^[[0m^[[K $DB_PASSWORD^M\n",
        '<span class="ansi1">commit</span> <span class="ansi33">3f2a9c1d4e5b6a7980f1e2d3c4b5a69788f9e0d1</span>\n',
        "commit\x1b[27;20H3f2a9c1d4e5b6a7980f1e2d3c4b5a69788f9e0d1\r\n",
        "\x1b[H\x1b[2Jdigest\x1b[3;10Hsha256:" + "ab" * 32 + "\n",
        "see ESC[, ^[[ and ^M in the docs; <span>token</span> is a word\n",
        "a\bb tests pass; ^[[1mok^[[0m\n",
    ],
)
def test_markup_clean(text: str) -> None:
    unchanged(text)


def test_markup_headers() -> None:
    v1, v2 = _keys("hdr", 2)
    masked(
        f"{_bold('name')}      {_bold('client_secret')}                             {_bold('id')}\n"
        f"auth-svc  {v1}  1\nweb       {v2}  2\n",
        [v1, v2],
    )
    masked(
        f"^[[1maccess_token^[[0m                              ^[[1mid^[[0m\n{v1}  1\n{v2}  2\n",
        [v1, v2],
    )
    masked(
        '<pre>\n<span style="font-weight:bold;">owner</span>  '
        '<span style="font-weight:bold;">api_token</span>\n'
        f"alice  {v1}\nbob    {v2}\n</pre>\n",
        [v1, v2],
    )
    unchanged(
        f"{_bold('name')}  {_bold('commit')}\nweb   3f2a9c1d4e5b6a7980f1e2d3c4b5a69788f9e0d1\n"
    )


# --- psql's other formats -------------------------------------------------------------------------


def test_psql_troff_asciidoc_longtable() -> None:
    for v in _keys("psql", 3):
        masked(
            ".LP\n.TS\ncenter;\nl | l | l.\n\\fIenv\\fP\t\\fIwebhook_secret\\fP\t\\fIowner\\fP\n_\n"
            f"dev\t{v}\tops\n.TE\n.DS L\n(1 row)\n.DE\n",
            [v],
        )
        masked(
            '[options="header",cols="<l,<l",frame="none"]\n|====\n^l|secret ^l|env\n'
            f"|{v} |dev\n|====\n",
            [v],
        )
        ve = v.replace("_", "\\_")
        masked(
            "\\begin{longtable}{ll}\n\\small\\textbf{\\textit{db\\_password}} & "
            "\\small\\textbf{\\textit{owner}} \\\\\n\\midrule\n\\endfirsthead\n"
            f"\\raggedright{{{ve}}} & \\raggedright{{alice}} \\tabularnewline\n\\end{{longtable}}\n",
            [ve],
        )


def test_psql_formats_clean() -> None:
    h = "869f4dd1a108698593fd140959e60948a962dd51c3c6b7c964f876a923689176"
    unchanged(f".TS\ncenter;\nl | l.\n\\fIregion\\fP\t\\fIchecksum\\fP\n_\neu-west-1\t{h}\n.TE\n")
    unchanged(
        "\\begin{longtable}{ll}\n\\small\\textbf{\\textit{webhook\\_secret}} & "
        "\\small\\textbf{\\textit{owner}} \\\\\n\\midrule\n\\endfirsthead\n"
        "\\raggedright{(sensitive)} & \\raggedright{alice} \\tabularnewline\n"
        "\\raggedright{<your-api-key>} & \\raggedright{ci-bot} \\tabularnewline\n"
        "\\end{longtable}\n"
    )
    unchanged("|====\n^l|secret ^l|env\n|******** |dev\n|====\n")


# --- tables inside log records ----------------------------------------------------------------------


def test_tables_in_log_records() -> None:
    for v in _keys("logs", 3):
        ts = "2026-12-06T10:11:20.123456789Z"
        masked(f"{ts} stdout F env   refresh_token\n{ts} stdout F prod  {v}\n", [v])
        masked(
            f"{ts} stderr F | created    | private_token |\n{ts} stderr F | 2026-10-11 | {v} |\n",
            [v],
        )
        sl = "2026-12-06T10:50:21+0000 web-01 app[6676]: "
        masked(f"{sl}api_token   name\n{sl}{v}  auth-svc\n", [v])
        masked(f"{sl}region     token\n{sl}us-east-1  {v}\n", [v])
        rec = [
            json.dumps({"log": line + "\n", "stream": "stdout", "time": ts})
            for line in ("secret_key  region", f"{v}  us-east-1")
        ]
        masked("\n".join(rec) + "\n", [v])
        n = len(v)
        rec = [
            json.dumps({"log": line + "\n", "stream": "stdout", "time": ts}, separators=(",", ":"))
            for line in (
                f"+{'-' * (n + 2)}+-------+",
                f"| {'webhook_secret':{n}} | owner |",
                f"| {v} | ops   |",
            )
        ]
        masked("\n".join(rec) + "\n", [v])


def test_tables_in_log_records_clean() -> None:
    ts = "2026-12-06T10:11:20.123456789Z"
    u = "987f0e23-eb5b-4b7a-a006-e111a64325cd"
    unchanged(f"{ts} stdout F env   request_id\n{ts} stdout F prod  {u}\n")
    unchanged(f"{ts} stdout F env   token\n{ts} stdout F prod  <redacted>\n")
    rec = [
        json.dumps({"log": line + "\n", "stream": "stdout", "time": ts})
        for line in ("commit  region", "3f2a9c1d4e5b6a7980f1e2d3c4b5a69788f9e0d1  us-east-1")
    ]
    unchanged("\n".join(rec) + "\n")


# --- header names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "API-Schlüssel",
        "Geheimer Schlüssel",
        "Clé API",
        "Clé secrète",
        "APIキー",
        "Token de acceso",
        "Chiave API",
        "Clave secreta",
    ],  # fmt: skip
)
def test_qualified_other_language_key_names(name: str) -> None:
    v1, v2 = _keys(name, 2)
    masked(f"created\tregion\t{name}\towner\n2026-11-19\tus-east-1\t{v1}\talice\n", [v1])
    masked(f"| {name} | id |\n|:---|:---|\n| {v2} | 1 |\n", [v2])
    unchanged(f"{name}\tid\n<redacted>\t1\n")


def test_console_table_index_column() -> None:
    for v in _keys("console", 3):
        w = len(v) + 2
        masked(
            f"┌─────────┬{'─' * (w + 2)}┬─────────┐\n"
            f"│ (index) │ {'token'.center(w)} │  owner  │\n"
            f"├─────────┼{'─' * (w + 2)}┼─────────┤\n"
            f"│    0    │ '{v}' │ 'alice' │\n"
            f"└─────────┴{'─' * (w + 2)}┴─────────┘\n",
            [v],
        )
    h = "3f2a9c1d4e5b6a7980f1e2d3c4b5a69788f9e0d1"
    unchanged(
        "┌─────────┬────────────────────────────────────────────┐\n"
        "│ (index) │                   commit                   │\n"
        "├─────────┼────────────────────────────────────────────┤\n"
        f"│    0    │ '{h}' │\n"
        "└─────────┴────────────────────────────────────────────┘\n"
    )


# --- wrapped cells, R's columns ------------------------------------------------------------------------


def test_wrapped_rest_of_a_secret_cell() -> None:
    for v in _keys("wrap", 4):
        a, b = v[:20], v[20:]
        if len(b) < 4:
            continue
        masked(
            f"name  owner  api_token\n----  -----  --------------------\ncron  alice  {a}\n"
            f"             {b}\n",
            [a, b],
        )
        masked(
            f"access_token          region      owner\n--------------------  ----------  -----\n"
            f"{a}  ap-south-1  bob\n{b}\n",
            [a, b],
        )


def test_wrapped_rest_clean() -> None:
    unchanged(
        "token                 region\n--------------------  ----------\n<redacted>            eu-west-1\n"
        "sqlite> SELECT 1;\n(3 rows)\nworker\n"
    )
    unchanged(
        "name  commit\n----  --------------------\nweb   3f2a9c1d4e5b6a7980f1\n      e2d3c4b5a69788f9e0d1\n"
    )


def test_r_frames_right_aligned_one_blank() -> None:
    for v, w in zip(_keys("rdf", 3), _keys("rdf2", 3), strict=True):
        n = max(len(v), len(w))
        masked(
            f"> creds\n      env {'auth_token'.rjust(n)}\n1     dev {v.rjust(n)}\n"
            f"2 staging {w.rjust(n)}\n",
            [v, w],
        )
        masked(
            f"> dt\n {'refresh_token'.rjust(n + 2)}    created\n1: {v.rjust(n)} 2026-11-17\n", [v]
        )
    u = "987f0e23-eb5b-4b7a-a006-e111a64325cd"
    unchanged(f"> df\n      env {'request_id'.rjust(len(u))}\n1     dev {u}\n2 staging {u}\n")


# --- the generator's families with no open shape (the others' clean cases): draws 100-149 ----------

_OPEN = ("sqlite_wrap", "frames_langs", "container_logs", "i18n_headers", "caret_codes")
_CLOSED = [f for f in gen.SHAPES if f not in _OPEN]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(list(gen.SHAPES)), st.integers(0, 29), st.integers(100, 149), st.booleans())
def test_generated(shape: str, i: int, draw: int, clean: bool) -> None:
    c = gen.one(shape, i, draw, clean or shape not in _CLOSED)
    if c.secrets:
        masked(c.text, c.secrets)
    else:
        unchanged(c.text)


# --- the never-tuned draw 7: its first three cases of each family with no open shape ---------------


@pytest.mark.parametrize("shape", _CLOSED)
def test_draw_seven(shape: str) -> None:
    for i in range(3):
        for clean in (False, True):
            c = gen.one(shape, i, gen.HELD_OUT_DRAW, clean)
            if c.secrets:
                masked(c.text, c.secrets)
            else:
                unchanged(c.text)
