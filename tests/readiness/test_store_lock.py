"""One writer at a time on the DuckDB store, across real processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assets.tables import open_store
from pipelines.store import StoreBusy, connect

REPO = Path(__file__).resolve().parents[2]

# A cooperating writer: takes the store through the same lock, says so, holds it until told.
HOLDER = """
import sys
from pathlib import Path
from assets.tables import open_store
with open_store(Path(sys.argv[1])) as con:
    con.execute("INSERT INTO ops_signals VALUES ('_global', now(), 'heartbeat', 'holder', 1)")
    print("holding", flush=True)
    sys.stdin.readline()
    con.execute("INSERT INTO ops_signals VALUES ('_global', now(), 'heartbeat', 'holder', 2)")
"""

# Many short writers in parallel processes: each appends N rows, one connection per row.
WRITER = """
import sys
from pathlib import Path
from assets.tables import open_store
db, who, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for i in range(n):
    with open_store(db) as con:
        con.execute("INSERT INTO ops_signals VALUES ('_global', now(), 'heartbeat', ?, ?)", [who, i])
"""


def _spawn(code: str, *args: str, stdin: int | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=REPO, stdin=stdin, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_a_second_writer_waits_for_the_first_instead_of_failing(tmp_path: Path) -> None:
    db = tmp_path / "gonogo.duckdb"
    holder = _spawn(HOLDER, str(db), stdin=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline().strip() == "holding"
    waiter = _spawn(WRITER, str(db), "waiter", "1")
    try:
        # While the holder has the store, the waiter has written nothing (and not failed).
        with pytest.raises(subprocess.TimeoutExpired):
            waiter.wait(timeout=2)
        holder.stdin.write("go\n")
        holder.stdin.flush()
        assert holder.wait(timeout=60) == 0, holder.stderr.read() if holder.stderr else ""
        assert waiter.wait(timeout=60) == 0, waiter.stderr.read() if waiter.stderr else ""
    finally:
        for p in (holder, waiter):
            p.kill()
            p.wait()
    with open_store(db, read_only=True) as con:
        order = con.execute("SELECT subject, value FROM ops_signals ORDER BY rowid").fetchall()
    assert order == [("holder", 1.0), ("holder", 2.0), ("waiter", 0.0)]


def test_parallel_writers_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "gonogo.duckdb"
    writers = [_spawn(WRITER, str(db), f"w{i}", "15") for i in range(4)]
    for w in writers:
        assert w.wait(timeout=240) == 0, w.stderr.read() if w.stderr else ""
    with open_store(db, read_only=True) as con:
        counts = dict(
            con.execute("SELECT subject, count(*) FROM ops_signals GROUP BY ALL").fetchall()
        )
    assert counts == {f"w{i}": 15 for i in range(4)}


def test_the_wait_is_bounded_and_names_the_holder(tmp_path: Path) -> None:
    db = tmp_path / "gonogo.duckdb"
    holder = _spawn(HOLDER, str(db), stdin=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(StoreBusy, match=f"pid {holder.pid}"):
            with connect(db, wait_s=0.5):
                pass
    finally:
        holder.kill()
        holder.wait()


def test_a_process_that_skips_the_lock_is_waited_for_then_reported(tmp_path: Path) -> None:
    db = tmp_path / "gonogo.duckdb"
    foreign = _spawn(
        "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('open', flush=True); "
        "sys.stdin.readline()",
        str(db),
        stdin=subprocess.PIPE,
    )
    try:
        assert foreign.stdout is not None and foreign.stdout.readline().strip() == "open"
        with pytest.raises(StoreBusy, match="lock"):
            with connect(db, wait_s=0.5):
                pass
    finally:
        foreign.kill()
        foreign.wait()
    with connect(db, wait_s=5) as con:  # once it has gone, the store opens
        assert con.execute("SELECT 1").fetchone() == (1,)


def test_opening_the_store_again_in_the_same_thread_does_not_wait_for_itself(
    tmp_path: Path,
) -> None:
    db = tmp_path / "gonogo.duckdb"
    with open_store(db) as outer, connect(db, wait_s=0.5) as inner:
        outer.execute("INSERT INTO ops_signals VALUES ('_global', now(), 'heartbeat', 'a', 1)")
        assert inner.execute("SELECT count(*) FROM ops_signals").fetchone() == (1,)
    with connect(db, wait_s=0.5):  # and it was released afterwards
        pass
