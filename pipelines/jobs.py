"""Jobs, schedules and sensors."""

from __future__ import annotations

import dagster as dg

JOBS: list[dg.UnresolvedAssetJobDefinition] = []
SCHEDULES: list[dg.ScheduleDefinition] = []
SENSORS: list[dg.SensorDefinition] = []
