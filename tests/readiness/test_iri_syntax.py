"""Loading the plan does not build rfc3987_syntax's IRI grammar (1.3 s of CPU at import); an
IRI format check still answers exactly what the real module answers, loading it then."""

from __future__ import annotations

import json
import subprocess
import sys

from pipelines.settings import REPO_ROOT

CASES = [
    ("iri", "http://example.com/ä"),
    ("iri", "not an iri"),
    ("iri-reference", "a/b"),
    ("iri-reference", ":bad"),
    ("iri", "mailto:x@y.z"),
]
PROBE = """
import json, sys
import pipelines  # the composition root installs the stand-in
import assets.readiness.plan  # imports jsonschema
from pipelines.iri_syntax import _StandIn
deferred = isinstance(sys.modules.get("rfc3987_syntax"), _StandIn)
import jsonschema
checker = jsonschema.FormatChecker()
answers = [checker.conforms(v, f) for f, v in json.loads(sys.argv[1])]
print(json.dumps({"deferred": deferred, "answers": answers,
                  "loaded": not isinstance(sys.modules["rfc3987_syntax"], _StandIn)}))
"""
REAL = """
import json, sys
import jsonschema
checker = jsonschema.FormatChecker()
print(json.dumps([checker.conforms(v, f) for f, v in json.loads(sys.argv[1])]))
"""


def _run(code: str) -> object:
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(CASES)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def test_the_grammar_waits_for_the_first_iri_check_and_answers_as_the_real_module() -> None:
    got = _run(PROBE)
    assert isinstance(got, dict)
    assert got["deferred"] is True
    assert got["loaded"] is True  # the first check loaded the real module
    assert got["answers"] == _run(REAL)  # a process without the stand-in
    assert got["answers"] == [True, False, True, False, True]
