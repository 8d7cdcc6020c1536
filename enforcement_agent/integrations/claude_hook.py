"""Claude Code ``PreToolUse`` hook adapter: policy + decision record in front of a host agent.

Claude Code runs the hook with one JSON object on stdin, or POSTs it to an HTTP hook
(``session_id``, ``cwd``, ``hook_event_name``, ``tool_name``, ``tool_input``,
``tool_use_id``, …) and reads the answer from stdout or the response body:
``{"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": …,
"permissionDecisionReason": …, "updatedInput"?: …}}``. The host agent executes the tool
itself, so this adapter decides and records (``EnforcementAgent.authorize``), and rewrites
every allowed ``Bash`` command through ``updatedInput`` so the host runs it through
``gonogo agent exec`` — in the sandbox, decided and recorded again there. An ``ask`` for
``Bash`` is rewritten too, with ``--approved=<decision id>``: the human approves the rewritten
line, and ``agent exec`` redeems the one-time approval the hook issued
(:mod:`enforcement_agent.approvals`) and runs it sandboxed.

Tenant, role, actor and workspace are the operator's (CLI flags / environment / the server's
configuration); nothing in the hook input can set them. Every path through :func:`run_hook`
ends in a JSON answer: malformed input, an unknown tool or any exception is a deny (fail
closed), and every decision that can be tied to the operator's tenant is recorded before
Claude Code acts. Text that leaves (reasons, recorded fields) passes the agent's redactor.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shlex
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from enforcement_agent.audit import StateInWorkspaceError
from enforcement_agent.integrations.grep_walk import TooWide, grep_filter, secret_under
from enforcement_agent.integrations.hook_input import HOOK_EVENT, MAX_INPUT_BYTES
from enforcement_agent.integrations.hook_input import hook_output as hook_output
from enforcement_agent.integrations.hook_input import read_hook_input as read_hook_input
from enforcement_agent.lazy_regex import lazy_compile
from enforcement_agent.models import Decision, RequestError, ToolRequest, Verdict, new_decision_id
from enforcement_agent.policy import fnmatch_linear
from enforcement_agent.policy.paths import spellings

if TYPE_CHECKING:
    from enforcement_agent.agent import EnforcementAgent

ADAPTER = "claude-code"
EXECUTOR = "host-agent"
_MAX_TOOL_NAME = 200
_GLOB_CHARS = frozenset("*?[{")
_FILE_WRITE_TOOLS = {"Write": "file_path", "Edit": "file_path", "MultiEdit": "file_path"}
# MCP tool inputs name their target under many keys; the first present one is the resource.
_RESOURCE_KEYS = (
    "resource",
    "url",
    "uri",
    "issueKey",
    "issue_key",
    "projectKey",
    "project_key",
    "project",
    "channel",
    "channel_id",
    "path",
)
_NUMBER_KEYS = ("issue_number", "pull_number", "pullNumber", "issueNumber", "number")


# The keys each built-in tool's input may hold, with the JSON types their values may have
# (a forty-fourth red-team pass: any other key rode through a Bash rewrite's updatedInput
# unseen, and a file tool was decided on one key while others went along). A key outside
# this table means an input the hook cannot decide: denied. MCP tools' inputs are the
# connector's to judge and are not listed.
_S, _N, _B, _L = (str,), (int, float), (bool,), (list,)
_TOOL_KEYS: dict[str, dict[str, tuple[type, ...]]] = {
    "Bash": {"command": _S, "description": _S, "timeout": _N, "run_in_background": _B,
             "dangerouslyDisableSandbox": _B},
    "Read": {"file_path": _S, "offset": _N, "limit": _N, "pages": _S},
    "Write": {"file_path": _S, "content": _S},
    "Edit": {"file_path": _S, "old_string": _S, "new_string": _S, "replace_all": _B},
    "MultiEdit": {"file_path": _S, "edits": _L},
    "NotebookEdit": {"notebook_path": _S, "new_source": _S, "cell_id": _S, "cell_type": _S,
                     "edit_mode": _S, "cell_number": _N},
    "Glob": {"pattern": _S, "path": _S},
    "LS": {"path": _S, "ignore": _L},
    "Grep": {"pattern": _S, "path": _S, "glob": _S, "type": _S, "output_mode": _S, "-i": _B,
             "-n": _B, "-A": _N, "-B": _N, "-C": _N, "context": _N, "multiline": _B,
             "head_limit": _N, "offset": _N},
    "WebFetch": {"url": _S, "prompt": _S},
    "WebSearch": {"query": _S, "allowed_domains": _L, "blocked_domains": _L},
}  # fmt: skip


class HookInputError(Exception):
    """The hook input cannot be mapped to a decidable request; ``rule`` names why."""

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason


def default_exec_prefix() -> tuple[str, ...]:
    """How the host runs gonogo: this interpreter, so the rewritten command uses this install.

    ``-I`` (isolated): Claude Code runs the line in the agent's shell, inside the workspace, and
    ``python -m`` would otherwise put that directory first on ``sys.path`` — a ``gonogo/`` or
    ``typer.py`` the agent wrote there would run on the host, outside the sandbox. Isolated
    mode also ignores ``PYTHON*`` variables and the user's site-packages.
    """
    return (sys.executable, "-I", "-m", "gonogo")


@dataclass(frozen=True)
class HookOperator:
    """What the operator fixed for this hook (never taken from the hook input)."""

    tenant: str
    role: str
    workspace: Path
    actor: str = ADAPTER
    # "deny" for headless runs (``claude -p``) where nobody can answer a prompt.
    ask_as: str = "ask"
    # Rewrite allowed Bash commands to run through `gonogo agent exec` (the sandbox).
    sandbox: bool = True
    exec_prefix: tuple[str, ...] = field(default_factory=default_exec_prefix)
    # Environment the rewritten command needs (GONOGO_HOME: the same state directory).
    exec_env: tuple[tuple[str, str], ...] = ()
    policy_dir: Path | None = None


@dataclass(frozen=True)
class HookInput:
    """The fields of a ``PreToolUse`` hook input the hook reads."""

    session: str | None
    cwd: str
    tool_name: str
    tool_input: Mapping[str, Any]
    tool_use_id: str | None = None


def parse_hook_input(raw: bytes) -> HookInput:
    """Validate the stdin JSON of a ``PreToolUse`` hook (raises :class:`HookInputError`)."""
    if len(raw) > MAX_INPUT_BYTES:
        raise HookInputError("hook.malformed-input", f"hook input exceeds {MAX_INPUT_BYTES} bytes")
    try:
        # Claude Code never sends a key twice nor NaN/Infinity: such input is not its own, and
        # which duplicate wins is the parser's choice (fail closed, a forty-fourth pass).
        data = json.loads(raw, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except RecursionError:
        raise HookInputError("hook.malformed-input", "hook input is nested too deeply") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise HookInputError("hook.malformed-input", f"hook input is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise HookInputError("hook.malformed-input", "hook input must be a JSON object")
    event = data.get("hook_event_name")
    if event != HOOK_EVENT:
        raise HookInputError(
            "hook.malformed-input", f"hook_event_name is {event!r}; this hook handles {HOOK_EVENT}"
        )
    tool_name = data.get("tool_name")
    if not isinstance(tool_name, str) or not tool_name:
        raise HookInputError("hook.malformed-input", "tool_name is missing or not a string")
    tool_input = data.get("tool_input")
    if not isinstance(tool_input, dict):
        raise HookInputError("hook.malformed-input", "tool_input is missing or not an object")
    cwd = data.get("cwd")
    if not isinstance(cwd, str) or not os.path.isabs(cwd) or "\0" in cwd:
        raise HookInputError("hook.malformed-input", "cwd is missing or not an absolute path")
    session = data.get("session_id")
    if session is not None and not isinstance(session, str):
        raise HookInputError("hook.malformed-input", "session_id must be a string")
    tool_use_id = data.get("tool_use_id")
    if tool_use_id is not None and not isinstance(tool_use_id, str):
        raise HookInputError("hook.malformed-input", "tool_use_id must be a string")
    return HookInput(
        session=session or None,
        cwd=cwd,
        tool_name=tool_name,
        tool_input=tool_input,
        tool_use_id=tool_use_id or None,
    )


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key[:40]!r} appears twice")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _known_keys(name: str, tool_input: Mapping[str, Any]) -> None:
    """Refuse a built-in tool's input with a key or a value type the hook does not know."""
    table = _TOOL_KEYS.get(name)
    if table is None:
        return
    for key, value in tool_input.items():
        types = table.get(key)
        if types is None:
            raise HookInputError(
                "hook.invalid-tool-input",
                f"tool_input.{str(key)[:40]} is not a field of {name} the hook can decide",
            )
        if value is not None and (
            not isinstance(value, types) or isinstance(value, bool) and bool not in types
        ):
            raise HookInputError(
                "hook.invalid-tool-input",
                f"tool_input.{key} of {name} has a value of type {type(value).__name__}",
            )


def _text(tool_input: Mapping[str, Any], key: str, *, required: bool = True) -> str | None:
    value = tool_input.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise HookInputError(
            "hook.invalid-tool-input", f"tool_input.{key} must be a non-empty string"
        )
    if "\0" in value:
        raise HookInputError("hook.invalid-tool-input", f"tool_input.{key} contains a NUL byte")
    return value


def _host_path(cwd: str, path: str) -> str:
    # Claude Code sends absolute paths; a relative one is relative to the host agent's cwd.
    # '..' and symlinks are left for the policy, which resolves them against the workspace.
    return path if os.path.isabs(path) else os.path.join(cwd, path)


def _same_dir(a: str, b: Path) -> bool:
    try:
        return os.path.realpath(a) == str(b.resolve())
    except OSError:
        return False


def _glob_base(base: str, pattern: str) -> str:
    """The directory a glob can reach: its literal leading components, joined onto ``base``."""
    parts = pattern.split("/")
    literal: list[str] = []
    for i, part in enumerate(parts):
        if any(c in _GLOB_CHARS for c in part):
            if any(p == ".." for p in parts[i:]):
                raise HookInputError(
                    "hook.undecidable-glob",
                    "cannot be decided: the glob climbs with '..' after a wildcard",
                )
            break
        literal.append(part)
    else:
        literal = parts[:-1]  # no wildcard: the last component is a name, list its directory
    prefix = "/".join(literal)
    if pattern.startswith("/"):
        return prefix or "/"
    return os.path.join(base, prefix) if prefix else base


_GLOB_FORMS = 64
_GLOB_ENTRIES = 4096
# An extended-glob group (`@(..)`, `+(a|b)`): its text may hold what a brace does.
_EXTGLOB = lazy_compile(r"[@!+*?]\(")
_EXTGLOB_DOT = lazy_compile(r"[@!+*?]\([^)]*\.")  # `+(.)` matches `..`


def _glob_reach(base: str, pattern: str, workspace: Path) -> str:
    """The one directory a Glob can reach (forty-fourth pass: only the pattern's literal head
    was read, so `{..,src}/*`, `{/etc,src}/*`, `@(..)/*` and `l?k/*` — a wildcard matching a
    workspace link to a folder outside, which a glob walks into — listed outside the
    workspace). Each brace form is read alone (more than ``_GLOB_FORMS`` is undecidable);
    `..` inside a wildcard component is undecidable; forms with different heads reach their
    common real directory; a wildcard component that leads deeper must match no link out of
    the workspace in its directory."""
    forms = _brace_alternatives(pattern, limit=_GLOB_FORMS + 1)
    if len(forms) > _GLOB_FORMS or any(re.search(r"\{[^{}]*\}", f) for f in forms):
        raise HookInputError(
            "hook.undecidable-glob", f"cannot be decided: more than {_GLOB_FORMS} brace forms"
        )
    bases: list[str] = []
    for form in forms:
        parts = form.split("/")
        for part in parts:
            wild = any(c in _GLOB_CHARS for c in part) or _EXTGLOB.search(part)
            if wild and (".." in part or _EXTGLOB_DOT.search(part)):
                raise HookInputError(
                    "hook.undecidable-glob",
                    "cannot be decided: a wildcard component of the glob may name '..'",
                )
        head = _glob_base(base, form)
        _no_link_out(head, form, base, workspace)
        bases.append(head)
    if len(set(bases)) <= 1:
        return bases[0] if bases else base
    try:
        return os.path.commonpath([os.path.realpath(b) for b in bases])
    except ValueError:
        return "/"


def _no_link_out(head: str, form: str, base: str, workspace: Path) -> None:
    """The first wildcard component of ``form`` that is not its last matches no entry of
    ``head`` that is a link leading out of ``workspace`` (a glob walks into what it matches)."""
    parts = form.split("/")
    literal = 0 if not form.startswith("/") else 1
    for i, part in enumerate(parts):
        if any(c in _GLOB_CHARS for c in part) or _EXTGLOB.search(part):
            break
        literal = i + 1
    else:
        return
    if literal >= len(parts) - 1 or parts[literal] == "**":
        return  # the last component names entries, `**` follows no link
    component = parts[literal]
    root = os.path.realpath(workspace)
    try:
        with os.scandir(head) as entries:
            for n, entry in enumerate(entries):
                if n >= _GLOB_ENTRIES:
                    raise HookInputError(
                        "hook.undecidable-glob",
                        f"cannot be decided: more than {_GLOB_ENTRIES} entries to match",
                    )
                if not entry.is_symlink():
                    continue
                if not (
                    _EXTGLOB.search(component) or fnmatch_linear.fnmatchcase(entry.name, component)
                ):
                    continue
                real = os.path.realpath(entry.path)
                if real != root and not real.startswith(root.rstrip("/") + "/"):
                    raise HookInputError(
                        "hook.glob-outside-workspace",
                        f"the glob's '{component}' matches the link '{entry.name}', which "
                        "leads out of the workspace",
                    )
    except OSError:
        return  # no such directory: the policy decides the head (and the glob finds nothing)


def _mcp_resource(tool_input: Mapping[str, Any]) -> str:
    owner, repo = tool_input.get("owner"), tool_input.get("repo")
    if isinstance(owner, str) and isinstance(repo, str) and owner and repo:
        resource = f"{owner}/{repo}"
        for key in _NUMBER_KEYS:
            num = tool_input.get(key)
            if isinstance(num, int | str) and not isinstance(num, bool) and str(num):
                return f"{resource}#{num}"
        return resource
    for key in _RESOURCE_KEYS:
        value = tool_input.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def map_tool(call: HookInput, workspace: Path) -> dict[str, str]:
    """The ``ToolRequest`` fields (tool and target) a Claude Code tool call is decided as."""
    name, ti, cwd = call.tool_name, call.tool_input, call.cwd
    _known_keys(name, ti)
    if name == "Bash":
        command = _text(ti, "command")
        assert command is not None
        if not _same_dir(cwd, workspace):
            # The host shell runs in cwd: decide the command there, which the policy follows
            # exactly through an && chain (and denies when cwd is outside the workspace).
            command = f"cd {shlex.quote(cwd)} && {{\n{command}\n}}"
        return {"tool": "exec", "command": command}
    if name == "Read":
        return {"tool": "read", "path": _host_path(cwd, _text(ti, "file_path") or "")}
    if name in _FILE_WRITE_TOOLS:
        out = {"tool": "write", "path": _host_path(cwd, _text(ti, _FILE_WRITE_TOOLS[name]) or "")}
        content = _written_text(ti)
        if content is not None:
            out["content"] = content
        return out
    if name == "NotebookEdit":
        out = {"tool": "write", "path": _host_path(cwd, _text(ti, "notebook_path") or "")}
        source = _written_text(ti)
        if source is not None:
            out["content"] = source  # judged as a Write's text is (forty-fourth pass)
        return out
    if name in ("Glob", "LS"):
        base = _host_path(cwd, _text(ti, "path", required=False) or cwd)
        if name == "Glob":
            base = _glob_reach(base, _text(ti, "pattern") or "", workspace)
        return {"tool": "list", "path": base}
    if name == "Grep":
        # Grep reads the contents of every file under its path: decided as a read of it.
        return {"tool": "read", "path": _host_path(cwd, _text(ti, "path", required=False) or cwd)}
    if name == "WebFetch":
        return {"tool": "connector", "connector": "web", "operation": "fetch",
                "resource": _text(ti, "url") or ""}  # fmt: skip
    if name == "WebSearch":
        return {"tool": "connector", "connector": "web", "operation": "search",
                "resource": _text(ti, "query") or ""}  # fmt: skip
    if name.startswith("mcp__"):
        parts = name.split("__", 2)
        if len(parts) != 3 or not parts[1] or not parts[2]:
            raise HookInputError(
                "hook.unknown-tool", "malformed MCP tool name (mcp__<server>__<tool>)"
            )
        return {"tool": "connector", "connector": parts[1], "operation": parts[2],
                "resource": _mcp_resource(ti)}  # fmt: skip
    raise HookInputError("hook.unknown-tool", "unknown tool cannot be decided")


def _written_text(ti: Mapping[str, Any]) -> str | None:
    """The text a Write, Edit or MultiEdit puts into its file (the whole new file, or each
    edit's new string, one per line), decided like a shell line that writes it (a fifteenth
    red-team pass); None when the input holds none."""
    parts: list[str] = []
    for key in ("content", "new_string", "new_source"):
        value = ti.get(key)
        if isinstance(value, str):
            parts.append(value)
    edits = ti.get("edits")
    if isinstance(edits, list):
        for edit in edits:
            if isinstance(edit, dict) and isinstance(edit.get("new_string"), str):
                parts.append(edit["new_string"])
    return "\n".join(parts) if parts else None


# A name no file is expected to have: a read of DIR/<this> is a read of "a file inside DIR".
_ANY_CHILD = ".gonogo-any-file"


def grep_reads(req: ToolRequest, call: HookInput) -> list[ToolRequest]:
    """The reads a Grep call amounts to, beyond its path: Grep reads every file under it.

    A read of the directory ``.ssh`` is not a read of ``.ssh/id_rsa`` to the file rules
    (``**/.ssh/**``), and ``glob: ".env"`` over the workspace reads ``.env``: so the call is
    also decided as a read of a file inside the path and of the path joined with its glob
    (each brace alternative, at the top and at any depth). Claude Code runs Grep on the host,
    where nothing redacts its output.
    """
    if not req.path:
        raise HookInputError("hook.invalid-tool-input", "a Grep without a path cannot be decided")
    base = req.path.rstrip("/") or "/"
    paths = [os.path.join(base, _ANY_CHILD)]
    glob = call.tool_input.get("glob")
    if isinstance(glob, str) and glob:
        for alt in _brace_alternatives(glob[:_MAX_GLOB]):
            alt = alt.lstrip("/")
            paths += [os.path.join(base, alt), os.path.join(base, "**", alt)]
    return [dataclasses.replace(req, path=p) for p in paths]


_MAX_GLOB = 1024


def _brace_alternatives(glob: str, limit: int = 64) -> list[str]:
    """``{a,b}c`` → ``ac``, ``bc`` (ripgrep's globs expand braces); at most ``limit`` forms."""
    out = [glob]
    done: list[str] = []
    while out and len(done) + len(out) <= limit:
        g = out.pop()
        m = re.search(r"\{([^{}]*)\}", g)
        if m is None:
            done.append(g)
            continue
        out += [g[: m.start()] + part + g[m.end() :] for part in m.group(1).split(",")]
    return (done + out)[:limit]


def _widest_grep_read(
    agent: EnforcementAgent, req: ToolRequest, call: HookInput, workspace: Path
) -> ToolRequest:
    """``req``, or the first of the Grep's implied reads the policy does not allow: its path,
    a file inside it, its glob, and every secret file below it that its glob and type let
    through (a bounded walk; past the bound the Grep is refused). Raises
    :class:`HookInputError` when the call cannot be decided."""
    for probe in grep_reads(req, call):
        if agent.decide(probe, workspace).decision is not Verdict.ALLOW:
            return probe
    hit = _grep_secret(agent, req, call, workspace)
    return dataclasses.replace(req, path=hit) if hit else req


def _grep_secret(
    agent: EnforcementAgent, req: ToolRequest, call: HookInput, workspace: Path
) -> str:
    """The first secret file (``files.secrets``) a Grep over a directory reads, or ""."""
    base = os.path.realpath(req.path or "")
    root = os.path.realpath(workspace)
    if not os.path.isdir(base) or not (base == root or base.startswith(root + os.sep)):
        return ""  # a file, or a place outside: decided as a read of the path itself
    try:
        secrets = agent.policies.for_tenant(req.tenant).compiled.exec.secret_set
    except Exception as exc:  # noqa: BLE001 - no policy: the read of the path is denied anyway
        raise HookInputError(
            "hook.policy-unavailable", f"policy could not be loaded: {exc}"
        ) from exc
    if secrets is None:
        return ""

    def is_secret(path: str) -> bool:
        rel = os.path.relpath(path, root)
        if rel.startswith("..") or rel == ".":
            return False
        return any(secrets.match(r) for r in spellings((rel,)))

    glob = _text_list(call, "glob")
    globs = _brace_alternatives(glob[0][:_MAX_GLOB]) if glob else []
    types = _text_list(call, "type")
    try:
        return secret_under(base, root, grep_filter(globs, types), is_secret)
    except TooWide as exc:
        raise HookInputError(
            "hook.grep-too-wide", f"Grep reads too many files to check for secrets ({exc})"
        ) from exc


def _text_list(call: HookInput, key: str) -> list[str]:
    value = call.tool_input.get(key)
    return [value] if isinstance(value, str) and value else []


def _redact(agent: EnforcementAgent, text: str) -> str:
    try:
        return agent.redactor.redact_text(text)
    except Exception:  # noqa: BLE001 - never echo unredacted text when the redactor fails
        return "[reason withheld: redaction failed]"


def _deny_output(
    agent: EnforcementAgent, rule: str, reason: str, decision_id: str | None = None
) -> dict[str, Any]:
    suffix = f" (decision {decision_id})" if decision_id else ""
    return hook_output("deny", _redact(agent, f"{rule}: {reason}") + suffix)


def sandboxed_command(
    command: str, op: HookOperator, rel_cwd: str, *, approved: str | None = None
) -> str:
    """The shell line that runs ``command`` through ``gonogo agent exec`` for the operator.

    Every word is quoted with :func:`shlex.quote`, so bash parses the line back into exactly
    this argv (the inner ``bash -c`` gets ``command`` byte for byte) plus the environment
    assignments in front of it.
    """
    # ``--opt=value`` words: a value that starts with "-" can never be read as an option.
    argv = [
        *op.exec_prefix,
        "agent",
        "exec",
        f"--tenant={op.tenant}",
        f"--role={op.role}",
        # Absolute: the host shell that runs this line may sit in any directory.
        f"--workspace={os.path.realpath(op.workspace)}",
        f"--actor={op.actor}",
    ]
    if rel_cwd not in ("", "."):
        argv.append(f"--cwd={rel_cwd}")
    if op.policy_dir is not None:
        argv.append(f"--policy-dir={op.policy_dir}")
    if approved is not None:
        argv.append(f"--approved={approved}")
    argv += ["--", *BASH_WORDS, command]
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in op.exec_env)
    line = shlex.join(argv)
    return f"{env} {line}" if env else line


# The words in front of the agent's command in the rewritten line (``-- bash -c CMD``).
BASH_WORDS = ("bash", "-c")


def _issue_approval(
    agent: EnforcementAgent, op: HookOperator, decision: Decision, command: str, rel: str
) -> None:
    """Record that this ``ask`` may run once, approved, through ``agent exec --approved``."""
    from enforcement_agent.approvals import (
        ApprovalStore,
        Binding,
        approvals_root,
        exec_command_line,
    )

    binding = Binding.of(
        tenant=op.tenant,
        role=op.role,
        actor=op.actor,
        workspace=op.workspace,
        cwd=rel,
        command=exec_command_line([*BASH_WORDS, command]),
        policy_dir=op.policy_dir,
    )
    store = ApprovalStore(approvals_root(agent.decision_log.audit_dir))
    store.issue(decision.decision_id, binding, decision.rule)


def _record_refusal(
    agent: EnforcementAgent, op: HookOperator, call: HookInput | None, err: HookInputError
) -> str | None:
    """Record a hook-level deny (input the policy never saw), so the attempt is on the chain."""
    tool_name = call.tool_name[:_MAX_TOOL_NAME] if call else "malformed-input"
    req = ToolRequest(
        tenant=op.tenant,
        actor=op.actor,
        role=op.role,
        tool="connector",
        connector=ADAPTER,
        operation=tool_name,
        session=call.session if call else None,
    )
    try:
        version = agent.policies.for_tenant(op.tenant).revision
    except Exception:  # noqa: BLE001 - the record still says what happened
        version = "unknown"
    decision = Decision(
        decision=Verdict.DENY,
        rule=err.rule,
        reason=err.reason,
        decision_id=new_decision_id(),
        policy_version=version,
    )
    try:
        agent.decision_log.append(req, decision, _record_fields(agent, call))
    except Exception:  # noqa: BLE001 - the answer is deny either way
        return None
    return decision.decision_id


def _record_fields(agent: EnforcementAgent, call: HookInput | None) -> dict[str, Any]:
    fields: dict[str, Any] = {"executor": EXECUTOR, "hook": ADAPTER}
    if call is not None and call.tool_use_id is not None:
        # Ties the record to Claude Code's transcript entry for this tool call.
        fields["tool_use_id"] = _redact(agent, call.tool_use_id[:_MAX_TOOL_NAME])
    return fields


def _relative_cwd(cwd: str, workspace: Path) -> str | None:
    """``cwd`` relative to the workspace (``.`` at its root), or ``None`` when outside it."""
    try:
        rel = os.path.relpath(os.path.realpath(cwd), os.path.realpath(workspace))
    except ValueError:
        return None
    if rel == ".." or rel.startswith("../") or os.path.isabs(rel):
        return None
    return rel


def run_hook(raw: bytes, op: HookOperator, agent: EnforcementAgent) -> dict[str, Any]:
    """The hook's answer for one payload; never raises (any failure is a deny)."""
    try:
        return _run(raw, op, agent)
    except Exception as exc:  # noqa: BLE001 - fail closed on anything unexpected
        return _deny_output(
            agent, "internal-error", f"the hook failed ({type(exc).__name__}); denied"
        )


def _read_only_role(agent: EnforcementAgent, op: HookOperator) -> bool:
    """Whether the tenant's policy lists the hook's role as read-only (unknown: treated as so)."""
    try:
        roles = agent.policies.for_tenant(op.tenant).compiled.exec.read_only_roles
    except Exception:  # noqa: BLE001 - a policy that cannot say is not a reason to run on the host
        return True
    return op.role in roles


def operator_problem(op: HookOperator) -> str | None:
    """Why the operator's configuration cannot be used (checked before any input is read)."""
    try:
        ToolRequest(tenant=op.tenant, actor=op.actor, role=op.role, tool="list", path=".")
    except RequestError as exc:
        return f"the hook is misconfigured: {exc}"
    if op.ask_as not in ("ask", "deny"):
        return f"ask_as must be ask or deny, not {op.ask_as!r}"
    if not op.workspace.is_dir():
        return "the configured workspace is not a directory"
    return None


def _run(raw: bytes, op: HookOperator, agent: EnforcementAgent) -> dict[str, Any]:
    problem = operator_problem(op)
    if problem is not None:
        return _deny_output(agent, "hook.operator-config", problem)
    try:
        # The host agent can write the workspace, so it could rewrite its own audit trail.
        agent.check_workspace(op.workspace)
    except StateInWorkspaceError as exc:
        return _deny_output(agent, "hook.operator-config", str(exc))
    call: HookInput | None = None
    try:
        call = parse_hook_input(raw)
        fields = map_tool(call, op.workspace)
        req = ToolRequest(
            tenant=op.tenant, actor=op.actor, role=op.role, session=call.session, **fields
        )
    except (HookInputError, RequestError) as exc:
        err = (
            exc
            if isinstance(exc, HookInputError)
            else HookInputError("hook.invalid-tool-input", str(exc))
        )
        return _deny_output(agent, err.rule, err.reason, _record_refusal(agent, op, call, err))
    rewrite = op.sandbox and call.tool_name == "Bash"
    rel = _relative_cwd(call.cwd, op.workspace)
    if call.tool_name == "Bash" and not op.sandbox and _read_only_role(agent, op):
        # A read-only role is read-only by construction only in the sandbox, which mounts the
        # workspace read-only; on the host a listed program's side effects land (`git status`
        # refreshes .git/index). So its Bash never runs unsandboxed (eleventh pass).
        err = HookInputError(
            "hook.read-only-unsandboxed",
            f"role {op.role} is read-only, which only the sandbox enforces (the workspace "
            "mounted read-only); its Bash commands are refused with --no-sandbox",
        )
        return _deny_output(agent, err.rule, err.reason, _record_refusal(agent, op, call, err))
    if rewrite and rel is None:
        # The sandbox cannot follow a shell that sits outside the workspace: denied (and
        # recorded as such) before the policy is asked, so no record says "allow" for it.
        err = HookInputError(
            "hook.cwd-outside-workspace",
            "the host shell's directory is outside the workspace; the sandbox cannot follow it",
        )
        return _deny_output(agent, err.rule, err.reason, _record_refusal(agent, op, call, err))
    extra = {
        **_record_fields(agent, call),
        "host_tool": _redact(agent, call.tool_name[:_MAX_TOOL_NAME]),
    }
    if call.tool_name == "Bash":
        extra["bash_runs_in"] = "sandbox" if rewrite else "host"
    if call.tool_name == "Grep":
        try:
            req = _widest_grep_read(agent, req, call, op.workspace)
        except HookInputError as err:
            return _deny_output(agent, err.rule, err.reason, _record_refusal(agent, op, call, err))
    decision = agent.authorize(req, workspace=op.workspace, executor=EXECUTOR, extra=extra)
    verdict = decision.decision.value
    if decision.decision is Verdict.ASK and op.ask_as == "deny":
        verdict = "deny"
    reason = _redact(agent, f"{decision.rule}: {decision.reason}")
    answer = f"{reason} (decision {decision.decision_id})"
    if verdict not in ("allow", "ask") or not rewrite or rel is None:
        return hook_output(verdict, answer)
    command = str(call.tool_input["command"])
    if verdict == "allow":
        updated = {**call.tool_input, "command": sandboxed_command(command, op, rel)}
        return hook_output(verdict, f"{answer}; runs in the gonogo sandbox", updated)
    # An ask: the human is shown the rewritten line and, on approval, the host runs it. It
    # carries the decision id; `agent exec` runs it in the sandbox once, for exactly this
    # tenant, role, workspace, cwd and command, and never from an unissued or used id.
    try:
        _issue_approval(agent, op, decision, command, rel)
    except Exception as exc:  # noqa: BLE001 - no approval record: an ask would run unsandboxed
        unrecorded = HookInputError(
            "hook.approval-unrecorded",
            f"the approval could not be recorded ({type(exc).__name__}), so the call is denied",
        )
        return _deny_output(
            agent,
            unrecorded.rule,
            unrecorded.reason,
            _record_refusal(agent, op, call, unrecorded),
        )
    line = sandboxed_command(command, op, rel, approved=decision.decision_id)
    updated = {**call.tool_input, "command": line}
    return hook_output(verdict, f"{answer}; if approved, runs once in the gonogo sandbox", updated)
