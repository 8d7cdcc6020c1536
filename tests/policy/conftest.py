"""Fixtures for the policy suite: the shipped policies and a real workspace with traps."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from enforcement_agent.models import Decision, ToolRequest
from enforcement_agent.policy import Policy, load_policy
from enforcement_agent.redaction import Redactor
from gonogo.config import DEFAULT_PLAN_DIR

POLICY_DIR = DEFAULT_PLAN_DIR / "policies"
_REDACTOR = Redactor(key=b"test-ids" * 4)


def shipped_policy_copy(d: Path) -> Path:
    """``d`` holding a copy of the shipped ``default.yaml`` and its argument specs, so a test can
    write a tenant overlay (or break a spec) beside them; returns ``d``."""
    shutil.copy(POLICY_DIR / "default.yaml", d / "default.yaml")
    shutil.copytree(POLICY_DIR / "programs", d / "programs")
    return d


def overlay_policy(d: Path, name: str, text: str) -> Policy:
    """The policy of a tenant overlay ``text`` (``extends: default``) written as ``d/name.yaml``
    beside a copy of the shipped default."""
    (shipped_policy_copy(d) / f"{name}.yaml").write_text(text)
    return load_policy(d / f"{name}.yaml")


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


# The demo's security suite (gonogo/security_suite.py) runs `-m demo_suite`: these modules and
# tests, a representative part of every bypass class and security family that takes seconds
# rather than minutes (no bubblewrap effect runs, no 64 KB or hypothesis-heavy cases). CI and
# `make test` run all of tests/policy.
DEMO_SUITE_MODULES = frozenset(
    {
        "test_adversarial", "test_injection", "test_roles", "test_cwd", "test_regressions",
        "test_everyday", "test_connectors_files", "test_class_02_viewer", "test_class_06_env",
        "test_class_07_git_config",
    }
)  # fmt: skip
DEMO_SUITE_TESTS = frozenset(
    {
        "test_class_03_substitutions::test_the_policy_denies_it",
        "test_class_03_substitutions::test_decided_substitutions_stay_allowed",
        "test_class_04_options::test_issue_example_is_read_as_env_does",
        "test_class_04_options::test_spellings_of_denied_options_are_denied",
        "test_class_04_options::test_ordinary_spellings_are_allowed",
        "test_class_05_code_modes::test_issue_example_is_denied",
        "test_class_05_code_modes::test_code_modes_are_not_allowed",
        "test_class_05_code_modes::test_everyday_modes_stay_allowed",
        "test_class_08_paths::test_link_tricks_are_denied",
        "test_class_08_paths::test_computed_and_followed_paths_are_denied",
        "test_class_08_paths::test_names_that_are_not_plain_are_not_allowed",
        "test_class_08_paths::test_devices_are_streams_never_files_to_change",
        "test_class_09_secret_reads::test_the_policy_denies_it",
        "test_class_09_secret_reads::test_commands_that_do_not_read_secrets_stay_allowed",
        "test_class_10_dos::test_the_issue_example_is_decided_at_once",
        "test_class_10_dos::test_cd_chains_of_any_length_hit_the_directory_cap",
        "test_class_10_dos::test_nesting_past_the_cap_is_too_complex",
        "test_class_10_dos::test_past_the_byte_cap_the_request_is_refused",
        "test_class_10_dos::test_word_cap",
        "test_class_10_dos::test_wrapper_depth_is_capped",
        "test_class_11_protected::test_the_policy_denies_it",
        "test_class_11_protected::test_everyday_writes_stay_allowed",
        "test_class_12_break_glass::test_issue_example_is_denied",
        "test_class_12_break_glass::test_commands_outside_the_shape_stay_denied",
        "test_class_12_break_glass::test_commands_inside_the_shape_are_allowed_and_say_why",
        "test_class_13_audit::test_state_dir_inside_the_workspace_is_refused",
        "test_class_13_audit::test_the_writer_refuses_to_append_on_a_tampered_log",
        "test_class_13_audit::test_seal_refuses_anything_a_crash_cannot_leave",
        "test_audit::test_records_are_complete_and_chained",
        "test_audit::test_tampered_record_detected",
        "test_audit::test_tenants_are_separate_chains",
        "test_audit::test_redaction_failure_fails_closed",
    }
)


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """A case whose text the redactor would mask (`GIT_ASKPASS=/tmp/x git fetch` reads as a
    credential) gets a neutral id: test ids land in the JUnit evidence, which the leak scan
    reads, and a look-alike there is a finding."""
    if isinstance(val, str) and _REDACTOR.redact_text(val) != val:
        return f"{argname}-{hashlib.sha256(val.encode()).hexdigest()[:10]}"
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.path.stem
        if module in DEMO_SUITE_MODULES or (
            f"{module}::{item.name.split('[', 1)[0]}" in DEMO_SUITE_TESTS
        ):
            item.add_marker(pytest.mark.demo_suite)


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


# Fifth pass (exec): a workspace with protected files of many types, for formatters that walk
# directories, runners that hand names to scripts and programs that read names from a file.
FMT_FILES = {
    "CLAUDE.md": "# Rules\n*  be nice\n",
    ".github/workflows/ci.yml": "on: push\njobs: {}\n",
    ".github/scripts/x.py": "import sys\nimport os\nx = [1,\n  2]\n",
    ".github/x.go": "package x\n",
    ".github/x.rs": "fn main(){}\n",
    ".github/x.rb": "x=1\n",
    ".github/x.sql": "select 1\n",
    ".github/x.zig": "const x = 1;\n",
    ".husky/pre-commit": "#!/bin/sh\nexit 0\n",
    ".vscode/x.css": "a{}\n",
    ".pre-commit-config.yaml": "repos: []\n",
    "src/app.py": "x = [1,\n  2]\n",
    "src/app.ts": "let x=1\n",
    "src/main.rs": "fn main(){}\n",
    "docs/index.md": "# x\n",
    "package.json": '{"scripts": {"fmt": "prettier --write"}}\n',
    ".env": "TOKEN=1\n",
    "names.txt": ".env\n",
    "names0.txt": ".env\0",
    "ok-names.txt": "src/app.py\n",
    "SUMS": "0" * 64 + "  .env\n",
    "secrets/service-account.json": '{"private_key": "S3CR3T"}\n',
    "x.yaml": "a: 1\n",
    "src/a.c": "int main(void) { return 0; }\n",
    "args.txt": "-o\nCLAUDE.md\nsrc/main.rs\n",
}


@pytest.fixture(scope="module")
def fmt_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("fmt") / "ws"
    for rel, text in FMT_FILES.items():
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        (ws / rel).write_text(text)
    (ws / "ok-sums.txt").write_text(
        subprocess.run(["sha256sum", "src/app.py"], cwd=ws, capture_output=True, text=True).stdout
        if shutil.which("sha256sum")
        else "0" * 64 + "  src/app.py\n"
    )
    return ws


@pytest.fixture(scope="module")
def decide_fmt(default_policy: Policy, fmt_ws: Path) -> Decide:
    def _decide(command: str, role: str = "contributor", policy: Policy | None = None) -> Decision:
        req = ToolRequest(tenant="acme", actor="a", role=role, tool="exec", command=command)
        return (policy or default_policy).decide(req, fmt_ws)

    return _decide
