"""The engine's scan plan: which database each expression goes to, and what that must not change."""

from __future__ import annotations

import pytest

from enforcement_agent.redaction import ERROR_MARKER
from enforcement_agent.redaction import engine as engine_module
from enforcement_agent.redaction.detectors import ALL, PROVIDERS
from enforcement_agent.redaction.engine import Engine, literal_anchored
from tests.redaction.helpers import github_token, rand, redactor


def _needs_hyperscan() -> None:
    if not redactor().uses_hyperscan:
        pytest.skip("hyperscan not installed")


@pytest.mark.parametrize(
    ("pattern", "anchored"),
    [
        (rb"=[ \t]{0,4}[A-Za-z0-9]{16}", True),  # starts with a fixed byte
        (rb"(?:%[0-9a-fA-F]{2}){6}", True),  # ... inside a repeated group
        (rb"(?:\\u[0-9a-f]{4}|\\x[0-9a-f]{2}){4}", True),  # ... on every branch
        (rb"[A-Za-z0-9+/]{86}==", True),  # a fixed two-byte string
        (rb"[A-Za-z0-9_][ \t]{0,4}:[ \t]{0,4}[A-Za-z0-9]{16}", False),  # one byte, not first
        (rb"(?:^|[^0-9a-fA-F])(?:[2-7][0-9a-fA-F]){10}", False),
        (rb"(?:=|:)[A-Z]{16}", False),  # a branch without the same fixed byte is a shape
    ],
)
def test_literal_anchored(pattern: bytes, anchored: bool) -> None:
    assert literal_anchored(pattern) is anchored


def test_every_scan_expression_lands_in_one_database() -> None:
    _needs_hyperscan()
    engine = Engine()
    # One entry per scanned expression, naming every detector that scans with it (detectors
    # sharing an expression — the key-name forms' key-word anchor — share one entry).
    expressions = [gid for _, _, ids in engine._plan for group in ids for gid in group]
    wanted = [i for i, d in enumerate(engine.detectors) for _ in set(d.scan_patterns)]
    detector_ids = sorted(g for g in expressions if g < len(engine.detectors))
    # One entry per scan pattern, and one more for the expression whose alternatives go to two
    # databases: the NUL-record anchor's ``^`` and ``\x00`` forms (speed pass, 2026-12-06).
    assert sorted(set(detector_ids)) == sorted(set(wanted))
    assert len(detector_ids) == len(wanted) + 1
    shared = [group for _, _, ids in engine._plan for group in ids if len(group) > 1]
    assert shared, "the key-name forms share their anchor"
    # (the gate databases of the eleventh speed pass scan only where the literal database
    # found their pattern)
    gates = [engine_module._gate_name(k) for k in range(len(engine_module._GATES))]
    assert [name for name, _ in engine.databases()] == ["tables", "literals", "nul", *gates]
    assert [name for name, _ in engine.databases(b"text\n")] == ["tables", "literals"]


def test_a_detector_subset_without_main_detectors_still_scans() -> None:
    _needs_hyperscan()
    side_only = Engine(tuple(d for d in ALL if d.side))
    assert [name for name, _ in side_only.databases()][:2] == ["tables", "literals"]
    assert side_only.spans(b"nothing to see here\n") == []
    providers = Engine(PROVIDERS)
    token = github_token(61).encode()
    assert [s.detector for s in providers.spans(b"x " + token + b" y")] == ["github-token"]


@pytest.mark.parametrize(
    "text",
    [
        # A bare name may end in '-' or '.': the '=' expression must not need a word character
        # before the separator (the pure-Python engine always found these).
        "x GZS-=" + rand(24, 62) + "1aB",
        "cfg.=" + rand(24, 63) + "2bC",
        "api_key := " + rand(24, 64) + "3cD",
        "name: " + rand(24, 65) + "4dE",
        "plain words only, nothing secret at all = here",
    ],
)
def test_split_generic_prefilter_matches_pure_python(text: str) -> None:
    _needs_hyperscan()
    fast, slow = redactor(), redactor(use_hyperscan=False)
    assert fast.redact_text(text) == slow.redact_text(text)


def test_existing_placeholders_found_by_the_scan_are_kept() -> None:
    _needs_hyperscan()
    fast, slow = redactor(), redactor(use_hyperscan=False)
    once = fast.redact_text("token=" + github_token(66) + " and more text")
    assert "[REDACTED:" in once
    assert fast.redact_text(once) == once == slow.redact_text(once)
    # The marker is a plain literal: a placeholder glued to other text is still recognised.
    glued = "abc" + once + "def"
    assert fast.redact_text(glued) == slow.redact_text(glued)


def test_scan_failure_in_any_database_drops_the_payload(monkeypatch: pytest.MonkeyPatch) -> None:
    _needs_hyperscan()

    class BadDb:
        def scan(self, *_a: object, **_k: object) -> None:
            raise RuntimeError("scan failed")

    for broken in range(2):
        r = redactor()
        good = r.engine._dbs()
        dbs = [BadDb() if i == broken else db for i, db in enumerate(good)]
        monkeypatch.setattr(r.engine, "_dbs", lambda dbs=dbs: dbs)
        assert r.redact_text("token " + github_token(67)) == ERROR_MARKER
