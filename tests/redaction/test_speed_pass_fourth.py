"""Speed pass, 2026-12-05 (fourth): structural changes that must not change any output.

- Start-reporting detectors that scan with one shared expression (the key-word anchor's six
  ``kv-secret`` forms) are confirmed together (``engine.Engine._confirm_group``): the same
  spans, per detector, as one ``_confirm`` each, and a start that every remembered detector of
  the group dismissed in the same bytes (``engine._Quiet.group_key``) is not tried again by
  any of them. Checked here against the per-detector path (the group switched off), on
  references that are dismissed and on secrets beside them, repeated (warm), whole and
  streamed at every chunking.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.redaction import engine
from tests.redaction.helpers import ansi_strip_spec, rand, redactor

# Dismissed references and template values under secret-naming keys, in the formats the group's
# expression meets (Terraform, YAML, env files, Python, JS, Helm, CloudFormation, k8s).
_REFERENCES = (
    "  password       = var.db_password",
    "  password = var.{n}_password",
    "      - POSTGRES_PASSWORD=${{POSTGRES_PASSWORD}}",
    "          NODE_AUTH_TOKEN: ${{{{ secrets.NPM_TOKEN }}}}",
    'SECRET_KEY = os.environ.get("SECRET_KEY")',
    'DATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]',
    "const apiKey = process.env.API_KEY;",
    "api_key = getenv('API_KEY')",
    "  password: {{{{ .Values.db.password }}}}",
    "  MasterUserPassword: !Ref DBPassword",
    "              key: password",
    "  secret_key = self.secret_key",
    "password = password",
    "access_token: ${{ACCESS_TOKEN:-}}",
    "private_key = var.{n}_private_key",
    "client_secret = settings.CLIENT_SECRET",
    "apikey: <your-api-key>",
    "password = os.environ['PG_{N}_PASSWORD']",
    "secret = config['{n}']['secret']",
    "  api_key: ${{{N}_API_KEY}}",
    "token = request.headers.get('X-Token')",
    "passwd=$(cat /run/secrets/{n})",
)
# Secrets under the same keys: every one must be masked, whatever was dismissed before.
_SECRETS = (
    "  password       = {v}",
    '  password = "{v}"',
    "      - POSTGRES_PASSWORD={v}",
    "          NODE_AUTH_TOKEN: {v}",
    'SECRET_KEY = "{v}"',
    "const apiKey = '{v}';",
    "api_key = '{v}'",
    "  password: {v}",
    "  MasterUserPassword: {v}",
    "access_token: {v}",
    'private_key = "{v}"',
    "client_secret = {v}",
    "apikey: {v}",
    "secret_key={v}",
    "  api_key: {v}",
    "passwd={v}",
    "token: {v}",
    '"password": "{v}",',
    "export API_KEY={v}",
    "DB_PASSWORD='{v}'",
)
# Masked on ``main`` too, grouped or not (over-masking left open by this speed pass, which
# changes no output): CloudFormation's ``!Ref`` and a subscripted ``config[...]`` (indexes 9 and
# 18), no longer masked since the fifteenth held-out pass (``test_fifteenth_held_out.py``).
_MASKED_ON_MAIN: frozenset[int] = frozenset()
_NAMES = ("api", "worker", "billing", "search", "db", "x")


def _ref(i: int, rnd: random.Random) -> str:
    n = rnd.choice(_NAMES)
    return _REFERENCES[i % len(_REFERENCES)].format(n=n, N=n.upper())


def _secret(i: int) -> str:
    return rand(32, seed=4000 + i) + "Zq7"


def _document(seed: int, lines: int = 60, secrets: int = 3) -> tuple[str, list[str]]:
    rnd = random.Random(seed)
    out = [_ref(rnd.randrange(10_000), rnd) for _ in range(lines)]
    planted = []
    for k in range(secrets):
        v = _secret(seed * 10 + k)
        out.insert(rnd.randrange(len(out) + 1), _SECRETS[(seed + k) % len(_SECRETS)].format(v=v))
        planted.append(v)
    return "\n".join(out) + "\n", planted


def _ungrouped() -> object:
    r = redactor()
    r.engine._som_groups = {}
    return r


def _outputs(r: object, data: bytes) -> list[bytes]:
    outs = [r.redact_bytes(data)]  # type: ignore[attr-defined]
    for c in (1, 7, 64, 4093):
        s = r.stream()  # type: ignore[attr-defined]
        outs.append(b"".join(s.feed(data[i : i + c]) for i in range(0, len(data), c)) + s.flush())
    outs.append(r.redact_bytes(data))  # type: ignore[attr-defined]  # warm: remembered
    return outs


def test_the_key_word_anchor_forms_make_one_group() -> None:
    eng = redactor().engine
    groups = list(eng._som_groups.values())
    assert groups, "no start-reporting detectors share an expression"
    for g in groups:
        assert len(g) > 1
        assert all(eng.detectors[p].som for p in g)
    names = {eng.detectors[p].name for g in groups for p in g}
    assert "kv-secret" in names


@pytest.mark.parametrize("i", range(len(_REFERENCES)))
def test_references_stay_unchanged_grouped_and_not(i: int) -> None:
    rnd = random.Random(i)
    text = "\n".join(_ref(i, rnd) for _ in range(30)) + "\n"
    data = text.encode()
    grouped = _outputs(redactor(), data)
    assert grouped == _outputs(_ungrouped(), data)
    if i in _MASKED_ON_MAIN:
        assert all(o != data for o in grouped)
    else:
        assert all(o == data for o in grouped), _REFERENCES[i]


@pytest.mark.parametrize("i", range(len(_SECRETS)))
def test_secrets_after_repeated_dismissals_are_masked(i: int) -> None:
    # The same bytes around the key dismissed 40 times, then a secret in that place: the
    # group's memory must not answer for the secret's bytes.
    v = _secret(i)
    line = _SECRETS[i].format(v=v)
    ref = _REFERENCES[i % len(_REFERENCES)].format(n="db", N="DB")
    text = (ref + "\n") * 40 + line + "\n" + (ref + "\n") * 5 + line + "\n"
    data = text.encode()
    outs = _outputs(redactor(), data)
    assert outs == _outputs(_ungrouped(), data)
    for o in outs:
        assert v.encode() not in o, line
        assert (ref.encode() in o) is (i % len(_REFERENCES) not in _MASKED_ON_MAIN)


@pytest.mark.parametrize("seed", range(24))
def test_mixed_documents_grouped_equal_ungrouped(seed: int) -> None:
    text, planted = _document(seed)
    data = text.encode()
    outs = _outputs(redactor(), data)
    assert outs == _outputs(_ungrouped(), data)
    for o in outs:
        for v in planted:
            assert v.encode() not in o


def test_group_key_holds_every_members_key() -> None:
    # The proof in ``_Quiet.group_key``, checked: where it gives a key, each remembered
    # member's own key is non-None and its bytes are a prefix of the group key's bytes.
    r = redactor()
    eng = r.engine
    quiet = eng._quiet
    text, _ = _document(99, lines=200)
    data = text.encode()
    hits = eng._prefilter(data)
    checked = 0
    for first, group in eng._som_groups.items():
        members = []
        for pid in group:
            det = eng.detectors[pid]
            facts = eng._detector(pid)
            width = facts.width + engine._SLACK
            tail = width if det.short_prefilter else engine._SLACK
            if quiet.usable(pid, det, facts):
                members.append((pid, width, tail))
        reach = min(t for _, _, t in members)
        for run in hits.get(first, []):
            for start in (run[0], *run[3:]):
                gk = quiet.group_key(group, data, start, run[2], reach, False)
                if gk is None:
                    continue
                for pid, width, tail in members:
                    end = min(len(data), run[2] + tail)
                    nl = data.find(b"\n", run[2], end)
                    end = nl + 1 if nl >= 0 else end
                    k = quiet.key(pid, data, start, min(end, start + width), start, False)
                    assert k is not None
                    assert gk[1].startswith(k[1])
                    assert k[2] == gk[2]
                    checked += 1
    assert checked > 100


_FRAGMENTS = st.sampled_from(
    [
        *(r.format(n="db", N="DB") for r in _REFERENCES),
        *(s.format(v=_secret(k)) for k, s in enumerate(_SECRETS)),
        "",
        "# comment",
        'resource "aws_db_instance" "db" {',
        "}",
        "\x1b[32mok\x1b[0m",
        "name  password",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_FRAGMENTS, min_size=1, max_size=25),
    st.lists(st.integers(min_value=1, max_value=300), min_size=1, max_size=8),
)
def test_streamed_with_any_chunking_equals_whole(lines: list[str], cuts: list[int]) -> None:
    data = ("\n".join(lines) + "\n").encode()
    r = redactor()
    whole = r.redact_bytes(data)
    s = r.stream()
    out, i, k = [], 0, 0
    while i < len(data):
        c = cuts[k % len(cuts)]
        out.append(s.feed(data[i : i + c]))
        i, k = i + c, k + 1
    out.append(s.flush())
    assert b"".join(out) == whole
    assert whole == _ungrouped().redact_bytes(data)  # type: ignore[attr-defined]


# -- colour codes: one removal pass, and offsets mapped back by counting ---------------------------
# (``ansi._ANSI_7_NO_FORWARD``: the 7-bit codes but cursor moves, in one pass; ``engine._AnsiMap``:
# the line of a position counted from the last one asked for, not read from a table of lines.)
_CODE_PIECES = (
    "\x1b[0m",
    "\x1b[1;31m",
    "\x1b[38;5;208m",
    "\x1b[K",
    "\x1b[2J",
    "\x1b(B",
    "\x1b7",
    "\x1b8",
    "\x1b]0;title\x07",
    "\x1b]8;;http://x\x1b\\",
    "\x1bPdata\x1b\\",
    "\x1b[3C",
    "\x1b[C",
    "\x1b[12D",
    "\x1b[40G",
    "\x1b[12345C",
    "\x1b[1;2C",
    "\x1b[?25l",
    "\x1b",
    "\x1b[",
    "\x1b[3",
    "\xc2\x9b1m",
    "\\u001b[32m",
    "\\x1b[1C",
)
_TEXT_PIECES = ("password", "=", " ", "\n", "ok", "9Zt2kQ", "[", "C", "12", "|", "token: ", "\t")


_reference_strip = ansi_strip_spec


_PIECES = st.sampled_from(_CODE_PIECES + _TEXT_PIECES)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_strip_equals_the_general_path(pieces: list[str]) -> None:
    from enforcement_agent.redaction import ansi

    data = "".join(pieces).encode("latin-1", "ignore")
    assert ansi.strip(data) == _reference_strip(data)


@pytest.mark.parametrize("code", _CODE_PIECES)
def test_strip_each_code_beside_text(code: str) -> None:
    from enforcement_agent.redaction import ansi

    for text in (f"password={code}9Zt2kQ\n", f"{code}ok {code}\n{code}", f"a{code}{code}b"):
        data = text.encode("latin-1")
        assert ansi.strip(data) == _reference_strip(data), repr(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=60), st.lists(st.integers(0, 10_000), max_size=30))
def test_offset_map_equals_a_table_of_lines(pieces: list[str], picks: list[int]) -> None:
    import bisect

    from enforcement_agent.redaction import ansi

    data = "".join(p for p in pieces if "\\" not in p and "\xc2" not in p).encode("latin-1")
    plain = ansi.strip(data)
    if ansi.has_forward(data) or not plain:
        return
    amap = engine._AnsiMap(data, plain)
    starts = engine._line_starts(plain)
    raw_starts = engine._line_starts(data)
    for pick in picks:
        pos = pick % len(plain)
        k = bisect.bisect_right(starts, pos) - 1
        want = raw_starts[k] + ansi.raw_offset(
            ansi.line_offsets(data[raw_starts[k] : raw_starts[k + 1] - 1]), pos - starts[k]
        )
        assert amap(pos) == want


@pytest.mark.parametrize("seed", range(20))
def test_coloured_secrets_masked_and_clean_unchanged(seed: int) -> None:
    rnd = random.Random(seed)
    v = _secret(700 + seed)
    codes = [c for c in _CODE_PIECES[:11]]
    clean = "".join(
        f"{rnd.choice(codes)}test_{k}{rnd.choice(codes)} PASSED {rnd.choice(codes)}[{k}%]\x1b[0m\n"
        for k in range(40)
    )
    secret = f"{rnd.choice(codes)}loaded credential{rnd.choice(codes)} {v}\x1b[0m\n"
    data = (clean + secret + clean).encode()
    for o in _outputs(redactor(), data):
        assert v.encode() not in o
        assert o.startswith(clean.encode()) and o.endswith(clean.encode())


def test_offset_map_far_apart_positions_switch_to_the_table() -> None:
    import bisect

    from enforcement_agent.redaction import ansi

    rnd = random.Random(5)
    codes = [c for c in _CODE_PIECES[:11]]
    data = "".join(
        f"{rnd.choice(codes)}line {k}{rnd.choice(codes)} ok {rnd.choice(codes)}\n"
        for k in range(400)
    ).encode()
    plain = ansi.strip(data)
    amap = engine._AnsiMap(data, plain)
    starts, raw_starts = engine._line_starts(plain), engine._line_starts(data)
    positions = [p for k in range(60) for p in (k * 7, len(plain) - 1 - k * 11)]
    for pos in positions:
        k = bisect.bisect_right(starts, pos) - 1
        want = raw_starts[k] + ansi.raw_offset(
            ansi.line_offsets(data[raw_starts[k] : raw_starts[k + 1] - 1]), pos - starts[k]
        )
        assert amap(pos) == want
    assert amap._plain_lines is not None  # counted past twice the text: the table was built
