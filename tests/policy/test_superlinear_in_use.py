"""Stop 48, lead (issue 10, class 10): patterns superlinear where they are used, and the cap.

Every module-level pattern of the decider (276) was timed under ``finditer`` on runs of 47
characters and pairs (1 and 4 KB); of the 45 superlinear there, those used to search (not
anchored with ``match``) were found, and each decision that reaches them was timed:

- the sed script's `s` flags: a backslash was both an escape and a plain character, so a run
  of them was tried every way: `sed 'p\\n#s/\\/\\\\…\\/' f` with 36 backslashes (a 50-byte
  command) took 5 s and was **allowed**, doubling per two more;
- the sed script's command letters: `\\s*` after every newline of a run (0.08 s a 4 KB script,
  1.2 s for fifteen `-e` scripts);
- the names a malformed `.gitlab-ci.yml` includes: 2.9 s for a 16 KB run of dots on the first
  decision in the workspace (allowed), 16 times that at 64 KB;
- a client's shell escape in a CI line (`(?:^|[\\n;])\\s*`), and a project's extras
  (`pkg[dev]`).

Each is linear now; each gives what the old pattern gave (hypothesis, the old patterns kept
here; for the sed flags, the pattern with a backslash always an escape, as sed reads it). And a
decision that ran past its cap in one step is now denied at its end.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy, exec_eval, repo_runs, script_runs
from tests.policy.bounded import cpu_seconds

OLD_SED_DANGER = re.compile(r"(?:^|[;{}\n]|[0-9$/!])\s*[ewWrR](?:\s|$|;|\})")
SED_SUBST = re.compile(r"s([^\\\n])(?:\\.|(?!\1)[^\\\n])*\1(?:\\.|(?!\1)[^\\\n])*\1([a-zA-Z0-9]*)")
OLD_CI_NAME = re.compile(r"[^\s'\"\[\]{},:#]+\.ya?ml\b", re.IGNORECASE)
OLD_CLIENT_SHELL = re.compile(
    r"(?:^|[\n;])\s*(?:\.(?:shell|system)|\\!|system)\s+([^\n]{1,4096})"
    r"|(?:\.(?:once|output|import|read|excel)(?:\s+-\S+)*|\\[og])\s+['\"]?\|([^'\"\n]{1,4096})"
    r"|(?i:\bprogram)\s+'([^'\n]{1,4096})'"
)
OLD_EXTRAS = re.compile(r"\[[^\]]*\]$")
SETTINGS = settings(max_examples=300, deadline=None)


def _decide(policy: Policy, ws: Path, command: str) -> tuple[Verdict, str, float]:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command=command)
    d, seconds = cpu_seconds(lambda: policy.decide(req, ws))
    return d.decision, d.rule, seconds


BACKSLASHES = "s/\\/" + "\\" * 60 + "/"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (f"sed 'p\n#{BACKSLASHES}' f", Verdict.ALLOW),  # (a comment: sed reads nothing of it)
        (f"sed 'a {BACKSLASHES}' f", Verdict.ALLOW),  # (text sed appends)
        (f"sed 'y/ab/cd/;#{BACKSLASHES}' f", Verdict.ALLOW),
        (f"sed -e p -e '#{BACKSLASHES}' f", Verdict.ALLOW),
        (f"sed 'p\n#{BACKSLASHES}w x' f", Verdict.DENY),  # (a `w` flag in it: the coarse read)
        ("sed " + " ".join(["-e '" + "\n" * 4000 + "'"] * 15) + " f", Verdict.ALLOW),
        ("sed '#" + "".join("s" + chr(0x4E00 + i) for i in range(2000)) + "' f", Verdict.ALLOW),
        ("sed '#" + "s/\\/" * 1000 + "' f", Verdict.ALLOW),
        ("pip install -e './x" + "[" * 500 + "]'", Verdict.ALLOW),  # (./x, its extras)
    ],
)
def test_sed_scripts_are_read_in_linear_time(
    default_policy: Policy, tmp_path: Path, command: str, expected: Verdict
) -> None:
    verdict, rule, seconds = _decide(default_policy, tmp_path, command)
    assert seconds < 0.5, (command[:40], seconds)  # (5 s and growing; 1.2 s for the -e run)
    assert verdict is expected, (command[:40], rule)


@pytest.mark.parametrize("run", ["." * 16_000, "a" * 16_000, "a." * 8_000, "-" * 16_000])
def test_a_malformed_gitlab_ci_file_is_read_in_linear_time(
    default_policy: Policy, tmp_path: Path, run: str
) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".gitlab-ci.yml").write_text("include: {\n\t" + run + "\n")
    verdict, rule, seconds = _decide(default_policy, tmp_path, "echo x > y.txt")
    assert seconds < 0.5, seconds  # (2.9 s for the dots)
    assert verdict is Verdict.ALLOW, rule


def test_a_decision_past_its_cap_is_denied(
    default_policy: Policy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step that cannot be interrupted may end past the cap: the decision is then denied
    (the cap was checked only as work was charged, every 64 steps)."""
    budget = exec_eval.Budget
    monkeypatch.setattr(exec_eval, "Budget", lambda: budget(seconds=0.0))
    verdict, rule, _ = _decide(default_policy, tmp_path, "ls")
    assert (verdict, rule) == (Verdict.DENY, "shell.undecidable")


SED_TEXT = st.text(alphabet=list("s/\\|aew\ng 9;{}1$!\t\r") + ["\u2028"], max_size=24)


@SETTINGS
@given(SED_TEXT)
def test_sed_flags_as_the_pattern_finds_them(script: str) -> None:
    expected = [m.group(2) for m in SED_SUBST.finditer(script)]
    assert exec_eval._sed_subst_flags(script) == expected


@SETTINGS
@given(SED_TEXT)
def test_sed_command_letters_as_before(script: str) -> None:
    collapsed = exec_eval._BLANK_RUN.sub(exec_eval._one_blank, script)
    found = exec_eval._SED_DANGER.search(collapsed) is not None
    assert found == (OLD_SED_DANGER.search(script) is not None)


@SETTINGS
@given(st.lists(st.sampled_from([*"a.yYmlL -/:_[é\n", ".yml", ".yaml"]), max_size=12).map("".join))
def test_ci_names_as_before(text: str) -> None:
    assert repo_runs._ci_names(text) == OLD_CI_NAME.findall(text)


@SETTINGS
@given(
    st.lists(
        st.sampled_from(
            [".shell", ".system", "system", "\\!", " ", "\n", ";", "\t", "x", "'", "|", ".once"]
            + ["-a", "program", "\r"]
        ),
        max_size=10,
    ).map("".join)
)
def test_client_shell_as_before(text: str) -> None:
    old = [m.groups() for m in OLD_CLIENT_SHELL.finditer(text)]
    assert [m.groups() for m in script_runs._CLIENT_SHELL.finditer(text)] == old


@SETTINGS
@given(st.text(alphabet="a[]x.\n", max_size=12))
def test_extras_as_before(word: str) -> None:
    assert exec_eval._without_extras(word) == OLD_EXTRAS.sub("", word)


@pytest.mark.parametrize("unit", ["\n", ";", " ", "\t", "; ", ";\n"])
def test_client_shell_is_linear(unit: str) -> None:
    text = unit * (16_000 // len(unit))
    _, seconds = cpu_seconds(lambda: list(script_runs._CLIENT_SHELL.finditer(text)))
    assert seconds < 0.05, seconds  # (1.2 s for the newlines)


@pytest.mark.parametrize("word", ["x" + "[" * 60_000 + "]", "[a" * 30_000 + "]", "x[]" * 20_000])
def test_extras_are_linear(word: str) -> None:
    _, seconds = cpu_seconds(lambda: exec_eval._without_extras(word))
    assert seconds < 0.05, seconds
