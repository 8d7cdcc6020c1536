"""Text that names secrets without holding one passes through unchanged (test names, paths)."""

from __future__ import annotations

import pytest

from enforcement_agent.redaction import Redactor

R = Redactor(key=b"k" * 32)


@pytest.mark.parametrize(
    "text",
    [
        "test_removal_outside_workspace_is_destructive[link_evil/secret.txt-rm -rf]",
        "cat secret.txt -n",
        "tests/test_tokens.py::test_token_refresh -q",
    ],
)
def test_names_and_flags_are_not_values(text: str) -> None:
    assert R.redact_text(text) == text


def test_dash_with_blanks_still_separates_a_value() -> None:
    value = "Zx8kQ2" + "mN7pL4vR9t"
    out = R.redact_text(f"github token - '{value}'")
    assert value not in out and "[REDACTED:kv-secret:" in out


def test_session_labels_pass_but_session_tokens_do_not() -> None:
    label = (
        '{"gonogo.session_id":"acme-agent-0:fix pricing rounding:0","session_id":"a b c d e f g h"}'
    )
    assert R.redact_text(label) == label
    token = "Qm9" + "vX2s8TzLp0Wq" * 3
    for text in (f"session_id={token}", f'"session": "{token}"', f"gonogo.session_id: {token}"):
        assert token not in R.redact_text(text), text
