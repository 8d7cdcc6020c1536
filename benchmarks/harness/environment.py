"""The environment fingerprint every attempt carries: what could change a result besides code."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
from typing import Any


def _first_line(argv: list[str]) -> str | None:
    if shutil.which(argv[0]) is None:
        return None
    try:
        res = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    out = (res.stdout or res.stderr).strip().splitlines()
    return out[0] if out else None


def describe() -> dict[str, Any]:
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "system": platform.system(),
        "kernel": platform.release(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "git": _first_line(["git", "--version"]),
        "bash": _first_line(["bash", "--version"]),
        "python3": _first_line(["python3", "--version"]),
        "bwrap": _first_line(["bwrap", "--version"]),
    }


def fingerprint(env: dict[str, Any]) -> str:
    body = json.dumps(env, sort_keys=True, separators=(",", ":")).encode()
    return "sha256:" + hashlib.sha256(body).hexdigest()
