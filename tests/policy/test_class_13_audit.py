"""Class 13: the audit log cannot be erased or hidden.

Every tamper variation below (rewrite, truncate, reorder, delete, head rollback, symlinks,
torn lines, garbage, huge and deeply nested lines) is checked by what ``verify`` says, and the
writer refuses to append on top of a tampered head. State directories inside a workspace are
refused wherever an agent is built or called. ``audit seal`` is the way forward after a torn
write: the torn bytes stay as evidence and the chain continues in a new, linked segment.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from enforcement_agent import audit_verify
from enforcement_agent.audit import (
    AuditWriteError,
    DecisionLog,
    SealError,
    StateInWorkspaceError,
    VerifyReport,
    iter_records,
    record_hash,
    seal,
    state_dir_conflict,
    verify,
)
from enforcement_agent.models import Decision, ToolRequest, Verdict
from gonogo.config import REPO_ROOT, Settings

N = 6


class _Plain:
    def redact_text(self, text: str) -> str:
        return text


def _append(log: DecisionLog, tenant: str = "acme", i: int = 0) -> dict:
    req = ToolRequest(tenant=tenant, actor="agent", role="contributor", tool="exec",
                      command=f"ls docs/{i}")  # fmt: skip
    dec = Decision(Verdict.ALLOW, "exec.allow.inspect", "ok", f"d{tenant}{i}-{os.urandom(4).hex()}",
                   "rev1")  # fmt: skip
    return log.append(req, dec)


@pytest.fixture
def audit_dir(tmp_path: Path) -> Path:
    root = tmp_path / "audit"
    log = DecisionLog(root, _Plain())
    for i in range(N):
        _append(log, "acme", i)
    for i in range(3):
        _append(log, "globex", i)
    assert verify(root).ok
    return root


def _lines(root: Path, tenant: str = "acme") -> list[bytes]:
    return (root / tenant / "decisions.jsonl").read_bytes().splitlines(keepends=True)


def _write_lines(root: Path, lines: list[bytes], tenant: str = "acme") -> None:
    (root / tenant / "decisions.jsonl").write_bytes(b"".join(lines))


def _rec(line: bytes) -> dict:
    return json.loads(line)


def _dump(rec: dict) -> bytes:
    return (
        json.dumps(rec, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"
    )


def _set_head(root: Path, head: object, tenant: str = "acme") -> None:
    data = head if isinstance(head, bytes) else json.dumps(head).encode()
    (root / tenant / "decisions.head").write_bytes(data)


def _rechain(records: list[dict]) -> list[bytes]:
    """What an attacker who knows the format writes: a fresh, internally valid chain."""
    prev = "0" * 64
    out = []
    for seq, rec in enumerate(records, 1):
        rec = {k: v for k, v in rec.items() if k != "hash"}
        rec.update(seq=seq, prev_hash=prev)
        rec["hash"] = record_hash(rec)
        prev = rec["hash"]
        out.append(_dump(rec))
    return out


# ---- tamper variations ----------------------------------------------------------------------
def t_edit_field(root: Path) -> None:
    lines = _lines(root)
    rec = _rec(lines[2])
    rec["result"] = "deny"
    lines[2] = _dump(rec)
    _write_lines(root, lines)


def t_edit_field_and_rehash(root: Path) -> None:
    lines = _lines(root)
    rec = _rec(lines[2])
    rec["rule"] = "break-glass.forged"
    rec["hash"] = record_hash(rec)
    lines[2] = _dump(rec)
    _write_lines(root, lines)


def _rewrite_last(root: Path, **changes: object) -> dict:
    """Edit the last record and re-hash it (what an attacker who knows the format does)."""
    lines = _lines(root)
    rec = {**_rec(lines[-1]), **changes}
    rec["hash"] = record_hash(rec)
    lines[-1] = _dump(rec)
    _write_lines(root, lines)
    return rec


def t_edit_last_and_rehash(root: Path) -> None:
    _rewrite_last(root, target="ls harmless")


def t_delete_middle(root: Path) -> None:
    lines = _lines(root)
    del lines[3]
    _write_lines(root, lines)


def t_swap(root: Path) -> None:
    lines = _lines(root)
    lines[1], lines[4] = lines[4], lines[1]
    _write_lines(root, lines)


def t_replay(root: Path) -> None:
    lines = _lines(root)
    _write_lines(root, [*lines, lines[2]])


def t_truncate_last(root: Path) -> None:
    _write_lines(root, _lines(root)[:-1])


def t_truncate_empty(root: Path) -> None:
    _write_lines(root, [])


def t_truncate_and_consistent_head(root: Path) -> None:
    lines = _lines(root)[:3]
    _write_lines(root, lines)
    last = _rec(lines[-1])
    _set_head(root, {"seq": last["seq"], "hash": last["hash"], "updated": 1})


def t_rewrite_all_head_seq_zero(root: Path) -> None:
    # The review's attack: rewrite the log (a fresh valid chain, fewer records), head {"seq":0}.
    kept = [_rec(line) for line in _lines(root)[:2]]
    _write_lines(root, _rechain(kept))
    _set_head(root, {"seq": 0})


def t_rewrite_all_consistent_head(root: Path) -> None:
    recs = _rechain([_rec(line) for line in _lines(root)[:4]])
    _write_lines(root, recs)
    last = _rec(recs[-1])
    _set_head(root, {"seq": last["seq"], "hash": last["hash"]})


def t_head_lower_seq(root: Path) -> None:
    rec = _rec(_lines(root)[2])
    _set_head(root, {"seq": rec["seq"], "hash": rec["hash"]})


def t_head_same_seq_other_hash(root: Path) -> None:
    _set_head(root, {"seq": N, "hash": "ab" * 32})


def t_head_higher_seq(root: Path) -> None:
    rec = _rec(_lines(root)[-1])
    _set_head(root, {"seq": N + 5, "hash": rec["hash"]})


def t_head_garbage(root: Path) -> None:
    _set_head(root, b"\x00\xff\xfe garbage \x80")


def t_head_empty(root: Path) -> None:
    _set_head(root, b"")


def t_head_array(root: Path) -> None:
    _set_head(root, [N, "x"])


def t_head_huge(root: Path) -> None:
    _set_head(root, {"seq": N, "hash": "0" * 64, "pad": "x" * 100_000})


def t_head_seq_string(root: Path) -> None:
    rec = _rec(_lines(root)[-1])
    _set_head(root, {"seq": str(N), "hash": rec["hash"]})


def t_head_seq_bool(root: Path) -> None:
    rec = _rec(_lines(root)[0])
    _set_head(root, {"seq": True, "hash": rec["hash"]})


def t_head_nested(root: Path) -> None:
    _set_head(root, b"[" * 1500 + b"]" * 1500)


def t_delete_head(root: Path) -> None:
    (root / "acme" / "decisions.head").unlink()


def t_delete_log(root: Path) -> None:
    (root / "acme" / "decisions.jsonl").unlink()


def t_delete_log_and_head(root: Path) -> None:
    (root / "acme" / "decisions.jsonl").unlink()
    (root / "acme" / "decisions.head").unlink()


def t_delete_tenant_dir(root: Path) -> None:
    import shutil

    shutil.rmtree(root / "acme")


def t_log_symlink(root: Path) -> None:
    log = root / "acme" / "decisions.jsonl"
    log.unlink()
    log.symlink_to(root / "globex" / "decisions.jsonl")


def t_head_symlink(root: Path) -> None:
    head = root / "acme" / "decisions.head"
    real = root / "acme-head-copy"
    real.write_bytes(head.read_bytes())
    head.unlink()
    head.symlink_to(real)


def t_tenant_dir_symlink(root: Path) -> None:
    import shutil

    shutil.rmtree(root / "acme")
    (root / "acme").symlink_to(root / "globex")


def t_torn_line(root: Path) -> None:
    with open(root / "acme" / "decisions.jsonl", "ab") as f:
        f.write(b'{"actor":"agent","decision_id":"x","resu')


def t_binary_garbage(root: Path) -> None:
    with open(root / "acme" / "decisions.jsonl", "ab") as f:
        f.write(b"\x00\x00\xff\xfe\x80\n")


def t_huge_line(root: Path) -> None:
    with open(root / "acme" / "decisions.jsonl", "ab") as f:
        f.write(b"A" * (2 * 1024 * 1024) + b"\n")


def t_nested_json_line(root: Path) -> None:
    with open(root / "acme" / "decisions.jsonl", "ab") as f:
        f.write(b"[" * 100_000 + b"]" * 100_000 + b"\n")


def t_lone_surrogate(root: Path) -> None:
    lines = _lines(root)
    rec = _rec(lines[1])
    lines[1] = _dump(rec).replace(b'"agent"', b'"\\ud800agent"')
    _write_lines(root, lines)


def t_moved_from_other_tenant(root: Path) -> None:
    other = _lines(root, "globex")
    _write_lines(root, [*_lines(root), other[-1]])


def t_unknown_schema(root: Path) -> None:
    rec = _rewrite_last(root, schema="evil/v9")
    _set_head(root, {"seq": rec["seq"], "hash": rec["hash"]})


def t_seq_bool_rehashed(root: Path) -> None:
    recs = [_rec(line) for line in _lines(root)]
    recs[0]["seq"] = True
    recs[0]["hash"] = record_hash(recs[0])
    recs[1]["prev_hash"] = recs[0]["hash"]
    recs[1]["hash"] = record_hash(recs[1])
    _write_lines(root, [_dump(r) for r in recs[:2]] + _lines(root)[2:])


def t_segments_not_a_dir(root: Path) -> None:
    (root / "acme" / "segments").write_text("not a directory")


TAMPERS: list[tuple[Callable[[Path], None], str]] = [
    (t_edit_field, "hash does not match"),
    (t_edit_field_and_rehash, "prev_hash does not link"),
    (t_edit_last_and_rehash, "differs from the last record"),
    (t_delete_middle, "missing or reordered"),
    (t_swap, "prev_hash does not link"),
    (t_replay, "seq 3 follows seq 6"),
    (t_truncate_last, "removed from the end"),
    (t_truncate_empty, "removed from the end"),
    (t_truncate_and_consistent_head, "head was moved back"),
    (t_rewrite_all_head_seq_zero, "no valid seq"),
    (t_rewrite_all_consistent_head, "head was moved back"),
    (t_head_lower_seq, "only moves forward"),
    (t_head_same_seq_other_hash, "differs from the last record"),
    (t_head_higher_seq, "removed from the end"),
    (t_head_garbage, "not JSON"),
    (t_head_empty, "is empty"),
    (t_head_array, "not a JSON object"),
    (t_head_huge, "longer than"),
    (t_head_seq_string, "no valid seq"),
    (t_head_seq_bool, "no valid seq"),
    (t_head_nested, "not JSON"),
    (t_delete_head, "decisions.head is missing"),
    (t_delete_log, "missing but the head says"),
    (t_delete_log_and_head, "no decisions.jsonl and no decisions.head"),
    (t_delete_tenant_dir, "directory is missing"),
    (t_log_symlink, "symlink"),
    (t_head_symlink, "cannot be read"),
    (t_tenant_dir_symlink, "is a symlink"),
    (t_torn_line, "truncated write"),
    (t_binary_garbage, "not a complete JSON record"),
    (t_huge_line, "longer than any record"),
    (t_nested_json_line, "not a complete JSON record"),
    (t_lone_surrogate, "hash does not match"),
    (t_moved_from_other_tenant, "in the log of tenant 'acme'"),
    (t_unknown_schema, "unknown schema"),
    (t_seq_bool_rehashed, "seq True follows seq 0"),
    (t_segments_not_a_dir, "segments/ is not a directory"),
]


def _errors(report: VerifyReport, tenant: str = "acme") -> list[str]:
    return report.tenants[tenant].errors if tenant in report.tenants else []


@pytest.mark.parametrize(("tamper", "expected"), TAMPERS, ids=[t.__name__ for t, _ in TAMPERS])
def test_every_tamper_variation_fails_verify(
    audit_dir: Path, tamper: Callable[[Path], None], expected: str
) -> None:
    tamper(audit_dir)
    report = verify(audit_dir)
    assert not report.ok
    errors = _errors(report)
    assert "acme" in report.tenants, report.to_json()
    assert any(expected in e for e in errors), errors
    # One line each, bounded, and the untouched tenant still verifies.
    assert all("\n" not in e and len(e) < 600 for e in errors)
    if tamper is not t_tenant_dir_symlink:
        assert report.tenants["globex"].ok, report.tenants["globex"].errors
    json.dumps(report.to_json())  # the report is always serialisable


@pytest.mark.parametrize(
    "tamper",
    [
        t_head_lower_seq,
        t_head_same_seq_other_hash,
        t_truncate_last,
        t_delete_head,
        t_head_garbage,
        t_delete_log,
        t_truncate_and_consistent_head,
        t_rewrite_all_consistent_head,
        t_log_symlink,
        t_huge_line,
    ],
)
def test_the_writer_refuses_to_append_on_a_tampered_log(
    audit_dir: Path, tamper: Callable[[Path], None]
) -> None:
    tamper(audit_dir)
    before = {p: p.read_bytes() for p in (audit_dir / "acme").glob("decisions.*") if p.is_file()}
    with pytest.raises(AuditWriteError, match="tampering|refusing|valid record|ELOOP|symbolic"):
        _append(DecisionLog(audit_dir, _Plain()), "acme", 99)
    after = {p: p.read_bytes() for p in (audit_dir / "acme").glob("decisions.*") if p.is_file()}
    assert after == before
    _append(DecisionLog(audit_dir, _Plain()), "globex", 99)  # other tenants keep working


def test_a_long_lived_writer_notices_a_full_rollback(tmp_path: Path) -> None:
    # Log, head and witness all rolled back consistently: only the process that wrote knows.
    root = tmp_path / "audit"
    log = DecisionLog(root, _Plain())
    snapshots = []
    for i in range(4):
        _append(log, "acme", i)
        snapshots.append({p.name: p.read_bytes() for p in (root / "acme").iterdir() if p.is_file()})
    for name, data in snapshots[1].items():
        (root / "acme" / name).write_bytes(data)
    assert verify(root).ok  # consistent from the files alone: the documented limit
    with pytest.raises(AuditWriteError, match="written by this process"):
        _append(log, "acme", 9)


def test_a_crash_between_record_and_head_is_not_fatal(audit_dir: Path) -> None:
    # Simulate the crash: a valid record appended, head and witness not yet moved.
    lines = _lines(audit_dir)
    last = _rec(lines[-1])
    extra = {**last, "seq": N + 1, "prev_hash": last["hash"], "decision_id": "crash"}
    extra["hash"] = record_hash({k: v for k, v in extra.items() if k != "hash"})
    _write_lines(audit_dir, [*lines, _dump(extra)])
    errors = _errors(verify(audit_dir))
    assert len(errors) == 1 and "one record behind" in errors[0]
    rec = _append(DecisionLog(audit_dir, _Plain()), "acme", 50)  # the writer moves forward
    assert rec["seq"] == N + 2 and verify(audit_dir).ok


def test_a_head_one_behind_is_repaired_by_seal(audit_dir: Path) -> None:
    lines = _lines(audit_dir)
    last = _rec(lines[-1])
    extra = {**last, "seq": N + 1, "prev_hash": last["hash"], "decision_id": "crash2"}
    extra["hash"] = record_hash({k: v for k, v in extra.items() if k != "hash"})
    _write_lines(audit_dir, [*lines, _dump(extra)])
    result = seal(audit_dir, "acme", sealed_by="test")
    assert result.action == "head-repaired"
    assert verify(audit_dir).ok


# ---- seal: the way forward after a torn write ---------------------------------------------------
def test_seal_keeps_the_torn_bytes_and_verify_passes_and_reports_it(audit_dir: Path) -> None:
    torn = b'{"actor":"agent","decision_id":"lost","resu'
    with open(audit_dir / "acme" / "decisions.jsonl", "ab") as f:
        f.write(torn)
    assert not verify(audit_dir).ok
    result = seal(audit_dir, "acme", sealed_by="oncall")
    assert result.action == "sealed" and result.record is not None
    segment = audit_dir / "acme" / result.record["sealed_segment"]
    data = segment.read_bytes()
    assert data.endswith(torn)  # the evidence, byte for byte
    assert result.record["sealed_sha256"] == hashlib.sha256(data).hexdigest()
    [entry] = result.record["torn"]
    assert entry["sha256"] == hashlib.sha256(torn).hexdigest() and entry["bytes"] == len(torn)
    report = verify(audit_dir)
    assert report.ok, report.to_json()
    [s] = report.tenants["acme"].seals
    assert s["torn_lines"] == 1 and s["sealed_by"] == "oncall" and s["seq"] == N + 1
    # The chain continues: new records link to the seal, and ingestion sees every decision.
    log = DecisionLog(audit_dir, _Plain())
    rec = _append(log, "acme", 7)
    assert rec["seq"] == N + 2 and rec["prev_hash"] == result.record["hash"]
    assert verify(audit_dir).ok
    ids = [r["decision_id"] for r in iter_records(audit_dir) if r["tenant_id"] == "acme"]
    assert len(ids) == N + 1 and all(r["chain_ok"] for r in iter_records(audit_dir))


def test_seal_after_the_writer_continued_past_a_torn_line(audit_dir: Path) -> None:
    with open(audit_dir / "acme" / "decisions.jsonl", "ab") as f:
        f.write(b"\x00\x00\x00")  # a crash on a filesystem that zero-fills
    log = DecisionLog(audit_dir, _Plain())
    _append(log, "acme", 10)
    _append(log, "acme", 11)
    errors = _errors(verify(audit_dir))
    assert len(errors) == 1 and "line 7" in errors[0] and "audit seal" in errors[0]
    assert seal(audit_dir, "acme").action == "sealed"
    assert verify(audit_dir).ok
    # A second torn write later gets its own segment; both seals stay on the record.
    with open(audit_dir / "acme" / "decisions.jsonl", "ab") as f:
        f.write(b'{"act')
    assert seal(audit_dir, "acme").action == "sealed"
    report = verify(audit_dir)
    assert report.ok and len(report.tenants["acme"].seals) == 2
    assert report.tenants["acme"].records == N + 2


@pytest.mark.parametrize(
    "tamper",
    [t_edit_field, t_delete_middle, t_truncate_last, t_huge_line, t_head_lower_seq, t_swap],
)
def test_seal_refuses_anything_a_crash_cannot_leave(
    audit_dir: Path, tamper: Callable[[Path], None]
) -> None:
    tamper(audit_dir)
    with open(audit_dir / "acme" / "decisions.jsonl", "ab") as f:
        f.write(b'{"torn')
    before = sorted((p.name, p.read_bytes()) for p in (audit_dir / "acme").iterdir() if p.is_file())
    with pytest.raises(SealError, match="refusing to seal"):
        seal(audit_dir, "acme")
    after = sorted((p.name, p.read_bytes()) for p in (audit_dir / "acme").iterdir() if p.is_file())
    assert after == before and not (audit_dir / "acme" / "segments").exists()


def test_seal_refuses_to_hide_an_acknowledged_record(audit_dir: Path) -> None:
    # The last complete record, which the head names, replaced by garbage: not a torn write.
    lines = _lines(audit_dir)
    lines[-1] = b'{"actor":"agent","resu\n'
    _write_lines(audit_dir, lines)
    with pytest.raises(SealError):
        seal(audit_dir, "acme")


def test_nothing_to_seal_on_a_good_log(audit_dir: Path) -> None:
    assert seal(audit_dir, "acme").action == "nothing-to-seal"
    assert not (audit_dir / "acme" / "segments").exists()


def _sealed(audit_dir: Path) -> Path:
    with open(audit_dir / "acme" / "decisions.jsonl", "ab") as f:
        f.write(b'{"torn')
    seal(audit_dir, "acme")
    _append(DecisionLog(audit_dir, _Plain()), "acme", 20)
    assert verify(audit_dir).ok
    return audit_dir / "acme" / "segments" / "000001.jsonl"


def test_tampering_with_a_sealed_segment_is_detected(audit_dir: Path) -> None:
    segment = _sealed(audit_dir)
    segment.write_bytes(segment.read_bytes().replace(b"docs/1", b"docs/X"))
    errors = _errors(verify(audit_dir))
    assert any("segments/000001.jsonl line 2" in e for e in errors), errors
    assert any("sealed_sha256 does not match" in e for e in errors), errors


def test_deleting_a_sealed_segment_is_detected(audit_dir: Path) -> None:
    _sealed(audit_dir).unlink()
    errors = _errors(verify(audit_dir))
    assert any("seal record that does not start" in e for e in errors), errors


def test_an_extra_file_in_segments_is_reported(audit_dir: Path) -> None:
    segment = _sealed(audit_dir)
    (segment.parent / "notes.txt").write_text("x")
    assert any("not a sealed segment" in e for e in _errors(verify(audit_dir)))


def test_an_interrupted_seal_is_resumed(audit_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open(audit_dir / "acme" / "decisions.jsonl", "ab") as f:
        f.write(b'{"torn')
    real = os.rename
    calls = []

    def crash_on_second(src: object, dst: object) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("simulated crash")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(audit_verify.os, "rename", crash_on_second)
    with pytest.raises(OSError):
        seal(audit_dir, "acme")
    monkeypatch.setattr(audit_verify.os, "rename", real)
    errors = _errors(verify(audit_dir))
    assert any("interrupted seal" in e for e in errors), errors
    with pytest.raises(AuditWriteError, match="missing after sealed segments"):
        _append(DecisionLog(audit_dir, _Plain()), "acme", 1)
    assert seal(audit_dir, "acme").action == "resumed"
    assert verify(audit_dir).ok


# ---- the CLI: one line, no traceback ------------------------------------------------------------
def _gonogo(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    base = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    return subprocess.run(
        [sys.executable, "-m", "gonogo", *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        cwd=cwd or REPO_ROOT,
        timeout=120,
    )


@pytest.mark.parametrize("tamper", [t_head_garbage, t_nested_json_line, t_huge_line, t_head_huge])
def test_cli_verify_reports_garbage_without_a_traceback(
    audit_dir: Path, tamper: Callable[[Path], None]
) -> None:
    tamper(audit_dir)
    proc = _gonogo("audit", "verify", "--audit-dir", str(audit_dir))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "acme: BROKEN" in proc.stdout and "globex: ok" in proc.stdout
    proc = _gonogo("audit", "verify", "--audit-dir", str(audit_dir), "--json")
    assert proc.returncode == 1 and json.loads(proc.stdout)["ok"] is False


def test_cli_seal_then_verify(audit_dir: Path) -> None:
    with open(audit_dir / "acme" / "decisions.jsonl", "ab") as f:
        f.write(b'{"torn')
    assert _gonogo("audit", "verify", "--audit-dir", str(audit_dir)).returncode == 1
    proc = _gonogo("audit", "seal", "--tenant", "acme", "--audit-dir", str(audit_dir))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("acme: sealed: 1 torn line(s) kept in segments/000001.jsonl")
    proc = _gonogo("audit", "verify", "--audit-dir", str(audit_dir))
    assert proc.returncode == 0, proc.stdout
    assert "sealed at seq 7" in proc.stdout
    refused = _gonogo("audit", "seal", "--tenant", "Not A Tenant", "--audit-dir", str(audit_dir))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1


def test_cli_seal_refuses_tampering_with_one_line(audit_dir: Path) -> None:
    t_edit_field(audit_dir)
    proc = _gonogo("audit", "seal", "--tenant", "acme", "--audit-dir", str(audit_dir))
    assert proc.returncode == 1 and "refusing to seal" in proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


# ---- state directories never inside a workspace -------------------------------------------------
def _layout(tmp_path: Path) -> tuple[Path, Path]:
    ws = tmp_path / "project"
    (ws / "src").mkdir(parents=True)
    return ws, tmp_path


@pytest.mark.parametrize(
    "home_spec",
    [
        "{ws}/.gonogo",  # the CLI default with --workspace .
        "{ws}",  # the workspace itself
        "{ws}/src/../.state",  # reached through ..
        "{root}/elsewhere/../project/.gonogo",  # .. from outside
        "{root}/link-home",  # a symlink that lands inside the workspace
        "{root}/link-ws/.gonogo",  # through a symlink to the workspace
        "{ws}/deep/er/state",  # any depth
    ],
)
def test_state_dir_inside_the_workspace_is_refused(tmp_path: Path, home_spec: str) -> None:
    from gonogo.wiring import build_agent

    ws, root = _layout(tmp_path)
    (root / "link-home").symlink_to(ws / "hidden-state")
    (root / "link-ws").symlink_to(ws)
    home = Path(home_spec.format(ws=ws, root=root))
    assert state_dir_conflict([home], ws) is not None
    with pytest.raises(StateInWorkspaceError, match="inside the workspace"):
        build_agent(Settings(home=home), workspace=ws)
    assert not (ws / ".gonogo").exists()


@pytest.mark.parametrize(
    "ws_spec",
    [
        "{root}",  # a workspace that contains the state directory
        "{root}/link-root",  # the same through a symlink
        "{root}/project/..",  # the same through ..
    ],
)
def test_a_workspace_containing_the_state_dir_is_refused(tmp_path: Path, ws_spec: str) -> None:
    from gonogo.wiring import build_agent

    ws, root = _layout(tmp_path)
    (root / "link-root").symlink_to(root)
    home = root / "state"
    with pytest.raises(StateInWorkspaceError):
        build_agent(Settings(home=home), workspace=Path(ws_spec.format(root=root)))


def test_state_beside_or_above_the_workspace_is_fine(tmp_path: Path) -> None:
    ws, root = _layout(tmp_path)
    assert state_dir_conflict([root / "project-state"], ws) is None  # a prefix is not a parent
    assert state_dir_conflict([root / "state"], ws) is None
    # The embedded default keeps tenant workspaces under the home: that direction is safe.
    home = root / "home"
    settings = Settings(home=home)
    roots = (settings.workspaces_dir,)
    assert state_dir_conflict(settings.state_dirs, home / "workspaces" / "acme", roots) is None


@pytest.mark.parametrize(
    "ws_spec",
    [
        "{home}/audit/acme",  # the tenant's own records (third red-team pass)
        "{home}/audit",  # every tenant's records
        "{home}/spool",  # telemetry
        "{home}/evidence",
        "{home}/cache/policy",  # a compiled-policy cache
        "{home}/secrets",  # inside the home, not under workspaces/
        "{home}/workspaces",  # every tenant's workspace at once
        "{home}/workspaces/../audit/acme",  # through ..
        "{root}/link-records",  # a symlink to audit/acme
        "{home}/workspaces/acme/../../audit",  # .. out of a per-tenant workspace
    ],
)
def test_a_workspace_inside_a_state_dir_is_refused(tmp_path: Path, ws_spec: str) -> None:
    from gonogo.wiring import build_agent

    _, root = _layout(tmp_path)
    home = root / "home"
    settings = Settings(home=home).ensure()
    for d in ("audit/acme", "cache/policy", "secrets", "workspaces/acme"):
        (home / d).mkdir(parents=True, exist_ok=True)
    (root / "link-records").symlink_to(home / "audit" / "acme")
    ws = Path(ws_spec.format(home=home, root=root))
    roots = (settings.workspaces_dir,)
    assert state_dir_conflict(settings.state_dirs, ws, roots) is not None
    with pytest.raises(StateInWorkspaceError, match="inside the state directory"):
        build_agent(settings, workspace=ws)


def test_a_workspace_inside_the_audit_dir_is_refused_by_effect(tmp_path: Path) -> None:
    # Third pass: `--workspace $GONOGO_HOME/audit/acme` ran, the sandbox handed the log to the
    # tenant's uid and a sandboxed `head -3 … && mv` truncated it. Now the CLI refuses it
    # (exit 2, one line), runs nothing and leaves the records as they were.
    home = tmp_path / "home"
    env = {"GONOGO_HOME": str(home)}
    first = _gonogo("agent", "exec", "--tenant", "acme", "--role", "contributor", "--workspace",
                    str(tmp_path), "--", "true", env={**env, "GONOGO_HOME": str(home)})  # fmt: skip
    assert first.returncode == 2  # the workspace holds the home: refused as before
    ws = tmp_path / "ws"
    ws.mkdir()
    ok = _gonogo("agent", "exec", "--tenant", "acme", "--role", "contributor", "--workspace",
                 str(ws), "--", "true", env=env)  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    records = home / "audit" / "acme"
    before = {p.name: (p.stat().st_uid, p.read_bytes()) for p in records.iterdir()}
    for target in (records, home / "audit", records.parent.parent / "spool"):
        proc = _gonogo("agent", "exec", "--tenant", "acme", "--role", "contributor",
                       "--workspace", str(target), "--", "sh", "-c", ": > decisions.jsonl",
                       env=env)  # fmt: skip
        assert proc.returncode == 2, (target, proc.stderr)
        assert "inside the state directory" in proc.stderr and proc.stderr.count("\n") == 1
    after = {p.name: (p.stat().st_uid, p.read_bytes()) for p in records.iterdir()}
    assert after == before
    assert _gonogo("audit", "verify", env=env).returncode == 0


def test_a_bind_mount_of_the_records_is_no_way_in(tmp_path: Path) -> None:
    # The workspace is a bind mount of audit/acme: its path is nowhere under the home.
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is not installed")
    home = tmp_path / "home"
    (home / "audit" / "acme").mkdir(parents=True)
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    probe = (
        "from enforcement_agent.audit import state_dir_conflict;"
        f"print(state_dir_conflict([{str(home)!r}, {str(home / 'audit')!r}], {str(mnt)!r},"
        f" [{str(home / 'workspaces')!r}]) is not None)"
    )
    assert _in_bind_mount(home / "audit" / "acme", mnt, probe) == "True"


def test_the_agent_refuses_a_call_whose_workspace_holds_its_state(tmp_path: Path) -> None:
    # Checked on every call too: a per-tenant workspace that became a link to the state's parent.
    from gonogo.wiring import build_agent

    home = tmp_path / "home"
    agent = build_agent(Settings(home=home))
    try:
        ws = tmp_path / "ws-link"
        ws.symlink_to(tmp_path)
        req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command="ls")
        decision = agent.authorize(req, workspace=ws)
        assert decision.decision is Verdict.DENY and decision.rule == "state-in-workspace"
        result = agent.handle(req, workspace=ws)
        assert result.outcome.value == "denied" and result.decision.rule == "state-in-workspace"
        assert not (home / "audit" / "acme").exists()  # nothing recorded in a reachable log
    finally:
        agent.telemetry.shutdown()


def test_cli_entries_refuse_a_state_dir_inside_the_workspace(tmp_path: Path) -> None:
    ws, _ = _layout(tmp_path)
    marker = ws / "ran.txt"
    # GONOGO_HOME unset: the default ./.gonogo with --workspace . is inside the workspace.
    proc = _gonogo("agent", "exec", "--tenant", "acme", "--role", "contributor", "--workspace",
                   ".", "--", "touch", "ran.txt", cwd=ws)  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "inside the workspace" in proc.stderr and proc.stderr.count("\n") == 1
    assert not marker.exists() and not (ws / ".gonogo").exists()
    for sub in (["agent", "read"], ["agent", "list"]):
        proc = _gonogo(*sub, "--tenant", "acme", "--role", "viewer", "--workspace", ".", "src",
                       cwd=ws)  # fmt: skip
        assert proc.returncode == 2 and "inside the workspace" in proc.stderr
    proc = _gonogo("mcp", "serve", "--tenant", "acme", "--role", "viewer", "--workspace", ".",
                   cwd=ws)  # fmt: skip
    assert proc.returncode == 2 and "inside the workspace" in proc.stderr
    proc = _gonogo("serve", "--insecure-dev", "--tenant", "acme", "--role", "viewer",
                   "--workspace", ".", cwd=ws)  # fmt: skip
    assert proc.returncode == 2 and "inside the workspace" in proc.stderr
    assert not (ws / ".gonogo").exists()


@pytest.mark.parametrize("part", ["audit", "spool", "evidence", "cache", "gonogo.duckdb"])
def test_a_state_part_linked_into_the_workspace_is_refused(tmp_path: Path, part: str) -> None:
    # The home is outside, but one of its parts is a symlink into the workspace: a forged
    # compiled-policy cache or evidence file would be as bad as a rewritten log.
    from gonogo.wiring import build_agent

    ws, root = _layout(tmp_path)
    home = root / "home"
    home.mkdir()
    (ws / "planted").mkdir()
    (home / part).symlink_to(ws / "planted")
    with pytest.raises(StateInWorkspaceError, match="inside the workspace"):
        build_agent(Settings(home=home), workspace=ws)


def test_a_bind_mount_of_the_workspace_is_no_way_around_it(tmp_path: Path) -> None:
    # The workspace is a bind mount of the directory that holds the state: paths differ,
    # the directory is the same (device and inode). Run in a private mount namespace.
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is not installed")
    real = tmp_path / "real"
    (real / "state").mkdir(parents=True)
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    probe = (
        "from enforcement_agent.audit import state_dir_conflict;"
        f"print(state_dir_conflict([{str(real / 'state')!r}], {str(mnt)!r}) is not None)"
    )
    assert _in_bind_mount(real, mnt, probe) == "True"


def _in_bind_mount(source: Path, mnt: Path, probe: str) -> str:
    """What ``probe`` (Python) prints in a private mount namespace where ``source`` is bound
    at ``mnt``; a skip where this machine cannot bind-mount."""
    proc = subprocess.run(
        ["unshare", "-m", "sh", "-c",
         f"mount --bind {source} {mnt} && exec {sys.executable} -c \"{probe}\""],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=60,
    )  # fmt: skip
    if proc.returncode != 0 and "mount" in proc.stderr:
        pytest.skip(f"cannot bind-mount here: {proc.stderr.strip()[:200]}")
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_a_crash_while_creating_a_tenant_leaves_nothing_to_report(audit_dir: Path) -> None:
    # A new tenant directory appears whole (log and lock inside) by one rename; a crash before
    # it leaves only a staging directory, which is not a tenant.
    staging = audit_dir / ".new-initech-4242-abcdef"
    staging.mkdir()
    (staging / "decisions.jsonl").touch()
    report = verify(audit_dir)
    assert report.ok and "initech" not in report.tenants
    _append(DecisionLog(audit_dir, _Plain()), "initech", 1)
    assert verify(audit_dir).ok
    assert (audit_dir / ".tenants").read_text().split() == ["acme", "globex", "initech"]


def test_verify_during_concurrent_writes_never_reports_a_false_problem(tmp_path: Path) -> None:
    import threading

    root = tmp_path / "audit"
    log = DecisionLog(root, _Plain())
    _append(log, "acme", 0)
    stop = threading.Event()

    def writer(k: int) -> None:
        i = 0
        while not stop.is_set() and i < 150:
            _append(log, "acme", k * 1000 + i)
            i += 1

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    reports = []
    try:
        while any(t.is_alive() for t in threads):
            reports.append(verify(root))
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert reports and all(r.ok for r in reports), [r.to_json() for r in reports if not r.ok][:1]
    assert verify(root).tenants["acme"].records == 451


# ---- fourth pass (2026-12-03): a line's bytes, not only its parsed record ------------------
# The chain hashes the parsed record, so bytes that parse to the same record passed `verify`:
# a duplicate key placed first (`{"result":"deny",…,"result":"allow"}`: a first-wins reader
# sees the other verdict), blanks, `\u` escapes, a CR. The writer writes each record's canonical
# JSON; any other spelling is an edit now.
def _edit_line(root: Path, edit: Callable[[bytes], bytes], index: int = 1) -> None:
    lines = _lines(root)
    lines[index] = edit(lines[index].rstrip(b"\n")) + b"\n"
    _write_lines(root, lines)


FOURTH_PASS_SPELLINGS: list[tuple[str, Callable[[bytes], bytes]]] = [
    ("duplicate key first", lambda b: b.replace(b"{", b'{"result":"deny",', 1)),
    ("duplicate key last", lambda b: b[:-1] + b',"result":"deny"}'),
    ("duplicate actor", lambda b: b.replace(b"{", b'{"actor":"someone-else",', 1)),
    ("blank after brace", lambda b: b.replace(b"{", b"{ ", 1)),
    ("blank after colon", lambda b: b.replace(b":", b": ", 1)),
    ("trailing blank", lambda b: b + b" "),
    ("carriage return", lambda b: b + b"\r"),
    ("unicode escape", lambda b: b.replace(b'"ls ', b'"l\\u0073 ', 1)),
    ("escaped slash", lambda b: b.replace(b"docs/", b"docs\\/", 1)),
    ("keys reordered", lambda b: _dump_unsorted(b)),
    (
        "ascii-escaped",
        lambda b: (
            json.dumps(json.loads(b), sort_keys=True, separators=(",", ":"))
            .encode()
            .replace(b"a", b"\\u0061", 1)
        ),
    ),
    ("float spelled differently", lambda b: b.replace(b'"eval_us":0.0', b'"eval_us":0.00', 1)),
]


def _dump_unsorted(line: bytes) -> bytes:
    rec = json.loads(line)
    return json.dumps(
        dict(reversed(list(rec.items()))), separators=(",", ":"), ensure_ascii=False
    ).encode()


@pytest.mark.parametrize(
    ("name", "edit"), FOURTH_PASS_SPELLINGS, ids=[n for n, _ in FOURTH_PASS_SPELLINGS]
)
def test_fourth_pass_other_spellings_of_a_record_fail_verify(
    audit_dir: Path, name: str, edit: Callable[[bytes], bytes]
) -> None:
    before = _lines(audit_dir)[1]
    _edit_line(audit_dir, edit)
    after = _lines(audit_dir)[1]
    if after == before:
        pytest.skip(f"{name}: the edit does not apply to this record")
    report = verify(audit_dir)
    assert not report.ok, name
    problems = report.tenants["acme"].errors
    assert any("canonical" in p or "hash" in p or "JSON" in p for p in problems), problems


def test_fourth_pass_a_first_wins_reader_sees_another_verdict(audit_dir: Path) -> None:
    """Why it matters: the same line read by a parser that keeps the first of two keys."""
    _edit_line(audit_dir, lambda b: b.replace(b"{", b'{"result":"deny",', 1))
    line = _lines(audit_dir)[1]
    first_wins = json.loads(line, object_pairs_hook=lambda pairs: dict(reversed(pairs)))
    last_wins = json.loads(line)
    assert first_wins["result"] == "deny" and last_wins["result"] != "deny"
    assert not verify(audit_dir).ok


def test_fourth_pass_untouched_logs_still_verify(audit_dir: Path) -> None:
    assert verify(audit_dir).ok
    log = DecisionLog(audit_dir, _Plain())
    for i in range(3):
        _append(log, "acme", 100 + i)
    assert verify(audit_dir).ok


# ---- fifth pass (2026-12-03): a FIFO in place of a state file -------------------------------
# `verify` refused a FIFO in place of the log, but opened the head, the witness, the lock and
# the `.tenants` registry with a blocking `open`: a FIFO there made `verify` (and the writer,
# so every decision) wait forever for a writer that never comes, and a verify that never
# answers hides every other edit. Each file is now opened non-blocking and must be a regular
# file; `verify` reports it within the timeout below and the writer refuses to append.
FIFTH_PASS_FIFOS = [
    "acme/decisions.head",
    "acme/.witness",
    "acme/.lock",
    "acme/decisions.jsonl",
    ".tenants",
]


def _verify_in_a_child(root: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys; from pathlib import Path; from enforcement_agent.audit import verify; "
        f"r = verify(Path({str(root)!r})); print('OK' if r.ok else 'FAIL', r.to_json())"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=20, cwd=REPO_ROOT
    )


@pytest.mark.parametrize("name", FIFTH_PASS_FIFOS)
def test_fifth_pass_a_fifo_in_place_of_a_state_file_fails_verify_at_once(
    audit_dir: Path, name: str
) -> None:
    target = audit_dir / name
    target.unlink()
    os.mkfifo(target)
    out = _verify_in_a_child(audit_dir)  # a hang raises TimeoutExpired
    assert out.returncode == 0, out.stderr[-500:]
    if name == ".tenants":
        # the registry is only a cross-check: unreadable, it is a reported problem
        assert "not a regular file" in out.stdout or out.stdout.startswith("FAIL"), out.stdout
    else:
        assert out.stdout.startswith("FAIL"), out.stdout
        assert "regular file" in out.stdout, out.stdout[:500]


@pytest.mark.parametrize("name", ["acme/decisions.jsonl", "acme/.lock", "acme/decisions.head"])
def test_fifth_pass_the_writer_refuses_a_fifo_instead_of_waiting(
    audit_dir: Path, name: str
) -> None:
    target = audit_dir / name
    target.unlink()
    os.mkfifo(target)
    code = (
        "import sys; from pathlib import Path\n"
        "from enforcement_agent.audit import DecisionLog\n"
        "from enforcement_agent.models import Decision, ToolRequest, Verdict\n"
        "class P:\n    def redact_text(self, t): return t\n"
        f"log = DecisionLog(Path({str(audit_dir)!r}), P())\n"
        "req = ToolRequest(tenant='acme', actor='a', role='contributor', tool='exec', command='ls')\n"
        "try:\n    log.append(req, Decision(Verdict.ALLOW, 'r', 'ok', 'd-fifo', 'v'))\n"
        "except Exception as e:\n    print('REFUSED', type(e).__name__)\n"
        "else:\n    print('APPENDED')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=20, cwd=REPO_ROOT
    )
    assert out.stdout.startswith("REFUSED"), (out.stdout, out.stderr[-500:])
