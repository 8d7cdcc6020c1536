"""What makes the command hook fast must not change what it decides.

* The compiled-policy cache gives exactly the fresh policy's decisions (every adversarial and
  everyday command of the policy suite, every role), is rebuilt when a policy file or the
  policy code changes, and is never read when someone else could have written it.
* The fast entry (`gonogo hook claude-code` without Typer) parses exactly what the Typer
  command parses, and a hook process loads none of the SDKs it does not need.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from enforcement_agent.lazy_regex import LazyPattern
from enforcement_agent.models import ROLES, ToolRequest
from enforcement_agent.policy import Policy, PolicyStore
from gonogo import cli_integrations, hook_process
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


def test_a_changed_policy_file_is_recompiled(tmp_path: Path) -> None:
    pol = tmp_path / "policies"
    shutil.copytree(POLICIES, pol)
    cache = tmp_path / "cache"
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command="ls")
    first = CachedPolicyStore(pol, cache).for_tenant("acme")
    [old_entry] = cache.glob("acme-*.pickle")
    text = (pol / "acme.yaml").read_text()
    (pol / "acme.yaml").write_text(text.replace("github.com]", "github.com, example.org]"))
    second = CachedPolicyStore(pol, cache).for_tenant("acme")
    assert second.revision != first.revision
    assert second.revision == PolicyStore(pol).for_tenant("acme").revision
    [new_entry] = cache.glob("acme-*.pickle")  # the stale entry is gone
    assert new_entry != old_entry
    # Even a change that leaves the effective policy equal (a comment) is a new key.
    (pol / "default.yaml").write_text((pol / "default.yaml").read_text() + "\n# note\n")
    CachedPolicyStore(pol, cache).for_tenant("acme")
    assert list(cache.glob("acme-*.pickle")) != [new_entry]
    (pol / "default.yaml").write_text("version: 1\nname: [unclosed\n")  # a broken template
    with pytest.raises(Exception, match="default.yaml"):
        CachedPolicyStore(pol, cache).for_tenant("acme")
    assert first.decide(req).decision.value == "allow"


@pytest.mark.parametrize("attack", ["foreign-writable", "symlink", "garbage", "wrong-type"])
def test_a_cache_file_that_is_not_ours_is_not_loaded(tmp_path: Path, attack: str) -> None:
    cache = tmp_path / "cache"
    CachedPolicyStore(POLICIES, cache).for_tenant("acme")
    [entry] = cache.glob("acme-*.pickle")
    marker = tmp_path / "pwned"
    if attack == "foreign-writable":
        entry.chmod(0o666)
    elif attack == "symlink":
        other = tmp_path / "elsewhere.pickle"
        other.write_bytes(entry.read_bytes())
        entry.unlink()
        entry.symlink_to(other)
    elif attack == "garbage":
        entry.write_bytes(b"gonogo-policy-cache/1" + b"\x80\x05garbage")
    else:
        import pickle

        entry.write_bytes(b"gonogo-policy-cache/1" + pickle.dumps({"not": "a policy"}))
    store = CachedPolicyStore(POLICIES, cache)
    assert store._load(entry) is None  # noqa: SLF001 - the gate itself is under test
    assert store.for_tenant("acme").revision == PolicyStore(POLICIES).for_tenant("acme").revision
    assert not marker.exists()


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


def test_a_hook_process_loads_no_sdk_it_does_not_need(hook_env: HookEnv) -> None:
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
        "print(__import__('json').dumps({'answer': out.getvalue(), 'heavy': heavy,"
        " 'sandbox': sandbox, 'unused': unused, 'exit': code}))\n"
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
    assert docs[1]["unused"] == []
    assert len(hook_env.records()) == 2
