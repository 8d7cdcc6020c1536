"""The enforcement agent facade: decide → record → act → redact → telemetry, failing closed."""

from __future__ import annotations

from pathlib import Path

import pytest

from enforcement_agent.agent import EnforcementAgent
from enforcement_agent.audit import DecisionLog, iter_records, verify
from enforcement_agent.models import Outcome, ToolRequest, Verdict
from enforcement_agent.spool import read_spans
from gonogo.config import Settings
from gonogo.wiring import build_agent

SECRET = "ghp_" + "Q" * 18 + "w" * 18  # GitHub-token shaped, built at runtime


def req(tool: str = "exec", **kw: str) -> ToolRequest:
    base = {"tenant": "acme", "actor": "agent-1", "role": "contributor", "tool": tool}
    base.update(kw)
    return ToolRequest(**base)  # type: ignore[arg-type]


@pytest.fixture
def agent(settings: Settings, bwrap: str) -> EnforcementAgent:
    ws = settings.workspace("acme")
    ws.mkdir(parents=True)
    (ws / "README.md").write_text("hello\n")
    (ws / ".env").write_text(f"GITHUB_TOKEN={SECRET}\n")
    (ws / "config.txt").write_text(f"github_token: {SECRET}\n")
    (ws / "settings.txt").write_text("db_password: Zq8vN3xK7mR2pL9wT4\n")
    a = build_agent(settings, known_secrets=(SECRET,))
    yield a
    a.telemetry.shutdown()


def spool_lines(settings: Settings) -> list[dict]:
    return [{"attributes": dict(s.attributes)} for s in read_spans(settings.spool_dir)]


def test_allowed_exec_runs_sandboxed_and_output_is_redacted(agent, settings) -> None:
    streamed: list[bytes] = []
    # A secret *file* is never read by a command (issue 10, class 9: `cat .env` used to be
    # allowed and left to redaction, which `rev .env` defeated); secrets in other files are.
    assert agent.handle(req(command="cat README.md .env")).decision.rule == "exec.secret-file"
    # so is a file whose content is a token of a known shape, whatever its name (seventeenth
    # pass: `rev config.txt` defeated redaction); a value of no known shape is redacted
    assert agent.handle(req(command="cat config.txt")).decision.rule == "exec.secret-file"
    res = agent.handle(req(command="cat README.md settings.txt"), on_output=streamed.append)
    assert res.decision.decision is Verdict.ALLOW
    assert res.outcome is Outcome.SUCCESS and res.exit_code == 0
    assert res.sandbox_layer.startswith("bwrap")
    out = b"".join(streamed)
    assert b"hello" in out and SECRET.encode() not in out and b"[REDACTED:" in out
    assert b"Zq8vN3xK7mR2pL9wT4" not in out
    assert res.output == out


def test_every_call_leaves_a_chained_record_written_before_the_action(agent, settings) -> None:
    agent.handle(req(command="ls"))
    agent.handle(req(command="rm -rf /"))
    agent.handle(req("read", path="../globex/.env"))
    recs = list(iter_records(settings.audit_dir))
    assert [r["result"] for r in recs] == ["allow", "deny", "deny"]
    assert all(r["chain_ok"] for r in recs)
    assert verify(settings.audit_dir).ok
    agent.telemetry.flush()
    agent.telemetry.shutdown()
    spans = spool_lines(settings)
    assert {s["attributes"]["gonogo.decision_id"] for s in spans} == {
        r["decision_id"] for r in recs
    }


def test_denied_exec_never_runs(agent, settings) -> None:
    marker = settings.workspace("acme") / "README.md"
    res = agent.handle(req(command="rm -rf / ; rm README.md"))
    assert res.decision.decision is Verdict.DENY and res.outcome is Outcome.DENIED
    assert marker.exists()


class BrokenLog(DecisionLog):
    def append(self, *a, **kw):  # type: ignore[no-untyped-def]
        raise OSError("disk full")


def test_no_record_means_no_action(agent, settings) -> None:
    agent.decision_log = BrokenLog(settings.audit_dir)
    target = settings.workspace("acme") / "created-by-agent"
    res = agent.handle(req(command="touch created-by-agent"))
    assert res.decision.decision is Verdict.DENY
    assert res.decision.rule == "no-decision-record"
    assert "disk full" in res.decision.reason
    assert not target.exists()


def test_policy_failure_denies(agent, settings, tmp_path: Path) -> None:
    bad = tmp_path / "policies"
    bad.mkdir()
    (bad / "default.yaml").write_text("version: 1\nexec: [this is not a policy\n")
    from enforcement_agent.policy import PolicyStore

    agent.policies = PolicyStore(bad)
    res = agent.handle(req(command="ls"))
    assert res.decision.decision is Verdict.DENY and res.outcome is Outcome.DENIED


def test_secret_in_request_never_reaches_spool_or_record(agent, settings) -> None:
    agent.handle(req(command=f"echo {SECRET} | grep -c ghp"))
    agent.handle(req("write", path="notes.md"), payload=f"token {SECRET}".encode())
    agent.telemetry.shutdown()
    for p in [*settings.spool_dir.glob("*.jsonl*"), *settings.audit_dir.rglob("*.jsonl")]:
        assert SECRET not in p.read_text(), p


def test_limit_overrides_only_tighten(settings, bwrap) -> None:
    a = build_agent(settings, limit_overrides={"wall_seconds": 1.0, "output_bytes": 10**12})
    ws = settings.workspace("acme")
    ws.mkdir(parents=True, exist_ok=True)
    res = a.handle(req(command="sleep 5"))
    a.telemetry.shutdown()
    assert res.outcome is Outcome.TIMEOUT
    policy_cap = a.policies.for_tenant("acme").limits("exec").output_bytes
    from enforcement_agent.agent import _tightened

    assert (
        _tightened(
            a.policies.for_tenant("acme").limits("exec"), {"output_bytes": 10**12}
        ).output_bytes
        == policy_cap
    )
