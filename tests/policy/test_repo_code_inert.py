"""The read-only repository allowlist as one lazily compiled pattern answers exactly as the
per-glob patterns it replaced (a hook process no longer compiles 108 patterns at import)."""

from __future__ import annotations

import fnmatch
import re

from hypothesis import given
from hypothesis import strategies as st

from enforcement_agent.policy.repo_code import _INERT, INERT_KEYS

_EACH = [re.compile(fnmatch.translate(p)) for p in INERT_KEYS]
_PARTS = st.sampled_from(
    sorted({w for k in INERT_KEYS for w in k.replace("*", "x").split(".")})
    + ["core", "pager", "fsmonitor", "sshcommand", "hookspath", "textconv", "x", "", "*", "\n"]
)


def _reference(key: str) -> bool:
    return any(p.match(key) for p in _EACH)


@given(st.lists(_PARTS, min_size=1, max_size=4).map(".".join))
def test_one_pattern_answers_as_every_glob(key: str) -> None:
    assert bool(_INERT.match(key)) == _reference(key)


def test_known_keys_either_way() -> None:
    for key in ("core.bare", "remote.origin.url", "user.name", "color.ui", "alias.co"):
        assert _INERT.match(key) and _reference(key)
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
        assert not _INERT.match(key) and not _reference(key), key
