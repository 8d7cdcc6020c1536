"""SLOs, error budgets and burn-rate alerting.

Library modules (spec, math, sources, rules, delivery, incidents) are plain Python; the
Dagster assets live in ``assets.slo.assets`` only.
"""
