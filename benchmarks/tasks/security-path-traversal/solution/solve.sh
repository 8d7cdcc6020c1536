#!/bin/bash
set -e
cat > files.py <<'EOF'
import os


def safe_path(root, user_path):
    """Absolute path of user_path under root; ValueError if it escapes root."""
    base = os.path.realpath(root)
    target = os.path.realpath(os.path.join(base, user_path))
    if os.path.commonpath([base, target]) != base:
        raise ValueError("path escapes root")
    return target
EOF
