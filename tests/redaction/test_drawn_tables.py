"""Tables drawn the way tools draw them: box-drawing characters (rich, tabulate's grids),
wiki markup (Jira, YouTrack, MediaWiki, Textile) and LaTeX. A column headed by a secret's name
masks the values below it, whole and streamed in pieces of any size, with and without colour
codes; box-drawn text that is no table (``tree``, a framed message) comes back unchanged.

The tables are rendered by the real libraries (tabulate, rich), not written by hand, so the
cases are the bytes those tools print.
"""

from __future__ import annotations

import base64
import io
import random
import zlib

import pytest
import rich.box
import tabulate
from rich.console import Console
from rich.table import Table

from tests.redaction.helpers import redactor, streamed

R = redactor()
SLOW = redactor(use_hyperscan=False)
HEADERS = (
    ("name", "secret", "region"),
    ("Service", "API Key"),
    ("id", "password"),
    ("user", "token", "created"),
    ("Name", "Client Secret", "Owner"),
)


def _secret(seed: int) -> str:
    rnd = random.Random(seed)
    return base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(30))).decode()


def _masked(text: str, secrets: list[str], pieces: int = 0) -> None:
    """Every secret (or, with ``pieces``, every piece of that length: a value wrapped over
    lines) is gone, whole and streamed, and the stream and the pure-Python engine agree."""
    data = text.encode()
    whole = R.redact_bytes(data)
    needles = (
        [v[j : j + pieces] for v in secrets for j in range(0, len(v) - pieces + 1, 6)]
        if pieces
        else secrets
    )
    leaked = [n for n in needles if n.encode() in whole]
    assert not leaked, whole.decode()
    assert SLOW.redact_bytes(data) == whole
    for size in (1, 7, 64, 4096):
        assert streamed(R, data, size) == whole, size


def _rows(headers: tuple[str, ...], seed: int) -> tuple[list[list[str]], list[str]]:
    column = next(
        i
        for i, h in enumerate(headers)
        if h.lower() in ("secret", "api key", "password", "token", "client secret")
    )
    secrets = [_secret(seed + i) for i in range(3)]
    rows = []
    for i, v in enumerate(secrets):
        row = [f"x{i}{j}" for j in range(len(headers))]
        row[column] = v
        rows.append(row)
    return rows, secrets


@pytest.mark.parametrize("fmt", tabulate.tabulate_formats)
@pytest.mark.parametrize("headers", HEADERS, ids=lambda h: "-".join(h))
def test_every_tabulate_format_masks_the_secret_column(fmt: str, headers: tuple[str, ...]) -> None:
    rows, secrets = _rows(headers, zlib.crc32(f"{fmt}|{headers}".encode()))
    text = "report:\n" + tabulate.tabulate(rows, headers=list(headers), tablefmt=fmt) + "\ndone\n"
    _masked(text, secrets)


_BOXES = ("ROUNDED", "SIMPLE", "MINIMAL", "HEAVY_HEAD", "ASCII", "MARKDOWN", "DOUBLE_EDGE")


@pytest.mark.parametrize("box", _BOXES)
@pytest.mark.parametrize("colour", [False, True])
@pytest.mark.parametrize("width", [50, 200])
@pytest.mark.parametrize("header", ["Secret", "API Key", "client_secret", "Token"])
def test_rich_tables_mask_the_secret_column_in_colour_and_wrapped(
    box: str, colour: bool, width: int, header: str
) -> None:
    table = Table(box=getattr(rich.box, box), header_style="bold magenta", show_lines=width < 100)
    table.add_column("Name")
    table.add_column(header, style="green")
    table.add_column("Region")
    secrets = [
        _secret(zlib.crc32(f"{box}|{colour}|{width}|{header}|{i}".encode())) for i in range(3)
    ]
    for i, v in enumerate(secrets):
        table.add_row(f"svc-{i}", v, "eu-west-1")
    out = io.StringIO()
    Console(
        file=out, force_terminal=colour, color_system="256" if colour else None, width=width
    ).print(table)
    # At width 50 rich wraps each value over two or three lines: every 12-character piece of
    # it must be gone.
    _masked(out.getvalue(), secrets, pieces=12)


@pytest.mark.parametrize(
    ("text", "secret_at"),
    [
        # Jira and YouTrack: "||" header cells, "|" row cells.
        ("|| env || api key ||\n| prod | {v} |\n", 0),
        ("||  host  ||  password  ||  port  ||\n|  db1  |  {v}  |  5432  |\n", 0),
        # MediaWiki: "!"/"!!" headers, "||" rows, "|-" between rows.
        ('{{| class="wikitable"\n! Name !! Token\n|-\n| ci || {v}\n|}}\n', 0),
        ("! Service !! Secret\n|-\n| web || {v}\n|-\n| api || {v}\n", 0),
        # Textile.
        ("|_. user |_. secret |\n|<. alice |>. {v} |\n", 0),
        ("|_. key |_. client_secret |_. note |\n| a | {v} | ok |\n", 0),
        # LaTeX, with booktabs rules and longtable marks between rows.
        ("\\begin{{tabular}}{{ll}}\n\\toprule\nname & secret \\\\\n\\midrule\nweb & {v} \\\\\n", 0),
        ("name & token & owner \\\\ \\hline\n\\endhead\nweb & {v} & ops \\\\\n", 0),
        # Box drawing with the header's cells padded to one space only.
        ("┌─────┬──────────┐\n│ id │ password │\n├─────┼──────────┤\n│ 1 │ {v} │\n", 0),
        ("║ host ║ secret ║\n╟──────╫────────╢\n║ a ║ {v} ║\n", 0),
    ],
)
def test_wiki_latex_and_box_tables_written_by_hand(text: str, secret_at: int) -> None:
    v = _secret(zlib.crc32(text.encode()) + secret_at)
    _masked(text.format(v=v), [v])


@pytest.mark.parametrize(
    "text",
    [
        ".\n├── secrets\n│   ├── token.txt\n│   └── api_key.json\n└── password_reset\n",
        "┌──────────────────────────┐\n│ secret rotation overdue  │\n│ token expires in 3 days  │\n"
        "└──────────────────────────┘\n",
        "╭─ Error ─────────────────────╮\n│ secret  must be set          │\n"
        "│ token   missing_value_for_env │\n╰──────────────────────────────╯\n",
        "│ Name    │ Token count │\n├─────────┼─────────────┤\n│ alpha   │ 12          │\n",
        "|| Field || Description ||\n| token | the bearer token sent to the api |\n",
        " a & b \\\\\n secret & token \\\\\n x & y \\\\\n",
        "! Setting !! Secret\n|-\n| db || none\n",
        # A code comment over code is no commented table header.
        "# token, secret\na, b = foo()\n",
        "# api key, password\nkey, pw = load_credentials(path)\n",
    ],
)
def test_box_drawn_and_marked_up_text_that_holds_no_secret_is_unchanged(text: str) -> None:
    assert R.redact_text(text) == text
    assert streamed(R, text.encode(), 7) == text.encode()


def test_a_markdown_row_with_an_empty_cell_is_still_a_row() -> None:
    # "||" is an empty cell in Markdown and psql output (only a Jira header is read as markup):
    # the table goes on and the row after it is masked.
    v1, v2 = _secret(1), _secret(2)
    text = f"| a | secret | c |\n|---|---|---|\n| x || y |\n| p | {v1} | q |\nid|secret|o\n1||b\n2|{v2}|c\n"
    _masked(text, [v1, v2])
