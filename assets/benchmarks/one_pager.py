"""The sales/demo one-pager, generated from supported claims only, and the check that guards it.

Every sentence with a number is one supported claim's text, followed by its citation
``[CLM-…]``; nothing else on the page carries a number. ``check_one_pager`` re-reads a
generated page (Markdown or HTML) and fails it when a line has a number but no citation, when
it cites no claim at all, when it cites a claim that is unknown, when a cited claim is no longer supported (or was changed),
or when its numbers are not the ones the current evidence gives.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from assets.benchmarks.claims import SUPPORTED, ClaimResult

TITLE = "gonogo: governed agents, measured"
_CITE = re.compile(r"\[(CLM-[a-z0-9-]+)\]")
_META = re.compile(r"<!--\s*gonogo-one-pager:(.*?)-->", re.S)
_HTML_DROP = re.compile(r"<!--.*?-->|<style.*?</style>|<head.*?</head>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class OnePager:
    markdown: str
    html: str
    cited: list[str]


def _meta(results: list[ClaimResult]) -> str:
    cited = {r.claim.claim_id: r.claim.spec_hash for r in results}
    return "<!-- gonogo-one-pager:" + json.dumps({"claims": cited}, sort_keys=True) + " -->"


def render(results: list[ClaimResult], *, is_demo: bool) -> OnePager:
    """One page from the claims that are supported now (the others are left out)."""
    supported = [r for r in results if r.status == SUPPORTED]
    lines = [f"- {r.rendered_text()} [{r.claim.claim_id}]" for r in supported]
    banner = ["> **DEMO DATA**: measured on the shipped task suite in demo mode.", ""]
    md = "\n".join(
        [
            _meta(supported),
            f"# {TITLE}",
            "",
            *(banner if is_demo else []),
            *(lines or ["- No claim is supported by the current benchmark evidence."]),
            "",
            "Each bracketed id is a claim in the plan's claims file, judged against the latest",
            "benchmark run with its confidence interval; the methodology is docs/benchmarks.md.",
            "",
        ]
    )
    items = (
        "\n".join(
            f"<li>{html.escape(r.rendered_text())} <cite>[{r.claim.claim_id}]</cite></li>"
            for r in supported
        )
        or "<li>No claim is supported by the current benchmark evidence.</li>"
    )
    demo = '<p class="demo"><strong>DEMO DATA</strong></p>\n' if is_demo else ""
    page = (
        '<!doctype html>\n<html><head><meta charset="utf-8"><title>'
        f"{html.escape(TITLE)}</title>\n<style>body{{font-family:sans-serif;max-width:48em;"
        "margin:auto}} cite{color:#555;font-style:normal} .demo{color:#a00}</style></head>\n"
        f"<body>\n{_meta(supported)}\n<h1>{html.escape(TITLE)}</h1>\n{demo}<ul>\n{items}\n</ul>\n"
        "<p>Each bracketed id is a claim in the plan's claims file, judged against the latest\n"
        "benchmark run with its confidence interval; the methodology is docs/benchmarks.md.</p>\n"
        "</body></html>\n"
    )
    return OnePager(md, page, [r.claim.claim_id for r in supported])


def write(out_dir: Path, page: OnePager) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    md, page_html = out_dir / "one-pager.md", out_dir / "one-pager.html"
    md.write_text(page.markdown, encoding="utf-8")
    page_html.write_text(page.html, encoding="utf-8")
    return md, page_html


def _visible_lines(text: str, is_html: bool) -> list[str]:
    if is_html:
        text = _HTML_DROP.sub("", text)
        text = html.unescape(_TAG.sub("", text))
    else:
        text = _META.sub("", text)
    return [line for line in text.splitlines() if line.strip()]


def check_one_pager(path: Path, results: list[ClaimResult]) -> list[str]:
    """Problems with a generated one-pager against the current claim results (empty: it passes)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{path}: cannot be read: {exc}"]
    status = {r.claim.claim_id: r for r in results}
    problems: list[str] = []
    meta = _META.search(text)
    declared: dict[str, str] = {}
    if meta is None:
        problems.append(f"{path}: no gonogo-one-pager metadata (not a generated page)")
    else:
        try:
            declared = dict(json.loads(meta.group(1)).get("claims", {}))
        except (ValueError, AttributeError):
            problems.append(f"{path}: unreadable one-pager metadata")
    if meta is not None and not declared and not problems:
        problems.append(f"{path}: cites no supported claim, so it shows nothing measured")
    visible = _visible_lines(text, path.suffix == ".html")
    for n, line in enumerate(visible, start=1):
        cited = _CITE.findall(line)
        if re.search(r"\d", _CITE.sub("", line)) and not cited:
            problems.append(
                f"{path}: line {n} has a number without a claim citation: {line[:80]!r}"
            )
        for cid in cited:
            if cid not in declared:
                problems.append(f"{path}: line {n} cites {cid}, not in the page's metadata")
    for cid, spec_hash in sorted(declared.items()):
        r = status.get(cid)
        if r is None:
            problems.append(f"{path}: cites {cid}, which the claims file no longer has")
        elif r.status != SUPPORTED:
            problems.append(f"{path}: cites {cid}, which is now {r.status} ({r.reason})")
        elif r.claim.spec_hash != spec_hash:
            problems.append(f"{path}: cites {cid}, whose claim changed since the page was made")
        elif not any(r.rendered_text() in line and f"[{cid}]" in line for line in visible):
            problems.append(f"{path}: {cid} shows other numbers than the current evidence")
    return problems
