"""Stop 47, lead (issue 10, class 10): glob patterns from requests and workspace files are
translated in linear time.

CPython's ``fnmatch.translate`` searches for the ``]`` of every ``[`` from that ``[`` on, so a
pattern of many unclosed ``[`` is quadratic: a 32 KB `curl 'http://localhost/[[[…'` took 19.6 s
of one decision's CPU (the path check asks whether each glob component can match ``..``) and
was then allowed. ``fnmatch_linear`` gives the same regular expression in linear time; every
call site that matches a pattern a request, a tool call or a workspace file wrote uses it.
"""

from __future__ import annotations

import fnmatch
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy, fnmatch_linear

SIZE = 60_000


@pytest.mark.parametrize(
    "pattern",
    [
        "[" * SIZE,
        "a]" + "[" * SIZE,
        "[!" + "[" * SIZE,
        "[]" + "[" * SIZE,
        "*[" * 500 + "[" * SIZE,
        # every stand-in stop 47 knew, then the quadratic shape (it went to fnmatch as written)
        "\ue000\ue001\ue002\ue003" + "[" * SIZE,
        "".join(map(chr, range(0xE000, 0xE000 + 5_000))) + "]" + "[" * SIZE,
    ],
)
def test_a_long_pattern_is_translated_in_linear_time(pattern: str) -> None:
    start = time.process_time()
    fnmatch_linear.translate(pattern)
    assert fnmatch_linear.fnmatchcase("..", pattern) is False
    # (linear: about 0.35 s here, the translation and two compiles of 60,000 classes; the
    # quadratic translation took 1.6 s at 8,000)
    assert time.process_time() - start < 2.0


@pytest.mark.parametrize(
    "command",
    [
        "curl 'http://localhost/" + "[" * SIZE + "'",
        "ls '." + "[" * SIZE + "'",
        "cat ./.[" + "[" * SIZE,
        "git add -- ':(glob)" + "[" * SIZE + "'",
        "rm -f 'x/.[[" + "[" * SIZE + "'",
        "curl 'http://localhost/\ue000\ue001\ue002\ue003" + "[" * SIZE + "'",
    ],
)
def test_a_decision_on_such_a_pattern_is_linear(
    default_policy: Policy, tmp_path: Path, command: str
) -> None:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command=command)
    start = time.thread_time()
    d = default_policy.decide(req, tmp_path)
    assert time.thread_time() - start < 3.0, command[:30]  # (0.14-0.8 s here; 19.6 s before)
    assert d.decision in (Verdict.ALLOW, Verdict.DENY, Verdict.ASK)


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="[]!^-*?.a\\/\ue000\ue001\ue002\ue003", max_size=14))
def test_the_same_expression_as_fnmatch(pattern: str) -> None:
    assert fnmatch_linear.translate(pattern) == fnmatch.translate(pattern)
    for name in ("..", "[", "a[", "]", "a", "!a"):
        assert fnmatch_linear.fnmatchcase(name, pattern) == fnmatch.fnmatchcase(name, pattern)
