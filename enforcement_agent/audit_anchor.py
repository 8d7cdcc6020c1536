"""Anchors: checkpoints of every decision chain, kept where the writer cannot reach them.

The chain is a plain sha256 chain. Whoever can write the state directory (root, or the uid the
writer runs as: a host command under ``--no-sandbox``) can rewrite a log from any point and
write a head and witness that match, and ``gonogo audit verify`` alone then says ok. A key kept
beside the log would not help: the same writer can read it. What detects such a rewrite is a
commitment the writer cannot change afterwards: ``gonogo audit anchor`` prints, for each
chain, the seq and hash of its last record (only when everything verifies), and the operator
ships it off the host or into a file the writer's uid cannot write (a CI artifact, a
root-owned append-only file, an object store with a retention lock).
``gonogo audit verify --anchor FILE`` then requires every anchored chain to still hold exactly
that record: the hash commits to every record before it, so a rewrite, truncation or deletion
of anything up to the anchor is reported, whatever head and witness say. Records after the
latest anchor are as strong as the plain chain (anchor often).

An anchor file is read bounded (1 MiB) and strictly: anything malformed is an
:class:`AnchorError` with a one-line message, never a traceback and never "no anchor".
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from enforcement_agent.audit_format import Head, is_hash, is_seq, now_iso, valid_replica
from enforcement_agent.models import valid_tenant

ANCHOR_SCHEMA = "gonogo.anchor/v1"
MAX_ANCHOR_BYTES = 1024 * 1024
_MAX_CHAINS = 10_000


class AnchorError(ValueError):
    """The anchor cannot be taken or read (one-line reason)."""


def valid_chain_id(chain: object) -> bool:
    if not isinstance(chain, str):
        return False
    tenant, slash, replica = chain.partition("/")
    return valid_tenant(tenant) and (not slash or valid_replica(replica))


def take_anchor(audit_dir: Path | str) -> dict[str, Any]:
    """The anchor of every chain under ``audit_dir``; refused when anything fails to verify
    (an anchor of a broken chain would bless the damage)."""
    from enforcement_agent.audit_verify import verify

    report = verify(audit_dir)
    if not report.ok:
        raise AnchorError(
            "the decision records do not verify; run `gonogo audit verify` and resolve it "
            "before anchoring"
        )
    chains: dict[str, dict[str, Any]] = {}
    for name, tv in sorted(report.tenants.items()):
        if tv.last_seq > 0:
            chains[name] = {"seq": tv.last_seq, "hash": tv.last_hash}
        for replica, rv in sorted(tv.replicas.items()):
            if rv.last_seq > 0:
                chains[f"{name}/{replica}"] = {"seq": rv.last_seq, "hash": rv.last_hash}
    return {"schema": ANCHOR_SCHEMA, "created": now_iso(), "chains": chains}


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise AnchorError(f"the anchor repeats the key {key[:64]!r}")
        seen[key] = value
    return seen


def parse_anchor(data: bytes) -> dict[str, Head]:
    """The chains an anchor names (chain id → head); :class:`AnchorError` if malformed."""
    if len(data) > MAX_ANCHOR_BYTES:
        raise AnchorError(f"the anchor is longer than {MAX_ANCHOR_BYTES} bytes (not an anchor)")
    try:
        obj = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except AnchorError:
        raise
    except (ValueError, RecursionError):
        raise AnchorError("the anchor is not JSON (corrupted or not an anchor)") from None
    if not isinstance(obj, dict) or obj.get("schema") != ANCHOR_SCHEMA:
        raise AnchorError(f"the anchor is not a {ANCHOR_SCHEMA} object")
    chains = obj.get("chains")
    if not isinstance(chains, dict):
        raise AnchorError("the anchor has no chains object")
    if len(chains) > _MAX_CHAINS:
        raise AnchorError(f"the anchor names more than {_MAX_CHAINS} chains")
    out: dict[str, Head] = {}
    for chain, head in chains.items():
        if not valid_chain_id(chain):
            raise AnchorError(f"the anchor names an invalid chain id {str(chain)[:64]!r}")
        if not isinstance(head, dict) or set(head) != {"seq", "hash"}:
            raise AnchorError(f"the anchor's entry for {chain} is not {{seq, hash}}")
        seq, digest = head["seq"], head["hash"]
        if not is_seq(seq) or not is_hash(digest):
            raise AnchorError(f"the anchor's entry for {chain} has no valid seq and hash")
        out[chain] = Head(seq, digest)
    return out


def load_anchor(path: Path | str) -> dict[str, Head]:
    """Read an anchor file (``-``: standard input), bounded; :class:`AnchorError` if unusable."""
    try:
        if str(path) == "-":
            import sys

            data = sys.stdin.buffer.read(MAX_ANCHOR_BYTES + 1)
        else:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            with os.fdopen(fd, "rb") as f:
                if not _regular(f.fileno()):
                    raise AnchorError(f"{path} is not a regular file")
                data = f.read(MAX_ANCHOR_BYTES + 1)
    except OSError as exc:
        raise AnchorError(f"the anchor {path} cannot be read ({exc.strerror or exc})") from None
    return parse_anchor(data)


def _regular(fd: int) -> bool:
    import stat

    return stat.S_ISREG(os.fstat(fd).st_mode)
