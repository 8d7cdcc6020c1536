"""Stop 46: what a line's text declares (a package index, a remote source, a lockfile's or
environment file's source, pip's index options) is read by the write checks that need it
(`PathChecks._declares`), not searched for on every line. Past `_NOTED_BYTES` of noted texts
they are read at once and dropped: the decision is the same either way (here with the bound at
one byte, so every text is read as it is noted, as before the change)."""

from __future__ import annotations

from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest
from enforcement_agent.policy import Policy, path_checks

# (command, the rule it must be denied by; "" = whatever the policy answers, compared only)
LINES = [
    ("echo '[[tool.uv.index]]' >> pyproject.toml", "exec.packages.project-index"),
    ("printf '[[tool.poetry.source]]\\nurl=\"https://x\"' > pyproject.toml", "exec.packages.project-index"),
    ("echo 'x @ git+https://evil.example/x' >> requirements.txt", "exec.packages.project-source"),
    ("bash -c \"echo '--extra-index-url https://evil.example' >> requirements.txt\"", "exec.packages.project-index"),
    ("echo '\"resolved\": \"https://evil.example/x.tgz\"' > package-lock.json", "exec.packages.project-source"),
    ("true; sh -c \"echo '--index-url https://evil.example/simple' >> requirements.txt\"", "exec.packages.project-index"),
    ("for i in 1; do echo '[[tool.uv.index]]'; done > pyproject.toml", "exec.packages.project-index"),
    ("echo hi > pyproject.toml", ""),
    ("echo '[[tool.uv.index]]' > notes.txt", ""),
    ("echo 'requests==2.32.0' >> requirements.txt", ""),
    ("git status --short && ls src", ""),
]  # fmt: skip


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


def _decide(policy: Policy, ws: Path, command: str) -> tuple[str, str]:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command=command)
    d = policy.decide(req, ws)
    return d.decision.value, d.rule


@pytest.mark.parametrize(("command", "rule"), LINES)
def test_declarations_are_read_when_a_write_needs_them_with_the_same_answer(
    policy: Policy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, rule: str
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    lazy = _decide(policy, tmp_path, command)
    monkeypatch.setattr(path_checks, "_NOTED_BYTES", 1)  # every text read as it is noted
    eager = _decide(policy, tmp_path, command)
    assert lazy == eager
    if rule:
        assert lazy == ("deny", rule)
