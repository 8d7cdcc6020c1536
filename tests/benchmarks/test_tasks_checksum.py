"""Task loading and the task checksum exactly as the issue defines it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.harness.tasks import TaskError, discover_tasks, load_task, task_checksum
from tests.benchmarks.helpers import file_task


def reference_checksum(root: Path) -> str:
    """Independent reading of the spec: sha256 over `rel NUL sha256hex LF`, sorted by rel."""
    entries = []
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            full = Path(dirpath) / name
            rel = full.relative_to(root).as_posix()
            entries.append((rel.encode("utf-8"), hashlib.sha256(full.read_bytes()).hexdigest()))
    body = b"".join(rel + b"\x00" + h.encode() + b"\n" for rel, h in sorted(entries))
    return "sha256:" + hashlib.sha256(body).hexdigest()


def test_checksum_of_known_tree(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b").write_bytes(b"x")
    (tmp_path / "a.b").write_bytes(b"")
    (tmp_path / "a-b").write_bytes(b"y\n")
    # Sorted by relative path bytes: "a-b" (0x2d) < "a.b" (0x2e) < "a/b" (0x2f).
    lines = [
        b"a-b\x00" + hashlib.sha256(b"y\n").hexdigest().encode() + b"\n",
        b"a.b\x00" + hashlib.sha256(b"").hexdigest().encode() + b"\n",
        b"a/b\x00" + hashlib.sha256(b"x").hexdigest().encode() + b"\n",
    ]
    assert task_checksum(tmp_path) == "sha256:" + hashlib.sha256(b"".join(lines)).hexdigest()


_names = st.text(alphabet="abcXY019-_.é", min_size=1, max_size=6).filter(
    lambda s: s not in (".", "..")
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    files=st.dictionaries(
        st.lists(_names, min_size=1, max_size=3).map(tuple),
        st.binary(max_size=64),
        min_size=1,
        max_size=8,
    )
)
def test_checksum_matches_reference(tmp_path_factory: pytest.TempPathFactory, files: dict) -> None:
    root = tmp_path_factory.mktemp("task")
    written = 0
    for parts, body in files.items():
        p = root.joinpath(*parts)
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            if p.exists():
                continue
            p.write_bytes(body)
            written += 1
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            continue  # a name used both as a file and a folder
    assert task_checksum(root) == reference_checksum(root)


def test_checksum_changes_with_content_and_name_not_with_time_or_mode(tmp_path: Path) -> None:
    d = file_task(tmp_path, "t", "answer.txt", "42")
    base = task_checksum(d)
    os.utime(d / "instruction.md", (1, 1))
    (d / "tests" / "test.sh").chmod(0o700)
    assert task_checksum(d) == base
    (d / "instruction.md").write_text("Write `43` into `answer.txt`.\n")
    assert task_checksum(d) != base
    (d / "instruction.md").write_text("Write `42` into `answer.txt`.\n")
    assert task_checksum(d) == base
    (d / "environment" / "README.md").rename(d / "environment" / "README.txt")
    assert task_checksum(d) != base


def test_empty_file_counts(tmp_path: Path) -> None:
    d = file_task(tmp_path, "t", "answer.txt", "42")
    base = task_checksum(d)
    (d / "environment" / "empty").write_bytes(b"")
    assert task_checksum(d) != base


def test_symlink_refused(tmp_path: Path) -> None:
    d = file_task(tmp_path, "t", "answer.txt", "42")
    (d / "environment" / "link").symlink_to("/etc/hostname")
    with pytest.raises(TaskError, match="symlink"):
        load_task(d)


def test_load_reads_timeouts_and_metadata(tmp_path: Path) -> None:
    d = file_task(tmp_path, "t", "answer.txt", "42")
    task = load_task(d)
    assert (task.agent_timeout_s, task.verifier_timeout_s) == (120.0, 60.0)
    assert task.metadata["category"] == "test"
    assert task.checksum == reference_checksum(d)


@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda d: (d / "task.toml").unlink(), "missing task.toml"),
        (lambda d: (d / "tests" / "test.sh").unlink(), "tests/test.sh"),
        (lambda d: (d / "task.toml").write_text("version = [\n"), "task.toml"),
        (lambda d: (d / "task.toml").write_text("[agent]\ntimeout_sec = -1\n"), "timeout_sec"),
        (lambda d: (d / "task.toml").write_text('[verifier]\ntimeout_sec = "x"\n'), "timeout_sec"),
        (lambda d: (d / "instruction.md").write_bytes(b"\xff\xfe"), "UTF-8"),
    ],
)
def test_bad_tasks_are_refused_with_a_reason(tmp_path: Path, breakage, message: str) -> None:
    d = file_task(tmp_path, "t", "answer.txt", "42")
    breakage(d)
    with pytest.raises(TaskError, match=message):
        load_task(d)


def test_discover_one_or_many(tmp_path: Path) -> None:
    file_task(tmp_path, "b", "x", "1")
    file_task(tmp_path, "a", "y", "2")
    (tmp_path / "not-a-task").mkdir()
    assert [t.task_id for t in discover_tasks(tmp_path)] == ["a", "b"]
    assert [t.task_id for t in discover_tasks(tmp_path / "a")] == ["a"]
    with pytest.raises(TaskError, match="no task folders"):
        discover_tasks(tmp_path / "not-a-task")


def test_shipped_suite_is_well_formed() -> None:
    root = Path(__file__).resolve().parents[2] / "benchmarks" / "tasks"
    tasks = discover_tasks(root)
    assert len(tasks) >= 12
    assert all(t.has_solution for t in tasks)
    assert len({t.metadata.get("category") for t in tasks}) >= 6
