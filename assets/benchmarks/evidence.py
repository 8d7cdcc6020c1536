"""The WS5 evidence producers (plain functions; the Dagster asset records what they return).

* ``benchmark.run`` — one item per loaded run (value: attempts; detail: the summary's digest).
* ``benchmark.reproducibility`` (WS5.1) — 1.0 when the methodology document exists (its
  SHA-256 recorded) **and** the latest ``gonogo bench reproduce`` of the latest gonogo run
  passed; else 0.0 with the reason.
* ``benchmark.claims_mapped`` (WS5.2) — supported claims / claims; detail lists every claim's
  status, interval and evidence ids.
* ``benchmark.one_pager`` (WS5.3) — 1.0 when the generated one-pager (Markdown and HTML) passes
  ``check_one_pager`` against the current claim results; detail lists the pages and problems.

Without any benchmark run there is no WS5 evidence at all: those criteria stay ``unknown``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from assets.benchmarks.claims import SUPPORTED, ClaimResult
from assets.benchmarks.results import RunFolder
from assets.evidence.store import EvidenceItem

SOURCE = "benchmarks"


def run_evidence(folder: RunFolder, collected_at: datetime) -> EvidenceItem:
    summary = folder.summary or {}
    digest = hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest()
    return EvidenceItem(
        kind="benchmark.run",
        source=f"{SOURCE}:{folder.run.source}",
        subject=folder.run.run_id,
        collected_at=collected_at,
        value=float(len(folder.attempts)),
        detail={
            "run_id": folder.run.run_id,
            "source": folder.run.source,
            "harness_version": folder.run.harness_version,
            "summary_sha256": digest,
            "tasks": len(folder.run.tasks),
            "agents": [a.get("name") for a in folder.run.agents],
        },
        uri=str(folder.path),
        is_demo=folder.run.is_demo,
    )


def latest_reproduction(folder: RunFolder) -> dict[str, Any] | None:
    files = sorted(folder.path.glob("reproduce-*.json"))
    if not files:
        return None
    try:
        data: dict[str, Any] = json.loads(files[-1].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"ok": False, "findings": [f"{files[-1].name} is unreadable"]}
    data["file"] = files[-1].name
    return data


def reproducibility_evidence(
    methodology: Path, folder: RunFolder | None, collected_at: datetime
) -> EvidenceItem:
    reasons: list[str] = []
    doc_hash = None
    if methodology.is_file():
        doc_hash = "sha256:" + hashlib.sha256(methodology.read_bytes()).hexdigest()
    else:
        reasons.append(f"methodology document {methodology} is missing")
    repro = latest_reproduction(folder) if folder is not None else None
    if folder is None:
        reasons.append("no gonogo benchmark run")
    elif repro is None:
        reasons.append(f"run {folder.run.run_id} was never reproduced (gonogo bench reproduce)")
    elif not repro.get("ok"):
        reasons.append(f"the latest reproduction of {folder.run.run_id} failed")
    ok = not reasons
    return EvidenceItem(
        kind="benchmark.reproducibility",
        source=SOURCE,
        subject=folder.run.run_id if folder is not None else None,
        collected_at=collected_at,
        value=1.0 if ok else 0.0,
        detail={
            "methodology": str(methodology.name),
            "methodology_sha256": doc_hash,
            "run_id": folder.run.run_id if folder is not None else None,
            "reproduction": repro,
            "reasons": reasons,
        },
        uri=str(methodology),
        is_demo=bool(folder.run.is_demo) if folder is not None else False,
    )


def claims_evidence(
    results: list[ClaimResult], collected_at: datetime, *, is_demo: bool
) -> EvidenceItem:
    supported = sum(1 for r in results if r.status == SUPPORTED)
    return EvidenceItem(
        kind="benchmark.claims_mapped",
        source=SOURCE,
        subject="claims",
        collected_at=collected_at,
        value=supported / len(results) if results else 0.0,
        detail={
            "claims": [r.to_json() for r in results],
            "supported": supported,
            "total": len(results),
        },
        is_demo=is_demo,
    )


def one_pager_evidence(
    pages: list[Path], problems: list[str], collected_at: datetime, *, is_demo: bool
) -> EvidenceItem:
    """One item for the page in every format it was written in: 1.0 only when all pass."""
    return EvidenceItem(
        kind="benchmark.one_pager",
        source=SOURCE,
        subject="one-pager",
        collected_at=collected_at,
        value=0.0 if problems or not pages else 1.0,
        detail={"pages": [str(p) for p in pages], "problems": problems},
        uri=str(pages[0]) if pages else None,
        is_demo=is_demo,
    )
