"""The readiness report as leadership reads it: which sections it has, in which order, and the
asset that writes it. It sits above the domains whose evidence it shows (readiness, planning,
SLOs, probes, benchmarks, …), so none of them imports another to be in the report.
"""
