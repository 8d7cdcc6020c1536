"""Tenant namespaces in shared stores: Redis keys under ``t:{tenant}:``, one ACL user per tenant.

``keys`` names every key; ``redis_acl`` provisions the per-tenant ACL users and hands out a
client per tenant (each authenticated as its own user, confined to ``~t:{tenant}:*``);
``redis_slots``, ``redis_rate``, ``jobs`` and ``cache`` are the shared concurrency slots,
connector rate limits, per-tenant job queue and cache built on those clients, each with an
in-process twin for the embedded default. Imports nothing else of ours but ``models``.
"""
