"""The one alert shape every SLO and operational alert uses (labels Alertmanager routes on)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from assets.slo.budget import FIRING
from assets.slo.spec import SLO
from assets.slo.store import SLOStatus

# Labels that identify an alert; burn_tier is deliberately not one of them so a page that
# moves from the quick to the slow pair stays the same alert (no duplicate page).
IDENTITY = ("alertname", "tenant_id", "service", "slo", "severity", "subject")


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
    extra_labels: Mapping[str, str] = field(default_factory=dict)

    def labels(self) -> dict[str, str]:
        out = {
            **self.extra_labels,
            "alertname": self.alertname,
            "severity": self.severity,
            "tenant_id": self.tenant_id,
            "service": self.service,
            "slo": self.slo,
            "burn_tier": self.burn_tier,
            "source": "gonogo",
        }
        if self.subject:
            out["subject"] = self.subject
        return out

    def annotations(self) -> dict[str, str]:
        out = {"summary": self.summary, "runbook_url": self.runbook_url}
        if self.description:
            out["description"] = self.description
        return out

    @property
    def fingerprint(self) -> str:
        labels = self.labels()
        key = "\x1f".join(f"{k}={labels.get(k, '')}" for k in IDENTITY)
        return hashlib.sha256(key.encode()).hexdigest()[:24]


def slo_alerts(statuses: Iterable[SLOStatus], slos: Mapping[str, SLO]) -> list[Alert]:
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
                    runbook_url=runbook,
                    value=pair.long.burn_rate,
                    extra_labels={"source_kind": st.source},
                )
            )
    return out
