"""Twenty-sixth held-out contextual pass (issue 18, ctx26): what tools print that an agent runs,
with the secret named by the context of the tool's own format, each case whole and streamed in
chunks split at random points, with clean controls of the same shapes:

- redis-cli's answers by position: ``HMGET``/``MGET`` beyond the first field, at a prompt
  (``n) "…"``) and bare from ``redis-cli … HMGET`` in a pipe;
- a REPL's printed (unquoted) answer to a lookup of a secret's name (python, IPython, node, irb,
  pry, julia, R);
- IMAP ``LOGIN`` after a tag of letters only or ``?``, imaplib's ``> b'TAG LOGIN u "pw"'``,
  Thunderbird's ``SendData: 3 login "u" "pw"``;
- FTP/SMTP ``PASS`` after any client's prefix (``[ts] > ``, ftplib's ``*cmd* '``, ``SEND: ``,
  ``[C->S] ``, ``Command:<TAB>``); Go's ``--- PASS: TestName (0.01s)`` and pytest node ids stay;
- ``less``'s ``ESC`` shown in standout (``ESC[7mESCESC[27m[1m``) between a word and its value.
"""

from __future__ import annotations

import random
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.redaction.held_out import SLOW, R
from tests.redaction.helpers import streamed
from tests.redaction.twentyfifth_variations import _stream_random

E = "\x1b"
_AN = string.ascii_letters + string.digits


# The first secret case of each test uses a hex key (the generic rules leave 40 hex digits
# alone, so the context must name it); the others draw a kind.
KIND: list[str] = []


def _key(rnd: random.Random) -> str:
    kind = KIND[0] if KIND else rnd.choice(["an", "b64", "hex"])
    while True:
        if kind == "an":
            v = "".join(rnd.choice(_AN) for _ in range(rnd.choice([32, 40])))
        elif kind == "b64":
            v = "".join(rnd.choice(_AN + "+/") for _ in range(39)) + rnd.choice(_AN)
        else:
            v = "".join(rnd.choice("0123456789abcdef") for _ in range(40))
        if sum(c.isdigit() for c in v) >= 3 and sum(c.isalpha() for c in v) >= 8:
            return v


def _hex40(rnd: random.Random) -> str:
    return "".join(rnd.choice("0123456789abcdef") for _ in range(40))


def _uuid(rnd: random.Random) -> str:
    h = "".join(rnd.choice("0123456789abcdef") for _ in range(32))
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def _strip(b: bytes) -> str:
    import re

    return re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]", "", b.decode(errors="replace"))


def _outs(text: str, seed: str, slow: bool = False) -> list[bytes]:
    """The whole output (the pure-Python engine's too, with ``slow``), streamed at 64 and 4,096
    bytes (the same bytes), and streamed twice in random chunks of 1-97 bytes."""
    data = text.encode()
    whole = R.redact_bytes(data)
    assert b"REDACTED:error" not in whole
    if slow:
        assert SLOW.redact_bytes(data) == whole
    for size in (64, 4096):
        assert streamed(R, data, size) == whole, size
    return [whole, _stream_random(R, data, f"{seed}/1"), _stream_random(R, data, f"{seed}/2")]


def masked(text: str, pieces: list[str], slow: bool = False) -> None:
    for out in _outs(text, text, slow):
        shown = _strip(out)
        for p in pieces:
            assert p not in shown, (p, out.decode(errors="replace"))


def unchanged(text: str) -> None:
    for out in _outs(text, text):
        assert out == text.encode(), out.decode(errors="replace")


# --- the shapes (each: rnd, secret? -> text, pieces) ------------------------------------------

_SECRET_FIELDS = ["api_key", "db_password", "stripe_secret", "auth_token", "client_secret"]
_ID_FIELDS = ["commit", "request_id", "build_sha", "image_digest", "trace_id"]


def redis(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    port = rnd.choice(["127.0.0.1:6379", "127.0.0.1:6379[2]", "redis-17.cache:6380"])
    names = _SECRET_FIELDS if sec else _ID_FIELDS
    f1, f2 = rnd.sample(names, 2)
    v = [rnd.choice(["admin", "eu-west-1", "42"])]
    v += [_key(rnd), _key(rnd)] if sec else [_hex40(rnd), _uuid(rnd)]
    pieces = v[1:] if sec else []
    if shape == "hmget":
        text = f'{port}> HMGET app:cfg owner {f1} {f2}\n1) "{v[0]}"\n2) "{v[1]}"\n3) "{v[2]}"\n'
    elif shape == "hmget_nil":
        text = (
            f"{port}> hmget svc:7 region {f1} {f2} owner\n"
            f'1) "{v[0]}"\n2) "{v[1]}"\n3) "{v[2]}"\n4) (nil)\n{port}> '
        )
    elif shape == "raw":
        text = f"$ redis-cli --raw HMGET app:cfg owner {f1} {f2}\n{v[0]}\n{v[1]}\n{v[2]}\n$ "
    elif shape == "pipe":
        text = f"$ redis-cli -h cache -n 2 hmget app:cfg owner {f1} {f2} | cat\n{v[0]}\n{v[1]}\n{v[2]}\n"
    else:
        text = f'{port}> MGET app:owner app:{f1} app:{f2}\n1) "{v[0]}"\n2) "{v[1]}"\n3) "{v[2]}"\n'
    return text, pieces


def repl(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    v = rnd.choice([_hex40(rnd), _key(rnd)]) if sec else rnd.choice([_hex40(rnd), _uuid(rnd)])
    n = (
        rnd.choice(["API_KEY", "STRIPE_SECRET_KEY", "GITHUB_TOKEN", "DB_PASSWORD"])
        if sec
        else rnd.choice(["COMMIT_SHA", "BUILD_ID", "REQUEST_ID", "GIT_COMMIT"])
    )
    text = {
        "py": f">>> import os\n>>> print(os.environ[{n!r}])\n{v}\n>>> ",
        "ipy": f"In [3]: print(os.getenv('{n}'))\n{v}\n\nIn [4]: ",
        "node": f"> console.log(process.env.{n})\n{v}\nundefined\n> ",
        "irb": f"irb(main):001:0> puts ENV['{n}']\n{v}\n=> nil\n",
        "pry": f'[1] pry(main)> puts ENV.fetch("{n}")\n{v}\n=> nil\n',
        "julia": f'julia> println(ENV["{n}"])\n{v}\n\njulia> ',
        "r": f'> cat(Sys.getenv("{n}"), "\\n")\n{v}\n> ',
    }[shape]
    return text, [v] if sec else []


def imap(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    pw = _key(rnd)
    user = rnd.choice(["alice@example.com", "ops", '"build bot"'])
    if not sec:
        text = {
            "letters": "Please LOGIN first to see your mailbox.\n",
            "imaplib": "  31:42.20 < b'KDJP1 OK LOGIN completed'\n",
            "thunderbird": "* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS AUTH=PLAIN\n",
            "openssl": "? OK [CAPABILITY IMAP4rev1] Logged in\n",
            "word_tag": f"a OK Logged in as {_hex40(rnd)[:12]}\n",
        }[shape]
        return text, []
    tag = rnd.choice(["a", "A", "tag", "abcd", "TAGA"])
    text = {
        "letters": f"{rnd.choice(['', '> ', 'C: '])}{tag} LOGIN {user} {pw}\n{tag} OK LOGIN done\n",
        # (A user quoted by the caller, as imaplib passes it on.)
        "imaplib": f'  31:42.17 > b\'KDJP1 LOGIN "{user.strip(chr(34))}" "{pw}"\'\n'
        "  31:42.20 < b'KDJP1 OK'\n",
        "thunderbird": (
            "2026-12-06 10:00:01.234000 UTC - [Parent 1234: IMAP]: I/IMAP 0x7f: "
            f'SendData: 3 login "ops" "{pw}"\n'
        ),
        "openssl": f"* OK ready\n? LOGIN {user} {pw}\n? OK Logged in\n",
        "word_tag": f"[imap] C: login1 LOGIN {user} {pw}\n",
    }[shape]
    return text, [pw]


_PREFIXES = [
    "[12:00:01] > ",
    "2026-12-06 10:00:01,123 DEBUG ftplib *cmd* '",
    "SEND: ",
    "client> ",
    "[C->S] ",
    "[ftp] ",
    "Command:\t",
    "12:00:01.123 C> ",
    "ftp> quote ",
    "DEBUG:smtp:send: '",
]
_TEST_LINES = [
    "--- PASS: TestRedactStream (0.01s)\n",
    "    --- PASS: TestRedact/token_rotation_case (0.00s)\n",
    "PASS\nok  \tgithub.com/acme/api\t0.012s\n",
    "PASS tests/unit/test_auth.py::test_login[token-9]\n",
    "PASS: t/token_rotation.sh\n",
    " PASS  src/token.test.js\n",
]


def ftp(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    k = int(shape)
    if not sec:
        return _TEST_LINES[k % len(_TEST_LINES)], []
    pw = _key(rnd)
    pre = _PREFIXES[k]
    end = "'" if pre.endswith("'") else ""
    return f"{pre}USER deploy{end}\n{pre}PASS {pw}{end}\n230 Login successful.\n", [pw]


def less(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    v = _key(rnd) if sec else rnd.choice([_hex40(rnd), _uuid(rnd)])
    w = (
        rnd.choice(["token", "password", "credential", "api_key", "secret"])
        if sec
        else rnd.choice(["commit", "request_id", "digest", "trace_id"])
    )
    a = f"{E}[7mESC{E}[27m"
    text = {
        "kv": f"{a}[1m{w}{a}[0m: {a}[32m{v}{a}[0m\n",
        "word": f"{a}[2m2026-12-06 10:00:01{a}[0m INFO loaded {w} {a}[33m{v}{a}[m\n",
    }[shape]
    return text, [v] if sec else []


_SLASH_NAMES = ["api/token", "API / Token", "auth/secret", "Token/Key", "user/password"]
_SLASH_IDS = ["commit/sha", "request/id", "build / digest", "image/digest"]


def slash(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    name = rnd.choice(_SLASH_NAMES if sec else _SLASH_IDS)
    vals = [_key(rnd), _key(rnd)] if sec else [_hex40(rnd), _hex40(rnd)]
    w = max(len(name), 42)
    text = {
        "csv": f"service,{name},region\nweb,{vals[0]},eu\nworker,{vals[1]},us\n",
        "md": f"| service | {name} | region |\n|---|---|---|\n| web | {vals[0]} | eu |\n"
        f"| worker | {vals[1]} | us |\n",
        "aligned": f"SERVICE  {name.upper():<{w}}  REGION\nweb      {vals[0]:<{w}}  eu\n"
        f"worker   {vals[1]:<{w}}  us\n",
        "psql": f" service | {name:<{w}} | region\n---------+-{'-' * w}-+--------\n"
        f" web     | {vals[0]:<{w}} | eu\n worker  | {vals[1]:<{w}} | us\n(2 rows)\n",
    }[shape]
    return text, vals if sec else []


def julia(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    name = rnd.choice(["token", "password", "api_key", "secret"] if sec else ["commit", "sha"])
    vals = [_key(rnd), _key(rnd)] if sec else [_hex40(rnd), _uuid(rnd)]
    w = max(len(v) for v in vals)
    typ = {"plain": "String", "inline": "String31", "missing": "String?"}[shape]
    text = (
        f"2×3 DataFrame\n Row │ service  {name:<{w}}  region\n"
        f"     │ {typ:<8} {typ:<{w}}  {typ}\n"
        f"─────┼{'─' * (w + 25)}\n   1 │ web      {vals[0]:<{w}}  eu\n"
        f"   2 │ worker   {vals[1]:<{w}}  us\n"
    )
    return text, vals if sec else []


def _ts(rnd: random.Random) -> str:
    return (
        f"2026-12-06T{rnd.randint(0, 23):02}:{rnd.randint(0, 59):02}:{rnd.randint(0, 59):02}"
        f".{rnd.randint(0, 999999999):09}Z"
    )


def cri(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    v = _key(rnd) if sec else _hex40(rnd)
    name = rnd.choice(["api_key", "password", "token"] if sec else ["commit", "request_id"])
    st = rnd.choice(["stdout", "stderr"])
    line = {
        "json": f'{{"level":"info","msg":"configured","{name}":"{v}","region":"eu"}}',
        "env": f"export {name.upper()}={v}",
        "word": f"loaded {'credential' if sec else 'commit'} {v}",
    }[shape]
    i = line.index(v)
    cut = rnd.randint(i + 4, i + len(v) - 4)
    head = f"{_ts(rnd)} {st} F starting\n"
    text = f"{head}{_ts(rnd)} {st} P {line[:cut]}\n{_ts(rnd)} {st} F {line[cut:]}\n"
    return text, [v[: cut - i], v[cut - i :]] if sec else []


def less_plain(rnd: random.Random, sec: bool, shape: str) -> tuple[str, list[str]]:
    v = _key(rnd) if sec else rnd.choice([_hex40(rnd), _uuid(rnd)])
    w = (
        rnd.choice(["token", "password", "api_key", "secret", "credential"])
        if sec
        else rnd.choice(["commit", "request_id", "digest", "trace_id"])
    )
    text = {
        "kv": f"ESC[1m{w}ESC[0m: ESC[32m{v}ESC[0m\n",
        "arrow": f"ESC[1m{w}ESC[0m ESC[90m->ESC[0m {v}\n",
        "json": f'  "{w}": ESC[32m"{v}"ESC[0m,\n',
        "bracket": f"[ESC[36m{w}ESC[0m] ESC[1m{v}ESC[0m\n",
        "word": f"ESC[2m10:00:01ESC[0m INFO loaded {w} ESC[33m{v}ESC[m\n",
    }[shape]
    return text, [v] if sec else []


SHAPES = {
    redis: ["hmget", "hmget_nil", "raw", "pipe", "mget"],
    repl: ["py", "ipy", "node", "irb", "pry", "julia", "r"],
    imap: ["letters", "imaplib", "thunderbird", "openssl", "word_tag"],
    ftp: [str(k) for k in range(len(_PREFIXES))],
    less: ["kv", "word"],
    less_plain: ["kv", "word", "arrow", "json", "bracket"],
    slash: ["csv", "md", "aligned", "psql"],
    julia: ["plain", "inline", "missing"],
    cri: ["json", "env", "word"],
}
CASES = [(fn, shape) for fn, shapes in SHAPES.items() for shape in shapes]
IDS = [f"{fn.__name__}-{shape}" for fn, shape in CASES]


@pytest.mark.parametrize(("fn", "shape"), CASES, ids=IDS)
def test_shape(fn, shape) -> None:  # type: ignore[no-untyped-def]
    """Three secret cases (the first with a hex key) masked, two clean ones unchanged."""
    check_shape(fn, shape, "ctx26")


def check_shape(fn, shape, label: str) -> None:  # type: ignore[no-untyped-def]
    """A held-out pass's shape: three secret cases (the first with a hex key where the shape
    draws one) masked, two clean ones unchanged; drawn from a seed of ``label``, the case's
    function and its shape."""
    rnd = random.Random(f"{label}:{fn.__name__}:{shape}")
    for k in range(3):
        KIND[:] = ["hex"] if k == 0 else []
        try:
            text, pieces = fn(rnd, True, shape)
        finally:
            KIND.clear()
        masked(text, pieces, slow=k == 0)
    for _ in range(2):
        text, _ = fn(rnd, False, shape)
        unchanged(text)


def check_case(fn, shape, seed: int, sec: bool) -> None:  # type: ignore[no-untyped-def]
    """One drawn case of a shape: masked when it holds a secret, else unchanged."""
    text, pieces = fn(random.Random(seed), sec, shape)
    if sec:
        masked(text, pieces)
    else:
        unchanged(text)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.integers(0, len(CASES) - 1), st.booleans(), st.integers(0, 10**6))
def test_any_case_any_split(k: int, sec: bool, seed: int) -> None:
    check_case(*CASES[k], seed, sec)
