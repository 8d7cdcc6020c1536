"""Issue 10, class 2: the viewer is read-only by construction.

Read-only roles run only the programs of the policy's read_only table, each with its listed
options; the loader refuses a read-only entry whose values could write, run code, wrap a
command or set a variable.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy, PolicyLoadError, load_policy
from tests.policy.cases import adversarial, everyday_corpus
from tests.policy.conftest import POLICY_DIR, Decide

ISSUE_EXAMPLE = "awk 'BEGIN{c=\"id\"; x=1; print x | c}'"

VIEWER_DENIED = [
    ISSUE_EXAMPLE,
    "awk '{print $1}' README.md",
    "gawk 'BEGIN{system(\"id\")}'",
    "sed -n 1p README.md",
    "sed -n '1e id' README.md",
    "find . -exec cat {} \\;",
    "find . -execdir id \\;",
    "find . -ok id \\;",
    "find . -delete",
    "find . -fprint build/x",
    "find -L . -name x",
    "less README.md",
    "more README.md",
    "man ls",
    "vi README.md",
    "git commit -m x",
    "git push origin main",
    "git config user.name x",
    "git -c core.pager=id log",
    "git log --output=build/x",
    "git difftool",
    "git stash",
    "git branch evil",
    "git tag v1",
    "git checkout -b x",
    "git grep -O id x",
    "git log --ext-diff -p",
    "python3 scripts/gen.py",
    "python3 --version",
    "node -e 1",
    "perl -e 1",
    "bash -c 'cat README.md'",
    "sh scripts/run.sh",
    "env ls",
    "timeout 5 ls",
    "xargs cat",
    "nice cat README.md",
    "command cat README.md",
    "tee build/x",
    "cat README.md > build/x",
    "sort -o build/x README.md",
    "sort --compress-program=sh README.md",
    "uniq README.md build/x",
    "xxd -r build/dump build/bin",
    "tree -o build/x",
    "date -s 2020-01-01",
    "hostname evil",
    "printf -v x y",
    "export FOO=1",
    "set -a",
    "trap id EXIT",
    "curl -s http://localhost:8000",
    "make",
    "npm test",
    "pytest -q",
    "rm -rf build",
    "cp README.md build/",
    "mkdir build/x",
    "touch x",
    "chmod +x scripts/run.sh",
    "eval ls",
    "source scripts/run.sh",
    "cat README.md | sh",
    "rg --pre cat x",
    "rg -L x",
    "jq -n --rawfile x /etc/shadow '$x'",
    "ls; python3 -c 1",
    "echo $(python3 -c 1)",
]

VIEWER_ALLOWED = [
    "cat README.md",
    "cat -n src/app.py",
    "head -n 20 src/app.py",
    "tail -5 README.md",
    "wc -l src/app.py src/main.py",
    "grep -rn import src",
    "rg -l TODO",
    "ls -la docs",
    "ls src/*.py",
    "find . -name '*.py' -type f",
    "git log --oneline -5",
    "git diff --cached",
    "git status --short",
    "git show HEAD --stat",
    "git blame src/app.py",
    "git -C docs log -1",
    "jq .name package.json",
    "sort README.md | uniq -c",
    "echo hello",
    "pwd",
    "cd docs && ls",
    "diff -u README.md notes.md",
    "stat README.md",
    "sha256sum README.md",
    "ps aux",
    "set -euo pipefail",
]


def test_issue_example_is_denied_for_viewer(decide: Decide) -> None:
    d = decide(ISSUE_EXAMPLE, role="viewer")
    assert d.decision is Verdict.DENY
    assert d.rule == "exec.read-only.not-listed"


@pytest.mark.parametrize("command", VIEWER_DENIED)
def test_viewer_cannot_write_or_run_code(decide: Decide, command: str) -> None:
    d = decide(command, role="viewer")
    assert d.decision is not Verdict.ALLOW, (command, d.rule, d.reason)


@pytest.mark.parametrize("command", VIEWER_ALLOWED)
def test_viewer_reads(decide: Decide, command: str) -> None:
    d = decide(command, role="viewer")
    assert d.decision is Verdict.ALLOW, (command, d.rule, d.reason)


def _viewer_programs(policy: Policy, workspace: Path, command: str) -> tuple[Verdict, set[str]]:
    req = ToolRequest(tenant="acme", actor="a", role="viewer", tool="exec", command=command)
    out = policy.explain(req, workspace)
    return Verdict(out["decision"]["decision"]), {c[0] for c in out["commands"] if c}


CORPUS = adversarial() + everyday_corpus()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(command=st.sampled_from(CORPUS))
def test_whatever_a_viewer_may_run_is_in_the_read_only_table(
    default_policy: Policy, workspace: Path, command: str
) -> None:
    verdict, programs = _viewer_programs(default_policy, workspace, command)
    if verdict is Verdict.ALLOW:
        table = set(default_policy.compiled.exec.read_only_programs) | {"cd", "pushd"}
        assert programs <= table, (command, programs - table)


def test_read_only_table_is_checked_at_load(tmp_path: Path) -> None:
    """A read-only entry that could write or run code is refused with file and line."""
    import shutil

    shutil.copy(POLICY_DIR / "default.yaml", tmp_path / "default.yaml")
    shutil.copytree(POLICY_DIR / "programs", tmp_path / "programs")
    ro = tmp_path / "programs" / "read-only.yaml"
    for bad in (
        "  sneaky:\n    options: ['-o|--output=write']\n",
        "  sneaky:\n    args: [command]\n",
        "  sneaky:\n    options: ['-c=code']\n",
        "  sneaky:\n    subcommands:\n      run: {args: [shellwords]}\n",
        "  sneaky:\n    options: ['-v=var']\n",
    ):
        original = (POLICY_DIR / "programs" / "read-only.yaml").read_text()
        ro.write_text(original.replace("read_only:\n", "read_only:\n" + bad, 1))
        with pytest.raises(PolicyLoadError) as info:
            load_policy(tmp_path / "default.yaml")
        assert info.value.file.endswith("read-only.yaml") and info.value.line
        assert "read-only" in info.value.reason
