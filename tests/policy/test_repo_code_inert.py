"""The read-only repository allowlist as one lazily compiled pattern answers exactly as the
per-glob patterns it replaced (a hook process no longer compiles 108 patterns at import)."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from enforcement_agent.policy.repo_code import INERT_KEYS, _inert, repo_runs_code

_EACH = [re.compile(fnmatch.translate(p)) for p in INERT_KEYS]
_PARTS = st.sampled_from(
    sorted({w for k in INERT_KEYS for w in k.replace("*", "x").split(".")})
    + ["core", "pager", "fsmonitor", "sshcommand", "hookspath", "textconv", "x", "", "*", "\n"]
)


def _reference(key: str) -> bool:
    return any(p.match(key) for p in _EACH)


@given(st.lists(_PARTS, min_size=1, max_size=4).map(".".join))
def test_one_pattern_answers_as_every_glob(key: str) -> None:
    assert bool(_inert().match(key)) == _reference(key)


def test_known_keys_either_way() -> None:
    for key in ("core.bare", "remote.origin.url", "user.name", "color.ui", "alias.co"):
        assert _inert().match(key) and _reference(key)
    for key in (
        "core.pager",
        "core.fsmonitor",
        "diff.external",
        "core.sshcommand",
        "core.hookspath",
        "diff.x.textconv",
        "core.bare\n",
        "core.barex",
        "gpg.program",
    ):
        assert not _inert().match(key) and not _reference(key), key


def test_the_reason_names_the_key_never_its_value(tmp_path: Path) -> None:
    """The refusal's reason reaches the agent and the records: a value there may be a credential
    no redactor knows the shape of (the reason used to quote the value's first 40 characters)."""
    opaque = "q9Zt2opaqueHeaderValue7xK"
    git = tmp_path / ".git"
    git.mkdir()
    for key, value in (
        ("[http]\n\textraheader", f"X-Api: {opaque}"),
        ("[core]\n\tsshCommand", f"ssh -o ProxyCommand={opaque}"),
        ('[credential "https://h"]\n\thelper', f"!echo password={opaque}"),
    ):
        (git / "config").write_text(f"{key} = {value}\n")
        why = repo_runs_code(str(git))
        assert why is not None and "configuration sets" in why, why
        assert opaque not in why and opaque[:8] not in why, why
