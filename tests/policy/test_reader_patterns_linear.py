"""Stop 47, lead (issue 10, class 10): patterns the workspace's own files reach, linear.

Three patterns rescanned runs of blanks once per character before them (quadratic): a
Makefile rule line (`_MAKE_RULE`, 128 KB of blanks: about 23 s of CPU), a `.git/config`
`url =` line (`_URL_KEY`, 32 KB: 3.4 s) and a CI value read as a command string
(`_COMMAND_STRING`, 32 KB: 6.9 s). Each is now linear; on short inputs each gives what the
old pattern gave (hypothesis, against the old patterns kept here).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent.policy import git_remotes, script_runs, task_file_commands

OLD_MAKE_RULE = re.compile(r"^([^\t#=:$][^#=:]*?|\$\S*)\s*::?(?!=)\s*([^=;#]*?)\s*(?:;(.*))?$")
OLD_URL_KEY = re.compile(r"\s*(url|pushurl)\s*=\s*(.*?)\s*\Z", re.I)
OLD_COMMAND_STRING = re.compile(r"^\s*[!|]*\s*(\S+)\s+\S")

BLANKS = 64_000


def _cpu(fn: object, *args: object) -> float:
    start = time.process_time()
    fn(*args)  # type: ignore[operator]
    return time.process_time() - start


@pytest.mark.parametrize(
    "line",
    [
        "a" + " " * BLANKS + "b",
        "a" + " " * BLANKS + "b: c",
        "a:" + " " * BLANKS + "b c",
        "a: b" + " " * BLANKS + "c",
        "$(X)" + " " * BLANKS + "b",
        "a: b;" + " " * BLANKS + "x",
        ("a" + " " * 63) * 1000 + "b",
    ],
)
def test_a_makefile_rule_line_is_read_in_linear_time(line: str) -> None:
    assert _cpu(task_file_commands._make_rule, line) < 0.5


def test_a_long_rule_line_keeps_its_recipe_as_written() -> None:
    line = "check: ci/gen.sh" + " " * 100 + "; echo  'a   b'" + " " * 80 + "$<"
    assert task_file_commands._make_rule(line) == (
        "check",
        "ci/gen.sh",
        " echo  'a   b'" + " " * 80 + "$<",
    )


def test_a_long_url_line_is_read_in_linear_time(tmp_path: Path) -> None:
    git_dir = tmp_path / ".git"
    git_dir.mkdir()
    url = "https://example.com/a" + " " * BLANKS + "b"
    (git_dir / "config").write_text(f'[remote "o"]\n\turl = {url}   \n')
    start = time.process_time()
    urls = git_remotes._config_urls(str(git_dir))
    assert time.process_time() - start < 0.5
    assert urls == {"o": [url]}


@pytest.mark.parametrize("value", [" " * BLANKS + "x", "!" * BLANKS, "| " * (BLANKS // 2) + "x"])
def test_a_command_string_is_read_in_linear_time(value: str) -> None:
    assert _cpu(script_runs._COMMAND_STRING.match, value) < 0.5


_TEXT = st.text(alphabet=" \t:;=#$()!|ab/.\\-", max_size=30)


def _split(m: re.Match[str] | None) -> object:
    return m and (m.group(1).split(), m.group(2).split(), m.group(3))


@settings(max_examples=50, deadline=None)
@given(line=_TEXT, blanks=st.integers(0, 100))
def test_the_rule_reading_is_what_it_was(line: str, blanks: int) -> None:
    for text in (line, line.replace(" ", " " * blanks, 1)):
        parts = task_file_commands._make_rule(text)
        old = _split(OLD_MAKE_RULE.match(text))
        new = parts and (parts[0].split(), parts[1].split(), parts[2])
        assert new == old, text


@settings(max_examples=50, deadline=None)
@given(head=st.sampled_from(["url", " URL ", "pushurl", "url\t"]), value=_TEXT)
def test_the_url_reading_is_what_it_was(head: str, value: str) -> None:
    line = f"{head}={value}"
    new, old = git_remotes._URL_KEY.match(line), OLD_URL_KEY.match(line)
    assert (new and new.group(2).strip()) == (old and old.group(2)), line


@settings(max_examples=50, deadline=None)
@given(value=_TEXT)
def test_the_command_string_reading_is_what_it_was(value: str) -> None:
    new, old = script_runs._COMMAND_STRING.match(value), OLD_COMMAND_STRING.match(value)
    shells = ("bash", "sh", "ab", "a/b")
    # (a leading `!`/`|` kept in the word differs only where the word is no program)
    assert bool(new and new.group(1) in shells) == bool(old and old.group(1) in shells), value
