"""A red-team review of the searcher specs (`policy/searchers.py`, issue 10): each bypass
shown by effect with the installed GNU grep 3.8 and ripgrep 13 in a workspace with a `.env`
canary and `.aws/credentials` (no link to a secret, which alone denies every tree search).

Found and closed:

* grep's --include/--exclude were one predicate "not excluded and included", but grep lets
  the last matching one win and reads a name none matches unless the first is --include:
  `grep -r --exclude=.env --exclude-dir=.aws --include=.env KEY .` and
  `grep -r --exclude=x --include=*.py KEY .` printed .env, allowed for contributor and viewer.
* rg skips hidden files only when no rule whitelists them (the ignore crate checks hidden
  only for entries no rule matched): `rg -g .env KEY`, `rg -g '*' KEY`, `rg --iglob .ENV KEY`,
  `rg --ignore-file F KEY` (F holding `!.env`), and a plain `rg KEY` in a workspace whose
  `.ignore`, `.rgignore`, `.gitignore` (in a git repository) or `.git/info/exclude` holds
  `!.env` printed .env, allowed for both roles.
* grep matches --exclude against a file's own name in its walk and --exclude-dir against
  directories below where it starts; the filters were matched against the whole path from
  the workspace: `grep -r --exclude=.aws/credentials --exclude=.env KEY .`, `grep -r
  --exclude-dir=.aws --exclude=.env KEY .aws/` (both roles) and `cd .aws && grep -r
  --exclude-dir=.aws KEY .` (viewer) printed the credentials, allowed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from enforcement_agent.models import Verdict
from enforcement_agent.policy import Policy
from enforcement_agent.policy.searchers import search_of
from tests.policy.verdicts import exec_verdict

CANARY = "c4n4ry0000secret"


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


def _ws(root: Path, extra: dict[str, str]) -> Path:
    files = {
        ".env": f"TOKEN={CANARY}\n",
        ".aws/credentials": f"aws_secret_access_key={CANARY}\n",
        "src/a.py": "match\n",
        **extra,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


CASES = (
    # (command, extra files, whether the program prints the canary)
    ("grep -r --exclude=.env --exclude-dir=.aws --include=.env c4n4ry .", {}, True),
    ("grep -r --exclude=zz --exclude-dir=.aws --include=*.py c4n4ry .", {}, True),
    ("grep -r --exclude=zz --include=*.py c4n4ry .", {}, True),
    ("grep -r --exclude=.env --exclude-dir=.aws --incl .env c4n4ry .", {}, True),
    ("grep -r --exclude=.aws/credentials --exclude=.env c4n4ry .", {}, True),
    ("grep -r --exclude-dir=.aws --exclude=.env c4n4ry .aws/", {}, True),
    ("grep -r --exclude-dir=sub c4n4ry x/sub/", {"x/sub/.env": f"K={CANARY}\n"}, True),
    ("rg -g .env c4n4ry", {}, True),
    ("rg -g * c4n4ry", {}, True),
    ("rg --iglob .ENV c4n4ry", {}, True),
    ("rg --ignore-file ig c4n4ry", {"ig": "!.env\n"}, True),
    ("rg c4n4ry", {".ignore": "!.env\n"}, True),
    ("rg c4n4ry", {".rgignore": "!.*\n"}, True),
    ("rg -n c4n4ry src", {"src/.ignore": "!.env\n", "src/.env": f"K={CANARY}\n"}, True),
    ("rg c4n4ry", {".git/HEAD": "ref: refs/heads/main\n", ".gitignore": "!.env\n"}, True),
    ("rg c4n4ry", {".git/info/exclude": "!.env\n"}, True),
    # controls: what reads no secret stays allowed
    ("grep -r --exclude=credentials --exclude=.env c4n4ry .", {}, False),
    ("grep -r --exclude-dir=sub c4n4ry x", {"x/sub/.env": f"K={CANARY}\n"}, False),
    ("grep -r --include=*.py --exclude=.env --exclude-dir=.aws c4n4ry .", {}, False),
    ("grep -r --exclude=.env --exclude-dir=.aws --include=*.py c4n4ry .", {}, False),
    ("grep -r --include=*.py c4n4ry .", {}, False),
    ("rg c4n4ry", {}, False),
    ("rg -g !*.py c4n4ry", {}, False),
    ("rg c4n4ry", {".ignore": "*.log\n"}, False),
    # (lead) a whitelisting glob reads only what it matches; a `!` rule for another name
    # unhides nothing: the everyday shapes stay allowed
    ("rg -g *.py c4n4ry", {}, False),
    ("rg --iglob *.PY -n c4n4ry", {}, False),
    ("rg -g src/** c4n4ry", {}, False),
    ("rg -g *.env c4n4ry", {}, True),
    ("rg -g .aws -g .aws/* c4n4ry", {}, True),
    ("rg c4n4ry", {".ignore": "!.env.example\n!.gitkeep\n", ".env.example": "K=x\n"}, False),
    (
        "rg c4n4ry",
        {".git/HEAD": "ref: refs/heads/main\n", ".gitignore": ".env*\n!.env.example\n"},
        False,
    ),
    ("rg c4n4ry", {".ignore": "!/.env\n"}, True),
    ("rg c4n4ry", {".ignore": "!.aws/\n"}, True),
)


@pytest.mark.parametrize(("command", "extra", "prints"), CASES)
def test_review_bypasses_by_effect(
    policy: Policy,
    tmp_path_factory: pytest.TempPathFactory,
    command: str,
    extra: dict[str, str],
    prints: bool,
) -> None:
    ws = _ws(tmp_path_factory.mktemp("review") / "ws", extra)
    argv = command.split()
    assert shutil.which(argv[0]), argv[0]
    run = subprocess.run(argv, cwd=ws, capture_output=True, stdin=subprocess.DEVNULL, timeout=20)
    assert (CANARY in run.stdout.decode(errors="replace")) is prints, (command, run.stderr)
    for role in ("contributor", "viewer"):
        verdict = exec_verdict(policy, ws, command, role)[0]
        if prints:
            assert verdict is Verdict.DENY, (command, role)
        else:
            assert verdict is Verdict.ALLOW, (command, role)


def test_rg_rules_that_whitelist_read_hidden_files() -> None:
    for words, hidden in (
        ("-g .env x", True),
        ("--glob=* x", True),
        ("--iglob .E x", True),
        # -t's types whitelist their own globs: hidden files of the type are read (`-t sh`
        # reads .bashrc, `-t yaml` a hidden .secrets.yaml): the type's globs are the tree
        # read's name filters, hidden files included (twenty-ninth pass)
        ("-t sh x", True),
        ("--ignore-file ig x", True),
        ("-g !*.py x", False),
        ("-g !.git -g !target x", False),
        ("x", False),
    ):
        search = search_of("rg", tuple(words.split()))
        assert not isinstance(search, str), search
        assert search.hidden is hidden, words


def test_grep_in_a_directory_it_excludes_by_effect(
    policy: Policy, tmp_path_factory: pytest.TempPathFactory
) -> None:
    ws = _ws(tmp_path_factory.mktemp("cd") / "ws", {})
    run = subprocess.run(
        ["grep", "-r", "--exclude-dir=.aws", "c4n4ry", "."],
        cwd=ws / ".aws",
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=20,
    )
    assert CANARY in run.stdout.decode(errors="replace")
    command = "cd .aws && grep -r --exclude-dir=.aws c4n4ry ."
    for role in ("contributor", "viewer"):
        assert exec_verdict(policy, ws, command, role)[0] is Verdict.DENY, role


def test_an_ignore_file_that_is_a_fifo_does_not_block(
    policy: Policy, tmp_path_factory: pytest.TempPathFactory
) -> None:
    ws = _ws(tmp_path_factory.mktemp("fifo") / "ws", {})
    os.mkfifo(ws / ".ignore")
    assert exec_verdict(policy, ws, "rg c4n4ry")[0] is Verdict.ALLOW
