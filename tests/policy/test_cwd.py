"""`cd` tracking: exact directory inside an `&&` chain, every possible one elsewhere.

A cd can fail, and cds in subshells, pipelines, nested shells or behind wrappers do not move
the calling shell; each of those must keep the conservative set of directories.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("cwd") / "ws"
    for d in ("docs/sub", "a/b"):
        (ws / d).mkdir(parents=True)
    return ws


@pytest.mark.parametrize(
    ("command", "want"),
    [
        ("cd docs && make html | tee ../build.log", Verdict.ALLOW),
        ("cd docs && rm -rf ../x", Verdict.ALLOW),
        ("cd docs && cd sub && rm -rf ../../x", Verdict.ALLOW),
        ("cd a && (cd b && rm -rf ../../x)", Verdict.ALLOW),
        ("cd docs && ls | rm -rf ../x", Verdict.ALLOW),
        ("cd docs; rm -rf ../x", Verdict.DENY),
        ("cd docs || rm -rf ../x", Verdict.DENY),
        ("cd docs && rm -rf ../../x", Verdict.DENY),
        ("cd a && (cd b) && rm -rf ../../x", Verdict.DENY),
        ("bash -c 'cd docs' && rm -rf ../x", Verdict.DENY),
        ("env cd docs && rm -rf ../x", Verdict.DENY),
        ("cd docs && cd sub; rm -rf ../../x", Verdict.DENY),
        ("cd docs && { cd sub || true; } && rm -rf ../../x", Verdict.DENY),
        ("cd docs && echo $(rm -rf ../x)", Verdict.DENY),
        ("cd docs | true && rm -rf ../x", Verdict.DENY),
        ("cd docs 2>/dev/null | cat && rm -rf ../x", Verdict.DENY),
        ("if cd docs; then rm -rf ../x; fi", Verdict.DENY),
        ("cd /tmp && ls", Verdict.DENY),
        ("cd", Verdict.DENY),
        ("cd ..", Verdict.DENY),
    ],
)
def test_cd_semantics(default_policy: Policy, tree: Path, command: str, want: Verdict) -> None:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command=command)
    d = default_policy.decide(req, tree)
    assert d.decision is want, (command, d.rule, d.reason)


@pytest.mark.parametrize(
    ("command", "want"),
    [
        # cd - goes to $OLDPWD, which may be anywhere (issue 10, class 8)
        ("cd docs && cd - && rm -rf ../x", Verdict.DENY),
        ("cd - && ls", Verdict.DENY),
        ("cd docs && (cd - && rm -rf ../x)", Verdict.DENY),
        ("cd +1 && ls", Verdict.DENY),
        ("pushd docs && pushd -1 && ls", Verdict.DENY),
        # popd returns to an earlier directory: the chain's directory no longer holds
        ("pushd docs && popd && rm -rf ../x", Verdict.DENY),
        ("cd docs; pushd sub; popd; rm -rf ../x", Verdict.DENY),
        ("pushd docs && rm -rf ../x && popd", Verdict.ALLOW),
        ("cd docs && pushd sub && rm -rf ../../x", Verdict.ALLOW),
        # every `;`-joined cd may fail, doubling the directories; past the cap: too complex
        ("cd d1; cd d2; cd d3; cd d4; cd d5; cd d6; cd d7; ls", Verdict.DENY),
        ("cd a && cd b && ls && cd .. && cd .. && ls", Verdict.ALLOW),
    ],
)
def test_cd_dash_popd_and_the_cap(
    default_policy: Policy, tree: Path, command: str, want: Verdict
) -> None:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command=command)
    d = default_policy.decide(req, tree)
    assert d.decision is want, (command, d.rule, d.reason)
