"""Forty-eighth red-team pass, part B: what held, kept as tables (issue 10, classes 2 and 12).

Class 2: 67 viewer lines that would write, run code, read outside the workspace or run a
pager/loader through an option or a redirection (each denied on the starting tree too; the
pass's other 40 viewer probes were allowed and read only: `tail -f`, `git log -c`, `ps -eF`).
Class 12: 54 lines around acme's break-glass shapes (a loop's list or condition, a
`case` word, a variable set by `for`, other commands in the body, stdin and fd redirections)
that stay denied; the 35 allowed ones kept the one staging node of the shape.
"""

from __future__ import annotations

from datetime import date

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy, PolicyStore
from tests.policy.conftest import POLICY_DIR, Decide

VIEWER_DENIED = [
    "diff --from-file=/etc README.md",
    "diff -r src /etc",
    "diff --to-file=/etc/shadow README.md",
    "date -f /etc/shadow",
    "date -r /etc/shadow",
    "sort --files0-from=x",
    "sort -T x README.md",
    "jq -n 'input' /etc/shadow",
    "jq --rawfile a /etc/shadow -n '$a'",
    "jq --slurpfile a /etc/shadow -n '$a'",
    "jq -L /tmp -n 'import \"x\" as x; 1'",
    "jq -n 'import \"x\" as x; 1'",
    "jq -n 'include \"evil\"; 1'",
    "git log --format=%H --output=x",
    "git log -p --textconv",
    "git log --show-signature",
    "git show --show-signature",
    "git diff --no-index /etc/shadow README.md",
    "git grep --no-index x",
    "git grep -f /etc/shadow",
    "git blame --contents /etc/shadow README.md",
    "git blame -S /etc/shadow README.md",
    "git log --stdin",
    "git rev-parse --git-path x",
    "git -C /etc log",
    "git -C .. log",
    "file -m x README.md",
    "file --magic-file=x README.md",
    "file -C README.md",
    "file -f /etc/shadow",
    "hexdump -f /etc/shadow README.md",
    "ps auxwwe",
    "ps axeww",
    "xxd -r",
    "xxd README.md -",
    "stat -c '%n' /etc/shadow",
    "realpath --relative-to=/etc x",
    "test -r /etc/shadow",
    "find . -newer /etc/shadow",
    "find . -fls x",
    "find . -fprint0 x",
    "find . -fprintf x %p",
    "find / -name shadow",
    "find . -files0-from x",
    "head -c 100 /proc/self/environ",
    "cat /proc/1/environ",
    "cat /dev/stdin",
    "cat <(id)",
    "cat README.md > x",
    "cat README.md | tee x",
    "ls > x",
    "ls >| x",
    "ls 2> x",
    "ls &> x",
    "ls <> x",
    "git log --output-indicator-new=x",
    "git log --ext-diff",
    "git show --ext-diff",
    "git diff --ext-diff",
    "git diff --stat --textconv",
    "git show --textconv HEAD",
    "git grep --textconv x",
    "git grep --open-files-in-pager=id x",
    "git grep -Oid x",
    "git ls-files --with-tree=HEAD",
    "git branch --format=%(refname) -l",
    "git config --get-urlmatch http.proxy x",
]

BREAK_GLASS_DENIED = [
    "kubectl drain staging-a\nkubectl drain prod-a",
    "kubectl drain staging-a <<< x",
    "kubectl drain staging-a <<EOF\nx\nEOF",
    "kubectl drain staging-a --ignore-daemonsets=false",
    "kubectl drain staging-$'a'",
    "kubectl drain $'staging-a\\x20prod'",
    "kubectl drain staging-a\\ prod",
    "kubectl drain staging-a\\\\",
    "kubectl drain staging-a=--force",
    "kubectl drain staging-a --delete-emptydir-data --ignore-daemonsets",
    "kubectl drain staging-a --ignore-daemonsets --delete-local-data",
    "time kubectl drain staging-a",
    "exec kubectl drain staging-a",
    "command kubectl drain staging-a",
    "builtin kubectl drain staging-a",
    "nohup kubectl drain staging-a",
    "coproc kubectl drain staging-a",
    "/usr/bin/kubectl drain staging-a",
    "kubectl drain staging-a&&",
    "if true; then kubectl drain staging-a; fi",
    "kubectl cordon staging-a --selector=x",
    "kubectl cordon staging-a -l x",
    "kubectl cordon staging-a --dry-run=none",
    "KUBECONFIG= kubectl drain staging-a",
    "kubectl drain staging-ä",
    "kubectl drain staging-a;kubectl drain prod",
    "kubectl drain staging-a|kubectl drain prod",
    "kubectl drain staging-a `kubectl drain prod`",
    "kubectl drain staging-a$IFS",
    "kubectl drain staging-a${IFS}prod",
    "kubectl drain staging-a$PWD",
    "kubectl drain staging-a~",
    "kubectl drain staging-a,prod",
    "kubectl drain staging-@prod",
    "kubectl drain staging-a --context=prod",
    "for x in $(kubectl config use-context prod); do kubectl drain staging-a; done",
    "for x in `kubectl config use-context prod`; do kubectl drain staging-a; done",
    'for x in "$(kubectl config use-context prod)"; do kubectl drain staging-a; done',
    "for KUBECONFIG in /tmp/prod; do kubectl drain staging-a; done",
    "for HOME in /workspace/evil; do kubectl drain staging-a; done",
    "for KUBECONFIG in prod.kubeconfig; do export KUBECONFIG; kubectl drain staging-a; done",
    "for x in 1; do cd prod; kubectl drain staging-a; done",
    "for x in 1; do kubectl drain staging-a; done; kubectl config use-context prod",
    "for ((KUBECONFIG=0;;)); do kubectl drain staging-a; done",
    "select x in 1; do kubectl drain staging-a; done",
    "while true; do kubectl drain staging-a; done",
    "until false; do kubectl drain staging-a; done",
    "case $(kubectl config use-context prod) in *) kubectl drain staging-a;; esac",
    "f() { kubectl drain staging-a; }; f",
    "time -p kubectl drain staging-a",
    "kubectl drain staging-a > /workspace/.git/hooks/x",
    "kubectl drain staging-a 3</etc/passwd",
    "kubectl drain staging-a 0<prod.yaml",
    "kubectl drain staging-a <&3",
]


@pytest.fixture(scope="module")
def acme() -> Policy:
    return PolicyStore(POLICY_DIR).for_tenant("acme")


@pytest.mark.parametrize("command", VIEWER_DENIED)
def test_viewer_lines_stay_denied(decide: Decide, command: str) -> None:
    d = decide(command, role="viewer")
    assert d.decision is Verdict.DENY, (command, d.rule, d.reason)


@pytest.mark.parametrize("command", BREAK_GLASS_DENIED)
def test_lines_around_a_break_glass_shape_stay_denied(acme: Policy, command: str) -> None:
    req = ToolRequest(tenant="acme", actor="oncall-acme", role="admin", tool="exec",
                      command=command)  # fmt: skip
    d = acme.decide(req, None, today=date(2026, 6, 1))
    assert d.decision is not Verdict.ALLOW, (command, d.rule, d.reason)
