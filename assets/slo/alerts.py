"""The one alert shape every SLO and operational alert uses (labels Alertmanager routes on).

The labels an alert is sent with *are* its identity: Alertmanager deduplicates and groups on
the full label set, so a label whose value can change while the alert keeps firing (the burn
tier moving from the quick to the slow window pair, the SLI source falling back from
Prometheus to DuckDB) would make it a new alert there and page twice. Those facts travel as
annotations; the fingerprint is computed over exactly the labels that are sent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from assets.slo.budget import FIRING
from assets.slo.spec import SLO
from assets.slo.store import SLOStatus

# Where relative runbook references (``docs/runbooks/queue-lag.md``) are resolved: the
# embedded default serves them from `gonogo serve` (its default port); production sets
# GONOGO_RUNBOOK_BASE_URL (or ``runbook_base_url`` in the OperationalAlerts spec) to the wiki
# or repository host the on-call engineer can open.
DEFAULT_RUNBOOK_BASE = "http://127.0.0.1:8080/"
# Where an alert's evaluation can be seen: the Dagster UI's page of the alerting asset.
DEFAULT_GENERATOR_URL = "http://127.0.0.1:3000/assets/slo_alerts"


class RunbookURLError(ValueError):
    """A runbook reference that cannot be made into an absolute http(s) URL."""


def absolute_url(ref: str, base: str) -> str:
    """``ref`` as an absolute http(s) URL: kept when it already is one, else joined to ``base``."""
    ref = ref.strip()
    if not ref:
        raise RunbookURLError("empty runbook reference")
    parts = urlsplit(ref)
    if parts.scheme:
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise RunbookURLError(f"runbook URL {ref!r} is not an absolute http(s) URL")
        return ref
    b = urlsplit(base)
    if b.scheme not in ("http", "https") or not b.netloc:
        raise RunbookURLError(f"runbook base {base!r} is not an absolute http(s) URL")
    return urljoin(base if base.endswith("/") else base + "/", ref.lstrip("/"))


@dataclass(frozen=True)
class Alert:
    alertname: str
    severity: str
    tenant_id: str
    service: str
    slo: str
    burn_tier: str
    summary: str
    runbook_url: str
    description: str = ""
    subject: str = ""
    value: float | None = None
    # Facts that may change while the alert fires: annotations, never labels.
    extra_annotations: Mapping[str, str] = field(default_factory=dict)

    def labels(self) -> dict[str, str]:
        out = {
            "alertname": self.alertname,
            "severity": self.severity,
            "tenant_id": self.tenant_id,
            "service": self.service,
            "slo": self.slo,
            "source": "gonogo",
        }
        if self.subject:
            out["subject"] = self.subject
        return out

    def annotations(self) -> dict[str, str]:
        out = {
            **self.extra_annotations,
            "summary": self.summary,
            "runbook_url": self.runbook_url,
            "burn_tier": self.burn_tier,
        }
        if self.description:
            out["description"] = self.description
        return out

    @property
    def fingerprint(self) -> str:
        """Hash of the label set sent (the identity Alertmanager sees, nothing more or less)."""
        key = "\x1f".join(f"{k}={v}" for k, v in sorted(self.labels().items()))
        return hashlib.sha256(key.encode()).hexdigest()[:24]


def slo_alerts(
    statuses: Iterable[SLOStatus], slos: Mapping[str, SLO], runbook_base: str = DEFAULT_RUNBOOK_BASE
) -> list[Alert]:
    """Firing burn-rate alerts from status rows."""
    out: list[Alert] = []
    for st in statuses:
        slo = slos.get(st.slo_id)
        if slo is None:
            continue
        for a in st.alerts:
            if a.state != FIRING or a.tier is None:
                continue
            pair = next(p for p in a.pairs if p.tier == a.tier)
            meta = slo.page if a.severity == "page" else slo.ticket
            runbook = (
                meta.annotations.get("runbook_url")
                or slo.alert_annotations.get("runbook_url")
                or slo.runbook_url
            )
            out.append(
                Alert(
                    alertname=slo.alert_name,
                    severity=a.severity,
                    tenant_id=st.tenant_id,
                    service=slo.service,
                    slo=slo.name,
                    burn_tier=a.tier,
                    summary=(
                        f"{slo.service}/{slo.name} for tenant {st.tenant_id} burns its error budget "
                        f"{pair.long.burn_rate or 0:.1f}x too fast ({a.tier})"
                    ),
                    description=(
                        f"error ratio {pair.short.error_ratio} over {pair.short.window} and "
                        f"{pair.long.error_ratio} over {pair.long.window}; threshold {pair.threshold:.6g}; "
                        f"budget remaining {st.budget_remaining}"
                    ),
                    runbook_url=absolute_url(runbook, runbook_base) if runbook else "",
                    value=pair.long.burn_rate,
                    extra_annotations={"sli_source": st.source},
                )
            )
    return out
