"""Issue 10, class 12: break-glass rules name exact argument shapes.

A target is a list of words; a denied sub-command matches it only with exactly as many words,
each matching its own pattern, where `*` never crosses an argument or a list separator.
"""

from __future__ import annotations

import shlex
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.models import Decision, ToolRequest, Verdict
from enforcement_agent.policy import Policy, PolicyLoadError, PolicyStore, load_policy
from enforcement_agent.policy.rules import compile_shape
from tests.policy.conftest import POLICY_DIR

ISSUE_EXAMPLE = "kubectl drain staging-node-1 prod-node-1"
IN_WINDOW = date(2026, 6, 1)


@pytest.fixture(scope="module")
def acme() -> Policy:
    return PolicyStore(POLICY_DIR).for_tenant("acme")


def _decide(
    policy: Policy,
    command: str,
    actor: str = "oncall-acme",
    role: str = "admin",
    today: date = IN_WINDOW,
) -> Decision:
    req = ToolRequest(tenant="acme", actor=actor, role=role, tool="exec", command=command)
    return policy.decide(req, None, today=today)


OUTSIDE_THE_SHAPE = [
    ISSUE_EXAMPLE,
    "kubectl drain staging-node-1 staging-node-2",
    "kubectl drain staging-node-1 --force",
    "kubectl drain staging-node-1 --ignore-daemonsets --force",
    "kubectl drain --ignore-daemonsets staging-node-1",
    "kubectl drain staging-node-1 --selector=tier=prod",
    "kubectl drain 'staging-node-1 prod-node-1'",
    "kubectl drain staging-node-1,prod-node-1",
    "kubectl drain staging-node-1/../prod-node-1",
    "kubectl drain 'staging-*'",
    "kubectl drain staging-*",
    "kubectl -n kube-system drain staging-node-1",
    "kubectl drain prod-node-1",
    "kubectl drain staging-node-1 && kubectl drain prod-node-1",
    "kubectl drain staging-node-1; kubectl delete ns prod",
    "kubectl drain $NODE",
    "kubectl drain staging-$(echo prod)",
    "timeout 60 kubectl drain staging-node-1",
    "bash -c 'kubectl drain staging-node-1'",
    "env kubectl drain staging-node-1",
    "KUBECONFIG=/tmp/k kubectl drain staging-node-1",
    "kubectl delete node staging-node-1",
    "kubectl uncordon staging-node-1 prod-node-1",
]

# Third red-team pass: nothing else on the line, even an allowed command, may change what the
# shape acts on (the cluster, the directory) or where its output goes through another program.
OTHER_COMMANDS_ON_THE_LINE = [
    "kubectl config use-context prod && kubectl drain staging-node-1",
    "kubectl config set-cluster staging --server=https://prod.example && kubectl drain staging-a",
    "kubectl config set-context --current --namespace=prod; kubectl cordon staging-a",
    "cd prod && kubectl drain staging-node-1",
    "kubectl drain staging-node-1 | tee drained.txt",
    "echo go && kubectl drain staging-node-1",
    "kubectl drain staging-node-1 && ls",
    "ls & kubectl uncordon staging-b7",
    "kubectl get nodes; kubectl drain staging-node-1",
    "true || kubectl drain staging-node-1",
]

INSIDE_THE_SHAPE = [
    "kubectl drain staging-node-1",
    "kubectl drain staging-node-1 --ignore-daemonsets",
    "kubectl drain staging-node-1 --ignore-daemonsets --delete-emptydir-data",
    "kubectl cordon staging-a",
    "kubectl uncordon staging-b7",
]


def test_issue_example_is_denied(acme: Policy) -> None:
    d = _decide(acme, ISSUE_EXAMPLE)
    assert d.decision is Verdict.DENY and d.destructive
    assert d.rule == "exec.infra.kubectl-destructive"


@pytest.mark.parametrize("command", OUTSIDE_THE_SHAPE)
def test_commands_outside_the_shape_stay_denied(acme: Policy, command: str) -> None:
    d = _decide(acme, command)
    assert d.decision is not Verdict.ALLOW, (command, d.rule, d.reason)


@pytest.mark.parametrize("command", OTHER_COMMANDS_ON_THE_LINE)
def test_no_other_command_may_share_the_line(acme: Policy, command: str) -> None:
    d = _decide(acme, command)
    assert d.decision is not Verdict.ALLOW, (command, d.rule, d.reason)


@pytest.mark.parametrize(
    "command",
    [
        "kubectl drain staging-node-1 > drained.txt",
        "kubectl drain staging-node-1 2>&1",
        "kubectl drain staging-node-1 < /dev/null",
        'kubectl drain "staging-node-1"',
        "kubectl drain staging-node-1 --ignore-daemonsets &",
    ],
)
def test_the_shape_alone_with_plain_redirections_still_applies(acme: Policy, command: str) -> None:
    d = _decide(acme, command)
    assert d.decision is Verdict.ALLOW and d.rule == "break-glass.acme-staging-drain", (
        command,
        d.rule,
        d.reason,
    )


@pytest.mark.parametrize("command", INSIDE_THE_SHAPE)
def test_commands_inside_the_shape_are_allowed_and_say_why(acme: Policy, command: str) -> None:
    d = _decide(acme, command)
    assert d.decision is Verdict.ALLOW, (command, d.rule, d.reason)
    assert d.rule == "break-glass.acme-staging-drain"
    assert "acme-sre-lead" in d.reason and "ACME-OPS-42" in d.reason


def test_actor_role_and_expiry_still_apply(acme: Policy) -> None:
    cmd = "kubectl drain staging-node-1"
    assert _decide(acme, cmd, actor="someone-else").decision is Verdict.DENY
    assert _decide(acme, cmd, role="maintainer").decision is Verdict.DENY
    assert _decide(acme, cmd, today=date(2027, 7, 1)).decision is Verdict.DENY


def test_shape_words_never_span_arguments() -> None:
    shape = compile_shape("kubectl drain staging-*")
    assert len(shape) == 3
    assert shape[2].match("staging-node-1")
    for word in ("staging-1 prod-1", "staging-1,prod-1", "staging-1/x", "staging-1;x", "prod"):
        assert not shape[2].match(word), word


def test_shapes_with_shell_syntax_are_refused_at_load(tmp_path: Path) -> None:
    import shutil

    shutil.copy(POLICY_DIR / "default.yaml", tmp_path / "default.yaml")
    shutil.copytree(POLICY_DIR / "programs", tmp_path / "programs")
    text = (POLICY_DIR / "acme.yaml").read_text()
    for bad in (
        '"kubectl drain $(x)"',
        '"kubectl drain a; rm -rf /"',
        '"kubectl drain \'unclosed"',
    ):
        (tmp_path / "acme.yaml").write_text(
            text.replace('- "kubectl cordon staging-*"', f"- {bad}", 1)
        )
        with pytest.raises(PolicyLoadError) as info:
            load_policy(tmp_path / "acme.yaml")
        assert "break-glass target" in info.value.reason and info.value.line


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    node=st.from_regex(r"staging-[a-z0-9-]{1,10}", fullmatch=True),
    extra=st.lists(
        st.one_of(
            st.from_regex(r"(prod|staging)-[a-z0-9]{1,6}", fullmatch=True),
            st.sampled_from(["--force", "--grace-period=0", "--disable-eviction", "-l", "x"]),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_any_extra_argument_leaves_the_shape(acme: Policy, node: str, extra: list[str]) -> None:
    if extra in (["--ignore-daemonsets"], ["--ignore-daemonsets", "--delete-emptydir-data"]):
        return
    command = shlex.join(["kubectl", "drain", node, *extra])
    assert _decide(acme, shlex.join(["kubectl", "drain", node])).decision is Verdict.ALLOW
    assert _decide(acme, command).decision is not Verdict.ALLOW, command
