"""One-time human approvals of an ``ask`` decision, kept in the state directory.

Claude Code's ``PreToolUse`` hook may answer ``ask`` together with ``updatedInput``: the human is
shown the rewritten command and, on approval, the host runs it. For ``Bash`` the rewritten line
is ``gonogo agent exec --approved=<decision id> … -- bash -c CMD`` (the sandbox), and the policy
there would say ``ask`` again, which a headless ``agent exec`` treats as deny. So the hook that
answered ``ask`` *issues* an approval record bound to what was decided, and ``agent exec``
*redeems* it once:

``<GONOGO_HOME>/approvals/<tenant>/<decision id>.json`` holds the tenant, role, actor, the
workspace's real path, the workspace-relative cwd, the SHA-256 of the command line, the
policy folder the line names, the rule that asked and the time it was issued; ``<decision id>.used`` is created with ``O_EXCL`` when
the approval is redeemed (one process wins a race; the loser sees ``FileExistsError``), fsynced
with its folder before the command runs. An approval is valid for :data:`MAX_AGE_S` seconds.

The store lives under ``GONOGO_HOME``, which may not be inside any workspace (the agent checks
every workspace against its state directories) and is not mounted in the sandbox: nothing the
agent writes in its workspace or runs in the sandbox can issue or reset an approval. A process
that can write the state directory on the host (root, the operator) can; that is the same trust
the decision log needs (docs/policy.md, "Seventh pass").
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from enforcement_agent.audit_format import open_regular
from enforcement_agent.durable import fsync_path
from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.models import valid_tenant

# How long a human's approval stays redeemable: Claude Code runs the approved line at once, so
# minutes are plenty; an old approval the agent finds later (in a transcript) is refused.
MAX_AGE_S = 600.0
_ID = lazy_compile(r"^[0-9a-f]{32}$")
_MAX_RECORD = 64 * 1024
APPROVALS_DIR = "approvals"


class ApprovalError(Exception):
    """The approval cannot be redeemed; ``rule`` names why (recorded as the decision's rule)."""

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason


def command_digest(command: str) -> str:
    return hashlib.sha256(command.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Binding:
    """What an approval is for: exactly this caller, place and command line."""

    tenant: str
    role: str
    actor: str
    workspace: str  # the real path
    cwd: str  # workspace-relative ("." at the root)
    command_sha256: str
    # The policy folder the line names ("" for the plan's): an approval redeemed under another
    # policy would let that policy's `ask` rules stand in for the one the human saw.
    policy_dir: str = ""

    @classmethod
    def of(
        cls,
        *,
        tenant: str,
        role: str,
        actor: str,
        workspace: Path,
        cwd: str,
        command: str,
        policy_dir: Path | None = None,
    ) -> Binding:
        rel = os.path.normpath(cwd or ".")
        return cls(
            tenant=tenant,
            role=role,
            actor=actor,
            workspace=os.path.realpath(workspace),
            cwd=rel,
            command_sha256=command_digest(command),
            policy_dir=os.path.realpath(policy_dir) if policy_dir is not None else "",
        )


@dataclass(frozen=True)
class Redeemed:
    decision_id: str
    rule: str


def valid_id(decision_id: str) -> bool:
    return bool(_ID.match(decision_id))


class ApprovalStore:
    """``<root>/<tenant>/<id>.json`` issued by the hook, ``<id>.used`` once redeemed."""

    def __init__(self, root: Path | str, *, max_age_s: float = MAX_AGE_S) -> None:
        self.root = Path(root)
        self.max_age_s = max_age_s

    def _tenant_dir(self, tenant: str) -> Path:
        if not valid_tenant(tenant):
            raise ApprovalError("approval.invalid", f"invalid tenant id {tenant[:40]!r}")
        return self.root / tenant

    def issue(self, decision_id: str, binding: Binding, rule: str) -> Path:
        """Write the approval record for an ``ask`` (atomic: staged, fsynced, renamed)."""
        if not valid_id(decision_id):
            raise ApprovalError("approval.invalid", "a decision id is 32 hex digits")
        tdir = self._tenant_dir(binding.tenant)
        for d in (self.root, tdir):
            d.mkdir(mode=0o700, exist_ok=True, parents=True)
            if d.is_symlink() or not d.is_dir():
                raise ApprovalError("approval.store", f"{d} is not a directory")
        record = {**asdict(binding), "decision_id": decision_id, "rule": rule,
                  "issued_at": time.time()}  # fmt: skip
        final = tdir / f"{decision_id}.json"
        stage = tdir / f".{decision_id}.{os.getpid()}.tmp"
        fd = os.open(stage, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            os.write(fd, json.dumps(record, sort_keys=True).encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            # link, not rename: an existing record for this id is never replaced.
            os.link(stage, final)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(stage)
        fsync_path(tdir, directory=True)
        return final

    def redeem(self, decision_id: str, binding: Binding, *, now: float | None = None) -> Redeemed:
        """Check the approval against ``binding`` and mark it used (once, durably)."""
        if not valid_id(decision_id):
            raise ApprovalError("approval.unknown", "the approval id is not a decision id")
        tdir = self._tenant_dir(binding.tenant)
        record = self._read(tdir / f"{decision_id}.json", binding.tenant)
        if record.get("decision_id") != decision_id:
            raise ApprovalError("approval.unknown", "the approval record names another decision")
        want = asdict(binding)
        for key in ("tenant", "role", "actor", "workspace", "cwd", "command_sha256", "policy_dir"):
            if record.get(key) != want[key]:
                what = {"command_sha256": "command", "policy_dir": "policy folder"}.get(key, key)
                raise ApprovalError(
                    "approval.mismatch",
                    f"the approval was given for another {what}; this run was not approved",
                )
        issued = record.get("issued_at")
        clock = time.time() if now is None else now
        if not isinstance(issued, int | float) or isinstance(issued, bool):
            raise ApprovalError("approval.unknown", "the approval record is malformed")
        if clock - issued > self.max_age_s or issued - clock > 60:
            raise ApprovalError(
                "approval.expired",
                f"the approval is older than {int(self.max_age_s)} s (or from the future)",
            )
        rule = record.get("rule")
        if not isinstance(rule, str):
            raise ApprovalError("approval.unknown", "the approval record is malformed")
        self._claim(tdir / f"{decision_id}.used", tdir)
        return Redeemed(decision_id=decision_id, rule=rule)

    def _read(self, path: Path, tenant: str) -> dict[str, Any]:
        try:
            fd = open_regular(path, os.O_RDONLY)
        except FileNotFoundError:
            raise ApprovalError(
                "approval.unknown", f"no approval with this id was issued for tenant {tenant}"
            ) from None
        except OSError as exc:
            raise ApprovalError("approval.unknown", f"the approval cannot be read: {exc}") from None
        try:
            data = os.read(fd, _MAX_RECORD + 1)
        finally:
            os.close(fd)
        try:
            record = json.loads(data) if len(data) <= _MAX_RECORD else None
        except ValueError:
            record = None
        if not isinstance(record, dict):
            raise ApprovalError("approval.unknown", "the approval record is malformed")
        return record

    @staticmethod
    def _claim(used: Path, tdir: Path) -> None:
        try:
            fd = os.open(used, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            raise ApprovalError(
                "approval.replayed", "this approval was used already (one run per approval)"
            ) from None
        try:
            os.write(fd, json.dumps({"used_at": time.time(), "pid": os.getpid()}).encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        fsync_path(tdir, directory=True)


def exec_command_line(words: list[str]) -> str:
    """The command line ``gonogo agent exec -- WORDS`` decides (one word: itself)."""
    import shlex

    return words[0] if len(words) == 1 else shlex.join(words)


@dataclass(frozen=True)
class Approval:
    """An approval presented to ``agent exec`` (``--approved=ID``), not yet checked."""

    store: ApprovalStore
    decision_id: str
    binding: Binding


def approvals_root(audit_dir: Path | str) -> Path:
    """The approval store beside the decision log: ``<GONOGO_HOME>/approvals``."""
    return Path(audit_dir).parent / APPROVALS_DIR
