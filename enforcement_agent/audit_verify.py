"""Verifying decision logs, reading them for ingestion, and sealing a torn log.

A tenant's chain is its sealed segments (``segments/NNNNNN.jsonl``, oldest first) followed by
the current ``decisions.jsonl``; each segment after the first starts with a *seal record* that
names the previous segment, its sha256 and its torn lines. ``decisions.head`` must name the
chain's last record exactly: a head may only move forward, so a head that is behind the log, or
at the same seq with another hash, is tampering, and a head ahead of the log means records were
removed from the end. Tenants are listed from their directories (a head without its log is a
missing log) and from ``.tenants`` (a tenant whose directory vanished is still named).

A tenant written by gateway replicas has one chain per replica, ``<tenant>/<replica>/`` (named
in ``<tenant>/.replicas``), each verified as above and every record in it carrying that
``replica_id``; the tenant verifies when all its chains do, and a registered replica whose
chain is gone is reported.

Every problem is one line in the report; nothing here raises on a malformed file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from enforcement_agent.audit_format import (
    GENESIS,
    HEAD_NAME,
    LOG_NAME,
    REPLICAS_NAME,
    SEAL_SCHEMA,
    SEALING_NAME,
    SEGMENTS_DIR,
    TENANTS_NAME,
    WITNESS_NAME,
    Head,
    HeadError,
    RecordError,
    canonical,
    fsync_dir,
    is_hash,
    is_seq,
    not_regular,
    now_iso,
    open_log,
    parse_record,
    read_head,
    read_lines,
    record_hash,
    record_problems,
    segment_files,
    tenant_lock,
    valid_replica,
    write_head,
    write_witness,
)
from enforcement_agent.models import valid_tenant

RecordSink = Callable[[dict[str, Any], bool], None]


@dataclass
class TenantVerify:
    tenant: str
    records: int = 0
    errors: list[str] = field(default_factory=list)
    last_hash: str = GENESIS
    last_seq: int = 0
    head_seq: int | None = None
    seals: list[dict[str, Any]] = field(default_factory=list)
    replicas: dict[str, TenantVerify] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and all(r.ok for r in self.replicas.values())

    def to_json(self) -> dict[str, Any]:
        out = {
            "ok": self.ok,
            "records": self.records,
            "errors": self.errors,
            "last_hash": self.last_hash,
            "last_seq": self.last_seq,
            "head_seq": self.head_seq,
            "seals": self.seals,
        }
        if self.replicas:
            out["replicas"] = {name: r.to_json() for name, r in sorted(self.replicas.items())}
        return out


@dataclass
class VerifyReport:
    tenants: dict[str, TenantVerify] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and all(t.ok for t in self.tenants.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "errors": self.errors,
            "tenants": {name: t.to_json() for name, t in sorted(self.tenants.items())},
        }


@dataclass
class _Segment:
    """What a walk over one file found (a sealed segment is checked against the next seal)."""

    name: str
    sha256: str = ""
    size: int = 0
    last_seq: int = 0
    torn: list[dict[str, Any]] = field(default_factory=list)
    torn_unlisted: int = 0  # torn lines past _MAX_TORN (no seal record could list them)


# Problems listed one by one per chain (eleventh pass: a log of 100,000 garbage lines took 171 s,
# each new problem compared with every earlier one, and held one message per line); the rest
# are counted on one line. Torn lines remembered per segment for a seal record: a seal of more
# could not be written (a record is at most MAX_RECORD_BYTES), so `seal` refuses such a log.
_MAX_LISTED_ERRORS = 100
_MAX_TORN = 1000


@dataclass
class _Scan:
    tv: TenantVerify
    replica: str | None = None
    sealable: bool = True  # every problem found is one `gonogo audit seal` may resolve
    head: Head | None = None
    current: _Segment | None = None
    last_prev_hash: str = GENESIS
    prev_hash: str = GENESIS
    prev_seq: int = 0

    # Thirteenth pass: a checkpoint kept outside the writer's reach (``gonogo audit anchor``):
    # the chain must still hold exactly this record at this seq.
    anchor: Head | None = None
    anchor_found: str | None = None

    seen: set[str] = field(default_factory=set)
    unlisted: int = 0
    summary_at: int = -1

    def fail(self, message: str, *, sealable: bool = False) -> None:
        if not sealable:
            self.sealable = False
        if message in self.seen:
            return
        if len(self.seen) < _MAX_LISTED_ERRORS:
            self.seen.add(message)
            self.tv.errors.append(message)
            return
        self.unlisted += 1
        summary = f"… and {self.unlisted} more problem(s) not listed"
        if self.summary_at < 0:
            self.summary_at = len(self.tv.errors)
            self.tv.errors.append(summary)
        else:
            self.tv.errors[self.summary_at] = summary


@dataclass
class _Snapshot:
    head: Head | None
    head_error: str | None
    witness: Head | None
    witness_error: str | None
    # the witness is there but is no regular file (a directory, FIFO, socket, link): no crash
    # leaves that, so it is not sealable (sixteenth pass)
    witness_replaced: bool
    segments: list[tuple[str, IO[bytes], int]]
    log: tuple[IO[bytes], int] | None
    problems: list[str]
    log_missing_reason: str | None


# ---- verify ---------------------------------------------------------------------------------
def verify(audit_dir: Path | str, anchor: Mapping[str, Head] | None = None) -> VerifyReport:
    """Check every tenant chain: tampered, missing, reordered, truncated or torn records.

    ``anchor`` (chain id ``tenant`` or ``tenant/replica`` → the head recorded then, from
    :func:`enforcement_agent.audit_anchor.load_anchor`): each named chain must still hold that
    very record, so a rewrite, truncation or deletion since the anchor is found even when the
    head and witness were rewritten to match.
    """
    report = VerifyReport()
    anchors = dict(anchor or {})
    root = Path(audit_dir)
    if not root.exists():
        root_problem = None
    elif not root.is_dir():
        root_problem = f"{root} is not a directory"
    else:
        root_problem = ""
    if root_problem:
        report.errors.append(root_problem)
    if root_problem == "":
        for path in _tenant_paths(root, report.errors):
            report.tenants[path.name] = _verify_tenant(path, anchors)
        for tenant in _registered(root, report.errors):
            if tenant not in report.tenants:
                report.tenants[tenant] = TenantVerify(
                    tenant,
                    errors=[
                        f"registered in {TENANTS_NAME} but its directory is missing (deleted?)"
                    ],
                )
    for chain, head in sorted(anchors.items()):
        tenant, _, replica = chain.partition("/")
        tv = report.tenants.get(tenant)
        checked = tv is not None and (not replica or replica in tv.replicas)
        if checked:
            continue
        message = (
            f"the anchor names {chain} at seq {head.seq}, but that chain is gone "
            "(deleted since the anchor was taken)"
        )
        if tv is None:
            report.tenants[tenant] = TenantVerify(tenant, errors=[message])
        else:
            tv.errors.append(message)
    return report


def iter_records(audit_dir: Path | str) -> Iterator[dict[str, Any]]:
    """Every readable decision record of every tenant (every replica's chain after the
    tenant's own), in chain order, with ``chain_ok``."""
    root = Path(audit_dir)
    if not root.is_dir():
        return
    for path in _tenant_paths(root, []):
        if path.is_symlink() or not path.is_dir():
            continue
        replicas = _replica_paths(path)
        chains: list[tuple[Path, str | None]] = (
            [(path, None)] if _has_own_chain(path, replicas) else []
        )
        chains += [(r, r.name) for r in replicas]
        for chain, replica in chains:
            found: list[dict[str, Any]] = []

            def keep(rec: dict[str, Any], ok: bool, found: list[dict[str, Any]] = found) -> None:
                found.append({**rec, "chain_ok": ok})

            _verify_path(chain, sink=keep, tenant=path.name, replica=replica)
            yield from found


def _replica_paths(tdir: Path) -> list[Path]:
    """The replica chains under a tenant's directory (every valid replica name that is there)."""
    if tdir.is_symlink() or not tdir.is_dir():
        return []
    try:
        names = sorted(os.listdir(tdir))
    except OSError:
        return []
    return [tdir / n for n in names if valid_replica(n) and os.path.lexists(tdir / n)]


def _has_own_chain(tdir: Path, replicas: list[Path]) -> bool:
    """Whether the tenant's own (single-writer) chain is there, or must be (no replicas)."""
    own = (LOG_NAME, HEAD_NAME, SEGMENTS_DIR, SEALING_NAME)
    return not replicas or any(os.path.lexists(tdir / n) for n in own)


def _verify_tenant(tdir: Path, anchors: Mapping[str, Head] | None = None) -> TenantVerify:
    """The tenant's own chain and every replica's, with the replicas it registered."""
    anchors = anchors or {}
    replicas = _replica_paths(tdir)
    own = anchors.get(tdir.name)
    if _has_own_chain(tdir, replicas) or own is not None:
        tv = _verify_path(tdir, anchor=own).tv
    else:
        tv = TenantVerify(tdir.name)
    for chain in replicas:
        rv = _verify_path(
            chain,
            tenant=tdir.name,
            replica=chain.name,
            anchor=anchors.get(f"{tdir.name}/{chain.name}"),
        ).tv
        tv.replicas[chain.name] = rv
        tv.records += rv.records
    for name in _registered(tdir, tv.errors, registry=REPLICAS_NAME, valid=valid_replica):
        if name not in tv.replicas:
            tv.errors.append(
                f"replica {name} is registered in {REPLICAS_NAME} but its chain is missing "
                "(deleted?)"
            )
    return tv


def _tenant_paths(root: Path, errors: list[str]) -> list[Path]:
    try:
        names = sorted(os.listdir(root))
    except OSError as exc:
        errors.append(f"cannot list {root}: {exc.strerror or exc}")
        return []
    return [root / n for n in names if valid_tenant(n)]


# A registry (``.tenants``, ``.replicas``) is read up to this size; one line per id.
_REGISTRY_MAX = 16 * 1024 * 1024
# Invalid ids reported one by one up to this many, then counted (one garbage file is one problem).
_REGISTRY_ERRORS = 20


def _registered(
    root: Path,
    errors: list[str],
    *,
    registry: str = TENANTS_NAME,
    valid: Callable[[str], bool] = valid_tenant,
) -> list[str]:
    path = root / registry
    try:
        with open_log(path) as f:
            data = f.read(_REGISTRY_MAX + 1)
    except FileNotFoundError:
        return []
    except OSError as exc:
        errors.append(f"{registry} cannot be read ({exc.strerror or exc})")
        return []
    if len(data) > _REGISTRY_MAX:
        # Eleventh pass: only the first MiB was read, silently, so a tenant registered after
        # it (new tenants are appended) was no longer checked for a deleted directory.
        errors.append(
            f"{registry} is larger than {_REGISTRY_MAX} bytes: not a registry gonogo writes "
            "(padded?); the ids past that point are not checked"
        )
        data = data[:_REGISTRY_MAX].rpartition(b"\n")[0]
    out: list[str] = []
    invalid = 0
    for raw in data.split(b"\n"):
        name = raw.decode("utf-8", "replace").strip()
        if not name:
            continue
        if valid(name):
            out.append(name)
            continue
        invalid += 1
        if invalid <= _REGISTRY_ERRORS:
            errors.append(f"{registry} names an invalid id {name[:64]!r}")
    if invalid > _REGISTRY_ERRORS:
        errors.append(f"{registry} names {invalid - _REGISTRY_ERRORS} more invalid ids")
    return list(dict.fromkeys(out))


def _verify_path(
    tdir: Path,
    *,
    sink: RecordSink | None = None,
    locked: bool = False,
    tenant: str | None = None,
    replica: str | None = None,
    anchor: Head | None = None,
) -> _Scan:
    scan = _Scan(TenantVerify(tenant or tdir.name), replica=replica, anchor=anchor)
    where = f"audit/{scan.tv.tenant}" + (f"/{replica}" if replica else "")
    if tdir.is_symlink():
        scan.fail(f"{where} is a symlink (refused: it could point at any log)")
        return scan
    if not tdir.is_dir():
        scan.fail(f"{where} is not a directory")
        return scan
    try:
        snap = _snapshot(tdir, locked=locked)
    except OSError as exc:
        scan.fail(f"cannot read the tenant's files: {exc.strerror or exc}")
        return scan
    try:
        _check(tdir, snap, scan, sink)
    except OSError as exc:
        scan.fail(f"cannot read the tenant's files: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - a report line, never a traceback
        scan.fail(f"verification failed: {type(exc).__name__}")
    finally:
        for _name, f, _size in snap.segments:
            f.close()
        if snap.log is not None:
            snap.log[0].close()
    return scan


def _snapshot(tdir: Path, *, locked: bool) -> _Snapshot:
    """Open every file and note its size under the shared lock, then read without holding it.

    The writer only appends (and a seal renames under the exclusive lock), so the bytes up to
    the noted sizes are exactly the state the head describes.
    """
    lock = contextlib.nullcontext() if locked else tenant_lock(tdir, exclusive=False, create=False)
    with lock:
        head, head_error = _try_head(tdir / HEAD_NAME)
        witness, witness_error = _try_head(tdir / WITNESS_NAME)
        witness_replaced = _replaced(tdir / WITNESS_NAME)
        seg_paths, problems = segment_files(tdir)
        segments: list[tuple[str, IO[bytes], int]] = []
        for _index, path in seg_paths:
            f = open_log(path)
            segments.append((f"{SEGMENTS_DIR}/{path.name}", f, os.fstat(f.fileno()).st_size))
        log: tuple[IO[bytes], int] | None = None
        missing: str | None = None
        path = tdir / LOG_NAME
        if path.is_symlink():
            missing = f"{LOG_NAME} is a symlink (refused: it could point at any file)"
        elif path.exists() and not path.is_file():
            missing = f"{LOG_NAME} is not a regular file"
        elif path.exists():
            f = open_log(path)
            log = (f, os.fstat(f.fileno()).st_size)
    return _Snapshot(
        head, head_error, witness, witness_error, witness_replaced, segments, log, problems,
        missing,
    )  # fmt: skip


def _replaced(path: Path) -> bool:
    """``path`` exists and is not a regular file (what no crash of the writer leaves); a path
    that cannot even be examined counts as replaced."""
    try:
        return not_regular(path)
    except OSError:
        return True


def _try_head(path: Path) -> tuple[Head | None, str | None]:
    try:
        return read_head(path), None
    except HeadError as exc:
        return None, str(exc)


def _check(tdir: Path, snap: _Snapshot, scan: _Scan, sink: RecordSink | None) -> None:
    tenant = scan.tv.tenant
    for problem in snap.problems:
        scan.fail(problem)
    if snap.head_error is not None:
        scan.fail(snap.head_error)
    scan.head = snap.head
    previous: _Segment | None = None
    for name, f, size in snap.segments:
        previous = _walk(f, size, name, tenant, scan, previous, sink, current=False)
    if snap.log is not None:
        scan.current = _walk(
            snap.log[0], snap.log[1], LOG_NAME, tenant, scan, previous, sink, current=True
        )
    elif snap.log_missing_reason is not None:
        scan.fail(snap.log_missing_reason)
    elif previous is not None:
        interrupted = os.path.lexists(tdir / SEALING_NAME)
        scan.fail(
            f"{LOG_NAME} is missing after the sealed segments"
            + (" (an interrupted seal: run `gonogo audit seal` again)" if interrupted else ""),
            sealable=interrupted,
        )
    elif snap.head is not None:
        scan.fail(f"{LOG_NAME} is missing but the head says seq {snap.head.seq} (log deleted)")
    else:
        scan.fail(f"no {LOG_NAME} and no {HEAD_NAME} in the tenant's directory (deleted?)")
    _check_head(scan, snap)
    _check_anchor(scan)
    scan.tv.last_seq = scan.prev_seq
    scan.tv.last_hash = scan.prev_hash
    scan.tv.head_seq = snap.head.seq if snap.head is not None else None


def _check_head(scan: _Scan, snap: _Snapshot) -> None:
    head, last_seq = snap.head, scan.prev_seq
    witness = snap.witness
    if snap.witness_error is not None:
        # The witness is not fsynced, so a crash may tear it; the next append or a seal
        # rewrites it. A directory, FIFO, socket or link in its place is no torn write.
        scan.fail(snap.witness_error, sealable=not snap.witness_replaced)
    elif (
        witness is not None
        and snap.head_error is None
        and (
            head is None
            or witness.seq > head.seq
            or (witness.seq == head.seq and witness.hash != head.hash)
        )
    ):
        scan.fail(
            f"the writer's witness reached seq {witness.seq} but the head is "
            f"{'missing' if head is None else f'at seq {head.seq}'}: the head was moved back "
            "(tampering)"
        )
    if head is None:
        if snap.head_error is None and last_seq > 0:
            scan.fail(f"{HEAD_NAME} is missing (cannot rule out truncation)")
        return
    if head.seq > last_seq:
        scan.fail(
            f"the log ends at seq {last_seq} but the head says {head.seq}: "
            "records were removed from the end"
        )
    elif head.seq == last_seq:
        if head.hash != scan.prev_hash:
            scan.fail(
                f"the head's hash at seq {head.seq} differs from the last record's "
                "(tampered or replaced)"
            )
    elif head.seq == last_seq - 1 and head.hash == scan.last_prev_hash:
        scan.fail(
            f"{HEAD_NAME} is one record behind the log (seq {head.seq} of {last_seq}: a crash "
            "between the record and its head, or a record added outside the writer); "
            "`gonogo audit seal` moves it forward",
            sealable=True,
        )
    else:
        scan.fail(
            f"the head says seq {head.seq} but the log ends at seq {last_seq}: "
            "a head only moves forward (tampering)"
        )


def _check_anchor(scan: _Scan) -> None:
    anchor = scan.anchor
    if anchor is None:
        return
    if scan.anchor_found is None:
        scan.fail(
            f"the anchor names seq {anchor.seq}, but the chain ends at seq {scan.prev_seq}: "
            "records were removed or the log rewritten since the anchor was taken"
        )
    elif scan.anchor_found != anchor.hash:
        scan.fail(
            f"the record at seq {anchor.seq} is not the one the anchor names (its hash "
            f"differs): the chain was rewritten since the anchor was taken"
        )


def _walk(
    f: IO[bytes],
    size: int,
    name: str,
    tenant: str,
    scan: _Scan,
    previous: _Segment | None,
    sink: RecordSink | None,
    *,
    current: bool,
) -> _Segment:
    seg = _Segment(name)
    whole = hashlib.sha256()
    first = True
    prefix = "" if name == LOG_NAME else f"{name} "
    for line in read_lines(f, whole, limit=size):
        where = f"{prefix}line {line.number}"
        try:
            if not line.terminated:
                # The writer appends a record and its newline in one write: a last line
                # without one was never acknowledged, whatever it holds.
                raise RecordError("the log ends in the middle of a record (truncated write)")
            rec = parse_record(line)
        except RecordError as exc:
            torn = line.raw is not None
            if torn and len(seg.torn) < _MAX_TORN:
                seg.torn.append({"line": line.number, "bytes": line.length, "sha256": line.sha256})
            elif torn:
                seg.torn_unlisted += 1
            if current or not torn:
                hint = (
                    f"; `gonogo audit seal --tenant {tenant}` keeps it as evidence" if torn else ""
                )
                scan.fail(f"{where}: {exc}{hint}", sealable=torn and current)
            first = False
            continue
        problems = record_problems(rec, scan.prev_hash, scan.prev_seq, tenant)
        if not _canonical_line(line.raw, rec):
            # The writer writes each record's canonical form; other bytes that parse to the
            # same record (a duplicate key a first-wins reader takes, blanks, \u escapes, a
            # CR) are an edit the hash chain alone cannot see (a fourth red-team pass).
            problems.append("the line is not its record's canonical JSON (its bytes were edited)")
        if rec.get("replica_id") != scan.replica:
            problems.append(
                f"replica_id {str(rec.get('replica_id'))[:40]!r} in the chain of "
                + (f"replica {scan.replica!r}" if scan.replica else "the tenant's own writer")
            )
        is_seal = rec.get("schema") == SEAL_SCHEMA
        if is_seal:
            if not first or previous is None:
                problems.append("a seal record that does not start the segment after a sealed one")
            else:
                problems += _seal_problems(rec, previous)
        elif first and previous is not None:
            problems.append(f"the segment after {previous.name} does not start with its seal")
        if problems:
            scan.fail(f"{where}: " + "; ".join(problems))
        if is_seal and not problems:
            scan.tv.seals.append(
                {
                    "seq": rec["seq"],
                    "timestamp": rec.get("timestamp"),
                    "sealed_segment": rec.get("sealed_segment"),
                    "sealed_sha256": rec.get("sealed_sha256"),
                    "torn_lines": len(rec.get("torn") or []),
                    "sealed_by": rec.get("sealed_by"),
                    "reason": rec.get("reason"),
                }
            )
        elif not is_seal:
            scan.tv.records += 1
            if sink is not None:
                sink(rec, not problems)
        if is_hash(rec.get("hash")):
            scan.last_prev_hash = scan.prev_hash
            scan.prev_hash = str(rec["hash"])
        seq = rec.get("seq")
        if is_seq(seq):
            assert isinstance(seq, int)
            scan.prev_seq = seq
            if scan.anchor is not None and seq == scan.anchor.seq and scan.anchor_found is None:
                # The first record at that seq: a chain that repeats a seq is broken anyway.
                scan.anchor_found = str(rec.get("hash"))
        first = False
    if first and previous is not None:
        scan.fail(f"{name}: empty, so nothing seals {previous.name}")
    seg.sha256 = whole.hexdigest()
    seg.size = size
    seg.last_seq = scan.prev_seq
    return seg


def _canonical_line(raw: bytes | None, rec: dict[str, Any]) -> bool:
    try:
        return raw == canonical(rec)
    except (ValueError, TypeError, RecursionError):
        return False


def _seal_problems(rec: dict[str, Any], previous: _Segment) -> list[str]:
    expected = {
        "sealed_segment": previous.name,
        "sealed_sha256": previous.sha256,
        "sealed_bytes": previous.size,
        "sealed_last_seq": previous.last_seq,
        "torn": previous.torn,
    }
    return [
        f"the seal's {key} does not match {previous.name}"
        for key, value in expected.items()
        if rec.get(key) != value
    ]


# ---- seal -----------------------------------------------------------------------------------
class SealError(Exception):
    """The log cannot be sealed (one line: why, and what to do)."""


class SealStateError(SealError, OSError):
    """A state file could not be read or written while sealing (still an OSError to callers
    that catch those; the CLI prints one line)."""


@dataclass(frozen=True)
class SealResult:
    tenant: str
    action: str  # "sealed", "head-repaired", "resumed", "nothing-to-seal"
    detail: str
    record: dict[str, Any] | None = None


def seal(
    audit_dir: Path | str,
    tenant: str,
    *,
    sealed_by: str | None = None,
    replica: str | None = None,
) -> SealResult:
    """Seal a tenant's torn log: keep it (with its torn bytes) as a sealed segment, start a new one.

    Only problems a crash can leave are sealed: torn lines in the current segment (lines that
    are not records and that the chain links around), a head one record behind, or a seal that
    was interrupted. Anything else (tampering, a destroyed acknowledged record) is refused.
    """
    if not valid_tenant(tenant):
        raise SealError(f"invalid tenant id {tenant!r}")
    if replica is not None and not valid_replica(replica):
        raise SealError(f"invalid replica id {replica!r}")
    tdir = Path(audit_dir) / tenant
    if replica is not None:
        tdir = tdir / replica
    if tdir.is_symlink() or not tdir.is_dir():
        what = f"tenant {tenant!r}" + (f" replica {replica!r}" if replica else "")
        raise SealError(f"no decision log for {what} under {audit_dir}")
    who = sealed_by or _operator()
    try:
        return _seal_locked(tdir, tenant, replica, who)
    except OSError as exc:
        # A lock, head, witness or segment that is not the regular file or directory gonogo
        # writes (a directory, FIFO, socket or link in its place): one line, not a traceback
        # (sixteenth pass: `gonogo audit seal` crashed on a .lock that was a directory).
        where = exc.filename or tdir
        raise SealStateError(
            f"cannot seal: {where}: {exc.strerror or type(exc).__name__}; the state directory is "
            "not as gonogo writes it (a lock, head, witness or segment replaced): investigate "
            "with `gonogo audit verify`"
        ) from None


def _seal_locked(tdir: Path, tenant: str, replica: str | None, who: str) -> SealResult:
    with tenant_lock(tdir, exclusive=True, create=True):
        resumed = _resume(tdir)
        if resumed is not None:
            return SealResult(tenant, "resumed", resumed)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tdir / SEALING_NAME)  # left by a seal that crashed before the rename
        scan = _verify_path(tdir, locked=True, tenant=tenant, replica=replica)
        if scan.tv.ok:
            return SealResult(tenant, "nothing-to-seal", "the chain verifies; nothing to seal")
        if not scan.sealable or scan.current is None:
            raise SealError(
                "refusing to seal: the chain has problems a crash cannot leave "
                f"({scan.tv.errors[0]}); investigate with `gonogo audit verify`"
            )
        if scan.current.torn_unlisted:
            raise SealError(
                f"refusing to seal: more than {_MAX_TORN} torn lines, which no crash leaves "
                "(one record and its newline are written at once); investigate with "
                "`gonogo audit verify`"
            )
        if not scan.current.torn:
            write_head(tdir, scan.prev_seq, scan.prev_hash)
            write_witness(tdir, scan.prev_seq, scan.prev_hash)
            return SealResult(tenant, "head-repaired", f"the head now names seq {scan.prev_seq}")
        record = _seal_into_new_segment(tdir, tenant, scan, who)
        return SealResult(
            tenant,
            "sealed",
            f"{len(scan.current.torn)} torn line(s) kept in {record['sealed_segment']} "
            f"(sha256 {record['sealed_sha256'][:16]}…); new segment starts at seq {record['seq']}",
            record,
        )


def _operator() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return f"uid:{os.getuid()}"


def _seal_into_new_segment(tdir: Path, tenant: str, scan: _Scan, who: str) -> dict[str, Any]:
    assert scan.current is not None
    seg_dir = tdir / SEGMENTS_DIR
    seg_dir.mkdir(mode=0o700, exist_ok=True)
    fsync_dir(tdir)
    existing, _ = segment_files(tdir)
    index = existing[-1][0] + 1 if existing else 1
    target = seg_dir / f"{index:06d}.jsonl"
    record: dict[str, Any] = {
        "schema": SEAL_SCHEMA,
        "seq": scan.prev_seq + 1,
        "timestamp": now_iso(),
        "tenant_id": tenant,
        "sealed_segment": f"{SEGMENTS_DIR}/{target.name}",
        "sealed_sha256": scan.current.sha256,
        "sealed_bytes": scan.current.size,
        "sealed_last_seq": scan.current.last_seq,
        "torn": scan.current.torn,
        "sealed_by": who[:128],
        "reason": "torn write: the torn bytes stay in the sealed segment as evidence",
        "prev_hash": scan.prev_hash,
    }
    if scan.replica is not None:
        record["replica_id"] = scan.replica
    record["hash"] = record_hash(record)
    sealing = tdir / SEALING_NAME
    data = canonical(record) + b"\n"
    fd = os.open(sealing, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.rename(tdir / LOG_NAME, target)
    fsync_dir(seg_dir)
    os.rename(sealing, tdir / LOG_NAME)
    fsync_dir(tdir)
    write_head(tdir, record["seq"], record["hash"])
    write_witness(tdir, record["seq"], record["hash"])
    return record


def _resume(tdir: Path) -> str | None:
    """Finish a seal that stopped after moving the log aside (the log is missing)."""
    sealing = tdir / SEALING_NAME
    if os.path.lexists(tdir / LOG_NAME) or not os.path.lexists(sealing):
        return None
    try:
        with open_log(sealing) as f:
            line = next(read_lines(f), None)
        if line is None:
            raise RecordError("empty")
        rec = parse_record(line)
    except (OSError, RecordError) as exc:
        raise SealError(f"an interrupted seal left an unreadable {SEALING_NAME}: {exc}") from None
    name = str(rec.get("sealed_segment", ""))
    segment = tdir / name
    if not name.startswith(f"{SEGMENTS_DIR}/") or not segment.is_file():
        raise SealError(f"an interrupted seal names a missing segment {name[:80]!r}")
    digest = hashlib.sha256()
    with open_log(segment) as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    if digest.hexdigest() != rec.get("sealed_sha256") or rec.get("hash") != record_hash(rec):
        raise SealError("an interrupted seal does not match its segment; refusing to resume")
    os.rename(sealing, tdir / LOG_NAME)
    fsync_dir(tdir)
    write_head(tdir, int(rec["seq"]), str(rec["hash"]))
    write_witness(tdir, int(rec["seq"]), str(rec["hash"]))
    return f"finished an interrupted seal of {name}"
