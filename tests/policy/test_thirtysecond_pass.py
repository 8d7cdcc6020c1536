"""Thirty-second red-team pass (issue 10, classes 8, 9, 13): the file tools' own paths.

Finding: the file tools read git's object store. A ``.env`` committed once (and removed since)
is a zlib-compressed loose object, or a part of a pack after ``git gc``; ``read`` of
``.git/objects/60/92bf…`` through ``EnforcementAgent.handle`` returned it and
``zlib.decompress`` gave the token back (the redactor cannot see into compressed bytes). The
sandbox already hid such a store from commands; the file tools now refuse every read inside
an object store (``policy/git_store_reads.py``). Each refused call leaves exactly one record.

Also here: spellings of secret and protected paths for the file tools (case, Unicode,
trailing dots, ``//``, ``./``, ``..``, backslashes, ``file://``, ``~``, ``/proc/self``) that
the policy must read as the kernel would, or more strictly, each proved by what the agent
returned or wrote.
"""

from __future__ import annotations

import json
import subprocess
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from enforcement_agent.agent import EnforcementAgent
from enforcement_agent.models import Outcome, ToolRequest, ToolResult
from enforcement_agent.policy import PolicyStore
from gonogo.config import Settings
from gonogo.wiring import build_agent

SECRET = "ghp_" + "Zq7" * 6 + "Xw9" * 6


@dataclass
class Env:
    agent: EnforcementAgent
    home: Path
    ws: Path
    loose: str  # the loose object of the committed .env
    pack: str  # the pack holding it after `git gc`, in a clone
    idx: str

    def records(self) -> int:
        """Decision records (an outcome record beside an allowed call is not one)."""
        log = self.home / "audit" / "acme" / "decisions.jsonl"
        rows = log.read_text().splitlines() if log.exists() else []
        return sum(1 for r in rows if json.loads(r).get("record") != "outcome")

    def call(self, tool: str, path: str, payload: bytes | None = None) -> tuple[ToolResult, int]:
        before = self.records()
        req = ToolRequest(tenant="acme", actor="rt32", role="contributor", tool=tool, path=path)
        res = self.agent.handle(req, payload, workspace=self.ws)
        return res, self.records() - before


def _git(ws: Path, *args: str) -> str:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ws), "GIT_CONFIG_NOSYSTEM": "1"}
    out = subprocess.run(
        ["git", "-C", str(ws), *args], check=True, capture_output=True, text=True, env=env
    )
    return out.stdout.strip()


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    root = tmp_path_factory.mktemp("rt32")
    ws = root / "project"
    (ws / "src").mkdir(parents=True)
    (ws / "src" / "app.py").write_text("print('hi')\n")
    (ws / "src" / "objects").mkdir()
    (ws / "src" / "objects" / "model.py").write_text("class Model: ...\n")
    (ws / "objects").mkdir()
    (ws / "objects" / "notes.txt").write_text("no repository here\n")
    (ws / ".env").write_text(f"TOKEN={SECRET}\n")
    _git(ws, "init", "-q")
    _git(ws, "config", "user.email", "a@example.org")
    _git(ws, "config", "user.name", "a")
    _git(ws, "add", ".env", "src/app.py")
    _git(ws, "commit", "-qm", "c1")
    blob = _git(ws, "rev-parse", "HEAD:.env")
    _git(ws, "rm", "-q", ".env")
    _git(ws, "commit", "-qm", "remove the secret")
    # a bare clone, packed; a submodule-style store under .git/modules; an LFS object
    subprocess.run(
        ["git", "clone", "-q", "--bare", str(ws), str(ws / "backup.git")],
        check=True,
        capture_output=True,
    )
    _git(ws / "backup.git", "gc", "-q")
    packs = sorted(p.name for p in (ws / "backup.git" / "objects" / "pack").iterdir())
    pack = next(p for p in packs if p.endswith(".pack"))
    idx = next(p for p in packs if p.endswith(".idx"))
    mod = ws / ".git" / "modules" / "lib"
    (mod / "objects" / blob[:2]).mkdir(parents=True)
    (mod / "HEAD").write_text("ref: refs/heads/main\n")
    loose = ws / ".git" / "objects" / blob[:2] / blob[2:]
    (mod / "objects" / blob[:2] / blob[2:]).write_bytes(loose.read_bytes())
    lfs = ws / ".git" / "lfs" / "objects" / "ab" / "cd"
    lfs.mkdir(parents=True)
    (lfs / ("abcd" + "0" * 60)).write_text(f"TOKEN_REVERSED={SECRET[::-1]}\n")
    # a separate git directory a `.git` file points at (holds HEAD, under another name)
    subprocess.run(
        ["git", "clone", "-q", "--separate-git-dir", str(ws / "store"), str(ws), str(ws / "wt")],
        check=True,
        capture_output=True,
    )
    home = root / "home"
    agent = build_agent(Settings(home=home), workspace=ws)
    yield Env(
        agent,
        home,
        ws,
        f".git/objects/{blob[:2]}/{blob[2:]}",
        f"backup.git/objects/pack/{pack}",
        f"backup.git/objects/pack/{idx}",
    )
    agent.telemetry.shutdown()


def test_the_store_really_holds_the_secret(env: Env) -> None:
    # the control for every denial below: these bytes are the committed .env, compressed
    raw = (env.ws / env.loose).read_bytes()
    assert SECRET.encode() in zlib.decompress(raw)
    packed = (env.ws / env.pack).read_bytes()
    assert SECRET.encode() not in packed  # compressed: no redactor sees it


STORE_READS = [
    "{loose}",
    "./{loose}",
    ".//{loose}",
    "src/../{loose}",
    ".git/./objects/{tail}",
    ".git//objects//{tail}",
    ".git/objects/{tail}/",
    ".git/objects/{tail}/.",
    ".git/info/../objects/{tail}",
    "{pack}",
    "{idx}",
    "./{pack}",
    "backup.git/objects/info/packs",
    ".git/modules/lib/objects/{tail}",
    ".git/lfs/objects/ab/cd/abcd" + "0" * 60,
    "store/objects/{tail}",
    ".GIT/objects/{tail}",
    ".Git/Objects/{tail}",
    ".git./objects/{tail}",
    "\uff0egit/objects/{tail}",
    ".git/OBJECTS/{tail}",
    ".git/objects/pack/nothing-yet.pack",
    ".git/objects",  # a Grep of the store reads every object in it
    ".git/objects/pack",
    "backup.git/objects",
]


@pytest.mark.parametrize("spelling", STORE_READS)
def test_file_tool_never_reads_a_git_object_store(env: Env, spelling: str) -> None:
    tail = env.loose.removeprefix(".git/objects/")
    path = spelling.format(loose=env.loose, tail=tail, pack=env.pack, idx=env.idx)
    res, records = env.call("read", path)
    assert res.outcome is Outcome.DENIED, (path, res.decision.rule, res.output[:40])
    assert res.output == b"" and records == 1
    assert res.decision.rule in ("file.secrets", "file.outside-workspace"), res.decision.rule


@pytest.mark.parametrize(
    "path",
    [
        "src/objects/model.py",  # a directory named objects outside any git directory
        "objects/notes.txt",
        "src/app.py",
        ".git/HEAD",
        ".git/config",
        "backup.git/HEAD",
    ],
)
def test_objects_outside_a_store_and_git_metadata_still_read(env: Env, path: str) -> None:
    res, records = env.call("read", path)
    assert res.outcome is Outcome.SUCCESS, (path, res.decision.rule, res.detail)
    assert records == 1


def test_listing_a_store_is_still_allowed(env: Env) -> None:
    res, records = env.call("list", ".git/objects")
    assert res.outcome is Outcome.SUCCESS and records == 1
    tail = env.loose.removeprefix(".git/objects/")
    assert tail.split("/")[0].encode() in res.output


def test_the_decision_record_names_the_store(env: Env) -> None:
    env.call("read", env.pack)
    log = env.home / "audit" / "acme" / "decisions.jsonl"
    last = json.loads(log.read_text().splitlines()[-1])
    assert last["result"] == "deny" and "object store" in last["reason"]


# ---- spellings of secret and protected paths for the file tools (by effect) ---------------
SECRET_SPELLINGS = [
    ".env",
    "./.env",
    ".env/.",
    ".//.env",
    "src/../.env",
    "src/./../.env",
    ".ENV",
    "\uff0eenv",
    ".env.",
    ".env ",
    ".\\.env",
    "file://.env",
    "~/.env",
    "/proc/self/cwd/.env",
    "proc/self/cwd/.env",
    ".env//",
    "src/\u200b/../.env",
    ".e\u200bnv",
    "src/app.py/../../.env",
    "\u2024env",
]


@pytest.fixture(scope="module")
def secret_env(env: Env) -> Env:
    (env.ws / ".env").write_text(f"TOKEN={SECRET}\n")
    return env


@pytest.mark.parametrize("path", SECRET_SPELLINGS)
def test_secret_spellings_never_return_the_secret(secret_env: Env, path: str) -> None:
    res, records = secret_env.call("read", path)
    assert SECRET.encode() not in res.output and records == 1
    assert res.outcome in (Outcome.DENIED, Outcome.ERROR), (path, res.decision.rule)


PROTECTED_SPELLINGS = [
    ".git/hooks/pre-commit",
    ".git//hooks/pre-commit",
    ".git/./hooks/pre-commit",
    "src/../.git/hooks/pre-commit",
    ".GIT/hooks/pre-commit",
    ".git/HOOKS/pre-commit",
    ".git./hooks/pre-commit",
    "\uff0egit/hooks/pre-commit",
    ".git/hooks/pre-commit.",
    ".git/config",
    ".git/info/attributes",
    ".github/workflows/ci.yml",
    ".GitHub/Workflows/ci.yml",
    ".github/workflows/../workflows/ci.yml",
    "CLAUDE.md",
    "claude.md",
    ".claude/settings.json",
    ".gitattributes",
    ".gitmodules",
    ".git/objects/ab/" + "0" * 38,
]


@pytest.mark.parametrize("path", PROTECTED_SPELLINGS)
def test_protected_spellings_are_never_written(env: Env, path: str) -> None:
    res, records = env.call("write", path, b"#!/bin/sh\ntouch /tmp/rt32-pwned\n")
    assert res.outcome is Outcome.DENIED, (path, res.decision.rule)
    assert records == 1
    # by effect: nothing at that name (any spelling the kernel would resolve) got the bytes
    target = env.ws / path
    assert not (target.is_file() and b"rt32-pwned" in target.read_bytes())


def test_a_fifo_is_refused_without_blocking(env: Env) -> None:
    import os

    fifo = env.ws / "pipe"
    os.mkfifo(fifo)
    try:
        res, records = env.call("read", "pipe")
        assert res.outcome in (Outcome.ERROR, Outcome.DENIED) and records >= 1
    finally:
        fifo.unlink()


# ---- the Claude Code hook decides Read/Grep of the store the same way ---------------------
@pytest.mark.parametrize(
    ("tool", "key", "spelling"),
    [
        ("Read", "file_path", "{loose}"),
        ("Read", "file_path", "{abs}/{loose}"),
        ("Read", "file_path", "{abs}/src/../{loose}"),
        ("Read", "file_path", "{abs}/{pack}"),
        ("Grep", "path", "{abs}/.git/objects"),
        ("Grep", "path", "{abs}/.git/objects/pack"),
        ("Grep", "path", "{abs}/backup.git/objects"),
    ],
)
def test_the_hook_denies_reads_of_the_store(env: Env, tool: str, key: str, spelling: str) -> None:
    from enforcement_agent.integrations.claude_hook import HookOperator, run_hook

    path = spelling.format(abs=env.ws, loose=env.loose, pack=env.pack)
    tool_input = {key: path, **({"pattern": "."} if tool == "Grep" else {})}
    raw = json.dumps(
        {
            "session_id": "s",
            "cwd": str(env.ws),
            "hook_event_name": "PreToolUse",
            "tool_name": tool,
            "tool_input": tool_input,
        }
    ).encode()
    op = HookOperator(tenant="acme", role="contributor", workspace=env.ws, ask_as="deny")
    before = env.records()
    out = run_hook(raw, op, env.agent)["hookSpecificOutput"]
    assert out["permissionDecision"] == "deny", (path, out)
    assert env.records() == before + 1


# ---- connector resources: every spelling is decided as the gateway sends it ---------------
@pytest.mark.parametrize(
    ("tenant", "op", "resource", "allowed"),
    [
        ("acme", "github:pulls.merge", "acme/api#3", True),  # the control
        ("acme", "github:pulls.merge", "repos/acme/api#3", False),  # stricter than the gateway
        ("acme", "github:pulls.merge", "globex/api#3", False),
        ("acme", "github:pulls.merge", "repos/globex/api#3", False),
        ("acme", "github:pulls.merge", "Globex/api#3", False),
        ("acme", "github:pulls.merge", "GLOBEX/API#3", False),
        ("acme", "github:repos.delete", "acme/api", False),
        ("acme", "github:repos.delete", "ACME/API", False),
        ("acme", "github:repos.delete", "repos/acme/api", False),
        ("acme", "github:Repos.Delete", "acme/api", False),
        ("acme", "GitHub:repos.delete", "acme/api", False),
        ("acme", "github:repos.delete ", "acme/api", False),
        ("globex", "github:pulls.merge", "globex/payments#1", False),
        ("globex", "github:pulls.merge", "repos/globex/payments#1", False),
        ("globex", "github:pulls.merge", "Globex/Payments#1", False),
        ("globex", "github:pulls.merge", "GLOBEX/payments#1", False),
        ("globex", "github:pulls.merge", "globex/sandbox-demo#1", True),
        ("globex", "github:issues.create", "acme/api", False),
        ("globex", "github:issues.create", "ACME/api", False),
        ("globex", "jira:issue.create", "GLX", False),
        ("globex", "Jira:issue.create", "GLX", False),
        ("default", "github:git.refs.delete", "x/y heads/main", False),
        ("default", "unknown:thing.do", "x", False),
    ],
)
def test_connector_resource_spellings(
    store: PolicyStore, tenant: str, op: str, resource: str, allowed: bool
) -> None:
    connector, _, operation = op.partition(":")
    req = ToolRequest(
        tenant=tenant,
        actor="rt32",
        role="maintainer",
        tool="connector",
        connector=connector,
        operation=operation,
        resource=resource,
    )
    d = store.for_tenant(tenant).decide(req)
    assert (d.decision.value == "allow") is allowed, (tenant, op, resource, d.rule)


# ---- writes into a git directory that is not named .git (class 11) -------------------------
@pytest.fixture(scope="module")
def bare(env: Env) -> tuple[Env, Path]:
    """``deploy.git``: a bare clone the human pushes to (``git remote add deploy``), with an
    executable ``post-receive`` of the human's own, as deploy repositories have."""
    ws = env.ws
    subprocess.run(
        ["git", "clone", "-q", "--bare", str(ws), str(ws / "deploy.git")],
        check=True,
        capture_output=True,
    )
    hook = ws / "deploy.git" / "hooks" / "post-receive"
    hook.write_text("#!/bin/sh\necho deployed\n")
    hook.chmod(0o755)
    _git(ws, "remote", "add", "deploy", str(ws / "deploy.git"))
    return env, ws / "deploy.git"


PLANTED_WRITES = [
    "deploy.git/hooks/post-receive",
    "deploy.git/hooks/pre-receive",
    "deploy.git/hooks/update",
    "deploy.git/hooks/proc-receive",
    "deploy.git/config",
    "deploy.git/config.worktree",
    "deploy.git/info/attributes",
    "deploy.git/info/exclude",
    "deploy.git/HEAD",
    "deploy.git/packed-refs",
    "deploy.git/refs/heads/main",
    "deploy.git/objects/info/alternates",
    "deploy.git/commondir",
    "deploy.git/modules/lib/config",
    "deploy.git/worktrees/w/config.worktree",
    "./deploy.git/hooks/post-receive",
    "deploy.git//hooks/post-receive",
    "src/../deploy.git/hooks/post-receive",
    "deploy.git/hooks/../config",
    "backup.git/hooks/post-update",
    "backup.git/config",
    "store/config",  # a --separate-git-dir target
    "store/hooks/pre-commit",
    ".git/modules/lib/config",
]


@pytest.mark.parametrize("path", PLANTED_WRITES)
def test_file_tool_never_writes_into_a_git_directory(bare: tuple[Env, Path], path: str) -> None:
    env, _ = bare
    res, records = env.call("write", path, b"#!/bin/sh\ntouch MARK\n")
    assert res.outcome is Outcome.DENIED, (path, res.decision.rule)
    assert records == 1 and res.decision.rule == "file.protected"


def test_the_humans_next_push_runs_no_planted_hook(bare: tuple[Env, Path]) -> None:
    """By effect: the overwritten ``post-receive`` would run on the human's ``git push``."""
    env, deploy = bare
    mark = env.ws.parent / "rt32-deploy-mark"
    hook = deploy / "hooks" / "post-receive"
    body = f"#!/bin/sh\ntouch {mark}\n".encode()
    res, records = env.call("write", "deploy.git/hooks/post-receive", body)
    assert res.outcome is Outcome.DENIED and records == 1
    _git(env.ws, "commit", "-q", "--allow-empty", "-m", "next")
    _git(env.ws, "push", "-q", "deploy", "HEAD:refs/heads/rt32")
    assert not mark.exists()
    # the control: the same bytes where the tool would have put them do run on that push
    hook.write_bytes(body)
    _git(env.ws, "commit", "-q", "--allow-empty", "-m", "again")
    _git(env.ws, "push", "-q", "deploy", "HEAD:refs/heads/rt32")
    assert mark.exists()


@pytest.mark.parametrize(
    "path",
    ["newdir/HEAD", "notes/objects/readme.md", "src/HEAD.md", "docs/objects.md"],
)
def test_ordinary_writes_beside_git_like_names_stay_allowed(env: Env, path: str) -> None:
    res, records = env.call("write", path, b"text\n")
    assert res.outcome is Outcome.SUCCESS, (path, res.decision.rule, res.detail)
    assert records == 1


def test_a_sandboxed_command_cannot_rewrite_a_bare_clones_hook(
    bare: tuple[Env, Path], bwrap: str
) -> None:
    """The same hook through ``exec``: the policy allows the redirection, the sandbox binds a
    pre-existing store's ``hooks/`` and ``config`` read-only, and the human's push (with
    ``safe.directory = *``, which lets git into the tenant-owned repository) runs the human's
    hook, not the agent's."""
    import os

    env, deploy = bare
    hook = deploy / "hooks" / "post-receive"
    hook.write_text("#!/bin/sh\necho deployed\n")
    mark = env.ws.parent / "rt32-sandbox-mark"
    before = env.records()
    req = ToolRequest(
        tenant="acme",
        actor="rt32",
        role="contributor",
        tool="exec",
        command=f"printf '#!/bin/sh\\ntouch {mark}\\n' > deploy.git/hooks/post-receive; "
        "printf '[core]\\n\\thooksPath = /tmp\\n' >> deploy.git/config",
    )
    res = env.agent.handle(req, workspace=env.ws)
    assert env.records() == before + 1
    assert b"Read-only file system" in res.output, res.output
    assert b"touch" not in hook.read_bytes()
    assert b"hooksPath" not in (deploy / "config").read_bytes()
    home = env.ws.parent / "human-home"
    home.mkdir(exist_ok=True)
    (home / ".gitconfig").write_text(
        "[safe]\n\tdirectory = *\n[user]\n\temail = h@example.org\n\tname = h\n"
    )
    human = {**os.environ, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (["commit", "-q", "--allow-empty", "-m", "h"], ["push", "-q", "deploy", "HEAD:h"]):
        subprocess.run(
            ["git", "-C", str(env.ws), *args], check=True, env=human, capture_output=True
        )
    assert not mark.exists()


def test_a_write_past_the_depth_bound_is_refused_not_unchecked(bare: tuple[Env, Path]) -> None:
    """``git_dir_of`` looks at 64 components at most; a bare clone planted deeper would not be
    seen, so a write past the bound is refused (fail closed) while one inside it is checked."""
    env, _ = bare
    deep = "/".join(["d"] * 70)
    res, records = env.call("write", f"{deep}/hooks/post-receive", b"#!/bin/sh\n")
    assert res.outcome is Outcome.DENIED and res.decision.rule == "file.protected", res.detail
    assert records == 1
    shallow = "/".join(["d"] * 40)
    res, records = env.call("write", f"{shallow}/notes.md", b"text\n")
    assert res.outcome is Outcome.SUCCESS, (res.decision.rule, res.detail)
