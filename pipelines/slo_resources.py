"""Resources the SLO domain needs: Prometheus (SLI source) and alert delivery sinks.

Both default to "not configured", which is the embedded default: SLIs come from DuckDB and
alerts are recorded in the ``alerts`` table without being sent anywhere. Environment:
``GONOGO_PROMETHEUS_URL`` (+ ``GONOGO_PROMETHEUS_CA_FILE`` for a private CA; TLS is always
verified), ``GONOGO_ALERTMANAGER_URL``, ``GONOGO_ALERT_WEBHOOK_URL``,
``GONOGO_ALERT_GENERATOR_URL`` (each alert's ``generatorURL``), ``GONOGO_RUNBOOK_BASE_URL``
(where relative runbook references resolve; else the OperationalAlerts spec's
``runbook_base_url``).
"""

from __future__ import annotations

import os
from typing import Any

import dagster as dg

from pipelines.settings import Settings


class PrometheusResource(dg.ConfigurableResource["PrometheusResource"]):
    """Where production SLIs are read from (``prometheus-api-client``); ``None`` = not used."""

    url: str | None = None
    timeout_s: float = 10.0
    # A CA bundle for a Prometheus behind a private CA; certificates are verified either way.
    ca_file: str | None = None


class AlertSinkResource(dg.ConfigurableResource["AlertSinkResource"]):
    """Alertmanager v2 API and/or a generic JSON webhook; none configured = record only.

    Configuration only: the SLO domain builds the sinks from it (``assets.slo.delivery.sinks_for``).
    """

    alertmanager_url: str | None = None
    webhook_url: str | None = None
    resend_minutes: float = 5.0
    timeout_s: float = 5.0
    generator_url: str | None = None  # None: the Dagster UI page of the slo_alerts asset
    runbook_base_url: str | None = None  # None: the OperationalAlerts spec's runbook_base_url


def slo_resources(settings: Settings) -> dict[str, Any]:
    return {
        "prometheus": PrometheusResource(
            url=os.environ.get("GONOGO_PROMETHEUS_URL") or None,
            ca_file=os.environ.get("GONOGO_PROMETHEUS_CA_FILE") or None,
        ),
        "alert_sink": AlertSinkResource(
            alertmanager_url=os.environ.get("GONOGO_ALERTMANAGER_URL") or None,
            webhook_url=os.environ.get("GONOGO_ALERT_WEBHOOK_URL") or None,
            generator_url=os.environ.get("GONOGO_ALERT_GENERATOR_URL") or None,
            runbook_base_url=os.environ.get("GONOGO_RUNBOOK_BASE_URL") or None,
        ),
    }
