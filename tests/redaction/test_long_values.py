"""Long values after a short prefilter hit are masked whole, by both engines.

Hyperscan reports where a detector's cheap prefilter ends (a few characters into the value);
the confirmation window must reach the value's full width from there. It once did not, and a
long ``Authorization: Basic …`` value was masked only up to the window's end, leaking its tail.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from enforcement_agent.redaction.placeholders import looks_fake
from tests.redaction.helpers import rand, redactor

FAST, SLOW = redactor(), redactor(use_hyperscan=False)
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

TEMPLATES = (
    'curl -H "Authorization: Basic {v}" https://api.example.invalid',
    "Authorization: Bearer {v}",
    "Server=db;Database=app;User Id=app;Password={v};Encrypt=true",
    "acme_client = '{v}'",
    "acme_client: {v}",
    '{{"level":"info","password":"{v}"}}',
    "export API_TOKEN={v}",
)


@settings(max_examples=60, deadline=None)
@given(
    template=st.sampled_from(TEMPLATES),
    length=st.integers(min_value=20, max_value=250),
    seed=st.integers(min_value=0, max_value=10**6),
)
def test_long_value_is_masked_whole(template: str, length: int, seed: int) -> None:
    # Mixed case and digits, as a generated credential has (the generic rules ask for them).
    value = "q7Z" + rand(length - 3, seed, _B64 if "Basic" in template else _B64[:62])
    assume(not looks_fake(value.encode()))  # a random draw can spell a filler run ("xXxx")
    line = template.format(v=value)
    for engine in (FAST, SLOW):
        out = engine.redact_text(line)
        assert value[:8] not in out and value[-8:] not in out, out


@pytest.mark.parametrize("length", [64, 65, 80, 100, 130, 200, 256])
def test_both_engines_mask_the_same_bytes_of_a_long_header(length: int) -> None:
    line = "Authorization: Basic " + rand(length, length, _B64)
    assert FAST.redact_text(line) == SLOW.redact_text(line)
