"""A Claude Code Grep over a directory reads every file its glob and type let through.

Grep runs ripgrep on the host, where nothing redacts its output. A third red-team pass
found a Grep over the workspace (or any directory) that held a secret it did not name was
allowed, relying on ripgrep skipping hidden and ignored files. The hook now walks the
directory (bounded) and decides the Grep as a read of the first secret file it would read;
the glob and type narrow the walk as ripgrep narrows its search, conservatively.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_agent.integrations.claude_hook import HookInput, HookInputError, grep_reads
from enforcement_agent.integrations.grep_walk import TooWide, grep_filter, secret_under
from enforcement_agent.models import ToolRequest
from tests.integrations import test_claude_hook as hook_tests
from tests.integrations.conftest import HookEnv, HookRunner, hook_input

GREPS_OVER_A_SECRET = [
    ({"pattern": "KEY"}, {"config/.env": "KEY=1\n"}),
    ({"pattern": "KEY", "path": "{ws}"}, {".env": "KEY=1\n"}),
    ({"pattern": "KEY", "path": "{ws}/deploy"}, {"deploy/prod.pem": "k\n"}),
    ({"pattern": "KEY", "path": "{ws}", "output_mode": "content"}, {"a/b/c/id_rsa": "k\n"}),
    ({"pattern": "KEY", "path": "{ws}", "glob": "*.txt"}, {"docs/notes.txt": "@link:../.env"}),
    ({"pattern": "KEY", "path": "{ws}", "type": "py"}, {"src/x.py": "@hard:.env"}),
    ({"pattern": "KEY", "path": "{ws}", "glob": "*"}, {".aws/credentials": "k\n"}),
    ({"pattern": "KEY", "path": "{ws}", "type": "nosuchtype"}, {".env": "KEY=1\n"}),
    ({"pattern": "KEY", "path": "{ws}", "glob": "!*.md"}, {".env.local": "KEY=1\n"}),
]


def _plant(ws: Path, files: dict[str, str]) -> None:
    (ws / ".env").write_text("KEY=secret\n")
    for name, text in files.items():
        target = ws / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if text.startswith("@link:"):
            target.symlink_to(text[len("@link:") :])
        elif text.startswith("@hard:"):
            os.link(ws / text[len("@hard:") :], target)
        else:
            target.write_text(text)


@pytest.mark.parametrize(("tool_input", "files"), GREPS_OVER_A_SECRET)
def test_a_grep_over_a_directory_holding_a_secret_is_denied(
    hook_env: HookEnv, run_hook_cli: HookRunner, tool_input: dict[str, str], files: dict[str, str]
) -> None:
    _plant(hook_env.workspace, files)
    # decided and recorded as a secret read, exactly like a Grep that names the secret
    hook_tests.test_grep_is_decided_as_a_read_of_what_it_reads(hook_env, run_hook_cli, tool_input)


@pytest.mark.parametrize(
    "tool_input",
    [
        {"pattern": "def", "path": "{ws}/src"},
        {"pattern": "def", "path": "{ws}", "glob": "*.py"},
        {"pattern": "def", "path": "{ws}", "type": "py"},
        {"pattern": "def", "path": "{ws}", "glob": "src/**"},
        {"pattern": "def", "path": "{ws}", "glob": "{src,docs}/**/*.py"},
        {"pattern": "def", "path": "{ws}/src/app.py"},
    ],
)
def test_a_grep_its_filters_keep_off_the_secret_stays_allowed(
    hook_env: HookEnv, run_hook_cli: HookRunner, tool_input: dict[str, str]
) -> None:
    _plant(hook_env.workspace, {"config/prod.pem": "k\n"})
    ti = {k: v.replace("{ws}", str(hook_env.workspace)) for k, v in tool_input.items()}
    out, _ = run_hook_cli(hook_input("Grep", ti, hook_env.workspace))
    assert out["permissionDecision"] == "allow", out


def test_grep_without_a_path_is_an_explicit_refusal_not_an_assertion() -> None:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="read", path="x")
    call = HookInput(session="s", cwd="/tmp", tool_name="Grep", tool_input={"pattern": "x"})
    with pytest.raises(HookInputError) as err:
        grep_reads(dataclasses.replace(req, path=""), call)
    assert err.value.rule == "hook.invalid-tool-input"


def test_the_walk_is_bounded(tmp_path: Path) -> None:
    for i in range(50):
        (tmp_path / f"f{i}.txt").write_text("x")
    with pytest.raises(TooWide):
        secret_under(str(tmp_path), str(tmp_path), lambda rel: True, lambda p: False, limit=20)
    assert secret_under(str(tmp_path), str(tmp_path), lambda rel: True, lambda p: False) == ""


def test_a_hard_link_of_a_secret_elsewhere_in_the_workspace_leads_to_it(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / ".env").write_text("KEY=1\n")
    os.link(tmp_path / ".env", tmp_path / "src" / "data.py")
    found = secret_under(
        str(tmp_path / "src"), str(tmp_path), lambda rel: True, lambda p: p.endswith("/.env")
    )
    assert found == str(tmp_path / ".env")


@pytest.mark.parametrize(
    ("globs", "types", "rel", "reads"),
    [
        (["*.py"], [], "a/b/x.py", True),
        (["*.py"], [], ".env", False),
        (["!.env"], [], ".env", False),
        (["!.env"], [], "sub/.env", False),
        (["!.env", ".env"], [], ".env", True),  # the last matching glob wins
        (["src/**"], [], "src/a/.env", True),
        (["src/**"], [], "config/.env", False),
        ([], ["py"], "x.pyi", True),
        ([], ["py"], ".env", False),
        ([], ["unknown-type"], ".env", True),
        (["*.md"], ["py"], "x.md", False),
    ],
)
def test_glob_and_type_narrow_as_ripgrep_does(
    globs: list[str], types: list[str], rel: str, reads: bool
) -> None:
    assert grep_filter(globs, types)(rel) is reads


@settings(max_examples=200, deadline=None)
@given(
    name=st.text(alphabet="abcxyz._-/", min_size=1, max_size=20).filter(
        lambda s: not s.startswith("/") and "//" not in s and not s.endswith("/")
    ),
    glob=st.sampled_from(["*", "*.py", "**/*", "a*", "*/x*", "**/.env*", "!*.md"]),
)
def test_an_include_glob_never_reads_less_than_fnmatch_would(name: str, glob: str) -> None:
    """Generous matching for includes: whatever fnmatch (and so ripgrep's simple cases) lets
    through, the filter lets through too, so a secret is never hidden by a loose match."""
    import fnmatch

    base = name.rsplit("/", 1)[-1]
    if not glob.startswith("!") and (
        fnmatch.fnmatchcase(name, glob) or fnmatch.fnmatchcase(base, glob)
    ):
        assert grep_filter([glob], [])(name)
