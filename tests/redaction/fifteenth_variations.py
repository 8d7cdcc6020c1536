"""Fifteenth held-out generator for issue 18's contextual shapes (2026-12-05, rt15-redact).

Written from tools' output the ninth to fourteenth generators never made: psql ``\\x`` records
under ``\\pset format aligned`` with a coloured record line, mysql ``\\G`` records, ``kubectl get
secret -o yaml``/``-o json``/``-o jsonpath`` with ``range``, ``docker inspect``'s ``Env`` array
pretty-printed, ``env``/``printenv`` piped through ``grep --color=always`` (the match coloured
inside the name), ``curl -v`` request and response header dumps, ``.netrc`` and ``.pgpass``
lines, AWS CLI ``iam create-access-key --output table`` boxes, rich/tabulate box-drawing
records (``│ ┃ ║``) with a name column, pandas frames with a named index (a second header row),
INI/TOML/YAML values under a section naming the secret, codes inside a header word, between
cells (256-colour, truecolour), OSC 8 links around a value and ``ESC[2K\\r`` redraws. Every
shape has clean cases of the same form (commit ids, digests, UUIDs, ETags, checksums under
names that are no secret's; secrets' names over placeholders).

``cases()`` yields ``Case`` rows; ``python -m tests.redaction.fifteenth_variations [-v]``
prints the secrets missed and clean lines changed per shape, whole, pure-Python and streamed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

from tests.redaction import twelfth_variations as twelfth
from tests.redaction.twelfth_variations import SIZES, Case, report

E = "\x1b"
_KEYS = twelfth.KeyStream(0x15F15, 7333, "alnum", (0, -1), 80_000, 81_000, "9")
key, hexid, uuid, val = _KEYS.key, _KEYS.hexid, _KEYS.uuid, _KEYS.val

# Names of a secret as these tools print them (environment, SQL columns, YAML keys, headers).
WORDS = ["api_key", "password", "client_secret", "token", "secret_access_key", "auth_token",
         "db_password", "webhook_secret", "private_key", "access_token", "signing_secret",
         "secret"]  # fmt: skip
ENV_WORDS = ["API_KEY", "DB_PASSWORD", "GITHUB_TOKEN", "STRIPE_SECRET_KEY", "CLIENT_SECRET",
             "AUTH_TOKEN", "SLACK_WEBHOOK_SECRET", "NPM_TOKEN", "AWS_SECRET_ACCESS_KEY",
             "SESSION_SECRET", "JWT_SECRET", "REDIS_PASSWORD"]  # fmt: skip
# Names that are no secret's, with the identifier-like values they hold.
CLEAN: list[tuple[str, Callable[[int], str]]] = [
    ("commit", lambda i: hexid(i)),
    ("image_digest", lambda i: "sha256:" + hexid(i + 100, 64)),
    ("request_id", lambda i: uuid(i)),
    ("etag", lambda i: hexid(i + 200, 32)),
    ("checksum", lambda i: hexid(i + 300, 64)),
    ("trace_id", lambda i: hexid(i + 400, 32)),
    ("git_sha", lambda i: hexid(i + 500)),
    ("content_md5", lambda i: hexid(i + 600, 32)),
    ("object_id", lambda i: uuid(i + 700)),
    ("build_id", lambda i: hexid(i + 800, 40)),
    ("api_key", lambda i: ["<redacted>", "****", "${API_KEY}", "(sensitive)"][i % 4]),
    ("password", lambda i: ["********", "<hidden>", "${DB_PASSWORD}", "[masked]"][i % 4]),
]  # fmt: skip

_NAMES = ["api", "worker", "billing", "cron", "auth-svc", "ingest", "web", "search"]
N = 12  # cases per shape, secret and clean each


def _upper(w: str) -> str:
    return w.upper()


def _camel(w: str) -> str:
    parts = w.split("_")
    return "".join(p[:1].upper() + p[1:] for p in parts)


# --- shapes: (i, name, value) -> text ---------------------------------------------------------


def psql_x(i: int, w: str, v: str) -> str:
    """psql ``\\x on``: ``-[ RECORD n ]`` over ``name | value`` lines (coloured record line)."""
    names = ["id", "name", w, "region"]
    vals = [str(i + 1), _NAMES[i % 8], v, "eu-west-1"]
    width = max(map(len, names))
    rec = f"-[ RECORD {1 + i % 3} ]" + "-" * (width - 8) + "+" + "-" * (len(v) + 1)
    if i % 3 == 1:
        rec = f"{E}[1m{rec}{E}[0m"
    lines = [rec] + [f"{n.ljust(width)} | {x}" for n, x in zip(names, vals, strict=True)]
    return "\n".join(lines) + "\n"


def mysql_g(i: int, w: str, v: str) -> str:
    """mysql ``\\G``: ``*** n. row ***`` then right-aligned ``name: value`` lines."""
    names = ["id", "name", w, "created_at"]
    vals = [str(i + 1), _NAMES[i % 8], v, f"2026-11-{10 + i % 18} 08:00:00"]
    width = max(map(len, names))
    star = "*" * 27
    lines = [f"{star} {1 + i % 4}. row {star}"]
    lines += [f"{n.rjust(width)}: {x}" for n, x in zip(names, vals, strict=True)]
    return "\n".join(lines) + f"\n{1 + i % 4} row in set (0.00 sec)\n"


def kubectl_yaml(i: int, w: str, v: str) -> str:
    """``kubectl get secret -o yaml``: the value under ``data:`` or ``stringData:``."""
    sect = ["data", "stringData"][i % 2]
    return (
        f"apiVersion: v1\n{sect}:\n  ca.crt: LS0tLS1CRUdJTg==\n  {w}: {v}\nkind: Secret\n"
        f"metadata:\n  name: app-{i}\n  namespace: default\ntype: Opaque\n"
    )


def kubectl_json(i: int, w: str, v: str) -> str:
    """``kubectl get secret -o json`` (``data`` member) and ``-o jsonpath`` with ``range``."""
    if i % 2:
        return f"{w}={v}\nnamespace=ZGVmYXVsdA==\n"  # jsonpath='{range .data.*}…'
    return (
        '{\n    "apiVersion": "v1",\n    "data": {\n'
        f'        "{w}": "{v}",\n        "namespace": "ZGVmYXVsdA=="\n    }},\n'
        '    "kind": "Secret"\n}\n'
    )


def docker_env(i: int, w: str, v: str) -> str:
    """``docker inspect``'s ``Config.Env``, pretty-printed, the name in capitals."""
    return (
        '        "Env": [\n            "PATH=/usr/local/sbin:/usr/local/bin",\n'
        f'            "{w.upper()}={v}",\n            "LANG=C.UTF-8"\n        ],\n'
    )


def grep_color(i: int, w: str, v: str) -> str:
    """``env | grep --color=always -i <part>``: the matched part of the name coloured."""
    name = w.upper()
    part = name.split("_")[-1]
    a = name.rfind(part)
    hit = f"{E}[01;31m{E}[K{part}{E}[m{E}[K"
    return f"HOME=/root\n{name[:a]}{hit}{name[a + len(part) :]}={v}\nSHELL=/bin/bash\n"


def curl_v(i: int, w: str, v: str) -> str:
    """``curl -v``: request lines after ``> `` and response lines after ``< ``."""
    hdr = ["Authorization: Bearer", "X-Api-Key:", "Authorization: token", "X-Auth-Token:",
           "Private-Token:", "Cookie: session="][i % 6]  # fmt: skip
    sep = "" if hdr.endswith("=") else " "
    return (
        f"> GET /v1/items HTTP/2\r\n> Host: api.example.com\r\n> {hdr}{sep}{v}\r\n"
        f'> user-agent: curl/8.5.0\r\n>\r\n< HTTP/2 200\r\n< etag: "{hexid(i + 50, 32)}"\r\n'
    )


def netrc(i: int, w: str, v: str) -> str:
    """``.netrc``: on one line or one token a line."""
    if i % 2:
        return f"machine api.example.com\n  login bot-{i}\n  password {v}\n"
    return f"machine git.example.com login ci-{i} password {v}\n"


def pgpass(i: int, w: str, v: str) -> str:
    """``~/.pgpass`` after the command that printed it."""
    return f"$ cat ~/.pgpass\ndb-{i}.internal:5432:app:app_user:{v}\n*:*:*:replica:{v}\n"


def aws_table(i: int, w: str, v: str) -> str:
    """``aws iam create-access-key --output table``: ``||  SecretAccessKey |  … ||``."""
    rows = [("AccessKeyId", "AKIA" + key(90_000 + i, "alnum", 16).upper()),
            ("CreateDate", "2026-12-05T07:00:00+00:00"), (_camel(w), v),
            ("Status", "Active"), ("UserName", f"bot-{i}")]  # fmt: skip
    if w in [c[0] for c in CLEAN]:  # (a clean case: no access key id in it)
        rows[0] = ("KeyId", uuid(i + 900))
    a = max(len(r[0]) for r in rows) + 4
    b = max(len(r[1]) for r in rows) + 4
    inner = a + b + 3
    out = ["-" * (inner + 2), "|" + "CreateAccessKey".center(inner) + "|",
           "+" + "-" * inner + "+", "||" + "AccessKey".center(inner - 2) + "||",
           "|+" + "-" * a + "+" + "-" * b + "+|"]  # fmt: skip
    out += [f"||  {n.ljust(a - 2)}|  {x.ljust(b - 2)}||" for n, x in rows]
    out.append("|+" + "-" * a + "+" + "-" * b + "+|")
    return "\n".join(out) + "\n"


_BOXES = [("│", "─", "┌", "┐", "└", "┘"), ("┃", "━", "┏", "┓", "┗", "┛"),
          ("║", "═", "╔", "╗", "╚", "╝")]  # fmt: skip


def box_record(i: int, w: str, v: str) -> str:
    """rich/tabulate box of ``Name │ Value`` records (light, heavy, double lines)."""
    bar, dash, tl, tr, bl, br = _BOXES[i % 3]
    rows = [("Name", "Value"), ("id", str(i)), (w, v), ("region", "eu-west-1")]
    a = max(len(r[0]) for r in rows) + 2
    b = max(len(r[1]) for r in rows) + 2
    out = [tl + dash * a + dash + dash * b + tr]
    out += [f"{bar} {n.ljust(a - 2)} {bar} {x.ljust(b - 2)} {bar}" for n, x in rows]
    out.append(bl + dash * a + dash + dash * b + br)
    return "\n".join(out) + "\n"


def pandas_index(i: int, w: str, v: str) -> str:
    """A pandas frame with a named index: the index's name on a second header row."""
    width = max(len(w), len(v))
    head = f"{'':8}{'region':>10}  {w:>{width}}"
    idx = f"{'service':8}{'':>10}  {'':>{width}}".rstrip()
    row = f"{_NAMES[i % 8]:8}{'eu-west-1':>10}  {v:>{width}}"
    return f"{head}\n{idx}\n{row}\n"


def _hexish(v: str) -> bool:
    return all(c in "0123456789abcdef-:sha" for c in v)


def section_ini(i: int, w: str, v: str) -> str:
    """INI/TOML/YAML: the section names the secret, the keys are the services."""
    sect = ["api_keys", "secrets", "tokens", "passwords", "credentials", "client_secrets"][i % 6]
    svc = (["stripe", "github", "sendgrid", "datadog"] if "[" in v or len(v) < 30 or not _hexish(v)
           else ["frontend", "backend", "docs", "cli"])[i % 4]  # fmt: skip
    form = i % 3
    if form == 0:
        return f"[{sect}]\n{svc} = {v}\nregion = eu-west-1\n"
    if form == 1:
        return f'[{sect}]\n{svc} = "{v}"\ntimeout = 30\n'
    return f"{sect}:\n  {svc}: {v}\n  region: eu-west-1\n"


def ansi_header(i: int, w: str, v: str) -> str:
    """A CSV/aligned header whose word holds codes (bold on part of it, 256-colour, truecolour),
    codes between the cells of the rows."""
    k = len(w) // 2
    c = [f"{E}[1m", f"{E}[38;5;{100 + i}m", f"{E}[38;2;{i * 9};120;80m"][i % 3]
    hw = f"{w[:k]}{c}{w[k:]}{E}[0m"
    if i % 2:
        return f"id,name,{hw}\n{i},{_NAMES[i % 8]},{c}{v}{E}[0m\n"
    width = max(len(w), len(v))
    head = f"ID  NAME      {hw}{' ' * (width - len(w))}"
    return f"{head}\n{i:<2}{E}[38;5;245m  {_NAMES[i % 8]:<8}{E}[0m  {v}\n"


def osc8_value(i: int, w: str, v: str) -> str:
    """An OSC 8 link around the value (``ls --hyperlink``-style), after ``name: ``."""
    st = ["\x07", f"{E}\\"][i % 2]
    return f"{w}: {E}]8;;https://vault.example.com/ui/{i}{st}{v}{E}]8;;{st}\n"


def redraw(i: int, w: str, v: str) -> str:
    """A progress line erased and redrawn (``ESC[2K\\r``), the value on the final draw."""
    return f"fetching {w}...\r{E}[2K\r{w}: {v}\n{E}[2K\rdone\n"


def grep_in_value(i: int, w: str, v: str) -> str:
    """``env | grep --color=always <part of the value>``: the match coloured inside the value
    (the secret is split by the codes; its two parts are the case's secrets)."""
    k = 12 + i % 6
    hit = f"{E}[01;31m{E}[K{v[k : k + 4]}{E}[m{E}[K"
    return f"{w.upper()}={v[:k]}{hit}{v[k + 4 :]}\n"


def export_p(i: int, w: str, v: str) -> str:
    """``export -p``/``declare -px``: ``declare -x NAME="value"``, coloured by ``bat``."""
    if i % 2:
        return f'declare -x HOME="/root"\ndeclare -x {w.upper()}="{v}"\n'
    return (
        f"{E}[38;5;81mdeclare{E}[0m -x {E}[38;5;208m{w.upper()}{E}[0m="
        f'{E}[38;2;230;219;116m"{v}"{E}[0m\n'
    )


def bat_env(i: int, w: str, v: str) -> str:
    """``bat .env``: a line-number gutter and ``│`` before each line, the key coloured."""
    c = [f"{E}[38;5;{203 + i % 5}m", f"{E}[38;2;249;38;114m", f"{E}[31m"][i % 3]
    return (
        f"{E}[38;5;238m───────┬──────\n       │ File: .env\n───────┼──────{E}[0m\n"
        f"{E}[38;5;246m   1{E}[0m   {E}[38;5;238m│{E}[0m {c}APP_ENV{E}[0m=prod\n"
        f"{E}[38;5;246m   2{E}[0m   {E}[38;5;238m│{E}[0m {c}{w.upper()}{E}[0m={v}\n"
    )


def set_x(i: int, w: str, v: str) -> str:
    """A ``set -x`` trace of a command carrying the secret in a header or an option."""
    hdr = ["-H 'Authorization: Bearer {v}'", "-H 'X-API-Key: {v}'", "--user bot:{v}",
           "--header=Private-Token:{v}", "-H \"Cookie: session={v}\""][i % 5]  # fmt: skip
    return f"+ curl -fsS {hdr.format(v=v)} https://api.example.com/v1/items\n"


def go_map(i: int, w: str, v: str) -> str:
    """Go's ``%v`` of a map or a slice: ``kubectl get secret -o jsonpath='{.data}'`` (older
    kubectl: ``map[k:v k:v]``) and ``docker inspect -f '{{.Config.Env}}'``."""
    if i % 2:
        return f"[PATH=/usr/local/bin:/usr/bin {w.upper()}={v} LANG=C.UTF-8]\n"
    return f"map[ca.crt:LS0tLS1CRUdJTg== namespace:ZGVmYXVsdA== {w}:{v}]\n"


def proc_environ(i: int, w: str, v: str) -> str:
    """``cat /proc/<pid>/environ`` (and ``env -0``): entries parted by NUL bytes."""
    return f"HOSTNAME=web-{i}\0{w.upper()}={v}\0HOME=/root\0" + ("\n" if i % 2 else "")


def systemctl_env(i: int, w: str, v: str) -> str:
    """``systemctl show -p Environment`` (and ``show-environment``): many entries on one line."""
    q = ["", '"'][i % 2]
    return f"Environment=LANG=C.UTF-8 {q}{w.upper()}={v}{q} PORT=80{i % 10}\n"


def aws_text(i: int, w: str, v: str) -> str:
    """``aws iam create-access-key --output text``: one tab-separated record, no header."""
    akid = "AKIA" + key(91_000 + i, "alnum", 16).upper()
    return f"ACCESSKEY\t{akid}\t2026-12-05T07:00:00+00:00\t{v}\tActive\tbot-{i}\n"


def inline_table(i: int, w: str, v: str) -> str:
    """A YAML flow mapping or a TOML inline table holding the secret among other keys."""
    if i % 2:
        return f'creds = {{ user = "bot-{i}", {w} = "{v}", region = "eu-west-1" }}\n'
    return f"auth: {{user: bot-{i}, {w}: {v}, region: eu-west-1}}\n"


def osc8_header(i: int, w: str, v: str) -> str:
    """A table whose header cells are OSC 8 links (a docs link on each column name)."""
    st = ["\x07", f"{E}\\"][i % 2]
    link = f"{E}]8;;https://docs.example.com/fields#{w}{st}{w}{E}]8;;{st}"
    width = max(len(w), len(v))
    return f"NAME      {link}{' ' * (width - len(w))}  REGION\n{_NAMES[i % 8]:<8}  {v.ljust(width)}  eu-west-1\n"


def build_progress(i: int, w: str, v: str) -> str:
    """BuildKit's progress: ``#7 0.412 `` before each line, ``ESC[1A ESC[2K`` redraws."""
    return (
        f"#7 [3/5] RUN env\n{E}[1A{E}[2K#7 0.31{i % 10} HOME=/root\n"
        f"#7 0.31{i % 10} {w.upper()}={v}\n#7 DONE 0.4s\n"
    )


def netrc_more(i: int, w: str, v: str) -> str:
    """``.netrc`` forms: ``default``, a quoted password, ``account``, a macro after it."""
    return [
        f"default login anonymous password {v}\n",
        f'machine ftp.example.com login ci password "{v}"\n',
        f"machine h{i}.example.com\nlogin ci\naccount ops\npassword {v}\n\nmacdef init\nls\n",
    ][i % 3]


def pgpass_more(i: int, w: str, v: str) -> str:
    """``.pgpass`` with ``\\:`` escapes in the fields and a comment line above."""
    return f"# host:port:db:user:password\ndb\\:{i}.internal:5432:*:app:{v}\n"


def pandas_multi(i: int, w: str, v: str) -> str:
    """pandas with two column levels: a group name over the names (``credentials`` over
    ``user  <name>``)."""
    width = max(len(w), len(v))
    top = f"{'':6}{'credentials':>{8 + 2 + width}}"
    mid = f"{'':6}{'user':>8}  {w:>{width}}"
    row = f"{i:<6}{'bot-' + str(i):>8}  {v:>{width}}"
    return f"{top}\n{mid}\n{row}\n"


SHAPES: dict[str, Callable[[int, str, str], str]] = {
    "psql_x": psql_x, "mysql_g": mysql_g, "kubectl_yaml": kubectl_yaml,
    "kubectl_json": kubectl_json, "docker_env": docker_env, "grep_color": grep_color,
    "curl_v": curl_v, "netrc": netrc, "pgpass": pgpass, "aws_table": aws_table,
    "box_record": box_record, "pandas_index": pandas_index, "section_ini": section_ini,
    "ansi_header": ansi_header, "osc8_value": osc8_value, "redraw": redraw,
    "grep_in_value": grep_in_value, "export_p": export_p, "bat_env": bat_env, "set_x": set_x,
    "go_map": go_map, "proc_environ": proc_environ, "systemctl_env": systemctl_env,
    "aws_text": aws_text, "inline_table": inline_table, "osc8_header": osc8_header,
    "build_progress": build_progress, "netrc_more": netrc_more, "pgpass_more": pgpass_more,
    "pandas_multi": pandas_multi,
}  # fmt: skip
# Shapes whose secret sits under no name of its own (the section's, the file's): their clean
# cases hold identifiers under a non-secret section or file.
_NAMELESS = {"netrc", "pgpass", "curl_v", "section_ini"}
# Shapes that print environment names (in capitals).
_ENV = {"docker_env", "grep_color", "grep_in_value", "export_p", "bat_env", "go_map",
        "proc_environ", "systemctl_env", "build_progress"}  # fmt: skip


def _clean_text(shape: str, i: int) -> str:
    name, make = CLEAN[i % len(CLEAN)]
    v = make(i)
    if shape == "section_ini":
        # A section of ids over the same entries (a lock of component revisions, digests);
        # or the secret's section over placeholders.
        sect = ["commits", "revisions", "digests", "builds", "image_digests", "tool.pins"][i % 6]
        text = section_ini(i, name, v)
        if not text.startswith(("[", "api_keys:", "secrets:", "tokens:", "passwords:",
                                "credentials:", "client_secrets:")):  # fmt: skip
            return text
        head, rest = text.split("\n", 1)
        if "[" in v or len(v) < 30 or not _hexish(v):
            return text  # (placeholders under the secret's section)
        return (f"[{sect}]" if head.startswith("[") else f"{sect.replace('.', '_')}:") + "\n" + rest
    if shape == "netrc":
        return f"machine git.example.com login ci-{i}\n# last sync {v}\n"
    if shape == "pgpass":
        return f"$ cat ~/.pgpass\ndb-{i}.internal:5432:app:app_user:*\n$ git rev-parse HEAD\n{hexid(i)}\n"
    if shape == "curl_v":
        return (
            f"> GET /v1/items/{uuid(i)} HTTP/2\r\n> Host: api.example.com\r\n"
            f'> X-Request-Id: {uuid(i + 1)}\r\n>\r\n< HTTP/2 200\r\n< etag: "{hexid(i + 50, 32)}"\r\n'
            f"< x-amz-request-id: {hexid(i + 60, 16).upper()}\r\n"
        )
    if shape == "set_x":
        return (
            f"+ curl -fsS -H 'X-Request-Id: {uuid(i)}' -H 'If-None-Match: \"{hexid(i, 32)}\"' "
            "https://api.example.com/v1/items\n"
        )
    if shape == "grep_in_value":
        return (
            grep_in_value(i, name if "_" in name else name + "_id", v)
            if len(v) > 24
            else (f"{name.upper()}={v}\n")
        )
    if shape == "aws_text":
        # (An access key id is masked by its own rule: ``sts get-caller-identity`` and
        # ``ecr describe-images`` records instead, an account, an ARN, a user id, a digest.)
        if i % 2:
            return f"IMAGEDETAILS\tsha256:{hexid(i, 64)}\t2026-12-05T07:00:00+00:00\tapp-{i}\n"
        return f"123456789012\tarn:aws:iam::123456789012:user/bot-{i}\t{hexid(i, 32)}\n"
    if shape in ("netrc_more", "pgpass_more"):
        return (
            f"# synced {v}\nmachine h{i}.example.com login ci\n" if shape == "netrc_more"
            else f"# host:port:db:user:password\ndb-{i}.internal:5432:*:app:*\n{hexid(i)}  backup.tar\n"
        )  # fmt: skip
    if shape in _ENV:
        return SHAPES[shape](i, name if "_" in name else name + "_id", v)
    return SHAPES[shape](i, name, v)


def cases() -> Iterator[Case]:
    for s, (shape, fmt) in enumerate(SHAPES.items()):
        for i in range(N):
            env = shape in _ENV
            w = (ENV_WORDS if env else WORDS)[(i + s) % 12]
            v = val(s * 101 + i)
            if shape == "grep_in_value":
                k = 12 + i % 6
                yield Case(shape, fmt(i, w, v), [v[:k], v[k + 4 :]])
                continue
            yield Case(shape, fmt(i, w, v), [v])
        for i in range(N):
            yield Case(f"{shape}_clean", _clean_text(shape, i + s))


def measure(sizes: tuple[int, ...] = SIZES, verbose: bool = False) -> dict[str, list[int]]:
    """Per shape: [secret cases, secrets missed (any mode), clean cases, clean lines changed]."""
    return twelfth.measure(sizes, verbose, source=cases, show=lambda t: t[-600:])


if __name__ == "__main__":
    report(measure(verbose="-v" in sys.argv))
