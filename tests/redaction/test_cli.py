"""`gonogo redact` as a user runs it: a real subprocess, stdin to stdout, streaming."""

from __future__ import annotations

import json
from pathlib import Path

from tests.redaction.helpers import github_token, run_gonogo_redact, slack_token

_run = run_gonogo_redact


def test_redact_streams_large_input_and_removes_secrets(tmp_path: Path) -> None:
    gh, sl = github_token(61).encode(), slack_token(62).encode()
    line = b"INFO nothing to see here, request ok\n"
    # Secrets land on both sides of the CLI's 64 KiB read size.
    data = line * 1770 + b"export T=" + gh + b"\n" + line * 3000 + b"SLACK=" + sl + b"\n" + line
    proc = _run([], data, tmp_path / "home")
    assert proc.returncode == 0, proc.stderr
    assert gh not in proc.stdout and sl not in proc.stdout
    assert proc.stdout.count(b"[REDACTED:") == 2
    assert proc.stdout.replace(b"\n", b"").startswith(line.rstrip(b"\n"))
    assert proc.stdout.count(b"\n") == data.count(b"\n")


def test_known_secrets_file(tmp_path: Path) -> None:
    f = tmp_path / "known.json"
    f.write_text(json.dumps({"known_secrets": ["tenant-db-passphrase-7"]}))
    proc = _run(["--known-secrets", str(f)], b"connecting with tenant-db-passphrase-7\n", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert b"tenant-db-passphrase-7" not in proc.stdout
    assert b"[REDACTED:known-secret:" in proc.stdout


def test_bad_known_secrets_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    for content in ("{not json", json.dumps({"secrets": []}), json.dumps({"known_secrets": [1]})):
        bad.write_text(content)
        proc = _run(["--known-secrets", str(bad)], b"x\n", tmp_path)
        assert proc.returncode != 0
        assert b"bad.json" in proc.stderr
        assert proc.stdout == b""
    proc = _run(["--known-secrets", str(tmp_path / "missing.json")], b"x\n", tmp_path)
    assert proc.returncode != 0
