# ruff: noqa: RUF001  (box-drawing and other-script characters are the point)
"""Twenty-third held-out generator for issue 18's contextual shapes (2026-12-06, ctx23).

Written and committed before reading the detectors, from output an agent really prints, in
families no earlier generator (ninth to twenty-second) made as such:

- ``tf_plan``: ``terraform plan`` diffs (``~ name = "old" -> "new"``, ``+ variables = {…}``
  maps of a Lambda's environment), ``terraform show`` of a ``random_password``'s ``result``,
  ``terraform state pull`` JSON ``attributes``; clean: ``(sensitive value)``, ``(known after
  apply)``, ``source_code_hash``, ``etag``, ids;
- ``k8s_describe``: ``kubectl describe pod``'s ``Environment:`` section, ``kubectl describe
  configmap``'s ``NAME:`` / ``----`` / value blocks, ``kubectl set env --list``, a
  ``last-applied-configuration`` annotation holding a Secret's JSON;
- ``ci_trace``: ``set -x`` traces (``+ export X=v``, ``++``-nested, the value echoed again in a
  later ``[ -n v ]`` test), ``::set-output``/``$GITHUB_OUTPUT`` lines, Jenkins ``+ docker login
  -p``, GitLab ``$ export`` lines; clean: ``***`` masks, ids, ``${{ secrets.X }}``;
- ``curl_verbose``: ``curl -v`` request/response headers of many APIs' key headers
  (``x-api-key``, ``PRIVATE-TOKEN``, ``X-Vault-Token``, ``DD-API-KEY``, ``Proxy-Authorization``,
  ``Basic`` of ``user:pw``), ``set-cookie``, a ``location`` with ``#access_token=``; httpie's
  ``--print=H``;
- ``proc_args``: ``ps aux``/``ps -ef`` command lines with ``--api-key=v``/``--token v``,
  ``docker history --no-trunc`` (``ENV``/``ARG``/``RUN … _authToken=``), ``/proc/<pid>/cmdline``
  with ``-D…password=``, ``systemctl status``'s process tree;
- ``ps_env``: PowerShell ``Get-ChildItem env: | Format-List``, ``$env:X = 'v'``,
  ``[Environment]::SetEnvironmentVariable``, ``setx``, ``ConvertTo-SecureString 'v'
  -AsPlainText``;
- ``cred_files``: ``.npmrc`` (``_authToken``, ``_auth``, ``_password``), ``.pypirc``,
  ``.git-credentials``, ``.docker/config.json`` (``auth`` = base64 of ``user:pw``),
  ``.yarnrc.yml``, Maven ``settings.xml``, ``gradle.properties``, ``.cargo/credentials.toml``,
  composer ``auth.json``, ``.s3cfg``, ``rclone.conf``;
- ``db_conn``: connection strings of many databases (MongoDB SRV, PostgreSQL, MySQL with a
  driver, AMQP, SQL Server ADO and ODBC, Snowflake, ClickHouse, Neo4j, libpq keywords, Redis
  TLS, Kafka JAAS, Elasticsearch, JDBC SQL Server and Oracle thin, Oracle EZConnect);
- ``pem_jwt``: JWTs wrapped at the terminal's width or by ``fold``, PEM private keys with a
  log prefix on every line (``app[web.1]:``), in a ``|-`` block indented in Helm values, JSON-
  escaped and wrapped, ``tail`` of a key (no ``BEGIN``), Python bytes reprs; clean:
  certificates, public keys, ``ssh-ed25519`` lines;
- ``json_embedded``: JSON inside a CSV cell (``""`` quotes), inside a YAML string, a
  ``last-applied`` style annotation, Gson's ``\\u003d``/``\\u0026`` escapes in URLs, Go ``%q``,
  an env var holding JSON, JSON inside XML;
- ``lang_dumps``: PHP ``print_r``/``var_dump``/``var_export``, Ruby ``inspect``/hash rockets
  (Rails ``Parameters:``), Perl ``Data::Dumper``, Elixir maps/keywords, Erlang proplists, Lua
  tables, Clojure maps, C# anonymous objects; clean: ``[FILTERED]``, ``nil``, ``string(0)``;
- ``stack_locals``: pytest ``--showlocals``, rich tracebacks' locals boxes, loguru/
  better_exceptions ``diagnose`` arrows under a call, Java ``Caused by: … key: v``, axios error
  dumps (``headers: { 'x-api-key': 'v' }``); clean: ids, ``None``, mocks;
- ``sql_inserts``: ``INSERT … (cols) VALUES (…)`` with the secret's column by position,
  ``mysqldump`` rows under their ``CREATE TABLE``, ``pg_dump`` ``COPY … FROM stdin`` rows,
  ``UPDATE … SET``, ``CREATE USER … PASSWORD``, ``IDENTIFIED BY``, ``CREATE LOGIN``, ``SET
  PASSWORD``;
- ``diff_hunks``: ``git diff`` hunks adding (and removing) secrets in ``.env``, YAML, JSON;
  coloured; ``--word-diff`` (``[-old-]{+new+}``); ``--color-words``; ``diff -y``; a YAML block
  scalar's line added under its name;
- ``cmd_subst``: a value inside a command substitution or a default (``export X=$(echo v)``,
  ``$(printf %s v)``, backticks, ``| base64 -d``, ``${X:-v}``, ``: "${X:=v}"``, compose's
  ``${X:-v}``); clean: ``$(cat …)``, ``$(echo $X)``, ``${X:-}``, ``${X:?…}``, ``$(git rev-parse
  HEAD)``.

Every family has clean look-alikes of the same form (commit ids, digests, UUIDs, ETags,
checksums, ``source_code_hash``, placeholders ``<token>``, ``${VAR}``, ``changeme``, ``xxx``,
``***``, ``(sensitive value)``).

``cases(draw, n)`` yields ``Case`` rows; ``python -m tests.redaction.twentythird_variations
[--held-out] [--draw K] [-n N] [--show N]`` (``--held-out``: draws 0–2 summed; draw 7 is never
tuned on) prints the same columns as the twenty-first generator.
"""

from __future__ import annotations

import base64
import json
import random
import sys
from collections.abc import Callable, Iterator

from tests.redaction.twelfth_variations import Case
from tests.redaction.twentieth_variations import hexid, key, uuid
from tests.redaction.twentyfirst_variations import measure as _measure
from tests.redaction.twentyfirst_variations import report

N = 30
HELD_OUT_DRAW = 7  # never tuned on
E = "\x1b"

_AN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

# Environment-style names of secrets, and of things that are not.
ENV_SECRET = ["API_KEY", "API_TOKEN", "DB_PASSWORD", "CLIENT_SECRET", "STRIPE_SECRET_KEY",
              "GITHUB_TOKEN", "SLACK_WEBHOOK_SECRET", "AUTH_TOKEN", "PRIVATE_TOKEN",
              "ACCESS_KEY_SECRET", "REDIS_PASSWORD", "NPM_TOKEN", "SENTRY_AUTH_TOKEN",
              "JWT_SECRET", "ADMIN_PASSWORD", "DATADOG_API_KEY"]  # fmt: skip
ENV_CLEAN = [("GIT_COMMIT", hexid), ("BUILD_ID", uuid), ("IMAGE_DIGEST",
             lambda r: "sha256:" + hexid(r, 64)), ("RUN_ID", uuid),
             ("CHECKSUM", lambda r: hexid(r, 64)), ("ETAG", lambda r: hexid(r, 32)),
             ("TRACE_ID", lambda r: hexid(r, 32)), ("GIT_SHA", hexid)]  # fmt: skip
SNAKE_SECRET = ["api_key", "password", "client_secret", "access_token", "auth_token",
                "secret_key", "webhook_secret", "db_password", "private_token", "api_token",
                "refresh_token", "signing_secret"]  # fmt: skip
SNAKE_CLEAN = [("commit_sha", hexid), ("request_id", uuid), ("etag", lambda r: hexid(r, 32)),
               ("checksum", lambda r: hexid(r, 64)), ("trace_id", lambda r: hexid(r, 32)),
               ("image_digest", lambda r: "sha256:" + hexid(r, 64)), ("build_id", uuid)]  # fmt: skip
PLACEHOLDERS = ["<token>", "${API_TOKEN}", "changeme", "xxx", "***", "<redacted>", "xxxxxxxx",
                "********", "$DB_PASSWORD", "<your-api-key>"]  # fmt: skip


def pw(rnd: random.Random) -> str:
    """A URL-safe generated password (no ``/``, ``+``, ``@`` or ``:``)."""
    n = rnd.choice([16, 20, 24, 32])
    while True:
        v = "".join(rnd.choice(_AN) for _ in range(n))
        if sum(c.isdigit() for c in v) >= 2 and sum(c.isupper() for c in v) >= 2:
            return v


def env_pair(rnd: random.Random, clean: bool, v: str) -> tuple[str, str]:
    """An environment name and value: a secret's over ``v``, or an id's over its id, or a
    secret's over a placeholder."""
    if not clean:
        return rnd.choice(ENV_SECRET), v
    if rnd.random() < 0.6:
        n, mk = rnd.choice(ENV_CLEAN)
        return n, mk(rnd)
    return rnd.choice(ENV_SECRET), rnd.choice(PLACEHOLDERS)


def snake_pair(rnd: random.Random, clean: bool, v: str) -> tuple[str, str]:
    if not clean:
        return rnd.choice(SNAKE_SECRET), v
    if rnd.random() < 0.6:
        n, mk = rnd.choice(SNAKE_CLEAN)
        return n, mk(rnd)
    return rnd.choice(SNAKE_SECRET), rnd.choice(PLACEHOLDERS)


def ts(rnd: random.Random) -> str:
    return f"2026-12-0{rnd.randrange(1, 7)}T0{rnd.randrange(0, 9)}:{rnd.randrange(10, 59)}:{rnd.randrange(10, 59)}"


Fam = Callable[[random.Random, str, bool], tuple[str, list[str]]]
Out = tuple[str, list[str]]


def _res(text: str, clean: bool, pieces: list[str]) -> Out:
    return text, [] if clean else pieces


# --- terraform ------------------------------------------------------------------------------------


def tf_plan(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["update", "lambda_env", "random_password", "state_json", "create"])
    rid = "db-" + hexid(rnd, 26).upper()
    if kind == "update":
        n, x = snake_pair(rnd, clean, v)
        old = key(rnd) if not clean else (hexid(rnd) if n in ("commit_sha",) else x)
        if clean and n.endswith("_id"):
            old = uuid(rnd)
        line = f'      ~ {n:<24}= "{old}" -> "{x}"'
        if clean and rnd.random() < 0.4:
            line = f"      ~ {rnd.choice(SNAKE_SECRET):<24}= (sensitive value)"
        text = (
            "Terraform will perform the following actions:\n\n"
            "  # aws_db_instance.main will be updated in-place\n"
            '  ~ resource "aws_db_instance" "main" {\n'
            f'        id                        = "{rid}"\n'
            f"{line}\n"
            "        # (41 unchanged attributes hidden)\n"
            "    }\n\nPlan: 0 to add, 1 to change, 0 to destroy.\n"
        )
        return _res(text, clean, [old, x] if not clean else [])
    if kind == "lambda_env":
        n, x = env_pair(rnd, clean, v)
        h = base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(32))).decode()
        text = (
            '  + resource "aws_lambda_function" "api" {\n'
            '      + function_name                  = "api"\n'
            f'      + source_code_hash               = "{h}"\n'
            "      + environment {\n"
            "          + variables = {\n"
            '              + "LOG_LEVEL" = "info"\n'
            f'              + "{n}" = "{x}"\n'
            "            }\n"
            "        }\n"
            "    }\n"
        )
        return _res(text, clean, [x])
    if kind == "random_password":
        x = v if not clean else "(sensitive value)"
        rtype = rnd.choice(["random_password", "random_string"]) if not clean else "random_password"
        if rtype == "random_string" and not clean:
            x = pw(rnd)
            v = x
        if clean and rnd.random() < 0.5:
            rtype, x = "random_id", hexid(rnd, 16)
            body = f'    b64_url     = "{base64.urlsafe_b64encode(bytes.fromhex(x)).decode().rstrip("=")}"\n    hex         = "{x}"\n'
        else:
            body = f'    result      = "{x}"\n'
        text = (
            f"# {rtype}.db:\n"
            f'resource "{rtype}" "db" {{\n'
            '    id          = "none"\n'
            "    length      = 32\n"
            f"{body}"
            "    special     = true\n"
            "}\n"
        )
        return _res(text, clean, [v])
    if kind == "state_json":
        n, x = snake_pair(rnd, clean, v)
        attrs = {"id": rid, "engine": "postgres", n: x, "port": 5432}
        doc = {"mode": "managed", "type": "aws_db_instance", "name": "main",
               "instances": [{"schema_version": 2, "attributes": attrs}]}  # fmt: skip
        return _res(json.dumps(doc, indent=2) + "\n", clean, [x])
    n, x = snake_pair(rnd, clean, v)
    text = (
        '  + resource "kubernetes_secret" "app" {\n'
        "      + id   = (known after apply)\n"
        "      + data = {\n"
        f'          + "{n}" = "{x}"\n'
        "        }\n"
        "    }\n"
    )
    if clean and rnd.random() < 0.3:
        text = text.replace(f'"{x}"', "(sensitive value)")
    return _res(text, clean, [x])


# --- kubectl describe ----------------------------------------------------------------------------


def k8s_describe(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["pod_env", "cm_describe", "set_env", "last_applied"])
    n, x = env_pair(rnd, clean, v)
    if kind == "pod_env":
        pad = " " * rnd.randrange(2, 8)
        other = rnd.choice(ENV_SECRET)
        text = (
            "Containers:\n"
            "  web:\n"
            f"    Container ID:   containerd://{hexid(rnd, 64)}\n"
            f"    Image ID:       ghcr.io/acme/web@sha256:{hexid(rnd, 64)}\n"
            "    Environment:\n"
            "      DB_HOST:" + pad + "db.internal\n"
            f"      {n}:{pad}{x}\n"
            f"      {other}:{pad}<set to the key 'token' in secret 'api'>  Optional: false\n"
            "    Mounts:\n"
            "      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)\n"
        )
        return _res(text, clean, [x])
    if kind == "cm_describe":
        text = (
            "Name:         web-config\nNamespace:    default\nLabels:       <none>\n\n"
            "Data\n====\nLOG_LEVEL:\n----\ninfo\n\n"
            f"{n}:\n----\n{x}\n\n"
            "BinaryData\n====\n\nEvents:  <none>\n"
        )
        return _res(text, clean, [x])
    if kind == "set_env":
        text = f"# Deployment web, container web\nLOG_LEVEL=info\n{n}={x}\nPORT=8080\n"
        if rnd.random() < 0.3:
            text = text.replace(
                "web, container web", "web, container web\n# DB_HOST from configmap db"
            )
        return _res(text, clean, [x])
    sn = n.lower()
    data = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "app", "namespace": "default"},
            "stringData": {sn: x}, "type": "Opaque"}  # fmt: skip
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  annotations:\n"
        "    kubectl.kubernetes.io/last-applied-configuration: |\n"
        f"      {json.dumps(data, separators=(',', ':'))}\n"
        f'  creationTimestamp: "{ts(rnd)}Z"\n  name: app\n'
        f"  uid: {uuid(rnd)}\ntype: Opaque\n"
    )
    return _res(text, clean, [x])


# --- CI logs and set -x traces -------------------------------------------------------------------


def ci_trace(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["xtrace", "xtrace_nested", "xtrace_test", "set_output", "jenkins", "gitlab"])
    n, x = env_pair(rnd, clean, v)
    gha = rnd.random() < 0.5
    pre = (lambda: f"{ts(rnd)}.{rnd.randrange(10**6, 10**7)}Z ") if gha else (lambda: "")
    if kind == "xtrace":
        lines = ["+ set -euo pipefail", f"+ export {n}={x}", "+ ./deploy.sh --env prod"]
    elif kind == "xtrace_nested":
        q = rnd.choice(["", "'"])
        lines = [f"++ vault kv get -field={n.lower()} secret/app", f"+ {n}={q}{x}{q}",
                 f"+ export {n}"]  # fmt: skip
    elif kind == "xtrace_test":
        lines = [f"+ {n}={x}", f"+ '[' -z {x} ']'", "+ echo 'token present'", "token present"]
    elif kind == "set_output":
        lower = n.lower()
        lines = [f"+ echo '{lower}={x}'", f"+ echo '::set-output name={lower}::{x}'"]
        lines = [rnd.choice(lines)]
        if rnd.random() < 0.5:
            lines = [
                f'+ echo "{lower}={x}" >> /home/runner/work/_temp/_runner_file_commands/set_output_{uuid(rnd)}'
            ]
    elif kind == "jenkins":
        u = rnd.choice(["deploy", "ci-bot", "jenkins"])
        if clean:
            lines = ["[Pipeline] sh", f"+ docker login -u {u} --password-stdin registry.acme.io",
                     f"+ docker tag web:{hexid(rnd, 12)} registry.acme.io/web:latest"]  # fmt: skip
        else:
            lines = ["[Pipeline] withCredentials", "[Pipeline] sh",
                     f"+ docker login -u {u} -p {x} registry.acme.io",
                     "WARNING! Using --password via the CLI is insecure. Use --password-stdin."]  # fmt: skip
    else:
        lines = [f"$ export {n}={x}", "$ ./scripts/release.sh"]
    text = "".join(pre() + ln + "\n" for ln in lines)
    return _res(text, clean, [x])


# --- curl -v and httpie ----------------------------------------------------------------------------

_KEY_HEADERS = ["x-api-key", "PRIVATE-TOKEN", "X-Vault-Token", "DD-API-KEY", "X-Auth-Token",
                "apikey", "Ocp-Apim-Subscription-Key", "X-Shopify-Access-Token",
                "X-Figma-Token"]  # fmt: skip
_CLEAN_HEADERS = [("x-request-id", uuid), ("etag", lambda r: f'"{hexid(r, 32)}"'),
                  ("x-amz-request-id", lambda r: hexid(r, 16).upper()),
                  ("cf-ray", lambda r: hexid(r, 16) + "-FRA"), ("x-trace-id", lambda r: hexid(r, 32)),
                  ("x-github-request-id", lambda r: f"{hexid(r, 4).upper()}:{hexid(r, 5).upper()}:{hexid(r, 7).upper()}")]  # fmt: skip


def curl_verbose(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["key_header", "basic", "cookie", "location", "httpie", "proxy"])
    host = rnd.choice(["api.acme.io", "gitlab.acme.io", "vault.acme.io", "api.datadoghq.eu"])
    pieces = [v]
    hdr: str
    if clean:
        name, mk = rnd.choice(_CLEAN_HEADERS)
        val = mk(rnd)
        if rnd.random() < 0.35:
            name, val = rnd.choice(_KEY_HEADERS), rnd.choice(["<token>", "***", "${API_KEY}"])
        hdr = f"> {name}: {val}"
    elif kind == "key_header":
        hdr = f"> {rnd.choice(_KEY_HEADERS)}: {v}"
    elif kind == "basic":
        user = rnd.choice(["deploy", "admin", "elastic", "bot"])
        p = pw(rnd)
        b = base64.b64encode(f"{user}:{p}".encode()).decode()
        hdr = f"* Server auth using Basic with user '{user}'\n> Authorization: Basic {b}"
        pieces = [b]
    elif kind == "cookie":
        hdr = f"> Cookie: _ga=GA1.2.{rnd.randrange(10**8, 10**9)}.{rnd.randrange(10**8, 10**9)}; session_id={v}"
    elif kind == "location":
        hdr = f"> GET /authorize HTTP/2\n< HTTP/2 302\n< location: https://app.acme.io/callback#access_token={v}&token_type=bearer&expires_in=3600"
    elif kind == "proxy":
        user = "proxyuser"
        p = pw(rnd)
        b = base64.b64encode(f"{user}:{p}".encode()).decode()
        hdr = f"> Proxy-Authorization: Basic {b}"
        pieces = [b]
    else:
        h = rnd.choice(_KEY_HEADERS)
        text = (
            f"GET /v1/items HTTP/1.1\nAccept: */*\nAccept-Encoding: gzip, deflate\n"
            f"Connection: keep-alive\nHost: {host}\n{h}: {v}\nUser-Agent: HTTPie/3.2.2\n\n"
            f"HTTP/1.1 200 OK\nContent-Type: application/json\nX-Request-Id: {uuid(rnd)}\n"
        )
        return text, pieces
    text = (
        f"*   Trying 10.0.{rnd.randrange(256)}.{rnd.randrange(256)}:443...\n"
        f"* Connected to {host} (10.0.0.7) port 443\n"
        "* ALPN: server accepted h2\n"
        f"> GET /v1/items HTTP/2\n> Host: {host}\n> user-agent: curl/8.5.0\n"
        f"{hdr}\n> accept: */*\n>\n< HTTP/2 200\n"
        f"< x-request-id: {uuid(rnd)}\n< content-type: application/json\n<\n"
    )
    return text, [] if clean else pieces


# --- process command lines -------------------------------------------------------------------------


def proc_args(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["ps_aux", "ps_docker", "history", "cmdline", "systemctl"])
    pid = rnd.randrange(1000, 99999)
    if clean:
        flag = rnd.choice(["--api-key-file=/etc/app/key", "--token-path /run/secrets/token",
                           f"--request-id {uuid(rnd)}", f"--commit {hexid(rnd)}",
                           "--password-stdin", "--password=${DB_PASSWORD}",
                           f"--checksum={hexid(rnd, 64)}"])  # fmt: skip
    else:
        flag = rnd.choice([f"--api-key={v}", f"--token {v}", f"--client-secret={v}",
                           f"--password {v}", f"--auth-token={v}", f"-token={v}"])  # fmt: skip
    if kind == "ps_aux":
        text = (
            "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n"
            f"app        {pid:5d}  0.3  1.2 123456  7890 ?        Ssl  09:00   0:01 "
            f"/usr/bin/node server.js {flag} --port 8080\n"
        )
    elif kind == "ps_docker":
        n, x = env_pair(rnd, clean, v)
        text = (
            "UID          PID    PPID  C STIME TTY          TIME CMD\n"
            f"dev        {pid}    1021  0 09:12 pts/0    00:00:00 docker run --rm -e {n}={x} "
            "-p 8080:80 ghcr.io/acme/web:1.4\n"
        )
        return _res(text, clean, [x])
    elif kind == "history":
        n, x = env_pair(rnd, clean, v)
        img = hexid(rnd, 64)
        step = rnd.choice([f"ENV {n}={x}", f"ARG {n}={x}",
                           f'RUN /bin/sh -c echo "//registry.npmjs.org/:_authToken={x}" > .npmrc # buildkit'])  # fmt: skip
        if clean and "_authToken" in step and not x.startswith(("$", "<")):
            step = f"ENV {n}={x}"
        text = (
            "IMAGE                                                                     CREATED       CREATED BY                                      SIZE      COMMENT\n"
            f'sha256:{img}   2 days ago    CMD ["node" "server.js"]                        0B        buildkit.dockerfile.v0\n'
            f"<missing>                                                                 2 days ago    {step}   0B        buildkit.dockerfile.v0\n"
        )
        return _res(text, clean, [x])
    elif kind == "cmdline":
        if clean:
            prop = rnd.choice(["-Dspring.datasource.password=${DB_PASSWORD}",
                               f"-Dapp.build.sha={hexid(rnd)}", f"-Dtrace.id={hexid(rnd, 32)}"])  # fmt: skip
        else:
            prop = rnd.choice([f"-Dspring.datasource.password={v}", f"-Djavax.net.ssl.keyStorePassword={v}",
                               f"-Dapp.api.key={v}", f"-Doauth.client.secret={v}"])  # fmt: skip
        text = f"$ cat /proc/{pid}/cmdline | tr '\\0' ' '\njava -Xmx512m {prop} -jar /app/app.jar\n"
    else:
        text = (
            "● agent.service - Acme agent\n"
            "     Loaded: loaded (/etc/systemd/system/agent.service; enabled; preset: enabled)\n"
            "     Active: active (running) since Sun 2026-12-06 08:01:12 UTC; 1h 2min ago\n"
            f"   Main PID: {pid} (agent)\n"
            "     CGroup: /system.slice/agent.service\n"
            f"             └─{pid} /usr/local/bin/agent {flag} --log-level info\n"
        )
    return _res(text, clean, [v])


# --- PowerShell and Windows ------------------------------------------------------------------------


def ps_env(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["fl", "assign", "setenv", "setx", "securestring", "get_item"])
    n, x = env_pair(rnd, clean, v)
    if kind == "fl":
        text = f"PS C:\\app> Get-ChildItem env: | Format-List\n\nName  : HOMEDRIVE\nValue : C:\n\nName  : {n}\nValue : {x}\n\nName  : OS\nValue : Windows_NT\n"
    elif kind == "assign":
        q = rnd.choice(["'", '"'])
        text = f"PS C:\\app> $env:{n} = {q}{x}{q}\nPS C:\\app> .\\deploy.ps1\n"
    elif kind == "setenv":
        text = f"PS> [Environment]::SetEnvironmentVariable('{n}', '{x}', 'User')\n"
    elif kind == "setx":
        text = f'C:\\app>setx {n} "{x}"\n\nSUCCESS: Specified value was saved.\n'
    elif kind == "securestring":
        if clean:
            text = "PS> $pw = Read-Host -AsSecureString 'Password'\nPS> $cred = New-Object PSCredential ('app', $pw)\n"
            return text, []
        text = f"PS> $pw = ConvertTo-SecureString '{x}' -AsPlainText -Force\nPS> $cred = New-Object System.Management.Automation.PSCredential ('app', $pw)\n"
    else:
        w = max(len(n), 4) + 1
        text = f"PS C:\\app> Get-Item env:{n}\n\n{'Name'.ljust(w)}Value\n{'----'.ljust(w)}-----\n{n.ljust(w)}{x}\n\n"
    return _res(text, clean, [x])


# --- credential files --------------------------------------------------------------------------------


def cred_files(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["npmrc", "npmrc_auth", "pypirc", "git_credentials", "docker_config",
                       "yarnrc", "maven", "gradle", "cargo", "composer", "s3cfg", "rclone"])  # fmt: skip
    user = rnd.choice(["bob", "deploy", "ci-bot", "__token__"])
    p = pw(rnd)
    if kind == "npmrc":
        host = rnd.choice(
            [
                "registry.npmjs.org",
                "npm.pkg.github.com",
                "gitlab.acme.io/api/v4/projects/42/packages/npm",
            ]
        )
        x = v if not clean else rnd.choice(["${NPM_TOKEN}", "${GITHUB_TOKEN}", "<token>"])
        text = f"$ cat ~/.npmrc\nregistry=https://registry.npmjs.org/\n//{host}/:_authToken={x}\nalways-auth=true\n"
        return _res(text, clean, [x])
    if kind == "npmrc_auth":
        if clean:
            text = f"$ cat .npmrc\n@acme:registry=https://npm.acme.io/\n//npm.acme.io/:username={user}\n//npm.acme.io/:email={user}@acme.io\n//npm.acme.io/:_password=${{NPM_PASSWORD_B64}}\n"
            return text, []
        if rnd.random() < 0.5:
            b = base64.b64encode(f"{user}:{p}".encode()).decode()
            text = f"$ cat .npmrc\n_auth={b}\nemail={user}@acme.io\nalways-auth=true\n"
        else:
            b = base64.b64encode(p.encode()).decode()
            text = f"$ cat .npmrc\n//npm.acme.io/:username={user}\n//npm.acme.io/:_password={b}\n//npm.acme.io/:email={user}@acme.io\n"
        return text, [b]
    if kind == "pypirc":
        x = p if not clean else rnd.choice(["<token>", "changeme", "${TWINE_PASSWORD}"])
        text = f"[distutils]\nindex-servers =\n    pypi\n    internal\n\n[internal]\nrepository = https://pypi.acme.io/\nusername = {user}\npassword = {x}\n"
        return _res(text, clean, [x])
    if kind == "git_credentials":
        if clean:
            line = rnd.choice(
                [
                    "https://github.com",
                    f"https://{user}@gitlab.acme.io",
                    "https://oauth2:${CI_JOB_TOKEN}@gitlab.acme.io",
                ]
            )
            return f"$ cat ~/.git-credentials\n{line}\n", []
        tok = rnd.choice([p, v if "/" not in v and "+" not in v else p])
        u = rnd.choice([user, "oauth2", "x-access-token", "gitlab-ci-token"])
        return (
            f"$ cat ~/.git-credentials\nhttps://{u}:{tok}@{rnd.choice(['github.com', 'gitlab.acme.io', 'bitbucket.org'])}\n",
            [tok],
        )
    if kind == "docker_config":
        if clean:
            d = {
                "auths": {"ghcr.io": {}, "https://index.docker.io/v1/": {}},
                "credsStore": rnd.choice(["desktop", "osxkeychain"]),
            }
            return json.dumps(d, indent="\t") + "\n", []
        if rnd.random() < 0.6:
            b = base64.b64encode(f"{user}:{p}".encode()).decode()
            d = {
                "auths": {
                    rnd.choice(
                        [
                            "ghcr.io",
                            "registry.gitlab.com",
                            "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
                        ]
                    ): {"auth": b}
                }
            }
            return json.dumps(d, indent="\t") + "\n", [b]
        d = {"auths": {"acr.azurecr.io": {"auth": "", "identitytoken": v}}}
        return json.dumps(d, indent="\t") + "\n", [v]
    if kind == "yarnrc":
        x = v if not clean else rnd.choice(["${NPM_AUTH_TOKEN}", "<token>"])
        text = f'nodeLinker: node-modules\nnpmRegistries:\n  "https://npm.pkg.github.com":\n    npmAlwaysAuth: true\n    npmAuthToken: {x}\nnpmScopes:\n  acme:\n    npmRegistryServer: "https://npm.pkg.github.com"\n'
        return _res(text, clean, [x])
    if kind == "maven":
        x = (
            p
            if not clean
            else rnd.choice(
                ["${env.OSSRH_PASSWORD}", "{COQLCE6DU6GtcS5P=}"[:0] + "${env.MAVEN_PASSWORD}"]
            )
        )
        text = f"<settings>\n  <servers>\n    <server>\n      <id>ossrh</id>\n      <username>{user}</username>\n      <password>{x}</password>\n    </server>\n  </servers>\n</settings>\n"
        return _res(text, clean, [x])
    if kind == "gradle":
        n = rnd.choice(
            [
                "signing.password",
                "ossrhPassword",
                "mavenCentralPassword",
                "artifactoryApiKey",
                "sonatypeToken",
            ]
        )
        if clean:
            n, x = rnd.choice(
                [
                    ("signing.keyId", hexid(rnd, 8).upper()),
                    ("org.gradle.jvmargs", "-Xmx2g"),
                    ("version", "1.4.2"),
                ]
            )
        else:
            x = p
        text = f"org.gradle.parallel=true\nsigning.secretKeyRingFile=/home/ci/.gnupg/secring.gpg\n{n}={x}\n"
        return _res(text, clean, [x])
    if kind == "cargo":
        x = v if not clean else rnd.choice(["<token>", "${CARGO_REGISTRY_TOKEN}"])
        reg = rnd.choice(["[registry]", "[registries.acme]"])
        return _res(f'$ cat ~/.cargo/credentials.toml\n{reg}\ntoken = "{x}"\n', clean, [x])
    if kind == "composer":
        x = p if not clean else "%COMPOSER_PASSWORD%"[:0] + "${COMPOSER_AUTH_PASSWORD}"
        d = {"http-basic": {"repo.packagist.com": {"username": "token", "password": x}}}
        return _res(json.dumps(d, indent=4) + "\n", clean, [x])
    if kind == "s3cfg":
        x = v if not clean else rnd.choice(["<secret>", "changeme"])
        text = f"[default]\naccess_key = AKIA{''.join(rnd.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567') for _ in range(16))}\nhost_base = s3.amazonaws.com\nsecret_key = {x}\nuse_https = True\n"
        if clean:
            text = text.replace(text.split("\n")[1] + "\n", "access_key = <key>\n")
        return _res(text, clean, [x])
    x = v if not clean else rnd.choice(["<secret>", "${RCLONE_SECRET}"])
    text = f"[s3]\ntype = s3\nprovider = AWS\nenv_auth = false\naccess_key_id = <key-id>\nsecret_access_key = {x}\nregion = eu-west-1\n"
    return _res(text, clean, [x])


# --- connection strings --------------------------------------------------------------------------------


def db_conn(rnd: random.Random, v: str, clean: bool) -> Out:
    p = (
        pw(rnd)
        if not clean
        else rnd.choice(["${DB_PASSWORD}", "****", "<password>", "%s", "{password}"])
    )
    u = rnd.choice(["app", "admin", "svc_reader", "default", "neo4j", "elastic"])
    h = hexid(rnd, 8)
    forms = [
        f"mongodb+srv://{u}:{p}@cluster0.{h[:5]}.mongodb.net/prod?retryWrites=true&w=majority",
        f"postgresql://{u}:{p}@db.internal:5432/prod?sslmode=require",
        f"mysql+pymysql://{u}:{p}@mysql.internal/prod?charset=utf8mb4",
        f"amqps://{u}:{p}@mq.internal:5671/%2Fprod",
        f"Server=tcp:acme-{h}.database.windows.net,1433;Initial Catalog=prod;User ID={u};Password={p};Encrypt=True;",
        f"Driver={{ODBC Driver 18 for SQL Server}};Server=db.internal;Database=prod;Uid={u};Pwd={p};",
        f"snowflake://{u}:{p}@xy{h[:5]}.eu-central-1/ANALYTICS/PUBLIC?warehouse=WH",
        f"clickhouse://{u}:{p}@ch.internal:9000/default",
        f"neo4j+s://{u}:{p}@{h}.databases.neo4j.io",
        f"host=db.internal port=5432 dbname=prod user={u} password={p} sslmode=require",
        f"rediss://{u}:{p}@redis-{rnd.randrange(10000, 99999)}.c1.eu-west-1-2.ec2.cloud.redislabs.com:12345",
        f'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="{u}" password="{p}";',
        f"https://{u}:{p}@es.internal:9200",
        f"jdbc:sqlserver://db.internal:1433;databaseName=prod;user={u};password={p};encrypt=true",
        f"jdbc:oracle:thin:{u}/{p}@db.internal:1521:ORCL",
        f"{u}/{p}@//db.internal:1521/ORCLPDB1",
    ]
    s = rnd.choice(forms)
    ctx = rnd.choice(["{s}", "DATABASE_URL={s}", "  url: \"{s}\"", "INFO  connecting to {s}",
                      "sqlalchemy.url = {s}", '"ConnectionStrings": {{ "Default": "{s}" }}'])  # fmt: skip
    if clean and rnd.random() < 0.3:
        s = rnd.choice([f"postgresql://{u}@db.internal:5432/prod", "mongodb://db.internal:27017/prod",
                        "Server=db;Database=prod;Trusted_Connection=True;", "redis://redis.internal:6379/0",
                        f"neo4j+s://{h}.databases.neo4j.io"])  # fmt: skip
    return _res(ctx.format(s=s) + "\n", clean, [p])


# --- JWTs and PEM, wrapped ---------------------------------------------------------------------------------


def _b64url(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def jwt(rnd: random.Random) -> tuple[str, str]:
    head = _b64url(b'{"alg":"RS256","typ":"JWT","kid":"' + hexid(rnd, 16).encode() + b'"}')
    body = _b64url(
        json.dumps(
            {
                "sub": str(uuid(rnd)),
                "iss": "https://auth.acme.io",
                "exp": 1796000000 + rnd.randrange(10**6),
                "scope": "read write",
            }
        ).encode()
    )
    sig = _b64url(bytes(rnd.getrandbits(8) for _ in range(256)))
    return f"{head}.{body}.{sig}", f"{body}.{sig}"


def _pem_body(rnd: random.Random, n: int = 20) -> list[str]:
    der = bytes([0x30, 0x82, 0x04, 0xBD, 0x02, 0x01, 0x00]) + bytes(
        rnd.getrandbits(8) for _ in range(48 * n)
    )
    b = base64.b64encode(der).decode()
    return [b[i : i + 64] for i in range(0, len(b), 64)]


def _cert_body(rnd: random.Random) -> list[str]:
    der = bytes([0x30, 0x82, 0x03, 0x5A, 0x30, 0x82, 0x02, 0x42, 0xA0, 0x03]) + bytes(
        rnd.getrandbits(8) for _ in range(600)
    )
    b = base64.b64encode(der).decode()
    return [b[i : i + 64] for i in range(0, len(b), 64)]


def _wrap(s: str, width: int) -> list[str]:
    return [s[i : i + width] for i in range(0, len(s), width)]


def pem_jwt(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(
        [
            "jwt_wrap",
            "jwt_fold",
            "pem_prefixed",
            "pem_helm",
            "pem_json_wrapped",
            "pem_tail",
            "pem_bytes",
        ]
    )
    if kind in ("jwt_wrap", "jwt_fold"):
        if clean:
            # a JWT's public parts only: its header printed by a decoder, and a JWKS key id
            head = _b64url(b'{"alg":"RS256","typ":"JWT","kid":"' + hexid(rnd, 16).encode() + b'"}')
            return (
                f'$ jwt decode --header-only\n{head}\n{{\n  "alg": "RS256",\n  "kid": "{hexid(rnd, 16)}"\n}}\n',
                [],
            )
        tok, secret_part = jwt(rnd)
        w = rnd.choice([64, 76, 80, 100])
        if kind == "jwt_wrap":
            line = rnd.choice(
                [
                    f"Authorization: Bearer {tok}",
                    f'{{"access_token": "{tok}", "token_type": "Bearer"}}',
                    f"export ID_TOKEN={tok}",
                ]
            )
            lines = _wrap(line, w)
        else:
            lines = ["$ cat token.txt | fold -w " + str(w), *_wrap(tok, w)]
        text = "\n".join(lines) + "\n"
        joined = "".join(lines)
        start = joined.index(secret_part)
        pieces = []
        pos = 0
        for ln in lines:
            a, b = max(pos, start), min(pos + len(ln), start + len(secret_part))
            if b - a >= 12:
                pieces.append(joined[a:b])
            pos += len(ln)
        return text, pieces
    if clean:
        body = _cert_body(rnd)
        kind2 = rnd.choice(["cert", "ssh"])
        if kind2 == "ssh":
            k = base64.b64encode(
                b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00 "
                + bytes(rnd.getrandbits(8) for _ in range(32))
            ).decode()
            return f"$ cat ~/.ssh/id_ed25519.pub\nssh-ed25519 {k} dev@laptop\n", []
        pre = rnd.choice(["", "app[web.1]: ", "    "])
        text = "".join(
            pre + ln + "\n"
            for ln in ["-----BEGIN CERTIFICATE-----", *body, "-----END CERTIFICATE-----"]
        )
        return text, []
    body = _pem_body(rnd)
    label = rnd.choice(["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"])
    pieces = [ln for ln in body[1:] if len(ln) >= 16]
    begin, end = f"-----BEGIN {label}-----", f"-----END {label}-----"
    if kind == "pem_prefixed":
        pre = rnd.choice(["app[web.1]: ", "2026-12-06T09:00:01.123Z web-7d9f ", "web_1  | "])
        text = "".join(pre + ln + "\n" for ln in [begin, *body, end])
    elif kind == "pem_helm":
        ind = " " * rnd.choice([4, 6, 8])
        text = (
            "tls:\n  enabled: true\n  key: |-\n"
            + "".join(ind + ln + "\n" for ln in [begin, *body, end])
            + "  cert: cert.pem\n"
        )
    elif kind == "pem_json_wrapped":
        s = (
            '{"type": "service_account", "private_key": "'
            + "\\n".join([begin, *body, end])
            + '\\n", "client_email": "ci@acme.iam.gserviceaccount.com"}'
        )
        w = rnd.choice([80, 100, 120])
        lines = _wrap(s, w)
        text = "\n".join(lines) + "\n"
        joined = "".join(lines)
        pieces = []
        for bl in body[1:]:
            i = joined.index(bl)
            pos = 0
            for ln in lines:
                a, c = max(pos, i), min(pos + len(ln), i + len(bl))
                if c - a >= 16:
                    pieces.append(joined[a:c])
                pos += len(ln)
        return text, pieces
    elif kind == "pem_tail":
        nt = rnd.randrange(6, len(body))
        text = f"$ tail -n {nt + 1} deploy_key.pem\n" + "".join(
            ln + "\n" for ln in [*body[-nt:], end]
        )
        pieces = [ln for ln in body[-nt:] if len(ln) >= 16]
    else:
        text = "b'" + "\\n".join([begin, *body, end]) + "\\n'\n"
    return text, pieces


# --- JSON inside other strings ----------------------------------------------------------------------------


def json_embedded(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["csv", "yaml_str", "gson", "go_q", "env_json", "xml"])
    n, x = snake_pair(rnd, clean, v)
    inner = json.dumps({"region": "eu-west-1", n: x})
    if kind == "csv":
        cell = '"' + inner.replace('"', '""') + '"'
        text = f"id,name,config,updated\n{rnd.randrange(1, 99)},web,{cell},2026-12-01\n"
    elif kind == "yaml_str":
        text = f"data:\n  config.json: '{json.dumps({'auth': {n: x}})}'\n  LOG_LEVEL: info\n"
    elif kind == "gson":
        if clean and n.endswith(("_id", "sha", "digest", "etag", "checksum")):
            url = f"https://api.acme.io/v1/items?{n}\\u003d{x}\\u0026page\\u003d2"
        else:
            url = f"https://api.acme.io/v1/items?{n}\\u003d{x}\\u0026page\\u003d2"
        text = '{"method":"GET","url":"' + url + '","status":200}\n'
    elif kind == "go_q":
        q = json.dumps(inner)
        text = f'time={ts(rnd)}Z level=debug msg="loaded config" config={q}\n'
    elif kind == "env_json":
        text = f"HOSTNAME=web-7d9f\nAPP_CONFIG={json.dumps({'db': {n: x, 'pool': 5}}, separators=(',', ':'))}\nPORT=8080\n"
    else:
        text = f"<entry>\n  <key>settings</key>\n  <value>{inner}</value>\n</entry>\n"
    return _res(text, clean, [x])


# --- language dumps -------------------------------------------------------------------------------------


def lang_dumps(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["print_r", "var_dump", "var_export", "ruby_inspect", "rails_params", "perl",
                       "elixir", "erlang", "lua", "clojure", "csharp"])  # fmt: skip
    n, x = snake_pair(rnd, clean, v)
    if clean and rnd.random() < 0.25:
        n = rnd.choice(SNAKE_SECRET)
        x = {
            "print_r": "",
            "var_dump": "",
            "rails_params": "[FILTERED]",
            "ruby_inspect": "[FILTERED]",
        }.get(kind, "[FILTERED]")
    if kind == "print_r":
        text = f"Array\n(\n    [host] => db.internal\n    [{n}] => {x}\n    [port] => 5432\n)\n"
    elif kind == "var_dump":
        text = f'array(3) {{\n  ["host"]=>\n  string(11) "db.internal"\n  ["{n}"]=>\n  string({len(x)}) "{x}"\n  ["port"]=>\n  int(5432)\n}}\n'
    elif kind == "var_export":
        text = f"array (\n  'host' => 'db.internal',\n  '{n}' => '{x}',\n  'port' => 5432,\n)\n"
    elif kind == "ruby_inspect":
        text = f'#<Acme::Config host="db.internal", {n}="{x}", port=5432>\n'
    elif kind == "rails_params":
        text = f'Started POST "/api/sessions" for 10.0.0.7 at 2026-12-06 09:00:01 +0000\nProcessing by SessionsController#create as JSON\n  Parameters: {{"user"=>{{"email"=>"bob@acme.io", "{n}"=>"{x}"}}}}\n'
    elif kind == "perl":
        text = f"$VAR1 = {{\n          'host' => 'db.internal',\n          '{n}' => '{x}',\n          'port' => 5432\n        }};\n"
    elif kind == "elixir":
        text = rnd.choice([f'%{{host: "db.internal", {n}: "{x}", port: 5432}}\n',
                           f'[host: "db.internal", {n}: "{x}", port: 5432]\n'])  # fmt: skip
    elif kind == "erlang":
        text = f'[{{host,<<"db.internal">>}},{{{n},<<"{x}">>}},{{port,5432}}]\n'
    elif kind == "lua":
        text = f'{{\n  host = "db.internal",\n  {n} = "{x}",\n  port = 5432\n}}\n'
    elif kind == "clojure":
        text = f'{{:host "db.internal", :{n.replace("_", "-")} "{x}", :port 5432}}\n'
    else:
        pas = "".join(w.title() for w in n.split("_"))
        text = f"{{ Host = db.internal, {pas} = {x}, Port = 5432 }}\n"
    if not x or x == "[FILTERED]":
        return text, []
    return _res(text, clean, [x])


# --- stack traces with locals ------------------------------------------------------------------------------


def stack_locals(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(["showlocals", "rich", "diagnose", "java", "axios"])
    n, x = snake_pair(rnd, clean, v)
    if clean and rnd.random() < 0.3:
        n, x = (
            rnd.choice(SNAKE_SECRET),
            rnd.choice(["None", "<MagicMock id='140234567890'>", "'***'"]),
        )
        xr = x
    else:
        xr = repr(x)
    if kind == "showlocals":
        text = (
            "    def test_login(client):\n"
            f"        {n} = make_value()\n"
            f">       assert client.get('/me', headers=auth({n})).status_code == 200\n"
            "E       assert 401 == 200\n\n"
            "client     = <FlaskClient <Flask 'app'>>\n"
            f"{n:<10} = {xr}\n\n"
            "tests/test_api.py:14: AssertionError\n"
        )
    elif kind == "rich":
        row = f"│ │ {n:>12} = {xr}"
        w = max(len(row) + 2, 60)
        text = (
            "╭───────────────────── Traceback (most recent call last) ─────────────────────╮\n"
            "│ /app/client.py:42 in connect                                                │\n"
            "│ ╭──────────── locals ─────────────╮                                         │\n"
            f"{('│ │ ' + 'host'.rjust(12) + ' = ' + repr('db.internal')).ljust(w)}│\n"
            f"{row.ljust(w)}│\n"
            "│ ╰─────────────────────────────────╯                                         │\n"
            "╰─────────────────────────────────────────────────────────────────────────────╯\n"
            "ConnectionError: 401 Unauthorized\n"
        )
    elif kind == "diagnose":
        text = (
            "Traceback (most recent call last):\n"
            '  File "/app/main.py", line 12, in <module>\n'
            f"    connect(host, {n})\n"
            f"    │       │     └ {xr}\n"
            "    │       └ 'db.internal'\n"
            "    └ <function connect at 0x7f3a2b1c0d30>\n"
        )
    elif kind == "java":
        label = n.replace("_", " ")
        text = (
            f'Exception in thread "main" java.lang.IllegalStateException: startup failed\n'
            f"\tat com.acme.App.main(App.java:21)\n"
            f"Caused by: com.acme.AuthException: invalid {label}: {x}\n"
            f"\tat com.acme.Client.<init>(Client.java:42)\n"
        )
        if x in ("None", "'***'") or x.startswith("<MagicMock"):
            text = text.replace(f": {x}\n", f": {x}\n", 1)
    else:
        hn = (
            rnd.choice(["'x-api-key'", "Authorization", "'PRIVATE-TOKEN'"])
            if not clean
            else rnd.choice(["'x-request-id'", "'if-none-match'"])
        )
        hv = (
            (f"Bearer {x}" if hn == "Authorization" else x)
            if not clean
            else (uuid(rnd) if "request" in hn else hexid(rnd, 32))
        )
        text = (
            "AxiosError: Request failed with status code 401\n"
            "    at settle (/app/node_modules/axios/dist/node/axios.cjs:1966:12) {\n"
            "  code: 'ERR_BAD_REQUEST',\n"
            "  config: {\n"
            "    headers: Object [AxiosHeaders] {\n"
            "      Accept: 'application/json, text/plain, */*',\n"
            f"      {hn}: '{hv}',\n"
            "      'User-Agent': 'axios/1.6.2'\n"
            "    },\n"
        )
        return _res(text, clean, [x])
    if x in ("None", "'***'") or x.startswith("<MagicMock"):
        return text, []
    return _res(text, clean, [x])


# --- SQL ---------------------------------------------------------------------------------------------------


def sql_inserts(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(
        [
            "insert_cols",
            "mysqldump",
            "copy",
            "update",
            "create_user",
            "identified",
            "login",
            "set_password",
        ]
    )
    n, x = snake_pair(rnd, clean, v)
    if kind == "insert_cols":
        text = f"INSERT INTO credentials (id, owner, {n}, created_at) VALUES ({rnd.randrange(1, 999)}, 'ops', '{x}', now());\n"
    elif kind == "mysqldump":
        text = (
            "CREATE TABLE `oauth_clients` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `name` varchar(64) NOT NULL,\n"
            f"  `{n}` varchar(128) NOT NULL,\n  `redirect_uri` text,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\n\n"
            "LOCK TABLES `oauth_clients` WRITE;\n"
            f"INSERT INTO `oauth_clients` VALUES (1,'web','{x}','https://app.acme.io/cb'),(2,'cli','{x if clean else key(rnd)}',NULL);\n"
            "UNLOCK TABLES;\n"
        )
        if not clean:
            second = text.split("(2,'cli','")[1].split("'")[0]
            return text, [x, second]
    elif kind == "copy":
        text = f"COPY public.users (id, email, {n}, created_at) FROM stdin;\n1\tbob@acme.io\t{x}\t2026-11-02 08:00:00\n\\.\n"
    elif kind == "update":
        text = f"UPDATE users SET {n} = '{x}', updated_at = now() WHERE id = {rnd.randrange(1, 999)};\n"
    else:
        p = (
            pw(rnd)
            if not clean
            else rnd.choice(["NULL", ":'pw'", "'${DB_PASSWORD}'", "'<password>'"])
        )
        q = lambda s: s if s in ("NULL", ":'pw'") or s.startswith("'") else f"'{s}'"  # noqa: E731
        u = rnd.choice(["app", "reporting", "svc_etl"])
        text = {
            "create_user": f"CREATE USER {u} WITH LOGIN PASSWORD {q(p)};\n",
            "identified": f"ALTER USER '{u}'@'%' IDENTIFIED BY {q(p)};\n",
            "login": f"CREATE LOGIN {u} WITH PASSWORD = {q(p)}, CHECK_POLICY = ON;\n",
            "set_password": f"SET PASSWORD FOR '{u}'@'localhost' = {q(p)};\n",
        }[kind]
        return _res(text, clean, [p])
    return _res(text, clean, [x])


# --- diffs -------------------------------------------------------------------------------------------------


def diff_hunks(rnd: random.Random, v: str, clean: bool) -> Out:
    kind = rnd.choice(
        ["env", "yaml", "json", "color", "word_diff", "color_words", "side_by_side", "block"]
    )
    n, x = env_pair(rnd, clean, v)
    old = key(rnd) if not clean else x
    pieces = [x, old]
    hd = f"diff --git a/.env b/.env\nindex {hexid(rnd, 7)}..{hexid(rnd, 7)} 100644\n--- a/.env\n+++ b/.env\n"
    if kind == "env":
        text = (
            hd + f"@@ -1,3 +1,3 @@\n DB_HOST=db.internal\n-{n}={old}\n+{n}={x}\n LOG_LEVEL=info\n"
        )
    elif kind == "yaml":
        ln = n.lower()
        text = (f"--- a/config/prod.yaml\n+++ b/config/prod.yaml\n@@ -10,4 +10,5 @@ database:\n   host: db.internal\n"
                f"   port: 5432\n+  {ln}: {x}\n   pool: 5\n")  # fmt: skip
        pieces = [x]
    elif kind == "json":
        text = (f"--- a/appsettings.json\n+++ b/appsettings.json\n@@ -3,6 +3,7 @@\n   \"Logging\": {{ \"Level\": \"Info\" }},\n"
                f"-  \"{n}\": \"{old}\",\n+  \"{n}\": \"{x}\",\n   \"Port\": 8080\n")  # fmt: skip
    elif kind == "color":
        text = (f"{E}[1mdiff --git a/.env b/.env{E}[m\n{E}[36m@@ -1,2 +1,2 @@{E}[m\n DB_HOST=db.internal\n"
                f"{E}[31m-{n}={old}{E}[m\n{E}[32m+{n}={x}{E}[m\n")  # fmt: skip
    elif kind == "word_diff":
        text = (
            hd + f"@@ -1,3 +1,3 @@\nDB_HOST=db.internal\n{n}=[-{old}-]{{+{x}+}}\nLOG_LEVEL=info\n"
        )
    elif kind == "color_words":
        text = f"{E}[36m@@ -1,3 +1,3 @@{E}[m\nDB_HOST=db.internal\n{n}={E}[31m{old}{E}[m{E}[32m{x}{E}[m\n"
    elif kind == "side_by_side":
        a, b = f"{n}={old}", f"{n}={x}"
        text = f"DB_HOST=db.internal{' ' * 44}DB_HOST=db.internal\n{a.ljust(62)} | {b}\nLOG_LEVEL=info{' ' * 49}LOG_LEVEL=info\n"
    else:
        name = (
            rnd.choice(["private_key", "password", "token"])
            if not clean
            else rnd.choice(["description", "notes"])
        )
        blk = x if not clean else "Build " + hexid(rnd, 12)
        text = (f"--- a/values.yaml\n+++ b/values.yaml\n@@ -1,4 +1,5 @@\n auth:\n   {name}: |\n"
                f"+    {blk}\n   enabled: true\n")  # fmt: skip
        pieces = [x]
    return _res(text, clean, pieces)


# --- command substitutions and defaults ---------------------------------------------------------------------


def cmd_subst(rnd: random.Random, v: str, clean: bool) -> Out:
    n = rnd.choice(ENV_SECRET)
    if clean:
        c, _ = rnd.choice(ENV_CLEAN)
        form = rnd.choice([
            f"export {n}=$(cat /run/secrets/{n.lower()})",
            f"export {n}=$(echo ${n}_B64 | base64 -d)",
            f"{n}=${{{n}:-}}",
            f'{n}="${{{n}:?{n} is required}}"',
            f"export {c}=$(git rev-parse HEAD)",
            f"export {n}=$(vault kv get -field=token secret/app)",
            f"export {n}=$(echo changeme)",
            f"      - {n}=${{{n}:-<token>}}",
        ])  # fmt: skip
        return form + "\n", []
    b = base64.b64encode(v.encode()).decode()
    forms = [
        (f"export {n}=$(echo {v})", v),
        (f'export {n}="$(echo -n {v})"', v),
        (f"{n}=$(printf '%s' '{v}')", v),
        (f"export {n}=`echo {v}`", v),
        (f"export {n}=$(echo {b} | base64 -d)", b),
        (f"{n}=${{{n}:-{v}}}", v),
        (f': "${{{n}:={v}}}"', v),
        (f"      - {n}=${{{n}:-{v}}}", v),
    ]
    line, piece = rnd.choice(forms)
    pre = rnd.choice(["", "$ ", "+ "])
    return pre + line + "\n", [piece]


SHAPES: dict[str, Fam] = {
    "tf_plan": tf_plan, "k8s_describe": k8s_describe, "ci_trace": ci_trace,
    "curl_verbose": curl_verbose, "proc_args": proc_args, "ps_env": ps_env,
    "cred_files": cred_files, "db_conn": db_conn, "pem_jwt": pem_jwt,
    "json_embedded": json_embedded, "lang_dumps": lang_dumps, "stack_locals": stack_locals,
    "sql_inserts": sql_inserts, "diff_hunks": diff_hunks, "cmd_subst": cmd_subst,
}  # fmt: skip


def one(shape: str, i: int, draw: int, clean: bool) -> Case:
    """One case, a pure function of its shape, index, draw and kind."""
    rnd = random.Random(f"twentythird:{shape}:{draw}:{i}:{'c' if clean else 's'}")
    v = key(rnd)
    text, pieces = SHAPES[shape](rnd, v, clean)
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
