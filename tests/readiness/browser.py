"""Headless Chromium for the report tests: the rendered DOM (after scripts ran) and screenshots.

A Chromium that is missing or does not start is a test failure, never a skip: `.ci/run`
installs it. Pages get no network at all (every host resolves to nothing), so a page that
needed one would render wrong, and each run has its own throwaway profile. Screenshots are kept
as test artifacts under ``$GONOGO_TEST_ARTIFACTS/browser`` (default ``out/test-artifacts``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("GONOGO_CHROMIUM", "/usr/bin/chromium"))
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TIMEOUT_S = 180


def artifacts_dir() -> Path:
    root = Path(os.environ.get("GONOGO_TEST_ARTIFACTS", REPO / "out" / "test-artifacts"))
    folder = root / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _run(page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK), (
        f"headless Chromium not found at {CHROMIUM}: install the Debian package chromium "
        "(.ci/run does) or point GONOGO_CHROMIUM at it"
    )
    with tempfile.TemporaryDirectory(prefix="gonogo-chromium-") as profile:
        cmd = [
            str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", f"--user-data-dir={profile}", "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=15000",
            *args, page.resolve().as_uri(),
        ]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert proc.returncode == 0, f"chromium exited {proc.returncode}: {proc.stderr[-2000:]}"
    return proc


def dump_dom(page: Path) -> str:
    """The page's DOM after its scripts ran (Plotly draws its SVG then)."""
    dom = _run(page, "--dump-dom").stdout
    assert "<html" in dom and "</body>" in dom, f"chromium rendered no page: {dom[:300]!r}"
    return dom


def screenshot(page: Path, name: str, *, width: int = 1280, height: int = 9000) -> Path:
    """A screenshot of the page (the window is tall, so most of the page is in it), kept."""
    with tempfile.TemporaryDirectory(prefix="gonogo-shot-") as tmp:
        shot = Path(tmp) / "shot.png"
        _run(page, f"--screenshot={shot}", f"--window-size={width},{height}")
        data = shot.read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 10_000, "chromium wrote no screenshot"
        kept = artifacts_dir() / name
        shutil.copyfile(shot, kept)
    return kept


class _Text(HTMLParser):
    """Visible text of an HTML fragment (no script or style)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def text_of(html: str) -> str:
    p = _Text()
    p.feed(html)
    return " ".join(" ".join(p.parts).split())


def element(dom: str, element_id: str, tag: str = "section") -> str:
    """The outer HTML of ``<tag … id="element_id">`` (sections do not nest in our pages)."""
    m = re.search(rf'<{tag}\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', dom)
    assert m, f"no <{tag} id={element_id!r}> in the rendered page"
    end = dom.index(f"</{tag}>", m.end())
    return dom[m.start() : end + len(tag) + 3]
