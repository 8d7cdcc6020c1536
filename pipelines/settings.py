"""Where gonogo keeps its state; one place so every component agrees on the layout.

``GONOGO_HOME`` (default ``.gonogo`` in the working directory) holds the DuckDB file, the
telemetry spool, the decision-record log and the tenant workspaces of the embedded default.

``GONOGO_PROFILE`` picks the deployment profile by configuration only: ``embedded`` (the
default: in-process Dagster, ephemeral instance) or ``cluster`` (Dagster on Postgres with its
daemon, Parquet partitions feeding the store; see ``pipelines/cluster.py`` and docs/scale.md).
``GONOGO_REPLICA_ID`` names one gateway replica of several sharing a home: its spool segments
and decision chains carry the id, so no two writers share a file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from enforcement_agent.audit_format import valid_replica
from enforcement_agent.verified_cache import redactor_cache_dir

# A supervisor names each server it starts; `/healthz` echoes it (a port held by another
# process is then told apart from the one just started).
INSTANCE_ENV = "GONOGO_INSTANCE_ID"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PLAN_DIR = REPO_ROOT / "plans" / "navi"
PROFILE_ENV = "GONOGO_PROFILE"
REPLICA_ENV = "GONOGO_REPLICA_ID"
PROFILES = ("embedded", "cluster")


class SettingsError(ValueError):
    """A profile or replica id in the environment that gonogo does not know (one line)."""


def valid_replica_id(replica: str) -> bool:
    """A replica id lands in file and directory names: short, lower-case, no dots or slashes."""
    return valid_replica(replica)


@dataclass(frozen=True)
class Settings:
    """Where gonogo keeps its state, and how it runs."""

    home: Path
    plan_dir: Path = DEFAULT_PLAN_DIR
    profile: str = "embedded"
    replica_id: str | None = None
    # GONOGO_HOME as the operator spelled it (``home`` is resolved): a spelling through a link
    # inside a workspace is refused, since the agent could repoint it (twenty-third pass).
    home_as_given: Path | None = field(default=None, compare=False)

    @property
    def clustered(self) -> bool:
        return self.profile == "cluster"

    @property
    def dagster_home(self) -> Path:
        """``DAGSTER_HOME`` of the cluster profile (``dagster.yaml``, ``workspace.yaml``)."""
        return self.home / "dagster"

    @property
    def parquet_dir(self) -> Path:
        """Parquet partitions (``<table>/tenant_id=<t>/day=<d>/<segment>.parquet``) that the
        cluster profile's ingestion writes and the store reads."""
        return self.home / "parquet"

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

        Each is checked on its own, so one that is a symlink out of the home counts too: the
        approval store, the sealed secrets, the dev issuer's signing key and the redaction key
        as well (tenth pass: a home whose ``approvals`` or ``auth`` was a link into the
        workspace was accepted, and the agent could write approvals or read the signing key).
        """
        return (
            self.home,
            self.audit_dir,
            self.spool_dir,
            self.evidence_dir,
            self.cache_dir,
            self.duckdb_path,
            self.home / "approvals",
            self.home / "secrets",
            self.home / "auth",
            self.home / "redaction.key",
            # Twenty-third pass: each linked into a workspace was accepted (the store's
            # ingested records, what dagster loads as code, tenants' exports, the store's WAL).
            self.parquet_dir,
            self.dagster_home,
            self.home / "exports",
            self.duckdb_path.with_name(self.duckdb_path.name + ".wal"),
        )

    @property
    def kek_file(self) -> Path | None:
        """The key-encryption key's file when it comes from one (``secretbox.LocalKek``: the
        same variables and default, kept here so a hook process need not load cryptography)."""
        if os.environ.get("GONOGO_KEK"):
            return None
        return Path(os.environ.get("GONOGO_KEK_FILE") or "~/.config/gonogo/kek").expanduser()

    @property
    def guarded_paths(self) -> tuple[Path, ...]:
        """What no agent workspace may contain and the sandbox may not see: the state
        directories and the KEK file (eleventh pass: with ``--workspace ~`` the default
        ``~/.config/gonogo/kek`` lay in the workspace, the sandbox handed it to the tenant's
        uid and ``cat .config/gonogo/kek`` printed it)."""
        kek = self.kek_file
        return (
            *self.state_dirs,
            *((self.home_as_given,) if self.home_as_given is not None else ()),
            *((kek,) if kek is not None else ()),
            # Thirteenth pass: the redactor's cache (hyperscan databases, pattern facts and
            # their .mac-key) decides what is masked at every egress; inside the workspace a
            # sandboxed script forged it and redaction stopped.
            redactor_cache_dir(),
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
        given = Path(os.path.abspath(os.environ.get("GONOGO_HOME", ".gonogo")))
        home = given.resolve()
        plan = Path(os.environ.get("GONOGO_PLAN_DIR", str(DEFAULT_PLAN_DIR))).resolve()
        profile = os.environ.get(PROFILE_ENV) or "embedded"
        if profile not in PROFILES:
            raise SettingsError(f"{PROFILE_ENV}={profile!r}: expected one of {', '.join(PROFILES)}")
        replica = os.environ.get(REPLICA_ENV) or None
        if replica is not None and not valid_replica_id(replica):
            raise SettingsError(
                f"{REPLICA_ENV}={replica[:40]!r}: expected 1-32 of a-z, 0-9 and '-', "
                "starting with a letter or digit"
            )
        return cls(home=home, plan_dir=plan, profile=profile, replica_id=replica,
                   home_as_given=given if given != home else None)  # fmt: skip


def shared_dir() -> Path | None:
    """The workplace's ``shared/`` folder (corpora, peers), beside the checkout, if present."""
    env = os.environ.get("GONOGO_SHARED")
    candidates = [Path(env)] if env else []
    candidates += [REPO_ROOT.parent / "shared", Path.cwd().parent / "shared"]
    for c in candidates:
        if (c / "DESIGN.md").exists() or (c / "corpora").exists():
            return c.resolve()
    return None
