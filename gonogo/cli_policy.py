"""`gonogo policy eval | test | explain`: the policy engine from the command line."""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from enforcement_agent.models import RequestError, ToolRequest
from enforcement_agent.policy import Policy, PolicyLoadError, PolicyStore, load_policy
from gonogo.config import DEFAULT_PLAN_DIR

DEFAULT_POLICY_DIR = DEFAULT_PLAN_DIR / "policies"

policy_app = typer.Typer(
    help="Decide tool calls with a policy, test a policy, explain a decision.", no_args_is_help=True
)

PolicyOpt = Annotated[
    Path | None,
    typer.Option(
        "--policy",
        help="a policy file, or a folder of per-tenant policies (default: the shipped plan's)",
    ),
]
WorkspaceOpt = Annotated[
    Path | None, typer.Option("--workspace", help="resolve paths against this workspace directory")
]


class _Source:
    """A single policy file, or a folder resolved per tenant."""

    def __init__(self, path: Path | None) -> None:
        path = path or DEFAULT_POLICY_DIR
        self.file: Policy | None = None
        self.store: PolicyStore | None = None
        if path.is_dir():
            self.store = PolicyStore(path)
        else:
            self.file = load_policy(path)

    def for_tenant(self, tenant: str) -> Policy:
        if self.file is not None:
            return self.file
        assert self.store is not None
        return self.store.for_tenant(tenant)


def _deny_line(reason: str, rule: str = "request-invalid") -> dict[str, Any]:
    return {
        "decision": "deny",
        "rule": rule,
        "reason": reason,
        "decision_id": uuid.uuid4().hex,
        "policy_version": "unknown",
    }


def _load(path: Path | None) -> _Source:
    try:
        return _Source(path)
    except PolicyLoadError as exc:
        typer.echo(f"policy refused: {exc}", err=True)
        raise typer.Exit(2) from exc


@policy_app.command("eval")
def eval_cmd(
    batch: Annotated[
        Path, typer.Option("--batch", help="JSON requests, one per line ('-' for stdin)")
    ],
    policy: PolicyOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """One JSON request per line in, one JSON decision per line out, in the same order."""
    source = _load(policy)
    try:
        stream = (
            sys.stdin
            if str(batch) == "-"
            else batch.open(encoding="utf-8", errors="replace", newline="\n")
        )
    except OSError as exc:
        typer.echo(f"cannot read --batch {batch}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    out = sys.stdout
    with stream:
        for n, line in enumerate(stream, 1):
            out.write(json.dumps(_decide_line(source, n, line, workspace)) + "\n")
        out.flush()


_MAX_LINE_CHARS = 1024 * 1024
_MAX_REASON = 300


def _decide_line(source: _Source, n: int, line: str, workspace: Path | None) -> dict[str, Any]:
    """The answer to one batch line; never raises, so every line gets exactly one answer."""
    if not line.strip():
        return _deny_line(f"line {n}: empty line is not a request")
    if len(line) > _MAX_LINE_CHARS:
        return _deny_line(f"line {n}: longer than {_MAX_LINE_CHARS} characters")
    try:
        req = ToolRequest.from_json(json.loads(line))
    except RecursionError:
        return _deny_line(f"line {n}: JSON nested too deeply")
    except (ValueError, RequestError, TypeError, AttributeError) as exc:
        return _deny_line(f"line {n}: {str(exc)[:_MAX_REASON]}")
    try:
        pol = source.for_tenant(req.tenant)
    except PolicyLoadError as exc:
        return _deny_line(f"policy refused: {str(exc)[:_MAX_REASON]}", "policy-unavailable")
    except Exception as exc:  # noqa: BLE001 - a line never stops the batch; fail closed
        return _deny_line(
            f"line {n}: policy unavailable: {type(exc).__name__}", "policy-unavailable"
        )
    try:
        return pol.decide(req, workspace).to_json()
    except Exception as exc:  # noqa: BLE001 - decide should not raise; if it does, deny
        return _deny_line(f"line {n}: internal error: {type(exc).__name__}", "internal-error")


def run_policy_tests(pol: Policy, workspace: Path | None = None) -> list[str]:
    """The file-level ``tests`` of a policy; returns one message per mismatch."""
    failures = []
    for t in pol.compiled.tests:
        case = t["case"]
        where = f"{t['file']}:{t['line']}"
        try:
            req = ToolRequest.from_json(case.get("request"))
        except RequestError as exc:
            failures.append(f"{where}: invalid request: {exc}")
            continue
        d = pol.decide(req, workspace)
        want = case.get("decision")
        if d.decision.value != want:
            failures.append(
                f"{where}: expected {want}, got {d.decision.value} ({d.rule}: {d.reason})"
            )
        if "rule" in case and d.rule != case["rule"]:
            failures.append(f"{where}: expected rule {case['rule']}, got {d.rule}")
        if "destructive" in case and d.destructive != case["destructive"]:
            failures.append(
                f"{where}: expected destructive={case['destructive']}, got {d.destructive}"
            )
    return failures


@policy_app.command("test")
def test_cmd(
    policy: Annotated[
        Path, typer.Argument(help="policy file (its template and examples are checked too)")
    ],
    workspace: WorkspaceOpt = None,
) -> None:
    """Run the match/not_match examples (checked at load) and the file's tests; exit 1 on mismatch."""
    try:
        pol = load_policy(policy)
    except PolicyLoadError as exc:
        typer.echo(f"FAIL {exc}", err=True)
        raise typer.Exit(1) from exc
    failures = run_policy_tests(pol, workspace)
    for f in failures:
        typer.echo(f"FAIL {f}", err=True)
    total = len(pol.compiled.tests)
    typer.echo(
        f"{policy}: rule examples ok; {total - len(failures)}/{total} tests passed "
        f"({pol.rule_count} rules, revision {pol.revision[:12]})"
    )
    if failures:
        raise typer.Exit(1)


@policy_app.command("explain")
def explain_cmd(
    request: Annotated[str, typer.Argument(help="one JSON request ('-' reads it from stdin)")],
    policy: PolicyOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Why a request gets its decision: every finding, the rule that won, where it is defined."""
    source = _load(policy)
    text = sys.stdin.read(_MAX_LINE_CHARS + 1) if request == "-" else request
    try:
        if len(text) > _MAX_LINE_CHARS:
            raise ValueError(f"longer than {_MAX_LINE_CHARS} characters")
        req = ToolRequest.from_json(json.loads(text))
    except RecursionError:
        _usage_error("invalid request: JSON nested too deeply")
    except (ValueError, RequestError, TypeError, AttributeError) as exc:
        _usage_error(f"invalid request: {str(exc)[:_MAX_REASON]}")
    try:
        pol = source.for_tenant(req.tenant)
    except PolicyLoadError as exc:
        _usage_error(f"policy refused: {str(exc)[:_MAX_REASON]}")
    typer.echo(json.dumps(pol.explain(req, workspace), indent=2))


def _usage_error(message: str) -> NoReturn:
    """A user's mistake: one line on stderr, exit 2, no traceback."""
    typer.echo(message.replace("\n", " "), err=True)
    raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    app.add_typer(policy_app, name="policy")
