"""Twenty-second held-out contextual pass (issue 18, ctx22): the classes the twenty-second generator
(``tests/redaction/twentysecond_variations.py``) found, each over several variations with clean
controls, every case whole, by the pure-Python engine and streamed at 7, 64 and 4,096 bytes
(``HeldOut``):

- a prompt and a command printing one secret, then the value alone on the next line (or glued
  to the next prompt); a tool's password flag in shell history (``mysql -p<pw>``, ``redis-cli
  -a``, ``sshpass -p``, ``docker login -p``, ``curl -u user:<pw>``, ``-passin pass:``,
  ``htpasswd -b``, ``<<<``);
- language reprs: Rust's ``Some(…)``/newtypes (the value on its own line in ``{:#?}``); YAML
  anchors, core tags, complex keys, a comment between name and value; an INI value on the next
  indented line; TOML's ``\"\"\"``; a ``.properties`` continuation;
- a name in one member and its value in another (flow maps, Go's ``{Name:X Value:…}``,
  CloudFormation's ``ParameterKey``/``ParameterValue``, plist ``<key>``/``<string>``, key-value
  store paths, ``aws --output text`` rows, ``chamber list``); ADO.NET's braced passwords;
  later cookie pairs and ``cookies.txt``; 40 hex under ``*_PAT``/``*_CREDS``; other-language
  strong names over short literals;
- tables: Miller's ``--opprint`` with one blank inside an aligned header; headers cut by the
  terminal right after a word naming a secret itself and rows wrapped more than once;
- over-masking: ``/token`` ending a URL path, Go's empty fields, YAML aliases and tags, Key
  Vault references, placeholders closed by the structure's brackets, sops envelopes, ids in
  ``Some(…)``, Terraform variables labelled for an id, analytics cookies.
"""

from __future__ import annotations

import random

import pytest

from tests.redaction import twentysecond_variations as gen
from tests.redaction.held_out import HeldOut, ids

H = HeldOut(sizes=(7, 64, 4096))


def _keys(seed: str, n: int) -> list[str]:
    rnd = random.Random(f"ctx22-test:{seed}")
    return [gen.key(rnd) for _ in range(n)]


# --- a command, then the value it printed ----------------------------------------------------------

_COMMANDS = [
    "vault kv get -field=password secret/prod/db",
    "vault read -field=token auth/token/lookup-self",
    'op read "op://Prod/stripe/credential"',
    "gcloud secrets versions access 3 --secret=db-password --project=ledger",
    "aws secretsmanager get-secret-value --secret-id prod/db --query SecretString --output text",
    "kubectl get secret db -n prod -o jsonpath='{.data.password}' | base64 --decode",
    "kubectl get secrets api -o jsonpath={.data.token}",
    "az keyvault secret show --vault-name kv --name api-key --query value -o tsv",
    "doppler secrets get SENDGRID_KEY --plain --project api",
    "heroku config:get STRIPE_SECRET_KEY -a billing",
    "terraform output -raw admin_password",
    "pulumi config get ledger:dbPassword",
    "printenv NPM_TOKEN",
    'echo "$SLACK_BOT_TOKEN"',
    "echo ${OPENAI_API_KEY}",
    "cat /run/secrets/db_password",
    "bw get password github.com",
    "gopass show -o prod/db",
    "pass show prod/db",
    "security find-generic-password -s api -w",
    "kubectl get secret db -o go-template='{{.data.password | base64decode}}'",
    "aws ssm get-parameter --name /prod/db/pw --with-decryption --query Parameter.Value --output text",
]
# Any command naming a secret: generated-looking values that are not hex alone.
_WORD_COMMANDS = [
    "openssl rand -base64 18 | tee api_token.txt",
    "./scripts/rotate.sh --print-new-secret",
    "python -c 'import secrets; print(secrets.token_urlsafe(24))'",
    "jq -r .credentials.access_key ~/.config/app.json",
]
_PROMPTS = ["$ ", "❯ ", "ci@runner:~/repo$ ", "% ", "PS C:\\work> ", "(.venv) $ ", "# ", "+ "]


@pytest.mark.parametrize("cmd", _COMMANDS)
def test_command_then_value(cmd: str) -> None:
    for k, v in enumerate(_keys(cmd, 4)):
        p = _PROMPTS[(k + len(cmd)) % len(_PROMPTS)]
        tail = ["\n", "\n" + p + "\n", p + "\n", "%\n"][k]
        H.masked(f"{p}{cmd}\n{v}{tail}", [v])


@pytest.mark.parametrize("cmd", _WORD_COMMANDS)
def test_command_naming_a_secret_then_generated_value(cmd: str) -> None:
    keys = [k for k in _keys(cmd, 12) if not set(k) <= set("0123456789abcdef")][:4]
    for k, v in enumerate(keys):
        p = _PROMPTS[(k + len(cmd)) % len(_PROMPTS)]
        H.masked(f"{p}{cmd}\n{v}\n" + ["", p + "\n"][k % 2], [v])


@pytest.mark.parametrize(
    "text",
    [
        "$ git rev-parse HEAD\n3f2b7c9d0e1a2b3c4d5e6f708192a3b4c5d6e7f8\n",
        "$ kubectl get secret api -o jsonpath='{.metadata.uid}'\n6f1c2a9e-1b2c-4d3e-8f90-a1b2c3d4e5f6\n",
        "$ kubectl get secret api -o jsonpath='{.metadata.resourceVersion}'\n81234567\n",
        "$ vault kv get -field=password secret/prod/db\n********\n",
        "$ vault kv get -field=password secret/prod/db\n<redacted>\n",
        "$ printenv PATH\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin\n",
        "$ echo $HOME\n/home/runner/work\n",
        "$ gcloud secrets versions access latest --secret=x\nERROR: (gcloud.secrets.versions.access) NOT_FOUND\n",
        "$ cat token_usage.py\nimport sys\n",
        "$ git log -1 --format=%H -- src/auth/token.py\n3f2b7c9d0e1a2b3c4d5e6f708192a3b4c5d6e7f8\n",
        "$ grep -rl token src | head -1\nsrc/auth/token_store.py\n",
        "$ echo $TOKEN_TTL\n3600\n",
        "$ kubectl get secret x -o jsonpath={.metadata.name}\nledger-db-credentials-v2\n",
    ],
)
def test_command_then_value_clean(text: str) -> None:
    H.unchanged(text)


# --- password flags in shell history ----------------------------------------------------------------

_FLAGS = [
    "mysql -h db.internal -u root -p{v} ledger",
    "mysqldump -uroot -p{v} --all-databases",
    "redis-cli -h cache -p 6380 -a {v} ping",
    "redis-cli --pass '{v}' info",
    "sshpass -p '{v}' ssh deploy@10.0.0.5",
    "sshpass -p{v} scp a b:",
    "docker login -u bot -p {v} registry.example.test",
    "docker login registry.example.test --username bot --password={v}",
    "curl -s -u admin:{v} https://api.example.test/health",
    "curl --user 'ops:{v}' https://api.example.test/",
    "openssl pkcs12 -in c.p12 -passin pass:{v} -nodes",
    "openssl rsa -in k.pem -passout pass:{v}",
    "htpasswd -bc .htpasswd admin {v}",
    "gh auth login --with-token <<< {v}",
    'docker login --password-stdin <<< "{v}"',
]


@pytest.mark.parametrize("tpl", _FLAGS)
def test_password_flags(tpl: str) -> None:
    for k, v in enumerate(_keys(tpl, 3)):
        line = tpl.format(v=v)
        H.masked([f"  {512 + k}  {line}\n", f"+ {line}\n", f"$ {line}\n"][k], [v])


@pytest.mark.parametrize(
    "line",
    [
        "mysql -h db.internal -u root -p ledger",
        "docker run -p 8080:80 -e LOG_LEVEL=debug api",
        'redis-cli -h cache -a "$REDIS_PASSWORD" ping',
        "docker login -u ci-bot --password-stdin registry.example.test",
        "curl -u admin: https://api.example.test/v1/health",
        "grep -c foo <<< 3f2b7c9d0e1a2b3c4d5e6f708192a3b4c5d6e7f8",
        "git checkout 3f2b7c9d0e1a2b3c4d5e6f708192a3b4c5d6e7f8",
    ],
)
def test_password_flags_clean(line: str) -> None:
    H.unchanged(f"  731  {line}\n")


# --- language reprs and configuration ----------------------------------------------------------------


def test_rust_wrapped_values() -> None:
    for k, v in enumerate(_keys("rust", 10)):
        name = ["api_key", "password", "client_secret", "token", "private_key"][k % 5]
        w = ["Some", "Secret", "Token", "ApiKey", "SecretString"][k // 2 % 5]
        H.masked(
            f'Config {{\n    user: "app",\n    {name}: {w}(\n        "{v}",\n    ),\n}}\n', [v]
        )
        H.masked(f'Config {{ host: "db", {name}: {w}("{v}"), port: 5432 }}\n', [v])


@pytest.mark.parametrize(
    "text",
    [
        'Config { host: "db", trace_id: Some("ee7a292d-9fff-4497-a3ec-355f5c9ac62c"), n: 3 }\n',
        'Config { host: "db", commit: Some("30acc32eed35a19b1d51899cdaef1e69989362a3"), n: 3 }\n',
        'Config {\n    request_id: Some(\n        "d050360b-c896-4b8f-ac8c-7e9403c49458",\n    ),\n}\n',
        "Credentials {\n    password: Secret([REDACTED alloc::string::String]),\n}\n",
        'Config { host: "db", api_key: None, port: 5432 }\n',
    ],
)
def test_rust_wrapped_clean(text: str) -> None:
    H.unchanged(text)


def test_yaml_anchor_tag_complex_comment() -> None:
    for k, v in enumerate(_keys("yaml", 6)):
        name = ["password", "apiToken", "CLIENT_SECRET", "db_password", "signing_key", "token"][k]
        H.masked(f"defaults:\n  {name}: &pw {v}\nreplica:\n  {name}: *pw\n", [v])
        H.masked(f"auth:\n  {name}: !!str {v}\n  user: !!str app\n", [v])
        H.masked(f"auth:\n  ? {name}\n  : {v}\n  ? user\n  : app\n", [v])
        H.masked(f"auth:\n  {name}: # rotated 2026-11-02\n    {v}\n  user: app\n", [v])
        H.masked(
            f"env: [{{name: NODE_ENV, value: prod}}, {{name: {name.upper()}, value: {v}}}]\n", [v]
        )


@pytest.mark.parametrize(
    "text",
    [
        "defaults:\n  password: &pw <redacted>\nreplica:\n  password: *pw\n",
        "auth:\n  auth_token: !!str ${{ secrets.API_TOKEN }}\n",
        "auth:\n  ? password\n  : !secret db_password\n",
        "homeassistant:\n  api_password: !secret http_password\n",
        "auth:\n  token: # not set yet\n    enabled\n",
        "env: [{name: GIT_SHA, value: 3f2b7c9d0e1a2b3c4d5e6f708192a3b4c5d6e7f8}]\n",
    ],
)
def test_yaml_clean(text: str) -> None:
    H.unchanged(text)


def test_next_line_values_toml_and_continuations() -> None:
    for k, v in enumerate(_keys("conf", 5)):
        name = ["api_key", "clientSecret", "webhook.secret", "db_password", "refresh_token"][k]
        H.masked(f"[auth]\nuser = app\n{name} =\n    {v}\nport = 5432\n", [v])
        H.masked(f'[auth]\nuser = "app"\n{name} = """\n{v}"""\n', [v])
        a, b = v[: len(v) // 2], v[len(v) // 2 :]
        H.masked(f"server.port=8080\ndb.{name}={a}\\\n    {b}\nlog.level=INFO\n", [a, b])
        H.masked(f'variable "{name}" {{\n  type    = string\n  default = "{v}"\n}}\n', [v])


@pytest.mark.parametrize(
    "text",
    [
        "server.port=8080\ndb.password=${DB_PA\\\n    SSWORD}\n",
        "server.port=8080\ndb.password=REDA\\\n    CTED\n",
        'variable "etag" {\n  type    = string\n  default = "221005670c0c408f311f477b9ac8503d"\n}\n',
        'variable "commit_sha" {\n  default = "e546b93fa3fa4419cd6e3099c718c21640849685"\n}\n',
        "[auth]\nuser = app\nimage_digest =\n    sha256:049f7f8c30dfa150764bb9101a855566a00f59dde2ac08fe8ece1245c2e2f5fb\n",
    ],
)
def test_config_clean(text: str) -> None:
    H.unchanged(text)


# --- a name in one member, its value in another -----------------------------------------------------


def test_member_pairs_and_named_rows() -> None:
    for k, v in enumerate(_keys("members", 5)):
        n = ["DB_PASSWORD", "ApiToken", "SIGNING_KEY", "webhookSecret", "ACCESS_TOKEN"][k]
        low = n.lower()
        H.masked(
            f"[{{Name:PORT Value:8080 ValueFrom:nil}} {{Name:{n} Value:{v} ValueFrom:nil}}]\n", [v]
        )
        H.masked(
            f'{{\n  "Parameters": [\n    {{\n      "ParameterKey": "{n}",\n'
            f'      "ParameterValue": "{v}"\n    }}\n  ]\n}}\n',
            [v],
        )
        H.masked(f"<dict>\n\t<key>{n}</key>\n\t<string>{v}</string>\n</dict>\n", [v])
        H.masked(f"config/api/port:8080\nconfig/api/{low}:{v}\n", [v])
        H.masked(f"/config/api/port\n8080\n/config/api/{low}\n{v}\n", [v])
        H.masked(f"STACKS\tledger\tCREATE_COMPLETE\nPARAMETERS\t{n}\t{v}\n", [v])
        H.masked(
            f"Key{' ' * 12}Version\tLastModified\t\tUser\t\tValue\n"
            f"{low:<15}7\t2026-11-20 12:30:00\tci-bot\t\t{v}\n",
            [v],
        )
        H.masked(f"Server=tcp:db,1433;User ID=app;Password={{{v}}};Encrypt=True;\n", [v])


@pytest.mark.parametrize(
    "text",
    [
        "[{Name:GIT_SHA Value:3f2b7c9d0e1a2b3c4d5e6f708192a3b4c5d6e7f8 ValueFrom:nil}]\n",
        '{"Tags": [{"Key": "WebhookSecret", "Value": "[secret]"}]}\n',
        '[{"name": "DB_PASSWORD", "slotSetting": false, '
        '"value": "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)"}]\n',
        "Name            SlotSetting    Value\nDB_PASSWORD     False          "
        "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)\n",
        "config/api/password:@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)\n",
        "/config/api/checksum\n049f7f8c30dfa150764bb9101a855566a00f59dde2ac08fe8ece1245c2e2f5fb\n",
        "<dict>\n\t<key>GIT_COMMIT</key>\n\t<string>3f2b7c9d0e1a2b3c4d5e6f708192a3b4c5d6e7f8</string>\n</dict>\n",
        "Server=tcp:db,1433;User ID=app;Password={REDACTED};Encrypt=True;\n",
    ],
)
def test_member_pairs_clean(text: str) -> None:
    H.unchanged(text)


def test_cookies_later_pairs_and_jar() -> None:
    for k, v in enumerate(_keys("cookies", 6)):
        name = ["sessionid", "_gh_sess", "connect.sid", "auth_token", "session", "remember_me"][k]
        H.masked(f"> Cookie: _ga=GA1.2.1843526071.1764990000; {name}={v}; theme=dark\n", [v])
        H.masked(f"Cookie: theme=dark; lang=en; {name}={v}\n", [v])
        H.masked(
            "# Netscape HTTP Cookie File\n.example.test\tTRUE\t/\tFALSE\t1767225600\ttheme\tdark\n"
            f"#HttpOnly_.example.test\tTRUE\t/\tTRUE\t1767225600\t{name}\t{v}\n",
            [v],
        )


@pytest.mark.parametrize(
    "text",
    [
        "> Cookie: _ga=GA1.2.1843526071.1764990000; _gid=GA1.2.771245611.1764990012; theme=dark\n",
        "> Cookie: _ga=GA1.2.1843526071.1764990000; _gh_sess=<redacted>; theme=dark\n",
        ".example.test\tTRUE\t/\tFALSE\t1767225600\t_ga\tGA1.2.1843526071.1764990000\n",
    ],
)
def test_cookies_clean(text: str) -> None:
    H.unchanged(text)


def test_pat_creds_hex_and_short_foreign_passwords() -> None:
    rnd = random.Random("ctx22-test:pat")
    for k in range(6):
        h = gen.hexid(rnd)
        while sum(c.isalpha() for c in h) < 8:
            h = gen.hexid(rnd)
        name = ["DOCKERHUB_PAT", "GH_PAT", "APP_CREDS", "CI_CREDS", "AZDO_PAT", "deploy.creds"][k]
        form = ["{n}='{x}'", '{n}="{x}"', "export {n}={x}", "{n}={x}", "  {n}: {x}", "{n} = {x}"][k]
        H.masked(form.format(n=name, x=h) + "\n", [h])
    for k, v in enumerate(["X8vz4gL", "5AknHXe", "pyHtuNQ", "868H#fk", "iB5n8#x"]):
        name = ["пароль", "Пароль", "ПАРОЛЬ", "пароль", "Пароль"][k]
        H.masked(f"{name}{[' = ', ': ', '='][k % 3]}{v}\n", [v])


@pytest.mark.parametrize(
    "text",
    [
        "GIT_COMMIT=3f2b7c9d0e1a2b3c4d5e6f708192a3b4c5d6e7f8\n",
        "PATCH_SHA=3f2b7c9d0e1a2b3c4d5e6f708192a3b4c5d6e7f8\n",
        "CREDS_FILE=/etc/app/creds.json\n",
        "GH_PAT=${{ secrets.GH_PAT }}\n",
        "пароль = *******\n",
        "пароль: не задан\n",
        "пароль = <скрыт>\n",
    ],
)
def test_pat_creds_and_foreign_clean(text: str) -> None:
    H.unchanged(text)


# --- tables ---------------------------------------------------------------------------------------


def test_miller_one_blank_in_aligned_header() -> None:
    rnd = random.Random("ctx22-test:miller")
    for _ in range(10):
        h = rnd.choice(["X-Auth-Token", "api_key", "password", "secret", "Client-Secret"])
        rows = [[f"2026-11-{rnd.randrange(10, 29)}", rnd.choice(["ops", "sre"]), gen.key(rnd)]
                for _ in range(rnd.randrange(1, 4))]  # fmt: skip
        head = ["CREATED", "OWNER", h]
        wd = [max(len(head[i]), *(len(r[i]) for r in rows)) for i in range(3)]
        text = "".join(
            " ".join(c.ljust(wd[i]) for i, c in enumerate(r)).rstrip() + "\n" for r in [head, *rows]
        )
        H.masked(text, [r[2] for r in rows])
    H.unchanged(
        "CREATED    OWNER request_id\n2026-11-20 sre   6f1c2a9e-1b2c-4d3e-8f90-a1b2c3d4e5f6\n"
    )


def test_cut_headers_and_rows_wrapped_more_than_once() -> None:
    # (The generator's open shapes of the twenty-first pass, on draws never used for tuning.)
    n = 0
    for draw in (20, 21, 22):
        for i in range(30):
            c = gen.one("open21", i, draw, False)
            if c.secrets and ("AGE" in c.text and "NAMESPACE" in c.text):
                H.masked(c.text, c.secrets)
                n += 1
    assert n >= 20


# --- over-masking ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "send: b'POST /v1/token HTTP/1.1\\r\\nHost: api.example.test\\r\\n'\nreply: 'HTTP/1.1 200 OK\\r\\n'\n",
        '{"log": "POST /token client_id=ledger\\u0026etag=434cbb73acddd031dd7ca094815db442\\n"}\n',
        "GET /oauth/token HTTP/2\n",
        "&{Addr::8080 ClientSecret: Timeout:30s}\n",
        "{DB:{User:app ApiToken: Name:ledger} Addr::8080}\n",
        "{Host:db.internal Port:5432 User:app Password: SSLMode:require}\n",
        "Creds{user=app, accessToken=null}\n",
        "Creds{user=app, password=[secret]}\n",
        "DataSourceConfig(url=jdbc:postgresql://db/app, password=null, poolSize=10)\n",
        "apiKey: ENC[AES256_GCM,data:2uPV6XS4H+luqq1XMuZnYMw1f90QUIW3edCOvKhX,"
        "iv:bk2zuVCybXTXGvl/BDhPeFheL0gKyj3z+A7j1KpwvcQ=,tag:VvBpo+BnbvAKftqLh8laDw==,type:str]\n",
        "sops:\n    mac: ENC[AES256_GCM,data:1eniXHzhGPt613doPxwl6LU8GXCA0/byTxr67eS6Q+w=,"
        "iv:mlX9ptn/rbT9p8HrLg4lS0ybCejQm1bWyRC204XHjZI=,tag:64nNt9AvixE8eGpMaV2sjg==,type:str]\n",
    ],
)
def test_overmasking_fixed(text: str) -> None:
    H.unchanged(text)


def test_still_masked_next_to_the_fixes() -> None:
    v, w = _keys("near", 2)
    H.masked(f"Authorization: Bearer {v}\n", [v])
    H.masked(f"{{Host:db Password:{v} Port:5432}}\n", [v])
    H.masked(f"Creds{{user=app, password={w}}}\n", [w])
    H.masked(f"POST /v1/login token {v}\n", [v])


# --- the held-out draw ------------------------------------------------------------------------------

_CASES = [c for c in gen.cases(draw=gen.HELD_OUT_DRAW, n=6)]


@pytest.mark.parametrize("case", _CASES, ids=ids(_CASES))
def test_held_out_draw(case: gen.Case) -> None:
    if case.secrets:
        H.masked(case.text, case.secrets)
    else:
        H.unchanged(case.text)
