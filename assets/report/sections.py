"""The report's sections, in the order the report shows them (after the decision, the why,
the gate and the decision tree).

To add a section:
1. a plain function in your domain that reads DuckDB and returns the section's data, a
   JSON-able dict (``is_demo: True`` in it marks the report as demo data);
2. one line here: ``Section(name, title, build, sources=...)`` — ``build(con, ctx)`` gets the
   `SectionContext` of the reported run (plan, run id, evaluation time, statuses, recorded
   decision); ``sources`` are the evidence kinds, tables or claims the section shows, so the
   decision-tree answers and workstreams evaluated from them link to it; ``after`` names the
   assets that write what it reads (the report asset runs after them);
3. the partials ``reports/templates/sections/<name>.html.j2`` and ``<name>.md.j2``, which see
   the section as ``s`` (``s.data`` is what your function returned) and the report as ``r``.
"""

from __future__ import annotations

from assets.benchmarks.report_section import benchmark_section
from assets.isolation.report_section import isolation_section
from assets.operations.report_section import operations_section
from assets.planning.onboarding import onboarding_section
from assets.planning.schedule import schedule_section
from assets.readiness.report_model import Section
from assets.reliability.report_section import reliability_section
from assets.security.threat_model import threat_model_section
from assets.slo.report_section import slo_section

SLO_SPEC_FILE = "slos.yaml"

SECTIONS: tuple[Section, ...] = (
    Section("schedule", "Schedule", lambda con, c: schedule_section(con, c.plan, c.statuses, c.today)),
    Section("onboarding", "Onboarding guardrails", lambda con, c: onboarding_section(con, c.plan, c.tree_passes),
            after=("decision_records",)),
    Section("slo", "Service level objectives", lambda con, c: slo_section(con, c.at, c.plan.plan_dir / SLO_SPEC_FILE),
            sources=("slo.", "slo_status", "slo_minutes", "alert_drills"),
            after=("slo_status", "slo_alerts", "alert_drills")),
    Section("threat_model", "Threat model (scored)", lambda con, c: threat_model_section(con, c.at),
            sources=("security.threat_model", "threat_model"), after=("threat_model_evaluation",)),
    Section("probes", "Tenant isolation: cross-tenant probe matrix",
            lambda con, c: isolation_section(con, c.at),
            sources=("tenant_probe_results", "tenant_isolation", "tenancy.", "isolation."),
            after=("tenant_probes", "namespace_audit", "data_retention")),
    Section("operations", "Operations: soak and drills", lambda con, c: operations_section(con, c.at),
            sources=("ops.", "soak_runs", "drill_runs", "incidents"),
            after=("operations_evidence",)),
    Section("reliability", "Reliability", lambda con, c: reliability_section(con, c.at),
            sources=("reliability.fault_suite", "telemetry.completeness"),
            after=("fault_suite", "telemetry_completeness")),
    Section("benchmarks", "Benchmarks (WS5)", lambda con, c: benchmark_section(con, c.at),
            sources=("benchmark.", "bench_runs", "bench_attempts", "benchmark_comparisons", "benchmark_claims"),
            after=("benchmark_comparisons",)),
)  # fmt: skip


def upstream_assets() -> list[str]:
    """The asset keys the report's sections read, once each, in registry order."""
    return list(dict.fromkeys(a for s in SECTIONS for a in s.after))
