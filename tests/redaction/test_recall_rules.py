"""Formats and contexts added for recall, each paired with the look-alike that must pass.

Values are built at runtime (the repository itself is a leak-scan sink).
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from enforcement_agent.redaction import names
from enforcement_agent.redaction.placeholders import looks_fake
from tests.redaction.helpers import rand, redactor

R = redactor()
HEX = "0123456789abcdef"
LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"


def masked(line: str, value: str) -> bool:
    out = R.redact_text(line)
    return value not in out and "[REDACTED:" in out


@pytest.mark.parametrize("seed", range(5))
def test_provider_formats(seed: int) -> None:
    twilio_account = "A" + "C" + rand(32, seed, LOWER_ALNUM)
    artifactory = "AP" + "6" + rand(20, seed)
    pganalyze = "pg" + "ar_" + rand(27, seed)
    spectral = "sp" + "u-" + rand(32, seed, LOWER_ALNUM)
    for value in (twilio_account, artifactory, pganalyze, spectral):
        assert masked(f"config value {value} loaded", value), value


def test_artifactory_prefix_does_not_mask_capitalised_words() -> None:
    line = "APACHEHTTPDSERVER and APEXCHARTSLIBRARY are words"
    assert R.redact_text(line) == line


def test_slack_tokens_need_the_numeric_team_id() -> None:
    real = "xo" + "xb-" + rand(11, 1, "0123456789") + "-" + rand(24, 2)
    assert masked(f"SLACK={real}", real)
    # Slack's shape with no team id is a name, not a token ("xoxb-my-bot-token").
    assert R.redact_text("see the xoxb-my-bot-token docs") == "see the xoxb-my-bot-token docs"


def test_npmrc_auth_token_is_masked_whatever_it_looks_like() -> None:
    value = "npm_" + "x" * 11
    assert masked(f"//registry.npmjs.org/:_authToken={value}", value)


def test_curl_user_only_api_key_is_masked() -> None:
    key = "sk" + "_test_" + rand(24, 3)
    assert masked(f"curl https://api.example.invalid/v1/charges -u {key}:", key)
    # A plain user name with a password still masks the password, not the user.
    out = R.redact_text("curl -u alice:" + rand(16, 4) + " https://x.example.invalid")
    assert "alice" in out


def test_jenkins_braced_credentials_are_masked() -> None:
    secret = "AQAAABAAA " + rand(40, 5)
    line = f"<secret>{{{secret}}}</secret>"
    assert masked(line, secret)


def test_power_automate_workflow_url_is_masked() -> None:
    url = (
        "https://default" + rand(30, 6, LOWER_ALNUM) + ".62.environment.api.powerplatform.com:443"
        "/powerautomate/automations/direct/workflows/"
        + rand(32, 7, HEX)
        + "/triggers/manual/paths/invoke?api-version=1&sig="
        + rand(43, 8)
    )
    assert masked(f"teams webhook url = '{url}'", url)


@pytest.mark.parametrize(
    "line,value",
    [
        ("Your API key is {v}, keep it safe", "2afd" + rand(28, 9, HEX)),
        ("the password was {v} yesterday", "Xy7" + rand(13, 10)),
    ],
)
def test_prose_that_hands_over_a_value(line: str, value: str) -> None:
    assert masked(line.format(v=value), value)


def test_table_row_value_is_masked() -> None:
    value = rand(40, 11, HEX)
    assert masked(f"apiKey |{value}\nbaseUrl |https://api.example.invalid", value)


@pytest.mark.parametrize("seed", range(5))
def test_bare_word_then_random_token(seed: int) -> None:
    token = "Z7" + rand(22, seed + 20)
    assert masked(f"jira {token}   ", token)
    assert masked(f'client = AcmeClient("{token}")', token)


def test_hex_key_under_a_product_name_is_masked_but_not_under_an_id_name() -> None:
    value = rand(32, 12, HEX)
    assert masked(f"websitepulse '{value}'", value)
    uuid = f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    assert masked(f"onesignal: {uuid}", uuid)
    assert R.redact_text(f"span_id: '{value}'") == f"span_id: '{value}'"


def test_braced_random_value_is_not_a_template() -> None:
    value = "{ZqL5" + rand(10, 13) + "}"
    assert masked(f'password = "{value}"', value)
    assert R.redact_text('password = "{password}"') == 'password = "{password}"'


def test_dotted_random_token_is_not_a_code_reference() -> None:
    value = rand(32, 14, LOWER_ALNUM) + ".sbpi6e"
    assert masked(f'dovico_token: "{value}"', value)
    assert R.redact_text('db_password: "var.db_password"') == 'db_password: "var.db_password"'


@pytest.mark.parametrize("seed", range(5))
def test_short_random_quoted_token(seed: int) -> None:
    value = rand(4, seed, "ABCDEFGHJKLMNPQRSTUVWXYZ") + "7" + rand(3, seed, "0123456789") + "Q2x9"
    assert masked(f"kanban '{value}'", value)


def test_fake_inside_a_random_run_is_still_a_secret() -> None:
    value = rand(12, 15) + "fake" + rand(20, 16)
    assert masked(f"sanity auth token |{value}", value)
    pw = rand(14, 17)
    out = R.redact_text(f'<add key="ClearTextPassword" value="{pw}" />')
    assert pw not in out and "ClearTextPassword" in out


@pytest.mark.parametrize("use_hyperscan", [True, False])
def test_bare_word_token_counts_at_line_start_in_both_engines(use_hyperscan: bool) -> None:
    engine = redactor(use_hyperscan=use_hyperscan)
    token = "Z7" + rand(22, 30)
    for line in (f"jira {token}", f"first line\n  mixpanel {token} extra"):
        assert token not in engine.redact_text(line), line
    # Mid-sentence a word followed by a long word is prose or code, in both engines.
    line = f"the build artefact {token} was uploaded"
    assert engine.redact_text(line) == line


def test_object_named_for_secrets_is_masked_whole_also_when_streamed() -> None:
    ident, key = rand(20, 40), rand(32, 41)
    text = (
        '[{\n  "name": "Acme",\n  "test_secrets": {\n'
        f'    "acme_id": "{ident}",\n    "acme_key": "{key}"\n  }},\n  "method": "GET"\n}}]\n'
    )
    whole = R.redact_text(text)
    assert ident not in whole and key not in whole and '"method": "GET"' in whole
    stream = R.stream()
    pieces = [stream.feed(line.encode()) for line in text.splitlines(keepends=True)]
    assert (b"".join(pieces) + stream.flush()).decode() == whole


def test_object_of_placeholders_passes() -> None:
    line = 'credentials = {"user": "${DB_USER}", "password": "<your-password>"}'
    assert R.redact_text(line) == line


def test_pair_in_a_list_or_tuple() -> None:
    token = rand(40, 50, LOWER_ALNUM)
    assert masked(f'credentials = ("artifactory", "{token}")', token)
    ident, secret = rand(20, 51), rand(40, 52, HEX)
    out = R.redact_text(f"github = '{ident}', '{secret}'")
    assert secret not in out and ident not in out
    # A list of digests under a digest name is not a credential pair.
    digests = f'["sha256", "{rand(64, 53, HEX)}"]'
    assert R.redact_text(digests) == digests


@pytest.mark.parametrize("name", ["session_id", "sheet_id", "client_id", "user"])
def test_bearer_grade_values_under_id_names_are_masked(name: str) -> None:
    value = "Q7" + rand(34, 54)
    assert masked(f'{name} := "{value}"', value)


# Look-alikes that must pass unchanged, by why they are not secrets.
LOOK_ALIKES = {
    "status word or shell pipe": [
        "token is expired",
        "the password is required",
        "api key is missing from the request",
        "echo $API_TOKEN | base64 -d",
        "secret | tr -d '\\n'",
    ],
    "identifier, constant or path": [
        "trace 4bf92f3577b34da6a3ce929d0e0e4736 finished",  # hex after a word: too short a key
        'commit = "4bf92f3577b34da6a3ce929d0e0e47364bf92f35"',  # a hash under a hash name
        "request_id: 3f2c1e9a-8b7d-4c6e-9f0a-1b2c3d4e5f60",
        'const keyStr = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"',
        'pub const SN_id_Gost28147_89_KeyMeshing = "id-Gost28147-89-KeyMeshing"',
        'path = Path("/usr/local/lib/python3.11/site-packages")',
        '"bucket_key": "SalesResults-1.2"',
    ],
    "short word, stamp or colour": [
        '{"ts":"2026-11-25T13:01:02.003Z","logger":"gonogo.agent"}',
        "label = 'HelloWorld12'",
        "version = 'release-2026-11'",
        "colour = 'ff00ff00aa11'",
    ],
    "fake word or a secret's name": [
        'cl_api_key = "a-fake-api-key"',
        "langfuse_secret_key = sk-lf-invalid",
        'password := "somefakekey"',
        "    - key: MySecretManagerKey",
        '<add key="ClearTextPassword" />',
    ],
    "code an agent reads (names, calls, annotations, kwargs)": [
        'JSON_SCHEMA_EXTRA_REQUIRED_SCOPE_KEY = "dagster_required_scope"',
        'AssetKey: "ResolvedAssetKey",',
        'if key == "allOf":',
        "out[key] = [_transform(v, root, {}, visiting) for v in variants]",
        "fired[key] = row[0].isoformat()",
        "FIELD_HASH_CACHE[key] = defined_cls_inst",
        'AssetSpec(key="my_asset_2"),',
        "    return cls(credentials=creds, connectors=specs, redact=redact)",
        '    _p("pulumi-token", "cloud", rb"(?P<s>pul-[a-f0-9]{40})"),',
        "is_secret: bool = False,",
        "token: Optional[str] = None",
        "def configure(known_secrets: Iterable[str] = (), key: bytes | None = None) -> None:",
        'password=EnvVar("DB_PASSWORD")',
        'explicit_signature = getattr(fn, "__signature__", None)',
        "and default_to_pass == FIELD_NO_DEFAULT_PROVIDED,",
        '@dg.asset(key=f"{self.table_name}_data")',
        'return " or ".join(f\'key:"{x.to_user_string()}"\' for x in keys)',
        "**Basic template variable (no context needed)**:",
        "# find a character that's not part of the current token - since",
        "    def _get_job_partitions_and_config_for_partition_set_name(",
        "self.swagger_ui_init_oauth = swagger_ui_init_oauth",
        "password: OAuthFlowPassword | None = None",
        "def read_user(credentials: Annotated[HTTPBasicCredentials, Depends(security)]):",
        "return BasicAuth(username=auth[0], password=auth[1])",
        "return BasicAuth(username=username, password=password)",
        "category=PydanticDeprecatedSince20,",
        "_V2WrapValidatorType = TypeVar('_V2WrapValidatorType', bound=_V2WrapValidator)",
        "Instantiate a basic DataFrame:",
        "and uses HTTP Basic authentication.",
        "Pass `use_pyarrow_extension_array=True` to get a pandas DataFrame",
        "cookie: http.cookies.BaseCookie[str] = http.cookies.SimpleCookie()",
        "def __init__(self, session: WebSocketTestSession) -> None:",
        '_FASTAPI_SCOPE_KEY = "fastapi"',
        '"s3.secret-access-key": "aws_secret_access_key",',
        '"adls.sas-token": "azure_storage_sas_key",',
    ],
    "object id under an id name": [
        "trace_id = '4bf92f3577b34da6a3ce929d0e0e4736'",
        "request_id: 3f2c1e9a-8b7d-4c6e-9f0a-1b2c3d4e5f60",
        "event_id = '0ujtsYcgvSTl8PAuAdqWYSMnLOv'",  # a KSUID: 27 characters
        'customer_id = "cus_NffrFeUfNV2Hib"',
        "build_id: release_2026_11_25_build_0042_final_candidate",
    ],
}


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(line, id=f"{why}: {line[:40]}")
        for why, lines in LOOK_ALIKES.items()
        for line in lines
    ],
)
def test_look_alikes_pass(line: str) -> None:
    assert R.redact_text(line) == line


def test_a_value_found_by_context_is_masked_where_it_recurs_nearby() -> None:
    value = "correct-horse-battery-staple"  # a slug: no generic rule takes it on its own
    text = f"see {value} below\npassword = '{value}'\nagain: {value}\n"
    out = R.redact_text(text)
    # Backwards only within its own line (a stream has released earlier lines).
    assert out.splitlines()[0] == f"see {value} below"
    assert value not in "\n".join(out.splitlines()[1:])


def test_a_file_of_the_same_token_is_masked_on_every_line() -> None:
    # Each occurrence spreads to the next 4 KiB; searched once per region, every line masked.
    token = "Z7" + rand(24, 61)
    text = "".join(f"jira {token}\nref {token}\n" for _ in range(3000))
    out = R.redact_text(text)
    assert token not in out and out.count("[REDACTED:") == 6000


# Words and numbers, none mixing letters and digits: what a slug or a constant is made of.
_WORDS = st.sampled_from(
    ["user", "Table", "build", "Cache", "index", "42", "Result", "items", "2026", "log", "final"]
)


@settings(max_examples=150, deadline=None)
@given(
    name=st.from_regex(r"[a-z][a-z_]{2,12}", fullmatch=True),
    seed=st.integers(min_value=0, max_value=10**6),
    quote=st.sampled_from(["'", '"']),
)
def test_any_bearer_grade_token_after_any_name_is_masked(name: str, seed: int, quote: str) -> None:
    value = "Q7x" + rand(33, seed)
    # A random draw can spell a filler run ("xxXx"): that is the placeholder rule's documented
    # trade-off, not what this property is about.
    assume(not looks_fake(value.encode()))
    # A digest's name (xxh, sha, crc32) holds a digest whatever it looks like: names.py's rule.
    assume(not names.digest_name(name.encode()))
    assert masked(f"{name} = {quote}{value}{quote}", value)


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(_WORDS, min_size=3, max_size=8),
    sep=st.sampled_from(["_", "-", "."]),
    quote=st.sampled_from(["'", '"']),
)
def test_slugs_of_words_and_numbers_are_never_generic_tokens(
    words: list[str], sep: str, quote: str
) -> None:
    line = f"label = {quote}{sep.join(words)}{quote}"
    assert R.redact_text(line) == line


@pytest.mark.parametrize(
    "line,value",
    [
        ("WARN auth failed password={v}, user=alice", "hunter2x"),
        ('System.setProperty("API_TOKEN", "{v}")', "Xy7abcdef12"),
        ("key = {v}", "adf4b1dbRdW3rOcB7xLthrM4BTBGK1qPLkHigpN1bXD6z"),
        ('ENCRYPTION_KEY = "{v}"', "correct-horse-battery"),
        ("Authorization: Basic {v}", "dXNlcjpwYXNz"),
        ("Server=db;Password={v};Encrypt=yes", "ab)c9,x"),
        ("token: {v}", "Abc[123xyz"),
        ("ldaps://127.0.0.1:389 pass '{v}'", "A:J$NL9~6:u:L$_:VO4tf"),
        ("https://username:{v}@db.example.invalid", "password"),
        ("client_secret = '{v}'", "PydanticSince20AbcXyz9"),
        ('<add key="ClearTextPassword" value="{v}" />', "CleartextPassword1"),
        ("user = User(username='scolvin', password='{v}')", "password1"),
        # A quoted constant-shaped value is a literal (hypothesis found this one).
        ('password = "{v}"', "A0_0_0"),
    ],
)
def test_the_same_names_with_literal_values_are_still_masked(line: str, value: str) -> None:
    assert masked(line.format(v=value), value)


def test_a_word_masked_for_its_name_is_not_spread_through_code() -> None:
    code = "token = nextchar\nif self.isword(nextchar):\n    token += nextchar\n"
    out = R.redact_text(code)
    assert "self.isword(nextchar)" in out and "token += nextchar" not in out


def test_real_code_is_rarely_masked() -> None:
    # Installed dagster source: names like cache_key and credentials=creds, (almost) no secrets.
    # Every changed line is over-masking an agent would read (and might write back); stop 7's
    # redactor changed 120 lines in 10,000 here.
    from benchmarks.perf.bench_redaction import code_over_masking

    report = code_over_masking(R, "dagster", files=400)
    if "error" in report:
        pytest.skip(f"dagster source not available: {report['error']}")
    assert report["lines_changed_per_10k"] <= 5, report
