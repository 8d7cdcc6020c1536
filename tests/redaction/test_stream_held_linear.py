"""A stream's work is linear in the bytes written, also when it holds its lines back.

Found (stop 34, issue 18): output full of a known secret that repeats itself (``abab…``,
``kuuu…u``), written in 64-byte chunks, took about 3 s per 4 KB (``fold -w 7`` of it: 47 s per
4 KB). Every line ends in a piece of a cut form, so the stream holds it, and each chunk that
brought a newline scanned every held byte again; past the batch bound a masked span running over
all of them (the wrapped-encoding matcher joins the lines) kept anything from going, and every
chunk scanned the whole of it again. Now a chunk whose lines cannot go is not scanned, and after
a scan of a tail's worth that released nothing the next waits until twice as much is pending.

The work is counted in bytes handed to the engine (not wall time): a quadratic stream scans
hundreds of times what it was given (480 times for 64 KB of ``kuuu…u`` lines before the fix).
"""

from __future__ import annotations

import pytest

from enforcement_agent.redaction import Redactor
from tests.redaction.helpers import redactor, streamed

SECRETS = ("k" + "u" * 199, "ab" * 60, "0" * 64)


def _shapes(secret: str) -> dict[str, bytes]:
    folded = "\n".join(secret[i : i + 60] for i in range(0, len(secret), 60))
    unit = secret[1:6] if len(set(secret)) > 1 else secret[:5]
    return {
        "lines": (secret + "\n").encode(),
        "folded": (folded + "\n").encode(),
        "runs": (unit * 40 + "\n").encode(),
        "fold7": (
            "\n".join((secret * 3)[i : i + 7] for i in range(0, 3 * len(secret), 7)) + "\n"
        ).encode(),
    }


def _sized(block: bytes, size: int) -> bytes:
    return (block * (size // len(block) + 1))[:size]


class _Counted:
    """Counts the calls and bytes a redactor's engine is given."""

    def __init__(self, r: Redactor) -> None:
        self.calls = 0
        self.scanned = 0
        inner = r.engine.spans

        def spans(data: bytes, *args: object, **kw: object) -> object:
            self.calls += 1
            self.scanned += len(data)
            return inner(data, *args, **kw)  # type: ignore[arg-type]

        r.engine.spans = spans  # type: ignore[method-assign]


@pytest.fixture(scope="module", params=SECRETS, ids=lambda s: s[:4])
def counted(request: pytest.FixtureRequest) -> tuple[str, Redactor, _Counted]:
    r = redactor(known_secrets=[request.param])
    return request.param, r, _Counted(r)


# 32 KB (64 KB until stop 47, at twice the time): past the stream's scan batch (16,640 bytes
# here) the held bytes are scanned once, then not again until twice as many are pending. The
# two ways back to quadratic fail here as they do at 64 KB (measured by stopping each case at
# its bound): a scan for every chunk with a newline (no ``lines_only`` check) passes 16 calls in
# all 9 cases at both sizes; no doubling wait passes 4x the bytes in the same 6 of 9 at both
# (the other 3 release lines as they go).
HELD = 32768


@pytest.mark.parametrize("shape", ["lines", "folded", "runs"])
def test_32k_of_held_lines_in_64_byte_chunks_is_scanned_about_twice(
    counted: tuple[str, Redactor, _Counted], shape: str
) -> None:
    secret, r, count = counted
    data = _sized(_shapes(secret)[shape], HELD)
    count.calls = count.scanned = 0
    out = streamed(r, data, 64)
    # about twice; 480 times (766 scans) for 64 KB of ``kuuu…u`` lines before the fix
    assert count.scanned <= 4 * len(data), (secret[:4], shape, count.scanned / len(data))
    assert count.calls <= 16, (secret[:4], shape, count.calls)
    assert out == r.redact_bytes(data)


def test_a_stream_that_releases_now_and_then_scans_in_proportion_to_what_it_is_given() -> None:
    # ``fold -w 7`` of ``kuuu…u``: a short last line of each fold can go, so the stream releases
    # every few hundred bytes and each release reads its left context again (a constant per
    # release); the bytes scanned per byte written must not grow with the length.
    secret = "k" + "u" * 199
    r = redactor(known_secrets=[secret])
    count = _Counted(r)
    ratios = []
    for size in (16384, 65536):
        data = _sized(_shapes(secret)["fold7"], size)
        count.calls = count.scanned = 0
        assert streamed(r, data, 64) == r.redact_bytes(data)
        ratios.append(count.scanned / size)
    # quadratic work would give four times the ratio at four times the size
    assert ratios[1] <= 1.5 * ratios[0] + 2, ratios
