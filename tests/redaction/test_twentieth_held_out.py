# ruff: noqa: RUF001  (box-drawing characters are the point)
"""Twentieth held-out contextual pass (issue 18, ctx20): the classes the twentieth generator
(``tests/redaction/twentieth_variations.py``) found, each with many draws and clean controls,
every case whole, by the pure-Python engine and streamed at 7, 64 and 4,096 bytes (``HeldOut``):

- an other-language name (``pat``, ``clave``, ``Passwort``) as a bare setting name padded to a
  column before or after its separator (``PAT             = <key>``), a whole word only; a name
  in another script (``пароль``, ``密码``) in any of these forms;
- a name ending its line over its value alone on the next, indented line (a YAML/describe
  ``client-secret:`` over ``    <key>``; a row's last cell ``Access Token`` over ``    <key>``);
- a header of two rows whose first row's word completes a column's name (pandas' two levels,
  ``apiKey`` over ``value``, ``credentials`` over ``token``; a name wrapped in its column,
  ``mot`` over ``de passe``), streamed too;
- ``aws … --output table`` records in doubled bars and a name cell touching its bar;
- a Markdown table without outer bars read as one under a line prefix (``AGE | `` taken for
  docker compose's), its rows lost when their first cell had another length;
- over-masking: Markdown alignment cells, ``not set`` (a cell, and ``token=not set``), a placeholder in a code span, a bare
  ``REDACTED`` record, a JSONPath (``custom-columns=PASSWORD:.data.password``), a mapping's next
  name under a one-column table (``credentials:`` / ``id:`` / ``<uuid>``).
"""

from __future__ import annotations

import random
import re

import pytest

from tests.redaction import twentieth_variations as gen
from tests.redaction.held_out import HeldOut

H = HeldOut(sizes=(7, 64, 4096))


def _draws(seed: str, n: int) -> list[random.Random]:
    return [random.Random(f"ctx20-test:{seed}:{i}") for i in range(n)]


# --- pat (and other-language names) padded to a column ----------------------------------------

_PAD_NAMES = ["PAT", "pat", "Pat", "clave", "Passwort", "PASSWORT", "contraseña", "jelszó"]


@pytest.mark.parametrize("sep", ["= ", ": ", "=", ":"])
def test_padded_other_language_name_masked(sep: str) -> None:
    for rnd in _draws(f"pad:{sep}", 16):
        name = rnd.choice(_PAD_NAMES)
        v = gen.key(rnd)
        text = f"USER            ci\n{name}{' ' * rnd.randrange(5, 20)}{sep}{v}\nPORT   443\n"
        H.masked(text, [v])
        # (After the separator too: ``pat =`` then a tab stop.)
        H.masked(f"{name} ={' ' * rnd.randrange(5, 20)}{v}\n", [v])


def test_padded_pat_whole_word_and_placeholders_unchanged() -> None:
    rnd = random.Random("ctx20:pat-clean")
    v = gen.key(rnd)
    for line in [
        "path            = /usr/local/lib/ledger/3f2a9c1d0b7e",
        "pattern         = ^[a-z0-9_-]{3,16}$",
        f"spat            = {v}",
        f"patch           = {v}",
        "PAT             = ********",
        "PAT             = ${GITHUB_PAT}",
        "Pat             = my-personal-token",
        "PAT             = <redacted>",
    ]:
        H.unchanged(line + "\n")


# (Names in another script: the generic rules read ASCII names only, so ``пароль = <key>`` and
# ``密码  <key>`` leaked in every form.)
_SCRIPT_NAMES = ["пароль", "密码", "ключ", "κωδικός", "токен", "hasło", "パスワード"]


@pytest.mark.parametrize("sep", [" = ", ": ", "=", "  ", "\t"])
def test_other_script_setting_names_masked(sep: str) -> None:
    for rnd in _draws(f"script:{sep!r}", 8):
        v = gen.key(rnd)
        H.masked(f"{rnd.choice(_SCRIPT_NAMES)}{sep}{v}\n", [v])


def test_other_script_names_clean_unchanged() -> None:
    for text in ["ключ = значение", "ключ: abc", "токен  истёк", "пароль = ********",
                 "ключ = 3f2a9c1d0b7e", "пароль: ${DB_PASSWORD}", "密码 = <redacted>"]:  # fmt: skip
        H.unchanged(text + "\n")


def test_not_set_note_unchanged() -> None:
    for text in [
        "ts=2026-12-05T23:53:00Z level=info X-Api-Token=not set msg=ok",
        "token: not configured",
        "  \x1b[36mX-Api-Token\x1b[0m: not\x1b[1m set\x1b[m",
        '{"msg": "using X-Api-Token=not set for upstream"}',
        "api_key=never provided",
    ]:
        H.unchanged(text + "\n")
    H.masked("password=not-set-9Zt2qLm4\n", ["not-set-9Zt2qLm4"])


# --- a name ending its line over its value on the next, indented line --------------------------


def test_name_over_indented_value_masked() -> None:
    for rnd in _draws("over", 40):
        v = gen.key(rnd)
        name = rnd.choice(gen.HEADERS[:-1] + ["client_secret", "DB_PASSWORD", "mot_de_passe"])
        while name == "private_key_id":
            name = rnd.choice(gen.HEADERS)
        ind = " " * rnd.randrange(2, 7)
        form = rnd.randrange(3)
        if form == 0:
            text = f"spec:\n  {name}:\n  {ind}{v}\n  region: eu-west-1\n"
        elif form == 1:
            text = f"Name:{ind}api\n{name}:\n{ind}{v}\nCreated:{ind}2026-12-05\n"
        else:
            text = f"ledger  eu-west-1  2026-12-05  {name}\n{ind}{v}\n"
        H.masked(text, [v])


def test_name_over_indented_value_clean_unchanged() -> None:
    for rnd in _draws("over-clean", 20):
        uid = gen.uuid(rnd)
        for text in [
            f"credentials:\n  id:\n    {uid}\n  region: eu-west-1\n",
            f"credentials:\n  request-id:\n    {uid}\n",
            f"ledger  eu-west-1  commit\n    {gen.hexid(rnd)}\n",
            "spec:\n  token:\n    ${API_TOKEN}\n  secretStoreRef:\n    name: vault-backend\n",
            "spec:\n  password:\n    ********\n",
            f"metadata:\n  private_key_id:\n    {gen.hexid(rnd)}\n",
        ]:
            H.unchanged(text)


# --- a header of two rows ------------------------------------------------------------------------


def _pandas_two_levels(rnd: random.Random, top: str, bottom: str, vals: list[str]) -> str:
    head = [("AGE", lambda: f"{rnd.randrange(1, 90)}d"), ("NAME", lambda: rnd.choice(gen._NAMES))]
    pos = rnd.randrange(3)
    names = [h for h, _ in head]
    names.insert(pos, bottom)
    rows = []
    for v in vals:
        r = [f() for _, f in head]
        r.insert(pos, v)
        rows.append(r)
    ws = [max(len(x[c]) for x in [names, *rows] + [[top] * 3]) for c in range(3)]
    l1 = ["  ".join((top if i == pos else "").rjust(w) for i, w in enumerate(ws))]
    l2 = ["  ".join(n.rjust(w) for n, w in zip(names, ws, strict=True))]
    body = [f"{i:<3}" + "  ".join(c.rjust(w) for c, w in zip(r, ws, strict=True)) for i, r in
            enumerate(rows)]  # fmt: skip
    return "\n".join(["   " + l1[0], "   " + l2[0], *body]) + "\n"


@pytest.mark.parametrize(
    ("top", "bottom"),
    [("apiKey", "value"), ("secret", "token"), ("credentials", "token"), ("db.password", "value"),
     ("refreshToken", "value"), ("contraseña", "value"), ("meta", "authToken")],
)  # fmt: skip
def test_two_row_header_masked(top: str, bottom: str) -> None:
    for rnd in _draws(f"two:{top}", 6):
        vals = [gen.key(rnd) for _ in range(rnd.randrange(1, 4))]
        H.masked(_pandas_two_levels(rnd, top, bottom, vals), vals)
        # (Left-aligned, the first row a word over its column.)
        w = max(len(x) for x in [*vals, bottom]) + 2
        text = f"{top}\n{bottom.ljust(w)}NAME      STATUS\n" + "".join(
            f"{v.ljust(w)}ingest    Active\n" for v in vals
        )
        H.masked(text, vals)


@pytest.mark.parametrize(("top", "bottom"), [("mot", "de passe"), ("API", "Token"),
                                           ("client", "secret"), ("access", "key")])  # fmt: skip
def test_header_name_wrapped_in_its_column_masked(top: str, bottom: str) -> None:
    # (The first row is no header candidate: read from the second, ``_group_under``.)
    for rnd in _draws(f"wrapped-name:{top}", 8):
        vals = [gen.key(rnd) for _ in range(rnd.randrange(1, 4))]
        w = max(len(v) for v in vals) + 2
        lead = rnd.choice(["STATUS  CREATED     ", "NAME      "])
        pad = " " * len(lead)
        rows = "".join(f"{'Active  2026-11-16  ' if 'ST' in lead else 'ingest    '}{v}\n"
                       for v in vals)  # fmt: skip
        if "ST" in lead:
            pad = " " * len("Active  2026-11-16  ")
            lead = "STATUS  CREATED     "
        text = f"{pad}{top}\n{lead}{bottom.ljust(w)}\n{rows}"
        H.masked(text, vals)
        H.masked(_pandas_two_levels(rnd, top, bottom, vals), vals)


def test_two_row_header_clean_unchanged() -> None:
    for rnd in _draws("two-clean", 6):
        for top, bottom, make in [("meta", "commit", gen.hexid), ("git", "sha", gen.hexid),
                                  ("request", "id", gen.uuid), ("meta", "uid", gen.uuid)]:  # fmt: skip
            v = make(rnd)
            H.unchanged(_pandas_two_levels(rnd, top, bottom, [v, v]))


# --- aws --output table records, a name cell touching its bar ----------------------------------


def test_aws_record_and_touching_bar_masked() -> None:
    for rnd in _draws("aws", 30):
        v = gen.key(rnd)
        name = rnd.choice(["X-Api-Token", "Access Token", "x-auth-token", "SecretAccessKey",
                           "mot_de_passe", "client_secret", "pat"])  # fmt: skip
        kw = len(name) + rnd.choice([0, 1, 3])
        rec = (
            f"|+{'-' * (kw + 2)}+{'-' * (len(v) + 2)}+|\n"
            f"||  {'Status'.ljust(kw)}|  {'Active'.ljust(len(v))}||\n"
            f"||  {name.ljust(kw)}|  {v}||\n"
            f"|+{'-' * (kw + 2)}+{'-' * (len(v) + 2)}+|\n"
        )
        H.masked(rec, [v])
        H.masked(f"| {name}| {v} |\n", [v])


def test_aws_record_placeholders_unchanged() -> None:
    for ph in ["REDACTED", "[REDACTED]", "<redacted>", "****", "(sensitive)"]:
        H.unchanged(
            "|+-------------+---------------------------+|\n"
            "||  Status     |  Active                   ||\n"
            f"||  X-Api-Token|  {ph.ljust(25)}||\n"
            "||  UserName   |  worker                   ||\n"
            "||  CreateDate |  2026-12-05T23:01:02+00:00||\n"
            "|+-------------+---------------------------+|\n"
        )


def test_markdown_without_outer_bars_first_cells_of_any_length() -> None:
    # (Read as ``refreshToken | NAME`` under a 6-byte prefix ``AGE | `` before: rows whose
    # first cell was not 3 characters long were lost.)
    for rnd in _draws("md-prefix", 20):
        v = gen.key(rnd)
        name = rnd.choice(["`refreshToken`", "token", "**apiKey**", "X-Api-Token"])
        first = rnd.choice(["1d", "12d", "123d", "x", "eu-west-1"])
        text = f"AGE | {name} | NAME\n--- | --- | ---:\n{first} | {v} | worker\n"
        H.masked(text, [v])
    H.masked(
        "web-1  |  id | secret\nweb-1  | ----+----\nweb-1  |  1 | wl2BXyswovew5wHjpk6oeA21yN7a\n",
        ["wl2BXyswovew5wHjpk6oeA21yN7a"],
    )


# --- over-masking: Markdown alignment, placeholders, JSONPath ----------------------------------


@pytest.mark.parametrize("outer", [True, False])
def test_markdown_alignment_and_placeholders_unchanged(outer: bool) -> None:
    for rnd in _draws(f"md:{outer}", 12):
        al = [rnd.choice([":---", ":---:", "---:", "---"]) for _ in range(3)]
        ph = rnd.choice(["not set", "`<set>`", "`${TOKEN}`", "`(sensitive)`", "-", "unset",
                         "not configured", "REDACTED"])  # fmt: skip
        name = rnd.choice(["X-Api-Token", "`apiKey`", "**password**", "token"])
        rows = [["NAME", "AGE", name], al, ["web", "3d", ph], ["api", "9d", ph]]

        def line(cells: list[str]) -> str:
            s = " | ".join(cells)
            return f"| {s} |" if outer else s  # noqa: B023

        H.unchanged("\n".join(line(r) for r in rows) + "\n")


def test_jsonpath_is_no_value() -> None:
    for col in ["PASSWORD:.data.password", "X-API-TOKEN:.data.token", "TOKEN:{.data.token}",
                "SECRET:.data.api-key", "password:$.data.password"]:  # fmt: skip
        H.unchanged(
            f"$ kubectl get secret -o custom-columns=NAME:.metadata.name,{col}\nNAME   AGE\n"
        )
    rnd = random.Random("ctx20:jsonpath")
    v = gen.key(rnd)
    H.masked(f"PASSWORD:{v}\n", [v])


# --- the generator: a never-tuned draw (7), every family ----------------------------------------

# The open shapes (docs/redaction.md, twentieth pass): ``private_key_id`` names a key's id (kept
# as an id, as ``SECRETKEYID`` is), ``pat`` one blank after the column before it, ``DATA.PAT``.
_OPEN = re.compile(r"(?i)private.{0,30}key.{0,30}id|private\s*\n|DATA\.PAT| pat\n| pat  ")
_CASES = list(gen.cases(draw=7, n=6))


@pytest.mark.parametrize("shape", list(gen.SHAPES))
def test_generator_never_tuned_draw(shape: str) -> None:
    for c in _CASES:
        if c.shape.removesuffix("_clean") != shape:
            continue
        if c.secrets:
            if _OPEN.search(c.text):
                H.outs(c.text)  # (engines and streams agree even where it leaks)
            else:
                H.masked(c.text, c.secrets)
        else:
            H.unchanged(c.text)
