"""A policy that fails to load is refused with file, line and reason."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from enforcement_agent.policy import PolicyLoadError, PolicyStore, load_policy
from tests.policy.conftest import POLICY_DIR, shipped_policy_copy

MINIMAL = """\
version: 1
name: t
roles:
  viewer: [fs.read, exec.inspect]
  contributor: [fs.write, exec.dev]
exec:
  rules:
    - id: exec.allow.ls
      effect: allow
      permission: exec.inspect
      programs: [ls]
      match: ["ls -la"]
"""


def _write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return p


def _error(tmp_path: Path, text: str, name: str = "p.yaml") -> PolicyLoadError:
    with pytest.raises(PolicyLoadError) as info:
        load_policy(_write(tmp_path, text, name))
    return info.value


def test_minimal_loads(tmp_path: Path) -> None:
    pol = load_policy(_write(tmp_path, MINIMAL))
    assert pol.rule_count >= 1 and len(pol.revision) == 64


@pytest.mark.parametrize(
    ("broken", "line", "reason"),
    [
        (MINIMAL.replace("effect: allow", "effect: maybe"), 9, "allow, deny or ask"),
        (MINIMAL.replace("      permission: exec.inspect\n", ""), 8, "must name the permission"),
        (
            MINIMAL.replace("permission: exec.inspect", "permission: exec.root"),
            10,
            "not granted to any role",
        ),
        (MINIMAL.replace('match: ["ls -la"]', 'match: ["cat x"]'), 12, "should match"),
        (MINIMAL.replace('match: ["ls -la"]', 'not_match: ["ls"]'), 12, "should not match"),
        (MINIMAL.replace("name: t", "name: t\nbogus: 1"), 3, "unknown top-level key"),
        (
            MINIMAL.replace("programs: [ls]", "programs: [ls]\n      colour: red"),
            12,
            "unknown rule key",
        ),
        (MINIMAL.replace("id: exec.allow.ls", "id: Exec Allow"), 8, "must be lowercase"),
        (
            MINIMAL + "    - id: exec.allow.ls\n      effect: deny\n      programs: [x]\n",
            13,
            "duplicate rule id",
        ),
        (MINIMAL.replace("  viewer:", "  root: [x]\n  viewer:"), 4, "unknown role"),
        (MINIMAL + "limits:\n  exec:\n    cpu_seconds: -1\n", 15, "non-negative"),
        (MINIMAL + "limits:\n  exec:\n    gpu: 1\n", 15, "unknown limit"),
        (
            MINIMAL
            + "break_glass:\n  - id: break-glass.x\n    overrides: [exec.allow.ls]\n    roles: [admin]\n    expires: soon\n    approver: a\n    ticket: T\n    reason: r\n",
            17,
            "expires must be a date",
        ),
        (
            MINIMAL
            + "    - id: exec.bad\n      effect: allow\n      destructive: true\n      permission: exec.dev\n      programs: [x]\n",
            15,
            "cannot allow",
        ),
        ("version: 1\nroles: [a\n", 3, "invalid YAML"),
        ("- just\n- a list\n", 1, "mapping at the top level"),
        (MINIMAL.replace("version: 1", "version: 2"), 1, "version 1"),
    ],
)
def test_load_errors_name_file_line_reason(
    tmp_path: Path, broken: str, line: int, reason: str
) -> None:
    err = _error(tmp_path, broken)
    assert err.file.endswith("p.yaml")
    assert err.line == line, (err.line, str(err))
    assert reason in err.reason
    assert str(err).startswith(f"{err.file}:{line}: ")


def test_overlay_may_not_redefine_parser_tables(tmp_path: Path) -> None:
    shipped_policy_copy(tmp_path)
    err = _error(tmp_path, "version: 1\nextends: default\nexec:\n  wrappers: {}\n", "t1.yaml")
    assert err.line == 4 and "exec.default and exec.rules" in err.reason


def test_overlay_extends_missing_template(tmp_path: Path) -> None:
    err = _error(tmp_path, "version: 1\nextends: nothere\n", "t2.yaml")
    assert err.file.endswith("nothere.yaml") and "cannot read" in err.reason


def test_overlay_error_names_overlay_line(tmp_path: Path) -> None:
    shipped_policy_copy(tmp_path)
    text = "version: 1\nextends: default\nconnectors:\n  rules:\n    - id: connector.t.x\n      effect: deny\n      operations: ['github:*']\n      match: ['jira:issue.get X']\n"
    err = _error(tmp_path, text, "t3.yaml")
    assert err.file.endswith("t3.yaml") and err.line == 8


def test_store_refuses_broken_tenant_file(tmp_path: Path) -> None:
    shipped_policy_copy(tmp_path)
    (tmp_path / "bad.yaml").write_text(
        "version: 1\nextends: default\nexec:\n  default: sometimes\n"
    )
    store = PolicyStore(tmp_path)
    with pytest.raises(PolicyLoadError) as info:
        store.for_tenant("bad")
    assert info.value.line == 4
    assert store.for_tenant("fine").name == "default"


def test_shipped_policies_load_with_300_plus_rules() -> None:
    store = PolicyStore(POLICY_DIR)
    for tenant in ("default", "acme", "globex", "initech"):
        pol = store.for_tenant(tenant)
        assert pol.rule_count >= 300, (tenant, pol.rule_count)
    revisions = {store.for_tenant(t).revision for t in ("default", "acme", "globex", "initech")}
    assert len(revisions) == 4


def test_revision_changes_with_content(tmp_path: Path) -> None:
    a = load_policy(_write(tmp_path, MINIMAL, "a.yaml"))
    b = load_policy(_write(tmp_path, MINIMAL.replace("[ls]", "[ls, dir]"), "b.yaml"))
    c = load_policy(_write(tmp_path, MINIMAL, "c.yaml"))
    assert a.revision != b.revision and a.revision == c.revision
