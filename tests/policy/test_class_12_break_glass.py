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
from tests.policy.conftest import POLICY_DIR, overlay_policy, shipped_policy_copy

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

    shipped_policy_copy(tmp_path)
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


# ---- fourth pass (2026-12-03) ---------------------------------------------------------------
# A wildcard word could become an option (`*` holds `-` and `=`: a shape `kubectl delete pod *`
# allowed `kubectl delete pod --all`, and `-A`, `--selector=…`), or a whole `.`/`..` path
# component (`rm -rf /srv/cache/app/*` allowed `/srv/cache/app/..`, the cache's parent), and an
# entry with no targets at all matched every command its overrides deny. A wildcard now never
# starts an option or makes a `.`/`..` component the shape does not spell, and an entry must
# list its targets (refused at load otherwise).
_WIDE = """version: 1
extends: default
name: wide
break_glass:
  - id: break-glass.wide
    overrides: [exec.infra.kubectl-destructive, exec.remove-outside-workspace]
    roles: [admin]
    targets:
      - "kubectl delete pod *"
      - "kubectl -n staging delete pod api-*"
      - "rm -rf /srv/cache/app/*"
      - "rm -rf /srv/cache/app/*/tmp"
      - "kubectl scale deploy web --replicas=*"
    expires: 2027-06-30
    approver: sre-lead
    ticket: OPS-1
    reason: fourth-pass shapes
"""


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> Policy:
    return overlay_policy(tmp_path_factory.mktemp("wide"), "wide", _WIDE)


FOURTH_PASS_OUTSIDE = [
    "kubectl delete pod --all",
    "kubectl delete pod -A",
    "kubectl delete pod --selector=app=web",
    "kubectl delete pod -lapp=web",
    "kubectl delete pod --force",
    "kubectl delete pod --grace-period=0",
    "kubectl delete pod -",
    "kubectl delete pod --all-namespaces=true",
    "kubectl -n staging delete pod --all",
    "rm -rf /srv/cache/app/..",
    "rm -rf /srv/cache/app/.",
    "rm -rf /srv/cache/app/../../etc",
    "rm -rf /srv/cache/app/../tmp",
    "kubectl delete pod -n",
    "kubectl delete pod --cascade=orphan",
    "kubectl delete pod --namespace=prod",
    "kubectl delete pod ..",
    "kubectl delete pod .",
    "kubectl delete pod -- --all",
    "kubectl delete pod --now",
]
FOURTH_PASS_INSIDE = [
    "kubectl delete pod web-7f9c",
    "kubectl -n staging delete pod api-1",
    "rm -rf /srv/cache/app/build-42",
    "rm -rf /srv/cache/app/.cache",
    "rm -rf /srv/cache/app/v1/tmp",
    "kubectl scale deploy web --replicas=0",
]


def _wide(policy: Policy, command: str) -> Decision:
    req = ToolRequest(tenant="wide", actor="x", role="admin", tool="exec", command=command)
    return policy.decide(req, None, today=IN_WINDOW)


@pytest.mark.parametrize("command", FOURTH_PASS_OUTSIDE)
def test_fourth_pass_wildcards_make_no_options_or_dot_components(
    wide: Policy, command: str
) -> None:
    d = _wide(wide, command)
    assert d.decision is not Verdict.ALLOW, (command, d.rule, d.reason)


@pytest.mark.parametrize("command", FOURTH_PASS_INSIDE)
def test_fourth_pass_plain_names_still_fit_the_shapes(wide: Policy, command: str) -> None:
    d = _wide(wide, command)
    assert d.decision is Verdict.ALLOW and d.rule == "break-glass.wide", (command, d.rule)


def test_fourth_pass_an_entry_without_targets_is_refused(tmp_path: Path) -> None:

    shipped_policy_copy(tmp_path)
    no_targets = "\n".join(
        line for line in _WIDE.splitlines() if not line.startswith(("    targets", "      - "))
    )
    (tmp_path / "wide.yaml").write_text(no_targets + "\n")
    with pytest.raises(PolicyLoadError) as info:
        load_policy(tmp_path / "wide.yaml")
    assert "targets" in info.value.reason and info.value.line


@settings(max_examples=200, deadline=None)
@given(word=st.from_regex(r"[A-Za-z0-9._:@=+/-]{1,12}", fullmatch=True))
def test_fourth_pass_a_wildcard_word_is_never_an_option_or_a_dot_component(word: str) -> None:
    for shape in ("x *", "x /srv/cache/*", "x /srv/*/tmp", "x a-?"):
        pattern = compile_shape(shape)[1]
        if pattern.match(word):
            assert not word.startswith("-"), (shape, word)
            assert not any(c in (".", "..") for c in word.split("/")), (shape, word)


def test_fourth_pass_a_dot_dot_word_removes_the_parent_for_real(tmp_path: Path) -> None:
    """By effect: what `rm -rf …/app/../tmp` (which `…/app/*/tmp` used to match) removes (rm
    itself refuses a last component of `..`, not one in the middle)."""
    import subprocess

    app = tmp_path / "cache" / "app"
    (app / "v1" / "tmp").mkdir(parents=True)
    (tmp_path / "cache" / "tmp").mkdir()
    subprocess.run(["rm", "-rf", f"{app}/../tmp"], check=False, capture_output=True, timeout=30)
    assert not (tmp_path / "cache" / "tmp").exists()
    shape = compile_shape(f"rm -rf {app}/*/tmp")[2]
    assert shape.match(f"{app}/v1/tmp") and not shape.match(f"{app}/../tmp")


# ---- lead, stop 35 ----------------------------------------------------------------------------
# A break-glass lifted every finding of the line, asks included: `git pull origin +main:main`
# asks (the pull brings in commits the policy cannot see) and is denied as destructive (a forced
# fetch into a branch); a break-glass naming only the two denials allowed it outright.
_PULL = """version: 1
extends: default
name: pull
break_glass:
  - id: break-glass.pull
    overrides: [exec.vcs.fetch-force-refspec, exec.vcs.fetch-into-branches]
    roles: [admin]
    targets:
      - "git pull origin +main:main"
      - "git fetch origin +main:main"
    expires: 2027-06-30
    approver: sre-lead
    ticket: OPS-2
    reason: reset main to the remote after a bad merge
"""


@pytest.fixture(scope="module")
def pull(tmp_path_factory: pytest.TempPathFactory) -> Policy:
    return overlay_policy(tmp_path_factory.mktemp("pull"), "pull", _PULL)


def _pull(policy: Policy, command: str) -> Decision:
    req = ToolRequest(tenant="t", actor="a", role="admin", tool="exec", command=command)
    return policy.decide(req, None, today=IN_WINDOW)


def test_a_break_glass_keeps_the_asks_it_does_not_name(pull: Policy) -> None:
    fetch = _pull(pull, "git fetch origin +main:main")
    assert fetch.decision is Verdict.ALLOW and fetch.rule == "break-glass.pull"
    asked = _pull(pull, "git pull origin +main:main")
    assert asked.decision is Verdict.ASK, asked
    assert asked.rule == "exec.vcs.pull-unseen" and "break-glass.pull" in asked.reason
    # Outside the window, or as another role, it stays denied (not merely asked).
    req = ToolRequest(
        tenant="t", actor="a", role="admin", tool="exec", command="git pull origin +main:main"
    )
    assert pull.decide(req, None, today=date(2027, 7, 1)).decision is Verdict.DENY
    assert _pull(pull, "git pull origin +main:main +dev:dev").decision is Verdict.DENY
