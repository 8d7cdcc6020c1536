"""WS1.2 from a scan of the state directory: "Secrets at rest are encrypted and key-rotation
procedure is documented".

Read without the key-encryption key (the scan never decrypts): every stored record is an
AES-GCM envelope under a wrapped data key of the keyring, no plaintext credentials file
exists, the primary key is younger than the rotation period, the last `gonogo secrets verify`
(which does decrypt, and hunts every value's encodings under the state directory) is clean and
newer than the last change, and the procedure document exists and names every `gonogo secrets`
command the event log saw used. Value 1.0 when every check holds.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from assets.evidence.store import EvidenceItem
from assets.security.checks_evidence import checks_item

EVIDENCE_KIND = "secrets.at_rest"
ROTATION_PERIOD = timedelta(days=90)
VERIFY_MAX_AGE = timedelta(days=7)
LEGACY_FILE = "connector_credentials.json"
_PLAINTEXT_FIELDS = ("secret", "value", "plaintext", "token", "password")


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _when(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


def _b64(text: Any) -> bytes | None:
    try:
        return base64.b64decode(str(text), validate=True)
    except (binascii.Error, ValueError):
        return None


def _check_records(records: dict[str, Any], keys: list[dict[str, Any]]) -> list[str]:
    usable = {k.get("kid") for k in keys if k.get("wrapped") and k.get("state") != "retired"}
    problems = []
    for slot, rec in sorted(records.items()):
        if not isinstance(rec, dict):
            problems.append(f"{slot}: not a record")
            continue
        plain = [f for f in _PLAINTEXT_FIELDS if f in rec]
        nonce, ct = _b64(rec.get("nonce")), _b64(rec.get("ciphertext"))
        if plain:
            problems.append(f"{slot}: plaintext field(s) {', '.join(plain)}")
        elif nonce is None or len(nonce) != 12 or ct is None or len(ct) < 17:
            problems.append(f"{slot}: not an AES-GCM envelope (nonce, ciphertext + tag)")
        elif rec.get("kid") not in usable:
            problems.append(f"{slot}: key {rec.get('kid')} is not a wrapped key of the keyring")
    return problems


def scan(home: Path, procedure: Path, now: datetime) -> dict[str, Any] | None:
    """The WS1.2 checks for the state directory ``home`` (None: nothing stored, no evidence)."""
    folder = home / "secrets"
    legacy = (home / LEGACY_FILE).exists()
    if not (folder / "store.json").exists() and not legacy:
        return None
    checks: dict[str, dict[str, Any]] = {}
    records = _load(folder / "store.json").get("records", {}) or {}
    keys = _load(folder / "keyring.json").get("keys", []) or []
    problems = _check_records(records if isinstance(records, dict) else {}, keys)
    if legacy:
        problems.insert(0, f"{LEGACY_FILE}: plaintext credentials file present")
    checks["ciphertext"] = {"ok": not problems, "records": len(records), "problems": problems}

    primary = [k for k in keys if k.get("state") == "primary"]
    created = _when(primary[0].get("created_at")) if len(primary) == 1 else None
    age = (now - created) if created else None
    checks["key_age"] = {
        "ok": age is not None and age <= ROTATION_PERIOD,
        "primary": primary[0].get("kid") if len(primary) == 1 else None,
        "age_days": round(age.total_seconds() / 86400, 2) if age is not None else None,
        "rotation_period_days": ROTATION_PERIOD.days,
    }

    events = []
    if (folder / "events.jsonl").exists():
        for line in (folder / "events.jsonl").read_text().splitlines():
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            if isinstance(ev, dict):
                events.append(ev)
    changed = [
        _when(e.get("at")) for e in events if e.get("command") in ("set", "rotate", "migrate")
    ]
    last_change = max((c for c in changed if c), default=None)
    verify = _load(folder / "verify.json")
    checked = _when(verify.get("checked_at"))
    checks["verify"] = {
        "ok": bool(verify)
        and not verify.get("problems")
        and checked is not None
        and now - checked <= VERIFY_MAX_AGE
        and (last_change is None or checked >= last_change),
        "checked_at": verify.get("checked_at"),
        "problems": len(verify.get("problems") or []) if verify else None,
        "files_scanned": verify.get("files_scanned"),
    }

    used = sorted({str(e.get("command")) for e in events if e.get("command")})
    rotations = [e for e in events if e.get("command") == "rotate"]
    text = procedure.read_text() if procedure.exists() else ""
    unnamed = [c for c in {*used, "rotate", "verify"} if f"gonogo secrets {c}" not in text]
    checks["procedure"] = {
        "ok": bool(text) and not unnamed,
        "document": str(procedure),
        "commands_used": used,
        "not_named": sorted(unnamed),
        "rotations": [
            {k: e.get(k) for k in ("at", "who", "new_kid", "retired", "reencrypted")}
            for e in rotations[-5:]
        ],
    }
    return checks


def evidence_item(
    checks: dict[str, Any], home: Path, now: datetime, *, is_demo: bool
) -> EvidenceItem:
    return checks_item(
        EVIDENCE_KIND, "assets/security/secrets_at_rest.py", "secrets", checks,
        uri=(home / "secrets").resolve().as_uri(), now=now, ttl=timedelta(days=1), is_demo=is_demo,
    )  # fmt: skip
