"""Issue 12 item 6: disk full on each directory. Enforcement fails closed, and nothing about
it is lost or silent: spans wait in memory for the disk, a full spool is counted (metric,
completeness check), an allowed call that could not act gets an outcome record, and the
store and the redaction key are created atomically (an empty file left by a crash is
explained and replaced).

The store's disk and the empty files a crash leaves are in ``test_disk_full_store.py``
(split so two workers of ``--dist loadfile`` share the two modules)."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.faults.conftest import Home, fill, serve, tmpfs, workload


def _metric(url: str, name: str) -> float:
    text = httpx.get(f"{url}/metrics", timeout=30).text
    values = [
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(name + "{") or line.startswith(name + " ")
    ]
    return sum(values)


def test_a_full_disk_denies_every_call_and_keeps_every_span(
    gonogo_home: Home, evidence: Callable[..., None]
) -> None:
    with tmpfs(gonogo_home.home, "8m"):
        ws = gonogo_home.workspace()
        ws.mkdir(parents=True)
        (ws / "notes.txt").write_text("release notes\n")
        server = serve(gonogo_home)
        before = [server.call(b).json() for b in workload(8)]
        assert all(r["outcome"] != "error" for r in before)
        filler = fill(gonogo_home.home)
        during = [server.call(b).json() for b in workload(12)]
        # Fail closed: no record could be written, so nothing acted.
        assert {r["decision"]["rule"] for r in during} == {"no-decision-record"}
        assert _metric(server.url, "gonogo_spool_write_errors_total") > 0
        assert _metric(server.url, "gonogo_spool_spans_buffered") > 0
        filler.unlink()  # space comes back: the buffered spans are written by the timer
        deadline = time.monotonic() + 60
        while _metric(server.url, "gonogo_spool_spans_buffered") > 0:
            assert time.monotonic() < deadline, "buffered spans were not written"
            time.sleep(0.5)
        assert _metric(server.url, "gonogo_spool_spans_dropped_total") == 0
        server.proc.send_signal(signal.SIGTERM)
        server.proc.wait(timeout=60)
        assert gonogo_home.spool_spans() == 20
        res = json.loads(gonogo_home.ingest().stdout)
        denials = gonogo_home.one(
            "SELECT count(*) FROM tool_calls WHERE rule = 'no-decision-record'"
        )
        assert denials == 12 and res["telemetry"]["missing"] == 0
        evidence(
            "home disk full during calls",
            written=20,
            ingested=gonogo_home.one("SELECT count(*) FROM tool_calls"),
            denied_no_record=denials,
        )


def test_a_full_spool_is_never_silent(gonogo_home: Home, evidence: Callable[..., None]) -> None:
    """A one-shot call whose span cannot be written says so, and the loss is counted."""
    with tmpfs(gonogo_home.spool, "64k"):
        filler = fill(gonogo_home.spool)
        res = gonogo_home.run(
            "agent", "exec", "--tenant", "acme", "--role", "contributor",
            "--workspace", str(gonogo_home.workspace()), "--", "rm", "-rf", "/",
        )  # fmt: skip
        assert res.returncode == 126  # the call's own answer is unchanged
        assert "spool" in res.stderr and "lost" in res.stderr
        filler.unlink()
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    out = gonogo_home.run(
        "pipeline", "run", "--json", "--now", later,
        *(a for k in ("spool_ingest", "decision_records", "telemetry_completeness") for a in ("--select", k)),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["telemetry"]["missing"] == 1
    assert summary["checks"]["telemetry_completeness:no_spans_lost"] is False
    evidence("spool disk full (one-shot call): loss counted", written=1, ingested=0, accounted=1)


def test_an_allowed_write_refused_by_a_full_workspace_has_an_outcome_record(
    gonogo_home: Home, evidence: Callable[..., None]
) -> None:
    ws = gonogo_home.workspace()
    with tmpfs(ws, "64k"):
        (ws / "notes.txt").write_text("x\n")
        filler = fill(ws)
        server = serve(gonogo_home)
        r = server.call({"tool": "write", "path": "new.txt", "payload": "y" * 4096}).json()
        assert r["decision"]["decision"] == "allow" and r["outcome"] == "error"
        server.proc.send_signal(signal.SIGTERM)
        server.proc.wait(timeout=60)
        filler.unlink()
    records = gonogo_home.records()
    [outcome] = [x for x in records if x.get("record") == "outcome"]
    assert outcome["outcome_of"] == r["decision"]["decision_id"] and outcome["outcome"] == "error"
    gonogo_home.ingest()
    rows = gonogo_home.query("SELECT outcome_of, outcome, chain_ok FROM decision_outcomes")
    assert rows == [(r["decision"]["decision_id"], "error", True)]
    assert gonogo_home.one("SELECT count(*) FROM decision_records") == 1  # records = decisions
    evidence("workspace disk full: outcome recorded", written=1, ingested=1, outcome_records=1)


@pytest.mark.parametrize("where", ["in the record", "in the head"])
def test_a_decision_record_cut_short_by_a_full_disk_is_taken_back(
    tmp_path: Path, where: str
) -> None:
    """The disk fills in the middle of a record (a short write, then ENOSPC) or after it, when
    the head is replaced: the call is refused, the record is taken back whole, and once there
    is room the chain goes on and verifies, with no gap, no torn line and no litter."""
    import os

    from enforcement_agent.audit import AuditWriteError, DecisionLog, verify
    from enforcement_agent.models import Decision, ToolRequest, Verdict

    class Plain:
        def redact_text(self, text: str) -> str:
            return text

    def append(log: DecisionLog, i: int, pad: int = 0) -> dict:
        req = ToolRequest(tenant="acme", actor="agent", role="contributor", tool="exec",
                          command=f"ls docs/{i}" + " x" * pad)  # fmt: skip
        dec = Decision(Verdict.ALLOW, "exec.allow.inspect", "ok", f"d{i}-{os.urandom(4).hex()}",
                       "rev1")  # fmt: skip
        return log.append(req, dec)

    root = tmp_path / "vol"
    with tmpfs(root, "1m"):
        log = DecisionLog(root / "audit", Plain())
        path = root / "audit" / "acme" / "decisions.jsonl"
        n = 0

        # In the record: the log's last page nearly full, so the next record is written only
        # in part. In the head: the page has room, the record fits, the new head does not.
        def placed() -> bool:
            room = 4096 - path.stat().st_size % 4096
            return room < 200 if where == "in the record" else room > 2000

        while n == 0 or not placed():
            append(log, n)
            n += 1
        before = path.read_bytes()
        filler = fill(root)
        for attempt in range(3):
            try:
                append(log, 10_000 + attempt, pad=400 if where == "in the record" else 0)
            except AuditWriteError as exc:
                assert "No space left" in str(exc) or "short write" in str(exc), exc
                assert (where == "in the head") == ("(head)" in str(exc)), exc
            else:
                raise AssertionError("a record was written to a full disk")
            assert path.read_bytes() == before  # nothing torn left behind
            assert not [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
        filler.unlink()
        for i in range(3):
            append(log, n + i)
        report = verify(root / "audit")
        assert report.ok, report.to_json()
        assert report.tenants["acme"].to_json()["records"] == n + 3
