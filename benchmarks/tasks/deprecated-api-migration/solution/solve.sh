#!/bin/bash
set -e
cat > events.py <<'EOF'
from datetime import UTC, datetime


def now():
    """The current time in UTC (timezone-aware)."""
    return datetime.now(UTC)


def from_epoch(ts):
    """A UNIX timestamp as an aware UTC datetime."""
    return datetime.fromtimestamp(ts, UTC)
EOF
