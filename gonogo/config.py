"""Where gonogo keeps its state, as the CLI and wiring see it.

The state layout is configuration of the composition root, so it lives in
``pipelines.settings`` (below the domains that read it); this module keeps the CLI's name for it.
"""

from __future__ import annotations

from pipelines.settings import DEFAULT_PLAN_DIR, REPO_ROOT, Settings, shared_dir

__all__ = ["DEFAULT_PLAN_DIR", "REPO_ROOT", "Settings", "shared_dir"]
