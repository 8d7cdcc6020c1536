# ruff: noqa: RUF001  (other-script characters are the point)
"""Twenty-fourth held-out generator for issue 18's contextual shapes (2026-12-06, ctx24).

Written and committed before reading the detectors, from output an agent really prints, in
families no earlier generator (ninth to twenty-third) made as such:

- ``proto_sessions``: protocol transcripts naming a credential by the command before it: SMTP
  ``AUTH LOGIN`` (the client's base64 line after ``334 UGFzc3dvcmQ6``), ``AUTH PLAIN <b64>``
  (swaks, ``openssl s_client``), IMAP ``a1 LOGIN user pw``, FTP ``PASS pw`` (curl ``-v``'s
  ``> PASS``), POP3, ``redis-cli MONITOR``'s ``"AUTH" "pw"``; clean: capabilities, queue ids,
  ``PASS ****``;
- ``java_props``: ``Properties.store`` output (``#`` date line, ``\\:`` and ``\\=`` escapes),
  ``\\uXXXX`` escapes in the value, a value continued over ``\\`` lines, ``:`` and blank
  separators, ``--spring.x.password=v`` arguments; clean: escaped JDBC URLs, ``${…}``;
- ``markup_config``: web.config ``<add key="ApiKey" value="v"/>`` and ``connectionString``,
  Spring ``<property name="password" value="v"/>``, XML properties ``<entry key="…">``,
  Android ``<string name="…_api_key">``, Tomcat ``<Resource … password="v"/>``, FileZilla
  ``<Pass encoding="base64">``, NeXTSTEP plists (``defaults read``), hidden HTML inputs;
- ``notebooks``: ``.ipynb`` JSON cells (``"source": ["API_KEY = \\"v\\"\\n"]``), ``%env``,
  ``%set_env``, ``!export``, ``os.environ[\\"X\\"] = \\"v\\"`` inside JSON strings;
- ``repl_echo``: a REPL's answer under an expression naming a secret: ``>>> os.environ[…]``,
  IPython ``In [n]:``/``Out[n]:``, node ``> process.env.X``, R ``[1] "v"``, irb/rails console
  ``=> "v"``, julia; clean: the same for ids, ``KeyError``, ``undefined``;
- ``kv_stores``: ``redis-cli HGETALL`` (name and value on alternate numbered lines), ``HMGET``,
  ``GET`` of a key naming a token, mongosh documents (unquoted keys, ``'v'``), DynamoDB typed
  attributes (``"api_key": {"S": "v"}``); clean: ObjectIds, ids;
- ``git_config``: ``git config -l`` (``http.<url>.extraheader=AUTHORIZATION: basic <b64>``,
  ``url.https://x-access-token:v@github.com/.insteadof``), ``--show-origin``'s tab-prefixed
  rows, ``.git/config`` sections, ``git remote -v``;
- ``vpn_secrets``: WireGuard ``PrivateKey``/``PresharedKey`` (clean: ``PublicKey``, ``wg show``'s
  ``(hidden)``), ``ipsec.secrets`` ``: PSK "v"``/``XAUTH``/``EAP``, NetworkManager
  ``--show-secrets`` fields, ``wpa_supplicant`` ``psk=``, ``netsh wlan … key=clear``'s ``Key
  Content``;
- ``url_encoded``: form bodies (``password=v&username=…``) in request logs, percent-encoded
  redirect URLs holding ``access_token%3Dv``, JSON in a query parameter (``%22api_key%22%3A``),
  doubly encoded ``%253D``; clean: ``state``, ``code_challenge`` and ids alike;
- ``structured_logs``: structlog's coloured console (``\\x1b[36mapi_key\\x1b[0m=\\x1b[35mv``),
  Go slog groups (``db.password=v``), log4j MDC maps (``{apiKey=v, requestId=…}``), zap's
  development console trailing JSON, Serilog compact JSON, pino-pretty's indented fields;
- ``win_cli``: Windows command lines with slash options naming a password (``cmdkey /pass:v``,
  ``xfreerdp /p:v``, ``schtasks /rp v``, ``net use \\\\srv\\share v /user:…``, ``sc.exe config
  … password= v``, ``psexec -p v``, ``runas``-style); clean: ``/p:8080``-like options, ``*``;
- ``heredocs``: a value on the lines after a heredoc opener under a secret's name (shell
  ``read -r -d '' X <<'EOF'``, ``X=$(cat <<EOF``, HCL ``<<-EOT``, Ruby ``<<~KEY``, PHP
  ``<<<'EOT'``, Python ``\"\"\"`` and TOML ``'''`` strings); clean: descriptions, ``${VAR}``;
- ``term_codes``: terminal codes in new places between a credential word and its value:
  ``tput sgr0``'s ``\\x1b(B\\x1b[m``, bracketed paste ``\\x1b[200~v\\x1b[201~`` in a ``script``
  capture, erase-in-line ``\\x1b[K``, cursor-column alignment ``\\x1b[30G`` in place of blanks,
  truecolor ``\\x1b[38;2;R;G;Bm``, OSC 133 prompt marks;
- ``cloud_creds``: ``aws configure export-credentials`` (env, powershell, process JSON), ``az
  storage account keys list`` (table and JSON, the key named by a ``keyName`` cell), ``az ad sp
  create-for-rbac``, storage connection strings; clean: appId/tenant UUIDs, ``null``;
- ``ci_service_msgs``: Azure DevOps ``##vso[task.setvariable variable=X;issecret=true]v``,
  TeamCity ``##teamcity[setParameter name='env.X' value='v']``, ``buildkite-agent meta-data set
  "token" "v"``; clean: build numbers, ids, ``issecret=false`` ids.

Every family has clean look-alikes of the same form. ``cases(draw, n)`` yields ``Case`` rows;
``python -m tests.redaction.twentyfourth_variations [--held-out] [--draw K] [-n N] [--show N]``
(``--held-out``: draws 0–2 summed; draw 7 is never tuned on) prints the twenty-first
generator's columns.
"""

from __future__ import annotations

import base64
import json
import random
import re
import sys
import urllib.parse
from collections.abc import Callable, Iterator

from tests.redaction.twelfth_variations import Case
from tests.redaction.twentieth_variations import hexid, key, uuid
from tests.redaction.twentyfirst_variations import measure as _measure
from tests.redaction.twentyfirst_variations import report
from tests.redaction.twentythird_variations import (
    ENV_CLEAN,
    ENV_SECRET,
    PLACEHOLDERS,
    SNAKE_SECRET,
    env_pair,
    pw,
    snake_pair,
    ts,
)

N = 30
HELD_OUT_DRAW = 7  # never tuned on
E = "\x1b"

CAMEL_SECRET = ["apiKey", "accessToken", "clientSecret", "authToken", "password", "secretKey",
                "privateToken", "webhookSecret", "dbPassword", "refreshToken"]  # fmt: skip
CAMEL_CLEAN = [("commitSha", hexid), ("requestId", uuid), ("etag", lambda r: hexid(r, 32)),
               ("checksum", lambda r: hexid(r, 64)), ("traceId", lambda r: hexid(r, 32)),
               ("buildId", uuid)]  # fmt: skip

Fam = Callable[[random.Random, str, bool], tuple[str, list[str]]]
Out = tuple[str, list[str]]


def _res(text: str, clean: bool, pieces: list[str]) -> Out:
    return text, [] if clean else pieces


def camel_pair(rnd: random.Random, clean: bool, v: str) -> tuple[str, str]:
    if not clean:
        return rnd.choice(CAMEL_SECRET), v
    if rnd.random() < 0.7:
        n, mk = rnd.choice(CAMEL_CLEAN)
        return n, mk(rnd)
    return rnd.choice(CAMEL_SECRET), rnd.choice(PLACEHOLDERS)


def _b64(s: str | bytes) -> str:
    return base64.b64encode(s.encode() if isinstance(s, str) else s).decode()


# --- protocol transcripts -------------------------------------------------------------------------


def proto_sessions(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["smtp_login", "smtp_plain", "imap", "ftp", "pop3", "redis_monitor"])
    p = pw(rnd)
    user = rnd.choice(["alerts@acme.io", "svc-mailer", "bob"])
    qid = hexid(rnd, 10).upper()
    if kind == "smtp_login":
        b = _b64(p)
        last = (f" -> {b}\n <-  235 2.7.0 Authentication successful\n" if not clean
                else f" -> {_b64('*' * 8)}\n <** 535 5.7.8 Error: authentication failed\n")  # fmt: skip
        if clean and rnd.random() < 0.5:
            last = (
                f" -> MAIL FROM:<{user}>\n <-  250 2.1.0 Ok\n <-  250 2.0.0 Ok: queued as {qid}\n"
            )
        text = (
            "=== Trying smtp.acme.io:587...\n=== Connected to smtp.acme.io.\n"
            " <-  220 smtp.acme.io ESMTP Postfix\n -> EHLO build-7\n"
            " <-  250-AUTH PLAIN LOGIN\n <-  250 SIZE 10240000\n -> AUTH LOGIN\n"
            " <-  334 VXNlcm5hbWU6\n"
            f" -> {_b64(user)}\n <-  334 UGFzc3dvcmQ6\n" + last
        )
        return _res(text, clean, [b])
    if kind == "smtp_plain":
        b = _b64(f"\0{user}\0{p}")
        if clean:
            text = (f"250-AUTH PLAIN LOGIN CRAM-MD5\n250-ENHANCEDSTATUSCODES\n250 8BITMIME\n"
                    f"250 2.0.0 Ok: queued as {qid}\n")  # fmt: skip
        else:
            pre = rnd.choice(["", " -> ", "C: ", "> "])
            text = (
                f"250-AUTH PLAIN LOGIN\n{pre}AUTH PLAIN {b}\n235 2.7.0 Authentication successful\n"
            )
        return _res(text, clean, [b])
    if kind == "imap":
        x = p if not clean else rnd.choice(['"***"', "{8}", "<password>"])
        tag = rnd.choice(["a1", "A001", "1"])
        text = (f"* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS AUTH=PLAIN] Dovecot ready.\n"
                f"{tag} LOGIN {user} {x}\n{tag} OK Logged in\n")  # fmt: skip
        return _res(text, clean, [x])
    if kind == "ftp":
        x = p if not clean else rnd.choice(["****", "anonymous@", "<hidden>"])
        pre = rnd.choice(["> ", "---> ", ""])
        text = (f"< 220 ProFTPD Server (files.acme.io)\n{pre}USER {user}\n< 331 Password required\n"
                f"{pre}PASS {x}\n< 230 User logged in\n{pre}PWD\n")  # fmt: skip
        return _res(text, clean, [x])
    if kind == "pop3":
        x = p if not clean else "********"
        text = f"+OK POP3 ready <{hexid(rnd, 12)}@mx>\nUSER {user}\n+OK\nPASS {x}\n+OK Logged in.\n"
        return _res(text, clean, [x])
    x = p if not clean else hexid(rnd)
    cmd = '"AUTH" "default"' if rnd.random() < 0.5 else '"AUTH"'
    if clean:
        text = (f'1733472000.123456 [0 10.0.0.5:53122] "GET" "build:{x}"\n'
                f'1733472000.124001 [0 10.0.0.5:53122] "SET" "cache:commit" "{x}"\n')  # fmt: skip
    else:
        text = (f'1733472000.123456 [0 10.0.0.5:53122] {cmd} "{x}"\n'
                f'1733472000.124001 [0 10.0.0.5:53122] "PING"\n')  # fmt: skip
    return _res(text, clean, [x])


# --- Java properties --------------------------------------------------------------------------------


def _uesc(s: str, rnd: random.Random) -> str:
    """Some characters as ``\\uXXXX`` (what ``native2ascii`` or ``Properties.store`` print)."""
    return "".join(f"\\u{ord(c):04x}" if rnd.random() < 0.25 else c for c in s)


def java_props(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["store", "unicode", "continued", "colon", "blank", "spring_arg"])
    name = rnd.choice(["spring.datasource.password", "app.api.key", "mail.smtp.password",
                       "oauth.client.secret", "jwt.signing.secret", "db.password",
                       "kafka.sasl.jaas.password", "stripe.secret-key"])  # fmt: skip
    cname, cval = rnd.choice([("build.commit", hexid(rnd)), ("app.instance-id", uuid(rnd)),
                              ("git.commit.id", hexid(rnd)), ("cache.etag", hexid(rnd, 32))])  # fmt: skip
    x = v
    head = (
        "#Application settings\n#"
        + rnd.choice(["Sun Dec 06 12:44:10 UTC 2026", "Sat Dec 05 09:01:33 CET 2026"])
        + "\n"
    )
    url = "spring.datasource.url=jdbc\\:postgresql\\://db.internal\\:5432/app\n"
    if clean:
        if rnd.random() < 0.5:
            name, x = cname, cval
        else:
            x = rnd.choice(["${DB_PASSWORD}", "changeme", "<secret>", "${vault.db.password}"])
    if kind == "store":
        text = head + url + f"{name}={x}\nspring.datasource.username=app\n"
        return _res(text, clean, [x])
    if kind == "unicode":
        ex = _uesc(x, rnd) if not clean else x
        text = head + f"{name}={ex}\nserver.port=8080\n"
        pieces = [p for p in ex.split("\\u") if len(p) >= 12] or [ex]
        return _res(text, clean, pieces)
    if kind == "continued":
        k = rnd.randrange(8, max(9, len(x) - 8)) if not clean else len(x)
        a, b = x[:k], x[k:]
        if not clean and b:
            text = f"{name}={a}\\\n    {b}\nserver.port=8080\n"
            return _res(text, clean, [s for s in (a, b) if len(s) >= 8])
        text = f"{name}={x}\nlogging.level.root=INFO\\\n    ,console\n"
        return _res(text, clean, [x])
    if kind == "colon":
        text = f"{name} : {x}\n{name.rsplit('.', 1)[0]}.timeout : 30\n"
        return _res(text, clean, [x])
    if kind == "blank":
        text = f"{name}    {x}\nserver.port    8080\n"
        return _res(text, clean, [x])
    pre = "java -jar app.jar --server.port=8080 "
    text = f"$ {pre}--{name}={x} --spring.profiles.active=prod\n"
    return _res(text, clean, [x])


# --- XML, plists, HTML ---------------------------------------------------------------------------------


def markup_config(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["appsettings", "connstr", "spring_bean", "xml_props", "android",
                       "tomcat", "filezilla", "nextstep", "html_hidden"])  # fmt: skip
    p = pw(rnd)
    if kind == "appsettings":
        n, x = camel_pair(rnd, clean, v)
        n = n[0].upper() + n[1:]
        text = ("<configuration>\n  <appSettings>\n    <add key=\"Environment\" value=\"Production\" />\n"
                f"    <add key=\"{n}\" value=\"{x}\" />\n  </appSettings>\n</configuration>\n")  # fmt: skip
        return _res(text, clean, [x])
    if kind == "connstr":
        x = p if not clean else rnd.choice(["{password}", "__DB_PASSWORD__", "$(DbPassword)"])
        text = ("  <connectionStrings>\n    <add name=\"Default\" providerName=\"System.Data.SqlClient\"\n"
                f"         connectionString=\"Server=tcp:db.internal,1433;Database=app;User ID=app;Password={x};Encrypt=True;\" />\n"
                "  </connectionStrings>\n")  # fmt: skip
        return _res(text, clean, [x])
    if kind == "spring_bean":
        n, x = camel_pair(rnd, clean, v)
        text = ("<bean id=\"dataSource\" class=\"com.zaxxer.hikari.HikariDataSource\">\n"
                "    <property name=\"jdbcUrl\" value=\"jdbc:postgresql://db.internal:5432/app\"/>\n"
                f"    <property name=\"{n}\" value=\"{x}\"/>\n</bean>\n")  # fmt: skip
        return _res(text, clean, [x])
    if kind == "xml_props":
        n, x = snake_pair(rnd, clean, v)
        n = n.replace("_", ".")
        text = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
                '<!DOCTYPE properties SYSTEM "http://java.sun.com/dtd/properties.dtd">\n<properties>\n'
                f'<entry key="{n}">{x}</entry>\n<entry key="server.port">8080</entry>\n</properties>\n')  # fmt: skip
        return _res(text, clean, [x])
    if kind == "android":
        n, x = snake_pair(rnd, clean, v)
        n = rnd.choice(["google_maps_", "firebase_", "stripe_", ""]) + n
        text = ('<?xml version="1.0" encoding="utf-8"?>\n<resources>\n'
                '    <string name="app_name">Acme</string>\n'
                f'    <string name="{n}" translatable="false">{x}</string>\n</resources>\n')  # fmt: skip
        return _res(text, clean, [x])
    if kind == "tomcat":
        x = p if not clean else rnd.choice(["${db.password}", "changeit", "********"])
        text = ('  <Resource name="jdbc/AppDB" auth="Container" type="javax.sql.DataSource"\n'
                f'            maxTotal="20" username="app" password="{x}"\n'
                '            driverClassName="org.postgresql.Driver" url="jdbc:postgresql://db:5432/app"/>\n')  # fmt: skip
        return _res(text, clean, [x])
    if kind == "filezilla":
        b = _b64(p)
        x = b if not clean else ""
        body = (f'            <Pass encoding="base64">{x}</Pass>\n' if not clean
                else "            <Logontype>0</Logontype>\n")  # fmt: skip
        text = ("<FileZilla3 version=\"3.66.1\" platform=\"*nix\">\n    <Servers>\n        <Server>\n"
                "            <Host>ftp.acme.io</Host>\n            <Port>21</Port>\n"
                f"            <User>deploy</User>\n{body}        </Server>\n    </Servers>\n</FileZilla3>\n")  # fmt: skip
        return _res(text, clean, [b])
    if kind == "nextstep":
        n, x = camel_pair(rnd, clean, v)
        n = n[0].upper() + n[1:]
        text = (f"$ defaults read io.acme.agent\n{{\n    LastSync = \"2026-12-05 09:12:44 +0000\";\n"
                f"    {n} = {x};\n    Server = \"api.acme.io\";\n}}\n")  # fmt: skip
        return _res(text, clean, [x])
    n, x = snake_pair(rnd, clean, v)
    if clean and rnd.random() < 0.4:
        n, x = rnd.choice(SNAKE_SECRET), ""
    text = ('<form method="post" action="/oauth/token">\n'
            '  <input type="hidden" name="grant_type" value="client_credentials">\n'
            f'  <input type="hidden" name="{n}" value="{x}">\n</form>\n')  # fmt: skip
    return _res(text, clean, [x])


# --- notebooks -----------------------------------------------------------------------------------------


def notebooks(rnd: random.Random, v: str, clean: bool) -> Out:
    n, x = env_pair(rnd, clean, v)
    src = rnd.choice([
        f'{n} = "{x}"\n',
        f"os.environ['{n}'] = '{x}'\n",
        f'os.environ["{n}"] = "{x}"\n',
        f"%env {n}={x}\n",
        f"%set_env {n}={x}\n",
        f"!export {n}={x}\n",
        f'client = Client(api_key="{x}")\n' if not clean else f'client = Client(build_id="{x}")\n',
    ])  # fmt: skip
    cell = {
        "cell_type": "code",
        "execution_count": rnd.randrange(1, 40),
        "id": hexid(rnd, 8),
        "metadata": {},
        "outputs": [],
        "source": ["import os\n", src, "print('ok')"],
    }
    indent = rnd.choice([1, 2, None])
    body = json.dumps({"cells": [cell], "nbformat": 4, "nbformat_minor": 5}, indent=indent)
    return _res(body + "\n", clean, [x])


# --- REPL answers ---------------------------------------------------------------------------------------


def repl_echo(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["python", "ipython", "node", "r", "irb", "rails", "julia"])
    n = rnd.choice(ENV_SECRET)
    x = v
    if clean:
        n, mk = rnd.choice(ENV_CLEAN)
        x = mk(rnd)
    if kind == "python":
        expr = rnd.choice([f"os.environ['{n}']", f'os.getenv("{n}")', f"settings.{n}"])
        text = f">>> import os\n>>> {expr}\n'{x}'\n>>> \n"
    elif kind == "ipython":
        k = rnd.randrange(2, 30)
        text = f"In [{k}]: os.environ['{n}']\nOut[{k}]: '{x}'\n\nIn [{k + 1}]: "
    elif kind == "node":
        text = f"> process.env.{n}\n'{x}'\n> "
    elif kind == "r":
        text = f'> Sys.getenv("{n}")\n[1] "{x}"\n> '
    elif kind == "irb":
        text = f'irb(main):00{rnd.randrange(1, 9)}> ENV["{n}"]\n=> "{x}"\n'
    elif kind == "rails":
        m = n.lower()
        text = (f"Loading production environment (Rails 7.1.2)\n"
                f"app(prod)> Rails.application.credentials.{m}\n=> \"{x}\"\n")  # fmt: skip
    else:
        text = f'julia> ENV["{n}"]\n"{x}"\n\njulia> '
    return _res(text + "\n", clean, [x])


# --- key-value stores --------------------------------------------------------------------------------------


def kv_stores(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["hgetall", "hmget", "get", "mongosh", "dynamo"])
    n, x = snake_pair(rnd, clean, v)
    if kind == "hgetall":
        u = hexid(rnd, 8)
        text = (f'127.0.0.1:6379> HGETALL integration:{u}\n1) "provider"\n2) "github"\n'
                f'3) "{n}"\n4) "{x}"\n5) "created_at"\n6) "1733472000"\n')  # fmt: skip
    elif kind == "hmget":
        text = f'127.0.0.1:6379> HMGET svc:billing {n} region\n1) "{x}"\n2) "eu-west-1"\n'
    elif kind == "get":
        text = f'127.0.0.1:6379> GET config:payments:{n}\n"{x}"\n127.0.0.1:6379> \n'
    elif kind == "mongosh":
        oid = hexid(rnd, 24)
        cn = re.sub(r"_([a-z])", lambda m: m.group(1).upper(), n)
        text = (f"prod> db.integrations.findOne()\n{{\n  _id: ObjectId('{oid}'),\n  name: 'stripe',\n"
                f"  {cn}: '{x}',\n  createdAt: ISODate('2026-11-30T08:00:00.000Z')\n}}\n")  # fmt: skip
    else:
        body = {"Item": {"id": {"S": uuid(rnd)}, n: {"S": x}, "enabled": {"BOOL": True}}}
        text = json.dumps(body, indent=rnd.choice([4, None])) + "\n"
    return _res(text, clean, [x])


# --- git config ----------------------------------------------------------------------------------------


def git_config(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["extraheader", "insteadof", "show_origin", "section", "remote_v"])
    tok = rnd.choice(["ghs_", "", "glpat-", ""]) + pw(rnd)
    if not clean and tok.startswith(("ghs_", "glpat-")) and rnd.random() < 0.5:
        tok = pw(rnd)
    base = "core.repositoryformatversion=0\ncore.filemode=true\ncore.bare=false\n"
    if kind == "extraheader":
        b = _b64(f"x-access-token:{tok}")
        x = b if not clean else "***"
        scheme = rnd.choice(["basic", "Basic", "bearer"])
        if scheme == "bearer":
            x = tok if not clean else "***"
        text = base + f"http.https://github.com/.extraheader=AUTHORIZATION: {scheme} {x}\n"
        return _res(text, clean, [x])
    if kind == "insteadof":
        x = tok if not clean else "${GH_TOKEN}"
        text = base + f"url.https://x-access-token:{x}@github.com/.insteadof=https://github.com/\n"
        return _res(text, clean, [x])
    if kind == "show_origin":
        x = tok if not clean else hexid(rnd)
        line = (f"file:.git/config\tremote.origin.url=https://oauth2:{x}@gitlab.com/acme/api.git"
                if not clean else f"file:.git/config\tbranch.main.merge=refs/heads/main\n"
                f"file:.git/FETCH_HEAD\t{x}")  # fmt: skip
        text = f"file:/etc/gitconfig\tinit.defaultbranch=main\n{line}\n"
        return _res(text, clean, [x])
    if kind == "section":
        x = tok if not clean else "***"
        text = ('[core]\n\trepositoryformatversion = 0\n[remote "origin"]\n\turl = https://github.com/acme/api\n'
                f'[http "https://github.com/"]\n\textraheader = AUTHORIZATION: bearer {x}\n')  # fmt: skip
        return _res(text, clean, [x])
    x = tok if not clean else "github.com"
    host = f"x-access-token:{x}@github.com" if not clean else x
    text = (
        f"origin\thttps://{host}/acme/api.git (fetch)\norigin\thttps://{host}/acme/api.git (push)\n"
    )
    return _res(text, clean, [x])


# --- VPN and Wi-Fi ----------------------------------------------------------------------------------------


def _wgkey(rnd: random.Random) -> str:
    return _b64(bytes(rnd.getrandbits(8) for _ in range(32)))


def vpn_secrets(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["wg_conf", "wg_show", "ipsec", "nmcli", "wpa", "netsh"])
    p = pw(rnd)
    if kind == "wg_conf":
        k, psk, pub = _wgkey(rnd), _wgkey(rnd), _wgkey(rnd)
        if clean:
            text = (f"[Interface]\nAddress = 10.8.0.2/24\nDNS = 1.1.1.1\n\n[Peer]\nPublicKey = {pub}\n"
                    f"AllowedIPs = 0.0.0.0/0\nEndpoint = vpn.acme.io:51820\n")  # fmt: skip
            return text, []
        text = (f"[Interface]\nPrivateKey = {k}\nAddress = 10.8.0.2/24\n\n[Peer]\nPublicKey = {pub}\n"
                f"PresharedKey = {psk}\nEndpoint = vpn.acme.io:51820\n")  # fmt: skip
        return text, [k, psk]
    if kind == "wg_show":
        k, pub = _wgkey(rnd), _wgkey(rnd)
        pk = "(hidden)" if clean else k
        text = (f"interface: wg0\n  public key: {pub}\n  private key: {pk}\n  listening port: 51820\n\n"
                f"peer: {_wgkey(rnd)}\n  endpoint: 203.0.113.7:51820\n  allowed ips: 10.8.0.0/24\n")  # fmt: skip
        return _res(text, clean, [k])
    if kind == "ipsec":
        x = p if not clean else "/etc/ipsec.d/private/host.pem"
        form = rnd.choice([f': PSK "{x}"', f"203.0.113.7 198.51.100.2 : PSK '{x}'",
                           f'carol : XAUTH "{x}"', f'bob@acme.io : EAP "{x}"'])  # fmt: skip
        if clean:
            form = f": RSA {x}"
        text = f"# /etc/ipsec.secrets\n{form}\n"
        return _res(text, clean, [x])
    if kind == "nmcli":
        x = p if not clean else "--"
        f = rnd.choice(["802-11-wireless-security.psk:", "802-1x.password:", "vpn.secrets:"])
        val = f"password = {x}" if f == "vpn.secrets:" and not clean else x
        text = (f"connection.id:                          office\nconnection.uuid:                        {uuid(rnd)}\n"
                f"{f:<40}{val}\n802-11-wireless.ssid:                   AcmeCorp\n")  # fmt: skip
        return _res(text, clean, [x])
    if kind == "wpa":
        hx = hexid(rnd, 64)
        if clean:
            text = f'network={{\n\tssid="AcmeCorp"\n\tkey_mgmt=WPA-EAP\n\tidentity="bob"\n\tca_cert="/etc/ca.pem"\n\tbssid_hint={hexid(rnd, 12)}\n}}\n'
            return text, []
        text = f'network={{\n\tssid="AcmeCorp"\n\t#psk="{p}"\n\tpsk={hx}\n}}\n'
        return text, [p, hx]
    x = p if not clean else "Absent"
    line = (
        f"    Key Content            : {x}\n"
        if not clean
        else "    Security key           : Absent\n"
    )
    text = ("Security settings\n-----------------\n    Authentication         : WPA2-Personal\n"
            f"    Cipher                 : CCMP\n{line}\nCost settings\n")  # fmt: skip
    return _res(text, clean, [x])


# --- percent-encoded ---------------------------------------------------------------------------------------


def url_encoded(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["form_body", "redirect", "json_param", "double"])
    n, x = snake_pair(rnd, clean, v)
    q = urllib.parse.quote
    if kind == "form_body":
        body = urllib.parse.urlencode({"username": "bob", n: x, "grant_type": "password"})
        pre = rnd.choice(["DEBUG request body: ", 'body="', "> ", "data: b'"])
        end = {'body="': '"', "data: b'": "'"}.get(pre, "")
        text = f"{ts(rnd)} {pre}{body}{end}\n"
        return _res(text, clean, [q(x, safe="")])
    if kind == "redirect":
        inner = f"https://app.acme.io/cb#state={hexid(rnd, 16)}&{n}={x}&token_type=bearer"
        text = f"{ts(rnd)} 302 Location: /login?next={q(inner, safe='')}\n"
        return _res(text, clean, [q(x, safe="")])
    if kind == "json_param":
        js = json.dumps({n: x, "region": "eu"}, separators=(",", ":"))
        text = f'GET /v1/hook?payload={q(js, safe="")} HTTP/1.1" 200 512\n'
        return _res(text, clean, [q(x, safe="")])
    inner = f"https://api.acme.io/v1?{n}={q(x, safe='')}"
    text = f"{ts(rnd)} redirect=https%3A%2F%2Fsso.acme.io%2Fgo%3Fto%3D{q(inner, safe='')}\n"
    return _res(text, clean, [q(q(x, safe=""), safe="")])


# --- structured logs ----------------------------------------------------------------------------------------


def structured_logs(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["structlog", "slog", "mdc", "zap", "serilog", "pino"])
    if kind == "structlog":
        n, x = snake_pair(rnd, clean, v)
        text = (f"{E}[2m{ts(rnd)}Z{E}[0m [{E}[32m{E}[1minfo     {E}[0m] {E}[1mconnected to provider{E}[0m "
                f"{E}[36mprovider{E}[0m={E}[35mstripe{E}[0m {E}[36m{n}{E}[0m={E}[35m{x}{E}[0m\n")  # fmt: skip
    elif kind == "slog":
        n, x = snake_pair(rnd, clean, v)
        grp = rnd.choice(["db", "client", "auth", "upstream"])
        text = f'time={ts(rnd)}.123Z level=INFO msg="config loaded" {grp}.host=db.internal {grp}.{n}={x}\n'
    elif kind == "mdc":
        n, x = camel_pair(rnd, clean, v)
        text = (f"{ts(rnd)},123 INFO  [http-nio-8080-exec-3] c.a.api.AuthFilter {{{n}={x}, "
                f"requestId={uuid(rnd)}}} - authenticated\n")  # fmt: skip
    elif kind == "zap":
        n, x = camel_pair(rnd, clean, v)
        text = f'{ts(rnd)}.123Z\tINFO\tclient/client.go:88\tclient ready\t{{"endpoint": "https://api.acme.io", "{n}": "{x}"}}\n'
    elif kind == "serilog":
        n, x = camel_pair(rnd, clean, v)
        n = n[0].upper() + n[1:]
        text = json.dumps({"@t": ts(rnd) + "Z", "@mt": "Connected with {" + n + "}", n: x,
                           "SourceContext": "Acme.Api"}, separators=(",", ":")) + "\n"  # fmt: skip
    else:
        n, x = camel_pair(rnd, clean, v)
        text = (f"[{ts(rnd)[11:]}.123] {E}[32mINFO{E}[39m: {E}[36mclient configured{E}[39m\n"
                f"    endpoint: \"https://api.acme.io\"\n    {n}: \"{x}\"\n")  # fmt: skip
    return _res(text, clean, [x])


# --- Windows command lines ----------------------------------------------------------------------------------


def win_cli(rnd: random.Random, v: str, clean: bool) -> Out:
    p = pw(rnd)
    x = p if not clean else rnd.choice(["*", "%DEPLOY_PW%", "$env:DEPLOY_PW"])
    forms = [
        f"cmdkey /add:fileserver /user:ACME\\deploy /pass:{x}",
        f"xfreerdp /v:10.0.0.12 /u:Administrator /p:{x} /cert:ignore",
        f'schtasks /create /tn "Backup" /tr backup.cmd /sc daily /ru ACME\\svc /rp {x}',
        f"net use \\\\fs01\\builds {x} /user:ACME\\deploy /persistent:no",
        f"sc.exe config AcmeAgent obj= .\\svc_agent password= {x}",
        f"psexec \\\\web01 -u ACME\\admin -p {x} cmd /c ipconfig",
        f"winrs -r:web01 -u:ACME\\admin -p:{x} hostname",
        f"dsquery * -u ACME\\admin -p {x}",
    ]
    line = rnd.choice(forms)
    if clean and rnd.random() < 0.4:
        line = rnd.choice([
            f"robocopy C:\\src \\\\fs01\\builds /mir /r:3 /w:5 /log:{hexid(rnd, 8)}.log",
            f"netsh interface portproxy add v4tov4 listenport=8080 connectport=80 /p:{rnd.randrange(1000, 9999)}",
            f"msiexec /i agent.msi /qn /l*v {uuid(rnd)}.log",
        ])  # fmt: skip
    prompt = rnd.choice(["C:\\Users\\deploy>", "PS C:\\> ", "> ", ""])
    text = f"{prompt}{line}\n{rnd.choice(['The command completed successfully.', 'CMDKEY: Credential added successfully.', '[SC] ChangeServiceConfig SUCCESS'])}\n"
    return _res(text, clean, [x])


# --- heredocs ------------------------------------------------------------------------------------------------


def heredocs(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["read", "cat_subst", "hcl", "ruby", "php", "python", "toml"])
    n = rnd.choice(ENV_SECRET)
    sn = rnd.choice(SNAKE_SECRET)
    x = v
    if clean:
        if rnd.random() < 0.5:
            n, mk = rnd.choice(ENV_CLEAN)
            sn, x = n.lower(), mk(rnd)
        else:
            x = rnd.choice(["${API_TOKEN}", "$DB_PASSWORD", "<token>"])
    if kind == "read":
        text = f"$ read -r -d '' {n} <<'EOF'\n> {x}\n> EOF\n$ export {n}\n"
    elif kind == "cat_subst":
        text = f"{n}=$(cat <<EOF\n{x}\nEOF\n)\nexport {n}\n"
    elif kind == "hcl":
        text = f'resource "vault_generic_secret" "app" {{\n  {sn} = <<-EOT\n    {x}\n  EOT\n}}\n'
    elif kind == "ruby":
        text = f"{n} = <<~KEY.strip\n  {x}\nKEY\n"
    elif kind == "php":
        text = f"<?php\n${sn} = <<<'EOT'\n{x}\nEOT;\n"
    elif kind == "python":
        text = f'{n} = """\n{x}\n"""\n'
    else:
        text = f"[auth]\n{sn} = '''\n{x}\n'''\n"
    return _res(text, clean, [x])


# --- terminal codes --------------------------------------------------------------------------------------------


def term_codes(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["sgr0", "paste", "erase", "column", "truecolor", "osc133"])
    word = rnd.choice(["api key", "token", "password", "client secret", "secret", "access token",
                       "credential"])  # fmt: skip
    x = v
    if clean:
        word, mk = rnd.choice([("commit", hexid), ("request id", uuid), ("digest", lambda r: hexid(r, 64)),
                               ("etag", lambda r: hexid(r, 32))])  # fmt: skip
        x = mk(rnd)
    if kind == "sgr0":
        text = f"{E}[1m{word}:{E}(B{E}[m {x}\n"
    elif kind == "paste":
        n = rnd.choice(ENV_SECRET) if not clean else rnd.choice(ENV_CLEAN)[0]
        text = f"{E}[?2004h$ export {n}={E}[200~{x}{E}[201~\r\n{E}[?2004l\r$ \n"
    elif kind == "erase":
        text = f"{E}[2K\r{word}:{E}[K {x}\n"
    elif kind == "column":
        text = f"{E}[1m{word}{E}[0m{E}[24G{x}\n{E}[1mregion{E}[0m{E}[24Geu-west-1\n"
    elif kind == "truecolor":
        text = f"{E}[38;2;97;175;239m{word}{E}[39m {E}[38;2;152;195;121m{x}{E}[39m\n"
    else:
        text = f"{E}]133;A{E}\\$ acme auth show\n{E}]133;C{E}\\{word}: {x}\n{E}]133;D;0{E}\\"
    return _res(text + ("" if text.endswith("\n") else "\n"), clean, [x])


# --- cloud credential output ------------------------------------------------------------------------------------


def cloud_creds(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["aws_env", "aws_ps", "aws_process", "az_keys_table", "az_keys_json",
                       "az_sp", "conn_str"])  # fmt: skip
    secret = "".join(
        rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        for _ in range(40)
    )
    akid = "ASIA" + "".join(rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
    sk = secret if not clean else "None"
    if kind == "aws_env":
        if clean:
            text = f"export AWS_REGION=eu-west-1\nexport AWS_PROFILE=prod\nexport AWS_ROLE_SESSION_NAME={uuid(rnd)}\n"
            return text, []
        text = f"export AWS_ACCESS_KEY_ID={akid}\nexport AWS_SECRET_ACCESS_KEY={sk}\nexport AWS_SESSION_TOKEN={v}\n"
        return text, [sk, v]
    if kind == "aws_ps":
        if clean:
            return f'$Env:AWS_REGION="eu-west-1"\n$Env:AWS_ROLE_SESSION_NAME="{uuid(rnd)}"\n', []
        text = f'$Env:AWS_ACCESS_KEY_ID="{akid}"\n$Env:AWS_SECRET_ACCESS_KEY="{sk}"\n$Env:AWS_SESSION_TOKEN="{v}"\n'
        return text, [sk, v]
    if kind == "aws_process":
        d = {"Version": 1, "AccessKeyId": akid, "SecretAccessKey": sk, "SessionToken": v,
             "Expiration": "2026-12-06T13:44:10+00:00"}  # fmt: skip
        if clean:
            d = {"Version": 1, "RoleArn": "arn:aws:iam::123456789012:role/ci", "RoleSessionName": uuid(rnd),
                 "Expiration": "2026-12-06T13:44:10+00:00"}  # fmt: skip
        return _res(json.dumps(d, indent=4) + "\n", clean, [sk, v])
    k1, k2 = (
        _b64(bytes(rnd.getrandbits(8) for _ in range(64))),
        _b64(bytes(rnd.getrandbits(8) for _ in range(64))),
    )
    if kind == "az_keys_table":
        if clean:
            text = ("Name      ResourceGroup    Location    Kind\n--------  ---------------  ----------  ---------\n"
                    "acmelogs  rg-prod          westeurope  StorageV2\n")  # fmt: skip
            return text, []
        text = (f"KeyName    Permissions    Value\n---------  -------------  {'-' * 88}\n"
                f"key1       FULL           {k1}\nkey2       FULL           {k2}\n")  # fmt: skip
        return text, [k1, k2]
    if kind == "az_keys_json":
        if clean:
            d = [{"keyName": "key1", "permissions": "FULL", "creationTime": "2026-11-30T08:00:00Z"}]
            return json.dumps(d, indent=2) + "\n", []
        d = [{"creationTime": "2026-11-30T08:00:00Z", "keyName": "key1", "permissions": "FULL", "value": k1},
             {"creationTime": "2026-11-30T08:00:00Z", "keyName": "key2", "permissions": "FULL", "value": k2}]  # fmt: skip
        return json.dumps(d, indent=2) + "\n", [k1, k2]
    if kind == "az_sp":
        x = pw(rnd) + "~" + pw(rnd)[:8] if not clean else None
        d = {"appId": uuid(rnd), "displayName": "ci-deployer", "password": x, "tenant": uuid(rnd)}
        return _res(json.dumps(d, indent=2) + "\n", clean, [str(x)])
    x = k1 if not clean else "<key>"
    text = f'"DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey={x};EndpointSuffix=core.windows.net"\n'
    return _res(text, clean, [x])


# --- CI service messages -------------------------------------------------------------------------------------


def ci_service_msgs(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["vso", "teamcity", "buildkite", "vso_output"])
    n, x = camel_pair(rnd, clean, v)
    t = ts(rnd) + ".1234567Z "
    if kind == "vso":
        sec = "true" if not clean else "false"
        text = f"{t}##[section]Starting: Fetch secrets\n{t}##vso[task.setvariable variable={n};issecret={sec}]{x}\n"
    elif kind == "vso_output":
        text = f"{t}##vso[task.setvariable variable={n};isOutput=true]{x}\n{t}##[section]Finishing: Fetch\n"
    elif kind == "teamcity":
        text = f"##teamcity[setParameter name='env.{n.upper()}' value='{x}']\n##teamcity[progressMessage 'deploying']\n"
    else:
        text = f'$ buildkite-agent meta-data set "{n}" "{x}"\n'
    return _res(text, clean, [x])


SHAPES: dict[str, Fam] = {
    "proto_sessions": proto_sessions, "java_props": java_props, "markup_config": markup_config,
    "notebooks": notebooks, "repl_echo": repl_echo, "kv_stores": kv_stores,
    "git_config": git_config, "vpn_secrets": vpn_secrets, "url_encoded": url_encoded,
    "structured_logs": structured_logs, "win_cli": win_cli, "heredocs": heredocs,
    "term_codes": term_codes, "cloud_creds": cloud_creds, "ci_service_msgs": ci_service_msgs,
}  # fmt: skip


def one(shape: str, i: int, draw: int, clean: bool) -> Case:
    """One case, a pure function of its shape, index, draw and kind."""
    rnd = random.Random(f"twentyfourth:{shape}:{draw}:{i}:{'c' if clean else 's'}")
    v = key(rnd)
    text, pieces = SHAPES[shape](rnd, v, clean)
    assert all(p in text for p in pieces), (shape, pieces, text)
    return Case(f"{shape}_clean" if clean else shape, text, list(dict.fromkeys(pieces)))


def cases(draw: int = 0, n: int = N) -> Iterator[Case]:
    """``n`` secret and ``n`` clean cases per shape; the draw picks every choice and value."""
    for shape in SHAPES:
        for i in range(n):
            yield one(shape, i, draw, False)
        for i in range(n):
            yield one(shape, i, draw, True)


def measure(draw: int = 0, n: int = N, show: int = 0) -> dict[str, list[int]]:
    """The twenty-first generator's columns over this generator's cases."""
    return _measure(draw, n, show=show, source=cases)


def _arg(flag: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(flag) + 1]) if flag in sys.argv else default


if __name__ == "__main__":
    draws = (
        [_arg("--draw", 0)] if "--draw" in sys.argv or "--held-out" not in sys.argv else [0, 1, 2]
    )
    total: dict[str, list[int]] = {}
    for d in draws:
        for k, v in measure(d, _arg("-n", N), show=_arg("--show", 0)).items():
            total[k] = [a + b for a, b in zip(total.get(k, [0] * 9), v, strict=True)]
    report(total)
