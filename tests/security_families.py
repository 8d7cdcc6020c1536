"""Security families of tests, written into the JUnit XML as ``gonogo_family`` properties.

The security-regression evidence (``assets/security_suite/junit.py``) counts a test in a family
only when the test is declared to be in it; its name means nothing (a redaction test named
"token" is a redaction test). A test declares its families with
``@pytest.mark.security(family="auth")`` (repeat the mark for several); otherwise the tables
below give them by test id, then by module or folder. Loaded with ``-p tests.security_families``
(pyproject's addopts, and the demo's security-suite run).
"""

from __future__ import annotations

import pytest

from assets.security_suite.junit import FAMILIES
from assets.security_suite.junit import FAMILY_PROPERTY as PROPERTY

__all__ = ["FAMILIES", "PROPERTY", "families_of"]

# Folder or module (path prefix of the test id) → families of every test in it.
FAMILY_BY_PATH: dict[str, tuple[str, ...]] = {
    "tests/policy/": ("policy",),
    "tests/policy/test_adversarial.py": ("policy", "bypass"),
    "tests/policy/test_properties.py": ("policy", "bypass"),
    "tests/policy/test_cwd.py": ("policy", "bypass"),
    "tests/policy/test_regressions.py": ("policy", "bypass"),
    "tests/policy/test_injection.py": ("policy", "prompt_injection"),
    "tests/policy/test_roles.py": ("policy", "auth"),
    "tests/redaction/": ("redaction",),
    "tests/sandbox/": ("sandbox",),
    "tests/e2e/": ("e2e",),
}
# Single tests whose family their folder does not say (until their owners mark them).
FAMILY_BY_TEST: dict[str, tuple[str, ...]] = {
    "tests/sandbox/test_hostile_exec.py::test_cannot_read_other_tenant_or_host_secrets": (
        "sandbox", "tenant_isolation"),
    "tests/sandbox/test_connectors.py::test_each_tenant_uses_its_own_credential_and_never_sees_it": (
        "sandbox", "tenant_isolation"),
    "tests/policy/test_injection.py::test_connector_exfiltration_and_cross_tenant": (
        "policy", "prompt_injection", "tenant_isolation"),
    "tests/policy/test_injection.py::test_file_tool_cannot_reach_other_tenants": (
        "policy", "prompt_injection", "tenant_isolation"),
    "tests/policy/test_audit.py::test_tenants_are_separate_chains": ("policy", "tenant_isolation"),
    "tests/integrations/test_claude_hook.py::test_hook_input_cannot_choose_tenant_role_or_actor": (
        "auth", "tenant_isolation"),
    "tests/dashboards/test_app.py::test_tool_calls_are_tenant_scoped_and_redacted": (
        "tenant_isolation", "redaction"),
}  # fmt: skip


def families_of(nodeid: str, marks: list[pytest.Mark]) -> tuple[str, ...]:
    """Explicit marks win; then the test's own entry; then the longest matching path."""
    marked = [m.kwargs.get("family") or (m.args[0] if m.args else None) for m in marks]
    if any(marked):
        return tuple(dict.fromkeys(str(f) for f in marked if f))
    base = nodeid.split("[", 1)[0]
    if base in FAMILY_BY_TEST:
        return FAMILY_BY_TEST[base]
    path = base.split("::", 1)[0]
    best = max((p for p in FAMILY_BY_PATH if path.startswith(p)), key=len, default=None)
    return FAMILY_BY_PATH[best] if best else ()


def _git(*args: str) -> str:
    import subprocess
    from pathlib import Path

    try:
        out = subprocess.run(["git", *args], cwd=Path(__file__).resolve().parent.parent,
                             capture_output=True, text=True, timeout=10, check=False)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def pytest_sessionstart(session: pytest.Session) -> None:
    """Name the checkout the run came from in the JUnit XML (WS1.3: green in CI *on main*)."""
    import os

    from _pytest.junitxml import xml_key

    xml = session.config.stash.get(xml_key, None)
    if xml is None:
        return
    head = _git("rev-parse", "HEAD")
    xml.add_global_property("gonogo_git_commit", head or "unknown")
    xml.add_global_property(
        "gonogo_git_branch", _git("rev-parse", "--abbrev-ref", "HEAD") or "unknown"
    )
    on_main = bool(head) and head == _git("rev-parse", "--verify", "--quiet", "refs/heads/main")
    xml.add_global_property("gonogo_on_main", "true" if on_main else "false")
    xml.add_global_property("gonogo_ci", "true" if os.environ.get("CI") == "true" else "false")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "security(family): the security family a test belongs to (JUnit evidence)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fams = families_of(item.nodeid, list(item.iter_markers("security")))
        unknown = [f for f in fams if f not in FAMILIES]
        if unknown:
            raise pytest.UsageError(f"{item.nodeid}: unknown security family {unknown}")
        recorded = {v for k, v in item.user_properties if k == PROPERTY}
        item.user_properties.extend((PROPERTY, f) for f in fams if f not in recorded)
