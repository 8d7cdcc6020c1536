"""Decision records: one hash-chained, fsynced JSON line per tool call, written before acting.

Layout: ``<audit_dir>/<tenant>/decisions.jsonl`` (one record per line) beside
``decisions.head`` (sequence number and hash of the last record, replaced atomically after
each append), ``.lock`` (the inter-process lock) and, after ``gonogo audit seal``,
``segments/`` (sealed earlier segments). ``<audit_dir>/.tenants`` names every tenant ever
written. A gateway replica (``DecisionLog(..., replica=R)``) writes the same files in
``<audit_dir>/<tenant>/<R>/`` instead, every record carrying ``replica_id``, and holds the
chain's ``.writer`` lock for as long as the process lives: a second process with the same
replica id is refused (its calls are denied), so a chain never has two writers. Records are OPA-decision-log-like and self-describing; the raw input is never stored,
only its sha256 digest and a redacted, normalized target.

The head only moves forward: before each append the writer checks that the head names the
log's last record (or the one before it, after a crash between record and head) and that it
is not behind what this process last wrote; anything else is tampering and the append is
refused, so the caller denies (no record, no action). State directories must never be
reachable from an agent's workspace (:func:`state_dir_conflict`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from enforcement_agent.audit_format import (
    GENESIS,
    HEAD_NAME,
    LOCK_NAME,
    LOG_NAME,
    MAX_RECORD_BYTES,
    RECORD_FIELDS,
    REPLICAS_NAME,
    SCHEMA,
    SEAL_SCHEMA,
    SEGMENTS_DIR,
    TENANTS_NAME,
    WITNESS_NAME,
    WRITER_NAME,
    Head,
    HeadError,
    canonical,
    fsync_dir,
    is_hash,
    is_seq,
    not_regular,
    now_iso,
    open_regular,
    read_head,
    record_hash,
    valid_replica,
    write_head,
    write_witness,
)
from enforcement_agent.state_reach import (
    mount_exposing,
    mounts_below,
    read_mounts,
    sandbox_visible_conflict,
)

if TYPE_CHECKING:
    from enforcement_agent.audit_verify import (
        SealError,
        SealResult,
        TenantVerify,
        VerifyReport,
        iter_records,
        seal,
        verify,
    )
    from enforcement_agent.models import Decision, ToolRequest, new_decision_id

# Reading and sealing load on first use: the writer (once per tool call in a hook process)
# never needs them.
_VERIFY_NAMES = frozenset(
    {"SealError", "SealResult", "TenantVerify", "VerifyReport", "iter_records", "seal", "verify"}
)


def __getattr__(name: str) -> Any:
    if name == "new_decision_id":
        # The models load where a record is written: a hook process checks its workspace with
        # this module before it imports them (their dataclasses from the code cache, stop 47).
        from enforcement_agent.models import new_decision_id

        return new_decision_id
    if name not in _VERIFY_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from enforcement_agent import audit_verify

    return getattr(audit_verify, name)


__all__ = [
    "GENESIS",
    "HEAD_NAME",
    "LOG_NAME",
    "RECORD_FIELDS",
    "SCHEMA",
    "SEAL_SCHEMA",
    "AuditWriteError",
    "DecisionLog",
    "SealError",
    "SealResult",
    "StateInWorkspaceError",
    "TenantVerify",
    "TextRedactor",
    "VerifyReport",
    "canonical",
    "iter_records",
    "new_decision_id",
    "record_hash",
    "seal",
    "state_dir_conflict",
    "verify",
]

_MAX_TARGET = 1024
# The writer looks this far back for the last record: a torn tail is shorter than one record.
_TAIL_WINDOW = 2 * (MAX_RECORD_BYTES + 2)


class AuditWriteError(Exception):
    """The record could not be written; the caller must not act (no record, no action)."""


class StateInWorkspaceError(ValueError):
    """A state directory (home, audit, spool) is inside a workspace, where an agent may write."""


class TextRedactor(Protocol):
    def redact_text(self, text: str) -> str: ...


# The checks that came back clear during one short-lived call (a hook process's one tool call),
# by their arguments; ``None`` (the default, and always in a long-lived process): every check
# runs. See :func:`clear_checks_for_one_call`.
_clear_checks: set[tuple[object, ...]] | None = None


@contextlib.contextmanager
def clear_checks_for_one_call() -> Iterator[None]:
    """Within the block, a :func:`state_dir_conflict` check with the same state directories
    (as a set), workspace (as given), workspace roots and policy directories as one that
    already came back clear in the block is not run again (stop 47).

    A command hook checked its workspace three times for one tool call (building the agent,
    taking the call, recording it: ~2.3 ms each), the same directories, the same answer. A
    conflict is never remembered: a check that finds one runs again each time and gives its
    reason. Only the hook process's entry uses this, around its one call.
    """
    global _clear_checks
    outer = _clear_checks
    _clear_checks = set() if outer is None else outer
    try:
        yield
    finally:
        _clear_checks = outer


def state_dir_conflict(
    state_dirs: Iterable[Path | str],
    workspace: Path | str,
    workspace_roots: Iterable[Path | str] = (),
    policy_dirs: Iterable[Path | str] = (),
) -> str | None:
    """Why ``workspace`` may not be used with these state directories, or ``None``.

    The two may not overlap in either direction. A state directory that is the workspace or
    lies anywhere under it, however it is spelled, can be rewritten by the agent, and with it
    the audit trail. A workspace inside a state directory (``--workspace $GONOGO_HOME/audit/t``)
    is as bad: the sandbox hands the workspace over to the tenant's uid, records included.
    The one exception is a workspace strictly below one of ``workspace_roots`` (the home's
    ``workspaces/``, where per-tenant workspaces live) that lies inside that state directory.
    Symlinks and ``..`` are resolved on both sides, and existing ancestors are compared by
    device and inode too, so a bind mount is no way around it in either direction.
    Checked when an agent is built and again on every call.

    ``policy_dirs`` (the policy files the agent decides by) may not overlap the workspace
    either way, by the same comparisons: inside it an agent rewrote its own policy (a
    twenty-third red-team pass). They are not secret, so unlike state directories they may
    lie where the sandbox can read them (an install under /usr).
    """
    state_dirs = tuple(state_dirs)
    workspace_roots = tuple(workspace_roots)
    policy_dirs = tuple(policy_dirs)
    remembered = _clear_checks
    if remembered is None:
        return _state_dir_conflict(state_dirs, workspace, workspace_roots, policy_dirs)
    key = (
        frozenset(str(d) for d in state_dirs),
        str(workspace),
        tuple(str(r) for r in workspace_roots),
        frozenset(str(d) for d in policy_dirs),
    )
    if key in remembered:
        return None
    reason = _state_dir_conflict(state_dirs, workspace, workspace_roots, policy_dirs)
    if reason is None:
        remembered.add(key)
    return reason


def _state_dir_conflict(
    state_dirs: tuple[Path | str, ...],
    workspace: Path | str,
    workspace_roots: tuple[Path | str, ...],
    policy_dirs: tuple[Path | str, ...],
) -> str | None:
    # Each directory is resolved once per check (this runs on every call, and each
    # ``realpath`` is an ``lstat`` per component): the comparisons below share the answers.
    resolve = functools.lru_cache(maxsize=None)(os.path.realpath)
    ws = resolve(os.fspath(workspace))
    ws_id = _dir_id(ws)
    roots = [resolve(os.fspath(r)) for r in workspace_roots]
    for given in [*state_dirs, *policy_dirs]:
        link = _link_in(given, ws, resolve)
        if link is not None:
            return (
                f"{given} is reached through the symbolic link {link}, which lies inside the "
                f"workspace {ws}: an agent could point it elsewhere and move gonogo's records "
                "or policy with it; name the directory without passing through a workspace"
            )
    # Policy directories first, then state: one pass, the same comparisons for both kinds.
    kinds = [(d, "policy") for d in policy_dirs] + [(d, "state") for d in state_dirs]
    for given, kind in kinds:
        real = resolve(os.fspath(given))
        if real == ws or _inside(real, ws) or _under(real, ws_id):
            return (
                f"{kind} directory {given} (resolves to {real}) is inside the workspace {ws}: "
                + _WHY_INSIDE[kind]
            )
        own_roots = roots if kind == "state" else []
        if _inside(ws, real) or _under(ws, _dir_id(real)) or ws_id in _near_ids(real, own_roots):
            if kind == "state" and any(
                _inside(ws, r) and (r == real or _inside(r, real)) for r in roots
            ):
                continue  # a per-tenant workspace under the home's workspaces/
            return (
                f"workspace {ws} is inside the {kind} directory {given} (resolves to {real}): "
                + _WHY_HOLDS[kind]
            )
    # Eleventh pass: a mount below the workspace that shows a state directory (the sandbox's
    # recursive bind carries it in; a host agent writes it directly), and a state directory
    # the sandbox binds read-only (readable there when the sandbox user is the caller's uid).
    mounts = read_mounts()
    below = mounts_below(ws, mounts)
    for state in [*state_dirs, *policy_dirs] if below else ():
        real = resolve(os.fspath(state))
        m = mount_exposing(real, ws, mounts, roots, below=below)
        if m is not None:
            return (
                f"state directory {state} (resolves to {real}) is mounted inside the workspace "
                f"{ws} at {m.point}: an agent could rewrite its own audit trail; unmount it or "
                "set GONOGO_HOME elsewhere"
            )
    return sandbox_visible_conflict(state_dirs, roots, mounts, resolve)


# Why each kind of directory may not overlap a workspace, as the refusal says it.
_WHY_INSIDE = {
    "policy": "an agent could rewrite the policy that decides its calls; keep the policy "
    "files outside every workspace",
    "state": "an agent could rewrite its own audit trail (or read the key); set GONOGO_HOME, "
    "GONOGO_KEK_FILE and the redactor's cache (GONOGO_CACHE_DIR, XDG_CACHE_HOME) "
    "outside the workspace",
}
_WHY_HOLDS = {
    "policy": "an agent could rewrite the policy that decides its calls",
    "state": "the sandbox would hand gonogo's records to the agent; choose a workspace "
    "outside GONOGO_HOME (or one under its workspaces/)",
}


def _inside(path: str, parent: str) -> bool:
    """Whether ``path`` lies strictly below ``parent`` (both already resolved)."""
    return path.startswith(parent.rstrip("/") + "/")


_MAX_LINKS = 40  # as the kernel's ELOOP limit


def _link_in(
    given: Path | str, ws: str, resolve: Callable[[str], str] = os.path.realpath
) -> str | None:
    """A symbolic link on the way to ``given`` (as spelled, links to links followed) that lies
    inside ``ws`` (resolved), or None. Resolved, such a path names a place outside the
    workspace, but the agent can repoint the link, and the next process that resolves it (each
    hook call is one) keeps its records or reads its policy there: a twenty-third red-team
    pass moved `GONOGO_HOME=ws/st` where it chose with one allowed `python3 flip.py`."""
    path = os.path.abspath(given)
    if resolve(path) == path:
        return None  # no link on the way (the common case: one realpath)
    todo = [p for p in path.split("/") if p]
    cur = "/"  # always a resolved directory, so cur/part is where an entry really lies
    hops = 0
    while todo and hops <= _MAX_LINKS:
        part = todo.pop(0)
        if part == ".":
            continue
        if part == "..":
            cur = os.path.dirname(cur)
            continue
        entry = os.path.join(cur, part)
        if not os.path.islink(entry):
            cur = entry
            continue
        if _inside(entry, ws):
            return entry
        hops += 1
        try:
            target = os.readlink(entry)
        except OSError:
            return None
        todo = [p for p in target.split("/") if p] + todo
        if target.startswith("/"):
            cur = "/"
    return None


# Directories below a state directory compared with the workspace by device and inode (a bind
# mount of ``audit/<tenant>`` elsewhere): its first two levels, at most this many entries.
_NEAR_LIMIT = 4096


def _near_ids(state: str, roots: list[str]) -> set[tuple[int, int]]:
    """(device, inode) of the directories one and two levels below ``state`` (not the
    workspace roots' trees): where a bind mount of a tenant's records would come from."""
    ids: set[tuple[int, int]] = set()
    level = [state]
    for _depth in range(2):
        below: list[str] = []
        for d in level:
            try:
                entries = list(os.scandir(d))
            except OSError:
                continue
            for e in entries:
                if len(ids) >= _NEAR_LIMIT:
                    return ids
                # The type first: it comes with the directory entry, and most entries of a
                # state directory are files (the redactor's cache holds hundreds); this runs
                # on every call.
                try:
                    if not e.is_dir(follow_symlinks=False):
                        continue
                except OSError:
                    continue
                path = e.path
                if any(path == r or _inside(path, r) for r in roots):
                    continue
                try:
                    st = e.stat(follow_symlinks=False)
                except OSError:
                    continue
                ids.add((st.st_dev, st.st_ino))
                below.append(path)
        level = below
    return ids


def _dir_id(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _under(path: str, ws_id: tuple[int, int] | None) -> bool:
    """Whether ``path`` or one of its ancestors is the workspace directory itself (dev, inode)."""
    if ws_id is None:
        return False
    current = path
    while True:
        try:
            st = os.stat(current)
        except OSError:
            pass
        else:
            if (st.st_dev, st.st_ino) == ws_id:
                return True
        parent = os.path.dirname(current)
        if parent == current:
            return False
        current = parent


def normalized_target(req: ToolRequest) -> str:
    target = " ".join(req.target.split())
    if len(target) > _MAX_TARGET:
        target = target[: _MAX_TARGET - 1] + "…"
    return target


class DecisionLog:
    """Appends decision records; thread-safe in-process and process-safe through ``flock``.

    ``redactor`` is the injected one every record's target and reason pass through; without
    one the log builds a private default instance (never the process-global redactor).
    """

    def __init__(
        self,
        audit_dir: Path | str,
        redactor: TextRedactor | None = None,
        *,
        replica: str | None = None,
    ) -> None:
        if replica is not None and not valid_replica(replica):
            raise ValueError(f"invalid replica id {replica[:40]!r}")
        self.audit_dir = Path(audit_dir)
        self.replica = replica
        self._redactor = redactor
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        # The highest (seq, hash) this instance wrote per tenant: a head on disk behind it was
        # moved back by someone else while this process ran.
        self._written: dict[str, tuple[int, str]] = {}

    @property
    def redactor(self) -> TextRedactor:
        if self._redactor is None:
            from enforcement_agent.redaction.redactor import Redactor

            self._redactor = Redactor()
        return self._redactor

    def _thread_lock(self, tenant: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(tenant, threading.Lock())

    def append(
        self, req: ToolRequest, decision: Decision, extra: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Write and fsync one record for ``req``/``decision``; raises :class:`AuditWriteError`."""
        try:
            return self._append(req, decision, extra)
        except AuditWriteError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure means no record
            raise AuditWriteError(
                f"decision record not written: {type(exc).__name__}: {exc}"
            ) from exc

    def _append(
        self, req: ToolRequest, decision: Decision, extra: dict[str, Any] | None
    ) -> dict[str, Any]:
        from enforcement_agent.models import valid_tenant

        tenant = req.tenant
        if not valid_tenant(tenant):
            raise AuditWriteError(f"invalid tenant id {tenant!r}")
        try:
            redact = self.redactor.redact_text
            target = redact(normalized_target(req))
            reason = redact(decision.reason)
            session = redact(req.session) if req.session is not None else None
        except Exception as exc:  # noqa: BLE001 - the redactor failing must not leak the target
            raise AuditWriteError(
                f"redaction failed, record refused: {type(exc).__name__}"
            ) from exc
        body = {
            "schema": SCHEMA,
            "decision_id": decision.decision_id,
            "tenant_id": tenant,
            "actor": req.actor,
            "role": req.role,
            "tool": req.tool,
            "session_id": session,
            "input_digest": hashlib.sha256(canonical(utf8_safe(req.to_json()))).hexdigest(),
            "target": target,
            "result": decision.decision.value,
            "rule": decision.rule,
            "reason": reason,
            "policy_revision": decision.policy_version,
            "eval_us": round(decision.eval_ns / 1000, 3),
            "destructive": decision.destructive,
        }
        if extra:
            clash = set(extra) & (set(RECORD_FIELDS) | {"hash"})
            if clash:
                raise AuditWriteError(
                    f"extra fields may not replace record fields: {sorted(clash)}"
                )
            try:
                # Thirteenth pass: the evidence route wrote an unauthenticated caller's
                # `webhook-id` header and `kind` query as given; every string a caller adds
                # passes the same redactor as the target, whoever the caller is.
                body.update(_redacted_extra(extra, self.redactor.redact_text))
            except AuditWriteError:
                raise
            except Exception as exc:  # noqa: BLE001 - as for the target: no record
                raise AuditWriteError(
                    f"redaction failed, record refused: {type(exc).__name__}"
                ) from None
        if self.replica is not None:
            body["replica_id"] = self.replica
        body = utf8_safe(body)
        tdir = self.audit_dir / tenant
        with self._thread_lock(tenant):
            if self.replica is None:
                self._ensure_tenant_dir(tdir, tenant)
            else:
                tdir = self._replica_chain(tdir, tenant, self.replica)
            fd = open_regular(tdir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    return self._write_locked(tdir, tenant, body)
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def claim_replica(self) -> None:
        """Hold this replica id for the process's life (``<audit_dir>/.replica-<id>.lock``).

        A gateway replica calls it at start, so a second process started with the same id
        fails at once instead of having its calls denied one by one.
        """
        if self.replica is None:
            raise ValueError("not a replica's decision log")
        self.audit_dir.mkdir(parents=True, exist_ok=True)
        _hold_writer(self.audit_dir / f".replica-{self.replica}.lock", f"replica {self.replica}")

    def _replica_chain(self, tdir: Path, tenant: str, replica: str) -> Path:
        """This replica's chain of ``tenant``, created whole on first use and held by us alone."""
        if os.path.lexists(tdir):
            if tdir.is_symlink() or not tdir.is_dir():
                raise AuditWriteError(
                    f"audit/{tenant} is a symlink or not a directory; refusing to write"
                )
        else:
            self.audit_dir.mkdir(parents=True, exist_ok=True)
            try:
                os.mkdir(tdir, 0o700)
            except FileExistsError:
                pass
            else:
                _register(self.audit_dir, TENANTS_NAME, tenant)
        chain = tdir / replica
        if not os.path.lexists(chain):
            if _create_whole(tdir, replica, chain):
                _register(tdir, REPLICAS_NAME, replica)
        elif chain.is_symlink() or not chain.is_dir():
            raise AuditWriteError(
                f"audit/{tenant}/{replica} is a symlink or not a directory; refusing to write"
            )
        _hold_writer(chain / WRITER_NAME, f"the decision chain {tenant}/{replica}")
        return chain

    def _ensure_tenant_dir(self, tdir: Path, tenant: str) -> None:
        """The tenant's directory; a new one appears whole (log and lock inside) or not at all.

        So a tenant directory without a log or head was emptied by someone, never left half
        made by a crash (a crash leaves only a ``.new-*`` directory, which no reader lists).
        """
        if os.path.lexists(tdir):
            if tdir.is_symlink() or not tdir.is_dir():
                raise AuditWriteError(
                    f"audit/{tenant} is a symlink or not a directory; refusing to write"
                )
            return
        self.audit_dir.mkdir(parents=True, exist_ok=True)
        if _create_whole(self.audit_dir, tenant, tdir):
            # Registered once, when created: a tenant whose directory later vanishes stays named.
            _register(self.audit_dir, TENANTS_NAME, tenant)

    def _write_locked(self, tdir: Path, tenant: str, body: dict[str, Any]) -> dict[str, Any]:
        log = tdir / LOG_NAME
        prev_hash, prev_seq, needs_newline = self._check_tail(tdir, tenant)
        record = dict(body)
        record["seq"] = prev_seq + 1
        record["timestamp"] = now_iso()
        record["prev_hash"] = prev_hash
        record["hash"] = record_hash(record)
        line = canonical(record) + b"\n"
        if needs_newline:
            line = b"\n" + line  # a torn last line stays visible to verify, on its own line
        fd = open_regular(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            size = os.fstat(fd).st_size  # this process holds the chain's writer lock
            stage = ""
            try:
                written = os.write(fd, line)
                if written != len(line):
                    raise OSError(
                        errno.ENOSPC,
                        f"short write to the decision log ({written} of {len(line)} bytes)",
                    )
                os.fsync(fd)
                # A record the head does not name would read as tampering once the head falls
                # two behind: the record and its head are committed together or not at all.
                stage = " (head)"
                write_head(tdir, record["seq"], record["hash"])
            except OSError as exc:
                # Cut short (a full disk, a quota), not durable, or unnamed by the head: the
                # record is taken back whole, so the chain still verifies once the disk has
                # room; the call is refused.
                _take_back(fd, size)
                raise AuditWriteError(
                    f"decision record not written{stage}: {type(exc).__name__}: {exc}"
                ) from exc
        finally:
            os.close(fd)
        with contextlib.suppress(OSError):
            # Best effort: a witness that lags only narrows what it can tell about a rollback.
            write_witness(tdir, record["seq"], record["hash"])
        self._written[tenant] = (record["seq"], record["hash"])
        return record

    def _check_tail(self, tdir: Path, tenant: str) -> tuple[str, int, bool]:
        """The record to chain to, after checking the head agrees with it (else tampering)."""
        try:
            head = read_head(tdir / HEAD_NAME)
        except HeadError as exc:
            raise AuditWriteError(f"tampering suspected, refusing to append: {exc}") from None
        log = tdir / LOG_NAME
        if not os.path.lexists(log) and (tdir / SEGMENTS_DIR).exists():
            raise AuditWriteError(
                f"{LOG_NAME} is missing after sealed segments; run `gonogo audit seal`"
            )
        last, needs_newline = _tail(log)
        seq, digest, prev = last if last is not None else (0, GENESIS, GENESIS)
        if head is None:
            if seq:
                raise AuditWriteError(
                    f"tampering suspected, refusing to append: {HEAD_NAME} is missing "
                    f"while the log ends at seq {seq}"
                )
        elif not (
            (head.seq == seq and head.hash == digest)
            or (head.seq == seq - 1 and head.hash == prev)  # crash between record and head
        ):
            raise AuditWriteError(
                f"tampering suspected, refusing to append: the head (seq {head.seq}) does not "
                f"name the log's last record (seq {seq}); see `gonogo audit verify`"
            )
        marks = [("written by this process", self._written.get(tenant))]
        _witness_is_ours(tdir / WITNESS_NAME)
        try:
            witness = read_head(tdir / WITNESS_NAME)
        except HeadError:
            witness = None  # a torn witness (it is not fsynced) is rewritten below
        if witness is not None:
            marks.append(("the writer's witness", (witness.seq, witness.hash)))
        for origin, mark in marks:
            if mark is not None and _behind(head, mark):
                raise AuditWriteError(
                    f"tampering suspected, refusing to append: the head moved back from seq "
                    f"{mark[0]} ({origin}); see `gonogo audit verify`"
                )
        return digest, seq, needs_newline


def _witness_is_ours(path: Path) -> None:
    """Refuse to append when the writer's witness is anything it never writes (a directory, a
    FIFO, a socket, a link): the witness could not be replaced after the record, and `audit
    verify` would then call the chain broken. A torn regular file is a crash's and is rewritten
    (sixteenth red-team pass: with a directory there, records were appended and calls allowed
    while verify reported the chain broken)."""
    try:
        replaced = not_regular(path)
    except OSError as exc:
        raise AuditWriteError(f"the writer's witness cannot be read ({exc.strerror})") from None
    if replaced:
        raise AuditWriteError(
            f"tampering suspected, refusing to append: {path.name} is not a regular file; "
            "see `gonogo audit verify`"
        )


# Extra fields nest a few levels at most (``claimed`` is a dict of strings); deeper is refused.
_EXTRA_DEPTH = 6


def utf8_safe(value: Any) -> Any:
    """``value`` with every string that UTF-8 cannot encode (a lone surrogate: a JSON
    ``\\ud800`` escape, or a byte that is not UTF-8 in an argv word, which Python decodes as
    ``\\udcff``) spelled with backslash escapes, so it can be recorded; everything else is
    returned as it is (the same record, the same hash).

    A twenty-seventh red-team pass: such a string made the record unwritable, so the call was
    refused (``no-decision-record``) but left no trace: `agent exec -- rm -rf $'/\\xff/../etc'`
    and a hook input with ``"\\ud800"`` in its command were denied unrecorded."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
        return value
    if isinstance(value, dict):
        return {utf8_safe(k): utf8_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [utf8_safe(v) for v in value]
    return value


def _redacted_extra(value: Any, redact: Any, depth: int = 0) -> Any:
    """``value`` with every string in it (dict values, list items) passed through ``redact``;
    keys are the caller's own names and are kept. Numbers, booleans and ``None`` are kept."""
    if depth > _EXTRA_DEPTH:
        raise AuditWriteError("extra fields nest too deeply; record refused")
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redacted_extra(v, redact, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted_extra(v, redact, depth + 1) for v in value]
    return value


def _create_whole(parent: Path, name: str, target: Path) -> bool:
    """Create ``target`` with an empty log and lock inside, all at once (staged, renamed).

    Returns whether this call created it (``False``: another writer did first).
    """
    staging = parent / f".new-{name}-{os.getpid()}-{os.urandom(6).hex()}"
    os.mkdir(staging, 0o700)
    try:
        for file in (LOG_NAME, LOCK_NAME):
            os.close(os.open(staging / file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        fsync_dir(staging)
        try:
            os.rename(staging, target)
        except OSError:
            if target.is_dir() and not target.is_symlink():
                return False
            raise
        fsync_dir(parent)
        return True
    finally:
        if staging.exists():
            import shutil

            shutil.rmtree(staging, ignore_errors=True)


def _take_back(fd: int, size: int) -> None:
    """Truncate the log to ``size`` (its length before a failed append) and make that durable.

    Truncating frees blocks, so it works on a full disk; if it fails anyway the torn tail stays
    and `gonogo audit verify` reports it (the refused call is never hidden either way)."""
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
    except OSError:
        pass


def _register(directory: Path, registry: str, name: str) -> None:
    """Append ``name`` to a registry file (``.tenants``, ``.replicas``), fsynced."""
    fd = open_regular(directory / registry, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, name.encode() + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    fsync_dir(directory)


# The ``.writer`` locks this process holds, by (device, inode) of the lock file: held until the
# process exits (the kernel drops a flock with its last descriptor), so a chain has one writer.
# A lock file replaced under us has a new inode, so it is locked again, never assumed held.
_held_writers: dict[tuple[int, int], int] = {}
_held_guard = threading.Lock()


def _hold_writer(lock_file: Path, label: str) -> None:
    """Hold ``lock_file`` exclusively for the life of this process (once per process)."""
    with _held_guard:
        try:
            st = os.stat(lock_file)
            key: tuple[int, int] | None = (st.st_dev, st.st_ino)
        except FileNotFoundError:
            key = None
        if key is not None and key in _held_writers:
            return
        fd = open_regular(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
            os.close(fd)
            raise AuditWriteError(
                f"{label} has another writer ({holder}): each replica id must be used by one "
                "process at a time"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}\n".encode(), 0)
        st = os.fstat(fd)
        _held_writers[(st.st_dev, st.st_ino)] = fd


def _behind(head: Head | None, mine: tuple[int, str]) -> bool:
    if head is None:
        return True
    return head.seq < mine[0] or (head.seq == mine[0] and head.hash != mine[1])


def _tail(log: Path) -> tuple[tuple[int, str, str] | None, bool]:
    """(seq, hash, prev_hash) of the last complete record, and whether the file ends mid-line."""
    try:
        fd = open_regular(log, os.O_RDONLY)
    except FileNotFoundError:
        return None, False
    with os.fdopen(fd, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            return None, False
        offset = max(0, size - _TAIL_WINDOW)
        f.seek(offset)
        chunk = f.read(size - offset)
    torn = not chunk.endswith(b"\n")
    lines = chunk.split(b"\n")
    candidates = lines[1:] if offset > 0 else lines
    for raw in reversed(candidates):
        if not raw.strip() or len(raw) > MAX_RECORD_BYTES:
            continue
        try:
            rec = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        if not isinstance(rec, dict):
            continue
        seq, digest, prev = rec.get("seq"), rec.get("hash"), rec.get("prev_hash")
        try:
            intact = is_hash(digest) and digest == record_hash(rec)
        except (ValueError, TypeError, RecursionError):
            intact = False
        if not (intact and is_seq(seq) and is_hash(prev)):
            raise AuditWriteError(
                f"tampering suspected, refusing to append: the last record of {log.name} "
                "does not verify"
            )
        assert isinstance(seq, int) and isinstance(digest, str) and isinstance(prev, str)
        return (seq, digest, prev), torn
    raise AuditWriteError(
        f"{log} holds no valid record near its end to chain to; see `gonogo audit verify`"
    )
