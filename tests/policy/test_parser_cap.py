"""Stop 47, lead (issue 10, class 10): the cap on a decision's work holds inside the parser.

tree-sitter-bash is quadratic on some words (extended-glob and array shapes: `a@a@…` as a
command word or after `export`, `a@(a@(…`, `a=(a=(…`, `a?a?…`, a here-document of `a)a)…`):
`bash -c 'a@a@…'` at 64 KB took 22 s of CPU inside one ``Parser.parse`` call, where the
walk's own checks never ran. ``shell._parse`` hands the parser its source through a callback
that checks the cap (``MAX_SECONDS`` of this thread's CPU) each time a chunk is read, and ends
the input past it: the decision is a deny ("too complex"). The cap is lowered here so the
tests cost a fraction of a second each; on the tree before, each took the parser's full
quadratic time.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy, shell

CAP = 0.2  # seconds of CPU a parse may take here (the shipped cap: 2 s)
SLACK = 1.0  # what the rest of a decision may add to the cap (the walk, the bash precheck)
# (head, unit): the command is ``head + unit * n`` to 64 KB
SHAPES = {
    "bash-c-at": ("bash -c ", "a@"),
    "export-at": ("export ", "a@"),
    "word-at-paren": ("", "a@("),
    "declare-array": ("declare ", "a@("),
    "for-question": ("for x in ", "a?"),
    "heredoc-paren": ("cat <<E\n", "a)"),
    "function-at": ("f() { ", "a@"),
    "local-question": ("local ", "a?"),
    "env-wrapper": ("env bash -c ", "a@"),
    "timeout-wrapper": ("timeout 5 sh -c ", "a?"),
}


def _decide(policy: Policy, ws: Path, command: str) -> tuple[float, Verdict, str]:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command=command)
    start = time.thread_time()
    d = policy.decide(req, ws)
    return time.thread_time() - start, d.decision, d.reason


def _fill(head: str, unit: str, size: int) -> str:
    return head + unit * ((size - len(head)) // len(unit))


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_cap_holds_inside_the_parser(
    default_policy: Policy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    monkeypatch.setattr(shell, "MAX_SECONDS", CAP)
    seconds, verdict, reason = _decide(default_policy, tmp_path, _fill(*SHAPES[shape], 60_000))
    assert seconds < CAP + SLACK, (shape, seconds)
    assert verdict is Verdict.DENY, (shape, reason)


def test_a_parse_past_the_cap_is_too_complex(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shell, "MAX_SECONDS", CAP)
    monkeypatch.setattr(shell, "_REREADS", 10**9)  # (the cap on CPU alone)
    with pytest.raises(shell.TooComplex, match="cap on work"):
        shell.parse(_fill("export ", "a@", 60_000))


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("size", [1_000, 8_000, 60_000])
def test_a_parse_that_goes_back_over_its_source_ends(
    default_policy: Policy, tmp_path: Path, shape: str, size: int
) -> None:
    """Stop 48: the parser's hand-outs are counted, so its work is linear in the source
    (before, these took 0.1-0.3 s of CPU at 8 KB and the cap at 16 KB), at the shipped cap."""
    seconds, verdict, reason = _decide(default_policy, tmp_path, _fill(*SHAPES[shape], size))
    assert seconds < 0.02 + size / 500_000, (shape, size, seconds)
    assert verdict is Verdict.DENY, (shape, reason)


def test_the_chunked_read_gives_the_same_trees() -> None:
    """Long ordinary commands whose quotes, substitutions and here-documents cross the
    chunk edges parse to the tree the whole source gives."""
    words = " ".join(f"src/m{i}.py" for i in range(2_000))
    body = "\n".join(f"line {i} $HOME `date` 'q'" for i in range(600))
    commands = [
        f"ruff check {words}",
        f"git add {words} && git commit -m 'x'",
        f"cat <<EOF > notes.txt\n{body}\nEOF",
        "echo " + " ".join(f'"$(printf %s {i})" ${{v:-{i}}}' for i in range(900)),
    ]
    for command in commands:
        assert len(command) > 3 * 4096
        source = command.encode()
        whole = shell._parser().parse(source).root_node
        chunked = shell._parse(source, time.thread_time() + 60).root_node
        assert str(chunked) == str(whole) and not whole.has_error, command[:40]


@settings(max_examples=8, deadline=None)
@given(
    head=st.sampled_from(["", "echo ", "export ", "x=", "[[ ", "case ", "bash -c "]),
    unit=st.sampled_from(["a@", "a@(", "a=(", "a?", "a)", "a|", "@(", "a("]),
    size=st.integers(20_000, 64_000),
)
def test_any_quadratic_word_is_cut_at_the_cap(
    default_policy: Policy, tmp_path_factory: pytest.TempPathFactory, head: str, unit: str,
    size: int,
) -> None:  # fmt: skip
    ws = tmp_path_factory.mktemp("ws")
    saved, shell.MAX_SECONDS = shell.MAX_SECONDS, CAP
    try:
        seconds, verdict, reason = _decide(default_policy, ws, _fill(head, unit, size))
    finally:
        shell.MAX_SECONDS = saved
    assert seconds < CAP + SLACK, (head, unit, size, seconds)
    assert verdict in (Verdict.DENY, Verdict.ASK), (head, unit, reason)


# A loop's body is read for what may set its variable before the loop is unrolled; those reads
# scanned from every `${` (or `d[`) to the end of the body: 9.7 s (1.2 s) of CPU at 64 KB.
@pytest.mark.parametrize("unit", ["${", "d[", "${d", "d[d"])
def test_a_long_loop_body_is_read_in_linear_time(
    default_policy: Policy, tmp_path: Path, unit: str
) -> None:
    command = _fill("for d in a b; do echo '", unit, 64_000 - 10) + "'; done"
    seconds, verdict, reason = _decide(default_policy, tmp_path, command)
    assert seconds < 0.5, (unit, seconds)
    assert verdict is Verdict.ALLOW, reason  # (it only prints)


@pytest.mark.parametrize(
    "body",
    [
        "d[0]=.git; rm -rf $d",  # an element assigned: the variable is not the literal
        "d+=/.git; rm -rf $d",
        ": ${d:=.git} ${d}; rm -rf $d",
        "echo ${x:-${d=.git}}; rm -rf $d",
        "read d < list; rm -rf $d",
    ],
)
def test_a_body_that_sets_the_variable_is_not_unrolled(
    default_policy: Policy, tmp_path: Path, body: str
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "docs").mkdir()
    _, verdict, reason = _decide(default_policy, tmp_path, f"for d in src docs; do {body}; done")
    assert verdict is not Verdict.ALLOW, (body, reason)


@pytest.mark.parametrize(
    "body",
    [
        "ls $d; echo $d[1]",  # `$d` then the text `[1]`: a read
        'ls "$d"; echo "${d[0]}"',
        "ls $d; echo ${#d[@]} ${!d[@]}",
        'ls $d; echo "$d=$d"',
    ],
)
def test_a_body_that_only_reads_the_variable_is_unrolled(
    default_policy: Policy, tmp_path: Path, body: str
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "docs").mkdir()
    _, verdict, reason = _decide(default_policy, tmp_path, f"for d in src docs; do {body}; done")
    assert verdict is Verdict.ALLOW, (body, reason)
