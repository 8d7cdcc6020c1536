#!/bin/bash
set -e
cat > service/settings.py <<'EOF'
import os


def api_token():
    """The API token, from SERVICE_API_TOKEN (never stored in the repository)."""
    token = os.environ.get("SERVICE_API_TOKEN", "")
    if not token:
        raise RuntimeError("SERVICE_API_TOKEN is not set")
    return token
EOF
