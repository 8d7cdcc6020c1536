"""Canary secrets: deterministic fakes the demo plants and the leak scan looks for.

Each canary has a real provider shape (so the detectors also fire on it) and is derived from a
seed, so the workload that plants them and the scan that hunts them agree without sharing state.
The values are fake: they authenticate nowhere.

Where the scan gets the seed: ``GONOGO_CANARY_SEED`` if set, else ``$GONOGO_HOME/canaries.json``
(``{"seed": "..."}``, written by the demo with ``write_canaries``).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

ENV_SEED = "GONOGO_CANARY_SEED"
CANARY_FILE = "canaries.json"

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_UPPER32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"


def _draw(seed: str, label: str, alphabet: str, n: int) -> str:
    out: list[str] = []
    counter = 0
    while len(out) < n:
        block = hashlib.sha256(f"gonogo-canary|{seed}|{label}|{counter}".encode()).digest()
        out.extend(alphabet[b % len(alphabet)] for b in block)
        counter += 1
    return "".join(out[:n])


def make_canaries(seed: str) -> dict[str, str]:
    """Fake secrets in detectable formats, the same for the same seed."""
    if not seed:
        raise ValueError("canary seed must not be empty")
    return {
        "github_token": "ghp_" + _draw(seed, "github", _ALNUM, 36),
        "aws_access_key_id": "AKIA" + _draw(seed, "aws", _UPPER32, 16),
        "slack_bot_token": "xoxb-"
        + _draw(seed, "slack1", "0123456789", 12)
        + "-"
        + _draw(seed, "slack2", "0123456789", 13)
        + "-"
        + _draw(seed, "slack3", _ALNUM, 24),
        # A low-entropy-looking value only key-name redaction (password=…) can catch.
        "password": "canary-" + _draw(seed, "password", _LOWER_ALNUM, 14),
    }


def canary_env(canaries: dict[str, str]) -> dict[str, str]:
    """The canaries as environment variables, the way a workload would see them."""
    return {
        "GITHUB_TOKEN": canaries["github_token"],
        "AWS_ACCESS_KEY_ID": canaries["aws_access_key_id"],
        "SLACK_BOT_TOKEN": canaries["slack_bot_token"],
        "DB_PASSWORD": canaries["password"],
    }


def write_canaries(home: Path, seed: str) -> Path:
    """Record the seed for the leak scan (0600: it regenerates the canaries)."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / CANARY_FILE
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump({"seed": seed}, fh)
    os.replace(tmp, path)
    return path


def load_canaries(home: Path) -> tuple[dict[str, str], str]:
    """The canaries to hunt and where they came from ("env", "file" or "none")."""
    seed = os.environ.get(ENV_SEED)
    if seed:
        return make_canaries(seed), "env"
    path = home / CANARY_FILE
    if path.exists():
        data = json.loads(path.read_text())
        if not isinstance(data, dict) or not isinstance(data.get("seed"), str):
            raise ValueError(f'{path}: expected {{"seed": "..."}}')
        return make_canaries(data["seed"]), "file"
    return {}, "none"
