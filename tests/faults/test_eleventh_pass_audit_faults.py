"""Issue 10 class 13, eleventh red-team pass: the audit log after crashes and odd registries.

Found and fixed: ``verify`` read only the first MiB of ``.tenants`` (and ``.replicas``),
silently, so a tenant registered after that point (new tenants are appended) was no longer
checked for a deleted directory; and each invalid line was its own error (a registry of
garbage made a report of hundreds of thousands of lines). The registry is now read to 16 MiB,
a longer one is a problem with a message, and invalid ids are reported up to 20 and counted.

Held (kept as regression tests): a log that ends mid-record after a crash, then written on, is
sealed with every committed record kept; a record whose newline was lost in a crash stays
committed; malformed heads, witnesses and registries given to the real ``gonogo audit
verify`` fail with a message, never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from enforcement_agent.audit import DecisionLog, iter_records, seal, verify
from enforcement_agent.models import Decision, ToolRequest, Verdict

REPO_ROOT = Path(__file__).resolve().parents[2]


class _Plain:
    def redact_text(self, text: str) -> str:
        return text


def _append(log: DecisionLog, i: int, tenant: str = "acme") -> dict:
    req = ToolRequest(tenant=tenant, actor="a", role="contributor", tool="exec", command=f"ls {i}")
    decision = Decision(
        decision=Verdict.ALLOW, rule="r", reason="x", policy_version="v", decision_id=f"d{i}"
    )
    return log.append(req, decision)


@pytest.fixture
def audit(tmp_path: Path) -> tuple[Path, DecisionLog]:
    d = tmp_path / "audit"
    log = DecisionLog(d, _Plain())
    for i in range(3):
        _append(log, i)
    _append(log, 0, tenant="globex")
    return d, log


def _seqs(d: Path, tenant: str = "acme") -> list[int]:
    return [r["seq"] for r in iter_records(d) if r.get("tenant_id") == tenant]


# ---- .tenants: read whole (to a cap), problems bounded -----------------------------------


def test_a_tenant_registered_after_the_first_mib_is_still_checked(
    audit: tuple[Path, DecisionLog],
) -> None:
    d, _ = audit
    registry = d / ".tenants"
    padding = b"acme\n" * ((1 << 20) // 5 + 10)  # valid, repeated: more than 1 MiB
    registry.write_bytes(padding + b"globex\n")
    assert verify(d).ok  # control: every registered tenant is there
    import shutil

    shutil.rmtree(d / "globex")
    report = verify(d)
    assert not report.ok
    assert any("missing" in e for e in report.tenants["globex"].errors)


def test_a_registry_past_the_cap_is_a_problem_not_a_silent_cut(
    audit: tuple[Path, DecisionLog],
) -> None:
    d, _ = audit
    with open(d / ".tenants", "ab") as f:
        f.truncate(17 * 1024 * 1024)  # NUL padding to 17 MiB
    report = verify(d)
    assert not report.ok
    assert any("larger than" in e for e in report.errors)
    assert len(report.errors) <= 25


@pytest.mark.parametrize(
    "content",
    [
        b"../etc\n" * 200_000,  # path-like ids
        b"\x00" * 100_000 + b"\n",  # NUL
        bytes(range(256)) * 1000,  # every byte, non-UTF-8
        ("é" * 40 + "\n").encode() * 5000,  # Unicode names
        b"ACME\nAcme\n" * 1000,  # case variants of a real tenant
        b"/abs/path\n" * 1000,
    ],
)
def test_registry_garbage_is_reported_briefly_and_never_raises(
    audit: tuple[Path, DecisionLog], content: bytes
) -> None:
    d, _ = audit
    (d / ".tenants").write_bytes(content)
    report = verify(d)
    assert not report.ok
    assert 1 <= len(report.errors) <= 22
    # the real chains are still verified
    assert report.tenants["acme"].ok and report.tenants["globex"].ok


def test_an_empty_registry_or_a_duplicated_line_is_harmless(
    audit: tuple[Path, DecisionLog],
) -> None:
    d, _ = audit
    (d / ".tenants").write_bytes(b"acme\nacme\nglobex\n")
    assert verify(d).ok
    (d / ".tenants").write_bytes(b"")
    assert verify(d).ok


# ---- crashes: nothing committed is lost --------------------------------------------------


@pytest.mark.parametrize(
    "torn", [b"{", b'{"schema":"gonogo.decision/v1","seq":4,"ta', b"\xff\xfe", b" "]
)
def test_a_torn_tail_written_on_then_sealed_keeps_every_committed_record(
    audit: tuple[Path, DecisionLog], torn: bytes
) -> None:
    d, log = audit
    with open(d / "acme" / "decisions.jsonl", "ab") as f:
        f.write(torn)
    assert not verify(d).ok  # the torn bytes are reported
    for i in range(3, 6):
        _append(log, i)  # the writer goes on, the torn bytes on their own line
    assert not verify(d).ok
    result = seal(d, "acme", sealed_by="ops")
    assert result.action == "sealed"
    report = verify(d)
    assert report.ok, report.tenants["acme"].errors
    assert _seqs(d) == [1, 2, 3, 4, 5, 6]


def test_a_record_whose_newline_was_lost_stays_committed(audit: tuple[Path, DecisionLog]) -> None:
    d, log = audit
    tdir = d / "acme"
    head = (tdir / "decisions.head").read_bytes()
    witness = (tdir / ".witness").read_bytes()
    _append(log, 3)
    # the crash: the record is on disk without its newline, head and witness never moved
    data = (tdir / "decisions.jsonl").read_bytes()
    (tdir / "decisions.jsonl").write_bytes(data[:-1])
    (tdir / "decisions.head").write_bytes(head)
    (tdir / ".witness").write_bytes(witness)
    fresh = DecisionLog(d, _Plain())  # a new process after the crash
    _append(fresh, 4)
    report = verify(d)
    assert report.ok, report.tenants["acme"].errors
    assert _seqs(d) == [1, 2, 3, 4, 5]


# ---- the real CLI: malformed state fails with a message, never a traceback ----------------


def _cli_verify(d: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONOGO_")}
    return subprocess.run(
        [sys.executable, "-m", "gonogo", "audit", "verify", "--audit-dir", str(d)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


MUTATIONS = {
    "head_non_utf8": ("acme/decisions.head", b"\xff\xfe\x00"),
    "head_nul_inside": ("acme/decisions.head", b'{"seq":3,\x00"hash":"x"}'),
    "head_huge_seq": ("acme/decisions.head", b'{"seq":' + b"9" * 5000 + b',"hash":"a"}'),
    "head_negative": ("acme/decisions.head", b'{"seq":-1,"hash":"' + b"0" * 64 + b'"}'),
    "head_duplicate_keys": (
        "acme/decisions.head",
        b'{"seq":3,"seq":1,"hash":"' + b"0" * 64 + b'"}',
    ),
    "witness_list": ("acme/.witness", b"[]"),
    "witness_ahead": ("acme/.witness", b'{"seq":99,"hash":"' + b"0" * 64 + b'"}'),
    "tenants_nul": (".tenants", b"\x00" * 4096),
    "log_mid_record": ("acme/decisions.jsonl", None),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_cli_verify_reports_malformed_state_without_a_traceback(
    audit: tuple[Path, DecisionLog], name: str
) -> None:
    d, _ = audit
    rel, data = MUTATIONS[name]
    target = d / rel
    if data is None:
        raw = target.read_bytes()
        target.write_bytes(raw[: len(raw) - 40])  # ends in the middle of the last record
    else:
        target.write_bytes(data)
    r = _cli_verify(d)
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr + r.stdout
    assert (r.stdout + r.stderr).strip()


def test_cli_verify_passes_the_untouched_log(audit: tuple[Path, DecisionLog]) -> None:
    d, _ = audit
    r = _cli_verify(d)
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.dumps(r.stdout)  # printable


# ---- verify's work is linear in the log, and its report is bounded -------------------------
# Found and fixed: each problem was compared with every earlier one before it was listed, so a
# log with 100,000 garbage lines took 171 s to verify (quadratic) and listed 100,000 lines.


def _garbage(kind: str, n: int, first: bytes) -> bytes:
    return {
        "empty": b"\n" * n,
        "words": b"x\n" * n,
        "objects": b"{}\n" * n,
        "replayed": first * n,
        "non_utf8": b"\xff\xfe\n" * n,
        "numbered": b"".join(b"%d\n" % i for i in range(n)),
    }[kind]


@pytest.mark.parametrize("kind", ["empty", "words", "objects", "replayed", "non_utf8", "numbered"])
def test_verify_of_many_bad_lines_is_linear_and_brief(
    audit: tuple[Path, DecisionLog], kind: str
) -> None:
    import time

    d, _ = audit
    log = d / "acme" / "decisions.jsonl"
    original = log.read_bytes()
    first = original.splitlines(keepends=True)[0]
    timings = []
    for n in (5_000, 20_000):
        log.write_bytes(original + _garbage(kind, n, first))
        # This process's CPU time, best of three: on a machine shared with other suites, wall
        # time once made the larger log look 15x slower (1.12 s against 0.076 s).
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            report = verify(d)
            best = min(best, time.process_time() - start)
            errors = report.tenants["acme"].errors
            assert not report.ok
            assert len(errors) <= 102, (kind, len(errors))
        timings.append(best)
    # four times the lines: well under sixteen times the time (quadratic was ~16x)
    assert timings[1] < 8 * timings[0] + 0.5, (kind, timings)
    assert timings[1] < 60


def test_seal_refuses_more_torn_lines_than_a_crash_leaves(audit: tuple[Path, DecisionLog]) -> None:
    from enforcement_agent.audit import SealError

    d, _ = audit
    with open(d / "acme" / "decisions.jsonl", "ab") as f:
        f.write(b"x\n" * 1500)
    with pytest.raises(SealError, match="more than 1000 torn lines"):
        seal(d, "acme", sealed_by="ops")
    assert _seqs(d) == [1, 2, 3]
