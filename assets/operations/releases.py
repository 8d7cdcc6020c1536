"""Policy releases, content-addressed: roll out, and roll back to the previous hashed version.

A release store is a folder::

    <root>/<revision>/policies/...   one immutable copy per revision (sha256 of the files)
    <root>/current -> <revision>     the active release (a symlink, swapped atomically)
    <root>/history.jsonl             every activation: revision, previous, when

A worker runs with ``GONOGO_PLAN_DIR=<root>/current`` (its policies are
``current/policies``), so rolling out or back is: activate a revision, restart the worker.
Each decision cites the tenant's effective policy revision (``policy_version``); for a
release that is :func:`policy_versions` of its folder, so a rollback is verified by the
decisions themselves.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from enforcement_agent.policy.store import PolicyStore

_REV = re.compile(r"^[0-9a-f]{64}$")


class ReleaseError(ValueError):
    """A release store operation that cannot be done (the message says why)."""


def folder_revision(policies: Path) -> str:
    """sha256 over every file under ``policies`` (relative path and bytes, sorted)."""
    if not policies.is_dir():
        raise ReleaseError(f"{policies} is not a policy folder")
    h = hashlib.sha256()
    files = sorted(p for p in policies.rglob("*") if p.is_file())
    if not files:
        raise ReleaseError(f"{policies} holds no policy files")
    for p in files:
        rel = p.relative_to(policies).as_posix().encode()
        h.update(len(rel).to_bytes(4, "big") + rel)
        data = p.read_bytes()
        h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def policy_versions(policies: Path, tenants: list[str]) -> dict[str, str]:
    """The ``policy_version`` each tenant's decisions cite under this policy folder."""
    store = PolicyStore(policies)
    return {t: store.for_tenant(t).revision for t in tenants}


@dataclass(frozen=True)
class Activation:
    revision: str
    previous: str | None
    at: str


class Releases:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def current_link(self) -> Path:
        return self.root / "current"

    @property
    def history_file(self) -> Path:
        return self.root / "history.jsonl"

    def policies(self, revision: str) -> Path:
        return self.root / self._check(revision) / "policies"

    def _check(self, revision: str) -> str:
        if not _REV.match(revision):
            raise ReleaseError(f"{revision!r} is not a release revision (64 hex digits)")
        if not (self.root / revision / "policies").is_dir():
            raise ReleaseError(f"no release {revision[:12]} in {self.root}")
        return revision

    def add(self, policies: Path) -> str:
        """Copy a policy folder in as an immutable release; returns its revision."""
        rev = folder_revision(policies)
        dest = self.root / rev
        if not dest.exists():
            tmp = self.root / f".{rev}.tmp-{os.getpid()}"
            if tmp.exists():
                shutil.rmtree(tmp)
            shutil.copytree(policies, tmp / "policies", symlinks=False)
            os.replace(tmp, dest)
        return rev

    def revisions(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if _REV.match(p.name) and p.is_dir())

    def current(self) -> str | None:
        try:
            target = os.readlink(self.current_link)
        except OSError:
            return None
        name = Path(target).name
        return name if _REV.match(name) else None

    def history(self) -> list[Activation]:
        if not self.history_file.exists():
            return []
        out = []
        for line in self.history_file.read_text().splitlines():
            if line.strip():
                d = json.loads(line)
                out.append(Activation(d["revision"], d.get("previous"), d["at"]))
        return out

    def activate(self, revision: str) -> Activation:
        """Make ``revision`` current (atomic symlink swap) and log the activation."""
        self._check(revision)
        self.root.mkdir(parents=True, exist_ok=True)
        previous = self.current()
        tmp = self.root / f".current.tmp-{os.getpid()}"
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(revision, tmp)
        os.replace(tmp, self.current_link)
        act = Activation(revision, previous, datetime.now(UTC).isoformat())
        with self.history_file.open("a") as fh:
            fh.write(json.dumps(act.__dict__) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        return act

    def previous(self) -> str:
        """The release that was active before the current one (what a rollback restores)."""
        cur = self.current()
        if cur is None:
            raise ReleaseError(f"no current release in {self.root}")
        for act in reversed(self.history()):
            if act.revision == cur:
                if act.previous is None:
                    raise ReleaseError(
                        "the current release is the first one: nothing to roll back to"
                    )
                return act.previous
        raise ReleaseError("the release history does not know the current release")

    def rollback(self) -> Activation:
        return self.activate(self.previous())
