"""An evidence item made of named checks: value 1.0 when every check holds, else 0.0."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from assets.evidence.store import EvidenceItem


def checks_item(
    kind: str,
    source: str,
    subject: str,
    checks: dict[str, dict[str, Any]],
    *,
    uri: str,
    now: datetime,
    ttl: timedelta,
    is_demo: bool,
) -> EvidenceItem:
    failed = [name for name, c in checks.items() if not c["ok"]]
    return EvidenceItem(
        kind=kind,
        source=source,
        subject=subject,
        collected_at=now,
        value=0.0 if failed else 1.0,
        detail={"failed": failed, **checks},
        ttl=ttl,
        uri=uri,
        is_demo=is_demo,
    )
