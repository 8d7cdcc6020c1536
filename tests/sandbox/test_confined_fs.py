"""Confined file tools under attack: escapes, links, races, caps; both resolution strategies."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enforcement_agent.fs import ConfinedFS, ConfinementError, openat2_available

MODES = [pytest.param(False, id="o_nofollow-walk")]
if openat2_available():
    MODES.insert(0, pytest.param(True, id="openat2"))


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    ws = tmp_path / "ws"
    outside = tmp_path / "outside"
    ws.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("OUTSIDE-SECRET")
    (ws / "dir").mkdir()
    (ws / "dir" / "a.txt").write_text("inside a\nneedle here\n")
    os.symlink(outside, ws / "dirlink")
    os.symlink(outside / "secret.txt", ws / "filelink")
    os.symlink("../outside/secret.txt", ws / "rellink")
    os.symlink("/proc/self/root/etc/passwd", ws / "proclink")
    return ws, outside


def fs_for(ws: Path, mode: bool, **kw: int) -> ConfinedFS:
    return ConfinedFS(ws, use_openat2=mode, **kw)


def snapshot(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def test_roundtrip_list_search(layout: tuple[Path, Path], mode: bool) -> None:
    ws, _ = layout
    fs = fs_for(ws, mode)
    assert fs.write("new/deep/file.txt", b"hello needle") == 12
    assert fs.read("new/deep/file.txt") == b"hello needle"
    assert (ws / "new/deep/file.txt").read_bytes() == b"hello needle"
    assert fs.list(".") == ["dir/", "dirlink@", "filelink@", "new/", "proclink@", "rellink@"]
    hits = fs.search("needle")
    assert hits == ["dir/a.txt:2:needle here", "new/deep/file.txt:1:hello needle"]
    assert not [p for p in ws.rglob(".gonogo-tmp-*")]


@pytest.mark.parametrize(
    "path",
    [
        "../outside/secret.txt",
        "dir/../../outside/secret.txt",
        "/etc/passwd",
        "dirlink/secret.txt",
        "filelink",
        "rellink",
        "proclink",
        "dir/\0x",
        "",
    ],
)
def test_escapes_are_refused(layout: tuple[Path, Path], mode: bool, path: str) -> None:
    ws, outside = layout
    fs = fs_for(ws, mode)
    before = snapshot(outside)
    with pytest.raises(ConfinementError):
        fs.read(path)
    with pytest.raises(ConfinementError):
        fs.write(path, b"pwned")
    if path not in ("", "dir/\0x"):
        with pytest.raises(ConfinementError):
            fs.list(path)
    assert snapshot(outside) == before
    assert os.path.islink(ws / "filelink")  # the link itself is not replaced by a write


def test_search_does_not_follow_links(layout: tuple[Path, Path], mode: bool) -> None:
    ws, _ = layout
    assert fs_for(ws, mode).search("OUTSIDE-SECRET") == []


def test_hardlinked_write_target_is_refused(layout: tuple[Path, Path], mode: bool) -> None:
    ws, _ = layout
    (ws / "shared.txt").write_text("original")
    os.link(ws / "shared.txt", ws / "twin.txt")
    fs = fs_for(ws, mode)
    with pytest.raises(ConfinementError, match="hard link"):
        fs.write("twin.txt", b"changed")
    assert (ws / "shared.txt").read_text() == "original"


def test_size_caps(layout: tuple[Path, Path], mode: bool) -> None:
    ws, _ = layout
    fs = fs_for(ws, mode, max_read=100, max_write=50)
    with pytest.raises(ConfinementError, match="cap"):
        fs.write("big.txt", b"x" * 51)
    assert not (ws / "big.txt").exists()
    (ws / "big.txt").write_bytes(b"y" * 101)
    with pytest.raises(ConfinementError, match="cap"):
        fs.read("big.txt")


def test_fifo_and_devices_are_not_read(layout: tuple[Path, Path], mode: bool) -> None:
    ws, _ = layout
    os.mkfifo(ws / "pipe")
    with pytest.raises(ConfinementError, match="regular"):
        fs_for(ws, mode).read("pipe")  # returns at once: O_NONBLOCK, no writer needed


def test_write_is_atomic_for_concurrent_readers(layout: tuple[Path, Path], mode: bool) -> None:
    ws, _ = layout
    fs = fs_for(ws, mode)
    a, b = b"A" * 200_000, b"B" * 200_000
    fs.write("f.bin", a)
    stop = threading.Event()
    seen: set[bytes] = set()

    def reader() -> None:
        while not stop.is_set():
            data = (ws / "f.bin").read_bytes()
            seen.add(data[:1] + data[-1:] + str(len(data)).encode())

    t = threading.Thread(target=reader)
    t.start()
    for i in range(40):
        fs.write("f.bin", a if i % 2 else b)
    stop.set()
    t.join()
    assert seen <= {b"AA200000", b"BB200000"}


def test_symlink_swap_race_never_escapes(layout: tuple[Path, Path], mode: bool) -> None:
    """A racer flips ``flip`` between a real directory and a link to outside while we work."""
    ws, outside = layout
    fs = fs_for(ws, mode)
    real = ws / "flip"
    parked = ws / "flip-real"
    real.mkdir()
    (real / "ok.txt").write_text("inside")
    stop = threading.Event()

    def racer() -> None:
        while not stop.is_set():
            try:
                os.rename(real, parked)
                os.symlink(outside, real)
                os.unlink(real)
                os.rename(parked, real)
            except OSError:
                pass

    t = threading.Thread(target=racer)
    t.start()
    leaked = []
    try:
        for _ in range(400):
            try:
                fs.write("flip/planted.txt", b"pwned")
            except ConfinementError:
                pass
            try:
                data = fs.read("flip/secret.txt")
                leaked.append(data)
            except ConfinementError:
                pass
    finally:
        stop.set()
        t.join()
    assert leaked == []
    assert not (outside / "planted.txt").exists()
    assert (outside / "secret.txt").read_text() == "OUTSIDE-SECRET"


@pytest.fixture(scope="module")
def hyp_layout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    base = tmp_path_factory.mktemp("hyp")
    ws, outside = base / "ws", base / "outside"
    ws.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("OUTSIDE")
    (ws / "d").mkdir()
    (ws / "d" / "f").write_text("inside")
    os.symlink(outside, ws / "l")
    os.symlink("..", ws / "d" / "up")
    yield ws, outside


_SEGMENTS = st.sampled_from(
    ["d", "f", "l", "up", "..", ".", "", "secret.txt", "x", "/", "\0", "ws"]
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parts=st.lists(_SEGMENTS, min_size=0, max_size=6),
    lead=st.sampled_from(["", "/", "./"]),
    use2=st.booleans(),
)
def test_property_no_path_reaches_outside(
    hyp_layout: tuple[Path, Path], parts: list[str], lead: str, use2: bool
) -> None:
    ws, outside = hyp_layout
    fs = ConfinedFS(ws, use_openat2=use2 and openat2_available())
    path = lead + "/".join(parts)
    try:
        data = fs.read(path)
    except ConfinementError:
        data = None
    assert data in (None, b"inside")
    try:
        fs.write(path, b"w")
        written = True
    except ConfinementError:
        written = False
    if written:
        # Whatever was written landed inside the workspace, at a path that resolves inside.
        target = (ws / path.lstrip("/")).resolve()
        assert ws.resolve() in target.parents
        target.unlink()
        (ws / "d").mkdir(exist_ok=True)
        (ws / "d" / "f").write_text("inside")
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    assert (outside / "secret.txt").read_text() == "OUTSIDE"
