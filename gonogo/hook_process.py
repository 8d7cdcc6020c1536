"""The process form of the Claude Code hook: one payload in, one decision JSON out, never a crash.

``gonogo hook claude-code`` calls :func:`answer`; so does the fast entry in ``gonogo.cli`` that
skips loading every other command (a hook pays its start-up on every tool call).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path


def _deny(reason: str) -> str:
    from enforcement_agent.integrations.hook_input import hook_output

    return json.dumps(hook_output("deny", reason))


def answer(
    raw: bytes,
    *,
    tenant: str,
    role: str,
    workspace: Path,
    actor: str = "claude-code",
    policy_dir: Path | None = None,
    ask_as: str = "ask",
    sandbox: bool = True,
) -> str:
    """The decision JSON for ``raw`` (a deny with the reason on any failure).

    The workspace is checked first, with only the settings and the audit module loaded; then,
    the check passed, the hook, policy and redaction modules are imported with their
    dataclasses' methods from the verified code cache (:mod:`gonogo.code_cache`), and the
    call's repeated workspace checks with the same arguments run once
    (:func:`enforcement_agent.audit.clear_checks_for_one_call`). Stop 47.
    """
    try:
        from enforcement_agent.audit import clear_checks_for_one_call
        from gonogo.code_cache import cached_code
        from gonogo.config import Settings
        from gonogo.wiring import StateInWorkspaceError, check_workspace

        settings = Settings.from_env()
        policy_real = policy_dir.resolve() if policy_dir is not None else None
        with clear_checks_for_one_call():
            # The workspace is checked before any part is built (again by build_hook_agent,
            # run_hook and the record: the same check, run once in this block).
            try:
                check_workspace(settings, workspace, policy_dir)
            except StateInWorkspaceError as exc:
                return _deny(f"hook.operator-config: {exc}")
            # The check passed: no state directory (this cache's among them) is in or under the
            # workspace; nor is the cache in the tenants' workspaces (as the policy cache).
            with cached_code(settings.cache_dir / "code", (settings.workspaces_dir, workspace)):
                from enforcement_agent.integrations.claude_hook import HookOperator, run_hook
                from gonogo.wiring import build_hook_agent

                op = HookOperator(
                    tenant=tenant,
                    role=role,
                    workspace=workspace,
                    actor=actor,
                    ask_as=ask_as,
                    sandbox=sandbox,
                    exec_env=(("GONOGO_HOME", str(settings.home)),),
                    policy_dir=policy_real,
                )
                try:
                    agent = build_hook_agent(settings, policy_dir=policy_dir, workspace=workspace)
                except StateInWorkspaceError as exc:
                    return _deny(f"hook.operator-config: {exc}")
                try:
                    return json.dumps(run_hook(raw, op, agent))
                finally:
                    agent.telemetry.shutdown()
    except Exception as exc:  # noqa: BLE001 - the hook must answer deny, never crash open
        return _deny(f"internal-error: the hook failed ({type(exc).__name__}); denied")


# ---- the fast entry: `gonogo hook claude-code …` without Typer and the other commands ---------
class HookOption:
    """One option of `gonogo hook claude-code`, as both parsers read it (tested to agree).

    A plain class, not a dataclass: making a dataclass costs about a millisecond of every
    hook process (its methods are generated and compiled at import).
    """

    __slots__ = ("flag", "dest", "env", "default", "kind", "required")

    def __init__(
        self, flag: str, dest: str, env: str, default: object, kind: str, required: bool = False
    ) -> None:
        self.flag = flag
        self.dest = dest
        self.env = env
        self.default = default
        self.kind = kind  # "str", "path", "bool"
        self.required = required


HOOK_OPTIONS = (
    HookOption("--tenant", "tenant", "GONOGO_TENANT", None, "str", required=True),
    HookOption("--role", "role", "GONOGO_ROLE", None, "str", required=True),
    HookOption("--workspace", "workspace", "GONOGO_WORKSPACE", None, "path", required=True),
    HookOption("--actor", "actor", "GONOGO_ACTOR", "claude-code", "str"),
    HookOption("--policy-dir", "policy_dir", "GONOGO_POLICY_DIR", None, "path"),
    HookOption("--ask-as", "ask_as", "GONOGO_HOOK_ASK_AS", "ask", "str"),
    HookOption("--sandbox", "sandbox", "GONOGO_HOOK_SANDBOX", True, "bool"),
)
_TRUE = {"1", "true", "t", "yes", "y", "on"}
_FALSE = {"0", "false", "f", "no", "n", "off"}


def _bool(text: str) -> bool | None:
    value = text.strip().lower()
    return True if value in _TRUE else False if value in _FALSE else None


def parse_fast(argv: list[str], env: Mapping[str, str]) -> dict[str, object] | None:
    """The options of ``hook claude-code ARGS``, or ``None`` for anything but the plain case.

    ``None`` (help, an unknown option, a missing value) hands the call to the full CLI, which
    reports usage errors the usual way.
    """
    if argv[:2] != ["hook", "claude-code"]:
        return None
    by_flag = {o.flag: o for o in HOOK_OPTIONS}
    given: dict[str, object] = {}
    args = argv[2:]
    i = 0
    while i < len(args):
        arg = args[i]
        flag, eq, value = arg.partition("=")
        if flag in ("--sandbox", "--no-sandbox") and not eq:
            given["sandbox"] = flag == "--sandbox"
            i += 1
            continue
        opt = by_flag.get(flag)
        if opt is None or opt.kind == "bool":
            return None
        if not eq:
            if i + 1 >= len(args):
                return None
            value = args[i + 1]
            i += 1
        given[opt.dest] = value
        i += 1
    out: dict[str, object] = {}
    for opt in HOOK_OPTIONS:
        raw = given.get(opt.dest)
        if raw is None and env.get(opt.env):
            raw = env[opt.env]
            if opt.kind == "bool":
                raw = _bool(str(raw))
                if raw is None:
                    return None
        if raw is None:
            if opt.required:
                return None
            raw = opt.default
        out[opt.dest] = Path(str(raw)) if opt.kind == "path" and raw is not None else raw
    return out


def run_fast(argv: list[str]) -> bool:
    """Answer a plain ``hook claude-code`` call; ``False`` when the full CLI should run."""
    import os
    import sys

    options = parse_fast(argv, os.environ)
    if options is None:
        return False
    from enforcement_agent.integrations.hook_input import read_hook_input

    raw = read_hook_input(sys.stdin.buffer)
    sys.stdout.write(answer(raw, **options) + "\n")  # type: ignore[arg-type]
    sys.stdout.flush()
    return True
