"""Resources the SLO domain needs (Prometheus, alert delivery)."""

from __future__ import annotations

from typing import Any

from gonogo.config import Settings


def slo_resources(settings: Settings) -> dict[str, Any]:
    return {}
