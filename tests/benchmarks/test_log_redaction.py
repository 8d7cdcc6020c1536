"""The logs an attempt keeps are redacted: task code may print credentials."""

from __future__ import annotations

import secrets
import string
from pathlib import Path

from benchmarks.harness.agents import parse_agents
from benchmarks.harness.log_redaction import redact_logs
from benchmarks.harness.runner import RunOptions, run_benchmark
from benchmarks.harness.tasks import discover_tasks
from enforcement_agent.redaction import configure_redactor
from tests.benchmarks.helpers import write_task


def _token() -> str:
    # Built at run time, so no secret-shaped literal sits in the repository.
    alphabet = string.ascii_letters + string.digits
    return "ghp_" + "".join(secrets.choice(alphabet) for _ in range(36))


def test_verifier_and_agent_output_are_redacted(tmp_path: Path, bwrap: str) -> None:
    token = _token()
    write_task(
        tmp_path / "tasks",
        "leaky",
        test_sh=f"#!/bin/bash\necho 'GITHUB_TOKEN={token}'\necho 'verifier done'\nexit 1\n",
        solve_sh=f"echo 'the agent saw {token}'\necho 'agent done'\n",
    )
    run, _, _ = run_benchmark(
        discover_tasks(tmp_path / "tasks"),
        parse_agents(["oracle"]),
        tmp_path / "results",
        RunOptions(repeats=1, replicates=50),
    )
    logs = tmp_path / "results" / run.run_id / "attempts" / "leaky__oracle__r0" / "logs"
    verifier = (logs / "verifier" / "test-output.txt").read_text()
    agent = (logs / "agent" / "agent-output.txt").read_text()
    for text, done in ((verifier, "verifier done"), (agent, "agent done")):
        assert token not in text and "[REDACTED:" in text
        assert done in text  # the rest of the log is kept
    # Nothing the run keeps (work dirs are removed after the attempt) holds the token.
    everything = b"".join(p.read_bytes() for p in (tmp_path / "results").rglob("*") if p.is_file())
    assert token.encode() not in everything


def test_redaction_keeps_rewards_and_skips_links(tmp_path: Path) -> None:
    # The harness redacts with the process-wide redactor: a plain one here, whatever known
    # secrets a test before this one in the worker configured (CI run 90 masked every line
    # of this file as a known secret after other tests had run in its worker).
    configure_redactor()
    token = _token()
    logs = tmp_path / "logs"
    (logs / "verifier").mkdir(parents=True)
    (logs / "verifier" / "reward.txt").write_text("1\n")
    (logs / "verifier" / "big.txt").write_text(("x" * 100 + "\n") * 30_000 + token + "\n")
    outside = tmp_path / "outside.txt"
    outside.write_text(token)
    (logs / "verifier" / "link.txt").symlink_to(outside)
    assert redact_logs(logs) == 1
    assert (logs / "verifier" / "reward.txt").read_text() == "1\n"
    big = (logs / "verifier" / "big.txt").read_text()
    assert token not in big and big.count("x" * 100) == 30_000
    assert outside.read_text() == token  # a link out of the logs is not followed, not written
    assert redact_logs(tmp_path / "missing") == 0
