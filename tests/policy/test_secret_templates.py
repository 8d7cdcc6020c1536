"""Committed templates of a secret file are not secrets (seventh pass, 2026-12-03).

``files.secrets`` holds ``**/.env.*``, so `.env.example`, `.env.sample`, `.env.template`,
`.env.dist` … were secrets: reads denied, and a repository that commits one had its whole git
store hidden in the sandbox (tests/sandbox/test_secret_templates.py). ``files.not_secrets``
names the templates (exact file names at any depth, checked with match/not_match examples at
load); every variant of them and every real secret stays secret.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy, PolicyLoadError, load_policy

TEMPLATES = [".env.example", ".env.sample", ".env.template", ".env.dist", ".env.tmpl",
             ".env.tpl", ".env.schema", ".env-example", ".env_sample", ".dev.vars.example",
             "app/.env.example", "deploy/docker/.env.sample", ".ENV.Example",
             "services/api/.env.dist", ".envrc.example", ".npmrc.example"]  # fmt: skip
SECRETS = [".env", ".env.local", ".env.production", ".env.development.local",
           ".env.example.local", ".env.example~", ".env.example.bak", ".env.sample.prod",
           ".env.defaults", ".env.examples", "app/.env", "app/.env.prod", ".envrc",
           ".dev.vars", ".npmrc", "example.env", "prod.env",
           # a template's name inside a secret directory is that directory's secret
           ".aws/.env.example", ".ssh/.env.sample", ".config/gcloud/.env.dist"]  # fmt: skip


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tpl") / "ws"
    for rel in TEMPLATES + SECRETS:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("KEY=value\n")
    return root


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


def _decide(policy: Policy, ws: Path, **fields: str) -> Verdict:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", **fields)  # type: ignore[arg-type]
    return policy.decide(req, ws).decision


@pytest.mark.parametrize("rel", TEMPLATES)
@pytest.mark.parametrize("form", ["cat {}", "head -5 {}", "grep KEY {}", "diff {} {}",
                                  "wc -l {}", "rev {}"])  # fmt: skip
def test_a_template_is_readable_by_commands(policy: Policy, ws: Path, rel: str, form: str) -> None:
    got = _decide(policy, ws, tool="exec", command=form.format(rel, rel))
    assert got is Verdict.ALLOW


@pytest.mark.parametrize("rel", TEMPLATES)
def test_a_template_is_readable_by_the_file_tools(policy: Policy, ws: Path, rel: str) -> None:
    assert _decide(policy, ws, tool="read", path=rel) is Verdict.ALLOW
    # `.envrc.*` is also on files.protected (direnv's loaders): reading is fine, writing not.
    want = Verdict.DENY if rel.startswith(".envrc") else Verdict.ALLOW
    assert _decide(policy, ws, tool="write", path=rel) is want


@pytest.mark.parametrize("rel", SECRETS)
@pytest.mark.parametrize("form", ["cat {}", "cp {} x.txt", "rev {}", "grep KEY {}"])
def test_every_real_secret_stays_secret(policy: Policy, ws: Path, rel: str, form: str) -> None:
    decision = _decide(policy, ws, tool="exec", command=form.format(rel))
    assert decision is Verdict.DENY
    assert _decide(policy, ws, tool="read", path=rel) is Verdict.DENY


def test_a_tree_read_still_finds_the_real_secret(policy: Policy, ws: Path) -> None:
    # `grep -r` over the tree reads `.env` too; over templates only, it is allowed.
    assert _decide(policy, ws, tool="exec", command="grep -r KEY .") is Verdict.DENY
    assert _decide(policy, ws, tool="exec", command="grep -r KEY app/.env.example") is (
        Verdict.ALLOW
    )


def test_a_template_that_is_another_name_of_a_secret_is_a_secret(
    policy: Policy, tmp_path: Path
) -> None:
    """The exemption is by name; a link (symbolic or hard) to a real secret is that secret."""
    (tmp_path / ".env").write_text("TOKEN=x\n")
    os.symlink(".env", tmp_path / ".env.example")
    os.link(tmp_path / ".env", tmp_path / ".env.sample")
    for name in (".env.example", ".env.sample"):
        assert _decide(policy, tmp_path, tool="exec", command=f"cat {name}") is Verdict.DENY
    assert _decide(policy, tmp_path, tool="read", path=".env.example") is Verdict.DENY


# ---- policy as data: checked at load --------------------------------------------------------
BASE = """\
version: 1
name: t
roles:
  viewer: [fs.read, exec.inspect]
  contributor: [fs.write, exec.dev]
files:
  secrets: ["**/.env", "**/.env.*"]
  not_secrets:
{body}
"""


def _load(tmp_path: Path, body: str) -> Policy:
    p = tmp_path / "p.yaml"
    p.write_text(BASE.format(body=textwrap.indent(textwrap.dedent(body), "    ")))
    return load_policy(p)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('names: ["**/.env.example"]', "exact file names"),
        ('names: [".env.*"]', "exact file names"),
        ('names: ["app/.env.example"]', "exact file names"),
        ('names: [".env.{example,local}"]', "exact file names"),
        ('names: [".env.example"]\nmatch: [".env.sample"]', "should be exempt"),
        ('names: [".env.example"]\nnot_match: [".env.example"]', "should stay a secret"),
        ('names: [".env.example"]\nmatch: ["README.md"]', "not on files.secrets"),
        ('names: [".env.example"]\npatterns: [".env.x"]', "unknown not_secrets key"),
    ],
)
def test_bad_exemptions_are_refused_at_load(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(PolicyLoadError, match=message):
        _load(tmp_path, body)


def test_a_good_exemption_loads_and_applies(tmp_path: Path) -> None:
    policy = _load(tmp_path, 'names: [".env.example"]\nmatch: [".env.example"]\n'
                   'not_match: [".env.local"]')  # fmt: skip
    secrets = policy.compiled.exec.secret_set
    assert secrets is not None
    assert not secrets.match("a/b/.env.example") and secrets.match("a/.env.example.local")


def test_the_shipped_policy_keeps_the_list_exact(policy: Policy) -> None:
    names = policy.compiled.exec.secret_set
    assert names is not None and ".env.example" in names.except_names
    assert not any(n in names.except_names for n in (".env", ".env.local", ".env.production"))
