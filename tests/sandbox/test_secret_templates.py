"""A repository that commits `.env.example` keeps git in the sandbox (seventh pass, 2026-12-03).

With `**/.env.*` on ``files.secrets`` and no exemption, a committed `.env.example` made the
sandbox hide the whole `.git` (its store "holds a secret") and mask the template: `git log`
failed with "not a git repository". The control runs with the shipped policy minus its
``files.not_secrets`` (the sandbox as the sixth pass left it). A committed real secret
(`.env.production`, `.env.example.local`, …) still hides the store.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from gonogo.config import DEFAULT_PLAN_DIR
from tests.policy_cache_seed import build_seed, warm_policy_cache
from tests.sandbox.conftest import agent_exec

pytestmark = pytest.mark.sandbox

GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@x",
           "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@x"}  # fmt: skip
READ = "print(repr(open('{name}').read()))\n"


def _repo(root: Path, committed: str) -> Path:
    ws = root / "ws"
    target = ws / committed
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("API_KEY=placeholder-7f3a\n")
    (ws / "app.py").write_text("print(1)\n")
    (ws / "rd.py").write_text(READ.format(name=committed))
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "init"]):
        subprocess.run(["git", *args], cwd=ws, env=GIT_ENV, check=True, capture_output=True)
    return ws


@pytest.fixture(scope="module")
def control_policy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped policies without ``files.not_secrets``: the sandbox before this pass."""
    import shutil

    out = tmp_path_factory.mktemp("control") / "policies"
    shutil.copytree(DEFAULT_PLAN_DIR / "policies", out)
    text = (out / "default.yaml").read_text()
    start = text.index("  not_secrets:")
    end = text.index("  rules:", start)
    (out / "default.yaml").write_text(text[:start] + text[end:])
    return out


@pytest.fixture(scope="module")
def policy_seed(tmp_path_factory: pytest.TempPathFactory, control_policy: Path) -> Path:
    """acme's shipped and control policies compiled once per module: the subject here is what
    the sandbox shows, and each case's fresh home would compile them again (seconds each)."""
    home = tmp_path_factory.mktemp("policy-seed") / "home"
    return build_seed(home, (None, control_policy), isolated=False)


def _run(ws: Path, home: Path, policy: Path | None = None) -> tuple[str, str]:
    p = agent_exec(ws, home, "git log --oneline; git status --short; python3 rd.py",
                   tenant="acme", policy_dir=policy)  # fmt: skip
    assert isinstance(p, subprocess.CompletedProcess)
    return p.stdout.decode(), p.stderr.decode()


TEMPLATES = [".env.example", ".env.sample", ".env.template", ".env.dist",
             "app/.env.example", "deploy/.env.tmpl"]  # fmt: skip


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_committed_template_keeps_git_usable(
    tmp_path: Path, bwrap: str, control_policy: Path, policy_seed: Path, name: str
) -> None:
    ws = _repo(tmp_path, name)
    warm_policy_cache(policy_seed, tmp_path / "home")
    out, err = _run(ws, tmp_path / "home")
    assert " init" in out and "placeholder-7f3a" in out, (out, err)
    assert "hidden" not in err, err
    # Control: without the exemption the store is hidden and the template masked.
    out, err = _run(ws, tmp_path / "home", control_policy)
    assert "not a git repository" in out and "placeholder-7f3a" not in out, (out, err)
    assert "hidden from the command" in err and name.rsplit("/", 1)[-1] in err, err


SECRETS = [".env.production", ".env.local", ".env.example.local", ".env.example~",
           "app/.env", ".env.defaults"]  # fmt: skip


@pytest.mark.parametrize("name", SECRETS)
def test_a_committed_real_secret_still_hides_the_store(
    tmp_path: Path, bwrap: str, policy_seed: Path, name: str
) -> None:
    ws = _repo(tmp_path, name)
    warm_policy_cache(policy_seed, tmp_path / "home")
    out, err = _run(ws, tmp_path / "home")
    assert "not a git repository" in out and "placeholder-7f3a" not in out, (out, err)
    assert "hidden from the command" in err, err
