"""Decision records: chained, verified, tamper/missing/truncation detected, concurrent writers."""

from __future__ import annotations

import json
import multiprocessing
import threading
from pathlib import Path

import pytest

from enforcement_agent import audit
from enforcement_agent.audit import AuditWriteError, DecisionLog, iter_records, verify
from enforcement_agent.models import ToolRequest
from enforcement_agent.policy import Policy
from tests.policy.conftest import POLICY_DIR

SECRET = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"


def _req(i: int = 0, tenant: str = "acme", command: str | None = None) -> ToolRequest:
    return ToolRequest(
        tenant=tenant,
        actor="agent",
        role="contributor",
        tool="exec",
        command=command or f"ls docs/{i}",
    )


def _fill(log: DecisionLog, pol: Policy, n: int, tenant: str = "acme") -> None:
    for i in range(n):
        r = _req(i, tenant)
        log.append(r, pol.decide(r))


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines(keepends=True)


def test_records_are_complete_and_chained(tmp_path: Path, default_policy: Policy) -> None:
    log = DecisionLog(tmp_path)
    r = _req(command=f"curl -H 'Authorization: token {SECRET}' https://x.example")
    d = default_policy.decide(r)
    rec = log.append(r, d, {"workspace_digest": "abc"})
    for field in (
        "decision_id",
        "timestamp",
        "tenant_id",
        "actor",
        "role",
        "tool",
        "input_digest",
        "target",
        "result",
        "rule",
        "reason",
        "policy_revision",
        "eval_us",
        "destructive",
        "prev_hash",
        "hash",
        "seq",
    ):
        assert field in rec
    assert rec["prev_hash"] == audit.GENESIS and rec["seq"] == 1
    assert rec["decision_id"] == d.decision_id and rec["workspace_digest"] == "abc"
    raw = (tmp_path / "acme" / "decisions.jsonl").read_text()
    assert SECRET not in raw and "REDACTED" in raw
    _fill(log, default_policy, 5)
    report = verify(tmp_path)
    assert report.ok and report.tenants["acme"].records == 6


def test_extra_cannot_overwrite_fields(tmp_path: Path, default_policy: Policy) -> None:
    r = _req()
    with pytest.raises(AuditWriteError):
        DecisionLog(tmp_path).append(r, default_policy.decide(r), {"result": "allow"})


def test_tampered_record_detected(tmp_path: Path, default_policy: Policy) -> None:
    log = DecisionLog(tmp_path)
    _fill(log, default_policy, 5)
    path = tmp_path / "acme" / "decisions.jsonl"
    lines = _lines(path)
    rec = json.loads(lines[2])
    rec["result"] = "allow" if rec["result"] != "allow" else "deny"
    lines[2] = json.dumps(rec) + "\n"
    path.write_text("".join(lines))
    report = verify(tmp_path)
    assert not report.ok
    assert any("line 3" in e and "tampered" in e for e in report.tenants["acme"].errors)
    flags = [r["chain_ok"] for r in iter_records(tmp_path)]
    assert flags == [True, True, False, True, True]


def test_missing_record_detected(tmp_path: Path, default_policy: Policy) -> None:
    _fill(DecisionLog(tmp_path), default_policy, 5)
    path = tmp_path / "acme" / "decisions.jsonl"
    lines = _lines(path)
    del lines[1]
    path.write_text("".join(lines))
    errors = verify(tmp_path).tenants["acme"].errors
    assert any("missing" in e for e in errors)


def test_reordered_records_detected(tmp_path: Path, default_policy: Policy) -> None:
    _fill(DecisionLog(tmp_path), default_policy, 4)
    path = tmp_path / "acme" / "decisions.jsonl"
    lines = _lines(path)
    lines[1], lines[2] = lines[2], lines[1]
    path.write_text("".join(lines))
    assert not verify(tmp_path).ok


def test_truncated_tail_detected_by_head(tmp_path: Path, default_policy: Policy) -> None:
    _fill(DecisionLog(tmp_path), default_policy, 4)
    path = tmp_path / "acme" / "decisions.jsonl"
    path.write_text("".join(_lines(path)[:-1]))
    errors = verify(tmp_path).tenants["acme"].errors
    assert any("removed from the end" in e for e in errors)


def test_torn_write_detected_and_log_continues(tmp_path: Path, default_policy: Policy) -> None:
    log = DecisionLog(tmp_path)
    _fill(log, default_policy, 3)
    path = tmp_path / "acme" / "decisions.jsonl"
    with open(path, "a") as f:
        f.write('{"schema": "gonogo.decision/v1", "seq": 4, "resu')
    errors = verify(tmp_path).tenants["acme"].errors
    assert any("truncated" in e for e in errors)
    _fill(log, default_policy, 1)  # the writer chains to the last complete record
    recs = list(iter_records(tmp_path))
    assert [r["seq"] for r in recs] == [1, 2, 3, 4]
    assert recs[-1]["chain_ok"] is True
    assert any("line 4" in e for e in verify(tmp_path).tenants["acme"].errors)


def test_deleted_head_reported(tmp_path: Path, default_policy: Policy) -> None:
    _fill(DecisionLog(tmp_path), default_policy, 2)
    (tmp_path / "acme" / "decisions.head").unlink()
    assert not verify(tmp_path).ok


def test_tenants_are_separate_chains(tmp_path: Path, default_policy: Policy) -> None:
    log = DecisionLog(tmp_path)
    _fill(log, default_policy, 3, "acme")
    _fill(log, default_policy, 2, "globex")
    report = verify(tmp_path)
    assert report.ok and report.tenants["globex"].records == 2
    # a record moved into another tenant's log is caught
    acme = tmp_path / "acme" / "decisions.jsonl"
    globex = tmp_path / "globex" / "decisions.jsonl"
    globex.write_text(globex.read_text() + _lines(acme)[-1])
    assert not verify(tmp_path).tenants["globex"].ok


def test_concurrent_threads(tmp_path: Path, default_policy: Policy) -> None:
    log = DecisionLog(tmp_path)

    def worker(k: int) -> None:
        for i in range(40):
            r = _req(k * 1000 + i)
            log.append(r, default_policy.decide(r))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report = verify(tmp_path)
    assert report.ok, report.tenants["acme"].errors
    assert report.tenants["acme"].records == 320


def _process_writer(audit_dir: str, k: int, n: int) -> None:
    from enforcement_agent.policy import PolicyStore

    pol = PolicyStore(POLICY_DIR).for_tenant("acme")
    log = DecisionLog(audit_dir)
    for i in range(n):
        r = _req(k * 1000 + i)
        log.append(r, pol.decide(r))


def test_concurrent_processes(tmp_path: Path) -> None:
    # Spawned, not forked: a fork of a test worker copies whatever its other threads held
    # (execnet's, a library's) into the child; one such child died of SIGSEGV in CI run 107.
    # Every child is joined before any is checked, so a failure leaves no zombie behind.
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_process_writer, args=(str(tmp_path), k, 30)) for k in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    report = verify(tmp_path)
    assert report.ok, report.tenants["acme"].errors
    assert report.tenants["acme"].records == 120
    seqs = [r["seq"] for r in iter_records(tmp_path)]
    assert seqs == list(range(1, 121))


def test_write_failure_raises(tmp_path: Path, default_policy: Policy) -> None:
    blocker = tmp_path / "audit"
    blocker.write_text("not a directory")
    r = _req()
    with pytest.raises(AuditWriteError):
        DecisionLog(blocker).append(r, default_policy.decide(r))


class _BrokenRedactor:
    def redact_text(self, _text: str) -> str:
        raise RuntimeError("redactor down")


class _CountingRedactor:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def redact_text(self, text: str) -> str:
        self.seen.append(text)
        return text.replace(SECRET, "[MASKED]")


def test_redaction_failure_fails_closed(tmp_path: Path, default_policy: Policy) -> None:
    r = _req(command=f"echo {SECRET}")
    with pytest.raises(AuditWriteError):
        DecisionLog(tmp_path, _BrokenRedactor()).append(r, default_policy.decide(r))
    assert not (tmp_path / "acme" / "decisions.jsonl").exists()


def test_records_pass_the_injected_redactor(tmp_path: Path, default_policy: Policy) -> None:
    # The log uses the redactor it is handed, not the process-wide one; free-text fields a
    # caller supplies (target, reason, session) all pass it.
    redactor = _CountingRedactor()
    r = ToolRequest(tenant="acme", actor="agent", role="contributor", tool="exec",
                    command=f"echo {SECRET}", session=f"sess-{SECRET}")  # fmt: skip
    rec = DecisionLog(tmp_path, redactor).append(r, default_policy.decide(r))
    assert rec["target"] == "echo [MASKED]" and rec["session_id"] == "sess-[MASKED]"
    assert any(SECRET in t for t in redactor.seen)
    assert SECRET not in (tmp_path / "acme" / "decisions.jsonl").read_text()


def test_decisions_from_many_threads_are_consistent(default_policy: Policy) -> None:
    """The parser is per thread: concurrent decisions neither crash nor disagree."""
    commands = ["ls && rm -rf /srv", "git log | head", "bash -c 'rm -rf dist'", "c=rm; $c x"] * 50
    expected = [default_policy.decide(_req(command=c)).decision for c in commands]
    results: dict[int, list[object]] = {}

    def worker(k: int) -> None:
        from enforcement_agent.policy import shell

        out = []
        for c in commands:
            shell.parse(c)  # bypass the LRU so every thread really parses
            out.append(default_policy.decide(_req(command=c)).decision)
        results[k] = out

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(results[k] == expected for k in range(8))
