"""Seventh pass (2026-12-03), issue 10's open items 3: files options read, and the files a
package manager writes where it runs.

* `--exclude-from=FILE` was taken for a pattern (`--exclude`'s sibling) and `du` for a program
  that only looks at names: `du --exclude-from=.env .`, `du -X .env`, `grep --exclude-from=.env`
  were allowed, and the program reads FILE whole (which names it leaves out tells the secret's
  lines; shown with the real du). Every option that names a file the program reads is a read of
  that file now (``option_files.option_file_values``).
* A package manager writes in the directory it runs in without naming a file: `bun init` writes
  `CLAUDE.md` (by bun's documentation, when it finds Claude Code), yarn 2+'s `init` writes
  `.gitattributes`, and `pnpm -C .github install`, `yarn --cwd .github install`, `uv sync
  --directory .github`, `cd .github && npm init -y` wrote into a protected directory (npm shown
  by effect). Specs name those files (``workdir_writes``) and they are checked as writes where
  the program runs, after `cd` and its own directory options.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("p7") / "ws"
    for d in ("src", "web", ".github/workflows", ".husky", ".claude", "docs"):
        (root / d).mkdir(parents=True)
    (root / ".env").write_text("TOKEN=s3cret\n")
    (root / "patterns.txt").write_text("*.log\n")
    (root / "a.txt").write_text("x\n")
    (root / "package.json").write_text("{}\n")
    (root / "web" / "package.json").write_text("{}\n")
    return root


def _decide(policy: Policy, ws: Path, command: str) -> tuple[Verdict, str]:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command=command)
    d = policy.decide(req, ws)
    return d.decision, d.rule


# ---- (a) options that name a file the program reads ------------------------------------------
OPTION_FILE_READS = [
    "du --exclude-from=.env .",  # the finding
    "du -X .env .",
    "du -X.env .",
    "du -aX.env .",
    "du --exclude-from .env .",
    "du --exclude-f=.env .",  # a GNU unique prefix
    "du -sh --exclude-from=src/../.env .",
    "grep --exclude-from=.env -r x src",
    "grep -r --exclude-from .env x src",
    "diff -X .env a.txt a.txt",
    "diff --exclude-from=.env -r src docs",
    "rg --ignore-file .env x src",
    "rg --ignore-file=.env x",
    "fd --ignore-file=.env x",
    "tree --fromfile .env",
    "xargs -a .env echo",
    "xargs -i -a .env echo {}",
    "xargs --arg-file=.env echo",
    "zip -r x.zip src -x@.env",
    "sort --files0-from=.env",
    "tar --exclude-from=.env -cf x.tar src",
    "rsync -a --exclude-from=.env src/ web/",
    "git ls-files -o -X .env",
    "cd src && du --exclude-from=../.env .",
]


@pytest.mark.parametrize("command", OPTION_FILE_READS)
def test_an_options_file_is_read_and_a_secret_is_refused(
    policy: Policy, ws: Path, command: str
) -> None:
    verdict, rule = _decide(policy, ws, command)
    assert verdict is Verdict.DENY and rule == "exec.secret-file", (command, rule)


@pytest.mark.parametrize(
    "command",
    [
        "du -X /etc/shadow .",
        "du --exclude-from=/root/.bash_history .",
        "grep --exclude-from=../../etc/passwd -r x src",
    ],  # fmt: skip
)
def test_an_options_file_outside_the_workspace_is_refused(
    policy: Policy, ws: Path, command: str
) -> None:
    assert _decide(policy, ws, command)[0] is Verdict.DENY


@pytest.mark.parametrize(
    "command",
    ["du --exclude-from=patterns.txt .", "du -X patterns.txt .", "du --exclude=.env .",
     "du -sh .", "du -d 1 .", "du -dX .", "grep --exclude=.env -r x src",
     "grep --exclude-from=patterns.txt -r x src", "diff -X patterns.txt -r src docs",
     "rsync -a --exclude-from=patterns.txt src/ web/", "tar --exclude=.env -cf x.tar src"],
)  # fmt: skip
def test_ordinary_pattern_options_stay_allowed(policy: Policy, ws: Path, command: str) -> None:
    verdict, rule = _decide(policy, ws, command)
    assert verdict is Verdict.ALLOW, (command, rule)


def test_du_reads_its_exclude_file_by_effect(tmp_path: Path) -> None:
    """Real du: what the pattern file holds changes what du prints (so it is read)."""
    for name in ("API_KEY=sk-123", "other"):
        (tmp_path / name).write_text("x")
    env_file = tmp_path / ".env"

    def listing(content: str) -> str:
        env_file.write_text(content)
        out = subprocess.run(["du", "-a", f"--exclude-from={env_file}", "."], cwd=tmp_path,
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
        return "\n".join(sorted(line.split("\t")[1] for line in out.splitlines()))

    assert "API_KEY=sk-123" not in listing("API_KEY=sk-123\n")  # the secret's line matched
    assert "API_KEY=sk-123" in listing("API_KEY=sk-999\n")  # control: another value


# ---- (b) files a package manager writes where it runs --------------------------------------
WORKDIR_WRITES = [
    ("bun init", "CLAUDE.md"),  # the finding
    ("bun init -y", "CLAUDE.md"),
    ("yarn init -y", ".gitattributes"),
    ("cd src && bun init -y", "CLAUDE.md"),
    ("pnpm -C .github install", ".github/package.json"),
    ("pnpm --dir .github add left-pad", ".github/package.json"),
    ("pnpm --dir=.husky install", ".husky/package.json"),
    ("yarn --cwd .github install", ".github/package.json"),
    ("yarn --cwd .claude add x", ".claude/package.json"),
    ("bun --cwd .github install", ".github/package.json"),
    ("bun install --cwd .github", ".github/package.json"),
    ("uv sync --directory .github", ".github/pyproject.toml"),
    ("uv --project .husky add requests", ".husky/pyproject.toml"),
    ("cd .github && npm install", ".github/package.json"),
    ("cd .github/workflows && npm init -y", ".github/workflows/package.json"),
    ("cd .github && pnpm init", ".github/package.json"),
    ("cd .husky && yarn add x", ".husky/package.json"),
    ("cd .claude && npm uninstall x", ".claude/package.json"),
    ("pnpm -C .github/workflows update", ".github/workflows/package.json"),
    ("cd .github && npm version patch", ".github/package.json"),
    # the same class beyond JavaScript: init/lock/build verbs writing where they run
    ("cd .github && cargo init", ".github/Cargo.toml"),
    ("cd .github && cargo build", ".github/target/"),
    ("cargo -C .github build", ".github/target/"),
    ("cd .github && uv init", ".github/pyproject.toml"),
    ("cd .github && go mod init x", ".github/go.mod"),
    ("cd .husky && go mod tidy", ".husky/go.mod"),
    ("cd .github && poetry init -n", ".github/pyproject.toml"),
    ("cd .claude && poetry add requests", ".claude/pyproject.toml"),
    ("cd .github && bundle install", ".github/Gemfile.lock"),
]


@pytest.mark.parametrize(("command", "lands"), WORKDIR_WRITES)
def test_a_package_managers_own_writes_into_protected_places_are_refused(
    policy: Policy, ws: Path, command: str, lands: str
) -> None:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command=command)
    d = policy.decide(req, ws)
    assert d.decision is Verdict.DENY and d.rule == "exec.protected-path", (command, d.rule)
    assert lands in d.reason, d.reason


@pytest.mark.parametrize(
    "command",
    ["npm install", "npm ci", "npm init -y", "pnpm install", "pnpm init", "yarn install",
     "bun install", "uv sync", "uv add requests", "pnpm -C web install",
     "yarn --cwd web install", "cd web && npm ci",
     "bun add -d typescript", "npm uninstall left-pad", "npm test", "pnpm build",
     "cargo build", "cargo test", "cargo init", "uv init", "uv init myproj", "go mod tidy",
     "poetry install", "poetry add requests", "bundle install", "cd web && cargo build"],
)  # fmt: skip
def test_everyday_package_manager_work_stays_allowed(
    policy: Policy, ws: Path, command: str
) -> None:
    verdict, rule = _decide(policy, ws, command)
    assert verdict is Verdict.ALLOW, (command, rule)


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_npm_init_in_a_protected_directory_writes_there_by_effect(
    policy: Policy, tmp_path: Path
) -> None:
    """Real npm: `cd .github/workflows && npm init -y` writes .github/workflows/package.json
    (a file GitHub reads beside the workflows); the policy refuses that line now."""
    ws = tmp_path / "ws"
    (ws / ".github" / "workflows").mkdir(parents=True)
    env = {**os.environ, "npm_config_update_notifier": "false", "HOME": str(tmp_path)}
    subprocess.run(["bash", "-c", "cd .github/workflows && npm init -y"], cwd=ws,
                   env=env, capture_output=True, check=True, timeout=120)  # fmt: skip
    assert (ws / ".github" / "workflows" / "package.json").exists()
    verdict, rule = _decide(policy, ws, "cd .github/workflows && npm init -y")
    assert verdict is Verdict.DENY and rule == "exec.protected-path"
    # Control: the same in an ordinary directory is allowed (and writes only there).
    (ws / "pkg").mkdir()
    assert _decide(policy, ws, "cd pkg && npm init -y")[0] is Verdict.ALLOW


def test_workdir_writes_are_relative_names_checked_at_load(tmp_path: Path) -> None:
    from enforcement_agent.policy import PolicyLoadError
    from enforcement_agent.policy.specs_loader import load_spec_files

    for bad in ('"/etc/x"', '"../x"', '"*.json"'):
        spec = tmp_path / f"s{abs(hash(bad))}.yaml"
        spec.write_text(f"programs:\n  foo:\n    workdir_writes: [{bad}]\n")
        with pytest.raises(PolicyLoadError, match="workdir_writes"):
            load_spec_files([(spec, "t.yaml", 1)])
