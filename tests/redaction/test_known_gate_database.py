"""The dump gate has a database of its own; the known secrets' literal database is rebuilt
without it.

Stop 43: every new set of known secrets compiled the known secrets' literals together with the
dump gate's expression (``dumps.GATE``), which alone took 0.16–0.4 s of each rebuild's 0.2–0.5 s
(the literals about 0.035 s). The gate is compiled once, cached like the detectors' databases,
and asked only when the secrets have dump forms (``dumps.gate_found``).
"""

from __future__ import annotations

import random
import string

import pytest

import enforcement_agent.redaction.known as known
from enforcement_agent.redaction.dumps import GATE, gate_found
from tests.redaction.helpers import redactor, streamed

_RNG = random.Random(43)


def _secret() -> str:
    return "".join(_RNG.choice(string.ascii_letters + string.digits) for _ in range(32))


def test_a_rebuild_compiles_the_literals_without_the_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[tuple[int, dict[str, object]]] = []
    real = known.compile_literals

    def spy(literals: list[tuple[bytes, bool]], **kw: object) -> bytes | None:
        built.append((len(literals), kw))
        return real(literals, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(known, "compile_literals", spy)
    known.KnownSecrets([_secret()])
    known.KnownSecrets([_secret(), _secret()])
    assert len(built) == 2
    for _, kw in built:
        assert GATE not in kw.values()
        assert set(kw) <= {"extra"}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (b"intro\n00000000: 6b5a 3971 5732 7856 376d 4234 6e52 3874  kZ9qW2xV7mB4nR8t\n", True),
        (b"intro\n0000000 153 132 071 161 127 062 170 126\n", True),
        (b"intro\n     1\t00000000: 6b5a 3971 5732 7856  kZ9qW2xV\n", True),
        (b"hello world\nplain words here, nothing dumped\n", False),
        (b"3f2a1b9 fix the build\n----+-----\n", False),
        (b"", False),
    ],
)
def test_the_gate_answers_as_its_expression(text: bytes, found: bool) -> None:
    assert gate_found(text, 0) is found
    # from a position: a dump line before it is not seen
    assert gate_found(text, len(text)) is False


def test_dumps_of_a_known_secret_are_masked_with_the_gate_apart() -> None:
    import subprocess

    secret = _secret()
    r = redactor(known_secrets=[secret])
    for cmd in (["xxd"], ["od", "-c"], ["xxd", "-p"], ["hexdump", "-C"]):
        dump = subprocess.run(cmd, input=f"id {secret} end\n".encode(), capture_output=True).stdout
        data = b"header line\n" + dump
        whole = r.redact_bytes(data)
        assert b"[REDACTED:known-secret" in whole, (cmd, whole[:300])
        assert streamed(r, data, 64) == whole
    # without dumps, the reader does not run and clean text is unchanged
    clean = b"commit 3f2a1b9c\nAuthor: a <a@b>\n\n    fix the build\n"
    assert r.redact_bytes(clean) == clean
