#!/bin/bash
set -e
cat > netutil.py <<'EOF'
import time


def fetch_status(get):
    """Status code of one GET (no retries yet)."""
    return get()


def retry(fn, attempts=3, base_delay=0.1, sleep=time.sleep):
    """Call fn(); on an exception wait base_delay * 2**k and retry, attempts calls in all."""
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for k in range(attempts):
        try:
            return fn()
        except Exception:
            if k == attempts - 1:
                raise
            sleep(base_delay * 2**k)
EOF
