"""Container-path mapping, solve.sh splitting and --agent parsing: the harness's small parsers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.harness.agents import AgentSpecError, parse_agent, parse_agents
from benchmarks.harness.runner import InjectError, parse_inject
from benchmarks.harness.script_lines import ScriptError, split_commands
from benchmarks.harness.workdir import map_container_paths

M = {"logs": Path("/A/logs"), "tests": Path("/A/tests"), "solution": Path("/A/solution")}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("echo 1 > /logs/verifier/reward.txt", "echo 1 > /A/logs/verifier/reward.txt"),
        ("pytest /tests/test_x.py", "pytest /A/tests/test_x.py"),
        ('bash "/solution/solve.sh"', 'bash "/A/solution/solve.sh"'),
        ("cd /tests && ls", "cd /A/tests && ls"),
        ("x=/tests", "x=/A/tests"),
        ("cp -r /tests/. .", "cp -r /A/tests/. ."),
        # Not container paths: left alone.
        ("python src/tests/run.py", "python src/tests/run.py"),
        ("ls $HOME/logs", "ls $HOME/logs"),
        ("ls /testsuite /logsx /solutions", "ls /testsuite /logsx /solutions"),
        ("ls ./tests ~/logs", "ls ./tests ~/logs"),
        ("url=http://host/tests/x", "url=http://host/tests/x"),
    ],
)
def test_container_paths_are_mapped_as_whole_paths(text: str, expected: str) -> None:
    assert map_container_paths(text, M) == expected


@given(st.text(alphabet="abc/ .-_$~\n'\"lognestsuti", max_size=60))
def test_mapping_only_rewrites_the_three_roots(text: str) -> None:
    out = map_container_paths(text, M)
    # Undo the mapping: the result is the input again, so nothing else was touched.
    back = out.replace("/A/logs", "/logs").replace("/A/tests", "/tests")
    assert back.replace("/A/solution", "/solution") == text
    # Text without any slash has nothing to map.
    assert map_container_paths(text.replace("/", ""), M) == text.replace("/", "")


SCRIPT = "\n".join(
    [
        "#!/bin/bash",
        "set -euo pipefail",
        "# a comment",
        "",
        "cat > f.txt <<'END'",
        "line one",
        "  if not shell code",
        "END",
        "if [ ! -f g ]; then",
        "  echo g > g",
        "fi",
        "printf '%s\\n' \\",
        "  a b > h",
        "for w in a b; do echo $w; done",
        "",
    ]
)


def test_split_commands_keeps_compound_and_heredoc_whole() -> None:
    parsed = split_commands(SCRIPT)
    assert parsed.errexit
    assert parsed.commands == [
        "cat > f.txt <<'END'\nline one\n  if not shell code\nEND",
        "if [ ! -f g ]; then\n  echo g > g\nfi",
        "printf '%s\\n' \\\n  a b > h",
        "for w in a b; do echo $w; done",
    ]


@pytest.mark.parametrize(
    "script, errexit",
    [
        ("set -e\nls\n", True),
        ("set -o errexit\nls\n", True),
        ("set -u\nls\n", False),
        ("ls\n", False),
    ],
)
def test_errexit_detection(script: str, errexit: bool) -> None:
    assert split_commands(script).errexit is errexit


@pytest.mark.parametrize(
    "script", ["cat > f <<END\nno end\n", "if true; then\n  ls\n", "echo 'open\n"]
)
def test_incomplete_scripts_are_refused(script: str) -> None:
    with pytest.raises(ScriptError):
        split_commands(script)


def test_agent_specs() -> None:
    o = parse_agent("oracle+governed")
    assert (o.base, o.governed, o.ungoverned_name, o.template) == ("oracle", True, "oracle", None)
    t = parse_agent("aider=aider --message-file {instruction_file} --yes {workdir}")
    assert t.base == "template" and not t.governed
    assert t.command("/x y/i.md", "/w") == "aider --message-file '/x y/i.md' --yes /w"
    assert t.version.startswith("template-") and t.version != parse_agent("aider=other").version
    lit = parse_agent("x=awk '{{print $1}}' {workdir}/f")
    assert lit.command("i", "/w") == "awk '{print $1}' /w/f"


@pytest.mark.parametrize(
    "value, message",
    [
        ("claude", "unknown agent"),
        ("oracle=run {workdir}", "built-in"),
        ("x=run {model}", "unknown placeholder"),
        ("x=run {", "bad template"),
        ("x=   ", "empty"),
        ("bad name=run", "agent name"),
        ("../x=run", "agent name"),
    ],
)
def test_bad_agent_specs(value: str, message: str) -> None:
    with pytest.raises(AgentSpecError, match=message):
        parse_agent(value)


def test_duplicate_agents_refused() -> None:
    with pytest.raises(AgentSpecError, match="twice"):
        parse_agents(["oracle", "none", "oracle"])


def test_template_substitution_is_shell_quoted() -> None:
    t = parse_agent("x=cat {instruction_file}")
    assert t.command("/tmp/a; rm -rf ~", "/w") == "cat '/tmp/a; rm -rf ~'"


@pytest.mark.parametrize("value, at", [("kill@2", 2.0), ("kill@0.25", 0.25), (" kill@0 ", 0.0)])
def test_inject(value: str, at: float) -> None:
    assert parse_inject(value).at_s == at


@pytest.mark.parametrize("value", ["kill", "kill@", "kill@-1", "stop@2", "kill@2s", "kill@1e3"])
def test_bad_inject(value: str) -> None:
    with pytest.raises(InjectError):
        parse_inject(value)
