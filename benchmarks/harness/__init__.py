"""The competitive benchmark harness: Harbor-layout tasks, agent adapters, attempts, faults.

Plain Python (no Dagster). Statistics, the run-folder format, the DuckDB tables, claims and the
one-pager live in ``assets/benchmarks/`` (the domain layer the Dagster asset also reads); this
package runs things and sits on top of it.
"""

from __future__ import annotations

# Bump when anything that changes what an attempt measures changes (work-dir seeding, verifier
# contract, timing points, the governed adapter). Every attempt records it.
HARNESS_VERSION = "gonogo-bench/1.0"
