"""Every Redis key and ACL user name of a tenant, in one place.

A tenant's keys all start with ``t:{tenant}:`` and its ACL user may touch nothing else, so a
key built here for tenant B can never name tenant A's data, whatever the logical key says.
"""

from __future__ import annotations

from enforcement_agent.models import valid_tenant

PREFIX = "t:"
ACL_USER_PREFIX = "gonogo-t-"
ADMIN_USER = "gonogo-admin"


class TenantKeyError(ValueError):
    """A key was asked for without a valid tenant (never "every tenant")."""


def _checked(tenant: str | None) -> str:
    if not isinstance(tenant, str) or not valid_tenant(tenant):
        raise TenantKeyError(f"a Redis key needs a valid tenant id, got {tenant!r}")
    return tenant


def tenant_prefix(tenant: str | None) -> str:
    """``t:{tenant}:`` (raises :class:`TenantKeyError` without a valid tenant)."""
    return f"{PREFIX}{_checked(tenant)}:"


def tenant_key(tenant: str | None, *parts: str) -> str:
    """``t:{tenant}:part1:part2…``; parts may hold any text (they cannot leave the prefix)."""
    if not parts or any(not isinstance(p, str) or p == "" for p in parts):
        raise TenantKeyError("a Redis key needs at least one non-empty part after the tenant")
    return tenant_prefix(tenant) + ":".join(parts)


def tenant_of_key(key: str | bytes) -> str | None:
    """The tenant a key belongs to, or ``None`` when it is under no tenant's prefix."""
    text = key.decode("utf-8", "replace") if isinstance(key, bytes) else key
    if not text.startswith(PREFIX):
        return None
    tenant, sep, rest = text[len(PREFIX) :].partition(":")
    return tenant if sep and rest and valid_tenant(tenant) else None


def acl_user(tenant: str | None) -> str:
    """The Redis ACL user a tenant's connections authenticate as."""
    return ACL_USER_PREFIX + _checked(tenant)


def key_pattern(tenant: str | None) -> str:
    """The one key pattern a tenant's ACL user is granted (also its pub/sub channel pattern)."""
    return tenant_prefix(tenant) + "*"
