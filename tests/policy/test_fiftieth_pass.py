"""Fiftieth red-team pass (2026-12-07): issue 10's classes 8 (paths the policy resolves
differently from the kernel), 9 (secrets read through a program that prints a transform) and
11 (files CI systems, dev containers and agents read at any depth), as a contributor who
controls the commands and the workspace's files.

Found on the tree before this pass (docs/policy.md, "Fiftieth pass"):
- class 11: mise's idiomatic version files (`.nvmrc`, `.node-version`, `.python-version`,
  `.ruby-version`, `.java-version`, `.go-version`, `.bun-version`, `.terraform-version`) were
  writable at any depth: mise parses their words as `.tool-versions` entries, so a
  `path:DIR` pin runs DIR's `bin/node` on the human's next `node`, as `.tool-versions`
  (protected) does.
Classes 8 and 9 held: the rows below are the forms tried, kept as regressions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from tests.policy.scratch_repo import scratch_repo, workflow
from tests.policy.verdicts import exec_verdict


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # (the session's: loaded once for the whole suite)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scratch_repo(
        tmp_path_factory.mktemp("rt50") / "ws",
        {
            "README.md": "x\n",
            "src/app.py": "print(1)\n",
            "CLAUDE.md": "good\n",
            ".env": "K=v\n",
            ".github/workflows/ci.yml": workflow("make test"),
            "Makefile": "test:\n\ttrue\n",
            "sub/.keep": "",
            "pkg/a/.keep": "",
            ".nvmrc": "20\n",
            "pkg/a/.python-version": "3.12\n",
        },
    )


_PINS = [".nvmrc", ".node-version", ".python-version", ".python-versions", ".ruby-version",
         ".java-version", ".go-version", ".bun-version", ".terraform-version"]  # fmt: skip
_WRITES = ["echo 'path:/tmp/e' >> {}", "cp README.md {}", "tee {} < README.md",
           "sed -i s/2/3/ {}", "mv README.md {}", "git mv README.md {}", "ln -s /tmp/e {}"]  # fmt: skip

# (command, refused?) — refused means not allowed (deny or ask)
CASES: list[tuple[str, bool]] = [
    # ---- class 11: idiomatic version files, at the top and nested -------------------------
    *[(w.format(d + p), True) for p in _PINS for d in ("", "pkg/a/") for w in _WRITES],
    ("echo 'path:/tmp/e' > .NVMRC", True),
    ("uv python pin path:/tmp/e", True),  # a program that writes the pin
    ("cd pkg/a && uv python pin 3.12", True),
    ("echo x >> .nvm?c", True),
    # ---- class 11: the named CI, agent and dev-container files (held) --------------------
    *[
        (f"echo x >> {d}{p}", True)
        for d in ("", "pkg/a/")
        for p in (
            ".github/copilot-instructions.md",
            ".cursor/rules/a.mdc",
            ".cursorrules",
            ".windsurfrules",
            ".clinerules",
            "GEMINI.md",
            ".aider.conf.yml",
            ".continue/config.json",
            ".vscode/tasks.json",
            ".idea/runConfigurations/x.xml",
            ".pre-commit-config.yaml",
            ".husky/pre-commit",
            "lefthook.yml",
            "renovate.json",
            ".circleci/config.yml",
            "azure-pipelines.yml",
            "Jenkinsfile",
            ".woodpecker/ci.yml",
            "netlify.toml",
            "Procfile",
            ".devcontainer/devcontainer.json",
            ".envrc",
            "mise.toml",
            ".tool-versions",
            "flake.nix",
        )
    ],
    ("tar -xf y.tar --transform s,src/app.py,CLAUDE.md,", True),
    ("cp README.md CLAUDE.m?", True),
    # ---- class 8: the shell's own idea of where it is (held) ------------------------------
    ("CDPATH=.github cd workflows && echo x >> ci.yml", True),
    ("shopt -s cdable_vars; v=.github; cd v; echo x >> workflows/ci.yml", True),
    ("HOME=$PWD/.github; cd; echo x >> workflows/ci.yml", True),
    ("OLDPWD=.github; cd -; echo x >> workflows/ci.yml", True),
    ("pushd .github; pushd +1; echo x >> workflows/ci.yml", True),
    ("cd sub; echo x >> ${OLDPWD:-.}/CLAUDE.md", True),
    ('cd src; cd "$(git rev-parse --show-cdup)"; echo x >> CLAUDE.md', True),
    ("echo x >> /proc/$$/cwd/CLAUDE.md", True),
    ("echo x >> /proc/thread-self/cwd/CLAUDE.md", True),
    ("echo x | tee /proc/self/fd/3 3>>CLAUDE.md", True),
    ("echo x | dd of=/dev/stdout >> CLAUDE.md", True),
    ("find . -name x -fprint0 .envrc", True),
    ("ln -s .github g; cd -P g; echo x >> workflows/ci.yml", True),
    # ---- class 9: a secret read and printed transformed (held) ----------------------------
    ("bash -v .env", True),
    ("bash -x < .env", True),
    ("gcc -E -x c .env", True),
    ("cpp -P .env", True),
    ("m4 .env", True),
    ("git config -f .env --list", True),
    ("awk -f .env", True),
    ("sed -f .env README.md", True),
    ("python3 - < .env", True),
    ('env -S "$(cat .env)" true', True),
    ("hexdump -v -e '\"%c\"' .env", True),
    ("dos2unix -n .env out", True),
    ("busybox od .env", True),
    ("echo x | join - .env", True),
    ("git stash show -p --include-untracked", False),  # stashing .env is refused (`stash -u`)
    # ---- controls: everyday work stays allowed --------------------------------------------
    ("cat .nvmrc", False),
    ("uv init --lib", False),  # writes `.python-version` with the version uv resolved
    ("cat pkg/a/.python-version", False),
    ("git diff .nvmrc", False),
    ("echo x >> .nvmrc.bak", False),
    ("echo x >> notes/node-version.txt", False),
    ("cd sub && ls", False),
    ("cd .github && dirs", False),
    ("od -c src/app.py", False),
    ("stat .env", False),
]


@pytest.mark.parametrize(("command", "refused"), CASES)
def test_fiftieth_pass(policy: Policy, ws: Path, command: str, refused: bool) -> None:
    verdict, rule = exec_verdict(policy, ws, command)
    assert (verdict is not Verdict.ALLOW) is refused, (command, verdict, rule)
