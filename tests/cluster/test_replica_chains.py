"""Per-replica decision chains: one writer per chain, proven across real processes.

Gateway replicas sharing a state directory each write ``audit/<tenant>/<replica>/``. The
writer holds the chain's ``.writer`` lock for its whole life, so a second process with the same
replica id is refused (its call is denied: no record, no action) while the first lives, and
takes over once it has exited. ``verify`` checks every chain of a tenant together: tampering,
records moved between chains, a deleted chain, a wrong replica id.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.audit import (
    AuditWriteError,
    DecisionLog,
    iter_records,
    record_hash,
    seal,
    verify,
)
from enforcement_agent.models import Decision, ToolRequest, Verdict
from gonogo.config import REPO_ROOT

pytestmark = pytest.mark.cluster


class _Plain:
    def redact_text(self, text: str) -> str:
        return text


def _append(log: DecisionLog, tenant: str, i: int) -> dict:
    req = ToolRequest(tenant=tenant, actor="agent", role="contributor", tool="exec",
                      command=f"ls docs/{i}")  # fmt: skip
    dec = Decision(Verdict.ALLOW, "exec.allow.inspect", "ok", f"{tenant}-{i}-{os.urandom(6).hex()}",
                   "rev1")  # fmt: skip
    return log.append(req, dec)


def _writer(
    root: str, replica: str, tenants: list[str], n: int, out: multiprocessing.Queue
) -> None:
    log = DecisionLog(root, _Plain(), replica=replica)
    written = 0
    errors: list[str] = []
    for i in range(n):
        for tenant in tenants:
            try:
                _append(log, tenant, i)
                written += 1
            except AuditWriteError as exc:
                errors.append(str(exc))
    out.put((replica, written, errors))


def _run_writers(root: Path, plan: list[tuple[str, list[str], int]]) -> list[tuple]:
    ctx = multiprocessing.get_context("spawn")
    q = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(str(root), r, t, n, q)) for r, t, n in plan]
    for p in procs:
        p.start()
    results = [q.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return sorted(results)


def test_two_replicas_in_two_processes_write_separate_chains_that_verify(tmp_path: Path) -> None:
    root = tmp_path / "audit"
    results = _run_writers(root, [("r1", ["acme", "globex"], 25), ("r2", ["acme", "globex"], 25)])
    assert [(r, w, e) for r, w, e in results] == [("r1", 50, []), ("r2", 50, [])]
    report = verify(root)
    assert report.ok, report.to_json()
    for tenant in ("acme", "globex"):
        tv = report.tenants[tenant]
        assert sorted(tv.replicas) == ["r1", "r2"]
        assert tv.records == 50
        assert all(r.records == 25 and r.last_seq == 25 for r in tv.replicas.values())
        assert not (root / tenant / "decisions.jsonl").exists()  # no shared chain
        assert (root / tenant / ".replicas").read_text().split() in (["r1", "r2"], ["r2", "r1"])
    recs = list(iter_records(root))
    assert len(recs) == 100 and all(r["chain_ok"] for r in recs)
    assert {(r["tenant_id"], r["replica_id"]) for r in recs} == {
        (t, r) for t in ("acme", "globex") for r in ("r1", "r2")
    }
    assert len({r["decision_id"] for r in recs}) == 100


def test_a_second_process_with_the_same_replica_id_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "audit"
    holder = DecisionLog(root, _Plain(), replica="r1")
    _append(holder, "acme", 0)  # this process now holds acme/r1
    results = _run_writers(root, [("r1", ["acme"], 3), ("r2", ["acme"], 3)])
    (r1, w1, e1), (r2, w2, e2) = results
    assert (r1, w1, len(e1)) == ("r1", 0, 3)
    assert all("another writer" in e and f"pid {os.getpid()}" in e for e in e1)
    assert (r2, w2, e2) == ("r2", 3, [])
    _append(holder, "acme", 1)  # the holder goes on
    report = verify(root)
    assert report.ok
    assert report.tenants["acme"].replicas["r1"].records == 2


def test_the_chain_is_taken_over_once_its_writer_has_exited(tmp_path: Path) -> None:
    root = tmp_path / "audit"
    code = (
        "import sys; sys.path.insert(0, sys.argv[2]);"
        "from tests.cluster.test_replica_chains import _Plain, _append;"
        "from enforcement_agent.audit import DecisionLog;"
        "log = DecisionLog(sys.argv[1], _Plain(), replica='r1');"
        "[_append(log, 'acme', i) for i in range(4)]"
    )
    for _ in range(2):  # the second process continues the chain the first left
        subprocess.run([sys.executable, "-c", code, str(root), str(REPO_ROOT)], check=True)
    report = verify(root)
    assert report.ok
    assert report.tenants["acme"].replicas["r1"].last_seq == 8


def test_one_process_with_two_logs_of_one_replica_shares_its_hold(tmp_path: Path) -> None:
    root = tmp_path / "audit"
    a, b = DecisionLog(root, _Plain(), replica="r1"), DecisionLog(root, _Plain(), replica="r1")
    for i in range(3):
        _append(a, "acme", i)
        _append(b, "acme", 10 + i)
    assert verify(root).tenants["acme"].replicas["r1"].last_seq == 6


@pytest.mark.parametrize("bad", ["", "R1", "-r", "a/b", "..", "segments", "x" * 33, "r 1"])
def test_invalid_replica_ids_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError):
        DecisionLog(tmp_path, _Plain(), replica=bad)


# ---- tampering across chains ----------------------------------------------------------------
@pytest.fixture
def chains(tmp_path: Path) -> Path:
    root = tmp_path / "audit"
    results = _run_writers(root, [("r1", ["acme"], 5), ("r2", ["acme"], 5)])
    assert all(not e for _, _, e in results)
    assert verify(root).ok
    return root


def _log(root: Path, replica: str) -> Path:
    return root / "acme" / replica / "decisions.jsonl"


def _cli_verify(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gonogo", "audit", "verify", "--audit-dir", str(root)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )


def _rewrite(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(edit(lines)))


def test_a_record_edited_in_one_replica_chain_breaks_only_that_chain(chains: Path) -> None:
    def edit(lines: list[bytes]) -> list[bytes]:
        rec = json.loads(lines[2])
        rec["result"] = "deny"
        lines[2] = json.dumps(rec).encode() + b"\n"
        return lines

    _rewrite(_log(chains, "r2"), edit)
    tv = verify(chains).tenants["acme"]
    assert not tv.ok and tv.replicas["r1"].ok and not tv.replicas["r2"].ok
    done = _cli_verify(chains)
    assert done.returncode == 1
    assert "acme/r2: BROKEN" in done.stdout and "acme/r1: ok" in done.stdout


def test_a_record_moved_to_another_replica_chain_is_found(chains: Path) -> None:
    # Appended at the end of r2 with its chain fields made to fit: only its replica id betrays it.
    last = json.loads(_log(chains, "r2").read_bytes().splitlines()[-1])
    moved = json.loads(_log(chains, "r1").read_bytes().splitlines()[0])
    moved.update(seq=last["seq"] + 1, prev_hash=last["hash"])
    moved["hash"] = record_hash(moved)
    with _log(chains, "r2").open("ab") as f:
        f.write(json.dumps(moved).encode() + b"\n")
    (chains / "acme" / "r2" / "decisions.head").write_text(
        json.dumps({"seq": moved["seq"], "hash": moved["hash"]})
    )
    (chains / "acme" / "r2" / ".witness").unlink()
    errors = verify(chains).tenants["acme"].replicas["r2"].errors
    assert any("replica_id 'r1' in the chain of replica 'r2'" in e for e in errors), errors


def test_replica_id_rewritten_consistently_is_still_found(chains: Path) -> None:
    # A whole chain rewritten (hashes recomputed) under another replica's name.
    src = chains / "acme" / "r1"
    dst = chains / "acme" / "r3"
    shutil.copytree(src, dst)
    assert any("replica_id 'r1' in the chain of replica 'r3'" in e for e in
               verify(chains).tenants["acme"].replicas["r3"].errors)  # fmt: skip


def test_a_deleted_replica_chain_is_reported(chains: Path) -> None:
    shutil.rmtree(chains / "acme" / "r1")
    tv = verify(chains).tenants["acme"]
    assert not tv.ok
    assert any("replica r1 is registered" in e and "missing" in e for e in tv.errors)


def test_a_truncated_replica_chain_is_reported(chains: Path) -> None:
    _rewrite(_log(chains, "r1"), lambda lines: lines[:-2])
    errors = verify(chains).tenants["acme"].replicas["r1"].errors
    assert any("records were removed from the end" in e for e in errors), errors


def test_writer_refuses_a_tampered_replica_chain(chains: Path) -> None:
    _rewrite(_log(chains, "r1"), lambda lines: lines[:-1])
    log = DecisionLog(chains, _Plain(), replica="r1")
    with pytest.raises(AuditWriteError, match="tampering suspected"):
        _append(log, "acme", 99)
    _append(DecisionLog(chains, _Plain(), replica="r2"), "acme", 99)  # the other chain goes on


def test_a_torn_replica_chain_is_sealed_per_replica(chains: Path) -> None:
    with _log(chains, "r1").open("ab") as f:
        f.write(b'{"schema": "gonogo.decision/v1", "seq": 6, "torn')
    assert not verify(chains).ok
    result = seal(chains, "acme", replica="r1")
    assert result.action == "sealed" and result.record is not None
    assert result.record["replica_id"] == "r1"
    report = verify(chains)
    assert report.ok, report.to_json()
    assert report.tenants["acme"].replicas["r1"].seals
    # The sealed chain keeps its writer: a new process of r1 continues after the seal.
    _append(DecisionLog(chains, _Plain(), replica="r1"), "acme", 7)
    assert verify(chains).ok


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.sampled_from(["r1", "r2", "r3"]), st.sampled_from(["acme", "b"])),
                min_size=1, max_size=30))  # fmt: skip
def test_any_interleaving_of_replicas_and_tenants_verifies(
    tmp_path_factory: pytest.TempPathFactory, plan: list[tuple[str, str]]
) -> None:
    root = tmp_path_factory.mktemp("interleave") / "audit"
    logs = {r: DecisionLog(root, _Plain(), replica=r) for r in ("r1", "r2", "r3")}
    for i, (replica, tenant) in enumerate(plan):
        _append(logs[replica], tenant, i)
    report = verify(root)
    assert report.ok
    for tenant in {t for _, t in plan}:
        got = {r: tv.records for r, tv in report.tenants[tenant].replicas.items()}
        want: dict[str, int] = {}
        for r, t in plan:
            if t == tenant:
                want[r] = want.get(r, 0) + 1
        assert got == want
