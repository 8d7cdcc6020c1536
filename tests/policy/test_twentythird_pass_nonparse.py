"""Issue 10, twenty-third red-team pass over the classes that are not about shell parsing:
break-glass shapes (class 12) and the audit trail (class 13).

Class 12 (found): a break-glass wildcard matched `:`, `+`, `@` and `=`, characters that join
two things into one word. `git push --force origin feature-*` allowed
`git push --force origin feature-x:main`, which git reads as "force local feature-x onto the
remote's main" (shown below against a real bare repository); `git push origin +feature-*`
allowed `+feature-x:main`. A wildcard now stands for a name's letters, digits, `.`, `_` and
`-` only; a shape that wants a separator spells it.

Class 13 (clean): every state-directory spelling and head/log/registry shape tried below was
already refused or reported; they are kept as regression tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from enforcement_agent.audit import (
    AuditWriteError,
    DecisionLog,
    state_dir_conflict,
    verify,
)
from enforcement_agent.models import Decision, ToolRequest, Verdict
from enforcement_agent.policy import Policy
from enforcement_agent.policy.rules import compile_shape
from tests.policy.conftest import POLICY_DIR, overlay_policy

IN_WINDOW = date(2026, 6, 1)

# ---- class 12: break-glass shapes ------------------------------------------------------------

_POLICY = """version: 1
extends: default
name: rt23
break_glass:
  - id: break-glass.rt23
    overrides:
      - exec.infra.kubectl-destructive
      - exec.vcs.force-push
      - exec.vcs.push-refspec-force
      - exec.vcs.push-delete
      - exec.remove-outside-workspace
    roles: [admin]
    targets:
      - "kubectl drain staging-*"
      - "kubectl delete pod *"
      - "git push --force origin feature-*"
      - "git push origin +feature-*"
      - "git push --force origin ?eature-x"
      - "rm -rf /srv/cache/app/*"
      - "kubectl scale deploy web --replicas=*"
      - "kubectl label node staging-* env=*"
    expires: 2027-06-30
    approver: sre-lead
    ticket: OPS-23
    reason: twenty-third pass shapes
"""


@pytest.fixture(scope="module")
def rt23(tmp_path_factory: pytest.TempPathFactory) -> Policy:

    return overlay_policy(tmp_path_factory.mktemp("rt23-policy"), "rt23", _POLICY)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rt23-ws")


def _decide(policy: Policy, ws: Path, command: str) -> Decision:
    req = ToolRequest(tenant="rt23", actor="oncall", role="admin", tool="exec", command=command)
    return policy.decide(req, ws, today=IN_WINDOW)


# Allowed on main through the break-glass entry (each a wider action than its shape names).
WILDCARD_SEPARATORS = [
    "git push --force origin feature-x:main",
    "git push --force origin feature-x:master",
    "git push --force origin feature-x:release-1",
    "git push --force origin feature-a:feature-b",
    "git push origin +feature-x:main",
    "git push origin +feature-x:+main",
    "git push --force origin :eature-x",
    "git push --force origin +eature-x",
    "kubectl delete pod :x",
    "kubectl delete pod +x",
    "kubectl delete pod a@b",
    "kubectl delete pod a=b",
    "kubectl drain staging-1:prod-1",
    "kubectl drain staging-1+prod-1",
    "kubectl drain staging-1@prod",
    "kubectl drain staging-1=prod-1",
    "rm -rf /srv/cache/app/x:y",
    "rm -rf /srv/cache/app/a=b",
    "kubectl scale deploy web --replicas=1=2",
    "kubectl label node staging-1 env=prod:x",
]

# Denied on main too; kept so the shapes' other limits stay where they are.
OTHER_SHAPES_OUTSIDE = [
    "git push --force origin feature-x:refs/heads/main",
    "git push --force origin feature-x feature-y",
    "git push --force origin feature-x^",
    "git push --force origin feature-x~1",
    "git push --force origin 'feature-x main'",
    "git push --force origin feature-{x,main}",
    "git push --force origin feature-[x]",
    "git push --force origin feature-$B",
    "git push --force origin feature-x 2>/dev/full",
    "git push --force origin feature-x > /proc/self/fd/1",
    "GIT_DIR=/srv/repo git push --force origin feature-x",
    "git -C /srv/repo push --force origin feature-x",
    "time kubectl drain staging-1",
    "nohup kubectl drain staging-1",
    "coproc kubectl drain staging-1",
    "exec 3>x; kubectl drain staging-1",
    "kubectl drain staging-1 ''",
    "kubectl drain $'staging-1'",
    "kubectl drain staging-1 --ignore-daemonsets=false",
    "kubectl drain 'staging-1\nprod-1'",
    "kubectl() { rm -rf ~; }; kubectl drain staging-1",
    "kubectl drain staging-1 < <(touch /tmp/x)",
    'kubectl drain staging-1 <<< "$(touch /tmp/x)"',
    "kubectl drain STAGING-1",
    "rm -rf /srv/cache/app/..",
]

INSIDE = [
    "kubectl drain staging-1",
    "kubectl drain staging-node_2.a",
    "kubectl delete pod web-7f9c",
    "git push --force origin feature-x",
    "git push --force origin feature-1.2_b",
    "git push origin +feature-x",
    "git push --force origin feature-x > pushed.txt",
    "rm -rf /srv/cache/app/build-42",
    "kubectl scale deploy web --replicas=0",
    "kubectl label node staging-1 env=staging",
    "kubectl drain staging-1 | kubectl drain staging-2",
]


@pytest.mark.parametrize("command", WILDCARD_SEPARATORS)
def test_a_wildcard_never_takes_a_separator(rt23: Policy, ws: Path, command: str) -> None:
    d = _decide(rt23, ws, command)
    assert d.decision is not Verdict.ALLOW, (command, d.rule, d.reason)
    assert d.destructive, (command, d.rule)


@pytest.mark.parametrize("command", OTHER_SHAPES_OUTSIDE)
def test_other_words_outside_the_shapes_stay_denied(rt23: Policy, ws: Path, command: str) -> None:
    d = _decide(rt23, ws, command)
    assert d.decision is not Verdict.ALLOW, (command, d.rule, d.reason)


@pytest.mark.parametrize("command", INSIDE)
def test_names_inside_the_shapes_still_fit(rt23: Policy, ws: Path, command: str) -> None:
    d = _decide(rt23, ws, command)
    assert d.decision is Verdict.ALLOW and d.rule == "break-glass.rt23", (command, d.rule)


def test_a_wildcard_stands_for_name_characters_only() -> None:
    pattern = compile_shape("x a-*")[1]
    for c in ":+@=,/ ;|&$`'\"\\{}[]()<>~^!#%*?\t\n":
        assert not pattern.match(f"a-b{c}c"), repr(c)
    assert pattern.match("a-Zz09._-")
    single = compile_shape("x a?")[1]
    assert single.match("ab") and not single.match("a:") and not single.match("a+")


def _git(cwd: Path, *args: str) -> str:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    out = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return out.stdout.strip()


def test_by_effect_the_separator_force_pushes_over_main(
    rt23: Policy, tmp_path: Path, ws: Path
) -> None:
    """What git does with the line the shape used to allow: the remote's main is replaced by
    an unrelated history (the control line moves only feature-x)."""
    remote = tmp_path / "remote.git"
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    work = tmp_path / "work"
    work.mkdir()
    _git(work, "init", "-q", "-b", "main")
    (work / "a").write_text("main history\n")
    _git(work, "add", "a")
    _git(work, "commit", "-q", "-m", "main")
    _git(work, "remote", "add", "origin", str(remote))
    _git(work, "push", "-q", "origin", "main")
    main_before = _git(remote, "rev-parse", "main")
    _git(work, "checkout", "-q", "--orphan", "feature-x")
    (work / "a").write_text("unrelated\n")
    _git(work, "commit", "-q", "-am", "feature")
    feature = _git(work, "rev-parse", "HEAD")

    control = "git push --force origin feature-x"
    assert _decide(rt23, ws, control).decision is Verdict.ALLOW
    _git(work, *control.split()[1:])
    assert _git(remote, "rev-parse", "main") == main_before  # only feature-x moved

    attack = "git push --force origin feature-x:main"
    d = _decide(rt23, ws, attack)
    _git(work, *attack.split()[1:])
    assert _git(remote, "rev-parse", "main") == feature  # main's history is gone
    assert d.decision is not Verdict.ALLOW, (d.rule, d.reason)


# ---- class 13: the audit trail ---------------------------------------------------------------


class _Plain:
    def redact_text(self, text: str) -> str:
        return text


def _append(log: DecisionLog, tenant: str = "acme", i: int = 0) -> dict:
    req = ToolRequest(tenant=tenant, actor="a", role="contributor", tool="exec", command=f"ls {i}")
    dec = Decision(Verdict.ALLOW, "exec.allow.inspect", "ok", f"d{i}-{os.urandom(4).hex()}", "r")
    return log.append(req, dec)


@pytest.fixture
def audit(tmp_path: Path) -> Path:
    root = tmp_path / "audit"
    log = DecisionLog(root, _Plain())
    for i in range(4):
        _append(log, "acme", i)
    _append(log, "globex", 0)
    assert verify(root).ok
    return root


def _head(root: Path, tenant: str = "acme") -> Path:
    return root / tenant / "decisions.head"


def _log(root: Path, tenant: str = "acme") -> Path:
    return root / tenant / "decisions.jsonl"


def _good_head(root: Path) -> dict:
    return json.loads(_head(root).read_bytes())


def _set_head(root: Path, data: bytes) -> None:
    p = _head(root)
    p.unlink()
    p.write_bytes(data)


def _records(root: Path) -> list[bytes]:
    return _log(root).read_bytes().splitlines(keepends=True)


def _h(rec: bytes) -> dict:
    return json.loads(rec)


HEAD_SHAPES = {
    "seq_true": lambda h: {**h, "seq": True},
    "seq_float": lambda h: {**h, "seq": float(h["seq"])},
    "seq_string": lambda h: {**h, "seq": str(h["seq"])},
    "seq_zero": lambda h: {**h, "seq": 0},
    "seq_negative": lambda h: {**h, "seq": -h["seq"]},
    "seq_huge": lambda h: {**h, "seq": 10**30},
    "seq_lower": lambda h: {**h, "seq": h["seq"] - 1},
    "hash_upper": lambda h: {**h, "hash": h["hash"].upper()},
    "hash_short": lambda h: {**h, "hash": h["hash"][:63]},
    "hash_of_another_record": lambda h: {**h, "hash": "0" * 64},
    "list": lambda h: [h],
    "null": lambda h: None,
}


@pytest.mark.parametrize("shape", sorted(HEAD_SHAPES))
def test_a_malformed_or_rolled_back_head_fails_verify(audit: Path, shape: str) -> None:
    _set_head(audit, json.dumps(HEAD_SHAPES[shape](_good_head(audit))).encode())
    report = verify(audit)
    assert not report.ok, shape
    # and the writer refuses to go on past it (the call would be denied)
    with pytest.raises(AuditWriteError):
        _append(DecisionLog(audit, _Plain()), "acme", 99)


RAW_HEADS = {
    "non_utf8": b'{"seq":4,"hash":"\xff\xfe"}',
    "utf16": "{}".encode("utf-16"),
    "bom_then_json": b"\xef\xbb\xbf{}",
    "nul_bytes": b"\0" * 64,
    "huge": b" " * (1 << 20) + b"{}",
    "deep": b"[" * 100_000,
    "truncated": b'{"seq":4,"ha',
    "empty": b"",
}


@pytest.mark.parametrize("shape", sorted(RAW_HEADS))
def test_a_head_that_is_not_a_head_fails_verify_with_a_message(audit: Path, shape: str) -> None:
    _set_head(audit, RAW_HEADS[shape])
    report = verify(audit)
    assert not report.ok, shape
    text = json.dumps(report.to_json()) if hasattr(report, "to_json") else repr(report)
    assert "Traceback" not in text


def test_a_head_replaced_by_a_directory_or_a_fifo_fails_at_once(audit: Path) -> None:
    _head(audit).unlink()
    _head(audit).mkdir()
    assert not verify(audit).ok
    _head(audit).rmdir()
    os.mkfifo(_head(audit))
    assert not verify(audit).ok  # (would hang if it waited for a writer)


def test_a_log_cut_at_a_record_boundary_fails_verify(audit: Path) -> None:
    lines = _records(audit)
    _log(audit).write_bytes(b"".join(lines[:-1]))
    assert not verify(audit).ok


def test_a_duplicated_record_fails_verify(audit: Path) -> None:
    lines = _records(audit)
    _log(audit).write_bytes(b"".join([*lines, lines[-1]]))
    assert not verify(audit).ok


def test_a_deleted_tenant_directory_is_named(audit: Path) -> None:
    shutil.rmtree(audit / "globex")
    report = verify(audit)
    assert not report.ok
    assert "globex" in repr(report)


def test_a_renamed_tenant_directory_is_named(audit: Path) -> None:
    (audit / "globex").rename(audit / ".globex")
    report = verify(audit)
    assert not report.ok and "globex" in repr(report)


def test_a_tenant_log_replaced_by_a_symlink_fails(audit: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "copy.jsonl"
    shutil.copy(_log(audit), elsewhere)
    _log(audit).unlink()
    _log(audit).symlink_to(elsewhere)
    assert not verify(audit).ok


def _spellings(ws: Path, home: Path) -> list[str]:
    """Ways of naming a state directory that lies inside ``ws``."""
    rel = os.path.relpath(home, Path.cwd())
    return [
        str(home),
        str(home) + "/",
        str(home) + "/.",
        str(home / "x" / ".."),
        str(ws / "." / home.name),
        f"{ws}//{home.name}",
        rel,
        f"/proc/self/cwd/{rel}",
        f"/proc/{os.getpid()}/cwd/{rel}",
        f"/proc/self/root{home}",
    ]


def test_a_state_directory_inside_the_workspace_is_refused_however_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = tmp_path / "ws"
    home = ws / ".gonogo"
    home.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "link-to-ws").symlink_to(ws)
    (tmp_path / "link-to-home").symlink_to(home)
    (ws / "sub").mkdir()
    names = [
        *_spellings(ws, home),
        str(tmp_path / "link-to-home"),
        str(tmp_path / "link-to-ws" / ".gonogo"),
        str(ws / "sub" / ".." / ".gonogo"),
    ]
    for state in names:
        for workspace in (ws, tmp_path / "link-to-ws", Path("ws"), Path("ws/sub/..")):
            assert state_dir_conflict([state], workspace) is not None, (state, workspace)


def test_a_workspace_inside_the_state_directory_is_refused_however_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / "audit" / "acme").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ws-link").symlink_to(home / "audit")
    for workspace in (
        home / "audit",
        home / "audit" / "acme",
        tmp_path / "ws-link",
        Path("home/audit/acme/.."),
        Path("/proc/self/cwd/home/audit"),
    ):
        assert state_dir_conflict([home], workspace, (home / "workspaces",)) is not None, workspace
    # control: a per-tenant workspace under the home's workspaces/ is the allowed shape
    (home / "workspaces" / "acme").mkdir(parents=True)
    assert state_dir_conflict([home], home / "workspaces" / "acme", (home / "workspaces",)) is None


# ---- class 13 (found): the policy's own directory inside the workspace -----------------------
# `gonogo hook claude-code --workspace W --policy-dir W/policies` (or `agent exec`, `serve`, the
# MCP server) was accepted, and the policy let the agent write its own policy files: a Write of
# `policies/default.yaml` was allowed, the next call was decided by the agent's text, and a
# write of `.git/hooks/pre-commit` (denied by the shipped policy) landed. The policy directory
# may now not overlap a workspace either way, like a state directory.

_MINIMAL = """version: 1
name: default
roles:
  contributor: [fs.read, fs.write, exec.run]
files:
  default: allow
exec:
  default: allow
"""


def _policy_ws(tmp_path: Path) -> tuple[Path, Path]:
    ws = tmp_path / "ws"
    (ws / ".git" / "hooks").mkdir(parents=True)
    pol = ws / "pol"
    shutil.copytree(POLICY_DIR, pol)
    return ws, pol


def _settings(tmp_path: Path):  # noqa: ANN202 - gonogo.config.Settings
    from gonogo.config import Settings

    return Settings(home=tmp_path / "home").ensure()


def _write(agent, ws: Path, path: str, text: str):  # noqa: ANN001, ANN202
    req = ToolRequest(tenant="t1", actor="a", role="contributor", tool="write", path=path)
    return agent.handle(req, text.encode(), workspace=ws)


def test_by_effect_an_agent_rewrites_its_policy_in_the_workspace(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """An acting agent (built without a fixed workspace, as `gonogo serve` builds it, so only
    the per-call check applies) on the shipped policy copied into the workspace: on main the
    hook write is refused, the agent's file tool rewrites the policy, and the next process's
    agent writes the hook (as it does `.github/workflows/x.yml` and `CLAUDE.md`)."""
    from gonogo.wiring import build_agent

    ws, pol = _policy_ws(tmp_path)
    agent = build_agent(_settings(tmp_path), policy_dir=pol)
    request.addfinalizer(agent.telemetry.shutdown)
    hook = ws / ".git" / "hooks" / "pre-commit"
    first = _write(agent, ws, ".git/hooks/pre-commit", "#!/bin/sh\ntouch pwned\n")
    assert first.decision.decision is Verdict.DENY and not hook.exists()
    rewrite = _write(agent, ws, "pol/default.yaml", _MINIMAL)
    # the next process (the next hook call, `agent exec`, a restarted gateway) loads the text
    nxt = build_agent(_settings(tmp_path), policy_dir=pol)
    request.addfinalizer(nxt.telemetry.shutdown)
    second = _write(nxt, ws, ".git/hooks/pre-commit", "#!/bin/sh\ntouch pwned\n")
    assert not hook.exists(), (rewrite.decision.rule, second.decision.rule)
    assert rewrite.decision.decision is Verdict.DENY
    assert rewrite.decision.rule == "state-in-workspace"
    assert "policy directory" in rewrite.decision.reason
    assert (pol / "default.yaml").read_text() != _MINIMAL


def _policy_spellings(tmp_path: Path) -> list[tuple[Path, Path]]:
    """(workspace, policy directory) pairs that overlap, however spelled."""
    ws, pol = _policy_ws(tmp_path)
    (tmp_path / "pol-link").symlink_to(pol)
    (tmp_path / "ws-link").symlink_to(ws)
    (ws / "sub").mkdir()
    return [
        (ws, pol),
        (ws, tmp_path / "pol-link"),
        (tmp_path / "ws-link", pol),
        (ws, ws / "sub" / ".." / "pol"),
        (ws, Path(f"/proc/self/root{pol}")),
        (ws, ws),  # the workspace is the policy directory
        (pol / "programs", pol),  # a workspace inside the policy directory: writes its specs
        (pol, pol),
    ]


def test_build_agent_refuses_a_policy_directory_overlapping_the_workspace(tmp_path: Path) -> None:
    from gonogo.wiring import StateInWorkspaceError, build_agent

    settings = _settings(tmp_path)
    for ws, pol in _policy_spellings(tmp_path):
        with pytest.raises(StateInWorkspaceError, match="policy directory"):
            build_agent(settings, policy_dir=pol, workspace=ws)


def test_every_call_refuses_a_policy_directory_overlapping_the_workspace(tmp_path: Path) -> None:
    from gonogo.wiring import StateInWorkspaceError, build_hook_agent

    settings = _settings(tmp_path)
    for ws, pol in _policy_spellings(tmp_path):
        # Refused when the hook's agent is built for that workspace (stop 35: before any part
        # is built), and on every call of an agent built without it.
        with pytest.raises(StateInWorkspaceError):
            build_hook_agent(settings, policy_dir=pol, workspace=ws)
        agent = build_hook_agent(settings, policy_dir=pol)
        req = ToolRequest(tenant="t1", actor="a", role="contributor", tool="exec", command="ls")
        d = agent.authorize(req, workspace=ws)
        assert d.decision is Verdict.DENY and d.rule == "state-in-workspace", (ws, pol, d.rule)


def test_a_policy_directory_beside_the_workspace_or_under_usr_is_fine(tmp_path: Path) -> None:
    from gonogo.wiring import build_agent

    settings = _settings(tmp_path)
    ws = tmp_path / "ws"
    ws.mkdir()
    pol = tmp_path / "policies"
    shutil.copytree(POLICY_DIR, pol)
    agent = build_agent(settings, policy_dir=pol, workspace=ws)
    req = ToolRequest(tenant="t1", actor="a", role="contributor", tool="exec", command="ls")
    assert agent.authorize(req, workspace=ws).decision is Verdict.ALLOW
    agent.telemetry.shutdown()
    # not secret: a policy directory the sandbox can read (an install under /usr) is no conflict
    assert state_dir_conflict([], ws, (), ["/usr/share"]) is None


def test_the_hook_refuses_a_policy_directory_inside_its_workspace(tmp_path: Path) -> None:
    """`gonogo hook claude-code` as Claude Code runs it: a Write of the policy is denied."""
    import sys

    from gonogo.config import REPO_ROOT

    ws, pol = _policy_ws(tmp_path)
    payload = {
        "session_id": "s",
        "cwd": str(ws),
        "hook_event_name": "PreToolUse",
        "tool_name": "Write",
        "tool_input": {"file_path": str(pol / "default.yaml"), "content": _MINIMAL},
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    env["GONOGO_HOME"] = str(tmp_path / "home")
    proc = subprocess.run(
        [sys.executable, "-m", "gonogo", "hook", "claude-code", "--tenant", "acme", "--role",
         "contributor", "--workspace", str(ws), "--policy-dir", str(pol)],
        input=json.dumps(payload).encode(), capture_output=True, cwd=REPO_ROOT, env=env,
        timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)["hookSpecificOutput"]
    assert out["permissionDecision"] == "deny", out
    assert "policy directory" in out["permissionDecisionReason"]


# ---- class 13 (found): a state or policy directory named through a link in the workspace ------
# GONOGO_HOME=ws/st with st -> /var/lib/gonogo resolved outside the workspace and was accepted;
# the agent's sandboxed `python3 flip.py` repointed st, and the next hook process kept its
# records (and key, cache, approvals) where the agent chose (by effect in
# tests/sandbox/test_twentythird_pass_sandbox.py). A spelling through a link that lies inside
# the workspace is refused now, for state and policy directories alike.


def _links(tmp_path: Path) -> tuple[Path, Path, dict[str, Path]]:
    ws = tmp_path / "ws"
    (ws / "a").mkdir(parents=True)
    out = tmp_path / "real-home"
    (out / "x").mkdir(parents=True)
    (ws / "st").symlink_to(out)
    (ws / "a" / "deep").symlink_to(out)
    (tmp_path / "outer").symlink_to(ws / "st")  # a link outside, to the link inside
    (ws / "rel").symlink_to("../real-home")
    (ws / "dir-link").symlink_to(tmp_path)  # a link inside pointing at the workspace's parent
    spelled = {
        "top": ws / "st",
        "below_link": ws / "st" / "x",
        "nested": ws / "a" / "deep",
        "through_outer_link": tmp_path / "outer",
        "relative_target": ws / "rel",
        "parent_via_link": ws / "dir-link" / "real-home",
    }
    return ws, out, spelled


@pytest.mark.parametrize(
    "name",
    ["top", "below_link", "nested", "through_outer_link", "relative_target", "parent_via_link"],
)
def test_a_state_directory_named_through_a_link_in_the_workspace_is_refused(
    tmp_path: Path, name: str
) -> None:
    ws, _, spelled = _links(tmp_path)
    reason = state_dir_conflict([spelled[name]], ws)
    assert reason is not None and "symbolic link" in reason, (name, reason)
    reason = state_dir_conflict([], ws, (), [spelled[name]])
    assert reason is not None and "symbolic link" in reason, (name, reason)


def test_the_same_directory_named_directly_or_through_an_outside_link_is_fine(
    tmp_path: Path,
) -> None:
    ws, out, _ = _links(tmp_path)
    (tmp_path / "plain-link").symlink_to(out)
    for given in (out, out / "x", tmp_path / "plain-link", tmp_path / "plain-link" / "x"):
        assert state_dir_conflict([given], ws) is None, given
        assert state_dir_conflict([], ws, (), [given]) is None, given


def test_settings_keep_the_home_as_given_and_guard_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gonogo.config import Settings

    ws, out, spelled = _links(tmp_path)
    monkeypatch.setenv("GONOGO_HOME", str(spelled["top"]))
    settings = Settings.from_env()
    assert settings.home == out.resolve()
    assert settings.home_as_given == spelled["top"]
    assert spelled["top"] in settings.guarded_paths
    assert state_dir_conflict(settings.guarded_paths, ws) is not None
    monkeypatch.setenv("GONOGO_HOME", str(out))
    assert Settings.from_env().home_as_given is None
