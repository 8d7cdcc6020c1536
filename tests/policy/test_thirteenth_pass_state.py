"""Thirteenth red-team pass over state, records, caches and their keys.

1. The redactor's cache is state. Its hyperscan databases and pattern facts decide what is
   masked at every egress (command output, decision records, telemetry), and they are
   trusted when their HMAC verifies under the ``.mac-key`` beside them. The policy masks that
   key by name (``**/.cache/gonogo/.mac-key``) only, so with ``XDG_CACHE_HOME`` or
   ``GONOGO_CACHE_DIR`` inside the workspace a sandboxed ``python3 forge.py`` (run as uid
   1000, where the sandbox user is the caller) read the key, re-MACed a redaction plan of
   expressions that match nothing, and every later ``echo token=ghp_…`` went out unmasked, in
   the output and in the decision record. The cache directory is now one of
   ``Settings.guarded_paths``: in, under, mounted below or visible to the sandbox is refused on
   every call, like ``GONOGO_HOME`` and the KEK file.
2. Anchors. The decision chain is an unkeyed sha256 chain, so whoever can write the state
   directory can rewrite it from any record on with a head and witness to match, and
   ``audit verify`` says ok (a key beside the log would not help: that writer can read it).
   ``gonogo audit anchor`` prints a checkpoint of every chain to keep outside the writer's
   reach, and ``gonogo audit verify --anchor FILE`` requires each anchored record to still be
   there: rewrites, truncations and deletions up to the anchor are found.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.audit import DecisionLog, seal, state_dir_conflict, verify
from enforcement_agent.audit_anchor import (
    ANCHOR_SCHEMA,
    MAX_ANCHOR_BYTES,
    AnchorError,
    load_anchor,
    parse_anchor,
    take_anchor,
)
from enforcement_agent.audit_format import canonical, record_hash
from enforcement_agent.models import Decision, ToolRequest, Verdict
from enforcement_agent.verified_cache import redactor_cache_dir
from gonogo.config import REPO_ROOT, Settings
from tests.policy_cache_seed import warm_policy_cache
from tests.redactor_cache import copy_seed

# ---- class 1: the redactor's cache is a guarded path ----------------------------------------


@pytest.fixture
def cache_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    home = tmp_path / "user"
    (home / "proj" / "sub").mkdir(parents=True)
    (home / "elsewhere").mkdir()
    (home / "link").symlink_to(home / "proj")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GONOGO_KEK", "x")  # no KEK file: only the cache is in question
    monkeypatch.delenv("GONOGO_KEK_FILE", raising=False)
    monkeypatch.delenv("GONOGO_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("GONOGO_SANDBOX_RO_PATHS", raising=False)
    return home


# (variable, value with {home}, workspace relative to home)
CACHE_IN_WORKSPACE = [
    ("XDG_CACHE_HOME", "{home}/proj/.xdg", "proj"),
    ("XDG_CACHE_HOME", "{home}/proj/.cache", "proj"),
    ("XDG_CACHE_HOME", "{home}/proj/sub/cache", "proj"),
    ("XDG_CACHE_HOME", "{home}/proj/sub/../.c", "proj"),
    ("XDG_CACHE_HOME", "{home}/link/.xdg", "proj"),  # through a symlink to the workspace
    ("XDG_CACHE_HOME", "{home}/proj", "proj"),  # the cache is {ws}/gonogo
    ("XDG_CACHE_HOME", "{home}/proj/./x/", "proj"),
    ("XDG_CACHE_HOME", "{home}//proj//y", "proj"),
    ("XDG_CACHE_HOME", "{home}/proj/.xdg", "link"),  # the workspace named through the link
    ("GONOGO_CACHE_DIR", "{home}/proj/.gonogo-cache", "proj"),
    ("GONOGO_CACHE_DIR", "{home}/proj", "proj"),  # the workspace itself
    ("GONOGO_CACHE_DIR", "{home}/proj/sub", "proj"),
    ("GONOGO_CACHE_DIR", "{home}/proj/sub/deep/er/cache", "proj"),
    ("GONOGO_CACHE_DIR", "{home}/link/c", "proj"),
    ("GONOGO_CACHE_DIR", "{home}/proj/../proj/c", "proj"),
    ("GONOGO_CACHE_DIR", "{home}/proj/.git/gonogo", "proj"),
    ("GONOGO_CACHE_DIR", "{home}/proj/node_modules/.cache/gonogo", "proj"),
    ("GONOGO_CACHE_DIR", "{home}/proj/c", "link"),
    (None, "", "."),  # the default ~/.cache/gonogo with --workspace ~
    (None, "", ".cache"),
    ("XDG_CACHE_HOME", "{home}/.cache", "."),
    ("GONOGO_CACHE_DIR", "{home}/proj/sub/c", "proj/sub"),
]


@pytest.mark.parametrize("var, value, workspace", CACHE_IN_WORKSPACE)
def test_a_workspace_holding_the_redactor_cache_is_refused(
    cache_env: Path, monkeypatch: pytest.MonkeyPatch, var: str | None, value: str, workspace: str
) -> None:
    if var is not None:
        monkeypatch.setenv(var, value.format(home=cache_env))
    settings = Settings(home=cache_env.parent / "state")
    assert redactor_cache_dir() in settings.guarded_paths
    reason = state_dir_conflict(settings.guarded_paths, cache_env / workspace)
    assert reason is not None and "inside the workspace" in reason, reason
    assert "GONOGO_CACHE_DIR" in reason


@pytest.mark.parametrize(
    "var, value",
    [
        ("XDG_CACHE_HOME", "{home}/elsewhere"),
        ("XDG_CACHE_HOME", "{home}/projx"),  # a sibling whose name starts like the workspace
        ("GONOGO_CACHE_DIR", "{home}/elsewhere/c"),
        ("GONOGO_CACHE_DIR", "{home}/proj-cache"),
        (None, ""),  # the default ~/.cache/gonogo, the workspace ~/proj
    ],
)
def test_the_redactor_cache_controls(
    cache_env: Path, monkeypatch: pytest.MonkeyPatch, var: str | None, value: str
) -> None:
    if var is not None:
        monkeypatch.setenv(var, value.format(home=cache_env))
    settings = Settings(home=cache_env.parent / "state")
    assert state_dir_conflict(settings.guarded_paths, cache_env / "proj") is None


def test_the_cache_dir_is_the_one_the_redactor_uses(
    cache_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from enforcement_agent.redaction import hyperscan_db

    assert redactor_cache_dir() == cache_env / ".cache" / "gonogo"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_env / "x"))
    assert redactor_cache_dir() == cache_env / "x" / "gonogo" == hyperscan_db._cache_dir()
    monkeypatch.setenv("GONOGO_CACHE_DIR", str(cache_env / "y"))
    assert redactor_cache_dir() == cache_env / "y" == hyperscan_db._cache_dir()


_SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=1, max_size=12)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.lists(_SEGMENT, min_size=1, max_size=4), var=st.sampled_from(
    ["XDG_CACHE_HOME", "GONOGO_CACHE_DIR"]))  # fmt: skip
def test_any_cache_dir_below_the_workspace_is_refused(
    cache_env: Path, parts: list[str], var: str
) -> None:
    if any(p in (".", "..") for p in parts):
        return
    mp = pytest.MonkeyPatch()
    try:
        mp.setenv(var, str(cache_env.joinpath("proj", *parts)))
        settings_ = Settings(home=cache_env.parent / "state")
        assert state_dir_conflict(settings_.guarded_paths, cache_env / "proj") is not None
        # control: the same path below a directory that is not the workspace
        mp.setenv(var, str(cache_env.joinpath("elsewhere", *parts)))
        settings_ = Settings(home=cache_env.parent / "state")
        assert state_dir_conflict(settings_.guarded_paths, cache_env / "proj") is None
    finally:
        mp.undo()


def _exec_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GONOGO_") and k not in ("XDG_CACHE_HOME",)
    }
    env.update(GONOGO_HOME=str(tmp_path / "state"), GONOGO_KEK="x" * 44, **extra)
    return env


def test_agent_exec_with_the_redactor_cache_in_the_workspace_never_runs(
    tmp_path: Path, bwrap: str, redactor_cache_seed: Path, policy_cache_seed: Path
) -> None:
    warm_policy_cache(policy_cache_seed, tmp_path / "state")  # the subject is not the compile
    ws = tmp_path / "ws"
    ws.mkdir()
    cmd = [sys.executable, "-m", "gonogo", "agent", "exec", "--tenant", "acme", "--role",
           "contributor", "--workspace", str(ws), "--",
           "echo token=ghp_R2d2C3poLukeSkywalker0123456789abcd; touch marker"]  # fmt: skip
    # control: the cache outside the workspace; the command runs and its output is masked
    copy_seed(redactor_cache_seed, tmp_path / "xdg" / "gonogo")  # warm: no 10 s compile
    env = _exec_env(tmp_path, XDG_CACHE_HOME=str(tmp_path / "xdg"))
    r = subprocess.run(cmd, env=env, cwd=REPO_ROOT, capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode()
    assert b"ghp_R2d2" not in r.stdout and b"REDACTED" in r.stdout
    assert (ws / "marker").exists()
    (ws / "marker").unlink()
    for var, value in (("XDG_CACHE_HOME", ws / ".xdg"), ("GONOGO_CACHE_DIR", ws / "c")):
        env = _exec_env(tmp_path, **{var: str(value)})
        r = subprocess.run(cmd, env=env, cwd=REPO_ROOT, capture_output=True, timeout=120)
        assert r.returncode != 0 and b"inside the workspace" in r.stderr, r.stderr.decode()
        assert not (ws / "marker").exists()
        assert b"ghp_R2d2" not in r.stdout + r.stderr


# ---- class 2: anchors kept outside the writer's reach ---------------------------------------


class _Plain:
    def redact_text(self, text: str) -> str:
        return text


def _append(
    log: DecisionLog, tenant: str = "acme", i: int = 0, verdict: Verdict = Verdict.DENY
) -> dict:
    req = ToolRequest(tenant=tenant, actor="agent", role="contributor", tool="exec",
                      command=f"cat secret/{i}")  # fmt: skip
    dec = Decision(verdict, "exec.secret-file", "no", f"d{tenant}{i}-{os.urandom(4).hex()}", "rev1")
    return log.append(req, dec)


N = 6


@pytest.fixture
def chains(tmp_path: Path) -> Path:
    root = tmp_path / "audit"
    log = DecisionLog(root, _Plain())
    for i in range(N):
        _append(log, "acme", i)
    for i in range(3):
        _append(log, "globex", i)
    rlog = DecisionLog(root, _Plain(), replica="r1")
    for i in range(3):
        _append(rlog, "acme", 100 + i)
    assert verify(root).ok
    return root


def _chain_dir(root: Path, chain: str) -> Path:
    return root.joinpath(*chain.split("/"))


def _records(root: Path, chain: str) -> list[dict]:
    data = (_chain_dir(root, chain) / "decisions.jsonl").read_bytes()
    return [json.loads(line) for line in data.splitlines() if line]


def _rewrite(root: Path, chain: str, recs: list[dict]) -> None:
    """What the writer's uid can do: write the chain anew, with head and witness to match."""
    prev = "0" * 64
    for r in recs:
        r["prev_hash"] = prev
        r["hash"] = record_hash(r)
        prev = r["hash"]
    d = _chain_dir(root, chain)
    (d / "decisions.jsonl").write_bytes(b"".join(canonical(r) + b"\n" for r in recs))
    if recs:
        head = {"seq": recs[-1]["seq"], "hash": recs[-1]["hash"]}
        (d / "decisions.head").write_bytes(canonical({**head, "updated": 0}))
        (d / ".witness").write_bytes(canonical(head))
    else:
        for name in ("decisions.head", ".witness"):
            (d / name).unlink(missing_ok=True)


def _flip(i: int) -> object:
    def edit(recs: list[dict]) -> list[dict]:
        recs[i]["result"] = "allow"
        recs[i]["reason"] = "rewritten"
        return recs

    return edit


def _truncate(k: int) -> object:
    return lambda recs: recs[:-k]


def _renumber(recs: list[dict]) -> list[dict]:
    for n, r in enumerate(recs, 1):
        r["seq"] = n
    return recs


REWRITES = {
    **{f"flip-{i}": _flip(i) for i in range(N)},
    **{f"truncate-{k}": _truncate(k) for k in (1, 2, 3, N - 1)},
    "drop-middle-renumbered": lambda recs: _renumber(recs[:2] + recs[3:]),
    "drop-first-renumbered": lambda recs: _renumber(recs[1:]),
    "swap-two-renumbered": lambda recs: _renumber([recs[1], recs[0], *recs[2:]]),
    "reversed-renumbered": lambda recs: _renumber(list(reversed(recs))),
    "other-target": lambda recs: [{**r, "target": "ls"} for r in recs],
    "timestamps-moved": lambda recs: [
        {**r, "timestamp": "2020-01-01T00:00:00.000000Z"} for r in recs
    ],
    "actor-changed-last": lambda recs: [*recs[:-1], {**recs[-1], "actor": "someone"}],
    "emptied": lambda recs: [],
    "replaced-same-length": lambda recs: [
        {**r, "decision_id": f"x{n}"} for n, r in enumerate(recs)
    ],
}


@pytest.mark.parametrize("name", sorted(REWRITES))
def test_a_consistent_rewrite_passes_verify_alone_but_not_against_the_anchor(
    chains: Path, name: str
) -> None:
    anchor = parse_anchor(json.dumps(take_anchor(chains)).encode())
    recs = REWRITES[name](_records(chains, "acme"))  # type: ignore[operator]
    _rewrite(chains, "acme", recs)
    alone = verify(chains)
    if recs:
        assert alone.ok, alone.to_json()  # the limit an anchor closes
    report = verify(chains, anchor=anchor)
    assert not report.ok
    errors = report.tenants["acme"].errors
    assert any("anchor" in e for e in errors), errors
    assert report.tenants["globex"].ok  # the other chains are untouched


@pytest.mark.parametrize("name", ["flip-0", "truncate-1", "emptied", "drop-first-renumbered"])
def test_a_replica_chain_rewritten_is_found_through_the_anchor(chains: Path, name: str) -> None:
    anchor = parse_anchor(json.dumps(take_anchor(chains)).encode())
    assert "acme/r1" in anchor
    recs = _records(chains, "acme/r1")
    recs = REWRITES[name](recs)  # type: ignore[operator]
    _rewrite(chains, "acme/r1", recs)
    report = verify(chains, anchor=anchor)
    assert not report.ok
    assert any("anchor" in e for e in report.tenants["acme"].replicas["r1"].errors)


@pytest.mark.parametrize(
    "deletion",
    ["tenant-dir-and-registry", "whole-audit-dir", "replica-dir-and-registry", "log-and-head"],
)
def test_deletions_since_the_anchor_are_found(chains: Path, deletion: str) -> None:
    anchor = parse_anchor(json.dumps(take_anchor(chains)).encode())
    if deletion == "tenant-dir-and-registry":
        shutil.rmtree(chains / "globex")
        (chains / ".tenants").write_text("acme\n")
        assert verify(chains).ok  # undetectable without the anchor
        tenant = "globex"
    elif deletion == "whole-audit-dir":
        shutil.rmtree(chains)
        assert verify(chains).ok
        tenant = "acme"
    elif deletion == "replica-dir-and-registry":
        shutil.rmtree(chains / "acme" / "r1")
        (chains / "acme" / ".replicas").write_text("")
        assert verify(chains).ok
        tenant = "acme"
    else:
        for name in ("decisions.jsonl", "decisions.head", ".witness", ".lock"):
            (chains / "globex" / name).unlink()
        tenant = "globex"
    report = verify(chains, anchor=anchor)
    assert not report.ok
    assert any("anchor" in e for e in report.tenants[tenant].errors + [
        e for r in report.tenants[tenant].replicas.values() for e in r.errors])  # fmt: skip


def test_the_anchor_controls_more_records_and_a_seal_still_verify(chains: Path) -> None:
    anchor = parse_anchor(json.dumps(take_anchor(chains)).encode())
    assert set(anchor) == {"acme", "globex", "acme/r1"}
    assert anchor["acme"].seq == N
    log = DecisionLog(chains, _Plain())
    for i in range(4):
        _append(log, "acme", 50 + i, Verdict.ALLOW)
    _append(log, "initech", 0)  # a tenant new since the anchor
    assert verify(chains, anchor=anchor).ok
    # a torn tail sealed after the anchor keeps every anchored record in its segment
    with open(chains / "acme" / "decisions.jsonl", "ab") as f:
        f.write(b'{"torn":')
    seal(chains, "acme")
    _append(log, "acme", 99)
    report = verify(chains, anchor=anchor)
    assert report.ok, report.to_json()
    # and a newer anchor covers the new records
    newer = parse_anchor(json.dumps(take_anchor(chains)).encode())
    assert newer["acme"].seq > anchor["acme"].seq and "initech" in newer
    assert verify(chains, anchor=newer).ok


def test_an_empty_audit_dir_anchors_nothing_and_verifies(tmp_path: Path) -> None:
    anchor = take_anchor(tmp_path / "none")
    assert anchor["schema"] == ANCHOR_SCHEMA and anchor["chains"] == {}
    assert verify(tmp_path / "none", anchor=parse_anchor(json.dumps(anchor).encode())).ok


def test_anchoring_a_broken_chain_is_refused(chains: Path) -> None:
    lines = (chains / "acme" / "decisions.jsonl").read_bytes().splitlines(keepends=True)
    (chains / "acme" / "decisions.jsonl").write_bytes(b"".join(lines[:2] + lines[3:]))
    with pytest.raises(AnchorError, match="do not verify"):
        take_anchor(chains)


GOOD_HASH = "a" * 64
MALFORMED_ANCHORS: list[bytes] = [
    b"",
    b"   ",
    b"null",
    b"[]",
    b'"x"',
    b"{}",
    b'{"schema": "gonogo.anchor/v2", "chains": {}}',
    b'{"schema": "gonogo.anchor/v1"}',
    b'{"schema": "gonogo.anchor/v1", "chains": []}',
    b'{"schema": "gonogo.anchor/v1", "chains": {"acme": {"seq": 0, "hash": "%s"}}}'
    % GOOD_HASH.encode(),
    b'{"schema": "gonogo.anchor/v1", "chains": {"acme": {"seq": -3, "hash": "%s"}}}'
    % GOOD_HASH.encode(),
    b'{"schema": "gonogo.anchor/v1", "chains": {"acme": {"seq": true, "hash": "%s"}}}'
    % GOOD_HASH.encode(),
    b'{"schema": "gonogo.anchor/v1", "chains": {"acme": {"seq": 1.0, "hash": "%s"}}}'
    % GOOD_HASH.encode(),
    b'{"schema": "gonogo.anchor/v1", "chains": {"acme": {"seq": "1", "hash": "%s"}}}'
    % GOOD_HASH.encode(),
    b'{"schema": "gonogo.anchor/v1", "chains": {"acme": {"seq": 1, "hash": "%s"}}}'
    % ("A" * 64).encode(),
    b'{"schema": "gonogo.anchor/v1", "chains": {"acme": {"seq": 1, "hash": "abc"}}}',
    b'{"schema": "gonogo.anchor/v1", "chains": {"acme": {"seq": 1}}}',
    b'{"schema": "gonogo.anchor/v1", "chains": {"acme": {"seq": 1, "hash": "%s", "x": 1}}}'
    % GOOD_HASH.encode(),
    b'{"schema": "gonogo.anchor/v1", "chains": {"../etc": {"seq": 1, "hash": "%s"}}}'
    % GOOD_HASH.encode(),
    b'{"schema": "gonogo.anchor/v1", "chains": {"acme/": {"seq": 1, "hash": "%s"}}}'
    % GOOD_HASH.encode(),
    b'{"schema": "gonogo.anchor/v1", "chains": {"acme/segments": {"seq": 1, "hash": "%s"}}}'
    % GOOD_HASH.encode(),
    b'{"schema": "gonogo.anchor/v1", "chains": {"acme/r1/x": {"seq": 1, "hash": "%s"}}}'
    % GOOD_HASH.encode(),
    b'{"schema": "gonogo.anchor/v1", "chains": {"acme": {"seq": 1, "hash": "%s"}, "acme": {"seq": 9, "hash": "%s"}}}'
    % (GOOD_HASH.encode(), GOOD_HASH.encode()),  # noqa: E501
    b'{"schema": "gonogo.anchor/v1", "schema": "gonogo.anchor/v1", "chains": {}}',
    b'{"schema": "gonogo.anchor/v1", "chains": {"acme": "x"}}',
    b"\xff\xfe{}",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"schema": "gonogo.anchor/v1", "chains": {}, "pad": "' + b"x" * MAX_ANCHOR_BYTES + b'"}',
    b'{"schema": "gonogo.anchor/v1", "chains": {"acme": {"seq": 1'
    + b"0" * 5000
    + b', "hash": "'
    + GOOD_HASH.encode()
    + b'"}}}',  # noqa: E501
]


@pytest.mark.parametrize("data", MALFORMED_ANCHORS, ids=range(len(MALFORMED_ANCHORS)))
def test_a_malformed_anchor_is_an_error_with_a_message(data: bytes) -> None:
    with pytest.raises(AnchorError) as info:
        parse_anchor(data)
    assert "\n" not in str(info.value) and len(str(info.value)) < 300


@settings(max_examples=200, deadline=None)
@given(data=st.one_of(st.binary(max_size=300), st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=70),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=70), c, max_size=4),
    max_leaves=20).map(lambda v: json.dumps({"schema": ANCHOR_SCHEMA, "chains": v}).encode())))  # fmt: skip
def test_any_anchor_bytes_parse_or_fail_with_anchor_error(data: bytes) -> None:
    try:
        out = parse_anchor(data)
    except AnchorError:
        return
    assert all(isinstance(k, str) for k in out)


def _gonogo(
    *args: str, env: dict[str, str] | None = None, **kw: object
) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gonogo", *args], env=env, cwd=REPO_ROOT,
                          capture_output=True, timeout=120, **kw)  # type: ignore[call-overload]  # fmt: skip


def test_the_cli_anchors_and_finds_a_rewrite_with_head_and_witness_rewritten(
    chains: Path, tmp_path: Path
) -> None:
    out = tmp_path / "elsewhere" / "anchor.json"
    out.parent.mkdir()
    r = _gonogo("audit", "anchor", "--audit-dir", str(chains), "--out", str(out))
    assert r.returncode == 0, r.stderr.decode()
    assert json.loads(out.read_text())["chains"]["acme"]["seq"] == N
    again = _gonogo("audit", "anchor", "--audit-dir", str(chains), "--out", str(out))
    assert again.returncode == 1 and b"cannot write" in again.stderr  # never overwritten
    stdout = _gonogo("audit", "anchor", "--audit-dir", str(chains))
    assert stdout.returncode == 0 and json.loads(stdout.stdout)["schema"] == ANCHOR_SCHEMA
    _rewrite(chains, "acme", REWRITES["truncate-1"](_records(chains, "acme")))  # type: ignore[operator]
    control = _gonogo("audit", "verify", "--audit-dir", str(chains))
    assert control.returncode == 0, control.stdout.decode()
    r = _gonogo("audit", "verify", "--audit-dir", str(chains), "--anchor", str(out))
    assert r.returncode == 1 and b"since the anchor was taken" in r.stdout
    r = _gonogo("audit", "verify", "--audit-dir", str(chains), "--anchor", "-",
                input=out.read_bytes())  # fmt: skip
    assert r.returncode == 1 and b"since the anchor was taken" in r.stdout
    r = _gonogo("audit", "verify", "--audit-dir", str(chains), "--anchor", str(out), "--json")
    assert r.returncode == 1 and json.loads(r.stdout)["ok"] is False


@pytest.mark.parametrize("kind", ["garbage", "fifo", "directory", "missing", "broken-chain"])
def test_the_cli_fails_closed_on_an_unusable_anchor_or_a_broken_chain(
    chains: Path, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "anchor"
    if kind == "garbage":
        path.write_bytes(b"\x00{not json")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    if kind == "broken-chain":
        (chains / "acme" / "decisions.head").write_text("{}")
        r = _gonogo("audit", "anchor", "--audit-dir", str(chains))
        assert r.returncode == 1 and b"do not verify" in r.stderr and not r.stdout
        return
    r = _gonogo("audit", "verify", "--audit-dir", str(chains), "--anchor", str(path))
    assert r.returncode == 1 and b"Traceback" not in r.stderr + r.stdout
    assert r.stderr.startswith(b"gonogo audit verify: ")


def test_load_anchor_reads_a_file(chains: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps(take_anchor(chains)))
    assert load_anchor(path)["globex"].seq == 3


# ---- class 3: every string a caller adds to a record passes the redactor ---------------------

SECRETS = [
    "ghp_R2d2C3poLukeSkywalker0123456789abcde",
    "AKIAQWERTYUIOPASDFGH",
    "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "sk_live_51HqLmNoPqRsTuVwXyZaBcDeF",
    "glpat-Xy9zAbCdEfGhIjKlMnOp",
]
SECRET_SHAPES = [
    "{s}",
    "token={s}",
    "password=Zx9!qLm2#Rt7vBn4",
    "Authorization: Bearer {s}",
    "msg_{s}",
    "https://user:Zx9qLm2Rt7vBn4@example.com/x",
]


class _Recording:
    """The real redactor, counting its calls (so the test sees every string went through)."""

    def __init__(self) -> None:
        from enforcement_agent.redaction.redactor import Redactor

        self.inner = Redactor()
        self.seen: list[str] = []

    def redact_text(self, text: str) -> str:
        self.seen.append(text)
        return self.inner.redact_text(text)


@pytest.fixture(scope="module")
def recording() -> _Recording:
    return _Recording()


def _extra_record(tmp_path: Path, redactor: _Recording, extra: dict) -> bytes:
    log = DecisionLog(tmp_path / "audit", redactor)
    req = ToolRequest(tenant="acme", actor="agent", role="contributor", tool="exec", command="ls")
    log.append(req, Decision(Verdict.DENY, "r", "no", f"d{os.urandom(6).hex()}", "rev"), extra)
    return (tmp_path / "audit" / "acme" / "decisions.jsonl").read_bytes()


PLACES = {
    "top": lambda v: {"webhook_id": v},
    "second": lambda v: {"kind": "probe", "webhook_id": v},
    "nested-dict": lambda v: {"claimed": {"tenant": v}},
    "list": lambda v: {"items": ["a", v]},
    "tuple": lambda v: {"items": ("a", v)},
    "dict-in-list": lambda v: {"items": [{"x": v}]},
    "deep": lambda v: {"a": {"b": {"c": {"d": v}}}},
    "beside-numbers": lambda v: {"http_status": 401, "n": 1.5, "ok": True, "none": None, "v": v},
}


@pytest.mark.parametrize("place", sorted(PLACES))
@pytest.mark.parametrize("shape", SECRET_SHAPES)
def test_a_secret_in_any_extra_field_is_redacted_in_the_record(
    tmp_path: Path, recording: _Recording, place: str, shape: str
) -> None:
    value = shape.format(s=SECRETS[len(place) % len(SECRETS)])
    data = _extra_record(tmp_path, recording, PLACES[place](value))
    assert b"[REDACTED:" in data
    for s in (*SECRETS, "Zx9!qLm2#Rt7vBn4", "Zx9qLm2Rt7vBn4"):
        assert s.encode() not in data
    assert verify(tmp_path / "audit").ok


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=st.lists(st.sampled_from(["a", "claimed", "items", "x"]), min_size=0, max_size=4),
    in_list=st.booleans(),
    secret=st.sampled_from(SECRETS),
    prefix=st.sampled_from(["", "token=", "id ", "x-api-key: "]),
)
def test_any_placement_of_a_secret_in_extra_fields_is_redacted(
    tmp_path_factory: pytest.TempPathFactory,
    recording: _Recording,
    path: list[str],
    in_list: bool,
    secret: str,
    prefix: str,
) -> None:
    value: object = prefix + secret
    if in_list:
        value = ["k", value]
    for key in reversed(path):
        value = {key: value}
    extra = {"field": value}
    data = _extra_record(tmp_path_factory.mktemp("x"), recording, extra)
    assert secret.encode() not in data


def test_ids_digests_and_plain_words_in_extra_fields_are_kept(
    tmp_path: Path, recording: _Recording
) -> None:
    import uuid

    extra = {
        "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
        "span_id": "00f067aa0ba902b7",
        "workspace_digest": "eda541c02c3fc277",
        "outcome_of": uuid.uuid4().hex,
        "approval_of": uuid.uuid4().hex,
        "tool_use_id": "toolu_01ABCdefGHIjklMNOpqrSTU",
        "executor": "host-agent",
        "hook": "claude-code",
        "client": "127.0.0.1",
        "http_status": 403,
        "claimed": {"tenant": "globex", "role": "admin"},
        "stored": "probe-msg_2Lh4k.json",
        "replica_note": ["r1", "r2"],
    }
    data = _extra_record(tmp_path, recording, extra)
    rec = json.loads(data.splitlines()[-1])
    for key, value in extra.items():
        assert rec[key] == (list(value) if isinstance(value, tuple) else value), key
    assert b"REDACTED" not in data
    assert "4bf92f3577b34da6a3ce929d0e0e4736" in recording.seen  # it did pass the redactor


def test_extra_fields_nested_too_deeply_are_refused(tmp_path: Path, recording: _Recording) -> None:
    from enforcement_agent.audit import AuditWriteError

    value: object = "x"
    for _ in range(20):
        value = {"k": value}
    with pytest.raises(AuditWriteError, match="nest too deeply"):
        _extra_record(tmp_path, recording, {"deep": value})
    assert verify(tmp_path / "audit").ok  # nothing half written


def test_a_failing_redactor_refuses_the_record_for_extra_fields_too(tmp_path: Path) -> None:
    from enforcement_agent.audit import AuditWriteError

    class Flaky:
        def redact_text(self, text: str) -> str:
            if "boom" in text:
                raise RuntimeError(text)  # the message holds the raw text: never shown
            return text

    log = DecisionLog(tmp_path / "audit", Flaky())
    req = ToolRequest(tenant="acme", actor="agent", role="contributor", tool="exec", command="ls")
    dec = Decision(Verdict.DENY, "r", "no", "d1", "rev")
    with pytest.raises(AuditWriteError) as info:
        log.append(req, dec, {"webhook_id": "boom ghp_R2d2C3poLukeSkywalker0123456789abcd"})
    assert "ghp_" not in str(info.value) and "boom" not in str(info.value)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_gateway_redacts_an_unauthenticated_callers_header_and_query_in_records(
    tmp_path: Path, redactor_cache_seed: Path, policy_cache_seed: Path
) -> None:
    warm_policy_cache(policy_cache_seed, tmp_path / "state")  # the subject is not the compile
    import time
    import urllib.error
    import urllib.request

    port = _free_port()
    (tmp_path / "ws").mkdir()
    copy_seed(redactor_cache_seed, tmp_path / "xdg" / "gonogo")  # warm: no 10 s compile
    env = _exec_env(tmp_path, XDG_CACHE_HOME=str(tmp_path / "xdg"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "gonogo", "serve", "--insecure-dev", "--tenant", "acme", "--role",
         "contributor", "--workspace", str(tmp_path / "ws"), "--port", str(port)],
        env=env, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).close()
                break
            except OSError:
                time.sleep(0.25)
        sent = []
        for i, secret in enumerate(SECRETS):
            headers = {"webhook-id": f"msg_token={secret}", "webhook-timestamp": "1",
                       "webhook-signature": "v1,x"}  # fmt: skip
            kind = "probe" if i % 2 else f"token%3D{secret}"
            req = urllib.request.Request(f"{base}/v1/evidence?kind={kind}", data=b"{}",
                                         headers=headers, method="POST")  # fmt: skip
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(req, timeout=30)
            body = info.value.read()
            assert info.value.code in (400, 401) and secret.encode() not in body
            sent.append(secret)
        data = b"".join(
            p.read_bytes() for p in (tmp_path / "state" / "audit").glob("*/decisions.jsonl")
        )
        assert data.count(b"webhook_id") >= len(SECRETS)
        for secret in sent:
            assert secret.encode() not in data
        # control: the records are there and name the rules
        assert b"webhook.no-secret" in data and b"webhook.kind" in data
        assert verify(tmp_path / "state" / "audit").ok
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.parametrize("entry", ["hook", "mcp"])
def test_the_hook_and_mcp_refuse_a_redactor_cache_in_the_workspace(
    tmp_path: Path, entry: str, redactor_cache_seed: Path, policy_cache_seed: Path
) -> None:
    warm_policy_cache(policy_cache_seed, tmp_path / "state")  # the subject is not the compile
    ws = tmp_path / "ws"
    ws.mkdir()
    if entry == "hook":
        args = ["hook", "claude-code", "--workspace", str(ws), "--tenant", "acme", "--role",
                "contributor"]  # fmt: skip
        payload = {"hook_event_name": "PreToolUse", "tool_name": "Bash",
                   "tool_input": {"command": "ls"}, "tool_use_id": "toolu_1", "session_id": "s",
                   "cwd": str(ws)}  # fmt: skip
    else:
        args = ["mcp", "serve", "--workspace", str(ws), "--tenant", "acme", "--role",
                "contributor"]  # fmt: skip
        payload = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                   "params": {"protocolVersion": "2024-11-05", "capabilities": {},
                              "clientInfo": {"name": "t", "version": "1"}}}  # fmt: skip
    data = json.dumps(payload).encode() + b"\n"
    copy_seed(redactor_cache_seed, tmp_path / "xdg" / "gonogo")  # warm: no 10 s compile
    control = _gonogo(*args, env=_exec_env(tmp_path, XDG_CACHE_HOME=str(tmp_path / "xdg")),
                      input=data)  # fmt: skip
    assert b"redactor's cache" not in control.stdout + control.stderr
    if entry == "hook":
        assert json.loads(control.stdout)["hookSpecificOutput"]["permissionDecision"] == "allow"
    else:
        assert b'"result"' in control.stdout
    r = _gonogo(*args, env=_exec_env(tmp_path, XDG_CACHE_HOME=str(ws / ".xdg")), input=data)
    out = r.stdout + r.stderr
    assert b"redactor's cache" in out and b"inside the workspace" in out
    # Refused before anything is built there (the hook used to compile the cache into the
    # workspace to redact its own refusal).
    assert not (ws / ".xdg").exists(), sorted(p.name for p in (ws / ".xdg").rglob("*"))
    if entry == "hook":
        assert json.loads(r.stdout)["hookSpecificOutput"]["permissionDecision"] == "deny"
    else:
        assert r.returncode != 0
