# ruff: noqa: RUF001  (box-drawing and other-script characters are the point)
"""Twenty-second held-out generator for issue 18's contextual shapes (2026-12-06, ctx22).

Written before reading the detectors, from output an agent really prints, in families no earlier
generator (ninth to twenty-first) made as such:

- ``cmd_then_value``: a prompt and a command that fetches one secret (``vault kv get -field=``,
  ``op read``, ``gcloud secrets versions access``, ``aws secretsmanager … --query SecretString
  --output text``, ``kubectl … -o jsonpath='{.data.token}' | base64 -d``, ``az keyvault secret
  show … -o tsv``, ``doppler secrets get --plain``, ``heroku config:get``, ``terraform output
  -raw``, ``printenv``), then the bare value on the next line (or glued to the next prompt);
- ``py_repr``: Python reprs (dict, ``pprint`` over several lines, dataclass, pydantic's
  ``print(model)``, ``os.environ``, namedtuple, ``dict_items`` of tuples, bytes) behind ``>>>``,
  ``Out[n]:`` or a logging prefix;
- ``go_struct``: Go ``%+v``/``%#v`` structs, pointers, nested structs, ``[]EnvVar``;
- ``rust_debug``: ``{:?}`` and ``{:#?}``, ``Some(…)``/newtypes with the value on its own line;
- ``jvm_tostring``: IntelliJ's ``toString``, Lombok/Kotlin ``Cfg(a=b)``, records ``Cfg[a=b]``,
  Spring Boot actuator ``/env`` (the value one level under the property's name);
- ``yaml_anchors``: anchors and aliases, ``<<:`` merges, tags, block scalars with indicators,
  ``? key`` complex keys, a comment between key and value, flow sequences of maps;
- ``config_continued``: ``.properties`` (``:``/blank separators, ``\\`` continuations), INI values
  on the next indented line, TOML multi-line and inline tables, HCL ``variable "x" { default }``
  blocks and heredocs;
- ``service_env``: systemd ``Environment=`` with several quoted pairs, supervisord
  ``environment=``, Apache ``SetEnv``, nginx ``proxy_set_header``/``fastcgi_param``, a crontab
  line, a launchd plist ``<key>``/``<string>`` pair, ``reg query`` rows;
- ``name_value_objects``: a name in one member and the value in another (Azure app settings JSON
  and ``-o table``, CloudFormation ``ParameterKey``/``ParameterValue`` and ``--output text``,
  tags ``Key``/``Value``, Ansible loop items, ``gh api`` variables, ``consul kv get -recurse``,
  ``etcdctl get --prefix``);
- ``nested_escapes``: JSON inside a JSON string (escaped once and twice), logfmt with escaped
  JSON, Python bytes reprs of bodies, url-encoded form bodies (also ``\\u0026``-escaped in a
  docker JSON log);
- ``url_dsn``: userinfo with percent escapes, Azure SAS ``sig=``, OAuth fragments, ``git remote
  -v`` with ``x-access-token``, ADO.NET ``Password={…}``, JDBC, ``redis://:pw@``;
- ``http_debug``: Python ``http.client`` ``send: b'…\\r\\nAuthorization: …'``, ``wget -d``,
  ``grpcurl -v`` metadata, Go ``DumpRequestOut``, ``Cookie:`` lists, Netscape ``cookies.txt``;
- ``secret_cli``: ``pulumi stack output --show-secrets``, ``pulumi config --show-secrets``,
  Infisical's box, ``chamber list -e``/``export``, ``sops -d``;
- ``shell_history``: ``history`` and CI echo lines with the value as a flag (``-p<pw>`` glued,
  ``-a``, ``-u user:pw``, ``PGPASSWORD=``, ``sshpass -p``, ``-passin pass:``, ``htpasswd -b``);
- ``open21``: the twenty-first pass's open shapes: a header cut by the terminal right after a
  word that names a secret itself (``AUTH_`` over ``TOKEN``), rows wrapped twice, Miller's
  ``--opprint`` with one blank inside an aligned header, 40 hex digits under ``*_PAT`` and
  ``*_CREDS`` names, ``пароль = <7 characters>``.

Clean look-alikes of every family (commit ids, digests, UUIDs, ETags, checksums, resource
versions, placeholders ``<redacted>``, ``****``, ``${VAR}``, ``[secret]``, ``null``, sops
``ENC[…]``, Key Vault references, an empty Go field before the next, ``-p 8080:80``).

``cases(draw, n)`` yields ``Case`` rows; ``python -m tests.redaction.twentysecond_variations
[--held-out] [--draw K] [-n N] [--show N]`` (``--held-out``: draws 0–2 summed; draw 7 is never
tuned on) prints the same columns as the twenty-first generator.
"""

from __future__ import annotations

import base64
import json
import pprint
import random
import re
import sys
import urllib.parse
from collections.abc import Callable, Iterator

from tests.redaction.twelfth_variations import Case
from tests.redaction.twentieth_variations import b64blob, hexid, key, uuid
from tests.redaction.twentyfirst_variations import measure as _measure
from tests.redaction.twentyfirst_variations import report

N = 30
HELD_OUT_DRAW = 7  # never tuned on

# A secret's name as words; spelled in a style per case.
WORDS = [["password"], ["api", "key"], ["client", "secret"], ["access", "token"],
         ["auth", "token"], ["db", "password"], ["private", "key"], ["secret", "key"],
         ["webhook", "secret"], ["signing", "key"], ["refresh", "token"], ["api", "token"],
         ["secret"], ["token"], ["admin", "password"]]  # fmt: skip
CLEAN_WORDS = [["commit"], ["request", "id"], ["etag"], ["checksum"], ["digest"],
               ["build", "id"], ["trace", "id"], ["image", "digest"], ["git", "sha"]]  # fmt: skip
PLACEHOLDERS = ["<redacted>", "****", "********", "${DB_PASSWORD}", "[secret]", "REDACTED",
                "<hidden>", "$API_TOKEN", "***"]  # fmt: skip
_APPS = ["api", "worker", "billing", "ledger", "web", "ingest"]


def spell(words: list[str], style: str) -> str:
    if style == "snake":
        return "_".join(words)
    if style == "upper":
        return "_".join(words).upper()
    if style == "camel":
        return words[0] + "".join(w.title() for w in words[1:])
    if style == "pascal":
        return "".join(w.title() for w in words)
    if style == "kebab":
        return "-".join(words)
    return ".".join(words)


def _clean_value(rnd: random.Random, words: list[str]) -> str:
    w = words[-1]
    if w in ("commit", "sha"):
        return hexid(rnd)
    if w == "id":
        return uuid(rnd)
    if w == "etag":
        return hexid(rnd, 32)
    if w == "checksum":
        return hexid(rnd, 64)
    return "sha256:" + hexid(rnd, 64)


def pick(rnd: random.Random, clean: bool, styles: list[str], v: str) -> tuple[str, str]:
    """A (name, value): a secret's name and ``v``, or (clean) an id's name and its value, or a
    secret's name over a placeholder."""
    style = rnd.choice(styles)
    if not clean:
        return spell(rnd.choice(WORDS), style), v
    if rnd.random() < 0.5:
        ws = rnd.choice(CLEAN_WORDS)
        return spell(ws, style), _clean_value(rnd, ws)
    return spell(rnd.choice(WORDS), style), rnd.choice(PLACEHOLDERS)


Fam = Callable[[random.Random, str, bool], tuple[str, list[str]]]


# --- a command, then the value it printed --------------------------------------------------------

_FETCH = [
    "vault kv get -field=password secret/prod/db",
    'op read "op://Prod/db/password"',
    "gcloud secrets versions access latest --secret=api-key",
    "aws secretsmanager get-secret-value --secret-id prod/api --query SecretString --output text",
    "kubectl get secret api -o jsonpath='{.data.token}' | base64 -d",
    "az keyvault secret show --vault-name kv-prod --name db-password --query value -o tsv",
    "doppler secrets get STRIPE_KEY --plain",
    "heroku config:get DATABASE_PASSWORD -a billing",
    "terraform output -raw db_password",
    "printenv GITHUB_TOKEN",
    "echo $API_TOKEN",
    "pulumi config get dbPassword",
    "cat ~/.secrets/deploy_token",
]
_FETCH_CLEAN = [
    ("git rev-parse HEAD", hexid),
    ("kubectl get pod web -o jsonpath='{.metadata.uid}'", uuid),
    ("docker inspect -f '{{.Id}}' web", lambda r: "sha256:" + hexid(r, 64)),
    ("sha256sum dist.tar.gz | cut -d' ' -f1", lambda r: hexid(r, 64)),
    ("git log -1 --format=%H", hexid),
    ("uuidgen", uuid),
    ("vault kv get -field=password secret/prod/db", lambda r: r.choice(["****", "<redacted>"])),
    ("kubectl get secret api -o jsonpath='{.metadata.resourceVersion}'",
     lambda r: str(r.randrange(10**6, 10**8))),
    ("aws sts get-caller-identity --query Account --output text",
     lambda r: str(r.randrange(10**11, 10**12))),
]  # fmt: skip
_PROMPTS = ["$ ", "❯ ", "dev@box:~/app$ ", "% ", "PS C:\\app> ", "(venv) $ ", "# "]


def cmd_then_value(rnd: random.Random, v: str, clean: bool) -> tuple[str, list[str]]:
    p = rnd.choice(_PROMPTS)
    if clean:
        cmd, mk = rnd.choice(_FETCH_CLEAN)
        v = mk(rnd)
    else:
        cmd = rnd.choice(_FETCH)
    tail = rnd.choice(["\n" + p + "\n", "\n" + p + "ls\nREADME.md\n", p + "\n", "\n"])
    return f"{p}cd app\n{p}{cmd}\n{v}{tail}", [] if clean else [v]


# --- language reprs --------------------------------------------------------------------------------


def py_repr(rnd: random.Random, v: str, clean: bool) -> tuple[str, list[str]]:
    n, x = pick(rnd, clean, ["snake", "snake", "upper"], v)
    if clean and rnd.random() < 0.2:
        n, x = spell(rnd.choice(WORDS), "snake"), "**********"
    kind = rnd.choice(["dict", "pprint", "dataclass", "pydantic", "environ", "namedtuple",
                       "items", "bytes"])  # fmt: skip
    pre = rnd.choice([">>> cfg\n", "Out[3]: ", "INFO:app.settings:loaded ", "", "DEBUG:root:"])
    d = {"host": "db.internal", n: x, "port": 5432, "sslmode": "require"}
    if kind == "dict":
        body = repr(d)
    elif kind == "pprint":
        body = pprint.pformat({"database": d, "debug": False}, width=rnd.choice([40, 60]))
    elif kind == "dataclass":
        body = f"Settings(host='db.internal', {n}={x!r}, port=5432, debug=False)"
    elif kind == "pydantic":
        val = "SecretStr('**********')" if x == "**********" else repr(x)
        body = f"host='db.internal' {n}={val} port=5432"
    elif kind == "environ":
        body = "environ(" + repr({"HOME": "/root", n.upper(): x, "LANG": "C.UTF-8"}) + ")"
    elif kind == "namedtuple":
        body = f"Creds(user='app', {n}={x!r})"
    elif kind == "items":
        body = repr(list(d.items()))
        body = rnd.choice([body, f"dict_items({body})"])
    else:
        body = repr(json.dumps({n: x, "user": "app"}).encode())
    return pre + body + "\n", [] if clean else [v]


def go_struct(rnd: random.Random, v: str, clean: bool) -> tuple[str, list[str]]:
    n, x = pick(rnd, clean, ["pascal", "pascal", "upper"], v)
    if clean and rnd.random() < 0.3:
        n, x = spell(rnd.choice(WORDS), "pascal"), ""  # an empty field before the next
    kind = rnd.choice(["plus", "ptr", "hash", "nested", "log", "envvar"])
    if kind == "plus":
        body = f"{{Host:db.internal Port:5432 User:app {n}:{x} SSLMode:require}}"
    elif kind == "ptr":
        body = f"&{{Addr::8080 {n}:{x} Timeout:30s}}"
    elif kind == "hash":
        body = f'&main.Config{{Host:"db.internal", Port:5432, {n}:"{x}", Debug:false}}'
    elif kind == "nested":
        body = f"{{DB:{{User:app {n}:{x} Name:ledger}} Addr::8080}}"
    elif kind == "log":
        body = rnd.choice([f"2026/12/06 07:01:02 config: {{Region:eu-west-1 {n}:{x}}}",
                           f'level=info msg=loaded cfg="{{Region:eu-west-1 {n}:{x}}}"'])  # fmt: skip
    else:
        name = spell(rnd.choice(WORDS if not clean or x in PLACEHOLDERS else CLEAN_WORDS), "upper")
        body = f"[{{Name:PORT Value:8080 ValueFrom:nil}} {{Name:{name} Value:{x} ValueFrom:nil}}]"
    return body + "\n", [] if clean else [v]


def rust_debug(rnd: random.Random, v: str, clean: bool) -> tuple[str, list[str]]:
    n, x = pick(rnd, clean, ["snake"], v)
    q = f'"{x}"'
    if clean and rnd.random() < 0.3:
        q = rnd.choice(["None", "Secret([REDACTED alloc::string::String])", "[REDACTED]"])
    kind = rnd.choice(["line", "pretty", "some", "some_pretty", "newtype"])
    if kind == "line":
        return f'Config {{ host: "db.internal", {n}: {q}, port: 5432 }}\n', [] if clean else [v]
    if kind == "pretty":
        body = f'Config {{\n    host: "db.internal",\n    {n}: {q},\n    port: 5432,\n}}'
    elif kind == "some":
        inner = q if q.startswith(("None", "Secret", "[")) else f"Some({q})"
        body = f'Config {{ host: "db.internal", {n}: {inner}, retries: 3 }}'
    elif kind == "some_pretty":
        inner = q if q.startswith(("None", "Secret", "[")) else f"Some(\n        {q},\n    )"
        body = f'Config {{\n    host: "db.internal",\n    {n}: {inner},\n    retries: 3,\n}}'
    else:
        w = rnd.choice(["Secret", "Token", "ApiKey"])
        inner = q if q.startswith(("None", "Secret", "[")) else f"{w}(\n        {q},\n    )"
        body = f'Credentials {{\n    user: "app",\n    {n}: {inner},\n}}'
    return rnd.choice(["", "[src/main.rs:12:5] cfg = "]) + body + "\n", [] if clean else [v]


def jvm_tostring(rnd: random.Random, v: str, clean: bool) -> tuple[str, list[str]]:
    n, x = pick(rnd, clean, ["camel"], v)
    if clean and rnd.random() < 0.2:
        x = "null"
    kind = rnd.choice(["intellij", "lombok", "record", "guava", "actuator"])
    pre = rnd.choice(["", "2026-12-06 07:01:02.123  INFO 1 --- [main] c.e.App : Loaded "])
    if kind == "intellij":
        body = f"DataSourceConfig{{url='jdbc:postgresql://db/app', username='app', {n}='{x}'}}"
    elif kind == "lombok":
        body = f"DataSourceConfig(url=jdbc:postgresql://db/app, {n}={x}, poolSize=10)"
    elif kind == "record":
        body = f"Creds[user=app, {n}={x}, ttl=PT1H]"
    elif kind == "guava":
        body = f"Creds{{user=app, {n}={x}}}"
    else:
        prop = "spring.datasource." + n if rnd.random() < 0.5 else "app." + n
        if clean and x not in PLACEHOLDERS and x != "null":
            x = rnd.choice(["******", x])
        origin = '"origin":"class path resource [application.yml] - 12:15"'
        body = json.dumps({"name": "applicationConfig", "properties": {
            prop: {"value": x, "origin": "class path resource [application.yml] - 12:15"},
            "server.port": {"value": 8080}}}, indent=rnd.choice([None, 2]))  # fmt: skip
        del origin
        pre = ""
    return pre + body + "\n", [] if clean else [v]


# --- configuration files -----------------------------------------------------------------------


def yaml_anchors(rnd: random.Random, v: str, clean: bool) -> tuple[str, list[str]]:
    n, x = pick(rnd, clean, ["snake", "upper", "camel"], v)
    if clean and rnd.random() < 0.3:
        x = rnd.choice(["!secret db_password", "${{ secrets.API_TOKEN }}",
                        "{{ .Values.db.password }}"])  # fmt: skip
    kind = rnd.choice(["merge", "anchor_value", "tag", "block", "complex", "comment", "flow"])
    if kind == "merge":
        t = f"x-creds: &creds\n  DB_USER: app\n  {n}: {x}\nservices:\n  api:\n    environment:\n      <<: *creds\n"
    elif kind == "anchor_value":
        t = f"defaults:\n  {n}: &pw {x}\nreplica:\n  {n}: *pw\n"
    elif kind == "tag":
        t = f"auth:\n  {n}: !!str {x}\n  user: !!str app\n"
    elif kind == "block":
        ind = rnd.choice(["|-", ">-", "|", "|2-", ">"])
        sp = "    " if ind.startswith("|2") else "    "
        t = f"auth:\n  user: app\n  {n}: {ind}\n{sp}{x}\n  port: 5432\n"
    elif kind == "complex":
        t = f"auth:\n  ? {n}\n  : {x}\n  ? user\n  : app\n"
    elif kind == "comment":
        t = f"auth:\n  {n}: # rotated 2026-11-02\n    {x}\n  user: app\n"
    else:
        t = f"env: [{{name: NODE_ENV, value: production}}, {{name: {n}, value: {x}}}]\n"
    return "---\n" + t, [] if clean else [v]


def config_continued(rnd: random.Random, v: str, clean: bool) -> tuple[str, list[str]]:
    n, x = pick(rnd, clean, ["dot", "snake", "camel"], v)
    pieces = [] if clean else [v]
    kind = rnd.choice(["props_colon", "props_blank", "props_cont", "ini_next", "toml_multi",
                       "toml_inline", "hcl_var", "hcl_heredoc"])  # fmt: skip
    if kind == "props_colon":
        t = f"# app.properties\nserver.port = 8080\ndb.{n} : {x}\n"
    elif kind == "props_blank":
        t = f"server.port 8080\ndb.{n}    {x}\nlog.level  INFO\n"
    elif kind == "props_cont":
        k = len(x) // 2
        t = f"server.port=8080\ndb.{n}={x[:k]}\\\n    {x[k:]}\nlog.level=INFO\n"
        if not clean:
            pieces = [p for p in (x[:k], x[k:]) if len(p) >= 8]
    elif kind == "ini_next":
        t = f"[auth]\nuser = app\n{n} =\n    {x}\nport = 5432\n"
    elif kind == "toml_multi":
        t = f'[auth]\nuser = "app"\n{n} = """\n{x}"""\n'
    elif kind == "toml_inline":
        t = f'db = {{ user = "app", {n} = "{x}", port = 5432 }}\n'
    elif kind == "hcl_var":
        d = f'"{x}"' if x not in ("null",) else x
        t = f'variable "{n}" {{\n  type      = string\n  default   = {d}\n  sensitive = true\n}}\n'
    else:
        t = f'resource "vault_generic_secret" "db" {{\n  path = "secret/db"\n  data_json = <<EOT\n{{"{n}": "{x}"}}\nEOT\n}}\n'
    return t, pieces


def service_env(rnd: random.Random, v: str, clean: bool) -> tuple[str, list[str]]:
    n, x = pick(rnd, clean, ["upper"], v)
    if clean and rnd.random() < 0.2:
        n, x = "DB_PASSWORD_FILE", "/run/secrets/db"
    kind = rnd.choice(["systemd", "supervisord", "apache", "nginx", "fastcgi", "cron", "plist",
                       "reg"])  # fmt: skip
    if kind == "systemd":
        t = (f"# /etc/systemd/system/api.service\n[Service]\nUser=api\n"
             f'Environment="NODE_ENV=production" "{n}={x}" "PORT=8080"\nExecStart=/usr/bin/node server.js\n')  # fmt: skip
    elif kind == "supervisord":
        t = f'[program:api]\ncommand=/usr/bin/node server.js\nenvironment=NODE_ENV="production",{n}="{x}",PORT="8080"\n'
    elif kind == "apache":
        t = f"<VirtualHost *:80>\n    SetEnv APP_ENV production\n    SetEnv {n} {x}\n</VirtualHost>\n"
    elif kind == "nginx":
        h = rnd.choice(["X-Api-Key", "X-Auth-Token", "Private-Token"]) if not clean else rnd.choice(["X-Request-Id", "X-Api-Key"])  # fmt: skip
        if clean and h == "X-Request-Id":
            x = uuid(rnd)
        elif clean:
            x = "$http_x_api_key"
        t = f'location /api/ {{\n    proxy_pass http://backend;\n    proxy_set_header {h} "{x}";\n}}\n'
    elif kind == "fastcgi":
        t = f"location ~ \\.php$ {{\n    fastcgi_param APP_ENV production;\n    fastcgi_param {n} {x};\n}}\n"
    elif kind == "cron":
        t = f"# m h dom mon dow command\n*/5 * * * * {n}={x} /usr/local/bin/sync --quiet\n"
    elif kind == "plist":
        t = (f"<dict>\n\t<key>EnvironmentVariables</key>\n\t<dict>\n\t\t<key>{n}</key>\n"
             f"\t\t<string>{x}</string>\n\t</dict>\n</dict>\n")  # fmt: skip
    else:
        t = (f"\nHKEY_CURRENT_USER\\Environment\n    Path    REG_EXPAND_SZ    %USERPROFILE%\\bin\n"
             f"    {n}    REG_SZ    {x}\n\n")  # fmt: skip
    return t, [] if clean else [v]


def name_value_objects(rnd: random.Random, v: str, clean: bool) -> tuple[str, list[str]]:
    n, x = pick(rnd, clean, ["upper", "pascal"], v)
    if clean and rnd.random() < 0.25:
        x = "@Microsoft.KeyVault(SecretUri=https://kv-prod.vault.azure.net/secrets/db/)"
    kind = rnd.choice(["az_json", "az_table", "cfn_json", "cfn_text", "tags", "ansible", "gh_api",
                       "consul", "etcd"])  # fmt: skip
    if kind == "az_json":
        t = json.dumps([{"name": "WEBSITE_RUN_FROM_PACKAGE", "slotSetting": False, "value": "1"},
                        {"name": n, "slotSetting": False, "value": x}], indent=2) + "\n"  # fmt: skip
    elif kind == "az_table":
        w = max(len(n), 24)
        t = (f"{'Name':<{w}}  SlotSetting    Value\n{'-' * w}  -------------  {'-' * len(x)}\n"
             f"{'WEBSITE_RUN_FROM_PACKAGE':<{w}}  False          1\n{n:<{w}}  False          {x}\n")  # fmt: skip
    elif kind == "cfn_json":
        t = json.dumps({"Parameters": [{"ParameterKey": "Env", "ParameterValue": "prod"},
                        {"ParameterKey": n, "ParameterValue": x}]}, indent=4) + "\n"  # fmt: skip
    elif kind == "cfn_text":
        t = f"STACKS\tledger\tCREATE_COMPLETE\nPARAMETERS\tEnv\tprod\nPARAMETERS\t{n}\t{x}\n"
    elif kind == "tags":
        t = json.dumps({"Tags": [{"Key": "team", "Value": "ops"}, {"Key": n, "Value": x}]}) + "\n"
    elif kind == "ansible":
        t = (f"TASK [app : write env] *****\nok: [web1] => (item={{'key': 'PORT', 'value': 8080}})\n"
             f"changed: [web1] => (item={{'key': '{n}', 'value': '{x}'}})\n")  # fmt: skip
    elif kind == "gh_api":
        t = json.dumps({"total_count": 1, "variables": [{"name": n, "value": x,
                        "created_at": "2026-11-02T10:00:00Z"}]}) + "\n"  # fmt: skip
    elif kind == "consul":
        t = f"config/api/port:8080\nconfig/api/{n.lower()}:{x}\nconfig/api/region:eu-west-1\n"
    else:
        t = f"/config/api/port\n8080\n/config/api/{n.lower()}\n{x}\n"
    return t, [] if clean else [v]


# --- strings inside strings, URLs, HTTP ------------------------------------------------------------


def nested_escapes(rnd: random.Random, v: str, clean: bool) -> tuple[str, list[str]]:
    n, x = pick(rnd, clean, ["snake", "camel"], v)
    kind = rnd.choice(["json_in_json", "twice", "logfmt", "pybytes", "form", "docker_log"])
    inner = json.dumps({n: x, "grant_type": "client_credentials"}, separators=(",", ":"))
    if kind == "json_in_json":
        t = json.dumps({"level": "debug", "msg": "request body: " + inner})
    elif kind == "twice":
        t = json.dumps({"event": "retry", "payload": json.dumps({"body": inner})})
    elif kind == "logfmt":
        t = "level=debug msg=" + json.dumps("payload=" + inner) + " dur=12ms"
    elif kind == "pybytes":
        t = "DEBUG:urllib3:body=" + repr(f"username=app&{n}={x}&scope=read".encode())
    elif kind == "form":
        t = f"2026-12-06T07:01:02Z POST /oauth/token body: client_id=ledger&{n}={x}&scope=read"
    else:
        line = f"POST /token client_id=ledger&{n}={x}\n"
        t = json.dumps({"log": line, "stream": "stdout", "time": "2026-12-06T07:01:02Z"})
        t = t.replace("&", "\\u0026")
    return t + "\n", [] if clean else [v]


def url_dsn(rnd: random.Random, v: str, clean: bool) -> tuple[str, list[str]]:
    kind = rnd.choice(["userinfo", "sas", "fragment", "query", "git_remote", "adonet", "jdbc",
                       "redis"])  # fmt: skip
    x = v
    enc = urllib.parse.quote(v, safe="")
    if kind == "userinfo":
        x = v[:6] + "@" + v[6:12] + "/" + v[12:]
        enc = urllib.parse.quote(x, safe="")
    pieces = [p for p in re.split(r"%[0-9A-F]{2}", enc) if len(p) >= 8] or [enc]
    if clean:
        pieces = []
        # (an id only where the slot names no secret: a hex password in a URL is a password)
        kind2 = rnd.choice(["ph", "id"]) if kind == "query" else "ph"
        if kind2 == "ph":
            x = enc = rnd.choice(["****", "${DB_PASSWORD}", "REDACTED"])
        else:
            x = enc = hexid(rnd)
    if kind == "userinfo":
        t = f"connecting to postgres://app:{enc}@db.internal:5432/ledger?sslmode=require"
    elif kind == "sas":
        sig = urllib.parse.quote(base64.b64encode(hashlike(rnd)).decode(), safe="")
        if not clean:
            pieces = [p for p in re.split(r"%[0-9A-F]{2}", sig) if len(p) >= 8]
        else:
            sig = rnd.choice(["REDACTED", "<sig>", "${SAS_SIG}"])
        t = (f"https://acct.blob.core.windows.net/exports/ledger.csv?sv=2022-11-02&ss=b&srt=o"
             f"&sp=r&se=2026-12-31T00:00:00Z&spr=https&sig={sig}")  # fmt: skip
    elif kind == "fragment":
        t = f"Redirecting to https://app.example.test/cb#access_token={enc}&token_type=bearer&expires_in=3600"
    elif kind == "query":
        p = rnd.choice(["access_token", "api_key", "client_secret", "token"])
        if clean and x not in ("****", "${DB_PASSWORD}", "REDACTED"):
            p = rnd.choice(["sha", "commit", "rev"])
        t = f'"GET /v1/report?{p}={enc}&page=2 HTTP/1.1" 200 512'
    elif kind == "git_remote":
        t = (f"origin\thttps://x-access-token:{enc}@github.com/acme/ledger.git (fetch)\n"
             f"origin\thttps://x-access-token:{enc}@github.com/acme/ledger.git (push)")  # fmt: skip
    elif kind == "adonet":
        t = f"Server=tcp:db.database.windows.net,1433;Initial Catalog=ledger;User ID=app;Password={{{x}}};Encrypt=True;"
    elif kind == "jdbc":
        t = rnd.choice([f"jdbc:sqlserver://db:1433;databaseName=ledger;user=app;password={x};",
                        f"jdbc:postgresql://db/ledger?user=app&password={enc}&ssl=true"])  # fmt: skip
    else:
        t = f"redis://:{enc}@cache.internal:6379/0"
    pre = rnd.choice(["", "INFO ", "$ git remote -v\n", "[db] "])
    return pre + t + "\n", pieces


def hashlike(rnd: random.Random) -> bytes:
    return bytes(rnd.getrandbits(8) for _ in range(32))


def http_debug(rnd: random.Random, v: str, clean: bool) -> tuple[str, list[str]]:
    kind = rnd.choice(["httpclient", "setcookie", "wget", "grpcurl", "godump", "cookie",
                       "cookiejar"])  # fmt: skip
    hname = rnd.choice(["Authorization: Bearer ", "X-Api-Key: ", "Private-Token: ",
                        "Authorization: Token "])  # fmt: skip
    cname = rnd.choice(["sessionid", "session", "connect.sid", "_gh_sess", "auth_token",
                        "__Secure-next-auth.session-token"])  # fmt: skip
    x = v
    if clean:
        if rnd.random() < 0.5:
            hname, cname = "X-Request-Id: ", rnd.choice(["_ga", "theme", "_gid", "lang"])
            x = (
                uuid(rnd)
                if kind not in ("cookie", "cookiejar", "setcookie")
                else rnd.choice(
                    ["GA1.2.1843526071.1764990000", "dark", "en-GB", "GA1.2.771245611.1764990012"]
                )
            )
        else:
            x = rnd.choice(["<redacted>", "***", "[REDACTED]"])
    if kind == "httpclient":
        t = (f"send: b'POST /v1/token HTTP/1.1\\r\\nHost: api.example.test\\r\\n{hname}{x}"
             f"\\r\\nContent-Length: 0\\r\\n\\r\\n'\nreply: 'HTTP/1.1 200 OK\\r\\n'")  # fmt: skip
    elif kind == "setcookie":
        t = f"reply: 'HTTP/1.1 200 OK\\r\\n'\nheader: Content-Type: text/html\nheader: Set-Cookie: {cname}={x}; Path=/; HttpOnly"
    elif kind == "wget":
        t = f"---request begin---\nGET /v1/items HTTP/1.1\nHost: api.example.test\n{hname}{x}\n\n---request end---"
    elif kind == "grpcurl":
        t = f"Resolved method descriptor:\nrpc List ( .Req ) returns ( .Resp );\n\nRequest metadata to send:\n{hname.lower()}{x}\n"
    elif kind == "godump":
        t = f"GET /v1/items HTTP/1.1\r\nHost: api.example.test\r\nUser-Agent: Go-http-client/1.1\r\n{hname}{x}\r\nAccept-Encoding: gzip\r\n\r\n"
    elif kind == "cookie":
        t = f"> GET / HTTP/1.1\n> Cookie: _ga=GA1.2.1843526071.1764990000; {cname}={x}; theme=dark\n>"
    else:
        t = (f"# Netscape HTTP Cookie File\n# https://curl.se/docs/http-cookies.html\n\n"
             f".example.test\tTRUE\t/\tFALSE\t1767225600\ttheme\tdark\n"
             f"#HttpOnly_.example.test\tTRUE\t/\tTRUE\t1767225600\t{cname}\t{x}")  # fmt: skip
    return t + "\n", [] if clean else [v]


# --- secret managers' listings -------------------------------------------------------------------


def secret_cli(rnd: random.Random, v: str, clean: bool) -> tuple[str, list[str]]:
    n, x = pick(rnd, clean, ["camel", "upper"], v)
    kind = rnd.choice(["pulumi_out", "pulumi_cfg", "infisical", "chamber_list", "chamber_export",
                       "sops"])  # fmt: skip
    if clean and rnd.random() < 0.3:
        x = "[secret]"
    if clean and kind == "infisical":
        kind = "pulumi_out"  # (every cell under ``SECRET VALUE`` is a secret's value)
    if kind == "pulumi_out":
        w = max(len(n), 10) + 6
        t = (f"Current stack outputs (3):\n    {'OUTPUT':<{w}}VALUE\n    {'endpoint':<{w}}db.example.test\n"
             f"    {n:<{w}}{x}\n    {'port':<{w}}5432\n")  # fmt: skip
    elif kind == "pulumi_cfg":
        k = "ledger:" + n
        w = max(len(k), 12) + 2
        t = f"{'KEY':<{w}}VALUE\n{'aws:region':<{w}}eu-west-1\n{k:<{w}}{x}\n"
    elif kind == "infisical":
        w1, w2 = max(len(n), 11) + 2, max(len(x), 12) + 2
        t = (f"┌{'─' * w1}┬{'─' * w2}┬─────────────┐\n"
             f"│ {'SECRET NAME':<{w1 - 1}}│ {'SECRET VALUE':<{w2 - 1}}│ SECRET TYPE │\n"
             f"├{'─' * w1}┼{'─' * w2}┼─────────────┤\n"
             f"│ {'PORT':<{w1 - 1}}│ {'8080':<{w2 - 1}}│ shared      │\n"
             f"│ {n:<{w1 - 1}}│ {x:<{w2 - 1}}│ shared      │\n"
             f"└{'─' * w1}┴{'─' * w2}┴─────────────┘\n")  # fmt: skip
    elif kind == "chamber_list":
        w = max(len(n), 4) + 2
        t = (f"{'Key':<{w}}Version\tLastModified\t\tUser\t\tValue\n"
             f"{'port':<{w}}3\t2026-11-02 10:00:00\tci-bot\t\t8080\n"
             f"{n.lower():<{w}}7\t2026-11-20 12:30:00\tci-bot\t\t{x}\n")  # fmt: skip
    elif kind == "chamber_export":
        t = f'PORT="8080"\n{n.upper()}="{x}"\n'
    else:
        if clean and rnd.random() < 0.5:
            x = f"ENC[AES256_GCM,data:{b64blob(rnd, 30)},iv:{b64blob(rnd, 32)},tag:{b64blob(rnd, 16)},type:str]"
        t = (f"{n}: {x}\nport: 5432\nsops:\n    lastmodified: \"2026-11-20T12:30:00Z\"\n"
             f"    mac: ENC[AES256_GCM,data:{b64blob(rnd, 32)},iv:{b64blob(rnd, 32)},tag:{b64blob(rnd, 16)},type:str]\n"
             f"    version: 3.8.1\n")  # fmt: skip
    return t, [] if clean else [v]


_HIST = [
    "mysql -h db.internal -u root -p{x} ledger",
    "redis-cli -h cache -a {x} ping",
    "curl -u admin:{x} https://api.example.test/v1/health",
    "PGPASSWORD={x} psql -h db.internal -U app ledger",
    "sshpass -p '{x}' ssh deploy@10.0.0.5",
    "docker login -u ci-bot -p {x} registry.example.test",
    "openssl pkcs12 -in cert.p12 -passin pass:{x} -nodes",
    "htpasswd -bc .htpasswd admin {x}",
    "vault login -method=userpass username=ops password={x}",
    "gh auth login --with-token <<< {x}",
]
_HIST_CLEAN = [
    "git checkout {h}",
    "docker pull registry.example.test/api@sha256:{h64}",
    "mysql -h db.internal -u root -p ledger",
    "docker run -p 8080:80 -e REQUEST_ID={u} api",
    'redis-cli -h cache -a "$REDIS_PASSWORD" ping',
    "docker login -u ci-bot --password-stdin registry.example.test",
    "curl -u admin: https://api.example.test/v1/health",
    "git show {h} --stat",
]


def shell_history(rnd: random.Random, v: str, clean: bool) -> tuple[str, list[str]]:
    lines = []
    k = rnd.randrange(480, 900)
    pick_line = rnd.randrange(3)
    kind = rnd.choice(["history", "ci", "history"])
    for i in range(3):
        if i == pick_line:
            tpl = rnd.choice(_HIST_CLEAN if clean else _HIST)
        else:
            tpl = rnd.choice(["ls -la", "cd services/ledger", "make test", "git status"])
        cmd = tpl.format(x=v, h=hexid(rnd), h64=hexid(rnd, 64), u=uuid(rnd))
        lines.append(f"{k + i:5}  {cmd}" if kind == "history" else f"+ {cmd}")
    return "\n".join(lines) + "\n", [] if clean else [v]


# --- the twenty-first pass's open shapes ------------------------------------------------------------


def open21(rnd: random.Random, v: str, clean: bool) -> tuple[str, list[str]]:
    kind = rnd.choice(["cut_word", "wrap_twice", "miller", "hex_pat", "short_ru"])
    if kind == "hex_pat":
        name = rnd.choice(["DOCKERHUB_PAT", "GH_PAT", "APP_CREDS", "CI_CREDS", "AZDO_PAT"])
        val = hexid(rnd)
        while sum(c.isalpha() for c in val) < 8:
            val = hexid(rnd)
        if clean:
            name = rnd.choice(["GIT_COMMIT", "CREDS_FILE", "PATCH_SHA", "SPATIAL_ID"])
            val = hexid(rnd) if name != "CREDS_FILE" else "/etc/app/creds.json"
        form = rnd.choice(["{n}='{x}'", '{n}="{x}"', "export {n}={x}", "{n}={x}", "  {n}: {x}"])
        return form.format(n=name, x=val) + "\n", [] if clean else [val]
    if kind == "short_ru":
        val = "".join(rnd.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789#%")
                      for _ in range(7))  # fmt: skip
        if clean:
            val = rnd.choice(["*******", "не задан", "(пусто)", "<скрыт>"])
        name = rnd.choice(["пароль", "Пароль", "ПАРОЛЬ"])
        sep = rnd.choice([" = ", ": ", "="])
        return f"{name}{sep}{val}\n", [] if clean else [val]
    if kind == "miller":
        h = rnd.choice(["X-Auth-Token", "api_key", "password", "secret"])
        if clean:
            h = rnd.choice(["request_id", "commit", "etag"])
        rows = [[f"2026-11-{rnd.randrange(10, 29)}", rnd.choice(["ops", "sre"]),
                 (key(rnd) if not clean else (uuid(rnd) if h == "request_id" else hexid(rnd)))]
                for _ in range(rnd.randrange(1, 4))]  # fmt: skip
        head = ["CREATED", "OWNER", h]
        wd = [max(len(head[i]), *(len(r[i]) for r in rows)) for i in range(3)]
        lines = [" ".join(c.ljust(wd[i]) for i, c in enumerate(r)).rstrip() for r in [head, *rows]]
        return "\n".join(lines) + "\n", [] if clean else [r[2] for r in rows]
    # a header cut by the terminal's width right after a word naming a secret itself, or rows
    # wrapped twice
    w1 = rnd.choice(["AUTH_TOKEN", "CLIENT_SECRET", "API_KEY", "ACCESS_TOKEN", "API_TOKEN"])
    if clean:
        w1 = rnd.choice(["REQUEST_ID", "COMMIT_SHA", "IMAGE_DIGEST"])
    vals = [key(rnd) if not clean else (uuid(rnd) if "ID" in w1 else hexid(rnd))
            for _ in range(rnd.randrange(1, 3))]  # fmt: skip
    head = ["NAMESPACE", "NAME", w1, "AGE"]
    rows = [[rnd.choice(["default", "payments"]).ljust(28), rnd.choice(_APPS), x,
             f"{rnd.randrange(1, 90)}d"] for x in vals]  # fmt: skip
    if kind == "wrap_twice":
        # a wide last column: the rest of each line is wider than the terminal again
        head.append("SELECTOR")
        for r in rows:
            r.append(f"app.kubernetes.io/name={r[1]},app.kubernetes.io/part-of=payments")
    wd = [max(len(head[i]), *(len(r[i]) for r in rows)) for i in range(len(head))]
    lines = ["   ".join(c.ljust(wd[i]) for i, c in enumerate(r)).rstrip() for r in [head, *rows]]
    start = wd[0] + wd[1] + 6
    if kind == "cut_word":
        us = w1.index("_")
        cut = start + rnd.choice([us, us + 1])
    else:
        cut = start + rnd.randrange(2, len(w1) - 1)
        cut = min(cut, start + 12)
    out = []
    for ln in lines:
        while len(ln) > cut:
            out.append(ln[:cut])
            ln = ln[cut:]
        out.append(ln)
    pieces: list[str] = []
    if not clean:
        k = cut - start
        for x in vals:
            pieces += [p for p in (x[:k], x[k:]) if len(p) >= 8]
    return "\n".join(out) + "\n", pieces


SHAPES: dict[str, Fam] = {
    "cmd_then_value": cmd_then_value, "py_repr": py_repr, "go_struct": go_struct,
    "rust_debug": rust_debug, "jvm_tostring": jvm_tostring, "yaml_anchors": yaml_anchors,
    "config_continued": config_continued, "service_env": service_env,
    "name_value_objects": name_value_objects, "nested_escapes": nested_escapes,
    "url_dsn": url_dsn, "http_debug": http_debug, "secret_cli": secret_cli,
    "shell_history": shell_history, "open21": open21,
}  # fmt: skip


def one(shape: str, i: int, draw: int, clean: bool) -> Case:
    """One case, a pure function of its shape, index, draw and kind."""
    rnd = random.Random(f"twentysecond:{shape}:{draw}:{i}:{'c' if clean else 's'}")
    v = key(rnd)
    text, pieces = SHAPES[shape](rnd, v, clean)
    return Case(f"{shape}_clean" if clean else shape, text, pieces)


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
