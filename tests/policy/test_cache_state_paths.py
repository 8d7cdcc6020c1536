"""gonogo's own verified caches are protected state, and their MAC secret is a secret file.

Whoever can read a cache's `.mac-key` can forge an entry the redactor or the command hook
accepts, and whoever can write the cache directory can plant one. With a home directory as
the workspace, `~/.cache/gonogo` (the redactor's databases) and `~/.gonogo/cache/policy`
(the compiled policy) are inside it: both are denied to the agent, by every tool.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from enforcement_agent.models import ToolRequest, Verdict
from enforcement_agent.policy import Policy


@pytest.fixture(scope="module")
def policy(default_policy: Policy) -> Policy:
    return default_policy  # the shipped policy, compiled once per session (conftest.py)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home directory used as the workspace, holding both caches as gonogo writes them."""
    root = tmp_path_factory.mktemp("home")
    redactor = root / ".cache" / "gonogo"
    redactor.mkdir(parents=True)
    (redactor / ".mac-key").write_bytes(b"k" * 32)
    (redactor / "hyperscan-0123.db").write_bytes(b"db")
    (redactor / "redaction-plan-0123.json").write_text("[]")
    (root / ".cache" / "pip").mkdir()
    hook = root / ".gonogo" / "cache" / "policy"
    hook.mkdir(parents=True)
    (hook / ".mac-key").write_bytes(b"k" * 32)
    (root / "src").mkdir()
    (root / "src" / "app.py").write_text("print(1)\n")
    return root


def _exec(policy: Policy, ws: Path, command: str) -> Verdict:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool="exec", command=command)
    return policy.decide(req, ws).decision


READS_OF_THE_SECRET = [
    "cat .cache/gonogo/.mac-key",
    "xxd .cache/gonogo/.mac-key",
    "base64 .cache/gonogo/.mac-key",
    "rev .cache/gonogo/.mac-key",
    "cp .cache/gonogo/.mac-key src/k",
    "cat .gonogo/cache/policy/.mac-key",
    "od -An -tx1 .gonogo/cache/policy/.mac-key",
    "tar czf c.tgz .cache",
    "grep -r . .cache/gonogo",
]

WRITES_OF_THE_CACHE = [
    "rm .cache/gonogo/.mac-key",
    "echo x > .cache/gonogo/hyperscan-0123.db",
    "cp src/app.py .cache/gonogo/redaction-plan-0123.json",
    "rm -rf .cache",
    "rm -rf .cache/gonogo",
    "mv .cache/gonogo old-cache",
    "cp -r .cache/gonogo src/copy",
    "touch .cache/gonogo/hyperscan-ffff.db",
    "rm -rf .gonogo",
]


@pytest.mark.parametrize("command", READS_OF_THE_SECRET)
def test_the_cache_secret_is_not_read(policy: Policy, home: Path, command: str) -> None:
    assert _exec(policy, home, command) is Verdict.DENY


@pytest.mark.parametrize("command", WRITES_OF_THE_CACHE)
def test_the_redactor_cache_is_not_written(policy: Policy, home: Path, command: str) -> None:
    assert _exec(policy, home, command) is Verdict.DENY


@pytest.mark.parametrize(
    ("tool", "path"),
    [
        ("read", ".cache/gonogo/.mac-key"),
        ("read", ".gonogo/cache/policy/.mac-key"),
        ("write", ".cache/gonogo/hyperscan-0123.db"),
        ("write", ".cache/gonogo/.mac-key"),
        ("write", ".cache/gonogo/redaction-shapes-1.json"),
    ],
)
def test_the_file_tools_refuse_the_caches(policy: Policy, home: Path, tool: str, path: str) -> None:
    req = ToolRequest(tenant="acme", actor="a", role="contributor", tool=tool, path=path)
    assert policy.decide(req, home).decision is Verdict.DENY


@pytest.mark.parametrize(
    "command", ["ls .cache", "rm -rf .cache/pip", "du -sh .cache/pip", "cat src/app.py"]
)
def test_other_caches_stay_usable(policy: Policy, home: Path, command: str) -> None:
    assert _exec(policy, home, command) is Verdict.ALLOW
