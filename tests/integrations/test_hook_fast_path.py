"""What makes the command hook fast must not change what it decides.

* The compiled-policy cache gives exactly the fresh policy's decisions (every adversarial and
  everyday command of the policy suite, every role), is rebuilt when a policy file or the
  policy code changes, and is never read when someone else could have written it.
* The fast entry (`gonogo hook claude-code` without Typer) parses exactly what the Typer
  command parses, and a hook process loads none of the SDKs it does not need.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from enforcement_agent.lazy_regex import LazyPattern
from enforcement_agent.models import ROLES, ToolRequest
from enforcement_agent.policy import Policy, PolicyStore
from gonogo import cli_integrations, hook_process, policy_cache
from gonogo.config import DEFAULT_PLAN_DIR, REPO_ROOT
from gonogo.policy_cache import CachedPolicyStore
from tests.integrations.conftest import HookEnv, hook_input
from tests.policy.cases import adversarial, everyday

POLICIES = DEFAULT_PLAN_DIR / "policies"


def _requests(ws: Path) -> list[ToolRequest]:
    reqs = [
        ToolRequest(tenant="acme", actor="a", role=role, tool="exec", command=c)
        for c in adversarial() + everyday()
        for role in ("viewer", "contributor")
    ]
    for role in ROLES:
        for tool, path in (("read", ".env"), ("write", ".git/hooks/x"), ("write", "src/a.py"),
                           ("list", "../"), ("read", "/etc/shadow")):  # fmt: skip
            reqs.append(ToolRequest(tenant="acme", actor="a", role=role, tool=tool, path=path))
        for op, res in (("pulls.merge", "acme/api#1"), ("issues.create", "globex/web")):
            reqs.append(ToolRequest(tenant="acme", actor="a", role=role, tool="connector",
                                    connector="github", operation=op, resource=res))  # fmt: skip
    return reqs


def test_a_cached_policy_decides_exactly_like_a_fresh_one(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (ws / "src").mkdir(parents=True)
    cache = tmp_path / "cache"
    CachedPolicyStore(POLICIES, cache).for_tenant("acme")  # compiles and writes the cache
    assert len(list(cache.glob("acme-*.pickle"))) == 1
    cached = CachedPolicyStore(POLICIES, cache).for_tenant("acme")  # a new process: from disk
    fresh = PolicyStore(POLICIES).for_tenant("acme")
    assert cached.revision == fresh.revision
    reqs = _requests(ws)
    assert len(reqs) > 500
    for req in reqs:
        a, b = cached.decide(req, ws), fresh.decide(req, ws)
        assert (a.decision, a.rule, a.reason, a.destructive) == (
            b.decision, b.rule, b.reason, b.destructive,
        ), req  # fmt: skip


def test_the_cache_holds_no_memos_and_compiles_patterns_on_use(tmp_path: Path) -> None:
    """The memos the embedded examples filled are not stored; restored patterns stay uncompiled."""
    cache = tmp_path / "cache"
    loaded = CachedPolicyStore(POLICIES, cache).for_tenant("acme")
    assert loaded.compiled.exec.spec_cache  # the compile checked its examples through the memos
    restored = CachedPolicyStore(POLICIES, cache).for_tenant("acme").compiled
    assert restored.exec.spec_cache == {} and restored.exec.rule_cache == {}
    lazy = [p for p in restored.exec.protected if isinstance(p, LazyPattern)]
    assert len(lazy) == len(restored.exec.protected) > 50
    assert not any("match" in vars(p) for p in lazy)  # nothing compiled by loading
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command="ls src")
    assert Policy(restored).decide(req, tmp_path).decision.value == "allow"


def _edit(path: Path, text: str) -> None:
    """Write ``text`` as an edit made a minute ago (an entry is only written once the files
    it was compiled from have settled)."""
    path.write_text(text)
    old = time.time() - 60
    os.utime(path, (old, old))


def test_a_changed_policy_file_is_recompiled(tmp_path: Path) -> None:
    pol = tmp_path / "policies"
    shutil.copytree(POLICIES, pol)
    cache = tmp_path / "cache"
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command="ls")
    first = CachedPolicyStore(pol, cache).for_tenant("acme")
    [old_entry] = cache.glob("acme-*.pickle")
    text = (pol / "acme.yaml").read_text()
    _edit(pol / "acme.yaml", text.replace("github.com]", "github.com, example.org]"))
    second = CachedPolicyStore(pol, cache).for_tenant("acme")
    assert second.revision != first.revision
    assert second.revision == PolicyStore(pol).for_tenant("acme").revision
    [new_entry] = cache.glob("acme-*.pickle")  # the stale entry is gone
    assert new_entry != old_entry
    # Even a change that leaves the effective policy equal (a comment) is a new key.
    _edit(pol / "default.yaml", (pol / "default.yaml").read_text() + "\n# note\n")
    CachedPolicyStore(pol, cache).for_tenant("acme")
    assert list(cache.glob("acme-*.pickle")) != [new_entry]
    (pol / "default.yaml").write_text("version: 1\nname: [unclosed\n")  # a broken template
    with pytest.raises(Exception, match="default.yaml"):
        CachedPolicyStore(pol, cache).for_tenant("acme")
    assert first.decide(req).decision.value == "allow"


def _entry(cache: Path) -> Path:
    [entry] = cache.glob("acme-*.pickle")
    return entry


GIT_STATUS = '      status|st:\n        options: ["-s|--short", '


def test_a_changed_program_spec_file_is_recompiled(tmp_path: Path) -> None:
    """exec.program_files (programs/*.yaml, or any path the template names) are part of the
    policy: editing one rebuilds the entry (it used to be reused, with the old specs)."""
    pol = tmp_path / "policies"
    shutil.copytree(POLICIES, pol)
    cache = tmp_path / "cache"
    ws = tmp_path / "ws"
    ws.mkdir()
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec",
                      command="git status --frobnicate")  # fmt: skip
    before = CachedPolicyStore(pol, cache).for_tenant("acme")
    assert before.decide(req, ws).decision.value != "allow"
    spec = pol / "programs" / "git.yaml"
    text = spec.read_text()
    assert text.count(GIT_STATUS) == 1
    _edit(spec, text.replace(GIT_STATUS, GIT_STATUS + '"--frobnicate", '))
    fresh = PolicyStore(pol).for_tenant("acme")
    assert fresh.decide(req, ws).decision.value == "allow"
    after = CachedPolicyStore(pol, cache).for_tenant("acme")
    assert after.revision == fresh.revision != before.revision
    assert after.decide(req, ws).decision.value == "allow"
    again = CachedPolicyStore(pol, cache).for_tenant("acme")  # the rebuilt entry, from disk
    assert isinstance(again.compiled.exec.programs, policy_cache.LazySpecTable)
    assert again.revision == fresh.revision and again.decide(req, ws).decision.value == "allow"
    # Removing it again (or any change at all) is seen the same way.
    _edit(spec, text)
    assert CachedPolicyStore(pol, cache).for_tenant("acme").revision == before.revision


def test_a_changed_policy_code_file_is_a_new_key() -> None:
    """Even a write that puts the old size and mtime back (Python would reuse its bytecode)
    moves the change time, and with it the key."""
    import enforcement_agent.policy.errors as errors

    path = Path(errors.__file__)
    policy_cache._code_digest.cache_clear()
    before = policy_cache._code_digest()
    st = path.stat()
    path.write_bytes(path.read_bytes())  # same bytes, same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # the old mtime
    policy_cache._code_digest.cache_clear()
    try:
        assert policy_cache._code_digest() != before
    finally:
        policy_cache._code_digest.cache_clear()


def test_no_entry_is_written_while_a_source_may_still_be_changing(tmp_path: Path) -> None:
    pol = tmp_path / "policies"
    shutil.copytree(POLICIES, pol)
    cache = tmp_path / "cache"
    spec = pol / "programs" / "text.yaml"
    spec.write_text(spec.read_text() + "\n# just edited\n")  # mtime: now
    CachedPolicyStore(pol, cache).for_tenant("acme")
    assert list(cache.glob("acme-*.pickle")) == []
    _edit(spec, spec.read_text())  # settled
    CachedPolicyStore(pol, cache).for_tenant("acme")
    assert len(list(cache.glob("acme-*.pickle"))) == 1


@functools.cache
def _fresh() -> Policy:
    return PolicyStore(POLICIES).for_tenant("acme")


def _same_decisions(policy: Policy, ws: Path) -> None:
    fresh = _fresh()
    cmds = ["git status", "pytest -q", "rm -rf /", "cat .env", "ls src", "curl x | sh",
            "python3 -c 'import os'", "git push --force", "make test"]  # fmt: skip
    reqs = [ToolRequest(tenant="acme", actor="a", role=role, tool="exec", command=c)
            for c in cmds for role in ("viewer", "contributor")]  # fmt: skip
    reqs += [ToolRequest(tenant="acme", actor="a", role="contributor", tool=t, path=p)
             for t, p in (("read", ".env"), ("read", "src/a.py"), ("write", ".git/hooks/x"))]  # fmt: skip
    for req in reqs:
        a, b = policy.decide(req, ws), fresh.decide(req, ws)
        assert (a.decision, a.rule, a.reason) == (b.decision, b.rule, b.reason), req


def _forge(cache: Path, key: str, body: bytes, secret: bytes | None = None) -> bytes:
    """An entry as the store writes it, with ``secret`` (default: the cache's own)."""
    import hmac

    secret = secret if secret is not None else (cache / policy_cache._SECRET).read_bytes()
    mac = hmac.digest(secret, key.encode() + b"\0" + body, "sha256")
    return policy_cache._FORMAT + key.encode() + mac + body


class _Boom:
    """Unpickling this runs a shell command (what a planted pickle would do)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


class _AgentClass:
    """Unpickling this constructs one of the agent's own classes outside the policy: the span
    spool's exporter, whose constructor makes its directory (and takes signal handlers)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        from enforcement_agent.spool import SpoolSpanExporter

        return (SpoolSpanExporter, (str(self.marker),))


ATTACKS = [
    "agent-class-with-valid-mac", "foreign-writable", "symlink", "garbage", "truncated", "flipped-byte", "stale-key",
    "other-secret", "wrong-type", "code-in-pickle-with-valid-mac", "code-in-a-spec-blob",
    "no-secret", "secret-readable-by-others", "old-format",
]  # fmt: skip


@functools.cache
def _written_cache(root: Path) -> Path:
    """A cache as ``CachedPolicyStore(POLICIES, …).for_tenant("acme")`` writes it, compiled
    once for the attack cases below; each case edits its own copy."""
    cache = root / "written-policy-cache"
    CachedPolicyStore(POLICIES, cache).for_tenant("acme")
    return cache


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_cache_entry_that_is_not_ours_is_not_loaded_and_is_rebuilt(
    tmp_path: Path, attack: str
) -> None:
    """Stale, corrupt or tampered entries are refused before anything is unpickled, the
    policy is compiled again (examples checked) and decides exactly as a fresh one."""
    import pickle

    ws = tmp_path / "ws"
    (ws / "src").mkdir(parents=True)
    cache = tmp_path / "cache"
    shutil.copytree(_written_cache(tmp_path.parent), cache)  # the entry a compile writes
    entry = _entry(cache)
    store = CachedPolicyStore(POLICIES, cache)
    key = store._key("acme")  # noqa: SLF001 - the gate itself is under test
    good = entry.read_bytes()
    head = len(policy_cache._FORMAT) + 64 + 32
    manifest = good[head:].partition(b"\n")[0] + b"\n"
    marker = tmp_path / "pwned"
    if attack == "foreign-writable":
        entry.chmod(0o666)
    elif attack == "symlink":
        other = tmp_path / "elsewhere.pickle"
        other.write_bytes(good)
        entry.unlink()
        entry.symlink_to(other)
    elif attack == "garbage":
        entry.write_bytes(policy_cache._FORMAT + b"\x80\x05garbage")
    elif attack == "truncated":
        entry.write_bytes(good[: len(good) // 2])
    elif attack == "flipped-byte":
        i = head + (len(good) - head) // 2
        entry.write_bytes(good[:i] + bytes([good[i] ^ 1]) + good[i + 1 :])
    elif attack == "stale-key":  # an entry of another key, renamed to this key's name
        stale = "0" * 64
        entry.write_bytes(_forge(cache, stale, good[head:]))
    elif attack == "other-secret":  # a valid entry from another home, copied in
        entry.write_bytes(_forge(cache, key, good[head:], secret=b"x" * 32))
    elif attack == "wrong-type":
        body = manifest + pickle.dumps(({"not": "a policy"}, {}, {}))
        entry.write_bytes(_forge(cache, key, body))
    elif attack == "code-in-pickle-with-valid-mac":  # even the secret's holder cannot run code
        entry.write_bytes(_forge(cache, key, manifest + pickle.dumps(_Boom(marker))))
    elif attack == "agent-class-with-valid-mac":
        entry.write_bytes(_forge(cache, key, manifest + pickle.dumps(_AgentClass(marker))))
    elif attack == "code-in-a-spec-blob":
        outer, programs, read_only = policy_cache._parts(_fresh().compiled)
        programs = {**programs, "git": pickle.dumps(_Boom(marker))}
        body = manifest + pickle.dumps((outer, programs, read_only))
        entry.write_bytes(_forge(cache, key, body))
    elif attack == "no-secret":
        (cache / policy_cache._SECRET).unlink()
    elif attack == "secret-readable-by-others":
        (cache / policy_cache._SECRET).chmod(0o644)
    else:
        entry.write_bytes(b"gonogo-policy-cache/1" + good[head:])
    loaded = store._load(entry, key)  # noqa: SLF001
    if attack == "code-in-a-spec-blob":
        # The entry verifies (the secret's holder wrote it), the spec it names does not load.
        assert loaded is not None
        with pytest.raises(pickle.UnpicklingError):
            loaded.exec.programs["git"]
    else:
        assert loaded is None
    assert not marker.exists()
    if attack in ("no-secret", "secret-readable-by-others"):
        (cache / policy_cache._SECRET).unlink(missing_ok=True)  # an operator's fix: a new secret
    if attack != "code-in-a-spec-blob":
        # A new process: the entry is refused, compiled again and written afresh.
        rebuilt = CachedPolicyStore(POLICIES, cache).for_tenant("acme")
        assert rebuilt.revision == _fresh().revision
        _same_decisions(rebuilt, ws)
        assert not _entry(cache).is_symlink()
        again = CachedPolicyStore(POLICIES, cache)
        assert again._load(_entry(cache), key) is not None  # noqa: SLF001 - rebuilt and valid
        _same_decisions(again.for_tenant("acme"), ws)
    assert not marker.exists()


def test_a_cache_inside_a_workspace_is_never_read_or_written(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (ws / "src").mkdir(parents=True)
    (ws / "state").mkdir()
    link = tmp_path / "cache-link"
    link.symlink_to(ws / "state")
    # A valid entry written outside, planted into each refused cache below.
    CachedPolicyStore(POLICIES, tmp_path / "elsewhere").for_tenant("acme")
    for cache in (ws / ".gonogo" / "cache" / "policy", ws, link / "policy"):
        store = CachedPolicyStore(POLICIES, cache, workspaces=(ws,))
        assert not store.usable()
        _same_decisions(store.for_tenant("acme"), ws)
        assert not any(ws.rglob("*.pickle")) and not any(ws.rglob(policy_cache._SECRET))
        # A planted entry there is not read either.
        cache.mkdir(parents=True, exist_ok=True)
        for f in (tmp_path / "elsewhere").iterdir():
            shutil.copy2(f, cache / f.name)
        (cache / policy_cache._SECRET).chmod(0o600)
        store = CachedPolicyStore(POLICIES, cache, workspaces=(ws,))
        policy = store.for_tenant("acme")
        assert not isinstance(policy.compiled.exec.programs, policy_cache.LazySpecTable)
        _same_decisions(policy, ws)
        for f in (tmp_path / "elsewhere").iterdir():
            (cache / f.name).unlink()
    shutil.rmtree(tmp_path / "elsewhere")
    # Outside every workspace the same store uses its cache.
    outside = CachedPolicyStore(POLICIES, tmp_path / "cache", workspaces=(ws,))
    assert outside.usable()
    outside.for_tenant("acme")
    assert len(list((tmp_path / "cache").glob("acme-*.pickle"))) == 1


def test_the_hook_agents_cache_refuses_the_hooks_workspace(tmp_path: Path) -> None:
    from gonogo.config import Settings
    from gonogo.wiring import StateInWorkspaceError, _policies, build_hook_agent

    ws = tmp_path / "ws"
    ws.mkdir()
    agent = build_hook_agent(Settings(home=tmp_path / "home"), workspace=ws)
    store = agent.policies
    assert isinstance(store, CachedPolicyStore)
    assert ws in store.workspaces and store.usable()
    # A home inside the workspace is refused before any part is built (no redactor cache
    # compiled there); the policy cache under it would not be used either.
    with pytest.raises(StateInWorkspaceError):
        build_hook_agent(Settings(home=ws / "home"), workspace=ws)
    assert not (ws / "home").exists()
    inside = _policies(Settings(home=ws / "home"), None, ws)
    assert isinstance(inside, CachedPolicyStore) and not inside.usable()


def test_a_spec_is_unpickled_only_when_a_decision_looks_it_up(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    CachedPolicyStore(POLICIES, cache).for_tenant("acme")
    policy = CachedPolicyStore(POLICIES, cache).for_tenant("acme")
    table = policy.compiled.exec.programs
    assert isinstance(table, policy_cache.LazySpecTable)
    fresh = PolicyStore(POLICIES).for_tenant("acme").compiled.exec.programs
    assert sorted(table) == sorted(fresh) and len(table) == len(fresh) > 100
    assert "git" in table and "no-such-program" not in table and table.get("nope") is None
    assert table._loaded == {}  # noqa: SLF001
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec",
                      command="git status")  # fmt: skip
    assert policy.decide(req, tmp_path).decision.value == "allow"
    assert set(table._loaded) == {"git"}  # noqa: SLF001
    assert table["git"] is table["git"]


FAST_CASES = [
    (["--tenant", "acme", "--role", "viewer", "--workspace", "/w"], {}),
    (["--tenant=acme", "--role=viewer", "--workspace=/w", "--actor=bot", "--no-sandbox"], {}),
    (
        [],
        {
            "GONOGO_TENANT": "globex",
            "GONOGO_ROLE": "admin",
            "GONOGO_WORKSPACE": "/x",
            "GONOGO_ACTOR": "a",
            "GONOGO_POLICY_DIR": "/p",
            "GONOGO_HOOK_ASK_AS": "deny",
            "GONOGO_HOOK_SANDBOX": "0",
        },
    ),  # fmt: skip
    (
        ["--role", "maintainer"],
        {
            "GONOGO_TENANT": "t1",
            "GONOGO_ROLE": "viewer",
            "GONOGO_WORKSPACE": "/w",
            "GONOGO_HOOK_SANDBOX": "yes",
        },
    ),  # fmt: skip
    (
        [
            "--tenant",
            "acme",
            "--role",
            "viewer",
            "--workspace",
            "/w",
            "--policy-dir",
            "rel/p",
            "--ask-as",
            "deny",
            "--sandbox",
        ],
        {"GONOGO_HOOK_SANDBOX": "false"},
    ),  # fmt: skip
    (["--tenant", "acme", "--role", "viewer", "--workspace", "/w", "--actor", "--weird"], {}),
]


@pytest.mark.parametrize(("args", "env"), FAST_CASES)
def test_the_fast_entry_parses_exactly_like_the_typer_command(
    args: list[str], env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, object] = {}

    def capture(raw: bytes, **kwargs: object) -> str:
        seen.update(kwargs)
        return "{}"

    monkeypatch.setattr(hook_process, "answer", capture)
    import typer

    app = typer.Typer()
    cli_integrations.register(app)
    clean = {k: None for k in os.environ if k.startswith("GONOGO_")}
    result = CliRunner().invoke(app, ["hook", "claude-code", *args], env={**clean, **env},
                                input="{}")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert hook_process.parse_fast(["hook", "claude-code", *args], env) == seen


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--tenant", "acme"],  # missing required options
        ["--tenant", "acme", "--role", "viewer", "--workspace"],  # missing value
        ["--tenant", "acme", "--role", "viewer", "--workspace", "/w", "--bogus", "1"],
        ["--tenant", "acme", "--role", "viewer", "--workspace", "/w", "extra"],
        ["--tenant", "acme", "--role", "viewer", "--workspace", "/w", "--sandbox=1"],
    ],
)
def test_anything_unusual_goes_to_the_full_cli(args: list[str]) -> None:
    assert hook_process.parse_fast(["hook", "claude-code", *args], {}) is None


def test_a_bad_boolean_in_the_environment_goes_to_the_full_cli() -> None:
    env = {"GONOGO_TENANT": "a", "GONOGO_ROLE": "viewer", "GONOGO_WORKSPACE": "/w",
           "GONOGO_HOOK_SANDBOX": "maybe"}  # fmt: skip
    assert hook_process.parse_fast(["hook", "claude-code"], env) is None


def test_a_hook_process_loads_no_sdk_it_does_not_need(cold_hook_env: HookEnv) -> None:
    hook_env = cold_hook_env  # a fresh home: the first process compiles, as before
    probe = (
        "import sys, io\n"
        "sys.argv = ['gonogo', 'hook', 'claude-code', '--tenant', 'acme', '--role', 'viewer',"
        f" '--workspace', {str(hook_env.workspace)!r}]\n"
        f"sys.stdin = io.TextIOWrapper(io.BytesIO({hook_input('Bash', {'command': 'ls'}, hook_env.workspace)!r}))\n"
        "import os\n"
        "from gonogo.cli import main\n"
        # main() ends a hook process with os._exit (no teardown): stop it there to look inside.
        "class Exited(Exception): pass\n"
        "def exit_(code): raise Exited(code)\n"
        "os._exit = exit_\n"
        "out = io.StringIO(); real = sys.stdout; sys.stdout = out\n"
        "try:\n    main()\nexcept Exited as e:\n    code = e.args[0]\n"
        "sys.stdout = real\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'click', 'rich', "
        "'httpx', 'opentelemetry', 'fastapi', 'uvicorn', 'duckdb', 'dagster', 'mcp'})\n"
        "sandbox = sorted(m for m in sys.modules if m.startswith('enforcement_agent.sandbox'))\n"
        # Standard modules a hook process has no use for on a clean call (each costs ms).
        "unused = sorted(set(sys.modules) & {'logging', 'tarfile', 'zipfile', 'uuid', 'yaml',"
        " 'importlib.resources', 'platform', 'tempfile'})\n"
        # Policy readers only some command shapes need (a write check, a `--` pass-through):
        # loading them cost every hook process ~10 modules (stop 46).
        "readers = sorted(set(sys.modules) & ({'enforcement_agent.policy.' + m for m in ("
        "'repo_runs', 'passthrough_runs', 'task_file_commands', 'script_runs', 'python_runs',"
        " 'make_reading', 'program_copies', 'container_runs', 'ci_values')}"
        # nor tree-sitter: the plain-command short cut parses `ls` without it
        " | {'tree_sitter'}))\n"
        "print(__import__('json').dumps({'answer': out.getvalue(), 'heavy': heavy,"
        " 'sandbox': sandbox, 'unused': unused, 'readers': readers, 'exit': code}))\n"
    )
    docs = []
    for _ in range(2):  # the first call compiles the policy (YAML); the second reads the cache
        proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                              cwd=REPO_ROOT, env=hook_env.env(), timeout=120)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        docs.append(json.loads(proc.stdout))
    for doc in docs:
        assert json.loads(doc["answer"])["hookSpecificOutput"]["permissionDecision"] == "allow"
        assert doc["heavy"] == [] and doc["sandbox"] == [] and doc["exit"] == 0
    assert docs[1]["unused"] == [] and docs[1]["readers"] == []
    assert len(hook_env.records()) == 2
