#!/bin/bash
set -e
cat > report.py <<'EOF'
from collections import Counter


def top_tags(tags):
    """Tags that occur at least twice, by descending count, ties alphabetical."""
    counts = Counter(tags)
    return sorted((t for t, n in counts.items() if n >= 2), key=lambda t: (-counts[t], t))
EOF
