"""The namespace audit: every Redis key under its tenant's prefix, every ACL user confined,
every queue named for its tenant (WS2.2)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from enforcement_agent.tenancy.keys import ACL_USER_PREFIX, ADMIN_USER, key_pattern, tenant_of_key
from enforcement_agent.tenancy.redis_acl import TENANT_COMMANDS

RECORDED_KEYS_DIR = "redis_keys"  # under the evidence folder: keys written during a run
GLOBAL = "_global"
# Redis may fold granted commands into categories when it prints a rule; these are the only
# categories a tenant's rule may show (every command in them is in TENANT_COMMANDS's spirit).
_ALLOWED_CATEGORIES = {"+@transaction", "+@stream"}


@dataclass(frozen=True)
class Finding:
    kind: str  # key | acl_user | queue
    subject: str
    tenant: str
    ok: bool
    detail: str


def recorded_keys(evidence_dir: Path) -> set[str]:
    """Keys the key recorder saw written (``evidence/redis_keys/*.json``)."""
    out: set[str] = set()
    folder = evidence_dir / RECORDED_KEYS_DIR
    for f in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            doc = json.loads(f.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        out.update(str(k) for k in doc.get("keys", []))
    return out


_ID_SEGMENT = re.compile(r"[0-9a-f]{16,}")


def key_family(key: str) -> str:
    """The key with its id-like parts as ``{id}``: one audit row per family of keys (and no
    random ids in the evidence store, where the leak scan would read them as credentials)."""
    return _ID_SEGMENT.sub("{id}", key)[:200]


def audit_keys(keys: Iterable[str], tenants: set[str]) -> list[Finding]:
    """One finding per key family: under its tenant's prefix, of a tenant with an ACL user."""
    families: dict[str, list[str]] = {}
    for key in set(keys):
        families.setdefault(key_family(key), []).append(key)
    findings = []
    for family, members in sorted(families.items()):
        tenant = tenant_of_key(members[0])
        n = f"{len(members)} key(s)"
        if tenant is None:
            why, ok, owner = f"{n} not under any t:{{tenant}}: prefix", False, GLOBAL
        elif tenant not in tenants:
            why, ok, owner = f"{n} of a tenant with no ACL user", False, tenant
        else:
            why, ok, owner = f"{n} under t:{tenant}:", True, tenant
        findings.append(Finding("key", family, owner, ok, why))
    return findings


def audit_streams(streams: Iterable[str]) -> list[Finding]:
    findings = []
    for key in sorted(set(streams)):
        tenant = tenant_of_key(key)
        ok = tenant is not None and key == f"t:{tenant}:jobs"
        findings.append(
            Finding("queue", key_family(key), tenant or GLOBAL, ok,
                    "the tenant's job queue" if ok else "a stream that is not t:{tenant}:jobs")
        )  # fmt: skip
    return findings


def audit_acl(lines: Iterable[str]) -> tuple[list[Finding], set[str]]:
    """One finding per ``gonogo-t-*`` user (confined?), and the tenants that have one."""
    findings: list[Finding] = []
    tenants: set[str] = set()
    allowed = {f"+{c}" for c in TENANT_COMMANDS} | _ALLOWED_CATEGORIES
    for line in lines:
        parts = line.split()
        if len(parts) < 2 or parts[0] != "user":
            continue
        user, rules = parts[1], parts[2:]
        if user == ADMIN_USER:
            continue
        if user == "default":
            ok = "off" in rules
            findings.append(
                Finding(
                    "acl_user",
                    user,
                    GLOBAL,
                    ok,
                    "disabled" if ok else "the default user is enabled",
                )
            )
            continue
        if not user.startswith(ACL_USER_PREFIX):
            findings.append(
                Finding("acl_user", user, GLOBAL, False, "a user gonogo did not provision")
            )
            continue
        tenant = user[len(ACL_USER_PREFIX) :]
        tenants.add(tenant)
        problems = []
        keys = [r for r in rules if r.startswith("~") or r in ("allkeys", "%RW~*")]
        if keys != [f"~{key_pattern(tenant)}"]:
            problems.append(f"key patterns {keys}")
        chans = [r for r in rules if r.startswith("&") or r == "allchannels"]
        if chans and chans != [f"&{key_pattern(tenant)}"]:
            problems.append(f"channel patterns {chans}")
        if "-@all" not in rules:
            problems.append("commands not reset (-@all missing)")
        extra = [r for r in rules if r.startswith("+") and r not in allowed]
        if extra:
            problems.append(f"commands beyond the tenant set: {extra[:5]}")
        findings.append(
            Finding("acl_user", user, tenant, not problems,
                    "; ".join(problems) or f"confined to ~{key_pattern(tenant)}")
        )  # fmt: skip
    return findings, tenants
