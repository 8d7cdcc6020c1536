"""The effective policy of one tenant: decide, explain, limits, revision.

``Policy.decide`` never raises. Findings from the exec evaluator, file rules or connector
rules are combined deny-overrides (deny, then ask, then allow with a held permission);
nothing matched means the section's default. A destructive deny can only be turned into an
allow by a break-glass rule naming it, for the listed roles/actors, until it expires.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from enforcement_agent.models import Decision, Limits, ToolRequest, Verdict, new_decision_id
from enforcement_agent.policy.content_secrets import credential_in
from enforcement_agent.policy.exec_eval import UNDECIDABLE, ExecConfig, ExecEvaluator
from enforcement_agent.policy.git_credentials import is_credential_file
from enforcement_agent.policy.git_store_reads import git_dir_of, git_store_of
from enforcement_agent.policy.package_sources import written_source
from enforcement_agent.policy.paths import Workspace
from enforcement_agent.policy.rules import BreakGlass, ConnectorRule, FileRule, Finding
from enforcement_agent.policy.shell import TooComplex

_FILE_PERMISSION = {"read": "fs.read", "list": "fs.list", "write": "fs.write"}


@dataclass(slots=True)
class CompiledPolicy:
    """A tenant's policy, compiled from its files."""

    name: str
    files_loaded: tuple[str, ...]
    revision: str
    roles: dict[str, frozenset[str]]
    exec: ExecConfig
    file_rules: list[FileRule]
    file_default: Verdict
    connector_rules: dict[str, list[ConnectorRule]]
    connector_default: Verdict
    break_glass: list[BreakGlass]
    limits: dict[str, Limits]
    tests: list[dict[str, Any]] = field(default_factory=list)
    rule_count: int = 0
    rule_sources: dict[str, str] = field(default_factory=dict)
    # The argument-spec files (exec.program_files) the policy read, beside files_loaded: a
    # cache of the compiled policy must be rebuilt when any of them changes.
    spec_files: tuple[str, ...] = ()


class Policy:
    """What ``PolicyStore.for_tenant`` returns; immutable after load."""

    def __init__(self, compiled: CompiledPolicy) -> None:
        self._c = compiled
        self.revision = compiled.revision
        self.name = compiled.name
        # Resolved workspace roots, so a decision does not re-resolve the root every call.
        self._workspaces: dict[str | None, Workspace] = {}
        self._by_operation: dict[str, list[ConnectorRule]] = {}

    @property
    def compiled(self) -> CompiledPolicy:
        return self._c

    @property
    def rule_count(self) -> int:
        return self._c.rule_count

    def permissions(self, role: str) -> frozenset[str]:
        return self._c.roles.get(role, frozenset())

    def limits(self, tool: str) -> Limits:
        return self._c.limits.get(tool) or self._c.limits.get("default") or Limits()

    # ---- deciding -----------------------------------------------------------------------
    def decide(
        self, req: ToolRequest, workspace: Path | None = None, today: date | None = None
    ) -> Decision:
        start = time.perf_counter_ns()
        try:
            findings, _ = self._findings(req, workspace)
            verdict, rule, reason, destructive = _combine(findings)
            if verdict is Verdict.DENY and destructive:
                verdict, rule, reason = self._break_glass(
                    req, findings, verdict, rule, reason, today
                )
        except Exception as exc:  # noqa: BLE001 - the enforcement path fails closed
            verdict, rule, reason, destructive = (
                Verdict.DENY,
                "internal-error",
                f"policy evaluation failed ({type(exc).__name__}); denied to fail closed",
                False,
            )
        return Decision(
            decision=verdict,
            rule=rule,
            reason=reason,
            decision_id=new_decision_id(),
            policy_version=self.revision,
            destructive=destructive,
            eval_ns=time.perf_counter_ns() - start,
        )

    def explain(self, req: ToolRequest, workspace: Path | None = None) -> dict[str, Any]:
        """Why ``req`` gets its decision: every finding, the parsed commands, the role's rights."""
        decision = self.decide(req, workspace)
        try:
            findings, parsed = self._findings(req, workspace)
        except Exception as exc:  # noqa: BLE001
            findings, parsed = [], [[f"internal error: {type(exc).__name__}"]]
        return {
            "decision": decision.to_json() | {"destructive": decision.destructive},
            "policy": {
                "name": self.name,
                "revision": self.revision,
                "files": list(self._c.files_loaded),
            },
            "role": req.role,
            "permissions": sorted(self.permissions(req.role)),
            "commands": parsed,
            "findings": [
                {
                    "effect": f.effect.value,
                    "rule": f.rule,
                    "reason": f.reason,
                    "subject": f.subject,
                    "destructive": f.destructive,
                    "defined_at": self._c.rule_sources.get(f.rule, "built-in check"),
                }
                for f in findings
            ],
        }

    def _connector_candidates(self, connector: str, operation: str) -> list[ConnectorRule]:
        """Rules whose operation patterns match, memoized per operation (a small, fixed space)."""
        hit = self._by_operation.get(operation)
        if hit is None:
            rules = self._c.connector_rules.get(connector, []) + self._c.connector_rules.get(
                "*", []
            )
            hit = [r for r in rules if r.matches_operation(operation)]
            if len(self._by_operation) >= 4096:
                self._by_operation.clear()
            self._by_operation[operation] = hit
        return hit

    def _workspace(self, workspace: Path | None) -> Workspace:
        key = None if workspace is None else str(workspace)
        ws = self._workspaces.get(key)
        if ws is None:
            ws = Workspace(workspace)
            if len(self._workspaces) >= 256:
                self._workspaces.clear()
            self._workspaces[key] = ws
        return ws

    def _findings(
        self, req: ToolRequest, workspace: Path | None
    ) -> tuple[list[Finding], list[list[str]]]:
        perms = self.permissions(req.role)
        if req.tool == "exec":
            read_only = req.role in self._c.exec.read_only_roles
            ev = ExecEvaluator(self._c.exec, self._workspace(workspace), perms, read_only)
            try:
                ev.command(req.command or "")
                ev.finish()
            except TooComplex as exc:  # a cap on the decision's work: deny, say why
                ev.findings.append(
                    Finding(Verdict.DENY, UNDECIDABLE, f"cannot be decided: {exc}", False, "")
                )
            if not ev.findings:
                ev.findings.append(
                    Finding(
                        Verdict.ALLOW, "exec.assignment-only", "only sets shell variables", False
                    )
                )
            return ev.findings, ev.parsed
        if req.tool in _FILE_PERMISSION:
            return self._file(req, workspace, perms), []
        return self._connector(req, perms), []

    def _file(
        self, req: ToolRequest, workspace: Path | None, perms: frozenset[str]
    ) -> list[Finding]:
        action = req.tool
        raw = req.path or ""
        ws = self._workspace(workspace)
        res = ws.resolve(raw, ws.root)
        if not res.inside:
            return [
                Finding(
                    Verdict.DENY,
                    "file.outside-workspace",
                    f"'{raw}' resolves outside the tenant workspace",
                    action == "write",
                    raw,
                )
            ]
        findings: list[Finding] = []
        held = "" if ws.virtual or action == "write" else credential_in(res.real)
        if held:
            findings.append(
                Finding(
                    Verdict.DENY,
                    "file.secrets",
                    f"the file holds {held}: a file whose content is a credential is a secret "
                    "file while it does, whatever its name",
                    False,
                    raw,
                )
            )
        if not ws.virtual:
            if is_credential_file(ws.root, res.rels):
                findings.append(
                    Finding(
                        Verdict.DENY,
                        "file.secrets",
                        "the repository's git configuration holds a credential (a token in a "
                        "remote url or an http extraheader): it is a secret file while it does",
                        action == "write",
                        raw,
                    )
                )
        store = git_store_of(ws.root, res.real) if action == "read" and not ws.virtual else ""
        if store:
            findings.append(
                Finding(
                    Verdict.DENY,
                    "file.secrets",
                    f"'{raw}' is in the git object store of '{store}': its bytes are committed "
                    "files, compressed, which neither policy nor redaction can check (read "
                    "them through git)",
                    False,
                    raw,
                )
            )
        planted = git_dir_of(ws.root, res.real) if action == "write" and not ws.virtual else ""
        if planted:
            findings.append(
                Finding(
                    Verdict.DENY,
                    "file.protected",
                    f"'{raw}' is inside the git directory '{planted}': its config and hooks "
                    "run when git is used on it (a push to it, a command in it)",
                    True,
                    raw,
                )
            )
        if action == "write":
            # Imported for a write only: repo_runs brings ~10 reader modules a read never uses
            # (a hook process deciding `git status` loads none of them; stop 46).
            from enforcement_agent.policy.repo_runs import in_repo_protected

            if in_repo_protected(ws, res.rels):
                findings.append(
                    Finding(
                        Verdict.DENY,
                        "file.protected",
                        "the repository's git configuration names this path (core.hooksPath or "
                        "an included config file): git runs or trusts it",
                        True,
                        raw,
                    )
                )
        if action == "write" and req.content is not None:
            src_rule, why = written_source(
                res.real, req.content, lambda p: ws.contains(os.path.realpath(p))
            )
            if src_rule:
                # the shell's judgement of a line that writes this file, for the file tool
                # (a fifteenth red-team pass: `echo 'x @ https://…' >> requirements.txt` was
                # denied, the Write tool's same text allowed)
                findings.append(
                    Finding(
                        Verdict.DENY,
                        src_rule,
                        f"'{raw}' {why}: installing from it is a supply-chain change",
                        False,
                        raw,
                    )
                )
        if not ws.virtual and _other_links(res.real):
            findings.extend(self._hard_link_twins(ws, res.real, action, perms, raw))
        allows: list[FileRule] = []
        for rule in self._c.file_rules:
            if rule.matches(action, res.rels):
                if rule.effect is Verdict.ALLOW:
                    allows.append(rule)
                else:
                    findings.append(
                        Finding(rule.effect, rule.id, rule.reason, rule.destructive, raw)
                    )
        findings.extend(_allow_or_rbac(allows, perms, raw, f"{action} '{raw}'"))
        if not findings:
            findings.append(
                Finding(
                    self._c.file_default,
                    "file.default",
                    f"no file rule covers {action} '{raw}'",
                    False,
                    raw,
                )
            )
        return findings

    def _hard_link_twins(
        self, ws: Workspace, real: str, action: str, perms: frozenset[str], raw: str
    ) -> list[Finding]:
        """A file with other hard links is the same file as each of them: reading a secret's
        twin reads the secret, writing a protected file's twin writes it (an eleventh
        red-team pass: the file tools read `notes.txt` after `ln .env notes.txt` and wrote
        CLAUDE.md through its twin; commands were already checked)."""
        ev = ExecEvaluator(self._c.exec, ws, perms)
        try:
            with ev.budget.active():
                secret = ev._same_as_secret(real)
                twin = ev._same_as_protected(real) if action == "write" else ""
                out_links = ev._links_out(real) if action == "write" else False
                read_out = action == "read" and ev._reads_out(real)
        except TooComplex as exc:
            return [Finding(Verdict.DENY, UNDECIDABLE, f"cannot be decided: {exc}", False, raw)]
        out = []
        if secret:
            out.append(
                Finding(
                    Verdict.DENY,
                    "file.secrets",
                    f"'{raw}' is a hard link of the secret file '{secret}'",
                    action == "write",
                    raw,
                )
            )
        if twin:
            out.append(
                Finding(
                    Verdict.DENY,
                    "file.protected",
                    f"'{raw}' is a hard link of the protected path '{twin}'",
                    True,
                    raw,
                )
            )
        if read_out and not secret:
            # a hard link of a file outside the workspace (`~/.ssh/id_rsa`, another checkout's
            # .env) is that file (a twenty-ninth red-team pass)
            out.append(
                Finding(
                    Verdict.DENY,
                    "file.outside-workspace",
                    f"'{raw}' has hard links outside the workspace: reading it reads that file",
                    False,
                    raw,
                )
            )
        if out_links and not twin:
            # a hard link out of the workspace (uv's and pnpm's caches link into .venv and
            # node_modules): writing it changes the file there too (thirteenth pass)
            out.append(
                Finding(
                    Verdict.DENY,
                    "file.outside-workspace",
                    f"'{raw}' has hard links outside the workspace: writing it changes them",
                    True,
                    raw,
                )
            )
        return out

    def _connector(self, req: ToolRequest, perms: frozenset[str]) -> list[Finding]:
        connector = req.connector or ""
        operation = f"{connector}:{req.operation or ''}"
        resource = req.resource or ""
        findings: list[Finding] = []
        allows: list[ConnectorRule] = []
        for rule in self._connector_candidates(connector, operation):
            if rule.matches_resource(resource):
                if rule.effect is Verdict.ALLOW:
                    allows.append(rule)
                else:
                    findings.append(
                        Finding(rule.effect, rule.id, rule.reason, rule.destructive, operation)
                    )
        findings.extend(_allow_or_rbac(allows, perms, operation, operation))
        if not findings:
            findings.append(
                Finding(
                    self._c.connector_default,
                    "connector.default",
                    f"no connector rule allows {operation} on '{resource}'",
                    False,
                    operation,
                )
            )
        return findings

    def _break_glass(
        self,
        req: ToolRequest,
        findings: list[Finding],
        verdict: Verdict,
        rule: str,
        reason: str,
        today: date | None,
    ) -> tuple[Verdict, str, str]:
        denies = [f for f in findings if f.effect is Verdict.DENY]
        # Only destructive denials can be broken; "cannot be decided" never can.
        if any(not f.destructive for f in denies):
            return verdict, rule, reason
        day = today or datetime.now(UTC).date()
        # Every sub-command of the line must have exactly one of the break-glass argument
        # shapes, word for word: the denied ones, so an extra argument cannot ride along, and
        # the allowed ones too, so nothing else on the line changes what the shape acts on
        # (`kubectl config use-context prod && kubectl drain staging-1`, `cd prod && …`: a
        # third red-team pass). An exec finding carries the words of its sub-command (None
        # when they cannot be known exactly: computed words, assignments, a nested command).
        # A file tool's shape is its path, one word whatever blanks it holds; a break-glass
        # applies only to the tool kind whose rules it overrides (bg.tools).
        shapes: list[tuple[str, ...] | None]
        if req.tool == "exec":
            shapes = list(dict.fromkeys(f.words for f in findings))
        elif req.tool == "connector":
            shapes = [tuple(req.target.split())]
        else:
            shapes = [(req.path or "",)]
        for bg in self._c.break_glass:
            if all(f.rule in bg.overrides for f in denies) and all(
                bg.applies(req.role, req.actor, words, day, req.tool) for words in shapes
            ):
                # A break-glass lifts the denials it names, nothing else: a finding that asks
                # for a human (a pull whose commits the policy cannot see) still asks.
                asks = [f for f in findings if f.effect is Verdict.ASK]
                if asks:
                    _, ask_rule, ask_reason, _ = _combine(asks)
                    return (
                        Verdict.ASK,
                        ask_rule,
                        f"{ask_reason} (break-glass {bg.id} lifts {rule}, not this)",
                    )
                return (
                    Verdict.ALLOW,
                    bg.id,
                    f"break-glass {bg.id} (approved by {bg.approver}, ticket {bg.ticket}, "
                    f"expires {bg.expires.isoformat()}) overrides {rule}: {bg.reason}",
                )
        return verdict, rule, reason


def _allow_or_rbac(
    allows: list[Any], perms: frozenset[str], subject: str, what: str
) -> list[Finding]:
    if not allows:
        return []
    for r in allows:
        if r.permission is None or r.permission in perms:
            return [Finding(Verdict.ALLOW, r.id, r.reason, False, subject)]
    need = allows[0].permission
    return [
        Finding(
            Verdict.DENY,
            f"rbac.{need}",
            f"the role lacks permission '{need}' for {what}",
            False,
            subject,
        )
    ]


_GENERIC_RULES = ("exec.unknown-program", "file.default", "connector.default")


def _specificity(f: Finding) -> int:
    """Which deny to report: destructive first, then specific rules, then role, then defaults."""
    if f.destructive:
        return 0
    if f.rule in _GENERIC_RULES:
        return 3
    if f.rule.startswith("rbac."):
        return 2
    return 1


def _combine(findings: list[Finding]) -> tuple[Verdict, str, str, bool]:
    # One pass: the most specific deny (else ask), first in source order among equals.
    destructive = False
    subjects: set[str] = set()
    deny: Finding | None = None
    ask: Finding | None = None
    deny_rank = ask_rank = 4
    for f in findings:
        destructive = destructive or f.destructive
        subjects.add(f.subject)
        if f.effect is Verdict.DENY:
            rank = _specificity(f)
            if rank < deny_rank:
                deny, deny_rank = f, rank
        elif f.effect is Verdict.ASK:
            rank = _specificity(f)
            if rank < ask_rank:
                ask, ask_rank = f, rank
    for effect, chosen in ((Verdict.DENY, deny), (Verdict.ASK, ask)):
        if chosen is not None:
            where = f" [in: {chosen.subject}]" if len(subjects) > 1 and chosen.subject else ""
            return effect, chosen.rule, chosen.reason + where, destructive
    if not findings:
        return Verdict.DENY, "internal-error", "no rule produced a decision", destructive
    first = findings[0]
    if len(findings) > 1:
        rules = sorted({f.rule for f in findings})
        return (
            Verdict.ALLOW,
            first.rule,
            f"every sub-command is allowed ({', '.join(rules)})",
            destructive,
        )
    return Verdict.ALLOW, first.rule, first.reason, destructive


def _other_links(path: str) -> bool:
    """``path`` is a regular file with more than one hard link (one stat)."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_nlink > 1
