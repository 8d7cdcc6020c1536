"""`gonogo secrets verify`: every stored secret decrypts, and none is readable anywhere under
the state directory in plain, base64 (any alignment, standard or URL-safe), hex or
URL-encoded form. The result (no secret in it) is kept as ``secrets/verify.json`` for the
WS1.2 scan (``assets/security/secrets_at_rest.py``)."""

from __future__ import annotations

import base64
import binascii
import json
import os
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from enforcement_agent.connectors.credentials import LEGACY_FILE, SECRETS_DIR
from enforcement_agent.secretbox import SecretStoreError, write_private
from pipelines.settings import Settings

VERIFY_FILE = "verify.json"
_CHUNK = 1 << 20
_MIN_CORE = 8  # shorter base64 cores would match by chance


def encodings(secret: str) -> dict[str, bytes]:
    """The forms of ``secret`` a careless writer could leave behind, by name."""
    raw = secret.encode()
    forms: dict[str, bytes] = {"plain": raw}
    for label, enc in (("base64", base64.b64encode), ("base64url", base64.urlsafe_b64encode)):
        for shift in range(3):
            # The characters of the encoding that depend on the secret's bytes alone, whatever
            # came before it (shift) or after it.
            full = enc(b"\0" * shift + raw).rstrip(b"=")
            core = full[(4 if shift else 0) : len(full) - 4]
            if len(core) >= _MIN_CORE:
                forms[f"{label}+{shift}"] = core
    forms["hex"] = binascii.hexlify(raw)
    forms["HEX"] = binascii.hexlify(raw).upper()
    quoted = urllib.parse.quote(secret, safe="").encode()
    if quoted != raw:
        forms["urlencoded"] = quoted
    plus = urllib.parse.quote_plus(secret).encode()
    if plus not in (raw, quoted):
        forms["urlencoded+"] = plus
    return forms


def find_leaks(root: Path, needles: dict[str, bytes]) -> tuple[list[tuple[str, str]], int]:
    """``(file, needle name)`` for every needle found under ``root`` (symlinks not followed)."""
    longest = max((len(n) for n in needles.values()), default=0)
    hits: list[tuple[str, str]] = []
    scanned = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            scanned += 1
            found: set[str] = set()
            tail = b""
            try:
                with path.open("rb") as fh:
                    while chunk := fh.read(_CHUNK):
                        window = tail + chunk
                        for label, needle in needles.items():
                            if label not in found and needle in window:
                                found.add(label)
                        tail = window[-longest:] if longest else b""
            except OSError:
                continue
            hits.extend((str(path.relative_to(root)), label) for label in sorted(found))
    return hits, scanned


def verify_state(settings: Settings, *, actor: str) -> dict[str, Any]:
    """Check the store and scan the state directory; writes ``secrets/verify.json``."""
    from gonogo.wiring import open_sealed

    problems: list[str] = []
    folder = settings.home / SECRETS_DIR
    if (settings.home / LEGACY_FILE).exists():
        problems.append(f"{LEGACY_FILE}: plaintext credentials (run `gonogo secrets migrate`)")
    records = 0
    needles: dict[str, bytes] = {}
    keys: list[dict[str, Any]] = []
    sealed = None
    try:
        sealed = open_sealed(settings)
        keys = sealed.keys()
        listing = sealed.listing()
        records = len(listing)
        broken = sealed.check()
        problems.extend(broken)
        if not broken:  # every record opens: hunt each value's encodings in every file
            for tenant, connector, secret in sealed.items():
                for label, needle in encodings(secret).items():
                    needles[f"{tenant}/{connector} {label}"] = needle
    except SecretStoreError as exc:
        if (folder / "store.json").exists():
            problems.append(f"store cannot be opened: {exc}")
    hits, scanned = find_leaks(settings.home, needles)
    problems.extend(f"{path}: a stored secret readable as {label}" for path, label in hits)
    result = {
        "schema": "gonogo.secrets-verify/v1",
        "checked_at": datetime.now(UTC).isoformat(),
        "who": actor,
        "records": records,
        "problems": problems,
        "files_scanned": scanned,
        "keys": keys,
    }
    if sealed is not None:
        sealed.log_event({"command": "verify", "who": actor, "problems": len(problems)})
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_private(folder / VERIFY_FILE, json.dumps(result, indent=1).encode())
    return result
