"""Tenant isolation evidence: the cross-tenant probe matrix (``tenant_probe_results``)."""
