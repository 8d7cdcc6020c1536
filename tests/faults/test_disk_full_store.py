"""Issue 12 item 6, continued from ``test_disk_full.py``: a full disk under the store fails
the run cleanly and the rerun is exact; empty store and key files left by a crash are
explained and replaced."""

from __future__ import annotations

import signal
from collections.abc import Callable

from tests.faults.conftest import Home, fill, serve, tmpfs, workload


def test_a_full_store_disk_fails_the_run_cleanly_and_the_rerun_is_exact(
    gonogo_home: Home, evidence: Callable[..., None]
) -> None:
    server = serve(gonogo_home)
    for b in workload(10):
        assert server.call(b).status_code == 200
    server.proc.send_signal(signal.SIGTERM)
    server.proc.wait(timeout=60)
    store_dir = gonogo_home.root / "store"
    with tmpfs(store_dir, "16m"):
        env = {"GONOGO_HOME": str(gonogo_home.home)}
        # The store lives on the small disk: point the home's database there by a symlink.
        (gonogo_home.home / "gonogo.duckdb").symlink_to(store_dir / "gonogo.duckdb")
        filler = fill(store_dir)
        res = gonogo_home.run("pipeline", "run", **env)
        assert res.returncode == 1
        assert "Traceback" not in res.stderr and res.stderr.strip().count("\n") <= 3
        filler.unlink()
        gonogo_home.ingest()
        assert gonogo_home.one("SELECT count(*) FROM tool_calls") == 10
        assert gonogo_home.one("SELECT count(*) FROM decision_records") == 10
    evidence("store disk full, then rerun", written=10, ingested=10)


def test_empty_store_and_key_files_left_by_a_crash_are_explained_and_replaced(
    gonogo_home: Home,
) -> None:
    gonogo_home.home.mkdir(parents=True, exist_ok=True)
    (gonogo_home.home / "gonogo.duckdb").write_bytes(b"")
    (gonogo_home.home / "redaction.key").write_bytes(b"")
    (gonogo_home.home / "redaction.key").chmod(0o600)
    res = gonogo_home.run("report", "--format", "json")
    assert res.returncode == 0, res.stderr
    assert "was an empty file" in res.stderr and "was empty" in res.stderr
    assert len(bytes.fromhex((gonogo_home.home / "redaction.key").read_text().strip())) == 32
    assert list(gonogo_home.home.glob("gonogo.duckdb.empty-*"))
    # A file that is not a database is refused with the reason, not overwritten.
    (gonogo_home.home / "gonogo.duckdb").write_bytes(b"not a database at all" * 10)
    res = gonogo_home.run("report", "--format", "json")
    assert res.returncode != 0 and "not a DuckDB database" in res.stderr
    assert "Traceback" not in res.stderr
