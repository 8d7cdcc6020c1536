"""Fixtures for the policy suite: the shipped policies and a real workspace with traps."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from enforcement_agent.models import Decision, ToolRequest
from enforcement_agent.policy import Policy, PolicyStore
from gonogo.config import DEFAULT_PLAN_DIR

POLICY_DIR = DEFAULT_PLAN_DIR / "policies"


@pytest.fixture(scope="session")
def store() -> PolicyStore:
    return PolicyStore(POLICY_DIR)


@pytest.fixture(scope="session")
def default_policy(store: PolicyStore) -> Policy:
    return store.for_tenant("default")


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tenant checkout beside a prefix-confusable sibling, with symlinks that escape."""
    root = tmp_path_factory.mktemp("tenants")
    ws = root / "ws"
    evil = root / "ws-evil"
    for d in (
        "src",
        "docs",
        "tests/unit",
        "scripts",
        "dist",
        "build",
        ".git/hooks",
        "node_modules",
    ):
        (ws / d).mkdir(parents=True, exist_ok=True)
    evil.mkdir()
    (evil / "secret.txt").write_text("other tenant\n")
    for f in (
        "README.md",
        "pyproject.toml",
        "src/app.py",
        "src/main.py",
        "docs/index.md",
        "tests/unit/test_app.py",
        "coverage.xml",
        "old.txt",
        "notes.md",
    ):
        (ws / f).write_text("x\n")
    (ws / "scripts/run.sh").write_text("#!/bin/sh\necho hi\n")
    os.symlink("/etc", ws / "link_etc")
    os.symlink(str(evil), ws / "link_evil")
    os.symlink("../../ws-evil/secret.txt", ws / "src/leak.txt")
    os.symlink("/bin/rm", ws / "scripts/rmlink")
    os.symlink(str(ws / ".git/hooks"), ws / "docs/hooks")
    return ws


Decide = Callable[..., Decision]


@pytest.fixture(scope="session")
def decide(default_policy: Policy, workspace: Path) -> Decide:
    def _decide(command: str, role: str = "contributor", policy: Policy | None = None) -> Decision:
        req = ToolRequest(tenant="acme", actor="agent", role=role, tool="exec", command=command)
        return (policy or default_policy).decide(req, workspace)

    return _decide


# Security families for the JUnit evidence (assets/test_results.py): the bypass corpus and its
# property tests are "bypass" cases whatever their names say; the injection suite is
# "prompt_injection".
_FAMILY_BY_MODULE = {
    "test_adversarial": "bypass",
    "test_properties": "bypass",
    "test_cwd": "bypass",
    "test_regressions": "bypass",
    "test_class_03_substitutions": "bypass",
    "test_class_08_paths": "bypass",
    "test_class_09_secret_reads": "bypass",
    "test_class_10_dos": "bypass",
    "test_class_11_protected": "bypass",
    "test_injection": "prompt_injection",
}


@pytest.fixture(autouse=True)
def _security_family(
    request: pytest.FixtureRequest, record_property: Callable[[str, object], None]
) -> None:
    family = _FAMILY_BY_MODULE.get(request.module.__name__.rsplit(".", 1)[-1])
    if family:
        record_property("gonogo_family", family)


@pytest.fixture(scope="session")
def everyday_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git workspace for the everyday shell idioms (tests/policy/everyday_shell.txt)."""
    import io
    import tarfile

    from tests.policy.bash_oracle import build_workspace

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        info = tarfile.TarInfo("src/app.py")
        info.size = 2
        tf.addfile(info, io.BytesIO(b"x\n"))
    files: dict[str, str | bytes] = {
        f: "x\n"
        for f in (
            "src/app.py", "src/app_backup.py", "src/old.py", "notes.md", "README.md",
            "pyproject.toml", "Makefile", "scripts/run.sh", "data.csv", "package.json",
            "docs/index.md", ".env", "build.log", "tests/unit/test_app.py", "build/out.o",
        )
    }  # fmt: skip
    files[".gitignore"] = ".env\nbuild/\n"
    files["dist.tgz"] = buf.getvalue()
    return build_workspace(
        tmp_path_factory.mktemp("everyday"), files, "git init -q && git add -A && git commit -qm i"
    )
