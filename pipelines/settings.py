"""Where gonogo keeps its state; one place so every component agrees on the layout.

``GONOGO_HOME`` (default ``.gonogo`` in the working directory) holds the DuckDB file, the
telemetry spool, the decision-record log and the tenant workspaces of the embedded default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PLAN_DIR = REPO_ROOT / "plans" / "navi"


@dataclass(frozen=True)
class Settings:
    home: Path
    plan_dir: Path = DEFAULT_PLAN_DIR

    @property
    def duckdb_path(self) -> Path:
        return self.home / "gonogo.duckdb"

    @property
    def spool_dir(self) -> Path:
        return self.home / "spool"

    @property
    def audit_dir(self) -> Path:
        return self.home / "audit"

    @property
    def workspaces_dir(self) -> Path:
        return self.home / "workspaces"

    @property
    def evidence_dir(self) -> Path:
        """Files (JUnit XML, drill logs, leak-scan inputs) that evidence assets read."""
        return self.home / "evidence"

    @property
    def cache_dir(self) -> Path:
        """Derived data a process may reuse (compiled policies)."""
        return self.home / "cache"

    @property
    def state_dirs(self) -> tuple[Path, ...]:
        """What no agent workspace may contain: records, telemetry, evidence, caches, the store.

        Each is checked on its own, so one that is a symlink out of the home counts too.
        """
        return (
            self.home,
            self.audit_dir,
            self.spool_dir,
            self.evidence_dir,
            self.cache_dir,
            self.duckdb_path,
        )

    def workspace(self, tenant: str) -> Path:
        return self.workspaces_dir / tenant

    def ensure(self) -> Settings:
        for p in (
            self.home,
            self.spool_dir,
            self.audit_dir,
            self.workspaces_dir,
            self.evidence_dir,
        ):
            p.mkdir(parents=True, exist_ok=True)
        return self

    @classmethod
    def from_env(cls) -> Settings:
        home = Path(os.environ.get("GONOGO_HOME", ".gonogo")).resolve()
        plan = Path(os.environ.get("GONOGO_PLAN_DIR", str(DEFAULT_PLAN_DIR))).resolve()
        return cls(home=home, plan_dir=plan)


def shared_dir() -> Path | None:
    """The workplace's ``shared/`` folder (corpora, peers), beside the checkout, if present."""
    env = os.environ.get("GONOGO_SHARED")
    candidates = [Path(env)] if env else []
    candidates += [REPO_ROOT.parent / "shared", Path.cwd().parent / "shared"]
    for c in candidates:
        if (c / "DESIGN.md").exists() or (c / "corpora").exists():
            return c.resolve()
    return None
