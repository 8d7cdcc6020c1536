"""The enforcement agent: the one entry point every integration calls for a tool call.

decide (policy, role, tenant) → decision record (written before acting; no record, no action)
→ act (sandboxed exec, confined file tool, connector gateway) → redact → telemetry.
Any error on the way is a deny or an error outcome, never an unguarded action.
"""

from __future__ import annotations

import hashlib
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from enforcement_agent.audit import DecisionLog, StateInWorkspaceError, state_dir_conflict
from enforcement_agent.models import (
    Decision,
    Limits,
    Outcome,
    ToolRequest,
    ToolResult,
    Verdict,
    new_decision_id,
)

if TYPE_CHECKING:
    from enforcement_agent.approvals import Approval

    # Imported where they act (see _exec, _fs, _emit): an agent that only decides and records
    # (a hook process, once per tool call) never pays for the sandbox, HTTP client or OTel SDK.
    from enforcement_agent.connectors import ConnectorGateway
    from enforcement_agent.fs import ConfinedFS
    from enforcement_agent.policy import PolicyStore
    from enforcement_agent.redaction import Redactor
    from enforcement_agent.sandbox.workspace_names import NameRules

OutputSink = Callable[[bytes], None]
# Denials that mean the enforcement path itself failed (and so failed closed), not the policy.
FAIL_CLOSED_RULES = frozenset(
    {"internal-error", "policy-unavailable", "no-decision-record", "state-in-workspace"}
)
# The agent keeps at most this much output in the ToolResult; the stream callback sees it all
# (up to the policy's output cap, which the sandbox enforces).
_RESULT_KEEP_BYTES = 4 * 1024 * 1024
# The rule of a call a human approved (``agent exec --approved``): an ``ask`` made an allow.
APPROVED_RULE = "approval.human"


class AgentTelemetry(Protocol):
    """What the agent emits through: ``telemetry.Telemetry`` (OpenTelemetry), or
    ``null_telemetry.NullTelemetry`` for a process that only decides and records."""

    tracer: Any
    tool_calls: Any
    decisions: Any
    fail_closed: Any
    duration: Any

    def labels(self, values: Mapping[str, str]) -> dict[str, str]: ...

    def parent_context(self, tenant: str, session: str | None) -> Any: ...

    def flush(self) -> None: ...

    def shutdown(self) -> None: ...


def _fail_closed(rule: str, reason: str, policy_version: str = "unknown") -> Decision:
    return Decision(
        decision=Verdict.DENY,
        rule=rule,
        reason=reason,
        decision_id=new_decision_id(),
        policy_version=policy_version,
    )


@dataclass
class EnforcementAgent:
    """Decides, records and (for its own tools) runs agent tool calls."""

    policies: PolicyStore
    decision_log: DecisionLog
    redactor: Redactor
    telemetry: AgentTelemetry
    workspace_for: Callable[[str], Path]
    connectors: ConnectorGateway | None = None
    allow_weak_fallback: bool = False
    demo: bool = False
    # Operator overrides may only tighten the policy's limits (see ``_tightened``).
    limit_overrides: dict[str, float] = field(default_factory=dict)
    # Where records and telemetry live (the decision log's directory is always included): none
    # may be inside a workspace the agent acts in, or the agent could rewrite its audit trail.
    state_dirs: tuple[Path, ...] = ()
    # Where per-tenant workspaces may live even inside a state directory (the home's
    # workspaces/); any other workspace inside one is refused like a state dir inside it.
    workspace_roots: tuple[Path, ...] = ()
    # The directory the policy files are read from (set from ``policies``): no workspace may
    # hold it, or an agent could rewrite the policy that decides its calls.
    policy_dirs: tuple[Path, ...] = field(default=(), init=False)
    _fs_cache: dict[Path, ConfinedFS] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.state_dirs = (Path(self.decision_log.audit_dir), *self.state_dirs)
        # The policy's own files: no workspace may hold them (twenty-third pass).
        source = getattr(self.policies, "policy_dir", None)
        self.policy_dirs = (Path(source),) if source is not None else ()

    def check_workspace(self, workspace: Path) -> None:
        """Raise :class:`StateInWorkspaceError` when a state directory is inside ``workspace``."""
        reason = state_dir_conflict(
            self.state_dirs, workspace, self.workspace_roots, self.policy_dirs
        )
        if reason is not None:
            raise StateInWorkspaceError(reason)

    def decide(self, req: ToolRequest, workspace: Path | None = None) -> Decision:
        """Policy only (no record, no action): for ``policy eval`` style callers."""
        try:
            policy = self.policies.for_tenant(req.tenant)
        except Exception as exc:  # noqa: BLE001 - any policy failure denies
            return _fail_closed("policy-unavailable", f"policy could not be loaded: {exc}")
        return policy.decide(req, workspace or self.workspace_for(req.tenant))

    def authorize(
        self,
        req: ToolRequest,
        *,
        workspace: Path | None = None,
        executor: str = "host-agent",
        extra: dict[str, Any] | None = None,
    ) -> Decision:
        """Decide and record a call that someone else executes (a host agent's hook).

        Nothing runs here, so no ``tool_call`` span is emitted (spans count tool outcomes the
        agent produced); only the decision metrics. No record → deny (``no-decision-record``).
        """
        ws = (workspace or self.workspace_for(req.tenant)).resolve()
        decision = self._decide_and_record(req, ws, {**(extra or {}), "executor": executor})
        self._count_decision(req, decision)
        return decision

    def _decide_and_record(
        self,
        req: ToolRequest,
        ws: Path,
        extra: dict[str, Any] | None = None,
        approval: Approval | None = None,
    ) -> Decision:
        """The policy's decision, recorded; a decision that cannot be recorded becomes a deny."""
        conflict = state_dir_conflict(self.state_dirs, ws, self.workspace_roots, self.policy_dirs)
        if conflict is not None:
            # Nothing is recorded in a log the agent could rewrite; nothing acts either.
            return _fail_closed("state-in-workspace", conflict)
        decision = self.decide(req, ws)
        fields = {**(extra or {}), "workspace_digest": _digest(str(ws))}
        if approval is not None:
            decision = _approved(decision, approval)
            fields["approval_of"] = approval.decision_id
        try:
            self.decision_log.append(req, decision, fields)
        except Exception as exc:  # noqa: BLE001 - no record, no action
            decision = _fail_closed(
                "no-decision-record",
                f"the decision could not be recorded, so the call is refused: {exc}",
                decision.policy_version,
            )
        return decision

    def _count_decision(self, req: ToolRequest, decision: Decision) -> dict[str, str]:
        """Decision metrics (and fail-closed ones); returns the redacted labels used."""
        labels = self.telemetry.labels(
            {"tenant_id": req.tenant, "tool": req.tool, "decision": decision.decision.value}
        )
        self.telemetry.decisions.add(1, labels)
        if decision.rule in FAIL_CLOSED_RULES:
            self.telemetry.fail_closed.add(
                1, {"tenant_id": labels["tenant_id"], "tool": req.tool, "rule": decision.rule}
            )
        return labels

    def handle(
        self,
        req: ToolRequest,
        payload: bytes | None = None,
        *,
        workspace: Path | None = None,
        on_output: OutputSink | None = None,
        approval: Approval | None = None,
    ) -> ToolResult:
        """Decide, record and act. ``approval``: a human's one-time approval of an earlier
        ``ask`` for exactly this call (``agent exec --approved``), checked and used up here."""
        # The span schema only where a span is made: a hook process (authorize) never loads it.
        from enforcement_agent.span_schema import SPAN_NAME_PREFIX

        if req.tool == "write" and payload is not None and req.content is None:
            # the bytes written are what the write is judged by (a fifteenth red-team pass:
            # a source written into requirements.txt or a lockfile); never recorded
            req = replace(req, content=payload.decode("utf-8", "replace"))
        ws = (workspace or self.workspace_for(req.tenant)).resolve()
        started = time.monotonic()
        parent = self.telemetry.parent_context(req.tenant, req.session)
        with self.telemetry.tracer.start_as_current_span(
            f"{SPAN_NAME_PREFIX}{req.tool}", context=parent
        ) as span:
            # The record names the span that will report the call: the ingest checks that
            # every recorded call's span reached the store (telemetry completeness).
            ctx = span.get_span_context()
            link = {"trace_id": f"{ctx.trace_id:032x}", "span_id": f"{ctx.span_id:016x}"}
            decision = self._decide_and_record(req, ws, link, approval)
            if decision.decision is Verdict.ALLOW:
                result = self._act(req, decision, payload, ws, on_output)
                if result.outcome is Outcome.ERROR or result.sandbox_hid:
                    self._record_outcome(req, result, link)
            else:
                reason = decision.reason
                if decision.decision is Verdict.ASK:
                    reason = (
                        f"needs human approval (treated as deny by a headless caller): {reason}"
                    )
                result = ToolResult(decision=decision, outcome=Outcome.DENIED, detail=reason)
            duration = time.monotonic() - started
            result = _with_duration(result, duration)
            self._emit(span, req, result)
        return result

    def _act(
        self,
        req: ToolRequest,
        decision: Decision,
        payload: bytes | None,
        ws: Path,
        on_output: OutputSink | None,
    ) -> ToolResult:
        try:
            if req.tool == "exec":
                return self._exec(req, decision, ws, on_output)
            if req.tool == "connector":
                return self._connector(req, decision, payload)
            return self._file(req, decision, payload, ws)
        except Exception as exc:  # noqa: BLE001 - report, redacted, never re-raise raw
            return ToolResult(
                decision=decision,
                outcome=Outcome.ERROR,
                detail=self.redactor.redact_text(f"{type(exc).__name__}: {exc}"),
            )

    def _exec(
        self, req: ToolRequest, decision: Decision, ws: Path, on_output: OutputSink | None
    ) -> ToolResult:
        limits = _tightened(
            self.policies.for_tenant(req.tenant).limits("exec"), self.limit_overrides
        )
        stream = self.redactor.stream()
        kept: list[bytes] = []
        kept_len = 0

        def emit(chunk: bytes) -> None:
            nonlocal kept_len
            if not chunk:
                return
            if on_output is not None:
                on_output(chunk)
            if kept_len < _RESULT_KEEP_BYTES:
                kept.append(chunk)
                kept_len += len(chunk)

        from enforcement_agent.sandbox import run_sandboxed

        compiled = self.policies.for_tenant(req.tenant).compiled.exec
        res = run_sandboxed(
            ["/bin/sh", "-c", req.command or ""],
            ws,
            limits,
            on_output=lambda raw: emit(stream.feed(raw)),
            allow_weak_fallback=self.allow_weak_fallback,
            tenant=req.tenant,
            tool="exec",
            names=sandbox_names(compiled, ws),
            # A read-only role's command gets a read-only workspace: the policy lets it run
            # only listed programs, and this holds for what they do as a side effect too.
            read_only=req.role in compiled.read_only_roles,
        )
        emit(stream.flush())
        return ToolResult(
            decision=decision,
            outcome=res.outcome,
            output=b"".join(kept),
            exit_code=res.exit_code,
            bytes_out=res.bytes_out,
            truncated=res.truncated,
            sandbox_layer=res.layer,
            detail=res.limit_hit or res.detail,
            sandbox_hid=bool(res.hidden),
        )

    def _fs(self, ws: Path) -> ConfinedFS:
        from enforcement_agent.fs import ConfinedFS

        fs = self._fs_cache.get(ws)
        if fs is None:
            fs = self._fs_cache[ws] = ConfinedFS(ws)
        return fs

    def _file(
        self, req: ToolRequest, decision: Decision, payload: bytes | None, ws: Path
    ) -> ToolResult:
        fs = self._fs(ws)
        path = req.path or "."
        if req.tool == "read":
            out = self.redactor.redact_bytes(fs.read(path))
        elif req.tool == "write":
            fs.write(path, payload or b"")
            out = b""
        else:
            out = "\n".join(fs.list(path)).encode()
            out = self.redactor.redact_bytes(out)
        return ToolResult(
            decision=decision,
            outcome=Outcome.SUCCESS,
            output=out,
            bytes_out=len(out),
            sandbox_layer="confined-fs",
        )

    def _connector(self, req: ToolRequest, decision: Decision, payload: bytes | None) -> ToolResult:
        if self.connectors is None:
            return ToolResult(
                decision=decision,
                outcome=Outcome.ERROR,
                detail="no connector gateway is configured for this agent",
            )
        resp = self.connectors.call(req, payload)
        body = self.redactor.redact_bytes(resp.body)
        return ToolResult(
            decision=decision,
            outcome=resp.outcome,
            output=body,
            exit_code=resp.status or None,
            bytes_out=len(body),
            truncated=resp.truncated,
            sandbox_layer="connector-gateway",
            detail=self.redactor.redact_text(resp.limit_hit or resp.detail),
        )

    def _record_outcome(self, req: ToolRequest, result: ToolResult, link: dict[str, str]) -> None:
        """An allowed call that could not act (disk full, sandbox failure …) gets an outcome
        record beside its decision, so no record says "allow" for a call that did not happen.
        Best effort: the span carries the outcome too, and a failure here changes nothing."""
        d = result.decision
        note = Decision(
            decision=d.decision,
            rule=d.rule,
            reason=f"outcome {result.outcome.value}: {result.detail}"[:1024],
            decision_id=new_decision_id(),
            policy_version=d.policy_version,
            destructive=d.destructive,
        )
        extra = {"record": "outcome", "outcome_of": d.decision_id, "outcome": result.outcome.value}
        try:
            self.decision_log.append(req, note, {**extra, **link})
        except Exception:  # noqa: BLE001 - the span and metrics still report the outcome
            pass

    def _emit(self, span: Any, req: ToolRequest, result: ToolResult) -> None:
        from enforcement_agent.span_schema import span_attributes

        d = result.decision
        limit = None
        if result.outcome is Outcome.LIMIT or result.outcome is Outcome.TIMEOUT:
            limit = result.detail or result.outcome.value
        attrs = span_attributes(
            {
                "tenant_id": req.tenant,
                "actor": req.actor,
                "role": req.role,
                "tool": req.tool,
                "session_id": req.session or "",
                "decision": d.decision.value,
                "rule": d.rule,
                "decision_id": d.decision_id,
                "policy_version": d.policy_version,
                "destructive": d.destructive,
                "outcome": result.outcome.value,
                "duration_ms": round(result.duration_ms, 3),
                "bytes_out": result.bytes_out,
                "truncated": result.truncated,
                "sandbox_layer": result.sandbox_layer,
                "is_demo": self.demo,
                "exit_code": result.exit_code,
                "limit_hit": limit,
            }
        )
        span.set_attributes(attrs)
        if result.outcome in (Outcome.ERROR, Outcome.FAILURE):
            from opentelemetry.trace import Status, StatusCode

            span.set_status(Status(StatusCode.ERROR, result.detail[:200]))
        labels = self._count_decision(req, d)
        self.telemetry.tool_calls.add(1, {**labels, "outcome": result.outcome.value})
        self.telemetry.duration.record(
            result.duration_ms / 1000.0, {"tenant_id": labels["tenant_id"], "tool": req.tool}
        )


def _approved(decision: Decision, approval: Approval) -> Decision:
    """``decision`` once a human's approval is presented: the approval must be valid for this
    exact call (redeemed, so used up, even when the policy's answer does not need it); an
    ``ask`` for the rule the human saw becomes an allow; a deny stays a deny."""
    from enforcement_agent.approvals import ApprovalError

    def deny(rule: str, reason: str) -> Decision:
        return replace(
            decision,
            decision=Verdict.DENY,
            rule=rule,
            reason=f"{reason} (approval {approval.decision_id})",
        )

    try:
        redeemed = approval.store.redeem(approval.decision_id, approval.binding)
    except ApprovalError as exc:
        return deny(exc.rule, exc.reason)
    except OSError as exc:
        return deny("approval.store", f"the approval could not be checked: {exc}")
    if decision.decision is not Verdict.ASK:
        return decision
    if decision.rule != redeemed.rule:
        return deny(
            "approval.mismatch",
            f"the policy now asks under {decision.rule}, the human approved {redeemed.rule}",
        )
    return replace(
        decision,
        decision=Verdict.ALLOW,
        rule=APPROVED_RULE,
        reason=f"approved by a human (ask {approval.decision_id}): {decision.rule}: "
        f"{decision.reason}",
    )


def _tightened(limits: Limits, overrides: dict[str, float]) -> Limits:
    """Apply operator overrides, never loosening what the policy set."""
    changes: dict[str, Any] = {}
    for name, value in overrides.items():
        current = getattr(limits, name)
        if not isinstance(current, int | float | None) or isinstance(current, bool):
            raise ValueError(f"limit {name!r} cannot be overridden")
        tighter = value if current is None else min(current, value)
        changes[name] = type(current)(tighter) if current is not None else tighter
    return replace(limits, **changes)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def _with_duration(result: ToolResult, seconds: float) -> ToolResult:
    return replace(result, duration_ms=seconds * 1000.0)


# Per GlobSet: workspace-relative path -> whether it matches (the sandbox asks about every
# entry of the workspace twice per run; names repeat from run to run).
_NAME_MEMO: weakref.WeakKeyDictionary[Any, dict[str, bool]] = weakref.WeakKeyDictionary()
_NAME_MEMO_MAX = 200_000


def _memo_matcher(globs: Any) -> Callable[[str], bool]:
    from enforcement_agent.policy.paths import spellings

    if globs is None:
        return lambda _rel: False
    memo = _NAME_MEMO.setdefault(globs, {})

    def match(rel: str) -> bool:
        hit = memo.get(rel)
        if hit is None:
            if len(memo) >= _NAME_MEMO_MAX:
                memo.clear()
            hit = memo[rel] = any(globs.match(r) for r in spellings((rel,)))
        return hit

    return match


def sandbox_names(cfg: Any, ws: Path) -> NameRules:
    """The policy's own protected and secret lists (``files.protected``/``secrets``, and the
    repository's ``core.hooksPath``) for the sandbox to enforce by effect; ``cfg`` is a
    compiled policy's ``exec`` part."""
    from enforcement_agent.policy.paths import TREE_LIMIT, VENDOR_DIRS, Workspace, spellings
    from enforcement_agent.policy.repo_runs import repo_protected, under_repo_protected
    from enforcement_agent.sandbox.workspace_names import NameRules

    listed = _memo_matcher(cfg.protected_set)
    hooks = repo_protected(Workspace(ws))  # lower-cased, as in_repo_protected compares them

    def protected(rel: str) -> bool:
        if listed(rel):
            return True
        return any(under_repo_protected(r.lower(), hooks, "read") for r in spellings((rel,)))

    return NameRules(protected, _memo_matcher(cfg.secret_set), VENDOR_DIRS, TREE_LIMIT)
