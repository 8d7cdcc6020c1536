"""Twelfth pass over issue 18's contextual shapes (2026-12-04, rt16-redact): the held-out
generator ``twelfth_variations`` (real tools' tables, colour, arrows, header-less pairs and clean
near-misses), every case checked whole, by the pure-Python engine and streamed at awkward chunk
sizes; then the classes fixed, each with its own variations and clean controls."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.redaction.held_out import HeldOut, ids
from tests.redaction.twelfth_variations import (
    TABLES,
    Case,
    cases,
    hexid,
    key,
    polars,
    psql_expanded,
    uuid,
)

CASES = list(cases())
_H = HeldOut()
_masked, _unchanged = _H.masked, _H.unchanged

SECRET_CASES = [c for c in CASES if c.secrets]
CLEAN_CASES = [c for c in CASES if c.clean]


@pytest.mark.parametrize("case", SECRET_CASES, ids=ids(SECRET_CASES))
def test_held_out_secrets_masked(case: Case) -> None:
    _masked(case.text, case.secrets)


@pytest.mark.parametrize("case", CLEAN_CASES, ids=ids(CLEAN_CASES))
def test_held_out_clean_output_unchanged(case: Case) -> None:
    _unchanged(case.text)


def test_every_shape_has_twenty_variations() -> None:
    secret = Counter(c.shape for c in SECRET_CASES)
    clean = Counter(c.shape for c in CLEAN_CASES)
    assert all(n >= 20 for n in secret.values()), secret
    assert all(n >= 12 for n in clean.values()), clean
    assert set(TABLES) <= set(secret) & set(clean)


# --- class 1: an arrow or typographic quotes between a credential word and its value ---------

ARROW_WORDS = ["token", "secret", "api key", "client secret", "password", "credential",
               "access token", "signing key", "webhook secret", "auth token"]  # fmt: skip
ARROWS = ["→", "⇒", "➜", "↦", "»"]


@pytest.mark.parametrize("i", range(25))
def test_unicode_arrow_to_value(i: int) -> None:
    v = key(20_000 + i, ["b64", "alnum", "url"][i % 3], 40)
    w, a = ARROW_WORDS[i % 10], ARROWS[i % 5]
    _masked(f"{w} {a} {v}\n", [v])
    _masked(f"\x1b[1m{w}\x1b[0m {a} \x1b[38;5;{i}m{v}\x1b[0m\n", [v])


@pytest.mark.parametrize("i", range(20))
def test_typographic_quotes_around_value(i: int) -> None:
    v = key(21_000 + i, ["b64", "alnum"][i % 2], 36)
    o, c = [("“", "”"), ("«", "»"), ("‘", "’")][i % 3]
    _masked(f"{ARROW_WORDS[i % 10]} {o}{v}{c}\n", [v])


@pytest.mark.parametrize(
    "text",
    [
        *(f"token {a} refresh\n" for a in ARROWS),
        *(f"secret {a} rotated\n" for a in ARROWS),
        *(f"commit {a} {hexid(i)}\n" for i, a in enumerate(ARROWS)),
        *(f"token {a} eu-west-1\n" for a in ARROWS),
        "password → “changeme”\n",
    ],
)
def test_unicode_arrow_controls(text: str) -> None:
    _unchanged(text)


# --- class 2: header-less two-cell delimited rows naming their own secret ---------------------

PAIR_NAMES = ["API_KEY", "client_secret", "DB_PASSWORD", "token", "SECRET_KEY", "auth_token",
              "GITHUB_TOKEN", "private_key", "webhook-secret", "apiKey", "Password"]  # fmt: skip


@pytest.mark.parametrize("i", range(22))
def test_headerless_pair_rows(i: int) -> None:
    v = key(22_000 + i, ["b64", "alnum", "url"][i % 3], [40, 32, 44][i % 3])
    d, q = [",", ";", "|"][i % 3], ['"', ""][i % 2]
    n = PAIR_NAMES[i % 11]
    text = f"{q}REGION{q}{d}{q}us-east-1{q}\n{q}{n}{q}{d}{q}{v}{q}\n"
    out = _masked(text, [v])
    assert out.startswith(f"{q}REGION{q}{d}{q}us-east-1{q}\n".encode())


@pytest.mark.parametrize(
    "text",
    [
        "secret_name,prod-db-creds\n", "token_count;12345\n", f"sha,{hexid(1)}\n",
        f'"digest","sha256:{hexid(2, 64)}"\n', f"commit|{hexid(3)}\n", f"request_id,{uuid(4)}\n",
        '"API_KEY","<redacted>"\n', "PASSWORD,changeme\n", "token;********\n",
        "image,nginx:1.27\n", '"secret","true"\n', "api_key_id|key-0042\n",
        "name,token,region\n", '"password","hunter2"\n', "SECRET,${SECRET}\n",
        "token,none\n", "password,\n", "secret;see vault\n", f"etag,{hexid(5, 32)}\n",
        '"credential","aws-prod"\n',
    ],
)  # fmt: skip
def test_headerless_pair_controls(text: str) -> None:
    _unchanged(text)


# --- class 3: AWS Secrets Manager ARNs, IAM actions and GCP roles ----------------------------


@pytest.mark.parametrize("i", range(24))
def test_secrets_manager_names_are_no_secrets(i: int) -> None:
    region = ["eu-west-1", "us-east-1", "ap-south-1", "us-gov-west-1"][i % 4]
    part = ["aws", "aws", "aws-us-gov", "aws-cn"][i % 4]
    name = ["prod/db", "app-30", "ci/deploy", "stripe"][i % 4] + "-" + key(23_000 + i, "alnum")[:6]
    arn = f"arn:{part}:secretsmanager:{region}:123456789012:secret:{name}"
    act = ["GetSecretValue", "DescribeSecret", "ListSecrets", "PutSecretValue"][i % 4]
    _unchanged(f"SecretId: {arn}\n")
    _unchanged(f'  "Resource": "{arn}",\n')
    _unchanged(f"secret_arn={arn}\n")
    _unchanged(f'      "Action": ["secretsmanager:{act}", "kms:Decrypt"],\n')
    _unchanged(f"- roles/secretmanager.{['secretAccessor', 'admin', 'viewer'][i % 3]}\n")


def test_a_secret_after_an_arn_still_counts() -> None:
    v = key(23_999, "alnum", 32)
    _masked(f"arn:aws:secretsmanager:eu-west-1:1:secret:x-AbCdEf password={v}\n", [v])
    _masked(f"secret: {v}\n", [v])
    _masked(f'"client_secret": "{v}"\n', [v])


# --- class 4: times and ids under names with a secret word -----------------------------------


@pytest.mark.parametrize("i", range(24))
def test_times_and_ids_under_secret_words(i: int) -> None:
    ts = f"2026-0{1 + i % 9}-1{i % 10}T0{i % 10}:2{i % 6}:00{['Z', '+00:00', '.123Z', '+0200'][i % 4]}"
    nm = ["password_last_changed", "secret_updated", "token_created", "api_key_last_modified"]
    _unchanged(f"{nm[i % 4]}: {ts}\n")
    _unchanged(
        f"{['api_key_id', 'secret_id', 'token_id'][i % 3]}: {['key', 'sec', 'tok'][i % 3]}-{i:04d}\n"
    )


def test_a_random_value_under_an_id_or_time_name_still_counts() -> None:
    v = key(24_000, "alnum", 40)
    _masked(f"api_key_id: {v}\n", [v])
    _masked(f"password_changed: {v}\n", [v])


# --- class 5: a "token" cell before the next cell ---------------------------------------------


@pytest.mark.parametrize("i", range(24))
def test_token_cell_before_next_cell(i: int) -> None:
    cell = ["eu-west-1", "us-east-1", "eu-central-1", "node-pool-3", "ap-south-1", "us-west-2"][
        i % 6
    ]
    _unchanged(f"svc-{i}\ttoken\t{cell}\n")
    _unchanged(f"billing     token   {cell:<12}  active\n")


def test_a_bearer_token_still_counts() -> None:
    for i in range(5):
        v = key(25_000 + i, "url", 40)
        _masked(f"Authorization: Bearer {v}\n", [v])
        _masked(f"token {v}\n", [v])
        _masked(f"Authorization: Bearer hunter-real-value-{i}\n", [f"hunter-real-value-{i}"])


# --- class 6: psql expanded records, class 7: polars' type row --------------------------------


@pytest.mark.parametrize("i", range(20))
def test_psql_expanded_records_are_no_tables(i: int) -> None:
    first = ["auth_method", "secret", "has_password", "credential_type", "token_count"][i % 5]
    vals = [["token", "none"], ["<redacted>", "****"], ["true", "false"], ["api_key", "ssh"],
            ["12", "40"]][i % 5]  # fmt: skip
    rows = [[vals[k], f"svc-{i}-{k}", ["eu-west-1", "us-east-1"][k]] for k in range(2)]
    _unchanged(psql_expanded([first, "name", "region"], rows))


@pytest.mark.parametrize("i", range(20))
def test_psql_expanded_record_secret_still_masked(i: int) -> None:
    v = key(26_000 + i, "b64", 40)
    name = ["password", "client_secret", "api_key", "token", "secret"][i % 5]
    _masked(psql_expanded(["id", name, "region"], [[str(i), v, "eu-west-1"]]), [v])


@pytest.mark.parametrize("i", range(20))
def test_polars_type_row_kept(i: int) -> None:
    hdr = ["secret", "token", "password", "api_key", "client_secret"][i % 5]
    v = key(27_000 + i, "alnum", 32)
    out = _masked(polars(["name", hdr], [[f"svc-{i}", v]]), [v])
    assert "│ str".encode() in out and b"[REDACTED" in out
    _unchanged(polars(["name", hdr], [[f"svc-{i}", "<redacted>"]]))


# --- class 8: a quoted CSV row is no ("name", "value") pair in the pure-Python engine ---------


@pytest.mark.parametrize("i", range(20))
def test_quoted_csv_row_same_in_both_engines(i: int) -> None:
    col = ["sha", "commit", "integrity", "digest", "checksum"][i % 5]
    _unchanged(f'"id","name","{col}"\n"{i}","svc-{i}","{hexid(900 + i)}"\n')


def test_quoted_pair_with_blank_still_counts() -> None:
    v = key(28_000, "alnum", 32)
    _masked(f'creds = ("artifactory", "{v}")\n', [v])
